//! What every request and worker on the server shares.

use crate::clock::Clock;
use crate::db::Db;
use crate::mail::Mailer;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;

#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub clock: Clock,
    /// Where emails (verification codes, approvals) go: SMTP or the outbox table.
    pub mailer: Mailer,
    /// Whether a reverse proxy in front of the server sets `X-Forwarded-For`; only then is that
    /// header believed for the client address that rate limits count by.
    pub trust_proxy: bool,
    /// The site's public address (`PUBLIC_URL`, no trailing slash), for links in emails.
    pub public_url: String,
    /// `SANDBOX`: a reviewer may move the platform clock forward to watch the timers fire.
    pub sandbox: bool,
    /// Wakes the deadline worker early (after the sandbox moved the clock).
    pub timers: crate::timers::Wake,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The shared state inside a server function or a page render; an error, not a panic, when
/// missing.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| crate::error::AppError::Internal {
        reference: "no-app-state".into(),
    })
}
