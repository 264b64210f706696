//! The transition table: every listed row, and every other (stage, event) pair refused with the
//! code the rules give, whatever the pledge.

use super::documents::CaseDocumentKind as D;
use super::*;
use CaseStage as S;
use StepRefusal as R;

fn facts(pledge: PledgeStanding) -> StepFacts {
    StepFacts {
        pledge,
        gate: PledgeGate::Decision,
        extension_allowed: true,
        extended: false,
        past_statutory_due: false,
    }
}

const NONE: PledgeStanding = PledgeStanding::None;
const OWED: PledgeStanding = PledgeStanding::Outstanding;
const KEPT: PledgeStanding = PledgeStanding::Kept;

fn events() -> Vec<CaseEvent> {
    vec![
        CaseEvent::Accepted { pledged: false },
        CaseEvent::ReviewStarted {
            assignee: "李审".into(),
        },
        CaseEvent::HearingOffered,
        CaseEvent::SpecialStarted {
            procedure: SpecialProcedure::Testing,
            reason: "委托检测".into(),
            planned_days: 10,
            approver: "王局".into(),
            hearing_on: None,
        },
        CaseEvent::SpecialEnded,
        CaseEvent::Extended {
            approver: "王局".into(),
            reason: "情况复杂".into(),
        },
        CaseEvent::PledgeKept,
        CaseEvent::PledgeSuspended,
        CaseEvent::PledgeResumed,
        CaseEvent::PledgeTerminated,
        CaseEvent::Decided {
            granted: true,
            reasons: vec![],
        },
        CaseEvent::Decided {
            granted: false,
            reasons: vec!["不符合条件".into()],
        },
        CaseEvent::Served {
            method: ServiceMethod::InPerson,
        },
        CaseEvent::Closed,
    ]
}

fn ev(name: &str) -> CaseEvent {
    events()
        .into_iter()
        .find(|e| {
            let n = match e {
                CaseEvent::Decided { granted: false, .. } => "refused",
                other => other.name(),
            };
            n == name
        })
        .expect(name)
}

