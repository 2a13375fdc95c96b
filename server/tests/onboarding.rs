//! Onboarding through the real router, on SQLite and PostgreSQL: the ISV business information
//! (with its logo), the console's workspaces, the platform review (approve, turn down,
//! resubmit, stale decisions), the reviewer command, merchant onboarding, members and
//! invitations — and the refusal of every server function to the wrong caller.

mod common;

use axum::http::StatusCode;
use common::{error_fields, error_message, new_account, Browser, TestApp, TestResponse, Upload};
use serde_json::Value;

const SUBMIT: &str = "/api/onboarding/submit_business_info";
const MY_APPLICATION: &str = "/api/onboarding/isv_application";
const ONBOARD_MERCHANT: &str = "/api/onboarding/merchant";
const WORKSPACES: &str = "/api/console/workspaces";
const SWITCH: &str = "/api/console/switch_workspace";
const WORKSPACE: &str = "/api/console/workspace";
const MEMBERS: &str = "/api/console/members";
const INVITE: &str = "/api/console/invite_member";
const WITHDRAW: &str = "/api/console/withdraw_invitation";
const RESEND: &str = "/api/console/resend_invitation";
const INVITATION: &str = "/api/console/invitation";
const ACCEPT: &str = "/api/console/accept_invitation";
const REMOVE: &str = "/api/console/remove_member";
const QUEUE: &str = "/api/review/applications";
const APPROVE: &str = "/api/review/approve";
const TURN_DOWN: &str = "/api/review/turn_down";

/// A 4×4 PNG and a 4×4 JPEG, drawn and encoded by Chromium.
const PNG: &[u8] = include_bytes!("fixtures/logo.png");
const JPEG: &[u8] = include_bytes!("fixtures/logo.jpg");
/// The classic 1×1 transparent GIF.
const GIF: &[u8] = &[
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];
const MAX_LOGO: usize = 2 * 1024 * 1024;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;
const CREDIT_CODE: &str = "91350100M000100Y43";
const RESIDENT_ID: &str = "11010519491231002X";
const REVIEWER_EMAIL: &str = "reviewer@platform.example";
const REVIEWER_PASSWORD: &str = "Review2026";

fn business_form(company_name: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("company_name", company_name),
        ("business_address", "1 West Lake Road, Hangzhou"),
        ("country_region", "CN"),
        ("business_representative", "Li Lei"),
        ("website", "https://cloudleaf.example.com"),
        ("customer_service_number", "+86 571 8888 0000"),
        ("customer_service_email", "service@cloudleaf.example.com"),
        ("agree_terms", "on"),
    ]
}

fn logo<'a>(file_name: &'a str, content_type: &'a str, bytes: &'a [u8]) -> Upload<'a> {
    Upload {
        field: "logo",
        file_name,
        content_type,
        bytes,
    }
}

fn png_logo() -> Upload<'static> {
    logo("logo.png", "image/png", PNG)
}

async fn submit(
    browser: &Browser<'_>,
    form: &[(&str, &str)],
    files: &[Upload<'_>],
) -> TestResponse {
    browser.call_multipart(SUBMIT, form, files).await
}

fn ok(response: &TestResponse) -> Value {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

fn assert_status(response: &TestResponse, status: StatusCode) {
    assert_eq!(response.status, status, "{}", response.body);
}

fn assert_conflict(response: &TestResponse, text: &str) {
    assert_status(response, StatusCode::CONFLICT);
    let message = response.json()["Conflict"].as_str().unwrap().to_owned();
    assert!(message.contains(text), "{message}");
}

/// An account with the ISV role, signed in.
async fn isv<'a>(app: &'a TestApp, email: &str, username: &str) -> Browser<'a> {
    new_account(app, email, username, Some("isv")).await
}

/// An ISV that submitted its business information (with a PNG logo); the workspace id.
async fn submitted_isv<'a>(
    app: &'a TestApp,
    email: &str,
    username: &str,
    company_name: &'static str,
) -> (Browser<'a>, i64) {
    let browser = isv(app, email, username).await;
    let summary = ok(&submit(&browser, &business_form(company_name), &[png_logo()]).await);
    let id = summary["id"].as_i64().unwrap();
    (browser, id)
}

/// The platform reviewer, made as `service-market admin` makes it, signed in.
async fn reviewer(app: &TestApp) -> Browser<'_> {
    app::onboarding::reviewers::create_or_promote(
        &app.state.db,
        &app.state.clock,
        REVIEWER_EMAIL,
        REVIEWER_PASSWORD,
    )
    .await
    .unwrap();
    let browser = app.browser();
    ok(&browser
        .call(
            "/api/auth/sign_in",
            &[("login", REVIEWER_EMAIL), ("password", REVIEWER_PASSWORD)],
        )
        .await);
    browser
}

/// The id of a workspace's newest application.
async fn application_of(app: &TestApp, workspace_id: i64) -> i64 {
    let (id,): (i64,) = sqlx::query_as(
        "SELECT id FROM isv_applications WHERE workspace_id = $1 \
         ORDER BY submitted_at DESC, id DESC LIMIT 1",
    )
    .bind(workspace_id)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    id
}

async fn approve(reviewer: &Browser<'_>, application_id: i64) -> TestResponse {
    reviewer
        .call(APPROVE, &[("application_id", &application_id.to_string())])
        .await
}

