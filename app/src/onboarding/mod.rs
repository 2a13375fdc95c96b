//! Onboarding and workspaces: the ISV business information and its review, merchant onboarding
//! with its (simulated) certification, the console's workspaces, members and invitations.
//!
//! Shared with the browser: the country/region list, the validation rules ([`rules`]), the wire
//! types below and the server functions' client side ([`api`]). Server only (`ssr`): the
//! queries ([`data`]), the flows that check the caller and do the work in one transaction
//! ([`flows`]), the multipart reader of the business form, the logo route and the reviewer
//! command's core ([`reviewers`]).

pub mod api;
pub mod countries;
pub mod rules;

#[cfg(feature = "ssr")]
pub mod data;
#[cfg(feature = "ssr")]
pub mod flows;
#[cfg(feature = "ssr")]
pub mod mails;
#[cfg(feature = "ssr")]
pub mod multipart;
#[cfg(feature = "ssr")]
pub mod reviewers;
#[cfg(feature = "ssr")]
pub mod routes;

pub use api::{
    AcceptInvitation, ApproveApplication, InvitationByToken, InviteMember, IsvApplicationOfMine,
    MyWorkspaces, OnboardMerchant, RemoveMember, ResendInvitation, ReviewQueue, SubmitBusinessInfo,
    SwitchWorkspace, TurnDownApplication, UpgradeToIndividualBusiness, WithdrawInvitation,
    WorkspaceDetails, WorkspaceMembers,
};
pub use countries::{CountryRegion, COUNTRIES_REGIONS};
pub use rules::{
    BusinessInfo, BusinessInfoInput, IdentityType, LogoFormat, MerchantInput, MerchantProfile,
};

use crate::i18n::Bilingual;
use serde::{Deserialize, Serialize};

/// The names of the form fields, as the server functions and [`crate::auth::FieldErrors`] use them.
pub mod field {
    pub const COMPANY_NAME: &str = "company_name";
    pub const BUSINESS_ADDRESS: &str = "business_address";
    pub const COUNTRY_REGION: &str = "country_region";
    pub const BUSINESS_REPRESENTATIVE: &str = "business_representative";
    /// The file input of the Business Logo.
    pub const LOGO: &str = "logo";
    /// A ticked box that drops the logo of the previous submission on a resubmission.
    pub const REMOVE_LOGO: &str = "remove_logo";
    pub const WEBSITE: &str = "website";
    pub const CUSTOMER_SERVICE_NUMBER: &str = "customer_service_number";
    pub const CUSTOMER_SERVICE_EMAIL: &str = "customer_service_email";
    /// The Terms of Service and Privacy Policy checkbox.
    pub const AGREE_TERMS: &str = "agree_terms";
    pub const MERCHANT_NAME: &str = "merchant_name";
    pub const IDENTITY_TYPE: &str = "identity_type";
    pub const CERTIFIED_NAME: &str = "certified_name";
    pub const CERTIFICATE_NUMBER: &str = "certificate_number";
    pub const EMAIL: &str = "email";
    pub const ROLE: &str = "role";
    pub const REASON: &str = "reason";
    pub const FORM: &str = crate::auth::FieldErrors::FORM;
}

/// The largest Business Logo accepted: 2 MB (2 × 1024 × 1024 bytes).
pub const MAX_LOGO_BYTES: usize = 2 * 1024 * 1024;
/// How long an invitation can be accepted: 3 days.
pub const INVITATION_TTL_MS: i64 = 3 * 24 * 60 * 60 * 1000;
/// The cookie that remembers the workspace last chosen in the switcher. Only a preference for
/// which workspace `/console` opens: every server function takes its workspace id explicitly
/// and checks membership, so a stale or forged cookie grants nothing.
pub const WORKSPACE_COOKIE: &str = "sm_workspace";
/// Server functions that take `multipart/form-data` (a file upload) instead of a URL-encoded
/// form; the server answers 415 to anything else sent there. Every upload of the app is
/// listed here: the Business Logo and a service's images.
pub const MULTIPART_ENDPOINTS: &[&str] = &[
    "/api/onboarding/submit_business_info",
    "/api/services/upload_image",
];

