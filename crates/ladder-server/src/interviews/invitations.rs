//! Inviting candidates to a published job spec, one at a time or from a CSV
//! file: each interview is pinned to the spec's current version and its
//! candidate gets a secret link (256 random bits, stored only as a hash).

use axum::http::StatusCode;
use ladder_core::access::Role;
use ladder_store::{now_millis, Actor, Interview, JobSpecVersion, NewInvitation};
use serde::Deserialize;
use utoipa::ToSchema;

use super::candidates::{candidate, csv_candidates, Candidate};
use super::dto::{InterviewDto, Invitation};
use super::lookup::version_to_pin;
use crate::http::auth::{random_secret, secret_hash};
use crate::http::error::{ApiError, ApiResult};
use crate::http::idempotency::{responder, IdempotencyClaim};
use crate::http::state::AppState;

pub(super) const DEFAULT_EXPIRY_DAYS: u32 = 14;
pub(super) const MAX_EXPIRY_DAYS: u32 = 90;
const DAY_MILLIS: i64 = 86_400_000;

fn expiry_days(days: Option<u32>) -> ApiResult<u32> {
    match days {
        None => Ok(DEFAULT_EXPIRY_DAYS),
        Some(days) if (1..=MAX_EXPIRY_DAYS).contains(&days) => Ok(days),
        Some(days) => Err(ApiError::unprocessable(format!(
            "a link is valid for 1 to {MAX_EXPIRY_DAYS} days, not {days}"
        ))
        .field("expires_in_days")),
    }
}

/// Only active users whose role reads job specs can be interviewers.
pub(super) async fn check_interviewer(
    state: &AppState,
    user_id: &str,
    field: &str,
) -> ApiResult<()> {
    match state.store().user(user_id).await? {
        None => Err(ApiError::unprocessable(format!("there is no user {user_id}")).field(field)),
        Some(user) if user.disabled => {
            Err(ApiError::unprocessable(format!("{} is disabled", user.email)).field(field))
        }
        Some(user) if matches!(user.role, Role::Member | Role::Manager) => {
            Err(ApiError::unprocessable(format!(
                "{} is a {}; only interviewers, hiring managers and admins can interview",
                user.email, user.role
            ))
            .field(field))
        }
        Some(_) => Ok(()),
    }
}

/// When a link made now for `days` days stops working.
fn link_expiry(days: u32) -> i64 {
    now_millis().saturating_add(i64::from(days) * DAY_MILLIS)
}

/// The response for a created interview and its candidate's secret token.
fn invitation(interview: &Interview, token: &str) -> Invitation {
    Invitation {
        interview: InterviewDto::new(interview),
        candidate_url: format!("/candidate/{token}"),
        candidate_token: token.to_string(),
    }
}

async fn create_one(
    state: &AppState,
    version: &JobSpecVersion,
    candidate: &Candidate,
    days: u32,
    interviewers: &[String],
    actor: &Actor,
    once: Option<&IdempotencyClaim>,
) -> ApiResult<Invitation> {
    let token = random_secret();
    // The interview and its interviewers in one transaction.
    let row = ladder_store::NewInvitation {
        candidate_name: candidate.name.clone(),
        candidate_email: candidate.email.clone(),
        token_hash: secret_hash(&token),
        expires_at: link_expiry(days),
        interviewers: interviewers.to_vec(),
    };
    let invited = |interviews: &[Interview]| interviews.first().map(|i| invitation(i, &token));
    let respond = responder(once, |interviews: &[Interview]| {
        (StatusCode::CREATED, invited(interviews))
    });
    let interviews = state
        .store()
        .create_interviews(
            &version.job_spec_id,
            version.version,
            &[row],
            actor,
            once.map(|claim| claim.completion(&respond)),
        )
        .await?;
    invited(&interviews).ok_or_else(|| ApiError::internal("the store created no interview"))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewInterview {
    pub candidate_name: String,
    pub candidate_email: String,
    /// How long the candidate's link works (default 14 days, at most 90).
    #[serde(default)]
    pub expires_in_days: Option<u32>,
    /// User ids of interviewers to assign.
    #[serde(default)]
    pub interviewers: Vec<String>,
}

#[tracing::instrument(skip(state, input, actor))]
pub(super) async fn invite_candidate(
    state: &AppState,
    job_spec_id: &str,
    input: NewInterview,
    actor: &Actor,
    once: Option<&IdempotencyClaim>,
) -> ApiResult<Invitation> {
    let version = version_to_pin(state, job_spec_id).await?;
    let candidate = candidate(
        &input.candidate_name,
        &input.candidate_email,
        "candidate_name",
        "candidate_email",
    )?;
    let days = expiry_days(input.expires_in_days)?;
    for (index, user) in input.interviewers.iter().enumerate() {
        check_interviewer(state, user, &format!("interviewers[{index}]")).await?;
    }
    create_one(
        state,
        &version,
        &candidate,
        days,
        &input.interviewers,
        actor,
        once,
    )
    .await
}

#[tracing::instrument(skip(state, text, actor))]
pub(super) async fn invite_from_csv(
    state: &AppState,
    job_spec_id: &str,
    text: &str,
    actor: &Actor,
    once: Option<&IdempotencyClaim>,
) -> ApiResult<Vec<Invitation>> {
    let version = version_to_pin(state, job_spec_id).await?;
    let candidates = csv_candidates(text)?;
    let expires_at = link_expiry(DEFAULT_EXPIRY_DAYS);
    let tokens: Vec<String> = candidates.iter().map(|_| random_secret()).collect();
    let rows: Vec<NewInvitation> = candidates
        .iter()
        .zip(&tokens)
        .map(|(candidate, token)| NewInvitation {
            candidate_name: candidate.name.clone(),
            candidate_email: candidate.email.clone(),
            token_hash: secret_hash(token),
            expires_at,
            interviewers: Vec::new(),
        })
        .collect();
    // One transaction for the whole file: if any row fails none is created,
    // so a retry never duplicates candidates.
    let invited = |interviews: &[Interview]| -> Vec<Invitation> {
        interviews
            .iter()
            .zip(&tokens)
            .map(|(interview, token)| invitation(interview, token))
            .collect()
    };
    let respond = responder(once, |interviews: &[Interview]| {
        (StatusCode::CREATED, invited(interviews))
    });
    let interviews = state
        .store()
        .create_interviews(
            &version.job_spec_id,
            version.version,
            &rows,
            actor,
            once.map(|claim| claim.completion(&respond)),
        )
        .await?;
    if interviews.len() != tokens.len() {
        return Err(ApiError::internal(format!(
            "{} candidates were sent but the store created {} interviews",
            tokens.len(),
            interviews.len()
        )));
    }
    Ok(invited(&interviews))
}
