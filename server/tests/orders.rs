//! Orders after they are placed, through the real router on SQLite and PostgreSQL: every
//! action row of the transition table through the server functions of the ISV console, the
//! merchant's Service Orders and the reviewer's version audit; the refusals (wrong status,
//! wrong party, a stale page, a second click, another workspace, no session, a Developer);
//! two actions racing on one order; the list's filter, search and keyset pages; the change
//! stamp; the CSV export; and the 应用授权 page.

mod common;

use axum::http::StatusCode;
use common::market::{active_isv, assert_status, member, merchant, ok, reviewer, DAY_MS};
use common::orders::*;
use common::{error_fields, TestApp};
use serde_json::Value;

/// A console list page of the deal's workspace with the given query.
async fn isv_list(deal: &Deal<'_>, query: &[(&str, &str)]) -> Value {
    let ws = deal.workspace_id.to_string();
    let mut form = vec![("workspace_id", ws.as_str())];
    form.extend_from_slice(query);
    ok(&deal.isv.call(ISV_LIST, &form).await)
}

fn numbers(page: &Value) -> Vec<String> {
    page["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|order| order["order_no"].as_str().unwrap().to_owned())
        .collect()
}

/// `n` more orders of the deal's service and mini program, one minute apart after the deal's
/// own, written straight into the table (the list is what is under test); their numbers.
async fn more_orders(app: &TestApp, deal: &Deal<'_>, n: i64) -> Vec<String> {
    let id = deal.order_id(app).await;
    let mut numbers = Vec::new();
    for i in 1..=n {
        let no = format!("20260102{:016}", i * 7919);
        sqlx::query(
            "INSERT INTO orders (order_no, service_id, plan_id, isv_workspace_id, \
                 merchant_workspace_id, mini_program_id, terminals, contact_name, contact_mobile, \
                 period_days, amount_cents, status, needs_acceptance, in_development_since, \
                 created_at, updated_at) \
             SELECT $1, service_id, plan_id, isv_workspace_id, merchant_workspace_id, \
                 mini_program_id, terminals, contact_name, contact_mobile, period_days, \
                 amount_cents, $2, needs_acceptance, created_at + $3, created_at + $3, \
                 updated_at + $3 \
             FROM orders WHERE id = $4",
        )
        .bind(&no)
        .bind(if i % 3 == 0 { "completed" } else { "new" })
        .bind(i * 60_000)
        .bind(id)
        .execute(app.state.db.pool())
        .await
        .unwrap();
        numbers.push(no);
    }
    numbers
}

async fn refund_rows(app: &TestApp) -> Vec<(i64, i64, String)> {
    sqlx::query_as("SELECT amount_cents, at, cause FROM refunds ORDER BY id")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap()
}

on_both_databases! {
    // ---- the table's rows, one by one ----

    async fn the_isv_accepts_a_new_order_and_is_told_to_wait_for_the_merchant(app) {
        let deal = deal(&app, PRICED_WITH_ACCEPTANCE).await;
        let before = deal.isv_view().await;
        assert_eq!(before["status"], "new");
        assert_eq!(before["status_label"]["en"], "New Order");
        assert_eq!(actions(&before), ["accept", "reject"]);
        assert!(actions(&deal.merchant_view().await).is_empty());
        let done = ok(&deal.isv_act("accept", "").await);
        assert!(done["notice"]["en"].as_str().unwrap().contains("Wait for the merchant to confirm"));
        assert_eq!(done["order"]["status"], "pending_confirmation");
        assert_eq!(done["order"]["version"], before["version"].as_i64().unwrap() + 1);
        assert!(actions(&done["order"]).is_empty(), "the ISV waits");
        let steps = timeline(&done["order"]);
        assert_eq!(steps.last().unwrap(), &("isv".into(), "Accept".into(), "pending_confirmation".into(), None));
        assert_eq!(done["order"]["timeline"][1]["username"], "jane", "the ISV sees its own member");
        assert_eq!(deal.merchant_view().await["timeline"][1]["username"], Value::Null);
        assert_eq!(deal.merchant_view().await["timeline"][1]["who"]["en"], "Cloudleaf");
    }

    async fn the_isv_rejects_a_new_order_with_an_optional_reason(app) {
        let deal = deal(&app, PRICED_WITH_ACCEPTANCE).await;
        let done = ok(&deal.isv_act("reject", "  Fully booked this month. ").await);
        assert_eq!(done["order"]["status"], "canceled");
        assert_eq!(done["order"]["cancel_cause"], "isv_rejected");
        assert_eq!(done["order"]["cancel_cause_label"]["en"], "Rejected by the ISV");
        assert_eq!(timeline(&done["order"]).last().unwrap().3.as_deref(), Some("Fully booked this month."));
        assert_eq!(done["notice"], Value::Null);
        assert!(refund_rows(&app).await.is_empty(), "nothing was paid");
    }

    async fn the_merchant_confirms_an_accepted_priced_order_and_goes_to_the_cashier(app) {
        let deal = deal(&app, PRICED_WITH_ACCEPTANCE).await;
        ok(&deal.isv_act("accept", "").await);
        let view = deal.merchant_view().await;
        assert_eq!(actions(&view), ["confirm", "reject"]);
        assert_eq!(view["actions"][0]["label"]["zh"], "确认授权");
        let done = ok(&deal.merchant_act("confirm", "").await);
        assert_eq!(done["order"]["status"], "awaiting_payment");
        assert_eq!(done["order"]["next_deadline"]["timer"], "unpaid_timeout");
        assert_eq!(done["order"]["next_deadline"]["due_at"], common::TEST_START + 3 * DAY_MS);
        assert_eq!(actions(&done["order"]), ["pay"]);
        assert_eq!(done["order"]["actions"][0]["form"]["kind"], "cashier");
        assert_eq!(done["order"]["actions"][0]["form"]["path"], format!("/cashier/{}", deal.order_no));
        // Pay from Service Orders takes the cashier's path into development.
        let paid = ok(&deal.merchant_act("pay", "").await);
        assert_eq!(paid["order"]["status"], "in_development");
        assert_eq!(paid["order"]["next_deadline"]["timer"], "development_timeout");
        assert!(paid["order"]["paid_at"].is_i64());
    }

    async fn confirming_a_free_accepted_order_starts_development(app) {
        let deal = deal(&app, FREE_WITH_ACCEPTANCE).await;
        ok(&deal.isv_act("accept", "").await);
        let done = ok(&deal.merchant_act("confirm", "").await);
        assert_eq!(done["order"]["status"], "in_development");
        assert_eq!(app.count("SELECT COUNT(*) FROM authorizations").await, 1);
    }

    async fn the_merchant_rejects_an_accepted_order(app) {
        let deal = deal(&app, PRICED_WITH_ACCEPTANCE).await;
        ok(&deal.isv_act("accept", "").await);
        let done = ok(&deal.merchant_act("reject", "Changed our mind").await);
        assert_eq!(done["order"]["status"], "canceled");
        assert_eq!(done["order"]["cancel_cause"], "merchant_rejected");
        assert_eq!(timeline(&done["order"]).last().unwrap().0, "merchant");
    }

    async fn a_submission_waits_for_the_audit_and_a_pass_moves_the_order_to_under_approval(app) {
        let deal = deal(&app, PRICED).await;
        deal.to_development().await;
        assert_eq!(actions(&deal.isv_view().await), ["submit", "cancel"]);
        let done = ok(&deal.submit(" 1.0.2 ").await);
        assert_eq!(done["order"]["status"], "in_development", "Submit waits for the audit");
        assert_eq!(done["order"]["audit_pending"], true);
        assert_eq!(actions(&done["order"]), ["cancel"], "one submission at a time");
        let submission = &done["order"]["submissions"][0];
        assert_eq!(submission["version"], "1.0.2");
        assert_eq!(submission["notes"], "Menu, cart and takeaway.");
        assert_eq!(submission["status"], "auditing");
        assert_eq!(submission["pending"], true);
        let reviewer = reviewer(&app).await;
        let queue = ok(&reviewer.call(AUDITS, &[]).await);
        assert_eq!(queue["items"].as_array().unwrap().len(), 1);
        assert_eq!(queue["items"][0]["order_no"], deal.order_no.as_str());
        assert_eq!(queue["items"][0]["isv_name"], "Cloudleaf");
        assert_eq!(queue["auto_pass"], false);
        let version = submission["version_id"].as_i64().unwrap().to_string();
        let after = ok(&reviewer.call(PASS_VERSION, &[("version_id", &version)]).await);
        assert!(after["items"].as_array().unwrap().is_empty());
        let view = deal.isv_view().await;
        assert_eq!(view["status"], "under_approval");
        assert_eq!(view["submissions"][0]["status"], "audit_passed");
        assert_eq!(view["next_deadline"]["timer"], "approval_timeout");
        assert_eq!(timeline(&view).last().unwrap(), &("platform".into(), "Pass".into(), "under_approval".into(), None));
        assert_eq!(view["timeline"].as_array().unwrap().last().unwrap()["who"]["en"], "Platform audit");
        // A second click on Pass finds nothing waiting.
        let again = reviewer.call(PASS_VERSION, &[("version_id", &version)]).await;
        assert_eq!(refusal(&again), "This version is no longer waiting for audit.");
        assert_eq!(actions(&deal.merchant_view().await), ["approve", "reject", "refund"]);
    }

    async fn a_rejected_audit_keeps_the_order_in_development_with_the_reason_for_the_isv(app) {
        let deal = deal(&app, PRICED).await;
        deal.to_development().await;
        ok(&deal.submit("1.0.0").await);
        let version = deal.pending_version().await.to_string();
        let reviewer = reviewer(&app).await;
        let missing = reviewer.call(REJECT_VERSION, &[("version_id", &version), ("reason", " ")]).await;
        assert_eq!(error_fields(&missing), ["reason"]);
        ok(&reviewer.call(REJECT_VERSION, &[("version_id", &version), ("reason", "The menu page crashes.")]).await);
        let view = deal.isv_view().await;
        assert_eq!(view["status"], "in_development");
        assert_eq!(view["audit_pending"], false);
        assert_eq!(view["submissions"][0]["status"], "audit_rejected");
        assert_eq!(view["submissions"][0]["audit_reason"], "The menu page crashes.");
        assert_eq!(timeline(&view).last().unwrap().3.as_deref(), Some("The menu page crashes."));
        assert_eq!(actions(&view), ["submit", "cancel"]);
        // The same number may be submitted again once rebuilt; another order's may not.
        ok(&deal.submit("1.0.0").await);
        assert_eq!(deal.isv_view().await["submissions"].as_array().unwrap().len(), 1);
    }

    async fn where_the_platform_passes_audits_automatically_submit_reaches_under_approval(app) {
        let deal = deal(&app, FREE).await;
        let reviewer = reviewer(&app).await;
        assert_eq!(ok(&reviewer.call(SET_AUTO_AUDIT, &[("auto_pass", "true")]).await)["auto_pass"], true);
        let done = ok(&deal.submit("2.1").await);
        assert_eq!(done["order"]["status"], "under_approval");
        let steps = timeline(&done["order"]);
        assert_eq!(steps[steps.len() - 2].1, "Submit");
        assert_eq!(steps[steps.len() - 1].0, "platform");
        assert_eq!(done["order"]["timeline"].as_array().unwrap().last().unwrap()["who"]["en"], "Platform audit (automatic)");
        assert_eq!(done["order"]["submissions"][0]["status"], "audit_passed");
        assert_status(&deal.isv.call(SET_AUTO_AUDIT, &[("auto_pass", "false")]).await, StatusCode::FORBIDDEN);
    }

    async fn the_isv_cancels_a_paid_order_in_development_and_the_merchant_is_refunded(app) {
        let deal = deal(&app, PRICED).await;
        deal.to_development().await;
        ok(&deal.submit("1.0.0").await);
        app.state.clock.advance(DAY_MS);
        let done = ok(&deal.isv_act("cancel", "Cannot build the payment module.").await);
        assert_eq!(done["order"]["status"], "canceled");
        assert_eq!(done["order"]["cancel_cause"], "isv_cancelled");
        assert_eq!(done["order"]["refund"]["amount"], "1999.00");
        assert_eq!(done["order"]["refund"]["cause"], "isv_cancelled");
        assert_eq!(done["order"]["refund"]["at"], common::TEST_START + DAY_MS);
        assert_eq!(done["order"]["submissions"][0]["status"], "building", "the audit is withdrawn");
        assert_eq!(refund_rows(&app).await, [(199_900, common::TEST_START + DAY_MS, "isv_cancelled".into())]);
        assert!(ok(&reviewer(&app).await.call(AUDITS, &[]).await)["items"].as_array().unwrap().is_empty());
        assert_eq!(app.count("SELECT COUNT(*) FROM deadlines WHERE fired_at IS NULL AND canceled_at IS NULL").await, 0);
    }

    async fn the_merchant_applies_for_a_refund_in_development_without_the_isvs_confirmation(app) {
        let deal = deal(&app, PRICED).await;
        deal.to_development().await;
        let view = deal.merchant_view().await;
        assert_eq!(actions(&view), ["refund"]);
        assert_eq!(view["actions"][0]["label"]["zh"], "申请退款");
        let done = ok(&deal.merchant_act("refund", "").await);
        assert_eq!(done["order"]["status"], "canceled");
        assert_eq!(done["order"]["cancel_cause"], "merchant_refunded");
        assert_eq!(done["order"]["refund"]["cause_label"]["en"], "Refunded at the merchant's request");
        assert_eq!(refund_rows(&app).await.len(), 1);
    }

    async fn a_free_order_offers_no_refund(app) {
        let deal = deal(&app, FREE).await;
        assert!(actions(&deal.merchant_view().await).is_empty());
        let refused = deal.merchant_act("refund", "").await;
        assert_eq!(refusal(&refused), "Nothing was paid for this order, so there is nothing to refund.");
    }

    async fn the_merchant_approves_and_a_completed_order_offers_no_online_refund(app) {
        let deal = deal(&app, PRICED).await;
        deal.to_approval(&app).await;
        let done = ok(&deal.merchant_act("approve", "").await);
        assert_eq!(done["order"]["status"], "completed");
        assert_eq!(done["order"]["next_deadline"], Value::Null);
        assert!(actions(&done["order"]).is_empty());
        assert!(done["order"]["refund_note"]["en"].as_str().unwrap().contains("no online refund"));
        let refused = deal.merchant_act("refund", "").await;
        assert_eq!(refusal(&refused), "This order is Completed; nothing more can be done with it.");
        assert!(refund_rows(&app).await.is_empty());
    }

    async fn the_merchant_sends_a_delivery_back_and_the_30_day_clock_keeps_running(app) {
        let deal = deal(&app, PRICED).await;
        deal.to_development().await;
        let due = deal.isv_view().await["next_deadline"]["due_at"].as_i64().unwrap();
        app.state.clock.advance(5 * DAY_MS);
        deal.to_approval(&app).await;
        let done = ok(&deal.merchant_act("reject", "The logo is wrong.").await);
        assert_eq!(done["order"]["status"], "in_development");
        assert_eq!(done["order"]["next_deadline"]["timer"], "development_timeout");
        assert_eq!(done["order"]["next_deadline"]["due_at"], due, "not reset");
        assert_eq!(actions(&deal.isv_view().await), ["submit", "cancel"]);
    }

    async fn the_merchant_applies_for_a_refund_under_approval(app) {
        let deal = deal(&app, PRICED).await;
        deal.to_approval(&app).await;
        let done = ok(&deal.merchant_act("refund", "").await);
        assert_eq!(done["order"]["status"], "canceled");
        assert_eq!(refund_rows(&app).await, [(199_900, common::TEST_START, "merchant_refunded".into())]);
    }

    // ---- refusals ----

    async fn an_action_from_the_wrong_status_or_by_the_wrong_party_changes_nothing_and_says_why(app) {
        let deal = deal(&app, PRICED_WITH_ACCEPTANCE).await;
        let version = deal.version().await;
        let refused = deal.merchant_act("accept", "").await;
        assert_eq!(refusal(&refused), "Only the ISV can use “Accept” on an order that is New Order.");
        let zh = refused.json()["Fields"][0]["message"]["zh"].as_str().unwrap().to_owned();
        assert_eq!(zh, "只有服务商可以对“待接单”的订单执行“接单”。");
        let refused = deal.isv_act("cancel", "").await;
        assert_eq!(refusal(&refused), "“Cancel” is not possible for an order that is New Order.");
        let refused = deal.isv_act("confirm", "").await;
        assert_eq!(refusal(&refused), "“Confirm” is not possible for an order that is New Order.");
        assert_eq!(error_fields(&deal.isv_act("fly", "").await), ["action"]);
        assert_eq!(error_fields(&deal.isv_act("accept", "because").await), ["reason"]);
        assert_eq!(deal.version().await, version, "nothing changed");
        assert_eq!(app.count("SELECT COUNT(*) FROM order_events").await, 1);
    }

    async fn a_stale_page_and_a_second_click_are_refused_with_the_current_status(app) {
        let deal = deal(&app, PRICED_WITH_ACCEPTANCE).await;
        let version = deal.version().await;
        ok(&deal.isv_act_at(&deal.isv, "accept", version, "").await);
        let second = deal.isv_act_at(&deal.isv, "accept", version, "").await;
        assert_eq!(refusal(&second),
            "This order has changed since the page was loaded: it is now Pending Confirmation. Reload the page to see what can be done.");
        let stale_reject = deal.isv_act_at(&deal.isv, "reject", version, "").await;
        assert!(refusal(&stale_reject).starts_with("This order has changed"));
        assert_eq!(deal.status().await, "pending_confirmation");
        assert_eq!(app.count("SELECT COUNT(*) FROM order_events").await, 2);
    }

    async fn orders_are_private_to_their_workspaces(app) {
        let deal = deal(&app, PRICED_WITH_ACCEPTANCE).await;
        let ws = deal.workspace_id.to_string();
        // No session.
        let anonymous = app.browser();
        assert_status(&anonymous.call(ISV_LIST, &[("workspace_id", &ws)]).await, StatusCode::UNAUTHORIZED);
        assert_status(&anonymous.call(MERCHANT_LIST, &[]).await, StatusCode::UNAUTHORIZED);
        // Another ISV: neither its list nor the order exist for it.
        let (other, other_ws) = active_isv(&app, "max@rival.example.com", "max", "Rival").await;
        assert_status(&other.call(ISV_LIST, &[("workspace_id", &ws)]).await, StatusCode::NOT_FOUND);
        let their = other.call(ISV_DETAIL, &[("workspace_id", &other_ws.to_string()), ("order_no", &deal.order_no)]).await;
        assert_status(&their, StatusCode::NOT_FOUND);
        let version = deal.version().await;
        let act = other.call(ISV_ACT, &[("workspace_id", &other_ws.to_string()), ("order_no", &deal.order_no),
            ("action", "accept"), ("expected_version", &version.to_string())]).await;
        assert_status(&act, StatusCode::NOT_FOUND);
        assert!(ok(&other.call(ISV_LIST, &[("workspace_id", &other_ws.to_string())]).await)["orders"].as_array().unwrap().is_empty());
        // Another merchant.
        let (stranger, _) = merchant(&app, "other@example.com", "other", "enterprise").await;
        assert_status(&stranger.call(MERCHANT_DETAIL, &[("order_no", &deal.order_no)]).await, StatusCode::NOT_FOUND);
        assert!(ok(&stranger.call(MERCHANT_LIST, &[]).await)["orders"].as_array().unwrap().is_empty());
        // A merchant is no ISV member, an ISV no merchant.
        assert_status(&deal.shop.call(ISV_LIST, &[("workspace_id", &ws)]).await, StatusCode::NOT_FOUND);
        assert_status(&deal.isv.call(MERCHANT_LIST, &[]).await, StatusCode::FORBIDDEN);
        assert_eq!(deal.status().await, "new");
    }

    async fn a_developer_sees_the_orders_and_submits_but_only_owner_and_admins_decide(app) {
        let deal = deal(&app, PRICED_WITH_ACCEPTANCE).await;
        let developer = member(&app, &deal.isv, deal.workspace_id, "dev@cloudleaf.example.com", "dev", "developer").await;
        let admin = member(&app, &deal.isv, deal.workspace_id, "ops@cloudleaf.example.com", "ops", "admin").await;
        let seen = ok(&deal.isv_view_by(&developer).await);
        assert!(actions(&seen).is_empty(), "no Accept or Reject for a Developer");
        let refused = deal.isv_act_at(&developer, "accept", seen["version"].as_i64().unwrap(), "").await;
        assert_eq!(refusal(&refused), "Only the workspace's Owner or an Admin can do this.");
        assert_eq!(actions(&ok(&deal.isv_view_by(&admin).await)), ["accept", "reject"]);
        ok(&deal.isv_act_at(&admin, "accept", seen["version"].as_i64().unwrap(), "").await);
        ok(&deal.merchant_act("confirm", "").await);
        ok(&deal.merchant_act("pay", "").await);
        assert_eq!(actions(&ok(&deal.isv_view_by(&developer).await)), ["submit"]);
        ok(&deal.submit_by(&developer, "1.0.0").await);
        assert_eq!(deal.isv_view().await["timeline"].as_array().unwrap().last().unwrap()["username"], "dev");
    }

    async fn bad_submissions_are_refused_field_by_field_and_change_nothing(app) {
        let deal = deal(&app, FREE).await;
        let version = deal.version().await;
        let bad = deal.isv.call(ISV_SUBMIT, &[("workspace_id", &deal.workspace_id.to_string()),
            ("order_no", &deal.order_no), ("expected_version", &version.to_string()),
            ("version_number", "v1"), ("notes", &"n".repeat(501))]).await;
        assert_eq!(error_fields(&bad), ["version_number", "notes"]);
        assert_eq!(app.count("SELECT COUNT(*) FROM mini_program_versions").await, 0);
        // A number another order's build already has is refused.
        sqlx::query("INSERT INTO mini_program_versions (mini_program_id, version, status, created_at) VALUES ($1, '3.0.0', 'audit_passed', 0)")
            .bind(deal.mini_program_id).execute(app.state.db.pool()).await.unwrap();
        let taken = deal.submit("3.0.0").await;
        assert_eq!(error_fields(&taken), ["version_number"]);
        assert_eq!(deal.version().await, version);
    }

    // ---- racing ----

    async fn two_simultaneous_accepts_resolve_to_exactly_one_transition(app) {
        let deal = deal(&app, PRICED_WITH_ACCEPTANCE).await;
        let admin = member(&app, &deal.isv, deal.workspace_id, "ops@cloudleaf.example.com", "ops", "admin").await;
        let version = deal.version().await;
        let (a, b) = tokio::join!(
            deal.isv_act_at(&deal.isv, "accept", version, ""),
            deal.isv_act_at(&admin, "accept", version, ""),
        );
        let oks = [&a, &b].iter().filter(|r| r.status == StatusCode::OK).count();
        assert_eq!(oks, 1, "{} / {}", a.body, b.body);
        let loser = if a.status == StatusCode::OK { &b } else { &a };
        assert!(refusal(loser).starts_with("This order has changed"), "{}", loser.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM order_events WHERE action = 'accept'").await, 1);
        assert_eq!(deal.version().await, version + 1);
    }

    async fn a_cancel_racing_a_refund_cancels_once_and_refunds_once(app) {
        let deal = deal(&app, PRICED).await;
        deal.to_development().await;
        let version = deal.version().await;
        let (cancel, refund) = tokio::join!(
            deal.isv_act_at(&deal.isv, "cancel", version, "Too hard"),
            deal.merchant_act_at("refund", version, ""),
        );
        let oks = [&cancel, &refund].iter().filter(|r| r.status == StatusCode::OK).count();
        assert_eq!(oks, 1, "{} / {}", cancel.body, refund.body);
        assert_eq!(refund_rows(&app).await.len(), 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM order_events WHERE to_status = 'canceled'").await, 1);
        assert_eq!(deal.status().await, "canceled");
    }

    // ---- the lists ----

    async fn the_list_filters_by_status_searches_numbers_and_pages_by_key(app) {
        let deal = deal(&app, PRICED_WITH_ACCEPTANCE).await;
        let extra = more_orders(&app, &deal, 24).await;
        let first = isv_list(&deal, &[]).await;
        assert_eq!(first["orders"].as_array().unwrap().len(), 20);
        let mut newest: Vec<String> = extra.iter().rev().cloned().collect();
        newest.push(deal.order_no.clone());
        assert_eq!(numbers(&first), newest[..20]);
        let row = &first["orders"][0];
        assert_eq!(row["merchant_name"], "Lucky Noodles");
        assert_eq!(row["service_name"], "Restaurant ordering");
        assert_eq!(row["amount"], "1999.00");
        assert_eq!(row["mini_program_name"], "Lucky Noodles");
        assert_eq!(row["app_id"], "2021004100000001");
        assert_eq!(first["statuses"].as_array().unwrap().len(), 7);
        assert_eq!(first["csv_path"], format!("/console/workspaces/{}/orders.csv", deal.workspace_id));
        let after = first["next_after"].as_str().unwrap().to_owned();
        let second = isv_list(&deal, &[("after", &after)]).await;
        assert_eq!(numbers(&second), newest[20..]);
        assert_eq!(second["next_after"], Value::Null);
        // The status filter.
        let completed = isv_list(&deal, &[("status", "completed")]).await;
        assert_eq!(completed["orders"].as_array().unwrap().len(), 8);
        assert!(completed["orders"].as_array().unwrap().iter().all(|o| o["status"] == "completed"));
        assert_eq!(isv_list(&deal, &[("status", "completed"), ("q", "2026")]).await["csv_path"],
            format!("/console/workspaces/{}/orders.csv?status=completed&q=2026", deal.workspace_id));
        assert_eq!(isv_list(&deal, &[("status", "new")]).await["orders"].as_array().unwrap().len(), 17);
        // Search: a whole number, or its first digits.
        let exact = isv_list(&deal, &[("q", &deal.order_no)]).await;
        assert_eq!(numbers(&exact), [deal.order_no.as_str()]);
        assert_eq!(exact["orders"][0]["actions"][0]["action"], "accept");
        let prefix = isv_list(&deal, &[("q", "2026 0102")]).await;
        assert_eq!(prefix["orders"].as_array().unwrap().len(), 20);
        assert_eq!(prefix["q"], "20260102");
        let narrow = &extra[4][..22];
        assert_eq!(numbers(&isv_list(&deal, &[("q", narrow)]).await), [extra[4].clone()]);
        let both = isv_list(&deal, &[("q", "20260102"), ("status", "completed")]).await;
        assert_eq!(both["orders"].as_array().unwrap().len(), 8);
        assert!(isv_list(&deal, &[("q", "19990101")]).await["orders"].as_array().unwrap().is_empty());
        // Bad parts of the URL are named.
        let ws = deal.workspace_id.to_string();
        let bad = deal.isv.call(ISV_LIST, &[("workspace_id", &ws), ("status", "shipped"), ("q", "abc"), ("after", "x")]).await;
        assert_eq!(error_fields(&bad), ["status", "q", "after"]);
    }

    async fn the_merchant_lists_its_service_orders_with_their_actions(app) {
        let deal = deal(&app, PRICED).await;
        let page = ok(&deal.shop.call(MERCHANT_LIST, &[]).await);
        assert_eq!(numbers(&page), [deal.order_no.as_str()]);
        assert_eq!(page["orders"][0]["isv_name"], "Cloudleaf");
        assert_eq!(actions(&page["orders"][0]), ["pay"]);
        assert_eq!(page["orders"][0]["next_deadline"]["then"]["en"], "the order is canceled");
        assert_eq!(page["csv_path"], Value::Null);
        let filtered = ok(&deal.shop.call(MERCHANT_LIST, &[("status", "completed")]).await);
        assert!(filtered["orders"].as_array().unwrap().is_empty());
        let searched = ok(&deal.shop.call(MERCHANT_LIST, &[("q", &deal.order_no[..12])]).await);
        assert_eq!(numbers(&searched), [deal.order_no.as_str()]);
    }

    async fn the_change_stamp_moves_when_the_other_side_acts(app) {
        let deal = deal(&app, PRICED_WITH_ACCEPTANCE).await;
        let ws = deal.workspace_id.to_string();
        let isv_before = ok(&deal.isv.call(ISV_CHANGES, &[("workspace_id", &ws)]).await);
        let merchant_before = ok(&deal.shop.call(MERCHANT_CHANGES, &[]).await);
        assert_eq!(isv_before["now"], common::TEST_START);
        assert_eq!(isv_before["stamp"], isv_list(&deal, &[]).await["stamp"]);
        ok(&deal.isv_act("accept", "").await);
        let merchant_after = ok(&deal.shop.call(MERCHANT_CHANGES, &[]).await);
        assert_ne!(merchant_after["stamp"], merchant_before["stamp"]);
        let isv_between = ok(&deal.isv.call(ISV_CHANGES, &[("workspace_id", &ws)]).await);
        assert_ne!(isv_between["stamp"], isv_before["stamp"]);
        // Within the same millisecond, and a moment later.
        ok(&deal.merchant_act("confirm", "").await);
        let isv_after = ok(&deal.isv.call(ISV_CHANGES, &[("workspace_id", &ws)]).await);
        assert_ne!(isv_after["stamp"], isv_between["stamp"]);
        app.state.clock.advance(1);
        ok(&deal.merchant_act("pay", "").await);
        let paid = ok(&deal.isv.call(ISV_CHANGES, &[("workspace_id", &ws)]).await);
        assert_eq!(paid["stamp"], format!("{}-{}", common::TEST_START + 1, deal.version().await));
        let isv_after = paid;
        // A refused action does not move it; a workspace without orders has the stamp 0.
        deal.merchant_act("confirm", "").await;
        assert_eq!(ok(&deal.isv.call(ISV_CHANGES, &[("workspace_id", &ws)]).await)["stamp"], isv_after["stamp"]);
        let (other, other_ws) = active_isv(&app, "max@rival.example.com", "max", "Rival").await;
        assert_eq!(ok(&other.call(ISV_CHANGES, &[("workspace_id", &other_ws.to_string())]).await)["stamp"], "0");
    }

    // ---- CSV ----

    async fn the_csv_export_has_the_filtered_list_escaped_for_spreadsheets(app) {
        let deal = deal(&app, PRICED_WITH_ACCEPTANCE).await;
        more_orders(&app, &deal, 3).await;
        sqlx::query("UPDATE workspaces SET name = '=Noodles, \"Best\"' WHERE id = $1")
            .bind(deal.merchant_workspace_id).execute(app.state.db.pool()).await.unwrap();
        let path = format!("/console/workspaces/{}/orders.csv", deal.workspace_id);
        let csv = deal.isv.get(&format!("{path}?status=new")).await;
        assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
        assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
        assert!(csv.headers["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"orders-"));
        assert!(csv.body.starts_with('\u{feff}'), "a byte order mark for Excel");
        let lines: Vec<&str> = csv.body.trim_end().split("\r\n").collect();
        assert_eq!(lines[0], "\u{feff}Order number,Service,Merchant,Mini program,App ID,Amount (CNY),Status,Created (UTC+8),Next deadline,Deadline (UTC+8)");
        assert_eq!(lines.len(), 1 + 3, "the deal's order and two more are New: {lines:?}");
        assert!(lines.iter().any(|line| line.starts_with(&format!("{},Restaurant ordering,\"'=Noodles, \"\"Best\"\"\",Lucky Noodles,2021004100000001,1999.00,New Order,2026-01-01 08:00,,", deal.order_no))), "{lines:?}");
        let all = deal.isv.get(&path).await;
        assert_eq!(all.body.trim_end().split("\r\n").count(), 1 + 4);
        deal.isv.set_cookie("lang", "zh-CN");
        let zh = deal.isv.get(&format!("{path}?q={}", deal.order_no)).await;
        let zh_lines: Vec<&str> = zh.body.trim_end().split("\r\n").collect();
        assert!(zh_lines[0].starts_with("\u{feff}订单号,服务,商家"), "{zh_lines:?}");
        assert!(zh_lines[1].contains(",待接单,"), "{zh_lines:?}");
        assert_eq!(zh_lines.len(), 2);
        // Only members, only good filters.
        assert_status(&app.browser().get(&path).await, StatusCode::UNAUTHORIZED);
        assert_status(&deal.shop.get(&path).await, StatusCode::NOT_FOUND);
        let bad = deal.isv.get(&format!("{path}?status=shipped")).await;
        assert_status(&bad, StatusCode::BAD_REQUEST);
        assert_eq!(bad.body, "请选择订单状态。", "in the caller's language");
    }

    // ---- 应用授权 ----

    async fn the_merchant_cancels_an_isvs_authorization_and_its_token_stops_working(app) {
        let deal = deal(&app, FREE).await;
        let list = ok(&deal.shop.call(AUTHORIZATIONS, &[]).await);
        assert_eq!(list.as_array().unwrap().len(), 1);
        let authorization = &list[0];
        assert_eq!(authorization["isv_name"], "Cloudleaf");
        assert_eq!(authorization["mini_program_name"], "Lucky Noodles");
        assert_eq!(authorization["service_name"], "Restaurant ordering", "the order's service");
        assert_eq!(authorization["status"], "active");
        assert_eq!(authorization["cancellable"], true);
        let id = authorization["id"].as_i64().unwrap().to_string();
        let (token,): (String,) = sqlx::query_as("SELECT app_auth_token FROM authorizations")
            .fetch_one(app.state.db.pool()).await.unwrap();
        let now = app.state.clock.now();
        assert!(app::orders::authorizations::live_token(app.state.db.pool(), &token, now).await.unwrap().is_some());
        let (stranger, _) = merchant(&app, "other@example.com", "other", "enterprise").await;
        assert_status(&stranger.call(CANCEL_AUTHORIZATION, &[("authorization_id", &id)]).await, StatusCode::NOT_FOUND);
        let after = ok(&deal.shop.call(CANCEL_AUTHORIZATION, &[("authorization_id", &id)]).await);
        assert_eq!(after[0]["status"], "cancelled");
        assert_eq!(after[0]["status_label"]["zh"], "已取消授权");
        assert_eq!(after[0]["cancellable"], false);
        assert!(app::orders::authorizations::live_token(app.state.db.pool(), &token, now).await.unwrap().is_none());
        // The ISV hears of it: the notification is in the outbox, written with the cancellation.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM notifications WHERE payload LIKE '%alipay.open.auth.appauth.cancelled%'").await,
            1
        );
        let again = deal.shop.call(CANCEL_AUTHORIZATION, &[("authorization_id", &id)]).await;
        assert_eq!(refusal(&again), "This authorization has already been cancelled.");
        assert_eq!(deal.status().await, "in_development", "the order is the order's business");
        assert_status(&deal.isv.call(AUTHORIZATIONS, &[]).await, StatusCode::FORBIDDEN);
    }
}
