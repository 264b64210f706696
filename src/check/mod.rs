//! Check: one submission against the version of a matter in force on the day of receipt.
//!
//! The decision ([`decide::decide`], tested row by row), with its legal sources:
//! 1. an applicant kind the matter does not serve, or a rule's refusal by facts holding on the
//!    answered fields (format 2: a matter that needs no licence, or belongs to another
//!    authority, told where to apply) → 不予受理 (行政许可法 §32(1)(1)(2): outside the remit or
//!    not eligible);
//! 2. any field problem, or a missing/flawed key material (主件) → 补正 with a one-time notice of
//!    everything (行政许可法 §32(4); 退回件 when a key material is missing);
//! 3. a missing/flawed non-key material that may not be pledged → 补正 (local 容缺 rules: core,
//!    safety and environmental materials are never tolerated);
//! 4. only tolerable (容缺) non-key materials missing/flawed, the matter not instant, the
//!    applicant without a bad-credit record, and the credit pledge signed → 容缺受理 (local 容缺
//!    受理 rules, e.g. 济南, 西安, 台州: instant matters and 失信 applicants excluded); the same but
//!    unsigned → 补正 with the pledge offered;
//! 5. everything in order → 受理.
//!
//! Not problems at all: a material the window obtained by data sharing or from the electronic
//! licence system (《国务院关于在线政务服务的若干规定》§7, §10–11), and one replaced by the
//! applicant's 告知承诺 (国办发〔2020〕42号; not for a 失信 applicant) — both listed in `exempt`
//! (免提交), neither owed later. A group of alternatives is one requirement: satisfied by
//! `at_least` members in order.
//!
//! The pledge is offered — in findings, with due dates — only where rule 4 makes signing lead to
//! 容缺受理. A material whose condition waits on a field not answered yet is told conditionally
//! (一次性告知, 行政许可法 §32(1)(4)) and does not enter the decision.
//!
//! The steps: [`resolve`] the intake (matter, time of receipt, version in force, submitted ids),
//! check the [`fields`] and the [`materials`], [`decide::decide`], reckon the [`deadlines`], and
//! assemble the verdict.

mod deadlines;
mod decide;
mod fields;
pub use fields::half_width_char;
mod groups;
mod material;
mod materials;

use crate::submission::UniqueMap;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::Value;

use crate::bundle::{Bundle, MatterVersion};
use crate::calendar::{Pause, format_date, format_instant, parse_date};
use crate::centre::CentreProfile;
use crate::error::{Error, ErrorCode, Result};
use crate::messages;
use crate::model::{ApplicantKind, CaseType, Text};
use crate::notice::{NoticeInput, render_notice, render_precheck};
use crate::submission::{Channel, CheckOptions, MAX_PAUSES, MaterialSubmission, Submission};
use crate::verdict::Normalized;
use crate::verdict::{
    Checklist, Finding, FindingCode, FindingReason, Notice, PledgeBlock, Target, TargetKind,
    Verdict,
};

use decide::{Facts, decide};

/// The longest special-procedure pause accepted, in days.
const MAX_PAUSE_DAYS: i64 = 366;

fn error(code: ErrorCode, message: Text) -> Error {
    Error::new(code, message.zh, message.en)
}

/// Parses an RFC 3339 instant and returns it in China time.
pub(crate) fn parse_instant(instant: &str) -> Result<DateTime<FixedOffset>> {
    let china = crate::calendar::china();
    let parsed = DateTime::parse_from_rfc3339(instant).map_err(|_| {
        error(
            ErrorCode::InvalidInstant,
            messages::invalid_instant(instant),
        )
        .at("/received_at")
    })?;
    let local = parsed.with_timezone(&china);
    let year = chrono::Datelike::year(&local.date_naive());
    if !(crate::calendar::MIN_YEAR..=crate::calendar::MAX_YEAR).contains(&year) {
        return Err(crate::calendar::date_out_of_range().at("/received_at"));
    }
    Ok(local)
}

pub(crate) fn version_in_force(
    versions: &[MatterVersion],
    day: NaiveDate,
) -> Option<&MatterVersion> {
    versions
        .iter()
        .rev()
        .find(|v| v.effective_from <= day && v.effective_until.is_none_or(|until| day <= until))
}

