//! RSA2 exactly as Alipay's open platform uses it: SHA256withRSA with PKCS#1 v1.5 padding over
//! the sorted `k=v&k=v` content of the parameters, standard Base64 signatures, and RSA keys as
//! PEM or as the bare Base64 the open platform console shows (PKCS#8 / SPKI or PKCS#1).
//!
//! The content rules (`../shared/reference/alipay-protocol.md` §B.7): drop `sign`; drop or keep
//! `sign_type` and empty values depending on who signed; sort keys by their bytes; join raw,
//! un-encoded values. Alipay's own notifications differ in both choices over the years, so
//! [`verify_notification`] tries each combination, the way the official Node SDK merges
//! `rsaCheckV1` and `rsaCheckV2`.

use super::OpenText;
use crate::auth::BiText;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey, EncodeRsaPrivateKey};
use rsa::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding,
};
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The size of keys this platform generates, and the least it accepts (RSA2 means 2048 bits).
pub const KEY_BITS: usize = 2048;

/// Why a text is not a usable RSA key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("no key was given")]
    Empty,
    #[error("the key is neither PEM nor Base64")]
    NotBase64,
    #[error("a private key was given where a public key belongs")]
    PrivateKeyGiven,
    #[error("the text is not an RSA key")]
    NotRsaKey,
    #[error("the key has {bits} bits; RSA2 needs at least 2048")]
    TooShort { bits: usize },
}

impl KeyError {
    pub fn message(self) -> BiText {
        match self {
            KeyError::Empty => OpenText::KeyRequired.into(),
            KeyError::NotBase64 => OpenText::KeyNotBase64.into(),
            KeyError::PrivateKeyGiven => OpenText::PrivateKeyGiven.into(),
            KeyError::NotRsaKey => OpenText::NotRsaKey.into(),
            KeyError::TooShort { bits } => BiText::new(
                format!("This key has {bits} bits; RSA2 needs a key of at least 2048 bits."),
                format!("该密钥长度为 {bits} 位；RSA2 需要至少 2048 位的密钥。"),
            ),
        }
    }
}

/// An RSA public key of at least [`KEY_BITS`] bits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey(RsaPublicKey);

/// An RSA private key of at least [`KEY_BITS`] bits.
#[derive(Clone)]
pub struct PrivateKey(RsaPrivateKey);

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrivateKey(…)")
    }
}

/// A PEM block's label and its DER bytes, or the DER of bare Base64 (label `None`).
fn der_of(text: &str) -> Result<(Option<String>, Vec<u8>), KeyError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(KeyError::Empty);
    }
    let (label, body) = match text.strip_prefix("-----BEGIN ") {
        Some(rest) => {
            let (label, rest) = rest.split_once("-----").ok_or(KeyError::NotRsaKey)?;
            let end = format!("-----END {label}-----");
            let body = rest.split(end.as_str()).next().ok_or(KeyError::NotRsaKey)?;
            (Some(label.trim().to_owned()), body)
        }
        None => (None, text),
    };
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let der = STANDARD.decode(compact).map_err(|_| KeyError::NotBase64)?;
    Ok((label, der))
}

fn is_private_der(der: &[u8]) -> bool {
    RsaPrivateKey::from_pkcs8_der(der).is_ok() || RsaPrivateKey::from_pkcs1_der(der).is_ok()
}

fn check_bits(bits: usize) -> Result<(), KeyError> {
    if bits < KEY_BITS {
        Err(KeyError::TooShort { bits })
    } else {
        Ok(())
    }
}

