//! Received files: an upload stored for a material (checked against what the material
//! accepts; on a decided application it supplies the pledged item), and the clerk's flaw note
//! on one.

use futures_util::Stream;
use serde_json::json;

use super::audit::{EventKind, Recorder};
use super::error::{RegisterCode, RegisterError, RegisterResult};
use super::matters::matter_file;
use super::{Register, ledger};
use crate::server::AppState;

/// A file as it arrives: its bytes in chunks, and the size announced before them (0 if none).
pub(crate) struct Upload<S> {
    pub(crate) bytes: S,
    pub(crate) declared: u64,
}

/// Stores a received file for a material; on a decided application it supplies the pledged
/// item, if any.
pub(crate) async fn upload<S, D, E>(
    state: &AppState,
    reg: &Register,
    id: &str,
    material: &str,
    content_type: &str,
    body: Upload<S>,
    actor: &str,
) -> RegisterResult<()>
where
    S: Stream<Item = Result<D, E>> + Unpin + Send,
    D: AsRef<[u8]> + Send,
{
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
        // The engine's words, the types as people call them (PDF, JPG, PNG).
        let words = qiquan::labels::upload_words("type_not_accepted", "", 0, max_bytes, &accepted);
        return Err(RegisterError::new(
            RegisterCode::FileTypeNotAccepted,
            words.zh,
            words.en,
        ));
    }
    let stored = reg
        .files
        .put(body.bytes, body.declared, max_bytes, content_type, &reg.key)
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
