//! Signed rule bundles (docs/bundles.md): a centre publishes its rules as content-addressed
//! files and a manifest signed with ed25519; servers and browsers verify them against the
//! public keys they trust and run exactly those rules, without a rebuild.
//!
//! Pure and I/O-free, for every build (native and wasm32): [`open`] verifies an envelope and
//! returns its [`Manifest`]; [`verify_file`] / [`verify_entry`] check a file's bytes against
//! it; [`Engine::from_signed`] compiles any subset of the verified files into an [`Engine`] that names the
//! manifest's `rules_digest` and `revision`. [`build`] (builds with TOML) writes a bundle.
//!
//! The signature covers the bytes `qiquan-bundle-v1\n` followed by the payload (the manifest's
//! JSON text exactly as carried in the envelope): domain-separated from receipts
//! (`qiquan-receipt-v2`), so a receipt signature can never pass for a bundle's or back.

use ed25519_compact::{PublicKey, Signature};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use crate::{Engine, Error, ErrorCode, Result, SourceFile};

/// The manifest's `format` this engine reads.
pub const FORMAT: u32 = 1;
/// What the signature covers before the payload.
pub const SIGNING_PREFIX: &str = "qiquan-bundle-v1\n";
/// Largest envelope (`bundle.json`) read, in bytes: ~10^4 matter summaries fit.
pub const MAX_ENVELOPE_BYTES: usize = 16 * 1024 * 1024;
/// Largest bundle file read, in bytes (a rule file is at most 1 MiB of TOML, plus its JSON).
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;
/// Most files a manifest may list.
pub const MAX_FILES: usize = 100_000;
/// Most signatures an envelope may carry.
const MAX_SIGNATURES: usize = 16;
/// Longest revision.
const MAX_REVISION_CHARS: usize = 128;

/// `bundle.json`: the manifest as a JSON string and its signatures.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub payload: String,
    pub signatures: Vec<EnvelopeSignature>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeSignature {
    /// Always `ed25519` (others are skipped).
    pub algorithm: String,
    /// `ed25519:<first 16 hex digits of SHA-256 of the public key>`.
    pub key_id: String,
    /// 128 lowercase hex digits.
    pub signature: String,
}

/// What a signed bundle holds (the envelope's payload).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Manifest {
    pub format: u32,
    /// The publisher's name for this bundle; every verdict from it says it (`rules_revision`).
    pub revision: String,
    /// The digest of all the files' texts (as `qiquan lint`/`--rules` compute it).
    pub rules_digest: String,
    /// The engine version that wrote the bundle.
    pub engine: String,
    /// The issuing office of the centre profile (zh), if the rules carry one.
    pub centre: Option<String>,
    /// As `qiquan matters --json` lists them (`MatterSummary[]`): a client lists matters
    /// without loading them. Kept as the JSON text the signature covers and handed on as is:
    /// the engine never reads it (only that it is an array), so it needs no reader for it.
    #[cfg_attr(feature = "wasm", tsify(type = "MatterSummary[]"))]
    pub matters: Box<RawValue>,
    /// In path order.
    pub files: Vec<ManifestFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct ManifestFile {
    /// The rule file's path under rules/ (`matters/<id>/<version>.toml`, `calendar/2026.toml`).
    pub path: String,
    /// SHA-256 of the file's bytes, 64 lowercase hex digits: its name is `files/<sha256>.json`.
    pub sha256: String,
    pub size: u64,
    /// The matter id of a matter file, else null (calendar, centre).
    pub matter: Option<String>,
}

impl Manifest {
    /// The files of one matter and every file that is no matter's (calendar, centre): what a
    /// client loads to check that matter.
    pub fn files_for_matter(&self, matter: &str) -> Vec<&ManifestFile> {
        self.files
            .iter()
            .filter(|f| f.matter.as_deref().is_none_or(|m| m == matter))
            .collect()
    }

    fn by_sha(&self) -> BySha<'_> {
        let mut files: Vec<&ManifestFile> = self.files.iter().collect();
        crate::order::sort_by(&mut files, |a, b| a.sha256.cmp(&b.sha256));
        BySha(files)
    }
}

/// A manifest's files sorted by SHA-256 (the engine's one sort and a binary search: no hash
/// table instances for these types in the page module).
struct BySha<'a>(Vec<&'a ManifestFile>);

impl<'a> BySha<'a> {
    fn get(&self, sha256: &str) -> Option<&'a ManifestFile> {
        let at = self.0.binary_search_by(|f| f.sha256.as_str().cmp(sha256));
        at.ok().map(|i| self.0[i])
    }
}

/// A bundle file's content (`files/<sha256>.json`): the same object `qiquan bundle` prints
/// per file. Field order is the byte order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileContent {
    pub path: String,
    /// The TOML text (what `rules_digest` covers).
    pub text: String,
    /// The JSON form the page module reads (null when the text has none).
    pub json: Option<String>,
}

