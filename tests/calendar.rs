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
fn uncovered_years_fall_back_to_weekdays_and_are_provisional() {
    let engine = Engine::embedded().unwrap();
    // 2027 has no notice in rules/calendar: Monday–Friday, flagged.
    let answer = engine.deadline("2027-03-01", 5, "working").unwrap();
    assert_eq!(answer.due, "2027-03-08");
    assert!(answer.provisional);
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
    // 2019 is not covered either.
    assert!(
        engine
            .deadline("2019-06-03", 1, "working")
            .unwrap()
            .provisional
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
