//! Services (Service Management > Services): an ISV workspace's services with their plans, the
//! service status machine (Draft → Pending Review → Online / Turn Down, Withdrawn, Archived),
//! the reviewer's queue of services, and the public service detail of the marketplace.
//!
//! Shared with the browser: the validation rules ([`rules`]), the status machine
//! ([`SERVICE_TRANSITIONS`], [`allowed_service_actions`]), the wire types below and the server
//! functions' client side ([`api`]). Server only (`ssr`): the queries ([`data`]) and the flows
//! that check the caller and do the work in one transaction ([`flows`]).
//!
//! Who may do what (members of the service's ISV workspace; anyone else gets Not Found):
//! - any member (Owner, Admin, Developer) creates services and edits them while they are
//!   Draft, Turn Down or Withdrawn;
//! - the Owner and Admins submit them for review, withdraw them from the marketplace and
//!   archive them: these decide what merchants see, so a Developer cannot;
//! - platform reviewers approve (→ Online) or turn down (with a reason) Pending Review services.
//!
//! An Online service cannot be edited: the ISV withdraws it, edits it and submits it again, so
//! the marketplace only ever shows reviewed content. Orders keep the period and price they were
//! placed with; a plan removed from a service that orders refer to is retired, not deleted.

pub mod api;
pub mod images;
pub mod rules;

#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod flows;

pub use api::{
    ApproveService, ArchiveService, CreateService, MarketplaceService, ServiceForEditing,
    ServiceReviewQueue, SubmitService, TurnDownService, UpdateService, WithdrawService,
    WorkspaceServices,
};
pub use rules::{PlanInput, ServiceFields, ServiceInput};

use crate::catalog::{Category, ServiceType};
use crate::domain::Money;
use crate::i18n::Bilingual;
use crate::onboarding::{IdentityType, MemberRole};
use serde::{Deserialize, Serialize};

/// The names of the service form's fields, as [`crate::auth::FieldErrors`] uses them. A plan's
/// fields are named by [`field::plan_period`] and [`field::plan_price`].
pub mod field {
    pub const NAME: &str = "name";
    pub const CATEGORY: &str = "category";
    pub const SERVICE_TYPE: &str = "service_type";
    pub const DESCRIPTION: &str = "description";
    pub const TERMINALS: &str = "terminals";
    /// The plan list as a whole (none, too many, two with one period).
    pub const PLANS: &str = "plans";
    pub const MAX_ORDER_PERIOD_DAYS: &str = "max_order_period_days";
    pub const SUBSCRIBER_RESTRICTION: &str = "subscriber_restriction";
    pub const MOBILE_ACCESS_URL: &str = "mobile_access_url";
    pub const PC_ACCESS_URL: &str = "pc_access_url";
    pub const PREVIEW_URL: &str = "preview_url";
    pub const REASON: &str = "reason";
    pub const FORM: &str = crate::auth::FieldErrors::FORM;

    /// The period (days) of the plan at `index` (0-based, in the form's order).
    pub fn plan_period(index: usize) -> String {
        format!("plans.{index}.period_days")
    }

    /// The price (yuan) of the plan at `index`.
    pub fn plan_price(index: usize) -> String {
        format!("plans.{index}.price")
    }
}

/// Declares a fieldless enum with one stable code per variant (stored in the database, sent by
/// forms and over the wire) and its English and Chinese labels.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident => $code:literal, $en:literal, $zh:literal; )* }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )*
        }

        impl $name {
            /// Every variant, in declaration (and canonical storage) order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The value stored in the database and sent by forms.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                let code = code.trim();
                $name::ALL.iter().copied().find(|value| value.code() == code)
            }
        }

        impl Bilingual for $name {
            fn labels(self) -> (&'static str, &'static str) {
                match self { $($name::$variant => ($en, $zh)),* }
            }
        }
    };
}

coded_enum! {
    /// Where a service stands.
    pub enum ServiceStatus {
        Draft => "draft", "Draft", "草稿";
        PendingReview => "pending_review", "Pending Review", "待审核";
        TurnedDown => "turned_down", "Turn Down", "已驳回";
        Online => "online", "Online", "已上架";
        Withdrawn => "withdrawn", "Withdrawn", "已下架";
        Archived => "archived", "Archived", "已归档";
    }
}

