//! Authoring: what a policy officer needs to write rules without a developer — case tables
//! (`qiquan test`), coverage by rule element, and generated cases for what no case covers.
//!
//! Native and the studio module only (feature `toml`): the page module never carries it.
//! Every sentence it prints lives here (zh first, en second); the CLI only lays it out.

pub mod coverage;
mod csv;
pub mod diff;
pub mod explain;
mod generate;
pub mod run;
pub mod table;
mod write;

use std::collections::BTreeSet;

use serde_json::Value;

pub use coverage::{Element, VersionCoverage};
pub use run::{CaseRun, Mismatch};
pub use table::{Case, CaseTable, Expect, Facts};

use crate::bundle::MatterVersion;
use crate::{Engine, Error, Submission};

impl CaseTable {
    /// Reads a table from its text: TOML, or CSV when `path` ends in `.csv`.
    pub fn parse(path: &str, text: &str) -> crate::error::Result<CaseTable> {
        if path.ends_with(".csv") {
            csv::parse(path, text)
        } else {
            CaseTable::from_toml(path, text)
        }
    }
}

/// A case table's file: its path (as printed) and its text.
#[derive(Debug, Clone)]
pub struct TableFile {
    pub path: String,
    pub text: String,
}

/// What `qiquan test` does besides running the cases.
#[derive(Debug, Clone, Default)]
pub struct TestOptions {
    /// Write the engine's answers into the expectations.
    pub bless: bool,
    /// Propose (append) one minimal case per uncovered element; a matter without a table gets one.
    pub generate: bool,
    /// Only this matter.
    pub matter: Option<String>,
    /// Where new tables go (`<rules>/cases`).
    pub cases_dir: String,
    /// Prefix of rule file paths as printed (`rules`).
    pub rules_dir: String,
}

/// One matter's tables, runs and coverage.
#[derive(Debug, Clone)]
pub struct MatterReport {
    pub matter: String,
    pub tables: Vec<String>,
    pub runs: Vec<CaseRun>,
    pub coverage: Vec<VersionCoverage>,
    /// A table that does not read, or a version whose elements could not be generated.
    pub errors: Vec<Error>,
    /// Elements `--generate` found no case for.
    pub not_generated: Vec<String>,
}

impl MatterReport {
    pub fn covered(&self) -> (usize, usize) {
        self.coverage.iter().fold((0, 0), |(c, t), v| {
            (c + v.covered.len(), t + v.elements.len())
        })
    }
}

/// The whole run.
#[derive(Debug, Clone, Default)]
pub struct TestReport {
    pub matters: Vec<MatterReport>,
    /// Files to write (`--bless`, `--generate`): path and new text.
    pub writes: Vec<(String, String)>,
    pub generated: usize,
}

impl TestReport {
    pub fn passed(&self) -> usize {
        self.runs().filter(|r| r.passed()).count()
    }

    pub fn failed(&self) -> usize {
        self.runs().filter(|r| !r.passed()).count()
    }

    fn runs(&self) -> impl Iterator<Item = &CaseRun> {
        self.matters.iter().flat_map(|m| m.runs.iter())
    }

    /// Elements covered and in all.
    pub fn covered(&self) -> (usize, usize) {
        self.matters.iter().fold((0, 0), |(c, t), m| {
            let (mc, mt) = m.covered();
            (c + mc, t + mt)
        })
    }

    /// The lowest coverage of any matter, in percent (a matter without a table: 0).
    pub fn min_coverage(&self) -> f64 {
        self.matters
            .iter()
            .map(|m| percent(m.covered()))
            .fold(100.0, f64::min)
    }

    pub fn errors(&self) -> usize {
        self.matters.iter().map(|m| m.errors.len()).sum()
    }
}

fn percent((covered, total): (usize, usize)) -> f64 {
    if total == 0 {
        100.0
    } else {
        covered as f64 * 100.0 / total as f64
    }
}

