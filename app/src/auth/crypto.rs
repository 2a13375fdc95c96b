//! The secrets of accounts: argon2id password hashes, random session tokens and verification
//! codes, and the hashes under which the database keeps them.

use crate::error::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::rngs::OsRng;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// A password hash in PHC string form (`$argon2id$v=19$…`). Deliberately not `Serialize`:
/// it never leaves the server.
#[derive(Clone)]
pub struct PasswordHashString(pub(crate) String);

impl PasswordHashString {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordHashString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHashString(…)")
    }
}

/// Argon2id with the crate's defaults (19 MiB, 2 passes, 1 lane: OWASP's recommendation).
fn argon2() -> Argon2<'static> {
    Argon2::default()
}

fn hash_password_blocking(
    password: &str,
) -> Result<PasswordHashString, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2().hash_password(password.as_bytes(), &salt)?;
    Ok(PasswordHashString(hash.to_string()))
}

fn verify_password_blocking(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .and_then(|parsed| argon2().verify_password(password.as_bytes(), &parsed))
        .is_ok()
}

/// Hashes a new password, off the async threads (it takes tens of milliseconds on purpose).
pub async fn hash_password(password: &str) -> Result<PasswordHashString, AppError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || hash_password_blocking(&password))
        .await
        .map_err(|error| AppError::internal(&error))?
        .map_err(|error| AppError::internal(&HashError(error)))
}

/// Whether `password` matches `hash`. With no hash (an unknown account) it checks against a
/// fixed hash anyway and answers false, so both cases take the same time.
pub async fn verify_password(password: &str, hash: Option<&str>) -> Result<bool, AppError> {
    let password = password.to_owned();
    let known = hash.is_some();
    let hash = match hash {
        Some(hash) => hash.to_owned(),
        None => decoy_hash().to_owned(),
    };
    let matches = tokio::task::spawn_blocking(move || verify_password_blocking(&password, &hash))
        .await
        .map_err(|error| AppError::internal(&error))?;
    Ok(known && matches)
}

/// A hash of a random password, made once, for [`verify_password`] to spend the same time on.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        hash_password_blocking(&random_token())
            .map(|hash| hash.0)
            .unwrap_or_default()
    })
}

#[derive(Debug)]
struct HashError(argon2::password_hash::Error);

impl std::fmt::Display for HashError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "password hashing failed: {}", self.0)
    }
}

impl std::error::Error for HashError {}

/// 32 random bytes from the operating system, hex-encoded: a session token.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The hex SHA-256 of a text: how a session token is stored.
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// A new 6-digit code, uniformly drawn, leading zeros kept.
pub fn random_code() -> String {
    format!("{:06}", OsRng.gen_range(0..1_000_000u32))
}

/// How a code is stored: `salt$sha256(salt:code)`. A million codes can be tried offline
/// whatever the hash, so what really protects a code is its 10-minute life and its 5 guesses;
/// the hash keeps codes out of plain sight in the database and its backups.
pub fn hash_code(code: &str) -> String {
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    let salt = hex::encode(salt);
    let digest = sha256_hex(&format!("{salt}:{code}"));
    format!("{salt}${digest}")
}

/// Whether `code` is the one hashed in `stored`, compared in constant time.
pub fn code_matches(code: &str, stored: &str) -> bool {
    let Some((salt, digest)) = stored.split_once('$') else {
        return false;
    };
    constant_time_eq(
        sha256_hex(&format!("{salt}:{code}")).as_bytes(),
        digest.as_bytes(),
    )
}

/// Equality that takes the same time wherever the first difference is.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password_blocking("correct horse 1").unwrap();
        assert!(
            hash.as_str().starts_with("$argon2id$v=19$"),
            "{}",
            hash.as_str()
        );
        assert!(verify_password_blocking("correct horse 1", hash.as_str()));
        assert!(!verify_password_blocking("correct horse 2", hash.as_str()));
        assert!(!verify_password_blocking("anything", "not a hash"));
        // Salted: the same password hashes differently each time.
        assert_ne!(hash_password_blocking("correct horse 1").unwrap().0, hash.0);
        assert_eq!(format!("{hash:?}"), "PasswordHashString(…)");
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert!(!verify_password("whatever1", None).await.unwrap());
        let hash = hash_password("whatever1").await.unwrap();
        assert!(verify_password("whatever1", Some(hash.as_str()))
            .await
            .unwrap());
    }

    #[test]
    fn tokens_are_64_hex_digits_and_differ() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_eq!(sha256_hex(&a).len(), 64);
        assert_ne!(sha256_hex(&a), a);
    }

    #[test]
    fn codes_are_six_digits_and_stored_salted() {
        for _ in 0..100 {
            let code = random_code();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|c| c.is_ascii_digit()));
        }
        let stored = hash_code("012345");
        assert!(!stored.contains("012345"));
        assert_ne!(hash_code("012345"), stored);
        assert!(code_matches("012345", &stored));
        assert!(!code_matches("012346", &stored));
        assert!(!code_matches("012345", "garbage"));
    }

    #[test]
    fn constant_time_eq_is_equality() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
