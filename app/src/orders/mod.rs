//! Orders after they are placed (PRODUCT.md §3, seeds 000, 001 §7-8, 002): the ISV console's
//! Service Management > Orders (list, filter, search, detail with timeline, Accept / Reject /
//! Submit / Cancel), the merchant's Service Orders (Confirm / Reject, Pay, Approve / Reject,
//! 申请退款), the reviewer's version audit queue, the merchant's 应用授权 page, the sandbox clock,
//! and the CSV export of a filtered list.
//!
//! Every status change asks the transition table ([`crate::domain::apply_action`]) and is
//! persisted by [`crate::ordering::lifecycle::apply`]; the buttons each order shows are the
//! table's [`crate::domain::allowed_actions`] for the caller, turned into [`ActionButton`]s, so a
//! page draws them from data.
//!
//! Shared with the browser: the wire types below, the input rules ([`rules`]) and the server
//! functions' client side ([`api`]). Server only: the queries ([`data`]), the flows
//! ([`flows`]), the audit ([`audit`]), the authorizations ([`authorizations`]) and the CSV
//! export ([`csv`]).

pub mod api;
pub mod rules;

#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod authorizations;
#[cfg(feature = "ssr")]
pub mod csv;
#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod flows;

pub use rules::{Cursor, OrderQuery, SearchRange};

use crate::auth::BiText;
use crate::domain::{Action, Actor, AppId, CancelCause, Money, OrderNo, OrderStatus, Timer};
use crate::i18n::Bilingual;
use crate::ordering::VersionStatus;
use crate::services::Terminal;
use serde::{Deserialize, Serialize};

/// Rows per page of the Orders lists.
pub const PAGE_SIZE: i64 = 20;
/// How often the Orders pages ask whether anything changed ([`ChangeStamp`]).
pub const POLL_INTERVAL_MS: u32 = 5_000;

/// The field names of the Orders forms.
pub mod field {
    pub const STATUS: &str = "status";
    pub const Q: &str = "q";
    pub const AFTER: &str = "after";
    pub const ACTION: &str = "action";
    pub const REASON: &str = "reason";
    pub const VERSION_NUMBER: &str = "version_number";
    pub const NOTES: &str = "notes";
    pub const DAYS: &str = "days";
    pub const HOURS: &str = "hours";
    pub const FORM: &str = crate::auth::FieldErrors::FORM;
}

/// The console's order list, as a page of the URL: `/console/workspaces/{id}/orders`.
pub fn isv_orders_path(workspace_id: i64) -> String {
    format!("/console/workspaces/{workspace_id}/orders")
}

/// The console's order detail page.
pub fn isv_order_path(workspace_id: i64, order_no: &OrderNo) -> String {
    format!("/console/workspaces/{workspace_id}/orders/{order_no}")
}

/// The merchant's Service Orders list.
pub const MERCHANT_ORDERS_PATH: &str = "/my/orders";

/// The merchant's 应用授权 page.
pub const AUTHORIZATIONS_PATH: &str = "/my/authorizations";

/// The merchant's Service Orders detail page.
pub fn merchant_order_path(order_no: &OrderNo) -> String {
    format!("/my/orders/{order_no}")
}

/// The CSV export of the console's list, with the same filter and search as the page.
pub fn isv_orders_csv_path(workspace_id: i64) -> String {
    format!("/console/workspaces/{workspace_id}/orders.csv")
}

/// A deadline that is running: which timer, when it falls due (the page counts down to it),
/// and what happens then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineView {
    pub timer: Timer,
    pub due_at: i64,
    /// The timer's name ("payment deadline (3 days)").
    pub label: BiText,
    /// What happens when it falls due ("the order is canceled").
    pub then: BiText,
}

impl DeadlineView {
    pub fn new(timer: Timer, due_at: i64) -> DeadlineView {
        DeadlineView {
            timer,
            due_at,
            label: timer.into(),
            then: OrdersText::when_due(timer).into(),
        }
    }
}

/// How a page asks for an action before sending it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActionForm {
    /// Send at once (Accept, Confirm, Approve), after the confirmation text if there is one.
    Direct { confirm: Option<BiText> },
    /// A pop-up with an optional reason and the button that sends it (Reject → "Reject",
    /// Cancel → "Confirm").
    Reason {
        title: BiText,
        placeholder: BiText,
        submit_label: BiText,
    },
    /// The approval request: the built version's number and notes.
    Submit { title: BiText, submit_label: BiText },
    /// Pay happens at the cashier.
    Cashier { path: String },
}

/// A button an order shows its viewer now: the table allows this action to this caller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionButton {
    pub action: Action,
    pub label: BiText,
    pub form: ActionForm,
    /// Shown in red: it ends the order or sends it back.
    pub destructive: bool,
}

