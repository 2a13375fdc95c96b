//! Accounts and security: sign up with an emailed code, sign in with email or username, sessions,
//! sign out, forgot password, and choosing a role.
//!
//! Shared with the browser: the password rules, the code format, field errors, the wire types and
//! the server functions' client side ([`api`]). Server only (`ssr`): argon2id hashing, codes,
//! sessions, rate limits, and [`current_account`], which every server function uses to know who
//! is calling.

pub mod api;
mod fields;
mod password;

#[cfg(feature = "ssr")]
pub mod accounts;
#[cfg(feature = "ssr")]
pub mod client;
#[cfg(feature = "ssr")]
pub mod codes;
#[cfg(feature = "ssr")]
pub mod crypto;
#[cfg(feature = "ssr")]
pub mod flows;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod throttle;

pub use api::{
    ChooseRole, ResetPassword, SendResetCode, SendSignUpCode, SignIn, SignOut, SignUp, Whoami,
};
pub use fields::{BiText, FieldError, FieldErrors};
pub use password::{check_password, PasswordRule, PasswordRules, PASSWORD_RULES};
#[cfg(feature = "ssr")]
pub use sessions::{current_account, signed_in_account};

use crate::i18n::Bilingual;
use serde::{Deserialize, Serialize};

/// The names of the form fields, as the server functions' arguments and [`FieldErrors`] use them.
pub mod field {
    pub const EMAIL: &str = "email";
    pub const CODE: &str = "code";
    pub const USERNAME: &str = "username";
    pub const PASSWORD: &str = "password";
    pub const CONFIRM_PASSWORD: &str = "confirm_password";
    pub const AGREE_TERMS: &str = "agree_terms";
    /// Sign in: an email or a username.
    pub const LOGIN: &str = "login";
    pub const ROLE: &str = "role";
    pub const FORM: &str = super::FieldErrors::FORM;
}

/// The session cookie: an opaque random token; the database keeps only its hash.
pub const SESSION_COOKIE: &str = "sm_session";
/// A session lasts 30 days from sign-in.
pub const SESSION_TTL_MS: i64 = 30 * 24 * 60 * 60 * 1000;
/// How long an emailed code is valid.
pub const CODE_TTL_MS: i64 = 10 * 60 * 1000;
/// Wrong guesses after which a code is dead.
pub const MAX_CODE_ATTEMPTS: i64 = 5;
/// Codes sent per hour, per email and per client address.
pub const MAX_CODE_SENDS_PER_HOUR: i64 = 5;
/// Failed sign-ins per window, per account (or unknown login) and per client address.
pub const MAX_FAILED_SIGN_INS_PER_LOGIN: i64 = 5;
pub const MAX_FAILED_SIGN_INS_PER_ADDRESS: i64 = 20;
pub const SIGN_IN_WINDOW_MS: i64 = 15 * 60 * 1000;

/// What an account does on the platform, chosen once after sign-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Isv,
    Merchant,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Isv, Role::Merchant];

    /// The value stored in `accounts.role` and sent by the form.
    pub fn code(self) -> &'static str {
        match self {
            Role::Isv => "isv",
            Role::Merchant => "merchant",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|role| role.code() == code.trim().to_ascii_lowercase())
    }
}

impl Bilingual for Role {
    fn labels(self) -> (&'static str, &'static str) {
        match self {
            Role::Isv => ("ISV", "服务商"),
            Role::Merchant => ("Merchant", "商家"),
        }
    }
}

/// The signed-in account as pages see it (never with its password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: i64,
    pub email: String,
    pub username: String,
    /// `None` until the account chooses its role.
    pub role: Option<Role>,
    pub is_reviewer: bool,
}

/// The answer to "send me a code": where it went and for how long it is valid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeSent {
    pub email: String,
    pub expires_in_secs: i64,
}

/// What an emailed code is for; a code of one purpose never works for the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodePurpose {
    SignUp,
    ResetPassword,
}

impl CodePurpose {
    /// The value stored in `verification_codes.purpose`.
    pub fn code(self) -> &'static str {
        match self {
            CodePurpose::SignUp => "sign_up",
            CodePurpose::ResetPassword => "reset_password",
        }
    }
}

/// A verification code as typed: exactly 6 ASCII digits (surrounding spaces ignored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerificationCode(String);

impl VerificationCode {
    pub const DIGITS: usize = 6;

