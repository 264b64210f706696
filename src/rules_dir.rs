//! Reading a rules directory (`--rules DIR`, `qiquan lint DIR`) without trusting the
//! filesystem: only regular files inside the directory are read, a symbolic link is followed
//! only when it stays inside, a directory is never entered twice (no loops), FIFOs, devices and
//! sockets are refused before they are opened, and every file and the whole directory have a
//! size limit. Each refusal is an error with its own stable code.

use std::collections::BTreeSet;
use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::{Error, ErrorCode, Result, SourceFile};

/// Largest rule file read, in bytes (the largest shipped one is about 20 KB).
pub const MAX_RULE_FILE_BYTES: u64 = 1024 * 1024;
/// Largest rules directory read, all files together, in bytes (the wasm module's bundle limit).
pub const MAX_RULES_BYTES: u64 = 16 * 1024 * 1024;
/// Deepest directory nesting under `matters/` or `calendar/`.
const MAX_DEPTH: usize = 8;

/// The subdirectories read, in this order.
const SUBDIRS: [&str; 2] = ["matters", "calendar"];

struct Walk {
    /// The directory as given (for the relative paths of the sources).
    root: PathBuf,
    /// The directory with every symbolic link resolved: everything read must lie under it.
    real_root: PathBuf,
    /// Directories entered, resolved: a second visit is a loop.
    visited: BTreeSet<PathBuf>,
    total: u64,
    out: Vec<SourceFile>,
}

/// Reads `DIR/centre.toml` (the optional centre profile), `DIR/matters/**.toml` and
/// `DIR/calendar/**.toml` into sources (paths relative to
/// `DIR`, with `/`), in path order. Hidden entries (names starting with `.`) are skipped.
pub fn read_rules_dir(dir: &Path) -> Result<Vec<SourceFile>> {
    let real_root = std::fs::canonicalize(dir).map_err(|e| io(dir, e))?;
    if !real_root.is_dir() {
        return Err(Error::new(
            ErrorCode::Io,
            "规则路径不是目录。",
            "The rules path is not a directory.",
        )
        .at(dir.display().to_string()));
    }
    let mut walk = Walk {
        root: dir.to_path_buf(),
        real_root,
        visited: BTreeSet::new(),
        total: 0,
        out: Vec::new(),
    };
    let centre = dir.join(crate::centre::CENTRE_PATH);
    if std::fs::symlink_metadata(&centre).is_ok() {
        let (_, metadata) = walk.resolve(&centre)?;
        walk.file(&centre, &metadata)?;
    }
    for sub in SUBDIRS {
        let path = dir.join(sub);
        if std::fs::symlink_metadata(&path).is_ok() {
            let (real, metadata) = walk.resolve(&path)?;
            if metadata.is_dir() {
                walk.dir(&path, &real, 0)?;
            }
        }
    }
    Ok(walk.out)
}

impl Walk {
    /// The entry's real path and metadata (symbolic links followed), refused when it leaves
    /// the rules directory or cannot be resolved (a loop of links, a dangling link).
    fn resolve(&self, path: &Path) -> Result<(PathBuf, Metadata)> {
        let real = std::fs::canonicalize(path).map_err(|e| {
            if e.raw_os_error() == Some(ELOOP) {
                symlink_loop(path)
            } else {
                io(path, e)
            }
        })?;
        if !real.starts_with(&self.real_root) {
            return Err(Error::new(
                ErrorCode::RulesOutsideDir,
                "规则目录中的符号链接指向目录之外，拒绝读取。请把规则文件本身放入目录。",
                "A symbolic link in the rules directory points outside it and is not followed; put the rule file itself in the directory.",
            )
            .at(path.display().to_string()));
        }
        // `metadata` of the resolved path: a stat, never an open, so a FIFO cannot block here.
        let metadata = std::fs::metadata(&real).map_err(|e| io(path, e))?;
        Ok((real, metadata))
    }

