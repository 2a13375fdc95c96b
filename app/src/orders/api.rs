//! The Orders server functions: public endpoints under `/api/orders/…` (the ISV console),
//! `/api/service_orders/…` (the merchant) and `/api/review/…` (platform reviewers). Each first
//! establishes who is calling ([`crate::auth::current_account`]) and what it may touch (see
//! [`super::flows`]), then hands over to the flows. All take URL-encoded forms.
//!
//! Who may call what:
//! - `orders/…`: members of the ISV workspace ([`AppError::NotFound`] for anyone else, and for
//!   another workspace's order); every member reads and exports; Owner and Admins Accept, Reject
//!   and Cancel; Developers too may Submit ([`AppError::Fields`] on `form` otherwise);
//! - `service_orders/…`: merchant accounts, on their own orders and authorizations;
//! - `review/…`: platform reviewers ([`AppError::Forbidden`] for others).
//!
//! An action sends the `expected_version` its page showed; an order that changed meanwhile (a
//! stale page, a second click, the other side acting first) is refused on `form` with its
//! current status, and so is every step the transition table refuses, with the table's reason.
//! Pages poll `…/changes` (every [`super::POLL_INTERVAL_MS`]) and reload when the stamp moves.

use super::{
    ActionDone, AuditQueue, AuthorizationView, ChangeStamp, OrderDetail, OrderListPage,
    SandboxClock,
};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn action_of(code: &str) -> Result<crate::domain::Action, AppError> {
    crate::domain::Action::parse(code.trim()).map_err(|_| {
        AppError::Fields(crate::auth::FieldErrors::one(
            super::field::ACTION,
            super::OrdersText::ActionUnknown,
        ))
    })
}

#[cfg(feature = "ssr")]
fn query_of(
    status: Option<String>,
    q: Option<String>,
    after: Option<String>,
) -> Result<super::OrderQuery, AppError> {
    super::OrderQuery::parse(
        status.as_deref().unwrap_or(""),
        q.as_deref().unwrap_or(""),
        after.as_deref().unwrap_or(""),
    )
    .map_err(AppError::Fields)
}

// ---- the ISV console ----

/// Service Management > Orders: a page of the workspace's orders, newest first, each with its
/// next deadline and the actions the caller may take. `status` filters (a status code, or
/// empty / `all`), `q` searches order numbers (all 24 digits, or the first ones), `after` is
/// the page (the previous page's `next_after`). Errors: [`AppError::Fields`] on `status`, `q`
/// or `after`.
#[server(prefix = "/api", endpoint = "orders/list")]
pub async fn isv_orders(
    workspace_id: i64,
    status: Option<String>,
    q: Option<String>,
    after: Option<String>,
) -> Result<OrderListPage, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            let viewer = super::flows::isv_viewer(&state, &account, workspace_id).await?;
            let query = query_of(status, q, after)?;
            super::flows::list(&state, viewer, &query).await
        }
        .await,
    )
}

/// An order's detail page: everything about it, its timeline, submissions, refund, next
/// deadline and the actions for the upper-right corner.
#[server(prefix = "/api", endpoint = "orders/detail")]
pub async fn isv_order(workspace_id: i64, order_no: String) -> Result<OrderDetail, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            let viewer = super::flows::isv_viewer(&state, &account, workspace_id).await?;
            let id = super::flows::order_id_of(&state, viewer, &order_no).await?;
            super::flows::detail(&state, viewer, id).await
        }
        .await,
    )
}

/// Accept, Reject (`reason` optional) or Cancel (`reason` optional) an order, as the page at
/// `expected_version` showed it. Accept answers with the notice to pop up.
#[server(prefix = "/api", endpoint = "orders/act")]
pub async fn isv_act(
    workspace_id: i64,
    order_no: String,
    action: String,
    expected_version: i64,
    reason: Option<String>,
) -> Result<ActionDone, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            let viewer = super::flows::isv_viewer(&state, &account, workspace_id).await?;
            let action = action_of(&action)?;
            let reason = reason.unwrap_or_default();
            super::flows::act(&state, viewer, &order_no, action, expected_version, &reason).await
        }
        .await,
    )
}

/// Submit: the approval request with the built version's number (`1.0.2`) and notes. The
/// version waits for the platform audit (or passes at once where the platform is so
/// configured). Errors: [`AppError::Fields`] on `version_number`, `notes` or `form`.
#[server(prefix = "/api", endpoint = "orders/submit")]
pub async fn isv_submit(
    workspace_id: i64,
    order_no: String,
    expected_version: i64,
    version_number: String,
    notes: Option<String>,
) -> Result<ActionDone, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            let viewer = super::flows::isv_viewer(&state, &account, workspace_id).await?;
            let notes = notes.unwrap_or_default();
            super::flows::submit(
                &state,
                viewer,
                &order_no,
                expected_version,
                &version_number,
                &notes,
            )
            .await
        }
        .await,
    )
}

/// The workspace's change stamp, for the Orders pages to poll.
#[server(prefix = "/api", endpoint = "orders/changes")]
pub async fn isv_changes(workspace_id: i64) -> Result<ChangeStamp, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            let viewer = super::flows::isv_viewer(&state, &account, workspace_id).await?;
            super::flows::stamp(&state, viewer).await
        }
        .await,
    )
}

// ---- the merchant ----

