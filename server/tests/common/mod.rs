//! Test harness: the real router on a fresh database of either engine, one per test.
#![allow(dead_code)]

pub mod market;
pub mod orders;

use app::clock::Clock;
use app::state::AppState;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use server::config::Config;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use tower::ServiceExt;

#[derive(Clone, Copy, Debug)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// 2026-01-01T00:00:00Z: tests start from a fixed, known time.
pub const TEST_START: i64 = 1_767_225_600_000;

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub engine: Engine,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteDir(std::path::PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    format!(
        "sm_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    )
}

/// The PostgreSQL server the tests use; `make test` makes sure one answers there.
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Starts the app on a new, migrated database of the given engine.
pub async fn spawn_app(engine: Engine) -> TestApp {
    spawn_app_with(engine, &[]).await
}

/// Starts the app with extra settings, as if they were in the environment
/// (`LEPTOS_ENV=PROD`, `SMTP_URL=…`).
pub async fn spawn_app_with(engine: Engine, settings: &[(&str, &str)]) -> TestApp {
    let (database_url, cleanup) = match engine {
        Engine::Sqlite => {
            let dir = std::env::temp_dir().join(unique_name());
            std::fs::create_dir_all(&dir).unwrap();
            (
                format!("sqlite:{}", dir.join("test.db").display()),
                Cleanup::SqliteDir(dir),
            )
        }
        Engine::Postgres => {
            let admin_url = postgres_admin_url();
            let name = unique_name();
            let admin = app::db::Db::connect(&admin_url).await.unwrap_or_else(|e| {
                panic!("PostgreSQL must answer at {admin_url} (make test starts one): {e}")
            });
            sqlx::query(&format!("CREATE DATABASE \"{name}\""))
                .execute(admin.pool())
                .await
                .unwrap();
            admin.close().await;
            let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap();
            (
                format!("{base}/{name}"),
                Cleanup::PostgresDatabase { admin_url, name },
            )
        }
    };
    let settings: Vec<(String, String)> = settings
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    let config = Config::from_lookup(|name| match name {
        _ if settings.iter().any(|(n, _)| n == name) => settings
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.clone()),
        "DATABASE_URL" => Some(database_url.clone()),
        "LEPTOS_SITE_ROOT" => Some(
            std::env::temp_dir()
                .join("sm-no-site")
                .display()
                .to_string(),
        ),
        _ => None,
    })
    .unwrap();
    let state = server::build_state(&config, Clock::manual(TEST_START))
        .await
        .unwrap();
    let router = server::router(state.clone());
    TestApp {
        state,
        router,
        engine,
        cleanup,
    }
}

impl TestApp {
    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.get_with(path, &[]).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> TestResponse {
        let mut builder = Request::get(path);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        self.request(builder.body(Body::empty()).unwrap()).await
    }

    /// Calls a server function the way the browser does: a URL-encoded form POST.
    pub async fn call(&self, path: &str, form: &[(&str, &str)]) -> TestResponse {
        self.call_with(path, form, &[]).await
    }

    /// [`TestApp::call`] with extra request headers (`origin`, `cookie`, `x-forwarded-proto`…).
    pub async fn call_with(
        &self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> TestResponse {
        self.request(form_post(path, form, headers, None)).await
    }

    /// A browser of its own: a cookie jar, and the client address `ip` the server sees.
    pub fn browser_at(&self, ip: &str) -> Browser<'_> {
        Browser {
            app: self,
            peer: SocketAddr::new(ip.parse().unwrap(), 50_000),
            cookies: Mutex::new(BTreeMap::new()),
        }
    }

    /// A browser at 127.0.0.1.
    pub fn browser(&self) -> Browser<'_> {
        self.browser_at("127.0.0.1")
    }

    /// The newest email in the outbox to `to`: (subject, body).
    pub async fn last_email_to(&self, to: &str) -> Option<(String, String)> {
        sqlx::query_as(
            "SELECT subject, body_text FROM outbox_emails WHERE to_addr = $1 \
             ORDER BY created_at DESC, id DESC LIMIT 1",
        )
        .bind(to)
        .fetch_optional(self.state.db.pool())
        .await
        .unwrap()
    }

    /// The code in the newest email to `to`; panics, saying so, when there is none.
    pub async fn last_code_to(&self, to: &str) -> String {
        let (_, body) = self
            .last_email_to(to)
            .await
            .unwrap_or_else(|| panic!("no email to {to} in the outbox"));
        code_in(&body).unwrap_or_else(|| panic!("no 6-digit code in the email: {body}"))
    }

    /// How many rows a `SELECT COUNT(*) …` counts.
    pub async fn count(&self, sql: &str) -> i64 {
        let (count,): (i64,) = sqlx::query_as(sql)
            .fetch_one(self.state.db.pool())
            .await
            .unwrap();
        count
    }
}

