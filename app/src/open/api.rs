//! The open platform's server functions: public endpoints under `/api/open/…`. Each first
//! establishes who is calling ([`crate::auth::current_account`]), then hands over to the flows,
//! which check what the caller may touch.
//!
//! Who may call: members of an approved ISV workspace ([`AppError::NotFound`] for anyone
//! else, [`AppError::Forbidden`] for a merchant workspace, [`AppError::Fields`] on `form`
//! before approval). Changing the settings is for the Owner and Admins ([`AppError::Fields`]
//! on `form` for a Developer).

use super::{AppSettingsView, GeneratedKeyPair, NotificationView, SignatureCheckView};
use crate::error::AppError;
use leptos::prelude::*;

/// Open platform settings: the app_id (issued on the first visit), the application gateway
/// URL, the app public key, the platform public key to copy (and rotated ones still valid),
/// the gateway address and each service's merchant access URLs. Any member.
#[server(prefix = "/api", endpoint = "open/settings")]
pub async fn open_settings(workspace_id: i64) -> Result<AppSettingsView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::apps::settings(&state, &account, workspace_id).await
        }
        .await,
    )
}

/// Sets the application gateway URL (empty clears it). Errors: [`AppError::Fields`] on
/// `gateway_url`; nothing changes then.
#[server(prefix = "/api", endpoint = "open/set_gateway_url")]
pub async fn set_gateway_url(
    workspace_id: i64,
    gateway_url: String,
) -> Result<AppSettingsView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::apps::set_gateway_url(&state, &account, workspace_id, &gateway_url).await
        }
        .await,
    )
}

/// Uploads the app public key, as PEM or as the bare Base64 Alipay's key tool shows.
/// Errors: [`AppError::Fields`] on `app_public_key` (not a key, a private key, under 2048
/// bits); nothing changes then.
#[server(prefix = "/api", endpoint = "open/set_app_public_key")]
pub async fn set_app_public_key(
    workspace_id: i64,
    app_public_key: String,
) -> Result<AppSettingsView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::apps::set_app_public_key(&state, &account, workspace_id, &app_public_key).await
        }
        .await,
    )
}

/// Generates an app key pair in the console: its public key becomes the app's; the private
/// key comes back this once and is never stored.
#[server(prefix = "/api", endpoint = "open/generate_app_key_pair")]
pub async fn generate_app_key_pair(workspace_id: i64) -> Result<GeneratedKeyPair, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::apps::generate_key_pair(&state, &account, workspace_id).await
        }
        .await,
    )
}

/// Console > Notifications: the workspace's notifications, newest first (50), each with its
/// payload, delivery status, last answer, next attempt and every attempt; `status` filters
/// (`pending`, `delivered`, `failed`). Any member.
#[server(prefix = "/api", endpoint = "open/notifications")]
pub async fn notifications(
    workspace_id: i64,
    status: Option<String>,
) -> Result<Vec<NotificationView>, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::notify::console::list(&state, &account, workspace_id, status.as_deref()).await
        }
        .await,
    )
}

/// Redeliver: the notification is sent again now with the same notify_id. Errors:
/// [`AppError::Fields`] on `form` while an attempt is in flight. Any member.
#[server(prefix = "/api", endpoint = "open/redeliver")]
pub async fn redeliver_notification(
    workspace_id: i64,
    notification_id: i64,
) -> Result<NotificationView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::notify::console::redeliver(&state, &account, workspace_id, notification_id).await
        }
        .await,
    )
}

/// Sends a test notification of `kind` (a `notify_type` or `msg_method`; empty: the order
/// notification) with sample values to the gateway. Errors: [`AppError::Fields`] on `kind`.
#[server(prefix = "/api", endpoint = "open/send_test_notification")]
pub async fn send_test_notification(
    workspace_id: i64,
    kind: Option<String>,
) -> Result<NotificationView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            let kind = kind.unwrap_or_default();
            super::notify::console::send_test(&state, &account, workspace_id, &kind).await
        }
        .await,
    )
}

/// The signature check tool: does `payload` (a form body or a JSON object, with `sign`)
/// verify with `public_key` (PEM or Base64), or, left empty, with the platform's keys?
/// Errors: [`AppError::Fields`] on `payload` or `public_key`. Any signed-in account.
#[server(prefix = "/api", endpoint = "open/check_signature")]
pub async fn check_signature(
    payload: String,
    public_key: Option<String>,
) -> Result<SignatureCheckView, AppError> {
    crate::error::with_status(
        async {
            crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            let public_key = public_key.unwrap_or_default();
            super::notify::console::check_signature(&state, &payload, &public_key).await
        }
        .await,
    )
}
