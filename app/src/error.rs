//! The one error type server functions return: expected failures as values the page can show,
//! unexpected ones as an opaque message (the cause chain goes to the log, never to the client).

use crate::auth::FieldErrors;
use crate::i18n::Lang;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Input that breaks a rule; the message says which and how to fix it.
    #[error("{0}")]
    Invalid(String),
    /// Inputs that break a rule, each with a message (in both languages) to show beside its field.
    #[error("{}", fields_summary(.0))]
    Fields(FieldErrors),
    /// Too many tries in too short a time; the caller may try again after `retry_after_secs`.
    #[error("{}", rate_limit_text(*.limit, *.retry_after_secs, Lang::En))]
    RateLimited { limit: Limit, retry_after_secs: i64 },
    #[error("Please sign in first.")]
    Unauthenticated,
    #[error("You do not have access to this.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    /// The request could not be done as things stand now (a stale page, a double click).
    #[error("{0}")]
    Conflict(String),
    /// Something failed on our side; details are in the server log under this reference.
    #[error("Something went wrong on our side (reference {reference}). Please try again.")]
    Internal { reference: String },
    /// The call itself failed: the network, or encoding the arguments or the answer.
    #[error("{0}")]
    Transport(String),
}

/// What a [`AppError::RateLimited`] limited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// Verification codes sent to one email or from one client address.
    CodeSends,
    /// Failed sign-ins for one account or from one client address.
    SignIns,
}

fn fields_summary(errors: &FieldErrors) -> String {
    errors
        .iter()
        .map(|error| error.message.en.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn rate_limit_text(limit: Limit, retry_after_secs: i64, lang: Lang) -> String {
    // Whole minutes, rounded up: "in 0 minutes" would read as "now".
    let minutes = (retry_after_secs.max(1) + 59) / 60;
    match (limit, lang) {
        (Limit::CodeSends, Lang::En) => format!(
            "Too many verification codes were sent. Please try again in {minutes} minute{}.",
            if minutes == 1 { "" } else { "s" }
        ),
        (Limit::CodeSends, Lang::Zh) => {
            format!("发送验证码的次数过多，请在 {minutes} 分钟后重试。")
        }
        (Limit::SignIns, Lang::En) => format!(
            "Too many failed sign-in attempts. Please try again in {minutes} minute{}.",
            if minutes == 1 { "" } else { "s" }
        ),
        (Limit::SignIns, Lang::Zh) => format!("登录失败次数过多，请在 {minutes} 分钟后重试。"),
    }
}

impl AppError {
    /// The message to show in `lang`. Field errors give their form-level message here (or a
    /// general one); a page shows the others beside their fields.
    pub fn message(&self, lang: Lang) -> String {
        let pick = |en: &str, zh: &str| match lang {
            Lang::En => en.to_owned(),
            Lang::Zh => zh.to_owned(),
        };
        match self {
            AppError::Fields(errors) => match errors.get(FieldErrors::FORM) {
                Some(text) => text.get(lang).to_owned(),
                None => pick(
                    "Please correct the fields marked below.",
                    "请修改下方标出的内容。",
                ),
            },
            AppError::RateLimited {
                limit,
                retry_after_secs,
            } => rate_limit_text(*limit, *retry_after_secs, lang),
            AppError::Unauthenticated => pick("Please sign in first.", "请先登录。"),
            AppError::Forbidden => pick("You do not have access to this.", "您无权访问此内容。"),
            AppError::NotFound => pick("Not found.", "未找到。"),
            AppError::Internal { reference } => match lang {
                Lang::En => self.to_string(),
                Lang::Zh => format!("服务器出错了（编号 {reference}），请重试。"),
            },
            AppError::Invalid(_) | AppError::Conflict(_) | AppError::Transport(_) => {
                self.to_string()
            }
        }
    }

    /// The field errors, when this is about fields.
    pub fn fields(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Fields(errors) => Some(errors),
            _ => None,
        }
    }

    /// The HTTP status a server function answers with when it fails this way.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::Invalid(_) | AppError::Fields(_) | AppError::Transport(_) => {
                StatusCode::BAD_REQUEST
            }
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Gives a server function's failure its HTTP status (429 with `Retry-After`, 401, 400…) instead
/// of the blanket 500. Left alone for a plain HTML form post, which Leptos answers with a
/// redirect back to the form that a 4xx status would break.
#[cfg(feature = "ssr")]
pub fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    use leptos::prelude::use_context;
    if let Err(error) = &result {
        let plain_form_post = use_context::<http::request::Parts>().is_some_and(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|value| value.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
        });
        if let (false, Some(response)) = (
            plain_form_post,
            use_context::<leptos_axum::ResponseOptions>(),
        ) {
            response.set_status(error.status());
            if let AppError::RateLimited {
                retry_after_secs, ..
            } = error
            {
                response.insert_header(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from(retry_after_secs.max(&1).to_owned()),
                );
            }
        }
    }
    result
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Logs an unexpected failure with its whole cause chain and returns the opaque error the
    /// client sees, tied to the log line by a short reference.
    pub fn internal(error: &(dyn std::error::Error + 'static)) -> AppError {
        use rand::Rng;
        let reference = format!("{:08x}", rand::thread_rng().gen::<u32>());
        let mut chain = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            chain.push_str(": ");
            chain.push_str(&cause.to_string());
            source = cause.source();
        }
        tracing::error!(%reference, error = %chain, "internal error");
        AppError::Internal { reference }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => AppError::NotFound,
            other => AppError::internal(&other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::BiText;

    #[test]
    fn rate_limits_say_when_to_try_again_in_whole_minutes() {
        let error = AppError::RateLimited {
            limit: Limit::CodeSends,
            retry_after_secs: 61,
        };
        assert_eq!(
            error.to_string(),
            "Too many verification codes were sent. Please try again in 2 minutes."
        );
        assert_eq!(
            error.message(Lang::Zh),
            "发送验证码的次数过多，请在 2 分钟后重试。"
        );
        let error = AppError::RateLimited {
            limit: Limit::SignIns,
            retry_after_secs: 0,
        };
        assert_eq!(
            error.message(Lang::En),
            "Too many failed sign-in attempts. Please try again in 1 minute."
        );
        assert_eq!(error.status(), http::StatusCode::TOO_MANY_REQUESTS);
    }

    #[test]
    fn field_errors_show_their_form_message_or_a_general_one() {
        let error = AppError::Fields(FieldErrors::one("email", BiText::new("Bad.", "错。")));
        assert_eq!(error.to_string(), "Bad.");
        assert_eq!(error.message(Lang::Zh), "请修改下方标出的内容。");
        assert_eq!(error.status(), http::StatusCode::BAD_REQUEST);
        let error = AppError::Fields(FieldErrors::one(
            FieldErrors::FORM,
            BiText::new("Wrong.", "不对。"),
        ));
        assert_eq!(error.message(Lang::Zh), "不对。");
        assert_eq!(error.fields().unwrap().len(), 1);
    }

    #[test]
    fn errors_travel_as_json_and_come_back_equal() {
        let error = AppError::RateLimited {
            limit: Limit::SignIns,
            retry_after_secs: 300,
        };
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), error);
        assert_eq!(AppError::Unauthenticated.message(Lang::Zh), "请先登录。");
    }
}
