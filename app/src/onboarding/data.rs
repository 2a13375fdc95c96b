//! Queries on workspaces, members, ISV applications, merchants and invitations. Each takes an
//! executor, so it runs on the pool or inside a caller's transaction; rows are turned into the
//! wire types here and nowhere else.

use super::rules::{BusinessInfo, IdentityType, MerchantProfile};
use super::{
    logo_path, ApplicationStatus, InvitationStatus, InvitationView, IsvApplicationView, MemberRole,
    MemberView, MerchantView, WorkspaceKind, WorkspaceStatus, WorkspaceSummary,
};
use crate::clock::UnixMillis;
use sqlx::{Any, Executor};

/// Makes the rest of the transaction wait for any other transaction that locked the same
/// account, so two submissions by one account (a double click) cannot both create a workspace.
/// A no-op write: a row lock on PostgreSQL, the write lock on SQLite.
pub async fn lock_account<'e>(
    executor: impl Executor<'e, Database = Any>,
    account_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET is_reviewer = is_reviewer WHERE id = $1")
        .bind(account_id)
        .execute(executor)
        .await
        .map(|_| ())
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    name: String,
    kind: String,
    status: String,
    created_at: i64,
    role: String,
    turn_down_reason: Option<String>,
}

impl SummaryRow {
    fn summary(self) -> WorkspaceSummary {
        let status = WorkspaceStatus::from_code(&self.status).unwrap_or(WorkspaceStatus::Active);
        WorkspaceSummary {
            id: self.id,
            name: self.name,
            kind: WorkspaceKind::from_code(&self.kind).unwrap_or(WorkspaceKind::Isv),
            status,
            turn_down_reason: self
                .turn_down_reason
                .filter(|_| status == WorkspaceStatus::TurnedDown),
            my_role: MemberRole::from_code(&self.role).unwrap_or(MemberRole::Developer),
            created_at: self.created_at,
        }
    }
}

/// A workspace as one member sees it; the reason is the newest application's.
const SUMMARY_SELECT: &str = "SELECT w.id, w.name, w.kind, w.status, w.created_at, m.role, \
       (SELECT a.turn_down_reason FROM isv_applications a WHERE a.workspace_id = w.id \
        ORDER BY a.submitted_at DESC, a.id DESC LIMIT 1) AS turn_down_reason \
     FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id";

/// Every workspace an account is a member of, oldest first.
pub async fn workspaces_of<'e>(
    executor: impl Executor<'e, Database = Any>,
    account_id: i64,
) -> Result<Vec<WorkspaceSummary>, sqlx::Error> {
    let rows: Vec<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY_SELECT} WHERE m.account_id = $1 ORDER BY w.created_at, w.id"
    ))
    .bind(account_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.into_iter().map(SummaryRow::summary).collect())
}

/// The workspace as `account_id` sees it, or `None` when the account is not a member.
pub async fn membership<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
    account_id: i64,
) -> Result<Option<WorkspaceSummary>, sqlx::Error> {
    let row: Option<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY_SELECT} WHERE m.workspace_id = $1 AND m.account_id = $2"
    ))
    .bind(workspace_id)
    .bind(account_id)
    .fetch_optional(executor)
    .await?;
    Ok(row.map(SummaryRow::summary))
}

/// The workspace of a kind that an account owns (an account onboards once per kind).
pub async fn owned_workspace<'e>(
    executor: impl Executor<'e, Database = Any>,
    account_id: i64,
    kind: WorkspaceKind,
) -> Result<Option<WorkspaceSummary>, sqlx::Error> {
    let row: Option<SummaryRow> = sqlx::query_as(&format!(
        "{SUMMARY_SELECT} WHERE m.account_id = $1 AND m.role = 'owner' AND w.kind = $2 \
         ORDER BY w.created_at, w.id LIMIT 1"
    ))
    .bind(account_id)
    .bind(kind.code())
    .fetch_optional(executor)
    .await?;
    Ok(row.map(SummaryRow::summary))
}

/// Creates a workspace; returns its id.
pub async fn insert_workspace<'e>(
    executor: impl Executor<'e, Database = Any>,
    kind: WorkspaceKind,
    name: &str,
    status: WorkspaceStatus,
    now: UnixMillis,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO workspaces (kind, name, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(kind.code())
    .bind(name)
    .bind(status.code())
    .bind(now)
    .fetch_one(executor)
    .await?;
    Ok(id)
}