/// A file checked against its manifest entry.
#[derive(Debug, Clone)]
pub struct VerifiedFile {
    pub sha256: String,
    pub content: FileContent,
}

/// A public key a client trusts to sign bundles.
#[derive(Debug, Clone)]
pub struct TrustedKey {
    key_id: String,
    key: PublicKey,
}

impl TrustedKey {
    /// From 64 hex digits (the `public_key` of a `qiquan keygen` file).
    pub fn from_hex(text: &str) -> Result<TrustedKey> {
        let bad = || {
            Error::new(
                ErrorCode::InvalidSubmission,
                "受信任的公钥应为 64 位十六进制数字（qiquan keygen 密钥文件中的 public_key）。",
                "A trusted public key must be 64 hex digits (the public_key of a qiquan keygen key file).",
            )
        };
        let bytes: [u8; 32] = unhex(text.trim())
            .and_then(|b| b.try_into().ok())
            .ok_or_else(bad)?;
        // A canonical encoding of a curve point that is not of small order.
        let key = PublicKey::new(bytes);
        key.validate().map_err(|_| bad())?;
        Ok(TrustedKey {
            key_id: key_id(&bytes),
            key,
        })
    }

    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Whether `signature` is this key's ed25519 signature of `message` (RFC 8032 with strict
    /// encodings: canonical `S`, `R` and key, neither `R` nor the key of small order).
    pub fn verifies(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        self.key
            .verify(message, &Signature::new(*signature))
            .is_ok()
    }
}

/// `ed25519:<first 16 hex digits of SHA-256 of the public key>` (as receipts name their key).
pub fn key_id(public_key: &[u8; 32]) -> String {
    let hash = Sha256::digest(public_key);
    format!("ed25519:{}", hex(&hash[..8]))
}

/// The bytes a signature covers.
pub fn signed_bytes(payload: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(SIGNING_PREFIX.len() + payload.len());
    bytes.extend_from_slice(SIGNING_PREFIX.as_bytes());
    bytes.extend_from_slice(payload.as_bytes());
    bytes
}

fn malformed(zh: &str, en: &str) -> Error {
    Error::new(
        ErrorCode::BundleMalformed,
        format!("规则包格式不正确：{zh}"),
        format!("The bundle is malformed: {en}"),
    )
}

fn file_mismatch(path: Option<&str>, zh: &str, en: &str) -> Error {
    let error = Error::new(
        ErrorCode::BundleFileMismatch,
        format!("规则包文件与清单不符（{zh}）：文件被改动或不属于该规则包。"),
        format!(
            "A bundle file does not match the manifest ({en}): it was altered or is not part of this bundle."
        ),
    );
    match path {
        Some(path) => error.at(path.to_string()),
        None => error,
    }
}

/// Verifies an envelope (`bundle.json`'s text) against the trusted keys and returns its
/// manifest: `bundle_untrusted_key` when no signature is by a trusted key,
/// `bundle_signature_invalid` when one is but does not match, `bundle_malformed` /
/// `bundle_format_unsupported` for what is not the format.
pub fn open(envelope_json: &str, trusted: &[TrustedKey]) -> Result<Manifest> {
    if envelope_json.len() > MAX_ENVELOPE_BYTES {
        return Err(malformed(
            &format!(
                "{} 字节，上限为 {MAX_ENVELOPE_BYTES} 字节。",
                envelope_json.len()
            ),
            &format!(
                "{} bytes; the limit is {MAX_ENVELOPE_BYTES}.",
                envelope_json.len()
            ),
        ));
    }
    let envelope: Envelope = crate::json_maps::from_str(envelope_json).map_err(|e| {
        malformed(
            "应为 {\"payload\", \"signatures\"}。",
            "it is not {\"payload\", \"signatures\"}.",
        )
        .detail(e.to_string())
    })?;
    verify_signatures(&envelope, trusted)?;
    let manifest: Manifest = crate::json_maps::from_str(&envelope.payload).map_err(|e| {
        malformed(
            "清单不是预期的 JSON。",
            "the manifest is not the expected JSON.",
        )
        .detail(e.to_string())
    })?;
    if manifest.format != FORMAT {
        return Err(Error::new(
            ErrorCode::BundleFormatUnsupported,
            format!(
                "规则包格式 {} 不受支持（本引擎读取格式 {FORMAT}）。",
                manifest.format
            ),
            format!(
                "Bundle format {} is not supported (this engine reads format {FORMAT}).",
                manifest.format
            ),
        ));
    }
    check_manifest(&manifest)?;
    Ok(manifest)
}

