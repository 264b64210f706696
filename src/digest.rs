//! The rules digest (`rules_digest`): SHA-256 over (path, text) pairs in path order; and the
//! same `sha256:<hex>` form for a verdict's bytes.
//!
//! Shared by the engine and `build.rs`, which precomputes the embedded bundle's digest so the
//! wasm module does not hash ~100 KB of rules on a phone at start-up; one function, so the two
//! cannot disagree. Depends on nothing but `sha2`.

use sha2::{Digest, Sha256};

/// `sha256:<hex>` of `files`, which must already be sorted by path.
pub fn digest_sorted<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut hasher = Sha256::new();
    for (path, text) in files {
        // Length prefixes keep ("ab", "c") and ("a", "bc") apart.
        hasher.update((path.len() as u64).to_le_bytes());
        hasher.update(path.as_bytes());
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    }
    tagged(hasher)
}

/// `sha256:<hex>` of some bytes (a verdict's JSON, for the server's comparison).
pub fn sha256_tagged(bytes: &[u8]) -> String {
    tagged(Sha256::new_with_prefix(bytes))
}

fn tagged(hasher: Sha256) -> String {
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    crate::hex::push_hex(&mut out, &hasher.finalize());
    out
}
