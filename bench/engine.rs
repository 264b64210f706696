//! Native benchmarks (criterion): `scripts/bench.sh` runs them, then the Node and browser side
//! (`bench/side_by_side.mjs`) and prints one table. See docs/bench.md.
//!
//! No shipped matter is "typical" in size (the largest has 9 materials and 10 fields), so the
//! typical (15 materials, 20 fields) and large (100 materials, 100 fields) matters are generated
//! here as rule TOML and loaded with `Engine::from_sources` next to the embedded calendar. The
//! generated sources and submissions are written to `bench/out/fixtures.json` so that Node and
//! the browser check exactly the same inputs.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group};
use qiquan::{CheckOptions, Engine, Outcome, SourceFile, Submission};
use serde_json::{Value, json};

/// A valid value for each field kind (the check digits of the ID numbers are right).
fn value_for(kind: &str, index: usize) -> Value {
    match kind {
        "text" => json!(format!("示例科技有限公司第{index}号")),
        "pattern" => json!("AB123456"),
        "uscc" => json!("91370102MA3C0A019G"),
        "id_card" => json!("370102198506153214"),
        "phone" => json!("13800138000"),
        "number" => json!(8500),
        "boolean" => json!(true),
        "choice" => json!("a"),
        "date" => json!("2026-01-15"),
        other => unreachable!("{other}"),
    }
}

