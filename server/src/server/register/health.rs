//! Whether the register can keep what it acknowledges: the last commit's fate and the database
//! file's identity. `/healthz` answers 503 and `qiquan_register_healthy` reads 0 while either is
//! wrong; a failed commit clears with the next successful one, a lost database file only with a
//! restart (the server cannot know what became of the file it had open).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// What makes the register unhealthy, as `/healthz` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Fault {
    /// The last write's commit failed (disk full, I/O error, database unreachable).
    CommitFailed,
    /// PostgreSQL does not answer (the probe's connection failed).
    DatabaseUnreachable,
    /// The SQLite file the server opened was deleted or replaced under it.
    DatabaseReplaced,
}

/// A file's identity: device and inode. A file replaced by rename or deleted and recreated
/// has another; a deleted one has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    pub(crate) fn of(path: &Path) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path).ok()?;
        Some(FileId {
            dev: meta.dev(),
            ino: meta.ino(),
        })
    }
}

/// The register's health, shared by every request.
#[derive(Debug, Default)]
pub(crate) struct Health {
    commit_failed: AtomicBool,
    unreachable: AtomicBool,
    replaced: AtomicBool,
    failed_commits: AtomicU64,
    /// The SQLite file and its identity when opened; None for PostgreSQL.
    file: Mutex<Option<(PathBuf, FileId)>>,
}

impl Health {
    /// Remembers the identity of the SQLite file just opened.
    pub(crate) fn watch(&self, path: PathBuf) {
        if let Some(id) = FileId::of(&path) {
            *self.file.lock().unwrap_or_else(|p| p.into_inner()) = Some((path, id));
        }
    }

    /// False (and unhealthy from now on) when the watched file is gone or another file.
    pub(crate) fn file_intact(&self) -> bool {
        if self.replaced.load(Ordering::Acquire) {
            return false;
        }
        let guard = self.file.lock().unwrap_or_else(|p| p.into_inner());
        let Some((path, id)) = guard.as_ref() else {
            return true;
        };
        if FileId::of(path) == Some(*id) {
            return true;
        }
        tracing::error!(
            path = %path.display(),
            "the register database file was deleted or replaced under the running server: writes refused until restart"
        );
        self.replaced.store(true, Ordering::Release);
        false
    }

    pub(crate) fn set_reachable(&self, reachable: bool) {
        if self.unreachable.swap(!reachable, Ordering::AcqRel) == reachable {
            if reachable {
                tracing::info!("the register database answers again");
            } else {
                tracing::error!("the register database does not answer: requests refused with 503");
            }
        }
    }

    pub(crate) fn unreachable(&self) -> bool {
        self.unreachable.load(Ordering::Acquire)
    }

    pub(crate) fn commit_failed(&self) {
        self.failed_commits.fetch_add(1, Ordering::Relaxed);
        self.commit_failed.store(true, Ordering::Release);
    }

    pub(crate) fn commit_succeeded(&self) {
        self.commit_failed.store(false, Ordering::Release);
    }

    /// What is wrong now (empty: healthy).
    pub(crate) fn faults(&self) -> Vec<Fault> {
        let mut out = Vec::new();
        if self.commit_failed.load(Ordering::Acquire) {
            out.push(Fault::CommitFailed);
        }
        if self.unreachable() {
            out.push(Fault::DatabaseUnreachable);
        }
        if self.replaced.load(Ordering::Acquire) || !self.file_intact() {
            out.push(Fault::DatabaseReplaced);
        }
        out
    }

    /// The Prometheus lines of the register's health.
    pub(crate) fn render(&self) -> String {
        let healthy = u8::from(self.faults().is_empty());
        format!(
            "# HELP qiquan_register_healthy 1 when the register can store what it acknowledges, 0 after a failed commit (until a write succeeds) or with its database file lost.\n\
             # TYPE qiquan_register_healthy gauge\n\
             qiquan_register_healthy {healthy}\n\
             # HELP qiquan_register_failed_commits_total Writes whose commit failed (answered 503, nothing kept).\n\
             # TYPE qiquan_register_failed_commits_total counter\n\
             qiquan_register_failed_commits_total {}\n",
            self.failed_commits.load(Ordering::Relaxed)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_commit_is_unhealthy_until_one_succeeds() {
        let health = Health::default();
        assert!(health.faults().is_empty());
        health.commit_failed();
        assert_eq!(health.faults(), vec![Fault::CommitFailed]);
        assert!(health.render().contains("qiquan_register_healthy 0"));
        health.commit_succeeded();
        assert!(health.faults().is_empty());
        assert!(
            health
                .render()
                .contains("qiquan_register_failed_commits_total 1")
        );
    }

    #[test]
    fn a_replaced_file_stays_unhealthy() {
        let dir = std::env::temp_dir().join(format!("qiquan-health-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("db");
        std::fs::write(&path, b"one").expect("write");
        let health = Health::default();
        health.watch(path.clone());
        assert!(health.file_intact());
        let other = dir.join("db2");
        std::fs::write(&other, b"two").expect("write");
        std::fs::rename(&other, &path).expect("rename");
        assert!(!health.file_intact());
        // Even the original back in place does not make it whole: what was written meanwhile
        // went elsewhere.
        assert_eq!(health.faults(), vec![Fault::DatabaseReplaced]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
