//! `qiquan serve` end to end: each test starts the real binary on a loopback port (port 0; the
//! server prints the address it bound) and talks HTTP/1.1 to it over a plain TCP socket, so every
//! malformed request can be sent exactly as a hostile client would.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;
use common::{Response, conforms, connect, head, openapi, read_response, request};

const MATTER: &str = "public_place_hygiene_license";

/// `--db` and `--data-dir` inside `dir`: a test's server keeps its case register in its own
/// temp directory, so a test run leaves no `qiquan.db` or `qiquan-data/` in the tree.
fn register_in(dir: &std::path::Path) -> [String; 4] {
    [
        "--db".into(),
        dir.join("qiquan.db").display().to_string(),
        "--data-dir".into(),
        dir.join("qiquan-data").display().to_string(),
    ]
}

fn temp_dir(name: &str) -> PathBuf {
    common::temp_dir("server", name)
}

struct Server {
    child: Child,
    addr: String,
    log: PathBuf,
}

impl Server {
    fn start(name: &str, args: &[&str]) -> Server {
        let dir = temp_dir(name);
        let log = dir.join("stderr.log");
        let mut serve = Command::new(env!("CARGO_BIN_EXE_qiquan"));
        serve
            .args(["serve", "--addr", "127.0.0.1:0", "--dev-issuer"])
            .args(register_in(&dir))
            .args(args);
        let (child, addr) = common::spawn_serve(serve, &log);
        Server { child, addr, log }
    }

    fn dev(name: &str) -> Server {
        Server::start(
            name,
            &[
                "--dev",
                "--www",
                "/nonexistent/www",
                "--pkg",
                "/nonexistent/pkg",
            ],
        )
    }

    fn get(&self, path: &str) -> Response {
        request(&self.addr, "GET", path, &[], b"")
    }

    fn post_json(&self, path: &str, body: &Value) -> Response {
        request(
            &self.addr,
            "POST",
            path,
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        )
    }

    /// As a clerk signed in through the server's dev issuer (a window application).
    fn as_clerk(&self, method: &str, path: &str, body: Option<&Value>) -> Response {
        let token = format!("Bearer {}", common::dev_token(&self.addr, "clerk"));
        let text = body.map(Value::to_string).unwrap_or_default();
        request(
            &self.addr,
            method,
            path,
            &[
                ("Content-Type", "application/json"),
                ("Authorization", &token),
            ],
            text.as_bytes(),
        )
    }

    fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Decodes gzip with the system's `gzip`, independent of the server's encoder.
fn gunzip(bytes: &[u8]) -> Vec<u8> {
    use std::process::Stdio;
    let mut child = Command::new("gzip")
        .arg("-dc")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input).expect("write to gzip"));
    let output = child.wait_with_output().expect("gzip output");
    writer.join().expect("writer");
    assert!(output.status.success(), "gzip -dc failed");
    output.stdout
}

/// A submission the embedded rules accept (no problems at all).
fn accepted_submission() -> Value {
    let mut submission = common::accepted_submission();
    submission["received_at"] = json!("2026-03-02T09:30:00+08:00");
    submission
}

/// The verdict digest a client computes at `instant` with the embedded rules under the revision
/// the server signed them as (the bundle a page loads from `/v1/rules/`).
fn client_digest(submission: &Value, instant: &str) -> String {
    let embedded = qiquan::Engine::embedded().expect("engine");
    let revision = common::local_revision(embedded.rules_digest());
    let engine = embedded.clone().with_revision(Some(revision));
    let options = json!({ "received_at": instant }).to_string();
    let verdict = engine
        .check_json(MATTER, &submission.to_string(), Some(&options))
        .expect("client check");
    qiquan::verdict_digest(&verdict)
}

fn check_path() -> String {
    format!("/v1/matters/{MATTER}/check")
}

// ---- OpenAPI: every response a test sees is validated against the checked-in description ----

fn strip_access(doc: &mut Value) {
    if let Some(paths) = doc["paths"].as_object_mut() {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for op in item.values_mut().filter_map(Value::as_object_mut) {
                op.remove("x-roles");
                op.remove("x-personal-data");
                op.remove("security");
                if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                    for status in ["401", "403", "429"] {
                        responses.remove(status);
                    }
                }
            }
        }
    }
    if let Some(components) = doc["components"].as_object_mut() {
        components.remove("securitySchemes");
    }
}

#[test]
fn openapi_is_served_and_is_3_1() {
    let server = Server::dev("openapi");
    let response = server.get("/v1/openapi.json");
    assert_eq!(response.status, 200);
    let mut doc = response.json();
    // The served document is the checked-in one plus what the access table adds: each
    // operation's x-roles (server/tests/access.rs checks them), its security and 401/403/429.
    let mut checked_in = openapi();
    strip_access(&mut doc);
    strip_access(&mut checked_in);
    assert_eq!(doc, checked_in);
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/healthz",
        "/metrics",
        "/v1/matters",
        "/v1/matters/{id}",
        "/v1/matters/{id}/check",
        "/v1/receipts/verify",
        "/v1/receipts/key",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} undocumented");
    }
}

#[test]
fn health_matters_and_matter() {
    let server = Server::dev("matters");
    let health = server.get("/healthz");
    assert_eq!(health.status, 200);
    conforms(&health, "/healthz", "get");
    let engine = qiquan::Engine::embedded().expect("engine");
    assert_eq!(health.json()["rules_digest"], engine.rules_digest());
    assert_eq!(
        health.header("x-qiquan-rules-digest"),
        Some(engine.rules_digest())
    );

    let list = server.get("/v1/matters");
    assert_eq!(list.status, 200);
    conforms(&list, "/v1/matters", "get");
    let ids: Vec<String> = list.json()["matters"]
        .as_array()
        .expect("matters")
        .iter()
        .filter_map(|m| m["id"].as_str().map(String::from))
        .collect();
    assert!(ids.iter().any(|id| id == MATTER), "{ids:?}");

    let matter = server.get(&format!("/v1/matters/{MATTER}"));
    assert_eq!(matter.status, 200);
    conforms(&matter, "/v1/matters/{id}", "get");
    assert_eq!(matter.json()["matter"], MATTER);
    // The full rule-file schema holds too.
    let rule_schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
                .join("rules/schema/matter.schema.json"),
        )
        .expect("matter schema"),
    )
    .expect("schema JSON");
    let validator = jsonschema::validator_for(&rule_schema).expect("compiles");
    assert!(validator.is_valid(&matter.json()));

    let on = server.get(&format!("/v1/matters/{MATTER}?on=2024-06-01"));
    assert_eq!(on.status, 200);
    assert_eq!(on.json()["version"], "2024-01");

    for (path, status, code) in [
        ("/v1/matters/no_such_matter", 404, "unknown_matter"),
        (
            &format!("/v1/matters/{MATTER}?on=2024-13-45") as &str,
            400,
            "invalid_date",
        ),
        (
            &format!("/v1/matters/{MATTER}?on=1990-01-01"),
            422,
            "no_version_in_force",
        ),
        (
            &format!("/v1/matters/{MATTER}?bogus=1"),
            400,
            "invalid_submission",
        ),
    ] {
        let response = server.get(path);
        response.assert_error(status, code);
        conforms(&response, "/v1/matters/{id}", "get");
    }
    server
        .get("/v1/nothing_here")
        .assert_error(404, "not_found");
    request(&server.addr, "POST", "/healthz", &[], b"").assert_error(405, "method_not_allowed");
    request(&server.addr, "DELETE", "/v1/matters", &[], b"")
        .assert_error(405, "method_not_allowed");
}

