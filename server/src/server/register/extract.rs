//! What the register's handlers share: the register itself (or 503), who acts, typed path and
//! query extractors with the register's error, a JSON body read within its limit, and the audit
//! record of a personal-data read. Its own file so that the handler files (api, case_api,
//! contacts, mine, queue) import it, not each other.

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::Register;
use super::audit::{EventKind, Recorder};
use super::error::{RegisterCode, RegisterError, RegisterResult};
use crate::server::AppState;

/// Largest JSON body the register reads (the engine's submission limit plus the envelope).
const JSON_LIMIT: usize = qiquan::submission::MAX_SUBMISSION_BYTES + 4096;

pub(crate) fn register(state: &AppState) -> RegisterResult<&Register> {
    let reg = state.register.as_ref().ok_or_else(|| {
        RegisterError::new(
            RegisterCode::Storage,
            "本服务未启用登记簿。",
            "The case register is not enabled on this server.",
        )
    })?;
    // The database down: 503 at once, not after waiting out a connection.
    if reg.db.health.unreachable() {
        return Err(RegisterError::unavailable(
            "the register database does not answer",
        ));
    }
    Ok(reg)
}

/// Who acts: the `X-Qiquan-Actor` header (set by the authenticating proxy in front of the
/// clerk's pages), else `anonymous`. Printable ASCII, at most 64 characters.
pub(crate) fn actor(headers: &HeaderMap) -> String {
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
pub(crate) struct PathArg<T>(pub(crate) T);

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
pub(crate) struct QueryArg<T>(pub(crate) T);

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

pub(crate) async fn read_json(headers: &HeaderMap, body: Body) -> RegisterResult<String> {
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

/// Records that `actor` read personal data (`what`) of `application`, and why.
pub(crate) async fn audit_read(
    state: &AppState,
    reg: &Register,
    actor: &str,
    application: Option<&str>,
    detail: Value,
) -> RegisterResult<()> {
    let mut rec = Recorder::new(actor, state.engine().rules_digest());
    let mut tx = reg.db.pool.begin().await?;
    rec.record(&mut tx, application, EventKind::PersonalDataRead, detail)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReasonQuery {
    pub(crate) reason: Option<String>,
}
