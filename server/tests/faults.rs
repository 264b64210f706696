//! The register under an operator's bad day: full disks, a database file deleted or replaced,
//! PostgreSQL stopped and restarted, `kill -9` during writes — each while concurrent clients
//! (loopback, bounded in count and time) submit applications, upload files and open ledger
//! entries. Then the invariant (docs/server.md, "What is guaranteed"): every acknowledged
//! application, number, file and ledger entry is there after a restart, no number is issued
//! twice, and the server recovers without a restart where the fault clears.
//!
//! Mounting a small tmpfs needs root (CI runs as root); PostgreSQL needs Debian's server
//! binaries (scripts/with-postgres.sh installs them). A fault that cannot be produced is skipped
//! with its reason on stderr — and fails the test when QIQUAN_REQUIRE_FAULTS=1 (scripts/test.sh
//! sets it).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;
use common::Response;

const MATTER: &str = "public_place_hygiene_license";
/// Concurrent clients per scenario.
const CLIENTS: usize = 6;
/// A minimal PDF that parses (header, object, xref, trailer), its object naming `tag`.
fn pdf(tag: &str) -> Vec<u8> {
    let head = "%PDF-1.4\n";
    let object = format!("1 0 obj << /Type /Catalog /Tag ({tag}) >> endobj\n");
    let xref = head.len() + object.len();
    format!(
        "{head}{object}xref\n0 2\n0000000000 65535 f \n{:010} 00000 n \ntrailer << /Size 2 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        head.len()
    )
    .into_bytes()
}

// ---------------------------------------------------------------------------------------------
// Skips

/// Says why a fault was not produced; fails when QIQUAN_REQUIRE_FAULTS=1.
fn skip(test: &str, why: &str) {
    let required = std::env::var("QIQUAN_REQUIRE_FAULTS").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "fault test {test} could not run ({why}) but QIQUAN_REQUIRE_FAULTS=1"
    );
    let _ = std::io::stderr()
        .write_all(format!("\n*** fault test {test}: SKIPPED — {why} ***\n").as_bytes());
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

// ---------------------------------------------------------------------------------------------
// A small disk

/// A tmpfs of `mib` MiB mounted at `dir`, unmounted on drop.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(dir: &Path, mib: u32) -> Result<Tmpfs, String> {
        if !is_root() {
            return Err("mounting a tmpfs needs root".into());
        }
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={mib}m,mode=0777"),
                "tmpfs",
            ])
            .arg(dir)
            .output()
            .map_err(|e| format!("mount: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "mount -t tmpfs failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(Tmpfs {
            dir: dir.to_path_buf(),
        })
    }

    /// Fills the disk (a file of zeros until ENOSPC).
    fn fill(&self) {
        let mut file = std::fs::File::create(self.dir.join("filler")).expect("filler");
        let chunk = vec![0u8; 64 * 1024];
        while file.write_all(&chunk).is_ok() {}
        let _ = file.sync_all();
    }

    fn free(&self) {
        std::fs::remove_file(self.dir.join("filler")).expect("remove filler");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL of the test's own (stopped and started by the test)

struct Postgres {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    root: bool,
}

impl Postgres {
    /// initdb in `data` and start on a free loopback port.
    fn start(data: &Path) -> Result<Postgres, String> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .map_err(|_| "PostgreSQL is not installed (scripts/with-postgres.sh installs it)")?
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|b| b.join("initdb").exists())
            .max()
            .ok_or("no PostgreSQL initdb under /usr/lib/postgresql")?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let pg = Postgres {
            bin,
            data: data.to_path_buf(),
            port,
            root: is_root(),
        };
        std::fs::create_dir_all(data).map_err(|e| e.to_string())?;
        if pg.root {
            Command::new("chown")
                .args(["-R", "postgres:"])
                .arg(data)
                .status()
                .map_err(|e| e.to_string())?;
        }
        pg.run(
            "initdb",
            &[
                "-D",
                &data.display().to_string(),
                "-U",
                "qiquan",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "-N",
            ],
        )?;
        pg.ctl_start()?;
        Ok(pg)
    }

    fn run(&self, tool: &str, args: &[&str]) -> Result<(), String> {
        let mut cmd = if self.root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(self.bin.join(tool));
            c
        } else {
            Command::new(self.bin.join(tool))
        };
        let out = cmd.args(args).output().map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{tool}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }

    fn ctl_start(&self) -> Result<(), String> {
        let data = self.data.display().to_string();
        let opts = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {data} -c shared_buffers=16MB -c max_connections=60",
            self.port
        );
        self.run(
            "pg_ctl",
            &[
                "-D",
                &data,
                "-l",
                &format!("{data}/server.log"),
                "-w",
                "-t",
                "60",
                "start",
                "-o",
                &opts,
            ],
        )
    }

    fn stop(&self, mode: &str) {
        let _ = self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data.display().to_string(),
                "-m",
                mode,
                "-w",
                "stop",
            ],
        );
    }

    fn url(&self) -> String {
        format!("postgres://qiquan@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.stop("immediate");
    }
}

