//! The conditions of a check, traced: each `when` with its operands as the check read them and
//! its three-valued result, node by node. For `qiquan explain` (native and the studio module):
//! the size of a trace is that of the rule's conditions, never of the input.

use serde::Serialize;
use serde_json::Value;

use super::fields::{self, Slot};
use crate::bundle::{Bundle, Cond};
use crate::error::Result;
use crate::model::{ApplicantKind, Text};
use crate::submission::{CheckOptions, Submission};
use crate::verdict::Applies;

/// One node of a condition: what it says, what it read, what it gave.
#[derive(Debug, Clone, Serialize)]
pub struct CondTrace {
    /// The condition in words (the notice's words).
    pub says: Text,
    /// The field it reads and the value read (`null`: not answered; absent when the field does
    /// not apply, `"unknown"` when that is undecided); none for `all`/`any`/`not`/kinds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read: Option<Value>,
    pub result: Applies,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<CondTrace>,
}

/// The traced conditions of one check, per rule item (`None`: the item has no condition).
#[derive(Debug, Clone, Default)]
pub struct Traces {
    pub fields: Vec<Option<CondTrace>>,
    pub materials: Vec<Option<CondTrace>>,
    pub groups: Vec<Option<CondTrace>>,
    pub refusals: Vec<CondTrace>,
}

fn field_of(cond: &Cond) -> Option<usize> {
    match cond {
        Cond::Equals(i, _)
        | Cond::OneOf(i, _)
        | Cond::IsSet(i, _)
        | Cond::GreaterThan(i, _)
        | Cond::LessThan(i, _) => Some(*i),
        _ => None,
    }
}

fn trace(
    cond: &Cond,
    slots: &[Slot<'_>],
    kind: ApplicantKind,
    rule: &crate::MatterFile,
) -> CondTrace {
    let parts = match cond {
        Cond::All(items) | Cond::Any(items) => {
            items.iter().map(|c| trace(c, slots, kind, rule)).collect()
        }
        Cond::Not(inner) => vec![trace(inner, slots, kind, rule)],
        _ => Vec::new(),
    };
    let index = field_of(cond);
    let read = index.map(|i| match slots.get(i) {
        Some(Slot::Answered(v)) => (*v).clone(),
        Some(Slot::Blank) => Value::Null,
        Some(Slot::Unknown) => Value::from("unknown"),
        Some(Slot::Absent) | None => Value::from("absent"),
    });
    let read = match cond {
        Cond::ApplicantKind(_) => Some(serde_json::to_value(kind).unwrap_or_default()),
        _ => read,
    };
    CondTrace {
        says: crate::messages::condition(cond, &rule.fields),
        field: index.and_then(|i| rule.fields.get(i)).map(|f| f.id.clone()),
        read,
        result: fields::evaluate(cond, slots, kind),
        parts,
    }
}

/// Every condition of the version a submission is checked against, traced.
pub(crate) fn conditions(
    bundle: &Bundle,
    matter_id: &str,
    submission: &Submission,
    options: &CheckOptions,
) -> Result<Traces> {
    let intake = super::resolve(bundle, matter_id, submission, options)?;
    let version = intake.version;
    let rule = &version.rule;
    let normalised = super::normalise_fields(version, &intake.fields);
    let given: Vec<Option<&Value>> = (intake.fields.iter().zip(&normalised))
        .map(|(given, read)| read.as_ref().or(*given))
        .collect();
    let kind = submission.applicant.kind;
    let checked = fields::check_fields(version, &given, kind, intake.received_on);
    // A field's condition sees only the fields before it (rule order), as the check does.
    let field_traces = (version.fields.iter().enumerate())
        .map(|(i, runtime)| {
            runtime
                .when
                .as_ref()
                .map(|c| trace(c, &checked.slots[..i], kind, rule))
        })
        .collect();
    let all = |c: &Option<Cond>| c.as_ref().map(|c| trace(c, &checked.slots, kind, rule));
    Ok(Traces {
        fields: field_traces,
        materials: version.material_when.iter().map(all).collect(),
        groups: version.v2.group_when.iter().map(all).collect(),
        refusals: (version.v2.refusals.iter())
            .map(|c| trace(c, &checked.slots, kind, rule))
            .collect(),
    })
}
