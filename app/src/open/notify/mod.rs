//! The notification outbox: every notification to an ISV's application gateway is a row of
//! `notifications`, written by the `enqueue_*` functions in the same transaction as the change
//! that causes it (the order lifecycle's effects, the merchant cancelling an authorization), so
//! none is lost and none is sent for a change that was rolled back. [`delivery`] sends them;
//! [`console`] is the ISV's Notifications page.
//!
//! The payload stored is the form the gateway receives, without `sign`: each attempt signs it
//! with the platform's current key (`sign_type=RSA2`), so a retry carries the same fields and
//! the same `notify_id`. The content rules follow what Alipay documents for each kind: the
//! order notification is signed with `sign_type` in the content (`rsaCheckV2`), the others
//! without it (`rsaCheckV1`). No payload has an empty value, so Java's `rsaCheckV1`, which
//! skips empty values, verifies the same content.

pub mod console;
pub mod delivery;

use super::sign::ContentRule;
use super::{alipay_time, apps, NotificationKind};
use crate::clock::UnixMillis;
use crate::error::AppError;
use serde_json::json;
use sqlx::{Any, Transaction};
use std::collections::BTreeMap;

/// How long a delivery waits for the ISV's gateway by default (`NOTIFY_TIMEOUT_SECS`).
pub const DEFAULT_TIMEOUT_SECS: u64 = 15;

/// The waits after each failed attempt: the first attempt is immediate, then 2m, 10m, 10m,
/// 1h, 2h, 6h and 15h — eight attempts over about 25 hours, as Alipay retries.
pub const RETRY_DELAYS_MS: [i64; 7] = [
    2 * MINUTE_MS,
    10 * MINUTE_MS,
    10 * MINUTE_MS,
    60 * MINUTE_MS,
    2 * 60 * MINUTE_MS,
    6 * 60 * MINUTE_MS,
    15 * 60 * MINUTE_MS,
];

const MINUTE_MS: i64 = 60 * 1000;

/// When to try again after `failed_attempts` attempts failed, or `None` when the schedule is
/// used up (the notification is then Failed; Redeliver tries once more).
pub fn next_attempt_after(failed_attempts: i64, now: UnixMillis) -> Option<UnixMillis> {
    usize::try_from(failed_attempts - 1)
        .ok()
        .and_then(|index| RETRY_DELAYS_MS.get(index))
        .map(|delay| now + delay)
}

/// The content rule each kind is signed with.
pub fn content_rule(kind: NotificationKind) -> ContentRule {
    match kind {
        NotificationKind::OrderNotify => ContentRule::V2,
        _ => ContentRule::V1,
    }
}

/// A new notify_id like Alipay's: the date in Beijing (`yyyyMMdd`), `00222`, then 21 random
/// digits — 34 digits that are not guessable from one another.
pub fn new_notify_id(now: UnixMillis) -> String {
    use rand::Rng;
    let date: String = alipay_time(now)
        .chars()
        .take(10)
        .filter(char::is_ascii_digit)
        .collect();
    let mut rng = rand::thread_rng();
    let random: String = (0..21)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect();
    format!("{date}00222{random}")
}

/// The fields a payload is built from, besides its kind.
pub type Params = BTreeMap<String, String>;

fn params<const N: usize>(pairs: [(&str, String); N]) -> Params {
    pairs
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| (key.to_owned(), value))
        .collect()
}

/// The common fields of a gateway notification (`notify_type`).
fn gateway_envelope(
    kind: NotificationKind,
    app_id: &str,
    notify_id: &str,
    now: UnixMillis,
) -> Params {
    params([
        ("notify_id", notify_id.to_owned()),
        ("notify_type", kind.code().to_owned()),
        ("notify_time", alipay_time(now)),
        ("app_id", app_id.to_owned()),
        ("charset", "UTF-8".to_owned()),
        ("version", "1.0".to_owned()),
        ("sign_type", "RSA2".to_owned()),
    ])
}

/// The common fields of a message-service message (`msg_method`, version 1.1).
fn message_envelope(
    kind: NotificationKind,
    app_id: &str,
    notify_id: &str,
    now: UnixMillis,
) -> Params {
    params([
        ("notify_id", notify_id.to_owned()),
        ("msg_method", kind.code().to_owned()),
        ("utc_timestamp", now.to_string()),
        ("app_id", app_id.to_owned()),
        ("charset", "UTF-8".to_owned()),
        ("version", "1.1".to_owned()),
        ("sign_type", "RSA2".to_owned()),
    ])
}

