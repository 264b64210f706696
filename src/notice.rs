//! Notice: the written document for a verdict, as a structure (`verdict::Notice`), and its plain
//! text rendered from that structure. Every outcome gets one: 受理通知书, 容缺受理通知书 (with the
//! 容缺受理信用承诺书), 补正材料通知书 (一次性告知书), 不予受理通知书. Every sentence a person reads
//! on a printed document or a receipt is written here; the shells only lay the parts out.
//!
//! The law each document follows:
//! - 行政许可法 §32(1)(5): complete and in legal form → 受理; §32(1)(4): incomplete → one written
//!   notice of everything to correct; §32(1)(1)–(2): not accepted; §32(2): every 受理 or
//!   不予受理 is in writing with the office's seal and the date.
//! - §38 (practice also for 不予受理): the reasons and the right to 行政复议 (行政复议法 2023 §20:
//!   60 days) or 行政诉讼 (行政诉讼法 §46: 6 months), naming the bodies (centre profile).
//! - A 补正 or 不予受理 document prints no deadline: nothing has been accepted, so no clock runs.
//!   A pledge is offered only when signing it would lead to 容缺受理 (`pledge.would_accept`).

mod precheck;
mod text;

use serde_json::Value;

use crate::centre::{CentreProfile, number_parts};
use crate::labels::{document_code, document_title, fact_label, material_status_label};
use crate::model::{BrokenPledge, FieldKind, LimitUnit, MatterFile, Text};
use crate::submission::{MaterialStatus, Submission};
use crate::verdict::{
    Addressee, Applies, DocumentKind, DocumentNumber, ExemptState, Exemption, FactKey, Finding,
    FindingCode, Issuer, MaterialLine, Normalized, Notice, NoticeFact, NoticeItem, NoticeMatter,
    Outcome, Particular, PledgeDocument, PledgeLine, Precheck, Rights, Verdict,
};

/// Form fields that name the applicant, by priority, for a rule file that does not name its
/// `addressee` field (formats 1 and 2): the first one a matter has is the addressee (主送).
pub(crate) const ADDRESSEE_FIELDS: [&str; 8] = [
    "applicant_name",
    "lead_founder_name",
    "operator_name",
    "enterprise_name",
    "company_name",
    "unit_name",
    "builder_name",
    "firm_name",
];

const ACCEPT_BASIS: &str = "《中华人民共和国行政许可法》第三十二条第一款第（五）项";
const PLEDGE_BASIS: &str =
    "《中华人民共和国行政许可法》第三十二条第一款第（五）项；容缺受理制度（信用承诺）";
const CORRECTION_BASIS: &str = "《中华人民共和国行政许可法》第三十二条第一款第（四）项";
/// 行政许可法 §32(1)(2): outside this office's remit, the applicant told where to apply. It
/// excludes §32(1)(1) (no licence needed): a refusal cites the one that fits.
const GROUND_NOT_OURS: &str = "《中华人民共和国行政许可法》第三十二条第一款第（二）项";
const FORWARD_BASIS: &str = "《中华人民共和国行政许可法》第四十三条";
const JOINT_BASIS: &str = "《中华人民共和国行政许可法》第二十六条";
const RIGHTS_BASIS: &str =
    "《中华人民共和国行政复议法》第二十条；《中华人民共和国行政诉讼法》第四十六条";
/// 行政复议法 (2023) §20.
const RECONSIDERATION_DAYS: u32 = 60;
/// 行政诉讼法 §46.
const LAWSUIT_MONTHS: u32 = 6;
/// The same periods as an official document writes them.
const RECONSIDERATION_DAYS_ZH: &str = "六十";
const LAWSUIT_MONTHS_ZH: &str = "六";

pub(crate) fn text(zh: impl Into<String>, en: impl Into<String>) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

/// `2026-03-02` → 2026年3月2日 / 2026-03-02.
pub(crate) fn date_text(date: &str) -> Text {
    // The engine formats dates as YYYY-MM-DD; anything else is printed as it is.
    let number = |range| date.get(range).and_then(|s: &str| s.parse::<u32>().ok());
    let zh = match (date.get(..4), number(5..7), number(8..10)) {
        (Some(y), Some(m), Some(d)) if date.len() == 10 => format!("{y}年{m}月{d}日"),
        _ => date.to_string(),
    };
    text(zh, date)
}

/// `2026-03-02T09:30:00+08:00` → 2026年3月2日 09:30 / 2026-03-02 09:30 (UTC+8).
fn instant_text(instant: &str) -> Text {
    let (date, time) = instant.split_once('T').unwrap_or((instant, ""));
    let hm: String = time.chars().take(5).collect();
    let day = date_text(date);
    text(format!("{} {hm}", day.zh), format!("{date} {hm} (UTC+8)"))
}

/// An ID number as printed: the first 6 and last 4 characters, the rest masked.
pub(crate) fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

