//! The audit trail: every state change is one appended row in `events` (who, when, what, under
//! which rules), written in the same transaction as the change itself. Nothing updates or
//! deletes an event.

use serde::Serialize;

use super::error::RegisterResult;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum EventKind {
    ApplicationCreated,
    ApplicationDecided,
    MaterialReceived,
    MaterialFlawed,
    PledgeItemOwed,
    PledgeReminderDue,
    PledgeItemSupplied,
    PledgeItemWaived,
    PledgeItemOverdue,
    /// Credit record (国办发〔2019〕35号): a written commitment not kept.
    PledgeBroken,
    /// Credit record: every pledged item supplied in time.
    PledgeKept,
    CaseSuspended,
    CaseResumed,
    CaseTerminated,
    HandoverCreated,
}

impl EventKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::ApplicationCreated => "application_created",
            Self::ApplicationDecided => "application_decided",
            Self::MaterialReceived => "material_received",
            Self::MaterialFlawed => "material_flawed",
            Self::PledgeItemOwed => "pledge_item_owed",
            Self::PledgeReminderDue => "pledge_reminder_due",
            Self::PledgeItemSupplied => "pledge_item_supplied",
            Self::PledgeItemWaived => "pledge_item_waived",
            Self::PledgeItemOverdue => "pledge_item_overdue",
            Self::PledgeBroken => "pledge_broken",
            Self::PledgeKept => "pledge_kept",
            Self::CaseSuspended => "case_suspended",
            Self::CaseResumed => "case_resumed",
            Self::CaseTerminated => "case_terminated",
            Self::HandoverCreated => "handover_created",
        }
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
            at: now_micros(),
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
        super::applications::scrub(&mut detail);
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

/// The instant now in China time with microseconds, so events sort by time.
pub(crate) fn now_micros() -> String {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let utc = chrono::DateTime::from_timestamp(since.as_secs() as i64, since.subsec_nanos())
        .unwrap_or_default();
    match chrono::FixedOffset::east_opt(8 * 3600) {
        Some(china) => utc
            .with_timezone(&china)
            .format("%Y-%m-%dT%H:%M:%S%.6f%:z")
            .to_string(),
        None => utc.to_rfc3339(),
    }
}
