//! `qiquan diff OLD NEW`: what a new version of a matter changes for applicants — the
//! structural changes in their terms, the case tables replayed under both versions (outcome
//! flips counted by direction, the harmful first), and, for a small matter, every submission
//! enumerated (pairwise beyond a bound) with one counterexample per change of outcome.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::TableFile;
use super::table::CaseTable;
use crate::model::{Condition, ConditionValue, Material, MatterFile, Text, TimeLimit};
use crate::{CheckOptions, Engine, Error, ErrorCode, Result, SourceFile, Submission};

/// One outcome that changed between the versions.
#[derive(Debug, Clone)]
pub struct Flip {
    pub case: String,
    pub old: String,
    pub new: String,
    /// Worse for the applicant (受理 → 补正, 补正 → 不予受理 …).
    pub harmful: bool,
    /// What the new version says that the old did not (its findings, with their basis).
    pub why: Vec<Text>,
}

/// The whole comparison.
#[derive(Debug, Clone)]
pub struct DiffReport {
    pub matter: String,
    pub old_version: String,
    pub new_version: String,
    pub changes: Vec<Text>,
    /// Cases replayed and their flips.
    pub replayed: usize,
    pub flips: Vec<Flip>,
    /// Cases whose outcome stayed but whose promised due date moved: how many, and one
    /// (name, old date, new date).
    pub date_changes: usize,
    pub date_example: Option<(String, String, String)>,
    /// Submissions enumerated, whether all of them (else pairwise), and per change of outcome
    /// (`old → new`) how many and one counterexample.
    pub enumerated: usize,
    pub exhaustive: bool,
    pub outcome_changes: Vec<(String, String, usize, String)>,
}

use crate::messages::text as t;

fn limit(l: &TimeLimit) -> String {
    format!("{} {}", l.value, super::run::unit_zh(l.unit))
}

fn limit_en(l: &TimeLimit) -> String {
    let unit = match l.unit {
        crate::model::LimitUnit::WorkingDays => "working days",
        crate::model::LimitUnit::NaturalDays => "days",
        crate::model::LimitUnit::OnTheSpot => "on the spot",
    };
    format!("{} {unit}", l.value)
}

fn literal(v: &ConditionValue) -> String {
    match v {
        ConditionValue::Bool(true) => "是".into(),
        ConditionValue::Bool(false) => "否".into(),
        ConditionValue::Number(n) => n.to_string(),
        ConditionValue::Text(s) => s.clone(),
    }
}

