//! What the rule-file targets share: one fuzzed file next to fixed, clean rules.

use qiquan::bundle::{Validation, lint};
use qiquan::{Engine, SourceFile};

/// Lints `file` against the JSON Schema on its own, then lints and loads it with `others`, and
/// asserts they agree (one compiler: a bundle loads exactly when it lints without errors). The engine,
/// when it loaded.
pub fn lint_and_load(path: &str, text: &str, others: Vec<SourceFile>) -> Option<Engine> {
    let file = SourceFile {
        path: path.to_string(),
        text: text.to_string(),
    };
    let _ = lint(std::slice::from_ref(&file), Validation::Schema);
    let mut sources = others;
    sources.push(file);
    let typed = lint(&sources, Validation::Types);
    let engine = Engine::from_sources(&sources);
    // Warnings (e.g. `sharing_unmarked`) do not stop a bundle from loading; errors do.
    let clean = !typed.iter().any(|d| d.is_error());
    assert_eq!(clean, engine.is_ok(), "lint and load disagree");
    engine.ok()
}
