//! qiquan (齐全): decides whether an application to a Chinese government service centre is
//! complete enough to be accepted.
//!
//! Pipeline: rules (TOML files) → [`bundle`] compile → [`Engine::check`] → calendar deadlines →
//! verdict with the one-time notice. The engine is pure: no clock, no timezone, no environment;
//! the time of receipt is an input. Every error is a value with a stable code ([`ErrorCode`]).
//!
//! The CLI (`src/main.rs`), the wasm bindings and the server are thin shells over [`Engine`].

#[cfg(feature = "toml")]
pub mod authoring;
pub mod bundle;
pub mod calendar;
pub mod case;
pub mod centre;
mod channel;
mod check;
pub mod compact;
mod digest;
pub mod error;
pub mod hex;
mod identifiers;
#[cfg(feature = "toml")]
mod json_form;
mod json_maps;
pub mod labels;
mod messages;
pub mod model;
mod notice;
mod order;
mod pretty;
#[cfg(not(target_arch = "wasm32"))]
pub mod rules_dir;
#[cfg(feature = "schema")]
pub mod schema;
#[cfg(feature = "signed")]
pub mod signed;
pub mod submission;
pub mod verdict;
#[cfg(all(target_arch = "wasm32", feature = "wasm"))]
pub mod wasm;

pub use bundle::{Bundle, Diagnostic, SourceFile};
pub use calendar::DeadlineAnswer;
pub use check::half_width_char;
pub use error::{Error, ErrorCode, Result};
#[cfg(feature = "toml")]
pub use json_form::json_form;
pub use model::MatterFile;
pub use notice::unidentified;
pub use submission::{CheckOptions, Submission};
pub use verdict::{MatterSummary, Outcome, Verdict, VersionSummary};

#[cfg(feature = "embed")]
include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// A check's JSON input: the submission and the options (absent or blank: the defaults), each
/// with its own `what` in errors.
pub(crate) fn parse_check_input(
    submission_json: &str,
    options_json: Option<&str>,
) -> Result<(Submission, CheckOptions)> {
    let submission: Submission = parse_json(submission_json, "submission")?;
    let options: CheckOptions = match options_json {
        Some(json) if !json.trim().is_empty() => parse_json(json, "options")?,
        _ => CheckOptions::default(),
    };
    Ok((submission, options))
}

/// The engine's version, reported in every verdict.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The rule files built into this engine (their TOML text: builds with the `toml` feature).
#[cfg(all(feature = "toml", feature = "embed"))]
pub fn embedded_sources() -> Vec<SourceFile> {
    EMBEDDED_RULES
        .iter()
        .map(|(path, text, _)| SourceFile {
            path: (*path).to_string(),
            text: (*text).to_string(),
        })
        .collect()
}

/// A compiled rules bundle and the operations every shell exposes.
#[derive(Debug, Clone)]
pub struct Engine {
    bundle: Bundle,
}

