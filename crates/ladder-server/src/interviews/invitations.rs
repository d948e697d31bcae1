//! Inviting candidates to a published job spec, one at a time or from a CSV
//! file: each interview is pinned to the spec's current version and its
//! candidate gets a secret link (see `links.rs`). A candidate invited to the
//! job spec before is not invited again unless the request says so: the
//! single invitation is refused with 409 `already_invited`, a CSV row is
//! reported as skipped.

use axum::http::StatusCode;
use ladder_core::access::Role;
use ladder_store::{Actor, Interview, Invited, JobSpecVersion, NewInvitation};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::candidates::{candidate, csv_candidates, Candidate};
use super::links::{
    date_text, invitation, link_expiry, Invitation, DEFAULT_EXPIRY_DAYS, MAX_EXPIRY_DAYS,
};
use super::lookup::version_to_pin;
use crate::http::auth::{random_secret, secret_hash};
use crate::http::error::{ApiError, ApiResult};
use crate::http::idempotency::{responder, IdempotencyClaim};
use crate::http::state::AppState;

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

/// Why a candidate was not invited: the interview they already have.
fn invited_before(earlier: &Interview) -> String {
    format!(
        "the candidate {} was already invited to this job spec on {} (interview {}, {})",
        earlier.candidate_email,
        date_text(earlier.created_at),
        earlier.id,
        super::dto::effective_status(earlier, ladder_store::now_millis())
            .as_str()
            .replace('_', " ")
    )
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
    /// Invite the candidate even if this e-mail was invited to the job spec
    /// before; otherwise that is a 409 `already_invited`.
    #[serde(default)]
    pub again: bool,
}

/// How a caller asks to invite a candidate again, for the refusal's message.
#[derive(Debug, Clone, Copy)]
pub(super) enum AgainHint {
    /// `"again": true` in the JSON body.
    Api,
    /// The invite form's "Invite again" checkbox.
    Form,
}

#[tracing::instrument(skip(state, input, actor, once))]
pub(super) async fn invite_candidate(
    state: &AppState,
    job_spec_id: &str,
    input: NewInterview,
    actor: &Actor,
    once: Option<&IdempotencyClaim>,
    hint: AgainHint,
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
    let token = random_secret();
    let row = new_row(&candidate, &token, link_expiry(days), &input.interviewers);
    let invited = |done: &Invited| {
        done.created
            .first()
            .map(|interview| invitation(state, interview, &token))
    };
    let respond = responder(once, |done: &Invited| (StatusCode::CREATED, invited(done)));
    // The check for an earlier invitation, the interview and its
    // interviewers in one transaction.
    let done = state
        .store()
        .invite_candidates(
            &version.job_spec_id,
            version.version,
            &[row],
            &[input.again],
            actor,
            once.map(|claim| claim.completion(&respond)),
        )
        .await?;
    if let Some(created) = invited(&done) {
        return Ok(created);
    }
    let Some((_, earlier)) = done.already.first() else {
        return Err(ApiError::internal("the store created no interview"));
    };
    let how = match hint {
        AgainHint::Api => "send \"again\": true to invite them a second time",
        AgainHint::Form => {
            "tick “Invite again” and send the form again to invite them a second time"
        }
    };
    Err(ApiError::new(
        StatusCode::CONFLICT,
        "already_invited",
        format!("{}; {how}", invited_before(earlier)),
    )
    .field("candidate_email"))
}

fn new_row(
    candidate: &Candidate,
    token: &str,
    expires_at: i64,
    interviewers: &[String],
) -> NewInvitation {
    NewInvitation {
        candidate_name: candidate.name.clone(),
        candidate_email: candidate.email.clone(),
        token_hash: secret_hash(token),
        expires_at,
        interviewers: interviewers.to_vec(),
    }
}

/// A CSV row whose candidate was not invited.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct SkippedRow {
    /// The line of the file the row starts on.
    pub line: u32,
    pub name: String,
    pub email: String,
    /// Why, as a sentence.
    pub reason: String,
    /// The interview the candidate already has.
    pub interview_id: String,
}

/// What a CSV file did: who was invited, and the rows left out.
#[derive(Serialize, ToSchema)]
pub(super) struct CsvInvited {
    /// The new interviews, each with its candidate's link (shown only here),
    /// in the order of the file.
    pub invited: Vec<Invitation>,
    /// Rows not invited because their candidate was invited to the job spec
    /// before (or earlier in the file); an `again` column saying yes invites
    /// them anyway.
    pub skipped: Vec<SkippedRow>,
}

#[tracing::instrument(skip(state, text, actor))]
pub(super) async fn invite_from_csv(
    state: &AppState,
    job_spec_id: &str,
    text: &str,
    actor: &Actor,
    once: Option<&IdempotencyClaim>,
) -> ApiResult<CsvInvited> {
    let version: JobSpecVersion = version_to_pin(state, job_spec_id).await?;
    let candidates = csv_candidates(text)?;
    let expires_at = link_expiry(DEFAULT_EXPIRY_DAYS);
    let tokens: Vec<String> = candidates.iter().map(|_| random_secret()).collect();
    let rows: Vec<NewInvitation> = candidates
        .iter()
        .zip(&tokens)
        .map(|(row, token)| new_row(&row.candidate, token, expires_at, &[]))
        .collect();
    let again: Vec<bool> = candidates.iter().map(|row| row.again).collect();
    // One transaction for the whole file: if any row fails none is created,
    // so a retry never duplicates candidates.
    let outcome = |done: &Invited| -> CsvInvited {
        let mut skipped_rows = done.already.iter().map(|(index, _)| *index);
        let mut left_out = skipped_rows.next();
        let mut created = done.created.iter();
        let mut invited = Vec::new();
        for (index, token) in tokens.iter().enumerate() {
            if left_out == Some(index) {
                left_out = skipped_rows.next();
            } else if let Some(interview) = created.next() {
                invited.push(invitation(state, interview, token));
            }
        }
        let skipped = done
            .already
            .iter()
            .filter_map(|(index, earlier)| {
                let row = candidates.get(*index)?;
                Some(SkippedRow {
                    line: u32::try_from(row.line).unwrap_or(u32::MAX),
                    name: row.candidate.name.clone(),
                    email: row.candidate.email.clone(),
                    reason: format!(
                        "{}; put yes in an again column to invite them a second time",
                        invited_before(earlier)
                    ),
                    interview_id: earlier.id.clone(),
                })
            })
            .collect();
        CsvInvited { invited, skipped }
    };
    let respond = responder(once, |done: &Invited| {
        (csv_status(done.created.len()), outcome(done))
    });
    let done = state
        .store()
        .invite_candidates(
            &version.job_spec_id,
            version.version,
            &rows,
            &again,
            actor,
            once.map(|claim| claim.completion(&respond)),
        )
        .await?;
    if done.created.len() + done.already.len() != tokens.len() {
        return Err(ApiError::internal(format!(
            "{} candidates were sent but the store accounted for {}",
            tokens.len(),
            done.created.len() + done.already.len()
        )));
    }
    Ok(outcome(&done))
}

/// 201 when a CSV file invited someone, 200 when every row was skipped.
pub(super) fn csv_status(created: usize) -> StatusCode {
    if created > 0 {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    }
}
