//! The audit trail: every state change is one appended row in `events` (who, when, what, under
//! which rules), written in the same transaction as the change itself. Nothing updates or
//! deletes an event.

use serde::Serialize;
use serde_json::Value;

use super::error::{RegisterError, RegisterResult};

super::states::stable_names! {
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
