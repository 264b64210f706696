//! The server's clock, in China time: the one place it is read. The engine never reads a clock
//! (time is its input); the offset is the engine's (`qiquan::calendar::china()`).

use std::sync::OnceLock;
use std::time::Instant;

use chrono::{DateTime, FixedOffset};

/// `qiquan serve --dev --dev-clock INSTANT`: the clock starts at INSTANT and runs on (tests and
/// demonstrations that need a known day: printed documents' dates). Never without `--dev`.
static DEV_START: OnceLock<(DateTime<FixedOffset>, Instant)> = OnceLock::new();

/// Starts the server's clock at `at` (RFC 3339); false when it is no instant.
pub(crate) fn start_at(at: &str) -> bool {
    match DateTime::parse_from_rfc3339(at) {
        Ok(start) => {
            let _ = DEV_START.set((start, Instant::now()));
            true
        }
        Err(_) => false,
    }
}

fn now() -> DateTime<FixedOffset> {
    if let Some((start, since)) = DEV_START.get() {
        let elapsed = chrono::Duration::from_std(since.elapsed()).unwrap_or_default();
        return (*start + elapsed).with_timezone(&qiquan::calendar::china());
    }
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let seconds = i64::try_from(since.as_secs()).unwrap_or_default();
    DateTime::from_timestamp(seconds, since.subsec_nanos())
        .unwrap_or_default()
        .with_timezone(&qiquan::calendar::china())
}

/// The instant now, RFC 3339 in China time (+08:00), to the second.
pub(crate) fn now_china() -> String {
    now().format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// The instant now in China time with microseconds, so events sort by time.
pub(crate) fn now_micros() -> String {
    now().format("%Y-%m-%dT%H:%M:%S%.6f%:z").to_string()
}

/// Today in China time, `YYYY-MM-DD`.
pub(crate) fn today_china() -> String {
    now().format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_instant_three_shapes() {
        let second = now_china();
        assert_eq!(second.len(), "2026-01-01T00:00:00+08:00".len(), "{second}");
        assert!(second.ends_with("+08:00"));
        let micros = now_micros();
        assert!(micros.ends_with("+08:00") && micros.len() == 32, "{micros}");
        assert_eq!(today_china().len(), 10);
    }
}
