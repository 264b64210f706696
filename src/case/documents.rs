//! The documents of a case after acceptance, rendered by the engine like the four acceptance
//! documents (`src/notice.rs`): 特别程序告知书 (§45), 延期告知书 (§42), 准予 / 不予行政许可决定书
//! (§38), 终止办理告知书 (the pledge not kept) and 送达回证 (§44). Each is numbered from the
//! centre profile's 文号 pattern (`{kind}`: 特 / 延 / 许 / 不许 / 终 / 送); the register fills in
//! the sequence ([`CaseDocument::numbered`]). The shells lay the parts out; every sentence is here.

use serde::Serialize;

use super::clock::CaseClock;
use super::{CaseEvent, CaseRecord};
use crate::centre::{CentreProfile, number_parts};
use crate::model::{MatterFile, Text};
use crate::notice::{chinese_number, date_text, issuer, rights, text};
use crate::verdict::{DocumentNumber, Issuer, Rights};

const SPECIAL_BASIS: &str = "《中华人民共和国行政许可法》第四十五条";
const EXTENSION_BASIS: &str = "《中华人民共和国行政许可法》第四十二条第一款";
const GRANT_BASIS: &str = "《中华人民共和国行政许可法》第三十八条第一款";
const DENIAL_BASIS: &str = "《中华人民共和国行政许可法》第三十八条第二款";
const TERMINATION_BASIS: &str = "容缺受理信用承诺书；容缺受理制度（信用承诺）";
const SERVICE_BASIS: &str = "《中华人民共和国行政许可法》第四十四条";

/// A document a case step issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum CaseDocumentKind {
    /// 特别程序告知书 (行政许可法 §45).
    SpecialProcedure,
    /// 延期告知书 (§42).
    Extension,
    /// 准予行政许可决定书 (§38(1)).
    Grant,
    /// 不予行政许可决定书 (§38(2)).
    Denial,
    /// 终止办理告知书: the pledge was not kept.
    Termination,
    /// 送达回证 (§44).
    ServiceReceipt,
}

impl CaseDocumentKind {
    pub const ALL: [CaseDocumentKind; 6] = [
        Self::SpecialProcedure,
        Self::Extension,
        Self::Grant,
        Self::Denial,
        Self::Termination,
        Self::ServiceReceipt,
    ];

    /// The serde name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SpecialProcedure => "special_procedure",
            Self::Extension => "extension",
            Self::Grant => "grant",
            Self::Denial => "denial",
            Self::Termination => "termination",
            Self::ServiceReceipt => "service_receipt",
        }
    }

    /// The document's title.
    pub fn title(self) -> Text {
        let (zh, en) = match self {
            Self::SpecialProcedure => ("特别程序告知书", "Notice of special procedure"),
            Self::Extension => ("延期告知书", "Notice of extension"),
            Self::Grant => ("准予行政许可决定书", "Decision to grant the licence"),
            Self::Denial => ("不予行政许可决定书", "Decision to refuse the licence"),
            Self::Termination => ("终止办理告知书", "Notice of termination"),
            Self::ServiceReceipt => ("送达回证", "Proof of service"),
        };
        text(zh, en)
    }

    /// The `{kind}` of the centre's 文号 pattern.
    pub fn code(self) -> &'static str {
        match self {
            Self::SpecialProcedure => "特",
            Self::Extension => "延",
            Self::Grant => "许",
            Self::Denial => "不许",
            Self::Termination => "终",
            Self::ServiceReceipt => "送",
        }
    }

    /// The document an event issues, if any (the same as [`super::step`]'s `Issue` effect).
    pub fn of_event(event: &CaseEvent) -> Option<CaseDocumentKind> {
        match event {
            CaseEvent::SpecialStarted { .. } => Some(Self::SpecialProcedure),
            CaseEvent::Extended { .. } => Some(Self::Extension),
            CaseEvent::Decided { granted: true, .. } => Some(Self::Grant),
            CaseEvent::Decided { granted: false, .. } => Some(Self::Denial),
            CaseEvent::PledgeTerminated => Some(Self::Termination),
            CaseEvent::Served { .. } => Some(Self::ServiceReceipt),
            _ => None,
        }
    }
}

/// A labelled fact printed in a document's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct CaseFact {
    pub label: Text,
    pub value: Text,
}

