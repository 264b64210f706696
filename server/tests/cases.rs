//! The case after acceptance through the real binary, on SQLite and on PostgreSQL: a clerk
//! walks an accepted application through review, a special procedure (the clock stops), an
//! extension, a refusal, service and 办结; each step is checked by the engine, issues its
//! numbered document and leaves an audit event with its actor; the supervisor's list shows the
//! lamp change as `as_of` moves, and the figures, CSV and 电子监察 export count the case. Every
//! due equals `qiquan deadline` for the same start and days.

use std::process::{Child, Command};

use serde_json::{Value, json};

mod common;
use common::{Response, conforms, request};

struct Server {
    child: Child,
    addr: String,
    clerk: String,
    supervisor: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(name: &str, db: &str) -> Server {
    let dir = common::temp_dir("cases", name);
    let db = if db.is_empty() {
        dir.join("qiquan.db").display().to_string()
    } else {
        db.to_string()
    };
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
        .args(["--db", &db])
        .arg("--data-dir")
        .arg(dir.join("data"))
        .args(["--dev", "--dev-issuer"]);
    let (child, addr) = common::spawn_serve(serve, &dir.join("stderr.log"));
    let clerk = common::dev_token(&addr, "clerk");
    let supervisor = common::dev_token(&addr, "supervisor");
    Server {
        child,
        addr,
        clerk,
        supervisor,
    }
}

impl Server {
    fn get(&self, token: &str, path: &str) -> Response {
        let bearer = format!("Bearer {token}");
        request(&self.addr, "GET", path, &[("Authorization", &bearer)], b"")
    }

