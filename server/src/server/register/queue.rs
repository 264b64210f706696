//! The clerk's work queue and case view: `GET /v1/applications` lists applications (no personal
//! data: numbers, matters, states and file counts), newest first, filtered; `GET
//! /v1/applications/{id}/materials/{material}` returns a received file's plain bytes to staff for
//! review (personal data: a reason, audited).

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::Register;
use super::error::{RegisterCode, RegisterError, RegisterResult};
use super::extract::{PathArg, QueryArg};
use super::states::{ApplicationStatus, CaseState};
use crate::server::AppState;
use crate::server::access;
use qiquan::model::Text;

/// The channels an applicant uses on their own (the queue's default): the register decided
/// these from the files alone, so a clerk looks at them.
const ONLINE: [&str; 2] = ["online", "mobile_online"];

/// The case states still open: a clerk may yet act on them.
const OPEN: [CaseState; 4] = [
    CaseState::Accepted,
    CaseState::Pledged,
    CaseState::Suspended,
    CaseState::Resumed,
];

/// The most rows one page of the queue holds.
const MAX_LIMIT: i64 = 200;

/// `GET /v1/applications` query.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct QueueQuery {
    /// `waiting` (default: decided, the case still open) or `all` (every application but drafts).
    pub(crate) state: Option<String>,
    /// `online` (default: online and mobile), `all`, or one channel's name.
    pub(crate) channel: Option<String>,
    /// One outcome (`accept`, `accept_with_pledge`, `correction_required`, `not_accepted`).
    pub(crate) outcome: Option<String>,
    /// One matter's id.
    pub(crate) matter: Option<String>,
    /// A 文号: that document's application, whatever the other filters say.
    pub(crate) number: Option<String>,
    /// At most this many rows (1–200, default 50).
    pub(crate) limit: Option<i64>,
}

/// One row of the queue's SELECT.
#[derive(sqlx::FromRow)]
struct QueueRow {
    id: String,
    matter: String,
    channel: String,
    status: String,
    created_at: String,
    decided_at: Option<String>,
    outcome: Option<String>,
    number: Option<String>,
    case_state: Option<String>,
    files: i64,
    flawed: i64,
}

/// One application in the queue (`QueueItem` in the OpenAPI document): no personal data.
#[derive(Debug, Serialize)]
pub(crate) struct QueueItem {
    pub(crate) id: String,
    pub(crate) matter: String,
    pub(crate) channel: String,
    pub(crate) status: ApplicationStatus,
    pub(crate) created_at: String,
    pub(crate) decided_at: Option<String>,
    pub(crate) outcome: Option<String>,
    pub(crate) number: Option<String>,
    pub(crate) case_state: Option<CaseState>,
    pub(crate) case_state_label: Text,
    /// Files received.
    pub(crate) files: i64,
    /// Of them, marked flawed by a clerk.
    pub(crate) flawed: i64,
}

/// The queue's answer.
#[derive(Debug, Serialize)]
pub(crate) struct QueueList {
    pub(crate) applications: Vec<QueueItem>,
}

impl TryFrom<QueueRow> for QueueItem {
    type Error = RegisterError;
    fn try_from(row: QueueRow) -> RegisterResult<QueueItem> {
        let case_state = row.case_state.map(CaseState::try_from).transpose()?;
        Ok(QueueItem {
            status: ApplicationStatus::try_from(row.status)?,
            case_state_label: super::ledger::case_state_label(case_state),
            case_state,
            id: row.id,
            matter: row.matter,
            channel: row.channel,
            created_at: row.created_at,
            decided_at: row.decided_at,
            outcome: row.outcome,
            number: row.number,
            files: row.files,
            flawed: row.flawed,
        })
    }
}

const OUTCOMES: [&str; 4] = [
    "accept",
    "accept_with_pledge",
    "correction_required",
    "not_accepted",
];
const CHANNELS: [&str; 5] = ["window", "online", "mobile_online", "mail", "kiosk"];

