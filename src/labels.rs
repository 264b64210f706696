//! Every label a page shows for an engine concept (applicant kinds, channels, material forms,
//! statuses, pledge blocks, document kinds) and the headings of the printed documents. The
//! pages get them from `labels()`; they keep no dictionary of their own for these.

use serde::{Serialize, Serializer};

use crate::model::{ApplicantKind, MaterialForm, Medium, Text};
use crate::submission::{Channel, MaterialStatus, SubmittedForm};
use crate::verdict::{DocumentKind, FactKey, PledgeBlock};

fn text(zh: &str, en: &str) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

/// A list of pairs as a JSON object, in list order.
fn as_map<S: Serializer>(pairs: &[(String, Text)], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

/// An enum's serde name (its variants are unit variants serialized as strings).
fn key<K: Serialize>(k: K) -> String {
    match serde_json::to_value(k) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// All labels, each map keyed by its enum's serde names (so TypeScript types them by the enum).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct Labels {
    #[cfg_attr(feature = "wasm", tsify(type = "Record<ApplicantKind, Text>"))]
    #[serde(serialize_with = "as_map")]
    pub applicant_kinds: Vec<(String, Text)>,
    #[cfg_attr(feature = "wasm", tsify(type = "Record<Channel, Text>"))]
    #[serde(serialize_with = "as_map")]
    pub channels: Vec<(String, Text)>,
    /// 材料类型 as required by a rule.
    #[cfg_attr(feature = "wasm", tsify(type = "Record<MaterialForm, Text>"))]
    #[serde(serialize_with = "as_map")]
    pub material_forms: Vec<(String, Text)>,
    /// 材料形式.
    #[cfg_attr(feature = "wasm", tsify(type = "Record<Medium, Text>"))]
    #[serde(serialize_with = "as_map")]
    pub media: Vec<(String, Text)>,
    /// What a clerk records as handed in.
    #[cfg_attr(feature = "wasm", tsify(type = "Record<SubmittedForm, Text>"))]
    #[serde(serialize_with = "as_map")]
    pub submitted_forms: Vec<(String, Text)>,
    #[cfg_attr(feature = "wasm", tsify(type = "Record<MaterialStatus, Text>"))]
    #[serde(serialize_with = "as_map")]
    pub material_statuses: Vec<(String, Text)>,
    /// Why a pledge cannot be used, by `pledge.blocked_by` code.
    #[cfg_attr(feature = "wasm", tsify(type = "Record<PledgeBlock, Text>"))]
    #[serde(serialize_with = "as_map")]
    pub pledge_blocks: Vec<(String, Text)>,
    #[cfg_attr(feature = "wasm", tsify(type = "Record<DocumentKind, Text>"))]
    #[serde(serialize_with = "as_map")]
    pub document_kinds: Vec<(String, Text)>,
    pub document: DocumentLabels,
    /// What handing in an 原件 means when the material is uploaded (not brought to a window).
    pub upload_original: Text,
    pub window: WindowLabels,
    /// The rows of a verdict's dates (the same words as the notice's facts).
    #[cfg_attr(feature = "wasm", tsify(type = "Record<FactKey, Text>"))]
    #[serde(serialize_with = "as_map")]
    pub facts: Vec<(String, Text)>,
    pub material_tags: MaterialTags,
    /// What the dates of a verdict mean when they are not plain dates.
    pub dates: DateLabels,
    /// The states of an item owed under a pledge (the 容缺 ledger).
    #[cfg_attr(feature = "wasm", tsify(type = "Record<LedgerStatus, Text>"))]
    #[serde(serialize_with = "as_map")]
    pub ledger_statuses: Vec<(String, Text)>,
    /// What the pages say when a file is chosen, before it is sent (the server says the same
    /// when it refuses one): templates with `{name}`, `{size}`, `{limit}` and `{types}`, keyed
    /// `limits` (beside the picker), `empty`, `wrong_type`, `type_not_accepted` (the server, which
    /// has no file name), `too_large` ([`upload_words`]).
    #[cfg_attr(feature = "wasm", tsify(type = "Record<UploadWord, Text>"))]
    #[serde(serialize_with = "as_map")]
    pub uploads: Vec<(String, Text)>,
    /// The names of file types by media type, as people call them (PDF, JPG, PNG…).
    #[cfg_attr(feature = "wasm", tsify(type = "Record<string, Text>"))]
    #[serde(serialize_with = "as_map")]
    pub file_types: Vec<(String, Text)>,
    /// A material's upload limit when its rule names none ([`crate::model::DEFAULT_MAX_BYTES`]).
    pub default_max_bytes: u64,
    /// The media types a material accepts when its rule names none.
    pub default_accept: Vec<String>,
}

/// The keys of [`Labels::uploads`].
#[cfg(feature = "wasm")]
#[derive(Serialize, tsify::Tsify)]
#[serde(rename_all = "snake_case")]
pub enum UploadWord {
    Limits,
    Empty,
    WrongType,
    TypeNotAccepted,
    TooLarge,
}

/// The upload templates: `(key, zh, en)`.
const UPLOAD_WORDS: [(&str, &str, &str); 5] = [
    (
        "limits",
        "{types}，每份不超过 {limit}",
        "{types}, at most {limit} each",
    ),
    (
        "empty",
        "“{name}”是空文件（0 字节），请重新选择。",
        "“{name}” is empty (0 bytes); choose the file again.",
    ),
    (
        "wrong_type",
        "“{name}”不是该材料接受的文件类型：只接受 {types}。",
        "“{name}” is not a type this material accepts: only {types}.",
    ),
    (
        "type_not_accepted",
        "该材料只接受 {types}。",
        "This material accepts only {types}.",
    ),
    (
        "too_large",
        "文件过大（{size}），每份材料不超过 {limit}。",
        "The file is too large ({size}); each material may be at most {limit}.",
    ),
];

/// File types by media type: their everyday names.
const FILE_TYPES: [(&str, &str); 5] = [
    ("application/pdf", "PDF"),
    ("image/jpeg", "JPG"),
    ("image/png", "PNG"),
    ("application/ofd", "OFD"),
    ("application/zip", "ZIP"),
];

/// An upload template (`limits`, `empty`, `wrong_type`, `too_large`) filled: the file's
/// `name` and `size` (bytes), the material's `limit` (bytes) and accepted media types.
pub fn upload_words(which: &str, name: &str, size: u64, limit: u64, accept: &[String]) -> Text {
    let (zh, en) = UPLOAD_WORDS
        .iter()
        .find(|(k, _, _)| *k == which)
        .map_or(("", ""), |(_, zh, en)| (*zh, *en));
    let types = file_types_text(accept);
    let fill = |template: &str, types: &str| {
        template
            .replace("{name}", name)
            .replace("{size}", &megabytes(size, false))
            .replace("{limit}", &megabytes(limit, true))
            .replace("{types}", types)
    };
    Text {
        zh: fill(zh, &types.zh),
        en: fill(en, &types.en),
    }
}

/// The accepted types in words, as one list: `PDF、JPG 或 PNG` / `PDF, JPG or PNG`.
pub fn file_types_text(accept: &[String]) -> Text {
    let names: Vec<&str> = accept
        .iter()
        .map(|a| {
            FILE_TYPES
                .iter()
                .find(|(m, _)| m == a)
                .map_or(a.as_str(), |(_, n)| *n)
        })
        .collect();
    let join = |sep: &str, or: &str| match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{}{or}{last}", rest.join(sep)),
    };
    Text {
        zh: join("、", " 或 "),
        en: join(", ", " or "),
    }
}

