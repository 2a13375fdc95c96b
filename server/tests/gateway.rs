//! `POST /gateway.do` through the real router, on SQLite and PostgreSQL, signed as Alipay's
//! SDKs sign: every method, every error path of the common parameters and the signature, the
//! answer's signature over the exact `_response` text, and the checks that an order or token
//! belongs to the calling app.

mod common;
mod open_fixtures;

use app::open::sign::{self, ContentRule, PrivateKey};
use axum::body::Body;
use axum::http::{header, Request};
use common::market::{active_isv, ok};
use common::{urlencode, TestApp};
use open_fixtures::{configure, isv, place, shop, Params};
use serde_json::{json, Value};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The ISV's side: its app id and private key.
struct Caller {
    app_id: String,
    key: PrivateKey,
}

/// The common parameters an SDK sends for `method`.
fn request(caller: &Caller, method: &str, biz: &Value, token: Option<&str>) -> Params {
    let mut params: Params = [
        ("app_id", caller.app_id.as_str()),
        ("method", method),
        ("format", "JSON"),
        ("charset", "utf-8"),
        ("sign_type", "RSA2"),
        ("timestamp", "2026-01-01 08:00:00"),
        ("version", "1.0"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    params.insert("biz_content".into(), biz.to_string());
    if let Some(token) = token {
        params.insert("app_auth_token".into(), token.to_owned());
    }
    params
}

fn signed(caller: &Caller, mut params: Params) -> Params {
    params.remove("sign");
    let signature = sign::sign_params(&params, &caller.key, ContentRule::V2);
    params.insert("sign".into(), signature);
    params
}

/// Posts like the Node SDK: `biz_content` in the form body, the rest in the query string.
async fn post(app: &TestApp, params: &Params) -> String {
    let encode = |pairs: Vec<(&String, &String)>| {
        pairs
            .into_iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&")
    };
    let (body, query): (Vec<_>, Vec<_>) = params.iter().partition(|(k, _)| *k == "biz_content");
    let request = Request::post(format!("/gateway.do?{}", encode(query)))
        .header(
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded;charset=utf-8",
        )
        .body(Body::from(encode(body)))
        .unwrap();
    let response = app.request(request).await;
    assert_eq!(response.status, 200, "{}", response.body);
    response.body
}

/// The answer's object under `key`, after checking the platform's signature over its exact
/// text in the body.
async fn answer(app: &TestApp, body: &str, key: &str) -> Value {
    let prefix = format!("{{\"{key}\":");
    assert!(body.starts_with(&prefix), "{body}");
    let sign_at = body.rfind(",\"sign\":\"").expect("a signed answer");
    let inner = &body[prefix.len()..sign_at];
    let signature = body[sign_at + 9..body.len() - 2].to_owned();
    let platform = app::open::keys::current(&app.state.db, app.state.clock.now())
        .await
        .unwrap();
    assert!(
        platform.key.public_key().verify(inner, &signature),
        "the answer's sign verifies"
    );
    serde_json::from_str(inner).unwrap()
}

async fn call(
    app: &TestApp,
    caller: &Caller,
    method: &str,
    biz: Value,
    token: Option<&str>,
) -> Value {
    let body = post(app, &signed(caller, request(caller, method, &biz, token))).await;
    answer(app, &body, &app::open::gateway::response_key(method)).await
}

fn assert_code(answer: &Value, code: &str, sub_code: &str) {
    assert_eq!(answer["code"], code, "{answer}");
    assert_eq!(answer["sub_code"], sub_code, "{answer}");
    assert!(!answer["sub_msg"].as_str().unwrap().is_empty());
}

fn assert_success(answer: &Value) {
    assert_eq!(answer["code"], "10000", "{answer}");
    assert_eq!(answer["msg"], "Success");
}

const QUERY: &str = "alipay.open.servicemarket.order.query";
const ACCEPT: &str = "alipay.open.servicemarket.order.accept";
const REJECT: &str = "alipay.open.servicemarket.order.reject";
const COMPLETE: &str = "alipay.open.servicemarket.order.item.complete";
const CANCEL: &str = "alipay.open.servicemarket.order.item.cancel";
const TOKEN: &str = "alipay.open.auth.token.app";
const TOKEN_QUERY: &str = "alipay.open.auth.token.app.query";
const UPLOAD: &str = "alipay.open.mini.version.upload";

async fn status_of(app: &TestApp, order_id: i64) -> (String, Option<String>) {
    sqlx::query_as("SELECT status, cancel_cause FROM orders WHERE id = $1")
        .bind(order_id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

async fn authorization(app: &TestApp, order_id: i64) -> (i64, String, String, String) {
    sqlx::query_as("SELECT id, app_auth_token, app_refresh_token, auth_code FROM authorizations WHERE order_id = $1")
        .bind(order_id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

on_both_databases! {
    async fn order_query_answers_the_order_signed_over_its_exact_text(app) {
        let isv = isv(&app).await;
        let (app_id, key) = configure(&isv, "https://api.cloudleaf.example.com/gw").await;
        let caller = Caller { app_id, key };
        let (shop, _, mini_program) = shop(&app, "2021000000000042").await;
        let (_, order_no) = place(&app, &shop, isv.free_service, mini_program).await;
        let answer = call(&app, &caller, QUERY, json!({ "commodity_order_id": order_no }), None).await;
        assert_success(&answer);
        assert_eq!(answer["commodity_id"], isv.free_service.to_string());
        assert_eq!(answer["total_size"], 1);
        assert_eq!(answer["current_page"], 1);
        assert!(answer.get("status").is_none());
        let item = &answer["order_items"][0];
        assert_eq!(item["order_status"], "DOING");
        assert_eq!(item["mini_app_id"], "2021000000000042");
        assert_eq!(item["mini_app_name"], "Noodle House");
        assert_eq!(item["merchant_name"], "Lucky Noodles");
        assert_eq!(item["phone_no"], "13800138000");
        assert_eq!(item["service_effect_date"], "2026-01-01 08:00:00");
        assert_eq!(item["service_expire_date"], "2026-01-31 08:00:00");
        let second_page = call(&app, &caller, QUERY, json!({ "commodity_order_id": order_no, "start_page": "2" }), None).await;
        assert_eq!(second_page["order_items"], json!([]));

        // The Java SDK's way: every parameter in the form body, empty values left out.
        let mut params = request(&caller, QUERY, &json!({ "commodity_order_id": order_no }), None);
        params.insert("notify_url".into(), String::new());
        let java_signature = sign::sign_params(&params, &caller.key, ContentRule { keep_sign_type: true, keep_empty: false });
        params.insert("sign".into(), java_signature);
        let body = params.iter().map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v))).collect::<Vec<_>>().join("&");
        let response = app.request(Request::post("/gateway.do")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body)).unwrap()).await;
        assert_success(&answer_of(&app, &response.body, QUERY).await);
    }

    async fn common_parameters_and_the_signature_are_checked_with_alipays_codes(app) {
        let isv = isv(&app).await;
        let (app_id, key) = configure(&isv, "https://api.cloudleaf.example.com/gw").await;
        let caller = Caller { app_id: app_id.clone(), key };
        let biz = json!({ "commodity_order_id": "202601010000000000000001" });
        let base = request(&caller, QUERY, &biz, None);

        let mut no_method = base.clone();
        no_method.remove("method");
        let body = post(&app, &signed(&caller, no_method)).await;
        assert_code(&answer(&app, &body, "error_response").await, "40001", "isv.missing-method");
        let body = post(&app, &signed(&caller, request(&caller, "alipay.trade.pay", &biz, None))).await;
        assert_code(&answer(&app, &body, "error_response").await, "40002", "isv.invalid-method");

        let cases: Vec<(&str, Option<&str>, &str, &str)> = vec![
            ("app_id", None, "40001", "isv.missing-app-id"),
            ("sign_type", None, "40001", "isv.missing-signature-type"),
            ("timestamp", None, "40001", "isv.missing-timestamp"),
            ("version", None, "40001", "isv.missing-version"),
            ("sign_type", Some("RSA"), "40002", "isv.invalid-signature-type"),
            ("timestamp", Some("2026/01/01 08:00"), "40002", "isv.invalid-timestamp"),
            ("charset", Some("GBK"), "40002", "isv.invalid-charset"),
            ("format", Some("XML"), "40002", "isv.invalid-format"),
            ("version", Some("2.0"), "40002", "isv.invalid-parameter"),
            ("app_id", Some("2021999999999999"), "40002", "isv.invalid-app-id"),
        ];
        for (name, value, code, sub_code) in cases {
            let mut params = base.clone();
            match value {
                Some(value) => params.insert(name.to_owned(), value.to_owned()),
                None => params.remove(name),
            };
            let body = post(&app, &signed(&caller, params)).await;
            assert_code(&answer(&app, &body, &app::open::gateway::response_key(QUERY)).await, code, sub_code);
        }
        // No sign at all; a signature by another key; a parameter changed after signing.
        let body = post(&app, &base).await;
        assert_code(&answer_of(&app, &body, QUERY).await, "40001", "isv.missing-signature");
        let stranger = Caller { app_id: app_id.clone(), key: PrivateKey::generate() };
        let body = post(&app, &signed(&stranger, base.clone())).await;
        assert_code(&answer_of(&app, &body, QUERY).await, "40002", "isv.invalid-signature");
        let mut tampered = signed(&caller, base.clone());
        tampered.insert("biz_content".into(), json!({ "commodity_order_id": "202601010000000000000002" }).to_string());
        let body = post(&app, &tampered).await;
        assert_code(&answer_of(&app, &body, QUERY).await, "40002", "isv.invalid-signature");

        // Business parameters.
        let mut bad_json = base.clone();
        bad_json.insert("biz_content".into(), "{not json".into());
        let body = post(&app, &signed(&caller, bad_json)).await;
        assert_code(&answer_of(&app, &body, QUERY).await, "40002", "isv.invalid-parameter");
        let missing = call(&app, &caller, QUERY, json!({}), None).await;
        assert_code(&missing, "40002", "isv.invalid-parameter");
        assert!(missing["sub_msg"].as_str().unwrap().contains("commodity_order_id"));
        assert_code(&call(&app, &caller, QUERY, biz.clone(), None).await, "40004", "ORDER_NOT_EXIST");

        // An app without a public key cannot be verified.
        sqlx::query("UPDATE isv_apps SET app_public_key = NULL WHERE app_id = $1")
            .bind(&app_id).execute(app.state.db.pool()).await.unwrap();
        let body = post(&app, &signed(&caller, base.clone())).await;
        assert_code(&answer_of(&app, &body, QUERY).await, "40002", "isv.missing-signature-key");
    }

    async fn accept_and_reject_move_new_orders_through_the_transition_table(app) {
        let isv = isv(&app).await;
        let (app_id, key) = configure(&isv, "https://api.cloudleaf.example.com/gw").await;
        let caller = Caller { app_id, key };
        let (shop, _, first_mp) = shop(&app, "2021000000000042").await;
        let second_mp = ok(&shop.call("/api/ordering/create_mini_program", &[("name", "Tea Shop"), ("app_id", "2021000000000043")]).await)["id"].as_i64().unwrap();
        let (first, first_no) = place(&app, &shop, isv.accept_service, first_mp).await;
        let (second, second_no) = place(&app, &shop, isv.accept_service, second_mp).await;
        let query = call(&app, &caller, QUERY, json!({ "commodity_order_id": first_no }), None).await;
        assert_eq!(query["status"], "MERCHANT_ORDED");
        assert_eq!(query["order_items"][0]["order_status"], "TO_DO");

        assert_success(&call(&app, &caller, ACCEPT, json!({ "commodity_order_id": first_no }), None).await);
        assert_eq!(status_of(&app, first).await.0, "pending_confirmation");
        assert_code(&call(&app, &caller, ACCEPT, json!({ "commodity_order_id": first_no }), None).await, "40004", "ORDER_STATUS_INVALID");

        let too_long = "很".repeat(257);
        assert_code(&call(&app, &caller, REJECT, json!({ "commodity_order_id": second_no, "reject_reason": too_long }), None).await, "40002", "isv.invalid-parameter");
        assert_eq!(status_of(&app, second).await.0, "new");
        assert_success(&call(&app, &caller, REJECT, json!({ "commodity_order_id": second_no, "reject_reason": "暂不支持该地区服务" }), None).await);
        assert_eq!(status_of(&app, second).await, ("canceled".into(), Some("isv_rejected".into())));
        let (actor, reason): (String, Option<String>) = sqlx::query_as(
            "SELECT actor_kind, reason FROM order_events WHERE order_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(second).fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!((actor.as_str(), reason.as_deref()), ("isv", Some("暂不支持该地区服务")));
        let query = call(&app, &caller, QUERY, json!({ "commodity_order_id": second_no }), None).await;
        assert_eq!(query["order_items"][0]["order_status"], "ISV_REJECTED");

        // Another ISV's app cannot see or move these orders.
        let (other_owner, other_ws) = active_isv(&app, "owner@other.example.com", "otherisv", "Other").await;
        let other_key = PrivateKey::generate();
        let other_settings = ok(&other_owner.call("/api/open/set_app_public_key", &[("workspace_id", &other_ws.to_string()), ("app_public_key", &other_key.public_key().to_base64())]).await);
        let other = Caller { app_id: other_settings["app_id"].as_str().unwrap().to_owned(), key: other_key };
        assert_code(&call(&app, &other, QUERY, json!({ "commodity_order_id": first_no }), None).await, "40004", "ORDER_NOT_EXIST");
        assert_code(&call(&app, &other, REJECT, json!({ "commodity_order_id": first_no }), None).await, "40004", "ORDER_NOT_EXIST");
        assert_eq!(status_of(&app, first).await.0, "pending_confirmation");
        // Accepting is not authorizing: the token comes when the order enters development.
        assert_eq!(app.count("SELECT COUNT(*) FROM authorizations").await, 0);
    }

    async fn upload_complete_and_cancel_implement_an_order_for_the_merchant(app) {
        let isv = isv(&app).await;
        let (app_id, key) = configure(&isv, "https://api.cloudleaf.example.com/gw").await;
        let caller = Caller { app_id, key };
        let (shop, _, mini_program) = shop(&app, "2021000000000042").await;
        let (order_id, order_no) = place(&app, &shop, isv.free_service, mini_program).await;
        let (_, token, _, _) = authorization(&app, order_id).await;
        let order = json!({ "commodity_order_id": order_no });

        assert_code(&call(&app, &caller, COMPLETE, order.clone(), None).await, "40004", "VERSION_NOT_EXIST");
        let upload = json!({ "template_id": "2021000000000001", "app_version": "1.0.2", "template_version": "0.0.1" });
        assert_code(&call(&app, &caller, UPLOAD, upload.clone(), None).await, "40006", "isv.self-invoke-forbidden");
        assert_code(&call(&app, &caller, UPLOAD, json!({ "app_version": "1.0.2" }), Some(&token)).await, "40002", "isv.invalid-parameter");
        assert_code(&call(&app, &caller, UPLOAD, json!({ "template_id": "x", "app_version": "1.2" }), Some(&token)).await, "40002", "isv.invalid-parameter");
        assert_success(&call(&app, &caller, UPLOAD, upload.clone(), Some(&token)).await);
        assert_code(&call(&app, &caller, UPLOAD, json!({ "template_id": "x", "app_version": "1.0.1" }), Some(&token)).await, "40004", "APP_VERSION_INVALID");
        let (version, built_by, status): (String, Option<i64>, String) = sqlx::query_as(
            "SELECT version, built_by_order_id, status FROM mini_program_versions WHERE mini_program_id = $1")
            .bind(mini_program).fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!((version.as_str(), built_by, status.as_str()), ("1.0.2", Some(order_id), "building"));

        let wrong_app = json!({ "commodity_order_id": order_no, "mini_app_id": "2021000000000099" });
        assert_code(&call(&app, &caller, COMPLETE, wrong_app, None).await, "40004", "MINI_APP_NOT_MATCH");
        let complete = json!({ "commodity_order_id": order_no, "mini_app_id": "2021000000000042" });
        assert_success(&call(&app, &caller, COMPLETE, complete.clone(), Some(&token)).await);
        let (audit_pending, status): (i64, String) = sqlx::query_as(
            "SELECT o.audit_pending, v.status FROM orders o JOIN mini_program_versions v ON v.id = o.submitted_version_id WHERE o.id = $1")
            .bind(order_id).fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!((audit_pending, status.as_str()), (1, "auditing"));
        assert_code(&call(&app, &caller, COMPLETE, complete, None).await, "40004", "ORDER_STATUS_INVALID");

        assert_success(&call(&app, &caller, CANCEL, json!({ "commodity_order_id": order_no, "cancel_reason": "该门店暂无法实施完成" }), None).await);
        assert_eq!(status_of(&app, order_id).await, ("canceled".into(), Some("isv_cancelled".into())));
        let query = call(&app, &caller, QUERY, order, None).await;
        assert_eq!(query["order_items"][0]["order_status"], "ISV_CANCELLED");
    }

    async fn tokens_are_exchanged_once_refreshed_queried_and_refused_once_cancelled(app) {
        let isv = isv(&app).await;
        let (app_id, key) = configure(&isv, "https://api.cloudleaf.example.com/gw").await;
        let caller = Caller { app_id, key };
        let (shop, _, mini_program) = shop(&app, "2021000000000042").await;
        let (order_id, _) = place(&app, &shop, isv.free_service, mini_program).await;
        let (authorization_id, token, refresh_token, code) = authorization(&app, order_id).await;

        assert_code(&call(&app, &caller, TOKEN, json!({ "grant_type": "password" }), None).await, "40004", "GRANT_TYPE_INVALID");
        assert_code(&call(&app, &caller, TOKEN, json!({ "grant_type": "authorization_code" }), None).await, "40002", "isv.invalid-parameter");
        assert_code(&call(&app, &caller, TOKEN, json!({ "grant_type": "authorization_code", "code": "nope" }), None).await, "40004", "AUTH_CODE_NOT_EXIST");
        let exchanged = call(&app, &caller, TOKEN, json!({ "grant_type": "authorization_code", "code": code }), None).await;
        assert_success(&exchanged);
        assert_eq!(exchanged["app_auth_token"], token);
        assert_eq!(exchanged["app_refresh_token"], refresh_token);
        assert_eq!(exchanged["auth_app_id"], "2021000000000042");
        assert_eq!(exchanged["expires_in"], (365 * 86_400).to_string());
        assert_eq!(exchanged["re_expires_in"], (372 * 86_400).to_string());
        assert_eq!(exchanged["tokens"][0]["app_auth_token"], token);
        assert!(exchanged["user_id"].as_str().unwrap().starts_with("2088"));
        assert_code(&call(&app, &caller, TOKEN, json!({ "grant_type": "authorization_code", "code": code }), None).await, "40004", "AUTH_CODE_NOT_VALID");

        let queried = call(&app, &caller, TOKEN_QUERY, json!({ "app_auth_token": token }), None).await;
        assert_success(&queried);
        assert_eq!(queried["status"], "valid");
        assert_eq!(queried["auth_start"], "2026-01-01 08:00:00");
        assert_eq!(queried["auth_app_id"], "2021000000000042");

        app.state.clock.advance(DAY_MS);
        let refreshed = call(&app, &caller, TOKEN, json!({ "grant_type": "refresh_token", "refresh_token": refresh_token }), None).await;
        assert_success(&refreshed);
        let new_token = refreshed["app_auth_token"].as_str().unwrap().to_owned();
        assert_ne!(new_token, token);
        assert_code(&call(&app, &caller, TOKEN, json!({ "grant_type": "refresh_token", "refresh_token": refresh_token }), None).await, "40004", "REFRESH_TOKEN_NOT_EXIST");
        let upload = json!({ "template_id": "2021000000000001", "app_version": "1.0.0" });
        assert_code(&call(&app, &caller, UPLOAD, upload.clone(), Some(&token)).await, "20001", "aop.invalid-app-auth-token");
        assert_success(&call(&app, &caller, UPLOAD, upload, Some(&new_token)).await);

        // The merchant cancels the authorization: the token is refused and reads invalid.
        let mut tx = app.state.db.pool().begin().await.unwrap();
        app::open::notify::cancel_authorization(&mut tx, authorization_id, app.state.clock.now()).await.unwrap();
        tx.commit().await.unwrap();
        let upload = json!({ "template_id": "2021000000000001", "app_version": "1.0.1" });
        assert_code(&call(&app, &caller, UPLOAD, upload, Some(&new_token)).await, "20001", "aop.invalid-app-auth-token");
        assert_eq!(call(&app, &caller, TOKEN_QUERY, json!({ "app_auth_token": new_token }), None).await["status"], "invalid");
        let new_refresh = refreshed["app_refresh_token"].as_str().unwrap();
        assert_code(&call(&app, &caller, TOKEN, json!({ "grant_type": "refresh_token", "refresh_token": new_refresh }), None).await, "40004", "REFRESH_TOKEN_NOT_VALID");
        assert_code(&call(&app, &caller, TOKEN_QUERY, json!({ "app_auth_token": "nope" }), None).await, "20001", "aop.invalid-app-auth-token");
    }

    async fn an_authorization_code_expires_after_24_hours_and_tokens_are_per_app(app) {
        let isv = isv(&app).await;
        let (app_id, key) = configure(&isv, "https://api.cloudleaf.example.com/gw").await;
        let caller = Caller { app_id, key };
        let (shop, _, mini_program) = shop(&app, "2021000000000042").await;
        let (order_id, order_no) = place(&app, &shop, isv.free_service, mini_program).await;
        let (_, token, _, code) = authorization(&app, order_id).await;

        let (other_owner, other_ws) = active_isv(&app, "owner@other.example.com", "otherisv", "Other").await;
        let other_key = PrivateKey::generate();
        let settings = ok(&other_owner.call("/api/open/set_app_public_key", &[("workspace_id", &other_ws.to_string()), ("app_public_key", &other_key.public_key().to_base64())]).await);
        let other = Caller { app_id: settings["app_id"].as_str().unwrap().to_owned(), key: other_key };
        assert_code(&call(&app, &other, TOKEN, json!({ "grant_type": "authorization_code", "code": code }), None).await, "40004", "AUTH_CODE_NOT_EXIST");
        assert_code(&call(&app, &other, TOKEN_QUERY, json!({ "app_auth_token": token }), None).await, "20001", "aop.invalid-app-auth-token");
        assert_code(&call(&app, &other, QUERY, json!({ "commodity_order_id": order_no }), Some(&token)).await, "20001", "aop.invalid-app-auth-token");

        app.state.clock.advance(DAY_MS + 1);
        assert_code(&call(&app, &caller, TOKEN, json!({ "grant_type": "authorization_code", "code": code }), None).await, "40004", "AUTH_CODE_NOT_VALID");
    }
}

async fn answer_of(app: &TestApp, body: &str, method: &str) -> Value {
    answer(app, body, &app::open::gateway::response_key(method)).await
}
