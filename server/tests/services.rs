//! Services through the real router, on SQLite and PostgreSQL: Service Management > Services
//! (create, edit, submit, withdraw, archive, who may do which), the reviewer's queue of
//! services, and the marketplace's service detail — with the refusal of every function to the
//! wrong caller, and bad input that changes nothing.

mod common;

use axum::http::StatusCode;
use common::market::{
    active_isv, assert_conflict, assert_status, count, create_service, member, merchant, ok,
    online_service, reviewer, service_call, service_input, submitted_isv,
};
use common::{error_fields, error_message, Browser, TestResponse};
use serde_json::json;

const LIST: &str = "/api/services/list";
const GET: &str = "/api/services/get";
const UPDATE: &str = "/api/services/update";
const SUBMIT: &str = "/api/services/submit";
const WITHDRAW: &str = "/api/services/withdraw";
const ARCHIVE: &str = "/api/services/archive";
const QUEUE: &str = "/api/review/services";
const APPROVE: &str = "/api/review/approve_service";
const TURN_DOWN: &str = "/api/review/turn_down_service";
const DETAIL: &str = "/api/marketplace/service";
const SEARCH: &str = "/api/marketplace/services";

async fn update(browser: &Browser<'_>, service_id: i64, input: &serde_json::Value) -> TestResponse {
    browser
        .call_json(UPDATE, &json!({ "service_id": service_id, "input": input }))
        .await
}

async fn turn_down(reviewer: &Browser<'_>, service_id: i64, reason: &str) -> TestResponse {
    reviewer
        .call(
            TURN_DOWN,
            &[("service_id", &service_id.to_string()), ("reason", reason)],
        )
        .await
}

