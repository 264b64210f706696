//! The register's HTTP endpoints: thin handlers over [`super::applications`],
//! [`super::ledger`] and [`super::handover`].

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use sqlx::Row;

use super::audit::{EventKind, Recorder};
use super::db::is_unique_violation;
use super::error::{RegisterCode, RegisterError, RegisterResult};
use super::{Register, applications, handover, ledger};
use crate::server::AppState;
use qiquan::Submission;

/// Largest JSON body the register reads (the engine's submission limit plus the envelope).
const JSON_LIMIT: usize = qiquan::submission::MAX_SUBMISSION_BYTES + 4096;

/// The register's route templates, for the metrics' route label.
pub(crate) const ROUTES: [&str; 18] = [
    "/v1/applications",
    "/v1/applications/lookup",
    "/v1/applications/{id}",
    "/v1/applications/{id}/answers",
    "/v1/applications/{id}/document",
    "/v1/applications/{id}/events",
    "/v1/applications/{id}/submit",
    "/v1/applications/{id}/materials/{material}",
    "/v1/applications/{id}/materials/{material}/flaw",
    "/v1/receipts/{number}",
    "/v1/handover",
    "/v1/handover/{code}",
    "/v1/handover/{code}/qr.svg",
    "/v1/ledger",
    "/v1/ledger.csv",
    "/v1/ledger/sweep",
    "/v1/ledger/{entry}/supply",
    "/v1/ledger/{entry}/waive",
];

/// The register's routes (merged into the server's router).
pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1/applications", post(create))
        .route("/v1/applications/lookup", post(lookup))
        .route("/v1/applications/{id}", get(show))
        .route("/v1/applications/{id}/answers", get(answers))
        .route("/v1/applications/{id}/document", get(document))
        .route("/v1/applications/{id}/events", get(events))
        .route("/v1/applications/{id}/submit", post(submit))
        .route("/v1/applications/{id}/materials/{material}", put(upload))
        .route(
            "/v1/applications/{id}/materials/{material}/flaw",
            post(flaw),
        )
        .route("/v1/receipts/{number}", get(receipt))
        .route("/v1/handover", post(create_handover))
        .route("/v1/handover/{code}", get(get_handover))
        .route("/v1/handover/{code}/qr.svg", get(handover_qr))
        .route("/v1/ledger", get(list_ledger))
        .route("/v1/ledger.csv", get(ledger_csv))
        .route("/v1/ledger/sweep", post(sweep))
        .route("/v1/ledger/{entry}/supply", post(supply))
        .route("/v1/ledger/{entry}/waive", post(waive))
}

fn register(state: &AppState) -> RegisterResult<&Register> {
    state.register.as_ref().ok_or_else(|| {
        RegisterError::new(
            RegisterCode::Storage,
            "本服务未启用登记簿。",
            "The case register is not enabled on this server.",
        )
    })
}

fn json_response(status: StatusCode, value: &Value) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        value.to_string(),
    )
        .into_response()
}

/// Who acts: the `X-Qiquan-Actor` header (set by the authenticating proxy in front of the
/// clerk's pages), else `anonymous`. Printable ASCII, at most 64 characters.
fn actor(headers: &HeaderMap) -> String {
    headers
        .get("x-qiquan-actor")
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.chars()
                .filter(|c| c.is_ascii_graphic() || *c == ' ')
                .take(64)
                .collect::<String>()
        })
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "anonymous".into())
}

/// A path parameter (or a tuple of them): a malformed one is the register's `invalid` error.
struct PathArg<T>(T);

impl<T, S> FromRequestParts<S> for PathArg<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = RegisterError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> RegisterResult<Self> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(PathArg(value)),
            Err(rejection) => Err(RegisterError::invalid(
                "路径参数不正确。",
                "The path parameter is malformed.",
            )
            .at(rejection.body_text())),
        }
    }
}

