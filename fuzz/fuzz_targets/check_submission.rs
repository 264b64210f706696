//! Arbitrary bytes as a submission (JSON) against every embedded matter, as `check_json` sees
//! them; the same text as options and as a date for `matter`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qiquan::Engine;

const VALID: &str =
    r#"{"applicant":{"kind":"enterprise_legal_person"},"received_at":"2026-03-02T09:30:00+08:00"}"#;

fuzz_target!(|data: &[u8]| {
    // check_json takes &str; the shells hand it only valid UTF-8.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let engine = Engine::embedded().expect("embedded rules compile");
    let matters = engine.matters();
    for summary in &matters {
        if let Ok(json) = engine.check_json(&summary.id, text, None) {
            assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
        }
    }
    if let Some(first) = matters.first() {
        let _ = engine.check_json(&first.id, VALID, Some(text));
        let _ = engine.matter(&first.id, Some(text));
    }
    let _ = engine.check_json(text, VALID, None);
});
