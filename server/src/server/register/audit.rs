//! The audit trail: every state change is one appended row in `events` (who, when, what, under
//! which rules), written in the same transaction as the change itself. Nothing updates or
//! deletes an event.

use serde::Serialize;
use serde_json::Value;

use super::error::{RegisterError, RegisterResult};

super::names::stable_names! {
    /// `events.kind`: what happened.
    EventKind {
        ApplicationCreated = "application_created",
        ApplicationDecided = "application_decided",
        MaterialReceived = "material_received",
        MaterialFlawed = "material_flawed",
        PledgeItemOwed = "pledge_item_owed",
        PledgeReminderDue = "pledge_reminder_due",
        PledgeItemSupplied = "pledge_item_supplied",
        PledgeItemWaived = "pledge_item_waived",
        PledgeItemOverdue = "pledge_item_overdue",
        /// Credit record (国办发〔2019〕35号): a written commitment not kept.
        PledgeBroken = "pledge_broken",
        /// Credit record: every pledged item supplied in time.
        PledgeKept = "pledge_kept",
        CaseSuspended = "case_suspended",
        CaseResumed = "case_resumed",
        CaseTerminated = "case_terminated",
        HandoverCreated = "handover_created",
        /// A clerk opened a hand-over code (it opens once).
        HandoverOpened = "handover_opened",
        /// Personal data was read (decrypted answers, a document, an ID or phone lookup): who,
        /// what, why.
        PersonalDataRead = "personal_data_read",
        /// The case's steps after acceptance (`cases.rs`; detail: the day, the document's 文号).
        CaseReviewStarted = "case_review_started",
        CaseHearingOffered = "case_hearing_offered",
        CaseSpecialStarted = "case_special_started",
        CaseSpecialEnded = "case_special_ended",
        CaseExtended = "case_extended",
        CaseDecided = "case_decided",
        CaseServed = "case_served",
        CaseClosed = "case_closed",
    }
}

/// The words for each event kind (the clerk's case view shows the trail in them).
const KIND_LABELS: &[(EventKind, &str, &str)] = &[
    (
        EventKind::ApplicationCreated,
        "申请已登记",
        "Application recorded",
    ),
    (
        EventKind::ApplicationDecided,
        "已作出受理决定",
        "Decision made",
    ),
    (EventKind::MaterialReceived, "收到材料文件", "File received"),
    (
        EventKind::MaterialFlawed,
        "材料标记为有瑕疵",
        "File marked flawed",
    ),
    (
        EventKind::PledgeItemOwed,
        "容缺材料待补交",
        "Pledged item owed",
    ),
    (EventKind::PledgeReminderDue, "应提醒补交", "Reminder due"),
    (
        EventKind::PledgeItemSupplied,
        "容缺材料已补交",
        "Pledged item supplied",
    ),
    (
        EventKind::PledgeItemWaived,
        "容缺材料免予补交",
        "Pledged item waived",
    ),
    (
        EventKind::PledgeItemOverdue,
        "容缺材料逾期未补交",
        "Pledged item overdue",
    ),
    (EventKind::PledgeBroken, "信用承诺未履行", "Pledge broken"),
    (EventKind::PledgeKept, "信用承诺已履行", "Pledge kept"),
    (EventKind::CaseSuspended, "案件中止办理", "Case suspended"),
    (EventKind::CaseResumed, "案件恢复办理", "Case resumed"),
    (EventKind::CaseTerminated, "案件终止办理", "Case terminated"),
    (
        EventKind::HandoverCreated,
        "生成交接码",
        "Hand-over code issued",
    ),
    (
        EventKind::HandoverOpened,
        "交接码已调取",
        "Hand-over code opened",
    ),
    (
        EventKind::PersonalDataRead,
        "查阅个人信息",
        "Personal data read",
    ),
    (EventKind::CaseReviewStarted, "开始审查", "Review started"),
    (
        EventKind::CaseHearingOffered,
        "告知听证权利",
        "Told of the right to a hearing",
    ),
    (
        EventKind::CaseSpecialStarted,
        "特别程序开始（暂停计时）",
        "Special procedure started (clock stopped)",
    ),
    (
        EventKind::CaseSpecialEnded,
        "特别程序结束（恢复计时）",
        "Special procedure ended (clock runs)",
    ),
    (EventKind::CaseExtended, "延期", "Extended"),
    (
        EventKind::CaseDecided,
        "作出行政许可决定",
        "Licence decided",
    ),
    (EventKind::CaseServed, "决定已送达", "Decision served"),
    (EventKind::CaseClosed, "办结", "Closed"),
];