/// What `servicemarket_order_notify` says about an order.
#[derive(Clone, Debug)]
pub struct OrderFacts {
    pub order_no: String,
    pub service_id: i64,
    pub service_name: String,
    pub merchant_name: String,
    pub merchant_pid: String,
    pub contact_name: String,
    pub contact_mobile: String,
    pub amount_cents: i64,
    pub period_days: i64,
    pub terminals: String,
    pub mini_app_id: String,
    pub created_at: i64,
}

/// The `servicemarket_order_notify` form (fields as in the reference, §B.5.1).
pub fn order_notify(app_id: &str, notify_id: &str, now: UnixMillis, order: &OrderFacts) -> Params {
    let mut form = gateway_envelope(NotificationKind::OrderNotify, app_id, notify_id, now);
    form.extend(params([
        (
            "method",
            "alipay.open.servicemarket.order.notify".to_owned(),
        ),
        ("timestamp", alipay_time(now)),
        ("commodity_order_id", order.order_no.clone()),
        ("commodity_id", order.service_id.to_string()),
        ("order_time", alipay_time(order.created_at)),
        ("title", order.service_name.clone()),
        ("name", order.merchant_name.clone()),
        ("merchant_pid", order.merchant_pid.clone()),
        ("contactor", order.contact_name.clone()),
        ("phone", order.contact_mobile.clone()),
        ("order_item_num", "1".to_owned()),
        (
            "total_price",
            format!(
                "{}.{:02}",
                order.amount_cents / 100,
                order.amount_cents % 100
            ),
        ),
        ("period_day", order.period_days.to_string()),
        ("consumer_miniAppId", order.mini_app_id.clone()),
        ("miniapp_release_bundle", order.terminals.clone()),
    ]));
    form
}

/// What `open_app_auth_notify` and the cancellation message say about an authorization.
#[derive(Clone, Debug)]
pub struct AuthorizationFacts {
    pub app_auth_token: String,
    pub app_refresh_token: String,
    pub auth_code: String,
    pub expires_at: i64,
    pub re_expires_at: i64,
    pub auth_time: i64,
    pub mini_app_id: String,
    pub merchant_pid: String,
}

/// The `open_app_auth_notify` form: `status=execute_auth` and the token in `biz_content`
/// (trigger `appstore`: the authorization came with a service-market order).
pub fn app_auth_notify(
    app_id: &str,
    notify_id: &str,
    now: UnixMillis,
    auth: &AuthorizationFacts,
) -> Params {
    let biz_content = json!({
        "notify_context": { "trigger": "appstore" },
        "detail": {
            "app_auth_token": auth.app_auth_token,
            "app_refresh_token": auth.app_refresh_token,
            "auth_app_id": auth.mini_app_id,
            "app_id": app_id,
            "user_id": auth.merchant_pid,
            "expires_in": (auth.expires_at - auth.auth_time) / 1000,
            "re_expires_in": (auth.re_expires_at - auth.auth_time) / 1000,
            "auth_time": auth.auth_time,
            "app_auth_code": auth.auth_code,
        },
        "error": {},
    });
    let mut form = gateway_envelope(NotificationKind::AppAuthNotify, app_id, notify_id, now);
    form.extend(params([
        ("auth_app_id", auth.mini_app_id.clone()),
        ("status", "execute_auth".to_owned()),
        ("biz_content", biz_content.to_string()),
    ]));
    form
}

/// The `alipay.open.auth.appauth.cancelled` message.
pub fn auth_cancelled(
    app_id: &str,
    notify_id: &str,
    now: UnixMillis,
    auth: &AuthorizationFacts,
) -> Params {
    let biz_content = json!({
        "app_auth_token": auth.app_auth_token,
        "app_id": app_id,
        "auth_app_id": auth.mini_app_id,
        "user_id": auth.merchant_pid,
    });
    let mut form = message_envelope(NotificationKind::AuthCancelled, app_id, notify_id, now);
    form.insert("biz_content".into(), biz_content.to_string());
    form
}

/// The `alipay.open.mini.version.audit.passed` / `.rejected` message; a rejection carries its
/// reason (when the reviewer gave one).
pub fn audit_result(
    kind: NotificationKind,
    app_id: &str,
    notify_id: &str,
    now: UnixMillis,
    mini_app_id: &str,
    version: &str,
    reason: Option<&str>,
) -> Params {
    let mut biz = json!({ "mini_app_id": mini_app_id, "mini_app_version": version });
    if let Some(reason) = reason.filter(|reason| !reason.trim().is_empty()) {
        biz["audit_reason"] = json!(reason);
    }
    let mut form = message_envelope(kind, app_id, notify_id, now);
    form.insert("biz_content".into(), biz.to_string());
    form
}

