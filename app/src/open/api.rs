//! The open platform's server functions: public endpoints under `/api/open/…`. Each first
//! establishes who is calling ([`crate::auth::current_account`]), then hands over to the flows,
//! which check what the caller may touch.
//!
//! Who may call: members of an approved ISV workspace ([`AppError::NotFound`] for anyone
//! else, [`AppError::Forbidden`] for a merchant workspace, [`AppError::Fields`] on `form`
//! before approval). Changing the settings is for the Owner and Admins ([`AppError::Fields`]
//! on `form` for a Developer).

use super::{AppSettingsView, GeneratedKeyPair};
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
