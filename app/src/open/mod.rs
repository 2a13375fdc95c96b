//! The open platform (PRODUCT.md §4, issue 6): each ISV workspace's third-party app (app_id,
//! application gateway URL, app public key), the platform's RSA2 key pair, the notifications
//! the platform sends to ISV gateways, and the gateway `/gateway.do` ISVs call.
//!
//! Shared with the browser: the wire types, the rules and the messages below, and the server
//! functions' client side ([`api`]). Server only (`ssr`): RSA2 signing ([`sign`]), the
//! platform key pair ([`keys`]), the ISV apps ([`apps`]), the notification outbox with its
//! delivery worker ([`notify`]) and the OpenAPI gateway ([`gateway`]).

pub mod api;

#[cfg(feature = "ssr")]
pub mod apps;
#[cfg(feature = "ssr")]
pub mod gateway;
#[cfg(feature = "ssr")]
pub mod keys;
#[cfg(feature = "ssr")]
pub mod notify;
#[cfg(feature = "ssr")]
pub mod sign;

pub use api::{
    CheckSignature, GenerateAppKeyPair, Notifications, OpenSettings, RedeliverNotification,
    SendTestNotification, SetAppPublicKey, SetGatewayUrl,
};

use crate::auth::BiText;
use crate::domain::{civil_from_days, AppId};
use crate::i18n::Bilingual;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A time as Alipay writes it: `yyyy-MM-dd HH:mm:ss` in China Standard Time (UTC+8).
pub fn alipay_time(unix_ms: i64) -> String {
    let secs = unix_ms.div_euclid(1000) + 8 * 3600;
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let of_day = secs.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// What a notification is: a gateway notification (`notify_type`) or a message-service
/// message (`msg_method`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NotificationKind {
    /// `servicemarket_order_notify`: an order reached New (to accept) or In Development.
    #[serde(rename = "servicemarket_order_notify")]
    OrderNotify,
    /// `open_app_auth_notify`: the merchant authorized the ISV (with `app_auth_token`).
    #[serde(rename = "open_app_auth_notify")]
    AppAuthNotify,
    /// `alipay.open.auth.appauth.cancelled`: the merchant cancelled the authorization.
    #[serde(rename = "alipay.open.auth.appauth.cancelled")]
    AuthCancelled,
    /// `alipay.open.mini.version.audit.passed`.
    #[serde(rename = "alipay.open.mini.version.audit.passed")]
    AuditPassed,
    /// `alipay.open.mini.version.audit.rejected` (with the reason).
    #[serde(rename = "alipay.open.mini.version.audit.rejected")]
    AuditRejected,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 5] = [
        NotificationKind::OrderNotify,
        NotificationKind::AppAuthNotify,
        NotificationKind::AuthCancelled,
        NotificationKind::AuditPassed,
        NotificationKind::AuditRejected,
    ];

    /// The `notify_type` or `msg_method` value: the kind's code.
    pub const fn code(self) -> &'static str {
        match self {
            NotificationKind::OrderNotify => "servicemarket_order_notify",
            NotificationKind::AppAuthNotify => "open_app_auth_notify",
            NotificationKind::AuthCancelled => "alipay.open.auth.appauth.cancelled",
            NotificationKind::AuditPassed => "alipay.open.mini.version.audit.passed",
            NotificationKind::AuditRejected => "alipay.open.mini.version.audit.rejected",
        }
    }

    pub fn parse(code: &str) -> Option<NotificationKind> {
        NotificationKind::ALL
            .into_iter()
            .find(|kind| kind.code() == code)
    }

    /// Gateway notifications carry `notify_type`; message-service messages `msg_method`.
    pub const fn is_message(self) -> bool {
        !matches!(
            self,
            NotificationKind::OrderNotify | NotificationKind::AppAuthNotify
        )
    }
}

impl Bilingual for NotificationKind {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            NotificationKind::OrderNotify => ("Order notification", "订购通知"),
            NotificationKind::AppAuthNotify => ("Authorization notification", "授权通知"),
            NotificationKind::AuthCancelled => ("Authorization cancelled", "取消授权"),
            NotificationKind::AuditPassed => ("Version audit passed", "版本审核通过"),
            NotificationKind::AuditRejected => ("Version audit rejected", "版本审核驳回"),
        }
    }
}

/// Where a notification's delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    /// The gateway answered `success`.
    Delivered,
    /// Every attempt of the schedule failed; Redeliver tries once more.
    Failed,
}

