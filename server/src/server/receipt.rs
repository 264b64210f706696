//! Signed receipts (受理回执) and the key that signs them.
//!
//! A receipt names the document it stands for, from the verdict's structured notice: its kind,
//! title and 文号, the addressee and the issuing office of the centre profile (`rules/centre.toml`,
//! or the notice's placeholder when there is none), so the receipt and the printed 受理通知书 say
//! the same thing.
//!
//! A receipt is signed with ed25519 over its canonical form: the line `qiquan-receipt-v2`, then
//! one line `name=<JSON value>` for each field in [`Receipt`] order except `signature`, each line
//! ending in `\n`. Values are JSON strings or `null`, so the form is unambiguous and any language
//! can rebuild it. Any replica holding the same key file verifies any other replica's receipts.
//!
//! Key file (`qiquan keygen --out FILE`, mode 0600), JSON:
//! `{"format": "qiquan-receipt-key-v1", "algorithm": "ed25519", "key_id": "ed25519:<16 hex>",
//! "public_key": "<64 hex>", "secret_key": "<64 hex: the 32-byte ed25519 seed>"}`.

use std::path::Path;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use qiquan::verdict::Verdict;
use qiquan::{Error, ErrorCode, Result};

/// The `format` of a key file.
pub(crate) const KEY_FILE_FORMAT: &str = "qiquan-receipt-key-v1";
/// The first line of a receipt's canonical form.
pub(crate) const CANONICAL_PREFIX: &str = "qiquan-receipt-v2";

/// A 受理回执: what was accepted, under which rules, by when it is due, signed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Receipt {
    /// `QQ-YYYYMMDD-<8 hex>`: the China date of receipt and a hash of the verdict digest and the
    /// instant, so the same verdict at the same instant always gets the same number.
    pub(crate) receipt_no: String,
    pub(crate) matter: String,
    pub(crate) version: String,
    /// `accept` or `accept_with_pledge`.
    pub(crate) outcome: String,
    /// The document issued: `acceptance` or `pledge_acceptance` (`notice.kind`).
    pub(crate) document: String,
    /// Its standard name, e.g. 受理通知书.
    pub(crate) document_title: String,
    /// Its 文号 as printed (the sequence is a blank until a numbering service fills it).
    pub(crate) document_number: String,
    /// 主送: the applicant as the notice names it (or its placeholder).
    pub(crate) addressee: String,
    /// 落款: the issuing office from the centre profile (or its placeholder).
    pub(crate) office: String,
    pub(crate) rules_digest: String,
    pub(crate) verdict_digest: String,
    pub(crate) accepted_on: String,
    pub(crate) promised_due: Option<String>,
    pub(crate) statutory_due: Option<String>,
    pub(crate) pledge_due: Option<String>,
    /// The server's instant of receipt, RFC 3339 in +08:00.
    pub(crate) issued_at: String,
    pub(crate) key_id: String,
    /// ed25519 signature over the canonical form, 128 lowercase hex digits.
    pub(crate) signature: String,
}

impl Receipt {
    /// The bytes the signature covers.
    pub(crate) fn canonical(&self) -> String {
        fn line(out: &mut String, name: &str, value: Option<&str>) {
            out.push_str(name);
            out.push('=');
            out.push_str(&serde_json::to_string(&value).unwrap_or_else(|_| "null".into()));
            out.push('\n');
        }
        let mut out = format!("{CANONICAL_PREFIX}\n");
        line(&mut out, "receipt_no", Some(&self.receipt_no));
        line(&mut out, "matter", Some(&self.matter));
        line(&mut out, "version", Some(&self.version));
        line(&mut out, "outcome", Some(&self.outcome));
        line(&mut out, "document", Some(&self.document));
        line(&mut out, "document_title", Some(&self.document_title));
        line(&mut out, "document_number", Some(&self.document_number));
        line(&mut out, "addressee", Some(&self.addressee));
        line(&mut out, "office", Some(&self.office));
        line(&mut out, "rules_digest", Some(&self.rules_digest));
        line(&mut out, "verdict_digest", Some(&self.verdict_digest));
        line(&mut out, "accepted_on", Some(&self.accepted_on));
        line(&mut out, "promised_due", self.promised_due.as_deref());
        line(&mut out, "statutory_due", self.statutory_due.as_deref());
        line(&mut out, "pledge_due", self.pledge_due.as_deref());
        line(&mut out, "issued_at", Some(&self.issued_at));
        line(&mut out, "key_id", Some(&self.key_id));
        out
    }
}

