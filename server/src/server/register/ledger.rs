//! The 容缺 ledger (容缺台账): what an applicant accepted on a pledge still owes, and by when.
//!
//! Each `accept_with_pledge` opens one entry per pledged material, due on the date the engine
//! computed for it. Supplying it (upload or window) closes the entry. [`sweep`] takes the date
//! explicitly (the background task passes the server's China date; tests and admins pass any):
//! a reminder falls due `remind_before` working days before the due date; the day after the due
//! date an owed entry is overdue, the pledge is broken and the case is suspended (or terminated,
//! as the matter file says); a suspended case whose items do not arrive within the resume window
//! is terminated. Every date comes from the engine's calendar; every change is an event.

use serde::Deserialize;
use serde_json::{Value, json};
use sqlx::Row;

use super::Register;
use super::audit::{EventKind, Recorder};
use super::error::{RegisterCode, RegisterError, RegisterResult};
use crate::server::AppState;
use qiquan::Verdict;
use qiquan::model::{BrokenPledge, LimitUnit, PledgeLedger};

/// The matter's ledger parameters (the defaults when its file has none).
fn params(state: &AppState, matter: &str, on: Option<&str>) -> RegisterResult<PledgeLedger> {
    let file = super::applications::matter_file(state, matter, on)?;
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
fn resume_until(state: &AppState, ledger: &PledgeLedger, due: &str) -> RegisterResult<String> {
    let window = ledger.resume_window;
    let days = match window.unit {
        LimitUnit::OnTheSpot => 0,
        _ => i64::from(window.value),
    };
    Ok(state
        .engine()
        .deadline(due, days, unit_str(window.unit))?
        .due)
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
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'owed')",
        )
        .bind(super::new_id("led")?)
        .bind(application.to_string())
        .bind(item.material.clone())
        .bind(item.name.zh.clone())
        .bind(item.name.en.clone())
        .bind(due.clone())
        .bind(remind_on.clone())
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
    let updated = sqlx::query(
        "UPDATE ledger SET status = 'supplied', closed_on = $3 \
         WHERE application_id = $1 AND material = $2 AND status IN ('owed', 'overdue')",
    )
    .bind(application.to_string())
    .bind(material.to_string())
    .bind(on.to_string())
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(false);
    }
    rec.record(
        tx,
        Some(application),
        EventKind::PledgeItemSupplied,
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
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM ledger WHERE application_id = $1 AND status IN ('owed', 'overdue')",
    )
    .bind(application.to_string())
    .fetch_one(&mut **tx)
    .await?;
    if open > 0 {
        return Ok(());
    }
    let row = sqlx::query("SELECT case_state, resume_until FROM applications WHERE id = $1")
        .bind(application.to_string())
        .fetch_one(&mut **tx)
        .await?;
    let case_state: Option<String> = row.try_get("case_state")?;
    let until: Option<String> = row.try_get("resume_until")?;
    let (next, kind) = match (case_state.as_deref(), until) {
        (Some("pledged"), _) => ("pledge_kept", EventKind::PledgeKept),
        (Some("suspended"), Some(until)) if on <= until.as_str() => {
            ("resumed", EventKind::CaseResumed)
        }
        (Some("suspended"), _) => ("terminated", EventKind::CaseTerminated),
        _ => return Ok(()),
    };
    set_case_state(
        tx,
        application,
        case_state.as_deref().unwrap_or(""),
        next,
        None,
    )
    .await?;
    rec.record(tx, Some(application), kind, json!({"on": on}))
        .await?;
    let _ = state;
    Ok(())
}