/// Writes a notification row, due at once.
async fn insert(
    tx: &mut Transaction<'_, Any>,
    workspace_id: i64,
    order_id: Option<i64>,
    kind: NotificationKind,
    form: &Params,
    is_test: bool,
    now: UnixMillis,
) -> Result<i64, AppError> {
    let notify_id = &form["notify_id"];
    let (notify_type, msg_method) = if kind.is_message() {
        (None, Some(kind.code()))
    } else {
        (Some(kind.code()), None)
    };
    let payload = serde_json::to_string(form).map_err(|error| AppError::internal(&error))?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO notifications (notify_id, isv_workspace_id, order_id, notify_type, \
             msg_method, payload, is_test, status, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $8) RETURNING id",
    )
    .bind(notify_id)
    .bind(workspace_id)
    .bind(order_id)
    .bind(notify_type)
    .bind(msg_method)
    .bind(payload)
    .bind(i64::from(is_test))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct OrderFactsRow {
    isv_workspace_id: i64,
    order_no: String,
    service_id: i64,
    service_name: String,
    merchant_name: Option<String>,
    merchant_pid: Option<String>,
    contact_name: String,
    contact_mobile: String,
    amount_cents: i64,
    period_days: i64,
    terminals: String,
    mini_app_id: String,
    created_at: i64,
}