/// The path of a workspace's onboarding details page: the approval email links here.
pub fn workspace_path(workspace_id: i64) -> String {
    format!("/console/workspaces/{workspace_id}")
}

/// Where a workspace's current Business Logo is served (to its members and to reviewers).
pub fn logo_path(workspace_id: i64) -> String {
    format!("/workspaces/{workspace_id}/logo")
}

/// The page an invitation email links to; the token is the proof of the invitation.
pub fn invitation_path(token: &str) -> String {
    format!("/invitations/{token}")
}

/// What a workspace is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceKind {
    Isv,
    Merchant,
}

/// Where a workspace stands. An ISV workspace is Under Review until a reviewer approves it
/// (Active) or turns it down (Turned Down, with a reason; the applicant may edit and resubmit).
/// A merchant workspace is Active from the start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceStatus {
    UnderReview,
    TurnedDown,
    Active,
}

/// A member's role in a workspace: the Owner manages members; Admins and Developers see the
/// workspace and work in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Owner,
    Admin,
    Developer,
}

/// Where an ISV application (one submission of the business information) stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    UnderReview,
    Approved,
    TurnedDown,
}

/// Where an invitation stands, as of now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    Pending,
    Expired,
    Accepted,
    Withdrawn,
}

macro_rules! coded_enum {
    ($name:ident { $($variant:ident => $code:literal, $en:literal, $zh:literal;)* }) => {
        impl $name {
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

coded_enum!(WorkspaceKind {
    Isv => "isv", "ISV", "服务商";
    Merchant => "merchant", "Merchant", "商家";
});

coded_enum!(WorkspaceStatus {
    UnderReview => "under_review", "Under Review", "审核中";
    TurnedDown => "turned_down", "Turned Down", "已驳回";
    Active => "active", "Active", "已生效";
});

coded_enum!(MemberRole {
    Owner => "owner", "Owner", "所有者";
    Admin => "admin", "Admin", "管理员";
    Developer => "developer", "Developer", "开发者";
});

coded_enum!(ApplicationStatus {
    UnderReview => "under_review", "Under Review", "审核中";
    Approved => "approved", "Approved", "已通过";
    TurnedDown => "turned_down", "Turned Down", "已驳回";
});

coded_enum!(InvitationStatus {
    Pending => "pending", "Pending", "待接受";
    Expired => "expired", "Expired", "已过期";
    Accepted => "accepted", "Accepted", "已接受";
    Withdrawn => "withdrawn", "Withdrawn", "已撤回";
});

impl MemberRole {
    /// The roles an Owner can invite someone as.
    pub const INVITABLE: [MemberRole; 2] = [MemberRole::Admin, MemberRole::Developer];
}

/// One workspace in the console's list and switcher, as the caller sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceSummary {
    pub id: i64,
    /// The Company Name (ISV) or the merchant name.
    pub name: String,
    pub kind: WorkspaceKind,
    pub status: WorkspaceStatus,
    /// Why the application was turned down, while the workspace is Turned Down.
    pub turn_down_reason: Option<String>,
    /// The caller's role in it.
    pub my_role: MemberRole,
    pub created_at: i64,
}

/// The console's workspace list and switcher.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyWorkspacesView {
    /// Every workspace the caller is a member of, oldest first.
    pub workspaces: Vec<WorkspaceSummary>,
    /// The workspace the switcher last chose (the `sm_workspace` cookie), when the caller is
    /// still a member of it; else the first active one, else the first one.
    pub current: Option<i64>,
}

/// One submission of the ISV business information, with everything the applicant entered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IsvApplicationView {
    pub id: i64,
    pub workspace_id: i64,
    pub company_name: String,
    pub business_address: String,
    /// ISO 3166-1 alpha-2 code; [`countries::find`] gives its names.
    pub country_region: String,
    pub business_representative: String,
    /// Where the logo is served ([`logo_path`]), when there is one.
    pub logo_url: Option<String>,
    pub logo_content_type: Option<String>,
    pub website: Option<String>,
    pub customer_service_number: Option<String>,
    pub customer_service_email: Option<String>,
    pub status: ApplicationStatus,
    pub turn_down_reason: Option<String>,
    pub submitted_at: i64,
    pub reviewed_at: Option<i64>,
}

