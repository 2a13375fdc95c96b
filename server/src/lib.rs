//! The server: wires the shared app into axum with its state, middleware and operational routes.
//! `main.rs` only reads the command line; everything testable lives here.

// The app's page types nest deeply; naming them needs more room than the default 128.
#![recursion_limit = "256"]

pub mod config;
pub mod demo;
pub mod telemetry;

use app::clock::Clock;
use app::db::Db;
use app::mail::Mailer;
use app::state::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use config::Config;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::atomic::{AtomicU64, Ordering};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;

/// The name of the generated `/pkg` files; matches `name` in the workspace's leptos metadata.
pub const OUTPUT_NAME: &str = "service-market";

/// Leptos's settings for this site, from our configuration rather than Cargo.toml, so the
/// binary runs anywhere with only its site directory beside it.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(OUTPUT_NAME)
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .env(if config.production {
            leptos::config::Env::PROD
        } else {
            leptos::config::Env::DEV
        })
        .build()
}

/// What `serve` tells a newcomer whose database holds no account yet: how to load the demo
/// data and the sign-ins it brings. `None` once anyone has signed up (or the demo is loaded).
pub async fn first_run_hint(
    state: &AppState,
    site_url: &str,
) -> Result<Option<String>, sqlx::Error> {
    let (accounts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts")
        .fetch_one(state.db.pool())
        .await?;
    if accounts > 0 {
        return Ok(None);
    }
    Ok(Some(format!(
        "This database has no accounts yet. Sign up at {site_url}/sign-up, or look around with \
         the demo data (a reviewer, two ISVs, three merchants, services and orders in every \
         status): stop the server (Ctrl-C), run `make demo` (with the same DATABASE_URL if \
         you set one), then `make run` again.\n{}",
        demo::sign_ins()
    )))
}

/// Why the server could not assemble its state.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error(transparent)]
    Db(#[from] app::db::DbError),
    #[error(transparent)]
    Mail(#[from] app::mail::MailError),
    #[error("could not read the sandbox clock")]
    SandboxClock(#[source] sqlx::Error),
}

/// Connects to the database, brings its schema up to date, and assembles the shared state. In
/// sandbox mode the platform clock starts where the sandbox last left it.
pub async fn build_state(config: &Config, clock: Clock) -> Result<AppState, StateError> {
    let mailer = Mailer::from_settings(config.smtp_url.as_deref(), &config.mail_from)?;
    if !mailer.uses_smtp() {
        tracing::warn!(
            "SMTP_URL is not set: emails are kept in the outbox_emails table, not sent{}",
            if config.production {
                ""
            } else {
                " (see /dev/mailbox)"
            }
        );
    }
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let state = AppState {
        leptos_options: leptos_options(config),
        db,
        clock,
        mailer,
        trust_proxy: config.trust_proxy,
        public_url: config.public_url.clone(),
        sandbox: config.sandbox,
        timers: app::timers::Wake::default(),
    };
    if state.sandbox {
        tracing::warn!("SANDBOX is on: reviewers can move the platform clock forward");
        app::timers::sandbox::sync(&state)
            .await
            .map_err(StateError::SandboxClock)?;
    }
    Ok(state)
}

/// The listener `serve` (and the benchmark) accepts connections on.
pub type HttpListener = axum::serve::TapIo<tokio::net::TcpListener, fn(&mut tokio::net::TcpStream)>;

/// Binds `address` with `TCP_NODELAY` on every connection. Pages stream in several writes; with
/// Nagle's algorithm on, each write after the first waited for the client's delayed ACK (40 ms
/// on Linux), so a keep-alive connection got at most about 22 server-rendered pages a second.
pub async fn bind(address: std::net::SocketAddr) -> std::io::Result<HttpListener> {
    use axum::serve::ListenerExt;
    fn no_delay(stream: &mut tokio::net::TcpStream) {
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "could not set TCP_NODELAY on a connection");
        }
    }
    let listener = tokio::net::TcpListener::bind(address).await?;
    Ok(listener.tap_io(no_delay as fn(&mut tokio::net::TcpStream)))
}

/// The app's route list, generated once per process.
///
/// Generating it renders the app with resource loading switched off through a process-wide
/// flag (leptos_server's `SuppressResourceLoad`); a page rendered on another thread at that
/// moment would wait forever for its data. Generating it once, before any router serves, keeps
/// that window closed: in the server, and in tests that build many routers side by side.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole HTTP surface: pages, server functions, static files, and `/healthz`.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let context_state = state.clone();
    let provide_state = move || provide_context(context_state.clone());
    let options = state.leptos_options.clone();
    let x_request_id = HeaderName::from_static("x-request-id");
    let trust_proxy = state.trust_proxy;

    Router::new()
        .route("/healthz", get(healthz))
        .route("/dev/mailbox", get(dev_mailbox))
        // The Alipay OpenAPI gateway ISVs call (server to server; signed, no cookies).
        .route("/gateway.do", post(app::open::gateway::handle))
        .route(
            "/workspaces/{id}/logo",
            get(app::onboarding::routes::workspace_logo),
        )
        .route(
            "/services/{service_id}/images/{image_id}",
            get(app::services::images::service_image),
        )
        .route(
            "/console/workspaces/{id}/orders.csv",
            get(app::orders::csv::export),
        )
        .leptos_routes_with_context(&state, routes, provide_state.clone(), move || {
            shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(provide_state, shell))
        .with_state(state)
        .layer(middleware::from_fn(require_multipart))
        .layer(middleware::from_fn(move |request, next| {
            refuse_cross_origin(trust_proxy, request, next)
        }))
        .layer(CompressionLayer::new())
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<_>| {
                    let request_id = request
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        path = %request.uri().path(),
                        request_id = %request_id,
                    )
                })
                // One line per request at INFO: status and latency, inside the request's span.
                .on_response(
                    DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(LatencyUnit::Millis),
                ),
        )
        .layer(SetRequestIdLayer::new(
            x_request_id,
            SequentialRequestId::default(),
        ))
}

