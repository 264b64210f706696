//! The register's HTTP endpoints: thin handlers over [`super::applications`],
//! [`super::ledger`] and [`super::handover`].

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, HttpBody as _};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::audit::{EventKind, EventView, Recorder};
use super::db::is_unique_violation;
use super::error::{RegisterCode, RegisterError, RegisterResult};
use super::extract::{PathArg, QueryArg, ReasonQuery, actor, audit_read, read_json, register};
use super::views::ApplicationView;
use super::{Register, applications, handover, ledger, uploads, views};
use crate::server::AppState;
use crate::server::access::error::{AccessCode, AccessError};
use crate::server::access::{self, Caller, capability};
use axum::Extension;
use qiquan::Submission;

/// The register's route templates, for the metrics' route label.
pub(crate) const ROUTES: [&str; 19] = [
    "/v1/applications",
    "/v1/me/applications",
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
        .route("/v1/applications", post(create).get(super::queue::list))
        .route("/v1/applications/lookup", post(lookup))
        .route("/v1/me/applications", get(super::mine::list))
        .route("/v1/applications/{id}", get(show))
        .route("/v1/applications/{id}/answers", get(answers))
        .route("/v1/applications/{id}/document", get(document))
        .route("/v1/applications/{id}/events", get(events))
        .route("/v1/applications/{id}/submit", post(submit))
        .route(
            "/v1/applications/{id}/materials/{material}",
            put(upload).get(super::queue::get_file),
        )
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
        .merge(super::case_api::routes())
}

