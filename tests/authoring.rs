//! Case tables (`rules/cases/`): every shipped matter's table passes at 100% element coverage;
//! a change to a rule makes a named case fail with a Chinese explanation; `--bless` writes the
//! answers back and a CSV table reads like a TOML one.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use qiquan::authoring::{self, TableFile, TestOptions};
use qiquan::{Engine, SourceFile};

fn rules() -> Vec<SourceFile> {
    qiquan::read_rules_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).unwrap()
}

fn tables() -> Vec<TableFile> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/cases");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| TableFile {
            path: format!("rules/cases/{}", p.file_name().unwrap().to_string_lossy()),
            text: std::fs::read_to_string(&p).unwrap(),
        })
        .collect()
}

fn options() -> TestOptions {
    TestOptions {
        rules_dir: "rules".into(),
        cases_dir: "rules/cases".into(),
        ..TestOptions::default()
    }
}

#[test]
fn every_shipped_matter_has_a_table_that_passes_at_full_coverage() {
    let sources = rules();
    let engine = Engine::from_sources(&sources).unwrap();
    let report = authoring::test(&engine, &sources, &tables(), &options());
    let text = authoring::render(&report, &sources, "rules");
    assert_eq!(report.failed(), 0, "{text}");
    assert_eq!(report.errors(), 0, "{text}");
    assert!(report.passed() > 100, "{text}");
    for m in &report.matters {
        let (covered, total) = m.covered();
        assert!(!m.tables.is_empty(), "{} has no case table", m.matter);
        assert_eq!(covered, total, "{}: {text}", m.matter);
    }
    assert!(text.ends_with(&format!("{} passed, 0 failed\n", report.passed())));
}

/// The rule text with `food_safety_rules_list` no longer tolerable (容缺).
fn injected(sources: &[SourceFile]) -> Vec<SourceFile> {
    let mut sources = sources.to_vec();
    let file = sources
        .iter_mut()
        .find(|s| s.path == "matters/food_business_license/2023-12.toml")
        .unwrap();
    let start = file.text.find("id = \"food_safety_rules_list\"").unwrap();
    let end = start + file.text[start..].find("[[materials]]").unwrap();
    let block = file.text[start..end]
        .replace("tolerable = true\n", "")
        .replace(
            "pledge_period = { value = 5, unit = \"working_days\" }\n",
            "",
        );
    assert_ne!(
        block,
        file.text[start..end],
        "the injection changed nothing"
    );
    file.text.replace_range(start..end, &block);
    sources
}

#[test]
fn an_injected_rule_change_fails_a_named_case_with_a_chinese_explanation() {
    let sources = injected(&rules());
    let engine = Engine::from_sources(&sources).unwrap();
    let report = authoring::test(
        &engine,
        &sources,
        &tables(),
        &TestOptions {
            matter: Some("food_business_license".into()),
            ..options()
        },
    );
    let failed: Vec<_> = report.matters[0]
        .runs
        .iter()
        .filter(|r| !r.passed())
        .collect();
    assert_eq!(
        failed.len(),
        1,
        "{}",
        authoring::render(&report, &sources, "rules")
    );
    let run = failed[0];
    assert_eq!(
        run.name,
        "缺食品安全自查、从业人员健康管理、进货查验…，签署承诺后容缺受理（生成）｜版本 2023-12"
    );
    let outcome = &run.mismatches[0];
    assert_eq!(outcome.what.zh, "结论");
    assert_eq!(
        (outcome.expected.as_str(), outcome.got.as_str()),
        ("accept_with_pledge", "correction_required")
    );
    // Why, in the engine's words with the article.
    assert!(
        outcome
            .why
            .iter()
            .any(|w| w.zh.contains("缺少“食品安全自查")
                && w.zh
                    .contains("依据：《食品经营许可和备案管理办法》第十二条第一款第四项")),
        "{:?}",
        outcome.why
    );
    let text = authoring::render(&report, &sources, "rules");
    assert!(
        text.contains("结论：期望 accept_with_pledge，引擎给出 correction_required"),
        "{text}"
    );
    assert!(
        text.contains("rules/cases/food_business_license.toml:"),
        "{text}"
    );
    assert!(text.ends_with("1 failed\n"), "{text}");
}

