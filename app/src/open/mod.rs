//! The open platform (PRODUCT.md §4, issue 6): each ISV workspace's third-party app (app_id,
//! application gateway URL, app public key), the platform's RSA2 key pair, the notifications
//! the platform sends to ISV gateways, and the gateway `/gateway.do` ISVs call.
//!
//! Shared with the browser: the wire types, the rules and the messages below, and the server
//! functions' client side ([`api`]). Server only (`ssr`): RSA2 signing ([`sign`]), the
//! platform key pair ([`keys`]) and the ISV apps ([`apps`]).

pub mod api;

#[cfg(feature = "ssr")]
pub mod apps;
#[cfg(feature = "ssr")]
pub mod keys;
#[cfg(feature = "ssr")]
pub mod sign;

pub use api::{GenerateAppKeyPair, OpenSettings, SetAppPublicKey, SetGatewayUrl};

use crate::auth::BiText;
use crate::domain::AppId;
use crate::i18n::Bilingual;
use serde::{Deserialize, Serialize};

/// The names of the fields of the Open platform settings.
pub mod field {
    pub const GATEWAY_URL: &str = "gateway_url";
    pub const APP_PUBLIC_KEY: &str = "app_public_key";
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
