//! `GET /v1/audit/events`: the audit trail across applications, newest first, for auditors —
//! the reads of personal data (`personal_data_read`: lookups, answers, documents), hand-over
//! openings, and every state change. Details are the scrubbed copies (no ID or phone numbers).

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::server::AppState;
use crate::server::register::audit::{EventRow, TrailEvent};
use crate::server::register::error::{RegisterCode, RegisterError, RegisterResult};

/// Most events one answer holds.
const MAX_LIMIT: i64 = 1000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TrailQuery {
    /// Only events of this kind (`personal_data_read`, `handover_opened`, …).
    kind: Option<String>,
    /// At most this many (default 100, at most 1000).
    limit: Option<i64>,
}

pub(crate) async fn events(
    State(state): State<Arc<AppState>>,
    query: Result<Query<TrailQuery>, QueryRejection>,
) -> RegisterResult<Response> {
    let Query(query) = query.map_err(|e| {
        RegisterError::invalid("查询参数不正确。", "The query is malformed.").at(e.body_text())
    })?;
    let reg = state.register.as_ref().ok_or_else(|| {
        RegisterError::new(
            RegisterCode::Storage,
            "本服务未启用登记簿。",
            "The case register is not enabled on this server.",
        )
    })?;
    let limit = query.limit.unwrap_or(100).clamp(1, MAX_LIMIT);
    let rows: Vec<EventRow> = match &query.kind {
        Some(kind) => {
            sqlx::query_as(
                "SELECT application_id, at, actor, kind, detail, rules_digest FROM events \
                 WHERE kind = $1 ORDER BY at DESC, ord DESC LIMIT $2",
            )
            .bind(kind.clone())
            .bind(limit)
            .fetch_all(&reg.db.pool)
            .await?
        }
        None => {
            sqlx::query_as(
                "SELECT application_id, at, actor, kind, detail, rules_digest FROM events \
                 ORDER BY at DESC, ord DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(&reg.db.pool)
            .await?
        }
    };
    let events = rows
        .into_iter()
        .map(TrailEvent::try_from)
        .collect::<RegisterResult<Vec<_>>>()?;
    let body = serde_json::to_string(&Trail { events }).map_err(RegisterError::storage)?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response())
}

/// The answer: the events, newest first.
#[derive(Serialize)]
struct Trail {
    events: Vec<TrailEvent>,
}
