//! Rules → compile: turns rule-file sources into a checked, ready-to-run bundle.
//!
//! The same compiler serves the embedded bundle (built into the engine and the wasm module),
//! run-time loading (`--rules DIR`, `loadRules`) and `qiquan lint`: a bundle that would not lint
//! clean does not load, so a running engine never holds rules that lint rejects.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use regex_lite::Regex;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, parse_date, working_days_span_bound};
use crate::centre::{CENTRE_PATH, CentreProfile, check_centre};
use crate::model::{
    ApplicantKind, CalendarFile, CaseType, Condition, ConditionValue, FieldKind, LimitUnit,
    MatterFile, TimeLimit,
};

mod lint_code;
mod versions;

pub use lint_code::{LintCode, Severity};

/// One rule file: its path relative to the rules directory (`matters/…/x.toml`,
/// `calendar/2026.toml`) and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// A lint finding in a rule file, printed as `path:line:col: code: message` (an error) or
/// `path:line:col: code (warning): message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub code: LintCode,
    /// Always `code.severity()`: an error keeps the rules from loading, a warning does not.
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let marker = match self.severity {
            Severity::Error => "",
            Severity::Warning => " (warning)",
        };
        write!(
            f,
            "{}:{}:{}: {}{marker}: {}",
            self.file, self.line, self.column, self.code, self.message
        )
    }
}

/// A compiled condition: field references resolved to indices.
#[derive(Debug, Clone)]
pub(crate) enum Cond {
    Equals(usize, ConditionValue),
    OneOf(usize, Vec<ConditionValue>),
    IsSet(usize, bool),
    GreaterThan(usize, f64),
    LessThan(usize, f64),
    ApplicantKind(Vec<ApplicantKind>),
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
}

#[derive(Debug, Clone)]
pub(crate) struct FieldRuntime {
    pub when: Option<Cond>,
    pub pattern: Option<Regex>,
}

/// One version of a matter, ready to check against.
#[derive(Debug, Clone)]
pub struct MatterVersion {
    pub rule: MatterFile,
    pub source: String,
    pub effective_from: NaiveDate,
    pub effective_until: Option<NaiveDate>,
    pub(crate) fields: Vec<FieldRuntime>,
    pub(crate) material_when: Vec<Option<Cond>>,
    pub(crate) field_index: HashMap<String, usize>,
    pub(crate) material_index: HashMap<String, usize>,
    /// Field and material positions in id order, so a check pairs them with a submission's
    /// (sorted) maps in one merge walk instead of a map search per id.
    pub(crate) fields_by_id: Vec<usize>,
    pub(crate) materials_by_id: Vec<usize>,
}

/// A compiled rules bundle: matters (versions sorted by effective date), the calendar and the
/// digest that identifies exactly these sources.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub(crate) matters: BTreeMap<String, Vec<MatterVersion>>,
    pub(crate) calendar: Calendar,
    /// The issuing centre (`centre.toml`), when the rules carry one.
    pub(crate) centre: Option<CentreProfile>,
    digest: String,
}

impl Bundle {
    pub fn digest(&self) -> &str {
        &self.digest
    }

    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    pub fn centre(&self) -> Option<&CentreProfile> {
        self.centre.as_ref()
    }

    /// Compiles sources; any error makes the whole bundle invalid (warnings do not: see
    /// [`lint`]). The `Err` holds the errors.
    pub fn compile(sources: &[SourceFile]) -> Result<Bundle, Vec<Diagnostic>> {
        only_errors(compile(sources, Validation::Types, None))
    }

    /// Compiles the rules embedded by build.rs: `(path, TOML text, the same as JSON)` and their
    /// precomputed digest. The same compiler as [`Bundle::compile`]; the JSON form only spares
    /// the TOML parse (a file whose JSON does not deserialize goes through TOML, with positions).
    pub(crate) fn compile_embedded(
        files: &[(&str, &str, Option<&str>)],
        digest: &str,
    ) -> Result<Bundle, Vec<Diagnostic>> {
        let sources: Vec<SourceFile> = files
            .iter()
            .map(|(path, text, _)| SourceFile {
                path: (*path).to_string(),
                text: (*text).to_string(),
            })
            .collect();
        let prepared = Prepared {
            parsed: files
                .iter()
                .filter_map(|(path, _, json)| Some((*path, (*json)?)))
                .collect(),
            digest,
        };
        only_errors(compile(&sources, Validation::Types, Some(&prepared)))
    }
}

fn only_errors(
    (bundle, diagnostics): (Option<Bundle>, Vec<Diagnostic>),
) -> Result<Bundle, Vec<Diagnostic>> {
    bundle.ok_or_else(|| {
        diagnostics
            .into_iter()
            .filter(Diagnostic::is_error)
            .collect()
    })
}

/// What build.rs prepared for the embedded rules: each file's JSON form, by path, and the
/// digest of the sources.
struct Prepared<'a> {
    parsed: BTreeMap<&'a str, &'a str>,
    digest: &'a str,
}

/// How deeply to check: `Schema` adds JSON Schema validation (native lint only; the schema
/// validator is too large to ship to phones, and the typed parse catches the same mistakes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validation {
    Types,
    #[cfg(feature = "schema")]
    Schema,
}

