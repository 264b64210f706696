//! Applications: stored answers (personal data hashed and sealed), the server's verdict, the
//! document number, the signed receipt, uploaded materials and the clerk's flaw notes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::audit::{EventKind, EventRow, EventView, Recorder};
use super::db::is_unique_violation;
use super::error::{RegisterCode, RegisterError, RegisterResult};
use super::lifecycle::{ApplicationEvent, application_step};
use super::matters::matter_file;
use super::numbers;
use super::privacy::{protect, scrub};
use super::states::{ApplicationStatus, CaseState};
use super::{Register, ledger};
use crate::server::AppState;
use crate::server::receipt::{Receipt, hex};
use qiquan::model::Text;
use qiquan::submission::{Channel, MaterialStatus, MaterialSubmission, SubmittedMedium};
use qiquan::{CheckOptions, Outcome, Submission};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateRequest {
    pub(crate) matter: String,
    pub(crate) submission: Submission,
    /// Store only; decide later with `POST /v1/applications/{id}/submit` (after uploading).
    #[serde(default)]
    pub(crate) draft: bool,
    /// A clerk's record that the applicant's identity was verified (read by the access layer:
    /// `access::pledge`; stored as `pledge_identity`).
    #[serde(default)]
    #[allow(dead_code)]
    pub(crate) identity_verified: Option<crate::server::access::pledge::IdentityVerified>,
}

pub(crate) fn outcome_str(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Accept => "accept",
        Outcome::AcceptWithPledge => "accept_with_pledge",
        Outcome::CorrectionRequired => "correction_required",
        Outcome::NotAccepted => "not_accepted",
    }
}

fn channel_str(channel: Channel) -> &'static str {
    match channel {
        Channel::Window => "window",
        Channel::Online => "online",
        Channel::MobileOnline => "mobile_online",
        Channel::Mail => "mail",
        Channel::Kiosk => "kiosk",
    }
}

pub(crate) fn sha256_hex(text: &str) -> String {
    format!("sha256:{}", hex(&Sha256::digest(text.as_bytes())))
}

/// Creates an application (and decides it unless a draft). Returns the id and whether it was
/// created now (false: the idempotency key named an existing one).
pub(crate) async fn create(
    state: &AppState,
    reg: &Register,
    idempotency_key: Option<String>,
    body: &str,
    actor: &str,
) -> RegisterResult<(String, bool)> {
    let request: CreateRequest = qiquan::parse_json(body, "request")?;
    state.engine().matter(&request.matter, None)?;
    let request_hash = request_digest(&request)?;
    let raw_hash = sha256_hex(body);
    if let Some(key) = &idempotency_key
        && let Some(id) = existing(reg, key, &request_hash, &raw_hash).await?
    {
        return Ok((id, false));
    }
    let protected = protect(state, reg, &request.matter, &request.submission)?;
    let id = super::new_id("app")?;
    let mut rec = Recorder::new(actor, state.engine().rules_digest());
    let mut tx = reg.db.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO applications (id, idempotency_key, request_hash, matter, channel, status, \
         answers, answers_sealed, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $10, $6, $7, $8, $9)",
    )
    .bind(id.clone())
    .bind(idempotency_key.clone())
    .bind(request_hash.clone())
    .bind(request.matter.clone())
    .bind(channel_str(request.submission.channel))
    .bind(protected.answers)
    .bind(protected.sealed)
    .bind(rec.at.clone())
    .bind(actor.to_string())
    .bind(ApplicationStatus::Draft.as_str())
    .execute(&mut *tx)
    .await;
    match (inserted, &idempotency_key) {
        (Err(e), Some(key)) if is_unique_violation(&e) => {
            drop(tx);
            // A concurrent request with the same key won: answer with its record.
            return existing(reg, key, &request_hash, &raw_hash)
                .await?
                .map(|id| (id, false))
                .ok_or_else(|| RegisterError::storage("idempotency key vanished"));
        }
        (Err(e), _) => return Err(e.into()),
        (Ok(_), _) => {}
    }
    for (field, digest) in &protected.index {
        sqlx::query(
            "INSERT INTO personal_index (application_id, field, digest) VALUES ($1, $2, $3)",
        )
        .bind(id.clone())
        .bind(field.clone())
        .bind(digest.clone())
        .execute(&mut *tx)
        .await?;
    }
    rec.record(
        &mut tx,
        Some(&id),
        EventKind::ApplicationCreated,
        json!({"matter": request.matter, "channel": channel_str(request.submission.channel), "draft": request.draft}),
    )
    .await?;
    if !request.draft {
        decide(
            state,
            reg,
            &mut tx,
            &mut rec,
            &id,
            &request.matter,
            request.submission,
        )
        .await?;
    }
    reg.db.commit(tx).await?;
    Ok((id, true))
}