impl PublicKey {
    /// Reads a public key given as PEM (`PUBLIC KEY` = SPKI, `RSA PUBLIC KEY` = PKCS#1) or as
    /// the bare Base64 of either DER form, as the Alipay console shows and copies keys.
    pub fn parse(text: &str) -> Result<PublicKey, KeyError> {
        let (label, der) = der_of(text)?;
        let key = match label.as_deref() {
            Some("PUBLIC KEY") => RsaPublicKey::from_public_key_der(&der).ok(),
            Some("RSA PUBLIC KEY") => RsaPublicKey::from_pkcs1_der(&der).ok(),
            Some("PRIVATE KEY" | "RSA PRIVATE KEY") => return Err(KeyError::PrivateKeyGiven),
            Some(_) => None,
            None => RsaPublicKey::from_public_key_der(&der)
                .or_else(|_| RsaPublicKey::from_pkcs1_der(&der))
                .ok(),
        };
        let Some(key) = key else {
            return Err(if is_private_der(&der) {
                KeyError::PrivateKeyGiven
            } else {
                KeyError::NotRsaKey
            });
        };
        check_bits(key.size() * 8)?;
        Ok(PublicKey(key))
    }

    /// The bare Base64 of the SPKI DER: the form the Alipay console shows and SDKs take.
    pub fn to_base64(&self) -> String {
        let der = self
            .0
            .to_public_key_der()
            .expect("an RSA public key always encodes");
        STANDARD.encode(der.as_bytes())
    }

    /// Whether `signature` (standard Base64) is this key's RSA2 signature of `content`.
    /// A signature that lost its `+` to a form decoder (`+` read as a space) is repaired.
    pub fn verify(&self, content: &str, signature: &str) -> bool {
        let repaired: String = signature
            .trim()
            .chars()
            .map(|c| if c == ' ' { '+' } else { c })
            .filter(|c| !c.is_whitespace())
            .collect();
        let Ok(signature) = STANDARD.decode(repaired) else {
            return false;
        };
        let digest = Sha256::digest(content.as_bytes());
        self.0
            .verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &signature)
            .is_ok()
    }
}

impl PrivateKey {
    /// A new random 2048-bit key pair.
    pub fn generate() -> PrivateKey {
        let key = RsaPrivateKey::new(&mut rand::thread_rng(), KEY_BITS)
            .expect("generating an RSA key with the OS random source succeeds");
        PrivateKey(key)
    }

    /// Reads a private key given as PEM (`PRIVATE KEY` = PKCS#8, `RSA PRIVATE KEY` = PKCS#1) or
    /// as the bare Base64 of either DER form.
    pub fn parse(text: &str) -> Result<PrivateKey, KeyError> {
        let (label, der) = der_of(text)?;
        let key = match label.as_deref() {
            Some("PRIVATE KEY") => RsaPrivateKey::from_pkcs8_der(&der).ok(),
            Some("RSA PRIVATE KEY") => RsaPrivateKey::from_pkcs1_der(&der).ok(),
            Some(_) => None,
            None => RsaPrivateKey::from_pkcs8_der(&der)
                .or_else(|_| RsaPrivateKey::from_pkcs1_der(&der))
                .ok(),
        }
        .ok_or(KeyError::NotRsaKey)?;
        check_bits(key.size() * 8)?;
        Ok(PrivateKey(key))
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey(self.0.to_public_key())
    }

    /// The RSA2 signature of `content`, standard Base64 without line breaks.
    pub fn sign(&self, content: &str) -> String {
        let digest = Sha256::digest(content.as_bytes());
        let signature = self
            .0
            .sign(Pkcs1v15Sign::new::<Sha256>(), &digest)
            .expect("PKCS#1 v1.5 signing of a SHA-256 digest with a 2048-bit key succeeds");
        STANDARD.encode(signature)
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`): Java and the Node SDK's `keyType: 'PKCS8'`.
    pub fn to_pkcs8_pem(&self) -> String {
        self.0
            .to_pkcs8_pem(LineEnding::LF)
            .expect("an RSA private key always encodes")
            .to_string()
    }

    /// PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`): PHP, Python and the Node SDK's default.
    pub fn to_pkcs1_pem(&self) -> String {
        self.0
            .to_pkcs1_pem(LineEnding::LF)
            .expect("an RSA private key always encodes")
            .to_string()
    }
}