/// `qiquan lint`: every problem in every file, in path order, warnings included (the files
/// load when none is an error).
pub fn lint(sources: &[SourceFile], validation: Validation) -> Vec<Diagnostic> {
    compile(sources, validation, None).1
}

/// The digest of a set of sources: SHA-256 over the sorted (path, text) pairs.
pub fn digest(sources: &[SourceFile]) -> String {
    let mut sorted: Vec<&SourceFile> = sources.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    crate::digest::digest_sorted(sorted.iter().map(|s| (s.path.as_str(), s.text.as_str())))
}

enum Kind {
    Matter,
    Calendar,
    Centre,
}

fn kind_of(path: &str) -> Option<Kind> {
    if !path.ends_with(".toml") {
        return None;
    }
    if path == CENTRE_PATH {
        return Some(Kind::Centre);
    }
    if path.starts_with("matters/") {
        Some(Kind::Matter)
    } else if path.starts_with("calendar/") {
        Some(Kind::Calendar)
    } else {
        None
    }
}

/// Collects diagnostics for one file, locating JSON-pointer paths in its text.
pub(crate) struct Reporter<'a> {
    source: &'a SourceFile,
    /// The file pre-parsed into JSON (embedded rules only).
    parsed: Option<&'a str>,
    out: &'a mut Vec<Diagnostic>,
}

impl Reporter<'_> {
    fn at_offset(&mut self, offset: usize, code: LintCode, message: String) {
        let (line, column) = line_column(&self.source.text, offset);
        self.out.push(Diagnostic {
            file: self.source.path.clone(),
            line,
            column,
            code,
            severity: code.severity(),
            message,
        });
    }

    pub(crate) fn at(&mut self, pointer: &str, code: LintCode, message: String) {
        let offset = locate(&self.source.text, pointer);
        self.at_offset(offset, code, message);
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The byte offset of the value a JSON pointer names (or of its nearest existing ancestor).
fn locate(text: &str, pointer: &str) -> usize {
    use toml::de::{DeTable, DeValue};
    let Ok(root) = DeTable::parse(text) else {
        return 0;
    };
    let mut offset = 0;
    let mut table: Option<&DeTable> = Some(root.get_ref());
    let mut array: Option<&toml::de::DeArray> = None;
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        let next = if let Some(t) = table {
            t.iter()
                .find(|(k, _)| k.get_ref().as_ref() == segment)
                .map(|(_, v)| v)
        } else if let Some(a) = array {
            segment.parse::<usize>().ok().and_then(|i| a.get(i))
        } else {
            None
        };
        let Some(value) = next else { break };
        offset = value.span().start;
        table = None;
        array = None;
        match value.get_ref() {
            DeValue::Table(t) => table = Some(t),
            DeValue::Array(a) => array = Some(a),
            _ => {}
        }
    }
    offset
}

/// The bundle (`None` if any diagnostic is an error) and every diagnostic, in path order.
fn compile(
    sources: &[SourceFile],
    validation: Validation,
    prepared: Option<&Prepared<'_>>,
) -> (Option<Bundle>, Vec<Diagnostic>) {
    let mut sorted: Vec<&SourceFile> = sources.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));

    let mut diagnostics = Vec::new();
    let mut versions: Vec<MatterVersion> = Vec::new();
    let mut calendar = Calendar::default();
    let mut calendar_years: HashMap<i32, String> = HashMap::new();
    let mut centre = None;

    for source in sorted {
        let mut reporter = Reporter {
            source,
            parsed: prepared.and_then(|p| p.parsed.get(source.path.as_str()).copied()),
            out: &mut diagnostics,
        };
        match kind_of(&source.path) {
            Some(Kind::Matter) => {
                if let Some(rule) =
                    parse::<MatterFile>(&mut reporter, validation, SchemaKind::Matter)
                    && let Some(version) = compile_matter(&mut reporter, rule)
                {
                    versions.push(version);
                }
            }
            Some(Kind::Calendar) => {
                if let Some(file) =
                    parse::<CalendarFile>(&mut reporter, validation, SchemaKind::Calendar)
                {
                    compile_calendar(&mut reporter, file, &mut calendar, &mut calendar_years);
                }
            }
            Some(Kind::Centre) => {
                if let Some(profile) =
                    parse::<CentreProfile>(&mut reporter, validation, SchemaKind::Centre)
                {
                    check_centre(&mut reporter, &profile);
                    centre = Some(profile);
                }
            }
            None => {}
        }
    }

    calendar.finish();
    let matters = group_versions(versions, sources, &mut diagnostics);
    // (Against a calendar with errors, coverage would only repeat them.)
    let calendar_errors = diagnostics
        .iter()
        .any(|d| d.is_error() && kind_of(&d.file).is_some_and(|k| matches!(k, Kind::Calendar)));
    if !calendar_errors {
        versions::check_calendar_coverage(&matters, &calendar, sources, &mut diagnostics);
    }
    if matters.is_empty() && !diagnostics.iter().any(Diagnostic::is_error) {
        let code = LintCode::NoMatters;
        diagnostics.push(Diagnostic {
            file: String::from("."),
            line: 1,
            column: 1,
            code,
            severity: code.severity(),
            message: "规则目录中没有事项文件（matters/**.toml） / the rules contain no matter files (matters/**.toml)".into(),
        });
    }
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    if diagnostics.iter().any(Diagnostic::is_error) {
        return (None, diagnostics);
    }
    let bundle = Bundle {
        matters,
        calendar,
        centre,
        digest: match prepared {
            Some(prepared) => prepared.digest.to_string(),
            None => digest(sources),
        },
    };
    (Some(bundle), diagnostics)
}

