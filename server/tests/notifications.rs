//! The notification outbox and its delivery worker, on SQLite and PostgreSQL, against a real
//! local HTTP receiver: rows written in the transaction of their cause, signed form posts,
//! success only on the body `success`, the retry schedule with the same notify_id, leases so
//! two workers never make the same attempt, a dead worker's claim taken over, and the
//! console's Notifications functions.

mod common;
mod open_fixtures;

use app::domain::{Action, Actor};
use app::open::notify::{self, delivery::Deliverer};
use app::ordering::lifecycle::{self, By, Details};
use axum::http::StatusCode;
use common::market::{active_isv, assert_status, ok};
use common::{error_fields, TestApp};
use open_fixtures::{configure, isv, outbox, place, shop, Params, Receiver, Reply};
use std::time::Duration;

const MINUTE: i64 = 60 * 1000;
const LIST: &str = "/api/open/notifications";
const REDELIVER: &str = "/api/open/redeliver";
const SEND_TEST: &str = "/api/open/send_test_notification";
const CHECK: &str = "/api/open/check_signature";

fn deliverer(name: &str) -> Deliverer {
    Deliverer::new(Duration::from_millis(800), name)
}

async fn step(app: &TestApp, deliverer: &Deliverer) -> usize {
    notify::delivery::deliver_due(&app.state, deliverer)
        .await
        .unwrap()
}