impl Engine {
    /// The engine with the rules embedded at build time (linted in CI): the calendar and centre
    /// compiled once per process, each matter on first use.
    #[cfg(feature = "embed")]
    pub fn embedded() -> Result<&'static Engine> {
        static ENGINE: std::sync::OnceLock<Result<Engine>> = std::sync::OnceLock::new();
        ENGINE
            .get_or_init(|| {
                Bundle::compile_embedded(EMBEDDED_RULES, EMBEDDED_HEADS, EMBEDDED_DIGEST)
                    .map(|bundle| Engine { bundle })
                    .map_err(rules_invalid)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Compiles rule sources; a bundle with any lint diagnostic is refused whole.
    #[cfg(feature = "whole")]
    pub fn from_sources(sources: &[SourceFile]) -> Result<Engine> {
        Bundle::compile(sources)
            .map(|bundle| Engine { bundle })
            .map_err(rules_invalid)
    }

    /// Rules that were linted clean before they reached this engine (a signed bundle, linted
    /// before signing; `digest`: theirs): the calendar and centre compile now, each matter on
    /// first use, and a matter with an error answers `rules_invalid` when it is used (see
    /// `bundle/lazy.rs`). Rules from anywhere else load with [`Engine::from_sources`].
    pub fn from_linted(files: Vec<bundle::LazyFile>, digest: &str) -> Result<Engine> {
        Bundle::compile_trusted(files, digest)
            .map(|bundle| Engine { bundle })
            .map_err(rules_invalid)
    }

    /// Compiles rule sources read from their JSON forms (path → the file as JSON, as `qiquan
    /// bundle` writes them beside the texts); the digest is that of the texts.
    #[cfg(feature = "whole")]
    pub fn from_json_forms(
        sources: &[SourceFile],
        json_forms: &std::collections::BTreeMap<&str, &str>,
    ) -> Result<Engine> {
        Bundle::compile_with_json_forms(sources, json_forms)
            .map(|bundle| Engine { bundle })
            .map_err(rules_invalid)
    }

    /// The same rules named as the signed bundle `revision` (every verdict then says it).
    pub fn with_revision(self, revision: Option<String>) -> Engine {
        Engine {
            bundle: self.bundle.with_revision(revision),
        }
    }

    /// The signed bundle's revision these rules came from (`rules_revision` in verdicts).
    pub fn rules_revision(&self) -> Option<&str> {
        self.bundle.revision()
    }

    /// Reads `DIR/matters/**.toml`, `DIR/calendar/*.toml` and `DIR/centre.toml` (optional).
    #[cfg(all(feature = "whole", not(target_arch = "wasm32")))]
    pub fn from_dir(dir: &std::path::Path) -> Result<Engine> {
        Engine::from_sources(&read_rules_dir(dir)?)
    }

    pub fn rules_digest(&self) -> &str {
        self.bundle.digest()
    }

    pub fn bundle(&self) -> &Bundle {
        &self.bundle
    }

    /// Checks a submission; `options` override the submission's time of receipt and channel.
    pub fn check(
        &self,
        matter_id: &str,
        submission: &Submission,
        options: &CheckOptions,
    ) -> Result<Verdict> {
        submission.validate()?;
        check::check(&self.bundle, matter_id, submission, options)
    }

    /// JSON in, JSON out: the verdict exactly as the CLI prints it (without the final newline).
    pub fn check_json(
        &self,
        matter_id: &str,
        submission_json: &str,
        options_json: Option<&str>,
    ) -> Result<String> {
        let (submission, options) = parse_check_input(submission_json, options_json)?;
        let verdict = self.check(matter_id, &submission, &options)?;
        Ok(to_pretty_json(&verdict))
    }

    /// The compact check (outcome, finding codes and targets, checklist flags, pledge
    /// availability; no prose): the same check as [`Engine::check`] without the notice.
    pub fn check_compact(
        &self,
        matter_id: &str,
        submission: &Submission,
        options: &CheckOptions,
    ) -> Result<compact::CompactVerdict> {
        submission.validate()?;
        let (verdict, _) = check::assess(&self.bundle, matter_id, submission, options)?;
        Ok(compact::compact(verdict))
    }

    /// JSON in, one line of JSON out: the compact verdict (`qiquan check --compact`,
    /// `checkCompact`), or the same error as [`Engine::check_json`].
    pub fn check_compact_json(
        &self,
        matter_id: &str,
        submission_json: &str,
        options_json: Option<&str>,
    ) -> Result<String> {
        let (submission, options) = parse_check_input(submission_json, options_json)?;
        let compact = self.check_compact(matter_id, &submission, &options)?;
        compact::to_json(&compact)
    }

    pub fn matters(&self) -> Vec<MatterSummary> {
        self.bundle.summaries().cloned().collect()
    }

    /// The definition a form renders: the version in force on `on` (`YYYY-MM-DD`), or the
    /// newest version when no date is given.
    pub fn matter(&self, matter_id: &str, on: Option<&str>) -> Result<&MatterFile> {
        let versions = self.bundle.versions(matter_id).ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownMatter,
                format!("没有 id 为“{}”的事项。", calendar::clip(matter_id)),
                format!(
                    "There is no matter with id “{}”.",
                    calendar::clip(matter_id)
                ),
            )
        })??;
        let version = match on {
            None => versions.last(),
            Some(day) => check::version_in_force(versions, calendar::parse_date(day)?),
        };
        version.map(|v| &v.rule).ok_or_else(|| {
            Error::new(
                ErrorCode::NoVersionInForce,
                format!("事项“{matter_id}”在该日期没有有效的版本。"),
                format!("No version of matter “{matter_id}” is in force on that date."),
            )
        })
    }

    /// What a material must be handed in as (原件/复印件 and how many, paper or electronic), in
    /// the words the findings use: the forms show it beside each material.
    pub fn requirement(material: &model::Material) -> model::Text {
        messages::describe_form(material)
    }

    /// `from` + `days` working or natural days (start day not counted).
    pub fn deadline(&self, from: &str, days: i64, unit: &str) -> Result<DeadlineAnswer> {
        self.bundle.calendar().deadline(from, days, unit)
    }

    /// The case clock on `as_of` (`YYYY-MM-DD`): the case's events replayed through the
    /// transition function (`case::step`) with the limits of the matter version in force on
    /// the acceptance day and the centre profile's warning reach and pledge gate.
    pub fn case_clock(
        &self,
        matter_id: &str,
        records: &[case::CaseRecord],
        as_of: &str,
    ) -> Result<case::clock::CaseClock> {
        let accepted_on = records
            .iter()
            .find(|r| matches!(r.event, case::CaseEvent::Accepted { .. }))
            .map(|r| r.on.as_str());
        let rule = self.matter(matter_id, accepted_on)?;
        let terms = self.case_terms(rule);
        case::clock::case_clock(self.bundle.calendar(), &terms, records, as_of)
    }

    /// What the case clock needs of a matter version and the centre profile.
    pub fn case_terms(&self, rule: &MatterFile) -> case::clock::CaseTerms {
        let centre = self.bundle.centre();
        case::clock::CaseTerms {
            promised: rule.promised_limit,
            statutory: rule.statutory_limit,
            extension: rule.statutory_extension,
            promised_start: rule.clock_starts.per_limit().promised,
            warning_days: centre
                .and_then(|c| c.warning_days)
                .unwrap_or(case::clock::DEFAULT_WARNING_DAYS),
            gate: centre.and_then(|c| c.pledge_gate).unwrap_or_default(),
        }
    }

    /// The document `records[index]` issues (特别程序告知书, 延期告知书, 准予 / 不予行政许可决定书,
    /// 终止办理告知书, 送达回证), its dates from the case clock on that event's day;
    /// `reference`: the 受理通知书's 文号 (on a 送达回证, the decision's). Unnumbered: the
    /// register calls `numbered` with the sequence it draws.
    pub fn case_document(
        &self,
        matter_id: &str,
        records: &[case::CaseRecord],
        index: usize,
        addressee: &str,
        reference: Option<&str>,
    ) -> Result<case::documents::CaseDocument> {
        let no_document = || {
            Error::new(
                ErrorCode::InvalidCaseEvent,
                "该事件不产生文书。",
                "That event issues no document.",
            )
        };
        let record = records.get(index).ok_or_else(no_document)?;
        let upto = &records[..=index];
        let clock = self.case_clock(matter_id, upto, &record.on)?;
        let rule = self.matter(matter_id, Some(&clock.accepted_on))?;
        let input = case::documents::CaseDocumentInput {
            centre: self.bundle.centre(),
            matter: rule,
            addressee,
            clock: &clock,
            record,
            reference,
        };
        case::documents::render(&input).ok_or_else(no_document)
    }

    /// JSON in (`{"matter", "events", "as_of"}`), JSON out: the case clock (`caseClock`).
    pub fn case_clock_json(&self, input_json: &str) -> Result<String> {
        let input: case::clock::CaseClockInput = parse_json(input_json, "case")?;
        let clock = self.case_clock(&input.matter, &input.events, &input.as_of)?;
        Ok(to_pretty_json(&clock))
    }

    /// The working day `n` working days before `date` (`YYYY-MM-DD`, not counted): counting `n`
    /// working days from the answer with [`Engine::deadline`] gives `date` back when `date` is
    /// a working day. The 容缺 ledger's reminder day.
    pub fn working_days_before(&self, date: &str, n: u32) -> Result<String> {
        let date = calendar::parse_date(date)?;
        let day = self
            .bundle
            .calendar()
            .reckoner()
            .working_days_before(date, n)?;
        Ok(calendar::format_date(day))
    }
}

