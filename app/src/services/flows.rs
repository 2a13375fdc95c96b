//! The service flows as plain async functions. The server functions in [`super::api`] establish
//! the caller and call these, which check what the caller may touch, check every input (bad
//! input changes nothing), and then do the work inside one transaction.

use super::rules::{self, ServiceInput};
use super::{
    allowed_service_actions, data, field, order_path, ServiceAction, ServiceDetail,
    ServiceEditorView, ServiceReviewItem, ServiceStatus, ServiceSummary, ServiceView, ServicesText,
};
use crate::auth::{Account, FieldErrors};
use crate::error::AppError;
use crate::i18n::Bilingual;
use crate::onboarding::flows::{member_of, require_reviewer};
use crate::onboarding::{MemberRole, WorkspaceKind, WorkspaceStatus, WorkspaceSummary};
use crate::state::AppState;

fn form_error(text: ServicesText) -> AppError {
    AppError::Fields(FieldErrors::one(field::FORM, text))
}

/// The ISV workspace as the caller sees it: [`AppError::NotFound`] for a non-member,
/// [`AppError::Forbidden`] for a merchant workspace.
async fn isv_workspace(
    state: &AppState,
    account: &Account,
    workspace_id: i64,
) -> Result<WorkspaceSummary, AppError> {
    let workspace = member_of(state, account, workspace_id).await?;
    if workspace.kind != WorkspaceKind::Isv {
        return Err(AppError::Forbidden);
    }
    Ok(workspace)
}

