//! The `qiquan` command line: its output contract and exit codes (0 verdict, 1 lint problems,
//! 2 bad input with a structured error on stderr).
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn qiquan(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qiquan"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The command may finish (or refuse the input) before reading all of stdin: a closed pipe
    // is not the test's failure, the exit code and output say what happened.
    let written = child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.unwrap_or("").as_bytes());
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
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
        concat!(env!("CARGO_MANIFEST_DIR"), "/.."),
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
fn check_compact_prints_one_line_without_prose() {
    let case: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            concat!(env!("CARGO_MANIFEST_DIR"), "/.."),
            "/tests/conformance/core/tolerable_missing_signed.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let body = case["submission"].to_string();
    let args = [
        "check",
        "--matter",
        "public_place_hygiene_license",
        "--submission",
        "-",
    ];
    let full: serde_json::Value =
        serde_json::from_str(&stdout(&qiquan(&args, Some(&body)))).unwrap();
    let out = qiquan(&[&args[..], &["--compact"]].concat(), Some(&body));
    assert!(out.status.success());
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    let compact: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(compact["outcome"], full["outcome"]);
    assert_eq!(
        compact["pledge"]["available"],
        full["pledge"]["would_accept"]
    );
    // No prose: none of the verdict's sentences, no notice.
    assert!(compact.get("notice").is_none());
    let message = full["findings"][0]["message"]["zh"].as_str().unwrap();
    assert!(!text.contains(message));
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
    assert_eq!(error_code(&out), "io");
}

const MATTER: &str = "public_place_hygiene_license";

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qiquan-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs with a deadline: a hang is a failure, not a stuck test run.
fn qiquan_within(args: &[&str], seconds: u64) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_qiquan"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("qiquan {args:?} still running after {seconds} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// A copy of the shipped rules to break in one way.
fn rules_copy(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    let status = Command::new("cp")
        .args(["-r", "rules/matters", "rules/calendar"])
        .arg(&dir)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .status()
        .unwrap();
    assert!(status.success());
    dir
}

fn assert_rules_refused(dir: &Path, code: &str) {
    let dir = dir.to_str().unwrap();
    for args in [
        vec!["lint", dir],
        vec!["matters", "--rules", dir],
        vec![
            "check",
            "--matter",
            MATTER,
            "--submission",
            "/dev/null",
            "--rules",
            dir,
        ],
    ] {
        let out = qiquan_within(&args, 20);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stdout(&out));
        assert_eq!(error_code(&out), code, "{args:?}");
    }
}

#[test]
fn a_fifo_in_the_rules_is_refused_without_hanging() {
    let dir = rules_copy("fifo");
    let fifo = dir.join("matters/zz.toml");
    let status = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    assert_rules_refused(&dir, "rules_not_regular_file");
}