async fn status_of(app: &common::TestApp, service_id: i64) -> String {
    let (status,): (String,) = sqlx::query_as("SELECT status FROM services WHERE id = $1")
        .bind(service_id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    status
}

on_both_databases! {
    // ---- creating and editing ----

    async fn an_isv_member_creates_a_draft_service_with_every_field(app) {
        let (owner, ws) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let mut input = service_input("Restaurant ordering · 餐饮点餐");
        input["terminals"] = json!(["amap", "alipay"]);
        input["subscriber_restriction"] = json!(["individual_business", "enterprise"]);
        input["needs_acceptance"] = json!(true);
        let created = ok(&create_service(&owner, ws, &input).await);
        assert_eq!(created["status"], "draft");
        assert_eq!(created["workspace_id"], ws);
        assert_eq!(created["name"], "Restaurant ordering · 餐饮点餐");
        assert_eq!(created["category"], "FoodAndBeverage");
        assert_eq!(created["service_type"], "IndustryTemplate");
        assert_eq!(created["terminals"], json!(["alipay", "amap"]));
        assert_eq!(created["subscriber_restriction"], json!(["enterprise", "individual_business"]));
        assert_eq!(created["needs_acceptance"], true);
        assert_eq!(created["max_order_period_days"], 730);
        let plans: Vec<(i64, &str)> = created["plans"].as_array().unwrap().iter()
            .map(|p| (p["period_days"].as_i64().unwrap(), p["price"].as_str().unwrap())).collect();
        assert_eq!(plans, [(30, "0.00"), (365, "1999.00")]);
        assert_eq!(created["preview_url"], "https://preview.cloudleaf.example.com/try");
        assert_eq!(created["mobile_access_url"], "https://admin.cloudleaf.example.com/m");
        assert_eq!(created["published_at"], serde_json::Value::Null);

        let id = created["id"].as_i64().unwrap();
        let list = ok(&owner.call(LIST, &[("workspace_id", &ws.to_string())]).await);
        assert_eq!(list[0]["id"], id);
        assert_eq!(list[0]["lowest_price"], "0.00");
        let editor = ok(&service_call(&owner, GET, id).await);
        assert_eq!(editor["my_role"], "owner");
        assert_eq!(editor["allowed_actions"], json!(["edit", "submit", "archive"]));
        assert_eq!(editor["service"], created);
        // A draft is not in the marketplace.
        assert_status(&service_call(&app.browser(), DETAIL, id).await, StatusCode::NOT_FOUND);
    }

    async fn bad_service_input_is_refused_field_by_field_and_changes_nothing(app) {
        let (owner, ws) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let mut input = service_input("");
        input["category"] = json!("nonsense");
        input["terminals"] = json!([]);
        input["plans"] = json!([
            { "period_days": "30", "price": "12.345" },
            { "period_days": "30", "price": "1" },
            { "period_days": "1000", "price": "1" }
        ]);
        input["subscriber_restriction"] = json!(["company"]);
        input["preview_url"] = json!("javascript:alert(1)");
        let response = create_service(&owner, ws, &input).await;
        assert_status(&response, StatusCode::BAD_REQUEST);
        assert_eq!(error_fields(&response), [
            "name", "category", "terminals", "plans.0.price", "plans.1.period_days",
            "plans.2.period_days", "subscriber_restriction", "preview_url",
        ]);
        assert_eq!(error_message(&response, "plans.0.price"), "The amount can have at most two decimal places.");
        assert_eq!(error_message(&response, "plans.2.period_days"), "A plan's period cannot exceed the maximum order period.");
        let mut no_plans = service_input("No plans");
        no_plans["plans"] = json!([]);
        assert_eq!(error_fields(&create_service(&owner, ws, &no_plans).await), ["plans"]);
        assert_eq!(count(&app, "services").await, 0);
        assert_eq!(count(&app, "service_plans").await, 0);

        // A bad edit leaves the stored service as it was.
        let id = ok(&create_service(&owner, ws, &service_input("Good")).await)["id"].as_i64().unwrap();
        let before = ok(&service_call(&owner, GET, id).await);
        let mut bad = service_input("Renamed");
        bad["max_order_period_days"] = json!("0");
        assert_eq!(error_fields(&update(&owner, id, &bad).await), ["max_order_period_days"]);
        assert_eq!(ok(&service_call(&owner, GET, id).await), before);
    }

    async fn a_service_cannot_be_created_before_the_workspace_is_approved(app) {
        let (applicant, ws) = submitted_isv(&app, "li@bluebridge.example.com", "lilei", "Bluebridge").await;
        let response = create_service(&applicant, ws, &service_input("Early")).await;
        assert_eq!(error_message(&response, "form"), "Services can be created once the workspace is approved.");
        assert_eq!(count(&app, "services").await, 0);
    }

    async fn editing_replaces_fields_and_plans_and_keeps_the_status(app) {
        let (owner, ws) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let created = ok(&create_service(&owner, ws, &service_input("First name")).await);
        let id = created["id"].as_i64().unwrap();
        let kept_plan = created["plans"][1]["id"].clone();
        let mut input = service_input("Second name");
        input["plans"] = json!([
            { "period_days": "365", "price": "1500" },
            { "period_days": "90", "price": "600.5" }
        ]);
        input["pc_access_url"] = json!("");
        let updated = ok(&update(&owner, id, &input).await);
        assert_eq!(updated["name"], "Second name");
        assert_eq!(updated["status"], "draft");
        assert_eq!(updated["pc_access_url"], serde_json::Value::Null);
        assert_eq!(updated["plans"][0]["id"], kept_plan, "a plan that keeps its period keeps its id");
        assert_eq!(updated["plans"][0]["price"], "1500.00");
        assert_eq!(updated["plans"][1]["period_days"], 90);
        assert_eq!(updated["plans"][1]["price"], "600.50");
        assert_eq!(count(&app, "service_plans").await, 2, "the unused 30-day plan is deleted");
    }

    // ---- who may do what ----

    async fn a_developer_edits_but_only_owners_and_admins_submit_withdraw_and_archive(app) {
        let (owner, ws) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let developer = member(&app, &owner, ws, "dev@cloudleaf.example.com", "devon", "developer").await;
        let admin = member(&app, &owner, ws, "admin@cloudleaf.example.com", "adam", "admin").await;
        let id = ok(&create_service(&developer, ws, &service_input("By a developer")).await)["id"].as_i64().unwrap();
        ok(&update(&developer, id, &service_input("Edited by a developer")).await);
        assert_eq!(ok(&service_call(&developer, GET, id).await)["allowed_actions"], json!(["edit"]));
        for path in [SUBMIT, ARCHIVE] {
            let refused = service_call(&developer, path, id).await;
            assert_eq!(error_message(&refused, "form"), "Only the workspace Owner or an Admin can do this.");
        }
        assert_eq!(status_of(&app, id).await, "draft");
        assert_eq!(ok(&service_call(&admin, SUBMIT, id).await)["status"], "pending_review");
        let reviewer = reviewer(&app).await;
        ok(&service_call(&reviewer, APPROVE, id).await);
        assert_eq!(error_message(&service_call(&developer, WITHDRAW, id).await, "form"),
            "Only the workspace Owner or an Admin can do this.");
        assert_eq!(ok(&service_call(&admin, WITHDRAW, id).await)["status"], "withdrawn");
        assert_eq!(ok(&service_call(&owner, ARCHIVE, id).await)["status"], "archived");
    }

    async fn service_functions_refuse_visitors_merchants_and_other_workspaces(app) {
        let (owner, ws) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let id = ok(&create_service(&owner, ws, &service_input("Mine")).await)["id"].as_i64().unwrap();
        let (outsider, other_ws) = active_isv(&app, "li@bluebridge.example.com", "lilei", "Bluebridge").await;
        let (shop, shop_ws) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        let anonymous = app.browser();

        for (browser, status) in [
            (&anonymous, StatusCode::UNAUTHORIZED),
            (&outsider, StatusCode::NOT_FOUND),
            (&shop, StatusCode::NOT_FOUND),
        ] {
            assert_status(&browser.call(LIST, &[("workspace_id", &ws.to_string())]).await, status);
            assert_status(&create_service(browser, ws, &service_input("Intruder")).await, status);
            for path in [GET, SUBMIT, WITHDRAW, ARCHIVE] {
                assert_status(&service_call(browser, path, id).await, status);
            }
            assert_status(&update(browser, id, &service_input("Hijacked")).await, status);
        }
        // A merchant's own workspace holds no services.
        assert_status(&create_service(&shop, shop_ws, &service_input("Shop")).await, StatusCode::FORBIDDEN);
        assert_status(&service_call(&owner, GET, 999_999).await, StatusCode::NOT_FOUND);
        assert_eq!(ok(&outsider.call(LIST, &[("workspace_id", &other_ws.to_string())]).await), json!([]));
        assert_eq!(count(&app, "services").await, 1);
        assert_eq!(status_of(&app, id).await, "draft");
        assert_eq!(ok(&service_call(&owner, GET, id).await)["service"]["name"], "Mine");
    }

    // ---- review ----

    async fn a_submitted_service_waits_in_the_review_queue_and_approval_puts_it_online(app) {
        let (owner, ws) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let id = ok(&create_service(&owner, ws, &service_input("Ordering")).await)["id"].as_i64().unwrap();
        let submitted = ok(&service_call(&owner, SUBMIT, id).await);
        assert_eq!(submitted["status"], "pending_review");
        assert_eq!(submitted["submitted_at"], common::TEST_START);
        // Pending review: no edits, no second submission.
        assert_conflict(&update(&owner, id, &service_input("Sneaky")).await, "not possible");
        assert_conflict(&service_call(&owner, SUBMIT, id).await, "not possible");

        let reviewer = reviewer(&app).await;
        let queue = ok(&reviewer.call(QUEUE, &[]).await);
        assert_eq!(queue.as_array().unwrap().len(), 1);
        assert_eq!(queue[0]["service"]["id"], id);
        assert_eq!(queue[0]["isv_name"], "Cloudleaf");
        assert_eq!(queue[0]["service"]["plans"].as_array().unwrap().len(), 2);
        assert_eq!(queue[0]["previous_turn_down_reason"], serde_json::Value::Null);

        let approved = ok(&service_call(&reviewer, APPROVE, id).await);
        assert_eq!(approved["status"], "online");
        assert_eq!(approved["published_at"], common::TEST_START);
        assert_eq!(ok(&reviewer.call(QUEUE, &[]).await), json!([]));
        let cards = ok(&app.browser().call(SEARCH, &[("text", "")]).await);
        assert_eq!(cards[0]["id"], id);
    }

    async fn a_turned_down_service_shows_the_reason_and_is_edited_and_resubmitted(app) {
        let (owner, ws) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let id = ok(&create_service(&owner, ws, &service_input("Ordering")).await)["id"].as_i64().unwrap();
        ok(&service_call(&owner, SUBMIT, id).await);
        let reviewer = reviewer(&app).await;
        let response = turn_down(&reviewer, id, "  ").await;
        assert_eq!(error_message(&response, "reason"),
            "Enter the reason for turning the service down; the ISV will see it.");
        assert_eq!(status_of(&app, id).await, "pending_review");

        let turned_down = ok(&turn_down(&reviewer, id, "Add a preview that works.").await);
        assert_eq!(turned_down["status"], "turned_down");
        assert_eq!(turned_down["turn_down_reason"], "Add a preview that works.");
        let list = ok(&owner.call(LIST, &[("workspace_id", &ws.to_string())]).await);
        assert_eq!(list[0]["turn_down_reason"], "Add a preview that works.");
        assert_status(&service_call(&app.browser(), DETAIL, id).await, StatusCode::NOT_FOUND);

        let mut input = service_input("Ordering");
        input["preview_url"] = json!("https://preview.cloudleaf.example.com/v2");
        assert_eq!(ok(&update(&owner, id, &input).await)["status"], "turned_down");
        ok(&service_call(&owner, SUBMIT, id).await);
        let queue = ok(&reviewer.call(QUEUE, &[]).await);
        assert_eq!(queue[0]["previous_turn_down_reason"], "Add a preview that works.");
        let approved = ok(&service_call(&reviewer, APPROVE, id).await);
        assert_eq!(approved["status"], "online");
        assert_eq!(approved["turn_down_reason"], serde_json::Value::Null);
    }

    async fn only_reviewers_review_services_and_a_stale_decision_changes_nothing(app) {
        let (owner, ws) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let id = ok(&create_service(&owner, ws, &service_input("Ordering")).await)["id"].as_i64().unwrap();
        ok(&service_call(&owner, SUBMIT, id).await);
        let (shop, _) = merchant(&app, "shop@example.com", "shop", "enterprise").await;
        for (browser, status) in [
            (&app.browser(), StatusCode::UNAUTHORIZED),
            (&owner, StatusCode::FORBIDDEN),
            (&shop, StatusCode::FORBIDDEN),
        ] {
            assert_status(&browser.call(QUEUE, &[]).await, status);
            assert_status(&service_call(browser, APPROVE, id).await, status);
            assert_status(&turn_down(browser, id, "No.").await, status);
        }
        assert_eq!(status_of(&app, id).await, "pending_review");

        let reviewer = reviewer(&app).await;
        ok(&service_call(&reviewer, APPROVE, id).await);
        assert_conflict(&turn_down(&reviewer, id, "Too late.").await, "not pending review");
        assert_conflict(&service_call(&reviewer, APPROVE, id).await, "not pending review");
        assert_status(&service_call(&reviewer, APPROVE, 999_999).await, StatusCode::NOT_FOUND);
        assert_eq!(status_of(&app, id).await, "online");
    }

    // ---- withdrawing and archiving ----

    async fn an_online_service_cannot_be_edited_until_withdrawn(app) {
        let (owner, ws) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let id = online_service(&app, &owner, ws, &service_input("Ordering")).await;
        let refused = update(&owner, id, &service_input("Changed while online")).await;
        assert_eq!(error_message(&refused, "form"),
            "An Online service cannot be edited. Withdraw it first, then edit it and submit it for review again.");
        assert_eq!(ok(&service_call(&app.browser(), DETAIL, id).await)["name"], "Ordering");

        assert_eq!(ok(&service_call(&owner, WITHDRAW, id).await)["status"], "withdrawn");
        assert_status(&service_call(&app.browser(), DETAIL, id).await, StatusCode::NOT_FOUND);
        assert_eq!(ok(&app.browser().call(SEARCH, &[("text", "")]).await), json!([]));
        assert_eq!(ok(&update(&owner, id, &service_input("Changed")).await)["status"], "withdrawn");
        ok(&service_call(&owner, SUBMIT, id).await);
        let reviewer = reviewer(&app).await;
        ok(&service_call(&reviewer, APPROVE, id).await);
        assert_eq!(ok(&service_call(&app.browser(), DETAIL, id).await)["name"], "Changed");
    }

    async fn archived_services_are_final_and_pending_ones_cannot_be_archived(app) {
        let (owner, ws) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let pending = ok(&create_service(&owner, ws, &service_input("Pending")).await)["id"].as_i64().unwrap();
        ok(&service_call(&owner, SUBMIT, pending).await);
        assert_conflict(&service_call(&owner, ARCHIVE, pending).await, "not possible for a service that is Pending Review");
        assert_conflict(&service_call(&owner, WITHDRAW, pending).await, "not possible");

        let online = online_service(&app, &owner, ws, &service_input("Online")).await;
        assert_eq!(ok(&service_call(&owner, ARCHIVE, online).await)["status"], "archived");
        assert_status(&service_call(&app.browser(), DETAIL, online).await, StatusCode::NOT_FOUND);
        for path in [SUBMIT, WITHDRAW, ARCHIVE] {
            assert_conflict(&service_call(&owner, path, online).await, "Archived");
        }
        assert_conflict(&update(&owner, online, &service_input("Revived")).await, "Archived");
        assert_eq!(ok(&service_call(&owner, GET, online).await)["allowed_actions"], json!([]));
    }

    // ---- marketplace ----

    async fn the_marketplace_shows_an_online_service_with_its_plans_and_try_now_preview(app) {
        let (owner, ws) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let mut input = service_input("Restaurant ordering");
        input["subscriber_restriction"] = json!(["enterprise"]);
        let id = online_service(&app, &owner, ws, &input).await;
        let detail = ok(&service_call(&app.browser(), DETAIL, id).await);
        assert_eq!(detail["name"], "Restaurant ordering");
        assert_eq!(detail["isv_name"], "Cloudleaf");
        assert_eq!(detail["preview_url"], "https://preview.cloudleaf.example.com/try");
        assert_eq!(detail["terminals"], json!(["alipay"]));
        assert_eq!(detail["subscriber_restriction"], json!(["enterprise"]));
        assert_eq!(detail["order_path"], format!("/market/services/{id}/order"));
        assert_eq!(detail["plans"].as_array().unwrap().len(), 2);
        assert!(detail.get("mobile_access_url").is_none(), "the access addresses are for subscribers");
        assert_status(&service_call(&app.browser(), DETAIL, 999_999).await, StatusCode::NOT_FOUND);
    }

    async fn marketplace_search_finds_online_services_by_name_description_and_category(app) {
        let (owner, ws) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let mut ordering = service_input("Restaurant ordering");
        ordering["description"] = json!("扫码点餐 for noodle shops");
        online_service(&app, &owner, ws, &ordering).await;
        let mut members = service_input("Membership points");
        members["category"] = json!("retail");
        members["description"] = json!("Points and coupons");
        online_service(&app, &owner, ws, &members).await;
        ok(&create_service(&owner, ws, &service_input("Draft ordering")).await);

        let names = |value: serde_json::Value| -> Vec<String> {
            value.as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap().to_owned()).collect()
        };
        let search = |text: &'static str, category: Option<&'static str>| {
            let browser = app.browser();
            async move {
                let mut form = vec![("text", text)];
                if let Some(category) = category {
                    form.push(("category", category));
                }
                ok(&browser.call(SEARCH, &form).await)
            }
        };
        assert_eq!(names(search("ORDERING", None).await), ["Restaurant ordering"]);
        assert_eq!(names(search("点餐", None).await), ["Restaurant ordering"]);
        assert_eq!(names(search("", Some("retail")).await), ["Membership points"]);
        assert_eq!(names(search("", None).await).len(), 2);
    }
}
