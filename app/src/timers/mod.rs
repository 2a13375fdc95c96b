//! The deadline worker: applies the order timers (3 days unpaid, 30 days in development, 7 days
//! under approval) when their stored deadlines fall due, after any restart, exactly once even
//! with several server instances on one database; and the sandbox clock that moves the
//! platform's time forward so a reviewer can watch them fire.
//!
//! **Exactly once.** Deadlines are rows (`deadlines`). A worker first *claims* a due row with a
//! conditional `UPDATE` that sets `claimed_by` and a lease (`claimed_until`), so two workers
//! do not start on the same row; then, in one transaction, it *fires* it: a second conditional
//! `UPDATE` sets `fired_at` only while the row is still open and still claimed by this worker,
//! and only then does the transition table's timer row ([`domain::apply_timer`]) move the order
//! through [`lifecycle::apply`]. A worker whose lease ran out and was taken over finds its fire
//! `UPDATE` changing nothing and stops; a crash before the commit leaves the row open, claimed
//! until the lease ends, and another worker (or the same one after a restart) fires it then.
//! The order is locked first, as every action does, so a timer and a racing action resolve to
//! one transition (and actions lose to a due timer: see `OrderFacts::deadline_passed`).
//!
//! **When.** `service-market serve` runs one worker per process ([`spawn`]): it applies what is
//! due, then sleeps for the poll interval (`TIMER_POLL_SECS`) or until woken ([`Wake`]), which
//! the sandbox does after moving the clock. Tests call [`Worker::run_due`] directly.

use crate::clock::Clock;
use crate::db::Db;
use crate::domain::{self, Actor, Timer};
use crate::error::AppError;
use crate::ordering::lifecycle::{self, By, Details};
use crate::state::AppState;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

pub mod sandbox;

/// How long a claim keeps other workers off a deadline (platform time).
pub const LEASE_MS: i64 = 60_000;
/// How many due deadlines a worker claims at a time.
pub const BATCH: i64 = 50;

/// Wakes the worker before its poll interval ends (after the sandbox moved the clock).
#[derive(Clone, Debug, Default)]
pub struct Wake(Arc<Notify>);

impl Wake {
    pub fn wake(&self) {
        self.0.notify_one();
    }

    pub async fn woken(&self) {
        self.0.notified().await
    }
}

/// A deadline this worker has claimed.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub order_id: i64,
    timer: String,
    pub due_at: i64,
}

impl Claimed {
    pub fn timer(&self) -> Option<Timer> {
        Timer::parse(&self.timer).ok()
    }
}

/// What became of a claimed deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fired {
    /// The timer's row moved the order.
    Applied,
    /// Another worker fired it, or it was disarmed meanwhile: nothing done.
    NotMine,
    /// The order had moved on without disarming it (the table has no such row): closed unused.
    Dropped,
}

/// One worker: an identity for its claims, the database and the platform clock.
#[derive(Clone, Debug)]
pub struct Worker {
    id: String,
    db: Db,
    clock: Clock,
}

impl Worker {
    pub fn new(state: &AppState, id: impl Into<String>) -> Worker {
        Worker {
            id: id.into(),
            db: state.db.clone(),
            clock: state.clock.clone(),
        }
    }

