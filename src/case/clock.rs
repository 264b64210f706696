//! The case clock: `case_clock(events, as_of)` replays a case's events through [`step`] and
//! reckons its dues on the verdict's calendar — the promised, statutory and extended dues after
//! pauses (§45 特别程序, 中止) and an extension (§42), the working days left, each step's own
//! limit, and the 电子监察 lamp. Events after `as_of` have not happened yet and are ignored, so
//! the same record read on another day gives that day's lamp.

use chrono::NaiveDate;
use serde::Serialize;

use super::{
    CaseEvent, CaseRecord, CaseStage, PledgeGate, PledgeStanding, SpecialProcedure, StepFacts,
    StepRefusal, step,
};
use crate::calendar::{Calendar, Pause, Reckoner, format_date, parse_date};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{ClockStart, LimitUnit, Text, TimeLimit};

/// 行政许可法 §44: served within 10 days of the decision.
pub const SERVICE_DAYS: u32 = 10;
/// §47: a hearing is requested within 5 days of being told of the right.
pub const HEARING_REQUEST_DAYS: u32 = 5;
/// §47: held within 20 days of the request.
pub const HEARING_HELD_DAYS: u32 = 20;
/// §48(1): the time and place notified 7 days before.
pub const HEARING_NOTICE_DAYS: u32 = 7;
/// The yellow lamp's default reach: one working day before the promised due.
pub const DEFAULT_WARNING_DAYS: u32 = 1;

/// What the clock needs of the matter and the centre.
#[derive(Debug, Clone, Copy)]
pub struct CaseTerms {
    pub promised: TimeLimit,
    pub statutory: TimeLimit,
    pub extension: Option<TimeLimit>,
    /// The promised clock waits for the pledged materials (补办件).
    pub promised_start: ClockStart,
    /// Yellow within this many working days of the due (centre profile; default 1).
    pub warning_days: u32,
    pub gate: PledgeGate,
}

/// What `caseClock` and `Engine::case_clock_json` read.
#[derive(Debug, Clone, serde::Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct CaseClockInput {
    pub matter: String,
    pub events: Vec<CaseRecord>,
    pub as_of: String,
}

/// The 电子监察 lamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Lamp {
    /// On time, more than the warning reach from the due.
    Green,
    /// 预警: within the warning reach of the due.
    Yellow,
    /// 超期: the due, or a step's own limit, has passed.
    Red,
    /// The clock stands (特别程序, 中止).
    Paused,
    /// Decided and served, closed or terminated: nothing runs.
    Off,
}

impl Lamp {
    pub fn label(self) -> Text {
        let (zh, en) = match self {
            Self::Green => ("正常", "on time"),
            Self::Yellow => ("预警", "due soon"),
            Self::Red => ("超期", "overdue"),
            Self::Paused => ("暂停计时", "clock stopped"),
            Self::Off => ("已结束", "finished"),
        };
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// Which due the lamp measures against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum DueBasis {
    /// 承诺办结时限.
    Promised,
    /// 法定办结时限 (the promised clock waits for pledged materials).
    Statutory,
    /// 法定时限延长后 (§42).
    Extended,
}

/// A step with a limit of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// §44: serve the decision.
    Service,
    /// §47: the applicant may request a hearing.
    HearingRequest,
    /// §47: hold the hearing.
    HearingHeld,
    /// §48(1): notify its time and place.
    HearingNotice,
}

impl StepKind {
    pub fn label(self) -> Text {
        let (zh, en) = match self {
            Self::Service => ("送达决定", "serve the decision"),
            Self::HearingRequest => ("申请听证", "request a hearing"),
            Self::HearingHeld => ("组织听证", "hold the hearing"),
            Self::HearingNotice => ("听证通知", "notify the hearing"),
        };
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The article.
    pub fn basis(self) -> &'static str {
        match self {
            Self::Service => "《中华人民共和国行政许可法》第四十四条",
            Self::HearingRequest | Self::HearingHeld => "《中华人民共和国行政许可法》第四十七条",
            Self::HearingNotice => "《中华人民共和国行政许可法》第四十八条第一款第（一）项",
        }
    }
}

