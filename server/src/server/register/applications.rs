//! Applications: the request stored (personal data hashed and sealed), idempotent by key, and
//! decided on the server's clock — the verdict, the document number, the signed receipt, the
//! 容缺 ledger's entries. Reads are `views.rs`, received files `uploads.rs`.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::audit::{EventKind, Recorder};
use super::db::is_unique_violation;
use super::error::{RegisterCode, RegisterError, RegisterResult};
use super::lifecycle::{ApplicationEvent, application_step};
use super::numbers;
use super::privacy::{protect, scrub};
use super::states::{ApplicationStatus, CaseState};
use super::{Register, ledger};
use crate::server::AppState;
use crate::server::receipt::{Receipt, hex};
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
    // Nothing is numbered for nobody: the 文号 sequences are gap-free, so an application that
    // does not yet say who applies is refused here, before a number is drawn (the caller's
    // transaction is dropped: nothing of it is kept).
    let rule = state.engine().matter(matter, None)?.clone();
    if let Some(why) = qiquan::unidentified(&rule, &submission) {
        return Err(RegisterError::new(
            RegisterCode::NotIdentifiable,
            why.zh,
            why.en,
        ));
    }
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
