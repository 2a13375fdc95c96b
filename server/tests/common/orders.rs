//! Shared steps of the Orders and timer tests: an ISV with an Online service, a merchant with a
//! mini program, an order placed through the real order page, and the Orders server functions
//! (the console's, the merchant's, the reviewer's) called as the pages call them.
#![allow(dead_code)]

use super::market::{active_isv, merchant, ok, online_service, reviewer, service_input};
use super::{Browser, TestApp, TestResponse};
use serde_json::{json, Value};

pub const ISV_LIST: &str = "/api/orders/list";
pub const ISV_DETAIL: &str = "/api/orders/detail";
pub const ISV_ACT: &str = "/api/orders/act";
pub const ISV_SUBMIT: &str = "/api/orders/submit";
pub const ISV_CHANGES: &str = "/api/orders/changes";
pub const MERCHANT_LIST: &str = "/api/service_orders/list";
pub const MERCHANT_DETAIL: &str = "/api/service_orders/detail";
pub const MERCHANT_ACT: &str = "/api/service_orders/act";
pub const MERCHANT_CHANGES: &str = "/api/service_orders/changes";
pub const AUTHORIZATIONS: &str = "/api/service_orders/authorizations";
pub const CANCEL_AUTHORIZATION: &str = "/api/service_orders/cancel_authorization";
pub const AUDITS: &str = "/api/review/version_audits";
pub const PASS_VERSION: &str = "/api/review/pass_version";
pub const REJECT_VERSION: &str = "/api/review/reject_version";
pub const SET_AUTO_AUDIT: &str = "/api/review/set_auto_audit";
pub const CLOCK: &str = "/api/review/sandbox_clock";
pub const ADVANCE_CLOCK: &str = "/api/review/advance_clock";

/// What an order is for: its price and whether the ISV must accept it first.
#[derive(Clone, Copy, Debug)]
pub struct Kind {
    pub priced: bool,
    pub needs_acceptance: bool,
}

pub const FREE: Kind = Kind {
    priced: false,
    needs_acceptance: false,
};
pub const PRICED: Kind = Kind {
    priced: true,
    needs_acceptance: false,
};
pub const PRICED_WITH_ACCEPTANCE: Kind = Kind {
    priced: true,
    needs_acceptance: true,
};
pub const FREE_WITH_ACCEPTANCE: Kind = Kind {
    priced: false,
    needs_acceptance: true,
};

/// The parties of one order: the ISV's Owner, the merchant, and the order.
pub struct Deal<'a> {
    pub isv: Browser<'a>,
    pub workspace_id: i64,
    pub shop: Browser<'a>,
    pub merchant_workspace_id: i64,
    pub service_id: i64,
    pub mini_program_id: i64,
    pub order_no: String,
}

/// An ISV with an Online service of `kind`, a merchant, and one order placed for its mini
/// program (the 365-day plan at 1999.00 when priced, else the free 30-day one).
pub async fn deal(app: &TestApp, kind: Kind) -> Deal<'_> {
    let (isv, workspace_id) =
        active_isv(app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
    let mut input = service_input("Restaurant ordering");
    input["needs_acceptance"] = json!(kind.needs_acceptance);
    let service_id = online_service(app, &isv, workspace_id, &input).await;
    let (shop, merchant_workspace_id) =
        merchant(app, "shop@example.com", "shop", "enterprise").await;
    let mini_program_id = mini_program(&shop, "Lucky Noodles", "2021004100000001").await;
    let order_no = place(app, &shop, service_id, mini_program_id, kind.priced).await;
    Deal {
        isv,
        workspace_id,
        shop,
        merchant_workspace_id,
        service_id,
        mini_program_id,
        order_no,
    }
}

pub async fn mini_program(shop: &Browser<'_>, name: &str, app_id: &str) -> i64 {
    let created = ok(&shop
        .call(
            "/api/ordering/create_mini_program",
            &[("name", name), ("app_id", app_id)],
        )
        .await);
    created["id"].as_i64().unwrap()
}

/// Places an order through 订购并授权; its number.
pub async fn place(
    app: &TestApp,
    shop: &Browser<'_>,
    service_id: i64,
    mini_program_id: i64,
    priced: bool,
) -> String {
    let (plan_id,): (i64,) =
        sqlx::query_as("SELECT id FROM service_plans WHERE service_id = $1 AND period_days = $2")
            .bind(service_id)
            .bind(if priced { 365_i64 } else { 30 })
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    let input = json!({
        "service_id": service_id,
        "plan_id": plan_id,
        "mini_program_id": mini_program_id,
        "terminals": [],
        "contact_name": "Wang Fang",
        "contact_mobile": "13800138000",
        "agree_to_agreement": true,
        "acknowledge_overwrite": true
    });
    let placed = ok(&shop
        .call_json("/api/ordering/place_order", &json!({ "input": input }))
        .await);
    placed["order"]["order_no"].as_str().unwrap().to_owned()
}

