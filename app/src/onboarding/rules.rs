//! The rules of the onboarding forms, as pure functions shared by the server (which enforces
//! them) and the page (which may show them early): the ISV business information, the Business
//! Logo's content, and the merchant's identity and certificate.

use super::countries::{self, CountryRegion};
use super::{field, OnboardingText};
use crate::auth::{BiText, FieldErrors};
use crate::domain::Email;
use crate::i18n::Bilingual;
use serde::{Deserialize, Serialize};

/// Longest texts accepted, in characters.
pub const MAX_COMPANY_NAME: usize = 100;
pub const MAX_BUSINESS_ADDRESS: usize = 200;
pub const MAX_BUSINESS_REPRESENTATIVE: usize = 50;
pub const MAX_WEBSITE: usize = 200;
pub const MAX_PHONE: usize = 32;
pub const MIN_PHONE_DIGITS: usize = 5;
pub const MAX_PHONE_DIGITS: usize = 20;
pub const MAX_MERCHANT_NAME: usize = 64;
pub const MAX_CERTIFIED_NAME: usize = 100;
pub const MAX_REASON: usize = 500;

/// The ISV business information as typed (the logo travels apart, as bytes).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessInfoInput {
    pub company_name: String,
    pub business_address: String,
    pub country_region: String,
    pub business_representative: String,
    pub website: String,
    pub customer_service_number: String,
    pub customer_service_email: String,
    /// The Terms of Service and Privacy Policy checkbox.
    pub agreed_to_terms: bool,
}

/// The ISV business information once every rule holds. Optional fields left empty are `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BusinessInfo {
    pub company_name: String,
    pub business_address: String,
    pub country_region: &'static CountryRegion,
    pub business_representative: String,
    pub website: Option<String>,
    pub customer_service_number: Option<String>,
    pub customer_service_email: Option<Email>,
}

/// A field's label in both languages, for messages that name it.
fn label(name: &str) -> (&'static str, &'static str) {
    match name {
        field::COMPANY_NAME => ("Company Name", "公司名称"),
        field::BUSINESS_ADDRESS => ("Business Address", "公司地址"),
        field::BUSINESS_REPRESENTATIVE => ("Business Representative", "企业代表"),
        field::WEBSITE => ("Website", "网站"),
        field::CUSTOMER_SERVICE_NUMBER => ("Customer Service Number", "客服电话"),
        field::MERCHANT_NAME => ("Merchant name", "商家名称"),
        field::CERTIFIED_NAME => ("Name on the certificate", "证件名称"),
        field::REASON => ("Reason", "原因"),
        _ => ("This field", "该项"),
    }
}

fn too_long(name: &str, max: usize) -> BiText {
    let (en, zh) = label(name);
    BiText::new(
        format!("{en} must be at most {max} characters."),
        format!("{zh}最多 {max} 个字符。"),
    )
}

