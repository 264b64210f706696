//! `--generate`: one minimal case per uncovered element — a base with the fewest changes whose
//! answer exercises it — and a complete application (a base) for a version that has none.

use std::collections::BTreeSet;

use serde_json::Value;

use super::coverage::{Element, Item, covered_by};
use super::table::{Case, CaseTable, Facts, MaterialEntry};
use crate::bundle::MatterVersion;
use crate::model::{ApplicantKind, Condition, ConditionValue, FieldKind, MatterFile};
use crate::submission::MaterialStatus;
use crate::{CheckOptions, Engine, Submission};

/// One change a generated case makes to its base.
#[derive(Debug, Clone, PartialEq)]
enum Move {
    Field(String, Value),
    Unset(String),
    Kind(ApplicantKind),
    BadCredit,
    Pledge,
    Material(String, MaterialStatus),
}

impl Move {
    /// The field, material or flag it changes: two moves on one target are not combined.
    fn target(&self) -> String {
        match self {
            Move::Field(id, _) | Move::Unset(id) => format!("f:{id}"),
            Move::Kind(_) => "kind".into(),
            Move::BadCredit => "credit".into(),
            Move::Pledge => "pledge".into(),
            Move::Material(id, _) => format!("m:{id}"),
        }
    }

    fn apply(&self, case: &mut Case) {
        match self {
            Move::Field(id, v) => {
                case.fields.insert(id.clone(), v.clone());
            }
            Move::Unset(id) => case.unset.push(id.clone()),
            Move::Kind(k) => case.applicant = Some(*k),
            Move::BadCredit => case.bad_credit = Some(true),
            Move::Pledge => case.pledge = Some(true),
            Move::Material(id, s) => {
                case.materials.insert(id.clone(), MaterialEntry::Status(*s));
            }
        }
    }
}

const KINDS: [ApplicantKind; 6] = [
    ApplicantKind::NaturalPerson,
    ApplicantKind::EnterpriseLegalPerson,
    ApplicantKind::InstitutionLegalPerson,
    ApplicantKind::SocialOrganizationLegalPerson,
    ApplicantKind::AdministrativeOrgan,
    ApplicantKind::OtherOrganization,
];

fn collect(c: &Condition, fields: &mut BTreeSet<String>, kinds: &mut bool) {
    if let Some(f) = &c.field {
        fields.insert(f.clone());
    }
    if c.applicant_kind.is_some() {
        *kinds = true;
    }
    for inner in c.all.iter().flatten().chain(c.any.iter().flatten()) {
        collect(inner, fields, kinds);
    }
    if let Some(inner) = &c.not {
        collect(inner, fields, kinds);
    }
}

fn literal(v: &ConditionValue) -> Value {
    match v {
        ConditionValue::Bool(b) => Value::Bool(*b),
        ConditionValue::Number(n) => {
            serde_json::Number::from_f64(*n).map_or(Value::Null, Value::Number)
        }
        ConditionValue::Text(s) => Value::from(s.as_str()),
    }
}

fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// The values a condition compares a field with, and around its bounds.
fn mentioned(c: &Condition, field: &str, out: &mut Vec<Value>) {
    if c.field.as_deref() == Some(field) {
        out.extend(c.equals.iter().map(literal));
        out.extend(c.one_of.iter().flatten().map(literal));
        for bound in c.greater_than.iter().chain(&c.less_than) {
            out.extend([number(bound + 1.0), number(*bound), number(bound - 1.0)]);
        }
    }
    for inner in c.all.iter().flatten().chain(c.any.iter().flatten()) {
        mentioned(inner, field, out);
    }
    if let Some(inner) = &c.not {
        mentioned(inner, field, out);
    }
}