/// One row of an Orders list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderListItem {
    pub order_no: OrderNo,
    /// Sent back with an action, so a page that is out of date is refused.
    pub version: i64,
    pub service_id: i64,
    pub service_name: String,
    pub isv_name: String,
    pub merchant_name: String,
    pub mini_program_name: String,
    pub app_id: AppId,
    pub amount: Money,
    pub status: OrderStatus,
    pub status_label: BiText,
    pub cancel_cause: Option<CancelCause>,
    pub created_at: i64,
    pub updated_at: i64,
    pub next_deadline: Option<DeadlineView>,
    pub actions: Vec<ActionButton>,
}

/// A page of an Orders list, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderListPage {
    pub orders: Vec<OrderListItem>,
    /// The `after` of the next page, when there is one.
    pub next_after: Option<String>,
    /// The filter the page shows, as read from the URL.
    pub status: Option<OrderStatus>,
    pub q: String,
    /// Every status with its label, for the filter.
    pub statuses: Vec<StatusOption>,
    /// The platform's time now (the countdowns count from it; the sandbox may have moved it).
    pub now: i64,
    /// The change stamp when the page was read ([`ChangeStamp`]).
    pub stamp: String,
    /// The CSV export of this filter (ISV console only).
    pub csv_path: Option<String>,
}

/// One choice of the status filter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusOption {
    pub status: OrderStatus,
    pub label: BiText,
}

impl StatusOption {
    pub fn all() -> Vec<StatusOption> {
        OrderStatus::ALL
            .iter()
            .map(|&status| StatusOption {
                status,
                label: status.into(),
            })
            .collect()
    }
}

/// One step of an order's timeline: who (or which timer), what, when, why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: i64,
    pub actor: Actor,
    /// The party: the ISV's or the merchant's name, the platform audit, or the timer.
    pub who: BiText,
    /// The member's username, shown only to the same side (an ISV sees its own members).
    pub username: Option<String>,
    pub what: BiText,
    pub from_status: Option<OrderStatus>,
    pub to_status: OrderStatus,
    pub to_label: BiText,
    pub reason: Option<String>,
}

/// The money given back when an order was canceled after payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefundView {
    pub amount: Money,
    pub at: i64,
    pub cause: CancelCause,
    pub cause_label: BiText,
}

/// A version the ISV submitted for this order, with the platform's audit of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionView {
    pub version_id: i64,
    pub version: String,
    pub notes: String,
    pub status: VersionStatus,
    pub status_label: BiText,
    /// Why the audit rejected it.
    pub audit_reason: Option<String>,
    pub audited_at: Option<i64>,
    pub created_at: i64,
    /// The version now waiting for the audit.
    pub pending: bool,
}

/// Everything about one order, for its detail page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDetail {
    pub order_no: OrderNo,
    pub version: i64,
    pub service_id: i64,
    pub service_name: String,
    pub isv_workspace_id: i64,
    pub isv_name: String,
    pub merchant_name: String,
    pub mini_program_name: String,
    pub app_id: AppId,
    pub terminals: Vec<Terminal>,
    pub contact_name: String,
    pub contact_mobile: String,
    pub period_days: i64,
    pub amount: Money,
    pub status: OrderStatus,
    pub status_label: BiText,
    pub cancel_cause: Option<CancelCause>,
    pub cancel_cause_label: Option<BiText>,
    pub needs_acceptance: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub paid_at: Option<i64>,
    pub service_start_at: Option<i64>,
    pub service_end_at: Option<i64>,
    pub renewal_of: Option<OrderNo>,
    pub next_deadline: Option<DeadlineView>,
    /// Whether a submitted version is waiting for the platform audit.
    pub audit_pending: bool,
    pub submissions: Vec<SubmissionView>,
    pub refund: Option<RefundView>,
    /// Why no online refund is possible (a Completed order), for the merchant.
    pub refund_note: Option<BiText>,
    pub timeline: Vec<TimelineEntry>,
    pub actions: Vec<ActionButton>,
    /// The platform's time now.
    pub now: i64,
    /// The viewer's change stamp when the order was read ([`ChangeStamp`]): the page fetches
    /// the order again once the polled stamp differs from it.
    pub stamp: String,
}

/// The answer to an action: the order as it is now, and the pop-up to show (Accept's "wait
/// for the merchant to confirm").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionDone {
    pub order: OrderDetail,
    pub notice: Option<BiText>,
}

/// What an Orders page polls: it reloads its data when `stamp` differs from the one it has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeStamp {
    /// Changes with every change to any of the caller's orders (a new order, any transition);
    /// compare it for equality only.
    pub stamp: String,
    /// The platform's time now, to keep the countdowns in step with a moved sandbox clock.
    pub now: i64,
}