coded_enum! {
    /// A publishing terminal (发布端): where the merchant's mini program is published.
    pub enum Terminal {
        Alipay => "alipay", "Alipay app", "支付宝客户端";
        Amap => "amap", "Amap", "高德地图";
        Taobao => "taobao", "Taobao", "淘宝";
        DingTalk => "dingtalk", "DingTalk", "钉钉";
        Iot => "iot", "IoT devices", "IoT 设备";
    }
}

coded_enum! {
    /// What can be done to a service; [`SERVICE_TRANSITIONS`] says from which status.
    pub enum ServiceAction {
        Edit => "edit", "Edit", "编辑";
        Submit => "submit", "Submit for Review", "提交审核";
        Withdraw => "withdraw", "Withdraw", "下架";
        Archive => "archive", "Archive", "归档";
        Approve => "approve", "Approve", "审核通过";
        TurnDown => "turn_down", "Turn Down", "驳回";
    }
}

/// Who may take a service action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceActor {
    /// Any member of the ISV workspace.
    Member,
    /// The workspace's Owner or an Admin.
    Manager,
    /// A platform reviewer.
    Reviewer,
}

/// One row of the service status machine: `action` by `by` from any of `from` leads to `to`
/// (`None`: the status stays, as for an edit).
#[derive(Clone, Copy, Debug)]
pub struct ServiceTransition {
    pub action: ServiceAction,
    pub by: ServiceActor,
    pub from: &'static [ServiceStatus],
    pub to: Option<ServiceStatus>,
}

/// THE service status machine.
pub static SERVICE_TRANSITIONS: &[ServiceTransition] = {
    use ServiceStatus::*;
    const EDITABLE: &[ServiceStatus] = &[Draft, TurnedDown, Withdrawn];
    &[
        ServiceTransition {
            action: ServiceAction::Edit,
            by: ServiceActor::Member,
            from: EDITABLE,
            to: None,
        },
        ServiceTransition {
            action: ServiceAction::Submit,
            by: ServiceActor::Manager,
            from: EDITABLE,
            to: Some(PendingReview),
        },
        ServiceTransition {
            action: ServiceAction::Approve,
            by: ServiceActor::Reviewer,
            from: &[PendingReview],
            to: Some(Online),
        },
        ServiceTransition {
            action: ServiceAction::TurnDown,
            by: ServiceActor::Reviewer,
            from: &[PendingReview],
            to: Some(TurnedDown),
        },
        ServiceTransition {
            action: ServiceAction::Withdraw,
            by: ServiceActor::Manager,
            from: &[Online],
            to: Some(Withdrawn),
        },
        ServiceTransition {
            action: ServiceAction::Archive,
            by: ServiceActor::Manager,
            from: &[Draft, TurnedDown, Online, Withdrawn],
            to: Some(Archived),
        },
    ]
};

impl ServiceAction {
    fn transition(self) -> &'static ServiceTransition {
        SERVICE_TRANSITIONS
            .iter()
            .find(|row| row.action == self)
            .expect("every service action has a row")
    }

    /// Who may take this action.
    pub fn actor(self) -> ServiceActor {
        self.transition().by
    }

    /// The status after this action from `status`, or `None` when it is not possible from there.
    pub fn apply(self, status: ServiceStatus) -> Option<ServiceStatus> {
        let row = self.transition();
        row.from
            .contains(&status)
            .then_some(row.to.unwrap_or(status))
    }
}

impl ServiceActor {
    /// Whether a workspace member with `role` acts as this.
    pub fn includes(self, role: MemberRole) -> bool {
        match self {
            ServiceActor::Member => true,
            ServiceActor::Manager => matches!(role, MemberRole::Owner | MemberRole::Admin),
            ServiceActor::Reviewer => false,
        }
    }
}

/// The actions a workspace member with `role` may take on a service in `status`: the buttons
/// of the console, and what the server accepts.
pub fn allowed_service_actions(status: ServiceStatus, role: MemberRole) -> Vec<ServiceAction> {
    SERVICE_TRANSITIONS
        .iter()
        .filter(|row| row.by.includes(role) && row.from.contains(&status))
        .map(|row| row.action)
        .collect()
}