#[test]
fn bless_writes_the_answers_and_keeps_the_authors_lines() {
    let sources = rules();
    let engine = Engine::from_sources(&sources).unwrap();
    let table = "# 作者的注释\nmatter = \"food_business_license\"\n\n[[base]]\nreceived_at = \"2026-03-02T09:30:00+08:00\"\napplicant = \"enterprise_legal_person\"\nfields = { operator_name = \"杭州示例餐饮管理有限公司\", uscc = \"91330106MA2B0C02XE\", responsible_person_id = \"330106199003024528\", phone = \"0571-88880002\", business_form = \"catering\", premises_area = 180, license_verified_online = true, automatic_equipment = false, by_agent = false }\nmaterials = { application_form = \"provided\", layout_and_processes = \"provided\", food_safety_rules_list = \"provided\" }\n\n[[case]]\nname = \"齐全\"\nexpect = { outcome = \"correction_required\" } # 故意写错\n\n[[case]]\nname = \"缺布局\"\nmaterials = { layout_and_processes = \"missing\" }\n";
    let file = TableFile {
        path: "rules/cases/food_business_license.toml".into(),
        text: table.into(),
    };
    let run = |file: &TableFile, bless| {
        authoring::test(
            &engine,
            &sources,
            std::slice::from_ref(file),
            &TestOptions {
                bless,
                matter: Some("food_business_license".into()),
                ..options()
            },
        )
    };
    let first = run(&file, false);
    assert_eq!((first.passed(), first.failed()), (1, 1));
    let blessed = run(&file, true);
    let (_, text) = &blessed.writes[0];
    assert!(text.starts_with("# 作者的注释\n"), "{text}");
    assert!(text.contains("expect = { outcome = \"accept\", notice = \"acceptance\", promised_due = \"2026-03-09\""), "{text}");
    assert!(
        text.contains("findings = [\"material_missing:layout_and_processes\"]"),
        "{text}"
    );
    let again = run(
        &TableFile {
            path: file.path.clone(),
            text: text.clone(),
        },
        false,
    );
    assert_eq!((again.passed(), again.failed()), (2, 0));
}

#[test]
fn a_csv_table_reads_like_a_toml_one() {
    let sources = rules();
    let engine = Engine::from_sources(&sources).unwrap();
    let csv = "name,received_at,applicant,field.operator_name,field.uscc,field.responsible_person_id,field.phone,field.business_form,field.premises_area,field.license_verified_online,field.automatic_equipment,field.by_agent,material.application_form,material.layout_and_processes,material.food_safety_rules_list,pledge,expect.outcome,expect.findings\n\
base:2023-12,2026-03-02T09:30:00+08:00,enterprise_legal_person,\"杭州示例餐饮管理有限公司\",91330106MA2B0C02XE,330106199003024528,0571-88880002,catering,180,true,false,false,provided,provided,provided,,,\n\
齐全,,,,,,,,,,,,,,,,accept,\n\
\"缺清单, 签承诺\",,,,,,,,,,,,,,missing,true,accept_with_pledge,material_missing:food_safety_rules_list\n\
缺布局,,,,,,,,,,,,,missing,,,accept,\n";
    let file = TableFile {
        path: "rules/cases/food_business_license.csv".into(),
        text: csv.into(),
    };
    let report = authoring::test(
        &engine,
        &sources,
        std::slice::from_ref(&file),
        &TestOptions {
            matter: Some("food_business_license".into()),
            ..options()
        },
    );
    let runs = &report.matters[0].runs;
    assert_eq!(runs.len(), 3);
    assert!(runs[0].passed() && runs[1].passed(), "{runs:?}");
    assert!(!runs[2].passed());
    assert_eq!(runs[2].at, "rules/cases/food_business_license.csv:5");
    let blessed = authoring::test(
        &engine,
        &sources,
        std::slice::from_ref(&file),
        &TestOptions {
            bless: true,
            matter: Some("food_business_license".into()),
            ..options()
        },
    );
    let (_, text) = &blessed.writes[0];
    assert!(text.contains("缺布局,"), "{text}");
    assert!(text.contains("correction_required"), "{text}");
    assert!(text.contains("\"缺清单, 签承诺\""), "{text}");
}