/// The moves that can make `conds` take each value: the fields they read (each value they
/// mention, each choice, true and false, blank) and, if they read it, the applicant's kind.
fn enabling(rule: &MatterFile, conds: &[&Condition]) -> Vec<Move> {
    let (mut fields, mut kinds) = (BTreeSet::new(), false);
    for c in conds {
        collect(c, &mut fields, &mut kinds);
    }
    let mut moves = Vec::new();
    // A field a condition reads may itself apply only under another condition.
    let mut pending: Vec<String> = fields.iter().cloned().collect();
    while let Some(id) = pending.pop() {
        if let Some(f) = rule.fields.iter().find(|f| f.id == id)
            && let Some(when) = &f.when
        {
            let mut more = BTreeSet::new();
            collect(when, &mut more, &mut kinds);
            for m in more {
                if fields.insert(m.clone()) {
                    pending.push(m);
                }
            }
        }
    }
    for id in &fields {
        let Some(field) = rule.fields.iter().find(|f| f.id == *id) else {
            continue;
        };
        let mut values = Vec::new();
        for c in conds {
            mentioned(c, id, &mut values);
        }
        for f in &rule.fields {
            if let Some(when) = &f.when {
                mentioned(when, id, &mut values);
            }
        }
        match field.kind {
            FieldKind::Boolean => values.extend([Value::Bool(true), Value::Bool(false)]),
            FieldKind::Choice => {
                values.extend(field.options.iter().map(|o| Value::from(o.id.as_str())))
            }
            _ => {}
        }
        let mut seen = Vec::new();
        for v in values {
            if !seen.contains(&v) {
                seen.push(v.clone());
                moves.push(Move::Field(id.clone(), v));
            }
        }
        moves.push(Move::Unset(id.clone()));
    }
    if kinds {
        moves.extend(KINDS.iter().map(|k| Move::Kind(*k)));
    }
    moves
}

/// What must change (all of `required`, one of `one_of` when it is not empty) and what may
/// (up to two of `optional`) to reach an element.
struct Plan {
    required: Vec<Move>,
    one_of: Vec<Move>,
    optional: Vec<Move>,
}

fn material_conds<'a>(rule: &'a MatterFile, id: &str) -> Vec<&'a Condition> {
    let mut conds = Vec::new();
    if let Some(m) = rule.materials.iter().find(|m| m.id == id)
        && let Some(w) = &m.when
    {
        conds.push(w);
    }
    for g in &rule.material_groups {
        if g.members.iter().any(|m| m == id)
            && let Some(w) = &g.when
        {
            conds.push(w);
        }
    }
    conds
}

