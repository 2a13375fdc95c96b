//! The account server functions: public endpoints under `/api/auth/…`. Each first establishes
//! who is calling (and from where), then hands the checked request to [`super::flows`].
//!
//! The request types are the argument structs `#[server]` generates, named after the functions
//! (`SignUp { email, code, username, password, agree_terms }`, `SignIn { login, password }`…),
//! so an `ActionForm` whose inputs carry these names calls them, with or without wasm.

use super::{Account, CodeSent};
use crate::error::AppError;
use leptos::prelude::*;

/// Emails a sign-up code to `email`. Refuses a malformed or already registered email (field
/// `email`) and a sixth send within the hour to the same email or from the same address
/// ([`AppError::RateLimited`]).
#[server(prefix = "/api", endpoint = "auth/send_sign_up_code")]
pub async fn send_sign_up_code(email: String) -> Result<CodeSent, AppError> {
    send_code_for(email, super::CodePurpose::SignUp).await
}

/// Creates an account and signs it in (the session cookie is set); its role is still to be
/// chosen. `agree_terms` is the Terms of Service checkbox (absent when unticked). Every field is
/// checked before anything changes; errors name their fields (`email`, `code`, `username`,
/// `password`, `agree_terms`). A signed-in caller's old session ends.
#[server(prefix = "/api", endpoint = "auth/sign_up")]
pub async fn sign_up(
    email: String,
    code: String,
    username: String,
    password: String,
    agree_terms: Option<String>,
) -> Result<Account, AppError> {
    use super::{checkbox_ticked, flows, sessions};
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let caller = sessions::caller(&state).await?;
            let client = sessions::client_info(&state);
            let form = flows::SignUpForm {
                email,
                code,
                username,
                password,
                agreed_to_terms: checkbox_ticked(agree_terms.as_deref()),
            };
            let session = flows::sign_up(&state, &client, &form).await?;
            if let Some(old) = caller {
                sessions::delete(state.db.pool(), &old.session_id).await?;
            }
            sessions::set_session_cookie(&session.token, &client);
            Ok(session.account)
        }
        .await,
    )
}

/// Signs in with an email or a username (`login`) and a password; sets the session cookie.
/// An unknown account and a wrong password get the same form-level message; after 5 failures
/// for one account (or 20 from one address) within 15 minutes, [`AppError::RateLimited`].
#[server(prefix = "/api", endpoint = "auth/sign_in")]
pub async fn sign_in(login: String, password: String) -> Result<Account, AppError> {
    use super::{flows, sessions};
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let caller = sessions::caller(&state).await?;
            let client = sessions::client_info(&state);
            let session = flows::sign_in(&state, &client, &login, &password).await?;
            if let Some(old) = caller {
                sessions::delete(state.db.pool(), &old.session_id).await?;
            }
            sessions::set_session_cookie(&session.token, &client);
            Ok(session.account)
        }
        .await,
    )
}

/// Ends the caller's session and clears the cookie; without a session there is nothing to end.
#[server(prefix = "/api", endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use super::sessions;
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let caller = sessions::caller(&state).await?;
            let client = sessions::client_info(&state);
            if let Some(caller) = caller {
                sessions::delete(state.db.pool(), &caller.session_id).await?;
            }
            sessions::clear_session_cookie(&client);
            Ok(())
        }
        .await,
    )
}

/// Forgot your password?, step one: emails a reset code. The answer is the same whether or not
/// an account uses the email; the limits are those of [`send_sign_up_code`].
#[server(prefix = "/api", endpoint = "auth/send_reset_code")]
pub async fn send_reset_code(email: String) -> Result<CodeSent, AppError> {
    send_code_for(email, super::CodePurpose::ResetPassword).await
}

/// Forgot your password?, step two: email + code + new password + confirmation. Changes the
/// password and ends every other session of the account. Errors name their fields (`email`,
/// `code`, `password`, `confirm_password`). The caller then signs in with the new password.
#[server(prefix = "/api", endpoint = "auth/reset_password")]
pub async fn reset_password(
    email: String,
    code: String,
    password: String,
    confirm_password: String,
) -> Result<(), AppError> {
    use super::{flows, sessions};
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let caller = sessions::caller(&state).await?;
            let form = flows::ResetForm {
                email,
                code,
                password,
                confirm_password,
            };
            flows::reset_password(&state, caller.as_ref(), &form).await
        }
        .await,
    )
}

/// Choose your role: `isv` or `merchant`, for the signed-in account
/// ([`AppError::Unauthenticated`] otherwise). It can change until the account has a workspace.
#[server(prefix = "/api", endpoint = "auth/choose_role")]
pub async fn choose_role(role: String) -> Result<Account, AppError> {
    use super::flows;
    crate::error::with_status(
        async {
            let account = super::current_account().await?;
            let state = crate::state::app_state()?;
            flows::choose_role(&state, &account, &role).await
        }
        .await,
    )
}

/// The signed-in account, or `None` for a visitor.
#[server(prefix = "/api", endpoint = "auth/whoami")]
pub async fn whoami() -> Result<Option<Account>, AppError> {
    crate::error::with_status(super::signed_in_account().await)
}

/// Both "Send code" buttons: checks the email, then sends a code of `purpose` within the limits.
#[cfg(feature = "ssr")]
async fn send_code_for(email: String, purpose: super::CodePurpose) -> Result<CodeSent, AppError> {
    use super::{codes, field, sessions, FieldErrors};
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let _caller = sessions::caller(&state).await?;
            let client = sessions::client_info(&state);
            let email = crate::domain::Email::parse(&email)
                .map_err(|error| AppError::Fields(FieldErrors::one(field::EMAIL, &error)))?;
            codes::send_code(&state, &client, purpose, &email).await
        }
        .await,
    )
}
