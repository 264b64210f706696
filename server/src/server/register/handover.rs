//! Hand-over codes: a kiosk or online pre-check stores its answers under a short code the
//! applicant takes to the window, where the clerk's page loads exactly those answers.

use super::error::RegisterResult;

/// 31 characters that cannot be mistaken for one another when read aloud or typed: no 0/O,
/// 1/I/L.
pub(crate) const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters in a code: 31^6 ≈ 887 million codes.
pub(crate) const CODE_LEN: usize = 6;
/// How long a code works: the applicant goes from the kiosk to the window the same day or soon
/// after; the stored answers (personal data) are then deleted.
pub(crate) const TTL_HOURS: i64 = 72;

/// The `created_at` before which a code has expired, as of now (same format as `created_at`,
/// so the two compare as text).
pub(crate) fn expiry_cutoff() -> String {
    let now = crate::server::clock::now_micros();
    chrono::DateTime::parse_from_rfc3339(&now)
        .map(|t| {
            (t - chrono::Duration::hours(TTL_HOURS))
                .format("%Y-%m-%dT%H:%M:%S%.6f%:z")
                .to_string()
        })
        .unwrap_or(now)
}

/// Deletes expired codes and their answers; returns how many.
pub(crate) async fn purge(pool: &sqlx::AnyPool) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM handovers WHERE created_at < $1")
        .bind(expiry_cutoff())
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

/// A random code (rejection sampling, so every character is equally likely).
pub(crate) fn new_code() -> RegisterResult<String> {
    let mut code = String::with_capacity(CODE_LEN);
    while code.len() < CODE_LEN {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(super::error::RegisterError::storage)?;
        for byte in bytes {
            // 248 = 8 × 31: bytes above it would favour the first characters.
            if byte < 248 && code.len() < CODE_LEN {
                code.push(char::from(ALPHABET[usize::from(byte % 31)]));
            }
        }
    }
    Ok(code)
}

/// A code as typed: upper-cased, spaces and dashes dropped; None when it cannot be a code.
pub(crate) fn normalize(code: &str) -> Option<String> {
    let code: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_alphabet() {
        for _ in 0..200 {
            let code = new_code().expect("code");
            assert_eq!(code.len(), CODE_LEN);
            assert_eq!(
                normalize(&code.to_lowercase()).as_deref(),
                Some(code.as_str())
            );
        }
        assert_eq!(ALPHABET.len(), 31);
        assert!(normalize("ABC10O").is_none());
        assert_eq!(normalize("abc-def").as_deref(), Some("ABCDEF"));
        let cutoff = expiry_cutoff();
        assert!(cutoff < crate::server::clock::now_micros());
        assert!(cutoff.ends_with("+08:00"), "{cutoff}");
    }
}
