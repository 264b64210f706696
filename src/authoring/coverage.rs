//! Coverage by rule element, not by line: each material in each status, each condition true,
//! false and unknown, each tolerable path to 容缺受理, each refusal by facts, each reason a
//! pledge is blocked, each limit and clock start. An element is covered when some case's answer
//! shows it. Layout never moves it: an element is named by what it is, and located in the rule
//! file only to print `path:line`.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::bundle::MatterVersion;
use crate::model::{CaseType, Condition, LimitUnit, MatterFile, SharingKind};
use crate::verdict::Applies;

/// The item a condition sits on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Item {
    Field(String),
    Material(String),
    Group(String),
    Refusal(String),
}

/// One element of a rule version that a case can exercise.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Element {
    /// A material required and handed in with this status (`missing`, `flawed`, `provided`,
    /// `shared`, `committed`).
    MaterialStatus { material: String, status: String },
    /// A condition (`when`) evaluated to `true`, `false` or `unknown`.
    Condition { item: Item, value: &'static str },
    /// A tolerable material owed on a signed pledge that led to 容缺受理.
    TolerablePath { material: String },
    /// An applicant of a kind the matter does not serve.
    Ineligible,
    /// A reason the pledge is blocked (`pledge.blocked_by`).
    Blocked { code: String },
    /// A limit counted on an acceptance: `promised`, `statutory`, `extension`.
    Limit { which: &'static str },
    /// The promised clock waiting for the materials on a 容缺受理 (`materials_complete`).
    ClockWaits,
}

const STATUS_ZH: [(&str, &str); 6] = [
    ("missing", "缺少"),
    ("flawed", "有瑕疵"),
    ("provided", "已提交"),
    ("shared", "共享获取"),
    ("committed", "告知承诺"),
    ("sharing_failed", "共享未获取（须申请人提交）"),
];

fn status_zh(status: &str) -> &str {
    STATUS_ZH
        .iter()
        .find(|(s, _)| *s == status)
        .map_or(status, |(_, zh)| zh)
}

impl Item {
    fn words(&self) -> (String, String) {
        match self {
            Item::Field(id) => (format!("填报项 {id}"), format!("field {id}")),
            Item::Material(id) => (format!("材料 {id}"), format!("material {id}")),
            Item::Group(id) => (format!("材料组 {id}"), format!("group {id}")),
            Item::Refusal(id) => (format!("不予受理情形 {id}"), format!("refusal {id}")),
        }
    }
}

impl Element {
    /// A generated case's name: what it shows, with the items' names from the rule.
    pub fn title(&self, rule: &MatterFile) -> String {
        let material = |id: &str| {
            rule.materials
                .iter()
                .find(|m| m.id == id)
                .map_or_else(|| id.to_string(), |m| short(&m.name.zh))
        };
        let t = match self {
            Element::MaterialStatus {
                material: id,
                status,
            } => {
                format!("{}：{}", material(id), status_zh(status))
            }
            Element::Condition { item, value } => {
                let v = match *value {
                    "true" => "适用",
                    "false" => "不适用",
                    _ => "尚未确定（依据的填报项未填）",
                };
                let name = match item {
                    Item::Field(id) => rule
                        .fields
                        .iter()
                        .find(|f| f.id == *id)
                        .map_or_else(|| id.clone(), |f| format!("填报项“{}”", short(&f.label.zh))),
                    Item::Material(id) => format!("材料“{}”", material(id)),
                    Item::Group(id) => rule
                        .material_groups
                        .iter()
                        .find(|g| g.id == *id)
                        .map_or_else(|| id.clone(), |g| format!("材料组“{}”", short(&g.name.zh))),
                    Item::Refusal(id) => format!("不予受理情形 {id}"),
                };
                format!("{name}{v}")
            }
            Element::TolerablePath { material: id } => {
                format!("缺{}，签署承诺后容缺受理", material(id))
            }
            Element::Ineligible => "非服务对象申请，不予受理".to_string(),
            Element::Blocked { code } => format!("签署承诺但不能容缺（{code}）"),
            Element::Limit { which } => format!("受理并计算时限（{which}）"),
            Element::ClockWaits => "容缺受理，承诺时限待材料补齐起算".to_string(),
        };
        format!("{t}（生成）")
    }

    /// What no case did, in words: `material X never "flawed"`.
    pub fn uncovered(&self) -> crate::model::Text {
        let (zh, en) = match self {
            Element::MaterialStatus { material, status } => (
                format!("材料 {material} 从未“{}”", status_zh(status)),
                format!("material {material} never \"{status}\""),
            ),
            Element::Condition { item, value } => {
                let (zh, en) = item.words();
                let v = match *value {
                    "true" => "成立",
                    "false" => "不成立",
                    _ => "未知（所依据的填报项未填）",
                };
                (
                    format!("{zh} 的适用条件从未{v}"),
                    format!("{en}: its condition never {value}"),
                )
            }
            Element::TolerablePath { material } => (
                format!("材料 {material} 从未经容缺受理（缺少＋签署承诺）"),
                format!("material {material} never owed on a pledge (容缺受理)"),
            ),
            Element::Ineligible => (
                "从未出现非服务对象的申请人".to_string(),
                "never an applicant of a kind the matter does not serve".to_string(),
            ),
            Element::Blocked { code } => (
                format!("容缺从未因 {code} 被阻止"),
                format!("the pledge never blocked by {code}"),
            ),
            Element::Limit { which } => {
                let zh = match *which {
                    "promised" => "承诺时限",
                    "statutory" => "法定时限",
                    _ => "法定延长时限",
                };
                (
                    format!("{zh}从未在受理时计算"),
                    format!("the {which} limit never counted on an acceptance"),
                )
            }
            Element::ClockWaits => (
                "承诺时限从未等待材料补齐起算".to_string(),
                "the promised clock never waited for the materials".to_string(),
            ),
        };
        crate::model::Text { zh, en }
    }
}

/// A name cut to 20 characters for a case title.
fn short(name: &str) -> String {
    let mut out: String = name.chars().take(20).collect();
    if name.chars().count() > 20 {
        out.push('…');
    }
    out
}

fn mentions_field(c: &Condition) -> bool {
    c.field.as_ref().is_some_and(|_| c.is_set.is_none())
        || c.all.iter().flatten().any(mentions_field)
        || c.any.iter().flatten().any(mentions_field)
        || c.not.as_deref().is_some_and(mentions_field)
}

fn condition_values(c: &Condition) -> Vec<&'static str> {
    if mentions_field(c) {
        vec!["true", "false", "unknown"]
    } else {
        vec!["true", "false"]
    }
}

