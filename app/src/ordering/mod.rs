//! Merchant ordering (seed 001 §1-6): the merchant's mini programs and their built versions,
//! the order page with every rule of PRODUCT.md §2, placing an order (订购并授权), the
//! simulated cashier, and 我的服务 (My services) with 进入服务, 续订 and 再次订购.
//!
//! Shared with the browser: the rules ([`rules`]), the wire types below and the server
//! functions' client side ([`api`]). Server only (`ssr`): the queries ([`data`]), the order
//! lifecycle's persistence ([`lifecycle`]: every status change goes through
//! [`crate::domain::order`]'s table and lands here) and the flows ([`flows`]).
//!
//! **Renewals.** A renewal (续订) or a repeat order (再次订购) is a new order of the same
//! service for the same mini program, placed through the same order page and the same
//! lifecycle. It refers to the newest earlier order of that pair that had a service period
//! (`renewal_of_order_id`), and its period starts when the current validity ends (or now, when
//! it has ended), so validity extends without a gap. Once a version built for that service is
//! online, the remaining validity after the renewal may not exceed 365 days; before that there
//! is no cap but the service's maximum order period.

pub mod api;
pub mod rules;

#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod flows;
#[cfg(feature = "ssr")]
pub mod lifecycle;

pub use api::{
    Cashier, CreateMiniProgram, MyMiniPrograms, MyServices, OrderPage, PayOrder, PlaceOrder,
};
pub use rules::OrderInput;

use crate::auth::BiText;
use crate::domain::{AppId, CancelCause, Money, OrderNo, OrderStatus};
use crate::i18n::Bilingual;
use crate::onboarding::IdentityType;
use crate::services::{ServiceDetail, Terminal};
use serde::{Deserialize, Serialize};

/// The names of the fields of the order page and the mini program form.
pub mod field {
    pub const SERVICE_ID: &str = "service_id";
    pub const PLAN_ID: &str = "plan_id";
    pub const MINI_PROGRAM_ID: &str = "mini_program_id";
    pub const TERMINALS: &str = "terminals";
    pub const CONTACT_NAME: &str = "contact_name";
    pub const CONTACT_MOBILE: &str = "contact_mobile";
    pub const AGREE_TO_AGREEMENT: &str = "agree_to_agreement";
    pub const ACKNOWLEDGE_OVERWRITE: &str = "acknowledge_overwrite";
    /// The merchant's identity type does not fit the service's subscriber restriction: the
    /// page leads to certification ([`super::IdentityCheck`]) and back to the order.
    pub const SUBSCRIBER_RESTRICTION: &str = "subscriber_restriction";
    /// The account has not onboarded as a merchant yet: the page leads to merchant onboarding.
    pub const MERCHANT: &str = "merchant";
    pub const NAME: &str = "name";
    pub const APP_ID: &str = "app_id";
    pub const FORM: &str = crate::auth::FieldErrors::FORM;
}

/// The agreement the order page links to.
pub const AGREEMENT_PATH: &str = "/terms";
/// Where a merchant onboards (merchant name, identity type, certification).
pub const MERCHANT_ONBOARDING_PATH: &str = "/onboarding/merchant";
/// The longest remaining validity a renewal may leave once a version is online.
pub const RENEWAL_CAP_DAYS: i64 = 365;
pub const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The cashier page of an order.
pub fn cashier_path(order_no: &OrderNo) -> String {
    format!("/cashier/{order_no}")
}

/// The order page with a mini program chosen: where 续订 and 再次订购 lead.
pub fn renewal_path(service_id: i64, mini_program_id: i64) -> String {
    format!(
        "{}?mini_program_id={mini_program_id}",
        crate::services::order_path(service_id)
    )
}

/// The certification page, coming back to `return_to` (the order page) when done.
pub fn certification_path(return_to: &str) -> String {
    format!(
        "{MERCHANT_ONBOARDING_PATH}?return_to={}",
        encode_path(return_to)
    )
}

/// Percent-encodes what a path in a query value cannot hold as is.
fn encode_path(path: &str) -> String {
    let mut out = String::new();
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Where a mini program version stands (mini_program_versions.status).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionStatus {
    Building,
    Auditing,
    AuditPassed,
    AuditRejected,
    Online,
}

impl VersionStatus {
    pub const ALL: [VersionStatus; 5] = [
        VersionStatus::Building,
        VersionStatus::Auditing,
        VersionStatus::AuditPassed,
        VersionStatus::AuditRejected,
        VersionStatus::Online,
    ];

    pub fn code(self) -> &'static str {
        match self {
            VersionStatus::Building => "building",
            VersionStatus::Auditing => "auditing",
            VersionStatus::AuditPassed => "audit_passed",
            VersionStatus::AuditRejected => "audit_rejected",
            VersionStatus::Online => "online",
        }
    }

    pub fn from_code(code: &str) -> Option<VersionStatus> {
        VersionStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl Bilingual for VersionStatus {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            VersionStatus::Building => ("Building", "构建中"),
            VersionStatus::Auditing => ("Under Audit", "审核中"),
            VersionStatus::AuditPassed => ("Audit Passed", "审核通过"),
            VersionStatus::AuditRejected => ("Audit Rejected", "审核驳回"),
            VersionStatus::Online => ("Online", "已上架"),
        }
    }
}

