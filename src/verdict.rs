//! The check's output. Field order here is the byte order of the JSON every runtime prints, so
//! changing it changes every conformance case: do so deliberately.

use serde::Serialize;

use crate::model::{ApplicantKind, LimitClocks, Text};
use crate::submission::{Channel, MaterialStatus};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Verdict {
    pub matter: String,
    pub matter_name: Text,
    pub version: String,
    pub rules_digest: String,
    /// The revision of the signed bundle the rules came from (its manifest's `revision`), or
    /// null for rules built in or read from a directory.
    pub rules_revision: Option<String>,
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
    /// Materials not demanded (免提交): obtained by the office by data sharing or from the
    /// electronic licence system, or replaced by the applicant's 告知承诺. Listed on the
    /// acceptance documents; never owed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exempt: Vec<Exemption>,
    /// 联办件: the lead and co-handling departments, for the documents.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub joint: Option<crate::model::Joint>,
    pub pledge: Pledge,
    pub deadlines: Deadlines,
    /// The written document for this outcome (受理 / 容缺受理 / 补正 / 不予受理通知书).
    pub notice: Notice,
    /// Kiosk only: the 自助预审回执 the kiosk prints instead of a decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub precheck: Option<Precheck>,
}

/// The kiosk's slip (自助预审回执): a pre-check, not a decision.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Precheck {
    pub title: Text,
    /// What the pre-check found, and what happens at the window.
    pub result: Text,
    /// Every material that applies: what to bring (originals are checked at the window), or
    /// why it need not be brought; `missing` when it is still missing or wrong.
    pub bring: Vec<PrecheckLine>,
    /// Everything still to put right, numbered (as the one-time notice would list it).
    pub items: Vec<NoticeItem>,
    pub note: Text,
    /// The caption of the hand-over QR code the server prints (the code is the server's).
    pub handover: Text,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct PrecheckLine {
    pub material: String,
    pub name: Text,
    pub bring: Text,
    pub missing: bool,
}

/// Declares a stable code: an enum serialised in snake_case (exported to TypeScript under the
/// `wasm` feature), its `as_str()` and the list of `all()` its variants, so a test can check
/// every variant's string against its serde name.
macro_rules! stable_code {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
        #[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// The stable string, as serialised.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            /// Every variant, in declaration order.
            pub fn all() -> &'static [Self] {
                &[$(Self::$variant,)+]
            }
        }
    };
}