/// Service Orders: a page of the merchant's orders (same `status`, `q`, `after` as the console).
#[server(prefix = "/api", endpoint = "service_orders/list")]
pub async fn merchant_orders(
    status: Option<String>,
    q: Option<String>,
    after: Option<String>,
) -> Result<OrderListPage, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            let viewer = super::flows::merchant_viewer(&state, &account).await?;
            let query = query_of(status, q, after)?;
            super::flows::list(&state, viewer, &query).await
        }
        .await,
    )
}

/// One of the merchant's orders, with its timeline and actions.
#[server(prefix = "/api", endpoint = "service_orders/detail")]
pub async fn merchant_order(order_no: String) -> Result<OrderDetail, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            let viewer = super::flows::merchant_viewer(&state, &account).await?;
            let id = super::flows::order_id_of(&state, viewer, &order_no).await?;
            super::flows::detail(&state, viewer, id).await
        }
        .await,
    )
}

/// Confirm or Reject (Pending Confirmation), Approve or Reject (Under Approval), Refund (申请退款,
/// In Development or Under Approval), or Pay (the cashier's payment), as the page at
/// `expected_version` showed the order.
#[server(prefix = "/api", endpoint = "service_orders/act")]
pub async fn merchant_act(
    order_no: String,
    action: String,
    expected_version: i64,
    reason: Option<String>,
) -> Result<ActionDone, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            let viewer = super::flows::merchant_viewer(&state, &account).await?;
            let action = action_of(&action)?;
            if action == crate::domain::Action::Pay {
                return super::flows::pay(&state, &account, viewer, &order_no).await;
            }
            let reason = reason.unwrap_or_default();
            super::flows::act(&state, viewer, &order_no, action, expected_version, &reason).await
        }
        .await,
    )
}

/// The merchant's change stamp, for Service Orders to poll.
#[server(prefix = "/api", endpoint = "service_orders/changes")]
pub async fn merchant_changes() -> Result<ChangeStamp, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            let viewer = super::flows::merchant_viewer(&state, &account).await?;
            super::flows::stamp(&state, viewer).await
        }
        .await,
    )
}

/// 应用授权: the merchant's authorizations of its mini programs to ISVs, newest first.
#[server(prefix = "/api", endpoint = "service_orders/authorizations")]
pub async fn authorizations() -> Result<Vec<AuthorizationView>, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            let viewer = super::flows::merchant_viewer(&state, &account).await?;
            super::authorizations::list(&state, viewer.side().workspace()).await
        }
        .await,
    )
}

/// 取消授权: the ISV's token for the mini program stops working. Answers the list again.
#[server(prefix = "/api", endpoint = "service_orders/cancel_authorization")]
pub async fn cancel_authorization(
    authorization_id: i64,
) -> Result<Vec<AuthorizationView>, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            let viewer = super::flows::merchant_viewer(&state, &account).await?;
            super::authorizations::cancel(&state, viewer.side().workspace(), authorization_id).await
        }
        .await,
    )
}

// ---- the platform ----

/// The version audit queue, oldest first, and whether audits pass automatically.
#[server(prefix = "/api", endpoint = "review/version_audits")]
pub async fn version_audits() -> Result<AuditQueue, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::audit::queue(&state, &account).await
        }
        .await,
    )
}

/// Passes a submitted version: its order moves to Under Approval.
#[server(prefix = "/api", endpoint = "review/pass_version")]
pub async fn pass_version(version_id: i64) -> Result<AuditQueue, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::audit::review(&state, &account, version_id, true, "").await
        }
        .await,
    )
}

/// Rejects a submitted version with a `reason` (required) the ISV sees; the order stays In
/// Development.
#[server(prefix = "/api", endpoint = "review/reject_version")]
pub async fn reject_version(version_id: i64, reason: String) -> Result<AuditQueue, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::audit::review(&state, &account, version_id, false, &reason).await
        }
        .await,
    )
}

/// Turns the automatic pass of submitted versions on or off.
#[server(prefix = "/api", endpoint = "review/set_auto_audit")]
pub async fn set_auto_audit(auto_pass: bool) -> Result<AuditQueue, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            super::audit::set_auto_pass(&state, &account, auto_pass).await
        }
        .await,
    )
}

/// The platform clock, and whether the sandbox lets it be moved.
#[server(prefix = "/api", endpoint = "review/sandbox_clock")]
pub async fn platform_clock() -> Result<SandboxClock, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            crate::timers::sandbox::clock(&state, &account).await
        }
        .await,
    )
}

/// Sandbox mode only: moves the platform clock forward by `days`, `hours` and `minutes`
/// (together 1 minute to 400 days) and wakes the deadline worker. Errors: [`AppError::Fields`]
/// on `form` outside sandbox mode, on `days` for a step out of range.
#[server(prefix = "/api", endpoint = "review/advance_clock")]
pub async fn advance_clock(
    days: Option<i64>,
    hours: Option<i64>,
    minutes: Option<i64>,
) -> Result<SandboxClock, AppError> {
    crate::error::with_status(
        async {
            let account = crate::auth::current_account().await?;
            let state = crate::state::app_state()?;
            crate::timers::sandbox::advance(
                &state,
                &account,
                days.unwrap_or(0),
                hours.unwrap_or(0),
                minutes.unwrap_or(0),
            )
            .await
        }
        .await,
    )
}