/// Sets a workspace's status (and its name, when given).
pub async fn update_workspace<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
    name: Option<&str>,
    status: WorkspaceStatus,
    now: UnixMillis,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE workspaces SET name = COALESCE($2, name), status = $3, updated_at = $4 \
         WHERE id = $1",
    )
    .bind(workspace_id)
    .bind(name)
    .bind(status.code())
    .bind(now)
    .execute(executor)
    .await
    .map(|_| ())
}

/// Adds a member; an account already in the workspace keeps its role (false then).
pub async fn add_member<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
    account_id: i64,
    role: MemberRole,
    now: UnixMillis,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO workspace_members (workspace_id, account_id, role, created_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (workspace_id, account_id) DO NOTHING",
    )
    .bind(workspace_id)
    .bind(account_id)
    .bind(role.code())
    .bind(now)
    .execute(executor)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Removes a member who is not the Owner; false when there was no such member.
pub async fn remove_member<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
    account_id: i64,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "DELETE FROM workspace_members WHERE workspace_id = $1 AND account_id = $2 \
         AND role <> 'owner'",
    )
    .bind(workspace_id)
    .bind(account_id)
    .execute(executor)
    .await?;
    Ok(result.rows_affected() == 1)
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    account_id: i64,
    email: String,
    username: String,
    role: String,
    created_at: i64,
}

/// A workspace's members: the Owner first, then by when they joined.
pub async fn members<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
) -> Result<Vec<MemberView>, sqlx::Error> {
    let rows: Vec<MemberRow> = sqlx::query_as(
        "SELECT m.account_id, a.email, a.username, m.role, m.created_at \
         FROM workspace_members m JOIN accounts a ON a.id = m.account_id \
         WHERE m.workspace_id = $1 \
         ORDER BY CASE WHEN m.role = 'owner' THEN 0 ELSE 1 END, m.created_at, m.id",
    )
    .bind(workspace_id)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| MemberView {
            account_id: row.account_id,
            email: row.email,
            username: row.username,
            role: MemberRole::from_code(&row.role).unwrap_or(MemberRole::Developer),
            joined_at: row.created_at,
        })
        .collect())
}

/// Whether an account with this (normalised) email is a member of the workspace.
pub async fn is_member_email<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
    email: &str,
) -> Result<bool, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM workspace_members m JOIN accounts a ON a.id = m.account_id \
         WHERE m.workspace_id = $1 AND a.email = $2",
    )
    .bind(workspace_id)
    .bind(email)
    .fetch_one(executor)
    .await?;
    Ok(count > 0)
}

// ---- ISV applications ----

const APPLICATION_COLUMNS: &str = "a.id, a.workspace_id, a.company_name, a.business_address, \
    a.country_region, a.business_representative, a.logo_content_type, a.website, \
    a.customer_service_number, a.customer_service_email, a.status, a.turn_down_reason, \
    a.submitted_at, a.reviewed_at, a.submitted_by";

#[derive(sqlx::FromRow)]
pub struct ApplicationRow {
    pub id: i64,
    pub workspace_id: i64,
    company_name: String,
    business_address: String,
    country_region: String,
    business_representative: String,
    logo_content_type: Option<String>,
    website: Option<String>,
    customer_service_number: Option<String>,
    customer_service_email: Option<String>,
    status: String,
    turn_down_reason: Option<String>,
    submitted_at: i64,
    reviewed_at: Option<i64>,
    pub submitted_by: Option<i64>,
}

impl ApplicationRow {
    pub fn status(&self) -> ApplicationStatus {
        ApplicationStatus::from_code(&self.status).unwrap_or(ApplicationStatus::UnderReview)
    }

    pub fn company_name(&self) -> &str {
        &self.company_name
    }

    pub fn view(self) -> IsvApplicationView {
        let status = self.status();
        IsvApplicationView {
            id: self.id,
            workspace_id: self.workspace_id,
            company_name: self.company_name,
            business_address: self.business_address,
            country_region: self.country_region,
            business_representative: self.business_representative,
            logo_url: self
                .logo_content_type
                .as_ref()
                .map(|_| logo_path(self.workspace_id)),
            logo_content_type: self.logo_content_type,
            website: self.website,
            customer_service_number: self.customer_service_number,
            customer_service_email: self.customer_service_email,
            status,
            turn_down_reason: self.turn_down_reason,
            submitted_at: self.submitted_at,
            reviewed_at: self.reviewed_at,
        }
    }
}

