//! Every state and event kind the register stores, as Rust enums. The serde name is the stored
//! string, and the migrations' CHECK constraints list exactly these names (a test reads them),
//! so the database holds nothing the code does not know. SQL never spells a state: it binds
//! [`as_str`](CaseState::as_str).

use qiquan::Outcome;

use super::names::stable_names;

stable_names! {
    /// `applications.status`: where the register is with deciding an application.
    ApplicationStatus {
        /// Stored, not yet decided (a saved draft, or between insert and decision).
        Draft = "draft",
        /// Claimed by one decider (concurrent submits decide once).
        Deciding = "deciding",
        /// The engine's verdict is stored.
        Decided = "decided",
    }
}

stable_names! {
    /// `applications.case_state`: the case after the decision (the 容缺 lifecycle).
    CaseState {
        Accepted = "accepted",
        /// Accepted on a pledge (容缺受理): items owed.
        Pledged = "pledged",
        /// Every pledged item supplied or waived in time.
        PledgeKept = "pledge_kept",
        /// An item overdue: the case is suspended (中止).
        Suspended = "suspended",
        /// A suspended case whose items arrived within the resume window.
        Resumed = "resumed",
        /// Terminated (终止): overdue and not resumed, or the matter terminates at once.
        Terminated = "terminated",
        /// 一次性告知补正.
        CorrectionNotified = "correction_notified",
        /// 不予受理.
        Refused = "refused",
    }
}

stable_names! {
    /// `ledger.status`: one pledged material.
    LedgerStatus {
        Owed = "owed",
        Supplied = "supplied",
        Overdue = "overdue",
        Waived = "waived",
    }
}

stable_names! {
    /// `case_steps.event`: a step a clerk records after acceptance — the engine's
    /// `qiquan::case::CaseEvent` names, less those the register records itself (the
    /// acceptance, from the decision; the pledge's, from the 容缺 ledger).
    CaseStepEvent {
        ReviewStarted = "review_started",
        HearingOffered = "hearing_offered",
        SpecialStarted = "special_started",
        SpecialEnded = "special_ended",
        Extended = "extended",
        Decided = "decided",
        Served = "served",
        Closed = "closed",
    }
}

stable_names! {
    /// `case_steps.document_kind`: the engine's `qiquan::case::documents::CaseDocumentKind`.
    CaseDocumentName {
        SpecialProcedure = "special_procedure",
        Extension = "extension",
        Grant = "grant",
        Denial = "denial",
        Termination = "termination",
        ServiceReceipt = "service_receipt",
    }
}

impl CaseStepEvent {
    /// The audit event a step records.
    pub(crate) fn event_kind(self) -> super::audit::EventKind {
        use super::audit::EventKind as K;
        match self {
            Self::ReviewStarted => K::CaseReviewStarted,
            Self::HearingOffered => K::CaseHearingOffered,
            Self::SpecialStarted => K::CaseSpecialStarted,
            Self::SpecialEnded => K::CaseSpecialEnded,
            Self::Extended => K::CaseExtended,
            Self::Decided => K::CaseDecided,
            Self::Served => K::CaseServed,
            Self::Closed => K::CaseClosed,
        }
    }
}