stable_code! {
    pub enum Outcome {
        /// 受理
        Accept => "accept",
        /// 容缺受理
        AcceptWithPledge => "accept_with_pledge",
        /// 补正 (one-time notice)
        CorrectionRequired => "correction_required",
        /// 不予受理
        NotAccepted => "not_accepted",
    }
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

stable_code! {
    pub enum FindingCode {
        ApplicantIneligible => "applicant_ineligible",
        FieldMissing => "field_missing",
        FieldInvalid => "field_invalid",
        MaterialMissing => "material_missing",
        MaterialFlawed => "material_flawed",
        MaterialWrongForm => "material_wrong_form",
        PledgeNotAllowed => "pledge_not_allowed",
        /// A material required only under a condition on a field not answered yet: told now, so
        /// the one-time notice is complete (行政许可法 §32(1)(4)). Informs; does not block.
        MaterialConditional => "material_conditional",
        /// A rule's refusal by facts (行政许可法 §32(1)(1)(2)): not accepted, with the reason and,
        /// where the law names one, the authority to apply to (`refer_to`).
        RefusedByFacts => "refused_by_facts",
        /// Alternative materials (`material_groups`): not enough of them handed in; the message
        /// names the alternatives that would satisfy the group (`alternatives`).
        MaterialGroupUnsatisfied => "material_group_unsatisfied",
        /// 告知承诺 chosen where it is not available (the material has none, or the applicant has a
        /// bad-credit record): the proof is required.
        CommitmentNotAllowed => "commitment_not_allowed",
    }
}

stable_code! {
    /// Why a credit pledge (容缺受理) cannot be used, in the order they are reported.
    pub enum PledgeBlock {
        /// The applicant is not of a kind the matter serves.
        ApplicantIneligible => "applicant_ineligible",
        /// A rule's refusal by facts applies.
        RefusedByFacts => "refused_by_facts",
        /// An unrepaired bad-credit (失信) record.
        BadCredit => "bad_credit",
        /// 即办件 are never accepted on a pledge.
        InstantMatter => "instant_matter",
        /// A field is missing or invalid.
        FieldProblem => "field_problem",
        /// A key material (主件) is missing or flawed.
        KeyMaterialProblem => "key_material_problem",
        /// A material that may not be pledged is missing or flawed.
        NonTolerableMaterial => "non_tolerable_material",
        /// Nothing is outstanding that a pledge could cover.
        NothingToPledge => "nothing_to_pledge",
    }
}

stable_code! {
    /// A finding's finer, stable reason.
    pub enum FindingReason {
        /// The applicant's kind is not served (`applicant_ineligible`).
        ApplicantKind => "applicant_kind",
        /// A required field is blank.
        Required => "required",
        /// A value of the wrong JSON type.
        WrongType => "wrong_type",
        BelowMin => "below_min",
        AboveMax => "above_max",
        /// A choice that is not among the options.
        UnknownOption => "unknown_option",
        NotADate => "not_a_date",
        /// A date field after the China-time day of receipt (`not_after_receipt`).
        DateAfterReceipt => "date_after_receipt",
        /// A date field fewer than `min_years_before_receipt` years before the day of receipt.
        TooRecent => "too_recent",
        /// Wrong length or characters (identifiers, phones).
        Format => "format",
        /// An identifier's check character does not match.
        Checksum => "checksum",
        /// An ID number's birth date does not exist.
        BirthDate => "birth_date",
        /// An ID number's birth date is after the China-time day of receipt.
        BirthDateInFuture => "birth_date_in_future",
        /// An ID number whose first two digits name no province (GB/T 2260).
        Region => "region",
        TooShort => "too_short",
        TooLong => "too_long",
        /// The rule's regular expression does not match.
        Pattern => "pattern",
        /// A material is missing.
        Missing => "missing",
        /// A material is flawed (瑕疵).
        Flawed => "flawed",
        /// Original/copy not as required.
        Form => "form",
        /// Paper/electronic not as required.
        Medium => "medium",
        /// `material_conditional`: the condition's field is not answered yet.
        ConditionUnanswered => "condition_unanswered",
        /// `refused_by_facts`: the rule's refusal (its id is the target's).
        Refusal => "refusal",
        /// `material_group_unsatisfied`: fewer members in order than the group needs.
        TooFewAlternatives => "too_few_alternatives",
        /// A material recorded as obtained by sharing that the rule does not mark shareable.
        NotShareable => "not_shareable",
        /// A material recorded as obtained by sharing without the licence number or record
        /// reference.
        SharedWithoutReference => "shared_without_reference",
        /// The office could not obtain a shareable material (`sharing_failed`): the applicant
        /// hands it in.
        SharingFailed => "sharing_failed",
        /// `commitment_not_allowed`: the material admits no 告知承诺.
        CommitmentNotOffered => "commitment_not_offered",
        /// Fewer copies than the rule asks for (`copies`), when the clerk records them.
        TooFewCopies => "too_few_copies",
        /// An electronic material on a channel the rule does not accept it on
        /// (`electronic_channels`).
        ElectronicNotOnChannel => "electronic_not_on_channel",
        /// `pledge_not_allowed`: the first of the pledge's block reasons.
        ApplicantIneligible => "applicant_ineligible",
        RefusedByFacts => "refused_by_facts",
        BadCredit => "bad_credit",
        InstantMatter => "instant_matter",
        FieldProblem => "field_problem",
        KeyMaterialProblem => "key_material_problem",
        NonTolerableMaterial => "non_tolerable_material",
        NothingToPledge => "nothing_to_pledge",
    }
}

stable_code! {
    /// Whether a verdict's dates are real or hypothetical.
    pub enum DeadlineBasis {
        /// The application is accepted (受理 or 容缺受理): the dates are the case's own.
        Accepted => "accepted",
        /// The application is not accepted (补正 or 不予受理): the dates say what they would be had it
        /// been accepted on receipt. Never print them as facts on a 补正 or 不予受理 document.
        IfAcceptedOnReceipt => "if_accepted_on_receipt",
    }
}

impl DeadlineBasis {
    pub fn of(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Accept | Outcome::AcceptWithPledge => Self::Accepted,
            Outcome::CorrectionRequired | Outcome::NotAccepted => Self::IfAcceptedOnReceipt,
        }
    }
}

impl From<PledgeBlock> for FindingReason {
    fn from(block: PledgeBlock) -> Self {
        match block {
            PledgeBlock::ApplicantIneligible => Self::ApplicantIneligible,
            PledgeBlock::RefusedByFacts => Self::RefusedByFacts,
            PledgeBlock::BadCredit => Self::BadCredit,
            PledgeBlock::InstantMatter => Self::InstantMatter,
            PledgeBlock::FieldProblem => Self::FieldProblem,
            PledgeBlock::KeyMaterialProblem => Self::KeyMaterialProblem,
            PledgeBlock::NonTolerableMaterial => Self::NonTolerableMaterial,
            PledgeBlock::NothingToPledge => Self::NothingToPledge,
        }
    }
}

