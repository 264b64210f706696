//! Arbitrary text as one calendar file (`calendar/x.toml`) next to the embedded rules: lint
//! (typed and JSON Schema), compile, and, when it compiles, a few deadlines across it.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(engine) = common::lint_and_load("calendar/x.toml", text, qiquan::embedded_sources())
    else {
        return;
    };
    for from in ["2019-12-20", "2026-09-01", "2027-12-30"] {
        for unit in ["working", "natural"] {
            let _ = engine.deadline(from, 60, unit);
        }
    }
});