/// A step's own limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct StepLimit {
    pub step: StepKind,
    pub due: String,
    /// Working days from `as_of` to `due`; negative when overdue.
    pub working_days_left: i64,
    pub basis: &'static str,
}

/// A pause from the day it started (`from`, still counted) to the day it ended (`to`, not
/// counted; null while it stands): the clock stands on the days after `from` through `to`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct PauseSpan {
    pub from: String,
    pub to: Option<String>,
    /// The §45 procedure, or null for 中止.
    pub procedure: Option<SpecialProcedure>,
    /// The day the procedure was planned to end (`planned_days` working days).
    pub planned_end: Option<String>,
}

/// The case clock on `as_of`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct CaseClock {
    pub as_of: String,
    pub stage: CaseStage,
    pub assignee: Option<String>,
    pub pledge: PledgeStanding,
    pub accepted_on: String,
    /// Null while the promised clock waits for pledged materials.
    pub promised_due: Option<String>,
    pub statutory_due: String,
    /// After an approved extension (§42).
    pub extended_due: Option<String>,
    /// The due the lamp measures against, and which one it is.
    pub due: String,
    pub due_basis: DueBasis,
    /// Working days from `as_of` to `due` (paused days not counted); negative when overdue.
    pub working_days_left: i64,
    /// Working days the clock stood.
    pub paused_days: u32,
    pub pauses: Vec<PauseSpan>,
    /// The current step's own limits (送达, a hearing's).
    pub limits: Vec<StepLimit>,
    pub lamp: Lamp,
    pub decided_on: Option<String>,
    pub granted: Option<bool>,
    pub served_on: Option<String>,
    pub closed_on: Option<String>,
    /// Decided by `due` (按期办结).
    pub on_time: Option<bool>,
    /// Decided before the promised due (提前办结).
    pub early: Option<bool>,
    /// Working days from acceptance to the decision, paused days not counted.
    pub working_days_used: Option<u32>,
    /// A date lies in a year the calendar does not cover.
    pub provisional: bool,
}

/// An event the case cannot take: which one (0-based), when, and why.
pub fn refused_event(index: usize, record: &CaseRecord, refusal: StepRefusal) -> Error {
    let message = refusal.message();
    Error::new(
        ErrorCode::InvalidCaseEvent,
        format!(
            "第 {} 个事件（{} {}）不能记录：{}",
            index + 1,
            record.on,
            record.event.name(),
            message.zh
        ),
        format!(
            "Event {} ({} {}) cannot be recorded: {}",
            index + 1,
            record.on,
            record.event.name(),
            message.en
        ),
    )
    .detail(refusal.code().to_string())
}

/// Replays the events (in order, none before the previous) up to `as_of` and reckons the clock.
pub fn case_clock(
    calendar: &Calendar,
    terms: &CaseTerms,
    records: &[CaseRecord],
    as_of: &str,
) -> Result<CaseClock> {
    let as_of_day = parse_date(as_of)?;
    let mut reckoner = calendar.reckoner();
    let mut replay = Replay::default();
    let mut previous: Option<NaiveDate> = None;
    for (index, record) in records.iter().enumerate() {
        let on = parse_date(&record.on)?;
        if previous.is_some_and(|p| on < p) {
            return Err(refused_event(index, record, StepRefusal::WrongStage)
                .detail("out_of_order".to_string()));
        }
        previous = Some(on);
        if on > as_of_day {
            break;
        }
        let facts = replay.facts(&mut reckoner, terms, on)?;
        let (stage, _effects) = step(replay.stage, &record.event, &facts)
            .map_err(|refusal| refused_event(index, record, refusal))?;
        replay.apply(on, &record.event, stage);
    }
    let Some(accepted_on) = replay.accepted_on else {
        return Err(Error::new(
            ErrorCode::InvalidCaseEvent,
            "案件记录中没有受理事件，或受理日期晚于所查询的日期。",
            "The case has no acceptance on or before the day asked about.",
        ));
    };
    replay.clock(&mut reckoner, terms, accepted_on, as_of_day)
}

