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
    FileTooLarge,
    FileTypeNotAccepted,
    InvalidRequest,
    UnsupportedMediaType,
    Storage,
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
            Self::FileTooLarge => "file_too_large",
            Self::FileTypeNotAccepted => "file_type_not_accepted",
            Self::InvalidRequest => "invalid_request",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::Storage => "storage",
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
            Self::IdempotencyConflict | Self::AlreadyDecided | Self::InvalidState => {
                StatusCode::CONFLICT
            }
            Self::FileTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::FileTypeNotAccepted | Self::UnsupportedMediaType => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            Self::InvalidIdempotencyKey | Self::InvalidRequest => StatusCode::BAD_REQUEST,
            Self::Storage => StatusCode::SERVICE_UNAVAILABLE,
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

impl From<sqlx::Error> for RegisterError {
    fn from(error: sqlx::Error) -> Self {
        Self::storage(error)
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
        ] {
            let json = serde_json::to_string(&code).expect("serialize");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
