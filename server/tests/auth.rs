//! Accounts and security through the real router, on SQLite and PostgreSQL: sign-up with an
//! emailed code, sign-in by email or username, rate limits, sessions and their cookie, sign-out,
//! forgot password, choose role, cross-origin refusal, the development mailbox, and real SMTP.

mod common;

use axum::http::StatusCode;
use common::{Browser, Engine, TestApp, TestResponse};
use serde_json::Value;

const PASSWORD: &str = "Secret123";
const MINUTE_MS: i64 = 60 * 1000;

const SEND_SIGN_UP_CODE: &str = "/api/auth/send_sign_up_code";
const SIGN_UP: &str = "/api/auth/sign_up";
const SIGN_IN: &str = "/api/auth/sign_in";
const SIGN_OUT: &str = "/api/auth/sign_out";
const SEND_RESET_CODE: &str = "/api/auth/send_reset_code";
const RESET_PASSWORD: &str = "/api/auth/reset_password";
const CHOOSE_ROLE: &str = "/api/auth/choose_role";
const WHOAMI: &str = "/api/auth/whoami";

/// The (field, English message) pairs of a field-error answer.
fn field_errors(response: &TestResponse) -> Vec<(String, String)> {
    let json = response.json();
    let list = json["Fields"]
        .as_array()
        .unwrap_or_else(|| panic!("not field errors ({}): {}", response.status, response.body));
    list.iter()
        .map(|error| {
            assert!(
                error["message"]["zh"]
                    .as_str()
                    .is_some_and(|zh| !zh.is_empty()),
                "every message has its Chinese: {error}"
            );
            (
                error["field"].as_str().unwrap().to_owned(),
                error["message"]["en"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn fields(response: &TestResponse) -> Vec<String> {
    field_errors(response)
        .into_iter()
        .map(|(field, _)| field)
        .collect()
}

fn message(response: &TestResponse, field: &str) -> String {
    field_errors(response)
        .into_iter()
        .find(|(name, _)| name == field)
        .map(|(_, message)| message)
        .unwrap_or_else(|| panic!("no message for {field}: {}", response.body))
}

fn assert_refused(response: &TestResponse, field: &str, expected: &str) {
    assert_eq!(
        response.status,
        StatusCode::BAD_REQUEST,
        "{}",
        response.body
    );
    assert_eq!(message(response, field), expected, "{}", response.body);
}

async fn send_sign_up_code(browser: &Browser<'_>, email: &str) -> TestResponse {
    browser.call(SEND_SIGN_UP_CODE, &[("email", email)]).await
}

async fn submit_sign_up(
    browser: &Browser<'_>,
    email: &str,
    code: &str,
    username: &str,
    password: &str,
    agree: bool,
) -> TestResponse {
    let mut form = vec![
        ("email", email),
        ("code", code),
        ("username", username),
        ("password", password),
    ];
    if agree {
        form.push(("agree_terms", "on"));
    }
    browser.call(SIGN_UP, &form).await
}

/// Signs a new account up in `browser` (which is then signed in); returns the account.
async fn sign_up(app: &TestApp, browser: &Browser<'_>, email: &str, username: &str) -> Value {
    let sent = send_sign_up_code(browser, email).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let code = app.last_code_to(email).await;
    let response = submit_sign_up(browser, email, &code, username, PASSWORD, true).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

async fn sign_in(browser: &Browser<'_>, login: &str, password: &str) -> TestResponse {
    browser
        .call(SIGN_IN, &[("login", login), ("password", password)])
        .await
}

async fn whoami(browser: &Browser<'_>) -> Value {
    let response = browser.call(WHOAMI, &[]).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()
}

async fn send_reset_code(browser: &Browser<'_>, email: &str) -> TestResponse {
    browser.call(SEND_RESET_CODE, &[("email", email)]).await
}

async fn reset_password(
    browser: &Browser<'_>,
    email: &str,
    code: &str,
    password: &str,
    confirm: &str,
) -> TestResponse {
    browser
        .call(
            RESET_PASSWORD,
            &[
                ("email", email),
                ("code", code),
                ("password", password),
                ("confirm_password", confirm),
            ],
        )
        .await
}

fn set_cookie(response: &TestResponse) -> String {
    response
        .headers
        .get("set-cookie")
        .unwrap_or_else(|| panic!("no Set-Cookie: {:?}", response.headers))
        .to_str()
        .unwrap()
        .to_owned()
}

async fn account_count(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) FROM accounts").await
}

on_both_databases! {
    // ---- sign-up ----

    async fn signing_up_with_the_emailed_code_creates_a_signed_in_account_without_a_role(app) {
        let browser = app.browser();
        let sent = send_sign_up_code(&browser, "jane@example.com").await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        assert_eq!(sent.json()["expires_in_secs"], 600);
        let (subject, body) = app.last_email_to("jane@example.com").await.unwrap();
        assert!(subject.contains("verification code"), "{subject}");
        let code = common::code_in(&body).unwrap();

        let response = submit_sign_up(&browser, "jane@example.com", &code, "Jane_Doe", PASSWORD, true).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        let account = response.json();
        assert_eq!(account["email"], "jane@example.com");
        assert_eq!(account["username"], "Jane_Doe");
        assert_eq!(account["role"], Value::Null);
        assert_eq!(account["is_reviewer"], false);

        let cookie = set_cookie(&response);
        assert!(cookie.starts_with("sm_session="), "{cookie}");
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
        assert_eq!(whoami(&browser).await["username"], "Jane_Doe");
        assert_eq!(whoami(&app.browser()).await, Value::Null, "another browser is a visitor");
    }

    async fn secrets_are_stored_only_as_hashes(app) {
        let browser = app.browser();
        send_sign_up_code(&browser, "jane@example.com").await;
        let code = app.last_code_to("jane@example.com").await;
        let (code_hash,): (String,) = sqlx::query_as("SELECT code_hash FROM verification_codes")
            .fetch_one(app.state.db.pool()).await.unwrap();
        assert!(!code_hash.contains(&code), "{code_hash}");
        submit_sign_up(&browser, "jane@example.com", &code, "jane", PASSWORD, true).await;

        let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM accounts")
            .fetch_one(app.state.db.pool()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains(PASSWORD));
        let token = browser.cookie("sm_session").unwrap();
        assert_eq!(token.len(), 64);
        let (session_id, expires_at, last_seen_at): (String, i64, i64) =
            sqlx::query_as("SELECT id, expires_at, last_seen_at FROM sessions")
                .fetch_one(app.state.db.pool()).await.unwrap();
        assert_ne!(session_id, token);
        assert_eq!(session_id, app::auth::crypto::sha256_hex(&token));
        assert_eq!(expires_at, common::TEST_START + 30 * 24 * 60 * MINUTE_MS);
        assert_eq!(last_seen_at, common::TEST_START);
    }

    async fn the_session_cookie_is_secure_when_the_request_came_over_https(app) {
        let browser = app.browser();
        sign_up(&app, &browser, "jane@example.com", "jane").await;
        let response = browser
            .call_with(SIGN_IN, &[("login", "jane"), ("password", PASSWORD)], &[("x-forwarded-proto", "https")])
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        assert!(set_cookie(&response).ends_with("; Secure"), "{}", set_cookie(&response));
    }

    async fn a_malformed_email_gets_a_field_error_and_no_code(app) {
        let browser = app.browser();
        let response = send_sign_up_code(&browser, "jane.example.com").await;
        assert_refused(&response, "email", "Email must contain exactly one @, like name@example.com.");
        assert_eq!(app.count("SELECT COUNT(*) FROM verification_codes").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM outbox_emails").await, 0);
    }

    async fn every_bad_field_is_reported_at_once_and_nothing_is_created(app) {
        let browser = app.browser();
        send_sign_up_code(&browser, "jane@example.com").await;
        let response = submit_sign_up(&browser, "jane@example.com", "12ab", "j", "short", false).await;
        assert_eq!(fields(&response), ["code", "username", "password", "agree_terms"]);
        assert_eq!(message(&response, "code"), "The verification code is the 6 digits in the email.");
        assert_eq!(message(&response, "username"), "Username must be at least 3 characters.");
        assert_eq!(
            message(&response, "password"),
            "The password does not meet these rules: 8–64 characters; at least one digit (0-9)."
        );
        assert_eq!(message(&response, "agree_terms"), "Read and agree to the Terms of Service to sign up.");
        assert_eq!(account_count(&app).await, 0);
        assert!(response.headers.get("set-cookie").is_none());
        // No guess was spent: the code still works once the form is right.
        let (attempts,): (i64,) = sqlx::query_as("SELECT attempts FROM verification_codes")
            .fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(attempts, 0);
    }

    async fn a_weak_password_is_refused_with_the_rules_it_breaks(app) {
        let browser = app.browser();
        send_sign_up_code(&browser, "jane@example.com").await;
        let code = app.last_code_to("jane@example.com").await;
        for (password, broken) in [
            ("", "Password is required."),
            ("abcdefgh", "The password does not meet these rules: at least one digit (0-9)."),
            ("12345678", "The password does not meet these rules: at least one letter."),
            ("Jane2026", "The password does not meet these rules: not the same as your username or email."),
        ] {
            let response = submit_sign_up(&browser, "jane@example.com", &code, "jane2026", password, true).await;
            assert_refused(&response, "password", broken);
        }
        assert_eq!(account_count(&app).await, 0);
        let ok = submit_sign_up(&browser, "jane@example.com", &code, "jane2026", PASSWORD, true).await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    }

    async fn not_agreeing_to_the_terms_of_service_is_refused(app) {
        let browser = app.browser();
        send_sign_up_code(&browser, "jane@example.com").await;
        let code = app.last_code_to("jane@example.com").await;
        let response = submit_sign_up(&browser, "jane@example.com", &code, "jane", PASSWORD, false).await;
        assert_eq!(fields(&response), ["agree_terms"]);
        let unticked = browser
            .call(SIGN_UP, &[("email", "jane@example.com"), ("code", &code), ("username", "jane"),
                ("password", PASSWORD), ("agree_terms", "false")])
            .await;
        assert_eq!(fields(&unticked), ["agree_terms"]);
        assert_eq!(account_count(&app).await, 0);
    }

    async fn a_code_must_have_been_sent_to_that_email(app) {
        let browser = app.browser();
        let response = submit_sign_up(&browser, "jane@example.com", "123456", "jane", PASSWORD, true).await;
        assert_refused(&response, "code", "Send a verification code to this email first.");
    }

    async fn a_wrong_code_is_refused_and_five_wrong_guesses_kill_it(app) {
        let browser = app.browser();
        send_sign_up_code(&browser, "jane@example.com").await;
        let code = app.last_code_to("jane@example.com").await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for _ in 0..4 {
            let response = submit_sign_up(&browser, "jane@example.com", wrong, "jane", PASSWORD, true).await;
            assert_refused(&response, "code",
                "The verification code is incorrect. Use the code in the latest email.");
        }
        let fifth = submit_sign_up(&browser, "jane@example.com", wrong, "jane", PASSWORD, true).await;
        assert_refused(&fifth, "code", "Too many wrong codes. Send a new one.");
        let right = submit_sign_up(&browser, "jane@example.com", &code, "jane", PASSWORD, true).await;
        assert_refused(&right, "code", "Too many wrong codes. Send a new one.");
        assert_eq!(account_count(&app).await, 0);

        // A new code starts afresh.
        send_sign_up_code(&browser, "jane@example.com").await;
        let code = app.last_code_to("jane@example.com").await;
        let response = submit_sign_up(&browser, "jane@example.com", &code, "jane", PASSWORD, true).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    }

    async fn a_code_expires_after_ten_minutes(app) {
        let browser = app.browser();
        send_sign_up_code(&browser, "jane@example.com").await;
        let code = app.last_code_to("jane@example.com").await;
        app.state.clock.advance(10 * MINUTE_MS);
        let response = submit_sign_up(&browser, "jane@example.com", &code, "jane", PASSWORD, true).await;
        assert_refused(&response, "code", "The verification code has expired. Send a new one.");
        assert_eq!(account_count(&app).await, 0);
    }

    async fn a_code_is_still_good_just_before_it_expires(app) {
        let browser = app.browser();
        send_sign_up_code(&browser, "jane@example.com").await;
        let code = app.last_code_to("jane@example.com").await;
        app.state.clock.advance(10 * MINUTE_MS - 1);
        let response = submit_sign_up(&browser, "jane@example.com", &code, "jane", PASSWORD, true).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    }

    async fn only_the_newest_code_counts(app) {
        let browser = app.browser();
        send_sign_up_code(&browser, "jane@example.com").await;
        let first = app.last_code_to("jane@example.com").await;
        app.state.clock.advance(1000);
        send_sign_up_code(&browser, "jane@example.com").await;
        let second = app.last_code_to("jane@example.com").await;
        if first != second {
            let response = submit_sign_up(&browser, "jane@example.com", &first, "jane", PASSWORD, true).await;
            assert_refused(&response, "code",
                "The verification code is incorrect. Use the code in the latest email.");
        }
        let response = submit_sign_up(&browser, "jane@example.com", &second, "jane", PASSWORD, true).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    }

    async fn a_used_code_cannot_be_used_again(app) {
        let browser = app.browser();
        sign_up(&app, &browser, "jane@example.com", "jane").await;
        send_reset_code(&browser, "jane@example.com").await;
        let code = app.last_code_to("jane@example.com").await;
        let first = reset_password(&browser, "jane@example.com", &code, "NewSecret1", "NewSecret1").await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        let again = reset_password(&browser, "jane@example.com", &code, "Other1234", "Other1234").await;
        assert_refused(&again, "code", "This verification code has already been used. Send a new one.");
        assert_eq!(sign_in(&browser, "jane", "NewSecret1").await.status, StatusCode::OK);
    }

    async fn a_sign_up_code_does_not_reset_a_password(app) {
        let browser = app.browser();
        send_sign_up_code(&browser, "john@example.com").await;
        let code = app.last_code_to("john@example.com").await;
        let response = reset_password(&browser, "john@example.com", &code, "NewSecret1", "NewSecret1").await;
        assert_refused(&response, "code", "Send a verification code to this email first.");
    }

    async fn the_sixth_code_to_one_email_within_an_hour_is_refused(app) {
        for n in 0..5 {
            let browser = app.browser_at(&format!("10.0.0.{}", n + 1));
            let response = send_sign_up_code(&browser, "jane@example.com").await;
            assert_eq!(response.status, StatusCode::OK, "send {n}: {}", response.body);
            app.state.clock.advance(MINUTE_MS);
        }
        let sixth = send_sign_up_code(&app.browser_at("10.0.0.9"), "jane@example.com").await;
        assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS, "{}", sixth.body);
        assert_eq!(sixth.json()["RateLimited"]["limit"], "code_sends");
        // The first send leaves the hour 55 minutes from now.
        assert_eq!(sixth.json()["RateLimited"]["retry_after_secs"], 55 * 60);
        assert_eq!(sixth.headers.get("retry-after").unwrap(), "3300");
        assert_eq!(app.count("SELECT COUNT(*) FROM outbox_emails").await, 5);

        app.state.clock.advance(55 * MINUTE_MS);
        let later = send_sign_up_code(&app.browser_at("10.0.0.9"), "jane@example.com").await;
        assert_eq!(later.status, StatusCode::OK, "{}", later.body);
    }

    async fn the_sixth_code_from_one_address_within_an_hour_is_refused(app) {
        let browser = app.browser_at("203.0.113.7");
        for n in 0..5 {
            let response = send_sign_up_code(&browser, &format!("user{n}@example.com")).await;
            assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        }
        let sixth = send_sign_up_code(&browser, "user5@example.com").await;
        assert_eq!(sixth.status, StatusCode::TOO_MANY_REQUESTS, "{}", sixth.body);
        let reset = send_reset_code(&browser, "user6@example.com").await;
        assert_eq!(reset.status, StatusCode::TOO_MANY_REQUESTS, "resets count too: {}", reset.body);
        let elsewhere = send_sign_up_code(&app.browser_at("203.0.113.8"), "user5@example.com").await;
        assert_eq!(elsewhere.status, StatusCode::OK, "{}", elsewhere.body);
    }

    async fn a_registered_email_gets_no_sign_up_code(app) {
        sign_up(&app, &app.browser(), "jane@example.com", "jane").await;
        let response = send_sign_up_code(&app.browser_at("10.0.0.2"), "JANE@Example.com").await;
        assert_refused(&response, "email",
            "This email is already registered. Sign in, or use Forgot your password?");
    }

    async fn a_username_is_unique_regardless_of_case(app) {
        sign_up(&app, &app.browser(), "jane@example.com", "Jane").await;
        let browser = app.browser_at("10.0.0.2");
        send_sign_up_code(&browser, "other@example.com").await;
        let code = app.last_code_to("other@example.com").await;
        let response = submit_sign_up(&browser, "other@example.com", &code, "JANE", PASSWORD, true).await;
        assert_refused(&response, "username", "This username is taken. Choose another one.");
        // The code was not spent on the refused attempt.
        let response = submit_sign_up(&browser, "other@example.com", &code, "jane2", PASSWORD, true).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    }

    async fn an_email_registered_after_its_code_was_sent_is_refused_at_sign_up(app) {
        // Two codes reach the same inbox before anyone signs up: the second sign-up is refused.
        let first = app.browser_at("10.0.0.1");
        let second = app.browser_at("10.0.0.2");
        send_sign_up_code(&first, "jane@example.com").await;
        let code = app.last_code_to("jane@example.com").await;
        assert_eq!(submit_sign_up(&first, "jane@example.com", &code, "jane", PASSWORD, true).await.status,
            StatusCode::OK);
        let response = submit_sign_up(&second, "Jane@example.com", &code, "jane_two", PASSWORD, true).await;
        assert_refused(&response, "email",
            "This email is already registered. Sign in, or use Forgot your password?");
        assert_eq!(account_count(&app).await, 1);
    }

    async fn the_database_refuses_duplicates_and_names_the_field_on_both_engines(app) {
        use app::auth::{accounts, crypto};
        use app::domain::{Email, Username};
        let hash = crypto::hash_password(PASSWORD).await.unwrap();
        let email = Email::parse("jane@example.com").unwrap();
        let username = Username::parse("jane").unwrap();
        let pool = app.state.db.pool();
        accounts::insert(pool, &email, &username, &hash, 0).await.unwrap();
        let error = accounts::insert(pool, &email, &Username::parse("john").unwrap(), &hash, 0)
            .await.unwrap_err();
        assert_eq!(accounts::taken_field(&error), Some("email"), "{error}");
        let other = Email::parse("john@example.com").unwrap();
        let error = accounts::insert(pool, &other, &Username::parse("JANE").unwrap(), &hash, 0)
            .await.unwrap_err();
        assert_eq!(accounts::taken_field(&error), Some("username"), "{error}");
    }

    // ---- sign-in ----

    async fn one_can_sign_in_by_email_or_by_username_in_any_case(app) {
        sign_up(&app, &app.browser(), "jane@example.com", "Jane_Doe").await;
        for login in ["jane@example.com", "JANE@EXAMPLE.COM", "Jane_Doe", "jane_doe", " jane_doe "] {
            let browser = app.browser();
            let response = sign_in(&browser, login, PASSWORD).await;
            assert_eq!(response.status, StatusCode::OK, "{login}: {}", response.body);
            assert_eq!(response.json()["username"], "Jane_Doe");
            assert_eq!(whoami(&browser).await["email"], "jane@example.com");
        }
    }

    async fn an_unknown_account_and_a_wrong_password_get_the_same_answer(app) {
        sign_up(&app, &app.browser(), "jane@example.com", "jane").await;
        let wrong_password = sign_in(&app.browser(), "jane", "Wrong1234").await;
        let unknown_user = sign_in(&app.browser(), "nobody", PASSWORD).await;
        let unknown_email = sign_in(&app.browser(), "nobody@example.com", PASSWORD).await;
        for response in [&wrong_password, &unknown_user, &unknown_email] {
            assert_eq!(response.status, StatusCode::BAD_REQUEST);
            assert_eq!(response.body, wrong_password.body);
            assert!(response.headers.get("set-cookie").is_none());
        }
        assert_eq!(field_errors(&wrong_password),
            [("form".to_owned(), "Incorrect email/username or password.".to_owned())]);
    }

    async fn an_empty_sign_in_form_names_its_fields(app) {
        let response = sign_in(&app.browser(), "  ", "").await;
        assert_eq!(fields(&response), ["login", "password"]);
        assert_eq!(app.count("SELECT COUNT(*) FROM login_attempts").await, 0);
    }

    async fn five_failures_lock_an_account_for_fifteen_minutes(app) {
        sign_up(&app, &app.browser(), "jane@example.com", "jane").await;
        for n in 0..5 {
            // Alternating email and username: both count for the one account.
            let login = if n % 2 == 0 { "jane" } else { "jane@example.com" };
            let browser = app.browser_at(&format!("10.0.1.{n}"));
            assert_eq!(sign_in(&browser, login, "Wrong1234").await.status, StatusCode::BAD_REQUEST);
            app.state.clock.advance(MINUTE_MS);
        }
        let locked = sign_in(&app.browser_at("10.0.2.1"), "jane", PASSWORD).await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "{}", locked.body);
        assert_eq!(locked.json()["RateLimited"]["limit"], "sign_ins");
        assert_eq!(locked.json()["RateLimited"]["retry_after_secs"], 10 * 60);
        assert!(locked.headers.get("set-cookie").is_none());

        app.state.clock.advance(10 * MINUTE_MS);
        let browser = app.browser();
        assert_eq!(sign_in(&browser, "jane", PASSWORD).await.status, StatusCode::OK);
        // Success forgets the account's failures.
        assert_eq!(sign_in(&app.browser(), "jane", "Wrong1234").await.status, StatusCode::BAD_REQUEST);
        assert_eq!(sign_in(&app.browser(), "jane", PASSWORD).await.status, StatusCode::OK);
    }

    async fn twenty_failures_from_one_address_lock_that_address(app) {
        sign_up(&app, &app.browser(), "jane@example.com", "jane").await;
        let attacker = app.browser_at("198.51.100.1");
        for n in 0..20 {
            let response = sign_in(&attacker, &format!("guess{n}"), "Wrong1234").await;
            assert_eq!(response.status, StatusCode::BAD_REQUEST, "{n}: {}", response.body);
        }
        let locked = sign_in(&attacker, "jane", PASSWORD).await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "{}", locked.body);
        assert_eq!(sign_in(&app.browser_at("198.51.100.2"), "jane", PASSWORD).await.status,
            StatusCode::OK);
    }

    // ---- sessions ----

    async fn signing_out_ends_the_session_for_good(app) {
        let browser = app.browser();
        sign_up(&app, &browser, "jane@example.com", "jane").await;
        let token = browser.cookie("sm_session").unwrap();
        let response = browser.call(SIGN_OUT, &[]).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        assert!(set_cookie(&response).contains("Max-Age=0"));
        assert_eq!(whoami(&browser).await, Value::Null);
        // The old token, replayed, signs no one in.
        browser.set_cookie("sm_session", &token);
        assert_eq!(whoami(&browser).await, Value::Null);
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
        // Signing out without a session is harmless.
        assert_eq!(app.browser().call(SIGN_OUT, &[]).await.status, StatusCode::OK);
    }

    async fn a_session_ends_after_thirty_days(app) {
        let browser = app.browser();
        sign_up(&app, &browser, "jane@example.com", "jane").await;
        app.state.clock.advance(30 * 24 * 60 * MINUTE_MS - 1);
        assert_eq!(whoami(&browser).await["username"], "jane");
        app.state.clock.advance(1);
        assert_eq!(whoami(&browser).await, Value::Null);
    }

    async fn a_session_notes_when_it_was_last_seen(app) {
        let browser = app.browser();
        sign_up(&app, &browser, "jane@example.com", "jane").await;
        app.state.clock.advance(5 * MINUTE_MS);
        whoami(&browser).await;
        let (last_seen,): (i64,) = sqlx::query_as("SELECT last_seen_at FROM sessions")
            .fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(last_seen, common::TEST_START + 5 * MINUTE_MS);
    }

    async fn a_forged_session_cookie_is_a_visitor(app) {
        let browser = app.browser();
        browser.set_cookie("sm_session", &"ab".repeat(32));
        assert_eq!(whoami(&browser).await, Value::Null);
        let response = browser.call(CHOOSE_ROLE, &[("role", "isv")]).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }

    async fn signing_in_again_replaces_the_browsers_session(app) {
        let browser = app.browser();
        sign_up(&app, &browser, "jane@example.com", "jane").await;
        assert_eq!(sign_in(&browser, "jane", PASSWORD).await.status, StatusCode::OK);
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
    }

    // ---- forgot password ----

    async fn resetting_the_password_ends_the_accounts_other_sessions(app) {
        let laptop = app.browser_at("10.0.0.1");
        sign_up(&app, &laptop, "jane@example.com", "jane").await;
        let phone = app.browser_at("10.0.0.2");
        assert_eq!(sign_in(&phone, "jane", PASSWORD).await.status, StatusCode::OK);
        let bystander = app.browser_at("10.0.0.3");
        sign_up(&app, &bystander, "john@example.com", "john").await;

        let sent = send_reset_code(&laptop, "jane@example.com").await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let (subject, _) = app.last_email_to("jane@example.com").await.unwrap();
        assert!(subject.contains("Reset"), "{subject}");
        let code = app.last_code_to("jane@example.com").await;
        let response = reset_password(&laptop, "jane@example.com", &code, "NewSecret1", "NewSecret1").await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);

        assert_eq!(whoami(&laptop).await["username"], "jane", "the session that reset survives");
        assert_eq!(whoami(&phone).await, Value::Null, "other sessions end");
        assert_eq!(whoami(&bystander).await["username"], "john", "other accounts are untouched");
        assert_eq!(sign_in(&app.browser(), "jane", PASSWORD).await.status, StatusCode::BAD_REQUEST);
        assert_eq!(sign_in(&app.browser(), "jane", "NewSecret1").await.status, StatusCode::OK);
        let (changed_at,): (i64,) = sqlx::query_as(
            "SELECT password_changed_at FROM accounts WHERE username = 'jane'")
            .fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(changed_at, common::TEST_START);
    }

    async fn a_signed_out_reset_ends_every_session_of_the_account(app) {
        let laptop = app.browser_at("10.0.0.1");
        sign_up(&app, &laptop, "jane@example.com", "jane").await;
        let visitor = app.browser_at("10.0.0.2");
        send_reset_code(&visitor, "jane@example.com").await;
        let code = app.last_code_to("jane@example.com").await;
        let response = reset_password(&visitor, "jane@example.com", &code, "NewSecret1", "NewSecret1").await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        assert_eq!(whoami(&laptop).await, Value::Null);
        assert_eq!(whoami(&visitor).await, Value::Null, "a reset does not sign in");
    }

    async fn a_bad_reset_changes_nothing(app) {
        let browser = app.browser();
        sign_up(&app, &browser, "jane@example.com", "jane2026").await;
        send_reset_code(&browser, "jane@example.com").await;
        let code = app.last_code_to("jane@example.com").await;
        let wrong = if code == "000000" { "111111" } else { "000000" };

        let mismatch = reset_password(&browser, "jane@example.com", &code, "NewSecret1", "NewSecret2").await;
        assert_refused(&mismatch, "confirm_password", "The two passwords do not match.");
        let weak = reset_password(&browser, "jane@example.com", &code, "JANE2026", "JANE2026").await;
        assert_refused(&weak, "password",
            "The password does not meet these rules: not the same as your username or email.");
        let bad = reset_password(&browser, "jane", "", "", "x").await;
        assert_eq!(fields(&bad), ["email", "code", "password", "confirm_password"]);
        let wrong_code = reset_password(&browser, "jane@example.com", wrong, "NewSecret1", "NewSecret1").await;
        assert_refused(&wrong_code, "code",
            "The verification code is incorrect. Use the code in the latest email.");

        assert_eq!(whoami(&browser).await["username"], "jane2026", "the session lives on");
        assert_eq!(sign_in(&app.browser(), "jane2026", PASSWORD).await.status, StatusCode::OK);
        // Only the wrong code was counted.
        let (attempts,): (i64,) = sqlx::query_as("SELECT attempts FROM verification_codes \
             WHERE purpose = 'reset_password'")
            .fetch_one(app.state.db.pool()).await.unwrap();
        assert_eq!(attempts, 1);
    }

    async fn a_reset_for_an_unknown_email_answers_alike_and_sends_no_code(app) {
        sign_up(&app, &app.browser(), "jane@example.com", "jane").await;
        let browser = app.browser_at("10.0.0.2");
        let known = send_reset_code(&browser, "jane@example.com").await;
        let unknown = send_reset_code(&browser, "nobody@example.com").await;
        assert_eq!(unknown.status, StatusCode::OK, "{}", unknown.body);
        assert_eq!(unknown.json()["expires_in_secs"], known.json()["expires_in_secs"]);
        let (_, body) = app.last_email_to("nobody@example.com").await.unwrap();
        assert!(body.contains("no account uses it"), "{body}");
        assert_eq!(common::code_in(&body), None);
        for guess in ["000000", "123456"] {
            let response = reset_password(&browser, "nobody@example.com", guess, "NewSecret1", "NewSecret1").await;
            assert_refused(&response, "code",
                "The verification code is incorrect. Use the code in the latest email.");
        }
    }

    // ---- choose your role ----

    async fn choosing_a_role_needs_a_session(app) {
        let response = app.browser().call(CHOOSE_ROLE, &[("role", "isv")]).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{}", response.body);
        assert_eq!(response.json(), serde_json::json!("Unauthenticated"));
    }

    async fn a_signed_in_account_chooses_isv_or_merchant(app) {
        let browser = app.browser();
        sign_up(&app, &browser, "jane@example.com", "jane").await;
        let unknown = browser.call(CHOOSE_ROLE, &[("role", "reviewer")]).await;
        assert_refused(&unknown, "role", "Choose ISV or Merchant.");
        assert_eq!(whoami(&browser).await["role"], Value::Null);

        let response = browser.call(CHOOSE_ROLE, &[("role", "isv")]).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        assert_eq!(response.json()["role"], "isv");
        assert_eq!(whoami(&browser).await["role"], "isv");
        // Before onboarding a mistaken choice can still change.
        let response = browser.call(CHOOSE_ROLE, &[("role", "merchant")]).await;
        assert_eq!(response.json()["role"], "merchant");
    }

    async fn the_role_is_fixed_once_the_account_has_a_workspace(app) {
        let browser = app.browser();
        let account = sign_up(&app, &browser, "jane@example.com", "jane").await;
        browser.call(CHOOSE_ROLE, &[("role", "isv")]).await;
        let pool = app.state.db.pool();
        let (workspace,): (i64,) = sqlx::query_as(
            "INSERT INTO workspaces (kind, name, status, created_at, updated_at) \
             VALUES ('isv', 'Jane Co', 'under_review', 0, 0) RETURNING id")
            .fetch_one(pool).await.unwrap();
        sqlx::query("INSERT INTO workspace_members (workspace_id, account_id, role, created_at) \
                     VALUES ($1, $2, 'owner', 0)")
            .bind(workspace).bind(account["id"].as_i64().unwrap())
            .execute(pool).await.unwrap();
        let response = browser.call(CHOOSE_ROLE, &[("role", "merchant")]).await;
        assert_eq!(fields(&response), ["role"]);
        assert_eq!(whoami(&browser).await["role"], "isv");
        let same = browser.call(CHOOSE_ROLE, &[("role", "isv")]).await;
        assert_eq!(same.status, StatusCode::OK, "choosing the same role again is fine");
    }

    // ---- cross-origin requests ----

    async fn a_state_changing_request_from_another_origin_is_refused(app) {
        let form = [("login", "jane"), ("password", PASSWORD)];
        let evil = app
            .call_with(SIGN_IN, &form, &[("origin", "https://evil.example"), ("host", "127.0.0.1:3000")])
            .await;
        assert_eq!(evil.status, StatusCode::FORBIDDEN);
        assert!(evil.body.contains("Cross-origin request refused"), "{}", evil.body);
        let cross_site = app.call_with(SIGN_OUT, &[], &[("sec-fetch-site", "cross-site")]).await;
        assert_eq!(cross_site.status, StatusCode::FORBIDDEN);

        let same = app
            .call_with(SIGN_OUT, &[], &[("origin", "http://127.0.0.1:3000"), ("host", "127.0.0.1:3000")])
            .await;
        assert_eq!(same.status, StatusCode::OK, "{}", same.body);
        let same_site_fetch = app.call_with(SIGN_OUT, &[], &[("sec-fetch-site", "same-origin")]).await;
        assert_eq!(same_site_fetch.status, StatusCode::OK);
        // Reading is not changing: a cross-origin GET is served.
        let page = app.get_with("/", &[("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")]).await;
        assert_eq!(page.status, StatusCode::OK);
    }

    // ---- without wasm ----

    async fn a_plain_form_post_signs_in_and_goes_back_to_the_form(app) {
        sign_up(&app, &app.browser(), "jane@example.com", "jane").await;
        let post = |password: &str| {
            axum::http::Request::post(SIGN_IN)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "text/html,application/xhtml+xml")
                .header("referer", "http://127.0.0.1:3000/sign-in")
                .body(axum::body::Body::from(format!("login=jane&password={password}")))
                .unwrap()
        };
        let ok = app.request(post(PASSWORD)).await;
        assert!(ok.status.is_redirection(), "{} {}", ok.status, ok.body);
        let location = ok.headers["location"].to_str().unwrap();
        assert!(location.starts_with("http://127.0.0.1:3000/sign-in"), "{location}");
        assert!(!location.contains("__err"), "{location}");
        assert!(set_cookie(&ok).starts_with("sm_session="));
        // A failure stays a redirect (the error rides in the URL), not a 4xx the browser would show.
        let failed = app.request(post("Wrong1234")).await;
        assert!(failed.status.is_redirection(), "{} {}", failed.status, failed.body);
        assert!(failed.headers["location"].to_str().unwrap().contains("__err"), "{:?}", failed.headers);
        assert!(failed.headers.get("set-cookie").is_none());
    }

    // ---- the development mailbox ----

    async fn the_development_mailbox_shows_the_code_newest_first(app) {
        let browser = app.browser();
        send_sign_up_code(&browser, "first@example.com").await;
        app.state.clock.advance(1000);
        send_sign_up_code(&browser, "second@example.com").await;
        let code = app.last_code_to("second@example.com").await;
        let page = app.get("/dev/mailbox").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.headers["content-type"].to_str().unwrap().starts_with("text/html"));
        assert!(page.body.contains(&code), "{}", page.body);
        assert!(page.body.contains("Your Service Market verification code"));
        let second = page.body.find("second@example.com").unwrap();
        let first = page.body.find("first@example.com").unwrap();
        assert!(second < first, "newest first");
    }
}