/// A case document as a structure; `text` is its plain-text form, rendered from the parts.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct CaseDocument {
    pub kind: CaseDocumentKind,
    pub title: Text,
    /// Issued under a sample centre profile: a specimen, never to be handed out.
    pub sample: bool,
    pub number: DocumentNumber,
    /// 主送 (the 送达回证: 受送达人).
    pub addressee: Text,
    pub matter: Text,
    pub opening: Text,
    pub basis: String,
    /// Numbered items: a refusal's reasons.
    pub items: Vec<Text>,
    pub facts: Vec<CaseFact>,
    pub rights: Option<Rights>,
    pub closing: Text,
    pub notes: Vec<Text>,
    pub issuer: Issuer,
    pub date: String,
    pub date_text: Text,
    pub signatures: Vec<Text>,
    pub text: Text,
}

impl CaseDocument {
    /// The document as issued under sequence number `seq` (the register draws it).
    pub fn numbered(&mut self, seq: u64) {
        self.number.sequence = Some(seq);
        self.number.text = format!("{}{seq}{}", self.number.prefix, self.number.suffix);
        self.text = render_text(self);
    }
}

/// Everything a case document is made from.
pub struct CaseDocumentInput<'a> {
    pub centre: Option<&'a CentreProfile>,
    pub matter: &'a MatterFile,
    /// The applicant's name as the register holds it (blank: a placeholder is printed).
    pub addressee: &'a str,
    /// The clock as of the event's day, the event included.
    pub clock: &'a CaseClock,
    /// The event that issues the document.
    pub record: &'a CaseRecord,
    /// The 文号 the document refers to: the 受理通知书's, or on a 送达回证 the decision's.
    pub reference: Option<&'a str>,
}

/// The document `input.record` issues, or None when that event issues none.
pub fn render(input: &CaseDocumentInput<'_>) -> Option<CaseDocument> {
    let kind = CaseDocumentKind::of_event(&input.record.event)?;
    let date = input.record.on.clone();
    let name = input.addressee.trim();
    let addressee = if name.is_empty() {
        text("（申请人名称未填写）", "(applicant's name not given)")
    } else {
        text(name, name)
    };
    let matter = input.matter.name.clone();
    let accepted = date_text(&input.clock.accepted_on);
    let mut doc = CaseDocument {
        kind,
        title: kind.title(),
        sample: input.centre.is_some_and(|c| c.sample),
        number: number(input.centre, kind, &date),
        addressee,
        opening: text(
            format!(
                "你（单位）申请的{}，本机关已于{}受理{}。",
                matter.zh,
                accepted.zh,
                reference_zh(input.reference)
            ),
            format!(
                "Your application for {} was accepted by this office on {}{}.",
                matter.en,
                accepted.en,
                reference_en(input.reference)
            ),
        ),
        matter,
        basis: String::new(),
        items: Vec::new(),
        facts: Vec::new(),
        rights: None,
        closing: text("特此告知。", "Notice is hereby given."),
        notes: Vec::new(),
        issuer: issuer(input.centre),
        date_text: date_text(&date),
        date,
        signatures: vec![text("经办人", "Clerk"), text("申请人签收", "Received by")],
        text: text("", ""),
    };
    body(&mut doc, input);
    doc.text = render_text(&doc);
    Some(doc)
}

fn reference_zh(reference: Option<&str>) -> String {
    reference.map_or_else(String::new, |n| format!("（受理文号：{n}）"))
}

fn reference_en(reference: Option<&str>) -> String {
    reference.map_or_else(String::new, |n| format!(" (acceptance No. {n})"))
}

fn number(centre: Option<&CentreProfile>, kind: CaseDocumentKind, date: &str) -> DocumentNumber {
    let year: i32 = date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    let pattern = centre.map_or("〔{year}〕{seq}号", |c| c.number_pattern.as_str());
    let (prefix, suffix) = number_parts(pattern, kind.code(), year);
    DocumentNumber {
        text: format!("{prefix}____{suffix}"),
        prefix,
        year,
        sequence: None,
        suffix,
    }
}

fn fact(doc: &mut CaseDocument, label: Text, value: Text) {
    doc.facts.push(CaseFact { label, value });
}