#[test]
fn the_pages_get_a_signed_bundle_of_the_servers_own_rules() {
    let server = Server::dev("rules-bundle");
    let keys = server.get("/v1/rules/keys");
    assert_eq!(keys.status, 200, "{}", keys.text());
    conforms(&keys, "/v1/rules/keys", "get");
    let key = &keys.json()["keys"][0];
    let trusted = qiquan::signed::TrustedKey::from_hex(key["public_key"].as_str().unwrap())
        .expect("a valid key");
    assert_eq!(key["key_id"], trusted.key_id());

    let bundle = server.get("/v1/rules/bundle.json");
    assert_eq!(bundle.status, 200, "{}", bundle.text());
    conforms(&bundle, "/v1/rules/bundle.json", "get");
    assert_eq!(bundle.header("cache-control"), Some("no-cache"));
    let etag = bundle.header("etag").expect("an ETag").to_string();
    let manifest = qiquan::signed::open(&bundle.text(), std::slice::from_ref(&trusted))
        .expect("the envelope verifies with the served key");
    let embedded = qiquan::Engine::embedded().expect("engine");
    assert_eq!(manifest.rules_digest, embedded.rules_digest());
    let revision = common::local_revision(embedded.rules_digest());
    assert_eq!(manifest.revision, revision);
    assert!(
        revision.starts_with("local-") && revision.len() == 18,
        "{revision}"
    );

    // Revalidation: the same ETag is 304 without a body; another is the bundle again.
    let again = request(
        &server.addr,
        "GET",
        "/v1/rules/bundle.json",
        &[("If-None-Match", &etag)],
        b"",
    );
    assert_eq!(again.status, 304);
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    assert!(again.body.is_empty());
    let other = request(
        &server.addr,
        "GET",
        "/v1/rules/bundle.json",
        &[("If-None-Match", "\"other\"")],
        b"",
    );
    assert_eq!(other.status, 200);
    assert_eq!(other.body, bundle.body);

    // One matter's files: immutable, the exact bytes the manifest names.
    let mut files = Vec::new();
    for entry in manifest.files_for_matter(MATTER) {
        let file = server.get(&format!("/v1/rules/files/{}.json", entry.sha256));
        assert_eq!(file.status, 200, "{}", entry.path);
        conforms(&file, "/v1/rules/files/{file}", "get");
        assert_eq!(
            file.header("cache-control"),
            Some("public, max-age=31536000, immutable")
        );
        files.push(qiquan::signed::verify_entry(entry, &file.body).expect("verifies"));
    }
    for name in [
        format!("{}.json", "0".repeat(64)),
        "x.json".into(),
        "..%2Fkey".into(),
    ] {
        let response = server.get(&format!("/v1/rules/files/{name}"));
        response.assert_error(404, "not_found");
        conforms(&response, "/v1/rules/files/{file}", "get");
    }

    // A page's engine over those files names the revision the server's verdict names, and
    // gives the same bytes: digest_match.
    let page = qiquan::Engine::from_signed(&manifest, &files).expect("engine from one matter");
    let submission = accepted_submission();
    let instant = "2026-03-02T09:30:00+08:00";
    let options = json!({ "received_at": instant }).to_string();
    let verdict = page
        .check_json(MATTER, &submission.to_string(), Some(&options))
        .expect("check");
    let response = server.post_json(
        &check_path(),
        &json!({
            "submission": submission,
            "client_verdict_digest": qiquan::verdict_digest(&verdict),
            "client_received_at": instant,
        }),
    );
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(
        response.json()["verdict"]["rules_revision"],
        revision.as_str()
    );
    assert_eq!(response.json()["digest_match"], true);
    let health = server.get("/healthz").json();
    assert_eq!(health["rules_revision"], revision.as_str());
}