async fn set_case_state(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    application: &str,
    from: &str,
    to: &str,
    resume_until: Option<String>,
) -> RegisterResult<bool> {
    let updated = sqlx::query(
        "UPDATE applications SET case_state = $3, resume_until = COALESCE($4, resume_until) \
         WHERE id = $1 AND case_state = $2",
    )
    .bind(application.to_string())
    .bind(from.to_string())
    .bind(to.to_string())
    .bind(resume_until)
    .execute(&mut **tx)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// A supplied file found flawed: its entry is owed again.
pub(crate) async fn reopen(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rec: &mut Recorder,
    application: &str,
    material: &str,
) -> RegisterResult<()> {
    let updated = sqlx::query(
        "UPDATE ledger SET status = 'owed', closed_on = NULL \
         WHERE application_id = $1 AND material = $2 AND status = 'supplied'",
    )
    .bind(application.to_string())
    .bind(material.to_string())
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() == 1 {
        set_case_state(tx, application, "pledge_kept", "pledged", None).await?;
        rec.record(
            tx,
            Some(application),
            EventKind::PledgeItemOwed,
            json!({"material": material, "reopened": true}),
        )
        .await?;
    }
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
        None => super::today_china(),
    };
    let row = sqlx::query("SELECT application_id, material, status FROM ledger WHERE id = $1")
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
    let application: String = row.try_get("application_id")?;
    let material: String = row.try_get("material")?;
    let mut rec = Recorder::new(actor, state.engine().rules_digest());
    let mut tx = reg.db.pool.begin().await?;
    let done = if waive {
        let updated = sqlx::query(
            "UPDATE ledger SET status = 'waived', closed_on = $2 WHERE id = $1 AND status IN ('owed', 'overdue')",
        )
        .bind(entry.to_string())
        .bind(on.clone())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 1 {
            rec.record(
                &mut tx,
                Some(&application),
                EventKind::PledgeItemWaived,
                json!({"material": material, "on": on, "note": action.note}),
            )
            .await?;
            settle(state, &mut tx, &mut rec, &application, &on).await?;
        }
        updated.rows_affected() == 1
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
    tx.commit().await?;
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
    let mut tx = reg.db.pool.begin().await?;
    remind(&mut tx, &mut rec, as_of, &mut report).await?;
    overdue(state, &mut tx, &mut rec, as_of, &mut report).await?;
    terminate(&mut tx, &mut rec, as_of, &mut report).await?;
    tx.commit().await?;
    Ok(report)
}

async fn remind(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rec: &mut Recorder,
    as_of: &str,
    report: &mut SweepReport,
) -> RegisterResult<()> {
    let rows = sqlx::query(
        "SELECT id, application_id, material, due, remind_on FROM ledger WHERE status = 'owed' \
         AND reminded_on IS NULL AND remind_on <= $1 AND due >= $1 ORDER BY due, id",
    )
    .bind(as_of.to_string())
    .fetch_all(&mut **tx)
    .await?;
    for row in rows {
        let id: String = row.try_get("id")?;
        let updated =
            sqlx::query("UPDATE ledger SET reminded_on = $2 WHERE id = $1 AND reminded_on IS NULL")
                .bind(id.clone())
                .bind(as_of.to_string())
                .execute(&mut **tx)
                .await?;
        if updated.rows_affected() == 1 {
            let application: String = row.try_get("application_id")?;
            rec.record(
                tx,
                Some(&application),
                EventKind::PledgeReminderDue,
                json!({"material": row.try_get::<String, _>("material")?, "due": row.try_get::<String, _>("due")?,
                       "remind_on": row.try_get::<String, _>("remind_on")?, "as_of": as_of}),
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
    let rows = sqlx::query(
        "SELECT l.id, l.application_id, l.material, l.due, a.matter, a.decided_at, a.case_state \
         FROM ledger l JOIN applications a ON a.id = l.application_id \
         WHERE l.status = 'owed' AND l.due < $1 ORDER BY l.due, l.id",
    )
    .bind(as_of.to_string())
    .fetch_all(&mut **tx)
    .await?;
    for row in rows {
        let id: String = row.try_get("id")?;
        let application: String = row.try_get("application_id")?;
        let due: String = row.try_get("due")?;
        let overdue_on = day_after(&due)?;
        let updated = sqlx::query("UPDATE ledger SET status = 'overdue', overdue_on = $2 WHERE id = $1 AND status = 'owed'")
            .bind(id.clone())
            .bind(overdue_on.clone())
            .execute(&mut **tx)
            .await?;
        if updated.rows_affected() == 0 {
            continue;
        }
        let material: String = row.try_get("material")?;
        rec.record(
            tx,
            Some(&application),
            EventKind::PledgeItemOverdue,
            json!({"material": material, "due": due, "overdue_on": overdue_on, "as_of": as_of}),
        )
        .await?;
        report.overdue.push(id);
        let matter: String = row.try_get("matter")?;
        let decided_at: Option<String> = row.try_get("decided_at")?;
        let ledger = params(state, &matter, decided_at.as_deref())?;
        let (next, kind, until) = match ledger.on_broken {
            BrokenPledge::Suspend => (
                "suspended",
                EventKind::CaseSuspended,
                Some(resume_until(state, &ledger, &due)?),
            ),
            BrokenPledge::Terminate => ("terminated", EventKind::CaseTerminated, None),
        };
        if set_case_state(tx, &application, "pledged", next, until.clone()).await? {
            rec.record(
                tx,
                Some(&application),
                EventKind::PledgeBroken,
                json!({"material": material, "due": due, "on": overdue_on, "basis": ledger.basis}),
            )
            .await?;
            rec.record(
                tx,
                Some(&application),
                kind,
                json!({"on": overdue_on, "resume_until": until, "basis": ledger.basis}),
            )
            .await?;
            if kind == EventKind::CaseSuspended {
                report.suspended.push(application);
            } else {
                report.terminated.push(application);
            }
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
    let rows = sqlx::query(
        "SELECT id, resume_until FROM applications WHERE case_state = 'suspended' AND resume_until < $1 ORDER BY id",
    )
    .bind(as_of.to_string())
    .fetch_all(&mut **tx)
    .await?;
    for row in rows {
        let id: String = row.try_get("id")?;
        let until: String = row.try_get("resume_until")?;
        if set_case_state(tx, &id, "suspended", "terminated", None).await? {
            rec.record(
                tx,
                Some(&id),
                EventKind::CaseTerminated,
                json!({"on": day_after(&until)?, "resume_until": until, "as_of": as_of}),
            )
            .await?;
            report.terminated.push(id);
        }
    }
    Ok(())
}

const ENTRY_COLUMNS: &str = "l.id, l.application_id, l.material, l.name_zh, l.name_en, l.due, \
    l.remind_on, l.status, l.reminded_on, l.overdue_on, l.closed_on, a.number, a.matter, \
    a.case_state, a.resume_until";

/// The words for an entry's status, for the clerk's list.
fn status_label(status: &str) -> Value {
    let (zh, en) = match status {
        "owed" => ("待补交", "Owed"),
        "supplied" => ("已补交", "Supplied"),
        "overdue" => ("已逾期", "Overdue"),
        "waived" => ("免予补交", "Waived"),
        _ => ("", ""),
    };
    json!({ "zh": zh, "en": en })
}

/// The words for a case's state.
pub(crate) fn case_state_label(state: &str) -> Value {
    let (zh, en) = match state {
        "accepted" => ("已受理", "Accepted"),
        "pledged" => ("容缺受理，待补交", "Accepted on a pledge; items owed"),
        "pledge_kept" => ("已补齐，承诺已履行", "All supplied; pledge kept"),
        "suspended" => ("逾期未补齐，已中止办理", "Overdue; the case is suspended"),
        "resumed" => ("已补齐，恢复办理", "Supplied; the case resumed"),
        "terminated" => (
            "逾期未补齐，已终止办理",
            "Not supplied; the case is terminated",
        ),
        "correction_notified" => ("已一次性告知补正", "Correction notified"),
        "refused" => ("不予受理", "Not accepted"),
        _ => ("", ""),
    };
    json!({ "zh": zh, "en": en })
}

fn entry_json(row: &sqlx::any::AnyRow) -> Result<Value, sqlx::Error> {
    let text = |name: &str| row.try_get::<Option<String>, _>(name);
    let status = text("status")?.unwrap_or_default();
    let case_state = text("case_state")?.unwrap_or_default();
    Ok(json!({
        "status_label": status_label(&status),
        "case_state_label": case_state_label(&case_state),
        "id": text("id")?,
        "application": text("application_id")?,
        "number": text("number")?,
        "matter": text("matter")?,
        "material": text("material")?,
        "name": {"zh": text("name_zh")?, "en": text("name_en")?},
        "due": text("due")?,
        "remind_on": text("remind_on")?,
        "status": text("status")?,
        "reminded_on": text("reminded_on")?,
        "overdue_on": text("overdue_on")?,
        "closed_on": text("closed_on")?,
        "case_state": text("case_state")?,
        "resume_until": text("resume_until")?,
    }))
}

pub(crate) async fn entries_of(reg: &Register, application: &str) -> RegisterResult<Vec<Value>> {
    let rows = sqlx::query(&format!(
        "SELECT {ENTRY_COLUMNS} FROM ledger l JOIN applications a ON a.id = l.application_id \
         WHERE l.application_id = $1 ORDER BY l.due, l.material"
    ))
    .bind(application.to_string())
    .fetch_all(&reg.db.pool)
    .await?;
    Ok(rows.iter().map(entry_json).collect::<Result<_, _>>()?)
}

/// `GET /v1/ledger` filters.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    /// owed, supplied, overdue or waived.
    pub(crate) status: Option<String>,
    /// today (owed, due on `as_of`), soon (owed, reminder due, due after `as_of`) or overdue.
    pub(crate) due: Option<String>,
    /// The day the filters are relative to (default: today, China time).
    pub(crate) as_of: Option<String>,
}

pub(crate) async fn list(reg: &Register, query: &ListQuery) -> RegisterResult<Vec<Value>> {
    let as_of = match &query.as_of {
        Some(day) => qiquan::calendar::format_date(
            qiquan::calendar::parse_date(day).map_err(|e| e.at("as_of"))?,
        ),
        None => super::today_china(),
    };
    let mut conditions: Vec<String> = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    if let Some(status) = &query.status {
        if !["owed", "supplied", "overdue", "waived"].contains(&status.as_str()) {
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
            binds.push(as_of.clone());
            conditions.push(format!("l.status = 'owed' AND l.due = ${}", binds.len()));
        }
        Some("soon") => {
            binds.push(as_of.clone());
            let n = binds.len();
            conditions.push(format!(
                "l.status = 'owed' AND l.remind_on <= ${n} AND l.due > ${n}"
            ));
        }
        Some("overdue") => conditions.push("l.status = 'overdue'".into()),
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
    let mut q = sqlx::query(&sql);
    for bind in binds {
        q = q.bind(bind);
    }
    let rows = q.fetch_all(&reg.db.pool).await?;
    Ok(rows.iter().map(entry_json).collect::<Result<_, _>>()?)
}

/// The entries as CSV (RFC 4180), with a header row; for the clerk's spreadsheet.
pub(crate) fn to_csv(entries: &[Value]) -> String {
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
    for entry in entries {
        let cells: Vec<String> = COLUMNS
            .iter()
            .map(|c| {
                let value = if *c == "name" {
                    &entry["name"]["zh"]
                } else {
                    &entry[*c]
                };
                csv_cell(value.as_str().unwrap_or(""))
            })
            .collect();
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
