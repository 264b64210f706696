//! A signed-in applicant's own applications (`GET /v1/me/applications`): those made while
//! signed in through the provincial identity platform, found by the data key's HMAC of the
//! token's subject. No answers, no capability: what was applied for, and where it stands.

use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::Register;
use super::error::RegisterResult;
use super::states::CaseState;
use crate::server::AppState;
use crate::server::access::Caller;
use crate::server::access::table::Role;
use qiquan::model::Text;

/// The owner key of an application made by `caller`: the HMAC of its subject when it is a
/// signed-in applicant, else None.
pub(crate) fn owner_hash(reg: &Register, caller: &Caller) -> Option<String> {
    let staff = caller.staff.as_ref()?;
    staff
        .roles
        .contains(&Role::ApplicantAccount)
        .then(|| reg.key.lookup("owner", &staff.subject))
}

#[derive(sqlx::FromRow)]
struct MineRow {
    id: String,
    matter: String,
    status: String,
    created_at: String,
    decided_at: Option<String>,
    outcome: Option<String>,
    number: Option<String>,
    case_state: Option<String>,
}

/// One of the applicant's applications (`MyApplication` in the OpenAPI document).
#[derive(Debug, Serialize)]
pub(crate) struct MyApplication {
    pub(crate) id: String,
    pub(crate) matter: String,
    pub(crate) status: String,
    pub(crate) created_at: String,
    pub(crate) decided_at: Option<String>,
    pub(crate) outcome: Option<String>,
    pub(crate) number: Option<String>,
    pub(crate) case_state_label: Text,
}

#[derive(Debug, Serialize)]
pub(crate) struct MyApplications {
    pub(crate) applications: Vec<MyApplication>,
}

/// The applications of `owner`, newest first (at most 200).
pub(crate) async fn of_owner(reg: &Register, owner: &str) -> RegisterResult<MyApplications> {
    let rows = sqlx::query_as::<_, MineRow>(
        "SELECT id, matter, status, created_at, decided_at, outcome, number, case_state \
         FROM applications WHERE owner_hash = $1 ORDER BY created_at DESC, id DESC LIMIT 200",
    )
    .bind(owner.to_string())
    .fetch_all(&reg.db.pool)
    .await?;
    let applications = rows
        .into_iter()
        .map(|r| -> RegisterResult<MyApplication> {
            let state = r.case_state.map(CaseState::try_from).transpose()?;
            Ok(MyApplication {
                case_state_label: super::ledger::case_state_label(state),
                id: r.id,
                matter: r.matter,
                status: r.status,
                created_at: r.created_at,
                decided_at: r.decided_at,
                outcome: r.outcome,
                number: r.number,
            })
        })
        .collect::<RegisterResult<_>>()?;
    Ok(MyApplications { applications })
}

/// `GET /v1/me/applications` (the access layer let only a signed-in applicant through).
pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
) -> RegisterResult<Response> {
    let reg = super::extract::register(&state)?;
    let owner = owner_hash(reg, &caller).unwrap_or_default();
    Ok(axum::Json(of_owner(reg, &owner).await?).into_response())
}
