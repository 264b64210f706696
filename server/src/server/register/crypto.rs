//! Personal data at rest: ID card and phone numbers are never stored in plain text. Each is kept
//! as a keyed hash (HMAC-SHA256, for lookup) and inside the sealed copy of the answers
//! (XChaCha20-Poly1305, for the documents that must show them).
//!
//! Data key file (`qiquan keygen --data --out FILE`, mode 0600), JSON:
//! `{"format": "qiquan-data-key-v1", "key_id": "data:<16 hex>", "hmac_key": "<64 hex>",
//! "encryption_key": "<64 hex>"}`. Every replica needs the same file; losing it makes the sealed
//! answers unreadable, so back it up apart from the database.

use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::server::receipt::hex;
use qiquan::{Error, ErrorCode, Result};

pub(crate) const DATA_KEY_FORMAT: &str = "qiquan-data-key-v1";
const SEALED_PREFIX: &str = "xc20p1:";

/// The keys that hash and seal personal data.
pub(crate) struct DataKey {
    hmac_key: [u8; 32],
    encryption_key: [u8; 32],
    key_id: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    format: String,
    key_id: String,
    hmac_key: String,
    encryption_key: String,
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| {
        Error::new(
            ErrorCode::Io,
            "无法获取随机数。",
            "Cannot get random bytes.",
        )
        .detail(e.to_string())
    })?;
    Ok(bytes)
}

/// 64 hex digits (either case) to 32 bytes.
fn unhex32(text: &str) -> Option<[u8; 32]> {
    qiquan::hex::unhex(&text.to_ascii_lowercase())?
        .try_into()
        .ok()
}