/// The newest submission of a workspace: the one that counts.
pub async fn current_application<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
) -> Result<Option<ApplicationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {APPLICATION_COLUMNS} FROM isv_applications a WHERE a.workspace_id = $1 \
         ORDER BY a.submitted_at DESC, a.id DESC LIMIT 1"
    ))
    .bind(workspace_id)
    .fetch_optional(executor)
    .await
}

pub async fn application<'e>(
    executor: impl Executor<'e, Database = Any>,
    application_id: i64,
) -> Result<Option<ApplicationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {APPLICATION_COLUMNS} FROM isv_applications a WHERE a.id = $1"
    ))
    .bind(application_id)
    .fetch_optional(executor)
    .await
}

/// A stored logo: its bytes and MIME type.
pub type Logo = (Vec<u8>, String);

/// The logo of a workspace's newest submission, if it has one.
pub async fn current_logo<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
) -> Result<Option<Logo>, sqlx::Error> {
    let row: Option<(Option<Vec<u8>>, Option<String>)> = sqlx::query_as(
        "SELECT logo, logo_content_type FROM isv_applications WHERE workspace_id = $1 \
         ORDER BY submitted_at DESC, id DESC LIMIT 1",
    )
    .bind(workspace_id)
    .fetch_optional(executor)
    .await?;
    Ok(match row {
        Some((Some(bytes), Some(content_type))) => Some((bytes, content_type)),
        _ => None,
    })
}

/// Records one submission of the business information, under review.
pub async fn insert_application<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
    info: &BusinessInfo,
    logo: Option<(&[u8], &str)>,
    submitted_by: i64,
    now: UnixMillis,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO isv_applications (workspace_id, company_name, business_address, \
             country_region, business_representative, logo, logo_content_type, website, \
             customer_service_number, customer_service_email, status, submitted_by, submitted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'under_review', $11, $12) RETURNING id",
    )
    .bind(workspace_id)
    .bind(&info.company_name)
    .bind(&info.business_address)
    .bind(info.country_region.code)
    .bind(&info.business_representative)
    .bind(logo.map(|(bytes, _)| bytes.to_vec()))
    .bind(logo.map(|(_, content_type)| content_type))
    .bind(info.website.as_deref())
    .bind(info.customer_service_number.as_deref())
    .bind(
        info.customer_service_email
            .as_ref()
            .map(|email| email.as_str()),
    )
    .bind(submitted_by)
    .bind(now)
    .fetch_one(executor)
    .await?;
    Ok(id)
}

/// Decides an application that is still under review; false when it no longer is (someone
/// decided first), so a stale decision changes nothing.
pub async fn decide_application<'e>(
    executor: impl Executor<'e, Database = Any>,
    application_id: i64,
    decision: ApplicationStatus,
    reason: Option<&str>,
    reviewer_id: i64,
    now: UnixMillis,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE isv_applications SET status = $2, turn_down_reason = $3, reviewed_at = $4, \
             reviewed_by = $5 \
         WHERE id = $1 AND status = 'under_review'",
    )
    .bind(application_id)
    .bind(decision.code())
    .bind(reason)
    .bind(now)
    .bind(reviewer_id)
    .execute(executor)
    .await?;
    Ok(result.rows_affected() == 1)
}

#[derive(sqlx::FromRow)]
pub struct QueueRow {
    #[sqlx(flatten)]
    pub application: ApplicationRow,
    pub applicant_email: Option<String>,
    pub applicant_username: Option<String>,
    pub previous_turn_downs: i64,
}

/// Every application under review, oldest first, with its applicant.
pub async fn review_queue<'e>(
    executor: impl Executor<'e, Database = Any>,
) -> Result<Vec<QueueRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {APPLICATION_COLUMNS}, u.email AS applicant_email, \
             u.username AS applicant_username, \
             (SELECT COUNT(*) FROM isv_applications p WHERE p.workspace_id = a.workspace_id \
              AND p.status = 'turned_down') AS previous_turn_downs \
         FROM isv_applications a LEFT JOIN accounts u ON u.id = a.submitted_by \
         WHERE a.status = 'under_review' ORDER BY a.submitted_at, a.id"
    ))
    .fetch_all(executor)
    .await
}

// ---- merchants ----