/// `GET /healthz`: 200 when the app can reach its database, 503 when it cannot.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ok", "database": "ok" })),
        ),
        Err(error) => {
            tracing::warn!(error = %error, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "database": "unreachable" })),
            )
        }
    }
}

/// Refuses a state-changing request (any method but GET, HEAD, OPTIONS) that a browser sent from
/// another site: its `Origin` names another host than the one it was sent to, or, without an
/// `Origin`, `Sec-Fetch-Site` says `cross-site`. Together with `SameSite=Lax` session cookies,
/// another site cannot make a signed-in browser act here. Requests without either header do not
/// come from a browser page (curl, tests, server-to-server) and pass. Behind a proxy that does
/// not pass `Host` on, `TRUST_PROXY` lets `X-Forwarded-Host` name this site.
async fn refuse_cross_origin(trust_proxy: bool, request: Request<Body>, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || is_same_origin(&request, trust_proxy)
    {
        return next.run(request).await;
    }
    tracing::warn!(
        origin = ?request.headers().get(header::ORIGIN),
        host = ?request.headers().get(header::HOST),
        "refused a cross-origin request"
    );
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Cross-origin request refused: this site accepts changes only from its own pages.",
    )
        .into_response()
}

/// Answers 415 to a request for a file-upload server function that is not
/// `multipart/form-data` with a boundary: Leptos would otherwise fail to read it without a
/// proper answer.
async fn require_multipart(request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path();
    if !app::onboarding::MULTIPART_ENDPOINTS.contains(&path) || request.method() != Method::POST {
        return next.run(request).await;
    }
    let multipart_with_boundary = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            let mut params = value.split(';');
            params
                .next()
                .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("multipart/form-data"))
                && params.any(|param| {
                    param
                        .trim()
                        .split_once('=')
                        .is_some_and(|(name, boundary)| {
                            name.trim().eq_ignore_ascii_case("boundary")
                                && !boundary.trim().trim_matches('"').is_empty()
                        })
                })
        });
    if multipart_with_boundary {
        return next.run(request).await;
    }
    (
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "This form uploads a file: send it as multipart/form-data.",
    )
        .into_response()
}

/// Whether a request's `Origin` (or, without one, `Sec-Fetch-Site`) says it came from this site:
/// the host the browser sent it to (`Host`, or the URI's authority over HTTP/2).
fn is_same_origin<B>(request: &Request<B>, trust_proxy: bool) -> bool {
    let headers = request.headers();
    let text = |name| {
        headers
            .get(name)
            .and_then(|value: &HeaderValue| value.to_str().ok())
    };
    match text(header::ORIGIN) {
        Some(origin) => {
            // `null` (sandboxed frames, some redirects) names no host and is never this site.
            let Some(origin_host) = origin
                .split_once("://")
                .map(|(_, rest)| rest.trim_end_matches('/'))
            else {
                return false;
            };
            let forwarded_host = trust_proxy
                .then(|| text(HeaderName::from_static("x-forwarded-host")))
                .flatten()
                .and_then(|hosts| hosts.split(',').next())
                .map(str::trim);
            [
                text(header::HOST),
                request.uri().authority().map(|a| a.as_str()),
                forwarded_host,
            ]
            .into_iter()
            .flatten()
            .any(|host| host.eq_ignore_ascii_case(origin_host))
        }
        None => text(HeaderName::from_static("sec-fetch-site"))
            .is_none_or(|site| !site.eq_ignore_ascii_case("cross-site")),
    }
}

/// How many emails the development mailbox lists.
const MAILBOX_LIMIT: i64 = 100;

