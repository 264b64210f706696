//! Rules → compile: turns rule-file sources into a checked, ready-to-run bundle.
//!
//! The same compiler serves the embedded bundle (built into the engine and the wasm module),
//! run-time loading (`--rules DIR`, `loadRules`) and `qiquan lint`: a bundle that would not lint
//! clean does not load, so a running engine never holds rules that lint rejects.

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use regex_lite::Regex;
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
#[cfg(feature = "whole")]
use crate::centre::check_centre;
use crate::centre::{CENTRE_PATH, CentreProfile};
use crate::model::{ApplicantKind, CalendarFile, ConditionValue, MatterFile};

mod calendar;
mod checks;
mod condition;
mod formats;
mod lazy;
mod lint_code;
mod matter;
mod parse;
mod report;
mod versions;

pub use formats::FORMAT_MAX;
pub use lazy::LazyFile;

use calendar::compile_calendar;
#[cfg(feature = "whole")]
use matter::compile_matter;
use parse::{SchemaKind, parse};
pub(crate) use report::Reporter;

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
    /// Field and material positions by id: a check pairs each submitted id with its item by
    /// one lookup (linear in the number of ids).
    pub(crate) field_index: HashMap<String, usize>,
    pub(crate) material_index: HashMap<String, usize>,
    /// Format 2: refusals, material groups.
    pub(crate) v2: formats::Compiled,
    /// `online_cutoff`, parsed.
    pub(crate) online_cutoff: Option<chrono::NaiveTime>,
}

/// A compiled rules bundle: matters (versions sorted by effective date; compiled with the
/// bundle, or on first use for rules linted before they were built: `lazy.rs`), the calendar
/// and the digest that identifies exactly these sources.
#[derive(Debug, Clone)]
pub struct Bundle {
    matters: lazy::Slots,
    pub(crate) calendar: Calendar,
    /// The issuing centre (`centre.toml`), when the rules carry one.
    pub(crate) centre: Option<CentreProfile>,
    digest: String,
    /// The signed bundle's revision (src/signed.rs), when the rules came from one.
    revision: Option<String>,
}

impl Bundle {
    pub fn digest(&self) -> &str {
        &self.digest
    }

    pub fn revision(&self) -> Option<&str> {
        self.revision.as_deref()
    }

    /// The same rules, named as the signed bundle `revision` (every verdict then says so).
    pub fn with_revision(mut self, revision: Option<String>) -> Bundle {
        self.revision = revision;
        self
    }

    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    pub fn centre(&self) -> Option<&CentreProfile> {
        self.centre.as_ref()
    }

    /// The summaries `matters()` lists, by id (no matter is compiled for them).
    pub(crate) fn summaries(&self) -> impl Iterator<Item = &crate::MatterSummary> {
        self.matters.values().map(|slot| &slot.summary)
    }

    /// Every version of every matter (compiling any not compiled yet): `qiquan bundle --sign`.
    #[cfg(all(feature = "sign", feature = "toml"))]
    pub(crate) fn compiled_versions(&self) -> impl Iterator<Item = &MatterVersion> {
        self.matters
            .values()
            .filter_map(|slot| slot.versions().ok())
            .flatten()
    }

    /// A matter's versions sorted by effective date (compiled now if the bundle compiles
    /// matters on first use): `None` for an unknown id, `rules_invalid` for a matter whose
    /// files have errors.
    pub(crate) fn versions(&self, matter_id: &str) -> Option<crate::Result<&[MatterVersion]>> {
        let slot = self.matters.get(matter_id)?;
        Some(
            slot.versions()
                .map_err(|errors| crate::rules_invalid(errors.to_vec())),
        )
    }

    /// Compiles sources; any error makes the whole bundle invalid (warnings do not: see
    /// [`lint`]). The `Err` holds the errors.
    #[cfg(feature = "whole")]
    pub fn compile(sources: &[SourceFile]) -> Result<Bundle, Vec<Diagnostic>> {
        only_errors(compile(sources, Validation::Types, None))
    }

