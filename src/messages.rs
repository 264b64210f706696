//! Every sentence a check says to a person, zh-CN first and en second: what is wrong and how to
//! fix it. `check` decides *which* message applies; this module only words it, so a reviewer
//! reads all of the engine's wording in one place and a translator touches one file.

use crate::bundle::Cond;
use crate::calendar::clip;
use crate::model::{
    ApplicantKind, ConditionValue, Field, Material, MaterialForm, MaterialGroup, Medium,
    OriginalHandling, Refusal, Text,
};
use crate::submission::Channel;
use crate::verdict::PledgeBlock;

pub(crate) fn text(zh: impl Into<String>, en: impl Into<String>) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

/// The legal basis of a refused pledge.
pub(crate) const PLEDGE_BASIS: &str =
    "容缺受理制度：即办件、失信主体不适用；主件及安全、环保类必备材料不得容缺";

// ---- Intake errors -------------------------------------------------------------------------

pub(crate) fn missing_received_at() -> Text {
    text(
        "缺少收件时间 received_at（RFC 3339）。",
        "The time of receipt `received_at` (RFC 3339) is missing.",
    )
}

pub(crate) fn invalid_instant(instant: &str) -> Text {
    text(
        format!(
            "收件时间“{}”无效，请使用带时区的 RFC 3339 格式，例如 2026-03-02T09:30:00+08:00。",
            clip(instant)
        ),
        format!(
            "The time of receipt “{}” is not valid; use RFC 3339 with an offset, e.g. 2026-03-02T09:30:00+08:00.",
            clip(instant)
        ),
    )
}

pub(crate) fn unknown_matter(matter_id: &str) -> Text {
    text(
        format!(
            "没有 id 为“{}”的事项，请从事项列表中选择。",
            clip(matter_id)
        ),
        format!(
            "There is no matter with id “{}”; pick one from the list of matters.",
            clip(matter_id)
        ),
    )
}

pub(crate) fn no_version_in_force(matter_id: &str, day: &str) -> Text {
    text(
        format!("事项“{matter_id}”在 {day} 没有有效的版本。"),
        format!("No version of matter “{matter_id}” is in force on {day}."),
    )
}

pub(crate) fn unknown_field(matter: &str, version: &str, id: &str) -> Text {
    text(
        format!(
            "事项“{matter}”（版本 {version}）没有字段“{}”，请检查字段 id。",
            clip(id)
        ),
        format!(
            "Matter “{matter}” (version {version}) has no field “{}”; check the field ids.",
            clip(id)
        ),
    )
}

pub(crate) fn unknown_material(matter: &str, version: &str, id: &str) -> Text {
    text(
        format!(
            "事项“{matter}”（版本 {version}）没有材料“{}”，请检查材料 id。",
            clip(id)
        ),
        format!(
            "Matter “{matter}” (version {version}) has no material “{}”; check the material ids.",
            clip(id)
        ),
    )
}

pub(crate) fn too_many_pauses(max: usize) -> Text {
    text(
        format!("特别程序中止期最多 {max} 段。"),
        format!("At most {max} special-procedure pauses are accepted."),
    )
}

pub(crate) fn bad_pause(number: usize, max_days: i64) -> Text {
    text(
        format!("第 {number} 段特别程序的结束日期早于开始日期，或超过 {max_days} 天。"),
        format!(
            "Special-procedure pause {number} ends before it starts or lasts over {max_days} days."
        ),
    )
}

// ---- Fields --------------------------------------------------------------------------------

/// What kind of value a field expects, for "must be …" messages.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Expected {
    YesOrNo,
    Number,
    Option,
    Date,
    Text,
    Integer,
}

impl Expected {
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Self::YesOrNo => ("是或否", "yes or no"),
            Self::Number => ("数字", "a number"),
            Self::Option => ("列表中的一个选项", "one of the listed options"),
            Self::Date => ("日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)"),
            Self::Text => ("文字", "text"),
            Self::Integer => ("整数", "a whole number"),
        }
    }
}

/// Which identifier an identifier field holds.
#[derive(Debug, Clone, Copy)]
pub(crate) enum IdKind {
    IdCard,
    Uscc,
}