/// The query string: a malformed one is the register's `invalid` error.
struct QueryArg<T>(T);

impl<T, S> FromRequestParts<S> for QueryArg<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = RegisterError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> RegisterResult<Self> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(QueryArg(value)),
            Err(rejection) => Err(RegisterError::invalid(
                "查询参数不正确。",
                "The query is malformed.",
            )
            .at(rejection.body_text())),
        }
    }
}

/// 200 with `value` as JSON.
fn ok(value: &Value) -> RegisterResult<Response> {
    Ok(json_response(StatusCode::OK, value))
}

async fn read_json(headers: &HeaderMap, body: Body) -> RegisterResult<String> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .eq_ignore_ascii_case("application/json")
        });
    if !is_json {
        return Err(RegisterError::new(
            RegisterCode::UnsupportedMediaType,
            "请求体必须是 JSON（Content-Type: application/json）。",
            "The request body must be JSON (Content-Type: application/json).",
        ));
    }
    let bytes = axum::body::to_bytes(body, JSON_LIMIT).await.map_err(|_| {
        RegisterError::from(qiquan::Error::new(
            qiquan::ErrorCode::InputTooLarge,
            format!("请求过大，上限为 {JSON_LIMIT} 字节。"),
            format!("The request body is too large; the limit is {JSON_LIMIT} bytes."),
        ))
    })?;
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        RegisterError::from(qiquan::Error::new(
            qiquan::ErrorCode::InvalidJson,
            "请求体不是 UTF-8 编码的 JSON。",
            "The request body is not UTF-8 JSON.",
        ))
    })
}

/// `Idempotency-Key`: 1–128 characters of letters, digits and `-_.:`.
fn idempotency_key(headers: &HeaderMap) -> RegisterResult<Option<String>> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or("");
    let ok = !key.is_empty()
        && key.len() <= 128
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b));
    if ok {
        Ok(Some(key.to_string()))
    } else {
        Err(RegisterError::new(
            RegisterCode::InvalidIdempotencyKey,
            "Idempotency-Key 应为 1–128 个字母、数字或 -_.: 字符。",
            "Idempotency-Key must be 1–128 letters, digits or -_.: characters.",
        ))
    }
}

async fn create(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let key = idempotency_key(&headers)?;
    let text = read_json(&headers, body).await?;
    let (id, created) = applications::create(&state, reg, key, &text, &actor(&headers)).await?;
    let view = applications::view(reg, &id).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(json_response(status, &view))
}

/// A POST body, not a query string: URLs end up in proxies' access logs.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LookupRequest {
    id_card: Option<String>,
    phone: Option<String>,
}

async fn lookup(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let text = read_json(&headers, body).await?;
    let query: LookupRequest = qiquan::parse_json(&text, "request")?;
    let (kind, value) = match (&query.id_card, &query.phone) {
        (Some(v), None) => ("id_card", v),
        (None, Some(v)) => ("phone", v),
        _ => {
            return Err(RegisterError::invalid(
                "请只给出 id_card 或 phone 其中之一。",
                "Give exactly one of id_card or phone.",
            ));
        }
    };
    let ids = applications::lookup(reg, kind, value).await?;
    ok(&json!({ "applications": ids }))
}

async fn show(
    State(state): State<Arc<AppState>>,
    PathArg(id): PathArg<String>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    ok(&applications::view(reg, &id).await?)
}

async fn answers(
    State(state): State<Arc<AppState>>,
    PathArg(id): PathArg<String>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    ok(&applications::answers(reg, &id).await?)
}

async fn document(
    State(state): State<Arc<AppState>>,
    PathArg(id): PathArg<String>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    ok(&applications::document(reg, &id).await?)
}

async fn events(
    State(state): State<Arc<AppState>>,
    PathArg(id): PathArg<String>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    applications::view(reg, &id).await?;
    let events = applications::events(reg, &id).await?;
    ok(&json!({ "events": events }))
}

