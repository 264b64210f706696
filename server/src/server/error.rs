//! The one error envelope of the server, the register and the access layer, the same shape the
//! CLI and the wasm module print for an engine [`Error`]:
//! `{"error": {"code", "message": {"zh", "en"}, "at"?, "details"?}}` ([`ApiError`]). Its code is
//! one of four sets, each declared with the engine's `stable_code!`: the engine's
//! ([`ErrorCode`]), the server's own ([`ServerErrorCode`]), the register's ([`RegisterCode`])
//! and the access layer's ([`AccessCode`]). Each code knows its HTTP status.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::server::access::error::AccessCode;
use crate::server::register::error::RegisterCode;
use qiquan::model::Text;
use qiquan::{Error, ErrorCode};

qiquan::stable_code! {
    /// Error codes only the server sends (the engine's are [`ErrorCode`]). A public contract like
    /// the engine's: never rename one.
    pub(crate) enum ServerErrorCode {
        /// No such endpoint under `/v1/`, or no such page or file.
        NotFound = "not_found",
        /// The path exists but not for this method.
        MethodNotAllowed = "method_not_allowed",
        /// A request body that is not `application/json`.
        UnsupportedMediaType = "unsupported_media_type",
        /// The request (headers, or the whole request with its body) took too long.
        Timeout = "timeout",
        /// A bug: a handler panicked. Logged; the server keeps serving.
        Internal = "internal",
        /// The HTTP layer could not parse the request (request line, header syntax).
        MalformedRequest = "malformed_request",
        /// The request line's target is too long.
        UriTooLong = "uri_too_long",
        /// The request headers are too large, or too many.
        HeadersTooLarge = "headers_too_large",
        /// The server is at its connection limit (`--max-connections`); retry later.
        TooManyConnections = "too_many_connections",
        /// `--bundle-url` and no verified bundle yet (URL unreachable, no cache): the pages'
        /// `/v1/rules/bundle.json` answers 503 until one arrives.
        RulesBundleUnavailable = "rules_bundle_unavailable",
    }
}

impl ServerErrorCode {
    pub(crate) fn status(self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Timeout => StatusCode::REQUEST_TIMEOUT,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Self::MalformedRequest => StatusCode::BAD_REQUEST,
            Self::UriTooLong => StatusCode::URI_TOO_LONG,
            Self::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            Self::TooManyConnections | Self::RulesBundleUnavailable => {
                StatusCode::SERVICE_UNAVAILABLE
            }
        }
    }
}

/// The HTTP status of an engine error.
fn engine_status(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::UnknownMatter => StatusCode::NOT_FOUND,
        ErrorCode::InputTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::NoVersionInForce => StatusCode::UNPROCESSABLE_ENTITY,
        // The case as it stands does not take the step (the engine's case::step refused it).
        ErrorCode::InvalidCaseEvent => StatusCode::CONFLICT,
        ErrorCode::RulesInvalid | ErrorCode::RulesNotLoaded | ErrorCode::Io => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
        _ => StatusCode::BAD_REQUEST,
    }
}

/// An error response's code: the engine's, the server's own, the register's or the access
/// layer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    Engine(ErrorCode),
    Server(ServerErrorCode),
    Register(RegisterCode),
    Access(AccessCode),
}

impl Code {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Code::Engine(code) => code.as_str(),
            Code::Server(code) => code.as_str(),
            Code::Register(code) => code.as_str(),
            Code::Access(code) => code.as_str(),
        }
    }

    /// The status a response with this code is answered with.
    pub(crate) fn status(self) -> StatusCode {
        match self {
            Code::Engine(code) => engine_status(code),
            Code::Server(code) => code.status(),
            Code::Register(code) => code.status(),
            Code::Access(code) => code.status(),
        }
    }

    /// Every code an error response may carry, each once, in the order engine, server,
    /// register, access (a code two sets share, like `unknown_material`, appears at its first).
    #[cfg(test)]
    pub(crate) fn all_names() -> Vec<&'static str> {
        let mut names: Vec<&'static str> = Vec::new();
        let every = ErrorCode::ALL
            .iter()
            .map(|c| c.as_str())
            .chain(ServerErrorCode::ALL.iter().map(|c| c.as_str()))
            .chain(RegisterCode::ALL.iter().map(|c| c.as_str()))
            .chain(AccessCode::ALL.iter().map(|c| c.as_str()));
        for name in every {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }
}

impl From<ErrorCode> for Code {
    fn from(code: ErrorCode) -> Self {
        Code::Engine(code)
    }
}

impl From<ServerErrorCode> for Code {
    fn from(code: ServerErrorCode) -> Self {
        Code::Server(code)
    }
}

impl From<RegisterCode> for Code {
    fn from(code: RegisterCode) -> Self {
        Code::Register(code)
    }
}