    fn step(&self, id: &str, body: Value) -> Response {
        let bearer = format!("Bearer {}", self.clerk);
        request(
            &self.addr,
            "POST",
            &format!("/v1/applications/{id}/case"),
            &[
                ("Authorization", &bearer),
                ("Content-Type", "application/json"),
                ("X-Qiquan-Actor", "clerk-li"),
            ],
            body.to_string().as_bytes(),
        )
    }
}

/// `qiquan deadline --from FROM --days DAYS` (working days).
fn deadline(from: &str, days: u32) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_qiquan"))
        .args(["deadline", "--from", from, "--days", &days.to_string()])
        .output()
        .expect("qiquan deadline");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The date, then (past the calendar's years) a line saying it is provisional.
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    text.lines().next().unwrap_or("").trim().to_string()
}

fn lamp_of(server: &Server, id: &str, as_of: &str) -> String {
    let r = server.get(
        &server.supervisor,
        &format!("/v1/supervision/cases?as_of={as_of}"),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let list = r.json();
    let line = list
        .as_array()
        .expect("array")
        .iter()
        .find(|l| l["id"] == id)
        .unwrap_or_else(|| panic!("case {id} not listed: {list}"));
    line["lamp"].as_str().expect("lamp").to_string()
}

fn walk(server: &Server) {
    let bearer = format!("Bearer {}", server.clerk);
    let mut submission = common::accepted_submission();
    submission["channel"] = json!("window");
    let r = request(
        &server.addr,
        "POST",
        "/v1/applications",
        &[
            ("Authorization", &bearer),
            ("Content-Type", "application/json"),
        ],
        json!({"matter": "public_place_hygiene_license", "submission": submission})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let app = r.json();
    let id = app["id"].as_str().expect("id").to_string();
    let acceptance_number = app["number"].as_str().expect("number").to_string();

    // The case starts at the acceptance day; 承诺 10, 法定 20 (+10) working days.
    let r = server.get(&server.clerk, &format!("/v1/applications/{id}/case"));
    assert_eq!(r.status, 200, "{}", r.text());
    conforms(&r, "/v1/applications/{id}/case", "get");
    let a = r.json()["clock"]["accepted_on"]
        .as_str()
        .expect("accepted_on")
        .to_string();
    let day = |n| deadline(&a, n);

    // Not decided before review: the engine refuses, with its reason.
    let r = server.step(&id, json!({"on": a, "event": "decided", "granted": true}));
    let error = r.assert_error(409, "invalid_case_event");
    assert_eq!(error["error"]["details"], json!(["wrong_stage"]));
    // The register's own events are not the clerk's to post.
    r_assert(server.step(&id, json!({"on": a, "event": "accepted"})), 400);

    let r = server.step(
        &id,
        json!({"on": a, "event": "review_started", "assignee": "李审"}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let view = r.json();
    assert_eq!(view["clock"]["stage"], "reviewing");
    assert_eq!(view["clock"]["promised_due"], day(10));
    assert_eq!(view["clock"]["statutory_due"], day(20));
    assert_eq!(view["clock"]["lamp"], "green");
    // What the steps page offers next comes from the engine's transition table, with its words.
    let offered: Vec<&str> = view["choices"]["steps"]
        .as_array()
        .expect("choices")
        .iter()
        .map(|c| c["value"].as_str().expect("value"))
        .collect();
    assert_eq!(
        offered,
        [
            "review_started",
            "hearing_offered",
            "special_started",
            "extended",
            "decided"
        ]
    );
    assert_eq!(
        view["choices"]["service_methods"][1]["label"]["zh"],
        "邮寄送达"
    );

    // 特别程序 from the second working day to the fifth: 2 days counted before it.
    let r = server.step(
        &id,
        json!({"on": day(2), "event": "special_started", "procedure": "testing",
               "reason": "需委托检测机构对样品进行检测", "planned_days": 3, "approver": "王局长"}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let special = r.json()["steps"][1].clone();
    assert_eq!(special["document_kind"], "special_procedure");
    let special_number = special["document_number"]
        .as_str()
        .expect("number")
        .to_string();
    assert!(
        special_number.starts_with("明审服特〔") && special_number.ends_with("〕1号"),
        "{special_number}"
    );
    assert_eq!(lamp_of(server, &id, &day(3)), "paused");

    let r = server.step(&id, json!({"on": day(5), "event": "special_ended"}));
    assert_eq!(r.status, 201, "{}", r.text());
    let resumed = day(5);
    let after = |n| deadline(&resumed, n);
    assert_eq!(r.json()["clock"]["promised_due"], after(8));
    assert_eq!(r.json()["clock"]["statutory_due"], after(18));

    let r = server.step(
        &id,
        json!({"on": after(1), "event": "extended", "approver": "王局长", "reason": "需组织现场核查"}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let clock = r.json()["clock"].clone();
    assert_eq!(clock["extended_due"], after(28));
    assert_eq!(
        (clock["due"].clone(), clock["due_basis"].clone()),
        (json!(after(28)), json!("extended"))
    );
    // Once only.
    let r = server.step(
        &id,
        json!({"on": after(2), "event": "extended", "approver": "王局长", "reason": "再次延期"}),
    );
    assert_eq!(
        r.assert_error(409, "invalid_case_event")["error"]["details"],
        json!(["already_extended"])
    );

    // The lamp as the supervisor's day moves: green, yellow one working day before, red after.
    assert_eq!(lamp_of(server, &id, &after(2)), "green");
    assert_eq!(lamp_of(server, &id, &after(27)), "yellow");
    assert_eq!(lamp_of(server, &id, &after(28)), "yellow");
    assert_eq!(lamp_of(server, &id, &after(29)), "red");

    // 不予行政许可 with reasons; the decision's document names the bodies.
    let r = server.step(
        &id,
        json!({"on": after(10), "event": "decided", "granted": false,
               "reasons": ["经营场所卫生条件不符合规定"]}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let steps = r.json()["steps"].clone();
    let decision_seq = steps[4]["seq"].as_i64().expect("seq");
    let decision_number = steps[4]["document_number"]
        .as_str()
        .expect("number")
        .to_string();
    assert!(
        decision_number.starts_with("明审服不许〔"),
        "{decision_number}"
    );
    assert_eq!(r.json()["clock"]["limits"][0]["step"], "service");
    assert_eq!(
        r.json()["clock"]["limits"][0]["due"],
        deadline(&after(10), 10)
    );
    let r = server.get(
        &server.clerk,
        &format!("/v1/applications/{id}/case/documents/{decision_seq}"),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let doc = r.json();
    let text = doc["text"]["zh"].as_str().expect("text");
    assert!(text.contains("不予行政许可决定书"), "{text}");
    assert!(text.contains(&format!("文号：{decision_number}")), "{text}");
    assert!(text.contains("1. 经营场所卫生条件不符合规定"), "{text}");
    assert!(
        text.contains("六十日内向明川县人民政府申请行政复议"),
        "{text}"
    );
    assert!(text.contains(&acceptance_number), "{text}");

    let r = server.step(
        &id,
        json!({"on": after(11), "event": "served", "method": "post"}),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let receipt_seq = r.json()["steps"][5]["seq"].as_i64().expect("seq");
    let r = server.get(
        &server.clerk,
        &format!("/v1/applications/{id}/case/documents/{receipt_seq}"),
    );
    let text = r.json()["text"]["zh"].as_str().expect("text").to_string();
    assert!(
        text.contains(&format!(
            "送达文书：不予行政许可决定书（{decision_number}）"
        )),
        "{text}"
    );
    assert!(text.contains("送达方式：邮寄送达"), "{text}");
    let r = server.step(&id, json!({"on": after(11), "event": "closed"}));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["clock"]["stage"], "closed");
    assert_eq!(
        r.json()["choices"]["steps"],
        json!([]),
        "nothing to offer after 办结"
    );
    assert_eq!(r.json()["clock"]["on_time"], true);
    // Nothing after 办结.
    r_assert(
        server.step(&id, json!({"on": after(12), "event": "closed"})),
        409,
    );

    // The figures, the CSV and the 电子监察 export.
    let r = server.get(
        &server.supervisor,
        &format!("/v1/supervision/figures?as_of={}", after(12)),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let all = r.json()["all"].clone();
    assert_eq!(
        (
            all["received"].clone(),
            all["accepted"].clone(),
            all["closed"].clone()
        ),
        (json!(1), json!(1), json!(1))
    );
    assert_eq!(
        (all["on_time"].clone(), all["on_time_rate"].clone()),
        (json!(1), json!(1.0))
    );
    assert_eq!(all["average_working_days"], json!(12.0));
    let r = server.get(&server.supervisor, "/v1/supervision/figures?by=window");
    assert_eq!(r.json()["groups"][0]["group"], "W01", "{}", r.text());
    let r = server.get(&server.supervisor, "/v1/supervision/figures.csv?by=month");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("按期办结率 on-time rate"), "{}", r.text());
    let r = server.get(
        &server.supervisor,
        &format!("/v1/supervision/events.jsonl?as_of={}", after(12)),
    );
    assert_eq!(r.status, 200);
    let kinds: Vec<String> = r
        .text()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).expect("a JSON line")["kind"]
                .as_str()
                .expect("kind")
                .to_string()
        })
        .collect();
    for want in [
        "application",
        "acceptance",
        "review",
        "pause_start",
        "pause_end",
        "extension",
        "decision",
        "service",
        "closed",
    ] {
        assert!(
            kinds.iter().any(|k| k == want),
            "{want} missing from {kinds:?}"
        );
    }
    // Each step an audit event with its actor; a clerk may not read the supervisor's list.
    let r = server.get(&server.clerk, &format!("/v1/applications/{id}/events"));
    let events = r.json()["events"].clone();
    let special = events
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["kind"] == "case_special_started")
        .expect("special procedure audited");
    // The actor is who signed in (a forged X-Qiquan-Actor header is not believed).
    let actor = special["actor"].as_str().expect("actor");
    assert!(actor.starts_with("clerk:"), "{actor}");
    server
        .get(&server.clerk, "/v1/supervision/cases")
        .assert_error(403, "forbidden");
}

fn r_assert(r: Response, status: u16) {
    assert_eq!(r.status, status, "{}", r.text());
}

#[test]
fn a_case_walks_to_service_on_sqlite() {
    let server = start("sqlite", "");
    walk(&server);
}

#[test]
fn a_case_walks_to_service_on_postgres() {
    let Ok(url) = std::env::var("QIQUAN_TEST_PG_URL") else {
        let required =
            std::env::var_os("CI").is_some() || std::env::var_os("QIQUAN_REQUIRE_PG").is_some();
        assert!(
            !required,
            "QIQUAN_TEST_PG_URL is not set but PostgreSQL is required"
        );
        eprintln!("*** cases: PostgreSQL NOT TESTED (QIQUAN_TEST_PG_URL unset) ***");
        return;
    };
    let db = format!("qq_cases_{}", std::process::id());
    for sql in [
        format!("DROP DATABASE IF EXISTS {db}"),
        format!("CREATE DATABASE {db}"),
    ] {
        let out = Command::new("psql")
            .args([url.as_str(), "-q", "-c", sql.as_str()])
            .output()
            .expect("psql");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let base = url.rsplit_once('/').expect("database in URL").0;
    let server = start("postgres", &format!("{base}/{db}"));
    walk(&server);
}