impl DataKey {
    pub(crate) fn from_keys(hmac_key: [u8; 32], encryption_key: [u8; 32]) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(b"qiquan-data-key-id\n");
        hasher.update(hmac_key);
        hasher.update(encryption_key);
        let key_id = format!("data:{}", hex(&hasher.finalize()[..8]));
        Self {
            hmac_key,
            encryption_key,
            key_id,
        }
    }

    pub(crate) fn generate() -> Result<Self> {
        Ok(Self::from_keys(random()?, random()?))
    }

    pub(crate) fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The key file's JSON text (contains the secrets).
    pub(crate) fn to_key_file(&self) -> String {
        let file = KeyFile {
            format: DATA_KEY_FORMAT.into(),
            key_id: self.key_id.clone(),
            hmac_key: hex(&self.hmac_key),
            encryption_key: hex(&self.encryption_key),
        };
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads a key file.
    pub(crate) fn load(path: &Path) -> Result<Self> {
        let bad = |en: &str| {
            Error::new(
                ErrorCode::Io,
                "数据密钥文件无效，请用 qiquan keygen --data --out FILE 生成。",
                format!(
                    "The data key file is not valid ({en}); create one with qiquan keygen --data --out FILE."
                ),
            )
            .at(path.display().to_string())
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(
                ErrorCode::Io,
                "无法读取数据密钥文件。",
                "Cannot read the data key file.",
            )
            .at(path.display().to_string())
            .detail(e.to_string())
        })?;
        let file: KeyFile =
            serde_json::from_str(&text).map_err(|_| bad("not the expected JSON"))?;
        if file.format != DATA_KEY_FORMAT {
            return Err(bad("unknown format"));
        }
        let (Some(mac), Some(enc)) = (unhex32(&file.hmac_key), unhex32(&file.encryption_key))
        else {
            return Err(bad("a key is not 64 hex digits"));
        };
        let key = Self::from_keys(mac, enc);
        if key.key_id != file.key_id {
            return Err(bad("key_id does not match the keys"));
        }
        Ok(key)
    }

    /// Writes a new key file (mode 0600); never overwrites. Atomic: written beside the target
    /// and hard-linked into place, so two processes starting at once read the same key.
    pub(crate) fn create(path: &Path) -> Result<Self> {
        let key = Self::generate()?;
        let io = |e: std::io::Error| {
            Error::new(
                ErrorCode::Io,
                "无法写入数据密钥文件（已存在的文件不会被覆盖）。",
                "Cannot write the data key file (an existing file is never overwritten).",
            )
            .at(path.display().to_string())
            .detail(e.to_string())
        };
        let temp = path.with_extension(format!("tmp{}", hex(&random::<6>()?)));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let written = options.open(&temp).and_then(|mut file| {
            std::io::Write::write_all(&mut file, key.to_key_file().as_bytes())?;
            file.sync_all()
        });
        let linked = written.and_then(|()| std::fs::hard_link(&temp, path));
        let _ = std::fs::remove_file(&temp);
        linked.map_err(io)?;
        Ok(key)
    }

    /// Loads the key file, creating it first when it does not exist.
    pub(crate) fn load_or_create(path: &Path) -> Result<Self> {
        if !path.exists() {
            match Self::create(path) {
                Ok(key) => return Ok(key),
                // Another process created it first.
                Err(_) if path.exists() => {}
                Err(e) => return Err(e),
            }
        }
        Self::load(path)
    }

    /// The lookup hash of a value of a kind (`id_card`, `phone`), normalised first (spaces and
    /// dashes dropped, `x` upper-cased) so the same number always hashes alike.
    pub(crate) fn lookup(&self, kind: &str, value: &str) -> String {
        let normal: String = value
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(&self.hmac_key) else {
            return String::new();
        };
        mac.update(kind.as_bytes());
        mac.update(&[0]);
        mac.update(normal.as_bytes());
        format!("hmac-sha256:{}", hex(&mac.finalize().into_bytes()))
    }

    /// `xc20p1:<hex of nonce ‖ ciphertext>`.
    pub(crate) fn seal(&self, plain: &[u8]) -> Result<String> {
        let cipher = XChaCha20Poly1305::new((&self.encryption_key).into());
        let nonce_bytes = random::<24>()?;
        let sealed = cipher
            .encrypt(XNonce::from_slice(&nonce_bytes), plain)
            .map_err(|_| Error::new(ErrorCode::Io, "加密失败。", "Encryption failed."))?;
        let mut out = String::from(SEALED_PREFIX);
        out.push_str(&hex(&nonce_bytes));
        out.push_str(&hex(&sealed));
        Ok(out)
    }

    /// A sealer for one uploaded file (see [`FileSealer`]).
    pub(crate) fn file_sealer(&self) -> Result<FileSealer> {
        Ok(FileSealer {
            cipher: XChaCha20Poly1305::new((&self.encryption_key).into()),
            prefix: random::<19>()?,
            counter: 0,
        })
    }

    /// The plain bytes of a file sealed by [`FileSealer`]; an error when it was not sealed with
    /// this key, was altered, or is cut short.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn open_file(&self, sealed: &[u8]) -> Result<Vec<u8>> {
        let fail = || {
            Error::new(
                ErrorCode::Io,
                "无法解密已存文件：文件被改动，或数据密钥与写入时的不同？",
                "Cannot decrypt a stored file: altered, or not the data key it was written with?",
            )
        };
        let body = sealed.strip_prefix(FILE_MAGIC).ok_or_else(fail)?;
        let (prefix, mut rest) = body.split_at_checked(19).ok_or_else(fail)?;
        let cipher = XChaCha20Poly1305::new((&self.encryption_key).into());
        let mut plain = Vec::with_capacity(rest.len());
        let mut counter = 0u32;
        loop {
            let take = rest.len().min(FILE_CHUNK + 16);
            let (chunk, after) = rest.split_at(take);
            let last = after.is_empty();
            let nonce = file_nonce(prefix, counter, last);
            plain.extend(
                cipher
                    .decrypt(XNonce::from_slice(&nonce), chunk)
                    .map_err(|_| fail())?,
            );
            if last {
                return Ok(plain);
            }
            rest = after;
            counter = counter.checked_add(1).ok_or_else(fail)?;
        }
    }

    pub(crate) fn open(&self, sealed: &str) -> Result<Vec<u8>> {
        let fail = || {
            Error::new(
                ErrorCode::Io,
                "无法解密已存数据：数据密钥与写入时的不同？",
                "Cannot decrypt stored data: is this the data key it was written with?",
            )
        };
        let text = sealed.strip_prefix(SEALED_PREFIX).ok_or_else(fail)?;
        if text.len() % 2 != 0 || text.len() < 48 || !text.is_ascii() {
            return Err(fail());
        }
        let bytes: Vec<u8> = (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
            .collect::<Option<_>>()
            .ok_or_else(fail)?;
        let (nonce, body) = bytes.split_at(24);
        let cipher = XChaCha20Poly1305::new((&self.encryption_key).into());
        cipher
            .decrypt(XNonce::from_slice(nonce), body)
            .map_err(|_| fail())
    }
}

