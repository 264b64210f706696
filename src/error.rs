//! Errors returned as values, each with a stable code and a message in zh-CN and en.
//!
//! The codes are a public contract: the CLI prints them, the wasm module returns them and the
//! server maps them to HTTP statuses. Never rename one; add new ones instead.

use serde::Serialize;

use crate::model::Text;

/// Stable error codes for bad input and bad rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input is not valid JSON (or is nested too deeply).
    InvalidJson,
    /// The JSON is well-formed but does not have the expected shape or types.
    InvalidSubmission,
    /// The input is larger than the engine accepts.
    InputTooLarge,
    UnknownMatter,
    UnknownMaterial,
    UnknownField,
    /// No version of the matter is in force on the date of receipt.
    NoVersionInForce,
    /// A calendar date that does not exist or is not `YYYY-MM-DD`.
    InvalidDate,
    /// An instant that is not RFC 3339 with an offset.
    InvalidInstant,
    /// A date outside the years the engine computes with (1900–2199).
    DateOutOfRange,
    /// A day count outside 0..=3650.
    DaysOutOfRange,
    /// A special-procedure pause that ends before it starts or is implausibly long.
    InvalidPause,
    /// An unknown unit for a deadline.
    InvalidUnit,
    /// The rules bundle does not compile (see `details`).
    RulesInvalid,
    /// Reading a file or directory failed (CLI and server only).
    Io,
    /// The command line is malformed (CLI only).
    Usage,
    /// A `--rules` directory entry is not a regular file (a FIFO, a device, a socket).
    RulesNotRegularFile,
    /// A symbolic link in a `--rules` directory points outside it.
    RulesOutsideDir,
    /// Symbolic links in a `--rules` directory form a loop (or nest too deeply).
    RulesLoop,
    /// A rule file is larger than the per-file limit.
    RulesFileTooLarge,
    /// A rules directory's files are larger together than the limit.
    RulesTooLarge,
    /// A clerk's note on a material is longer than the limit (200 characters).
    NoteTooLong,
    /// A signed bundle's envelope, manifest or file is not what the format says (docs/bundles.md).
    BundleMalformed,
    /// A signed bundle's manifest declares a `format` this engine does not read.
    BundleFormatUnsupported,
    /// No signature on the bundle is by a trusted key.
    BundleUntrustedKey,
    /// A signature by a trusted key does not match the manifest: forged or altered.
    BundleSignatureInvalid,
    /// A bundle file does not match the manifest (hash, size or path): altered or not listed.
    BundleFileMismatch,
    /// All of a bundle's files are present but their digest is not the manifest's `rules_digest`.
    BundleDigestMismatch,
    /// Bundle files were given before a bundle was opened (wasm `addBundleFiles`).
    BundleNotOpen,
    /// The engine has no rules yet: the page module carries none and answers this until
    /// `loadRules` has loaded a bundle.
    RulesNotLoaded,
    /// A case event that does not apply to the case as it stands (`details`: the refusal's
    /// code, e.g. `pledge_outstanding`), or a case record with no acceptance.
    InvalidCaseEvent,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 31] = [
        Self::InvalidJson,
        Self::InvalidSubmission,
        Self::InputTooLarge,
        Self::UnknownMatter,
        Self::UnknownMaterial,
        Self::UnknownField,
        Self::NoVersionInForce,
        Self::InvalidDate,
        Self::InvalidInstant,
        Self::DateOutOfRange,
        Self::DaysOutOfRange,
        Self::InvalidPause,
        Self::InvalidUnit,
        Self::RulesInvalid,
        Self::Io,
        Self::Usage,
        Self::RulesNotRegularFile,
        Self::RulesOutsideDir,
        Self::RulesLoop,
        Self::RulesFileTooLarge,
        Self::RulesTooLarge,
        Self::NoteTooLong,
        Self::BundleMalformed,
        Self::BundleFormatUnsupported,
        Self::BundleUntrustedKey,
        Self::BundleSignatureInvalid,
        Self::BundleFileMismatch,
        Self::BundleDigestMismatch,
        Self::BundleNotOpen,
        Self::RulesNotLoaded,
        Self::InvalidCaseEvent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidJson => "invalid_json",
            Self::InvalidSubmission => "invalid_submission",
            Self::InputTooLarge => "input_too_large",
            Self::UnknownMatter => "unknown_matter",
            Self::UnknownMaterial => "unknown_material",
            Self::UnknownField => "unknown_field",
            Self::NoVersionInForce => "no_version_in_force",
            Self::InvalidDate => "invalid_date",
            Self::InvalidInstant => "invalid_instant",
            Self::DateOutOfRange => "date_out_of_range",
            Self::DaysOutOfRange => "days_out_of_range",
            Self::InvalidPause => "invalid_pause",
            Self::InvalidUnit => "invalid_unit",
            Self::RulesInvalid => "rules_invalid",
            Self::Io => "io",
            Self::Usage => "usage",
            Self::RulesNotRegularFile => "rules_not_regular_file",
            Self::RulesOutsideDir => "rules_outside_dir",
            Self::RulesLoop => "rules_loop",
            Self::RulesFileTooLarge => "rules_file_too_large",
            Self::RulesTooLarge => "rules_too_large",
            Self::NoteTooLong => "note_too_long",
            Self::BundleMalformed => "bundle_malformed",
            Self::BundleFormatUnsupported => "bundle_format_unsupported",
            Self::BundleUntrustedKey => "bundle_untrusted_key",
            Self::BundleSignatureInvalid => "bundle_signature_invalid",
            Self::BundleFileMismatch => "bundle_file_mismatch",
            Self::BundleDigestMismatch => "bundle_digest_mismatch",
            Self::BundleNotOpen => "bundle_not_open",
            Self::RulesNotLoaded => "rules_not_loaded",
            Self::InvalidCaseEvent => "invalid_case_event",
        }
    }
}

/// An error as a value: what went wrong, where, and how to fix it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Error {
    pub code: ErrorCode,
    pub message: Text,
    /// Where in the input the problem is (a JSON pointer or a file path), if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// Further machine detail, e.g. the parser's own message or each lint diagnostic.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub details: Vec<String>,
}

impl Error {
    pub fn new(code: ErrorCode, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            code,
            message: Text {
                zh: zh.into(),
                en: en.into(),
            },
            at: None,
            details: Vec::new(),
        }
    }

    pub fn at(mut self, at: impl Into<String>) -> Self {
        self.at = Some(at.into());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.details.push(detail.into());
        self
    }

    /// `{"error": {...}}`, pretty-printed: the exact bytes the CLI writes to stderr and the wasm
    /// module returns, so every runtime reports the same error the same way.
    pub fn to_json(&self) -> String {
        #[derive(Serialize)]
        struct Envelope<'a> {
            error: &'a Error,
        }
        // (The engine's pretty writer: the same bytes as `serde_json::to_string_pretty`, and
        // one instance of the error's serializer instead of two.)
        crate::pretty::to_string(&Envelope { error: self })
            .unwrap_or_else(|_| format!("{{\"error\":{{\"code\":\"{}\"}}}}", self.code.as_str()))
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} / {}",
            self.code.as_str(),
            self.message.zh,
            self.message.en
        )?;
        if let Some(at) = &self.at {
            write!(f, " (at {at})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn every_code_string_is_its_serde_name() {
        for code in ErrorCode::ALL {
            let serde = serde_json::to_value(code).expect("serializes");
            assert_eq!(serde, code.as_str(), "{code:?}");
        }
    }
}