    /// Compiles the rules embedded by build.rs: `(path, TOML text, the same as JSON)` and their
    /// precomputed digest. The same compiler as [`Bundle::compile`]; the JSON form only spares
    /// the TOML parse (a file whose JSON does not deserialize goes through TOML, with positions).
    /// Without the `toml` feature the text is empty and the JSON form is all there is.
    #[cfg(feature = "embed")]
    pub(crate) fn compile_embedded(
        files: &[(&'static str, &'static str, Option<&'static str>)],
        heads: &[(&'static str, &'static str)],
        digest: &str,
    ) -> Result<Bundle, Vec<Diagnostic>> {
        let heads = crate::order::map_of(heads.iter().copied());
        let files = files
            .iter()
            .map(|(path, text, json)| LazyFile {
                source: SourceFile {
                    path: (*path).to_string(),
                    text: (*text).to_string(),
                },
                json: json.map(std::borrow::Cow::Borrowed),
                head: heads.get(path).map(|h| std::borrow::Cow::Borrowed(*h)),
            })
            .collect();
        Bundle::compile_trusted(files, digest)
    }

    /// Compiles rules that were linted clean before they were built into this engine or
    /// signed (`digest`: theirs): the calendar and the centre profile now, each matter the
    /// first time it is asked for (a matter with errors then answers `rules_invalid`). A matter
    /// file without a readable JSON form or head makes it compile everything now, as
    /// `Bundle::compile` (feature `whole`), so the problem is reported as `qiquan lint` reports
    /// it; without `whole` (the page module) the file is refused (`unreadable_head`).
    pub fn compile_trusted(files: Vec<LazyFile>, digest: &str) -> Result<Bundle, Vec<Diagnostic>> {
        #[cfg(feature = "whole")]
        let everything = |files: &[LazyFile]| {
            let sources: Vec<SourceFile> = files.iter().map(|f| f.source.clone()).collect();
            let prepared = Prepared {
                parsed: JsonForms::of(
                    files
                        .iter()
                        .filter_map(|f| Some((f.source.path.as_str(), f.json.as_deref()?))),
                ),
                digest: Some(digest),
            };
            only_errors(compile(&sources, Validation::Types, Some(&prepared)))
        };
        let (matter_files, others): (Vec<LazyFile>, Vec<LazyFile>) = files
            .iter()
            .cloned()
            .partition(|f| matches!(kind_of(&f.source.path), Some(Kind::Matter)));
        // (No matter file at all is a signed bundle's calendar and centre, loaded before any
        // matter's files: they compile alone. Rules linted whole always have matters.)
        #[cfg(feature = "whole")]
        let Ok(matters) = lazy::pending_slots(matter_files) else {
            return everything(&files);
        };
        #[cfg(not(feature = "whole"))]
        let matters = lazy::pending_slots(matter_files)?;
        let sources: Vec<SourceFile> = others.iter().map(|f| f.source.clone()).collect();
        let parsed = JsonForms::of(
            others
                .iter()
                .filter_map(|f| Some((f.source.path.as_str(), f.json.as_deref()?))),
        );
        let read = read_files(&sources, Validation::Types, Some(&parsed));
        if read.diagnostics.iter().any(Diagnostic::is_error) {
            return Err(read
                .diagnostics
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect());
        }
        Ok(Bundle {
            matters,
            calendar: read.calendar,
            centre: read.centre,
            digest: digest.to_string(),
            revision: None,
        })
    }

    /// Compiles sources that carry their JSON forms (`json_forms`: path → the file as JSON, as
    /// `qiquan bundle` writes it): each file is read from its JSON form (a build without the
    /// `toml` feature can read nothing else), the digest is still that of the texts.
    #[cfg(feature = "whole")]
    pub fn compile_with_json_forms(
        sources: &[SourceFile],
        json_forms: &std::collections::BTreeMap<&str, &str>,
    ) -> Result<Bundle, Vec<Diagnostic>> {
        let prepared = Prepared {
            parsed: JsonForms::of(json_forms.iter().map(|(&path, &form)| (path, form))),
            digest: None,
        };
        only_errors(compile(sources, Validation::Types, Some(&prepared)))
    }
}

#[cfg(feature = "whole")]
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

/// Each file's JSON form, by path (from build.rs for the embedded rules, or from a bundle), and
/// the digest of the sources when build.rs precomputed it.
#[cfg(feature = "whole")]
struct Prepared<'a> {
    parsed: JsonForms<'a>,
    digest: Option<&'a str>,
}

/// Files' JSON forms by path: sorted by path, each path once (the later form given for a path
/// wins, as a map's insert). A binary search (a BTreeMap was an instance of its own in the
/// page module).
struct JsonForms<'a>(Vec<(&'a str, &'a str)>);

impl<'a> JsonForms<'a> {
    fn of(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> JsonForms<'a> {
        let pairs: Vec<(&str, &str)> = pairs.collect();
        let path = |i: usize| pairs.get(i).map(|&(path, _)| path);
        let order = crate::order::stable_order(pairs.len(), &mut |a, b| path(a).cmp(&path(b)));
        let forms = (order.chunk_by(|&a, &b| path(a) == path(b)))
            .filter_map(|run| pairs.get(*run.last()?).copied())
            .collect();
        JsonForms(forms)
    }

