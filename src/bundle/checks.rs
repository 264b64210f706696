//! Checks the keys of every matter-file format share: identifiers, and time limits (their
//! bounds and their words in a diagnostic; their order on the calendar: `limits.rs`). `matter.rs` and `formats.rs` both
//! use them; neither imports the other for them.

// Without `whole` (the page module) only the identifier check is used.
#![cfg_attr(not(feature = "whole"), allow(dead_code))]

use super::LintCode;
use super::report::Reporter;
use crate::model::{LimitUnit, TimeLimit};

pub(super) fn is_identifier(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        && id.len() <= 64
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
