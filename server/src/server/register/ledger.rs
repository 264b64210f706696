//! The 容缺 ledger (容缺台账): what an applicant accepted on a pledge still owes, and by when.
//!
//! Each `accept_with_pledge` opens one entry per pledged material, due on the date the engine
//! computed for it. Supplying it (upload or window) closes the entry. [`sweep`] takes the date
//! explicitly (the background task passes the server's China date; tests and admins pass any):
//! a reminder falls due `remind_before` working days before the due date; the day after the due
//! date an owed entry is overdue, the pledge is broken and the case is suspended (or terminated,
//! as the matter file says); a suspended case whose items do not arrive within the resume window
//! is terminated. Every date comes from the engine's calendar; every change is an event.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::Register;
use super::audit::{EventKind, Recorder};
use super::error::{RegisterCode, RegisterError, RegisterResult};
use super::lifecycle::{CaseEvent, CaseFacts, EntryEvent, OPEN_ENTRIES, case_step, entry_step};
use super::states::{CaseState, LedgerStatus};
use crate::server::AppState;
use qiquan::Verdict;
use qiquan::model::Text;
use qiquan::model::{BrokenPledge, LimitUnit, PledgeLedger};

/// The matter's ledger parameters (the defaults when its file has none).
fn params(state: &AppState, matter: &str, on: Option<&str>) -> RegisterResult<PledgeLedger> {
    let file = super::matters::matter_file(state, matter, on)?;
    Ok(file.pledge_ledger.clone().unwrap_or_default())
}

fn unit_str(unit: LimitUnit) -> &'static str {
    match unit {
        LimitUnit::WorkingDays | LimitUnit::OnTheSpot => "working",
        LimitUnit::NaturalDays => "natural",
    }
}

/// The last day a suspended case may still be resumed: the resume window counted from the due
/// date, by the engine.
/// (And whether the engine calls it provisional: reckoned into a year whose holiday notice is
/// not yet known.)
fn resume_until(
    state: &AppState,
    ledger: &PledgeLedger,
    due: &str,
) -> RegisterResult<(String, bool)> {
    let window = ledger.resume_window;
    let days = match window.unit {
        LimitUnit::OnTheSpot => 0,
        _ => i64::from(window.value),
    };
    let answer = state.engine().deadline(due, days, unit_str(window.unit))?;
    Ok((answer.due, answer.provisional))
}

/// Opens the entries of an `accept_with_pledge` verdict.
pub(crate) async fn open_entries(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rec: &mut Recorder,
    application: &str,
    verdict: &Verdict,
) -> RegisterResult<()> {
    let ledger = params(state, &verdict.matter, Some(&verdict.received_at))?;
    for item in &verdict.pledge.items {
        // Every item of an accepted pledge has its due date; none is owed without one.
        let Some(due) = &item.due else { continue };
        let remind_on = state
            .engine()
            .working_days_before(due, ledger.remind_before)?;
        sqlx::query(
            "INSERT INTO ledger (id, application_id, material, name_zh, name_en, due, remind_on, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(super::new_id("led")?)
        .bind(application.to_string())
        .bind(item.material.clone())
        .bind(item.name.zh.clone())
        .bind(item.name.en.clone())
        .bind(due.clone())
        .bind(remind_on.clone())
        .bind(LedgerStatus::Owed.as_str())
        .execute(&mut **tx)
        .await?;
        rec.record(
            tx,
            Some(application),
            EventKind::PledgeItemOwed,
            json!({"material": item.material, "due": item.due, "remind_on": remind_on, "basis": ledger.basis}),
        )
        .await?;
    }
    Ok(())
}

/// An entry's id and status, by application and material.
async fn entry_of(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    application: &str,
    material: &str,
) -> RegisterResult<Option<(String, LedgerStatus)>> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT id, status FROM ledger WHERE application_id = $1 AND material = $2")
            .bind(application.to_string())
            .bind(material.to_string())
            .fetch_optional(&mut **tx)
            .await?;
    let Some((id, status)) = row else {
        return Ok(None);
    };
    Ok(Some((id, LedgerStatus::try_from(status)?)))
}

