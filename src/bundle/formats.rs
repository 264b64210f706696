//! Formats: the `format` a file declares (the check that keeps a format-1 file loading
//! unchanged) and the keys formats 2 and 3 add, which real matters need beyond the original
//! format — refusals by facts, alternative materials, shared data, 告知承诺, never-tolerable
//! materials, joint and forwarded handling, integer and receipt-relative date fields — compiled,
//! with their lints.

// Without `whole` (the page module) the lint-only checks below are left out.
#![cfg_attr(not(feature = "whole"), allow(unused_imports, dead_code))]

use std::collections::HashMap;

use super::checks::{check_limit, describe_en, describe_zh, is_identifier, surely_longer};
use super::condition::compile_condition;
use super::report::Reporter;
use super::{Cond, LintCode};
use crate::model::{
    CaseType, FieldKind, LimitUnit, MaterialForm, MaterialSource, MatterFile, Medium, SharingKind,
    TimeLimit,
};

/// The newest matter-file format this engine reads.
pub const FORMAT_MAX: u32 = 3;
/// The newest calendar-file format (format 3 added nothing to calendars).
pub(super) const CALENDAR_FORMAT_MAX: u32 = 2;

/// 行政许可法 §42(2): joint handling (§26) takes at most 45 days, extendable by 15; days are
/// working days (§82).
const JOINT_LIMIT: TimeLimit = TimeLimit {
    value: 45,
    unit: LimitUnit::WorkingDays,
};
const JOINT_EXTENSION: TimeLimit = TimeLimit {
    value: 15,
    unit: LimitUnit::WorkingDays,
};

/// What format 2 compiles: each refusal's condition, each group's condition and members, and
/// each material's group.
#[derive(Debug, Clone, Default)]
pub(crate) struct Compiled {
    pub refusals: Vec<Cond>,
    pub group_when: Vec<Option<Cond>>,
    /// Member material positions, per group.
    pub group_members: Vec<Vec<usize>>,
    /// The group a material belongs to, per material.
    pub group_of: Vec<Option<usize>>,
    pub online_cutoff: Option<chrono::NaiveTime>,
}

/// Checks the format-2 keys and compiles them (`fields`: every field id, by position).
pub(super) fn compile(
    reporter: &mut Reporter<'_>,
    rule: &MatterFile,
    fields: &HashMap<String, usize>,
    materials: &HashMap<String, usize>,
) -> Compiled {
    check_format(reporter, rule);
    // Lint-only checks (nothing compiled from them) run where rules are linted (`whole`); the
    // page module loads only signed bundles, linted before signing (its size budget, docs/wasm.md).
    #[cfg(feature = "whole")]
    {
        check_material_keys(reporter, rule);
        check_case_type(reporter, rule);
    }
    let refusals = compile_refusals(reporter, rule, fields);
    let mut compiled = Compiled {
        refusals,
        online_cutoff: rule
            .online_cutoff
            .as_deref()
            .and_then(|text| parse_cutoff(reporter, text)),
        group_of: vec![None; rule.materials.len()],
        ..Compiled::default()
    };
    compile_groups(reporter, rule, fields, materials, &mut compiled);
    compiled
}

/// The first format-2 key a file uses, as a JSON pointer and its name.
fn first_v2_key(rule: &MatterFile) -> Option<(String, &'static str)> {
    let top = [
        (!rule.refusals.is_empty(), "/refusals", "refusals"),
        (
            !rule.material_groups.is_empty(),
            "/material_groups",
            "material_groups",
        ),
        (rule.joint.is_some(), "/joint", "joint"),
        (rule.forwarding.is_some(), "/forwarding", "forwarding"),
        (
            rule.online_cutoff.is_some(),
            "/online_cutoff",
            "online_cutoff",
        ),
    ];
    if let Some((_, at, name)) = top.into_iter().find(|(used, _, _)| *used) {
        return Some((at.to_string(), name));
    }
    for (i, field) in rule.fields.iter().enumerate() {
        let keys = [
            (
                field.kind == FieldKind::Integer,
                "type",
                "type = \"integer\"",
            ),
            (
                field.not_after_receipt,
                "not_after_receipt",
                "not_after_receipt",
            ),
            (
                field.min_years_before_receipt.is_some(),
                "min_years_before_receipt",
                "min_years_before_receipt",
            ),
        ];
        if let Some((_, key, name)) = keys.into_iter().find(|(used, _, _)| *used) {
            return Some((format!("/fields/{i}/{key}"), name));
        }
    }
    for (i, material) in rule.materials.iter().enumerate() {
        let keys = [
            (material.sharing.is_some(), "sharing"),
            (material.commitment.is_some(), "commitment"),
            (material.never_tolerable, "never_tolerable"),
            (material.original_handling.is_some(), "original_handling"),
            (
                !material.electronic_channels.is_empty(),
                "electronic_channels",
            ),
        ];
        if let Some((_, key)) = keys.into_iter().find(|(used, _)| *used) {
            return Some((format!("/materials/{i}/{key}"), key));
        }
    }
    None
}

