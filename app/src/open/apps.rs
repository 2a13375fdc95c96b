//! Each approved ISV workspace's third-party app (`isv_apps`): its `app_id`, issued by the
//! platform the first time the workspace's open platform is used (the settings page, or the
//! first notification); its application gateway URL; and the app public key, uploaded or
//! generated here (the private key is returned once and never stored).
//!
//! Any member sees the settings; only the Owner and Admins change them.

use super::sign::{PrivateKey, PublicKey};
use super::{
    check_gateway_url, field, keys, AccessUrlsView, AppSettingsView, GeneratedKeyPair, OpenText,
    RetiredKeyView,
};
use crate::auth::{Account, FieldErrors};
use crate::clock::UnixMillis;
use crate::domain::AppId;
use crate::error::AppError;
use crate::onboarding::flows::member_of;
use crate::onboarding::{MemberRole, WorkspaceKind, WorkspaceStatus, WorkspaceSummary};
use crate::state::AppState;
use sqlx::{Any, Executor, Transaction};

/// A workspace's app as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AppRow {
    pub id: i64,
    pub isv_workspace_id: i64,
    app_id: String,
    pub gateway_url: Option<String>,
    pub app_public_key: Option<String>,
}

impl AppRow {
    /// The stored app id; the CHECK constraint and [`ensure`] keep it a valid [`AppId`].
    pub fn app_id(&self) -> AppId {
        AppId::parse(&self.app_id).unwrap_or_else(|_| AppId::generate(0))
    }

    /// The app public key, when one is set (stored as parsed, so it parses again).
    pub fn public_key(&self) -> Option<PublicKey> {
        self.app_public_key
            .as_deref()
            .and_then(|key| PublicKey::parse(key).ok())
    }
}

const APP_COLUMNS: &str = "id, isv_workspace_id, app_id, gateway_url, app_public_key";

pub async fn by_workspace<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
) -> Result<Option<AppRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {APP_COLUMNS} FROM isv_apps WHERE isv_workspace_id = $1"
    ))
    .bind(workspace_id)
    .fetch_optional(executor)
    .await
}

pub async fn by_app_id<'e>(
    executor: impl Executor<'e, Database = Any>,
    app_id: &str,
) -> Result<Option<AppRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {APP_COLUMNS} FROM isv_apps WHERE app_id = $1"
    ))
    .bind(app_id)
    .fetch_optional(executor)
    .await
}

/// The workspace's app, issued now if it has none: a random `2021…` app id that no app and no
/// mini program has. Safe to race: the unique constraints make the loser's insert a no-op.
pub async fn ensure(
    tx: &mut Transaction<'_, Any>,
    workspace_id: i64,
    now: UnixMillis,
) -> Result<AppRow, AppError> {
    use rand::Rng;
    loop {
        if let Some(app) = by_workspace(&mut **tx, workspace_id).await? {
            return Ok(app);
        }
        let app_id = AppId::generate(rand::thread_rng().gen());
        sqlx::query(
            "INSERT INTO isv_apps (isv_workspace_id, app_id, created_at, updated_at) \
             SELECT $1, $2, $3, $3 \
             WHERE NOT EXISTS (SELECT 1 FROM mini_programs WHERE app_id = $2) \
             ON CONFLICT DO NOTHING",
        )
        .bind(workspace_id)
        .bind(app_id.as_str())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
}

/// The caller's active ISV workspace: [`AppError::NotFound`] for a non-member,
/// [`AppError::Forbidden`] for a merchant workspace, a form error before approval.
pub async fn isv_workspace(
    state: &AppState,
    account: &Account,
    workspace_id: i64,
) -> Result<WorkspaceSummary, AppError> {
    let workspace = member_of(state, account, workspace_id).await?;
    if workspace.kind != WorkspaceKind::Isv {
        return Err(AppError::Forbidden);
    }
    if workspace.status != WorkspaceStatus::Active {
        return Err(form_error(OpenText::WorkspaceNotActive));
    }
    Ok(workspace)
}

fn form_error(text: OpenText) -> AppError {
    AppError::Fields(FieldErrors::one(field::FORM, text))
}

fn is_manager(role: MemberRole) -> bool {
    matches!(role, MemberRole::Owner | MemberRole::Admin)
}

/// [`isv_workspace`], for the Owner and Admins only.
async fn managed_workspace(
    state: &AppState,
    account: &Account,
    workspace_id: i64,
) -> Result<WorkspaceSummary, AppError> {
    let workspace = isv_workspace(state, account, workspace_id).await?;
    if !is_manager(workspace.my_role) {
        return Err(form_error(OpenText::ManagersOnly));
    }
    Ok(workspace)
}

async fn app_of(state: &AppState, workspace_id: i64) -> Result<AppRow, AppError> {
    let mut tx = state.db.begin().await?;
    let app = ensure(&mut tx, workspace_id, state.clock.now()).await?;
    tx.commit().await?;
    Ok(app)
}

async fn access_urls(state: &AppState, workspace_id: i64) -> Result<Vec<AccessUrlsView>, AppError> {
    let rows: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT id, name, mobile_access_url, pc_access_url FROM services \
         WHERE isv_workspace_id = $1 AND status <> 'archived' \
         ORDER BY created_at DESC, id DESC",
    )
    .bind(workspace_id)
    .fetch_all(state.db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(service_id, service_name, mobile_access_url, pc_access_url)| AccessUrlsView {
                service_id,
                service_name,
                mobile_access_url,
                pc_access_url,
            },
        )
        .collect())
}