impl From<AccessCode> for Code {
    fn from(code: AccessCode) -> Self {
        Code::Access(code)
    }
}

impl PartialEq<AccessCode> for Code {
    fn eq(&self, other: &AccessCode) -> bool {
        *self == Code::Access(*other)
    }
}

impl PartialEq<RegisterCode> for Code {
    fn eq(&self, other: &RegisterCode) -> bool {
        *self == Code::Register(*other)
    }
}

/// An error response: `{"error": {"code", "message": {"zh", "en"}, "at"?, "details"?}}`, the
/// same shape the CLI and the wasm module print (an engine [`Error`] gives the same fields, see
/// the test). `at` is a JSON pointer into the request body. The one error type of every handler:
/// the register's and the access layer's names for it (`RegisterError`, `AccessError`) are this
/// type.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: Code,
    pub(crate) message: Text,
    pub(crate) at: Option<String>,
    pub(crate) details: Vec<String>,
    /// Seconds, for 429 (`Retry-After`).
    pub(crate) retry_after: Option<u64>,
}

/// The body's shape (the engine's [`Error`] serialises the same fields in the same order).
#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    message: &'a Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    at: &'a Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    details: &'a Vec<String>,
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: Body<'a>,
}

impl ApiError {
    /// An error with `code`'s status.
    pub(crate) fn new(code: impl Into<Code>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        let code = code.into();
        Self {
            status: code.status(),
            code,
            message: Text {
                zh: zh.into(),
                en: en.into(),
            },
            at: None,
            details: Vec::new(),
            retry_after: None,
        }
    }

    /// Points the error at a place in the request (a JSON pointer).
    pub(crate) fn at(mut self, at: impl Into<String>) -> Self {
        self.at = Some(at.into());
        self
    }

    pub(crate) fn not_found() -> Self {
        Self::new(
            ServerErrorCode::NotFound,
            "没有这个接口。",
            "There is no such endpoint.",
        )
    }

    pub(crate) fn page_not_found() -> Self {
        Self::new(
            ServerErrorCode::NotFound,
            "没有这个网页或文件。",
            "There is no such page or file.",
        )
    }

    pub(crate) fn method_not_allowed() -> Self {
        Self::new(
            ServerErrorCode::MethodNotAllowed,
            "该路径不支持此请求方法。",
            "This path does not support that method.",
        )
    }

    pub(crate) fn timeout() -> Self {
        Self::new(
            ServerErrorCode::Timeout,
            "请求超时，请重试。",
            "The request took too long; please retry.",
        )
    }

    pub(crate) fn internal() -> Self {
        Self::new(
            ServerErrorCode::Internal,
            "服务器内部错误，请稍后重试。",
            "Internal server error; please retry later.",
        )
    }

    pub(crate) fn too_many_connections() -> Self {
        Self::new(
            ServerErrorCode::TooManyConnections,
            "服务器连接数已满，请稍后重试。",
            "The server has too many connections; please retry shortly.",
        )
    }

    /// The answer for a request the HTTP layer refused before any handler saw it.
    pub(crate) fn http_layer(status: u16) -> Self {
        match status {
            414 => Self::new(
                ServerErrorCode::UriTooLong,
                "请求地址过长。",
                "The request target (URI) is too long.",
            ),
            431 => Self::new(
                ServerErrorCode::HeadersTooLarge,
                "请求头过大或过多。",
                "The request headers are too large or too many.",
            ),
            408 => Self::timeout(),
            _ => Self::new(
                ServerErrorCode::MalformedRequest,
                "请求格式不正确，不是有效的 HTTP 请求。",
                "The request is not a well-formed HTTP request.",
            ),
        }
    }

    pub(crate) fn too_large(bytes: usize) -> Self {
        Self::from(qiquan::input_too_large("request", bytes))
    }

    /// The body as JSON bytes.
    pub(crate) fn body_bytes(&self) -> Vec<u8> {
        let body = Envelope {
            error: Body {
                code: self.code.as_str(),
                message: &self.message,
                at: &self.at,
                details: &self.details,
            },
        };
        serde_json::to_vec(&body).unwrap_or_else(|_| {
            format!("{{\"error\":{{\"code\":\"{}\"}}}}", self.code.as_str()).into_bytes()
        })
    }

    /// Moves `at` under `prefix`: an engine error about the submission points into the request.
    pub(crate) fn under(mut self, prefix: &str) -> Self {
        if let Some(at) = &self.at
            && (at.is_empty() || at.starts_with('/'))
        {
            self.at = Some(format!("{prefix}{at}"));
        }
        self
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        Self {
            status: engine_status(error.code),
            code: Code::Engine(error.code),
            message: error.message,
            at: error.at,
            details: error.details,
            retry_after: None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            self.body_bytes(),
        )
            .into_response();
        if self.code == AccessCode::Unauthenticated {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"qiquan\""),
            );
        }
        if let Some(seconds) = self.retry_after
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        // The logging middleware reads the code; the body may hold the caller's data, the code
        // never does.
        response
            .extensions_mut()
            .insert(ErrorCodeTag(self.code.as_str()));
        response
    }
}

