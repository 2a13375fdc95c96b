//! The onboarding flows as plain async functions. The server functions in [`super::api`]
//! establish the caller and call these, which check what the caller may touch, check every input
//! (bad input changes nothing), and then do the work inside one transaction. Emails go out after
//! the commit: a decision stands even when its email cannot be sent, and the answer says so.

use super::multipart::{BusinessForm, LogoUpload};
use super::rules::{self, LogoFormat, MerchantInput};
use super::{
    data, field, mails, ApplicationStatus, InvitationPreview, InvitationSent, InvitationStatus,
    InvitationView, IsvApplicationView, MemberRole, MembersView, MyWorkspacesView, OnboardingText,
    ReviewDecision, ReviewItem, WorkspaceDetailsView, WorkspaceKind, WorkspaceStatus,
    WorkspaceSummary, INVITATION_TTL_MS,
};
use crate::auth::{crypto, Account, FieldErrors, Role};
use crate::domain::Email;
use crate::error::AppError;
use crate::i18n::Bilingual;
use crate::mail::OutgoingEmail;
use crate::state::AppState;

fn conflict(text: OnboardingText) -> AppError {
    AppError::Conflict(text.labels().0.to_owned())
}

fn form_error(text: OnboardingText) -> AppError {
    AppError::Fields(FieldErrors::one(field::FORM, text))
}

/// The workspace as the caller sees it; [`AppError::NotFound`] when the caller is not a
/// member, so another workspace's existence is not told either.
pub async fn member_of(
    state: &AppState,
    account: &Account,
    workspace_id: i64,
) -> Result<WorkspaceSummary, AppError> {
    data::membership(state.db.pool(), workspace_id, account.id)
        .await?
        .ok_or(AppError::NotFound)
}

/// [`member_of`], and only for the Owner ([`AppError::Forbidden`] for Admins and Developers).
pub async fn owner_of(
    state: &AppState,
    account: &Account,
    workspace_id: i64,
) -> Result<WorkspaceSummary, AppError> {
    let workspace = member_of(state, account, workspace_id).await?;
    if workspace.my_role != MemberRole::Owner {
        return Err(AppError::Forbidden);
    }
    Ok(workspace)
}

