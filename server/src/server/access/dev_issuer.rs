//! `qiquan serve --dev-issuer`: a built-in OpenID provider for one machine and for tests, under
//! `/dev-issuer/` on the server's own (loopback-only) address. It serves discovery, its key set
//! (one Ed25519 key made at start, gone at exit), the authorization endpoint (no password: it
//! signs in the user named by `login_hint` at once), and the token endpoint (authorization code
//! with PKCE S256; and, for scripts and tests, `grant_type=password` with a dev user's name and
//! no password, which may ask for an `expires_in` or `audience` to test refusals). It is
//! insecure by design: the server refuses it on a non-loopback address or with a real
//! `--oidc-issuer`, and says so loudly at start.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::server::AppState;

/// The dev issuer's route templates.
pub(crate) const ROUTES: [&str; 4] = [
    "/dev-issuer/.well-known/openid-configuration",
    "/dev-issuer/jwks",
    "/dev-issuer/authorize",
    "/dev-issuer/token",
];

/// The audience its tokens carry, and the pages' client id.
pub(crate) const AUDIENCE: &str = "qiquan";
pub(crate) const CLIENT_ID: &str = "qiquan-pages";
/// Token lifetime.
const TOKEN_SECONDS: i64 = 3600;

/// A dev user: name (the `login_hint` / `username`), roles, window, department.
pub(crate) struct DevUser {
    pub(crate) name: &'static str,
    pub(crate) roles: &'static [&'static str],
    pub(crate) window: Option<&'static str>,
}

/// Who one can be with the dev issuer.
pub(crate) const USERS: &[DevUser] = &[
    DevUser {
        name: "clerk",
        roles: &["clerk"],
        window: Some("W01"),
    },
    DevUser {
        name: "clerk2",
        roles: &["clerk"],
        window: Some("W02"),
    },
    DevUser {
        name: "supervisor",
        roles: &["supervisor"],
        window: None,
    },
    DevUser {
        name: "lead",
        roles: &["clerk", "supervisor"],
        window: Some("W01"),
    },
    // An applicant signed in through the provincial platform (lists their own applications).
    DevUser {
        name: "applicant",
        roles: &["applicant"],
        window: None,
    },
    DevUser {
        name: "auditor",
        roles: &["auditor"],
        window: None,
    },
    DevUser {
        name: "admin",
        roles: &["admin"],
        window: None,
    },
    DevUser {
        name: "kiosk",
        roles: &["kiosk"],
        window: None,
    },
    DevUser {
        name: "nobody",
        roles: &[],
        window: None,
    },
];

struct Code {
    user: &'static DevUser,
    challenge: String,
    redirect_uri: String,
    until: Instant,
}

/// The dev issuer's key and pending authorization codes.
pub(crate) struct DevIssuer {
    /// `http://ADDR/dev-issuer`, set once the server is bound.
    pub(crate) issuer: OnceLock<String>,
    encoding: EncodingKey,
    public: [u8; 32],
    pub(crate) kid: String,
    codes: Mutex<HashMap<String, Code>>,
}

/// PKCS#8 v1 DER of an Ed25519 private key: this fixed prefix, then the 32-byte seed.
const PKCS8_ED25519: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

fn random<const N: usize>() -> Option<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).ok().map(|()| bytes)
}

impl DevIssuer {
    /// None without system randomness.
    pub(crate) fn new() -> Option<DevIssuer> {
        let seed: [u8; 32] = random()?;
        let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
        let public = signing.verifying_key().to_bytes();
        let mut der = PKCS8_ED25519.to_vec();
        der.extend_from_slice(&seed);
        let kid = format!(
            "dev-{}",
            &crate::server::receipt::hex(&Sha256::digest(public))[..12]
        );
        Some(DevIssuer {
            issuer: OnceLock::new(),
            encoding: EncodingKey::from_ed_der(&der),
            public,
            kid,
            codes: Mutex::new(HashMap::new()),
        })
    }

    fn issuer(&self) -> String {
        self.issuer.get().cloned().unwrap_or_default()
    }

