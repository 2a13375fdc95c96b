//! The order lifecycle as data: one transition table ([`TRANSITIONS`]) that the UI buttons, the
//! server checks, the gateway API and the timer worker all ask, so nothing re-encodes it.
//!
//! Everything here is a pure function of an order's status and its [`OrderFacts`]: callers load
//! the order, ask [`apply_action`] / [`apply_timer`] / [`place_order`] for an [`Outcome`], then
//! persist the new status, carry out the [`Effect`]s and apply the [`DeadlineChange`]s in one
//! transaction.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::newtypes::Money;
use crate::i18n::{Bilingual, Lang};

/// Labels come from each enum's `label_en` / `label_zh`, so they stay usable in `const` code.
macro_rules! bilingual_from_label_fns {
    ($($name:ident),*) => {
        $(impl Bilingual for $name {
            fn labels(self) -> (&'static str, &'static str) {
                (self.label_en(), self.label_zh())
            }
        })*
    };
}

bilingual_from_label_fns!(OrderStatus, CancelCause, Actor, Action, Timer);

/// A stored code that names no variant of a lifecycle enum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} code {code:?}")]
pub struct UnknownCode {
    pub kind: &'static str,
    pub code: String,
}

/// Declares a fieldless enum whose variants each have one stable code: the database column
/// value, the serde representation, `as_str()`, `parse()`, `Display` and `FromStr` all agree.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database and sent over the wire.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $code, )+
                }
            }

            /// The variant whose code is `code`.
            pub fn parse(code: &str) -> Result<Self, UnknownCode> {
                match code {
                    $( $code => Ok($name::$variant), )+
                    _ => Err(UnknownCode { kind: stringify!($name), code: code.to_owned() }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownCode;
            fn from_str(code: &str) -> Result<Self, Self::Err> {
                Self::parse(code)
            }
        }
    };
}

coded_enum! {
    /// Where an order stands (PRODUCT.md §3).
    pub enum OrderStatus {
        AwaitingPayment = "awaiting_payment",
        New = "new",
        PendingConfirmation = "pending_confirmation",
        InDevelopment = "in_development",
        UnderApproval = "under_approval",
        Completed = "completed",
        Canceled = "canceled",
    }
}

impl OrderStatus {
    pub const fn label_en(self) -> &'static str {
        match self {
            OrderStatus::AwaitingPayment => "Awaiting Payment",
            OrderStatus::New => "New Order",
            OrderStatus::PendingConfirmation => "Pending Confirmation",
            OrderStatus::InDevelopment => "In Development",
            OrderStatus::UnderApproval => "Under Approval",
            OrderStatus::Completed => "Completed",
            OrderStatus::Canceled => "Canceled",
        }
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            OrderStatus::AwaitingPayment => "待付款",
            OrderStatus::New => "待接单",
            OrderStatus::PendingConfirmation => "待商家确认授权",
            OrderStatus::InDevelopment => "实施中",
            OrderStatus::UnderApproval => "待商家确认",
            OrderStatus::Completed => "已完结",
            OrderStatus::Canceled => "已取消",
        }
    }

    /// No row of the table leaves this status (Completed and Canceled).
    pub fn is_terminal(self) -> bool {
        !TRANSITIONS.iter().any(|row| row.from == Some(self))
    }
}

coded_enum! {
    /// Why an order was canceled; decides the order.query `order_status` it reports.
    pub enum CancelCause {
        /// The ISV rejected a New order.
        IsvRejected = "isv_rejected",
        /// The merchant rejected at Pending Confirmation (declined to authorize).
        MerchantRejected = "merchant_rejected",
        /// The ISV canceled an order In Development.
        IsvCancelled = "isv_cancelled",
        /// The merchant asked for a refund (In Development or Under Approval).
        MerchantRefunded = "merchant_refunded",
        /// The merchant did not pay within 3 days.
        UnpaidTimeout = "unpaid_timeout",
        /// The ISV did not reach Under Approval within 30 days.
        DevelopmentTimeout = "development_timeout",
    }
}

impl CancelCause {
    /// The order.query `order_status` of an order canceled for this cause.
    ///
    /// Alipay has only four cancel codes. A refund is the merchant withdrawing, and an unpaid
    /// order lapsing is the merchant not going ahead: both are `MERCHANT_CANCELLED`. The
    /// 30-day deadline lapsing means the ISV did not deliver: `ISV_CANCELLED`.
    pub const fn order_query_status(self) -> &'static str {
        match self {
            CancelCause::IsvRejected => "ISV_REJECTED",
            CancelCause::MerchantRejected => "MERCHANT_REJECTED",
            CancelCause::IsvCancelled | CancelCause::DevelopmentTimeout => "ISV_CANCELLED",
            CancelCause::MerchantRefunded | CancelCause::UnpaidTimeout => "MERCHANT_CANCELLED",
        }
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            CancelCause::IsvRejected => "Rejected by the ISV",
            CancelCause::MerchantRejected => "Rejected by the merchant",
            CancelCause::IsvCancelled => "Canceled by the ISV",
            CancelCause::MerchantRefunded => "Refunded at the merchant's request",
            CancelCause::UnpaidTimeout => "Not paid within 3 days",
            CancelCause::DevelopmentTimeout => "Not delivered for approval within 30 days",
        }
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            CancelCause::IsvRejected => "服务商已拒绝接单",
            CancelCause::MerchantRejected => "商家已拒绝授权",
            CancelCause::IsvCancelled => "服务商已取消",
            CancelCause::MerchantRefunded => "商家申请退款",
            CancelCause::UnpaidTimeout => "3 天内未付款",
            CancelCause::DevelopmentTimeout => "实施超过 30 天未推进到待商家确认",
        }
    }
}

/// The `order_status` of an order item in `alipay.open.servicemarket.order.query`.
///
/// A Canceled order always has a cause recorded (every cancel row names one); should one be
/// missing, `MERCHANT_CANCELLED` is reported.
pub fn order_query_status(status: OrderStatus, cause: Option<CancelCause>) -> &'static str {
    match status {
        OrderStatus::AwaitingPayment | OrderStatus::New | OrderStatus::PendingConfirmation => {
            "TO_DO"
        }
        OrderStatus::InDevelopment => "DOING",
        OrderStatus::UnderApproval => "TO_CONFIRM",
        OrderStatus::Completed => "DONE",
        OrderStatus::Canceled => {
            cause.map_or("MERCHANT_CANCELLED", CancelCause::order_query_status)
        }
    }
}

/// The top-level `status` of the order.query response. Alipay documents only `MERCHANT_ORDED`
/// (awaiting the ISV's acceptance); for every other status the field is left out rather than
/// invented.
pub fn order_query_top_status(status: OrderStatus) -> Option<&'static str> {
    (status == OrderStatus::New).then_some("MERCHANT_ORDED")
}

coded_enum! {
    /// Who causes a transition.
    pub enum Actor {
        Merchant = "merchant",
        Isv = "isv",
        /// A deadline stored with the order; only ever the actor of a [`Trigger::Timer`].
        Timer = "timer",
        /// The platform's audit of a submitted version (a reviewer, or automatic where configured).
        Platform = "platform",
    }
}

impl Actor {
    pub const fn label_en(self) -> &'static str {
        match self {
            Actor::Merchant => "merchant",
            Actor::Isv => "ISV",
            Actor::Timer => "timer",
            Actor::Platform => "platform reviewer",
        }
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            Actor::Merchant => "商家",
            Actor::Isv => "服务商",
            Actor::Timer => "系统定时",
            Actor::Platform => "平台审核",
        }
    }
}