impl IdKind {
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Self::IdCard => ("18 位居民身份证号码", "an 18-character resident ID number"),
            Self::Uscc => (
                "18 位统一社会信用代码",
                "an 18-character unified social credit code",
            ),
        }
    }
}

/// Formats a number the same way on every runtime (no trailing `.0` for whole numbers).
pub(crate) fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

pub(crate) fn field_required(label: &Text) -> Text {
    text(
        format!("请填写“{}”。", label.zh),
        format!("Please fill in “{}”.", label.en),
    )
}

pub(crate) fn wrong_type(label: &Text, expected: Expected) -> Text {
    let (zh_kind, en_kind) = expected.words();
    text(
        format!("“{}”应为{zh_kind}，请重新填写。", label.zh),
        format!("“{}” must be {en_kind}; please fill it in again.", label.en),
    )
}

pub(crate) fn below_min(label: &Text, min: f64) -> Text {
    text(
        format!("“{}”不能小于 {}，请核对后重新填写。", label.zh, number(min)),
        format!(
            "“{}” must be at least {}; please check it.",
            label.en,
            number(min)
        ),
    )
}

pub(crate) fn above_max(label: &Text, max: f64) -> Text {
    text(
        format!("“{}”不能大于 {}，请核对后重新填写。", label.zh, number(max)),
        format!(
            "“{}” must be at most {}; please check it.",
            label.en,
            number(max)
        ),
    )
}

pub(crate) fn unknown_option(field: &Field) -> Text {
    let label = &field.label;
    let zh: Vec<&str> = field.options.iter().map(|o| o.label.zh.as_str()).collect();
    let en: Vec<&str> = field.options.iter().map(|o| o.label.en.as_str()).collect();
    text(
        format!("“{}”请从以下选项中选择：{}。", label.zh, zh.join("、")),
        format!("For “{}” choose one of: {}.", label.en, en.join(", ")),
    )
}

pub(crate) fn not_a_date(label: &Text) -> Text {
    text(
        format!(
            "“{}”不是有效日期，请按 YYYY-MM-DD 填写，例如 2026-03-02。",
            label.zh
        ),
        format!(
            "“{}” is not a valid date; use YYYY-MM-DD, e.g. 2026-03-02.",
            label.en
        ),
    )
}

pub(crate) fn date_after_receipt(label: &Text) -> Text {
    text(
        format!("“{}”不能晚于收件日期，请核对后重新填写。", label.zh),
        format!(
            "“{}” cannot be after the day of receipt; please check it.",
            label.en
        ),
    )
}

pub(crate) fn too_recent(label: &Text, years: u32) -> Text {
    text(
        format!(
            "“{}”须在收件日期 {years} 周年以前，请核对；不符合的，不能申请。",
            label.zh
        ),
        format!(
            "“{}” must be at least {years} full years before the day of receipt; please check it. If it is not, the applicant does not qualify.",
            label.en
        ),
    )
}

pub(crate) fn id_format(label: &Text, kind: IdKind) -> Text {
    let (zh_name, en_name) = kind.words();
    text(
        format!("“{}”应为{zh_name}，请核对位数和字符。", label.zh),
        format!(
            "“{}” must be {en_name}; check its length and characters.",
            label.en
        ),
    )
}

pub(crate) fn id_checksum(label: &Text) -> Text {
    text(
        format!(
            "“{}”校验位不正确，可能有输错的字符，请对照证件核对。",
            label.zh
        ),
        format!(
            "“{}” fails its check digit: a character is probably mistyped; compare it with the document.",
            label.en
        ),
    )
}

pub(crate) fn id_birth_date(label: &Text) -> Text {
    text(
        format!("“{}”中的出生日期不存在，请对照证件核对。", label.zh),
        format!(
            "The date of birth in “{}” does not exist; compare it with the document.",
            label.en
        ),
    )
}

pub(crate) fn id_region(label: &Text) -> Text {
    text(
        format!(
            "“{}”的前两位不是任何省级行政区划代码，号码有误，请对照证件核对。",
            label.zh
        ),
        format!(
            "The first two digits of “{}” name no province, so the number is wrong; compare it with the document.",
            label.en
        ),
    )
}

