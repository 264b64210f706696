//! Read models: an application as the API shows it (no personal data: the answers stay
//! sealed), with its received files and ledger; the answers and the decided document for staff
//! (decrypted); a numbered document by its number; the audit trail; lookups by keyed hash.
//! Each read is a typed row (`sqlx::FromRow`) turned into a typed answer (`Serialize`).

use serde::Serialize;
use serde_json::Value;

use super::applications::open_answers;
use super::audit::{EventRow, EventView};
use super::error::{RegisterCode, RegisterError, RegisterResult};
use super::states::{ApplicationStatus, CaseState};
use super::{Register, ledger};
use crate::server::AppState;
use crate::server::receipt::Receipt;
use qiquan::Submission;
use qiquan::model::Text;

/// One row of `applications` as [`view`] reads it.
#[derive(sqlx::FromRow)]
struct ApplicationRow {
    id: String,
    matter: String,
    channel: String,
    /// Decoded into [`ApplicationStatus`]: sqlx's Any driver reads TEXT only as a string.
    status: String,
    created_at: String,
    created_by: String,
    decided_at: Option<String>,
    outcome: Option<String>,
    version: Option<String>,
    rules_digest: Option<String>,
    verdict: Option<String>,
    verdict_digest: Option<String>,
    number: Option<String>,
    number_kind: Option<String>,
    receipt: Option<String>,
    case_state: Option<String>,
    resume_until: Option<String>,
    resume_until_provisional: i64,
    pledge_identity: Option<String>,
}

/// One row of `uploads`: a received file, as the API shows it.
#[derive(sqlx::FromRow)]
struct UploadRow {
    material: String,
    sha256: String,
    bytes: i64,
    content_type: String,
    received_at: String,
    flawed: i64,
    note: Option<String>,
}

/// A received file (`Application.materials[]` in the OpenAPI document).
#[derive(Debug, Serialize)]
pub(crate) struct MaterialView {
    pub(crate) material: String,
    pub(crate) sha256: String,
    pub(crate) bytes: i64,
    pub(crate) content_type: String,
    pub(crate) received_at: String,
    pub(crate) flawed: bool,
    pub(crate) note: Option<String>,
}

impl From<UploadRow> for MaterialView {
    fn from(row: UploadRow) -> Self {
        Self {
            material: row.material,
            sha256: row.sha256,
            bytes: row.bytes,
            content_type: row.content_type,
            received_at: row.received_at,
            flawed: row.flawed != 0,
            note: row.note,
        }
    }
}

/// An application as the API shows it (`Application` in the OpenAPI document; no personal
/// data: the answers stay sealed).
#[derive(Debug, Serialize)]
pub(crate) struct ApplicationView {
    pub(crate) id: String,
    pub(crate) matter: String,
    pub(crate) channel: String,
    pub(crate) status: ApplicationStatus,
    pub(crate) created_at: String,
    pub(crate) created_by: String,
    pub(crate) decided_at: Option<String>,
    pub(crate) outcome: Option<String>,
    pub(crate) version: Option<String>,
    pub(crate) rules_digest: Option<String>,
    pub(crate) number: Option<String>,
    pub(crate) number_kind: Option<String>,
    pub(crate) case_state: Option<CaseState>,
    pub(crate) case_state_label: Text,
    pub(crate) resume_until: Option<String>,
    /// The engine's word: the date runs into a year whose holiday notice is not yet known.
    pub(crate) resume_until_provisional: bool,
    /// Whose pledge this is: the identity verified at the window, or none (access::pledge).
    pub(crate) pledge_identity: Value,
    pub(crate) verdict_digest: Option<String>,
    pub(crate) verdict: Value,
    pub(crate) receipt: Value,
    pub(crate) materials: Vec<MaterialView>,
    pub(crate) ledger: Vec<ledger::LedgerEntry>,
    /// The verification code printed beside the 文号 (added by the routes that show it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) receipt_code: Option<String>,
    /// The applicant's capability: only in the answer that created the application.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) capability: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) capability_link: Option<String>,
}

