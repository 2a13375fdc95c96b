//! Merchant ordering through the real router, on SQLite and PostgreSQL: mini programs, every
//! rule of the order page (PRODUCT.md §2, seed 001 §3), the status an order starts in with
//! its deadline, timeline and entry effects, the cashier, 我的服务 with 进入服务 and the renewal
//! rules — and the refusal of every function to the wrong caller, with bad input changing
//! nothing.

mod common;

use app::domain::{Action, Actor};
use app::ordering::lifecycle::{self, By, Details};
use axum::http::StatusCode;
use common::market::{
    active_isv, assert_conflict, assert_status, count, merchant, ok, online_service, service_input,
    sign_in_again, DAY_MS,
};
use common::{error_fields, error_message, new_account, Browser, TestApp, TestResponse};
use serde_json::{json, Value};

const MINI_PROGRAMS: &str = "/api/ordering/mini_programs";
const CREATE_MINI_PROGRAM: &str = "/api/ordering/create_mini_program";
const ORDER_PAGE: &str = "/api/ordering/order_page";
const PLACE: &str = "/api/ordering/place_order";
const CASHIER: &str = "/api/ordering/cashier";
const PAY: &str = "/api/ordering/pay";
const MY_SERVICES: &str = "/api/ordering/my_services";
const UPGRADE: &str = "/api/onboarding/upgrade_individual_business";
const RENEWAL_CAP: &str = "该服务您的剩余有效期超过365天，暂时不能续订";

/// A merchant's new mini program; its id.
async fn mini_program(browser: &Browser<'_>, name: &str, app_id: &str) -> i64 {
    let created = ok(&browser
        .call(CREATE_MINI_PROGRAM, &[("name", name), ("app_id", app_id)])
        .await);
    created["id"].as_i64().unwrap()
}

/// The live plans of a service: (id, period days).
async fn plans(app: &TestApp, service_id: i64) -> Vec<(i64, i64)> {
    sqlx::query_as(
        "SELECT id, period_days FROM service_plans WHERE service_id = $1 \
         AND retired_at IS NULL ORDER BY sort_order, id",
    )
    .bind(service_id)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap()
}

/// The id of the service's plan with this period.
async fn plan(app: &TestApp, service_id: i64, period_days: i64) -> i64 {
    plans(app, service_id)
        .await
        .into_iter()
        .find(|(_, days)| *days == period_days)
        .unwrap_or_else(|| panic!("no {period_days}-day plan"))
        .0
}

fn order_input(service_id: i64, plan_id: i64, mini_program_id: i64) -> Value {
    json!({
        "service_id": service_id,
        "plan_id": plan_id,
        "mini_program_id": mini_program_id,
        "terminals": [],
        "contact_name": "Wang Fang",
        "contact_mobile": "138 0013 8000",
        "agree_to_agreement": true,
        "acknowledge_overwrite": false
    })
}

async fn place(browser: &Browser<'_>, input: &Value) -> TestResponse {
    browser.call_json(PLACE, &json!({ "input": input })).await
}

async fn order_page(browser: &Browser<'_>, service_id: i64, plan_id: i64) -> Value {
    ok(&browser
        .call(
            ORDER_PAGE,
            &[
                ("service_id", &service_id.to_string()),
                ("plan_id", &plan_id.to_string()),
            ],
        )
        .await)
}

