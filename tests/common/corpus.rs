//! The conformance corpus's case files (`tests/conformance/**/*.json` without the
//! `*.expected.json`), in path order. Shared by the test binaries that walk the corpus
//! (`#[path = "common/corpus.rs"] mod corpus;`).

use std::path::{Path, PathBuf};

/// Appends every case file under `dir` to `out`, sorted by path at each level.
pub fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("conformance dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            cases(&path, out);
        } else if path.extension().is_some_and(|e| e == "json")
            && !path.to_string_lossy().ends_with(".expected.json")
        {
            out.push(path);
        }
    }
}
