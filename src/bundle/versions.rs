//! Lint across a matter's versions: that they hand over from one to the next day by day, and
//! that the calendar has the notices for the years they are in force.

#[cfg(feature = "whole")]
use chrono::Datelike;
use chrono::NaiveDate;

use super::report::Reporter;
use super::{Diagnostic, LintCode, MatterVersion, SourceFile};
#[cfg(feature = "whole")]
use crate::calendar::Calendar;
use crate::calendar::format_date;

/// Matters by id, in id order, each with its versions.
pub(super) type Matters = Vec<(String, Vec<MatterVersion>)>;

/// Groups the versions by matter (in id order), sorted by effective date, and checks that they
/// neither clash nor leave gaps. (Positions sorted, not a map of groups: no BTreeMap instance
/// of its own in the page module.)
pub(super) fn group_versions(
    versions: Vec<MatterVersion>,
    sources: &[SourceFile],
    diagnostics: &mut Vec<Diagnostic>,
) -> Matters {
    let order = crate::order::stable_order(versions.len(), &mut |a, b| {
        versions[a].rule.matter.cmp(&versions[b].rule.matter)
    });
    let mut slots: Vec<Option<MatterVersion>> = versions.into_iter().map(Some).collect();
    let mut matters: Matters = Vec::new();
    for version in order.iter().filter_map(|&i| slots.get_mut(i)?.take()) {
        match matters.last_mut() {
            Some((id, list)) if *id == version.rule.matter => list.push(version),
            _ => matters.push((version.rule.matter.clone(), vec![version])),
        }
    }
    for (_, list) in &mut matters {
        crate::order::sort_by_key(list, |v| v.effective_from);
        for pair in list.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let clash = if a.effective_from == b.effective_from {
                Some("生效日期相同 / two versions take effect on the same day")
            } else if a.rule.version == b.rule.version {
                Some("版本号重复 / the version label is used twice")
            } else {
                None
            };
            if let Some(why) = clash
                && let Some(source) = sources.iter().find(|s| s.path == b.source)
            {
                let mut reporter = Reporter {
                    source,
                    parsed: None,
                    out: diagnostics,
                };
                reporter.at(
                    "/version",
                    LintCode::DuplicateVersion,
                    format!("事项 {} 的版本与 {} 冲突：{why}", b.rule.matter, a.source),
                );
            }
        }
        check_succession(list, sources, diagnostics);
    }
    matters
}

/// Reports at `pointer` in the file `path` (one of `sources`).
fn report(
    sources: &[SourceFile],
    diagnostics: &mut Vec<Diagnostic>,
    path: &str,
    (pointer, code, message): (&str, LintCode, String),
) {
    if let Some(source) = sources.iter().find(|s| s.path == path) {
        let mut reporter = Reporter {
            source,
            parsed: None,
            out: diagnostics,
        };
        reporter.at(pointer, code, message);
    }
}

/// Versions sorted by `effective_from`: each one's last day must be the day before the next
/// one's first, or two versions are in force at once (which one applies is then up to the
/// engine, not the centre) or none is (an application in the gap cannot be checked). Reported
/// in the earlier file, where the fix (its `effective_until`) goes. Versions starting on the
/// same day are `duplicate_version`.
pub(super) fn check_succession(
    list: &[MatterVersion],
    sources: &[SourceFile],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for pair in list.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let Some(day_before) = b.effective_from.pred_opt() else {
            continue;
        };
        if a.effective_from == b.effective_from {
            continue;
        }
        let finding = match a.effective_until {
            None => Some(overlap(a, b, day_before, "/effective_from")),
            Some(until) if until >= b.effective_from => {
                Some(overlap(a, b, day_before, "/effective_until"))
            }
            Some(until) if until < day_before => Some(gap(a, b, until, day_before)),
            Some(_) => None,
        };
        if let Some(finding) = finding {
            report(sources, diagnostics, &a.source, finding);
        }
    }
}

