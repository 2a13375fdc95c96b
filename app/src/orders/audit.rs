//! The platform's audit of the versions ISVs submit for approval (seed 001 §7: the order moves
//! to 待商家确认 once the mini program passes the audit). A reviewer passes a version, or rejects
//! it with a reason the ISV reads on the order; or the platform passes every submission at once
//! where the `version_audit_auto_pass` setting is on. Both are rows of the transition table
//! (Audit pass / Audit reject by the platform); the version's own status is kept by the
//! lifecycle's `OpenAudit` / `CloseAudit` effects.

use super::flows::{decide, persist};
use super::{field, AuditItem, AuditQueue, OrdersText};
use crate::auth::{Account, FieldErrors};
use crate::clock::UnixMillis;
use crate::domain::{Action, Actor};
use crate::error::AppError;
use crate::onboarding::flows::require_reviewer;
use crate::ordering::lifecycle::{By, Details};
use crate::state::AppState;
use sqlx::{Any, Executor, Transaction};

/// The `platform_settings` key of automatic audit: `true` passes every submission at once.
pub const AUTO_PASS_KEY: &str = "version_audit_auto_pass";

/// Whether the platform passes submitted versions without a reviewer.
pub async fn auto_pass<'e>(executor: impl Executor<'e, Database = Any>) -> Result<bool, AppError> {
    let value: Option<(String,)> =
        sqlx::query_as("SELECT value FROM platform_settings WHERE key = $1")
            .bind(AUTO_PASS_KEY)
            .fetch_optional(executor)
            .await?;
    Ok(value.is_some_and(|(value,)| value == "true"))
}

/// Turns automatic audit on or off (reviewers only). Versions already waiting stay in the
/// queue: the setting decides new submissions.
pub async fn set_auto_pass(
    state: &AppState,
    reviewer: &Account,
    on: bool,
) -> Result<AuditQueue, AppError> {
    require_reviewer(reviewer)?;
    sqlx::query(
        "INSERT INTO platform_settings (key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(AUTO_PASS_KEY)
    .bind(if on { "true" } else { "false" })
    .bind(state.clock.now())
    .execute(state.db.pool())
    .await?;
    queue(state, reviewer).await
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    version_id: i64,
    version: String,
    notes: String,
    mini_program_name: String,
    app_id: String,
    order_id: i64,
    order_no: String,
    service_name: String,
    isv_name: String,
    merchant_name: String,
    created_at: i64,
}

/// The versions waiting for audit, oldest first, with the order each was built for.
pub async fn queue(state: &AppState, reviewer: &Account) -> Result<AuditQueue, AppError> {
    require_reviewer(reviewer)?;
    let rows: Vec<QueueRow> = sqlx::query_as(
        "SELECT v.id AS version_id, v.version, v.notes, mp.name AS mini_program_name, \
             mp.app_id, o.id AS order_id, o.order_no, s.name AS service_name, \
             iw.name AS isv_name, mw.name AS merchant_name, v.created_at \
         FROM mini_program_versions v \
         JOIN orders o ON o.submitted_version_id = v.id AND o.audit_pending = 1 \
         JOIN mini_programs mp ON mp.id = v.mini_program_id \
         JOIN services s ON s.id = o.service_id \
         JOIN workspaces iw ON iw.id = o.isv_workspace_id \
         JOIN workspaces mw ON mw.id = o.merchant_workspace_id \
         WHERE v.status = 'auditing' ORDER BY v.created_at, v.id",
    )
    .fetch_all(state.db.pool())
    .await?;
    Ok(AuditQueue {
        items: rows
            .into_iter()
            .map(|row| AuditItem {
                version_id: row.version_id,
                version: row.version,
                notes: row.notes,
                mini_program_name: row.mini_program_name,
                app_id: super::data::app_id(&row.app_id),
                order_no: super::data::order_no(&row.order_no, row.order_id),
                service_name: row.service_name,
                isv_name: row.isv_name,
                merchant_name: row.merchant_name,
                created_at: row.created_at,
            })
            .collect(),
        auto_pass: auto_pass(state.db.pool()).await?,
    })
}

fn not_pending() -> AppError {
    AppError::Fields(FieldErrors::one(field::FORM, OrdersText::AuditNotPending))
}

/// The order waiting for the audit of `version_id`. Read before the transaction: on SQLite a
/// transaction's first statement must be its first write (the order's lock), or a writer that
/// commits in between makes the lock fail instead of wait.
async fn waiting_order<'e>(
    executor: impl Executor<'e, Database = Any>,
    version_id: i64,
) -> Result<i64, AppError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM orders WHERE submitted_version_id = $1 AND audit_pending = 1",
    )
    .bind(version_id)
    .fetch_optional(executor)
    .await?;
    row.map(|(id,)| id).ok_or_else(not_pending)
}

/// Applies the audit's decision on the order waiting for `version_id`, inside `tx`: `reason`
/// `None` passes it, `Some` rejects it. `reviewer` is `None` for the automatic audit.
async fn decide_in(
    tx: &mut Transaction<'_, Any>,
    order_id: i64,
    version_id: i64,
    reviewer: Option<i64>,
    reason: Option<&str>,
    now: UnixMillis,
) -> Result<(), AppError> {
    let action = match reason {
        None => Action::AuditPass,
        Some(_) => Action::AuditReject,
    };
    let decided = decide(tx, order_id, None, action, Actor::Platform, now).await?;
    // Locked and read again: a second click, or a cancel meanwhile, finds no waiting version.
    let still_waiting: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM orders WHERE id = $1 AND submitted_version_id = $2 AND audit_pending = 1",
    )
    .bind(order_id)
    .bind(version_id)
    .fetch_optional(&mut **tx)
    .await?;
    if still_waiting.is_none() {
        return Err(not_pending());
    }
    let by = By {
        actor: Actor::Platform,
        account_id: reviewer,
    };
    let details = Details {
        reason,
        submitted_version_id: Some(version_id),
    };
    persist(tx, &decided, by, &details, now).await
}

/// Passes the version inside `tx` (the automatic audit, right after Submit).
pub async fn pass_in(
    tx: &mut Transaction<'_, Any>,
    order_id: i64,
    version_id: i64,
    reviewer: Option<i64>,
    now: UnixMillis,
) -> Result<(), AppError> {
    decide_in(tx, order_id, version_id, reviewer, None, now).await
}

/// A reviewer passes a version (`reason` empty) or rejects it with a reason the ISV sees. A
/// pass moves the order to Under Approval; a rejection keeps it In Development.
pub async fn review(
    state: &AppState,
    reviewer: &Account,
    version_id: i64,
    pass: bool,
    reason: &str,
) -> Result<AuditQueue, AppError> {
    require_reviewer(reviewer)?;
    let reason = super::rules::check_reason(reason)
        .map_err(|text| AppError::Fields(FieldErrors::one(field::REASON, text)))?;
    let reason = match (pass, reason) {
        (true, _) => None,
        (false, Some(reason)) => Some(reason),
        (false, None) => {
            return Err(AppError::Fields(FieldErrors::one(
                field::REASON,
                OrdersText::AuditReasonRequired,
            )))
        }
    };
    let order_id = waiting_order(state.db.pool(), version_id).await?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    decide_in(
        &mut tx,
        order_id,
        version_id,
        Some(reviewer.id),
        reason.as_deref(),
        now,
    )
    .await?;
    tx.commit().await?;
    queue(state, reviewer).await
}
