//! Emailed verification codes: six random digits, stored hashed, valid 10 minutes, single use,
//! dead after 5 wrong guesses, and at most 5 sent an hour per email and per client address.
//! Only the newest code of an email and purpose counts: sending again replaces the last one.

use super::accounts::{self, email_key};
use super::client::ClientInfo;
use super::crypto;
use super::{
    AuthText, BiText, CodePurpose, CodeSent, FieldErrors, VerificationCode, CODE_TTL_MS,
    MAX_CODE_ATTEMPTS, MAX_CODE_SENDS_PER_HOUR,
};
use crate::clock::UnixMillis;
use crate::db::Db;
use crate::domain::Email;
use crate::error::{AppError, Limit};
use crate::mail::OutgoingEmail;
use crate::state::AppState;
use sqlx::{Any, Executor};

const HOUR_MS: i64 = 60 * 60 * 1000;

/// Why a typed code was not accepted: each is a message for the code field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeRefusal {
    NoneSent,
    Incorrect,
    Expired,
    Used,
    /// Five wrong guesses: this code can never be used.
    Dead,
}

impl CodeRefusal {
    pub fn text(self) -> BiText {
        match self {
            CodeRefusal::NoneSent => AuthText::NoCodeSent,
            CodeRefusal::Incorrect => AuthText::CodeIncorrect,
            CodeRefusal::Expired => AuthText::CodeExpired,
            CodeRefusal::Used => AuthText::CodeUsed,
            CodeRefusal::Dead => AuthText::CodeDead,
        }
        .into()
    }

    pub fn into_error(self) -> AppError {
        AppError::Fields(FieldErrors::one(super::field::CODE, self.text()))
    }
}

/// Refuses a send when the email or the client address already had its 5 codes this hour.
async fn check_send_budget(
    db: &Db,
    now: UnixMillis,
    email: &str,
    client_addr: &str,
) -> Result<(), AppError> {
    for (column, value) in [("email", email), ("client_addr", client_addr)] {
        let (count, oldest): (i64, Option<i64>) = sqlx::query_as(&format!(
            "SELECT COUNT(*), MIN(created_at) FROM verification_codes \
             WHERE {column} = $1 AND created_at > $2"
        ))
        .bind(value)
        .bind(now - HOUR_MS)
        .fetch_one(db.pool())
        .await?;
        if count >= MAX_CODE_SENDS_PER_HOUR {
            let free_at = oldest.unwrap_or(now) + HOUR_MS;
            return Err(AppError::RateLimited {
                limit: Limit::CodeSends,
                retry_after_secs: ((free_at - now).max(1000) + 999) / 1000,
            });
        }
    }
    Ok(())
}

/// Sends a code for `purpose` to `email`. For sign-up, a registered email is refused (the
/// sign-up form says so anyway). For a reset, an email without an account gets a note saying
/// so instead of a code, and the answer is the same as for a real account, so the form cannot be
/// used to find out who has one.
pub async fn send_code(
    state: &AppState,
    client: &ClientInfo,
    purpose: CodePurpose,
    email: &Email,
) -> Result<CodeSent, AppError> {
    let now = state.clock.now();
    let key = email_key(email);
    check_send_budget(&state.db, now, &key, &client.addr).await?;
    let code = crypto::random_code();
    let (stored_hash, mail) = match purpose {
        CodePurpose::SignUp => {
            if accounts::email_taken(state.db.pool(), email).await? {
                return Err(AppError::Fields(FieldErrors::one(
                    super::field::EMAIL,
                    AuthText::EmailTaken,
                )));
            }
            (crypto::hash_code(&code), sign_up_mail(email, &code))
        }
        CodePurpose::ResetPassword => {
            if accounts::find_by_email(state.db.pool(), email)
                .await?
                .is_some()
            {
                (crypto::hash_code(&code), reset_mail(email, &code))
            } else {
                // A row all the same, so the send counts against the limits; its hash is of a
                // 64-digit secret no one knows, so no typed code can ever match it.
                (
                    crypto::hash_code(&crypto::random_token()),
                    no_account_mail(email),
                )
            }
        }
    };
    sqlx::query(
        "INSERT INTO verification_codes (email, purpose, code_hash, attempts, expires_at, \
             client_addr, created_at) VALUES ($1, $2, $3, 0, $4, $5, $6)",
    )
    .bind(&key)
    .bind(purpose.code())
    .bind(stored_hash)
    .bind(now + CODE_TTL_MS)
    .bind(&client.addr)
    .bind(now)
    .execute(state.db.pool())
    .await?;
    state
        .mailer
        .send(&state.db, now, &mail)
        .await
        .map_err(|error| AppError::internal(&error))?;
    Ok(CodeSent {
        email: email.as_str().to_owned(),
        expires_in_secs: CODE_TTL_MS / 1000,
    })
}

#[derive(sqlx::FromRow)]
struct CodeRow {
    id: i64,
    code_hash: String,
    attempts: i64,
    expires_at: i64,
    consumed_at: Option<i64>,
}