/// A size in megabytes (MiB) as the upload words print it: `11.0 MB`; a whole limit `10 MB`.
pub fn megabytes(bytes: u64, whole_if_exact: bool) -> String {
    const MB: u64 = 1024 * 1024;
    if whole_if_exact && bytes.is_multiple_of(MB) {
        return format!("{} MB", bytes / MB);
    }
    format!("{:.1} MB", bytes as f64 / MB as f64)
}

/// The tags beside a material's name.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct MaterialTags {
    /// 主件: missing or flawed always blocks acceptance.
    pub key: Text,
    /// 可容缺: may be owed under a credit pledge.
    pub tolerable: Text,
}

/// Notes on a verdict's dates.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct DateLabels {
    /// `deadlines.provisional`: a date lies in a year without the State Council's notice.
    pub provisional: Text,
    /// A promised clock that starts when the materials are complete (no `promised_due` yet).
    pub clock_waits: Text,
    /// `deadlines.paused_days`.
    pub paused_days: Text,
}

/// The state of an item owed under a pledge, as the case register keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum LedgerStatus {
    Owed,
    Overdue,
    Supplied,
    Waived,
}

impl LedgerStatus {
    pub const ALL: [LedgerStatus; 4] = [Self::Owed, Self::Overdue, Self::Supplied, Self::Waived];

