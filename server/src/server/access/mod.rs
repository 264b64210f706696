//! Who may do what. One route table ([`table::TABLE`]) says who may call each route; the
//! [`enforce`] middleware reads it for every request and refuses what it does not list (deny by
//! default). Callers are:
//!
//! * staff and devices with an OIDC bearer token ([`oidc`]) — clerk, supervisor, auditor,
//!   admin, kiosk — or, behind an authenticating proxy, its HMAC-signed assertion ([`proxy`]);
//! * an applicant holding one application's capability ([`capability`]), for that application;
//! * anyone else: public routes only.
//!
//! The authenticated caller replaces any `X-Qiquan-Actor` the client sent, so the audit trail
//! names who really acted. See docs/security.md.

pub(crate) mod capability;
pub(crate) mod dev_issuer;
pub(crate) mod error;
pub(crate) mod limit;
pub(crate) mod oidc;
pub(crate) mod pledge;
pub(crate) mod proxy;
pub(crate) mod table;
pub(crate) mod trail;

use std::net::IpAddr;
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

use crate::server::AppState;
use crate::server::register::error::RegisterError;
use error::{AccessCode, AccessError};
use table::Role;

/// The access module's own routes.
pub(crate) const ROUTES: [&str; 2] = ["/v1/auth/config", "/v1/audit/events"];

/// The header an applicant sends its capability in.
pub(crate) const CAPABILITY_HEADER: &str = "x-qiquan-capability";
/// The header the audit trail reads the actor from; always set by [`enforce`].
pub(crate) const ACTOR_HEADER: &str = "x-qiquan-actor";

/// A staff member or device, as its token or the proxy's assertion names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Staff {
    pub(crate) subject: String,
    pub(crate) roles: Vec<Role>,
    pub(crate) window: Option<String>,
    pub(crate) department: Option<String>,
}

/// Who is calling, as the access layer established it (a request extension for handlers).
#[derive(Debug, Clone, Default)]
pub(crate) struct Caller {
    pub(crate) staff: Option<Staff>,
    /// The application whose capability the caller showed (verified against the path's `{id}`).
    pub(crate) applicant_of: Option<String>,
    /// The connection's peer (for per-client limits).
    pub(crate) peer: Option<IpAddr>,
}

impl Caller {
    pub(crate) fn has(&self, role: Role) -> bool {
        self.staff.as_ref().is_some_and(|s| s.roles.contains(&role))
    }

    /// The audit trail's actor: `clerk:SUBJECT@WINDOW`, `kiosk:DEVICE`, `applicant:APP`, or
    /// `anonymous`.
    pub(crate) fn actor(&self) -> String {
        match (&self.staff, &self.applicant_of) {
            (Some(s), _) => {
                let role = s.roles.first().map_or("staff", |r| r.as_str());
                match &s.window {
                    Some(w) => format!("{role}:{}@{w}", s.subject),
                    None => format!("{role}:{}", s.subject),
                }
            }
            (None, Some(app)) => format!("applicant:{app}"),
            (None, None) => "anonymous".into(),
        }
    }

    /// The key a per-client limit counts under.
    pub(crate) fn client_key(&self) -> String {
        match (&self.staff, self.peer) {
            (Some(s), _) => format!("sub:{}", s.subject),
            (None, Some(ip)) => format!("ip:{ip}"),
            (None, None) => "unknown".into(),
        }
    }
}

/// The connection's peer address, put on each request by the server's connection loop.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Peer(pub(crate) std::net::SocketAddr);

/// `qiquan serve` access options.
#[derive(Debug, Clone, Default)]
pub(crate) struct AccessConfig {
    pub(crate) oidc: Option<oidc::OidcConfig>,
    pub(crate) dev_issuer: bool,
    /// `--proxy-assertion-key FILE`: the shared key's bytes.
    pub(crate) proxy_key: Option<Vec<u8>>,
    /// Dev/test mode (`--dev` or `--dev-issuer`): the sweep accepts `as_of`.
    pub(crate) dev_mode: bool,
}

/// The access layer's state.
#[derive(Default)]
pub(crate) struct Access {
    /// Set at start (`--oidc-issuer`) or once bound (`--dev-issuer`, whose issuer URL names
    /// the port).
    pub(crate) verifier: OnceLock<oidc::Verifier>,
    pub(crate) dev_issuer: Option<Arc<dev_issuer::DevIssuer>>,
    pub(crate) proxy_key: Option<Vec<u8>>,
    pub(crate) dev_mode: bool,
    pub(crate) limits: limit::Limits,
}