/// What a check works on once the submission is read: the version in force and each rule item
/// paired with its submitted value.
struct Intake<'a> {
    version: &'a MatterVersion,
    received: DateTime<FixedOffset>,
    received_on: NaiveDate,
    channel: Channel,
    /// Submitted value per rule field, in rule order.
    fields: Vec<Option<&'a Value>>,
    /// Submitted material per rule material, in rule order.
    materials: Vec<Option<&'a MaterialSubmission>>,
    pauses: Vec<Pause>,
    /// The centre's online cut-off, for an online application.
    online_cutoff: Option<chrono::NaiveTime>,
}

/// Finds the matter, the time of receipt and the version in force, and pairs the submission
/// with the version's fields and materials (refusing ids the version does not have).
fn resolve<'a>(
    bundle: &'a Bundle,
    matter_id: &str,
    submission: &'a Submission,
    options: &CheckOptions,
) -> Result<Intake<'a>> {
    let versions = bundle.versions(matter_id).ok_or_else(|| {
        error(
            ErrorCode::UnknownMatter,
            messages::unknown_matter(matter_id),
        )
    })??;
    let instant = options
        .received_at
        .as_deref()
        .or(submission.received_at.as_deref())
        .ok_or_else(|| {
            error(
                ErrorCode::InvalidSubmission,
                messages::missing_received_at(),
            )
            .at("/received_at")
        })?;
    let received = parse_instant(instant)?;
    let received_on = received.date_naive();
    let version = version_in_force(versions, received_on).ok_or_else(|| {
        let day = format_date(received_on);
        error(
            ErrorCode::NoVersionInForce,
            messages::no_version_in_force(matter_id, &day),
        )
    })?;
    let rule = &version.rule;
    // Each field and material of the rule paired with its submitted value, in rule order. Ids
    // are unique on both sides, so when every submitted id was paired the submission names
    // nothing unknown and the id-by-id search (with its error) is not needed.
    let (fields, all_fields_known) =
        pair_by_id(&version.field_index, rule.fields.len(), &submission.fields);
    let (materials, all_materials_known) = pair_by_id(
        &version.material_index,
        rule.materials.len(),
        &submission.materials,
    );
    if !all_fields_known || !all_materials_known {
        reject_unknown_ids(version, submission)?;
    }
    Ok(Intake {
        version,
        received,
        received_on,
        channel: options.channel.unwrap_or(submission.channel),
        fields,
        materials,
        pauses: parse_pauses(submission)?,
        // The matter's own cut-off, else the centre's (GB/T 39046-2020 online channels).
        online_cutoff: version
            .online_cutoff
            .or_else(|| bundle.centre().and_then(CentreProfile::online_cutoff_time)),
    })
}

pub(crate) fn check(
    bundle: &Bundle,
    matter_id: &str,
    submission: &Submission,
    options: &CheckOptions,
) -> Result<Verdict> {
    let (mut verdict, rule) = assess(bundle, matter_id, submission, options)?;
    let input = NoticeInput {
        centre: bundle.centre(),
        rule,
        submission,
    };
    verdict.notice = render_notice(&input, &verdict);
    verdict.precheck = render_precheck(&input, &verdict);
    Ok(verdict)
}