/// An application in the reviewer's queue: the submission and who sent it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub application: IsvApplicationView,
    pub applicant_email: Option<String>,
    pub applicant_username: Option<String>,
    /// How many earlier submissions of this workspace were turned down.
    pub previous_turn_downs: i64,
}

/// The outcome of a reviewer's decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDecision {
    pub application_id: i64,
    pub workspace_id: i64,
    pub status: ApplicationStatus,
    /// Whether the approval email went out (an approval is kept even when it could not).
    pub email_sent: bool,
}

/// A merchant's profile and certification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerchantView {
    pub workspace_id: i64,
    /// The merchant's platform id: 16 digits starting with 2088.
    pub merchant_pid: String,
    pub merchant_name: String,
    pub identity_type: IdentityType,
    pub certified_name: Option<String>,
    /// Masked: only the first 4 and last 4 characters are shown.
    pub certificate_number_masked: Option<String>,
    pub certified_at: Option<i64>,
}

/// A workspace's onboarding details page (`/console/workspaces/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceDetailsView {
    pub workspace: WorkspaceSummary,
    /// ISV workspaces: the current (newest) submission of the business information.
    pub application: Option<IsvApplicationView>,
    /// Merchant workspaces: the merchant profile.
    pub merchant: Option<MerchantView>,
}

/// A member of a workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberView {
    pub account_id: i64,
    pub email: String,
    pub username: String,
    pub role: MemberRole,
    pub joined_at: i64,
}

/// An invitation to a workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub id: i64,
    pub workspace_id: i64,
    pub email: String,
    pub role: MemberRole,
    pub status: InvitationStatus,
    pub expires_at: i64,
    pub created_at: i64,
}

/// The members page of a workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembersView {
    pub workspace: WorkspaceSummary,
    pub members: Vec<MemberView>,
    /// Invitations, newest first (only the Owner sees them; empty for others).
    pub invitations: Vec<InvitationView>,
    /// Whether the caller may invite, withdraw, resend and remove (the Owner).
    pub can_manage: bool,
}

/// The answer to an invitation sent (or sent again).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationSent {
    pub invitation: InvitationView,
    /// Whether the email went out; when not, the Owner can resend it.
    pub email_sent: bool,
}

/// What the page behind an invitation link shows before the invitee accepts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationPreview {
    pub workspace_id: i64,
    pub workspace_name: String,
    pub email: String,
    pub role: MemberRole,
    pub status: InvitationStatus,
    pub expires_at: i64,
}

/// The fixed messages of onboarding, review and membership, in English and Chinese.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnboardingText {
    CompanyNameRequired,
    BusinessAddressRequired,
    CountryRegionRequired,
    CountryRegionUnknown,
    BusinessRepresentativeRequired,
    WebsiteFormat,
    PhoneFormat,
    PhoneDigits,
    LogoFormat,
    LogoTooLarge,
    LogoEmpty,
    TermsAndPrivacyNotAgreed,
    ApplicationUnderReview,
    AlreadyOnboarded,
    MerchantNameRequired,
    IdentityTypeUnknown,
    CertifiedNameRequired,
    CreditCodeFormat,
    CreditCodeCheck,
    ResidentIdFormat,
    ResidentIdDate,
    ResidentIdCheck,
    MerchantExists,
    ReasonRequired,
    InviteRoleUnknown,
    AlreadyMember,
    InvitationPending,
    InviteYourself,
    WorkspaceNotActive,
    InvitationExpired,
    InvitationWithdrawn,
    InvitationAccepted,
    InvitationOtherEmail,
    OwnerCannotBeRemoved,
    UpgradeOnlyIndividuals,
    NotAMerchantYet,
}

