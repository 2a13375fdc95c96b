//! The open platform (PRODUCT.md §4, issue 6): each ISV workspace's third-party app (app_id,
//! application gateway URL, app public key), the platform's RSA2 key pair, the notifications
//! the platform sends to ISV gateways, and the gateway `/gateway.do` ISVs call.
//!
//! Shared with the browser: the wire types and messages below. Server only (`ssr`): RSA2
//! signing ([`sign`]).

#[cfg(feature = "ssr")]
pub mod keys;
#[cfg(feature = "ssr")]
pub mod sign;

use crate::i18n::Bilingual;

/// The fixed messages of the open platform, in English and Chinese.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenText {
    KeyRequired,
    KeyNotBase64,
    PrivateKeyGiven,
    NotRsaKey,
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
            NotRsaKey => (
                "This text is not an RSA key.",
                "该文本不是 RSA 密钥。",
            ),
        }
    }
}