/// The birth date is not repeated: the message is printed, and ID numbers are masked in print.
pub(crate) fn id_birth_date_in_future(label: &Text) -> Text {
    text(
        format!(
            "“{}”中的出生日期晚于收件日期，号码有误，请对照证件核对。",
            label.zh
        ),
        format!(
            "The date of birth in “{}” is after the day of receipt, so the number is wrong; compare it with the document.",
            label.en
        ),
    )
}

pub(crate) fn phone_format(label: &Text) -> Text {
    text(
        format!(
            "“{}”应为 11 位手机号码或带区号的固定电话，例如 13800138000 或 010-12345678。",
            label.zh
        ),
        format!(
            "“{}” must be an 11-digit mobile number or a landline with area code, e.g. 13800138000 or 010-12345678.",
            label.en
        ),
    )
}

pub(crate) fn too_short(label: &Text, min: u32, length: usize) -> Text {
    text(
        format!("“{}”至少需要 {min} 个字符，当前为 {length} 个。", label.zh),
        format!(
            "“{}” needs at least {min} characters; it has {length}.",
            label.en
        ),
    )
}

pub(crate) fn too_long(label: &Text, max: u32, length: usize) -> Text {
    text(
        format!(
            "“{}”最多 {max} 个字符，当前为 {length} 个，请精简。",
            label.zh
        ),
        format!(
            "“{}” allows at most {max} characters; it has {length}. Please shorten it.",
            label.en
        ),
    )
}

pub(crate) fn pattern(label: &Text, hint: Option<&Text>) -> Text {
    text(
        format!(
            "“{}”格式不正确{}。",
            label.zh,
            hint.map(|h| format!("：{}", h.zh)).unwrap_or_default()
        ),
        format!(
            "“{}” is not in the expected format{}.",
            label.en,
            hint.map(|h| format!(": {}", h.en)).unwrap_or_default()
        ),
    )
}

// ---- Materials -----------------------------------------------------------------------------

/// How the rule wants a material handed in, e.g. "原件1份、复印件1份" / "1 original and 1 copy".
pub(crate) fn describe_form(material: &Material) -> Text {
    let count = |n: u32| if n == 0 { 1 } else { n };
    let (originals, copies) = (count(material.originals), count(material.copies));
    let plural = |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let (mut zh, mut en) = match material.form {
        MaterialForm::Original => (
            format!("原件{originals}份"),
            plural(originals, "original", "originals"),
        ),
        MaterialForm::Copy => (
            format!("复印件{copies}份"),
            plural(copies, "copy", "copies"),
        ),
        MaterialForm::OriginalAndCopy => (
            format!("原件{originals}份、复印件{copies}份"),
            format!(
                "{} and {}",
                plural(originals, "original", "originals"),
                plural(copies, "copy", "copies")
            ),
        ),
        MaterialForm::OriginalOrCopy => (
            "原件或复印件".to_string(),
            "the original or a copy".to_string(),
        ),
    };
    match material.medium {
        Medium::Paper => {
            zh.push_str("（纸质）");
            en.push_str(" (paper)");
        }
        Medium::Electronic => {
            zh.push_str("（电子）");
            en.push_str(" (electronic)");
        }
        Medium::PaperOrElectronic => {}
    }
    match material.original_handling {
        Some(OriginalHandling::Returned) => {
            zh.push_str("，原件核验后退回");
            en.push_str(", the original shown and returned");
        }
        Some(OriginalHandling::Kept) => {
            zh.push_str("，原件留存");
            en.push_str(", the original kept on file");
        }
        None => {}
    }
    text(zh, en)
}

/// "【主件】" before a key material's message.
fn key_prefix(material: &Material) -> (&'static str, &'static str) {
    if material.key {
        ("【主件】", "[key material] ")
    } else {
        ("", "")
    }
}

pub(crate) fn material_missing(material: &Material) -> Text {
    let (key_zh, key_en) = key_prefix(material);
    let (name, form) = (&material.name, describe_form(material));
    text(
        format!("{key_zh}缺少“{}”。请提交{}。", name.zh, form.zh),
        format!(
            "{key_en}“{}” is missing. Please provide {}.",
            name.en, form.en
        ),
    )
}