#[test]
fn check_uses_the_server_clock_and_signs_nothing() {
    let server = Server::dev("check");
    let submission = accepted_submission();
    let response = server.post_json(
        &check_path(),
        &json!({ "submission": submission, "include_verdict_json": true }),
    );
    assert_eq!(response.status, 200, "{}", response.text());
    conforms(&response, "/v1/matters/{id}/check", "post");
    let body = response.json();
    let verdict = &body["verdict"];
    assert_eq!(verdict["outcome"], "accept");
    // The client's received_at (2026-03-02) is not the instant of receipt: the server's clock is.
    let now = common::now_china();
    let received_at = verdict["received_at"].as_str().expect("received_at");
    assert_ne!(received_at, "2026-03-02T09:30:00+08:00");
    assert_eq!(&received_at[..10], &now[..10]);
    assert!(received_at.ends_with("+08:00"));
    // verdict_json is the exact bytes; verdict is the same object.
    let verdict_json = body["verdict_json"].as_str().expect("verdict_json");
    assert_eq!(
        serde_json::from_str::<Value>(verdict_json).expect("json"),
        *verdict
    );
    assert_eq!(body["verdict_digest"], qiquan::verdict_digest(verdict_json));
    assert_eq!(body["digest_match"], Value::Null);
    // A revalidation records nothing, so it accepts nothing: no receipt, not even null.
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(
        keys,
        ["digest_match", "verdict", "verdict_digest", "verdict_json"]
    );
    // The verdict's exact bytes are the engine's, as the CLI and wasm print them (named by the
    // revision the server signed its rules as).
    let embedded = qiquan::Engine::embedded().expect("engine");
    let revision = common::local_revision(embedded.rules_digest());
    let engine = embedded.clone().with_revision(Some(revision));
    let options = json!({ "received_at": received_at }).to_string();
    assert_eq!(
        engine
            .check_json(MATTER, &submission.to_string(), Some(&options))
            .expect("check"),
        verdict_json
    );
    // Without include_verdict_json the response carries the verdict once, its exact bytes spliced
    // in as the `verdict` value (the digest covers them).
    let response = server.post_json(&check_path(), &json!({ "submission": submission }));
    assert_eq!(response.status, 200, "{}", response.text());
    conforms(&response, "/v1/matters/{id}/check", "post");
    let text = response.text();
    let body: Value = serde_json::from_str(&text).expect("json");
    let keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(keys, ["digest_match", "verdict", "verdict_digest"]);
    let exact = engine
        .check_json(
            MATTER,
            &submission.to_string(),
            Some(&json!({ "received_at": body["verdict"]["received_at"] }).to_string()),
        )
        .expect("check");
    assert!(text.starts_with(&format!("{{\"verdict\":{exact},")));
    assert_eq!(body["verdict_digest"], qiquan::verdict_digest(&exact));

    // The receipt comes from the case register, when it records and accepts the application:
    // fields from the recorded (numbered) verdict, a signature anyone can check with the
    // published public key and the documented canonical form.
    let mut at_window = submission.clone();
    at_window["channel"] = json!("window");
    let response = server.as_clerk(
        "POST",
        "/v1/applications",
        Some(&json!({ "matter": MATTER, "submission": at_window })),
    );
    assert_eq!(response.status, 201, "{}", response.text());
    let app = response.json();
    let receipt = &app["receipt"];
    let document = server.as_clerk(
        "GET",
        &format!("/v1/applications/{}/document", app["id"].as_str().unwrap()),
        None,
    );
    assert_eq!(document.status, 200, "{}", document.text());
    let document = document.json();
    let verdict = &document["verdict"];
    assert_eq!(verdict["outcome"], "accept");
    assert_eq!(receipt["issued_at"], verdict["received_at"]);
    assert_eq!(receipt["receipt_no"], app["number"]);
    assert_eq!(receipt["matter"], MATTER);
    assert_eq!(receipt["verdict_digest"], document["verdict_digest"]);
    assert_eq!(
        receipt["verdict_digest"],
        qiquan::verdict_digest(document["verdict_json"].as_str().unwrap())
    );
    assert_eq!(receipt["rules_digest"], verdict["rules_digest"]);
    assert_eq!(receipt["accepted_on"], verdict["deadlines"]["accepted_on"]);
    assert_eq!(
        receipt["promised_due"],
        verdict["deadlines"]["promised_due"]
    );
    assert_eq!(
        receipt["statutory_due"],
        verdict["deadlines"]["statutory_due"]
    );
    // The document it stands for, as the structured notice names it.
    assert_eq!(receipt["document"], "acceptance");
    assert_eq!(receipt["document"], verdict["notice"]["kind"]);
    assert_eq!(receipt["document_title"], "受理通知书");
    assert_eq!(
        receipt["document_number"],
        verdict["notice"]["number"]["text"]
    );
    assert_eq!(
        receipt["addressee"],
        verdict["notice"]["addressee"]["text"]["zh"]
    );
    assert_eq!(
        receipt["office"],
        verdict["notice"]["issuer"]["office"]["zh"]
    );
    assert_eq!(receipt["office"], "明川县行政审批服务局");
    let key = server.get("/v1/receipts/key");
    conforms(&key, "/v1/receipts/key", "get");
    let key = key.json();
    assert_eq!(receipt["key_id"], key["key_id"]);
    let mut canonical = String::from("qiquan-receipt-v2\n");
    for name in [
        "receipt_no",
        "matter",
        "version",
        "outcome",
        "document",
        "document_title",
        "document_number",
        "addressee",
        "office",
        "rules_digest",
        "verdict_digest",
        "accepted_on",
        "promised_due",
        "statutory_due",
        "pledge_due",
        "issued_at",
        "key_id",
    ] {
        canonical.push_str(&format!("{name}={}\n", receipt[name]));
    }
    let unhex = |s: &str| -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    };
    let public: [u8; 32] = unhex(key["public_key"].as_str().unwrap())
        .try_into()
        .unwrap();
    let signature: [u8; 64] = unhex(receipt["signature"].as_str().unwrap())
        .try_into()
        .unwrap();
    ed25519_dalek::VerifyingKey::from_bytes(&public)
        .unwrap()
        .verify_strict(
            canonical.as_bytes(),
            &ed25519_dalek::Signature::from_bytes(&signature),
        )
        .expect("signature verifies over the documented canonical form");

    // Accept with a pledge, correction, not accepted: verdicts only, never a receipt.
    let mut pledged = accepted_submission();
    pledged["materials"]
        .as_object_mut()
        .unwrap()
        .remove("hygiene_rules");
    pledged["pledge_signed"] = json!(true);
    for (submission, outcome) in [
        (pledged, "accept_with_pledge"),
        (
            json!({"applicant": {"kind": "natural_person"}}),
            "correction_required",
        ),
        (
            json!({"applicant": {"kind": "administrative_organ"}}),
            "not_accepted",
        ),
    ] {
        let response = server.post_json(&check_path(), &json!({ "submission": submission }));
        conforms(&response, "/v1/matters/{id}/check", "post");
        let body = response.json();
        assert_eq!(body["verdict"]["outcome"], outcome, "{body}");
        assert!(body.get("receipt").is_none(), "{body}");
    }
    // One receipt in all: the register's.
    let metrics = server.get("/metrics").text();
    assert!(
        metrics.contains("qiquan_receipts_issued_total 1\n"),
        "{metrics}"
    );

    // Logs: matter, outcome, codes, latency; never the applicant's data.
    std::thread::sleep(Duration::from_millis(100));
    let logs = server.logs();
    assert!(logs.contains("outcome"), "{logs}");
    for secret in ["11010519491231002X", "13800138000", "好运宾馆"] {
        assert!(!logs.contains(secret), "log leaks {secret}: {logs}");
    }
}

