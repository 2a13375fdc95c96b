//! Values that are parsed once at the edge (form, gateway, database row) so that code past it
//! cannot hold an invalid one: order numbers, emails, usernames, money and app ids.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Which input a [`ParseError`] is about, so a form can show the message next to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    OrderNo,
    Email,
    Username,
    Money,
    AppId,
}

impl Field {
    pub const fn label_en(self) -> &'static str {
        match self {
            Field::OrderNo => "Order number",
            Field::Email => "Email",
            Field::Username => "Username",
            Field::Money => "Amount",
            Field::AppId => "App ID",
        }
    }

    pub const fn label_zh(self) -> &'static str {
        match self {
            Field::OrderNo => "订单号",
            Field::Email => "邮箱",
            Field::Username => "用户名",
            Field::Money => "金额",
            Field::AppId => "应用 ID",
        }
    }
}

/// What is wrong with an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    Empty,
    TooShort { min: usize },
    TooLong { max: usize },
    WrongLength { digits: usize },
    NotAllDigits,
    AppIdPrefix,
    Whitespace,
    EmailAt,
    EmailLocalPart,
    EmailLocalPartTooLong { max: usize },
    EmailDomain,
    UsernameStart,
    UsernameCharacter { found: char },
    MoneyFormat,
    MoneyNegative,
    MoneyDecimals,
    MoneyTooLarge,
}

/// An input that does not parse: which field, and why, with a message in English and Chinese.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseError {
    pub field: Field,
    pub problem: Problem,
}

impl ParseError {
    const fn new(field: Field, problem: Problem) -> Self {
        ParseError { field, problem }
    }

    pub fn message_en(&self) -> String {
        let field = self.field.label_en();
        match self.problem {
            Problem::Empty => format!("{field} is required."),
            Problem::TooShort { min } => format!("{field} must be at least {min} characters."),
            Problem::TooLong { max } => format!("{field} must be at most {max} characters."),
            Problem::WrongLength { digits } => format!("{field} must be exactly {digits} digits."),
            Problem::NotAllDigits => format!("{field} may contain only the digits 0-9."),
            Problem::AppIdPrefix => format!("{field} must start with {APP_ID_PREFIX}."),
            Problem::Whitespace => format!("{field} must not contain spaces."),
            Problem::EmailAt => {
                "Email must contain exactly one @, like name@example.com.".to_owned()
            }
            Problem::EmailLocalPart => "The part of the email before @ may contain letters, \
                digits and !#$%&'*+/=?^_`{|}~.- only, with no dot at its start, its end or twice \
                in a row."
                .to_owned(),
            Problem::EmailLocalPartTooLong { max } => {
                format!("The part of the email before @ must be at most {max} characters.")
            }
            Problem::EmailDomain => {
                "The part of the email after @ must be a domain like example.com.".to_owned()
            }
            Problem::UsernameStart => "Username must start with a letter or a digit.".to_owned(),
            Problem::UsernameCharacter { found } => format!(
                "Username may contain only letters (a-z, A-Z), digits, underscore (_), \
                 hyphen (-) and dot (.); “{found}” is not allowed."
            ),
            Problem::MoneyFormat => "Enter an amount in yuan, like 12.30.".to_owned(),
            Problem::MoneyNegative => "The amount cannot be negative.".to_owned(),
            Problem::MoneyDecimals => "The amount can have at most two decimal places.".to_owned(),
            Problem::MoneyTooLarge => {
                format!("The amount can be at most {}.", Money::MAX)
            }
        }
    }