/// A plan of a service: a period and its price (0 = free).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanView {
    pub id: i64,
    pub period_days: i64,
    pub price: Money,
}

/// A service with every field, as its ISV workspace sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceView {
    pub id: i64,
    pub workspace_id: i64,
    pub name: String,
    pub category: Category,
    pub service_type: ServiceType,
    pub description: String,
    /// Publishing terminals, in canonical order.
    pub terminals: Vec<Terminal>,
    /// The live plans, in the form's order.
    pub plans: Vec<PlanView>,
    pub max_order_period_days: i64,
    /// Who may subscribe; empty = anyone.
    pub subscriber_restriction: Vec<IdentityType>,
    /// Whether the ISV must accept (接单) each order.
    pub needs_acceptance: bool,
    pub mobile_access_url: Option<String>,
    pub pc_access_url: Option<String>,
    /// The Try now (立即体验) preview.
    pub preview_url: Option<String>,
    /// The images in order; the first is the cover ([`images`]).
    pub images: Vec<ServiceImage>,
    pub status: ServiceStatus,
    /// The reviewer's reason, while the service is Turn Down.
    pub turn_down_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub reviewed_at: Option<i64>,
    pub published_at: Option<i64>,
}

/// One of a service's images and where it is served ([`images::image_path`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceImage {
    pub id: i64,
    pub url: String,
}

/// A service in the console's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSummary {
    pub id: i64,
    pub name: String,
    pub category: Category,
    pub service_type: ServiceType,
    pub status: ServiceStatus,
    pub turn_down_reason: Option<String>,
    /// The cheapest live plan's price.
    pub lowest_price: Option<Money>,
    pub updated_at: i64,
}

/// The console's service page: the service and what the caller may do with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceEditorView {
    pub service: ServiceView,
    pub my_role: MemberRole,
    /// The buttons to show ([`allowed_service_actions`]).
    pub allowed_actions: Vec<ServiceAction>,
}

/// A service in the reviewer's queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceReviewItem {
    pub service: ServiceView,
    /// The ISV workspace's name (its Company Name).
    pub isv_name: String,
    /// The reason it was last turned down, when this is a resubmission.
    pub previous_turn_down_reason: Option<String>,
}

/// An Online service's detail page in the marketplace (public).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceDetail {
    pub id: i64,
    pub name: String,
    pub isv_name: String,
    pub category: Category,
    pub service_type: ServiceType,
    pub description: String,
    pub terminals: Vec<Terminal>,
    pub plans: Vec<PlanView>,
    pub max_order_period_days: i64,
    /// Who may subscribe; empty = anyone.
    pub subscriber_restriction: Vec<IdentityType>,
    pub needs_acceptance: bool,
    /// 立即体验 opens this; `None`: the service offers no preview.
    pub preview_url: Option<String>,
    /// The images in order; the first is the cover.
    pub images: Vec<ServiceImage>,
    pub published_at: i64,
    /// 立即获取 leads here ([`order_path`]).
    pub order_path: String,
}

/// The order page of a service (立即获取).
pub fn order_path(service_id: i64) -> String {
    format!("/market/services/{service_id}/order")
}

/// The marketplace detail page of a service.
pub fn detail_path(service_id: i64) -> String {
    format!("/market/services/{service_id}")
}

/// Stores a list of coded values in the canonical order of `all` without repeats:
/// `enterprise,individual`.
pub fn join_codes<T: Copy + PartialEq>(
    all: &[T],
    chosen: &[T],
    code: impl Fn(T) -> &'static str,
) -> String {
    all.iter()
        .copied()
        .filter(|value| chosen.contains(value))
        .map(code)
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads a stored list of codes; unknown codes (from a newer build) are skipped.
pub fn split_codes<T>(stored: &str, from_code: impl Fn(&str) -> Option<T>) -> Vec<T> {
    stored
        .split(',')
        .filter(|code| !code.trim().is_empty())
        .filter_map(from_code)
        .collect()
}

/// The fixed messages of service management and review, in English and Chinese.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServicesText {
    NameRequired,
    CategoryUnknown,
    ServiceTypeUnknown,
    DescriptionRequired,
    TerminalsRequired,
    TerminalUnknown,
    PlansRequired,
    TooManyPlans,
    PlanPeriodFormat,
    PlanPeriodRepeated,
    PlanPeriodOverMaximum,
    MaxOrderPeriodFormat,
    IdentityTypeUnknown,
    UrlFormat,
    ReasonRequired,
    WorkspaceNotActive,
    NotAnIsvWorkspace,
    OnlineNotEditable,
    ManagersOnly,
    ImageRequired,
    ImageTooLarge,
    ImageFormat,
    TooManyImages,
}

