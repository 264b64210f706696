//! The order of a matter's limits, on the bundle's calendar (lint only, feature `whole`): the
//! promise within the law (`promised_exceeds_statutory`), a forwarded matter's forwarding within
//! the office's limit, a joint matter within 行政许可法 §42(2) (`joint_limit_exceeded`), and each
//! 容缺 pledge period within the promise (`pledge_exceeds_promised`). A limit is reported only
//! when it ends later from every day of acceptance the version can see; limits in different units
//! compare on the real calendar (the notices, and the holidays the law fixes beyond them:
//! `calendar::WorkingDayRuns`), not on a formula (issue 24, defect 10).
//!
//! Runs after every file is read (the calendar files are in), on every matter file parsed.

use chrono::NaiveDate;

use super::checks::{describe_en, describe_zh};
use super::report::Reporter;
use super::{Diagnostic, LintCode, SourceFile};
use crate::calendar::WorkingDayRuns;
use crate::model::{CaseType, LimitUnit, MatterFile, TimeLimit};

/// 行政许可法 §42(2): joint handling (§26) takes at most 45 days, extendable by 15; days are
/// working days (§82).
const JOINT_LIMIT: TimeLimit = TimeLimit {
    value: 45,
    unit: LimitUnit::WorkingDays,
};
const JOINT_EXTENSION: TimeLimit = TimeLimit {
    value: 15,
    unit: LimitUnit::WorkingDays,
};

/// The calendar as seen from one version's days of acceptance.
pub(super) struct Spans<'a> {
    runs: &'a WorkingDayRuns,
    from: NaiveDate,
    until: NaiveDate,
}

impl<'a> Spans<'a> {
    pub(super) fn new(runs: &'a WorkingDayRuns, from: NaiveDate, until: Option<NaiveDate>) -> Self {
        let until = until
            .unwrap_or(NaiveDate::from_ymd_opt(crate::calendar::MAX_YEAR, 12, 31).unwrap_or(from));
        Spans { runs, from, until }
    }

    /// Whether a period of `a` ends after one of `b` from every start day (both counted from
    /// the same day, the start day not counted, 民法典 §201; natural periods ending on a rest day
    /// move to the next working day, §203). False when it depends on the start day.
    pub(super) fn surely_longer(&self, a: TimeLimit, b: TimeLimit) -> bool {
        use LimitUnit::*;
        match (a.unit, b.unit) {
            (OnTheSpot, _) => false,
            (_, OnTheSpot) => a.value > 0,
            (WorkingDays, WorkingDays) | (NaturalDays, NaturalDays) => a.value > b.value,
            // k natural days end on the first working day on or after day k: the (c + 1)-th
            // working day, c those among days 1..k-1. n working days end later from every
            // start day when n exceeds c + 1 for the fullest such run on the calendar.
            (WorkingDays, NaturalDays) => {
                let c =
                    self.runs
                        .most_working_days(b.value.saturating_sub(1), self.from, self.until);
                u64::from(a.value) > c + 1
            }
            // k natural days end after n working days from every start day when k is past the
            // longest span n working days take on the calendar.
            (NaturalDays, WorkingDays) => self
                .runs
                .longest_span(b.value, self.from, self.until)
                .is_some_and(|longest| u64::from(a.value) > longest),
        }
    }
}

/// What the order of a matter file's limits depends on, taken when the file is parsed (so a
/// file with other errors still gets these reported, all at once).
pub(super) struct Facts {
    path: String,
    from: NaiveDate,
    until: Option<NaiveDate>,
    case_type: CaseType,
    statutory: TimeLimit,
    promised: TimeLimit,
    extension: Option<TimeLimit>,
    forward_within: Option<TimeLimit>,
    /// Each tolerable material's pledge period, by the material's index.
    pledge_periods: Vec<(usize, TimeLimit)>,
}

impl Facts {
    /// `None` when the file has no valid `effective_from` (reported as `invalid_date`).
    pub(super) fn of(path: &str, rule: &MatterFile) -> Option<Self> {
        let from = crate::calendar::parse_date(&rule.effective_from).ok()?;
        let until = match rule
            .effective_until
            .as_deref()
            .map(crate::calendar::parse_date)
        {
            Some(Err(_)) => return None,
            other => other.and_then(Result::ok),
        };
        Some(Facts {
            path: path.to_string(),
            from,
            until,
            case_type: rule.case_type,
            statutory: rule.statutory_limit,
            promised: rule.promised_limit,
            extension: rule.statutory_extension,
            forward_within: rule.forwarding.as_ref().map(|f| f.forward_within),
            pledge_periods: (rule.materials.iter().enumerate())
                .filter(|(_, m)| m.tolerable)
                .filter_map(|(i, m)| Some((i, m.pledge_period?)))
                .collect(),
        })
    }
}

