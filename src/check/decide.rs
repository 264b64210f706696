//! The decision: plain facts about a submission in, the outcome and the pledge's availability
//! out. Pure and small on purpose, so it can be read against the rules in `check`'s module doc
//! and tested row by row.

use crate::verdict::{Outcome, PledgeBlock};

/// What the checks found, as plain facts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Facts {
    /// The matter serves the applicant's kind (服务对象).
    pub eligible: bool,
    /// A rule's refusal by facts holds (行政许可法 §32(1)(1)(2)).
    pub refused: bool,
    /// The applicant has an unrepaired bad-credit (失信) record.
    pub bad_credit: bool,
    /// The matter is a 即办件.
    pub instant_matter: bool,
    /// A field is missing or invalid.
    pub field_problem: bool,
    /// A key material (主件) is missing, flawed or in the wrong form.
    pub key_material_problem: bool,
    /// A non-key material that may not be pledged is missing, flawed or in the wrong form.
    pub non_tolerable_problem: bool,
    /// A tolerable (容缺) material is missing, flawed or in the wrong form.
    pub tolerable_problem: bool,
    /// The applicant signed the 容缺受理信用承诺书.
    pub pledge_signed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decision {
    pub outcome: Outcome,
    /// The applicant and the matter admit a pledge at all: no 失信 record, not a 即办件.
    pub applicant_eligible: bool,
    /// Signing the pledge leads (or led) to 容缺受理: the only case in which the pledge is offered.
    pub pledge_available: bool,
    /// Why the pledge cannot be used; reported only when something could be pledged or the
    /// applicant signed.
    pub blocked_by: Vec<PledgeBlock>,
    /// Tell the applicant in a finding that the pledge cannot be used.
    pub pledge_refused: bool,
}

