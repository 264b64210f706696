//! Two `qiquan serve` replicas poll one signed bundle (docs/bundles.md) from a static file
//! server (in this test, loopback only) while checks run against both: a new bundle is taken
//! up by both within a poll interval with no failed request; a tampered bundle (bad
//! signature; a file whose hash does not match) is refused by both and the old rules stay; a
//! replica restarted while the URL is down serves the last good bundle from its cache.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;
use sha2::{Digest, Sha256};

const MATTER: &str = "public_place_hygiene_license";
/// The replicas' poll interval, in seconds.
const INTERVAL: u64 = 1;
/// How long after a publication both replicas must have acted on it.
const SWITCH_WITHIN: Duration = Duration::from_secs(INTERVAL + 4);

fn temp_dir(name: &str) -> PathBuf {
    common::temp_dir("bundles", name)
}

fn qiquan(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_qiquan"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .unwrap();
    assert!(out.status.success(), "qiquan {args:?}: {out:?}");
}

/// The files a static server serves, by URL path; replaced whole on publication.
type Site = Arc<RwLock<HashMap<String, Vec<u8>>>>;

/// A static file server with strong ETags (SHA-256 of the bytes) and If-None-Match → 304.
struct StaticServer {
    addr: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StaticServer {
    fn start(site: Site) -> StaticServer {
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx
                    .send(listener.local_addr().unwrap().to_string())
                    .unwrap();
                let app = axum::Router::new().fallback(move |request: axum::extract::Request| {
                    let site = site.clone();
                    async move { serve_file(&site, &request) }
                });
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
                    .unwrap();
            });
        });
        StaticServer {
            addr: addr_rx.recv().unwrap(),
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.shut_down();
    }
}

fn serve_file(site: &Site, request: &axum::extract::Request) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    let files = site.read().unwrap();
    let Some(bytes) = files.get(request.uri().path()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}\"", sha256_hex(bytes));
    let matches = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes());
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        StatusCode::OK,
        [
            (header::ETAG, etag),
            (header::CONTENT_TYPE, "application/json".into()),
        ],
        bytes.clone(),
    )
        .into_response()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Publishes a bundle directory under `/b/`: every file at once.
fn publish(site: &Site, dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = HashMap::new();
    files.insert(
        "/b/bundle.json".to_string(),
        std::fs::read(dir.join("bundle.json")).unwrap(),
    );
    for entry in std::fs::read_dir(dir.join("files")).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        files.insert(
            format!("/b/files/{name}"),
            std::fs::read(entry.path()).unwrap(),
        );
    }
    let listed = files.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    *site.write().unwrap() = files;
    listed
}

struct Replica {
    child: Child,
    addr: String,
    log: PathBuf,
}

impl Replica {
    fn start(dir: &Path, name: &str, url: &str, key: &str) -> Replica {
        let log = dir.join(format!("{name}.log"));
        let cache = dir.join(format!("{name}-cache"));
        let mut serve = Command::new(env!("CARGO_BIN_EXE_qiquan"));
        serve
            .args(["serve", "--addr", "127.0.0.1:0", "--dev", "--no-register"])
            .args(["--www", "/nonexistent/www", "--pkg", "/nonexistent/pkg"])
            .args(["--bundle-url", url, "--bundle-key", key])
            .arg("--bundle-cache")
            .arg(&cache)
            .args(["--poll-interval", &INTERVAL.to_string()]);
        let (child, addr) = common::spawn_serve(serve, &log);
        Replica { child, addr, log }
    }

    fn health(&self) -> Value {
        let (status, body) = http(&self.addr, "GET", "/healthz", b"");
        assert_eq!(status, 200);
        serde_json::from_slice(&body).unwrap()
    }

    fn revision(&self) -> Value {
        self.health()["rules_revision"].clone()
    }

    fn metrics(&self) -> String {
        String::from_utf8(http(&self.addr, "GET", "/metrics", b"").1).unwrap()
    }

