//! Persists what the transition table ([`crate::domain::order`]) decided: an order's new
//! status (with a conditional `UPDATE` on the expected status and version, so two racing
//! actions resolve to one), the timeline event, the deadlines armed, disarmed or resumed, and
//! the effects — all in the caller's transaction. Nothing here decides a status: callers ask
//! [`crate::domain::place_order`] / [`crate::domain::apply_action`] for an [`Outcome`] first.
//!
//! Effects carried out here: recording the payment, starting the service period (a renewal's
//! period starts where the current validity ends), authorizing the ISV for the mini program
//! (an `authorizations` row with an `app_auth_token`; one live authorization per mini program
//! and ISV, which a renewal keeps), opening and closing the platform audit (with the submitted
//! version's status: auditing, then audit passed or rejected with the reason, or back to
//! building when the order ends before a decision), and refunds.
//! The gateway notifications (`NotifyOrder`, `NotifyAuthorization`, `NotifyAudit…`) are rows
//! of the notification outbox ([`crate::open::notify`]), written here in the same
//! transaction. `ShowAcceptedNotice` is a pop-up of the ISV's page: nothing to store.

use super::data::{self, OrderRow};
use super::DAY_MS;
use crate::clock::UnixMillis;
use crate::domain::{Action, Actor, CancelCause, DeadlineChange, Effect, Outcome, Timer, Trigger};
use crate::error::AppError;
use crate::open::notify;
use sqlx::{Any, Transaction};

/// Who made a transition, for the timeline: the actor and, for people, their account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct By {
    pub actor: Actor,
    pub account_id: Option<i64>,
}

/// What a transition may need besides the outcome.
#[derive(Clone, Debug, Default)]
pub struct Details<'a> {
    /// The optional reason of a reject or cancel.
    pub reason: Option<&'a str>,
    /// The built version an ISV submits for approval (the `OpenAudit` effect).
    pub submitted_version_id: Option<i64>,
}

/// Records a freshly inserted order's placement: the timeline event, its deadlines and its
/// entry effects.
pub async fn record_placement(
    tx: &mut Transaction<'_, Any>,
    order_id: i64,
    outcome: &Outcome,
    by: By,
    now: UnixMillis,
) -> Result<(), AppError> {
    let order = data::order(&mut **tx, order_id)
        .await?
        .ok_or(AppError::NotFound)?;
    record(tx, &order, outcome, by, &Details::default(), now).await
}

/// Moves an existing order as `outcome` says, if it is still in the status and version it was
/// read with; `false` (and nothing changed) when another action got there first.
pub async fn apply(
    tx: &mut Transaction<'_, Any>,
    order: &OrderRow,
    outcome: &Outcome,
    by: By,
    details: &Details<'_>,
    now: UnixMillis,
) -> Result<bool, AppError> {
    let moved = sqlx::query(
        "UPDATE orders SET status = $3, cancel_cause = $4, version = version + 1, \
             updated_at = $5, \
             in_development_since = COALESCE(in_development_since, \
                 CASE WHEN $3 = 'in_development' THEN $5 ELSE NULL END) \
         WHERE id = $1 AND status = $2 AND version = $6",
    )
    .bind(order.id)
    .bind(order.status().as_str())
    .bind(outcome.to.as_str())
    .bind(outcome.cancel_cause.map(CancelCause::as_str))
    .bind(now)
    .bind(order.version)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if moved {
        record(tx, order, outcome, by, details, now).await?;
    }
    Ok(moved)
}

async fn record(
    tx: &mut Transaction<'_, Any>,
    order: &OrderRow,
    outcome: &Outcome,
    by: By,
    details: &Details<'_>,
    now: UnixMillis,
) -> Result<(), AppError> {
    insert_event(tx, order.id, outcome, by, details.reason, now).await?;
    for change in &outcome.deadlines {
        change_deadline(tx, order.id, *change, now).await?;
    }
    for effect in &outcome.effects {
        carry_out(tx, order, outcome, *effect, by, details, now).await?;
    }
    Ok(())
}

