//! The case after acceptance, to its end: 审查, 特别程序 (§45), 延期 (§42), 决定 (§38), 送达 (§44)
//! and 办结 — every legal transition as one pure function, [`step`], and the case clock
//! ([`clock::case_clock`]): the dues after pauses and extensions, the days left, each step's
//! own limit, and the 电子监察 lamp. The server stores what these return; it decides nothing.
//!
//! The law each rule follows (行政许可法):
//! - §42: decide within the statutory limit from acceptance (a 容缺受理 is a 受理); one
//!   extension, with the office head's approval, the applicant told the reason in writing.
//!   §82: the office's periods count working days.
//! - §45: time for 听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审 (and 现场踏勘, where a rule
//!   requires it) is not counted; the applicant is told the time needed in writing.
//! - §38: a refusal states its reasons and the rights to 行政复议 and 行政诉讼.
//! - §44: the decision is served within 10 days of being made.
//! - §§47–48: a hearing is requested within 5 days of being told of the right, held within 20
//!   days of the request, the time and place notified 7 days before.
//! - 容缺受理 (the centre profile's `pledge_gate`): while pledged items are outstanding a case is
//!   not decided (or its licence is not issued: 容缺后补、补齐出证); a terminated pledge ends it.

pub mod clock;
pub mod documents;

use serde::{Deserialize, Serialize};

use crate::model::Text;

/// Where a case is after acceptance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum CaseStage {
    /// Nothing accepted yet: no clock runs and no step but acceptance applies.
    #[default]
    Received,
    /// 受理 (or 容缺受理): the statutory clock runs.
    Accepted,
    /// 审查: an assignee reviews it.
    Reviewing,
    /// 特别程序 (§45): the clock stops.
    SpecialProcedure,
    /// 中止: a pledge broken (an item overdue); the clock stops until the items arrive.
    Suspended,
    /// 准予行政许可决定 made.
    Granted,
    /// 不予行政许可决定 made.
    Denied,
    /// 送达 (§44): the decision served.
    Served,
    /// 办结.
    Closed,
    /// 终止: the pledge was not kept.
    Terminated,
}

impl CaseStage {
    /// Every stage, in order.
    pub const ALL: [CaseStage; 10] = [
        Self::Received,
        Self::Accepted,
        Self::Reviewing,
        Self::SpecialProcedure,
        Self::Suspended,
        Self::Granted,
        Self::Denied,
        Self::Served,
        Self::Closed,
        Self::Terminated,
    ];

    /// The serde name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Accepted => "accepted",
            Self::Reviewing => "reviewing",
            Self::SpecialProcedure => "special_procedure",
            Self::Suspended => "suspended",
            Self::Granted => "granted",
            Self::Denied => "denied",
            Self::Served => "served",
            Self::Closed => "closed",
            Self::Terminated => "terminated",
        }
    }

    /// A decision has been made (the decision clock has stopped for good).
    pub fn decided(self) -> bool {
        matches!(
            self,
            Self::Granted | Self::Denied | Self::Served | Self::Closed
        )
    }

    /// 办结 or 终止: nothing more happens.
    pub fn finished(self) -> bool {
        matches!(self, Self::Closed | Self::Terminated)
    }

    pub fn label(self) -> Text {
        let (zh, en) = match self {
            Self::Received => ("已收件", "received"),
            Self::Accepted => ("已受理", "accepted"),
            Self::Reviewing => ("审查中", "under review"),
            Self::SpecialProcedure => ("特别程序", "special procedure"),
            Self::Suspended => ("中止", "suspended"),
            Self::Granted => ("准予许可", "granted"),
            Self::Denied => ("不予许可", "refused"),
            Self::Served => ("已送达", "served"),
            Self::Closed => ("已办结", "closed"),
            Self::Terminated => ("已终止", "terminated"),
        };
        crate::messages::text(zh, en)
    }
}

/// The procedures of §45 whose time is not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum SpecialProcedure {
    /// 听证 (§§46–48).
    Hearing,
    /// 检验.
    Inspection,
    /// 检测.
    Testing,
    /// 检疫.
    Quarantine,
    /// 鉴定.
    Appraisal,
    /// 专家评审.
    ExpertReview,
    /// 现场踏勘 (where the matter's rules require a site survey).
    SiteSurvey,
}

impl SpecialProcedure {
    /// Every procedure, in the order §45 names them.
    pub const ALL: [SpecialProcedure; 7] = [
        Self::Hearing,
        Self::Inspection,
        Self::Testing,
        Self::Quarantine,
        Self::Appraisal,
        Self::ExpertReview,
        Self::SiteSurvey,
    ];

