//! Arbitrary text as one calendar file (`calendar/x.toml`) next to the embedded rules: lint
//! (typed and JSON Schema), compile, and, when it compiles, a few deadlines across it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qiquan::bundle::{Validation, lint};
use qiquan::{Engine, SourceFile};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let calendar = SourceFile {
        path: "calendar/x.toml".to_string(),
        text: text.to_string(),
    };
    let mut sources = qiquan::embedded_sources();
    sources.push(calendar.clone());

    let _ = lint(std::slice::from_ref(&calendar), Validation::Schema);
    let typed = lint(&sources, Validation::Types);
    let engine = Engine::from_sources(&sources);
    assert_eq!(typed.is_empty(), engine.is_ok(), "lint and load disagree");
    let Ok(engine) = engine else {
        return;
    };
    for from in ["2019-12-20", "2026-09-01", "2027-12-30"] {
        for unit in ["working", "natural"] {
            let _ = engine.deadline(from, 60, unit);
        }
    }
});
