//! The centre profile (`rules/centre.toml`, optional): who issues the documents. Every printed
//! document and receipt names its office, seal, number, reconsideration body and court from
//! here; without a profile they print a clear placeholder, never a matter's generic department.
//!
//! The types are the format (schema generated into `rules/schema/centre.schema.json`); the
//! checks below are its lint (`qiquan lint`), run by the same compiler as every rule file.

use serde::{Deserialize, Serialize};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

#[cfg(feature = "whole")]
use crate::bundle::{LintCode, Reporter};
use crate::model::Text;

/// The path of the profile inside a rules directory.
pub const CENTRE_PATH: &str = "centre.toml";

/// The placeholders a document number pattern may use (checked where rules are linted).
#[cfg(feature = "whole")]
const PLACEHOLDERS: [&str; 3] = ["{kind}", "{year}", "{seq}"];

/// The issuing centre (办理机构): printed on every document it issues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CentreProfile {
    /// An example profile, not a real office: documents carry a "样本" mark and must not be
    /// issued. Set it to false (or leave it out) in a real centre's profile.
    #[serde(default)]
    pub sample: bool,
    /// The issuing office (落款), e.g. `某某县行政审批服务局`.
    pub office: Text,
    /// The text of the office's seal (印章), shown in the seal area.
    pub seal: String,
    /// Postal address of the service hall.
    pub address: Text,
    /// Enquiry telephone, mobile or landline with area code.
    pub phone: String,
    /// The document number (文号) pattern: literal text with `{seq}` (the sequence number, filled
    /// in when the document is issued) exactly once, and optionally `{year}` (the document's
    /// year) and `{kind}` (受 / 补 / 容 / 不受 by document kind), e.g. `明审服{kind}〔{year}〕{seq}号`.
    pub number_pattern: String,
    /// 行政复议机关: where an applicant may apply for administrative reconsideration
    /// (行政复议法 2023 §24: usually the people's government at the same level).
    pub reconsideration_body: Text,
    /// The people's court with jurisdiction over administrative suits against the office.
    pub court: Text,
    /// Online applications (computer or mobile) received after this China time (`HH:MM`), or on
    /// a rest day, count from the next working day; before it, from the same day. A matter's
    /// own `online_cutoff` takes precedence. Without either, online applications count from the
    /// next working day (the acceptance notice is generated the day after receipt).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_cutoff: Option<String>,
    /// The 电子监察 warning (预警, the yellow lamp): within this many working days of a case's
    /// due. Default 1 (one working day before the promised due).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning_days: Option<u32>,
    /// A 容缺 case with pledged items outstanding: `decision` (容缺后补, the default: not
    /// decided until they arrive) or `issue` (补齐出证: decided, the licence not issued until
    /// they arrive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pledge_gate: Option<crate::case::PledgeGate>,
}

impl CentreProfile {
    /// `online_cutoff` as a time (lint refuses a value that is not `HH:MM`).
    pub(crate) fn online_cutoff_time(&self) -> Option<chrono::NaiveTime> {
        let text = self.online_cutoff.as_deref()?;
        let (h, m) = text.split_once(':')?;
        chrono::NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
    }
}

/// A number pattern's parts around `{seq}`, with `{kind}` and `{year}` filled in.
pub(crate) fn number_parts(pattern: &str, kind_code: &str, year: i32) -> (String, String) {
    let filled = pattern
        .replace("{kind}", kind_code)
        .replace("{year}", &year.to_string());
    match filled.split_once("{seq}") {
        Some((prefix, suffix)) => (prefix.to_string(), suffix.to_string()),
        None => (filled, String::new()),
    }
}