    pub fn label(self) -> Text {
        let (zh, en) = match self {
            Self::Hearing => ("听证", "hearing"),
            Self::Inspection => ("检验", "inspection"),
            Self::Testing => ("检测", "testing"),
            Self::Quarantine => ("检疫", "quarantine"),
            Self::Appraisal => ("鉴定", "appraisal"),
            Self::ExpertReview => ("专家评审", "expert review"),
            Self::SiteSurvey => ("现场踏勘", "site survey"),
        };
        crate::messages::text(zh, en)
    }
}

/// How a decision was served (送达).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum ServiceMethod {
    /// 直接送达 (at the window).
    InPerson,
    /// 邮寄送达.
    Post,
    /// 电子送达 (with the applicant's consent).
    Electronic,
    /// 委托送达.
    Entrusted,
    /// 公告送达.
    Public,
}

impl ServiceMethod {
    /// Every way of service.
    pub const ALL: [ServiceMethod; 5] = [
        Self::InPerson,
        Self::Post,
        Self::Electronic,
        Self::Entrusted,
        Self::Public,
    ];

    pub fn label(self) -> Text {
        let (zh, en) = match self {
            Self::InPerson => ("直接送达", "in person"),
            Self::Post => ("邮寄送达", "by post"),
            Self::Electronic => ("电子送达", "electronically"),
            Self::Entrusted => ("委托送达", "through an agent"),
            Self::Public => ("公告送达", "by public notice"),
        };
        crate::messages::text(zh, en)
    }
}

/// What a centre does with a 容缺 case while pledged items are outstanding (centre profile).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PledgeGate {
    /// 容缺后补: no decision until every pledged item is supplied.
    #[default]
    Decision,
    /// 补齐出证: the decision may be made, the licence is not issued (served) until then.
    Issue,
}

/// One thing that happened to a case. The `on` date of its [`CaseRecord`] is when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum CaseEvent {
    /// 受理 (`pledged`: 容缺受理, items owed).
    Accepted {
        #[serde(default)]
        pledged: bool,
    },
    /// 审查 started, or handed to another assignee.
    ReviewStarted { assignee: String },
    /// The applicant told of the right to a hearing (§47): the 5-day request window opens.
    HearingOffered,
    /// 特别程序 started (§45): the clock stops.
    SpecialStarted {
        procedure: SpecialProcedure,
        reason: String,
        /// The time needed, in working days, told to the applicant.
        planned_days: u32,
        approver: String,
        /// A hearing's date, when set (the notice is due 7 days before, §48).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "wasm", tsify(optional))]
        hearing_on: Option<String>,
    },
    /// 特别程序 ended: the clock runs again.
    SpecialEnded,
    /// 延期 (§42) approved.
    Extended { approver: String, reason: String },
    /// Every pledged item supplied or waived.
    PledgeKept,
    /// A pledged item overdue: the case is suspended (中止).
    PledgeSuspended,
    /// The items arrived in the resume window: the case goes on.
    PledgeResumed,
    /// The pledge was not kept: the case ends (终止).
    PledgeTerminated,
    /// 决定: granted, or refused with reasons (§38).
    Decided {
        granted: bool,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        #[cfg_attr(feature = "wasm", tsify(optional))]
        reasons: Vec<String>,
    },
    /// 送达 (§44).
    Served { method: ServiceMethod },
    /// 办结.
    Closed,
}

impl CaseEvent {
    /// What a person calls the step.
    pub fn label(&self) -> Text {
        let (zh, en) = match self {
            Self::Accepted { pledged: false } => ("受理", "accepted"),
            Self::Accepted { pledged: true } => ("容缺受理", "accepted on a pledge"),
            Self::ReviewStarted { .. } => ("审查", "review"),
            Self::HearingOffered => ("告知听证权利", "hearing offered"),
            Self::SpecialStarted { .. } => ("特别程序开始", "special procedure started"),
            Self::SpecialEnded => ("特别程序结束", "special procedure ended"),
            Self::Extended { .. } => ("延期", "extended"),
            Self::PledgeKept => ("容缺材料补齐", "pledged materials supplied"),
            Self::PledgeSuspended => ("中止", "suspended"),
            Self::PledgeResumed => ("恢复办理", "resumed"),
            Self::PledgeTerminated => ("终止", "terminated"),
            Self::Decided { granted: true, .. } => ("准予许可决定", "decision: granted"),
            Self::Decided { granted: false, .. } => ("不予许可决定", "decision: refused"),
            Self::Served { .. } => ("送达", "served"),
            Self::Closed => ("办结", "closed"),
        };
        crate::messages::text(zh, en)
    }

