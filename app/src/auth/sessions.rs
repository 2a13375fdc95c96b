//! Server-side sessions: the browser holds a random token in an HttpOnly cookie, the database
//! holds only the token's SHA-256 (`sessions.id`), so a leaked table signs no one in. And
//! [`current_account`], the one way a server function or page learns who is calling.

use super::accounts::AccountRow;
use super::client::{self, ClientInfo};
use super::{crypto, Account, SESSION_TTL_MS};
use crate::clock::UnixMillis;
use crate::error::AppError;
use crate::state::{app_state, AppState};
use sqlx::{Any, Executor};

/// `last_seen_at` is written at most this often, not on every request.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// The caller of a request, when signed in.
#[derive(Clone, Debug)]
pub struct Caller {
    pub account: Account,
    /// `sessions.id`: the hash of the caller's token.
    pub session_id: String,
}

/// Starts a session for an account; returns the token for the cookie (never stored).
pub async fn create<'e>(
    executor: impl Executor<'e, Database = Any>,
    account_id: i64,
    now: UnixMillis,
    client: &ClientInfo,
) -> Result<String, sqlx::Error> {
    let token = crypto::random_token();
    sqlx::query(
        "INSERT INTO sessions (id, account_id, created_at, expires_at, last_seen_at, user_agent) \
         VALUES ($1, $2, $3, $4, $3, $5)",
    )
    .bind(crypto::sha256_hex(&token))
    .bind(account_id)
    .bind(now)
    .bind(now + SESSION_TTL_MS)
    .bind(client.user_agent.as_deref())
    .execute(executor)
    .await?;
    Ok(token)
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    session_id: String,
    last_seen_at: i64,
    id: i64,
    email: String,
    username: String,
    password_hash: String,
    role: Option<String>,
    is_reviewer: i64,
}

/// The live session a token names, if any; notes that it was seen.
pub async fn find(
    state: &AppState,
    token: &str,
    now: UnixMillis,
) -> Result<Option<Caller>, sqlx::Error> {
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT s.id AS session_id, s.last_seen_at, a.id, a.email, a.username, a.password_hash, \
                a.role, a.is_reviewer \
         FROM sessions s JOIN accounts a ON a.id = s.account_id \
         WHERE s.id = $1 AND s.expires_at > $2",
    )
    .bind(crypto::sha256_hex(token))
    .bind(now)
    .fetch_optional(state.db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    if now - row.last_seen_at >= TOUCH_EVERY_MS {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&row.session_id)
            .execute(state.db.pool())
            .await?;
    }
    let account = AccountRow {
        id: row.id,
        email: row.email,
        username: row.username,
        password_hash: row.password_hash,
        role: row.role,
        is_reviewer: row.is_reviewer,
    }
    .account();
    Ok(Some(Caller {
        account,
        session_id: row.session_id,
    }))
}

/// Ends one session.
pub async fn delete<'e>(
    executor: impl Executor<'e, Database = Any>,
    session_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(session_id)
        .execute(executor)
        .await
        .map(|_| ())
}

/// Ends every session of an account but `keep` (the caller's own, when it is that account).
pub async fn delete_others<'e>(
    executor: impl Executor<'e, Database = Any>,
    account_id: i64,
    keep: Option<&str>,
) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND id <> $2")
        .bind(account_id)
        .bind(keep.unwrap_or(""))
        .execute(executor)
        .await
        .map(|result| result.rows_affected())
}

/// Drops an account's expired sessions (done at each sign-in, so the table does not grow).
pub async fn delete_expired<'e>(
    executor: impl Executor<'e, Database = Any>,
    account_id: i64,
    now: UnixMillis,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND expires_at <= $2")
        .bind(account_id)
        .bind(now)
        .execute(executor)
        .await
        .map(|_| ())
}

/// The request being served (a server function call or a page render), from context.
pub fn request_parts() -> Option<http::request::Parts> {
    leptos::prelude::use_context::<http::request::Parts>()
}

/// What the current request tells about its client.
pub fn client_info(state: &AppState) -> ClientInfo {
    match request_parts() {
        Some(parts) => ClientInfo::from_parts(&parts, state.trust_proxy),
        None => ClientInfo {
            addr: "unknown".to_owned(),
            https: false,
            user_agent: None,
        },
    }
}

/// The signed-in caller of the current request, or `None` for a visitor.
pub async fn caller(state: &AppState) -> Result<Option<Caller>, AppError> {
    let Some(token) = request_parts().as_ref().and_then(client::session_token) else {
        return Ok(None);
    };
    Ok(find(state, &token, state.clock.now()).await?)
}

/// The signed-in account, or `None` for a visitor: for pages that show either.
pub async fn signed_in_account() -> Result<Option<Account>, AppError> {
    let state = app_state()?;
    Ok(caller(&state).await?.map(|caller| caller.account))
}

/// The signed-in account, or [`AppError::Unauthenticated`]: the first line of every server
/// function that needs someone signed in.
pub async fn current_account() -> Result<Account, AppError> {
    signed_in_account().await?.ok_or(AppError::Unauthenticated)
}

/// Makes the response store a session token in the browser.
pub fn set_session_cookie(token: &str, client: &ClientInfo) {
    set_cookie(client::session_cookie(
        token,
        SESSION_TTL_MS / 1000,
        client.https,
    ));
}

/// Makes the response remove the session cookie from the browser.
pub fn clear_session_cookie(client: &ClientInfo) {
    set_cookie(client::expired_session_cookie(client.https));
}

fn set_cookie(value: String) {
    if let (Some(response), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&value),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}
