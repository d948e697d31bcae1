//! What the staff read and write about one interview: the interviews of a
//! spec they may see, an interview's answers, recordings and scorecards, and
//! saving or submitting one's own scorecard.

use axum::http::StatusCode;
use ladder_core::access::Role;
use ladder_core::interview::{
    scorecard_problems, CompetencyScore, MustHaveCheck, Recommendation, Scorecard, Status,
};
use ladder_store::{Interview, SavedScorecard};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::{
    tenths_text, AnswerDto, InterviewDetail, InterviewDto, RecordingDto, ScorecardDto,
};
use super::lookup::{may_read, pinned, readable, user_of};
use super::sight::Sight;
use crate::http::auth::Principal;
use crate::http::error::{reject, ApiError, ApiResult};
use crate::http::idempotency::{responder, IdempotencyClaim};
use crate::http::state::AppState;
use crate::http::text::rfc3339;

/// The interviews of a job spec the caller may read.
pub(crate) async fn visible_interviews(
    state: &AppState,
    principal: &Principal,
    job_spec_id: &str,
) -> ApiResult<Vec<Interview>> {
    if state.store().job_spec_summary(job_spec_id).await?.is_none() {
        return Err(ApiError::not_found(format!("job spec {job_spec_id}")));
    }
    let all = state.store().interviews(job_spec_id).await?;
    let is_interviewer = principal
        .user
        .as_ref()
        .is_some_and(|u| u.role == Role::Interviewer);
    if !is_interviewer {
        return Ok(all);
    }
    let mut visible = Vec::new();
    for interview in all {
        let assigned = state.store().interviewers(&interview.id).await?;
        if may_read(principal, &assigned) {
            visible.push(interview);
        }
    }
    Ok(visible)
}

/// The caller's sight of one interview's scoring: full for those who oversee
/// interviews, else what their own scorecard allows.
pub(super) async fn sight_of(
    state: &AppState,
    principal: &Principal,
    interview_id: &str,
) -> ApiResult<Sight> {
    let overseer = Sight::new(principal, false);
    if overseer.overall() {
        return Ok(overseer);
    }
    let scorecards = state.store().scorecards(interview_id).await?;
    Ok(Sight::of(principal, &scorecards))
}

pub(super) async fn interview_detail(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> ApiResult<InterviewDetail> {
    let (interview, interviewers) = readable(state, principal, id).await?;
    let version = pinned(state, &interview).await?;
    let answers = state.store().answers(id).await?;
    let scorecards = state.store().scorecards(id).await?;
    let recordings = state.store().interview_audio(id).await?;
    let sight = Sight::of(principal, &scorecards);
    Ok(InterviewDetail {
        interview: InterviewDto::new(&interview).seen_with(&sight),
        version_label: version.label,
        interviewers,
        answers: answers.iter().map(AnswerDto::from).collect(),
        recordings: recordings
            .iter()
            .map(|audio| RecordingDto {
                url: format!("/api/v1/interviews/{id}/audio/{}", audio.id),
                id: audio.id.clone(),
                content_type: audio.content_type.clone(),
                size: audio.size,
                sha256: audio.sha256.clone(),
                transcript: audio.transcript.clone(),
                created_at: rfc3339(audio.created_at),
            })
            .collect(),
        scorecards: scorecards
            .iter()
            .filter(|card| sight.shows(card))
            .map(ScorecardDto::from)
            .collect(),
        overall: sight
            .overall()
            .then(|| tenths_text(interview.overall))
            .flatten(),
        fails_must_have: sight.overall() && interview.fails_must_have,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct ScorecardInput {
    /// One score (0–100) per competency of the pinned version.
    #[serde(default)]
    pub scores: Vec<CompetencyScore>,
    /// Every required must-have, met or not.
    #[serde(default)]
    pub must_haves: Vec<MustHaveCheck>,
    #[serde(default)]
    pub recommendation: Option<Recommendation>,
    #[serde(default)]
    pub notes: String,
    /// `true` submits (the scores count); `false` saves a draft.
    #[serde(default)]
    pub submit: bool,
}

#[derive(Serialize, ToSchema)]
pub(super) struct ScorecardSaved {
    pub scorecard: ScorecardDto,
    /// The interview's overall score after this save.
    pub overall: Option<String>,
    pub fails_must_have: bool,
}

#[tracing::instrument(skip(state, principal, input, once))]
pub(super) async fn save_scorecard(
    state: &AppState,
    principal: &Principal,
    id: &str,
    input: ScorecardInput,
    once: Option<&IdempotencyClaim>,
) -> ApiResult<ScorecardSaved> {
    let user = user_of(principal)?;
    let (interview, _) = readable(state, principal, id).await?;
    if matches!(interview.status, Status::Withdrawn) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "the interview was withdrawn; it can no longer be scored",
        ));
    }
    let version = pinned(state, &interview).await?;
    let card = Scorecard {
        scores: input.scores,
        must_haves: input.must_haves,
        recommendation: input.recommendation,
        notes: input.notes,
    };
    reject(&scorecard_problems(&card, &version.body, input.submit))?;
    let reply = |saved: &SavedScorecard| {
        // Saving one's own scorecard shows the overall only once it is
        // submitted (or to those who oversee the interview).
        let sight = Sight::new(principal, saved.scorecard.submitted);
        ScorecardSaved {
            scorecard: ScorecardDto::from(&saved.scorecard),
            overall: sight
                .overall()
                .then(|| tenths_text(saved.interview.overall))
                .flatten(),
            fails_must_have: sight.overall() && saved.interview.fails_must_have,
        }
    };
    let respond = responder(once, |saved: &SavedScorecard| {
        (StatusCode::OK, reply(saved))
    });
    let saved = state
        .store()
        .save_scorecard(
            id,
            &user.id,
            &card,
            input.submit,
            &version.body,
            &principal.actor(),
            once.map(|claim| claim.completion(&respond)),
        )
        .await?;
    Ok(reply(&saved))
}