/// Everything a notice is made from.
pub(crate) struct NoticeInput<'a> {
    pub centre: Option<&'a CentreProfile>,
    pub rule: &'a MatterFile,
    pub submission: &'a Submission,
}

/// The kiosk's 自助预审回执 (kiosk channel only).
pub(crate) fn render_precheck(input: &NoticeInput<'_>, verdict: &Verdict) -> Option<Precheck> {
    (verdict.channel == crate::submission::Channel::Kiosk)
        .then(|| precheck::render(input.rule, verdict))
}

pub(crate) fn render_notice(input: &NoticeInput<'_>, verdict: &Verdict) -> Notice {
    let kind = match verdict.outcome {
        Outcome::Accept => DocumentKind::Acceptance,
        Outcome::AcceptWithPledge => DocumentKind::PledgeAcceptance,
        Outcome::CorrectionRequired => DocumentKind::Correction,
        Outcome::NotAccepted => DocumentKind::Refusal,
    };
    let accepted = matches!(
        kind,
        DocumentKind::Acceptance | DocumentKind::PledgeAcceptance
    );
    // An acceptance is dated on the acceptance day (online: the next working day); a 补正 or
    // 不予受理 document on the day of receipt (行政许可法 §32: on the spot).
    let date = if accepted {
        verdict.deadlines.accepted_on.clone()
    } else {
        verdict.deadlines.received_on.clone()
    };
    let received_text = instant_text(&verdict.received_at);
    let matter_name = &verdict.matter_name;
    let mut notice = Notice {
        kind,
        title: document_title(kind),
        sample: input.centre.is_some_and(|c| c.sample),
        number: number(input.centre, kind, &date),
        addressee: addressee(input, verdict),
        matter: NoticeMatter {
            id: verdict.matter.clone(),
            name: matter_name.clone(),
            version: verdict.version.clone(),
        },
        received_at: verdict.received_at.clone(),
        received_text: received_text.clone(),
        facts: facts(input.rule, verdict, accepted),
        particulars: if accepted {
            particulars(input, verdict)
        } else {
            Vec::new()
        },
        materials: if accepted {
            materials(input.rule, verdict)
        } else {
            Vec::new()
        },
        issuer: issuer(input.centre),
        date_text: date_text(&date),
        date,
        signatures: vec![text("经办人", "Clerk"), text("申请人签收", "Received by")],
        footer: format!(
            "{} {} · {} · qiquan {}",
            verdict.matter,
            verdict.version,
            short_digest(&verdict.rules_digest),
            verdict.engine_version
        ),
        ..Notice::default()
    };
    let intro = (
        format!(
            "你（单位）于{}提交的{}申请，",
            received_text.zh, matter_name.zh
        ),
        format!(
            "Your application for {}, received {}, ",
            matter_name.en, received_text.en
        ),
    );
    match kind {
        DocumentKind::Acceptance => acceptance_body(&mut notice, intro, input.rule, verdict),
        DocumentKind::PledgeAcceptance => pledge_body(&mut notice, intro, input, verdict),
        DocumentKind::Correction => correction_body(&mut notice, intro, verdict),
        DocumentKind::Refusal => refusal_body(&mut notice, intro, input, verdict),
    }
    notes_on_dates(&mut notice, verdict, accepted);
    notice.text = text::render(&notice);
    notice
}

impl Notice {
    /// The notice as issued under sequence number `seq` of its kind and year: the 文号 filled in
    /// (`prefix` + `seq` + `suffix`) and the text rendered again. The case register calls this
    /// with the number it drew; the engine never numbers documents itself.
    pub fn numbered(&mut self, seq: u64) {
        self.number.sequence = Some(seq);
        self.number.text = format!("{}{seq}{}", self.number.prefix, self.number.suffix);
        self.text = text::render(self);
    }
}

fn short_digest(digest: &str) -> String {
    let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
    format!("sha256:{}", hex.chars().take(12).collect::<String>())
}

fn number(centre: Option<&CentreProfile>, kind: DocumentKind, date: &str) -> DocumentNumber {
    let year: i32 = date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    let pattern = centre.map_or("〔{year}〕{seq}号", |c| c.number_pattern.as_str());
    let (prefix, suffix) = number_parts(pattern, document_code(kind), year);
    DocumentNumber {
        text: format!("{prefix}____{suffix}"),
        prefix,
        year,
        sequence: None,
        suffix,
    }
}

