//! The HTTP endpoints. Every rule decision is the engine's; this module only moves JSON, sets
//! the instant of receipt from the server's clock, compares digests and verifies receipts (the
//! case register signs them, `register/applications.rs`).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::error::{ApiError, ServerErrorCode};
use super::receipt::{self, Receipt};
use qiquan::model::Text;
use qiquan::{CheckOptions, Error, ErrorCode, Outcome, Submission};

/// Largest request body read, in bytes (the engine's own submission limit).
pub(crate) const BODY_LIMIT: usize = qiquan::submission::MAX_SUBMISSION_BYTES;
/// An oversized body is read and dropped up to this many bytes, so the client sees the 413
/// instead of a reset connection; past it the connection is closed.
const DRAIN_LIMIT: usize = 4 * 1024 * 1024;

/// What the check handler did, for the access log (no personal data).
#[derive(Clone)]
pub(crate) struct CheckTag {
    pub(crate) matter: String,
    pub(crate) outcome: &'static str,
    pub(crate) digest_match: Option<bool>,
}

fn json_body<T: Serialize>(value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let ok = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .eq_ignore_ascii_case("application/json")
        })
        .unwrap_or(false);
    if ok {
        Ok(())
    } else {
        Err(ApiError::new(
            ServerErrorCode::UnsupportedMediaType,
            "请求体必须是 JSON（Content-Type: application/json）。",
            "The request body must be JSON (Content-Type: application/json).",
        ))
    }
}

/// Reads the body up to [`BODY_LIMIT`] into one buffer sized from `Content-Length` (never
/// more than the limit); a larger body is drained without keeping it (up to [`DRAIN_LIMIT`])
/// and refused with 413, and a body declared larger than that is refused at once.
async fn read_body(headers: &HeaderMap, body: Body) -> Result<Vec<u8>, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(n) = declared.filter(|&n| n > DRAIN_LIMIT as u64) {
        return Err(ApiError::too_large(
            usize::try_from(n).unwrap_or(usize::MAX),
        ));
    }
    let mut body = body;
    let capacity = declared.map_or(8 * 1024, |n| n as usize).min(BODY_LIMIT);
    let mut bytes: Vec<u8> = Vec::with_capacity(capacity);
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| {
            ApiError::from(Error::new(
                ErrorCode::InvalidJson,
                "请求体读取失败。",
                "The request body could not be read.",
            ))
        })?;
        if let Ok(data) = frame.into_data() {
            total += data.len();
            if total <= BODY_LIMIT {
                bytes.extend_from_slice(&data);
            } else if total > DRAIN_LIMIT {
                break;
            } else if !bytes.is_empty() {
                // Over the limit: keep nothing more, and give back what was kept.
                bytes = Vec::new();
            }
        }
    }
    if total > BODY_LIMIT {
        return Err(ApiError::too_large(total));
    }
    Ok(bytes)
}

/// `GET /healthz`'s answer (`Health` in the OpenAPI document).
#[derive(Serialize)]
struct Health<'a> {
    status: &'static str,
    /// Why the register is unhealthy (status `unhealthy`, answered 503).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    register_faults: Vec<crate::server::register::health::Fault>,
    engine_version: &'static str,
    rules_digest: &'a str,
    rules_revision: Option<&'a str>,
    key_id: &'a str,
    /// With `--bundle-url`: where the rules come from and the last poll.
    #[serde(skip_serializing_if = "Option::is_none")]
    bundle: Option<super::bundle::PollStatus>,
}

pub(crate) async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    let engine = state.engine();
    let mut health = Health {
        status: "ok",
        register_faults: Vec::new(),
        engine_version: qiquan::ENGINE_VERSION,
        rules_digest: engine.rules_digest(),
        rules_revision: engine.rules_revision(),
        key_id: state.key.key_id(),
        bundle: state.bundle.as_ref().map(|poller| poller.status()),
    };
    // The register that cannot keep what it would acknowledge is not healthy: a load balancer
    // sends its traffic elsewhere and an operator is paged (see docs/server.md).
    if let Some(register) = &state.register {
        let faults = register.db.health.faults();
        if !faults.is_empty() {
            health.status = "unhealthy";
            health.register_faults = faults;
            let mut response = json_body(&health);
            *response.status_mut() = axum::http::StatusCode::SERVICE_UNAVAILABLE;
            return response;
        }
    }
    json_body(&health)
}