/// Applies `event` to an entry in `status` on day `on`: stores what [`entry_step`] returns,
/// conditional on the old status (a concurrent writer changes it once). Returns the event to
/// record, None when the event does not apply or another writer came first.
async fn step_entry(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: &str,
    status: LedgerStatus,
    event: EntryEvent,
    on: &str,
) -> RegisterResult<Option<EventKind>> {
    let Some((next, kind)) = entry_step(status, event) else {
        return Ok(None);
    };
    // A closed entry carries the day it closed; an open one none. Overdue entries keep the day
    // they fell overdue.
    let closed_on =
        matches!(next, LedgerStatus::Supplied | LedgerStatus::Waived).then(|| on.to_string());
    let overdue_on = (next == LedgerStatus::Overdue).then(|| on.to_string());
    let updated = sqlx::query(
        "UPDATE ledger SET status = $2, closed_on = $3, overdue_on = COALESCE($4, overdue_on) \
         WHERE id = $1 AND status = $5",
    )
    .bind(id.to_string())
    .bind(next.as_str())
    .bind(closed_on)
    .bind(overdue_on)
    .bind(status.as_str())
    .execute(&mut **tx)
    .await?;
    Ok((updated.rows_affected() == 1).then_some(kind))
}

/// Applies `event` to the case of `application`: stores what [`case_step`] returns,
/// conditional on the old state, and records its events (`detail` gives each one's detail).
/// Returns the new state, None when nothing changed.
#[allow(clippy::too_many_arguments)]
async fn step_case(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rec: &mut Recorder,
    application: &str,
    state: CaseState,
    event: CaseEvent,
    facts: CaseFacts<'_>,
    resume_until: impl FnOnce(CaseState) -> RegisterResult<Option<(String, bool)>>,
    detail: impl Fn(EventKind, Option<&str>) -> Value,
) -> RegisterResult<Option<CaseState>> {
    let Some((next, effects)) = case_step(state, event, facts) else {
        return Ok(None);
    };
    let until = resume_until(next)?;
    let provisional = until.as_ref().map(|(_, p)| i64::from(*p));
    let until = until.map(|(date, _)| date);
    let updated = sqlx::query(
        "UPDATE applications SET case_state = $3, resume_until = COALESCE($4, resume_until), \
         resume_until_provisional = COALESCE($5, resume_until_provisional) \
         WHERE id = $1 AND case_state = $2",
    )
    .bind(application.to_string())
    .bind(state.as_str())
    .bind(next.as_str())
    .bind(until.clone())
    .bind(provisional)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(None);
    }
    for kind in effects {
        rec.record(
            tx,
            Some(application),
            *kind,
            detail(*kind, until.as_deref()),
        )
        .await?;
    }
    Ok(Some(next))
}

/// Closes the owed or overdue entry of a material, supplied on `on` (`how`: upload, window).
/// Returns false when the material has no open entry.
pub(crate) async fn supply(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rec: &mut Recorder,
    application: &str,
    material: &str,
    on: &str,
    how: &str,
) -> RegisterResult<bool> {
    let Some((id, status)) = entry_of(tx, application, material).await? else {
        return Ok(false);
    };
    let Some(kind) = step_entry(tx, &id, status, EntryEvent::Supply, on).await? else {
        return Ok(false);
    };
    rec.record(
        tx,
        Some(application),
        kind,
        json!({"material": material, "on": on, "how": how}),
    )
    .await?;
    settle(state, tx, rec, application, on).await?;
    Ok(true)
}