    /// The public key as a JWK set.
    pub(crate) fn jwks(&self) -> Value {
        json!({"keys": [{
            "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig",
            "kid": self.kid, "x": B64.encode(self.public),
        }]})
    }

    /// A signed token for `user`, valid `seconds` from now, for `audience`.
    pub(crate) fn token(&self, user: &DevUser, seconds: i64, audience: &str) -> String {
        let now = super::unix_now();
        let claims = json!({
            "iss": self.issuer(), "aud": audience, "sub": format!("dev-{}", user.name),
            "name": user.name, "iat": now, "nbf": now - 5, "exp": now + seconds,
            "roles": user.roles, "window": user.window, "department": "dev",
        });
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.encoding).unwrap_or_default()
    }
}

fn user(name: &str) -> Option<&'static DevUser> {
    USERS.iter().find(|u| u.name == name)
}

/// The dev issuer's routes (merged only with `--dev-issuer`).
pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route(ROUTES[0], get(discovery))
        .route(ROUTES[1], get(jwks))
        .route(ROUTES[2], get(authorize))
        .route(ROUTES[3], post(token))
}

fn issuer_of(state: &AppState) -> Option<&DevIssuer> {
    state.access.dev_issuer.as_deref()
}

fn json_response(status: StatusCode, value: &Value) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        value.to_string(),
    )
        .into_response()
}

fn oauth_error(error: &str, description: &str) -> Response {
    json_response(
        StatusCode::BAD_REQUEST,
        &json!({"error": error, "error_description": description}),
    )
}

async fn discovery(State(state): State<Arc<AppState>>) -> Response {
    let Some(dev) = issuer_of(&state) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let issuer = dev.issuer();
    json_response(
        StatusCode::OK,
        &json!({
            "issuer": issuer,
            "jwks_uri": format!("{issuer}/jwks"),
            "authorization_endpoint": format!("{issuer}/authorize"),
            "token_endpoint": format!("{issuer}/token"),
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "password"],
            "code_challenge_methods_supported": ["S256"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["EdDSA"],
        }),
    )
}

