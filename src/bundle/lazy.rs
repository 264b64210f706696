//! Matters compiled on first use. A bundle whose files were linted before it was built (the
//! embedded rules: `qiquan lint rules` in CI; later a signed bundle, linted before signing) does
//! not compile every matter up front: it reads each matter file's head (id, version, dates,
//! name, department, case type, applicant kinds: what `matters()` lists) and compiles a matter's
//! versions the first time a check or `matter()` asks for it. The calendar and the centre
//! profile are compiled with the bundle (every check counts deadlines and writes a notice).
//!
//! A bundle loaded from untrusted sources (`from_sources`, `from_dir`, `loadRules`) is compiled
//! whole, so it is refused whole on any lint error; a lazily compiled matter with an error
//! comes back as that call's `rules_invalid`.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde::Deserialize;

use super::matter::compile_matter;
use super::parse::{SchemaKind, parse};
use super::report::Reporter;
use super::{Diagnostic, LintCode, MatterVersion, SourceFile, Validation, versions};
use crate::model::{ApplicantKind, CaseType, MatterFile, Text};
use crate::verdict::{MatterSummary, VersionSummary};

/// What `matters()` lists of one matter file, read without compiling it (unknown keys are
/// skipped: the full read is [`MatterFile`]'s).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct MatterHead {
    matter: String,
    version: String,
    effective_from: String,
    #[serde(default)]
    effective_until: Option<String>,
    name: Text,
    department: Text,
    case_type: CaseType,
    applicant_kinds: Vec<ApplicantKind>,
}

impl MatterHead {
    #[cfg(feature = "whole")]
    pub(crate) fn of(rule: &MatterFile) -> MatterHead {
        MatterHead {
            matter: rule.matter.clone(),
            version: rule.version.clone(),
            effective_from: rule.effective_from.clone(),
            effective_until: rule.effective_until.clone(),
            name: rule.name.clone(),
            department: rule.department.clone(),
            case_type: rule.case_type,
            applicant_kinds: rule.applicant_kinds.clone(),
        }
    }
}

/// The summary of a matter from its versions' heads, sorted by effective date (the newest
/// version gives the name, department, case type and applicant kinds).
pub(crate) fn summary(heads: &[&MatterHead]) -> Option<MatterSummary> {
    let latest = heads.last()?;
    Some(MatterSummary {
        id: latest.matter.clone(),
        name: latest.name.clone(),
        department: latest.department.clone(),
        case_type: latest.case_type,
        applicant_kinds: latest.applicant_kinds.clone(),
        versions: heads
            .iter()
            .map(|h| VersionSummary {
                version: h.version.clone(),
                effective_from: h.effective_from.clone(),
                effective_until: h.effective_until.clone(),
            })
            .collect(),
    })
}

/// One rule file kept uncompiled: its source, its JSON form and, for a matter file, its head
/// (the keys `matters()` lists, as JSON; read from `json` when absent).
#[derive(Debug, Clone)]
pub struct LazyFile {
    pub source: SourceFile,
    pub json: Option<Cow<'static, str>>,
    pub head: Option<Cow<'static, str>>,
}

/// The matters' slots by id, sorted by id and each id once: a binary search (a BTreeMap was an
/// instance of its own in the page module, for a few dozen entries built once).
#[derive(Debug, Clone, Default)]
pub(crate) struct Slots(Vec<(String, MatterSlot)>);

impl Slots {
    /// Slots already sorted by id, each id once (as `versions::group_versions` gives them).
    #[cfg(feature = "whole")]
    pub(crate) fn from_sorted(slots: Vec<(String, MatterSlot)>) -> Slots {
        debug_assert!(slots.windows(2).all(|w| w[0].0 < w[1].0));
        Slots(slots)
    }

    pub(crate) fn get(&self, id: &str) -> Option<&MatterSlot> {
        let i = (self.0)
            .binary_search_by(|(key, _)| key.as_str().cmp(id))
            .ok()?;
        self.0.get(i).map(|(_, slot)| slot)
    }

    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &MatterSlot)> {
        self.0.iter().map(|(id, slot)| (id.as_str(), slot))
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &MatterSlot> {
        self.0.iter().map(|(_, slot)| slot)
    }

    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A matter's versions: compiled with the bundle, or its files kept until first use.
#[derive(Debug, Clone)]
pub(crate) struct MatterSlot {
    pub summary: MatterSummary,
    pending: Vec<LazyFile>,
    compiled: OnceLock<Result<Vec<MatterVersion>, Vec<Diagnostic>>>,
}

impl MatterSlot {
    #[cfg(feature = "whole")]
    pub(crate) fn compiled(versions: Vec<MatterVersion>) -> Option<MatterSlot> {
        let heads: Vec<MatterHead> = versions.iter().map(|v| MatterHead::of(&v.rule)).collect();
        let summary = summary(&heads.iter().collect::<Vec<_>>())?;
        Some(MatterSlot {
            summary,
            pending: Vec::new(),
            compiled: OnceLock::from(Ok(versions)),
        })
    }

    /// Whether the versions are compiled yet.
    #[cfg(test)]
    pub(crate) fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }

    /// The versions, sorted by effective date (compiled now if they were not), or the errors
    /// in this matter's files.
    pub(crate) fn versions(&self) -> Result<&[MatterVersion], &[Diagnostic]> {
        self.compiled
            .get_or_init(|| compile_pending(&self.summary.id, &self.pending))
            .as_ref()
            .map(Vec::as_slice)
            .map_err(Vec::as_slice)
    }
}

