//! Inputs that once made the engine panic, found by fuzzing (`fuzz/`, docs/bench.md) or while
//! writing the fuzz targets. Each must now come back as an error value or a lint diagnostic.

use qiquan::Engine;
use qiquan::bundle::{SourceFile, Validation, lint};

fn calendar(text: &str) -> Vec<SourceFile> {
    let mut sources: Vec<SourceFile> = qiquan::embedded_sources()
        .into_iter()
        .filter(|s| s.path.starts_with("matters/"))
        .collect();
    sources.push(SourceFile {
        path: "calendar/x.toml".into(),
        text: text.into(),
    });
    sources
}

/// A calendar year of i32::MIN: the notice's range starts in December of the year before,
/// which overflowed (a panic with overflow checks, as in tests and fuzz builds).
#[test]
fn calendar_year_at_the_edge_of_i32_is_a_diagnostic() {
    for year in [i32::MIN, i32::MAX] {
        let text = format!("year = {year}\nnotice = \"通知\"\nholidays = []\n");
        let sources = calendar(&text);
        for validation in [Validation::Types, Validation::Schema] {
            let diagnostics = lint(&sources, validation);
            assert!(
                diagnostics
                    .iter()
                    .any(|d| d.file == "calendar/x.toml" && d.code == "invalid_value"),
                "{year}: {diagnostics:?}"
            );
        }
        let error = Engine::from_sources(&sources).expect_err("refused");
        assert_eq!(error.code, qiquan::ErrorCode::RulesInvalid);
    }
}