impl CaseState {
    /// The state a decided case starts in.
    pub(crate) fn of_outcome(outcome: Outcome) -> CaseState {
        match outcome {
            Outcome::Accept => CaseState::Accepted,
            Outcome::AcceptWithPledge => CaseState::Pledged,
            Outcome::CorrectionRequired => CaseState::CorrectionNotified,
            Outcome::NotAccepted => CaseState::Refused,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::audit::EventKind;
    use super::*;

    /// `(table, column) -> names` of every `CHECK (column IN ('a', 'b'))` in the migrations.
    fn checks() -> Vec<(String, String, Vec<String>)> {
        let mut out = Vec::new();
        let mut table = String::new();
        for (_, _, sql) in super::super::db::MIGRATIONS {
            for line in sql.lines() {
                let line = line.trim();
                if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
                    let rest = rest.trim_start_matches("IF NOT EXISTS ");
                    table = rest.split([' ', '(']).next().unwrap_or("").to_string();
                    // A table rebuilt under a temporary name keeps its final name.
                    table = table.trim_end_matches("_checked").to_string();
                }
                let Some(at) = line.find("CHECK (") else {
                    continue;
                };
                let check = &line[at + "CHECK (".len()..];
                let column = check.split(' ').next().unwrap_or("").to_string();
                let inner = check
                    .split_once("IN (")
                    .and_then(|(_, list)| list.split_once(')'))
                    .map(|(list, _)| list)
                    .unwrap_or("");
                let names = inner
                    .split(',')
                    .map(|n| n.trim().trim_matches('\'').to_string())
                    .collect();
                out.push((table.clone(), column, names));
            }
        }
        out
    }

    fn check_of(table: &str, column: &str) -> Vec<String> {
        let found: Vec<_> = checks()
            .into_iter()
            .filter(|(t, c, _)| t == table && c == column)
            .collect();
        // A later migration may rebuild the table with a longer list: the last one is in force.
        assert!(!found.is_empty(), "no CHECK on {table}.{column}");
        found[found.len() - 1].2.clone()
    }

    fn names<T: Copy>(all: &[T], as_str: fn(T) -> &'static str) -> Vec<String> {
        all.iter().map(|v| as_str(*v).to_string()).collect()
    }

    /// Each name round-trips through serde, `parse` and `TryFrom<String>`, and no two agree.
    fn round_trips<T>(all: &[T], as_str: fn(T) -> &'static str, parse: fn(&str) -> Option<T>)
    where
        T: Copy + PartialEq + std::fmt::Debug + serde::Serialize + serde::de::DeserializeOwned,
    {
        let mut seen = std::collections::BTreeSet::new();
        for value in all {
            let name = as_str(*value);
            assert!(seen.insert(name), "{name} twice");
            assert_eq!(
                serde_json::to_string(value).expect("json"),
                format!("\"{name}\"")
            );
            let back: T = serde_json::from_str(&format!("\"{name}\"")).expect("json");
            assert_eq!(back, *value);
            assert_eq!(parse(name), Some(*value));
        }
        assert_eq!(parse("no_such_state"), None);
    }

    #[test]
    fn application_status_names() {
        round_trips(
            ApplicationStatus::ALL,
            ApplicationStatus::as_str,
            ApplicationStatus::parse,
        );
        assert_eq!(
            check_of("applications", "status"),
            names(ApplicationStatus::ALL, ApplicationStatus::as_str)
        );
        assert!(ApplicationStatus::try_from("decided".to_string()).is_ok());
        assert!(ApplicationStatus::try_from("done".to_string()).is_err());
    }

    #[test]
    fn case_state_names() {
        round_trips(CaseState::ALL, CaseState::as_str, CaseState::parse);
        assert_eq!(
            check_of("applications", "case_state"),
            names(CaseState::ALL, CaseState::as_str)
        );
    }

    #[test]
    fn ledger_status_names() {
        round_trips(LedgerStatus::ALL, LedgerStatus::as_str, LedgerStatus::parse);
        assert_eq!(
            check_of("ledger", "status"),
            names(LedgerStatus::ALL, LedgerStatus::as_str)
        );
    }

    #[test]
    fn event_kind_names() {
        round_trips(EventKind::ALL, EventKind::as_str, EventKind::parse);
        assert_eq!(
            check_of("events", "kind"),
            names(EventKind::ALL, EventKind::as_str)
        );
    }

    #[test]
    fn case_step_names() {
        round_trips(
            CaseStepEvent::ALL,
            CaseStepEvent::as_str,
            CaseStepEvent::parse,
        );
        assert_eq!(
            check_of("case_steps", "event"),
            names(CaseStepEvent::ALL, CaseStepEvent::as_str)
        );
        round_trips(
            CaseDocumentName::ALL,
            CaseDocumentName::as_str,
            CaseDocumentName::parse,
        );
        assert_eq!(
            check_of("case_steps", "document_kind"),
            names(CaseDocumentName::ALL, CaseDocumentName::as_str)
        );
        // The engine's names: every document kind, and every event but the register's own.
        let engine_docs: Vec<String> = qiquan::case::documents::CaseDocumentKind::ALL
            .iter()
            .map(|k| k.as_str().to_string())
            .collect();
        assert_eq!(
            engine_docs,
            names(CaseDocumentName::ALL, CaseDocumentName::as_str)
        );
        for name in names(CaseStepEvent::ALL, CaseStepEvent::as_str) {
            let json = format!(r#"{{"on":"2026-03-02","event":"{name}"}}"#);
            // Unknown names fail with "unknown variant"; known ones may lack fields.
            if let Err(error) = serde_json::from_str::<qiquan::case::CaseRecord>(&json) {
                assert!(
                    !error.to_string().contains("unknown variant"),
                    "{name}: {error}"
                );
            }
        }
    }

    #[test]
    fn every_outcome_starts_a_case() {
        let starts: Vec<_> = [
            Outcome::Accept,
            Outcome::AcceptWithPledge,
            Outcome::CorrectionRequired,
            Outcome::NotAccepted,
        ]
        .into_iter()
        .map(CaseState::of_outcome)
        .collect();
        assert_eq!(
            starts,
            [
                CaseState::Accepted,
                CaseState::Pledged,
                CaseState::CorrectionNotified,
                CaseState::Refused
            ]
        );
    }
}