coded_enum! {
    /// What someone does to an order. With the order's status and the actor it names exactly
    /// one row of [`TRANSITIONS`], so the same word (Reject, Confirm) can mean different rows.
    pub enum Action {
        /// 订购并授权: the merchant places the order (the start row; never allowed on an existing order).
        PlaceOrder = "place_order",
        Accept = "accept",
        Reject = "reject",
        /// The merchant confirms the authorization of an accepted order.
        Confirm = "confirm",
        Pay = "pay",
        /// The ISV submits the built version for approval; it waits for the platform audit.
        Submit = "submit",
        AuditPass = "audit_pass",
        AuditReject = "audit_reject",
        Cancel = "cancel",
        Refund = "refund",
        /// The merchant confirms that the delivered service is complete (确认服务完结).
        Approve = "approve",
    }
}

impl Action {
    /// Whether the pop-up for this action asks for an optional reason.
    pub const fn takes_reason(self) -> bool {
        matches!(self, Action::Reject | Action::Cancel | Action::AuditReject)
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            Action::PlaceOrder => "Order and authorize",
            Action::Accept => "Accept",
            Action::Reject => "Reject",
            Action::Confirm => "Confirm",
            Action::Pay => "Pay",
            Action::Submit => "Submit",
            Action::AuditPass => "Pass",
            Action::AuditReject => "Turn Down",
            Action::Cancel => "Cancel",
            Action::Refund => "Refund",
            Action::Approve => "Approve",
        }
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            Action::PlaceOrder => "订购并授权",
            Action::Accept => "接单",
            Action::Reject => "拒绝",
            Action::Confirm => "确认授权",
            Action::Pay => "付款",
            Action::Submit => "提交",
            Action::AuditPass => "审核通过",
            Action::AuditReject => "审核驳回",
            Action::Cancel => "取消订单",
            Action::Refund => "申请退款",
            Action::Approve => "确认服务完结",
        }
    }
}

coded_enum! {
    /// A deadline stored with an order. Which status arms it is read from the table: the
    /// status of the row the timer triggers (see [`timers_armed_on_entry`]).
    pub enum Timer {
        /// Awaiting Payment for 3 days: the order is canceled.
        UnpaidTimeout = "unpaid_timeout",
        /// 30 days in development without reaching Under Approval: canceled, paid money refunded.
        DevelopmentTimeout = "development_timeout",
        /// Under Approval for 7 days without the merchant's answer: the order completes.
        ApprovalTimeout = "approval_timeout",
    }
}

impl Timer {
    pub const fn days(self) -> u64 {
        match self {
            Timer::UnpaidTimeout => 3,
            Timer::DevelopmentTimeout => 30,
            Timer::ApprovalTimeout => 7,
        }
    }

    pub const fn duration_secs(self) -> i64 {
        self.days() as i64 * 24 * 60 * 60
    }

    pub const fn duration(self) -> Duration {
        Duration::from_secs(self.days() * 24 * 60 * 60)
    }

    pub const fn label_en(self) -> &'static str {
        match self {
            Timer::UnpaidTimeout => "payment deadline (3 days)",
            Timer::DevelopmentTimeout => "development deadline (30 days)",
            Timer::ApprovalTimeout => "approval deadline (7 days)",
        }
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            Timer::UnpaidTimeout => "付款期限（3 天）",
            Timer::DevelopmentTimeout => "实施期限（30 天）",
            Timer::ApprovalTimeout => "确认期限（7 天）",
        }
    }
}

/// What makes a row happen: someone's action, or a deadline passing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    Action(Action, Actor),
    Timer(Timer),
}

impl Trigger {
    pub const fn actor(self) -> Actor {
        match self {
            Trigger::Action(_, actor) => actor,
            Trigger::Timer(_) => Actor::Timer,
        }
    }
}

/// The status a row leads to: fixed, or decided by the order's facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum To {
    Status(OrderStatus),
    /// AwaitingPayment if the order is priced, else InDevelopment.
    PaymentIfPriced,
    /// New if the service needs acceptance, else as [`To::PaymentIfPriced`].
    AcceptanceThenPayment,
}

impl To {
    pub fn resolve(self, facts: &OrderFacts) -> OrderStatus {
        match self {
            To::Status(status) => status,
            To::PaymentIfPriced if facts.is_priced() => OrderStatus::AwaitingPayment,
            To::PaymentIfPriced => OrderStatus::InDevelopment,
            To::AcceptanceThenPayment if facts.needs_acceptance => OrderStatus::New,
            To::AcceptanceThenPayment => To::PaymentIfPriced.resolve(facts),
        }
    }

    /// Every status this rule can lead to, whatever the facts.
    pub const fn possible(self) -> &'static [OrderStatus] {
        use OrderStatus::*;
        match self {
            To::Status(AwaitingPayment) => &[AwaitingPayment],
            To::Status(New) => &[New],
            To::Status(PendingConfirmation) => &[PendingConfirmation],
            To::Status(InDevelopment) => &[InDevelopment],
            To::Status(UnderApproval) => &[UnderApproval],
            To::Status(Completed) => &[Completed],
            To::Status(Canceled) => &[Canceled],
            To::PaymentIfPriced => &[AwaitingPayment, InDevelopment],
            To::AcceptanceThenPayment => &[New, AwaitingPayment, InDevelopment],
        }
    }
}

/// A condition on the order's facts that a row needs besides its status and trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    Always,
    /// A submitted version is waiting for the platform audit.
    AuditPending,
    /// No submitted version is waiting (one submission at a time).
    NoAuditPending,
    /// Money was paid (there is something to refund).
    Paid,
}

impl Guard {
    fn check(self, facts: &OrderFacts) -> Result<(), Refusal> {
        match self {
            Guard::Always => Ok(()),
            Guard::AuditPending if !facts.audit_pending => Err(Refusal::NoAuditPending),
            Guard::NoAuditPending if facts.audit_pending => Err(Refusal::AuditAlreadyPending),
            Guard::Paid if !facts.paid => Err(Refusal::NothingPaid),
            Guard::AuditPending | Guard::NoAuditPending | Guard::Paid => Ok(()),
        }
    }
}

/// How a row enters its new status (only matters when the status changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// A first entry: the status's [`ENTRY_EFFECTS`] run and its timers start counting now.
    Fresh,
    /// A return to a status the order was in before: no entry effects again, and its timers
    /// resume with the due time they had (the clock is not reset).
    Return,
}

/// Work a transition asks for, carried out in the same transaction as the status change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Pop-up for the ISV: the order is accepted; wait for the merchant to confirm before developing.
    ShowAcceptedNotice,
    /// The cashier's payment is recorded; the order is now paid.
    RecordPayment,
    /// Issue the ISV an `app_auth_token` for the merchant's mini program.
    AuthorizeIsv,
    /// Send `open_app_auth_notify` (with the `app_auth_token`) to the ISV's gateway.
    NotifyAuthorization,
    /// Send `servicemarket_order_notify` to the ISV's gateway.
    NotifyOrder,
    /// The service period (plan days) starts now.
    StartServicePeriod,
    /// Record the submitted version as waiting for the platform audit (a reviewer's queue, or
    /// passed at once by the platform where automatic audit is configured).
    OpenAudit,
    /// The pending audit is over (decided, or moot because the order ended).
    CloseAudit,
    /// Send `alipay.open.mini.version.audit.passed` to the ISV's gateway.
    NotifyAuditPassed,
    /// Send `alipay.open.mini.version.audit.rejected` (with the reason) to the ISV's gateway.
    NotifyAuditRejected,
    /// Refund what the merchant paid. Dropped from an [`Outcome`] when nothing was paid.
    Refund,
}

