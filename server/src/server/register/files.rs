//! Uploaded files, stored content-addressed: `<data-dir>/files/<first 2 hex>/<sha256 hex>` (the
//! digest of the plain bytes), sealed at rest with the data key ([`super::crypto::FileSealer`]).
//! A file is streamed to a temporary file (hashed and counted as it arrives, refused past its
//! limit — at once when the declared Content-Length says so — and refused when it arrives slower
//! than [`MIN_RATE`] or stalls), its content checked past the magic bytes ([`content_ok`]),
//! flushed and synced, then renamed into place and the directory synced; the same bytes are
//! stored once.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::crypto::{DataKey, FILE_CHUNK};
use super::error::{RegisterCode, RegisterError, RegisterResult};
use crate::server::receipt::hex;

/// A stored file.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub sha256: String,
    pub(crate) bytes: u64,
}

/// The content-addressed store.
pub(crate) struct FileStore {
    root: PathBuf,
}

impl FileStore {
    pub(crate) fn open(data_dir: &Path) -> qiquan::Result<Self> {
        for sub in ["files", "tmp"] {
            std::fs::create_dir_all(data_dir.join(sub)).map_err(|e| {
                qiquan::Error::new(
                    qiquan::ErrorCode::Io,
                    "无法创建数据目录。",
                    "Cannot create the data directory.",
                )
                .at(data_dir.display().to_string())
                .detail(e.to_string())
            })?;
        }
        // Temporary files left by a killed process: nothing refers to them.
        let mut cleaned = 0;
        if let Ok(entries) = std::fs::read_dir(data_dir.join("tmp")) {
            for entry in entries.flatten() {
                if std::fs::remove_file(entry.path()).is_ok() {
                    cleaned += 1;
                }
            }
        }
        if cleaned > 0 {
            tracing::info!(cleaned, "orphaned upload temp files removed");
        }
        Ok(Self {
            root: data_dir.to_path_buf(),
        })
    }

    pub(crate) fn path_of(&self, sha256: &str) -> PathBuf {
        self.root.join("files").join(&sha256[..2]).join(sha256)
    }

    /// Streams `body` (the file's bytes in chunks, in order; an `Err` is an upload broken off)
    /// into the store; refuses more than `max_bytes` and content that does not look like
    /// `content_type`. `declared` is the size announced before the bytes (0 if none).
    pub(crate) async fn put<S, D, E>(
        &self,
        body: S,
        declared: u64,
        max_bytes: u64,
        content_type: &str,
        key: &DataKey,
    ) -> RegisterResult<Stored>
    where
        S: Stream<Item = Result<D, E>> + Unpin + Send,
        D: AsRef<[u8]> + Send,
    {
        // A declared size above the limit is refused from the header, before a byte is read.
        if declared > max_bytes {
            return Err(too_large(declared, max_bytes));
        }
        let temp = self
            .root
            .join("tmp")
            .join(hex(&rand_bytes().map_err(RegisterError::storage)?));
        let result = self.write(&temp, body, max_bytes, content_type, key).await;
        if result.is_err() {
            let _ = tokio::fs::remove_file(&temp).await;
        }
        result
    }