    /// A worker named after this process, unique among instances.
    pub fn for_this_process(state: &AppState) -> Worker {
        use rand::Rng;
        let suffix: u32 = rand::thread_rng().gen();
        Worker::new(state, format!("{}-{suffix:08x}", std::process::id()))
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Claims up to `limit` due deadlines, earliest first, for [`LEASE_MS`].
    pub async fn claim_due(&self, limit: i64) -> Result<Vec<Claimed>, sqlx::Error> {
        let now = self.clock.now();
        let candidates: Vec<Claimed> = sqlx::query_as(
            "SELECT id, order_id, timer, due_at FROM deadlines \
             WHERE fired_at IS NULL AND canceled_at IS NULL AND due_at <= $1 \
               AND (claimed_until IS NULL OR claimed_until < $1) \
             ORDER BY due_at, id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(self.db.pool())
        .await?;
        let mut claimed = Vec::with_capacity(candidates.len());
        for candidate in candidates {
            let won = sqlx::query(
                "UPDATE deadlines SET claimed_by = $2, claimed_until = $3, attempts = attempts + 1 \
                 WHERE id = $1 AND fired_at IS NULL AND canceled_at IS NULL \
                   AND (claimed_until IS NULL OR claimed_until < $4)",
            )
            .bind(candidate.id)
            .bind(&self.id)
            .bind(now + LEASE_MS)
            .bind(now)
            .execute(self.db.pool())
            .await?
            .rows_affected()
                == 1;
            if won {
                claimed.push(candidate);
            }
        }
        Ok(claimed)
    }

    /// Fires one claimed deadline in one transaction (see the module's introduction).
    pub async fn fire(&self, claimed: &Claimed) -> Result<Fired, AppError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let mine = sqlx::query(
            "UPDATE deadlines SET fired_at = $3, claimed_until = NULL \
             WHERE id = $1 AND claimed_by = $2 AND fired_at IS NULL AND canceled_at IS NULL",
        )
        .bind(claimed.id)
        .bind(&self.id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !mine {
            return Ok(Fired::NotMine);
        }
        crate::orders::data::lock_order(&mut *tx, claimed.order_id).await?;
        let order = crate::ordering::data::order(&mut *tx, claimed.order_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let outcome = claimed
            .timer()
            .ok_or_else(|| AppError::Invalid(format!("unknown timer {:?}", claimed.timer)))
            .and_then(|timer| {
                domain::apply_timer(order.status(), timer, &order.facts(true))
                    .map_err(|refusal| AppError::Invalid(refusal.message_en()))
            });
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(error) => {
                // Not a row of the table any more: close the deadline so it is not tried again.
                sqlx::query(
                    "UPDATE deadlines SET fired_at = NULL, canceled_at = $2, last_error = $3 \
                     WHERE id = $1",
                )
                .bind(claimed.id)
                .bind(now)
                .bind(error.to_string())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                tracing::warn!(deadline = claimed.id, order = claimed.order_id, %error, "deadline dropped");
                return Ok(Fired::Dropped);
            }
        };
        let by = By {
            actor: Actor::Timer,
            account_id: None,
        };
        if !lifecycle::apply(&mut tx, &order, &outcome, by, &Details::default(), now).await? {
            return Err(AppError::Conflict("the order moved while locked".into()));
        }
        tx.commit().await?;
        tracing::info!(
            deadline = claimed.id,
            order = claimed.order_id,
            timer = %claimed.timer,
            to = %outcome.to,
            "deadline fired"
        );
        Ok(Fired::Applied)
    }

    /// Notes why a claimed deadline could not be fired; it is tried again once its lease ends.
    async fn failed(&self, claimed: &Claimed, error: &AppError) {
        let result = sqlx::query("UPDATE deadlines SET last_error = $2 WHERE id = $1")
            .bind(claimed.id)
            .bind(error.to_string())
            .execute(self.db.pool())
            .await;
        if let Err(error) = result {
            let _logged = AppError::internal(&error);
        }
    }

    /// Applies every deadline due now, in batches; returns how many moved an order. A deadline
    /// that fails stays claimed until its lease ends, so one bad row cannot stall the rest.
    pub async fn run_due(&self) -> Result<usize, AppError> {
        let mut applied = 0;
        loop {
            let claimed = self.claim_due(BATCH).await?;
            if claimed.is_empty() {
                return Ok(applied);
            }
            for deadline in &claimed {
                match self.fire(deadline).await {
                    Ok(Fired::Applied) => applied += 1,
                    Ok(Fired::NotMine | Fired::Dropped) => {}
                    Err(error) => {
                        tracing::error!(deadline = deadline.id, %error, "deadline not fired");
                        self.failed(deadline, &error).await;
                    }
                }
            }
        }
    }
}

/// Runs the worker until the task is dropped: applies what is due, then waits for `poll` or a
/// [`Wake`]. In sandbox mode it first takes over a clock another instance moved.
pub fn spawn(state: AppState, poll: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let worker = Worker::for_this_process(&state);
        tracing::info!(
            worker = worker.id(),
            poll_secs = poll.as_secs(),
            "deadline worker started"
        );
        loop {
            if state.sandbox {
                if let Err(error) = sandbox::sync(&state).await {
                    let _logged = AppError::internal(&error);
                }
            }
            match worker.run_due().await {
                Ok(0) => {}
                Ok(applied) => tracing::info!(applied, "deadlines applied"),
                Err(error) => tracing::error!(%error, "deadline worker pass failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(poll) => {}
                _ = state.timers.woken() => {}
            }
        }
    })
}