fn verify_signatures(envelope: &Envelope, trusted: &[TrustedKey]) -> Result<()> {
    if envelope.signatures.len() > MAX_SIGNATURES {
        return Err(malformed("签名过多。", "too many signatures."));
    }
    let message = signed_bytes(&envelope.payload);
    let mut by_trusted_key = false;
    for signature in &envelope.signatures {
        let Some(key) = trusted.iter().find(|k| k.key_id == signature.key_id) else {
            continue;
        };
        if signature.algorithm != "ed25519" {
            continue;
        }
        by_trusted_key = true;
        let Some(bytes) = unhex(&signature.signature).and_then(|b| <[u8; 64]>::try_from(b).ok())
        else {
            continue;
        };
        if key.verifies(&message, &bytes) {
            return Ok(());
        }
    }
    Err(if by_trusted_key {
        Error::new(
            ErrorCode::BundleSignatureInvalid,
            "规则包签名与内容不符：规则包是伪造的或已被改动。",
            "The bundle's signature does not match its manifest: it is forged or was altered.",
        )
    } else {
        let keys: Vec<&str> = envelope
            .signatures
            .iter()
            .map(|s| s.key_id.as_str())
            .collect();
        Error::new(
            ErrorCode::BundleUntrustedKey,
            "规则包不是由受信任的密钥签名的。",
            "The bundle is not signed by a trusted key.",
        )
        .detail(format!("signed by: {}", keys.join(", ")))
    })
}

/// What a signature cannot vouch for: the manifest's own consistency.
fn check_manifest(manifest: &Manifest) -> Result<()> {
    if !manifest.matters.get().starts_with('[') {
        return Err(malformed("matters 应为数组。", "matters must be an array."));
    }
    check_revision(&manifest.revision)
        .map_err(|()| malformed("revision 不正确。", "the revision is not valid."))?;
    if !manifest.rules_digest.starts_with("sha256:") {
        return Err(malformed(
            "rules_digest 应以 sha256: 开头。",
            "rules_digest must start with sha256:.",
        ));
    }
    if manifest.files.len() > MAX_FILES {
        return Err(malformed("文件过多。", "too many files."));
    }
    let bad_entry = |file: &ManifestFile| {
        malformed(
            "文件清单有误（哈希、大小或重复）。",
            "a file entry is not valid (hash, size or duplicate).",
        )
        .at(file.path.clone())
    };
    for file in &manifest.files {
        let bad_hash = file.sha256.len() != 64
            || !file
                .sha256
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if bad_hash || file.size > MAX_FILE_BYTES as u64 {
            return Err(bad_entry(file));
        }
    }
    // Duplicates: adjacent once sorted (stable: the later entry is named).
    let mut by_path: Vec<&ManifestFile> = manifest.files.iter().collect();
    crate::order::sort_by(&mut by_path, |a, b| a.path.cmp(&b.path));
    let same_path = by_path.windows(2).find(|w| w[0].path == w[1].path);
    let by_sha = manifest.by_sha();
    let same_sha = by_sha.0.windows(2).find(|w| w[0].sha256 == w[1].sha256);
    match same_path.or(same_sha) {
        Some(pair) => Err(bad_entry(pair[1])),
        None => Ok(()),
    }
}

/// A revision: 1 to 128 characters of `A-Z a-z 0-9 . _ - + :`.
fn check_revision(revision: &str) -> std::result::Result<(), ()> {
    let ok = !revision.is_empty()
        && revision.len() <= MAX_REVISION_CHARS
        && revision
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-+:".contains(&b));
    if ok { Ok(()) } else { Err(()) }
}

/// Checks a file's bytes against the manifest entry it was fetched as.
pub fn verify_entry(entry: &ManifestFile, bytes: &[u8]) -> Result<VerifiedFile> {
    let path = Some(entry.path.as_str());
    if bytes.len() as u64 != entry.size {
        return Err(file_mismatch(path, "大小不符", "size differs"));
    }
    let sha256 = hex(&Sha256::digest(bytes));
    if sha256 != entry.sha256 {
        return Err(file_mismatch(path, "哈希不符", "SHA-256 differs"));
    }
    // Through `&str`: the JSON reader the rest of the engine uses (one copy in the page module).
    let content: FileContent = std::str::from_utf8(bytes)
        .map_err(|e| e.to_string())
        .and_then(|text| crate::json_maps::from_str(text).map_err(|e| e.to_string()))
        .map_err(|detail| {
            malformed(
                "文件应为 {\"path\", \"text\", \"json\"}。",
                "a file is not {\"path\", \"text\", \"json\"}.",
            )
            .at(entry.path.clone())
            .detail(detail)
        })?;
    if content.path != entry.path {
        return Err(file_mismatch(path, "路径不符", "path differs"));
    }
    Ok(VerifiedFile { sha256, content })
}

/// Checks a file's bytes against the manifest, finding its entry by hash.
pub fn verify_file(manifest: &Manifest, bytes: &[u8]) -> Result<VerifiedFile> {
    verify_files(manifest, &[bytes]).map(|mut files| files.remove(0))
}