/// `GET /dev/mailbox`: in development mode, the outbox as a plain page, newest first, so the
/// codes can be read without a mail server; in production mode there is no such page.
async fn dev_mailbox(State(state): State<AppState>) -> Response {
    if matches!(state.leptos_options.env, leptos::config::Env::PROD) {
        return (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    let emails = match app::mail::outbox(&state.db, MAILBOX_LIMIT).await {
        Ok(emails) => emails,
        Err(error) => {
            tracing::error!(error = %error, "could not read the outbox");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Could not read the outbox",
            )
                .into_response();
        }
    };
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Mailbox · Service Market (development)</title></head><body>\
         <h1>Mailbox</h1><p>Emails the app would have sent (development mode only), newest \
         first.</p>",
    );
    if emails.is_empty() {
        html.push_str("<p>No emails yet.</p>");
    }
    for email in &emails {
        html.push_str(&format!(
            "<article class=\"email\" data-to=\"{to}\"><h2>{subject}</h2>\
             <p>To: <span class=\"to\">{to}</span> · <time data-ms=\"{at}\">{at}</time></p>\
             <pre>{body}</pre></article>",
            to = escape_html(&email.to_addr),
            subject = escape_html(&email.subject),
            at = email.created_at,
            body = escape_html(&email.body_text),
        ));
    }
    html.push_str("</body></html>");
    Html(html).into_response()
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Request ids: a per-process random prefix and a counter, unique without a UUID dependency.
#[derive(Clone)]
struct SequentialRequestId {
    prefix: u32,
    counter: std::sync::Arc<AtomicU64>,
}

impl Default for SequentialRequestId {
    fn default() -> Self {
        SequentialRequestId {
            prefix: std::process::id()
                ^ (std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.subsec_nanos())
                    .unwrap_or(0)),
            counter: Default::default(),
        }
    }
}

impl MakeRequestId for SequentialRequestId {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        format!("{:08x}-{n:x}", self.prefix)
            .parse()
            .ok()
            .map(RequestId::new)
    }
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests finish before the process exits.
/// The signal handlers are installed when this is called, not when it is first awaited, so a
/// signal that arrives while the database is still being migrated is not lost.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send {
    #[cfg(unix)]
    let handlers = {
        use tokio::signal::unix::{signal, SignalKind};
        match (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) {
            (Ok(interrupt), Ok(terminate)) => Some((interrupt, terminate)),
            (Err(error), _) | (_, Err(error)) => {
                tracing::warn!(%error, "cannot listen for SIGINT/SIGTERM");
                None
            }
        }
    };
    async move {
        #[cfg(unix)]
        match handlers {
            Some((mut interrupt, mut terminate)) => {
                tokio::select! {
                    _ = interrupt.recv() => {},
                    _ = terminate.recv() => {},
                }
            }
            None => std::future::pending::<()>().await,
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down: finishing in-flight requests");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(pairs: &[(&str, &str)]) -> Request<()> {
        let mut builder = Request::post("/api/auth/sign_in");
        for (name, value) in pairs {
            builder = builder.header(*name, *value);
        }
        builder.body(()).unwrap()
    }

    #[test]
    fn an_origin_must_name_the_host_the_request_was_sent_to() {
        let same = |pairs: &[(&str, &str)]| is_same_origin(&request(pairs), false);
        assert!(same(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ]));
        assert!(same(&[
            ("origin", "https://Market.example"),
            ("host", "market.example")
        ]));
        assert!(!same(&[
            ("origin", "https://evil.example"),
            ("host", "market.example")
        ]));
        assert!(!same(&[
            ("origin", "http://127.0.0.1:3001"),
            ("host", "127.0.0.1:3000")
        ]));
        assert!(!same(&[("origin", "null"), ("host", "market.example")]));
        assert!(!same(&[("origin", "https://market.example")]));
        // HTTP/2 carries the host in the URI, not in a Host header.
        let http2 = Request::post("https://market.example/api/auth/sign_in")
            .header("origin", "https://market.example")
            .body(())
            .unwrap();
        assert!(is_same_origin(&http2, false));
    }

    #[test]
    fn x_forwarded_host_names_this_site_only_behind_a_trusted_proxy() {
        let proxied = request(&[
            ("origin", "https://market.example"),
            ("host", "127.0.0.1:3000"),
            ("x-forwarded-host", "market.example"),
        ]);
        assert!(!is_same_origin(&proxied, false));
        assert!(is_same_origin(&proxied, true));
    }

    #[test]
    fn without_an_origin_only_a_cross_site_fetch_is_refused() {
        let same = |pairs: &[(&str, &str)]| is_same_origin(&request(pairs), false);
        assert!(same(&[]));
        assert!(same(&[("sec-fetch-site", "same-origin")]));
        assert!(same(&[("sec-fetch-site", "none")]));
        assert!(!same(&[("sec-fetch-site", "cross-site")]));
    }

    #[test]
    fn mailbox_text_is_escaped() {
        assert_eq!(
            escape_html("<b>\"Tom\" & 'Jerry'</b>"),
            "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;"
        );
    }
}
