//! The server's error envelope: the codes only the server sends ([`ServerErrorCode`]), the
//! engine's ([`ErrorCode`]) and the register's, all answered as one JSON shape by [`ApiError`].

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use qiquan::model::Text;
use qiquan::{Error, ErrorCode};

/// Error codes only the server sends (the engine's are [`ErrorCode`]). A public contract like
/// the engine's: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ServerErrorCode {
    /// No such endpoint under `/v1/`, or no such page or file.
    NotFound,
    /// The path exists but not for this method.
    MethodNotAllowed,
    /// A request body that is not `application/json`.
    UnsupportedMediaType,
    /// The request (headers, or the whole request with its body) took too long.
    Timeout,
    /// A bug: a handler panicked. Logged; the server keeps serving.
    Internal,
    /// The HTTP layer could not parse the request (request line, header syntax).
    MalformedRequest,
    /// The request line's target is too long.
    UriTooLong,
    /// The request headers are too large, or too many.
    HeadersTooLarge,
    /// The server is at its connection limit (`--max-connections`); retry later.
    TooManyConnections,
    /// `--bundle-url` and no verified bundle yet (URL unreachable, no cache): the pages'
    /// `/v1/rules/bundle.json` answers 503 until one arrives.
    RulesBundleUnavailable,
}

impl ServerErrorCode {
    #[cfg(test)]
    pub(crate) const ALL: [ServerErrorCode; 10] = [
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::UnsupportedMediaType,
        Self::Timeout,
        Self::Internal,
        Self::MalformedRequest,
        Self::UriTooLong,
        Self::HeadersTooLarge,
        Self::TooManyConnections,
        Self::RulesBundleUnavailable,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Timeout => "timeout",
            Self::Internal => "internal",
            Self::MalformedRequest => "malformed_request",
            Self::UriTooLong => "uri_too_long",
            Self::HeadersTooLarge => "headers_too_large",
            Self::TooManyConnections => "too_many_connections",
            Self::RulesBundleUnavailable => "rules_bundle_unavailable",
        }
    }
}

/// An error response's code: the engine's or the server's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    Engine(ErrorCode),
    Server(ServerErrorCode),
}

impl Code {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Code::Engine(code) => code.as_str(),
            Code::Server(code) => code.as_str(),
        }
    }
}

/// An error response: `{"error": {"code", "message": {"zh", "en"}, "at"?, "details"?}}`, the
/// same shape the CLI and the wasm module print. `at` is a JSON pointer into the request body.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: Code,
    pub(crate) message: Text,
    pub(crate) at: Option<String>,
    pub(crate) details: Vec<String>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: ServerErrorCode, zh: &str, en: &str) -> Self {
        Self {
            status,
            code: Code::Server(code),
            message: Text {
                zh: zh.into(),
                en: en.into(),
            },
            at: None,
            details: Vec::new(),
        }
    }

    pub(crate) fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ServerErrorCode::NotFound,
            "没有这个接口。",
            "There is no such endpoint.",
        )
    }

    pub(crate) fn page_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ServerErrorCode::NotFound,
            "没有这个网页或文件。",
            "There is no such page or file.",
        )
    }

    pub(crate) fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            ServerErrorCode::MethodNotAllowed,
            "该路径不支持此请求方法。",
            "This path does not support that method.",
        )
    }

    pub(crate) fn timeout() -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            ServerErrorCode::Timeout,
            "请求超时，请重试。",
            "The request took too long; please retry.",
        )
    }

    pub(crate) fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ServerErrorCode::Internal,
            "服务器内部错误，请稍后重试。",
            "Internal server error; please retry later.",
        )
    }

    pub(crate) fn too_many_connections() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ServerErrorCode::TooManyConnections,
            "服务器连接数已满，请稍后重试。",
            "The server has too many connections; please retry shortly.",
        )
    }

    /// The answer for a request the HTTP layer refused before any handler saw it.
    pub(crate) fn http_layer(status: u16) -> Self {
        match status {
            414 => Self::new(
                StatusCode::URI_TOO_LONG,
                ServerErrorCode::UriTooLong,
                "请求地址过长。",
                "The request target (URI) is too long.",
            ),
            431 => Self::new(
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                ServerErrorCode::HeadersTooLarge,
                "请求头过大或过多。",
                "The request headers are too large or too many.",
            ),
            408 => Self::timeout(),
            _ => Self::new(
                StatusCode::BAD_REQUEST,
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
        let status = match error.code {
            ErrorCode::UnknownMatter => StatusCode::NOT_FOUND,
            ErrorCode::InputTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::NoVersionInForce => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::RulesInvalid | ErrorCode::RulesNotLoaded | ErrorCode::Io => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            _ => StatusCode::BAD_REQUEST,
        };
        Self {
            status,
            code: Code::Engine(error.code),
            message: error.message,
            at: error.at,
            details: error.details,
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