/// Checks the order of every matter file's limits (`facts`: each from one of `sources`).
pub(super) fn check_limit_order(
    facts: &[Facts],
    runs: &WorkingDayRuns,
    sources: &[SourceFile],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for file in facts {
        let Some(source) = sources.iter().find(|s| s.path == file.path) else {
            continue;
        };
        let mut reporter = Reporter {
            source,
            parsed: None,
            out: diagnostics,
        };
        let spans = Spans::new(runs, file.from, file.until);
        check_file(&mut reporter, file, &spans);
    }
}

fn check_file(reporter: &mut Reporter<'_>, file: &Facts, spans: &Spans<'_>) {
    let (promised, statutory) = (file.promised, file.statutory);
    if spans.surely_longer(promised, statutory) {
        reporter.at(
            "/promised_limit",
            LintCode::PromisedExceedsStatutory,
            format!(
                "承诺时限（{}）无论哪天受理都晚于法定时限（{}）届满：承诺时限不得长于法定时限，请缩短 / the promised limit ({}) ends after the statutory limit ({}) whatever the day of acceptance: a promise may not exceed the law, shorten it",
                describe_zh(promised),
                describe_zh(statutory),
                describe_en(promised),
                describe_en(statutory)
            ),
        );
    }
    if let Some(within) = file.forward_within
        && spans.surely_longer(within, statutory)
    {
        reporter.at("/forwarding/forward_within", LintCode::PromisedExceedsStatutory, "报送期限晚于本机关的法定时限届满 / the forwarding deadline ends after the office's statutory limit".into());
    }
    if file.case_type == CaseType::Joint {
        for (at, limit, most) in [
            ("/statutory_limit", Some(statutory), JOINT_LIMIT),
            ("/statutory_extension", file.extension, JOINT_EXTENSION),
        ] {
            if let Some(limit) = limit
                && spans.surely_longer(limit, most)
            {
                reporter.at(at, LintCode::JointLimitExceeded, format!("联合办理、集中办理的时限不得超过 45 日，经本级人民政府负责人批准可延长 15 日（行政许可法第四十二条第二款）：{}超过{} / joint or centralised handling takes at most 45 days, extendable by 15 with approval (Administrative Licensing Law §42(2)): {} exceeds {}", describe_zh(limit), describe_zh(most), describe_en(limit), describe_en(most)));
            }
        }
    }
    // (On an instant matter the tolerance itself is the mistake: `tolerance_on_instant_matter`.)
    if file.case_type == CaseType::Instant {
        return;
    }
    for &(i, period) in &file.pledge_periods {
        if spans.surely_longer(period, promised) {
            reporter.at(&format!("/materials/{i}/pledge_period"), LintCode::PledgeExceedsPromised, format!("承诺补交期限（{}）无论哪天受理都晚于承诺办结时限（{}）届满：材料补齐前就要办结，请缩短补交期限 / the pledge period ({}) ends after the promised limit ({}) whatever the day of acceptance, so the matter would be due before the material: shorten the pledge period", describe_zh(period), describe_zh(promised), describe_en(period), describe_en(promised)));
        }
    }
}

#[cfg(all(test, feature = "embed"))]
mod tests {
    use super::*;

    fn limit(value: u32, unit: LimitUnit) -> TimeLimit {
        TimeLimit { value, unit }
    }

    #[test]
    fn limits_compare_on_the_calendar() {
        let engine = crate::Engine::embedded().unwrap();
        let runs = WorkingDayRuns::of(engine.bundle().calendar());
        let from = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let spans = Spans::new(&runs, from, None);
        let w = |v| limit(v, LimitUnit::WorkingDays);
        let n = |v| limit(v, LimitUnit::NaturalDays);
        let spot = limit(0, LimitUnit::OnTheSpot);
        assert!(spans.surely_longer(w(21), w(20)));
        assert!(!spans.surely_longer(w(20), w(20)));
        assert!(spans.surely_longer(n(21), n(20)));
        assert!(spans.surely_longer(w(1), spot));
        assert!(!spans.surely_longer(spot, w(1)));
        // Issue 24 defect 10: twenty working days never take 40 days (38 at most, over the
        // 2020 Spring Festival as extended), so a 40-day promise is surely longer.
        assert!(spans.surely_longer(n(40), w(20)));
        assert!(!spans.surely_longer(n(30), w(20)));
        // n working days from a start day can end before n natural days do (a Friday start:
        // 7 natural days end the next Friday's week, 5 working days the Friday).
        assert!(!spans.surely_longer(w(7), n(7)));
    }
}