/// [`verify_file`] for many files (one index of the manifest).
pub fn verify_files(manifest: &Manifest, files: &[&[u8]]) -> Result<Vec<VerifiedFile>> {
    let index = manifest.by_sha();
    files
        .iter()
        .map(|bytes| {
            if bytes.len() > MAX_FILE_BYTES {
                return Err(file_mismatch(None, "过大", "too large"));
            }
            let sha256 = hex(&Sha256::digest(bytes));
            let entry = index.get(sha256.as_str()).ok_or_else(|| {
                file_mismatch(None, "清单中没有该哈希", "no entry has its SHA-256")
            })?;
            verify_entry(entry, bytes)
        })
        .collect()
}

impl Engine {
    /// The engine over verified files of a manifest (any subset: e.g. the calendar, the centre
    /// and one matter's files), named by the manifest's `rules_digest` and `revision`. The
    /// manifest's rules were linted clean before they were signed and its signature is verified,
    /// so they compile as [`Engine::from_linted`] does: the calendar and the centre now, each matter
    /// on first use (a matter with an error then answers `rules_invalid`). When every file of the
    /// manifest is given (the server), the digest is recomputed from the texts and must be the
    /// manifest's (`bundle_digest_mismatch`).
    pub fn from_signed(manifest: &Manifest, files: &[VerifiedFile]) -> Result<Engine> {
        from_signed_files(manifest, files)
    }
}

/// Kept for callers of the first signed-bundle API; new code calls [`Engine::from_signed`].
#[deprecated(note = "use Engine::from_signed")]
pub fn engine(manifest: &Manifest, files: &[VerifiedFile]) -> Result<Engine> {
    from_signed_files(manifest, files)
}

fn from_signed_files(manifest: &Manifest, files: &[VerifiedFile]) -> Result<Engine> {
    let index = manifest.by_sha();
    let mut known: Vec<&VerifiedFile> = Vec::with_capacity(files.len());
    for file in files {
        match index.get(file.sha256.as_str()) {
            Some(entry) if entry.path == file.content.path => known.push(file),
            _ => {
                return Err(file_mismatch(
                    Some(&file.content.path),
                    "不在清单中",
                    "not in the manifest",
                ));
            }
        }
    }
    // In path order, a path given twice once: the later file (as a map's insert keeps it).
    // (Positions sorted, not a BTreeMap: one map instance fewer in the page module.)
    let path = |i: usize| known[i].content.path.as_str();
    let order = crate::order::stable_order(known.len(), &mut |a, b| path(a).cmp(path(b)));
    let by_path: Vec<&VerifiedFile> = (order.chunk_by(|&a, &b| path(a) == path(b)))
        .filter_map(|run| run.last().map(|&i| known[i]))
        .collect();
    let lazy: Vec<crate::bundle::LazyFile> = by_path
        .iter()
        .map(|f| crate::bundle::LazyFile {
            source: SourceFile {
                path: f.content.path.clone(),
                text: f.content.text.clone(),
            },
            json: f.content.json.clone().map(std::borrow::Cow::Owned),
            head: None,
        })
        .collect();
    if by_path.len() == manifest.files.len() {
        let sources: Vec<SourceFile> = lazy.iter().map(|f| f.source.clone()).collect();
        let digest = crate::bundle::digest(&sources);
        if digest != manifest.rules_digest {
            return Err(Error::new(
                ErrorCode::BundleDigestMismatch,
                "规则包文件的摘要与清单中的 rules_digest 不符。",
                "The digest of the bundle's files is not the manifest's rules_digest.",
            )
            .detail(format!("manifest: {}", manifest.rules_digest))
            .detail(format!("files: {digest}")));
        }
        // Every file: a server about to swap. It lints the whole bundle first, as `qiquan lint`
        // would (a bundle with a lint error is refused whole and the old rules stay), and so
        // compiles every matter now instead of on first use.
        #[cfg(feature = "whole")]
        {
            let forms: std::collections::BTreeMap<&str, &str> = by_path
                .iter()
                .filter_map(|f| Some((f.content.path.as_str(), f.content.json.as_deref()?)))
                .collect();
            return Engine::from_json_forms(&sources, &forms)
                .map(|engine| engine.with_revision(Some(manifest.revision.clone())));
        }
    }
    Engine::from_linted(lazy, &manifest.rules_digest)
        .map(|engine| engine.with_revision(Some(manifest.revision.clone())))
}

/// A written bundle: `bundle.json`'s text and each file as `(sha256, bytes)`.
#[cfg(all(feature = "sign", feature = "toml"))]
pub struct Written {
    pub envelope: String,
    pub manifest: Manifest,
    pub files: Vec<(String, String)>,
}