impl DeliveryStatus {
    pub const fn code(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> Option<DeliveryStatus> {
        [
            DeliveryStatus::Pending,
            DeliveryStatus::Delivered,
            DeliveryStatus::Failed,
        ]
        .into_iter()
        .find(|status| status.code() == code)
    }
}

impl Bilingual for DeliveryStatus {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            DeliveryStatus::Pending => ("Pending", "待投递"),
            DeliveryStatus::Delivered => ("Delivered", "投递成功"),
            DeliveryStatus::Failed => ("Failed", "投递失败"),
        }
    }
}

/// One delivery attempt of a notification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptView {
    pub attempt_no: i64,
    pub at: i64,
    pub url: Option<String>,
    pub http_status: Option<i64>,
    pub response_body: Option<String>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// Console > Notifications: one notification with its payload and deliveries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub notify_id: String,
    pub kind: NotificationKind,
    pub order_no: Option<String>,
    /// The form fields sent (without `sign`, which each attempt computes).
    pub payload: BTreeMap<String, String>,
    pub is_test: bool,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub next_attempt_at: Option<i64>,
    pub last_status: Option<i64>,
    pub last_body: Option<String>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
    /// Every attempt, oldest first.
    pub history: Vec<AttemptView>,
}

/// Which key a signature check matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedKey {
    /// The platform's current key.
    PlatformCurrent,
    /// A rotated platform key within its grace period.
    PlatformRetired,
    /// The public key given to the tool.
    Given,
}

/// The answer of the signature check tool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureCheckView {
    pub valid: bool,
    pub matched_key: Option<MatchedKey>,
    /// Which content rule verified (sign_type and empty values kept or left out).
    pub rule: Option<BiText>,
    /// The content that was checked: the verified one, else the `rsaCheckV1` content.
    pub content: String,
}

/// The names of the fields of the Open platform settings.
pub mod field {
    pub const GATEWAY_URL: &str = "gateway_url";
    pub const APP_PUBLIC_KEY: &str = "app_public_key";
    pub const PAYLOAD: &str = "payload";
    pub const PUBLIC_KEY: &str = "public_key";
    pub const KIND: &str = "kind";
    pub const FORM: &str = crate::auth::FieldErrors::FORM;
}

/// A platform public key that was rotated out but still verifies until `verify_until`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetiredKeyView {
    pub public_key: String,
    pub verify_until: i64,
}

/// A service's merchant access URLs (edited on the service; listed in the settings so the
/// whole integration is on one page).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessUrlsView {
    pub service_id: i64,
    pub service_name: String,
    pub mobile_access_url: Option<String>,
    pub pc_access_url: Option<String>,
}

/// ISV workspace > Open platform settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppSettingsView {
    pub workspace_id: i64,
    /// The workspace's third-party app, issued by the platform.
    pub app_id: AppId,
    /// 应用网关: where notifications are POSTed.
    pub gateway_url: Option<String>,
    /// The app public key (bare Base64 SPKI) that verifies the ISV's gateway requests.
    pub app_public_key: Option<String>,
    /// The platform public key (bare Base64) that verifies notifications and gateway answers.
    pub platform_public_key: String,
    /// Rotated platform keys still within their grace period.
    pub retired_platform_keys: Vec<RetiredKeyView>,
    /// The gateway's address, for the ISV's SDK (`gateway`/`serverUrl`).
    pub gateway_endpoint: String,
    pub access_urls: Vec<AccessUrlsView>,
    /// Whether the caller (Owner or Admin) may change the settings.
    pub can_manage: bool,
}

/// A key pair generated in the console: the private key is shown this once and never stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratedKeyPair {
    /// PKCS#8 (`-----BEGIN PRIVATE KEY-----`): Java, and the Node SDK with `keyType: 'PKCS8'`.
    pub private_key_pkcs8_pem: String,
    /// PKCS#1 (`-----BEGIN RSA PRIVATE KEY-----`): PHP, Python, the Node SDK's default.
    pub private_key_pkcs1_pem: String,
    pub settings: AppSettingsView,
}

/// The application gateway URL: empty clears it; else an absolute `https://` or `http://`
/// address with a host (a domain name or an IPv4 address), no user name or password and no
/// `#fragment`, at most 200 characters.
pub fn check_gateway_url(input: &str) -> Result<Option<String>, BiText> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.contains('#') {
        return Err(OpenText::GatewayUrlFragment.into());
    }
    crate::onboarding::rules::check_website(text)
        .map(Some)
        .map_err(|_| OpenText::GatewayUrlFormat.into())
}