/// Only platform reviewers pass.
pub fn require_reviewer(account: &Account) -> Result<(), AppError> {
    if account.is_reviewer {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Sends an email after the work is committed; a failure is logged (with a reference) and
/// reported as `false`, never undoing the work.
async fn send_after_commit(state: &AppState, email: &OutgoingEmail) -> bool {
    match state.mailer.send(&state.db, state.clock.now(), email).await {
        Ok(()) => true,
        Err(error) => {
            let _logged = AppError::internal(&error);
            false
        }
    }
}

// ---- ISV business information ----

/// Submits the ISV business information: the first submission creates the workspace, named
/// after the Company Name, Under Review, with the applicant as its Owner; after a turn-down it
/// is resubmitted (same workspace, a new application row, so the history stays). Without a new
/// file, a resubmission keeps the previous logo unless `remove_logo` is ticked.
pub async fn submit_business_info(
    state: &AppState,
    account: &Account,
    form: BusinessForm,
) -> Result<WorkspaceSummary, AppError> {
    if account.role != Some(Role::Isv) {
        return Err(AppError::Forbidden);
    }
    let now = state.clock.now();
    let checked = rules::check_business_info(&form.input);
    let mut errors = checked.as_ref().err().cloned().unwrap_or_default();
    let new_logo: Option<(Vec<u8>, LogoFormat)> = match form.logo {
        LogoUpload::None => None,
        LogoUpload::TooLarge => {
            errors.push(field::LOGO, OnboardingText::LogoTooLarge);
            None
        }
        LogoUpload::Bytes(bytes) => match rules::check_logo(&bytes) {
            Ok(format) => Some((bytes, format)),
            Err(text) => {
                errors.push(field::LOGO, text);
                None
            }
        },
    };
    // Errors in the form's order: the logo sits between the representative and the website.
    let info = match checked {
        Ok(info) if errors.is_empty() => info,
        _ => return Err(AppError::Fields(in_form_order(errors))),
    };

    let mut tx = state.db.begin().await?;
    data::lock_account(&mut *tx, account.id).await?;
    let existing = data::owned_workspace(&mut *tx, account.id, WorkspaceKind::Isv).await?;
    let workspace_id = match existing {
        None => {
            let id = data::insert_workspace(
                &mut *tx,
                WorkspaceKind::Isv,
                &info.company_name,
                WorkspaceStatus::UnderReview,
                now,
            )
            .await?;
            data::add_member(&mut *tx, id, account.id, MemberRole::Owner, now).await?;
            id
        }
        Some(workspace) => match workspace.status {
            WorkspaceStatus::UnderReview => {
                return Err(conflict(OnboardingText::ApplicationUnderReview))
            }
            WorkspaceStatus::Active => return Err(conflict(OnboardingText::AlreadyOnboarded)),
            WorkspaceStatus::TurnedDown => {
                data::update_workspace(
                    &mut *tx,
                    workspace.id,
                    Some(&info.company_name),
                    WorkspaceStatus::UnderReview,
                    now,
                )
                .await?;
                workspace.id
            }
        },
    };
    let logo: Option<(Vec<u8>, String)> = match new_logo {
        Some((bytes, format)) => Some((bytes, format.content_type().to_owned())),
        None if form.remove_logo => None,
        None => data::current_logo(&mut *tx, workspace_id).await?,
    };
    data::insert_application(
        &mut *tx,
        workspace_id,
        &info,
        logo.as_ref()
            .map(|(bytes, content_type)| (bytes.as_slice(), content_type.as_str())),
        account.id,
        now,
    )
    .await?;
    let summary = data::membership(&mut *tx, workspace_id, account.id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(summary)
}

/// Puts the logo's message where the form shows the logo input.
fn in_form_order(errors: FieldErrors) -> FieldErrors {
    const ORDER: [&str; 10] = [
        field::COMPANY_NAME,
        field::BUSINESS_ADDRESS,
        field::COUNTRY_REGION,
        field::BUSINESS_REPRESENTATIVE,
        field::LOGO,
        field::WEBSITE,
        field::CUSTOMER_SERVICE_NUMBER,
        field::CUSTOMER_SERVICE_EMAIL,
        field::AGREE_TERMS,
        field::FORM,
    ];
    let mut list = errors.0;
    list.sort_by_key(|error| {
        ORDER
            .iter()
            .position(|name| *name == error.field)
            .unwrap_or(ORDER.len())
    });
    FieldErrors(list)
}

/// The caller's own current ISV application, to fill the form for a resubmission.
pub async fn isv_application_of(
    state: &AppState,
    account: &Account,
) -> Result<Option<IsvApplicationView>, AppError> {
    let Some(workspace) =
        data::owned_workspace(state.db.pool(), account.id, WorkspaceKind::Isv).await?
    else {
        return Ok(None);
    };
    Ok(data::current_application(state.db.pool(), workspace.id)
        .await?
        .map(data::ApplicationRow::view))
}

// ---- console ----

/// The caller's workspaces and the one the switcher shows: the remembered one (`preferred`,
/// from the cookie) while the caller is still its member, else the first active one, else the
/// first one.
pub async fn my_workspaces(
    state: &AppState,
    account: &Account,
    preferred: Option<i64>,
) -> Result<MyWorkspacesView, AppError> {
    let workspaces = data::workspaces_of(state.db.pool(), account.id).await?;
    let current = preferred
        .filter(|id| workspaces.iter().any(|w| w.id == *id))
        .or_else(|| {
            workspaces
                .iter()
                .find(|w| w.status == WorkspaceStatus::Active)
                .map(|w| w.id)
        })
        .or_else(|| workspaces.first().map(|w| w.id));
    Ok(MyWorkspacesView {
        workspaces,
        current,
    })
}

/// A workspace's onboarding details, for its members.
pub async fn workspace_details(
    state: &AppState,
    account: &Account,
    workspace_id: i64,
) -> Result<WorkspaceDetailsView, AppError> {
    let workspace = member_of(state, account, workspace_id).await?;
    let (application, merchant) = match workspace.kind {
        WorkspaceKind::Isv => (
            data::current_application(state.db.pool(), workspace_id)
                .await?
                .map(data::ApplicationRow::view),
            None,
        ),
        WorkspaceKind::Merchant => (None, data::merchant(state.db.pool(), workspace_id).await?),
    };
    Ok(WorkspaceDetailsView {
        workspace,
        application,
        merchant,
    })
}

// ---- review ----

/// Every application under review, oldest first, with all its details.
pub async fn review_queue(
    state: &AppState,
    reviewer: &Account,
) -> Result<Vec<ReviewItem>, AppError> {
    require_reviewer(reviewer)?;
    let rows = data::review_queue(state.db.pool()).await?;
    Ok(rows
        .into_iter()
        .map(|row| ReviewItem {
            application: row.application.view(),
            applicant_email: row.applicant_email,
            applicant_username: row.applicant_username,
            previous_turn_downs: row.previous_turn_downs,
        })
        .collect())
}

/// Approves (`reason` = `None`) or turns down an application still under review. A decision
/// on an application decided meanwhile changes nothing: [`AppError::Conflict`].
pub async fn decide(
    state: &AppState,
    reviewer: &Account,
    application_id: i64,
    turn_down_reason: Option<&str>,
) -> Result<ReviewDecision, AppError> {
    require_reviewer(reviewer)?;
    let reason = match turn_down_reason {
        None => None,
        Some(text) => Some(
            rules::check_reason(text)
                .map_err(|error| AppError::Fields(FieldErrors::one(field::REASON, error)))?,
        ),
    };
    let decision = if reason.is_some() {
        ApplicationStatus::TurnedDown
    } else {
        ApplicationStatus::Approved
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let decided = data::decide_application(
        &mut *tx,
        application_id,
        decision,
        reason.as_deref(),
        reviewer.id,
        now,
    )
    .await?;
    let application = data::application(&mut *tx, application_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !decided {
        return Err(AppError::Conflict(format!(
            "This application has already been {}; refresh the review queue.",
            match application.status() {
                ApplicationStatus::Approved => "approved",
                ApplicationStatus::TurnedDown => "turned down",
                ApplicationStatus::UnderReview => "decided",
            }
        )));
    }
    let workspace_status = match decision {
        ApplicationStatus::Approved => WorkspaceStatus::Active,
        _ => WorkspaceStatus::TurnedDown,
    };
    data::update_workspace(
        &mut *tx,
        application.workspace_id,
        None,
        workspace_status,
        now,
    )
    .await?;
    if decision == ApplicationStatus::Approved {
        // The applicant is the Owner from the submission on; this only repairs a workspace
        // whose Owner row went missing.
        if let Some(applicant) = application.submitted_by {
            let owner = data::members(&mut *tx, application.workspace_id)
                .await?
                .into_iter()
                .any(|member| member.role == MemberRole::Owner);
            if !owner {
                data::add_member(
                    &mut *tx,
                    application.workspace_id,
                    applicant,
                    MemberRole::Owner,
                    now,
                )
                .await?;
            }
        }
    }
    let applicant = match application.submitted_by {
        Some(id) => crate::auth::accounts::find_by_id(&mut *tx, id).await?,
        None => None,
    };
    tx.commit().await?;

    let email_sent = match applicant {
        Some(applicant) => {
            let mail = match &reason {
                None => mails::approval(
                    &applicant.email,
                    application.company_name(),
                    application.workspace_id,
                    &state.public_url,
                ),
                Some(reason) => mails::turned_down(
                    &applicant.email,
                    application.company_name(),
                    reason,
                    application.workspace_id,
                    &state.public_url,
                ),
            };
            send_after_commit(state, &mail).await
        }
        None => false,
    };
    Ok(ReviewDecision {
        application_id,
        workspace_id: application.workspace_id,
        status: decision,
        email_sent,
    })
}

// ---- merchant onboarding ----

/// A new merchant's platform id: 2088 and 12 random digits.
fn generate_merchant_pid() -> String {
    use rand::Rng;
    format!(
        "2088{:012}",
        rand::thread_rng().gen_range(0..1_000_000_000_000u64)
    )
}

/// Onboards the caller as a merchant: an active merchant workspace named after the merchant,
/// owned by the caller, with its certification recorded (simulated: the form is the proof).
pub async fn onboard_merchant(
    state: &AppState,
    account: &Account,
    input: &MerchantInput,
) -> Result<WorkspaceDetailsView, AppError> {
    if account.role != Some(Role::Merchant) {
        return Err(AppError::Forbidden);
    }
    let profile = rules::check_merchant(input).map_err(AppError::Fields)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    data::lock_account(&mut *tx, account.id).await?;
    if data::owned_workspace(&mut *tx, account.id, WorkspaceKind::Merchant)
        .await?
        .is_some()
    {
        return Err(conflict(OnboardingText::MerchantExists));
    }
    let workspace_id = data::insert_workspace(
        &mut *tx,
        WorkspaceKind::Merchant,
        &profile.merchant_name,
        WorkspaceStatus::Active,
        now,
    )
    .await?;
    data::add_member(&mut *tx, workspace_id, account.id, MemberRole::Owner, now).await?;
    // 10^12 ids: a clash is all but impossible, and a second draw settles it.
    let mut merchant_pid = generate_merchant_pid();
    while data::merchant_pid_taken(&mut *tx, &merchant_pid).await? {
        merchant_pid = generate_merchant_pid();
    }
    data::insert_merchant(&mut *tx, workspace_id, &merchant_pid, &profile, now).await?;
    let workspace = data::membership(&mut *tx, workspace_id, account.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let merchant = data::merchant(&mut *tx, workspace_id).await?;
    tx.commit().await?;
    Ok(WorkspaceDetailsView {
        workspace,
        application: None,
        merchant,
    })
}

/// An individual merchant upgrades to individual business (个体工商户) with its business
/// license (simulated certification: the form is the proof), so it can order services
/// restricted to individual businesses. The merchant workspace's Owner only.
pub async fn upgrade_to_individual_business(
    state: &AppState,
    account: &Account,
    certified_name: &str,
    certificate_number: &str,
) -> Result<WorkspaceDetailsView, AppError> {
    if account.role != Some(Role::Merchant) {
        return Err(AppError::Forbidden);
    }
    let workspace = data::owned_workspace(state.db.pool(), account.id, WorkspaceKind::Merchant)
        .await?
        .ok_or_else(|| form_error(OnboardingText::NotAMerchantYet))?;
    let (name, number) =
        rules::check_upgrade(certified_name, certificate_number).map_err(AppError::Fields)?;
    let upgraded = data::upgrade_to_individual_business(
        state.db.pool(),
        workspace.id,
        &name,
        &number,
        state.clock.now(),
    )
    .await?;
    if !upgraded {
        return Err(form_error(OnboardingText::UpgradeOnlyIndividuals));
    }
    workspace_details(state, account, workspace.id).await
}

// ---- members and invitations ----

/// The members of a workspace, for any member; its invitations for the Owner only.
pub async fn members(
    state: &AppState,
    account: &Account,
    workspace_id: i64,
) -> Result<MembersView, AppError> {
    let workspace = member_of(state, account, workspace_id).await?;
    let now = state.clock.now();
    let can_manage = workspace.my_role == MemberRole::Owner;
    let members = data::members(state.db.pool(), workspace_id).await?;
    let invitations = if can_manage {
        data::invitations(state.db.pool(), workspace_id)
            .await?
            .iter()
            .map(|row| row.view(now))
            .collect()
    } else {
        Vec::new()
    };
    Ok(MembersView {
        workspace,
        members,
        invitations,
        can_manage,
    })
}

/// A new invitation token: the link carries it, the database keeps its SHA-256.
fn new_token() -> (String, String) {
    let token = crypto::random_token();
    let hash = crypto::sha256_hex(&token);
    (token, hash)
}

/// The Owner invites someone by email as Admin or Developer, valid for 3 days.
pub async fn invite(
    state: &AppState,
    owner: &Account,
    workspace_id: i64,
    email: &str,
    role: &str,
) -> Result<InvitationSent, AppError> {
    let workspace = owner_of(state, owner, workspace_id).await?;
    if workspace.status != WorkspaceStatus::Active {
        return Err(form_error(OnboardingText::WorkspaceNotActive));
    }
    let mut errors = FieldErrors::new();
    let email = errors.check(field::EMAIL, Email::parse(email));
    let role = MemberRole::from_code(role).filter(|role| MemberRole::INVITABLE.contains(role));
    if role.is_none() {
        errors.push(field::ROLE, OnboardingText::InviteRoleUnknown);
    }
    let now = state.clock.now();
    let email_key = email.as_ref().map(crate::auth::accounts::email_key);
    if let Some(key) = &email_key {
        if *key == owner.email {
            errors.push(field::EMAIL, OnboardingText::InviteYourself);
        } else if data::is_member_email(state.db.pool(), workspace_id, key).await? {
            errors.push(field::EMAIL, OnboardingText::AlreadyMember);
        } else if data::pending_invitation_exists(state.db.pool(), workspace_id, key, now).await? {
            errors.push(field::EMAIL, OnboardingText::InvitationPending);
        }
    }
    let (Some(email), Some(role), true) = (email_key, role, errors.is_empty()) else {
        return Err(AppError::Fields(errors));
    };
    let (token, token_hash) = new_token();
    let row = data::insert_invitation(
        state.db.pool(),
        &data::NewInvitation {
            workspace_id,
            email: &email,
            role,
            token_hash: &token_hash,
            expires_at: now + INVITATION_TTL_MS,
            invited_by: owner.id,
        },
        now,
    )
    .await?;
    let mail = mails::invitation(
        &email,
        &workspace.name,
        role,
        &owner.username,
        &token,
        &state.public_url,
    );
    let email_sent = send_after_commit(state, &mail).await;
    Ok(InvitationSent {
        invitation: row.view(now),
        email_sent,
    })
}

/// The invitation and its workspace, for its Owner: [`AppError::NotFound`] for an unknown
/// invitation or one of a workspace the caller is not a member of, [`AppError::Forbidden`]
/// for its other members.
async fn owned_invitation(
    state: &AppState,
    owner: &Account,
    invitation_id: i64,
) -> Result<(data::InvitationRow, WorkspaceSummary), AppError> {
    let invitation = data::invitation(state.db.pool(), invitation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let workspace = owner_of(state, owner, invitation.workspace_id).await?;
    Ok((invitation, workspace))
}

fn closed_invitation(status: InvitationStatus) -> AppError {
    AppError::Conflict(format!(
        "This invitation has already been {}.",
        match status {
            InvitationStatus::Accepted => "accepted",
            _ => "withdrawn",
        }
    ))
}

/// The Owner withdraws an invitation that has not been accepted; its link stops working.
pub async fn withdraw(
    state: &AppState,
    owner: &Account,
    invitation_id: i64,
) -> Result<InvitationView, AppError> {
    let (invitation, _) = owned_invitation(state, owner, invitation_id).await?;
    let now = state.clock.now();
    if !data::withdraw_invitation(state.db.pool(), invitation_id, now).await? {
        let current = data::invitation(state.db.pool(), invitation_id)
            .await?
            .unwrap_or(invitation);
        return Err(closed_invitation(current.status(now)));
    }
    let row = data::invitation(state.db.pool(), invitation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(row.view(now))
}

/// The Owner sends an invitation again: a new token (the old link stops working) and 3 more
/// days. Works for pending and expired invitations, not for accepted or withdrawn ones.
pub async fn resend(
    state: &AppState,
    owner: &Account,
    invitation_id: i64,
) -> Result<InvitationSent, AppError> {
    let (invitation, workspace) = owned_invitation(state, owner, invitation_id).await?;
    let now = state.clock.now();
    let (token, token_hash) = new_token();
    if !data::renew_invitation(
        state.db.pool(),
        invitation_id,
        &token_hash,
        now + INVITATION_TTL_MS,
    )
    .await?
    {
        return Err(closed_invitation(invitation.status(now)));
    }
    let row = data::invitation(state.db.pool(), invitation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mail = mails::invitation(
        &row.email,
        &workspace.name,
        row.role(),
        &owner.username,
        &token,
        &state.public_url,
    );
    let email_sent = send_after_commit(state, &mail).await;
    Ok(InvitationSent {
        invitation: row.view(now),
        email_sent,
    })
}

async fn invitation_for_token(
    state: &AppState,
    token: &str,
) -> Result<data::InvitationRow, AppError> {
    let token = token.trim();
    if token.is_empty() {
        return Err(AppError::NotFound);
    }
    data::invitation_by_token_hash(state.db.pool(), &crypto::sha256_hex(token))
        .await?
        .ok_or(AppError::NotFound)
}

/// What an invitation link shows: to anyone holding the link (the token is the proof).
pub async fn invitation_preview(
    state: &AppState,
    token: &str,
) -> Result<InvitationPreview, AppError> {
    let invitation = invitation_for_token(state, token).await?;
    let workspace_name = data::workspace_name(state.db.pool(), invitation.workspace_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = state.clock.now();
    Ok(InvitationPreview {
        workspace_id: invitation.workspace_id,
        workspace_name,
        email: invitation.email.clone(),
        role: invitation.role(),
        status: invitation.status(now),
        expires_at: invitation.expires_at,
    })
}

/// Accepts an invitation: the signed-in account must have the invited email; the invitation
/// must be pending (not expired, withdrawn or accepted). Accepting twice is harmless.
pub async fn accept(
    state: &AppState,
    account: &Account,
    token: &str,
) -> Result<WorkspaceSummary, AppError> {
    let invitation = invitation_for_token(state, token).await?;
    let now = state.clock.now();
    match invitation.status(now) {
        InvitationStatus::Accepted if invitation.accepted_by == Some(account.id) => {
            return member_of(state, account, invitation.workspace_id).await;
        }
        InvitationStatus::Accepted => return Err(form_error(OnboardingText::InvitationAccepted)),
        InvitationStatus::Withdrawn => return Err(form_error(OnboardingText::InvitationWithdrawn)),
        InvitationStatus::Expired => return Err(form_error(OnboardingText::InvitationExpired)),
        InvitationStatus::Pending => {}
    }
    if invitation.email != account.email.to_lowercase() {
        return Err(form_error(OnboardingText::InvitationOtherEmail));
    }
    let mut tx = state.db.begin().await?;
    if !data::accept_invitation(&mut *tx, invitation.id, account.id, now).await? {
        return Err(AppError::Conflict(
            "This invitation changed meanwhile; open the link again.".to_owned(),
        ));
    }
    data::add_member(
        &mut *tx,
        invitation.workspace_id,
        account.id,
        invitation.role(),
        now,
    )
    .await?;
    let workspace = data::membership(&mut *tx, invitation.workspace_id, account.id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    Ok(workspace)
}

/// The Owner removes a member; the Owner itself cannot be removed.
pub async fn remove_member(
    state: &AppState,
    owner: &Account,
    workspace_id: i64,
    member_account_id: i64,
) -> Result<(), AppError> {
    owner_of(state, owner, workspace_id).await?;
    let target = data::membership(state.db.pool(), workspace_id, member_account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if target.my_role == MemberRole::Owner {
        return Err(conflict(OnboardingText::OwnerCannotBeRemoved));
    }
    if !data::remove_member(state.db.pool(), workspace_id, member_account_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(())
}