async fn submit(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    PathArg(id): PathArg<String>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    applications::submit(&state, reg, &id, &actor(&headers)).await?;
    ok(&applications::view(reg, &id).await?)
}

async fn upload(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    PathArg((id, material)): PathArg<(String, String)>,
    body: Body,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if let Some(length) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        && length > 512 * 1024 * 1024
    {
        return Err(super::files::too_large(512 * 1024 * 1024));
    }
    applications::upload(
        &state,
        reg,
        &id,
        &material,
        &content_type,
        body,
        &actor(&headers),
    )
    .await?;
    ok(&applications::view(reg, &id).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FlawRequest {
    note: String,
}

async fn flaw(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    PathArg((id, material)): PathArg<(String, String)>,
    body: Body,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let text = read_json(&headers, body).await?;
    let request: FlawRequest = qiquan::parse_json(&text, "request")?;
    let mut note = serde_json::Value::String(request.note.trim().chars().take(500).collect());
    // A flaw note is about the paper, not the person: numbers that look personal are dropped.
    applications::scrub(&mut note);
    let note = note.as_str().unwrap_or("").to_string();
    if note.is_empty() {
        return Err(RegisterError::invalid(
            "请写明瑕疵所在，例如“未加盖公章”。",
            "Say what the flaw is, e.g. “no official seal”.",
        )
        .at("/note"));
    }
    applications::view(reg, &id).await?;
    applications::flaw(&state, reg, &id, &material, &note, &actor(&headers)).await?;
    ok(&applications::view(reg, &id).await?)
}

async fn receipt(
    State(state): State<Arc<AppState>>,
    PathArg(number): PathArg<String>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    ok(&applications::by_number(&state, reg, &number).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HandoverRequest {
    matter: String,
    /// Kept exactly as sent (after checking it is a valid submission).
    submission: Value,
}

async fn create_handover(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let text = read_json(&headers, body).await?;
    let request: HandoverRequest = qiquan::parse_json(&text, "request")?;
    let engine = state.engine();
    engine.matter(&request.matter, None)?;
    let submission: Submission =
        serde_json::from_value(request.submission.clone()).map_err(|e| {
            RegisterError::from(
                qiquan::Error::new(
                    qiquan::ErrorCode::InvalidSubmission,
                    "submission 不是有效的申请数据。",
                    "submission is not a valid submission.",
                )
                .detail(e.to_string()),
            )
            .at("/submission")
        })?;
    let plain =
        serde_json::to_string(&json!({"matter": request.matter, "submission": request.submission}))
            .map_err(RegisterError::storage)?;
    let sealed = reg.key.seal(plain.as_bytes())?;
    let channel = serde_json::to_value(submission.channel)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    for _ in 0..8 {
        let code = handover::new_code()?;
        let mut rec = Recorder::new(&actor(&headers), engine.rules_digest());
        let mut tx = reg.db.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO handovers (code, matter, channel, answers_sealed, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(code.clone())
        .bind(request.matter.clone())
        .bind(channel.clone())
        .bind(sealed.clone())
        .bind(rec.at.clone())
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => continue,
            Err(e) => return Err(e.into()),
            Ok(_) => {}
        }
        rec.record(
            &mut tx,
            None,
            EventKind::HandoverCreated,
            json!({"code": code, "matter": request.matter}),
        )
        .await?;
        tx.commit().await?;
        return Ok(json_response(
            StatusCode::CREATED,
            &json!({
                "code": code,
                "matter": request.matter,
                "created_at": rec.at,
                "valid_hours": handover::TTL_HOURS,
            }),
        ));
    }
    Err(RegisterError::storage(
        "no free hand-over code after 8 tries",
    ))
}

fn handover_not_found() -> RegisterError {
    RegisterError::new(
        RegisterCode::HandoverNotFound,
        "没有这个交接码，请核对（交接码由 6 位字母和数字组成，不含 0、O、1、I、L；有效期 72 小时）。",
        "No such hand-over code; check it (6 letters and digits, without 0, O, 1, I, L; valid for 72 hours).",
    )
}

async fn handover_row(reg: &Register, code: &str) -> RegisterResult<(String, sqlx::any::AnyRow)> {
    let code = handover::normalize(code).ok_or_else(handover_not_found)?;
    let row = sqlx::query(
        "SELECT answers_sealed, created_at FROM handovers WHERE code = $1 AND created_at >= $2",
    )
    .bind(code.clone())
    .bind(handover::expiry_cutoff())
    .fetch_optional(&reg.db.pool)
    .await?
    .ok_or_else(handover_not_found)?;
    Ok((code, row))
}

/// The code as a QR code (SVG) for the kiosk's screen and receipt printer; it holds the code only.
async fn handover_qr(
    State(state): State<Arc<AppState>>,
    PathArg(code): PathArg<String>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let (code, _) = handover_row(reg, &code).await?;
    let qr = qrcode::QrCode::with_error_correction_level(code.as_bytes(), qrcode::EcLevel::M)
        .map_err(RegisterError::storage)?;
    let svg = qr
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .build();
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("image/svg+xml"),
        )],
        svg,
    )
        .into_response())
}

