//! The rule-file format: what a human writes in `rules/matters/**.toml` and `rules/calendar/*.toml`.
//!
//! These types are the single source of truth for the format: the JSON Schema in `rules/schema/`
//! is generated from them (`qiquan schema`), and a test fails if the checked-in schema drifts.
//! Every struct denies unknown keys so that a typo is a lint error, not a silently ignored rule.

use serde::{Deserialize, Serialize};

#[cfg(feature = "schema")]
use schemars::JsonSchema;

/// Text shown to people: Simplified Chinese first, English second. Both are required so the
/// forms' en toggle never shows an empty label.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

/// One version of one matter (政务服务事项), in force from `effective_from`.
///
/// A matter may have several files, one per version; a check uses the version in force on the
/// date of receipt.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MatterFile {
    /// Stable matter id, lower_snake_case ASCII, e.g. `public_place_hygiene_license`.
    pub matter: String,
    /// Version label shown in verdicts, e.g. `2024-01`.
    pub version: String,
    /// First day (China time) on which this version applies, `YYYY-MM-DD`.
    pub effective_from: String,
    /// Last day on which this version applies, `YYYY-MM-DD`; open-ended if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_until: Option<String>,
    /// 事项名称.
    pub name: Text,
    /// 实施机关.
    pub department: Text,
    /// 设定依据: the regulation(s) that establish the matter.
    pub legal_basis: String,
    /// 办件类型.
    pub case_type: CaseType,
    /// 服务对象: who may apply. An applicant of another kind is not accepted (不予受理).
    pub applicant_kinds: Vec<ApplicantKind>,
    /// 法定办结时限.
    pub statutory_limit: TimeLimit,
    /// 承诺办结时限: never longer than the statutory limit.
    pub promised_limit: TimeLimit,
    /// A statutory extension (e.g. 行政许可法 §42: +10 days with approval).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statutory_extension: Option<TimeLimit>,
    /// When each limit's clock starts. The statutory limit always runs from acceptance
    /// (行政许可法 §42: a 容缺受理 is a 受理); the centre's promised clock may wait for the
    /// materials (补办件: "办理时限从服务对象补齐材料之日算起"):
    /// `clock_starts = { promised = "materials_complete" }`. The older one-value form
    /// `clock_starts = "materials_complete"` is read as the promised limit's start.
    #[serde(default)]
    pub clock_starts: ClockStarts,
    /// Free text printed on the pledge form (容缺受理信用承诺书), e.g. the consequences of breaking it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pledge_terms: Option<Text>,
    /// What the case register's 容缺 ledger does with this matter's pledges (reminders, a broken
    /// pledge); the defaults in [`PledgeLedger`] apply when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pledge_ledger: Option<PledgeLedger>,
    /// Form fields, in display order.
    #[serde(default)]
    pub fields: Vec<Field>,
    /// Materials (申请材料), in display order.
    pub materials: Vec<Material>,
    /// The rule-file format: absent or 1 for the original format; 2 for a file that uses any of
    /// the keys below or the v2 keys of fields and materials (`refusals`, `material_groups`,
    /// `joint`, `forwarding`, a material's `sharing`, `commitment`, `never_tolerable`,
    /// `original_handling`, `electronic_channels`, the `integer` field type, a date field's
    /// `not_after_receipt`/`min_years_before_receipt`). A format-1 file loads unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<u32>,
    /// Refusals by facts (行政许可法 §32(1)(1)(2)): field values for which the office does not
    /// accept the application at all, with the reason and, where the law says so, the authority
    /// to apply to instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refusals: Vec<Refusal>,
    /// Alternative materials: "A or B", "at least n of".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub material_groups: Vec<MaterialGroup>,
    /// 联办件: the lead and co-handling departments (`case_type = "joint"` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joint: Option<Joint>,
    /// 上报件: the forwarding deadline and the higher authority's limit (`case_type =
    /// "forwarded"` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarding: Option<Forwarding>,
    /// The centre's online cut-off time (`HH:MM`, China time): an online application received
    /// on a working day before it counts from that day, one received after it from the next
    /// working day. Without it, every online application counts from the next working day.
    /// (Belongs in the centre profile once there is one; per matter until then.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_cutoff: Option<String>,
    /// Format 3: the form field that names the applicant (主送 on every document). Without it a
    /// file must have one of the legacy name fields (`applicant_name`, `operator_name`, …);
    /// lint refuses a matter with neither (`addressee_missing`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addressee: Option<String>,
    /// Format 3: the applicant's contact fields (phone, address), in order, for the register's
    /// reminders and the documents' delivery.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact_fields: Vec<String>,
}