/// Whether an application names whom a numbered document would be addressed to: the applicant's
/// name (the rule's `addressee` field, else the first of [`ADDRESSEE_FIELDS`] it has) and an
/// identity number (a field of type `id_card` or `uscc`) are both given — each only where the
/// matter has such a field. Until then nothing may be numbered (a 文号 from the centre's gap-free
/// sequence must not go to nobody): `None` when identifiable, else the sentence that says what
/// is missing.
pub fn unidentified(rule: &MatterFile, submission: &Submission) -> Option<Text> {
    let given = |id: &str| {
        submission.fields.get(id).is_some_and(|v| match v {
            Value::String(s) => !s.trim().is_empty(),
            Value::Null => false,
            _ => true,
        })
    };
    let name_field = rule.addressee.as_deref().or_else(|| {
        ADDRESSEE_FIELDS
            .iter()
            .find(|id| rule.fields.iter().any(|f| f.id == **id))
            .copied()
    });
    let id_fields: Vec<&str> = rule
        .fields
        .iter()
        .filter(|f| matches!(f.kind, FieldKind::IdCard | FieldKind::Uscc))
        .map(|f| f.id.as_str())
        .collect();
    let named = name_field.is_none_or(given);
    let numbered = id_fields.is_empty() || id_fields.iter().any(|id| given(id));
    if named && numbered {
        return None;
    }
    Some(text(
        "申请人尚不明确：请先填写申请人名称和身份证号码（或统一社会信用代码），再登记取号。文书在登记后才编文号，未登记的文书不打印。",
        "The applicant is not yet identified: give the applicant's name and ID card number (or unified social credit code) before registering. Documents get their number only when registered, and nothing unregistered is printed.",
    ))
}

fn addressee(input: &NoticeInput<'_>, verdict: &Verdict) -> Addressee {
    // The field the rule names (format 3), else the first legacy name field it has.
    let field = input.rule.addressee.as_deref().or_else(|| {
        ADDRESSEE_FIELDS
            .iter()
            .find(|id| input.rule.fields.iter().any(|f| f.id == **id))
            .copied()
    });
    let applies = |id: &str| {
        verdict
            .checklist
            .fields
            .iter()
            .any(|f| f.id == id && f.applies == Applies::Yes)
    };
    let name = field
        .filter(|id| applies(id))
        .and_then(|id| input.submission.fields.get(id))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_string);
    let shown = match &name {
        Some(name) => text(name.clone(), name.clone()),
        None => text("（申请人名称未填写）", "(applicant's name not given)"),
    };
    Addressee {
        field: field.map(str::to_string),
        name,
        text: shown,
    }
}

/// The facts table of an acceptance; a 补正 or 不予受理 document states the matter and the time of
/// receipt in its opening and has no dates to print.
fn facts(rule: &MatterFile, verdict: &Verdict, accepted: bool) -> Vec<NoticeFact> {
    if !accepted {
        return Vec::new();
    }
    let fact = |key, value: Text| NoticeFact {
        key,
        label: fact_label(key),
        value,
    };
    let mut rows = vec![
        fact(
            FactKey::Matter,
            text(
                format!("{}（版本 {}）", verdict.matter_name.zh, verdict.version),
                format!("{} (version {})", verdict.matter_name.en, verdict.version),
            ),
        ),
        fact(FactKey::ReceivedAt, instant_text(&verdict.received_at)),
    ];
    let d = &verdict.deadlines;
    rows.push(fact(FactKey::AcceptedOn, date_text(&d.accepted_on)));
    if let Some(forwarding) = &d.forwarding {
        rows.push(fact(
            FactKey::ForwardDue,
            date_text(&forwarding.forward_due),
        ));
    }
    let extended = rule.statutory_extension.and_then(|e| {
        let s = rule.statutory_limit;
        (s.unit == e.unit).then(|| crate::model::TimeLimit {
            value: s.value.saturating_add(e.value),
            unit: s.unit,
        })
    });
    for (key, due, limit) in [
        (
            FactKey::PromisedDue,
            d.promised_due.as_ref(),
            Some(rule.promised_limit),
        ),
        (
            FactKey::StatutoryDue,
            Some(&d.statutory_due),
            Some(rule.statutory_limit),
        ),
        (
            FactKey::StatutoryExtendedDue,
            d.statutory_extended_due.as_ref(),
            extended,
        ),
    ] {
        let Some(due) = due else { continue };
        // A provisional date is printed as the law states the limit, with the date so far.
        let value = match limit.filter(|l| d.provisional && l.unit != LimitUnit::OnTheSpot) {
            Some(limit) => provisional_limit(limit, due),
            None => date_text(due),
        };
        rows.push(fact(key, value));
    }
    if verdict.outcome == Outcome::AcceptWithPledge
        && let Some(due) = &verdict.pledge.pledge_due
    {
        rows.push(fact(FactKey::PledgeDue, date_text(due)));
    }
    rows
}

/// A number as an official document writes it: 0–9999 in Chinese numerals (二十, 一百零五).
pub(crate) fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    const UNITS: [&str; 4] = ["千", "百", "十", ""];
    if n == 0 || n > 9999 {
        return n.to_string();
    }
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let mut out = String::new();
    let mut zero = false;
    for (i, &d) in digits.iter().enumerate() {
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push_str(DIGITS[0]);
            zero = false;
        }
        // 十 alone, not 一十, at the head of a number below 20.
        if !(d == 1 && i == 2 && out.is_empty()) {
            out.push_str(DIGITS[d as usize]);
        }
        out.push_str(UNITS[i]);
    }
    out
}

