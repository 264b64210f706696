//! The Chinese working-day calendar and deadline arithmetic.
//!
//! Working day = Monday–Friday, minus statutory holidays, plus make-up working days (调休), per
//! the State Council's yearly notice (data in `rules/calendar/`). A date in a year without a
//! notice falls back to Monday–Friday minus the holidays that 《全国年节及纪念日放假办法》 fixes
//! (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆: see `fixed_holidays`), and makes every result that
//! used it `provisional`, since that year's 调休 is still unknown.
//!
//! Counting follows 民法典 §201 (the start day is not counted) and §203 (a period whose last day
//! is a rest day ends on the next working day); 行政许可法 §82 counts in working days.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::error::{Error, ErrorCode, Result};
use crate::model::{LimitUnit, Text, TimeLimit};

mod festival_table;
mod fixed_holidays;
#[cfg(feature = "whole")]
mod spans;

#[cfg(feature = "whole")]
pub use spans::WorkingDayRuns;

pub use fixed_holidays::{FixedHoliday, fixed_holidays};

/// The largest day count a deadline may have (ten years of natural days).
pub const MAX_DAYS: i64 = 3650;
/// The years the engine computes with at all; anything else is an input error.
pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2199;

/// China Standard Time (UTC+8, no daylight saving): the one offset every instant is read in.
/// The engine never looks at the machine's timezone; the server's clock uses this too.
pub fn china() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}
/// From this day of December on, a date can still be changed by the next year's notice (e.g.
/// 2018-12-29 became a make-up working day under the 2019 notice), so it counts as covered only
/// when that next year is covered too.
const LATE_DECEMBER_DAY: u32 = 18;

/// What the calendar says about one date.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Override {
    Holiday(Text),
    MakeUpWorkday(String),
}

/// A year's notice, as loaded.
#[derive(Debug, Clone, Serialize)]
pub struct CoveredYear {
    pub year: i32,
    pub notice: String,
}

/// The years that have a notice, each with its file, sorted by year: a binary search (a
/// BTreeMap was an instance of its own in the page module, for a dozen entries).
#[derive(Debug, Clone, Default)]
pub(crate) struct Years(Vec<(i32, String)>);

impl Years {
    fn position(&self, year: i32) -> Result<usize, usize> {
        self.0.binary_search_by_key(&year, |&(y, _)| y)
    }

    pub(crate) fn get(&self, year: i32) -> Option<&str> {
        let i = self.position(year).ok()?;
        self.0.get(i).map(|(_, notice)| notice.as_str())
    }

    pub(crate) fn contains(&self, year: i32) -> bool {
        self.position(year).is_ok()
    }

    /// Adds a year, or replaces its notice (as a map's insert).
    pub(crate) fn insert(&mut self, year: i32, notice: String) {
        match self.position(year) {
            Ok(i) => {
                if let Some(slot) = self.0.get_mut(i) {
                    slot.1 = notice;
                }
            }
            Err(i) => self.0.insert(i, (year, notice)),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: Years,
    /// The notices' days, sorted by date (a binary search: no hash table instance for dates).
    overrides: Vec<(NaiveDate, Override)>,
    /// The same overrides as a dense table of day kinds from day number `table_start` (days
    /// from the common era) on, for the per-day lookups of deadline counting: an index instead
    /// of a hash per day.
    table_start: i32,
    table: Vec<Option<DayKind>>,
    /// The holidays the law fixes in the years without a notice, by day number, sorted:
    /// computed the first time a day outside the notices is asked about (for the 300 years
    /// 1900–2199 it was a fifth of the instructions of a first check, most checks never need it).
    fallback: std::sync::OnceLock<Vec<(i32, FixedHoliday)>>,
    /// Whether any of `fallback` lies within `table`'s days (a year without a notice between
    /// two with one).
    fallback_in_table: bool,
}

/// The kind of a day, for display and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    Workday,
    Weekend,
    Holiday,
    MakeUpWorkday,
}

impl Calendar {
    /// Registers a year's notice. The caller (the bundle compiler) has already rejected
    /// duplicate years and conflicting dates with a lint diagnostic.
    pub(crate) fn add_year(&mut self, year: i32, notice: String) {
        self.years.insert(year, notice);
    }