/// A sealed file starts with this, then a 19-byte random nonce prefix, then the chunks.
pub(crate) const FILE_MAGIC: &[u8] = b"qqseal1\n";
/// Plain bytes per chunk (each sealed chunk is 16 bytes longer: its tag).
pub(crate) const FILE_CHUNK: usize = 64 * 1024;

/// An uploaded file sealed at rest, chunk by chunk as it arrives (the STREAM construction):
/// XChaCha20-Poly1305 with the data key, each chunk's nonce the file's random prefix, the
/// chunk's number and whether it is the last — so chunks cannot be reordered, dropped or the
/// file cut short unnoticed. The content address stays the digest of the plain bytes.
pub(crate) struct FileSealer {
    cipher: XChaCha20Poly1305,
    prefix: [u8; 19],
    counter: u32,
}

fn file_nonce(prefix: &[u8], counter: u32, last: bool) -> [u8; 24] {
    let mut nonce = [0u8; 24];
    nonce[..19].copy_from_slice(prefix);
    nonce[19..23].copy_from_slice(&counter.to_be_bytes());
    nonce[23] = u8::from(last);
    nonce
}

impl FileSealer {
    /// The file's header.
    pub(crate) fn header(&self) -> Vec<u8> {
        let mut out = FILE_MAGIC.to_vec();
        out.extend_from_slice(&self.prefix);
        out
    }

    /// One chunk sealed: `plain` is [`FILE_CHUNK`] bytes, or fewer for the last.
    pub(crate) fn seal(&mut self, plain: &[u8], last: bool) -> Result<Vec<u8>> {
        let nonce = file_nonce(&self.prefix, self.counter, last);
        let fail = || Error::new(ErrorCode::Io, "加密失败。", "Encryption failed.");
        self.counter = self.counter.checked_add(1).ok_or_else(fail)?;
        self.cipher
            .encrypt(XNonce::from_slice(&nonce), plain)
            .map_err(|_| fail())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_seal_in_chunks_and_open_whole_only() {
        let key = DataKey::from_keys([1; 32], [2; 32]);
        for size in [
            1,
            FILE_CHUNK - 1,
            FILE_CHUNK,
            FILE_CHUNK + 1,
            3 * FILE_CHUNK + 7,
        ] {
            let plain: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            let mut sealer = key.file_sealer().expect("sealer");
            let mut file = sealer.header();
            let chunks: Vec<&[u8]> = plain.chunks(FILE_CHUNK).collect();
            for (i, chunk) in chunks.iter().enumerate() {
                file.extend(sealer.seal(chunk, i + 1 == chunks.len()).expect("seal"));
            }
            assert_eq!(key.open_file(&file).expect("open"), plain, "{size}");
            // Cut short at a chunk boundary, altered, or another key: refused.
            if chunks.len() > 1 {
                let cut = FILE_MAGIC.len() + 19 + FILE_CHUNK + 16;
                assert!(key.open_file(&file[..cut]).is_err(), "{size}");
            }
            let mut altered = file.clone();
            let at = altered.len() - 1;
            altered[at] ^= 1;
            assert!(key.open_file(&altered).is_err());
            assert!(
                DataKey::from_keys([1; 32], [3; 32])
                    .open_file(&file)
                    .is_err()
            );
        }
    }

    #[test]
    fn seals_opens_and_hashes() {
        let key = DataKey::from_keys([1; 32], [2; 32]);
        let sealed = key.seal(b"110101199003077777").expect("seal");
        assert!(!sealed.contains("110101199003077777"));
        assert_eq!(key.open(&sealed).expect("open"), b"110101199003077777");
        let other = DataKey::from_keys([1; 32], [3; 32]);
        assert!(other.open(&sealed).is_err());
        assert_eq!(
            key.lookup("id_card", "11010119900307777x"),
            key.lookup("id_card", "11010119900307777X")
        );
        assert_ne!(
            key.lookup("id_card", "110101199003077777"),
            other
                .lookup("id_card", "110101199003077777")
                .replace('a', "b")
        );
        assert!(
            key.lookup("phone", "138 0013 8000")
                .starts_with("hmac-sha256:")
        );
    }

    #[test]
    fn key_file_round_trips() {
        let path = std::env::temp_dir().join(format!("qiquan-data-key-{}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let made = DataKey::create(&path).expect("create");
        assert!(DataKey::create(&path).is_err(), "never overwrites");
        let read = DataKey::load_or_create(&path).expect("load");
        assert_eq!(read.key_id(), made.key_id());
        let _ = std::fs::remove_file(&path);
    }
}
