//! The Orders flows as plain async functions: who the caller is to an order ([`Viewer`]), the
//! lists, the detail, and the actions. The server functions in [`super::api`] establish the
//! caller and call these; tests and the CSV export call them too.
//!
//! **Acting on an order.** Every action runs in one transaction that first locks the order
//! ([`data::lock_order`]), then reads it as it is now, refuses a page that was out of date
//! (the `expected_version` it sends is not the order's version: a stale page, a second click),
//! asks the transition table ([`domain::apply_action`]) and lets
//! [`lifecycle::apply`] persist the outcome. Two racing actions on one order therefore run one
//! after the other, and the second is refused with the reason, on SQLite and PostgreSQL alike.
//!
//! **Who may act.** In an ISV workspace every member sees the orders and exports them; the Owner
//! and Admins Accept, Reject and Cancel (commercial decisions); Developers also Submit (they
//! build the version). On the merchant side, the merchant account acts on its own orders.
//! Another workspace's order is [`AppError::NotFound`], as if it did not exist.

use super::data::{self, DetailRow, EventRow, Side};
use super::rules::{self, OrderQuery};
use super::{
    field, ActionButton, ActionDone, ChangeStamp, OrderDetail, OrderListItem, OrderListPage,
    OrdersText, RefundView, StatusOption, SubmissionView, TimelineEntry, PAGE_SIZE,
};
use crate::auth::{Account, BiText, FieldErrors, Role};
use crate::clock::UnixMillis;
use crate::domain::{self, Action, Actor, CancelCause, Effect, OrderNo, OrderStatus, Outcome};
use crate::error::AppError;
use crate::onboarding::flows::member_of;
use crate::onboarding::{MemberRole, WorkspaceKind};
use crate::ordering::data::{self as order_data, OrderRow};
use crate::ordering::lifecycle::{self, By, Details};
use crate::ordering::VersionStatus;
use crate::services::{split_codes, Terminal};
use crate::state::AppState;
use sqlx::{Any, Transaction};

/// Who is looking at orders, and from which side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer {
    Isv {
        workspace_id: i64,
        role: MemberRole,
        account_id: i64,
    },
    Merchant {
        workspace_id: i64,
        account_id: i64,
    },
}

impl Viewer {
    pub fn side(self) -> Side {
        match self {
            Viewer::Isv { workspace_id, .. } => Side::Isv(workspace_id),
            Viewer::Merchant { workspace_id, .. } => Side::Merchant(workspace_id),
        }
    }

    pub fn actor(self) -> Actor {
        match self {
            Viewer::Isv { .. } => Actor::Isv,
            Viewer::Merchant { .. } => Actor::Merchant,
        }
    }

    fn by(self) -> By {
        let account_id = match self {
            Viewer::Isv { account_id, .. } | Viewer::Merchant { account_id, .. } => account_id,
        };
        By {
            actor: self.actor(),
            account_id: Some(account_id),
        }
    }

    /// Whether the viewer's role lets it take `action` (the table decides the rest).
    pub fn may(self, action: Action) -> bool {
        match self {
            Viewer::Isv { role, .. } => {
                action == Action::Submit || matches!(role, MemberRole::Owner | MemberRole::Admin)
            }
            Viewer::Merchant { .. } => true,
        }
    }

    /// The buttons for the actions the table allows this viewer on an order now.
    pub fn buttons(
        self,
        status: OrderStatus,
        facts: &domain::OrderFacts,
        order_no: &OrderNo,
    ) -> Vec<ActionButton> {
        domain::allowed_actions(status, self.actor(), facts)
            .into_iter()
            .filter(|&action| self.may(action))
            .map(|action| rules::button(action, order_no))
            .collect()
    }
}

/// A member of an ISV workspace: [`AppError::NotFound`] for anyone else, [`AppError::Forbidden`]
/// for a merchant workspace.
pub async fn isv_viewer(
    state: &AppState,
    account: &Account,
    workspace_id: i64,
) -> Result<Viewer, AppError> {
    let workspace = member_of(state, account, workspace_id).await?;
    if workspace.kind != WorkspaceKind::Isv {
        return Err(AppError::Forbidden);
    }
    Ok(Viewer::Isv {
        workspace_id,
        role: workspace.my_role,
        account_id: account.id,
    })
}