/// A limit as the law states it: 二十个工作日 / 20 working days.
pub(crate) fn limit_words(limit: crate::model::TimeLimit) -> Text {
    let n = chinese_number(limit.value);
    let v = limit.value;
    match limit.unit {
        LimitUnit::WorkingDays => text(format!("{n}个工作日"), format!("{v} working days")),
        LimitUnit::NaturalDays => text(format!("{n}日"), format!("{v} days")),
        LimitUnit::OnTheSpot => text("当场", "on the spot"),
    }
}

/// 自受理之日起二十个工作日内（暂计至2027年1月6日）: the date is reckoned on a calendar whose
/// year is not yet published.
fn provisional_limit(limit: crate::model::TimeLimit, due: &str) -> Text {
    let (words, day) = (limit_words(limit), date_text(due));
    text(
        format!("自受理之日起{}内（暂计至{}）", words.zh, day.zh),
        format!(
            "within {} of acceptance (provisionally {})",
            words.en, day.en
        ),
    )
}

fn particulars(input: &NoticeInput<'_>, verdict: &Verdict) -> Vec<Particular> {
    let mut rows = Vec::new();
    for (field, state) in input.rule.fields.iter().zip(&verdict.checklist.fields) {
        // The value as the engine read it ("+86 138-…" → 13800138000), else as given.
        let read = state.normalized.as_ref().map(Normalized::to_value);
        let Some(value) = read
            .as_ref()
            .or_else(|| input.submission.fields.get(&field.id))
        else {
            continue;
        };
        if state.applies == Applies::No {
            continue;
        }
        let masked = field.kind == FieldKind::IdCard;
        let shown = match value {
            Value::String(s) if s.trim().is_empty() => continue,
            Value::String(s) if masked => text(mask_id(s), mask_id(s)),
            Value::String(s) => field
                .options
                .iter()
                .find(|o| o.id == *s)
                .map_or_else(|| text(s.clone(), s.clone()), |o| o.label.clone()),
            Value::Bool(true) => text("是", "yes"),
            Value::Bool(false) => text("否", "no"),
            Value::Number(n) => text(n.to_string(), n.to_string()),
            _ => continue,
        };
        rows.push(Particular {
            field: field.id.clone(),
            label: field.label.clone(),
            value: shown,
            masked,
        });
    }
    rows
}

fn materials(rule: &MatterFile, verdict: &Verdict) -> Vec<MaterialLine> {
    rule.materials
        .iter()
        .zip(&verdict.checklist.materials)
        .filter(|(_, state)| state.applies == Applies::Yes)
        .map(|(material, state)| {
            let exempt = verdict.exempt.iter().find(|e| e.material == material.id);
            MaterialLine {
                material: material.id.clone(),
                name: material.name.clone(),
                status: state.status,
                status_label: exempt
                    .map_or_else(|| material_status_label(state.status), exempt_label),
            }
        })
        .collect()
}

/// A 免提交 row: 共享获取：电子营业执照 91310115MA1K4B2C3J; 由本机关共享获取; 告知承诺.
fn exempt_label(exempt: &Exemption) -> Text {
    let source = exempt.source.clone().unwrap_or_else(|| text("", ""));
    match (exempt.state, &exempt.reference) {
        (ExemptState::Obtained, Some(reference)) => text(
            format!("共享获取：{} {reference}", source.zh),
            format!("obtained from {}: {reference}", source.en),
        ),
        (ExemptState::Committed, _) => material_status_label(MaterialStatus::Committed),
        _ => text(
            format!("由本机关通过{}获取", source.zh),
            format!("to be obtained by the office from {}", source.en),
        ),
    }
}

pub(crate) fn issuer(centre: Option<&CentreProfile>) -> Issuer {
    match centre {
        Some(c) => Issuer {
            configured: true,
            office: c.office.clone(),
            seal: text(c.seal.clone(), c.seal.clone()),
            address: Some(c.address.clone()),
            phone: Some(c.phone.clone()),
        },
        None => Issuer {
            configured: false,
            office: text("（办理机构名称未配置）", "(issuing office not configured)"),
            seal: text("（加盖办理机构印章）", "(seal of the issuing office)"),
            address: None,
            phone: None,
        },
    }
}

fn item(number: usize, finding: &Finding, basis: &str) -> NoticeItem {
    NoticeItem {
        number: u32::try_from(number).unwrap_or(u32::MAX),
        target: finding.target.clone(),
        text: finding.message.clone(),
        basis: basis.to_string(),
    }
}

type Intro = (String, String);

