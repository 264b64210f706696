//! Security and cache headers.
//!
//! Every response: a Content-Security-Policy that allows exactly what the pages use (their own
//! scripts, styles, the wasm module — `'wasm-unsafe-eval'` — fetches to this origin and the
//! kiosk's service worker; no inline script or style, no other origin, never in a frame),
//! `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` and `Referrer-Policy`.
//!
//! Static files: vite's content-hashed assets (`/assets/NAME-HASH.EXT`) are cached for a year
//! as immutable; everything else (the HTML pages, `sw.js`, `pkg/`) is `no-cache`, revalidated
//! with its `ETag` (and `Last-Modified`) and answered 304 when unchanged. API responses are
//! `no-store`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The pages' policy. `default-src 'self'` covers scripts, styles, fonts, images and workers
/// from this origin; `data:` images for the empty favicon (`<link rel="icon" href="data:,">`);
/// `blob:` images and frames for the clerk's preview of a received file (fetched with the
/// bearer token, shown from memory: www/src/case.ts).
pub(crate) const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
     script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; \
     frame-src 'self' blob:; font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Longest request target (path and query) answered; past it 414.
pub(crate) const MAX_URI_BYTES: usize = 8 * 1024;

/// Cache policy of content-hashed assets.
pub(crate) const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Cache policy of everything else served from disk: keep, but ask every time.
pub(crate) const REVALIDATE: &str = "no-cache";

/// Adds the security headers to every response, and `no-store` to API answers that set no
/// cache policy of their own.
pub(crate) async fn security(request: Request, next: Next) -> Response {
    let too_long = request
        .uri()
        .path_and_query()
        .is_some_and(|p| p.as_str().len() > MAX_URI_BYTES);
    let mut response = if too_long {
        super::error::ApiError::http_layer(414).into_response()
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name: &'static str, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, "content-security-policy", CONTENT_SECURITY_POLICY);
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "x-frame-options", "DENY");
    set(headers, "referrer-policy", "no-referrer");
    if !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, "cache-control", "no-store");
    }
    response
}

/// A vite build asset with a content hash: `/assets/NAME-HASH.EXT`, HASH 8 characters of
/// `[A-Za-z0-9_-]`.
pub(crate) fn is_hashed_asset(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/assets/") else {
        return false;
    };
    let stem = name.split('.').next().unwrap_or("").as_bytes();
    // Vite's default: `-` and 8 characters of base64url.
    stem.len() > 9
        && stem[stem.len() - 9] == b'-'
        && stem[stem.len() - 8..]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
}

/// Cache headers for a static directory: immutable for hashed assets, else `no-cache` with a
/// weak `ETag` from the file's size and modification time (the same for the gzip and the plain
/// form), and 304 when the client's `If-None-Match` matches.
pub(crate) async fn caching(
    State(dir): State<Arc<PathBuf>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    let etag = file_for(&dir, &path).and_then(|file| etag(&file));
    if let Some(tag) = &etag {
        let matched = request
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
        if matched {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            if let Ok(value) = HeaderValue::from_str(tag) {
                response.headers_mut().insert(header::ETAG, value);
            }
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
            return response;
        }
    }
    let mut response = next.run(request).await;
    if !response.status().is_success() {
        return response;
    }
    // (A signed bundle's files, `pkg/rules/files/<sha256>.json`, are named by their hash too.)
    let policy = if is_hashed_asset(&path) || path.contains("/rules/files/") {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    if let Some(value) = etag.and_then(|tag| HeaderValue::from_str(&tag).ok()) {
        headers.insert(header::ETAG, value);
    }
    response
}

/// The regular file a request path names under `dir` (a directory's `index.html`), or `None`
/// for anything unusual: only plain segments, no `..`, no hidden names, no escapes.
fn file_for(dir: &Path, path: &str) -> Option<PathBuf> {
    let mut file = dir.to_path_buf();
    let relative = path.trim_start_matches('/');
    for segment in relative.split('/').filter(|s| !s.is_empty()) {
        let plain = segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
        if !plain || segment.starts_with('.') {
            return None;
        }
        file.push(segment);
    }
    if relative.is_empty() || relative.ends_with('/') {
        file.push("index.html");
    }
    let metadata = std::fs::metadata(&file).ok()?;
    metadata.is_file().then_some(file)
}

fn etag(file: &Path) -> Option<String> {
    let metadata = std::fs::metadata(file).ok()?;
    let modified = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
    Some(format!(
        "W/\"{:x}-{:x}\"",
        metadata.len(),
        modified.as_nanos()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets() {
        assert!(is_hashed_asset("/assets/clerk-B3xk9_Qa.js"));
        assert!(is_hashed_asset("/assets/styles-DfL0-a1Z.css"));
        assert!(!is_hashed_asset("/assets/logo.svg"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/pkg/qiquan-0123456789.js"));
    }
}
