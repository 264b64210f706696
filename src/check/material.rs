//! One material checked on its own: handed in or not, in the right form, medium and number of
//! copies, or exempt (shared data, an electronic licence, 告知承诺); and the structure the
//! materials' check (`materials.rs`) and the groups' (`groups.rs`) fill in.

use crate::messages;
use crate::model::{Material, MaterialForm, Medium, Sharing, SharingKind, Text};
use crate::submission::{
    Applicant, Channel, MaterialStatus, MaterialSubmission, SubmittedForm, SubmittedMedium,
};
use crate::verdict::{
    ExemptBy, ExemptState, Exemption, Finding, FindingCode, FindingReason, MaterialState, Target,
    TargetKind,
};

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
    /// Materials not demanded (免提交): shared data, electronic licences, 告知承诺.
    pub exempt: Vec<Exemption>,
}

/// One material checked on its own: a problem, or an exemption (免提交), or neither.
#[derive(Default)]
pub(super) struct MaterialResult {
    pub finding: Option<Finding>,
    pub exempt: Option<Exemption>,
}

impl From<Option<Finding>> for MaterialResult {
    fn from(finding: Option<Finding>) -> Self {
        Self {
            finding,
            exempt: None,
        }
    }
}

/// What a material's check needs beyond the material: who applies, and how.
#[derive(Clone, Copy)]
pub(super) struct Context<'a> {
    pub applicant: &'a Applicant,
    pub channel: Channel,
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

pub(super) fn finding(
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
        refer_to: None,
        alternatives: Vec::new(),
    })
}

pub(super) fn check_material(
    material: &Material,
    given: Option<&MaterialSubmission>,
    context: &Context<'_>,
) -> MaterialResult {
    let bad_credit = context.applicant.bad_credit;
    let status = given.map_or(MaterialStatus::Missing, |g| g.status);
    let sharing = obtainable(material);
    match (status, given, sharing) {
        (MaterialStatus::Shared, Some(given), _) => shared(material, given),
        (MaterialStatus::Committed, _, _) => committed(material, bad_credit),
        (MaterialStatus::Provided | MaterialStatus::Flawed, Some(given), _) => {
            check_handed_in(material, given, context.channel).into()
        }
        // Only a recorded failure makes a shareable material the applicant's to hand in.
        (MaterialStatus::SharingFailed, given, Some(sharing)) => {
            let reason = given.and_then(|g| g.note.as_deref()).map(str::trim);
            let reason = reason.filter(|r| !r.is_empty());
            let mut message = messages::sharing_failed(material, sharing.system.as_ref(), reason);
            messages::push_exemption_hints(&mut message, material, bad_credit);
            finding(
                material,
                FindingCode::MaterialMissing,
                FindingReason::SharingFailed,
                reason,
                message,
            )
            .into()
        }
        // Never demanded: the office obtains it (《国务院关于在线政务服务的若干规定》§7).
        (_, _, Some(sharing)) => sharing_exemption(material, sharing, None),
        _ => {
            let mut message = messages::material_missing(material);
            messages::push_exemption_hints(&mut message, material, bad_credit);
            finding(
                material,
                FindingCode::MaterialMissing,
                FindingReason::Missing,
                None,
                message,
            )
            .into()
        }
    }
}

/// How the office can obtain the material itself, if it can.
fn obtainable(material: &Material) -> Option<&Sharing> {
    material
        .sharing
        .as_ref()
        .filter(|s| s.by != SharingKind::None)
}

fn exempt_by(sharing: &Sharing) -> ExemptBy {
    match sharing.by {
        SharingKind::ElectronicLicence => ExemptBy::ElectronicLicence,
        _ => ExemptBy::DataSharing,
    }
}

/// A shareable material, obtained (with its reference) or still the office's to obtain: never
/// the applicant's.
fn sharing_exemption(
    material: &Material,
    sharing: &Sharing,
    reference: Option<&str>,
) -> MaterialResult {
    let system = sharing.system.as_ref();
    let (state, message) = match reference {
        Some(r) => (
            ExemptState::Obtained,
            messages::exempt_shared(material, system, r),
        ),
        None => (
            ExemptState::ToObtain,
            messages::exempt_to_obtain(material, system),
        ),
    };
    MaterialResult {
        finding: None,
        exempt: Some(Exemption {
            material: material.id.clone(),
            name: material.name.clone(),
            by: exempt_by(sharing),
            state,
            source: sharing.system.clone(),
            reference: reference.map(crate::calendar::clip),
            terms: None,
            basis: format!("{}；{}", material.basis, messages::SHARING_BASIS),
            message,
        }),
    }
}

/// `status = "shared"`: obtained (免提交) when the rule marks the material obtainable and the
/// clerk recorded the licence number or record reference; without the reference it is still
/// the office's to obtain.
fn shared(material: &Material, given: &MaterialSubmission) -> MaterialResult {
    let reference = given
        .reference
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let Some(sharing) = obtainable(material) else {
        let message = messages::not_shareable(material);
        return finding(
            material,
            FindingCode::MaterialMissing,
            FindingReason::NotShareable,
            None,
            message,
        )
        .into();
    };
    sharing_exemption(material, sharing, reference)
}

/// `status = "committed"`: 告知承诺 replaces the proof for good, where the rule allows it and
/// the applicant has no bad-credit record (国办发〔2020〕42号).
fn committed(material: &Material, bad_credit: bool) -> MaterialResult {
    let Some(commitment) = &material.commitment else {
        let message = messages::commitment_not_offered(material);
        return finding(
            material,
            FindingCode::CommitmentNotAllowed,
            FindingReason::CommitmentNotOffered,
            None,
            message,
        )
        .into();
    };
    if bad_credit {
        let message = messages::commitment_bad_credit(material);
        return finding(
            material,
            FindingCode::CommitmentNotAllowed,
            FindingReason::BadCredit,
            None,
            message,
        )
        .into();
    }
    MaterialResult {
        finding: None,
        exempt: Some(Exemption {
            material: material.id.clone(),
            name: material.name.clone(),
            by: ExemptBy::Commitment,
            state: ExemptState::Committed,
            source: None,
            reference: None,
            terms: Some(commitment.terms.clone()),
            basis: format!("{}；{}", commitment.basis, messages::COMMITMENT_BASIS),
            message: messages::exempt_committed(material),
        }),
    }
}

/// A material handed in: flaws, form, medium, copies.
fn check_handed_in(
    material: &Material,
    given: &MaterialSubmission,
    channel: Channel,
) -> Option<Finding> {
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
    if given.medium == Some(SubmittedMedium::Electronic)
        && !material.electronic_channels.is_empty()
        && !material.electronic_channels.contains(&channel)
    {
        let message = messages::electronic_not_on_channel(material, channel);
        return finding(
            material,
            FindingCode::MaterialWrongForm,
            FindingReason::ElectronicNotOnChannel,
            None,
            message,
        );
    }
    if let Some(copies) = given.copies
        && copies < material.copies
        && matches!(
            material.form,
            MaterialForm::Copy | MaterialForm::OriginalAndCopy
        )
    {
        let message = messages::too_few_copies(material, copies);
        return finding(
            material,
            FindingCode::MaterialWrongForm,
            FindingReason::TooFewCopies,
            None,
            message,
        );
    }
    None
}