/// Every element of a rule version.
pub fn elements(rule: &MatterFile) -> Vec<Element> {
    let mut out = Vec::new();
    let instant = rule.case_type == CaseType::Instant;
    for field in &rule.fields {
        if let Some(when) = &field.when {
            for value in condition_values(when) {
                out.push(Element::Condition {
                    item: Item::Field(field.id.clone()),
                    value,
                });
            }
        }
    }
    for group in &rule.material_groups {
        if let Some(when) = &group.when {
            for value in condition_values(when) {
                out.push(Element::Condition {
                    item: Item::Group(group.id.clone()),
                    value,
                });
            }
        }
    }
    for m in &rule.materials {
        let mut statuses = vec!["missing", "flawed", "provided"];
        if m.sharing
            .as_ref()
            .is_some_and(|s| s.by != SharingKind::None)
        {
            statuses.extend(["shared", "sharing_failed"]);
        }
        if m.commitment.is_some() {
            statuses.push("committed");
        }
        for status in statuses {
            out.push(Element::MaterialStatus {
                material: m.id.clone(),
                status: status.to_string(),
            });
        }
        if let Some(when) = &m.when {
            for value in condition_values(when) {
                out.push(Element::Condition {
                    item: Item::Material(m.id.clone()),
                    value,
                });
            }
        }
        if m.tolerable && !instant {
            out.push(Element::TolerablePath {
                material: m.id.clone(),
            });
        }
    }
    for refusal in &rule.refusals {
        for value in condition_values(&refusal.when) {
            out.push(Element::Condition {
                item: Item::Refusal(refusal.id.clone()),
                value,
            });
        }
    }
    let served_all = rule.applicant_kinds.len() >= 6;
    if !served_all {
        out.push(Element::Ineligible);
    }
    let codes = [
        ("applicant_ineligible", !served_all),
        ("refused_by_facts", !rule.refusals.is_empty()),
        ("bad_credit", true),
        ("instant_matter", instant),
        ("field_problem", rule.fields.iter().any(|f| f.required)),
        ("key_material_problem", rule.materials.iter().any(|m| m.key)),
        (
            "non_tolerable_material",
            rule.materials.iter().any(|m| !m.key && !m.tolerable),
        ),
        ("nothing_to_pledge", true),
    ];
    for (code, reachable) in codes {
        if reachable {
            out.push(Element::Blocked { code: code.into() });
        }
    }
    out.push(Element::Limit { which: "promised" });
    out.push(Element::Limit { which: "statutory" });
    if rule.statutory_extension.is_some() {
        out.push(Element::Limit { which: "extension" });
    }
    let waits =
        rule.clock_starts.per_limit().promised == crate::model::ClockStart::MaterialsComplete;
    if waits && !instant && rule.materials.iter().any(|m| m.tolerable) {
        out.push(Element::ClockWaits);
    }
    let _ = LimitUnit::OnTheSpot;
    out
}