fn acceptance_body(notice: &mut Notice, (zh, en): Intro, rule: &MatterFile, verdict: &Verdict) {
    notice.opening = text(
        format!(
            "{zh}申请材料齐全、符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（五）项，本机关决定予以受理。"
        ),
        format!(
            "{en}is complete and in the legal form. Under Article 32(1)(5) of the Administrative Licensing Law, this office accepts it."
        ),
    );
    notice.basis = ACCEPT_BASIS.into();
    notice.closing = who_decides(verdict);
    notice.notes.extend(accepted_notes(rule, verdict));
}

/// Who decides, and by when: this office (§42), the higher authority after this office's
/// review and forwarding (上报件, §43), or the lead department with the co-handling ones
/// (联办件, §26). Time for special procedures is not counted (§45).
fn who_decides(verdict: &Verdict) -> Text {
    let mut closing = match &verdict.deadlines.forwarding {
        Some(f) => {
            let (due, limit) = (date_text(&f.forward_due), limit_words(f.authority_limit));
            text(
                format!(
                    "本机关将于{}前完成审查，并将初步审查意见和全部申请材料报送{}，由{}作出决定；{}的办理期限自其收到之日起计算，为{}（{}；{FORWARD_BASIS}）。",
                    due.zh, f.authority.zh, f.authority.zh, f.authority.zh, limit.zh, f.basis
                ),
                format!(
                    "This office will finish its review by {} and forward its opinion and the whole file to {}, which decides; its time limit, {}, runs from the day it receives the file ({}; Article 43 of the Administrative Licensing Law).",
                    due.en, f.authority.en, limit.en, f.basis
                ),
            )
        }
        None => text(
            "本机关将在上述期限内作出决定。",
            "This office will decide within the dates above.",
        ),
    };
    if let Some(joint) = &verdict.joint {
        let co = |pick: fn(&Text) -> &String, sep| {
            joint
                .co_handling
                .iter()
                .map(pick)
                .cloned()
                .collect::<Vec<_>>()
                .join(sep)
        };
        closing.zh.push_str(&format!(
            "本事项为联办件，由{}牵头，会同{}并联办理（{JOINT_BASIS}）。",
            joint.lead.zh,
            co(|t| &t.zh, "、")
        ));
        closing.en.push_str(&format!(
            " This is a joint matter: {} leads, with {} handling in parallel (Article 26 of the Administrative Licensing Law).",
            joint.lead.en,
            co(|t| &t.en, "; ")
        ));
    }
    closing.zh.push_str("依法需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在期限内，本机关将书面告知（《中华人民共和国行政许可法》第四十五条）。");
    closing.en.push_str(" Time needed for a hearing, tender, auction, inspection, testing, quarantine, appraisal or expert review is not counted; you will be told in writing (Article 45 of the Administrative Licensing Law).");
    closing
}

/// An acceptance's notes on what was not handed in: each 告知承诺 — what was committed, that
/// and when it is verified, what a false commitment leads to (国办发〔2020〕42号).
fn accepted_notes(rule: &MatterFile, verdict: &Verdict) -> Vec<Text> {
    verdict
        .exempt
        .iter()
        .filter(|e| e.state == ExemptState::Committed)
        .map(|e| {
            let within = rule
                .materials
                .iter()
                .find(|m| m.id == e.material)
                .and_then(|m| m.commitment.as_ref()?.verify_within)
                .map(limit_words);
            let terms = e.terms.clone().unwrap_or_else(|| text("", ""));
            let (when_zh, when_en) = within.map_or_else(
                || ("依法".to_string(), String::new()),
                |w| (format!("自受理之日起{}内", w.zh), format!(" within {} of acceptance", w.en)),
            );
            text(
                format!(
                    "“{}”以告知承诺代替，承诺内容：{}本机关将{when_zh}对承诺内容进行核查；承诺不实的，依法终止办理或者撤销行政许可，并记入信用记录（国办发〔2020〕42号）。",
                    e.name.zh, terms.zh
                ),
                format!(
                    "“{}” is replaced by a written commitment: {} This office will verify it{when_en}; a false commitment ends the case or revokes the licence and goes on the credit record (国办发〔2020〕42号).",
                    e.name.en, terms.en
                ),
            )
        })
        .collect()
}

