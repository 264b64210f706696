//! Running a case table: each case's submission checked by the engine, its expectations
//! compared with the answer, and every difference explained with the engine's own words and the
//! article behind them.

use serde_json::Value;

use super::table::{Case, CaseTable, Expect};
use crate::model::{MatterFile, Text};
use crate::submission::Submission;
use crate::{CheckOptions, Engine, Error};

/// One expectation the engine did not meet.
#[derive(Debug, Clone)]
pub struct Mismatch {
    /// Which expectation (`outcome`, `findings`, …) in words.
    pub what: Text,
    pub expected: String,
    pub got: String,
    /// Why the engine answered so: the differing items' explanations, with their basis.
    pub why: Vec<Text>,
}

/// One case run.
#[derive(Debug, Clone)]
pub struct CaseRun {
    pub name: String,
    /// Where the case starts in its table (`path:line`).
    pub at: String,
    /// The verdict as JSON, when the engine answered.
    pub verdict: Option<Value>,
    /// The verdict's exact bytes (what `strict` compares by digest).
    pub bytes: Option<String>,
    /// The submission the case made (for coverage: conditions the verdict does not carry).
    pub submission: Option<Submission>,
    pub error: Option<Error>,
    pub mismatches: Vec<Mismatch>,
}

impl CaseRun {
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.mismatches.is_empty()
    }
}

use crate::messages::text;

/// Runs every case of a table. `path` and `source` locate each case (`path:line`).
pub fn run_table(engine: &Engine, table: &CaseTable, path: &str, source: &str) -> Vec<CaseRun> {
    let lines = case_lines(path, source);
    table
        .cases
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let at = lines
                .get(i)
                .map_or_else(|| path.to_string(), |l| format!("{path}:{l}"));
            run_case(engine, table, case, at)
        })
        .collect()
}

/// The line each case starts on: the `[[case]]` headers of a TOML table, the rows of a CSV.
pub(crate) fn case_lines(path: &str, source: &str) -> Vec<usize> {
    if path.ends_with(".csv") {
        return super::csv::row_lines(source);
    }
    source
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim() == "[[case]]")
        .map(|(i, _)| i + 1)
        .collect()
}

/// Runs one case.
pub fn run_case(engine: &Engine, table: &CaseTable, case: &Case, at: String) -> CaseRun {
    let mut run = CaseRun {
        name: case.name.clone(),
        at,
        verdict: None,
        bytes: None,
        submission: None,
        error: None,
        mismatches: Vec::new(),
    };
    if case.base.is_some() && table.base_of(case).is_none() {
        run.error = Some(Error::new(
            crate::ErrorCode::RulesInvalid,
            format!(
                "案例“{}”指定的基准 {:?} 在表中不存在。",
                case.name,
                case.base.as_deref().unwrap_or("")
            ),
            format!(
                "Case “{}” names the base {:?}, which the table lacks.",
                case.name,
                case.base.as_deref().unwrap_or("")
            ),
        ));
        return run;
    }
    let json = table.submission(case).to_string();
    let answer = crate::parse_json::<Submission>(&json, "submission").and_then(|submission| {
        let verdict = engine.check(&table.matter, &submission, &CheckOptions::default())?;
        Ok((submission, verdict))
    });
    match answer {
        Err(error) => run.error = Some(error),
        Ok((submission, verdict)) => {
            let bytes = crate::to_pretty_json(&verdict);
            let value: Value = serde_json::from_str(&bytes).unwrap_or_default();
            let rule = engine
                .matter(&table.matter, verdict.received_at.get(..10))
                .ok();
            run.mismatches = compare(&case.expect, &value, &bytes, rule);
            run.verdict = Some(value);
            run.bytes = Some(bytes);
            run.submission = Some(submission);
        }
    }
    run
}

/// The expectations a verdict meets, written out: what `--bless` stores.
pub fn expectations_of(verdict: &Value, bytes: &str, strict: bool) -> Expect {
    let blocked = blocked_by(verdict);
    // Due dates only where they are real: on an acceptance.
    let accepted = verdict["deadlines"]["basis"] == "accepted";
    let date = |key| accepted.then(|| due(verdict, key));
    Expect {
        outcome: verdict["outcome"].as_str().map(str::to_string),
        findings: Some(findings(verdict)),
        notice: verdict["notice"]["kind"].as_str().map(str::to_string),
        promised_due: date("promised_due"),
        statutory_due: date("statutory_due"),
        pledge_due: date("pledge_due").filter(|d| d != "none"),
        blocked_by: (!blocked.is_empty()).then_some(blocked),
        strict,
        digest: strict.then(|| crate::verdict_digest(bytes)),
    }
}

