//! An applicant's capability: a secret made when the application is created (256 random bits,
//! `qqa_` + 43 base64url characters), shown once, stored only as its SHA-256. Holding it is
//! the applicant's whole authority over that one application.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use sha2::{Digest, Sha256};

use crate::server::register::error::{RegisterError, RegisterResult};

pub(crate) const PREFIX: &str = "qqa_";

/// A new secret and the hash to store.
pub(crate) fn new() -> RegisterResult<(String, String)> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(RegisterError::storage)?;
    let secret = format!("{PREFIX}{}", B64.encode(bytes));
    let hashed = hash(&secret);
    Ok((secret, hashed))
}

/// What is stored: `sha256:` + hex. The secret has 256 bits of entropy, so no salt or slow hash
/// is needed (nothing to guess from the hash).
pub(crate) fn hash(secret: &str) -> String {
    format!(
        "sha256:{}",
        crate::server::receipt::hex(&Sha256::digest(secret.as_bytes()))
    )
}

/// Equal without an early exit (a timing side channel tells nothing about the stored hash).
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_and_distinct() {
        let (a, ha) = new().expect("secret");
        let (b, _) = new().expect("secret");
        assert_ne!(a, b);
        assert_eq!(a.len(), PREFIX.len() + 43, "256 bits");
        assert!(same(&hash(&a), &ha));
        assert!(!same(&hash(&b), &ha));
        assert!(!same("x", "xy"));
    }
}