/// Whether a file's `format` (absent: 1) is one this engine reads; reports it if not.
pub(super) fn check_format_value(
    reporter: &mut Reporter<'_>,
    format: Option<u32>,
    max: u32,
) -> bool {
    let format = format.unwrap_or(1);
    let known = (1..=max).contains(&format);
    if !known {
        reporter.at(
            "/format",
            LintCode::UnsupportedFormat,
            format!("规则文件格式 {format} 不受支持：本引擎读取格式 1 至 {max} / rule-file format {format} is not supported: this engine reads formats 1 to {max}"),
        );
    }
    known
}

/// `format`: 1 (or absent) or 2; a format-2 key needs `format = 2`.
fn check_format(reporter: &mut Reporter<'_>, rule: &MatterFile) {
    let format = rule.format.unwrap_or(1);
    if !check_format_value(reporter, rule.format, FORMAT_MAX) {
        return;
    }
    let newer = match format {
        1 => first_v2_key(rule).map(|(at, name)| (at, name, 2)),
        _ => None,
    };
    // Format 3 is checked where rules are linted (`whole`): the page module loads only signed
    // bundles, linted before signing.
    #[cfg(feature = "whole")]
    let newer = newer.or_else(|| (format < 3).then(|| first_v3_key(rule)).flatten());
    if let Some((at, name, needs)) = newer {
        reporter.at(
            &at,
            LintCode::FormatTooOld,
            format!("“{name}”属于规则文件格式 {needs}：在文件开头写 format = {needs} / `{name}` belongs to rule-file format {needs}: write format = {needs} at the top of the file"),
        );
    }
    #[cfg(feature = "whole")]
    if format >= 3 {
        check_addressee(reporter, rule);
    }
}

#[cfg(feature = "whole")]
/// The first format-3 key a file uses, as a JSON pointer, its name and the format (3).
fn first_v3_key(rule: &MatterFile) -> Option<(String, &'static str, u32)> {
    if rule.addressee.is_some() {
        return Some(("/addressee".into(), "addressee", 3));
    }
    if !rule.contact_fields.is_empty() {
        return Some(("/contact_fields".into(), "contact_fields", 3));
    }
    let verify = rule.materials.iter().position(|m| {
        m.commitment
            .as_ref()
            .is_some_and(|c| c.verify_within.is_some())
    })?;
    Some((
        format!("/materials/{verify}/commitment/verify_within"),
        "verify_within",
        3,
    ))
}

#[cfg(feature = "whole")]
/// Format 3: every document names its addressee, from the field `addressee` names; contact
/// fields name fields the matter has.
fn check_addressee(reporter: &mut Reporter<'_>, rule: &MatterFile) {
    let known = |id: &str| rule.fields.iter().any(|f| f.id == id);
    match rule.addressee.as_deref() {
        Some(id) if known(id) => {}
        Some(id) => reporter.at("/addressee", LintCode::AddresseeMissing, format!("addressee 指向不存在的字段“{id}”：写该事项中填写申请人名称的字段 id / addressee names no field “{id}”: name the field that holds the applicant's name")),
        None => reporter.at("/format", LintCode::AddresseeMissing, "规则文件未写明主送对象：加上 addressee = \"填写申请人名称的字段 id\"，否则每份文书都印“（申请人名称未填写）” / the rule file does not name its addressee: add addressee = \"<the field holding the applicant's name>\", or every document prints “(applicant's name not given)”".into()),
    }
    for (i, id) in rule.contact_fields.iter().enumerate() {
        if !known(id) {
            reporter.at(
                &format!("/contact_fields/{i}"),
                LintCode::AddresseeMissing,
                format!(
                    "contact_fields 指向不存在的字段“{id}” / contact_fields names no field “{id}”"
                ),
            );
        }
    }
}