/// (status, attempts, next_attempt_at) of a notification.
async fn state_of(app: &TestApp, id: i64) -> (String, i64, Option<i64>) {
    sqlx::query_as("SELECT status, attempts, next_attempt_at FROM notifications WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

/// (attempt_no, http_status, response_body, error) of each attempt.
async fn attempts(
    app: &TestApp,
    id: i64,
) -> Vec<(i64, Option<i64>, Option<String>, Option<String>)> {
    sqlx::query_as(
        "SELECT attempt_no, http_status, response_body, error FROM notification_attempts \
         WHERE notification_id = $1 ORDER BY attempt_no",
    )
    .bind(id)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap()
}

async fn platform_verifies(app: &TestApp, form: &Params) -> bool {
    app::open::keys::verify_with_platform_keys(&app.state.db, form, app.state.clock.now())
        .await
        .unwrap()
        .is_some()
}

async fn send_test(app: &TestApp, owner: &common::Browser<'_>, ws: i64, kind: &str) -> i64 {
    let _ = app;
    ok(&owner
        .call(
            SEND_TEST,
            &[("workspace_id", &ws.to_string()), ("kind", kind)],
        )
        .await)["id"]
        .as_i64()
        .unwrap()
}

on_both_databases! {
    async fn an_order_entering_development_writes_the_authorization_and_order_notifications(app) {
        let isv = isv(&app).await;
        let (shop, _, mini_program) = shop(&app, "2021000000000042").await;
        let (order_id, order_no) = place(&app, &shop, isv.free_service, mini_program).await;
        let rows = outbox(&app, isv.workspace_id).await;
        let kinds: Vec<&str> = rows.iter().map(|(kind, _, _)| kind.as_str()).collect();
        assert_eq!(kinds, ["open_app_auth_notify", "servicemarket_order_notify"]);
        assert!(rows.iter().all(|(_, order, _)| *order == Some(order_id)));
        let (app_id,): (String,) = sqlx::query_as("SELECT app_id FROM isv_apps WHERE isv_workspace_id = $1")
            .bind(isv.workspace_id).fetch_one(app.state.db.pool()).await.unwrap();

        let auth = &rows[0].2;
        assert_eq!(auth["app_id"], app_id);
        assert_eq!(auth["auth_app_id"], "2021000000000042");
        assert_eq!(auth["status"], "execute_auth");
        let biz: serde_json::Value = serde_json::from_str(&auth["biz_content"]).unwrap();
        let (token, code): (String, String) = sqlx::query_as(
            "SELECT app_auth_token, auth_code FROM authorizations WHERE order_id = $1")
            .bind(order_id).fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(biz["detail"]["app_auth_token"], token);
        assert_eq!(biz["detail"]["app_auth_code"], code);
        assert_eq!(biz["detail"]["expires_in"], 365 * 86_400);
        assert_eq!(biz["detail"]["re_expires_in"], 372 * 86_400);
        assert_eq!(biz["detail"]["auth_time"], common::TEST_START);
        assert_eq!(biz["notify_context"]["trigger"], "appstore");

        let order = &rows[1].2;
        assert_eq!(order["commodity_order_id"], order_no);
        assert_eq!(order["method"], "alipay.open.servicemarket.order.notify");
        assert_eq!(order["title"], "Membership points");
        assert_eq!(order["name"], "Lucky Noodles");
        assert_eq!(order["total_price"], "0.00");
        assert_eq!(order["consumer_miniAppId"], "2021000000000042");
        assert_eq!(order["notify_time"], "2026-01-01 08:00:00");
        assert_ne!(order["notify_id"], auth["notify_id"]);
    }

    async fn a_new_order_notifies_the_isv_so_it_can_accept_and_a_rolled_back_change_sends_nothing(app) {
        let isv = isv(&app).await;
        let (shop, _, mini_program) = shop(&app, "2021000000000042").await;
        let (order_id, _) = place(&app, &shop, isv.accept_service, mini_program).await;
        let kinds: Vec<String> = outbox(&app, isv.workspace_id).await.into_iter().map(|r| r.0).collect();
        assert_eq!(kinds, ["servicemarket_order_notify"]);

        let mut tx = app.state.db.pool().begin().await.unwrap();
        notify::enqueue_order_notify(&mut tx, order_id, app.state.clock.now()).await.unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(app.count("SELECT COUNT(*) FROM notifications").await, 1);
    }

    async fn the_worker_retries_a_failing_gateway_on_schedule_with_the_same_notify_id(app) {
        let receiver = Receiver::start(vec![
            Reply::Text(500, "fail"),
            Reply::Hang,
            Reply::Text(200, "ok"),
            Reply::Text(200, "success"),
        ]).await;
        let isv = isv(&app).await;
        configure(&isv, &receiver.url).await;
        let id = send_test(&app, &isv.owner, isv.workspace_id, "").await;
        let worker = deliverer("a");
        let start = app.state.clock.now();

        assert_eq!(step(&app, &worker).await, 1);
        assert_eq!(state_of(&app, id).await, ("pending".into(), 1, Some(start + 2 * MINUTE)));
        assert_eq!(step(&app, &worker).await, 0, "not due before its 2 minutes");
        app.state.clock.advance(2 * MINUTE);
        assert_eq!(step(&app, &worker).await, 1);
        let after_timeout = app.state.clock.now();
        assert_eq!(state_of(&app, id).await, ("pending".into(), 2, Some(after_timeout + 10 * MINUTE)));
        app.state.clock.advance(10 * MINUTE);
        assert_eq!(step(&app, &worker).await, 1);
        assert_eq!(state_of(&app, id).await.0, "pending");
        app.state.clock.advance(10 * MINUTE);
        assert_eq!(step(&app, &worker).await, 1);
        assert_eq!(state_of(&app, id).await, ("delivered".into(), 4, None));
        assert_eq!(step(&app, &worker).await, 0);

        let history = attempts(&app, id).await;
        assert_eq!(history.len(), 4);
        assert_eq!((history[0].1, history[0].2.as_deref()), (Some(500), Some("fail")));
        assert_eq!(history[1].1, None);
        assert!(history[1].3.as_deref().unwrap().contains("no answer"), "{:?}", history[1]);
        assert_eq!((history[2].1, history[2].2.as_deref()), (Some(200), Some("ok")));
        assert_eq!((history[3].1, history[3].2.as_deref()), (Some(200), Some("success")));

        let received = receiver.received();
        assert_eq!(received.len(), 4);
        let notify_id = &received[0]["notify_id"];
        for form in &received {
            assert_eq!(&form["notify_id"], notify_id);
            assert_eq!(form["sign_type"], "RSA2");
            assert!(platform_verifies(&app, form).await, "{form:?}");
        }
        let mut tampered = received[0].clone();
        tampered.insert("total_price".into(), "9.99".into());
        assert!(!platform_verifies(&app, &tampered).await);
    }

    async fn after_eight_failed_attempts_a_notification_fails_and_redeliver_sends_it_again(app) {
        let receiver = Receiver::start(vec![Reply::Text(200, "fail"); 9]).await;
        let isv = isv(&app).await;
        configure(&isv, &receiver.url).await;
        let id = send_test(&app, &isv.owner, isv.workspace_id, "open_app_auth_notify").await;
        let worker = deliverer("a");
        for delay in std::iter::once(0).chain(notify::RETRY_DELAYS_MS) {
            app.state.clock.advance(delay);
            assert_eq!(step(&app, &worker).await, 1);
        }
        assert_eq!(state_of(&app, id).await, ("failed".into(), 8, None));
        app.state.clock.advance(24 * 60 * MINUTE);
        assert_eq!(step(&app, &worker).await, 0);

        let ws = isv.workspace_id.to_string();
        let redelivered = ok(&isv.owner.call(REDELIVER, &[("workspace_id", &ws), ("notification_id", &id.to_string())]).await);
        assert_eq!(redelivered["status"], "pending");
        assert_eq!(step(&app, &worker).await, 1);
        assert_eq!(state_of(&app, id).await, ("failed".into(), 9, None));
        ok(&isv.owner.call(REDELIVER, &[("workspace_id", &ws), ("notification_id", &id.to_string())]).await);
        assert_eq!(step(&app, &worker).await, 1);
        assert_eq!(state_of(&app, id).await, ("delivered".into(), 10, None));
        let received = receiver.received();
        assert_eq!(received.len(), 10);
        assert!(received.iter().all(|form| form["notify_id"] == received[0]["notify_id"]));
    }

    async fn two_workers_never_make_the_same_attempt_twice(app) {
        let receiver = Receiver::start(Vec::new()).await;
        let isv = isv(&app).await;
        configure(&isv, &receiver.url).await;
        for _ in 0..12 {
            send_test(&app, &isv.owner, isv.workspace_id, "").await;
        }
        let (a, b) = (deliverer("a"), deliverer("b"));
        let (done_a, done_b) = tokio::join!(step(&app, &a), step(&app, &b));
        assert_eq!(done_a + done_b, 12);
        let received = receiver.received();
        assert_eq!(received.len(), 12);
        let distinct: std::collections::BTreeSet<_> = received.iter().map(|form| form["notify_id"].clone()).collect();
        assert_eq!(distinct.len(), 12);
        assert_eq!(app.count("SELECT COUNT(*) FROM notification_attempts").await, 12);
        assert_eq!(app.count("SELECT COUNT(*) FROM notifications WHERE status = 'delivered'").await, 12);
    }

    async fn a_claim_left_by_a_killed_worker_is_taken_over_after_its_lease(app) {
        let receiver = Receiver::start(Vec::new()).await;
        let isv = isv(&app).await;
        configure(&isv, &receiver.url).await;
        let id = send_test(&app, &isv.owner, isv.workspace_id, "").await;
        // A worker claimed it and died (kill -9) before recording anything.
        let now = app.state.clock.now();
        sqlx::query("UPDATE notifications SET claimed_by = 'killed', claimed_until = $2 WHERE id = $1")
            .bind(id).bind(now + 60_000).execute(app.state.db.pool()).await.unwrap();
        let worker = deliverer("survivor");
        assert_eq!(step(&app, &worker).await, 0, "the claim still holds");
        app.state.clock.advance(60_001);
        assert_eq!(step(&app, &worker).await, 1);
        assert_eq!(state_of(&app, id).await, ("delivered".into(), 1, None));
        assert_eq!(receiver.received().len(), 1);
    }

    async fn without_a_gateway_url_each_attempt_fails_and_is_retried(app) {
        let isv = isv(&app).await;
        let id = send_test(&app, &isv.owner, isv.workspace_id, "").await;
        assert_eq!(step(&app, &deliverer("a")).await, 1);
        assert_eq!(state_of(&app, id).await.0, "pending");
        let history = attempts(&app, id).await;
        assert!(history[0].3.as_deref().unwrap().contains("No application gateway URL"));
    }

    async fn audit_results_and_cancelled_authorizations_are_notified(app) {
        let isv = isv(&app).await;
        let (shop, _, mini_program) = shop(&app, "2021000000000042").await;
        let (order_id, _) = place(&app, &shop, isv.free_service, mini_program).await;
        let pool = app.state.db.pool();
        let (version_id,): (i64,) = sqlx::query_as(
            "INSERT INTO mini_program_versions (mini_program_id, version, built_by_order_id, status, created_at) \
             VALUES ($1, '1.0.1', $2, 'building', $3) RETURNING id")
            .bind(mini_program).bind(order_id).bind(app.state.clock.now()).fetch_one(pool).await.unwrap();
        for (action, actor, reason) in [
            (Action::Submit, Actor::Isv, None),
            (Action::AuditReject, Actor::Platform, Some("图片不清晰")),
            (Action::Submit, Actor::Isv, None),
            (Action::AuditPass, Actor::Platform, None),
        ] {
            let order = app::ordering::data::order(pool, order_id).await.unwrap().unwrap();
            let outcome = app::domain::apply_action(order.status(), action, actor, &order.facts(false)).unwrap();
            let mut tx = pool.begin().await.unwrap();
            let details = Details { reason, submitted_version_id: Some(version_id) };
            assert!(lifecycle::apply(&mut tx, &order, &outcome, By { actor, account_id: None }, &details, app.state.clock.now()).await.unwrap());
            tx.commit().await.unwrap();
        }
        let rows = outbox(&app, isv.workspace_id).await;
        let rejected = &rows[2];
        assert_eq!(rejected.0, "alipay.open.mini.version.audit.rejected");
        let biz: serde_json::Value = serde_json::from_str(&rejected.2["biz_content"]).unwrap();
        assert_eq!(biz["mini_app_id"], "2021000000000042");
        assert_eq!(biz["mini_app_version"], "1.0.1");
        assert_eq!(biz["audit_reason"], "图片不清晰");
        assert_eq!(rows[3].0, "alipay.open.mini.version.audit.passed");
        assert_eq!(rows[3].2["version"], "1.1");

        let (authorization_id, token): (i64, String) =
            sqlx::query_as("SELECT id, app_auth_token FROM authorizations WHERE order_id = $1")
                .bind(order_id).fetch_one(pool).await.unwrap();
        for expected in [true, false] {
            let mut tx = pool.begin().await.unwrap();
            assert_eq!(notify::cancel_authorization(&mut tx, authorization_id, app.state.clock.now()).await.unwrap(), expected);
            tx.commit().await.unwrap();
        }
        let rows = outbox(&app, isv.workspace_id).await;
        assert_eq!(rows.len(), 5);
        let cancelled = &rows[4];
        assert_eq!(cancelled.0, "alipay.open.auth.appauth.cancelled");
        let biz: serde_json::Value = serde_json::from_str(&cancelled.2["biz_content"]).unwrap();
        assert_eq!(biz["app_auth_token"], token);
        assert_eq!(biz["auth_app_id"], "2021000000000042");
        assert!(cancelled.2.contains_key("utc_timestamp"));
    }

    async fn the_console_lists_deliveries_and_checks_signatures(app) {
        let receiver = Receiver::start(vec![Reply::Text(503, "busy")]).await;
        let isv = isv(&app).await;
        configure(&isv, &receiver.url).await;
        let ws = isv.workspace_id.to_string();
        let id = send_test(&app, &isv.owner, isv.workspace_id, "alipay.open.mini.version.audit.passed").await;
        step(&app, &deliverer("a")).await;
        let list = ok(&isv.owner.call(LIST, &[("workspace_id", &ws)]).await);
        let item = &list[0];
        assert_eq!(item["id"], id);
        assert_eq!(item["kind"], "alipay.open.mini.version.audit.passed");
        assert_eq!(item["is_test"], true);
        assert_eq!(item["status"], "pending");
        assert_eq!(item["attempts"], 1);
        assert_eq!(item["last_status"], 503);
        assert_eq!(item["last_body"], "busy");
        assert_eq!(item["next_attempt_at"], app.state.clock.now() + 2 * MINUTE);
        assert_eq!(item["payload"]["msg_method"], "alipay.open.mini.version.audit.passed");
        assert_eq!(item["history"][0]["http_status"], 503);
        assert_eq!(ok(&isv.owner.call(LIST, &[("workspace_id", &ws), ("status", "delivered")]).await), serde_json::json!([]));
        assert_eq!(
            error_fields(&isv.owner.call(SEND_TEST, &[("workspace_id", &ws), ("kind", "nope")]).await),
            ["kind"]
        );

        // The form the gateway received checks out with the platform key, and not when changed.
        let form = receiver.received()[0].clone();
        let body = serde_urlencoded::to_string(&form).unwrap();
        let checked = ok(&isv.owner.call(CHECK, &[("payload", &body)]).await);
        assert_eq!(checked["valid"], true);
        assert_eq!(checked["matched_key"], "platform_current");
        assert!(checked["content"].as_str().unwrap().starts_with("app_id="));
        let mut tampered = form.clone();
        tampered.insert("app_id".into(), "2021999999999999".into());
        let json = serde_json::to_string(&tampered).unwrap();
        assert_eq!(ok(&isv.owner.call(CHECK, &[("payload", &json)]).await)["valid"], false);
        let platform_key = ok(&isv.owner.call("/api/open/settings", &[("workspace_id", &ws)]).await)["platform_public_key"].as_str().unwrap().to_owned();
        let given = ok(&isv.owner.call(CHECK, &[("payload", &body), ("public_key", &platform_key)]).await);
        assert_eq!(given["matched_key"], "given");
        assert_eq!(error_fields(&isv.owner.call(CHECK, &[("payload", "nothing")]).await), ["payload"]);
        assert_eq!(error_fields(&isv.owner.call(CHECK, &[("payload", "a=1")]).await), ["payload"]);
        assert_eq!(error_fields(&isv.owner.call(CHECK, &[("payload", &body), ("public_key", "xyz")]).await), ["public_key"]);

        // Another ISV sees none of it and cannot redeliver it.
        let (other, other_ws) = active_isv(&app, "owner@other.example.com", "otherisv", "Other").await;
        assert_status(&other.call(LIST, &[("workspace_id", &ws)]).await, StatusCode::NOT_FOUND);
        assert_status(
            &other.call(REDELIVER, &[("workspace_id", &other_ws.to_string()), ("notification_id", &id.to_string())]).await,
            StatusCode::NOT_FOUND,
        );
        assert_status(&app.browser().call(CHECK, &[("payload", &body)]).await, StatusCode::UNAUTHORIZED);
    }
}
