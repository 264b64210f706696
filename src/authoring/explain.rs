//! `qiquan explain`: why a check came out as it did, as an ordered trace — the version chosen
//! and why, eligibility, each field, each condition with its operands and three-valued result,
//! each material, the row of the decision that fired with its article, the pledge, and the
//! promised limit counted day by day (weekends, holidays by name, pauses by procedure).
//!
//! **Bounded by the rule, not the input**: one step per rule item, a condition's nodes as in
//! the rule, values read clipped, and runs of days that do not count folded into one line, so
//! the count has at most `2 × limit + 1` lines. The register can keep it with every decision.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::Value;

use crate::calendar::{DayKind, clip, format_date, parse_date};
use crate::check::trace::{CondTrace, Traces};
use crate::model::{LimitUnit, MatterFile, Text};
use crate::submission::Submission;
use crate::verdict::Applies;
use crate::{CheckOptions, Engine, Result};

/// One step of the trace.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    /// `version`, `acceptance_day`, `eligibility`, `field`, `refusal`, `group`, `material`,
    /// `decision`, `pledge`, `deadlines`, `day`.
    pub step: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub says: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<CondTrace>,
}

/// The whole trace.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub matter: String,
    pub version: String,
    pub outcome: String,
    pub steps: Vec<Step>,
}

use crate::messages::text as t;

fn step(step: &'static str, id: Option<&str>, says: Text) -> Step {
    Step {
        step,
        id: id.map(str::to_string),
        says,
        basis: None,
        condition: None,
    }
}

fn applies_words(a: Applies) -> (&'static str, &'static str) {
    match a {
        Applies::Yes => ("成立", "holds"),
        Applies::No => ("不成立", "does not hold"),
        Applies::Unknown => ("未知", "unknown"),
    }
}

/// Most characters of a value a trace repeats.
const VALUE_CHARS: usize = 40;

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => clip_to(s),
        Value::Null => "（未填）".into(),
        other => clip_to(&other.to_string()),
    }
}

fn clip_to(s: &str) -> String {
    let mut out: String = s.chars().take(VALUE_CHARS).collect();
    if s.chars().count() > VALUE_CHARS {
        out.push('…');
    }
    out
}

/// Explains a check of `submission`.
pub fn explain(
    engine: &Engine,
    matter: &str,
    submission: &Submission,
    options: &CheckOptions,
) -> Result<Explanation> {
    let verdict = engine.check(matter, submission, options)?;
    let v: Value = serde_json::from_str(&crate::to_pretty_json(&verdict)).unwrap_or_default();
    let traces = crate::check::trace::conditions(engine.bundle(), matter, submission, options)?;
    let rule = engine.matter(matter, v["deadlines"]["received_on"].as_str())?;
    let mut steps = Vec::new();
    version_steps(engine, matter, rule, &v, &mut steps);
    eligibility_step(rule, submission, &mut steps);
    field_steps(rule, &v, &traces, &mut steps);
    condition_steps(rule, &v, &traces, &mut steps);
    material_steps(rule, &v, &traces, &mut steps);
    decision_steps(&v, &mut steps);
    deadline_steps(engine, rule, submission, &v, &mut steps);
    Ok(Explanation {
        matter: matter.to_string(),
        version: rule.version.clone(),
        outcome: v["outcome"].as_str().unwrap_or("").to_string(),
        steps,
    })
}

/// JSON in, the trace's JSON out (the studio module's `explain`).
pub fn explain_json(
    engine: &Engine,
    matter: &str,
    submission_json: &str,
    options_json: Option<&str>,
) -> Result<String> {
    let (submission, options) = crate::parse_check_input(submission_json, options_json)?;
    Ok(crate::to_pretty_json(&explain(
        engine,
        matter,
        &submission,
        &options,
    )?))
}

