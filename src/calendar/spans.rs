//! How long a run of working days can last on a calendar, and how many working days a run of
//! calendar days can hold: what lint needs to say that one limit surely ends after another in a
//! different unit (issue 24, defect 10). Computed on the bundle's own calendar — the State
//! Council's notices where they exist, the holidays the law fixes (`fixed_holidays`) beyond —
//! for the start days a matter version can see (its `effective_from` to `effective_until`).
//! Lint only (feature `whole`).

use chrono::{Datelike, NaiveDate};

use super::{Calendar, MAX_YEAR, MIN_YEAR};

/// Every working day of the calendar from `MIN_YEAR` to `MAX_YEAR`, as day numbers
/// (`num_days_from_ce`), ascending.
#[derive(Debug, Clone)]
pub struct WorkingDayRuns {
    days: Vec<i32>,
}

impl WorkingDayRuns {
    pub fn of(calendar: &Calendar) -> Self {
        let first = NaiveDate::from_ymd_opt(MIN_YEAR, 1, 1).map_or(0, |d| d.num_days_from_ce());
        let last = NaiveDate::from_ymd_opt(MAX_YEAR, 12, 31).map_or(0, |d| d.num_days_from_ce());
        let days = (first..=last)
            .filter(|&day| calendar.is_working_day_number(day))
            .collect();
        WorkingDayRuns { days }
    }

    /// The index of the first working day on or after `day`.
    fn index_from(&self, day: i32) -> usize {
        self.days.partition_point(|&d| d < day)
    }

    /// The most calendar days `n` working days take from a start day in `from..=until` (the
    /// start day not counted, 民法典 §201): the n-th working day after the start is at most this
    /// many days later. `None` when no start day in the range has `n` working days after it
    /// on the calendar.
    pub fn longest_span(&self, n: u32, from: NaiveDate, until: NaiveDate) -> Option<u64> {
        let n = usize::try_from(n).ok()?;
        if n == 0 {
            return Some(0);
        }
        let (from, until) = (from.num_days_from_ce(), until.num_days_from_ce());
        // From a start day s with days[j] <= s < days[j + 1], the n-th working day after s is
        // days[j + n]; the span is longest from the earliest such s in range.
        let first = self.days.partition_point(|&d| d <= from).checked_sub(1);
        let mut longest = None;
        // The start days before the first working day in range count from `from` itself.
        let mut j = first.unwrap_or(0);
        loop {
            let start = match first {
                Some(f) if j == f => from,
                _ => match self.days.get(j) {
                    Some(&d) if d <= until => d,
                    _ => break,
                },
            };
            let Some(&due) = self.days.get(j + n) else {
                break;
            };
            let span = u64::try_from(due - start).unwrap_or(0);
            longest = Some(longest.map_or(span, |l: u64| l.max(span)));
            j += 1;
        }
        longest
    }

    /// The most working days that `len` consecutive calendar days hold, for windows starting
    /// in `from..=until`.
    pub fn most_working_days(&self, len: u32, from: NaiveDate, until: NaiveDate) -> u64 {
        let Ok(len) = i32::try_from(len) else {
            return u64::from(len);
        };
        if len == 0 {
            return 0;
        }
        let (from, until) = (from.num_days_from_ce(), until.num_days_from_ce());
        // A fullest window starts on a working day (or at `from`).
        let mut most = self.count_in(from, len);
        for &day in &self.days[self.index_from(from)..] {
            if day > until {
                break;
            }
            most = most.max(self.count_in(day, len));
        }
        u64::try_from(most).unwrap_or(0)
    }

    /// The working days in `start..start + len`.
    fn count_in(&self, start: i32, len: i32) -> usize {
        self.index_from(start.saturating_add(len)) - self.index_from(start)
    }
}