    /// The serde tag, e.g. `special_started`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Accepted { .. } => "accepted",
            Self::ReviewStarted { .. } => "review_started",
            Self::HearingOffered => "hearing_offered",
            Self::SpecialStarted { .. } => "special_started",
            Self::SpecialEnded => "special_ended",
            Self::Extended { .. } => "extended",
            Self::PledgeKept => "pledge_kept",
            Self::PledgeSuspended => "pledge_suspended",
            Self::PledgeResumed => "pledge_resumed",
            Self::PledgeTerminated => "pledge_terminated",
            Self::Decided { .. } => "decided",
            Self::Served { .. } => "served",
            Self::Closed => "closed",
        }
    }
}

/// An event and its day (`YYYY-MM-DD`, China time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct CaseRecord {
    pub on: String,
    #[serde(flatten)]
    pub event: CaseEvent,
}

/// Where a case's pledge stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum PledgeStanding {
    /// Not a 容缺 case.
    #[default]
    None,
    /// Items owed.
    Outstanding,
    /// Every item supplied or waived.
    Kept,
}

/// What a transition reads besides the stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepFacts {
    pub pledge: PledgeStanding,
    /// The centre profile's rule for a case with items outstanding.
    pub gate: PledgeGate,
    /// The matter has a statutory extension (`statutory_extension`).
    pub extension_allowed: bool,
    /// An extension was already granted.
    pub extended: bool,
    /// The event's day is after the statutory due (too late to extend).
    pub past_statutory_due: bool,
}

/// What a transition does besides changing the stage (the event itself is always recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// The decision clock stops (§45, 中止).
    StopClock,
    /// It runs again.
    StartClock,
    /// A document to issue.
    Issue(documents::CaseDocumentKind),
}

/// Why an event does not apply: a stable code and a message for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum StepRefusal {
    /// Nothing accepted yet (a pause, a decision before 受理).
    NotAccepted,
    /// The case has been accepted already.
    AlreadyAccepted,
    /// The event does not apply at this stage.
    WrongStage,
    /// 办结 or 终止: nothing more happens.
    Finished,
    /// The matter has no statutory extension.
    NoExtension,
    /// §42 allows one extension.
    AlreadyExtended,
    /// An extension is decided within the statutory period.
    ExtensionTooLate,
    /// 容缺后补: no decision while pledged items are outstanding.
    PledgeOutstanding,
    /// 补齐出证: no licence served while pledged items are outstanding.
    LicenceWithheld,
    /// §38: a refusal states its reasons.
    ReasonsMissing,
    /// A pledge event on a case without a pledge.
    NoPledge,
    /// An assignee, approver or reason left blank.
    Blank,
}

impl StepRefusal {
    /// The serde name.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotAccepted => "not_accepted",
            Self::AlreadyAccepted => "already_accepted",
            Self::WrongStage => "wrong_stage",
            Self::Finished => "finished",
            Self::NoExtension => "no_extension",
            Self::AlreadyExtended => "already_extended",
            Self::ExtensionTooLate => "extension_too_late",
            Self::PledgeOutstanding => "pledge_outstanding",
            Self::LicenceWithheld => "licence_withheld",
            Self::ReasonsMissing => "reasons_missing",
            Self::NoPledge => "no_pledge",
            Self::Blank => "blank",
        }
    }

    /// What is wrong and what to do.
    pub fn message(self) -> Text {
        let (zh, en) = match self {
            Self::NotAccepted => (
                "该申请尚未受理，不能进行此操作；请先受理。",
                "The application has not been accepted; accept it first.",
            ),
            Self::AlreadyAccepted => ("该申请已经受理。", "The application is already accepted."),
            Self::WrongStage => (
                "案件当前所处环节不能进行此操作。",
                "This step does not apply at the case's current stage.",
            ),
            Self::Finished => (
                "案件已办结或终止，不能再进行操作。",
                "The case is closed or terminated; nothing more can be recorded.",
            ),
            Self::NoExtension => (
                "该事项没有法定延长期限，不能延期（行政许可法第四十二条）。",
                "The matter has no statutory extension (行政许可法 §42).",
            ),
            Self::AlreadyExtended => (
                "该案件已经延期一次，不能再次延期（行政许可法第四十二条）。",
                "The case has been extended once already (行政许可法 §42).",
            ),
            Self::ExtensionTooLate => (
                "已超过法定办理期限，不能再决定延期；延期须在法定期限内批准。",
                "The statutory period has ended; an extension must be approved within it.",
            ),
            Self::PledgeOutstanding => (
                "容缺材料尚未补齐，按本中心规定不能作出许可决定；请先补齐或办理容缺核销。",
                "Pledged materials are outstanding; this centre decides only once they are supplied.",
            ),
            Self::LicenceWithheld => (
                "容缺材料尚未补齐，按本中心规定补齐后方可出证送达。",
                "Pledged materials are outstanding; this centre issues the licence only once they are supplied.",
            ),
            Self::ReasonsMissing => (
                "不予行政许可决定必须说明理由（行政许可法第三十八条第二款）。",
                "A refusal must state its reasons (行政许可法 §38(2)).",
            ),
            Self::NoPledge => (
                "该案件不是容缺受理，没有承诺补交的材料。",
                "The case was not accepted on a pledge.",
            ),
            Self::Blank => (
                "经办人、批准人和理由不能为空。",
                "The assignee, approver and reason must not be blank.",
            ),
        };
        crate::messages::text(zh, en)
    }
}

