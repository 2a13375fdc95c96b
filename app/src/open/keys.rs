//! The platform's RSA2 key pair: created the first time it is needed (and by `service-market
//! serve` at start), kept in `platform_keys`, and rotated on demand
//! (`service-market rotate-platform-key`). A rotation retires the current key but keeps it
//! valid for verification until `verify_until` (the grace period, `PLATFORM_KEY_GRACE_DAYS`),
//! so signatures an ISV received just before the rotation still check out.
//!
//! Exactly one key is current (a unique index); two instances creating the first key at once
//! both end up with the same one: the loser of the insert reads the winner's.

use super::sign::{self, ContentRule, PrivateKey, PublicKey};
use crate::clock::UnixMillis;
use crate::db::Db;
use crate::error::AppError;
use std::collections::BTreeMap;
use std::sync::Mutex;

/// The default grace period of a rotated key: how long it still verifies.
pub const DEFAULT_GRACE_DAYS: i64 = 7;

/// The key the platform signs with now.
#[derive(Clone, Debug)]
pub struct SigningKey {
    pub id: i64,
    pub key: PrivateKey,
}

/// A key that verifies the platform's signatures now: the current one, or a retired one still
/// within its grace period.
#[derive(Clone, Debug)]
pub struct VerificationKey {
    pub id: i64,
    pub public_key: PublicKey,
    /// `None` for the current key; else until when the retired key verifies.
    pub verify_until: Option<UnixMillis>,
}

impl VerificationKey {
    pub fn is_current(&self) -> bool {
        self.verify_until.is_none()
    }
}

/// Parsing a PEM private key costs more than a signature; the current key is kept parsed,
/// keyed by its PEM text (not its row id, which another database has too), so a rotation is
/// picked up at once.
static PARSED: Mutex<Option<(String, PrivateKey)>> = Mutex::new(None);

fn parsed(pem: &str) -> Result<PrivateKey, AppError> {
    if let Some((cached_pem, key)) = PARSED.lock().expect("key cache").as_ref() {
        if cached_pem == pem {
            return Ok(key.clone());
        }
    }
    let key = PrivateKey::parse(pem).map_err(|error| AppError::internal(&error))?;
    *PARSED.lock().expect("key cache") = Some((pem.to_owned(), key.clone()));
    Ok(key)
}

async fn stored_current(db: &Db) -> Result<Option<SigningKey>, AppError> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, private_key_pem FROM platform_keys WHERE retired_at IS NULL")
            .fetch_optional(db.pool())
            .await?;
    match row {
        Some((id, pem)) => Ok(Some(SigningKey {
            id,
            key: parsed(&pem)?,
        })),
        None => Ok(None),
    }
}

/// A fresh key pair, generated off the async threads (it takes a moment).
async fn generate() -> Result<PrivateKey, AppError> {
    tokio::task::spawn_blocking(PrivateKey::generate)
        .await
        .map_err(|error| AppError::internal(&error))
}

/// The current signing key, created and stored first if there is none.
pub async fn current(db: &Db, now: UnixMillis) -> Result<SigningKey, AppError> {
    if let Some(key) = stored_current(db).await? {
        return Ok(key);
    }
    let key = generate().await?;
    // Another instance may install its key meanwhile: the unique index makes this a no-op
    // then, and both read the one that won.
    sqlx::query(
        "INSERT INTO platform_keys (private_key_pem, public_key_b64, created_at) \
         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(key.to_pkcs8_pem())
    .bind(key.public_key().to_base64())
    .bind(now)
    .execute(db.pool())
    .await?;
    stored_current(db)
        .await?
        .ok_or_else(|| AppError::Conflict("The platform key could not be stored.".into()))
}

/// Retires the current key (it verifies for `grace_ms` more) and makes a new one current, in
/// one transaction. Returns the new key.
pub async fn rotate(db: &Db, now: UnixMillis, grace_ms: i64) -> Result<SigningKey, AppError> {
    current(db, now).await?;
    let key = generate().await?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE platform_keys SET retired_at = $1, verify_until = $2 WHERE retired_at IS NULL",
    )
    .bind(now)
    .bind(now + grace_ms.max(0))
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO platform_keys (private_key_pem, public_key_b64, created_at) \
         VALUES ($1, $2, $3)",
    )
    .bind(key.to_pkcs8_pem())
    .bind(key.public_key().to_base64())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    stored_current(db)
        .await?
        .ok_or_else(|| AppError::Conflict("The platform key could not be stored.".into()))
}

/// The keys that verify the platform's signatures at `now`: the current one first, then the
/// retired ones still in their grace period, newest first.
pub async fn verification_keys(db: &Db, now: UnixMillis) -> Result<Vec<VerificationKey>, AppError> {
    current(db, now).await?;
    let rows: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT id, public_key_b64, verify_until FROM platform_keys \
         WHERE retired_at IS NULL OR verify_until > $1 \
         ORDER BY CASE WHEN retired_at IS NULL THEN 0 ELSE 1 END, created_at DESC, id DESC",
    )
    .bind(now)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|(id, public_key, verify_until)| {
            let public_key =
                PublicKey::parse(&public_key).map_err(|error| AppError::internal(&error))?;
            Ok(VerificationKey {
                id,
                public_key,
                verify_until,
            })
        })
        .collect()
}

/// Which platform key (and content rule) verifies signed `params` now, if any.
pub async fn verify_with_platform_keys(
    db: &Db,
    params: &BTreeMap<String, String>,
    now: UnixMillis,
) -> Result<Option<(VerificationKey, ContentRule)>, AppError> {
    Ok(verification_keys(db, now)
        .await?
        .into_iter()
        .find_map(|key| sign::verify_notification(params, &key.public_key).map(|rule| (key, rule))))
}
