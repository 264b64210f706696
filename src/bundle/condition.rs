//! Conditions (`when`): checked against the fields defined before them and compiled to
//! [`Cond`], with field references resolved to indices.

use std::collections::HashMap;

use super::report::Reporter;
use super::{Cond, LintCode};
use crate::model::{Condition, ConditionValue, Field, FieldKind, MatterFile};

pub(super) fn compile_condition(
    reporter: &mut Reporter<'_>,
    at: &str,
    condition: &Condition,
    rule: &MatterFile,
    known_fields: &HashMap<String, usize>,
) -> Option<Cond> {
    if !one_form(reporter, at, condition) {
        return None;
    }
    if let Some(compound) = compile_compound(reporter, at, condition, rule, known_fields) {
        return compound;
    }
    compile_comparison(reporter, at, condition, rule, known_fields)
}

/// Exactly one form, with a field exactly when the form compares one.
fn one_form(reporter: &mut Reporter<'_>, at: &str, condition: &Condition) -> bool {
    let forms = [
        condition.equals.is_some(),
        condition.one_of.is_some(),
        condition.is_set.is_some(),
        condition.greater_than.is_some(),
        condition.less_than.is_some(),
        condition.applicant_kind.is_some(),
        condition.all.is_some(),
        condition.any.is_some(),
        condition.not.is_some(),
    ];
    let count = forms.iter().filter(|&&f| f).count();
    let needs_field = condition.applicant_kind.is_none()
        && condition.all.is_none()
        && condition.any.is_none()
        && condition.not.is_none();
    if count != 1 || needs_field != condition.field.is_some() {
        reporter.at(
            at,
            LintCode::InvalidCondition,
            "条件必须恰好是一种形式：{ field, equals|one_of|is_set|greater_than|less_than }、{ applicant_kind }、{ all }、{ any } 或 { not } / a condition must have exactly one form".into(),
        );
        return false;
    }
    true
}

/// `all`, `any`, `not` and `applicant_kind`: `None` when the condition compares a field.
fn compile_compound(
    reporter: &mut Reporter<'_>,
    at: &str,
    condition: &Condition,
    rule: &MatterFile,
    known_fields: &HashMap<String, usize>,
) -> Option<Option<Cond>> {
    let list = |reporter: &mut Reporter<'_>, key: &str, items: &[Condition]| -> Option<Vec<Cond>> {
        if items.is_empty() {
            reporter.at(
                &format!("{at}/{key}"),
                LintCode::InvalidCondition,
                format!("{key} 不能为空 / `{key}` must not be empty"),
            );
            return None;
        }
        let compiled: Vec<Option<Cond>> = items
            .iter()
            .enumerate()
            .map(|(i, c)| {
                compile_condition(reporter, &format!("{at}/{key}/{i}"), c, rule, known_fields)
            })
            .collect();
        compiled.into_iter().collect()
    };
    if let Some(items) = &condition.all {
        return Some(list(reporter, "all", items).map(Cond::All));
    }
    if let Some(items) = &condition.any {
        return Some(list(reporter, "any", items).map(Cond::Any));
    }
    if let Some(inner) = &condition.not {
        return Some(
            compile_condition(reporter, &format!("{at}/not"), inner, rule, known_fields)
                .map(|c| Cond::Not(Box::new(c))),
        );
    }
    if let Some(kinds) = &condition.applicant_kind {
        if kinds.is_empty() {
            reporter.at(
                &format!("{at}/applicant_kind"),
                LintCode::InvalidCondition,
                "applicant_kind 不能为空 / `applicant_kind` must not be empty".into(),
            );
            return Some(None);
        }
        return Some(Some(Cond::ApplicantKind(kinds.clone())));
    }
    None
}

/// `{ field, equals|one_of|is_set|greater_than|less_than }`.
fn compile_comparison(
    reporter: &mut Reporter<'_>,
    at: &str,
    condition: &Condition,
    rule: &MatterFile,
    known_fields: &HashMap<String, usize>,
) -> Option<Cond> {
    let name = condition.field.as_deref().unwrap_or_default();
    let Some(&index) = known_fields.get(name) else {
        let later = rule.fields.iter().any(|f| f.id == name);
        if later {
            reporter.at(&format!("{at}/field"), LintCode::ConditionForwardReference, format!("字段条件只能引用在它之前定义的字段“{name}” / a field's condition may only name fields defined before it (`{name}`)"));
        } else {
            reporter.at(
                &format!("{at}/field"),
                LintCode::UnknownFieldInCondition,
                format!(
                    "条件引用了不存在的字段“{name}” / the condition names an unknown field `{name}`"
                ),
            );
        }
        return None;
    };
    let field = &rule.fields[index];
    if let Some(value) = &condition.equals {
        return value_fits(reporter, field, name, format!("{at}/equals"), value)
            .then(|| Cond::Equals(index, value.clone()));
    }
    if let Some(values) = &condition.one_of {
        let ok = values
            .iter()
            .enumerate()
            .map(|(i, v)| value_fits(reporter, field, name, format!("{at}/one_of/{i}"), v))
            .fold(!values.is_empty(), |a, b| a && b);
        return ok.then(|| Cond::OneOf(index, values.clone()));
    }
    if let Some(set) = condition.is_set {
        return Some(Cond::IsSet(index, set));
    }
    if !matches!(field.kind, FieldKind::Number | FieldKind::Integer) {
        reporter.at(at, LintCode::InvalidCondition, format!("greater_than/less_than 只适用于数字字段，“{name}”不是 / greater_than/less_than need a number field; `{name}` is not one"));
        return None;
    }
    if let Some(bound) = condition.greater_than {
        return Some(Cond::GreaterThan(index, bound));
    }
    condition
        .less_than
        .map(|bound| Cond::LessThan(index, bound))
}

/// Whether a literal has the compared field's type (and, for a choice, is one of its options).
fn value_fits(
    reporter: &mut Reporter<'_>,
    field: &Field,
    name: &str,
    pointer: String,
    value: &ConditionValue,
) -> bool {
    let fits = match (field.kind, value) {
        (FieldKind::Boolean, ConditionValue::Bool(_)) => true,
        (FieldKind::Number | FieldKind::Integer, ConditionValue::Number(_)) => true,
        (FieldKind::Choice, ConditionValue::Text(t)) => {
            if field.options.iter().any(|o| &o.id == t) {
                true
            } else {
                reporter.at(
                    &pointer,
                    LintCode::UnknownOption,
                    format!("字段“{name}”没有选项“{t}” / field `{name}` has no option `{t}`"),
                );
                return false;
            }
        }
        (
            FieldKind::Text
            | FieldKind::Date
            | FieldKind::IdCard
            | FieldKind::Uscc
            | FieldKind::Phone,
            ConditionValue::Text(_),
        ) => true,
        _ => false,
    };
    if !fits {
        reporter.at(&pointer, LintCode::InvalidCondition, format!("比较值的类型与字段“{name}”的类型不符 / the value's type does not match field `{name}`"));
    }
    fits
}
