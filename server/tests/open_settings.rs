//! ISV workspace > Open platform settings through the real router, on SQLite and PostgreSQL:
//! the app_id the platform issues, the application gateway URL, the app public key (uploaded
//! as PEM or bare Base64, or generated with the private key shown once), the platform public
//! key, the merchant access URLs — and who may see and change them.

mod common;

use app::open::sign::{PrivateKey, PublicKey};
use axum::http::StatusCode;
use common::market::{
    active_isv, assert_status, create_service, member, merchant, ok, service_input, submitted_isv,
};
use common::{error_fields, error_message, Browser, TestResponse};

const SETTINGS: &str = "/api/open/settings";
const SET_GATEWAY: &str = "/api/open/set_gateway_url";
const SET_KEY: &str = "/api/open/set_app_public_key";
const GENERATE: &str = "/api/open/generate_app_key_pair";

async fn settings(browser: &Browser<'_>, ws: i64) -> TestResponse {
    browser
        .call(SETTINGS, &[("workspace_id", &ws.to_string())])
        .await
}

async fn set_gateway(browser: &Browser<'_>, ws: i64, url: &str) -> TestResponse {
    browser
        .call(
            SET_GATEWAY,
            &[("workspace_id", &ws.to_string()), ("gateway_url", url)],
        )
        .await
}

async fn set_key(browser: &Browser<'_>, ws: i64, key: &str) -> TestResponse {
    browser
        .call(
            SET_KEY,
            &[("workspace_id", &ws.to_string()), ("app_public_key", key)],
        )
        .await
}

fn bare(pem: &str) -> String {
    pem.lines()
        .filter(|line| !line.starts_with("-----"))
        .collect()
}

