//! `qiquan serve`: the server-side revalidation service. A thin HTTP shell over [`Engine`]: it
//! re-checks what a form already checked in the browser, with the server's own clock as the
//! instant of receipt, compares the client's verdict digest, and signs a receipt (受理回执) for
//! an accepted application. Stateless: any number of replicas with the same rules and key file
//! give the same answers and verify each other's receipts. See docs/server.md.

pub mod api;
pub mod metrics;
pub mod receipt;
pub mod register;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

use crate::{Engine, Error, ErrorCode, Result};
use api::{ApiError, CheckTag, ErrorCodeTag};
use metrics::Metrics;
use receipt::ReceiptKey;

/// The OpenAPI 3.1 description served at `/v1/openapi.json`.
pub const OPENAPI_JSON: &str = include_str!("openapi.json");

/// How long a client may take to send its request headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long shutdown waits for in-flight requests before giving up on them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// `qiquan serve` options.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub addr: String,
    pub rules: Option<PathBuf>,
    pub key: Option<PathBuf>,
    pub dev: bool,
    pub www: PathBuf,
    pub pkg: PathBuf,
    /// Whole-request limit (reading the body included); past it the answer is 408.
    pub request_timeout: Duration,
    /// JSON lines instead of text on stderr.
    pub log_json: bool,
    /// The case register (`--db`, `--data-dir`, `--data-key`); None with `--no-register`.
    pub register: Option<register::RegisterConfig>,
}

/// What every request handler shares. Immutable apart from the metrics counters.
pub struct AppState {
    pub engine: Engine,
    pub key: ReceiptKey,
    pub metrics: Metrics,
    pub request_timeout: Duration,
    /// The case register (applications, uploads, numbers, ledger), when enabled.
    pub register: Option<register::Register>,
}

/// The whole HTTP application, for `serve` or an in-process test.
pub fn router(state: Arc<AppState>, www: &Path, pkg: &Path) -> Router {
    Router::new()
        .route("/healthz", get(api::healthz))
        .route("/metrics", get(api::metrics))
        .route("/v1/openapi.json", get(api::openapi))
        .route("/v1/matters", get(api::list_matters))
        .route("/v1/matters/{id}", get(api::get_matter))
        .route("/v1/matters/{id}/check", post(api::check))
        .route("/v1/receipts/key", get(api::public_key))
        .route("/v1/receipts/verify", post(api::verify_receipt))
        .merge(register::api::routes())
        .route("/v1", any(api_not_found))
        .route("/v1/{*rest}", any(api_not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .nest_service("/pkg", static_dir(pkg, "pkg", "--pkg"))
        .fallback_service(static_dir(www, "www", "--www"))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal().into_response()
        }))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

async fn api_not_found() -> ApiError {
    ApiError::not_found()
}

async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}

/// Static files from `dir`, or a clear 404 notice when it has not been built.
fn static_dir(dir: &Path, what: &'static str, flag: &'static str) -> Router {
    if dir.is_dir() {
        let missing = move || async move {
            (
                StatusCode::NOT_FOUND,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "404 未找到 / Not found\n",
            )
        };
        // Gzip for clients that ask: a phone then fetches the wasm module at about a third of
        // its size (364 KiB instead of 1.1 MB). The API's JSON is left as it is.
        Router::new()
            .fallback_service(
                ServeDir::new(dir)
                    .append_index_html_on_directories(true)
                    .not_found_service(any(missing)),
            )
            .layer(CompressionLayer::new())
    } else {
        tracing::warn!(
            dir = %dir.display(),
            "{what} directory not found: its pages answer 404 until it is built"
        );
        let notice = format!(
            "404 — 网页尚未构建 / The web pages are not built.\n\n\
             The {what} directory {} does not exist. Build it (see the README), or point {flag} at it.\n\
             The API is at /v1/ (description: /v1/openapi.json).\n",
            dir.display()
        );
        Router::new().fallback(move || {
            let notice = notice.clone();
            async move {
                (
                    StatusCode::NOT_FOUND,
                    [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                    notice,
                )
            }
        })
    }
}

/// Access log, metrics, the request timeout and the rules digest header, for every request.
/// Logs route templates, statuses, codes and latency only: never bodies, queries or ids.
async fn observe(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = match request.extensions().get::<MatchedPath>() {
        Some(path) if path.as_str().starts_with("/pkg") => "/pkg/*".to_string(),
        Some(path) => path.as_str().to_string(),
        None => "static".to_string(),
    };
    let limit = register::request_limit(&route, state.request_timeout);
    let mut response = match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::timeout().into_response(),
    };
    let elapsed = start.elapsed();
    let status = response.status().as_u16();
    state
        .metrics
        .request(&route, &method, status, elapsed.as_secs_f64());
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
    if let Ok(value) = HeaderValue::from_str(state.engine.rules_digest()) {
        response
            .headers_mut()
            .insert("x-qiquan-rules-digest", value);
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

/// Runs the server until SIGTERM or Ctrl-C, then finishes in-flight requests and returns.
/// Prints `listening on http://ADDR` on stdout once the socket is bound (ADDR is the real port
/// when `--addr` asked for port 0).
pub fn serve(config: ServeConfig) -> Result<()> {
    init_logging(config.log_json);
    let engine = match &config.rules {
        Some(dir) => Engine::from_dir(dir)?,
        None => Engine::embedded()?.clone(),
    };
    let key = match (&config.key, config.dev) {
        (Some(path), _) => ReceiptKey::load(path)?,
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
            key
        }
        (None, false) => {
            return Err(Error::new(
                ErrorCode::Usage,
                "缺少回执签名密钥：请用 --key FILE 指定（qiquan keygen --out FILE 生成），开发时可用 --dev。",
                "No receipt signing key: pass --key FILE (create one with qiquan keygen --out FILE), or --dev for development.",
            ));
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| io_error("无法启动运行时。", "Cannot start the runtime.", e))?;
    let register = match &config.register {
        Some(register_config) => Some(runtime.block_on(register::Register::open(register_config))?),
        None => None,
    };
    let state = Arc::new(AppState {
        engine,
        key,
        metrics: Metrics::default(),
        request_timeout: config.request_timeout,
        register,
    });
    let app = router(state.clone(), &config.www, &config.pkg);
    runtime.block_on(async move {
        if state.register.is_some() {
            register::spawn_sweeper(state.clone());
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
        println!("listening on http://{local}");
        let _ = std::io::Write::flush(&mut std::io::stdout());
        tracing::info!(
            addr = %local,
            rules_digest = %state.engine.rules_digest(),
            key_id = %state.key.key_id(),
            dev = config.dev,
            "qiquan serve started"
        );
        run(listener, app, shutdown_signal()).await;
        Ok(())
    })
}

/// Accepts connections until `signal` completes, then waits for in-flight requests.
pub async fn run(
    listener: tokio::net::TcpListener,
    app: Router,
    signal: impl std::future::Future<Output = ()>,
) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut signal = std::pin::pin!(signal);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _peer): (tokio::net::TcpStream, SocketAddr) = match accepted {
                    Ok(pair) => pair,
                    Err(error) => {
                        // E.g. out of file descriptors: back off instead of spinning.
                        tracing::warn!(%error, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let connection = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT)
                    .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            () = &mut signal => break,
        }
    }
    drop(listener);
    tracing::info!("shutting down: finishing in-flight requests");
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("all connections closed"),
        () = tokio::time::sleep(SHUTDOWN_GRACE) => tracing::warn!("shutdown grace period over; closing"),
    }
}

/// Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C received"),
        () = terminate => tracing::info!("SIGTERM received"),
    }
}