pub(crate) fn material_flawed(material: &Material, note: Option<&str>) -> Text {
    let (key_zh, key_en) = key_prefix(material);
    let (name, form) = (&material.name, describe_form(material));
    let (zh_note, en_note) = match note {
        Some(n) => (format!("：{n}"), format!(": {n}")),
        None => (String::new(), String::new()),
    };
    text(
        format!(
            "{key_zh}“{}”存在问题{zh_note}。请更正后重新提交{}。",
            name.zh, form.zh
        ),
        format!(
            "{key_en}“{}” has a flaw{en_note}. Please correct it and provide {} again.",
            name.en, form.en
        ),
    )
}

pub(crate) fn material_wrong_form(material: &Material) -> Text {
    let (key_zh, key_en) = key_prefix(material);
    let (name, form) = (&material.name, describe_form(material));
    text(
        format!(
            "{key_zh}“{}”需提交{}，收到的材料形式不符。",
            name.zh, form.zh
        ),
        format!(
            "{key_en}“{}” must be provided as {}; what was handed in does not match.",
            name.en, form.en
        ),
    )
}

pub(crate) fn material_wrong_medium(material: &Material) -> Text {
    let (key_zh, key_en) = key_prefix(material);
    let (name, form) = (&material.name, describe_form(material));
    text(
        format!(
            "{key_zh}“{}”需提交{}，收到的载体形式不符。",
            name.zh, form.zh
        ),
        format!(
            "{key_en}“{}” must be provided as {}; the medium handed in does not match.",
            name.en, form.en
        ),
    )
}

/// Appends the material's acceptance standard (受理标准), when the rule gives one.
pub(crate) fn push_acceptance_standard(message: &mut Text, standard: Option<&Text>) {
    if let Some(standard) = standard {
        message.zh.push_str(&format!(
            "受理标准：{}。",
            standard.zh.trim_end_matches('。')
        ));
        message.en.push_str(&format!(
            " Acceptance standard: {}.",
            standard.en.trim_end_matches('.')
        ));
    }
}

/// Appends the pledge offer to a tolerable material's message.
pub(crate) fn push_pledge_offer(message: &mut Text) {
    message
        .zh
        .push_str("该材料可容缺：签署信用承诺书后可先行受理，在承诺期限内补交。");
    message.en.push_str(" This material may be pledged: sign the credit pledge to be accepted now and supply it within the pledge period.");
}

// ---- The applicant and the pledge ----------------------------------------------------------

pub(crate) fn ineligible(kinds: &[ApplicantKind], kind: ApplicantKind) -> Text {
    let zh: Vec<String> = kinds.iter().map(|k| k.label().zh).collect();
    let en: Vec<String> = kinds.iter().map(|k| k.label().en).collect();
    let label = kind.label();
    text(
        format!(
            "本事项的服务对象为{}，{}不能申请。请由符合条件的申请人提出申请。",
            zh.join("、"),
            label.zh
        ),
        format!(
            "This matter serves: {}. A {} cannot apply; an eligible applicant must apply instead.",
            en.join(", "),
            label.en
        ),
    )
}

pub(crate) fn pledge_label() -> Text {
    text("容缺受理信用承诺", "Credit pledge")
}