    pub(crate) fn add_holiday(&mut self, date: NaiveDate, name: Text) {
        self.set_override(date, Override::Holiday(name));
        self.mark(date, DayKind::Holiday);
    }

    pub(crate) fn add_make_up_workday(&mut self, date: NaiveDate, holiday: String) {
        self.set_override(date, Override::MakeUpWorkday(holiday));
        self.mark(date, DayKind::MakeUpWorkday);
    }

    /// Sets a notice's day, replacing what an earlier call set for it.
    fn set_override(&mut self, date: NaiveDate, day: Override) {
        match self.overrides.binary_search_by(|(d, _)| d.cmp(&date)) {
            Ok(i) => self.overrides[i].1 = day,
            Err(i) => self.overrides.insert(i, (date, day)),
        }
    }

    fn override_of(&self, date: NaiveDate) -> Option<&Override> {
        let at = self.overrides.binary_search_by(|(d, _)| d.cmp(&date));
        at.ok().map(|i| &self.overrides[i].1)
    }

    /// Adds the fixed holidays of every year from `MIN_YEAR` to `MAX_YEAR` that has no notice;
    /// called once every notice is in (a notice's own holidays replace the fixed ones).
    /// Called once every notice is in.
    pub(crate) fn finish(&mut self) {
        self.fallback = std::sync::OnceLock::new();
        let table_end = self.table_start + i32::try_from(self.table.len()).unwrap_or(i32::MAX);
        // Only the years the table spans can put a fixed holiday inside it.
        let year_of = |day: i32| NaiveDate::from_num_days_from_ce_opt(day).map(|d| d.year());
        self.fallback_in_table = match (year_of(self.table_start), year_of(table_end)) {
            _ if self.table.is_empty() => false,
            (Some(first), Some(last)) => (first.max(MIN_YEAR)..=last.min(MAX_YEAR))
                .filter(|&year| !self.years.contains(year))
                .flat_map(fixed_holidays)
                .map(|(date, _)| date.num_days_from_ce())
                .any(|day| self.table_start <= day && day < table_end),
            _ => true,
        };
    }

    fn fallback(&self) -> &[(i32, FixedHoliday)] {
        self.fallback.get_or_init(|| {
            (MIN_YEAR..=MAX_YEAR)
                .filter(|&year| !self.years.contains(year))
                .flat_map(fixed_holidays)
                .map(|(date, holiday)| (date.num_days_from_ce(), holiday))
                .collect()
        })
    }

    fn fallback_holiday(&self, day: i32) -> Option<FixedHoliday> {
        let fallback = self.fallback();
        fallback
            .binary_search_by_key(&day, |&(d, _)| d)
            .ok()
            .map(|i| fallback[i].1)
    }

    /// Records an override in the dense table, growing it at either end. Override dates come
    /// from `parse_date`, so the table spans at most the years 1900–2199.
    fn mark(&mut self, date: NaiveDate, kind: DayKind) {
        let day = date.num_days_from_ce();
        if self.table.is_empty() {
            self.table_start = day;
        } else if day < self.table_start {
            let shift = usize::try_from(self.table_start - day).unwrap_or_default();
            self.table.splice(0..0, std::iter::repeat_n(None, shift));
            self.table_start = day;
        }
        let index = usize::try_from(day - self.table_start).unwrap_or_default();
        if index >= self.table.len() {
            self.table.resize(index + 1, None);
        }
        self.table[index] = Some(kind);
    }