    pub fn label(self) -> Text {
        match self {
            Self::Owed => text("待补交", "Owed"),
            Self::Overdue => text("已逾期", "Overdue"),
            Self::Supplied => text("已补交", "Supplied"),
            Self::Waived => text("免予补交", "Waived"),
        }
    }
}

/// Captions of what the window records beside a material's status.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct WindowLabels {
    /// 免提交: the licence number or shared-record reference.
    pub reference: Text,
    /// How many copies were received.
    pub copies: Text,
    /// 告知承诺: the applicant's choice to commit instead of providing a proof.
    pub commit_instead: Text,
}

/// Headings and captions of the printed documents (the words around the structure's content).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct DocumentLabels {
    pub particulars: Text,
    pub materials: Text,
    pub material: Text,
    pub status: Text,
    pub due: Text,
    pub basis: Text,
    pub sample: Text,
}

pub fn labels() -> Labels {
    use ApplicantKind::*;
    Labels {
        applicant_kinds: [
            NaturalPerson,
            EnterpriseLegalPerson,
            InstitutionLegalPerson,
            SocialOrganizationLegalPerson,
            AdministrativeOrgan,
            OtherOrganization,
        ]
        .into_iter()
        .map(|k| (key(k), k.label()))
        .collect(),
        channels: [
            Channel::Window,
            Channel::Online,
            Channel::MobileOnline,
            Channel::Mail,
            Channel::Kiosk,
        ]
        .into_iter()
        .map(|c| (key(c), channel_label(c)))
        .collect(),
        material_forms: [
            MaterialForm::Original,
            MaterialForm::Copy,
            MaterialForm::OriginalAndCopy,
            MaterialForm::OriginalOrCopy,
        ]
        .into_iter()
        .map(|f| (key(f), material_form_label(f)))
        .collect(),
        media: [Medium::Paper, Medium::Electronic, Medium::PaperOrElectronic]
            .into_iter()
            .map(|m| (key(m), medium_label(m)))
            .collect(),
        submitted_forms: [
            SubmittedForm::Original,
            SubmittedForm::Copy,
            SubmittedForm::OriginalAndCopy,
        ]
        .into_iter()
        .map(|f| (key(f), submitted_form_label(f)))
        .collect(),
        material_statuses: [
            MaterialStatus::Provided,
            MaterialStatus::Flawed,
            MaterialStatus::Missing,
            MaterialStatus::Shared,
            MaterialStatus::Committed,
            MaterialStatus::SharingFailed,
        ]
        .into_iter()
        .map(|s| (key(s), material_status_label(s)))
        .collect(),
        pledge_blocks: PledgeBlock::all()
            .iter()
            .map(|&block| (key(block), pledge_block_label(block)))
            .collect(),
        document_kinds: [
            DocumentKind::Acceptance,
            DocumentKind::PledgeAcceptance,
            DocumentKind::Correction,
            DocumentKind::Refusal,
        ]
        .into_iter()
        .map(|k| (key(k), document_title(k)))
        .collect(),
        upload_original: text(
            "网上申请时，“原件”指上传原件的清晰扫描件或照片（完整、不缺页、可辨认），不是复印件的照片；原件在领取结果或窗口核验时出示（国办函〔2016〕108号：申请人上传的材料须核验原件）。",
            "Online, an “original” means a clear scan or photo of the original itself (complete, every page, legible), not of a photocopy; show the original when you collect the result or when the window checks it (国办函〔2016〕108号: uploaded materials are checked against the original).",
        ),
        document: DocumentLabels {
            particulars: text("申请信息", "Application details"),
            materials: text("收取材料", "Materials received"),
            material: text("材料名称", "Material"),
            status: text("收取情况", "Status"),
            due: text("补交期限", "Due"),
            basis: text("依据", "Basis"),
            sample: text(
                "样本 · 示例配置生成，不得作为正式文书",
                "SPECIMEN · from a sample profile, not to be issued",
            ),
        },
        window: WindowLabels {
            reference: text(
                "证照编号或共享记录编号",
                "Licence number or shared-record reference",
            ),
            copies: text("收到复印件份数", "Copies received"),
            commit_instead: text(
                "以告知承诺代替此证明，承诺：",
                "Commit instead of providing this proof. I commit that: ",
            ),
        },
        facts: [
            FactKey::Matter,
            FactKey::ReceivedAt,
            FactKey::AcceptedOn,
            FactKey::PromisedDue,
            FactKey::StatutoryDue,
            FactKey::StatutoryExtendedDue,
            FactKey::PledgeDue,
        ]
        .into_iter()
        .map(|k| (key(k), fact_label(k)))
        .collect(),
        material_tags: MaterialTags {
            key: text("主件", "Key"),
            tolerable: text("可容缺", "May be pledged"),
        },
        dates: DateLabels {
            provisional: text(
                "暂定日期：其中部分日期所在年份的节假日安排尚未公布，暂按周一至周五工作、扣除法定节日（元旦、春节、清明、劳动节、端午、中秋、国庆）计算，未计调休，国务院公布安排后可能调整。",
                "Provisional: some dates fall in a year whose holiday arrangement has not been published yet. They count Monday–Friday less the statutory holidays (New Year, Spring Festival, Qingming, Labour Day, Dragon Boat, Mid-Autumn, National Day), without make-up working days, and may move once the State Council publishes the arrangement.",
            ),
            clock_waits: text(
                "办理时限自材料补齐之日起计算。",
                "The processing time runs from the day the materials are complete.",
            ),
            paused_days: text(
                "特别程序不计入时限的天数",
                "Days not counted (special procedures)",
            ),
        },
        ledger_statuses: LedgerStatus::ALL
            .into_iter()
            .map(|s| (key(s), s.label()))
            .collect(),
        uploads: UPLOAD_WORDS
            .iter()
            .map(|(k, zh, en)| (k.to_string(), text(zh, en)))
            .collect(),
        file_types: FILE_TYPES
            .iter()
            .map(|(m, n)| (m.to_string(), text(n, n)))
            .collect(),
        default_max_bytes: crate::model::DEFAULT_MAX_BYTES,
        default_accept: crate::model::DEFAULT_ACCEPT
            .iter()
            .map(|a| a.to_string())
            .collect(),
    }
}

