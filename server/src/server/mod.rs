//! `qiquan serve`: the server-side revalidation service. A thin HTTP shell over [`Engine`]: it
//! re-checks what a form already checked in the browser, with the server's own clock as the
//! instant of receipt, compares the client's verdict digest, and signs a receipt (受理回执) for
//! an accepted application. Stateless: any number of replicas with the same rules and key file
//! give the same answers and verify each other's receipts. See docs/server.md.

pub(crate) mod access;
pub(crate) mod api;
pub(crate) mod bundle;
pub(crate) mod clock;
pub(crate) mod conn;
pub(crate) mod error;
pub(crate) mod headers;
pub(crate) mod metrics;
pub(crate) mod receipt;
pub(crate) mod register;
pub(crate) mod rules;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

use api::CheckTag;
use conn::GuardedIo;
use error::{ApiError, ErrorCodeTag};
use metrics::Metrics;
use qiquan::{Engine, Error, ErrorCode, Result};
use receipt::ReceiptKey;

/// The OpenAPI 3.1 description served at `/v1/openapi.json`.
pub(crate) const OPENAPI_JSON: &str = include_str!("openapi.json");

/// Largest request head (request line and headers) hyper buffers; past it the answer is 431.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Most request headers; past it the answer is 431.
const MAX_HEADERS: usize = 64;

/// `qiquan serve` options.
#[derive(Debug, Clone)]
pub(crate) struct ServeConfig {
    pub(crate) addr: String,
    pub(crate) rules: Option<PathBuf>,
    pub(crate) key: Option<PathBuf>,
    pub(crate) dev: bool,
    pub(crate) www: PathBuf,
    pub(crate) pkg: PathBuf,
    pub(crate) limits: Limits,
    /// JSON lines instead of text on stderr.
    pub(crate) log_json: bool,
    /// The case register (`--db`, `--data-dir`, `--data-key`); None with `--no-register`.
    pub(crate) register: Option<register::RegisterConfig>,
    /// `--bundle-url`: rules from a polled signed bundle (docs/bundles.md).
    pub(crate) bundle: Option<bundle::BundleConfig>,
    /// `--bundle-sign-key`: the key that signs the bundle of the server's own rules (without
    /// `--bundle-url`); else an ephemeral one with `--dev`, else the receipt key.
    pub(crate) bundle_sign_key: Option<PathBuf>,
    /// Who may do what: the identity provider, the dev issuer, the proxy's key (docs/security.md).
    pub(crate) access: access::AccessConfig,
}

/// The server's limits on what a client may hold or take (see docs/server.md).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Whole-request limit (reading the body included); past it the answer is 408.
    pub(crate) request_timeout: Duration,
    /// Time for a client to send a request's headers (408), and for an idle keep-alive
    /// connection to send its next request (closed).
    pub(crate) header_timeout: Duration,
    /// Time a response write may make no progress (a client that does not read); then the
    /// connection is closed.
    pub(crate) write_timeout: Duration,
    /// Open connections at most; past it a new connection is answered 503 and closed.
    pub(crate) max_connections: usize,
    /// On SIGTERM: how long open connections may still send requests (answered with
    /// `Connection: close`) before idle ones are closed.
    pub(crate) drain: Duration,
    /// On SIGTERM: how long requests in flight may take after the drain.
    pub(crate) grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            max_connections: 4096,
            drain: Duration::from_secs(2),
            grace: Duration::from_secs(30),
        }
    }
}

/// What every request handler shares. Immutable apart from the metrics counters, the shutdown
/// flag and the active engine (swapped whole when a signed bundle arrives; see [`bundle`]).
pub(crate) struct AppState {
    engine: RwLock<Arc<Engine>>,
    /// The signed bundle of the active rules, as the pages fetch it (`/v1/rules/…`).
    published: RwLock<Option<Arc<rules::Published>>>,
    /// The keys `/v1/rules/keys` tells the pages to trust.
    pub(crate) rule_keys: Vec<rules::PublicKey>,
    /// `--bundle-url`: the poller's configuration and last result.
    pub(crate) bundle: Option<Arc<bundle::Poller>>,
    pub(crate) key: ReceiptKey,
    pub(crate) metrics: Metrics,
    pub(crate) request_timeout: Duration,
    /// Set on SIGTERM: every response then says `Connection: close`.
    pub(crate) closing: AtomicBool,
    /// The case register (applications, uploads, numbers, ledger), when enabled.
    pub(crate) register: Option<register::Register>,
    /// Tokens, capabilities, rate limits (src/server/access/).
    pub(crate) access: access::Access,
}