impl Access {
    pub(crate) fn new(config: &AccessConfig) -> qiquan::Result<Access> {
        let access = Access {
            verifier: OnceLock::new(),
            dev_issuer: if config.dev_issuer {
                Some(Arc::new(dev_issuer::DevIssuer::new().ok_or_else(|| {
                    qiquan::Error::new(
                        qiquan::ErrorCode::Io,
                        "无法取得系统随机数。",
                        "No system randomness.",
                    )
                })?))
            } else {
                None
            },
            proxy_key: config.proxy_key.clone(),
            dev_mode: config.dev_mode,
            limits: limit::Limits::default(),
        };
        if let Some(oidc) = &config.oidc {
            let _ = access.verifier.set(oidc::Verifier::new(oidc.clone()));
        }
        Ok(access)
    }

    /// With `--dev-issuer`, once the address is known: the issuer is `http://ADDR/dev-issuer`
    /// and tokens are verified against it like any provider's (discovery, JWKS over HTTP).
    pub(crate) fn bind_dev_issuer(&self, addr: std::net::SocketAddr) {
        if let Some(dev) = &self.dev_issuer {
            let issuer = format!("http://{addr}/dev-issuer");
            let _ = dev.issuer.set(issuer.clone());
            let _ = self.verifier.set(oidc::Verifier::new(oidc::OidcConfig {
                issuer,
                audience: dev_issuer::AUDIENCE.into(),
                roles_claim: "roles".into(),
                window_claim: "window".into(),
                department_claim: "department".into(),
                client_id: dev_issuer::CLIENT_ID.into(),
            }));
        }
    }
}

fn header_str(headers: &HeaderMap, name: impl header::AsHeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The staff member or device the request's credential names, if it sent one.
async fn authenticate(access: &Access, headers: &HeaderMap) -> Result<Option<Staff>, AccessError> {
    if let Some(auth) = header_str(headers, header::AUTHORIZATION) {
        let token = auth
            .strip_prefix("Bearer ")
            .or_else(|| auth.strip_prefix("bearer "))
            .ok_or_else(|| AccessError::bad_token("Authorization must be Bearer"))?;
        let verifier = access
            .verifier
            .get()
            .ok_or_else(|| AccessError::bad_token("no identity provider is configured"))?;
        return verifier.verify(token.trim()).await.map(Some);
    }
    if let (Some(key), Some(assertion)) = (&access.proxy_key, header_str(headers, proxy::HEADER)) {
        return proxy::verify(key, assertion).map(Some);
    }
    Ok(None)
}

/// The `{id}` segment of `path` for the template `template`.
fn path_id(template: &str, path: &str) -> Option<String> {
    template
        .split('/')
        .zip(path.split('/'))
        .find(|(t, _)| *t == "{id}")
        .map(|(_, p)| p.to_string())
}

/// Whether `secret` is the capability of application `id` (false when there is no such
/// application: the two are not told apart).
async fn capability_matches(state: &AppState, id: &str, secret: &str) -> Result<bool, Response> {
    let Some(reg) = state.register.as_ref() else {
        return Ok(false);
    };
    let stored: Option<Option<String>> =
        sqlx::query_scalar("SELECT capability_hash FROM applications WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&reg.db.pool)
            .await
            .map_err(|e| RegisterError::from(e).into_response())?;
    Ok(stored
        .flatten()
        .is_some_and(|h| capability::same(&capability::hash(secret), &h)))
}

/// What capability a request showed, for the route's application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shown {
    Nothing,
    /// The capability of the application in the path.
    ThisApplication,
    /// A capability, but not this application's (or the route names none).
    Other,
}

/// The answer to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    Allow,
    /// 401: nothing that identifies the caller.
    Unauthenticated,
    /// 403: a known caller without a role the route declares.
    Forbidden,
    /// 404: a capability that is not this application's, where only it could have helped.
    NotFound,
}

/// Who may pass: a pure function of the route's roles, the verified staff roles (None: no
/// staff credential) and the capability shown.
pub(crate) fn decide(allow: &[Role], staff: Option<&[Role]>, shown: Shown) -> Decision {
    let applicant_route = allow.contains(&Role::Applicant);
    if allow.contains(&Role::Public)
        || staff.is_some_and(|roles| roles.iter().any(|r| allow.contains(r)))
        || (applicant_route && shown == Shown::ThisApplication)
    {
        Decision::Allow
    } else if applicant_route && shown == Shown::Other {
        Decision::NotFound
    } else if staff.is_none() && shown == Shown::Nothing {
        Decision::Unauthenticated
    } else {
        Decision::Forbidden
    }
}

