//! The case register end to end: each test starts the real `qiquan serve` binary with a fresh
//! database — a SQLite file, and a fresh database on the PostgreSQL that
//! `scripts/with-postgres.sh` starts (QIQUAN_TEST_PG_URL) — and talks HTTP to it.
//!
//! Without QIQUAN_TEST_PG_URL the PostgreSQL half fails when CI or QIQUAN_REQUIRE_PG is set
//! (scripts/test.sh sets it), and otherwise says loudly that it did not run.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::Duration;

use serde_json::{Value, json};

mod common;
use common::{Response, conforms, request};

const MATTER: &str = "public_place_hygiene_license";
const ID_CARD: &str = "370102198506153214";
const PHONE: &str = "13912345678";
/// The resume window and reminder lead the test rules give the matter.
const RESUME_DAYS: i64 = 15;
const REMIND_DAYS: i64 = 2;

fn temp_dir(name: &str) -> PathBuf {
    common::temp_dir("register", name)
}

fn qiquan(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_qiquan"))
        .args(args)
        .output()
        .expect("run qiquan")
}

/// The repository's rules with the ledger's parameters and upload limits set on the matter:
/// remind 2 working days ahead, suspend then terminate after 15 working days, hygiene_rules at
/// most 1 KiB and PDF only.
fn test_rules(dir: &Path) -> PathBuf {
    let rules = dir.join("rules");
    let status = Command::new("cp")
        .args(["-r", "rules"])
        .arg(&rules)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .status()
        .expect("cp rules");
    assert!(status.success());
    let file = rules.join(format!("matters/{MATTER}/2024-01.toml"));
    let text = std::fs::read_to_string(&file).expect("matter file");
    let marker = "basis = \"《公共场所卫生管理条例实施细则》第二十三条第一款第五项\"\n";
    assert!(text.contains(marker));
    let text = text.replacen(
        marker,
        &format!("{marker}max_bytes = 1024\naccept = [\"application/pdf\"]\n"),
        1,
    );
    let text = format!(
        "{text}\n[pledge_ledger]\nremind_before = {REMIND_DAYS}\non_broken = \"suspend\"\n\
         resume_window = {{ value = {RESUME_DAYS}, unit = \"working_days\" }}\n\
         basis = \"化府办〔2025〕22号；台州：逾期中止，15个工作日内未补齐退件\"\n"
    );
    std::fs::write(&file, text).expect("write matter file");
    let lint = qiquan(&["lint", rules.to_str().expect("utf-8")]);
    assert!(
        lint.status.success(),
        "{}",
        String::from_utf8_lossy(&lint.stdout)
    );
    rules
}

/// Where a test's register lives.
#[derive(Clone)]
enum Store {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Store {
    fn sqlite(dir: &Path) -> Store {
        Store::Sqlite(dir.join("register.db"))
    }

