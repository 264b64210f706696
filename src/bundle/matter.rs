//! Matter files: one version of a matter checked (ids, limits, fields, materials, conditions)
//! and compiled into a [`MatterVersion`].

use std::collections::HashMap;

use chrono::NaiveDate;
use regex_lite::Regex;

use super::checks::is_identifier;
#[cfg(feature = "whole")]
use super::checks::{check_limit, describe_en, describe_zh, surely_longer};
use super::condition::compile_condition;
use super::report::{Reporter, both, first_line};
use super::{Cond, FieldRuntime, LintCode, MatterVersion};
use crate::calendar::parse_date;
#[cfg(feature = "whole")]
use crate::model::CaseType;
#[cfg(feature = "whole")]
use crate::model::LimitUnit;
use crate::model::MatterFile;
#[cfg(feature = "whole")]
use crate::model::{Field, FieldKind};

pub(super) fn compile_matter(
    reporter: &mut Reporter<'_>,
    rule: MatterFile,
) -> Option<MatterVersion> {
    let before = reporter.out.len();
    let (effective_from, effective_until) = check_header(reporter, &rule);
    // Lint-only (nothing compiled from them): where rules are linted (`whole`); the page module
    // loads only signed bundles, linted before signing.
    #[cfg(feature = "whole")]
    {
        check_limits(reporter, &rule);
        for i in 0..rule.materials.len() {
            lint_material(reporter, &rule, i);
        }
    }
    // Fields: ids, per-type attributes, patterns, conditions (which may only look back, so that
    // evaluating them in order never loops).
    let mut field_index = HashMap::new();
    let fields: Vec<FieldRuntime> = (0..rule.fields.len())
        .map(|i| compile_field(reporter, &rule, i, &mut field_index))
        .collect();
    let material_index = check_material_ids(reporter, &rule);
    let material_when: Vec<Option<Cond>> = (0..rule.materials.len())
        .map(|i| compile_material(reporter, &rule, i, &field_index))
        .collect();
    let v2 = super::formats::compile(reporter, &rule, &field_index, &material_index);
    if reporter.errors_since(before) {
        return None;
    }
    Some(MatterVersion {
        source: reporter.source.path.clone(),
        effective_from: effective_from?,
        effective_until,
        fields,
        material_when,
        field_index,
        material_index,
        online_cutoff: v2.online_cutoff,
        v2,
        rule,
    })
}

/// The matter's identity, validity dates and applicant kinds.
fn check_header(
    reporter: &mut Reporter<'_>,
    rule: &MatterFile,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    if !is_identifier(&rule.matter) {
        reporter.at(
            "/matter",
            LintCode::InvalidId,
            format!("事项 id“{}”应为小写字母、数字和下划线 / matter id `{}` must be lower_snake_case ASCII", rule.matter, rule.matter),
        );
    }
    if rule.version.trim().is_empty() {
        reporter.at(
            "/version",
            LintCode::InvalidValue,
            "version 不能为空 / version must not be empty".into(),
        );
    }
    let effective_from = match parse_date(&rule.effective_from) {
        Ok(date) => Some(date),
        Err(e) => {
            reporter.at("/effective_from", LintCode::InvalidDate, both(&e.message));
            None
        }
    };
    let effective_until = match rule.effective_until.as_deref().map(parse_date) {
        None => None,
        Some(Ok(date)) => Some(date),
        Some(Err(e)) => {
            reporter.at("/effective_until", LintCode::InvalidDate, both(&e.message));
            None
        }
    };
    if let (Some(from), Some(until)) = (effective_from, effective_until)
        && until < from
    {
        reporter.at(
            "/effective_until",
            LintCode::InvalidDate,
            "effective_until 早于 effective_from / effective_until is before effective_from".into(),
        );
    }
    if rule.applicant_kinds.is_empty() {
        reporter.at(
            "/applicant_kinds",
            LintCode::InvalidValue,
            "至少列出一种服务对象 / list at least one applicant kind".into(),
        );
    }
    // (Short lists: scans, not hash table instances for these types in the page module.)
    let mut seen_kinds = Vec::new();
    for (i, kind) in rule.applicant_kinds.iter().enumerate() {
        if seen_kinds.contains(&kind) {
            reporter.at(
                &format!("/applicant_kinds/{i}"),
                LintCode::DuplicateId,
                "服务对象重复 / applicant kind listed twice".into(),
            );
        } else {
            seen_kinds.push(kind);
        }
    }
    (effective_from, effective_until)
}

