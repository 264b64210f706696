//! The native half of the paired Node-vs-native timing (`bench/side_by_side.mjs` spawns it).
//!
//! Criterion runs minutes before the Node rows, and on a noisy shared host that alone moved a
//! ratio by 2× between runs. So the ratio is taken from samples that alternate: Node times a
//! batch through `pkg/`, asks this process to time a batch of the same call natively, and so on;
//! both halves see the same moments of the machine.
//!
//! Protocol (stdin → stdout, one line each): `CASE CALLS` → nanoseconds per call. Cases:
//! `check_json/{typical,large}/{complete,partial}`, `check_compact_json/{typical,large}/partial`,
//! `compile/embedded`, `deadline/60wd`; and the parts of a compact check,
//! `stage/{typical,large}/{parse,check_compact,words,json}` (docs/wasm.md: where a compact
//! check's time goes): reading the submission JSON, the decision with its projection
//! (`Engine::check_compact`), the words fingerprint alone, and writing the compact JSON.
//! Reads the fixtures `cargo bench --bench engine` wrote (argument: path to fixtures.json).
//!
//! ```text
//! cargo build --release --example native_timer --no-default-features
//! ```

use std::hint::black_box;
use std::io::{BufRead, Write};
use std::time::Instant;

use qiquan::{CheckOptions, Engine, SourceFile, Submission};
use serde_json::Value;

struct Case {
    engine: Engine,
    matter: String,
    complete: String,
    partial: String,
}

fn case(fixture: &Value) -> Case {
    let files: Vec<SourceFile> =
        serde_json::from_value(fixture["bundle"]["files"].clone()).expect("bundle files");
    Case {
        engine: Engine::from_sources(&files).expect("fixture bundle compiles"),
        matter: fixture["matter"].as_str().expect("matter").to_string(),
        complete: fixture["complete"].to_string(),
        partial: fixture["partial"].to_string(),
    }
}

/// One part of a compact check of the case's partial submission, timed alone.
fn stage_run<'a>(case: &'a Case, stage: &str) -> Box<dyn Fn() + 'a> {
    let options = CheckOptions::default();
    let submission: Submission =
        qiquan::parse_json(&case.partial, "submission").expect("partial parses");
    let verdict = case
        .engine
        .check(&case.matter, &submission, &options)
        .expect("check");
    let compact = case
        .engine
        .check_compact(&case.matter, &submission, &options)
        .expect("check_compact");
    match stage {
        "parse" => Box::new(move || {
            black_box(qiquan::parse_json::<Submission>(
                black_box(&case.partial),
                "submission",
            ))
            .expect("parse");
        }),
        "check_compact" => Box::new(move || {
            black_box(
                case.engine
                    .check_compact(&case.matter, black_box(&submission), &options),
            )
            .expect("check_compact");
        }),
        "words" => Box::new(move || {
            black_box(qiquan::compact::verdict_words(black_box(&verdict)));
        }),
        "json" => Box::new(move || {
            black_box(qiquan::compact::to_json(black_box(&compact))).expect("json");
        }),
        _ => panic!("unknown stage {stage}"),
    }
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "bench/out/fixtures.json".into());
    let text = std::fs::read_to_string(&path).expect("fixtures.json (run cargo bench first)");
    let fixtures: Value = serde_json::from_str(&text).expect("fixtures.json");
    let typical = case(&fixtures["typical"]);
    let large = case(&fixtures["large"]);
    let embedded = qiquan::embedded_sources();
    let engine = Engine::embedded().expect("embedded rules");
    let deadline = &fixtures["deadline"];
    let (from, days, unit) = (
        deadline["from"].as_str().expect("from"),
        deadline["days"].as_i64().expect("days"),
        deadline["unit"].as_str().expect("unit"),
    );

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin");
        let mut words = line.split_whitespace();
        let (Some(name), Some(calls)) = (words.next(), words.next()) else {
            continue;
        };
        let calls: u32 = calls.parse().expect("CALLS");
        let run: Box<dyn Fn()> = match name.split('/').collect::<Vec<_>>().as_slice() {
            ["check_json", size, state] => {
                let case = if *size == "large" { &large } else { &typical };
                let json = if *state == "partial" {
                    &case.partial
                } else {
                    &case.complete
                };
                Box::new(move || {
                    black_box(case.engine.check_json(&case.matter, black_box(json), None))
                        .expect("check_json");
                })
            }
            ["check_compact_json", size, "partial"] => {
                let case = if *size == "large" { &large } else { &typical };
                Box::new(move || {
                    black_box(case.engine.check_compact_json(
                        &case.matter,
                        black_box(&case.partial),
                        None,
                    ))
                    .expect("check_compact_json");
                })
            }
            ["stage", size, stage] => {
                let case = if *size == "large" { &large } else { &typical };
                stage_run(case, stage)
            }
            ["compile", "embedded"] => Box::new(|| {
                black_box(Engine::from_sources(black_box(&embedded))).expect("compiles");
            }),
            ["deadline", "60wd"] => Box::new(|| {
                black_box(engine.deadline(black_box(from), black_box(days), unit))
                    .expect("deadline");
            }),
            _ => panic!("unknown case {name}"),
        };
        let start = Instant::now();
        for _ in 0..calls {
            run();
        }
        let per_call = start.elapsed().as_nanos() as f64 / f64::from(calls.max(1));
        writeln!(out, "{per_call}").expect("stdout");
        out.flush().expect("stdout");
    }
}
