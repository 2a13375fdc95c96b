//! English / 简体中文: the language type, the page texts, and the switch that persists the choice.
//!
//! The choice lives in the `lang` cookie so the server renders the same language the browser
//! will hydrate. Without the cookie, the server follows `Accept-Language`. The rendered
//! `<html lang>` is the one source of truth the client reads back when it hydrates.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The languages every page is available in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

/// Name of the cookie that keeps the chosen language.
pub const LANG_COOKIE: &str = "lang";

impl Lang {
    /// What goes between a label and its value: ": " in English, the full-width "：" in Chinese.
    pub fn colon(self) -> &'static str {
        match self {
            Lang::En => ": ",
            Lang::Zh => "：",
        }
    }

    /// What goes between the items of a short list: ", " in English, the enumeration comma
    /// "、" in Chinese.
    pub fn list_separator(self) -> &'static str {
        match self {
            Lang::En => ", ",
            Lang::Zh => "、",
        }
    }

    /// The BCP 47 tag written into `<html lang>` and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// Reads a tag such as `zh-CN`, `zh`, `en-US`; anything else is not a language we serve.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The first language we serve in an `Accept-Language` header, by the order of its q values.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut ranges: Vec<(f32, usize, &str)> = header
            .split(',')
            .enumerate()
            .filter_map(|(position, part)| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                (!tag.is_empty() && quality > 0.0).then_some((quality, position, tag))
            })
            .collect();
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranges
            .into_iter()
            .find_map(|(_, _, tag)| Lang::from_code(tag))
    }

    /// The value of the `lang` cookie in a `Cookie` header, if it names a language we serve.
    pub fn from_cookie_header(header: &str) -> Option<Lang> {
        header.split(';').find_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            (name.trim() == LANG_COOKIE)
                .then(|| Lang::from_code(value))
                .flatten()
        })
    }

    /// The language of a request: the cookie first, then `Accept-Language`, then English.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
        cookie
            .and_then(Lang::from_cookie_header)
            .or_else(|| accept_language.and_then(Lang::from_accept_language))
            .unwrap_or_default()
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }

    /// How the language names itself in the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "简体中文",
        }
    }
}

/// A value with a fixed English and Chinese name: statuses, actions, categories, page texts.
pub trait Bilingual: Copy {
    /// The (English, Chinese) wording.
    fn labels(self) -> (&'static str, &'static str);

