//! Embeds the rule files in `rules/` so the engine (and the wasm module) carries its rules.
//!
//! Each file is embedded as the same document pre-parsed into JSON and, with the `toml` feature
//! (native builds, the studio module), its TOML text; the bundle's digest is computed here too,
//! so the page module (no `toml`) carries neither the TOML text nor the TOML parser. Both only save start-up work: on a phone the
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
// digest.rs writes its hex through `crate::hex`.
#[allow(dead_code)]
#[path = "src/hex.rs"]
mod hex;

#[path = "src/json_form.rs"]
mod json_form;

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

/// The keys of a matter file that `matters()` lists (`MatterHead` in src/bundle/lazy.rs): the
/// engine reads them from this small document instead of scanning every file's JSON form.
const HEAD_KEYS: [&str; 8] = [
    "matter",
    "version",
    "effective_from",
    "effective_until",
    "name",
    "department",
    "case_type",
    "applicant_kinds",
];

fn head_of(json: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    let object = value.as_object()?;
    let head: serde_json::Map<String, serde_json::Value> = HEAD_KEYS
        .iter()
        .filter_map(|key| Some((key.to_string(), object.get(*key)?.clone())))
        .collect();
    serde_json::to_string(&head).ok()
}

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest.join("rules");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/digest.rs");
    println!("cargo:rerun-if-changed=src/hex.rs");
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

    let with_toml = std::env::var_os("CARGO_FEATURE_TOML").is_some();
    if std::env::var_os("CARGO_FEATURE_EMBED").is_none() {
        // The page module: no rules built in (it loads a bundle at run time).
        fs::write(out_dir.join("embedded_rules.rs"), "").expect("write embedded_rules.rs");
        return;
    }
    println!("cargo:rerun-if-changed=src/json_form.rs");
    let parsed_dir = out_dir.join("parsed");
    fs::create_dir_all(&parsed_dir).expect("create OUT_DIR/parsed");
    let mut code = String::from(
        "/// Rule files embedded at build time: (path under rules/, TOML text (empty without the\n\
         /// `toml` feature), the same pre-parsed into JSON when build.rs could convert it exactly).\n\
         pub static EMBEDDED_RULES: &[(&str, &str, Option<&str>)] = &[\n",
    );
    let mut heads = String::from(
        "/// The heads of the matter files in EMBEDDED_RULES (what `matters()` lists), by path.\n\
         pub static EMBEDDED_HEADS: &[(&str, &str)] = &[\n",
    );
    for (index, ((relative, path), text)) in files.iter().zip(&texts).enumerate() {
        let parsed = match json_form::json_form(text) {
            Some(json) => {
                if relative.starts_with("matters/")
                    && let Some(head) = head_of(&json)
                {
                    let file = parsed_dir.join(format!("{index}.head.json"));
                    fs::write(&file, head).expect("write a matter file's head");
                    heads.push_str(&format!(
                        "    ({relative:?}, include_str!({:?})),\n",
                        file.display().to_string()
                    ));
                }
                let file = parsed_dir.join(format!("{index}.json"));
                fs::write(&file, json).expect("write pre-parsed rule file");
                format!("Some(include_str!({:?}))", file.display().to_string())
            }
            None => String::from("None"),
        };
        // Without the `toml` feature (the page module) the TOML text is not embedded: the
        // engine reads only the JSON form, and the digest is precomputed here.
        let text = if with_toml {
            format!("include_str!({:?})", path.display().to_string())
        } else {
            String::from("\"\"")
        };
        code.push_str(&format!("    ({relative:?}, {text}, {parsed}),\n"));
    }
    code.push_str("];\n");
    heads.push_str("];\n");
    code.push_str(&heads);
    code.push_str(&format!(
        "/// `rules_digest` of EMBEDDED_RULES (their paths and TOML texts).\n\
         pub const EMBEDDED_DIGEST: &str = {digest:?};\n"
    ));
    fs::write(out_dir.join("embedded_rules.rs"), code).expect("write embedded_rules.rs");
}
