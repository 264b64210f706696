//! Calendar files: one year's State Council notice, checked (dates in range, no date twice,
//! make-up days on weekends) and added to the calendar.

use chrono::{Datelike, NaiveDate, Weekday};

use super::LintCode;
use super::report::{Reporter, both};
use crate::calendar::{Calendar, Years, parse_date};
use crate::model::{CalendarFile, Text};

pub(super) fn compile_calendar(
    reporter: &mut Reporter<'_>,
    file: CalendarFile,
    calendar: &mut Calendar,
    years: &mut Years,
) {
    let before = reporter.out.len();
    super::formats::check_format_value(reporter, file.format, super::formats::CALENDAR_FORMAT_MAX);
    let year = file.year;
    if let Some(other) = years.get(year) {
        reporter.at(
            "/year",
            LintCode::DuplicateCalendarYear,
            format!("{year} 年已在 {other} 中定义 / year {year} is already defined in {other}"),
        );
        return;
    }
    years.insert(year, reporter.source.path.clone());
    let first = year
        .checked_sub(1)
        .and_then(|before| NaiveDate::from_ymd_opt(before, 12, 1));
    let last = NaiveDate::from_ymd_opt(year, 12, 31);
    let (Some(first), Some(last)) = (first, last) else {
        reporter.at(
            "/year",
            LintCode::InvalidValue,
            format!("年份 {year} 无效 / invalid year {year}"),
        );
        return;
    };
    let notice = Notice { year, first, last };
    let mut seen = Vec::new();
    let holidays = holidays(reporter, &file, &notice, &mut seen);
    let workdays = make_up_workdays(reporter, &file, &notice, &mut seen);
    // A date may not be defined by two notices (e.g. late December in both years' files).
    let dates = holidays
        .iter()
        .map(|(d, _)| *d)
        .chain(workdays.iter().map(|(d, _)| *d));
    for date in dates {
        if calendar.has_override(date) {
            reporter.at("/year", LintCode::CalendarConflict, format!("{date} 已在另一年的通知中定义 / {date} is already defined by another year's notice"));
        }
    }
    if reporter.errors_since(before) {
        return;
    }
    calendar.add_year(year, file.notice);
    for (date, name) in holidays {
        calendar.add_holiday(date, name);
    }
    for (date, holiday) in workdays {
        calendar.add_make_up_workday(date, holiday);
    }
}

/// The dates one year's notice may define: 1 December of the year before to 31 December.
struct Notice {
    year: i32,
    first: NaiveDate,
    last: NaiveDate,
}

impl Notice {
    fn in_year(&self, reporter: &mut Reporter<'_>, pointer: &str, text: &str) -> Option<NaiveDate> {
        let (year, first, last) = (self.year, self.first, self.last);
        match parse_date(text) {
            Ok(date) if first <= date && date <= last => Some(date),
            Ok(_) => {
                reporter.at(pointer, LintCode::CalendarDateOutsideYear, format!("{text} 不在 {year} 年通知的范围内（上年 12 月 1 日至本年 12 月 31 日）：请核对年份，或移到该日期所属年份的文件 / {text} is outside the {year} notice's range (1 December of the year before to 31 December): check the year, or move it to the file of the year it belongs to"));
                None
            }
            Err(e) => {
                reporter.at(pointer, LintCode::InvalidDate, both(&e.message));
                None
            }
        }
    }
}

/// The holidays' days, each with its holiday's name; no day twice, no holiday over 31 days.
fn holidays(
    reporter: &mut Reporter<'_>,
    file: &CalendarFile,
    notice: &Notice,
    seen: &mut Vec<NaiveDate>,
) -> Vec<(NaiveDate, Text)> {
    let mut holidays = Vec::new();
    for (i, holiday) in file.holidays.iter().enumerate() {
        let at = format!("/holidays/{i}");
        let from = notice.in_year(reporter, &format!("{at}/from"), &holiday.from);
        let to = notice.in_year(reporter, &format!("{at}/to"), &holiday.to);
        let (Some(from), Some(to)) = (from, to) else {
            continue;
        };
        if to < from || (to - from).num_days() > 31 {
            reporter.at(&at, LintCode::InvalidRange, "假期的 to 早于 from 或超过 31 天 / holiday ends before it starts or lasts over 31 days".into());
            continue;
        }
        for date in from.iter_days().take_while(|d| *d <= to) {
            if !first_time(seen, date) {
                reporter.at(
                    &at,
                    LintCode::CalendarConflict,
                    format!("{date} 重复出现 / {date} is listed twice"),
                );
            }
            holidays.push((date, holiday.name.clone()));
        }
    }
    holidays
}

/// The make-up working days (调休): weekend days, none listed twice.
fn make_up_workdays(
    reporter: &mut Reporter<'_>,
    file: &CalendarFile,
    notice: &Notice,
    seen: &mut Vec<NaiveDate>,
) -> Vec<(NaiveDate, String)> {
    let mut workdays = Vec::new();
    for (i, day) in file.make_up_workdays.iter().enumerate() {
        let at = format!("/make_up_workdays/{i}/date");
        let Some(date) = notice.in_year(reporter, &at, &day.date) else {
            continue;
        };
        if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            reporter.at(&at, LintCode::MakeUpNotWeekend, format!("调休上班日 {date} 不是周末 / make-up working day {date} is not a Saturday or Sunday"));
        }
        if !first_time(seen, date) {
            reporter.at(
                &at,
                LintCode::CalendarConflict,
                format!("{date} 既是假日又是调休上班日，或重复出现 / {date} is listed twice"),
            );
        }
        workdays.push((date, day.for_holiday.clone()));
    }
    workdays
}

/// Whether `date` is new to `seen` (then added). A year's notice lists a few dozen days: a scan,
/// not a hash table instance for dates in the page module.
fn first_time(seen: &mut Vec<NaiveDate>, date: NaiveDate) -> bool {
    let new = !seen.contains(&date);
    if new {
        seen.push(date);
    }
    new
}