    fn label(self, lang: Lang) -> &'static str {
        let (en, zh) = self.labels();
        match lang {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// Every text shown on a page, with its English and Chinese wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    ProductName,
    Tagline,
    LandingLead,
    GetStarted,
    SignIn,
    Marketplace,
    MarketplaceTitle,
    MarketplaceLead,
    SearchPlaceholder,
    Search,
    AllCategories,
    Category,
    NoServicesOnline,
    NoServicesMatch,
    PriceFrom,
    Free,
    Days,
    Loading,
    ForIsvs,
    ForIsvsBody,
    ForMerchants,
    ForMerchantsBody,
    Language,
    ServiceNotFound,
    SomethingWentWrong,
    PageNotFound,
    BackHome,
    SignInTitle,
    SignUpTitle,
    SignUpButton,
    SignOut,
    Email,
    EmailOrUsername,
    SendCode,
    ResendCode,
    VerificationCode,
    Username,
    UsernameHint,
    Password,
    NewPassword,
    ConfirmPassword,
    PasswordMustHave,
    IAgreeTo,
    TermsOfService,
    PrivacyPolicy,
    ForgotPassword,
    ForgotPasswordLead,
    NoAccountYet,
    HaveAccount,
    Continue,
    PasswordChanged,
    GoToSignIn,
    ChooseRoleTitle,
    ChooseRoleLead,
    IsvRoleBody,
    MerchantRoleBody,
    Working,
    Console,
    Workspaces,
    NoWorkspacesYet,
    YourRole,
    TurnDownReason,
    MerchantOnboardingTitle,
    MerchantOnboardingLead,
    MerchantName,
    IdentityTypeLabel,
    CertifiedName,
    CertificateNumber,
    CertificateHint,
    Submit,
    OnboardAsMerchant,
    IsvOnboardingTitle,
    IsvOnboardingLead,
    CompanyName,
    CompanyNameHint,
    BusinessAddress,
    CountryRegion,
    SelectCountryRegion,
    BusinessRepresentative,
    BusinessLogoOptional,
    LogoHint,
    CurrentLogo,
    RemoveLogo,
    WebsiteOptional,
    CustomerServiceNumberOptional,
    CustomerServiceEmailOptional,
    And,
    ApplicationTurnedDownNotice,
    ApplicationUnderReviewNotice,
    ApplicationApprovedNotice,
    GoToConsole,
    OpenWorkspace,
    CurrentWorkspace,
    SwitchWorkspace,
    EditAndResubmit,
    SubmitBusinessInfo,
    OnboardingDetails,
    Members,
    Invitations,
    InviteMember,
    Role,
    SendInvitation,
    Withdraw,
    Resend,
    Remove,
    Joined,
    ExpiresAt,
    Status,
    NoInvitations,
    InvitationSent,
    InvitationNotMailed,
    MemberRemoved,
    SubmittedAt,
    ReviewedAt,
    MerchantPid,
    CertifiedAt,
    Applicant,
    Actions,
    InvitationTitle,
    InvitedToJoin,
    AsRole,
    InvitationFor,
    AcceptInvitation,
    SignInToAccept,
    ReviewQueueTitle,
    ReviewNav,
    ReviewQueueEmpty,
    Approve,
    TurnDown,
    TurnDownReasonLabel,
    PreviousTurnDowns,
    ApprovedNotice,
    ApprovedNoEmailNotice,
    TurnedDownNotice,
    NotProvided,
    TimesInCst,
    Overview,
    ServicesNav,
    ServiceManagement,
    CreateService,
    NoServicesYet,
    ServiceName,
    ServiceTypeLabel,
    Description,
    PublishingTerminals,
    Plans,
    PlansHint,
    PeriodDays,
    PriceYuan,
    AddPlan,
    MaxOrderPeriod,
    MaxOrderPeriodHint,
    SubscriberRestriction,
    SubscriberRestrictionHint,
    NeedsAcceptance,
    MobileAccessUrl,
    PcAccessUrl,
    PreviewUrl,
    Save,
    Saved,
    UpdatedAt,
    ServicePendingReviewLocked,
    ServiceOnlineLocked,
    ServiceArchivedLocked,
    ServiceSubmittedNotice,
    ServiceWithdrawnNotice,
    ServiceArchivedNotice,
    ServicesPendingReview,
    IsvApplications,
    NoServicesPending,
    ServiceApprovedNotice,
    ServiceTurnedDownNotice,
    PreviousTurnDownReason,
    Anyone,
    Yes,
    No,
    BackToServices,
    IsvLabel,
    OrdersNav,
    AllStatuses,
    OrderNumber,
    SearchByOrderNumber,
    ExportCsv,
    NoOrdersMatch,
    MerchantLabel,
    MiniProgram,
    Amount,
    CreatedAt,
    NextDeadline,
    NextPage,
    ReasonOptional,
    VersionNumber,
    VersionNotes,
    Close,
    OrderAccepted,
    Ok,
    OrderDetails,
    BackToOrders,
    Contact,
    PaidAt,
    Validity,
    Refund,
    Submissions,
    Timeline,
    // Service images (the service page, the marketplace).
    ServiceImages,
    ServiceImagesHint,
    ServiceImagesLocked,
    NoServiceImages,
    UploadImage,
    ChooseImage,
    RemoveImage,
    MoveImageEarlier,
    CoverImage,
    ServiceImage,
    // The open platform's console tabs (issue 6; the pages' other texts are in
    // `pages/open_platform.rs`).
    OpenPlatformNav,
    NotificationsNav,
}

impl Text {
    pub fn get(self, lang: Lang) -> &'static str {
        self.label(lang)
    }
}

