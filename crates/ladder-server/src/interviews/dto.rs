//! What the interview API answers with: interviews, answers, recordings and
//! scorecards as JSON.

use ladder_core::interview::{Scorecard, Status, Tenths};
use ladder_store::{now_millis, Answer, Interview, StoredScorecard};
use serde::Serialize;
use utoipa::ToSchema;

use super::sight::Sight;
use crate::http::text::rfc3339;

pub(super) fn tenths_text(value: Option<Tenths>) -> Option<String> {
    value.map(|t| t.to_string())
}

/// An interview's status as the candidate's link would find it: an open
/// interview past its expiry reads as expired.
pub(super) fn effective_status(interview: &Interview, now: i64) -> Status {
    if interview.status.is_open() && interview.expires_at < now {
        Status::Expired
    } else {
        interview.status
    }
}

#[derive(Serialize, ToSchema)]
pub(super) struct InterviewDto {
    pub id: String,
    pub job_spec_id: String,
    /// The published version the interview is pinned to.
    pub version: u32,
    pub candidate_name: String,
    pub candidate_email: String,
    /// An open interview past `expires_at` reads as `expired`.
    pub status: Status,
    pub expires_at: String,
    /// Round 02 prompts answered so far (the index of the next prompt).
    pub round2_position: u32,
    /// Σ weight × mean score with one decimal ("74.0"); null before the first
    /// submitted scorecard.
    pub overall: Option<String>,
    pub fails_must_have: bool,
    pub created_by: String,
    pub created_at: String,
    pub started_at: Option<String>,
    pub completed_at: Option<String>,
}

impl InterviewDto {
    /// Without the overall score and the must-have flag when the caller may
    /// not see them yet.
    pub(super) fn seen_with(mut self, sight: &Sight) -> InterviewDto {
        if !sight.overall() {
            self.overall = None;
            self.fails_must_have = false;
        }
        self
    }

    pub(super) fn new(interview: &Interview) -> InterviewDto {
        InterviewDto {
            id: interview.id.clone(),
            job_spec_id: interview.job_spec_id.clone(),
            version: interview.version,
            candidate_name: interview.candidate_name.clone(),
            candidate_email: interview.candidate_email.clone(),
            status: effective_status(interview, now_millis()),
            expires_at: rfc3339(interview.expires_at),
            round2_position: interview.round2_position,
            overall: tenths_text(interview.overall),
            fails_must_have: interview.fails_must_have,
            created_by: interview.created_by.clone(),
            created_at: rfc3339(interview.created_at),
            started_at: interview.started_at.map(rfc3339),
            completed_at: interview.completed_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub(super) struct AnswerDto {
    pub round: u32,
    pub item_id: String,
    /// What the candidate typed; the recording's transcript when they typed
    /// nothing; empty for a recording without a transcript.
    pub text: String,
    /// The recording sent with the answer, if any.
    pub audio_id: Option<String>,
    pub created_at: String,
}

impl From<&Answer> for AnswerDto {
    fn from(answer: &Answer) -> AnswerDto {
        AnswerDto {
            round: answer.round,
            item_id: answer.item_id.clone(),
            text: answer.text.clone(),
            audio_id: answer.audio_id.clone(),
            created_at: rfc3339(answer.created_at),
        }
    }
}

/// A recording of the interview, for the people who may read it.
#[derive(Serialize, ToSchema)]
pub(super) struct RecordingDto {
    pub id: String,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    /// The speech-to-text transcript, when there is one.
    pub transcript: Option<String>,
    /// `GET` it for the bytes.
    pub url: String,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct ScorecardDto {
    pub interviewer_id: String,
    pub submitted: bool,
    /// 1 for the first save, +1 for every later save.
    pub revision: u32,
    pub card: Scorecard,
    pub updated_at: String,
    pub submitted_at: Option<String>,
    /// A draft written by the automated evaluator that no person has
    /// submitted yet: not counted until a person submits it.
    pub automated: bool,
    /// `llm:<model>` when the evaluator drafted this scorecard (kept after a
    /// person submits it).
    pub drafted_by: Option<String>,
}

impl From<&StoredScorecard> for ScorecardDto {
    fn from(stored: &StoredScorecard) -> ScorecardDto {
        ScorecardDto {
            interviewer_id: stored.interviewer_id.clone(),
            submitted: stored.submitted,
            revision: stored.revision,
            card: stored.card.clone(),
            updated_at: rfc3339(stored.updated_at),
            submitted_at: stored.submitted_at.map(rfc3339),
            automated: stored.automated,
            drafted_by: stored.drafted_by.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub(super) struct InterviewDetail {
    pub interview: InterviewDto,
    pub version_label: Option<String>,
    /// User ids of the assigned interviewers.
    pub interviewers: Vec<String>,
    pub answers: Vec<AnswerDto>,
    /// The recordings the candidate made (sent with an answer or not).
    pub recordings: Vec<RecordingDto>,
    pub scorecards: Vec<ScorecardDto>,
    /// One decimal ("74.0"), or null before the first submitted scorecard.
    pub overall: Option<String>,
    pub fails_must_have: bool,
}
