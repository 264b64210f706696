//! Alternative materials (`material_groups`, format 2): "A or B", "at least n of". A member is
//! not required by itself; the group is satisfied when enough members are in order (handed in
//! without a problem, or exempt: shared data, 告知承诺 are not allowed on members).

use crate::bundle::MatterVersion;
use crate::messages;
use crate::model::{Material, MaterialGroup, Text};
use crate::submission::{MaterialStatus, MaterialSubmission};
use crate::verdict::{
    Applies, Exemption, Finding, FindingCode, FindingReason, MaterialState, Target, TargetKind,
};

use super::fields::{Slot, evaluate};
use super::material::{CheckedMaterials, Context, check_material};

/// One group checked.
pub(super) struct GroupCheck<'r> {
    group: &'r MaterialGroup,
    applies: Applies,
    /// Satisfied, or not required (now).
    ok: bool,
    /// The position of its first member: where its finding goes in the rule order.
    pub first_member: usize,
    /// Unsatisfied and required (`material_group_unsatisfied`), or required only if an
    /// unanswered field says so (`material_conditional`).
    finding: Option<Finding>,
    exempt: Vec<Exemption>,
    hint: Option<Text>,
}

pub(super) fn check_groups<'r>(
    version: &'r MatterVersion,
    given: &[Option<&MaterialSubmission>],
    slots: &[Slot<'_>],
    context: &Context<'_>,
) -> Vec<GroupCheck<'r>> {
    let applicant = context.applicant;
    let rule = &version.rule;
    rule.material_groups
        .iter()
        .zip(&version.v2.group_when)
        .zip(&version.v2.group_members)
        .map(|((group, when), members)| {
            let applies = when
                .as_ref()
                .map_or(Applies::Yes, |c| evaluate(c, slots, applicant.kind));
            let materials: Vec<&Material> = members.iter().map(|&m| &rule.materials[m]).collect();
            let mut exempt = Vec::new();
            let mut in_order = 0;
            let mut flawed = Vec::new();
            for (&m, material) in members.iter().zip(&materials) {
                let result = check_material(material, given[m], context);
                if result.finding.is_none() {
                    in_order += 1;
                } else if let Some(g) = given[m].filter(|g| g.status == MaterialStatus::Flawed) {
                    flawed.push((material.name.clone(), g.note.clone()));
                }
                exempt.extend(result.exempt);
            }
            let met = in_order >= usize::try_from(group.at_least).unwrap_or(usize::MAX);
            let words = when
                .as_ref()
                .filter(|_| applies == Applies::Unknown)
                .map(|c| messages::condition(c, &rule.fields));
            let finding = match (applies, met, &words) {
                (Applies::Yes, false, _) => Some(unsatisfied(group, &materials, &flawed)),
                (Applies::Unknown, false, Some(words)) => {
                    Some(conditional(group, &materials, words))
                }
                _ => None,
            };
            GroupCheck {
                group,
                applies,
                ok: applies != Applies::Yes || met,
                first_member: members.first().copied().unwrap_or(usize::MAX),
                finding,
                exempt: if applies == Applies::Yes {
                    exempt
                } else {
                    Vec::new()
                },
                hint: words.as_ref().map(messages::material_hint),
            }
        })
        .collect()
}

/// A member's checklist state: the group's applicability and verdict.
pub(super) fn member_state(
    material: &Material,
    status: MaterialStatus,
    group: &GroupCheck<'_>,
) -> MaterialState {
    MaterialState {
        id: material.id.clone(),
        applies: group.applies,
        key: material.key,
        tolerable: false,
        status,
        ok: group.ok,
        hint: group.hint.clone(),
        group: Some(group.group.id.clone()),
    }
}

/// Adds the group's finding and exemptions, at its first member's place.
pub(super) fn report(checked: &mut CheckedMaterials<'_>, key: bool, group: &GroupCheck<'_>) {
    checked.exempt.extend(group.exempt.iter().cloned());
    let Some(finding) = group.finding.clone() else {
        return;
    };
    if group.applies == Applies::Yes {
        if key {
            checked.key_problem = true;
        } else {
            checked.non_tolerable_problem = true;
        }
    }
    checked.findings.push(finding);
}

fn group_finding(
    group: &MaterialGroup,
    members: &[&Material],
    code: FindingCode,
    reason: FindingReason,
    message: Text,
    basis: String,
) -> Finding {
    Finding {
        code,
        target: Target {
            kind: TargetKind::MaterialGroup,
            id: group.id.clone(),
        },
        label: group.name.clone(),
        reason: Some(reason),
        key: Some(members.iter().any(|m| m.key)),
        tolerable: Some(false),
        note: None,
        basis,
        message,
        refer_to: None,
        alternatives: members.iter().map(|m| m.id.clone()).collect(),
    }
}

fn unsatisfied(
    group: &MaterialGroup,
    members: &[&Material],
    flawed: &[(Text, Option<String>)],
) -> Finding {
    group_finding(
        group,
        members,
        FindingCode::MaterialGroupUnsatisfied,
        FindingReason::TooFewAlternatives,
        messages::group_unsatisfied(group, members, flawed),
        group.basis.clone(),
    )
}

fn conditional(group: &MaterialGroup, members: &[&Material], when: &Text) -> Finding {
    group_finding(
        group,
        members,
        FindingCode::MaterialConditional,
        FindingReason::ConditionUnanswered,
        messages::group_conditional(group, members, when),
        format!("{}；{}", group.basis, messages::CONDITIONAL_BASIS),
    )
}
