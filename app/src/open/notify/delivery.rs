//! Delivers the outbox: a worker claims due notifications, POSTs each, form-encoded and signed
//! with the platform key, to the ISV's application gateway, and records the attempt. A
//! delivery succeeds only when the gateway answers 2xx with the body exactly `success`;
//! anything else (another body, an error status, a refused connection, a timeout, no gateway
//! URL set) is retried on [`super::RETRY_DELAYS_MS`] with the same `notify_id`.
//!
//! **Never the same attempt twice.** A worker first claims a row with a conditional `UPDATE`
//! (`claimed_by`, `claimed_until` = now + lease) that only one instance can win; it records
//! the attempt only while it still holds the claim, as attempt number `attempts + 1` (unique
//! per notification). The lease is longer than a delivery can take (twice the timeout plus
//! 30 s), so a claim expires only when its worker died — a `kill -9` mid-delivery — and then
//! another worker makes that same attempt: at-least-once, never lost, never doubled by two
//! live instances. Tests call [`deliver_due`], the worker's one step.

use super::super::{apps, keys, sign, NotificationKind};
use super::{content_rule, next_attempt_after, Params};
use crate::clock::UnixMillis;
use crate::error::AppError;
use crate::state::AppState;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::time::{Duration, Instant};

/// How many due notifications one step claims.
pub const BATCH: i64 = 32;
/// How often an idle worker looks for due notifications.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// The most of a gateway's answer that is read and kept.
const MAX_BODY_BYTES: usize = 64 * 1024;
const KEPT_BODY_CHARS: usize = 2000;

/// An HTTP client and this instance's name, shared by the worker's deliveries.
#[derive(Clone)]
pub struct Deliverer {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    timeout: Duration,
    instance: String,
}

impl Deliverer {
    /// A deliverer that waits `timeout` for each gateway; `instance` names this server in
    /// claims (unique per process).
    pub fn new(timeout: Duration, instance: impl Into<String>) -> Deliverer {
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .build();
        Deliverer {
            client: Client::builder(TokioExecutor::new()).build(connector),
            timeout,
            instance: instance.into(),
        }
    }

    /// A name for this process: its id and a random suffix.
    pub fn instance_name() -> String {
        use rand::Rng;
        format!(
            "{}-{:08x}",
            std::process::id(),
            rand::thread_rng().gen::<u32>()
        )
    }

    /// How long a claim holds: longer than any delivery can take.
    fn lease_ms(&self) -> i64 {
        (self.timeout.as_millis() as i64) * 2 + 30_000
    }
}

/// What one attempt gave.
#[derive(Clone, Debug, Default)]
struct Attempt {
    url: Option<String>,
    http_status: Option<u16>,
    body: Option<String>,
    error: Option<String>,
    duration_ms: i64,
}

impl Attempt {
    fn succeeded(&self) -> bool {
        self.http_status
            .is_some_and(|status| (200..300).contains(&status))
            && self.body.as_deref() == Some("success")
    }
}

/// The worker: delivers due notifications until the task is dropped.
pub async fn run(state: AppState, deliverer: Deliverer) {
    loop {
        match deliver_due(&state, &deliverer).await {
            Ok(0) => tokio::time::sleep(POLL_INTERVAL).await,
            Ok(_) => {}
            // Already logged with its cause chain; try again after a pause.
            Err(_) => tokio::time::sleep(POLL_INTERVAL).await,
        }
    }
}

/// One step of the worker: claims up to [`BATCH`] due notifications and delivers them side by
/// side. Returns how many it attempted.
pub async fn deliver_due(state: &AppState, deliverer: &Deliverer) -> Result<usize, AppError> {
    let now = state.clock.now();
    let due: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM notifications WHERE status = 'pending' AND next_attempt_at <= $1 \
           AND (claimed_until IS NULL OR claimed_until < $1) \
         ORDER BY next_attempt_at, id LIMIT $2",
    )
    .bind(now)
    .bind(BATCH)
    .fetch_all(state.db.pool())
    .await?;
    let mut deliveries = tokio::task::JoinSet::new();
    for (id,) in due {
        if claim(state, deliverer, id, now).await? {
            let (state, deliverer) = (state.clone(), deliverer.clone());
            deliveries.spawn(async move { deliver(&state, &deliverer, id).await });
        }
    }
    let mut attempted = 0;
    while let Some(result) = deliveries.join_next().await {
        match result {
            Ok(Ok(())) => attempted += 1,
            Ok(Err(error)) => tracing::warn!(%error, "a notification delivery failed"),
            Err(error) => tracing::error!(%error, "a notification delivery panicked"),
        }
    }
    Ok(attempted)
}

