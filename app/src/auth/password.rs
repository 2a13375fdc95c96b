//! The password rules, as data: the page lists them beside the field (and can tick each one off
//! as the user types), and the server enforces the very same list.

use super::BiText;
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// The rules every new password must meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordRules {
    /// Inclusive bounds, in characters (not bytes): `密码` counts as 2.
    pub min_chars: usize,
    pub max_chars: usize,
    pub needs_letter: bool,
    pub needs_digit: bool,
    /// Not the same as the username, the email, or the part of the email before `@`
    /// (compared without regard to case).
    pub differs_from_identity: bool,
}

/// The rules of this platform.
pub const PASSWORD_RULES: PasswordRules = PasswordRules {
    min_chars: 8,
    max_chars: 64,
    needs_letter: true,
    needs_digit: true,
    differs_from_identity: true,
};

/// One rule, to show and to check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PasswordRule {
    Length { min: usize, max: usize },
    Letter,
    Digit,
    NotIdentity,
}

impl PasswordRules {
    /// The rules in the order a page lists them.
    pub fn rules(&self) -> Vec<PasswordRule> {
        let mut rules = vec![PasswordRule::Length {
            min: self.min_chars,
            max: self.max_chars,
        }];
        if self.needs_letter {
            rules.push(PasswordRule::Letter);
        }
        if self.needs_digit {
            rules.push(PasswordRule::Digit);
        }
        if self.differs_from_identity {
            rules.push(PasswordRule::NotIdentity);
        }
        rules
    }

    /// The rules `password` breaks, in list order; empty when it meets them all. `identities`
    /// are the username and email it must not equal (empty strings are ignored).
    pub fn unmet(&self, password: &str, identities: &[&str]) -> Vec<PasswordRule> {
        self.rules()
            .into_iter()
            .filter(|rule| !rule.is_met(password, identities))
            .collect()
    }
}

impl PasswordRule {
    pub fn is_met(self, password: &str, identities: &[&str]) -> bool {
        match self {
            PasswordRule::Length { min, max } => (min..=max).contains(&password.chars().count()),
            PasswordRule::Letter => password.chars().any(char::is_alphabetic),
            PasswordRule::Digit => password.chars().any(|c| c.is_ascii_digit()),
            PasswordRule::NotIdentity => {
                let password = password.trim().to_lowercase();
                identities
                    .iter()
                    .flat_map(|identity| {
                        let identity = identity.trim();
                        // An email also counts by the part before `@`.
                        [
                            Some(identity),
                            identity.split_once('@').map(|(local, _)| local),
                        ]
                    })
                    .flatten()
                    .filter(|identity| !identity.is_empty())
                    .all(|identity| identity.to_lowercase() != password)
            }
        }
    }

    /// How the rule reads beside the field.
    pub fn text(self) -> BiText {
        match self {
            PasswordRule::Length { min, max } => BiText::new(
                format!("{min}–{max} characters"),
                format!("{min}–{max} 个字符"),
            ),
            PasswordRule::Letter => BiText::new("At least one letter", "至少包含一个字母"),
            PasswordRule::Digit => {
                BiText::new("At least one digit (0-9)", "至少包含一个数字（0-9）")
            }
            PasswordRule::NotIdentity => BiText::new(
                "Not the same as your username or email",
                "不能与用户名或邮箱相同",
            ),
        }
    }

    pub fn label(self, lang: Lang) -> String {
        self.text().get(lang).to_owned()
    }
}