/// Why the pledge cannot be used, one clause per reason.
pub(crate) fn pledge_refused(blocked_by: &[PledgeBlock]) -> Text {
    let mut zh = vec![String::from("不能适用容缺受理：")];
    let mut en = vec![String::from("The credit pledge cannot be used:")];
    for reason in blocked_by {
        let (z, e) = match reason {
            PledgeBlock::BadCredit => (
                "申请人有失信记录，信用修复前不适用容缺受理；请补齐全部材料后申请。",
                " the applicant has a bad-credit (失信) record, which excludes pledges until credit is repaired; supply all materials instead.",
            ),
            PledgeBlock::InstantMatter => (
                "即办件不适用容缺受理。",
                " instant matters are never accepted on a pledge.",
            ),
            PledgeBlock::FieldProblem => ("请先更正填报内容。", " correct the form fields first."),
            PledgeBlock::KeyMaterialProblem => (
                "主件缺失或有误，主件不能容缺。",
                " a key material is missing or flawed, and key materials cannot be pledged.",
            ),
            PledgeBlock::NonTolerableMaterial => (
                "有不可容缺的材料缺失或有误。",
                " a material that cannot be pledged is missing or flawed.",
            ),
            PledgeBlock::RefusedByFacts => (
                "本申请不予受理（见拒绝理由）。",
                " the application is not accepted (see the reason given).",
            ),
            PledgeBlock::ApplicantIneligible => (
                "申请人不属于本事项的服务对象。",
                " the applicant is not eligible for this matter.",
            ),
            PledgeBlock::NothingToPledge => {
                ("没有可以容缺的材料。", " there is nothing to pledge.")
            }
        };
        zh.push(z.to_string());
        en.push(e.to_string());
    }
    text(zh.concat(), en.concat())
}

// ---- Conditions not decided yet (一次性告知: 行政许可法 §32(1)(4)) ---------------------------

/// The basis of a `material_conditional` finding, after the material's own.
pub(crate) const CONDITIONAL_BASIS: &str =
    "《中华人民共和国行政许可法》第三十二条第一款第（四）项（一次告知申请人需要补正的全部内容）";

/// A rule condition in words, e.g. "“是否使用集中空调通风系统”为“是”" / "“Uses central air
/// conditioning” is “yes”". `fields` are the rule's fields (conditions name them by position).
pub(crate) fn condition(cond: &Cond, fields: &[Field]) -> Text {
    let label = |i: &usize| {
        fields
            .get(*i)
            .map_or_else(|| text("?", "?"), |f| f.label.clone())
    };
    match cond {
        Cond::Equals(i, value) => {
            let (l, v) = (label(i), literal(fields.get(*i), value));
            text(
                format!("“{}”为“{}”", l.zh, v.zh),
                format!("“{}” is “{}”", l.en, v.en),
            )
        }
        Cond::OneOf(i, values) => {
            let l = label(i);
            let words: Vec<Text> = values.iter().map(|v| literal(fields.get(*i), v)).collect();
            text(
                format!("“{}”为{}", l.zh, quoted(&words, "zh", "或")),
                format!("“{}” is {}", l.en, quoted(&words, "en", " or ")),
            )
        }
        Cond::IsSet(i, true) => {
            let l = label(i);
            text(
                format!("填写了“{}”", l.zh),
                format!("“{}” is filled in", l.en),
            )
        }
        Cond::IsSet(i, false) => {
            let l = label(i);
            text(
                format!("未填写“{}”", l.zh),
                format!("“{}” is left blank", l.en),
            )
        }
        Cond::GreaterThan(i, bound) => {
            let l = label(i);
            text(
                format!("“{}”大于 {}", l.zh, number(*bound)),
                format!("“{}” is more than {}", l.en, number(*bound)),
            )
        }
        Cond::LessThan(i, bound) => {
            let l = label(i);
            text(
                format!("“{}”小于 {}", l.zh, number(*bound)),
                format!("“{}” is less than {}", l.en, number(*bound)),
            )
        }
        Cond::ApplicantKind(kinds) => {
            let zh: Vec<String> = kinds.iter().map(|k| k.label().zh).collect();
            let en: Vec<String> = kinds.iter().map(|k| k.label().en).collect();
            text(
                format!("申请人为{}", zh.join("或")),
                format!("the applicant kind is “{}”", en.join("” or “")),
            )
        }
        Cond::All(items) => joined(items, fields, "，且", "; and "),
        Cond::Any(items) => joined(items, fields, "，或", "; or "),
        Cond::Not(inner) => match inner.as_ref() {
            Cond::Equals(i, value) => {
                let (l, v) = (label(i), literal(fields.get(*i), value));
                text(
                    format!("“{}”不为“{}”", l.zh, v.zh),
                    format!("“{}” is not “{}”", l.en, v.en),
                )
            }
            other => {
                let inner = condition(other, fields);
                text(
                    format!("并非（{}）", inner.zh),
                    format!("not ({})", inner.en),
                )
            }
        },
    }
}

