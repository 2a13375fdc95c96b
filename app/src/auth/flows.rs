//! The account flows as plain async functions: the server functions in [`super::api`] read the
//! request (state, client, caller) and call these, which check every input first, so bad input
//! changes nothing, and then do the work inside one transaction.

use super::accounts;
use super::client::ClientInfo;
use super::sessions::{self, Caller};
use super::throttle::{self, Budget};
use super::{
    check_password, codes, crypto, field, Account, AuthText, CodePurpose, FieldErrors, Role,
    VerificationCode, MAX_FAILED_SIGN_INS_PER_ADDRESS, MAX_FAILED_SIGN_INS_PER_LOGIN,
    SIGN_IN_WINDOW_MS,
};
use crate::domain::{Email, Username};
use crate::error::{AppError, Limit};
use crate::state::AppState;

/// A new session: the account, and the token its cookie carries.
#[derive(Debug)]
pub struct NewSession {
    pub account: Account,
    pub token: String,
}

/// The sign-up form as submitted.
#[derive(Clone, Debug, Default)]
pub struct SignUpForm {
    pub email: String,
    pub code: String,
    pub username: String,
    pub password: String,
    pub agreed_to_terms: bool,
}

fn parse_code(errors: &mut FieldErrors, input: &str) -> Option<VerificationCode> {
    VerificationCode::parse(input)
        .map_err(|text| errors.push(field::CODE, text))
        .ok()
}

/// Email + code + username + password + Terms of Service → a new account, signed in.
pub async fn sign_up(
    state: &AppState,
    client: &ClientInfo,
    form: &SignUpForm,
) -> Result<NewSession, AppError> {
    let now = state.clock.now();
    let mut errors = FieldErrors::new();
    let email = errors.check(field::EMAIL, Email::parse(&form.email));
    let code = parse_code(&mut errors, &form.code);
    let username = errors.check(field::USERNAME, Username::parse(&form.username));
    if let Err(text) = check_password(&form.password, &[form.username.trim(), form.email.trim()]) {
        errors.push(field::PASSWORD, text);
    }
    if !form.agreed_to_terms {
        errors.push(field::AGREE_TERMS, AuthText::TermsNotAgreed);
    }
    if let Some(email) = &email {
        if accounts::email_taken(state.db.pool(), email).await? {
            errors.push(field::EMAIL, AuthText::EmailTaken);
        }
    }
    if let Some(username) = &username {
        if accounts::username_taken(state.db.pool(), username).await? {
            errors.push(field::USERNAME, AuthText::UsernameTaken);
        }
    }
    let (Some(email), Some(code), Some(username), true) =
        (email, code, username, errors.is_empty())
    else {
        return Err(AppError::Fields(errors));
    };

    let code_id = codes::check_code(&state.db, now, CodePurpose::SignUp, &email, &code).await?;
    let password_hash = crypto::hash_password(&form.password).await?;
    let mut tx = state.db.begin().await?;
    if !codes::consume(&mut *tx, code_id, now).await? {
        return Err(codes::CodeRefusal::Used.into_error());
    }
    let row = match accounts::insert(&mut *tx, &email, &username, &password_hash, now).await {
        Ok(row) => row,
        // Someone took the email or username since the check above: the transaction is rolled
        // back (the code stays unused) and the form says which.
        Err(error) => {
            return Err(match accounts::taken_field(&error) {
                Some(taken) if taken == field::EMAIL => {
                    AppError::Fields(FieldErrors::one(field::EMAIL, AuthText::EmailTaken))
                }
                Some(_) => {
                    AppError::Fields(FieldErrors::one(field::USERNAME, AuthText::UsernameTaken))
                }
                None => error.into(),
            })
        }
    };
    let token = sessions::create(&mut *tx, row.id, now, client).await?;
    tx.commit().await?;
    Ok(NewSession {
        account: row.account(),
        token,
    })
}

