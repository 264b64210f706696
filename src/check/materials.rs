//! Materials: which apply, and whether each was handed in, in order and in the right form.

use crate::bundle::MatterVersion;
use crate::messages;
use crate::model::{Material, Text};
use crate::submission::{MaterialStatus, MaterialSubmission};
use crate::verdict::{
    Applies, Finding, FindingCode, FindingReason, MaterialState, Target, TargetKind,
};

use super::fields::{Slot, evaluate};
use super::groups;
use super::material::check_material;
pub(super) use super::material::{CheckedMaterials, Context};

pub(super) fn check_materials<'r>(
    version: &'r MatterVersion,
    given: &[Option<&MaterialSubmission>],
    slots: &[Slot<'_>],
    context: &Context<'_>,
) -> CheckedMaterials<'r> {
    let rule = &version.rule;
    let kind = context.applicant.kind;
    let mut checked = CheckedMaterials {
        states: Vec::with_capacity(rule.materials.len()),
        findings: Vec::new(),
        key_problem: false,
        non_tolerable_problem: false,
        pledgeable: Vec::new(),
        exempt: Vec::new(),
    };
    let groups = groups::check_groups(version, given, slots, context);
    for (i, ((material, when), given)) in rule
        .materials
        .iter()
        .zip(&version.material_when)
        .zip(given)
        .enumerate()
    {
        let status = given.map_or(MaterialStatus::Missing, |m| m.status);
        if let Some(g) = version.v2.group_of[i] {
            let group = &groups[g];
            checked
                .states
                .push(groups::member_state(material, status, group));
            if group.first_member == i {
                groups::report(&mut checked, material.key, group);
            }
            continue;
        }
        let applies = when
            .as_ref()
            .map_or(Applies::Yes, |c| evaluate(c, slots, kind));
        let result = check_material(material, *given, context);
        let (finding, hint) = match (applies, when) {
            (Applies::Yes, _) => (result.finding, None),
            (Applies::Unknown, Some(when)) => {
                let words = messages::condition(when, &rule.fields);
                let told = result.finding.map(|_| conditional(material, &words));
                (told, Some(messages::material_hint(&words)))
            }
            _ => (None, None),
        };
        if applies == Applies::Yes {
            checked.exempt.extend(result.exempt);
        }
        checked.states.push(MaterialState {
            id: material.id.clone(),
            applies,
            key: material.key,
            tolerable: material.tolerable,
            status,
            ok: applies != Applies::Yes || finding.is_none(),
            hint,
            group: None,
        });
        let Some(finding) = finding else { continue };
        if applies != Applies::Yes {
            // Told at once, but nothing is required yet: no effect on the decision.
        } else if material.key {
            checked.key_problem = true;
        } else if material.tolerable {
            checked.pledgeable.push(material);
        } else {
            checked.non_tolerable_problem = true;
        }
        checked.findings.push(finding);
    }
    checked
}

/// A material required only if an unanswered field says so, told now so that the one-time
/// notice is complete (行政许可法 §32(1)(4)).
fn conditional(material: &Material, when: &Text) -> Finding {
    Finding {
        code: FindingCode::MaterialConditional,
        target: Target {
            kind: TargetKind::Material,
            id: material.id.clone(),
        },
        label: material.name.clone(),
        reason: Some(FindingReason::ConditionUnanswered),
        key: Some(material.key),
        tolerable: Some(material.tolerable),
        note: None,
        basis: format!("{}；{}", material.basis, messages::CONDITIONAL_BASIS),
        message: messages::material_conditional(material, when),
        refer_to: None,
        alternatives: Vec::new(),
    }
}

/// Adds the pledge offer to the findings on tolerable materials that are required now (not to
/// a `material_conditional` one: nothing is owed on it yet).
pub(super) fn offer_pledge(findings: &mut [Finding]) {
    for finding in findings {
        if finding.target.kind == TargetKind::Material
            && finding.tolerable == Some(true)
            && finding.code != FindingCode::MaterialConditional
        {
            messages::push_pledge_offer(&mut finding.message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: FindingCode, tolerable: bool) -> Finding {
        Finding {
            code,
            target: Target {
                kind: TargetKind::Material,
                id: String::from("m"),
            },
            label: messages::text("材料", "material"),
            reason: None,
            key: Some(false),
            tolerable: Some(tolerable),
            note: None,
            basis: String::new(),
            message: messages::text("缺少。", "Missing."),
            refer_to: None,
            alternatives: Vec::new(),
        }
    }

    #[test]
    fn the_pledge_is_offered_only_on_tolerable_materials_required_now() {
        let mut findings = [
            finding(FindingCode::MaterialMissing, true),
            finding(FindingCode::MaterialMissing, false),
            finding(FindingCode::MaterialConditional, true),
        ];
        offer_pledge(&mut findings);
        let offered: Vec<bool> = findings
            .iter()
            .map(|f| f.message.zh.contains("签署信用承诺书后可先行受理"))
            .collect();
        assert_eq!(offered, [true, false, false]);
    }
}
