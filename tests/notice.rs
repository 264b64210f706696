//! The structured notice (issue 12): the parts a printed document is laid out from.
#![allow(clippy::unwrap_used)]

use qiquan::{CheckOptions, Engine, Submission, Verdict};
use serde_json::json;

fn submission(fields: serde_json::Value, bad_credit: bool) -> Submission {
    serde_json::from_value(json!({
        "applicant": { "kind": "enterprise_legal_person", "bad_credit": bad_credit },
        "received_at": "2026-03-02T09:30:00+08:00",
        "fields": fields,
        "materials": {
            "application_form": { "status": "provided" },
            "identity_proof": { "status": "provided" },
            "site_plans": { "status": "provided" },
            "hygiene_report": { "status": "provided" },
            "hygiene_rules": { "status": "provided" }
        }
    }))
    .unwrap()
}

fn fields() -> serde_json::Value {
    json!({
        "unit_name": "示例宾馆有限公司",
        "uscc": "91110000802100433B",
        "responsible_person_id": "11010519491231002X",
        "phone": "13800138000",
        "venue_type": "hotel",
        "floor_area": 1200,
        "central_ac": false
    })
}

fn check(engine: &Engine, submission: &Submission) -> Verdict {
    engine
        .check(
            "public_place_hygiene_license",
            submission,
            &CheckOptions::default(),
        )
        .unwrap()
}

fn without_centre() -> Engine {
    let sources: Vec<_> = qiquan::embedded_sources()
        .into_iter()
        .filter(|s| s.path != qiquan::centre::CENTRE_PATH)
        .collect();
    Engine::from_sources(&sources).unwrap()
}

#[test]
fn without_a_profile_the_office_is_a_placeholder_never_the_department() {
    let engine = without_centre();
    let verdict = check(&engine, &submission(fields(), false));
    let notice = &verdict.notice;
    assert!(!notice.issuer.configured);
    assert_eq!(notice.issuer.office.zh, "（办理机构名称未配置）");
    assert!(!notice.sample);
    assert_eq!(notice.number.text, "〔2026〕____号");
    let department = &engine
        .matter("public_place_hygiene_license", None)
        .unwrap()
        .department
        .zh;
    assert!(!notice.text.zh.contains(department.as_str()));
    assert!(
        notice
            .text
            .zh
            .contains("（办理机构名称未配置）\n2026年3月2日\n")
    );
}

#[test]
fn without_a_profile_the_refusal_still_names_the_remedies() {
    let engine = without_centre();
    let mut refused = submission(fields(), false);
    refused.applicant.kind = qiquan::model::ApplicantKind::AdministrativeOrgan;
    let verdict = check(&engine, &refused);
    let rights = verdict.notice.rights.expect("a refusal states the rights");
    assert_eq!(rights.reconsideration_days, 60);
    assert_eq!(rights.lawsuit_months, 6);
    assert!(rights.text.zh.contains("（行政复议机关未配置）"));
    assert!(rights.text.zh.contains("（人民法院未配置）"));
}

#[test]
fn the_embedded_profile_names_the_office_and_is_marked_as_a_sample() {
    let engine = Engine::embedded().unwrap();
    let verdict = check(engine, &submission(fields(), false));
    let notice = &verdict.notice;
    assert!(notice.issuer.configured);
    assert!(notice.sample);
    assert_eq!(notice.issuer.office.zh, "明川县行政审批服务局");
    assert_eq!(notice.number.prefix, "明审服受〔2026〕");
    assert_eq!(notice.number.sequence, None);
    assert!(
        notice
            .text
            .zh
            .starts_with("【样本，不得作为正式文书】\n受理通知书\n")
    );
}

#[test]
fn id_numbers_are_masked_in_the_particulars_and_nowhere_printed_in_full() {
    let engine = Engine::embedded().unwrap();
    let verdict = check(engine, &submission(fields(), false));
    let id = verdict
        .notice
        .particulars
        .iter()
        .find(|p| p.field == "responsible_person_id")
        .expect("the ID number is among the particulars");
    assert!(id.masked);
    assert_eq!(id.value.zh, "110105********002X");
    let json = serde_json::to_string(&verdict.notice).unwrap();
    assert!(!json.contains("11010519491231002X"), "{json}");
    let venue = verdict
        .notice
        .particulars
        .iter()
        .find(|p| p.field == "venue_type")
        .unwrap();
    assert_ne!(venue.value.zh, "hotel", "a choice prints its label");
}

#[test]
fn the_addressee_is_a_placeholder_when_the_name_is_not_given() {
    let engine = Engine::embedded().unwrap();
    let mut f = fields();
    f.as_object_mut().unwrap().remove("unit_name");
    let verdict = check(engine, &submission(f, false));
    let addressee = &verdict.notice.addressee;
    assert_eq!(addressee.field.as_deref(), Some("unit_name"));
    assert_eq!(addressee.name, None);
    assert_eq!(addressee.text.zh, "（申请人名称未填写）");
}

#[test]
fn every_outcome_has_its_document_and_the_text_is_built_from_the_parts() {
    let engine = Engine::embedded().unwrap();
    let verdict = check(engine, &submission(fields(), false));
    let notice = &verdict.notice;
    for part in [
        &notice.title.zh,
        &notice.number.text,
        &notice.addressee.text.zh,
        &notice.opening.zh,
        &notice.closing.zh,
        &notice.issuer.office.zh,
        &notice.date_text.zh,
    ] {
        assert!(notice.text.zh.contains(part.as_str()), "{part}");
    }
    for fact in &notice.facts {
        assert!(notice.text.en.contains(&fact.value.en), "{}", fact.value.en);
    }
}