/// A refusal by facts: when `when` holds (on answered fields), the application is not accepted
/// (不予受理) with this reason.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Refusal {
    pub id: String,
    /// The facts that put the application outside the office's remit, or make it need no
    /// licence; may name any field.
    pub when: Condition,
    /// Why, told to the applicant.
    pub reason: Text,
    /// The regulation and article.
    pub basis: String,
    /// The authority to apply to instead (行政许可法 §32(1)(2)), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refer_to: Option<Text>,
}

/// Alternative materials: the group is satisfied when at least `at_least` of its members are
/// handed in and in order. Members are listed as materials and are not required one by one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MaterialGroup {
    pub id: String,
    /// What the group proves, e.g. 经营场所使用证明.
    pub name: Text,
    /// Member material ids (at least two).
    pub members: Vec<String>,
    /// How many members are needed; 1 ("A or B") by default.
    #[serde(default = "one")]
    pub at_least: u32,
    /// Required only when this holds (members may not have their own `when`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    pub basis: String,
}

fn one() -> u32 {
    1
}

/// 联办件: one lead department receives and answers; the others handle in parallel
/// (行政许可法 §26, §42(2)).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Joint {
    /// 牵头部门.
    pub lead: Text,
    /// 协办部门 (at least one).
    pub co_handling: Vec<Text>,
}

/// 上报件: the receiving office reviews and forwards to a higher authority, which decides
/// (行政许可法 §43).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Forwarding {
    /// The authority that decides.
    pub authority: Text,
    /// The receiving office's review and forwarding deadline, from acceptance (§43: 20 days).
    pub forward_within: TimeLimit,
    /// The higher authority's own limit, from the day it receives the file (reported, not
    /// counted: that day is not known at acceptance).
    pub authority_limit: TimeLimit,
    pub basis: String,
}

/// The 容缺 ledger's parameters (容缺台账). 化州 (化府办〔2025〕22号) keeps a ledger of owed
/// materials and reminds the applicant before the due date; 台州 suspends a case whose pledge is
/// broken and returns it when the materials do not arrive within 15 working days; 国办发〔2019〕35号
/// puts whether a written commitment was kept on the credit record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PledgeLedger {
    /// Remind the applicant this many working days before an item is due.
    #[serde(default = "default_remind_before")]
    #[cfg_attr(feature = "schema", schemars(range(max = 3650)))]
    pub remind_before: u32,
    /// What an item not supplied by its due date does to the case.
    #[serde(default)]
    pub on_broken: BrokenPledge,
    /// `suspend` only: how long (counted from the due date) the applicant may still supply before
    /// the case is terminated.
    #[serde(default = "default_resume_window")]
    pub resume_window: TimeLimit,
    /// The local rule these parameters follow.
    pub basis: String,
}

fn default_remind_before() -> u32 {
    3
}

fn default_resume_window() -> TimeLimit {
    TimeLimit {
        value: 15,
        unit: LimitUnit::WorkingDays,
    }
}

impl Default for PledgeLedger {
    /// Used when a matter file has no `[pledge_ledger]`.
    fn default() -> Self {
        Self {
            remind_before: default_remind_before(),
            on_broken: BrokenPledge::Suspend,
            resume_window: default_resume_window(),
            basis: "化府办〔2025〕22号（容缺台账、到期前提醒）；台州容缺受理办法（逾期中止，15个工作日内未补齐退件）".into(),
        }
    }
}