/// Writes a signed bundle of `sources` as `revision`. Rules that do not compile (a lint error)
/// are refused with `rules_invalid`; a revision outside `A-Z a-z 0-9 . _ - + :` (1–128) with
/// `usage`.
#[cfg(all(feature = "sign", feature = "toml"))]
pub fn build(
    sources: &[SourceFile],
    revision: &str,
    key: &ed25519_dalek::SigningKey,
) -> Result<Written> {
    use ed25519_dalek::Signer;
    check_revision(revision).map_err(|()| {
        Error::new(
            ErrorCode::Usage,
            "--revision 应为 1 至 128 个字符（字母、数字和 . _ - + :）。",
            "--revision must be 1 to 128 characters of letters, digits and . _ - + :.",
        )
    })?;
    let compiled = Engine::from_sources(sources)?;
    let matter_of: std::collections::HashMap<&str, &str> = compiled
        .bundle()
        .compiled_versions()
        .map(|v| (v.source.as_str(), v.rule.matter.as_str()))
        .collect();
    let mut sorted: Vec<&SourceFile> = sources.iter().collect();
    crate::order::sort_by(&mut sorted, |a, b| a.path.cmp(&b.path));
    let mut files = Vec::new();
    let mut entries = Vec::new();
    for source in sorted {
        let content = FileContent {
            path: source.path.clone(),
            text: source.text.clone(),
            json: crate::json_form(&source.text),
        };
        let bytes = serde_json::to_string(&content).map_err(|e| {
            Error::new(ErrorCode::Io, "无法写出文件。", "Cannot write a file.")
                .detail(e.to_string())
        })?;
        let sha256 = hex(&Sha256::digest(bytes.as_bytes()));
        entries.push(ManifestFile {
            path: source.path.clone(),
            sha256: sha256.clone(),
            size: bytes.len() as u64,
            matter: matter_of.get(source.path.as_str()).map(|m| m.to_string()),
        });
        files.push((sha256, bytes));
    }
    let manifest = Manifest {
        format: FORMAT,
        revision: revision.to_string(),
        rules_digest: compiled.rules_digest().to_string(),
        engine: crate::ENGINE_VERSION.to_string(),
        centre: compiled.bundle().centre().map(|c| c.office.zh.clone()),
        matters: serde_json::value::to_raw_value(&compiled.matters()).map_err(|e| {
            Error::new(
                ErrorCode::Io,
                "无法写出清单。",
                "Cannot write the manifest.",
            )
            .detail(e.to_string())
        })?,
        files: entries,
    };
    let payload = serde_json::to_string(&manifest).map_err(|e| {
        Error::new(
            ErrorCode::Io,
            "无法写出清单。",
            "Cannot write the manifest.",
        )
        .detail(e.to_string())
    })?;
    let signature = key.sign(&signed_bytes(&payload));
    let envelope = Envelope {
        signatures: vec![EnvelopeSignature {
            algorithm: "ed25519".into(),
            key_id: key_id(&key.verifying_key().to_bytes()),
            signature: hex(&signature.to_bytes()),
        }],
        payload,
    };
    Ok(Written {
        envelope: crate::to_pretty_json(&envelope),
        manifest,
        files,
    })
}

/// Lowercase hex (`crate::hex`, here for the callers that know it as `signed::hex`).
pub use crate::hex::{hex, unhex};