pub(crate) fn rules_invalid(diagnostics: Vec<Diagnostic>) -> Error {
    let mut error = Error::new(
        ErrorCode::RulesInvalid,
        format!("规则文件有 {} 处错误，无法加载。", diagnostics.len()),
        format!(
            "The rules have {} problem(s) and cannot be loaded.",
            diagnostics.len()
        ),
    );
    for diagnostic in diagnostics {
        error = error.detail(diagnostic.to_string());
    }
    error
}

/// Pretty JSON, as every shell prints it.
pub fn to_pretty_json<T: serde::Serialize>(value: &T) -> String {
    pretty::to_string(value).unwrap_or_else(unserializable_json)
}

/// The error [`to_pretty_json`] prints when a value cannot be serialized (not generic: one copy).
fn unserializable_json(e: String) -> String {
    Error::new(
        ErrorCode::InvalidJson,
        "输出无法序列化。",
        "The output could not be serialized.",
    )
    .detail(e)
    .to_json()
}

/// Appends `value` as pretty JSON to `out`: the bytes [`to_pretty_json`] returns, written into
/// the caller's buffer (the server writes a verdict straight into its response body and hashes
/// it there: one serialization, no copy). On a serialization error `out` is left as it was.
pub fn write_pretty_json<T: serde::Serialize>(out: &mut Vec<u8>, value: &T) -> Result<()> {
    let start = out.len();
    pretty::to_writer(out, value).map_err(|e| {
        out.truncate(start);
        Error::new(
            ErrorCode::InvalidJson,
            "输出无法序列化。",
            "The output could not be serialized.",
        )
        .detail(e)
    })
}

