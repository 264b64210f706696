//! Format 2 behaviours on a small rule set of their own: "at least n of" groups, a group whose
//! condition is unanswered, refusals with several conditions, and the online cut-off edges.
#![allow(clippy::unwrap_used)]

use qiquan::Engine;
use qiquan::bundle::SourceFile;
use serde_json::{Value, json};

const MATTER: &str = r#"format = 2
matter = "demo"
version = "1"
effective_from = "2024-01-01"
name = { zh = "示例", en = "Demo" }
department = { zh = "部门", en = "Department" }
legal_basis = "《示例条例》第一条"
case_type = "promised"
applicant_kinds = ["enterprise_legal_person"]
statutory_limit = { value = 20, unit = "working_days" }
promised_limit = { value = 10, unit = "working_days" }
online_cutoff = "17:00"

[[refusals]]
id = "province"
when = { all = [{ field = "scale", equals = "large" }, { field = "hazardous", equals = true }] }
reason = { zh = "大型危险品项目由省级部门许可", en = "Large hazardous projects are licensed by the province" }
basis = "《示例条例》第九条"
refer_to = { zh = "省级主管部门", en = "the provincial department" }

[[fields]]
id = "scale"
label = { zh = "规模", en = "Scale" }
type = "choice"
required = true
options = [{ id = "small", label = { zh = "小型", en = "Small" } }, { id = "large", label = { zh = "大型", en = "Large" } }]

[[fields]]
id = "hazardous"
label = { zh = "是否涉及危险品", en = "Hazardous goods" }
type = "boolean"
required = true

[[fields]]
id = "has_branch"
label = { zh = "是否设分支机构", en = "Has branches" }
type = "boolean"

[[materials]]
id = "form"
name = { zh = "申请表", en = "Form" }
key = true
basis = "第二条"

[[materials]]
id = "a"
name = { zh = "甲证明", en = "Proof A" }
key = false
basis = "第三条"

[[materials]]
id = "b"
name = { zh = "乙证明", en = "Proof B" }
key = false
basis = "第三条"

[[materials]]
id = "c"
name = { zh = "丙证明", en = "Proof C" }
key = false
basis = "第三条"

[[materials]]
id = "branch_x"
name = { zh = "分支机构名单", en = "List of branches" }
key = false
basis = "第四条"

[[materials]]
id = "branch_y"
name = { zh = "分支机构负责人证明", en = "Branch managers' proof" }
key = false
basis = "第四条"

[[material_groups]]
id = "two_of_three"
name = { zh = "资质证明", en = "Qualification proofs" }
members = ["a", "b", "c"]
at_least = 2
basis = "第三条"

[[material_groups]]
id = "branch"
name = { zh = "分支机构证明", en = "Branch proof" }
members = ["branch_x", "branch_y"]
when = { field = "has_branch", equals = true }
basis = "第四条"
"#;

const CALENDAR: &str = r#"year = 2026
notice = "通知"
holidays = [{ name = { zh = "元旦", en = "New Year" }, from = "2026-01-01", to = "2026-01-03" }]
make_up_workdays = [{ date = "2026-01-04", for = "元旦" }]
"#;

fn engine() -> Engine {
    Engine::from_sources(&[
        SourceFile {
            path: "matters/demo/1.toml".into(),
            text: MATTER.into(),
        },
        SourceFile {
            path: "calendar/2026.toml".into(),
            text: CALENDAR.into(),
        },
    ])
    .expect("the demo rules compile")
}

fn check(fields: Value, materials: &[&str], channel: &str, at: &str) -> Value {
    let materials: serde_json::Map<String, Value> = materials
        .iter()
        .map(|m| (m.to_string(), json!({ "status": "provided" })))
        .collect();
    let submission = json!({
        "applicant": { "kind": "enterprise_legal_person" },
        "channel": channel,
        "received_at": at,
        "fields": fields,
        "materials": materials,
    });
    let out = engine()
        .check_json("demo", &submission.to_string(), None)
        .expect("a verdict");
    serde_json::from_str(&out).unwrap()
}

fn codes(v: &Value) -> Vec<&str> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect()
}

const MONDAY: &str = "2026-03-02T09:30:00+08:00";

fn small() -> Value {
    json!({ "scale": "small", "hazardous": false, "has_branch": false })
}