fn joined(items: &[Cond], fields: &[Field], zh_sep: &str, en_sep: &str) -> Text {
    let parts: Vec<Text> = items.iter().map(|c| condition(c, fields)).collect();
    let zh: Vec<&str> = parts.iter().map(|t| t.zh.as_str()).collect();
    let en: Vec<&str> = parts.iter().map(|t| t.en.as_str()).collect();
    text(zh.join(zh_sep), en.join(en_sep))
}

fn quoted(words: &[Text], lang: &str, sep: &str) -> String {
    let items: Vec<String> = words
        .iter()
        .map(|w| format!("“{}”", if lang == "zh" { &w.zh } else { &w.en }))
        .collect();
    items.join(sep)
}

/// A literal of a condition as the applicant sees it: a choice's label, 是/否, a number.
fn literal(field: Option<&Field>, value: &ConditionValue) -> Text {
    match value {
        ConditionValue::Bool(true) => text("是", "yes"),
        ConditionValue::Bool(false) => text("否", "no"),
        ConditionValue::Number(n) => text(number(*n), number(*n)),
        ConditionValue::Text(id) => field
            .and_then(|f| f.options.iter().find(|o| &o.id == id))
            .map_or_else(|| text(id.as_str(), id.as_str()), |o| o.label.clone()),
    }
}

/// A material that may be required, told at once: "如……，还须提交“…”（原件1份）。".
pub(crate) fn material_conditional(material: &Material, when: &Text) -> Text {
    let (key_zh, key_en) = key_prefix(material);
    let (name, form) = (&material.name, describe_form(material));
    text(
        format!(
            "{key_zh}如{}，还须提交“{}”（{}）。",
            when.zh, name.zh, form.zh
        ),
        format!(
            "{key_en}If {}, “{}” must also be provided ({}).",
            when.en, name.en, form.en
        ),
    )
}

/// The checklist's hint for a material whose condition is not decided yet.
pub(crate) fn material_hint(when: &Text) -> Text {
    text(
        format!("如{}，须提交此材料。", when.zh),
        format!("Required if {}.", when.en),
    )
}

/// The checklist's hint for a field whose condition is not decided yet.
pub(crate) fn field_hint(when: &Text, required: bool) -> Text {
    if required {
        text(
            format!("如{}，须填写此项。", when.zh),
            format!("To be filled in if {}.", when.en),
        )
    } else {
        text(
            format!("如{}，可填写此项。", when.zh),
            format!("May be filled in if {}.", when.en),
        )
    }
}

// ---- Refusal by facts (行政许可法 §32(1)(1)(2)) ---------------------------------------------

pub(crate) fn refused(refusal: &Refusal) -> Text {
    let (reason, refer) = (&refusal.reason, refusal.refer_to.as_ref());
    let reason_zh = reason.zh.trim_end_matches('。');
    let reason_en = sentence_case_after_colon(reason.en.trim_end_matches('.'));
    match refer {
        Some(to) => text(
            format!("本申请不予受理：{reason_zh}。请向{}提出申请。", to.zh),
            format!(
                "The application is not accepted: {reason_en}. Apply to {} instead.",
                to.en
            ),
        ),
        None => text(
            format!("本申请不予受理：{reason_zh}。"),
            format!("The application is not accepted: {reason_en}."),
        ),
    }
}

/// "Licences for …" → "licences for …" after a colon; an acronym ("PRC …") is kept.
fn sentence_case_after_colon(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second))
            if first.is_ascii_uppercase() && second.is_ascii_lowercase() =>
        {
            format!("{}{}", first.to_ascii_lowercase(), &text[1..])
        }
        _ => text.to_string(),
    }
}

// ---- Alternative materials -------------------------------------------------------------------

/// "“A”（原件1份）或“B”（复印件1份）" / "“A” (1 original) or “B” (1 copy)".
fn alternatives(members: &[&Material]) -> Text {
    let zh: Vec<String> = members
        .iter()
        .map(|m| format!("“{}”（{}）", m.name.zh, describe_form(m).zh))
        .collect();
    let en: Vec<String> = members
        .iter()
        .map(|m| format!("“{}” ({})", m.name.en, describe_form(m).en))
        .collect();
    text(zh.join("或"), en.join(" or "))
}