/// The limits: countable, an instant matter on the spot, the promise within the law.
#[cfg(feature = "whole")]
fn check_limits(reporter: &mut Reporter<'_>, rule: &MatterFile) {
    check_limit(reporter, "/statutory_limit", rule.statutory_limit);
    check_limit(reporter, "/promised_limit", rule.promised_limit);
    if let Some(extension) = rule.statutory_extension {
        check_limit(reporter, "/statutory_extension", extension);
    }
    if rule.case_type == CaseType::Instant && rule.promised_limit.unit != LimitUnit::OnTheSpot {
        reporter.at(
            "/promised_limit",
            LintCode::InstantNotOnTheSpot,
            format!(
                "即办件必须当场办结，承诺时限却是{}：改为 promised_limit = {{ value = 0, unit = \"on_the_spot\" }}，或把 case_type 改为 promised（承诺件） / an instant matter (即办件) is decided on the spot, but the promised limit is {}: set promised_limit = {{ value = 0, unit = \"on_the_spot\" }}, or make case_type promised",
                describe_zh(rule.promised_limit),
                describe_en(rule.promised_limit)
            ),
        );
    }
    if surely_longer(rule.promised_limit, rule.statutory_limit) {
        reporter.at(
            "/promised_limit",
            LintCode::PromisedExceedsStatutory,
            format!(
                "承诺时限（{}）无论哪天受理都晚于法定时限（{}）届满：承诺时限不得长于法定时限，请缩短 / the promised limit ({}) ends after the statutory limit ({}) whatever the day of acceptance: a promise may not exceed the law, shorten it",
                describe_zh(rule.promised_limit),
                describe_zh(rule.statutory_limit),
                describe_en(rule.promised_limit),
                describe_en(rule.statutory_limit)
            ),
        );
    }
}

/// Field `i`: its id, condition, per-type attributes and pattern.
fn compile_field(
    reporter: &mut Reporter<'_>,
    rule: &MatterFile,
    i: usize,
    field_index: &mut HashMap<String, usize>,
) -> FieldRuntime {
    let field = &rule.fields[i];
    let at = format!("/fields/{i}");
    if !is_identifier(&field.id) {
        reporter.at(&format!("{at}/id"), LintCode::InvalidId, format!("字段 id“{}”应为小写字母、数字和下划线 / field id `{}` must be lower_snake_case ASCII", field.id, field.id));
    }
    let when = field
        .when
        .as_ref()
        .and_then(|c| compile_condition(reporter, &format!("{at}/when"), c, rule, field_index));
    if field_index.insert(field.id.clone(), i).is_some() {
        reporter.at(
            &format!("{at}/id"),
            LintCode::DuplicateId,
            format!(
                "字段 id“{}”重复 / duplicate field id `{}`",
                field.id, field.id
            ),
        );
    }
    #[cfg(feature = "whole")]
    {
        check_field_attributes(reporter, field, &at);
        check_options(reporter, field, &at);
    }
    let pattern = match field.pattern.as_deref() {
        None => None,
        // Anchored so the pattern must match the whole value.
        Some(p) => match Regex::new(&format!("^(?:{p})$")) {
            Ok(regex) => Some(regex),
            Err(e) => {
                reporter.at(
                    &format!("{at}/pattern"),
                    LintCode::InvalidRegex,
                    format!(
                        "正则表达式无法编译 / the regex does not compile: {}",
                        first_line(&e.to_string())
                    ),
                );
                None
            }
        },
    };
    FieldRuntime { when, pattern }
}

#[cfg(feature = "whole")]
fn not_applicable(field: &Field, name: &str) -> String {
    format!(
        "{name} 不适用于 {:?} 类型字段 / `{name}` does not apply to a field of this type",
        field.kind
    )
}

#[cfg(feature = "whole")]
/// Attributes that do not apply to the field's type, and inverted ranges.
fn check_field_attributes(reporter: &mut Reporter<'_>, field: &Field, at: &str) {
    let text_like = matches!(field.kind, FieldKind::Text | FieldKind::Phone);
    if field.pattern.is_some() && !text_like {
        reporter.at(
            &format!("{at}/pattern"),
            LintCode::AttributeNotApplicable,
            not_applicable(field, "pattern"),
        );
    }
    if (field.min_length.is_some() || field.max_length.is_some()) && !text_like {
        reporter.at(
            at,
            LintCode::AttributeNotApplicable,
            not_applicable(field, "min_length/max_length"),
        );
    }
    if (field.not_after_receipt || field.min_years_before_receipt.is_some())
        && field.kind != FieldKind::Date
    {
        reporter.at(
            at,
            LintCode::AttributeNotApplicable,
            not_applicable(field, "not_after_receipt/min_years_before_receipt"),
        );
    }
    if (field.min.is_some() || field.max.is_some())
        && !matches!(field.kind, FieldKind::Number | FieldKind::Integer)
    {
        reporter.at(
            at,
            LintCode::AttributeNotApplicable,
            not_applicable(field, "min/max"),
        );
    }
    if let (Some(min), Some(max)) = (field.min, field.max)
        && min > max
    {
        reporter.at(
            &format!("{at}/min"),
            LintCode::InvalidRange,
            "min 大于 max / min is greater than max".into(),
        );
    }
    if let (Some(min), Some(max)) = (field.min_length, field.max_length)
        && min > max
    {
        reporter.at(
            &format!("{at}/min_length"),
            LintCode::InvalidRange,
            "min_length 大于 max_length / min_length is greater than max_length".into(),
        );
    }
}