#[cfg(feature = "whole")]
/// Per material: sharing marked either way, commitments and tolerance kept off what may never
/// be tolerated.
fn check_material_keys(reporter: &mut Reporter<'_>, rule: &MatterFile) {
    for (i, material) in rule.materials.iter().enumerate() {
        let at = format!("/materials/{i}");
        if material.never_tolerable && material.tolerable {
            reporter.at(&format!("{at}/tolerable"), LintCode::TolerableNeverTolerable, "该材料标为 never_tolerable（安全、环保类必备材料），不得容缺：删去 tolerable = true / this material is marked never_tolerable (a safety or environmental material) and may not be tolerated: remove tolerable = true".into());
        }
        if material.commitment.is_some() && (material.key || material.never_tolerable) {
            reporter.at(&format!("{at}/commitment"), LintCode::CommitmentNotAllowed, "主件和安全、环保类必备材料不适用告知承诺（国办发〔2020〕42号：直接涉及国家安全、公共安全、生态环境保护和人身健康、生命财产安全的除外）：删去 commitment / key materials and safety or environmental materials cannot be replaced by a commitment (国办发〔2020〕42号 excludes matters of national and public security, the environment, health and life): remove commitment".into());
        }
        if material.commitment.is_some() && material.tolerable {
            reporter.at(&format!("{at}/commitment"), LintCode::CommitmentNotAllowed, "告知承诺与容缺二选一：承诺后材料不再提交，容缺则仍须补交 / a material is either replaced by a commitment (never supplied) or tolerated (still owed), not both: remove one".into());
        }
        if material.original_handling.is_some() && material.form == MaterialForm::Copy {
            reporter.at(&format!("{at}/original_handling"), LintCode::AttributeNotApplicable, "original_handling 说明原件如何处理，而该材料只收复印件（form = \"copy\"） / original_handling says what happens to an original, but this material is taken as a copy only (form = \"copy\")".into());
        }
        if !material.electronic_channels.is_empty() && material.medium == Medium::Paper {
            reporter.at(&format!("{at}/electronic_channels"), LintCode::AttributeNotApplicable, "electronic_channels 说明哪些渠道接受电子材料，而该材料只收纸质（medium = \"paper\"） / electronic_channels says where an electronic copy is accepted, but this material is paper only (medium = \"paper\")".into());
        }
        match &material.sharing {
            None if material.source == MaterialSource::IssuingDepartment => {
                reporter.at(&format!("{at}/source"), LintCode::SharingUnmarked, "政府部门核发的材料未说明能否通过数据共享或电子证照获取：加上 sharing = { by = \"electronic_licence\", system = { zh = \"…\", en = \"…\" } }，或 sharing = { by = \"none\" } / a material issued by a department does not say whether the office can obtain it by data sharing or from the electronic licence system: add sharing = { by = \"electronic_licence\", system = … }, or sharing = { by = \"none\" }".into());
            }
            Some(sharing) if (sharing.by == SharingKind::None) != sharing.system.is_none() => {
                reporter.at(&format!("{at}/sharing"), LintCode::InvalidValue, "sharing：by 为 data_sharing 或 electronic_licence 时须写明来源系统 system，by = \"none\" 时不写 / sharing needs a source `system` when by is data_sharing or electronic_licence, and none when by = \"none\"".into());
            }
            _ => {}
        }
    }
}

