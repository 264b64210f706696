//! Every state change of the register as a pure function `(state, event, facts) -> (new state,
//! effects)`: an application's deciding, a 容缺 ledger entry, and the case around them. The SQL
//! only stores what these return (each update conditional on the old state, so concurrent
//! writers change a row once); the effects are the audit events to record. ARCHITECTURE.md
//! shows the same tables.

use qiquan::model::BrokenPledge;

use super::audit::EventKind;
use super::states::{ApplicationStatus, CaseState, LedgerStatus};

/// What happens to an application on its way to a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApplicationEvent {
    /// One decider claims it (a submit, or the draft's submit).
    Claim,
    /// The engine's verdict is stored.
    Decide,
}

/// `Draft -Claim-> Deciding -Decide-> Decided`; anything else is no change (None).
pub(crate) fn application_step(
    status: ApplicationStatus,
    event: ApplicationEvent,
) -> Option<(ApplicationStatus, &'static [EventKind])> {
    use ApplicationEvent as E;
    use ApplicationStatus as S;
    match (status, event) {
        (S::Draft, E::Claim) => Some((S::Deciding, &[])),
        (S::Deciding, E::Decide) => Some((S::Decided, &[EventKind::ApplicationDecided])),
        _ => None,
    }
}

/// What happens to one pledged material.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntryEvent {
    /// Uploaded, or handed in at the window.
    Supply,
    /// Waived by a clerk.
    Waive,
    /// The sweep found the due date passed.
    DuePassed,
    /// The supplied file was found flawed.
    FoundFlawed,
}

/// A ledger entry's next status and the event to record; None when the event does not apply
/// (the entry is already closed, or not yet supplied).
pub(crate) fn entry_step(
    status: LedgerStatus,
    event: EntryEvent,
) -> Option<(LedgerStatus, EventKind)> {
    use EntryEvent as E;
    use LedgerStatus as S;
    match (status, event) {
        (S::Owed | S::Overdue, E::Supply) => Some((S::Supplied, EventKind::PledgeItemSupplied)),
        (S::Owed | S::Overdue, E::Waive) => Some((S::Waived, EventKind::PledgeItemWaived)),
        (S::Owed, E::DuePassed) => Some((S::Overdue, EventKind::PledgeItemOverdue)),
        (S::Supplied, E::FoundFlawed) => Some((S::Owed, EventKind::PledgeItemOwed)),
        _ => None,
    }
}

/// Entries in these statuses are still owed and keep the case open.
pub(crate) const OPEN_ENTRIES: [LedgerStatus; 2] = [LedgerStatus::Owed, LedgerStatus::Overdue];

/// What happens to a decided case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaseEvent {
    /// The last open entry closed (supplied or waived).
    AllClosed,
    /// An entry fell overdue: the pledge is broken.
    ItemOverdue,
    /// The sweep found the resume window passed.
    ResumeWindowPassed,
    /// A supplied file was found flawed: an entry is owed again.
    ItemReopened,
}

/// What a case transition reads besides its state.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CaseFacts<'a> {
    /// The day the event happened (`YYYY-MM-DD`).
    pub(crate) on: &'a str,
    /// The last day a suspended case may resume.
    pub(crate) resume_until: Option<&'a str>,
    /// What the matter file says a broken pledge does.
    pub(crate) on_broken: BrokenPledge,
}