async fn turn_down(reviewer: &Browser<'_>, application_id: i64, reason: &str) -> TestResponse {
    reviewer
        .call(
            TURN_DOWN,
            &[
                ("application_id", &application_id.to_string()),
                ("reason", reason),
            ],
        )
        .await
}

/// An approved ISV: its Owner's browser and the workspace id.
async fn active_isv<'a>(
    app: &'a TestApp,
    email: &str,
    username: &str,
    company_name: &'static str,
) -> (Browser<'a>, i64) {
    let (owner, id) = submitted_isv(app, email, username, company_name).await;
    let reviewer = reviewer(app).await;
    ok(&approve(&reviewer, application_of(app, id).await).await);
    (owner, id)
}

async fn workspace_status(app: &TestApp, id: i64) -> String {
    let (status,): (String,) = sqlx::query_as("SELECT status FROM workspaces WHERE id = $1")
        .bind(id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    status
}

async fn my_workspaces(browser: &Browser<'_>) -> Value {
    ok(&browser.call(WORKSPACES, &[]).await)
}

async fn call_ws(browser: &Browser<'_>, path: &str, workspace_id: i64) -> TestResponse {
    browser
        .call(path, &[("workspace_id", &workspace_id.to_string())])
        .await
}

async fn invite(owner: &Browser<'_>, workspace_id: i64, email: &str, role: &str) -> TestResponse {
    owner
        .call(
            INVITE,
            &[
                ("workspace_id", &workspace_id.to_string()),
                ("email", email),
                ("role", role),
            ],
        )
        .await
}

/// The invitation token in the newest invitation email to `to`.
async fn invitation_token(app: &TestApp, to: &str) -> String {
    let (body,): (String,) = sqlx::query_as(
        "SELECT body_text FROM outbox_emails WHERE to_addr = $1 \
         AND body_text LIKE '%/invitations/%' ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(to)
    .fetch_optional(app.state.db.pool())
    .await
    .unwrap()
    .unwrap_or_else(|| panic!("no invitation email to {to}"));
    let start = body.find("/invitations/").unwrap() + "/invitations/".len();
    body[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

async fn accept(browser: &Browser<'_>, token: &str) -> TestResponse {
    browser.call(ACCEPT, &[("token", token)]).await
}

async fn count(app: &TestApp, table: &str) -> i64 {
    app.count(&format!("SELECT COUNT(*) FROM {table}")).await
}

async fn onboard_merchant(browser: &Browser<'_>, form: &[(&str, &str)]) -> TestResponse {
    browser.call(ONBOARD_MERCHANT, form).await
}

fn merchant_form<'a>(identity_type: &'a str, number: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("merchant_name", "Lucky Noodles"),
        ("identity_type", identity_type),
        ("certified_name", "Hangzhou Lucky Noodles Co., Ltd."),
        ("certificate_number", number),
    ]
}

on_both_databases! {
    // ---- ISV business information ----

    async fn an_isv_submits_its_business_information_and_the_console_shows_it_under_review(app) {
        let browser = isv(&app, "jane@cloudleaf.example.com", "jane").await;
        let response = submit(&browser, &business_form("Hangzhou Cloudleaf Technology"), &[png_logo()]).await;
        let summary = ok(&response);
        assert_eq!(summary["name"], "Hangzhou Cloudleaf Technology");
        assert_eq!(summary["kind"], "isv");
        assert_eq!(summary["status"], "under_review");
        assert_eq!(summary["my_role"], "owner");
        let id = summary["id"].as_i64().unwrap();

        let list = my_workspaces(&browser).await;
        assert_eq!(list["workspaces"].as_array().unwrap().len(), 1);
        assert_eq!(list["workspaces"][0], summary);
        assert_eq!(list["current"], id);

        let application = ok(&browser.call(MY_APPLICATION, &[]).await);
        assert_eq!(application["company_name"], "Hangzhou Cloudleaf Technology");
        assert_eq!(application["country_region"], "CN");
        assert_eq!(application["website"], "https://cloudleaf.example.com");
        assert_eq!(application["customer_service_number"], "+86 571 8888 0000");
        assert_eq!(application["customer_service_email"], "service@cloudleaf.example.com");
        assert_eq!(application["status"], "under_review");
        assert_eq!(application["logo_content_type"], "image/png");
        assert_eq!(application["logo_url"], format!("/workspaces/{id}/logo"));

        let logo = browser.get(&format!("/workspaces/{id}/logo")).await;
        assert_status(&logo, StatusCode::OK);
        assert_eq!(logo.headers["content-type"], "image/png");
        assert_eq!(logo.headers["x-content-type-options"], "nosniff");
        let (stored,): (Vec<u8>,) = sqlx::query_as("SELECT logo FROM isv_applications")
            .fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(stored, PNG);
    }

    async fn a_jpeg_logo_is_accepted_and_no_file_means_no_logo(app) {
        let browser = isv(&app, "jane@cloudleaf.example.com", "jane").await;
        let summary = ok(&submit(&browser, &business_form("Cloudleaf"), &[logo("logo.jpeg", "image/jpeg", JPEG)]).await);
        let id = summary["id"].as_i64().unwrap();
        let served = browser.get(&format!("/workspaces/{id}/logo")).await;
        assert_status(&served, StatusCode::OK);
        assert_eq!(served.headers["content-type"], "image/jpeg");

        // A browser sends an empty part with an empty file name when no file is chosen.
        let other = isv(&app, "li@bluebridge.example.com", "lilei").await;
        let summary = ok(&submit(&other, &business_form("Bluebridge"), &[logo("", "application/octet-stream", b"")]).await);
        let id = summary["id"].as_i64().unwrap();
        assert_eq!(ok(&other.call(MY_APPLICATION, &[]).await)["logo_url"], Value::Null);
        assert_status(&other.get(&format!("/workspaces/{id}/logo")).await, StatusCode::NOT_FOUND);
    }

    async fn logos_are_refused_by_content_and_size_and_nothing_is_created(app) {
        let browser = isv(&app, "jane@cloudleaf.example.com", "jane").await;
        let form = business_form("Cloudleaf");
        let mut too_big = PNG.to_vec();
        too_big.resize(MAX_LOGO + 1, 0);
        for (upload, expected) in [
            (logo("logo.gif", "image/gif", GIF), "The Business Logo must be a PNG or JPG image."),
            (logo("logo.png", "image/png", GIF), "The Business Logo must be a PNG or JPG image."),
            (logo("logo.png", "image/png", b"just some text, not an image"), "The Business Logo must be a PNG or JPG image."),
            (logo("logo.png", "image/png", b""), "The Business Logo file is empty."),
            (logo("logo.png", "image/png", &too_big), "The Business Logo must be at most 2 MB."),
        ] {
            let response = submit(&browser, &form, &[upload]).await;
            assert_status(&response, StatusCode::BAD_REQUEST);
            assert_eq!(error_fields(&response), ["logo"]);
            assert_eq!(error_message(&response, "logo"), expected);
        }
        assert_eq!(count(&app, "workspaces").await, 0);
        assert_eq!(count(&app, "isv_applications").await, 0);

        let mut at_limit = PNG.to_vec();
        at_limit.resize(MAX_LOGO, 0);
        ok(&submit(&browser, &form, &[logo("big.png", "image/png", &at_limit)]).await);
    }

    async fn every_bad_field_is_reported_in_form_order_and_nothing_is_created(app) {
        let browser = isv(&app, "jane@cloudleaf.example.com", "jane").await;
        let long_address = "a".repeat(201);
        let response = submit(&browser, &[
            ("company_name", "  "),
            ("business_address", &long_address),
            ("country_region", "XX"),
            ("business_representative", ""),
            ("website", "cloudleaf.example.com"),
            ("customer_service_number", "call 1234"),
            ("customer_service_email", "service.example.com"),
        ], &[logo("logo.gif", "image/gif", GIF)]).await;
        assert_status(&response, StatusCode::BAD_REQUEST);
        assert_eq!(error_fields(&response), [
            "company_name", "business_address", "country_region", "business_representative",
            "logo", "website", "customer_service_number", "customer_service_email", "agree_terms",
        ]);
        assert_eq!(error_message(&response, "company_name"), "Company Name is required.");
        assert_eq!(error_message(&response, "business_address"), "Business Address must be at most 200 characters.");
        assert_eq!(error_message(&response, "country_region"), "Select a Country/Region from the list.");
        assert_eq!(error_message(&response, "customer_service_number"),
            "The Customer Service Number may contain only digits, spaces, +, - and parentheses.");
        assert_eq!(error_message(&response, "agree_terms"),
            "Read and agree to the Terms of Service and Privacy Policy to submit.");
        assert_eq!(count(&app, "workspaces").await, 0);
        assert_eq!(count(&app, "workspace_members").await, 0);
    }

    async fn only_a_signed_in_isv_may_submit_business_information(app) {
        let form = business_form("Cloudleaf");
        let anonymous = app.browser();
        assert_status(&submit(&anonymous, &form, &[]).await, StatusCode::UNAUTHORIZED);
        let no_role = new_account(&app, "norole@example.com", "norole", None).await;
        assert_status(&submit(&no_role, &form, &[]).await, StatusCode::FORBIDDEN);
        let merchant = new_account(&app, "shop@example.com", "shop", Some("merchant")).await;
        assert_status(&submit(&merchant, &form, &[png_logo()]).await, StatusCode::FORBIDDEN);
        assert_eq!(count(&app, "workspaces").await, 0);
        // And the role cannot be switched once the workspace exists.
        let (isv, _) = submitted_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        assert_status(&isv.call("/api/auth/choose_role", &[("role", "merchant")]).await, StatusCode::BAD_REQUEST);
    }

    async fn the_upload_endpoint_wants_multipart_form_data(app) {
        let browser = isv(&app, "jane@cloudleaf.example.com", "jane").await;
        let response = browser.call(SUBMIT, &business_form("Cloudleaf")).await;
        assert_status(&response, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(count(&app, "workspaces").await, 0);
    }

    async fn a_second_submission_while_under_review_is_a_conflict(app) {
        let (browser, _) = submitted_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let again = submit(&browser, &business_form("Cloudleaf Again"), &[]).await;
        assert_conflict(&again, "under review");
        assert_eq!(count(&app, "workspaces").await, 1);
        assert_eq!(count(&app, "isv_applications").await, 1);
    }

    async fn the_logo_is_served_only_to_members_and_reviewers(app) {
        let (_owner, id) = submitted_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let path = format!("/workspaces/{id}/logo");
        assert_status(&app.browser().get(&path).await, StatusCode::UNAUTHORIZED);
        let (other_isv, _) = submitted_isv(&app, "li@bluebridge.example.com", "lilei", "Bluebridge").await;
        assert_status(&other_isv.get(&path).await, StatusCode::NOT_FOUND);
        let reviewer = reviewer(&app).await;
        let served = reviewer.get(&path).await;
        assert_status(&served, StatusCode::OK);
        assert_eq!(served.headers["content-type"], "image/png");
        assert_status(&reviewer.get("/workspaces/999999/logo").await, StatusCode::NOT_FOUND);
    }

    // ---- review ----

    async fn a_reviewer_approves_and_the_applicant_gets_the_approval_email_with_the_link(app) {
        let (owner, id) = submitted_isv(&app, "jane@cloudleaf.example.com", "jane", "Hangzhou Cloudleaf Technology").await;
        let reviewer = reviewer(&app).await;
        let queue = ok(&reviewer.call(QUEUE, &[]).await);
        let items = queue.as_array().unwrap();
        assert_eq!(items.len(), 1);
        let item = &items[0];
        assert_eq!(item["applicant_email"], "jane@cloudleaf.example.com");
        assert_eq!(item["applicant_username"], "jane");
        assert_eq!(item["previous_turn_downs"], 0);
        let application = &item["application"];
        assert_eq!(application["workspace_id"], id);
        assert_eq!(application["company_name"], "Hangzhou Cloudleaf Technology");
        assert_eq!(application["business_address"], "1 West Lake Road, Hangzhou");
        assert_eq!(application["business_representative"], "Li Lei");
        assert_eq!(application["logo_url"], format!("/workspaces/{id}/logo"));
        let application_id = application["id"].as_i64().unwrap();

        let decision = ok(&approve(&reviewer, application_id).await);
        assert_eq!(decision["status"], "approved");
        assert_eq!(decision["workspace_id"], id);
        assert_eq!(decision["email_sent"], true);
        assert_eq!(workspace_status(&app, id).await, "active");
        let list = my_workspaces(&owner).await;
        assert_eq!(list["workspaces"][0]["status"], "active");
        assert_eq!(list["workspaces"][0]["my_role"], "owner");

        let (subject, body) = app.last_email_to("jane@cloudleaf.example.com").await.unwrap();
        assert!(subject.contains("approved"), "{subject}");
        assert!(body.contains(&format!("http://127.0.0.1:3000/console/workspaces/{id}")), "{body}");
        assert!(body.contains("Owner"), "{body}");

        let details = ok(&call_ws(&owner, WORKSPACE, id).await);
        assert_eq!(details["workspace"]["status"], "active");
        assert_eq!(details["application"]["status"], "approved");
        assert_eq!(details["merchant"], Value::Null);
        assert_eq!(ok(&reviewer.call(QUEUE, &[]).await), serde_json::json!([]));
        // Approved: nothing more to submit.
        assert_conflict(&submit(&owner, &business_form("Renamed"), &[]).await, "approved");
    }

    async fn a_turned_down_application_shows_its_reason_and_can_be_edited_and_resubmitted(app) {
        let (owner, id) = submitted_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let reviewer = reviewer(&app).await;
        let first = application_of(&app, id).await;

        let no_reason = turn_down(&reviewer, first, "   ").await;
        assert_eq!(error_fields(&no_reason), ["reason"]);
        assert_eq!(workspace_status(&app, id).await, "under_review");

        let decision = ok(&turn_down(&reviewer, first, "The business address is incomplete.").await);
        assert_eq!(decision["status"], "turned_down");
        let list = my_workspaces(&owner).await;
        assert_eq!(list["workspaces"][0]["status"], "turned_down");
        assert_eq!(list["workspaces"][0]["turn_down_reason"], "The business address is incomplete.");
        let (_, body) = app.last_email_to("jane@cloudleaf.example.com").await.unwrap();
        assert!(body.contains("The business address is incomplete."), "{body}");
        let mine = ok(&owner.call(MY_APPLICATION, &[]).await);
        assert_eq!(mine["status"], "turned_down");
        assert_eq!(mine["turn_down_reason"], "The business address is incomplete.");

        // Edit and submit again: same workspace, renamed, the logo kept, under review again.
        let mut form = business_form("Hangzhou Cloudleaf Technology Co., Ltd.");
        form[1] = ("business_address", "1 West Lake Road, Xihu District, Hangzhou 310000");
        let summary = ok(&submit(&owner, &form, &[]).await);
        assert_eq!(summary["id"], id);
        assert_eq!(summary["status"], "under_review");
        assert_eq!(summary["name"], "Hangzhou Cloudleaf Technology Co., Ltd.");
        assert_eq!(summary["turn_down_reason"], Value::Null);
        assert_eq!(count(&app, "workspaces").await, 1);
        assert_eq!(count(&app, "isv_applications").await, 2);
        assert_eq!(owner.get(&format!("/workspaces/{id}/logo")).await.status, StatusCode::OK);

        let queue = ok(&reviewer.call(QUEUE, &[]).await);
        assert_eq!(queue.as_array().unwrap().len(), 1);
        assert_eq!(queue[0]["previous_turn_downs"], 1);
        assert_eq!(queue[0]["application"]["business_address"], "1 West Lake Road, Xihu District, Hangzhou 310000");
        let second = queue[0]["application"]["id"].as_i64().unwrap();
        assert_ne!(second, first);
        // The old decision cannot be taken again; the new one can.
        assert_conflict(&approve(&reviewer, first).await, "turned down");
        ok(&approve(&reviewer, second).await);
        assert_eq!(workspace_status(&app, id).await, "active");
    }

    async fn a_resubmission_can_drop_the_logo(app) {
        let (owner, id) = submitted_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let reviewer = reviewer(&app).await;
        ok(&turn_down(&reviewer, application_of(&app, id).await, "Logo is not the company's.").await);
        let mut form = business_form("Cloudleaf");
        form.push(("remove_logo", "on"));
        ok(&submit(&owner, &form, &[]).await);
        assert_status(&owner.get(&format!("/workspaces/{id}/logo")).await, StatusCode::NOT_FOUND);
        ok(&turn_down(&reviewer, application_of(&app, id).await, "Still missing a logo.").await);
        ok(&submit(&owner, &business_form("Cloudleaf"), &[logo("new.jpg", "image/jpeg", JPEG)]).await);
        let served = owner.get(&format!("/workspaces/{id}/logo")).await;
        assert_eq!(served.headers["content-type"], "image/jpeg");
    }

    async fn stale_decisions_are_refused_with_a_conflict(app) {
        let (_owner, id) = submitted_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let reviewer = reviewer(&app).await;
        let application_id = application_of(&app, id).await;
        ok(&approve(&reviewer, application_id).await);
        assert_conflict(&approve(&reviewer, application_id).await, "already been approved");
        assert_conflict(&turn_down(&reviewer, application_id, "Too late.").await, "already been approved");
        assert_eq!(workspace_status(&app, id).await, "active");
        assert_status(&approve(&reviewer, 999_999).await, StatusCode::NOT_FOUND);
        // Only one approval email went out.
        assert_eq!(app.count("SELECT COUNT(*) FROM outbox_emails WHERE subject LIKE '%approved%'").await, 1);
    }

    async fn review_functions_refuse_everyone_but_reviewers(app) {
        let (owner, id) = submitted_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let application_id = application_of(&app, id).await;
        let merchant = new_account(&app, "shop@example.com", "shop", Some("merchant")).await;
        let anonymous = app.browser();
        for (browser, status) in [
            (&anonymous, StatusCode::UNAUTHORIZED),
            (&owner, StatusCode::FORBIDDEN),
            (&merchant, StatusCode::FORBIDDEN),
        ] {
            assert_status(&browser.call(QUEUE, &[]).await, status);
            assert_status(&approve(browser, application_id).await, status);
            assert_status(&turn_down(browser, application_id, "No.").await, status);
        }
        assert_eq!(workspace_status(&app, id).await, "under_review");
        assert_eq!(app.count("SELECT COUNT(*) FROM isv_applications WHERE status = 'under_review'").await, 1);
    }

    async fn the_admin_command_creates_or_promotes_a_reviewer_under_the_password_rules(app) {
        use app::onboarding::reviewers::{create_or_promote, ReviewerError, ReviewerOutcome};
        let (db, clock) = (&app.state.db, &app.state.clock);
        assert!(matches!(
            create_or_promote(db, clock, "admin@platform.example", "short").await,
            Err(ReviewerError::Password(_))
        ));
        assert!(matches!(
            create_or_promote(db, clock, "not an email", REVIEWER_PASSWORD).await,
            Err(ReviewerError::Email(_))
        ));
        assert_eq!(count(&app, "accounts").await, 0);
        assert_eq!(
            create_or_promote(db, clock, "Admin@Platform.example", REVIEWER_PASSWORD).await.unwrap(),
            ReviewerOutcome::Created { username: "Admin".into() }
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM accounts WHERE is_reviewer = 1 AND email = 'admin@platform.example'").await, 1);

        // Promoting an existing account sets its password and ends its sessions.
        let jane = new_account(&app, "jane@example.com", "jane", Some("isv")).await;
        assert_eq!(
            create_or_promote(db, clock, "jane@example.com", "NewSecret456").await.unwrap(),
            ReviewerOutcome::Promoted { username: "jane".into() }
        );
        assert_eq!(jane.call("/api/auth/whoami", &[]).await.json(), Value::Null);
        let signed_in = ok(&jane.call("/api/auth/sign_in", &[("login", "jane"), ("password", "NewSecret456")]).await);
        assert_eq!(signed_in["is_reviewer"], true);
        ok(&jane.call(QUEUE, &[]).await);
    }

    // ---- merchant onboarding ----

    async fn a_merchant_onboards_with_a_certified_identity_into_an_active_workspace(app) {
        let browser = new_account(&app, "shop@example.com", "shop", Some("merchant")).await;
        let details = ok(&onboard_merchant(&browser, &merchant_form("enterprise", &CREDIT_CODE.to_lowercase())).await);
        assert_eq!(details["workspace"]["name"], "Lucky Noodles");
        assert_eq!(details["workspace"]["kind"], "merchant");
        assert_eq!(details["workspace"]["status"], "active");
        assert_eq!(details["workspace"]["my_role"], "owner");
        let merchant = &details["merchant"];
        let pid = merchant["merchant_pid"].as_str().unwrap();
        assert!(pid.len() == 16 && pid.starts_with("2088") && pid.bytes().all(|b| b.is_ascii_digit()), "{pid}");
        assert_eq!(merchant["identity_type"], "enterprise");
        assert_eq!(merchant["certified_name"], "Hangzhou Lucky Noodles Co., Ltd.");
        assert_eq!(merchant["certificate_number_masked"], "9135**********0Y43");
        assert_eq!(merchant["certified_at"], common::TEST_START);
        let (stored,): (String,) = sqlx::query_as("SELECT certificate_number FROM merchants")
            .fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(stored, CREDIT_CODE);

        let id = details["workspace"]["id"].as_i64().unwrap();
        assert_eq!(my_workspaces(&browser).await["workspaces"][0]["id"], id);
        assert_eq!(ok(&call_ws(&browser, WORKSPACE, id).await), details);
        assert_conflict(&onboard_merchant(&browser, &merchant_form("individual", RESIDENT_ID)).await, "already onboarded");
        assert_eq!(count(&app, "merchants").await, 1);
    }

    async fn each_identity_type_takes_its_own_certificate(app) {
        let individual = new_account(&app, "li@example.com", "lilei", Some("merchant")).await;
        let details = ok(&onboard_merchant(&individual, &merchant_form("individual", "110105 19491231 002x")).await);
        assert_eq!(details["merchant"]["identity_type"], "individual");
        let business = new_account(&app, "stall@example.com", "stall", Some("merchant")).await;
        ok(&onboard_merchant(&business, &merchant_form("individual_business", CREDIT_CODE)).await);
        assert_eq!(count(&app, "merchants").await, 2);
    }

    async fn bad_merchant_forms_and_wrong_callers_create_nothing(app) {
        let browser = new_account(&app, "shop@example.com", "shop", Some("merchant")).await;
        let response = onboard_merchant(&browser, &[
            ("merchant_name", ""), ("identity_type", "company"), ("certified_name", ""), ("certificate_number", "123"),
        ]).await;
        assert_eq!(error_fields(&response), ["merchant_name", "identity_type", "certified_name"]);
        let response = onboard_merchant(&browser, &merchant_form("individual", CREDIT_CODE)).await;
        assert_eq!(error_fields(&response), ["certificate_number"]);
        assert_eq!(error_message(&response, "certificate_number"),
            "The resident ID number is 18 characters: 17 digits, then a digit or X.");
        let response = onboard_merchant(&browser, &merchant_form("enterprise", "91350100M000100Y44")).await;
        assert_eq!(error_fields(&response), ["certificate_number"]);

        let form = merchant_form("enterprise", CREDIT_CODE);
        assert_status(&onboard_merchant(&app.browser(), &form).await, StatusCode::UNAUTHORIZED);
        let isv = isv(&app, "jane@cloudleaf.example.com", "jane").await;
        assert_status(&onboard_merchant(&isv, &form).await, StatusCode::FORBIDDEN);
        let no_role = new_account(&app, "norole@example.com", "norole", None).await;
        assert_status(&onboard_merchant(&no_role, &form).await, StatusCode::FORBIDDEN);
        assert_eq!(count(&app, "workspaces").await, 0);
        assert_eq!(count(&app, "merchants").await, 0);
    }

    // ---- console ----

    async fn console_functions_refuse_visitors_and_show_no_other_workspace(app) {
        let (owner, id) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let (_other, other_id) = submitted_isv(&app, "li@bluebridge.example.com", "lilei", "Bluebridge").await;
        let anonymous = app.browser();
        assert_status(&anonymous.call(WORKSPACES, &[]).await, StatusCode::UNAUTHORIZED);
        assert_status(&anonymous.call(MY_APPLICATION, &[]).await, StatusCode::UNAUTHORIZED);
        for path in [SWITCH, WORKSPACE, MEMBERS] {
            assert_status(&call_ws(&anonymous, path, id).await, StatusCode::UNAUTHORIZED);
            assert_status(&call_ws(&owner, path, other_id).await, StatusCode::NOT_FOUND);
            assert_status(&call_ws(&owner, path, 999_999).await, StatusCode::NOT_FOUND);
        }
        let list = my_workspaces(&owner).await;
        assert_eq!(list["workspaces"].as_array().unwrap().len(), 1);
        assert_eq!(list["workspaces"][0]["id"], id);
    }

    async fn the_switcher_remembers_the_chosen_workspace(app) {
        let (owner, first) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let (other_owner, second) = active_isv(&app, "li@bluebridge.example.com", "lilei", "Bluebridge").await;
        ok(&invite(&other_owner, second, "jane@cloudleaf.example.com", "admin").await);
        let token = invitation_token(&app, "jane@cloudleaf.example.com").await;
        ok(&accept(&owner, &token).await);

        let list = my_workspaces(&owner).await;
        assert_eq!(list["workspaces"].as_array().unwrap().len(), 2);
        assert_eq!(list["workspaces"][1]["my_role"], "admin");
        assert_eq!(list["current"], first);
        let switched = ok(&call_ws(&owner, SWITCH, second).await);
        assert_eq!(switched["name"], "Bluebridge");
        assert_eq!(owner.cookie("sm_workspace"), Some(second.to_string()));
        assert_eq!(my_workspaces(&owner).await["current"], second);
        // A remembered workspace the account no longer belongs to is ignored.
        owner.set_cookie("sm_workspace", "999999");
        assert_eq!(my_workspaces(&owner).await["current"], first);
    }

    // ---- members and invitations ----

    async fn the_owner_invites_a_developer_who_accepts_and_becomes_a_member(app) {
        let (owner, id) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let sent = ok(&invite(&owner, id, "Dev@Example.com", "developer").await);
        assert_eq!(sent["email_sent"], true);
        let invitation = &sent["invitation"];
        assert_eq!(invitation["email"], "dev@example.com");
        assert_eq!(invitation["role"], "developer");
        assert_eq!(invitation["status"], "pending");
        assert_eq!(invitation["expires_at"], common::TEST_START + 3 * DAY_MS);

        let (subject, body) = app.last_email_to("dev@example.com").await.unwrap();
        assert!(subject.contains("Cloudleaf"), "{subject}");
        assert!(body.contains("jane invites you") && body.contains("as Developer"), "{body}");
        let token = invitation_token(&app, "dev@example.com").await;
        assert_eq!(token.len(), 64);
        let (hash,): (String,) = sqlx::query_as("SELECT token_hash FROM invitations")
            .fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(hash, app::auth::crypto::sha256_hex(&token));

        let preview = ok(&app.browser().call(INVITATION, &[("token", &token)]).await);
        assert_eq!(preview["workspace_name"], "Cloudleaf");
        assert_eq!(preview["status"], "pending");
        assert_status(&app.browser().call(INVITATION, &[("token", "nope")]).await, StatusCode::NOT_FOUND);

        assert_status(&accept(&app.browser(), &token).await, StatusCode::UNAUTHORIZED);
        let dev = new_account(&app, "dev@example.com", "devon", None).await;
        let joined = ok(&accept(&dev, &token).await);
        assert_eq!(joined["id"], id);
        assert_eq!(joined["my_role"], "developer");
        // Accepting again is harmless.
        assert_eq!(ok(&accept(&dev, &token).await)["id"], id);

        let members = ok(&call_ws(&owner, MEMBERS, id).await);
        let roles: Vec<(&str, &str)> = members["members"].as_array().unwrap().iter()
            .map(|m| (m["username"].as_str().unwrap(), m["role"].as_str().unwrap())).collect();
        assert_eq!(roles, [("jane", "owner"), ("devon", "developer")]);
        assert_eq!(members["can_manage"], true);
        assert_eq!(members["invitations"][0]["status"], "accepted");

        // The developer sees the workspace and its members, but not the invitations.
        let seen = ok(&call_ws(&dev, MEMBERS, id).await);
        assert_eq!(seen["can_manage"], false);
        assert_eq!(seen["invitations"], serde_json::json!([]));
        assert_eq!(ok(&call_ws(&dev, WORKSPACE, id).await)["workspace"]["my_role"], "developer");
    }

    async fn an_invitation_expires_after_three_days_and_a_resend_renews_it(app) {
        let (owner, id) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let sent = ok(&invite(&owner, id, "dev@example.com", "developer").await);
        let invitation_id = sent["invitation"]["id"].as_i64().unwrap();
        let old_token = invitation_token(&app, "dev@example.com").await;
        let dev = new_account(&app, "dev@example.com", "devon", None).await;

        app.state.clock.advance(3 * DAY_MS);
        let late = accept(&dev, &old_token).await;
        assert_eq!(error_fields(&late), ["form"]);
        assert_eq!(error_message(&late, "form"), "This invitation has expired. Ask the workspace Owner to resend it.");
        assert_eq!(ok(&app.browser().call(INVITATION, &[("token", &old_token)]).await)["status"], "expired");
        assert_eq!(ok(&call_ws(&owner, MEMBERS, id).await)["invitations"][0]["status"], "expired");
        // An expired invitation no longer blocks a new one to the same email.
        assert_eq!(invite(&owner, id, "dev@example.com", "developer").await.status, StatusCode::OK);

        let resent = ok(&owner.call(RESEND, &[("invitation_id", &invitation_id.to_string())]).await);
        assert_eq!(resent["invitation"]["status"], "pending");
        assert_eq!(resent["invitation"]["expires_at"], common::TEST_START + 6 * DAY_MS);
        let new_token = invitation_token(&app, "dev@example.com").await;
        assert_ne!(new_token, old_token);
        assert_status(&accept(&dev, &old_token).await, StatusCode::NOT_FOUND);
        app.state.clock.advance(3 * DAY_MS - 1);
        assert_eq!(ok(&accept(&dev, &new_token).await)["my_role"], "developer");
    }

    async fn a_withdrawn_invitation_cannot_be_accepted_or_resent(app) {
        let (owner, id) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let sent = ok(&invite(&owner, id, "admin@example.com", "admin").await);
        let invitation_id = sent["invitation"]["id"].as_i64().unwrap().to_string();
        let token = invitation_token(&app, "admin@example.com").await;
        let withdrawn = ok(&owner.call(WITHDRAW, &[("invitation_id", &invitation_id)]).await);
        assert_eq!(withdrawn["status"], "withdrawn");
        let admin = new_account(&app, "admin@example.com", "admin1", None).await;
        let refused = accept(&admin, &token).await;
        assert_eq!(error_message(&refused, "form"), "This invitation has been withdrawn.");
        assert_conflict(&owner.call(WITHDRAW, &[("invitation_id", &invitation_id)]).await, "withdrawn");
        assert_conflict(&owner.call(RESEND, &[("invitation_id", &invitation_id)]).await, "withdrawn");
        assert_eq!(count(&app, "workspace_members").await, 1);
    }

    async fn only_the_invited_email_can_accept(app) {
        let (owner, id) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        ok(&invite(&owner, id, "dev@example.com", "developer").await);
        let token = invitation_token(&app, "dev@example.com").await;
        let stranger = new_account(&app, "stranger@example.com", "stranger", None).await;
        let refused = accept(&stranger, &token).await;
        assert_eq!(error_message(&refused, "form"),
            "This invitation is for another email. Sign in with the invited email to accept it.");
        assert_status(&call_ws(&stranger, WORKSPACE, id).await, StatusCode::NOT_FOUND);
        // Once accepted by the right account, it is closed to everyone else.
        let dev = new_account(&app, "dev@example.com", "devon", None).await;
        ok(&accept(&dev, &token).await);
        assert_eq!(error_message(&accept(&stranger, &token).await, "form"), "This invitation has already been accepted.");
    }

    async fn bad_invitations_are_refused_field_by_field(app) {
        let (owner, id) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        let response = invite(&owner, id, "not-an-email", "owner").await;
        assert_eq!(error_fields(&response), ["email", "role"]);
        assert_eq!(error_message(&response, "role"), "Choose Admin or Developer.");
        assert_eq!(error_message(&invite(&owner, id, "jane@cloudleaf.example.com", "admin").await, "email"),
            "You are already a member.");
        ok(&invite(&owner, id, "dev@example.com", "developer").await);
        assert_eq!(error_message(&invite(&owner, id, "DEV@example.com", "admin").await, "email"),
            "An invitation to this email is still pending. Resend it instead.");
        let dev = new_account(&app, "dev@example.com", "devon", None).await;
        ok(&accept(&dev, &invitation_token(&app, "dev@example.com").await).await);
        assert_eq!(error_message(&invite(&owner, id, "dev@example.com", "admin").await, "email"),
            "This person is already a member of the workspace.");
        assert_eq!(count(&app, "invitations").await, 1);

        // A workspace under review cannot invite yet.
        let (applicant, pending) = submitted_isv(&app, "li@bluebridge.example.com", "lilei", "Bluebridge").await;
        let response = invite(&applicant, pending, "x@example.com", "admin").await;
        assert_eq!(error_message(&response, "form"), "Members can be invited once the workspace is active.");
    }

    async fn only_the_owner_manages_members_and_outsiders_see_nothing(app) {
        let (owner, id) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        ok(&invite(&owner, id, "admin@example.com", "admin").await);
        let admin = new_account(&app, "admin@example.com", "admin1", None).await;
        ok(&accept(&admin, &invitation_token(&app, "admin@example.com").await).await);
        let pending = ok(&invite(&owner, id, "dev@example.com", "developer").await);
        let invitation_id = pending["invitation"]["id"].as_i64().unwrap().to_string();
        let (outsider, _) = active_isv(&app, "li@bluebridge.example.com", "lilei", "Bluebridge").await;
        let owner_id = ok(&owner.call("/api/auth/whoami", &[]).await)["id"].as_i64().unwrap().to_string();
        let ws = id.to_string();
        let anonymous = app.browser();

        for (browser, status) in [
            (&admin, StatusCode::FORBIDDEN),
            (&outsider, StatusCode::NOT_FOUND),
            (&anonymous, StatusCode::UNAUTHORIZED),
        ] {
            assert_status(&invite(browser, id, "new@example.com", "developer").await, status);
            assert_status(&browser.call(WITHDRAW, &[("invitation_id", &invitation_id)]).await, status);
            assert_status(&browser.call(RESEND, &[("invitation_id", &invitation_id)]).await, status);
            assert_status(&browser.call(REMOVE, &[("workspace_id", &ws), ("account_id", &owner_id)]).await, status);
        }
        assert_status(&call_ws(&outsider, MEMBERS, id).await, StatusCode::NOT_FOUND);
        assert_eq!(count(&app, "invitations").await, 2);
        assert_eq!(count(&app, "workspace_members").await, 3);
        assert_eq!(app.count("SELECT COUNT(*) FROM invitations WHERE withdrawn_at IS NOT NULL").await, 0);
    }

    async fn the_owner_removes_a_member_but_cannot_be_removed(app) {
        let (owner, id) = active_isv(&app, "jane@cloudleaf.example.com", "jane", "Cloudleaf").await;
        ok(&invite(&owner, id, "dev@example.com", "developer").await);
        let dev = new_account(&app, "dev@example.com", "devon", None).await;
        ok(&accept(&dev, &invitation_token(&app, "dev@example.com").await).await);
        let owner_id = ok(&owner.call("/api/auth/whoami", &[]).await)["id"].as_i64().unwrap().to_string();
        let dev_id = ok(&dev.call("/api/auth/whoami", &[]).await)["id"].as_i64().unwrap().to_string();
        let ws = id.to_string();

        assert_conflict(&owner.call(REMOVE, &[("workspace_id", &ws), ("account_id", &owner_id)]).await, "Owner cannot be removed");
        ok(&owner.call(REMOVE, &[("workspace_id", &ws), ("account_id", &dev_id)]).await);
        assert_status(&call_ws(&dev, WORKSPACE, id).await, StatusCode::NOT_FOUND);
        assert_eq!(my_workspaces(&dev).await["workspaces"], serde_json::json!([]));
        assert_status(&owner.call(REMOVE, &[("workspace_id", &ws), ("account_id", &dev_id)]).await, StatusCode::NOT_FOUND);
        assert_eq!(count(&app, "workspace_members").await, 1);
    }
}
