//! Materials: which apply, and whether each was handed in, in order and in the right form.

use crate::bundle::MatterVersion;
use crate::messages;
use crate::model::{ApplicantKind, Material, MaterialForm, Medium, Text};
use crate::submission::{MaterialStatus, MaterialSubmission, SubmittedForm, SubmittedMedium};
use crate::verdict::{
    Applies, Finding, FindingCode, FindingReason, MaterialState, Target, TargetKind,
};

use super::fields::{Slot, evaluate};

/// The materials checked: each material's state, the findings, and the problems sorted by what
/// they mean for the decision.
pub(super) struct CheckedMaterials<'r> {
    pub states: Vec<MaterialState>,
    pub findings: Vec<Finding>,
    /// A key material (主件) has a problem.
    pub key_problem: bool,
    /// A non-key material that may not be pledged has a problem.
    pub non_tolerable_problem: bool,
    /// Tolerable materials with a problem, in rule order: what a pledge would cover.
    pub pledgeable: Vec<&'r Material>,
}

pub(super) fn check_materials<'r>(
    version: &'r MatterVersion,
    given: &[Option<&MaterialSubmission>],
    slots: &[Slot<'_>],
    kind: ApplicantKind,
) -> CheckedMaterials<'r> {
    let rule = &version.rule;
    let mut checked = CheckedMaterials {
        states: Vec::with_capacity(rule.materials.len()),
        findings: Vec::new(),
        key_problem: false,
        non_tolerable_problem: false,
        pledgeable: Vec::new(),
    };
    for ((material, when), given) in rule.materials.iter().zip(&version.material_when).zip(given) {
        let applies = when
            .as_ref()
            .map_or(Applies::Yes, |c| evaluate(c, slots, kind));
        let status = given.map_or(MaterialStatus::Missing, |m| m.status);
        let (finding, hint) = match (applies, when) {
            (Applies::Yes, _) => (check_material(material, *given), None),
            (Applies::Unknown, Some(when)) => {
                let words = messages::condition(when, &rule.fields);
                let told = check_material(material, *given).map(|_| conditional(material, &words));
                (told, Some(messages::material_hint(&words)))
            }
            _ => (None, None),
        };
        checked.states.push(MaterialState {
            id: material.id.clone(),
            applies,
            key: material.key,
            tolerable: material.tolerable,
            status,
            ok: applies != Applies::Yes || finding.is_none(),
            hint,
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

fn form_satisfied(rule: MaterialForm, given: SubmittedForm) -> bool {
    match rule {
        MaterialForm::Original => given != SubmittedForm::Copy,
        // The window can copy an original itself.
        MaterialForm::Copy | MaterialForm::OriginalOrCopy => true,
        MaterialForm::OriginalAndCopy => given == SubmittedForm::OriginalAndCopy,
    }
}

fn medium_satisfied(rule: Medium, given: SubmittedMedium) -> bool {
    match rule {
        Medium::Paper => given == SubmittedMedium::Paper,
        Medium::Electronic => given == SubmittedMedium::Electronic,
        Medium::PaperOrElectronic => true,
    }
}

fn finding(
    material: &Material,
    code: FindingCode,
    reason: FindingReason,
    note: Option<&str>,
    mut message: Text,
) -> Option<Finding> {
    messages::push_acceptance_standard(&mut message, material.acceptance_standard.as_ref());
    Some(Finding {
        code,
        target: Target {
            kind: TargetKind::Material,
            id: material.id.clone(),
        },
        label: material.name.clone(),
        reason: Some(reason),
        key: Some(material.key),
        tolerable: Some(material.tolerable),
        note: note.map(str::to_string),
        basis: material.basis.clone(),
        message,
    })
}

fn check_material(material: &Material, given: Option<&MaterialSubmission>) -> Option<Finding> {
    let Some(given) = given.filter(|g| g.status != MaterialStatus::Missing) else {
        let message = messages::material_missing(material);
        return finding(
            material,
            FindingCode::MaterialMissing,
            FindingReason::Missing,
            None,
            message,
        );
    };
    if given.status == MaterialStatus::Flawed {
        let note = given
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let message = messages::material_flawed(material, note);
        return finding(
            material,
            FindingCode::MaterialFlawed,
            FindingReason::Flawed,
            note,
            message,
        );
    }
    if let Some(submitted) = given.form
        && !form_satisfied(material.form, submitted)
    {
        let message = messages::material_wrong_form(material);
        return finding(
            material,
            FindingCode::MaterialWrongForm,
            FindingReason::Form,
            None,
            message,
        );
    }
    if let Some(submitted) = given.medium
        && !medium_satisfied(material.medium, submitted)
    {
        let message = messages::material_wrong_medium(material);
        return finding(
            material,
            FindingCode::MaterialWrongForm,
            FindingReason::Medium,
            None,
            message,
        );
    }
    None
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