#[derive(Clone, Copy)]
enum SchemaKind {
    Matter,
    Calendar,
    Centre,
}

fn parse<T: serde::de::DeserializeOwned>(
    reporter: &mut Reporter<'_>,
    validation: Validation,
    kind: SchemaKind,
) -> Option<T> {
    if let Some(json) = reporter.parsed
        && validation == Validation::Types
        && let Ok(value) = serde_json::from_str::<T>(json)
    {
        return Some(value);
    }
    let text = &reporter.source.text;
    let table = match toml::de::DeTable::parse(text) {
        Ok(table) => table,
        Err(error) => {
            let offset = error.span().map_or(0, |s| s.start);
            reporter.at_offset(offset, LintCode::Syntax, first_line(error.message()));
            return None;
        }
    };
    #[cfg(feature = "schema")]
    if validation == Validation::Schema && !schema_check(reporter, kind) {
        return None;
    }
    let _ = (validation, kind);
    let deserializer = toml::de::Deserializer::from(table);
    match T::deserialize(deserializer) {
        Ok(value) => Some(value),
        Err(error) => {
            let offset = error.span().map_or(0, |s| s.start);
            let message = first_line(error.message());
            let code = if message.starts_with("unknown field") {
                LintCode::UnknownKey
            } else if message.starts_with("missing field") {
                LintCode::MissingKey
            } else {
                LintCode::InvalidValue
            };
            reporter.at_offset(offset, code, message);
            None
        }
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or("").trim().to_string()
}

/// Validates a file against the JSON Schema generated from `model`; reports every violation.
#[cfg(feature = "schema")]
fn schema_check(reporter: &mut Reporter<'_>, kind: SchemaKind) -> bool {
    use std::sync::OnceLock;
    static MATTER: OnceLock<jsonschema::Validator> = OnceLock::new();
    static CALENDAR: OnceLock<jsonschema::Validator> = OnceLock::new();
    static CENTRE: OnceLock<jsonschema::Validator> = OnceLock::new();
    let validator = match kind {
        SchemaKind::Matter => MATTER.get_or_init(|| {
            jsonschema::validator_for(&crate::schema::matter_schema()).expect("generated schema")
        }),
        SchemaKind::Calendar => CALENDAR.get_or_init(|| {
            jsonschema::validator_for(&crate::schema::calendar_schema()).expect("generated schema")
        }),
        SchemaKind::Centre => CENTRE.get_or_init(|| {
            jsonschema::validator_for(&crate::schema::centre_schema()).expect("generated schema")
        }),
    };
    let Ok(instance) = toml::from_str::<serde_json::Value>(&reporter.source.text) else {
        return true; // the typed parse reports it
    };
    let mut ok = true;
    for error in validator.iter_errors(&instance) {
        ok = false;
        let mut pointer = error.instance_path().as_str().to_string();
        let code = match error.kind() {
            jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                // Point at the offending key itself, not at its table.
                if let Some(key) = unexpected.first() {
                    pointer = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                }
                LintCode::UnknownKey
            }
            jsonschema::error::ValidationErrorKind::Required { .. } => LintCode::MissingKey,
            _ => LintCode::Schema,
        };
        let shown = if pointer.is_empty() {
            "/"
        } else {
            pointer.as_str()
        };
        reporter.at(&pointer, code, format!("{error} (at {shown})"));
    }
    ok
}

fn is_identifier(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
        && id.len() <= 64
}

/// Whether a period of `a` ends after one of `b` from every start day (both counted from the
/// same day; natural periods move off rest days, 民法典 §203). False when it depends on the
/// start day.
fn surely_longer(a: TimeLimit, b: TimeLimit) -> bool {
    use LimitUnit::*;
    match (a.unit, b.unit) {
        (OnTheSpot, _) => false,
        (_, OnTheSpot) => a.value > 0,
        (WorkingDays, WorkingDays) | (NaturalDays, NaturalDays) => a.value > b.value,
        // n natural days end on the first working day on or after day n, which is at most the
        // n-th working day: n + 1 working days always end later.
        (WorkingDays, NaturalDays) => a.value > b.value,
        // k natural days end after n working days from every start day only when k is past
        // the longest span n working days can take.
        (NaturalDays, WorkingDays) => u64::from(a.value) > working_days_span_bound(b.value),
    }
}

/// An engine error's message as one lint line: Chinese, then English.
fn both(message: &crate::model::Text) -> String {
    format!("{} / {}", message.zh, message.en)
}

fn describe_zh(limit: TimeLimit) -> String {
    match limit.unit {
        LimitUnit::WorkingDays => format!("{} 个工作日", limit.value),
        LimitUnit::NaturalDays => format!("{} 日", limit.value),
        LimitUnit::OnTheSpot => "当场".into(),
    }
}

fn describe_en(limit: TimeLimit) -> String {
    match limit.unit {
        LimitUnit::WorkingDays => format!("{} working days", limit.value),
        LimitUnit::NaturalDays => format!("{} natural days", limit.value),
        LimitUnit::OnTheSpot => "on the spot".into(),
    }
}

