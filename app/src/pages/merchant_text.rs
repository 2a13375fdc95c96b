//! The texts of the merchant pages (service detail, order, cashier, 我的服务, mini programs,
//! certification), in English and seed 001's Chinese wording. Kept apart from
//! [`crate::i18n::Text`] so these pages own their vocabulary.

use crate::i18n::{use_i18n, Bilingual, Lang, Text};
use leptos::prelude::*;
use leptos_meta::Title;

/// Every fixed text of the merchant pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MerchantText {
    // the service detail page
    ServiceDetailTitle,
    BackToMarketplace,
    TryNow,
    GetNow,
    NoPreview,
    ServiceProvider,
    Plans,
    PublishingTerminals,
    WhoMayOrder,
    Anyone,
    MaxOrderPeriod,
    OrderAcceptance,
    IsvAccepts,
    StartsAtOnce,
    ServiceUnavailable,
    // the order page
    OrderTitle,
    ChoosePlan,
    ChooseMiniProgram,
    NoMiniProgramsYet,
    CreateMiniProgram,
    MiniProgramName,
    AppIdOptional,
    AppIdHint,
    Create,
    Cancel,
    MiniProgramCreated,
    CurrentValidityEnds,
    AcknowledgeOverwrite,
    ConfirmOverwriteFirst,
    TerminalsLabel,
    PublishedTo,
    ContactName,
    ContactMobile,
    ContactMobileHint,
    IAgreeToThe,
    ServiceAgreement,
    OrderAndAuthorize,
    Total,
    GoToCertification,
    MerchantsOnly,
    ChooseAMiniProgram,
    // the cashier
    CashierTitle,
    AmountDue,
    OrderNo,
    OrderStatus,
    Service,
    MiniProgram,
    ServicePeriod,
    PayBy,
    UnpaidCanceled,
    SimulatedPayment,
    PayNow,
    PayLater,
    PaymentDone,
    NotPayable,
    GoToMyServices,
    // 我的服务
    MyServices,
    MyServicesLead,
    NoServicesYet,
    BrowseMarketplace,
    EnterService,
    Validity,
    PeriodNotStarted,
    LatestOrder,
    GoToCashier,
    PlacedAwaitingAcceptance,
    PlacedInDevelopment,
    ManageMiniPrograms,
    // mini programs
    MiniPrograms,
    MiniProgramsLead,
    AppId,
    CreatedAt,
    BuiltVersions,
    NoVersions,
    OnlineAt,
    NoMiniProgramsListed,
    // certification
    CertificationTitle,
    CertifiedAs,
    UpgradeLead,
    UpgradeButton,
    UpgradeLicenceName,
    UpgradeCreditCode,
    IdentityFixed,
    BackToOrder,
    Upgraded,
    // Service Orders and 应用授权 (issue 5, `merchant_orders`)
    ServiceOrders,
    ServiceOrdersLead,
    BackToServiceOrders,
    ServiceFee,
    Authorizations,
    AuthorizationsLead,
    NoAuthorizations,
    AuthorizedSince,
    ValidUntil,
    CancelledAt,
    IsvApp,
    CancelAuthorization,
    CancelAuthorizationConfirm,
    KeepAuthorization,
    AuthorizationCancelled,
}