/// Claims a due notification for this instance; `false` when another instance holds it or
/// it is no longer due.
async fn claim(
    state: &AppState,
    deliverer: &Deliverer,
    id: i64,
    now: UnixMillis,
) -> Result<bool, AppError> {
    let claimed = sqlx::query(
        "UPDATE notifications SET claimed_by = $2, claimed_until = $3 \
         WHERE id = $1 AND status = 'pending' AND next_attempt_at <= $4 \
           AND (claimed_until IS NULL OR claimed_until < $4)",
    )
    .bind(id)
    .bind(&deliverer.instance)
    .bind(now + deliverer.lease_ms())
    .bind(now)
    .execute(state.db.pool())
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

/// (workspace, notify_type, msg_method, payload, attempts) of a claimed notification.
type ClaimedRow = (i64, Option<String>, Option<String>, String, i64);

/// Makes the next attempt of a claimed notification and records it.
async fn deliver(state: &AppState, deliverer: &Deliverer, id: i64) -> Result<(), AppError> {
    let row: Option<ClaimedRow> = sqlx::query_as(
        "SELECT isv_workspace_id, notify_type, msg_method, payload, attempts \
         FROM notifications WHERE id = $1 AND claimed_by = $2",
    )
    .bind(id)
    .bind(&deliverer.instance)
    .fetch_optional(state.db.pool())
    .await?;
    let Some((workspace_id, notify_type, msg_method, payload, attempts)) = row else {
        return Ok(());
    };
    let kind = notify_type
        .or(msg_method)
        .as_deref()
        .and_then(NotificationKind::parse)
        .ok_or_else(|| AppError::Invalid(format!("notification {id} has no known kind")))?;
    let payload: Params =
        serde_json::from_str(&payload).map_err(|error| AppError::internal(&error))?;
    let gateway = apps::by_workspace(state.db.pool(), workspace_id)
        .await?
        .and_then(|app| app.gateway_url);
    let attempt = match gateway {
        None => Attempt {
            error: Some("No application gateway URL is set.".into()),
            ..Attempt::default()
        },
        Some(url) => {
            let form = signed_form(state, kind, payload).await?;
            post(deliverer, &url, form).await
        }
    };
    record(state, deliverer, id, attempts, &attempt).await
}

/// The payload with its `sign`, form-encoded.
pub async fn signed_form(
    state: &AppState,
    kind: NotificationKind,
    mut payload: Params,
) -> Result<String, AppError> {
    let key = keys::current(&state.db, state.clock.now()).await?;
    let signature = sign::sign_params(&payload, &key.key, content_rule(kind));
    payload.insert("sign".into(), signature);
    serde_urlencoded::to_string(&payload).map_err(|error| AppError::internal(&error))
}

async fn post(deliverer: &Deliverer, url: &str, form: String) -> Attempt {
    let started = Instant::now();
    let mut attempt = Attempt {
        url: Some(url.to_owned()),
        ..Attempt::default()
    };
    let request = hyper::Request::post(url)
        .header(
            hyper::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded; charset=utf-8",
        )
        .header(hyper::header::USER_AGENT, "ServiceMarket-Notify/1.0")
        .body(Full::new(Bytes::from(form)));
    let outcome = match request {
        Err(error) => Err(format!("invalid request: {error}")),
        Ok(request) => {
            let exchange = async {
                let response =
                    deliverer.client.request(request).await.map_err(|error| {
                        format!("could not reach the gateway: {}", chain(&error))
                    })?;
                let status = response.status().as_u16();
                let body = Limited::new(response.into_body(), MAX_BODY_BYTES)
                    .collect()
                    .await
                    .map_err(|error| format!("could not read the answer: {error}"))?
                    .to_bytes();
                Ok::<_, String>((status, String::from_utf8_lossy(&body).into_owned()))
            };
            match tokio::time::timeout(deliverer.timeout, exchange).await {
                Ok(result) => result,
                Err(_) => Err(format!(
                    "no answer within {} s",
                    deliverer.timeout.as_secs_f64()
                )),
            }
        }
    };
    match outcome {
        Ok((status, body)) => {
            attempt.http_status = Some(status);
            attempt.body = Some(body.chars().take(KEPT_BODY_CHARS).collect());
        }
        Err(error) => attempt.error = Some(error),
    }
    attempt.duration_ms = started.elapsed().as_millis() as i64;
    attempt
}

fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Records attempt `attempts + 1` and the next step (delivered, retry later, or failed), only
/// while this instance still holds the claim.
async fn record(
    state: &AppState,
    deliverer: &Deliverer,
    id: i64,
    attempts: i64,
    attempt: &Attempt,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let attempt_no = attempts + 1;
    let (status, next_attempt_at, delivered_at) = if attempt.succeeded() {
        ("delivered", None, Some(now))
    } else {
        match next_attempt_after(attempt_no, now) {
            Some(next) => ("pending", Some(next), None),
            None => ("failed", None, None),
        }
    };
    let mut tx = state.db.begin().await?;
    let updated = sqlx::query(
        "UPDATE notifications SET attempts = $4, status = $5, next_attempt_at = $6, \
             delivered_at = $7, last_status = $8, last_body = $9, last_error = $10, \
             claimed_by = NULL, claimed_until = NULL \
         WHERE id = $1 AND claimed_by = $2 AND attempts = $3",
    )
    .bind(id)
    .bind(&deliverer.instance)
    .bind(attempts)
    .bind(attempt_no)
    .bind(status)
    .bind(next_attempt_at)
    .bind(delivered_at)
    .bind(attempt.http_status.map(i64::from))
    .bind(attempt.body.as_deref())
    .bind(attempt.error.as_deref())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated != 1 {
        // The claim expired and another worker took over: its record stands.
        tx.rollback().await?;
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO notification_attempts (notification_id, attempt_no, at, url, http_status, \
             response_body, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(attempt_no)
    .bind(now)
    .bind(attempt.url.as_deref())
    .bind(attempt.http_status.map(i64::from))
    .bind(attempt.body.as_deref())
    .bind(attempt.error.as_deref())
    .bind(attempt.duration_ms)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