    /// The kind of the day with number `day` (`num_days_from_ce`): the notices' override
    /// (`Holiday` or `MakeUpWorkday`) if any, else a holiday the law fixes in a year without a
    /// notice, else by its weekday. In day numbers because deadline counting asks this for
    /// every day it walks.
    fn kind_of_day_number(&self, day: i32) -> DayKind {
        let in_table = usize::try_from(day - self.table_start)
            .ok()
            .and_then(|offset| self.table.get(offset));
        if let Some(&Some(kind)) = in_table {
            return kind;
        }
        // Inside the notices' table no fixed holiday lies unless a year in it lacks a notice,
        // so the common case skips the search.
        let may_be_fixed = in_table.is_none() || self.fallback_in_table;
        if may_be_fixed && self.fallback_holiday(day).is_some() {
            return DayKind::Holiday;
        }
        // Day 1 (0001-01-01, proleptic Gregorian) is a Monday.
        if (day - 1).rem_euclid(7) >= 5 {
            DayKind::Weekend
        } else {
            DayKind::Workday
        }
    }

    pub(crate) fn has_override(&self, date: NaiveDate) -> bool {
        self.override_of(date).is_some()
    }

    pub fn covered_years(&self) -> Vec<CoveredYear> {
        (self.years.0.iter())
            .map(|(year, notice)| CoveredYear {
                year: *year,
                notice: notice.clone(),
            })
            .collect()
    }

    /// Whether the published notices settle this date for certain.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.covered_span(date.year())
            .is_some_and(|(from, to)| from <= date && date <= to)
    }

    /// The days of `year` the notices settle: none without its notice; else up to the
    /// late-December days (which next year's notice may still change), or the whole year when
    /// next year is covered too.
    fn covered_span(&self, year: i32) -> Option<(NaiveDate, NaiveDate)> {
        if !self.years.contains(year) {
            return None;
        }
        let last_day = if self.years.contains(year + 1) {
            31
        } else {
            LATE_DECEMBER_DAY - 1
        };
        Some((
            NaiveDate::from_ymd_opt(year, 1, 1)?,
            NaiveDate::from_ymd_opt(year, 12, last_day)?,
        ))
    }

    pub fn day_kind(&self, date: NaiveDate) -> DayKind {
        self.kind_of_day_number(date.num_days_from_ce())
    }

    /// The holiday's name: from the notice, or the law's name in a year without a notice.
    pub fn holiday_name(&self, date: NaiveDate) -> Option<Text> {
        match self.override_of(date) {
            Some(Override::Holiday(name)) => Some(name.clone()),
            Some(Override::MakeUpWorkday(_)) => None,
            None => self
                .fallback_holiday(date.num_days_from_ce())
                .map(FixedHoliday::name),
        }
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.is_working_day_number(date.num_days_from_ce())
    }

    fn is_working_day_number(&self, day: i32) -> bool {
        matches!(
            self.kind_of_day_number(day),
            DayKind::Workday | DayKind::MakeUpWorkday
        )
    }

    /// Starts a computation that remembers whether it touched an uncovered date.
    pub fn reckoner(&self) -> Reckoner<'_> {
        Reckoner {
            calendar: self,
            provisional: false,
            covered: None,
        }
    }
}

/// An inclusive range of days during which the clock stops (特别程序, 行政许可法 §45).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Date arithmetic that records whether any date it looked at is not settled by a notice.
///
/// Counts in day numbers (days from the common era), not `NaiveDate`s: a deadline walks up to
/// thousands of days, and a day number is an index into the calendar's table and its weekday
/// one remainder away, where a date needs a year/ordinal split per step.
pub struct Reckoner<'a> {
    calendar: &'a Calendar,
    provisional: bool,
    /// The last covered stretch of days seen (day numbers, inclusive): counting day by day
    /// stays inside one for months, so `covered_span` runs once per stretch, not per day.
    covered: Option<(i32, i32)>,
}

/// Day number (`num_days_from_ce`) of the last day the engine computes with.
fn last_day_number() -> i32 {
    NaiveDate::from_ymd_opt(MAX_YEAR, 12, 31).map_or(i32::MAX, |d| d.num_days_from_ce())
}

fn from_day_number(day: i32) -> Result<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(day).ok_or_else(date_out_of_range)
}

