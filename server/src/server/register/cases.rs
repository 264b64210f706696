//! The case after acceptance: the steps a clerk records (review, hearing offered, special
//! procedure start and end, extension, decision, service, 办结), each checked by the engine's
//! `case::step` through `Engine::case_clock` before it is stored, the document it issues
//! numbered in the same transaction, and an audit event with actor and time. The case's record
//! for the engine is built here from three sources: the acceptance (the decided application),
//! the 容缺 ledger's events (pledge kept, suspended, resumed, terminated) and `case_steps`.

use qiquan::case::clock::CaseClock;
use qiquan::case::documents::{CaseDocument, CaseDocumentKind};
use qiquan::case::{CaseEvent, CaseRecord};
use serde::{Deserialize, Serialize};

use super::audit::{EventKind, Recorder};
use super::error::{RegisterCode, RegisterError, RegisterResult};
use super::states::{CaseDocumentName, CaseStepEvent};
use super::{Register, numbers};
use crate::server::AppState;

/// One decided application as the case views need it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CaseHead {
    pub(crate) id: String,
    pub(crate) matter: String,
    pub(crate) channel: String,
    /// The window that received it (from the clerk's sign-in), else the channel.
    pub(crate) window: String,
    pub(crate) outcome: Option<String>,
    pub(crate) created_at: String,
    /// The 受理通知书's 文号.
    pub(crate) number: Option<String>,
    /// The acceptance day (the verdict's `deadlines.accepted_on`), for accepted cases.
    pub(crate) accepted_on: Option<String>,
}

/// The fields of the stored (scrubbed) verdict the case needs.
#[derive(Deserialize)]
struct StoredVerdict {
    deadlines: StoredDeadlines,
}

#[derive(Deserialize)]
struct StoredDeadlines {
    accepted_on: String,
}

/// A stored step, as listed.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StepRow {
    pub(crate) seq: i64,
    pub(crate) on: String,
    pub(crate) event: CaseStepEvent,
    /// The engine's name for the step.
    pub(crate) label: qiquan::model::Text,
    pub(crate) actor: String,
    pub(crate) at: String,
    pub(crate) document_kind: Option<CaseDocumentName>,
    pub(crate) document_number: Option<String>,
    #[serde(skip)]
    record: String,
}

/// `GET /v1/applications/{id}/case`: the case's clock on `as_of`, its steps and documents.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CaseView {
    #[serde(flatten)]
    pub(crate) head: CaseHead,
    pub(crate) clock: CaseClock,
    pub(crate) stage_label: qiquan::model::Text,
    pub(crate) lamp_label: qiquan::model::Text,
    pub(crate) steps: Vec<StepRow>,
    /// What a clerk may record next, with the words to choose with (the steps page's form).
    pub(crate) choices: qiquan::case::CaseChoices,
}

/// The step a clerk records: the engine's event, and its day (default today; another day in dev
/// or test mode only, as the ledger's `as_of`).
#[derive(Debug, Deserialize)]
pub(crate) struct StepRequest {
    #[serde(default)]
    pub(crate) on: Option<String>,
    #[serde(flatten)]
    pub(crate) event: CaseEvent,
}

const HEAD_COLUMNS: &str =
    "id, matter, channel, outcome, created_at, created_by, number, verdict FROM applications";

/// One row of `applications` as the case reads it.
#[derive(sqlx::FromRow)]
struct HeadRow {
    id: String,
    matter: String,
    channel: String,
    outcome: Option<String>,
    created_at: String,
    created_by: String,
    number: Option<String>,
    /// The scrubbed verdict (no personal data): its acceptance day.
    verdict: Option<String>,
}

/// One row of `case_steps`.
#[derive(sqlx::FromRow)]
struct StepRecordRow {
    seq: i64,
    on_day: String,
    /// Decoded into [`CaseStepEvent`] (sqlx's Any driver reads TEXT only as a string).
    event: String,
    actor: String,
    at: String,
    document_kind: Option<String>,
    document_number: Option<String>,
    record: String,
}

