//! The compact check: what a form needs on every keystroke — the outcome, each finding's code
//! and target, the checklist flags and whether the pledge is available — and no prose. It runs
//! the same check as the full verdict (one engine, one decision) but does not render the
//! notice, and prints one line of JSON. `compact(verdict)` is a projection of the full verdict,
//! so the two can never disagree (tests/conformance.rs checks it on every case).

use serde::Serialize;

use crate::submission::MaterialStatus;
use crate::verdict::{Applies, FindingCode, Outcome, PledgeBlock, Target, Verdict};

/// The compact verdict (`checkCompact`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct CompactVerdict {
    pub outcome: Outcome,
    /// The rule version checked against, and the rules it comes from.
    pub version: String,
    pub rules_digest: String,
    /// The signed bundle's revision (as in the full verdict), or null.
    pub rules_revision: Option<String>,
    pub findings: Vec<CompactFinding>,
    pub fields: Vec<CompactField>,
    pub materials: Vec<CompactMaterial>,
    pub pledge: CompactPledge,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct CompactFinding {
    pub code: FindingCode,
    pub target: Target,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct CompactField {
    pub id: String,
    #[cfg_attr(feature = "wasm", tsify(type = "boolean | \"unknown\""))]
    pub applies: Applies,
    pub required: bool,
    pub ok: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct CompactMaterial {
    pub id: String,
    #[cfg_attr(feature = "wasm", tsify(type = "boolean | \"unknown\""))]
    pub applies: Applies,
    pub status: MaterialStatus,
    pub ok: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct CompactPledge {
    /// Signing the pledge makes (or made) the application acceptable now (`pledge.would_accept`).
    pub available: bool,
    pub signed: bool,
    pub blocked_by: Vec<PledgeBlock>,
}

/// The compact form of a verdict (its notice is not read).
pub fn compact(verdict: Verdict) -> CompactVerdict {
    CompactVerdict {
        outcome: verdict.outcome,
        version: verdict.version,
        rules_digest: verdict.rules_digest,
        rules_revision: verdict.rules_revision,
        findings: verdict
            .findings
            .into_iter()
            .map(|f| CompactFinding {
                code: f.code,
                target: f.target,
            })
            .collect(),
        fields: verdict
            .checklist
            .fields
            .into_iter()
            .map(|f| CompactField {
                id: f.id,
                applies: f.applies,
                required: f.required,
                ok: f.ok,
            })
            .collect(),
        materials: verdict
            .checklist
            .materials
            .into_iter()
            .map(|m| CompactMaterial {
                id: m.id,
                applies: m.applies,
                status: m.status,
                ok: m.ok,
            })
            .collect(),
        pledge: CompactPledge {
            available: verdict.pledge.would_accept,
            signed: verdict.pledge.signed,
            blocked_by: verdict.pledge.blocked_by,
        },
    }
}