/// Checks a typed code against the newest one sent to `email` for `purpose`. A wrong guess is
/// counted (and the fifth kills the code). On success returns the code's id for
/// [`consume`], which the caller does in the transaction that uses it.
pub async fn check_code(
    db: &Db,
    now: UnixMillis,
    purpose: CodePurpose,
    email: &Email,
    code: &VerificationCode,
) -> Result<i64, AppError> {
    let row: Option<CodeRow> = sqlx::query_as(
        "SELECT id, code_hash, attempts, expires_at, consumed_at FROM verification_codes \
         WHERE email = $1 AND purpose = $2 ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(email_key(email))
    .bind(purpose.code())
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Err(CodeRefusal::NoneSent.into_error());
    };
    if row.consumed_at.is_some() {
        return Err(CodeRefusal::Used.into_error());
    }
    if row.attempts >= MAX_CODE_ATTEMPTS {
        return Err(CodeRefusal::Dead.into_error());
    }
    if row.expires_at <= now {
        return Err(CodeRefusal::Expired.into_error());
    }
    if !crypto::code_matches(code.as_str(), &row.code_hash) {
        let (attempts,): (i64,) = sqlx::query_as(
            "UPDATE verification_codes SET attempts = attempts + 1 WHERE id = $1 \
             RETURNING attempts",
        )
        .bind(row.id)
        .fetch_one(db.pool())
        .await?;
        let refusal = if attempts >= MAX_CODE_ATTEMPTS {
            CodeRefusal::Dead
        } else {
            CodeRefusal::Incorrect
        };
        return Err(refusal.into_error());
    }
    Ok(row.id)
}

/// Marks a checked code used. False when it was used (or killed, or expired) in the meantime:
/// of two requests racing with one code, only one gets `true`.
pub async fn consume<'e>(
    executor: impl Executor<'e, Database = Any>,
    code_id: i64,
    now: UnixMillis,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE verification_codes SET consumed_at = $1 WHERE id = $2 AND consumed_at IS NULL \
             AND attempts < $3 AND expires_at > $1",
    )
    .bind(now)
    .bind(code_id)
    .bind(MAX_CODE_ATTEMPTS)
    .execute(executor)
    .await?;
    Ok(result.rows_affected() == 1)
}

const VALIDITY_EN: &str = "It is valid for 10 minutes and can be used once. If you did not ask \
    for it, you can ignore this email.";
const VALIDITY_ZH: &str = "验证码 10 分钟内有效，仅可使用一次。如非本人操作，请忽略本邮件。";

fn sign_up_mail(email: &Email, code: &str) -> OutgoingEmail {
    OutgoingEmail {
        to: email.as_str().to_owned(),
        subject: "Your Service Market verification code / 服务市场验证码".to_owned(),
        body_text: format!(
            "Your verification code to sign up to Service Market is:\n\n    {code}\n\n\
             {VALIDITY_EN}\n\n\
             您注册服务市场的验证码是 {code}。{VALIDITY_ZH}\n"
        ),
    }
}

fn reset_mail(email: &Email, code: &str) -> OutgoingEmail {
    OutgoingEmail {
        to: email.as_str().to_owned(),
        subject: "Reset your Service Market password / 重置服务市场密码".to_owned(),
        body_text: format!(
            "Your verification code to reset your Service Market password is:\n\n    {code}\n\n\
             {VALIDITY_EN}\n\n\
             您重置服务市场密码的验证码是 {code}。{VALIDITY_ZH}\n"
        ),
    }
}

fn no_account_mail(email: &Email) -> OutgoingEmail {
    OutgoingEmail {
        to: email.as_str().to_owned(),
        subject: "Reset your Service Market password / 重置服务市场密码".to_owned(),
        body_text: "Someone asked to reset the password of the Service Market account with this \
            email address, but no account uses it. If it was you, sign up instead; otherwise \
            you can ignore this email.\n\n\
            有人请求重置使用此邮箱的服务市场账号的密码，但没有账号使用此邮箱。如是您本人操作，请先注册；\
            否则请忽略本邮件。\n"
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mails_carry_the_code_in_both_languages() {
        let email = Email::parse("jane@example.com").unwrap();
        let mail = sign_up_mail(&email, "012345");
        assert_eq!(mail.to, "jane@example.com");
        assert_eq!(mail.body_text.matches("012345").count(), 2);
        assert!(mail.body_text.contains("10 minutes") && mail.body_text.contains("10 分钟"));
        assert!(reset_mail(&email, "999999").body_text.contains("reset"));
        let note = no_account_mail(&email);
        // No code in it: nothing that a reset form would take.
        assert!(!note.body_text.chars().any(|c| c.is_ascii_digit()));
    }

    #[test]
    fn each_refusal_has_its_own_message() {
        let refusals = [
            CodeRefusal::NoneSent,
            CodeRefusal::Incorrect,
            CodeRefusal::Expired,
            CodeRefusal::Used,
            CodeRefusal::Dead,
        ];
        let texts: std::collections::HashSet<String> =
            refusals.iter().map(|r| r.text().en).collect();
        assert_eq!(texts.len(), refusals.len());
        let error = CodeRefusal::Expired.into_error();
        assert_eq!(
            error
                .fields()
                .unwrap()
                .message(super::super::field::CODE, crate::i18n::Lang::En),
            Some("The verification code has expired. Send a new one.")
        );
    }
}