pub fn channel_label(channel: Channel) -> Text {
    match channel {
        Channel::Window => text("窗口", "service window"),
        Channel::Online => text("网上（电脑端）", "online (computer)"),
        Channel::MobileOnline => text("网上（移动端）", "online (mobile)"),
        Channel::Mail => text("快递申请", "by post or express"),
        Channel::Kiosk => text("自助终端", "self-service kiosk"),
    }
}

pub fn material_form_label(form: MaterialForm) -> Text {
    match form {
        MaterialForm::Original => text("原件", "original"),
        MaterialForm::Copy => text("复印件", "copy"),
        MaterialForm::OriginalAndCopy => text("原件和复印件", "original and copy"),
        MaterialForm::OriginalOrCopy => text("原件或复印件", "original or copy"),
    }
}

pub fn medium_label(medium: Medium) -> Text {
    match medium {
        Medium::Paper => text("纸质", "paper"),
        Medium::Electronic => text("电子", "electronic"),
        Medium::PaperOrElectronic => text("纸质或电子", "paper or electronic"),
    }
}

pub fn submitted_form_label(form: SubmittedForm) -> Text {
    match form {
        SubmittedForm::Original => text("原件", "Original"),
        SubmittedForm::Copy => text("复印件", "Copy"),
        SubmittedForm::OriginalAndCopy => text("原件和复印件", "Original and copy"),
    }
}

