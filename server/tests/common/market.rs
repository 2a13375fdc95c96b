//! Shared steps of the marketplace tests: an approved ISV, a reviewer, an onboarded merchant,
//! a service form, a service taken Online through the real review.
#![allow(dead_code)]

use super::{new_account, Browser, TestApp, TestResponse};
use axum::http::StatusCode;
use serde_json::{json, Value};

pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;
pub const CREDIT_CODE: &str = "91350100M000100Y43";
pub const RESIDENT_ID: &str = "11010519491231002X";
const REVIEWER_EMAIL: &str = "reviewer@platform.example";
const REVIEWER_PASSWORD: &str = "Review2026";

pub fn ok(response: &TestResponse) -> Value {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

pub fn assert_status(response: &TestResponse, status: StatusCode) {
    assert_eq!(response.status, status, "{}", response.body);
}

pub fn assert_conflict(response: &TestResponse, text: &str) {
    assert_status(response, StatusCode::CONFLICT);
    let message = response.json()["Conflict"].as_str().unwrap().to_owned();
    assert!(message.contains(text), "{message}");
}

/// The platform reviewer, made (once) as `service-market admin` makes it, signed in in a new
/// browser; earlier reviewer browsers stay signed in.
pub async fn reviewer(app: &TestApp) -> Browser<'_> {
    if app
        .count(&format!(
            "SELECT COUNT(*) FROM accounts WHERE email = '{REVIEWER_EMAIL}'"
        ))
        .await
        == 0
    {
        app::onboarding::reviewers::create_or_promote(
            &app.state.db,
            &app.state.clock,
            REVIEWER_EMAIL,
            REVIEWER_PASSWORD,
        )
        .await
        .unwrap();
    }
    let browser = app.browser();
    ok(&browser
        .call(
            "/api/auth/sign_in",
            &[("login", REVIEWER_EMAIL), ("password", REVIEWER_PASSWORD)],
        )
        .await);
    browser
}

/// An ISV that submitted its business information (no logo); the workspace id.
pub async fn submitted_isv<'a>(
    app: &'a TestApp,
    email: &str,
    username: &str,
    company_name: &str,
) -> (Browser<'a>, i64) {
    let browser = new_account(app, email, username, Some("isv")).await;
    let form = [
        ("company_name", company_name),
        ("business_address", "1 West Lake Road, Hangzhou"),
        ("country_region", "CN"),
        ("business_representative", "Li Lei"),
        ("agree_terms", "on"),
    ];
    let summary = ok(&browser
        .call_multipart("/api/onboarding/submit_business_info", &form, &[])
        .await);
    (browser, summary["id"].as_i64().unwrap())
}

/// An approved ISV: its Owner's browser and the workspace id.
pub async fn active_isv<'a>(
    app: &'a TestApp,
    email: &str,
    username: &str,
    company_name: &str,
) -> (Browser<'a>, i64) {
    let (owner, id) = submitted_isv(app, email, username, company_name).await;
    let (application_id,): (i64,) =
        sqlx::query_as("SELECT id FROM isv_applications WHERE workspace_id = $1")
            .bind(id)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let reviewer = reviewer(app).await;
    ok(&reviewer
        .call(
            "/api/review/approve",
            &[("application_id", &application_id.to_string())],
        )
        .await);
    (owner, id)
}

/// A member of `workspace_id` with `role` (admin or developer), invited and accepted.
pub async fn member<'a>(
    app: &'a TestApp,
    owner: &Browser<'_>,
    workspace_id: i64,
    email: &str,
    username: &str,
    role: &str,
) -> Browser<'a> {
    ok(&owner
        .call(
            "/api/console/invite_member",
            &[
                ("workspace_id", &workspace_id.to_string()),
                ("email", email),
                ("role", role),
            ],
        )
        .await);
    let (body,): (String,) = sqlx::query_as(
        "SELECT body_text FROM outbox_emails WHERE to_addr = $1 \
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(email)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    let start = body.find("/invitations/").unwrap() + "/invitations/".len();
    let token: String = body[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    let browser = new_account(app, email, username, None).await;
    ok(&browser
        .call("/api/console/accept_invitation", &[("token", &token)])
        .await);
    browser
}

/// A merchant onboarded with `identity_type`; its browser and merchant workspace id.
pub async fn merchant<'a>(
    app: &'a TestApp,
    email: &str,
    username: &str,
    identity_type: &str,
) -> (Browser<'a>, i64) {
    let browser = new_account(app, email, username, Some("merchant")).await;
    let number = if identity_type == "individual" {
        RESIDENT_ID
    } else {
        CREDIT_CODE
    };
    let details = ok(&browser
        .call(
            "/api/onboarding/merchant",
            &[
                ("merchant_name", "Lucky Noodles"),
                ("identity_type", identity_type),
                ("certified_name", "Hangzhou Lucky Noodles"),
                ("certificate_number", number),
            ],
        )
        .await);
    (browser, details["workspace"]["id"].as_i64().unwrap())
}

/// A complete service form: one free 30-day plan and a priced 365-day one.
pub fn service_input(name: &str) -> Value {
    json!({
        "name": name,
        "category": "food_beverage",
        "service_type": "industry_template",
        "description": "Scan-to-order and takeaway for restaurants.",
        "terminals": ["alipay"],
        "plans": [
            { "period_days": "30", "price": "0" },
            { "period_days": "365", "price": "1999.00" }
        ],
        "max_order_period_days": "730",
        "subscriber_restriction": [],
        "needs_acceptance": false,
        "mobile_access_url": "https://admin.cloudleaf.example.com/m",
        "pc_access_url": "https://admin.cloudleaf.example.com",
        "preview_url": "https://preview.cloudleaf.example.com/try"
    })
}

pub async fn create_service(
    browser: &Browser<'_>,
    workspace_id: i64,
    input: &Value,
) -> TestResponse {
    browser
        .call_json(
            "/api/services/create",
            &json!({ "workspace_id": workspace_id, "input": input }),
        )
        .await
}

pub async fn service_call(browser: &Browser<'_>, path: &str, service_id: i64) -> TestResponse {
    browser
        .call(path, &[("service_id", &service_id.to_string())])
        .await
}

/// A service of the workspace taken Online through submission and review; its id.
pub async fn online_service(
    app: &TestApp,
    owner: &Browser<'_>,
    workspace_id: i64,
    input: &Value,
) -> i64 {
    let created = ok(&create_service(owner, workspace_id, input).await);
    let id = created["id"].as_i64().unwrap();
    ok(&service_call(owner, "/api/services/submit", id).await);
    let reviewer = reviewer(app).await;
    ok(&service_call(&reviewer, "/api/review/approve_service", id).await);
    id
}

pub async fn count(app: &TestApp, table: &str) -> i64 {
    app.count(&format!("SELECT COUNT(*) FROM {table}")).await
}

/// Signs a browser in again (sessions last 30 days; tests that move the clock further need
/// this).
pub async fn sign_in_again(browser: &Browser<'_>, login: &str) {
    ok(&browser
        .call(
            "/api/auth/sign_in",
            &[("login", login), ("password", super::TEST_PASSWORD)],
        )
        .await);
}
