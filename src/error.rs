//! Errors returned as values, each with a stable code and a message in zh-CN and en.
//!
//! The codes are a public contract: the CLI prints them, the wasm module returns them and the
//! server maps them to HTTP statuses. Never rename one; add new ones instead.

use serde::Serialize;

use crate::model::Text;

/// Declares a closed set of stable codes: the enum (each variant's serde name is its code),
/// `ALL` in declaration order, `as_str` and `Display`. Every stable code of the project is
/// declared with it — the engine's [`ErrorCode`] here, and in the server its own error codes,
/// the case register's and the access layer's — so a code is written once, as a literal beside
/// its variant, and a test can walk `ALL`. The calling crate needs `serde` (with `derive`).
///
/// ```
/// qiquan::stable_code! {
///     /// What went wrong.
///     pub enum Code {
///         /// Not there.
///         NotFound = "not_found",
///     }
/// }
/// assert_eq!(Code::NotFound.as_str(), "not_found");
/// assert_eq!(Code::ALL, &[Code::NotFound]);
/// ```
#[macro_export]
macro_rules! stable_code {
    ($(#[$meta:meta])* $vis:vis enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
        $vis enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant,)+
        }

        #[allow(dead_code)]
        impl $name {
            /// Every code, in declaration order.
            $vis const ALL: &[$name] = &[$($name::$variant,)+];

            /// The code as it is written on the wire.
            $vis fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

stable_code! {
    /// Stable error codes for bad input and bad rules.
    #[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
    pub enum ErrorCode {
        /// The input is not valid JSON (or is nested too deeply).
        InvalidJson = "invalid_json",
        /// The JSON is well-formed but does not have the expected shape or types.
        InvalidSubmission = "invalid_submission",
        /// The input is larger than the engine accepts.
        InputTooLarge = "input_too_large",
        UnknownMatter = "unknown_matter",
        UnknownMaterial = "unknown_material",
        UnknownField = "unknown_field",
        /// No version of the matter is in force on the date of receipt.
        NoVersionInForce = "no_version_in_force",
        /// A calendar date that does not exist or is not `YYYY-MM-DD`.
        InvalidDate = "invalid_date",
        /// An instant that is not RFC 3339 with an offset.
        InvalidInstant = "invalid_instant",
        /// A date outside the years the engine computes with (1900–2199).
        DateOutOfRange = "date_out_of_range",
        /// A day count outside 0..=3650.
        DaysOutOfRange = "days_out_of_range",
        /// A special-procedure pause that ends before it starts or is implausibly long.
        InvalidPause = "invalid_pause",
        /// An unknown unit for a deadline.
        InvalidUnit = "invalid_unit",
        /// The rules bundle does not compile (see `details`).
        RulesInvalid = "rules_invalid",
        /// Reading a file or directory failed (CLI and server only).
        Io = "io",
        /// The command line is malformed (CLI only).
        Usage = "usage",
        /// A `--rules` directory entry is not a regular file (a FIFO, a device, a socket).
        RulesNotRegularFile = "rules_not_regular_file",
        /// A symbolic link in a `--rules` directory points outside it.
        RulesOutsideDir = "rules_outside_dir",
        /// Symbolic links in a `--rules` directory form a loop (or nest too deeply).
        RulesLoop = "rules_loop",
        /// A rule file is larger than the per-file limit.
        RulesFileTooLarge = "rules_file_too_large",
        /// A rules directory's files are larger together than the limit.
        RulesTooLarge = "rules_too_large",
        /// A clerk's note on a material is longer than the limit (200 characters).
        NoteTooLong = "note_too_long",
        /// A signed bundle's envelope, manifest or file is not what the format says (docs/bundles.md).
        BundleMalformed = "bundle_malformed",
        /// A signed bundle's manifest declares a `format` this engine does not read.
        BundleFormatUnsupported = "bundle_format_unsupported",
        /// No signature on the bundle is by a trusted key.
        BundleUntrustedKey = "bundle_untrusted_key",
        /// A signature by a trusted key does not match the manifest: forged or altered.
        BundleSignatureInvalid = "bundle_signature_invalid",
        /// A bundle file does not match the manifest (hash, size or path): altered or not listed.
        BundleFileMismatch = "bundle_file_mismatch",
        /// All of a bundle's files are present but their digest is not the manifest's `rules_digest`.
        BundleDigestMismatch = "bundle_digest_mismatch",
        /// Bundle files were given before a bundle was opened (wasm `addBundleFiles`).
        BundleNotOpen = "bundle_not_open",
        /// The engine has no rules yet: the page module carries none and answers this until
        /// `loadRules` has loaded a bundle.
        RulesNotLoaded = "rules_not_loaded",
        /// A case event that does not apply to the case as it stands (`details`: the
        /// refusal's code, e.g. `pledge_outstanding`), or a case record with no acceptance.
        InvalidCaseEvent = "invalid_case_event",
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
