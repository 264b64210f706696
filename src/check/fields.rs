//! Fields: which apply (conditions evaluated in rule order), and whether each value is valid.

use chrono::NaiveDate;
use serde_json::Value;

use crate::bundle::{Cond, MatterVersion};
use crate::calendar::parse_date;
use crate::identifiers::{IdProblem, check_id_card, check_uscc, is_phone};
use crate::messages::{self, Expected, IdKind};
use crate::model::{ApplicantKind, ConditionValue, Field, FieldKind, Text};
use crate::verdict::{
    Applies, FieldState, Finding, FindingCode, FindingReason, Target, TargetKind,
};

/// What a later condition sees of a field.
#[derive(Debug, Clone, Copy)]
pub(super) enum Slot<'a> {
    /// The field applies and has a value.
    Answered(&'a Value),
    /// The field applies and was left blank: not answered yet.
    Blank,
    /// The field does not apply: definitely unset.
    Absent,
    /// Whether the field applies is itself unknown.
    Unknown,
}

/// The fields checked: each field's state, the findings, and what later conditions see.
pub(super) struct CheckedFields<'a> {
    pub states: Vec<FieldState>,
    pub findings: Vec<Finding>,
    pub slots: Vec<Slot<'a>>,
}

/// Checks the fields in rule order; a field that does not apply counts as unset for later
/// conditions, and one whose condition is undecided leaves them undecided too.
pub(super) fn check_fields<'a>(
    version: &MatterVersion,
    given: &[Option<&'a Value>],
    kind: ApplicantKind,
    received_on: NaiveDate,
) -> CheckedFields<'a> {
    let rule = &version.rule;
    let mut checked = CheckedFields {
        states: Vec::with_capacity(rule.fields.len()),
        findings: Vec::new(),
        slots: Vec::with_capacity(rule.fields.len()),
    };
    for ((field, runtime), given) in rule.fields.iter().zip(&version.fields).zip(given) {
        let applies = runtime
            .when
            .as_ref()
            .map_or(Applies::Yes, |c| evaluate(c, &checked.slots, kind));
        let given = given.filter(|v| !is_blank(v));
        let problem = match applies {
            Applies::Yes => check_field(field, runtime.pattern.as_ref(), given, received_on),
            Applies::No | Applies::Unknown => None,
        };
        let hint = match (applies, &runtime.when) {
            (Applies::Unknown, Some(when)) => Some(messages::field_hint(
                &messages::condition(when, &rule.fields),
                field.required,
            )),
            _ => None,
        };
        checked.states.push(FieldState {
            id: field.id.clone(),
            applies,
            required: applies == Applies::Yes && field.required,
            ok: problem.is_none(),
            hint,
            normalized: None,
        });
        checked.findings.extend(problem);
        checked.slots.push(match applies {
            Applies::Yes => given.map_or(Slot::Blank, Slot::Answered),
            Applies::No => Slot::Absent,
            Applies::Unknown => Slot::Unknown,
        });
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

/// Evaluates a condition in three-valued logic: a comparison with a field not answered yet (or
/// whose own condition is undecided) is unknown; `is_set` on a blank field is a plain no.
pub(super) fn evaluate(cond: &Cond, slots: &[Slot<'_>], kind: ApplicantKind) -> Applies {
    let compare = |i: usize, test: &dyn Fn(&Value) -> bool| match slots.get(i) {
        Some(Slot::Answered(v)) => Applies::from_bool(test(v)),
        Some(Slot::Blank | Slot::Unknown) => Applies::Unknown,
        Some(Slot::Absent) | None => Applies::No,
    };
    match cond {
        Cond::Equals(i, expected) => compare(*i, &|v| matches_value(v, expected)),
        Cond::OneOf(i, options) => compare(*i, &|v| options.iter().any(|o| matches_value(v, o))),
        Cond::IsSet(i, set) => match slots.get(*i) {
            Some(Slot::Unknown) => Applies::Unknown,
            Some(Slot::Answered(_)) => Applies::from_bool(*set),
            _ => Applies::from_bool(!*set),
        },
        Cond::GreaterThan(i, bound) => compare(*i, &|v| v.as_f64().is_some_and(|n| n > *bound)),
        Cond::LessThan(i, bound) => compare(*i, &|v| v.as_f64().is_some_and(|n| n < *bound)),
        Cond::ApplicantKind(kinds) => Applies::from_bool(kinds.contains(&kind)),
        Cond::All(items) => items
            .iter()
            .fold(Applies::Yes, |acc, c| acc.and(evaluate(c, slots, kind))),
        Cond::Any(items) => items
            .iter()
            .fold(Applies::No, |acc, c| acc.or(evaluate(c, slots, kind))),
        Cond::Not(inner) => !evaluate(inner, slots, kind),
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
        basis: String::new(),
        message,
        refer_to: None,
        alternatives: Vec::new(),
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
    received_on: NaiveDate,
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
        FieldKind::Integer => match value.as_f64() {
            Some(n) if n.fract() == 0.0 => check_number(field, n),
            Some(_) | None => wrong_type(field, Expected::Integer),
        },
        FieldKind::Date => match value.as_str().map(parse_date) {
            Some(Ok(date)) => check_date(field, date, received_on),
            Some(Err(_)) => invalid(
                field,
                FindingReason::NotADate,
                messages::not_a_date(&field.label),
            ),
            None => wrong_type(field, Expected::Date),
        },
        FieldKind::IdCard | FieldKind::Uscc => match value.as_str() {
            Some(s) => check_identifier(field, s, received_on),
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

/// A date's place relative to the China-time day of receipt (format 2).
fn check_date(field: &Field, date: NaiveDate, received_on: NaiveDate) -> Option<Finding> {
    let label = &field.label;
    if field.not_after_receipt && date > received_on {
        return invalid(
            field,
            FindingReason::DateAfterReceipt,
            messages::date_after_receipt(label),
        );
    }
    let years = field.min_years_before_receipt?;
    if whole_years_between(date, received_on) < i64::from(years) {
        return invalid(
            field,
            FindingReason::TooRecent,
            messages::too_recent(label, years),
        );
    }
    None
}

/// Whole years from `from` to `to` (an age on `to` for a birth date `from`); negative when
/// `to` is earlier. A 29 February birthday is reached on 1 March in common years.
pub(super) fn whole_years_between(from: NaiveDate, to: NaiveDate) -> i64 {
    use chrono::Datelike;
    let mut years = i64::from(to.year()) - i64::from(from.year());
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years
}

fn check_identifier(field: &Field, s: &str, received_on: NaiveDate) -> Option<Finding> {
    let (result, kind) = if field.kind == FieldKind::IdCard {
        (check_id_card(s, received_on), IdKind::IdCard)
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
        Err(IdProblem::BirthDateInFuture) => invalid(
            field,
            FindingReason::BirthDateInFuture,
            messages::id_birth_date_in_future(label),
        ),
        Err(IdProblem::Region) => invalid(field, FindingReason::Region, messages::id_region(label)),
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

/// The value as people type it, read the way the field means it, so that every channel (page,
/// kiosk, window, CLI, server) agrees: full-width digits and letters (１３８…), spaces and
/// hyphens inside identifier and mobile numbers, a "+86"/"0086" prefix, thousands separators
/// ("1,200") and dates written 2026/3/2 or 2026年3月2日. `None`: nothing to change (the value is
/// taken as given). Free text and choices are never rewritten.
pub(crate) fn normalise(kind: FieldKind, value: &Value) -> Option<Value> {
    let raw = value.as_str()?;
    let half = half_width(raw);
    let normalised = match kind {
        FieldKind::IdCard | FieldKind::Uscc => Value::String(
            half.chars()
                .filter(|c| !is_separator(*c))
                .collect::<String>()
                .to_ascii_uppercase(),
        ),
        FieldKind::Phone => Value::String(phone(&half)),
        FieldKind::Number | FieldKind::Integer => number(&half)?,
        FieldKind::Date => Value::String(date(&half).unwrap_or_else(|| half.trim().to_string())),
        FieldKind::Text | FieldKind::Boolean | FieldKind::Choice => return None,
    };
    (normalised.as_str() != Some(raw)).then_some(normalised)
}

/// Full-width ASCII (U+FF01–U+FF5E) to ASCII and the ideographic space to a space.
fn half_width(s: &str) -> String {
    s.chars().map(half_width_char).collect()
}

/// One character as [`normalise`] reads it before anything else: full-width ASCII
/// (U+FF01–U+FF5E, e.g. `１`, `－`) as ASCII, the ideographic space as a space, anything else
/// as it is. Public (`qiquan::half_width_char`) so that the server finds an ID or phone number
/// typed in free text the way the engine reads one typed in its field.
pub fn half_width_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// ASCII whitespace and the no-break space (the ideographic one is a space by then); not
/// `char::is_whitespace`, whose Unicode table would grow the wasm module.
fn is_space(c: char) -> bool {
    c.is_ascii_whitespace() || c == '\u{a0}'
}

fn is_separator(c: char) -> bool {
    is_space(c) || c == '-'
}

/// A mobile number loses its country prefix, spaces and hyphens; a landline keeps its one
/// hyphen between area code and number (spaces around it go).
fn phone(s: &str) -> String {
    let compact: String = s.chars().filter(|c| !is_space(*c)).collect();
    let national = compact
        .strip_prefix("+86")
        .or_else(|| compact.strip_prefix("0086"))
        .unwrap_or(&compact);
    let digits: String = national.chars().filter(|c| *c != '-').collect();
    if digits.len() == 11 && digits.starts_with('1') && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits
    } else {
        national.to_string()
    }
}

/// "1,200", "1 200", "１２０" → a JSON number; `None` when it is not a plain decimal.
fn number(s: &str) -> Option<Value> {
    let plain: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '_'))
        .collect();
    let body = plain.strip_prefix('-').unwrap_or(&plain);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) || (body.contains('.') && frac.is_empty()) {
        return None;
    }
    // Exact: an integer mantissa below 2^53 divided by an exact power of ten (≤ 10^22) is
    // correctly rounded, the same double a float parser gives; longer numbers are not guessed.
    // (No float parser: core's or serde_json's would add kilobytes to the wasm module.)
    let mantissa = format!("{int}{frac}")
        .bytes()
        .try_fold(0u64, |m, b| {
            m.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        })
        .filter(|m| *m < 1 << 53)?;
    let negative = plain.starts_with('-');
    if frac.is_empty() {
        let n = i64::try_from(mantissa).ok()?;
        return Some(Value::from(if negative { -n } else { n }));
    }
    let scale = (0..frac.len()).try_fold(1f64, |p, _| (p < 1e22).then_some(p * 10.0))?;
    #[allow(clippy::cast_precision_loss)] // below 2^53: exact
    let n = mantissa as f64 / scale;
    Some(Value::from(if negative { -n } else { n }))
}

/// 2026/3/2, 2026.3.2, 2026年3月2日, 2026-3-2 → 2026-03-02 (the date check still judges it).
fn date(s: &str) -> Option<String> {
    let parts: Vec<&str> = s
        .trim()
        .trim_end_matches('日')
        .split(['-', '/', '.', '年', '月'])
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let ok = |p: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    (ok(y, 4..=4) && ok(m, 1..=2) && ok(d, 1..=2)).then(|| format!("{y}-{m:0>2}-{d:0>2}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ConditionValue::{Bool, Text as Str};
    use Applies::{No, Unknown, Yes};

    fn eval(cond: &Cond, slots: &[Slot<'_>]) -> Applies {
        evaluate(cond, slots, ApplicantKind::NaturalPerson)
    }

    #[test]
    fn conditions_on_unanswered_fields_are_unknown() {
        let yes = Value::Bool(true);
        let leased = Value::String("leased".into());
        let is_true = Cond::Equals(0, Bool(true));
        let one_of = Cond::OneOf(0, vec![Str("leased".into()), Str("owned".into())]);
        for (slot, equals, set) in [
            (Slot::Answered(&yes), Yes, Yes),
            (Slot::Blank, Unknown, No),
            (Slot::Absent, No, No),
            (Slot::Unknown, Unknown, Unknown),
        ] {
            assert_eq!(eval(&is_true, &[slot]), equals, "{slot:?}: equals");
            assert_eq!(
                eval(&Cond::IsSet(0, true), &[slot]),
                set,
                "{slot:?}: is_set"
            );
            assert_eq!(
                eval(&Cond::IsSet(0, false), &[slot]),
                !set,
                "{slot:?}: not set"
            );
            assert_eq!(
                eval(&Cond::Not(Box::new(is_true.clone())), &[slot]),
                !equals
            );
        }
        assert_eq!(eval(&one_of, &[Slot::Answered(&leased)]), Yes);
        assert_eq!(eval(&one_of, &[Slot::Answered(&yes)]), No);
        assert_eq!(eval(&Cond::GreaterThan(0, 1.0), &[Slot::Blank]), Unknown);
        // Kleene: a known false part decides `all`, a known true part decides `any`.
        let kind = Cond::ApplicantKind(vec![ApplicantKind::EnterpriseLegalPerson]);
        let blank = [Slot::Blank];
        assert_eq!(
            eval(&Cond::All(vec![kind.clone(), is_true.clone()]), &blank),
            No
        );
        assert_eq!(
            eval(&Cond::Any(vec![kind.clone(), is_true.clone()]), &blank),
            Unknown
        );
        let natural = Cond::ApplicantKind(vec![ApplicantKind::NaturalPerson]);
        assert_eq!(
            eval(&Cond::Any(vec![natural.clone(), is_true.clone()]), &blank),
            Yes
        );
        assert_eq!(eval(&Cond::All(vec![natural, is_true]), &blank), Unknown);
    }

    #[test]
    fn whole_years_count_birthdays_reached() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(whole_years_between(d(2008, 3, 2), d(2026, 3, 2)), 18);
        assert_eq!(whole_years_between(d(2008, 3, 3), d(2026, 3, 2)), 17);
        // A 29 February birthday is reached on 1 March in a common year.
        assert_eq!(whole_years_between(d(2008, 2, 29), d(2026, 2, 28)), 17);
        assert_eq!(whole_years_between(d(2008, 2, 29), d(2026, 3, 1)), 18);
        assert_eq!(whole_years_between(d(2008, 2, 29), d(2028, 2, 29)), 20);
        assert_eq!(whole_years_between(d(2027, 1, 1), d(2026, 3, 2)), -1);
    }

    #[test]
    fn values_are_read_as_people_type_them() {
        use FieldKind::{Date, IdCard, Number, Phone, Text, Uscc};
        let s = |x: &str| Value::String(x.into());
        let n = |k, x: &str| normalise(k, &s(x));
        assert_eq!(
            n(IdCard, "110105 19491231 002x"),
            Some(s("11010519491231002X"))
        );
        assert_eq!(
            n(IdCard, "１１０１０５１９４９１２３１００２Ｘ"),
            Some(s("11010519491231002X"))
        );
        assert_eq!(n(IdCard, "11010519491231002X"), None);
        assert_eq!(
            n(Uscc, "9111 0000 8021 0043 3b"),
            Some(s("91110000802100433B"))
        );
        assert_eq!(n(Phone, "+86 138-0013-8000"), Some(s("13800138000")));
        assert_eq!(n(Phone, "0086 13800138000"), Some(s("13800138000")));
        assert_eq!(n(Phone, "１３８ ００１３ ８０００"), Some(s("13800138000")));
        assert_eq!(n(Phone, "0531 - 88880001"), Some(s("0531-88880001")));
        assert_eq!(n(Phone, "0531-88880001"), None);
        assert_eq!(n(Number, "1,200"), Some(Value::from(1200)));
        assert_eq!(n(Number, "１２０"), Some(Value::from(120)));
        assert_eq!(n(Number, "12.5"), Some(Value::from(12.5)));
        assert_eq!(n(Number, "0.1"), Some(Value::from(0.1)));
        assert_eq!(n(Number, "1,234.56"), Some(Value::from(1234.56)));
        assert_eq!(n(Number, "-3"), Some(Value::from(-3)));
        assert_eq!(n(Number, "99999999999999999999"), None);
        assert_eq!(n(Number, "12 平方米"), None);
        assert_eq!(n(Number, "1."), None);
        assert_eq!(normalise(Number, &Value::from(3)), None);
        assert_eq!(n(Date, "2026/3/2"), Some(s("2026-03-02")));
        assert_eq!(n(Date, "2026年3月2日"), Some(s("2026-03-02")));
        assert_eq!(n(Date, "2026-03-02"), None);
        assert_eq!(n(Date, "昨天"), None);
        assert_eq!(n(Text, " １２３ "), None);
    }

    /// Conditions of real rule files in words, as the `material_conditional` finding says them.
    #[test]
    fn conditions_in_words() {
        let engine = crate::Engine::embedded().expect("embedded rules");
        let words = |matter: &str, material: &str| {
            let versions = engine.bundle().versions(matter).expect("a matter");
            let version = versions.expect("compiles").last().expect("a version");
            let i = version.material_index[material];
            let cond = version.material_when[i].as_ref().expect("a condition");
            crate::messages::condition(cond, &version.rule.fields)
        };
        let not = words("individual_business_registration", "premises_proof");
        assert_eq!(not.zh, "“经营场所类型”不为“电子商务平台提供的网络经营场所”");
        assert_eq!(
            not.en,
            "“Kind of business premises” is not “Online premises provided by an e-commerce platform”"
        );
        let one_of = words("law_firm_establishment", "partnership_agreement");
        assert!(
            one_of.zh.contains("为“") && one_of.zh.contains("”或“"),
            "{}",
            one_of.zh
        );
        let boolean = words("public_place_hygiene_license", "central_ac_report");
        assert_eq!(boolean.zh, "“是否使用集中空调通风系统”为“是”");
    }
}