impl AppState {
    pub(crate) fn new(engine: Engine, key: ReceiptKey, request_timeout: Duration) -> Self {
        Self {
            engine: RwLock::new(Arc::new(engine)),
            published: RwLock::new(None),
            rule_keys: Vec::new(),
            bundle: None,
            key,
            metrics: Metrics::default(),
            request_timeout,
            closing: AtomicBool::new(false),
            register: None,
            access: access::Access::default(),
        }
    }
}

impl AppState {
    /// The active engine. A request takes it once and uses it throughout, so a bundle swapped
    /// in meanwhile never mixes two rule sets in one answer; requests in flight finish on the
    /// engine they took.
    pub(crate) fn engine(&self) -> Arc<Engine> {
        self.engine
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// The signed bundle the pages load (the active engine's), when there is one.
    pub(crate) fn published(&self) -> Option<Arc<rules::Published>> {
        self.published
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Makes `engine` and the signed bundle it came from active (the bundle first, so a page
    /// never gets a revision the server does not know yet).
    pub(crate) fn set_rules(&self, engine: Arc<Engine>, published: rules::Published) {
        *self
            .published
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(Arc::new(published));
        self.set_engine(engine);
    }

    /// Makes `engine` the active engine for every request from now on.
    pub(crate) fn set_engine(&self, engine: Arc<Engine>) {
        *self
            .engine
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = engine;
    }
}

/// The whole HTTP application, for `serve` or an in-process test.
pub(crate) fn router(state: Arc<AppState>, www: &Path, pkg: &Path) -> Router {
    let api = Router::new()
        .route("/healthz", get(api::healthz))
        .route("/metrics", get(api::metrics))
        .route("/v1/openapi.json", get(api::openapi))
        .route("/v1/matters", get(api::list_matters))
        .route("/v1/matters/{id}", get(api::get_matter))
        .route("/v1/matters/{id}/check", post(api::check))
        .route("/v1/receipts/key", get(api::public_key))
        .route("/v1/receipts/verify", post(api::verify_receipt))
        .merge(register::api::routes())
        .merge(rules::routes())
        .merge(access::routes(state.access.dev_issuer.is_some()))
        .route("/v1", any(api_not_found))
        .route("/v1/", any(api_not_found))
        .route("/v1/{*rest}", any(api_not_found));
    // Every routed request passes the access check (access::table::TABLE; deny by default).
    with_test_routes(api)
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            access::enforce,
        ))
        .method_not_allowed_fallback(method_not_allowed)
        .nest_service("/pkg", static_dir(pkg, "pkg", "--pkg"))
        .fallback_service(static_dir(www, "www", "--www"))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal().into_response()
        }))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .layer(middleware::from_fn(headers::security))
        .with_state(state)
}

/// Debug builds only, and only when `QIQUAN_TEST_PANIC_ROUTE=1`: `GET /v1/test/panic` panics,
/// so a test can prove the panic layer answers 500 and the server keeps serving. A release
/// build has no such route.
#[cfg(debug_assertions)]
fn with_test_routes(router: Router<Arc<AppState>>) -> Router<Arc<AppState>> {
    if std::env::var_os("QIQUAN_TEST_PANIC_ROUTE").is_some_and(|v| v == "1") {
        router.route("/v1/test/panic", get(test_panic))
    } else {
        router
    }
}

#[cfg(debug_assertions)]
async fn test_panic() -> Response {
    panic!("test panic (QIQUAN_TEST_PANIC_ROUTE)")
}

#[cfg(not(debug_assertions))]
fn with_test_routes(router: Router<Arc<AppState>>) -> Router<Arc<AppState>> {
    router
}

async fn api_not_found() -> ApiError {
    ApiError::not_found()
}

async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}

