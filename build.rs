//! Embeds the rule files in `rules/` so the engine (and the wasm module) carries its rules.
//!
//! Each file is embedded as its TOML text and, beside it, the same document pre-parsed into
//! JSON; the bundle's digest is computed here too. Both only save start-up work: on a phone the
//! first verdict used to spend most of its time parsing TOML and hashing 100 KB in
//! not-yet-optimised wasm. The embedded rules are still compiled on first use by the same
//! compiler that serves `qiquan lint` and `--rules DIR` (same checks, same errors), and a file
//! this script cannot convert exactly is left to that compiler's TOML path, which reports it
//! with line and column. Nothing here fails the build over a bad rule file: `qiquan lint` must
//! still build to say what is wrong.

use std::fs;
use std::path::{Path, PathBuf};

// Only `digest_sorted` is needed here.
#[allow(dead_code)]
#[path = "src/digest.rs"]
mod digest;

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            let relative = path.strip_prefix(root).expect("under root");
            let relative = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((relative, path.clone()));
        }
    }
}

/// True when JSON can carry the value exactly: no TOML datetimes, no NaN or infinities.
fn json_exact(value: &toml::Value) -> bool {
    match value {
        toml::Value::Float(f) => f.is_finite(),
        toml::Value::Datetime(_) => false,
        toml::Value::Array(items) => items.iter().all(json_exact),
        toml::Value::Table(table) => table.values().all(json_exact),
        toml::Value::String(_) | toml::Value::Integer(_) | toml::Value::Boolean(_) => true,
    }
}

/// The file as JSON text, when it parses and converts exactly.
fn pre_parse(text: &str) -> Option<String> {
    let value: toml::Value = toml::from_str(text).ok()?;
    if !json_exact(&value) {
        return None;
    }
    serde_json::to_string(&value).ok()
}

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest.join("rules");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/digest.rs");
    let mut files = Vec::new();
    for sub in ["matters", "calendar"] {
        collect(&root.join(sub), &root, &mut files);
    }
    // The centre profile (optional) sits at the top of the rules directory.
    let centre = root.join("centre.toml");
    if centre.is_file() {
        files.push(("centre.toml".to_string(), centre));
    }
    files.sort();

    let mut texts = Vec::new();
    for (_, path) in &files {
        // Unreadable or non-UTF-8: embed nothing pre-parsed; include_str! below reports it.
        texts.push(fs::read_to_string(path).unwrap_or_default());
    }
    let digest = digest::digest_sorted(
        files
            .iter()
            .zip(&texts)
            .map(|((relative, _), text)| (relative.as_str(), text.as_str())),
    );

    let parsed_dir = out_dir.join("parsed");
    fs::create_dir_all(&parsed_dir).expect("create OUT_DIR/parsed");
    let mut code = String::from(
        "/// Rule files embedded at build time: (path under rules/, TOML text, the same pre-parsed\n\
         /// into JSON when build.rs could convert it exactly).\n\
         pub static EMBEDDED_RULES: &[(&str, &str, Option<&str>)] = &[\n",
    );
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|arch| arch == "wasm32");
    for (index, ((relative, path), text)) in files.iter().zip(&texts).enumerate() {
        // The wasm module parses the TOML itself, without its comment lines (the citations):
        // typed JSON deserializers for the whole rule format, plus the JSON text, cost more
        // module size than the budget has room for. The digest above is of the full text.
        let (json, toml) = if wasm {
            let file = parsed_dir.join(format!("{index}.toml"));
            fs::write(&file, strip_comment_lines(text)).expect("write stripped rule file");
            (
                None,
                format!("include_str!({:?})", file.display().to_string()),
            )
        } else {
            (
                pre_parse(text),
                format!("include_str!({:?})", path.display().to_string()),
            )
        };
        let parsed = match json {
            Some(json) => {
                let file = parsed_dir.join(format!("{index}.json"));
                fs::write(&file, json).expect("write pre-parsed rule file");
                format!("Some(include_str!({:?}))", file.display().to_string())
            }
            None => String::from("None"),
        };
        code.push_str(&format!("    ({relative:?}, {toml}, {parsed}),\n"));
    }
    code.push_str("];\n");
    code.push_str(&format!(
        "/// `rules_digest` of EMBEDDED_RULES (their paths and TOML texts).\n\
         pub const EMBEDDED_DIGEST: &str = {digest:?};\n"
    ));
    fs::write(out_dir.join("embedded_rules.rs"), code).expect("write embedded_rules.rs");
}

/// The text without its whole-line comments. A file with a multi-line string (where a line
/// may start with `#` inside the value) is kept whole.
fn strip_comment_lines(text: &str) -> String {
    if text.contains("\"\"\"") || text.contains("\'\'\'") {
        return text.to_string();
    }
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .map(|line| format!("{line}\n"))
        .collect()
}