fn head_of(row: HeadRow) -> RegisterResult<CaseHead> {
    let HeadRow {
        id,
        matter,
        channel,
        outcome,
        created_at,
        created_by,
        number,
        verdict,
    } = row;
    let accepted = matches!(outcome.as_deref(), Some("accept" | "accept_with_pledge"));
    let accepted_on = match (accepted, verdict) {
        (true, Some(text)) => Some(
            serde_json::from_str::<StoredVerdict>(&text)
                .map_err(RegisterError::storage)?
                .deadlines
                .accepted_on,
        ),
        _ => None,
    };
    // The window (收件窗口) a clerk signed in at: `role:user@WINDOW`; else the channel.
    let window = created_by
        .rsplit_once('@')
        .map_or_else(|| channel.clone(), |(_, w)| w.to_string());
    Ok(CaseHead {
        id,
        matter,
        channel,
        window,
        outcome,
        created_at,
        number,
        accepted_on,
    })
}

/// Every decided application, oldest first.
pub(crate) async fn heads(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
) -> RegisterResult<Vec<CaseHead>> {
    let rows: Vec<HeadRow> = sqlx::query_as(&format!(
        "SELECT {HEAD_COLUMNS} WHERE status = 'decided' ORDER BY created_at, id"
    ))
    .fetch_all(executor)
    .await?;
    rows.into_iter().map(head_of).collect()
}

async fn head(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    id: &str,
) -> RegisterResult<CaseHead> {
    let row: HeadRow = sqlx::query_as(&format!("SELECT {HEAD_COLUMNS} WHERE id = $1"))
        .bind(id.to_string())
        .fetch_optional(executor)
        .await?
        .ok_or_else(RegisterError::application_not_found)?;
    head_of(row)
}

async fn steps(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    id: &str,
) -> RegisterResult<Vec<StepRow>> {
    let rows: Vec<StepRecordRow> = sqlx::query_as(
        "SELECT seq, on_day, event, actor, at, document_kind, document_number, record \
         FROM case_steps WHERE application_id = $1 ORDER BY seq",
    )
    .bind(id.to_string())
    .fetch_all(executor)
    .await?;
    rows.into_iter()
        .map(|r| -> RegisterResult<StepRow> {
            let record: CaseRecord =
                serde_json::from_str(&r.record).map_err(RegisterError::storage)?;
            Ok(StepRow {
                seq: r.seq,
                on: r.on_day,
                event: CaseStepEvent::try_from(r.event)?,
                label: record.event.label(),
                actor: r.actor,
                at: r.at,
                document_kind: r
                    .document_kind
                    .map(CaseDocumentName::try_from)
                    .transpose()?,
                document_number: r.document_number,
                record: r.record,
            })
        })
        .collect()
}

/// The ledger's events that move the case (the day each happened, China time).
async fn pledge_events(
    executor: impl sqlx::Executor<'_, Database = sqlx::Any>,
    id: &str,
) -> RegisterResult<Vec<(String, String, CaseEvent)>> {
    let kinds = [
        (EventKind::PledgeKept, CaseEvent::PledgeKept),
        (EventKind::CaseSuspended, CaseEvent::PledgeSuspended),
        (EventKind::CaseResumed, CaseEvent::PledgeResumed),
        (EventKind::CaseTerminated, CaseEvent::PledgeTerminated),
    ];
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT at, kind FROM events WHERE application_id = $1 AND kind IN ($2, $3, $4, $5) \
         ORDER BY at, ord",
    )
    .bind(id.to_string())
    .bind(kinds[0].0.as_str())
    .bind(kinds[1].0.as_str())
    .bind(kinds[2].0.as_str())
    .bind(kinds[3].0.as_str())
    .fetch_all(executor)
    .await?;
    let mut out = Vec::new();
    for (at, kind) in rows {
        let kind = EventKind::try_from(kind)?;
        if let Some((_, event)) = kinds.iter().find(|(k, _)| *k == kind) {
            out.push((at.get(..10).unwrap_or("").to_string(), at, event.clone()));
        }
    }
    Ok(out)
}