async fn insert_event(
    tx: &mut Transaction<'_, Any>,
    order_id: i64,
    outcome: &Outcome,
    by: By,
    reason: Option<&str>,
    now: UnixMillis,
) -> Result<(), AppError> {
    let action = match outcome.trigger {
        Trigger::Action(action, _) => action.as_str(),
        Trigger::Timer(timer) => timer.as_str(),
    };
    sqlx::query(
        "INSERT INTO order_events (order_id, at, actor_kind, actor_account_id, action, \
             from_status, to_status, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(order_id)
    .bind(now)
    .bind(by.actor.as_str())
    .bind(by.account_id.filter(|_| by.actor != Actor::Timer))
    .bind(action)
    .bind(outcome.from.map(|status| status.as_str()))
    .bind(outcome.to.as_str())
    .bind(reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn change_deadline(
    tx: &mut Transaction<'_, Any>,
    order_id: i64,
    change: DeadlineChange,
    now: UnixMillis,
) -> Result<(), AppError> {
    match change {
        DeadlineChange::Arm(timer) => {
            insert_deadline(tx, order_id, timer, now + timer.duration_secs() * 1000, now).await
        }
        DeadlineChange::Resume(timer) => {
            // The due time it had when it was disarmed: the clock is not reset.
            let last: Option<(i64,)> = sqlx::query_as(
                "SELECT due_at FROM deadlines WHERE order_id = $1 AND timer = $2 \
                 ORDER BY created_at DESC, id DESC LIMIT 1",
            )
            .bind(order_id)
            .bind(timer.as_str())
            .fetch_optional(&mut **tx)
            .await?;
            let due_at = last.map_or(now + timer.duration_secs() * 1000, |(due_at,)| due_at);
            insert_deadline(tx, order_id, timer, due_at, now).await
        }
        DeadlineChange::Disarm(timer) => {
            sqlx::query(
                "UPDATE deadlines SET canceled_at = $3 WHERE order_id = $1 AND timer = $2 \
                   AND fired_at IS NULL AND canceled_at IS NULL",
            )
            .bind(order_id)
            .bind(timer.as_str())
            .bind(now)
            .execute(&mut **tx)
            .await?;
            Ok(())
        }
    }
}

async fn insert_deadline(
    tx: &mut Transaction<'_, Any>,
    order_id: i64,
    timer: Timer,
    due_at: UnixMillis,
    now: UnixMillis,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO deadlines (order_id, timer, due_at, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(order_id)
    .bind(timer.as_str())
    .bind(due_at)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn carry_out(
    tx: &mut Transaction<'_, Any>,
    order: &OrderRow,
    outcome: &Outcome,
    effect: Effect,
    by: By,
    details: &Details<'_>,
    now: UnixMillis,
) -> Result<(), AppError> {
    match effect {
        Effect::RecordPayment => {
            set_order(tx, "paid_at = $2", order.id, now).await?;
        }
        Effect::StartServicePeriod => start_service_period(tx, order, now).await?,
        Effect::AuthorizeIsv => authorize_isv(tx, order, now).await?,
        Effect::OpenAudit => {
            let version = details.submitted_version_id.ok_or_else(|| {
                AppError::Invalid("A submission for approval names its built version.".into())
            })?;
            sqlx::query(
                "UPDATE orders SET audit_pending = 1, submitted_version_id = $2 WHERE id = $1",
            )
            .bind(order.id)
            .bind(version)
            .execute(&mut **tx)
            .await?;
            sqlx::query(
                "UPDATE mini_program_versions SET status = 'auditing', audit_reason = NULL, \
                     audited_by = NULL, audited_at = NULL WHERE id = $1",
            )
            .bind(version)
            .execute(&mut **tx)
            .await?;
        }
        Effect::CloseAudit => {
            close_audit(tx, order, outcome.trigger, by, details, now).await?;
            set_order(tx, "audit_pending = 0, updated_at = $2", order.id, now).await?;
        }
        Effect::Refund => refund(tx, order, outcome.cancel_cause, now).await?,
        Effect::NotifyOrder => {
            notify::enqueue_order_notify(tx, order.id, now).await?;
        }
        Effect::NotifyAuthorization => {
            notify::enqueue_app_auth_notify(tx, order.id, now).await?;
        }
        Effect::NotifyAuditPassed => {
            notify::enqueue_audit_result(tx, order.id, true, None, now).await?;
        }
        Effect::NotifyAuditRejected => {
            notify::enqueue_audit_result(tx, order.id, false, details.reason, now).await?;
        }
        // A pop-up of the ISV's page: nothing to store.
        Effect::ShowAcceptedNotice => {}
    }
    Ok(())
}

/// The submitted version's audit is over: passed or rejected (with the reason) by the
/// platform, or withdrawn because the order ended first (the version is a plain build again).
async fn close_audit(
    tx: &mut Transaction<'_, Any>,
    order: &OrderRow,
    trigger: Trigger,
    by: By,
    details: &Details<'_>,
    now: UnixMillis,
) -> Result<(), AppError> {
    let (status, reason) = match trigger {
        Trigger::Action(Action::AuditPass, _) => ("audit_passed", None),
        Trigger::Action(Action::AuditReject, _) => ("audit_rejected", details.reason),
        _ => ("building", None),
    };
    let decided = status != "building";
    sqlx::query(
        "UPDATE mini_program_versions SET status = $2, audit_reason = $3, audited_by = $4, \
             audited_at = $5 \
         WHERE id = (SELECT submitted_version_id FROM orders WHERE id = $1) \
           AND status = 'auditing'",
    )
    .bind(order.id)
    .bind(status)
    .bind(reason)
    .bind(by.account_id.filter(|_| decided))
    .bind(decided.then_some(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sets order columns from a fixed `assignments` text with `$2` = now.
async fn set_order(
    tx: &mut Transaction<'_, Any>,
    assignments: &'static str,
    order_id: i64,
    now: UnixMillis,
) -> Result<(), AppError> {
    sqlx::query(&format!("UPDATE orders SET {assignments} WHERE id = $1"))
        .bind(order_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The order's period starts now, or, for a renewal while the service is still valid, where
/// the current validity of the service for this mini program ends.
async fn start_service_period(
    tx: &mut Transaction<'_, Any>,
    order: &OrderRow,
    now: UnixMillis,
) -> Result<(), AppError> {
    let (current_end,): (Option<i64>,) = sqlx::query_as(
        "SELECT MAX(service_end_at) FROM orders WHERE service_id = $1 AND mini_program_id = $2 \
           AND id <> $3 AND status <> 'canceled' AND service_end_at IS NOT NULL",
    )
    .bind(order.service_id)
    .bind(order.mini_program_id)
    .bind(order.id)
    .fetch_one(&mut **tx)
    .await?;
    let start = current_end.map_or(now, |end| end.max(now));
    sqlx::query("UPDATE orders SET service_start_at = $2, service_end_at = $3 WHERE id = $1")
        .bind(order.id)
        .bind(start)
        .bind(start + order.period_days * DAY_MS)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Issues the ISV an `app_auth_token` for the mini program, unless a live one exists (a
/// renewal keeps it). Tokens look like Alipay's: `yyyyMM` `BB` then 32 random hex digits; the
/// token lives 365 days and its refresh token 372 (`expires_in` / `re_expires_in`).
async fn authorize_isv(
    tx: &mut Transaction<'_, Any>,
    order: &OrderRow,
    now: UnixMillis,
) -> Result<(), AppError> {
    let (live,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM authorizations WHERE mini_program_id = $1 \
           AND isv_workspace_id = $2 AND cancelled_at IS NULL",
    )
    .bind(order.mini_program_id)
    .bind(order.isv_workspace_id)
    .fetch_one(&mut **tx)
    .await?;
    if live > 0 {
        return Ok(());
    }
    let month = token_month(now);
    sqlx::query(
        "INSERT INTO authorizations (isv_workspace_id, merchant_workspace_id, mini_program_id, \
             order_id, app_auth_token, app_refresh_token, auth_code, expires_at, re_expires_at, \
             auth_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(order.isv_workspace_id)
    .bind(order.merchant_workspace_id)
    .bind(order.mini_program_id)
    .bind(order.id)
    .bind(format!("{month}BB{}", random_hex()))
    .bind(format!("{month}BB{}", random_hex()))
    .bind(random_hex())
    .bind(now + 365 * DAY_MS)
    .bind(now + 372 * DAY_MS)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// `yyyyMM` of a time in China Standard Time, as Alipay's tokens begin.
fn token_month(now: UnixMillis) -> String {
    let days = (now / 1000 + 8 * 3600).div_euclid(86_400);
    let (year, month, _) = crate::domain::civil_from_days(days);
    format!("{year:04}{month:02}")
}

/// 32 random lower-case hex digits (128 bits from the thread's CSPRNG).
fn random_hex() -> String {
    use rand::Rng;
    format!("{:032x}", rand::thread_rng().gen::<u128>())
}

/// Refunds what was paid, once (`refunds` allows one row per order).
async fn refund(
    tx: &mut Transaction<'_, Any>,
    order: &OrderRow,
    cause: Option<CancelCause>,
    now: UnixMillis,
) -> Result<(), AppError> {
    let cause = match cause {
        Some(
            cause @ (CancelCause::MerchantRefunded
            | CancelCause::IsvCancelled
            | CancelCause::DevelopmentTimeout),
        ) => cause,
        other => {
            return Err(AppError::Invalid(format!(
                "A refund needs a refunding cause, not {other:?}."
            )))
        }
    };
    sqlx::query("INSERT INTO refunds (order_id, amount_cents, cause, at) VALUES ($1, $2, $3, $4)")
        .bind(order.id)
        .bind(order.amount_cents)
        .bind(cause.as_str())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_begin_with_the_month_in_china_time_and_carry_128_random_bits() {
        // 2025-12-31T16:00:00Z is already January 2026 in Beijing.
        assert_eq!(token_month(1_767_196_800_000), "202601");
        assert_eq!(token_month(1_767_196_799_999), "202512");
        let (a, b) = (random_hex(), random_hex());
        assert_eq!(a.len(), 32);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
    }
}
