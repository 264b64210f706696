//! The check's output. Field order here is the byte order of the JSON every runtime prints, so
//! changing it changes every conformance case: do so deliberately.

use serde::Serialize;

use crate::model::{ApplicantKind, ClockStart, Text};
use crate::submission::{Channel, MaterialStatus};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Verdict {
    pub matter: String,
    pub matter_name: Text,
    pub version: String,
    pub rules_digest: String,
    pub engine_version: &'static str,
    /// The instant of receipt in China time, e.g. `2026-03-02T09:30:00+08:00`.
    pub received_at: String,
    pub channel: Channel,
    pub outcome: Outcome,
    pub outcome_label: Text,
    /// Every problem at once (一次性告知): applicant, then fields, then materials, in rule order.
    pub findings: Vec<Finding>,
    /// What applies to this submission, so forms can show and hide fields and materials
    /// without evaluating any rule themselves.
    pub checklist: Checklist,
    pub pledge: Pledge,
    pub deadlines: Deadlines,
    /// The written document for this outcome (受理 / 容缺受理 / 补正 / 不予受理通知书).
    pub notice: Notice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 受理
    Accept,
    /// 容缺受理
    AcceptWithPledge,
    /// 补正 (one-time notice)
    CorrectionRequired,
    /// 不予受理
    NotAccepted,
}