/// The case's record for the engine: the acceptance, then the ledger's events and the steps
/// by day (on one day, by the instant recorded).
fn records(
    head: &CaseHead,
    pledged: bool,
    pledge: Vec<(String, String, CaseEvent)>,
    steps: &[StepRow],
) -> RegisterResult<Vec<CaseRecord>> {
    let Some(accepted_on) = &head.accepted_on else {
        return Err(RegisterError::new(
            RegisterCode::InvalidState,
            "该申请未受理，没有后续办理环节。",
            "The application was not accepted; it has no case to handle.",
        ));
    };
    let mut dated: Vec<(String, String, CaseEvent)> = pledge;
    for step in steps {
        let record: CaseRecord =
            serde_json::from_str(&step.record).map_err(RegisterError::storage)?;
        dated.push((record.on, step.at.clone(), record.event));
    }
    dated.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut out = vec![CaseRecord {
        on: accepted_on.clone(),
        event: CaseEvent::Accepted { pledged },
    }];
    out.extend(
        dated
            .into_iter()
            .map(|(on, _, event)| CaseRecord { on, event }),
    );
    Ok(out)
}

/// Everything the engine needs of one case, read in one place.
pub(crate) struct CaseData {
    pub(crate) head: CaseHead,
    pub(crate) steps: Vec<StepRow>,
    pub(crate) records: Vec<CaseRecord>,
}

pub(crate) async fn load(conn: &mut sqlx::AnyConnection, id: &str) -> RegisterResult<CaseData> {
    let head = head(&mut *conn, id).await?;
    let steps = steps(&mut *conn, id).await?;
    let pledge = pledge_events(&mut *conn, id).await?;
    let pledged = head.outcome.as_deref() == Some("accept_with_pledge");
    let records = records(&head, pledged, pledge, &steps)?;
    Ok(CaseData {
        head,
        steps,
        records,
    })
}

/// The case view on `as_of`.
pub(crate) async fn view(
    state: &AppState,
    reg: &Register,
    id: &str,
    as_of: &str,
) -> RegisterResult<CaseView> {
    let mut conn = reg.db.pool.acquire().await?;
    let data = load(&mut conn, id).await?;
    let clock = state
        .engine()
        .case_clock(&data.head.matter, &data.records, as_of)?;
    Ok(CaseView {
        stage_label: clock.stage.label(),
        choices: qiquan::case::choices(clock.stage),
        lamp_label: clock.lamp.label(),
        head: data.head,
        clock,
        steps: data.steps,
    })
}

