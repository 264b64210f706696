//! `qiquan serve --bundle-url URL --bundle-key KEY`: the server's rules come from a signed
//! bundle (docs/bundles.md) that it polls, verifies and swaps in whole.
//!
//! Each poll: `GET bundle.json` with `If-None-Match` (304: nothing to do); verify the
//! signature against the trusted keys; fetch the files not already in the cache
//! (`files/<sha256>.json`, relative to the URL), verify each one's hash, size and path; recompute
//! the digest and compile (a bundle with a lint error is refused); then write the files and
//! `bundle.json` to the cache directory and make the new engine active for every request from
//! then on (requests in flight finish on the engine they took). A refused or unreachable bundle
//! is logged and counted in /metrics and the active rules stay. At start the last good bundle
//! in the cache is loaded first, so a replica restarted while the URL is down serves it.
//!
//! Plain `http://` only: TLS is left to a proxy in front of the bundle host (or to the network).
//! Responses are bounded in size ([`signed::MAX_ENVELOPE_BYTES`], each file its manifest size)
//! and every fetch times out.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{Request, StatusCode, Uri, header};
use http_body_util::{BodyExt, Empty, Limited};
use hyper_util::rt::TokioIo;

use super::AppState;
use super::rules::Published;
use qiquan::signed::{self, Manifest, ManifestFile, TrustedKey, VerifiedFile};
use qiquan::{Engine, Error, ErrorCode, Result};

/// Time limit for one HTTP fetch (connect, request, whole body).
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);
/// Files fetched at once.
const PARALLEL_FETCHES: usize = 8;

/// `--bundle-url`, `--bundle-key`, `--bundle-cache`, `--poll-interval`.
#[derive(Debug, Clone)]
pub(crate) struct BundleConfig {
    pub(crate) url: String,
    pub(crate) keys: Vec<String>,
    pub(crate) cache: PathBuf,
    pub(crate) interval: Duration,
}

/// The result of a poll, as /healthz and /metrics name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PollResult {
    Updated,
    NotModified,
    Refused,
    Unreachable,
}

impl PollResult {
    pub(crate) const ALL: [PollResult; 4] = [
        Self::Updated,
        Self::NotModified,
        Self::Refused,
        Self::Unreachable,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Updated => "updated",
            Self::NotModified => "not_modified",
            Self::Refused => "refused",
            Self::Unreachable => "unreachable",
        }
    }
}

#[derive(Default)]
struct Status {
    /// The ETag of the bundle.json now active.
    etag: Option<String>,
    last: Option<(PollResult, Option<&'static str>, Option<String>)>,
    polls: BTreeMap<PollResult, u64>,
    /// Refusals by error code (a fixed set: the engine's codes).
    refused: BTreeMap<&'static str, u64>,
    /// The files (SHA-256) of the last bundles this process served, newest last: what the cache
    /// keeps (`KEEP_BUNDLES`).
    recent: VecDeque<BTreeSet<String>>,
}

/// Counters by label value.
pub(crate) type Counts = Vec<(&'static str, u64)>;

/// Polls one bundle URL and swaps the server's engine.
pub(crate) struct Poller {
    url: Uri,
    keys: Vec<TrustedKey>,
    /// The keys as given (hex), for `/v1/rules/keys`.
    public_keys: Vec<super::rules::PublicKey>,
    cache: PathBuf,
    pub(crate) interval: Duration,
    status: Mutex<Status>,
}

/// Why a fetch failed: the bundle host is down or answered other than 200/304.
pub(crate) struct Unreachable(pub(crate) String);

pub(crate) enum Fetched {
    NotModified,
    Body { bytes: Bytes, etag: Option<String> },
}

fn usage(zh: &str, en: &str) -> Error {
    Error::new(ErrorCode::Usage, zh, en)
}

/// A `--bundle-key`: 64 hex digits, or a file holding them (or a `qiquan keygen` key file, of
/// which only `public_key` is read); with its hex.
fn trusted_key(arg: &str) -> Result<(TrustedKey, String)> {
    if let Ok(key) = TrustedKey::from_hex(arg) {
        return Ok((key, arg.trim().to_string()));
    }
    let text = std::fs::read_to_string(arg).map_err(|e| {
        usage(
            "--bundle-key 应为 64 位十六进制公钥或含公钥的文件。",
            "--bundle-key must be a 64-hex-digit public key or a file holding one.",
        )
        .at(arg.to_string())
        .detail(e.to_string())
    })?;
    let hex = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(json) => json["public_key"].as_str().unwrap_or_default().to_string(),
        Err(_) => text.trim().to_string(),
    };
    let key = TrustedKey::from_hex(&hex).map_err(|e| e.at(arg.to_string()))?;
    Ok((key, hex.trim().to_string()))
}

impl Poller {
    pub(crate) fn new(config: &BundleConfig) -> Result<Poller> {
        let url: Uri = config.url.parse().map_err(|_| {
            usage(
                "--bundle-url 不是有效的 URL。",
                "--bundle-url is not a valid URL.",
            )
        })?;
        if url.scheme_str() != Some("http") || url.host().is_none() {
            return Err(usage(
                "--bundle-url 应为 http:// URL（TLS 请交给前置代理）。",
                "--bundle-url must be an http:// URL (leave TLS to a proxy in front).",
            ));
        }
        if config.keys.is_empty() {
            return Err(usage(
                "使用 --bundle-url 时须用 --bundle-key 指定受信任的公钥。",
                "--bundle-url needs at least one trusted --bundle-key.",
            ));
        }
        let pairs = config
            .keys
            .iter()
            .map(|k| trusted_key(k))
            .collect::<Result<Vec<_>>>()?;
        let public_keys = pairs
            .iter()
            .map(|(key, hex)| super::rules::PublicKey::of(key, hex))
            .collect();
        Ok(Poller {
            url,
            keys: pairs.into_iter().map(|(key, _)| key).collect(),
            public_keys,
            cache: config.cache.clone(),
            interval: config.interval,
            status: Mutex::new(Status::default()),
        })
    }