fn check_limit(reporter: &mut Reporter<'_>, pointer: &str, limit: TimeLimit) {
    if limit.unit == LimitUnit::OnTheSpot && limit.value != 0 {
        reporter.at(
            pointer,
            LintCode::InvalidLimit,
            "“当场”时限的 value 必须为 0 / an on_the_spot limit must have value = 0".into(),
        );
    }
    if i64::from(limit.value) > crate::calendar::MAX_DAYS {
        reporter.at(
            pointer,
            LintCode::InvalidLimit,
            format!(
                "时限过长（上限 {} 天） / limit too long (at most {} days)",
                crate::calendar::MAX_DAYS,
                crate::calendar::MAX_DAYS
            ),
        );
    }
}

fn compile_matter(reporter: &mut Reporter<'_>, rule: MatterFile) -> Option<MatterVersion> {
    let before = reporter.out.len();
    if !is_identifier(&rule.matter) {
        reporter.at(
            "/matter",
            LintCode::InvalidId,
            format!("事项 id“{}”应为小写字母、数字和下划线 / matter id `{}` must be lower_snake_case ASCII", rule.matter, rule.matter),
        );
    }
    if rule.version.trim().is_empty() {
        reporter.at(
            "/version",
            LintCode::InvalidValue,
            "version 不能为空 / version must not be empty".into(),
        );
    }
    let effective_from = match parse_date(&rule.effective_from) {
        Ok(date) => Some(date),
        Err(e) => {
            reporter.at("/effective_from", LintCode::InvalidDate, both(&e.message));
            None
        }
    };
    let effective_until = match rule.effective_until.as_deref().map(parse_date) {
        None => None,
        Some(Ok(date)) => Some(date),
        Some(Err(e)) => {
            reporter.at("/effective_until", LintCode::InvalidDate, both(&e.message));
            None
        }
    };
    if let (Some(from), Some(until)) = (effective_from, effective_until)
        && until < from
    {
        reporter.at(
            "/effective_until",
            LintCode::InvalidDate,
            "effective_until 早于 effective_from / effective_until is before effective_from".into(),
        );
    }
    if rule.applicant_kinds.is_empty() {
        reporter.at(
            "/applicant_kinds",
            LintCode::InvalidValue,
            "至少列出一种服务对象 / list at least one applicant kind".into(),
        );
    }
    let mut seen_kinds = HashSet::new();
    for (i, kind) in rule.applicant_kinds.iter().enumerate() {
        if !seen_kinds.insert(kind) {
            reporter.at(
                &format!("/applicant_kinds/{i}"),
                LintCode::DuplicateId,
                "服务对象重复 / applicant kind listed twice".into(),
            );
        }
    }

    check_limit(reporter, "/statutory_limit", rule.statutory_limit);
    check_limit(reporter, "/promised_limit", rule.promised_limit);
    if let Some(extension) = rule.statutory_extension {
        check_limit(reporter, "/statutory_extension", extension);
    }
    if rule.case_type == CaseType::Instant && rule.promised_limit.unit != LimitUnit::OnTheSpot {
        reporter.at(
            "/promised_limit",
            LintCode::InstantNotOnTheSpot,
            format!(
                "即办件必须当场办结，承诺时限却是{}：改为 promised_limit = {{ value = 0, unit = \"on_the_spot\" }}，或把 case_type 改为 promised（承诺件） / an instant matter (即办件) is decided on the spot, but the promised limit is {}: set promised_limit = {{ value = 0, unit = \"on_the_spot\" }}, or make case_type promised",
                describe_zh(rule.promised_limit),
                describe_en(rule.promised_limit)
            ),
        );
    }
    if surely_longer(rule.promised_limit, rule.statutory_limit) {
        reporter.at(
            "/promised_limit",
            LintCode::PromisedExceedsStatutory,
            format!(
                "承诺时限（{}）无论哪天受理都晚于法定时限（{}）届满：承诺时限不得长于法定时限，请缩短 / the promised limit ({}) ends after the statutory limit ({}) whatever the day of acceptance: a promise may not exceed the law, shorten it",
                describe_zh(rule.promised_limit),
                describe_zh(rule.statutory_limit),
                describe_en(rule.promised_limit),
                describe_en(rule.statutory_limit)
            ),
        );
    }

    // Fields: ids, per-type attributes, patterns, conditions (which may only look back, so that
    // evaluating them in order never loops).
    let mut field_index = HashMap::new();
    let mut fields = Vec::with_capacity(rule.fields.len());
    for (i, field) in rule.fields.iter().enumerate() {
        let at = format!("/fields/{i}");
        if !is_identifier(&field.id) {
            reporter.at(&format!("{at}/id"), LintCode::InvalidId, format!("字段 id“{}”应为小写字母、数字和下划线 / field id `{}` must be lower_snake_case ASCII", field.id, field.id));
        }
        let when = field.when.as_ref().and_then(|c| {
            compile_condition(reporter, &format!("{at}/when"), c, &rule, &field_index)
        });
        if field_index.insert(field.id.clone(), i).is_some() {
            reporter.at(
                &format!("{at}/id"),
                LintCode::DuplicateId,
                format!(
                    "字段 id“{}”重复 / duplicate field id `{}`",
                    field.id, field.id
                ),
            );
        }
        let text_like = matches!(field.kind, FieldKind::Text | FieldKind::Phone);
        let not_applicable = |name: &str| {
            format!(
                "{name} 不适用于 {:?} 类型字段 / `{name}` does not apply to a field of this type",
                field.kind
            )
        };
        if field.pattern.is_some() && !text_like {
            reporter.at(
                &format!("{at}/pattern"),
                LintCode::AttributeNotApplicable,
                not_applicable("pattern"),
            );
        }
        if (field.min_length.is_some() || field.max_length.is_some()) && !text_like {
            reporter.at(
                &at,
                LintCode::AttributeNotApplicable,
                not_applicable("min_length/max_length"),
            );
        }
        if (field.min.is_some() || field.max.is_some()) && field.kind != FieldKind::Number {
            reporter.at(
                &at,
                LintCode::AttributeNotApplicable,
                not_applicable("min/max"),
            );
        }
        if let (Some(min), Some(max)) = (field.min, field.max)
            && min > max
        {
            reporter.at(
                &format!("{at}/min"),
                LintCode::InvalidRange,
                "min 大于 max / min is greater than max".into(),
            );
        }
        if let (Some(min), Some(max)) = (field.min_length, field.max_length)
            && min > max
        {
            reporter.at(
                &format!("{at}/min_length"),
                LintCode::InvalidRange,
                "min_length 大于 max_length / min_length is greater than max_length".into(),
            );
        }
        if field.kind == FieldKind::Choice {
            if field.options.is_empty() {
                reporter.at(
                    &at,
                    LintCode::MissingOptions,
                    "选择型字段必须列出 options / a choice field needs options".into(),
                );
            }
            let mut ids = HashSet::new();
            for (j, option) in field.options.iter().enumerate() {
                if !ids.insert(option.id.as_str()) {
                    reporter.at(
                        &format!("{at}/options/{j}/id"),
                        LintCode::DuplicateId,
                        format!(
                            "选项 id“{}”重复 / duplicate option id `{}`",
                            option.id, option.id
                        ),
                    );
                }
            }
        } else if !field.options.is_empty() {
            reporter.at(
                &format!("{at}/options"),
                LintCode::AttributeNotApplicable,
                not_applicable("options"),
            );
        }
        let pattern = match field.pattern.as_deref() {
            None => None,
            // Anchored so the pattern must match the whole value.
            Some(p) => match Regex::new(&format!("^(?:{p})$")) {
                Ok(regex) => Some(regex),
                Err(e) => {
                    reporter.at(
                        &format!("{at}/pattern"),
                        LintCode::InvalidRegex,
                        format!(
                            "正则表达式无法编译 / the regex does not compile: {}",
                            first_line(&e.to_string())
                        ),
                    );
                    None
                }
            },
        };
        fields.push(FieldRuntime { when, pattern });
    }

    // Materials.
    let promised = rule.promised_limit;
    let mut material_index = HashMap::new();
    let mut material_when = Vec::with_capacity(rule.materials.len());
    if rule.materials.is_empty() {
        reporter.at(
            "/",
            LintCode::InvalidValue,
            "至少列出一项申请材料 / list at least one material".into(),
        );
    }
    for (i, material) in rule.materials.iter().enumerate() {
        let at = format!("/materials/{i}");
        if !is_identifier(&material.id) {
            reporter.at(&format!("{at}/id"), LintCode::InvalidId, format!("材料 id“{}”应为小写字母、数字和下划线 / material id `{}` must be lower_snake_case ASCII", material.id, material.id));
        }
        if material_index.insert(material.id.clone(), i).is_some() {
            reporter.at(
                &format!("{at}/id"),
                LintCode::DuplicateId,
                format!(
                    "材料 id“{}”重复 / duplicate material id `{}`",
                    material.id, material.id
                ),
            );
        }
        if material.tolerable && material.key {
            reporter.at(
                &format!("{at}/tolerable"),
                LintCode::TolerableKeyMaterial,
                "主件不能容缺 / a key material cannot be tolerable (容缺)".into(),
            );
        }
        if material.tolerable && rule.case_type == CaseType::Instant {
            reporter.at(&format!("{at}/tolerable"), LintCode::ToleranceOnInstantMatter, "即办件不适用容缺受理 / deficiency-tolerant acceptance does not apply to instant matters".into());
        }
        match (material.tolerable, material.pledge_period) {
            (true, None) => reporter.at(&format!("{at}/tolerable"), LintCode::MissingPledgePeriod, "容缺材料必须规定承诺补交期限 pledge_period / a tolerable material needs a pledge_period".into()),
            (false, Some(_)) => reporter.at(&format!("{at}/pledge_period"), LintCode::PledgePeriodWithoutTolerance, "非容缺材料不应规定 pledge_period / pledge_period is set on a material that is not tolerable".into()),
            (true, Some(period)) => {
                check_limit(reporter, &format!("{at}/pledge_period"), period);
                if period.unit == LimitUnit::OnTheSpot || period.value == 0 {
                    reporter.at(&format!("{at}/pledge_period"), LintCode::InvalidLimit, "承诺补交期限至少 1 天 / a pledge period must be at least one day".into());
                }
                // (On an instant matter the tolerance itself is the mistake.)
                if rule.case_type != CaseType::Instant && surely_longer(period, promised) {
                    reporter.at(&format!("{at}/pledge_period"), LintCode::PledgeExceedsPromised, format!("承诺补交期限（{}）无论哪天受理都晚于承诺办结时限（{}）届满：材料补齐前就要办结，请缩短补交期限 / the pledge period ({}) ends after the promised limit ({}) whatever the day of acceptance, so the matter would be due before the material: shorten the pledge period", describe_zh(period), describe_zh(promised), describe_en(period), describe_en(promised)));
                }
            }
            (false, None) => {}
        }
        let when = material.when.as_ref().and_then(|c| {
            compile_condition(reporter, &format!("{at}/when"), c, &rule, &field_index)
        });
        material_when.push(when);
    }

    if reporter.out.len() > before {
        return None;
    }
    let mut fields_by_id: Vec<usize> = (0..rule.fields.len()).collect();
    fields_by_id.sort_unstable_by(|&a, &b| rule.fields[a].id.cmp(&rule.fields[b].id));
    let mut materials_by_id: Vec<usize> = (0..rule.materials.len()).collect();
    materials_by_id.sort_unstable_by(|&a, &b| rule.materials[a].id.cmp(&rule.materials[b].id));
    Some(MatterVersion {
        source: reporter.source.path.clone(),
        effective_from: effective_from?,
        effective_until,
        fields,
        material_when,
        field_index,
        material_index,
        fields_by_id,
        materials_by_id,
        rule,
    })
}