fn applies_word(v: &Value) -> &'static str {
    match v {
        Value::Bool(true) => "true",
        Value::Bool(false) => "false",
        _ => "unknown",
    }
}

fn applies_name(a: Applies) -> &'static str {
    match a {
        Applies::Yes => "true",
        Applies::No => "false",
        Applies::Unknown => "unknown",
    }
}

/// The elements one answer exercises (`refusals`, `groups`: their conditions' values, which
/// the verdict does not carry).
pub fn covered_by(
    rule: &MatterFile,
    verdict: &Value,
    refusals: &[Applies],
    groups: &[Applies],
) -> BTreeSet<Element> {
    let mut out = BTreeSet::new();
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    for (field, state) in rule
        .fields
        .iter()
        .zip(list(&verdict["checklist"]["fields"]))
    {
        if field.when.is_some() {
            out.insert(Element::Condition {
                item: Item::Field(field.id.clone()),
                value: applies_word(&state["applies"]),
            });
        }
    }
    for (m, state) in rule
        .materials
        .iter()
        .zip(list(&verdict["checklist"]["materials"]))
    {
        if m.when.is_some() {
            out.insert(Element::Condition {
                item: Item::Material(m.id.clone()),
                value: applies_word(&state["applies"]),
            });
        }
        if state["applies"] == true {
            out.insert(Element::MaterialStatus {
                material: m.id.clone(),
                status: state["status"].as_str().unwrap_or("").to_string(),
            });
        }
    }
    for (group, value) in rule.material_groups.iter().zip(groups) {
        if group.when.is_some() {
            out.insert(Element::Condition {
                item: Item::Group(group.id.clone()),
                value: applies_name(*value),
            });
        }
    }
    for (refusal, value) in rule.refusals.iter().zip(refusals) {
        out.insert(Element::Condition {
            item: Item::Refusal(refusal.id.clone()),
            value: applies_name(*value),
        });
    }
    let outcome = verdict["outcome"].as_str().unwrap_or("");
    if outcome == "accept_with_pledge" {
        for item in list(&verdict["pledge"]["items"]) {
            if let Some(id) = item["material"].as_str() {
                out.insert(Element::TolerablePath {
                    material: id.to_string(),
                });
            }
        }
        if verdict["deadlines"]["promised_due"].is_null() {
            out.insert(Element::ClockWaits);
        }
    }
    if list(&verdict["findings"])
        .iter()
        .any(|f| f["code"] == "applicant_ineligible")
    {
        out.insert(Element::Ineligible);
    }
    for code in list(&verdict["pledge"]["blocked_by"]) {
        if let Some(code) = code.as_str() {
            out.insert(Element::Blocked { code: code.into() });
        }
    }
    let d = &verdict["deadlines"];
    if d["basis"] == "accepted" {
        for (which, key) in [
            ("promised", "promised_due"),
            ("statutory", "statutory_due"),
            ("extension", "statutory_extended_due"),
        ] {
            if d[key].is_string() {
                out.insert(Element::Limit { which });
            }
        }
    }
    out
}

