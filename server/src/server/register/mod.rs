//! The case register: applications, uploaded materials, document numbers and receipts,
//! hand-over codes and the 容缺 ledger, kept in a real database (SQLite by default, PostgreSQL
//! for replicas) with an append-only audit trail. The rules stay in the engine: the register
//! stores what the engine decided and asks it for every date. See docs/server.md.

pub(crate) mod api;
pub(crate) mod applications;
pub(crate) mod audit;
pub(crate) mod case_api;
pub(crate) mod cases;
pub(crate) mod contacts;
pub(crate) mod crypto;
pub(crate) mod db;
pub(crate) mod error;
pub(crate) mod extract;
pub(crate) mod files;
pub(crate) mod handover;
pub(crate) mod health;
pub(crate) mod ledger;
pub(crate) mod lifecycle;
pub(crate) mod matters;
pub(crate) mod mine;
pub(crate) mod names;
pub(crate) mod numbers;
pub(crate) mod privacy;
pub(crate) mod queue;
pub(crate) mod states;
pub(crate) mod supervision;
pub(crate) mod uploads;
pub(crate) mod views;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crypto::DataKey;
use db::Db;
use error::{RegisterError, RegisterResult};
use files::FileStore;

use super::AppState;
use qiquan::Result;

/// `qiquan serve` register options.
#[derive(Debug, Clone)]
pub(crate) struct RegisterConfig {
    /// A SQLite file path or a `postgres://` URL.
    pub(crate) db: String,
    /// Uploaded files (content-addressed) and, unless `data_key` is given, the data key.
    pub(crate) data_dir: PathBuf,
    /// The data key file (`qiquan keygen --data`); default `<data_dir>/data.key`, created on
    /// first start.
    pub(crate) data_key: Option<PathBuf>,
}

/// The open register.
pub(crate) struct Register {
    pub(crate) db: Db,
    pub(crate) key: DataKey,
    pub(crate) files: FileStore,
}

impl Register {
    pub(crate) async fn open(config: &RegisterConfig) -> Result<Register> {
        let files = FileStore::open(&config.data_dir)?;
        let key = match &config.data_key {
            Some(path) => DataKey::load(path)?,
            None => {
                let path = config.data_dir.join("data.key");
                let key = DataKey::load_or_create(&path)?;
                tracing::warn!(
                    path = %path.display(),
                    key_id = %key.key_id(),
                    "data key kept beside the files: for production pass --data-key and back it up apart from the database"
                );
                key
            }
        };
        let db = Db::connect(&config.db).await?;
        bind_identity(&db, &config.data_dir).await?;
        Ok(Register { db, key, files })
    }
}

/// Binds the database and the data directory to one register (`<data-dir>/register.id`): a
/// database that is new or missing while the data directory has served a register — its file
/// deleted, a wrong path, an empty PostgreSQL database — would start the 文号 counters again at
/// 1 and issue numbers already issued, so the server refuses to start. (To start a new
/// register on purpose, remove `register.id` too.)
async fn bind_identity(db: &Db, data_dir: &std::path::Path) -> Result<()> {
    let marker = data_dir.join("register.id");
    let recorded = std::fs::read_to_string(&marker)
        .ok()
        .map(|t| t.trim().to_string());
    let claim = new_id("reg")
        .map_err(|e| qiquan::Error::new(qiquan::ErrorCode::Io, e.message.zh, e.message.en))?;
    let (id, created) = db.register_id(&claim).await?;
    match recorded {
        Some(recorded) if recorded == id => Ok(()),
        Some(recorded) => Err(qiquan::Error::new(
            qiquan::ErrorCode::Io,
            format!(
                "登记簿数据库（{id}）与数据目录（{recorded}）不属于同一登记簿：数据库丢失或被换成新的？为免重复使用已发出的文号，服务不启动。请恢复原数据库；确需新建登记簿时，删除数据目录中的 register.id。"
            ),
            format!(
                "The register database ({id}) and the data directory ({recorded}) belong to different registers: was the database lost or replaced by a new one? Not starting, so that no document number is issued twice. Restore the database; to start a new register on purpose, remove register.id from the data directory."
            ),
        )
        .at(marker.display().to_string())),
        None => {
            write_marker(&marker, &id).map_err(|e| {
                qiquan::Error::new(
                    qiquan::ErrorCode::Io,
                    "无法写入数据目录中的 register.id。",
                    "Cannot write register.id in the data directory.",
                )
                .at(marker.display().to_string())
                .detail(e.to_string())
            })?;
            if created {
                tracing::info!(register_id = %id, "new register");
            }
            Ok(())
        }
    }
}

fn write_marker(path: &std::path::Path, id: &str) -> std::io::Result<()> {
    use std::io::Write;
    let temp = path.with_extension("id.tmp");
    let mut file = std::fs::File::create(&temp)?;
    file.write_all(format!("{id}\n").as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&temp, path)?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// Uploads stream up to `max_bytes` (10 MiB by default) from phones on slow links: they get
/// this long, not `--request-timeout`.
pub(crate) const UPLOAD_TIMEOUT: Duration = Duration::from_secs(600);

/// The whole-request limit for a route template.
pub(crate) fn request_limit(route: &str, default: Duration) -> Duration {
    if route == "/v1/applications/{id}/materials/{material}" {
        default.max(UPLOAD_TIMEOUT)
    } else {
        default
    }
}

/// `<prefix>_<20 random hex digits>`.
pub(crate) fn new_id(prefix: &str) -> RegisterResult<String> {
    let mut bytes = [0u8; 10];
    getrandom::fill(&mut bytes).map_err(RegisterError::storage)?;
    Ok(format!("{prefix}_{}", crate::server::receipt::hex(&bytes)))
}

/// Sweeps the ledger with the server's date at start-up and then every hour (a sweep is
/// idempotent, so hourly catches the new day soon after midnight whenever the server started),
/// and deletes expired hand-over codes.
pub(crate) fn spawn_sweeper(state: Arc<AppState>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let Some(register) = state.register.as_ref() else {
                return;
            };
            let today = crate::server::clock::today_china();
            match ledger::sweep(&state, register, &today, "system:ledger-sweep").await {
                Ok(report) => tracing::info!(
                    as_of = %today,
                    reminders = report.reminders.len(),
                    overdue = report.overdue.len(),
                    suspended = report.suspended.len(),
                    terminated = report.terminated.len(),
                    "ledger sweep"
                ),
                Err(error) => tracing::warn!(code = error.code.as_str(), "ledger sweep failed"),
            }
            match handover::purge(&register.db.pool).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "expired hand-over codes deleted"),
                Err(error) => tracing::warn!(%error, "hand-over purge failed"),
            }
        }
    });
}