/// A service and the caller's role in its workspace; [`AppError::NotFound`] for an unknown
/// service or one of a workspace the caller is not a member of.
pub(crate) async fn service_of_member(
    state: &AppState,
    account: &Account,
    service_id: i64,
) -> Result<(data::ServiceRow, MemberRole), AppError> {
    let row = data::service(state.db.pool(), service_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let workspace = isv_workspace(state, account, row.isv_workspace_id).await?;
    Ok((row, workspace.my_role))
}

async fn view(state: &AppState, row: &data::ServiceRow) -> Result<ServiceView, AppError> {
    let plans = data::live_plans(state.db.pool(), row.id).await?;
    let images = super::images::images(state.db.pool(), row.id).await?;
    Ok(row.view(plans, images))
}

/// Locks the service inside `tx` and checks that a member with `role` may still edit it (its
/// fields, plans or images): the check holds until the transaction ends.
pub(crate) async fn editable_service(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    service_id: i64,
    role: MemberRole,
) -> Result<(), AppError> {
    data::lock_service(&mut **tx, service_id).await?;
    let current = data::service(&mut **tx, service_id)
        .await?
        .ok_or(AppError::NotFound)?;
    match refusal(ServiceAction::Edit, current.status(), role) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// Why `action` is refused to a member with `role` on a service in `status`, or `None` when
/// it is allowed.
fn refusal(action: ServiceAction, status: ServiceStatus, role: MemberRole) -> Option<AppError> {
    if !action.actor().includes(role) {
        return Some(form_error(ServicesText::ManagersOnly));
    }
    if action.apply(status).is_some() {
        return None;
    }
    Some(match (action, status) {
        (ServiceAction::Edit, ServiceStatus::Online) => form_error(ServicesText::OnlineNotEditable),
        _ => AppError::Conflict(format!(
            "“{}” is not possible for a service that is {}.",
            action.labels().0,
            status.labels().0
        )),
    })
}

/// Service Management > Services: the workspace's services, newest first (any member).
pub async fn list(
    state: &AppState,
    account: &Account,
    workspace_id: i64,
) -> Result<Vec<ServiceSummary>, AppError> {
    isv_workspace(state, account, workspace_id).await?;
    Ok(data::workspace_services(state.db.pool(), workspace_id).await?)
}

/// A service with every field and the buttons the caller may use (any member).
pub async fn editor(
    state: &AppState,
    account: &Account,
    service_id: i64,
) -> Result<ServiceEditorView, AppError> {
    let (row, my_role) = service_of_member(state, account, service_id).await?;
    Ok(ServiceEditorView {
        service: view(state, &row).await?,
        my_role,
        allowed_actions: allowed_service_actions(row.status(), my_role),
    })
}

/// Creates a Draft service in an active ISV workspace (any member).
pub async fn create(
    state: &AppState,
    account: &Account,
    workspace_id: i64,
    input: &ServiceInput,
) -> Result<ServiceView, AppError> {
    let workspace = isv_workspace(state, account, workspace_id).await?;
    if workspace.status != WorkspaceStatus::Active {
        return Err(form_error(ServicesText::WorkspaceNotActive));
    }
    let fields = rules::check_service(input).map_err(AppError::Fields)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let id = data::insert_service(&mut *tx, workspace_id, &fields, now).await?;
    data::replace_plans(&mut tx, id, &fields.plans, now).await?;
    tx.commit().await?;
    let row = data::service(state.db.pool(), id)
        .await?
        .ok_or(AppError::NotFound)?;
    view(state, &row).await
}

/// Edits a Draft, Turn Down or Withdrawn service (any member); its status stays.
pub async fn update(
    state: &AppState,
    account: &Account,
    service_id: i64,
    input: &ServiceInput,
) -> Result<ServiceView, AppError> {
    let (row, role) = service_of_member(state, account, service_id).await?;
    if let Some(error) = refusal(ServiceAction::Edit, row.status(), role) {
        return Err(error);
    }
    let fields = rules::check_service(input).map_err(AppError::Fields)?;
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    data::lock_service(&mut *tx, service_id).await?;
    // Checked again under the lock: a submission may have slipped in since.
    let current = data::service(&mut *tx, service_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(error) = refusal(ServiceAction::Edit, current.status(), role) {
        return Err(error);
    }
    data::update_service(&mut *tx, service_id, &fields, now).await?;
    data::replace_plans(&mut tx, service_id, &fields.plans, now).await?;
    tx.commit().await?;
    let row = data::service(state.db.pool(), service_id)
        .await?
        .ok_or(AppError::NotFound)?;
    view(state, &row).await
}

/// Submit for review, Withdraw or Archive, by the Owner or an Admin.
pub async fn act(
    state: &AppState,
    account: &Account,
    service_id: i64,
    action: ServiceAction,
) -> Result<ServiceView, AppError> {
    let (row, role) = service_of_member(state, account, service_id).await?;
    let from = row.status();
    if let Some(error) = refusal(action, from, role) {
        return Err(error);
    }
    let to = action.apply(from).unwrap_or(from);
    move_service(state, &row, from, to, None).await
}

/// Changes the status when the service is still in `from`, or answers Conflict.
async fn move_service(
    state: &AppState,
    row: &data::ServiceRow,
    from: ServiceStatus,
    to: ServiceStatus,
    review: Option<(i64, Option<&str>)>,
) -> Result<ServiceView, AppError> {
    let now = state.clock.now();
    if !data::change_status(state.db.pool(), row.id, from, to, review, now).await? {
        return Err(AppError::Conflict(
            "This service changed meanwhile; refresh the page.".to_owned(),
        ));
    }
    let row = data::service(state.db.pool(), row.id)
        .await?
        .ok_or(AppError::NotFound)?;
    view(state, &row).await
}

// ---- review ----

/// Every service pending review, oldest submission first, with all its details.
pub async fn review_queue(
    state: &AppState,
    reviewer: &Account,
) -> Result<Vec<ServiceReviewItem>, AppError> {
    require_reviewer(reviewer)?;
    let rows = data::review_queue(state.db.pool()).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        items.push(ServiceReviewItem {
            previous_turn_down_reason: row.service.last_turn_down_reason().map(str::to_owned),
            service: view(state, &row.service).await?,
            isv_name: row.isv_name,
        });
    }
    Ok(items)
}

/// Approves (`reason` = `None`: the service goes Online) or turns down (with the reason the
/// ISV will see) a service pending review. A decision on a service decided meanwhile changes
/// nothing: [`AppError::Conflict`].
pub async fn review(
    state: &AppState,
    reviewer: &Account,
    service_id: i64,
    turn_down_reason: Option<&str>,
) -> Result<ServiceView, AppError> {
    require_reviewer(reviewer)?;
    let reason = match turn_down_reason {
        None => None,
        Some(text) => Some(
            rules::check_reason(text)
                .map_err(|error| AppError::Fields(FieldErrors::one(field::REASON, error)))?,
        ),
    };
    let row = data::service(state.db.pool(), service_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let action = if reason.is_some() {
        ServiceAction::TurnDown
    } else {
        ServiceAction::Approve
    };
    let from = row.status();
    let Some(to) = action.apply(from) else {
        return Err(AppError::Conflict(format!(
            "This service is {}, not pending review; refresh the review queue.",
            from.labels().0
        )));
    };
    move_service(
        state,
        &row,
        from,
        to,
        Some((reviewer.id, reason.as_deref())),
    )
    .await
}

// ---- marketplace ----

/// An Online service's detail page; anything else is [`AppError::NotFound`] to the public.
pub async fn marketplace_detail(
    state: &AppState,
    service_id: i64,
) -> Result<ServiceDetail, AppError> {
    let (row, isv_name) = data::online_service(state.db.pool(), service_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let plans = data::live_plans(state.db.pool(), service_id).await?;
    let images = super::images::images(state.db.pool(), service_id).await?;
    Ok(detail(row, isv_name, plans, images))
}

/// The public view of a service.
pub fn detail(
    row: data::ServiceRow,
    isv_name: String,
    plans: Vec<super::PlanView>,
    images: Vec<super::ServiceImage>,
) -> ServiceDetail {
    let view = row.view(plans, images);
    ServiceDetail {
        id: view.id,
        name: view.name,
        isv_name,
        category: view.category,
        service_type: view.service_type,
        description: view.description,
        terminals: view.terminals,
        plans: view.plans,
        max_order_period_days: view.max_order_period_days,
        subscriber_restriction: view.subscriber_restriction,
        needs_acceptance: view.needs_acceptance,
        preview_url: view.preview_url,
        images: view.images,
        published_at: view.published_at.unwrap_or(view.updated_at),
        order_path: order_path(view.id),
    }
}