/// The access check of every routed request: finds the route's row (none: 403), establishes the
/// caller, allows or refuses (401 no credential, 403 wrong role, 404 a capability that is not
/// this application's), and puts the verified actor on the request.
pub(crate) async fn enforce(
    State(state): State<Arc<AppState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let Some(path) = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
    else {
        return next.run(request).await;
    };
    if table::NOT_FOUND_PATHS.contains(&path.as_str()) {
        return next.run(request).await;
    }
    let Some(rule) = table::find(request.method().as_str(), &path) else {
        // A route nobody declared: refused to everyone until the table says otherwise.
        tracing::error!(route = %path, method = %request.method(), "route without an access row");
        return AccessError::forbidden().into_response();
    };
    let only_public = rule.allow == [Role::Public];
    let mut caller = Caller {
        peer: request.extensions().get::<Peer>().map(|p| p.0.ip()),
        ..Caller::default()
    };
    if !only_public {
        caller.staff = match authenticate(&state.access, request.headers()).await {
            Ok(staff) => staff,
            Err(e) => return e.into_response(),
        };
    }
    let capability = header_str(request.headers(), CAPABILITY_HEADER).map(str::to_string);
    let shown = match (&capability, path_id(rule.path, request.uri().path())) {
        (None, _) => Shown::Nothing,
        (Some(secret), Some(id)) if rule.allow.contains(&Role::Applicant) => {
            match capability_matches(&state, &id, secret).await {
                Ok(true) => {
                    caller.applicant_of = Some(id);
                    Shown::ThisApplication
                }
                Ok(false) => Shown::Other,
                Err(response) => return response,
            }
        }
        (Some(_), _) => Shown::Other,
    };
    let roles = caller.staff.as_ref().map(|s| s.roles.as_slice());
    match decide(rule.allow, roles, shown) {
        Decision::Allow => {}
        Decision::Unauthenticated => return AccessError::unauthenticated().into_response(),
        Decision::Forbidden => return AccessError::forbidden().into_response(),
        // Another application's capability, or one that exists nowhere: as if there were no
        // such application.
        Decision::NotFound => return RegisterError::application_not_found().into_response(),
    }
    let headers = request.headers_mut();
    headers.remove(ACTOR_HEADER);
    if let Ok(value) = HeaderValue::from_str(&caller.actor()) {
        headers.insert(ACTOR_HEADER, value);
    }
    request.extensions_mut().insert(caller);
    next.run(request).await
}

/// The channel a caller may record: a clerk `window` (or `mail`: paper received by post), a
/// kiosk device `kiosk`, anyone else `online` (or `mobile_online`). `claimed` is what the body
/// says (None: the caller's default). Anything else is `channel_not_allowed`.
pub(crate) fn channel_for(
    caller: &Caller,
    claimed: Option<&str>,
) -> Result<&'static str, AccessError> {
    let (allowed, default): (&[&'static str], &'static str) = if caller.has(Role::Clerk) {
        (&["window", "mail"], "window")
    } else if caller.has(Role::Kiosk) {
        (&["kiosk"], "kiosk")
    } else {
        (&["online", "mobile_online"], "online")
    };
    match claimed {
        None => Ok(default),
        Some(c) => allowed.iter().find(|a| **a == c).copied().ok_or_else(|| {
            AccessError::new(
                AccessCode::ChannelNotAllowed,
                format!(
                    "渠道“{c}”不能由此身份申报：窗口和邮寄只能由窗口工作人员登记，自助终端只能由登记的终端提交，其余为网上申请。"
                ),
                format!(
                    "The channel “{c}” cannot be claimed by this caller: window and mail only by a clerk, kiosk only by a registered kiosk, anyone else applies online."
                ),
            )
        }),
    }
}

