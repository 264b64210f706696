//! Whose credit pledge (信用承诺) an application binds: the identity a clerk verified at the
//! window (who verified it, from which document), or, online and at a kiosk, none beyond the
//! capability's holder. Stored with the application (`applications.pledge_identity`) and returned
//! as `pledge_identity`. A pure function of the caller and the body's `identity_verified`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Caller;
use super::error::{AccessCode, AccessError};
use super::table::Role;

/// The identity document a clerk checked (the 身份证件 types a service centre accepts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum IdentityDocument {
    /// 居民身份证
    ResidentIdCard,
    /// 临时居民身份证
    TemporaryResidentIdCard,
    /// 护照
    Passport,
    /// 港澳居民来往内地通行证
    HongKongMacaoPermit,
    /// 台湾居民来往大陆通行证
    TaiwanPermit,
    /// 外国人永久居留身份证
    ForeignPermanentResidentCard,
}

/// What a clerk sends in the create body: `"identity_verified": {"document_type": "…"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IdentityVerified {
    pub(crate) document_type: IdentityDocument,
}

/// The identity a pledge binds, as stored and returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum PledgeIdentity {
    /// A clerk checked the applicant's identity document at the window.
    WindowVerified {
        /// The clerk, as the audit trail names them (`clerk:SUBJECT@WINDOW`).
        verified_by: String,
        document_type: IdentityDocument,
    },
    /// Recorded by a clerk who did not record an identity check.
    WindowNotRecorded { recorded_by: String },
    /// Online or at a kiosk: the holder of the application's capability; no verified identity.
    Unverified,
}

/// The identity the caller's application binds. Only a clerk may say an identity was verified.
pub(crate) fn pledge_identity(
    caller: &Caller,
    claimed: Option<IdentityVerified>,
) -> Result<PledgeIdentity, AccessError> {
    match (caller.has(Role::Clerk), claimed) {
        (true, Some(c)) => Ok(PledgeIdentity::WindowVerified {
            verified_by: caller.actor(),
            document_type: c.document_type,
        }),
        (true, None) => Ok(PledgeIdentity::WindowNotRecorded {
            recorded_by: caller.actor(),
        }),
        (false, None) => Ok(PledgeIdentity::Unverified),
        (false, Some(_)) => Err(AccessError::new(
            AccessCode::Forbidden,
            "只有窗口工作人员可以登记“已核验身份”（identity_verified）。",
            "Only a clerk at a window may record that an identity was verified (`identity_verified`).",
        )),
    }
}

/// Reads `/identity_verified` of a create body (absent or null: none). A malformed value is
/// left to the handler's own parse, which says what is wrong.
pub(crate) fn claimed(body: &str) -> Option<IdentityVerified> {
    let value: Value = serde_json::from_str(body).ok()?;
    serde_json::from_value(value.get("identity_verified")?.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::access::Staff;

    fn staff(role: Role) -> Caller {
        Caller {
            staff: Some(Staff {
                subject: "u1".into(),
                roles: vec![role],
                window: Some("3".into()),
                department: None,
            }),
            ..Caller::default()
        }
    }

    #[test]
    fn who_may_say_an_identity_was_verified() {
        let id = Some(IdentityVerified {
            document_type: IdentityDocument::ResidentIdCard,
        });
        let verified = PledgeIdentity::WindowVerified {
            verified_by: "clerk:u1@3".into(),
            document_type: IdentityDocument::ResidentIdCard,
        };
        let not_recorded = PledgeIdentity::WindowNotRecorded {
            recorded_by: "clerk:u1@3".into(),
        };
        let cases: [(Caller, Option<IdentityVerified>, Option<PledgeIdentity>); 6] = [
            (staff(Role::Clerk), id, Some(verified)),
            (staff(Role::Clerk), None, Some(not_recorded)),
            (staff(Role::Kiosk), None, Some(PledgeIdentity::Unverified)),
            (staff(Role::Kiosk), id, None),
            (Caller::default(), None, Some(PledgeIdentity::Unverified)),
            (Caller::default(), id, None),
        ];
        for (caller, claimed, want) in cases {
            let got = pledge_identity(&caller, claimed);
            match want {
                Some(w) => assert_eq!(got.expect("allowed"), w),
                None => assert_eq!(got.expect_err("refused").code, AccessCode::Forbidden),
            }
        }
    }

    #[test]
    fn the_claim_is_read_from_the_body() {
        let body = r#"{"matter":"m","identity_verified":{"document_type":"passport"}}"#;
        assert_eq!(
            claimed(body),
            Some(IdentityVerified {
                document_type: IdentityDocument::Passport
            })
        );
        assert_eq!(claimed(r#"{"matter":"m"}"#), None);
        assert_eq!(claimed("not json"), None);
        let stored = serde_json::to_value(PledgeIdentity::WindowVerified {
            verified_by: "clerk:u1@3".into(),
            document_type: IdentityDocument::TaiwanPermit,
        })
        .expect("json");
        assert_eq!(
            stored,
            serde_json::json!({"kind": "window_verified", "verified_by": "clerk:u1@3", "document_type": "taiwan_permit"})
        );
    }
}
