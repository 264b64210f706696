//! The working-day calendar, day by day, against an independent transcription of the State
//! Council notices (tests/data/calendar_expectations.json, made by make_calendar_expectations.py
//! from holiday-cn and the notice texts, never from rules/calendar).
#![allow(clippy::unwrap_used)]

use chrono::{Datelike, NaiveDate, Weekday};
use qiquan::Engine;
use serde_json::Value;

fn expectations() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/calendar_expectations.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn dates(list: &Value) -> Vec<NaiveDate> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|d| qiquan::calendar::parse_date(d.as_str().unwrap()).unwrap())
        .collect()
}

#[test]
fn every_day_2020_to_2026_matches_the_notices() {
    let calendar = Engine::embedded().unwrap().bundle().calendar();
    let expected = expectations();
    for year in 2020..=2026 {
        let e = &expected[year.to_string()];
        let rest_weekdays = dates(&e["rest_days_on_weekdays"]);
        let working_weekends = dates(&e["working_weekend_days"]);
        let mut working_days = 0;
        let mut day = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        while day.year() == year {
            let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            let expected_working = if weekend {
                working_weekends.contains(&day)
            } else {
                !rest_weekdays.contains(&day)
            };
            assert_eq!(calendar.is_working_day(day), expected_working, "{day}");
            working_days += u32::from(expected_working);
            day = day.succ_opt().unwrap();
        }
        assert_eq!(
            u64::from(working_days),
            e["working_days"].as_u64().unwrap(),
            "{year}"
        );
    }
}

#[test]
fn state_council_years_2025_and_2026_have_248_working_days() {
    let calendar = Engine::embedded().unwrap().bundle().calendar();
    for year in [2025, 2026] {
        let count = NaiveDate::from_ymd_opt(year, 1, 1)
            .unwrap()
            .iter_days()
            .take_while(|d| d.year() == year)
            .filter(|d| calendar.is_working_day(*d))
            .count();
        assert_eq!(count, 248, "{year}");
    }
}

#[test]
fn worked_examples_from_the_domain_brief() {
    let engine = Engine::embedded().unwrap();
    for (from, days, due) in [
        ("2025-09-26", 5, "2025-10-10"),
        ("2026-02-13", 10, "2026-03-05"),
        ("2026-09-30", 1, "2026-10-08"),
        ("2025-12-31", 3, "2026-01-06"),
    ] {
        let answer = engine.deadline(from, days, "working").unwrap();
        assert_eq!(answer.due, due, "{from} + {days}");
        assert!(!answer.provisional);
    }
}

#[test]
fn natural_days_ending_on_a_rest_day_move_to_the_next_working_day() {
    let engine = Engine::embedded().unwrap();
    // 2026-09-24 + 7 natural days = 2026-10-01 (国庆) → next working day 2026-10-08 (民法典 §203).
    assert_eq!(
        engine.deadline("2026-09-24", 7, "natural").unwrap().due,
        "2026-10-08"
    );
    // Ending on a make-up working Saturday stays there: 2026-02-07 + 7 = 2026-02-14 (调休).
    assert_eq!(
        engine.deadline("2026-02-07", 7, "natural").unwrap().due,
        "2026-02-14"
    );
    // Zero days is the start day itself when it is a working day.
    assert_eq!(
        engine.deadline("2026-03-02", 0, "working").unwrap().due,
        "2026-03-02"
    );
}