// ---------------------------------------------------------------------------------------------
// The server and its clients

#[derive(Clone)]
enum Store {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Store {
    fn arg(&self) -> String {
        match self {
            Store::Sqlite(p) => p.display().to_string(),
            Store::Postgres(u) => u.clone(),
        }
    }
}

struct Server {
    child: Child,
    /// The address and a staff bearer token (the dev issuer's keys change with each start).
    addr: Arc<RwLock<(String, String)>>,
    dir: PathBuf,
    store: Store,
    data_dir: PathBuf,
    starts: usize,
}

fn qiquan(args: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_qiquan"))
        .args(args)
        .status()
        .expect("run qiquan");
    assert!(status.success(), "qiquan {args:?}");
}

impl Server {
    fn start(dir: &Path, store: Store, data_dir: PathBuf) -> Server {
        let key = dir.join("receipt.key");
        if !key.exists() {
            qiquan(&["keygen", "--out", key.to_str().expect("utf-8")]);
            let data_key = dir.join("data.key");
            qiquan(&[
                "keygen",
                "--data",
                "--out",
                data_key.to_str().expect("utf-8"),
            ]);
        }
        let (child, addr) = Self::spawn(dir, &store, &data_dir, 0);
        let bearer = staff_bearer(&addr);
        Server {
            child,
            addr: Arc::new(RwLock::new((addr, bearer))),
            dir: dir.to_path_buf(),
            store,
            data_dir,
            starts: 1,
        }
    }

    fn spawn(dir: &Path, store: &Store, data_dir: &Path, n: usize) -> (Child, String) {
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
            .arg(dir.join("receipt.key"))
            .arg("--data-key")
            .arg(dir.join("data.key"))
            .arg("--rules")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules"))
            .args(["--db", &store.arg()])
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--dev-issuer");
        common::spawn_serve(serve, &dir.join(format!("stderr-{n}.log")))
    }

    /// kill -9, then start again on the same store.
    fn kill_and_restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let (child, addr) = Self::spawn(&self.dir, &self.store, &self.data_dir, self.starts);
        self.starts += 1;
        self.child = child;
        let bearer = staff_bearer(&addr);
        *self.addr.write().expect("addr") = (addr, bearer);
    }

    fn addr(&self) -> String {
        self.addr.read().expect("addr").0.clone()
    }

    fn bearer(&self) -> String {
        self.addr.read().expect("addr").1.clone()
    }

    fn get(&self, path: &str) -> Response {
        let bearer = self.bearer();
        try_call(
            &self.addr(),
            "GET",
            path,
            &[("Authorization", &bearer)],
            b"",
        )
        .expect("GET answered")
    }

