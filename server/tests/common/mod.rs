//! Test harness: the real router on a fresh database of either engine, one per test.
#![allow(dead_code)]

use app::clock::Clock;
use app::state::AppState;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use server::config::Config;
use std::sync::atomic::{AtomicU32, Ordering};
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
    let config = Config::from_lookup(|name| match name {
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
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.request(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }
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