/// Records a step: the engine replays the case with it (refusing a step the case cannot take),
/// the document it issues is numbered and sealed, and the audit event written, in one
/// transaction.
pub(crate) async fn record(
    state: &AppState,
    reg: &Register,
    id: &str,
    request: StepRequest,
    on: &str,
    actor: &str,
) -> RegisterResult<()> {
    let name = CaseStepEvent::parse(request.event.name()).ok_or_else(|| {
        RegisterError::invalid(
            "受理和容缺事件由登记簿自动记录，不能在此提交。",
            "Acceptance and pledge events are recorded by the register itself.",
        )
        .at("/event")
    })?;
    let engine = state.engine();
    // Read before the write begins (SQLite's one writer holds the pool's connection).
    let addressee = match CaseDocumentKind::of_event(&request.event) {
        Some(_) => addressee(reg, id).await?,
        None => String::new(),
    };
    let mut rec = Recorder::new(actor, engine.rules_digest());
    let mut tx = reg.db.begin().await?;
    let data = load(&mut tx, id).await?;
    if let Some(last) = data.records.last()
        && on < last.on.as_str()
    {
        return Err(RegisterError::invalid(
            "办理环节的日期不能早于上一环节。",
            "A step cannot be dated before the previous one.",
        )
        .at("/on"));
    }
    let record = CaseRecord {
        on: on.to_string(),
        event: request.event,
    };
    let mut records = data.records.clone();
    records.push(record.clone());
    // The engine's verdict on the step: refused steps answer 409 invalid_case_event.
    engine.case_clock(&data.head.matter, &records, on)?;
    let index = records.len() - 1;
    let mut document: Option<(CaseDocumentName, String, String)> = None;
    if let Some(kind) = CaseDocumentKind::of_event(&record.event) {
        // A 送达回证 names the decision it serves; the others the 受理通知书.
        let reference = match kind {
            CaseDocumentKind::ServiceReceipt => data
                .steps
                .iter()
                .rev()
                .find(|s| s.event == CaseStepEvent::Decided)
                .and_then(|s| s.document_number.clone()),
            _ => data.head.number.clone(),
        };
        let mut doc: CaseDocument = engine.case_document(
            &data.head.matter,
            &records,
            index,
            &addressee,
            reference.as_deref(),
        )?;
        let seq =
            numbers::next(&mut tx, &format!("case_{}", kind.as_str()), doc.number.year).await?;
        doc.numbered(u64::try_from(seq).unwrap_or(0));
        let json = qiquan::to_pretty_json(&doc);
        let sealed = reg.key.seal(json.as_bytes())?;
        let name = CaseDocumentName::parse(kind.as_str())
            .ok_or_else(|| RegisterError::storage("unknown case document kind"))?;
        document = Some((name, doc.number.text.clone(), sealed));
    }
    let seq = data.steps.last().map_or(1, |s| s.seq + 1);
    let record_json = serde_json::to_string(&record).map_err(RegisterError::storage)?;
    sqlx::query(
        "INSERT INTO case_steps (id, application_id, seq, on_day, event, record, actor, at, \
         document_kind, document_number, document_sealed) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(super::new_id("stp")?)
    .bind(id.to_string())
    .bind(seq)
    .bind(on.to_string())
    .bind(name.as_str())
    .bind(record_json)
    .bind(actor.to_string())
    .bind(rec.at.clone())
    .bind(document.as_ref().map(|d| d.0.as_str()))
    .bind(document.as_ref().map(|d| d.1.clone()))
    .bind(document.as_ref().map(|d| d.2.clone()))
    .execute(&mut *tx)
    .await
    .map_err(|e| {
        if super::db::is_unique_violation(&e) {
            RegisterError::new(
                RegisterCode::InvalidState,
                "另一位工作人员刚刚记录了该案件的环节，请刷新后重试。",
                "Another clerk has just recorded a step of this case; reload and retry.",
            )
        } else {
            e.into()
        }
    })?;
    let detail = StepAudit {
        on,
        seq,
        document_number: document.as_ref().map(|d| d.1.as_str()),
    };
    rec.record(
        &mut tx,
        Some(id),
        name.event_kind(),
        serde_json::to_value(&detail).map_err(RegisterError::storage)?,
    )
    .await?;
    reg.db.commit(tx).await
}

#[derive(Serialize)]
struct StepAudit<'a> {
    on: &'a str,
    seq: i64,
    document_number: Option<&'a str>,
}

/// The applicant's name as the acceptance notice printed it (the sealed verdict).
async fn addressee(reg: &Register, id: &str) -> RegisterResult<String> {
    #[derive(Deserialize)]
    struct Verdict {
        notice: Notice,
    }
    #[derive(Deserialize)]
    struct Notice {
        addressee: Addressee,
    }
    #[derive(Deserialize)]
    struct Addressee {
        name: Option<String>,
    }
    let document = super::views::document(reg, id).await?;
    let verdict: Verdict =
        serde_json::from_str(&document.verdict_json).map_err(RegisterError::storage)?;
    Ok(verdict.notice.addressee.name.unwrap_or_default())
}

/// A step's document, decrypted (the applicant is named in it).
pub(crate) async fn document(reg: &Register, id: &str, seq: i64) -> RegisterResult<String> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT document_sealed FROM case_steps WHERE application_id = $1 AND seq = $2",
    )
    .bind(id.to_string())
    .bind(seq)
    .fetch_optional(&reg.db.pool)
    .await?;
    let sealed = row.and_then(|(sealed,)| sealed).ok_or_else(|| {
        RegisterError::new(
            RegisterCode::ApplicationNotFound,
            "该办理环节没有文书。",
            "That step issued no document.",
        )
    })?;
    let plain = reg.key.open(&sealed)?;
    String::from_utf8(plain).map_err(RegisterError::storage)
}