/// What a broken pledge does to the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BrokenPledge {
    /// 中止: the case waits; supplied within the resume window it resumes, else it is terminated.
    #[default]
    Suspend,
    /// 终止 at once (退件).
    Terminate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseType {
    /// 即办件: decided on the spot; never deficiency-tolerant.
    Instant,
    /// 承诺件: decided within the promised limit.
    Promised,
    /// 联办件: several departments in parallel.
    Joint,
    /// 上报件: forwarded to a higher authority.
    Forwarded,
}

/// 服务对象 (GB/T 39046-2020 codes 1–6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    /// 1 自然人
    NaturalPerson,
    /// 2 企业法人
    EnterpriseLegalPerson,
    /// 3 事业法人
    InstitutionLegalPerson,
    /// 4 社会组织法人
    SocialOrganizationLegalPerson,
    /// 5 行政机关
    AdministrativeOrgan,
    /// 6 其他组织
    OtherOrganization,
}

impl ApplicantKind {
    pub fn label(self) -> Text {
        let (zh, en) = match self {
            Self::NaturalPerson => ("自然人", "natural person"),
            Self::EnterpriseLegalPerson => ("企业法人", "enterprise legal person"),
            Self::InstitutionLegalPerson => ("事业法人", "public institution"),
            Self::SocialOrganizationLegalPerson => ("社会组织法人", "social organisation"),
            Self::AdministrativeOrgan => ("行政机关", "administrative organ"),
            Self::OtherOrganization => ("其他组织", "other organisation"),
        };
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TimeLimit {
    pub value: u32,
    pub unit: LimitUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LimitUnit {
    /// 工作日: working days on the Chinese calendar.
    WorkingDays,
    /// 自然日: calendar days; a last day on a rest day moves to the next working day (民法典 §203).
    NaturalDays,
    /// 当场: decided on the acceptance day (`value` must be 0).
    OnTheSpot,
}

/// When a limit's clock starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockStart {
    /// From the acceptance day.
    #[default]
    Acceptance,
    /// From the day the outstanding materials are complete (补办件); a 容缺受理's promised due
    /// date is then unknown at acceptance.
    MaterialsComplete,
}

/// When the statutory limit's clock starts: always at acceptance (行政许可法 §42; a 容缺受理 is
/// a 受理, so its statutory period runs from that day). Written out only for clarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum StatutoryClockStart {
    #[default]
    Acceptance,
}

/// Each limit's clock start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LimitClocks {
    /// The promised limit (承诺办结时限): from acceptance, or when materials are complete.
    #[serde(default)]
    pub promised: ClockStart,
    /// The statutory limit (法定办结时限): always from acceptance.
    #[serde(default)]
    pub statutory: StatutoryClockStart,
}

/// `clock_starts` in a rule file: per limit, or (older files) one value for the promised limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(untagged)]
pub enum ClockStarts {
    /// `clock_starts = { promised = "materials_complete", statutory = "acceptance" }`.
    PerLimit(LimitClocks),
    /// `clock_starts = "materials_complete"` (older files): the promised limit's start; the
    /// statutory limit still runs from acceptance.
    Promised(ClockStart),
}

impl Default for ClockStarts {
    fn default() -> Self {
        Self::PerLimit(LimitClocks::default())
    }
}

impl ClockStarts {
    /// Each limit's clock start, whichever form the file used.
    pub fn per_limit(self) -> LimitClocks {
        match self {
            Self::PerLimit(clocks) => clocks,
            Self::Promised(promised) => LimitClocks {
                promised,
                statutory: StatutoryClockStart::Acceptance,
            },
        }
    }
}