/// Which parameters take part in the signed content besides the ones always included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ContentRule {
    /// Keep `sign_type` (`rsaCheckV2`, requests) or drop it (`rsaCheckV1`).
    pub keep_sign_type: bool,
    /// Keep parameters whose value is empty (`isv_ticket=`) or skip them (the Java SDK).
    pub keep_empty: bool,
}

impl ContentRule {
    /// `rsaCheckV1`: `sign` and `sign_type` left out.
    pub const V1: ContentRule = ContentRule {
        keep_sign_type: false,
        keep_empty: true,
    };
    /// `rsaCheckV2` and every request: only `sign` left out.
    pub const V2: ContentRule = ContentRule {
        keep_sign_type: true,
        keep_empty: true,
    };

    /// The order [`verify_notification`] tries: what real Alipay notifications verified with
    /// first (see the reference's "robust verifier").
    pub const NOTIFICATION_RULES: [ContentRule; 4] = [
        ContentRule::V1,
        ContentRule::V2,
        ContentRule {
            keep_sign_type: false,
            keep_empty: false,
        },
        ContentRule {
            keep_sign_type: true,
            keep_empty: false,
        },
    ];

    pub fn describe(self) -> BiText {
        let sign_type = if self.keep_sign_type {
            ("sign_type included", "包含 sign_type")
        } else {
            ("sign_type excluded", "不含 sign_type")
        };
        let empty = if self.keep_empty {
            ("empty values included", "包含空值参数")
        } else {
            ("empty values skipped", "跳过空值参数")
        };
        BiText::new(
            format!("{}, {}", sign_type.0, empty.0),
            format!("{}，{}", sign_type.1, empty.1),
        )
    }
}