/// After an entry closes: when nothing is owed any more, a pledged case has kept its pledge and
/// a suspended case resumes (or, past its resume window, is terminated).
async fn settle(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rec: &mut Recorder,
    application: &str,
    on: &str,
) -> RegisterResult<()> {
    let [owed, overdue] = OPEN_ENTRIES;
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM ledger WHERE application_id = $1 AND status IN ($2, $3)",
    )
    .bind(application.to_string())
    .bind(owed.as_str())
    .bind(overdue.as_str())
    .fetch_one(&mut **tx)
    .await?;
    if open > 0 {
        return Ok(());
    }
    let row: CaseRow = sqlx::query_as(
        "SELECT matter, decided_at, case_state, resume_until FROM applications WHERE id = $1",
    )
    .bind(application.to_string())
    .fetch_one(&mut **tx)
    .await?;
    let Some(case_state) = row.case_state.map(CaseState::try_from).transpose()? else {
        return Ok(());
    };
    let ledger = params(state, &row.matter, row.decided_at.as_deref())?;
    let facts = CaseFacts {
        on,
        resume_until: row.resume_until.as_deref(),
        on_broken: ledger.on_broken,
    };
    step_case(
        tx,
        rec,
        application,
        case_state,
        CaseEvent::AllClosed,
        facts,
        |_| Ok(None),
        |_, _| json!({"on": on}),
    )
    .await?;
    Ok(())
}

/// A supplied file found flawed: its entry is owed again.
pub(crate) async fn reopen(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rec: &mut Recorder,
    application: &str,
    material: &str,
) -> RegisterResult<()> {
    let Some((id, status)) = entry_of(tx, application, material).await? else {
        return Ok(());
    };
    let Some(kind) = step_entry(tx, &id, status, EntryEvent::FoundFlawed, "").await? else {
        return Ok(());
    };
    let facts = CaseFacts {
        on: "",
        resume_until: None,
        on_broken: BrokenPledge::Suspend,
    };
    step_case(
        tx,
        rec,
        application,
        CaseState::PledgeKept,
        CaseEvent::ItemReopened,
        facts,
        |_| Ok(None),
        |_, _| Value::Null,
    )
    .await?;
    rec.record(
        tx,
        Some(application),
        kind,
        json!({"material": material, "reopened": true}),
    )
    .await?;
    Ok(())
}

/// Window supply or waiver of one entry by its id.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EntryAction {
    /// The day it happened (default: today, China time).
    #[serde(default)]
    pub(crate) on: Option<String>,
    /// Why (waivers) or what was handed in.
    #[serde(default)]
    pub(crate) note: Option<String>,
}

pub(crate) async fn act_on_entry(
    state: &AppState,
    reg: &Register,
    entry: &str,
    waive: bool,
    action: EntryAction,
    actor: &str,
) -> RegisterResult<()> {
    let on = match action.on {
        Some(on) => qiquan::calendar::format_date(
            qiquan::calendar::parse_date(&on).map_err(|e| e.at("/on"))?,
        ),
        None => crate::server::clock::today_china(),
    };
    let row: EntryRef =
        sqlx::query_as("SELECT application_id, material, status FROM ledger WHERE id = $1")
            .bind(entry.to_string())
            .fetch_optional(&reg.db.pool)
            .await?
            .ok_or_else(|| {
                RegisterError::new(
                    RegisterCode::LedgerEntryNotFound,
                    "台账中没有这一条。",
                    "There is no such ledger entry.",
                )
            })?;
    let EntryRef {
        application_id: application,
        material,
        status,
    } = row;
    let mut rec = Recorder::new(actor, state.engine().rules_digest());
    let mut tx = reg.db.begin().await?;
    let status = LedgerStatus::try_from(status)?;
    let done = if waive {
        let waived = step_entry(&mut tx, entry, status, EntryEvent::Waive, &on).await?;
        if let Some(kind) = waived {
            rec.record(
                &mut tx,
                Some(&application),
                kind,
                json!({"material": material, "on": on, "note": action.note}),
            )
            .await?;
            settle(state, &mut tx, &mut rec, &application, &on).await?;
        }
        waived.is_some()
    } else {
        supply(
            state,
            &mut tx,
            &mut rec,
            &application,
            &material,
            &on,
            "window",
        )
        .await?
    };
    if !done {
        return Err(RegisterError::new(
            RegisterCode::InvalidState,
            "这一条已经补齐或免予补交，无需再办。",
            "This entry is already supplied or waived.",
        ));
    }
    reg.db.commit(tx).await?;
    Ok(())
}