impl Effect {
    /// Whether the effect has anything to do for an order with these facts.
    fn applies(self, facts: &OrderFacts) -> bool {
        match self {
            Effect::Refund => facts.paid,
            Effect::CloseAudit => facts.audit_pending,
            _ => true,
        }
    }
}

/// What to do with an order's stored deadlines after a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineChange {
    /// Start the timer now: due at now + [`Timer::duration`].
    Arm(Timer),
    /// Arm the timer again with the due time it had when it was last disarmed (the clock is
    /// not reset). If that time has passed, the timer is due at once.
    Resume(Timer),
    /// Stop the timer: it must not fire. Keep its due time on record for a later `Resume`.
    Disarm(Timer),
}

/// One row of the lifecycle table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// `None` is the start: the order does not exist yet.
    pub from: Option<OrderStatus>,
    pub trigger: Trigger,
    pub to: To,
    pub guard: Guard,
    pub entry: Entry,
    pub effects: &'static [Effect],
    pub cancel_cause: Option<CancelCause>,
}

const fn row(from: OrderStatus, trigger: Trigger, to: To) -> Transition {
    Transition {
        from: Some(from),
        trigger,
        to,
        guard: Guard::Always,
        entry: Entry::Fresh,
        effects: &[],
        cancel_cause: None,
    }
}

/// The row that creates an order: it has no status to come from.
const fn start(trigger: Trigger, to: To) -> Transition {
    Transition {
        from: None,
        ..row(OrderStatus::New, trigger, to)
    }
}

const fn by(action: Action, actor: Actor) -> Trigger {
    Trigger::Action(action, actor)
}

const fn status(status: OrderStatus) -> To {
    To::Status(status)
}

const fn cancel(cause: CancelCause) -> Option<CancelCause> {
    Some(cause)
}

/// THE lifecycle table (PRODUCT.md §3): every row is one (from, trigger) pair.
pub static TRANSITIONS: &[Transition] = {
    use Action::*;
    use Actor::{Isv, Merchant, Platform};
    use OrderStatus::*;
    &[
        start(by(PlaceOrder, Merchant), To::AcceptanceThenPayment),
        Transition {
            effects: &[Effect::ShowAcceptedNotice],
            ..row(New, by(Accept, Isv), status(PendingConfirmation))
        },
        Transition {
            cancel_cause: cancel(CancelCause::IsvRejected),
            ..row(New, by(Reject, Isv), status(Canceled))
        },
        row(
            PendingConfirmation,
            by(Confirm, Merchant),
            To::PaymentIfPriced,
        ),
        Transition {
            cancel_cause: cancel(CancelCause::MerchantRejected),
            ..row(PendingConfirmation, by(Reject, Merchant), status(Canceled))
        },
        Transition {
            effects: &[Effect::RecordPayment],
            ..row(AwaitingPayment, by(Pay, Merchant), status(InDevelopment))
        },
        Transition {
            cancel_cause: cancel(CancelCause::UnpaidTimeout),
            ..row(
                AwaitingPayment,
                Trigger::Timer(Timer::UnpaidTimeout),
                status(Canceled),
            )
        },
        Transition {
            guard: Guard::NoAuditPending,
            effects: &[Effect::OpenAudit],
            ..row(InDevelopment, by(Submit, Isv), status(InDevelopment))
        },
        Transition {
            guard: Guard::AuditPending,
            effects: &[Effect::CloseAudit, Effect::NotifyAuditPassed],
            ..row(
                InDevelopment,
                by(AuditPass, Platform),
                status(UnderApproval),
            )
        },
        Transition {
            guard: Guard::AuditPending,
            effects: &[Effect::CloseAudit, Effect::NotifyAuditRejected],
            ..row(
                InDevelopment,
                by(AuditReject, Platform),
                status(InDevelopment),
            )
        },
        Transition {
            effects: &[Effect::CloseAudit, Effect::Refund],
            cancel_cause: cancel(CancelCause::IsvCancelled),
            ..row(InDevelopment, by(Cancel, Isv), status(Canceled))
        },
        Transition {
            guard: Guard::Paid,
            effects: &[Effect::CloseAudit, Effect::Refund],
            cancel_cause: cancel(CancelCause::MerchantRefunded),
            ..row(InDevelopment, by(Refund, Merchant), status(Canceled))
        },
        Transition {
            effects: &[Effect::CloseAudit, Effect::Refund],
            cancel_cause: cancel(CancelCause::DevelopmentTimeout),
            ..row(
                InDevelopment,
                Trigger::Timer(Timer::DevelopmentTimeout),
                status(Canceled),
            )
        },
        row(UnderApproval, by(Approve, Merchant), status(Completed)),
        Transition {
            entry: Entry::Return,
            ..row(UnderApproval, by(Reject, Merchant), status(InDevelopment))
        },
        Transition {
            guard: Guard::Paid,
            effects: &[Effect::Refund],
            cancel_cause: cancel(CancelCause::MerchantRefunded),
            ..row(UnderApproval, by(Refund, Merchant), status(Canceled))
        },
        row(
            UnderApproval,
            Trigger::Timer(Timer::ApprovalTimeout),
            status(Completed),
        ),
    ]
};

/// Effects of first entering a status, whichever row leads there (unless the row is an
/// [`Entry::Return`]). Entering New notifies the ISV so that it can accept through the gateway.
pub static ENTRY_EFFECTS: &[(OrderStatus, &[Effect])] = &[
    (OrderStatus::New, &[Effect::NotifyOrder]),
    (
        OrderStatus::InDevelopment,
        &[
            Effect::AuthorizeIsv,
            Effect::NotifyAuthorization,
            Effect::NotifyOrder,
            Effect::StartServicePeriod,
        ],
    ),
];

/// The effects of first entering `status`.
pub fn entry_effects(status: OrderStatus) -> &'static [Effect] {
    ENTRY_EFFECTS
        .iter()
        .find(|(entered, _)| *entered == status)
        .map_or(&[], |(_, effects)| effects)
}

/// The timers that run while an order is in `status`: those of the table's timer rows from
/// that status. They are armed on entering it and disarmed on leaving it.
pub fn timers_armed_on_entry(status: OrderStatus) -> Vec<Timer> {
    TRANSITIONS
        .iter()
        .filter(|row| row.from == Some(status))
        .filter_map(|row| match row.trigger {
            Trigger::Timer(timer) => Some(timer),
            Trigger::Action(..) => None,
        })
        .collect()
}

/// What the rules depend on besides the status, read from the order when it is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OrderFacts {
    /// The order's price; above zero the merchant goes through the cashier.
    pub price: Money,
    /// The service requires the ISV to accept orders (接单).
    pub needs_acceptance: bool,
    /// The merchant has paid (and not been refunded).
    pub paid: bool,
    /// A submitted version is waiting for the platform audit.
    pub audit_pending: bool,
    /// A deadline of the current status is due but its timer has not been applied yet. Actions
    /// then lose the race to the timer, so that, for example, no refund slips in after the
    /// 7 days.
    pub deadline_passed: bool,
}