/// A built version of a mini program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionView {
    pub id: i64,
    pub version: String,
    pub status: VersionStatus,
    pub created_at: i64,
    pub online_at: Option<i64>,
}

/// One of the merchant's mini programs, with its built versions, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MiniProgramView {
    pub id: i64,
    pub name: String,
    pub app_id: AppId,
    pub created_at: i64,
    pub versions: Vec<VersionView>,
}

/// Whether a mini program can be chosen on the order page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Availability {
    Selectable,
    /// Shown greyed out, with the reason.
    Disabled {
        reason: BiText,
    },
}

/// A mini program on the order page (those authorized to another ISV are not listed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MiniProgramOption {
    pub id: i64,
    pub name: String,
    pub app_id: AppId,
    pub availability: Availability,
    /// The high-risk warning to show (and have acknowledged) when the mini program already has
    /// built versions: the template build overwrites them.
    pub overwrite_warning: Option<BiText>,
    /// The service's current validity for this mini program ends here: ordering renews it.
    pub valid_to: Option<i64>,
}

/// How the merchant's identity type fits the service's subscriber restriction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityCheck {
    pub identity_type: IdentityType,
    /// Who may subscribe; empty = anyone.
    pub allowed: Vec<IdentityType>,
    pub fits: bool,
    /// An individual may upgrade to individual business, which the service accepts.
    pub can_upgrade_to_individual_business: bool,
    /// When it does not fit: the message to show…
    pub message: Option<BiText>,
    /// …and where certification is, coming back to this order page.
    pub certification_path: Option<String>,
}

/// The order page (立即获取): the service, the chosen plan, the merchant's mini programs, the
/// terminals to choose from and the identity check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderPageView {
    pub service: ServiceDetail,
    /// The plan the mini programs' availability was worked out for.
    pub selected_plan_id: i64,
    pub mini_programs: Vec<MiniProgramOption>,
    /// The mini program the page came with (续订 / 再次订购), when it is listed.
    pub preselected_mini_program_id: Option<i64>,
    /// The service's terminals; when there is only one it is chosen for the merchant.
    pub terminals: Vec<Terminal>,
    /// Whether to show the terminal choice (the service supports several).
    pub choose_terminals: bool,
    pub identity: IdentityCheck,
    pub agreement_path: String,
}

/// An order as the merchant sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub order_no: OrderNo,
    pub service_id: i64,
    pub service_name: String,
    pub isv_name: String,
    pub mini_program_id: i64,
    pub mini_program_name: String,
    pub app_id: AppId,
    pub period_days: i64,
    pub amount: Money,
    pub status: OrderStatus,
    pub cancel_cause: Option<CancelCause>,
    pub terminals: Vec<Terminal>,
    pub contact_name: String,
    pub contact_mobile: String,
    pub created_at: i64,
    pub paid_at: Option<i64>,
    pub service_start_at: Option<i64>,
    pub service_end_at: Option<i64>,
    /// The order this one renews.
    pub renewal_of: Option<OrderNo>,
}

/// What comes after 订购并授权.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NextStep {
    /// A priced order: pay at the cashier (or leave it unpaid: canceled after 3 days).
    Cashier { path: String, pay_by: i64 },
    /// The ISV accepts (接单) the order first.
    AwaitAcceptance,
    /// Free, no acceptance: the ISV is authorized and implements the service now.
    InDevelopment,
}

/// The answer to 订购并授权.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedOrder {
    pub order: OrderView,
    pub next: NextStep,
}

/// The cashier (收银台): the order to pay and until when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CashierView {
    pub order: OrderView,
    /// Whether Pay is possible now (Awaiting Payment, deadline not passed).
    pub payable: bool,
    /// The 3-day deadline: unpaid by then, the order is canceled.
    pub pay_by: Option<i64>,
}

/// 进入服务: where the merchant goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EnterService {
    /// The ISV's mobile merchant access URL.
    Open { url: String },
    /// No mobile access: use My services > Enter configuration on a PC.
    UsePc { message: BiText },
}

/// 续订 (the service is running) or 再次订购 (it has finished).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RenewalKind {
    Renew,
    OrderAgain,
}

impl Bilingual for RenewalKind {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            RenewalKind::Renew => ("Renew", "续订"),
            RenewalKind::OrderAgain => ("Order again", "再次订购"),
        }
    }
}

/// The renewal button of a subscribed service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalOffer {
    pub kind: RenewalKind,
    /// The order page with this mini program chosen.
    pub path: String,
    /// Why renewing is not possible now (the 365-day rule, the service withdrawn…); the page
    /// shows it instead of leading to the order page.
    pub refusal: Option<BiText>,
}

/// One ordered service of a mini program in 我的服务.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscribedService {
    pub service_id: i64,
    pub service_name: String,
    pub isv_name: String,
    /// The newest order of this service for this mini program.
    pub latest_order: OrderView,
    /// Validity of the current period chain; `None` before the service period starts.
    pub valid_from: Option<i64>,
    pub valid_to: Option<i64>,
    /// Still running (an order in progress or validity left): 续订; else 再次订购.
    pub running: bool,
    pub enter: EnterService,
    pub renewal: RenewalOffer,
}