#[test]
fn digest_comparison_detects_stale_rules_and_tampering() {
    let server = Server::dev("digest");
    let submission = accepted_submission();
    let instant = "2026-03-02T09:30:00+08:00";
    let digest = client_digest(&submission, instant);

    // Same rules, the submission's own received_at: match.
    let response = server.post_json(
        &check_path(),
        &json!({ "submission": submission, "client_verdict_digest": digest }),
    );
    conforms(&response, "/v1/matters/{id}/check", "post");
    assert_eq!(response.json()["digest_match"], true);

    // client_received_at takes precedence over the submission's.
    let other = "2026-03-05T15:00:00+08:00";
    let response = server.post_json(
        &check_path(),
        &json!({
            "submission": submission,
            "client_verdict_digest": client_digest(&submission, other),
            "client_received_at": other,
        }),
    );
    assert_eq!(response.json()["digest_match"], true);

    // A verdict the client altered (or computed otherwise): mismatch.
    let tampered = format!("sha256:{}", "0".repeat(64));
    let response = server.post_json(
        &check_path(),
        &json!({ "submission": submission, "client_verdict_digest": tampered }),
    );
    assert_eq!(response.status, 200);
    conforms(&response, "/v1/matters/{id}/check", "post");
    assert_eq!(response.json()["digest_match"], false);
    std::thread::sleep(Duration::from_millis(100));
    assert!(server.logs().contains("stale rules or tampering"));

    let metrics = server.get("/metrics");
    assert_eq!(metrics.status, 200);
    assert!(
        metrics
            .header("content-type")
            .unwrap_or_default()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = metrics.text();
    for expected in [
        "qiquan_digest_mismatches_total 1\n",
        "qiquan_digest_checks_total{result=\"match\"} 2\n",
        "qiquan_check_outcomes_total{outcome=\"accept\"} 3\n",
        "qiquan_receipts_issued_total 0\n",
        "qiquan_http_requests_total{route=\"/v1/matters/{id}/check\",method=\"POST\",status=\"200\"} 3\n",
        "qiquan_http_request_duration_seconds_bucket{route=\"/v1/matters/{id}/check\",le=\"+Inf\"} 3\n",
        "qiquan_http_request_duration_seconds_count{route=\"/v1/matters/{id}/check\"} 3\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    // Every sample line is `name{labels} value`.
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let value = line.rsplit(' ').next().unwrap();
        assert!(value.parse::<f64>().is_ok(), "bad sample {line:?}");
    }

    // Stale rules: a server with changed rules disagrees with the client's digest.
    let rules = temp_dir("stale-rules");
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("rules");
    std::fs::create_dir_all(rules.join("matters").join(MATTER)).unwrap();
    std::fs::create_dir_all(rules.join("calendar")).unwrap();
    for entry in std::fs::read_dir(root.join("calendar")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            rules.join("calendar").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    let rule = std::fs::read_to_string(root.join("matters").join(MATTER).join("2024-01.toml"))
        .unwrap()
        .replace(
            "promised_limit = { value = 10,",
            "promised_limit = { value = 8,",
        );
    std::fs::write(
        rules.join("matters").join(MATTER).join("2024-01.toml"),
        rule,
    )
    .unwrap();
    let stale = Server::start(
        "digest-stale",
        &[
            "--dev",
            "--rules",
            rules.to_str().unwrap(),
            "--www",
            "/nonexistent",
        ],
    );
    let response = stale.post_json(
        &check_path(),
        &json!({ "submission": submission, "client_verdict_digest": digest }),
    );
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.json()["digest_match"], false);

    // A malformed digest or client instant is bad input.
    server
        .post_json(
            &check_path(),
            &json!({ "submission": submission, "client_verdict_digest": "md5:abc" }),
        )
        .assert_error(400, "invalid_submission");
    let response = server.post_json(
        &check_path(),
        &json!({
            "submission": submission,
            "client_verdict_digest": digest,
            "client_received_at": "yesterday",
        }),
    );
    let body = response.assert_error(400, "invalid_instant");
    assert_eq!(body["error"]["at"], "/client_received_at");
}

#[test]
fn receipts_verify_across_replicas_and_forgeries_fail() {
    let dir = temp_dir("keys");
    let key = dir.join("receipt.key");
    let output = Command::new(env!("CARGO_BIN_EXE_qiquan"))
        .args(["keygen", "--out", key.to_str().unwrap()])
        .output()
        .expect("keygen");
    assert!(output.status.success(), "{output:?}");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&key).unwrap()).unwrap();
    assert_eq!(file["format"], "qiquan-receipt-key-v1");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // keygen never overwrites.
    let again = Command::new(env!("CARGO_BIN_EXE_qiquan"))
        .args(["keygen", "--out", key.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!again.status.success());

    let key_arg = key.to_str().unwrap();
    let a = Server::start("replica-a", &["--key", key_arg, "--www", "/nonexistent"]);
    let b = Server::start("replica-b", &["--key", key_arg, "--www", "/nonexistent"]);
    let other = Server::dev("replica-dev");

    // A receipt from replica a's case register (a check signs none).
    let mut at_window = accepted_submission();
    at_window["channel"] = json!("window");
    let response = a.as_clerk(
        "POST",
        "/v1/applications",
        Some(&json!({ "matter": MATTER, "submission": at_window })),
    );
    assert_eq!(response.status, 201, "{}", response.text());
    let receipt = response.json()["receipt"].clone();
    assert_eq!(receipt["key_id"], file["key_id"]);
    let verify = |server: &Server, receipt: &Value| {
        let response = server.post_json("/v1/receipts/verify", &json!({ "receipt": receipt }));
        assert_eq!(response.status, 200, "{}", response.text());
        conforms(&response, "/v1/receipts/verify", "post");
        response.json()
    };
    assert_eq!(verify(&a, &receipt)["valid"], true);
    let on_b = verify(&b, &receipt);
    assert_eq!(on_b["valid"], true, "replica b verifies a's receipt");
    assert_eq!(on_b["receipt_no"], receipt["receipt_no"]);

    // Altered fields.
    for (field, value) in [
        ("promised_due", json!("2099-01-01")),
        ("promised_due", Value::Null),
        ("accepted_on", json!("2026-01-01")),
        ("matter", json!("travel_agency_license")),
        ("outcome", json!("accept_with_pledge")),
        ("issued_at", json!("2026-01-01T08:00:00+08:00")),
    ] {
        let mut altered = receipt.clone();
        altered[field] = value;
        let result = verify(&b, &altered);
        assert_eq!(result["valid"], false, "{field}");
        assert_eq!(result["reason"], "signature_mismatch", "{field}");
    }
    // Forged signature.
    let mut forged = receipt.clone();
    forged["signature"] = json!("ab".repeat(64));
    assert_eq!(verify(&a, &forged)["reason"], "signature_mismatch");
    forged["signature"] = json!("not hex");
    assert_eq!(verify(&a, &forged)["reason"], "malformed_signature");
    // Signed by another key (or claiming another key id).
    assert_eq!(verify(&other, &receipt)["reason"], "unknown_key");
    let mut relabelled = receipt.clone();
    relabelled["key_id"] = json!("ed25519:0000000000000000");
    assert_eq!(verify(&a, &relabelled)["reason"], "unknown_key");
    // Not a receipt at all.
    let mut missing = receipt.clone();
    missing.as_object_mut().unwrap().remove("signature");
    a.post_json("/v1/receipts/verify", &json!({ "receipt": missing }))
        .assert_error(400, "invalid_submission");
    let mut extra = receipt.clone();
    extra["amount"] = json!(100);
    a.post_json("/v1/receipts/verify", &json!({ "receipt": extra }))
        .assert_error(400, "invalid_submission");
    request(
        &a.addr,
        "POST",
        "/v1/receipts/verify",
        &[("Content-Type", "text/plain")],
        b"{}",
    )
    .assert_error(415, "unsupported_media_type");
    request(
        &a.addr,
        "POST",
        "/v1/receipts/verify",
        &[("Content-Type", "application/json")],
        b"{\"receipt\":",
    )
    .assert_error(400, "invalid_json");

    let metrics = b.get("/metrics").text();
    assert!(metrics.contains("qiquan_receipt_verifications_total{result=\"valid\"} 1\n"));
    assert!(
        metrics.contains("qiquan_receipt_verifications_total{result=\"signature_mismatch\"} 6\n")
    );
}