#[test]
fn at_least_two_of_three() {
    let one = check(small(), &["form", "a"], "window", MONDAY);
    assert_eq!(one["outcome"], "correction_required");
    assert_eq!(codes(&one), ["material_group_unsatisfied"]);
    let message = one["findings"][0]["message"]["zh"].as_str().unwrap();
    assert!(message.contains("以下材料中至少 2 项"), "{message}");
    assert!(
        message.contains("“甲证明”") && message.contains("“丙证明”"),
        "{message}"
    );
    assert_eq!(one["findings"][0]["alternatives"], json!(["a", "b", "c"]));
    for pair in [["a", "b"], ["a", "c"], ["b", "c"]] {
        let two = check(small(), &["form", pair[0], pair[1]], "window", MONDAY);
        assert_eq!(two["outcome"], "accept", "{pair:?}");
    }
}

#[test]
fn a_group_whose_condition_is_unanswered_is_told_conditionally() {
    let fields = json!({ "scale": "small", "hazardous": false });
    let v = check(fields, &["form", "a", "b"], "window", MONDAY);
    // has_branch is optional and blank: the group's condition is unknown, told, not blocking.
    assert_eq!(v["outcome"], "accept");
    assert_eq!(codes(&v), ["material_conditional"]);
    assert_eq!(v["findings"][0]["target"]["kind"], "material_group");
    let zh = v["findings"][0]["message"]["zh"].as_str().unwrap();
    assert!(
        zh.starts_with("如“是否设分支机构”为“是”，还须提交“分支机构证明”"),
        "{zh}"
    );
    let branch_state = &v["checklist"]["materials"][4];
    assert_eq!(branch_state["applies"], "unknown");
    assert_eq!(branch_state["group"], "branch");
    // Answered yes: now required, one of the two.
    let yes = json!({ "scale": "small", "hazardous": false, "has_branch": true });
    let v = check(yes.clone(), &["form", "a", "b"], "window", MONDAY);
    assert_eq!(codes(&v), ["material_group_unsatisfied"]);
    let v = check(yes, &["form", "a", "b", "branch_y"], "window", MONDAY);
    assert_eq!(v["outcome"], "accept");
}

#[test]
fn a_refusal_needs_all_its_facts() {
    let large =
        |hazardous: Value| json!({ "scale": "large", "hazardous": hazardous, "has_branch": false });
    let refused = check(large(json!(true)), &["form", "a", "b"], "window", MONDAY);
    assert_eq!(refused["outcome"], "not_accepted");
    assert_eq!(codes(&refused), ["refused_by_facts"]);
    assert_eq!(
        refused["findings"][0]["message"]["en"],
        "The application is not accepted: large hazardous projects are licensed by the province. Apply to the provincial department instead."
    );
    let not_hazardous = check(large(json!(false)), &["form", "a", "b"], "window", MONDAY);
    assert_eq!(not_hazardous["outcome"], "accept");
    // Unanswered: the refusal is unknown, nothing is refused yet (the branch group, whose field
    // is blank too, is told conditionally).
    let unanswered = check(
        json!({ "scale": "large" }),
        &["form", "a", "b"],
        "window",
        MONDAY,
    );
    assert_eq!(unanswered["outcome"], "correction_required");
    assert_eq!(
        codes(&unanswered),
        ["field_missing", "material_conditional"]
    );
}

#[test]
fn the_online_cutoff_decides_the_acceptance_day() {
    let at = |time: &str| format!("2026-03-02T{time}+08:00");
    let day = |time: &str, channel: &str| {
        check(small(), &["form", "a", "b"], channel, &at(time))["deadlines"]["accepted_on"].clone()
    };
    assert_eq!(day("16:59:59", "online"), "2026-03-02");
    assert_eq!(day("17:00:00", "online"), "2026-03-03");
    assert_eq!(day("23:00:00", "window"), "2026-03-02");
    // Received in another offset: the cut-off is China time (08:59 UTC = 16:59 in Beijing).
    let utc = check(
        small(),
        &["form", "a", "b"],
        "online",
        "2026-03-02T08:59:00Z",
    );
    assert_eq!(utc["deadlines"]["accepted_on"], "2026-03-02");
    assert_eq!(utc["deadlines"]["online_cutoff"], "17:00");
}