    async fn write<S, D, E>(
        &self,
        temp: &Path,
        mut body: S,
        max_bytes: u64,
        content_type: &str,
        key: &DataKey,
    ) -> RegisterResult<Stored>
    where
        S: Stream<Item = Result<D, E>> + Unpin + Send,
        D: AsRef<[u8]> + Send,
    {
        let mut file = tokio::fs::File::create(temp)
            .await
            .map_err(RegisterError::storage)?;
        // Sealed at rest as it arrives: no plain byte reaches the disk.
        let mut sealer = key.file_sealer()?;
        file.write_all(&sealer.header())
            .await
            .map_err(RegisterError::storage)?;
        let mut pending: Vec<u8> = Vec::with_capacity(2 * FILE_CHUNK);
        let mut hasher = Sha256::new();
        let mut total: u64 = 0;
        let mut head: Vec<u8> = Vec::with_capacity(4096);
        let mut tail: Vec<u8> = Vec::with_capacity(2 * TAIL);
        let pace = Pace::new(max_bytes);
        loop {
            let chunk = match tokio::time::timeout(pace.wait(total), body.next()).await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(_) => return Err(too_slow()),
            };
            let chunk = chunk.map_err(|_| {
                RegisterError::invalid(
                    "文件上传中断，请重试。",
                    "The upload was interrupted; please retry.",
                )
            })?;
            let data = chunk.as_ref();
            total += data.len() as u64;
            if total > max_bytes {
                return Err(too_large(total, max_bytes));
            }
            if head.len() < HEAD {
                let take = (HEAD - head.len()).min(data.len());
                head.extend_from_slice(&data[..take]);
            }
            tail.extend_from_slice(&data[data.len().saturating_sub(TAIL)..]);
            if tail.len() > TAIL {
                tail.drain(..tail.len() - TAIL);
            }
            hasher.update(data);
            pending.extend_from_slice(data);
            // A chunk goes out once more follows it (the last is marked as such).
            while pending.len() > FILE_CHUNK {
                let sealed = sealer.seal(&pending[..FILE_CHUNK], false)?;
                pending.drain(..FILE_CHUNK);
                file.write_all(&sealed)
                    .await
                    .map_err(RegisterError::storage)?;
            }
        }
        let sealed = sealer.seal(&pending, true)?;
        file.write_all(&sealed)
            .await
            .map_err(RegisterError::storage)?;
        if total == 0 {
            return Err(RegisterError::invalid(
                "上传的文件是空的。",
                "The uploaded file is empty.",
            ));
        }
        if !looks_like(content_type, &head) || !content_ok(content_type, &head, &tail, total) {
            // The type as people call it (PDF, JPG, PNG), not its media type.
            let kind = qiquan::labels::file_types_text(&[content_type.to_string()]);
            return Err(RegisterError::new(
                RegisterCode::FileTypeNotAccepted,
                format!(
                    "文件内容不是完整有效的 {} 文件，请重新导出或拍摄后上传。",
                    kind.zh
                ),
                format!(
                    "The file is not a whole, valid {} file; export or scan it again and upload.",
                    kind.en
                ),
            ));
        }
        // tokio's File writes in the background: a write's error (ENOSPC) surfaces only at the
        // next write or at flush, never at sync_all. Flush first, or a truncated file would be
        // acknowledged.
        file.flush().await.map_err(RegisterError::storage)?;
        file.sync_all().await.map_err(RegisterError::storage)?;
        drop(file);
        let sha256 = hex(&hasher.finalize());
        let target = self.path_of(&sha256);
        if let Some(dir) = target.parent() {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(RegisterError::storage)?;
        }
        if tokio::fs::try_exists(&target).await.unwrap_or(false) {
            let _ = tokio::fs::remove_file(temp).await;
        } else {
            tokio::fs::rename(temp, &target)
                .await
                .map_err(RegisterError::storage)?;
        }
        // The rename is durable only once its directory (and a new directory's parent) is.
        if let Some(dir) = target.parent() {
            sync_dir(dir).await?;
            sync_dir(&self.root.join("files")).await?;
        }
        Ok(Stored {
            sha256,
            bytes: total,
        })
    }
}

/// fsync of a directory: its entries (a rename, a new file) survive a power cut.
async fn sync_dir(dir: &Path) -> RegisterResult<()> {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || std::fs::File::open(&dir)?.sync_all())
        .await
        .map_err(RegisterError::storage)?
        .map_err(RegisterError::storage)
}

/// 413 in the engine's words: `文件过大（11.0 MB），每份材料不超过 10 MB。` — `size` as declared, or
/// as counted when the body went past the limit.
pub(crate) fn too_large(size: u64, max_bytes: u64) -> RegisterError {
    let words = qiquan::labels::upload_words("too_large", "", size, max_bytes, &[]);
    RegisterError::new(RegisterCode::FileTooLarge, words.zh, words.en)
}

