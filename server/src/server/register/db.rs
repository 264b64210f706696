//! The database: SQLite (a file, the default) or PostgreSQL (`postgres://…`, for replicas),
//! through sqlx's Any driver so every query is one SQL text for both. Placeholders are `$N`
//! (both accept them); types are TEXT and BIGINT only. Migrations are the files in
//! `migrations/`, embedded and applied in order at start-up.

use std::sync::Arc;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::pool::PoolConnection;
use sqlx::{AnyPool, Connection};

use super::error::{RegisterError, RegisterResult};
use super::health::Health;
use qiquan::{Error, ErrorCode, Result};

/// A transaction on the register's database.
pub(crate) type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// The embedded migrations, in order: (version, name, SQL).
pub(crate) const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "0001_register",
        include_str!("../../../migrations/0001_register.sql"),
    ),
    (
        2,
        "0002_checked_states",
        include_str!("../../../migrations/0002_checked_states.sql"),
    ),
    (
        3,
        "0003_access",
        include_str!("../../../migrations/0003_access.sql"),
    ),
    (
        4,
        "0004_resume_provisional",
        include_str!("../../../migrations/0004_resume_provisional.sql"),
    ),
    (
        5,
        "0005_register_meta",
        include_str!("../../../migrations/0005_register_meta.sql"),
    ),
    (
        6,
        "0006_pledge_identity",
        include_str!("../../../migrations/0006_pledge_identity.sql"),
    ),
    (
        7,
        "0007_case_steps",
        include_str!("../../../migrations/0007_case_steps.sql"),
    ),
    (
        8,
        "0008_owner",
        include_str!("../../../migrations/0008_owner.sql"),
    ),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

/// A connected, migrated database.
#[derive(Clone)]
pub(crate) struct Db {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
    pub(crate) health: Arc<Health>,
}

fn db_error(e: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::Io,
        "无法打开登记簿数据库。",
        "Cannot open the register database.",
    )
    .detail(e.to_string())
}

/// `--db` as a connection URL: a PostgreSQL URL as it is, anything else a SQLite file path
/// (created when missing).
pub(crate) fn url_of(db: &str) -> (Backend, String) {
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        (Backend::Postgres, db.to_string())
    } else if db.starts_with("sqlite:") {
        (Backend::Sqlite, db.to_string())
    } else {
        (Backend::Sqlite, format!("sqlite://{db}?mode=rwc"))
    }
}

/// The file a SQLite URL names (None for an in-memory database).
fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| path.into())
}

impl Db {
    pub(crate) async fn connect(db: &str) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let (backend, url) = url_of(db);
        // SQLite takes one writer at a time anyway: one connection queues the requests in this
        // process instead of failing them with SQLITE_BUSY.
        let connections = match backend {
            Backend::Sqlite => 1,
            Backend::Postgres => 8,
        };
        // A request waits this long for a busy connection (SQLite's queue of writers, a burst on
        // PostgreSQL's eight). PostgreSQL down is answered sooner: see `probe` and `begin`.
        let acquire = Duration::from_secs(8);
        let pool = AnyPoolOptions::new()
            .max_connections(connections)
            .acquire_timeout(acquire)
            // A connection still inside a transaction when it comes back (its COMMIT or
            // ROLLBACK failed: sqlx then keeps its transaction depth at 1, and the next BEGIN
            // would become a SAVEPOINT inside the dead transaction, whose RELEASE commits
            // nothing) is closed, never reused.
            .after_release(|conn, _meta| {
                Box::pin(async move {
                    if conn.is_in_transaction() {
                        tracing::warn!("connection returned inside a transaction: discarded");
                        return Ok(false);
                    }
                    Ok(true)
                })
            })
            .connect(&url)
            .await
            .map_err(|e| db_error(e).at(redact_url(db)))?;
        let health = Arc::new(Health::default());
        if backend == Backend::Sqlite
            && let Some(file) = sqlite_file(&url)
        {
            health.watch(file);
        }
        let db = Db {
            pool,
            backend,
            health,
        };
        db.migrate().await?;
        if backend == Backend::Postgres {
            tokio::spawn(probe(url, db.health.clone()));
        }
        Ok(db)
    }

    /// Begins a write; refused when the database file is not the one opened.
    pub(crate) async fn begin(&self) -> RegisterResult<Tx> {
        if !self.health.file_intact() {
            return Err(RegisterError::database_replaced());
        }
        if self.health.unreachable() {
            return Err(RegisterError::unavailable(
                "the probe cannot reach the database",
            ));
        }
        // Waiting for a connection ends as soon as the probe finds the database gone.
        let begin = self.pool.begin();
        tokio::pin!(begin);
        loop {
            tokio::select! {
                tx = &mut begin => return Ok(tx?),
                () = tokio::time::sleep(Duration::from_millis(200)) => {
                    if self.health.unreachable() {
                        return Err(RegisterError::unavailable("the database went away while waiting"));
                    }
                }
            }
        }
    }

    /// Commits a write, the only way a handler may: a failed commit answers 503 `not_stored`
    /// (its connection is discarded on release, see `after_release`) and makes the register
    /// unhealthy until a commit succeeds; a commit into a file no longer the database's answers
    /// 503 `database_replaced`.
    pub(crate) async fn commit(&self, tx: Tx) -> RegisterResult<()> {
        if !self.health.file_intact() {
            drop(tx);
            return Err(RegisterError::database_replaced());
        }
        if let Err(error) = tx.commit().await {
            self.health.commit_failed();
            return Err(RegisterError::not_stored(error));
        }
        if !self.health.file_intact() {
            return Err(RegisterError::database_replaced());
        }
        self.health.commit_succeeded();
        Ok(())
    }

    async fn migrate(&self) -> Result<()> {
        let mut conn = self.pool.acquire().await.map_err(db_error)?;
        if self.backend == Backend::Sqlite {
            wal(&mut conn).await;
        } else {
            // Replicas starting together migrate one at a time.
            sqlx::query("SELECT pg_advisory_lock(7254001)")
                .execute(&mut *conn)
                .await
                .map_err(db_error)?;
        }
        let result = apply(&mut conn).await;
        if self.backend == Backend::Postgres {
            let _ = sqlx::query("SELECT pg_advisory_unlock(7254001)")
                .execute(&mut *conn)
                .await;
        }
        result
    }
}