    pub fn message_zh(&self) -> String {
        let field = self.field.label_zh();
        match self.problem {
            Problem::Empty => format!("请填写{field}。"),
            Problem::TooShort { min } => format!("{field}至少需要 {min} 个字符。"),
            Problem::TooLong { max } => format!("{field}最多 {max} 个字符。"),
            Problem::WrongLength { digits } => format!("{field}必须是 {digits} 位数字。"),
            Problem::NotAllDigits => format!("{field}只能包含数字 0-9。"),
            Problem::AppIdPrefix => format!("{field}必须以 {APP_ID_PREFIX} 开头。"),
            Problem::Whitespace => format!("{field}不能包含空格。"),
            Problem::EmailAt => "邮箱必须包含且仅包含一个 @，例如 name@example.com。".to_owned(),
            Problem::EmailLocalPart => "邮箱 @ 前的部分只能包含字母、数字和 \
                !#$%&'*+/=?^_`{|}~.-，且点号不能在开头、结尾或连续出现。"
                .to_owned(),
            Problem::EmailLocalPartTooLong { max } => {
                format!("邮箱 @ 前的部分最多 {max} 个字符。")
            }
            Problem::EmailDomain => "邮箱 @ 后的部分必须是域名，例如 example.com。".to_owned(),
            Problem::UsernameStart => "用户名必须以字母或数字开头。".to_owned(),
            Problem::UsernameCharacter { found } => format!(
                "用户名只能包含字母（a-z、A-Z）、数字、下划线（_）、连字符（-）和点（.），不能包含“{found}”。"
            ),
            Problem::MoneyFormat => "请输入以元为单位的金额，例如 12.30。".to_owned(),
            Problem::MoneyNegative => "金额不能为负数。".to_owned(),
            Problem::MoneyDecimals => "金额最多保留两位小数。".to_owned(),
            Problem::MoneyTooLarge => format!("金额不能超过 {}。", Money::MAX),
        }
    }

    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        match lang {
            crate::i18n::Lang::En => self.message_en(),
            crate::i18n::Lang::Zh => self.message_zh(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for ParseError {}

/// The common shape of the string newtypes: `as_str`, `Display`, and serde through `String`
/// (deserializing parses, so an invalid value cannot come in over the wire either).
macro_rules! string_newtype {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ParseError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl std::str::FromStr for $name {
            type Err = ParseError;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Self::parse(value)
            }
        }
    };
}

fn require_digits(field: Field, input: &str, digits: usize) -> Result<&str, ParseError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(ParseError::new(field, Problem::Empty));
    }
    if !input.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseError::new(field, Problem::NotAllDigits));
    }
    if input.len() != digits {
        return Err(ParseError::new(field, Problem::WrongLength { digits }));
    }
    Ok(input)
}

/// A service-market order number: 24 ASCII digits, like Alipay's `commodity_order_id`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrderNo(String);

string_newtype!(OrderNo);

impl OrderNo {
    pub const DIGITS: usize = 24;

    /// Surrounding whitespace is ignored (pasted numbers).
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        require_digits(Field::OrderNo, input, Self::DIGITS).map(|digits| OrderNo(digits.to_owned()))
    }

    /// A new order number: the order's date `YYYYMMDD` in China Standard Time (UTC+8, the zone
    /// of Alipay's timestamps), then the last 16 decimal digits of `random`, zero-padded (the
    /// tiny bias of `% 10^16` does not matter here). Uniqueness is the database's job: on a
    /// collision, generate again. Dates after 9999-12-31 are clamped to it so the result always
    /// has 24 digits.
    pub fn generate(unix_secs: u64, random: u64) -> OrderNo {
        const LAST_SECOND_OF_9999_CST: u64 = 253_402_300_799 - CHINA_OFFSET_SECS;
        let local_secs = unix_secs.min(LAST_SECOND_OF_9999_CST) + CHINA_OFFSET_SECS;
        let (year, month, day) = civil_from_days((local_secs / SECS_PER_DAY) as i64);
        OrderNo(format!(
            "{year:04}{month:02}{day:02}{:016}",
            random % 10_000_000_000_000_000
        ))
    }

    /// The `YYYYMMDD` the number starts with.
    pub fn date_part(&self) -> &str {
        &self.0[..8]
    }
}

/// A moment as `YYYY-MM-DD HH:MM` in China Standard Time (UTC+8), the zone the platform shows
/// times in (as Alipay does); the pages say so once.
pub fn format_cst(unix_ms: i64) -> String {
    let local_secs = unix_ms.div_euclid(1000) + CHINA_OFFSET_SECS as i64;
    let (year, month, day) = civil_from_days(local_secs.div_euclid(SECS_PER_DAY as i64));
    let second_of_day = local_secs.rem_euclid(SECS_PER_DAY as i64);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        second_of_day / 3600,
        second_of_day % 3600 / 60
    )
}