#[cfg(feature = "whole")]
/// 联办件 and 上报件: their details present exactly on their case type; §42(2)'s joint limit.
fn check_case_type(reporter: &mut Reporter<'_>, rule: &MatterFile) {
    let v2 = rule.format.unwrap_or(1) >= 2;
    let joint = rule.case_type == CaseType::Joint;
    let forwarded = rule.case_type == CaseType::Forwarded;
    if rule.joint.is_some() != joint && (v2 || rule.joint.is_some()) {
        reporter.at(if joint { "/case_type" } else { "/joint" }, LintCode::CaseTypeDetails, "联办件（case_type = \"joint\"）须有 [joint]（牵头部门 lead 和协办部门 co_handling），其他办件类型不得有 / a joint matter needs [joint] (lead and co_handling departments), and only a joint matter may have it".into());
    }
    if rule.forwarding.is_some() != forwarded && (v2 || rule.forwarding.is_some()) {
        reporter.at(if forwarded { "/case_type" } else { "/forwarding" }, LintCode::CaseTypeDetails, "上报件（case_type = \"forwarded\"）须有 [forwarding]（决定机关、报送期限和上级时限），其他办件类型不得有 / a forwarded matter needs [forwarding] (the deciding authority, the forwarding deadline and its limit), and only a forwarded matter may have it".into());
    }
    if let Some(details) = &rule.joint
        && details.co_handling.is_empty()
    {
        reporter.at(
            "/joint/co_handling",
            LintCode::CaseTypeDetails,
            "联办件至少列出一个协办部门 / a joint matter lists at least one co-handling department"
                .into(),
        );
    }
    if let Some(forwarding) = &rule.forwarding {
        check_limit(
            reporter,
            "/forwarding/forward_within",
            forwarding.forward_within,
        );
        check_limit(
            reporter,
            "/forwarding/authority_limit",
            forwarding.authority_limit,
        );
        if surely_longer(forwarding.forward_within, rule.statutory_limit) {
            reporter.at("/forwarding/forward_within", LintCode::PromisedExceedsStatutory, "报送期限晚于本机关的法定时限届满 / the forwarding deadline ends after the office's statutory limit".into());
        }
    }
    if joint {
        check_joint_limits(reporter, rule);
    }
}

#[cfg(feature = "whole")]
fn check_joint_limits(reporter: &mut Reporter<'_>, rule: &MatterFile) {
    for (at, limit, most) in [
        ("/statutory_limit", Some(rule.statutory_limit), JOINT_LIMIT),
        (
            "/statutory_extension",
            rule.statutory_extension,
            JOINT_EXTENSION,
        ),
    ] {
        if let Some(limit) = limit
            && surely_longer(limit, most)
        {
            reporter.at(at, LintCode::JointLimitExceeded, format!("联合办理、集中办理的时限不得超过 45 日，经本级人民政府负责人批准可延长 15 日（行政许可法第四十二条第二款）：{}超过{} / joint or centralised handling takes at most 45 days, extendable by 15 with approval (Administrative Licensing Law §42(2)): {} exceeds {}", describe_zh(limit), describe_zh(most), describe_en(limit), describe_en(most)));
        }
    }
}

fn compile_refusals(
    reporter: &mut Reporter<'_>,
    rule: &MatterFile,
    fields: &HashMap<String, usize>,
) -> Vec<Cond> {
    let mut ids = HashMap::new();
    let mut compiled = Vec::with_capacity(rule.refusals.len());
    for (i, refusal) in rule.refusals.iter().enumerate() {
        let at = format!("/refusals/{i}");
        check_id(reporter, &at, &refusal.id, &mut ids, "拒绝规则 / refusal");
        if let Some(cond) =
            compile_condition(reporter, &format!("{at}/when"), &refusal.when, rule, fields)
        {
            compiled.push(cond);
        }
    }
    compiled
}

fn check_id(
    reporter: &mut Reporter<'_>,
    at: &str,
    id: &str,
    seen: &mut HashMap<String, usize>,
    what: &str,
) {
    if !is_identifier(id) {
        reporter.at(
            &format!("{at}/id"),
            LintCode::InvalidId,
            format!("{what} id“{id}”应为小写字母、数字和下划线 / must be lower_snake_case ASCII"),
        );
    }
    if seen.insert(id.to_string(), 0).is_some() {
        reporter.at(
            &format!("{at}/id"),
            LintCode::DuplicateId,
            format!("{what} id“{id}”重复 / duplicate id `{id}`"),
        );
    }
}