/// A version waiting in the reviewer's audit queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditItem {
    pub version_id: i64,
    pub version: String,
    pub notes: String,
    pub mini_program_name: String,
    pub app_id: AppId,
    pub order_no: OrderNo,
    pub service_name: String,
    pub isv_name: String,
    pub merchant_name: String,
    pub created_at: i64,
}

/// The reviewer's audit page: the queue and the automatic-pass setting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQueue {
    pub items: Vec<AuditItem>,
    pub auto_pass: bool,
}

/// The platform clock as the sandbox shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxClock {
    /// Whether the server runs in sandbox mode (`SANDBOX=true`): only then can it be moved.
    pub enabled: bool,
    pub now: i64,
    /// How far it has been moved forward in total.
    pub offset_ms: i64,
}

/// Where an authorization of a mini program to an ISV stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorizationStatus {
    Active,
    Expired,
    Cancelled,
}

impl Bilingual for AuthorizationStatus {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            AuthorizationStatus::Active => ("Authorized", "已授权"),
            AuthorizationStatus::Expired => ("Expired", "已过期"),
            AuthorizationStatus::Cancelled => ("Authorization cancelled", "已取消授权"),
        }
    }
}

/// One third-party application authorization on the merchant's 应用授权 page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationView {
    pub id: i64,
    pub mini_program_name: String,
    pub app_id: AppId,
    /// The ISV authorized (its Company Name).
    pub isv_name: String,
    /// The ISV's third-party app, once it has one.
    pub isv_app_id: Option<String>,
    /// The service whose order granted it (none for an authorization made outside an order).
    pub service_name: Option<String>,
    pub auth_time: i64,
    pub expires_at: i64,
    pub cancelled_at: Option<i64>,
    pub status: AuthorizationStatus,
    pub status_label: BiText,
    /// Whether 取消授权 is offered.
    pub cancellable: bool,
}

/// The fixed texts of the Orders pages and their refusals, in English and Chinese.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrdersText {
    AcceptedNotice,
    RejectTitle,
    CancelTitle,
    RefundConfirm,
    ApproveConfirm,
    ConfirmAuthorization,
    ReasonPlaceholder,
    SubmitTitle,
    ConfirmButton,
    SubmitButton,
    WhenUnpaid,
    WhenDevelopmentDue,
    WhenApprovalDue,
    NoOnlineRefund,
    StatusUnknown,
    SearchFormat,
    CursorInvalid,
    ActionUnknown,
    ReasonTooLong,
    ReasonNotTaken,
    VersionNumberFormat,
    NotesTooLong,
    VersionTaken,
    ManagersOnly,
    AuditReasonRequired,
    AuditNotPending,
    SandboxOff,
    AdvanceRange,
    AlreadyCancelled,
    PlatformAudit,
    AutomaticAudit,
}

impl OrdersText {
    fn when_due(timer: Timer) -> OrdersText {
        match timer {
            Timer::UnpaidTimeout => OrdersText::WhenUnpaid,
            Timer::DevelopmentTimeout => OrdersText::WhenDevelopmentDue,
            Timer::ApprovalTimeout => OrdersText::WhenApprovalDue,
        }
    }

    pub const ALL: [OrdersText; 31] = {
        use OrdersText::*;
        [
            AcceptedNotice,
            RejectTitle,
            CancelTitle,
            RefundConfirm,
            ApproveConfirm,
            ConfirmAuthorization,
            ReasonPlaceholder,
            SubmitTitle,
            ConfirmButton,
            SubmitButton,
            WhenUnpaid,
            WhenDevelopmentDue,
            WhenApprovalDue,
            NoOnlineRefund,
            StatusUnknown,
            SearchFormat,
            CursorInvalid,
            ActionUnknown,
            ReasonTooLong,
            ReasonNotTaken,
            VersionNumberFormat,
            NotesTooLong,
            VersionTaken,
            ManagersOnly,
            AuditReasonRequired,
            AuditNotPending,
            SandboxOff,
            AdvanceRange,
            AlreadyCancelled,
            PlatformAudit,
            AutomaticAudit,
        ]
    };
}

