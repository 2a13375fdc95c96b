//! The one error type server functions return: expected failures as values the page can show,
//! unexpected ones as an opaque message (the cause chain goes to the log, never to the client).

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Input that breaks a rule; the message says which and how to fix it.
    #[error("{0}")]
    Invalid(String),
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