fn compile_groups(
    reporter: &mut Reporter<'_>,
    rule: &MatterFile,
    fields: &HashMap<String, usize>,
    materials: &HashMap<String, usize>,
    compiled: &mut Compiled,
) {
    let mut ids = HashMap::new();
    for (g, group) in rule.material_groups.iter().enumerate() {
        let at = format!("/material_groups/{g}");
        check_id(
            reporter,
            &at,
            &group.id,
            &mut ids,
            "材料组 / material group",
        );
        let members = group_members(reporter, rule, &at, g, materials, compiled);
        // Counted as declared: a member rejected above is reported once, there.
        let (declared, needed) = (group.members.len(), group.at_least);
        if declared < 2 || needed == 0 || usize::try_from(needed).unwrap_or(usize::MAX) > declared {
            reporter.at(&at, LintCode::InvalidMaterialGroup, format!("材料组至少要有 2 个成员，且 1 ≤ at_least ≤ 成员数（现为 {declared} 个成员，at_least = {needed}） / a group needs at least 2 members and 1 ≤ at_least ≤ the number of members ({declared} members, at_least = {needed})"));
        }
        let when = group
            .when
            .as_ref()
            .and_then(|c| compile_condition(reporter, &format!("{at}/when"), c, rule, fields));
        compiled.group_when.push(when);
        compiled.group_members.push(members);
    }
}

/// A group's members: known materials, in no other group, without their own condition, all
/// key or all not, none tolerable.
fn group_members(
    reporter: &mut Reporter<'_>,
    rule: &MatterFile,
    at: &str,
    g: usize,
    materials: &HashMap<String, usize>,
    compiled: &mut Compiled,
) -> Vec<usize> {
    let group = &rule.material_groups[g];
    let mut members = Vec::new();
    for (j, id) in group.members.iter().enumerate() {
        let pointer = format!("{at}/members/{j}");
        let Some(&m) = materials.get(id) else {
            reporter.at(
                &pointer,
                LintCode::InvalidMaterialGroup,
                format!(
                    "材料组引用了不存在的材料“{id}” / the group names an unknown material `{id}`"
                ),
            );
            continue;
        };
        let material = &rule.materials[m];
        let problem = if compiled.group_of[m].is_some() {
            Some("已属于另一个材料组 / is already in another group")
        } else if material.when.is_some() {
            Some(
                "成员不能有自己的 when，请把条件写在材料组上 / a member may not have its own `when`; put the condition on the group",
            )
        } else if material.tolerable || material.commitment.is_some() {
            Some(
                "成员不能容缺或告知承诺 / a member may not be tolerable or replaced by a commitment",
            )
        } else if material.key != rule.materials[members.first().copied().unwrap_or(m)].key {
            Some("成员须同为主件或同为非主件 / members must all be key materials or all not")
        } else {
            None
        };
        if let Some(problem) = problem {
            reporter.at(
                &pointer,
                LintCode::InvalidMaterialGroup,
                format!("材料“{id}”{problem}"),
            );
            continue;
        }
        compiled.group_of[m] = Some(g);
        members.push(m);
    }
    members
}

/// `online_cutoff`: `HH:MM`, 00:00–23:59.
fn parse_cutoff(reporter: &mut Reporter<'_>, text: &str) -> Option<chrono::NaiveTime> {
    // By hand: chrono's format parser would add tens of kilobytes to the wasm module.
    let digits = |range: std::ops::Range<usize>| {
        text.get(range)
            .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse::<u32>().ok())
    };
    let parsed = match (
        text.len(),
        text.as_bytes().get(2),
        digits(0..2),
        digits(3..5),
    ) {
        (5, Some(b':'), Some(hour), Some(minute)) => {
            chrono::NaiveTime::from_hms_opt(hour, minute, 0)
        }
        _ => None,
    };
    if parsed.is_none() {
        reporter.at("/online_cutoff", LintCode::InvalidTime, format!("网上申请截止时间“{text}”无效，请写成 HH:MM，例如 \"17:00\" / the online cut-off “{text}” is not valid: write HH:MM, e.g. \"17:00\""));
    }
    parsed
}
