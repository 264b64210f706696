//! Uploaded files, stored content-addressed: `<data-dir>/files/<first 2 hex>/<sha256 hex>`.
//! A file is streamed to a temporary file (hashed and counted as it arrives, refused past its
//! limit), synced, then renamed into place; the same bytes are stored once.

use std::path::{Path, PathBuf};

use axum::body::Body;
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

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
        Ok(Self {
            root: data_dir.to_path_buf(),
        })
    }

    pub(crate) fn path_of(&self, sha256: &str) -> PathBuf {
        self.root.join("files").join(&sha256[..2]).join(sha256)
    }

    /// Streams `body` into the store; refuses more than `max_bytes` and content that does not
    /// look like `content_type`.
    pub(crate) async fn put(
        &self,
        body: Body,
        max_bytes: u64,
        content_type: &str,
    ) -> RegisterResult<Stored> {
        let temp = self
            .root
            .join("tmp")
            .join(hex(&rand_bytes().map_err(RegisterError::storage)?));
        let result = self.write(&temp, body, max_bytes, content_type).await;
        if result.is_err() {
            let _ = tokio::fs::remove_file(&temp).await;
        }
        result
    }

    async fn write(
        &self,
        temp: &Path,
        mut body: Body,
        max_bytes: u64,
        content_type: &str,
    ) -> RegisterResult<Stored> {
        let mut file = tokio::fs::File::create(temp)
            .await
            .map_err(RegisterError::storage)?;
        let mut hasher = Sha256::new();
        let mut total: u64 = 0;
        let mut head: Vec<u8> = Vec::with_capacity(16);
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| {
                RegisterError::invalid(
                    "文件上传中断，请重试。",
                    "The upload was interrupted; please retry.",
                )
            })?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            total += data.len() as u64;
            if total > max_bytes {
                return Err(too_large(max_bytes));
            }
            if head.len() < 16 {
                let take = (16 - head.len()).min(data.len());
                head.extend_from_slice(&data[..take]);
            }
            hasher.update(&data);
            file.write_all(&data)
                .await
                .map_err(RegisterError::storage)?;
        }
        if total == 0 {
            return Err(RegisterError::invalid(
                "上传的文件是空的。",
                "The uploaded file is empty.",
            ));
        }
        if !looks_like(content_type, &head) {
            return Err(RegisterError::new(
                RegisterCode::FileTypeNotAccepted,
                format!("文件内容不是声明的类型 {content_type}。"),
                format!("The file's content is not the declared type {content_type}."),
            ));
        }
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
        Ok(Stored {
            sha256,
            bytes: total,
        })
    }
}

pub(crate) fn too_large(max_bytes: u64) -> RegisterError {
    RegisterError::new(
        RegisterCode::FileTooLarge,
        format!("文件过大：该材料的上限为 {max_bytes} 字节，请压缩或分页后重传。"),
        format!(
            "The file is too large: this material's limit is {max_bytes} bytes; compress it and upload again."
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_signatures() {
        assert!(looks_like("application/pdf", b"%PDF-1.7\n"));
        assert!(!looks_like("application/pdf", b"\x89PNG\r\n\x1a\n"));
        assert!(looks_like("image/png", b"\x89PNG\r\n\x1a\n...."));
        assert!(!looks_like("image/jpeg", b"GIF89a"));
    }
}
