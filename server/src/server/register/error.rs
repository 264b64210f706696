//! The register's errors: the same JSON contract as the rest of the API,
//! `{"error": {"code", "message": {"zh", "en"}, "at"?}}`, with the codes in [`RegisterCode`].

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::server::error::ErrorCodeTag;
use qiquan::model::Text;

/// Every error code the register answers with (engine errors keep the engine's codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RegisterCode {
    ApplicationNotFound,
    UnknownMaterial,
    MaterialNotReceived,
    HandoverNotFound,
    ReceiptNotFound,
    LedgerEntryNotFound,
    InvalidIdempotencyKey,
    IdempotencyConflict,
    /// Published in the OpenAPI document; nothing answers it yet (a decided application's files
    /// are still replaceable: the access-control work refuses that with this code).
    #[allow(dead_code)]
    AlreadyDecided,
    InvalidState,
    /// Neither name nor identity number yet: nothing is numbered (`qiquan::unidentified`).
    NotIdentifiable,
    FileTooLarge,
    FileTypeNotAccepted,
    InvalidRequest,
    UnsupportedMediaType,
    Storage,
    /// An upload arrived slower than the minimum rate, stalled, or passed its deadline.
    UploadTooSlow,
    /// The write's commit failed (disk full, I/O error): nothing of it was kept.
    NotStored,
    /// The database file was deleted or replaced under the running server: writes refused.
    DatabaseReplaced,
    /// The database cannot be reached just now (PostgreSQL down, no connection free in time).
    DatabaseUnavailable,
}

impl RegisterCode {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::ApplicationNotFound => "application_not_found",
            Self::UnknownMaterial => "unknown_material",
            Self::MaterialNotReceived => "material_not_received",
            Self::HandoverNotFound => "handover_not_found",
            Self::ReceiptNotFound => "receipt_not_found",
            Self::LedgerEntryNotFound => "ledger_entry_not_found",
            Self::InvalidIdempotencyKey => "invalid_idempotency_key",
            Self::IdempotencyConflict => "idempotency_conflict",
            Self::AlreadyDecided => "already_decided",
            Self::InvalidState => "invalid_state",
            Self::NotIdentifiable => "not_identifiable",
            Self::FileTooLarge => "file_too_large",
            Self::FileTypeNotAccepted => "file_type_not_accepted",
            Self::InvalidRequest => "invalid_request",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Storage => "storage",
            Self::UploadTooSlow => "upload_too_slow",
            Self::NotStored => "not_stored",
            Self::DatabaseReplaced => "database_replaced",
            Self::DatabaseUnavailable => "database_unavailable",
        }
    }

    fn status(self) -> StatusCode {
        match self {
            Self::ApplicationNotFound
            | Self::UnknownMaterial
            | Self::MaterialNotReceived
            | Self::HandoverNotFound
            | Self::ReceiptNotFound
            | Self::LedgerEntryNotFound => StatusCode::NOT_FOUND,
            Self::AlreadyDecided | Self::InvalidState => StatusCode::CONFLICT,
            // The IETF Idempotency-Key draft: a key reused with another request is 422.
            Self::IdempotencyConflict | Self::NotIdentifiable => StatusCode::UNPROCESSABLE_ENTITY,
            Self::FileTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UploadTooSlow => StatusCode::REQUEST_TIMEOUT,
            Self::FileTypeNotAccepted | Self::UnsupportedMediaType => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            Self::InvalidIdempotencyKey | Self::InvalidRequest => StatusCode::BAD_REQUEST,
            Self::Storage
            | Self::NotStored
            | Self::DatabaseReplaced
            | Self::DatabaseUnavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

/// An error answer.
#[derive(Debug)]
pub(crate) struct RegisterError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: Text,
    pub(crate) at: Option<String>,
}

pub(crate) type RegisterResult<T> = std::result::Result<T, RegisterError>;

impl RegisterError {
    pub(crate) fn new(code: RegisterCode, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            status: code.status(),
            code: code.as_str(),
            message: Text {
                zh: zh.into(),
                en: en.into(),
            },
            at: None,
        }
    }

    pub(crate) fn at(mut self, at: impl Into<String>) -> Self {
        self.at = Some(at.into());
        self
    }

    pub(crate) fn application_not_found() -> Self {
        Self::new(
            RegisterCode::ApplicationNotFound,
            "没有这个申请，请核对申请编号。",
            "There is no such application; check its id.",
        )
    }

    pub(crate) fn invalid(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(RegisterCode::InvalidRequest, zh, en)
    }

    /// A database or file-store failure. The detail goes to the log, never to the client.
    pub(crate) fn storage(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "register storage failure");
        Self::new(
            RegisterCode::Storage,
            "登记簿暂时无法读写，请稍后重试；已确认的记录不会丢失。",
            "The register cannot be read or written just now; please retry. Nothing acknowledged is lost.",
        )
    }
}