impl Bilingual for Text {
    fn labels(self) -> (&'static str, &'static str) {
        use Text::*;
        match self {
            ProductName => ("Service Market", "服务市场"),
            Tagline => (
                "Mini program services from trusted ISVs",
                "可信服务商提供的小程序服务",
            ),
            LandingLead => (
                "ISVs publish mini program services: custom development and ready-made templates. Merchants order them, pay, and get their mini programs built and delivered.",
                "服务商（ISV）发布小程序服务：定制开发与现成模板。商家订购、付款，即可获得构建并交付的小程序。",
            ),
            GetStarted => ("GET STARTED", "立即开始"),
            SignIn => ("SIGN IN", "登录"),
            Marketplace => ("Marketplace", "浏览服务"),
            MarketplaceTitle => ("Services", "服务"),
            MarketplaceLead => (
                "Find a mini program service for your business.",
                "为您的业务找到合适的小程序服务。",
            ),
            SearchPlaceholder => ("Search services", "搜索服务"),
            Search => ("Search", "搜索"),
            AllCategories => ("All categories", "全部类目"),
            Category => ("Category", "类目"),
            NoServicesOnline => (
                "No services are online yet. Check back soon.",
                "暂无上架的服务，请稍后再来。",
            ),
            NoServicesMatch => (
                "No services match your search.",
                "没有符合搜索条件的服务。",
            ),
            PriceFrom => ("From", "起价"),
            Free => ("Free", "免费"),
            Days => ("days", "天"),
            Loading => ("Loading…", "加载中…"),
            ForIsvs => ("For ISVs", "服务商"),
            ForIsvsBody => (
                "Onboard, publish services, work your orders in the console, and integrate your systems through signed notifications and the gateway API.",
                "入驻平台、发布服务，在控制台处理订单，并通过签名通知与网关接口对接您的系统。",
            ),
            ForMerchants => ("For merchants", "商家"),
            ForMerchantsBody => (
                "Order services for your mini programs from your phone, pay, confirm the delivery, and renew.",
                "在手机上为您的小程序订购服务、付款、确认交付并续订。",
            ),
            Language => ("Language", "语言"),
            ServiceNotFound => ("This service is not available.", "该服务不可用。"),
            SomethingWentWrong => (
                "Something went wrong. Please try again.",
                "出错了，请重试。",
            ),
            PageNotFound => ("Page not found", "页面不存在"),
            BackHome => ("Back to the home page", "返回首页"),
            SignInTitle => ("Sign in", "登录"),
            SignUpTitle => ("Sign up", "注册"),
            SignUpButton => ("Sign up", "注册"),
            SignOut => ("Sign out", "退出登录"),
            Email => ("Email", "邮箱"),
            EmailOrUsername => ("Email or username", "邮箱或用户名"),
            SendCode => ("Send code", "发送验证码"),
            ResendCode => ("Send again", "重新发送"),
            VerificationCode => ("Verification code", "验证码"),
            Username => ("Username", "用户名"),
            UsernameHint => (
                "3–32 letters, digits, dots, hyphens or underscores; starts with a letter or digit.",
                "3–32 个字母、数字、点、连字符或下划线，以字母或数字开头。",
            ),
            Password => ("Password", "密码"),
            NewPassword => ("New password", "新密码"),
            ConfirmPassword => ("Confirm password", "确认密码"),
            PasswordMustHave => ("Your password must have:", "密码要求："),
            IAgreeTo => ("I have read and agree to the", "我已阅读并同意"),
            TermsOfService => ("Terms of Service", "服务条款"),
            PrivacyPolicy => ("Privacy Policy", "隐私政策"),
            ForgotPassword => ("Forgot your password?", "忘记密码？"),
            ForgotPasswordLead => (
                "Enter your email address and the verification code we send to it, then choose a new password.",
                "输入您的邮箱和我们发送的验证码，然后设置新密码。",
            ),
            NoAccountYet => ("Don't have an account?", "还没有账号？"),
            HaveAccount => ("Already have an account?", "已有账号？"),
            Continue => ("Continue", "继续"),
            PasswordChanged => (
                "Your password has been changed. Sign in with your new password.",
                "密码已修改，请使用新密码登录。",
            ),
            GoToSignIn => ("Go to sign in", "前往登录"),
            ChooseRoleTitle => ("Choose your role", "选择您的角色"),
            ChooseRoleLead => (
                "Tell us how you will use the platform.",
                "请告诉我们您将如何使用平台。",
            ),
            IsvRoleBody => (
                "I am an ISV: I build and sell mini program services to merchants.",
                "我是服务商（ISV）：为商家开发并销售小程序服务。",
            ),
            MerchantRoleBody => (
                "I am a merchant: I order services for my own mini programs.",
                "我是商家：为自己的小程序订购服务。",
            ),
            Working => ("Please wait…", "请稍候…"),
            Console => ("Console", "控制台"),
            Workspaces => ("Workspaces", "工作空间"),
            NoWorkspacesYet => (
                "You have no workspace yet. An ISV gets one when it submits its business information; a merchant when it onboards.",
                "您还没有工作空间。服务商提交企业信息后、商家完成入驻后即会获得工作空间。",
            ),
            YourRole => ("Your role", "您的角色"),
            TurnDownReason => ("Reason", "原因"),
            MerchantOnboardingTitle => ("Merchant onboarding", "商家入驻"),
            MerchantOnboardingLead => (
                "Tell us who you are. The certification details must match your business licence or ID card.",
                "请填写您的主体信息，认证信息须与营业执照或身份证一致。",
            ),
            MerchantName => ("Merchant name", "商家名称"),
            IdentityTypeLabel => ("Identity type", "主体类型"),
            CertifiedName => ("Certified name", "认证名称"),
            CertificateNumber => ("Certificate number", "证件号码"),
            CertificateHint => (
                "Enterprise and individual business: the 18-character unified social credit code. Individual: the 18-character resident ID number.",
                "企业、个体工商户：18 位统一社会信用代码；个人：18 位居民身份证号码。",
            ),
            Submit => ("Submit", "提交"),
            OnboardAsMerchant => ("Onboard as a merchant", "完成商家入驻"),
            IsvOnboardingTitle => ("Business information", "企业信息"),
            IsvOnboardingLead => ("Provide an overview of your business. The platform reviews it; once approved, your workspace becomes active and you are its Owner.", "请填写企业概况。平台审核通过后，您的工作空间即生效，您将成为其所有者。"),
            CompanyName => ("Company Name", "公司名称"),
            CompanyNameHint => ("Enter the official registered name of your company. Note: This will become your workspace name automatically.", "请填写公司的正式注册名称。注意：该名称将自动成为您的工作空间名称。"),
            BusinessAddress => ("Business Address", "公司地址"),
            CountryRegion => ("Country/Region", "国家/地区"),
            SelectCountryRegion => ("Select the country or region that you registered your company", "请选择公司注册所在的国家或地区"),
            BusinessRepresentative => ("Business Representative", "企业代表"),
            BusinessLogoOptional => ("(Optional) Business Logo", "（选填）公司标志"),
            LogoHint => ("PNG or JPG, at most 2 MB.", "PNG 或 JPG 格式，不超过 2 MB。"),
            CurrentLogo => ("Current logo", "当前标志"),
            RemoveLogo => ("Remove the current logo", "删除当前标志"),
            WebsiteOptional => ("(Optional) Website", "（选填）网站"),
            CustomerServiceNumberOptional => ("(Optional) Customer Service Number", "（选填）客服电话"),
            CustomerServiceEmailOptional => ("(Optional) Customer Service Email", "（选填）客服邮箱"),
            And => ("and", "和"),
            ApplicationTurnedDownNotice => ("Your application was turned down. Edit your information and submit it again.", "您的申请已被驳回，请修改信息后重新提交。"),
            ApplicationUnderReviewNotice => ("Your application is under review. You will receive an approval email once it is approved.", "您的申请正在审核中，审核通过后您将收到通知邮件。"),
            ApplicationApprovedNotice => ("Your application has been approved and your workspace is active.", "您的申请已通过，工作空间已生效。"),
            GoToConsole => ("Go to the console", "前往控制台"),
            OpenWorkspace => ("Open", "打开"),
            CurrentWorkspace => ("Current workspace", "当前工作空间"),
            SwitchWorkspace => ("Switch", "切换"),
            EditAndResubmit => ("Edit and resubmit", "修改并重新提交"),
            SubmitBusinessInfo => ("Submit your business information", "提交企业信息"),
            OnboardingDetails => ("Onboarding details", "入驻信息"),
            Members => ("Members", "成员"),
            Invitations => ("Invitations", "邀请"),
            InviteMember => ("Invite a member", "邀请成员"),
            Role => ("Role", "角色"),
            SendInvitation => ("Send invitation", "发送邀请"),
            Withdraw => ("Withdraw", "撤回"),
            Resend => ("Resend", "重新发送"),
            Remove => ("Remove", "移除"),
            Joined => ("Joined", "加入时间"),
            ExpiresAt => ("Expires", "过期时间"),
            Status => ("Status", "状态"),
            NoInvitations => ("No invitations yet.", "暂无邀请。"),
            InvitationSent => ("The invitation was sent. It is valid for 3 days.", "邀请已发送，3 天内有效。"),
            InvitationNotMailed => ("The invitation was saved but the email could not be sent. Resend it later.", "邀请已保存，但邮件未能发送，请稍后重新发送。"),
            MemberRemoved => ("The member was removed.", "已移除该成员。"),
            SubmittedAt => ("Submitted", "提交时间"),
            ReviewedAt => ("Reviewed", "审核时间"),
            MerchantPid => ("Merchant PID", "商家 PID"),
            CertifiedAt => ("Certified", "认证时间"),
            Applicant => ("Applicant", "申请人"),
            Actions => ("Actions", "操作"),
            InvitationTitle => ("Invitation", "邀请"),
            InvitedToJoin => ("You are invited to join", "邀请您加入"),
            AsRole => ("as", "，角色"),
            InvitationFor => ("This invitation is for", "该邀请发给"),
            AcceptInvitation => ("Accept invitation", "接受邀请"),
            SignInToAccept => ("Sign in with the invited email to accept it.", "请使用被邀请的邮箱登录后接受。"),
            ReviewQueueTitle => ("Review queue", "审核队列"),
            ReviewNav => ("Review", "审核"),
            ReviewQueueEmpty => ("No applications are waiting for review.", "暂无待审核的申请。"),
            Approve => ("Approve", "通过"),
            TurnDown => ("Turn down", "驳回"),
            TurnDownReasonLabel => ("Reason for turning down (the applicant sees it)", "驳回原因（申请人可见）"),
            PreviousTurnDowns => ("Earlier turn-downs", "此前驳回次数"),
            ApprovedNotice => ("Approved. The applicant's workspace is active and the approval email was sent.", "已通过。申请人的工作空间已生效，通知邮件已发送。"),
            ApprovedNoEmailNotice => ("Approved. The workspace is active, but the approval email could not be sent.", "已通过。工作空间已生效，但通知邮件未能发送。"),
            TurnedDownNotice => ("Turned down. The applicant sees the reason and can resubmit.", "已驳回。申请人可看到原因并重新提交。"),
            NotProvided => ("Not provided", "未填写"),
            TimesInCst => ("Times are China Standard Time (UTC+8).", "时间均为北京时间（UTC+8）。"),
            Overview => ("Overview", "概览"),
            ServicesNav => ("Services", "服务"),
            ServiceManagement => ("Service Management", "服务管理"),
            CreateService => ("Create service", "创建服务"),
            NoServicesYet => ("No services yet. Create one, then submit it for review to publish it in the marketplace.", "还没有服务。创建服务并提交审核，通过后即在服务市场上架。"),
            ServiceName => ("Service name", "服务名称"),
            ServiceTypeLabel => ("Type", "服务类型"),
            Description => ("Description", "服务介绍"),
            PublishingTerminals => ("Publishing terminals", "发布端"),
            Plans => ("Plans", "套餐"),
            PlansHint => ("A period in days and its price in yuan; 0 is free.", "周期（天）及价格（元），价格为 0 表示免费。"),
            PeriodDays => ("Period (days)", "周期（天）"),
            PriceYuan => ("Price (yuan)", "价格（元）"),
            AddPlan => ("Add a plan", "添加套餐"),
            MaxOrderPeriod => ("Maximum order period (days)", "最长订购周期（天）"),
            MaxOrderPeriodHint => ("The longest validity a merchant can hold at once, renewals included.", "商家一次可持有的最长有效期（含续订）。"),
            SubscriberRestriction => ("Who may subscribe", "订购主体限制"),
            SubscriberRestrictionHint => ("Tick none to let anyone subscribe.", "不勾选则不限制。"),
            NeedsAcceptance => ("Orders need my acceptance (接单)", "订单需要服务商接单"),
            MobileAccessUrl => ("(Optional) Mobile merchant access URL", "（选填）移动端商家访问地址"),
            PcAccessUrl => ("(Optional) PC merchant access URL", "（选填）PC 端商家访问地址"),
            PreviewUrl => ("(Optional) Try now (立即体验) preview URL", "（选填）立即体验预览地址"),
            Save => ("Save", "保存"),
            Saved => ("Saved.", "已保存。"),
            UpdatedAt => ("Updated", "更新时间"),
            ServicePendingReviewLocked => ("The service is pending review and cannot be edited meanwhile.", "服务审核中，暂不能编辑。"),
            ServiceOnlineLocked => ("The service is online. Withdraw it to edit it, then submit it for review again.", "服务已上架。如需编辑，请先下架，修改后重新提交审核。"),
            ServiceArchivedLocked => ("Archived services cannot be changed.", "已归档的服务不能再修改。"),
            ServiceSubmittedNotice => ("Submitted for review.", "已提交审核。"),
            ServiceWithdrawnNotice => ("Withdrawn from the marketplace.", "已从服务市场下架。"),
            ServiceArchivedNotice => ("Archived.", "已归档。"),
            ServicesPendingReview => ("Services pending review", "待审核服务"),
            IsvApplications => ("ISV applications", "服务商入驻申请"),
            NoServicesPending => ("No services are waiting for review.", "暂无待审核的服务。"),
            ServiceApprovedNotice => ("Approved: the service is online in the marketplace.", "已通过：服务已在服务市场上架。"),
            ServiceTurnedDownNotice => ("Turned down: the ISV sees the reason and can resubmit.", "已驳回：服务商可看到原因并重新提交。"),
            PreviousTurnDownReason => ("Last turned down because", "上次驳回原因"),
            Anyone => ("Anyone", "不限"),
            Yes => ("Yes", "是"),
            No => ("No", "否"),
            BackToServices => ("Back to services", "返回服务列表"),
            IsvLabel => ("ISV", "服务商"),
            OrdersNav => ("Orders", "订单"),
            AllStatuses => ("All statuses", "全部状态"),
            OrderNumber => ("Order number", "订单号"),
            SearchByOrderNumber => ("Search by order number", "按订单号搜索"),
            ExportCsv => ("Export CSV", "导出 CSV"),
            NoOrdersMatch => ("No orders match.", "没有符合条件的订单。"),
            MerchantLabel => ("Merchant", "商家"),
            MiniProgram => ("Mini program", "小程序"),
            Amount => ("Amount", "金额"),
            CreatedAt => ("Created", "创建时间"),
            NextDeadline => ("Next deadline", "下一截止时间"),
            NextPage => ("Next page", "下一页"),
            ReasonOptional => ("Reason (optional)", "原因（选填）"),
            VersionNumber => ("Version number", "版本号"),
            VersionNotes => ("Version notes", "版本说明"),
            Close => ("Close", "关闭"),
            OrderAccepted => ("Order accepted", "已接单"),
            Ok => ("OK", "确定"),
            OrderDetails => ("Order details", "订单详情"),
            BackToOrders => ("Back to orders", "返回订单列表"),
            Contact => ("Contact", "联系人"),
            PaidAt => ("Paid", "付款时间"),
            Validity => ("Validity", "有效期"),
            Refund => ("Refund", "退款"),
            Submissions => ("Submitted versions", "提交的版本"),
            Timeline => ("Timeline", "时间线"),
            ServiceImages => ("Images", "服务图片"),
            ServiceImagesHint => (
                "PNG or JPEG, up to 2 MB each, at most 6. The first image is the cover in the marketplace.",
                "PNG 或 JPEG 格式，每张不超过 2 MB，最多 6 张。第一张为服务市场中的封面。",
            ),
            ServiceImagesLocked => (
                "Images can be changed while the service is Draft, Turn Down or Withdrawn.",
                "服务处于草稿、已驳回或已下架状态时才能修改图片。",
            ),
            NoServiceImages => ("No images yet.", "暂无图片。"),
            UploadImage => ("Upload image", "上传图片"),
            ChooseImage => ("Choose an image", "选择图片"),
            RemoveImage => ("Remove", "删除"),
            MoveImageEarlier => ("Move earlier", "前移"),
            CoverImage => ("Cover", "封面"),
            ServiceImage => ("Image", "图片"),
            // The open platform's console tabs (issue 6).
            OpenPlatformNav => ("Open platform", "开放平台"),
            NotificationsNav => ("Notifications", "消息通知"),
        }
    }
}