async fn view(
    state: &AppState,
    workspace: &WorkspaceSummary,
    app: &AppRow,
) -> Result<AppSettingsView, AppError> {
    let now = state.clock.now();
    let platform_keys = keys::verification_keys(&state.db, now).await?;
    let platform_public_key = platform_keys
        .iter()
        .find(|key| key.is_current())
        .map(|key| key.public_key.to_base64())
        .unwrap_or_default();
    let retired_platform_keys = platform_keys
        .iter()
        .filter_map(|key| {
            key.verify_until.map(|verify_until| RetiredKeyView {
                public_key: key.public_key.to_base64(),
                verify_until,
            })
        })
        .collect();
    Ok(AppSettingsView {
        workspace_id: workspace.id,
        app_id: app.app_id(),
        gateway_url: app.gateway_url.clone(),
        app_public_key: app.app_public_key.clone(),
        platform_public_key,
        retired_platform_keys,
        gateway_endpoint: format!("{}/gateway.do", state.public_url),
        access_urls: access_urls(state, workspace.id).await?,
        can_manage: is_manager(workspace.my_role),
    })
}

/// Open platform settings (any member); the app is issued on the first visit.
pub async fn settings(
    state: &AppState,
    account: &Account,
    workspace_id: i64,
) -> Result<AppSettingsView, AppError> {
    let workspace = isv_workspace(state, account, workspace_id).await?;
    let app = app_of(state, workspace_id).await?;
    view(state, &workspace, &app).await
}

async fn update_app(
    state: &AppState,
    workspace_id: i64,
    column: &'static str,
    value: Option<&str>,
) -> Result<AppRow, AppError> {
    let mut tx = state.db.begin().await?;
    let now = state.clock.now();
    let app = ensure(&mut tx, workspace_id, now).await?;
    sqlx::query(&format!(
        "UPDATE isv_apps SET {column} = $2, updated_at = $3 WHERE id = $1"
    ))
    .bind(app.id)
    .bind(value)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let app = by_workspace(&mut *tx, workspace_id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(app)
}

/// Sets (or, with an empty text, clears) the application gateway URL. Owner and Admins.
pub async fn set_gateway_url(
    state: &AppState,
    account: &Account,
    workspace_id: i64,
    gateway_url: &str,
) -> Result<AppSettingsView, AppError> {
    let workspace = managed_workspace(state, account, workspace_id).await?;
    let gateway_url = check_gateway_url(gateway_url)
        .map_err(|message| AppError::Fields(FieldErrors::one(field::GATEWAY_URL, message)))?;
    let app = update_app(state, workspace_id, "gateway_url", gateway_url.as_deref()).await?;
    view(state, &workspace, &app).await
}

/// Sets the app public key from PEM or bare Base64 (PKCS#8/SPKI or PKCS#1); stored as the
/// bare Base64 SPKI the console shows. Owner and Admins.
pub async fn set_app_public_key(
    state: &AppState,
    account: &Account,
    workspace_id: i64,
    public_key: &str,
) -> Result<AppSettingsView, AppError> {
    let workspace = managed_workspace(state, account, workspace_id).await?;
    let key = PublicKey::parse(public_key).map_err(|error| {
        AppError::Fields(FieldErrors::one(field::APP_PUBLIC_KEY, error.message()))
    })?;
    let app = update_app(
        state,
        workspace_id,
        "app_public_key",
        Some(&key.to_base64()),
    )
    .await?;
    view(state, &workspace, &app).await
}

/// Generates an app key pair: the public key becomes the app's, the private key is returned
/// this once (PKCS#8 and PKCS#1 PEM) and never stored. Owner and Admins.
pub async fn generate_key_pair(
    state: &AppState,
    account: &Account,
    workspace_id: i64,
) -> Result<GeneratedKeyPair, AppError> {
    let workspace = managed_workspace(state, account, workspace_id).await?;
    let key = tokio::task::spawn_blocking(PrivateKey::generate)
        .await
        .map_err(|error| AppError::internal(&error))?;
    let public_key = key.public_key().to_base64();
    let app = update_app(state, workspace_id, "app_public_key", Some(&public_key)).await?;
    Ok(GeneratedKeyPair {
        private_key_pkcs8_pem: key.to_pkcs8_pem(),
        private_key_pkcs1_pem: key.to_pkcs1_pem(),
        settings: view(state, &workspace, &app).await?,
    })
}