const SECS_PER_DAY: u64 = 24 * 60 * 60;
const CHINA_OFFSET_SECS: u64 = 8 * 60 * 60;

/// The proleptic Gregorian (year, month 1-12, day 1-31) of a count of days since 1970-01-01
/// (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days_since_epoch: i64) -> (i64, u32, u32) {
    let z = days_since_epoch + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097); // [0, 146096]
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153; // March = 0
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// An email address: trimmed, ASCII, one `@`, at most 254 characters, a local part of at most 64
/// (case kept) and a domain with a dot (lower-cased). Internationalized domains are expected
/// in their `xn--` form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

string_newtype!(Email);

impl Email {
    pub const MAX_LEN: usize = 254;
    pub const MAX_LOCAL_LEN: usize = 64;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let error = |problem| ParseError::new(Field::Email, problem);
        let input = input.trim();
        if input.is_empty() {
            return Err(error(Problem::Empty));
        }
        if input.chars().count() > Self::MAX_LEN {
            return Err(error(Problem::TooLong { max: Self::MAX_LEN }));
        }
        if input.chars().any(char::is_whitespace) {
            return Err(error(Problem::Whitespace));
        }
        let Some((local, domain)) = input.split_once('@') else {
            return Err(error(Problem::EmailAt));
        };
        if domain.contains('@') {
            return Err(error(Problem::EmailAt));
        }
        if local.chars().count() > Self::MAX_LOCAL_LEN {
            return Err(error(Problem::EmailLocalPartTooLong {
                max: Self::MAX_LOCAL_LEN,
            }));
        }
        if !is_valid_local_part(local) {
            return Err(error(Problem::EmailLocalPart));
        }
        if !is_valid_domain(domain) {
            return Err(error(Problem::EmailDomain));
        }
        Ok(Email(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn local_part(&self) -> &str {
        self.0.split_once('@').map_or("", |(local, _)| local)
    }

    pub fn domain(&self) -> &str {
        self.0.split_once('@').map_or("", |(_, domain)| domain)
    }
}

/// RFC 5322 `dot-atom`: atext characters, dots only between them.
fn is_valid_local_part(local: &str) -> bool {
    const ATEXT_SPECIALS: &str = "!#$%&'*+/=?^_`{|}~-";
    !local.is_empty()
        && local.split('.').all(|atom| {
            !atom.is_empty()
                && atom
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ATEXT_SPECIALS.contains(c))
        })
}

/// Dot-separated labels of ASCII letters, digits and inner hyphens (at most 63 each), at least
/// two labels, and a top-level label of two or more characters that is not all digits.
fn is_valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let top_ok = labels
        .last()
        .is_some_and(|top| top.len() >= 2 && !top.chars().all(|c| c.is_ascii_digit()));
    labels.len() >= 2 && labels.iter().all(label_ok) && top_ok
}

/// A username: 3-32 ASCII letters, digits, `_`, `-` and `.`, starting with a letter or digit.
/// Case is kept as typed; case-insensitive uniqueness is the database's concern.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

string_newtype!(Username);

impl Username {
    pub const MIN_LEN: usize = 3;
    pub const MAX_LEN: usize = 32;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let error = |problem| ParseError::new(Field::Username, problem);
        let input = input.trim();
        if input.is_empty() {
            return Err(error(Problem::Empty));
        }
        if let Some(found) = input
            .chars()
            .find(|&c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
        {
            return Err(error(Problem::UsernameCharacter { found }));
        }
        // Only ASCII is left, so bytes are characters.
        if input.len() < Self::MIN_LEN {
            return Err(error(Problem::TooShort { min: Self::MIN_LEN }));
        }
        if input.len() > Self::MAX_LEN {
            return Err(error(Problem::TooLong { max: Self::MAX_LEN }));
        }
        if !input.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(error(Problem::UsernameStart));
        }
        Ok(Username(input.to_owned()))
    }
}