/// What the replay has seen so far.
#[derive(Default)]
struct Replay {
    stage: CaseStage,
    accepted_on: Option<NaiveDate>,
    assignee: Option<String>,
    pledge: PledgeStanding,
    pledge_kept_on: Option<NaiveDate>,
    extended: bool,
    /// Closed pauses, and the open one's start.
    pauses: Vec<(NaiveDate, NaiveDate, Option<SpecialProcedure>, Option<u32>)>,
    open_pause: Option<(NaiveDate, Option<SpecialProcedure>, Option<u32>)>,
    hearing_offered_on: Option<NaiveDate>,
    hearing_on: Option<NaiveDate>,
    decided_on: Option<NaiveDate>,
    granted: Option<bool>,
    served_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
}

impl Replay {
    /// The days not counted: the day a pause starts still counts, the clock stands from the next
    /// day through the day it ends, and counting resumes the day after (as a period's first day
    /// is the day after its start, 民法典 §201). An open pause stands through `through`.
    fn pause_list(&self, through: NaiveDate) -> Vec<Pause> {
        let open = self
            .open_pause
            .map(|(from, _, _)| (from, through.max(from)));
        self.pauses
            .iter()
            .map(|&(from, to, _, _)| (from, to))
            .chain(open)
            .filter_map(|(from, to)| {
                let first = from.succ_opt()?;
                (first <= to).then_some(Pause { from: first, to })
            })
            .collect()
    }

    fn facts(
        &self,
        reckoner: &mut Reckoner<'_>,
        terms: &CaseTerms,
        on: NaiveDate,
    ) -> Result<StepFacts> {
        let past_statutory_due = match self.accepted_on {
            Some(accepted) => on > reckoner.due(accepted, terms.statutory, &self.pause_list(on))?,
            None => false,
        };
        Ok(StepFacts {
            pledge: self.pledge,
            gate: terms.gate,
            extension_allowed: terms.extension.is_some(),
            extended: self.extended,
            past_statutory_due,
        })
    }

    fn apply(&mut self, on: NaiveDate, event: &CaseEvent, stage: CaseStage) {
        match event {
            CaseEvent::Accepted { pledged } => {
                self.accepted_on = Some(on);
                if *pledged {
                    self.pledge = PledgeStanding::Outstanding;
                }
            }
            CaseEvent::ReviewStarted { assignee } => self.assignee = Some(assignee.clone()),
            CaseEvent::HearingOffered => self.hearing_offered_on = Some(on),
            CaseEvent::SpecialStarted {
                procedure,
                planned_days,
                hearing_on,
                ..
            } => {
                self.open_pause = Some((on, Some(*procedure), Some(*planned_days)));
                self.hearing_on = hearing_on.as_deref().and_then(|d| parse_date(d).ok());
            }
            CaseEvent::PledgeSuspended => self.open_pause = Some((on, None, None)),
            CaseEvent::SpecialEnded | CaseEvent::PledgeResumed | CaseEvent::PledgeTerminated => {
                if let Some((from, procedure, planned)) = self.open_pause.take() {
                    self.pauses.push((from, on, procedure, planned));
                }
            }
            CaseEvent::Extended { .. } => self.extended = true,
            CaseEvent::PledgeKept => {
                self.pledge = PledgeStanding::Kept;
                self.pledge_kept_on = Some(on);
            }
            CaseEvent::Decided { granted, .. } => {
                self.decided_on = Some(on);
                self.granted = Some(*granted);
            }
            CaseEvent::Served { .. } => self.served_on = Some(on),
            CaseEvent::Closed => self.closed_on = Some(on),
        }
        self.stage = stage;
    }