fn version_steps(engine: &Engine, matter: &str, rule: &MatterFile, v: &Value, out: &mut Vec<Step>) {
    let received = v["deadlines"]["received_on"].as_str().unwrap_or("");
    let until = rule.effective_until.as_deref();
    let others: Vec<String> = engine
        .bundle()
        .versions(matter)
        .and_then(|r| r.ok())
        .into_iter()
        .flatten()
        .filter(|o| o.rule.version != rule.version)
        .map(|o| {
            format!(
                "{}（{} – {}）",
                o.rule.version,
                o.rule.effective_from,
                o.rule.effective_until.as_deref().unwrap_or("")
            )
        })
        .collect();
    let (others_zh, others_en) = if others.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!("；其他版本：{}", others.join("、")),
            format!("; other versions: {}", others.join(", ")),
        )
    };
    out.push(step(
        "version",
        Some(&rule.version),
        t(
            format!(
                "收件日 {received}（中国时间）在版本 {} 的施行期间（{} 起{}）内，按该版本审查{others_zh}",
                rule.version,
                rule.effective_from,
                until.map_or(String::new(), |u| format!("，至 {u}"))
            ),
            format!(
                "Received on {received} (China time), within version {}'s period (from {}{}): checked against it{others_en}",
                rule.version,
                rule.effective_from,
                until.map_or(String::new(), |u| format!(" to {u}"))
            ),
        ),
    ));
    let d = &v["deadlines"];
    out.push(step(
        "acceptance_day",
        None,
        t(
            format!(
                "渠道 {}：收件日 {}，受理日（如受理）{}{}",
                v["channel"].as_str().unwrap_or(""),
                received,
                d["accepted_on"].as_str().unwrap_or(""),
                d["online_cutoff"]
                    .as_str()
                    .map_or(String::new(), |c| format!("（网上申请截止时间 {c}）"))
            ),
            format!(
                "Channel {}: received {}, accepted (if accepted) on {}{}",
                v["channel"].as_str().unwrap_or(""),
                received,
                d["accepted_on"].as_str().unwrap_or(""),
                d["online_cutoff"]
                    .as_str()
                    .map_or(String::new(), |c| format!(" (online cut-off {c})"))
            ),
        ),
    ));
}

fn eligibility_step(rule: &MatterFile, submission: &Submission, out: &mut Vec<Step>) {
    let kind = submission.applicant.kind;
    let served = rule.applicant_kinds.contains(&kind);
    let kinds: Vec<String> = rule.applicant_kinds.iter().map(|k| k.label().zh).collect();
    let mut s = step(
        "eligibility",
        None,
        t(
            format!(
                "申请人为{}，服务对象为{}：{}{}",
                kind.label().zh,
                kinds.join("、"),
                if served {
                    "属于服务对象"
                } else {
                    "不属于服务对象"
                },
                if submission.applicant.bad_credit {
                    "；有未修复的失信记录"
                } else {
                    ""
                }
            ),
            format!(
                "Applicant kind: {}; the matter serves {} kind(s): {}{}",
                kind.label().en,
                rule.applicant_kinds.len(),
                if served { "served" } else { "not served" },
                if submission.applicant.bad_credit {
                    "; an unrepaired bad-credit record"
                } else {
                    ""
                }
            ),
        ),
    );
    s.basis = Some(rule.legal_basis.clone());
    out.push(s);
}

fn finding_for<'a>(v: &'a Value, kind: &str, id: &str) -> Option<&'a Value> {
    v["findings"]
        .as_array()?
        .iter()
        .find(|f| f["target"]["kind"] == kind && f["target"]["id"] == id)
}

fn applies_of(value: &Value) -> Applies {
    match value {
        Value::Bool(true) => Applies::Yes,
        Value::Bool(false) => Applies::No,
        _ => Applies::Unknown,
    }
}

