//! Staff and devices sign in with the centre's identity provider (OIDC). The server verifies
//! each bearer token (a JWT) against the issuer's keys: discovery
//! (`ISSUER/.well-known/openid-configuration`) names `jwks_uri`; the key set is cached and
//! fetched again when a token names a key id (`kid`) not in it (key rotation), at most once per
//! [`REFRESH_EVERY`]. `iss`, `aud`, `exp` and `nbf` are checked (60 s leeway), `alg` must be
//! an asymmetric algorithm the key allows (never `none` or HMAC). Roles, window and department
//! come from configured claims.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::Uri;
use jsonwebtoken::jwk::{AlgorithmParameters, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

use super::Staff;
use super::error::AccessError;
use super::table::Role;
use crate::server::bundle::{Fetched, fetch};

/// Fetch the key set again on an unknown `kid` at most this often (a flood of made-up key ids
/// does not become a flood of fetches).
pub(crate) const REFRESH_EVERY: Duration = Duration::from_secs(10);
/// Discovery documents and key sets larger than this are refused.
const FETCH_LIMIT: usize = 1024 * 1024;

/// `--oidc-*` options.
#[derive(Debug, Clone)]
pub(crate) struct OidcConfig {
    /// The issuer URL, exactly as tokens carry it in `iss`.
    pub(crate) issuer: String,
    /// The `aud` tokens must carry (the API's client id at the provider).
    pub(crate) audience: String,
    /// The claim holding the roles (a JSON array of strings, or one space-separated string); a
    /// dotted path reaches into objects (`realm_access.roles`).
    pub(crate) roles_claim: String,
    /// The claim naming the window (受理窗口) a clerk works at.
    pub(crate) window_claim: String,
    /// The claim naming the department.
    pub(crate) department_claim: String,
    /// The public client the pages use for the authorization-code flow with PKCE.
    pub(crate) client_id: String,
}

#[derive(Default)]
struct Cache {
    jwks_uri: Option<String>,
    authorization_endpoint: Option<String>,
    token_endpoint: Option<String>,
    keys: JwkSet,
    fetched: Option<Instant>,
}

/// The verifier of one issuer's tokens.
pub(crate) struct Verifier {
    pub(crate) config: OidcConfig,
    cache: Mutex<Cache>,
    refreshing: tokio::sync::Mutex<()>,
}

impl Verifier {
    pub(crate) fn new(config: OidcConfig) -> Verifier {
        Verifier {
            config,
            cache: Mutex::new(Cache::default()),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut Cache) -> R) -> R {
        f(&mut self.cache.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// The provider's endpoints for the pages (after the first discovery).
    pub(crate) fn endpoints(&self) -> (Option<String>, Option<String>) {
        self.with(|c| (c.authorization_endpoint.clone(), c.token_endpoint.clone()))
    }

    /// Verifies `token`; the staff member or device it names.
    pub(crate) async fn verify(&self, token: &str) -> Result<Staff, AccessError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| AccessError::bad_token("malformed token"))?;
        let kid = header
            .kid
            .clone()
            .ok_or_else(|| AccessError::bad_token("token names no key (kid)"))?;
        let jwk = match self.with(|c| c.keys.find(&kid).cloned()) {
            Some(jwk) => jwk,
            None => {
                self.refresh().await;
                self.with(|c| c.keys.find(&kid).cloned())
                    .ok_or_else(|| AccessError::bad_token("unknown signing key"))?
            }
        };
        let allowed = allowed_algorithms(&jwk.algorithm);
        if !allowed.contains(&header.alg) {
            return Err(AccessError::bad_token("algorithm not allowed for this key"));
        }
        let key = DecodingKey::from_jwk(&jwk)
            .map_err(|_| AccessError::bad_token("unusable signing key"))?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_audience(&[&self.config.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        let data = jsonwebtoken::decode::<Value>(token, &key, &validation).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind as K;
            AccessError::bad_token(match e.kind() {
                K::ExpiredSignature => "expired",
                K::ImmatureSignature => "not valid yet (nbf)",
                K::InvalidAudience => "wrong audience",
                K::InvalidIssuer => "wrong issuer",
                K::InvalidSignature => "bad signature",
                K::MissingRequiredClaim(_) => "a required claim is missing",
                _ => "not a valid token",
            })
        })?;
        Ok(self.staff(&data.claims))
    }

    fn staff(&self, claims: &Value) -> Staff {
        let text = |name: &str| {
            claim(claims, name)
                .and_then(Value::as_str)
                .map(|s| s.chars().take(64).collect::<String>())
        };
        let roles = match claim(claims, &self.config.roles_claim) {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .filter_map(Role::from_claim)
                .collect(),
            Some(Value::String(s)) => s.split_whitespace().filter_map(Role::from_claim).collect(),
            _ => Vec::new(),
        };
        Staff {
            subject: text("sub").unwrap_or_default(),
            roles,
            window: text(&self.config.window_claim),
            department: text(&self.config.department_claim),
        }
    }

    /// Discovery (once) and the key set, at most once per [`REFRESH_EVERY`]; failures are
    /// logged and leave the cache as it was.
    pub(crate) async fn refresh(&self) {
        let _one = self.refreshing.lock().await;
        if self
            .with(|c| c.fetched)
            .is_some_and(|t| t.elapsed() < REFRESH_EVERY)
        {
            return;
        }
        self.with(|c| c.fetched = Some(Instant::now()));
        let jwks_uri = match self.with(|c| c.jwks_uri.clone()) {
            Some(uri) => uri,
            None => {
                let url = format!(
                    "{}/.well-known/openid-configuration",
                    self.config.issuer.trim_end_matches('/')
                );
                let Some(doc) = get_json(&url).await else {
                    return;
                };
                if doc["issuer"].as_str() != Some(self.config.issuer.as_str()) {
                    tracing::warn!(%url, "OIDC discovery names another issuer; ignored");
                    return;
                }
                let Some(uri) = doc["jwks_uri"].as_str().map(str::to_string) else {
                    tracing::warn!(%url, "OIDC discovery has no jwks_uri");
                    return;
                };
                self.with(|c| {
                    c.jwks_uri = Some(uri.clone());
                    c.authorization_endpoint =
                        doc["authorization_endpoint"].as_str().map(str::to_string);
                    c.token_endpoint = doc["token_endpoint"].as_str().map(str::to_string);
                });
                uri
            }
        };
        let Some(doc) = get_json(&jwks_uri).await else {
            return;
        };
        match serde_json::from_value::<JwkSet>(doc) {
            Ok(keys) => {
                tracing::info!(keys = keys.keys.len(), "OIDC signing keys fetched");
                self.with(|c| c.keys = keys);
            }
            Err(error) => tracing::warn!(%error, "OIDC key set unreadable; keeping the old one"),
        }
    }
}

/// The algorithms a key of this kind may sign with: asymmetric only.
fn allowed_algorithms(params: &AlgorithmParameters) -> &'static [Algorithm] {
    match params {
        AlgorithmParameters::RSA(_) => &[
            Algorithm::RS256,
            Algorithm::RS384,
            Algorithm::RS512,
            Algorithm::PS256,
            Algorithm::PS384,
            Algorithm::PS512,
        ],
        AlgorithmParameters::EllipticCurve(_) => &[Algorithm::ES256, Algorithm::ES384],
        AlgorithmParameters::OctetKeyPair(_) => &[Algorithm::EdDSA],
        _ => &[],
    }
}

/// A claim by name, or by a dotted path into objects.
fn claim<'a>(claims: &'a Value, path: &str) -> Option<&'a Value> {
    if let Some(v) = claims.get(path) {
        return Some(v);
    }
    path.split('.').try_fold(claims, |v, part| v.get(part))
}

async fn get_json(url: &str) -> Option<Value> {
    let uri: Uri = match url.parse() {
        Ok(uri) => uri,
        Err(error) => {
            tracing::warn!(%url, %error, "OIDC URL unreadable");
            return None;
        }
    };
    if uri.scheme_str() != Some("http") {
        tracing::warn!(%url, "only http:// is fetched (put a TLS-terminating egress proxy in front; docs/security.md)");
        return None;
    }
    match fetch(&uri, None, FETCH_LIMIT).await {
        Ok(Fetched::Body { bytes, .. }) => match serde_json::from_slice(&bytes) {
            Ok(value) => Some(value),
            Err(error) => {
                tracing::warn!(%url, %error, "OIDC document is not JSON");
                None
            }
        },
        Ok(Fetched::NotModified) => None,
        Err(error) => {
            tracing::warn!(%url, error = %error.0, "OIDC document unreachable");
            None
        }
    }
}
