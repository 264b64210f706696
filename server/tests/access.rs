//! Who may do what, end to end: every route of `/v1/openapi.json` × every kind of caller
//! against the real `qiquan serve --dev-issuer`, each answer checked against the route's
//! declared roles. A route the document lists without `x-roles`, or one missing from
//! [`DECLARED`], fails here.

use std::collections::BTreeMap;
use std::process::{Child, Command};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use serde_json::{Value, json};

mod common;
use common::{Response, dev_token, dev_token_with, request};

const MATTER: &str = "public_place_hygiene_license";
/// A minimal PDF that parses (the server checks past the magic bytes).
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer << /Size 2 /Root 1 0 R >>\nstartxref\n45\n%%EOF\n";

/// Every operation and the roles it declares (what `x-roles` must say).
const DECLARED: &[(&str, &str, &[&str])] = &[
    ("get", "/healthz", &["public"]),
    ("get", "/metrics", &["public"]),
    ("get", "/v1/openapi.json", &["public"]),
    ("get", "/v1/auth/config", &["public"]),
    ("get", "/v1/matters", &["public"]),
    ("get", "/v1/matters/{id}", &["public"]),
    ("post", "/v1/matters/{id}/check", &["public"]),
    ("get", "/v1/receipts/key", &["public"]),
    ("post", "/v1/receipts/verify", &["public"]),
    ("get", "/v1/rules/keys", &["public"]),
    ("get", "/v1/rules/bundle.json", &["public"]),
    ("get", "/v1/rules/files/{file}", &["public"]),
    ("post", "/v1/applications", &["public", "kiosk", "clerk"]),
    (
        "get",
        "/v1/applications",
        &["clerk", "supervisor", "auditor"],
    ),
    ("post", "/v1/applications/lookup", &["clerk"]),
    ("get", "/v1/me/applications", &["applicant_account"]),
    (
        "get",
        "/v1/applications/{id}",
        &["applicant", "clerk", "supervisor", "auditor"],
    ),
    (
        "get",
        "/v1/applications/{id}/answers",
        &["clerk", "auditor"],
    ),
    (
        "get",
        "/v1/applications/{id}/document",
        &["applicant", "clerk", "auditor"],
    ),
    (
        "get",
        "/v1/applications/{id}/events",
        &["clerk", "supervisor", "auditor"],
    ),
    (
        "post",
        "/v1/applications/{id}/submit",
        &["applicant", "clerk"],
    ),
    (
        "put",
        "/v1/applications/{id}/materials/{material}",
        &["applicant", "clerk"],
    ),
    (
        "get",
        "/v1/applications/{id}/materials/{material}",
        &["clerk", "auditor"],
    ),
    (
        "post",
        "/v1/applications/{id}/materials/{material}/flaw",
        &["clerk"],
    ),
    ("get", "/v1/receipts/{number}", &["public"]),
    ("post", "/v1/handover", &["public", "kiosk"]),
    ("get", "/v1/handover/{code}", &["clerk"]),
    ("get", "/v1/handover/{code}/qr.svg", &["public"]),
    ("get", "/v1/ledger", &["clerk", "supervisor"]),
    ("get", "/v1/ledger.csv", &["clerk", "supervisor"]),
    ("post", "/v1/ledger/sweep", &["supervisor"]),
    ("get", "/v1/audit/events", &["auditor"]),
    (
        "post",
        "/v1/ledger/{entry}/supply",
        &["clerk", "supervisor"],
    ),
    ("post", "/v1/ledger/{entry}/waive", &["clerk", "supervisor"]),
    (
        "get",
        "/v1/applications/{id}/case",
        &["clerk", "supervisor", "auditor"],
    ),
    ("post", "/v1/applications/{id}/case", &["clerk"]),
    (
        "get",
        "/v1/applications/{id}/case/documents/{seq}",
        &["clerk", "auditor"],
    ),
    ("get", "/v1/supervision/cases", &["supervisor"]),
    ("get", "/v1/supervision/figures", &["supervisor"]),
    ("get", "/v1/supervision/figures.csv", &["supervisor"]),
    ("get", "/v1/supervision/events.jsonl", &["supervisor"]),
];

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(name: &str, extra: &[&str]) -> Server {
    let dir = common::temp_dir("access", name);
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
        .arg("--db")
        .arg(dir.join("qiquan.db"))
        .arg("--data-dir")
        .arg(dir.join("data"))
        .args(extra);
    let (child, addr) = common::spawn_serve(serve, &dir.join("stderr.log"));
    Server { child, addr }
}

