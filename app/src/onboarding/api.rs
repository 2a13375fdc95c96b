//! The onboarding, console and review server functions: public endpoints under
//! `/api/onboarding/…`, `/api/console/…` and `/api/review/…`. Each first establishes who is
//! calling ([`crate::auth::current_account`]), then hands over to [`super::flows`], which checks
//! what the caller may touch and does the work in one transaction.
//!
//! Who may call what:
//! - `onboarding/…`: a signed-in account of the right role (ISV for the business information,
//!   Merchant for merchant onboarding);
//! - `console/…`: members of the workspace named by its id (any role to look; the Owner to
//!   manage members and invitations); a non-member gets [`AppError::NotFound`];
//! - `review/…`: platform reviewers (`accounts.is_reviewer`), else [`AppError::Forbidden`].

use super::{
    InvitationPreview, InvitationSent, InvitationView, IsvApplicationView, MembersView,
    MyWorkspacesView, ReviewDecision, ReviewItem, WorkspaceDetailsView, WorkspaceSummary,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// Submits (or, after a turn-down, resubmits) the ISV business information. Sent as
/// `multipart/form-data` (build it from the `<form>` with `FormData`; a plain HTML form with
/// `enctype="multipart/form-data"` works too) with the fields `company_name`,
/// `business_address`, `country_region` (ISO code), `business_representative`, `logo` (file,
/// optional), `website`, `customer_service_number`, `customer_service_email`, `agree_terms`
/// and, on a resubmission, `remove_logo` to drop the previous logo (without a new file the
/// previous one is kept).
///
/// Errors: [`AppError::Unauthenticated`]; [`AppError::Forbidden`] unless the account's role is
/// ISV; [`AppError::Fields`] naming each bad field (nothing is created); [`AppError::Conflict`]
/// while the application is under review or once it is approved.
#[server(prefix = "/api", endpoint = "onboarding/submit_business_info", input = MultipartFormData)]
pub async fn submit_business_info(data: MultipartData) -> Result<WorkspaceSummary, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            if account.role != Some(crate::auth::Role::Isv) {
                // Refused before the upload is read.
                return Err(AppError::Forbidden);
            }
            let form = super::multipart::read_business_form(data).await?;
            super::flows::submit_business_info(&state, &account, form).await
        }
        .await,
    )
}

/// The caller's current ISV application (to show it, or fill the form for a resubmission);
/// `None` before the first submission. Errors: [`AppError::Unauthenticated`].
#[server(prefix = "/api", endpoint = "onboarding/isv_application")]
pub async fn isv_application_of_mine() -> Result<Option<IsvApplicationView>, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::isv_application_of(&state, &account).await
        }
        .await,
    )
}

/// Merchant onboarding: merchant name, identity type (`enterprise`, `individual`,
/// `individual_business`) and the certification form (the name and number on the certificate:
/// a unified social credit code, or a resident ID number for an individual). Creates an active
/// merchant workspace owned by the caller, with a merchant PID (2088…).
///
/// Errors: [`AppError::Unauthenticated`]; [`AppError::Forbidden`] unless the role is Merchant;
/// [`AppError::Fields`]; [`AppError::Conflict`] when the account already onboarded.
#[server(prefix = "/api", endpoint = "onboarding/merchant")]
pub async fn onboard_merchant(
    merchant_name: String,
    identity_type: String,
    certified_name: String,
    certificate_number: String,
) -> Result<WorkspaceDetailsView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            let input = super::MerchantInput {
                merchant_name,
                identity_type,
                certified_name,
                certificate_number,
            };
            super::flows::onboard_merchant(&state, &account, &input).await
        }
        .await,
    )
}

/// An individual merchant upgrades to individual business (个体工商户): the name on the
/// business license and its unified social credit code (simulated certification). The order
/// page leads here when a service is restricted to individual businesses.
///
/// Errors: [`AppError::Unauthenticated`]; [`AppError::Forbidden`] unless the role is Merchant;
/// [`AppError::Fields`] on `certified_name` and `certificate_number`, or on `form` when the
/// account has not onboarded or is not an individual.
#[server(prefix = "/api", endpoint = "onboarding/upgrade_individual_business")]
pub async fn upgrade_to_individual_business(
    certified_name: String,
    certificate_number: String,
) -> Result<WorkspaceDetailsView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::upgrade_to_individual_business(
                &state,
                &account,
                &certified_name,
                &certificate_number,
            )
            .await
        }
        .await,
    )
}

/// The console's workspace list and switcher: every workspace of the caller with its status
/// (a turned-down one with its reason) and the caller's role, and the current one.
/// Errors: [`AppError::Unauthenticated`].
#[server(prefix = "/api", endpoint = "console/workspaces")]
pub async fn my_workspaces() -> Result<MyWorkspacesView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::my_workspaces(&state, &account, remembered_workspace()).await
        }
        .await,
    )
}

/// The switcher: remembers `workspace_id` (the `sm_workspace` cookie) as the one `/console`
/// opens. Errors: [`AppError::Unauthenticated`]; [`AppError::NotFound`] for a workspace the
/// caller is not a member of.
#[server(prefix = "/api", endpoint = "console/switch_workspace")]
pub async fn switch_workspace(workspace_id: i64) -> Result<WorkspaceSummary, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            let workspace = super::flows::member_of(&state, &account, workspace_id).await?;
            remember_workspace(&state, workspace.id);
            Ok(workspace)
        }
        .await,
    )
}