async fn order_facts(
    tx: &mut Transaction<'_, Any>,
    order_id: i64,
) -> Result<(i64, OrderFacts), AppError> {
    let row: OrderFactsRow = sqlx::query_as(
        "SELECT o.isv_workspace_id, o.order_no, o.service_id, s.name AS service_name, \
             m.merchant_name, m.merchant_pid, o.contact_name, o.contact_mobile, o.amount_cents, \
             o.period_days, o.terminals, mp.app_id AS mini_app_id, o.created_at \
         FROM orders o JOIN services s ON s.id = o.service_id \
         JOIN mini_programs mp ON mp.id = o.mini_program_id \
         LEFT JOIN merchants m ON m.workspace_id = o.merchant_workspace_id \
         WHERE o.id = $1",
    )
    .bind(order_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok((
        row.isv_workspace_id,
        OrderFacts {
            order_no: row.order_no,
            service_id: row.service_id,
            service_name: row.service_name,
            merchant_name: row.merchant_name.unwrap_or_default(),
            merchant_pid: row.merchant_pid.unwrap_or_default(),
            contact_name: row.contact_name,
            contact_mobile: row.contact_mobile,
            amount_cents: row.amount_cents,
            period_days: row.period_days,
            terminals: row.terminals,
            mini_app_id: row.mini_app_id,
            created_at: row.created_at,
        },
    ))
}

const AUTHORIZATION_FACTS: &str = "SELECT a.isv_workspace_id, a.app_auth_token, \
        a.app_refresh_token, a.auth_code, a.expires_at, a.re_expires_at, a.auth_time, \
        mp.app_id, COALESCE(m.merchant_pid, '') \
     FROM authorizations a JOIN mini_programs mp ON mp.id = a.mini_program_id \
     LEFT JOIN merchants m ON m.workspace_id = a.merchant_workspace_id";

type AuthorizationRow = (i64, String, String, String, i64, i64, i64, String, String);

fn authorization_facts(row: AuthorizationRow) -> (i64, AuthorizationFacts) {
    (
        row.0,
        AuthorizationFacts {
            app_auth_token: row.1,
            app_refresh_token: row.2,
            auth_code: row.3,
            expires_at: row.4,
            re_expires_at: row.5,
            auth_time: row.6,
            mini_app_id: row.7,
            merchant_pid: row.8,
        },
    )
}

/// `servicemarket_order_notify` for an order (the lifecycle's `NotifyOrder` effect).
pub async fn enqueue_order_notify(
    tx: &mut Transaction<'_, Any>,
    order_id: i64,
    now: UnixMillis,
) -> Result<i64, AppError> {
    let (workspace_id, order) = order_facts(tx, order_id).await?;
    let app = apps::ensure(tx, workspace_id, now).await?;
    let form = order_notify(app.app_id().as_str(), &new_notify_id(now), now, &order);
    insert(
        tx,
        workspace_id,
        Some(order_id),
        NotificationKind::OrderNotify,
        &form,
        false,
        now,
    )
    .await
}

/// `open_app_auth_notify` for the ISV's live authorization of an order's mini program (the
/// lifecycle's `NotifyAuthorization` effect, after `AuthorizeIsv` issued or kept the token).
pub async fn enqueue_app_auth_notify(
    tx: &mut Transaction<'_, Any>,
    order_id: i64,
    now: UnixMillis,
) -> Result<i64, AppError> {
    let row: AuthorizationRow = sqlx::query_as(&format!(
        "{AUTHORIZATION_FACTS} JOIN orders o ON o.mini_program_id = a.mini_program_id \
           AND o.isv_workspace_id = a.isv_workspace_id \
         WHERE o.id = $1 AND a.cancelled_at IS NULL ORDER BY a.auth_time DESC, a.id DESC LIMIT 1"
    ))
    .bind(order_id)
    .fetch_one(&mut **tx)
    .await?;
    let (workspace_id, auth) = authorization_facts(row);
    let app = apps::ensure(tx, workspace_id, now).await?;
    let form = app_auth_notify(app.app_id().as_str(), &new_notify_id(now), now, &auth);
    insert(
        tx,
        workspace_id,
        Some(order_id),
        NotificationKind::AppAuthNotify,
        &form,
        false,
        now,
    )
    .await
}

/// `alipay.open.auth.appauth.cancelled` for an authorization the merchant cancelled.
pub async fn enqueue_authorization_cancelled(
    tx: &mut Transaction<'_, Any>,
    authorization_id: i64,
    now: UnixMillis,
) -> Result<i64, AppError> {
    let row: AuthorizationRow = sqlx::query_as(&format!("{AUTHORIZATION_FACTS} WHERE a.id = $1"))
        .bind(authorization_id)
        .fetch_one(&mut **tx)
        .await?;
    let (order_id,): (Option<i64>,) =
        sqlx::query_as("SELECT order_id FROM authorizations WHERE id = $1")
            .bind(authorization_id)
            .fetch_one(&mut **tx)
            .await?;
    let (workspace_id, auth) = authorization_facts(row);
    let app = apps::ensure(tx, workspace_id, now).await?;
    let form = auth_cancelled(app.app_id().as_str(), &new_notify_id(now), now, &auth);
    insert(
        tx,
        workspace_id,
        order_id,
        NotificationKind::AuthCancelled,
        &form,
        false,
        now,
    )
    .await
}

/// The audit result of an order's submitted version (the lifecycle's `NotifyAuditPassed` /
/// `NotifyAuditRejected` effects); `reason` is the reviewer's, for a rejection.
pub async fn enqueue_audit_result(
    tx: &mut Transaction<'_, Any>,
    order_id: i64,
    passed: bool,
    reason: Option<&str>,
    now: UnixMillis,
) -> Result<i64, AppError> {
    let (workspace_id, mini_app_id, version): (i64, String, Option<String>) = sqlx::query_as(
        "SELECT o.isv_workspace_id, mp.app_id, v.version FROM orders o \
         JOIN mini_programs mp ON mp.id = o.mini_program_id \
         LEFT JOIN mini_program_versions v ON v.id = o.submitted_version_id \
         WHERE o.id = $1",
    )
    .bind(order_id)
    .fetch_one(&mut **tx)
    .await?;
    let kind = if passed {
        NotificationKind::AuditPassed
    } else {
        NotificationKind::AuditRejected
    };
    let app = apps::ensure(tx, workspace_id, now).await?;
    let form = audit_result(
        kind,
        app.app_id().as_str(),
        &new_notify_id(now),
        now,
        &mini_app_id,
        &version.unwrap_or_default(),
        reason.filter(|_| !passed),
    );
    insert(tx, workspace_id, Some(order_id), kind, &form, false, now).await
}

/// Cancels a live authorization (the merchant's 取消授权): its tokens stop working at once and
/// the ISV gets `alipay.open.auth.appauth.cancelled`, in the caller's transaction. `false`
/// when it was already cancelled (nothing is sent twice).
pub async fn cancel_authorization(
    tx: &mut Transaction<'_, Any>,
    authorization_id: i64,
    now: UnixMillis,
) -> Result<bool, AppError> {
    let cancelled = sqlx::query(
        "UPDATE authorizations SET cancelled_at = $2 WHERE id = $1 AND cancelled_at IS NULL",
    )
    .bind(authorization_id)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if cancelled {
        enqueue_authorization_cancelled(tx, authorization_id, now).await?;
    }
    Ok(cancelled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::open::sign::{self, PrivateKey};

    const NOW: i64 = 1_767_225_600_000;

    fn order() -> OrderFacts {
        OrderFacts {
            order_no: "202601010000000000000042".into(),
            service_id: 7,
            service_name: "点餐小程序".into(),
            merchant_name: "Lucky Noodles".into(),
            merchant_pid: "2088000000000001".into(),
            contact_name: "李雷".into(),
            contact_mobile: "13800138000".into(),
            amount_cents: 199_900,
            period_days: 365,
            terminals: String::new(),
            mini_app_id: "2021000000000009".into(),
            created_at: NOW - 60_000,
        }
    }

    #[test]
    fn the_retry_schedule_is_eight_attempts_over_about_25_hours() {
        let mut at = NOW;
        let mut attempts = 1;
        while let Some(next) = next_attempt_after(attempts, at) {
            at = next;
            attempts += 1;
        }
        assert_eq!(attempts, 8);
        assert_eq!(at - NOW, (2 + 10 + 10 + 60 + 120 + 360 + 900) * 60_000);
        assert_eq!(next_attempt_after(1, NOW), Some(NOW + 2 * 60_000));
        assert_eq!(next_attempt_after(0, NOW), None);
        assert_eq!(next_attempt_after(9, NOW), None);
    }

    #[test]
    fn notify_ids_are_34_digits_starting_with_the_beijing_date() {
        let a = new_notify_id(NOW);
        let b = new_notify_id(NOW);
        assert_eq!(a.len(), 34);
        assert!(a.starts_with("2026010100222"));
        assert!(a.bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(a, b);
    }

    #[test]
    fn an_order_notification_has_alipays_fields_and_no_empty_value() {
        let form = order_notify("2021000000000001", "n1", NOW, &order());
        assert_eq!(form["notify_type"], "servicemarket_order_notify");
        assert_eq!(form["method"], "alipay.open.servicemarket.order.notify");
        assert_eq!(form["commodity_order_id"], "202601010000000000000042");
        assert_eq!(form["total_price"], "1999.00");
        assert_eq!(form["order_time"], "2026-01-01 07:59:00");
        assert_eq!(form["notify_time"], "2026-01-01 08:00:00");
        assert_eq!(form["consumer_miniAppId"], "2021000000000009");
        assert_eq!(form["sign_type"], "RSA2");
        assert!(!form.contains_key("miniapp_release_bundle"));
        assert!(form.values().all(|value| !value.is_empty()));
    }

    #[test]
    fn each_kind_verifies_with_the_rule_alipay_documents_for_it() {
        let key = PrivateKey::generate();
        let public = key.public_key();
        let auth = AuthorizationFacts {
            app_auth_token: "202601BBabc".into(),
            app_refresh_token: "202601BBdef".into(),
            auth_code: "code".into(),
            expires_at: NOW + 365 * 86_400_000,
            re_expires_at: NOW + 372 * 86_400_000,
            auth_time: NOW,
            mini_app_id: "2021000000000009".into(),
            merchant_pid: "2088000000000001".into(),
        };
        let forms = [
            (
                NotificationKind::OrderNotify,
                order_notify("2021000000000001", "n", NOW, &order()),
            ),
            (
                NotificationKind::AppAuthNotify,
                app_auth_notify("2021000000000001", "n", NOW, &auth),
            ),
            (
                NotificationKind::AuthCancelled,
                auth_cancelled("2021000000000001", "n", NOW, &auth),
            ),
        ];
        for (kind, mut form) in forms {
            let signature = sign::sign_params(&form, &key, content_rule(kind));
            form.insert("sign".into(), signature);
            assert_eq!(
                sign::verify_notification(&form, &public),
                Some(content_rule(kind))
            );
        }
        let auth_form = app_auth_notify("2021000000000001", "n", NOW, &auth);
        let biz: serde_json::Value = serde_json::from_str(&auth_form["biz_content"]).unwrap();
        assert_eq!(biz["notify_context"]["trigger"], "appstore");
        assert_eq!(biz["detail"]["expires_in"], 31_536_000);
        assert_eq!(biz["detail"]["re_expires_in"], 32_140_800);
        assert_eq!(biz["detail"]["auth_time"], NOW);
        let rejected = audit_result(
            NotificationKind::AuditRejected,
            "2021000000000001",
            "n",
            NOW,
            "2021000000000009",
            "1.0.1",
            Some("图片违规"),
        );
        let biz: serde_json::Value = serde_json::from_str(&rejected["biz_content"]).unwrap();
        assert_eq!(biz["audit_reason"], "图片违规");
        assert_eq!(
            rejected["msg_method"],
            "alipay.open.mini.version.audit.rejected"
        );
    }
}
