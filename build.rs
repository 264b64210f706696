//! Embeds the rule files in `rules/` so the engine (and the wasm module) carries its rules.
//! The files are embedded as text and compiled on first use by the same compiler that serves
//! `qiquan lint` and `--rules DIR`, so there is one way rules become a bundle.

use std::fs;
use std::path::{Path, PathBuf};

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

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    for sub in ["matters", "calendar"] {
        collect(&root.join(sub), &root, &mut files);
    }
    files.sort();
    let mut code = String::from(
        "/// Rule files embedded at build time: (path under rules/, text).\npub static EMBEDDED_RULES: &[(&str, &str)] = &[\n",
    );
    for (relative, path) in &files {
        code.push_str(&format!(
            "    ({relative:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded_rules.rs");
    fs::write(out, code).expect("write embedded_rules.rs");
}
