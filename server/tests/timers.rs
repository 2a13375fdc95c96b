//! The order timers under a moved clock, on SQLite and PostgreSQL: 3 days unpaid → Canceled,
//! 30 days in development → Canceled with an automatic refund (the clock not reset by a
//! return from Under Approval), 7 days under approval → Completed (and no refund slipping in
//! after the 7 days); two workers racing over the same due deadlines fire each exactly once; a
//! worker that stopped mid-way leaves its claims to another after the lease; and the sandbox
//! clock that reviewers move forward.

mod common;

use app::timers::{Fired, Worker, LEASE_MS};
use axum::http::StatusCode;
use common::market::{assert_status, ok, reviewer, sign_in_again, DAY_MS};
use common::orders::*;
use common::{error_fields, spawn_app_with, Engine, TestApp};

fn worker(app: &TestApp, id: &str) -> Worker {
    Worker::new(&app.state, id)
}

async fn run_worker(app: &TestApp) -> usize {
    worker(app, "test-worker").run_due().await.unwrap()
}

/// (timer, fired?, canceled?) of every deadline of the order, oldest first.
async fn deadlines(app: &TestApp, order_id: i64) -> Vec<(String, bool, bool)> {
    let rows: Vec<(String, Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT timer, fired_at, canceled_at FROM deadlines WHERE order_id = $1 ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    rows.into_iter()
        .map(|(timer, fired, canceled)| (timer, fired.is_some(), canceled.is_some()))
        .collect()
}

async fn refunds(app: &TestApp) -> Vec<(i64, i64, String)> {
    sqlx::query_as("SELECT amount_cents, at, cause FROM refunds ORDER BY id")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap()
}

/// `n` more priced orders Awaiting Payment, each for a mini program of its own; their numbers.
async fn more_unpaid_orders(app: &TestApp, deal: &Deal<'_>, n: usize) -> Vec<String> {
    let mut numbers = Vec::new();
    for i in 0..n {
        let id = mini_program(
            &deal.shop,
            &format!("Shop {i}"),
            &format!("20210041{:08}", 100 + i),
        )
        .await;
        numbers.push(place(app, &deal.shop, deal.service_id, id, true).await);
    }
    numbers
}

on_both_databases! {
    async fn an_unpaid_order_is_canceled_when_its_three_days_are_up(app) {
        let deal = deal(&app, PRICED).await;
        let order = deal.order_id(&app).await;
        assert_eq!(run_worker(&app).await, 0);
        app.state.clock.advance(3 * DAY_MS - 1);
        assert_eq!(run_worker(&app).await, 0, "not yet due");
        assert_eq!(deal.status().await, "awaiting_payment");
        app.state.clock.advance(1);
        assert_eq!(run_worker(&app).await, 1);
        let view = deal.merchant_view().await;
        assert_eq!(view["status"], "canceled");
        assert_eq!(view["cancel_cause"], "unpaid_timeout");
        assert_eq!(view["next_deadline"], serde_json::Value::Null);
        let step = view["timeline"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(step["actor"], "timer");
        assert_eq!(step["who"]["en"], "payment deadline (3 days)");
        assert_eq!(step["at"], common::TEST_START + 3 * DAY_MS);
        assert_eq!(deadlines(&app, order).await, [("unpaid_timeout".into(), true, false)]);
        assert_eq!(run_worker(&app).await, 0, "fired once");
        assert!(refunds(&app).await.is_empty());
    }

    async fn thirty_days_in_development_cancel_the_order_with_an_automatic_refund(app) {
        let deal = deal(&app, PRICED).await;
        deal.to_development().await;
        ok(&deal.submit("1.0.0").await);
        app.state.clock.advance(30 * DAY_MS);
        assert_eq!(run_worker(&app).await, 1);
        sign_in_again(&deal.isv, "jane").await;
        let view = deal.isv_view().await;
        assert_eq!(view["status"], "canceled");
        assert_eq!(view["cancel_cause"], "development_timeout");
        assert_eq!(view["cancel_cause_label"]["en"], "Not delivered for approval within 30 days");
        assert_eq!(view["submissions"][0]["status"], "building", "the pending audit is withdrawn");
        assert_eq!(refunds(&app).await, [(199_900, common::TEST_START + 30 * DAY_MS, "development_timeout".into())]);
        assert_eq!(view["refund"]["cause_label"]["en"], "Not delivered for approval within 30 days");
    }

    async fn a_return_from_under_approval_does_not_reset_the_30_day_clock(app) {
        let deal = deal(&app, PRICED).await;
        deal.to_development().await;
        app.state.clock.advance(20 * DAY_MS);
        deal.to_approval(&app).await;
        ok(&deal.merchant_act("reject", "Not what we asked for").await);
        app.state.clock.advance(10 * DAY_MS - 1);
        assert_eq!(run_worker(&app).await, 0);
        app.state.clock.advance(1);
        assert_eq!(run_worker(&app).await, 1);
        sign_in_again(&deal.isv, "jane").await;
        assert_eq!(deal.status().await, "canceled");
        assert_eq!(refunds(&app).await.len(), 1);
    }

    async fn seven_days_under_approval_complete_the_order_and_no_refund_slips_in_after_them(app) {
        let deal = deal(&app, PRICED).await;
        deal.to_approval(&app).await;
        app.state.clock.advance(7 * DAY_MS);
        // Due but not yet applied: the merchant's actions lose to the timer.
        let view = deal.merchant_view().await;
        assert!(actions(&view).is_empty());
        let refused = deal.merchant_act("refund", "").await;
        assert_eq!(refusal(&refused),
            "The deadline for an order that is Under Approval has passed; the order is moving on automatically.");
        assert_eq!(run_worker(&app).await, 1);
        let view = deal.merchant_view().await;
        assert_eq!(view["status"], "completed");
        assert!(view["refund_note"].is_object());
        let refused = deal.merchant_act("refund", "").await;
        assert_eq!(refusal(&refused), "This order is Completed; nothing more can be done with it.");
        assert!(refunds(&app).await.is_empty());
    }

    async fn two_workers_racing_over_the_same_due_deadlines_fire_each_exactly_once(app) {
        let deal = deal(&app, PRICED).await;
        let mut numbers = more_unpaid_orders(&app, &deal, 11).await;
        numbers.push(deal.order_no.clone());
        app.state.clock.advance(3 * DAY_MS);
        let (a, b) = (worker(&app, "instance-a"), worker(&app, "instance-b"));
        let (fired_a, fired_b) = tokio::join!(a.run_due(), b.run_due());
        assert_eq!(fired_a.unwrap() + fired_b.unwrap(), 12);
        assert_eq!(app.count("SELECT COUNT(*) FROM order_events WHERE actor_kind = 'timer'").await, 12);
        assert_eq!(app.count("SELECT COUNT(*) FROM orders WHERE status = 'canceled'").await, 12);
        assert_eq!(app.count("SELECT COUNT(*) FROM deadlines WHERE fired_at IS NOT NULL").await, 12);
        let (x, y) = tokio::join!(a.run_due(), b.run_due());
        assert_eq!((x.unwrap(), y.unwrap()), (0, 0));
    }

    async fn a_claim_keeps_other_workers_off_until_its_lease_ends_and_a_stolen_claim_is_not_fired(app) {
        let deal = deal(&app, PRICED).await;
        app.state.clock.advance(3 * DAY_MS);
        let (crashed, other) = (worker(&app, "crashed"), worker(&app, "other"));
        let claimed = crashed.claim_due(10).await.unwrap();
        assert_eq!(claimed.len(), 1);
        // The first worker stops before firing: nobody else may take the row during its lease.
        assert!(other.claim_due(10).await.unwrap().is_empty());
        assert_eq!(other.run_due().await.unwrap(), 0);
        assert_eq!(deal.status().await, "awaiting_payment");
        app.state.clock.advance(LEASE_MS + 1);
        let taken = other.claim_due(10).await.unwrap();
        assert_eq!(taken, claimed);
        // The first worker comes back: its claim was taken over, so it does nothing.
        assert_eq!(crashed.fire(&claimed[0]).await.unwrap(), Fired::NotMine);
        assert_eq!(other.fire(&taken[0]).await.unwrap(), Fired::Applied);
        assert_eq!(other.fire(&taken[0]).await.unwrap(), Fired::NotMine);
        assert_eq!(deal.status().await, "canceled");
        assert_eq!(app.count("SELECT COUNT(*) FROM order_events WHERE actor_kind = 'timer'").await, 1);
        assert_eq!(app.count("SELECT attempts FROM deadlines").await, 2);
    }

    async fn deadlines_are_stored_so_a_new_worker_after_a_restart_fires_what_fell_due(app) {
        let deal = deal(&app, PRICED).await;
        // The server was down for a week: nothing fired meanwhile.
        app.state.clock.advance(7 * DAY_MS);
        assert_eq!(worker(&app, "after-restart").run_due().await.unwrap(), 1);
        let step = deal.isv_view().await["timeline"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(step["at"], common::TEST_START + 7 * DAY_MS, "applied when the worker ran");
        assert_eq!(deal.status().await, "canceled");
    }

    async fn a_timer_racing_the_merchants_payment_resolves_to_one_transition(app) {
        let deal = deal(&app, PRICED).await;
        app.state.clock.advance(3 * DAY_MS - 1);
        let version = deal.version().await;
        app.state.clock.advance(1);
        let (paid, fired) = tokio::join!(deal.merchant_act_at("pay", version, ""), run_worker(&app));
        // The deadline is due: Pay loses whichever ran first.
        assert_ne!(paid.status, StatusCode::OK, "{}", paid.body);
        assert_eq!(fired, 1);
        assert_eq!(deal.status().await, "canceled");
        assert_eq!(app.count("SELECT COUNT(*) FROM orders WHERE paid_at IS NOT NULL").await, 0);
    }

    async fn outside_sandbox_mode_the_clock_cannot_be_moved(app) {
        let reviewer = reviewer(&app).await;
        let clock = ok(&reviewer.call(CLOCK, &[]).await);
        assert_eq!(clock["enabled"], false);
        assert_eq!(clock["now"], common::TEST_START);
        let refused = reviewer.call(ADVANCE_CLOCK, &[("days", "3")]).await;
        assert_eq!(refusal(&refused), "The platform clock can be moved only in sandbox mode (SANDBOX=true).");
        assert_eq!(app.state.clock.now(), common::TEST_START);
    }
}

/// Sandbox mode: a reviewer moves the clock, the worker is woken and the timers fire; the offset
/// is stored for the other instances.
async fn a_reviewer_moves_the_sandbox_clock_and_watches_the_timers_fire(engine: Engine) {
    let app = spawn_app_with(engine, &[("SANDBOX", "true")]).await;
    let deal = deal(&app, PRICED).await;
    let reviewer = reviewer(&app).await;
    assert_eq!(ok(&reviewer.call(CLOCK, &[]).await)["enabled"], true);
    assert_status(
        &deal.isv.call(ADVANCE_CLOCK, &[("days", "3")]).await,
        StatusCode::FORBIDDEN,
    );
    for bad in [&[("days", "0")][..], &[("hours", "-5")], &[("days", "401")]] {
        assert_eq!(
            error_fields(&reviewer.call(ADVANCE_CLOCK, bad).await),
            ["days"]
        );
    }
    let moved = ok(&reviewer
        .call(
            ADVANCE_CLOCK,
            &[("days", "3"), ("hours", "0"), ("minutes", "1")],
        )
        .await);
    let step = 3 * DAY_MS + 60_000;
    assert_eq!(moved["offset_ms"], step);
    assert_eq!(moved["now"], common::TEST_START + step);
    assert_eq!(run_worker(&app).await, 1);
    assert_eq!(deal.status().await, "canceled");
    let (stored,): (String,) =
        sqlx::query_as("SELECT value FROM platform_settings WHERE key = 'sandbox_clock_offset_ms'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(stored, step.to_string());
    // Another instance moved it further: this one follows on its next pass.
    sqlx::query("UPDATE platform_settings SET value = $1 WHERE key = 'sandbox_clock_offset_ms'")
        .bind((step + DAY_MS).to_string())
        .execute(app.state.db.pool())
        .await
        .unwrap();
    app::timers::sandbox::sync(&app.state).await.unwrap();
    assert_eq!(app.state.clock.offset(), step + DAY_MS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_moves_the_sandbox_clock_sqlite() {
    a_reviewer_moves_the_sandbox_clock_and_watches_the_timers_fire(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_moves_the_sandbox_clock_postgres() {
    a_reviewer_moves_the_sandbox_clock_and_watches_the_timers_fire(Engine::Postgres).await
}