async fn send_code_and_read_the_mailbox(engine: Engine, production: bool) -> common::TestResponse {
    let settings: &[(&str, &str)] = if production {
        &[("LEPTOS_ENV", "PROD")]
    } else {
        &[("LEPTOS_ENV", "DEV")]
    };
    let app = common::spawn_app_with(engine, settings).await;
    let sent = send_sign_up_code(&app.browser(), "jane@example.com").await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    app.get("/dev/mailbox").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mailbox_is_not_there_in_production_mode() {
    for engine in [Engine::Sqlite, Engine::Postgres] {
        let page = send_code_and_read_the_mailbox(engine, true).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{engine:?}");
        assert!(!page.body.contains("jane@example.com"));
        let page = send_code_and_read_the_mailbox(engine, false).await;
        assert_eq!(page.status, StatusCode::OK, "{engine:?}");
        assert!(page.body.contains("jane@example.com"));
    }
}

// ---- a real SMTP server ----

/// maildev (npm, pinned in end2end/package.json), started on free ports for one test and
/// stopped when dropped.
struct MailDev {
    child: std::process::Child,
    web_port: u16,
    smtp_port: u16,
}

impl MailDev {
    fn start() -> MailDev {
        let binary = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../end2end/node_modules/.bin/maildev");
        assert!(
            binary.exists(),
            "maildev is missing at {}: run `npm ci` in end2end/ (make test does it)",
            binary.display()
        );
        let free_port = || {
            std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port()
        };
        let (smtp_port, web_port) = (free_port(), free_port());
        let child = std::process::Command::new(&binary)
            .args(["--ip", "127.0.0.1", "--smtp", &smtp_port.to_string()])
            .args(["--web", &web_port.to_string(), "--silent"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start maildev ({}): {e}", binary.display()));
        let maildev = MailDev {
            child,
            web_port,
            smtp_port,
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while maildev.try_get("/email").is_none() {
            assert!(
                std::time::Instant::now() < deadline,
                "maildev did not answer on port {web_port} within 30 s"
            );
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        maildev
    }

    /// A GET on maildev's REST API, as plain HTTP/1.0; the body, if it answered 200.
    fn try_get(&self, path: &str) -> Option<String> {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.web_port)).ok()?;
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .ok()?;
        write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).ok()?;
        let (head, body) = response.split_once("\r\n\r\n")?;
        head.starts_with("HTTP/1.1 200").then(|| body.to_owned())
    }

    fn emails(&self) -> Vec<Value> {
        let body = self
            .try_get("/email")
            .expect("maildev's GET /email answers");
        serde_json::from_str::<Value>(&body)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }
}

impl Drop for MailDev {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn a_code_travels_through_a_real_smtp_server(engine: Engine) {
    let maildev = MailDev::start();
    let smtp_url = format!("smtp://127.0.0.1:{}", maildev.smtp_port);
    let app = common::spawn_app_with(
        engine,
        &[
            ("SMTP_URL", smtp_url.as_str()),
            ("MAIL_FROM", "Service Market <no-reply@market.test>"),
        ],
    )
    .await;
    assert!(app.state.mailer.uses_smtp());
    let browser = app.browser();
    let sent = send_sign_up_code(&browser, "jane@example.com").await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox_emails").await,
        0,
        "with SMTP nothing goes to the outbox"
    );

    let emails = maildev.emails();
    assert_eq!(emails.len(), 1, "{emails:?}");
    let email = &emails[0];
    assert_eq!(email["to"][0]["address"], "jane@example.com");
    assert_eq!(email["from"][0]["address"], "no-reply@market.test");
    assert_eq!(
        email["subject"],
        "Your Service Market verification code / 服务市场验证码"
    );
    let text = email["text"].as_str().unwrap();
    let code = common::code_in(text).unwrap_or_else(|| panic!("no code in {text}"));
    assert!(text.contains("验证码"), "UTF-8 survives the trip: {text}");

    let response =
        submit_sign_up(&browser, "jane@example.com", &code, "jane", PASSWORD, true).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_travels_through_a_real_smtp_server_sqlite() {
    a_code_travels_through_a_real_smtp_server(Engine::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_travels_through_a_real_smtp_server_postgres() {
    a_code_travels_through_a_real_smtp_server(Engine::Postgres).await
}
