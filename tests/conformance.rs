//! The runtime-neutral conformance corpus (`tests/conformance/**/*.json`), run natively.
//!
//! Each case names its input and hand-written expectations (`expect_outcome`, `expect_codes`,
//! `expect_error`, `expect_due`, `expect_deadlines`, `expect_provisional`, `expect_pledge`,
//! `expect_pledge_item_dues`, `expect_checklist`, `expect_text_absent`, `expect_text_present`,
//! `expect_notice`, `expect_verdict` (JSON pointers into the output)); `<case>.expected.json`
//! beside it holds the exact bytes the
//! engine must print. The Node and Chromium runners read the same files and compare the same
//! bytes. `QIQUAN_BLESS=1 cargo test --test conformance` rewrites the `.expected.json` files;
//! review their diff before committing.
//!
//! Each case is a test of its own named by its path (libtest-mimic, `harness = false` in
//! Cargo.toml): `cargo test --test conformance -- pledge/` runs one directory, `--list` lists them.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use qiquan::Engine;
use serde_json::Value;

#[path = "common/corpus.rs"]
mod corpus;
use corpus::cases;

/// `expect_notice`: `kind`, the numbered `items` as `kind:id` targets in order, the `basis`, and
/// texts that must (`contains`) or must not (`excludes`) appear in the notice's text (zh + en).
fn check_notice(name: &str, expected: &Value, notice: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    for key in ["kind", "basis"] {
        if let Some(want) = expected.get(key)
            && &notice[key] != want
        {
            problems.push(format!(
                "{name}: expected notice.{key} {want}, got {}",
                notice[key]
            ));
        }
    }
    if let Some(want) = expected.get("items") {
        let got: Vec<Value> = notice["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|i| {
                        let t = &i["target"];
                        Value::from(format!(
                            "{}:{}",
                            t["kind"].as_str().unwrap_or(""),
                            t["id"].as_str().unwrap_or("")
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if want.as_array() != Some(&got) {
            problems.push(format!(
                "{name}: expected notice items {want}, got {}",
                Value::Array(got)
            ));
        }
    }
    let text = format!(
        "{}\n{}",
        notice["text"]["zh"].as_str().unwrap_or(""),
        notice["text"]["en"].as_str().unwrap_or("")
    );
    for (key, must) in [("contains", true), ("excludes", false)] {
        for needle in expected[key].as_array().into_iter().flatten() {
            let needle = needle.as_str().unwrap_or("");
            if text.contains(needle) != must {
                let verb = if must { "lacks" } else { "contains" };
                problems.push(format!("{name}: notice text {verb} “{needle}”"));
            }
        }
    }
    problems
}

/// Runs one case and returns the engine's output bytes, exactly as every runtime must.
pub fn run_case(engine: &Engine, case: &Value) -> String {
    match case["kind"].as_str().unwrap_or("check") {
        "deadline" => {
            let d = &case["deadline"];
            match engine.deadline(
                d["from"].as_str().unwrap_or_default(),
                d["days"].as_i64().unwrap_or(i64::MIN),
                d["unit"].as_str().unwrap_or_default(),
            ) {
                Ok(answer) => qiquan::to_pretty_json(&answer),
                Err(error) => error.to_json(),
            }
        }
        _ => {
            let submission = match &case["submission_text"] {
                Value::String(text) => text.clone(),
                _ => serde_json::to_string(&case["submission"]).unwrap(),
            };
            let options = case
                .get("options")
                .map(|o| serde_json::to_string(o).unwrap());
            let matter = case["matter"].as_str().unwrap_or_default();
            match engine.check_json(matter, &submission, options.as_deref()) {
                Ok(json) => json,
                Err(error) => error.to_json(),
            }
        }
    }
}

/// Runs one check case through the compact check (`None` for a deadline case): the bytes every
/// runtime must give, in `<case>.compact.expected.json`.
pub fn run_compact(engine: &Engine, case: &Value) -> Option<String> {
    if case["kind"].as_str() == Some("deadline") {
        return None;
    }
    let submission = match &case["submission_text"] {
        Value::String(text) => text.clone(),
        _ => serde_json::to_string(&case["submission"]).unwrap(),
    };
    let options = case
        .get("options")
        .map(|o| serde_json::to_string(o).unwrap());
    let matter = case["matter"].as_str().unwrap_or_default();
    Some(
        match engine.check_compact_json(matter, &submission, options.as_deref()) {
            Ok(json) => json,
            Err(error) => error.to_json(),
        },
    )
}

/// The compact verdict is the full verdict's projection: the same outcome, findings (code and
/// target, in order), checklist flags (and the values read differently, `normalized`), pledge
/// availability and the fingerprint of its words; an error is the same error.
fn check_compact(name: &str, full: &Value, compact: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let mut same = |what: &str, a: Value, b: Value| {
        if a != b {
            problems.push(format!(
                "{name}: compact {what} {b} differs from the verdict's {a}"
            ));
        }
    };
    if full.get("error").is_some() {
        same("error", full.clone(), compact.clone());
        return problems;
    }
    let pick = |list: &Value, keys: &[&str]| -> Value {
        let items = list.as_array().cloned().unwrap_or_default();
        Value::Array(
            items
                .iter()
                .map(|item| {
                    // A key the verdict leaves out (`normalized` when nothing was read
                    // differently) is left out of the compact form too.
                    let object: serde_json::Map<String, Value> = keys
                        .iter()
                        .filter_map(|k| item.get(*k).map(|v| (k.to_string(), v.clone())))
                        .collect();
                    Value::Object(object)
                })
                .collect(),
        )
    };
    same(
        "outcome",
        full["outcome"].clone(),
        compact["outcome"].clone(),
    );
    same(
        "version",
        full["version"].clone(),
        compact["version"].clone(),
    );
    same(
        "findings",
        pick(&full["findings"], &["code", "target"]),
        compact["findings"].clone(),
    );
    same(
        "fields",
        pick(
            &full["checklist"]["fields"],
            &["id", "applies", "required", "ok", "normalized"],
        ),
        compact["fields"].clone(),
    );
    same(
        "materials",
        pick(
            &full["checklist"]["materials"],
            &["id", "applies", "status", "ok"],
        ),
        compact["materials"].clone(),
    );
    // The fingerprint of the words: recomputed from the full verdict's texts.
    let texts = |list: &Value, key: &str| -> Vec<Option<qiquan::model::Text>> {
        let items = list.as_array().cloned().unwrap_or_default();
        items
            .iter()
            .map(|item| {
                item.get(key)
                    .and_then(|t| serde_json::from_value(t.clone()).ok())
            })
            .collect()
    };
    let lists = [
        texts(&full["findings"], "message"),
        texts(&full["exempt"], "message"),
        texts(&full["checklist"]["fields"], "hint"),
        texts(&full["checklist"]["materials"], "hint"),
    ];
    let refs: Vec<Vec<Option<&qiquan::model::Text>>> = lists
        .iter()
        .map(|l| l.iter().map(Option::as_ref).collect())
        .collect();
    same(
        "words",
        Value::String(qiquan::compact::words_fingerprint(
            refs.iter().map(Vec::as_slice),
        )),
        compact["words"].clone(),
    );
    same(
        "pledge",
        serde_json::json!({
            "available": full["pledge"]["would_accept"],
            "signed": full["pledge"]["signed"],
            "blocked_by": full["pledge"]["blocked_by"],
        }),
        compact["pledge"].clone(),
    );
    problems
}

/// The hand-written expectations, checked before the byte comparison so a failure says what
/// is semantically wrong, not only that bytes differ.
fn check_expectations(name: &str, case: &Value, output: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(code) = case.get("expect_error") {
        if &output["error"]["code"] != code {
            problems.push(format!(
                "{name}: expected error {code}, got {}",
                brief(output)
            ));
        }
        return problems;
    }
    if output.get("error").is_some() {
        problems.push(format!("{name}: unexpected error {}", output["error"]));
        return problems;
    }
    if let Some(outcome) = case.get("expect_outcome")
        && &output["outcome"] != outcome
    {
        problems.push(format!(
            "{name}: expected outcome {outcome}, got {}",
            output["outcome"]
        ));
    }
    if let Some(codes) = case.get("expect_codes") {
        let got: Vec<Value> = output["findings"]
            .as_array()
            .map(|f| f.iter().map(|f| f["code"].clone()).collect())
            .unwrap_or_default();
        if codes.as_array() != Some(&got) {
            problems.push(format!(
                "{name}: expected codes {codes}, got {}",
                Value::Array(got)
            ));
        }
    }
    if let Some(expected) = case.get("expect_deadlines")
        && let Some(map) = expected.as_object()
    {
        for (key, value) in map {
            if &output["deadlines"][key] != value {
                problems.push(format!(
                    "{name}: expected deadlines.{key} = {value}, got {}",
                    output["deadlines"][key]
                ));
            }
        }
    }
    problems.extend(check_object(name, case, output, "expect_pledge", "pledge"));
    problems.extend(check_object(
        name,
        case,
        output,
        "expect_checklist",
        "checklist",
    ));
    if let Some(dues) = case.get("expect_pledge_item_dues") {
        let got: Vec<Value> = output["pledge"]["items"]
            .as_array()
            .map(|items| items.iter().map(|i| i["due"].clone()).collect())
            .unwrap_or_default();
        if dues.as_array() != Some(&got) {
            problems.push(format!(
                "{name}: expected pledge item dues {dues}, got {}",
                Value::Array(got)
            ));
        }
    }
    problems.extend(check_texts(name, case, output));
    problems.extend(check_pointers(name, case, output));
    if let Some(due) = case.get("expect_due")
        && &output["due"] != due
    {
        problems.push(format!("{name}: expected due {due}, got {}", output["due"]));
    }
    if let Some(expected) = case.get("expect_notice") {
        problems.extend(check_notice(name, expected, &output["notice"]));
    }
    if let Some(provisional) = case.get("expect_provisional") {
        let got = output
            .get("provisional")
            .or_else(|| output["deadlines"].get("provisional"));
        if got != Some(provisional) {
            problems.push(format!(
                "{name}: expected provisional {provisional}, got {got:?}"
            ));
        }
    }
    problems
}

/// `expect_<key>`: an object whose entries must equal the output's `<section>` entries (a
/// `/`-separated key reaches deeper, e.g. `"materials/3/applies"`).
fn check_object(name: &str, case: &Value, output: &Value, key: &str, section: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(expected) = case.get(key).and_then(Value::as_object) else {
        return problems;
    };
    for (path, value) in expected {
        let got = output[section].pointer(&format!("/{path}"));
        if got != Some(value) {
            problems.push(format!(
                "{name}: expected {section}/{path} = {value}, got {got:?}"
            ));
        }
    }
    problems
}

/// `expect_verdict`: JSON pointers into the whole output and the values they must hold, e.g.
/// `"/exempt/0/by": "electronic_licence"`, `"/findings/0/refer_to/zh": "…"`; `null` for a key
/// that must be absent.
fn check_pointers(name: &str, case: &Value, output: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(expected) = case.get("expect_verdict").and_then(Value::as_object) else {
        return problems;
    };
    for (pointer, value) in expected {
        let got = output.pointer(pointer).unwrap_or(&Value::Null);
        if got != value {
            problems.push(format!("{name}: expected {pointer} = {value}, got {got}"));
        }
    }
    problems
}

/// Every sentence of a verdict a person reads: the findings' messages and the notice.
fn sentences(output: &Value) -> Vec<String> {
    let mut texts = Vec::new();
    for finding in output["findings"].as_array().into_iter().flatten() {
        for lang in ["zh", "en"] {
            texts.extend(finding["message"][lang].as_str().map(str::to_string));
        }
    }
    texts.push(output["notice"].to_string());
    texts
}

/// `expect_text_absent`: strings no message or notice may contain (e.g. a pledge offer where
/// the pledge is impossible); `expect_text_present`: strings some finding message must contain.
fn check_texts(name: &str, case: &Value, output: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let texts = sentences(output);
    for absent in case["expect_text_absent"].as_array().into_iter().flatten() {
        let absent = absent.as_str().unwrap_or_default();
        if let Some(text) = texts.iter().find(|t| t.contains(absent)) {
            problems.push(format!("{name}: “{absent}” must not appear, but: {text}"));
        }
    }
    for present in case["expect_text_present"].as_array().into_iter().flatten() {
        let present = present.as_str().unwrap_or_default();
        if !texts.iter().any(|t| t.contains(present)) {
            problems.push(format!("{name}: no message says “{present}”"));
        }
    }
    problems
}

fn brief(output: &Value) -> String {
    if let Some(error) = output.get("error") {
        format!("error {}", error["code"])
    } else {
        format!("outcome {}", output["outcome"])
    }
}

/// One test per case, named by its path under `tests/conformance/` (`pledge/…`), so
/// `cargo test --test conformance -- pledge/` runs the pledge cases and a failure names its case.
fn main() -> std::process::ExitCode {
    let args = libtest_mimic::Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut paths = Vec::new();
    cases(&root, &mut paths);
    assert!(!paths.is_empty(), "no conformance cases found");
    let bless = std::env::var_os("QIQUAN_BLESS").is_some();
    let trials = paths
        .into_iter()
        .map(|path| {
            let name = path.strip_prefix(&root).unwrap().display().to_string();
            libtest_mimic::Trial::test(name.clone(), move || {
                let failures = conformance_case(&name, &path, bless);
                if failures.is_empty() {
                    Ok(())
                } else {
                    Err(failures.join("\n\n").into())
                }
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit_code()
}

/// Runs one case: its hand-written expectations, the compact check and the exact bytes (or,
/// with `bless`, rewrites the expected files). Returns what failed.
fn conformance_case(name: &str, path: &Path, bless: bool) -> Vec<String> {
    let engine = Engine::embedded().expect("embedded rules compile");
    let mut failures = Vec::new();
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let output = run_case(engine, &case);
    let parsed: Value = serde_json::from_str(&output).expect("engine output is JSON");
    failures.extend(check_expectations(name, &case, &parsed));
    if let Some(compact) = run_compact(engine, &case) {
        let compact_value: Value = serde_json::from_str(&compact).expect("compact is JSON");
        failures.extend(check_compact(name, &parsed, &compact_value));
        let compact_path = path.with_extension("compact.expected.json");
        if bless {
            std::fs::write(&compact_path, format!("{compact}\n")).unwrap();
        } else {
            match std::fs::read_to_string(&compact_path) {
                Ok(expected) if expected.strip_suffix('\n') == Some(compact.as_str()) => {}
                _ => failures.push(format!(
                    "{name}: compact output differs from {} (or it is missing):\n{compact}",
                    compact_path.display()
                )),
            }
        }
    }
    let expected_path = path.with_extension("expected.json");
    if bless {
        std::fs::write(&expected_path, format!("{output}\n")).unwrap();
        return failures;
    }
    match std::fs::read_to_string(&expected_path) {
        Ok(expected) if expected.strip_suffix('\n').unwrap_or(&expected) == output => {}
        Ok(expected) => failures.push(format!(
            "{name}: output differs from {}:\n{}",
            expected_path.display(),
            pretty_assertions::StrComparison::new(expected.trim_end(), &output)
        )),
        Err(_) => failures.push(format!(
            "{name}: no {} (run QIQUAN_BLESS=1 cargo test --test conformance)",
            expected_path.display()
        )),
    }
    failures
}