    fn dir(&mut self, dir: &Path, real: &Path, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH || !self.visited.insert(real.to_path_buf()) {
            return Err(symlink_loop(dir));
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| io(dir, e))?
            .map(|entry| entry.map(|e| e.path()).map_err(|e| io(dir, e)))
            .collect::<Result<_>>()?;
        entries.sort();
        for path in entries {
            let hidden = path
                .file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            let (real, metadata) = self.resolve(&path)?;
            if metadata.is_dir() {
                self.dir(&path, &real, depth + 1)?;
            } else if path.extension().is_some_and(|e| e == "toml") {
                self.file(&path, &metadata)?;
            }
        }
        Ok(())
    }

    fn file(&mut self, path: &Path, metadata: &Metadata) -> Result<()> {
        if !metadata.is_file() {
            return Err(not_regular(path));
        }
        if metadata.len() > MAX_RULE_FILE_BYTES {
            return Err(file_too_large(path, metadata.len()));
        }
        let text = read_regular(path, self.total)?;
        self.total += text.len() as u64;
        let relative = path
            .strip_prefix(&self.root)
            .unwrap_or(path)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        self.out.push(SourceFile {
            path: relative,
            text,
        });
        Ok(())
    }
}

/// Opens without blocking (a FIFO swapped in after the check cannot hang the open), checks
/// again on the open handle that it is a regular file, and reads at most the limits.
fn read_regular(path: &Path, total: u64) -> Result<String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(O_NONBLOCK);
    }
    let file: File = options.open(path).map_err(|e| io(path, e))?;
    let metadata = file.metadata().map_err(|e| io(path, e))?;
    if !metadata.is_file() {
        return Err(not_regular(path));
    }
    let mut bytes = Vec::new();
    file.take(MAX_RULE_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io(path, e))?;
    let len = bytes.len() as u64;
    if len > MAX_RULE_FILE_BYTES {
        return Err(file_too_large(path, len));
    }
    if total + len > MAX_RULES_BYTES {
        return Err(Error::new(
            ErrorCode::RulesTooLarge,
            format!("规则目录过大：规则文件合计超过 {MAX_RULES_BYTES} 字节。"),
            format!("The rules directory is too large: its rule files exceed {MAX_RULES_BYTES} bytes together."),
        )
        .at(path.display().to_string()));
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::new(
            ErrorCode::Io,
            "规则文件不是 UTF-8 编码。",
            "The rule file is not UTF-8.",
        )
        .at(path.display().to_string())
        .detail(e.to_string())
    })
}

/// `O_NONBLOCK` on Linux (every architecture Rust supports there but alpha/parisc/sparc/mips).
#[cfg(target_os = "linux")]
const O_NONBLOCK: i32 = 0o4000;
/// `ELOOP` on Linux.
const ELOOP: i32 = 40;

fn io(path: &Path, e: std::io::Error) -> Error {
    Error::new(
        ErrorCode::Io,
        "无法读取规则目录。",
        "Cannot read the rules directory.",
    )
    .at(path.display().to_string())
    .detail(e.to_string())
}

fn symlink_loop(path: &Path) -> Error {
    Error::new(
        ErrorCode::RulesLoop,
        "规则目录中的符号链接构成循环（或目录嵌套过深），拒绝读取。",
        "Symbolic links in the rules directory form a loop (or directories nest too deeply); not read.",
    )
    .at(path.display().to_string())
}

fn not_regular(path: &Path) -> Error {
    Error::new(
        ErrorCode::RulesNotRegularFile,
        "规则文件不是普通文件（如命名管道或设备），拒绝读取。",
        "The rule file is not a regular file (e.g. a named pipe or a device) and is not read.",
    )
    .at(path.display().to_string())
}

fn file_too_large(path: &Path, len: u64) -> Error {
    Error::new(
        ErrorCode::RulesFileTooLarge,
        format!("规则文件过大（至少 {len} 字节），上限为 {MAX_RULE_FILE_BYTES} 字节。"),
        format!(
            "The rule file is too large (at least {len} bytes); the limit is {MAX_RULE_FILE_BYTES} bytes."
        ),
    )
    .at(path.display().to_string())
}