/// A one-line text: trimmed, every run of whitespace (tabs, line breaks) made one space.
pub fn one_line(input: &str) -> String {
    input.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A required one-line text of at most `max` characters.
fn required_text(
    errors: &mut FieldErrors,
    name: &str,
    input: &str,
    max: usize,
    missing: OnboardingText,
) -> Option<String> {
    let text = one_line(input);
    if text.is_empty() {
        errors.push(name, missing);
        None
    } else if text.chars().count() > max {
        errors.push(name, too_long(name, max));
        None
    } else {
        Some(text)
    }
}

/// Checks every field at once; the errors name their fields in the form's order.
pub fn check_business_info(input: &BusinessInfoInput) -> Result<BusinessInfo, FieldErrors> {
    let mut errors = FieldErrors::new();
    let company_name = required_text(
        &mut errors,
        field::COMPANY_NAME,
        &input.company_name,
        MAX_COMPANY_NAME,
        OnboardingText::CompanyNameRequired,
    );
    let business_address = required_text(
        &mut errors,
        field::BUSINESS_ADDRESS,
        &input.business_address,
        MAX_BUSINESS_ADDRESS,
        OnboardingText::BusinessAddressRequired,
    );
    let country_region = if input.country_region.trim().is_empty() {
        errors.push(field::COUNTRY_REGION, OnboardingText::CountryRegionRequired);
        None
    } else {
        let found = countries::find(&input.country_region);
        if found.is_none() {
            errors.push(field::COUNTRY_REGION, OnboardingText::CountryRegionUnknown);
        }
        found
    };
    let business_representative = required_text(
        &mut errors,
        field::BUSINESS_REPRESENTATIVE,
        &input.business_representative,
        MAX_BUSINESS_REPRESENTATIVE,
        OnboardingText::BusinessRepresentativeRequired,
    );
    let website = optional(&input.website, |text| {
        check_website(text).map_err(|error| errors.push(field::WEBSITE, error))
    });
    let customer_service_number = optional(&input.customer_service_number, |text| {
        check_phone(text).map_err(|error| errors.push(field::CUSTOMER_SERVICE_NUMBER, error))
    });
    let customer_service_email = optional(&input.customer_service_email, |text| {
        Email::parse(text).map_err(|error| errors.push(field::CUSTOMER_SERVICE_EMAIL, &error))
    });
    if !input.agreed_to_terms {
        errors.push(field::AGREE_TERMS, OnboardingText::TermsAndPrivacyNotAgreed);
    }
    match (
        company_name,
        business_address,
        country_region,
        business_representative,
        website,
        customer_service_number,
        customer_service_email,
    ) {
        (
            Some(company_name),
            Some(business_address),
            Some(country_region),
            Some(business_representative),
            Ok(website),
            Ok(customer_service_number),
            Ok(customer_service_email),
        ) if errors.is_empty() => Ok(BusinessInfo {
            company_name,
            business_address,
            country_region,
            business_representative,
            website,
            customer_service_number,
            customer_service_email,
        }),
        _ => Err(errors),
    }
}

/// An optional field: empty (after trimming) is `Ok(None)`, else the check's verdict.
fn optional<T>(input: &str, check: impl FnOnce(&str) -> Result<T, ()>) -> Result<Option<T>, ()> {
    let text = input.trim();
    if text.is_empty() {
        Ok(None)
    } else {
        check(text).map(Some)
    }
}

/// A website: an absolute `http://` or `https://` address of a domain (or IPv4 address) with
/// an optional port, path, query and fragment; no spaces, no user name. The scheme and host are
/// lower-cased; the rest is kept as typed.
pub fn check_website(input: &str) -> Result<String, BiText> {
    let text = input.trim();
    let format = || BiText::from(OnboardingText::WebsiteFormat);
    if text.chars().count() > MAX_WEBSITE {
        return Err(too_long(field::WEBSITE, MAX_WEBSITE));
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format());
    }
    let lower = text.to_ascii_lowercase();
    let scheme = ["https://", "http://"]
        .into_iter()
        .find(|scheme| lower.starts_with(scheme))
        .ok_or_else(format)?;
    let rest = &text[scheme.len()..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if authority.contains('@') {
        return Err(format());
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p));
        if !valid {
            return Err(format());
        }
    }
    if !(is_domain(host) || is_ipv4(host)) {
        return Err(format());
    }
    let port = port.map(|port| format!(":{port}")).unwrap_or_default();
    Ok(format!("{scheme}{}{port}{tail}", host.to_ascii_lowercase()))
}

/// Dot-separated labels of ASCII letters, digits and inner hyphens, at least two, the last
/// one of letters (two or more). Internationalized names are expected in their `xn--` form.
fn is_domain(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let top_ok = labels.last().is_some_and(|top| {
        top.len() >= 2 && (top.chars().all(|c| c.is_ascii_alphabetic()) || top.starts_with("xn--"))
    });
    host.len() <= 253 && labels.len() >= 2 && labels.iter().all(label_ok) && top_ok
}

fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|part| {
            !part.is_empty()
                && part.len() <= 3
                && part.bytes().all(|b| b.is_ascii_digit())
                && part.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// A phone number as people write it: digits, spaces, `+`, `-` and parentheses, with 5 to 20
/// digits. Kept as typed (trimmed, runs of spaces made one).
pub fn check_phone(input: &str) -> Result<String, BiText> {
    let text = one_line(input);
    if text.chars().count() > MAX_PHONE {
        return Err(too_long(field::CUSTOMER_SERVICE_NUMBER, MAX_PHONE));
    }
    if !text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'))
    {
        return Err(OnboardingText::PhoneFormat.into());
    }
    let digits = text.chars().filter(char::is_ascii_digit).count();
    if !(MIN_PHONE_DIGITS..=MAX_PHONE_DIGITS).contains(&digits) {
        return Err(OnboardingText::PhoneDigits.into());
    }
    Ok(text)
}

/// The image formats a Business Logo may have, told by the file's first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LogoFormat {
    Png,
    Jpeg,
}

impl LogoFormat {
    const PNG_SIGNATURE: &'static [u8] = b"\x89PNG\r\n\x1a\n";
    const JPEG_SIGNATURE: &'static [u8] = b"\xff\xd8\xff";

    /// The format the content says it is, whatever the file is called.
    pub fn sniff(bytes: &[u8]) -> Option<LogoFormat> {
        if bytes.starts_with(Self::PNG_SIGNATURE) {
            Some(LogoFormat::Png)
        } else if bytes.starts_with(Self::JPEG_SIGNATURE) {
            Some(LogoFormat::Jpeg)
        } else {
            None
        }
    }

    /// The MIME type it is stored and served with.
    pub fn content_type(self) -> &'static str {
        match self {
            LogoFormat::Png => "image/png",
            LogoFormat::Jpeg => "image/jpeg",
        }
    }
}

/// A Business Logo's content: not empty, at most [`super::MAX_LOGO_BYTES`], and a PNG or JPEG
/// by its magic bytes (a GIF, or a text file named `.png`, is refused).
pub fn check_logo(bytes: &[u8]) -> Result<LogoFormat, OnboardingText> {
    if bytes.is_empty() {
        return Err(OnboardingText::LogoEmpty);
    }
    if bytes.len() > super::MAX_LOGO_BYTES {
        return Err(OnboardingText::LogoTooLarge);
    }
    LogoFormat::sniff(bytes).ok_or(OnboardingText::LogoFormat)
}

/// A reviewer's reason for turning an application down: required, at most 500 characters,
/// line breaks kept.
pub fn check_reason(input: &str) -> Result<String, BiText> {
    let text = input.trim();
    if text.is_empty() {
        return Err(OnboardingText::ReasonRequired.into());
    }
    if text.chars().count() > MAX_REASON {
        return Err(too_long(field::REASON, MAX_REASON));
    }
    Ok(text.to_owned())
}

/// Who a merchant is, for certification and for services restricted to some identities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityType {
    /// 企业: certified with its unified social credit code.
    Enterprise,
    /// 个人: certified with a resident ID number.
    Individual,
    /// 个体工商户: certified with its unified social credit code.
    IndividualBusiness,
}

impl IdentityType {
    pub const ALL: [IdentityType; 3] = [
        IdentityType::Enterprise,
        IdentityType::Individual,
        IdentityType::IndividualBusiness,
    ];

    /// The value stored in `merchants.identity_type` and sent by the form.
    pub fn code(self) -> &'static str {
        match self {
            IdentityType::Enterprise => "enterprise",
            IdentityType::Individual => "individual",
            IdentityType::IndividualBusiness => "individual_business",
        }
    }

    pub fn from_code(code: &str) -> Option<IdentityType> {
        let code = code.trim();
        IdentityType::ALL
            .into_iter()
            .find(|kind| kind.code() == code)
    }

    /// What the certificate number is for this identity, in (English, Chinese).
    pub fn certificate_labels(self) -> (&'static str, &'static str) {
        match self {
            IdentityType::Individual => ("Resident ID number", "居民身份证号码"),
            IdentityType::Enterprise | IdentityType::IndividualBusiness => {
                ("Unified social credit code", "统一社会信用代码")
            }
        }
    }
}