#[test]
fn symlinks_out_of_the_rules_and_loops_are_refused() {
    use std::os::unix::fs::symlink;
    let dir = rules_copy("to-dev-zero");
    symlink("/dev/zero", dir.join("matters/zero.toml")).unwrap();
    assert_rules_refused(&dir, "rules_outside_dir");

    let dir = rules_copy("to-root");
    symlink("/", dir.join("matters/root")).unwrap();
    assert_rules_refused(&dir, "rules_outside_dir");

    // Two links to the directory itself: each would be walked again and again.
    let dir = rules_copy("to-self");
    symlink(".", dir.join("matters/again")).unwrap();
    symlink(".", dir.join("matters/and_again")).unwrap();
    assert_rules_refused(&dir, "rules_loop");

    // Links to each other: the system's own loop error.
    let dir = rules_copy("loop");
    symlink("b.toml", dir.join("matters/a.toml")).unwrap();
    symlink("a.toml", dir.join("matters/b.toml")).unwrap();
    assert_rules_refused(&dir, "rules_loop");

    // A link that stays inside (a Kubernetes ConfigMap mount is made of them) is fine.
    let dir = rules_copy("inside");
    std::fs::rename(dir.join("calendar"), dir.join(".data")).unwrap();
    symlink(dir.join(".data"), dir.join("calendar")).unwrap();
    let out = qiquan_within(&["lint", dir.to_str().unwrap()], 20);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn oversized_rule_files_are_refused() {
    let dir = rules_copy("big-file");
    let big = format!("# {}\n", "x".repeat(1024 * 1024));
    std::fs::write(dir.join("matters/big.toml"), big).unwrap();
    assert_rules_refused(&dir, "rules_file_too_large");

    // Many files under the per-file limit, over the total.
    let dir = rules_copy("big-total");
    let chunk = format!("# {}\n", "x".repeat(1000 * 1000));
    for i in 0..17 {
        std::fs::write(dir.join(format!("matters/pad{i:02}.toml")), &chunk).unwrap();
    }
    assert_rules_refused(&dir, "rules_too_large");
}

#[test]
fn a_closed_stdout_pipe_ends_quietly() {
    let submission =
        r#"{"applicant":{"kind":"natural_person"},"received_at":"2026-03-02T09:00:00+08:00"}"#;
    for args in [
        vec!["check", "--matter", MATTER, "--submission", "-"],
        vec!["matters"],
        vec!["matter", MATTER],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_qiquan"))
            .args(&args)
            .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // `| head -0`: the reader is gone before the first line is written.
        drop(child.stdout.take());
        child
            .stdin
            .take()
            .unwrap()
            .write_all(submission.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

/// The CLI's error for an input file, and the library's (which the wasm module returns) for
/// the same text, must be the same bytes.
fn cli_error_for_file(name: &str, bytes: &[u8]) -> (Output, serde_json::Value) {
    let dir = temp_dir(name);
    let path = dir.join("submission.json");
    std::fs::write(&path, bytes).unwrap();
    let out = qiquan(
        &[
            "check",
            "--matter",
            MATTER,
            "--submission",
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let error: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    (out, error)
}

#[test]
fn oversized_input_is_input_too_large_even_when_cut_inside_a_character() {
    let limit = qiquan::submission::MAX_SUBMISSION_BYTES;
    let engine = qiquan::Engine::embedded().unwrap();
    // "甲" is 3 bytes: with this padding the byte at the limit falls inside one.
    for extra in [1usize, 2, 3, 4, 1000] {
        let prefix = r#"{"applicant":{"kind":"natural_person"},"fields":{"unit_name":""#;
        let suffix = r#""}}"#;
        let mut text = String::from(prefix);
        while text.len() + suffix.len() < limit + extra {
            text.push('甲');
        }
        text.push_str(suffix);
        let (out, error) = cli_error_for_file(&format!("big-{extra}"), text.as_bytes());
        assert_eq!(error["error"]["code"], "input_too_large", "{error}");
        let size = format!("({} bytes)", text.len());
        assert!(
            error["error"]["message"]["en"]
                .as_str()
                .unwrap()
                .contains(&size),
            "{error}"
        );
        // The wasm module's checkJson is Engine::check_json: the same bytes.
        let library = engine
            .check_json(MATTER, &text, None)
            .unwrap_err()
            .to_json();
        assert_eq!(String::from_utf8_lossy(&out.stderr).trim_end(), library);
    }
    // Just at the limit: read and parsed (here a shape error, not a size error).
    let mut text = String::from(r#"{"applicant":{"kind":"natural_person"},"x":""#);
    text.push_str(&" ".repeat(limit - text.len() - 2));
    text.push_str("\"}");
    assert_eq!(text.len(), limit);
    let (_, error) = cli_error_for_file("at-limit", text.as_bytes());
    assert_eq!(error["error"]["code"], "invalid_submission", "{error}");
}

#[test]
fn non_utf8_input_is_invalid_json_with_a_position() {
    let mut bytes =
        b"{\n  \"applicant\": {\"kind\": \"natural_person\"},\n  \"fields\": {\"unit_name\": \""
            .to_vec();
    bytes.extend_from_slice(&[0xe7, 0x94]); // a character cut short
    bytes.extend_from_slice(b"\"}}\n");
    let (_, error) = cli_error_for_file("latin1", &bytes);
    assert_eq!(error["error"]["code"], "invalid_json", "{error}");
    let en = error["error"]["message"]["en"].as_str().unwrap();
    assert!(en.contains("line 3 column 28"), "{error}");
    let zh = error["error"]["message"]["zh"].as_str().unwrap();
    assert!(zh.contains("第 3 行第 28 列"), "{error}");
    assert!(!zh.contains("line"), "{error}");
}

#[test]
fn zh_messages_do_not_carry_the_parser_s_english() {
    for input in [
        "{}",
        "{",
        r#"{"applicant":{"kind":"natural_person"},"fields":{"a":1,"a":2}}"#,
    ] {
        let out = qiquan(
            &["check", "--matter", MATTER, "--submission", "-"],
            Some(input),
        );
        let error: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
        let zh = error["error"]["message"]["zh"].as_str().unwrap();
        assert!(
            !zh.bytes().any(|b| b.is_ascii_lowercase()),
            "English in the zh message: {zh}"
        );
    }
}

#[test]
fn bundle_sign_writes_a_content_addressed_signed_bundle() {
    use sha2::{Digest, Sha256};
    let dir = temp_dir("signed-bundle");
    let key = dir.join("bundle.key");
    let out = dir.join("out");
    let keygen = qiquan(&["keygen", "--out", key.to_str().unwrap()], None);
    assert!(keygen.status.success());
    let written = qiquan(
        &[
            "bundle",
            "--sign",
            key.to_str().unwrap(),
            "--revision",
            "2026-03.1",
            "--out",
            out.to_str().unwrap(),
            "rules",
        ],
        None,
    );
    assert!(written.status.success(), "{written:?}");
    let envelope: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("bundle.json")).unwrap()).unwrap();
    let signature = &envelope["signatures"][0];
    assert_eq!(signature["algorithm"], "ed25519");
    assert_eq!(signature["signature"].as_str().unwrap().len(), 128);
    let key_file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&key).unwrap()).unwrap();
    assert_eq!(signature["key_id"], key_file["key_id"]);
    let manifest: serde_json::Value =
        serde_json::from_str(envelope["payload"].as_str().unwrap()).unwrap();
    assert_eq!(manifest["format"], 1);
    assert_eq!(manifest["revision"], "2026-03.1");
    let verdict = qiquan(&["matters", "--json"], None);
    let matters: serde_json::Value = serde_json::from_slice(&verdict.stdout).unwrap();
    assert_eq!(manifest["matters"], matters);
    // Every file is named by the SHA-256 of its bytes, has the listed size and is the object
    // the unsigned `qiquan bundle` prints for that path.
    let plain: serde_json::Value =
        serde_json::from_slice(&qiquan(&["bundle", "rules"], None).stdout).unwrap();
    let files = manifest["files"].as_array().unwrap();
    assert_eq!(files.len(), plain["files"].as_array().unwrap().len());
    for entry in files {
        let printed = plain["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == entry["path"])
            .unwrap();
        let sha = entry["sha256"].as_str().unwrap();
        let bytes = std::fs::read(out.join("files").join(format!("{sha}.json"))).unwrap();
        let hash: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hash, sha);
        assert_eq!(entry["size"], bytes.len());
        let file: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(&file, printed);
        let is_matter = entry["path"].as_str().unwrap().starts_with("matters/");
        assert_eq!(entry["matter"].is_string(), is_matter);
    }
    // A bad revision is a usage error; --sign without --out is refused by the parser.
    let bad = qiquan(
        &[
            "bundle",
            "--sign",
            key.to_str().unwrap(),
            "--revision",
            "a b",
            "--out",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(error_code(&bad), "usage");
    let partial = qiquan(&["bundle", "--sign", key.to_str().unwrap()], None);
    assert_eq!(partial.status.code(), Some(2));
}

/// `qiquan lint` exits 0 on warnings alone, 1 with `--deny-warnings`; both print them.
#[test]
fn the_cli_fails_on_warnings_only_when_told() {
    let case = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/lint/calendar_not_covering"
    );
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_qiquan"))
            .arg("lint")
            .args(extra)
            .arg(case)
            .output()
            .unwrap()
    };
    for (extra, status) in [(&[][..], 0), (&["--deny-warnings"][..], 1)] {
        let out = run(extra);
        assert_eq!(out.status.code(), Some(status), "{extra:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains(": calendar_not_covering (warning): "),
            "{text}"
        );
    }
}

/// `qiquan test`: the shipped tables pass at full coverage (exit 0); a broken expectation exits
/// 1 with the plain count; `explain` and `diff` answer in Chinese first.
#[test]
fn test_explain_and_diff_commands() {
    let ok = qiquan(
        &[
            "test",
            "rules",
            "--matter",
            "drainage_permit",
            "--min-coverage",
            "100",
        ],
        None,
    );
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    assert!(stdout(&ok).contains(" passed, 0 failed"));

    let dir = std::env::temp_dir().join(format!("qiquan-cli-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let copy = Command::new("cp")
        .args(["-r", "rules"])
        .arg(&dir)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .status()
        .unwrap();
    assert!(copy.success());
    let table = dir.join("cases/drainage_permit.toml");
    let text = std::fs::read_to_string(&table).unwrap();
    let broken = text.replacen("outcome = \"accept\"", "outcome = \"not_accepted\"", 1);
    assert_ne!(broken, text);
    std::fs::write(&table, broken).unwrap();
    let failed = qiquan(
        &["test", dir.to_str().unwrap(), "--matter", "drainage_permit"],
        None,
    );
    assert_eq!(failed.status.code(), Some(1));
    let out = stdout(&failed);
    assert!(
        out.contains("结论：期望 not_accepted，引擎给出 accept"),
        "{out}"
    );
    assert!(out.trim_end().ends_with(" passed, 1 failed"), "{out}");
    let blessed = qiquan(
        &[
            "test",
            dir.to_str().unwrap(),
            "--matter",
            "drainage_permit",
            "--bless",
        ],
        None,
    );
    assert_eq!(blessed.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&table).unwrap(), text);
    let _ = std::fs::remove_dir_all(&dir);

    let explained = qiquan(
        &[
            "explain",
            "--matter",
            "food_business_license",
            "--submission",
            "-",
        ],
        Some(
            r#"{"applicant":{"kind":"enterprise_legal_person"},"received_at":"2026-03-02T09:30:00+08:00"}"#,
        ),
    );
    assert_eq!(explained.status.code(), Some(0));
    let out = stdout(&explained);
    assert!(
        out.starts_with("  1. 收件日 2026-03-02（中国时间）在版本 2023-12"),
        "{out}"
    );
    assert!(out.contains("判定规则第 2 条"), "{out}");

    let diffed = qiquan(
        &[
            "diff",
            "rules/matters/food_business_license/2015-10.toml",
            "rules/matters/food_business_license/2023-12.toml",
        ],
        None,
    );
    assert_eq!(diffed.status.code(), Some(0));
    let out = stdout(&diffed);
    assert!(out.contains("承诺时限 10 个工作日→5 个工作日"), "{out}");
    assert!(out.contains("案例重放"), "{out}");
}