/// The content to sign: every parameter but `sign` (and `sign_type` / empty values as `rule`
/// says), sorted by key, joined as `k=v&k=v` with the raw values.
pub fn content<'a>(
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
    rule: ContentRule,
) -> String {
    let sorted: BTreeMap<&str, &str> = params
        .into_iter()
        .filter(|(key, value)| {
            *key != "sign"
                && (rule.keep_sign_type || *key != "sign_type")
                && (rule.keep_empty || !value.is_empty())
                && !key.is_empty()
        })
        .collect();
    let mut out = String::new();
    for (key, value) in sorted {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// Signs `params` with `key` under `rule`: the value of their `sign` parameter.
pub fn sign_params(
    params: &BTreeMap<String, String>,
    key: &PrivateKey,
    rule: ContentRule,
) -> String {
    key.sign(&content(iter(params), rule))
}

fn iter(params: &BTreeMap<String, String>) -> impl Iterator<Item = (&str, &str)> {
    params.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}

/// The rule under which `key` verifies a notification's `sign`, trying each of
/// [`ContentRule::NOTIFICATION_RULES`]; `None` when no rule does (or there is no `sign`).
pub fn verify_notification(
    params: &BTreeMap<String, String>,
    key: &PublicKey,
) -> Option<ContentRule> {
    let signature = params.get("sign")?;
    ContentRule::NOTIFICATION_RULES
        .into_iter()
        .find(|rule| key.verify(&content(iter(params), *rule), signature))
}

/// Whether `key` verifies a gateway request's `sign`: every parameter but `sign`, with empty
/// values as the Node SDK signs them, or without them as the Java and PHP SDKs do.
pub fn verify_request(params: &BTreeMap<String, String>, key: &PublicKey) -> bool {
    let Some(signature) = params.get("sign") else {
        return false;
    };
    [
        ContentRule::V2,
        ContentRule {
            keep_sign_type: true,
            keep_empty: false,
        },
    ]
    .into_iter()
    .any(|rule| key.verify(&content(iter(params), rule), signature))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const VECTORS: &str = include_str!("testdata/notify-vectors.json");

    fn vectors() -> Vec<(String, BTreeMap<String, String>, PublicKey)> {
        let json: Value = serde_json::from_str(VECTORS).unwrap();
        let shared_key = json["notify_v2_pubkey_pem"].as_str().unwrap();
        let mut out = Vec::new();
        for (name, vector) in json.as_object().unwrap() {
            let Some(params) = vector.get("params").and_then(Value::as_object) else {
                continue;
            };
            let key = vector
                .get("alipay_public_key")
                .and_then(Value::as_str)
                .unwrap_or(shared_key);
            let params = params
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect();
            out.push((name.clone(), params, PublicKey::parse(key).unwrap()));
        }
        out
    }

    #[test]
    fn every_published_alipay_notification_verifies() {
        let vectors = vectors();
        assert!(vectors.len() >= 2, "the file holds the published vectors");
        for (name, params, key) in &vectors {
            assert!(
                verify_notification(params, key).is_some(),
                "{name} does not verify"
            );
        }
    }

    #[test]
    fn each_vector_verifies_under_the_rule_the_reference_names() {
        let vectors: BTreeMap<_, _> = vectors()
            .into_iter()
            .map(|(name, params, key)| (name, (params, key)))
            .collect();
        let (params, key) = &vectors["sample1_servicemarket_order_notify_2019"];
        assert_eq!(verify_notification(params, key), Some(ContentRule::V2));
        let (params, key) = &vectors["sample2_servicemarket_order_notify_2020"];
        assert_eq!(verify_notification(params, key), Some(ContentRule::V1));
        // Java's rsaCheckV1 skips the empty isv_ticket and so fails on this real payload.
        let java_v1 = ContentRule {
            keep_sign_type: false,
            keep_empty: false,
        };
        assert!(!key.verify(&content(iter(params), java_v1), &params["sign"]));
    }

    #[test]
    fn a_tampered_vector_fails() {
        for (name, params, key) in vectors() {
            let mut changed = params.clone();
            changed.insert("total_price".into(), "1000.00".into());
            assert_eq!(verify_notification(&changed, &key), None, "{name}");
            let mut added = params.clone();
            added.insert("extra".into(), "1".into());
            assert_eq!(verify_notification(&added, &key), None, "{name}");
            let mut bad_sign = params.clone();
            let sign = bad_sign.get_mut("sign").unwrap();
            let flipped = if sign.starts_with('A') { "B" } else { "A" };
            sign.replace_range(0..1, flipped);
            assert_eq!(verify_notification(&bad_sign, &key), None, "{name}");
            let mut no_sign = params;
            no_sign.remove("sign");
            assert_eq!(verify_notification(&no_sign, &key), None, "{name}");
        }
    }

    #[test]
    fn the_wrong_key_does_not_verify() {
        let vectors = vectors();
        let (_, params, _) = &vectors[0];
        let (_, _, other_key) = &vectors[1];
        assert_eq!(verify_notification(params, other_key), None);
    }

    #[test]
    fn content_is_sorted_by_bytes_with_raw_values_and_without_sign() {
        let params = [
            ("sign", "xyz"),
            ("b", "2"),
            ("sign_type", "RSA2"),
            ("a", "x y&z"),
            ("B", "upper"),
            ("empty", ""),
        ];
        assert_eq!(
            content(params, ContentRule::V2),
            "B=upper&a=x y&z&b=2&empty=&sign_type=RSA2"
        );
        assert_eq!(
            content(params, ContentRule::V1),
            "B=upper&a=x y&z&b=2&empty="
        );
        assert_eq!(
            content(
                params,
                ContentRule {
                    keep_sign_type: true,
                    keep_empty: false
                }
            ),
            "B=upper&a=x y&z&b=2&sign_type=RSA2"
        );
    }

    #[test]
    fn a_generated_key_signs_what_its_public_key_verifies_in_every_encoding() {
        let key = PrivateKey::generate();
        let public = key.public_key();
        let signature = key.sign("a=1&b=中文");
        assert!(public.verify("a=1&b=中文", &signature));
        assert!(!public.verify("a=1&b=中", &signature));
        assert!(!signature.contains('\n'));
        // A `+` turned into a space by a form decoder is repaired.
        assert!(public.verify("a=1&b=中文", &signature.replace('+', " ")));

        for text in [key.to_pkcs8_pem(), key.to_pkcs1_pem()] {
            let again = PrivateKey::parse(&text).unwrap();
            assert_eq!(again.public_key(), public);
            let bare: String = text
                .lines()
                .filter(|line| !line.starts_with("-----"))
                .collect();
            assert_eq!(PrivateKey::parse(&bare).unwrap().public_key(), public);
        }
        let b64 = public.to_base64();
        assert_eq!(PublicKey::parse(&b64).unwrap(), public);
        let pem = public.0.to_public_key_pem(LineEnding::LF).unwrap();
        assert_eq!(PublicKey::parse(&pem).unwrap(), public);
        let pkcs1 =
            rsa::pkcs1::EncodeRsaPublicKey::to_pkcs1_pem(&public.0, LineEnding::CRLF).unwrap();
        assert_eq!(PublicKey::parse(&pkcs1).unwrap(), public);
        let pkcs1_bare: String = pkcs1
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .collect();
        assert_eq!(PublicKey::parse(&pkcs1_bare).unwrap(), public);

        assert_eq!(
            PublicKey::parse(&key.to_pkcs8_pem()),
            Err(KeyError::PrivateKeyGiven)
        );
        let bare_private: String = key
            .to_pkcs1_pem()
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .collect();
        assert_eq!(
            PublicKey::parse(&bare_private),
            Err(KeyError::PrivateKeyGiven)
        );
    }

    #[test]
    fn text_that_is_no_key_says_why() {
        assert_eq!(PublicKey::parse("  "), Err(KeyError::Empty));
        assert_eq!(PublicKey::parse("not base64!"), Err(KeyError::NotBase64));
        assert_eq!(PublicKey::parse("aGVsbG8="), Err(KeyError::NotRsaKey));
        assert_eq!(
            PublicKey::parse("-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----"),
            Err(KeyError::NotRsaKey)
        );
        let small = RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap();
        let small_public = STANDARD.encode(small.to_public_key().to_public_key_der().unwrap());
        assert_eq!(
            PublicKey::parse(&small_public),
            Err(KeyError::TooShort { bits: 1024 })
        );
        for error in [
            KeyError::Empty,
            KeyError::NotBase64,
            KeyError::PrivateKeyGiven,
            KeyError::NotRsaKey,
            KeyError::TooShort { bits: 1024 },
        ] {
            let message = error.message();
            assert!(!message.en.is_empty() && !message.zh.is_empty());
        }
    }

    #[test]
    fn requests_verify_with_sign_type_and_with_or_without_empty_values() {
        let key = PrivateKey::generate();
        let mut params: BTreeMap<String, String> = [
            ("app_id", "2021000000000001"),
            ("method", "alipay.open.servicemarket.order.query"),
            ("sign_type", "RSA2"),
            ("biz_content", "{\"commodity_order_id\":\"1\"}"),
            ("app_auth_token", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let with_empty = sign_params(&params, &key, ContentRule::V2);
        params.insert("sign".into(), with_empty);
        assert!(verify_request(&params, &key.public_key()));
        let without_empty = sign_params(
            &params,
            &key,
            ContentRule {
                keep_sign_type: true,
                keep_empty: false,
            },
        );
        params.insert("sign".into(), without_empty);
        assert!(verify_request(&params, &key.public_key()));
        // Signed without sign_type (the notification rule) is not a valid request signature.
        let v1 = sign_params(&params, &key, ContentRule::V1);
        params.insert("sign".into(), v1);
        assert!(!verify_request(&params, &key.public_key()));
    }
}