/// How many of the alternatives: "以下任一材料" / "any one of" or "以下材料中至少 n 项".
fn how_many(at_least: u32) -> Text {
    if at_least <= 1 {
        text("以下任一材料", "any one of")
    } else {
        text(
            format!("以下材料中至少 {at_least} 项"),
            format!("at least {at_least} of"),
        )
    }
}

pub(crate) fn group_unsatisfied(
    group: &MaterialGroup,
    members: &[&Material],
    flawed: &[(Text, Option<String>)],
) -> Text {
    let key = members.iter().any(|m| m.key);
    let (key_zh, key_en) = if key {
        ("【主件】", "[key material] ")
    } else {
        ("", "")
    };
    let (list, many) = (alternatives(members), how_many(group.at_least));
    let mut message = text(
        format!(
            "{key_zh}缺少“{}”。请提交{}：{}。",
            group.name.zh, many.zh, list.zh
        ),
        format!(
            "{key_en}“{}” is missing. Please provide {}: {}.",
            group.name.en, many.en, list.en
        ),
    );
    for (name, note) in flawed {
        let note = note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        message.zh.push_str(&format!(
            "已提交的“{}”存在问题{}。",
            name.zh,
            note.map(|n| format!("：{n}")).unwrap_or_default()
        ));
        message.en.push_str(&format!(
            " The “{}” handed in has a flaw{}.",
            name.en,
            note.map(|n| format!(": {n}")).unwrap_or_default()
        ));
    }
    message
}

pub(crate) fn group_conditional(group: &MaterialGroup, members: &[&Material], when: &Text) -> Text {
    let (list, many) = (alternatives(members), how_many(group.at_least));
    text(
        format!(
            "如{}，还须提交“{}”：{}：{}。",
            when.zh, group.name.zh, many.zh, list.zh
        ),
        format!(
            "If {}, “{}” must also be provided: {} {}.",
            when.en, group.name.en, many.en, list.en
        ),
    )
}

// ---- 免提交: shared data, electronic licences, 告知承诺 ------------------------------------------

/// The basis of a material obtained by the office itself.
pub(crate) const SHARING_BASIS: &str = "《国务院关于在线政务服务的若干规定》第七条（可以通过数据共享获取的信息，不得要求申请人提供）、第十条、第十一条（电子证照与纸质证照具有同等法律效力）";

/// The basis of a commitment replacing a proof.
pub(crate) const COMMITMENT_BASIS: &str =
    "《国务院办公厅关于全面推行证明事项告知承诺制的指导意见》（国办发〔2020〕42号）";

/// Appends, to a missing material's message, how it need not be handed in: (no bad-credit
/// record) the applicant may commit instead.
pub(crate) fn push_exemption_hints(message: &mut Text, material: &Material, bad_credit: bool) {
    if material.commitment.is_some() && !bad_credit {
        message
            .zh
            .push_str("也可签署告知承诺书代替该证明（告知承诺制），承诺后不再提交，事后核查。");
        message.en.push_str(" Alternatively the applicant may sign a written commitment (告知承诺) instead of this proof: it is then never owed, and checked afterwards.");
    }
}

fn system_or_default(system: Option<&Text>) -> Text {
    system
        .cloned()
        .unwrap_or_else(|| text("共享系统", "the sharing system"))
}

/// A shareable material the office has not obtained yet: never asked of the applicant.
pub(crate) fn exempt_to_obtain(material: &Material, system: Option<&Text>) -> Text {
    let system = system_or_default(system);
    text(
        format!(
            "“{}”由本机关通过“{}”共享获取，申请人无需提交。",
            material.name.zh, system.zh
        ),
        format!(
            "The office obtains “{}” from “{}”; the applicant need not provide it.",
            material.name.en, system.en
        ),
    )
}

