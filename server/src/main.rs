//! `qiquan`: the command-line shell over the engine. No rule logic lives here.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod server;

/// mimalloc instead of glibc's malloc: after a storm of connections that each held a request
/// body, glibc kept the storm's peak resident (~600 MB after 2,000 stalled bodies) for reuse,
/// while mimalloc gives freed pages back to the system (docs/server.md, "Storm").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use qiquan::bundle::{self, Validation};
use qiquan::{Engine, Error, ErrorCode, to_pretty_json};

#[derive(Parser)]
#[command(
    name = "qiquan",
    version,
    about = "齐全 — completeness checks for government service applications"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// (Parsed once per run: the size of the `serve` variant does not matter.)
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Check a submission and print the verdict JSON (exit 0 whatever the outcome).
    Check {
        #[arg(long)]
        matter: String,
        /// Submission JSON file, or - for standard input.
        #[arg(long)]
        submission: PathBuf,
        /// Options JSON file (`received_at`, `channel` override the submission's).
        #[arg(long)]
        options: Option<PathBuf>,
        /// Load rules from this directory instead of the built-in bundle.
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Print the compact verdict (outcome, finding codes and targets, checklist flags,
        /// pledge availability; no prose) on one line.
        #[arg(long)]
        compact: bool,
    },
    /// List the matters.
    Matters {
        #[arg(long)]
        rules: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Print a matter's definition (the version in force on --on, else the newest) as JSON.
    Matter {
        id: String,
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Lint rule files: `path:line:col: code: message` for every problem (`code (warning)` for
    /// a warning); exit 1 if any error, or any warning with --deny-warnings.
    Lint {
        #[arg(default_value = "rules")]
        dir: PathBuf,
        /// Fail on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Due date of a period: --from YYYY-MM-DD --days N --unit working|natural.
    Deadline {
        #[arg(long)]
        from: String,
        #[arg(long, allow_negative_numbers = true)]
        days: i64,
        #[arg(long, default_value = "working")]
        unit: String,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        rules: Option<PathBuf>,
    },
    /// Write the JSON Schemas generated from the rule types (or --check they are current).
    Schema {
        #[arg(default_value = "rules/schema")]
        dir: PathBuf,
        #[arg(long)]
        check: bool,
    },
    /// Print a rules directory as a bundle JSON (`{"files":[{path,text,json}]}`: each file's
    /// TOML text and its JSON form) for run-time loading; with --sign, write a signed bundle
    /// directory instead (--out DIR: bundle.json and files/<sha256>.json; docs/bundles.md).
    Bundle {
        #[arg(default_value = "rules")]
        dir: PathBuf,
        /// Sign with this key file (`qiquan keygen --out FILE`) and write a signed bundle.
        #[arg(long, requires_all = ["revision", "out"])]
        sign: Option<PathBuf>,
        /// The bundle's revision (1–128 of A-Z a-z 0-9 . _ - + :), named in every verdict.
        #[arg(long, requires = "sign")]
        revision: Option<String>,
        /// The directory to write the signed bundle into (created; files are added, bundle.json
        /// replaced last).
        #[arg(long, requires = "sign")]
        out: Option<PathBuf>,
    },
    /// Run the HTTP revalidation service (see docs/server.md); stops on SIGTERM or Ctrl-C.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Receipt signing key file (`qiquan keygen --out FILE`).
        #[arg(long)]
        key: Option<PathBuf>,
        /// Development: sign receipts with an ephemeral key when --key is not given.
        #[arg(long)]
        dev: bool,
        /// Development only: the server's clock starts at this instant (RFC 3339) and runs on,
        /// so a test knows the day its documents are dated.
        #[arg(long, requires = "dev")]
        dev_clock: Option<String>,
        #[arg(long, default_value = "www/dist")]
        www: PathBuf,
        #[arg(long, default_value = "pkg")]
        pkg: PathBuf,
        /// Whole-request time limit in seconds, body included (answered 408 past it).
        #[arg(long, default_value_t = 10)]
        request_timeout: u64,
        /// Seconds a client may take to send its request headers (408), or stay idle between
        /// keep-alive requests (closed).
        #[arg(long, default_value_t = 10)]
        header_timeout: u64,
        /// Seconds a response write may make no progress (the client does not read) before the
        /// connection is closed.
        #[arg(long, default_value_t = 10)]
        write_timeout: u64,
        /// Open connections at most; past it new connections are answered 503.
        #[arg(long, default_value_t = 4096)]
        max_connections: usize,
        /// On SIGTERM: seconds open connections may still send requests (answered with
        /// Connection: close) before idle ones are closed.
        #[arg(long, default_value_t = 2)]
        drain: u64,
        /// Log JSON lines on stderr instead of text.
        #[arg(long)]
        log_json: bool,
        /// The case register's database: a SQLite file (created when missing) or a
        /// postgres://user:password@host:port/db URL (several replicas share one).
        #[arg(long, default_value = "qiquan.db")]
        db: String,
        /// Uploaded files (content-addressed); shared by replicas.
        #[arg(long, default_value = "qiquan-data")]
        data_dir: PathBuf,
        /// The key file that hashes and encrypts ID and phone numbers (`qiquan keygen --data`);
        /// default DATA_DIR/data.key, created on first start.
        #[arg(long)]
        data_key: Option<PathBuf>,
        /// Run without the case register (stateless revalidation only).
        #[arg(long)]
        no_register: bool,
        /// Take the rules from this signed bundle (http://…/bundle.json), polled and swapped in
        /// when a new one verifies (docs/bundles.md).
        #[arg(long, requires = "bundle_key")]
        bundle_url: Option<String>,
        /// A trusted bundle signing key: 64 hex digits or a file holding them (repeatable).
        #[arg(long)]
        bundle_key: Vec<String>,
        /// Where the last good bundle is kept (and loaded from at start).
        #[arg(long, default_value = "qiquan-bundle-cache")]
        bundle_cache: PathBuf,
        /// Without --bundle-url: the key file (`qiquan keygen`) that signs the bundle of the
        /// server's own rules the pages load (/v1/rules/); default with --dev an ephemeral key,
        /// else the receipt key (--key).
        #[arg(long, conflicts_with = "bundle_url")]
        bundle_sign_key: Option<PathBuf>,
        /// Seconds between polls of --bundle-url.
        #[arg(long, default_value_t = 30)]
        poll_interval: u64,
        #[command(flatten)]
        access: AccessArgs,
    },
    /// Write a new receipt signing key file (JSON, mode 0600; never overwrites).
    Keygen {
        #[arg(long)]
        out: PathBuf,
        /// A data key (personal-data hashing and encryption) instead of a receipt key.
        #[arg(long)]
        data: bool,
    },
}

/// A line on standard output. A closed pipe (`qiquan check … | head -1`) ends the program
/// quietly with status 0 instead of panicking as `println!` would.
macro_rules! out {
    ($($arg:tt)*) => { write_out(format_args!("{}\n", format_args!($($arg)*))) };
}

/// A line on standard error; a failure to write it is ignored (there is nowhere to report it).
macro_rules! err {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

fn write_out(args: std::fmt::Arguments) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        err!(
            "{}",
            Error::new(
                ErrorCode::Io,
                "无法写入标准输出。",
                "Cannot write to standard output."
            )
            .detail(e.to_string())
            .to_json()
        );
        std::process::exit(2);
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version.
            write_out(format_args!("{e}"));
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let error = Error::new(
                ErrorCode::Usage,
                "命令行参数有误，请运行 qiquan --help 查看用法。",
                "The command line is malformed; run qiquan --help for usage.",
            )
            .detail(e.to_string().trim().to_string());
            err!("{}", error.to_json());
            return ExitCode::from(2);
        }
    };
    match run(cli.command) {
        Ok(code) => code,
        Err(error) => {
            err!("{}", error.to_json());
            ExitCode::from(2)
        }
    }
}

fn engine(rules: Option<&Path>) -> Result<Engine, Error> {
    match rules {
        Some(dir) => Engine::from_dir(dir),
        None => Engine::embedded().cloned(),
    }
}

/// Writes a signed bundle: the files first, then `bundle.json` through a temporary file and a
/// rename, so a static server never serves a manifest whose files are not there yet.
fn write_signed_bundle(out: &Path, written: &qiquan::signed::Written) -> Result<(), Error> {
    let io = |e: std::io::Error| {
        Error::new(
            ErrorCode::Io,
            "无法写入规则包目录。",
            "Cannot write the bundle directory.",
        )
        .at(out.display().to_string())
        .detail(e.to_string())
    };
    let files = out.join("files");
    std::fs::create_dir_all(&files).map_err(io)?;
    for (sha256, bytes) in &written.files {
        std::fs::write(files.join(format!("{sha256}.json")), bytes).map_err(io)?;
    }
    let temporary = out.join(".bundle.json.tmp");
    std::fs::write(&temporary, format!("{}\n", written.envelope)).map_err(io)?;
    std::fs::rename(&temporary, out.join("bundle.json")).map_err(io)
}

/// Most bytes counted (not kept) to report the size of an oversized input.
const MAX_COUNTED_BYTES: u64 = 64 * 1024 * 1024;

/// Reads an input file (or `-` for standard input) as bytes: at most the size limit is kept;
/// past it the rest is only counted (up to [`MAX_COUNTED_BYTES`]) so the error can give the
/// same size the wasm module and the server give.
fn read_input(path: &Path, what: &str) -> Result<Vec<u8>, Error> {
    let io = |e: std::io::Error| {
        Error::new(
            ErrorCode::Io,
            "无法读取输入文件。",
            "Cannot read the input file.",
        )
        .at(path.display().to_string())
        .detail(e.to_string())
    };
    let limit = qiquan::submission::MAX_SUBMISSION_BYTES as u64;
    let mut reader: Box<dyn Read> = if path == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(path).map_err(io)?)
    };
    let mut bytes = Vec::new();
    (&mut reader)
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        let rest = std::io::copy(
            &mut reader.take(MAX_COUNTED_BYTES - bytes.len() as u64),
            &mut std::io::sink(),
        )
        .map_err(io)?;
        bytes.truncate(limit as usize + 1);
        let counted = limit + 1 + rest;
        return Err(qiquan::input_too_large(what, counted as usize));
    }
    Ok(bytes)
}