/// The words for the stored event kind `name` (the name itself for one this binary does not
/// know).
pub(crate) fn kind_label(name: &str) -> qiquan::model::Text {
    let found = KIND_LABELS.iter().find(|(k, _, _)| k.as_str() == name);
    qiquan::model::Text {
        zh: found.map_or(name, |l| l.1).to_string(),
        en: found.map_or(name, |l| l.2).to_string(),
    }
}

/// Writes the events of one transaction: one instant, an order within it, one actor.
pub(crate) struct Recorder {
    pub(crate) at: String,
    pub(crate) actor: String,
    pub(crate) rules_digest: String,
    ord: i64,
}

impl Recorder {
    pub(crate) fn new(actor: &str, rules_digest: &str) -> Self {
        Self {
            at: crate::server::clock::now_micros(),
            actor: actor.to_string(),
            rules_digest: rules_digest.to_string(),
            ord: 0,
        }
    }

    pub(crate) async fn record(
        &mut self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        application: Option<&str>,
        kind: EventKind,
        mut detail: serde_json::Value,
    ) -> RegisterResult<()> {
        super::privacy::scrub(&mut detail);
        self.ord += 1;
        sqlx::query(
            "INSERT INTO events (id, application_id, at, ord, actor, kind, detail, rules_digest) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(super::new_id("ev")?)
        .bind(application.map(str::to_string))
        .bind(self.at.clone())
        .bind(self.ord)
        .bind(self.actor.clone())
        .bind(kind.as_str())
        .bind(detail.to_string())
        .bind(self.rules_digest.clone())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// One row of `events` as the API reads it.
#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    application_id: Option<String>,
    at: String,
    actor: String,
    /// Decoded into [`EventKind`]: sqlx's Any driver reads TEXT only as a string.
    kind: String,
    detail: String,
    rules_digest: String,
}

/// An event as the API shows it (`Event` in the OpenAPI document); the detail is the scrubbed
/// copy.
#[derive(Debug, Serialize)]
pub(crate) struct EventView {
    pub(crate) at: String,
    pub(crate) actor: String,
    pub(crate) kind: EventKind,
    /// The kind in words (the clerk's case view shows the trail in them).
    pub(crate) label: qiquan::model::Text,
    pub(crate) detail: Value,
    pub(crate) rules_digest: String,
}

/// An event of the trail across applications (`GET /v1/audit/events`): the event and whose.
#[derive(Debug, Serialize)]
pub(crate) struct TrailEvent {
    pub(crate) application: Option<String>,
    #[serde(flatten)]
    pub(crate) event: EventView,
}

impl TryFrom<EventRow> for TrailEvent {
    type Error = RegisterError;
    fn try_from(row: EventRow) -> RegisterResult<TrailEvent> {
        Ok(TrailEvent {
            application: row.application_id,
            event: EventView {
                at: row.at,
                actor: row.actor,
                label: kind_label(&row.kind),
                kind: EventKind::try_from(row.kind)?,
                detail: serde_json::from_str(&row.detail).unwrap_or(Value::Null),
                rules_digest: row.rules_digest,
            },
        })
    }
}

impl TryFrom<EventRow> for EventView {
    type Error = RegisterError;
    fn try_from(row: EventRow) -> RegisterResult<EventView> {
        Ok(TrailEvent::try_from(row)?.event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_kind_has_words() {
        for kind in EventKind::ALL {
            assert!(
                KIND_LABELS.iter().any(|(k, _, _)| k == kind),
                "{} has no label",
                kind.as_str()
            );
        }
        assert_eq!(kind_label("material_flawed").zh, "材料标记为有瑕疵");
        assert_eq!(kind_label("something_new").en, "something_new");
    }
}