    fn clock(
        &self,
        reckoner: &mut Reckoner<'_>,
        terms: &CaseTerms,
        accepted_on: NaiveDate,
        as_of: NaiveDate,
    ) -> Result<CaseClock> {
        let pauses = self.pause_list(as_of);
        let statutory_due = reckoner.due(accepted_on, terms.statutory, &pauses)?;
        let extended_due = match (self.extended, terms.extension) {
            (true, Some(extension)) => Some(extend(
                reckoner,
                accepted_on,
                statutory_due,
                terms.statutory,
                extension,
                &pauses,
            )?),
            _ => None,
        };
        let promised_from = match terms.promised_start {
            ClockStart::Acceptance => Some(accepted_on),
            ClockStart::MaterialsComplete if self.pledge == PledgeStanding::Outstanding => None,
            ClockStart::MaterialsComplete => Some(self.pledge_kept_on.unwrap_or(accepted_on)),
        };
        let promised_due = match promised_from {
            Some(from) => Some(reckoner.due(from, terms.promised, &pauses)?),
            None => None,
        };
        let (due, due_basis) = match (extended_due, promised_due) {
            (Some(extended), _) => (extended, DueBasis::Extended),
            (None, Some(promised)) => (promised, DueBasis::Promised),
            (None, None) => (statutory_due, DueBasis::Statutory),
        };
        let working_days_left = working_days_between(reckoner, as_of, due, &pauses)?;
        let limits = self.limits(reckoner, as_of)?;
        let paused_days = pauses
            .iter()
            .map(|p| working_days_in(reckoner, p.from, p.to))
            .sum::<Result<u32>>()?;
        let decided = self.decided_on;
        let working_days_used = match decided {
            Some(day) => Some(
                u32::try_from(working_days_between(reckoner, accepted_on, day, &pauses)?)
                    .unwrap_or(0),
            ),
            None => None,
        };
        let lamp = self.lamp(terms, working_days_left, &limits);
        Ok(CaseClock {
            as_of: format_date(as_of),
            stage: self.stage,
            assignee: self.assignee.clone(),
            pledge: self.pledge,
            accepted_on: format_date(accepted_on),
            promised_due: promised_due.map(format_date),
            statutory_due: format_date(statutory_due),
            extended_due: extended_due.map(format_date),
            due: format_date(due),
            due_basis,
            working_days_left,
            paused_days,
            pauses: self.spans(reckoner)?,
            limits,
            lamp,
            decided_on: decided.map(format_date),
            granted: self.granted,
            served_on: self.served_on.map(format_date),
            closed_on: self.closed_on.map(format_date),
            on_time: decided.map(|d| d <= due),
            early: decided.and_then(|d| promised_due.map(|p| d < p)),
            working_days_used,
            provisional: reckoner.provisional(),
        })
    }

    fn lamp(&self, terms: &CaseTerms, left: i64, limits: &[StepLimit]) -> Lamp {
        let step_overdue = limits.iter().any(|l| l.working_days_left < 0);
        match self.stage {
            CaseStage::SpecialProcedure if step_overdue => Lamp::Red,
            CaseStage::SpecialProcedure | CaseStage::Suspended => Lamp::Paused,
            CaseStage::Granted | CaseStage::Denied if step_overdue => Lamp::Red,
            CaseStage::Granted | CaseStage::Denied => Lamp::Green,
            s if s.decided() || s.finished() => Lamp::Off,
            _ if left < 0 || step_overdue => Lamp::Red,
            _ if left <= i64::from(terms.warning_days) => Lamp::Yellow,
            _ => Lamp::Green,
        }
    }