/// The verdict without its notice (`Notice::default()`), and the rule version it was checked
/// against: all the compact check reports needs.
pub(crate) fn assess<'a>(
    bundle: &'a Bundle,
    matter_id: &str,
    submission: &'a Submission,
    options: &CheckOptions,
) -> Result<(Verdict, &'a crate::MatterFile)> {
    let intake = resolve(bundle, matter_id, submission, options)?;
    // The rule lives as long as the bundle; the intake below borrows the normalised values.
    let (version, rule) = (intake.version, &intake.version.rule);
    // Values as people type them ("+86 138…", "1,200", full-width digits) are read the way the
    // field means them; the check and the conditions see that value, the notice prints it.
    let normalised = normalise_fields(intake.version, &intake.fields);
    let intake = if normalised.iter().all(Option::is_none) {
        intake
    } else {
        let fields = (intake.fields.iter().zip(&normalised))
            .map(|(given, read)| read.as_ref().or(*given))
            .collect();
        Intake { fields, ..intake }
    };
    let kind = submission.applicant.kind;

    let mut findings = Vec::new();
    let eligible = rule.applicant_kinds.contains(&kind);
    if !eligible {
        findings.push(ineligible_finding(
            &rule.applicant_kinds,
            kind,
            &eligibility_basis(&rule.legal_basis),
        ));
    }
    let mut field_check = fields::check_fields(version, &intake.fields, kind, intake.received_on);
    // A field problem cites the matter's own basis for its form (设定依据), not 行政许可法 §31,
    // which is about truthfulness, not completeness.
    for finding in &mut field_check.findings {
        finding.basis.clone_from(&rule.legal_basis);
    }
    for (state, read) in field_check.states.iter_mut().zip(&normalised) {
        state.normalized = read.as_ref().and_then(Normalized::from_value);
    }
    let refusals = refusal_findings(version, &field_check.slots, kind);
    let refused = !refusals.is_empty();
    findings.extend(refusals);
    let mut material_check = materials::check_materials(
        version,
        &intake.materials,
        &field_check.slots,
        &materials::Context {
            applicant: &submission.applicant,
            channel: intake.channel,
        },
    );

    let decision = decide(&Facts {
        eligible,
        refused,
        bad_credit: submission.applicant.bad_credit,
        instant_matter: rule.case_type == CaseType::Instant,
        field_problem: field_check.states.iter().any(|f| !f.ok),
        key_material_problem: material_check.key_problem,
        non_tolerable_problem: material_check.non_tolerable_problem,
        tolerable_problem: !material_check.pledgeable.is_empty(),
        pledge_signed: submission.pledge_signed,
    });

    if decision.pledge_available {
        materials::offer_pledge(&mut material_check.findings);
    }
    findings.extend(field_check.findings);
    findings.extend(material_check.findings);
    if decision.pledge_refused {
        findings.push(pledge_refused_finding(&decision.blocked_by));
    }

    let reckoned = deadlines::reckon(
        bundle.calendar(),
        rule,
        &intake,
        &decision,
        &material_check.pledgeable,
    )?;
    let pledge = deadlines::pledge(
        rule,
        &decision,
        submission.pledge_signed,
        reckoned.pledge_items,
    );

    let verdict = Verdict {
        matter: rule.matter.clone(),
        matter_name: rule.name.clone(),
        version: rule.version.clone(),
        rules_digest: bundle.digest().to_string(),
        rules_revision: bundle.revision().map(str::to_string),
        engine_version: crate::ENGINE_VERSION,
        received_at: format_instant(&intake.received),
        channel: intake.channel,
        outcome: decision.outcome,
        outcome_label: decision.outcome.label(),
        findings,
        checklist: Checklist {
            fields: field_check.states,
            materials: material_check.states,
        },
        exempt: material_check.exempt,
        joint: rule.joint.clone(),
        pledge,
        deadlines: reckoned.deadlines,
        notice: Notice::default(),
        precheck: None,
    };
    Ok((verdict, rule))
}

/// Per rule field, the value as the engine reads it when that differs from what was typed.
fn normalise_fields(version: &MatterVersion, given: &[Option<&Value>]) -> Vec<Option<Value>> {
    (version.rule.fields.iter().zip(given))
        .map(|(field, given)| given.and_then(|v| fields::normalise(field.kind, v)))
        .collect()
}

/// The submitted value for each of the rule's `count` items (`index`: item position by id), in
/// rule order, and whether every submitted id found its item. One pass over the submission, a
/// hash lookup per id: linear in the number of ids.
fn pair_by_id<'s, T>(
    index: &std::collections::HashMap<String, usize>,
    count: usize,
    submitted: &'s UniqueMap<T>,
) -> (Vec<Option<&'s T>>, bool) {
    let mut paired = vec![None; count];
    let mut all_known = true;
    for (id, value) in submitted.iter() {
        match index.get(id.as_str()).and_then(|&i| paired.get_mut(i)) {
            Some(slot) => *slot = Some(value),
            None => all_known = false,
        }
    }
    (paired, all_known)
}