/// What an Idempotency-Key is bound to: the request's meaning (the parsed request written out
/// again), so the same request sent with other spacing or key order is the same request.
/// Marked `c14n:` to tell it from the raw-bytes digests stored before.
fn request_digest(request: &CreateRequest) -> RegisterResult<String> {
    let canonical = serde_json::to_string(&json!({
        "matter": request.matter,
        "draft": request.draft,
        "submission": request.submission,
    }))
    .map_err(RegisterError::storage)?;
    Ok(format!("c14n:{}", sha256_hex(&canonical)))
}

async fn existing(
    reg: &Register,
    key: &str,
    request_hash: &str,
    raw_hash: &str,
) -> RegisterResult<Option<String>> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT id, request_hash FROM applications WHERE idempotency_key = $1")
            .bind(key.to_string())
            .fetch_optional(&reg.db.pool)
            .await?;
    let Some((id, hash)) = row else {
        return Ok(None);
    };
    // Rows stored before the canonical digest hold the raw bytes' digest.
    let same = if hash.starts_with("c14n:") {
        hash == request_hash
    } else {
        hash == raw_hash
    };
    if !same {
        return Err(RegisterError::new(
            RegisterCode::IdempotencyConflict,
            "该 Idempotency-Key 已用于另一份不同的申请；每份申请请用新的键。",
            "This Idempotency-Key was already used for a different application; use a new key per application.",
        ));
    }
    Ok(Some(id))
}

/// Decides a draft: `POST /v1/applications/{id}/submit`. Deciding twice returns the first
/// decision.
pub(crate) async fn submit(
    state: &AppState,
    reg: &Register,
    id: &str,
    actor: &str,
) -> RegisterResult<()> {
    let mut rec = Recorder::new(actor, state.engine().rules_digest());
    let mut tx = reg.db.begin().await?;
    let (from, event) = (ApplicationStatus::Draft, ApplicationEvent::Claim);
    let claiming = application_step(from, event).map(|(next, _)| next);
    let claiming = claiming.ok_or_else(|| RegisterError::storage("no claim from draft"))?;
    let claimed = sqlx::query("UPDATE applications SET status = $2 WHERE id = $1 AND status = $3")
        .bind(id.to_string())
        .bind(claiming.as_str())
        .bind(from.as_str())
        .execute(&mut *tx)
        .await?;
    if claimed.rows_affected() == 0 {
        drop(tx);
        return match sqlx::query_scalar::<_, String>(
            "SELECT status FROM applications WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&reg.db.pool)
        .await?
        {
            Some(_) => Ok(()),
            None => Err(RegisterError::application_not_found()),
        };
    }
    let (matter, sealed): (String, String) =
        sqlx::query_as("SELECT matter, answers_sealed FROM applications WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(&mut *tx)
            .await?;
    let submission = open_answers(reg, &sealed)?;
    decide(state, reg, &mut tx, &mut rec, id, &matter, submission).await?;
    reg.db.commit(tx).await?;
    Ok(())
}

pub(crate) fn open_answers(reg: &Register, sealed: &str) -> RegisterResult<Submission> {
    let plain = reg.key.open(sealed)?;
    serde_json::from_slice(&plain).map_err(RegisterError::storage)
}

struct UploadState {
    flawed: bool,
    note: Option<String>,
}

/// The submission with each material's status as the server knows it: a received file is
/// provided (or flawed, with the clerk's note); without a file, online (computer or mobile) and
/// kiosk applications keep only what is the applicant's own act — a written commitment (告知承诺)
/// — and at the window, or for paper received by post (快递申请), the clerk's own record of the
/// paper handed in stands.
fn derive_materials(
    mut submission: Submission,
    uploads: &BTreeMap<String, UploadState>,
) -> Submission {
    if !matches!(submission.channel, Channel::Window | Channel::Mail) {
        submission
            .materials
            .retain(|_, m| m.status == MaterialStatus::Committed);
    }
    for (material, upload) in uploads {
        submission.materials.set(
            material.clone(),
            MaterialSubmission {
                status: if upload.flawed {
                    MaterialStatus::Flawed
                } else {
                    MaterialStatus::Provided
                },
                form: None,
                medium: Some(SubmittedMedium::Electronic),
                note: upload.note.clone(),
                reference: None,
                copies: None,
            },
        );
    }
    submission
}

async fn uploads_of(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: &str,
) -> RegisterResult<BTreeMap<String, UploadState>> {
    let rows: Vec<(String, i64, Option<String>)> =
        sqlx::query_as("SELECT material, flawed, note FROM uploads WHERE application_id = $1")
            .bind(id.to_string())
            .fetch_all(&mut **tx)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(material, flawed, note)| {
            let state = UploadState {
                flawed: flawed != 0,
                note,
            };
            (material, state)
        })
        .collect())
}