on_both_databases! {
    async fn an_approved_isv_gets_a_16_digit_app_id_once_and_the_platform_public_key(app) {
        let (owner, ws) = active_isv(&app, "owner@cloudleaf.example.com", "cloudleaf", "Cloudleaf").await;
        ok(&create_service(&owner, ws, &service_input("Restaurant ordering")).await);
        let first = ok(&settings(&owner, ws).await);
        let app_id = first["app_id"].as_str().unwrap().to_owned();
        assert_eq!(app_id.len(), 16);
        assert!(app_id.starts_with("2021") && app_id.bytes().all(|b| b.is_ascii_digit()));
        assert_eq!(ok(&settings(&owner, ws).await)["app_id"], app_id.as_str());
        assert_eq!(app.count("SELECT COUNT(*) FROM isv_apps").await, 1);
        assert!(first["gateway_url"].is_null());
        assert!(first["app_public_key"].is_null());
        assert_eq!(first["can_manage"], true);
        assert_eq!(first["gateway_endpoint"], "http://127.0.0.1:3000/gateway.do");
        let platform_key = first["platform_public_key"].as_str().unwrap();
        let current = app::open::keys::current(&app.state.db, app.state.clock.now()).await.unwrap();
        assert_eq!(PublicKey::parse(platform_key).unwrap(), current.key.public_key());
        assert_eq!(first["retired_platform_keys"], serde_json::json!([]));
        let urls = &first["access_urls"][0];
        assert_eq!(urls["service_name"], "Restaurant ordering");
        assert_eq!(urls["mobile_access_url"], "https://admin.cloudleaf.example.com/m");
        assert_eq!(urls["pc_access_url"], "https://admin.cloudleaf.example.com");
    }

    async fn the_gateway_url_is_validated_and_bad_input_changes_nothing(app) {
        let (owner, ws) = active_isv(&app, "owner@cloudleaf.example.com", "cloudleaf", "Cloudleaf").await;
        let set = ok(&set_gateway(&owner, ws, " HTTPS://Api.Cloudleaf.example.com/alipay/gateway ").await);
        assert_eq!(set["gateway_url"], "https://api.cloudleaf.example.com/alipay/gateway");
        for bad in ["api.cloudleaf.example.com", "ftp://x.example.com", "https://u:p@x.example.com", "https://x.example.com/#a"] {
            let refused = set_gateway(&owner, ws, bad).await;
            assert_status(&refused, StatusCode::BAD_REQUEST);
            assert_eq!(error_fields(&refused), ["gateway_url"], "{bad}");
        }
        assert!(error_message(&set_gateway(&owner, ws, "https://x.example.com/#a").await, "gateway_url").contains('#'));
        assert_eq!(
            ok(&settings(&owner, ws).await)["gateway_url"],
            "https://api.cloudleaf.example.com/alipay/gateway"
        );
        assert!(ok(&set_gateway(&owner, ws, "").await)["gateway_url"].is_null());
    }

    async fn the_app_public_key_is_taken_as_pem_or_bare_base64_and_stored_as_base64(app) {
        let (owner, ws) = active_isv(&app, "owner@cloudleaf.example.com", "cloudleaf", "Cloudleaf").await;
        let key = PrivateKey::generate();
        let expected = key.public_key().to_base64();
        let spki_pem = format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            expected.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join("\n")
        );
        for given in [expected.clone(), spki_pem] {
            assert_eq!(ok(&set_key(&owner, ws, &given).await)["app_public_key"], expected.as_str());
        }
        let other = PrivateKey::generate();
        let (private_refused, garbage_refused) = (
            set_key(&owner, ws, &bare(&other.to_pkcs1_pem())).await,
            set_key(&owner, ws, "hello world").await,
        );
        assert_eq!(error_fields(&private_refused), ["app_public_key"]);
        assert!(error_message(&private_refused, "app_public_key").contains("private key"));
        assert_eq!(error_fields(&garbage_refused), ["app_public_key"]);
        assert_eq!(error_fields(&set_key(&owner, ws, "").await), ["app_public_key"]);
        assert_eq!(ok(&settings(&owner, ws).await)["app_public_key"], expected.as_str());
    }

    async fn a_generated_key_pair_shows_the_private_key_once_and_stores_only_the_public_key(app) {
        let (owner, ws) = active_isv(&app, "owner@cloudleaf.example.com", "cloudleaf", "Cloudleaf").await;
        let generated = ok(&owner.call(GENERATE, &[("workspace_id", &ws.to_string())]).await);
        let pkcs8 = generated["private_key_pkcs8_pem"].as_str().unwrap();
        let pkcs1 = generated["private_key_pkcs1_pem"].as_str().unwrap();
        assert!(pkcs8.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
        let private = PrivateKey::parse(pkcs8).unwrap();
        assert_eq!(PrivateKey::parse(pkcs1).unwrap().public_key(), private.public_key());
        let public = generated["settings"]["app_public_key"].as_str().unwrap();
        assert_eq!(public, private.public_key().to_base64());
        // The private key is nowhere in the database; the settings never show it again.
        let (stored,): (String,) = sqlx::query_as("SELECT app_public_key FROM isv_apps WHERE isv_workspace_id = $1")
            .bind(ws).fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(stored, public);
        let again = ok(&settings(&owner, ws).await).to_string();
        assert!(!again.contains(&bare(pkcs8)[..40]) && !again.contains(&bare(pkcs1)[..40]));
    }

    async fn members_see_the_settings_only_owners_and_admins_change_them(app) {
        let (owner, ws) = active_isv(&app, "owner@cloudleaf.example.com", "cloudleaf", "Cloudleaf").await;
        let developer = member(&app, &owner, ws, "dev@cloudleaf.example.com", "devon", "developer").await;
        let admin = member(&app, &owner, ws, "admin@cloudleaf.example.com", "adam", "admin").await;
        assert_eq!(ok(&settings(&developer, ws).await)["can_manage"], false);
        for refused in [
            set_gateway(&developer, ws, "https://api.cloudleaf.example.com/gw").await,
            set_key(&developer, ws, &PrivateKey::generate().public_key().to_base64()).await,
            developer.call(GENERATE, &[("workspace_id", &ws.to_string())]).await,
        ] {
            assert_eq!(error_fields(&refused), ["form"]);
        }
        assert_eq!(ok(&set_gateway(&admin, ws, "https://api.cloudleaf.example.com/gw").await)["can_manage"], true);

        // Sign-up codes are limited to 5 an hour per client address.
        app.state.clock.advance(60 * 60 * 1000 + 1);
        let (stranger, _) = active_isv(&app, "owner@other.example.com", "otherisv", "Other").await;
        assert_status(&settings(&stranger, ws).await, StatusCode::NOT_FOUND);
        assert_status(&set_gateway(&stranger, ws, "https://evil.example.com").await, StatusCode::NOT_FOUND);
        let visitor = app.browser();
        assert_status(&settings(&visitor, ws).await, StatusCode::UNAUTHORIZED);
        let (shop, shop_ws) = merchant(&app, "shop@noodles.example.com", "noodles", "enterprise").await;
        assert_status(&settings(&shop, shop_ws).await, StatusCode::FORBIDDEN);
        let (pending, pending_ws) = submitted_isv(&app, "owner@pending.example.com", "pendingisv", "Pending").await;
        assert_eq!(error_fields(&settings(&pending, pending_ws).await), ["form"]);
        assert_eq!(app.count("SELECT COUNT(*) FROM isv_apps").await, 1);
        assert_eq!(
            ok(&settings(&owner, ws).await)["gateway_url"],
            "https://api.cloudleaf.example.com/gw"
        );
    }
}
