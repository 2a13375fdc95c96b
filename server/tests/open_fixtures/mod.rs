//! Shared steps of the open platform tests: an ISV whose app has a gateway URL and an app key,
//! a merchant with an order that reached In Development, and a real local HTTP receiver that
//! plays an ISV gateway answering as scripted.
#![allow(dead_code)]

use crate::common::market::{active_isv, merchant, ok, online_service, service_input};
use crate::common::{Browser, TestApp};
use app::open::sign::PrivateKey;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{json, Value};
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub type Params = BTreeMap<String, String>;

/// How the receiver answers one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// This status and body.
    Text(u16, &'static str),
    /// No answer for a long time (longer than any test's delivery timeout).
    Hang,
}

#[derive(Default)]
struct Shared {
    script: VecDeque<Reply>,
    received: Vec<Params>,
}

/// A local HTTP server playing an ISV's application gateway: it records each form it gets
/// and answers as scripted, then `success` once the script is used up.
pub struct Receiver {
    pub url: String,
    shared: Arc<Mutex<Shared>>,
    task: tokio::task::JoinHandle<()>,
}

async fn receive(
    State(shared): State<Arc<Mutex<Shared>>>,
    body: String,
) -> axum::response::Response {
    let form: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    let reply = {
        let mut shared = shared.lock().unwrap();
        shared.received.push(form.into_iter().collect());
        shared.script.pop_front()
    };
    match reply.unwrap_or(Reply::Text(200, "success")) {
        Reply::Text(status, text) => (StatusCode::from_u16(status).unwrap(), text).into_response(),
        Reply::Hang => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            "success".into_response()
        }
    }
}

impl Receiver {
    pub async fn start(script: Vec<Reply>) -> Receiver {
        let shared = Arc::new(Mutex::new(Shared {
            script: script.into(),
            received: Vec::new(),
        }));
        let router = axum::Router::new()
            .route("/gateway", axum::routing::post(receive))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/gateway", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        Receiver { url, shared, task }
    }

    /// Every form received so far, in order.
    pub fn received(&self) -> Vec<Params> {
        self.shared.lock().unwrap().received.clone()
    }

    /// Answers the next requests with these replies.
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.shared.lock().unwrap().script.extend(replies);
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// An approved ISV with an Online free service (one 30-day plan at 0, no acceptance) and a
/// second one that needs acceptance.
pub struct Isv<'a> {
    pub owner: Browser<'a>,
    pub workspace_id: i64,
    pub free_service: i64,
    pub accept_service: i64,
}

pub async fn isv(app: &TestApp) -> Isv<'_> {
    let (owner, workspace_id) =
        active_isv(app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
    let mut free = service_input("Membership points");
    free["plans"] = json!([{ "period_days": "30", "price": "0" }]);
    let free_service = online_service(app, &owner, workspace_id, &free).await;
    let mut accept = service_input("Restaurant ordering");
    accept["needs_acceptance"] = json!(true);
    accept["plans"] = json!([{ "period_days": "30", "price": "0" }]);
    let accept_service = online_service(app, &owner, workspace_id, &accept).await;
    Isv {
        owner,
        workspace_id,
        free_service,
        accept_service,
    }
}

/// Sets the ISV app's gateway URL and a new app public key; returns the app id and the app's
/// private key (the ISV's side of the signature).
pub async fn configure(isv: &Isv<'_>, gateway_url: &str) -> (String, PrivateKey) {
    let ws = isv.workspace_id.to_string();
    ok(&isv
        .owner
        .call(
            "/api/open/set_gateway_url",
            &[("workspace_id", &ws), ("gateway_url", gateway_url)],
        )
        .await);
    let key = PrivateKey::generate();
    let settings = ok(&isv
        .owner
        .call(
            "/api/open/set_app_public_key",
            &[
                ("workspace_id", &ws),
                ("app_public_key", &key.public_key().to_base64()),
            ],
        )
        .await);
    (settings["app_id"].as_str().unwrap().to_owned(), key)
}

/// An onboarded merchant with one mini program (`app_id`); its browser, workspace and mini
/// program id.
pub async fn shop<'a>(app: &'a TestApp, app_id: &str) -> (Browser<'a>, i64, i64) {
    let (browser, ws) = merchant(app, "shop@noodles.example.com", "noodles", "enterprise").await;
    let created = ok(&browser
        .call(
            "/api/ordering/create_mini_program",
            &[("name", "Noodle House"), ("app_id", app_id)],
        )
        .await);
    (browser, ws, created["id"].as_i64().unwrap())
}

/// Places an order of the service's only plan for the mini program; (order id, order no).
pub async fn place(
    app: &TestApp,
    shop: &Browser<'_>,
    service_id: i64,
    mini_program_id: i64,
) -> (i64, String) {
    let (plan_id,): (i64,) =
        sqlx::query_as("SELECT id FROM service_plans WHERE service_id = $1 ORDER BY id LIMIT 1")
            .bind(service_id)
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
    let placed: Value = ok(&shop
        .call_json("/api/ordering/place_order", &json!({ "input": input }))
        .await);
    let order_no = placed["order"]["order_no"].as_str().unwrap().to_owned();
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM orders WHERE order_no = $1")
        .bind(&order_no)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    (id, order_no)
}

/// The notifications of a workspace: (kind code, order id, payload), oldest first.
pub async fn outbox(app: &TestApp, workspace_id: i64) -> Vec<(String, Option<i64>, Params)> {
    type Row = (Option<String>, Option<String>, Option<i64>, String);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT notify_type, msg_method, order_id, payload FROM notifications \
         WHERE isv_workspace_id = $1 ORDER BY id",
    )
    .bind(workspace_id)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    rows.into_iter()
        .map(|(notify_type, msg_method, order_id, payload)| {
            (
                notify_type.or(msg_method).unwrap(),
                order_id,
                serde_json::from_str(&payload).unwrap(),
            )
        })
        .collect()
}