pub fn material_status_label(status: MaterialStatus) -> Text {
    match status {
        MaterialStatus::Provided => text("已收取", "received"),
        MaterialStatus::Flawed => text("有瑕疵", "flawed"),
        MaterialStatus::Missing => text("未提交", "missing"),
        MaterialStatus::Shared => text(
            "共享获取（免提交）",
            "obtained by data sharing (not to be submitted)",
        ),
        MaterialStatus::Committed => text("告知承诺", "replaced by a written commitment"),
        MaterialStatus::SharingFailed => text("共享未获取", "could not be obtained by sharing"),
    }
}

pub fn pledge_block_label(block: PledgeBlock) -> Text {
    match block {
        PledgeBlock::BadCredit => text(
            "申请人有未修复的失信记录，不适用容缺受理。",
            "The applicant has an unrepaired bad-credit record; pledges are not available.",
        ),
        PledgeBlock::InstantMatter => text(
            "即办件不适用容缺受理。",
            "Instant matters cannot be accepted on a pledge.",
        ),
        PledgeBlock::FieldProblem => text(
            "申请信息尚未填写完整或有误。",
            "Some details are missing or wrong.",
        ),
        PledgeBlock::KeyMaterialProblem => text(
            "主件缺失或有问题，主件不能容缺。",
            "A key material is missing or flawed; key materials cannot be pledged.",
        ),
        PledgeBlock::NonTolerableMaterial => text(
            "有不可容缺的材料缺失或有问题。",
            "A material that cannot be pledged is missing or flawed.",
        ),
        PledgeBlock::ApplicantIneligible => text(
            "申请人不属于本事项的服务对象。",
            "The applicant is not eligible for this service.",
        ),
        PledgeBlock::RefusedByFacts => text(
            "申请依法不予受理，不适用容缺受理。",
            "The application cannot be accepted at all, so no pledge applies.",
        ),
        PledgeBlock::NothingToPledge => text("没有需要容缺的材料。", "Nothing to pledge."),
    }
}

/// The standard name of each document, used in every channel.
pub fn document_title(kind: DocumentKind) -> Text {
    match kind {
        DocumentKind::Acceptance => text("受理通知书", "Notice of acceptance"),
        DocumentKind::PledgeAcceptance => text(
            "容缺受理通知书",
            "Notice of acceptance with materials outstanding",
        ),
        DocumentKind::Correction => text(
            "补正材料通知书",
            "Notice to supplement or correct materials",
        ),
        DocumentKind::Refusal => text("不予受理通知书", "Notice of non-acceptance"),
    }
}

/// The kind code in a document number (`{kind}` of the centre's pattern).
pub fn document_code(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Acceptance => "受",
        DocumentKind::PledgeAcceptance => "容",
        DocumentKind::Correction => "补",
        DocumentKind::Refusal => "不受",
    }
}