/// Checks a new password against [`PASSWORD_RULES`]; the error is the message for the password
/// field, naming every rule it breaks.
pub fn check_password(password: &str, identities: &[&str]) -> Result<(), BiText> {
    if password.is_empty() {
        return Err(BiText::new("Password is required.", "请填写密码。"));
    }
    let unmet = PASSWORD_RULES.unmet(password, identities);
    if unmet.is_empty() {
        return Ok(());
    }
    let list = |lang: Lang, separator: &str| {
        unmet
            .iter()
            .map(|rule| rule.label(lang))
            .collect::<Vec<_>>()
            .join(separator)
    };
    Err(BiText::new(
        format!(
            "The password does not meet these rules: {}.",
            list(Lang::En, "; ").to_lowercase()
        ),
        format!("密码不符合以下规则：{}。", list(Lang::Zh, "；")),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NOBODY: &[&str] = &[];

    fn unmet(password: &str, identities: &[&str]) -> Vec<PasswordRule> {
        PASSWORD_RULES.unmet(password, identities)
    }

    #[test]
    fn a_password_of_8_to_64_characters_with_a_letter_and_a_digit_is_accepted() {
        for password in [
            "abcdefg1",
            "Tr0ub4dor&3",
            "correct horse battery 9",
            "密码密码密码密码1",
        ] {
            assert!(
                check_password(password, &["jane", "jane@example.com"]).is_ok(),
                "{password:?}"
            );
        }
        assert!(check_password(&format!("a1{}", "x".repeat(62)), NOBODY).is_ok());
    }

    #[test]
    fn length_is_counted_in_characters_and_bounded_on_both_sides() {
        let length = PasswordRule::Length { min: 8, max: 64 };
        assert_eq!(unmet("abcdef1", NOBODY), [length]);
        assert_eq!(unmet(&format!("a1{}", "x".repeat(63)), NOBODY), [length]);
        // Eight characters of three bytes each: long enough.
        assert!(unmet("密码密码密码密1", NOBODY).is_empty());
    }

    #[test]
    fn a_letter_and_a_digit_are_both_needed() {
        assert_eq!(unmet("12345678", NOBODY), [PasswordRule::Letter]);
        assert_eq!(unmet("abcdefgh", NOBODY), [PasswordRule::Digit]);
        assert_eq!(
            unmet("!!!!!!!!", NOBODY),
            [PasswordRule::Letter, PasswordRule::Digit]
        );
        // Full-width digits are not the digits 0-9.
        assert_eq!(unmet("abcdefg１", NOBODY), [PasswordRule::Digit]);
    }

    #[test]
    fn the_username_the_email_and_its_local_part_are_refused_in_any_case() {
        let identities = ["Jane2024", "jane.doe1@example.com"];
        for password in ["jane2024", "JANE2024", "Jane.Doe1@Example.com", "jane.doe1"] {
            assert_eq!(
                unmet(password, &identities),
                [PasswordRule::NotIdentity],
                "{password:?}"
            );
        }
        assert!(unmet("jane2024!", &identities).is_empty());
        // An unknown identity (empty) rules nothing out.
        assert!(unmet("abcdefg1", &["", ""]).is_empty());
    }

    #[test]
    fn the_message_names_every_broken_rule_in_both_languages() {
        let error = check_password("abc", &[]).unwrap_err();
        assert_eq!(
            error.en,
            "The password does not meet these rules: 8–64 characters; at least one digit (0-9)."
        );
        assert_eq!(
            error.zh,
            "密码不符合以下规则：8–64 个字符；至少包含一个数字（0-9）。"
        );
        assert_eq!(
            check_password("", &[]).unwrap_err().en,
            "Password is required."
        );
    }

    #[test]
    fn the_rules_are_listed_for_the_page() {
        let labels: Vec<String> = PASSWORD_RULES
            .rules()
            .into_iter()
            .map(|rule| rule.label(Lang::En))
            .collect();
        assert_eq!(
            labels,
            [
                "8–64 characters",
                "At least one letter",
                "At least one digit (0-9)",
                "Not the same as your username or email"
            ]
        );
        assert_eq!(PasswordRule::Letter.label(Lang::Zh), "至少包含一个字母");
    }

    proptest! {
        #[test]
        fn check_agrees_with_the_rule_list(password in "\\PC{0,70}", name in "[a-z0-9]{3,10}") {
            let identities = [name.as_str()];
            let ok = check_password(&password, &identities).is_ok();
            prop_assert_eq!(ok, !password.is_empty() && unmet(&password, &identities).is_empty());
        }
    }
}