fn field_steps(rule: &MatterFile, v: &Value, traces: &Traces, out: &mut Vec<Step>) {
    let states = v["checklist"]["fields"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for ((field, state), cond) in rule.fields.iter().zip(&states).zip(&traces.fields) {
        let applies = applies_of(&state["applies"]);
        let read = state.get("normalized").filter(|n| !n.is_null());
        let problem = finding_for(v, "field", &field.id);
        let (zh, en) = match (applies, problem) {
            (Applies::No, _) => ("不适用，无需填写".to_string(), "does not apply".to_string()),
            (Applies::Unknown, _) => (
                "是否需要填写尚未确定".to_string(),
                "whether it applies is undecided".to_string(),
            ),
            (Applies::Yes, Some(f)) => (
                f["message"]["zh"].as_str().unwrap_or("").to_string(),
                f["message"]["en"].as_str().unwrap_or("").to_string(),
            ),
            (Applies::Yes, None) => (
                format!(
                    "已填，有效{}",
                    read.map_or(String::new(), |n| format!("（按 {} 读取）", shown(n)))
                ),
                format!(
                    "answered, valid{}",
                    read.map_or(String::new(), |n| format!(" (read as {})", shown(n)))
                ),
            ),
        };
        let mut s = step(
            "field",
            Some(&field.id),
            t(
                format!("填报项“{}”：{zh}", clip(&field.label.zh)),
                format!("Field “{}”: {en}", clip(&field.label.en)),
            ),
        );
        s.condition = cond.clone();
        out.push(s);
    }
}

fn condition_steps(rule: &MatterFile, v: &Value, traces: &Traces, out: &mut Vec<Step>) {
    for (refusal, cond) in rule.refusals.iter().zip(&traces.refusals) {
        let (zh, en) = applies_words(cond.result);
        let mut s = step(
            "refusal",
            Some(&refusal.id),
            t(
                format!("不予受理情形“{}”：{zh}", clip(&refusal.reason.zh)),
                format!("Refusal “{}”: {en}", clip(&refusal.reason.en)),
            ),
        );
        s.basis = Some(refusal.basis.clone());
        s.condition = Some(cond.clone());
        out.push(s);
    }
    for (group, cond) in rule.material_groups.iter().zip(&traces.groups) {
        let unsatisfied = finding_for(v, "group", &group.id).is_some()
            || v["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|f| f["target"]["id"] == group.id.as_str());
        let mut s = step(
            "group",
            Some(&group.id),
            t(
                format!(
                    "材料组“{}”（{} 项中至少 {} 项）：{}",
                    clip(&group.name.zh),
                    group.members.len(),
                    group.at_least,
                    if unsatisfied {
                        "未满足"
                    } else {
                        "满足或不需要"
                    }
                ),
                format!(
                    "Group “{}” (at least {} of {}): {}",
                    clip(&group.name.en),
                    group.at_least,
                    group.members.len(),
                    if unsatisfied {
                        "not satisfied"
                    } else {
                        "satisfied or not required"
                    }
                ),
            ),
        );
        s.basis = Some(group.basis.clone());
        s.condition = cond.clone();
        out.push(s);
    }
}

fn material_steps(rule: &MatterFile, v: &Value, traces: &Traces, out: &mut Vec<Step>) {
    let states = v["checklist"]["materials"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for ((m, state), cond) in rule.materials.iter().zip(&states).zip(&traces.materials) {
        let applies = applies_of(&state["applies"]);
        let required = match applies {
            Applies::Yes if state.get("group").is_some() => {
                ("属材料组，按组审查", "in a group: checked as the group")
            }
            Applies::Yes if cond.is_some() => {
                ("须提交（条件成立）", "required (its condition holds)")
            }
            Applies::Yes => ("须提交", "required"),
            Applies::No => (
                "不需要（条件不成立）",
                "not required (its condition does not hold)",
            ),
            Applies::Unknown => (
                "是否需要尚未确定（条件所依据的填报项未填）",
                "undecided (its condition waits on a field)",
            ),
        };
        let kind = match (m.key, m.tolerable) {
            (true, _) => ("主件", "key"),
            (false, true) => ("非主件，可容缺", "non-key, tolerable"),
            (false, false) => ("非主件，不可容缺", "non-key, not tolerable"),
        };
        let status = state["status"].as_str().unwrap_or("");
        let problem = v["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["target"]["kind"] == "material" && f["target"]["id"] == m.id.as_str());
        let (pzh, pen) = problem.map_or_else(
            || ("无问题".to_string(), "in order".to_string()),
            |f| {
                (
                    f["message"]["zh"].as_str().unwrap_or("").to_string(),
                    f["message"]["en"].as_str().unwrap_or("").to_string(),
                )
            },
        );
        let mut s = step(
            "material",
            Some(&m.id),
            t(
                format!(
                    "材料“{}”：{}；{}；提交状态 {status}；{pzh}",
                    clip(&m.name.zh),
                    required.0,
                    kind.0
                ),
                format!(
                    "Material “{}”: {}; {}; status {status}; {pen}",
                    clip(&m.name.en),
                    required.1,
                    kind.1
                ),
            ),
        );
        s.basis = Some(m.basis.clone());
        s.condition = cond.clone();
        out.push(s);
    }
}

/// The row of the decision (check/mod.rs's rules 1–5) that fired, with its source.
fn decision_steps(v: &Value, out: &mut Vec<Step>) {
    let findings = v["findings"].as_array().cloned().unwrap_or_default();
    let has = |pred: &dyn Fn(&Value) -> bool| findings.iter().any(pred);
    let outcome = v["outcome"].as_str().unwrap_or("");
    let (row, zh, en, basis) = match outcome {
        "not_accepted" => (
            1,
            "申请人不属于服务对象，或符合不予受理情形 → 不予受理",
            "the applicant is not served, or a refusal by facts holds → not accepted",
            "《中华人民共和国行政许可法》第三十二条第一款第一项、第二项",
        ),
        "accept" => (
            5,
            "填报项和所需材料齐全、有效 → 受理",
            "every field and required material is in order → accepted",
            "《中华人民共和国行政许可法》第三十二条第一款第五项",
        ),
        "accept_with_pledge" => (
            4,
            "只有可容缺的非主件缺失或有误，已签署信用承诺，申请人和事项均可适用容缺 → 容缺受理",
            "only tolerable non-key materials are outstanding, the pledge is signed and allowed → accepted on a credit pledge",
            "各地容缺受理办法（如济南、西安、台州）；国办发〔2019〕35号",
        ),
        _ if has(&|f| {
            matches!(f["code"].as_str(), Some("field_missing" | "field_invalid"))
                || f["key"] == true
        }) =>
        {
            (
                2,
                "填报项缺失或有误，或主件缺失、有误 → 补正，一次性告知",
                "a field is missing or invalid, or a key material is missing or flawed → correction, told at once",
                "《中华人民共和国行政许可法》第三十二条第一款第四项",
            )
        }
        _ if has(&|f| f["tolerable"] == false) => (
            3,
            "不可容缺的非主件缺失或有误 → 补正",
            "a non-key material that may not be pledged is missing or flawed → correction",
            "《中华人民共和国行政许可法》第三十二条第一款第四项；各地容缺受理办法（核心、安全、环保类材料不得容缺）",
        ),
        _ => (
            4,
            "只有可容缺的材料缺失或有误，但未签署承诺或不能适用容缺 → 补正（如可容缺，告知可签署承诺）",
            "only tolerable materials are outstanding, but the pledge is not signed or not allowed → correction (the pledge offered where allowed)",
            "《中华人民共和国行政许可法》第三十二条第一款第四项；各地容缺受理办法",
        ),
    };
    let mut s = step(
        "decision",
        Some(outcome),
        t(
            format!("判定规则第 {row} 条：{zh}"),
            format!("Decision rule {row}: {en}"),
        ),
    );
    s.basis = Some(basis.to_string());
    out.push(s);
    let p = &v["pledge"];
    let blocked: Vec<&str> = p["blocked_by"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b.as_str())
        .collect();
    let items = p["items"].as_array().map_or(0, Vec::len);
    out.push(step(
        "pledge",
        None,
        t(
            format!(
                "容缺：{}；可容缺的缺项 {items} 项；{}{}",
                if p["would_accept"] == true {
                    "签署承诺即可容缺受理"
                } else {
                    "签署承诺不能受理"
                },
                if p["signed"] == true {
                    "已签署"
                } else {
                    "未签署"
                },
                if blocked.is_empty() {
                    String::new()
                } else {
                    format!("；不能容缺的原因：{}", blocked.join("、"))
                }
            ),
            format!(
                "Pledge: {}; {items} tolerable item(s) outstanding; {}{}",
                if p["would_accept"] == true {
                    "signing leads to acceptance"
                } else {
                    "signing would not lead to acceptance"
                },
                if p["signed"] == true {
                    "signed"
                } else {
                    "not signed"
                },
                if blocked.is_empty() {
                    String::new()
                } else {
                    format!("; blocked by: {}", blocked.join(", "))
                }
            ),
        ),
    ));
}

fn weekday_zh(d: NaiveDate) -> &'static str {
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
        [d.weekday().num_days_from_monday() as usize]
}

/// What a day is for the count, and whether it counts.
fn day_words(engine: &Engine, d: NaiveDate, paused: Option<&str>, unit: LimitUnit) -> (Text, bool) {
    let calendar = engine.bundle().calendar();
    if let Some(procedure) = paused {
        return (
            t(
                format!("中止（{procedure}，行政许可法第四十五条）"),
                format!("paused ({procedure}, §45)"),
            ),
            false,
        );
    }
    let natural = unit == LimitUnit::NaturalDays;
    match calendar.day_kind(d) {
        DayKind::Workday => (t("工作日", "working day"), true),
        DayKind::MakeUpWorkday => (t("调休上班日", "make-up working day"), true),
        DayKind::Weekend => (t("周末", "weekend"), natural),
        DayKind::Holiday => {
            let name = calendar.holiday_name(d).unwrap_or_default();
            (
                t(
                    format!("法定节假日：{}", name.zh),
                    format!("public holiday: {}", name.en),
                ),
                natural,
            )
        }
    }
}

fn deadline_steps(
    engine: &Engine,
    rule: &MatterFile,
    submission: &Submission,
    v: &Value,
    out: &mut Vec<Step>,
) {
    let d = &v["deadlines"];
    let s = |k: &str| d[k].as_str().unwrap_or("—").to_string();
    let hypothetical = d["basis"] != "accepted";
    let mut summary = step(
        "deadlines",
        None,
        t(
            format!(
                "{}受理日 {}；承诺时限 {} {}（起算：{}）→ {}；法定时限 {} {} → {}；延长后 {}；容缺补齐 {}",
                if hypothetical {
                    "（未受理：以下按“如当天受理”假设）"
                } else {
                    ""
                },
                s("accepted_on"),
                rule.promised_limit.value,
                super::run::unit_zh(rule.promised_limit.unit),
                d["clock_starts"]["promised"].as_str().unwrap_or(""),
                s("promised_due"),
                rule.statutory_limit.value,
                super::run::unit_zh(rule.statutory_limit.unit),
                s("statutory_due"),
                s("statutory_extended_due"),
                s("pledge_due")
            ),
            format!(
                "{}accepted {}; promised limit {} → {}; statutory limit {} → {}; extended {}; pledge items due {}",
                if hypothetical {
                    "(not accepted: as if accepted on receipt) "
                } else {
                    ""
                },
                s("accepted_on"),
                rule.promised_limit.value,
                s("promised_due"),
                rule.statutory_limit.value,
                s("statutory_due"),
                s("statutory_extended_due"),
                s("pledge_due")
            ),
        ),
    );
    summary.basis = Some("《中华人民共和国行政许可法》第四十二条、第四十五条；《中华人民共和国民法典》第二百零一条、第二百零三条".into());
    out.push(summary);
    let (Ok(from), Ok(due)) = (
        parse_date(d["accepted_on"].as_str().unwrap_or("")),
        parse_date(d["promised_due"].as_str().unwrap_or("")),
    ) else {
        return;
    };
    let unit = rule.promised_limit.unit;
    if unit == LimitUnit::OnTheSpot {
        return;
    }
    let pauses: Vec<(NaiveDate, NaiveDate, String)> = submission
        .pauses
        .iter()
        .filter_map(|p| {
            Some((
                parse_date(&p.from).ok()?,
                parse_date(&p.to).ok()?,
                serde_json::to_value(p.procedure)
                    .ok()?
                    .as_str()?
                    .to_string(),
            ))
        })
        .collect();
    // Days that do not count are folded into one line per run of the same kind.
    let mut count = 0;
    let mut run: Option<(NaiveDate, NaiveDate, Text)> = None;
    let mut day = from;
    while day < due {
        let Some(next) = day.succ_opt() else { break };
        day = next;
        let paused = pauses
            .iter()
            .find(|(a, b, _)| *a <= day && day <= *b)
            .map(|(_, _, p)| p.as_str());
        let (words, counts) = day_words(engine, day, paused, unit);
        if counts {
            if let Some((a, b, w)) = run.take() {
                out.push(fold(a, b, w));
            }
            count += 1;
            out.push(step(
                "day",
                Some(&format_date(day)),
                t(
                    format!(
                        "{} {}：{}，第 {count} 日",
                        format_date(day),
                        weekday_zh(day),
                        words.zh
                    ),
                    format!(
                        "{} {}: {}, day {count}",
                        format_date(day),
                        day.weekday(),
                        words.en
                    ),
                ),
            ));
        } else {
            run = match run {
                Some((a, _, w)) if w == words => Some((a, day, w)),
                Some((a, b, w)) => {
                    out.push(fold(a, b, w));
                    Some((day, day, words))
                }
                None => Some((day, day, words)),
            };
        }
    }
    if let Some((a, b, w)) = run {
        out.push(fold(a, b, w));
    }
}

fn fold(a: NaiveDate, b: NaiveDate, words: Text) -> Step {
    let span = if a == b {
        format_date(a)
    } else {
        format!("{} – {}", format_date(a), format_date(b))
    };
    step(
        "day",
        Some(&format_date(a)),
        t(
            format!("{span}：{}，不计入", words.zh),
            format!("{span}: {}, not counted", words.en),
        ),
    )
}

/// JSON in, the trace as text out (`qiquan explain`).
pub fn explain_text(
    engine: &Engine,
    matter: &str,
    submission_json: &str,
    options_json: Option<&str>,
) -> Result<String> {
    let (submission, options) = crate::parse_check_input(submission_json, options_json)?;
    Ok(render(&explain(engine, matter, &submission, &options)?))
}

/// The trace as people read it: one line per step in Chinese, then English; conditions
/// indented node by node with what they read.
pub fn render(e: &Explanation) -> String {
    let mut out = String::new();
    for (lang, pick) in [("zh", true), ("en", false)] {
        let _ = lang;
        for (i, s) in e.steps.iter().enumerate() {
            let text = if pick { &s.says.zh } else { &s.says.en };
            out.push_str(&format!("{:>3}. {text}", i + 1));
            if let Some(b) = &s.basis {
                out.push_str(if pick { "（依据：" } else { " (basis: " });
                out.push_str(b);
                out.push_str(if pick { "）" } else { ")" });
            }
            out.push('\n');
            if let Some(c) = &s.condition {
                render_condition(c, pick, 1, &mut out);
            }
        }
        out.push('\n');
    }
    out
}

fn render_condition(c: &CondTrace, zh: bool, depth: usize, out: &mut String) {
    let (rzh, ren) = applies_words(c.result);
    let read = c.read.as_ref().map_or(String::new(), |r| {
        let r = match r.as_str() {
            Some("absent") => {
                if zh {
                    "（不适用）".to_string()
                } else {
                    "(does not apply)".to_string()
                }
            }
            Some("unknown") => {
                if zh {
                    "（未定）".to_string()
                } else {
                    "(undecided)".to_string()
                }
            }
            _ => shown(r),
        };
        if zh {
            format!("，读到 {r}")
        } else {
            format!(", read {r}")
        }
    });
    let says = if zh { &c.says.zh } else { &c.says.en };
    out.push_str(&format!(
        "{}{} {says}{read} → {}\n",
        "     ".repeat(depth),
        if zh { "条件" } else { "if" },
        if zh { rzh } else { ren }
    ));
    for p in &c.parts {
        render_condition(p, zh, depth + 1, out);
    }
}
