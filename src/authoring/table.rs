//! Case tables (`rules/cases/<matter>.toml`, or `.csv` for spreadsheet users): complete
//! applications (`[[base]]`, one per version an author tests) and cases that each change a few
//! facts of a base and say what the author expects of the answer — only what they care about.
//!
//! The tables sit beside the matters, not among them: every `.toml` under `rules/matters/` is a
//! rule version (the engine, `qiquan lint` and the signed bundle read them all).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, ErrorCode, Result};
use crate::model::ApplicantKind;
use crate::submission::{Channel, MaterialStatus, MaterialSubmission, PauseSubmission};

/// One case table: the matter, its complete applications and its cases.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseTable {
    pub matter: String,
    /// Complete applications a case starts from, the first by default (one per version).
    #[serde(default)]
    pub base: Vec<Facts>,
    #[serde(default, rename = "case")]
    pub cases: Vec<Case>,
}

/// What an application says: a base states them all, a case only what it changes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// A base's label (by custom the version it tests, e.g. `2023-12`), named by a case's `base`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// RFC 3339 instant of receipt: picks the version in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant: Option<ApplicantKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bad_credit: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// The applicant signs the 容缺受理信用承诺书.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pledge: Option<bool>,
    /// Field values (quote dates: `"2020-01-01"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Value>,
    /// Fields the case leaves blank although its base answers them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unset: Vec<String>,
    /// Materials: a status (`"provided"`, `"missing"`, `"flawed"`, `"shared"`, `"committed"`,
    /// `"sharing_failed"`) or the whole entry (`{ status = "flawed", note = "未盖章" }`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub materials: BTreeMap<String, MaterialEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pauses: Option<Vec<PauseSubmission>>,
}

/// A material in a table: its status alone, or the whole entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MaterialEntry {
    Status(MaterialStatus),
    Entry(MaterialSubmission),
}

impl MaterialEntry {
    fn to_json(&self) -> Value {
        match self {
            MaterialEntry::Status(status) => {
                let mut entry = Map::new();
                entry.insert(
                    "status".into(),
                    serde_json::to_value(status).unwrap_or_default(),
                );
                if *status == MaterialStatus::Shared {
                    // A shared material names its record; a table need not invent one.
                    entry.insert("reference".into(), Value::from("案例表"));
                }
                Value::Object(entry)
            }
            MaterialEntry::Entry(entry) => serde_json::to_value(entry).unwrap_or_default(),
        }
    }
}

/// One case: a name, the base it starts from, what it changes, and what the author expects.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub name: String,
    /// The base (its `version` label) this case starts from; the first base by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant: Option<ApplicantKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bad_credit: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pledge: Option<bool>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unset: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub materials: BTreeMap<String, MaterialEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pauses: Option<Vec<PauseSubmission>>,
    #[serde(default)]
    pub expect: Expect,
}

/// What the author expects — only the keys given are compared.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// `accept`, `accept_with_pledge`, `correction_required`, `not_accepted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Every finding, as `code:target` (`material_missing:layout_and_processes`), in any order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<String>>,
    /// The notice's kind: `acceptance`, `pledge_acceptance`, `correction`, `refusal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// Due dates (`YYYY-MM-DD`, or `"none"` when there is none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promised_due: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statutory_due: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pledge_due: Option<String>,
    /// Why the credit pledge cannot be used (`pledge.blocked_by`), in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<Vec<String>>,
    /// Compare the whole verdict's bytes (`digest`, written by `--bless`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub strict: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

impl Expect {
    pub fn is_empty(&self) -> bool {
        *self == Expect::default()
    }
}

pub(crate) fn table_error(path: &str, zh: &str, en: &str, detail: impl Into<String>) -> Error {
    Error::new(
        ErrorCode::RulesInvalid,
        format!("案例表 {path} 无法读取：{zh}"),
        format!("The case table {path} cannot be read: {en}"),
    )
    .at(path.to_string())
    .detail(detail.into())
}

impl CaseTable {
    /// Reads a table from its TOML text (`CaseTable::parse` picks TOML or CSV by the path).
    pub(crate) fn from_toml(path: &str, text: &str) -> Result<CaseTable> {
        toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|span| text[..span.start.min(text.len())].matches('\n').count() + 1);
            let at = line.map_or(path.to_string(), |l| format!("{path}:{l}"));
            table_error(
                &at,
                "格式有误。",
                "it is malformed.",
                e.message().to_string(),
            )
        })
    }

    /// The base a case starts from.
    pub fn base_of(&self, case: &Case) -> Option<&Facts> {
        match &case.base {
            None => self.base.first(),
            Some(label) => self
                .base
                .iter()
                .find(|b| b.version.as_deref() == Some(label.as_str())),
        }
    }

    /// The submission a case makes (its base with the case's changes), as JSON.
    pub fn submission(&self, case: &Case) -> Value {
        let empty = Facts::default();
        let base = self.base_of(case).unwrap_or(&empty);
        let kind = case.applicant.or(base.applicant);
        let mut applicant = Map::new();
        applicant.insert(
            "kind".into(),
            kind.map_or(Value::Null, |k| serde_json::to_value(k).unwrap_or_default()),
        );
        applicant.insert(
            "bad_credit".into(),
            Value::Bool(case.bad_credit.or(base.bad_credit).unwrap_or(false)),
        );
        let mut fields: Map<String, Value> = base.fields.clone().into_iter().collect();
        for (id, value) in &case.fields {
            fields.insert(id.clone(), value.clone());
        }
        for id in base.unset.iter().chain(&case.unset) {
            fields.remove(id);
        }
        let mut materials = Map::new();
        for (id, entry) in base.materials.iter().chain(&case.materials) {
            materials.insert(id.clone(), entry.to_json());
        }
        let mut submission = Map::new();
        submission.insert("applicant".into(), Value::Object(applicant));
        let channel = case.channel.or(base.channel).unwrap_or_default();
        submission.insert(
            "channel".into(),
            serde_json::to_value(channel).unwrap_or_default(),
        );
        if let Some(at) = case.received_at.as_ref().or(base.received_at.as_ref()) {
            submission.insert("received_at".into(), Value::from(at.as_str()));
        }
        submission.insert("fields".into(), Value::Object(fields));
        submission.insert("materials".into(), Value::Object(materials));
        submission.insert(
            "pledge_signed".into(),
            Value::Bool(case.pledge.or(base.pledge).unwrap_or(false)),
        );
        if let Some(pauses) = case.pauses.as_ref().or(base.pauses.as_ref()) {
            submission.insert(
                "pauses".into(),
                serde_json::to_value(pauses).unwrap_or_default(),
            );
        }
        Value::Object(submission)
    }
}