/// The trace's size bound: one step per rule item and the day count at most `2 × limit + 1`
/// lines, each line bounded (values clipped): proportional to the rule, whatever the input.
fn step_bound(rule: &qiquan::MatterFile) -> usize {
    7 + rule.fields.len()
        + rule.refusals.len()
        + rule.material_groups.len()
        + rule.materials.len()
        + 2 * rule.promised_limit.value as usize
        + 1
}

#[test]
fn explain_is_ordered_and_bounded_by_the_rule() {
    use qiquan::authoring::explain;
    let sources = rules();
    let engine = Engine::from_sources(&sources).unwrap();
    let mut worst: f64 = 0.0;
    let mut checked = 0;
    for file in tables() {
        let table = authoring::CaseTable::parse(&file.path, &file.text).unwrap();
        for case in &table.cases {
            let json = table.submission(case).to_string();
            let trace = explain::explain_json(&engine, &table.matter, &json, None).unwrap();
            let value: serde_json::Value = serde_json::from_str(&trace).unwrap();
            let version = value["version"].as_str().unwrap();
            let rule = engine
                .matter(
                    &table.matter,
                    Some(
                        &case.received_at.clone().unwrap_or_else(|| {
                            table.base_of(case).unwrap().received_at.clone().unwrap()
                        })[..10],
                    ),
                )
                .unwrap();
            assert_eq!(rule.version, version);
            let steps = value["steps"].as_array().unwrap();
            assert!(
                steps.len() <= step_bound(rule),
                "{}: {}",
                case.name,
                steps.len()
            );
            // In order: version first, the decision before the deadlines.
            let kinds: Vec<&str> = steps.iter().map(|s| s["step"].as_str().unwrap()).collect();
            assert_eq!(kinds[0], "version");
            let decision = kinds.iter().position(|k| *k == "decision").unwrap();
            assert!(kinds.iter().position(|k| *k == "deadlines").unwrap() > decision);
            let rule_bytes = serde_json::to_string(rule).unwrap().len();
            worst = worst.max(trace.len() as f64 / rule_bytes as f64);
            checked += 1;
        }
    }
    assert!(checked > 500);
    // Measured: the largest trace is under 3× its rule's JSON form.
    assert!(worst < 3.0, "worst ratio {worst}");
    eprintln!("explain: {checked} traces, largest {worst:.2}× the rule's JSON form");

    // A hostile input: a long value, 50 long pauses; the trace stays within the bound.
    let table = tables()
        .into_iter()
        .find(|t| t.path.ends_with("food_business_license.toml"))
        .unwrap();
    let table = authoring::CaseTable::parse(&table.path, &table.text).unwrap();
    let mut submission: serde_json::Value = table.submission(&table.cases[table.cases.len() - 1]);
    submission["fields"]["operator_name"] = serde_json::Value::from("名".repeat(5000));
    submission["pauses"] = (0..50)
        .map(|i| {
            serde_json::json!({
                "procedure": "inspection",
                "from": format!("2026-{:02}-01", 3 + i % 9),
                "to": format!("2026-{:02}-20", 3 + i % 9)
            })
        })
        .collect();
    let trace = explain::explain_json(
        &engine,
        "food_business_license",
        &submission.to_string(),
        None,
    )
    .unwrap();
    let value: serde_json::Value = serde_json::from_str(&trace).unwrap();
    let rule = engine
        .matter("food_business_license", Some("2026-03-02"))
        .unwrap();
    assert!(value["steps"].as_array().unwrap().len() <= step_bound(rule));
    assert!(
        trace.len() < 3 * serde_json::to_string(rule).unwrap().len(),
        "{}",
        trace.len()
    );
    assert!(!trace.contains(&"名".repeat(100)));
}

