//! Arbitrary text as one matter file (`matters/x.toml`) next to the embedded calendar: lint
//! (typed and JSON Schema), compile, and, when it compiles, check a few submissions against it.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

/// Submissions every compiled matter is checked with: nothing at all, and a pledge with a pause.
const SUBMISSIONS: [&str; 2] = [
    r#"{"applicant":{"kind":"natural_person"},"received_at":"2026-03-02T09:30:00+08:00"}"#,
    r#"{"applicant":{"kind":"enterprise_legal_person"},"channel":"online","received_at":"2026-09-30T23:59:59+08:00","pledge_signed":true,"pauses":[{"procedure":"hearing","from":"2026-10-09","to":"2026-10-20"}]}"#,
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The calendar files are fixed and clean; the schema lint runs on the matter file alone.
    let calendars = qiquan::embedded_sources()
        .into_iter()
        .filter(|s| s.path.starts_with("calendar/"))
        .collect();
    let Some(engine) = common::lint_and_load("matters/x.toml", text, calendars) else {
        return;
    };
    for summary in engine.matters() {
        let _ = engine.matter(&summary.id, None);
        let _ = engine.matter(&summary.id, Some("2026-03-02"));
        for submission in SUBMISSIONS {
            if let Ok(json) = engine.check_json(&summary.id, submission, None) {
                assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
            }
        }
    }
});