impl Bilingual for MerchantText {
    fn labels(self) -> (&'static str, &'static str) {
        use MerchantText::*;
        match self {
            ServiceDetailTitle => ("Service details", "服务详情"),
            BackToMarketplace => ("Back to the marketplace", "返回服务市场"),
            TryNow => ("Try now", "立即体验"),
            GetNow => ("Get now", "立即获取"),
            NoPreview => ("This service offers no preview.", "该服务暂无体验版。"),
            ServiceProvider => ("Service provider", "服务商"),
            Plans => ("Plans", "套餐"),
            PublishingTerminals => ("Publishing terminals", "发布端"),
            WhoMayOrder => ("Who may order", "售卖对象"),
            Anyone => ("Anyone", "不限"),
            MaxOrderPeriod => ("Maximum order period", "最长订购时间"),
            OrderAcceptance => ("Order acceptance", "接单"),
            IsvAccepts => (
                "The service provider accepts each order before it starts.",
                "服务商接单后开始服务。",
            ),
            StartsAtOnce => (
                "No acceptance needed: the service starts once the order is placed (and paid).",
                "无需接单：订购（付费）后直接开始服务。",
            ),
            ServiceUnavailable => (
                "This service is not on sale. It may have been withdrawn from the marketplace.",
                "该服务未在售，可能已从服务市场下架。",
            ),
            OrderTitle => ("Order the service", "订购服务"),
            ChoosePlan => ("Plan", "选择套餐"),
            ChooseMiniProgram => ("Mini program", "选择小程序"),
            NoMiniProgramsYet => (
                "You have no mini program that can order this service. Create one below.",
                "您还没有可订购该服务的小程序，请在下方新建。",
            ),
            CreateMiniProgram => ("Create a mini program", "新建小程序"),
            MiniProgramName => ("Mini program name", "小程序名称"),
            AppIdOptional => ("App ID (optional)", "小程序 APPID（选填）"),
            AppIdHint => (
                "The 16-digit App ID starting with 2021 that the mini program has on the open platform. Leave it empty and one is assigned.",
                "小程序在开放平台的 APPID：以 2021 开头的 16 位数字。留空则自动分配。",
            ),
            Create => ("Create", "创建"),
            Cancel => ("Cancel", "取消"),
            MiniProgramCreated => ("Mini program created.", "小程序已创建。"),
            CurrentValidityEnds => ("Current validity ends", "当前有效期至"),
            AcknowledgeOverwrite => (
                "I understand: the earlier versions and their data will be lost.",
                "我已知晓：原有版本及其数据将丢失。",
            ),
            ConfirmOverwriteFirst => (
                "Tick the box above to confirm the overwrite before ordering.",
                "请先勾选上方选项，确认覆盖后再订购。",
            ),
            TerminalsLabel => ("Publishing terminals", "选择发布端"),
            PublishedTo => ("Published to", "发布端"),
            ContactName => ("Contact name", "联系人名称"),
            ContactMobile => ("Contact mobile number", "联系方式（手机号码）"),
            ContactMobileHint => (
                "A mainland China mobile number, like 13800138000.",
                "中国大陆手机号码，例如 13800138000。",
            ),
            IAgreeToThe => ("I have read and agree to the", "我已阅读并同意"),
            ServiceAgreement => ("Service Market service agreement", "《服务市场服务协议》"),
            OrderAndAuthorize => ("Order and authorize", "订购并授权"),
            Total => ("Total", "合计"),
            GoToCertification => ("Go to certification", "去认证"),
            MerchantsOnly => (
                "Only merchant accounts order services. Sign in with a merchant account.",
                "仅商家账号可订购服务，请使用商家账号登录。",
            ),
            ChooseAMiniProgram => ("Choose a mini program.", "请选择小程序。"),
            CashierTitle => ("Cashier", "收银台"),
            AmountDue => ("Amount due", "应付金额"),
            OrderNo => ("Order number", "订单号"),
            OrderStatus => ("Order status", "订单状态"),
            Service => ("Service", "服务"),
            MiniProgram => ("Mini program", "小程序"),
            ServicePeriod => ("Service period", "服务周期"),
            PayBy => ("Pay by", "付款截止时间"),
            UnpaidCanceled => (
                "An order that is not paid within 3 days is canceled.",
                "如未付费，3 天后将取消订单。",
            ),
            SimulatedPayment => (
                "Simulated payment: no money is moved.",
                "模拟支付：不会发生真实扣款。",
            ),
            PayNow => ("Pay now", "立即付款"),
            PayLater => ("Pay later", "暂不付款"),
            PaymentDone => (
                "Paid. The service provider is authorized and implements your mini program now.",
                "付款成功。服务商已获授权，将为您实施小程序。",
            ),
            NotPayable => (
                "This order cannot be paid now.",
                "该订单当前无法付款。",
            ),
            GoToMyServices => ("Go to My services", "查看我的服务"),
            MyServices => ("My services", "我的服务"),
            MyServicesLead => (
                "The services you ordered, per mini program.",
                "按小程序查看已订购的服务。",
            ),
            NoServicesYet => ("You have not ordered any service yet.", "您还没有订购服务。"),
            BrowseMarketplace => ("Browse the marketplace", "去服务市场看看"),
            EnterService => ("Enter service", "进入服务"),
            Validity => ("Valid", "有效期"),
            PeriodNotStarted => (
                "The service period starts once the service provider is authorized (after payment, or after acceptance).",
                "服务期在服务商获得授权后开始（付款或接单后）。",
            ),
            LatestOrder => ("Latest order", "最新订单"),
            GoToCashier => ("Go to the cashier", "去付款"),
            PlacedAwaitingAcceptance => (
                "Order placed. The service provider accepts it before the service starts.",
                "订购成功，等待服务商接单。",
            ),
            PlacedInDevelopment => (
                "Order placed. The service provider is authorized and implements your mini program now.",
                "订购成功。服务商已获授权，将为您实施小程序。",
            ),
            ManageMiniPrograms => ("My mini programs", "我的小程序"),
            MiniPrograms => ("My mini programs", "我的小程序"),
            MiniProgramsLead => (
                "Your mini programs with the versions built for them.",
                "您的小程序及其已构建的版本。",
            ),
            AppId => ("App ID", "APPID"),
            CreatedAt => ("Created", "创建时间"),
            BuiltVersions => ("Built versions", "已构建版本"),
            NoVersions => ("No version built yet.", "尚未构建版本。"),
            OnlineAt => ("online since", "上架于"),
            NoMiniProgramsListed => ("You have no mini program yet.", "您还没有小程序。"),
            CertificationTitle => ("Merchant certification", "商家认证"),
            CertifiedAs => ("Your account is certified as", "您的账号认证主体类型为"),
            UpgradeLead => (
                "An individual can upgrade to individual business (个体工商户) with a business licence in the same person's name: enter the name and the unified social credit code on the licence.",
                "个人可使用本人名下的营业执照升级为个体工商户：请填写营业执照上的名称与统一社会信用代码。",
            ),
            UpgradeButton => ("Upgrade to individual business", "升级为个体工商户"),
            UpgradeLicenceName => ("Name on the business licence", "营业执照名称"),
            UpgradeCreditCode => ("Unified social credit code", "统一社会信用代码"),
            IdentityFixed => (
                "A certified enterprise or individual business keeps its identity type. To order a service for another identity type, certify another merchant account of that type.",
                "企业、个体工商户认证后不能更改主体类型。如需以其他主体类型订购，请使用该类型的其他商家账号完成认证。",
            ),
            BackToOrder => ("Back to the order", "返回订购"),
            Upgraded => (
                "Upgraded to individual business.",
                "已升级为个体工商户。",
            ),
            // Service Orders and 应用授权
            ServiceOrders => ("Service Orders", "服务订单"),
            ServiceOrdersLead => (
                "Your service orders: where each one stands, its next deadline and what you can do now.",
                "您的服务订单：订单进度、下一截止时间及可执行的操作。",
            ),
            BackToServiceOrders => ("Back to Service Orders", "返回服务订单"),
            ServiceFee => ("Amount", "订单金额"),
            Authorizations => ("App authorizations", "应用授权"),
            AuthorizationsLead => (
                "Third-party application authorizations: the service providers you authorized for your mini programs. To end a service, agree with the service provider first, then cancel its authorization here; it is notified.",
                "第三方应用授权：您为小程序授权的服务商。如需终止服务，请先与服务商沟通清楚，再在此取消授权，服务商将收到取消授权通知。",
            ),
            NoAuthorizations => (
                "You have not authorized any service provider yet.",
                "您还没有授权任何第三方应用。",
            ),
            AuthorizedSince => ("Authorized since", "授权时间"),
            ValidUntil => ("Valid until", "有效期至"),
            CancelledAt => ("Cancelled", "取消时间"),
            IsvApp => ("Third-party app", "第三方应用"),
            CancelAuthorization => ("Cancel authorization", "取消授权"),
            CancelAuthorizationConfirm => (
                "Cancel this authorization? The service provider can no longer act for this mini program and is notified. The order is not changed: apply for a refund on the order if one is due.",
                "确定取消授权？取消后服务商将无法再为该小程序调用接口，并会收到通知。订单不受影响，如需退款请在订单中申请退款。",
            ),
            KeepAuthorization => ("Keep it", "暂不取消"),
            AuthorizationCancelled => ("Authorization cancelled.", "已取消授权。"),
        }
    }
}