/// One kind of caller: its headers.
struct Caller {
    name: &'static str,
    headers: Vec<(&'static str, String)>,
    /// The role its credential carries (None: no valid staff credential).
    role: Option<&'static str>,
    /// Shows the capability of the application in the path.
    applicant_of_this: bool,
    /// Shows another application's capability.
    applicant_of_other: bool,
    /// Sends a credential that must not verify.
    bad_token: bool,
}

fn caller(name: &'static str, headers: Vec<(&'static str, String)>) -> Caller {
    Caller {
        name,
        headers,
        role: None,
        applicant_of_this: false,
        applicant_of_other: false,
        bad_token: false,
    }
}

/// A token signed by a key the issuer never published, under the issuer's own key id.
fn wrong_key_token(server: &Server) -> String {
    let jwks = request(&server.addr, "GET", "/dev-issuer/jwks", &[], b"").json();
    let kid = jwks["keys"][0]["kid"].as_str().expect("kid").to_string();
    let issuer = format!("http://{}/dev-issuer", server.addr);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let header = B64.encode(json!({"alg": "EdDSA", "typ": "JWT", "kid": kid}).to_string());
    let claims = B64.encode(
        json!({"iss": issuer, "aud": "qiquan", "sub": "mallory", "roles": ["clerk", "supervisor", "auditor"],
               "iat": now, "nbf": now, "exp": now + 600})
        .to_string(),
    );
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).expect("random");
    let key = ed25519_dalek::SigningKey::from_bytes(&seed);
    let signed = format!("{header}.{claims}");
    let signature = ed25519_dalek::Signer::sign(&key, signed.as_bytes());
    format!("{signed}.{}", B64.encode(signature.to_bytes()))
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

fn submit(server: &Server, headers: &[(&str, &str)], body: &Value) -> Response {
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    request(
        &server.addr,
        "POST",
        "/v1/applications",
        &all,
        body.to_string().as_bytes(),
    )
}

fn window_submission() -> Value {
    let mut submission = common::accepted_submission();
    submission["channel"] = json!("window");
    submission
}

/// Whether `caller` may call a route declaring `roles`.
fn allowed(caller: &Caller, roles: &[&str]) -> bool {
    roles.contains(&"public")
        || caller.role.is_some_and(|r| roles.contains(&r))
        || (caller.applicant_of_this && roles.contains(&"applicant"))
}