/// The slowest an upload may arrive, on average, once [`GRACE`] has passed: a phone on a poor
/// 2G link still manages more.
pub(crate) const MIN_RATE: u64 = 4 * 1024;
/// The start of an upload, free of the rate rule (a link waking up).
const GRACE: Duration = Duration::from_secs(15);
/// The longest wait for the next piece of an upload.
const STALL: Duration = Duration::from_secs(15);
/// The bytes of a file's start and end kept for the content check.
const HEAD: usize = 64 * 1024;
const TAIL: usize = 64 * 1024;

/// An upload's clock: each piece must come within [`STALL`], the whole by the deadline
/// (`GRACE` plus the limit at `MIN_RATE`, at most [`super::UPLOAD_TIMEOUT`]), and after `GRACE`
/// the bytes so far at no less than `MIN_RATE` on average.
struct Pace {
    start: Instant,
    deadline: Duration,
}

impl Pace {
    fn new(max_bytes: u64) -> Pace {
        let deadline =
            (GRACE + Duration::from_secs(max_bytes / MIN_RATE)).min(super::UPLOAD_TIMEOUT);
        Pace {
            start: Instant::now(),
            deadline,
        }
    }

    /// How long the next piece may take given `total` bytes so far (zero: too slow already).
    fn wait(&self, total: u64) -> Duration {
        wait_for(self.start.elapsed(), total, self.deadline)
    }
}

/// The pure rule behind [`Pace::wait`].
fn wait_for(elapsed: Duration, total: u64, deadline: Duration) -> Duration {
    let left = deadline.saturating_sub(elapsed);
    // The time by which `total` bytes should have come at MIN_RATE, after the grace.
    let due = GRACE + Duration::from_secs(total / MIN_RATE);
    let rate_left = due.saturating_sub(elapsed);
    STALL.min(left).min(rate_left.max(if elapsed < GRACE {
        GRACE - elapsed
    } else {
        Duration::ZERO
    }))
}

pub(crate) fn too_slow() -> RegisterError {
    RegisterError::new(
        RegisterCode::UploadTooSlow,
        format!(
            "上传太慢或中断（低于每秒 {} KB），请在网络较好时重传。",
            MIN_RATE / 1024
        ),
        format!(
            "The upload was too slow or stalled (under {} KB/s); please upload again on a better connection.",
            MIN_RATE / 1024
        ),
    )
}

fn rand_bytes() -> Result<[u8; 12], getrandom::Error> {
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes)?;
    Ok(bytes)
}

/// The file starts as `content_type` says (magic numbers); types without a known signature
/// pass.
pub(crate) fn looks_like(content_type: &str, head: &[u8]) -> bool {
    match content_type {
        "application/pdf" => head.starts_with(b"%PDF-"),
        "image/jpeg" => head.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => head.starts_with(b"\x89PNG\r\n\x1a\n"),
        "application/zip" | "application/ofd" => head.starts_with(b"PK\x03\x04"),
        _ => true,
    }
}

/// Past the magic bytes: a PDF has its header version, a `startxref` with an offset inside the
/// file pointing at a cross-reference table (`xref`) or stream (`N G obj`) where that can be
/// seen, and ends with `%%EOF`; a PNG's IHDR and a JPEG's frame header give sane dimensions,
/// the file is no larger than those pixels could make, and it ends as the format ends.
pub(crate) fn content_ok(content_type: &str, head: &[u8], tail: &[u8], total: u64) -> bool {
    match content_type {
        "application/pdf" => pdf_ok(head, tail, total),
        "image/png" => png_dimensions(head)
            .is_some_and(|(w, h)| tail.ends_with(b"IEND\xaeB`\x82") && total <= raw_bound(w, h, 8)),
        "image/jpeg" => jpeg_dimensions(head).is_some_and(|(w, h)| {
            tail.len() >= 2
                && tail[tail.len().saturating_sub(64)..]
                    .windows(2)
                    .any(|w| w == [0xFF, 0xD9])
                && total <= raw_bound(w, h, 6)
        }),
        _ => true,
    }
}