/// Runs every table against `engine`, computes coverage per matter (from `sources`, the rule
/// files, for line numbers), and with the options blesses or generates.
pub fn test(
    engine: &Engine,
    sources: &[crate::SourceFile],
    tables: &[TableFile],
    options: &TestOptions,
) -> TestReport {
    let mut report = TestReport::default();
    let mut parsed: Vec<(usize, Result<CaseTable, Error>)> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| (i, CaseTable::parse(&t.path, &t.text)))
        .collect();
    let mut ids: Vec<String> = engine.matters().into_iter().map(|m| m.id).collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        if options.matter.as_ref().is_some_and(|m| *m != id) {
            continue;
        }
        let Some(Ok(versions)) = engine.bundle().versions(&id) else {
            continue;
        };
        let mut matter = MatterReport {
            matter: id.clone(),
            tables: Vec::new(),
            runs: Vec::new(),
            coverage: Vec::new(),
            errors: Vec::new(),
            not_generated: Vec::new(),
        };
        let mut covered: Vec<(String, BTreeSet<Element>)> = Vec::new();
        for (i, table) in &mut parsed {
            let file = &tables[*i];
            let t = match table {
                Ok(t) if t.matter == id => t,
                Ok(_) => continue,
                Err(e) => {
                    // Reported once, with the first matter whose name the file carries.
                    if file.path.contains(&id) {
                        matter.errors.push(e.clone());
                        matter.tables.push(file.path.clone());
                    }
                    continue;
                }
            };
            matter.tables.push(file.path.clone());
            let runs = run::run_table(engine, t, &file.path, &file.text);
            for r in &runs {
                covered.extend(exercised(engine, &id, versions, r));
            }
            if options.bless {
                let expects: Vec<Expect> = (t.cases.iter().zip(&runs))
                    .map(|(case, r)| match (&r.verdict, &r.bytes) {
                        (Some(v), Some(b)) => run::expectations_of(v, b, case.expect.strict),
                        _ => case.expect.clone(),
                    })
                    .collect();
                let text = if file.path.ends_with(".csv") {
                    csv::bless(&file.text, &expects)
                } else {
                    write::bless(&file.text, &expects)
                };
                if text != file.text {
                    report.writes.push((file.path.clone(), text));
                }
            }
            matter.runs.extend(runs);
        }
        if options.generate {
            let generated = generate_for(
                engine,
                versions,
                &id,
                &matter,
                &mut covered,
                tables,
                options,
            );
            if let Some((path, text, count, missed)) = generated {
                report.generated += count;
                matter.not_generated = missed;
                if !matter.tables.contains(&path) {
                    matter.tables.push(path.clone());
                }
                report.writes.retain(|(p, _)| *p != path);
                report.writes.push((path, text));
            }
        }
        matter.coverage = coverage::coverage(versions, &covered);
        for v in &mut matter.coverage {
            if !options.rules_dir.is_empty() {
                v.source = format!("{}/{}", options.rules_dir, v.source);
            }
        }
        let _ = sources;
        report.matters.push(matter);
    }
    report
}

/// The version a run was checked against and the elements it exercised.
fn exercised(
    engine: &Engine,
    matter: &str,
    versions: &[MatterVersion],
    run: &CaseRun,
) -> Option<(String, BTreeSet<Element>)> {
    let (verdict, submission) = (run.verdict.as_ref()?, run.submission.as_ref()?);
    let label = verdict["version"].as_str()?;
    let version = versions.iter().find(|v| v.rule.version == label)?;
    let (refusals, groups) =
        crate::check::condition_states(engine.bundle(), matter, submission).ok()?;
    Some((
        label.to_string(),
        coverage::covered_by(&version.rule, verdict, &refusals, &groups),
    ))
}

/// Appends to the matter's TOML table (or a new one) a base for each version without one and
/// a case for each uncovered element: the path, the new text, how many cases, and the elements
/// no case was found for.
fn generate_for(
    engine: &Engine,
    versions: &[MatterVersion],
    id: &str,
    matter: &MatterReport,
    covered: &mut Vec<(String, BTreeSet<Element>)>,
    tables: &[TableFile],
    options: &TestOptions,
) -> Option<(String, String, usize, Vec<String>)> {
    let existing = tables
        .iter()
        .find(|t| matter.tables.contains(&t.path) && !t.path.ends_with(".csv"));
    let (path, mut text) = match existing {
        Some(t) => (t.path.clone(), t.text.clone()),
        None => (
            format!("{}/{id}.toml", options.cases_dir),
            format!(
                "# 案例表：{id}（qiquan test --generate 生成；请核对每个案例的期望是否符合法规）\n# Case table for {id} (generated; check each expectation against the regulation)\nmatter = \"{id}\"\n"
            ),
        ),
    };
    let mut table = CaseTable::parse(&path, &text).ok()?;
    let mut added = 0;
    let mut missed = Vec::new();
    for version in versions {
        let label = version.rule.version.clone();
        let base_label = match base_for(engine, &table, version) {
            Some(b) => b,
            None => {
                let base = generate::synth_base(version);
                text.push_str(&format!(
                    "\n# 基准：版本 {label} 的完整申请（生成，请核对）/ base: a complete application under version {label}\n{}",
                    write::base_block(&base)
                ));
                table.base.push(base);
                Some(label.clone())
            }
        };
        let base_label =
            base_label.filter(|_| table.base.len() > 1 || table.base[0].version.is_some());
        let all = coverage::elements(&version.rule);
        for element in all {
            let done = covered
                .iter()
                .any(|(l, c)| *l == label && c.contains(&element));
            if done {
                continue;
            }
            match generate::find_case(engine, &table, base_label.as_deref(), version, &element) {
                Some(case) => {
                    if let Some((c, _, _)) = generate::exercise(engine, &table, &case, version) {
                        covered.push((label.clone(), c));
                    }
                    text.push('\n');
                    text.push_str(&write::case_block(&case));
                    table.cases.push(case);
                    added += 1;
                }
                None => missed.push(format!("{label}: {}", element.uncovered().zh)),
            }
        }
    }
    Some((path, text, added, missed))
}