impl Deal<'_> {
    fn ws(&self) -> String {
        self.workspace_id.to_string()
    }

    /// The order as the console's detail page shows it.
    pub async fn isv_view(&self) -> Value {
        ok(&self.isv_view_by(&self.isv).await)
    }

    pub async fn isv_view_by(&self, browser: &Browser<'_>) -> TestResponse {
        browser
            .call(
                ISV_DETAIL,
                &[("workspace_id", &self.ws()), ("order_no", &self.order_no)],
            )
            .await
    }

    /// The order as the merchant's detail page shows it.
    pub async fn merchant_view(&self) -> Value {
        ok(&self
            .shop
            .call(MERCHANT_DETAIL, &[("order_no", &self.order_no)])
            .await)
    }

    pub async fn version(&self) -> i64 {
        self.isv_view().await["version"].as_i64().unwrap()
    }

    pub async fn status(&self) -> String {
        self.isv_view().await["status"].as_str().unwrap().to_owned()
    }

    /// The ISV's `browser` takes `action` as the page at `version` showed the order.
    pub async fn isv_act_at(
        &self,
        browser: &Browser<'_>,
        action: &str,
        version: i64,
        reason: &str,
    ) -> TestResponse {
        browser
            .call(
                ISV_ACT,
                &[
                    ("workspace_id", &self.ws()),
                    ("order_no", &self.order_no),
                    ("action", action),
                    ("expected_version", &version.to_string()),
                    ("reason", reason),
                ],
            )
            .await
    }

    /// The ISV's Owner takes `action` on the order as it is now.
    pub async fn isv_act(&self, action: &str, reason: &str) -> TestResponse {
        let version = self.version().await;
        self.isv_act_at(&self.isv, action, version, reason).await
    }

    pub async fn merchant_act_at(&self, action: &str, version: i64, reason: &str) -> TestResponse {
        self.shop
            .call(
                MERCHANT_ACT,
                &[
                    ("order_no", &self.order_no),
                    ("action", action),
                    ("expected_version", &version.to_string()),
                    ("reason", reason),
                ],
            )
            .await
    }

    /// The merchant takes `action` on the order as it is now.
    pub async fn merchant_act(&self, action: &str, reason: &str) -> TestResponse {
        let version = self.version().await;
        self.merchant_act_at(action, version, reason).await
    }

    pub async fn submit_by(&self, browser: &Browser<'_>, version_number: &str) -> TestResponse {
        let version = self.version().await;
        browser
            .call(
                ISV_SUBMIT,
                &[
                    ("workspace_id", &self.ws()),
                    ("order_no", &self.order_no),
                    ("expected_version", &version.to_string()),
                    ("version_number", version_number),
                    ("notes", "Menu, cart and takeaway."),
                ],
            )
            .await
    }

    pub async fn submit(&self, version_number: &str) -> TestResponse {
        self.submit_by(&self.isv, version_number).await
    }

    /// The id of the version waiting for audit.
    pub async fn pending_version(&self) -> i64 {
        let view = self.isv_view().await;
        view["submissions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["pending"] == true)
            .unwrap_or_else(|| panic!("no version waiting: {view}"))["version_id"]
            .as_i64()
            .unwrap()
    }

    /// Brings an order placed without acceptance to In Development (paying when priced).
    pub async fn to_development(&self) {
        if self.status().await == "awaiting_payment" {
            ok(&self.merchant_act("pay", "").await);
        }
        assert_eq!(self.status().await, "in_development");
    }

    /// Submits a version and has a reviewer pass it: Under Approval.
    pub async fn to_approval(&self, app: &TestApp) {
        self.to_development().await;
        ok(&self.submit("1.0.0").await);
        let version = self.pending_version().await;
        let reviewer = reviewer(app).await;
        ok(&reviewer
            .call(PASS_VERSION, &[("version_id", &version.to_string())])
            .await);
        assert_eq!(self.status().await, "under_approval");
    }

    pub async fn order_id(&self, app: &TestApp) -> i64 {
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM orders WHERE order_no = $1")
            .bind(&self.order_no)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
        id
    }
}

/// The action codes of a list row's or detail's buttons.
pub fn actions(order: &Value) -> Vec<String> {
    order["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|button| button["action"].as_str().unwrap().to_owned())
        .collect()
}

/// The English message of a refused action.
pub fn refusal(response: &TestResponse) -> String {
    super::error_message(response, "form")
}

/// (actor, action, to status, reason) of each timeline step.
pub fn timeline(order: &Value) -> Vec<(String, String, String, Option<String>)> {
    order["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|step| {
            (
                step["actor"].as_str().unwrap().to_owned(),
                step["what"]["en"].as_str().unwrap().to_owned(),
                step["to_status"].as_str().unwrap().to_owned(),
                step["reason"].as_str().map(str::to_owned),
            )
        })
        .collect()
}