/// The most bytes an image of `w`×`h` can take: `bytes_per_pixel` each, plus room for
/// headers, metadata and a thumbnail.
fn raw_bound(w: u32, h: u32, bytes_per_pixel: u64) -> u64 {
    u64::from(w) * u64::from(h) * bytes_per_pixel + u64::from(h) + 1024 * 1024
}

/// Largest width or height taken as a real scan or photograph.
const MAX_SIDE: u32 = 30_000;

fn sane(w: u32, h: u32) -> Option<(u32, u32)> {
    (w > 0 && h > 0 && w <= MAX_SIDE && h <= MAX_SIDE).then_some((w, h))
}

fn png_dimensions(head: &[u8]) -> Option<(u32, u32)> {
    let ihdr = head.get(8..33)?;
    if ihdr[..8] != *b"\0\0\0\x0dIHDR" {
        return None;
    }
    let w = u32::from_be_bytes(ihdr[8..12].try_into().ok()?);
    let h = u32::from_be_bytes(ihdr[12..16].try_into().ok()?);
    let depth = ihdr[16];
    let color = ihdr[17];
    if ![1, 2, 4, 8, 16].contains(&depth) || ![0, 2, 3, 4, 6].contains(&color) {
        return None;
    }
    sane(w, h)
}

fn jpeg_dimensions(head: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    loop {
        if *head.get(i)? != 0xFF {
            return None;
        }
        let marker = *head.get(i + 1)?;
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([*head.get(i + 2)?, *head.get(i + 3)?]));
        if len < 2 {
            return None;
        }
        // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC).
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            let h = u16::from_be_bytes([*head.get(i + 5)?, *head.get(i + 6)?]);
            let w = u16::from_be_bytes([*head.get(i + 7)?, *head.get(i + 8)?]);
            return sane(u32::from(w), u32::from(h));
        }
        i += 2 + len;
    }
}

fn pdf_ok(head: &[u8], tail: &[u8], total: u64) -> bool {
    let version_ok = head.len() >= 8
        && head.starts_with(b"%PDF-")
        && head[5].is_ascii_digit()
        && head[6] == b'.'
        && head[7].is_ascii_digit();
    let trimmed = tail.trim_ascii_end();
    if !version_ok || !trimmed.ends_with(b"%%EOF") {
        return false;
    }
    let Some(at) = find_last(trimmed, b"startxref") else {
        return false;
    };
    let after = &trimmed[at + b"startxref".len()..trimmed.len() - b"%%EOF".len()];
    let Some(offset) = std::str::from_utf8(after)
        .ok()
        .and_then(|t| t.trim().parse::<u64>().ok())
    else {
        return false;
    };
    if offset >= total {
        return false;
    }
    // Where the offset falls in the bytes kept, it must point at the cross-reference section.
    let tail_start = total - tail.len() as u64;
    let section = if offset < head.len() as u64 {
        Some(&head[offset as usize..])
    } else if offset >= tail_start {
        Some(&tail[(offset - tail_start) as usize..])
    } else {
        None
    };
    section.is_none_or(|s| s.starts_with(b"xref") || is_object_header(s))
}

