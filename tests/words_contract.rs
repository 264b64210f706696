//! The compact check's `words` contract (docs/wasm.md): over the conformance corpus and
//! mutations of its submissions, two checks of the same matter have equal `words` exactly when
//! their full verdicts say the same sentences about the answers (every finding's and exemption's
//! message, the checklist's hints, in order). The mutations include values longer than a
//! message quotes (clipped at 40 characters), so two different inputs can give the same words:
//! the fingerprint must then be equal too.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use qiquan::Engine;
use serde_json::{Value, json};

#[path = "common/corpus.rs"]
mod corpus;
use corpus::cases;

/// The submission and variations of it: each of its first fields emptied, removed, or set to
/// long texts that differ before and after the 40 characters a message quotes; each of its first
/// materials missing, provided, or flawed with long notes.
fn mutations(submission: &Value) -> Vec<Value> {
    let mut out = vec![submission.clone()];
    let long = "长".repeat(45);
    let values = [
        json!(""),
        json!("0"),
        json!(format!("{long}甲")),
        json!(format!("{long}乙")),
        json!(format!("乙{long}")),
        json!(12),
    ];
    let fields: Vec<String> = submission["fields"]
        .as_object()
        .map(|m| m.keys().take(4).cloned().collect())
        .unwrap_or_default();
    for id in &fields {
        for value in &values {
            let mut s = submission.clone();
            s["fields"][id] = value.clone();
            out.push(s);
        }
        let mut s = submission.clone();
        s["fields"].as_object_mut().unwrap().remove(id);
        out.push(s);
    }
    let materials: Vec<String> = submission["materials"]
        .as_object()
        .map(|m| m.keys().take(3).cloned().collect())
        .unwrap_or_default();
    for id in &materials {
        for state in [
            json!({"status": "missing"}),
            json!({"status": "provided"}),
            json!({"status": "flawed", "note": format!("{long}甲")}),
            json!({"status": "flawed", "note": format!("{long}乙")}),
            json!({"status": "flawed", "note": "缺章"}),
        ] {
            let mut s = submission.clone();
            s["materials"][id] = state;
            out.push(s);
        }
    }
    out
}

/// The sentences `words` stands for, from the full verdict.
fn sentences(verdict: &Value) -> Value {
    let messages = |list: &Value, key: &str| -> Value {
        list.as_array()
            .map(|items| items.iter().map(|i| i[key].clone()).collect())
            .unwrap_or_default()
    };
    json!([
        messages(&verdict["findings"], "message"),
        messages(&verdict["exempt"], "message"),
        messages(&verdict["checklist"]["fields"], "hint"),
        messages(&verdict["checklist"]["materials"], "hint"),
    ])
}

#[test]
fn equal_words_exactly_when_the_verdicts_say_the_same() {
    let engine = Engine::embedded().unwrap();
    let mut paths = Vec::new();
    cases(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance"),
        &mut paths,
    );
    let (mut pairs, mut same_words, mut clipped_alike) = (0usize, 0usize, 0usize);
    for path in paths {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if case["kind"].as_str().unwrap_or("check") != "check" || !case["submission"].is_object() {
            continue;
        }
        let matter = case["matter"].as_str().unwrap_or_default();
        let options = case.get("options").map(|o| o.to_string());
        let mut seen: Vec<(Value, String, String)> = Vec::new();
        for submission in mutations(&case["submission"]) {
            let text = submission.to_string();
            let (Ok(full), Ok(compact)) = (
                engine.check_json(matter, &text, options.as_deref()),
                engine.check_compact_json(matter, &text, options.as_deref()),
            ) else {
                continue;
            };
            let said = sentences(&serde_json::from_str(&full).unwrap());
            let compact: Value = serde_json::from_str(&compact).unwrap();
            let words = compact["words"].as_str().unwrap().to_string();
            for (other_said, other_words, other_text) in &seen {
                pairs += 1;
                let equal_words = *other_words == words;
                assert_eq!(
                    equal_words,
                    *other_said == said,
                    "{}: words {} vs {} for\n{other_text}\n{text}",
                    path.display(),
                    other_words,
                    words
                );
                if equal_words {
                    same_words += 1;
                    if *other_text != text {
                        clipped_alike += 1;
                    }
                }
            }
            seen.push((said, words, text));
        }
    }
    eprintln!(
        "{pairs} pairs, {same_words} with equal words, {clipped_alike} of them from different inputs"
    );
    // The corpus exercises both sides of the equivalence.
    assert!(pairs > 10_000, "{pairs} pairs");
    assert!(
        same_words > 100 && same_words < pairs,
        "{same_words} of {pairs}"
    );
    assert!(clipped_alike > 0);
}