/// A reactive merchant-page text: follows the language switch.
pub fn mt(text: MerchantText) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || text.label(i18n.lang())
}

/// The document title of a merchant page: "Page · Service Market", following the language.
#[component]
pub fn MerchantTitle(page: MerchantText) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        let lang = i18n.lang();
        format!("{} · {}", page.label(lang), Text::ProductName.get(lang))
    };
    view! { <Title text=text /> }
}

/// What a merchant page shows while its data loads.
pub fn loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="muted">{i18n.t(Text::Loading)}</p> }
}

/// "30 days" / "30 天".
pub fn days(count: i64, lang: Lang) -> String {
    match lang {
        Lang::En if count == 1 => "1 day".to_owned(),
        Lang::En => format!("{count} days"),
        Lang::Zh => format!("{count} 天"),
    }
}

/// A price in yuan, or "Free" / "免费" for 0.
pub fn price(money: crate::domain::Money, lang: Lang) -> String {
    if money.is_zero() {
        Text::Free.get(lang).to_owned()
    } else {
        crate::catalog::format_yuan(money.cents())
    }
}

/// A list of bilingual values, joined the way the language writes lists.
pub fn list<B: Bilingual>(values: &[B], lang: Lang) -> String {
    let separator = match lang {
        Lang::En => ", ",
        Lang::Zh => "、",
    };
    values
        .iter()
        .map(|value| value.label(lang))
        .collect::<Vec<_>>()
        .join(separator)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Money;
    use crate::onboarding::IdentityType;

    #[test]
    fn the_seed_wording_is_kept_in_chinese() {
        use MerchantText::*;
        assert_eq!(TryNow.labels().1, "立即体验");
        assert_eq!(GetNow.labels().1, "立即获取");
        assert_eq!(OrderAndAuthorize.labels().1, "订购并授权");
        assert_eq!(MyServices.labels().1, "我的服务");
        assert_eq!(EnterService.labels().1, "进入服务");
        assert_eq!(UnpaidCanceled.labels().1, "如未付费，3 天后将取消订单。");
        assert_eq!(Authorizations.labels().1, "应用授权");
        assert_eq!(CancelAuthorization.labels().1, "取消授权");
    }

    #[test]
    fn days_prices_and_lists_read_naturally_in_both_languages() {
        assert_eq!(days(1, Lang::En), "1 day");
        assert_eq!(days(365, Lang::En), "365 days");
        assert_eq!(days(30, Lang::Zh), "30 天");
        assert_eq!(price(Money::ZERO, Lang::Zh), "免费");
        assert_eq!(
            price(Money::from_cents(19_900).unwrap(), Lang::En),
            "¥199.00"
        );
        let types = [IdentityType::Enterprise, IdentityType::IndividualBusiness];
        assert_eq!(list(&types, Lang::Zh), "企业、个体工商户");
        assert_eq!(list(&types, Lang::En), "Enterprise, Individual business");
    }
}