fn pledge_body(notice: &mut Notice, (zh, en): Intro, input: &NoticeInput<'_>, verdict: &Verdict) {
    let rule = input.rule;
    notice.opening = text(
        format!(
            "{zh}主要材料齐全、符合法定形式，下列非关键材料尚需补交。你（单位）已签署《容缺受理信用承诺书》，本机关决定容缺受理。"
        ),
        format!(
            "{en}has its key materials complete and in the legal form; the non-key materials below are still to come. You have signed the credit pledge, and this office accepts the application on it."
        ),
    );
    notice.basis = PLEDGE_BASIS.into();
    let pledged = &verdict.pledge.items;
    // A 容缺受理 means the pledge was available, so every item has its due date.
    let lines: Vec<PledgeLine> = pledged
        .iter()
        .filter_map(|p| Some((p, p.due.as_ref()?)))
        .enumerate()
        .map(|(i, (p, due))| PledgeLine {
            number: u32::try_from(i + 1).unwrap_or(u32::MAX),
            material: p.material.clone(),
            name: p.name.clone(),
            due: due.clone(),
            due_text: date_text(due),
        })
        .collect();
    notice.items = lines
        .iter()
        .map(|line| NoticeItem {
            number: line.number,
            target: crate::verdict::Target {
                kind: crate::verdict::TargetKind::Material,
                id: line.material.clone(),
            },
            text: text(
                format!("{}：请于{}前补交。", line.name.zh, line.due_text.zh),
                format!("{}: supply by {}.", line.name.en, line.due_text.en),
            ),
            basis: rule
                .materials
                .iter()
                .find(|m| m.id == line.material)
                .map_or_else(String::new, |m| m.basis.clone()),
        })
        .collect();
    let mut closing = text(
        "请按期补齐上述材料。逾期未补齐或者承诺不实的，按《容缺受理信用承诺书》的约定处理，履约情况记入信用记录。",
        "Supply the materials above by the dates shown. If they are late, or the pledge proves false, the terms of the credit pledge apply and the breach goes on the credit record.",
    );
    let decides = who_decides(verdict);
    closing.zh.push_str(&decides.zh);
    closing.en.push(' ');
    closing.en.push_str(&decides.en);
    notice.closing = closing;
    notice.notes.extend(accepted_notes(rule, verdict));
    // The same words the verdict's pledge offer shows: one rule, stated once (the pledge is
    // available here, so they are there).
    let consequence = verdict.pledge.consequence.clone().unwrap_or_default();
    let due = verdict.pledge.pledge_due.clone().unwrap_or_default();
    notice.pledge = Some(PledgeDocument {
        title: text(
            "容缺受理信用承诺书",
            "Credit pledge for acceptance with materials outstanding",
        ),
        opening: text(
            format!(
                "本人（单位）申请办理{}，主要材料已齐全、符合法定形式。对下列尚未提交或者存在瑕疵的非关键材料，郑重承诺如下：",
                verdict.matter_name.zh
            ),
            format!(
                "I (we) apply for {}; the key materials are complete and in the legal form. For the non-key materials below, not yet supplied or flawed, I (we) pledge as follows:",
                verdict.matter_name.en
            ),
        ),
        due_text: {
            let d = date_text(&due);
            text(
                format!("上述材料最迟于{}前全部补齐。", d.zh),
                format!("All of the above by {}.", d.en),
            )
        },
        due,
        items: lines,
        terms: verdict.pledge.terms.clone(),
        #[cfg(feature = "pledgor")]
        pledgor: pledgor(input.submission),
        consequence,
        promise: text(
            "本人（单位）对所提交材料的真实性负责。如未按期补齐或者承诺不实，自愿承担上述后果，并同意将履约情况记入信用记录。",
            "I (we) vouch for the truth of the materials submitted, accept the consequences above of missing the dates or of a false pledge, and agree that whether the pledge was kept goes on the credit record.",
        ),
        copies: text(
            "本承诺书一式两份，申请人和受理机关各执一份。",
            "Made in duplicate: one copy for the applicant, one for the office.",
        ),
        signatures: vec![
            text("承诺人（签字或盖章）", "Pledgor (signature or seal)"),
            text("经办人", "Clerk"),
        ],
    });
}

/// Whom the pledge binds (issue 22), when the submission says (feature `pledgor`). (Read when
/// the submission was validated: an invalid one never gets here.)
#[cfg(feature = "pledgor")]
fn pledgor(submission: &Submission) -> Option<Text> {
    let read = submission.pledgor.as_ref()?;
    crate::submission::Pledgor::read(read)
        .ok()
        .map(|p| pledgor_words(&p))
}

/// Whom the pledge binds (issue 22): the verified identity, its number masked.
#[cfg(feature = "pledgor")]
fn pledgor_words(p: &crate::submission::Pledgor) -> Text {
    let document = crate::labels::identity_document_label(p.document_type);
    let how = crate::labels::identity_verification_label(p.verified_by);
    let (name, number) = (p.name.trim(), mask_id(p.id_number.trim()));
    text(
        format!(
            "承诺人：{name}（{}，证件号码{number}；身份核验方式：{}）",
            document.zh, how.zh
        ),
        format!(
            "Pledgor: {name} ({}, number {number}; identity {})",
            document.en, how.en
        ),
    )
}