impl Bilingual for IdentityType {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            IdentityType::Enterprise => ("Enterprise", "企业"),
            IdentityType::Individual => ("Individual", "个人"),
            IdentityType::IndividualBusiness => ("Individual business", "个体工商户"),
        }
    }
}

/// The merchant onboarding form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MerchantInput {
    pub merchant_name: String,
    pub identity_type: String,
    pub certified_name: String,
    pub certificate_number: String,
}

/// A merchant's profile once every rule holds; the certificate number normalised (no spaces,
/// upper case).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MerchantProfile {
    pub merchant_name: String,
    pub identity_type: IdentityType,
    pub certified_name: String,
    pub certificate_number: String,
}

pub fn check_merchant(input: &MerchantInput) -> Result<MerchantProfile, FieldErrors> {
    let mut errors = FieldErrors::new();
    let merchant_name = required_text(
        &mut errors,
        field::MERCHANT_NAME,
        &input.merchant_name,
        MAX_MERCHANT_NAME,
        OnboardingText::MerchantNameRequired,
    );
    let identity_type = IdentityType::from_code(&input.identity_type);
    if identity_type.is_none() {
        errors.push(field::IDENTITY_TYPE, OnboardingText::IdentityTypeUnknown);
    }
    let certified_name = required_text(
        &mut errors,
        field::CERTIFIED_NAME,
        &input.certified_name,
        MAX_CERTIFIED_NAME,
        OnboardingText::CertifiedNameRequired,
    );
    // The certificate is checked against the identity type chosen; without one there is
    // nothing to check it against.
    let certificate_number = identity_type.and_then(|kind| {
        check_certificate(kind, &input.certificate_number)
            .map_err(|error| errors.push(field::CERTIFICATE_NUMBER, error))
            .ok()
    });
    match (
        merchant_name,
        identity_type,
        certified_name,
        certificate_number,
    ) {
        (Some(merchant_name), Some(identity_type), Some(certified_name), Some(number))
            if errors.is_empty() =>
        {
            Ok(MerchantProfile {
                merchant_name,
                identity_type,
                certified_name,
                certificate_number: number,
            })
        }
        _ => Err(errors),
    }
}

/// The upgrade of an individual to individual business (个体工商户): the name on the business
/// license and its unified social credit code.
pub fn check_upgrade(
    certified_name: &str,
    certificate_number: &str,
) -> Result<(String, String), FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = required_text(
        &mut errors,
        field::CERTIFIED_NAME,
        certified_name,
        MAX_CERTIFIED_NAME,
        OnboardingText::CertifiedNameRequired,
    );
    let number = check_certificate(IdentityType::IndividualBusiness, certificate_number)
        .map_err(|error| errors.push(field::CERTIFICATE_NUMBER, error))
        .ok();
    match (name, number) {
        (Some(name), Some(number)) if errors.is_empty() => Ok((name, number)),
        _ => Err(errors),
    }
}

/// The certificate number for an identity type: a unified social credit code for an
/// enterprise or an individual business, a resident ID number for an individual.
pub fn check_certificate(kind: IdentityType, input: &str) -> Result<String, BiText> {
    let normalised: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if normalised.is_empty() {
        let (en, zh) = kind.certificate_labels();
        return Err(BiText::new(
            format!("{en} is required."),
            format!("请填写{zh}。"),
        ));
    }
    match kind {
        IdentityType::Individual => check_resident_id(&normalised),
        IdentityType::Enterprise | IdentityType::IndividualBusiness => {
            check_credit_code(&normalised)
        }
    }
    .map(|()| normalised)
    .map_err(BiText::from)
}