/// The first run of exactly six digits in a text: the verification code of an email.
pub fn code_in(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        if bytes[start].is_ascii_digit() {
            let end = start
                + bytes[start..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
            if end - start == 6 {
                return Some(text[start..end].to_owned());
            }
            start = end;
        } else {
            start += 1;
        }
    }
    None
}

fn form_post(
    path: &str,
    form: &[(&str, &str)],
    headers: &[(&str, &str)],
    peer: Option<SocketAddr>,
) -> Request<Body> {
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut builder = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json");
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let mut request = builder.body(Body::from(body)).unwrap();
    if let Some(peer) = peer {
        request.extensions_mut().insert(ConnectInfo(peer));
    }
    request
}

/// A browser talking to the app: keeps the cookies the app sets (and drops the ones it expires)
/// and connects from a fixed address.
pub struct Browser<'a> {
    app: &'a TestApp,
    peer: SocketAddr,
    cookies: Mutex<BTreeMap<String, String>>,
}

impl Browser<'_> {
    /// Calls a server function with this browser's cookies, and keeps what it sets.
    pub async fn call(&self, path: &str, form: &[(&str, &str)]) -> TestResponse {
        self.call_with(path, form, &[]).await
    }

    pub async fn call_with(
        &self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut headers = headers.to_vec();
        let cookie = self.cookie_header();
        if !cookie.is_empty() {
            headers.push(("cookie", &cookie));
        }
        let response = self
            .app
            .request(form_post(path, form, &headers, Some(self.peer)))
            .await;
        self.keep_cookies(&response);
        response
    }

    /// Loads a page with this browser's cookies.
    pub async fn get(&self, path: &str) -> TestResponse {
        let mut builder = Request::get(path);
        let cookie = self.cookie_header();
        if !cookie.is_empty() {
            builder = builder.header(header::COOKIE, cookie);
        }
        let mut request = builder.body(Body::empty()).unwrap();
        request.extensions_mut().insert(ConnectInfo(self.peer));
        let response = self.app.request(request).await;
        self.keep_cookies(&response);
        response
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies
            .lock()
            .unwrap()
            .insert(name.to_owned(), value.to_owned());
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .lock()
            .unwrap()
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&self, response: &TestResponse) {
        let mut jar = self.cookies.lock().unwrap();
        for set_cookie in response.headers.get_all(header::SET_COOKIE) {
            let text = set_cookie.to_str().unwrap();
            let Some((name, rest)) = text.split_once('=') else {
                continue;
            };
            let value = rest.split(';').next().unwrap_or("").trim();
            let expired = text
                .split(';')
                .any(|attribute| attribute.trim().eq_ignore_ascii_case("Max-Age=0"));
            if expired || value.is_empty() {
                jar.remove(name.trim());
            } else {
                jar.insert(name.trim().to_owned(), value.to_owned());
            }
        }
    }
}

/// A file in a multipart form: the input's name, the file's name and type, and its bytes.
pub struct Upload<'a> {
    pub field: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// A `multipart/form-data` body of text fields and files, as a browser sends a form with a file
/// input; returns (content type, body).
pub fn multipart_body(fields: &[(&str, &str)], files: &[Upload<'_>]) -> (String, Vec<u8>) {
    let boundary = "----service-market-test-boundary-7d1f";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for file in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\n\
                 Content-Type: {}\r\n\r\n",
                file.field, file.file_name, file.content_type
            )
            .as_bytes(),
        );
        body.extend_from_slice(file.bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

impl Browser<'_> {
    /// Calls a server function that takes `multipart/form-data` (a form with a file input),
    /// with this browser's cookies.
    pub async fn call_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[Upload<'_>],
    ) -> TestResponse {
        let (content_type, body) = multipart_body(fields, files);
        let mut builder = Request::post(path)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::ACCEPT, "application/json");
        let cookie = self.cookie_header();
        if !cookie.is_empty() {
            builder = builder.header(header::COOKIE, cookie);
        }
        let mut request = builder.body(Body::from(body)).unwrap();
        request.extensions_mut().insert(ConnectInfo(self.peer));
        let response = self.app.request(request).await;
        self.keep_cookies(&response);
        response
    }
}