fn compile_condition(
    reporter: &mut Reporter<'_>,
    at: &str,
    condition: &Condition,
    rule: &MatterFile,
    known_fields: &HashMap<String, usize>,
) -> Option<Cond> {
    let forms = [
        condition.equals.is_some(),
        condition.one_of.is_some(),
        condition.is_set.is_some(),
        condition.greater_than.is_some(),
        condition.less_than.is_some(),
        condition.applicant_kind.is_some(),
        condition.all.is_some(),
        condition.any.is_some(),
        condition.not.is_some(),
    ];
    let count = forms.iter().filter(|&&f| f).count();
    let needs_field = condition.applicant_kind.is_none()
        && condition.all.is_none()
        && condition.any.is_none()
        && condition.not.is_none();
    if count != 1 || needs_field != condition.field.is_some() {
        reporter.at(
            at,
            LintCode::InvalidCondition,
            "条件必须恰好是一种形式：{ field, equals|one_of|is_set|greater_than|less_than }、{ applicant_kind }、{ all }、{ any } 或 { not } / a condition must have exactly one form".into(),
        );
        return None;
    }
    let list = |reporter: &mut Reporter<'_>, key: &str, items: &[Condition]| -> Option<Vec<Cond>> {
        if items.is_empty() {
            reporter.at(
                &format!("{at}/{key}"),
                LintCode::InvalidCondition,
                format!("{key} 不能为空 / `{key}` must not be empty"),
            );
            return None;
        }
        let compiled: Vec<Option<Cond>> = items
            .iter()
            .enumerate()
            .map(|(i, c)| {
                compile_condition(reporter, &format!("{at}/{key}/{i}"), c, rule, known_fields)
            })
            .collect();
        compiled.into_iter().collect()
    };
    if let Some(items) = &condition.all {
        return list(reporter, "all", items).map(Cond::All);
    }
    if let Some(items) = &condition.any {
        return list(reporter, "any", items).map(Cond::Any);
    }
    if let Some(inner) = &condition.not {
        return compile_condition(reporter, &format!("{at}/not"), inner, rule, known_fields)
            .map(|c| Cond::Not(Box::new(c)));
    }
    if let Some(kinds) = &condition.applicant_kind {
        if kinds.is_empty() {
            reporter.at(
                &format!("{at}/applicant_kind"),
                LintCode::InvalidCondition,
                "applicant_kind 不能为空 / `applicant_kind` must not be empty".into(),
            );
            return None;
        }
        return Some(Cond::ApplicantKind(kinds.clone()));
    }
    let name = condition.field.as_deref().unwrap_or_default();
    let Some(&index) = known_fields.get(name) else {
        let later = rule.fields.iter().any(|f| f.id == name);
        if later {
            reporter.at(&format!("{at}/field"), LintCode::ConditionForwardReference, format!("字段条件只能引用在它之前定义的字段“{name}” / a field's condition may only name fields defined before it (`{name}`)"));
        } else {
            reporter.at(
                &format!("{at}/field"),
                LintCode::UnknownFieldInCondition,
                format!(
                    "条件引用了不存在的字段“{name}” / the condition names an unknown field `{name}`"
                ),
            );
        }
        return None;
    };
    let field = &rule.fields[index];
    let check_value = |reporter: &mut Reporter<'_>,
                       pointer: String,
                       value: &ConditionValue|
     -> bool {
        let fits = match (field.kind, value) {
            (FieldKind::Boolean, ConditionValue::Bool(_)) => true,
            (FieldKind::Number, ConditionValue::Number(_)) => true,
            (FieldKind::Choice, ConditionValue::Text(t)) => {
                if field.options.iter().any(|o| &o.id == t) {
                    true
                } else {
                    reporter.at(
                        &pointer,
                        LintCode::UnknownOption,
                        format!("字段“{name}”没有选项“{t}” / field `{name}` has no option `{t}`"),
                    );
                    return false;
                }
            }
            (
                FieldKind::Text
                | FieldKind::Date
                | FieldKind::IdCard
                | FieldKind::Uscc
                | FieldKind::Phone,
                ConditionValue::Text(_),
            ) => true,
            _ => false,
        };
        if !fits {
            reporter.at(&pointer, LintCode::InvalidCondition, format!("比较值的类型与字段“{name}”的类型不符 / the value's type does not match field `{name}`"));
        }
        fits
    };
    if let Some(value) = &condition.equals {
        return check_value(reporter, format!("{at}/equals"), value)
            .then(|| Cond::Equals(index, value.clone()));
    }
    if let Some(values) = &condition.one_of {
        let ok = values
            .iter()
            .enumerate()
            .map(|(i, v)| check_value(reporter, format!("{at}/one_of/{i}"), v))
            .fold(!values.is_empty(), |a, b| a && b);
        return ok.then(|| Cond::OneOf(index, values.clone()));
    }
    if let Some(set) = condition.is_set {
        return Some(Cond::IsSet(index, set));
    }
    if field.kind != FieldKind::Number {
        reporter.at(at, LintCode::InvalidCondition, format!("greater_than/less_than 只适用于数字字段，“{name}”不是 / greater_than/less_than need a number field; `{name}` is not one"));
        return None;
    }
    if let Some(bound) = condition.greater_than {
        return Some(Cond::GreaterThan(index, bound));
    }
    condition
        .less_than
        .map(|bound| Cond::LessThan(index, bound))
}