/// The signed 受理回执 of an accepting verdict, carrying its 文号 (as `receipt_no` and as the
/// document's number); None otherwise.
fn receipt_for(
    state: &AppState,
    verdict: &qiquan::Verdict,
    verdict_digest: &str,
    issued_at: &str,
) -> Option<Receipt> {
    if !matches!(verdict.outcome, Outcome::Accept | Outcome::AcceptWithPledge) {
        return None;
    }
    let outcome = outcome_str(verdict.outcome);
    let mut receipt = Receipt::for_verdict(verdict, outcome, verdict_digest, issued_at);
    receipt.receipt_no = verdict.notice.number.text.clone();
    state.metrics.receipt_issued();
    Some(state.key.sign(receipt))
}

/// Runs the engine on the server's clock, numbers the document, signs the receipt and opens
/// the ledger, all in the caller's transaction.
async fn decide(
    state: &AppState,
    reg: &Register,
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    rec: &mut Recorder,
    id: &str,
    matter: &str,
    submission: Submission,
) -> RegisterResult<()> {
    let submission = derive_materials(submission, &uploads_of(tx, id).await?);
    let received_at = crate::server::clock::now_china();
    let options = CheckOptions {
        received_at: Some(received_at.clone()),
        channel: None,
    };
    let mut verdict = state.engine().check(matter, &submission, &options)?;
    // The events of this decision name the rules it was made under (a bundle may have been
    // swapped in since the recorder was made).
    rec.rules_digest.clone_from(&verdict.rules_digest);
    // The document's 文号: the next of its kind and year, filled into the notice (and its text)
    // before the verdict's bytes are fixed, so the stored verdict, its digest and the receipt
    // all carry it.
    let kind = verdict.notice.kind.as_str();
    let year = verdict.notice.number.year;
    let seq = numbers::next(tx, kind, year).await?;
    verdict.notice.numbered(u64::try_from(seq).unwrap_or(0));
    let number = verdict.notice.number.text.clone();
    let verdict_json = qiquan::to_pretty_json(&verdict);
    let verdict_digest = qiquan::verdict_digest(&verdict_json);
    // Findings echo the clerk's notes, which may quote personal data: the readable copy is
    // scrubbed, the exact bytes (whose digest the receipt carries) are sealed.
    let verdict_sealed = reg.key.seal(verdict_json.as_bytes())?;
    let mut shown: Value = serde_json::from_str(&verdict_json).map_err(RegisterError::storage)?;
    scrub(&mut shown);
    let outcome = outcome_str(verdict.outcome);
    let receipt = receipt_for(state, &verdict, &verdict_digest, &received_at);
    let receipt_json = receipt
        .as_ref()
        .map(|r| serde_json::to_string(r).unwrap_or_default());
    let (decided, effects) =
        application_step(ApplicationStatus::Deciding, ApplicationEvent::Decide)
            .ok_or_else(|| RegisterError::storage("no decision from deciding"))?;
    sqlx::query(
        "UPDATE applications SET status = $13, decided_at = $2, outcome = $3, version = $4, \
         rules_digest = $5, verdict = $6, verdict_digest = $7, number = $8, number_kind = $9, \
         receipt = $10, case_state = $11, verdict_sealed = $12 WHERE id = $1",
    )
    .bind(id.to_string())
    .bind(received_at.clone())
    .bind(outcome)
    .bind(verdict.version.clone())
    .bind(verdict.rules_digest.clone())
    .bind(shown.to_string())
    .bind(verdict_digest.clone())
    .bind(number.clone())
    .bind(kind)
    .bind(receipt_json)
    .bind(CaseState::of_outcome(verdict.outcome).as_str())
    .bind(verdict_sealed)
    .bind(decided.as_str())
    .execute(&mut **tx)
    .await?;
    for effect in effects {
        rec.record(
            tx,
            Some(id),
            *effect,
            json!({
                "outcome": outcome, "number": number, "number_kind": kind,
                "version": verdict.version, "verdict_digest": verdict_digest,
                "received_at": received_at,
            }),
        )
        .await?;
    }
    if verdict.outcome == Outcome::AcceptWithPledge {
        ledger::open_entries(state, tx, rec, id, &verdict).await?;
    }
    Ok(())
}

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