/// The Chinese name of an input, for messages (each message is in one language only).
fn input_name_zh(what: &str) -> &str {
    match what {
        "submission" => "申请数据",
        "options" => "选项",
        "bundle" => "规则包",
        "request" => "请求",
        _ => "输入",
    }
}

/// `input_too_large` for an input of `bytes` bytes: the one message every shell gives (the CLI
/// for a file or standard input, the wasm module for a string, the server for a body).
pub fn input_too_large(what: &str, bytes: usize) -> Error {
    let limit = submission::MAX_SUBMISSION_BYTES;
    Error::new(
        ErrorCode::InputTooLarge,
        format!(
            "{}过大（{bytes} 字节），上限为 {limit} 字节。",
            input_name_zh(what)
        ),
        format!("The {what} is too large ({bytes} bytes); the limit is {limit} bytes."),
    )
}

/// Parses caller JSON given as bytes: the size limit first (so a cut inside a multi-byte
/// character is still `input_too_large`), then UTF-8 (`invalid_json` with the line and column of
/// the first bad byte), then [`parse_json`].
pub fn parse_json_bytes<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T> {
    parse_json(utf8_input(bytes, what)?, what)
}

/// The text of an input given as bytes, or the error every shell gives for it: too large
/// (checked first), or not UTF-8.
pub fn utf8_input<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str> {
    if bytes.len() > submission::MAX_SUBMISSION_BYTES {
        return Err(input_too_large(what, bytes.len()));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
        let zh = input_name_zh(what);
        Error::new(
            ErrorCode::InvalidJson,
            format!("{zh}不是 UTF-8 编码（第 {line} 行第 {column} 列）。"),
            format!("The {what} is not UTF-8 (invalid byte at line {line} column {column})."),
        )
    })
}

/// Parses caller JSON with a size limit, telling malformed JSON from a wrong shape. The zh
/// message gives the position only; the en message adds the parser's own (English) words.
/// A struct is read from a JSON object only ([`json_maps`]; serde_json would read an array
/// field by field): a whole input that is an array is [`not_an_object`], a nested one
/// `invalid type: sequence, expected struct …`.
pub fn parse_json<T: serde::de::DeserializeOwned>(json: &str, what: &str) -> Result<T> {
    if json.len() > submission::MAX_SUBMISSION_BYTES {
        return Err(input_too_large(what, json.len()));
    }
    json_maps::from_str(json).map_err(|e| {
        use serde_json::error::Category;
        let what_zh = input_name_zh(what);
        if let Some(at) = top_level_array(json, &e) {
            return not_an_object(json, what, at);
        }
        let (line, column) = (e.line(), e.column());
        // serde_json reports a wrongly typed enum (e.g. `"kind": 5`) as a syntax error; it is a
        // shape error if the text is well-formed JSON.
        // (Parsed as a Value, which keeps the recursion limit that IgnoredAny skips.)
        let well_formed = || serde_json::from_str::<serde_json::Value>(json).is_ok();
        let shape_error = || {
            Error::new(
                ErrorCode::InvalidSubmission,
                format!("{what_zh}的数据结构不正确（第 {line} 行第 {column} 列）。"),
                format!("The {what} does not have the expected shape: {e}"),
            )
        };
        match e.classify() {
            Category::Data => shape_error(),
            Category::Syntax if well_formed() => shape_error(),
            _ => invalid_json(what, &e),
        }
    })
}

/// Where the JSON array starts, when `e` refuses the whole text for being one (an input read
/// as a struct is an object; serde_json places that error just before the `[`).
fn top_level_array(json: &str, e: &serde_json::Error) -> Option<usize> {
    let at = json.len() - json.trim_start_matches([' ', '\t', '\n', '\r']).len();
    let refused_here = e.classify() == serde_json::error::Category::Data
        && (e.line(), e.column()) == line_column(&json[..at]);
    (json[at..].starts_with('[') && refused_here).then_some(at)
}