/// The WHERE conditions and their binds for `query` (pure: a table test below).
pub(crate) fn conditions(query: &QueueQuery) -> RegisterResult<(Vec<String>, Vec<String>)> {
    let mut conds: Vec<String> = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    let bind = |conds: &mut Vec<String>, binds: &mut Vec<String>, col: &str, v: &str| {
        binds.push(v.to_string());
        conds.push(format!("{col} = ${}", binds.len()));
    };
    if let Some(number) = query
        .number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        bind(&mut conds, &mut binds, "a.number", number);
        return Ok((conds, binds));
    }
    // Drafts are the applicant's unfinished work: not the clerk's.
    bind(
        &mut conds,
        &mut binds,
        "a.status",
        ApplicationStatus::Decided.as_str(),
    );
    match query.state.as_deref().unwrap_or("waiting") {
        "waiting" => {
            let mut open = Vec::new();
            for state in OPEN {
                binds.push(state.as_str().to_string());
                open.push(format!("${}", binds.len()));
            }
            conds.push(format!("a.case_state IN ({})", open.join(", ")));
        }
        "all" => {}
        _ => {
            return Err(RegisterError::invalid(
                "state 只能是 waiting（待处理）或 all（全部）。",
                "state must be waiting or all.",
            )
            .at("state"));
        }
    }
    match query.channel.as_deref().unwrap_or("online") {
        "online" => {
            let mut list = Vec::new();
            for c in ONLINE {
                binds.push(c.to_string());
                list.push(format!("${}", binds.len()));
            }
            conds.push(format!("a.channel IN ({})", list.join(", ")));
        }
        "all" => {}
        c if CHANNELS.contains(&c) => bind(&mut conds, &mut binds, "a.channel", c),
        _ => {
            return Err(RegisterError::invalid(
                "channel 只能是 online、all 或 window、mobile_online、mail、kiosk 之一。",
                "channel must be online, all, or one of window, mobile_online, mail, kiosk.",
            )
            .at("channel"));
        }
    }
    if let Some(outcome) = query.outcome.as_deref().filter(|o| !o.is_empty()) {
        if !OUTCOMES.contains(&outcome) {
            return Err(RegisterError::invalid(
                "outcome 只能是 accept、accept_with_pledge、correction_required 或 not_accepted。",
                "outcome must be accept, accept_with_pledge, correction_required or not_accepted.",
            )
            .at("outcome"));
        }
        bind(&mut conds, &mut binds, "a.outcome", outcome);
    }
    if let Some(matter) = query.matter.as_deref().filter(|m| !m.is_empty()) {
        bind(&mut conds, &mut binds, "a.matter", matter);
    }
    Ok((conds, binds))
}

/// The queue: newest first.
pub(crate) async fn queue(reg: &Register, query: &QueueQuery) -> RegisterResult<QueueList> {
    let limit = query.limit.unwrap_or(50);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(RegisterError::invalid(
            format!("limit 应在 1 到 {MAX_LIMIT} 之间。"),
            format!("limit must be between 1 and {MAX_LIMIT}."),
        )
        .at("limit"));
    }
    let (conds, binds) = conditions(query)?;
    let sql = format!(
        "SELECT a.id, a.matter, a.channel, a.status, a.created_at, a.decided_at, a.outcome, \
         a.number, a.case_state, \
         (SELECT COUNT(*) FROM uploads u WHERE u.application_id = a.id) AS files, \
         (SELECT COUNT(*) FROM uploads u WHERE u.application_id = a.id AND u.flawed <> 0) AS flawed \
         FROM applications a WHERE {} \
         ORDER BY COALESCE(a.decided_at, a.created_at) DESC, a.id DESC LIMIT {limit}",
        conds.join(" AND ")
    );
    let mut q = sqlx::query_as::<_, QueueRow>(&sql);
    for b in binds {
        q = q.bind(b);
    }
    let rows = q.fetch_all(&reg.db.pool).await?;
    Ok(QueueList {
        applications: rows
            .into_iter()
            .map(QueueItem::try_from)
            .collect::<RegisterResult<_>>()?,
    })
}

/// One received file's row.
#[derive(sqlx::FromRow)]
struct UploadRow {
    sha256: String,
    content_type: String,
}