/// The label of a base of `table` whose application falls under `version` (`Some(None)`: the
/// first base, unlabelled), or `None` when no base does.
fn base_for(engine: &Engine, table: &CaseTable, version: &MatterVersion) -> Option<Option<String>> {
    table.base.iter().enumerate().find_map(|(i, base)| {
        let case = Case {
            base: base.version.clone(),
            ..Case::default()
        };
        if i > 0 && base.version.is_none() {
            return None;
        }
        let json = table.submission(&case).to_string();
        let submission: Submission = crate::parse_json(&json, "submission").ok()?;
        let verdict = engine
            .check(&table.matter, &submission, &crate::CheckOptions::default())
            .ok()?;
        (verdict.version == version.rule.version).then(|| base.version.clone())
    })
}

/// The report as people read it: failures explained (zh, then en), coverage gaps as
/// `path:line: …`, and the totals.
pub fn render(report: &TestReport, sources: &[crate::SourceFile], rules_dir: &str) -> String {
    let mut out = String::new();
    let source_text = |path: &str| {
        let relative = path
            .strip_prefix(rules_dir)
            .map_or(path, |p| p.trim_start_matches('/'));
        sources
            .iter()
            .find(|s| s.path == relative)
            .map_or("", |s| s.text.as_str())
    };
    for m in &report.matters {
        for e in &m.errors {
            out.push_str(&format!(
                "✗ {}\n  {}\n  {}\n  {}\n",
                e.at.as_deref().unwrap_or(""),
                e.message.zh,
                e.message.en,
                e.details.join("; ")
            ));
        }
        for r in m.runs.iter().filter(|r| !r.passed()) {
            out.push_str(&format!("✗ {} 「{}」 FAILED\n", r.at, r.name));
            if let Some(e) = &r.error {
                out.push_str(&format!(
                    "  引擎拒绝了这个案例：{}\n  the engine refused the case: {}\n",
                    e.message.zh, e.message.en
                ));
            }
            for mm in &r.mismatches {
                out.push_str(&format!(
                    "  {}：期望 {}，引擎给出 {}\n  {}: expected {}, the engine said {}\n",
                    mm.what.zh, mm.expected, mm.got, mm.what.en, mm.expected, mm.got
                ));
                for why in &mm.why {
                    out.push_str(&format!("    原因：{}\n    because: {}\n", why.zh, why.en));
                }
            }
        }
        let (c, t) = m.covered();
        if m.tables.is_empty() {
            out.push_str(&format!(
                "✗ {}: 没有案例表（{}/cases/{}.toml）；覆盖 0/{t} / no case table: coverage 0/{t}\n",
                m.matter, rules_dir, m.matter
            ));
        } else {
            out.push_str(&format!(
                "{}: {} 个案例，覆盖 {c}/{t}（{:.1}%） / {} cases, coverage {c}/{t} ({:.1}%)\n",
                m.matter,
                m.runs.len(),
                percent((c, t)),
                m.runs.len(),
                percent((c, t))
            ));
        }
        if m.tables.is_empty() {
            continue;
        }
        for v in &m.coverage {
            let text = source_text(&v.source);
            for e in v.uncovered() {
                let words = e.uncovered();
                out.push_str(&format!(
                    "{}:{}: {} — {}\n",
                    v.source,
                    coverage::line_of(text, e),
                    words.en,
                    words.zh
                ));
            }
        }
        for missed in &m.not_generated {
            out.push_str(&format!(
                "  无法自动生成 / no case found for: {}: {missed}\n",
                m.matter
            ));
        }
    }
    let (c, t) = report.covered();
    let without: Vec<&str> = (report.matters.iter())
        .filter(|m| m.tables.is_empty())
        .map(|m| m.matter.as_str())
        .collect();
    out.push_str(&format!(
        "覆盖率（按规则要素）{c}/{t}（{:.1}%），最低的事项 {:.1}% / element coverage {c}/{t} ({:.1}%), lowest matter {:.1}%\n",
        percent((c, t)),
        report.min_coverage(),
        percent((c, t)),
        report.min_coverage()
    ));
    if !without.is_empty() {
        out.push_str(&format!(
            "没有案例表的事项 / matters without a case table: {}\n",
            without.join(", ")
        ));
    }
    if report.generated > 0 {
        out.push_str(&format!(
            "已生成 {} 个案例，请逐一核对期望 / generated {} cases: check each expectation\n",
            report.generated, report.generated
        ));
    }
    out.push_str(&format!(
        "通过 {} 个，失败 {} 个\n{} passed, {} failed\n",
        report.passed(),
        report.failed(),
        report.passed(),
        report.failed()
    ));
    out
}

/// The verdict JSON of a run (for callers that show it).
pub fn verdict_of(run: &CaseRun) -> Option<&Value> {
    run.verdict.as_ref()
}