fn plan(rule: &MatterFile, element: &Element) -> Plan {
    let none = || Plan {
        required: Vec::new(),
        one_of: Vec::new(),
        optional: Vec::new(),
    };
    let tolerable: Vec<&str> = (rule.materials.iter())
        .filter(|m| m.tolerable)
        .map(|m| m.id.as_str())
        .collect();
    match element {
        Element::MaterialStatus { material, status } => {
            let status: MaterialStatus = serde_json::from_value(Value::from(status.as_str()))
                .unwrap_or(MaterialStatus::Missing);
            Plan {
                required: vec![Move::Material(material.clone(), status)],
                one_of: Vec::new(),
                optional: enabling(rule, &material_conds(rule, material)),
            }
        }
        Element::Condition { item, .. } => {
            let conds: Vec<&Condition> = match item {
                Item::Field(id) => rule
                    .fields
                    .iter()
                    .filter(|f| f.id == *id)
                    .filter_map(|f| f.when.as_ref())
                    .collect(),
                Item::Material(id) => material_conds(rule, id),
                Item::Group(id) => rule
                    .material_groups
                    .iter()
                    .filter(|g| g.id == *id)
                    .filter_map(|g| g.when.as_ref())
                    .collect(),
                Item::Refusal(id) => rule
                    .refusals
                    .iter()
                    .filter(|r| r.id == *id)
                    .map(|r| &r.when)
                    .collect(),
            };
            Plan {
                required: Vec::new(),
                one_of: Vec::new(),
                optional: enabling(rule, &conds),
            }
        }
        Element::TolerablePath { material } => Plan {
            required: vec![Move::Pledge],
            one_of: [
                MaterialStatus::Missing,
                MaterialStatus::SharingFailed,
                MaterialStatus::Flawed,
            ]
            .into_iter()
            .map(|s| Move::Material(material.clone(), s))
            .collect(),
            optional: enabling(rule, &material_conds(rule, material)),
        },
        Element::ClockWaits => Plan {
            required: vec![Move::Pledge],
            one_of: tolerable
                .iter()
                .flat_map(|m| {
                    [MaterialStatus::Missing, MaterialStatus::SharingFailed]
                        .map(|s| Move::Material(m.to_string(), s))
                })
                .collect(),
            optional: enabling(
                rule,
                &tolerable
                    .iter()
                    .flat_map(|m| material_conds(rule, m))
                    .collect::<Vec<_>>(),
            ),
        },
        Element::Ineligible => Plan {
            required: Vec::new(),
            one_of: KINDS
                .iter()
                .filter(|k| !rule.applicant_kinds.contains(k))
                .map(|k| Move::Kind(*k))
                .collect(),
            optional: Vec::new(),
        },
        Element::Blocked { code } => {
            let mut p = Plan {
                required: vec![Move::Pledge],
                one_of: Vec::new(),
                optional: Vec::new(),
            };
            match code.as_str() {
                "applicant_ineligible" => p.one_of = plan(rule, &Element::Ineligible).one_of,
                "refused_by_facts" => {
                    let conds: Vec<&Condition> = rule.refusals.iter().map(|r| &r.when).collect();
                    p.optional = enabling(rule, &conds);
                }
                "bad_credit" => {
                    p.required.push(Move::BadCredit);
                    p.optional = tolerable
                        .iter()
                        .map(|m| Move::Material(m.to_string(), MaterialStatus::Missing))
                        .collect();
                }
                "field_problem" => {
                    p.one_of = (rule.fields.iter())
                        .filter(|f| f.required)
                        .map(|f| Move::Unset(f.id.clone()))
                        .collect();
                }
                "key_material_problem" => {
                    p.one_of = (rule.materials.iter())
                        .filter(|m| m.key)
                        .map(|m| Move::Material(m.id.clone(), MaterialStatus::Missing))
                        .collect();
                }
                "non_tolerable_material" => {
                    let ids: Vec<&str> = (rule.materials.iter())
                        .filter(|m| !m.key && !m.tolerable)
                        .map(|m| m.id.as_str())
                        .collect();
                    p.one_of = ids
                        .iter()
                        .flat_map(|m| {
                            [
                                MaterialStatus::Missing,
                                MaterialStatus::SharingFailed,
                                MaterialStatus::Flawed,
                            ]
                            .map(|s| Move::Material(m.to_string(), s))
                        })
                        .collect();
                    p.optional = enabling(
                        rule,
                        &ids.iter()
                            .flat_map(|m| material_conds(rule, m))
                            .collect::<Vec<_>>(),
                    );
                }
                _ => {}
            }
            p
        }
        Element::Limit { .. } => none(),
    }
}

/// Most checks spent looking for one element's case.
const MAX_TRIES: usize = 4000;

/// The elements one case exercises, and the case's answer.
pub(crate) fn exercise(
    engine: &Engine,
    table: &CaseTable,
    case: &Case,
    version: &MatterVersion,
) -> Option<(BTreeSet<Element>, Value, String)> {
    let json = table.submission(case).to_string();
    let submission: Submission = crate::parse_json(&json, "submission").ok()?;
    let verdict = engine
        .check(&table.matter, &submission, &CheckOptions::default())
        .ok()?;
    if verdict.version != version.rule.version {
        return None;
    }
    let bytes = crate::to_pretty_json(&verdict);
    let value: Value = serde_json::from_str(&bytes).ok()?;
    let (refusals, groups) =
        crate::check::condition_states(engine.bundle(), &table.matter, &submission).ok()?;
    Some((
        covered_by(&version.rule, &value, &refusals, &groups),
        value,
        bytes,
    ))
}