/// A received file's plain bytes and media type.
pub(crate) async fn file(
    reg: &Register,
    id: &str,
    material: &str,
) -> RegisterResult<(Vec<u8>, String)> {
    let row = sqlx::query_as::<_, UploadRow>(
        "SELECT sha256, content_type FROM uploads WHERE application_id = $1 AND material = $2",
    )
    .bind(id.to_string())
    .bind(material.to_string())
    .fetch_optional(&reg.db.pool)
    .await?
    .ok_or_else(|| {
        RegisterError::new(
            RegisterCode::MaterialNotReceived,
            "该材料尚未收到文件。",
            "No file has been received for this material.",
        )
    })?;
    let hex = row.sha256.trim_start_matches("sha256:").to_string();
    if hex.len() < 2 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(RegisterError::storage("stored digest is not hex"));
    }
    let path = reg.files.path_of(&hex);
    let sealed = tokio::fs::read(&path)
        .await
        .map_err(RegisterError::storage)?;
    let plain = reg.key.open_file(&sealed)?;
    Ok((plain, row.content_type))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileQuery {
    reason: Option<String>,
}

/// `GET /v1/applications/{id}/materials/{material}`: the file as received, for the clerk's
/// review (shown inline, never cached), audited with the reason given.
pub(crate) async fn get_file(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    PathArg((id, material)): PathArg<(String, String)>,
    QueryArg(query): QueryArg<FileQuery>,
) -> RegisterResult<Response> {
    let reg = super::extract::register(&state)?;
    let why = access::reason(query.reason.as_deref())?;
    super::views::view(reg, &id).await?;
    let (bytes, content_type) = file(reg, &id, &material).await?;
    super::extract::audit_read(
        &state,
        reg,
        &super::extract::actor(&headers),
        Some(&id),
        json!({"what": "file", "material": material, "reason": why}),
    )
    .await?;
    let content_type = HeaderValue::from_str(&content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("inline"),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /v1/applications`: the clerk's work queue.
pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
    QueryArg(query): QueryArg<QueueQuery>,
) -> RegisterResult<Response> {
    let reg = super::extract::register(&state)?;
    let list = queue(reg, &query).await?;
    Ok(axum::Json(list).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(f: impl FnOnce(&mut QueueQuery)) -> QueueQuery {
        let mut query = QueueQuery::default();
        f(&mut query);
        query
    }

    #[test]
    fn queue_filters() {
        type Row = (
            QueueQuery,
            Result<(&'static str, Vec<&'static str>), &'static str>,
        );
        let rows: Vec<Row> = vec![
            (
                q(|_| {}),
                Ok((
                    "a.status = $1 AND a.case_state IN ($2, $3, $4, $5) AND a.channel IN ($6, $7)",
                    vec![
                        "decided",
                        "accepted",
                        "pledged",
                        "suspended",
                        "resumed",
                        "online",
                        "mobile_online",
                    ],
                )),
            ),
            (
                q(|q| {
                    q.state = Some("all".into());
                    q.channel = Some("all".into());
                    q.outcome = Some("accept".into());
                    q.matter = Some("m1".into());
                }),
                Ok((
                    "a.status = $1 AND a.outcome = $2 AND a.matter = $3",
                    vec!["decided", "accept", "m1"],
                )),
            ),
            (
                q(|q| {
                    q.number = Some(" 明审服受〔2026〕1号 ".into());
                    q.state = Some("bogus".into());
                }),
                Ok(("a.number = $1", vec!["明审服受〔2026〕1号"])),
            ),
            (
                q(|q| {
                    q.state = Some("all".into());
                    q.channel = Some("kiosk".into());
                }),
                Ok(("a.status = $1 AND a.channel = $2", vec!["decided", "kiosk"])),
            ),
            (q(|q| q.state = Some("open".into())), Err("state")),
            (q(|q| q.channel = Some("fax".into())), Err("channel")),
            (q(|q| q.outcome = Some("maybe".into())), Err("outcome")),
        ];
        for (query, want) in rows {
            let got = conditions(&query);
            match (got, want) {
                (Ok((conds, binds)), Ok((sql, values))) => {
                    assert_eq!(conds.join(" AND "), sql);
                    assert_eq!(binds, values);
                }
                (Err(e), Err(at)) => {
                    assert_eq!(e.code.as_str(), "invalid_request");
                    assert_eq!(e.at.as_deref(), Some(at));
                }
                (got, want) => panic!("{query:?}: {:?} vs {want:?}", got.map(|g| g.0)),
            }
        }
    }
}