impl Receipt {
    /// The unsigned receipt for an accepted verdict, issued at `issued_at` (RFC 3339 +08:00):
    /// dates from its deadlines, the document from its notice.
    pub(crate) fn for_verdict(
        verdict: &Verdict,
        outcome: &str,
        verdict_digest: &str,
        issued_at: &str,
    ) -> Receipt {
        let notice = &verdict.notice;
        Receipt {
            receipt_no: receipt_no(verdict_digest, issued_at),
            matter: verdict.matter.clone(),
            version: verdict.version.clone(),
            outcome: outcome.to_string(),
            document: notice.kind.as_str().to_string(),
            document_title: notice.title.zh.clone(),
            document_number: notice.number.text.clone(),
            addressee: notice.addressee.text.zh.clone(),
            office: notice.issuer.office.zh.clone(),
            rules_digest: verdict.rules_digest.clone(),
            verdict_digest: verdict_digest.to_string(),
            accepted_on: verdict.deadlines.accepted_on.clone(),
            promised_due: verdict.deadlines.promised_due.clone(),
            statutory_due: Some(verdict.deadlines.statutory_due.clone()),
            pledge_due: verdict.deadlines.pledge_due.clone(),
            issued_at: issued_at.to_string(),
            key_id: String::new(),
            signature: String::new(),
        }
    }
}

/// The receipt number for a verdict digest and an instant (`issued_at`, RFC 3339 +08:00).
pub(crate) fn receipt_no(verdict_digest: &str, issued_at: &str) -> String {
    let day: String = issued_at.chars().take(10).filter(|c| *c != '-').collect();
    let hash = Sha256::digest(format!("{verdict_digest}\n{issued_at}").as_bytes());
    format!("QQ-{day}-{}", hex(&hash[..4]))
}

/// Why a receipt does not verify: a stable code and a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Invalid {
    /// Signed by another key (or claims to be).
    UnknownKey,
    /// The signature is not 128 hex digits.
    MalformedSignature,
    /// The signature does not match the fields: forged or altered.
    SignatureMismatch,
}

impl Invalid {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::UnknownKey => "unknown_key",
            Self::MalformedSignature => "malformed_signature",
            Self::SignatureMismatch => "signature_mismatch",
        }
    }

    pub(crate) fn message(self) -> (&'static str, &'static str) {
        match self {
            Self::UnknownKey => (
                "回执不是由本服务的密钥签发的。",
                "The receipt was not signed with this service's key.",
            ),
            Self::MalformedSignature => (
                "回执签名格式不正确。",
                "The receipt's signature is malformed.",
            ),
            Self::SignatureMismatch => (
                "回执签名与内容不符：回执是伪造的或已被改动。",
                "The signature does not match the receipt: it is forged or was altered.",
            ),
        }
    }
}

/// The key that signs receipts.
pub(crate) struct ReceiptKey {
    signing: SigningKey,
    key_id: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    format: String,
    algorithm: String,
    key_id: String,
    public_key: String,
    secret_key: String,
}

impl ReceiptKey {
    pub(crate) fn from_seed(seed: [u8; 32]) -> Self {
        let signing = SigningKey::from_bytes(&seed);
        let key_id = key_id(&signing.verifying_key());
        Self { signing, key_id }
    }

    /// A new random key from the operating system's generator.
    pub(crate) fn generate() -> Result<Self> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| {
            Error::new(
                ErrorCode::Io,
                "无法获取随机数以生成密钥。",
                "Cannot get random bytes to generate a key.",
            )
            .detail(e.to_string())
        })?;
        Ok(Self::from_seed(seed))
    }

    /// Reads a key file written by [`ReceiptKey::to_key_file`].
    pub(crate) fn load(path: &Path) -> Result<Self> {
        let bad = |en: &str| {
            Error::new(
                ErrorCode::Io,
                "密钥文件无效，请用 qiquan keygen --out FILE 生成。",
                format!(
                    "The key file is not valid ({en}); create one with qiquan keygen --out FILE."
                ),
            )
            .at(path.display().to_string())
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(
                ErrorCode::Io,
                "无法读取密钥文件。",
                "Cannot read the key file.",
            )
            .at(path.display().to_string())
            .detail(e.to_string())
        })?;
        let file: KeyFile = serde_json::from_str(&text)
            .map_err(|e| bad("not the expected JSON").detail(e.to_string()))?;
        if file.format != KEY_FILE_FORMAT || file.algorithm != "ed25519" {
            return Err(bad("unknown format or algorithm"));
        }
        let seed: [u8; 32] = unhex(&file.secret_key)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| bad("secret_key is not 64 hex digits"))?;
        let key = Self::from_seed(seed);
        if file.public_key != key.public_key_hex() || file.key_id != key.key_id {
            return Err(bad("public_key or key_id does not match secret_key"));
        }
        Ok(key)
    }

    /// The key file's JSON text (contains the secret).
    pub(crate) fn to_key_file(&self) -> String {
        let file = KeyFile {
            format: KEY_FILE_FORMAT.into(),
            algorithm: "ed25519".into(),
            key_id: self.key_id.clone(),
            public_key: self.public_key_hex(),
            secret_key: hex(&self.signing.to_bytes()),
        };
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }

    /// `ed25519:<first 16 hex digits of SHA-256 of the public key>`.
    pub(crate) fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The ed25519 key itself (`qiquan bundle --sign` signs bundles with a key file of this
    /// format; src/signed.rs).
    pub(crate) fn signing_key(&self) -> &SigningKey {
        &self.signing
    }

    pub(crate) fn public_key_hex(&self) -> String {
        hex(&self.signing.verifying_key().to_bytes())
    }

    /// Fills in `key_id` and `signature`.
    pub(crate) fn sign(&self, mut receipt: Receipt) -> Receipt {
        receipt.key_id = self.key_id.clone();
        let signature = self.signing.sign(receipt.canonical().as_bytes());
        receipt.signature = hex(&signature.to_bytes());
        receipt
    }

    pub(crate) fn verify(&self, receipt: &Receipt) -> std::result::Result<(), Invalid> {
        if receipt.key_id != self.key_id {
            return Err(Invalid::UnknownKey);
        }
        let bytes: [u8; 64] = unhex(&receipt.signature)
            .and_then(|b| b.try_into().ok())
            .ok_or(Invalid::MalformedSignature)?;
        let signature = Signature::from_bytes(&bytes);
        self.signing
            .verifying_key()
            .verify_strict(receipt.canonical().as_bytes(), &signature)
            .map_err(|_| Invalid::SignatureMismatch)
    }
}