    /// The current step's own limits.
    fn limits(&self, reckoner: &mut Reckoner<'_>, as_of: NaiveDate) -> Result<Vec<StepLimit>> {
        let working = |value| TimeLimit {
            value,
            unit: LimitUnit::WorkingDays,
        };
        let mut dues: Vec<(StepKind, NaiveDate)> = Vec::new();
        match self.stage {
            CaseStage::Granted | CaseStage::Denied => {
                if let Some(decided) = self.decided_on {
                    dues.push((
                        StepKind::Service,
                        reckoner.due(decided, working(SERVICE_DAYS), &[])?,
                    ));
                }
            }
            CaseStage::SpecialProcedure => {
                if let Some((from, Some(SpecialProcedure::Hearing), _)) = self.open_pause {
                    dues.push((
                        StepKind::HearingHeld,
                        reckoner.due(from, working(HEARING_HELD_DAYS), &[])?,
                    ));
                    if let Some(hearing) = self.hearing_on {
                        dues.push((
                            StepKind::HearingNotice,
                            reckoner.working_days_before(hearing, HEARING_NOTICE_DAYS)?,
                        ));
                    }
                }
            }
            CaseStage::Accepted | CaseStage::Reviewing => {
                if let Some(offered) = self.hearing_offered_on {
                    dues.push((
                        StepKind::HearingRequest,
                        reckoner.due(offered, working(HEARING_REQUEST_DAYS), &[])?,
                    ));
                }
            }
            _ => {}
        }
        dues.into_iter()
            .map(|(step, due)| {
                Ok(StepLimit {
                    step,
                    due: format_date(due),
                    working_days_left: working_days_between(reckoner, as_of, due, &[])?,
                    basis: step.basis(),
                })
            })
            .collect()
    }

    fn spans(&self, reckoner: &mut Reckoner<'_>) -> Result<Vec<PauseSpan>> {
        let planned = |reckoner: &mut Reckoner<'_>,
                       from: NaiveDate,
                       days: Option<u32>|
         -> Result<Option<String>> {
            match days {
                Some(value) => Ok(Some(format_date(reckoner.due(
                    from,
                    TimeLimit {
                        value,
                        unit: LimitUnit::WorkingDays,
                    },
                    &[],
                )?))),
                None => Ok(None),
            }
        };
        let mut spans = Vec::new();
        for &(from, to, procedure, days) in &self.pauses {
            spans.push(PauseSpan {
                from: format_date(from),
                to: Some(format_date(to)),
                procedure,
                planned_end: planned(reckoner, from, days)?,
            });
        }
        if let Some((from, procedure, days)) = self.open_pause {
            spans.push(PauseSpan {
                from: format_date(from),
                to: None,
                procedure,
                planned_end: planned(reckoner, from, days)?,
            });
        }
        Ok(spans)
    }
}

/// The due after a §42 extension: the statutory limit and the extension together from
/// acceptance when they count in the same unit, else the extension from the statutory due.
fn extend(
    reckoner: &mut Reckoner<'_>,
    accepted_on: NaiveDate,
    statutory_due: NaiveDate,
    statutory: TimeLimit,
    extension: TimeLimit,
    pauses: &[Pause],
) -> Result<NaiveDate> {
    if statutory.unit == extension.unit {
        let total = TimeLimit {
            value: statutory.value.saturating_add(extension.value),
            unit: statutory.unit,
        };
        reckoner.due(accepted_on, total, pauses)
    } else {
        reckoner.due(statutory_due, extension, pauses)
    }
}

/// Working days in `from..=to` (0 when `to < from`).
fn working_days_in(reckoner: &mut Reckoner<'_>, from: NaiveDate, to: NaiveDate) -> Result<u32> {
    let mut count = 0;
    let mut day = from;
    while day <= to {
        if reckoner.working_day_on_or_after(day)? == day {
            count += 1;
        }
        day = day
            .succ_opt()
            .ok_or_else(crate::calendar::date_out_of_range)?;
    }
    Ok(count)
}

/// Working days after `from` up to and including `to`, not counting paused days; when `to` is
/// before `from`, minus the working days after `to` up to and including `from`.
fn working_days_between(
    reckoner: &mut Reckoner<'_>,
    from: NaiveDate,
    to: NaiveDate,
    pauses: &[Pause],
) -> Result<i64> {
    let paused = |d: NaiveDate| pauses.iter().any(|p| p.from <= d && d <= p.to);
    let (low, high, sign) = if to >= from {
        (from, to, 1)
    } else {
        (to, from, -1)
    };
    let mut count: i64 = 0;
    let mut day = low;
    while day < high {
        day = day
            .succ_opt()
            .ok_or_else(crate::calendar::date_out_of_range)?;
        if !paused(day) && reckoner.working_day_on_or_after(day)? == day {
            count += 1;
        }
    }
    Ok(sign * count)
}

#[cfg(test)]
mod tests;