/// A merchant account's workspace: [`AppError::Forbidden`] for other accounts, a field error
/// on `merchant` before merchant onboarding.
pub async fn merchant_viewer(state: &AppState, account: &Account) -> Result<Viewer, AppError> {
    if account.role != Some(Role::Merchant) {
        return Err(AppError::Forbidden);
    }
    let merchant = order_data::merchant_of(state.db.pool(), account.id)
        .await?
        .ok_or_else(|| {
            AppError::Fields(FieldErrors::one(
                crate::ordering::field::MERCHANT,
                crate::ordering::OrderingText::MerchantOnboardingRequired,
            ))
        })?;
    Ok(Viewer::Merchant {
        workspace_id: merchant.workspace_id,
        account_id: account.id,
    })
}

fn form_error(text: impl Into<BiText>) -> AppError {
    AppError::Fields(FieldErrors::one(field::FORM, text))
}

fn refused(refusal: &domain::Refusal) -> AppError {
    form_error(BiText::new(refusal.message_en(), refusal.message_zh()))
}

fn stale(status: OrderStatus) -> AppError {
    form_error(BiText::new(
        format!(
            "This order has changed since the page was loaded: it is now {}. Reload the page to see what can be done.",
            status.label_en()
        ),
        format!(
            "该订单在页面加载后已发生变化，当前状态为“{}”。请刷新页面后再操作。",
            status.label_zh()
        ),
    ))
}

// ---- lists ----

/// One page of the viewer's orders with the filter, search and page of `query`.
pub async fn list(
    state: &AppState,
    viewer: Viewer,
    query: &OrderQuery,
) -> Result<OrderListPage, AppError> {
    let now = state.clock.now();
    let side = viewer.side();
    // Read first: a change made while the rows are read shows as a newer stamp at the next poll.
    let stamp = data::stamp(state.db.pool(), side).await?;
    // One row more than a page says whether there is a next one.
    let mut rows = data::list(state.db.pool(), side, query, PAGE_SIZE + 1).await?;
    let has_more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let next_after = rows
        .last()
        .filter(|_| has_more)
        .map(|row| row.cursor().text());
    Ok(OrderListPage {
        orders: rows.iter().map(|row| list_item(viewer, row, now)).collect(),
        next_after,
        status: query.status,
        q: query.q.clone(),
        statuses: StatusOption::all(),
        now,
        stamp,
        csv_path: match viewer {
            Viewer::Isv { workspace_id, .. } => Some(csv_path(workspace_id, query)),
            Viewer::Merchant { .. } => None,
        },
    })
}

/// The CSV export of the list as filtered and searched (status codes and digits need no
/// escaping in a URL).
fn csv_path(workspace_id: i64, query: &OrderQuery) -> String {
    let mut params = Vec::new();
    if let Some(status) = query.status {
        params.push(format!("status={status}"));
    }
    if !query.q.is_empty() {
        params.push(format!("q={}", query.q));
    }
    let path = super::isv_orders_csv_path(workspace_id);
    if params.is_empty() {
        path
    } else {
        format!("{path}?{}", params.join("&"))
    }
}

fn list_item(viewer: Viewer, row: &data::ListRow, now: UnixMillis) -> OrderListItem {
    let order_no = row.order_no();
    let status = row.status();
    OrderListItem {
        actions: viewer.buttons(status, &row.facts(now), &order_no),
        order_no,
        version: row.version,
        service_id: row.service_id,
        service_name: row.service_name.clone(),
        isv_name: row.isv_name.clone(),
        merchant_name: row.merchant_name.clone(),
        mini_program_name: row.mini_program_name.clone(),
        app_id: row.app_id(),
        amount: row.amount(),
        status,
        status_label: status.into(),
        cancel_cause: row.cancel_cause(),
        created_at: row.created_at,
        updated_at: row.updated_at,
        next_deadline: row.deadline(),
    }
}