/// Rewrites `/submission/channel` of a JSON request body to what the caller may claim.
pub(crate) fn set_channel(caller: &Caller, body: &str) -> Result<String, RegisterError> {
    let Ok(mut value) = serde_json::from_str::<Value>(body) else {
        // Not JSON: the handler's own parse says what is wrong.
        return Ok(body.to_string());
    };
    let Some(submission) = value.get_mut("submission").and_then(Value::as_object_mut) else {
        return Ok(body.to_string());
    };
    let claimed = submission.get("channel").and_then(Value::as_str);
    let channel = channel_for(caller, claimed)?;
    submission.insert("channel".into(), json!(channel));
    Ok(value.to_string())
}

/// The reason given for a read of personal data: 1–200 characters, required.
pub(crate) fn reason(given: Option<&str>) -> Result<String, AccessError> {
    let text: String = given.unwrap_or("").trim().chars().take(200).collect();
    if text.is_empty() {
        return Err(AccessError::new(
            AccessCode::ReasonRequired,
            "读取个人信息须说明理由（reason），理由记入审计日志。",
            "Reading personal data needs a reason (`reason`); it goes into the audit trail.",
        ));
    }
    Ok(text)
}

/// `GET /v1/auth/config`: how the pages sign in (the issuer and its endpoints, the public
/// client id); `{"issuer": null}` when no provider is configured.
async fn auth_config(State(state): State<Arc<AppState>>) -> Response {
    let body = match state.access.verifier.get() {
        Some(v) => {
            if v.endpoints().0.is_none() {
                v.refresh().await;
            }
            let (authorization, token) = v.endpoints();
            AuthConfig {
                issuer: Some(v.config.issuer.clone()),
                client_id: Some(v.config.client_id.clone()),
                authorization_endpoint: authorization,
                token_endpoint: token,
                dev: state.access.dev_issuer.is_some(),
            }
        }
        None => AuthConfig {
            issuer: None,
            client_id: None,
            authorization_endpoint: None,
            token_endpoint: None,
            dev: false,
        },
    };
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        serde_json::to_string(&body).unwrap_or_default(),
    )
        .into_response()
}

/// `GET /v1/auth/config`'s answer.
#[derive(serde::Serialize)]
struct AuthConfig {
    issuer: Option<String>,
    client_id: Option<String>,
    authorization_endpoint: Option<String>,
    token_endpoint: Option<String>,
    dev: bool,
}

/// The access module's routes, and the dev issuer's when it is on.
pub(crate) fn routes(dev_issuer: bool) -> Router<Arc<AppState>> {
    let router = Router::new()
        .route(ROUTES[0], get(auth_config))
        .route(ROUTES[1], get(trail::events));
    if dev_issuer {
        router.merge(dev_issuer::routes())
    } else {
        router
    }
}

/// The OpenAPI document with each operation's `x-roles` from the table, and the two ways to
/// authenticate as security schemes.
pub(crate) fn openapi_with_roles(text: &str) -> String {
    let Ok(mut doc) = serde_json::from_str::<Value>(text) else {
        return text.to_string();
    };
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut() {
                let Some(rule) = table::find(&method.to_ascii_uppercase(), path) else {
                    continue;
                };
                let Some(op) = op.as_object_mut() else {
                    continue;
                };
                op.insert("x-roles".into(), json!(table::role_names(rule)));
                if rule.personal {
                    op.insert("x-personal-data".into(), json!(true));
                }
                let responses = op.entry("responses").or_insert_with(|| json!({}));
                if rule.allow != [Role::Public]
                    && let Some(responses) = responses.as_object_mut()
                {
                    for status in ["401", "403"] {
                        responses.entry(status).or_insert_with(
                            || json!({"$ref": "#/components/responses/RegisterError"}),
                        );
                    }
                }
                if table::RATE_LIMITED.contains(&path.as_str())
                    && let Some(responses) = responses.as_object_mut()
                {
                    responses
                        .entry("429")
                        .or_insert_with(|| json!({"$ref": "#/components/responses/RegisterError"}));
                }
                if rule.allow != [Role::Public] {
                    let mut security = Vec::new();
                    if rule
                        .allow
                        .iter()
                        .any(|r| *r != Role::Public && *r != Role::Applicant)
                    {
                        security.push(json!({"bearer": []}));
                    }
                    if rule.allow.contains(&Role::Applicant) {
                        security.push(json!({"capability": []}));
                    }
                    if rule.allow.contains(&Role::Public) {
                        security.push(json!({}));
                    }
                    op.insert("security".into(), Value::Array(security));
                }
            }
        }
    }
    if let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) {
        components.insert(
            "securitySchemes".into(),
            json!({
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                    "description": "An OIDC access token from the centre's identity provider (roles from its configured claim)."},
                "capability": {"type": "apiKey", "in": "header", "name": "X-Qiquan-Capability",
                    "description": "The application's capability, returned once by POST /v1/applications."}
            }),
        );
    }
    doc.to_string()
}