/// `N G obj` at the start of `bytes`.
fn is_object_header(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(32)]).into_owned();
    let mut parts = text.split_ascii_whitespace();
    parts
        .next()
        .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        && parts
            .next()
            .is_some_and(|g| g.bytes().all(|b| b.is_ascii_digit()))
        && parts.next().is_some_and(|o| o.starts_with("obj"))
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal, valid PDF: header, one object, xref table, trailer, startxref, %%EOF.
    pub(crate) fn minimal_pdf() -> Vec<u8> {
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let obj = pdf.len();
        pdf.extend_from_slice(b"1 0 obj << /Type /Catalog >> endobj\n");
        let xref = pdf.len();
        pdf.extend_from_slice(
            format!(
                "xref\n0 2\n0000000000 65535 f \n{obj:010} 00000 n \ntrailer << /Size 2 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
            )
            .as_bytes(),
        );
        pdf
    }

    #[test]
    fn pdfs_must_parse_to_their_xref() {
        let pdf = minimal_pdf();
        let n = pdf.len() as u64;
        assert!(content_ok("application/pdf", &pdf, &pdf, n));
        // Magic bytes only, truncated, or pointing elsewhere: refused.
        let magic = b"%PDF-1.4\n% a test file\n";
        assert!(!content_ok(
            "application/pdf",
            magic,
            magic,
            magic.len() as u64
        ));
        let cut = &pdf[..pdf.len() - 8];
        assert!(!content_ok("application/pdf", cut, cut, cut.len() as u64));
        let text = String::from_utf8(pdf.clone()).expect("ascii");
        let at = text.rfind("startxref\n").expect("startxref") + "startxref\n".len();
        let wrong = format!("{}{}\n%%EOF\n", &text[..at], 3);
        assert!(!content_ok(
            "application/pdf",
            wrong.as_bytes(),
            wrong.as_bytes(),
            wrong.len() as u64
        ));
        let beyond = format!("{}{}\n%%EOF\n", &text[..at], 999_999);
        assert!(!content_ok(
            "application/pdf",
            beyond.as_bytes(),
            beyond.as_bytes(),
            beyond.len() as u64
        ));
    }

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&w.to_be_bytes());
        png.extend_from_slice(&h.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        png.extend_from_slice(b"\0\0\0\0IEND\xaeB`\x82");
        png
    }

    #[test]
    fn images_must_have_sane_dimensions_that_agree_with_their_size() {
        let ok = png(640, 480);
        assert!(content_ok("image/png", &ok, &ok, ok.len() as u64));
        let zero = png(0, 480);
        assert!(!content_ok("image/png", &zero, &zero, zero.len() as u64));
        let huge = png(100_000, 10);
        assert!(!content_ok("image/png", &huge, &huge, huge.len() as u64));
        // 2×2 pixels cannot take 8 MiB.
        let tiny = png(2, 2);
        assert!(!content_ok("image/png", &tiny, &tiny, 8 * 1024 * 1024));
        let cut = &ok[..ok.len() - 4];
        assert!(!content_ok("image/png", cut, cut, cut.len() as u64));
        // JPEG: SOI, APP0, SOF0 with 480×640, EOI.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xC0, 0, 11, 8];
        jpeg.extend_from_slice(&480u16.to_be_bytes());
        jpeg.extend_from_slice(&640u16.to_be_bytes());
        jpeg.extend_from_slice(&[1, 1, 0x11, 0, 0xFF, 0xD9]);
        assert!(content_ok("image/jpeg", &jpeg, &jpeg, jpeg.len() as u64));
        let mut no_frame = jpeg.clone();
        no_frame[9] = 0xDB;
        assert!(!content_ok(
            "image/jpeg",
            &no_frame[..8],
            &jpeg,
            jpeg.len() as u64
        ));
    }

    #[test]
    fn uploads_must_keep_a_minimum_rate() {
        let deadline = Duration::from_secs(600);
        // In the grace period a slow start is allowed.
        assert!(wait_for(Duration::from_secs(1), 0, deadline) > Duration::ZERO);
        // After it, the bytes so far must have come at MIN_RATE.
        assert_eq!(
            wait_for(GRACE + Duration::from_secs(5), MIN_RATE, deadline),
            Duration::ZERO
        );
        assert!(wait_for(GRACE + Duration::from_secs(5), 10 * MIN_RATE, deadline) > Duration::ZERO);
        // Never past the deadline, never longer than a stall.
        assert_eq!(wait_for(deadline, u64::MAX / 2, deadline), Duration::ZERO);
        assert!(wait_for(Duration::ZERO, 1 << 30, deadline) <= STALL);
    }

    #[test]
    fn sniffs_signatures() {
        assert!(looks_like("application/pdf", b"%PDF-1.7\n"));
        assert!(!looks_like("application/pdf", b"\x89PNG\r\n\x1a\n"));
        assert!(looks_like("image/png", b"\x89PNG\r\n\x1a\n...."));
        assert!(!looks_like("image/jpeg", b"GIF89a"));
    }
}