/// What a sweep changed.
#[derive(Debug, Default, serde::Serialize)]
pub(crate) struct SweepReport {
    pub(crate) as_of: String,
    pub(crate) reminders: Vec<String>,
    pub(crate) overdue: Vec<String>,
    pub(crate) suspended: Vec<String>,
    pub(crate) terminated: Vec<String>,
}

/// Applies the ledger's rules as of a date, idempotently: each change happens once whoever
/// sweeps (several replicas may), because every update is conditional on the old status.
pub(crate) async fn sweep(
    state: &AppState,
    reg: &Register,
    as_of: &str,
    actor: &str,
) -> RegisterResult<SweepReport> {
    let mut report = SweepReport {
        as_of: as_of.to_string(),
        ..SweepReport::default()
    };
    let mut rec = Recorder::new(actor, state.engine().rules_digest());
    let mut tx = reg.db.begin().await?;
    remind(&mut tx, &mut rec, as_of, &mut report).await?;
    overdue(state, &mut tx, &mut rec, as_of, &mut report).await?;
    terminate(&mut tx, &mut rec, as_of, &mut report).await?;
    reg.db.commit(tx).await?;
    Ok(report)
}

async fn remind(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rec: &mut Recorder,
    as_of: &str,
    report: &mut SweepReport,
) -> RegisterResult<()> {
    let rows: Vec<ReminderRow> = sqlx::query_as(
        "SELECT id, application_id, material, due, remind_on FROM ledger WHERE status = $2 \
         AND reminded_on IS NULL AND remind_on <= $1 AND due >= $1 ORDER BY due, id",
    )
    .bind(as_of.to_string())
    .bind(LedgerStatus::Owed.as_str())
    .fetch_all(&mut **tx)
    .await?;
    for row in rows {
        let id = row.id;
        let updated =
            sqlx::query("UPDATE ledger SET reminded_on = $2 WHERE id = $1 AND reminded_on IS NULL")
                .bind(id.clone())
                .bind(as_of.to_string())
                .execute(&mut **tx)
                .await?;
        if updated.rows_affected() == 1 {
            rec.record(
                tx,
                Some(&row.application_id),
                EventKind::PledgeReminderDue,
                json!({"material": row.material, "due": row.due, "remind_on": row.remind_on, "as_of": as_of}),
            )
            .await?;
            report.reminders.push(id);
        }
    }
    Ok(())
}

/// The day after `date` (`YYYY-MM-DD`): the first day an item due on `date` is overdue.
fn day_after(date: &str) -> RegisterResult<String> {
    let day = qiquan::calendar::parse_date(date)?;
    let next = day
        .succ_opt()
        .ok_or_else(|| RegisterError::storage("date overflow"))?;
    Ok(qiquan::calendar::format_date(next))
}

async fn overdue(
    state: &AppState,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rec: &mut Recorder,
    as_of: &str,
    report: &mut SweepReport,
) -> RegisterResult<()> {
    let rows: Vec<OverdueRow> = sqlx::query_as(
        "SELECT l.id, l.application_id, l.material, l.due, l.status, a.matter, a.decided_at, a.case_state \
         FROM ledger l JOIN applications a ON a.id = l.application_id \
         WHERE l.status = $2 AND l.due < $1 ORDER BY l.due, l.id",
    )
    .bind(as_of.to_string())
    .bind(LedgerStatus::Owed.as_str())
    .fetch_all(&mut **tx)
    .await?;
    for row in rows {
        let OverdueRow {
            id,
            application_id: application,
            material,
            due,
            status,
            matter,
            decided_at,
            case_state,
        } = row;
        let overdue_on = day_after(&due)?;
        let status = LedgerStatus::try_from(status)?;
        let Some(kind) = step_entry(tx, &id, status, EntryEvent::DuePassed, &overdue_on).await?
        else {
            continue;
        };
        rec.record(
            tx,
            Some(&application),
            kind,
            json!({"material": material, "due": due, "overdue_on": overdue_on, "as_of": as_of}),
        )
        .await?;
        report.overdue.push(id);
        let Some(case_state) = case_state.map(CaseState::try_from).transpose()? else {
            continue;
        };
        let ledger = params(state, &matter, decided_at.as_deref())?;
        let facts = CaseFacts {
            on: &overdue_on,
            resume_until: None,
            on_broken: ledger.on_broken,
        };
        let next = step_case(
            tx,
            rec,
            &application,
            case_state,
            CaseEvent::ItemOverdue,
            facts,
            |next| match next {
                CaseState::Suspended => resume_until(state, &ledger, &due).map(Some),
                _ => Ok(None),
            },
            |kind, until| match kind {
                EventKind::PledgeBroken => json!({"material": material, "due": due, "on": overdue_on, "basis": ledger.basis}),
                _ => json!({"on": overdue_on, "resume_until": until, "basis": ledger.basis}),
            },
        )
        .await?;
        match next {
            Some(CaseState::Suspended) => report.suspended.push(application),
            Some(_) => report.terminated.push(application),
            None => {}
        }
    }
    Ok(())
}