    fn check(&self) -> (u16, Value) {
        let body = json!({ "submission": common::accepted_submission() }).to_string();
        let (status, bytes) = http(
            &self.addr,
            "POST",
            &format!("/v1/matters/{MATTER}/check"),
            body.as_bytes(),
        );
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 exchange (`Connection: close`): status and body.
/// One request with a JSON body (or none): status and body.
fn http(addr: &str, method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let r = common::request(
        addr,
        method,
        path,
        &[("Content-Type", "application/json")],
        body,
    );
    (r.status, r.body)
}

/// Waits until `done` holds, for at most `within`; the time it took.
fn wait_for(within: Duration, mut done: impl FnMut() -> bool) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < within {
        if done() {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

/// A copy of the shipped rules with the centre's phone number set to `phone`.
fn rules_with_phone(dir: &Path, name: &str, phone: &str) -> PathBuf {
    let rules = dir.join(name);
    std::fs::create_dir_all(&rules).unwrap();
    let status = Command::new("cp")
        .args(["-r", "rules/matters", "rules/calendar"])
        .arg(&rules)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .status()
        .unwrap();
    assert!(status.success());
    let centre = std::fs::read_to_string(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("rules/centre.toml"),
    )
    .unwrap();
    assert!(centre.contains("0871-65550123"));
    std::fs::write(
        rules.join("centre.toml"),
        centre.replace("0871-65550123", phone),
    )
    .unwrap();
    rules
}

fn bundle(dir: &Path, key: &Path, revision: &str, phone: &str) -> PathBuf {
    let rules = rules_with_phone(dir, &format!("rules-{revision}"), phone);
    let out = dir.join(format!("bundle-{revision}"));
    qiquan(&[
        "bundle",
        "--sign",
        key.to_str().unwrap(),
        "--revision",
        revision,
        "--out",
        out.to_str().unwrap(),
        rules.to_str().unwrap(),
    ]);
    out
}

/// `/v1/rules/` serves exactly the published bundle (`site`: path → bytes) and the key.
fn assert_served(replica: &Replica, site: &HashMap<String, Vec<u8>>, public: &str) {
    let (status, keys) = http(&replica.addr, "GET", "/v1/rules/keys", b"");
    assert_eq!(status, 200);
    let keys: Value = serde_json::from_slice(&keys).unwrap();
    assert_eq!(keys["keys"][0]["public_key"], public);
    for (path, bytes) in site {
        let served = match path.strip_prefix("/b/") {
            Some("bundle.json") => "/v1/rules/bundle.json".to_string(),
            Some(file) => format!("/v1/rules/{file}"),
            None => continue,
        };
        let (status, body) = http(&replica.addr, "GET", &served, b"");
        assert_eq!(status, 200, "{served}");
        assert!(body == *bytes, "{served}: not the published bytes");
    }
}

fn refused(replica: &Replica, code: &str) -> u64 {
    let needle = format!("qiquan_bundle_refused_total{{code=\"{code}\"}} ");
    replica
        .metrics()
        .lines()
        .find_map(|l| l.strip_prefix(&needle).map(|n| n.parse().unwrap()))
        .unwrap_or(0)
}

#[test]
fn replicas_follow_signed_bundles_refuse_tampered_ones_and_survive_an_outage() {
    let dir = temp_dir("replicas");
    let key = dir.join("bundle.key");
    qiquan(&["keygen", "--out", key.to_str().unwrap()]);
    let key_file: Value = serde_json::from_slice(&std::fs::read(&key).unwrap()).unwrap();
    let public = key_file["public_key"].as_str().unwrap().to_string();

    let site: Site = Arc::default();
    publish(&site, &bundle(&dir, &key, "r1", "0871-65550123"));
    let mut web = StaticServer::start(site.clone());
    let url = format!("http://{}/b/bundle.json", web.addr);
    let a = Replica::start(&dir, "a", &url, &public);
    let b = Replica::start(&dir, "b", &url, &public);
    // The first poll happens before a replica listens.
    assert_eq!(a.revision(), "r1", "{}", a.logs());
    assert_eq!(b.revision(), "r1", "{}", b.logs());
    let (status, verdict) = a.check();
    assert_eq!(status, 200, "{verdict}");
    assert_eq!(verdict["verdict"]["rules_revision"], "r1");
    let r1_digest = verdict["verdict"]["rules_digest"].clone();
    // The pages get the verified bundle's exact bytes from the replica, and its keys.
    let r1_site = site.read().unwrap().clone();
    assert_served(&a, &r1_site, &public);

    // Load on both replicas; a new bundle is published in the middle of it.
    let r2 = bundle(&dir, &key, "r2", "0871-65550199");
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = Arc::new(Mutex::new(HashMap::<String, usize>::new()));
    let workers: Vec<_> = (0..4)
        .map(|i| {
            let replica = if i % 2 == 0 {
                a.addr.clone()
            } else {
                b.addr.clone()
            };
            let (stop, sent, failures, seen) =
                (stop.clone(), sent.clone(), failures.clone(), seen.clone());
            std::thread::spawn(move || {
                let body = json!({ "submission": common::accepted_submission() }).to_string();
                let mut on_r2 = false;
                // Bounded in count and time.
                let until = Instant::now() + Duration::from_secs(60);
                while !stop.load(Ordering::Relaxed) && Instant::now() < until {
                    if sent.fetch_add(1, Ordering::Relaxed) >= 4000 {
                        break;
                    }
                    let (status, bytes) = http(
                        &replica,
                        "POST",
                        &format!("/v1/matters/{MATTER}/check"),
                        body.as_bytes(),
                    );
                    let verdict: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                    let revision = &verdict["verdict"]["rules_revision"];
                    if status != 200 || !revision.is_string() {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{status}: {}", String::from_utf8_lossy(&bytes)));
                    } else if on_r2 && revision == "r1" {
                        failures
                            .lock()
                            .unwrap()
                            .push("r1 after r2 on one replica".into());
                    } else {
                        on_r2 |= revision == "r2";
                        *seen
                            .lock()
                            .unwrap()
                            .entry(revision.as_str().unwrap().to_string())
                            .or_default() += 1;
                    }
                }
            })
        })
        .collect();
    assert!(
        wait_for(Duration::from_secs(30), || sent.load(Ordering::Relaxed)
            >= 200)
        .is_some()
    );
    publish(&site, &r2);
    let took = wait_for(SWITCH_WITHIN, || {
        a.revision() == "r2" && b.revision() == "r2"
    });
    assert!(
        took.is_some(),
        "both replicas on r2 within {SWITCH_WITHIN:?}: a {} b {}\n{}\n{}",
        a.revision(),
        b.revision(),
        a.logs(),
        b.logs()
    );
    eprintln!(
        "both replicas switched to r2 {:?} after publication",
        took.unwrap()
    );
    // Load goes on past the switch.
    let at_switch = sent.load(Ordering::Relaxed);
    wait_for(Duration::from_secs(40), || {
        sent.load(Ordering::Relaxed) >= (at_switch + 300).max(2000)
    });
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.join().unwrap();
    }
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} failed: {:?}",
        failures.len(),
        &failures[..1]
    );
    let seen = seen.lock().unwrap().clone();
    eprintln!(
        "{} checks under load: {seen:?}",
        sent.load(Ordering::Relaxed)
    );
    assert!(seen.get("r1").is_some_and(|n| *n > 0), "{seen:?}");
    assert!(seen.get("r2").is_some_and(|n| *n > 0), "{seen:?}");
    assert_eq!(seen.len(), 2, "{seen:?}");
    for replica in [&a, &b] {
        let (status, verdict) = replica.check();
        assert_eq!(status, 200);
        assert_eq!(verdict["verdict"]["rules_revision"], "r2");
        assert_ne!(verdict["verdict"]["rules_digest"], r1_digest);
        let health = replica.health();
        assert_eq!(health["rules_digest"], verdict["verdict"]["rules_digest"]);
        assert!(replica.metrics().contains("rules_revision=\"r2\""));
    }
    // After the swap the pages get r2's bytes; r1's files stay fetchable from the cache.
    let r2_site = site.read().unwrap().clone();
    assert_served(&b, &r2_site, &public);
    for (path, bytes) in &r1_site {
        if let Some(name) = path.strip_prefix("/b/files/") {
            let (status, body) = http(&b.addr, "GET", &format!("/v1/rules/files/{name}"), b"");
            assert_eq!((status, &body), (200, bytes), "{path}");
        }
    }
    // The cache holds exactly the recent bundles' files (r1's and r2's), nothing else.
    let published: BTreeSet<String> = r1_site
        .iter()
        .chain(r2_site.iter())
        .filter_map(|(path, _)| path.strip_prefix("/b/files/").map(str::to_string))
        .collect();
    let cached: BTreeSet<String> = std::fs::read_dir(dir.join("b-cache").join("files"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(cached, published);

    // A bundle whose signature does not match its manifest: refused, r2 stays.
    let r3 = bundle(&dir, &key, "r3", "0871-65550177");
    let forged = publish(&site, &r3);
    let envelope = site.read().unwrap()["/b/bundle.json"].clone();
    let mut envelope: Value = serde_json::from_slice(&envelope).unwrap();
    let signature = envelope["signatures"][0]["signature"].as_str().unwrap();
    let flipped = if signature.starts_with('0') { "1" } else { "0" };
    envelope["signatures"][0]["signature"] = json!(format!("{flipped}{}", &signature[1..]));
    site.write()
        .unwrap()
        .insert("/b/bundle.json".into(), envelope.to_string().into_bytes());
    for replica in [&a, &b] {
        assert!(
            wait_for(SWITCH_WITHIN, || refused(
                replica,
                "bundle_signature_invalid"
            ) > 0)
            .is_some(),
            "{}",
            replica.logs()
        );
        assert_eq!(replica.revision(), "r2");
        assert_eq!(replica.health()["bundle"]["last_poll"]["result"], "refused");
    }

    // A correctly signed bundle with a file whose bytes are not the ones it names: refused.
    let (path, bytes) = forged
        .iter()
        .find(|(path, bytes)| {
            path.starts_with("/b/files/")
                && String::from_utf8_lossy(bytes).contains("0871-65550177")
        })
        .unwrap();
    let altered = String::from_utf8(bytes.clone())
        .unwrap()
        .replace("0871-65550177", "0871-65550100");
    let path = path.clone();
    let mut files = forged.iter().cloned().collect::<HashMap<_, _>>();
    files.insert(path, altered.into_bytes());
    *site.write().unwrap() = files;
    for replica in [&a, &b] {
        assert!(
            wait_for(SWITCH_WITHIN, || refused(replica, "bundle_file_mismatch")
                > 0)
            .is_some(),
            "{}",
            replica.logs()
        );
        assert_eq!(replica.revision(), "r2");
        let (_, verdict) = replica.check();
        assert_eq!(verdict["verdict"]["rules_revision"], "r2");
    }

    // The bundle host goes down; a replica restarted now serves the last good bundle (r2)
    // from its cache.
    web.shut_down();
    drop(a);
    let a = Replica::start(&dir, "a", &url, &public);
    assert_eq!(a.revision(), "r2", "{}", a.logs());
    assert_eq!(a.health()["bundle"]["last_poll"]["result"], "unreachable");
    let (status, verdict) = a.check();
    assert_eq!(status, 200);
    assert_eq!(verdict["verdict"]["rules_revision"], "r2");
}