impl OrderFacts {
    pub fn is_priced(&self) -> bool {
        self.price.cents() > 0
    }
}

/// The result of an accepted step: persist `to`, carry out `effects` in order, apply `deadlines`,
/// and record `from`, `trigger` and `cancel_cause` in the order's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// `None` when the order is being placed.
    pub from: Option<OrderStatus>,
    pub trigger: Trigger,
    pub to: OrderStatus,
    pub effects: Vec<Effect>,
    pub cancel_cause: Option<CancelCause>,
    pub deadlines: Vec<DeadlineChange>,
}

fn outcome(row: &Transition, facts: &OrderFacts) -> Outcome {
    let to = row.to.resolve(facts);
    let mut effects: Vec<Effect> = row
        .effects
        .iter()
        .copied()
        .filter(|effect| effect.applies(facts))
        .collect();
    let mut deadlines = Vec::new();
    if row.from != Some(to) {
        if let Some(from) = row.from {
            deadlines.extend(
                timers_armed_on_entry(from)
                    .into_iter()
                    .map(DeadlineChange::Disarm),
            );
        }
        let entered = timers_armed_on_entry(to).into_iter();
        match row.entry {
            Entry::Fresh => {
                effects.extend_from_slice(entry_effects(to));
                deadlines.extend(entered.map(DeadlineChange::Arm));
            }
            Entry::Return => deadlines.extend(entered.map(DeadlineChange::Resume)),
        }
    }
    Outcome {
        from: row.from,
        trigger: row.trigger,
        to,
        effects,
        cancel_cause: row.cancel_cause,
        deadlines,
    }
}

/// Why a step was refused, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "refusal", rename_all = "snake_case")]
pub enum Refusal {
    /// The order is Completed or Canceled: nothing more can happen to it.
    Finished {
        status: OrderStatus,
    },
    /// The action has no row from this status.
    NotInThisStatus {
        action: Action,
        status: OrderStatus,
    },
    /// The action exists from this status, but it belongs to someone else.
    NotYourAction {
        action: Action,
        status: OrderStatus,
        actor: Actor,
        allowed: Actor,
    },
    /// The status's deadline is due; its timer decides what happens next.
    DeadlinePassed {
        status: OrderStatus,
    },
    NoAuditPending,
    AuditAlreadyPending,
    NothingPaid,
    /// The timer does not run in this status (for example, it fired after the order moved on).
    TimerNotRunning {
        timer: Timer,
        status: OrderStatus,
    },
}

impl Refusal {
    pub fn message_en(&self) -> String {
        match self {
            Refusal::Finished { status } => format!(
                "This order is {}; nothing more can be done with it.",
                status.label_en()
            ),
            Refusal::NotInThisStatus { action, status } => format!(
                "“{}” is not possible for an order that is {}.",
                action.label_en(),
                status.label_en()
            ),
            Refusal::NotYourAction {
                action,
                status,
                allowed,
                ..
            } => format!(
                "Only the {} can use “{}” on an order that is {}.",
                allowed.label_en(),
                action.label_en(),
                status.label_en()
            ),
            Refusal::DeadlinePassed { status } => format!(
                "The deadline for an order that is {} has passed; the order is moving on automatically.",
                status.label_en()
            ),
            Refusal::NoAuditPending => "No submitted version is waiting for audit.".to_owned(),
            Refusal::AuditAlreadyPending => {
                "A submitted version is already waiting for audit.".to_owned()
            }
            Refusal::NothingPaid => {
                "Nothing was paid for this order, so there is nothing to refund.".to_owned()
            }
            Refusal::TimerNotRunning { timer, status } => format!(
                "The {} does not run for an order that is {}.",
                timer.label_en(),
                status.label_en()
            ),
        }
    }