pub async fn merchant_pid_taken<'e>(
    executor: impl Executor<'e, Database = Any>,
    merchant_pid: &str,
) -> Result<bool, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM merchants WHERE merchant_pid = $1")
        .bind(merchant_pid)
        .fetch_one(executor)
        .await?;
    Ok(count > 0)
}

/// Records a merchant and its certification (simulated: the form is the proof).
pub async fn insert_merchant<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
    merchant_pid: &str,
    profile: &MerchantProfile,
    now: UnixMillis,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO merchants (workspace_id, merchant_pid, merchant_name, identity_type, \
             certified_name, certificate_number, certified_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7)",
    )
    .bind(workspace_id)
    .bind(merchant_pid)
    .bind(&profile.merchant_name)
    .bind(profile.identity_type.code())
    .bind(&profile.certified_name)
    .bind(&profile.certificate_number)
    .bind(now)
    .execute(executor)
    .await
    .map(|_| ())
}

/// An individual merchant becomes an individual business with its license's name and code;
/// false when the merchant is not (or no longer) an individual.
pub async fn upgrade_to_individual_business<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
    certified_name: &str,
    certificate_number: &str,
    now: UnixMillis,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE merchants SET identity_type = 'individual_business', certified_name = $2, \
             certificate_number = $3, certified_at = $4, updated_at = $4 \
         WHERE workspace_id = $1 AND identity_type = 'individual'",
    )
    .bind(workspace_id)
    .bind(certified_name)
    .bind(certificate_number)
    .bind(now)
    .execute(executor)
    .await?;
    Ok(result.rows_affected() == 1)
}

#[derive(sqlx::FromRow)]
struct MerchantRow {
    workspace_id: i64,
    merchant_pid: String,
    merchant_name: String,
    identity_type: String,
    certified_name: Option<String>,
    certificate_number: Option<String>,
    certified_at: Option<i64>,
}

/// Shows the first 4 and last 4 characters of a certificate number, the rest as `*`.
pub fn mask_certificate(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < 4 || i >= chars.len() - 4 {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

pub async fn merchant<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
) -> Result<Option<MerchantView>, sqlx::Error> {
    let row: Option<MerchantRow> = sqlx::query_as(
        "SELECT workspace_id, merchant_pid, merchant_name, identity_type, certified_name, \
             certificate_number, certified_at \
         FROM merchants WHERE workspace_id = $1",
    )
    .bind(workspace_id)
    .fetch_optional(executor)
    .await?;
    Ok(row.map(|row| MerchantView {
        workspace_id: row.workspace_id,
        merchant_pid: row.merchant_pid,
        merchant_name: row.merchant_name,
        identity_type: IdentityType::from_code(&row.identity_type)
            .unwrap_or(IdentityType::Individual),
        certified_name: row.certified_name,
        certificate_number_masked: row.certificate_number.as_deref().map(mask_certificate),
        certified_at: row.certified_at,
    }))
}

// ---- invitations ----

const INVITATION_COLUMNS: &str = "id, workspace_id, email, role, expires_at, withdrawn_at, \
    accepted_at, accepted_by, created_at";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub workspace_id: i64,
    pub email: String,
    role: String,
    pub expires_at: i64,
    pub withdrawn_at: Option<i64>,
    pub accepted_at: Option<i64>,
    pub accepted_by: Option<i64>,
    pub created_at: i64,
}

impl InvitationRow {
    pub fn role(&self) -> MemberRole {
        MemberRole::from_code(&self.role).unwrap_or(MemberRole::Developer)
    }

    /// Where it stands at `now`: valid while `now` is before `expires_at`.
    pub fn status(&self, now: UnixMillis) -> InvitationStatus {
        if self.accepted_at.is_some() {
            InvitationStatus::Accepted
        } else if self.withdrawn_at.is_some() {
            InvitationStatus::Withdrawn
        } else if now >= self.expires_at {
            InvitationStatus::Expired
        } else {
            InvitationStatus::Pending
        }
    }

    pub fn view(&self, now: UnixMillis) -> InvitationView {
        InvitationView {
            id: self.id,
            workspace_id: self.workspace_id,
            email: self.email.clone(),
            role: self.role(),
            status: self.status(now),
            expires_at: self.expires_at,
            created_at: self.created_at,
        }
    }
}

