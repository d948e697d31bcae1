//! The candidate's side, authenticated only by the secret token in the link:
//! what they see (questions and prompts, never weights, rubrics or scores),
//! answering (Round 02 strictly in order), and finishing.

use axum::http::StatusCode;
use ladder_core::interview::Status;
use ladder_core::jobspec::JobSpecBody;
use ladder_store::{
    Answer, AnswerOutcome, Draft, FinishedInterview, Interview, RecordedAnswer, StoreError,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::audio;
use super::dto::AnswerDto;
use super::lookup::{by_token, pinned};
use crate::http::error::{ApiError, ApiResult};
use crate::http::idempotency::{responder, IdempotencyClaim};
use crate::http::state::AppState;
use crate::http::text::rfc3339;

#[derive(Serialize, ToSchema)]
pub(super) struct CandidateJob {
    pub title: String,
    pub seniority: String,
    pub description: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct CandidateQuestion {
    pub id: String,
    pub text: String,
    /// The candidate's answer, once given.
    pub answer: Option<String>,
    /// The recording sent with the answer: `GET /api/v1/candidate/{token}/audio/{audio_id}`.
    pub audio_id: Option<String>,
    /// Text typed but not sent yet (`PUT /api/v1/candidate/{token}/drafts`);
    /// null when there is none or the question is answered.
    pub draft: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct CandidatePrompt {
    pub id: String,
    /// 1-based position in Round 02.
    pub number: u32,
    pub text: String,
    /// The candidate's answer; null for the next prompt.
    pub answer: Option<String>,
    /// The recording sent with the answer, if any.
    pub audio_id: Option<String>,
    /// Text typed but not sent yet; null when there is none or the prompt is
    /// answered.
    pub draft: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct CandidateProgress {
    pub round1_answered: u32,
    pub round1_total: u32,
    /// Round 02 prompts answered (the index of the next one).
    pub round2_position: u32,
    pub round2_total: u32,
}

/// What a candidate sees: questions and prompts, never weights, rubrics,
/// scores or anything about other candidates.
#[derive(Serialize, ToSchema)]
pub(super) struct CandidateView {
    pub status: Status,
    /// Whether answers are still accepted.
    pub open: bool,
    pub expires_at: String,
    pub job: CandidateJob,
    /// Round 01 questions, answerable in any order (only the answered ones
    /// once the interview is completed).
    pub round1: Vec<CandidateQuestion>,
    /// Round 02: the answered prompts and, while open, the next one only.
    pub round2: Vec<CandidatePrompt>,
    pub progress: CandidateProgress,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub(crate) async fn candidate_view_of(
    state: &AppState,
    interview: &Interview,
) -> ApiResult<CandidateView> {
    let version = pinned(state, interview).await?;
    let answers = state.store().answers(&interview.id).await?;
    let drafts = if interview.status.is_open() {
        state.store().drafts(&interview.id).await?
    } else {
        Vec::new()
    };
    Ok(candidate_view(interview, &version.body, &answers, &drafts))
}

/// What the candidate sees of `interview`, pinned to `body`, with `answers`
/// and the `drafts` of items not answered yet.
fn candidate_view(
    interview: &Interview,
    body: &JobSpecBody,
    answers: &[Answer],
    drafts: &[Draft],
) -> CandidateView {
    let answer_to = |round: u32, id: &str| {
        answers
            .iter()
            .find(|a| a.round == round && a.item_id == id)
            .map(|a| a.text.clone())
    };
    let audio_of = |round: u32, id: &str| {
        answers
            .iter()
            .find(|a| a.round == round && a.item_id == id)
            .and_then(|a| a.audio_id.clone())
    };
    let draft_of = |round: u32, id: &str| {
        drafts
            .iter()
            .find(|d| d.round == round && d.item_id == id)
            .map(|d| d.text.clone())
            .filter(|_| answer_to(round, id).is_none())
    };
    let open = interview.status.is_open();
    let round1: Vec<CandidateQuestion> = body
        .round1
        .iter()
        .map(|item| CandidateQuestion {
            id: item.id.clone(),
            text: item.text.clone(),
            answer: answer_to(1, &item.id),
            audio_id: audio_of(1, &item.id),
            draft: draft_of(1, &item.id),
        })
        .filter(|q| open || q.answer.is_some())
        .collect();
    let position = usize::try_from(interview.round2_position).unwrap_or(usize::MAX);
    let shown = if open {
        position.saturating_add(1)
    } else {
        position
    };
    let round2 = body
        .round2
        .iter()
        .take(shown)
        .enumerate()
        .map(|(index, item)| CandidatePrompt {
            id: item.id.clone(),
            number: count(index + 1),
            text: item.text.clone(),
            answer: answer_to(2, &item.id),
            audio_id: audio_of(2, &item.id),
            draft: draft_of(2, &item.id),
        })
        .collect();
    let round1_answered = body
        .round1
        .iter()
        .filter(|item| answer_to(1, &item.id).is_some())
        .count();
    CandidateView {
        status: interview.status,
        open,
        expires_at: rfc3339(interview.expires_at),
        job: CandidateJob {
            title: body.title.clone(),
            seniority: body.seniority.clone(),
            description: body.description.clone(),
        },
        round1,
        round2,
        progress: CandidateProgress {
            round1_answered: count(round1_answered),
            round1_total: count(body.round1.len()),
            round2_position: interview.round2_position,
            round2_total: count(body.round2.len()),
        },
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CandidateAnswer {
    /// 1 or 2.
    #[schema(minimum = 1, maximum = 2)]
    pub round: u32,
    pub item_id: String,
    /// May be empty when `audio_id` is given: the recording's transcript (if
    /// any) becomes the text.
    #[serde(default)]
    pub text: String,
    /// A recording of this interview from `POST /api/v1/candidate/{token}/audio`.
    #[serde(default)]
    pub audio_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct CandidateAnswered {
    /// The stored answer: on a repeat, the first one, unchanged.
    pub answer: AnswerDto,
    /// True when this item had already been answered.
    pub repeated: bool,
    pub progress: CandidateProgress,
}

#[tracing::instrument(skip(state, token, input, once))]
pub(super) async fn answer(
    state: &AppState,
    token: &str,
    input: CandidateAnswer,
    once: Option<&IdempotencyClaim>,
) -> ApiResult<(bool, CandidateAnswered)> {
    let interview = by_token(state, token).await?;
    let version = pinned(state, &interview).await?;
    let items = match input.round {
        1 => &version.body.round1,
        2 => &version.body.round2,
        other => {
            return Err(
                ApiError::unprocessable(format!("there are rounds 1 and 2, not {other}"))
                    .field("round"),
            )
        }
    };
    let position = items
        .iter()
        .position(|item| item.id == input.item_id)
        .ok_or_else(|| {
            ApiError::unprocessable(format!(
                "there is no item {} in Round 0{}",
                input.item_id, input.round
            ))
            .field("item_id")
        })?;
    let audio_id = input
        .audio_id
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty());
    let recording = match audio_id {
        Some(audio_id) => Some(audio::for_answer(state, &interview.id, audio_id).await?),
        None => None,
    };
    let typed = input.text.trim().is_empty();
    let text = match (&recording, typed) {
        (None, true) => {
            return Err(ApiError::unprocessable(
                "write an answer (or record one) before sending it",
            )
            .field("text"))
        }
        // Nothing typed: the transcript, when speech-to-text made one.
        (Some(recording), true) => recording
            .transcript
            .as_deref()
            .unwrap_or_default()
            .replace('\0', ""),
        (_, false) => input.text.clone(),
    };
    if let Some(problem) =
        ladder_core::limits::text_problem("the answer", &text, ladder_core::limits::ANSWER)
    {
        return Err(ApiError::unprocessable(problem).field("text"));
    }
    let position = count(position);
    if input.round == 2 && position > interview.round2_position {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "out_of_order",
            format!(
                "Round 02 is answered in order: answer prompt {} first",
                interview.round2_position + 1
            ),
        ));
    }
    let answered = |recorded: &RecordedAnswer| {
        let (created, stored) = match &recorded.outcome {
            AnswerOutcome::Recorded(answer) => (true, answer),
            AnswerOutcome::AlreadyAnswered(answer) => (false, answer),
        };
        let view = candidate_view(&recorded.interview, &version.body, &recorded.answers, &[]);
        (
            created,
            CandidateAnswered {
                answer: AnswerDto::from(stored),
                repeated: !created,
                progress: view.progress,
            },
        )
    };
    let respond = responder(once, |recorded: &RecordedAnswer| {
        let (created, body) = answered(recorded);
        (answer_status(created), body)
    });
    let recorded = state
        .store()
        .record_answer_with_audio(
            &interview.id,
            input.round,
            &input.item_id,
            position,
            &text,
            recording.as_ref().map(|r| r.id.as_str()),
            once.map(|claim| claim.completion(&respond)),
        )
        .await
        .map_err(|error| match error {
            StoreError::NotFound(what) => ApiError::not_found(what).field("audio_id"),
            StoreError::Conflict(message)
                if recording.is_some() && message.contains("recording") =>
            {
                ApiError::new(StatusCode::CONFLICT, "conflict", message).field("audio_id")
            }
            other => other.into(),
        })?;
    Ok(answered(&recorded))
}

/// 201 for an answer recorded now, 200 for a repeat of one given before.
pub(super) fn answer_status(created: bool) -> StatusCode {
    if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    }
}

#[tracing::instrument(skip(state, token, once))]
pub(super) async fn finish(
    state: &AppState,
    token: &str,
    once: Option<&IdempotencyClaim>,
) -> ApiResult<CandidateView> {
    let interview = by_token(state, token).await?;
    let version = pinned(state, &interview).await?;
    let view = |finished: &FinishedInterview| {
        candidate_view(&finished.interview, &version.body, &finished.answers, &[])
    };
    let respond = responder(once, |finished: &FinishedInterview| {
        (StatusCode::OK, view(finished))
    });
    let finished = state
        .store()
        .finish_interview(&interview.id, once.map(|claim| claim.completion(&respond)))
        .await?;
    Ok(view(&finished))
}
