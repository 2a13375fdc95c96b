//! Field-level errors: which input of a form is wrong and why, in English and Chinese, so a page
//! shows each message next to its field in the current language.

use crate::domain::ParseError;
use crate::i18n::{Bilingual, Lang};
use serde::{Deserialize, Serialize};

/// One text in both languages. The owned sibling of [`Bilingual`], for messages that carry
/// numbers or names (`Bilingual` labels are fixed `&'static str` pairs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BiText {
    pub en: String,
    pub zh: String,
}

impl BiText {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> BiText {
        BiText {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

impl<B: Bilingual> From<B> for BiText {
    fn from(label: B) -> BiText {
        let (en, zh) = label.labels();
        BiText::new(en, zh)
    }
}

impl From<&ParseError> for BiText {
    fn from(error: &ParseError) -> BiText {
        BiText::new(error.message_en(), error.message_zh())
    }
}

/// A message about one input, named as the form names it (`email`, `code`, `password`…).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: BiText,
}

/// Every problem found in one submission, in the order of the form's fields. A message that
/// belongs to no single field uses [`FieldErrors::FORM`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// The pseudo field for a message about the whole form (shown above it).
    pub const FORM: &'static str = "form";

    pub fn new() -> FieldErrors {
        FieldErrors::default()
    }

    /// A single message about one field.
    pub fn one(field: &str, message: impl Into<BiText>) -> FieldErrors {
        let mut errors = FieldErrors::new();
        errors.push(field, message);
        errors
    }

    /// Adds a message; a field keeps only its first message, the one to fix first.
    pub fn push(&mut self, field: &str, message: impl Into<BiText>) {
        if self.get(field).is_none() {
            self.0.push(FieldError {
                field: field.to_owned(),
                message: message.into(),
            });
        }
    }

    /// Keeps the parsed value, or records why it did not parse under `field`.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, ParseError>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(error) => {
                self.push(field, &error);
                None
            }
        }
    }

    pub fn get(&self, field: &str) -> Option<&BiText> {
        self.0
            .iter()
            .find(|error| error.field == field)
            .map(|error| &error.message)
    }

    /// The message for `field` in `lang`, for a page to show beside the input.
    pub fn message(&self, field: &str, lang: Lang) -> Option<&str> {
        self.get(field).map(|text| text.get(lang))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// The field names with a message, in order.
    pub fn fields(&self) -> Vec<&str> {
        self.0.iter().map(|error| error.field.as_str()).collect()
    }

    /// `Ok` when nothing was found, else the errors as an [`crate::error::AppError::Fields`].
    pub fn into_result(self) -> Result<(), crate::error::AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(crate::error::AppError::Fields(self))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Email;
    use crate::i18n::Text;

    #[test]
    fn a_field_keeps_its_first_message() {
        let mut errors = FieldErrors::new();
        errors.push("email", BiText::new("first", "第一"));
        errors.push("email", BiText::new("second", "第二"));
        errors.push("code", BiText::new("code", "验证码"));
        assert_eq!(errors.len(), 2);
        assert_eq!(errors.fields(), ["email", "code"]);
        assert_eq!(errors.message("email", Lang::En), Some("first"));
        assert_eq!(errors.message("email", Lang::Zh), Some("第一"));
        assert_eq!(errors.message("username", Lang::En), None);
    }

    #[test]
    fn parse_errors_and_bilingual_labels_become_messages() {
        let mut errors = FieldErrors::new();
        assert!(errors.check("email", Email::parse("nope")).is_none());
        assert_eq!(
            errors.message("email", Lang::En),
            Some("Email must contain exactly one @, like name@example.com.")
        );
        assert!(errors.message("email", Lang::Zh).unwrap().contains("邮箱"));
        let text: BiText = Text::SignIn.into();
        assert_eq!(text.get(Lang::Zh), "登录");
    }

    #[test]
    fn no_errors_is_ok_and_some_is_a_fields_error() {
        assert!(FieldErrors::new().into_result().is_ok());
        let error = FieldErrors::one("code", BiText::new("x", "y"))
            .into_result()
            .unwrap_err();
        assert!(matches!(error, crate::error::AppError::Fields(ref f) if f.len() == 1));
    }
}