/// The clerk recorded that sharing failed: the applicant hands the material in, told why.
pub(crate) fn sharing_failed(
    material: &Material,
    system: Option<&Text>,
    reason: Option<&str>,
) -> Text {
    let (system, form) = (system_or_default(system), describe_form(material));
    let (why_zh, why_en) = reason.map_or((String::new(), String::new()), |r| {
        (format!("（{}）", clip(r)), format!(" ({})", clip(r)))
    });
    text(
        format!(
            "经共享核验未从“{}”获取到“{}”{why_zh}，请提交{}。",
            system.zh, material.name.zh, form.zh
        ),
        format!(
            "“{}” could not be obtained from “{}”{why_en}; please provide {}.",
            material.name.en, system.en, form.en
        ),
    )
}

pub(crate) fn not_shareable(material: &Material) -> Text {
    let form = describe_form(material);
    text(
        format!(
            "“{}”不能通过数据共享或电子证照获取，须由申请人提交{}。",
            material.name.zh, form.zh
        ),
        format!(
            "“{}” cannot be obtained by data sharing or from the electronic licence system; the applicant must provide {}.",
            material.name.en, form.en
        ),
    )
}

pub(crate) fn exempt_shared(material: &Material, system: Option<&Text>, reference: &str) -> Text {
    let system = system_or_default(system);
    let reference = clip(reference);
    text(
        format!(
            "“{}”已通过“{}”获取（编号 {reference}），免于提交。",
            material.name.zh, system.zh
        ),
        format!(
            "“{}” was obtained from “{}” (reference {reference}); the applicant need not provide it.",
            material.name.en, system.en
        ),
    )
}

pub(crate) fn exempt_committed(material: &Material) -> Text {
    text(
        format!(
            "“{}”以申请人书面承诺代替（告知承诺），不再提交；行政机关将事后核查，承诺不实的，依法撤销并记入信用记录。",
            material.name.zh
        ),
        format!(
            "“{}” is replaced by the applicant's written commitment (告知承诺) and will not be required; the office checks it afterwards, and a false commitment leads to revocation and a credit record.",
            material.name.en
        ),
    )
}

pub(crate) fn commitment_not_offered(material: &Material) -> Text {
    let form = describe_form(material);
    text(
        format!("“{}”不适用告知承诺，请提交{}。", material.name.zh, form.zh),
        format!(
            "“{}” cannot be replaced by a commitment; please provide {}.",
            material.name.en, form.en
        ),
    )
}

pub(crate) fn commitment_bad_credit(material: &Material) -> Text {
    let form = describe_form(material);
    text(
        format!(
            "申请人有失信记录，不适用告知承诺：“{}”须提交{}。",
            material.name.zh, form.zh
        ),
        format!(
            "The applicant has a bad-credit (失信) record, which excludes commitments: “{}” must be provided as {}.",
            material.name.en, form.en
        ),
    )
}

// ---- Originals and copies ----------------------------------------------------------------------

pub(crate) fn too_few_copies(material: &Material, given: u32) -> Text {
    let form = describe_form(material);
    text(
        format!(
            "“{}”需提交{}，收到复印件 {given} 份，份数不足。",
            material.name.zh, form.zh
        ),
        format!(
            "“{}” must be provided as {}; {given} copies were handed in, too few.",
            material.name.en, form.en
        ),
    )
}

/// A channel's name (GB/T 39046-2020 办理形式).
fn channel_words(channel: Channel) -> (&'static str, &'static str) {
    match channel {
        Channel::Window => ("窗口办理", "at the window"),
        Channel::Online => ("电脑端网上办理", "online (computer)"),
        Channel::MobileOnline => ("移动端网上申请", "online (mobile)"),
        Channel::Mail => ("快递申请", "by post or express"),
        Channel::Kiosk => ("自助终端", "at a kiosk"),
    }
}

pub(crate) fn electronic_not_on_channel(material: &Material, channel: Channel) -> Text {
    let (zh, en) = channel_words(channel);
    let form = describe_form(material);
    text(
        format!(
            "“{}”{zh}时不接受电子材料，请提交纸质{}。",
            material.name.zh, form.zh
        ),
        format!(
            "“{}” is not accepted in electronic form {en}; please provide {} on paper.",
            material.name.en, form.en
        ),
    )
}