fn json_response<T: Serialize>(status: StatusCode, value: &T) -> RegisterResult<Response> {
    let body = serde_json::to_string(value).map_err(RegisterError::storage)?;
    Ok((
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response())
}

/// 200 with `value` as JSON.
fn ok<T: Serialize>(value: &T) -> RegisterResult<Response> {
    json_response(StatusCode::OK, value)
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
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Body,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let key = idempotency_key(&headers)?;
    let text = read_json(&headers, body).await?;
    // The channel follows from who calls, never from the body.
    let text = access::set_channel(&caller, &text)?;
    // Whose pledge it binds: only a clerk may say an identity was verified.
    let claimed = access::pledge::claimed(&text);
    let pledge_identity = access::pledge::pledge_identity(&caller, claimed.clone())?;
    // The identity the 信用承诺书 names: what the clerk verified, never the body's own.
    let text = access::pledge::set_pledgor(&text, &pledge_identity, claimed.as_ref());
    let (id, created) = applications::create(&state, reg, key, &text, &actor(&headers)).await?;
    let mut view = views::view(reg, &id).await?;
    with_receipt_code(reg, &mut view);
    let status = if created {
        // The applicant's capability: made now, shown this once, stored hashed.
        let (secret, hashed) = capability::new()?;
        let identity = serde_json::to_string(&pledge_identity).map_err(RegisterError::storage)?;
        // Made by an applicant signed in through the provincial platform: theirs to list.
        let owner = super::mine::owner_hash(reg, &caller);
        sqlx::query(
            "UPDATE applications SET capability_hash = $2, pledge_identity = $3, owner_hash = $4 \
             WHERE id = $1",
        )
        .bind(id.clone())
        .bind(hashed)
        .bind(identity)
        .bind(owner)
        .execute(&reg.db.pool)
        .await?;
        view.pledge_identity =
            serde_json::to_value(&pledge_identity).map_err(RegisterError::storage)?;
        view.capability_link = Some(format!("/?application={id}#capability={secret}"));
        view.capability = Some(secret);
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    json_response(status, &view)
}

/// The verification code printed beside a 文号: without it, `GET /v1/receipts/{number}`
/// answers as for a number that does not exist. 12 hex digits (48 bits) of the data key's HMAC
/// of the number, in groups of four.
fn receipt_code(reg: &Register, number: &str) -> String {
    let mac = reg.key.lookup("receipt_code", number);
    let hex: String = mac
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(12)
        .collect::<String>()
        .to_ascii_uppercase();
    hex.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

fn with_receipt_code(reg: &Register, view: &mut ApplicationView) {
    view.receipt_code = view
        .number
        .as_deref()
        .map(|number| receipt_code(reg, number));
}

/// A POST body, not a query string: URLs end up in proxies' access logs.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LookupRequest {
    id_card: Option<String>,
    phone: Option<String>,
    /// Why the clerk looks (recorded in the audit trail).
    reason: Option<String>,
}

async fn lookup(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Body,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    if let Err(limited) = state.access.limits.lookup.check(&caller.client_key()) {
        // Its own response: 429 with Retry-After.
        return Ok(limited.into_response());
    }
    let text = read_json(&headers, body).await?;
    let query: LookupRequest = qiquan::parse_json(&text, "request")?;
    let why = access::reason(query.reason.as_deref())?;
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
    let ids = views::lookup(reg, kind, value).await?;
    audit_read(
        &state,
        reg,
        &actor(&headers),
        None,
        json!({"what": "lookup", "by": kind, "found": ids.len(), "reason": why}),
    )
    .await?;
    ok(&Lookup { applications: ids })
}

async fn show(
    State(state): State<Arc<AppState>>,
    PathArg(id): PathArg<String>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let mut view = views::view(reg, &id).await?;
    with_receipt_code(reg, &mut view);
    ok(&view)
}

/// The decrypted answers: clerks and auditors only, with a reason, audited.
async fn answers(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    PathArg(id): PathArg<String>,
    QueryArg(query): QueryArg<ReasonQuery>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let why = access::reason(query.reason.as_deref())?;
    let answers = views::answers(reg, &id).await?;
    audit_read(
        &state,
        reg,
        &actor(&headers),
        Some(&id),
        json!({"what": "answers", "reason": why}),
    )
    .await?;
    ok(&answers)
}

/// The decided verdict's exact bytes: the applicant's own, or staff's (audited; the reason
/// defaults to printing the document).
async fn document(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    PathArg(id): PathArg<String>,
    QueryArg(query): QueryArg<ReasonQuery>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let document = views::document(reg, &id).await?;
    if caller.staff.is_some() {
        let why = access::reason(Some(query.reason.as_deref().unwrap_or("print_document")))?;
        audit_read(
            &state,
            reg,
            &actor(&headers),
            Some(&id),
            json!({"what": "document", "reason": why}),
        )
        .await?;
    }
    ok(&document)
}

async fn events(
    State(state): State<Arc<AppState>>,
    PathArg(id): PathArg<String>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    views::view(reg, &id).await?;
    let events = views::events(reg, &id).await?;
    ok(&Events { events })
}

async fn submit(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    PathArg(id): PathArg<String>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    applications::submit(&state, reg, &id, &actor(&headers)).await?;
    let mut view = views::view(reg, &id).await?;
    with_receipt_code(reg, &mut view);
    ok(&view)
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
        return Err(super::files::too_large(length, 512 * 1024 * 1024));
    }
    refuse_replacing_decided(reg, &id, &material).await?;
    uploads::upload(
        &state,
        reg,
        &id,
        &material,
        &content_type,
        uploads::Upload {
            declared: body.size_hint().lower(),
            bytes: body.into_data_stream(),
        },
        &actor(&headers),
    )
    .await?;
    ok(&views::view(reg, &id).await?)
}

/// After the decision a file is evidence: it cannot be replaced. The one upload still taken is
/// a supplement — the material's 容缺 ledger entry is open (owed or overdue) — which the
/// ledger records as its own step.
async fn refuse_replacing_decided(reg: &Register, id: &str, material: &str) -> RegisterResult<()> {
    let status: Option<String> =
        sqlx::query_scalar("SELECT status FROM applications WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&reg.db.pool)
            .await?;
    if status.as_deref() != Some(super::states::ApplicationStatus::Decided.as_str()) {
        return Ok(());
    }
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM ledger WHERE application_id = $1 AND material = $2 AND status IN ($3, $4)",
    )
    .bind(id.to_string())
    .bind(material.to_string())
    .bind(super::states::LedgerStatus::Owed.as_str())
    .bind(super::states::LedgerStatus::Overdue.as_str())
    .fetch_one(&reg.db.pool)
    .await?;
    if open > 0 {
        return Ok(());
    }
    Err(RegisterError::new(
        RegisterCode::AlreadyDecided,
        "申请已作出决定，已收材料不能替换；补交材料须有未结清的容缺台账条目。",
        "The application is decided: received files cannot be replaced; a supplement needs an open 容缺 ledger entry.",
    ))
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
    // Refused at entry: a note the engine would refuse at the decision must not be stored.
    qiquan::submission::check_note(request.note.trim())
        .map_err(|e| RegisterError::from(e.at("/note")))?;
    let mut note = serde_json::Value::String(request.note.trim().to_string());
    // A flaw note is about the paper, not the person: numbers that look personal are dropped.
    super::privacy::scrub(&mut note);
    let note = note.as_str().unwrap_or("").to_string();
    if note.is_empty() {
        return Err(RegisterError::invalid(
            "请写明瑕疵所在，例如“未加盖公章”。",
            "Say what the flaw is, e.g. “no official seal”.",
        )
        .at("/note"));
    }
    views::view(reg, &id).await?;
    uploads::flaw(&state, reg, &id, &material, &note, &actor(&headers)).await?;
    ok(&views::view(reg, &id).await?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReceiptQuery {
    code: Option<String>,
}

/// A document by its 文号 AND the verification code printed beside it. A wrong or missing code
/// answers exactly as a number that does not exist (rate limited per client).
async fn receipt(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    PathArg(number): PathArg<String>,
    QueryArg(query): QueryArg<ReceiptQuery>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    if let Err(limited) = state.access.limits.receipts.check(&caller.client_key()) {
        // Its own response: 429 with Retry-After.
        return Ok(limited.into_response());
    }
    let normal = |c: &str| -> String {
        c.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect()
    };
    let given = normal(query.code.as_deref().unwrap_or(""));
    let expected = normal(&receipt_code(reg, &number));
    if !capability::same(&given, &expected) {
        return Err(RegisterError::new(
            RegisterCode::ReceiptNotFound,
            "没有这个文号的文书。",
            "No document has this number.",
        ));
    }
    ok(&views::by_number(&state, reg, &number).await?)
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
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Body,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let text = read_json(&headers, body).await?;
    let text = access::set_channel(&caller, &text)?;
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
        let mut tx = reg.db.begin().await?;
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
        reg.db.commit(tx).await?;
        return json_response(
            StatusCode::CREATED,
            &HandoverCreated {
                code,
                matter: request.matter,
                created_at: rec.at,
                valid_hours: handover::TTL_HOURS,
            },
        );
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

/// A stored hand-over not yet opened nor expired.
#[derive(sqlx::FromRow)]
struct HandoverRow {
    answers_sealed: String,
    created_at: String,
}

async fn handover_row(reg: &Register, code: &str) -> RegisterResult<(String, HandoverRow)> {
    let code = handover::normalize(code).ok_or_else(handover_not_found)?;
    let row = sqlx::query_as(
        "SELECT answers_sealed, created_at FROM handovers WHERE code = $1 AND created_at >= $2 AND opened_at IS NULL",
    )
    .bind(code.clone())
    .bind(handover::expiry_cutoff())
    .fetch_optional(&reg.db.pool)
    .await?
    .ok_or_else(handover_not_found)?;
    Ok((code, row))
}

/// The code as a QR code (SVG) for the kiosk's screen and receipt printer; it holds the code only.
async fn handover_qr(PathArg(code): PathArg<String>) -> RegisterResult<Response> {
    // Drawn for any well-formed code without a lookup: the picture says nothing about whether
    // the code exists.
    let code = handover::normalize(&code).ok_or_else(handover_not_found)?;
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

/// A clerk opens a hand-over code: once (a second open is 404), rate limited per clerk and for
/// all clerks together, audited.
async fn get_handover(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    PathArg(code): PathArg<String>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    if let Err(limited) = state.access.limits.handover.check(&caller.client_key()) {
        // Its own response: 429 with Retry-After.
        return Ok(limited.into_response());
    }
    let (code, row) = handover_row(reg, &code).await?;
    let mut rec = Recorder::new(&actor(&headers), state.engine().rules_digest());
    let mut tx = reg.db.pool.begin().await?;
    let opened =
        sqlx::query("UPDATE handovers SET opened_at = $2 WHERE code = $1 AND opened_at IS NULL")
            .bind(code.clone())
            .bind(rec.at.clone())
            .execute(&mut *tx)
            .await?;
    if opened.rows_affected() == 0 {
        return Err(handover_not_found());
    }
    rec.record(
        &mut tx,
        None,
        EventKind::HandoverOpened,
        json!({"code": code}),
    )
    .await?;
    tx.commit().await?;
    let plain = reg.key.open(&row.answers_sealed)?;
    let answers: HandoverAnswers =
        serde_json::from_slice(&plain).map_err(RegisterError::storage)?;
    ok(&HandoverOpened {
        matter: answers.matter,
        submission: answers.submission,
        code,
        created_at: row.created_at,
    })
}

/// The ledger staff work from: contacts (audited), counts per tab, overdue first, by case.
async fn list_ledger(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    QueryArg(query): QueryArg<ledger::ListQuery>,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let list = super::contacts::list(&state, reg, &query, &actor(&headers)).await?;
    ok(&list)
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
    /// Dev/test mode only; in production the sweep runs on the server's China date.
    as_of: Option<String>,
}

async fn sweep(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> RegisterResult<Response> {
    let reg = register(&state)?;
    let text = read_json(&headers, body).await?;
    let request: SweepRequest = qiquan::parse_json(&text, "request")?;
    let today = crate::server::clock::today_china();
    let as_of = match request.as_of {
        None => today,
        Some(given) => {
            let date = qiquan::calendar::parse_date(&given).map_err(|e| e.at("/as_of"))?;
            let date = qiquan::calendar::format_date(date);
            if date != today && !state.access.dev_mode {
                return Err(AccessError::new(
                    AccessCode::AsOfNotAllowed,
                    "生产环境中台账按服务器日期处理，不接受 as_of（仅开发或测试模式）。",
                    "In production the ledger sweep runs on the server's date; as_of is accepted in dev or test mode only.",
                ));
            }
            date
        }
    };
    let report = ledger::sweep(&state, reg, &as_of, &actor(&headers)).await?;
    ok(&report)
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
    // A waiver is a decision someone answers for: it says why.
    if waive && action.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(RegisterError::invalid(
            "免予补交须写明理由（note），理由记入办理记录。",
            "A waiver needs its reason (`note`); it goes into the trail.",
        )
        .at("/note"));
    }
    ledger::act_on_entry(&state, reg, &entry, waive, action, &actor(&headers)).await?;
    let application: String = sqlx::query_scalar("SELECT application_id FROM ledger WHERE id = $1")
        .bind(entry)
        .fetch_one(&reg.db.pool)
        .await?;
    ok(&views::view(reg, &application).await?)
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

/// `POST /v1/applications/lookup`'s answer.
#[derive(Serialize)]
struct Lookup {
    applications: Vec<String>,
}

/// `GET /v1/applications/{id}/events`' answer.
#[derive(Serialize)]
struct Events {
    events: Vec<EventView>,
}

/// `POST /v1/handover`'s answer: the code and how long it is valid.
#[derive(Serialize)]
struct HandoverCreated {
    code: String,
    matter: String,
    created_at: String,
    valid_hours: i64,
}

/// What a hand-over code stores (sealed): the answers exactly as sent.
#[derive(Deserialize)]
struct HandoverAnswers {
    matter: String,
    submission: Value,
}

/// `GET /v1/handover/{code}`'s answer: the answers exactly as sent, the code and when.
#[derive(Serialize)]
struct HandoverOpened {
    matter: String,
    submission: Value,
    code: String,
    created_at: String,
}
