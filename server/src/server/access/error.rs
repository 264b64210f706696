//! The access layer's errors: the server's one JSON envelope
//! (`{"error": {"code", "message": {"zh", "en"}}}`), with the codes in [`AccessCode`].

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::server::register::error::RegisterError;
use qiquan::model::Text;

/// Every code the access layer answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum AccessCode {
    /// 401: no credential, or one that does not verify (expired, wrong audience or issuer,
    /// unknown or wrong key, malformed).
    Unauthenticated,
    /// 403: the caller is known but its roles do not include one the route declares.
    Forbidden,
    /// 403: the body names a channel the caller may not claim (window or paper only from a
    /// clerk, kiosk only from a kiosk device, online only from an applicant).
    ChannelNotAllowed,
    /// 400: a read of personal data without its reason.
    ReasonRequired,
    /// 403: `as_of` on the ledger sweep outside dev/test mode.
    AsOfNotAllowed,
    /// 429: too many tries from this client, or from everyone, in the window.
    RateLimited,
}

impl AccessCode {
    #[cfg(test)]
    pub(crate) const ALL: [AccessCode; 6] = [
        Self::Unauthenticated,
        Self::Forbidden,
        Self::ChannelNotAllowed,
        Self::ReasonRequired,
        Self::AsOfNotAllowed,
        Self::RateLimited,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden => "forbidden",
            Self::ChannelNotAllowed => "channel_not_allowed",
            Self::ReasonRequired => "reason_required",
            Self::AsOfNotAllowed => "as_of_not_allowed",
            Self::RateLimited => "rate_limited",
        }
    }

    pub(crate) fn status(self) -> StatusCode {
        match self {
            Self::Unauthenticated => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::ChannelNotAllowed | Self::AsOfNotAllowed => {
                StatusCode::FORBIDDEN
            }
            Self::ReasonRequired => StatusCode::BAD_REQUEST,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        }
    }
}

/// An access refusal.
#[derive(Debug)]
pub(crate) struct AccessError {
    pub(crate) code: AccessCode,
    pub(crate) message: Text,
    /// Seconds, for 429.
    pub(crate) retry_after: Option<u64>,
}

impl AccessError {
    pub(crate) fn new(code: AccessCode, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            code,
            message: Text {
                zh: zh.into(),
                en: en.into(),
            },
            retry_after: None,
        }
    }

    pub(crate) fn unauthenticated() -> Self {
        Self::new(
            AccessCode::Unauthenticated,
            "请先登录：此操作需要工作人员令牌或申请凭证。",
            "Sign in first: this needs a staff token or the application's capability.",
        )
    }

    /// A credential was sent but does not verify; `why` is a short English reason (logged, and
    /// told to the caller: it names no secret).
    pub(crate) fn bad_token(why: &str) -> Self {
        tracing::info!(reason = why, "credential refused");
        Self::new(
            AccessCode::Unauthenticated,
            format!("登录凭证无效（{why}），请重新登录。"),
            format!("The credential is not valid ({why}); sign in again."),
        )
    }

    pub(crate) fn forbidden() -> Self {
        Self::new(
            AccessCode::Forbidden,
            "您的角色无权进行此操作。",
            "Your role may not do this.",
        )
    }

    pub(crate) fn rate_limited(retry_after: u64) -> Self {
        let mut e = Self::new(
            AccessCode::RateLimited,
            format!("尝试过于频繁，请 {retry_after} 秒后再试。"),
            format!("Too many tries; try again in {retry_after} s."),
        );
        e.retry_after = Some(retry_after);
        e
    }
}

impl From<AccessError> for RegisterError {
    fn from(error: AccessError) -> Self {
        RegisterError {
            status: error.code.status(),
            code: error.code.as_str(),
            message: error.message,
            at: None,
        }
    }
}

impl IntoResponse for AccessError {
    fn into_response(self) -> Response {
        let code = self.code;
        let retry = self.retry_after;
        let mut response = RegisterError::from(self).into_response();
        if code == AccessCode::Unauthenticated {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"qiquan\""),
            );
        }
        if let Some(seconds) = retry
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_print_as_their_serde_names() {
        for code in AccessCode::ALL {
            let json = serde_json::to_string(&code).expect("serialize");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    /// The OpenAPI document lists every access code among the register's error codes.
    #[test]
    fn codes_are_in_the_openapi_enum() {
        let doc: serde_json::Value =
            serde_json::from_str(crate::server::OPENAPI_JSON).expect("openapi.json is JSON");
        let described = &doc["components"]["schemas"]["RegisterError"]["properties"]["error"]["properties"]
            ["code"]["anyOf"][0]["enum"];
        for code in AccessCode::ALL {
            assert!(
                described
                    .as_array()
                    .is_some_and(|a| a.iter().any(|c| c == code.as_str())),
                "{} missing from openapi.json",
                code.as_str()
            );
        }
    }
}