pub(crate) async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    let engine = state.engine();
    let mut text = state.metrics.render(
        qiquan::ENGINE_VERSION,
        engine.rules_digest(),
        state.key.key_id(),
    );
    if let Some(register) = &state.register {
        text.push_str(&register.db.health.render());
    }
    text.push_str(&super::metrics::render_rules(
        engine.rules_digest(),
        engine.rules_revision(),
        state.bundle.as_deref(),
    ));
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}

pub(crate) async fn openapi() -> Response {
    /// The document with each operation's `x-roles` from the access table.
    static DOC: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| super::access::openapi_with_roles(super::OPENAPI_JSON));
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        DOC.as_str(),
    )
        .into_response()
}

/// `GET /v1/matters`' answer (`MatterList`).
#[derive(Serialize)]
struct MatterList<'a> {
    engine_version: &'static str,
    rules_digest: &'a str,
    matters: Vec<qiquan::MatterSummary>,
}

pub(crate) async fn list_matters(State(state): State<Arc<AppState>>) -> Response {
    let engine = state.engine();
    json_body(&MatterList {
        engine_version: qiquan::ENGINE_VERSION,
        rules_digest: engine.rules_digest(),
        matters: engine.matters(),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MatterQuery {
    on: Option<String>,
}

fn bad_query(rejection: impl std::fmt::Display) -> ApiError {
    let mut e = ApiError::from(Error::new(
        ErrorCode::InvalidSubmission,
        "查询参数不正确，只支持 ?on=YYYY-MM-DD。",
        "The query is malformed; only ?on=YYYY-MM-DD is supported.",
    ));
    e.details.push(rejection.to_string());
    e
}

fn bad_path(rejection: PathRejection) -> ApiError {
    let mut e = ApiError::from(Error::new(
        ErrorCode::InvalidSubmission,
        "路径参数不正确。",
        "The path parameter is malformed.",
    ));
    e.details.push(rejection.body_text());
    e
}

pub(crate) async fn get_matter(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
    query: Result<Query<MatterQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(bad_path)?;
    let Query(query) = query.map_err(|r| bad_query(r.body_text()))?;
    let engine = state.engine();
    let matter = engine.matter(&id, query.on.as_deref())?;
    Ok(json_body(matter))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckRequest {
    submission: Submission,
    #[serde(default)]
    client_verdict_digest: Option<String>,
    #[serde(default)]
    client_received_at: Option<String>,
    /// Add the verdict's exact bytes as the `verdict_json` string (off by default: escaping and
    /// sending a second copy of the ~14 KB verdict was a third of a check's cost, for a field
    /// the pages never read; `verdict_digest` always covers those bytes).
    #[serde(default)]
    include_verdict_json: bool,
}

/// The check response's bytes: `{"verdict", ["verdict_json",] "verdict_digest", "digest_match"}`.
/// The verdict is serialized once, straight into the response body after `{"verdict":` (its exact
/// bytes, which the digest covers, hashed where they lie): pretty-printed JSON is JSON. When asked
/// for, the same bytes follow as a JSON string for `verdict_json`.
struct CheckBody {
    out: Vec<u8>,
}

/// What a check body starts with; the verdict's bytes follow.
const CHECK_BODY_PREFIX: &[u8] = b"{\"verdict\":";

/// The size of the last check body, so the next one's buffer is allocated once at about its size
/// (a verdict is ~14 KB; growing from small would copy it several times).
static LAST_CHECK_BODY: AtomicUsize = AtomicUsize::new(16 * 1024);

impl CheckBody {
    fn new(verdict: &qiquan::Verdict) -> Self {
        let capacity = LAST_CHECK_BODY.load(Ordering::Relaxed) + 256;
        let mut out = Vec::with_capacity(capacity.min(4 * BODY_LIMIT));
        out.extend_from_slice(CHECK_BODY_PREFIX);
        if qiquan::write_pretty_json(&mut out, verdict).is_err() {
            // The bytes every shell prints for a verdict that cannot be serialized.
            out.extend_from_slice(qiquan::to_pretty_json(verdict).as_bytes());
        }
        Self { out }
    }

    /// The verdict's exact bytes.
    fn verdict(&self) -> &[u8] {
        &self.out[CHECK_BODY_PREFIX.len()..]
    }

    fn finish(
        mut self,
        include_verdict_json: bool,
        verdict_digest: &str,
        digest_match: Option<bool>,
    ) -> Response {
        let out = &mut self.out;
        if include_verdict_json {
            let Ok(text) = String::from_utf8(out[CHECK_BODY_PREFIX.len()..].to_vec()) else {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            };
            out.extend_from_slice(b",\"verdict_json\":");
            if serde_json::to_writer(&mut *out, &text).is_err() {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
        out.extend_from_slice(b",\"verdict_digest\":");
        if serde_json::to_writer(&mut *out, verdict_digest).is_err() {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
        out.extend_from_slice(b",\"digest_match\":");
        out.extend_from_slice(match digest_match {
            None => b"null",
            Some(true) => b"true",
            Some(false) => b"false",
        });
        out.push(b'}');
        LAST_CHECK_BODY.store(self.out.len(), Ordering::Relaxed);
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            self.out,
        )
            .into_response()
    }
}

fn outcome_str(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Accept => "accept",
        Outcome::AcceptWithPledge => "accept_with_pledge",
        Outcome::CorrectionRequired => "correction_required",
        Outcome::NotAccepted => "not_accepted",
    }
}

fn valid_digest(digest: &str) -> bool {
    digest.strip_prefix("sha256:").is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

pub(crate) async fn check(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let Path(matter) = id.map_err(bad_path)?;
    // One engine for the whole request: a bundle swapped in meanwhile serves the next one.
    let engine = state.engine();
    // Unknown matter first: 404 whatever the body.
    engine.matter(&matter, None)?;
    require_json(&headers)?;
    let bytes = read_body(&headers, body).await?;
    let request: CheckRequest = qiquan::parse_json_bytes(&bytes, "request")?;
    if let Some(digest) = &request.client_verdict_digest
        && !valid_digest(digest)
    {
        return Err(ApiError::from(
            Error::new(
                ErrorCode::InvalidSubmission,
                "client_verdict_digest 应为 sha256: 加 64 位小写十六进制数。",
                "client_verdict_digest must be sha256: followed by 64 lowercase hex digits.",
            )
            .at("/client_verdict_digest"),
        ));
    }

    // The server's clock decides the instant of receipt, whatever the client says.
    let received_at = crate::server::clock::now_china();
    let options = CheckOptions {
        received_at: Some(received_at.clone()),
        channel: None,
    };
    let verdict = engine
        .check(&matter, &request.submission, &options)
        .map_err(|e| ApiError::from(e).under("/submission"))?;
    let body = CheckBody::new(&verdict);
    let verdict_digest = qiquan::verdict_digest_bytes(body.verdict());

    let digest_match = match &request.client_verdict_digest {
        None => None,
        Some(client_digest) => Some(client_digest_matches(
            &state,
            &engine,
            &matter,
            &request,
            &received_at,
            &verdict_digest,
            client_digest,
        )?),
    };

    // A revalidation, not an acceptance: no receipt is signed here. Receipts come from the case
    // register, when an application is recorded and accepted (`POST /v1/applications`).
    let outcome = outcome_str(verdict.outcome);
    state.metrics.outcome(outcome);
    let mut response = body.finish(request.include_verdict_json, &verdict_digest, digest_match);
    response.extensions_mut().insert(CheckTag {
        matter: qiquan::calendar::clip(&matter),
        outcome,
        digest_match,
    });
    Ok(response)
}

/// Whether the client's digest is the verdict's at the client's instant (`client_received_at`,
/// else the submission's `received_at`, else the server's). The same instant as the server's
/// reuses the server's digest instead of checking again.
fn client_digest_matches(
    state: &AppState,
    engine: &qiquan::Engine,
    matter: &str,
    request: &CheckRequest,
    received_at: &str,
    verdict_digest: &str,
    client_digest: &str,
) -> Result<bool, ApiError> {
    let client_instant = request
        .client_received_at
        .as_deref()
        .or(request.submission.received_at.as_deref())
        .filter(|instant| *instant != received_at);
    let matched = match client_instant {
        None => verdict_digest == client_digest,
        Some(instant) => {
            let options = CheckOptions {
                received_at: Some(instant.to_string()),
                channel: None,
            };
            let client_verdict = engine
                .check(matter, &request.submission, &options)
                .map_err(|e| {
                    let at = if request.client_received_at.is_some() {
                        "/client_received_at"
                    } else {
                        "/submission/received_at"
                    };
                    ApiError::from(e.at(at))
                })?;
            let mut bytes = Vec::with_capacity(LAST_CHECK_BODY.load(Ordering::Relaxed));
            if qiquan::write_pretty_json(&mut bytes, &client_verdict).is_err() {
                bytes = qiquan::to_pretty_json(&client_verdict).into_bytes();
            }
            qiquan::verdict_digest_bytes(&bytes) == client_digest
        }
    };
    state.metrics.digest_check(matched);
    if !matched {
        tracing::warn!(
            matter = %matter,
            rules_digest = %engine.rules_digest(),
            "client verdict digest differs from the server's: stale rules or tampering"
        );
    }
    Ok(matched)
}

/// `GET /v1/receipts/key`'s answer (`PublicKey`).
#[derive(Serialize)]
struct PublicKey<'a> {
    algorithm: &'static str,
    key_id: &'a str,
    public_key: String,
    canonical_prefix: &'static str,
}

pub(crate) async fn public_key(State(state): State<Arc<AppState>>) -> Response {
    json_body(&PublicKey {
        algorithm: "ed25519",
        key_id: state.key.key_id(),
        public_key: state.key.public_key_hex(),
        canonical_prefix: receipt::CANONICAL_PREFIX,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyRequest {
    receipt: Receipt,
}

/// `POST /v1/receipts/verify`'s answer (`VerifyResponse`): valid with the receipt's number and
/// key, or not with the reason.
#[derive(Serialize)]
struct Verified {
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    receipt_no: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

pub(crate) async fn verify_receipt(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    require_json(&headers)?;
    let bytes = read_body(&headers, body).await?;
    let request: VerifyRequest = qiquan::parse_json_bytes(&bytes, "request")?;
    let receipt = request.receipt;
    let response = match state.key.verify(&receipt) {
        Ok(()) => {
            state.metrics.receipt_verified("valid");
            Verified {
                valid: true,
                receipt_no: Some(receipt.receipt_no),
                key_id: Some(receipt.key_id),
                reason: None,
                message: None,
            }
        }
        Err(invalid) => {
            state.metrics.receipt_verified(invalid.code());
            tracing::warn!(reason = invalid.code(), "receipt failed verification");
            let (zh, en) = invalid.message();
            Verified {
                valid: false,
                receipt_no: None,
                key_id: None,
                reason: Some(invalid.code()),
                message: Some(Text {
                    zh: zh.into(),
                    en: en.into(),
                }),
            }
        }
    };
    Ok(json_body(&response))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document's one error schema lists every code of the four sets, each once.
    #[test]
    fn every_code_is_its_serde_name_and_in_the_openapi_enum() {
        let doc: serde_json::Value =
            serde_json::from_str(super::super::OPENAPI_JSON).expect("openapi.json is JSON");
        let described = &doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
            ["code"]["enum"];
        for code in ServerErrorCode::ALL {
            let serde = serde_json::to_value(code).expect("serializes");
            assert_eq!(serde, code.as_str(), "{code:?}");
        }
        assert_eq!(
            described,
            &serde_json::json!(super::super::error::Code::all_names())
        );
    }

    #[test]
    fn engine_pointers_move_under_the_submission() {
        let error = ApiError::from(Error::new(ErrorCode::UnknownField, "z", "e").at("/fields/x"));
        assert_eq!(
            error.under("/submission").at.as_deref(),
            Some("/submission/fields/x")
        );
    }
}