async fn get_handover(
    State(state): State<Arc<AppState>>,
    PathArg(code): PathArg<String>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let (code, row) = handover_row(reg, &code).await?;
    let plain = reg.key.open(&row.try_get::<String, _>("answers_sealed")?)?;
    let mut value: Value = serde_json::from_slice(&plain).map_err(RegisterError::storage)?;
    value["code"] = json!(code);
    value["created_at"] = json!(row.try_get::<String, _>("created_at")?);
    ok(&value)
}

async fn list_ledger(
    State(state): State<Arc<AppState>>,
    QueryArg(query): QueryArg<ledger::ListQuery>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let entries = ledger::list(reg, &query).await?;
    ok(&json!({ "entries": entries }))
}

async fn ledger_csv(
    State(state): State<Arc<AppState>>,
    QueryArg(query): QueryArg<ledger::ListQuery>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let entries = ledger::list(reg, &query).await?;
    // A UTF-8 byte-order mark so spreadsheet programs read the Chinese names right.
    let csv = format!("\u{feff}{}", ledger::to_csv(&entries));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"ledger.csv\""),
            ),
        ],
        csv,
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SweepRequest {
    as_of: String,
}

async fn sweep(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let text = read_json(&headers, body).await?;
    let request: SweepRequest = qiquan::parse_json(&text, "request")?;
    let as_of = qiquan::calendar::parse_date(&request.as_of).map_err(|e| e.at("/as_of"))?;
    let as_of = qiquan::calendar::format_date(as_of);
    let report = ledger::sweep(&state, reg, &as_of, &actor(&headers)).await?;
    ok(&serde_json::to_value(&report).map_err(RegisterError::storage)?)
}

async fn entry_action(
    state: Arc<AppState>,
    headers: HeaderMap,
    entry: String,
    body: Body,
    waive: bool,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let text = read_json(&headers, body).await?;
    let action: ledger::EntryAction = qiquan::parse_json(&text, "request")?;
    ledger::act_on_entry(&state, reg, &entry, waive, action, &actor(&headers)).await?;
    let application: String = sqlx::query_scalar("SELECT application_id FROM ledger WHERE id = $1")
        .bind(entry)
        .fetch_one(&reg.db.pool)
        .await?;
    ok(&applications::view(reg, &application).await?)
}

async fn supply(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    PathArg(entry): PathArg<String>,
    body: Body,
) -> RegisterResult<Response> {
    entry_action(state, headers, entry, body, false).await
}

async fn waive(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    PathArg(entry): PathArg<String>,
    body: Body,
) -> RegisterResult<Response> {
    entry_action(state, headers, entry, body, true).await
}