#[cfg(feature = "whole")]
/// Lints a parsed profile; problems go to the reporter with stable codes.
pub(crate) fn check_centre(reporter: &mut Reporter<'_>, profile: &CentreProfile) {
    for (pointer, text) in [
        ("/office", &profile.office),
        ("/address", &profile.address),
        ("/reconsideration_body", &profile.reconsideration_body),
        ("/court", &profile.court),
    ] {
        if text.zh.trim().is_empty() || text.en.trim().is_empty() {
            reporter.at(
                pointer,
                LintCode::EmptyText,
                "中文和英文都不能为空 / both zh and en must be filled in".into(),
            );
        }
    }
    if profile.seal.trim().is_empty() {
        reporter.at(
            "/seal",
            LintCode::EmptyText,
            "印章文字不能为空 / the seal text must not be empty".into(),
        );
    }
    if !crate::identifiers::is_phone(&profile.phone) {
        reporter.at(
            "/phone",
            LintCode::InvalidPhone,
            format!(
                "“{}”不是有效的手机号或带区号的固定电话 / `{}` is not a mobile number or a landline with area code",
                profile.phone, profile.phone
            ),
        );
    }
    if let Some(problem) = number_pattern_problem(&profile.number_pattern) {
        reporter.at("/number_pattern", LintCode::InvalidNumberPattern, problem);
    }
    if let Some(cutoff) = &profile.online_cutoff
        && !is_hh_mm(cutoff)
    {
        reporter.at(
            "/online_cutoff",
            LintCode::InvalidTime,
            format!(
                "“{cutoff}”不是 HH:MM 格式的时间（00:00–23:59） / `{cutoff}` is not a time HH:MM (00:00–23:59)"
            ),
        );
    }
}

#[cfg(feature = "whole")]
/// What is wrong with a number pattern, if anything.
fn number_pattern_problem(pattern: &str) -> Option<String> {
    let seq = pattern.matches("{seq}").count();
    if seq != 1 {
        return Some(format!(
            "文号格式必须恰好包含一次 {{seq}}（现有 {seq} 次） / the pattern must contain {{seq}} exactly once (found {seq})"
        ));
    }
    for placeholder in ["{kind}", "{year}"] {
        if pattern.matches(placeholder).count() > 1 {
            return Some(format!(
                "{placeholder} 最多出现一次 / {placeholder} may appear at most once"
            ));
        }
    }
    let mut rest = pattern.to_string();
    for placeholder in PLACEHOLDERS {
        rest = rest.replace(placeholder, "");
    }
    if rest.contains('{') || rest.contains('}') {
        return Some(
            "文号格式只能使用 {kind}、{year}、{seq} / the pattern may use only {kind}, {year} and {seq}"
                .into(),
        );
    }
    if rest.trim().is_empty() {
        return Some(
            "文号格式缺少机关代字 / the pattern has no literal text (the office's abbreviation)"
                .into(),
        );
    }
    None
}

#[cfg(feature = "whole")]
fn is_hh_mm(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 5 || bytes[2] != b':' {
        return false;
    }
    let number = |s: &[u8]| -> Option<u32> {
        s.iter().try_fold(0u32, |acc, b| {
            b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
        })
    };
    matches!((number(&bytes[..2]), number(&bytes[3..])), (Some(h), Some(m)) if h < 24 && m < 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_patterns_need_one_seq_and_known_placeholders() {
        assert_eq!(
            number_pattern_problem("明审服{kind}〔{year}〕{seq}号"),
            None
        );
        assert_eq!(number_pattern_problem("明审服〔{year}〕{seq}号"), None);
        assert!(number_pattern_problem("明审服〔{year}〕号").is_some());
        assert!(number_pattern_problem("明审服{seq}{seq}号").is_some());
        assert!(number_pattern_problem("明审服〔{yr}〕{seq}号").is_some());
        assert!(number_pattern_problem("{year}{seq}").is_some());
        assert!(number_pattern_problem("明{year}{year}{seq}").is_some());
    }

    #[test]
    fn number_parts_split_around_the_sequence() {
        assert_eq!(
            number_parts("明审服{kind}〔{year}〕{seq}号", "受", 2026),
            ("明审服受〔2026〕".to_string(), "号".to_string())
        );
    }

    #[test]
    fn cutoff_times_are_hh_mm() {
        for ok in ["00:00", "16:30", "23:59"] {
            assert!(is_hh_mm(ok), "{ok}");
        }
        for bad in ["24:00", "16:60", "1630", "6:30", "16:3a", ""] {
            assert!(!is_hh_mm(bad), "{bad}");
        }
    }
}
