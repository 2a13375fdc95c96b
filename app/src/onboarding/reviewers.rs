//! Platform reviewers are made by the operator, not by sign-up: `service-market admin EMAIL
//! PASSWORD` creates a reviewer account, or promotes an existing account and sets its password,
//! under the same password rules as everyone.

use crate::auth::{accounts, check_password, crypto, sessions};
use crate::clock::Clock;
use crate::db::Db;
use crate::domain::{Email, Username};

/// What the command did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReviewerOutcome {
    /// A new account, signed in with the email or this username.
    Created { username: String },
    /// An existing account, now a reviewer, with the new password (its sessions ended).
    Promoted { username: String },
}

impl std::fmt::Display for ReviewerOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReviewerOutcome::Created { username } => write!(
                f,
                "created reviewer account {username}; sign in with its email or username"
            ),
            ReviewerOutcome::Promoted { username } => write!(
                f,
                "account {username} is now a reviewer and has the new password"
            ),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReviewerError {
    #[error("{0}")]
    Email(crate::domain::ParseError),
    #[error("{0}")]
    Password(String),
    #[error("could not hash the password")]
    Hash,
    #[error("database error")]
    Db(#[from] sqlx::Error),
}

/// A username for a new reviewer, from the email's local part: its allowed characters, at
/// least 3 of them, starting with a letter or digit.
pub fn username_base(email: &Email) -> String {
    let mut name: String = email
        .local_part()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .skip_while(|c| !c.is_ascii_alphanumeric())
        .take(Username::MAX_LEN - 4)
        .collect();
    if name.len() < Username::MIN_LEN {
        name = format!("reviewer{name}");
    }
    name
}

/// Creates or promotes the reviewer with this email and password.
pub async fn create_or_promote(
    db: &Db,
    clock: &Clock,
    email: &str,
    password: &str,
) -> Result<ReviewerOutcome, ReviewerError> {
    let email = Email::parse(email).map_err(ReviewerError::Email)?;
    let now = clock.now();
    let existing = accounts::find_by_email(db.pool(), &email).await?;
    let username = match &existing {
        Some(account) => account.username.clone(),
        None => {
            let base = username_base(&email);
            let mut candidate = base.clone();
            let mut n = 2;
            loop {
                let parsed = Username::parse(&candidate).map_err(ReviewerError::Email)?;
                if !accounts::username_taken(db.pool(), &parsed).await? {
                    break candidate;
                }
                candidate = format!("{base}{n}");
                n += 1;
            }
        }
    };
    check_password(password, &[&username, email.as_str()])
        .map_err(|text| ReviewerError::Password(text.en))?;
    let hash = crypto::hash_password(password)
        .await
        .map_err(|_| ReviewerError::Hash)?;
    let mut tx = db.begin().await?;
    let outcome = match existing {
        Some(account) => {
            accounts::set_password(&mut *tx, account.id, &hash, now).await?;
            sqlx::query("UPDATE accounts SET is_reviewer = 1 WHERE id = $1")
                .bind(account.id)
                .execute(&mut *tx)
                .await?;
            sessions::delete_others(&mut *tx, account.id, None).await?;
            ReviewerOutcome::Promoted { username }
        }
        None => {
            let parsed = Username::parse(&username).map_err(ReviewerError::Email)?;
            let row = accounts::insert(&mut *tx, &email, &parsed, &hash, now).await?;
            sqlx::query("UPDATE accounts SET is_reviewer = 1 WHERE id = $1")
                .bind(row.id)
                .execute(&mut *tx)
                .await?;
            ReviewerOutcome::Created { username }
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reviewer_username_comes_from_the_email() {
        let name = |email: &str| username_base(&Email::parse(email).unwrap());
        assert_eq!(name("alice.review@example.com"), "alice.review");
        assert_eq!(name("bo@example.com"), "reviewerbo");
        assert_eq!(name("_x+y@example.com"), "reviewerxy");
        assert!(Username::parse(&name(&format!("{}@example.com", "a".repeat(64)))).is_ok());
    }
}