/// A form field (填报项).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub id: String,
    pub label: Text,
    #[serde(rename = "type")]
    pub kind: FieldKind,
    /// Required whenever the field applies.
    #[serde(default)]
    pub required: bool,
    /// The field applies (is shown, and checked) only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// A regular expression (regex-lite syntax) the whole value must match; text-like fields only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// What the pattern means, for the error message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern_hint: Option<Text>,
    /// Length limits in characters (not bytes); text-like fields only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// Inclusive range; number fields only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Choices; `choice` fields only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
    /// Help shown under the field (填报须知).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    /// Date fields: the date may not be after the China-time day of receipt (format 2).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_after_receipt: bool,
    /// Date fields: the date must be at least this many whole years before the day of receipt,
    /// e.g. 18 for an adult's date of birth (format 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_years_before_receipt: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    /// `YYYY-MM-DD`.
    Date,
    Number,
    Boolean,
    /// One of `options`, by id.
    Choice,
    /// 居民身份证号码 (GB 11643-1999, with its check digit).
    IdCard,
    /// 统一社会信用代码 (GB 32100-2015, with its check character).
    Uscc,
    /// Mainland mobile number or landline with area code.
    Phone,
    /// A whole number, e.g. a head count; `min`/`max` apply (format 2).
    Integer,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    pub id: String,
    pub label: Text,
}

/// When a field or material applies. Exactly one form must be used:
/// `{ field, equals }`, `{ field, one_of }`, `{ field, is_set }`, `{ field, greater_than }`,
/// `{ field, less_than }`, `{ applicant_kind }`, `{ all }`, `{ any }` or `{ not }`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Condition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<ConditionValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<ConditionValue>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_set: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub greater_than: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub less_than: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant_kind: Option<Vec<ApplicantKind>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Condition>>,
}

/// A literal compared with a field value: a boolean, a number or a string (choice id, text, date).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(untagged)]
pub enum ConditionValue {
    Bool(bool),
    Number(f64),
    Text(String),
}

/// One required material (申请材料).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Material {
    pub id: String,
    /// 材料名称.
    pub name: Text,
    /// 主件 (key): missing or flawed always blocks acceptance.
    pub key: bool,
    /// Required only when this holds; always required if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// 材料类型.
    #[serde(default)]
    pub form: MaterialForm,
    /// 原件份数.
    #[serde(default)]
    pub originals: u32,
    /// 复印件份数.
    #[serde(default)]
    pub copies: u32,
    /// 材料形式.
    #[serde(default)]
    pub medium: Medium,
    /// 来源渠道.
    #[serde(default)]
    pub source: MaterialSource,
    /// 出具机构, when the material is issued by a department.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<Text>,
    /// 容缺: may be missing or flawed at acceptance against a credit pledge. Never on key materials.
    #[serde(default)]
    pub tolerable: bool,
    /// How long the applicant has to supply it after a pledge; required when `tolerable`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pledge_period: Option<TimeLimit>,
    /// 受理标准.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acceptance_standard: Option<Text>,
    /// The regulation and article that require this material.
    pub basis: String,
    /// Largest file the case register accepts for this material, in bytes (default 10 MiB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub max_bytes: Option<u64>,
    /// Media types the case register accepts for this material (default PDF, JPEG, PNG).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(length(min = 1), inner(regex(pattern = r"^[a-z]+/[a-z0-9.+-]+$")))
    )]
    pub accept: Option<Vec<String>>,
    /// Whether the office can obtain the material itself (免提交): by data sharing or from the
    /// electronic licence system (《国务院关于在线政务服务的若干规定》§7, §10–11), or not
    /// (`by = "none"`). Lint warns on a material issued by a department that says neither.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sharing: Option<Sharing>,
    /// 告知承诺 (国办发〔2020〕42号): the applicant's written commitment may replace this proof
    /// for good (checked afterwards). Never on key, never-tolerable materials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commitment: Option<Commitment>,
    /// A safety or environmental material that may never be tolerated (容缺) or replaced by a
    /// commitment; lint enforces it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub never_tolerable: bool,
    /// What the window does with an original: shows it back (核验原件后退回) or keeps it (留存).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_handling: Option<OriginalHandling>,
    /// The channels on which an electronic copy is accepted (GB/T 39046-2020 办理形式); when
    /// empty, any channel the `medium` allows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub electronic_channels: Vec<crate::channel::Channel>,
}