    /// A fresh database on the test PostgreSQL, or None (with a loud note) when there is none
    /// and none is required.
    fn postgres(name: &str) -> Option<Store> {
        let Ok(url) = std::env::var("QIQUAN_TEST_PG_URL") else {
            let required =
                std::env::var_os("CI").is_some() || std::env::var_os("QIQUAN_REQUIRE_PG").is_some();
            assert!(
                !required,
                "QIQUAN_TEST_PG_URL is not set but PostgreSQL is required (CI / QIQUAN_REQUIRE_PG): \
                 run the tests through scripts/with-postgres.sh"
            );
            // Straight to the process's stderr: the test harness captures eprintln! of a
            // passing test, and this must be seen.
            let _ = std::io::stderr().write_all(
                format!(
                    "\n*** register test {name}: PostgreSQL NOT TESTED — QIQUAN_TEST_PG_URL is unset. \
                     Run `scripts/with-postgres.sh cargo test --test register`. ***\n"
                )
                .as_bytes(),
            );
            return None;
        };
        let db = format!("qq_{}_{}", name, std::process::id());
        for sql in [
            format!("DROP DATABASE IF EXISTS {db}"),
            format!("CREATE DATABASE {db}"),
        ] {
            let out = Command::new("psql")
                .args([url.as_str(), "-q", "-c", sql.as_str()])
                .output()
                .expect("psql (PostgreSQL's client) must be installed");
            assert!(
                out.status.success(),
                "cannot reach the test PostgreSQL at {url}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let base = url.rsplit_once('/').expect("database in URL").0;
        Some(Store::Postgres(format!("{base}/{db}")))
    }

    fn arg(&self) -> String {
        match self {
            Store::Sqlite(path) => path.display().to_string(),
            Store::Postgres(url) => url.clone(),
        }
    }

    /// Runs one SQL statement with the database's own client (sqlite3 or psql); its output.
    fn sql(&self, statement: &str) -> String {
        let out = match self {
            Store::Sqlite(path) => Command::new("sqlite3").arg(path).arg(statement).output(),
            Store::Postgres(url) => Command::new("psql")
                .args([url.as_str(), "-qtAc", statement])
                .output(),
        }
        .expect("the database's client (sqlite3 or psql)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Every byte the database keeps: the SQLite files, or a dump of the PostgreSQL database.
    fn contents(&self) -> Vec<u8> {
        match self {
            Store::Sqlite(path) => {
                let mut all = Vec::new();
                for suffix in ["", "-wal", "-shm"] {
                    let file = PathBuf::from(format!("{}{suffix}", path.display()));
                    all.extend(std::fs::read(&file).unwrap_or_default());
                }
                assert!(!all.is_empty(), "no database file at {}", path.display());
                all
            }
            Store::Postgres(url) => {
                let out = Command::new("pg_dump")
                    .args(["--data-only", url.as_str()])
                    .output()
                    .expect("pg_dump");
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                out.stdout
            }
        }
    }
}

struct Server {
    child: Child,
    addr: String,
    log: PathBuf,
    /// Tokens from this server's own dev issuer: "lead" (clerk and supervisor), "kiosk".
    staff: String,
    kiosk: String,
    /// The capabilities of the applications created here without a token, by id.
    caps: std::sync::Mutex<std::collections::HashMap<String, String>>,
}

impl Server {
    /// `qiquan serve` on the store, with key files in `dir` (shared by replicas).
    fn start(dir: &Path, store: &Store, rules: &Path, tag: &str) -> Server {
        Server::start_with(dir, store, rules, tag, &[])
    }

    fn start_with(dir: &Path, store: &Store, rules: &Path, tag: &str, extra: &[&str]) -> Server {
        let receipt_key = dir.join("receipt.key");
        let data_key = dir.join("data.key");
        if !receipt_key.exists() {
            assert!(
                qiquan(&["keygen", "--out", receipt_key.to_str().expect("utf-8")])
                    .status
                    .success()
            );
            assert!(
                qiquan(&[
                    "keygen",
                    "--data",
                    "--out",
                    data_key.to_str().expect("utf-8")
                ])
                .status
                .success()
            );
        }
        let log = dir.join(format!("stderr-{tag}.log"));
        let mut serve = Command::new(env!("CARGO_BIN_EXE_qiquan"));
        serve
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--www",
                "/nonexistent",
                "--pkg",
                "/nonexistent",
            ])
            .arg("--key")
            .arg(&receipt_key)
            .arg("--data-key")
            .arg(&data_key)
            .arg("--rules")
            .arg(rules)
            .args(["--db", &store.arg()])
            .arg("--data-dir")
            .arg(dir.join("data"))
            .arg("--dev-issuer")
            .args(extra);
        let (child, addr) = common::spawn_serve(serve, &log);
        let staff = common::dev_token(&addr, "lead");
        let kiosk = common::dev_token(&addr, "kiosk");
        Server {
            child,
            addr,
            log,
            staff,
            kiosk,
            caps: Default::default(),
        }
    }

    /// As a staff member ("lead": clerk and supervisor), plus the application's capability
    /// when the path names one created here; `headers` with an Authorization of their own (or
    /// `X-Test-Anonymous`) are sent as they are.
    fn call(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
        let own = headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("authorization") || *n == "X-Test-Anonymous");
        let mut all: Vec<(&str, &str)> = headers.to_vec();
        let bearer = format!("Bearer {}", self.staff);
        let cap = path
            .strip_prefix("/v1/applications/")
            .and_then(|rest| rest.split('/').next())
            .and_then(|id| self.caps.lock().expect("caps").get(id).cloned());
        if !own {
            all.push(("Authorization", &bearer));
            if let Some(cap) = &cap {
                all.push(("X-Qiquan-Capability", cap));
            }
        }
        request(&self.addr, method, path, &all, body)
    }

    fn get(&self, path: &str) -> Response {
        self.call("GET", path, &[], b"")
    }

    fn post(&self, path: &str, body: &Value) -> Response {
        self.call(
            "POST",
            path,
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        )
    }

    /// Posts an application as the caller its channel needs: a clerk (window, mail), the kiosk
    /// device (kiosk), or no one (online: the capability it returns is kept for later calls).
    fn submit(&self, key: &str, body: &Value) -> Response {
        let bearer = match body["submission"]["channel"].as_str() {
            Some("window" | "mail") => Some(format!("Bearer {}", self.staff)),
            Some("kiosk") => Some(format!("Bearer {}", self.kiosk)),
            _ => None,
        };
        let mut headers = vec![
            ("Content-Type", "application/json"),
            ("Idempotency-Key", key),
        ];
        match &bearer {
            Some(b) => headers.push(("Authorization", b)),
            None => headers.push(("X-Test-Anonymous", "1")),
        }
        let r = self.call(
            "POST",
            "/v1/applications",
            &headers,
            body.to_string().as_bytes(),
        );
        conforms(&r, "/v1/applications", "post");
        if r.status == 201
            && let (Some(id), Some(cap)) = (
                r.json()["id"].as_str().map(str::to_string),
                r.json()["capability"].as_str().map(str::to_string),
            )
        {
            self.caps.lock().expect("caps").insert(id, cap);
        }
        r
    }

    /// `GET /v1/receipts/{number}` with the verification code printed beside it.
    fn receipt(&self, number: &str, code: &str) -> Response {
        self.call(
            "GET",
            &format!("/v1/receipts/{}?code={code}", encode(number)),
            &[("X-Test-Anonymous", "1")],
            b"",
        )
    }

    fn upload(&self, id: &str, material: &str, content_type: &str, bytes: &[u8]) -> Response {
        let r = self.call(
            "PUT",
            &format!("/v1/applications/{id}/materials/{material}"),
            &[("Content-Type", content_type)],
            bytes,
        );
        conforms(&r, "/v1/applications/{id}/materials/{material}", "put");
        r
    }

    fn sweep(&self, as_of: &str) -> Value {
        let r = self.post("/v1/ledger/sweep", &json!({ "as_of": as_of }));
        assert_eq!(r.status, 200, "{}", r.text());
        conforms(&r, "/v1/ledger/sweep", "post");
        r.json()
    }

    fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A complete window application (every material handed in on paper): 受理.
fn complete(channel: &str) -> Value {
    let material = |form: &str| json!({ "status": "provided", "form": form, "medium": "paper" });
    json!({
        "matter": MATTER,
        "submission": {
            "applicant": { "kind": "enterprise_legal_person" },
            "channel": channel,
            "fields": {
                "unit_name": "济南示例宾馆有限公司",
                "uscc": "91370102MA3C0A019G",
                "responsible_person_id": ID_CARD,
                "phone": PHONE,
                "venue_type": "hotel",
                "floor_area": 1200,
                "central_ac": false
            },
            "materials": {
                "application_form": material("original"),
                "identity_proof": material("original_and_copy"),
                "site_plans": material("original"),
                "hygiene_report": material("original"),
                "hygiene_rules": material("original")
            },
            "pledge_signed": false
        }
    })
}

/// A window application missing the tolerable hygiene rules, pledge signed: 容缺受理.
fn pledged() -> Value {
    let mut body = complete("window");
    body["submission"]["materials"]
        .as_object_mut()
        .expect("materials")
        .remove("hygiene_rules");
    body["submission"]["pledge_signed"] = json!(true);
    body
}

/// A minimal PDF that parses: header, an object, the cross-reference table, trailer, %%EOF.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer << /Size 2 /Root 1 0 R >>\nstartxref\n45\n%%EOF\n";
/// A 1×1 PNG: signature, IHDR, IEND (the server checks the header's dimensions and the end).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\0IEND\xaeB`\x82";

fn deadline(rules: &Path, from: &str, days: i64) -> String {
    deadline_answer(rules, from, days).0
}

/// `qiquan deadline`'s date and whether it says the date is provisional.
fn deadline_answer(rules: &Path, from: &str, days: i64) -> (String, bool) {
    let out = qiquan(&[
        "deadline",
        "--from",
        from,
        "--days",
        &days.to_string(),
        "--unit",
        "working",
        "--rules",
        rules.to_str().expect("utf-8"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    (
        text.lines().next().unwrap_or("").to_string(),
        text.contains("provisional"),
    )
}

fn day_after(date: &str) -> String {
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("date");
    day.succ_opt()
        .expect("next day")
        .format("%Y-%m-%d")
        .to_string()
}

fn day_before(date: &str) -> String {
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("date");
    day.pred_opt()
        .expect("previous day")
        .format("%Y-%m-%d")
        .to_string()
}

fn event_kinds(server: &Server, id: &str) -> Vec<String> {
    let r = server.get(&format!("/v1/applications/{id}/events"));
    assert_eq!(r.status, 200, "{}", r.text());
    conforms(&r, "/v1/applications/{id}/events", "get");
    r.json()["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["kind"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Runs a scenario on SQLite and on PostgreSQL, as two tests.
macro_rules! on_both {
    ($name:ident) => {
        mod $name {
            #[test]
            fn sqlite() {
                let dir = super::temp_dir(concat!(stringify!($name), "-sqlite"));
                let store = super::Store::sqlite(&dir);
                super::$name(&dir, &store);
            }

            #[test]
            fn postgres() {
                let dir = super::temp_dir(concat!(stringify!($name), "-pg"));
                if let Some(store) = super::Store::postgres(stringify!($name)) {
                    super::$name(&dir, &store);
                }
            }
        }
    };
}

on_both!(idempotent_submission);
on_both!(uploads_limits_and_types);
on_both!(status_derived_from_received_files);
on_both!(gap_free_numbers);
on_both!(pledge_kept);
on_both!(pledge_broken_resumed_or_terminated);
on_both!(no_plain_personal_data);
on_both!(handover_and_receipts);
on_both!(commitment_counts_without_a_file);

/// Parallel submits with one Idempotency-Key: one record, one receipt.
fn idempotent_submission(dir: &Path, store: &Store) {
    let rules = test_rules(dir);
    let server = Server::start(dir, store, &rules, "a");
    let body = complete("window");
    let responses: Vec<Response> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| s.spawn(|| server.submit("same-key-1", &body)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let created = responses.iter().filter(|r| r.status == 201).count();
    assert_eq!(created, 1, "exactly one request creates the record");
    let first = responses[0].json();
    assert_eq!(first["outcome"], "accept");
    for r in &responses {
        assert!(r.status == 200 || r.status == 201, "{}", r.text());
        let json = r.json();
        assert_eq!(json["id"], first["id"]);
        assert_eq!(
            json["receipt"], first["receipt"],
            "the same receipt, signature included"
        );
    }
    assert_eq!(first["receipt"]["receipt_no"], first["number"]);
    // The number is the notice's 文号 (the centre profile's pattern) with the sequence filled in,
    // on the receipt's document too.
    let notice_number = &first["verdict"]["notice"]["number"];
    assert_eq!(notice_number["text"], first["number"]);
    assert_eq!(notice_number["sequence"], 1);
    assert_eq!(
        first["number"],
        format!(
            "{}1{}",
            notice_number["prefix"].as_str().expect("prefix"),
            notice_number["suffix"].as_str().expect("suffix")
        )
    );
    assert_eq!(first["receipt"]["document_number"], first["number"]);
    let found = server
        .post(
            "/v1/applications/lookup",
            &json!({ "id_card": ID_CARD, "reason": "重复申请核查" }),
        )
        .json();
    assert_eq!(found["applications"], json!([first["id"]]), "one record");
    // The same key with a different body is a client error, not a second application.
    let mut other = body.clone();
    other["submission"]["fields"]["floor_area"] = json!(900);
    server
        .submit("same-key-1", &other)
        .assert_error(422, "idempotency_conflict");
    // The same request written differently (spacing, key order) is the same request.
    let spaced = serde_json::to_string_pretty(&body).expect("json");
    let r = server.call(
        "POST",
        "/v1/applications",
        &[
            ("Content-Type", "application/json"),
            ("Idempotency-Key", "same-key-1"),
        ],
        spaced.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["id"], first["id"]);
    server
        .submit("bad key!", &body)
        .assert_error(400, "invalid_idempotency_key");
}

/// Per-material size and type limits, checked on the bytes received.
fn uploads_limits_and_types(dir: &Path, store: &Store) {
    let rules = test_rules(dir);
    let server = Server::start(dir, store, &rules, "a");
    let mut body = complete("online");
    body["draft"] = json!(true);
    let r = server.submit("draft-1", &body);
    assert_eq!(r.status, 201, "{}", r.text());
    let draft = r.json();
    assert_eq!(draft["status"], "draft");
    assert!(draft["number"].is_null());
    let id = draft["id"].as_str().expect("id");
    server
        .get(&format!("/v1/applications/{id}/document"))
        .assert_error(409, "invalid_state");

    // hygiene_rules: at most 1024 bytes, PDF only (the test rules).
    let mut big = PDF.to_vec();
    big.resize(1025, b' ');
    server
        .upload(id, "hygiene_rules", "application/pdf", &big)
        .assert_error(413, "file_too_large");
    let png = PNG;
    server
        .upload(id, "hygiene_rules", "image/png", png)
        .assert_error(415, "file_type_not_accepted");
    // Declared PDF, but the bytes are a PNG.
    server
        .upload(id, "hygiene_rules", "application/pdf", png)
        .assert_error(415, "file_type_not_accepted");
    server
        .upload(id, "hygiene_rules", "text/plain", b"hello")
        .assert_error(415, "file_type_not_accepted");
    server
        .upload(id, "no_such_material", "application/pdf", PDF)
        .assert_error(404, "unknown_material");
    server
        .upload("app_nope", "hygiene_rules", "application/pdf", PDF)
        .assert_error(404, "application_not_found");
    // Within the limit.
    let exact = {
        let mut b = PDF.to_vec();
        b.resize(1024, b' ');
        b
    };
    let r = server.upload(id, "hygiene_rules", "application/pdf", &exact);
    assert_eq!(r.status, 200, "{}", r.text());
    // Default limits elsewhere: PNG is accepted for the application form (PDF, JPEG, PNG).
    let r = server.upload(id, "application_form", "image/png", png);
    assert_eq!(r.status, 200, "{}", r.text());
    let materials = r.json()["materials"].clone();
    assert_eq!(materials.as_array().map(Vec::len), Some(2), "{materials}");
    assert_eq!(materials[1]["material"], "hygiene_rules");
    assert_eq!(materials[1]["bytes"], 1024);
    // Content-addressed on disk.
    let sha = materials[1]["sha256"].as_str().expect("sha256");
    let stored = dir.join("data/files").join(&sha[..2]).join(sha);
    // Sealed at rest with the data key: the plain bytes are not on disk.
    let on_disk = std::fs::read(&stored).expect("stored file");
    assert!(on_disk.starts_with(b"qqseal1\n"));
    assert_eq!(
        on_disk.len(),
        8 + 19 + exact.len() + 16,
        "one chunk and its tag"
    );
    assert!(!on_disk.windows(9).any(|w| w == b"%PDF-1.4\n"));
    let kinds = event_kinds(&server, id);
    assert_eq!(
        kinds.iter().filter(|k| *k == "material_received").count(),
        2
    );
}

/// The client's claims about materials do not count: only files received do.
fn status_derived_from_received_files(dir: &Path, store: &Store) {
    let rules = test_rules(dir);
    let server = Server::start(dir, store, &rules, "a");
    // Online, every material claimed "provided", nothing uploaded.
    let r = server.submit("claims-only", &complete("online"));
    assert_eq!(r.status, 201, "{}", r.text());
    let json = r.json();
    assert_eq!(
        json["outcome"], "correction_required",
        "{}",
        json["verdict"]["findings"]
    );
    assert_eq!(json["number_kind"], "correction");
    assert!(json["number"].as_str().expect("number").contains("补〔"));
    assert!(json["receipt"].is_null(), "no 受理回执 for a correction");
    let missing: Vec<&str> = json["verdict"]["checklist"]["materials"]
        .as_array()
        .expect("materials")
        .iter()
        .filter(|m| m["applies"] == true && m["status"] == "missing")
        .map(|m| m["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        missing,
        [
            "application_form",
            "identity_proof",
            "site_plans",
            "hygiene_report",
            "hygiene_rules"
        ]
    );

    // A draft with every file uploaded, one marked flawed by the clerk: correction.
    let mut body = complete("online");
    body["draft"] = json!(true);
    let id = server.submit("uploads-flawed", &body).json()["id"]
        .as_str()
        .expect("id")
        .to_string();
    for material in [
        "application_form",
        "identity_proof",
        "site_plans",
        "hygiene_report",
        "hygiene_rules",
    ] {
        assert_eq!(
            server.upload(&id, material, "application/pdf", PDF).status,
            200
        );
    }
    let r = server.post(
        &format!("/v1/applications/{id}/materials/hygiene_report/flaw"),
        &json!({ "note": "未加盖检测机构印章" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // The same bytes again do not cure the flaw.
    let again = server
        .upload(&id, "hygiene_report", "application/pdf", PDF)
        .json();
    assert_eq!(again["materials"][1]["material"], "hygiene_report");
    assert_eq!(
        again["materials"][1]["flawed"], true,
        "{}",
        again["materials"]
    );
    server
        .post(
            &format!("/v1/applications/{id}/materials/central_ac_report/flaw"),
            &json!({"note": "x"}),
        )
        .assert_error(404, "material_not_received");
    // A note longer than the engine takes is refused when written, not stored to block the
    // decision later (the limit is 200 characters).
    let refused = server
        .post(
            &format!("/v1/applications/{id}/materials/hygiene_report/flaw"),
            &json!({ "note": "印".repeat(201) }),
        )
        .assert_error(400, "note_too_long");
    assert_eq!(refused["error"]["at"], "/note");
    let decided = server
        .post(&format!("/v1/applications/{id}/submit"), &json!({}))
        .json();
    assert_eq!(decided["outcome"], "correction_required");
    let flawed: Vec<&Value> = decided["verdict"]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["code"] == "material_flawed")
        .collect();
    assert_eq!(flawed.len(), 1, "{}", decided["verdict"]["findings"]);
    assert_eq!(flawed[0]["target"]["id"], "hygiene_report");
    assert_eq!(flawed[0]["note"], "未加盖检测机构印章");
    // Submitting again returns the same decision.
    let again = server
        .post(&format!("/v1/applications/{id}/submit"), &json!({}))
        .json();
    assert_eq!(again["number"], decided["number"]);

    // Every file uploaded and sound: 受理, though the client claimed nothing.
    let mut body = complete("online");
    body["draft"] = json!(true);
    body["submission"]["materials"] = json!({});
    let id = server.submit("uploads-all", &body).json()["id"]
        .as_str()
        .expect("id")
        .to_string();
    for material in [
        "application_form",
        "identity_proof",
        "site_plans",
        "hygiene_report",
        "hygiene_rules",
    ] {
        assert_eq!(
            server.upload(&id, material, "application/pdf", PDF).status,
            200
        );
    }
    let decided = server
        .post(&format!("/v1/applications/{id}/submit"), &json!({}))
        .json();
    assert_eq!(
        decided["outcome"], "accept",
        "{}",
        decided["verdict"]["findings"]
    );
    assert!(
        decided["number"]
            .as_str()
            .expect("number")
            .contains("服受〔")
    );
}

fn numbers_of(responses: &[Response]) -> Vec<u32> {
    let mut seqs: Vec<u32> = responses
        .iter()
        .map(|r| {
            assert_eq!(r.status, 201, "{}", r.text());
            let number = r.json()["number"].as_str().expect("number").to_string();
            // 受〔YYYY〕NNNNN号
            let digits: String = number
                .rsplit('〕')
                .next()
                .unwrap_or("")
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            digits.parse().expect("sequence")
        })
        .collect();
    seqs.sort_unstable();
    seqs
}

/// 64 concurrent accepted submissions get the numbers 1..=64: no gap, no duplicate.
fn gap_free_numbers(dir: &Path, store: &Store) {
    let rules = test_rules(dir);
    let server = Server::start(dir, store, &rules, "a");
    // A refusal and a correction first: their own sequences, no hole in the case numbers.
    let mut refused = complete("window");
    refused["submission"]["applicant"]["kind"] = json!("administrative_organ");
    let r = server.submit("refused", &refused).json();
    assert_eq!(r["outcome"], "not_accepted");
    assert!(
        r["number"].as_str().expect("number").contains("不受〔"),
        "{}",
        r["number"]
    );
    let body = complete("window");
    let responses: Vec<Response> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..64)
            .map(|i| {
                let body = &body;
                let server = &server;
                s.spawn(move || server.submit(&format!("concurrent-{i}"), body))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    assert_eq!(numbers_of(&responses), (1..=64).collect::<Vec<u32>>());
}

/// Two server processes on one PostgreSQL database: no duplicate numbers under load.
#[test]
fn two_replicas_share_one_postgres() {
    let dir = temp_dir("replicas");
    let Some(store) = Store::postgres("replicas") else {
        return;
    };
    let rules = test_rules(&dir);
    let a = Server::start(&dir, &store, &rules, "a");
    let b = Server::start(&dir, &store, &rules, "b");
    let body = complete("window");
    let responses: Vec<Response> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..64)
            .map(|i| {
                let server = if i % 2 == 0 { &a } else { &b };
                let body = &body;
                s.spawn(move || server.submit(&format!("replica-{i}"), body))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    assert_eq!(numbers_of(&responses), (1..=64).collect::<Vec<u32>>());
    // The same key on both replicas at once: one record.
    let pair: Vec<Response> = std::thread::scope(|s| {
        let x = s.spawn(|| a.submit("both-replicas", &body));
        let y = s.spawn(|| b.submit("both-replicas", &body));
        vec![x.join().expect("a"), y.join().expect("b")]
    });
    assert_eq!(pair[0].json()["id"], pair[1].json()["id"]);
    assert_eq!(pair[0].json()["receipt"], pair[1].json()["receipt"]);
    // Either replica verifies the other's receipt by number.
    let number = pair[0].json()["number"]
        .as_str()
        .expect("number")
        .to_string();
    let code = pair[0].json()["receipt_code"]
        .as_str()
        .expect("receipt_code")
        .to_string();
    let found = b.receipt(&number, &code).json();
    assert_eq!(found["valid"], true);
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn accept_pledged(server: &Server, key: &str) -> Value {
    let r = server.submit(key, &pledged());
    assert_eq!(r.status, 201, "{}", r.text());
    let json = r.json();
    assert_eq!(
        json["outcome"], "accept_with_pledge",
        "{}",
        json["verdict"]["findings"]
    );
    assert_eq!(json["case_state"], "pledged");
    json
}

/// The one ledger entry of a pledged application, its dates checked against `qiquan deadline`.
fn entry_of(rules: &Path, app: &Value) -> Value {
    let entries = app["ledger"].as_array().expect("ledger");
    assert_eq!(entries.len(), 1, "{}", app["ledger"]);
    let entry = entries[0].clone();
    assert_eq!(entry["material"], "hygiene_rules");
    assert_eq!(entry["status"], "owed");
    let accepted_on = app["verdict"]["deadlines"]["accepted_on"]
        .as_str()
        .expect("accepted_on");
    let due = entry["due"].as_str().expect("due");
    // hygiene_rules: 5 working days (the matter file's pledge_period).
    assert_eq!(due, deadline(rules, accepted_on, 5));
    assert_eq!(app["verdict"]["pledge"]["items"][0]["due"], due);
    // The reminder: REMIND_DAYS working days before, so counting them forward gives the due date.
    let remind_on = entry["remind_on"].as_str().expect("remind_on");
    assert!(remind_on < due);
    assert_eq!(deadline(rules, remind_on, REMIND_DAYS), due);
    assert_eq!(
        deadline(rules, &day_before(remind_on), 1),
        remind_on,
        "a working day"
    );
    entry
}

fn listed(server: &Server, query: &str) -> Vec<String> {
    let r = server.get(&format!("/v1/ledger?{query}"));
    assert_eq!(r.status, 200, "{}", r.text());
    conforms(&r, "/v1/ledger", "get");
    r.json()["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["id"].as_str().unwrap_or("").to_string())
        .collect()
}

/// accept → reminder → supplied → closed, on explicit sweep dates.
fn pledge_kept(dir: &Path, store: &Store) {
    let rules = test_rules(dir);
    let server = Server::start(dir, store, &rules, "a");
    let app = accept_pledged(&server, "kept");
    let id = app["id"].as_str().expect("id");
    let entry = entry_of(&rules, &app);
    let entry_id = entry["id"].as_str().expect("entry id");
    let due = entry["due"].as_str().expect("due");
    let remind_on = entry["remind_on"].as_str().expect("remind on");
    assert_eq!(app["receipt"]["pledge_due"], due);

    assert!(
        server.sweep(&day_before(remind_on))["reminders"]
            .as_array()
            .expect("r")
            .is_empty()
    );
    assert!(
        listed(
            &server,
            &format!("due=soon&as_of={}", day_before(remind_on))
        )
        .is_empty()
    );
    assert_eq!(server.sweep(remind_on)["reminders"], json!([entry_id]));
    assert_eq!(
        listed(&server, &format!("due=soon&as_of={remind_on}")),
        [entry_id]
    );
    assert!(
        server.sweep(remind_on)["reminders"]
            .as_array()
            .expect("r")
            .is_empty(),
        "once"
    );
    assert_eq!(
        listed(&server, &format!("due=today&as_of={due}")),
        [entry_id]
    );
    // Supplied at the window on the due date: closed, pledge kept.
    let r = server.post(
        &format!("/v1/ledger/{entry_id}/supply"),
        &json!({ "on": due }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let after = r.json();
    assert_eq!(after["ledger"][0]["status"], "supplied");
    assert_eq!(after["ledger"][0]["closed_on"], due);
    assert_eq!(after["case_state"], "pledge_kept");
    server
        .post(&format!("/v1/ledger/{entry_id}/supply"), &json!({}))
        .assert_error(409, "invalid_state");
    let report = server.sweep(&day_after(due));
    assert!(
        report["overdue"].as_array().expect("o").is_empty(),
        "{report}"
    );
    assert_eq!(
        event_kinds(&server, id),
        [
            "application_created",
            "application_decided",
            "pledge_item_owed",
            "pledge_reminder_due",
            "pledge_item_supplied",
            "pledge_kept"
        ]
    );

    // A second pledge, supplied by upload: the upload closes the entry.
    let app = accept_pledged(&server, "kept-by-upload");
    let id = app["id"].as_str().expect("id");
    let r = server.upload(id, "hygiene_rules", "application/pdf", PDF);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["ledger"][0]["status"], "supplied");
    assert_eq!(r.json()["case_state"], "pledge_kept");
    // CSV export lists both.
    let csv = server.get("/v1/ledger.csv");
    assert_eq!(csv.status, 200);
    assert!(
        csv.header("content-type")
            .unwrap_or("")
            .contains("text/csv")
    );
    let text = csv.text();
    assert!(text.contains("number,matter,material,name,due"), "{text}");
    assert_eq!(text.matches("hygiene_rules").count(), 2, "{text}");
    assert!(text.contains("公共场所卫生管理制度"));
}

/// another → overdue → suspended → resumed; a third → overdue → suspended → terminated.
fn pledge_broken_resumed_or_terminated(dir: &Path, store: &Store) {
    let rules = test_rules(dir);
    let server = Server::start(dir, store, &rules, "a");
    let resumed = accept_pledged(&server, "resumed");
    let terminated = accept_pledged(&server, "terminated");
    let r_entry = entry_of(&rules, &resumed);
    let t_entry = entry_of(&rules, &terminated);
    let due = r_entry["due"].as_str().expect("due").to_string();
    assert_eq!(
        t_entry["due"],
        due.as_str(),
        "same day, same rules, same due date"
    );

    // On the due date nothing is overdue yet.
    assert!(
        server.sweep(&due)["overdue"]
            .as_array()
            .expect("o")
            .is_empty()
    );
    // The day after: overdue, pledge broken, both cases suspended.
    let report = server.sweep(&day_after(&due));
    assert_eq!(
        report["overdue"].as_array().map(Vec::len),
        Some(2),
        "{report}"
    );
    assert_eq!(
        report["suspended"].as_array().map(Vec::len),
        Some(2),
        "{report}"
    );
    let overdue = listed(&server, "due=overdue");
    assert_eq!(overdue.len(), 2);
    assert_eq!(listed(&server, "status=overdue").len(), 2);
    let (resume_until, provisional) = deadline_answer(&rules, &due, RESUME_DAYS);
    for app in [&resumed, &terminated] {
        let id = app["id"].as_str().expect("id");
        let now = server.get(&format!("/v1/applications/{id}")).json();
        assert_eq!(now["case_state"], "suspended");
        assert_eq!(
            now["resume_until"],
            resume_until.as_str(),
            "= qiquan deadline --from due --days 15"
        );
        // Stored as firm or provisional as the engine says (a date in a year without a
        // holiday notice is provisional).
        assert_eq!(
            now["resume_until_provisional"], provisional,
            "{resume_until}"
        );
        assert_eq!(now["ledger"][0]["status"], "overdue");
        assert_eq!(now["ledger"][0]["overdue_on"], day_after(&due).as_str());
    }
    // Supplied on the last day of the resume window: resumed.
    let entry_id = r_entry["id"].as_str().expect("entry");
    let r = server.post(
        &format!("/v1/ledger/{entry_id}/supply"),
        &json!({ "on": resume_until }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["case_state"], "resumed");
    // The other is still suspended on that day, terminated the day after.
    assert!(
        server.sweep(&resume_until)["terminated"]
            .as_array()
            .expect("t")
            .is_empty()
    );
    let report = server.sweep(&day_after(&resume_until));
    assert_eq!(report["terminated"], json!([terminated["id"]]), "{report}");
    let t_id = terminated["id"].as_str().expect("id");
    assert_eq!(
        server.get(&format!("/v1/applications/{t_id}")).json()["case_state"],
        "terminated"
    );
    assert!(
        server.sweep(&day_after(&resume_until))["terminated"]
            .as_array()
            .expect("t")
            .is_empty()
    );
    let kinds = event_kinds(&server, t_id);
    for kind in [
        "pledge_item_overdue",
        "pledge_broken",
        "case_suspended",
        "case_terminated",
    ] {
        assert_eq!(
            kinds.iter().filter(|k| *k == kind).count(),
            1,
            "{kind}: {kinds:?}"
        );
    }
    let r_kinds = event_kinds(&server, resumed["id"].as_str().expect("id"));
    assert!(r_kinds.contains(&"case_resumed".to_string()), "{r_kinds:?}");
    assert!(
        r_kinds.contains(&"pledge_broken".to_string()),
        "the credit record keeps the breach"
    );
    // Every event names who acted and the rules in force.
    let events = server
        .get(&format!("/v1/applications/{t_id}/events"))
        .json();
    let digest = resumed["rules_digest"].as_str().expect("digest");
    for event in events["events"].as_array().expect("events") {
        assert_eq!(event["rules_digest"], digest);
        assert!(event["actor"].is_string() && event["at"].is_string());
    }
    server
        .get("/v1/ledger?due=someday")
        .assert_error(400, "invalid_request");
    // A path parameter that is not UTF-8: the same structured error, on every route with one.
    for path in [
        "/v1/applications/%FF",
        "/v1/applications/%FF/events",
        "/v1/receipts/%FF",
        "/v1/handover/%FF",
    ] {
        server.get(path).assert_error(400, "invalid_request");
    }
    server.sweep_bad();
}

impl Server {
    fn sweep_bad(&self) {
        self.post("/v1/ledger/sweep", &json!({ "as_of": "2026-02-30" }))
            .assert_error(400, "invalid_date");
    }
}

/// No ID card or phone number in plain text in the database or the logs.
fn no_plain_personal_data(dir: &Path, store: &Store) {
    let rules = test_rules(dir);
    let server = Server::start(dir, store, &rules, "a");
    let mut body = complete("window");
    // Also in free text: a clerk's note that quotes them.
    body["submission"]["materials"]["hygiene_report"] = json!({
        "status": "flawed", "note": format!("联系人 {PHONE}，身份证 {ID_CARD}")
    });
    let r = server.submit("personal", &body);
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_str().expect("id").to_string();
    let r = server.post(
        "/v1/handover",
        &json!({ "matter": MATTER, "submission": body["submission"] }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    // Found by the keyed hash, and shown in full to the clerk.
    let found = server
        .post(
            "/v1/applications/lookup",
            &json!({ "phone": PHONE, "reason": "申请人来电查询" }),
        )
        .json();
    assert_eq!(found["applications"], json!([id]));
    server
        .get(&format!("/v1/applications/{id}/answers"))
        .assert_error(400, "reason_required");
    let answers = server
        .get(&format!("/v1/applications/{id}/answers?reason=print"))
        .json();
    assert_eq!(
        answers["submission"]["fields"]["responsible_person_id"],
        ID_CARD
    );
    assert_eq!(answers["submission"]["fields"]["phone"], PHONE);
    let bytes = server.get(&format!("/v1/applications/{id}")).text();
    assert!(
        !bytes.contains(ID_CARD) && !bytes.contains(PHONE),
        "the record view hides them"
    );

    let contents = store.contents();
    let haystack = String::from_utf8_lossy(&contents);
    assert!(haystack.contains(&id), "the dump holds the application");
    for secret in [ID_CARD, PHONE] {
        assert!(
            !haystack.contains(secret),
            "{secret} in plain text in the database"
        );
    }
    let logs = server.logs();
    assert!(logs.contains("request"), "the access log is on");
    for secret in [ID_CARD, PHONE] {
        assert!(!logs.contains(secret), "{secret} in the logs");
    }
}

/// Kiosk → clerk by a short code; receipts verified by number.
fn handover_and_receipts(dir: &Path, store: &Store) {
    let rules = test_rules(dir);
    let server = Server::start(dir, store, &rules, "a");
    let submission = complete("kiosk")["submission"].clone();
    let kiosk = format!("Bearer {}", server.kiosk);
    let r = server.call(
        "POST",
        "/v1/handover",
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &kiosk),
        ],
        json!({ "matter": MATTER, "submission": submission })
            .to_string()
            .as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let code = r.json()["code"].as_str().expect("code").to_string();
    assert_eq!(code.len(), 6);
    assert!(
        code.bytes()
            .all(|b| b"23456789ABCDEFGHJKMNPQRSTUVWXYZ".contains(&b)),
        "{code}"
    );
    let loaded = server
        .get(&format!("/v1/handover/{}", code.to_lowercase()))
        .json();
    assert_eq!(loaded["matter"], MATTER);
    assert_eq!(
        loaded["submission"], submission,
        "exactly what the kiosk stored"
    );
    let qr = server.get(&format!("/v1/handover/{code}/qr.svg"));
    assert_eq!(qr.status, 200);
    assert!(
        qr.header("content-type")
            .unwrap_or("")
            .contains("image/svg+xml"),
        "{:?}",
        qr.headers
    );
    assert!(qr.text().starts_with("<?xml") && qr.text().contains("<svg"));
    // The picture is drawn for any well-formed code: it tells nothing about existence.
    assert_eq!(server.get("/v1/handover/ZZZZZZ/qr.svg").status, 200);
    server
        .get("/v1/handover/ZZZZZ1/qr.svg")
        .assert_error(404, "handover_not_found");
    // A code opens once.
    server
        .get(&format!("/v1/handover/{code}"))
        .assert_error(404, "handover_not_found");
    server
        .get("/v1/handover/ABCDE1")
        .assert_error(404, "handover_not_found");
    server
        .get("/v1/handover/ZZZZZZ")
        .assert_error(404, "handover_not_found");
    // Codes expire after 72 hours; the hourly task (run at start-up) deletes them.
    store.sql(&format!(
        "UPDATE handovers SET created_at = '2026-01-01T09:00:00.000000+08:00' WHERE code = '{code}'"
    ));
    server
        .get(&format!("/v1/handover/{code}"))
        .assert_error(404, "handover_not_found");
    drop(server);
    let server = Server::start(dir, store, &rules, "b");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while store.sql("SELECT COUNT(*) FROM handovers") != "0" {
        assert!(
            std::time::Instant::now() < deadline,
            "expired code not deleted"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    let app = server.submit("receipt", &complete("window")).json();
    let number = app["number"].as_str().expect("number");
    // The exact verdict, numbered, for printing: its digest is the recorded one.
    let id = app["id"].as_str().expect("id");
    let document = server
        .get(&format!("/v1/applications/{id}/document"))
        .json();
    let exact = document["verdict_json"].as_str().expect("verdict_json");
    assert_eq!(
        qiquan::verdict_digest(exact),
        app["verdict_digest"].as_str().expect("digest")
    );
    assert_eq!(document["verdict_digest"], app["verdict_digest"]);
    assert_eq!(document["verdict"]["notice"]["number"]["text"], number);
    assert!(
        document["verdict"]["notice"]["text"]["zh"]
            .as_str()
            .expect("notice text")
            .contains(number),
        "the notice's text carries the 文号"
    );
    let code = app["receipt_code"].as_str().expect("receipt_code");
    server
        .receipt(number, "0000-0000-0000")
        .assert_error(404, "receipt_not_found");
    server
        .call(
            "GET",
            &format!("/v1/receipts/{}", encode(number)),
            &[("X-Test-Anonymous", "1")],
            b"",
        )
        .assert_error(404, "receipt_not_found");
    let found = server.receipt(number, code).json();
    assert!(found.get("application").is_none(), "{found}");
    assert_eq!(found["valid"], true);
    assert_eq!(found["kind"], "acceptance");
    assert_eq!(found["receipt"], app["receipt"]);
    // The same receipt verifies with the existing endpoint too.
    let verified = server
        .post("/v1/receipts/verify", &json!({ "receipt": app["receipt"] }))
        .json();
    assert_eq!(verified["valid"], true);
    server
        .receipt("受〔1999〕00001号", code)
        .assert_error(404, "receipt_not_found");
    server
        .get("/v1/applications/app_nope")
        .assert_error(404, "application_not_found");
}

/// `qiquan lint` checks the register's keys in a matter file against the schema.
#[test]
fn lint_checks_the_register_keys() {
    let dir = temp_dir("lint");
    let rules = test_rules(&dir);
    let file = rules.join(format!("matters/{MATTER}/2024-01.toml"));
    let good = std::fs::read_to_string(&file).expect("matter file");
    for (from, to) in [
        (
            format!("remind_before = {REMIND_DAYS}"),
            "remind_before = 99999".to_string(),
        ),
        ("max_bytes = 1024".to_string(), "max_bytes = 0".to_string()),
        (
            "accept = [\"application/pdf\"]".to_string(),
            "accept = [\"PDF files\"]".to_string(),
        ),
        (
            "on_broken = \"suspend\"".to_string(),
            "on_broken = \"forgive\"".to_string(),
        ),
    ] {
        assert!(good.contains(&from), "{from}");
        std::fs::write(&file, good.replacen(&from, &to, 1)).expect("write");
        let out = qiquan(&["lint", rules.to_str().expect("utf-8")]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{to}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

/// An upload may take longer than --request-timeout (a phone on a slow link); other requests
/// may not.
#[test]
fn slow_upload_outlives_the_request_timeout() {
    let dir = temp_dir("slow-upload");
    let store = Store::sqlite(&dir);
    let rules = test_rules(&dir);
    let server = Server::start_with(&dir, &store, &rules, "a", &["--request-timeout", "1"]);
    let mut body = complete("online");
    body["draft"] = json!(true);
    let id = server.submit("slow", &body).json()["id"]
        .as_str()
        .expect("id")
        .to_string();
    let mut file = PDF.to_vec();
    file.resize(1000, b' ');
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let cap = server.caps.lock().expect("caps")[&id].clone();
    let head = format!(
        "PUT /v1/applications/{id}/materials/hygiene_rules HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
         Content-Type: application/pdf\r\nX-Qiquan-Capability: {cap}\r\nContent-Length: {}\r\n\r\n",
        file.len()
    );
    stream.write_all(head.as_bytes()).expect("head");
    for chunk in file.chunks(250) {
        stream.write_all(chunk).expect("chunk");
        std::thread::sleep(Duration::from_millis(700));
    }
    let mut raw = String::new();
    let _ = stream.read_to_string(&mut raw);
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    // A JSON request that slow is cut off at 1 s.
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    let text = body.to_string();
    stream
        .write_all(
            format!(
                "POST /v1/applications HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
                 Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
                text.len(),
                &text[..10]
            )
            .as_bytes(),
        )
        .expect("head");
    std::thread::sleep(Duration::from_millis(1600));
    let _ = stream.write_all(&text.as_bytes()[10..]);
    let mut raw = String::new();
    let _ = stream.read_to_string(&mut raw);
    assert!(raw.starts_with("HTTP/1.1 408"), "{raw}");
}

/// Online, a 告知承诺 (the applicant's own written commitment) stands without a file; a claimed
/// "provided" without a file does not.
fn commitment_counts_without_a_file(dir: &Path, store: &Store) {
    let rules = test_rules(dir);
    let server = Server::start(dir, store, &rules, "a");
    let body = |staff_proof: &str| {
        json!({
            "matter": "human_resources_service_license",
            "draft": true,
            "submission": {
                "applicant": { "kind": "enterprise_legal_person" },
                "channel": "online",
                "fields": {
                    "institution_name": "示例人力资源有限公司",
                    "uscc": "91110000802100433B",
                    "full_time_staff": 5,
                    "phone": PHONE,
                    "online_recruitment": false
                },
                "materials": {
                    "application_form": { "status": "provided" },
                    "articles_and_rules": { "status": "provided" },
                    "premises_lease": { "status": "provided" },
                    "staff_proof": { "status": staff_proof }
                }
            }
        })
    };
    let mut outcomes = Vec::new();
    for (key, staff_proof) in [("committed", "committed"), ("claimed", "provided")] {
        let id = server.submit(key, &body(staff_proof)).json()["id"]
            .as_str()
            .expect("id")
            .to_string();
        for material in ["application_form", "articles_and_rules", "premises_lease"] {
            let r = server.upload(&id, material, "application/pdf", PDF);
            assert_eq!(r.status, 200, "{}", r.text());
        }
        let decided = server
            .post(&format!("/v1/applications/{id}/submit"), &json!({}))
            .json();
        outcomes.push(decided["outcome"].as_str().unwrap_or("").to_string());
    }
    assert_eq!(outcomes, ["accept", "correction_required"]);
}