/// A transition's result: the new stage and what it does.
pub type Step = Result<(CaseStage, Vec<Effect>), StepRefusal>;

/// The one transition function: `(stage, event, facts) → (new stage, effects)`.
pub fn step(stage: CaseStage, event: &CaseEvent, facts: &StepFacts) -> Step {
    use CaseEvent as E;
    use CaseStage as S;
    use documents::CaseDocumentKind as D;
    if stage.finished() {
        return Err(StepRefusal::Finished);
    }
    if let Some(refusal) = blank(event) {
        return Err(refusal);
    }
    let open = matches!(stage, S::Accepted | S::Reviewing);
    let pending = matches!(
        stage,
        S::Accepted | S::Reviewing | S::SpecialProcedure | S::Suspended
    );
    let outstanding = facts.pledge == PledgeStanding::Outstanding;
    match (stage, event) {
        (S::Received, E::Accepted { .. }) => Ok((S::Accepted, vec![])),
        (S::Received, _) => Err(StepRefusal::NotAccepted),
        (_, E::Accepted { .. }) => Err(StepRefusal::AlreadyAccepted),
        (_, E::ReviewStarted { .. }) if open => Ok((S::Reviewing, vec![])),
        (_, E::HearingOffered) if open => Ok((stage, vec![])),
        (_, E::SpecialStarted { .. }) if open => Ok((
            S::SpecialProcedure,
            vec![Effect::StopClock, Effect::Issue(D::SpecialProcedure)],
        )),
        (S::SpecialProcedure, E::SpecialEnded) => Ok((S::Reviewing, vec![Effect::StartClock])),
        (_, E::Extended { .. }) if pending => {
            if !facts.extension_allowed {
                Err(StepRefusal::NoExtension)
            } else if facts.extended {
                Err(StepRefusal::AlreadyExtended)
            } else if facts.past_statutory_due {
                Err(StepRefusal::ExtensionTooLate)
            } else {
                Ok((stage, vec![Effect::Issue(D::Extension)]))
            }
        }
        (_, E::PledgeKept | E::PledgeSuspended | E::PledgeResumed | E::PledgeTerminated)
            if facts.pledge == PledgeStanding::None =>
        {
            Err(StepRefusal::NoPledge)
        }
        (_, E::PledgeKept) if outstanding && stage != S::Served => Ok((stage, vec![])),
        (_, E::PledgeSuspended) if open && outstanding => {
            Ok((S::Suspended, vec![Effect::StopClock]))
        }
        (S::Suspended, E::PledgeResumed) => Ok((S::Reviewing, vec![Effect::StartClock])),
        (S::Granted, E::PledgeTerminated) if outstanding => {
            Ok((S::Terminated, vec![Effect::Issue(D::Termination)]))
        }
        (_, E::PledgeTerminated) if pending && outstanding => Ok((
            S::Terminated,
            vec![Effect::StopClock, Effect::Issue(D::Termination)],
        )),
        (S::Reviewing, E::Decided { granted: true, .. }) => {
            if outstanding && facts.gate == PledgeGate::Decision {
                Err(StepRefusal::PledgeOutstanding)
            } else {
                Ok((S::Granted, vec![Effect::Issue(D::Grant)]))
            }
        }
        (S::Reviewing, E::Decided { granted: false, .. }) => {
            Ok((S::Denied, vec![Effect::Issue(D::Denial)]))
        }
        (S::Granted, E::Served { .. }) if outstanding => Err(StepRefusal::LicenceWithheld),
        (S::Granted | S::Denied, E::Served { .. }) => {
            Ok((S::Served, vec![Effect::Issue(D::ServiceReceipt)]))
        }
        (S::Served, E::Closed) => Ok((S::Closed, vec![])),
        _ => Err(StepRefusal::WrongStage),
    }
}