stable_code! {
    pub enum TargetKind {
        Applicant => "applicant",
        Field => "field",
        Material => "material",
        /// A rule's refusal by facts (`refusals[].id`).
        Refusal => "refusal",
        /// A group of alternative materials (`material_groups[].id`).
        MaterialGroup => "material_group",
    }
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
    pub reason: Option<FindingReason>,
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
    /// `refused_by_facts`: the authority to apply to instead (行政许可法 §32(1)(2)).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub refer_to: Option<Text>,
    /// `material_group_unsatisfied`: the member materials, any `at_least` of which satisfy it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub alternatives: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Checklist {
    pub fields: Vec<FieldState>,
    pub materials: Vec<MaterialState>,
}

/// Whether a field or material applies: `true`, `false`, or `"unknown"` when its condition
/// depends on a field not answered yet. Three-valued (Kleene) logic: `all` is false if any part
/// is false, `any` is true if any part is true, otherwise unknown parts make the whole unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    Yes,
    No,
    Unknown,
}

impl Applies {
    pub fn from_bool(holds: bool) -> Self {
        if holds { Self::Yes } else { Self::No }
    }

    pub fn and(self, other: Self) -> Self {
        match (self, other) {
            (Self::No, _) | (_, Self::No) => Self::No,
            (Self::Yes, Self::Yes) => Self::Yes,
            _ => Self::Unknown,
        }
    }

    pub fn or(self, other: Self) -> Self {
        match (self, other) {
            (Self::Yes, _) | (_, Self::Yes) => Self::Yes,
            (Self::No, Self::No) => Self::No,
            _ => Self::Unknown,
        }
    }
}

impl std::ops::Not for Applies {
    type Output = Self;

    fn not(self) -> Self {
        match self {
            Self::Yes => Self::No,
            Self::No => Self::Yes,
            Self::Unknown => Self::Unknown,
        }
    }
}

impl Serialize for Applies {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Yes => serializer.serialize_bool(true),
            Self::No => serializer.serialize_bool(false),
            Self::Unknown => serializer.serialize_str("unknown"),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct FieldState {
    pub id: String,
    /// `true`: the field's condition holds (or it has none), show it; `false`: hide it;
    /// `"unknown"`: its condition waits for another answer, show it with `hint`.
    #[cfg_attr(feature = "wasm", tsify(type = "boolean | \"unknown\""))]
    pub applies: Applies,
    /// Required now (never while `applies` is unknown).
    pub required: bool,
    /// Problem found with this field, if any.
    pub ok: bool,
    /// When `applies` is unknown: when the field applies, in words ("如……，须填写此项。").
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub hint: Option<Text>,
    /// The value as the engine read it, when that differs from what was typed ("+86 138-0013-8000"
    /// → "13800138000", "1,200" → 1200, full-width digits): what the pages show back.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm", tsify(optional, type = "string | number"))]
    pub normalized: Option<Normalized>,
}

/// A field value as the engine read it. Its own small type rather than `serde_json::Value`, whose
/// serializer would be compiled into the wasm module for every output format.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Normalized {
    Text(String),
    Number(serde_json::Number),
}

impl Normalized {
    /// The text or number of a normalised value (nothing else is ever normalised).
    pub fn from_value(value: &serde_json::Value) -> Option<Self> {
        match value {
            serde_json::Value::String(s) => Some(Self::Text(s.clone())),
            serde_json::Value::Number(n) => Some(Self::Number(n.clone())),
            _ => None,
        }
    }

