//! The signed bundle the pages load (docs/bundles.md, "Served by qiquan serve"):
//! `GET /v1/rules/keys` (the trusted public keys), `GET /v1/rules/bundle.json` (the envelope;
//! `ETag`, `no-cache`) and `GET /v1/rules/files/{sha256}.json` (immutable). The browser verifies
//! them in wasm and checks with exactly the rules, and the revision, the server checks with.
//!
//! With `--bundle-url` these are the exact bytes the poller verified (after a swap, the new
//! bundle's); without it, the server signs a bundle of its own rules at start
//! ([`self_signed`]) and its engine is that bundle's, so both name the same revision.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};
use tower_http::compression::CompressionLayer;

use super::AppState;
use super::error::{ApiError, ServerErrorCode};
use super::headers::{IMMUTABLE, REVALIDATE};
use qiquan::signed::{self, TrustedKey};
use qiquan::{Engine, Result, SourceFile};

/// A verified signed bundle as served: the envelope's bytes, its ETag, and each file's exact
/// bytes by SHA-256.
#[derive(Debug)]
pub(crate) struct Published {
    pub(crate) envelope: Bytes,
    pub(crate) etag: String,
    pub(crate) files: BTreeMap<String, Bytes>,
}

impl Published {
    /// `envelope` and the files as `(sha256, bytes)`.
    pub(crate) fn new(
        envelope: impl Into<Bytes>,
        files: impl IntoIterator<Item = (String, Bytes)>,
    ) -> Self {
        let envelope = envelope.into();
        let hash = signed::hex(&Sha256::digest(&envelope));
        Published {
            etag: format!("\"{}\"", &hash[..32]),
            envelope,
            files: files.into_iter().collect(),
        }
    }
}

/// A public key the pages are told to trust, as `/v1/rules/keys` lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct PublicKey {
    pub(crate) key_id: String,
    pub(crate) public_key: String,
}

impl PublicKey {
    pub(crate) fn of(key: &TrustedKey, hex: &str) -> PublicKey {
        PublicKey {
            key_id: key.key_id().to_string(),
            public_key: hex.to_string(),
        }
    }
}

/// The revision of a bundle the server signs of its own rules: `local-` and the first 12 hex
/// digits of the rules' digest.
pub(crate) fn local_revision(rules_digest: &str) -> String {
    let hex = rules_digest.strip_prefix("sha256:").unwrap_or(rules_digest);
    format!("local-{}", &hex[..hex.len().min(12)])
}

/// Signs `sources` with `key` as `local-<digest>` and returns the engine over that bundle (the
/// same path a browser takes: verified, then compiled) and what to serve.
pub(crate) fn self_signed(
    sources: &[SourceFile],
    key: &ed25519_dalek::SigningKey,
) -> Result<(Engine, Published, PublicKey)> {
    let revision = local_revision(&qiquan::bundle::digest(sources));
    let written = signed::build(sources, &revision, key)?;
    let public = signed::hex(&key.verifying_key().to_bytes());
    let trusted = TrustedKey::from_hex(&public)?;
    let manifest = signed::open(&written.envelope, std::slice::from_ref(&trusted))?;
    let bytes: Vec<&[u8]> = written.files.iter().map(|(_, b)| b.as_bytes()).collect();
    let files = signed::verify_files(&manifest, &bytes)?;
    let engine = qiquan::Engine::from_signed(&manifest, &files)?;
    let published = Published::new(
        written.envelope.clone(),
        written
            .files
            .iter()
            .map(|(sha, text)| (sha.clone(), Bytes::from(text.clone()))),
    );
    Ok((engine, published, PublicKey::of(&trusted, &public)))
}

/// The rule sources the server checks with when it polls no bundle: `--rules DIR` or the
/// built-in ones.
pub(crate) fn local_sources(dir: Option<&Path>) -> Result<Vec<SourceFile>> {
    match dir {
        Some(dir) => qiquan::read_rules_dir(dir),
        None => Ok(qiquan::embedded_sources()),
    }
}

/// The three routes, gzip for clients that ask.
pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1/rules/keys", get(keys))
        .route("/v1/rules/bundle.json", get(bundle))
        .route("/v1/rules/files/{file}", get(file))
        .layer(CompressionLayer::new())
}

/// Route templates for the metrics.
pub(crate) const ROUTES: [&str; 3] = [
    "/v1/rules/keys",
    "/v1/rules/bundle.json",
    "/v1/rules/files/{file}",
];

fn with_headers(body: Bytes, cache: &'static str, etag: Option<&str>) -> Response {
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Some(value) = etag.and_then(|e| HeaderValue::from_str(e).ok()) {
        headers.insert(header::ETAG, value);
    }
    response
}

fn unavailable() -> ApiError {
    ApiError::new(
        ServerErrorCode::RulesBundleUnavailable,
        "服务器尚未取得已验证的规则包，请稍后重试。",
        "The server has no verified rules bundle yet; please retry later.",
    )
}

async fn keys(State(state): State<Arc<AppState>>) -> Response {
    /// `GET /v1/rules/keys`' answer.
    #[derive(serde::Serialize)]
    struct Keys<'a> {
        keys: &'a [PublicKey],
    }
    let body = serde_json::to_vec(&Keys {
        keys: &state.rule_keys,
    })
    .unwrap_or_default();
    with_headers(Bytes::from(body), REVALIDATE, None)
}

async fn bundle(State(state): State<Arc<AppState>>, request: HeaderMap) -> Response {
    let Some(published) = state.published() else {
        return unavailable().into_response();
    };
    let matched = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim() == published.etag || t.trim() == "*")
        });
    if matched {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        let headers = response.headers_mut();
        if let Ok(value) = HeaderValue::from_str(&published.etag) {
            headers.insert(header::ETAG, value);
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
        return response;
    }
    with_headers(
        published.envelope.clone(),
        REVALIDATE,
        Some(&published.etag),
    )
}

async fn file(State(state): State<Arc<AppState>>, UrlPath(name): UrlPath<String>) -> Response {
    let not_found = || {
        ApiError::new(
            ServerErrorCode::NotFound,
            "没有这个规则包文件。",
            "There is no such bundle file.",
        )
        .into_response()
    };
    let Some(sha256) = name.strip_suffix(".json") else {
        return not_found();
    };
    if sha256.len() != 64
        || !sha256
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    {
        return not_found();
    }
    let current = state.published().and_then(|p| p.files.get(sha256).cloned());
    // A page may still hold the manifest before the last swap: the poller's cache keeps the
    // earlier bundles' files (immutable, named by their hash, verified when they were fetched).
    let earlier = || {
        let poller = state.bundle.as_ref()?;
        let bytes = std::fs::read(poller.cached_path(sha256)).ok()?;
        (signed::hex(&Sha256::digest(&bytes)) == sha256).then(|| Bytes::from(bytes))
    };
    match current.or_else(earlier) {
        Some(bytes) => with_headers(bytes, IMMUTABLE, None),
        None => not_found(),
    }
}
