//! Finding an interview: for the staff, who may read it (hiring managers and
//! admins all of them, interviewers the ones they are assigned to); for a
//! candidate, the one their link opens; and the job-spec versions interviews
//! are pinned to.

use axum::http::StatusCode;
use ladder_core::access::Role;
use ladder_core::interview::Status;
use ladder_store::{now_millis, Actor, Interview, JobSpecVersion, StoreError, VersionSelector};

use crate::http::auth::{secret_hash, Principal};
use crate::http::error::{ApiError, ApiResult};
use crate::http::state::AppState;

pub(super) fn user_of(principal: &Principal) -> ApiResult<&ladder_store::User> {
    principal.user.as_ref().ok_or_else(ApiError::unauthorized)
}

/// Hiring managers and admins read every interview; interviewers only the
/// ones they are assigned to.
pub(super) fn may_read(principal: &Principal, assigned: &[String]) -> bool {
    match &principal.user {
        Some(user) => match user.role {
            Role::Admin | Role::HiringManager => true,
            Role::Interviewer => assigned.contains(&user.id),
            Role::Member | Role::Manager => false,
        },
        None => false,
    }
}

pub(super) fn not_assigned() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "you are not assigned to this interview",
    )
}

pub(super) async fn interview_or_404(state: &AppState, id: &str) -> ApiResult<Interview> {
    state
        .store()
        .interview(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("interview {id}")))
}

/// An interview the caller may read, with its assigned interviewers.
pub(super) async fn readable(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> ApiResult<(Interview, Vec<String>)> {
    let interview = interview_or_404(state, id).await?;
    let assigned = state.store().interviewers(id).await?;
    if !may_read(principal, &assigned) {
        return Err(not_assigned());
    }
    Ok((interview, assigned))
}

/// The version an interview is pinned to.
pub(super) async fn pinned(state: &AppState, interview: &Interview) -> ApiResult<JobSpecVersion> {
    state
        .store()
        .job_spec_version(
            &interview.job_spec_id,
            &VersionSelector::Number(interview.version),
        )
        .await?
        .ok_or_else(|| {
            ApiError::internal(format!(
                "interview {} is pinned to a missing version {} of {}",
                interview.id, interview.version, interview.job_spec_id
            ))
        })
}

/// The job spec's current published version, which new interviews pin.
pub(super) async fn published(state: &AppState, id: &str) -> ApiResult<Option<JobSpecVersion>> {
    let summary = state
        .store()
        .job_spec_summary(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("job spec {id}")))?;
    match summary.current_version {
        None => Ok(None),
        Some(current) => Ok(state
            .store()
            .job_spec_version(id, &VersionSelector::Number(current))
            .await?),
    }
}

pub(super) async fn version_to_pin(state: &AppState, id: &str) -> ApiResult<JobSpecVersion> {
    published(state, id).await?.ok_or_else(|| {
        ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!(
                "job spec {id} has never been published; publish it first (interviews are pinned to the published version)"
            ),
        )
    })
}

fn gone(code: &'static str, message: &str) -> ApiError {
    ApiError::new(StatusCode::GONE, code, message)
}

/// The interview a token opens, refusing withdrawn and expired ones (and
/// marking an open interview past its expiry as expired). An unknown token
/// is a 404 without further detail.
pub(super) async fn by_token(state: &AppState, token: &str) -> ApiResult<Interview> {
    let unknown = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "this interview link is not valid; ask the hiring team for a new one",
        )
    };
    if token.is_empty() || token.len() > 128 {
        return Err(unknown());
    }
    let interview = state
        .store()
        .interview_by_token(&secret_hash(token))
        .await?
        .ok_or_else(unknown)?;
    let expired = || gone("expired", "this interview link has expired");
    match interview.status {
        Status::Withdrawn => Err(gone("withdrawn", "this interview has been withdrawn")),
        Status::Expired => Err(expired()),
        Status::Completed => Ok(interview),
        Status::Invited | Status::InProgress if interview.expires_at < now_millis() => {
            let actor = Actor {
                user_id: None,
                label: "candidate link".to_string(),
            };
            match state
                .store()
                .close_interview(&interview.id, Status::Expired, &actor, None)
                .await
            {
                Ok(_) | Err(StoreError::Conflict(_)) => {}
                Err(error) => return Err(error.into()),
            }
            Err(expired())
        }
        Status::Invited | Status::InProgress => Ok(interview),
    }
}