/// The fixed messages of the open platform, in English and Chinese.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenText {
    KeyRequired,
    KeyNotBase64,
    PrivateKeyGiven,
    NotRsaKey,
    GatewayUrlFormat,
    GatewayUrlFragment,
    ManagersOnly,
    WorkspaceNotActive,
    PayloadFormat,
    PayloadUnsigned,
    KindUnknown,
    DeliveryInProgress,
}

impl Bilingual for OpenText {
    fn labels(self) -> (&'static str, &'static str) {
        use OpenText::*;
        match self {
            KeyRequired => ("Enter the public key.", "请填写公钥。"),
            KeyNotBase64 => (
                "Paste the key as PEM (-----BEGIN PUBLIC KEY-----…) or as the bare Base64 text the key tool shows.",
                "请以 PEM（-----BEGIN PUBLIC KEY-----…）或密钥工具显示的 Base64 文本粘贴密钥。",
            ),
            PrivateKeyGiven => (
                "This is a private key. Keep it secret and paste the public key here.",
                "这是私钥，请妥善保管，此处请粘贴公钥。",
            ),
            NotRsaKey => ("This text is not an RSA key.", "该文本不是 RSA 密钥。"),
            GatewayUrlFormat => (
                "Enter the gateway as a full address, like https://api.example.com/alipay/gateway.",
                "请填写完整的网关地址，例如 https://api.example.com/alipay/gateway。",
            ),
            GatewayUrlFragment => (
                "The gateway address cannot contain # (a fragment is never sent to a server).",
                "网关地址不能包含 #（# 之后的部分不会发送到服务器）。",
            ),
            ManagersOnly => (
                "Only the workspace Owner or an Admin can change the open platform settings.",
                "只有工作空间所有者或管理员可以修改开放平台设置。",
            ),
            WorkspaceNotActive => (
                "The open platform is available once the workspace is approved.",
                "工作空间审核通过后才能使用开放平台。",
            ),
            PayloadFormat => (
                "Paste the notification as a form body (a=1&b=2) or as a JSON object of its fields.",
                "请以表单格式（a=1&b=2）或字段的 JSON 对象粘贴通知内容。",
            ),
            PayloadUnsigned => (
                "The notification has no sign field to check.",
                "通知中没有可验证的 sign 字段。",
            ),
            KindUnknown => (
                "Choose one of the notification types.",
                "请选择一种通知类型。",
            ),
            DeliveryInProgress => (
                "This notification is being delivered right now; try again in a minute.",
                "该通知正在投递中，请稍后再试。",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alipay_times_are_beijing_wall_clock() {
        // 2026-01-01T00:00:00Z is 08:00 in Beijing.
        assert_eq!(alipay_time(1_767_225_600_000), "2026-01-01 08:00:00");
        assert_eq!(
            alipay_time(1_767_225_600_000 - 8 * 3_600_000 - 1),
            "2025-12-31 23:59:59"
        );
    }

    #[test]
    fn notification_kinds_round_trip_their_codes() {
        for kind in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(kind.code()), Some(kind));
            assert_eq!(
                serde_json::to_string(&kind).unwrap(),
                format!("\"{}\"", kind.code())
            );
        }
        assert!(NotificationKind::AuthCancelled.is_message());
        assert!(!NotificationKind::OrderNotify.is_message());
    }

    #[test]
    fn gateway_urls_are_absolute_http_addresses_without_fragments() {
        assert_eq!(check_gateway_url("  "), Ok(None));
        assert_eq!(
            check_gateway_url(" HTTPS://Api.Example.com/alipay/gateway?x=1 "),
            Ok(Some("https://api.example.com/alipay/gateway?x=1".into()))
        );
        assert_eq!(
            check_gateway_url("http://127.0.0.1:8080/notify"),
            Ok(Some("http://127.0.0.1:8080/notify".into()))
        );
        for bad in [
            "api.example.com/gateway",
            "ftp://api.example.com",
            "https://user:pw@api.example.com",
            "https://",
            "https://api example.com",
            "https://api.example.com:99999",
        ] {
            assert_eq!(
                check_gateway_url(bad),
                Err(OpenText::GatewayUrlFormat.into()),
                "{bad}"
            );
        }
        assert_eq!(
            check_gateway_url("https://api.example.com/#x"),
            Err(OpenText::GatewayUrlFragment.into())
        );
    }
}
