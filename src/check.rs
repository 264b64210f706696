//! Check: one submission against the version of a matter in force on the day of receipt.
//!
//! The decision (cited rules):
//! - an applicant kind the matter does not serve → 不予受理 (行政许可法 §32(1)-(2): outside the
//!   remit or not eligible);
//! - any field problem, or a missing/flawed key material (主件) → 补正 with a one-time notice of
//!   everything (行政许可法 §32(4); 退回件 when a key material is missing);
//! - only non-key materials missing/flawed, all of them tolerable (容缺), the matter not instant,
//!   the applicant without a bad-credit record, and the credit pledge signed → 容缺受理 (local 容缺
//!   受理 rules, e.g. 济南, 西安, 台州: instant matters and 失信 applicants excluded); the same but
//!   unsigned → 补正 with the pledge offered;
//! - everything in order → 受理.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::Value;

use crate::bundle::{Bundle, Cond, MatterVersion};
use crate::calendar::{Pause, Reckoner, clip, format_date, format_instant, parse_date};
use crate::error::{Error, ErrorCode, Result};
use crate::identifiers::{IdProblem, check_id_card, check_uscc, is_phone};
use crate::model::{
    ApplicantKind, CaseType, ClockStart, ConditionValue, Field, FieldKind, Material, MaterialForm,
    Medium, Text,
};
use crate::notice::{NoticeInput, render_notice};
use crate::submission::{
    CheckOptions, MAX_PAUSES, MaterialStatus, Submission, SubmittedForm, SubmittedMedium,
};
use crate::verdict::{
    Checklist, Deadlines, FieldState, Finding, FindingCode, MaterialState, Notice, Outcome, Pledge,
    PledgeItem, Target, TargetKind, Verdict,
};

/// China Standard Time; the engine never looks at the machine's timezone.
const CHINA_OFFSET_SECONDS: i32 = 8 * 3600;
/// The longest special-procedure pause accepted, in days.
const MAX_PAUSE_DAYS: i64 = 366;

fn text(zh: impl Into<String>, en: impl Into<String>) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