/// What a broken pledge does, from the one rule the ledger applies (`[pledge_ledger]`, or its
/// defaults): 中止 then 终止 after the resume window, or 终止 at once.
pub(crate) fn broken_pledge_words(ledger: &crate::model::PledgeLedger) -> Text {
    match ledger.on_broken {
        BrokenPledge::Suspend => {
            let window = limit_words(ledger.resume_window);
            text(
                format!(
                    "逾期未补齐的，本机关中止办理；自补齐期限届满之日起{}内补齐的，恢复办理，仍未补齐的，终止办理。",
                    window.zh
                ),
                format!(
                    "If they are not supplied in time, this office suspends the case; supplied within {} after the due date, it resumes, otherwise the case is terminated.",
                    window.en
                ),
            )
        }
        BrokenPledge::Terminate => text(
            "逾期未补齐的，本机关终止办理。",
            "If they are not supplied in time, this office terminates the case.",
        ),
    }
}

fn correction_body(notice: &mut Notice, (zh, en): Intro, verdict: &Verdict) {
    notice.opening = text(
        format!(
            "{zh}申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（四）项，现一次性告知需要补正的全部内容："
        ),
        format!(
            "{en}is incomplete or not in the legal form. Under Article 32(1)(4) of the Administrative Licensing Law, everything to supplement or correct is listed here at once:"
        ),
    );
    notice.basis = CORRECTION_BASIS.into();
    let to_correct = verdict
        .findings
        .iter()
        .filter(|f| f.code != FindingCode::PledgeNotAllowed);
    notice.items = to_correct
        .enumerate()
        .map(|(i, f)| item(i + 1, f, &f.basis))
        .collect();
    let mut closing = text(
        "请按上述要求一次性补正后重新提交；补正后材料齐全、符合法定形式的，本机关予以受理。",
        "Correct all of the above and submit again; once the application is complete and in the legal form, this office accepts it.",
    );
    if verdict.pledge.would_accept {
        let numbers: Vec<String> = notice
            .items
            .iter()
            .filter(|i| {
                verdict
                    .pledge
                    .items
                    .iter()
                    .any(|p| p.material == i.target.id)
            })
            .map(|i| i.number.to_string())
            .collect();
        closing.zh.push_str(&format!(
            "其中第{}项为可容缺材料：签署《容缺受理信用承诺书》后可先行受理，在承诺期限内补交。",
            numbers.join("、")
        ));
        closing.en.push_str(&format!(
            " Items {} may be pledged: sign the credit pledge to be accepted now and supply them within the pledge period.",
            numbers.join(", ")
        ));
    }
    notice.closing = closing;
    notice.notes = verdict
        .findings
        .iter()
        .filter(|f| f.code == FindingCode::PledgeNotAllowed)
        .map(|f| f.message.clone())
        .collect();
}

fn refusal_body(notice: &mut Notice, (zh, en): Intro, input: &NoticeInput<'_>, verdict: &Verdict) {
    let centre = input.centre;
    // Only the refusal reasons: what else is missing does not matter to an application that
    // cannot be accepted at all. Each cites its own ground: the matter's eligibility article
    // (an applicant it does not serve), or the refusal's, which is §32(1)(1) or (2).
    let reasons: Vec<&Finding> = verdict
        .findings
        .iter()
        .filter(|f| {
            matches!(
                f.code,
                FindingCode::ApplicantIneligible | FindingCode::RefusedByFacts
            )
        })
        .collect();
    let mut grounds: Vec<&str> = Vec::new();
    for f in &reasons {
        // A referral is §32(1)(2); any other reason cites its own basis (the rule's refusal
        // names its §32(1) item there; an ineligible applicant, the matter's articles).
        let ground = match &f.refer_to {
            Some(_) => GROUND_NOT_OURS,
            None => f.basis.as_str(),
        };
        if !grounds.contains(&ground) {
            grounds.push(ground);
        }
    }
    let cited = grounds.join("；");
    notice.opening = text(
        format!("{zh}经审查，不符合受理条件。根据{cited}，本机关决定不予受理，理由如下："),
        format!(
            "{en}does not meet the conditions for acceptance. Under {cited}, this office does not accept it, for these reasons:"
        ),
    );
    notice.basis = cited;
    notice.items = reasons
        .iter()
        .enumerate()
        .map(|(i, f)| item(i + 1, f, &f.basis))
        .collect();
    let received: Vec<&Text> = input
        .rule
        .materials
        .iter()
        .zip(&verdict.checklist.materials)
        .filter(|(_, s)| matches!(s.status, MaterialStatus::Provided | MaterialStatus::Flawed))
        .map(|(m, _)| &m.name)
        .collect();
    notice.closing = if received.is_empty() {
        text(
            "本机关未留存你（单位）的申请材料。特此通知。",
            "This office keeps none of your materials. Notice is hereby given.",
        )
    } else {
        let names = |pick: fn(&Text) -> &String, sep| {
            received
                .iter()
                .map(|t| pick(t).clone())
                .collect::<Vec<_>>()
                .join(sep)
        };
        text(
            format!(
                "你（单位）提交的申请材料（{}）随本通知书当场退回，本机关不予留存。特此通知。",
                names(|t| &t.zh, "、")
            ),
            format!(
                "The materials you handed in ({}) are returned with this notice; this office keeps none of them. Notice is hereby given.",
                names(|t| &t.en, "; ")
            ),
        )
    };
    notice.rights = Some(rights(centre));
}

