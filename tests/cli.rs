//! The `qiquan` command line: its output contract and exit codes (0 verdict, 1 lint problems,
//! 2 bad input with a structured error on stderr).

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn qiquan(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qiquan"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.unwrap_or("").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn error_code(output: &Output) -> String {
    let stderr: serde_json::Value = serde_json::from_slice(&output.stderr).unwrap_or_else(|e| {
        panic!(
            "stderr is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    stderr["error"]["code"].as_str().unwrap().to_string()
}

#[test]
fn deadline_prints_the_due_date_on_the_first_line() {
    let out = qiquan(
        &[
            "deadline",
            "--from",
            "2025-09-26",
            "--days",
            "5",
            "--unit",
            "working",
        ],
        None,
    );
    assert!(out.status.success());
    assert_eq!(stdout(&out).lines().next(), Some("2025-10-10"));
    let out = qiquan(
        &[
            "deadline",
            "--from",
            "2026-02-13",
            "--days",
            "10",
            "--unit",
            "working",
            "--json",
        ],
        None,
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["due"], "2026-03-05");
    assert_eq!(json["provisional"], false);
    let out = qiquan(
        &[
            "deadline",
            "--from",
            "2027-01-04",
            "--days",
            "3",
            "--unit",
            "natural",
            "--json",
        ],
        None,
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["provisional"], true);
}

#[test]
fn deadline_bad_input_exits_2_with_a_code() {
    for (args, code) in [
        (
            vec!["deadline", "--from", "2026-13-01", "--days", "1"],
            "invalid_date",
        ),
        (
            vec!["deadline", "--from", "2026-03-01", "--days", "-3"],
            "days_out_of_range",
        ),
        (
            vec![
                "deadline",
                "--from",
                "2026-03-01",
                "--days",
                "99999999999999999999",
            ],
            "usage",
        ),
        (
            vec![
                "deadline",
                "--from",
                "2026-03-01",
                "--days",
                "1",
                "--unit",
                "weeks",
            ],
            "invalid_unit",
        ),
        (vec!["frobnicate"], "usage"),
    ] {
        let out = qiquan(&args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(error_code(&out), code, "{args:?}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn check_prints_the_verdict_and_exits_0_whatever_the_outcome() {
    let submission =
        r#"{"applicant":{"kind":"natural_person"},"received_at":"2026-03-02T09:00:00+08:00"}"#;
    let out = qiquan(
        &[
            "check",
            "--matter",
            "public_place_hygiene_license",
            "--submission",
            "-",
        ],
        Some(submission),
    );
    assert_eq!(out.status.code(), Some(0));
    let verdict: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdict["outcome"], "correction_required");
    assert_eq!(verdict["notice"]["kind"], "correction");
    assert!(
        verdict["notice"]["text"]["zh"]
            .as_str()
            .unwrap()
            .contains("\n补正材料通知书\n")
    );
}

#[test]
fn check_output_is_byte_identical_to_the_library() {
    let submission = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/conformance/core/tolerable_missing_signed.json"
    ))
    .unwrap();
    let case: serde_json::Value = serde_json::from_str(&submission).unwrap();
    let body = case["submission"].to_string();
    let out = qiquan(
        &[
            "check",
            "--matter",
            "public_place_hygiene_license",
            "--submission",
            "-",
        ],
        Some(&body),
    );
    let library = qiquan::Engine::embedded()
        .unwrap()
        .check_json("public_place_hygiene_license", &body, None)
        .unwrap();
    assert_eq!(stdout(&out), format!("{library}\n"));
}

#[test]
fn check_bad_input_exits_2_never_panics() {
    for (matter, input, code) in [
        ("public_place_hygiene_license", "{", "invalid_json"),
        ("public_place_hygiene_license", "", "invalid_json"),
        ("public_place_hygiene_license", "\u{feff}{}", "invalid_json"),
        ("public_place_hygiene_license", "{}", "invalid_submission"),
        (
            "nope",
            r#"{"applicant":{"kind":"natural_person"},"received_at":"2026-03-02T09:00:00+08:00"}"#,
            "unknown_matter",
        ),
        (
            "public_place_hygiene_license",
            r#"{"applicant":{"kind":"natural_person"},"received_at":"+275760-09-13T00:00:00Z"}"#,
            "invalid_instant",
        ),
        (
            "public_place_hygiene_license",
            r#"{"applicant":{"kind":"natural_person"},"received_at":"1800-01-01T00:00:00Z"}"#,
            "date_out_of_range",
        ),
    ] {
        let out = qiquan(
            &["check", "--matter", matter, "--submission", "-"],
            Some(input),
        );
        assert_eq!(out.status.code(), Some(2), "{input}");
        assert_eq!(error_code(&out), code, "{input}");
    }
    let huge = format!(
        r#"{{"applicant":{{"kind":"natural_person"}},"fields":{{"unit_name":"{}"}}}}"#,
        "x".repeat(300_000)
    );
    let out = qiquan(
        &[
            "check",
            "--matter",
            "public_place_hygiene_license",
            "--submission",
            "-",
        ],
        Some(&huge),
    );
    assert_eq!(error_code(&out), "input_too_large");
    let out = qiquan(
        &[
            "check",
            "--matter",
            "public_place_hygiene_license",
            "--submission",
            "/no/such/file",
        ],
        None,
    );
    assert_eq!(error_code(&out), "io");
}

#[test]
fn lint_reports_path_line_col_code_and_exits_1() {
    let dir = std::env::temp_dir().join(format!("qiquan-lint-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("matters/demo")).unwrap();
    std::fs::write(
        dir.join("matters/demo/1.toml"),
        "matter = \"demo\"\nversion = \"1\"\nflavour = \"x\"\n",
    )
    .unwrap();
    let out = qiquan(&["lint", dir.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let file = dir.join("matters/demo/1.toml").display().to_string();
    // Every problem at once: the missing keys and the unknown one.
    assert!(
        text.lines().all(|l| l.starts_with(&format!("{file}:"))),
        "{text}"
    );
    assert!(
        text.contains(&format!("{file}:1:1: missing_key:")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with(&format!("{file}:3:")) && l.contains(": unknown_key: ")),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    let out = qiquan(&["lint", "rules"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn rules_can_be_loaded_at_run_time() {
    let out = qiquan(&["matters", "--rules", "rules", "--json"], None);
    assert!(out.status.success());
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == "public_place_hygiene_license")
    );
    let out = qiquan(&["matters", "--rules", "/no/such/dir"], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(error_code(&out), "rules_invalid");
}