/// The error code of a response, for the access log.
#[derive(Clone, Copy)]
pub(crate) struct ErrorCodeTag(pub &'static str);

/// `www/src/codes.ts`: every code as a TypeScript union, the way tsify exports the engine's
/// enums to `pkg/qiquan.d.ts` (the server's are not in the page module, so this file is
/// generated from `ALL` and checked by a test; `QIQUAN_BLESS=1` rewrites it).
#[cfg(test)]
pub(crate) fn codes_ts() -> String {
    // Laid out as prettier lays out a union (printWidth 120), so `npm run fmt:check` passes.
    fn union(out: &mut String, doc: &str, name: &str, codes: &[&str]) {
        let members = codes
            .iter()
            .map(|c| format!("'{c}'"))
            .collect::<Vec<_>>()
            .join(" | ");
        out.push_str(&format!("\n/** {doc} */\n"));
        let one_line = format!("export type {name} = {members};");
        if one_line.len() <= 120 {
            out.push_str(&one_line);
        } else if members.len() + 3 <= 120 {
            out.push_str(&format!("export type {name} =\n  {members};"));
        } else {
            out.push_str(&format!("export type {name} =\n"));
            let lines: Vec<String> = codes.iter().map(|c| format!("  | '{c}'")).collect();
            out.push_str(&lines.join("\n"));
            out.push(';');
        }
        out.push('\n');
    }
    let mut out = String::from(
        "// Generated from the Rust enums by `cargo test -p qiquan-server codes_ts` (QIQUAN_BLESS=1 rewrites it):\n\
         // do not edit. The engine's own codes are `ErrorCode` in pkg/qiquan.d.ts (tsify).\n\
         import type { ErrorCode, Text } from '../../pkg/qiquan';\n",
    );
    union(
        &mut out,
        "Error codes only the server sends (ServerErrorCode, server/src/server/error.rs).",
        "ServerErrorCode",
        &ServerErrorCode::ALL
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>(),
    );
    union(
        &mut out,
        "The case register's error codes (RegisterCode, server/src/server/register/error.rs).",
        "RegisterCode",
        &RegisterCode::ALL
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>(),
    );
    union(
        &mut out,
        "The access layer's error codes (AccessCode, server/src/server/access/error.rs).",
        "AccessCode",
        &AccessCode::ALL
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>(),
    );
    out.push_str(
        "\n/** Every code an error response of the server carries. */\n\
         export type ApiErrorCode = ErrorCode | ServerErrorCode | RegisterCode | AccessCode;\n\
         \n\
         /** The one error envelope: the server's, the register's, the CLI's and the wasm module's. */\n\
         export interface ApiError {\n\
         \x20 error: {\n\
         \x20   code: ApiErrorCode;\n\
         \x20   message: Text;\n\
         \x20   /** A JSON pointer into the request body, or a file path. */\n\
         \x20   at?: string;\n\
         \x20   details?: string[];\n\
         \x20 };\n\
         }\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An engine error answers the same fields the CLI prints for it (`Error::to_json`).
    #[test]
    fn an_engine_error_has_the_clis_envelope() {
        let error = Error::new(ErrorCode::UnknownField, "字段", "field")
            .at("/fields/x")
            .detail("more");
        let cli: serde_json::Value = serde_json::from_str(&error.to_json()).expect("json");
        let server: serde_json::Value =
            serde_json::from_slice(&ApiError::from(error).body_bytes()).expect("json");
        assert_eq!(cli, server);
    }

    /// Every code's status is the one its set gives; access refusals carry their headers.
    #[test]
    fn codes_carry_their_status_and_headers() {
        let e = ApiError::new(RegisterCode::IdempotencyConflict, "z", "e");
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        let response = ApiError::unauthenticated().into_response();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(response.headers().contains_key(header::WWW_AUTHENTICATE));
        let response = ApiError::rate_limited(7).into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            response
                .headers()
                .get(header::RETRY_AFTER)
                .map(|v| v.as_bytes()),
            Some(&b"7"[..])
        );
    }

    /// `www/src/codes.ts` is what the enums say.
    #[test]
    fn codes_ts_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../www/src/codes.ts");
        let want = codes_ts();
        if std::env::var_os("QIQUAN_BLESS").is_some() {
            std::fs::write(path, &want).expect("write www/src/codes.ts");
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "www/src/codes.ts is stale: run QIQUAN_BLESS=1 cargo test -p qiquan-server codes_ts"
        );
    }
}
