//! The kiosk's slip (自助预审回执): a pre-check, never a decision. It says what the pre-check
//! found, everything to bring to the window (originals are checked there), what is still
//! missing, and carries the place of the hand-over QR code the server prints. Only a window
//! decides (行政许可法 §32: the office accepts or refuses, in writing).

use crate::model::MatterFile;
use crate::verdict::{
    Applies, ExemptState, FindingCode, NoticeItem, Outcome, Precheck, PrecheckLine, Verdict,
};

use super::text;

pub(crate) fn render(rule: &MatterFile, verdict: &Verdict) -> Precheck {
    let result = match verdict.outcome {
        Outcome::Accept => text(
            "预审结果：材料齐全。请携带下列材料到窗口，窗口核验原件后作出受理决定。",
            "Pre-check: complete. Bring the materials below to the window, which checks the originals and decides.",
        ),
        _ if verdict.pledge.would_accept => text(
            "预审结果：可申请容缺受理，须到窗口签署《容缺受理信用承诺书》，由窗口核验后决定。",
            "Pre-check: acceptance with materials outstanding is possible; sign the credit pledge at the window, which checks and decides.",
        ),
        Outcome::NotAccepted => text(
            "预审结果：本申请不符合受理条件（见下列事项），请到窗口咨询。",
            "Pre-check: the application does not meet the conditions for acceptance (see below); ask at the window.",
        ),
        _ => text(
            "预审结果：材料尚不齐全，请按下列事项准备后到窗口办理。",
            "Pre-check: incomplete. Prepare what is listed below, then go to the window.",
        ),
    };
    let bring = rule
        .materials
        .iter()
        .zip(&verdict.checklist.materials)
        .filter(|(_, s)| s.applies == Applies::Yes)
        .map(|(m, s)| {
            let exempt = verdict.exempt.iter().find(|e| e.material == m.id);
            let what = match exempt {
                Some(e) if e.state == ExemptState::Committed => {
                    text("已告知承诺，无需提交", "committed: not to be brought")
                }
                Some(e) => {
                    let source = e.source.clone().unwrap_or_else(|| text("", ""));
                    text(
                        format!("无需提交（由窗口通过{}获取）", source.zh),
                        format!(
                            "not to be brought (the window obtains it from {})",
                            source.en
                        ),
                    )
                }
                None => crate::messages::describe_form(m),
            };
            PrecheckLine {
                material: m.id.clone(),
                name: m.name.clone(),
                bring: what,
                missing: !s.ok,
            }
        })
        .collect();
    let items: Vec<NoticeItem> = verdict
        .findings
        .iter()
        .filter(|f| f.code != FindingCode::PledgeNotAllowed)
        .enumerate()
        .map(|(i, f)| super::item(i + 1, f, &f.basis))
        .collect();
    Precheck {
        title: text("自助预审回执", "Self-service pre-check slip"),
        result,
        bring,
        items,
        note: text(
            "本回执是自助预审结果，不是受理决定；请持本回执和上列材料原件到窗口办理，凭交接码调取预审信息。",
            "This slip is a pre-check, not a decision: bring it and the originals above to the window, where the hand-over code retrieves your answers.",
        ),
        handover: text("窗口交接码（二维码）", "Hand-over code (QR)"),
    }
}