/// The order page's entry for a mini program, or `None` when it is not listed.
fn option(page: &Value, mini_program_id: i64) -> Option<Value> {
    page["mini_programs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|option| option["id"] == mini_program_id)
        .cloned()
}

/// A version of a mini program, built for an order (as the ISV's upload will record it);
/// its id.
async fn add_version(
    app: &TestApp,
    mini_program_id: i64,
    order_id: Option<i64>,
    status: &str,
) -> i64 {
    let now = app.state.clock.now();
    let online_at = (status == "online").then_some(now);
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO mini_program_versions (mini_program_id, version, built_by_order_id, \
             status, online_at, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(mini_program_id)
    .bind(format!("0.0.{}", now % 100_000))
    .bind(order_id)
    .bind(status)
    .bind(online_at)
    .bind(now)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    id
}

/// Moves an order by one row of the transition table, as the ISV's, the platform's or the
/// merchant's later steps will (those pages and the gateway are other issues' work).
async fn act(app: &TestApp, order_id: i64, action: Action, actor: Actor, version: Option<i64>) {
    let pool = app.state.db.pool();
    let order = app::ordering::data::order(pool, order_id)
        .await
        .unwrap()
        .unwrap();
    let outcome = app::domain::apply_action(order.status(), action, actor, &order.facts(false))
        .unwrap_or_else(|refusal| panic!("{action} by {actor}: {refusal}"));
    let mut tx = pool.begin().await.unwrap();
    let by = By {
        actor,
        account_id: None,
    };
    let details = Details {
        reason: None,
        submitted_version_id: version,
    };
    let moved = lifecycle::apply(
        &mut tx,
        &order,
        &outcome,
        by,
        &details,
        app.state.clock.now(),
    )
    .await
    .unwrap();
    assert!(moved);
    tx.commit().await.unwrap();
}

async fn order_id(app: &TestApp, order_no: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM orders WHERE order_no = $1")
        .bind(order_no)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    id
}

/// An ISV with an Online service made of `input`; the ISV's browser and the service id.
async fn isv_with_service<'a>(app: &'a TestApp, input: &Value) -> (Browser<'a>, i64) {
    let (owner, ws) = active_isv(app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
    let id = online_service(app, &owner, ws, input).await;
    (owner, id)
}

/// A free service (one 30-day plan at 0) that needs no acceptance.
fn free_service() -> Value {
    let mut input = service_input("Membership points");
    input["plans"] = json!([{ "period_days": "30", "price": "0" }]);
    input
}

fn no_str(value: &Value) -> &str {
    value.as_str().unwrap()
}

on_both_databases! {
    // ---- mini programs ----

    async fn a_merchant_creates_a_mini_program_with_a_16_digit_app_id_starting_2021(app) {
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let created = ok(&shop.call(CREATE_MINI_PROGRAM, &[("name", " Lucky  Noodles "), ("app_id", "2021004100000001")]).await);
        assert_eq!(created["name"], "Lucky Noodles");
        assert_eq!(created["app_id"], "2021004100000001");
        assert_eq!(created["versions"], json!([]));
        // Left empty, the platform assigns one.
        let generated = ok(&shop.call(CREATE_MINI_PROGRAM, &[("name", "Second shop")]).await);
        let app_id = no_str(&generated["app_id"]).to_owned();
        assert!(app_id.len() == 16 && app_id.starts_with("2021") && app_id.bytes().all(|b| b.is_ascii_digit()), "{app_id}");
        let list = ok(&shop.call(MINI_PROGRAMS, &[]).await);
        let names: Vec<&str> = list.as_array().unwrap().iter().map(|p| no_str(&p["name"])).collect();
        assert_eq!(names, ["Second shop", "Lucky Noodles"]);
    }

    async fn bad_or_taken_app_ids_are_refused_and_change_nothing(app) {
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let response = shop.call(CREATE_MINI_PROGRAM, &[("name", " "), ("app_id", "2019000000000001")]).await;
        assert_eq!(error_fields(&response), ["name", "app_id"]);
        assert_eq!(error_message(&response, "app_id"), "App ID must start with 2021.");
        let response = shop.call(CREATE_MINI_PROGRAM, &[("name", "X"), ("app_id", "202100410000000")]).await;
        assert_eq!(error_message(&response, "app_id"), "App ID must be exactly 16 digits.");
        mini_program(&shop, "First", "2021004100000001").await;
        let (other, _) = merchant(&app, "other@example.com", "other", "enterprise").await;
        let response = other.call(CREATE_MINI_PROGRAM, &[("name", "Copy"), ("app_id", "2021004100000001")]).await;
        assert_eq!(error_message(&response, "app_id"), "This App ID belongs to another mini program.");
        assert_eq!(count(&app, "mini_programs").await, 1);
    }

    async fn mini_programs_list_their_built_versions(app) {
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        add_version(&app, id, None, "online").await;
        app.state.clock.advance(1000);
        add_version(&app, id, None, "building").await;
        let list = ok(&shop.call(MINI_PROGRAMS, &[]).await);
        let statuses: Vec<&str> = list[0]["versions"].as_array().unwrap().iter().map(|v| no_str(&v["status"])).collect();
        assert_eq!(statuses, ["building", "online"]);
        // Another merchant sees none of them.
        let (other, _) = merchant(&app, "other@example.com", "other", "enterprise").await;
        assert_eq!(ok(&other.call(MINI_PROGRAMS, &[]).await), json!([]));
    }

    async fn ordering_functions_refuse_visitors_isvs_and_merchants_before_onboarding(app) {
        let (isv, service) = isv_with_service(&app, &free_service()).await;
        let anonymous = app.browser();
        let not_onboarded = new_account(&app, "new@example.com", "newshop", Some("merchant")).await;
        let page = [("service_id", service.to_string())];
        let page: Vec<(&str, &str)> = page.iter().map(|(k, v)| (*k, v.as_str())).collect();
        for (browser, status) in [(&anonymous, StatusCode::UNAUTHORIZED), (&isv, StatusCode::FORBIDDEN)] {
            assert_status(&browser.call(MINI_PROGRAMS, &[]).await, status);
            assert_status(&browser.call(CREATE_MINI_PROGRAM, &[("name", "X")]).await, status);
            assert_status(&browser.call(ORDER_PAGE, &page).await, status);
            assert_status(&place(browser, &order_input(service, 1, 1)).await, status);
            assert_status(&browser.call(CASHIER, &[("order_no", "202601010000000000000001")]).await, status);
            assert_status(&browser.call(PAY, &[("order_no", "202601010000000000000001")]).await, status);
            assert_status(&browser.call(MY_SERVICES, &[]).await, status);
        }
        let response = not_onboarded.call(ORDER_PAGE, &page).await;
        assert_eq!(error_message(&response, "merchant"),
            "Complete merchant onboarding (merchant name, identity type and certification) before ordering.");
        assert_eq!(error_fields(&not_onboarded.call(CREATE_MINI_PROGRAM, &[("name", "X")]).await), ["merchant"]);
        assert_eq!(count(&app, "mini_programs").await, 0);
        assert_eq!(count(&app, "orders").await, 0);
    }

    // ---- the order page ----

    async fn the_order_page_shows_the_service_its_terminals_and_the_merchants_mini_programs(app) {
        let mut input = service_input("Restaurant ordering");
        input["terminals"] = json!(["alipay", "amap"]);
        let (_, service) = isv_with_service(&app, &input).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let first = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        let year = plan(&app, service, 365).await;
        let page = order_page(&shop, service, year).await;
        assert_eq!(page["service"]["name"], "Restaurant ordering");
        assert_eq!(page["selected_plan_id"], year);
        assert_eq!(page["terminals"], json!(["alipay", "amap"]));
        assert_eq!(page["choose_terminals"], true);
        assert_eq!(page["identity"]["fits"], true);
        assert_eq!(page["agreement_path"], "/terms");
        let listed = option(&page, first).unwrap();
        assert_eq!(listed["availability"], json!({ "kind": "selectable" }));
        assert_eq!(listed["overwrite_warning"], Value::Null);
        // Without a plan the first one is chosen; a mini program can be preselected.
        let page = ok(&shop.call(ORDER_PAGE, &[("service_id", &service.to_string()), ("mini_program_id", &first.to_string())]).await);
        assert_eq!(page["selected_plan_id"], plan(&app, service, 30).await);
        assert_eq!(page["preselected_mini_program_id"], first);
    }

    async fn a_mini_program_in_another_services_open_order_flow_is_disabled_with_the_reason(app) {
        let (owner, ws) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let mut priced = service_input("Restaurant ordering");
        priced["plans"] = json!([{ "period_days": "30", "price": "99" }]);
        let first_service = online_service(&app, &owner, ws, &priced).await;
        let second_service = online_service(&app, &owner, ws, &free_service()).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let busy = mini_program(&shop, "Busy", "2021004100000001").await;
        let free = mini_program(&shop, "Free", "2021004100000002").await;
        let month = plan(&app, first_service, 30).await;
        let placed = ok(&place(&shop, &order_input(first_service, month, busy)).await);
        assert_eq!(placed["order"]["status"], "awaiting_payment");

        let second_plan = plan(&app, second_service, 30).await;
        let page = order_page(&shop, second_service, second_plan).await;
        let disabled = option(&page, busy).unwrap();
        assert_eq!(disabled["availability"]["kind"], "disabled");
        assert_eq!(disabled["availability"]["reason"]["en"],
            "This mini program is in the order flow of another service (Restaurant ordering). Finish or cancel that order first.");
        assert_eq!(disabled["availability"]["reason"]["zh"],
            "该小程序正在其他服务（Restaurant ordering）的订购流程中，请先完成或取消该订单。");
        assert_eq!(option(&page, free).unwrap()["availability"]["kind"], "selectable");
        // The server refuses it too, and stores nothing.
        let refused = place(&shop, &order_input(second_service, second_plan, busy)).await;
        assert_eq!(error_fields(&refused), ["mini_program_id"]);
        // The same service again is refused while the first order awaits payment.
        let again = place(&shop, &order_input(first_service, month, busy)).await;
        assert_eq!(error_message(&again, "mini_program_id"),
            "This mini program already has an order of this service that is Awaiting Payment.");
        assert_eq!(count(&app, "orders").await, 1);
    }

    async fn a_mini_program_authorized_to_another_isv_is_not_shown_and_cannot_order(app) {
        let (_, theirs) = isv_with_service(&app, &free_service()).await;
        let (other_isv, other_ws) = active_isv(&app, "li@bluebridge.example.com", "lilei", "Bluebridge").await;
        let ours = online_service(&app, &other_isv, other_ws, &free_service()).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let taken = mini_program(&shop, "Taken", "2021004100000001").await;
        // Ordering the first ISV's free service authorizes it for the mini program.
        let placed = ok(&place(&shop, &order_input(theirs, plan(&app, theirs, 30).await, taken)).await);
        assert_eq!(placed["order"]["status"], "in_development");

        let page = order_page(&shop, ours, plan(&app, ours, 30).await).await;
        assert!(option(&page, taken).is_none(), "{page}");
        let refused = place(&shop, &order_input(ours, plan(&app, ours, 30).await, taken)).await;
        assert_eq!(error_message(&refused, "mini_program_id"),
            "This mini program is authorized to another service provider, so it cannot order this service.");
        // The ISV it is authorized to still sees it.
        let page = order_page(&shop, theirs, plan(&app, theirs, 30).await).await;
        assert!(option(&page, taken).is_some());
        assert_eq!(count(&app, "orders").await, 1);
    }

    async fn a_period_beyond_the_maximum_order_period_disables_the_mini_program(app) {
        let mut input = free_service();
        input["plans"] = json!([{ "period_days": "30", "price": "0" }, { "period_days": "60", "price": "0" }]);
        input["max_order_period_days"] = json!("60");
        let (_, service) = isv_with_service(&app, &input).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        let month = plan(&app, service, 30).await;
        let two_months = plan(&app, service, 60).await;
        let first = ok(&place(&shop, &order_input(service, month, id)).await);
        assert_eq!(first["order"]["status"], "in_development");
        // 30 days left: another 30 fit within 60, another 60 do not.
        let page = order_page(&shop, service, two_months).await;
        assert_eq!(option(&page, id).unwrap()["availability"]["reason"]["en"],
            "The selected period would exceed this service's maximum order period of 60 days.");
        let refused = place(&shop, &order_input(service, two_months, id)).await;
        assert_eq!(error_fields(&refused), ["mini_program_id"]);
        let page = order_page(&shop, service, month).await;
        assert_eq!(option(&page, id).unwrap()["availability"]["kind"], "selectable");
    }

    async fn a_mini_program_with_built_versions_needs_the_overwrite_acknowledgement(app) {
        let (_, service) = isv_with_service(&app, &free_service()).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        add_version(&app, id, None, "online").await;
        let month = plan(&app, service, 30).await;
        let page = order_page(&shop, service, month).await;
        let listed = option(&page, id).unwrap();
        assert_eq!(listed["availability"]["kind"], "selectable");
        assert!(no_str(&listed["overwrite_warning"]["en"]).starts_with("High risk: this mini program already has built versions."));
        assert!(no_str(&listed["overwrite_warning"]["zh"]).contains("原来的数据将丢失"));

        let refused = place(&shop, &order_input(service, month, id)).await;
        assert_eq!(error_fields(&refused), ["acknowledge_overwrite"]);
        assert_eq!(count(&app, "orders").await, 0);
        let mut input = order_input(service, month, id);
        input["acknowledge_overwrite"] = json!(true);
        ok(&place(&shop, &input).await);
    }

    async fn terminals_must_be_a_non_empty_subset_of_the_services_terminals(app) {
        let mut input = free_service();
        input["terminals"] = json!(["alipay", "amap"]);
        let (_, service) = isv_with_service(&app, &input).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        let month = plan(&app, service, 30).await;
        let order = order_input(service, month, id);
        assert_eq!(error_message(&place(&shop, &order).await, "terminals"), "Choose at least one publishing terminal.");
        let mut taobao = order.clone();
        taobao["terminals"] = json!(["alipay", "taobao"]);
        assert_eq!(error_message(&place(&shop, &taobao).await, "terminals"),
            "Choose only publishing terminals this service supports.");
        assert_eq!(count(&app, "orders").await, 0);
        let mut good = order.clone();
        good["terminals"] = json!(["amap", "alipay"]);
        assert_eq!(ok(&place(&shop, &good).await)["order"]["terminals"], json!(["alipay", "amap"]));
    }

    async fn a_service_with_one_terminal_orders_it_without_asking(app) {
        let (_, service) = isv_with_service(&app, &free_service()).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        let month = plan(&app, service, 30).await;
        assert_eq!(order_page(&shop, service, month).await["choose_terminals"], false);
        assert_eq!(ok(&place(&shop, &order_input(service, month, id)).await)["order"]["terminals"], json!(["alipay"]));
    }

    async fn the_plan_must_belong_to_the_service(app) {
        let (owner, ws) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let service = online_service(&app, &owner, ws, &free_service()).await;
        let other = online_service(&app, &owner, ws, &free_service()).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        let foreign_plan = plan(&app, other, 30).await;
        let refused = place(&shop, &order_input(service, foreign_plan, id)).await;
        assert_eq!(error_message(&refused, "plan_id"), "Choose one of this service's plans.");
        assert_eq!(count(&app, "orders").await, 0);
    }

    async fn contact_name_and_a_mainland_mobile_number_are_required(app) {
        let (_, service) = isv_with_service(&app, &free_service()).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        let mut input = order_input(service, plan(&app, service, 30).await, id);
        input["contact_name"] = json!("  ");
        input["contact_mobile"] = json!("12345");
        let refused = place(&shop, &input).await;
        assert_eq!(error_fields(&refused), ["contact_name", "contact_mobile"]);
        assert_eq!(error_message(&refused, "contact_mobile"),
            "Enter a mainland China mobile number: 11 digits starting with 1, like 13800138000.");
        assert_eq!(count(&app, "orders").await, 0);
        input["contact_name"] = json!("Wang Fang");
        input["contact_mobile"] = json!("+86 139-0013-9000");
        assert_eq!(ok(&place(&shop, &input).await)["order"]["contact_mobile"], "13900139000");
    }

    async fn the_agreement_must_be_accepted(app) {
        let (_, service) = isv_with_service(&app, &free_service()).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        let mut input = order_input(service, plan(&app, service, 30).await, id);
        input["agree_to_agreement"] = json!(false);
        let refused = place(&shop, &input).await;
        assert_eq!(error_message(&refused, "agree_to_agreement"), "Read and agree to the service agreement to order.");
        assert_eq!(count(&app, "orders").await, 0);
        assert_eq!(count(&app, "authorizations").await, 0);
    }

    async fn a_restricted_service_refuses_the_wrong_identity_and_leads_to_certification(app) {
        let mut input = free_service();
        input["subscriber_restriction"] = json!(["enterprise", "individual_business"]);
        let (_, service) = isv_with_service(&app, &input).await;
        let (person, _) = merchant(&app, "person@example.com", "person", "individual").await;
        let id = mini_program(&person, "My shop", "2021004100000001").await;
        let month = plan(&app, service, 30).await;
        let page = order_page(&person, service, month).await;
        let identity = &page["identity"];
        assert_eq!(identity["fits"], false);
        assert_eq!(identity["identity_type"], "individual");
        assert_eq!(identity["allowed"], json!(["enterprise", "individual_business"]));
        assert_eq!(identity["can_upgrade_to_individual_business"], true);
        assert_eq!(identity["certification_path"], format!("/onboarding/merchant?return_to=/market/services/{service}/order"));
        let refused = place(&person, &order_input(service, month, id)).await;
        assert_eq!(error_fields(&refused), ["subscriber_restriction"]);
        assert!(error_message(&refused, "subscriber_restriction").starts_with(
            "This service is only for enterprise or individual business. As an individual, upgrade to individual business"));
        assert_eq!(count(&app, "orders").await, 0);

        // The individual upgrades with its business license, and comes back to the order.
        let bad = person.call(UPGRADE, &[("certified_name", ""), ("certificate_number", "123")]).await;
        assert_eq!(error_fields(&bad), ["certified_name", "certificate_number"]);
        let upgraded = ok(&person.call(UPGRADE, &[
            ("certified_name", "Hangzhou Lucky Noodles Shop"),
            ("certificate_number", common::market::CREDIT_CODE),
        ]).await);
        assert_eq!(upgraded["merchant"]["identity_type"], "individual_business");
        assert_eq!(order_page(&person, service, month).await["identity"]["fits"], true);
        ok(&place(&person, &order_input(service, month, id)).await);
        // Only an individual upgrades.
        let again = person.call(UPGRADE, &[("certified_name", "X"), ("certificate_number", common::market::CREDIT_CODE)]).await;
        assert_eq!(error_message(&again, "form"), "Only an individual can upgrade to individual business.");
    }

    async fn an_enterprise_only_service_refuses_an_individual_business_without_an_upgrade_path(app) {
        let mut input = free_service();
        input["subscriber_restriction"] = json!(["enterprise"]);
        let (_, service) = isv_with_service(&app, &input).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "individual_business").await;
        let id = mini_program(&shop, "My shop", "2021004100000001").await;
        let month = plan(&app, service, 30).await;
        let identity = order_page(&shop, service, month).await["identity"].clone();
        assert_eq!(identity["fits"], false);
        assert_eq!(identity["can_upgrade_to_individual_business"], false);
        assert_eq!(identity["message"]["en"],
            "This service is only for enterprise. Certify an account of that type, then come back to this order.");
        assert_eq!(error_fields(&place(&shop, &order_input(service, month, id)).await), ["subscriber_restriction"]);
    }

    // ---- placing: the status the table gives, deadlines, timeline, entry effects ----

    async fn a_free_order_without_acceptance_goes_into_development_with_its_period_and_authorization(app) {
        let (_, service) = isv_with_service(&app, &free_service()).await;
        let (shop, shop_ws) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        let placed = ok(&place(&shop, &order_input(service, plan(&app, service, 30).await, id)).await);
        let order = &placed["order"];
        assert_eq!(placed["next"], json!({ "kind": "in_development" }));
        assert_eq!(order["status"], "in_development");
        assert_eq!(order["amount"], "0.00");
        assert_eq!(order["service_start_at"], common::TEST_START);
        assert_eq!(order["service_end_at"], common::TEST_START + 30 * DAY_MS);
        assert_eq!(order["isv_name"], "Cloudleaf");
        let order_id = order_id(&app, no_str(&order["order_no"])).await;

        let (isv_ws, token, code, expires_at): (i64, String, String, i64) = sqlx::query_as(
            "SELECT isv_workspace_id, app_auth_token, auth_code, expires_at FROM authorizations \
             WHERE order_id = $1 AND mini_program_id = $2 AND merchant_workspace_id = $3")
            .bind(order_id).bind(id).bind(shop_ws)
            .fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(token.len(), 40);
        assert_eq!(&token[..8], "202601BB");
        assert_eq!(code.len(), 32);
        assert_eq!(expires_at, common::TEST_START + 365 * DAY_MS);
        let (service_isv,): (i64,) = sqlx::query_as("SELECT isv_workspace_id FROM services WHERE id = $1")
            .bind(service).fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(isv_ws, service_isv);

        let events: Vec<(String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT actor_kind, action, from_status, to_status FROM order_events WHERE order_id = $1")
            .bind(order_id).fetch_all(app.state.db.pool()).await.unwrap();
        assert_eq!(events, [("merchant".into(), "place_order".into(), None, "in_development".into())]);
        let deadlines: Vec<(String, i64)> = sqlx::query_as(
            "SELECT timer, due_at FROM deadlines WHERE order_id = $1 AND fired_at IS NULL AND canceled_at IS NULL")
            .bind(order_id).fetch_all(app.state.db.pool()).await.unwrap();
        assert_eq!(deadlines, [("development_timeout".into(), common::TEST_START + 30 * DAY_MS)]);
        let (since,): (Option<i64>,) = sqlx::query_as("SELECT in_development_since FROM orders WHERE id = $1")
            .bind(order_id).fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(since, Some(common::TEST_START));
    }

    async fn an_order_of_a_service_that_needs_acceptance_starts_as_a_new_order(app) {
        let mut input = service_input("Custom development");
        input["needs_acceptance"] = json!(true);
        let (_, service) = isv_with_service(&app, &input).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        let placed = ok(&place(&shop, &order_input(service, plan(&app, service, 365).await, id)).await);
        assert_eq!(placed["order"]["status"], "new");
        assert_eq!(placed["next"], json!({ "kind": "await_acceptance" }));
        assert_eq!(placed["order"]["service_start_at"], Value::Null);
        assert_eq!(count(&app, "deadlines").await, 0);
        assert_eq!(count(&app, "authorizations").await, 0);
        assert_eq!(count(&app, "order_events").await, 1);
    }

    async fn a_priced_order_goes_to_the_cashier_with_its_three_day_unpaid_deadline(app) {
        let (_, service) = isv_with_service(&app, &service_input("Restaurant ordering")).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        let placed = ok(&place(&shop, &order_input(service, plan(&app, service, 365).await, id)).await);
        let order_no = no_str(&placed["order"]["order_no"]).to_owned();
        assert_eq!(placed["order"]["status"], "awaiting_payment");
        assert_eq!(placed["order"]["amount"], "1999.00");
        assert_eq!(placed["next"], json!({
            "kind": "cashier",
            "path": format!("/cashier/{order_no}"),
            "pay_by": common::TEST_START + 3 * DAY_MS
        }));
        let deadlines: Vec<(String, i64)> = sqlx::query_as("SELECT timer, due_at FROM deadlines")
            .fetch_all(app.state.db.pool()).await.unwrap();
        assert_eq!(deadlines, [("unpaid_timeout".into(), common::TEST_START + 3 * DAY_MS)]);
        assert_eq!(count(&app, "authorizations").await, 0);

        // Leaving it unpaid keeps the deadline; the cashier shows it.
        let cashier = ok(&shop.call(CASHIER, &[("order_no", &order_no)]).await);
        assert_eq!(cashier["payable"], true);
        assert_eq!(cashier["pay_by"], common::TEST_START + 3 * DAY_MS);
        assert_eq!(cashier["order"]["order_no"], order_no);
    }

    async fn paying_at_the_cashier_moves_the_order_into_development_once_even_when_clicked_twice(app) {
        let (_, service) = isv_with_service(&app, &service_input("Restaurant ordering")).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        let placed = ok(&place(&shop, &order_input(service, plan(&app, service, 365).await, id)).await);
        let order_no = no_str(&placed["order"]["order_no"]).to_owned();
        app.state.clock.advance(DAY_MS);
        let form = [("order_no", order_no.as_str())];
        let (first, second) = tokio::join!(shop.call(PAY, &form), shop.call(PAY, &form));
        let (first, second) = (ok(&first), ok(&second));
        assert_eq!(first["order"]["status"], "in_development");
        assert_eq!(second["order"]["status"], "in_development");
        assert_eq!(first["payable"], false);
        let paid_at = common::TEST_START + DAY_MS;
        assert_eq!(first["order"]["paid_at"], paid_at);
        assert_eq!(first["order"]["service_start_at"], paid_at);
        assert_eq!(first["order"]["service_end_at"], paid_at + 365 * DAY_MS);

        let order_id = order_id(&app, &order_no).await;
        let events: Vec<(String, Option<String>, String)> = sqlx::query_as(
            "SELECT action, from_status, to_status FROM order_events WHERE order_id = $1 ORDER BY id")
            .bind(order_id).fetch_all(app.state.db.pool()).await.unwrap();
        assert_eq!(events, [
            ("place_order".into(), None, "awaiting_payment".into()),
            ("pay".into(), Some("awaiting_payment".into()), "in_development".into()),
        ]);
        let live: Vec<(String, i64)> = sqlx::query_as(
            "SELECT timer, due_at FROM deadlines WHERE order_id = $1 AND fired_at IS NULL AND canceled_at IS NULL")
            .bind(order_id).fetch_all(app.state.db.pool()).await.unwrap();
        assert_eq!(live, [("development_timeout".into(), paid_at + 30 * DAY_MS)]);
        assert_eq!(app.count("SELECT COUNT(*) FROM deadlines WHERE canceled_at IS NOT NULL").await, 1);
        assert_eq!(count(&app, "authorizations").await, 1);
        let (version,): (i64,) = sqlx::query_as("SELECT version FROM orders WHERE id = $1")
            .bind(order_id).fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(version, 2, "paid once");
    }

    async fn an_unpaid_order_past_its_three_days_cannot_be_paid(app) {
        let (_, service) = isv_with_service(&app, &service_input("Restaurant ordering")).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        let placed = ok(&place(&shop, &order_input(service, plan(&app, service, 365).await, id)).await);
        let order_no = no_str(&placed["order"]["order_no"]).to_owned();
        app.state.clock.advance(3 * DAY_MS);
        assert_eq!(ok(&shop.call(CASHIER, &[("order_no", &order_no)]).await)["payable"], false);
        let refused = shop.call(PAY, &[("order_no", &order_no)]).await;
        assert_eq!(error_message(&refused, "form"),
            "The deadline for an order that is Awaiting Payment has passed; the order is moving on automatically.");
        assert_eq!(app.count("SELECT COUNT(*) FROM orders WHERE paid_at IS NOT NULL").await, 0);
    }

    async fn a_free_order_cannot_be_paid_and_another_merchants_order_is_not_found(app) {
        let (_, service) = isv_with_service(&app, &free_service()).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        let placed = ok(&place(&shop, &order_input(service, plan(&app, service, 30).await, id)).await);
        let order_no = no_str(&placed["order"]["order_no"]).to_owned();
        let refused = shop.call(PAY, &[("order_no", &order_no)]).await;
        assert_eq!(error_message(&refused, "form"), "“Pay” is not possible for an order that is In Development.");
        let (other, _) = merchant(&app, "other@example.com", "other", "enterprise").await;
        assert_status(&other.call(CASHIER, &[("order_no", &order_no)]).await, StatusCode::NOT_FOUND);
        assert_status(&other.call(PAY, &[("order_no", &order_no)]).await, StatusCode::NOT_FOUND);
        assert_status(&shop.call(CASHIER, &[("order_no", "not-a-number")]).await, StatusCode::NOT_FOUND);
        // Another merchant's mini program cannot be ordered for either.
        let refused = place(&other, &order_input(service, plan(&app, service, 30).await, id)).await;
        assert_eq!(error_message(&refused, "mini_program_id"), "Choose one of your mini programs.");
        assert_eq!(count(&app, "orders").await, 1);
    }

    async fn order_numbers_are_24_digits_unique_and_not_in_sequence(app) {
        let (owner, ws) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let mut numbers = Vec::new();
        for n in 1..=4 {
            let service = online_service(&app, &owner, ws, &free_service()).await;
            let id = mini_program(&shop, &format!("Shop {n}"), &format!("202100410000000{n}")).await;
            let placed = ok(&place(&shop, &order_input(service, plan(&app, service, 30).await, id)).await);
            numbers.push(no_str(&placed["order"]["order_no"]).parse::<u128>().unwrap());
        }
        for number in &numbers {
            let text = number.to_string();
            assert_eq!(text.len(), 24);
            assert!(text.starts_with("20260101"), "{text}");
        }
        let mut unique = numbers.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 4);
        let steps: Vec<i128> = numbers.windows(2).map(|w| w[1] as i128 - w[0] as i128).collect();
        assert!(steps.iter().any(|step| step.abs() > 1_000), "numbers look sequential: {numbers:?}");
    }

    async fn a_service_that_is_not_online_cannot_be_ordered(app) {
        let (owner, service) = isv_with_service(&app, &free_service()).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        let month = plan(&app, service, 30).await;
        ok(&owner.call("/api/services/withdraw", &[("service_id", &service.to_string())]).await);
        assert_status(&shop.call(ORDER_PAGE, &[("service_id", &service.to_string())]).await, StatusCode::NOT_FOUND);
        assert_status(&place(&shop, &order_input(service, month, id)).await, StatusCode::NOT_FOUND);
        assert_eq!(count(&app, "orders").await, 0);
    }

    // ---- 我的服务 ----

    async fn my_services_lists_each_ordered_service_per_mini_program_with_status_and_validity(app) {
        let (owner, ws) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let ordering = online_service(&app, &owner, ws, &service_input("Restaurant ordering")).await;
        let points = online_service(&app, &owner, ws, &free_service()).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let noodles = mini_program(&shop, "Noodles", "2021004100000001").await;
        let _unused = mini_program(&shop, "Unused", "2021004100000002").await;
        ok(&place(&shop, &order_input(points, plan(&app, points, 30).await, noodles)).await);
        app.state.clock.advance(1000);
        // Another service's order is open (In Development) for Noodles.
        let yearly = order_input(ordering, plan(&app, ordering, 365).await, noodles);
        let refused = place(&shop, &yearly).await;
        assert_eq!(error_fields(&refused), ["mini_program_id"]);

        let mine = ok(&shop.call(MY_SERVICES, &[]).await);
        assert_eq!(mine.as_array().unwrap().len(), 1, "mini programs without orders are left out");
        assert_eq!(mine[0]["name"], "Noodles");
        assert_eq!(mine[0]["app_id"], "2021004100000001");
        let service = &mine[0]["services"][0];
        assert_eq!(service["service_name"], "Membership points");
        assert_eq!(service["isv_name"], "Cloudleaf");
        assert_eq!(service["latest_order"]["status"], "in_development");
        assert_eq!(service["valid_from"], common::TEST_START);
        assert_eq!(service["valid_to"], common::TEST_START + 30 * DAY_MS);
        assert_eq!(service["running"], true);
        assert_eq!(service["renewal"]["kind"], "renew");
        assert_eq!(service["renewal"]["path"], format!("/market/services/{points}/order?mini_program_id={noodles}"));
        assert_eq!(service["renewal"]["refusal"], Value::Null);
    }

    async fn enter_service_opens_the_mobile_access_url_or_tells_the_merchant_to_use_a_pc(app) {
        let (owner, ws) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let with_url = online_service(&app, &owner, ws, &free_service()).await;
        let mut no_mobile = free_service();
        no_mobile["mobile_access_url"] = json!("");
        let without_url = online_service(&app, &owner, ws, &no_mobile).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let first = mini_program(&shop, "First", "2021004100000001").await;
        let second = mini_program(&shop, "Second", "2021004100000002").await;
        ok(&place(&shop, &order_input(with_url, plan(&app, with_url, 30).await, first)).await);
        ok(&place(&shop, &order_input(without_url, plan(&app, without_url, 30).await, second)).await);
        let mine = ok(&shop.call(MY_SERVICES, &[]).await);
        let enter_of = |program: i64| {
            mine.as_array().unwrap().iter().find(|p| p["id"] == program).unwrap()["services"][0]["enter"].clone()
        };
        assert_eq!(enter_of(first), json!({ "kind": "open", "url": "https://admin.cloudleaf.example.com/m" }));
        let pc = enter_of(second);
        assert_eq!(pc["kind"], "use_pc");
        assert_eq!(pc["message"]["en"],
            "This service has no mobile access. Sign in to the open platform on a PC and use My services > Enter configuration.");
        assert!(no_str(&pc["message"]["zh"]).contains("我的服务 > 进入配置后台"));
    }

    async fn a_renewal_extends_validity_from_where_it_ends(app) {
        let mut input = free_service();
        input["plans"] = json!([{ "period_days": "30", "price": "0" }]);
        let (_, service) = isv_with_service(&app, &input).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        let month = plan(&app, service, 30).await;
        let first = ok(&place(&shop, &order_input(service, month, id)).await);
        app.state.clock.advance(10 * DAY_MS);
        // The first order is still in development: renewing is allowed (it is not before
        // development), and the new period starts where the current one ends.
        let renewal = ok(&place(&shop, &order_input(service, month, id)).await);
        assert_eq!(renewal["order"]["renewal_of"], first["order"]["order_no"]);
        assert_eq!(renewal["order"]["service_start_at"], common::TEST_START + 30 * DAY_MS);
        assert_eq!(renewal["order"]["service_end_at"], common::TEST_START + 60 * DAY_MS);
        assert_eq!(count(&app, "authorizations").await, 1, "a renewal keeps the authorization");
        let mine = ok(&shop.call(MY_SERVICES, &[]).await);
        let service_entry = &mine[0]["services"][0];
        assert_eq!(service_entry["valid_from"], common::TEST_START);
        assert_eq!(service_entry["valid_to"], common::TEST_START + 60 * DAY_MS);
        assert_eq!(service_entry["latest_order"]["order_no"], renewal["order"]["order_no"]);
    }

    async fn renewal_is_capped_at_365_days_once_a_version_built_for_the_service_is_online(app) {
        let mut input = free_service();
        input["plans"] = json!([{ "period_days": "200", "price": "0" }]);
        input["max_order_period_days"] = json!("1000");
        let (_, service) = isv_with_service(&app, &input).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        let period = plan(&app, service, 200).await;
        let first = ok(&place(&shop, &order_input(service, period, id)).await);
        let first_id = order_id(&app, no_str(&first["order"]["order_no"])).await;
        // Before a version is online there is no cap: 200 + 200 days.
        let mut renew = order_input(service, period, id);
        renew["acknowledge_overwrite"] = json!(true);
        ok(&place(&shop, &renew).await);
        // Once a version built for this service is online, 400 + 200 days is too much…
        add_version(&app, id, Some(first_id), "online").await;
        let refused = place(&shop, &renew).await;
        assert_eq!(error_fields(&refused), ["mini_program_id"]);
        assert_eq!(error_message(&refused, "mini_program_id"),
            "The remaining validity of this service would exceed 365 days, so it cannot be renewed for now.");
        let zh = refused.json()["Fields"][0]["message"]["zh"].as_str().unwrap().to_owned();
        assert_eq!(zh, RENEWAL_CAP);
        let mine = ok(&shop.call(MY_SERVICES, &[]).await);
        assert_eq!(mine[0]["services"][0]["renewal"]["refusal"]["zh"], RENEWAL_CAP);
        let page = order_page(&shop, service, period).await;
        assert_eq!(option(&page, id).unwrap()["availability"]["reason"]["zh"], RENEWAL_CAP);
        // …until the remaining validity has run down to 165 days.
        app.state.clock.advance(235 * DAY_MS);
        sign_in_again(&shop, "shop").await;
        ok(&place(&shop, &renew).await);
        assert_eq!(count(&app, "orders").await, 3);
    }

    async fn a_finished_service_offers_to_order_again(app) {
        let (_, service) = isv_with_service(&app, &free_service()).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        let placed = ok(&place(&shop, &order_input(service, plan(&app, service, 30).await, id)).await);
        // The ISV delivers a version, the platform passes it, the merchant confirms.
        let order = order_id(&app, no_str(&placed["order"]["order_no"])).await;
        let version = add_version(&app, id, Some(order), "auditing").await;
        act(&app, order, Action::Submit, Actor::Isv, Some(version)).await;
        act(&app, order, Action::AuditPass, Actor::Platform, None).await;
        act(&app, order, Action::Approve, Actor::Merchant, None).await;
        let mine = ok(&shop.call(MY_SERVICES, &[]).await);
        assert_eq!(mine[0]["services"][0]["latest_order"]["status"], "completed");
        let running = ok(&shop.call(MY_SERVICES, &[]).await);
        assert_eq!(running[0]["services"][0]["renewal"]["kind"], "renew", "completed but still valid");
        app.state.clock.advance(31 * DAY_MS);
        sign_in_again(&shop, "shop").await;
        let finished = ok(&shop.call(MY_SERVICES, &[]).await);
        let entry = &finished[0]["services"][0];
        assert_eq!(entry["running"], false);
        assert_eq!(entry["renewal"]["kind"], "order_again");
        assert_eq!(entry["renewal"]["refusal"], Value::Null);
        let mut again = order_input(service, plan(&app, service, 30).await, id);
        again["acknowledge_overwrite"] = json!(true);
        let again = ok(&place(&shop, &again).await);
        assert_eq!(again["order"]["service_start_at"], common::TEST_START + 31 * DAY_MS);
    }

    async fn a_withdrawn_service_cannot_be_renewed_from_my_services(app) {
        let (owner, service) = isv_with_service(&app, &free_service()).await;
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
        ok(&place(&shop, &order_input(service, plan(&app, service, 30).await, id)).await);
        ok(&owner.call("/api/services/withdraw", &[("service_id", &service.to_string())]).await);
        let mine = ok(&shop.call(MY_SERVICES, &[]).await);
        assert_eq!(mine[0]["services"][0]["renewal"]["refusal"]["en"], "This service is no longer on sale.");
        assert_conflict(&owner.call("/api/services/withdraw", &[("service_id", &service.to_string())]).await, "not possible");
    }
}