    pub fn message_zh(&self) -> String {
        match self {
            Refusal::Finished { status } => {
                format!("该订单{}，不能再进行任何操作。", status.label_zh())
            }
            Refusal::NotInThisStatus { action, status } => format!(
                "订单状态为“{}”，不能执行“{}”。",
                status.label_zh(),
                action.label_zh()
            ),
            Refusal::NotYourAction {
                action,
                status,
                allowed,
                ..
            } => format!(
                "只有{}可以对“{}”的订单执行“{}”。",
                allowed.label_zh(),
                status.label_zh(),
                action.label_zh()
            ),
            Refusal::DeadlinePassed { status } => {
                format!("“{}”的订单已超过期限，系统将自动处理。", status.label_zh())
            }
            Refusal::NoAuditPending => "没有待审核的提交版本。".to_owned(),
            Refusal::AuditAlreadyPending => "已有提交的版本正在审核中。".to_owned(),
            Refusal::NothingPaid => "该订单未付款，无可退款项。".to_owned(),
            Refusal::TimerNotRunning { timer, status } => {
                format!("“{}”的订单没有{}。", status.label_zh(), timer.label_zh())
            }
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.message_en(),
            Lang::Zh => self.message_zh(),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for Refusal {}

fn start_row() -> &'static Transition {
    TRANSITIONS
        .iter()
        .find(|row| row.from.is_none())
        .expect("the table has a place-order row")
}

/// The status a newly placed order starts in.
pub fn initial_status(facts: &OrderFacts) -> OrderStatus {
    start_row().to.resolve(facts)
}

/// The merchant places an order (the table's start row). Who may place orders is the caller's
/// check (a signed-in merchant); the table's row names [`Actor::Merchant`].
pub fn place_order(facts: &OrderFacts) -> Outcome {
    outcome(start_row(), facts)
}

/// Someone acts on an existing order.
pub fn apply_action(
    status: OrderStatus,
    action: Action,
    actor: Actor,
    facts: &OrderFacts,
) -> Result<Outcome, Refusal> {
    let mut rows = TRANSITIONS.iter().filter(|row| {
        row.from == Some(status) && matches!(row.trigger, Trigger::Action(a, _) if a == action)
    });
    let Some(first) = rows.clone().next() else {
        return Err(if status.is_terminal() {
            Refusal::Finished { status }
        } else {
            Refusal::NotInThisStatus { action, status }
        });
    };
    let Some(row) = rows.find(|row| row.trigger.actor() == actor) else {
        return Err(Refusal::NotYourAction {
            action,
            status,
            actor,
            allowed: first.trigger.actor(),
        });
    };
    if facts.deadline_passed && !timers_armed_on_entry(status).is_empty() {
        return Err(Refusal::DeadlinePassed { status });
    }
    row.guard.check(facts)?;
    Ok(outcome(row, facts))
}

/// A stored deadline is due.
pub fn apply_timer(
    status: OrderStatus,
    timer: Timer,
    facts: &OrderFacts,
) -> Result<Outcome, Refusal> {
    let row = TRANSITIONS
        .iter()
        .find(|row| row.from == Some(status) && row.trigger == Trigger::Timer(timer))
        .ok_or(Refusal::TimerNotRunning { timer, status })?;
    row.guard.check(facts)?;
    Ok(outcome(row, facts))
}

/// The actions `actor` may take on an order now: the buttons to show, and what the server and
/// the gateway accept.
pub fn allowed_actions(status: OrderStatus, actor: Actor, facts: &OrderFacts) -> Vec<Action> {
    TRANSITIONS
        .iter()
        .filter(|row| row.from == Some(status))
        .filter_map(|row| match row.trigger {
            Trigger::Action(action, by) if by == actor => Some(action),
            _ => None,
        })
        .filter(|&action| apply_action(status, action, actor, facts).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    use proptest::prelude::*;
    use proptest::sample::select;

    use Action::*;
    use Actor::{Isv, Merchant, Platform};
    use OrderStatus::*;

    fn free() -> OrderFacts {
        OrderFacts::default()
    }

    fn priced() -> OrderFacts {
        OrderFacts {
            price: Money::from_cents(9_900).unwrap(),
            ..OrderFacts::default()
        }
    }

    fn paid() -> OrderFacts {
        OrderFacts {
            paid: true,
            ..priced()
        }
    }

    fn act(status: OrderStatus, action: Action, actor: Actor, facts: OrderFacts) -> Outcome {
        apply_action(status, action, actor, &facts)
            .unwrap_or_else(|refusal| panic!("{action} by {actor} from {status}: {refusal}"))
    }

    fn fire(status: OrderStatus, timer: Timer, facts: OrderFacts) -> Outcome {
        apply_timer(status, timer, &facts)
            .unwrap_or_else(|refusal| panic!("{timer} from {status}: {refusal}"))
    }

    const DEVELOPMENT_ENTRY: [Effect; 4] = [
        Effect::AuthorizeIsv,
        Effect::NotifyAuthorization,
        Effect::NotifyOrder,
        Effect::StartServicePeriod,
    ];

    // ---- one test per row of PRODUCT.md §3 ----

    #[test]
    fn placing_an_order_for_a_service_that_needs_acceptance_starts_it_as_a_new_order() {
        let facts = OrderFacts {
            needs_acceptance: true,
            ..priced()
        };
        let placed = place_order(&facts);
        assert_eq!(placed.from, None);
        assert_eq!(placed.trigger, Trigger::Action(PlaceOrder, Merchant));
        assert_eq!(placed.to, New);
        assert_eq!(initial_status(&facts), New);
        assert_eq!(placed.effects, [Effect::NotifyOrder]);
        assert!(placed.deadlines.is_empty());
    }

    #[test]
    fn placing_a_priced_order_that_needs_no_acceptance_awaits_payment_for_3_days() {
        let placed = place_order(&priced());
        assert_eq!(placed.to, AwaitingPayment);
        assert!(placed.effects.is_empty());
        assert_eq!(
            placed.deadlines,
            [DeadlineChange::Arm(Timer::UnpaidTimeout)]
        );
    }

    #[test]
    fn placing_a_free_order_that_needs_no_acceptance_starts_development_at_once() {
        let placed = place_order(&free());
        assert_eq!(placed.to, InDevelopment);
        assert_eq!(placed.effects, DEVELOPMENT_ENTRY);
        assert_eq!(
            placed.deadlines,
            [DeadlineChange::Arm(Timer::DevelopmentTimeout)]
        );
    }

    #[test]
    fn an_isv_accepting_a_new_order_moves_it_to_pending_confirmation() {
        let accepted = act(New, Accept, Isv, priced());
        assert_eq!(accepted.to, PendingConfirmation);
        assert_eq!(accepted.effects, [Effect::ShowAcceptedNotice]);
        assert_eq!(accepted.cancel_cause, None);
        assert!(accepted.deadlines.is_empty());
    }

    #[test]
    fn an_isv_rejecting_a_new_order_cancels_it_as_rejected_by_the_isv() {
        let rejected = act(New, Reject, Isv, priced());
        assert_eq!(rejected.to, Canceled);
        assert_eq!(rejected.cancel_cause, Some(CancelCause::IsvRejected));
        assert!(rejected.effects.is_empty());
        assert_eq!(
            order_query_status(Canceled, rejected.cancel_cause),
            "ISV_REJECTED"
        );
    }

    #[test]
    fn a_merchant_confirming_a_priced_order_sends_it_to_payment() {
        let confirmed = act(PendingConfirmation, Confirm, Merchant, priced());
        assert_eq!(confirmed.to, AwaitingPayment);
        assert_eq!(
            confirmed.deadlines,
            [DeadlineChange::Arm(Timer::UnpaidTimeout)]
        );
    }

    #[test]
    fn a_merchant_confirming_a_free_order_starts_development() {
        let confirmed = act(PendingConfirmation, Confirm, Merchant, free());
        assert_eq!(confirmed.to, InDevelopment);
        assert_eq!(confirmed.effects, DEVELOPMENT_ENTRY);
        assert_eq!(
            confirmed.deadlines,
            [DeadlineChange::Arm(Timer::DevelopmentTimeout)]
        );
    }

    #[test]
    fn a_merchant_rejecting_at_pending_confirmation_cancels_it_as_rejected_by_the_merchant() {
        let rejected = act(PendingConfirmation, Reject, Merchant, priced());
        assert_eq!(rejected.to, Canceled);
        assert_eq!(rejected.cancel_cause, Some(CancelCause::MerchantRejected));
        assert_eq!(
            order_query_status(Canceled, rejected.cancel_cause),
            "MERCHANT_REJECTED"
        );
    }

    #[test]
    fn a_merchant_paying_starts_development_and_stops_the_payment_deadline() {
        let paid = act(AwaitingPayment, Pay, Merchant, priced());
        assert_eq!(paid.to, InDevelopment);
        let mut expected = vec![Effect::RecordPayment];
        expected.extend(DEVELOPMENT_ENTRY);
        assert_eq!(paid.effects, expected);
        assert_eq!(
            paid.deadlines,
            [
                DeadlineChange::Disarm(Timer::UnpaidTimeout),
                DeadlineChange::Arm(Timer::DevelopmentTimeout),
            ]
        );
    }

    #[test]
    fn an_order_not_paid_within_3_days_is_canceled() {
        assert_eq!(Timer::UnpaidTimeout.days(), 3);
        let lapsed = fire(AwaitingPayment, Timer::UnpaidTimeout, priced());
        assert_eq!(lapsed.to, Canceled);
        assert_eq!(lapsed.trigger.actor(), Actor::Timer);
        assert_eq!(lapsed.cancel_cause, Some(CancelCause::UnpaidTimeout));
        assert!(lapsed.effects.is_empty());
        assert_eq!(
            lapsed.deadlines,
            [DeadlineChange::Disarm(Timer::UnpaidTimeout)]
        );
    }

    #[test]
    fn entering_development_authorizes_the_isv_notifies_it_and_starts_the_service_period() {
        assert_eq!(entry_effects(InDevelopment), DEVELOPMENT_ENTRY);
        // Every fresh entry into InDevelopment, whatever the row, runs the entry effects once.
        let entries = [
            place_order(&free()),
            act(PendingConfirmation, Confirm, Merchant, free()),
            act(AwaitingPayment, Pay, Merchant, priced()),
        ];
        for entered in entries {
            assert_eq!(entered.to, InDevelopment);
            for effect in DEVELOPMENT_ENTRY {
                assert_eq!(entered.effects.iter().filter(|e| **e == effect).count(), 1);
            }
        }
    }

    #[test]
    fn an_isv_submitting_keeps_the_order_in_development_and_opens_an_audit() {
        let submitted = act(InDevelopment, Submit, Isv, paid());
        assert_eq!(submitted.to, InDevelopment);
        assert_eq!(submitted.effects, [Effect::OpenAudit]);
        assert!(
            submitted.deadlines.is_empty(),
            "the 30-day clock keeps running"
        );
    }

    #[test]
    fn a_passed_audit_moves_the_order_to_under_approval_for_7_days() {
        let facts = OrderFacts {
            audit_pending: true,
            ..paid()
        };
        let passed = act(InDevelopment, AuditPass, Platform, facts);
        assert_eq!(passed.to, UnderApproval);
        assert_eq!(
            passed.effects,
            [Effect::CloseAudit, Effect::NotifyAuditPassed]
        );
        assert_eq!(
            passed.deadlines,
            [
                DeadlineChange::Disarm(Timer::DevelopmentTimeout),
                DeadlineChange::Arm(Timer::ApprovalTimeout),
            ]
        );
    }

    #[test]
    fn a_turned_down_audit_keeps_the_order_in_development() {
        let facts = OrderFacts {
            audit_pending: true,
            ..paid()
        };
        let turned_down = act(InDevelopment, AuditReject, Platform, facts);
        assert_eq!(turned_down.to, InDevelopment);
        assert_eq!(
            turned_down.effects,
            [Effect::CloseAudit, Effect::NotifyAuditRejected]
        );
        assert!(turned_down.deadlines.is_empty());
    }

    #[test]
    fn an_isv_canceling_in_development_refunds_only_if_the_merchant_paid() {
        let canceled_paid = act(InDevelopment, Cancel, Isv, paid());
        assert_eq!(canceled_paid.to, Canceled);
        assert_eq!(canceled_paid.cancel_cause, Some(CancelCause::IsvCancelled));
        assert_eq!(canceled_paid.effects, [Effect::Refund]);
        assert_eq!(
            canceled_paid.deadlines,
            [DeadlineChange::Disarm(Timer::DevelopmentTimeout)]
        );
        let canceled_free = act(InDevelopment, Cancel, Isv, free());
        assert!(canceled_free.effects.is_empty());
        assert_eq!(
            order_query_status(Canceled, canceled_paid.cancel_cause),
            "ISV_CANCELLED"
        );
    }

    #[test]
    fn a_merchant_refund_in_development_cancels_the_order_without_the_isv_confirming() {
        let facts = OrderFacts {
            audit_pending: true,
            ..paid()
        };
        let refunded = act(InDevelopment, Refund, Merchant, facts);
        assert_eq!(refunded.to, Canceled);
        assert_eq!(refunded.cancel_cause, Some(CancelCause::MerchantRefunded));
        assert_eq!(refunded.effects, [Effect::CloseAudit, Effect::Refund]);
        assert_eq!(
            order_query_status(Canceled, refunded.cancel_cause),
            "MERCHANT_CANCELLED"
        );
    }

    #[test]
    fn an_order_not_under_approval_within_30_days_is_canceled_with_an_automatic_refund() {
        assert_eq!(Timer::DevelopmentTimeout.days(), 30);
        let lapsed = fire(InDevelopment, Timer::DevelopmentTimeout, paid());
        assert_eq!(lapsed.to, Canceled);
        assert_eq!(lapsed.cancel_cause, Some(CancelCause::DevelopmentTimeout));
        assert_eq!(lapsed.effects, [Effect::Refund]);
        assert!(fire(InDevelopment, Timer::DevelopmentTimeout, free())
            .effects
            .is_empty());
    }

    #[test]
    fn a_merchant_approving_under_approval_completes_the_order() {
        let approved = act(UnderApproval, Approve, Merchant, paid());
        assert_eq!(approved.to, Completed);
        assert!(approved.effects.is_empty());
        assert_eq!(
            approved.deadlines,
            [DeadlineChange::Disarm(Timer::ApprovalTimeout)]
        );
        assert_eq!(order_query_status(Completed, None), "DONE");
    }

    #[test]
    fn a_merchant_rejecting_the_delivery_returns_it_to_development_without_resetting_the_30_day_clock(
    ) {
        let rejected = act(UnderApproval, Reject, Merchant, paid());
        assert_eq!(rejected.to, InDevelopment);
        assert_eq!(rejected.cancel_cause, None);
        assert!(
            rejected.effects.is_empty(),
            "no second authorization or service period"
        );
        assert_eq!(
            rejected.deadlines,
            [
                DeadlineChange::Disarm(Timer::ApprovalTimeout),
                DeadlineChange::Resume(Timer::DevelopmentTimeout),
            ]
        );
    }

    #[test]
    fn a_merchant_refund_within_the_7_days_cancels_and_refunds() {
        let refunded = act(UnderApproval, Refund, Merchant, paid());
        assert_eq!(refunded.to, Canceled);
        assert_eq!(refunded.cancel_cause, Some(CancelCause::MerchantRefunded));
        assert_eq!(refunded.effects, [Effect::Refund]);
        assert_eq!(
            refunded.deadlines,
            [DeadlineChange::Disarm(Timer::ApprovalTimeout)]
        );
    }

    #[test]
    fn an_order_under_approval_completes_itself_after_7_days() {
        assert_eq!(Timer::ApprovalTimeout.days(), 7);
        let lapsed = fire(UnderApproval, Timer::ApprovalTimeout, paid());
        assert_eq!(lapsed.to, Completed);
        assert_eq!(lapsed.cancel_cause, None);
        assert!(lapsed.effects.is_empty());
    }

    // ---- the table as a whole ----

    #[test]
    fn the_table_has_one_start_row_and_one_row_per_status_and_trigger() {
        assert_eq!(TRANSITIONS.iter().filter(|r| r.from.is_none()).count(), 1);
        for (i, a) in TRANSITIONS.iter().enumerate() {
            for b in &TRANSITIONS[i + 1..] {
                assert!(
                    !(a.from == b.from && a.trigger == b.trigger),
                    "duplicate row {a:?}"
                );
                if let (Trigger::Action(x, _), Trigger::Action(y, _)) = (a.trigger, b.trigger) {
                    assert!(
                        !(a.from == b.from && x == y),
                        "two actors for {x} from {:?}",
                        a.from
                    );
                }
            }
        }
        assert_eq!(TRANSITIONS.len(), 17);
    }

    #[test]
    fn exactly_the_rows_into_canceled_name_a_cancel_cause_and_every_cause_is_used() {
        for row in TRANSITIONS {
            let cancels = row.to.possible().contains(&Canceled);
            assert_eq!(cancels, row.cancel_cause.is_some(), "{row:?}");
        }
        for &cause in CancelCause::ALL {
            assert!(TRANSITIONS.iter().any(|r| r.cancel_cause == Some(cause)));
        }
    }

    #[test]
    fn every_status_action_actor_combination_not_in_the_table_is_refused() {
        // The most permissive facts: any refusal then comes from the table, not a guard.
        let permissive = [
            OrderFacts {
                audit_pending: true,
                ..paid()
            },
            OrderFacts {
                audit_pending: false,
                ..paid()
            },
        ];
        for &status in OrderStatus::ALL {
            for &action in Action::ALL {
                for &actor in Actor::ALL {
                    let in_table = TRANSITIONS.iter().any(|r| {
                        r.from == Some(status) && r.trigger == Trigger::Action(action, actor)
                    });
                    for facts in &permissive {
                        let result = apply_action(status, action, actor, facts);
                        if !in_table {
                            assert!(result.is_err(), "{status}/{action}/{actor} was accepted");
                        }
                    }
                    if in_table {
                        assert!(
                            permissive
                                .iter()
                                .any(|facts| apply_action(status, action, actor, facts).is_ok()),
                            "{status}/{action}/{actor} is in the table but never accepted"
                        );
                    }
                }
            }
            for &timer in Timer::ALL {
                let in_table = TRANSITIONS
                    .iter()
                    .any(|r| r.from == Some(status) && r.trigger == Trigger::Timer(timer));
                assert_eq!(apply_timer(status, timer, &paid()).is_ok(), in_table);
            }
        }
    }

    #[test]
    fn completed_and_canceled_are_terminal_and_refuse_everything() {
        let terminal: Vec<_> = OrderStatus::ALL
            .iter()
            .copied()
            .filter(|s| s.is_terminal())
            .collect();
        assert_eq!(terminal, [Completed, Canceled]);
        for status in terminal {
            for &action in Action::ALL {
                for &actor in Actor::ALL {
                    assert_eq!(
                        apply_action(status, action, actor, &paid()),
                        Err(Refusal::Finished { status })
                    );
                }
            }
            assert!(timers_armed_on_entry(status).is_empty());
        }
    }

    #[test]
    fn no_refund_is_possible_online_once_completed() {
        assert!(allowed_actions(Completed, Merchant, &paid()).is_empty());
    }

    #[test]
    fn each_timer_runs_in_exactly_one_status() {
        assert_eq!(
            timers_armed_on_entry(AwaitingPayment),
            [Timer::UnpaidTimeout]
        );
        assert_eq!(
            timers_armed_on_entry(InDevelopment),
            [Timer::DevelopmentTimeout]
        );
        assert_eq!(
            timers_armed_on_entry(UnderApproval),
            [Timer::ApprovalTimeout]
        );
        for status in [New, PendingConfirmation, Completed, Canceled] {
            assert!(timers_armed_on_entry(status).is_empty());
        }
        assert_eq!(Timer::ApprovalTimeout.duration().as_secs(), 7 * 86_400);
        assert_eq!(Timer::DevelopmentTimeout.duration_secs(), 30 * 86_400);
    }

    // ---- refusals ----

    #[test]
    fn an_action_by_the_wrong_actor_is_refused_naming_who_may_do_it() {
        let refusal = apply_action(New, Accept, Merchant, &priced()).unwrap_err();
        assert_eq!(
            refusal,
            Refusal::NotYourAction {
                action: Accept,
                status: New,
                actor: Merchant,
                allowed: Isv
            }
        );
        assert_eq!(
            refusal.message_en(),
            "Only the ISV can use “Accept” on an order that is New Order."
        );
        assert_eq!(
            refusal.message_zh(),
            "只有服务商可以对“待接单”的订单执行“接单”。"
        );
    }

    #[test]
    fn an_action_from_the_wrong_status_is_refused() {
        assert_eq!(
            apply_action(New, Pay, Merchant, &priced()),
            Err(Refusal::NotInThisStatus {
                action: Pay,
                status: New
            })
        );
        assert_eq!(
            apply_action(UnderApproval, Confirm, Merchant, &paid()),
            Err(Refusal::NotInThisStatus {
                action: Confirm,
                status: UnderApproval
            })
        );
        assert!(apply_action(New, PlaceOrder, Merchant, &priced()).is_err());
    }

    #[test]
    fn submitting_again_while_an_audit_is_pending_is_refused() {
        let facts = OrderFacts {
            audit_pending: true,
            ..paid()
        };
        assert_eq!(
            apply_action(InDevelopment, Submit, Isv, &facts),
            Err(Refusal::AuditAlreadyPending)
        );
    }

    #[test]
    fn an_audit_decision_without_a_pending_submission_is_refused() {
        for action in [AuditPass, AuditReject] {
            assert_eq!(
                apply_action(InDevelopment, action, Platform, &paid()),
                Err(Refusal::NoAuditPending)
            );
        }
    }

    #[test]
    fn a_refund_of_an_order_that_was_never_paid_is_refused() {
        for status in [InDevelopment, UnderApproval] {
            assert_eq!(
                apply_action(status, Refund, Merchant, &free()),
                Err(Refusal::NothingPaid)
            );
        }
    }

    #[test]
    fn actions_lose_the_race_to_a_due_deadline() {
        let due = OrderFacts {
            deadline_passed: true,
            ..paid()
        };
        assert_eq!(
            apply_action(UnderApproval, Refund, Merchant, &due),
            Err(Refusal::DeadlinePassed {
                status: UnderApproval
            })
        );
        assert!(allowed_actions(UnderApproval, Merchant, &due).is_empty());
        assert!(apply_timer(UnderApproval, Timer::ApprovalTimeout, &due).is_ok());
        // Statuses without a deadline are not affected.
        assert!(apply_action(New, Accept, Isv, &due).is_ok());
    }

    #[test]
    fn a_timer_that_fires_after_the_order_moved_on_is_refused() {
        assert_eq!(
            apply_timer(InDevelopment, Timer::UnpaidTimeout, &paid()),
            Err(Refusal::TimerNotRunning {
                timer: Timer::UnpaidTimeout,
                status: InDevelopment
            })
        );
    }

    #[test]
    fn every_refusal_has_a_message_in_both_languages() {
        let refusals = [
            Refusal::Finished { status: Completed },
            Refusal::NotInThisStatus {
                action: Pay,
                status: New,
            },
            Refusal::NotYourAction {
                action: Accept,
                status: New,
                actor: Merchant,
                allowed: Isv,
            },
            Refusal::DeadlinePassed {
                status: UnderApproval,
            },
            Refusal::NoAuditPending,
            Refusal::AuditAlreadyPending,
            Refusal::NothingPaid,
            Refusal::TimerNotRunning {
                timer: Timer::ApprovalTimeout,
                status: New,
            },
        ];
        for refusal in refusals {
            assert!(!refusal.message(Lang::En).is_empty());
            assert!(!refusal.message(Lang::Zh).is_empty());
            assert_eq!(refusal.to_string(), refusal.message_en());
        }
    }

    // ---- what the UI and the gateway read ----

    #[test]
    fn allowed_actions_are_the_buttons_each_party_sees() {
        assert_eq!(allowed_actions(New, Isv, &priced()), [Accept, Reject]);
        assert!(allowed_actions(New, Merchant, &priced()).is_empty());
        assert_eq!(
            allowed_actions(PendingConfirmation, Merchant, &priced()),
            [Confirm, Reject]
        );
        assert_eq!(allowed_actions(AwaitingPayment, Merchant, &priced()), [Pay]);
        assert_eq!(
            allowed_actions(InDevelopment, Isv, &paid()),
            [Submit, Cancel]
        );
        assert_eq!(allowed_actions(InDevelopment, Merchant, &paid()), [Refund]);
        assert!(allowed_actions(InDevelopment, Merchant, &free()).is_empty());
        let pending = OrderFacts {
            audit_pending: true,
            ..paid()
        };
        assert_eq!(allowed_actions(InDevelopment, Isv, &pending), [Cancel]);
        assert_eq!(
            allowed_actions(InDevelopment, Platform, &pending),
            [AuditPass, AuditReject]
        );
        assert_eq!(
            allowed_actions(UnderApproval, Merchant, &paid()),
            [Approve, Reject, Refund]
        );
        for &status in OrderStatus::ALL {
            assert!(allowed_actions(status, Actor::Timer, &paid()).is_empty());
        }
    }

    #[test]
    fn statuses_have_the_labels_and_order_query_codes_of_the_spec() {
        let expected = [
            (AwaitingPayment, "Awaiting Payment", "待付款", "TO_DO"),
            (New, "New Order", "待接单", "TO_DO"),
            (
                PendingConfirmation,
                "Pending Confirmation",
                "待商家确认授权",
                "TO_DO",
            ),
            (InDevelopment, "In Development", "实施中", "DOING"),
            (UnderApproval, "Under Approval", "待商家确认", "TO_CONFIRM"),
            (Completed, "Completed", "已完结", "DONE"),
        ];
        for (status, en, zh, code) in expected {
            assert_eq!(status.label(Lang::En), en);
            assert_eq!(status.label(Lang::Zh), zh);
            assert_eq!(order_query_status(status, None), code);
        }
        assert_eq!(Canceled.label_en(), "Canceled");
        assert_eq!(Canceled.label_zh(), "已取消");
        assert_eq!(order_query_top_status(New), Some("MERCHANT_ORDED"));
        for &status in OrderStatus::ALL {
            if status != New {
                assert_eq!(order_query_top_status(status), None);
            }
        }
    }

    #[test]
    fn cancel_causes_map_to_the_four_alipay_cancel_codes() {
        let codes: BTreeSet<_> = CancelCause::ALL
            .iter()
            .map(|&c| order_query_status(Canceled, Some(c)))
            .collect();
        assert_eq!(
            codes,
            BTreeSet::from([
                "ISV_CANCELLED",
                "ISV_REJECTED",
                "MERCHANT_CANCELLED",
                "MERCHANT_REJECTED"
            ])
        );
    }

    #[test]
    fn stored_codes_parse_back_and_unknown_codes_are_refused() {
        for &s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str()), Ok(s));
            assert_eq!(s.as_str().parse::<OrderStatus>(), Ok(s));
        }
        for &a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Ok(a));
        }
        for &a in Actor::ALL {
            assert_eq!(Actor::parse(a.as_str()), Ok(a));
        }
        for &t in Timer::ALL {
            assert_eq!(Timer::parse(t.as_str()), Ok(t));
        }
        for &c in CancelCause::ALL {
            assert_eq!(CancelCause::parse(c.as_str()), Ok(c));
        }
        assert_eq!(
            OrderStatus::parse("InDevelopment").unwrap_err().to_string(),
            "unknown OrderStatus code \"InDevelopment\""
        );
    }

    // ---- properties ----

    #[derive(Debug, Clone)]
    enum Step {
        Act(Action, Actor),
        Fire(Timer),
        /// Pick one of the actions allowed right now (keeps sequences from stalling early).
        Allowed(usize),
    }

    fn step() -> impl Strategy<Value = (Step, bool)> {
        let step = prop_oneof![
            (select(Action::ALL), select(Actor::ALL)).prop_map(|(a, who)| Step::Act(a, who)),
            select(Timer::ALL).prop_map(Step::Fire),
            any::<usize>().prop_map(Step::Allowed),
            any::<usize>().prop_map(Step::Allowed),
        ];
        // A deadline is due in one step of ten.
        (step, proptest::bool::weighted(0.1))
    }

    fn row_of(outcome: &Outcome) -> &'static Transition {
        let rows: Vec<_> = TRANSITIONS
            .iter()
            .filter(|r| r.from == outcome.from && r.trigger == outcome.trigger)
            .collect();
        assert_eq!(rows.len(), 1, "{outcome:?}");
        rows[0]
    }

    /// Checks one accepted step against the table and carries its effects into the facts
    /// and its deadline changes into the set of armed timers.
    fn follow(outcome: &Outcome, facts: &mut OrderFacts, armed: &mut BTreeSet<Timer>) {
        let row = row_of(outcome);
        assert!(row.to.possible().contains(&outcome.to), "{outcome:?}");
        assert_eq!(outcome.cancel_cause, row.cancel_cause);
        assert_eq!(outcome.cancel_cause.is_some(), outcome.to == Canceled);
        for effect in &outcome.effects {
            match effect {
                Effect::RecordPayment => {
                    assert!(!facts.paid);
                    facts.paid = true;
                }
                Effect::Refund => {
                    assert!(facts.paid);
                    facts.paid = false;
                }
                Effect::OpenAudit => {
                    assert!(!facts.audit_pending);
                    facts.audit_pending = true;
                }
                Effect::CloseAudit => {
                    assert!(facts.audit_pending);
                    facts.audit_pending = false;
                }
                _ => {}
            }
        }
        for change in &outcome.deadlines {
            match *change {
                DeadlineChange::Arm(t) | DeadlineChange::Resume(t) => {
                    assert!(armed.insert(t), "{t} armed twice")
                }
                DeadlineChange::Disarm(t) => assert!(armed.remove(&t), "{t} was not armed"),
            }
        }
        let expected: BTreeSet<_> = timers_armed_on_entry(outcome.to).into_iter().collect();
        assert_eq!(*armed, expected, "armed timers after {outcome:?}");
    }

    proptest! {
        #[test]
        fn random_steps_only_ever_follow_table_rows(
            price_cents in prop_oneof![Just(0_i64), 1..=Money::MAX.cents()],
            needs_acceptance in any::<bool>(),
            steps in proptest::collection::vec(step(), 0..60),
        ) {
            let reachable: BTreeSet<OrderStatus> =
                TRANSITIONS.iter().flat_map(|r| r.to.possible().iter().copied()).collect();
            let mut facts = OrderFacts {
                price: Money::from_cents(price_cents).unwrap(),
                needs_acceptance,
                ..OrderFacts::default()
            };
            let mut armed = BTreeSet::new();
            let placed = place_order(&facts);
            prop_assert_eq!(placed.to, initial_status(&facts));
            follow(&placed, &mut facts, &mut armed);
            let mut status = placed.to;

            for (step, deadline_passed) in steps {
                facts.deadline_passed = deadline_passed && !armed.is_empty();
                let result = match step {
                    Step::Act(action, actor) => {
                        let result = apply_action(status, action, actor, &facts);
                        prop_assert_eq!(
                            allowed_actions(status, actor, &facts).contains(&action),
                            result.is_ok()
                        );
                        result
                    }
                    Step::Fire(timer) => {
                        let result = apply_timer(status, timer, &facts);
                        prop_assert_eq!(armed.contains(&timer), result.is_ok());
                        result
                    }
                    Step::Allowed(pick) => {
                        let choices: Vec<(Action, Actor)> = Actor::ALL
                            .iter()
                            .flat_map(|&who| {
                                allowed_actions(status, who, &facts).into_iter().map(move |a| (a, who))
                            })
                            .collect();
                        if choices.is_empty() {
                            continue;
                        }
                        let (action, actor) = choices[pick % choices.len()];
                        let result = apply_action(status, action, actor, &facts);
                        prop_assert!(result.is_ok());
                        result
                    }
                };
                if status.is_terminal() {
                    prop_assert!(result.is_err());
                }
                if let Ok(outcome) = result {
                    prop_assert_eq!(outcome.from, Some(status));
                    follow(&outcome, &mut facts, &mut armed);
                    status = outcome.to;
                    prop_assert!(reachable.contains(&status));
                }
                prop_assert!(!facts.audit_pending || status == InDevelopment);
                match status {
                    Canceled => prop_assert!(!facts.paid, "a canceled order keeps no money"),
                    Completed => prop_assert_eq!(facts.paid, facts.is_priced()),
                    _ => {}
                }
            }
        }
    }
}