impl Bilingual for OnboardingText {
    fn labels(self) -> (&'static str, &'static str) {
        use OnboardingText::*;
        match self {
            CompanyNameRequired => ("Company Name is required.", "请填写公司名称。"),
            BusinessAddressRequired => ("Business Address is required.", "请填写公司地址。"),
            CountryRegionRequired => ("Select a Country/Region.", "请选择国家/地区。"),
            CountryRegionUnknown => (
                "Select a Country/Region from the list.",
                "请从列表中选择国家/地区。",
            ),
            BusinessRepresentativeRequired => (
                "Business Representative is required.",
                "请填写企业代表。",
            ),
            WebsiteFormat => (
                "Enter the website as a full address starting with http:// or https://, like https://www.example.com.",
                "请输入以 http:// 或 https:// 开头的完整网址，例如 https://www.example.com。",
            ),
            PhoneFormat => (
                "The Customer Service Number may contain only digits, spaces, +, - and parentheses.",
                "客服电话只能包含数字、空格、+、- 和括号。",
            ),
            PhoneDigits => (
                "The Customer Service Number must have 5 to 20 digits.",
                "客服电话必须包含 5 到 20 位数字。",
            ),
            LogoFormat => (
                "The Business Logo must be a PNG or JPG image.",
                "公司标志必须是 PNG 或 JPG 图片。",
            ),
            LogoTooLarge => (
                "The Business Logo must be at most 2 MB.",
                "公司标志不能超过 2 MB。",
            ),
            LogoEmpty => ("The Business Logo file is empty.", "公司标志文件是空的。"),
            TermsAndPrivacyNotAgreed => (
                "Read and agree to the Terms of Service and Privacy Policy to submit.",
                "请阅读并同意服务条款和隐私政策后再提交。",
            ),
            ApplicationUnderReview => (
                "Your application is under review. You can edit it if it is turned down.",
                "您的申请正在审核中。如被驳回，可修改后重新提交。",
            ),
            AlreadyOnboarded => (
                "Your application has been approved and your workspace is active.",
                "您的申请已通过，工作空间已生效。",
            ),
            MerchantNameRequired => ("Merchant name is required.", "请填写商家名称。"),
            IdentityTypeUnknown => (
                "Choose enterprise, individual or individual business.",
                "请选择企业、个人或个体工商户。",
            ),
            CertifiedNameRequired => (
                "Enter the name on the certificate.",
                "请填写证件上的名称。",
            ),
            CreditCodeFormat => (
                "The unified social credit code is 18 characters: digits and capital letters except I, O, Z, S and V.",
                "统一社会信用代码为 18 位，由数字和除 I、O、Z、S、V 以外的大写字母组成。",
            ),
            CreditCodeCheck => (
                "This unified social credit code is not valid (its check character does not match). Check it against the business license.",
                "统一社会信用代码校验位不正确，请对照营业执照核对。",
            ),
            ResidentIdFormat => (
                "The resident ID number is 18 characters: 17 digits, then a digit or X.",
                "居民身份证号码为 18 位：前 17 位为数字，最后一位为数字或 X。",
            ),
            ResidentIdDate => (
                "The date of birth in this resident ID number is not a real date.",
                "身份证号码中的出生日期无效。",
            ),
            ResidentIdCheck => (
                "This resident ID number is not valid (its last character does not match). Check it against the ID card.",
                "身份证号码校验位不正确，请对照身份证核对。",
            ),
            MerchantExists => (
                "This account has already onboarded as a merchant.",
                "该账号已完成商家入驻。",
            ),
            ReasonRequired => (
                "Enter the reason for turning the application down; the applicant will see it.",
                "请填写驳回原因，申请人将看到该原因。",
            ),
            InviteRoleUnknown => ("Choose Admin or Developer.", "请选择管理员或开发者。"),
            AlreadyMember => (
                "This person is already a member of the workspace.",
                "该用户已是此工作空间的成员。",
            ),
            InvitationPending => (
                "An invitation to this email is still pending. Resend it instead.",
                "已向该邮箱发出邀请且尚未处理，请改为重新发送。",
            ),
            InviteYourself => ("You are already a member.", "您已是成员。"),
            WorkspaceNotActive => (
                "Members can be invited once the workspace is active.",
                "工作空间生效后才能邀请成员。",
            ),
            InvitationExpired => (
                "This invitation has expired. Ask the workspace Owner to resend it.",
                "该邀请已过期，请联系工作空间所有者重新发送。",
            ),
            InvitationWithdrawn => (
                "This invitation has been withdrawn.",
                "该邀请已被撤回。",
            ),
            InvitationAccepted => (
                "This invitation has already been accepted.",
                "该邀请已被接受。",
            ),
            InvitationOtherEmail => (
                "This invitation is for another email. Sign in with the invited email to accept it.",
                "该邀请发给了其他邮箱，请使用被邀请的邮箱登录后接受。",
            ),
            OwnerCannotBeRemoved => (
                "The Owner cannot be removed.",
                "不能移除所有者。",
            ),
            UpgradeOnlyIndividuals => (
                "Only an individual can upgrade to individual business.",
                "只有个人可以升级为个体工商户。",
            ),
            NotAMerchantYet => (
                "Complete merchant onboarding first.",
                "请先完成商家入驻。",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn coded_enums_read_their_codes_and_nothing_else() {
        for status in WorkspaceStatus::ALL {
            assert_eq!(WorkspaceStatus::from_code(status.code()), Some(*status));
        }
        for role in MemberRole::ALL {
            assert_eq!(MemberRole::from_code(role.code()), Some(*role));
        }
        assert_eq!(MemberRole::from_code("reviewer"), None);
        assert_eq!(
            ApplicationStatus::from_code(" turned_down "),
            Some(ApplicationStatus::TurnedDown)
        );
        assert_eq!(WorkspaceKind::from_code("Isv"), None, "codes are exact");
        assert_eq!(WorkspaceStatus::UnderReview.label(Lang::En), "Under Review");
        assert_eq!(MemberRole::Owner.label(Lang::En), "Owner");
        assert_eq!(InvitationStatus::Expired.label(Lang::Zh), "已过期");
    }

    #[test]
    fn paths_name_the_workspace_and_the_token() {
        assert_eq!(workspace_path(7), "/console/workspaces/7");
        assert_eq!(logo_path(7), "/workspaces/7/logo");
        assert_eq!(invitation_path("abc"), "/invitations/abc");
    }

    #[test]
    fn every_message_has_both_languages() {
        use OnboardingText::*;
        for text in [
            CompanyNameRequired,
            BusinessAddressRequired,
            CountryRegionRequired,
            CountryRegionUnknown,
            BusinessRepresentativeRequired,
            WebsiteFormat,
            PhoneFormat,
            PhoneDigits,
            LogoFormat,
            LogoTooLarge,
            LogoEmpty,
            TermsAndPrivacyNotAgreed,
            ApplicationUnderReview,
            AlreadyOnboarded,
            MerchantNameRequired,
            IdentityTypeUnknown,
            CertifiedNameRequired,
            CreditCodeFormat,
            CreditCodeCheck,
            ResidentIdFormat,
            ResidentIdDate,
            ResidentIdCheck,
            MerchantExists,
            ReasonRequired,
            InviteRoleUnknown,
            AlreadyMember,
            InvitationPending,
            InviteYourself,
            WorkspaceNotActive,
            InvitationExpired,
            InvitationWithdrawn,
            InvitationAccepted,
            InvitationOtherEmail,
            OwnerCannotBeRemoved,
            UpgradeOnlyIndividuals,
            NotAMerchantYet,
        ] {
            let (en, zh) = text.labels();
            assert!(en.is_ascii() && !zh.is_ascii(), "{text:?}");
        }
    }
}