/// Seconds since the Unix epoch, from the server's clock.
pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clerk() -> Caller {
        Caller {
            staff: Some(Staff {
                subject: "alice".into(),
                roles: vec![Role::Clerk],
                window: Some("W01".into()),
                department: None,
            }),
            ..Caller::default()
        }
    }

    #[test]
    fn channel_follows_the_caller() {
        let anyone = Caller::default();
        assert_eq!(channel_for(&anyone, None).ok(), Some("online"));
        assert_eq!(
            channel_for(&anyone, Some("mobile_online")).ok(),
            Some("mobile_online")
        );
        assert!(channel_for(&anyone, Some("window")).is_err());
        assert!(channel_for(&anyone, Some("kiosk")).is_err());
        assert_eq!(channel_for(&clerk(), None).ok(), Some("window"));
        assert_eq!(channel_for(&clerk(), Some("mail")).ok(), Some("mail"));
        assert!(channel_for(&clerk(), Some("online")).is_err());
        let mut kiosk = clerk();
        if let Some(s) = kiosk.staff.as_mut() {
            s.roles = vec![Role::Kiosk];
        }
        assert_eq!(channel_for(&kiosk, None).ok(), Some("kiosk"));
        assert!(channel_for(&kiosk, Some("window")).is_err());
        assert_eq!(clerk().actor(), "clerk:alice@W01");
        assert_eq!(anyone.actor(), "anonymous");
    }

    #[test]
    fn decisions() {
        use Decision::*;
        use Role::*;
        use Shown::*;
        let app: &[Role] = &[Applicant, Clerk];
        let clerk: &[Role] = &[Clerk];
        type Row<'a> = (&'a [Role], Option<&'a [Role]>, Shown, Decision);
        let rows: &[Row] = &[
            (&[Public], None, Nothing, Allow),
            (&[Public, Kiosk], Some(&[Supervisor]), Other, Allow),
            (clerk, None, Nothing, Unauthenticated),
            (clerk, Some(&[]), Nothing, Forbidden),
            (clerk, Some(&[Supervisor]), Nothing, Forbidden),
            (clerk, Some(&[Auditor, Clerk]), Nothing, Allow),
            (clerk, None, ThisApplication, Forbidden),
            (clerk, None, Other, Forbidden),
            (app, None, ThisApplication, Allow),
            (app, None, Other, NotFound),
            (app, None, Nothing, Unauthenticated),
            (app, Some(&[Clerk]), Other, Allow),
            (app, Some(&[Kiosk]), Other, NotFound),
            (app, Some(&[Kiosk]), Nothing, Forbidden),
            (&[Supervisor], Some(&[Admin]), Nothing, Forbidden),
            // A signed-in applicant opens no application route, with or without a capability
            // that is not this application's.
            (app, Some(&[ApplicantAccount]), Nothing, Forbidden),
            (app, Some(&[ApplicantAccount]), Other, NotFound),
            (app, Some(&[ApplicantAccount]), ThisApplication, Allow),
            (clerk, Some(&[ApplicantAccount]), Nothing, Forbidden),
            (
                &[ApplicantAccount],
                Some(&[ApplicantAccount]),
                Nothing,
                Allow,
            ),
            (&[ApplicantAccount], Some(&[Clerk]), Nothing, Forbidden),
            (&[ApplicantAccount], None, Nothing, Unauthenticated),
        ];
        for (allow, staff, shown, want) in rows {
            assert_eq!(
                decide(allow, *staff, *shown),
                *want,
                "{allow:?} {staff:?} {shown:?}"
            );
        }
    }

    #[test]
    fn path_ids() {
        assert_eq!(
            path_id(
                "/v1/applications/{id}/answers",
                "/v1/applications/app_12/answers"
            )
            .as_deref(),
            Some("app_12")
        );
        assert_eq!(path_id("/v1/ledger", "/v1/ledger"), None);
    }

    #[test]
    fn reasons_are_required() {
        assert!(reason(None).is_err());
        assert!(reason(Some("  ")).is_err());
        assert_eq!(reason(Some(" 核对身份 ")).ok().as_deref(), Some("核对身份"));
    }
}
