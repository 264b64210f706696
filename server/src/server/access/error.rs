//! The access layer's error codes ([`AccessCode`]) and its constructors of the server's one
//! error envelope ([`ApiError`], `crate::server::error`).

use axum::http::StatusCode;

use crate::server::error::ApiError;

qiquan::stable_code! {
    /// Every code the access layer answers with.
    pub(crate) enum AccessCode {
        /// 401: no credential, or one that does not verify (expired, wrong audience or issuer,
        /// unknown or wrong key, malformed).
        Unauthenticated = "unauthenticated",
        /// 403: the caller is known but its roles do not include one the route declares.
        Forbidden = "forbidden",
        /// 403: the body names a channel the caller may not claim (window or paper only from a
        /// clerk, kiosk only from a kiosk device, online only from an applicant).
        ChannelNotAllowed = "channel_not_allowed",
        /// 400: a read of personal data without its reason.
        ReasonRequired = "reason_required",
        /// 403: `as_of` on the ledger sweep outside dev/test mode.
        AsOfNotAllowed = "as_of_not_allowed",
        /// 429: too many tries from this client, or from everyone, in the window.
        RateLimited = "rate_limited",
    }
}

impl AccessCode {
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

/// An access refusal: the server's one envelope.
pub(crate) type AccessError = ApiError;

impl ApiError {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_print_as_their_serde_names() {
        for code in AccessCode::ALL {
            let json = serde_json::to_string(code).expect("serialize");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }
}