impl Browser<'_> {
    /// Calls a server function that takes JSON (`input = Json`), with this browser's cookies.
    pub async fn call_json(&self, path: &str, body: &serde_json::Value) -> TestResponse {
        let mut builder = Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json");
        let cookie = self.cookie_header();
        if !cookie.is_empty() {
            builder = builder.header(header::COOKIE, cookie);
        }
        let mut request = builder.body(Body::from(body.to_string())).unwrap();
        request.extensions_mut().insert(ConnectInfo(self.peer));
        let response = self.app.request(request).await;
        self.keep_cookies(&response);
        response
    }
}

/// The password the shared helpers sign accounts up with.
pub const TEST_PASSWORD: &str = "Secret123";

/// A new account signed up (and signed in) in a browser of its own; with `role`, it has
/// chosen it (`isv` or `merchant`).
pub async fn new_account<'a>(
    app: &'a TestApp,
    email: &str,
    username: &str,
    role: Option<&str>,
) -> Browser<'a> {
    let browser = app.browser();
    let sent = browser
        .call("/api/auth/send_sign_up_code", &[("email", email)])
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let code = app.last_code_to(email).await;
    let signed_up = browser
        .call(
            "/api/auth/sign_up",
            &[
                ("email", email),
                ("code", &code),
                ("username", username),
                ("password", TEST_PASSWORD),
                ("agree_terms", "on"),
            ],
        )
        .await;
    assert_eq!(signed_up.status, StatusCode::OK, "{}", signed_up.body);
    if let Some(role) = role {
        let chosen = browser
            .call("/api/auth/choose_role", &[("role", role)])
            .await;
        assert_eq!(chosen.status, StatusCode::OK, "{}", chosen.body);
    }
    browser
}

/// The field names of a field-error answer, in order; panics when it is something else.
pub fn error_fields(response: &TestResponse) -> Vec<String> {
    let json = response.json();
    json["Fields"]
        .as_array()
        .unwrap_or_else(|| panic!("not field errors ({}): {}", response.status, response.body))
        .iter()
        .map(|error| {
            assert!(
                error["message"]["zh"]
                    .as_str()
                    .is_some_and(|zh| !zh.is_empty()),
                "every message has its Chinese: {error}"
            );
            error["field"].as_str().unwrap().to_owned()
        })
        .collect()
}

/// The English message of one field in a field-error answer.
pub fn error_message(response: &TestResponse, field: &str) -> String {
    let json = response.json();
    json["Fields"]
        .as_array()
        .and_then(|list| list.iter().find(|error| error["field"] == field))
        .and_then(|error| error["message"]["en"].as_str())
        .unwrap_or_else(|| panic!("no message for {field}: {}", response.body))
        .to_owned()
}

pub fn urlencode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

impl Drop for TestApp {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::SqliteDir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PostgresDatabase { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime: do the async cleanup on a thread of its own.
                // FORCE ends the test's own connections, which live on the runtime blocked here.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    runtime.block_on(async move {
                        if let Ok(admin) = app::db::Db::connect(&admin_url).await {
                            let _ = sqlx::query(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .execute(admin.pool())
                            .await;
                            admin.close().await;
                        }
                    })
                })
                .join();
            }
        }
    }
}

/// Writes each test once per engine: `name::sqlite` and `name::postgres`. PostgreSQL tests
/// are never skipped: without a server they fail, saying where they looked.
#[macro_export]
macro_rules! on_both_databases {
    ($(
        $(#[$meta:meta])*
        async fn $name:ident($app:ident) $body:block
    )*) => {
        $(
            $(#[$meta])*
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($app: $crate::common::TestApp) $body

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    run($crate::common::spawn_app($crate::common::Engine::Sqlite).await).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    run($crate::common::spawn_app($crate::common::Engine::Postgres).await).await
                }
            }
        )*
    };
}
