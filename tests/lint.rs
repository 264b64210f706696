//! `qiquan lint`: every mistake the issue names is reported with its code and position.
#![allow(clippy::unwrap_used)]

use qiquan::bundle::{Diagnostic, SourceFile, Validation, lint};

const BASE: &str = r#"matter = "demo"
version = "1"
effective_from = "2024-01-01"
name = { zh = "示例", en = "Demo" }
department = { zh = "部门", en = "Department" }
legal_basis = "《示例条例》第一条"
case_type = "promised"
applicant_kinds = ["natural_person"]
statutory_limit = { value = 20, unit = "working_days" }
promised_limit = { value = 10, unit = "working_days" }

[[fields]]
id = "area"
label = { zh = "面积", en = "Area" }
type = "number"

[[materials]]
id = "form"
name = { zh = "申请表", en = "Form" }
key = true
basis = "第二条"

[[materials]]
id = "plan"
name = { zh = "平面图", en = "Plan" }
key = false
tolerable = true
pledge_period = { value = 5, unit = "working_days" }
basis = "第三条"
"#;

const CALENDAR: &str = r#"year = 2026
notice = "通知"
holidays = [{ name = { zh = "元旦", en = "New Year" }, from = "2026-01-01", to = "2026-01-03" }]
make_up_workdays = [{ date = "2026-01-04", for = "元旦" }]
"#;

fn run(files: &[(&str, &str)], validation: Validation) -> Vec<Diagnostic> {
    let sources: Vec<SourceFile> = files
        .iter()
        .map(|(path, text)| SourceFile {
            path: path.to_string(),
            text: text.to_string(),
        })
        .collect();
    lint(&sources, validation)
}

fn lint_matter(text: &str) -> Vec<Diagnostic> {
    run(
        &[
            ("matters/demo/1.toml", text),
            ("calendar/2026.toml", CALENDAR),
        ],
        Validation::Types,
    )
}

/// Asserts exactly one diagnostic with `code`, on the line holding `needle`.
fn expect(text: &str, code: &str, needle: &str) {
    for validation in [Validation::Types, Validation::Schema] {
        let diagnostics = run(
            &[
                ("matters/demo/1.toml", text),
                ("calendar/2026.toml", CALENDAR),
            ],
            validation,
        );
        let found: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.code == code).collect();
        assert_eq!(found.len(), 1, "{code} ({validation:?}): {diagnostics:#?}");
        let line = text.lines().position(|l| l.contains(needle)).unwrap() + 1;
        assert_eq!(found[0].line, line, "{code}: {}", found[0]);
        assert!(
            found[0]
                .to_string()
                .starts_with(&format!("matters/demo/1.toml:{line}:"))
        );
    }
}

#[test]
fn the_base_file_is_clean() {
    assert_eq!(lint_matter(BASE), vec![]);
    assert_eq!(
        run(
            &[
                ("matters/demo/1.toml", BASE),
                ("calendar/2026.toml", CALENDAR)
            ],
            Validation::Schema
        ),
        vec![]
    );
}

#[test]
fn unknown_key() {
    expect(
        &BASE.replace("key = true\n", "key = true\ncolour = \"red\"\n"),
        "unknown_key",
        "colour",
    );
}

#[test]
fn duplicate_material_id() {
    let text = BASE.replace("id = \"plan\"", "id = \"form\"");
    let diagnostics = lint_matter(&text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0].code, "duplicate_id");
    // The second `id = "form"` is the duplicate.
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "id = \"form\"")
        .nth(1)
        .unwrap()
        .0
        + 1;
    assert_eq!(diagnostics[0].line, line);
}

#[test]
fn promised_longer_than_statutory() {
    expect(
        &BASE.replace("value = 10, unit", "value = 30, unit"),
        "promised_exceeds_statutory",
        "promised_limit",
    );
}

#[test]
fn pledge_longer_than_promised() {
    expect(
        &BASE.replace("value = 5, unit", "value = 15, unit"),
        "pledge_exceeds_promised",
        "pledge_period",
    );
}

#[test]
fn tolerable_key_material() {
    let text = BASE.replace(
        "key = true\n",
        "key = true\ntolerable = true\npledge_period = { value = 2, unit = \"working_days\" }\n",
    );
    let diagnostics = lint_matter(&text);
    assert!(
        diagnostics
            .iter()
            .any(|d| d.code == "tolerable_key_material"),
        "{diagnostics:#?}"
    );
}

#[test]
fn tolerance_on_an_instant_matter() {
    let text = BASE.replace("case_type = \"promised\"", "case_type = \"instant\"");
    expect(&text, "tolerance_on_instant_matter", "tolerable = true");
}

#[test]
fn condition_on_an_unknown_field() {
    let text = BASE.replace(
        "key = false\n",
        "key = false\nwhen = { field = \"central_ac\", equals = true }\n",
    );
    expect(&text, "unknown_field_in_condition", "central_ac");
}

#[test]
fn regex_that_does_not_compile() {
    let text = BASE.replace(
        "type = \"number\"\n",
        "type = \"text\"\npattern = \"([a-z\"\n",
    );
    expect(&text, "invalid_regex", "pattern");
}

#[test]
fn syntax_error_has_a_position() {
    let text = BASE.replace("version = \"1\"", "version = \"1");
    let diagnostics = lint_matter(&text);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0].code, "syntax");
    assert_eq!(diagnostics[0].line, 2);
}

#[test]
fn calendar_year_listed_twice() {
    let diagnostics = run(
        &[
            ("matters/demo/1.toml", BASE),
            ("calendar/2026.toml", CALENDAR),
            ("calendar/2026b.toml", CALENDAR),
        ],
        Validation::Types,
    );
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0].code, "duplicate_calendar_year");
    assert_eq!(diagnostics[0].file, "calendar/2026b.toml");
}

#[test]
fn make_up_day_must_be_a_weekend() {
    let text = CALENDAR.replace("2026-01-04", "2026-01-05");
    let diagnostics = run(
        &[("matters/demo/1.toml", BASE), ("calendar/2026.toml", &text)],
        Validation::Types,
    );
    assert_eq!(
        diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(),
        ["make_up_not_weekend"]
    );
}

#[test]
fn two_versions_on_the_same_day() {
    let other = BASE.replace("version = \"1\"", "version = \"2\"");
    let diagnostics = run(
        &[
            ("matters/demo/1.toml", BASE),
            ("matters/demo/2.toml", &other),
            ("calendar/2026.toml", CALENDAR),
        ],
        Validation::Types,
    );
    assert_eq!(
        diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(),
        ["duplicate_version"]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = BASE
        .replace("value = 10, unit", "value = 30, unit")
        .replace("id = \"plan\"", "id = \"form\"")
        .replace("value = 5, unit", "value = 40, unit");
    let codes: Vec<&str> = lint_matter(&text).iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [
            "promised_exceeds_statutory",
            "duplicate_id",
            "pledge_exceeds_promised"
        ]
    );
}

#[test]
fn the_shipped_rules_lint_clean_against_the_schema() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let sources = qiquan::read_rules_dir(&dir).unwrap();
    let diagnostics = lint(&sources, Validation::Schema);
    assert!(
        diagnostics.is_empty(),
        "{}",
        diagnostics
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_checked_in_schema_is_generated_from_the_types() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/schema");
    for (name, text) in qiquan::schema::schema_files() {
        let on_disk = std::fs::read_to_string(dir.join(name)).unwrap();
        assert_eq!(on_disk, text, "{name} is stale: run `cargo run -- schema`");
    }
}
