//! Notice: the written one-time notice (一次性告知单, 行政许可法 §32) and the written reason for
//! not accepting (不予受理), rendered from a verdict so every channel prints the same words.

use std::fmt::Write as _;

use crate::model::{MatterFile, Text};
use crate::submission::Channel;
use crate::verdict::{Finding, FindingCode, Notice, Outcome, Verdict};

fn channel_label(channel: Channel) -> (&'static str, &'static str) {
    match channel {
        Channel::Window => ("窗口", "service window"),
        Channel::Online => ("网上", "online"),
        Channel::Kiosk => ("自助终端", "self-service kiosk"),
    }
}

/// Appends the numbered items, one line each, to both texts (allocated by `text_with` with
/// `capacity_for` room): this is the bulk of a verdict with many findings, and a `format!` per
/// line cost a temporary string and several regrowths each.
fn push_items(zh: &mut String, en: &mut String, findings: &[&Finding]) {
    for (i, finding) in findings.iter().enumerate() {
        let number = (i + 1).to_string();
        for (text, message, open, close) in [
            (&mut *zh, &finding.message.zh, "（依据：", "）\n"),
            (&mut *en, &finding.message.en, " (Basis: ", ")\n"),
        ] {
            text.push_str(&number);
            text.push_str(". ");
            text.push_str(message);
            text.push_str(open);
            text.push_str(&finding.basis);
            text.push_str(close);
        }
    }
}

/// Room for a notice's text: its items plus a generous allowance for the header and footer, so
/// the text is allocated once.
fn capacity_for(findings: &[&Finding]) -> usize {
    let items: usize = findings
        .iter()
        .map(|f| f.message.zh.len().max(f.message.en.len()) + f.basis.len() + 32)
        .sum();
    items + 2048
}

/// A string of `capacity` that starts with the formatted preamble.
fn text_with(capacity: usize, preamble: std::fmt::Arguments<'_>) -> String {
    let mut text = String::with_capacity(capacity);
    // Writing to a String cannot fail.
    let _ = text.write_fmt(preamble);
    text
}

pub(crate) fn render_notice(rule: &MatterFile, verdict: &Verdict) -> Option<Notice> {
    if matches!(verdict.outcome, Outcome::Accept | Outcome::AcceptWithPledge) {
        return None;
    }
    let (channel_zh, channel_en) = channel_label(verdict.channel);
    let header_zh = format!(
        "事项：{}（版本 {}）\n实施机关：{}\n收件时间：{}（{}）\n",
        rule.name.zh, rule.version, rule.department.zh, verdict.received_at, channel_zh
    );
    let header_en = format!(
        "Matter: {} (version {})\nDepartment: {}\nReceived: {} ({})\n",
        rule.name.en, rule.version, rule.department.en, verdict.received_at, channel_en
    );
    match verdict.outcome {
        Outcome::Accept | Outcome::AcceptWithPledge => None,
        Outcome::NotAccepted => {
            let reasons: Vec<&Finding> = verdict
                .findings
                .iter()
                .filter(|f| f.code == FindingCode::ApplicantIneligible)
                .collect();
            let capacity = capacity_for(&reasons);
            let mut zh = text_with(
                capacity,
                format_args!(
                    "不予受理告知书\n{header_zh}根据《中华人民共和国行政许可法》第三十二条，您的申请不予受理，理由如下：\n"
                ),
            );
            let mut en = text_with(
                capacity,
                format_args!(
                    "Notice of non-acceptance\n{header_en}Under Article 32 of the Administrative Licensing Law, the application is not accepted, for these reasons:\n"
                ),
            );
            push_items(&mut zh, &mut en, &reasons);
            Some(Notice {
                title: Text {
                    zh: "不予受理告知书".into(),
                    en: "Notice of non-acceptance".into(),
                },
                text: Text { zh, en },
            })
        }
        Outcome::CorrectionRequired => {
            let all: Vec<&Finding> = verdict.findings.iter().collect();
            let capacity = capacity_for(&all);
            let mut zh = text_with(
                capacity,
                format_args!(
                    "一次性告知单\n{header_zh}根据《中华人民共和国行政许可法》第三十二条，您的申请材料不齐全或者不符合法定形式。请一次性补正以下 {} 项后重新提交：\n",
                    all.len()
                ),
            );
            let mut en = text_with(
                capacity,
                format_args!(
                    "One-time notice of corrections\n{header_en}Under Article 32 of the Administrative Licensing Law, the application is incomplete or not in the legal form. Please correct all {} items below at once and submit again:\n",
                    all.len()
                ),
            );
            push_items(&mut zh, &mut en, &all);
            if verdict.pledge.would_accept
                && let Some(due) = &verdict.pledge.pledge_due
            {
                let names_zh: Vec<&str> = verdict
                    .pledge
                    .items
                    .iter()
                    .map(|i| i.name.zh.as_str())
                    .collect();
                let names_en: Vec<&str> = verdict
                    .pledge
                    .items
                    .iter()
                    .map(|i| i.name.en.as_str())
                    .collect();
                // Writing to a String cannot fail.
                let _ = writeln!(
                    zh,
                    "可容缺受理：以上缺失材料（{}）均可容缺。签署《容缺受理信用承诺书》后即可先行受理，须于 {due} 前补齐。",
                    names_zh.join("、")
                );
                let _ = writeln!(
                    en,
                    "Deficiency-tolerant acceptance: all missing items ({}) may be pledged. Sign the credit pledge to be accepted now and supply them by {due}.",
                    names_en.join("; ")
                );
            }
            Some(Notice {
                title: Text {
                    zh: "一次性告知单".into(),
                    en: "One-time notice of corrections".into(),
                },
                text: Text { zh, en },
            })
        }
    }
}