async fn terminate(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rec: &mut Recorder,
    as_of: &str,
    report: &mut SweepReport,
) -> RegisterResult<()> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, resume_until FROM applications WHERE case_state = $2 AND resume_until < $1 ORDER BY id",
    )
    .bind(as_of.to_string())
    .bind(CaseState::Suspended.as_str())
    .fetch_all(&mut **tx)
    .await?;
    for (id, until) in rows {
        let on = day_after(&until)?;
        let facts = CaseFacts {
            on: &on,
            resume_until: Some(&until),
            on_broken: BrokenPledge::Suspend,
        };
        let next = step_case(
            tx,
            rec,
            &id,
            CaseState::Suspended,
            CaseEvent::ResumeWindowPassed,
            facts,
            |_| Ok(None),
            |_, _| json!({"on": on, "resume_until": until, "as_of": as_of}),
        )
        .await?;
        if next.is_some() {
            report.terminated.push(id);
        }
    }
    Ok(())
}

const ENTRY_COLUMNS: &str = "l.id, l.application_id, l.material, l.name_zh, l.name_en, l.due, \
    l.remind_on, l.status, l.reminded_on, l.overdue_on, l.closed_on, a.number, a.matter, \
    a.case_state, a.resume_until";

/// The words for an entry's status, for the clerk's list.
/// The engine's words for an entry's state (`qiquan::labels`, the pages' `labels()`).
fn status_label(status: LedgerStatus) -> Text {
    let engine = match status {
        LedgerStatus::Owed => qiquan::labels::LedgerStatus::Owed,
        LedgerStatus::Supplied => qiquan::labels::LedgerStatus::Supplied,
        LedgerStatus::Overdue => qiquan::labels::LedgerStatus::Overdue,
        LedgerStatus::Waived => qiquan::labels::LedgerStatus::Waived,
    };
    engine.label()
}

fn text(zh: &str, en: &str) -> Text {
    Text {
        zh: zh.to_string(),
        en: en.to_string(),
    }
}

/// The words for a case's state (blank for a case not yet decided).
pub(crate) fn case_state_label(state: Option<CaseState>) -> Text {
    let (zh, en) = match state {
        Some(CaseState::Accepted) => ("已受理", "Accepted"),
        Some(CaseState::Pledged) => ("容缺受理，待补交", "Accepted on a pledge; items owed"),
        // Kept by supplying or by an approved waiver: neither is claimed.
        Some(CaseState::PledgeKept) => ("承诺已履行", "Pledge kept"),
        Some(CaseState::Suspended) => ("逾期未补齐，已中止办理", "Overdue; the case is suspended"),
        // Resumed by supplying or by waiving what was owed: neither is claimed.
        Some(CaseState::Resumed) => ("恢复办理", "The case resumed"),
        Some(CaseState::Terminated) => (
            "逾期未补齐，已终止办理",
            "Not supplied; the case is terminated",
        ),
        Some(CaseState::CorrectionNotified) => ("已一次性告知补正", "Correction notified"),
        Some(CaseState::Refused) => ("不予受理", "Not accepted"),
        None => ("", ""),
    };
    text(zh, en)
}