#[test]
fn uncovered_years_fall_back_to_the_fixed_holidays_and_are_provisional() {
    let engine = Engine::embedded().unwrap();
    // 2027 has no notice in rules/calendar: Monday–Friday minus the fixed holidays, flagged.
    let answer = engine.deadline("2027-03-01", 5, "working").unwrap();
    assert_eq!(answer.due, "2027-03-08");
    assert!(answer.provisional);
    // 2026-12-31 + 1: 2027-01-01 (元旦, a Friday) is a holiday even without the 2027 notice.
    let answer = engine.deadline("2026-12-31", 1, "working").unwrap();
    assert_eq!(answer.due, "2027-01-04");
    assert!(answer.provisional);
    // 除夕 2027-02-05 (Friday) to 初三 2027-02-08 (Monday).
    assert_eq!(
        engine.deadline("2027-02-04", 1, "working").unwrap().due,
        "2027-02-09"
    );
    // Late December can still be changed by the next year's notice.
    assert!(
        engine
            .deadline("2026-12-21", 1, "working")
            .unwrap()
            .provisional
    );
    assert!(
        !engine
            .deadline("2026-12-01", 1, "working")
            .unwrap()
            .provisional
    );
    // 2019 is not covered either: the 2013 revision's days (春节 初一–初三: 2019-02-05…07).
    let answer = engine.deadline("2019-02-04", 1, "working").unwrap();
    assert_eq!(answer.due, "2019-02-08");
    assert!(answer.provisional);
}

/// The fallback, asked for the covered years, must give days the notices also made holidays:
/// each fixed holiday of 2020–2026 lies inside the notice's holiday of the same name (2020–2024
/// under the 2013 revision, 2025–2026 under the 2024 one).
#[test]
fn the_fixed_holidays_lie_inside_the_notices_2020_to_2026() {
    let calendar = Engine::embedded().unwrap().bundle().calendar();
    for year in 2020..=2026 {
        let fixed = qiquan::calendar::fixed_holidays(year);
        assert!(fixed.len() >= 10, "{year}");
        for (date, holiday) in fixed {
            let name = calendar
                .holiday_name(date)
                .unwrap_or_else(|| panic!("{date} ({holiday:?}) is not a holiday in the notice"));
            // The notices name 中秋 and 国庆 together when they share a break (2020, 2023, 2025).
            let wanted = holiday.name().zh;
            let wanted = wanted.trim_end_matches('节');
            assert!(
                name.zh.contains(wanted),
                "{date}: the notice says {}, the law {}",
                name.zh,
                holiday.name().zh
            );
            assert!(!calendar.is_working_day(date), "{date}");
        }
    }
}

/// A whole fallback year: every weekday is a working day except the fixed holidays.
#[test]
fn the_2027_fallback_year_day_by_day() {
    let calendar = Engine::embedded().unwrap().bundle().calendar();
    let fixed: Vec<NaiveDate> = qiquan::calendar::fixed_holidays(2027)
        .into_iter()
        .map(|(d, _)| d)
        .collect();
    assert_eq!(fixed.len(), 13);
    let mut working = 0;
    for day in NaiveDate::from_ymd_opt(2027, 1, 1)
        .unwrap()
        .iter_days()
        .take_while(|d| d.year() == 2027)
    {
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let expected = !weekend && !fixed.contains(&day);
        assert_eq!(calendar.is_working_day(day), expected, "{day}");
        working += u32::from(expected);
    }
    // 261 weekdays less 7 fixed holidays (the other six, 02-06, 02-07, 05-01, 05-02, 10-02 and
    // 10-03, fall on weekends).
    assert_eq!(working, 254);
    assert_eq!(
        calendar
            .holiday_name(NaiveDate::from_ymd_opt(2027, 2, 5).unwrap())
            .unwrap()
            .zh,
        "春节"
    );
}

#[test]
fn bad_deadline_input_is_an_error_value() {
    let engine = Engine::embedded().unwrap();
    let code = |from: &str, days: i64, unit: &str| {
        engine.deadline(from, days, unit).unwrap_err().code.as_str()
    };
    assert_eq!(code("2026-02-30", 1, "working"), "invalid_date");
    assert_eq!(code("2026-2-3", 1, "working"), "invalid_date");
    assert_eq!(code("2026-03-02", -1, "working"), "days_out_of_range");
    assert_eq!(code("2026-03-02", 3651, "working"), "days_out_of_range");
    assert_eq!(code("2026-03-02", 1, "fortnights"), "invalid_unit");
    assert_eq!(code("2199-12-31", 5, "natural"), "date_out_of_range");
    assert_eq!(code("0001-01-01", 5, "natural"), "date_out_of_range");
}