/// Static files from `dir` (GET and HEAD only; other methods 405), or a 404 error saying the
/// pages are not built. Every error is the JSON error of the API.
fn static_dir(dir: &Path, what: &'static str, flag: &'static str) -> Router {
    let only_get = |router: Router| {
        router.layer(middleware::from_fn(
            |request: Request, next: Next| async move {
                if request.method() == axum::http::Method::GET
                    || request.method() == axum::http::Method::HEAD
                {
                    next.run(request).await
                } else {
                    ApiError::method_not_allowed().into_response()
                }
            },
        ))
    };
    if dir.is_dir() {
        let missing = || async { ApiError::page_not_found() };
        // Gzip for clients that ask: a phone then fetches the wasm module at about a third of
        // its size (364 KiB instead of 1.1 MB). The API's JSON is left as it is.
        let files = Router::new()
            .fallback_service(
                ServeDir::new(dir)
                    .append_index_html_on_directories(true)
                    .not_found_service(any(missing)),
            )
            .layer(CompressionLayer::new())
            .layer(middleware::from_fn_with_state(
                Arc::new(dir.to_path_buf()),
                headers::caching,
            ));
        only_get(files)
    } else {
        tracing::warn!(
            dir = %dir.display(),
            "{what} directory not found: its pages answer 404 until it is built"
        );
        let zh = format!(
            "网页尚未构建：{what} 目录不存在。请先构建（见 README），或用 {flag} 指定目录。API 在 /v1/。"
        );
        let en = format!(
            "The web pages are not built: the {what} directory does not exist. Build it (see the README), or point {flag} at it. The API is at /v1/ (description: /v1/openapi.json)."
        );
        only_get(Router::new().fallback(move || {
            let error = ApiError::new(error::ServerErrorCode::NotFound, &zh, &en);
            async move { error }
        }))
    }
}

/// The routes counted by name in the metrics; a path matched by none is `static`.
pub(crate) const ROUTES: [&str; 12] = [
    "/healthz",
    "/metrics",
    "/v1/openapi.json",
    "/v1/matters",
    "/v1/matters/{id}",
    "/v1/matters/{id}/check",
    "/v1/receipts/key",
    "/v1/receipts/verify",
    "/v1",
    "/v1/",
    "/v1/{*rest}",
    "/v1/test/panic",
];

/// The route template as a metrics label, from a fixed set.
fn route_label(request: &Request) -> &'static str {
    match request.extensions().get::<MatchedPath>() {
        Some(path) if path.as_str().starts_with("/pkg") => "/pkg/*",
        Some(path) => ROUTES
            .iter()
            .chain(register::api::ROUTES.iter())
            .chain(register::case_api::ROUTES.iter())
            .chain(rules::ROUTES.iter())
            .chain(access::ROUTES.iter())
            .chain(access::dev_issuer::ROUTES.iter())
            .find(|r| **r == path.as_str())
            .copied()
            .unwrap_or("other"),
        None => "static",
    }
}