/// A field of the pattern: kind, TOML attributes, and an optional condition on an earlier
/// field of the same block as (offset, TOML condition with `{f}` for that field's id).
type FieldPattern = (&'static str, &'static str, Option<(usize, &'static str)>);

/// The 20-field pattern a generated matter repeats.
const FIELDS: [FieldPattern; 20] = [
    ("text", "required = true\nmax_length = 100", None),
    (
        "pattern",
        "required = true\npattern = \"[A-Z]{2}[0-9]{6}\"\npattern_hint = { zh = \"两个大写字母加六位数字\", en = \"two capitals and six digits\" }",
        None,
    ),
    ("uscc", "required = true", None),
    ("id_card", "required = true", None),
    ("phone", "required = true", None),
    ("number", "required = true\nmin = 0\nmax = 1000000", None),
    ("number", "required = true\nmin = 0", None),
    ("boolean", "required = true", None),
    ("boolean", "required = true", None),
    ("choice", "required = true", None),
    ("date", "required = true", None),
    ("text", "max_length = 200", None),
    (
        "text",
        "required = true",
        Some((7, "{ field = \"{f}\", equals = true }")),
    ),
    (
        "number",
        "required = true",
        Some((5, "{ field = \"{f}\", greater_than = 100 }")),
    ),
    ("choice", "required = true", None),
    ("date", "", None),
    ("phone", "", None),
    ("boolean", "", None),
    (
        "text",
        "required = true\nmin_length = 2\nmax_length = 50",
        None,
    ),
    (
        "text",
        "required = true",
        Some((9, "{ field = \"{f}\", one_of = [\"a\", \"b\"] }")),
    ),
];

/// The 15-material pattern: (key, form, medium, extra TOML).
const MATERIALS: [(bool, &str, &str, &str); 15] = [
    (true, "original", "paper_or_electronic", ""),
    (true, "copy", "paper_or_electronic", ""),
    (true, "original_and_copy", "paper", ""),
    (true, "original", "paper", ""),
    (true, "copy", "paper_or_electronic", ""),
    (true, "original_or_copy", "paper_or_electronic", ""),
    (false, "original", "paper_or_electronic", ""),
    (false, "copy", "paper_or_electronic", ""),
    (false, "original", "paper", ""),
    (
        false,
        "copy",
        "paper_or_electronic",
        "tolerable = true\npledge_period = { value = 5, unit = \"working_days\" }",
    ),
    (
        false,
        "original",
        "paper_or_electronic",
        "tolerable = true\npledge_period = { value = 10, unit = \"natural_days\" }",
    ),
    (
        true,
        "copy",
        "paper_or_electronic",
        "when = { field = \"f007\", equals = true }",
    ),
    (
        false,
        "original",
        "paper_or_electronic",
        "when = { applicant_kind = [\"enterprise_legal_person\"] }",
    ),
    (
        true,
        "original",
        "paper_or_electronic",
        "acceptance_standard = { zh = \"加盖公章，内容完整\", en = \"sealed and complete\" }",
    ),
    (true, "original", "electronic", ""),
];

/// A generated matter: its rule file, a complete submission (受理) and a half-filled one (补正).
struct Synthetic {
    id: String,
    toml: String,
    complete: Value,
    partial: Value,
}

fn synthetic(id: &str, n_fields: usize, n_materials: usize) -> Synthetic {
    let mut toml = format!(
        r#"matter = "{id}"
version = "2026-01"
effective_from = "2026-01-01"
name = {{ zh = "合成事项（{n_materials} 项材料、{n_fields} 个字段）", en = "Synthetic matter ({n_materials} materials, {n_fields} fields)" }}
department = {{ zh = "基准测试部门", en = "Benchmark department" }}
legal_basis = "《中华人民共和国行政许可法》第三十二条"
case_type = "promised"
applicant_kinds = ["enterprise_legal_person", "other_organization"]
statutory_limit = {{ value = 20, unit = "working_days" }}
promised_limit = {{ value = 10, unit = "working_days" }}
statutory_extension = {{ value = 10, unit = "working_days" }}
clock_starts = "acceptance"
"#
    );
    let mut complete_fields = serde_json::Map::new();
    let mut partial_fields = serde_json::Map::new();
    for i in 0..n_fields {
        let (kind, attributes, when) = FIELDS[i % FIELDS.len()];
        let type_name = if kind == "pattern" { "text" } else { kind };
        let _ = write!(
            toml,
            "\n[[fields]]\nid = \"f{i:03}\"\nlabel = {{ zh = \"字段{i}\", en = \"Field {i}\" }}\ntype = \"{type_name}\"\n{attributes}\n"
        );
        if let Some((offset, condition)) = when {
            let target = format!("f{:03}", i - i % FIELDS.len() + offset);
            let _ = writeln!(toml, "when = {}", condition.replace("{f}", &target));
        }
        if kind == "choice" {
            toml.push_str(
                "options = [\n  { id = \"a\", label = { zh = \"甲\", en = \"A\" } },\n  { id = \"b\", label = { zh = \"乙\", en = \"B\" } },\n  { id = \"c\", label = { zh = \"丙\", en = \"C\" } },\n]\n",
            );
        }
        let value = value_for(kind, i);
        complete_fields.insert(format!("f{i:03}"), value.clone());
        // Half-filled, as while typing: the first half given (one of them mistyped).
        if i < n_fields / 2 {
            let value = if kind == "phone" {
                json!("1380013")
            } else {
                value
            };
            partial_fields.insert(format!("f{i:03}"), value);
        }
    }
    let mut complete_materials = serde_json::Map::new();
    let mut partial_materials = serde_json::Map::new();
    for i in 0..n_materials {
        let (key, form, medium, extra) = MATERIALS[i % MATERIALS.len()];
        let _ = write!(
            toml,
            "\n[[materials]]\nid = \"m{i:03}\"\nname = {{ zh = \"材料{i}\", en = \"Material {i}\" }}\nkey = {key}\nform = \"{form}\"\nmedium = \"{medium}\"\nbasis = \"《示例办法》第{i}条\"\n{extra}\n"
        );
        let submitted_form = match form {
            "copy" => "copy",
            "original_and_copy" => "original_and_copy",
            _ => "original",
        };
        let submitted_medium = if medium == "electronic" {
            "electronic"
        } else {
            "paper"
        };
        let given =
            json!({ "status": "provided", "form": submitted_form, "medium": submitted_medium });
        complete_materials.insert(format!("m{i:03}"), given.clone());
        if i % 2 == 0 {
            partial_materials.insert(format!("m{i:03}"), given);
        } else if i % 7 == 3 {
            partial_materials.insert(
                format!("m{i:03}"),
                json!({ "status": "flawed", "note": "未加盖公章" }),
            );
        }
    }
    let submission = |fields, materials| {
        json!({
            "applicant": { "kind": "enterprise_legal_person" },
            "channel": "window",
            "received_at": "2026-09-28T09:30:00+08:00",
            "fields": fields,
            "materials": materials,
        })
    };
    Synthetic {
        id: id.to_string(),
        toml,
        complete: submission(complete_fields, complete_materials),
        partial: submission(partial_fields, partial_materials),
    }
}

fn calendar_sources() -> Vec<SourceFile> {
    qiquan::embedded_sources()
        .into_iter()
        .filter(|s| s.path.starts_with("calendar/"))
        .collect()
}

fn sources_for(matter: &Synthetic) -> Vec<SourceFile> {
    let mut sources = calendar_sources();
    sources.push(SourceFile {
        path: format!("matters/{}/2026-01.toml", matter.id),
        text: matter.toml.clone(),
    });
    sources
}

/// A loaded synthetic matter with its submissions, checked once so the benchmarks time what
/// they claim to.
struct Prepared {
    matter: Synthetic,
    engine: Engine,
    complete: Submission,
    partial: Submission,
    complete_json: String,
    partial_json: String,
}

fn prepare(matter: Synthetic) -> Prepared {
    let engine = Engine::from_sources(&sources_for(&matter)).expect("synthetic matter compiles");
    let complete: Submission = serde_json::from_value(matter.complete.clone()).expect("shape");
    let partial: Submission = serde_json::from_value(matter.partial.clone()).expect("shape");
    let options = CheckOptions::default();
    let verdict = engine
        .check(&matter.id, &complete, &options)
        .expect("check");
    assert_eq!(verdict.outcome, Outcome::Accept, "{:?}", verdict.findings);
    let verdict = engine.check(&matter.id, &partial, &options).expect("check");
    assert_eq!(verdict.outcome, Outcome::CorrectionRequired);
    Prepared {
        complete_json: matter.complete.to_string(),
        partial_json: matter.partial.to_string(),
        matter,
        engine,
        complete,
        partial,
    }
}

/// As `qiquan bundle` writes it: each file with its JSON form (what the page module reads).
fn bundle_json(sources: &[SourceFile]) -> Value {
    let files: Vec<Value> = sources
        .iter()
        .map(|s| json!({ "path": s.path, "text": s.text, "json": qiquan::json_form(&s.text) }))
        .collect();
    json!({ "files": files })
}

/// The same sources as a signed bundle, as the page module loads rules (`openBundle` +
/// `addBundleFiles`; tests/wasm/signed-rules.mjs `memoryReader`): the public key, `bundle.json`'s
/// text and each file's text by SHA-256. Signed with a fixed key: these are benchmark inputs.
fn signed_json(sources: &[SourceFile]) -> Value {
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let written = qiquan::signed::build(sources, "bench", &key).expect("the fixture signs");
    let files: serde_json::Map<String, Value> = written
        .files
        .into_iter()
        .map(|(sha, text)| (sha, Value::String(text)))
        .collect();
    json!({
        "public_key": qiquan::signed::hex(&key.verifying_key().to_bytes()),
        "envelope": written.envelope,
        "files": files,
    })
}

/// Writes what the Node and browser benchmarks load: the same sources and submissions.
fn write_fixtures(typical: &Prepared, large: &Prepared) {
    let fixture = |p: &Prepared| {
        let partial_findings = p
            .engine
            .check(&p.matter.id, &p.partial, &CheckOptions::default())
            .map(|v| v.findings.len())
            .unwrap_or_default();
        json!({
            "matter": p.matter.id,
            "bundle": bundle_json(&sources_for(&p.matter)),
            "signed": signed_json(&sources_for(&p.matter)),
            "complete": p.matter.complete,
            "partial": p.matter.partial,
            "partial_findings": partial_findings,
            "rules_digest": p.engine.rules_digest(),
        })
    };
    let fixtures = json!({
        "typical": fixture(typical),
        "large": fixture(large),
        "embedded": bundle_json(&qiquan::embedded_sources()),
        "deadline": { "from": "2026-09-01", "days": 60, "unit": "working" },
    });
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("bench/out");
    std::fs::create_dir_all(&dir).expect("bench/out");
    std::fs::write(dir.join("fixtures.json"), fixtures.to_string()).expect("fixtures.json");
}

fn benches(c: &mut Criterion) {
    let typical = prepare(synthetic("bench_typical", 20, 15));
    let large = prepare(synthetic("bench_large", 100, 100));
    write_fixtures(&typical, &large);
    let options = CheckOptions::default();

    let mut group = c.benchmark_group("native");
    for (name, p) in [("typical", &typical), ("large", &large)] {
        for (state, submission, json) in [
            ("complete", &p.complete, &p.complete_json),
            ("partial", &p.partial, &p.partial_json),
        ] {
            group.bench_function(format!("check/{name}/{state}"), |b| {
                b.iter(|| {
                    p.engine
                        .check(black_box(&p.matter.id), black_box(submission), &options)
                        .expect("check")
                })
            });
            group.bench_function(format!("check_json/{name}/{state}"), |b| {
                b.iter(|| {
                    p.engine
                        .check_json(black_box(&p.matter.id), black_box(json), None)
                        .expect("check_json")
                })
            });
        }
    }

    for (name, p) in [("typical", &typical), ("large", &large)] {
        group.bench_function(format!("check_compact_json/{name}/partial"), |b| {
            b.iter(|| {
                p.engine
                    .check_compact_json(black_box(&p.matter.id), black_box(&p.partial_json), None)
                    .expect("check_compact_json")
            })
        });
    }

    // Scaling: a complete submission of n items (n/2 fields, n/2 materials); linear when the
    // time per item stays the same (bench/side_by_side.mjs prints the ratios).
    for n in [10, 100, 1000] {
        let p = prepare(synthetic(&format!("bench_scale_{n}"), n / 2, n / 2));
        group.bench_function(format!("scaling/check_json/{n}"), |b| {
            b.iter(|| {
                p.engine
                    .check_json(black_box(&p.matter.id), black_box(&p.complete_json), None)
                    .expect("check_json")
            })
        });
    }

    let embedded = qiquan::embedded_sources();
    group.bench_function("compile/embedded", |b| {
        b.iter(|| Engine::from_sources(black_box(&embedded)).expect("compiles"))
    });

    let engine = Engine::embedded().expect("embedded");
    let answer = engine
        .deadline("2026-09-01", 60, "working")
        .expect("deadline");
    assert_eq!(answer.due, "2026-11-30");
    group.bench_function("deadline/60wd", |b| {
        b.iter(|| {
            engine
                .deadline(black_box("2026-09-01"), black_box(60), "working")
                .expect("deadline")
        })
    });
    group.finish();
}

criterion_group!(engine, benches);

fn main() {
    engine();
    Criterion::default().configure_from_args().final_summary();
}
