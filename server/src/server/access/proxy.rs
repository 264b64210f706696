//! Behind an authenticating proxy: the proxy may vouch for a staff member with the header
//! `X-Qiquan-Assertion: v1.<payload>.<mac>`, where `payload` is base64url JSON
//! `{"sub", "roles": [...], "window"?, "department"?, "exp"}` (Unix seconds, at most 300 s
//! ahead) and `mac` is base64url HMAC-SHA256 over `v1.<payload>` with the shared key
//! (`--proxy-assertion-key FILE`). Without that key the header is ignored; a bare
//! `X-Qiquan-Actor` is never believed.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use super::Staff;
use super::error::AccessError;
use super::table::Role;

pub(crate) const HEADER: &str = "x-qiquan-assertion";
/// An assertion may live this long at most.
const MAX_AHEAD: i64 = 300;

#[derive(Deserialize)]
struct Assertion {
    sub: String,
    roles: Vec<String>,
    window: Option<String>,
    department: Option<String>,
    exp: i64,
}

/// The MAC of `v1.<payload>` under `key`.
pub(crate) fn mac(key: &[u8], payload: &str) -> String {
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(b"v1.");
    mac.update(payload.as_bytes());
    B64.encode(mac.finalize().into_bytes())
}

/// Verifies an assertion with `key`.
pub(crate) fn verify(key: &[u8], header: &str) -> Result<Staff, AccessError> {
    let bad = || AccessError::bad_token("proxy assertion does not verify");
    let rest = header.strip_prefix("v1.").ok_or_else(bad)?;
    let (payload, tag) = rest.split_once('.').ok_or_else(bad)?;
    if !super::capability::same(&mac(key, payload), tag) {
        return Err(bad());
    }
    let json = B64.decode(payload).map_err(|_| bad())?;
    let a: Assertion = serde_json::from_slice(&json).map_err(|_| bad())?;
    let now = super::unix_now();
    if a.exp < now || a.exp > now + MAX_AHEAD {
        return Err(AccessError::bad_token("proxy assertion expired"));
    }
    Ok(Staff {
        subject: a.sub.chars().take(64).collect(),
        roles: a.roles.iter().filter_map(|r| Role::from_claim(r)).collect(),
        window: a.window,
        department: a.department,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let key = b"0123456789abcdef0123456789abcdef";
        let exp = crate::server::access::unix_now() + 60;
        let payload = B64.encode(
            serde_json::json!({"sub": "alice", "roles": ["clerk"], "exp": exp}).to_string(),
        );
        let header = format!("v1.{payload}.{}", mac(key, &payload));
        let staff = verify(key, &header).expect("verifies");
        assert_eq!(staff.subject, "alice");
        assert_eq!(staff.roles, [Role::Clerk]);
        assert!(verify(b"another key, also thirty-two b..", &header).is_err());
        let forged = format!("v1.{payload}.{}", mac(key, "other"));
        assert!(verify(key, &forged).is_err());
    }
}
