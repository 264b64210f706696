//! Rule-file format versions: a format-1 file (no `format` key) loads unchanged, and declaring
//! `format = 2` on it changes no verdict byte except the rules digest.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use qiquan::Engine;
use qiquan::bundle::SourceFile;
use serde_json::Value;

fn shipped() -> Vec<SourceFile> {
    qiquan::read_rules_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).unwrap()
}

fn is_format_1(source: &SourceFile) -> bool {
    source.path.starts_with("matters/")
        && !source
            .text
            .lines()
            .any(|l| l.trim_start().starts_with("format ="))
}

/// Every conformance case's submission for `matter`.
fn cases(matter: &str) -> Vec<Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/conformance")
        .join(matter);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten() {
        let path = entry.unwrap().path();
        let name = path.to_string_lossy().into_owned();
        if name.ends_with(".json") && !name.ends_with(".expected.json") {
            let case: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            if case.get("submission").is_some() {
                out.push(case);
            }
        }
    }
    out
}

fn verdict(engine: &Engine, case: &Value) -> String {
    let matter = case["matter"].as_str().unwrap();
    let submission = serde_json::to_string(&case["submission"]).unwrap();
    let options = case.get("options").map(|o| o.to_string());
    let json = match engine.check_json(matter, &submission, options.as_deref()) {
        Ok(json) => json,
        Err(error) => error.to_json(),
    };
    // The digest, and its short form in the notice's footer code.
    let digest = engine.rules_digest();
    let short = &digest[..digest.len().min("sha256:".len() + 12)];
    json.replace(digest, "DIGEST").replace(short, "DIGEST")
}

#[test]
fn declaring_format_2_on_a_format_1_file_changes_no_verdict() {
    let sources = shipped();
    let format_1: Vec<&SourceFile> = sources.iter().filter(|s| is_format_1(s)).collect();
    assert!(
        format_1.len() >= 3,
        "the library keeps some format-1 files to test compatibility"
    );
    let declared: Vec<SourceFile> = sources
        .iter()
        .map(|s| SourceFile {
            path: s.path.clone(),
            text: if is_format_1(s) {
                format!("format = 2\n{}", s.text)
            } else {
                s.text.clone()
            },
        })
        .collect();
    let before = Engine::from_sources(&sources).unwrap();
    let after = Engine::from_sources(&declared).unwrap();
    assert_ne!(before.rules_digest(), after.rules_digest());
    let mut compared = 0;
    for source in format_1 {
        let matter = source.path.split('/').nth(1).unwrap();
        for case in cases(matter) {
            assert_eq!(verdict(&before, &case), verdict(&after, &case), "{matter}");
            compared += 1;
        }
    }
    assert!(compared >= 20, "only {compared} cases compared");
}

#[test]
fn a_format_2_key_in_a_format_1_file_does_not_load() {
    let mut sources = shipped();
    let file = sources.iter_mut().find(|s| is_format_1(s)).unwrap();
    file.text = file.text.replacen(
        "[[materials]]\n",
        "[[materials]]\nnever_tolerable = true\n",
        1,
    );
    let error = Engine::from_sources(&sources).unwrap_err();
    assert!(
        error.to_json().contains("format_too_old"),
        "{}",
        error.to_json()
    );
}