type Row = (S, &'static str, StepFacts, Step);

fn ok(stage: S, effects: &[Effect]) -> Step {
    Ok((stage, effects.to_vec()))
}

#[test]
fn transition_table() {
    use Effect::{Issue, StartClock, StopClock};
    let gate_issue = StepFacts {
        gate: PledgeGate::Issue,
        ..facts(OWED)
    };
    let extended = StepFacts {
        extended: true,
        ..facts(NONE)
    };
    let late = StepFacts {
        past_statutory_due: true,
        ..facts(NONE)
    };
    let no_extension = StepFacts {
        extension_allowed: false,
        ..facts(NONE)
    };
    let plain = facts(NONE);
    let owed = facts(OWED);
    let kept = facts(KEPT);
    let rows: Vec<Row> = vec![
        (S::Received, "accepted", plain, ok(S::Accepted, &[])),
        (S::Accepted, "review_started", plain, ok(S::Reviewing, &[])),
        (S::Reviewing, "review_started", plain, ok(S::Reviewing, &[])),
        (S::Accepted, "hearing_offered", plain, ok(S::Accepted, &[])),
        (
            S::Reviewing,
            "hearing_offered",
            plain,
            ok(S::Reviewing, &[]),
        ),
        (
            S::Accepted,
            "special_started",
            plain,
            ok(
                S::SpecialProcedure,
                &[StopClock, Issue(D::SpecialProcedure)],
            ),
        ),
        (
            S::Reviewing,
            "special_started",
            plain,
            ok(
                S::SpecialProcedure,
                &[StopClock, Issue(D::SpecialProcedure)],
            ),
        ),
        (
            S::SpecialProcedure,
            "special_ended",
            plain,
            ok(S::Reviewing, &[StartClock]),
        ),
        (
            S::Accepted,
            "extended",
            plain,
            ok(S::Accepted, &[Issue(D::Extension)]),
        ),
        (
            S::Reviewing,
            "extended",
            plain,
            ok(S::Reviewing, &[Issue(D::Extension)]),
        ),
        (
            S::SpecialProcedure,
            "extended",
            plain,
            ok(S::SpecialProcedure, &[Issue(D::Extension)]),
        ),
        (
            S::Suspended,
            "extended",
            owed,
            ok(S::Suspended, &[Issue(D::Extension)]),
        ),
        (S::Reviewing, "extended", extended, Err(R::AlreadyExtended)),
        (S::Reviewing, "extended", late, Err(R::ExtensionTooLate)),
        (S::Reviewing, "extended", no_extension, Err(R::NoExtension)),
        (S::Accepted, "pledge_kept", owed, ok(S::Accepted, &[])),
        (S::Reviewing, "pledge_kept", owed, ok(S::Reviewing, &[])),
        (
            S::SpecialProcedure,
            "pledge_kept",
            owed,
            ok(S::SpecialProcedure, &[]),
        ),
        (S::Suspended, "pledge_kept", owed, ok(S::Suspended, &[])),
        (S::Granted, "pledge_kept", gate_issue, ok(S::Granted, &[])),
        (S::Denied, "pledge_kept", owed, ok(S::Denied, &[])),
        (
            S::Accepted,
            "pledge_suspended",
            owed,
            ok(S::Suspended, &[StopClock]),
        ),
        (
            S::Reviewing,
            "pledge_suspended",
            owed,
            ok(S::Suspended, &[StopClock]),
        ),
        (
            S::Suspended,
            "pledge_resumed",
            owed,
            ok(S::Reviewing, &[StartClock]),
        ),
        (
            S::Suspended,
            "pledge_resumed",
            kept,
            ok(S::Reviewing, &[StartClock]),
        ),
        (
            S::Accepted,
            "pledge_terminated",
            owed,
            ok(S::Terminated, &[StopClock, Issue(D::Termination)]),
        ),
        (
            S::Reviewing,
            "pledge_terminated",
            owed,
            ok(S::Terminated, &[StopClock, Issue(D::Termination)]),
        ),
        (
            S::SpecialProcedure,
            "pledge_terminated",
            owed,
            ok(S::Terminated, &[StopClock, Issue(D::Termination)]),
        ),
        (
            S::Suspended,
            "pledge_terminated",
            owed,
            ok(S::Terminated, &[StopClock, Issue(D::Termination)]),
        ),
        (
            S::Granted,
            "pledge_terminated",
            gate_issue,
            ok(S::Terminated, &[Issue(D::Termination)]),
        ),
        (
            S::Reviewing,
            "decided",
            plain,
            ok(S::Granted, &[Issue(D::Grant)]),
        ),
        (
            S::Reviewing,
            "decided",
            kept,
            ok(S::Granted, &[Issue(D::Grant)]),
        ),
        (S::Reviewing, "decided", owed, Err(R::PledgeOutstanding)),
        (
            S::Reviewing,
            "decided",
            gate_issue,
            ok(S::Granted, &[Issue(D::Grant)]),
        ),
        (
            S::Reviewing,
            "refused",
            plain,
            ok(S::Denied, &[Issue(D::Denial)]),
        ),
        (
            S::Reviewing,
            "refused",
            owed,
            ok(S::Denied, &[Issue(D::Denial)]),
        ),
        (
            S::Granted,
            "served",
            plain,
            ok(S::Served, &[Issue(D::ServiceReceipt)]),
        ),
        (
            S::Granted,
            "served",
            kept,
            ok(S::Served, &[Issue(D::ServiceReceipt)]),
        ),
        (S::Granted, "served", gate_issue, Err(R::LicenceWithheld)),
        (
            S::Denied,
            "served",
            plain,
            ok(S::Served, &[Issue(D::ServiceReceipt)]),
        ),
        (
            S::Denied,
            "served",
            owed,
            ok(S::Served, &[Issue(D::ServiceReceipt)]),
        ),
        (S::Served, "closed", plain, ok(S::Closed, &[])),
    ];
    for (stage, name, f, want) in &rows {
        assert_eq!(step(*stage, &ev(name), f), *want, "{stage:?} {name} {f:?}");
    }
    // Every pair not listed is refused, by the first rule that applies.
    let names = [
        "accepted",
        "review_started",
        "hearing_offered",
        "special_started",
        "special_ended",
        "extended",
        "pledge_kept",
        "pledge_suspended",
        "pledge_resumed",
        "pledge_terminated",
        "decided",
        "refused",
        "served",
        "closed",
    ];
    for stage in CaseStage::ALL {
        for name in names {
            for f in [plain, owed] {
                if rows
                    .iter()
                    .any(|(s, n, rf, _)| *s == stage && *n == name && *rf == f)
                {
                    continue;
                }
                let pledge_event = name.starts_with("pledge_");
                let want = if stage.finished() {
                    R::Finished
                } else if stage == S::Received {
                    R::NotAccepted
                } else if name == "accepted" {
                    R::AlreadyAccepted
                } else if pledge_event && f.pledge == NONE {
                    R::NoPledge
                } else {
                    R::WrongStage
                };
                let got = step(stage, &ev(name), &f);
                // Rows listed under other facts (e.g. a grant with the pledge kept) may succeed
                // here too; only pairs never listed must be refused.
                if rows.iter().any(|(s, n, _, _)| *s == stage && *n == name) {
                    continue;
                }
                assert_eq!(got, Err(want), "{stage:?} {name} {f:?}");
            }
        }
    }
}

#[test]
fn blanks_and_reasons_are_refused() {
    let plain = facts(NONE);
    let blank_assignee = CaseEvent::ReviewStarted {
        assignee: "  ".into(),
    };
    assert_eq!(step(S::Accepted, &blank_assignee, &plain), Err(R::Blank));
    let no_approver = CaseEvent::Extended {
        approver: String::new(),
        reason: "复杂".into(),
    };
    assert_eq!(step(S::Reviewing, &no_approver, &plain), Err(R::Blank));
    let no_reason = CaseEvent::Decided {
        granted: false,
        reasons: vec![" ".into()],
    };
    assert_eq!(
        step(S::Reviewing, &no_reason, &plain),
        Err(R::ReasonsMissing)
    );
}

#[test]
fn events_read_and_write_their_json() {
    let record: CaseRecord = serde_json::from_str(
        r#"{"on":"2026-03-02","event":"special_started","procedure":"expert_review","reason":"专家评审","planned_days":5,"approver":"王局"}"#,
    )
    .expect("reads");
    assert_eq!(record.event.name(), "special_started");
    let back = serde_json::to_string(&record).expect("writes");
    assert!(back.contains(r#""event":"special_started""#), "{back}");
    for refusal in [R::NotAccepted, R::PledgeOutstanding, R::LicenceWithheld] {
        assert_eq!(serde_json::to_value(refusal).expect("json"), refusal.code());
    }
    for stage in CaseStage::ALL {
        assert_eq!(serde_json::to_value(stage).expect("json"), stage.as_str());
    }
}

/// The steps page offers, at each stage, exactly the clerk's steps the transition function
/// takes from it (one table, read twice; the page keeps no copy).
#[test]
fn choices_follow_the_transition_table() {
    use CaseStage as S;
    let offered = |stage| {
        choices(stage)
            .steps
            .into_iter()
            .map(|c| c.value)
            .collect::<Vec<_>>()
    };
    let table: [(CaseStage, &[&str]); 10] = [
        (S::Received, &[]),
        (
            S::Accepted,
            &[
                "review_started",
                "hearing_offered",
                "special_started",
                "extended",
            ],
        ),
        (
            S::Reviewing,
            &[
                "review_started",
                "hearing_offered",
                "special_started",
                "extended",
                "decided",
            ],
        ),
        (S::SpecialProcedure, &["special_ended", "extended"]),
        (S::Suspended, &["extended"]),
        (S::Granted, &["served"]),
        (S::Denied, &["served"]),
        (S::Served, &["closed"]),
        (S::Closed, &[]),
        (S::Terminated, &[]),
    ];
    for (stage, want) in table {
        assert_eq!(offered(stage), want, "{stage:?}");
    }
    let c = choices(S::Accepted);
    assert_eq!(c.procedures.len(), SpecialProcedure::ALL.len());
    assert_eq!(c.procedures[0].value, "hearing");
    assert_eq!(c.procedures[0].label.zh, "听证");
    assert_eq!(c.service_methods[1].value, "post");
    assert_eq!(c.service_methods[1].label.zh, "邮寄送达");
}