#[cfg(all(test, feature = "sign", feature = "toml"))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn key() -> ed25519_dalek::SigningKey {
        ed25519_dalek::SigningKey::from_bytes(&[7; 32])
    }

    fn trusted() -> Vec<TrustedKey> {
        vec![TrustedKey::from_hex(&hex(&key().verifying_key().to_bytes())).unwrap()]
    }

    fn written() -> Written {
        build(&crate::embedded_sources(), "r1", &key()).unwrap()
    }

    fn all_files(manifest: &Manifest, written: &Written) -> Vec<VerifiedFile> {
        let bytes: Vec<&[u8]> = written.files.iter().map(|(_, b)| b.as_bytes()).collect();
        verify_files(manifest, &bytes).unwrap()
    }

    #[test]
    fn a_whole_bundle_is_the_embedded_rules_under_its_revision() {
        let written = written();
        let manifest = open(&written.envelope, &trusted()).unwrap();
        assert_eq!(manifest.revision, "r1");
        let engine = Engine::from_signed(&manifest, &all_files(&manifest, &written)).unwrap();
        let embedded = Engine::embedded().unwrap();
        assert_eq!(engine.rules_digest(), embedded.rules_digest());
        assert_eq!(engine.bundle().revision(), Some("r1"));
        assert_eq!(
            manifest.matters.get(),
            serde_json::to_string(&embedded.matters()).unwrap()
        );
    }

    #[test]
    fn one_matter_checks_as_with_all_files() {
        let written = written();
        let manifest = open(&written.envelope, &trusted()).unwrap();
        let matters: Vec<crate::MatterSummary> =
            serde_json::from_str(manifest.matters.get()).unwrap();
        let matter = matters[0].id.clone();
        let wanted: Vec<&str> = manifest
            .files_for_matter(&matter)
            .iter()
            .map(|f| f.sha256.as_str())
            .collect();
        assert!(wanted.len() < manifest.files.len());
        let some: Vec<VerifiedFile> = all_files(&manifest, &written)
            .into_iter()
            .filter(|f| wanted.contains(&f.sha256.as_str()))
            .collect();
        let partial = Engine::from_signed(&manifest, &some).unwrap();
        let whole = Engine::from_signed(&manifest, &all_files(&manifest, &written)).unwrap();
        assert_eq!(partial.matters().len(), 1);
        let submission = r#"{"applicant":{"kind":"natural_person"},"received_at":"2026-03-02T09:30:00+08:00","fields":{}}"#;
        assert_eq!(
            partial.check_json(&matter, submission, None).unwrap(),
            whole.check_json(&matter, submission, None).unwrap()
        );
    }

    #[test]
    fn tampering_is_refused_with_its_code() {
        let written = written();
        let code = |r: Result<Manifest>| r.unwrap_err().code;
        // Another key.
        let other = ed25519_dalek::SigningKey::from_bytes(&[8; 32]);
        let stranger = vec![TrustedKey::from_hex(&hex(&other.verifying_key().to_bytes())).unwrap()];
        assert_eq!(
            code(open(&written.envelope, &stranger)),
            ErrorCode::BundleUntrustedKey
        );
        // An altered payload.
        let mut envelope: Envelope = serde_json::from_str(&written.envelope).unwrap();
        envelope.payload = envelope.payload.replace("\"r1\"", "\"r2\"");
        let altered = serde_json::to_string(&envelope).unwrap();
        assert_eq!(
            code(open(&altered, &trusted())),
            ErrorCode::BundleSignatureInvalid
        );
        // A receipt-style signature over the bare payload does not pass.
        let mut envelope: Envelope = serde_json::from_str(&written.envelope).unwrap();
        use ed25519_dalek::Signer;
        envelope.signatures[0].signature = hex(&key().sign(envelope.payload.as_bytes()).to_bytes());
        let bare = serde_json::to_string(&envelope).unwrap();
        assert_eq!(
            code(open(&bare, &trusted())),
            ErrorCode::BundleSignatureInvalid
        );
        assert_eq!(code(open("{", &trusted())), ErrorCode::BundleMalformed);
        // An altered file.
        let manifest = open(&written.envelope, &trusted()).unwrap();
        let (_, bytes) = &written.files[0];
        let tampered = bytes.replacen("20", "21", 1);
        assert_eq!(
            verify_file(&manifest, tampered.as_bytes())
                .unwrap_err()
                .code,
            ErrorCode::BundleFileMismatch
        );
        assert_eq!(
            verify_entry(&manifest.files[0], tampered.as_bytes())
                .unwrap_err()
                .code,
            ErrorCode::BundleFileMismatch
        );
    }

    #[test]
    fn a_whole_bundle_with_a_lint_error_is_refused_whole_but_its_other_matters_load_alone() {
        // Signed by the key holder although a matter does not lint (a tolerable key material):
        // a server (every file) refuses the bundle; a page with only another matter's files
        // loads it, and the broken matter answers rules_invalid when asked for.
        let written = written();
        let manifest = open(&written.envelope, &trusted()).unwrap();
        let broken_entry = manifest
            .files
            .iter()
            .find(|f| f.matter.is_some())
            .unwrap()
            .clone();
        let broken_matter = broken_entry.matter.clone().unwrap();
        let mut files: Vec<(String, String)> = Vec::new();
        let mut sources = Vec::new();
        for (sha, bytes) in &written.files {
            let mut content: FileContent = serde_json::from_str(bytes).unwrap();
            if *sha == broken_entry.sha256 {
                let mut rule: serde_json::Value =
                    serde_json::from_str(content.json.as_deref().unwrap()).unwrap();
                let material = rule["materials"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .find(|m| m["key"] == true)
                    .unwrap();
                material["tolerable"] = serde_json::Value::Bool(true);
                content.json = Some(rule.to_string());
                content.text.push_str("\n# changed\n");
            }
            sources.push(SourceFile {
                path: content.path.clone(),
                text: content.text.clone(),
            });
            let text = serde_json::to_string(&content).unwrap();
            files.push((hex(&Sha256::digest(text.as_bytes())), text));
        }
        let mut payload: serde_json::Value = serde_json::from_str(
            &serde_json::from_str::<Envelope>(&written.envelope)
                .unwrap()
                .payload,
        )
        .unwrap();
        payload["rules_digest"] = crate::bundle::digest(&sources).into();
        for (entry, (sha, text)) in payload["files"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .zip(&files)
        {
            entry["sha256"] = sha.clone().into();
            entry["size"] = text.len().into();
        }
        let manifest = open(&signed_envelope(&payload.to_string()), &trusted()).unwrap();
        let bytes: Vec<&[u8]> = files.iter().map(|(_, t)| t.as_bytes()).collect();
        let all = verify_files(&manifest, &bytes).unwrap();
        assert_eq!(
            Engine::from_signed(&manifest, &all).unwrap_err().code,
            ErrorCode::RulesInvalid
        );
        let other = manifest
            .files
            .iter()
            .find_map(|f| f.matter.clone().filter(|m| *m != broken_matter))
            .unwrap();
        let keep = |m: &str| {
            let wanted: Vec<&str> = manifest
                .files_for_matter(m)
                .iter()
                .map(|f| f.sha256.as_str())
                .collect();
            all.iter()
                .filter(|f| wanted.contains(&f.sha256.as_str()))
                .cloned()
                .collect::<Vec<_>>()
        };
        let page = Engine::from_signed(&manifest, &keep(&other)).unwrap();
        assert!(page.matter(&other, None).is_ok());
        let mut both = keep(&other);
        both.extend(keep(&broken_matter));
        let page = Engine::from_signed(&manifest, &both).unwrap();
        assert!(page.matter(&other, None).is_ok());
        assert_eq!(
            page.matter(&broken_matter, None).unwrap_err().code,
            ErrorCode::RulesInvalid
        );
    }

    /// The envelope of `payload` signed with [`key`].
    fn signed_envelope(payload: &str) -> String {
        use ed25519_dalek::Signer;
        serde_json::to_string(&Envelope {
            payload: payload.to_string(),
            signatures: vec![EnvelopeSignature {
                algorithm: "ed25519".into(),
                key_id: key_id(&key().verifying_key().to_bytes()),
                signature: hex(&key().sign(&signed_bytes(payload)).to_bytes()),
            }],
        })
        .unwrap()
    }

    #[test]
    fn a_signed_manifest_must_still_be_the_format() {
        let written = written();
        let envelope: Envelope = serde_json::from_str(&written.envelope).unwrap();
        let manifest: serde_json::Value = serde_json::from_str(&envelope.payload).unwrap();
        let code = |change: &dyn Fn(&mut serde_json::Value)| {
            let mut changed = manifest.clone();
            change(&mut changed);
            let text = signed_envelope(&changed.to_string());
            open(&text, &trusted()).map(|_| ()).map_err(|e| e.code)
        };
        assert_eq!(code(&|_| {}), Ok(()));
        assert_eq!(
            code(&|m| m["matters"] = serde_json::json!({})),
            Err(ErrorCode::BundleMalformed)
        );
        assert_eq!(
            code(&|m| m["files"] = serde_json::json!("x")),
            Err(ErrorCode::BundleMalformed)
        );
        assert_eq!(
            code(&|m| m["revision"] = serde_json::json!("a b")),
            Err(ErrorCode::BundleMalformed)
        );
        assert_eq!(
            code(&|m| m["files"][1]["path"] = m["files"][0]["path"].clone()),
            Err(ErrorCode::BundleMalformed)
        );
        assert_eq!(
            code(&|m| m["files"][2]["sha256"] = m["files"][0]["sha256"].clone()),
            Err(ErrorCode::BundleMalformed)
        );
        assert_eq!(
            code(&|m| m["format"] = serde_json::json!(2)),
            Err(ErrorCode::BundleFormatUnsupported)
        );
    }

    #[test]
    fn a_manifest_whose_digest_is_not_its_files_is_refused() {
        let written = written();
        let mut manifest = open(&written.envelope, &trusted()).unwrap();
        let files = all_files(&manifest, &written);
        manifest.rules_digest = "sha256:00".into();
        assert_eq!(
            Engine::from_signed(&manifest, &files).unwrap_err().code,
            ErrorCode::BundleDigestMismatch
        );
    }
    /// RFC 8032 §7.1 tests 1–3 and SHA(abc): dalek (the signer) makes exactly these bytes and
    /// the verifier of every build (ed25519-compact) accepts them, and nothing altered.
    #[test]
    fn rfc_8032_vectors_sign_with_dalek_and_verify_here() {
        let vectors = [
            (
                "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                "",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            ),
            (
                "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
                "72",
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
            ),
            (
                "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
                "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
                "af82",
                "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
            ),
            (
                "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
                "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
                "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704",
            ),
        ];
        for (seed, public, message, signature) in vectors {
            use ed25519_dalek::Signer;
            let signer =
                ed25519_dalek::SigningKey::from_bytes(&unhex(seed).unwrap().try_into().unwrap());
            assert_eq!(hex(&signer.verifying_key().to_bytes()), public);
            let message = unhex(message).unwrap();
            assert_eq!(hex(&signer.sign(&message).to_bytes()), signature);
            let key = TrustedKey::from_hex(public).unwrap();
            let signature: [u8; 64] = unhex(signature).unwrap().try_into().unwrap();
            assert!(key.verifies(&message, &signature));
            assert!(!key.verifies(b"another message", &signature));
            for byte in [0, 31, 32, 63] {
                let mut altered = signature;
                altered[byte] ^= 1;
                assert!(!key.verifies(&message, &altered), "byte {byte} altered");
            }
        }
    }

    /// What `qiquan bundle --sign` (dalek) signs, the verifier accepts: many keys, messages
    /// around SHA-512's block and padding boundaries; dalek's `verify_strict` agrees on every
    /// signature and on every altered one.
    #[test]
    fn dalek_signatures_verify_as_with_dalek_verify_strict() {
        use ed25519_dalek::Signer;
        for seed in 0..24u8 {
            let signer = ed25519_dalek::SigningKey::from_bytes(&[seed.wrapping_mul(37) ^ 0x5a; 32]);
            let public = signer.verifying_key();
            let key = TrustedKey::from_hex(&hex(&public.to_bytes())).unwrap();
            for len in [0, 1, 17, 111, 112, 127, 128, 129, 239, 240, 1000] {
                let message: Vec<u8> = (0..len).map(|i| (i as u8).wrapping_mul(seed | 1)).collect();
                let message = signed_bytes(&String::from_utf8_lossy(&message));
                let signature = signer.sign(&message).to_bytes();
                assert!(key.verifies(&message, &signature));
                let mut altered = signature;
                altered[usize::from(seed) % 64] ^= 0x80;
                let dalek = public
                    .verify_strict(&message, &ed25519_dalek::Signature::from_bytes(&altered))
                    .is_ok();
                assert_eq!(key.verifies(&message, &altered), dalek);
                assert!(!dalek);
            }
        }
    }

    /// The strict checks: a small-order or non-canonical key is refused; a non-canonical `S`
    /// (`S + L`, the classic malleation) and a small-order `R` do not verify. A signature whose
    /// `R` has a small-order component passes the RFC 8032 (cofactored) equation here and not
    /// dalek's cofactorless `verify_strict`: only the key's holder can make one (`S` needs the
    /// secret), so it forges nothing; the server and the page module use this one verifier.
    #[test]
    fn strict_encodings_and_the_cofactored_equation() {
        use curve25519_dalek::{EdwardsPoint, Scalar, constants::EIGHT_TORSION};
        use ed25519_dalek::Signer;
        use sha2::Sha512;
        // Small order: the identity; not canonical: y = p (the identity again, unreduced).
        let identity = format!("01{}", "00".repeat(31));
        let unreduced = format!("ed{}7f", "ff".repeat(30));
        for bad in [identity.as_str(), unreduced.as_str(), "00"] {
            assert!(TrustedKey::from_hex(bad).is_err(), "{bad}");
        }
        let signer = key();
        let public = signer.verifying_key().to_bytes();
        let key = TrustedKey::from_hex(&hex(&public)).unwrap();
        let message = signed_bytes("{}");
        let signature = signer.sign(&message).to_bytes();
        // S + L.
        let order = Scalar::ZERO - Scalar::ONE;
        let s = Scalar::from_canonical_bytes(signature[32..].try_into().unwrap()).unwrap();
        let mut wide = [0u8; 32];
        let mut carry = 1u16; // S + (L - 1) + 1, unreduced
        let (a, b) = (s.to_bytes(), order.to_bytes());
        for i in 0..32 {
            let sum = u16::from(a[i]) + u16::from(b[i]) + carry;
            wide[i] = sum as u8;
            carry = sum >> 8;
        }
        assert_eq!(carry, 0);
        let mut malleated = signature;
        malleated[32..].copy_from_slice(&wide);
        assert!(!key.verifies(&message, &malleated));
        // R of small order.
        let mut small_r = signature;
        small_r[..32].copy_from_slice(&unhex(&identity).unwrap());
        assert!(!key.verifies(&message, &small_r));
        // R = rB + T (T of order 8), S = r + k·a: made with the secret.
        let secret = signer.to_scalar();
        let r = Scalar::from_bytes_mod_order([3; 32]);
        let big_r = (EdwardsPoint::mul_base(&r) + EIGHT_TORSION[1])
            .compress()
            .to_bytes();
        let k = Scalar::from_bytes_mod_order_wide(
            &Sha512::new()
                .chain_update(big_r)
                .chain_update(public)
                .chain_update(&message)
                .finalize()
                .into(),
        );
        let mut residue = [0u8; 64];
        residue[..32].copy_from_slice(&big_r);
        residue[32..].copy_from_slice(&(r + k * secret).to_bytes());
        assert!(key.verifies(&message, &residue));
        assert!(
            signer
                .verifying_key()
                .verify_strict(&message, &ed25519_dalek::Signature::from_bytes(&residue))
                .is_err()
        );
    }
}
