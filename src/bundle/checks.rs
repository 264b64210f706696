//! Checks the keys of every matter-file format share: identifiers, and time limits (their
//! bounds, their comparison, their words in a diagnostic). `matter.rs` and `formats.rs` both
//! use them; neither imports the other for them.

// Without `whole` (the page module) only the identifier check is used.
#![cfg_attr(not(feature = "whole"), allow(dead_code))]

use super::LintCode;
use super::report::Reporter;
use crate::calendar::working_days_span_bound;
use crate::model::{LimitUnit, TimeLimit};

pub(super) fn is_identifier(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        && id.len() <= 64
}

/// Whether a period of `a` ends after one of `b` from every start day (both counted from the
/// same day; natural periods move off rest days, 民法典 §203). False when it depends on the
/// start day.
pub(super) fn surely_longer(a: TimeLimit, b: TimeLimit) -> bool {
    use LimitUnit::*;
    match (a.unit, b.unit) {
        (OnTheSpot, _) => false,
        (_, OnTheSpot) => a.value > 0,
        (WorkingDays, WorkingDays) | (NaturalDays, NaturalDays) => a.value > b.value,
        // n natural days end on the first working day on or after day n, which is at most the
        // n-th working day: n + 1 working days always end later.
        (WorkingDays, NaturalDays) => a.value > b.value,
        // k natural days end after n working days from every start day only when k is past
        // the longest span n working days can take.
        (NaturalDays, WorkingDays) => u64::from(a.value) > working_days_span_bound(b.value),
    }
}

pub(super) fn describe_zh(limit: TimeLimit) -> String {
    match limit.unit {
        LimitUnit::WorkingDays => format!("{} 个工作日", limit.value),
        LimitUnit::NaturalDays => format!("{} 日", limit.value),
        LimitUnit::OnTheSpot => "当场".into(),
    }
}

pub(super) fn describe_en(limit: TimeLimit) -> String {
    match limit.unit {
        LimitUnit::WorkingDays => format!("{} working days", limit.value),
        LimitUnit::NaturalDays => format!("{} natural days", limit.value),
        LimitUnit::OnTheSpot => "on the spot".into(),
    }
}

pub(super) fn check_limit(reporter: &mut Reporter<'_>, pointer: &str, limit: TimeLimit) {
    if limit.unit == LimitUnit::OnTheSpot && limit.value != 0 {
        reporter.at(
            pointer,
            LintCode::InvalidLimit,
            "“当场”时限的 value 必须为 0 / an on_the_spot limit must have value = 0".into(),
        );
    }
    if i64::from(limit.value) > crate::calendar::MAX_DAYS {
        reporter.at(
            pointer,
            LintCode::InvalidLimit,
            format!(
                "时限过长（上限 {} 天） / limit too long (at most {} days)",
                crate::calendar::MAX_DAYS,
                crate::calendar::MAX_DAYS
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_compare_only_when_certain() {
        let w = |v| TimeLimit {
            value: v,
            unit: LimitUnit::WorkingDays,
        };
        let n = |v| TimeLimit {
            value: v,
            unit: LimitUnit::NaturalDays,
        };
        assert!(surely_longer(w(21), w(20)));
        assert!(!surely_longer(w(20), w(20)));
        assert!(surely_longer(w(8), n(7)));
        assert!(!surely_longer(n(30), w(20)));
    }
}