    fn health(&self) -> u16 {
        self.get("/healthz").status
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `Bearer <token>` of a staff member (clerk and supervisor) from the dev issuer.
fn staff_bearer(addr: &str) -> String {
    format!("Bearer {}", common::dev_token(addr, "lead"))
}

/// One request; None when the server did not answer (killed, not listening).
fn try_call(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Option<Response> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    let length = (method != "GET").then_some(body.len());
    stream
        .write_all(common::head(method, path, headers, length).as_bytes())
        .ok()?;
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        body = common::dechunk(&body);
    }
    Some(Response {
        status,
        headers,
        body,
    })
}

/// A window application: complete (受理, numbered) or with the hygiene rules pledged (容缺受理,
/// numbered, a ledger entry), or a draft (for uploads).
fn application(kind: usize) -> Value {
    let material = |form: &str| json!({ "status": "provided", "form": form, "medium": "paper" });
    let mut body = json!({
        "matter": MATTER,
        "submission": {
            "applicant": { "kind": "enterprise_legal_person" },
            "channel": "window",
            "fields": {
                "unit_name": "济南示例宾馆有限公司",
                "uscc": "91370102MA3C0A019G",
                "responsible_person_id": "370102198506153214",
                "phone": "13912345678",
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
    });
    match kind % 3 {
        1 => {
            body["submission"]["materials"]
                .as_object_mut()
                .expect("materials")
                .remove("hygiene_rules");
            body["submission"]["pledge_signed"] = json!(true);
        }
        2 => body["draft"] = json!(true),
        _ => {}
    }
    body
}

/// What a client was told was kept.
#[derive(Debug, Clone, Default)]
struct Acked {
    /// id → (number or null, ledger entries)
    applications: BTreeMap<String, (Value, usize)>,
    /// (id, material) → sha256
    files: BTreeMap<(String, String), String>,
    /// Every answer's status (and error code), counted.
    answers: BTreeMap<String, usize>,
}

/// `CLIENTS` threads writing until `stop`.
struct Load {
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<Acked>>,
    threads: Vec<std::thread::JoinHandle<()>>,
    sent: Arc<AtomicUsize>,
}

impl Load {
    fn start(server: &Server, tag: &str) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let acked = Arc::new(Mutex::new(Acked::default()));
        let sent = Arc::new(AtomicUsize::new(0));
        let threads = (0..CLIENTS)
            .map(|t| {
                let (stop, acked, sent) = (stop.clone(), acked.clone(), sent.clone());
                let addr = server.addr.clone();
                let tag = format!("{tag}-{t}");
                std::thread::spawn(move || client(&addr, &tag, t, &stop, &acked, &sent))
            })
            .collect();
        Load {
            stop,
            acked,
            threads,
            sent,
        }
    }

    fn wait_for(&self, requests: usize) {
        let start = Instant::now();
        let target = self.sent.load(Ordering::Relaxed) + requests;
        while self.sent.load(Ordering::Relaxed) < target
            && start.elapsed() < Duration::from_secs(20)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn finish(self) -> Acked {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads {
            t.join().expect("client thread");
        }
        self.acked.lock().expect("acked").clone()
    }
}

fn client(
    addr: &RwLock<(String, String)>,
    tag: &str,
    t: usize,
    stop: &AtomicBool,
    acked: &Mutex<Acked>,
    sent: &AtomicUsize,
) {
    let mut n = t;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let (addr, bearer) = addr.read().expect("addr").clone();
        let key = format!("{tag}-{n}");
        let body = application(n).to_string();
        let answer = try_call(
            &addr,
            "POST",
            "/v1/applications",
            &[
                ("Content-Type", "application/json"),
                ("Idempotency-Key", &key),
                ("Authorization", &bearer),
            ],
            body.as_bytes(),
        );
        sent.fetch_add(1, Ordering::Relaxed);
        let Some(r) = answer else {
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        note(acked, &r);
        if r.status != 201 {
            continue;
        }
        let view: Value = serde_json::from_slice(&r.body).expect("created JSON");
        let id = view["id"].as_str().expect("id").to_string();
        let entries = view["ledger"].as_array().map_or(0, Vec::len);
        acked
            .lock()
            .expect("acked")
            .applications
            .insert(id.clone(), (view["number"].clone(), entries));
        if n % 3 == 2 {
            // A draft: upload a file (different bytes per upload).
            let pdf = pdf(&key);
            let Some(r) = try_call(
                &addr,
                "PUT",
                &format!("/v1/applications/{id}/materials/application_form"),
                &[
                    ("Content-Type", "application/pdf"),
                    ("Authorization", &bearer),
                ],
                &pdf,
            ) else {
                continue;
            };
            note(acked, &r);
            if r.status == 200 {
                let view: Value = serde_json::from_slice(&r.body).unwrap_or_default();
                // (An acknowledgement without the file in it is kept as a loss to report.)
                let sha = view["materials"][0]["sha256"]
                    .as_str()
                    .unwrap_or("missing from the acknowledgement")
                    .to_string();
                acked
                    .lock()
                    .expect("acked")
                    .files
                    .insert((id, "application_form".into()), sha);
            }
        }
    }
}

fn note(acked: &Mutex<Acked>, r: &Response) {
    let code = serde_json::from_slice::<Value>(&r.body)
        .ok()
        .and_then(|v| v["error"]["code"].as_str().map(str::to_string));
    let label = match code {
        Some(code) => format!("{} {code}", r.status),
        None => r.status.to_string(),
    };
    *acked
        .lock()
        .expect("acked")
        .answers
        .entry(label)
        .or_default() += 1;
}

/// The invariant, after a restart: every acknowledged application with its number and ledger
/// entries, every acknowledged file; no number twice.
fn verify(server: &Server, acked: &Acked, test: &str) {
    if let Err(problem) = check(server, acked, test) {
        panic!("{test}: {problem}; answers {:?}", acked.answers);
    }
}

fn check(server: &Server, acked: &Acked, test: &str) -> Result<(), String> {
    if acked.applications.is_empty() {
        return Err("nothing was acknowledged".into());
    }
    let mut lost = Vec::new();
    for (id, (number, entries)) in &acked.applications {
        let r = server.get(&format!("/v1/applications/{id}"));
        if r.status != 200 {
            lost.push(format!("{id}: {}", r.status));
            continue;
        }
        let view = r.json();
        if view["number"] != *number {
            lost.push(format!("{id}: number {} != {number}", view["number"]));
        }
        if view["ledger"].as_array().map_or(0, Vec::len) != *entries {
            lost.push(format!("{id}: ledger entries differ"));
        }
    }
    for ((id, material), sha) in &acked.files {
        let view = server.get(&format!("/v1/applications/{id}")).json();
        let kept = view["materials"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|m| m["material"] == material.as_str() && m["sha256"] == sha.as_str());
        let file = server
            .data_dir
            .join("files")
            .join(sha.get(..2).unwrap_or_default())
            .join(sha);
        let whole = std::fs::read(&file)
            // Sealed at rest: the header and at least the PDF's bytes and a tag.
            .is_ok_and(|bytes| bytes.starts_with(b"qqseal1\n") && bytes.len() > 8 + 19 + 150 + 16);
        if !kept || !whole {
            lost.push(format!("{id}/{material}: file {sha} lost"));
        }
    }
    let numbers: Vec<&str> = acked
        .applications
        .values()
        .filter_map(|(n, _)| n.as_str())
        .collect();
    let distinct: BTreeSet<&str> = numbers.iter().copied().collect();
    if !lost.is_empty() || distinct.len() != numbers.len() {
        return Err(format!(
            "{} of {} acknowledged applications and {} files lost or changed ({:?}…); {} numbers issued twice",
            lost.len(),
            acked.applications.len(),
            acked.files.len(),
            lost.iter().take(5).collect::<Vec<_>>(),
            numbers.len() - distinct.len(),
        ));
    }
    eprintln!(
        "{test}: {} applications, {} files acknowledged and present; answers {:?}",
        acked.applications.len(),
        acked.files.len(),
        acked.answers
    );
    Ok(())
}

fn wait_health(server: &Server, want: u16, within: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < within {
        if server.health() == want {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn temp_dir(name: &str) -> PathBuf {
    common::temp_dir("faults", name)
}

// ---------------------------------------------------------------------------------------------
// Scenarios, each for SQLite and PostgreSQL where it applies

/// The disk under the database fills while clients write, then space returns.
fn full_disk_under_database(test: &str, server: &mut Server, disk: &Tmpfs) {
    let load = Load::start(server, test);
    load.wait_for(30);
    disk.fill();
    load.wait_for(60);
    // A failed commit is seen: the register says it is unhealthy, and counts it.
    let unhealthy = wait_health(server, 503, Duration::from_secs(10));
    let metrics = server.get("/metrics").text();
    let counted = metrics
        .lines()
        .find_map(|l| l.strip_prefix("qiquan_register_failed_commits_total "))
        .and_then(|n| n.trim().parse::<u64>().ok())
        .is_some_and(|n| n > 0);
    disk.free();
    load.wait_for(60);
    // Space back: writes succeed again without a restart, and health returns.
    let recovered = wait_health(server, 200, Duration::from_secs(15));
    let acked = load.finish();
    server.kill_and_restart();
    // Every finding at once (what was lost tells more than the first symptom).
    let mut problems = Vec::new();
    if let Err(lost) = check(server, &acked, test) {
        problems.push(lost);
    }
    if !unhealthy {
        problems.push("/healthz never answered 503 with the disk full".to_string());
    }
    if !acked.answers.keys().any(|k| k.starts_with("503")) {
        problems.push("no write was refused with the disk full".to_string());
    }
    if !recovered {
        problems.push("not healthy again after space returned".to_string());
    }
    if !counted {
        problems.push("qiquan_register_failed_commits_total did not count the failures".into());
    }
    assert!(
        problems.is_empty(),
        "{test}: {problems:#?}; answers {:?}",
        acked.answers
    );
}

#[test]
fn sqlite_full_disk_under_database() {
    let test = "sqlite_full_disk_under_database";
    let dir = temp_dir(test);
    let disk = match Tmpfs::mount(&dir.join("db"), 16) {
        Ok(d) => d,
        Err(why) => return skip(test, &why),
    };
    let mut server = Server::start(
        &dir,
        Store::Sqlite(dir.join("db/register.db")),
        dir.join("data"),
    );
    full_disk_under_database(test, &mut server, &disk);
    drop(server);
    drop(disk);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn postgres_full_disk_under_database() {
    let test = "postgres_full_disk_under_database";
    let dir = temp_dir(test);
    let disk = match Tmpfs::mount(&dir.join("pg"), 96) {
        Ok(d) => d,
        Err(why) => return skip(test, &why),
    };
    let pg = match Postgres::start(&dir.join("pg/data")) {
        Ok(pg) => pg,
        Err(why) => return skip(test, &why),
    };
    let mut server = Server::start(&dir, Store::Postgres(pg.url()), dir.join("data"));
    let load = Load::start(&server, test);
    load.wait_for(30);
    disk.fill();
    load.wait_for(40);
    let unhealthy_or_refused = wait_health(&server, 503, Duration::from_secs(10));
    disk.free();
    // PostgreSQL may have stopped itself (a PANIC on a full WAL disk): the operator's restart.
    if Postgres::is_down(&pg) {
        pg.ctl_start()
            .expect("PostgreSQL restarts once space returns");
    }
    load.wait_for(40);
    let recovered = wait_health(&server, 200, Duration::from_secs(20));
    let acked = load.finish();
    assert!(
        unhealthy_or_refused || acked.answers.keys().any(|k| k.starts_with("503")),
        "{test}: the full disk was never noticed; answers {:?}",
        acked.answers
    );
    assert!(
        recovered,
        "{test}: not healthy again; answers {:?}",
        acked.answers
    );
    server.kill_and_restart();
    verify(&server, &acked, test);
    drop(server);
    drop(pg);
    drop(disk);
    let _ = std::fs::remove_dir_all(&dir);
}

impl Postgres {
    fn is_down(&self) -> bool {
        self.run(
            "pg_ctl",
            &["-D", &self.data.display().to_string(), "status"],
        )
        .is_err()
    }
}

/// The data directory's disk fills while clients upload, then space returns.
fn full_disk_under_data(test: &str, store: impl FnOnce(&Path) -> Result<Store, String>) {
    let dir = temp_dir(test);
    let disk = match Tmpfs::mount(&dir.join("data"), 4) {
        Ok(d) => d,
        Err(why) => return skip(test, &why),
    };
    let store = match store(&dir) {
        Ok(s) => s,
        Err(why) => return skip(test, &why),
    };
    let mut server = Server::start(&dir, store, dir.join("data"));
    let load = Load::start(&server, test);
    load.wait_for(30);
    disk.fill();
    load.wait_for(60);
    disk.free();
    load.wait_for(60);
    let acked = load.finish();
    assert!(
        acked.answers.keys().any(|k| k.starts_with("503")),
        "{test}: no upload was refused with the disk full; answers {:?}",
        acked.answers
    );
    assert!(
        !acked.files.is_empty(),
        "{test}: no upload acknowledged; answers {:?}",
        acked.answers
    );
    assert_eq!(
        server.health(),
        200,
        "{test}: a full data disk is not a failed commit"
    );
    server.kill_and_restart();
    verify(&server, &acked, test);
    drop(server);
    drop(disk);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sqlite_full_disk_under_data_dir() {
    full_disk_under_data("sqlite_full_disk_under_data_dir", |dir| {
        Ok(Store::Sqlite(dir.join("register.db")))
    });
}

#[test]
fn postgres_full_disk_under_data_dir() {
    let holder: Arc<Mutex<Option<Postgres>>> = Arc::new(Mutex::new(None));
    let h = holder.clone();
    full_disk_under_data("postgres_full_disk_under_data_dir", move |dir| {
        let pg = Postgres::start(&dir.join("pg"))?;
        let url = pg.url();
        *h.lock().expect("pg") = Some(pg);
        Ok(Store::Postgres(url))
    });
    drop(holder);
}

/// The SQLite file deleted (or replaced by another) under the running server: no write is
/// acknowledged after, the server says it is unhealthy, and no number is issued again.
fn sqlite_file_lost(test: &str, replace: bool) {
    let dir = temp_dir(test);
    let db = dir.join("register.db");
    let server = Server::start(&dir, Store::Sqlite(db.clone()), dir.join("data"));
    let load = Load::start(&server, test);
    load.wait_for(30);
    if replace {
        // A copy put in its place (as a restore from backup over a live file would).
        let copy = dir.join("copy.db");
        std::fs::copy(&db, &copy).expect("copy");
        std::fs::rename(&copy, &db).expect("replace");
    } else {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    }
    let lost_at = load.acked.lock().expect("acked").applications.len();
    load.wait_for(60);
    let unhealthy = wait_health(&server, 503, Duration::from_secs(5));
    let acked = load.finish();
    let new_acks = acked.applications.len() - lost_at;
    assert!(
        new_acks <= CLIENTS,
        "{test}: {new_acks} applications acknowledged after the database file was {}; answers {:?}",
        if replace { "replaced" } else { "deleted" },
        acked.answers
    );
    assert!(
        acked.answers.contains_key("503 database_replaced"),
        "{test}: writes not refused with database_replaced; answers {:?}",
        acked.answers
    );
    assert!(unhealthy, "{test}: /healthz did not answer 503");
    drop(server);
    if !replace {
        // Started again on the empty database a missing file becomes, the server refuses: its
        // 文号 counters would start again at 1.
        let out = Command::new(env!("CARGO_BIN_EXE_qiquan"))
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
            .arg(dir.join("receipt.key"))
            .arg("--data-key")
            .arg(dir.join("data.key"))
            .arg("--rules")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules"))
            .arg("--db")
            .arg(&db)
            .arg("--data-dir")
            .arg(dir.join("data"))
            .output()
            .expect("run qiquan serve");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && stderr.contains("register.id"),
            "{test}: restarted on an empty database: {stderr}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sqlite_database_file_deleted() {
    sqlite_file_lost("sqlite_database_file_deleted", false);
}

#[test]
fn sqlite_database_file_replaced() {
    sqlite_file_lost("sqlite_database_file_replaced", true);
}

/// kill -9 three times during writes.
fn kill_during_writes(test: &str, store: Store, dir: &Path) {
    let mut server = Server::start(dir, store, dir.join("data"));
    let load = Load::start(&server, test);
    for _ in 0..3 {
        load.wait_for(40);
        server.kill_and_restart();
    }
    load.wait_for(40);
    let acked = load.finish();
    server.kill_and_restart();
    verify(&server, &acked, test);
}

#[test]
fn sqlite_kill_9_during_writes() {
    let test = "sqlite_kill_9_during_writes";
    let dir = temp_dir(test);
    kill_during_writes(test, Store::Sqlite(dir.join("register.db")), &dir);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn postgres_kill_9_during_writes() {
    let test = "postgres_kill_9_during_writes";
    let dir = temp_dir(test);
    let pg = match Postgres::start(&dir.join("pg")) {
        Ok(pg) => pg,
        Err(why) => return skip(test, &why),
    };
    kill_during_writes(test, Store::Postgres(pg.url()), &dir);
    drop(pg);
    let _ = std::fs::remove_dir_all(&dir);
}

/// PostgreSQL stopped under load: writes answer 503 promptly (not a timeout), and once it is
/// back the server serves again without a restart.
#[test]
fn postgres_stopped_and_restarted() {
    let test = "postgres_stopped_and_restarted";
    let dir = temp_dir(test);
    let pg = match Postgres::start(&dir.join("pg")) {
        Ok(pg) => pg,
        Err(why) => return skip(test, &why),
    };
    let mut server = Server::start(&dir, Store::Postgres(pg.url()), dir.join("data"));
    let load = Load::start(&server, test);
    load.wait_for(30);
    pg.stop("fast");
    // One write timed by itself: a prompt 503.
    let start = Instant::now();
    let r = try_call(
        &server.addr(),
        "POST",
        "/v1/applications",
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &server.bearer()),
        ],
        application(0).to_string().as_bytes(),
    )
    .expect("answered");
    let took = start.elapsed();
    load.wait_for(20);
    pg.ctl_start().expect("PostgreSQL starts again");
    // Served again without a restart of the server.
    let recovered = wait_health(&server, 200, Duration::from_secs(15));
    load.wait_for(40);
    let acked = load.finish();
    assert!(
        recovered,
        "{test}: not healthy again; answers {:?}",
        acked.answers
    );
    assert_eq!(r.status, 503, "{test}: {}", r.text());
    assert!(
        took < Duration::from_secs(6),
        "{test}: the outage took {took:?} to answer"
    );
    assert!(
        acked.answers.keys().any(|k| k.starts_with("503")),
        "{test}: answers {:?}",
        acked.answers
    );
    // A write now succeeds.
    let r = try_call(
        &server.addr(),
        "POST",
        "/v1/applications",
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &server.bearer()),
        ],
        application(0).to_string().as_bytes(),
    )
    .expect("answered");
    assert_eq!(
        r.status,
        201,
        "{test}: after PostgreSQL returned: {}",
        r.text()
    );
    assert_eq!(server.health(), 200);
    server.kill_and_restart();
    verify(&server, &acked, test);
    drop(server);
    drop(pg);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Uploads cannot hold the server: a declared oversize body is refused from its header, a
/// stalled one is cut off, and a file that only starts like a PDF is refused.
#[test]
fn uploads_cannot_stall_the_server() {
    let test = "uploads_cannot_stall_the_server";
    let dir = temp_dir(test);
    let server = Server::start(
        &dir,
        Store::Sqlite(dir.join("register.db")),
        dir.join("data"),
    );
    let mut draft = application(2);
    draft["draft"] = json!(true);
    let r = try_call(
        &server.addr(),
        "POST",
        "/v1/applications",
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &server.bearer()),
        ],
        draft.to_string().as_bytes(),
    )
    .expect("answered");
    assert_eq!(r.status, 201, "{}", r.text());
    let id = r.json()["id"].as_str().expect("id").to_string();
    let path = format!("/v1/applications/{id}/materials/application_form");
    let bearer = server.bearer();
    let open = |length: u64, first: &[u8]| {
        let mut stream = TcpStream::connect(server.addr()).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(40)))
            .expect("timeout");
        let head = format!(
            "PUT {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/pdf\r\nAuthorization: {bearer}\r\nContent-Length: {length}\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).expect("head");
        stream.write_all(first).expect("first bytes");
        stream
    };
    let answer = |mut stream: TcpStream| {
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        String::from_utf8_lossy(&raw).into_owned()
    };
    // 11 MiB declared against the default 10 MiB limit: refused before any byte is sent.
    let start = Instant::now();
    let raw = answer(open(11 * 1024 * 1024, b""));
    assert!(raw.starts_with("HTTP/1.1 413"), "{raw}");
    assert!(raw.contains("file_too_large"), "{raw}");
    // In the engine's words, the size declared and the limit (issue 27).
    assert!(
        raw.contains("文件过大（11.0 MB），每份材料不超过 10 MB。"),
        "{raw}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    // Ten bytes, then silence: cut off at the stall limit (15 s), not the upload timeout.
    let start = Instant::now();
    let raw = answer(open(1000, b"%PDF-1.4\n%"));
    let took = start.elapsed();
    assert!(raw.starts_with("HTTP/1.1 408"), "{raw}");
    assert!(raw.contains("upload_too_slow"), "{raw}");
    assert!(took < Duration::from_secs(25), "{took:?}");
    // Magic bytes only: not a PDF.
    let r = try_call(
        &server.addr(),
        "PUT",
        &path,
        &[
            ("Content-Type", "application/pdf"),
            ("Authorization", &server.bearer()),
        ],
        b"%PDF-1.4\n% not really\n",
    )
    .expect("answered");
    assert_eq!(r.status, 415, "{}", r.text());
    // A whole PDF is taken.
    let r = try_call(
        &server.addr(),
        "PUT",
        &path,
        &[
            ("Content-Type", "application/pdf"),
            ("Authorization", &server.bearer()),
        ],
        &pdf("whole"),
    )
    .expect("answered");
    assert_eq!(r.status, 200, "{}", r.text());
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