fn findings(verdict: &Value) -> Vec<String> {
    let mut all: Vec<String> = verdict["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            format!(
                "{}:{}",
                f["code"].as_str().unwrap_or(""),
                f["target"]["id"].as_str().unwrap_or("")
            )
        })
        .collect();
    all.sort();
    all
}

fn due(verdict: &Value, key: &str) -> String {
    verdict["deadlines"][key]
        .as_str()
        .map_or_else(|| "none".to_string(), str::to_string)
}

fn blocked_by(verdict: &Value) -> Vec<String> {
    verdict["pledge"]["blocked_by"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b.as_str().map(str::to_string))
        .collect()
}

/// Each expectation the verdict does not meet, explained.
fn compare(
    expect: &Expect,
    verdict: &Value,
    bytes: &str,
    rule: Option<&MatterFile>,
) -> Vec<Mismatch> {
    let mut out = Vec::new();
    if let Some(want) = &expect.outcome {
        let got = verdict["outcome"].as_str().unwrap_or("");
        if want != got {
            out.push(Mismatch {
                what: text("结论", "outcome"),
                expected: want.clone(),
                got: got.to_string(),
                why: why_outcome(verdict),
            });
        }
    }
    if let Some(want) = &expect.findings {
        let got = findings(verdict);
        let mut want_sorted = want.clone();
        want_sorted.sort();
        if want_sorted != got {
            let mut why = Vec::new();
            for absent in want_sorted.iter().filter(|w| !got.contains(w)) {
                why.push(why_absent(absent, verdict, rule));
            }
            for extra in got.iter().filter(|g| !want_sorted.contains(g)) {
                why.extend(why_finding(extra, verdict));
            }
            out.push(Mismatch {
                what: text("问题清单", "findings"),
                expected: want_sorted.join(" "),
                got: got.join(" "),
                why,
            });
        }
    }
    if let Some(want) = &expect.notice {
        let got = verdict["notice"]["kind"].as_str().unwrap_or("");
        if want != got {
            out.push(Mismatch {
                what: text("文书种类", "notice kind"),
                expected: want.clone(),
                got: got.to_string(),
                why: why_outcome(verdict),
            });
        }
    }
    for (key, want, zh, en) in [
        (
            "promised_due",
            &expect.promised_due,
            "承诺办结日",
            "promised due date",
        ),
        (
            "statutory_due",
            &expect.statutory_due,
            "法定办结日",
            "statutory due date",
        ),
        (
            "pledge_due",
            &expect.pledge_due,
            "容缺补齐日",
            "pledge due date",
        ),
    ] {
        let Some(want) = want else { continue };
        let got = due(verdict, key);
        if *want != got {
            out.push(Mismatch {
                what: text(zh, en),
                expected: want.clone(),
                got,
                why: why_dates(verdict, rule),
            });
        }
    }
    if let Some(want) = &expect.blocked_by {
        let got = blocked_by(verdict);
        if *want != got {
            let mut why = why_finding(&"pledge_not_allowed:pledge".to_string(), verdict);
            if why.is_empty() {
                why = why_outcome(verdict);
            }
            out.push(Mismatch {
                what: text("不能容缺的原因", "pledge blocked by"),
                expected: want.join(" "),
                got: got.join(" "),
                why,
            });
        }
    }
    if expect.strict {
        let got = crate::verdict_digest(bytes);
        if expect.digest.as_deref() != Some(got.as_str()) {
            out.push(Mismatch {
                what: text("整份结论（逐字节）", "the whole verdict (byte for byte)"),
                expected: expect.digest.clone().unwrap_or_default(),
                got,
                why: vec![text(
                    "结论的字节变了；确认新结论无误后运行 qiquan test --bless 更新摘要。",
                    "The verdict's bytes changed; once the new verdict is right, run qiquan test --bless to store its digest.",
                )],
            });
        }
    }
    out
}

/// Why the outcome: every finding in the engine's words with its basis, or that there is none.
fn why_outcome(verdict: &Value) -> Vec<Text> {
    let all = verdict["findings"].as_array().cloned().unwrap_or_default();
    if all.is_empty() {
        return vec![text(
            "引擎没有发现任何问题：所需材料和填报项齐全、有效。",
            "The engine found no problem: every required material and field is in order.",
        )];
    }
    all.iter().map(explain_finding).collect()
}

fn explain_finding(f: &Value) -> Text {
    let basis = f["basis"].as_str().unwrap_or("");
    text(
        format!(
            "{}（依据：{basis}）",
            f["message"]["zh"].as_str().unwrap_or("")
        ),
        format!(
            "{} (basis: {basis})",
            f["message"]["en"].as_str().unwrap_or("")
        ),
    )
}

fn why_finding(code_target: &String, verdict: &Value) -> Vec<Text> {
    verdict["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| {
            format!(
                "{}:{}",
                f["code"].as_str().unwrap_or(""),
                f["target"]["id"].as_str().unwrap_or("")
            ) == *code_target
        })
        .map(explain_finding)
        .collect()
}