/// Reads the matter files' heads and groups them by matter, each slot uncompiled; the error of
/// the first file that has no JSON form or whose head does not read (with feature `whole` the
/// caller then compiles everything, so the problem is reported as `qiquan lint` reports it).
pub(crate) fn pending_slots(files: Vec<LazyFile>) -> Result<Slots, Vec<Diagnostic>> {
    let mut heads = Vec::with_capacity(files.len());
    for file in &files {
        let Some(head) = read_head(file) else {
            return Err(vec![unreadable(&file.source.path)]);
        };
        heads.push(head);
    }
    let dates: Vec<_> = (heads.iter())
        .map(|head| crate::calendar::parse_date(&head.effective_from).ok())
        .collect();
    // By matter and, within one, as the compiled versions are sorted (`versions::group_versions`):
    // a stable sort by the date, the files in path order. (Positions sorted, not a map of
    // groups: no second BTreeMap instance in the page module.)
    let order = crate::order::stable_order(heads.len(), &mut |a, b| {
        (heads[a].matter.cmp(&heads[b].matter)).then_with(|| dates[a].cmp(&dates[b]))
    });
    let mut files: Vec<Option<LazyFile>> = files.into_iter().map(Some).collect();
    // (In id order: the groups follow the sorted positions.)
    let mut slots = Vec::new();
    for group in order.chunk_by(|&a, &b| heads[a].matter == heads[b].matter) {
        let Some(summary) = summary(&group.iter().map(|&i| &heads[i]).collect::<Vec<_>>()) else {
            continue; // (a group has at least one file)
        };
        let pending = (group.iter())
            .filter_map(|&i| files.get_mut(i).and_then(Option::take))
            .collect();
        slots.push((
            heads[group[0]].matter.clone(),
            MatterSlot {
                summary,
                pending,
                compiled: OnceLock::new(),
            },
        ));
    }
    Ok(Slots(slots))
}

/// A matter file's head, from its head or else its JSON form, with a valid `effective_from`.
fn read_head(file: &LazyFile) -> Option<MatterHead> {
    let head: MatterHead =
        crate::json_maps::from_str(file.head.as_deref().or(file.json.as_deref())?).ok()?;
    crate::calendar::parse_date(&head.effective_from).ok()?;
    Some(head)
}

/// A matter file whose head cannot be read from its JSON form.
fn unreadable(path: &str) -> Diagnostic {
    let code = LintCode::Syntax;
    Diagnostic {
        file: path.to_string(),
        line: 1,
        column: 1,
        code,
        severity: code.severity(),
        message: "事项文件的 JSON 形式缺失或无法读取（须由 qiquan bundle 生成） / the matter \
                  file's JSON form is missing or cannot be read (as `qiquan bundle` writes it)"
            .into(),
    }
}

/// Compiles one matter's files as the whole-bundle compile does (the same parse, checks and
/// version grouping); the errors only, sorted, when any.
fn compile_pending(id: &str, files: &[LazyFile]) -> Result<Vec<MatterVersion>, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut compiled = Vec::new();
    for file in files {
        let mut reporter = Reporter {
            source: &file.source,
            parsed: file.json.as_deref(),
            out: &mut diagnostics,
        };
        if let Some(rule) =
            parse::<MatterFile>(&mut reporter, Validation::Types, SchemaKind::Matter)
            && let Some(version) = compile_matter(&mut reporter, rule)
        {
            compiled.push(version);
        }
    }
    let sources: Vec<SourceFile> = files.iter().map(|f| f.source.clone()).collect();
    let matters = versions::group_versions(compiled, &sources, &mut diagnostics);
    diagnostics.retain(Diagnostic::is_error);
    // (A walk, not BTreeMap::remove, whose rebalancing code the page module would carry.)
    let (mut versions, mut others) = (Vec::new(), false);
    for (key, list) in matters {
        if key == id {
            versions = list;
        } else {
            others = true;
        }
    }
    if diagnostics.is_empty() && (versions.is_empty() || others) {
        // (The files' heads named this matter; their full read did not.)
        let code = LintCode::NoMatters;
        diagnostics.push(Diagnostic {
            file: files
                .first()
                .map_or_else(|| ".".into(), |f| f.source.path.clone()),
            line: 1,
            column: 1,
            code,
            severity: code.severity(),
            message: format!("事项 {id} 的文件未能编译 / the files of matter {id} did not compile"),
        });
    }
    if !diagnostics.is_empty() {
        crate::order::sort_by(&mut diagnostics, |a, b| {
            (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column))
        });
        return Err(diagnostics);
    }
    Ok(versions)
}
