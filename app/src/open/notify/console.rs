//! The ISV console's Notifications page: each delivery with its payload, last answer,
//! attempts and next attempt; Redeliver; Send a test notification; and a tool that checks a
//! signature against a payload. Any member of the approved ISV workspace may use them: they
//! concern the ISV's own integration and change nothing of the platform's.

use super::super::sign::{self, ContentRule, PublicKey};
use super::super::{
    apps, field, keys, AttemptView, DeliveryStatus, MatchedKey, NotificationKind, NotificationView,
    OpenText, SignatureCheckView,
};
use super::{insert, new_notify_id, AuthorizationFacts, OrderFacts, Params};
use crate::auth::{Account, FieldErrors};
use crate::error::AppError;
use crate::state::AppState;

/// How many notifications the page lists (newest first).
pub const PAGE_SIZE: i64 = 50;

type NotificationRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    i64,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
    Option<String>,
    i64,
    Option<i64>,
);

const NOTIFICATION_SELECT: &str = "SELECT n.id, n.notify_id, n.notify_type, n.msg_method, \
        o.order_no, n.payload, n.is_test, n.status, n.attempts, n.next_attempt_at, \
        n.last_status, n.last_body, n.last_error, n.created_at, n.delivered_at \
     FROM notifications n LEFT JOIN orders o ON o.id = n.order_id";

fn view(row: NotificationRow, history: Vec<AttemptView>) -> NotificationView {
    let kind = row
        .2
        .as_deref()
        .or(row.3.as_deref())
        .and_then(NotificationKind::parse)
        .unwrap_or(NotificationKind::OrderNotify);
    NotificationView {
        id: row.0,
        notify_id: row.1,
        kind,
        order_no: row.4,
        payload: serde_json::from_str(&row.5).unwrap_or_default(),
        is_test: row.6 != 0,
        status: DeliveryStatus::parse(&row.7).unwrap_or(DeliveryStatus::Pending),
        attempts: row.8,
        next_attempt_at: row.9,
        last_status: row.10,
        last_body: row.11,
        last_error: row.12,
        created_at: row.13,
        delivered_at: row.14,
        history,
    }
}

async fn attempts_of(state: &AppState, ids: &[i64]) -> Result<Vec<(i64, AttemptView)>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT notification_id, attempt_no, at, url, http_status, response_body, error, \
             duration_ms FROM notification_attempts WHERE notification_id IN ({}) \
         ORDER BY notification_id, attempt_no",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<
        _,
        (
            i64,
            i64,
            i64,
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<String>,
            i64,
        ),
    >(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    let rows = query.fetch_all(state.db.pool()).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            (
                row.0,
                AttemptView {
                    attempt_no: row.1,
                    at: row.2,
                    url: row.3,
                    http_status: row.4,
                    response_body: row.5,
                    error: row.6,
                    duration_ms: row.7,
                },
            )
        })
        .collect())
}

async fn views(
    state: &AppState,
    rows: Vec<NotificationRow>,
) -> Result<Vec<NotificationView>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|row| row.0).collect();
    let attempts = attempts_of(state, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let id = row.0;
            let history = attempts
                .iter()
                .filter(|(of, _)| *of == id)
                .map(|(_, attempt)| attempt.clone())
                .collect();
            view(row, history)
        })
        .collect())
}

async fn one(state: &AppState, workspace_id: i64, id: i64) -> Result<NotificationView, AppError> {
    let row: NotificationRow = sqlx::query_as(&format!(
        "{NOTIFICATION_SELECT} WHERE n.id = $1 AND n.isv_workspace_id = $2"
    ))
    .bind(id)
    .bind(workspace_id)
    .fetch_optional(state.db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(views(state, vec![row]).await?.remove(0))
}

/// The workspace's notifications, newest first, optionally of one delivery status.
pub async fn list(
    state: &AppState,
    account: &Account,
    workspace_id: i64,
    status: Option<&str>,
) -> Result<Vec<NotificationView>, AppError> {
    apps::isv_workspace(state, account, workspace_id).await?;
    let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(code) => Some(
            DeliveryStatus::parse(code)
                .ok_or_else(|| AppError::Invalid(format!("Unknown delivery status {code:?}.")))?,
        ),
    };
    let rows: Vec<NotificationRow> = sqlx::query_as(&format!(
        "{NOTIFICATION_SELECT} WHERE n.isv_workspace_id = $1 AND ($2 = '' OR n.status = $2) \
         ORDER BY n.created_at DESC, n.id DESC LIMIT $3"
    ))
    .bind(workspace_id)
    .bind(status.map_or("", DeliveryStatus::code))
    .bind(PAGE_SIZE)
    .fetch_all(state.db.pool())
    .await?;
    views(state, rows).await
}

/// Redeliver: the notification is due again now, with the same notify_id and payload. A
/// pending one skips the rest of its wait; a delivered or failed one gets one more attempt
/// (which, failing, leaves it Failed). Refused while an attempt is in flight.
pub async fn redeliver(
    state: &AppState,
    account: &Account,
    workspace_id: i64,
    notification_id: i64,
) -> Result<NotificationView, AppError> {
    apps::isv_workspace(state, account, workspace_id).await?;
    one(state, workspace_id, notification_id).await?;
    let now = state.clock.now();
    let updated = sqlx::query(
        "UPDATE notifications SET status = 'pending', next_attempt_at = $3, delivered_at = NULL \
         WHERE id = $1 AND isv_workspace_id = $2 \
           AND (claimed_until IS NULL OR claimed_until < $3)",
    )
    .bind(notification_id)
    .bind(workspace_id)
    .bind(now)
    .execute(state.db.pool())
    .await?
    .rows_affected();
    if updated != 1 {
        return Err(AppError::Fields(FieldErrors::one(
            field::FORM,
            OpenText::DeliveryInProgress,
        )));
    }
    one(state, workspace_id, notification_id).await
}