/// A case that exercises `element`, starting from the base labelled `base` (fewest changes
/// first), with the engine's answer as its expectations; `None` when none was found.
pub(crate) fn find_case(
    engine: &Engine,
    table: &CaseTable,
    base: Option<&str>,
    version: &MatterVersion,
    element: &Element,
) -> Option<Case> {
    let p = plan(&version.rule, element);
    let one_of: Vec<Option<&Move>> = if p.one_of.is_empty() {
        vec![None]
    } else {
        p.one_of.iter().map(Some).collect()
    };
    let n = p.optional.len();
    let mut combos: Vec<Vec<usize>> = vec![Vec::new()];
    combos.extend((0..n).map(|i| vec![i]));
    for i in 0..n {
        for j in i + 1..n {
            combos.push(vec![i, j]);
        }
    }
    let mut tries = 0;
    for combo in &combos {
        for pick in &one_of {
            let mut moves: Vec<&Move> = p.required.iter().collect();
            moves.extend(pick.iter().copied());
            moves.extend(combo.iter().map(|&i| &p.optional[i]));
            let mut targets: Vec<String> = moves.iter().map(|m| m.target()).collect();
            targets.sort();
            targets.dedup();
            if targets.len() != moves.len() {
                continue;
            }
            tries += 1;
            if tries > MAX_TRIES {
                return None;
            }
            let mut case = Case {
                name: format!(
                    "{}｜版本 {}",
                    element.title(&version.rule),
                    version.rule.version
                ),
                base: base.map(str::to_string),
                ..Case::default()
            };
            // Materials first, fields after: a field change keeps the material's status.
            for m in moves.iter().rev() {
                m.apply(&mut case);
            }
            if let Some((covered, value, bytes)) = exercise(engine, table, &case, version)
                && covered.contains(element)
            {
                case.expect = super::run::expectations_of(&value, &bytes, false);
                return Some(case);
            }
        }
    }
    None
}

/// 身份证号码 with its check digit (GB 11643-1999).
fn id_card(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    format!("{first17}{}", CHECK[(sum % 11) as usize] as char)
}

/// A value for each field that a check accepts, when one can be told from its type.
fn sample(field: &crate::model::Field) -> Value {
    match field.kind {
        FieldKind::Text => {
            if field.pattern.is_some() {
                Value::from("A1234567")
            } else {
                Value::from("示例申请人名称")
            }
        }
        FieldKind::Date => Value::from("1990-01-01"),
        FieldKind::Number | FieldKind::Integer => {
            let low = field.min.unwrap_or(1.0).max(1.0);
            number(field.max.map_or(low, |high| low.min(high)).ceil())
        }
        FieldKind::Boolean => Value::Bool(false),
        FieldKind::Choice => field
            .options
            .first()
            .map_or(Value::Null, |o| Value::from(o.id.as_str())),
        FieldKind::IdCard => Value::from(id_card("11010519491231002")),
        FieldKind::Uscc => Value::from("91330106MA2B0C02XE"),
        FieldKind::Phone => Value::from("13800138000"),
    }
}

/// A complete application for a version without one: every field answered with a valid
/// sample, every material handed in, received on a working day the version is in force.
pub(crate) fn synth_base(version: &MatterVersion) -> Facts {
    let rule = &version.rule;
    let mut day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or(version.effective_from);
    if day < version.effective_from || version.effective_until.is_some_and(|u| day > u) {
        day = version.effective_from;
    }
    Facts {
        version: Some(rule.version.clone()),
        received_at: Some(format!(
            "{}T09:30:00+08:00",
            crate::calendar::format_date(day)
        )),
        applicant: rule.applicant_kinds.first().copied(),
        bad_credit: None,
        channel: None,
        pledge: None,
        fields: rule
            .fields
            .iter()
            .map(|f| (f.id.clone(), sample(f)))
            .collect(),
        unset: Vec::new(),
        materials: rule
            .materials
            .iter()
            .map(|m| {
                (
                    m.id.clone(),
                    MaterialEntry::Status(MaterialStatus::Provided),
                )
            })
            .collect(),
        pauses: None,
    }
}