    pub fn parse(input: &str) -> Result<VerificationCode, BiText> {
        let input = input.trim();
        if input.is_empty() {
            return Err(AuthText::CodeRequired.into());
        }
        if input.len() != Self::DIGITS || !input.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AuthText::CodeFormat.into());
        }
        Ok(VerificationCode(input.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether a Terms of Service checkbox was ticked: browsers send `on` (or the input's value)
/// for a ticked box and nothing for an unticked one.
pub fn checkbox_ticked(value: Option<&str>) -> bool {
    value.is_some_and(|value| {
        let value = value.trim().to_ascii_lowercase();
        !value.is_empty() && !matches!(value.as_str(), "false" | "off" | "0" | "no")
    })
}

/// The fixed messages of the account forms, in English and Chinese.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthText {
    CodeRequired,
    CodeFormat,
    NoCodeSent,
    CodeIncorrect,
    CodeExpired,
    CodeUsed,
    CodeDead,
    EmailTaken,
    UsernameTaken,
    TermsNotAgreed,
    PasswordsDiffer,
    LoginRequired,
    PasswordRequired,
    SignInFailed,
    RoleUnknown,
    RoleFixed,
}

impl Bilingual for AuthText {
    fn labels(self) -> (&'static str, &'static str) {
        use AuthText::*;
        match self {
            CodeRequired => ("Verification code is required.", "请填写验证码。"),
            CodeFormat => (
                "The verification code is the 6 digits in the email.",
                "验证码是邮件中的 6 位数字。",
            ),
            NoCodeSent => (
                "Send a verification code to this email first.",
                "请先向该邮箱发送验证码。",
            ),
            CodeIncorrect => (
                "The verification code is incorrect. Use the code in the latest email.",
                "验证码不正确，请使用最新邮件中的验证码。",
            ),
            CodeExpired => (
                "The verification code has expired. Send a new one.",
                "验证码已过期，请重新发送。",
            ),
            CodeUsed => (
                "This verification code has already been used. Send a new one.",
                "该验证码已使用，请重新发送。",
            ),
            CodeDead => (
                "Too many wrong codes. Send a new one.",
                "验证码错误次数过多，请重新发送。",
            ),
            EmailTaken => (
                "This email is already registered. Sign in, or use Forgot your password?",
                "该邮箱已注册。请登录，或使用“忘记密码？”。",
            ),
            UsernameTaken => (
                "This username is taken. Choose another one.",
                "该用户名已被使用，请换一个。",
            ),
            TermsNotAgreed => (
                "Read and agree to the Terms of Service to sign up.",
                "请阅读并同意服务条款后再注册。",
            ),
            PasswordsDiffer => ("The two passwords do not match.", "两次输入的密码不一致。"),
            LoginRequired => ("Enter your email or username.", "请输入邮箱或用户名。"),
            PasswordRequired => ("Enter your password.", "请输入密码。"),
            SignInFailed => (
                "Incorrect email/username or password.",
                "邮箱/用户名或密码不正确。",
            ),
            RoleUnknown => ("Choose ISV or Merchant.", "请选择服务商或商家。"),
            RoleFixed => (
                "Your role is already chosen and your workspace exists; it cannot change now.",
                "您已选择角色并已有工作空间，无法再更改。",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_code_is_exactly_six_ascii_digits() {
        assert_eq!(
            VerificationCode::parse(" 012345 ").unwrap().as_str(),
            "012345"
        );
        let cases = [
            ("", AuthText::CodeRequired),
            ("   ", AuthText::CodeRequired),
            ("12345", AuthText::CodeFormat),
            ("1234567", AuthText::CodeFormat),
            ("12a456", AuthText::CodeFormat),
            ("123 456", AuthText::CodeFormat),
            ("１２３４５６", AuthText::CodeFormat),
        ];
        for (input, expected) in cases {
            assert_eq!(
                VerificationCode::parse(input).unwrap_err(),
                BiText::from(expected),
                "{input:?}"
            );
        }
    }

    #[test]
    fn roles_read_their_codes_and_nothing_else() {
        assert_eq!(Role::from_code("isv"), Some(Role::Isv));
        assert_eq!(Role::from_code(" Merchant "), Some(Role::Merchant));
        assert_eq!(Role::from_code("reviewer"), None);
        assert_eq!(Role::from_code(""), None);
        assert_eq!(Role::Merchant.label(Lang::Zh), "商家");
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
    }

    #[test]
    fn a_checkbox_counts_as_ticked_only_with_a_true_value() {
        assert!(checkbox_ticked(Some("on")));
        assert!(checkbox_ticked(Some("true")));
        assert!(checkbox_ticked(Some("yes")));
        for value in [
            None,
            Some(""),
            Some("off"),
            Some("false"),
            Some("0"),
            Some("No"),
        ] {
            assert!(!checkbox_ticked(value), "{value:?}");
        }
    }

    #[test]
    fn every_message_has_both_languages() {
        use AuthText::*;
        for text in [
            CodeRequired,
            CodeFormat,
            NoCodeSent,
            CodeIncorrect,
            CodeExpired,
            CodeUsed,
            CodeDead,
            EmailTaken,
            UsernameTaken,
            TermsNotAgreed,
            PasswordsDiffer,
            LoginRequired,
            PasswordRequired,
            SignInFailed,
            RoleUnknown,
            RoleFixed,
        ] {
            let (en, zh) = text.labels();
            assert!(en.is_ascii() && !zh.is_ascii(), "{text:?}");
        }
    }
}