/// An amount of money in integer cents (分), from 0 to [`Money::MAX`]; shown and parsed in
/// yuan with two decimals ("12.30"), the form of Alipay's `total_price`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);
    /// 10,000,000.00 yuan: far above any real service price, far below overflow.
    pub const MAX: Money = Money(1_000_000_000);

    pub fn from_cents(cents: i64) -> Result<Self, ParseError> {
        let error = |problem| ParseError::new(Field::Money, problem);
        if cents < 0 {
            Err(error(Problem::MoneyNegative))
        } else if cents > Self::MAX.0 {
            Err(error(Problem::MoneyTooLarge))
        } else {
            Ok(Money(cents))
        }
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Yuan with up to two decimals: "12", "12.3", "12.30". No sign, no exponent, no grouping,
    /// at least one digit before the point and one after it if there is a point.
    pub fn parse_yuan(input: &str) -> Result<Self, ParseError> {
        let error = |problem| ParseError::new(Field::Money, problem);
        let input = input.trim();
        if input.is_empty() {
            return Err(error(Problem::Empty));
        }
        if input.starts_with('-') {
            return Err(error(Problem::MoneyNegative));
        }
        let (whole, fraction) = input.split_once('.').unwrap_or((input, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !all_digits(whole)
            || !all_digits(fraction)
            || (input.contains('.') && fraction.is_empty())
        {
            return Err(error(Problem::MoneyFormat));
        }
        if fraction.len() > 2 {
            return Err(error(Problem::MoneyDecimals));
        }
        let whole = whole.trim_start_matches('0');
        // More than 9 significant digits is above the maximum, and would risk overflow.
        if whole.len() > 9 {
            return Err(error(Problem::MoneyTooLarge));
        }
        let yuan: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| error(Problem::MoneyFormat))?
        };
        let fraction_cents: i64 = match fraction.len() {
            0 => 0,
            1 => {
                fraction
                    .parse::<i64>()
                    .map_err(|_| error(Problem::MoneyFormat))?
                    * 10
            }
            _ => fraction.parse().map_err(|_| error(Problem::MoneyFormat))?,
        };
        Self::from_cents(yuan * 100 + fraction_cents)
    }

    /// The same as [`Money::parse_yuan`]; named `parse` like the other newtypes.
    pub fn parse(input: &str) -> Result<Self, ParseError> {
        Self::parse_yuan(input)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl From<Money> for String {
    fn from(value: Money) -> String {
        value.to_string()
    }
}

impl TryFrom<String> for Money {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse_yuan(&value)
    }
}

impl std::str::FromStr for Money {
    type Err = ParseError;
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::parse_yuan(value)
    }
}

const APP_ID_PREFIX: &str = "2021";

/// A third-party app id issued by this platform: 16 digits starting with `2021`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AppId(String);

string_newtype!(AppId);