impl Reckoner<'_> {
    pub fn provisional(&self) -> bool {
        self.provisional
    }

    fn is_working_day(&mut self, day: i32) -> Result<bool> {
        let known = self
            .covered
            .is_some_and(|(from, to)| from <= day && day <= to);
        if !known {
            let date = from_day_number(day)?;
            match self.calendar.covered_span(date.year()) {
                Some((from, to)) if from <= date && date <= to => {
                    self.covered = Some((from.num_days_from_ce(), to.num_days_from_ce()));
                }
                _ => self.provisional = true,
            }
        }
        Ok(self.calendar.is_working_day_number(day))
    }

    fn next_day(day: i32, last: i32) -> Result<i32> {
        if day >= last {
            return Err(date_out_of_range());
        }
        Ok(day + 1)
    }

    fn on_or_after(&mut self, mut day: i32, last: i32) -> Result<i32> {
        while !self.is_working_day(day)? {
            day = Self::next_day(day, last)?;
        }
        Ok(day)
    }

    /// The date itself if it is a working day, else the next working day.
    pub fn working_day_on_or_after(&mut self, date: NaiveDate) -> Result<NaiveDate> {
        let day = self.on_or_after(date.num_days_from_ce(), last_day_number())?;
        from_day_number(day)
    }

    /// The first working day strictly after `date`.
    pub fn working_day_after(&mut self, date: NaiveDate) -> Result<NaiveDate> {
        let last = last_day_number();
        let day = self.on_or_after(Self::next_day(date.num_days_from_ce(), last)?, last)?;
        from_day_number(day)
    }

    /// The working day `n` working days before `date` (`date` itself not counted): the day a
    /// reminder falls due when `date` is a due date.
    pub fn working_days_before(&mut self, date: NaiveDate, n: u32) -> Result<NaiveDate> {
        if i64::from(n) > MAX_DAYS {
            return Err(days_out_of_range(i64::from(n)));
        }
        let first = NaiveDate::from_ymd_opt(MIN_YEAR, 1, 1).map_or(0, |d| d.num_days_from_ce());
        let mut day = date.num_days_from_ce();
        let mut counted = 0;
        while counted < n {
            if day <= first {
                return Err(date_out_of_range());
            }
            day -= 1;
            if self.is_working_day(day)? {
                counted += 1;
            }
        }
        from_day_number(day)
    }

    /// The last day of a period of `limit` that starts on `start` (not counted, 民法典 §201),
    /// skipping paused days.
    pub fn due(
        &mut self,
        start: NaiveDate,
        limit: TimeLimit,
        pauses: &[Pause],
    ) -> Result<NaiveDate> {
        let days = i64::from(limit.value);
        if days > MAX_DAYS {
            return Err(days_out_of_range(days));
        }
        let pauses: Vec<(i32, i32)> = pauses
            .iter()
            .map(|p| (p.from.num_days_from_ce(), p.to.num_days_from_ce()))
            .collect();
        let paused = |d: i32| pauses.iter().any(|&(from, to)| from <= d && d <= to);
        let last = last_day_number();
        let start = start.num_days_from_ce();
        let due = match limit.unit {
            // 当场: decided on the acceptance day itself.
            LimitUnit::OnTheSpot => start,
            LimitUnit::WorkingDays => {
                let mut day = start;
                let mut counted = 0;
                while counted < days {
                    day = Self::next_day(day, last)?;
                    if !paused(day) && self.is_working_day(day)? {
                        counted += 1;
                    }
                }
                day
            }
            LimitUnit::NaturalDays => {
                let mut day = start;
                let mut counted = 0;
                while counted < days {
                    day = Self::next_day(day, last)?;
                    if !paused(day) {
                        counted += 1;
                    }
                }
                // 民法典 §203: a last day that is a rest day moves to the next working day.
                self.on_or_after(day, last)?
            }
        };
        from_day_number(due)
    }
}

pub(crate) fn date_out_of_range() -> Error {
    Error::new(
        ErrorCode::DateOutOfRange,
        format!("日期超出可计算范围（{MIN_YEAR}–{MAX_YEAR} 年）。"),
        format!("The date is outside the years the engine computes with ({MIN_YEAR}–{MAX_YEAR})."),
    )
}

