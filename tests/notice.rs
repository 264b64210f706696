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

/// The centre profile's online cut-off (GB/T 39046-2020 online channels): before it on a working
/// day, an online application counts from that day; after it, from the next working day; without
/// a cut-off, always from the next working day. The window and the post are not affected.
#[test]
fn the_centres_online_cut_off_decides_the_acceptance_day() {
    let with_cutoff: Vec<_> = qiquan::embedded_sources()
        .into_iter()
        .map(|mut s| {
            if s.path == qiquan::centre::CENTRE_PATH {
                s.text.push_str("\nonline_cutoff = \"16:30\"\n");
            }
            s
        })
        .collect();
    let cut = Engine::from_sources(&with_cutoff).unwrap();
    let plain = Engine::embedded().unwrap();
    let accepted_on = |engine: &Engine, channel: &str, at: &str| {
        let mut s = submission(fields(), false);
        s.channel = serde_json::from_value(json!(channel)).unwrap();
        s.received_at = Some(at.to_string());
        check(engine, &s).deadlines.accepted_on
    };
    let morning = "2026-03-02T09:30:00+08:00";
    let evening = "2026-03-02T17:00:00+08:00";
    for channel in ["online", "mobile_online"] {
        assert_eq!(
            accepted_on(&cut, channel, morning),
            "2026-03-02",
            "{channel}"
        );
        assert_eq!(
            accepted_on(&cut, channel, evening),
            "2026-03-03",
            "{channel}"
        );
        assert_eq!(
            accepted_on(plain, channel, morning),
            "2026-03-03",
            "{channel}"
        );
    }
    for channel in ["window", "mail", "kiosk"] {
        assert_eq!(
            accepted_on(&cut, channel, evening),
            "2026-03-02",
            "{channel}"
        );
    }
}

/// Issue 22: the 信用承诺书 names the identity it binds — whom a clerk verified at the window, or
/// the provincial 统一身份认证 platform — with the number masked; the full number appears nowhere
/// in the verdict. A pledgor that is not one (a name over 64 characters, a document no centre
/// checks, an unknown key) is `invalid_submission` at the key, never printed. (Feature `pledgor`:
/// native and studio builds; the page module lacks it, so these are not conformance cases.)
#[test]
fn the_pledge_names_the_verified_identity_it_binds() {
    let engine = Engine::embedded().unwrap();
    let pledged = |pledgor: serde_json::Value| -> serde_json::Value {
        json!({
            "applicant": { "kind": "enterprise_legal_person" },
            "channel": "window",
            "received_at": "2026-03-02T09:30:00+08:00",
            "fields": fields(),
            "materials": {
                "application_form": { "status": "provided" },
                "identity_proof": { "status": "provided", "form": "original_and_copy" },
                "site_plans": { "status": "provided" },
                "hygiene_report": { "status": "provided" },
                "hygiene_rules": { "status": "missing" }
            },
            "pledge_signed": true,
            "pledgor": pledgor
        })
    };
    let run = |pledgor: serde_json::Value| -> serde_json::Value {
        let out = engine
            .check_json(
                "public_place_hygiene_license",
                &pledged(pledgor).to_string(),
                None,
            )
            .unwrap_or_else(|e| serde_json::to_string(&json!({"error": e})).unwrap());
        serde_json::from_str(&out).unwrap()
    };
    let verdict = run(json!({"name": "张三", "document_type": "resident_id_card",
                             "id_number": "44030519900101123X", "verified_by": "window"}));
    assert_eq!(verdict["outcome"], "accept_with_pledge");
    let pledgor = &verdict["notice"]["pledge"]["pledgor"];
    assert_eq!(
        pledgor["zh"],
        "承诺人：张三（居民身份证，证件号码440305********123X；身份核验方式：窗口核验）"
    );
    assert_eq!(
        pledgor["en"],
        "Pledgor: 张三 (resident identity card, number 440305********123X; identity checked at the window)"
    );
    assert!(!verdict.to_string().contains("44030519900101123X"));
    let verdict = run(
        json!({"name": "陈大文", "document_type": "hong_kong_macao_permit",
                             "id_number": "H1234567890", "verified_by": "unified_identity"}),
    );
    assert_eq!(
        verdict["notice"]["pledge"]["pledgor"]["zh"],
        "承诺人：陈大文（港澳居民来往内地通行证，证件号码H12345*7890；身份核验方式：统一身份认证）"
    );
    // Without a pledgor the pledge names none (the signature line stays).
    let mut none = pledged(json!(null));
    none.as_object_mut().unwrap().remove("pledgor");
    let out = engine
        .check_json("public_place_hygiene_license", &none.to_string(), None)
        .unwrap();
    let verdict: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        verdict["notice"]["pledge"]["pledgor"],
        serde_json::Value::Null
    );
    for (pledgor, at) in [
        (
            json!({"name": "张".repeat(65), "document_type": "passport",
                   "id_number": "E12345678", "verified_by": "window"}),
            "/pledgor/name",
        ),
        (
            json!({"name": "张三", "document_type": "library_card",
                   "id_number": "E12345678", "verified_by": "window"}),
            "/pledgor/document_type",
        ),
        (
            json!({"name": "张三", "document_type": "passport",
                   "id_number": "E12345678", "verified_by": "a_friend"}),
            "/pledgor/verified_by",
        ),
        (
            json!({"name": "张三", "document_type": "passport", "id_number": "E12345678",
                   "verified_by": "window", "photo": "…"}),
            "/pledgor/photo",
        ),
        (
            json!({"name": "张三", "document_type": "passport", "verified_by": "window"}),
            "/pledgor/id_number",
        ),
    ] {
        let out = run(pledgor);
        assert_eq!(out["error"]["code"], "invalid_submission", "{out}");
        assert_eq!(out["error"]["at"], at, "{out}");
    }
}