/// The columns of an application the case's steps read.
#[derive(sqlx::FromRow)]
struct CaseRow {
    matter: String,
    decided_at: Option<String>,
    /// Decoded into [`CaseState`]: sqlx's Any driver reads TEXT only as a string.
    case_state: Option<String>,
    resume_until: Option<String>,
}

/// A ledger entry a clerk acts on: whose, which material, and its state.
#[derive(sqlx::FromRow)]
struct EntryRef {
    application_id: String,
    material: String,
    /// Decoded into [`LedgerStatus`].
    status: String,
}

/// An entry the sweep may remind of.
#[derive(sqlx::FromRow)]
struct ReminderRow {
    id: String,
    application_id: String,
    material: String,
    due: String,
    remind_on: String,
}

/// An owed entry past its due date, with its application's case.
#[derive(sqlx::FromRow)]
struct OverdueRow {
    id: String,
    application_id: String,
    material: String,
    due: String,
    /// Decoded into [`LedgerStatus`].
    status: String,
    matter: String,
    decided_at: Option<String>,
    /// Decoded into [`CaseState`].
    case_state: Option<String>,
}

/// One row of [`ENTRY_COLUMNS`]: a ledger entry joined with its application.
#[derive(sqlx::FromRow)]
struct EntryRow {
    id: String,
    application_id: String,
    material: String,
    name_zh: String,
    name_en: String,
    due: String,
    remind_on: String,
    /// Decoded below: sqlx's Any driver reads TEXT only as a string.
    status: String,
    reminded_on: Option<String>,
    overdue_on: Option<String>,
    closed_on: Option<String>,
    number: Option<String>,
    matter: String,
    case_state: Option<String>,
    resume_until: Option<String>,
}

/// A ledger entry as the API shows it (`LedgerEntry` in the OpenAPI document).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LedgerEntry {
    pub(crate) id: String,
    pub(crate) application: String,
    pub(crate) number: Option<String>,
    pub(crate) matter: String,
    pub(crate) material: String,
    pub(crate) name: Text,
    pub(crate) due: String,
    pub(crate) remind_on: String,
    pub(crate) status: LedgerStatus,
    pub(crate) status_label: Text,
    pub(crate) reminded_on: Option<String>,
    pub(crate) overdue_on: Option<String>,
    pub(crate) closed_on: Option<String>,
    pub(crate) case_state: Option<CaseState>,
    pub(crate) case_state_label: Text,
    pub(crate) resume_until: Option<String>,
}

impl TryFrom<EntryRow> for LedgerEntry {
    type Error = RegisterError;
    fn try_from(row: EntryRow) -> RegisterResult<LedgerEntry> {
        let case_state = row.case_state.map(CaseState::try_from).transpose()?;
        let status = LedgerStatus::try_from(row.status)?;
        Ok(LedgerEntry {
            status_label: status_label(status),
            case_state_label: case_state_label(case_state),
            id: row.id,
            application: row.application_id,
            number: row.number,
            matter: row.matter,
            material: row.material,
            name: Text {
                zh: row.name_zh,
                en: row.name_en,
            },
            due: row.due,
            remind_on: row.remind_on,
            status,
            reminded_on: row.reminded_on,
            overdue_on: row.overdue_on,
            closed_on: row.closed_on,
            case_state,
            resume_until: row.resume_until,
        })
    }
}

fn entries(rows: Vec<EntryRow>) -> RegisterResult<Vec<LedgerEntry>> {
    rows.into_iter().map(LedgerEntry::try_from).collect()
}

pub(crate) async fn entries_of(
    reg: &Register,
    application: &str,
) -> RegisterResult<Vec<LedgerEntry>> {
    let rows = sqlx::query_as::<_, EntryRow>(&format!(
        "SELECT {ENTRY_COLUMNS} FROM ledger l JOIN applications a ON a.id = l.application_id \
         WHERE l.application_id = $1 ORDER BY l.due, l.material"
    ))
    .bind(application.to_string())
    .fetch_all(&reg.db.pool)
    .await?;
    entries(rows)
}