/// Each route × each caller answers as its row declares.
#[test]
fn every_route_answers_every_caller_as_declared() {
    let server = start("matrix", &["--dev", "--dev-issuer"]);
    let addr = server.addr.clone();
    let token = |user: &str| dev_token(&addr, user);

    // The served document: every operation has x-roles, and they are the declared ones.
    let doc = request(&addr, "GET", "/v1/openapi.json", &[], b"").json();
    let mut described: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let roles = op["x-roles"]
                .as_array()
                .unwrap_or_else(|| panic!("{method} {path} declares no x-roles"))
                .iter()
                .map(|r| r.as_str().expect("role").to_string())
                .collect();
            described.insert((method.clone(), path.clone()), roles);
        }
    }
    let declared: BTreeMap<(String, String), Vec<String>> = DECLARED
        .iter()
        .map(|(m, p, r)| {
            (
                (m.to_string(), p.to_string()),
                r.iter().map(|s| s.to_string()).collect(),
            )
        })
        .collect();
    assert_eq!(
        described, declared,
        "the served x-roles and this test's rows differ: a route was added, removed or re-roled"
    );

    // Two online applications (anyone, capability returned once), a clerk's accepted one.
    let mut online = common::accepted_submission();
    online["channel"] = json!("online");
    let create = |sub: &Value, draft: bool| {
        let r = submit(
            &server,
            &[],
            &json!({"matter": MATTER, "submission": sub, "draft": draft}),
        );
        assert_eq!(r.status, 201, "{}", r.text());
        let body = r.json();
        (
            body["id"].as_str().expect("id").to_string(),
            body["capability"].as_str().expect("capability").to_string(),
        )
    };
    let (app_a, cap_a) = create(&online, true);
    let (_app_b, cap_b) = create(&online, true);
    assert!(cap_a.len() >= 4 + 43, "256-bit capability: {cap_a}");
    let clerk = bearer(&token("clerk"));
    let r = submit(
        &server,
        &[
            ("Authorization", &clerk),
            ("X-Qiquan-Actor", "system:ledger-sweep"),
        ],
        &json!({"matter": MATTER, "submission": window_submission()}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let window_app = r.json();
    assert_eq!(window_app["outcome"], "accept");
    let number = window_app["number"].as_str().expect("number").to_string();
    let receipt_code = window_app["receipt_code"]
        .as_str()
        .expect("code")
        .to_string();

    let kiosk = bearer(&token("kiosk"));
    let handover = request(
        &addr,
        "POST",
        "/v1/handover",
        &[("Content-Type", "application/json"), ("Authorization", &kiosk)],
        json!({"matter": MATTER, "submission": {"applicant": {"kind": "natural_person"}, "channel": "kiosk"}})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(handover.status, 201, "{}", handover.text());
    let code = handover.json()["code"].as_str().expect("code").to_string();

    let mut callers = vec![
        caller("none", vec![]),
        caller(
            "forged X-Qiquan-Actor",
            vec![("X-Qiquan-Actor", "clerk:alice@W01".into())],
        ),
    ];
    let mut nobody = caller(
        "nobody (token without roles)",
        vec![("Authorization", bearer(&token("nobody")))],
    );
    nobody.role = Some("none");
    callers.push(nobody);
    let mut this = caller(
        "applicant of this",
        vec![("X-Qiquan-Capability", cap_a.clone())],
    );
    this.applicant_of_this = true;
    let mut other = caller(
        "applicant of other",
        vec![("X-Qiquan-Capability", cap_b.clone())],
    );
    other.applicant_of_other = true;
    callers.push(this);
    callers.push(other);
    for role in ["kiosk", "clerk", "supervisor", "auditor", "admin"] {
        let mut c = caller(role, vec![("Authorization", bearer(&token(role)))]);
        c.role = Some(role);
        callers.push(c);
    }
    // An applicant signed in through the provincial platform: their own list, no application.
    let mut account = caller(
        "signed-in applicant",
        vec![("Authorization", bearer(&token("applicant")))],
    );
    account.role = Some("applicant_account");
    callers.push(account);
    for (name, t) in [
        (
            "expired token",
            dev_token_with(&addr, "lead", "&expires_in=-300"),
        ),
        (
            "wrong-audience token",
            dev_token_with(&addr, "lead", "&audience=another-app"),
        ),
        ("wrong-key token", wrong_key_token(&server)),
    ] {
        let mut c = caller(name, vec![("Authorization", bearer(&t))]);
        c.bad_token = true;
        callers.push(c);
    }

    let concrete = |path: &str| -> String {
        let path = path
            .replace("/v1/matters/{id}", &format!("/v1/matters/{MATTER}"))
            .replace("{id}", &app_a)
            .replace("{material}", "hygiene_rules")
            .replace("{entry}", "led_00000000000000000000")
            .replace("{file}", "0000.json")
            .replace("{seq}", "1")
            .replace("{code}", &code);
        if path.contains("{number}") {
            let encoded: String = number
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() {
                        char::from(b).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
            path.replace("{number}", &encoded) + &format!("?code={receipt_code}")
        } else {
            path
        }
    };

    let mut checked = 0;
    for (method, path, roles) in DECLARED {
        for c in &callers {
            let url = concrete(path);
            let mut headers: Vec<(&str, &str)> =
                c.headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
            let body: Vec<u8> = match *method {
                "put" => {
                    headers.push(("Content-Type", "application/pdf"));
                    PDF.to_vec()
                }
                "post" => {
                    headers.push(("Content-Type", "application/json"));
                    b"{}".to_vec()
                }
                _ => Vec::new(),
            };
            let r = request(&addr, &method.to_uppercase(), &url, &headers, &body);
            let what = format!(
                "{} {} as {}: {} {}",
                method,
                path,
                c.name,
                r.status,
                r.text()
            );
            assert!(r.status < 500, "{what}");
            let only_public = *roles == ["public"];
            if only_public {
                assert!(r.status != 401 && r.status != 403, "{what}");
            } else if c.bad_token {
                r.assert_error(401, "unauthenticated");
                assert!(r.header("www-authenticate").is_some(), "{what}");
            } else if allowed(c, roles) {
                assert!(r.status != 401 && r.status != 403, "{what}");
            } else if c.applicant_of_other && roles.contains(&"applicant") {
                r.assert_error(404, "application_not_found");
            } else if c.role.is_none() && !c.applicant_of_this && !c.applicant_of_other {
                r.assert_error(401, "unauthenticated");
            } else {
                r.assert_error(403, "forbidden");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, DECLARED.len() * callers.len());
    eprintln!(
        "access matrix: {} routes × {} callers = {checked} requests",
        DECLARED.len(),
        callers.len()
    );

    // The forged header on the clerk's request did not reach the audit trail.
    let auditor = bearer(&token("auditor"));
    let id = window_app["id"].as_str().expect("id");
    let events = request(
        &addr,
        "GET",
        &format!("/v1/applications/{id}/events"),
        &[("Authorization", &auditor)],
        b"",
    )
    .json();
    let actors: Vec<&str> = events["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["actor"].as_str().unwrap_or(""))
        .collect();
    assert!(!actors.is_empty());
    assert!(
        actors.iter().all(|a| *a == "clerk:dev-clerk@W01"),
        "{actors:?}"
    );
}

/// What a caller may claim follows from who it is, and what the applicant holds is theirs only.
#[test]
fn claims_follow_the_caller() {
    let server = start("claims", &["--dev", "--dev-issuer"]);
    let addr = server.addr.clone();
    let clerk = bearer(&dev_token(&addr, "clerk"));
    let kiosk = bearer(&dev_token(&addr, "kiosk"));
    // An anonymous "window" application claiming paper materials: refused, not accepted.
    let r = submit(
        &server,
        &[],
        &json!({"matter": MATTER, "submission": window_submission()}),
    );
    r.assert_error(403, "channel_not_allowed");
    // Without a channel, anyone applies online: claimed materials count for nothing.
    let r = submit(
        &server,
        &[],
        &json!({"matter": MATTER, "submission": common::accepted_submission()}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["outcome"], "correction_required", "{}", r.text());
    // A kiosk device applies as a kiosk, never as a window.
    let mut sub = window_submission();
    let r = submit(
        &server,
        &[("Authorization", &kiosk)],
        &json!({"matter": MATTER, "submission": sub}),
    );
    r.assert_error(403, "channel_not_allowed");
    sub["channel"] = json!("kiosk");
    let r = submit(
        &server,
        &[("Authorization", &kiosk)],
        &json!({"matter": MATTER, "submission": sub}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    // A clerk cannot file an "online" application.
    sub["channel"] = json!("online");
    let r = submit(
        &server,
        &[("Authorization", &clerk)],
        &json!({"matter": MATTER, "submission": sub}),
    );
    r.assert_error(403, "channel_not_allowed");

    // A decided application's files cannot be replaced.
    let mut online = common::accepted_submission();
    online["channel"] = json!("online");
    let r = submit(
        &server,
        &[],
        &json!({"matter": MATTER, "submission": online, "draft": true}),
    );
    let app = r.json();
    let id = app["id"].as_str().expect("id");
    let cap = app["capability"].as_str().expect("cap");
    let put = |material: &str| {
        request(
            &addr,
            "PUT",
            &format!("/v1/applications/{id}/materials/{material}"),
            &[
                ("Content-Type", "application/pdf"),
                ("X-Qiquan-Capability", cap),
            ],
            PDF,
        )
    };
    for m in [
        "application_form",
        "identity_proof",
        "site_plans",
        "hygiene_report",
        "hygiene_rules",
    ] {
        assert_eq!(put(m).status, 200);
    }
    let decided = request(
        &addr,
        "POST",
        &format!("/v1/applications/{id}/submit"),
        &[("X-Qiquan-Capability", cap)],
        b"",
    );
    assert_eq!(decided.json()["outcome"], "accept", "{}", decided.text());
    put("hygiene_rules").assert_error(409, "already_decided");
    // The capability is not returned again, and a replay of the request does not reveal it.
    let shown = request(
        &addr,
        "GET",
        &format!("/v1/applications/{id}"),
        &[("X-Qiquan-Capability", cap)],
        b"",
    );
    assert_eq!(shown.status, 200);
    assert!(shown.json().get("capability").is_none());
    assert!(!shown.text().contains(cap));

    // Receipts: number AND code; a wrong code and a missing number answer alike.
    let number = decided.json()["number"]
        .as_str()
        .expect("number")
        .to_string();
    let enc: String = number.bytes().map(|b| format!("%{b:02X}")).collect();
    let wrong = request(
        &addr,
        "GET",
        &format!("/v1/receipts/{enc}?code=AAAA-BBBB-CCCC"),
        &[],
        b"",
    );
    let missing = request(
        &addr,
        "GET",
        "/v1/receipts/%E5%8F%97?code=AAAA-BBBB-CCCC",
        &[],
        b"",
    );
    assert_eq!(wrong.status, 404);
    assert_eq!(
        wrong.body, missing.body,
        "no difference between a wrong code and no document"
    );
    let code = decided.json()["receipt_code"]
        .as_str()
        .expect("code")
        .to_string();
    let found = request(
        &addr,
        "GET",
        &format!("/v1/receipts/{enc}?code={code}"),
        &[],
        b"",
    );
    assert_eq!(found.status, 200, "{}", found.text());
    assert_eq!(found.json()["valid"], true);

    // Reads of personal data need a reason and leave a trace.
    let auditor = bearer(&dev_token(&addr, "auditor"));
    request(
        &addr,
        "GET",
        &format!("/v1/applications/{id}/answers"),
        &[("Authorization", &auditor)],
        b"",
    )
    .assert_error(400, "reason_required");
    let answers = request(
        &addr,
        "GET",
        &format!("/v1/applications/{id}/answers?reason=%E5%AE%A1%E8%AE%A1%E6%8A%BD%E6%9F%A5"),
        &[("Authorization", &auditor)],
        b"",
    );
    assert_eq!(answers.status, 200, "{}", answers.text());
    let events = request(
        &addr,
        "GET",
        &format!("/v1/applications/{id}/events"),
        &[("Authorization", &auditor)],
        b"",
    )
    .json();
    let read = events["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["kind"] == "personal_data_read")
        .cloned()
        .expect("a personal_data_read event");
    assert_eq!(read["actor"], "auditor:dev-auditor");
    assert_eq!(read["detail"]["what"], "answers");
    assert_eq!(read["detail"]["reason"], "审计抽查");
    // The trail across applications: the same read, and the lookups (which name no application).
    let trail = request(
        &addr,
        "GET",
        "/v1/audit/events?kind=personal_data_read",
        &[("Authorization", &auditor)],
        b"",
    );
    assert_eq!(trail.status, 200, "{}", trail.text());
    let trail = trail.json();
    assert_eq!(trail["events"][0]["actor"], "auditor:dev-auditor");
    assert_eq!(trail["events"][0]["detail"]["reason"], "审计抽查");
    request(
        &addr,
        "GET",
        "/v1/audit/events",
        &[("Authorization", &clerk)],
        b"",
    )
    .assert_error(403, "forbidden");
}

/// Hand-over codes: a clerk opens one once; wrong guesses are limited per clerk.
#[test]
fn handover_guesses_are_limited() {
    let server = start("handover", &["--dev", "--dev-issuer"]);
    let addr = server.addr.clone();
    let clerk = bearer(&dev_token(&addr, "clerk"));
    let started = std::time::Instant::now();
    let mut answered = Vec::new();
    for i in 0..25 {
        let guess = format!("/v1/handover/ZZZZ{}{}", (b'2' + (i % 8) as u8) as char, 'Z');
        answered.push(request(&addr, "GET", &guess, &[("Authorization", &clerk)], b"").status);
    }
    let elapsed = started.elapsed();
    assert!(answered[..20].iter().all(|s| *s == 404), "{answered:?}");
    assert!(answered[20..].iter().all(|s| *s == 429), "{answered:?}");
    let r = request(
        &addr,
        "GET",
        "/v1/handover/ZZZZZZ",
        &[("Authorization", &clerk)],
        b"",
    );
    r.assert_error(429, "rate_limited");
    assert!(r.header("retry-after").is_some());
    eprintln!("hand-over guesses: 20 answered, then 429, in {elapsed:?}");
}

/// Production mode (no dev issuer): `as_of` is refused; behind a proxy, only an assertion
/// signed with the configured key is believed.
#[test]
fn production_mode_and_the_proxy_assertion() {
    let dir = common::temp_dir("access", "prod-keys");
    let key_file = dir.join("proxy.key");
    let key = "a shared secret of at least thirty-two bytes";
    std::fs::write(&key_file, key).expect("key");
    let receipt_key = dir.join("receipt.key");
    let out = Command::new(env!("CARGO_BIN_EXE_qiquan"))
        .args(["keygen", "--out"])
        .arg(&receipt_key)
        .output()
        .expect("keygen");
    assert!(out.status.success());
    let server = start(
        "prod",
        &[
            "--key",
            receipt_key.to_str().expect("utf-8"),
            "--proxy-assertion-key",
            key_file.to_str().expect("utf-8"),
        ],
    );
    let addr = server.addr.clone();
    let assertion = |key: &str, roles: &[&str], ahead: i64| {
        use hmac::Mac;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_secs() as i64;
        let payload =
            B64.encode(json!({"sub": "zhang", "roles": roles, "exp": now + ahead}).to_string());
        let mut mac =
            <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(key.as_bytes()).expect("key");
        mac.update(format!("v1.{payload}").as_bytes());
        format!("v1.{payload}.{}", B64.encode(mac.finalize().into_bytes()))
    };
    let sweep = |headers: &[(&str, &str)], body: &str| {
        let mut all = vec![("Content-Type", "application/json")];
        all.extend_from_slice(headers);
        request(&addr, "POST", "/v1/ledger/sweep", &all, body.as_bytes())
    };
    sweep(
        &[("X-Qiquan-Actor", "system:ledger-sweep")],
        r#"{"as_of":"2099-01-01"}"#,
    )
    .assert_error(401, "unauthenticated");
    let good = assertion(key, &["supervisor"], 120);
    sweep(
        &[("X-Qiquan-Assertion", &good)],
        r#"{"as_of":"2099-01-01"}"#,
    )
    .assert_error(403, "as_of_not_allowed");
    let r = sweep(&[("X-Qiquan-Assertion", &good)], "{}");
    assert_eq!(r.status, 200, "{}", r.text());
    let forged = assertion(
        "another key, not the configured one!!",
        &["supervisor"],
        120,
    );
    sweep(&[("X-Qiquan-Assertion", &forged)], "{}").assert_error(401, "unauthenticated");
    let expired = assertion(key, &["supervisor"], -10);
    sweep(&[("X-Qiquan-Assertion", &expired)], "{}").assert_error(401, "unauthenticated");
    let clerk = assertion(key, &["clerk"], 120);
    sweep(&[("X-Qiquan-Assertion", &clerk)], "{}").assert_error(403, "forbidden");
    // No identity provider: a bearer token is refused, the dev issuer is absent.
    sweep(&[("Authorization", "Bearer x.y.z")], "{}").assert_error(401, "unauthenticated");
    assert_eq!(
        request(&addr, "GET", "/dev-issuer/jwks", &[], b"").status,
        404
    );
    // CORS is closed: no Access-Control-Allow-Origin for another origin.
    let r = request(
        &addr,
        "GET",
        "/v1/matters",
        &[("Origin", "https://evil.example")],
        b"",
    );
    assert!(r.header("access-control-allow-origin").is_none());
}

/// `--dev-issuer` refuses a non-loopback address.
#[test]
fn dev_issuer_is_loopback_only() {
    let out = Command::new(env!("CARGO_BIN_EXE_qiquan"))
        .args([
            "serve",
            "--dev",
            "--dev-issuer",
            "--addr",
            "0.0.0.0:0",
            "--no-register",
        ])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));
}

/// The credit pledge names the identity it binds: the clerk who verified the applicant at the
/// window and the document; online, none. Only a clerk may say an identity was verified.
#[test]
fn the_pledge_names_the_identity_it_binds() {
    let server = start("pledge-identity", &["--dev", "--dev-issuer"]);
    let addr = server.addr.clone();
    let clerk = bearer(&dev_token(&addr, "clerk"));
    let verified = json!({"document_type": "resident_id_card", "name": "张三",
                          "id_number": "11010519491231002X"});
    let r = submit(
        &server,
        &[("Authorization", &clerk)],
        &json!({"matter": MATTER, "submission": window_submission(), "identity_verified": verified}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let app = r.json();
    let identity = &app["pledge_identity"];
    assert_eq!(identity["kind"], "window_verified", "{}", r.text());
    assert_eq!(identity["document_type"], "resident_id_card");
    let by = identity["verified_by"].as_str().expect("verified_by");
    assert!(by.starts_with("clerk:"), "{by}");
    // Stored: the application as read later names it too.
    let id = app["id"].as_str().expect("id");
    let read = request(
        &addr,
        "GET",
        &format!("/v1/applications/{id}"),
        &[("Authorization", &clerk)],
        b"",
    );
    assert_eq!(read.json()["pledge_identity"], *identity, "{}", read.text());
    // The printed 信用承诺书 names that identity (the engine's pledgor, the number masked);
    // neither the stored identity nor the readable answers carry the number.
    let mut pledged = window_submission();
    pledged["materials"]["hygiene_rules"] = json!({"status": "missing"});
    pledged["pledge_signed"] = json!(true);
    let r = submit(
        &server,
        &[("Authorization", &clerk)],
        &json!({"matter": MATTER, "submission": pledged, "identity_verified": verified}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let pledge = &r.json()["verdict"]["notice"]["pledge"];
    assert_eq!(
        pledge["pledgor"]["zh"],
        "承诺人：张三（居民身份证，证件号码110105********002X；身份核验方式：窗口核验）",
        "{}",
        r.text()
    );
    assert!(
        !r.json()["pledge_identity"]
            .to_string()
            .contains("11010519491231002X")
    );
    // A clerk's application without a recorded check says so, and a pledgor in the body is
    // not believed.
    let mut forged = pledged.clone();
    forged["pledgor"] = json!({"name": "李四", "document_type": "passport",
                               "id_number": "E12345678", "verified_by": "window"});
    let r = submit(
        &server,
        &[("Authorization", &clerk)],
        &json!({"matter": MATTER, "submission": forged}),
    );
    assert_eq!(r.json()["pledge_identity"]["kind"], "window_not_recorded");
    assert_eq!(
        r.json()["verdict"]["notice"]["pledge"]["pledgor"],
        Value::Null,
        "{}",
        r.text()
    );
    // Online: unverified; claiming a verification is refused.
    let online = common::accepted_submission();
    let r = submit(
        &server,
        &[],
        &json!({"matter": MATTER, "submission": online, "identity_verified": verified}),
    );
    r.assert_error(403, "forbidden");
    let r = submit(
        &server,
        &[],
        &json!({"matter": MATTER, "submission": online}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["pledge_identity"], json!({"kind": "unverified"}));
    // A document type that is not one: the request's own parse error.
    let r = submit(
        &server,
        &[("Authorization", &clerk)],
        &json!({"matter": MATTER, "submission": window_submission(),
                "identity_verified": {"document_type": "library_card"}}),
    );
    assert_eq!(r.status, 400, "{}", r.text());
}

/// An applicant signed in through the provincial platform lists the applications made while
/// signed in — not anyone else's — and opens none of them by their id without the capability.
#[test]
fn signed_in_applicants_list_their_own() {
    let server = start("mine", &["--dev", "--dev-issuer"]);
    let addr = server.addr.clone();
    let account = bearer(&dev_token(&addr, "applicant"));
    let mut online = common::accepted_submission();
    online["channel"] = json!("online");
    let body = json!({"matter": MATTER, "submission": online, "draft": true});
    let mine = submit(&server, &[("Authorization", &account)], &body);
    assert_eq!(mine.status, 201, "{}", mine.text());
    let mine = mine.json();
    let id = mine["id"].as_str().expect("id").to_string();
    assert_eq!(
        mine["channel"], "online",
        "a signed-in applicant applies online"
    );
    let anonymous = submit(&server, &[], &body).json();
    let listed = request(
        &addr,
        "GET",
        "/v1/me/applications",
        &[("Authorization", &account)],
        b"",
    );
    assert_eq!(listed.status, 200, "{}", listed.text());
    let ids: Vec<String> = listed.json()["applications"]
        .as_array()
        .expect("applications")
        .iter()
        .map(|a| a["id"].as_str().expect("id").to_string())
        .collect();
    assert_eq!(ids, vec![id.clone()], "their own only");
    assert_ne!(anonymous["id"].as_str(), Some(id.as_str()));
    // The token alone opens no application, not even their own: the capability does.
    request(
        &addr,
        "GET",
        &format!("/v1/applications/{id}"),
        &[("Authorization", &account)],
        b"",
    )
    .assert_error(403, "forbidden");
    // Staff tokens do not list anything as theirs.
    request(
        &addr,
        "GET",
        "/v1/me/applications",
        &[("Authorization", &bearer(&dev_token(&addr, "clerk")))],
        b"",
    )
    .assert_error(403, "forbidden");
    request(&addr, "GET", "/v1/me/applications", &[], b"").assert_error(401, "unauthenticated");
}