/// The page language, shared by every component through context.
#[derive(Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// A reactive text: re-renders when the language changes.
    pub fn t(&self, text: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        let lang = self.lang;
        move || text.get(lang.get())
    }

    /// Switches the language in place and remembers it for the next visit.
    pub fn set(&self, lang: Lang) {
        self.lang.set(lang);
        #[cfg(feature = "hydrate")]
        persist_in_browser(lang);
    }
}

/// Makes the language available to every component below; call once at the top of the app.
pub fn provide_i18n(initial: Lang) -> I18n {
    let i18n = I18n {
        lang: RwSignal::new(initial),
    };
    provide_context(i18n);
    i18n
}

/// The page language; panics only if `provide_i18n` was forgotten, a programming error.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// The language the current render starts in: on the server from the request, in the browser
/// from the `<html lang>` the server rendered (so hydration sees the same text).
pub fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .map(|parts| {
                let header = |name| {
                    parts
                        .headers
                        .get(name)
                        .and_then(|value: &http::HeaderValue| value.to_str().ok())
                };
                Lang::negotiate(
                    header(http::header::COOKIE),
                    header(http::header::ACCEPT_LANGUAGE),
                )
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|html| html.get_attribute("lang"))
                .and_then(|code| Lang::from_code(&code))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Lang::default()
        }
    }
}