fn applies_words(applies: &Value) -> (&'static str, &'static str) {
    match applies {
        Value::Bool(true) => (
            "须提交（条件成立或无条件）",
            "required (its condition holds, or it has none)",
        ),
        Value::Bool(false) => (
            "不需要（适用条件不成立）",
            "not required (its condition does not hold)",
        ),
        _ => (
            "是否需要尚不确定（条件所依据的填报项未填）",
            "undecided (its condition waits on a field not answered)",
        ),
    }
}

/// Why an expected finding is absent: the item's state as the engine saw it.
fn why_absent(code_target: &str, verdict: &Value, rule: Option<&MatterFile>) -> Text {
    let id = code_target.split_once(':').map_or("", |(_, t)| t);
    let material = verdict["checklist"]["materials"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["id"] == id);
    if let Some(m) = material {
        let basis = rule
            .and_then(|r| r.materials.iter().find(|x| x.id == id))
            .map_or("", |x| x.basis.as_str());
        let name = rule
            .and_then(|r| r.materials.iter().find(|x| x.id == id))
            .map_or_else(|| id.to_string(), |x| x.name.zh.clone());
        let (zh, en) = applies_words(&m["applies"]);
        return text(
            format!(
                "期望的“{code_target}”没有出现：材料“{name}”{zh}，提交状态为 {}，{}（依据：{basis}）",
                m["status"].as_str().unwrap_or(""),
                if m["ok"] == true {
                    "引擎认为没有问题"
                } else {
                    "引擎认为有问题"
                }
            ),
            format!(
                "The expected “{code_target}” is absent: material {id} is {en}, status {}, {} (basis: {basis})",
                m["status"].as_str().unwrap_or(""),
                if m["ok"] == true {
                    "the engine finds it in order"
                } else {
                    "the engine finds a problem"
                }
            ),
        );
    }
    let field = verdict["checklist"]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|m| m["id"] == id);
    if let Some(f) = field {
        let (zh, en) = applies_words(&f["applies"]);
        let zh = zh.replace("须提交", "须填写").replace("不需要", "不需填写");
        return text(
            format!(
                "期望的“{code_target}”没有出现：填报项 {id} {zh}，{}",
                if f["ok"] == true {
                    "填写有效"
                } else {
                    "填写有误"
                }
            ),
            format!(
                "The expected “{code_target}” is absent: field {id} is {en}, {}",
                if f["ok"] == true {
                    "its value is valid"
                } else {
                    "its value is invalid"
                }
            ),
        );
    }
    text(
        format!("期望的“{code_target}”没有出现，引擎也没有名为 {id} 的填报项或材料。"),
        format!(
            "The expected “{code_target}” is absent; the engine has no field or material {id}."
        ),
    )
}

/// Why the dates: how the engine counted them.
fn why_dates(verdict: &Value, rule: Option<&MatterFile>) -> Vec<Text> {
    let d = &verdict["deadlines"];
    let basis = d["basis"].as_str().unwrap_or("");
    let (basis_zh, basis_en) = if basis == "accepted" {
        ("已受理", "accepted")
    } else {
        (
            "未受理，日期按“如当天受理”假设计算",
            "not accepted: dates as if accepted on receipt",
        )
    };
    let limits = rule.map_or_else(String::new, |r| {
        format!(
            "承诺时限 {} {}，法定时限 {} {}",
            r.promised_limit.value,
            unit_zh(r.promised_limit.unit),
            r.statutory_limit.value,
            unit_zh(r.statutory_limit.unit)
        )
    });
    vec![text(
        format!(
            "{basis_zh}；收件日 {}，受理日 {}，{limits}；承诺时限起算：{}（起算日不计入，民法典第二百零一条）。运行 qiquan explain 可看逐日计数。",
            d["received_on"].as_str().unwrap_or(""),
            d["accepted_on"].as_str().unwrap_or(""),
            d["clock_starts"]["promised"].as_str().unwrap_or("")
        ),
        format!(
            "{basis_en}; received {}, accepted {}; the promised clock starts at {} (the start day is not counted, Civil Code §201). qiquan explain shows the count day by day.",
            d["received_on"].as_str().unwrap_or(""),
            d["accepted_on"].as_str().unwrap_or(""),
            d["clock_starts"]["promised"].as_str().unwrap_or("")
        ),
    )]
}

pub(crate) fn unit_zh(unit: crate::model::LimitUnit) -> &'static str {
    match unit {
        crate::model::LimitUnit::WorkingDays => "个工作日",
        crate::model::LimitUnit::NaturalDays => "日",
        crate::model::LimitUnit::OnTheSpot => "（当场）",
    }
}