pub(crate) fn days_out_of_range(days: i64) -> Error {
    Error::new(
        ErrorCode::DaysOutOfRange,
        format!("天数 {days} 超出范围，应为 0 至 {MAX_DAYS}。"),
        format!("The day count {days} is out of range; use 0 to {MAX_DAYS}."),
    )
}

/// Parses exactly `YYYY-MM-DD` (no other spellings: "2026-3-2" is an error, so every runtime
/// reads a date the same way).
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    let invalid = || {
        Error::new(
            ErrorCode::InvalidDate,
            format!(
                "“{}”不是有效日期，请使用 YYYY-MM-DD 格式，例如 2026-03-02。",
                clip(text)
            ),
            format!(
                "“{}” is not a valid date; use YYYY-MM-DD, e.g. 2026-03-02.",
                clip(text)
            ),
        )
    };
    let bytes = text.as_bytes();
    let well_formed = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !well_formed {
        return Err(invalid());
    }
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return Err(invalid());
    };
    let year = i32::try_from(year).map_err(|_| invalid())?;
    let date = NaiveDate::from_ymd_opt(year, month, day).ok_or_else(invalid)?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(date_out_of_range());
    }
    Ok(date)
}

/// Shortens echoed input so an error message stays readable (40 characters and an ellipsis): the
/// engine's messages and the server's quote a caller's value through it.
pub fn clip(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(MAX).collect();
        short.push('…');
        short
    }
}

pub fn format_date(date: NaiveDate) -> String {
    let mut text = String::with_capacity(10);
    push_date(&mut text, date);
    text
}

/// An instant as chrono's `%Y-%m-%dT%H:%M:%S%:z` prints it (the verdict's `received_at`).
pub fn format_instant(instant: &chrono::DateTime<chrono::FixedOffset>) -> String {
    use chrono::Timelike;
    let mut text = String::with_capacity(25);
    push_date(&mut text, instant.date_naive());
    text.push('T');
    push_digits(&mut text, instant.hour(), 2);
    text.push(':');
    push_digits(&mut text, instant.minute(), 2);
    text.push(':');
    // A leap second (23:59:60) is held as nanoseconds past 10^9, as chrono prints it.
    let leap = u32::from(instant.nanosecond() >= 1_000_000_000);
    push_digits(&mut text, instant.second() + leap, 2);
    let offset = instant.offset().local_minus_utc();
    text.push(if offset < 0 { '-' } else { '+' });
    let minutes = offset.unsigned_abs() / 60;
    push_digits(&mut text, minutes / 60, 2);
    text.push(':');
    push_digits(&mut text, minutes % 60, 2);
    text
}

/// `value` in exactly `width` decimal digits.
///
/// Digit by digit rather than through `write!`: core::fmt's dynamic dispatch and padding were
/// ~5% of a wasm `deadline` call, and chrono's `format` re-reads its format string each call.
fn push_digits(text: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        text.push(char::from(b'0' + (value / 10u32.pow(place) % 10) as u8));
    }
}

/// The same text as chrono's `%Y-%m-%d` (four digits, no sign for years 0–9999, which hold
/// every year the engine computes with; a sign and at least four digits outside them), without
/// chrono's format-string interpreter in the module.
fn push_date(text: &mut String, date: NaiveDate) {
    let year = date.year();
    // Outside 0–9999 chrono writes a sign and at least four digits (`{:+05}`).
    if year < 0 {
        text.push('-');
    } else if year > 9999 {
        text.push('+');
    }
    let year = year.unsigned_abs();
    let width = if year > 99_999 {
        6
    } else if year > 9999 {
        5
    } else {
        4
    };
    push_digits(text, year, width);
    text.push('-');
    push_digits(text, date.month(), 2);
    text.push('-');
    push_digits(text, date.day(), 2);
}

/// The answer of `qiquan deadline`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct DeadlineAnswer {
    pub from: String,
    pub days: i64,
    pub unit: LimitUnit,
    pub due: String,
    pub provisional: bool,
}