fn compile_calendar(
    reporter: &mut Reporter<'_>,
    file: CalendarFile,
    calendar: &mut Calendar,
    years: &mut HashMap<i32, String>,
) {
    let before = reporter.out.len();
    let year = file.year;
    if let Some(other) = years.get(&year) {
        reporter.at(
            "/year",
            LintCode::DuplicateCalendarYear,
            format!("{year} 年已在 {other} 中定义 / year {year} is already defined in {other}"),
        );
        return;
    }
    years.insert(year, reporter.source.path.clone());
    let first = year
        .checked_sub(1)
        .and_then(|before| NaiveDate::from_ymd_opt(before, 12, 1));
    let last = NaiveDate::from_ymd_opt(year, 12, 31);
    let (Some(first), Some(last)) = (first, last) else {
        reporter.at(
            "/year",
            LintCode::InvalidValue,
            format!("年份 {year} 无效 / invalid year {year}"),
        );
        return;
    };
    let mut seen: HashMap<NaiveDate, &'static str> = HashMap::new();
    let in_year = |reporter: &mut Reporter<'_>, pointer: &str, text: &str| -> Option<NaiveDate> {
        match parse_date(text) {
            Ok(date) if first <= date && date <= last => Some(date),
            Ok(_) => {
                reporter.at(pointer, LintCode::CalendarDateOutsideYear, format!("{text} 不在 {year} 年通知的范围内（上年 12 月 1 日至本年 12 月 31 日）：请核对年份，或移到该日期所属年份的文件 / {text} is outside the {year} notice's range (1 December of the year before to 31 December): check the year, or move it to the file of the year it belongs to"));
                None
            }
            Err(e) => {
                reporter.at(pointer, LintCode::InvalidDate, both(&e.message));
                None
            }
        }
    };
    let mut holidays = Vec::new();
    for (i, holiday) in file.holidays.iter().enumerate() {
        let at = format!("/holidays/{i}");
        let from = in_year(reporter, &format!("{at}/from"), &holiday.from);
        let to = in_year(reporter, &format!("{at}/to"), &holiday.to);
        let (Some(from), Some(to)) = (from, to) else {
            continue;
        };
        if to < from || (to - from).num_days() > 31 {
            reporter.at(&at, LintCode::InvalidRange, "假期的 to 早于 from 或超过 31 天 / holiday ends before it starts or lasts over 31 days".into());
            continue;
        }
        for date in from.iter_days().take_while(|d| *d <= to) {
            if seen.insert(date, "holiday").is_some() {
                reporter.at(
                    &at,
                    LintCode::CalendarConflict,
                    format!("{date} 重复出现 / {date} is listed twice"),
                );
            }
            holidays.push((date, holiday.name.clone()));
        }
    }
    let mut workdays = Vec::new();
    for (i, day) in file.make_up_workdays.iter().enumerate() {
        let at = format!("/make_up_workdays/{i}/date");
        let Some(date) = in_year(reporter, &at, &day.date) else {
            continue;
        };
        if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            reporter.at(&at, LintCode::MakeUpNotWeekend, format!("调休上班日 {date} 不是周末 / make-up working day {date} is not a Saturday or Sunday"));
        }
        if seen.insert(date, "make_up").is_some() {
            reporter.at(
                &at,
                LintCode::CalendarConflict,
                format!("{date} 既是假日又是调休上班日，或重复出现 / {date} is listed twice"),
            );
        }
        workdays.push((date, day.for_holiday.clone()));
    }
    // A date may not be defined by two notices (e.g. late December in both years' files).
    let dates = holidays
        .iter()
        .map(|(d, _)| *d)
        .chain(workdays.iter().map(|(d, _)| *d));
    for date in dates {
        if calendar.has_override(date) {
            reporter.at("/year", LintCode::CalendarConflict, format!("{date} 已在另一年的通知中定义 / {date} is already defined by another year's notice"));
        }
    }
    if reporter.out.len() > before {
        return;
    }
    calendar.add_year(year, file.notice);
    for (date, name) in holidays {
        calendar.add_holiday(date, name);
    }
    for (date, holiday) in workdays {
        calendar.add_make_up_workday(date, holiday);
    }
}