fn reject_unknown_ids(version: &MatterVersion, submission: &Submission) -> Result<()> {
    let (matter, label) = (&version.rule.matter, &version.rule.version);
    for (kind, ids, known, code, message) in [
        (
            "fields",
            submission.fields.keys().collect::<Vec<_>>(),
            &version.field_index,
            ErrorCode::UnknownField,
            messages::unknown_field as fn(&str, &str, &str) -> Text,
        ),
        (
            "materials",
            submission.materials.keys().collect(),
            &version.material_index,
            ErrorCode::UnknownMaterial,
            messages::unknown_material,
        ),
    ] {
        let mut unknown: Vec<&String> = ids
            .into_iter()
            .filter(|id| !known.contains_key(*id))
            .collect();
        // Named in id order, whatever order they came in.
        crate::order::sort_by(&mut unknown, |a, b| a.cmp(b));
        if let Some(first) = unknown.first() {
            let mut error = error(code, message(matter, label, first))
                .at(format!("/{kind}/{}", crate::calendar::clip(first)));
            for id in unknown {
                error = error.detail(crate::calendar::clip(id));
            }
            return Err(error);
        }
    }
    Ok(())
}

fn parse_pauses(submission: &Submission) -> Result<Vec<Pause>> {
    if submission.pauses.len() > MAX_PAUSES {
        return Err(error(
            ErrorCode::InvalidPause,
            messages::too_many_pauses(MAX_PAUSES),
        )
        .at("/pauses"));
    }
    submission
        .pauses
        .iter()
        .enumerate()
        .map(|(i, pause)| {
            let from = parse_date(&pause.from).map_err(|e| e.at(format!("/pauses/{i}/from")))?;
            let to = parse_date(&pause.to).map_err(|e| e.at(format!("/pauses/{i}/to")))?;
            if to < from || (to - from).num_days() >= MAX_PAUSE_DAYS {
                return Err(error(
                    ErrorCode::InvalidPause,
                    messages::bad_pause(i + 1, MAX_PAUSE_DAYS),
                )
                .at(format!("/pauses/{i}")));
            }
            Ok(Pause { from, to })
        })
        .collect()
}

/// The matter's own articles (who may apply): its legal basis without the 行政许可法 articles on
/// procedure and time limits, which say nothing about who is eligible.
fn eligibility_basis(legal_basis: &str) -> String {
    let own: Vec<&str> = legal_basis
        .split('；')
        .filter(|part| !part.starts_with("《中华人民共和国行政许可法》"))
        .collect();
    if own.is_empty() {
        legal_basis.to_string()
    } else {
        own.join("；")
    }
}

fn ineligible_finding(kinds: &[ApplicantKind], kind: ApplicantKind, basis: &str) -> Finding {
    Finding {
        code: FindingCode::ApplicantIneligible,
        target: Target {
            kind: TargetKind::Applicant,
            id: String::from("kind"),
        },
        label: kind.label(),
        reason: Some(FindingReason::ApplicantKind),
        key: None,
        tolerable: None,
        note: None,
        basis: basis.to_string(),
        message: messages::ineligible(kinds, kind),
        refer_to: None,
        alternatives: Vec::new(),
    }
}

/// The rule's refusals by facts whose condition holds on the answered fields (an unanswered
/// one refuses nothing yet).
fn refusal_findings(
    version: &MatterVersion,
    slots: &[fields::Slot<'_>],
    kind: ApplicantKind,
) -> Vec<Finding> {
    version
        .rule
        .refusals
        .iter()
        .zip(&version.v2.refusals)
        .filter(|(_, cond)| fields::evaluate(cond, slots, kind) == crate::verdict::Applies::Yes)
        .map(|(refusal, _)| Finding {
            code: FindingCode::RefusedByFacts,
            target: Target {
                kind: TargetKind::Refusal,
                id: refusal.id.clone(),
            },
            label: refusal.reason.clone(),
            reason: Some(FindingReason::Refusal),
            key: None,
            tolerable: None,
            note: None,
            basis: refusal.basis.clone(),
            message: messages::refused(refusal),
            refer_to: refusal.refer_to.clone(),
            alternatives: Vec::new(),
        })
        .collect()
}

fn pledge_refused_finding(blocked_by: &[PledgeBlock]) -> Finding {
    Finding {
        code: FindingCode::PledgeNotAllowed,
        target: Target {
            kind: TargetKind::Applicant,
            id: String::from("pledge"),
        },
        label: messages::pledge_label(),
        reason: Some(
            blocked_by
                .first()
                .map_or(FindingReason::NothingToPledge, |b| (*b).into()),
        ),
        key: None,
        tolerable: None,
        note: None,
        basis: String::from(messages::PLEDGE_BASIS),
        message: messages::pledge_refused(blocked_by),
        refer_to: None,
        alternatives: Vec::new(),
    }
}