    fn with<R>(&self, f: impl FnOnce(&mut Status) -> R) -> R {
        f(&mut self.status.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// `bundle` in /healthz: the URL and the last poll.
    pub(crate) fn status(&self) -> PollStatus {
        self.with(|s| PollStatus {
            url: self.url.to_string(),
            last_poll: s.last.as_ref().map(|(result, code, revision)| LastPoll {
                result: result.as_str(),
                code: *code,
                revision: revision.clone(),
            }),
        })
    }

    /// Polls and refusals by result and code, for /metrics.
    pub(crate) fn counts(&self) -> (Counts, Counts) {
        self.with(|s| {
            let polls = PollResult::ALL
                .iter()
                .map(|r| (r.as_str(), s.polls.get(r).copied().unwrap_or(0)))
                .collect();
            (polls, s.refused.iter().map(|(c, n)| (*c, *n)).collect())
        })
    }

    fn record(&self, result: PollResult, code: Option<&'static str>, revision: Option<String>) {
        self.with(|s| {
            *s.polls.entry(result).or_default() += 1;
            if let Some(code) = code {
                *s.refused.entry(code).or_default() += 1;
            }
            s.last = Some((result, code, revision));
        });
    }

    /// The trusted keys, for `/v1/rules/keys`.
    pub(crate) fn public_keys(&self) -> Vec<super::rules::PublicKey> {
        self.public_keys.clone()
    }

    /// Where the cache keeps the file with this SHA-256.
    pub(crate) fn cached_path(&self, sha256: &str) -> PathBuf {
        self.cache.join("files").join(format!("{sha256}.json"))
    }

    /// The last good bundle from the cache directory, verified again, and its bytes to serve;
    /// or `None`.
    pub(crate) fn load_cache(&self) -> Option<(Engine, Published)> {
        let text = std::fs::read_to_string(self.cache.join("bundle.json")).ok()?;
        let loaded = signed::open(&text, &self.keys).and_then(|manifest| {
            let files = manifest
                .files
                .iter()
                .map(|entry| self.cached_file(entry).ok_or_else(|| missing(entry)))
                .collect::<Result<Vec<_>>>()?;
            let engine = qiquan::Engine::from_signed(&manifest, &verified(&files))?;
            Ok((engine, published(&text, &files)))
        });
        match loaded {
            Ok((engine, published)) => {
                self.with(|s| remember(&mut s.recent, published.files.keys().cloned().collect()));
                tracing::info!(
                    revision = engine.rules_revision(),
                    rules_digest = engine.rules_digest(),
                    cache = %self.cache.display(),
                    "bundle loaded from the cache"
                );
                Some((engine, published))
            }
            Err(error) => {
                tracing::warn!(code = error.code.as_str(), %error, "cached bundle not usable");
                None
            }
        }
    }

    fn cached_file(&self, entry: &ManifestFile) -> Option<FileBytes> {
        let bytes = std::fs::read(self.file_path(entry)).ok()?;
        let file = signed::verify_entry(entry, &bytes).ok()?;
        Some((file, Bytes::from(bytes)))
    }

    fn file_path(&self, entry: &ManifestFile) -> PathBuf {
        self.cached_path(&entry.sha256)
    }

    /// One poll: fetch, verify, compile, cache and swap. Never fails: the result is recorded.
    pub(crate) async fn poll(self: &Arc<Self>, state: &AppState) -> PollResult {
        let etag = self.with(|s| s.etag.clone());
        let fetched = match fetch(&self.url, etag.as_deref(), signed::MAX_ENVELOPE_BYTES).await {
            Ok(fetched) => fetched,
            Err(Unreachable(why)) => {
                tracing::warn!(url = %self.url, %why, "bundle URL unreachable; the active rules stay");
                self.record(PollResult::Unreachable, None, None);
                return PollResult::Unreachable;
            }
        };
        let (bytes, etag) = match fetched {
            Fetched::NotModified => {
                self.record(PollResult::NotModified, None, None);
                return PollResult::NotModified;
            }
            Fetched::Body { bytes, etag } => (bytes, etag),
        };
        match self.accept(state, &bytes).await {
            Ok(Some(revision)) => {
                self.with(|s| s.etag = etag);
                self.record(PollResult::Updated, None, Some(revision));
                PollResult::Updated
            }
            Ok(None) => {
                self.with(|s| s.etag = etag);
                self.record(PollResult::NotModified, None, None);
                PollResult::NotModified
            }
            Err(Refusal::Unreachable(why)) => {
                tracing::warn!(url = %self.url, %why, "bundle file unreachable; the active rules stay");
                self.record(PollResult::Unreachable, None, None);
                PollResult::Unreachable
            }
            Err(Refusal::Invalid(error)) => {
                tracing::warn!(
                    url = %self.url,
                    code = error.code.as_str(),
                    %error,
                    details = ?error.details,
                    "bundle refused; the active rules stay"
                );
                self.record(PollResult::Refused, Some(error.code.as_str()), None);
                PollResult::Refused
            }
        }
    }

    /// Verifies `bundle.json`'s bytes and everything they name; swaps the engine. `Ok(None)`:
    /// the bundle is the one already active.
    async fn accept(
        self: &Arc<Self>,
        state: &AppState,
        bytes: &[u8],
    ) -> std::result::Result<Option<String>, Refusal> {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| Refusal::Invalid(not_utf8()))?
            .to_string();
        let manifest = signed::open(&text, &self.keys)?;
        let active = state.engine();
        if active.rules_revision() == Some(manifest.revision.as_str())
            && active.rules_digest() == manifest.rules_digest
        {
            return Ok(None);
        }
        let files = self.files(&manifest).await?;
        let manifest = Arc::new(manifest);
        let compiled = {
            let manifest = manifest.clone();
            let files = verified(&files);
            tokio::task::spawn_blocking(move || qiquan::Engine::from_signed(&manifest, &files))
                .await
                .map_err(|e| Refusal::Unreachable(e.to_string()))??
        };
        self.write_cache(&text, &manifest, &files);
        let revision = manifest.revision.clone();
        tracing::info!(
            revision = %revision,
            rules_digest = %compiled.rules_digest(),
            files = files.len(),
            "bundle verified; now serving it"
        );
        state.set_rules(Arc::new(compiled), published(&text, &files));
        Ok(Some(revision))
    }

    /// Every file of the manifest: from the cache when there and intact, else fetched.
    async fn files(&self, manifest: &Manifest) -> std::result::Result<Vec<FileBytes>, Refusal> {
        let mut files = Vec::with_capacity(manifest.files.len());
        let mut wanted = Vec::new();
        for entry in &manifest.files {
            match self.cached_file(entry) {
                Some(file) => files.push(file),
                None => wanted.push(entry.clone()),
            }
        }
        for chunk in wanted.chunks(PARALLEL_FETCHES) {
            let mut set = tokio::task::JoinSet::new();
            for entry in chunk {
                let uri = self.file_uri(entry)?;
                let entry = entry.clone();
                set.spawn(async move {
                    // (A file longer than its entry is read to the file limit and refused by size.)
                    match fetch(&uri, None, signed::MAX_FILE_BYTES).await {
                        Ok(Fetched::Body { bytes, .. }) => signed::verify_entry(&entry, &bytes)
                            .map(|file| (file, bytes))
                            .map_err(Refusal::Invalid),
                        Ok(Fetched::NotModified) => {
                            Err(Refusal::Unreachable("304 for a file".into()))
                        }
                        Err(Unreachable(why)) => Err(Refusal::Unreachable(why)),
                    }
                });
            }
            while let Some(joined) = set.join_next().await {
                files.push(joined.map_err(|e| Refusal::Unreachable(e.to_string()))??);
            }
        }
        Ok(files)
    }

    /// `files/<sha256>.json` relative to the bundle URL.
    fn file_uri(&self, entry: &ManifestFile) -> std::result::Result<Uri, Refusal> {
        let path = self.url.path();
        let base = &path[..path.rfind('/').map_or(0, |i| i + 1)];
        let authority = self.url.authority().map(|a| a.as_str()).unwrap_or_default();
        format!("http://{authority}{base}files/{}.json", entry.sha256)
            .parse()
            .map_err(|_| Refusal::Unreachable("bad file URL".into()))
    }

    /// Writes the files, then `bundle.json` (through a rename): the cache holds the last good
    /// bundle whole. Failures are logged; serving goes on.
    fn write_cache(&self, envelope: &str, manifest: &Manifest, files: &[FileBytes]) {
        let written = (|| -> std::io::Result<()> {
            std::fs::create_dir_all(self.cache.join("files"))?;
            for entry in &manifest.files {
                let path = self.file_path(entry);
                if path.exists() {
                    continue;
                }
                // The exact bytes fetched (their hash is the name).
                if let Some((_, bytes)) = files.iter().find(|(f, _)| f.sha256 == entry.sha256) {
                    write_atomically(&path, bytes)?;
                }
            }
            write_atomically(&self.cache.join("bundle.json"), envelope.as_bytes())?;
            let hashes = manifest.files.iter().map(|f| f.sha256.clone()).collect();
            let keep = self.with(|s| {
                remember(&mut s.recent, hashes);
                s.recent.iter().flatten().cloned().collect::<BTreeSet<_>>()
            });
            prune(&self.cache.join("files"), &keep)
        })();
        if let Err(error) = written {
            tracing::warn!(cache = %self.cache.display(), %error, "cannot write the bundle cache");
        }
    }
}

/// How many bundles' files the cache keeps: the active one and the two before it, so a page that
/// opened an earlier manifest (immutable file URLs) can still fetch its files after a swap or two.
const KEEP_BUNDLES: usize = 3;

/// Adds a bundle's files to the recent ones, forgetting the oldest beyond `KEEP_BUNDLES`.
fn remember(recent: &mut VecDeque<BTreeSet<String>>, files: BTreeSet<String>) {
    if recent.back() == Some(&files) {
        return;
    }
    recent.push_back(files);
    while recent.len() > KEEP_BUNDLES {
        recent.pop_front();
    }
}

/// Removes from the cache's `files/` every file not named `<sha256>.json` of a kept hash
/// (an older bundle's file, or a `.tmp` left by an interrupted write): the cache stays bounded
/// by the recent bundles instead of growing with every revision.
fn prune(dir: &Path, keep: &BTreeSet<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let kept = name
            .to_str()
            .and_then(|n| n.strip_suffix(".json"))
            .is_some_and(|hash| keep.contains(hash));
        if !kept && entry.file_type()?.is_file() {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

/// A verified file and its exact bytes (what the cache keeps and the pages are served).
type FileBytes = (VerifiedFile, Bytes);

fn verified(files: &[FileBytes]) -> Vec<VerifiedFile> {
    files.iter().map(|(file, _)| file.clone()).collect()
}

fn published(envelope: &str, files: &[FileBytes]) -> Published {
    Published::new(
        envelope.to_string(),
        files
            .iter()
            .map(|(file, bytes)| (file.sha256.clone(), bytes.clone())),
    )
}

enum Refusal {
    Unreachable(String),
    Invalid(Error),
}

impl From<Error> for Refusal {
    fn from(error: Error) -> Self {
        Refusal::Invalid(error)
    }
}

fn missing(entry: &ManifestFile) -> Error {
    Error::new(
        ErrorCode::BundleFileMismatch,
        "缓存中缺少规则包文件或文件已损坏。",
        "A bundle file is missing from the cache or damaged.",
    )
    .at(entry.path.clone())
}

fn not_utf8() -> Error {
    Error::new(
        ErrorCode::BundleMalformed,
        "规则包格式不正确：不是 UTF-8。",
        "The bundle is malformed: it is not UTF-8.",
    )
}

/// `GET uri` over plain HTTP/1.1, with `If-None-Match` when given; the body at most `limit`
/// bytes; the whole exchange within [`FETCH_TIMEOUT`].
pub(crate) async fn fetch(
    uri: &Uri,
    etag: Option<&str>,
    limit: usize,
) -> std::result::Result<Fetched, Unreachable> {
    tokio::time::timeout(FETCH_TIMEOUT, fetch_inner(uri, etag, limit))
        .await
        .map_err(|_| Unreachable(format!("timed out after {FETCH_TIMEOUT:?}")))?
}

async fn fetch_inner(
    uri: &Uri,
    etag: Option<&str>,
    limit: usize,
) -> std::result::Result<Fetched, Unreachable> {
    let fail = |e: &dyn std::fmt::Display| Unreachable(e.to_string());
    let host = uri.host().unwrap_or_default();
    let port = uri.port_u16().unwrap_or(80);
    let stream = tokio::net::TcpStream::connect((host, port))
        .await
        .map_err(|e| fail(&e))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| fail(&e))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    let mut request = Request::get(uri.path_and_query().map_or("/", |p| p.as_str()))
        .header(header::HOST, uri.authority().map_or(host, |a| a.as_str()))
        .header(header::USER_AGENT, "qiquan-bundle-poller");
    if let Some(etag) = etag {
        request = request.header(header::IF_NONE_MATCH, etag);
    }
    let request = request.body(Empty::<Bytes>::new()).map_err(|e| fail(&e))?;
    let response = sender.send_request(request).await.map_err(|e| fail(&e))?;
    match response.status() {
        StatusCode::NOT_MODIFIED => Ok(Fetched::NotModified),
        StatusCode::OK => {
            let etag = response
                .headers()
                .get(header::ETAG)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let bytes = Limited::new(response.into_body(), limit)
                .collect()
                .await
                .map_err(|e| fail(&format!("body: {e}")))?
                .to_bytes();
            Ok(Fetched::Body { bytes, etag })
        }
        status => Err(Unreachable(format!("HTTP {status}"))),
    }
}

/// Polls every interval until the process ends.
pub(crate) fn spawn(poller: Arc<Poller>, state: Arc<AppState>) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(poller.interval).await;
            poller.poll(&state).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(hashes: &[&str]) -> BTreeSet<String> {
        hashes.iter().map(|h| h.to_string()).collect()
    }

    #[test]
    fn the_cache_remembers_the_last_bundles_only() {
        let mut recent = VecDeque::new();
        for n in 1..=5 {
            remember(&mut recent, set(&[&format!("r{n}")]));
            // The same bundle again (a restart, a re-poll) is not a new one.
            remember(&mut recent, set(&[&format!("r{n}")]));
        }
        let kept: Vec<_> = recent.iter().flatten().cloned().collect();
        assert_eq!(kept, ["r3", "r4", "r5"]);
        assert_eq!(recent.len(), KEEP_BUNDLES);
    }

    #[test]
    fn pruning_removes_other_files_and_leftovers_only() {
        let dir = std::env::temp_dir().join(format!("qiquan-prune-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        for name in ["aa.json", "bb.json", "cc.json", "aa.tmp", "notes.txt"] {
            std::fs::write(dir.join(name), name).unwrap();
        }
        prune(&dir, &set(&["aa", "cc"])).unwrap();
        let mut left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["aa.json", "cc.json", "sub"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

/// `bundle` in /healthz: where the rules come from and the last poll.
#[derive(Debug, serde::Serialize)]
pub(crate) struct PollStatus {
    url: String,
    last_poll: Option<LastPoll>,
}

/// The last poll's result, its refusal code and the revision it found.
#[derive(Debug, serde::Serialize)]
struct LastPoll {
    result: &'static str,
    code: Option<&'static str>,
    revision: Option<String>,
}