/// How the office may obtain a material itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Sharing {
    pub by: SharingKind,
    /// The source system, e.g. 全国一体化政务服务平台电子证照库; required unless `by = "none"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SharingKind {
    /// 数据共享: another department's records.
    DataSharing,
    /// 电子证照: the electronic licence system.
    ElectronicLicence,
    /// Not obtainable: the applicant supplies it.
    None,
}

/// 告知承诺 on a material.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    /// The document allowing the commitment for this matter (e.g. the province's 告知承诺 list).
    pub basis: String,
    /// What the applicant commits to, printed on the commitment (承诺书).
    pub terms: Text,
    /// Format 3: when the office verifies the commitment, counted from acceptance (printed on
    /// the acceptance notice; without it the notice says only that it is verified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_within: Option<TimeLimit>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OriginalHandling {
    /// 核验原件后退回.
    Returned,
    /// 原件留存.
    Kept,
}

/// Default upload limit per material file.
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;
/// Default media types of a material file.
pub const DEFAULT_ACCEPT: [&str; 3] = ["application/pdf", "image/jpeg", "image/png"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MaterialForm {
    /// 原件
    #[default]
    Original,
    /// 复印件
    Copy,
    /// 原件和复印件
    OriginalAndCopy,
    /// 原件或复印件
    OriginalOrCopy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Medium {
    /// 纸质
    Paper,
    /// 电子
    Electronic,
    /// 纸质或电子
    #[default]
    PaperOrElectronic,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MaterialSource {
    /// 申请人自备
    #[default]
    Applicant,
    /// 政府部门核发
    IssuingDepartment,
}

/// One year's working-day arrangement (`rules/calendar/YYYY.toml`), from the State Council's
/// notice (国务院办公厅关于YYYY年部分节假日安排的通知).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CalendarFile {
    pub year: i32,
    /// Title and document number of the notice.
    pub notice: String,
    pub holidays: Vec<Holiday>,
    /// 调休: weekend days declared working days.
    #[serde(default)]
    pub make_up_workdays: Vec<MakeUpWorkday>,
    /// The rule-file format (1 or 2; absent is 1). Calendar files are the same in both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    pub name: Text,
    /// First rest day, `YYYY-MM-DD`.
    pub from: String,
    /// Last rest day, inclusive.
    pub to: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MakeUpWorkday {
    pub date: String,
    /// The holiday it makes up for, e.g. `春节`.
    #[serde(rename = "for")]
    pub for_holiday: String,
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Clocks {
        #[serde(default)]
        clock_starts: ClockStarts,
    }

    fn clocks(toml_text: &str) -> Result<LimitClocks, toml::de::Error> {
        toml::from_str::<Clocks>(toml_text).map(|c| c.clock_starts.per_limit())
    }

    #[test]
    fn clock_starts_per_limit_and_in_the_old_form() {
        let waits = LimitClocks {
            promised: ClockStart::MaterialsComplete,
            statutory: StatutoryClockStart::Acceptance,
        };
        assert_eq!(clocks("").unwrap(), LimitClocks::default());
        assert_eq!(
            clocks("clock_starts = \"materials_complete\"").unwrap(),
            waits
        );
        assert_eq!(
            clocks("clock_starts = \"acceptance\"").unwrap(),
            LimitClocks::default()
        );
        assert_eq!(
            clocks("clock_starts = { promised = \"materials_complete\" }").unwrap(),
            waits
        );
        assert_eq!(
            clocks(
                "clock_starts = { promised = \"materials_complete\", statutory = \"acceptance\" }"
            )
            .unwrap(),
            waits
        );
        // The statutory limit cannot wait for materials (行政许可法 §42).
        assert!(clocks("clock_starts = { statutory = \"materials_complete\" }").is_err());
        assert!(clocks("clock_starts = { promised = \"later\" }").is_err());
    }
}