#[test]
fn serve_refuses_to_start_without_a_key_and_dev_says_so() {
    let output = Command::new(env!("CARGO_BIN_EXE_qiquan"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(register_in(&temp_dir("no-key")))
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let error: Value = serde_json::from_slice(&output.stderr).expect("structured error");
    assert_eq!(error["error"]["code"], "usage");
    let bad_key = temp_dir("bad-key").join("key");
    std::fs::write(&bad_key, "{\"format\":\"nope\"}").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_qiquan"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--key",
            bad_key.to_str().unwrap(),
        ])
        .args(register_in(bad_key.parent().unwrap()))
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));

    let server = Server::dev("dev-banner");
    assert!(server.logs().contains("EPHEMERAL"), "{}", server.logs());
}

#[test]
fn bad_input_is_a_structured_4xx() {
    let server = Server::start(
        "bad-input",
        &["--dev", "--www", "/nonexistent", "--request-timeout", "2"],
    );
    let path = check_path();
    let post = |headers: &[(&str, &str)], body: &[u8]| {
        let response = request(&server.addr, "POST", &path, headers, body);
        if response.status != 413 {
            conforms(&response, "/v1/matters/{id}/check", "post");
        }
        response
    };
    let json_type = [("Content-Type", "application/json")];

    // Too large: 300 KB with a length, and chunked without one.
    let big = format!(
        "{{\"submission\":{{\"applicant\":{{\"kind\":\"natural_person\"}},\"fields\":{{\"unit_name\":\"{}\"}}}}}}",
        "x".repeat(300 * 1024)
    );
    post(&json_type, big.as_bytes()).assert_error(413, "input_too_large");
    let mut chunked = Vec::new();
    for piece in big.as_bytes().chunks(16 * 1024) {
        chunked.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        chunked.extend_from_slice(piece);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    post(
        &[
            ("Content-Type", "application/json"),
            ("Transfer-Encoding", "chunked"),
        ],
        &chunked,
    )
    .assert_error(413, "input_too_large");
    // Declares 100 MB: refused at once.
    let mut stream = connect(&server.addr);
    stream
        .write_all(head("POST", &path, &json_type, Some(100 << 20)).as_bytes())
        .unwrap();
    read_response(&mut stream).assert_error(413, "input_too_large");

    // Content type.
    post(&[("Content-Type", "text/plain")], b"{}").assert_error(415, "unsupported_media_type");
    post(&[], b"{}").assert_error(415, "unsupported_media_type");
    // Charset parameter is fine.
    let ok = post(
        &[("Content-Type", "application/json; charset=utf-8")],
        json!({"submission": {"applicant": {"kind": "natural_person"}}})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(ok.status, 200, "{}", ok.text());

    // Malformed JSON, not UTF-8, empty, wrong types, unknown keys, deep nesting.
    post(&json_type, b"{\"submission\": {").assert_error(400, "invalid_json");
    post(&json_type, b"").assert_error(400, "invalid_json");
    post(&json_type, &[0xff, 0xfe, b'{', b'}']).assert_error(400, "invalid_json");
    post(&json_type, b"[1, 2, 3]").assert_error(400, "invalid_submission");
    post(&json_type, b"{}").assert_error(400, "invalid_submission");
    post(
        &json_type,
        br#"{"submission": {"applicant": {"kind": "natural_person"}, "pledge_signed": "yes"}}"#,
    )
    .assert_error(400, "invalid_submission");
    // A number where an enum string belongs: a shape error, though serde_json calls it syntax.
    post(&json_type, br#"{"submission": {"applicant": {"kind": 5}}}"#)
        .assert_error(400, "invalid_submission");
    post(
        &json_type,
        br#"{"submission": {"applicant": {"kind": "natural_person"}}, "received_at": "2020-01-01T00:00:00+08:00"}"#,
    )
    .assert_error(400, "invalid_submission");
    post(
        &json_type,
        br#"{"submission": {"applicant": {"kind": "natural_person"}, "fields": {"a": 1, "a": 2}}}"#,
    )
    .assert_error(400, "invalid_submission");
    post(
        &json_type,
        br#"{"submission": {"applicant": {"kind": "natural_person"}, "fields": {"no_such_field": "1"}}}"#,
    )
    .assert_error(400, "unknown_field");
    let deep = format!(
        "{{\"submission\":{{\"applicant\":{{\"kind\":\"natural_person\"}},\"fields\":{{\"unit_name\":{}1{}}}}}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    post(&json_type, deep.as_bytes()).assert_error(400, "invalid_json");
    let deep_objects = "{\"a\":".repeat(20_000) + "1" + &"}".repeat(20_000);
    post(&json_type, deep_objects.as_bytes()).assert_error(400, "invalid_submission");

    // Unknown matter: 404 whatever the body.
    let response = request(
        &server.addr,
        "POST",
        "/v1/matters/no_such_matter/check",
        &json_type,
        b"{}",
    );
    response.assert_error(404, "unknown_matter");
    conforms(&response, "/v1/matters/{id}/check", "post");
    request(&server.addr, "GET", &path, &[], b"").assert_error(405, "method_not_allowed");

    // A body that never finishes: 408 after the request timeout, not a hung connection.
    let started = Instant::now();
    let mut stream = connect(&server.addr);
    stream
        .write_all(head("POST", &path, &json_type, Some(1000)).as_bytes())
        .unwrap();
    stream.write_all(b"{\"submission\":").unwrap();
    let response = read_response(&mut stream);
    response.assert_error(408, "timeout");
    conforms(&response, "/v1/matters/{id}/check", "post");
    assert!(started.elapsed() < Duration::from_secs(8));

    // A garbage request line: hyper's own 400, and the server lives on.
    let mut stream = connect(&server.addr);
    stream.write_all(b"NOT HTTP AT ALL\r\n\r\n").unwrap();
    let mut sink = Vec::new();
    let _ = stream.read_to_end(&mut sink);
    assert_eq!(server.get("/healthz").status, 200);

    // Nothing above was a 5xx.
    let metrics = server.get("/metrics").text();
    assert!(
        !metrics.contains("status=\"5"),
        "a 5xx was answered:\n{metrics}"
    );
}

#[test]
fn static_files_and_missing_dirs() {
    let www = temp_dir("www");
    std::fs::write(www.join("index.html"), "<!doctype html><title>齐全</title>").unwrap();
    let pkg = temp_dir("pkg");
    std::fs::write(pkg.join("qiquan_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let server = Server::start(
        "static",
        &[
            "--dev",
            "--www",
            www.to_str().unwrap(),
            "--pkg",
            pkg.to_str().unwrap(),
        ],
    );
    let index = server.get("/");
    assert_eq!(index.status, 200);
    assert!(index.text().contains("齐全"));
    assert!(
        index
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let wasm = server.get("/pkg/qiquan_bg.wasm");
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(wasm.body, b"\0asm\x01\0\0\0");
    // Static files are gzipped for clients that accept it, and decode to the same bytes.
    let module: Vec<u8> = b"\0asm\x01\0\0\0"
        .iter()
        .copied()
        .chain((0..64 * 1024).map(|i| (i % 7) as u8))
        .collect();
    std::fs::write(pkg.join("big.wasm"), &module).unwrap();
    let gzipped = request(
        &server.addr,
        "GET",
        "/pkg/big.wasm",
        &[("Accept-Encoding", "gzip")],
        b"",
    );
    assert_eq!(gzipped.status, 200);
    assert_eq!(gzipped.header("content-encoding"), Some("gzip"));
    assert_eq!(gzipped.header("content-type"), Some("application/wasm"));
    assert!(
        gzipped.body.len() < module.len() / 10,
        "{}",
        gzipped.body.len()
    );
    assert_eq!(gunzip(&gzipped.body), module);
    let plain = server.get("/pkg/big.wasm");
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body, module);
    assert_eq!(server.get("/missing.html").status, 404);
    assert_eq!(server.get("/pkg/missing.js").status, 404);
    assert_eq!(server.get("/../Cargo.toml").status, 404);

    let bare = Server::dev("static-missing");
    let page = bare.get("/");
    assert_eq!(page.status, 404);
    assert!(page.text().contains("not built"), "{}", page.text());
    let wasm = bare.get("/pkg/qiquan_bg.wasm");
    assert_eq!(wasm.status, 404);
    assert!(wasm.text().contains("not built"));
    // The API works without the pages.
    assert_eq!(bare.get("/healthz").status, 200);
}

#[test]
fn graceful_shutdown_finishes_in_flight_requests() {
    let mut server = Server::dev("shutdown");
    let body = json!({ "submission": accepted_submission() }).to_string();
    let (first, rest) = body.as_bytes().split_at(body.len() / 2);
    let mut stream = connect(&server.addr);
    stream
        .write_all(
            head(
                "POST",
                &check_path(),
                &[("Content-Type", "application/json")],
                Some(body.len()),
            )
            .as_bytes(),
        )
        .unwrap();
    stream.write_all(first).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    server.terminate();
    std::thread::sleep(Duration::from_millis(300));
    // New connections are no longer accepted...
    assert!(
        TcpStream::connect(&server.addr).is_err(),
        "still accepting after SIGTERM"
    );
    // ...but the request in flight completes.
    stream.write_all(rest).unwrap();
    let response = read_response(&mut stream);
    assert_eq!(response.status, 200, "{}", response.text());
    assert_eq!(response.json()["verdict"]["outcome"], "accept");

    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "server did not exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    let logs = server.logs();
    assert!(logs.contains("SIGTERM received"), "{logs}");
    assert!(logs.contains("all connections closed"), "{logs}");
}

// ---- Hostile clients (issue 13) ----

/// Resident memory of a process, in KiB (Linux).
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// One keep-alive connection: requests one after another, each response read by its
/// `Content-Length`.
struct KeepAlive {
    reader: BufReader<TcpStream>,
}

impl KeepAlive {
    fn new(addr: &str) -> KeepAlive {
        KeepAlive {
            reader: BufReader::new(connect(addr)),
        }
    }

    fn send(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) {
        let mut text = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\n");
        for (name, value) in headers {
            text.push_str(&format!("{name}: {value}\r\n"));
        }
        text.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let stream = self.reader.get_mut();
        stream.write_all(text.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
    }

    /// The next response, or `None` if the server closed the connection instead.
    fn receive(&mut self) -> Option<Response> {
        let mut status_line = String::new();
        if self.reader.read_line(&mut status_line).ok()? == 0 {
            return None;
        }
        let status = status_line.split(' ').nth(1)?.parse().ok()?;
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).ok()?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':')?;
            headers.push((name.trim().to_string(), value.trim().to_string()));
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .map_or(0, |(_, v)| v.parse().unwrap());
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).ok()?;
        Some(Response {
            status,
            headers,
            body,
        })
    }
}

#[test]
fn metrics_labels_stay_bounded_under_random_methods() {
    let server = Server::dev("random-methods");
    let pid = server.child.id();
    // Warm up, then measure.
    for _ in 0..200 {
        assert_eq!(server.get("/healthz").status, 200);
    }
    let before = rss_kib(pid);
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let addr = server.addr.clone();
            let seeds: Vec<u64> = (0..2500).map(|_| next()).collect();
            std::thread::spawn(move || {
                let mut client = KeepAlive::new(&addr);
                for s in seeds {
                    // A long made-up method: each would have been a new label value.
                    let method = format!("M{s:016X}{}", "X".repeat(200));
                    client.send(&method, "/healthz", &[], b"");
                    let response = client.receive().expect("an answer");
                    assert_eq!(response.status, 405);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let metrics = server.get("/metrics").text();
    assert!(
        metrics.len() < 32 * 1024,
        "/metrics grew to {} bytes",
        metrics.len()
    );
    assert!(
        metrics.contains("route=\"/healthz\",method=\"other\",status=\"405\"} 10000"),
        "{metrics}"
    );
    assert!(!metrics.contains("method=\"M"), "{metrics}");
    let after = rss_kib(pid);
    assert!(
        after < before + 16 * 1024,
        "RSS grew from {before} KiB to {after} KiB"
    );
}

#[test]
fn connections_over_the_limit_are_answered_503() {
    let server = Server::start(
        "max-connections",
        &["--dev", "--www", "/nonexistent", "--max-connections", "3"],
    );
    // Three keep-alive connections, each surely being served (it answered a request).
    let held: Vec<KeepAlive> = (0..3)
        .map(|_| {
            let mut client = KeepAlive::new(&server.addr);
            client.send("GET", "/healthz", &[], b"");
            assert_eq!(client.receive().unwrap().status, 200);
            client
        })
        .collect();
    let mut extra = connect(&server.addr);
    read_response(&mut extra).assert_error(503, "too_many_connections");
    drop(held);
    // The slots come back when the clients leave.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let mut stream = connect(&server.addr);
        stream
            .write_all(head("GET", "/healthz", &[], None).as_bytes())
            .unwrap();
        if read_response(&mut stream).status == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "slots not released");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn slow_headers_get_408_and_idle_connections_are_closed() {
    let server = Server::start(
        "slow-headers",
        &["--dev", "--www", "/nonexistent", "--header-timeout", "1"],
    );
    let started = Instant::now();
    let mut slow = connect(&server.addr);
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        .unwrap();
    let response = read_response(&mut slow);
    response.assert_error(408, "timeout");
    assert!(started.elapsed() < Duration::from_secs(5));

    // An idle connection (nothing sent) is closed without an answer.
    let started = Instant::now();
    let mut idle = connect(&server.addr);
    let mut sink = Vec::new();
    let _ = idle.read_to_end(&mut sink);
    assert!(sink.is_empty(), "{}", String::from_utf8_lossy(&sink));
    assert!(started.elapsed() < Duration::from_secs(5));

    // An idle keep-alive connection after a response: closed too, without a 408.
    let mut client = KeepAlive::new(&server.addr);
    client.send("GET", "/healthz", &[], b"");
    assert_eq!(client.receive().unwrap().status, 200);
    assert!(client.receive().is_none());
}

#[test]
fn a_client_that_does_not_read_is_dropped() {
    let www = temp_dir("www-big");
    // Far more than the loopback socket buffers hold.
    let size = 64 * 1024 * 1024;
    std::fs::write(www.join("big.bin"), vec![7u8; size]).unwrap();
    let server = Server::start(
        "non-reading",
        &[
            "--dev",
            "--www",
            www.to_str().unwrap(),
            "--write-timeout",
            "1",
        ],
    );
    let mut stream = connect(&server.addr);
    stream
        .write_all(head("GET", "/big.bin", &[], None).as_bytes())
        .unwrap();
    std::thread::sleep(Duration::from_secs(4));
    // By now the server has given up: what is left in the buffers, then the end.
    let started = Instant::now();
    let mut total = 0usize;
    let mut buf = vec![0u8; 1 << 20];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => total += n,
        }
    }
    assert!(
        total < size,
        "the whole file arrived: the server never gave up"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(server.get("/healthz").status, 200);
    let _ = std::fs::remove_dir_all(&www);
}

#[test]
fn every_error_is_the_json_error_contract() {
    let www = temp_dir("www-errors");
    std::fs::write(www.join("index.html"), "<!doctype html><title>齐全</title>").unwrap();
    let server = Server::start("errors", &["--dev", "--www", www.to_str().unwrap()]);
    let addr = &server.addr;
    let raw = |bytes: &[u8]| {
        let mut stream = connect(addr);
        stream.write_all(bytes).unwrap();
        read_response(&mut stream)
    };
    // The HTTP layer's own refusals.
    raw(b"NOT HTTP AT ALL\r\n\r\n").assert_error(400, "malformed_request");
    let big_header = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(20 * 1024)
    );
    raw(big_header.as_bytes()).assert_error(431, "headers_too_large");
    let mut many = String::from("GET /healthz HTTP/1.1\r\nHost: x\r\n");
    for i in 0..100 {
        many.push_str(&format!("X-H{i}: 1\r\n"));
    }
    many.push_str("\r\n");
    raw(many.as_bytes()).assert_error(431, "headers_too_large");
    let long_uri = format!(
        "GET /v1/matters/{} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "a".repeat(10 * 1024)
    );
    raw(long_uri.as_bytes()).assert_error(414, "uri_too_long");
    // Routing.
    server.get("/v1/").assert_error(404, "not_found");
    server.get("/v1").assert_error(404, "not_found");
    server
        .get("/v1/nothing/here")
        .assert_error(404, "not_found");
    server
        .get("/no-such-page.html")
        .assert_error(404, "not_found");
    request(addr, "POST", "/", &[], b"x").assert_error(405, "method_not_allowed");
    request(addr, "DELETE", "/index.html", &[], b"").assert_error(405, "method_not_allowed");
    request(addr, "PUT", "/pkg/qiquan.js", &[], b"x").assert_error(405, "method_not_allowed");
    // Pages not built: still the JSON error.
    let bare = Server::dev("errors-bare");
    let page = bare.get("/");
    let body = page.assert_error(404, "not_found");
    assert!(
        body["error"]["message"]["en"]
            .as_str()
            .unwrap()
            .contains("not built")
    );
    // Engine errors point into the request body, all from its root.
    let response = server.post_json(
        &check_path(),
        &json!({"submission": {"applicant": {"kind": "natural_person"}, "fields": {"no_such_field": "1"}}}),
    );
    let body = response.assert_error(400, "unknown_field");
    assert_eq!(body["error"]["at"], "/submission/fields/no_such_field");
    // No message mixes languages: the parser's English stays out of zh.
    for bad in [&b"{}"[..], b"{", b"[1]"] {
        let response = request(
            addr,
            "POST",
            &check_path(),
            &[("Content-Type", "application/json")],
            bad,
        );
        let zh = response.json()["error"]["message"]["zh"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            !zh.bytes().any(|b| b.is_ascii_lowercase()),
            "English in zh: {zh}"
        );
    }
    // A clerk's note is capped: the verdict repeats it.
    let mut submission = accepted_submission();
    submission["materials"]["identity_proof"] =
        json!({"status": "flawed", "note": "章".repeat(5000)});
    let response = server.post_json(&check_path(), &json!({ "submission": submission }));
    let body = response.assert_error(400, "note_too_long");
    assert_eq!(
        body["error"]["at"],
        "/submission/materials/identity_proof/note"
    );
    conforms(&response, "/v1/matters/{id}/check", "post");
}

#[test]
fn a_panicking_handler_gets_a_500_json_error_and_the_server_lives_on() {
    let dir = temp_dir("panic");
    let log = dir.join("stderr.log");
    let mut child = Command::new(env!("CARGO_BIN_EXE_qiquan"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--dev",
            "--www",
            "/nonexistent",
        ])
        .args(register_in(&dir))
        .env("QIQUAN_TEST_PANIC_ROUTE", "1")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap()
        .to_string();
    for _ in 0..3 {
        let response = request(&addr, "GET", "/v1/test/panic", &[], b"");
        response.assert_error(500, "internal");
        assert_eq!(request(&addr, "GET", "/healthz", &[], b"").status, 200);
    }
    assert!(child.try_wait().unwrap().is_none(), "the server died");
    let _ = child.kill();
    let _ = child.wait();
    // Without the variable the route does not exist.
    let server = Server::dev("no-panic-route");
    server.get("/v1/test/panic").assert_error(404, "not_found");
}

#[test]
fn release_builds_unwind_and_the_wasm_build_aborts() {
    let manifest: toml::Table = std::fs::read_to_string(concat!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/.."),
        "/Cargo.toml"
    ))
    .unwrap()
    .parse()
    .unwrap();
    let profiles = &manifest["profile"];
    // The server's panic layer can only catch when the native build unwinds.
    assert_ne!(
        profiles["release"].get("panic").and_then(|p| p.as_str()),
        Some("abort")
    );
    assert_eq!(
        profiles["wasm-release"]["inherits"].as_str(),
        Some("release")
    );
    assert_eq!(profiles["wasm-release"]["panic"].as_str(), Some("abort"));
    let script = std::fs::read_to_string(concat!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/.."),
        "/scripts/build-wasm.sh"
    ))
    .unwrap();
    assert!(script.contains("--profile wasm-release"));
    assert!(script.contains("wasm32-unknown-unknown/wasm-release/qiquan.wasm"));
}

#[test]
fn security_and_cache_headers() {
    let www = temp_dir("www-headers");
    std::fs::write(www.join("index.html"), "<!doctype html><title>齐全</title>").unwrap();
    std::fs::create_dir_all(www.join("assets")).unwrap();
    std::fs::write(www.join("assets/clerk-B3xk9_Qa.js"), "export {};").unwrap();
    let pkg = temp_dir("pkg-headers");
    std::fs::write(pkg.join("qiquan.js"), "export {};").unwrap();
    let server = Server::start(
        "headers",
        &[
            "--dev",
            "--www",
            www.to_str().unwrap(),
            "--pkg",
            pkg.to_str().unwrap(),
        ],
    );
    for path in [
        "/",
        "/index.html",
        "/healthz",
        "/v1/nothing",
        "/pkg/qiquan.js",
    ] {
        let response = server.get(path);
        let csp = response
            .header("content-security-policy")
            .unwrap_or_default();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(response.header("x-frame-options"), Some("DENY"));
        assert_eq!(response.header("referrer-policy"), Some("no-referrer"));
    }
    // HTML: kept but revalidated.
    let page = server.get("/index.html");
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    let etag = page.header("etag").unwrap().to_string();
    let again = request(
        &server.addr,
        "GET",
        "/index.html",
        &[("If-None-Match", &etag)],
        b"",
    );
    assert_eq!(again.status, 304);
    // Hashed assets: immutable.
    let asset = server.get("/assets/clerk-B3xk9_Qa.js");
    assert_eq!(asset.status, 200);
    assert_eq!(
        asset.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    // pkg/: an ETag, revalidated; a change gives a new one.
    let module = server.get("/pkg/qiquan.js");
    assert_eq!(module.header("cache-control"), Some("no-cache"));
    let etag = module.header("etag").unwrap().to_string();
    let same = request(
        &server.addr,
        "GET",
        "/pkg/qiquan.js",
        &[("If-None-Match", &etag)],
        b"",
    );
    assert_eq!(same.status, 304);
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(pkg.join("qiquan.js"), "export const changed = 1;").unwrap();
    let changed = request(
        &server.addr,
        "GET",
        "/pkg/qiquan.js",
        &[("If-None-Match", &etag)],
        b"",
    );
    assert_eq!(changed.status, 200);
    assert_ne!(changed.header("etag"), Some(etag.as_str()));
    // API answers are not cached.
    assert_eq!(
        server.get("/healthz").header("cache-control"),
        Some("no-store")
    );
}

#[test]
fn the_pages_need_nothing_the_policy_forbids() {
    // No inline script or style in the pages (the policy allows only files from this origin).
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("www");
    for page in ["index.html", "clerk.html", "kiosk.html"] {
        let html = std::fs::read_to_string(root.join(page)).unwrap();
        for (i, _) in html.match_indices("<script") {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            assert!(tag.contains("src="), "{page}: inline script {tag}");
        }
        assert!(!html.contains("<style"), "{page}: inline <style>");
        assert!(!html.contains(" style="), "{page}: inline style attribute");
        assert!(!html.contains(" on"), "{page}: inline event handler?");
    }
}

#[test]
fn sigterm_right_after_listening_exits_cleanly() {
    for i in 0..10 {
        let mut server = Server::dev(&format!("early-term-{i}"));
        server.terminate();
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "no exit after SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(status.success(), "run {i}: {status:?}\n{}", server.logs());
    }
}

#[test]
fn requests_during_sigterm_are_all_answered() {
    let mut server = Server::dev("term-under-load");
    let body = json!({ "submission": accepted_submission() }).to_string();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let addr = server.addr.clone();
            let body = body.clone();
            std::thread::spawn(move || {
                let mut client = KeepAlive::new(&addr);
                let (mut sent, mut answered, mut told_to_close) = (0, 0, false);
                while !told_to_close {
                    client.send(
                        "POST",
                        &check_path(),
                        &[("Content-Type", "application/json")],
                        body.as_bytes(),
                    );
                    sent += 1;
                    let Some(response) = client.receive() else {
                        break;
                    };
                    assert_eq!(response.status, 200, "{}", response.text());
                    answered += 1;
                    told_to_close = response
                        .header("connection")
                        .is_some_and(|v| v.eq_ignore_ascii_case("close"));
                }
                (sent, answered, told_to_close)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    server.terminate();
    let mut total = 0;
    for client in clients {
        let (sent, answered, told) = client.join().unwrap();
        assert_eq!(
            sent, answered,
            "a request sent during shutdown got no answer"
        );
        assert!(told, "the connection closed without Connection: close");
        total += answered;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(total > 8, "{total}");
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "no exit after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}
