//! The 容缺台账 staff can work from: each entry with whom to call (the applicant's name, a masked
//! phone number), the matter's name, counts for every tab, overdue first and grouped by case.
//! The names and numbers are personal data: every list that shows them is one audit event.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use super::Register;
use super::error::RegisterResult;
use super::ledger::{self, LedgerEntry, ListQuery};
use super::states::LedgerStatus;
use crate::server::AppState;
use qiquan::model::{FieldKind, Text};

/// Whom an application's entries are about.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Contact {
    /// The addressee of its document (the applicant's or unit's name), if given.
    pub(crate) applicant: Option<String>,
    /// The matter's name.
    pub(crate) matter_name: Option<Text>,
    /// The phone number given, masked: `139****5678`.
    pub(crate) phone: Option<String>,
}

/// One row of the ledger list (`LedgerItem` in the OpenAPI document).
#[derive(Debug, Serialize)]
pub(crate) struct LedgerItem {
    #[serde(flatten)]
    pub(crate) entry: LedgerEntry,
    #[serde(flatten)]
    pub(crate) contact: Contact,
}

/// How many entries each tab holds (as of the list's day).
#[derive(Debug, Serialize)]
pub(crate) struct Counts {
    pub(crate) today: usize,
    pub(crate) soon: usize,
    pub(crate) overdue: usize,
    pub(crate) all: usize,
}

/// `GET /v1/ledger`'s answer.
#[derive(Debug, Serialize)]
pub(crate) struct LedgerList {
    pub(crate) entries: Vec<LedgerItem>,
    pub(crate) counts: Counts,
}

/// A phone number as the ledger shows it: the first three and last four digits.
pub(crate) fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone
        .chars()
        .map(qiquan::half_width_char)
        .filter(char::is_ascii_digit)
        .collect();
    if digits.len() < 7 {
        return "****".into();
    }
    let head: String = digits[..3].iter().collect();
    let tail: String = digits[digits.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

/// The order staff work in: overdue first, then by case (its 文号), then by due date.
pub(crate) fn work_order(entries: &mut [LedgerEntry]) {
    entries.sort_by(|a, b| {
        let late = |e: &LedgerEntry| e.status != LedgerStatus::Overdue;
        (late(a), &a.number, &a.application, &a.due, &a.material).cmp(&(
            late(b),
            &b.number,
            &b.application,
            &b.due,
            &b.material,
        ))
    });
}

#[derive(sqlx::FromRow)]
struct ContactRow {
    matter: String,
    answers_sealed: String,
    verdict: Option<String>,
}

async fn contact(state: &AppState, reg: &Register, id: &str) -> RegisterResult<Contact> {
    let Some(row) = sqlx::query_as::<_, ContactRow>(
        "SELECT matter, answers_sealed, verdict FROM applications WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(&reg.db.pool)
    .await?
    else {
        return Ok(Contact::default());
    };
    let applicant = row
        .verdict
        .and_then(|v| serde_json::from_str::<Value>(&v).ok())
        .and_then(|v| {
            v["notice"]["addressee"]["name"]
                .as_str()
                .map(str::to_string)
        });
    let engine = state.engine();
    let rule = engine.matter(&row.matter, None).ok();
    let submission = super::applications::open_answers(reg, &row.answers_sealed)?;
    let phone = rule.and_then(|r| {
        r.fields
            .iter()
            .filter(|f| f.kind == FieldKind::Phone)
            .find_map(|f| submission.fields.get(&f.id).and_then(Value::as_str))
            .map(mask_phone)
    });
    Ok(Contact {
        applicant,
        matter_name: rule.map(|r| r.name.clone()),
        phone,
    })
}

/// The list for `query`, in work order, with contacts and every tab's count; one audit event.
pub(crate) async fn list(
    state: &AppState,
    reg: &Register,
    query: &ListQuery,
    actor: &str,
) -> RegisterResult<LedgerList> {
    let why = crate::server::access::reason(Some(
        query.reason.as_deref().unwrap_or("容缺台账：催告补交"),
    ))?;
    let mut entries = ledger::list(reg, query).await?;
    work_order(&mut entries);
    let count = |due: Option<&str>| {
        let mut q = query.clone();
        q.due = due.map(str::to_string);
        q.status = None;
        async move { ledger::list(reg, &q).await.map(|e| e.len()) }
    };
    let counts = Counts {
        today: count(Some("today")).await?,
        soon: count(Some("soon")).await?,
        overdue: count(Some("overdue")).await?,
        all: count(None).await?,
    };
    let mut contacts: BTreeMap<String, Contact> = BTreeMap::new();
    for e in &entries {
        if !contacts.contains_key(&e.application) {
            let c = contact(state, reg, &e.application).await?;
            contacts.insert(e.application.clone(), c);
        }
    }
    if !contacts.is_empty() {
        super::extract::audit_read(
            state,
            reg,
            actor,
            None,
            json!({"what": "ledger_contacts", "applications": contacts.len(), "reason": why}),
        )
        .await?;
    }
    let entries = entries
        .into_iter()
        .map(|entry| LedgerItem {
            contact: contacts
                .get(&entry.application)
                .cloned()
                .unwrap_or_default(),
            entry,
        })
        .collect();
    Ok(LedgerList { entries, counts })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_masked() {
        assert_eq!(mask_phone("13912345678"), "139****5678");
        assert_eq!(mask_phone("０５３１-８１２３４５６"), "053****3456");
        assert_eq!(mask_phone("12345"), "****");
    }
}