    pub fn to_value(&self) -> serde_json::Value {
        match self {
            Self::Text(s) => serde_json::Value::String(s.clone()),
            Self::Number(n) => serde_json::Value::Number(n.clone()),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct MaterialState {
    pub id: String,
    /// `true`: the material's condition holds (or it has none), it is required; `false`: not
    /// required; `"unknown"`: required only if a field not answered yet says so (see `hint`, and
    /// the `material_conditional` finding when it has not been handed in).
    #[cfg_attr(feature = "wasm", tsify(type = "boolean | \"unknown\""))]
    pub applies: Applies,
    pub key: bool,
    pub tolerable: bool,
    pub status: MaterialStatus,
    /// No problem found (always true while `applies` is unknown: nothing is required yet).
    pub ok: bool,
    /// When `applies` is unknown: when the material is required, in words ("如……，须提交此材料。").
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub hint: Option<Text>,
    /// The group of alternatives it belongs to (`material_groups[].id`): it is not required by
    /// itself, and `ok` is the group's.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub group: Option<String>,
}

/// A material not demanded (免提交).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Exemption {
    pub material: String,
    pub name: Text,
    pub by: ExemptBy,
    /// Obtained already (`obtained`, with the `reference`), still to be obtained by the office
    /// (`to_obtain`), or replaced by a commitment (`committed`).
    pub state: ExemptState,
    /// The source system (shared data, electronic licence).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub source: Option<Text>,
    /// The licence number or shared-record reference the clerk recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub reference: Option<String>,
    /// 告知承诺: what the applicant commits to (printed on the 承诺书).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub terms: Option<Text>,
    pub basis: String,
    /// One sentence for the documents, e.g. "“…”已通过…获取，免于提交。".
    pub message: Text,
}

stable_code! {
    /// Where a material not demanded (免提交) stands.
    pub enum ExemptState {
        /// The office obtains it itself (data sharing, electronic licence) and has not yet
        /// recorded the reference: never the applicant's to hand in (国务院关于在线政务服务的若干规定
        /// §7) unless the clerk records `sharing_failed`.
        ToObtain => "to_obtain",
        /// The office obtained it; `reference` is the licence number or shared record.
        Obtained => "obtained",
        /// Replaced by the applicant's written commitment (告知承诺).
        Committed => "committed",
    }
}

stable_code! {
    /// Why a material is not demanded.
    pub enum ExemptBy {
        /// Obtained from another department's records (数据共享).
        DataSharing => "data_sharing",
        /// Obtained from the electronic licence system (电子证照).
        ElectronicLicence => "electronic_licence",
        /// Replaced by the applicant's written commitment (告知承诺): nothing is owed; checked
        /// afterwards.
        Commitment => "commitment",
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Pledge {
    /// Items that are missing or flawed and are tolerable (容缺) by the rule, whether or not the
    /// pledge is available for this submission.
    pub items: Vec<PledgeItem>,
    /// The applicant may pledge: no bad-credit record, and the matter is not instant.
    pub applicant_eligible: bool,
    /// The pledge is available: signing it makes (or made) the application acceptable now.
    /// Forms offer it, and messages mention it, only when true; when false, `pledge_due` and
    /// every item's `due` are null.
    pub would_accept: bool,
    pub signed: bool,
    /// The earliest date by which a pledged item is due: supplying everything by then keeps the
    /// pledge whatever each item's own period. Null when the pledge is not available.
    pub pledge_due: Option<String>,
    /// Why a pledge cannot be used, as stable reason codes.
    pub blocked_by: Vec<PledgeBlock>,
    pub terms: Option<Text>,
    /// What a broken pledge does — the rule the 容缺 ledger applies (`[pledge_ledger]`, or its
    /// defaults), in the words the 信用承诺书 prints (`notice.pledge.consequence`). Null when the
    /// pledge is not available.
    pub consequence: Option<Text>,
    /// The local rule `consequence` follows (`[pledge_ledger] basis`); null with it.
    pub consequence_basis: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct PledgeItem {
    pub material: String,
    pub name: Text,
    /// Null when the pledge is not available (`would_accept` false): no date is promised for a
    /// pledge that cannot be made.
    pub due: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Deadlines {
    /// `accepted`: the dates below are the accepted case's; `if_accepted_on_receipt` (补正,
    /// 不予受理): the acceptance day and the due dates are hypothetical, what they would be had
    /// the application been accepted on receipt, and are never printed as facts.
    pub basis: DeadlineBasis,
    /// The China-time date of receipt.
    pub received_on: String,
    /// The acceptance day: window/kiosk on a rest day → next working day; online → the first
    /// working day after the day of receipt.
    pub accepted_on: String,
    /// When each limit's clock starts: `{promised, statutory}`; the statutory one is always
    /// `acceptance` (行政许可法 §42).
    pub clock_starts: LimitClocks,
    /// Null on a 容缺受理 whose promised clock waits for the outstanding materials (补办件).
    pub promised_due: Option<String>,
    /// Always a date: the statutory limit runs from acceptance, a 容缺受理 included.
    pub statutory_due: String,
    pub statutory_extended_due: Option<String>,
    /// The pledge's due date (see `Pledge::pledge_due`); null when the pledge is not available.
    pub pledge_due: Option<String>,
    /// Days not counted because of special procedures (特别程序).
    pub paused_days: u32,
    /// True when any date used lies in a year the calendar does not cover: the dates assume
    /// Monday–Friday working days and may move when the State Council publishes that year.
    pub provisional: bool,
    /// 上报件: the office's forwarding deadline and the higher authority's own limit, reported
    /// separately (行政许可法 §43).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub forwarding: Option<ForwardingDeadline>,
    /// The online cut-off time applied to an online application (`HH:MM`), when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "wasm", tsify(optional))]
    pub online_cutoff: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct ForwardingDeadline {
    /// The authority that decides.
    pub authority: Text,
    /// The day by which this office reviews and forwards the file.
    pub forward_due: String,
    /// The authority's own limit, counted from the day it receives the file (not known at
    /// acceptance, so no date).
    pub authority_limit: crate::model::TimeLimit,
    pub basis: String,
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
    /// 上报件: the day by which this office forwards the file (行政许可法 §43).
    ForwardDue,
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
    /// Whom the pledge binds: the verified identity (name, document, masked number, how it was
    /// verified: 窗口核验 / 统一身份认证), when the submission carries one (`pledgor`, set by the
    /// server); null otherwise. Feature `pledgor` (native and studio builds: the server's
    /// numbered document); left out when null, so a verdict without one is the same bytes in
    /// every build.
    #[cfg(feature = "pledgor")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pledgor: Option<Text>,
    /// What a broken pledge does, from the rule the 容缺 ledger applies (`[pledge_ledger]`).
    pub consequence: Text,
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
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct MatterSummary {
    pub id: String,
    pub name: Text,
    pub department: Text,
    pub case_type: crate::model::CaseType,
    pub applicant_kinds: Vec<ApplicantKind>,
    pub versions: Vec<VersionSummary>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct VersionSummary {
    pub version: String,
    pub effective_from: String,
    pub effective_until: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each variant's `as_str()` is its serde name, and `all()` lists distinct variants.
    fn strings_match_serde<T: Serialize + Copy + PartialEq + std::fmt::Debug>(
        all: &[T],
        as_str: fn(T) -> &'static str,
    ) {
        assert!(!all.is_empty());
        for (i, code) in all.iter().enumerate() {
            let json = serde_json::to_string(code).expect("serialises");
            assert_eq!(json, format!("\"{}\"", as_str(*code)), "{code:?}");
            assert!(!all[..i].contains(code), "{code:?} listed twice");
        }
    }

    #[test]
    fn applies_is_true_false_or_unknown() {
        let json = |a: Applies| serde_json::to_string(&a).expect("serialises");
        assert_eq!(json(Applies::Yes), "true");
        assert_eq!(json(Applies::No), "false");
        assert_eq!(json(Applies::Unknown), "\"unknown\"");
    }

    #[test]
    fn applies_follows_kleene_logic() {
        use Applies::{No, Unknown, Yes};
        let all = [Yes, No, Unknown];
        for a in all {
            for b in all {
                let and = a.and(b);
                let or = a.or(b);
                assert_eq!(and, b.and(a));
                assert_eq!(or, b.or(a));
                assert_eq!(!and, (!a).or(!b), "De Morgan");
            }
        }
        assert_eq!(Yes.and(Unknown), Unknown);
        assert_eq!(No.and(Unknown), No);
        assert_eq!(Yes.or(Unknown), Yes);
        assert_eq!(No.or(Unknown), Unknown);
        assert_eq!(!Unknown, Unknown);
    }

    #[test]
    fn exempt_by_strings_are_serde_names() {
        strings_match_serde(ExemptBy::all(), ExemptBy::as_str);
    }

    #[test]
    fn pledge_block_strings_are_serde_names() {
        strings_match_serde(PledgeBlock::all(), PledgeBlock::as_str);
    }

    #[test]
    fn deadline_basis_strings_are_serde_names() {
        strings_match_serde(DeadlineBasis::all(), DeadlineBasis::as_str);
    }

    #[test]
    fn finding_reason_strings_are_serde_names() {
        strings_match_serde(FindingReason::all(), FindingReason::as_str);
    }

    #[test]
    fn outcome_finding_code_and_target_kind_strings_are_serde_names() {
        strings_match_serde(Outcome::all(), Outcome::as_str);
        strings_match_serde(FindingCode::all(), FindingCode::as_str);
        strings_match_serde(TargetKind::all(), TargetKind::as_str);
    }

    #[test]
    fn every_pledge_block_is_a_finding_reason_of_the_same_name() {
        for block in PledgeBlock::all() {
            assert_eq!(FindingReason::from(*block).as_str(), block.as_str());
        }
    }

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