fn body(doc: &mut CaseDocument, input: &CaseDocumentInput<'_>) {
    let clock = input.clock;
    match &input.record.event {
        CaseEvent::SpecialStarted {
            procedure,
            reason,
            planned_days,
            approver,
            hearing_on,
        } => {
            let what = procedure.label();
            let days = chinese_number(*planned_days);
            let end = clock
                .pauses
                .last()
                .and_then(|p| p.planned_end.as_deref())
                .map(date_text);
            doc.basis = SPECIAL_BASIS.into();
            doc.opening.zh.push_str(&format!(
                "因{reason}，需要进行{}。根据《中华人民共和国行政许可法》第四十五条的规定，{}所需时间不计算在行政许可期限内，现将所需时间告知如下。",
                what.zh, what.zh
            ));
            doc.opening.en.push_str(&format!(
                " Because {reason}, a {} is needed. Under 行政许可法 §45 the time it takes is not counted in the licensing period; it is as follows.",
                what.en
            ));
            fact(doc, text("特别程序", "Procedure"), what);
            fact(doc, text("开始日期", "Starts"), date_text(&input.record.on));
            fact(
                doc,
                text("所需时间", "Time needed"),
                text(
                    format!("{days}个工作日"),
                    format!("{planned_days} working days"),
                ),
            );
            if let Some(end) = end {
                fact(doc, text("预计结束日期", "Expected to end"), end);
            }
            if let Some(day) = hearing_on {
                fact(doc, text("听证日期", "Hearing on"), date_text(day));
            }
            fact(doc, text("批准人", "Approved by"), text(approver, approver));
            doc.notes.push(text(
                "特别程序结束后，办理期限继续计算；本机关将另行告知结果。",
                "When the procedure ends the period runs on; you will be told the result.",
            ));
        }
        CaseEvent::Extended { approver, reason } => {
            let extension = input.matter.statutory_extension;
            let words = extension.map(crate::notice::limit_words);
            let due = clock.extended_due.as_deref().map(date_text);
            doc.basis = EXTENSION_BASIS.into();
            let statutory = crate::notice::limit_words(input.matter.statutory_limit);
            if let (Some(words), Some(due)) = (words, due) {
                doc.opening.zh.push_str(&format!(
                    "因{reason}，本机关不能在{}内作出决定。经本机关负责人批准，根据《中华人民共和国行政许可法》第四十二条第一款的规定，办理期限延长{}，本机关将于{}前作出决定。",
                    statutory.zh, words.zh, due.zh
                ));
                doc.opening.en.push_str(&format!(
                    " Because {reason}, this office cannot decide within {}. With the approval of the head of this office, under 行政许可法 §42(1), the period is extended by {}; the decision will be made by {}.",
                    statutory.en, words.en, due.en
                ));
                fact(
                    doc,
                    text("原法定办结日期", "Statutory due"),
                    date_text(&clock.statutory_due),
                );
                fact(doc, text("延长后办结日期", "Extended due"), due);
            }
            fact(doc, text("批准人", "Approved by"), text(approver, approver));
        }
        CaseEvent::Decided { granted: true, .. } => {
            doc.basis = GRANT_BASIS.into();
            doc.opening.zh.push_str(&format!(
                "经审查，你（单位）的申请符合法定条件、标准。根据《中华人民共和国行政许可法》第三十八条第一款和{}的规定，本机关决定准予行政许可。",
                input.matter.legal_basis
            ));
            doc.opening.en.push_str(&format!(
                " Having reviewed it, this office finds that the application meets the statutory conditions and standards, and under 行政许可法 §38(1) and {} decides to grant the licence.",
                input.matter.legal_basis
            ));
            doc.closing = text("特此决定。", "So decided.");
            doc.notes.push(text(
                "本机关将自本决定作出之日起十日内向你（单位）颁发、送达行政许可证件（《中华人民共和国行政许可法》第四十四条）。",
                "This office will issue and serve the licence within 10 days of this decision (行政许可法 §44).",
            ));
            if clock.pledge == super::PledgeStanding::Outstanding {
                doc.notes.push(text(
                    "你（单位）承诺补交的材料尚未补齐，补齐后方可领取行政许可证件。",
                    "The materials you pledged are not yet all supplied; the licence is issued once they are.",
                ));
            }
            decision_facts(doc, clock);
        }
        CaseEvent::Decided {
            granted: false,
            reasons,
        } => {
            doc.basis = DENIAL_BASIS.into();
            doc.opening.zh.push_str(
                "经审查，你（单位）的申请不符合法定条件、标准。根据《中华人民共和国行政许可法》第三十八条第二款的规定，本机关决定不予行政许可，理由如下：",
            );
            doc.opening.en.push_str(
                " Having reviewed it, this office finds that the application does not meet the statutory conditions and standards, and under 行政许可法 §38(2) decides to refuse the licence, for these reasons:",
            );
            doc.items = reasons
                .iter()
                .filter(|r| !r.trim().is_empty())
                .map(|r| text(r.trim(), r.trim()))
                .collect();
            doc.rights = Some(rights(input.centre));
            doc.closing = text("特此决定。", "So decided.");
            decision_facts(doc, clock);
        }
        CaseEvent::PledgeTerminated => {
            doc.basis = TERMINATION_BASIS.into();
            doc.opening.zh.push_str(
                "你（单位）在容缺受理时承诺补交的材料，未在承诺期限及恢复办理期限内补齐。根据你（单位）签署的容缺受理信用承诺书，本机关终止办理该申请；承诺未履行的情况将依法记入信用记录。",
            );
            doc.opening.en.push_str(
                " The materials you pledged to supply on acceptance did not arrive within the pledged period or the resume window. Under the credit pledge you signed, this office ends the handling of the application; the broken pledge is recorded in the credit record as the law provides.",
            );
            doc.rights = Some(rights(input.centre));
        }
        CaseEvent::Served { method } => {
            doc.basis = SERVICE_BASIS.into();
            doc.opening = text(
                format!("{}的决定文书已按下列方式送达。", doc.matter.zh),
                format!("The decision on {} was served as follows.", doc.matter.en),
            );
            let decision = match clock.granted {
                Some(false) => super::documents::CaseDocumentKind::Denial.title(),
                _ => super::documents::CaseDocumentKind::Grant.title(),
            };
            let served = match input.reference {
                Some(n) => text(
                    format!("{}（{n}）", decision.zh),
                    format!("{} (No. {n})", decision.en),
                ),
                None => decision,
            };
            fact(doc, text("送达文书", "Document served"), served);
            fact(doc, text("受送达人", "Served on"), doc.addressee.clone());
            fact(doc, text("送达方式", "Method"), method.label());
            fact(
                doc,
                text("送达日期", "Served on (date)"),
                date_text(&input.record.on),
            );
            if let Some(decided) = &clock.decided_on {
                fact(doc, text("决定日期", "Decided on"), date_text(decided));
            }
            doc.closing = text("", "");
            doc.signatures = vec![
                text(
                    "受送达人签名（盖章）",
                    "Signature (seal) of the person served",
                ),
                text("送达人", "Served by"),
            ];
        }
        _ => {}
    }
}

