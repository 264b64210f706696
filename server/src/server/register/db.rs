//! The database: SQLite (a file, the default) or PostgreSQL (`postgres://…`, for replicas),
//! through sqlx's Any driver so every query is one SQL text for both. Placeholders are `$N`
//! (both accept them); types are TEXT and BIGINT only. Migrations are the files in
//! `migrations/`, embedded and applied in order at start-up.

use sqlx::AnyPool;
use sqlx::any::AnyPoolOptions;
use sqlx::pool::PoolConnection;

use qiquan::{Error, ErrorCode, Result};

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
        "0004_pledge_identity",
        include_str!("../../../migrations/0004_pledge_identity.sql"),
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
        let pool = AnyPoolOptions::new()
            .max_connections(connections)
            .acquire_timeout(std::time::Duration::from_secs(30))
            .connect(&url)
            .await
            .map_err(|e| db_error(e).at(redact_url(db)))?;
        let db = Db { pool, backend };
        db.migrate().await?;
        Ok(db)
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
        assert_eq!(
            redact_url("postgres://qq:secret@127.0.0.1:55432/qq"),
            "postgres://qq:***@127.0.0.1:55432/qq"
        );
    }
}