impl Calendar {
    /// `from` + `days` in `unit` ("working" / "natural" or the rule-file spellings).
    pub fn deadline(&self, from: &str, days: i64, unit: &str) -> Result<DeadlineAnswer> {
        let start = parse_date(from)?;
        if !(0..=MAX_DAYS).contains(&days) {
            return Err(days_out_of_range(days));
        }
        let unit = match unit {
            "working" | "working_days" => LimitUnit::WorkingDays,
            "natural" | "natural_days" => LimitUnit::NaturalDays,
            _ => {
                return Err(Error::new(
                    ErrorCode::InvalidUnit,
                    format!(
                        "单位“{}”无效，请使用 working（工作日）或 natural（自然日）。",
                        clip(unit)
                    ),
                    format!("Unknown unit “{}”; use working or natural.", clip(unit)),
                ));
            }
        };
        let mut reckoner = self.reckoner();
        let limit = TimeLimit {
            value: u32::try_from(days).map_err(|_| days_out_of_range(days))?,
            unit,
        };
        let due = reckoner.due(start, limit, &[])?;
        Ok(DeadlineAnswer {
            from: format_date(start),
            days,
            unit,
            due: format_date(due),
            provisional: reckoner.provisional() || !self.covers(start),
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Datelike, Days, NaiveDate};

    /// `format_date` prints what chrono's `%Y-%m-%d` does, for every year.
    #[test]
    fn format_date_matches_chrono() {
        let mut date = NaiveDate::from_ymd_opt(-20, 1, 1).unwrap();
        while date.year() <= 10_020 {
            assert_eq!(
                super::format_date(date),
                date.format("%Y-%m-%d").to_string()
            );
            date = date + Days::new(if (0..3).contains(&date.year()) { 1 } else { 37 });
        }
    }

    /// `format_instant` prints what chrono's RFC 3339 format string does, leap second included.
    #[test]
    fn format_instant_matches_chrono() {
        let mut texts = vec![
            "2016-12-31T23:59:60+08:00".to_string(),
            "2026-01-01T00:00:00+08:00".to_string(),
            "2026-06-30T12:34:56.789-05:30".to_string(),
            "0003-02-03T04:05:06Z".to_string(),
        ];
        for hour in 0..24 {
            texts.push(format!(
                "2026-09-28T{hour:02}:{:02}:{:02}+08:00",
                hour * 2,
                59 - hour
            ));
        }
        for text in texts {
            let instant = chrono::DateTime::parse_from_rfc3339(&text).unwrap();
            assert_eq!(
                super::format_instant(&instant),
                instant.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                "{text}"
            );
        }
    }

    /// The reckoner counts in day numbers; this is the same count written plainly with dates
    /// and `Calendar::is_working_day`, to hold it to.
    fn plain_due(
        calendar: &super::Calendar,
        start: NaiveDate,
        limit: crate::model::TimeLimit,
        pauses: &[super::Pause],
    ) -> Option<(NaiveDate, bool)> {
        use crate::model::LimitUnit;
        let mut provisional = false;
        let mut working = |d: NaiveDate| {
            provisional |= !calendar.covers(d);
            calendar.is_working_day(d)
        };
        let paused = |d: NaiveDate| pauses.iter().any(|p| p.from <= d && d <= p.to);
        let next = |d: NaiveDate| {
            d.checked_add_days(Days::new(1))
                .filter(|d| d.year() <= super::MAX_YEAR)
        };
        let mut day = start;
        let mut counted = 0;
        match limit.unit {
            LimitUnit::OnTheSpot => {}
            LimitUnit::WorkingDays => {
                while counted < limit.value {
                    day = next(day)?;
                    if !paused(day) && working(day) {
                        counted += 1;
                    }
                }
            }
            LimitUnit::NaturalDays => {
                while counted < limit.value {
                    day = next(day)?;
                    if !paused(day) {
                        counted += 1;
                    }
                }
                while !working(day) {
                    day = next(day)?;
                }
            }
        }
        Some((day, provisional))
    }

    /// Every start day 2018–2028 (covered, late-December and uncovered years), both units, with
    /// and without a pause, and the last years the engine computes with.
    #[test]
    fn reckoner_agrees_with_plain_date_counting() {
        use crate::model::{LimitUnit, TimeLimit};
        let engine = crate::Engine::embedded().expect("embedded rules");
        let calendar = engine.bundle.calendar();
        let pause = super::Pause {
            from: NaiveDate::from_ymd_opt(2024, 9, 25).unwrap(),
            to: NaiveDate::from_ymd_opt(2024, 10, 12).unwrap(),
        };
        let mut starts: Vec<NaiveDate> = Vec::new();
        let mut date = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
        while date.year() < 2029 {
            starts.push(date);
            date = date + Days::new(1);
        }
        starts.push(NaiveDate::from_ymd_opt(super::MAX_YEAR, 12, 20).unwrap());
        starts.push(NaiveDate::from_ymd_opt(super::MAX_YEAR, 12, 31).unwrap());
        for (i, &start) in starts.iter().enumerate() {
            let value = [0, 1, 5, 20, 60][i % 5];
            for unit in [
                LimitUnit::WorkingDays,
                LimitUnit::NaturalDays,
                LimitUnit::OnTheSpot,
            ] {
                let limit = TimeLimit { value, unit };
                for pauses in [&[][..], &[pause][..]] {
                    let mut reckoner = calendar.reckoner();
                    let got = reckoner
                        .due(start, limit, pauses)
                        .ok()
                        .map(|due| (due, reckoner.provisional()));
                    assert_eq!(
                        got,
                        plain_due(calendar, start, limit, pauses),
                        "{start} + {value} {unit:?}, pauses {pauses:?}"
                    );
                }
            }
        }
    }

    /// A year without a notice between two with one lies inside the dense table: its fixed
    /// holidays still count there, and the notices' years get none of the fallback.
    #[test]
    fn a_gap_year_inside_the_table_gets_its_fixed_holidays() {
        let text = |s: &str| crate::model::Text {
            zh: s.into(),
            en: s.into(),
        };
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let mut calendar = super::Calendar::default();
        calendar.add_year(2024, "2024".into());
        calendar.add_holiday(ymd(2024, 1, 1), text("元旦"));
        calendar.add_year(2026, "2026".into());
        calendar.add_holiday(ymd(2026, 12, 31), text("test"));
        calendar.finish();
        assert!(calendar.fallback_in_table);
        // 2025: 元旦 (Wed), 除夕 01-28 (Tue), 劳动节 05-02 (Fri), 国庆 10-03 (Fri).
        for date in [
            ymd(2025, 1, 1),
            ymd(2025, 1, 28),
            ymd(2025, 5, 2),
            ymd(2025, 10, 3),
        ] {
            assert_eq!(calendar.day_kind(date), super::DayKind::Holiday, "{date}");
            assert!(calendar.holiday_name(date).is_some());
        }
        // The notices' own years are theirs alone: 2024-10-01 and 2026-01-01 are not listed.
        assert_eq!(calendar.day_kind(ymd(2024, 10, 1)), super::DayKind::Workday);
        assert_eq!(calendar.day_kind(ymd(2026, 1, 1)), super::DayKind::Workday);
        // After the table: 2027-01-01 (Fri) again.
        assert_eq!(calendar.day_kind(ymd(2027, 1, 1)), super::DayKind::Holiday);
        assert_eq!(calendar.day_kind(ymd(2027, 1, 4)), super::DayKind::Workday);
    }

    /// The reckoner's cached stretches agree with `covers` on every day around the embedded
    /// years (including the late-December days of a last covered year).
    #[test]
    fn covered_span_agrees_with_covers() {
        let engine = crate::Engine::embedded().expect("embedded rules");
        let calendar = engine.bundle.calendar();
        let mut date = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
        while date.year() < 2035 {
            if calendar.covers(date) {
                let (from, to) = calendar.covered_span(date.year()).expect("a span");
                assert!(from <= date && date <= to, "{date} outside its span");
                assert!(
                    calendar.covers(from) && calendar.covers(to),
                    "{date}: {from}..{to}"
                );
                // A span ends where coverage does, or at the end of a year.
                assert!(!calendar.covers(to + Days::new(1)) || (to.month(), to.day()) == (12, 31));
            }
            date = date + Days::new(1);
        }
    }
}