/// A condition in words (for the change notice).
fn words(c: &Condition, rule: &MatterFile) -> String {
    let label = |id: &str| {
        rule.fields
            .iter()
            .find(|f| f.id == id)
            .map_or_else(|| id.to_string(), |f| f.label.zh.clone())
    };
    if let Some(f) = &c.field {
        let l = label(f);
        if let Some(v) = &c.equals {
            return format!("“{l}”为“{}”", literal(v));
        }
        if let Some(vs) = &c.one_of {
            let vs: Vec<String> = vs.iter().map(literal).collect();
            return format!("“{l}”为“{}”之一", vs.join("”“"));
        }
        if let Some(set) = c.is_set {
            return format!("{}“{l}”", if set { "填写了" } else { "未填写" });
        }
        if let Some(n) = c.greater_than {
            return format!("“{l}”大于 {n}");
        }
        if let Some(n) = c.less_than {
            return format!("“{l}”小于 {n}");
        }
    }
    if let Some(kinds) = &c.applicant_kind {
        let k: Vec<String> = kinds.iter().map(|k| k.label().zh).collect();
        return format!("申请人为{}", k.join("或"));
    }
    if let Some(all) = &c.all {
        let p: Vec<String> = all.iter().map(|c| words(c, rule)).collect();
        return p.join("且");
    }
    if let Some(any) = &c.any {
        let p: Vec<String> = any.iter().map(|c| words(c, rule)).collect();
        return format!("（{}）", p.join("或"));
    }
    if let Some(not) = &c.not {
        return format!("并非{}", words(not, rule));
    }
    String::new()
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn material_changes(old: &MatterFile, new: &MatterFile, out: &mut Vec<Text>) {
    for m in &new.materials {
        let Some(o) = old.materials.iter().find(|o| o.id == m.id) else {
            let when = m
                .when
                .as_ref()
                .map_or(String::new(), |w| format!("，{}时须提交", words(w, new)));
            out.push(t(
                format!(
                    "新增材料“{}”（{}{when}）",
                    m.name.zh,
                    if m.key { "主件" } else { "非主件" }
                ),
                format!(
                    "New material “{}” ({})",
                    m.name.en,
                    if m.key { "key" } else { "non-key" }
                ),
            ));
            continue;
        };
        material_change(o, m, old, new, out);
    }
    for o in &old.materials {
        if !new.materials.iter().any(|m| m.id == o.id) {
            out.push(t(
                format!("不再需要材料“{}”", o.name.zh),
                format!("Material “{}” no longer required", o.name.en),
            ));
        }
    }
}

fn material_change(
    o: &Material,
    m: &Material,
    old: &MatterFile,
    new: &MatterFile,
    out: &mut Vec<Text>,
) {
    let name = &m.name;
    if o.key != m.key {
        let (a, b) = if m.key {
            ("非主件", "主件")
        } else {
            ("主件", "非主件")
        };
        out.push(t(
            format!("“{}”由{a}改为{b}", name.zh),
            format!(
                "“{}” is now {}",
                name.en,
                if m.key {
                    "a key material"
                } else {
                    "a non-key material"
                }
            ),
        ));
    }
    if o.tolerable && !m.tolerable {
        out.push(t(
            format!("“{}”不再可容缺", name.zh),
            format!("“{}” is no longer tolerable", name.en),
        ));
    } else if !o.tolerable && m.tolerable {
        out.push(t(
            format!("“{}”改为可容缺", name.zh),
            format!("“{}” is now tolerable", name.en),
        ));
    } else if let (Some(a), Some(b)) = (&o.pledge_period, &m.pledge_period)
        && a != b
    {
        out.push(t(
            format!("“{}”的容缺补齐期限 {}→{}", name.zh, limit(a), limit(b)),
            format!(
                "“{}”: pledge period {} → {}",
                name.en,
                limit_en(a),
                limit_en(b)
            ),
        ));
    }
    let (fa, fb) = (Engine::requirement(o), Engine::requirement(m));
    if fa != fb {
        out.push(t(
            format!("“{}”的提交要求由“{}”改为“{}”", name.zh, fa.zh, fb.zh),
            format!(
                "“{}”: to be handed in as “{}” instead of “{}”",
                name.en, fb.en, fa.en
            ),
        ));
    }
    if json(&o.when) != json(&m.when) {
        let w = |r: &MatterFile, c: &Option<Condition>| {
            c.as_ref().map_or("一律须提交".to_string(), |c| {
                format!("{}时须提交", words(c, r))
            })
        };
        out.push(t(
            format!(
                "“{}”的提交条件由“{}”改为“{}”",
                name.zh,
                w(old, &o.when),
                w(new, &m.when)
            ),
            format!("“{}”: when it is required changed", name.en),
        ));
    }
    let shares = |x: &Material| {
        x.sharing
            .as_ref()
            .is_some_and(|s| s.by != crate::model::SharingKind::None)
    };
    if shares(o) != shares(m) {
        out.push(if shares(m) {
            t(
                format!("“{}”改为可由部门共享获取（免提交）", name.zh),
                format!("“{}” can now be obtained by sharing", name.en),
            )
        } else {
            t(
                format!("“{}”不再共享获取，须申请人提交", name.zh),
                format!("“{}” is no longer obtained by sharing", name.en),
            )
        });
    }
    if o.commitment.is_some() != m.commitment.is_some() {
        out.push(t(
            format!(
                "“{}”{}告知承诺",
                name.zh,
                if m.commitment.is_some() {
                    "改为可以"
                } else {
                    "不再可以"
                }
            ),
            format!(
                "“{}”: a written commitment {} replace it",
                name.en,
                if m.commitment.is_some() {
                    "may now"
                } else {
                    "may no longer"
                }
            ),
        ));
    }
}

/// The structural changes, in applicant terms.
pub fn changes(old: &MatterFile, new: &MatterFile) -> Vec<Text> {
    let mut out = Vec::new();
    material_changes(old, new, &mut out);
    for f in &new.fields {
        match old.fields.iter().find(|o| o.id == f.id) {
            None => out.push(t(
                format!("新增填报项“{}”", f.label.zh),
                format!("New field “{}”", f.label.en),
            )),
            Some(o) if o.required != f.required => out.push(t(
                format!(
                    "填报项“{}”改为{}",
                    f.label.zh,
                    if f.required { "必填" } else { "选填" }
                ),
                format!(
                    "Field “{}” is now {}",
                    f.label.en,
                    if f.required { "required" } else { "optional" }
                ),
            )),
            Some(o) if json(&o.when) != json(&f.when) => out.push(t(
                format!("填报项“{}”的适用条件改变", f.label.zh),
                format!("Field “{}”: when it applies changed", f.label.en),
            )),
            _ => {}
        }
    }
    for o in &old.fields {
        if !new.fields.iter().any(|f| f.id == o.id) {
            out.push(t(
                format!("不再填写“{}”", o.label.zh),
                format!("Field “{}” removed", o.label.en),
            ));
        }
    }
    for (zh, en, a, b) in [
        (
            "承诺时限",
            "promised limit",
            &old.promised_limit,
            &new.promised_limit,
        ),
        (
            "法定时限",
            "statutory limit",
            &old.statutory_limit,
            &new.statutory_limit,
        ),
    ] {
        if a != b {
            out.push(t(
                format!("{zh} {}→{}", limit(a), limit(b)),
                format!("{en} {} → {}", limit_en(a), limit_en(b)),
            ));
        }
    }
    if old.statutory_extension != new.statutory_extension {
        let show = |l: &Option<TimeLimit>| l.as_ref().map_or("无".to_string(), limit);
        out.push(t(
            format!(
                "法定延长时限 {}→{}",
                show(&old.statutory_extension),
                show(&new.statutory_extension)
            ),
            "statutory extension changed",
        ));
    }
    if old.clock_starts.per_limit() != new.clock_starts.per_limit() {
        out.push(t(
            "承诺时限的起算改变",
            "when the promised clock starts changed",
        ));
    }
    if old.case_type != new.case_type {
        out.push(t(
            format!("办件类型 {:?}→{:?}", old.case_type, new.case_type),
            format!("case type {:?} → {:?}", old.case_type, new.case_type),
        ));
    }
    for k in &new.applicant_kinds {
        if !old.applicant_kinds.contains(k) {
            out.push(t(
                format!("服务对象新增{}", k.label().zh),
                format!("now serves {}", k.label().en),
            ));
        }
    }
    for k in &old.applicant_kinds {
        if !new.applicant_kinds.contains(k) {
            out.push(t(
                format!("服务对象不再包括{}", k.label().zh),
                format!("no longer serves {}", k.label().en),
            ));
        }
    }
    for r in &new.refusals {
        if !old.refusals.iter().any(|o| o.id == r.id) {
            out.push(t(
                format!("新增不予受理情形：{}", r.reason.zh),
                format!("New refusal: {}", r.reason.en),
            ));
        }
    }
    for r in &old.refusals {
        if !new.refusals.iter().any(|n| n.id == r.id) {
            out.push(t(
                format!("取消不予受理情形：{}", r.reason.zh),
                format!("Refusal removed: {}", r.reason.en),
            ));
        }
    }
    out
}

/// The version's file with its period widened to every date, so both versions decide the same
/// submissions.
fn widened(source: &SourceFile) -> SourceFile {
    let text = source
        .text
        .lines()
        .filter(|l| !l.trim_start().starts_with("effective_until"))
        .map(|l| {
            if l.trim_start().starts_with("effective_from") {
                "effective_from = \"1949-10-01\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    SourceFile {
        path: source.path.clone(),
        text,
    }
}

fn engine_with(rules: &[SourceFile], matter: &str, version: &SourceFile) -> Result<Engine> {
    let prefix = format!("matters/{matter}/");
    let mut sources: Vec<SourceFile> = rules
        .iter()
        .filter(|s| !s.path.starts_with(&prefix))
        .cloned()
        .collect();
    let mut v = widened(version);
    v.path = format!("{prefix}diff.toml");
    sources.push(v);
    Engine::from_sources(&sources)
}

/// The submission with the ids the version lacks left out.
fn fit(submission: &Value, rule: &MatterFile) -> Value {
    let mut s = submission.clone();
    if let Some(fields) = s["fields"].as_object_mut() {
        fields.retain(|k, _| rule.fields.iter().any(|f| f.id == *k));
    }
    if let Some(materials) = s["materials"].as_object_mut() {
        materials.retain(|k, _| rule.materials.iter().any(|m| m.id == *k));
    }
    s
}

fn decide(engine: &Engine, matter: &str, rule: &MatterFile, submission: &Value) -> Option<Value> {
    let json = fit(submission, rule).to_string();
    let submission: Submission = crate::parse_json(&json, "submission").ok()?;
    let verdict = engine
        .check(matter, &submission, &CheckOptions::default())
        .ok()?;
    serde_json::from_str(&crate::to_pretty_json(&verdict)).ok()
}

fn rank(outcome: &str) -> u8 {
    match outcome {
        "accept" => 0,
        "accept_with_pledge" => 1,
        "correction_required" => 2,
        _ => 3,
    }
}

fn new_findings(old: &Value, new: &Value) -> Vec<Text> {
    let key = |f: &Value| format!("{}:{}", f["code"], f["target"]["id"]);
    let before: Vec<String> = old["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(key)
        .collect();
    new["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| !before.contains(&key(f)))
        .map(|f| {
            let basis = f["basis"].as_str().unwrap_or("");
            t(
                format!(
                    "{}（依据：{basis}）",
                    f["message"]["zh"].as_str().unwrap_or("")
                ),
                format!(
                    "{} (basis: {basis})",
                    f["message"]["en"].as_str().unwrap_or("")
                ),
            )
        })
        .collect()
}

/// Most submissions enumerated in full; past it, pairwise.
pub const EXHAUSTIVE_LIMIT: usize = 4096;

/// Compares two versions of a matter (`old`, `new`: rule files; `rules`: the rest of the rules
/// directory, for the calendar) over the matter's case tables and an enumeration.
pub fn diff(
    rules: &[SourceFile],
    old: &SourceFile,
    new: &SourceFile,
    tables: &[TableFile],
) -> Result<DiffReport> {
    let parse = |s: &SourceFile| -> Result<MatterFile> {
        toml::from_str(&s.text).map_err(|e| {
            Error::new(
                ErrorCode::RulesInvalid,
                "规则文件无法读取。",
                "The rule file cannot be read.",
            )
            .at(s.path.clone())
            .detail(e.message().to_string())
        })
    };
    let (old_rule, new_rule) = (parse(old)?, parse(new)?);
    let matter = new_rule.matter.clone();
    let old_engine = engine_with(rules, &matter, old)?;
    let new_engine = engine_with(rules, &matter, new)?;
    let mut report = DiffReport {
        matter: matter.clone(),
        old_version: old_rule.version.clone(),
        new_version: new_rule.version.clone(),
        changes: changes(&old_rule, &new_rule),
        replayed: 0,
        flips: Vec::new(),
        date_changes: 0,
        date_example: None,
        enumerated: 0,
        exhaustive: true,
        outcome_changes: Vec::new(),
    };
    let mut bases: Vec<Value> = Vec::new();
    for file in tables {
        let Ok(table) = CaseTable::parse(&file.path, &file.text) else {
            continue;
        };
        if table.matter != matter {
            continue;
        }
        for b in &table.base {
            bases.push(table.submission(&super::table::Case {
                base: b.version.clone(),
                ..Default::default()
            }));
        }
        for case in &table.cases {
            let submission = table.submission(case);
            let (Some(a), Some(b)) = (
                decide(&old_engine, &matter, &old_rule, &submission),
                decide(&new_engine, &matter, &new_rule, &submission),
            ) else {
                continue;
            };
            report.replayed += 1;
            let (oa, ob) = (
                a["outcome"].as_str().unwrap_or(""),
                b["outcome"].as_str().unwrap_or(""),
            );
            let due = |v: &Value| {
                v["deadlines"]["promised_due"]
                    .as_str()
                    .unwrap_or("—")
                    .to_string()
            };
            if oa == ob && a["deadlines"]["basis"] == "accepted" && due(&a) != due(&b) {
                report.date_changes += 1;
                report
                    .date_example
                    .get_or_insert_with(|| (case.name.clone(), due(&a), due(&b)));
            }
            if oa != ob {
                report.flips.push(Flip {
                    case: case.name.clone(),
                    old: oa.into(),
                    new: ob.into(),
                    harmful: rank(ob) > rank(oa),
                    why: new_findings(&a, &b),
                });
            }
        }
    }
    report.flips.sort_by_key(|f| !f.harmful);
    // The enumeration starts from a complete application under the new version.
    let accepted = |b: &Value| {
        decide(&new_engine, &matter, &new_rule, b).is_some_and(|v| v["outcome"] == "accept")
    };
    let base = bases
        .iter()
        .position(accepted)
        .map(|i| bases.swap_remove(i));
    let base = base
        .or_else(|| bases.into_iter().next())
        .unwrap_or_else(|| {
            let version = crate::bundle::Bundle::versions(new_engine.bundle(), &matter)
                .and_then(|r| r.ok())
                .and_then(|v| v.first())
                .map(super::generate::synth_base);
            let table = CaseTable {
                matter: matter.clone(),
                base: version.into_iter().collect(),
                cases: Vec::new(),
            };
            table.submission(&super::table::Case::default())
        });
    enumerate(
        &mut report,
        &old_engine,
        &new_engine,
        &old_rule,
        &new_rule,
        &base,
    );
    Ok(report)
}

/// The variables of the enumeration: each material's status, each field a condition reads, the
/// pledge; with their values (the base's first).
fn variables(old: &MatterFile, new: &MatterFile, base: &Value) -> Vec<(String, Vec<Value>)> {
    let mut vars: Vec<(String, Vec<Value>)> = Vec::new();
    let mut ids: Vec<&Material> = new.materials.iter().collect();
    ids.extend(
        old.materials
            .iter()
            .filter(|o| !new.materials.iter().any(|m| m.id == o.id)),
    );
    for m in ids {
        let mut values = vec![
            Value::from("provided"),
            Value::from("missing"),
            Value::from("flawed"),
        ];
        if m.sharing
            .as_ref()
            .is_some_and(|s| s.by != crate::model::SharingKind::None)
        {
            values.push(Value::from("sharing_failed"));
        }
        vars.push((format!("material:{}", m.id), values));
    }
    let mut fields: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for rule in [old, new] {
        let conds = rule
            .fields
            .iter()
            .filter_map(|f| f.when.as_ref())
            .chain(rule.materials.iter().filter_map(|m| m.when.as_ref()))
            .chain(rule.refusals.iter().map(|r| &r.when));
        for c in conds {
            collect_values(c, &mut fields);
        }
    }
    for (id, mut values) in fields {
        let given = base["fields"].get(&id).cloned().unwrap_or(Value::Null);
        values.retain(|v| *v != given);
        values.insert(0, given);
        values.push(Value::Null);
        values.dedup();
        vars.push((format!("field:{id}"), values));
    }
    vars.push(("pledge".into(), vec![Value::Bool(false), Value::Bool(true)]));
    vars
}

fn collect_values(c: &Condition, out: &mut BTreeMap<String, Vec<Value>>) {
    if let Some(f) = &c.field {
        let values = out.entry(f.clone()).or_default();
        let lit = |v: &ConditionValue| match v {
            ConditionValue::Bool(b) => Value::Bool(*b),
            ConditionValue::Number(n) => Value::from(*n),
            ConditionValue::Text(s) => Value::from(s.as_str()),
        };
        for v in c.equals.iter().chain(c.one_of.iter().flatten()) {
            let v = lit(v);
            if !values.contains(&v) {
                values.push(v.clone());
            }
            if let Value::Bool(b) = v {
                let other = Value::Bool(!b);
                if !values.contains(&other) {
                    values.push(other);
                }
            }
        }
        for n in c.greater_than.iter().chain(&c.less_than) {
            for v in [Value::from(n + 1.0), Value::from(n - 1.0)] {
                if !values.contains(&v) {
                    values.push(v);
                }
            }
        }
    }
    for inner in c
        .all
        .iter()
        .flatten()
        .chain(c.any.iter().flatten())
        .chain(c.not.as_deref())
    {
        collect_values(inner, out);
    }
}

/// Every combination (or, past the limit, a pairwise covering set: every pair of values of two
/// variables appears in some row), as value indices.
fn rows(sizes: &[usize]) -> (Vec<Vec<usize>>, bool) {
    let total = sizes.iter().try_fold(1usize, |acc, s| acc.checked_mul(*s));
    if let Some(total) = total.filter(|t| *t <= EXHAUSTIVE_LIMIT) {
        let rows = (0..total)
            .map(|mut i| {
                sizes
                    .iter()
                    .map(|s| {
                        let v = i % s;
                        i /= s;
                        v
                    })
                    .collect()
            })
            .collect();
        return (rows, true);
    }
    // Pairwise: for each pair of variables and each pair of their values, a row that is the
    // base (all zeros) with those two set — simple, at most Σ sᵢsⱼ rows, each a minimal change.
    let mut rows = vec![vec![0; sizes.len()]];
    for i in 0..sizes.len() {
        for j in i + 1..sizes.len() {
            for a in 0..sizes[i] {
                for b in 0..sizes[j] {
                    if a == 0 && b == 0 {
                        continue;
                    }
                    let mut row = vec![0; sizes.len()];
                    row[i] = a;
                    row[j] = b;
                    rows.push(row);
                }
            }
        }
    }
    (rows, false)
}

fn enumerate(
    report: &mut DiffReport,
    old_engine: &Engine,
    new_engine: &Engine,
    old: &MatterFile,
    new: &MatterFile,
    base: &Value,
) {
    let vars = variables(old, new, base);
    let sizes: Vec<usize> = vars.iter().map(|(_, v)| v.len()).collect();
    let (rows, exhaustive) = rows(&sizes);
    report.exhaustive = exhaustive;
    let mut changes: BTreeMap<(String, String), (usize, usize, String)> = BTreeMap::new();
    for row in &rows {
        let mut s = base.clone();
        if let Some(materials) = s["materials"].as_object_mut() {
            materials.clear();
        }
        let mut described = Vec::new();
        for ((name, values), &pick) in vars.iter().zip(row) {
            let value = &values[pick];
            if let Some(id) = name.strip_prefix("material:") {
                let mut entry = Map::new();
                entry.insert("status".into(), value.clone());
                if value == "sharing_failed" {
                    entry.insert("note".into(), Value::from("查询无结果"));
                }
                s["materials"][id] = Value::Object(entry);
                if pick != 0 {
                    described.push(format!("材料 {id} {}", value.as_str().unwrap_or("")));
                }
            } else if let Some(id) = name.strip_prefix("field:") {
                if value.is_null() {
                    if let Some(fields) = s["fields"].as_object_mut() {
                        fields.remove(id);
                    }
                } else {
                    s["fields"][id] = value.clone();
                }
                if pick != 0 {
                    described.push(format!("{id} = {value}"));
                }
            } else {
                s["pledge_signed"] = value.clone();
                if pick != 0 {
                    described.push("签署承诺".into());
                }
            }
        }
        report.enumerated += 1;
        let outcome = |e: &Engine, r: &MatterFile| {
            decide(e, &report.matter, r, &s).and_then(|v| v["outcome"].as_str().map(str::to_string))
        };
        let (Some(a), Some(b)) = (outcome(old_engine, old), outcome(new_engine, new)) else {
            continue;
        };
        if a != b {
            let size = described.len();
            let entry = changes
                .entry((a, b))
                .or_insert((0, usize::MAX, String::new()));
            entry.0 += 1;
            // The smallest counterexample: the fewest changes from the base.
            if size < entry.1 {
                entry.1 = size;
                entry.2 = if described.is_empty() {
                    "基准申请本身".into()
                } else {
                    described.join("，")
                };
            }
        }
    }
    let mut list: Vec<(String, String, usize, String)> = changes
        .into_iter()
        .map(|((a, b), (n, _, example))| (a, b, n, example))
        .collect();
    list.sort_by_key(|(a, b, n, _)| (rank(b) <= rank(a), std::cmp::Reverse(*n)));
    report.outcome_changes = list;
}

fn outcome_zh(o: &str) -> &str {
    match o {
        "accept" => "受理",
        "accept_with_pledge" => "容缺受理",
        "correction_required" => "补正",
        "not_accepted" => "不予受理",
        other => other,
    }
}

/// The comparison as people read it (zh, with the English beside each change).
pub fn render(r: &DiffReport) -> String {
    let mut out = format!(
        "事项 {}：版本 {} → {} / matter {}: version {} → {}\n\n变更（申请人须知）/ changes:\n",
        r.matter, r.old_version, r.new_version, r.matter, r.old_version, r.new_version
    );
    if r.changes.is_empty() {
        out.push_str("  （无结构变化 / none）\n");
    }
    let zh: Vec<&str> = r.changes.iter().map(|c| c.zh.as_str()).collect();
    out.push_str(&format!("  {}。\n", zh.join("；")));
    for c in &r.changes {
        out.push_str(&format!("  - {}\n", c.en));
    }
    let harmful = r.flips.iter().filter(|f| f.harmful).count();
    out.push_str(&format!(
        "\n案例重放 / replay: {} 个案例，{} 个结论改变（不利 {harmful}，有利 {}）/ {} cases, {} flips ({harmful} harmful, {} favourable)\n",
        r.replayed,
        r.flips.len(),
        r.flips.len() - harmful,
        r.replayed,
        r.flips.len(),
        r.flips.len() - harmful
    ));
    if let Some((case, a, b)) = &r.date_example {
        out.push_str(&format!(
            "  结论不变但承诺办结日改变：{} 个，例如「{case}」{a} → {b} / same outcome, promised due date moved: {}, e.g. {a} → {b}\n",
            r.date_changes, r.date_changes
        ));
    }
    let mut counts: BTreeMap<(bool, String, String), usize> = BTreeMap::new();
    for f in &r.flips {
        *counts
            .entry((!f.harmful, f.old.clone(), f.new.clone()))
            .or_default() += 1;
    }
    for ((favourable, a, b), n) in &counts {
        out.push_str(&format!(
            "  {} {} → {}：{n} / {a} → {b}: {n}\n",
            if *favourable { "有利" } else { "不利" },
            outcome_zh(a),
            outcome_zh(b)
        ));
    }
    for f in &r.flips {
        out.push_str(&format!(
            "  {}「{}」{} → {}\n",
            if f.harmful { "✗ " } else { "  " },
            f.case,
            outcome_zh(&f.old),
            outcome_zh(&f.new)
        ));
        for w in f.why.iter().take(3) {
            out.push_str(&format!("      新版本：{}\n      new: {}\n", w.zh, w.en));
        }
        if f.why.len() > 3 {
            out.push_str(&format!(
                "      ……另有 {} 项 / {} more\n",
                f.why.len() - 3,
                f.why.len() - 3
            ));
        }
    }
    out.push_str(&format!(
        "\n{}：{} 种提交 / {}: {} submissions\n",
        if r.exhaustive {
            "穷举"
        } else {
            "成对覆盖（组合过多）"
        },
        r.enumerated,
        if r.exhaustive {
            "exhaustive"
        } else {
            "pairwise"
        },
        r.enumerated
    ));
    if r.outcome_changes.is_empty() {
        out.push_str("  任何提交的结论都不变 / no submission changes outcome\n");
    } else {
        out.push_str(
            "  除以下情形外，任何提交的结论都不变 / no submission changes outcome except:\n",
        );
        for (a, b, n, example) in &r.outcome_changes {
            out.push_str(&format!(
                "  {} → {}：{n} 种，例如：{example} / {a} → {b}: {n}, e.g. {example}\n",
                outcome_zh(a),
                outcome_zh(b)
            ));
        }
    }
    out
}