/// The line (from 1) and column (0 at a line's start, as serde_json counts) at the end of `before`.
fn line_column(before: &str) -> (usize, usize) {
    let line = before.matches('\n').count() + 1;
    (line, before.len() - before.rfind('\n').map_or(0, |i| i + 1))
}

/// The answer for an input that is a JSON array where an object belongs: `invalid_submission`
/// if the text is well-formed JSON (with the line and column of the `[`), else `invalid_json`
/// with the syntax error's own position.
fn not_an_object(json: &str, what: &str, at: usize) -> Error {
    // (Parsed as a Value, which keeps the recursion limit that IgnoredAny skips.)
    if let Err(e) = serde_json::from_str::<serde_json::Value>(json) {
        return invalid_json(what, &e);
    }
    let (line, column) = line_column(&json[..at]);
    let column = column + 1;
    Error::new(
        ErrorCode::InvalidSubmission,
        format!(
            "{}应为 JSON 对象（{{…}}），而不是数组（第 {line} 行第 {column} 列）。",
            input_name_zh(what)
        ),
        format!(
            "The {what} does not have the expected shape: a JSON object ({{…}}) is expected, not an array (line {line} column {column})."
        ),
    )
}

/// `invalid_json` for a syntax error.
fn invalid_json(what: &str, e: &serde_json::Error) -> Error {
    let (line, column) = (e.line(), e.column());
    Error::new(
        ErrorCode::InvalidJson,
        format!(
            "{}不是有效的 JSON（第 {line} 行第 {column} 列）。",
            input_name_zh(what)
        ),
        format!("The {what} is not valid JSON: {e}"),
    )
}

/// SHA-256 of a verdict's JSON bytes, as `sha256:<hex>`: the server compares the client's.
pub fn verdict_digest(verdict_json: &str) -> String {
    verdict_digest_bytes(verdict_json.as_bytes())
}

/// [`verdict_digest`] of the bytes [`write_pretty_json`] wrote (no UTF-8 check first: a hash
/// does not need one, and 14 KB of mostly Chinese text took 4.5% of a server check to check).
pub fn verdict_digest_bytes(verdict_json: &[u8]) -> String {
    digest::sha256_tagged(verdict_json)
}

#[cfg(not(target_arch = "wasm32"))]
pub use rules_dir::read_rules_dir;

#[cfg(test)]
mod tests {
    use super::{CheckOptions, ErrorCode, Submission, parse_json};

    fn error(json: &str, what: &str) -> (ErrorCode, String, String) {
        let e = match what {
            "options" => parse_json::<CheckOptions>(json, what).unwrap_err(),
            _ => parse_json::<Submission>(json, what).unwrap_err(),
        };
        (e.code, e.message.zh, e.message.en)
    }

    /// A whole input that is an array: `invalid_submission` at the `[` if well-formed, else the
    /// syntax error (serde_json's array arm is not in the engine: structs are read from maps).
    #[test]
    fn an_array_is_not_an_object() {
        let (code, zh, en) = error("[1,2,3]", "submission");
        assert_eq!(code, ErrorCode::InvalidSubmission);
        assert_eq!(
            zh,
            "申请数据应为 JSON 对象（{…}），而不是数组（第 1 行第 1 列）。"
        );
        assert_eq!(
            en,
            "The submission does not have the expected shape: a JSON object ({…}) is expected, not an array (line 1 column 1)."
        );
        let (code, zh, _) = error(" \n  [] ", "options");
        assert_eq!(code, ErrorCode::InvalidSubmission);
        assert_eq!(
            zh,
            "选项应为 JSON 对象（{…}），而不是数组（第 2 行第 3 列）。"
        );
        let (code, _, en) = error("[1,", "submission");
        assert_eq!(code, ErrorCode::InvalidJson);
        assert_eq!(
            en,
            "The submission is not valid JSON: EOF while parsing a value at line 1 column 3"
        );
        // Nested: serde's own words, at its position.
        let (code, _, en) = error(r#"{"applicant": ["natural_person"]}"#, "submission");
        assert_eq!(code, ErrorCode::InvalidSubmission);
        assert_eq!(
            en,
            "The submission does not have the expected shape: invalid type: sequence, expected struct Applicant at line 1 column 14"
        );
    }
}