/// A workspace's onboarding details (the approval email links to its page): the workspace,
/// and its current application (ISV) or merchant profile. Members only
/// ([`AppError::NotFound`] for anyone else).
#[server(prefix = "/api", endpoint = "console/workspace")]
pub async fn workspace_details(workspace_id: i64) -> Result<WorkspaceDetailsView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::workspace_details(&state, &account, workspace_id).await
        }
        .await,
    )
}

/// The members of a workspace (any member), with its invitations (the Owner only).
#[server(prefix = "/api", endpoint = "console/members")]
pub async fn workspace_members(workspace_id: i64) -> Result<MembersView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::members(&state, &account, workspace_id).await
        }
        .await,
    )
}

/// The Owner invites `email` as `admin` or `developer`; the email carries a link valid for 3
/// days. Errors: [`AppError::NotFound`] (not a member), [`AppError::Forbidden`] (not the
/// Owner), [`AppError::Fields`] (`email`, `role`; `form` while the workspace is not active).
#[server(prefix = "/api", endpoint = "console/invite_member")]
pub async fn invite_member(
    workspace_id: i64,
    email: String,
    role: String,
) -> Result<InvitationSent, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::invite(&state, &account, workspace_id, &email, &role).await
        }
        .await,
    )
}

/// The Owner withdraws an invitation; [`AppError::Conflict`] once accepted or withdrawn.
#[server(prefix = "/api", endpoint = "console/withdraw_invitation")]
pub async fn withdraw_invitation(invitation_id: i64) -> Result<InvitationView, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::withdraw(&state, &account, invitation_id).await
        }
        .await,
    )
}

/// The Owner resends an invitation: a new link (the old one stops working), valid 3 days from
/// now. [`AppError::Conflict`] once accepted or withdrawn.
#[server(prefix = "/api", endpoint = "console/resend_invitation")]
pub async fn resend_invitation(invitation_id: i64) -> Result<InvitationSent, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::resend(&state, &account, invitation_id).await
        }
        .await,
    )
}

/// What an invitation link is about, for anyone holding it (signed in or not):
/// [`AppError::NotFound`] for an unknown (or replaced) token.
#[server(prefix = "/api", endpoint = "console/invitation")]
pub async fn invitation_by_token(token: String) -> Result<InvitationPreview, AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let _caller = crate::auth::sessions::caller(&state).await?;
            super::flows::invitation_preview(&state, &token).await
        }
        .await,
    )
}

/// Accepts an invitation as the signed-in account, which must have the invited email.
/// Errors: [`AppError::Unauthenticated`]; [`AppError::NotFound`] (unknown token);
/// [`AppError::Fields`] on `form` (expired, withdrawn, accepted by someone else, another
/// email).
#[server(prefix = "/api", endpoint = "console/accept_invitation")]
pub async fn accept_invitation(token: String) -> Result<WorkspaceSummary, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::accept(&state, &account, &token).await
        }
        .await,
    )
}

/// The Owner removes a member. Errors: [`AppError::NotFound`] (caller or target not a member),
/// [`AppError::Forbidden`] (not the Owner), [`AppError::Conflict`] (the target is the Owner).
#[server(prefix = "/api", endpoint = "console/remove_member")]
pub async fn remove_member(workspace_id: i64, account_id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::remove_member(&state, &account, workspace_id, account_id).await
        }
        .await,
    )
}

/// The review queue: every application under review, oldest first, with all its details and
/// its applicant. Reviewers only.
#[server(prefix = "/api", endpoint = "review/applications")]
pub async fn review_queue() -> Result<Vec<ReviewItem>, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::review_queue(&state, &account).await
        }
        .await,
    )
}

/// Approves an application: the workspace becomes active, the applicant is its Owner, and the
/// approval email (with the link to the onboarding details) goes out. Reviewers only;
/// [`AppError::Conflict`] when it was decided meanwhile.
#[server(prefix = "/api", endpoint = "review/approve")]
pub async fn approve_application(application_id: i64) -> Result<ReviewDecision, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::decide(&state, &account, application_id, None).await
        }
        .await,
    )
}

/// Turns an application down with a required `reason`, shown to (and emailed to) the
/// applicant, who may edit and resubmit. Reviewers only; [`AppError::Fields`] on `reason`;
/// [`AppError::Conflict`] when it was decided meanwhile.
#[server(prefix = "/api", endpoint = "review/turn_down")]
pub async fn turn_down_application(
    application_id: i64,
    reason: String,
) -> Result<ReviewDecision, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::flows::decide(&state, &account, application_id, Some(&reason)).await
        }
        .await,
    )
}

/// The workspace the switcher remembered, from the request's `sm_workspace` cookie.
#[cfg(feature = "ssr")]
fn remembered_workspace() -> Option<i64> {
    let parts = crate::auth::sessions::request_parts()?;
    crate::auth::client::cookie_value(&parts, super::WORKSPACE_COOKIE)?
        .parse()
        .ok()
}

/// Makes the response remember the switcher's choice for a year.
#[cfg(feature = "ssr")]
fn remember_workspace(state: &crate::state::AppState, workspace_id: i64) {
    let https = crate::auth::sessions::client_info(state).https;
    let cookie = format!(
        "{}={workspace_id}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{}",
        super::WORKSPACE_COOKIE,
        if https { "; Secure" } else { "" }
    );
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&cookie),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}