/// A mini program and its ordered services in 我的服务.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyMiniProgram {
    pub id: i64,
    pub name: String,
    pub app_id: AppId,
    pub services: Vec<SubscribedService>,
}

/// The fixed messages of ordering, in English and Chinese.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderingText {
    MerchantOnboardingRequired,
    MiniProgramNameRequired,
    AppIdTaken,
    MiniProgramUnknown,
    AuthorizedToAnotherIsv,
    PlanUnknown,
    TerminalsRequired,
    TerminalNotOffered,
    ContactNameRequired,
    MobileFormat,
    AgreementRequired,
    OverwriteWarning,
    RenewalCap,
    ServiceNotOnSale,
    UsePc,
    AlreadyPaid,
}

impl Bilingual for OrderingText {
    fn labels(self) -> (&'static str, &'static str) {
        use OrderingText::*;
        match self {
            MerchantOnboardingRequired => (
                "Complete merchant onboarding (merchant name, identity type and certification) before ordering.",
                "请先完成商家入驻（商家名称、身份类型与认证）后再订购。",
            ),
            MiniProgramNameRequired => ("Mini program name is required.", "请填写小程序名称。"),
            AppIdTaken => (
                "This App ID belongs to another mini program.",
                "该应用 ID 已被其他小程序使用。",
            ),
            MiniProgramUnknown => ("Choose one of your mini programs.", "请选择您的小程序。"),
            AuthorizedToAnotherIsv => (
                "This mini program is authorized to another service provider, so it cannot order this service.",
                "该小程序已授权给其他服务商，不能订购该服务。",
            ),
            PlanUnknown => ("Choose one of this service's plans.", "请选择该服务的套餐。"),
            TerminalsRequired => (
                "Choose at least one publishing terminal.",
                "请至少选择一个发布端。",
            ),
            TerminalNotOffered => (
                "Choose only publishing terminals this service supports.",
                "请只选择该服务支持的发布端。",
            ),
            ContactNameRequired => ("Contact name is required.", "请填写联系人名称。"),
            MobileFormat => (
                "Enter a mainland China mobile number: 11 digits starting with 1, like 13800138000.",
                "请输入中国大陆手机号码：以 1 开头的 11 位数字，例如 13800138000。",
            ),
            AgreementRequired => (
                "Read and agree to the service agreement to order.",
                "请阅读并同意服务协议后再订购。",
            ),
            OverwriteWarning => (
                "High risk: this mini program already has built versions. The template build will overwrite them and their data will be lost; make sure this does not affect your business.",
                "高风险：该小程序已构建过版本，小程序模板实施后将会覆盖之前的版本，原来的数据将丢失，请确保不会影响您的业务。",
            ),
            RenewalCap => (
                "The remaining validity of this service would exceed 365 days, so it cannot be renewed for now.",
                "该服务您的剩余有效期超过365天，暂时不能续订",
            ),
            ServiceNotOnSale => (
                "This service is no longer on sale.",
                "该服务已下架。",
            ),
            UsePc => (
                "This service has no mobile access. Sign in to the open platform on a PC and use My services > Enter configuration.",
                "服务商未配置移动端访问地址，请登录 PC 端开放平台，从 我的服务 > 进入配置后台 进入。",
            ),
            AlreadyPaid => ("This order has been paid.", "该订单已付款。"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_lead_to_the_order_page_the_cashier_and_back_from_certification() {
        assert_eq!(
            renewal_path(7, 3),
            "/market/services/7/order?mini_program_id=3"
        );
        let no = OrderNo::parse("202601010000000000000042").unwrap();
        assert_eq!(cashier_path(&no), "/cashier/202601010000000000000042");
        assert_eq!(
            certification_path("/market/services/7/order?plan_id=2"),
            "/onboarding/merchant?return_to=/market/services/7/order%3Fplan_id%3D2"
        );
    }

    #[test]
    fn the_renewal_cap_has_the_exact_wording_of_the_seed() {
        assert_eq!(
            OrderingText::RenewalCap.labels().1,
            "该服务您的剩余有效期超过365天，暂时不能续订"
        );
    }

    #[test]
    fn every_message_has_both_languages() {
        use OrderingText::*;
        for text in [
            MerchantOnboardingRequired,
            MiniProgramNameRequired,
            AppIdTaken,
            MiniProgramUnknown,
            AuthorizedToAnotherIsv,
            PlanUnknown,
            TerminalsRequired,
            TerminalNotOffered,
            ContactNameRequired,
            MobileFormat,
            AgreementRequired,
            OverwriteWarning,
            RenewalCap,
            ServiceNotOnSale,
            UsePc,
            AlreadyPaid,
        ] {
            let (en, zh) = text.labels();
            assert!(en.is_ascii() && !zh.is_ascii(), "{text:?}");
        }
        for status in VersionStatus::ALL {
            assert_eq!(VersionStatus::from_code(status.code()), Some(status));
        }
    }
}
