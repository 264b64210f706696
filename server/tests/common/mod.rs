//! What the server tests share: a `qiquan serve` child on a loopback port, a plain HTTP/1.1
//! client (one request per connection, so nothing a client library does hides what the server
//! sends), and the check of a response against `server/src/server/openapi.json`.
//!
//! Each test binary uses part of it (`mod common;`).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

/// An empty directory of its own under the system's temporary directory.
pub(crate) fn temp_dir(prefix: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qiquan-{prefix}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Starts `serve` (a `qiquan serve … --addr 127.0.0.1:0` command), its stderr to `log`; the
/// child and the address it printed on its first line (`listening on http://…`).
pub(crate) fn spawn_serve(mut serve: Command, log: &Path) -> (Child, String) {
    let mut child = serve
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(log).expect("log file"))
        .spawn()
        .expect("spawn qiquan serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read address");
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| {
            panic!(
                "no address: {line:?}; stderr: {}",
                std::fs::read_to_string(log).unwrap_or_default()
            )
        })
        .to_string();
    (child, addr)
}

#[derive(Debug)]
pub(crate) struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.text()))
    }

    /// A structured error with this status and code, its message in both languages.
    pub(crate) fn assert_error(&self, status: u16, code: &str) -> Value {
        assert_eq!(self.status, status, "{}", self.text());
        let body = self.json();
        assert_eq!(body["error"]["code"], code, "{body}");
        assert!(body["error"]["message"]["zh"].is_string(), "{body}");
        assert!(body["error"]["message"]["en"].is_string(), "{body}");
        body
    }
}

pub(crate) fn connect(addr: &str) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    stream
}

/// A request head (`Connection: close`), with `Content-Length: length` when given.
pub(crate) fn head(
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    length: Option<usize>,
) -> String {
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(n) = length {
        text.push_str(&format!("Content-Length: {n}\r\n"));
    }
    text.push_str("\r\n");
    text
}

/// One request on a connection of its own (`Connection: close`). A `Content-Length` is sent
/// unless the headers say `Transfer-Encoding` or it is a GET without a body.
pub(crate) fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut stream = connect(addr);
    let chunked = headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("transfer-encoding"));
    let length = (!chunked && (method != "GET" || !body.is_empty())).then_some(body.len());
    stream
        .write_all(head(method, path, headers, length).as_bytes())
        .expect("write head");
    // The server may answer (413) and stop reading before the whole body is sent.
    let _ = stream.write_all(body);
    read_response(&mut stream)
}

/// Reads until the server closes the connection; the body de-chunked.
pub(crate) fn read_response(stream: &mut TcpStream) -> Response {
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) if raw.is_empty() => panic!("no response: {e}"),
            Err(_) => break,
        }
    }
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end: {}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

/// A chunked body's bytes (chunk extensions ignored).
pub(crate) fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&data[..end])
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
    out
}

/// A token for `user` from the dev issuer of the server at `addr` (`--dev-issuer`); `extra`
/// form fields (`expires_in=-120`, `audience=other`) ask for one the server must refuse.
pub(crate) fn dev_token_with(addr: &str, user: &str, extra: &str) -> String {
    let body = format!("grant_type=password&username={user}{extra}");
    let r = request(
        addr,
        "POST",
        "/dev-issuer/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200, "dev token: {}", r.text());
    r.json()["access_token"]
        .as_str()
        .expect("access_token")
        .to_string()
}

pub(crate) fn dev_token(addr: &str, user: &str) -> String {
    dev_token_with(addr, user, "")
}

pub(crate) fn openapi() -> Value {
    serde_json::from_str(include_str!("../../src/server/openapi.json"))
        .expect("openapi.json is JSON")
}

/// Validates `response` against the schema the description gives for `route` (a template),
/// `method` and the response's status.
pub(crate) fn conforms(response: &Response, route: &str, method: &str) {
    let doc = openapi();
    let operation = &doc["paths"][route][method];
    assert!(operation.is_object(), "{method} {route} is not described");
    let mut described = operation["responses"][response.status.to_string()].clone();
    assert!(
        described.is_object(),
        "{method} {route} does not describe status {}",
        response.status
    );
    if let Some(reference) = described["$ref"].as_str() {
        let name = reference.rsplit('/').next().expect("ref name");
        described = doc["components"]["responses"][name].clone();
    }
    let mut schema = described["content"]["application/json"]["schema"].clone();
    if schema.is_null() {
        return; // not JSON (metrics)
    }
    schema["components"] = doc["components"].clone();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let instance = response.json();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {route} {}: {errors:#?}",
        response.status
    );
}

/// A submission of the hygiene licence that the shipped rules accept (no problems at all),
/// without `received_at` (the server's clock or the test's decides it).
pub(crate) fn accepted_submission() -> Value {
    json!({
        "applicant": {"kind": "natural_person"},
        "fields": {
            "unit_name": "好运宾馆",
            "responsible_person_id": "11010519491231002X",
            "phone": "13800138000",
            "venue_type": "hotel",
            "floor_area": 300,
            "central_ac": false
        },
        "materials": {
            "application_form": {"status": "provided"},
            "identity_proof": {"status": "provided"},
            "site_plans": {"status": "provided"},
            "hygiene_report": {"status": "provided"},
            "hygiene_rules": {"status": "provided"}
        }
    })
}

/// The revision the server gives its own bundle of the built-in rules: `local-` and the first 12
/// hex digits of the rules digest (docs/bundles.md).
pub(crate) fn local_revision(rules_digest: &str) -> String {
    let hex = rules_digest.strip_prefix("sha256:").unwrap_or(rules_digest);
    format!("local-{}", &hex[..hex.len().min(12)])
}

/// Now in China time, `YYYY-MM-DDTHH:MM:SS+08:00`, read from this machine's clock (the test's
/// own reading, to compare with the server's).
pub(crate) fn now_china() -> String {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970");
    let utc = chrono::DateTime::from_timestamp(since.as_secs() as i64, 0).expect("timestamp");
    let china = chrono::FixedOffset::east_opt(8 * 3600).expect("offset");
    utc.with_timezone(&china)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}