/// Writes a new key file; refuses to overwrite an existing one.
pub(crate) fn keygen(path: &Path) -> Result<ReceiptKey> {
    let key = ReceiptKey::generate()?;
    let io = |e: std::io::Error| {
        Error::new(
            ErrorCode::Io,
            "无法写入密钥文件（已存在的文件不会被覆盖）。",
            "Cannot write the key file (an existing file is never overwritten).",
        )
        .at(path.display().to_string())
        .detail(e.to_string())
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(io)?;
    std::io::Write::write_all(&mut file, key.to_key_file().as_bytes()).map_err(io)?;
    Ok(key)
}

fn key_id(key: &VerifyingKey) -> String {
    qiquan::signed::key_id(&key.to_bytes())
}

pub(crate) use qiquan::hex::{hex, unhex};

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(key: &ReceiptKey) -> Receipt {
        key.sign(Receipt {
            receipt_no: receipt_no("sha256:00", "2026-03-02T09:30:00+08:00"),
            matter: "m".into(),
            version: "2024-01".into(),
            outcome: "accept".into(),
            document: "acceptance".into(),
            document_title: "受理通知书".into(),
            document_number: "明审服受〔2026〕____号".into(),
            addressee: "示例宾馆有限公司".into(),
            office: "明川县行政审批服务局".into(),
            rules_digest: "sha256:aa".into(),
            verdict_digest: "sha256:00".into(),
            accepted_on: "2026-03-02".into(),
            promised_due: Some("2026-03-16".into()),
            statutory_due: None,
            pledge_due: None,
            issued_at: "2026-03-02T09:30:00+08:00".into(),
            key_id: String::new(),
            signature: String::new(),
        })
    }

    #[test]
    fn signs_and_verifies() {
        let key = ReceiptKey::from_seed([7; 32]);
        let receipt = sample(&key);
        assert!(receipt.receipt_no.starts_with("QQ-20260302-"));
        assert_eq!(key.verify(&receipt), Ok(()));
        let mut altered = receipt.clone();
        altered.promised_due = Some("2026-03-30".into());
        assert_eq!(key.verify(&altered), Err(Invalid::SignatureMismatch));
        let mut nulled = receipt.clone();
        nulled.promised_due = None;
        assert_eq!(key.verify(&nulled), Err(Invalid::SignatureMismatch));
        let other = ReceiptKey::from_seed([8; 32]);
        assert_eq!(other.verify(&receipt), Err(Invalid::UnknownKey));
        let mut bad = receipt;
        bad.signature = "zz".into();
        assert_eq!(key.verify(&bad), Err(Invalid::MalformedSignature));
    }

    #[test]
    fn key_file_round_trips() {
        let dir = std::env::temp_dir().join(format!("qiquan-key-{}", std::process::id()));
        let _ = std::fs::remove_file(&dir);
        let written = keygen(&dir).expect("keygen");
        assert!(keygen(&dir).is_err(), "never overwrites");
        let read = ReceiptKey::load(&dir).expect("load");
        assert_eq!(read.key_id(), written.key_id());
        assert_eq!(read.public_key_hex(), written.public_key_hex());
        let _ = std::fs::remove_file(&dir);
    }
}
