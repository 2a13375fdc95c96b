//! Sliding-window limits on failed sign-ins, kept in `login_attempts` (one row per failure,
//! under a key such as `account:42` or `addr:203.0.113.9`), so every server instance counts the
//! same failures and a restart forgets none.

use crate::clock::UnixMillis;
use crate::db::Db;
use crate::error::{AppError, Limit};

/// A key and how many failures it may have within the window.
#[derive(Clone, Copy, Debug)]
pub struct Budget<'a> {
    pub key: &'a str,
    pub max: i64,
}

/// Refuses when any key already used up its budget within `window_ms` before `now`; the error
/// says when the oldest failure that counts leaves the window.
pub async fn check(
    db: &Db,
    now: UnixMillis,
    window_ms: i64,
    budgets: &[Budget<'_>],
    limit: Limit,
) -> Result<(), AppError> {
    let since = now - window_ms;
    for budget in budgets {
        let (count, oldest): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MIN(at) FROM login_attempts WHERE key = $1 AND at > $2",
        )
        .bind(budget.key)
        .bind(since)
        .fetch_one(db.pool())
        .await?;
        if count >= budget.max {
            // The window frees up one failure when the oldest leaves it; with more failures than
            // the budget (a race), later ones must leave too, but the oldest is a fair estimate.
            let free_at = oldest.unwrap_or(now) + window_ms;
            return Err(AppError::RateLimited {
                limit,
                retry_after_secs: ((free_at - now).max(1000) + 999) / 1000,
            });
        }
    }
    Ok(())
}

/// Counts one failure against each key.
pub async fn record_failure(db: &Db, now: UnixMillis, keys: &[&str]) -> Result<(), AppError> {
    for key in keys {
        sqlx::query("INSERT INTO login_attempts (key, at) VALUES ($1, $2)")
            .bind(*key)
            .bind(now)
            .execute(db.pool())
            .await?;
    }
    Ok(())
}

/// Forgets a key's failures (after a successful sign-in to that account).
pub async fn clear(db: &Db, key: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM login_attempts WHERE key = $1")
        .bind(key)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Drops failures too old to count for anything, so the table stays small.
pub async fn prune(db: &Db, now: UnixMillis, window_ms: i64) -> Result<(), AppError> {
    sqlx::query("DELETE FROM login_attempts WHERE at <= $1")
        .bind(now - window_ms)
        .execute(db.pool())
        .await?;
    Ok(())
}