impl Db {
    /// The register's id in the database, created when there is none (the first start).
    /// `claim` is the id to store if none is; the stored one is returned either way.
    pub(crate) async fn register_id(&self, claim: &str) -> Result<(String, bool)> {
        let existing: Option<String> =
            sqlx::query_scalar("SELECT value FROM register_meta WHERE name = 'register_id'")
                .fetch_optional(&self.pool)
                .await
                .map_err(db_error)?;
        if let Some(id) = existing {
            return Ok((id, false));
        }
        sqlx::query(
            "INSERT INTO register_meta (name, value) VALUES ('register_id', $1) ON CONFLICT (name) DO NOTHING",
        )
        .bind(claim.to_string())
        .execute(&self.pool)
        .await
        .map_err(db_error)?;
        let id: String =
            sqlx::query_scalar("SELECT value FROM register_meta WHERE name = 'register_id'")
                .fetch_one(&self.pool)
                .await
                .map_err(db_error)?;
        Ok((id, true))
    }
}

/// PostgreSQL's liveness, once a second on a connection of its own: a request is answered 503
/// at once while it does not answer, instead of waiting out the pool's acquire timeout.
async fn probe(url: String, health: Arc<Health>) {
    const LIMIT: Duration = Duration::from_secs(2);
    let mut conn: Option<sqlx::AnyConnection> = None;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        let alive = match conn.as_mut() {
            Some(c) => matches!(tokio::time::timeout(LIMIT, c.ping()).await, Ok(Ok(()))),
            None => match tokio::time::timeout(LIMIT, sqlx::AnyConnection::connect(&url)).await {
                Ok(Ok(c)) => {
                    conn = Some(c);
                    true
                }
                _ => false,
            },
        };
        if !alive {
            conn = None;
        }
        health.set_reachable(alive);
    }
}

/// Durable and readable while written: WAL with full sync (sqlx's default). Persistent in the
/// file, so when another process holds the database just then, it has set it already or will.
async fn wal(conn: &mut PoolConnection<sqlx::Any>) {
    for attempt in 0..20 {
        match sqlx::query("PRAGMA journal_mode=WAL")
            .execute(&mut **conn)
            .await
        {
            Ok(_) => return,
            Err(error) if attempt == 19 => {
                tracing::warn!(%error, "could not switch the SQLite database to WAL mode");
            }
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
        }
    }
}

/// Applies each migration not yet recorded. Each runs in a transaction that first claims its
/// row in `qiquan_migrations` (a write, so concurrent starters queue on it and the loser sees
/// the row and skips), then runs the statements.
async fn apply(conn: &mut PoolConnection<sqlx::Any>) -> Result<()> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS qiquan_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL)",
    )
    .execute(&mut **conn)
    .await
    .map_err(db_error)?;
    for (version, name, sql) in MIGRATIONS {
        let mut tx = sqlx::Acquire::begin(&mut **conn).await.map_err(db_error)?;
        let claimed = sqlx::query(
            "INSERT INTO qiquan_migrations (version, name) VALUES ($1, $2) ON CONFLICT (version) DO NOTHING",
        )
        .bind(*version)
        .bind(*name)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if claimed.rows_affected() == 0 {
            continue;
        }
        for statement in statements(sql) {
            sqlx::query(&statement)
                .execute(&mut *tx)
                .await
                .map_err(|e| db_error(e).at(name.to_string()))?;
        }
        tx.commit().await.map_err(db_error)?;
    }
    Ok(())
}

/// A migration's statements: comment lines dropped, split at a `;` that ends a line.
fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in sql.lines() {
        let line = line.trim_end();
        if line.trim_start().starts_with("--") || line.is_empty() {
            continue;
        }
        current.push_str(line);
        current.push('\n');
        if line.ends_with(';') {
            out.push(current.trim().trim_end_matches(';').to_string());
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// A database URL without its password, for messages and logs.
pub(crate) fn redact_url(db: &str) -> String {
    match (db.find("://"), db.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &db[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &db[..scheme + 3],
                    &credentials[..colon],
                    &db[at..]
                ),
                None => db.to_string(),
            }
        }
        _ => db.to_string(),
    }
}

/// True when the error is a unique-constraint violation (the idempotency key, a number or a
/// hand-over code taken by a concurrent request).
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_split_into_statements() {
        let all = statements(MIGRATIONS[0].2);
        assert!(all.len() >= 8, "{all:?}");
        assert!(all.iter().all(|s| !s.contains(';')));
        assert!(all[0].starts_with("CREATE TABLE IF NOT EXISTS applications"));
    }

    #[test]
    fn urls() {
        assert_eq!(url_of("qiquan.db").1, "sqlite://qiquan.db?mode=rwc");
        assert_eq!(url_of("postgres://u@h/d").0, Backend::Postgres);
        assert_eq!(sqlite_file(&url_of("/d/q.db").1), Some("/d/q.db".into()));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(
            redact_url("postgres://qq:secret@127.0.0.1:55432/qq"),
            "postgres://qq:***@127.0.0.1:55432/qq"
        );
    }
}