/// Parses an RFC 3339 instant and returns it in China time.
pub(crate) fn parse_instant(instant: &str) -> Result<DateTime<FixedOffset>> {
    let china = FixedOffset::east_opt(CHINA_OFFSET_SECONDS).expect("valid offset");
    let parsed = DateTime::parse_from_rfc3339(instant).map_err(|_| {
        Error::new(
            ErrorCode::InvalidInstant,
            format!(
                "收件时间“{}”无效，请使用带时区的 RFC 3339 格式，例如 2026-03-02T09:30:00+08:00。",
                clip(instant)
            ),
            format!(
                "The time of receipt “{}” is not valid; use RFC 3339 with an offset, e.g. 2026-03-02T09:30:00+08:00.",
                clip(instant)
            ),
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

pub(crate) fn check(
    bundle: &Bundle,
    matter_id: &str,
    submission: &Submission,
    options: &CheckOptions,
) -> Result<Verdict> {
    let versions = bundle.matters.get(matter_id).ok_or_else(|| {
        Error::new(
            ErrorCode::UnknownMatter,
            format!(
                "没有 id 为“{}”的事项，请从事项列表中选择。",
                clip(matter_id)
            ),
            format!(
                "There is no matter with id “{}”; pick one from the list of matters.",
                clip(matter_id)
            ),
        )
    })?;
    let instant = options
        .received_at
        .as_deref()
        .or(submission.received_at.as_deref())
        .ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidSubmission,
                "缺少收件时间 received_at（RFC 3339）。",
                "The time of receipt `received_at` (RFC 3339) is missing.",
            )
            .at("/received_at")
        })?;
    let received = parse_instant(instant)?;
    let received_on = received.date_naive();
    let version = version_in_force(versions, received_on).ok_or_else(|| {
        Error::new(
            ErrorCode::NoVersionInForce,
            format!(
                "事项“{matter_id}”在 {} 没有有效的版本。",
                format_date(received_on)
            ),
            format!(
                "No version of matter “{matter_id}” is in force on {}.",
                format_date(received_on)
            ),
        )
    })?;
    let channel = options.channel.unwrap_or(submission.channel);
    let rule = &version.rule;

    // Each field and material of the rule paired with its submitted value, in rule order. Ids
    // are unique on both sides, so when every submitted id was paired the submission names
    // nothing unknown and the id-by-id search (with its error) is not needed.
    let (given_fields, all_fields_known) = pair_by_id(
        &version.fields_by_id,
        |i| rule.fields[i].id.as_str(),
        &submission.fields.0,
    );
    let (given_materials, all_materials_known) = pair_by_id(
        &version.materials_by_id,
        |i| rule.materials[i].id.as_str(),
        &submission.materials.0,
    );
    if !all_fields_known || !all_materials_known {
        reject_unknown_ids(version, submission)?;
    }
    let pauses = parse_pauses(submission)?;

    let mut findings = Vec::new();
    let kind = submission.applicant.kind;

    // The applicant.
    let eligible = rule.applicant_kinds.contains(&kind);
    if !eligible {
        findings.push(ineligible_finding(
            rule.applicant_kinds.as_slice(),
            kind,
            &rule.legal_basis,
        ));
    }

    // Fields, in order; a field that does not apply counts as unset for later conditions.
    let mut values: Vec<Option<&Value>> = Vec::with_capacity(rule.fields.len());
    let mut field_states = Vec::with_capacity(rule.fields.len());
    for ((field, runtime), given) in rule.fields.iter().zip(&version.fields).zip(given_fields) {
        let applies = runtime
            .when
            .as_ref()
            .is_none_or(|c| evaluate(c, &values, kind));
        let given = given.filter(|v| !is_blank(v));
        let problem = if applies {
            check_field(field, runtime.pattern.as_ref(), given)
        } else {
            None
        };
        field_states.push(FieldState {
            id: field.id.clone(),
            applies,
            required: applies && field.required,
            ok: problem.is_none(),
        });
        if let Some(finding) = problem {
            findings.push(finding);
        }
        values.push(if applies { given } else { None });
    }
    let field_problems = field_states.iter().any(|f| !f.ok);

    // Materials.
    let mut material_states = Vec::with_capacity(rule.materials.len());
    let mut key_problem = false;
    let mut untolerable_problem = false;
    let mut pledgeable: Vec<&Material> = Vec::new();
    for ((material, when), given) in rule
        .materials
        .iter()
        .zip(&version.material_when)
        .zip(given_materials)
    {
        let applies = when.as_ref().is_none_or(|c| evaluate(c, &values, kind));
        let status = given.map_or(MaterialStatus::Missing, |m| m.status);
        let finding = if applies {
            check_material(material, given)
        } else {
            None
        };
        material_states.push(MaterialState {
            id: material.id.clone(),
            applies,
            key: material.key,
            tolerable: material.tolerable,
            status,
            ok: finding.is_none(),
        });
        if let Some(finding) = finding {
            if material.key {
                key_problem = true;
            } else if material.tolerable {
                pledgeable.push(material);
            } else {
                untolerable_problem = true;
            }
            findings.push(finding);
        }
    }

    // The pledge (容缺受理).
    let instant_matter = rule.case_type == CaseType::Instant;
    let bad_credit = submission.applicant.bad_credit;
    let applicant_eligible = !bad_credit && !instant_matter;
    let would_accept = eligible
        && !field_problems
        && !key_problem
        && !untolerable_problem
        && !pledgeable.is_empty()
        && applicant_eligible;
    let mut blocked_by = Vec::new();
    if !pledgeable.is_empty() || submission.pledge_signed {
        for (blocked, reason) in [
            (!eligible, "applicant_ineligible"),
            (bad_credit, "bad_credit"),
            (instant_matter, "instant_matter"),
            (field_problems, "field_problem"),
            (key_problem, "key_material_problem"),
            (untolerable_problem, "non_tolerable_material"),
            (pledgeable.is_empty(), "nothing_to_pledge"),
        ] {
            if blocked {
                blocked_by.push(reason);
            }
        }
    }
    let any_problem =
        field_problems || key_problem || untolerable_problem || !pledgeable.is_empty();
    let pledge_refused = (bad_credit && !pledgeable.is_empty())
        || (submission.pledge_signed && any_problem && !would_accept);
    if pledge_refused && eligible {
        findings.push(pledge_refused_finding(&blocked_by));
    }

    let outcome = if !eligible {
        Outcome::NotAccepted
    } else if !any_problem {
        Outcome::Accept
    } else if would_accept && submission.pledge_signed {
        Outcome::AcceptWithPledge
    } else {
        Outcome::CorrectionRequired
    };

    // Deadlines.
    let calendar = bundle.calendar();
    let mut reckoner = calendar.reckoner();
    let accepted_on = match channel {
        crate::submission::Channel::Online => reckoner.working_day_after(received_on)?,
        _ => reckoner.working_day_on_or_after(received_on)?,
    };
    let clock_waits =
        rule.clock_starts == ClockStart::MaterialsComplete && outcome == Outcome::AcceptWithPledge;
    let (promised_due, statutory_due, statutory_extended_due) = if clock_waits {
        (None, None, None)
    } else {
        let promised = reckoner.due(accepted_on, rule.promised_limit, &pauses)?;
        let statutory = reckoner.due(accepted_on, rule.statutory_limit, &pauses)?;
        let extended = match rule.statutory_extension {
            Some(extension) => Some(reckoner.due(statutory, extension, &pauses)?),
            None => None,
        };
        (Some(promised), Some(statutory), extended)
    };
    let pledge_items = pledge_items(&mut reckoner, accepted_on, &pledgeable)?;
    let pledge_due = pledge_items.iter().map(|(_, due)| *due).min();
    let provisional = reckoner.provisional() || !calendar.covers(received_on);
    let paused_days = count_paused_days(&pauses, accepted_on);

    let deadlines = Deadlines {
        received_on: format_date(received_on),
        accepted_on: format_date(accepted_on),
        clock_starts: rule.clock_starts,
        promised_due: promised_due.map(format_date),
        statutory_due: statutory_due.map(format_date),
        statutory_extended_due: statutory_extended_due.map(format_date),
        pledge_due: pledge_due.map(format_date),
        paused_days,
        provisional,
    };
    let pledge = Pledge {
        items: pledge_items
            .iter()
            .map(|(m, due)| PledgeItem {
                material: m.id.clone(),
                name: m.name.clone(),
                due: format_date(*due),
            })
            .collect(),
        applicant_eligible,
        would_accept,
        signed: submission.pledge_signed,
        pledge_due: pledge_due.map(format_date),
        blocked_by,
        terms: rule.pledge_terms.clone(),
    };

    let mut verdict = Verdict {
        matter: rule.matter.clone(),
        matter_name: rule.name.clone(),
        version: rule.version.clone(),
        rules_digest: bundle.digest().to_string(),
        engine_version: crate::ENGINE_VERSION,
        received_at: format_instant(&received),
        channel,
        outcome,
        outcome_label: outcome.label(),
        findings,
        checklist: Checklist {
            fields: field_states,
            materials: material_states,
        },
        pledge,
        deadlines,
        notice: Notice::default(),
    };
    verdict.notice = render_notice(
        &NoticeInput {
            centre: bundle.centre(),
            rule,
            submission,
        },
        &verdict,
    );
    Ok(verdict)
}

/// The submitted value for each rule item (`by_id`: item positions in id order), in rule order,
/// and whether every submitted id found its item. One merge walk over two sorted lists.
fn pair_by_id<'s, 'r, T>(
    by_id: &[usize],
    id_of: impl Fn(usize) -> &'r str,
    submitted: &'s std::collections::BTreeMap<String, T>,
) -> (Vec<Option<&'s T>>, bool) {
    let mut paired = vec![None; by_id.len()];
    let mut items = by_id.iter().copied().peekable();
    let mut all_known = true;
    for (id, value) in submitted {
        while items.next_if(|&i| id_of(i) < id.as_str()).is_some() {}
        match items.next_if(|&i| id_of(i) == id.as_str()) {
            Some(i) => paired[i] = Some(value),
            None => all_known = false,
        }
    }
    (paired, all_known)
}

fn reject_unknown_ids(version: &MatterVersion, submission: &Submission) -> Result<()> {
    let unknown_fields: Vec<&String> = submission
        .fields
        .0
        .keys()
        .filter(|id| !version.field_index.contains_key(*id))
        .collect();
    if let Some(first) = unknown_fields.first() {
        let mut error = Error::new(
            ErrorCode::UnknownField,
            format!(
                "事项“{}”（版本 {}）没有字段“{}”，请检查字段 id。",
                version.rule.matter,
                version.rule.version,
                clip(first)
            ),
            format!(
                "Matter “{}” (version {}) has no field “{}”; check the field ids.",
                version.rule.matter,
                version.rule.version,
                clip(first)
            ),
        )
        .at(format!("/fields/{}", clip(first)));
        for id in unknown_fields {
            error = error.detail(clip(id));
        }
        return Err(error);
    }
    let unknown_materials: Vec<&String> = submission
        .materials
        .0
        .keys()
        .filter(|id| !version.material_index.contains_key(*id))
        .collect();
    if let Some(first) = unknown_materials.first() {
        let mut error = Error::new(
            ErrorCode::UnknownMaterial,
            format!(
                "事项“{}”（版本 {}）没有材料“{}”，请检查材料 id。",
                version.rule.matter,
                version.rule.version,
                clip(first)
            ),
            format!(
                "Matter “{}” (version {}) has no material “{}”; check the material ids.",
                version.rule.matter,
                version.rule.version,
                clip(first)
            ),
        )
        .at(format!("/materials/{}", clip(first)));
        for id in unknown_materials {
            error = error.detail(clip(id));
        }
        return Err(error);
    }
    Ok(())
}

fn parse_pauses(submission: &Submission) -> Result<Vec<Pause>> {
    if submission.pauses.len() > MAX_PAUSES {
        return Err(Error::new(
            ErrorCode::InvalidPause,
            format!("特别程序中止期最多 {MAX_PAUSES} 段。"),
            format!("At most {MAX_PAUSES} special-procedure pauses are accepted."),
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
                return Err(Error::new(
                    ErrorCode::InvalidPause,
                    format!("第 {} 段特别程序的结束日期早于开始日期，或超过 {MAX_PAUSE_DAYS} 天。", i + 1),
                    format!(
                        "Special-procedure pause {} ends before it starts or lasts over {MAX_PAUSE_DAYS} days.",
                        i + 1
                    ),
                )
                .at(format!("/pauses/{i}")));
            }
            Ok(Pause { from, to })
        })
        .collect()
}

fn count_paused_days(pauses: &[Pause], after: NaiveDate) -> u32 {
    let mut days: Vec<NaiveDate> = pauses
        .iter()
        .flat_map(|p| p.from.iter_days().take_while(move |d| *d <= p.to))
        .filter(|d| *d > after)
        .collect();
    days.sort_unstable();
    days.dedup();
    u32::try_from(days.len()).unwrap_or(u32::MAX)
}

fn pledge_items<'a>(
    reckoner: &mut Reckoner<'_>,
    accepted_on: NaiveDate,
    materials: &[&'a Material],
) -> Result<Vec<(&'a Material, NaiveDate)>> {
    materials
        .iter()
        .filter_map(|m| m.pledge_period.map(|period| (*m, period)))
        .map(|(m, period)| Ok((m, reckoner.due(accepted_on, period, &[])?)))
        .collect()
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn evaluate(cond: &Cond, values: &[Option<&Value>], kind: ApplicantKind) -> bool {
    let value = |i: usize| values.get(i).copied().flatten();
    match cond {
        Cond::Equals(i, expected) => value(*i).is_some_and(|v| matches_value(v, expected)),
        Cond::OneOf(i, options) => {
            value(*i).is_some_and(|v| options.iter().any(|o| matches_value(v, o)))
        }
        Cond::IsSet(i, set) => value(*i).is_some() == *set,
        Cond::GreaterThan(i, bound) => value(*i)
            .and_then(Value::as_f64)
            .is_some_and(|n| n > *bound),
        Cond::LessThan(i, bound) => value(*i)
            .and_then(Value::as_f64)
            .is_some_and(|n| n < *bound),
        Cond::ApplicantKind(kinds) => kinds.contains(&kind),
        Cond::All(items) => items.iter().all(|c| evaluate(c, values, kind)),
        Cond::Any(items) => items.iter().any(|c| evaluate(c, values, kind)),
        Cond::Not(inner) => !evaluate(inner, values, kind),
    }
}

fn matches_value(value: &Value, expected: &ConditionValue) -> bool {
    match (value, expected) {
        (Value::Bool(a), ConditionValue::Bool(b)) => a == b,
        (Value::Number(a), ConditionValue::Number(b)) => a.as_f64() == Some(*b),
        (Value::String(a), ConditionValue::Text(b)) => a == b,
        _ => false,
    }
}

fn field_finding(field: &Field, code: FindingCode, reason: &'static str, message: Text) -> Finding {
    Finding {
        code,
        target: Target {
            kind: TargetKind::Field,
            id: field.id.clone(),
        },
        label: field.label.clone(),
        reason: Some(reason),
        key: None,
        tolerable: None,
        note: None,
        basis: String::from(
            "《中华人民共和国行政许可法》第三十一条（申请人应当如实提交有关材料和反映真实情况）",
        ),
        message,
    }
}

/// Formats a number the same way on every runtime (no trailing `.0` for whole numbers).
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn check_field(
    field: &Field,
    pattern: Option<&regex_lite::Regex>,
    given: Option<&Value>,
) -> Option<Finding> {
    let label = &field.label;
    let Some(value) = given else {
        return field.required.then(|| {
            field_finding(
                field,
                FindingCode::FieldMissing,
                "required",
                text(
                    format!("请填写“{}”。", label.zh),
                    format!("Please fill in “{}”.", label.en),
                ),
            )
        });
    };
    let invalid = |reason: &'static str, zh: String, en: String| {
        Some(field_finding(
            field,
            FindingCode::FieldInvalid,
            reason,
            text(zh, en),
        ))
    };
    let wrong_type = |zh_kind: &str, en_kind: &str| {
        invalid(
            "wrong_type",
            format!("“{}”应为{zh_kind}，请重新填写。", label.zh),
            format!("“{}” must be {en_kind}; please fill it in again.", label.en),
        )
    };
    match field.kind {
        FieldKind::Boolean => {
            if !value.is_boolean() {
                return wrong_type("是或否", "yes or no");
            }
            None
        }
        FieldKind::Number => {
            let Some(n) = value.as_f64() else {
                return wrong_type("数字", "a number");
            };
            if let Some(min) = field.min
                && n < min
            {
                return invalid(
                    "below_min",
                    format!("“{}”不能小于 {}，请核对后重新填写。", label.zh, number(min)),
                    format!(
                        "“{}” must be at least {}; please check it.",
                        label.en,
                        number(min)
                    ),
                );
            }
            if let Some(max) = field.max
                && n > max
            {
                return invalid(
                    "above_max",
                    format!("“{}”不能大于 {}，请核对后重新填写。", label.zh, number(max)),
                    format!(
                        "“{}” must be at most {}; please check it.",
                        label.en,
                        number(max)
                    ),
                );
            }
            None
        }
        FieldKind::Choice => {
            let Some(choice) = value.as_str() else {
                return wrong_type("列表中的一个选项", "one of the listed options");
            };
            if field.options.iter().any(|o| o.id == choice) {
                None
            } else {
                let zh: Vec<&str> = field.options.iter().map(|o| o.label.zh.as_str()).collect();
                let en: Vec<&str> = field.options.iter().map(|o| o.label.en.as_str()).collect();
                invalid(
                    "unknown_option",
                    format!("“{}”请从以下选项中选择：{}。", label.zh, zh.join("、")),
                    format!("For “{}” choose one of: {}.", label.en, en.join(", ")),
                )
            }
        }
        FieldKind::Date => {
            let Some(s) = value.as_str() else {
                return wrong_type("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)");
            };
            match parse_date(s) {
                Ok(_) => None,
                Err(_) => invalid(
                    "not_a_date",
                    format!(
                        "“{}”不是有效日期，请按 YYYY-MM-DD 填写，例如 2026-03-02。",
                        label.zh
                    ),
                    format!(
                        "“{}” is not a valid date; use YYYY-MM-DD, e.g. 2026-03-02.",
                        label.en
                    ),
                ),
            }
        }
        FieldKind::IdCard | FieldKind::Uscc => {
            let Some(s) = value.as_str() else {
                return wrong_type("文字", "text");
            };
            let (result, zh_name, en_name) = if field.kind == FieldKind::IdCard {
                (
                    check_id_card(s),
                    "18 位居民身份证号码",
                    "an 18-character resident ID number",
                )
            } else {
                (
                    check_uscc(s),
                    "18 位统一社会信用代码",
                    "an 18-character unified social credit code",
                )
            };
            match result {
                Ok(()) => None,
                Err(IdProblem::Format) => invalid(
                    "format",
                    format!("“{}”应为{zh_name}，请核对位数和字符。", label.zh),
                    format!(
                        "“{}” must be {en_name}; check its length and characters.",
                        label.en
                    ),
                ),
                Err(IdProblem::Checksum) => invalid(
                    "checksum",
                    format!(
                        "“{}”校验位不正确，可能有输错的字符，请对照证件核对。",
                        label.zh
                    ),
                    format!(
                        "“{}” fails its check digit: a character is probably mistyped; compare it with the document.",
                        label.en
                    ),
                ),
                Err(IdProblem::BirthDate) => invalid(
                    "birth_date",
                    format!("“{}”中的出生日期不存在，请对照证件核对。", label.zh),
                    format!(
                        "The date of birth in “{}” does not exist; compare it with the document.",
                        label.en
                    ),
                ),
            }
        }
        FieldKind::Text | FieldKind::Phone => {
            let Some(s) = value.as_str() else {
                return wrong_type("文字", "text");
            };
            if field.kind == FieldKind::Phone && !is_phone(s) {
                return invalid(
                    "format",
                    format!(
                        "“{}”应为 11 位手机号码或带区号的固定电话，例如 13800138000 或 010-12345678。",
                        label.zh
                    ),
                    format!(
                        "“{}” must be an 11-digit mobile number or a landline with area code, e.g. 13800138000 or 010-12345678.",
                        label.en
                    ),
                );
            }
            let length = s.chars().count();
            if let Some(min) = field.min_length
                && length < min as usize
            {
                return invalid(
                    "too_short",
                    format!("“{}”至少需要 {min} 个字符，当前为 {length} 个。", label.zh),
                    format!(
                        "“{}” needs at least {min} characters; it has {length}.",
                        label.en
                    ),
                );
            }
            if let Some(max) = field.max_length
                && length > max as usize
            {
                return invalid(
                    "too_long",
                    format!(
                        "“{}”最多 {max} 个字符，当前为 {length} 个，请精简。",
                        label.zh
                    ),
                    format!(
                        "“{}” allows at most {max} characters; it has {length}. Please shorten it.",
                        label.en
                    ),
                );
            }
            if let Some(regex) = pattern
                && !regex.is_match(s)
            {
                let hint = field.pattern_hint.as_ref();
                return invalid(
                    "pattern",
                    format!(
                        "“{}”格式不正确{}。",
                        label.zh,
                        hint.map(|h| format!("：{}", h.zh)).unwrap_or_default()
                    ),
                    format!(
                        "“{}” is not in the expected format{}.",
                        label.en,
                        hint.map(|h| format!(": {}", h.en)).unwrap_or_default()
                    ),
                );
            }
            None
        }
    }
}

/// How the rule wants a material handed in, e.g. "原件1份、复印件1份" / "1 original and 1 copy".
pub(crate) fn describe_form(material: &Material) -> Text {
    let count = |n: u32| if n == 0 { 1 } else { n };
    let (originals, copies) = (count(material.originals), count(material.copies));
    let plural = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let (mut zh, mut en) = match material.form {
        MaterialForm::Original => (
            format!("原件{originals}份"),
            plural(originals, "original", "originals"),
        ),
        MaterialForm::Copy => (
            format!("复印件{copies}份"),
            plural(copies, "copy", "copies"),
        ),
        MaterialForm::OriginalAndCopy => (
            format!("原件{originals}份、复印件{copies}份"),
            format!(
                "{} and {}",
                plural(originals, "original", "originals"),
                plural(copies, "copy", "copies")
            ),
        ),
        MaterialForm::OriginalOrCopy => (
            "原件或复印件".to_string(),
            "the original or a copy".to_string(),
        ),
    };
    match material.medium {
        Medium::Paper => {
            zh.push_str("（纸质）");
            en.push_str(" (paper)");
        }
        Medium::Electronic => {
            zh.push_str("（电子）");
            en.push_str(" (electronic)");
        }
        Medium::PaperOrElectronic => {}
    }
    text(zh, en)
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

fn check_material(
    material: &Material,
    given: Option<&crate::submission::MaterialSubmission>,
) -> Option<Finding> {
    let name = &material.name;
    // Described only for a finding: most materials are in order.
    let form = || describe_form(material);
    let tolerable_hint = |zh: &mut String, en: &mut String| {
        if material.tolerable {
            zh.push_str("该材料可容缺：签署信用承诺书后可先行受理，在承诺期限内补交。");
            en.push_str(" This material may be pledged: sign the credit pledge to be accepted now and supply it within the pledge period.");
        }
    };
    let finding = |code, reason, note: Option<String>, mut zh: String, mut en: String| {
        if let Some(standard) = &material.acceptance_standard {
            zh.push_str(&format!(
                "受理标准：{}。",
                standard.zh.trim_end_matches('。')
            ));
            en.push_str(&format!(
                " Acceptance standard: {}.",
                standard.en.trim_end_matches('.')
            ));
        }
        tolerable_hint(&mut zh, &mut en);
        Some(Finding {
            code,
            target: Target {
                kind: TargetKind::Material,
                id: material.id.clone(),
            },
            label: name.clone(),
            reason: Some(reason),
            key: Some(material.key),
            tolerable: Some(material.tolerable),
            note,
            basis: material.basis.clone(),
            message: text(zh, en),
        })
    };
    let key_zh = if material.key { "【主件】" } else { "" };
    let key_en = if material.key { "[key material] " } else { "" };
    let Some(given) = given.filter(|g| g.status != MaterialStatus::Missing) else {
        let form = form();
        return finding(
            FindingCode::MaterialMissing,
            "missing",
            None,
            format!("{key_zh}缺少“{}”。请提交{}。", name.zh, form.zh),
            format!(
                "{key_en}“{}” is missing. Please provide {}.",
                name.en, form.en
            ),
        );
    };
    if given.status == MaterialStatus::Flawed {
        let note = given
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let (zh_note, en_note) = match note {
            Some(n) => (format!("：{n}"), format!(": {n}")),
            None => (String::new(), String::new()),
        };
        let form = form();
        return finding(
            FindingCode::MaterialFlawed,
            "flawed",
            note.map(str::to_string),
            format!(
                "{key_zh}“{}”存在问题{zh_note}。请更正后重新提交{}。",
                name.zh, form.zh
            ),
            format!(
                "{key_en}“{}” has a flaw{en_note}. Please correct it and provide {} again.",
                name.en, form.en
            ),
        );
    }
    if let Some(submitted) = given.form
        && !form_satisfied(material.form, submitted)
    {
        let form = form();
        return finding(
            FindingCode::MaterialWrongForm,
            "form",
            None,
            format!(
                "{key_zh}“{}”需提交{}，收到的材料形式不符。",
                name.zh, form.zh
            ),
            format!(
                "{key_en}“{}” must be provided as {}; what was handed in does not match.",
                name.en, form.en
            ),
        );
    }
    if let Some(submitted) = given.medium
        && !medium_satisfied(material.medium, submitted)
    {
        let form = form();
        return finding(
            FindingCode::MaterialWrongForm,
            "medium",
            None,
            format!(
                "{key_zh}“{}”需提交{}，收到的载体形式不符。",
                name.zh, form.zh
            ),
            format!(
                "{key_en}“{}” must be provided as {}; the medium handed in does not match.",
                name.en, form.en
            ),
        );
    }
    None
}

fn ineligible_finding(kinds: &[ApplicantKind], kind: ApplicantKind, basis: &str) -> Finding {
    let zh: Vec<String> = kinds.iter().map(|k| k.label().zh).collect();
    let en: Vec<String> = kinds.iter().map(|k| k.label().en).collect();
    let label = kind.label();
    Finding {
        code: FindingCode::ApplicantIneligible,
        target: Target {
            kind: TargetKind::Applicant,
            id: String::from("kind"),
        },
        label: label.clone(),
        reason: Some("applicant_kind"),
        key: None,
        tolerable: None,
        note: None,
        basis: basis.to_string(),
        message: text(
            format!(
                "本事项的服务对象为{}，{}不能申请。请由符合条件的申请人提出申请。",
                zh.join("、"),
                label.zh
            ),
            format!(
                "This matter serves: {}. A {} cannot apply; an eligible applicant must apply instead.",
                en.join(", "),
                label.en
            ),
        ),
    }
}

fn pledge_refused_finding(blocked_by: &[&'static str]) -> Finding {
    let mut zh = vec![String::from("不能适用容缺受理：")];
    let mut en = vec![String::from("The credit pledge cannot be used:")];
    for reason in blocked_by {
        let (z, e) = match *reason {
            "bad_credit" => (
                "申请人有失信记录，信用修复前不适用容缺受理；请补齐全部材料后申请。",
                " the applicant has a bad-credit (失信) record, which excludes pledges until credit is repaired; supply all materials instead.",
            ),
            "instant_matter" => (
                "即办件不适用容缺受理。",
                " instant matters are never accepted on a pledge.",
            ),
            "field_problem" => ("请先更正填报内容。", " correct the form fields first."),
            "key_material_problem" => (
                "主件缺失或有误，主件不能容缺。",
                " a key material is missing or flawed, and key materials cannot be pledged.",
            ),
            "non_tolerable_material" => (
                "有不可容缺的材料缺失或有误。",
                " a material that cannot be pledged is missing or flawed.",
            ),
            "applicant_ineligible" => (
                "申请人不属于本事项的服务对象。",
                " the applicant is not eligible for this matter.",
            ),
            _ => ("没有可以容缺的材料。", " there is nothing to pledge."),
        };
        zh.push(z.to_string());
        en.push(e.to_string());
    }
    let reason = blocked_by.first().copied().unwrap_or("nothing_to_pledge");
    Finding {
        code: FindingCode::PledgeNotAllowed,
        target: Target {
            kind: TargetKind::Applicant,
            id: String::from("pledge"),
        },
        label: text("容缺受理信用承诺", "Credit pledge"),
        reason: Some(reason),
        key: None,
        tolerable: None,
        note: None,
        basis: String::from(
            "容缺受理制度：即办件、失信主体不适用；主件及安全、环保类必备材料不得容缺",
        ),
        message: text(zh.concat(), en.concat()),
    }
}
