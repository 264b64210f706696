//! Whose credit pledge (信用承诺) an application binds: the identity a clerk verified at the
//! window (who verified it, from which document), or, online and at a kiosk, none beyond the
//! capability's holder. Stored with the application (`applications.pledge_identity`) and returned
//! as `pledge_identity`. A pure function of the caller and the body's `identity_verified`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Caller;
use super::error::{AccessCode, AccessError};
use super::table::Role;

/// The identity document a clerk checked: the engine's (it names it on the 信用承诺书).
pub(crate) use qiquan::submission::IdentityDocument;

/// What a clerk sends in the create body: `"identity_verified": {"document_type": "…",
/// "name": "…", "id_number": "…"}` — the document checked and the identity it shows, which the
/// 信用承诺书 names (the engine's `submission.pledgor`; the number printed masked).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IdentityVerified {
    pub(crate) document_type: IdentityDocument,
    pub(crate) name: String,
    pub(crate) id_number: String,
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

/// The body with `/submission/pledgor` set from what a clerk verified at the window (the
/// identity a pledge binds, printed on the 信用承诺书), and removed otherwise: a body's own
/// pledgor is never believed. Not JSON, or no submission object: unchanged (the handler's own
/// parse says what is wrong).
pub(crate) fn set_pledgor(
    body: &str,
    identity: &PledgeIdentity,
    claimed: Option<&IdentityVerified>,
) -> String {
    let Ok(mut value) = serde_json::from_str::<Value>(body) else {
        return body.to_string();
    };
    let Some(submission) = value.get_mut("submission").and_then(Value::as_object_mut) else {
        return body.to_string();
    };
    match (identity, claimed) {
        (PledgeIdentity::WindowVerified { .. }, Some(c)) => {
            submission.insert(
                "pledgor".into(),
                serde_json::json!({
                    "name": c.name, "document_type": c.document_type,
                    "id_number": c.id_number, "verified_by": "window",
                }),
            );
        }
        _ => {
            submission.remove("pledgor");
        }
    }
    value.to_string()
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
            name: "张三".into(),
            id_number: "11010519491231002X".into(),
        });
        let verified = PledgeIdentity::WindowVerified {
            verified_by: "clerk:u1@3".into(),
            document_type: IdentityDocument::ResidentIdCard,
        };
        let not_recorded = PledgeIdentity::WindowNotRecorded {
            recorded_by: "clerk:u1@3".into(),
        };
        let cases: [(Caller, Option<IdentityVerified>, Option<PledgeIdentity>); 6] = [
            (staff(Role::Clerk), id.clone(), Some(verified)),
            (staff(Role::Clerk), None, Some(not_recorded)),
            (staff(Role::Kiosk), None, Some(PledgeIdentity::Unverified)),
            (staff(Role::Kiosk), id.clone(), None),
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
    fn the_pledgor_is_the_verified_identity_or_none() {
        let claim = IdentityVerified {
            document_type: IdentityDocument::ResidentIdCard,
            name: "张三".into(),
            id_number: "11010519491231002X".into(),
        };
        let verified = PledgeIdentity::WindowVerified {
            verified_by: "clerk:u1@3".into(),
            document_type: IdentityDocument::ResidentIdCard,
        };
        let forged = r#"{"matter":"m","submission":{"pledgor":{"name":"X","document_type":"passport","id_number":"1","verified_by":"unified_identity"}}}"#;
        let set: Value =
            serde_json::from_str(&set_pledgor(forged, &verified, Some(&claim))).expect("json");
        assert_eq!(
            set["submission"]["pledgor"],
            serde_json::json!({"name": "张三", "document_type": "resident_id_card", "id_number": "11010519491231002X", "verified_by": "window"})
        );
        for identity in [
            PledgeIdentity::Unverified,
            PledgeIdentity::WindowNotRecorded {
                recorded_by: "clerk:u1@3".into(),
            },
        ] {
            let set: Value =
                serde_json::from_str(&set_pledgor(forged, &identity, None)).expect("json");
            assert_eq!(set["submission"].get("pledgor"), None, "{identity:?}");
        }
        assert_eq!(set_pledgor("not json", &verified, Some(&claim)), "not json");
    }

    #[test]
    fn the_claim_is_read_from_the_body() {
        let body = r#"{"matter":"m","identity_verified":{"document_type":"passport","name":"李四","id_number":"E12345678"}}"#;
        assert_eq!(
            claimed(body),
            Some(IdentityVerified {
                document_type: IdentityDocument::Passport,
                name: "李四".into(),
                id_number: "E12345678".into(),
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