impl Bilingual for OrdersText {
    fn labels(self) -> (&'static str, &'static str) {
        use OrdersText::*;
        match self {
            AcceptedNotice => (
                "The order is accepted. Wait for the merchant to confirm the order before you start to develop the mini program on behalf of the merchant.",
                "已接单。请等待商家确认授权后，再为商家开发小程序。",
            ),
            RejectTitle => ("Reject the order", "拒绝订单"),
            CancelTitle => ("Cancel the order", "取消订单"),
            RefundConfirm => (
                "Apply for a refund? The order will be canceled and the amount paid refunded; the service provider does not need to confirm.",
                "确定申请退款？订单将取消并退回已付款项，无需服务商确认。",
            ),
            ApproveConfirm => (
                "Confirm that the service is complete? No online refund is possible afterwards.",
                "确认服务已完结？完结后线上不允许退款。",
            ),
            ConfirmAuthorization => (
                "Confirm and authorize the service provider to implement the mini program?",
                "确认并授权服务商实施小程序？",
            ),
            ReasonPlaceholder => ("Reason (optional)", "原因（选填）"),
            SubmitTitle => (
                "Submit the approval request with the built version",
                "提交构建的版本，请商家确认",
            ),
            ConfirmButton => ("Confirm", "确定"),
            SubmitButton => ("Submit", "提交"),
            WhenUnpaid => ("the order is canceled", "订单将取消"),
            WhenDevelopmentDue => (
                "the order is canceled and any payment refunded",
                "订单将取消，已付款项自动退款",
            ),
            WhenApprovalDue => ("the order completes", "订单将自动完结"),
            NoOnlineRefund => (
                "This order is completed: no online refund is possible. Agree on any refund with the service provider offline.",
                "订单已完结，线上不允许退款，如需退款请与服务商线下协商。",
            ),
            StatusUnknown => ("Choose one of the order statuses.", "请选择订单状态。"),
            SearchFormat => (
                "Enter an order number, or its first digits (up to 24 digits).",
                "请输入订单号或其开头的数字（最多 24 位）。",
            ),
            CursorInvalid => (
                "This page link is not valid; start from the first page.",
                "该分页链接无效，请从第一页开始。",
            ),
            ActionUnknown => ("Choose one of the order's actions.", "请选择订单可执行的操作。"),
            ReasonTooLong => ("The reason can be at most 500 characters.", "原因最多 500 个字符。"),
            ReasonNotTaken => ("This action takes no reason.", "该操作无需填写原因。"),
            VersionNumberFormat => (
                "Enter the built version's number as digits and dots, like 1.0.2.",
                "请输入构建的版本号，由数字和点组成，例如 1.0.2。",
            ),
            NotesTooLong => ("Notes can be at most 500 characters.", "版本说明最多 500 个字符。"),
            VersionTaken => (
                "This mini program already has this version number from another submission; build a new version.",
                "该小程序已有此版本号（来自其他提交），请构建新版本。",
            ),
            ManagersOnly => (
                "Only the workspace's Owner or an Admin can do this.",
                "只有工作空间的所有者或管理员可以执行此操作。",
            ),
            AuditReasonRequired => (
                "Give the reason for rejecting the version; the ISV sees it.",
                "请填写驳回原因，服务商将看到该原因。",
            ),
            AuditNotPending => (
                "This version is no longer waiting for audit.",
                "该版本已不在待审核状态。",
            ),
            SandboxOff => (
                "The platform clock can be moved only in sandbox mode (SANDBOX=true).",
                "只有沙箱模式（SANDBOX=true）下才能调整平台时间。",
            ),
            AdvanceRange => (
                "Move the clock forward by 1 minute to 400 days.",
                "请将时间向前调整 1 分钟到 400 天。",
            ),
            AlreadyCancelled => (
                "This authorization has already been cancelled.",
                "该授权已取消。",
            ),
            PlatformAudit => ("Platform audit", "平台审核"),
            AutomaticAudit => ("Platform audit (automatic)", "平台自动审核"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages() {
        for text in OrdersText::ALL {
            let (en, zh) = text.labels();
            assert!(en.is_ascii() && !zh.is_ascii(), "{text:?}");
        }
        for status in [
            AuthorizationStatus::Active,
            AuthorizationStatus::Expired,
            AuthorizationStatus::Cancelled,
        ] {
            assert!(!status.labels().1.is_ascii());
        }
    }

    #[test]
    fn each_timer_says_what_happens_when_it_falls_due() {
        let view = DeadlineView::new(Timer::DevelopmentTimeout, 42);
        assert_eq!(view.label.en, "development deadline (30 days)");
        assert_eq!(
            view.then.en,
            "the order is canceled and any payment refunded"
        );
    }

    #[test]
    fn paths_name_the_workspace_and_the_order() {
        let no = OrderNo::parse("202601010000000000000042").unwrap();
        assert_eq!(
            isv_order_path(3, &no),
            "/console/workspaces/3/orders/202601010000000000000042"
        );
        assert_eq!(isv_orders_csv_path(3), "/console/workspaces/3/orders.csv");
        assert_eq!(
            merchant_order_path(&no),
            "/my/orders/202601010000000000000042"
        );
    }
}