fn overlap(
    a: &MatterVersion,
    b: &MatterVersion,
    day_before: NaiveDate,
    pointer: &'static str,
) -> (&'static str, LintCode, String) {
    let (from, fix) = (format_date(b.effective_from), format_date(day_before));
    let (av, bv, bs) = (&a.rule.version, &b.rule.version, &b.source);
    (
        pointer,
        LintCode::VersionsOverlap,
        format!(
            "自 {from} 起，版本 {av} 与版本 {bv}（{bs}）同时有效：请在本文件设 effective_until = \"{fix}\" / from {from} on, version {av} and version {bv} ({bs}) are both in force: set effective_until = \"{fix}\" in this file"
        ),
    )
}

fn gap(
    a: &MatterVersion,
    b: &MatterVersion,
    until: NaiveDate,
    day_before: NaiveDate,
) -> (&'static str, LintCode, String) {
    let first = until.succ_opt().map_or_else(String::new, format_date);
    let last = format_date(day_before);
    let (av, bv, bs) = (&a.rule.version, &b.rule.version, &b.source);
    (
        "/effective_until",
        LintCode::VersionsGap,
        format!(
            "{first} 至 {last} 没有有效版本（版本 {av} 已失效，版本 {bv}（{bs}）尚未生效），这期间的申请无法审查：请把本文件的 effective_until 设为 \"{last}\"，或让版本 {bv} 从 {first} 起生效 / from {first} to {last} no version is in force (version {av} has ended, version {bv} ({bs}) has not begun), so no application then can be checked: set effective_until = \"{last}\" here, or make version {bv} take effect on {first}"
        ),
    )
}

/// A warning for each version in force in years the calendar lacks: the years between the
/// first and last notice it holds that have none, or all its years when the notices lie
/// wholly before or after it. (An open-ended version counts up to the last notice: lint does
/// not know today's date.) Dates in those years count only the holidays the law fixes and
/// every deadline through them is provisional.
#[cfg(feature = "whole")]
pub(super) fn check_calendar_coverage(
    matters: &[(String, Vec<MatterVersion>)],
    calendar: &Calendar,
    sources: &[SourceFile],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let covered: Vec<i32> = calendar.covered_years().iter().map(|y| y.year).collect();
    for version in matters.iter().flat_map(|(_, list)| list) {
        let missing = missing_years(version, &covered);
        if missing.is_empty() {
            continue;
        }
        let years = describe_years(&missing);
        let message = format!(
            "版本 {} 在 {years} 年有效，但日历（calendar/）没有这些年份的国务院放假通知：期限只扣除法定节日、不含调休，结果均为临时（provisional）。请添加 calendar/YYYY.toml / version {} is in force in {years}, but the calendar (calendar/) has no State Council notice for those years: deadlines there count only the fixed statutory holidays, without 调休, and are provisional. Add calendar/YYYY.toml",
            version.rule.version, version.rule.version
        );
        report(
            sources,
            diagnostics,
            &version.source,
            ("/effective_from", LintCode::CalendarNotCovering, message),
        );
    }
}

/// The years in force that the calendar lacks (see `check_calendar_coverage`).
#[cfg(feature = "whole")]
fn missing_years(version: &MatterVersion, covered: &[i32]) -> Vec<i32> {
    let first = version.effective_from.year();
    let (Some(&low), Some(&high)) = (covered.first(), covered.last()) else {
        let last = version.effective_until.map_or(first, |d| d.year());
        return (first..=last).collect();
    };
    let last = version
        .effective_until
        .map_or(first.max(high), |d| d.year());
    let (from, to) = (first.max(low), last.min(high));
    if from > to {
        return (first..=last).collect();
    }
    (from..=to)
        .filter(|y| covered.binary_search(y).is_err())
        .collect()
}

/// `2021`, `2021–2023`, or `2019, 2021–2022`.
#[cfg(feature = "whole")]
fn describe_years(years: &[i32]) -> String {
    let mut runs: Vec<(i32, i32)> = Vec::new();
    for &year in years {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == year => *end = year,
            _ => runs.push((year, year)),
        }
    }
    runs.iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}–{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn years_are_described_in_runs() {
        assert_eq!(super::describe_years(&[2021]), "2021");
        assert_eq!(
            super::describe_years(&[2019, 2021, 2022, 2023]),
            "2019, 2021–2023"
        );
    }
}