impl Bilingual for ServicesText {
    fn labels(self) -> (&'static str, &'static str) {
        use ServicesText::*;
        match self {
            NameRequired => ("Service name is required.", "请填写服务名称。"),
            CategoryUnknown => ("Choose a category from the list.", "请从列表中选择类目。"),
            ServiceTypeUnknown => (
                "Choose industry template, normal template or mini program development.",
                "请选择行业模板、普通模板或小程序开发。",
            ),
            DescriptionRequired => ("Description is required.", "请填写服务介绍。"),
            TerminalsRequired => (
                "Choose at least one publishing terminal.",
                "请至少选择一个发布端。",
            ),
            TerminalUnknown => (
                "Choose publishing terminals from the list.",
                "请从列表中选择发布端。",
            ),
            PlansRequired => (
                "Add at least one plan (a period in days and a price).",
                "请至少添加一个套餐（周期天数和价格）。",
            ),
            TooManyPlans => ("A service can have at most 10 plans.", "一个服务最多 10 个套餐。"),
            PlanPeriodFormat => (
                "Enter the period as a whole number of days from 1 to 3650.",
                "周期请填写 1 到 3650 之间的整数天数。",
            ),
            PlanPeriodRepeated => (
                "Another plan already has this period.",
                "已有其他套餐使用该周期。",
            ),
            PlanPeriodOverMaximum => (
                "A plan's period cannot exceed the maximum order period.",
                "套餐周期不能超过最长订购时间。",
            ),
            MaxOrderPeriodFormat => (
                "Enter the maximum order period as a whole number of days from 1 to 3650.",
                "最长订购时间请填写 1 到 3650 之间的整数天数。",
            ),
            IdentityTypeUnknown => (
                "Choose enterprise, individual or individual business.",
                "请选择企业、个人或个体工商户。",
            ),
            UrlFormat => (
                "Enter a full address starting with https:// or http://, like https://www.example.com/app.",
                "请输入以 https:// 或 http:// 开头的完整地址，例如 https://www.example.com/app。",
            ),
            ReasonRequired => (
                "Enter the reason for turning the service down; the ISV will see it.",
                "请填写驳回原因，服务商将看到该原因。",
            ),
            WorkspaceNotActive => (
                "Services can be created once the workspace is approved.",
                "工作空间审核通过后才能创建服务。",
            ),
            NotAnIsvWorkspace => (
                "Services belong to ISV workspaces.",
                "只有服务商工作空间可以创建服务。",
            ),
            OnlineNotEditable => (
                "An Online service cannot be edited. Withdraw it first, then edit it and submit it for review again.",
                "已上架的服务不能编辑。请先下架，修改后重新提交审核。",
            ),
            ManagersOnly => (
                "Only the workspace Owner or an Admin can do this.",
                "只有工作空间所有者或管理员可以执行此操作。",
            ),
            ImageRequired => ("Choose an image to upload.", "请选择要上传的图片。"),
            ImageTooLarge => (
                "The image is larger than 2 MB. Choose a smaller one.",
                "图片超过 2 MB，请选择较小的图片。",
            ),
            ImageFormat => (
                "The image must be a PNG or JPEG file.",
                "图片须为 PNG 或 JPEG 格式。",
            ),
            TooManyImages => (
                "A service can have at most 6 images. Remove one first.",
                "一个服务最多 6 张图片，请先删除一张。",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use ServiceStatus::*;

    #[test]
    fn codes_read_back_and_labels_speak_both_languages() {
        for status in ServiceStatus::ALL {
            assert_eq!(ServiceStatus::from_code(status.code()), Some(*status));
        }
        for terminal in Terminal::ALL {
            assert_eq!(Terminal::from_code(terminal.code()), Some(*terminal));
        }
        assert_eq!(TurnedDown.label(Lang::En), "Turn Down");
        assert_eq!(Online.label(Lang::Zh), "已上架");
        assert_eq!(ServiceStatus::from_code("Online"), None);
    }

    #[test]
    fn a_draft_is_submitted_reviewed_withdrawn_and_archived() {
        assert_eq!(ServiceAction::Submit.apply(Draft), Some(PendingReview));
        assert_eq!(ServiceAction::Approve.apply(PendingReview), Some(Online));
        assert_eq!(
            ServiceAction::TurnDown.apply(PendingReview),
            Some(TurnedDown)
        );
        assert_eq!(ServiceAction::Submit.apply(TurnedDown), Some(PendingReview));
        assert_eq!(ServiceAction::Withdraw.apply(Online), Some(Withdrawn));
        assert_eq!(ServiceAction::Submit.apply(Withdrawn), Some(PendingReview));
        for status in [Draft, TurnedDown, Online, Withdrawn] {
            assert_eq!(ServiceAction::Archive.apply(status), Some(Archived));
        }
    }

    #[test]
    fn pending_online_and_archived_services_are_not_edited_and_archived_is_final() {
        for status in [PendingReview, Online, Archived] {
            assert_eq!(ServiceAction::Edit.apply(status), None, "{status:?}");
        }
        assert_eq!(ServiceAction::Edit.apply(TurnedDown), Some(TurnedDown));
        assert_eq!(ServiceAction::Archive.apply(PendingReview), None);
        for action in ServiceAction::ALL {
            assert_eq!(action.apply(Archived), None);
        }
        assert_eq!(ServiceAction::Withdraw.apply(Draft), None);
    }

    #[test]
    fn developers_edit_while_owners_and_admins_also_publish() {
        assert_eq!(
            allowed_service_actions(Draft, MemberRole::Developer),
            [ServiceAction::Edit]
        );
        assert_eq!(
            allowed_service_actions(Draft, MemberRole::Admin),
            [
                ServiceAction::Edit,
                ServiceAction::Submit,
                ServiceAction::Archive
            ]
        );
        assert_eq!(
            allowed_service_actions(Online, MemberRole::Owner),
            [ServiceAction::Withdraw, ServiceAction::Archive]
        );
        assert!(allowed_service_actions(PendingReview, MemberRole::Owner).is_empty());
        assert!(allowed_service_actions(Online, MemberRole::Developer).is_empty());
    }

    #[test]
    fn lists_are_stored_in_canonical_order_without_repeats() {
        let stored = join_codes(
            Terminal::ALL,
            &[Terminal::Taobao, Terminal::Alipay, Terminal::Taobao],
            Terminal::code,
        );
        assert_eq!(stored, "alipay,taobao");
        assert_eq!(
            split_codes(&stored, Terminal::from_code),
            [Terminal::Alipay, Terminal::Taobao]
        );
        assert!(split_codes("", Terminal::from_code).is_empty());
        let identities = join_codes(
            &IdentityType::ALL,
            &[IdentityType::IndividualBusiness, IdentityType::Enterprise],
            IdentityType::code,
        );
        assert_eq!(identities, "enterprise,individual_business");
    }

    #[test]
    fn every_message_has_both_languages() {
        use ServicesText::*;
        for text in [
            NameRequired,
            CategoryUnknown,
            ServiceTypeUnknown,
            DescriptionRequired,
            TerminalsRequired,
            TerminalUnknown,
            PlansRequired,
            TooManyPlans,
            PlanPeriodFormat,
            PlanPeriodRepeated,
            PlanPeriodOverMaximum,
            MaxOrderPeriodFormat,
            IdentityTypeUnknown,
            UrlFormat,
            ReasonRequired,
            WorkspaceNotActive,
            NotAnIsvWorkspace,
            OnlineNotEditable,
            ManagersOnly,
        ] {
            let (en, zh) = text.labels();
            assert!(en.is_ascii() && !zh.is_ascii(), "{text:?}");
        }
    }
}