async fn jwks(State(state): State<Arc<AppState>>) -> Response {
    match issuer_of(&state) {
        Some(dev) => json_response(StatusCode::OK, &dev.jwks()),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    response_type: String,
    client_id: String,
    redirect_uri: String,
    state: Option<String>,
    code_challenge: String,
    code_challenge_method: String,
    login_hint: Option<String>,
}

/// Only back to a page of this server: a path, not another site.
fn local_redirect(uri: &str) -> bool {
    uri.starts_with('/') && !uri.starts_with("//") && !uri.contains('\\')
}

fn percent(text: &str) -> String {
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

async fn authorize(
    State(state): State<Arc<AppState>>,
    Query(q): Query<AuthorizeQuery>,
) -> Response {
    let Some(dev) = issuer_of(&state) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if q.response_type != "code" || q.client_id != CLIENT_ID {
        return oauth_error(
            "unsupported_response_type",
            "response_type=code, client_id=qiquan-pages",
        );
    }
    if q.code_challenge_method != "S256" || q.code_challenge.len() < 43 {
        return oauth_error("invalid_request", "PKCE with S256 is required");
    }
    if !local_redirect(&q.redirect_uri) {
        return oauth_error(
            "invalid_request",
            "redirect_uri must be a path on this server",
        );
    }
    let name = q.login_hint.as_deref().unwrap_or("clerk");
    let Some(who) = user(name) else {
        return oauth_error("access_denied", "no such dev user");
    };
    let Some(bytes) = random::<24>() else {
        return oauth_error("server_error", "no randomness");
    };
    let code = B64.encode(bytes);
    let mut codes = dev.codes.lock().unwrap_or_else(|p| p.into_inner());
    codes.retain(|_, c| c.until > Instant::now());
    codes.insert(
        code.clone(),
        Code {
            user: who,
            challenge: q.code_challenge,
            redirect_uri: q.redirect_uri.clone(),
            until: Instant::now() + Duration::from_secs(60),
        },
    );
    drop(codes);
    tracing::warn!(
        user = who.name,
        "DEV ISSUER: signed in a dev user without a password"
    );
    let sep = if q.redirect_uri.contains('?') {
        '&'
    } else {
        '?'
    };
    let mut location = format!("{}{sep}code={}", q.redirect_uri, percent(&code));
    if let Some(s) = &q.state {
        location.push_str(&format!("&state={}", percent(s)));
    }
    match HeaderValue::from_str(&location) {
        Ok(value) => (StatusCode::FOUND, [(header::LOCATION, value)]).into_response(),
        Err(_) => oauth_error("invalid_request", "bad redirect_uri"),
    }
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: String,
    code: Option<String>,
    code_verifier: Option<String>,
    redirect_uri: Option<String>,
    username: Option<String>,
    /// Dev only: a lifetime in seconds (negative: already expired), to test refusals.
    expires_in: Option<i64>,
    /// Dev only: another audience, to test refusals.
    audience: Option<String>,
}

async fn token(State(state): State<Arc<AppState>>, body: axum::body::Bytes) -> Response {
    let Some(dev) = issuer_of(&state) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Ok(form) = serde_urlencoded_form(&body) else {
        return oauth_error(
            "invalid_request",
            "an application/x-www-form-urlencoded body",
        );
    };
    let (who, seconds, audience) = match form.grant_type.as_str() {
        "authorization_code" => {
            let pending = form.code.as_deref().and_then(|c| {
                dev.codes
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(c)
            });
            let Some(pending) = pending.filter(|p| p.until > Instant::now()) else {
                return oauth_error("invalid_grant", "unknown or used code");
            };
            let verifier = form.code_verifier.unwrap_or_default();
            if B64.encode(Sha256::digest(verifier.as_bytes())) != pending.challenge {
                return oauth_error("invalid_grant", "PKCE verifier does not match");
            }
            if form.redirect_uri.as_deref() != Some(pending.redirect_uri.as_str()) {
                return oauth_error("invalid_grant", "redirect_uri differs");
            }
            (pending.user, TOKEN_SECONDS, AUDIENCE.to_string())
        }
        "password" => {
            let Some(who) = form.username.as_deref().and_then(user) else {
                return oauth_error("invalid_grant", "no such dev user");
            };
            (
                who,
                form.expires_in.unwrap_or(TOKEN_SECONDS),
                form.audience.unwrap_or_else(|| AUDIENCE.to_string()),
            )
        }
        _ => return oauth_error("unsupported_grant_type", "authorization_code or password"),
    };
    let token = dev.token(who, seconds, &audience);
    json_response(
        StatusCode::OK,
        &json!({
            "access_token": token, "id_token": token, "token_type": "Bearer",
            "expires_in": seconds, "scope": "openid",
        }),
    )
}

/// `a=b&c=d` (percent- and plus-decoded) into the token form.
fn serde_urlencoded_form(body: &[u8]) -> Result<TokenForm, ()> {
    let text = std::str::from_utf8(body).map_err(|_| ())?;
    let mut map = serde_json::Map::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = decode(v);
        let value = if k == "expires_in" {
            v.parse::<i64>().map(Value::from).map_err(|_| ())?
        } else {
            Value::String(v)
        };
        map.insert(decode(k), value);
    }
    serde_json::from_value(Value::Object(map)).map_err(|_| ())
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_decoding() {
        assert_eq!(decode("a%20b+c%2F"), "a b c/");
        assert_eq!(decode("100%"), "100%");
        let form = serde_urlencoded_form(b"grant_type=password&username=clerk&expires_in=-5")
            .expect("form");
        assert_eq!(form.username.as_deref(), Some("clerk"));
        assert_eq!(form.expires_in, Some(-5));
        assert!(local_redirect("/clerk.html"));
        assert!(!local_redirect("//evil.example/"));
        assert!(!local_redirect("https://evil.example/"));
    }
}