/// The line of a rule file an element is written on (1 when it cannot be told).
pub fn line_of(source: &str, element: &Element) -> usize {
    let find_item = |section: &str, id: &str| -> Option<(usize, usize)> {
        let lines: Vec<&str> = source.lines().collect();
        let mut in_section = false;
        let mut start = None;
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim();
            if t.starts_with("[[") {
                if let Some(s) = start {
                    return Some((s, i));
                }
                in_section = t == section;
            } else if in_section && start.is_none() && t.replace(' ', "") == format!("id=\"{id}\"")
            {
                start = Some(i);
            }
        }
        start.map(|s| (s, lines.len()))
    };
    let key_line = |from: usize, to: usize, key: &str| -> Option<usize> {
        source
            .lines()
            .enumerate()
            .skip(from)
            .take(to.saturating_sub(from))
            .find(|(_, l)| l.trim_start().starts_with(key))
            .map(|(i, _)| i + 1)
    };
    let top = |key: &str| key_line(0, usize::MAX, key);
    let item = |section: &str, id: &str, key: Option<&str>| -> Option<usize> {
        let (s, e) = find_item(section, id)?;
        // The item's block starts at its header, just above its id.
        let header = source
            .lines()
            .take(s)
            .collect::<Vec<_>>()
            .iter()
            .rposition(|l| l.trim().starts_with("[["))
            .unwrap_or(s);
        key.and_then(|k| key_line(header, e, k)).or(Some(s + 1))
    };
    let line = match element {
        Element::MaterialStatus { material, .. } => item("[[materials]]", material, None),
        Element::TolerablePath { material } => item("[[materials]]", material, Some("tolerable")),
        Element::Condition { item: it, .. } => match it {
            Item::Field(id) => item("[[fields]]", id, Some("when")),
            Item::Material(id) => item("[[materials]]", id, Some("when")),
            Item::Group(id) => item("[[material_groups]]", id, Some("when")),
            Item::Refusal(id) => item("[[refusals]]", id, Some("when")),
        },
        Element::Ineligible => top("applicant_kinds"),
        Element::Blocked { code } => match code.as_str() {
            "applicant_ineligible" => top("applicant_kinds"),
            "instant_matter" => top("case_type"),
            "refused_by_facts" => top("[[refusals]]"),
            "field_problem" => top("[[fields]]"),
            _ => top("[[materials]]"),
        },
        Element::Limit { which } => top(match *which {
            "promised" => "promised_limit",
            "statutory" => "statutory_limit",
            _ => "statutory_extension",
        }),
        Element::ClockWaits => top("clock_starts"),
    };
    line.unwrap_or(1)
}

/// One version's coverage.
#[derive(Debug, Clone)]
pub struct VersionCoverage {
    /// The rule file (`matters/<id>/<version>.toml`, relative to the rules directory).
    pub source: String,
    pub version: String,
    pub elements: Vec<Element>,
    pub covered: BTreeSet<Element>,
}

impl VersionCoverage {
    pub fn uncovered(&self) -> impl Iterator<Item = &Element> {
        self.elements.iter().filter(|e| !self.covered.contains(e))
    }
}

/// Each version's elements and what the cases' answers covered of them.
pub fn coverage(
    versions: &[MatterVersion],
    runs: &[(String, BTreeSet<Element>)],
) -> Vec<VersionCoverage> {
    versions
        .iter()
        .map(|v| {
            let elements = elements(&v.rule);
            let covered = runs
                .iter()
                .filter(|(label, _)| *label == v.rule.version)
                .flat_map(|(_, c)| c.iter().cloned())
                .filter(|e| elements.contains(e))
                .collect();
            VersionCoverage {
                source: v.source.clone(),
                version: v.rule.version.clone(),
                elements,
                covered,
            }
        })
        .collect()
}