/// An application as the API shows it.
pub(crate) async fn view(reg: &Register, id: &str) -> RegisterResult<ApplicationView> {
    let row: ApplicationRow = sqlx::query_as(
        "SELECT id, matter, channel, status, created_at, created_by, decided_at, outcome, version, \
         rules_digest, verdict, verdict_digest, number, number_kind, receipt, case_state, \
         resume_until, resume_until_provisional, pledge_identity FROM applications WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(&reg.db.pool)
    .await?
    .ok_or_else(RegisterError::application_not_found)?;
    let parsed = |value: Option<String>| {
        value
            .and_then(|v| serde_json::from_str::<Value>(&v).ok())
            .unwrap_or(Value::Null)
    };
    let materials: Vec<UploadRow> = sqlx::query_as(
        "SELECT material, sha256, bytes, content_type, received_at, flawed, note FROM uploads \
         WHERE application_id = $1 ORDER BY material",
    )
    .bind(id.to_string())
    .fetch_all(&reg.db.pool)
    .await?;
    let ledger = ledger::entries_of(reg, id).await?;
    let case_state = row.case_state.map(CaseState::try_from).transpose()?;
    Ok(ApplicationView {
        id: row.id,
        matter: row.matter,
        channel: row.channel,
        status: ApplicationStatus::try_from(row.status)?,
        created_at: row.created_at,
        created_by: row.created_by,
        decided_at: row.decided_at,
        outcome: row.outcome,
        version: row.version,
        rules_digest: row.rules_digest,
        number: row.number,
        number_kind: row.number_kind,
        case_state,
        case_state_label: ledger::case_state_label(case_state),
        resume_until: row.resume_until,
        resume_until_provisional: row.resume_until_provisional != 0,
        pledge_identity: parsed(row.pledge_identity),
        verdict_digest: row.verdict_digest,
        verdict: parsed(row.verdict),
        receipt: parsed(row.receipt),
        materials: materials.into_iter().map(MaterialView::from).collect(),
        ledger,
        receipt_code: None,
        capability: None,
        capability_link: None,
    })
}

/// The decrypted answers, for the clerk's documents.
pub(crate) async fn answers(reg: &Register, id: &str) -> RegisterResult<Answers> {
    let (matter, sealed): (String, String) =
        sqlx::query_as("SELECT matter, answers_sealed FROM applications WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&reg.db.pool)
            .await?
            .ok_or_else(RegisterError::application_not_found)?;
    Ok(Answers {
        id: id.to_string(),
        matter,
        submission: open_answers(reg, &sealed)?,
    })
}

/// `GET /v1/applications/{id}/answers`' answer: the answers as submitted.
#[derive(Debug, Serialize)]
pub(crate) struct Answers {
    pub(crate) id: String,
    pub(crate) matter: String,
    pub(crate) submission: Submission,
}

/// `GET /v1/applications/{id}/document`'s answer: the decided verdict and its exact bytes.
#[derive(Debug, Serialize)]
pub(crate) struct Document {
    pub(crate) id: String,
    pub(crate) verdict: Value,
    pub(crate) verdict_json: String,
    pub(crate) verdict_digest: Option<String>,
}

/// `GET /v1/receipts/{number}`'s answer: a numbered document and whether its receipt holds
/// (not the application's id: it is no key to the application, its capability is).
#[derive(Debug, Serialize)]
pub(crate) struct Numbered {
    pub(crate) number: String,
    pub(crate) kind: Option<String>,
    pub(crate) matter: String,
    pub(crate) outcome: Option<String>,
    pub(crate) issued_at: Option<String>,
    pub(crate) receipt: Option<Receipt>,
    pub(crate) valid: Option<bool>,
}

/// One row of `applications` as [`by_number`] reads it.
#[derive(sqlx::FromRow)]
struct NumberedRow {
    number_kind: Option<String>,
    outcome: Option<String>,
    matter: String,
    decided_at: Option<String>,
    receipt: Option<String>,
}

/// The decided verdict's exact bytes (decrypted: the stored readable copy is scrubbed), for
/// printing the numbered document; their digest is the recorded `verdict_digest`.
pub(crate) async fn document(reg: &Register, id: &str) -> RegisterResult<Document> {
    let (sealed, verdict_digest): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT verdict_sealed, verdict_digest FROM applications WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&reg.db.pool)
            .await?
            .ok_or_else(RegisterError::application_not_found)?;
    let Some(sealed) = sealed else {
        return Err(RegisterError::new(
            RegisterCode::InvalidState,
            "该申请尚未作出决定，没有文书。",
            "The application has not been decided yet, so there is no document.",
        ));
    };
    let bytes = reg.key.open(&sealed)?;
    let text = String::from_utf8(bytes).map_err(RegisterError::storage)?;
    let verdict: Value = serde_json::from_str(&text).map_err(RegisterError::storage)?;
    Ok(Document {
        id: id.to_string(),
        verdict,
        verdict_json: text,
        verdict_digest,
    })
}

/// Application ids whose ID card or phone field holds this value (by its keyed hash).
pub(crate) async fn lookup(reg: &Register, kind: &str, value: &str) -> RegisterResult<Vec<String>> {
    let digest = reg.key.lookup(kind, value);
    let ids = sqlx::query_scalar::<_, String>(
        "SELECT DISTINCT application_id FROM personal_index WHERE digest = $1 ORDER BY application_id",
    )
    .bind(digest)
    .fetch_all(&reg.db.pool)
    .await?;
    Ok(ids)
}

/// The audit trail of an application, oldest first.
pub(crate) async fn events(reg: &Register, id: &str) -> RegisterResult<Vec<EventView>> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT application_id, at, actor, kind, detail, rules_digest FROM events \
         WHERE application_id = $1 ORDER BY at, ord",
    )
    .bind(id.to_string())
    .fetch_all(&reg.db.pool)
    .await?;
    rows.into_iter().map(EventView::try_from).collect()
}

/// A stored document by its number, with the receipt's signature checked.
pub(crate) async fn by_number(
    state: &AppState,
    reg: &Register,
    number: &str,
) -> RegisterResult<Numbered> {
    let row: NumberedRow = sqlx::query_as(
        "SELECT number_kind, outcome, matter, decided_at, receipt FROM applications WHERE number = $1",
    )
    .bind(number.to_string())
    .fetch_optional(&reg.db.pool)
    .await?
    .ok_or_else(|| {
        RegisterError::new(
            RegisterCode::ReceiptNotFound,
            "没有这个文号的文书。",
            "No document has this number.",
        )
    })?;
    let receipt: Option<Receipt> = row
        .receipt
        .and_then(|r: String| serde_json::from_str(&r).ok());
    let valid = receipt.as_ref().map(|r| state.key.verify(r).is_ok());
    Ok(Numbered {
        number: number.to_string(),
        kind: row.number_kind,
        matter: row.matter,
        outcome: row.outcome,
        issued_at: row.decided_at,
        receipt,
        valid,
    })
}