    fn get(&self, path: &str) -> Option<&'a str> {
        let i = (self.0).binary_search_by(|&(p, _)| p.cmp(path)).ok()?;
        self.0.get(i).map(|&(_, form)| form)
    }
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
#[cfg(feature = "whole")]
pub fn lint(sources: &[SourceFile], validation: Validation) -> Vec<Diagnostic> {
    compile(sources, validation, None).1
}

/// The digest of a set of sources: SHA-256 over the sorted (path, text) pairs.
pub fn digest(sources: &[SourceFile]) -> String {
    let mut sorted: Vec<&SourceFile> = sources.iter().collect();
    crate::order::sort_by(&mut sorted, |a, b| a.path.cmp(&b.path));
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

/// What reading the files gives before the matters' versions are grouped.
struct Read {
    #[cfg(feature = "whole")]
    versions: Vec<MatterVersion>,
    calendar: Calendar,
    centre: Option<CentreProfile>,
    diagnostics: Vec<Diagnostic>,
}

/// Parses and compiles each file in path order (`parsed`: JSON forms by path).
fn read_files(
    sources: &[SourceFile],
    validation: Validation,
    parsed: Option<&JsonForms<'_>>,
) -> Read {
    let mut sorted: Vec<&SourceFile> = sources.iter().collect();
    crate::order::sort_by(&mut sorted, |a, b| a.path.cmp(&b.path));

    let mut diagnostics = Vec::new();
    #[cfg(feature = "whole")]
    let mut versions: Vec<MatterVersion> = Vec::new();
    let mut calendar = Calendar::default();
    let mut calendar_years = crate::calendar::Years::default();
    let mut centre = None;

    for source in sorted {
        let mut reporter = Reporter {
            source,
            parsed: parsed.and_then(|p| p.get(source.path.as_str())),
            out: &mut diagnostics,
        };
        match kind_of(&source.path) {
            // (Without `whole` only the calendar and the centre are read here: matter files
            // compile on first use, `lazy.rs`.)
            #[cfg(feature = "whole")]
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
                    // Lint only: where rules are linted (`whole`; the page module loads signed
                    // bundles, linted before signing).
                    #[cfg(feature = "whole")]
                    check_centre(&mut reporter, &profile);
                    centre = Some(profile);
                }
            }
            #[cfg(not(feature = "whole"))]
            Some(Kind::Matter) => {}
            None => {}
        }
    }
    calendar.finish();
    Read {
        #[cfg(feature = "whole")]
        versions,
        calendar,
        centre,
        diagnostics,
    }
}

/// The bundle (`None` if any diagnostic is an error) and every diagnostic, in path order.
#[cfg(feature = "whole")]
fn compile(
    sources: &[SourceFile],
    validation: Validation,
    prepared: Option<&Prepared<'_>>,
) -> (Option<Bundle>, Vec<Diagnostic>) {
    let Read {
        versions,
        calendar,
        centre,
        mut diagnostics,
    } = read_files(sources, validation, prepared.map(|p| &p.parsed));
    let matters = versions::group_versions(versions, sources, &mut diagnostics);
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
    crate::order::sort_by(&mut diagnostics, |a, b| {
        (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column))
    });
    if diagnostics.iter().any(Diagnostic::is_error) {
        return (None, diagnostics);
    }
    let bundle = Bundle {
        // (`group_versions` gives the matters sorted by id, each once.)
        matters: lazy::Slots::from_sorted(
            matters
                .into_iter()
                .filter_map(|(id, versions)| Some((id, lazy::MatterSlot::compiled(versions)?)))
                .collect(),
        ),
        calendar,
        centre,
        digest: match prepared.and_then(|p| p.digest) {
            Some(digest) => digest.to_string(),
            None => digest(sources),
        },
        revision: None,
    };
    (Some(bundle), diagnostics)
}

