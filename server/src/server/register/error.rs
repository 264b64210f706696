//! The register's error codes ([`RegisterCode`]) and its constructors of the server's one error
//! envelope ([`ApiError`], `crate::server::error`).

use axum::http::StatusCode;

use crate::server::error::ApiError;

qiquan::stable_code! {
    /// Every error code the register answers with (engine errors keep the engine's codes).
    pub(crate) enum RegisterCode {
        ApplicationNotFound = "application_not_found",
        UnknownMaterial = "unknown_material",
        MaterialNotReceived = "material_not_received",
        HandoverNotFound = "handover_not_found",
        ReceiptNotFound = "receipt_not_found",
        LedgerEntryNotFound = "ledger_entry_not_found",
        InvalidIdempotencyKey = "invalid_idempotency_key",
        IdempotencyConflict = "idempotency_conflict",
        /// Published in the OpenAPI document; nothing answers it yet (a decided application's files
        /// are still replaceable: the access-control work refuses that with this code).
        #[allow(dead_code)]
        AlreadyDecided = "already_decided",
        InvalidState = "invalid_state",
        /// Neither name nor identity number yet: nothing is numbered (`qiquan::unidentified`).
        NotIdentifiable = "not_identifiable",
        FileTooLarge = "file_too_large",
        FileTypeNotAccepted = "file_type_not_accepted",
        InvalidRequest = "invalid_request",
        UnsupportedMediaType = "unsupported_media_type",
        Storage = "storage",
        /// An upload arrived slower than the minimum rate, stalled, or passed its deadline.
        UploadTooSlow = "upload_too_slow",
        /// The write's commit failed (disk full, I/O error): nothing of it was kept.
        NotStored = "not_stored",
        /// The database file was deleted or replaced under the running server: writes refused.
        DatabaseReplaced = "database_replaced",
        /// The database cannot be reached just now (PostgreSQL down, no connection free in time).
        DatabaseUnavailable = "database_unavailable",
}
}

impl RegisterCode {
    pub(crate) fn status(self) -> StatusCode {
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

/// The register's errors are the server's one envelope.
pub(crate) type RegisterError = ApiError;

pub(crate) type RegisterResult<T> = std::result::Result<T, RegisterError>;

impl ApiError {
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

impl ApiError {
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

impl From<sqlx::Error> for ApiError {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_print_as_their_serde_names() {
        for code in RegisterCode::ALL {
            let json = serde_json::to_string(code).expect("serialize");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