pub(crate) fn decide(f: &Facts) -> Decision {
    let admissible = f.eligible && !f.refused;
    let applicant_eligible = !f.bad_credit && !f.instant_matter;
    let other_problem = f.field_problem || f.key_material_problem || f.non_tolerable_problem;
    let pledge_available =
        admissible && applicant_eligible && f.tolerable_problem && !other_problem;
    let any_problem = other_problem || f.tolerable_problem;
    let blocked_by = if f.tolerable_problem || f.pledge_signed {
        // In `PledgeBlock`'s order.
        let blocks = [
            !f.eligible,
            f.refused,
            f.bad_credit,
            f.instant_matter,
            f.field_problem,
            f.key_material_problem,
            f.non_tolerable_problem,
            !f.tolerable_problem,
        ];
        PledgeBlock::all()
            .iter()
            .zip(blocks)
            .filter_map(|(reason, blocked)| blocked.then_some(*reason))
            .collect()
    } else {
        Vec::new()
    };
    let pledge_refused = admissible
        && ((f.bad_credit && f.tolerable_problem)
            || (f.pledge_signed && any_problem && !pledge_available));
    let outcome = if !admissible {
        Outcome::NotAccepted
    } else if !any_problem {
        Outcome::Accept
    } else if pledge_available && f.pledge_signed {
        Outcome::AcceptWithPledge
    } else {
        Outcome::CorrectionRequired
    };
    Decision {
        outcome,
        applicant_eligible,
        pledge_available,
        blocked_by,
        pledge_refused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Outcome::{Accept, AcceptWithPledge, CorrectionRequired, NotAccepted};
    use PledgeBlock::{
        ApplicantIneligible as Ineligible, BadCredit, FieldProblem as Field,
        InstantMatter as Instant, KeyMaterialProblem as Key, NonTolerableMaterial as NonTolerable,
        NothingToPledge as Nothing, RefusedByFacts as Refused,
    };

    /// Facts from a compact spec: each letter sets one fact.
    /// e = eligible, r = refused by facts, c = bad credit, i = instant, f = field, k = key, n = non-tolerable,
    /// t = tolerable, s = signed.
    fn facts(spec: &str) -> Facts {
        let has = |c| spec.contains(c);
        Facts {
            eligible: has('e'),
            refused: has('r'),
            bad_credit: has('c'),
            instant_matter: has('i'),
            field_problem: has('f'),
            key_material_problem: has('k'),
            non_tolerable_problem: has('n'),
            tolerable_problem: has('t'),
            pledge_signed: has('s'),
        }
    }

    /// One row per rule in `check`'s module doc (and the pledge refusals), with the outcome,
    /// whether the pledge is available, whether its refusal is told, and the block reasons.
    #[test]
    fn every_rule_of_the_decision() {
        #[rustfmt::skip]
        let rows: &[(&str, Outcome, bool, bool, &[PledgeBlock])] = &[
            // Rule 1: an ineligible applicant is not accepted, whatever else holds.
            ("", NotAccepted, false, false, &[]),
            ("t", NotAccepted, false, false, &[Ineligible]),
            ("s", NotAccepted, false, false, &[Ineligible, Nothing]),
            ("cts", NotAccepted, false, false, &[Ineligible, BadCredit]),
            // Rule 1 also: a refusal by facts, whatever else holds.
            ("er", NotAccepted, false, false, &[]),
            ("ert", NotAccepted, false, false, &[Refused]),
            ("erts", NotAccepted, false, false, &[Refused]),
            ("rts", NotAccepted, false, false, &[Ineligible, Refused]),
            // Rule 2: a field problem or a key material problem needs correction.
            ("ef", CorrectionRequired, false, false, &[]),
            ("ek", CorrectionRequired, false, false, &[]),
            ("eft", CorrectionRequired, false, false, &[Field]),
            ("ekt", CorrectionRequired, false, false, &[Key]),
            ("ekts", CorrectionRequired, false, true, &[Key]),
            ("efs", CorrectionRequired, false, true, &[Field, Nothing]),
            // Rule 3: a non-tolerable non-key material needs correction; the pledge cannot help.
            ("en", CorrectionRequired, false, false, &[]),
            ("ent", CorrectionRequired, false, false, &[NonTolerable]),
            ("ents", CorrectionRequired, false, true, &[NonTolerable]),
            // Rule 4: only tolerable materials outstanding → 容缺受理 once signed.
            ("et", CorrectionRequired, true, false, &[]),
            ("ets", AcceptWithPledge, true, false, &[]),
            // Rule 4's exclusions: 失信 applicants and instant matters.
            ("ect", CorrectionRequired, false, true, &[BadCredit]),
            ("ects", CorrectionRequired, false, true, &[BadCredit]),
            ("eit", CorrectionRequired, false, false, &[Instant]),
            ("eits", CorrectionRequired, false, true, &[Instant]),
            ("ecit", CorrectionRequired, false, true, &[BadCredit, Instant]),
            // Rule 5: everything in order → 受理; a signature without anything to pledge is moot.
            ("e", Accept, false, false, &[]),
            ("ec", Accept, false, false, &[]),
            ("ei", Accept, false, false, &[]),
            ("es", Accept, false, false, &[Nothing]),
            ("ecs", Accept, false, false, &[BadCredit, Nothing]),
        ];
        for (spec, outcome, available, refused, blocked) in rows {
            let d = decide(&facts(spec));
            assert_eq!(d.outcome, *outcome, "{spec}: outcome");
            assert_eq!(d.pledge_available, *available, "{spec}: pledge available");
            assert_eq!(d.pledge_refused, *refused, "{spec}: pledge refused");
            assert_eq!(d.blocked_by, *blocked, "{spec}: blocked by");
            let spec_facts = facts(spec);
            assert_eq!(
                d.applicant_eligible,
                !spec_facts.bad_credit && !spec_facts.instant_matter,
                "{spec}: applicant eligible"
            );
        }
    }

    /// The pledge is offered only where signing it leads to 容缺受理.
    #[test]
    fn pledge_available_exactly_when_signing_accepts() {
        for bits in 0u32..512 {
            let spec: String = "ercifknts"
                .chars()
                .enumerate()
                .filter(|(i, _)| bits & (1 << i) != 0)
                .map(|(_, c)| c)
                .collect();
            let unsigned = facts(&spec.replace('s', ""));
            let signed = Facts {
                pledge_signed: true,
                ..unsigned
            };
            let signing_accepts = decide(&signed).outcome == AcceptWithPledge;
            assert_eq!(
                decide(&unsigned).pledge_available,
                signing_accepts,
                "{spec}"
            );
            assert_eq!(decide(&signed).pledge_available, signing_accepts, "{spec}");
        }
    }
}