/// A choice on the steps page's form: the value sent back and its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct CaseChoice {
    pub value: String,
    pub label: Text,
}

/// What a clerk may record next on a case, and the words to choose with: the steps
/// [`step`] takes from the stage (judged by the stage alone, with the facts that allow the most;
/// the case's own facts — an extension used, pledged items owed — are judged when the step is
/// recorded, and its refusal says why), the §45 procedures and the ways of service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct CaseChoices {
    pub steps: Vec<CaseChoice>,
    pub procedures: Vec<CaseChoice>,
    pub service_methods: Vec<CaseChoice>,
}

/// The steps a clerk records (the register records acceptance and the pledge's own), each as
/// an example the transition function is asked about, and what the clerk does, in words.
fn clerk_steps() -> [(CaseEvent, &'static str, &'static str); 9] {
    let x = || "x".to_string();
    [
        (
            CaseEvent::ReviewStarted { assignee: x() },
            "开始审查或更换承办人",
            "Start the review or change the assignee",
        ),
        (
            CaseEvent::HearingOffered,
            "告知申请人听证权利",
            "Tell the applicant of the right to a hearing",
        ),
        (
            CaseEvent::SpecialStarted {
                procedure: SpecialProcedure::Hearing,
                reason: x(),
                planned_days: 1,
                approver: x(),
                hearing_on: None,
            },
            "启动特别程序（暂停计时）",
            "Start a special procedure (the clock stops)",
        ),
        (
            CaseEvent::SpecialEnded,
            "结束特别程序（恢复计时）",
            "End the special procedure (the clock runs again)",
        ),
        (
            CaseEvent::Extended {
                approver: x(),
                reason: x(),
            },
            "批准延期",
            "Approve an extension",
        ),
        (
            CaseEvent::Decided {
                granted: true,
                reasons: vec![],
            },
            "作出许可决定",
            "Make the decision",
        ),
        (
            CaseEvent::Decided {
                granted: false,
                reasons: vec![x()],
            },
            "作出许可决定",
            "Make the decision",
        ),
        (
            CaseEvent::Served {
                method: ServiceMethod::InPerson,
            },
            "送达决定",
            "Serve the decision",
        ),
        (CaseEvent::Closed, "办结", "Close the case"),
    ]
}

/// The steps page's choices for a case at `stage` (see [`CaseChoices`]).
pub fn choices(stage: CaseStage) -> CaseChoices {
    let most = StepFacts {
        pledge: PledgeStanding::None,
        gate: PledgeGate::Issue,
        extension_allowed: true,
        extended: false,
        past_statutory_due: false,
    };
    let mut steps: Vec<CaseChoice> = Vec::new();
    for (event, zh, en) in clerk_steps() {
        let value = event.name();
        if step(stage, &event, &most).is_ok() && !steps.iter().any(|c| c.value == value) {
            steps.push(CaseChoice {
                value: value.to_string(),
                label: Text {
                    zh: zh.into(),
                    en: en.into(),
                },
            });
        }
    }
    let named = |value: serde_json::Value, label: Text| CaseChoice {
        value: value.as_str().unwrap_or_default().to_string(),
        label,
    };
    CaseChoices {
        steps,
        procedures: SpecialProcedure::ALL
            .iter()
            .map(|p| named(serde_json::json!(p), p.label()))
            .collect(),
        service_methods: ServiceMethod::ALL
            .iter()
            .map(|m| named(serde_json::json!(m), m.label()))
            .collect(),
    }
}

/// A blank name or reason where the law wants one (§38 reasons, §42 approver and reason).
fn blank(event: &CaseEvent) -> Option<StepRefusal> {
    let empty = |s: &String| s.trim().is_empty();
    match event {
        CaseEvent::ReviewStarted { assignee } if empty(assignee) => Some(StepRefusal::Blank),
        CaseEvent::SpecialStarted {
            reason, approver, ..
        }
        | CaseEvent::Extended { approver, reason }
            if empty(reason) || empty(approver) =>
        {
            Some(StepRefusal::Blank)
        }
        CaseEvent::Decided {
            granted: false,
            reasons,
        } if reasons.iter().all(empty) => Some(StepRefusal::ReasonsMissing),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
