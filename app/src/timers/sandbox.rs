//! Sandbox mode (`SANDBOX=true`): a reviewer moves the platform clock forward from the admin
//! console to watch the order timers fire. The total offset is stored in `platform_settings`
//! (`sandbox_clock_offset_ms`), so every instance on the same database, and the same instance
//! after a restart, keeps the moved time: each worker pass takes over a larger stored offset.
//! Outside sandbox mode the clock cannot be moved and the stored offset is ignored.

use super::super::orders::{field, OrdersText, SandboxClock};
use crate::auth::{Account, FieldErrors};
use crate::error::AppError;
use crate::onboarding::flows::require_reviewer;
use crate::state::AppState;

/// The `platform_settings` key of the sandbox clock's total offset, in milliseconds.
pub const OFFSET_KEY: &str = "sandbox_clock_offset_ms";
/// The most the clock moves in one step.
pub const MAX_STEP_MS: i64 = 400 * 24 * 60 * 60 * 1000;

async fn stored_offset(state: &AppState) -> Result<i64, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT value FROM platform_settings WHERE key = $1")
            .bind(OFFSET_KEY)
            .fetch_optional(state.db.pool())
            .await?;
    Ok(row.and_then(|(value,)| value.parse().ok()).unwrap_or(0))
}

/// Takes over a larger offset stored by another instance (or before a restart).
pub async fn sync(state: &AppState) -> Result<(), sqlx::Error> {
    let stored = stored_offset(state).await?;
    state.clock.advance(stored - state.clock.offset());
    Ok(())
}

/// The platform clock as the sandbox page shows it (reviewers only).
pub async fn clock(state: &AppState, reviewer: &Account) -> Result<SandboxClock, AppError> {
    require_reviewer(reviewer)?;
    if state.sandbox {
        sync(state).await?;
    }
    Ok(SandboxClock {
        enabled: state.sandbox,
        now: state.clock.now(),
        offset_ms: state.clock.offset(),
    })
}

/// Moves the platform clock forward by `days` and `hours` (reviewers only, sandbox mode only),
/// stores the new offset for the other instances, and wakes the deadline worker.
pub async fn advance(
    state: &AppState,
    reviewer: &Account,
    days: i64,
    hours: i64,
    minutes: i64,
) -> Result<SandboxClock, AppError> {
    require_reviewer(reviewer)?;
    if !state.sandbox {
        return Err(AppError::Fields(FieldErrors::one(
            field::FORM,
            OrdersText::SandboxOff,
        )));
    }
    let step = [
        (days, 86_400_000_i64),
        (hours, 3_600_000),
        (minutes, 60_000),
    ]
    .iter()
    .try_fold(0_i64, |total, &(amount, unit)| {
        (amount >= 0)
            .then(|| amount.checked_mul(unit))
            .flatten()
            .and_then(|ms| total.checked_add(ms))
    })
    .filter(|step| (60_000..=MAX_STEP_MS).contains(step))
    .ok_or_else(|| AppError::Fields(FieldErrors::one(field::DAYS, OrdersText::AdvanceRange)))?;
    sync(state).await?;
    let offset = state.clock.offset() + step;
    sqlx::query(
        "INSERT INTO platform_settings (key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(OFFSET_KEY)
    .bind(offset.to_string())
    .bind(state.clock.now() + step)
    .execute(state.db.pool())
    .await?;
    state.clock.advance(step);
    tracing::info!(
        step_ms = step,
        offset_ms = offset,
        "sandbox clock moved forward"
    );
    state.timers.wake();
    clock(state, reviewer).await
}
