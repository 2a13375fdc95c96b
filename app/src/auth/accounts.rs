//! Queries on `accounts`: find by email or username, create, change the password or the role.
//! Each takes an executor, so it runs on the pool or inside a caller's transaction.

use super::crypto::PasswordHashString;
use super::{field, Account, Role};
use crate::clock::UnixMillis;
use crate::domain::{Email, Username};
use sqlx::{Any, Executor};

/// An `accounts` row with its password hash; [`Account`] is what may leave the server.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AccountRow {
    pub id: i64,
    pub email: String,
    pub username: String,
    pub password_hash: String,
    pub role: Option<String>,
    pub is_reviewer: i64,
}

impl AccountRow {
    pub fn account(&self) -> Account {
        Account {
            id: self.id,
            email: self.email.clone(),
            username: self.username.clone(),
            role: self.role.as_deref().and_then(Role::from_code),
            is_reviewer: self.is_reviewer != 0,
        }
    }
}

const COLUMNS: &str = "id, email, username, password_hash, role, is_reviewer";

/// How an email is stored and compared: all lower case, so `Jane@x.com` and `jane@x.com` are one
/// account (practically every mail provider treats them as one mailbox).
pub fn email_key(email: &Email) -> String {
    email.as_str().to_lowercase()
}

/// The account signing in with `login`: an email when it has an `@`, else a username; either
/// compared without regard to case.
pub async fn find_by_login<'e>(
    executor: impl Executor<'e, Database = Any>,
    login: &str,
) -> Result<Option<AccountRow>, sqlx::Error> {
    let login = login.trim().to_lowercase();
    let column = if login.contains('@') {
        "email"
    } else {
        "LOWER(username)"
    };
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM accounts WHERE {column} = $1"
    ))
    .bind(login)
    .fetch_optional(executor)
    .await
}

pub async fn find_by_email<'e>(
    executor: impl Executor<'e, Database = Any>,
    email: &Email,
) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM accounts WHERE email = $1"))
        .bind(email_key(email))
        .fetch_optional(executor)
        .await
}

pub async fn find_by_id<'e>(
    executor: impl Executor<'e, Database = Any>,
    id: i64,
) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM accounts WHERE id = $1"))
        .bind(id)
        .fetch_optional(executor)
        .await
}

pub async fn email_taken<'e>(
    executor: impl Executor<'e, Database = Any>,
    email: &Email,
) -> Result<bool, sqlx::Error> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts WHERE email = $1")
        .bind(email_key(email))
        .fetch_one(executor)
        .await?;
    Ok(count > 0)
}

pub async fn username_taken<'e>(
    executor: impl Executor<'e, Database = Any>,
    username: &Username,
) -> Result<bool, sqlx::Error> {
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM accounts WHERE LOWER(username) = $1")
            .bind(username.as_str().to_lowercase())
            .fetch_one(executor)
            .await?;
    Ok(count > 0)
}

/// Creates an account without a role; a unique violation comes back as the sqlx error, for
/// [`taken_field`] to name.
pub async fn insert<'e>(
    executor: impl Executor<'e, Database = Any>,
    email: &Email,
    username: &Username,
    password_hash: &PasswordHashString,
    now: UnixMillis,
) -> Result<AccountRow, sqlx::Error> {
    sqlx::query_as(&format!(
        "INSERT INTO accounts (email, username, password_hash, created_at, password_changed_at) \
         VALUES ($1, $2, $3, $4, $4) RETURNING {COLUMNS}"
    ))
    .bind(email_key(email))
    .bind(username.as_str())
    .bind(password_hash.as_str())
    .bind(now)
    .fetch_one(executor)
    .await
}

/// Which sign-up field a unique violation is about, on either engine.
pub fn taken_field(error: &sqlx::Error) -> Option<&'static str> {
    let target = crate::db::unique_violation(error)?;
    if target == "accounts_email_key" || target == "accounts.email" {
        Some(field::EMAIL)
    } else if target.contains("accounts_username_key")
        || target.contains("accounts_username_lower_key")
        || target == "accounts.username"
    {
        Some(field::USERNAME)
    } else {
        None
    }
}

pub async fn set_password<'e>(
    executor: impl Executor<'e, Database = Any>,
    account_id: i64,
    password_hash: &PasswordHashString,
    now: UnixMillis,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
        .bind(password_hash.as_str())
        .bind(now)
        .bind(account_id)
        .execute(executor)
        .await
        .map(|_| ())
}

/// Sets the role while it is unset, the same, or the account has no workspace yet (a role
/// picked by mistake can still change before onboarding). False when it may not change.
pub async fn set_role<'e>(
    executor: impl Executor<'e, Database = Any>,
    account_id: i64,
    role: Role,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE accounts SET role = $1 WHERE id = $2 AND (role IS NULL OR role = $1 \
            OR NOT EXISTS (SELECT 1 FROM workspace_members m WHERE m.account_id = $2))",
    )
    .bind(role.code())
    .bind(account_id)
    .execute(executor)
    .await?;
    Ok(result.rows_affected() == 1)
}