#[cfg(all(test, feature = "toml", feature = "embed"))]
mod tests {
    use super::*;

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
    fn json_forms_compile_to_the_same_bundle_as_the_texts() {
        let sources = crate::embedded_sources();
        let forms: Vec<(String, String)> = sources
            .iter()
            .map(|s| {
                (
                    s.path.clone(),
                    crate::json_form(&s.text).expect("json form"),
                )
            })
            .collect();
        let forms: std::collections::BTreeMap<&str, &str> = forms
            .iter()
            .map(|(p, j)| (p.as_str(), j.as_str()))
            .collect();
        let from_json = Bundle::compile_with_json_forms(&sources, &forms).expect("compile");
        let from_toml = Bundle::compile(&sources).expect("compile");
        assert_eq!(from_json.digest(), from_toml.digest());
        // (The rules as read; the compiled parts are derived from them.)
        let rules = |b: &Bundle| {
            let all: Vec<&MatterFile> = b
                .matters
                .values()
                .flat_map(|slot| slot.versions().unwrap())
                .map(|v| &v.rule)
                .collect();
            serde_json::to_string(&all).unwrap()
        };
        assert_eq!(rules(&from_json), rules(&from_toml));
        assert!(!from_json.matters.is_empty());
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

    /// The embedded rules as [`LazyFile`]s, with `edit` applied to the JSON form of `path`.
    fn embedded_files(path: &str, edit: impl Fn(&mut serde_json::Value)) -> Vec<LazyFile> {
        crate::EMBEDDED_RULES
            .iter()
            .map(|(p, text, json)| {
                let mut json = json.map(|j| std::borrow::Cow::Owned(j.to_string()));
                if *p == path
                    && let Some(form) = &json
                {
                    let mut value: serde_json::Value =
                        serde_json::from_str(form).expect("a JSON form");
                    edit(&mut value);
                    json = Some(std::borrow::Cow::Owned(value.to_string()));
                }
                LazyFile {
                    source: SourceFile {
                        path: (*p).to_string(),
                        text: (*text).to_string(),
                    },
                    json,
                    head: None,
                }
            })
            .collect()
    }

    #[test]
    fn matters_compiled_on_first_use_are_those_compiled_up_front() {
        let lazy = Bundle::compile_trusted(embedded_files("", |_| ()), "sha256:x").unwrap();
        assert!(
            lazy.matters.values().all(|s| !s.is_compiled()),
            "nothing compiled before it is asked for"
        );
        let eager = Bundle::compile(&crate::embedded_sources()).expect("compile");
        let list = |b: &Bundle| serde_json::to_string(&b.summaries().collect::<Vec<_>>()).unwrap();
        assert_eq!(list(&lazy), list(&eager));
        assert!(
            lazy.matters.values().all(|s| !s.is_compiled()),
            "listing the matters compiles none"
        );
        for (id, slot) in eager.matters.iter() {
            let rules = |versions: &[MatterVersion]| {
                let all: Vec<(&MatterFile, &String)> =
                    versions.iter().map(|v| (&v.rule, &v.source)).collect();
                serde_json::to_string(&all).unwrap()
            };
            let lazily = lazy.versions(id).expect("listed").expect("compiles");
            assert_eq!(rules(lazily), rules(slot.versions().unwrap()), "{id}");
        }
        // The embedded engine reads the heads build.rs wrote: the same list.
        let embedded = crate::Engine::embedded().expect("embedded rules");
        assert_eq!(
            serde_json::to_string(&embedded.matters()).unwrap(),
            list(&eager)
        );
        assert_eq!(
            crate::EMBEDDED_HEADS.len(),
            crate::EMBEDDED_RULES
                .iter()
                .filter(|(p, _, _)| p.starts_with("matters/"))
                .count()
        );
        let years = |b: &Bundle| serde_json::to_string(&b.calendar().covered_years()).unwrap();
        assert_eq!(years(&lazy), years(&eager));
        assert_eq!(lazy.centre().is_some(), eager.centre().is_some());
    }

    #[test]
    fn a_matter_with_an_error_answers_rules_invalid_when_used_and_the_others_work() {
        let (path, _, _) = crate::EMBEDDED_RULES
            .iter()
            .find(|(p, _, _)| p.starts_with("matters/"))
            .unwrap();
        let files = embedded_files(path, |v| v["statutory_limit"]["value"] = 99_999.into());
        let bundle = Bundle::compile_trusted(files.clone(), "sha256:x").expect("loads lazily");
        let engine = crate::Engine { bundle };
        let id = path.split('/').nth(1).unwrap();
        assert!(engine.matters().iter().any(|m| m.id == id));
        let error = engine.matter(id, None).unwrap_err();
        assert_eq!(error.code, crate::ErrorCode::RulesInvalid);
        assert!(format!("{error:?}").contains("invalid_limit"), "{error:?}");
        let submission = serde_json::json!({
            "applicant": {"kind": "natural_person"},
            "received_at": "2026-03-02T10:00:00+08:00"
        });
        let check = engine.check_json(id, &submission.to_string(), None);
        assert_eq!(check.unwrap_err().code, crate::ErrorCode::RulesInvalid);
        let other = engine.matters().into_iter().find(|m| m.id != id).unwrap();
        assert!(engine.matter(&other.id, None).is_ok());
        // Compiled whole, the same files are refused.
        let sources: Vec<SourceFile> = files.iter().map(|f| f.source.clone()).collect();
        let forms: std::collections::BTreeMap<&str, &str> = files
            .iter()
            .map(|f| (f.source.path.as_str(), f.json.as_deref().unwrap()))
            .collect();
        let whole = Bundle::compile_with_json_forms(&sources, &forms).unwrap_err();
        assert!(whole.iter().any(|d| d.code == LintCode::InvalidLimit));
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
        let diagnostics = Bundle::compile_embedded(&files, &[], "sha256:x").unwrap_err();
        let toml_path = lint(
            &[SourceFile {
                path: "matters/x.toml".into(),
                text: text.into(),
            }],
            Validation::Types,
        );
        assert_eq!(diagnostics, toml_path);
    }
}