#[test]
fn diff_lists_changes_in_applicant_terms_replays_the_table_and_finds_counterexamples() {
    use qiquan::authoring::diff;
    let sources = rules();
    let old = sources
        .iter()
        .find(|s| s.path == "matters/food_business_license/2023-12.toml")
        .unwrap()
        .clone();
    // The new version: 5 → 3 working days, the list of rules no longer tolerable.
    let mut new = injected(&sources)
        .into_iter()
        .find(|s| s.path == old.path)
        .unwrap();
    new.text = new.text.replace(
        "promised_limit = { value = 5, unit = \"working_days\" }",
        "promised_limit = { value = 3, unit = \"working_days\" }",
    );
    new.text = new
        .text
        .replace("version = \"2023-12\"", "version = \"2025-01\"");
    let report = diff::diff(&sources, &old, &new, &tables()).unwrap();
    let zh: Vec<&str> = report.changes.iter().map(|c| c.zh.as_str()).collect();
    assert!(zh.contains(&"承诺时限 5 个工作日→3 个工作日"), "{zh:?}");
    assert!(
        zh.iter()
            .any(|c| c.starts_with("“食品安全自查") && c.ends_with("”不再可容缺")),
        "{zh:?}"
    );
    // Replay: the table's 2023-12 cases; the pledge case flips, harmful, first.
    assert!(report.replayed >= 50);
    let first = &report.flips[0];
    assert!(first.harmful);
    assert_eq!(
        (first.old.as_str(), first.new.as_str()),
        ("accept_with_pledge", "correction_required")
    );
    assert!(
        report
            .flips
            .iter()
            .all(|f| f.harmful || f.old != "accept_with_pledge")
    );
    // The enumeration finds the same change with one counterexample, and no other change of
    // outcome than those the rule change explains.
    let changed: Vec<(&str, &str)> = report
        .outcome_changes
        .iter()
        .map(|(a, b, _, _)| (a.as_str(), b.as_str()))
        .collect();
    assert!(
        changed.contains(&("accept_with_pledge", "correction_required")),
        "{changed:?}"
    );
    let (_, _, _, example) = report
        .outcome_changes
        .iter()
        .find(|(a, _, _, _)| a == "accept_with_pledge")
        .unwrap();
    assert!(
        example.contains("food_safety_rules_list") && example.contains("签署承诺"),
        "{example}"
    );
    let text = diff::render(&report);
    assert!(
        text.contains("除以下情形外，任何提交的结论都不变"),
        "{text}"
    );
    assert!(text.contains("不利 容缺受理 → 补正"), "{text}");

    // A version against itself changes nothing.
    let same = diff::diff(&sources, &old, &old, &tables()).unwrap();
    assert!(same.changes.is_empty() && same.flips.is_empty() && same.outcome_changes.is_empty());
}

#[test]
fn an_uncovered_element_prints_at_its_line_and_fails_full_coverage() {
    let sources = rules();
    let engine = Engine::from_sources(&sources).unwrap();
    let mut files = tables();
    let file = files
        .iter_mut()
        .find(|t| t.path.ends_with("food_business_license.toml"))
        .unwrap();
    // Drop the case that hands in a flawed layout under 2023-12.
    let name = "name = \"与食品经营相适应的主要设备设施、经营布局…：有瑕疵（生成）｜版本 2023-12\"";
    let start = file.text.find(name).unwrap();
    let start = file.text[..start].rfind("[[case]]").unwrap();
    let end = start + 8 + file.text[start + 8..].find("[[case]]").unwrap();
    file.text.replace_range(start..end, "");
    let report = authoring::test(
        &engine,
        &sources,
        &files,
        &TestOptions {
            matter: Some("food_business_license".into()),
            ..options()
        },
    );
    let (covered, total) = report.matters[0].covered();
    assert_eq!(covered + 1, total);
    assert!(report.min_coverage() < 100.0);
    let rule = &sources
        .iter()
        .find(|s| s.path == "matters/food_business_license/2023-12.toml")
        .unwrap()
        .text;
    let line = rule
        .lines()
        .position(|l| l == "id = \"layout_and_processes\"")
        .unwrap()
        + 1;
    let text = authoring::render(&report, &sources, "rules");
    assert!(
        text.contains(&format!(
            "rules/matters/food_business_license/2023-12.toml:{line}: material layout_and_processes never \"flawed\" — 材料 layout_and_processes 从未“有瑕疵”\n"
        )),
        "{text}"
    );
    // A matter without a table is named, at 0%.
    let bare = authoring::test(
        &engine,
        &sources,
        &[],
        &TestOptions {
            matter: Some("drainage_permit".into()),
            ..options()
        },
    );
    assert_eq!(bare.min_coverage(), 0.0);
    assert!(authoring::render(&bare, &sources, "rules").contains("✗ drainage_permit: 没有案例表"));
}