impl AppId {
    pub const DIGITS: usize = 16;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let digits = require_digits(Field::AppId, input, Self::DIGITS)?;
        if !digits.starts_with(APP_ID_PREFIX) {
            return Err(ParseError::new(Field::AppId, Problem::AppIdPrefix));
        }
        Ok(AppId(digits.to_owned()))
    }

    /// A new app id: `2021` then the last 12 decimal digits of `random`, zero-padded.
    /// Uniqueness is the database's job: on a collision, generate again.
    pub fn generate(random: u64) -> AppId {
        AppId(format!("{APP_ID_PREFIX}{:012}", random % 1_000_000_000_000))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn problem<T: fmt::Debug>(result: Result<T, ParseError>) -> Problem {
        result.unwrap_err().problem
    }

    // ---- OrderNo ----

    #[test]
    fn an_order_number_of_24_digits_is_accepted() {
        let no = OrderNo::parse(" 202003250000000005945192 ").unwrap();
        assert_eq!(no.as_str(), "202003250000000005945192");
        assert_eq!(no.date_part(), "20200325");
    }

    #[test]
    fn an_order_number_of_the_wrong_length_or_with_non_digits_is_refused() {
        assert_eq!(problem(OrderNo::parse("")), Problem::Empty);
        // Alipay's doc example has 23 digits; ours are always 24.
        assert_eq!(
            problem(OrderNo::parse("20160010200000000033400")),
            Problem::WrongLength { digits: 24 }
        );
        assert_eq!(
            problem(OrderNo::parse("20200325000000000594519a")),
            Problem::NotAllDigits
        );
        assert_eq!(
            problem(OrderNo::parse(
                "２０２００３２５００００００００５９４５１９２"
            )),
            Problem::NotAllDigits
        );
    }

    #[test]
    fn a_generated_order_number_starts_with_the_china_date_and_ends_with_the_random_digits() {
        // 2020-03-25 08:27:00 UTC is 16:27 in China.
        let no = OrderNo::generate(1_585_124_820, 5_945_192);
        assert_eq!(no.as_str(), "202003250000000005945192");
        // 2020-03-24 16:00:00 UTC is already 2020-03-25 in China.
        assert_eq!(OrderNo::generate(1_585_065_600, 0).date_part(), "20200325");
        assert_eq!(OrderNo::generate(1_585_065_599, 0).date_part(), "20200324");
        assert_eq!(
            OrderNo::generate(0, u64::MAX).as_str(),
            format!("19700101{}", u64::MAX % 10_000_000_000_000_000)
        );
        assert_eq!(OrderNo::generate(u64::MAX, 1).date_part(), "99991231");
    }

    #[test]
    fn format_cst_shows_china_standard_time() {
        assert_eq!(format_cst(0), "1970-01-01 08:00");
        // 2026-11-22 15:59:59.999 UTC is 23:59 in Beijing; a second later the date turns.
        assert_eq!(format_cst(1_795_363_199_999), "2026-11-22 23:59");
        assert_eq!(format_cst(1_795_363_200_000), "2026-11-23 00:00");
        assert_eq!(format_cst(-1), "1970-01-01 07:59");
    }

    #[test]
    fn civil_from_days_knows_leap_years_and_centuries() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(11_017), (2000, 3, 1));
        assert_eq!(civil_from_days(47_540), (2100, 2, 28));
        assert_eq!(civil_from_days(47_541), (2100, 3, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(2_932_896), (9999, 12, 31));
    }

    // ---- Email ----

    #[test]
    fn an_email_is_trimmed_and_its_domain_lower_cased() {
        let email = Email::parse("  Jane.Doe+market@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "Jane.Doe+market@example.com");
        assert_eq!(email.local_part(), "Jane.Doe+market");
        assert_eq!(email.domain(), "example.com");
        assert!(Email::parse("a@b.co").is_ok());
        assert!(Email::parse("x@mail.xn--fiqs8s").is_ok());
    }

    #[test]
    fn malformed_emails_are_refused_with_the_reason() {
        let cases = [
            ("", Problem::Empty),
            ("   ", Problem::Empty),
            ("jane doe@example.com", Problem::Whitespace),
            ("jane.example.com", Problem::EmailAt),
            ("jane@doe@example.com", Problem::EmailAt),
            ("@example.com", Problem::EmailLocalPart),
            (".jane@example.com", Problem::EmailLocalPart),
            ("jane.@example.com", Problem::EmailLocalPart),
            ("ja..ne@example.com", Problem::EmailLocalPart),
            ("jané@example.com", Problem::EmailLocalPart),
            ("jane@", Problem::EmailDomain),
            ("jane@localhost", Problem::EmailDomain),
            ("jane@example..com", Problem::EmailDomain),
            ("jane@-example.com", Problem::EmailDomain),
            ("jane@example.c", Problem::EmailDomain),
            ("jane@10.0.0.1", Problem::EmailDomain),
            ("jane@exa_mple.com", Problem::EmailDomain),
        ];
        for (input, expected) in cases {
            assert_eq!(problem(Email::parse(input)), expected, "{input:?}");
        }
    }

    #[test]
    fn over_long_emails_are_refused() {
        let local = "a".repeat(65);
        assert_eq!(
            problem(Email::parse(&format!("{local}@example.com"))),
            Problem::EmailLocalPartTooLong { max: 64 }
        );
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(64))).is_ok());
        let domain = format!("{}.com", vec!["b".repeat(60); 4].join("."));
        let email = format!("{}@{domain}", "a".repeat(250 - domain.len()));
        assert_eq!(email.len(), 251);
        assert!(Email::parse(&email).is_ok());
        let too_long = format!("{}@{domain}", "a".repeat(254 - domain.len()));
        assert_eq!(
            problem(Email::parse(&too_long)),
            Problem::TooLong { max: 254 }
        );
    }

    // ---- Username ----

    #[test]
    fn usernames_of_letters_digits_underscore_hyphen_and_dot_are_accepted() {
        for name in ["abc", "Jane_Doe-2.0", "7eleven", &"a".repeat(32)] {
            assert_eq!(Username::parse(name).unwrap().as_str(), name);
        }
        assert_eq!(Username::parse(" jane ").unwrap().as_str(), "jane");
    }

    #[test]
    fn invalid_usernames_are_refused_with_the_reason() {
        let too_long = "a".repeat(33);
        let cases = [
            ("", Problem::Empty),
            ("ab", Problem::TooShort { min: 3 }),
            (too_long.as_str(), Problem::TooLong { max: 32 }),
            ("_jane", Problem::UsernameStart),
            (".jane", Problem::UsernameStart),
            ("jane doe", Problem::UsernameCharacter { found: ' ' }),
            ("jane@doe", Problem::UsernameCharacter { found: '@' }),
            ("张三丰", Problem::UsernameCharacter { found: '张' }),
        ];
        for (input, expected) in cases {
            assert_eq!(problem(Username::parse(input)), expected, "{input:?}");
        }
    }

    // ---- Money ----

    #[test]
    fn yuan_amounts_with_up_to_two_decimals_are_accepted() {
        let cases = [
            ("12.30", 1_230),
            ("12.3", 1_230),
            ("12", 1_200),
            ("0", 0),
            ("0.01", 1),
            (" 7.05 ", 705),
            ("007.50", 750),
            ("10000000.00", 1_000_000_000),
        ];
        for (input, cents) in cases {
            assert_eq!(
                Money::parse_yuan(input).unwrap().cents(),
                cents,
                "{input:?}"
            );
        }
    }

    #[test]
    fn malformed_negative_over_precise_and_huge_amounts_are_refused() {
        let cases = [
            ("", Problem::Empty),
            ("-1", Problem::MoneyNegative),
            ("-0.01", Problem::MoneyNegative),
            ("12.345", Problem::MoneyDecimals),
            ("10000000.01", Problem::MoneyTooLarge),
            ("99999999999999999999999", Problem::MoneyTooLarge),
            ("abc", Problem::MoneyFormat),
            ("+1", Problem::MoneyFormat),
            ("1,000", Problem::MoneyFormat),
            ("1e3", Problem::MoneyFormat),
            (".5", Problem::MoneyFormat),
            ("5.", Problem::MoneyFormat),
            ("1.2.3", Problem::MoneyFormat),
            ("¥12", Problem::MoneyFormat),
        ];
        for (input, expected) in cases {
            assert_eq!(problem(Money::parse_yuan(input)), expected, "{input:?}");
        }
    }

    #[test]
    fn money_is_shown_in_yuan_with_two_decimals() {
        assert_eq!(Money::from_cents(1_230).unwrap().to_string(), "12.30");
        assert_eq!(Money::from_cents(5).unwrap().to_string(), "0.05");
        assert_eq!(Money::ZERO.to_string(), "0.00");
        assert_eq!(Money::MAX.to_string(), "10000000.00");
        assert_eq!(problem(Money::from_cents(-1)), Problem::MoneyNegative);
        assert_eq!(
            problem(Money::from_cents(Money::MAX.cents() + 1)),
            Problem::MoneyTooLarge
        );
    }

    // ---- AppId ----

    #[test]
    fn an_app_id_of_16_digits_starting_with_2021_is_accepted() {
        assert_eq!(
            AppId::parse("2021002189618144").unwrap().as_str(),
            "2021002189618144"
        );
        assert_eq!(AppId::generate(42).as_str(), "2021000000000042");
        assert_eq!(AppId::generate(u64::MAX).as_str().len(), 16);
    }

    #[test]
    fn other_app_ids_are_refused_with_the_reason() {
        let cases = [
            ("", Problem::Empty),
            ("2018091261392200", Problem::AppIdPrefix),
            ("202100218961814", Problem::WrongLength { digits: 16 }),
            ("20210021896181440", Problem::WrongLength { digits: 16 }),
            ("2021-02189618144", Problem::NotAllDigits),
        ];
        for (input, expected) in cases {
            assert_eq!(problem(AppId::parse(input)), expected, "{input:?}");
        }
    }

    // ---- messages and serde ----

    #[test]
    fn parse_errors_name_the_field_in_both_languages() {
        let error = Username::parse("ab").unwrap_err();
        assert_eq!(error.field, Field::Username);
        assert_eq!(error.to_string(), "Username must be at least 3 characters.");
        assert_eq!(
            error.message(crate::i18n::Lang::Zh),
            "用户名至少需要 3 个字符。"
        );
        assert_eq!(
            Money::parse_yuan("20000000").unwrap_err().message_en(),
            "The amount can be at most 10000000.00."
        );
    }

    #[test]
    fn deserializing_goes_through_parse() {
        assert!(Email::try_from("not an email".to_owned()).is_err());
        assert_eq!(
            String::from(Money::try_from("1.5".to_owned()).unwrap()),
            "1.50"
        );
        assert_eq!(
            String::from(Email::try_from("A@B.CO".to_owned()).unwrap()),
            "A@b.co"
        );
    }

    proptest! {
        #[test]
        fn order_numbers_round_trip(digits in "[0-9]{24}") {
            let no = OrderNo::parse(&digits).unwrap();
            prop_assert_eq!(OrderNo::parse(&format!("{no}")).unwrap(), no);
        }

        #[test]
        fn generated_order_numbers_always_parse(secs in any::<u64>(), random in any::<u64>()) {
            let no = OrderNo::generate(secs, random);
            prop_assert_eq!(OrderNo::parse(no.as_str()), Ok(no));
        }

        #[test]
        fn generated_dates_agree_with_consecutive_days(days in -800_000_i64..3_000_000) {
            let (y, m, d) = civil_from_days(days);
            let (ny, nm, nd) = civil_from_days(days + 1);
            let next_is_following_day = (ny, nm, nd) == (y, m, d + 1)
                || (ny == y && nm == m + 1 && nd == 1)
                || (ny == y + 1 && nm == 1 && nd == 1 && m == 12 && d == 31);
            prop_assert!(next_is_following_day, "{:?} -> {:?}", (y, m, d), (ny, nm, nd));
            prop_assert!((1..=12).contains(&m) && (1..=31).contains(&d));
        }

        #[test]
        fn valid_emails_round_trip(
            local in "[A-Za-z0-9_%+-]{1,20}(\\.[A-Za-z0-9_%+-]{1,10})?",
            domain in "[A-Za-z0-9]{1,10}(-[a-z0-9]{1,5})?\\.[A-Za-z]{2,6}",
        ) {
            let email = Email::parse(&format!("{local}@{domain}")).unwrap();
            prop_assert_eq!(email.domain(), domain.to_ascii_lowercase());
            prop_assert_eq!(Email::parse(&format!("{email}")).unwrap(), email);
        }

        #[test]
        fn any_accepted_email_round_trips(input in "\\PC{0,40}") {
            if let Ok(email) = Email::parse(&input) {
                prop_assert_eq!(Email::parse(&format!("{email}")).unwrap(), email);
            }
        }

        #[test]
        fn valid_usernames_round_trip(name in "[A-Za-z0-9][A-Za-z0-9_.-]{2,31}") {
            let username = Username::parse(&name).unwrap();
            prop_assert_eq!(Username::parse(&format!("{username}")).unwrap(), username);
        }

        #[test]
        fn money_round_trips_through_its_display(cents in 0..=Money::MAX.cents()) {
            let money = Money::from_cents(cents).unwrap();
            prop_assert_eq!(Money::parse_yuan(&money.to_string()).unwrap(), money);
        }

        #[test]
        fn parsing_any_amount_never_panics_and_accepted_ones_round_trip(input in "\\PC{0,24}") {
            if let Ok(money) = Money::parse_yuan(&input) {
                prop_assert!((0..=Money::MAX.cents()).contains(&money.cents()));
                prop_assert_eq!(Money::parse_yuan(&money.to_string()).unwrap(), money);
            }
        }

        #[test]
        fn app_ids_round_trip(rest in "[0-9]{12}", random in any::<u64>()) {
            let id = AppId::parse(&format!("2021{rest}")).unwrap();
            prop_assert_eq!(AppId::parse(&format!("{id}")).unwrap(), id);
            let generated = AppId::generate(random);
            prop_assert_eq!(AppId::parse(generated.as_str()), Ok(generated));
        }
    }
}