fn group_versions(
    versions: Vec<MatterVersion>,
    sources: &[SourceFile],
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Vec<MatterVersion>> {
    let mut matters: BTreeMap<String, Vec<MatterVersion>> = BTreeMap::new();
    for version in versions {
        matters
            .entry(version.rule.matter.clone())
            .or_default()
            .push(version);
    }
    for list in matters.values_mut() {
        list.sort_by_key(|v| v.effective_from);
        for pair in list.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let clash = if a.effective_from == b.effective_from {
                Some("生效日期相同 / two versions take effect on the same day")
            } else if a.rule.version == b.rule.version {
                Some("版本号重复 / the version label is used twice")
            } else {
                None
            };
            if let Some(why) = clash
                && let Some(source) = sources.iter().find(|s| s.path == b.source)
            {
                let mut reporter = Reporter {
                    source,
                    parsed: None,
                    out: diagnostics,
                };
                reporter.at(
                    "/version",
                    LintCode::DuplicateVersion,
                    format!("事项 {} 的版本与 {} 冲突：{why}", b.rule.matter, a.source),
                );
            }
        }
        versions::check_succession(list, sources, diagnostics);
    }
    matters
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let text = "a = 1\n名称 = 2\n";
        let offset = text.find('2').unwrap();
        assert_eq!(line_column(text, offset), (2, 6));
    }

    #[test]
    fn locate_finds_nested_values() {
        let text =
            "x = 1\n[[materials]]\nid = \"a\"\n[[materials]]\nid = \"b\"\ntolerable = true\n";
        let offset = locate(text, "/materials/1/tolerable");
        assert_eq!(line_column(text, offset), (6, 13));
        // A missing key falls back to its parent.
        let offset = locate(text, "/materials/1/nope");
        assert_eq!(line_column(text, offset).0, 4);
    }

    #[test]
    fn digest_depends_on_path_and_text() {
        let a = SourceFile {
            path: "ab".into(),
            text: "c".into(),
        };
        let b = SourceFile {
            path: "a".into(),
            text: "bc".into(),
        };
        assert_ne!(digest(std::slice::from_ref(&a)), digest(&[b]));
        assert_eq!(digest(std::slice::from_ref(&a)), digest(&[a]));
    }

    #[test]
    fn embedded_bundle_has_the_digest_of_its_sources() {
        // build.rs precomputes it; it must be what compiling the same files computes, or the
        // wasm module and `--rules rules` would name different bundles for the same rules.
        let embedded = crate::Engine::embedded().expect("embedded rules compile");
        let sources = crate::embedded_sources();
        assert_eq!(embedded.rules_digest(), digest(&sources));
        assert_eq!(
            embedded.rules_digest(),
            Bundle::compile(&sources).expect("compile").digest()
        );
    }

    #[test]
    fn embedded_json_forms_read_exactly_as_their_toml() {
        fn same<T: serde::de::DeserializeOwned + Serialize>(path: &str, text: &str, json: &str) {
            let from_toml: T = toml::from_str(text).expect(path);
            let from_json: T = serde_json::from_str(json).expect(path);
            assert_eq!(
                serde_json::to_value(from_toml).unwrap(),
                serde_json::to_value(from_json).unwrap(),
                "{path}"
            );
        }
        assert!(!crate::EMBEDDED_RULES.is_empty());
        for (path, text, json) in crate::EMBEDDED_RULES {
            // Every shipped file takes the fast path; None would mean build.rs gave up on it.
            let json = json.unwrap_or_else(|| panic!("{path}: not pre-parsed by build.rs"));
            match kind_of(path) {
                Some(Kind::Matter) => same::<MatterFile>(path, text, json),
                Some(Kind::Calendar) => same::<CalendarFile>(path, text, json),
                Some(Kind::Centre) => same::<CentreProfile>(path, text, json),
                None => panic!("{path}: neither a matter nor a calendar file"),
            }
        }
    }

    #[test]
    fn a_pre_parsed_form_that_does_not_fit_falls_back_to_toml_with_positions() {
        let text = "matter = 1\n";
        let files = [("matters/x.toml", text, Some("{\"matter\": 1}"))];
        let diagnostics = Bundle::compile_embedded(&files, "sha256:x").unwrap_err();
        let toml_path = lint(
            &[SourceFile {
                path: "matters/x.toml".into(),
                text: text.into(),
            }],
            Validation::Types,
        );
        assert_eq!(diagnostics, toml_path);
    }

    #[test]
    fn limits_compare_only_when_certain() {
        let w = |v| TimeLimit {
            value: v,
            unit: LimitUnit::WorkingDays,
        };
        let n = |v| TimeLimit {
            value: v,
            unit: LimitUnit::NaturalDays,
        };
        assert!(surely_longer(w(21), w(20)));
        assert!(!surely_longer(w(20), w(20)));
        assert!(surely_longer(w(8), n(7)));
        assert!(!surely_longer(n(30), w(20)));
    }
}