/// `WorkingDayRuns` (which lint uses to call a limit in one unit surely longer than one in
/// another, issue 24 defect 10) agrees with counting from every start day 2000–2199, on the
/// notices and the fixed-holiday fallback.
#[test]
fn working_day_runs_agree_with_counting_from_every_day() {
    let calendar = Engine::embedded().unwrap().bundle().calendar();
    let runs = qiquan::calendar::WorkingDayRuns::of(calendar);
    let first = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2199, 12, 31).unwrap();
    let days: Vec<bool> = first
        .iter_days()
        .take_while(|d| d.year() < 2200)
        .map(|d| calendar.is_working_day(d))
        .collect();
    let working: Vec<usize> = (0..days.len()).filter(|&i| days[i]).collect();
    // next[s]: the index in `working` of the first working day after day s.
    let next: Vec<usize> = (0..days.len())
        .map(|s| working.partition_point(|&w| w <= s))
        .collect();
    for n in (1..=45).chain([60, 400]) {
        let longest = (0..days.len())
            .filter_map(|s| working.get(next[s] + n - 1).map(|&due| due - s))
            .max()
            .unwrap();
        let n32 = u32::try_from(n).unwrap();
        assert_eq!(
            runs.longest_span(n32, first, last),
            Some(u64::try_from(longest).unwrap()),
            "{n} working days"
        );
    }
    for len in [1usize, 6, 7, 13, 30, 45] {
        let most = (0..days.len() - len)
            .map(|s| days[s..s + len].iter().filter(|&&w| w).count())
            .max()
            .unwrap();
        let len32 = u32::try_from(len).unwrap();
        assert_eq!(
            runs.most_working_days(len32, first, last - chrono::Duration::days(60)),
            u64::try_from(most).unwrap(),
            "{len} days"
        );
    }
}

/// The shipped notices' longest runs (2020-01-01 to 2026-11-30): twenty working days take at
/// most 36 days (over the 2020 Spring Festival as extended to 2 February; the 38, from
/// 2019-12-27, needs the 2019 notice, which is not shipped), five working days 15 (the 2026
/// Spring Festival).
#[test]
fn the_longest_runs_of_the_shipped_notices() {
    let calendar = Engine::embedded().unwrap().bundle().calendar();
    let runs = qiquan::calendar::WorkingDayRuns::of(calendar);
    let from = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let until = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    assert_eq!(runs.longest_span(20, from, until), Some(36));
    assert_eq!(runs.longest_span(5, from, until), Some(15));
}

/// The 容缺 ledger's reminder day: `working_days_before(due, n)` is a working day from which
/// `deadline(…, n, working)` gives `due` back, for every working day of 2024–2026 and several
/// n; and it is `n` working days back by the transcription of the notices.
#[test]
fn working_days_before_inverts_deadline() {
    let engine = Engine::embedded().unwrap();
    let calendar = engine.bundle().calendar();
    let mut day = NaiveDate::from_ymd_opt(2024, 1, 10).unwrap();
    let last = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let mut checked = 0;
    while day <= last {
        if calendar.is_working_day(day) {
            let due = qiquan::calendar::format_date(day);
            for n in [1u32, 2, 3, 5, 15] {
                let remind = engine.working_days_before(&due, n).unwrap();
                let remind_day = qiquan::calendar::parse_date(&remind).unwrap();
                assert!(
                    calendar.is_working_day(remind_day),
                    "{remind} for {due} − {n}"
                );
                assert_eq!(
                    engine.deadline(&remind, n.into(), "working").unwrap().due,
                    due
                );
                checked += 1;
            }
        }
        day = day.succ_opt().unwrap();
    }
    assert!(checked > 3000, "{checked}");
    assert_eq!(
        engine.working_days_before("2026-10-08", 1).unwrap(),
        "2026-09-30",
        "国庆 2026-10-01..07 is skipped"
    );
    assert!(engine.working_days_before("2026-13-01", 1).is_err());
}