#[cfg(feature = "whole")]
/// A choice field's options: present and distinct; no options on other fields.
fn check_options(reporter: &mut Reporter<'_>, field: &Field, at: &str) {
    if field.kind == FieldKind::Choice {
        if field.options.is_empty() {
            reporter.at(
                at,
                LintCode::MissingOptions,
                "选择型字段必须列出 options / a choice field needs options".into(),
            );
        }
        let mut ids = Vec::new();
        for (j, option) in field.options.iter().enumerate() {
            if ids.contains(&option.id.as_str()) {
                reporter.at(
                    &format!("{at}/options/{j}/id"),
                    LintCode::DuplicateId,
                    format!(
                        "选项 id“{}”重复 / duplicate option id `{}`",
                        option.id, option.id
                    ),
                );
            } else {
                ids.push(option.id.as_str());
            }
        }
    } else if !field.options.is_empty() {
        reporter.at(
            &format!("{at}/options"),
            LintCode::AttributeNotApplicable,
            not_applicable(field, "options"),
        );
    }
}

/// Material ids: well-formed and distinct; at least one material.
fn check_material_ids(reporter: &mut Reporter<'_>, rule: &MatterFile) -> HashMap<String, usize> {
    let mut material_index = HashMap::new();
    if rule.materials.is_empty() {
        reporter.at(
            "/",
            LintCode::InvalidValue,
            "至少列出一项申请材料 / list at least one material".into(),
        );
    }
    for (i, material) in rule.materials.iter().enumerate() {
        let at = format!("/materials/{i}");
        if !is_identifier(&material.id) {
            reporter.at(&format!("{at}/id"), LintCode::InvalidId, format!("材料 id“{}”应为小写字母、数字和下划线 / material id `{}` must be lower_snake_case ASCII", material.id, material.id));
        }
        if material_index.insert(material.id.clone(), i).is_some() {
            reporter.at(
                &format!("{at}/id"),
                LintCode::DuplicateId,
                format!(
                    "材料 id“{}”重复 / duplicate material id `{}`",
                    material.id, material.id
                ),
            );
        }
    }
    material_index
}

/// Material `i`: its tolerance (容缺) and pledge period, and its condition.
fn compile_material(
    reporter: &mut Reporter<'_>,
    rule: &MatterFile,
    i: usize,
    field_index: &HashMap<String, usize>,
) -> Option<Cond> {
    let material = &rule.materials[i];
    let at = format!("/materials/{i}");
    material
        .when
        .as_ref()
        .and_then(|c| compile_condition(reporter, &format!("{at}/when"), c, rule, field_index))
}

/// Material `i`: tolerance and its pledge period (lint only).
#[cfg(feature = "whole")]
fn lint_material(reporter: &mut Reporter<'_>, rule: &MatterFile, i: usize) {
    let material = &rule.materials[i];
    let at = format!("/materials/{i}");
    let promised = rule.promised_limit;
    if material.tolerable && material.key {
        reporter.at(
            &format!("{at}/tolerable"),
            LintCode::TolerableKeyMaterial,
            "主件不能容缺 / a key material cannot be tolerable (容缺)".into(),
        );
    }
    if material.tolerable && rule.case_type == CaseType::Instant {
        reporter.at(&format!("{at}/tolerable"), LintCode::ToleranceOnInstantMatter, "即办件不适用容缺受理 / deficiency-tolerant acceptance does not apply to instant matters".into());
    }
    match (material.tolerable, material.pledge_period) {
        (true, None) => reporter.at(&format!("{at}/tolerable"), LintCode::MissingPledgePeriod, "容缺材料必须规定承诺补交期限 pledge_period / a tolerable material needs a pledge_period".into()),
        (false, Some(_)) => reporter.at(&format!("{at}/pledge_period"), LintCode::PledgePeriodWithoutTolerance, "非容缺材料不应规定 pledge_period / pledge_period is set on a material that is not tolerable".into()),
        (true, Some(period)) => {
            check_limit(reporter, &format!("{at}/pledge_period"), period);
            if period.unit == LimitUnit::OnTheSpot || period.value == 0 {
                reporter.at(&format!("{at}/pledge_period"), LintCode::InvalidLimit, "承诺补交期限至少 1 天 / a pledge period must be at least one day".into());
            }
            // (On an instant matter the tolerance itself is the mistake.)
            if rule.case_type != CaseType::Instant && surely_longer(period, promised) {
                reporter.at(&format!("{at}/pledge_period"), LintCode::PledgeExceedsPromised, format!("承诺补交期限（{}）无论哪天受理都晚于承诺办结时限（{}）届满：材料补齐前就要办结，请缩短补交期限 / the pledge period ({}) ends after the promised limit ({}) whatever the day of acceptance, so the matter would be due before the material: shorten the pledge period", describe_zh(period), describe_zh(promised), describe_en(period), describe_en(promised)));
            }
        }
        (false, None) => {}
    }
}