/// Stores a received file for a material; on a decided application it supplies the pledged
/// item, if any.
pub(crate) async fn upload(
    state: &AppState,
    reg: &Register,
    id: &str,
    material: &str,
    content_type: &str,
    body: axum::body::Body,
    actor: &str,
) -> RegisterResult<()> {
    let (matter, decided_at): (String, Option<String>) =
        sqlx::query_as("SELECT matter, decided_at FROM applications WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&reg.db.pool)
            .await?
            .ok_or_else(RegisterError::application_not_found)?;
    let file = matter_file(state, &matter, decided_at.as_deref())?;
    let rule = file
        .materials
        .iter()
        .find(|m| m.id == material)
        .ok_or_else(|| {
            RegisterError::new(
                RegisterCode::UnknownMaterial,
                format!("该事项没有材料“{}”。", qiquan::calendar::clip(material)),
                format!(
                    "This matter has no material “{}”.",
                    qiquan::calendar::clip(material)
                ),
            )
        })?;
    let max_bytes = rule.max_bytes.unwrap_or(qiquan::model::DEFAULT_MAX_BYTES);
    let accepted: Vec<String> = rule.accept.clone().unwrap_or_else(|| {
        qiquan::model::DEFAULT_ACCEPT
            .iter()
            .map(|s| s.to_string())
            .collect()
    });
    if !accepted.iter().any(|a| a == content_type) {
        return Err(RegisterError::new(
            RegisterCode::FileTypeNotAccepted,
            format!("该材料只接受以下类型：{}。", accepted.join("、")),
            format!("This material accepts only: {}.", accepted.join(", ")),
        ));
    }
    let stored = reg
        .files
        .put(body, max_bytes, content_type, &reg.key)
        .await?;
    let mut rec = Recorder::new(actor, state.engine().rules_digest());
    let mut tx = reg.db.begin().await?;
    sqlx::query(
        "INSERT INTO uploads (application_id, material, sha256, bytes, content_type, received_at, flawed, note) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, NULL) \
         ON CONFLICT (application_id, material) DO UPDATE SET sha256 = $3, bytes = $4, \
         content_type = $5, received_at = $6, \
         flawed = CASE WHEN uploads.sha256 = $3 THEN uploads.flawed ELSE 0 END, \
         note = CASE WHEN uploads.sha256 = $3 THEN uploads.note ELSE NULL END",
    )
    .bind(id.to_string())
    .bind(material.to_string())
    .bind(stored.sha256.clone())
    .bind(stored.bytes as i64)
    .bind(content_type.to_string())
    .bind(rec.at.clone())
    .execute(&mut *tx)
    .await?;
    rec.record(
        &mut tx,
        Some(id),
        EventKind::MaterialReceived,
        json!({"material": material, "sha256": stored.sha256, "bytes": stored.bytes, "content_type": content_type}),
    )
    .await?;
    // The same bytes again do not cure a flaw the clerk found in them.
    let flawed: i64 = sqlx::query_scalar(
        "SELECT flawed FROM uploads WHERE application_id = $1 AND material = $2",
    )
    .bind(id.to_string())
    .bind(material.to_string())
    .fetch_one(&mut *tx)
    .await?;
    if decided_at.is_some() && flawed == 0 {
        let today = crate::server::clock::today_china();
        ledger::supply(state, &mut tx, &mut rec, id, material, &today, "upload").await?;
    }
    reg.db.commit(tx).await?;
    Ok(())
}

/// The clerk marks a received file flawed (瑕疵) with a note.
pub(crate) async fn flaw(
    state: &AppState,
    reg: &Register,
    id: &str,
    material: &str,
    note: &str,
    actor: &str,
) -> RegisterResult<()> {
    let mut rec = Recorder::new(actor, state.engine().rules_digest());
    let mut tx = reg.db.begin().await?;
    let updated = sqlx::query(
        "UPDATE uploads SET flawed = 1, note = $3 WHERE application_id = $1 AND material = $2",
    )
    .bind(id.to_string())
    .bind(material.to_string())
    .bind(note.to_string())
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(RegisterError::new(
            RegisterCode::MaterialNotReceived,
            "该材料尚未收到文件，无法标记瑕疵。",
            "No file has been received for this material, so it cannot be marked flawed.",
        ));
    }
    rec.record(
        &mut tx,
        Some(id),
        EventKind::MaterialFlawed,
        json!({"material": material, "note": note}),
    )
    .await?;
    ledger::reopen(&mut tx, &mut rec, id, material).await?;
    reg.db.commit(tx).await?;
    Ok(())
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
