//! The case's HTTP endpoints after acceptance (clerk) and the supervisor's (电子监察): thin
//! handlers over [`super::cases`] and [`super::supervision`]; who may call each is
//! `access/table.rs`.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde::Deserialize;

use super::cases::{self, CaseView, StepRequest};
use super::error::RegisterResult;
use super::extract::{PathArg, QueryArg, ReasonQuery, actor, audit_read, read_json, register};
use super::supervision::{self, CaseFilter, CaseLine, FigureQuery, FigureReport};
use crate::server::AppState;
use crate::server::access::error::{AccessCode, AccessError};
use crate::server::access::{self, Caller};

/// The route templates, for the metrics' route label.
pub(crate) const ROUTES: [&str; 6] = [
    "/v1/applications/{id}/case",
    "/v1/applications/{id}/case/documents/{seq}",
    "/v1/supervision/cases",
    "/v1/supervision/figures",
    "/v1/supervision/figures.csv",
    "/v1/supervision/events.jsonl",
];

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1/applications/{id}/case", get(show).post(step))
        .route("/v1/applications/{id}/case/documents/{seq}", get(document))
        .route("/v1/supervision/cases", get(list))
        .route("/v1/supervision/figures", get(figures))
        .route("/v1/supervision/figures.csv", get(figures_csv))
        .route("/v1/supervision/events.jsonl", get(export))
}

/// A read's day: `as_of` as given (any day: reading changes nothing), else today.
fn read_day(as_of: Option<&str>) -> RegisterResult<String> {
    match as_of {
        None => Ok(crate::server::clock::today_china()),
        Some(given) => {
            let date = qiquan::calendar::parse_date(given).map_err(|e| e.at("/as_of"))?;
            Ok(qiquan::calendar::format_date(date))
        }
    }
}

/// A step's day: today; another day in dev or test mode only (as the ledger sweep's `as_of`).
fn step_day(state: &AppState, on: Option<&str>) -> RegisterResult<String> {
    let today = crate::server::clock::today_china();
    let Some(given) = on else { return Ok(today) };
    let date = qiquan::calendar::parse_date(given).map_err(|e| e.at("/on"))?;
    let date = qiquan::calendar::format_date(date);
    if date != today && !state.access.dev_mode {
        return Err(AccessError::new(
            AccessCode::AsOfNotAllowed,
            "生产环境中办理环节按服务器日期记录，不接受 on（仅开发或测试模式）。",
            "In production a step is recorded on the server's date; on is accepted in dev or test mode only.",
        ));
    }
    Ok(date)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AsOf {
    as_of: Option<String>,
}

async fn show(
    State(state): State<Arc<AppState>>,
    PathArg(id): PathArg<String>,
    QueryArg(query): QueryArg<AsOf>,
) -> RegisterResult<Json<CaseView>> {
    let reg = register(&state)?;
    let as_of = read_day(query.as_of.as_deref())?;
    Ok(Json(cases::view(&state, reg, &id, &as_of).await?))
}

async fn step(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    PathArg(id): PathArg<String>,
    body: Body,
) -> RegisterResult<(StatusCode, Json<CaseView>)> {
    let reg = register(&state)?;
    let text = read_json(&headers, body).await?;
    let request: StepRequest = qiquan::parse_json(&text, "request")?;
    let on = step_day(&state, request.on.as_deref())?;
    cases::record(&state, reg, &id, request, &on, &actor(&headers)).await?;
    let view = cases::view(&state, reg, &id, &on).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

async fn document(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    PathArg((id, seq)): PathArg<(String, i64)>,
    QueryArg(query): QueryArg<ReasonQuery>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let document = cases::document(reg, &id, seq).await?;
    if caller.staff.is_some() {
        let why = access::reason(Some(query.reason.as_deref().unwrap_or("print_document")))?;
        let detail = serde_json::json!({"what": "case_document", "seq": seq, "reason": why});
        audit_read(&state, reg, &actor(&headers), Some(&id), detail).await?;
    }
    Ok(typed(document, "application/json"))
}

fn typed(body: String, content_type: &'static str) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body,
    )
        .into_response()
}

async fn list(
    State(state): State<Arc<AppState>>,
    QueryArg(filter): QueryArg<CaseFilter>,
) -> RegisterResult<Json<Vec<CaseLine>>> {
    let reg = register(&state)?;
    let as_of = read_day(filter.as_of.as_deref())?;
    Ok(Json(
        supervision::case_list(&state, reg, &as_of, &filter).await?,
    ))
}

async fn report(state: &AppState, query: &FigureQuery) -> RegisterResult<FigureReport> {
    let reg = register(state)?;
    let as_of = read_day(query.as_of.as_deref())?;
    supervision::figures(state, reg, query, &as_of).await
}

async fn figures(
    State(state): State<Arc<AppState>>,
    QueryArg(query): QueryArg<FigureQuery>,
) -> RegisterResult<Json<FigureReport>> {
    Ok(Json(report(&state, &query).await?))
}

async fn figures_csv(
    State(state): State<Arc<AppState>>,
    QueryArg(query): QueryArg<FigureQuery>,
) -> RegisterResult<Response> {
    let report = report(&state, &query).await?;
    let mut response = typed(supervision::figures_csv(&report), "text/csv; charset=utf-8");
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"figures.csv\""),
    );
    Ok(response)
}

async fn export(
    State(state): State<Arc<AppState>>,
    QueryArg(query): QueryArg<AsOf>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let as_of = read_day(query.as_of.as_deref())?;
    let body = supervision::export(&state, reg, &as_of).await?;
    Ok(typed(body, "application/x-ndjson"))
}