/// Access log, metrics, the request timeout and the rules digest header, for every request.
/// Logs route templates, statuses, codes and latency only: never bodies, queries or ids.
async fn observe(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = metrics::method_label(request.method().as_str());
    let route = route_label(&request);
    let limit = register::request_limit(route, state.request_timeout);
    let mut response = match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::timeout().into_response(),
    };
    let elapsed = start.elapsed();
    let status = response.status().as_u16();
    state
        .metrics
        .request(route, method, status, elapsed.as_secs_f64());
    let code = response.extensions().get::<ErrorCodeTag>().map(|t| t.0);
    let check = response.extensions().get::<CheckTag>();
    tracing::info!(
        method = %method,
        route = %route,
        status,
        latency_ms = elapsed.as_secs_f64() * 1000.0,
        error_code = code,
        matter = check.map(|c| c.matter.as_str()),
        outcome = check.map(|c| c.outcome),
        digest_match = check.and_then(|c| c.digest_match),
        "request"
    );
    if let Ok(value) = HeaderValue::from_str(state.engine().rules_digest()) {
        response
            .headers_mut()
            .insert("x-qiquan-rules-digest", value);
    }
    if state.closing.load(Ordering::Relaxed) {
        // Shutting down: hyper closes the connection after this response, and the client
        // knows not to send another request on it.
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

fn init_logging(json: bool) {
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_max_level(tracing::Level::INFO);
    // A second init (tests in one process) keeps the first subscriber.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

fn io_error(zh: &str, en: &str, e: std::io::Error) -> Error {
    Error::new(ErrorCode::Io, zh, en).detail(e.to_string())
}

/// Runs the server until SIGTERM or Ctrl-C, then drains and finishes in-flight requests and
/// returns. The signal handlers are installed before the socket is bound; then it prints
/// `listening on http://ADDR` on stdout (ADDR is the real port when `--addr` asked for port 0).
pub(crate) fn serve(config: ServeConfig) -> Result<()> {
    init_logging(config.log_json);
    let key = load_key(&config)?;
    // Without --bundle-url: the server's own rules, signed at start as the bundle the pages load.
    let local = match &config.bundle {
        Some(_) => None,
        None => {
            let sources = rules::local_sources(config.rules.as_deref())?;
            let own = bundle_signing_key(&config)?;
            let signer = own.as_ref().unwrap_or(&key);
            Some(rules::self_signed(&sources, signer.signing_key())?)
        }
    };
    let engine = match (&local, &config.rules) {
        (Some((engine, _, _)), _) => engine.clone(),
        (None, Some(dir)) => Engine::from_dir(dir)?,
        (None, None) => Engine::embedded()?.clone(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| io_error("无法启动运行时。", "Cannot start the runtime.", e))?;
    let mut state = AppState::new(engine, key, config.limits.request_timeout);
    state.access = access::Access::new(&config.access)?;
    if config.access.dev_issuer {
        check_dev_issuer(&config)?;
    }
    if let Some((engine, published, public)) = local {
        tracing::info!(
            revision = engine.rules_revision(),
            key_id = %public.key_id,
            "serving a bundle of the server's own rules, signed at start"
        );
        state.set_rules(Arc::new(engine), published);
        state.rule_keys = vec![public];
    }
    if let Some(register_config) = &config.register {
        state.register = Some(runtime.block_on(register::Register::open(register_config))?);
    }
    if let Some(bundle_config) = &config.bundle {
        let poller = Arc::new(bundle::Poller::new(bundle_config)?);
        // The last good bundle first (the URL may be down), then one poll before listening.
        state.rule_keys = poller.public_keys();
        if let Some((cached, published)) = poller.load_cache() {
            state.set_rules(Arc::new(cached), published);
        }
        runtime.block_on(poller.poll(&state));
        if state.engine().rules_revision().is_none() {
            tracing::warn!(
                "no signed bundle yet (URL unreachable, no cache): serving the built-in or --rules rules until one arrives"
            );
        }
        state.bundle = Some(poller);
    }
    let state = Arc::new(state);
    let app = router(state.clone(), &config.www, &config.pkg);
    runtime.block_on(async move {
        let signal = shutdown_signal().map_err(|e| {
            io_error(
                "无法安装信号处理。",
                "Cannot install the signal handlers.",
                e,
            )
        })?;
        if state.register.is_some() {
            register::spawn_sweeper(state.clone());
        }
        if let Some(poller) = &state.bundle {
            bundle::spawn(poller.clone(), state.clone());
        }
        let listener = tokio::net::TcpListener::bind(&config.addr)
            .await
            .map_err(|e| {
                io_error("无法监听该地址。", "Cannot listen on that address.", e)
                    .at(config.addr.clone())
            })?;
        let local = listener
            .local_addr()
            .map_err(|e| io_error("无法监听该地址。", "Cannot listen on that address.", e))?;
        state.access.bind_dev_issuer(local);
        if state.access.dev_issuer.is_some() {
            dev_issuer_banner(local);
        }
        println!("listening on http://{local}");
        let _ = std::io::Write::flush(&mut std::io::stdout());
        tracing::info!(
            addr = %local,
            rules_digest = %state.engine().rules_digest(),
            rules_revision = state.engine().rules_revision(),
            key_id = %state.key.key_id(),
            dev = config.dev,
            max_connections = config.limits.max_connections,
            "qiquan serve started"
        );
        run(listener, app, state, config.limits, signal).await;
        Ok(())
    })
}

/// `--dev-issuer` signs in anyone without a password: loopback addresses only, and never beside
/// a real identity provider.
fn check_dev_issuer(config: &ServeConfig) -> Result<()> {
    let loopback = config
        .addr
        .parse::<SocketAddr>()
        .map(|a| a.ip().is_loopback())
        .unwrap_or_else(|_| config.addr.starts_with("localhost:"));
    if !loopback {
        return Err(Error::new(
            ErrorCode::Usage,
            "--dev-issuer 不需密码即可登录任何人，只能在回环地址（127.0.0.1、[::1]）上使用。",
            "--dev-issuer signs anyone in without a password: it runs on a loopback address (127.0.0.1, [::1]) only.",
        ));
    }
    if config.access.oidc.is_some() {
        return Err(Error::new(
            ErrorCode::Usage,
            "--dev-issuer 与 --oidc-issuer 不能同时使用。",
            "--dev-issuer and --oidc-issuer cannot be used together.",
        ));
    }
    Ok(())
}

fn dev_issuer_banner(addr: SocketAddr) {
    eprintln!(
        "\n\
         ************************************************************************\n\
         * DEV ISSUER (--dev-issuer): http://{addr}/dev-issuer\n\
         * signs in ANY dev user (clerk, supervisor, auditor, kiosk, ...) WITHOUT\n\
         * A PASSWORD. Loopback only. Never use it in production: configure the\n\
         * centre's identity provider with --oidc-issuer (docs/security.md).\n\
         ************************************************************************\n"
    );
    tracing::warn!(%addr, "dev issuer on: anyone on this machine can sign in as any dev user");
}

/// The key that signs the bundle of the server's own rules: `--bundle-sign-key`, else with
/// `--dev` an ephemeral one, else the receipt key (bundle and receipt signatures cover
/// different prefixes, so one never passes for the other).
fn bundle_signing_key(config: &ServeConfig) -> Result<Option<ReceiptKey>> {
    match (&config.bundle_sign_key, config.dev) {
        (Some(path), _) => ReceiptKey::load(path).map(Some),
        (None, true) => ReceiptKey::generate().map(Some),
        (None, false) => Ok(None),
    }
}

fn load_key(config: &ServeConfig) -> Result<ReceiptKey> {
    match (&config.key, config.dev) {
        (Some(path), _) => ReceiptKey::load(path),
        (None, true) => {
            let key = ReceiptKey::generate()?;
            eprintln!(
                "\n\
                 ************************************************************************\n\
                 * DEVELOPMENT MODE (--dev): receipts are signed with an EPHEMERAL key   *\n\
                 * ({}).                                      *\n\
                 * They cannot be verified after a restart or by any other replica.    *\n\
                 * Never use --dev in production: create a key with `qiquan keygen`.    *\n\
                 ************************************************************************\n",
                key.key_id()
            );
            Ok(key)
        }
        (None, false) => Err(Error::new(
            ErrorCode::Usage,
            "缺少回执签名密钥：请用 --key FILE 指定（qiquan keygen --out FILE 生成），开发时可用 --dev。",
            "No receipt signing key: pass --key FILE (create one with qiquan keygen --out FILE), or --dev for development.",
        )),
    }
}

/// Accepts connections until `signal` completes, then shuts down: stops accepting, lets open
/// connections send requests for the drain period (each answered with `Connection: close`),
/// then closes idle connections and waits up to the grace period for requests in flight.
pub(crate) async fn run(
    listener: tokio::net::TcpListener,
    app: Router,
    state: Arc<AppState>,
    limits: Limits,
    signal: impl std::future::Future<Output = ()>,
) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut signal = std::pin::pin!(signal);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => accept(stream, peer, &app, &slots, &graceful, limits),
                Err(error) => {
                    // E.g. out of file descriptors: back off instead of spinning.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            () = &mut signal => break,
        }
    }
    drop(listener);
    state.closing.store(true, Ordering::Relaxed);
    let open = limits.max_connections - slots.available_permits();
    tracing::info!(
        open,
        "shutting down: no longer accepting; answering open connections with Connection: close"
    );
    // The drain ends early once every connection has gone.
    let drain_until = Instant::now() + limits.drain;
    while Instant::now() < drain_until && slots.available_permits() < limits.max_connections {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("all connections closed"),
        () = tokio::time::sleep(limits.grace) => tracing::warn!("shutdown grace period over; closing"),
    }
}

/// Serves one accepted connection in its own task, or answers 503 when every slot is taken.
fn accept(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    app: &Router,
    slots: &Arc<Semaphore>,
    graceful: &hyper_util::server::graceful::GracefulShutdown,
    limits: Limits,
) {
    let Ok(permit) = slots.clone().try_acquire_owned() else {
        // Full: a short JSON answer if the socket takes it at once, then close.
        let _ = stream.try_write(&conn::error_response(&ApiError::too_many_connections()));
        tracing::warn!(
            max_connections = limits.max_connections,
            "connection refused: at the connection limit"
        );
        return;
    };
    let _ = stream.set_nodelay(true);
    let io = GuardedIo::new(stream, limits.write_timeout, limits.header_timeout);
    // Each request learns its connection's peer (per-client rate limits).
    let inner = TowerToHyperService::new(app.clone());
    let service = hyper::service::service_fn(move |mut request: hyper::Request<_>| {
        request.extensions_mut().insert(access::Peer(peer));
        hyper::service::Service::call(&inner, request)
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(MAX_HEAD_BYTES)
        .max_headers(MAX_HEADERS)
        .serve_connection(TokioIo::new(io), service);
    let connection = graceful.watch(connection);
    tokio::spawn(async move {
        let _ = connection.await;
        drop(permit);
    });
}

/// Installs the Ctrl-C and SIGTERM handlers now, and returns the future that completes on
/// either (installed before the socket is bound, so an early SIGTERM still shuts down cleanly).
pub(crate) fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => tracing::info!("Ctrl-C received"),
                _ = terminate.recv() => tracing::info!("SIGTERM received"),
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("Ctrl-C received");
        })
    }
}
