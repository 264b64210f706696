//! `Engine::deadline` with arbitrary start dates (mostly well-formed, sometimes any text), day
//! counts and units.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use qiquan::Engine;

#[derive(Debug, Arbitrary)]
enum From {
    /// A `YYYY-MM-DD` spelling of arbitrary numbers, valid or not.
    Date {
        year: u16,
        month: u8,
        day: u8,
    },
    Text(String),
}

#[derive(Debug, Arbitrary)]
enum Days {
    Small(u16),
    Any(i64),
}

#[derive(Debug, Arbitrary)]
enum Unit {
    Working,
    Natural,
    WorkingDays,
    NaturalDays,
    Text(String),
}

#[derive(Debug, Arbitrary)]
struct Input {
    from: From,
    days: Days,
    unit: Unit,
}

fuzz_target!(|input: Input| {
    let from = match input.from {
        From::Date { year, month, day } => {
            format!("{:04}-{:02}-{:02}", year % 10_000, month % 100, day % 100)
        }
        From::Text(text) => text,
    };
    let days = match input.days {
        Days::Small(n) => i64::from(n),
        Days::Any(n) => n,
    };
    let unit = match &input.unit {
        Unit::Working => "working",
        Unit::Natural => "natural",
        Unit::WorkingDays => "working_days",
        Unit::NaturalDays => "natural_days",
        Unit::Text(text) => text.as_str(),
    };
    let engine = Engine::embedded().expect("embedded rules compile");
    if let Ok(answer) = engine.deadline(&from, days, unit) {
        // The period runs forward: the due date is never before the start.
        assert!(answer.due >= answer.from, "{answer:?}");
        assert_eq!(answer.days, days);
    }
});