#[cfg(feature = "hydrate")]
fn persist_in_browser(lang: Lang) {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(html) = document.document_element() {
        let _ = html.set_attribute("lang", lang.code());
    }
    if let Ok(html_document) = document.dyn_into::<web_sys::HtmlDocument>() {
        let _ = html_document.set_cookie(&format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        ));
    }
}

/// The English / 简体中文 switch: changes every text in place, without a reload.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="lang-switch" role="group" aria-label=i18n.t(Text::Language)>
            {[Lang::En, Lang::Zh]
                .into_iter()
                .map(|lang| {
                    view! {
                        <button
                            type="button"
                            class="lang-option"
                            lang=lang.code()
                            aria-pressed=move || (i18n.lang() == lang).to_string()
                            on:click=move |_| i18n.set(lang)
                        >
                            {lang.native_name()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lang_cookie_wins_over_accept_language() {
        assert_eq!(
            Lang::negotiate(Some("a=1; lang=zh-CN"), Some("en-US,en;q=0.9")),
            Lang::Zh
        );
        assert_eq!(Lang::negotiate(Some("lang=en"), Some("zh-CN")), Lang::En);
    }

    #[test]
    fn accept_language_is_read_by_quality_then_order() {
        assert_eq!(
            Lang::from_accept_language("fr;q=1, zh-CN;q=0.8, en;q=0.7"),
            Some(Lang::Zh)
        );
        assert_eq!(
            Lang::from_accept_language("en;q=0.5, zh;q=0.9"),
            Some(Lang::Zh)
        );
        assert_eq!(Lang::from_accept_language("de, fr"), None);
        assert_eq!(Lang::from_accept_language("zh;q=0, en"), Some(Lang::En));
    }

    #[test]
    fn an_unknown_or_missing_language_falls_back_to_english() {
        assert_eq!(Lang::negotiate(Some("lang=fr"), Some("de")), Lang::En);
        assert_eq!(Lang::negotiate(None, None), Lang::En);
    }

    #[test]
    fn a_cookie_named_like_lang_is_not_taken_for_it() {
        assert_eq!(Lang::from_cookie_header("language=zh; xlang=zh"), None);
    }
}
