//! Each case document from the engine, read as a person would: its title, number, dates from
//! the clock, reasons and remedies.

use super::*;
use crate::case::{CaseRecord, ServiceMethod, SpecialProcedure};

fn records() -> Vec<CaseRecord> {
    let json = r#"[
        {"on":"2026-02-02","event":"accepted"},
        {"on":"2026-02-02","event":"review_started","assignee":"李审"},
        {"on":"2026-02-06","event":"special_started","procedure":"testing","reason":"需委托检测机构对样品进行检测","planned_days":10,"approver":"王局长"},
        {"on":"2026-03-02","event":"special_ended"},
        {"on":"2026-03-03","event":"extended","approver":"王局长","reason":"需组织现场核查"},
        {"on":"2026-03-20","event":"decided","granted":false,"reasons":["经营场所面积小于规定的最低要求","未设置与经营品种相适应的冷藏设施"]},
        {"on":"2026-03-23","event":"served","method":"post"}
    ]"#;
    serde_json::from_str(json).expect("records")
}

fn doc(index: usize) -> CaseDocument {
    crate::Engine::embedded()
        .expect("rules")
        .case_document(
            "food_business_license",
            &records(),
            index,
            "明川县好味餐饮店",
            Some("明审服受〔2026〕12号"),
        )
        .expect("document")
}

fn deadline(from: &str, days: i64) -> String {
    crate::Engine::embedded()
        .expect("rules")
        .deadline(from, days, "working")
        .expect("deadline")
        .due
}

#[test]
fn the_special_procedure_notice_states_the_time_needed() {
    let d = doc(2);
    assert_eq!(d.kind, CaseDocumentKind::SpecialProcedure);
    assert!(d.text.zh.starts_with("【样本，不得作为正式文书】\n特别程序告知书\n文号：明审服特〔2026〕____号\n明川县好味餐饮店："), "{}", d.text.zh);
    assert!(
        d.text
            .zh
            .contains("因需委托检测机构对样品进行检测，需要进行检测"),
        "{}",
        d.text.zh
    );
    assert!(d.text.zh.contains("所需时间：十个工作日"));
    let end = crate::notice::date_text(&deadline("2026-02-06", 10)).zh;
    assert!(
        d.text.zh.contains(&format!("预计结束日期：{end}")),
        "{}",
        d.text.zh
    );
    assert!(d.text.zh.contains("受理文号：明审服受〔2026〕12号"));
    assert!(
        d.text
            .zh
            .contains("（《中华人民共和国行政许可法》第四十五条）")
    );
    assert!(d.text.zh.contains("批准人：王局长"));
    assert_eq!(d.date_text.zh, "2026年2月6日");
}

#[test]
fn the_extension_notice_gives_the_new_due() {
    let d = doc(4);
    assert_eq!(d.title.zh, "延期告知书");
    // food_business_license 2023-12: 10 (+5) working days; 4 counted before the pause.
    let due = crate::notice::date_text(&deadline("2026-03-02", 11)).zh;
    assert!(
        d.text.zh.contains(&format!(
            "办理期限延长五个工作日，本机关将于{due}前作出决定"
        )),
        "{}",
        d.text.zh
    );
    assert!(d.text.zh.contains("不能在十个工作日内作出决定"));
    assert!(d.number.text.starts_with("明审服延〔2026〕"));
}

#[test]
fn a_refusal_gives_reasons_and_remedies_naming_the_bodies() {
    let mut d = doc(5);
    assert_eq!(d.title.zh, "不予行政许可决定书");
    assert!(
        d.text
            .zh
            .contains("1. 经营场所面积小于规定的最低要求\n2. 未设置与经营品种相适应的冷藏设施"),
        "{}",
        d.text.zh
    );
    assert!(d.text.zh.contains("六十日内向明川县人民政府申请行政复议"));
    assert!(d.text.zh.contains("六个月内向明川县人民法院提起行政诉讼"));
    assert!(
        d.text.zh.contains(
            "《中华人民共和国行政复议法》第二十条；《中华人民共和国行政诉讼法》第四十六条"
        )
    );
    assert!(d.text.en.contains("within 60 days"));
    d.numbered(7);
    assert_eq!(d.number.text, "明审服不许〔2026〕7号");
    assert!(d.text.zh.contains("文号：明审服不许〔2026〕7号"));
}

#[test]
fn a_grant_cites_the_matter_and_promises_the_licence_within_ten_days() {
    let mut r = records();
    r[5] = serde_json::from_str(r#"{"on":"2026-03-20","event":"decided","granted":true}"#)
        .expect("json");
    let engine = crate::Engine::embedded().expect("rules");
    let d = engine
        .case_document("food_business_license", &r, 5, "明川县好味餐饮店", None)
        .expect("grant");
    assert_eq!(d.title.zh, "准予行政许可决定书");
    assert!(
        d.text.zh.contains("本机关决定准予行政许可"),
        "{}",
        d.text.zh
    );
    assert!(
        d.text
            .zh
            .contains("十日内向你（单位）颁发、送达行政许可证件")
    );
    assert!(d.rights.is_none());
}

#[test]
fn the_proof_of_service_names_what_how_and_when() {
    let d = doc(6);
    assert_eq!(d.title.zh, "送达回证");
    assert!(
        d.text
            .zh
            .contains("送达文书：不予行政许可决定书（明审服受〔2026〕12号）"),
        "{}",
        d.text.zh
    );
    assert!(d.text.zh.contains("送达方式：邮寄送达"));
    assert!(d.text.zh.contains("送达日期：2026年3月23日"));
    assert_eq!(d.signatures[0].zh, "受送达人签名（盖章）");
    let _ = (ServiceMethod::Post, SpecialProcedure::Testing);
}

#[test]
fn a_terminated_pledge_says_why() {
    let r: Vec<CaseRecord> = serde_json::from_str(
        r#"[{"on":"2026-03-02","event":"accepted","pledged":true},
            {"on":"2026-03-16","event":"pledge_suspended"},
            {"on":"2026-04-08","event":"pledge_terminated"}]"#,
    )
    .expect("json");
    let engine = crate::Engine::embedded().expect("rules");
    let d = engine
        .case_document("food_business_license", &r, 2, "明川县好味餐饮店", None)
        .expect("termination");
    assert_eq!(d.title.zh, "终止办理告知书");
    assert!(
        d.text.zh.contains("未在承诺期限及恢复办理期限内补齐"),
        "{}",
        d.text.zh
    );
    assert!(d.rights.is_some());
    // An event that issues nothing.
    let error = engine
        .case_document("food_business_license", &r, 1, "x", None)
        .expect_err("no document");
    assert_eq!(error.code, crate::ErrorCode::InvalidCaseEvent);
}
