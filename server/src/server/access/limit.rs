//! Fixed-window rate limits, per client and for everyone together, for the routes where a
//! guess could find something: hand-over codes, the ID-number lookup, receipts by number.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::error::AccessError;

/// At most `per_client` tries per client and `global` tries in all per `window`.
pub(crate) struct Limiter {
    pub(crate) per_client: u32,
    pub(crate) global: u32,
    pub(crate) window: Duration,
    state: Mutex<Window>,
}

struct Window {
    start: Instant,
    total: u32,
    by_client: HashMap<String, u32>,
}

/// Clients remembered per window at most; past it every new client counts as over its limit
/// (memory stays bounded under a spray of addresses).
const MAX_CLIENTS: usize = 100_000;

impl Limiter {
    pub(crate) fn new(per_client: u32, global: u32, window: Duration) -> Limiter {
        Limiter {
            per_client,
            global,
            window,
            state: Mutex::new(Window {
                start: Instant::now(),
                total: 0,
                by_client: HashMap::new(),
            }),
        }
    }

    /// Counts one try by `client`; refused (429) past either limit.
    pub(crate) fn check(&self, client: &str) -> Result<(), AccessError> {
        let mut w = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if now.duration_since(w.start) >= self.window {
            w.start = now;
            w.total = 0;
            w.by_client.clear();
        }
        let retry = self
            .window
            .saturating_sub(now.duration_since(w.start))
            .as_secs()
            .max(1);
        if w.total >= self.global {
            return Err(AccessError::rate_limited(retry));
        }
        let known = w.by_client.len();
        let count = match w.by_client.get_mut(client) {
            Some(count) => count,
            None if known >= MAX_CLIENTS => return Err(AccessError::rate_limited(retry)),
            None => w.by_client.entry(client.to_string()).or_insert(0),
        };
        if *count >= self.per_client {
            return Err(AccessError::rate_limited(retry));
        }
        *count += 1;
        w.total += 1;
        Ok(())
    }
}

/// The limits of this server (docs/security.md states them with the code space they guard).
pub(crate) struct Limits {
    /// `GET /v1/handover/{code}`: per clerk, and all clerks together.
    pub(crate) handover: Limiter,
    /// `POST /v1/applications/lookup`: per clerk, and all together.
    pub(crate) lookup: Limiter,
    /// `GET /v1/receipts/{number}`: per client address, and all together.
    pub(crate) receipts: Limiter,
}

impl Default for Limits {
    fn default() -> Self {
        let minute = Duration::from_secs(60);
        Limits {
            handover: Limiter::new(20, 120, minute),
            lookup: Limiter::new(30, 300, minute),
            receipts: Limiter::new(30, 600, minute),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_client_then_global() {
        let l = Limiter::new(2, 3, Duration::from_secs(60));
        assert!(l.check("a").is_ok());
        assert!(l.check("a").is_ok());
        assert!(l.check("a").is_err(), "a's third");
        assert!(l.check("b").is_ok());
        assert!(l.check("c").is_err(), "the global limit");
        let l = Limiter::new(1, 10, Duration::from_millis(30));
        assert!(l.check("a").is_ok());
        assert!(l.check("a").is_err());
        std::thread::sleep(Duration::from_millis(40));
        assert!(l.check("a").is_ok(), "a new window");
    }
}