impl Outcome {
    pub fn label(self) -> Text {
        let (zh, en) = match self {
            Self::Accept => ("受理", "Accepted"),
            Self::AcceptWithPledge => ("容缺受理", "Accepted on a credit pledge"),
            Self::CorrectionRequired => ("需补正材料", "Correction required"),
            Self::NotAccepted => ("不予受理", "Not accepted"),
        };
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum FindingCode {
    ApplicantIneligible,
    FieldMissing,
    FieldInvalid,
    MaterialMissing,
    MaterialFlawed,
    MaterialWrongForm,
    PledgeNotAllowed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Applicant,
    Field,
    Material,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Target {
    pub kind: TargetKind,
    pub id: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Finding {
    pub code: FindingCode,
    pub target: Target,
    /// The label of the field or the name of the material.
    pub label: Text,
    /// A finer, stable reason, e.g. `checksum`, `pattern`, `bad_credit`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    /// Materials only: 主件.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<bool>,
    /// Materials only: may be pledged (容缺).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerable: Option<bool>,
    /// The clerk's note on a flawed material.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub basis: String,
    /// What is wrong and how to fix it.
    pub message: Text,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Checklist {
    pub fields: Vec<FieldState>,
    pub materials: Vec<MaterialState>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct FieldState {
    pub id: String,
    /// The field's condition holds (or it has none): show it.
    pub applies: bool,
    pub required: bool,
    /// Problem found with this field, if any.
    pub ok: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct MaterialState {
    pub id: String,
    /// The material's condition holds (or it has none): it is required.
    pub applies: bool,
    pub key: bool,
    pub tolerable: bool,
    pub status: MaterialStatus,
    pub ok: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Pledge {
    /// Items that are missing or flawed and could be pledged.
    pub items: Vec<PledgeItem>,
    /// The applicant may pledge: no bad-credit record, and the matter is not instant.
    pub applicant_eligible: bool,
    /// Signing the pledge would make the application acceptable now (forms offer it when true).
    pub would_accept: bool,
    pub signed: bool,
    /// The earliest date by which a pledged item is due: supplying everything by then keeps the
    /// pledge whatever each item's own period.
    pub pledge_due: Option<String>,
    /// Why a pledge cannot be used, as stable reason codes.
    pub blocked_by: Vec<&'static str>,
    pub terms: Option<Text>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct PledgeItem {
    pub material: String,
    pub name: Text,
    pub due: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Deadlines {
    /// The China-time date of receipt.
    pub received_on: String,
    /// The acceptance day: window/kiosk on a rest day → next working day; online → the first
    /// working day after the day of receipt.
    pub accepted_on: String,
    pub clock_starts: ClockStart,
    /// Null when the clock waits for outstanding materials (补办件).
    pub promised_due: Option<String>,
    pub statutory_due: Option<String>,
    pub statutory_extended_due: Option<String>,
    pub pledge_due: Option<String>,
    /// Days not counted because of special procedures (特别程序).
    pub paused_days: u32,
    /// True when any date used lies in a year the calendar does not cover: the dates assume
    /// Monday–Friday working days and may move when the State Council publishes that year.
    pub provisional: bool,
}

/// The document a verdict is issued as: one kind per outcome, with the standard names
/// (`DocumentKind::title`) used by every channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 受理通知书 (行政许可法 §32(1)(5), §32(2)).
    #[default]
    Acceptance,
    /// 容缺受理通知书, with the 容缺受理信用承诺书 as its own part.
    PledgeAcceptance,
    /// 补正材料通知书 (一次性告知书, 行政许可法 §32(1)(4)).
    Correction,
    /// 不予受理通知书 (行政许可法 §32(1)(1)–(2), §32(2)).
    Refusal,
}

impl DocumentKind {
    /// The serde name, e.g. `pledge_acceptance`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Acceptance => "acceptance",
            Self::PledgeAcceptance => "pledge_acceptance",
            Self::Correction => "correction",
            Self::Refusal => "refusal",
        }
    }
}

/// The written document for a verdict (受理 / 容缺受理 / 补正 / 不予受理), as a structure: every
/// channel lays it out (print, receipt) or prints `text`, which is rendered from the same parts.
/// Field order is the order of the JSON.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Notice {
    pub kind: DocumentKind,
    pub title: Text,
    /// Issued under a sample centre profile: a specimen, never to be handed out.
    pub sample: bool,
    /// 文号.
    pub number: DocumentNumber,
    /// 主送: the applicant, by name from the form, or a placeholder.
    pub addressee: Addressee,
    pub matter: NoticeMatter,
    /// The instant of receipt (as `received_at` of the verdict) and how it is printed.
    pub received_at: String,
    pub received_text: Text,
    /// The body's first paragraph: what was decided, under which article.
    pub opening: Text,
    /// The article the decision rests on.
    pub basis: String,
    /// The numbered items: what to correct (补正), the reasons (不予受理), what is owed (容缺).
    pub items: Vec<NoticeItem>,
    /// Labelled facts: the matter, the time of receipt, and on acceptances the dates.
    pub facts: Vec<NoticeFact>,
    /// The application's details as printed (acceptances only); ID numbers masked.
    pub particulars: Vec<Particular>,
    /// The materials received (acceptances only).
    pub materials: Vec<MaterialLine>,
    /// The 容缺受理信用承诺书 (容缺受理 only).
    pub pledge: Option<PledgeDocument>,
    pub closing: Text,
    /// The applicant's remedies (不予受理: 行政复议, 行政诉讼).
    pub rights: Option<Rights>,
    /// Remarks below the body: why no pledge is possible, provisional dates.
    pub notes: Vec<Text>,
    /// 落款: the issuing office, from the centre profile.
    pub issuer: Issuer,
    /// The document's date (`YYYY-MM-DD`) and how it is printed in the 落款.
    pub date: String,
    pub date_text: Text,
    /// The signature lines under the body.
    pub signatures: Vec<Text>,
    /// Small print: matter, version, rules digest and engine version.
    pub footer: String,
    /// The whole document as plain text (CLI, SMS), rendered from the parts above.
    pub text: Text,
}

/// 文号: `prefix` + sequence + `suffix`; the sequence is assigned when the document is issued
/// (null until then, printed as a blank).
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct DocumentNumber {
    pub prefix: String,
    pub year: i32,
    pub sequence: Option<u64>,
    pub suffix: String,
    pub text: String,
}

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Addressee {
    /// The form field the name was taken from, if the matter has one.
    pub field: Option<String>,
    /// The applicant's name, when the form gives it.
    pub name: Option<String>,
    /// What is printed: the name, or a placeholder to fill in by hand.
    pub text: Text,
}

#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct NoticeMatter {
    pub id: String,
    pub name: Text,
    pub version: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct NoticeItem {
    /// 1-based, as printed.
    pub number: u32,
    /// The field, material or applicant the item is about.
    pub target: Target,
    pub text: Text,
    pub basis: String,
}

/// What a fact row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum FactKey {
    Matter,
    ReceivedAt,
    AcceptedOn,
    PromisedDue,
    StatutoryDue,
    StatutoryExtendedDue,
    PledgeDue,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct NoticeFact {
    pub key: FactKey,
    pub label: Text,
    pub value: Text,
}

/// One detail of the application as printed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Particular {
    pub field: String,
    pub label: Text,
    pub value: Text,
    /// The value is an ID number shown as its first 6 and last 4 characters.
    pub masked: bool,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct MaterialLine {
    pub material: String,
    pub name: Text,
    pub status: MaterialStatus,
    pub status_label: Text,
}

/// 容缺受理信用承诺书: signed by the applicant, in duplicate.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct PledgeDocument {
    pub title: Text,
    pub opening: Text,
    /// What is owed and by when.
    pub items: Vec<PledgeLine>,
    /// Everything owed is due by this date (`YYYY-MM-DD`).
    pub due: String,
    pub due_text: Text,
    /// The matter's own terms (consequences of breaking the pledge), when the rule sets them.
    pub terms: Option<Text>,
    pub promise: Text,
    pub copies: Text,
    pub signatures: Vec<Text>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct PledgeLine {
    pub number: u32,
    pub material: String,
    pub name: Text,
    pub due: String,
    pub due_text: Text,
}

/// The applicant's remedies against a refusal.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Rights {
    pub reconsideration_body: Text,
    /// Days within which to apply for reconsideration (行政复议法 2023 §20).
    pub reconsideration_days: u32,
    pub court: Text,
    /// Months within which to sue (行政诉讼法 §46).
    pub lawsuit_months: u32,
    pub text: Text,
    pub basis: String,
}

/// 落款, from the centre profile (`configured: false`: placeholders, no profile loaded).
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Issuer {
    pub configured: bool,
    pub office: Text,
    /// The seal's text, or a placeholder naming the seal to apply.
    pub seal: Text,
    pub address: Option<Text>,
    pub phone: Option<String>,
}

/// A short description of a matter for lists.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct MatterSummary {
    pub id: String,
    pub name: Text,
    pub department: Text,
    pub case_type: crate::model::CaseType,
    pub applicant_kinds: Vec<ApplicantKind>,
    pub versions: Vec<VersionSummary>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct VersionSummary {
    pub version: String,
    pub effective_from: String,
    pub effective_until: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::DocumentKind;

    #[test]
    fn document_kind_strings_are_their_serde_names() {
        for kind in [
            DocumentKind::Acceptance,
            DocumentKind::PledgeAcceptance,
            DocumentKind::Correction,
            DocumentKind::Refusal,
        ] {
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::Value::from(kind.as_str())
            );
        }
    }
}