/// The viewer's change stamp: a page reloads its data when it differs from the one it has.
pub async fn stamp(state: &AppState, viewer: Viewer) -> Result<ChangeStamp, AppError> {
    Ok(ChangeStamp {
        stamp: data::stamp(state.db.pool(), viewer.side()).await?,
        now: state.clock.now(),
    })
}

// ---- the detail ----

/// The id of one of the viewer's orders by its number; [`AppError::NotFound`] for an unknown
/// number or another workspace's order.
pub async fn order_id_of(
    state: &AppState,
    viewer: Viewer,
    order_no: &str,
) -> Result<i64, AppError> {
    let order_no = OrderNo::parse(order_no).map_err(|_| AppError::NotFound)?;
    let (id, isv, merchant) = data::order_owners(state.db.pool(), &order_no)
        .await?
        .ok_or(AppError::NotFound)?;
    let owner = match viewer.side() {
        Side::Isv(workspace_id) => isv == workspace_id,
        Side::Merchant(workspace_id) => merchant == workspace_id,
    };
    if owner {
        Ok(id)
    } else {
        Err(AppError::NotFound)
    }
}

/// Everything about one of the viewer's orders.
pub async fn detail(
    state: &AppState,
    viewer: Viewer,
    order_id: i64,
) -> Result<OrderDetail, AppError> {
    let pool = state.db.pool();
    let row = data::detail(pool, order_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // Read first: a change made while the rest is read shows as a newer stamp at the next poll.
    let stamp = data::stamp(pool, viewer.side()).await?;
    let events = data::timeline(pool, order_id).await?;
    let refund = data::refund(pool, order_id).await?;
    let submissions = data::submissions(pool, order_id).await?;
    let now = state.clock.now();
    let status = row.status();
    let order_no = row.order_no();
    let timeline = events
        .iter()
        .map(|event| timeline_entry(viewer, &row, event))
        .collect();
    Ok(OrderDetail {
        actions: viewer.buttons(status, &row.facts(now), &order_no),
        version: row.version,
        service_id: row.service_id,
        service_name: row.service_name.clone(),
        isv_workspace_id: row.isv_workspace_id,
        isv_name: row.isv_name.clone(),
        merchant_name: row.merchant_name.clone(),
        mini_program_name: row.mini_program_name.clone(),
        app_id: row.app_id(),
        terminals: split_codes(&row.terminals, Terminal::from_code),
        contact_name: row.contact_name.clone(),
        contact_mobile: row.contact_mobile.clone(),
        period_days: row.period_days,
        amount: domain::Money::from_cents(row.amount_cents).unwrap_or(domain::Money::ZERO),
        status,
        status_label: status.into(),
        cancel_cause: row.cancel_cause(),
        cancel_cause_label: row.cancel_cause().map(BiText::from),
        needs_acceptance: row.needs_acceptance != 0,
        created_at: row.created_at,
        updated_at: row.updated_at,
        paid_at: row.paid_at,
        service_start_at: row.service_start_at,
        service_end_at: row.service_end_at,
        renewal_of: row.renewal_of(),
        next_deadline: row.deadline(),
        audit_pending: row.audit_pending != 0,
        submissions: submissions
            .into_iter()
            .map(|version| submission_view(&row, version))
            .collect(),
        refund: refund.and_then(|(amount_cents, at, cause)| {
            let cause = CancelCause::parse(&cause).ok()?;
            Some(RefundView {
                amount: domain::Money::from_cents(amount_cents).ok()?,
                at,
                cause,
                cause_label: cause.into(),
            })
        }),
        refund_note: (status == OrderStatus::Completed
            && matches!(viewer, Viewer::Merchant { .. }))
        .then(|| OrdersText::NoOnlineRefund.into()),
        timeline,
        order_no,
        now,
        stamp,
    })
}

fn submission_view(order: &DetailRow, row: data::SubmissionRow) -> SubmissionView {
    let status = VersionStatus::from_code(&row.status).unwrap_or(VersionStatus::Building);
    SubmissionView {
        pending: order.audit_pending != 0 && order.submitted_version_id == Some(row.id),
        version_id: row.id,
        version: row.version,
        notes: row.notes,
        status,
        status_label: status.into(),
        audit_reason: row.audit_reason,
        audited_at: row.audited_at,
        created_at: row.created_at,
    }
}

/// One timeline step as the viewer sees it: the parties by name, a member's username only to
/// its own side, the platform's reviewers never by name.
fn timeline_entry(viewer: Viewer, order: &DetailRow, event: &EventRow) -> TimelineEntry {
    let actor = Actor::parse(&event.actor_kind).unwrap_or(Actor::Platform);
    let timer = domain::Timer::parse(&event.action).ok();
    let what: BiText = match (Action::parse(&event.action), timer) {
        (Ok(action), _) => action.into(),
        (Err(_), Some(timer)) => timer.into(),
        (Err(_), None) => BiText::new(event.action.clone(), event.action.clone()),
    };
    let who: BiText = match actor {
        Actor::Isv => BiText::new(order.isv_name.clone(), order.isv_name.clone()),
        Actor::Merchant => BiText::new(order.merchant_name.clone(), order.merchant_name.clone()),
        Actor::Platform if event.actor_account_id.is_none() => OrdersText::AutomaticAudit.into(),
        Actor::Platform => OrdersText::PlatformAudit.into(),
        Actor::Timer => timer.map_or_else(|| Actor::Timer.into(), BiText::from),
    };
    let to_status = OrderStatus::parse(&event.to_status).unwrap_or(OrderStatus::New);
    TimelineEntry {
        at: event.at,
        actor,
        who,
        username: event.username.clone().filter(|_| actor == viewer.actor()),
        what,
        from_status: event
            .from_status
            .as_deref()
            .and_then(|code| OrderStatus::parse(code).ok()),
        to_status,
        to_label: to_status.into(),
        reason: event.reason.clone(),
    }
}

// ---- actions ----

/// An order locked and read inside a transaction, with what the table decided.
pub struct Decided {
    pub order: OrderRow,
    pub outcome: Outcome,
}

/// Locks the order, checks that it is still at `expected_version` (when given), and asks the
/// table whether `actor` may take `action` now. Nothing is written but the lock.
pub async fn decide(
    tx: &mut Transaction<'_, Any>,
    order_id: i64,
    expected_version: Option<i64>,
    action: Action,
    actor: Actor,
    now: UnixMillis,
) -> Result<Decided, AppError> {
    if !data::lock_order(&mut **tx, order_id).await? {
        return Err(AppError::NotFound);
    }
    let order = order_data::order(&mut **tx, order_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if expected_version.is_some_and(|expected| expected != order.version) {
        return Err(stale(order.status()));
    }
    let due = order_data::live_deadline(&mut **tx, order_id).await?;
    let facts = order.facts(due.is_some_and(|due| due <= now));
    let outcome =
        domain::apply_action(order.status(), action, actor, &facts).map_err(|r| refused(&r))?;
    Ok(Decided { order, outcome })
}

/// Persists a decided step; the order is locked, so it cannot have moved meanwhile.
pub async fn persist(
    tx: &mut Transaction<'_, Any>,
    decided: &Decided,
    by: By,
    details: &Details<'_>,
    now: UnixMillis,
) -> Result<(), AppError> {
    if lifecycle::apply(tx, &decided.order, &decided.outcome, by, details, now).await? {
        Ok(())
    } else {
        Err(stale(decided.order.status()))
    }
}

/// The viewer takes `action` (not Submit, which carries a version, nor Pay, which is the
/// cashier's) on one of its orders, as the page at `expected_version` showed it.
pub async fn act(
    state: &AppState,
    viewer: Viewer,
    order_no: &str,
    action: Action,
    expected_version: i64,
    reason: &str,
) -> Result<ActionDone, AppError> {
    let order_id = order_id_of(state, viewer, order_no).await?;
    if !viewer.may(action) {
        return Err(form_error(OrdersText::ManagersOnly));
    }
    let reason = rules::reason_for(action, reason).map_err(AppError::Fields)?;
    if matches!(action, Action::Submit | Action::Pay | Action::PlaceOrder) {
        return Err(AppError::Fields(FieldErrors::one(
            field::ACTION,
            OrdersText::ActionUnknown,
        )));
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let decided = decide(
        &mut tx,
        order_id,
        Some(expected_version),
        action,
        viewer.actor(),
        now,
    )
    .await?;
    let details = Details {
        reason: reason.as_deref(),
        submitted_version_id: None,
    };
    persist(&mut tx, &decided, viewer.by(), &details, now).await?;
    tx.commit().await?;
    done(state, viewer, order_id, &decided.outcome).await
}

/// The answer to an action: the order now, and the pop-up its effects ask for.
pub async fn done(
    state: &AppState,
    viewer: Viewer,
    order_id: i64,
    outcome: &Outcome,
) -> Result<ActionDone, AppError> {
    let notice = outcome
        .effects
        .contains(&Effect::ShowAcceptedNotice)
        .then(|| OrdersText::AcceptedNotice.into());
    Ok(ActionDone {
        order: detail(state, viewer, order_id).await?,
        notice,
    })
}

/// Submit: the ISV sends the built version (its number and notes) for approval. The version
/// is recorded for the order's mini program (a new row, or the order's own uploaded or
/// audit-rejected row of that number) and waits for the platform audit; where the platform
/// passes audits automatically, the order moves on to Under Approval in the same transaction.
pub async fn submit(
    state: &AppState,
    viewer: Viewer,
    order_no: &str,
    expected_version: i64,
    version_number: &str,
    notes: &str,
) -> Result<ActionDone, AppError> {
    let order_id = order_id_of(state, viewer, order_no).await?;
    let mut errors = FieldErrors::new();
    let version_number = rules::check_version_number(version_number)
        .map_err(|text| errors.push(field::VERSION_NUMBER, text))
        .ok();
    let notes = rules::check_notes(notes)
        .map_err(|text| errors.push(field::NOTES, text))
        .ok();
    let (Some(version_number), Some(notes), true) = (version_number, notes, errors.is_empty())
    else {
        return Err(AppError::Fields(errors));
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let decided = decide(
        &mut tx,
        order_id,
        Some(expected_version),
        Action::Submit,
        Actor::Isv,
        now,
    )
    .await?;
    let version_id =
        submitted_version(&mut tx, &decided.order, &version_number, &notes, now).await?;
    let details = Details {
        reason: None,
        submitted_version_id: Some(version_id),
    };
    persist(&mut tx, &decided, viewer.by(), &details, now).await?;
    if super::audit::auto_pass(&mut *tx).await? {
        super::audit::pass_in(&mut tx, order_id, version_id, None, now).await?;
    }
    tx.commit().await?;
    done(state, viewer, order_id, &decided.outcome).await
}

/// The version row a submission names: the order's own row of that number when it is not
/// in audit or past it, else a new row; another order's (or an audited) version of that number
/// is refused.
async fn submitted_version(
    tx: &mut Transaction<'_, Any>,
    order: &OrderRow,
    version_number: &str,
    notes: &str,
    now: UnixMillis,
) -> Result<i64, AppError> {
    let existing =
        data::version_by_number(&mut **tx, order.mini_program_id, version_number).await?;
    match existing {
        None => Ok(data::insert_version(
            &mut **tx,
            order.mini_program_id,
            order.id,
            version_number,
            notes,
            now,
        )
        .await?),
        Some((id, built_by, status))
            if built_by == Some(order.id)
                && matches!(
                    VersionStatus::from_code(&status),
                    Some(VersionStatus::Building | VersionStatus::AuditRejected)
                ) =>
        {
            data::renote_version(&mut **tx, id, notes).await?;
            Ok(id)
        }
        Some(_) => Err(AppError::Fields(FieldErrors::one(
            field::VERSION_NUMBER,
            OrdersText::VersionTaken,
        ))),
    }
}

/// Pay from Service Orders: the cashier's own path ([`crate::ordering::flows::pay`]), then the
/// order as the list shows it.
pub async fn pay(
    state: &AppState,
    account: &Account,
    viewer: Viewer,
    order_no: &str,
) -> Result<ActionDone, AppError> {
    let order_id = order_id_of(state, viewer, order_no).await?;
    crate::ordering::flows::pay(state, account, order_no).await?;
    Ok(ActionDone {
        order: detail(state, viewer, order_id).await?,
        notice: None,
    })
}