fn decision_facts(doc: &mut CaseDocument, clock: &CaseClock) {
    fact(
        doc,
        text("受理日期", "Accepted on"),
        date_text(&clock.accepted_on),
    );
    fact(doc, text("决定日期", "Decided on"), doc.date_text.clone());
}

/// Both languages, line by line, in the order a printed document shows its parts.
fn render_text(doc: &CaseDocument) -> Text {
    let one = |pick: &dyn Fn(&Text) -> &String, number: &str, sample: &str, note: &str| {
        let mut lines: Vec<String> = Vec::new();
        if doc.sample {
            lines.push(sample.to_string());
        }
        lines.push(pick(&doc.title).clone());
        lines.push(format!("{number}{}", doc.number.text));
        lines.push(format!("{}：", pick(&doc.addressee)));
        lines.push(pick(&doc.opening).clone());
        for (i, item) in doc.items.iter().enumerate() {
            lines.push(format!("{}. {}", i + 1, pick(item)));
        }
        for f in &doc.facts {
            lines.push(format!("{}：{}", pick(&f.label), pick(&f.value)));
        }
        if let Some(rights) = &doc.rights {
            lines.push(format!("{}（{}）", pick(&rights.text), rights.basis));
        }
        if !pick(&doc.closing).is_empty() {
            lines.push(pick(&doc.closing).clone());
        }
        for n in &doc.notes {
            lines.push(format!("{note}{}", pick(n)));
        }
        lines.push(format!("（{}）", doc.basis));
        lines.push(pick(&doc.issuer.office).clone());
        lines.push(pick(&doc.date_text).clone());
        let mut out = lines.join("\n");
        out.push('\n');
        out
    };
    Text {
        zh: one(&|t| &t.zh, "文号：", "【样本，不得作为正式文书】", "注："),
        en: one(&|t| &t.en, "No. ", "[SPECIMEN: not to be issued]", "Note: "),
    }
}

#[cfg(test)]
mod tests;