/// Email or username + password → a session. Unknown accounts and wrong passwords get the same
/// message (and take the same time); failures count per account and per client address.
pub async fn sign_in(
    state: &AppState,
    client: &ClientInfo,
    login: &str,
    password: &str,
) -> Result<NewSession, AppError> {
    let now = state.clock.now();
    let mut errors = FieldErrors::new();
    let login = login.trim();
    if login.is_empty() {
        errors.push(field::LOGIN, AuthText::LoginRequired);
    }
    if password.is_empty() {
        errors.push(field::PASSWORD, AuthText::PasswordRequired);
    }
    errors.into_result()?;

    let account = accounts::find_by_login(state.db.pool(), login).await?;
    // Failures of a known account count for it however it is named (email or username); an
    // unknown login counts under what was typed.
    let login_key = match &account {
        Some(account) => format!("account:{}", account.id),
        None => format!("login:{}", login.to_lowercase()),
    };
    let address_key = format!("addr:{}", client.addr);
    throttle::check(
        &state.db,
        now,
        SIGN_IN_WINDOW_MS,
        &[
            Budget {
                key: &login_key,
                max: MAX_FAILED_SIGN_INS_PER_LOGIN,
            },
            Budget {
                key: &address_key,
                max: MAX_FAILED_SIGN_INS_PER_ADDRESS,
            },
        ],
        Limit::SignIns,
    )
    .await?;
    let hash = account
        .as_ref()
        .map(|account| account.password_hash.as_str());
    let verified = crypto::verify_password(password, hash).await?;
    let Some(account) = account.filter(|_| verified) else {
        throttle::record_failure(&state.db, now, &[&login_key, &address_key]).await?;
        return Err(sign_in_failed());
    };
    throttle::clear(&state.db, &login_key).await?;
    throttle::prune(&state.db, now, SIGN_IN_WINDOW_MS).await?;
    let mut tx = state.db.begin().await?;
    sessions::delete_expired(&mut *tx, account.id, now).await?;
    let token = sessions::create(&mut *tx, account.id, now, client).await?;
    tx.commit().await?;
    Ok(NewSession {
        account: account.account(),
        token,
    })
}

fn sign_in_failed() -> AppError {
    AppError::Fields(FieldErrors::one(field::FORM, AuthText::SignInFailed))
}

/// The forgot-password form as submitted.
#[derive(Clone, Debug, Default)]
pub struct ResetForm {
    pub email: String,
    pub code: String,
    pub password: String,
    pub confirm_password: String,
}

/// Email + code + new password (twice) → the password changes and every other session of the
/// account ends (the caller's own survives if it is that account's).
pub async fn reset_password(
    state: &AppState,
    caller: Option<&Caller>,
    form: &ResetForm,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let mut errors = FieldErrors::new();
    let email = errors.check(field::EMAIL, Email::parse(&form.email));
    let code = parse_code(&mut errors, &form.code);
    let account = match &email {
        Some(email) => accounts::find_by_email(state.db.pool(), email).await?,
        None => None,
    };
    let username = account
        .as_ref()
        .map_or("", |account| account.username.as_str());
    if let Err(text) = check_password(&form.password, &[username, form.email.trim()]) {
        errors.push(field::PASSWORD, text);
    }
    if form.confirm_password != form.password {
        errors.push(field::CONFIRM_PASSWORD, AuthText::PasswordsDiffer);
    }
    let (Some(email), Some(code), true) = (email, code, errors.is_empty()) else {
        return Err(AppError::Fields(errors));
    };

    // Checked even for an unknown email, whose newest code (if any) can never match: the answer
    // is then the same as for a real account with a wrong code.
    let code_id =
        codes::check_code(&state.db, now, CodePurpose::ResetPassword, &email, &code).await?;
    let Some(account) = account else {
        return Err(codes::CodeRefusal::Incorrect.into_error());
    };
    let password_hash = crypto::hash_password(&form.password).await?;
    let keep = caller
        .filter(|caller| caller.account.id == account.id)
        .map(|caller| caller.session_id.as_str());
    let mut tx = state.db.begin().await?;
    if !codes::consume(&mut *tx, code_id, now).await? {
        return Err(codes::CodeRefusal::Used.into_error());
    }
    accounts::set_password(&mut *tx, account.id, &password_hash, now).await?;
    sessions::delete_others(&mut *tx, account.id, keep).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the caller's role (ISV or Merchant).
pub async fn choose_role(
    state: &AppState,
    account: &Account,
    role_code: &str,
) -> Result<Account, AppError> {
    let Some(role) = Role::from_code(role_code) else {
        return Err(AppError::Fields(FieldErrors::one(
            field::ROLE,
            AuthText::RoleUnknown,
        )));
    };
    if !accounts::set_role(state.db.pool(), account.id, role).await? {
        return Err(AppError::Fields(FieldErrors::one(
            field::ROLE,
            AuthText::RoleFixed,
        )));
    }
    Ok(Account {
        role: Some(role),
        ..account.clone()
    })
}
