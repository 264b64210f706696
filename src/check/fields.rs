//! Fields: which apply (conditions evaluated in rule order), and whether each value is valid.

use serde_json::Value;

use crate::bundle::{Cond, MatterVersion};
use crate::calendar::parse_date;
use crate::identifiers::{IdProblem, check_id_card, check_uscc, is_phone};
use crate::messages::{self, Expected, IdKind};
use crate::model::{ApplicantKind, ConditionValue, Field, FieldKind, Text};
use crate::verdict::{FieldState, Finding, FindingCode, FindingReason, Target, TargetKind};

/// The fields checked: each field's state, the findings, and the values later conditions see
/// (`None` for a blank field or one that does not apply).
pub(super) struct CheckedFields<'a> {
    pub states: Vec<FieldState>,
    pub findings: Vec<Finding>,
    pub values: Vec<Option<&'a Value>>,
}

/// Checks the fields in rule order; a field that does not apply counts as unset for later
/// conditions.
pub(super) fn check_fields<'a>(
    version: &MatterVersion,
    given: &[Option<&'a Value>],
    kind: ApplicantKind,
) -> CheckedFields<'a> {
    let rule = &version.rule;
    let mut checked = CheckedFields {
        states: Vec::with_capacity(rule.fields.len()),
        findings: Vec::new(),
        values: Vec::with_capacity(rule.fields.len()),
    };
    for ((field, runtime), given) in rule.fields.iter().zip(&version.fields).zip(given) {
        let applies = runtime
            .when
            .as_ref()
            .is_none_or(|c| evaluate(c, &checked.values, kind));
        let given = given.filter(|v| !is_blank(v));
        let problem = if applies {
            check_field(field, runtime.pattern.as_ref(), given)
        } else {
            None
        };
        checked.states.push(FieldState {
            id: field.id.clone(),
            applies,
            required: applies && field.required,
            ok: problem.is_none(),
        });
        checked.findings.extend(problem);
        checked.values.push(if applies { given } else { None });
    }
    checked
}

fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

pub(super) fn evaluate(cond: &Cond, values: &[Option<&Value>], kind: ApplicantKind) -> bool {
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

fn finding(field: &Field, code: FindingCode, reason: FindingReason, message: Text) -> Finding {
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
        basis: String::from(messages::FIELD_BASIS),
        message,
    }
}

fn invalid(field: &Field, reason: FindingReason, message: Text) -> Option<Finding> {
    Some(finding(field, FindingCode::FieldInvalid, reason, message))
}

fn wrong_type(field: &Field, expected: Expected) -> Option<Finding> {
    invalid(
        field,
        FindingReason::WrongType,
        messages::wrong_type(&field.label, expected),
    )
}

fn check_field(
    field: &Field,
    pattern: Option<&regex_lite::Regex>,
    given: Option<&Value>,
) -> Option<Finding> {
    let Some(value) = given else {
        return field.required.then(|| {
            finding(
                field,
                FindingCode::FieldMissing,
                FindingReason::Required,
                messages::field_required(&field.label),
            )
        });
    };
    match field.kind {
        FieldKind::Boolean if !value.is_boolean() => wrong_type(field, Expected::YesOrNo),
        FieldKind::Boolean => None,
        FieldKind::Number => match value.as_f64() {
            Some(n) => check_number(field, n),
            None => wrong_type(field, Expected::Number),
        },
        FieldKind::Choice => match value.as_str() {
            Some(choice) if field.options.iter().any(|o| o.id == choice) => None,
            Some(_) => invalid(
                field,
                FindingReason::UnknownOption,
                messages::unknown_option(field),
            ),
            None => wrong_type(field, Expected::Option),
        },
        FieldKind::Date => match value.as_str().map(parse_date) {
            Some(Ok(_)) => None,
            Some(Err(_)) => invalid(
                field,
                FindingReason::NotADate,
                messages::not_a_date(&field.label),
            ),
            None => wrong_type(field, Expected::Date),
        },
        FieldKind::IdCard | FieldKind::Uscc => match value.as_str() {
            Some(s) => check_identifier(field, s),
            None => wrong_type(field, Expected::Text),
        },
        FieldKind::Text | FieldKind::Phone => match value.as_str() {
            Some(s) => check_text(field, pattern, s),
            None => wrong_type(field, Expected::Text),
        },
    }
}

fn check_number(field: &Field, n: f64) -> Option<Finding> {
    let label = &field.label;
    if let Some(min) = field.min
        && n < min
    {
        return invalid(
            field,
            FindingReason::BelowMin,
            messages::below_min(label, min),
        );
    }
    if let Some(max) = field.max
        && n > max
    {
        return invalid(
            field,
            FindingReason::AboveMax,
            messages::above_max(label, max),
        );
    }
    None
}

fn check_identifier(field: &Field, s: &str) -> Option<Finding> {
    let (result, kind) = if field.kind == FieldKind::IdCard {
        (check_id_card(s), IdKind::IdCard)
    } else {
        (check_uscc(s), IdKind::Uscc)
    };
    let label = &field.label;
    match result {
        Ok(()) => None,
        Err(IdProblem::Format) => invalid(
            field,
            FindingReason::Format,
            messages::id_format(label, kind),
        ),
        Err(IdProblem::Checksum) => {
            invalid(field, FindingReason::Checksum, messages::id_checksum(label))
        }
        Err(IdProblem::BirthDate) => invalid(
            field,
            FindingReason::BirthDate,
            messages::id_birth_date(label),
        ),
    }
}

fn check_text(field: &Field, pattern: Option<&regex_lite::Regex>, s: &str) -> Option<Finding> {
    let label = &field.label;
    if field.kind == FieldKind::Phone && !is_phone(s) {
        return invalid(field, FindingReason::Format, messages::phone_format(label));
    }
    let length = s.chars().count();
    if let Some(min) = field.min_length
        && length < min as usize
    {
        return invalid(
            field,
            FindingReason::TooShort,
            messages::too_short(label, min, length),
        );
    }
    if let Some(max) = field.max_length
        && length > max as usize
    {
        return invalid(
            field,
            FindingReason::TooLong,
            messages::too_long(label, max, length),
        );
    }
    if let Some(regex) = pattern
        && !regex.is_match(s)
    {
        let hint = field.pattern_hint.as_ref();
        return invalid(
            field,
            FindingReason::Pattern,
            messages::pattern(label, hint),
        );
    }
    None
}