/// A case's next state and the events to record, in order; None when nothing changes.
pub(crate) fn case_step(
    state: CaseState,
    event: CaseEvent,
    facts: CaseFacts<'_>,
) -> Option<(CaseState, &'static [EventKind])> {
    use CaseEvent as E;
    use CaseState as S;
    use EventKind as K;
    let in_window = facts.resume_until.is_some_and(|until| facts.on <= until);
    match (state, event) {
        (S::Pledged, E::AllClosed) => Some((S::PledgeKept, &[K::PledgeKept])),
        (S::Suspended, E::AllClosed) if in_window => Some((S::Resumed, &[K::CaseResumed])),
        (S::Suspended, E::AllClosed) => Some((S::Terminated, &[K::CaseTerminated])),
        (S::Pledged, E::ItemOverdue) => Some(match facts.on_broken {
            BrokenPledge::Suspend => (S::Suspended, &[K::PledgeBroken, K::CaseSuspended]),
            BrokenPledge::Terminate => (S::Terminated, &[K::PledgeBroken, K::CaseTerminated]),
        }),
        (S::Suspended, E::ResumeWindowPassed) => Some((S::Terminated, &[K::CaseTerminated])),
        (S::PledgeKept, E::ItemReopened) => Some((S::Pledged, &[])),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EventKind as K;

    #[test]
    fn application_table() {
        use ApplicationEvent as E;
        use ApplicationStatus as S;
        type Row = (S, E, Option<(S, &'static [K])>);
        let table: &[Row] = &[
            (S::Draft, E::Claim, Some((S::Deciding, &[]))),
            (S::Draft, E::Decide, None),
            (S::Deciding, E::Claim, None),
            (
                S::Deciding,
                E::Decide,
                Some((S::Decided, &[K::ApplicationDecided])),
            ),
            (S::Decided, E::Claim, None),
            (S::Decided, E::Decide, None),
        ];
        assert_eq!(table.len(), S::ALL.len() * 2, "every row");
        for (status, event, want) in table {
            assert_eq!(
                application_step(*status, *event),
                *want,
                "{status:?} {event:?}"
            );
        }
    }

    #[test]
    fn entry_table() {
        use EntryEvent as E;
        use LedgerStatus as S;
        let events = [E::Supply, E::Waive, E::DuePassed, E::FoundFlawed];
        type Row = (S, [Option<(S, K)>; 4]);
        let table: &[Row] = &[
            (
                S::Owed,
                [
                    Some((S::Supplied, K::PledgeItemSupplied)),
                    Some((S::Waived, K::PledgeItemWaived)),
                    Some((S::Overdue, K::PledgeItemOverdue)),
                    None,
                ],
            ),
            (
                S::Overdue,
                [
                    Some((S::Supplied, K::PledgeItemSupplied)),
                    Some((S::Waived, K::PledgeItemWaived)),
                    None,
                    None,
                ],
            ),
            (
                S::Supplied,
                [None, None, None, Some((S::Owed, K::PledgeItemOwed))],
            ),
            (S::Waived, [None, None, None, None]),
        ];
        assert_eq!(table.len(), S::ALL.len(), "every status");
        for (status, row) in table {
            for (event, want) in events.iter().zip(row) {
                assert_eq!(entry_step(*status, *event), *want, "{status:?} {event:?}");
            }
        }
        // An entry is open exactly when it can still be supplied.
        for status in S::ALL {
            assert_eq!(
                OPEN_ENTRIES.contains(status),
                entry_step(*status, E::Supply).is_some()
            );
        }
    }

    #[test]
    fn case_table() {
        use BrokenPledge::{Suspend, Terminate};
        use CaseEvent as E;
        use CaseState as S;
        let facts = |on, until, on_broken| CaseFacts {
            on,
            resume_until: until,
            on_broken,
        };
        let in_window = facts("2026-03-02", Some("2026-03-10"), Suspend);
        let last_day = facts("2026-03-10", Some("2026-03-10"), Suspend);
        let late = facts("2026-03-11", Some("2026-03-10"), Suspend);
        let no_window = facts("2026-03-02", None, Suspend);
        let terminating = facts("2026-03-02", None, Terminate);
        type Row<'a> = (S, E, CaseFacts<'a>, Option<(S, &'static [K])>);
        let mut table: Vec<Row> = vec![
            (
                S::Pledged,
                E::AllClosed,
                in_window,
                Some((S::PledgeKept, &[K::PledgeKept])),
            ),
            (
                S::Suspended,
                E::AllClosed,
                in_window,
                Some((S::Resumed, &[K::CaseResumed])),
            ),
            (
                S::Suspended,
                E::AllClosed,
                last_day,
                Some((S::Resumed, &[K::CaseResumed])),
            ),
            (
                S::Suspended,
                E::AllClosed,
                late,
                Some((S::Terminated, &[K::CaseTerminated])),
            ),
            (
                S::Suspended,
                E::AllClosed,
                no_window,
                Some((S::Terminated, &[K::CaseTerminated])),
            ),
            (
                S::Pledged,
                E::ItemOverdue,
                no_window,
                Some((S::Suspended, &[K::PledgeBroken, K::CaseSuspended])),
            ),
            (
                S::Pledged,
                E::ItemOverdue,
                terminating,
                Some((S::Terminated, &[K::PledgeBroken, K::CaseTerminated])),
            ),
            (
                S::Suspended,
                E::ResumeWindowPassed,
                late,
                Some((S::Terminated, &[K::CaseTerminated])),
            ),
            (
                S::PledgeKept,
                E::ItemReopened,
                in_window,
                Some((S::Pledged, &[])),
            ),
        ];
        // Every other (state, event) pair changes nothing, whatever the facts.
        let events = [
            E::AllClosed,
            E::ItemOverdue,
            E::ResumeWindowPassed,
            E::ItemReopened,
        ];
        for state in S::ALL {
            for event in events {
                if !table.iter().any(|(s, e, _, _)| s == state && *e == event) {
                    for f in [in_window, late, no_window, terminating] {
                        table.push((*state, event, f, None));
                    }
                }
            }
        }
        for (state, event, facts, want) in table {
            assert_eq!(
                case_step(state, event, facts),
                want,
                "{state:?} {event:?} {facts:?}"
            );
        }
    }
}