/// A test notification of `kind` with sample values (marked as a test in the console), sent
/// like any other.
pub async fn send_test(
    state: &AppState,
    account: &Account,
    workspace_id: i64,
    kind: &str,
) -> Result<NotificationView, AppError> {
    apps::isv_workspace(state, account, workspace_id).await?;
    let kind = match kind.trim() {
        "" => NotificationKind::OrderNotify,
        code => NotificationKind::parse(code).ok_or_else(|| {
            AppError::Fields(FieldErrors::one(field::KIND, OpenText::KindUnknown))
        })?,
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let app = apps::ensure(&mut tx, workspace_id, now).await?;
    let form = sample(kind, app.app_id().as_str(), &new_notify_id(now), now);
    let id = insert(&mut tx, workspace_id, None, kind, &form, true, now).await?;
    tx.commit().await?;
    one(state, workspace_id, id).await
}

/// A notification of `kind` about a made-up order and authorization.
fn sample(kind: NotificationKind, app_id: &str, notify_id: &str, now: i64) -> Params {
    let order = OrderFacts {
        order_no: "000000000000000000000000".into(),
        service_id: 0,
        service_name: "测试通知 Test notification".into(),
        merchant_name: "测试商家 Test merchant".into(),
        merchant_pid: "2088000000000000".into(),
        contact_name: "测试 Test".into(),
        contact_mobile: "13800138000".into(),
        amount_cents: 0,
        period_days: 30,
        terminals: String::new(),
        mini_app_id: "2021000000000000".into(),
        created_at: now,
    };
    let auth = AuthorizationFacts {
        app_auth_token: "000000BBtesttoken0000000000000000000000".into(),
        app_refresh_token: "000000BBtestrefresh00000000000000000000".into(),
        auth_code: "testcode00000000000000000000000000".into(),
        expires_at: now + 365 * 86_400_000,
        re_expires_at: now + 372 * 86_400_000,
        auth_time: now,
        mini_app_id: order.mini_app_id.clone(),
        merchant_pid: order.merchant_pid.clone(),
    };
    match kind {
        NotificationKind::OrderNotify => super::order_notify(app_id, notify_id, now, &order),
        NotificationKind::AppAuthNotify => super::app_auth_notify(app_id, notify_id, now, &auth),
        NotificationKind::AuthCancelled => super::auth_cancelled(app_id, notify_id, now, &auth),
        NotificationKind::AuditPassed | NotificationKind::AuditRejected => super::audit_result(
            kind,
            app_id,
            notify_id,
            now,
            &order.mini_app_id,
            "0.0.1",
            Some("测试 Test"),
        ),
    }
}

/// Reads a payload pasted as a form body (`a=1&b=2`, percent-encoded as sent) or as a JSON
/// object of its fields (strings; other values are taken as their JSON text).
pub fn parse_payload(text: &str) -> Option<Params> {
    let text = text.trim();
    if text.starts_with('{') {
        let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text).ok()?;
        return Some(
            object
                .into_iter()
                .map(|(key, value)| match value {
                    serde_json::Value::String(text) => (key, text),
                    other => (key, other.to_string()),
                })
                .collect(),
        );
    }
    if !text.contains('=') {
        return None;
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(text).ok()?;
    Some(pairs.into_iter().collect())
}

/// Checks a payload's `sign` against the given public key, or else against the platform's
/// keys (the current one and rotated ones still in their grace period), under each content
/// rule Alipay's SDKs use.
pub async fn check_signature(
    state: &AppState,
    payload: &str,
    public_key: &str,
) -> Result<SignatureCheckView, AppError> {
    let params = parse_payload(payload).ok_or_else(|| {
        AppError::Fields(FieldErrors::one(field::PAYLOAD, OpenText::PayloadFormat))
    })?;
    if !params.contains_key("sign") {
        return Err(AppError::Fields(FieldErrors::one(
            field::PAYLOAD,
            OpenText::PayloadUnsigned,
        )));
    }
    let matched = if public_key.trim().is_empty() {
        keys::verify_with_platform_keys(&state.db, &params, state.clock.now())
            .await?
            .map(|(key, rule)| {
                let which = if key.is_current() {
                    MatchedKey::PlatformCurrent
                } else {
                    MatchedKey::PlatformRetired
                };
                (which, rule)
            })
    } else {
        let key = PublicKey::parse(public_key).map_err(|error| {
            AppError::Fields(FieldErrors::one(field::PUBLIC_KEY, error.message()))
        })?;
        sign::verify_notification(&params, &key).map(|rule| (MatchedKey::Given, rule))
    };
    let iter = params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    Ok(match matched {
        Some((key, rule)) => SignatureCheckView {
            valid: true,
            matched_key: Some(key),
            rule: Some(rule.describe()),
            content: sign::content(iter, rule),
        },
        None => SignatureCheckView {
            valid: false,
            matched_key: None,
            rule: None,
            content: sign::content(iter, ContentRule::V1),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_are_read_as_form_bodies_or_json_objects() {
        let form = parse_payload("a=1&b=%E4%B8%AD+%2B&sign=x%2By%3D").unwrap();
        assert_eq!(form["b"], "中 +");
        assert_eq!(form["sign"], "x+y=");
        let json = parse_payload(r#"{"a":"1","n":2,"sign":"s"}"#).unwrap();
        assert_eq!(json["n"], "2");
        assert_eq!(parse_payload("just text"), None);
        assert_eq!(parse_payload("{not json"), None);
    }
}