/// The characters of a unified social credit code (GB 32100-2015): digits and capital letters
/// but I, O, Z, S and V; a character's value is its position here.
const CREDIT_CODE_CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_CODE_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// An 18-character unified social credit code whose last character is its check character.
pub fn check_credit_code(code: &str) -> Result<(), OnboardingText> {
    let values: Option<Vec<u32>> = code
        .bytes()
        .map(|b| {
            CREDIT_CODE_CHARSET
                .iter()
                .position(|&c| c == b)
                .map(|p| p as u32)
        })
        .collect();
    let Some(values) = values.filter(|values| values.len() == 18) else {
        return Err(OnboardingText::CreditCodeFormat);
    };
    let sum: u32 = values[..17]
        .iter()
        .zip(CREDIT_CODE_WEIGHTS)
        .map(|(value, weight)| value * weight)
        .sum();
    let check = (31 - sum % 31) % 31;
    if values[17] == check {
        Ok(())
    } else {
        Err(OnboardingText::CreditCodeCheck)
    }
}

const RESIDENT_ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_ID_CHECKS: &[u8; 11] = b"10X98765432";

/// An 18-character resident ID number (GB 11643-1999): 17 digits, the 7th to 14th a real
/// date of birth, then the ISO 7064 MOD 11-2 check character (a digit or X).
pub fn check_resident_id(number: &str) -> Result<(), OnboardingText> {
    let bytes = number.as_bytes();
    if bytes.len() != 18
        || !bytes[..17].iter().all(u8::is_ascii_digit)
        || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
    {
        return Err(OnboardingText::ResidentIdFormat);
    }
    let digits = |range: std::ops::Range<usize>| -> u32 { number[range].parse().unwrap_or(0) };
    let (year, month, day) = (digits(6..10), digits(10..12), digits(12..14));
    if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) {
        return Err(OnboardingText::ResidentIdDate);
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=days_in_month).contains(&day) {
        return Err(OnboardingText::ResidentIdDate);
    }
    let sum: u32 = bytes[..17]
        .iter()
        .zip(RESIDENT_ID_WEIGHTS)
        .map(|(digit, weight)| u32::from(digit - b'0') * weight)
        .sum();
    if bytes[17] == RESIDENT_ID_CHECKS[(sum % 11) as usize] {
        Ok(())
    } else {
        Err(OnboardingText::ResidentIdCheck)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// A real-format unified social credit code (its check character is right).
    pub const CREDIT_CODE: &str = "91350100M000100Y43";
    /// The resident ID number of the standard's own example.
    pub const RESIDENT_ID: &str = "11010519491231002X";

    fn good_input() -> BusinessInfoInput {
        BusinessInfoInput {
            company_name: "  Hangzhou   Cloudleaf Technology ".into(),
            business_address: "1 West Lake Road, Hangzhou".into(),
            country_region: "cn".into(),
            business_representative: "Li Lei".into(),
            website: "".into(),
            customer_service_number: "".into(),
            customer_service_email: "".into(),
            agreed_to_terms: true,
        }
    }

    #[test]
    fn good_business_information_is_tidied_and_kept() {
        let info = check_business_info(&good_input()).unwrap();
        assert_eq!(info.company_name, "Hangzhou Cloudleaf Technology");
        assert_eq!(info.country_region.code, "CN");
        assert_eq!(info.website, None);
        assert_eq!(info.customer_service_number, None);
        assert_eq!(info.customer_service_email, None);

        let info = check_business_info(&BusinessInfoInput {
            website: " HTTPS://WWW.Example.com/About?x=1 ".into(),
            customer_service_number: "+86 (571) 8888-0000".into(),
            customer_service_email: "Service@Example.com".into(),
            ..good_input()
        })
        .unwrap();
        assert_eq!(
            info.website.as_deref(),
            Some("https://www.example.com/About?x=1")
        );
        assert_eq!(
            info.customer_service_number.as_deref(),
            Some("+86 (571) 8888-0000")
        );
        assert_eq!(
            info.customer_service_email.unwrap().as_str(),
            "Service@example.com"
        );
    }

    #[test]
    fn an_empty_form_names_every_required_field_in_order() {
        let errors = check_business_info(&BusinessInfoInput::default()).unwrap_err();
        assert_eq!(
            errors.fields(),
            [
                field::COMPANY_NAME,
                field::BUSINESS_ADDRESS,
                field::COUNTRY_REGION,
                field::BUSINESS_REPRESENTATIVE,
                field::AGREE_TERMS
            ]
        );
        assert_eq!(
            errors.message(field::COMPANY_NAME, Lang::En),
            Some("Company Name is required.")
        );
        assert_eq!(
            errors.message(field::AGREE_TERMS, Lang::En),
            Some("Read and agree to the Terms of Service and Privacy Policy to submit.")
        );
        let blank = BusinessInfoInput {
            company_name: " \n\t ".into(),
            ..good_input()
        };
        assert_eq!(
            check_business_info(&blank).unwrap_err().fields(),
            [field::COMPANY_NAME]
        );
    }

    #[test]
    fn texts_have_maximum_lengths_in_characters() {
        let at_max = BusinessInfoInput {
            company_name: "公".repeat(MAX_COMPANY_NAME),
            business_address: "a".repeat(MAX_BUSINESS_ADDRESS),
            business_representative: "b".repeat(MAX_BUSINESS_REPRESENTATIVE),
            ..good_input()
        };
        assert!(check_business_info(&at_max).is_ok());
        let over = BusinessInfoInput {
            company_name: "公".repeat(MAX_COMPANY_NAME + 1),
            business_address: "a".repeat(MAX_BUSINESS_ADDRESS + 1),
            business_representative: "b".repeat(MAX_BUSINESS_REPRESENTATIVE + 1),
            ..good_input()
        };
        let errors = check_business_info(&over).unwrap_err();
        assert_eq!(
            errors.fields(),
            [
                field::COMPANY_NAME,
                field::BUSINESS_ADDRESS,
                field::BUSINESS_REPRESENTATIVE
            ]
        );
        assert_eq!(
            errors.message(field::COMPANY_NAME, Lang::En),
            Some("Company Name must be at most 100 characters.")
        );
        assert_eq!(
            errors.message(field::COMPANY_NAME, Lang::Zh),
            Some("公司名称最多 100 个字符。")
        );
    }

    #[test]
    fn the_country_or_region_must_be_on_the_list() {
        for (code, expected) in [
            ("", OnboardingText::CountryRegionRequired),
            ("XX", OnboardingText::CountryRegionUnknown),
            ("China", OnboardingText::CountryRegionUnknown),
        ] {
            let errors = check_business_info(&BusinessInfoInput {
                country_region: code.into(),
                ..good_input()
            })
            .unwrap_err();
            assert_eq!(
                errors.get(field::COUNTRY_REGION),
                Some(&BiText::from(expected)),
                "{code:?}"
            );
        }
    }

    #[test]
    fn websites_are_absolute_http_or_https_addresses() {
        for good in [
            "https://example.com",
            "http://www.example.com.cn/path/",
            "https://shop.example.co:8443/a?b=c#d",
            "https://xn--fiqs8s.xn--fiqs8s",
            "http://192.168.1.10",
        ] {
            assert!(check_website(good).is_ok(), "{good}");
        }
        for bad in [
            "example.com",
            "www.example.com",
            "ftp://example.com",
            "https://",
            "https://localhost",
            "https://exa mple.com",
            "https://user:pw@example.com",
            "https://example.com:0",
            "https://example.com:99999",
            "https://example.c",
            "https://-example.com",
            "https://300.1.1.1",
            "javascript:alert(1)",
        ] {
            assert_eq!(
                check_website(bad),
                Err(OnboardingText::WebsiteFormat.into()),
                "{bad}"
            );
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_WEBSITE));
        assert_eq!(
            check_website(&long).unwrap_err().en,
            "Website must be at most 200 characters."
        );
    }

    #[test]
    fn phone_numbers_have_5_to_20_digits_and_only_phone_characters() {
        for good in [
            "95188",
            "+86 571 8888 0000",
            "(021) 6666-8888",
            "+65-6123-4567",
        ] {
            assert!(check_phone(good).is_ok(), "{good}");
        }
        assert_eq!(check_phone("1234"), Err(OnboardingText::PhoneDigits.into()));
        assert_eq!(
            check_phone("123456789012345678901"),
            Err(OnboardingText::PhoneDigits.into())
        );
        for bad in ["555-CALL-NOW", "12345 ext. 6", "１２３４５", "+86.571.8888"] {
            assert_eq!(
                check_phone(bad),
                Err(OnboardingText::PhoneFormat.into()),
                "{bad}"
            );
        }
        assert_eq!(
            check_phone(&"1 ".repeat(17)).unwrap_err().en,
            "Customer Service Number must be at most 32 characters."
        );
    }

    #[test]
    fn a_customer_service_email_must_be_an_email() {
        let errors = check_business_info(&BusinessInfoInput {
            customer_service_email: "service.example.com".into(),
            ..good_input()
        })
        .unwrap_err();
        assert_eq!(errors.fields(), [field::CUSTOMER_SERVICE_EMAIL]);
    }

    #[test]
    fn logos_are_png_or_jpeg_by_content_and_at_most_2_mb() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        let jpeg = b"\xff\xd8\xff\xe0\0\x10JFIF\0".to_vec();
        assert_eq!(check_logo(&png), Ok(LogoFormat::Png));
        assert_eq!(check_logo(&jpeg), Ok(LogoFormat::Jpeg));
        assert_eq!(LogoFormat::Png.content_type(), "image/png");
        assert_eq!(LogoFormat::Jpeg.content_type(), "image/jpeg");
        assert_eq!(
            check_logo(b"GIF89a\x01\0\x01\0"),
            Err(OnboardingText::LogoFormat)
        );
        assert_eq!(
            check_logo(b"this is text, named logo.png"),
            Err(OnboardingText::LogoFormat)
        );
        assert_eq!(check_logo(b"\x89PNG"), Err(OnboardingText::LogoFormat));
        assert_eq!(check_logo(b""), Err(OnboardingText::LogoEmpty));
        let mut big = png.clone();
        big.resize(crate::onboarding::MAX_LOGO_BYTES, 0);
        assert_eq!(check_logo(&big), Ok(LogoFormat::Png));
        big.push(0);
        assert_eq!(check_logo(&big), Err(OnboardingText::LogoTooLarge));
    }

    #[test]
    fn a_turn_down_reason_is_required_and_bounded() {
        assert_eq!(
            check_reason("  Blurry logo.\nPlease resend. ").unwrap(),
            "Blurry logo.\nPlease resend."
        );
        assert_eq!(
            check_reason("  "),
            Err(OnboardingText::ReasonRequired.into())
        );
        assert!(check_reason(&"x".repeat(MAX_REASON)).is_ok());
        assert_eq!(
            check_reason(&"x".repeat(MAX_REASON + 1)).unwrap_err().en,
            "Reason must be at most 500 characters."
        );
    }

    #[test]
    fn identity_types_read_their_codes() {
        for kind in IdentityType::ALL {
            assert_eq!(IdentityType::from_code(kind.code()), Some(kind));
        }
        assert_eq!(IdentityType::from_code("company"), None);
        assert_eq!(
            IdentityType::IndividualBusiness.label(Lang::Zh),
            "个体工商户"
        );
        assert_eq!(IdentityType::Enterprise.label(Lang::Zh), "企业");
        assert_eq!(IdentityType::Individual.label(Lang::Zh), "个人");
    }

    #[test]
    fn unified_social_credit_codes_are_checked_by_their_check_character() {
        assert_eq!(check_credit_code(CREDIT_CODE), Ok(()));
        assert_eq!(check_credit_code("91110108551385082Q"), Ok(()));
        assert_eq!(
            check_credit_code("91350100M000100Y44"),
            Err(OnboardingText::CreditCodeCheck)
        );
        for bad in [
            "91350100M000100Y4",   // 17 characters
            "91350100M000100Y433", // 19
            "91350100I000100Y43",  // I is not used
            "91350100m000100y43",  // lower case (the form upper-cases first)
            "",
        ] {
            assert_eq!(
                check_credit_code(bad),
                Err(OnboardingText::CreditCodeFormat),
                "{bad}"
            );
        }
    }

    #[test]
    fn resident_id_numbers_are_checked_by_date_and_check_character() {
        assert_eq!(check_resident_id(RESIDENT_ID), Ok(()));
        assert_eq!(
            check_resident_id("110105194912310021"),
            Err(OnboardingText::ResidentIdCheck)
        );
        assert_eq!(
            check_resident_id("11010519491331002X"),
            Err(OnboardingText::ResidentIdDate)
        );
        assert_eq!(
            check_resident_id("11010519490230002X"),
            Err(OnboardingText::ResidentIdDate)
        );
        for bad in [
            "11010519491231002",
            "1101051949123100X2",
            "11010519491231002Y",
            "A1010519491231002X",
        ] {
            assert_eq!(
                check_resident_id(bad),
                Err(OnboardingText::ResidentIdFormat),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_certificate_must_suit_the_identity_type() {
        assert_eq!(
            check_certificate(IdentityType::Individual, " 110105 19491231 002x ").unwrap(),
            RESIDENT_ID
        );
        assert_eq!(
            check_certificate(IdentityType::Enterprise, &CREDIT_CODE.to_lowercase()).unwrap(),
            CREDIT_CODE
        );
        assert!(check_certificate(IdentityType::IndividualBusiness, CREDIT_CODE).is_ok());
        assert_eq!(
            check_certificate(IdentityType::Individual, CREDIT_CODE),
            Err(OnboardingText::ResidentIdFormat.into())
        );
        assert_eq!(
            check_certificate(IdentityType::Enterprise, RESIDENT_ID),
            Err(OnboardingText::CreditCodeCheck.into())
        );
        assert_eq!(
            check_certificate(IdentityType::Enterprise, "")
                .unwrap_err()
                .en,
            "Unified social credit code is required."
        );
        assert_eq!(
            check_certificate(IdentityType::Individual, " ")
                .unwrap_err()
                .zh,
            "请填写居民身份证号码。"
        );
    }

    #[test]
    fn a_merchant_form_is_checked_field_by_field() {
        let good = MerchantInput {
            merchant_name: " Lucky  Noodles ".into(),
            identity_type: "individual_business".into(),
            certified_name: "Lucky Noodles Shop".into(),
            certificate_number: CREDIT_CODE.into(),
        };
        let profile = check_merchant(&good).unwrap();
        assert_eq!(profile.merchant_name, "Lucky Noodles");
        assert_eq!(profile.identity_type, IdentityType::IndividualBusiness);
        assert_eq!(profile.certificate_number, CREDIT_CODE);

        let errors = check_merchant(&MerchantInput::default()).unwrap_err();
        assert_eq!(
            errors.fields(),
            [
                field::MERCHANT_NAME,
                field::IDENTITY_TYPE,
                field::CERTIFIED_NAME
            ]
        );
        let errors = check_merchant(&MerchantInput {
            identity_type: "individual".into(),
            merchant_name: "m".repeat(MAX_MERCHANT_NAME + 1),
            ..good.clone()
        })
        .unwrap_err();
        assert_eq!(
            errors.fields(),
            [field::MERCHANT_NAME, field::CERTIFICATE_NUMBER]
        );
        assert_eq!(
            errors.message(field::CERTIFICATE_NUMBER, Lang::En),
            Some("The resident ID number is 18 characters: 17 digits, then a digit or X.")
        );
    }
}