/// An invitation about to be stored (the token itself is only in the email).
pub struct NewInvitation<'a> {
    pub workspace_id: i64,
    pub email: &'a str,
    pub role: MemberRole,
    pub token_hash: &'a str,
    pub expires_at: UnixMillis,
    pub invited_by: i64,
}

pub async fn insert_invitation<'e>(
    executor: impl Executor<'e, Database = Any>,
    invitation: &NewInvitation<'_>,
    now: UnixMillis,
) -> Result<InvitationRow, sqlx::Error> {
    sqlx::query_as(&format!(
        "INSERT INTO invitations (workspace_id, email, role, token_hash, expires_at, \
             invited_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {INVITATION_COLUMNS}"
    ))
    .bind(invitation.workspace_id)
    .bind(invitation.email)
    .bind(invitation.role.code())
    .bind(invitation.token_hash)
    .bind(invitation.expires_at)
    .bind(invitation.invited_by)
    .bind(now)
    .fetch_one(executor)
    .await
}

pub async fn invitation<'e>(
    executor: impl Executor<'e, Database = Any>,
    invitation_id: i64,
) -> Result<Option<InvitationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations WHERE id = $1"
    ))
    .bind(invitation_id)
    .fetch_optional(executor)
    .await
}

pub async fn invitation_by_token_hash<'e>(
    executor: impl Executor<'e, Database = Any>,
    token_hash: &str,
) -> Result<Option<InvitationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(executor)
    .await
}

/// A workspace's invitations, newest first.
pub async fn invitations<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
) -> Result<Vec<InvitationRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {INVITATION_COLUMNS} FROM invitations WHERE workspace_id = $1 \
         ORDER BY created_at DESC, id DESC"
    ))
    .bind(workspace_id)
    .fetch_all(executor)
    .await
}

/// Whether a still-valid invitation to this email is open in the workspace.
pub async fn pending_invitation_exists<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
    email: &str,
    now: UnixMillis,
) -> Result<bool, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM invitations WHERE workspace_id = $1 AND email = $2 \
         AND accepted_at IS NULL AND withdrawn_at IS NULL AND expires_at > $3",
    )
    .bind(workspace_id)
    .bind(email)
    .bind(now)
    .fetch_one(executor)
    .await?;
    Ok(count > 0)
}

/// Withdraws an open invitation; false when it was already accepted or withdrawn.
pub async fn withdraw_invitation<'e>(
    executor: impl Executor<'e, Database = Any>,
    invitation_id: i64,
    now: UnixMillis,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE invitations SET withdrawn_at = $2 \
         WHERE id = $1 AND withdrawn_at IS NULL AND accepted_at IS NULL",
    )
    .bind(invitation_id)
    .bind(now)
    .execute(executor)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Gives an open (or expired) invitation a new token and a new validity; false when it was
/// accepted or withdrawn meanwhile.
pub async fn renew_invitation<'e>(
    executor: impl Executor<'e, Database = Any>,
    invitation_id: i64,
    token_hash: &str,
    expires_at: UnixMillis,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE invitations SET token_hash = $2, expires_at = $3 \
         WHERE id = $1 AND withdrawn_at IS NULL AND accepted_at IS NULL",
    )
    .bind(invitation_id)
    .bind(token_hash)
    .bind(expires_at)
    .execute(executor)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Marks an invitation accepted while it is still open and valid; false otherwise.
pub async fn accept_invitation<'e>(
    executor: impl Executor<'e, Database = Any>,
    invitation_id: i64,
    account_id: i64,
    now: UnixMillis,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE invitations SET accepted_at = $3, accepted_by = $2 \
         WHERE id = $1 AND withdrawn_at IS NULL AND accepted_at IS NULL AND expires_at > $3",
    )
    .bind(invitation_id)
    .bind(account_id)
    .bind(now)
    .execute(executor)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The workspace's name, for emails and the invitation page.
pub async fn workspace_name<'e>(
    executor: impl Executor<'e, Database = Any>,
    workspace_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as("SELECT name FROM workspaces WHERE id = $1")
        .bind(workspace_id)
        .fetch_optional(executor)
        .await?;
    Ok(row.map(|(name,)| name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_numbers_are_masked_but_their_ends() {
        assert_eq!(mask_certificate("91350100M000100Y43"), "9135**********0Y43");
        assert_eq!(mask_certificate("11010519491231002X"), "1101**********002X");
        assert_eq!(mask_certificate("12345678"), "********");
    }
}
