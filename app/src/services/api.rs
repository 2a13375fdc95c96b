//! The service server functions: public endpoints under `/api/services/…` (the ISV console),
//! `/api/review/…` (platform reviewers) and `/api/marketplace/…` (everyone). Each first
//! establishes who is calling ([`crate::auth::current_account`]), then hands over to
//! [`super::flows`], which checks what the caller may touch and does the work.
//!
//! `create_service` and `update_service` take their form as JSON (`input = Json`: a body like
//! `{"workspace_id": 1, "input": {…}}`) because a service carries lists (terminals, plans,
//! identity types); the others take URL-encoded forms, like the rest of the app.
//!
//! Who may call what:
//! - `services/…`: members of the service's ISV workspace ([`AppError::NotFound`] for anyone
//!   else); editing for any member, submit / withdraw / archive for the Owner and Admins
//!   ([`AppError::Fields`] on `form` for a Developer);
//! - `review/…services`: platform reviewers, else [`AppError::Forbidden`];
//! - `marketplace/service`: anyone, signed in or not; only Online services exist there.

use super::{
    ServiceDetail, ServiceEditorView, ServiceInput, ServiceReviewItem, ServiceSummary, ServiceView,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Service Management > Services: the workspace's services, newest first, with status (and
/// the turn-down reason) and the lowest price. Any member.
#[server(prefix = "/api", endpoint = "services/list")]
pub async fn workspace_services(workspace_id: i64) -> Result<Vec<ServiceSummary>, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::list(&state, &account, workspace_id).await
        }
        .await,
    )
}

/// One service with every field, the caller's role and the actions it may take (the
/// console's service page and the editor's initial values). Any member.
#[server(prefix = "/api", endpoint = "services/get")]
pub async fn service_for_editing(service_id: i64) -> Result<ServiceEditorView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::editor(&state, &account, service_id).await
        }
        .await,
    )
}

/// Creates a service as a Draft in an active ISV workspace. Any member. Errors:
/// [`AppError::Fields`] naming each bad field (`plans.{i}.period_days`, `plans.{i}.price` for
/// a plan; `form` while the workspace is not active); nothing is created.
#[server(prefix = "/api", endpoint = "services/create", input = Json)]
pub async fn create_service(
    workspace_id: i64,
    input: ServiceInput,
) -> Result<ServiceView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::create(&state, &account, workspace_id, &input).await
        }
        .await,
    )
}

/// Replaces a Draft, Turn Down or Withdrawn service's fields and plans; its status stays (a
/// turned-down or withdrawn service is then submitted again). Any member. Errors:
/// [`AppError::Fields`] (an Online service: `form`, withdraw it first); [`AppError::Conflict`]
/// while pending review or once archived.
#[server(prefix = "/api", endpoint = "services/update", input = Json)]
pub async fn update_service(service_id: i64, input: ServiceInput) -> Result<ServiceView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::update(&state, &account, service_id, &input).await
        }
        .await,
    )
}

/// Submits a Draft, Turn Down or Withdrawn service for review (→ Pending Review). Owner or
/// Admin; [`AppError::Conflict`] from any other status.
#[server(prefix = "/api", endpoint = "services/submit")]
pub async fn submit_service(service_id: i64) -> Result<ServiceView, AppError> {
    service_action(service_id, super::ServiceAction::Submit).await
}

/// Takes an Online service off the marketplace (→ Withdrawn); running orders are unaffected.
/// Owner or Admin; [`AppError::Conflict`] unless Online.
#[server(prefix = "/api", endpoint = "services/withdraw")]
pub async fn withdraw_service(service_id: i64) -> Result<ServiceView, AppError> {
    service_action(service_id, super::ServiceAction::Withdraw).await
}

/// Archives a service that is not pending review (→ Archived, for good). Owner or Admin.
#[server(prefix = "/api", endpoint = "services/archive")]
pub async fn archive_service(service_id: i64) -> Result<ServiceView, AppError> {
    service_action(service_id, super::ServiceAction::Archive).await
}

#[cfg(feature = "ssr")]
async fn service_action(
    service_id: i64,
    action: super::ServiceAction,
) -> Result<ServiceView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::act(&state, &account, service_id, action).await
        }
        .await,
    )
}

/// The reviewer's queue of services: every service pending review, oldest submission first,
/// with all its fields, its ISV's name and the previous turn-down reason. Reviewers only.
#[server(prefix = "/api", endpoint = "review/services")]
pub async fn service_review_queue() -> Result<Vec<ServiceReviewItem>, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::review_queue(&state, &account).await
        }
        .await,
    )
}

/// Approves a service pending review: it goes Online and the marketplace lists it. Reviewers
/// only; [`AppError::Conflict`] when it is no longer pending review.
#[server(prefix = "/api", endpoint = "review/approve_service")]
pub async fn approve_service(service_id: i64) -> Result<ServiceView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::review(&state, &account, service_id, None).await
        }
        .await,
    )
}

/// Turns a service pending review down with a required `reason`, shown to the ISV, which may
/// edit and resubmit. Reviewers only; [`AppError::Fields`] on `reason`;
/// [`AppError::Conflict`] when it is no longer pending review.
#[server(prefix = "/api", endpoint = "review/turn_down_service")]
pub async fn turn_down_service(service_id: i64, reason: String) -> Result<ServiceView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::review(&state, &account, service_id, Some(&reason)).await
        }
        .await,
    )
}

/// The marketplace's service detail page: an Online service with its plans, terminals,
/// restriction and Try now (立即体验) preview. Public; [`AppError::NotFound`] for a service that
/// is not Online.
#[server(prefix = "/api", endpoint = "marketplace/service")]
pub async fn marketplace_service(service_id: i64) -> Result<ServiceDetail, AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            super::flows::marketplace_detail(&state, service_id).await
        }
        .await,
    )
}