pub fn fact_label(key: FactKey) -> Text {
    match key {
        FactKey::Matter => text("申请事项", "Matter"),
        FactKey::ReceivedAt => text("收件时间", "Received"),
        FactKey::AcceptedOn => text("受理日期", "Accepted on"),
        FactKey::ForwardDue => text("审查报送期限", "Review and forwarding due"),
        FactKey::PromisedDue => text("承诺办结日期", "Promised decision date"),
        FactKey::StatutoryDue => text("法定办结期限", "Statutory deadline"),
        FactKey::StatutoryExtendedDue => text("经批准可延长至", "Extendable with approval to"),
        FactKey::PledgeDue => text("容缺材料补齐期限", "Pledged materials due"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_words_say_sizes_and_types_as_people_do() {
        let accept: Vec<String> = crate::model::DEFAULT_ACCEPT
            .iter()
            .map(|a| a.to_string())
            .collect();
        let limit = crate::model::DEFAULT_MAX_BYTES;
        let big = upload_words("too_large", "scan.pdf", 11 * 1024 * 1024, limit, &accept);
        assert_eq!(big.zh, "文件过大（11.0 MB），每份材料不超过 10 MB。");
        assert_eq!(
            big.en,
            "The file is too large (11.0 MB); each material may be at most 10 MB."
        );
        let limits = upload_words("limits", "", 0, limit, &accept);
        assert_eq!(limits.zh, "PDF、JPG 或 PNG，每份不超过 10 MB");
        assert_eq!(limits.en, "PDF, JPG or PNG, at most 10 MB each");
        let wrong = upload_words(
            "wrong_type",
            "a.docx",
            10,
            512 * 1024,
            &["application/pdf".to_string()],
        );
        assert_eq!(wrong.zh, "“a.docx”不是该材料接受的文件类型：只接受 PDF。");
        assert_eq!(
            upload_words("empty", "x.png", 0, limit, &accept).en,
            "“x.png” is empty (0 bytes); choose the file again."
        );
        assert_eq!(megabytes(512 * 1024, true), "0.5 MB");
        let l = labels();
        assert_eq!(l.uploads.len(), 5);
        assert_eq!(l.default_max_bytes, limit);
    }

    #[test]
    fn every_pledge_block_has_its_own_label() {
        let all = PledgeBlock::all();
        for (i, block) in all.iter().enumerate() {
            for other in &all[..i] {
                assert_ne!(
                    pledge_block_label(*block),
                    pledge_block_label(*other),
                    "{block:?}"
                );
            }
        }
    }

    /// The enum values the rule format's JSON Schema lists (generated from the types).
    #[cfg(feature = "schema")]
    fn schema_values<T: schemars::JsonSchema>() -> Vec<String> {
        let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap();
        let mut values = Vec::new();
        for variant in schema["oneOf"].as_array().into_iter().flatten() {
            for v in variant["enum"].as_array().into_iter().flatten() {
                values.push(v.as_str().unwrap().to_string());
            }
            if let Some(v) = variant["const"].as_str() {
                values.push(v.to_string());
            }
        }
        for v in schema["enum"].as_array().into_iter().flatten() {
            values.push(v.as_str().unwrap().to_string());
        }
        values
    }

    #[cfg(feature = "schema")]
    #[test]
    fn every_variant_of_the_rule_format_enums_has_a_label() {
        let json = serde_json::to_value(labels()).unwrap();
        for (map, values) in [
            ("applicant_kinds", schema_values::<ApplicantKind>()),
            ("material_forms", schema_values::<MaterialForm>()),
            ("media", schema_values::<Medium>()),
        ] {
            assert!(!values.is_empty(), "{map}");
            let keys: Vec<&String> = json[map].as_object().unwrap().keys().collect();
            assert_eq!(keys.len(), values.len(), "{map}: {keys:?} vs {values:?}");
            for v in &values {
                assert!(json[map].get(v).is_some(), "{map} lacks {v}");
            }
        }
    }

    #[test]
    fn label_maps_are_keyed_by_serde_names() {
        let json = serde_json::to_value(labels()).expect("labels serialize");
        assert_eq!(json["applicant_kinds"]["natural_person"]["zh"], "自然人");
        assert_eq!(json["channels"]["kiosk"]["zh"], "自助终端");
        assert_eq!(
            json["material_forms"]["original_or_copy"]["zh"],
            "原件或复印件"
        );
        assert_eq!(json["material_statuses"]["flawed"]["zh"], "有瑕疵");
        assert_eq!(json["document_kinds"]["refusal"]["zh"], "不予受理通知书");
        assert_eq!(json["facts"]["statutory_due"]["zh"], "法定办结期限");
        assert_eq!(json["ledger_statuses"]["waived"]["zh"], "免予补交");
        assert_eq!(
            json["ledger_statuses"].as_object().map(|m| m.len()),
            Some(4)
        );
        assert_eq!(
            json["pledge_blocks"]["bad_credit"]["en"]
                .as_str()
                .map(|s| s.is_empty()),
            Some(false)
        );
    }
}