/// The remedies against a decision (行政复议法 2023 §20: 60 days; 行政诉讼法 §46: 6 months), naming
/// the bodies from the centre profile.
pub(crate) fn rights(centre: Option<&CentreProfile>) -> Rights {
    let (body, court) = match centre {
        Some(c) => (c.reconsideration_body.clone(), c.court.clone()),
        None => (
            text(
                "（行政复议机关未配置）",
                "(reconsideration body not configured)",
            ),
            text("（人民法院未配置）", "(court not configured)"),
        ),
    };
    Rights {
        text: text(
            format!(
                "如不服本决定，可以自知道该决定之日起{RECONSIDERATION_DAYS_ZH}日内向{}申请行政复议，或者自知道该决定之日起{LAWSUIT_MONTHS_ZH}个月内向{}提起行政诉讼。",
                body.zh, court.zh
            ),
            format!(
                "If you disagree with this decision, you may apply to {} for administrative reconsideration within {RECONSIDERATION_DAYS} days of learning of it, or sue in {} within {LAWSUIT_MONTHS} months of learning of it.",
                body.en, court.en
            ),
        ),
        reconsideration_body: body,
        reconsideration_days: RECONSIDERATION_DAYS,
        court,
        lawsuit_months: LAWSUIT_MONTHS,
        basis: RIGHTS_BASIS.into(),
    }
}

fn notes_on_dates(notice: &mut Notice, verdict: &Verdict, accepted: bool) {
    if !accepted {
        return;
    }
    if verdict.deadlines.promised_due.is_none() {
        notice.notes.push(text(
            "办理时限自材料补齐之日起计算。",
            "The processing time runs from the day the materials are complete.",
        ));
    }
    if verdict.deadlines.provisional {
        notice.notes.push(text(
            "部分日期所在年份的节假日安排尚未公布，上述日期为暂定日期，国务院公布安排后可能调整。",
            "Some dates fall in a year whose holiday arrangement is not yet published: they are provisional and may move once the State Council publishes it.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "embed")]
    #[test]
    fn identifiable_needs_a_name_and_an_identity_number() {
        // The hygiene licence: unit_name (the addressee), uscc and responsible_person_id.
        let engine = crate::Engine::embedded().expect("engine");
        let rule = engine
            .matter("public_place_hygiene_license", None)
            .expect("rule");
        let sub = |fields: serde_json::Value| -> Submission {
            serde_json::from_value(serde_json::json!({
                "applicant": {"kind": "enterprise_legal_person"}, "channel": "online", "fields": fields
            }))
            .expect("submission")
        };
        let rows = [
            (serde_json::json!({}), false),
            (serde_json::json!({"unit_name": "宾馆"}), false),
            (
                serde_json::json!({"unit_name": "  ", "responsible_person_id": "370102198506153214"}),
                false,
            ),
            (serde_json::json!({"uscc": "91370102MA3C0A019G"}), false),
            (
                serde_json::json!({"unit_name": "宾馆", "responsible_person_id": "370102198506153214"}),
                true,
            ),
            (
                serde_json::json!({"unit_name": "宾馆", "uscc": "91370102MA3C0A019G"}),
                true,
            ),
            (serde_json::json!({"unit_name": "宾馆", "uscc": ""}), false),
        ];
        for (fields, want) in rows {
            assert_eq!(
                unidentified(rule, &sub(fields.clone())).is_none(),
                want,
                "{fields}"
            );
        }
    }

    #[test]
    fn id_numbers_keep_the_first_six_and_last_four() {
        assert_eq!(mask_id("370102198506153214"), "370102********3214");
        assert_eq!(mask_id("11010519491231002X"), "110105********002X");
        assert_eq!(mask_id("1234567890"), "**********");
    }

    #[test]
    fn numbers_print_as_an_official_document_writes_them() {
        let cases = [
            (1, "一"),
            (10, "十"),
            (15, "十五"),
            (20, "二十"),
            (45, "四十五"),
            (100, "一百"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1001, "一千零一"),
            (2030, "二千零三十"),
        ];
        for (n, zh) in cases {
            assert_eq!(chinese_number(n), zh, "{n}");
        }
    }

    #[test]
    fn dates_print_in_chinese_without_leading_zeros() {
        assert_eq!(date_text("2026-03-02").zh, "2026年3月2日");
        assert_eq!(
            instant_text("2026-10-12T16:05:00+08:00").zh,
            "2026年10月12日 16:05"
        );
    }
}
