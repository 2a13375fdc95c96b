//! The merchant's 应用授权 page (seed 002, 服务商终止服务): each third-party application
//! authorization of its mini programs to an ISV, and 取消授权. A cancelled authorization's
//! `app_auth_token` stops working (the gateway accepts only live tokens, see [`live_token`]),
//! the mini program can be ordered from another ISV again, and the ISV is told through
//! `alipay.open.auth.appauth.cancelled`, written by [`authorization_cancelled`] in the same
//! transaction. Orders are not changed: a refund is the order's own business (申请退款).

use super::{field, AuthorizationStatus, AuthorizationView, OrdersText};
use crate::auth::FieldErrors;
use crate::clock::UnixMillis;
use crate::error::AppError;
use crate::state::AppState;
use sqlx::{Any, Executor, Transaction};

#[derive(sqlx::FromRow)]
struct AuthorizationRow {
    id: i64,
    mini_program_name: String,
    app_id: String,
    isv_name: String,
    isv_app_id: Option<String>,
    service_name: Option<String>,
    auth_time: i64,
    expires_at: i64,
    cancelled_at: Option<i64>,
}

impl AuthorizationRow {
    fn view(self, now: UnixMillis) -> AuthorizationView {
        let status = match self.cancelled_at {
            Some(_) => AuthorizationStatus::Cancelled,
            None if self.expires_at <= now => AuthorizationStatus::Expired,
            None => AuthorizationStatus::Active,
        };
        AuthorizationView {
            id: self.id,
            mini_program_name: self.mini_program_name,
            app_id: super::data::app_id(&self.app_id),
            isv_name: self.isv_name,
            isv_app_id: self.isv_app_id,
            service_name: self.service_name,
            auth_time: self.auth_time,
            expires_at: self.expires_at,
            cancelled_at: self.cancelled_at,
            status,
            status_label: status.into(),
            // An expired token can still be refreshed, so it can be cancelled too.
            cancellable: self.cancelled_at.is_none(),
        }
    }
}

/// A merchant workspace's authorizations, newest first.
pub async fn list(
    state: &AppState,
    merchant_workspace_id: i64,
) -> Result<Vec<AuthorizationView>, AppError> {
    let rows: Vec<AuthorizationRow> = sqlx::query_as(
        "SELECT a.id, mp.name AS mini_program_name, mp.app_id, w.name AS isv_name, \
             ia.app_id AS isv_app_id, s.name AS service_name, a.auth_time, a.expires_at, \
             a.cancelled_at \
         FROM authorizations a \
         JOIN mini_programs mp ON mp.id = a.mini_program_id \
         JOIN workspaces w ON w.id = a.isv_workspace_id \
         LEFT JOIN isv_apps ia ON ia.isv_workspace_id = a.isv_workspace_id \
         LEFT JOIN orders o ON o.id = a.order_id \
         LEFT JOIN services s ON s.id = o.service_id \
         WHERE a.merchant_workspace_id = $1 ORDER BY a.auth_time DESC, a.id DESC",
    )
    .bind(merchant_workspace_id)
    .fetch_all(state.db.pool())
    .await?;
    let now = state.clock.now();
    Ok(rows.into_iter().map(|row| row.view(now)).collect())
}

/// An authorization just cancelled.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CancelledAuthorization {
    pub id: i64,
    pub isv_workspace_id: i64,
    pub merchant_workspace_id: i64,
    pub mini_program_id: i64,
    pub order_id: Option<i64>,
    pub app_auth_token: String,
}

/// 取消授权: cancels one of the merchant's live authorizations. Cancelling twice is refused on
/// `form`; another merchant's authorization is [`AppError::NotFound`].
pub async fn cancel(
    state: &AppState,
    merchant_workspace_id: i64,
    authorization_id: i64,
) -> Result<Vec<AuthorizationView>, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let cancelled: Option<CancelledAuthorization> = sqlx::query_as(
        "UPDATE authorizations SET cancelled_at = $3 \
         WHERE id = $1 AND merchant_workspace_id = $2 AND cancelled_at IS NULL \
         RETURNING id, isv_workspace_id, merchant_workspace_id, mini_program_id, order_id, \
             app_auth_token",
    )
    .bind(authorization_id)
    .bind(merchant_workspace_id)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(cancelled) = cancelled else {
        let (mine,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM authorizations WHERE id = $1 AND merchant_workspace_id = $2",
        )
        .bind(authorization_id)
        .bind(merchant_workspace_id)
        .fetch_one(&mut *tx)
        .await?;
        return Err(if mine == 0 {
            AppError::NotFound
        } else {
            AppError::Fields(FieldErrors::one(field::FORM, OrdersText::AlreadyCancelled))
        });
    };
    authorization_cancelled(&mut tx, &cancelled, now).await?;
    tx.commit().await?;
    list(state, merchant_workspace_id).await
}

/// Everything that follows from an authorization being cancelled, in its transaction: the
/// ISV's `alipay.open.auth.appauth.cancelled` notification goes into the outbox, so it is sent
/// exactly when the cancellation is stored (the cancellation itself is already written).
pub async fn authorization_cancelled(
    tx: &mut Transaction<'_, Any>,
    cancelled: &CancelledAuthorization,
    now: UnixMillis,
) -> Result<(), AppError> {
    crate::open::notify::enqueue_authorization_cancelled(tx, cancelled.id, now).await?;
    tracing::info!(
        authorization = cancelled.id,
        isv_workspace = cancelled.isv_workspace_id,
        mini_program = cancelled.mini_program_id,
        "authorization cancelled by the merchant"
    );
    Ok(())
}

/// The authorization an `app_auth_token` names, while it works: not cancelled, not expired.
/// (id, ISV workspace, mini program).
pub async fn live_token<'e>(
    executor: impl Executor<'e, Database = Any>,
    app_auth_token: &str,
    now: UnixMillis,
) -> Result<Option<(i64, i64, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, isv_workspace_id, mini_program_id FROM authorizations \
         WHERE app_auth_token = $1 AND cancelled_at IS NULL AND expires_at > $2",
    )
    .bind(app_auth_token)
    .bind(now)
    .fetch_optional(executor)
    .await
}
