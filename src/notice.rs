//! Notice: the written one-time notice (一次性告知单, 行政许可法 §32) and the written reason for
//! not accepting (不予受理), rendered from a verdict so every channel prints the same words.

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

fn items(findings: &[&Finding]) -> (String, String) {
    let mut zh = String::new();
    let mut en = String::new();
    for (i, finding) in findings.iter().enumerate() {
        zh.push_str(&format!(
            "{}. {}（依据：{}）\n",
            i + 1,
            finding.message.zh,
            finding.basis
        ));
        en.push_str(&format!(
            "{}. {} (Basis: {})\n",
            i + 1,
            finding.message.en,
            finding.basis
        ));
    }
    (zh, en)
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
            let (zh_items, en_items) = items(&reasons);
            Some(Notice {
                title: Text {
                    zh: "不予受理告知书".into(),
                    en: "Notice of non-acceptance".into(),
                },
                text: Text {
                    zh: format!(
                        "不予受理告知书\n{header_zh}根据《中华人民共和国行政许可法》第三十二条，您的申请不予受理，理由如下：\n{zh_items}"
                    ),
                    en: format!(
                        "Notice of non-acceptance\n{header_en}Under Article 32 of the Administrative Licensing Law, the application is not accepted, for these reasons:\n{en_items}"
                    ),
                },
            })
        }
        Outcome::CorrectionRequired => {
            let all: Vec<&Finding> = verdict.findings.iter().collect();
            let (zh_items, en_items) = items(&all);
            let mut zh = format!(
                "一次性告知单\n{header_zh}根据《中华人民共和国行政许可法》第三十二条，您的申请材料不齐全或者不符合法定形式。请一次性补正以下 {} 项后重新提交：\n{zh_items}",
                all.len()
            );
            let mut en = format!(
                "One-time notice of corrections\n{header_en}Under Article 32 of the Administrative Licensing Law, the application is incomplete or not in the legal form. Please correct all {} items below at once and submit again:\n{en_items}",
                all.len()
            );
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
                zh.push_str(&format!(
                    "可容缺受理：以上缺失材料（{}）均可容缺。签署《容缺受理信用承诺书》后即可先行受理，须于 {due} 前补齐。\n",
                    names_zh.join("、")
                ));
                en.push_str(&format!(
                    "Deficiency-tolerant acceptance: all missing items ({}) may be pledged. Sign the credit pledge to be accepted now and supply them by {due}.\n",
                    names_en.join("; ")
                ));
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