fn run(command: Command) -> Result<ExitCode, Error> {
    match command {
        Command::Check {
            matter,
            submission,
            options,
            rules,
            compact,
        } => {
            let engine = engine(rules.as_deref())?;
            let submission = read_input(&submission, "submission")?;
            let submission = qiquan::utf8_input(&submission, "submission")?;
            let options = options.map(|p| read_input(&p, "options")).transpose()?;
            let options = options
                .as_deref()
                .map(|o| qiquan::utf8_input(o, "options"))
                .transpose()?;
            if compact {
                out!(
                    "{}",
                    engine.check_compact_json(&matter, submission, options)?
                );
            } else {
                out!("{}", engine.check_json(&matter, submission, options)?);
            }
        }
        Command::Matters { rules, json } => {
            let matters = engine(rules.as_deref())?.matters();
            if json {
                out!("{}", to_pretty_json(&matters));
            } else {
                for m in matters {
                    let latest = m.versions.last().map(|v| v.version.as_str()).unwrap_or("");
                    out!("{}\t{}\t{}\t{:?}", m.id, m.name.zh, latest, m.case_type);
                }
            }
        }
        Command::Matter { id, on, rules } => {
            let engine = engine(rules.as_deref())?;
            out!("{}", to_pretty_json(engine.matter(&id, on.as_deref())?));
        }
        Command::Lint { dir, deny_warnings } => {
            let sources = qiquan::read_rules_dir(&dir)?;
            let diagnostics = bundle::lint(&sources, Validation::Schema);
            for diagnostic in &diagnostics {
                // Paths as the user can open them.
                out!(
                    "{}",
                    diagnostic.to_string().replacen(
                        &diagnostic.file,
                        &dir.join(&diagnostic.file).display().to_string(),
                        1
                    )
                );
            }
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = diagnostics.len() - errors;
            if errors > 0 || (deny_warnings && warnings > 0) {
                err!(
                    "{errors} error(s), {warnings} warning(s) in {}",
                    dir.display()
                );
                return Ok(ExitCode::from(1));
            }
            if warnings > 0 {
                err!("{warnings} warning(s) in {}", dir.display());
            }
            err!("ok: {} rule files in {}", sources.len(), dir.display());
        }
        Command::Deadline {
            from,
            days,
            unit,
            json,
            rules,
        } => {
            let answer = engine(rules.as_deref())?.deadline(&from, days, &unit)?;
            if json {
                out!("{}", to_pretty_json(&answer));
            } else {
                out!("{}", answer.due);
                if answer.provisional {
                    out!(
                        "provisional: the calendar does not cover every date used; Monday–Friday less the statutory fixed holidays was assumed (调休 unknown)"
                    );
                }
            }
        }
        Command::Schema { dir, check } => {
            let mut stale = false;
            for (name, text) in qiquan::schema::schema_files() {
                let path = dir.join(name);
                if check {
                    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                        err!(
                            "{} is out of date: run `qiquan schema {}`",
                            path.display(),
                            dir.display()
                        );
                        stale = true;
                    }
                } else {
                    std::fs::create_dir_all(&dir)
                        .and_then(|()| std::fs::write(&path, text))
                        .map_err(|e| {
                            Error::new(
                                ErrorCode::Io,
                                "无法写入模式文件。",
                                "Cannot write the schema file.",
                            )
                            .detail(e.to_string())
                        })?;
                    err!("wrote {}", path.display());
                }
            }
            if stale {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Bundle {
            dir,
            sign: Some(key),
            revision: Some(revision),
            out: Some(out),
        } => {
            let sources = qiquan::read_rules_dir(&dir)?;
            let key = server::receipt::ReceiptKey::load(&key)?;
            let written = qiquan::signed::build(&sources, &revision, key.signing_key())?;
            write_signed_bundle(&out, &written)?;
            err!(
                "wrote {} (revision {}, {} files, {}, key id {})",
                out.join("bundle.json").display(),
                revision,
                written.files.len(),
                written.manifest.rules_digest,
                key.key_id()
            );
        }
        Command::Bundle { dir, .. } => {
            let sources = qiquan::read_rules_dir(&dir)?;
            Engine::from_sources(&sources)?;
            // Each file with its JSON form: the page module (no TOML reader) reads that.
            let files: Vec<serde_json::Value> = sources
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "path": s.path,
                        "text": s.text,
                        "json": qiquan::json_form(&s.text),
                    })
                })
                .collect();
            out!("{}", to_pretty_json(&serde_json::json!({ "files": files })));
        }
        Command::Serve {
            addr,
            rules,
            key,
            dev,
            dev_clock,
            www,
            pkg,
            request_timeout,
            header_timeout,
            write_timeout,
            max_connections,
            drain,
            log_json,
            db,
            data_dir,
            data_key,
            no_register,
            bundle_url,
            bundle_key,
            bundle_cache,
            bundle_sign_key,
            poll_interval,
            access,
        } => {
            if let Some(at) = &dev_clock {
                if !server::clock::start_at(at) {
                    return Err(qiquan::Error::new(
                        qiquan::ErrorCode::InvalidDate,
                        format!("--dev-clock 不是 RFC 3339 时刻：{at}"),
                        format!("--dev-clock is not an RFC 3339 instant: {at}"),
                    ));
                }
                eprintln!("qiquan serve: DEV CLOCK — the server's clock started at {at}");
            }
            let seconds = |s: u64| std::time::Duration::from_secs(s.clamp(1, 3600));
            let limits = server::Limits {
                request_timeout: seconds(request_timeout),
                header_timeout: seconds(header_timeout),
                write_timeout: seconds(write_timeout),
                max_connections: max_connections.clamp(1, 1_000_000),
                drain: std::time::Duration::from_secs(drain.min(60)),
                ..server::Limits::default()
            };
            server::serve(server::ServeConfig {
                addr,
                rules,
                key,
                dev,
                www,
                pkg,
                limits,
                log_json,
                register: (!no_register).then_some(server::register::RegisterConfig {
                    db,
                    data_dir,
                    data_key,
                }),
                bundle: bundle_url.map(|url| server::bundle::BundleConfig {
                    url,
                    keys: bundle_key,
                    cache: bundle_cache,
                    interval: std::time::Duration::from_secs(poll_interval.clamp(1, 86_400)),
                }),
                bundle_sign_key,
                access: access.config(dev)?,
            })?
        }
        Command::Keygen { out, data: true } => {
            let key = server::register::crypto::DataKey::create(&out)?;
            err!(
                "wrote {} (key id {}); keep it secret and backed up apart from the database, give the same file to every replica",
                out.display(),
                key.key_id()
            );
        }
        Command::Keygen { out, data: false } => {
            let key = server::receipt::keygen(&out)?;
            err!(
                "wrote {} (key id {}); keep it secret, give the same file to every replica",
                out.display(),
                key.key_id()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `qiquan serve`: who may do what (docs/security.md).
#[derive(clap::Args, Debug)]
struct AccessArgs {
    /// The centre's OpenID provider (issuer URL, exactly as tokens carry it in `iss`); staff
    /// and kiosks sign in with it. Discovery and keys are fetched over plain http:// (put a
    /// TLS-terminating egress proxy in front of an https provider).
    #[arg(long, requires = "oidc_audience")]
    oidc_issuer: Option<String>,
    /// The audience (`aud`) tokens must carry.
    #[arg(long)]
    oidc_audience: Option<String>,
    /// The claim with the roles (clerk, supervisor, auditor, admin, kiosk); a dotted path
    /// reaches into objects (realm_access.roles).
    #[arg(long, default_value = "roles")]
    oidc_roles_claim: String,
    /// The claim naming a clerk's window.
    #[arg(long, default_value = "window")]
    oidc_window_claim: String,
    /// The claim naming the department.
    #[arg(long, default_value = "department")]
    oidc_department_claim: String,
    /// The public client id the pages sign in with (authorization code + PKCE).
    #[arg(long, default_value = "qiquan-pages")]
    oidc_client_id: String,
    /// A built-in OpenID provider at /dev-issuer that signs in dev users WITHOUT A PASSWORD
    /// (one machine, tests). Loopback addresses only; never with --oidc-issuer.
    #[arg(long, conflicts_with = "oidc_issuer")]
    dev_issuer: bool,
    /// Behind an authenticating proxy: the file with the shared key (at least 32 bytes) that
    /// signs its X-Qiquan-Assertion header. Without it the header is ignored.
    #[arg(long)]
    proxy_assertion_key: Option<PathBuf>,
}

impl AccessArgs {
    fn config(self, dev: bool) -> qiquan::Result<server::access::AccessConfig> {
        let proxy_key = match &self.proxy_assertion_key {
            Some(path) => {
                let bytes = std::fs::read(path).map_err(|e| {
                    qiquan::Error::new(
                        qiquan::ErrorCode::Io,
                        "无法读取代理断言密钥文件。",
                        "Cannot read the proxy assertion key file.",
                    )
                    .detail(e.to_string())
                })?;
                let key: Vec<u8> = bytes.trim_ascii().to_vec();
                if key.len() < 32 {
                    return Err(qiquan::Error::new(
                        qiquan::ErrorCode::Usage,
                        "代理断言密钥至少 32 字节。",
                        "The proxy assertion key must be at least 32 bytes.",
                    ));
                }
                Some(key)
            }
            None => None,
        };
        let oidc = match (self.oidc_issuer, self.oidc_audience) {
            (Some(issuer), Some(audience)) => Some(server::access::oidc::OidcConfig {
                issuer,
                audience,
                roles_claim: self.oidc_roles_claim,
                window_claim: self.oidc_window_claim,
                department_claim: self.oidc_department_claim,
                client_id: self.oidc_client_id,
            }),
            _ => None,
        };
        Ok(server::access::AccessConfig {
            oidc,
            dev_issuer: self.dev_issuer,
            proxy_key,
            dev_mode: dev || self.dev_issuer,
        })
    }
}