impl RegisterError {
    /// A commit that failed: nothing of the write is kept.
    pub(crate) fn not_stored(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "commit failed: the write was not stored");
        Self::new(
            RegisterCode::NotStored,
            "未能保存，本次操作没有生效（没有编号、没有回执）；请稍后重试。",
            "Not stored: nothing of this request took effect (no number, no receipt); please retry later.",
        )
    }

    pub(crate) fn database_replaced() -> Self {
        Self::new(
            RegisterCode::DatabaseReplaced,
            "登记簿数据库文件已被删除或替换，暂停受理写入；请联系管理员。本次操作没有生效。",
            "The register's database file was deleted or replaced; writes are refused until an operator restores it. Nothing of this request took effect.",
        )
    }

    pub(crate) fn unavailable(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "register database unavailable");
        Self::new(
            RegisterCode::DatabaseUnavailable,
            "登记簿数据库暂时无法连接，请稍后重试；本次操作没有生效。",
            "The register's database cannot be reached just now; please retry later. Nothing of this request took effect.",
        )
    }
}

impl From<sqlx::Error> for RegisterError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => Self::unavailable(error),
            _ => Self::storage(error),
        }
    }
}

impl From<qiquan::Error> for RegisterError {
    fn from(error: qiquan::Error) -> Self {
        let status = match error.code {
            qiquan::ErrorCode::UnknownMatter => StatusCode::NOT_FOUND,
            qiquan::ErrorCode::NoVersionInForce => StatusCode::UNPROCESSABLE_ENTITY,
            qiquan::ErrorCode::RulesInvalid
            | qiquan::ErrorCode::RulesNotLoaded
            | qiquan::ErrorCode::Io => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        };
        Self {
            status,
            code: error.code.as_str(),
            message: error.message,
            at: error.at,
        }
    }
}

impl IntoResponse for RegisterError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            code: &'a str,
            message: &'a Text,
            #[serde(skip_serializing_if = "Option::is_none")]
            at: &'a Option<String>,
        }
        #[derive(Serialize)]
        struct Envelope<'a> {
            error: Body<'a>,
        }
        let body = serde_json::to_vec(&Envelope {
            error: Body {
                code: self.code,
                message: &self.message,
                at: &self.at,
            },
        })
        .unwrap_or_default();
        let mut response = (
            self.status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response();
        response.extensions_mut().insert(ErrorCodeTag(self.code));
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_print_as_their_serde_names() {
        for code in [
            RegisterCode::ApplicationNotFound,
            RegisterCode::UnknownMaterial,
            RegisterCode::MaterialNotReceived,
            RegisterCode::HandoverNotFound,
            RegisterCode::ReceiptNotFound,
            RegisterCode::LedgerEntryNotFound,
            RegisterCode::InvalidIdempotencyKey,
            RegisterCode::IdempotencyConflict,
            RegisterCode::AlreadyDecided,
            RegisterCode::InvalidState,
            RegisterCode::FileTooLarge,
            RegisterCode::FileTypeNotAccepted,
            RegisterCode::InvalidRequest,
            RegisterCode::UnsupportedMediaType,
            RegisterCode::Storage,
            RegisterCode::UploadTooSlow,
            RegisterCode::NotStored,
            RegisterCode::DatabaseReplaced,
            RegisterCode::DatabaseUnavailable,
        ] {
            let json = serde_json::to_string(&code).expect("serialize");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