/// `GET /v1/ledger` filters.
#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    /// owed, supplied, overdue or waived.
    pub(crate) status: Option<String>,
    /// today (owed, due on `as_of`), soon (owed, reminder due, due after `as_of`) or overdue.
    pub(crate) due: Option<String>,
    /// The day the filters are relative to (default: today, China time).
    pub(crate) as_of: Option<String>,
    /// Why the list (with the applicants' names and masked phone numbers) is read; recorded in
    /// the audit trail (default: calling applicants about what they owe).
    pub(crate) reason: Option<String>,
}

pub(crate) async fn list(reg: &Register, query: &ListQuery) -> RegisterResult<Vec<LedgerEntry>> {
    let as_of = match &query.as_of {
        Some(day) => qiquan::calendar::format_date(
            qiquan::calendar::parse_date(day).map_err(|e| e.at("as_of"))?,
        ),
        None => crate::server::clock::today_china(),
    };
    let mut conditions: Vec<String> = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    if let Some(status) = &query.status {
        if LedgerStatus::parse(status).is_none() {
            return Err(RegisterError::invalid(
                "status 只能是 owed、supplied、overdue 或 waived。",
                "status must be owed, supplied, overdue or waived.",
            )
            .at("status"));
        }
        binds.push(status.clone());
        conditions.push(format!("l.status = ${}", binds.len()));
    }
    match query.due.as_deref() {
        None => {}
        Some("today") => {
            binds.push(LedgerStatus::Owed.as_str().to_string());
            binds.push(as_of.clone());
            let n = binds.len();
            conditions.push(format!("l.status = ${} AND l.due = ${n}", n - 1));
        }
        Some("soon") => {
            binds.push(LedgerStatus::Owed.as_str().to_string());
            binds.push(as_of.clone());
            let n = binds.len();
            conditions.push(format!(
                "l.status = ${} AND l.remind_on <= ${n} AND l.due > ${n}",
                n - 1
            ));
        }
        Some("overdue") => {
            binds.push(LedgerStatus::Overdue.as_str().to_string());
            conditions.push(format!("l.status = ${}", binds.len()));
        }
        Some(_) => {
            return Err(RegisterError::invalid(
                "due 只能是 today（今日到期）、soon（即将到期）或 overdue（已逾期）。",
                "due must be today, soon or overdue.",
            )
            .at("due"));
        }
    }
    let filter = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM ledger l JOIN applications a ON a.id = l.application_id \
         {filter} ORDER BY l.due, a.number, l.material LIMIT 10000"
    );
    let mut q = sqlx::query_as::<_, EntryRow>(&sql);
    for bind in binds {
        q = q.bind(bind);
    }
    entries(q.fetch_all(&reg.db.pool).await?)
}

/// The entries as CSV (RFC 4180), with a header row; for the clerk's spreadsheet.
pub(crate) fn to_csv(entries: &[LedgerEntry]) -> String {
    const COLUMNS: [&str; 13] = [
        "number",
        "matter",
        "material",
        "name",
        "due",
        "remind_on",
        "status",
        "reminded_on",
        "overdue_on",
        "closed_on",
        "case_state",
        "resume_until",
        "application",
    ];
    let mut out = COLUMNS.join(",");
    out.push_str("\r\n");
    for e in entries {
        let cells = [
            e.number.as_deref().unwrap_or(""),
            &e.matter,
            &e.material,
            &e.name.zh,
            &e.due,
            &e.remind_on,
            e.status.as_str(),
            e.reminded_on.as_deref().unwrap_or(""),
            e.overdue_on.as_deref().unwrap_or(""),
            e.closed_on.as_deref().unwrap_or(""),
            e.case_state.map_or("", CaseState::as_str),
            e.resume_until.as_deref().unwrap_or(""),
            &e.application,
        ];
        let cells: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_cell(text: &str) -> String {
    // A leading = + - @ would be a formula in a spreadsheet: quote it with a ' prefix.
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses() {
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(day_after("2026-12-31").expect("date"), "2027-01-01");
    }
}
