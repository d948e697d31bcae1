//! The candidate's interview page (PRODUCT.md §3): `/candidate/{token}`.
//!
//! These routes are public: the unguessable token in the path is the
//! candidate's only credential, so there is no login and no CSRF token. The
//! handlers go through the same candidate service as the API
//! (`by_token`, `candidate_view_of`, `answer`, `finish`) and hand
//! `ladder_web` only questions, prompts and answers: never weights,
//! competencies, rubrics or scores.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ladder_web::{
    CandidateFormError, CandidatePageView, CandidatePromptItem, CandidateQuestionItem,
};

use super::candidate::{self as interviews, CandidateAnswer, CandidateView};
use super::lookup::by_token;
use crate::http::error::ApiError;
use crate::http::extract::url_decode_pairs;
use crate::http::page::{html, PageError, PageResult};
use crate::http::state::AppState;
use crate::http::text::{sentence, url_encode};

fn base_path(token: &str) -> String {
    format!("/candidate/{}", url_encode(token))
}

/// Where the candidate's page uploads recordings and plays them back.
fn audio_base(token: &str) -> String {
    format!("/api/v1/candidate/{}/audio", url_encode(token))
}

fn audio_url(token: &str, audio_id: &str) -> String {
    format!("{}/{}", audio_base(token), url_encode(audio_id))
}

fn render(
    state: &AppState,
    status: StatusCode,
    token: &str,
    view: &CandidateView,
    error: Option<&CandidateFormError>,
) -> Response {
    let round1: Vec<CandidateQuestionItem> = view
        .round1
        .iter()
        .map(|q| CandidateQuestionItem {
            id: q.id.clone(),
            text: q.text.clone(),
            answer: q.answer.clone(),
            audio_url: q.audio_id.as_ref().map(|id| audio_url(token, id)),
        })
        .collect();
    let round2: Vec<CandidatePromptItem> = view
        .round2
        .iter()
        .map(|p| CandidatePromptItem {
            id: p.id.clone(),
            number: p.number,
            text: p.text.clone(),
            answer: p.answer.clone(),
            audio_url: p.audio_id.as_ref().map(|id| audio_url(token, id)),
        })
        .collect();
    let base = base_path(token);
    html(
        status,
        ladder_web::candidate_page(&CandidatePageView {
            base_path: &base,
            // Recording is offered only where recordings can be kept.
            audio_upload: state
                .config()
                .audio
                .blob_dir
                .is_some()
                .then(|| audio_base(token))
                .as_deref(),
            job_title: &view.job.title,
            seniority: &view.job.seniority,
            description: &view.job.description,
            open: view.open,
            round1: &round1,
            round2: &round2,
            round2_total: view.progress.round2_total,
            error,
        }),
    )
}

async fn current_view(state: &AppState, token: &str) -> Result<CandidateView, ApiError> {
    let interview = by_token(state, token).await?;
    interviews::candidate_view_of(state, &interview).await
}

/// `GET /candidate/{token}`: the interview, or the thank-you page once done.
pub(super) async fn show(State(state): State<AppState>, Path(token): Path<String>) -> PageResult {
    let view = current_view(&state, &token)
        .await
        .map_err(PageError::candidate)?;
    Ok(render(&state, StatusCode::OK, &token, &view, None))
}

/// `POST /candidate/{token}/answers` with `round`, `item_id` and `text`.
pub(super) async fn answer(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: Bytes,
) -> PageResult {
    let fields = url_decode_pairs(&body);
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or("")
    };
    // Browsers send textarea line breaks as CRLF.
    let text = field("text").replace("\r\n", "\n");
    let item_id = field("item_id").to_string();
    // An unreadable round is left to the service to refuse (as round 0).
    let round = field("round").trim().parse::<u32>().unwrap_or(0);
    // Filled in by the page's recorder once a recording is uploaded.
    let audio_id = Some(field("audio_id").trim().to_string()).filter(|id| !id.is_empty());
    let input = CandidateAnswer {
        round,
        item_id: item_id.clone(),
        text: text.clone(),
        audio_id,
    };
    let error = match interviews::answer(&state, &token, input, None).await {
        Ok(_) => {
            let anchor = if round == 2 { "round2" } else { "round1" };
            return Ok(Redirect::to(&format!("{}#{anchor}", base_path(&token))).into_response());
        }
        Err(error) => error,
    };
    // A recording that is not this interview's is a problem with the form,
    // not with the link.
    let about_recording = error.field.as_deref() == Some("audio_id");
    if !about_recording
        && !matches!(
            error.status,
            StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
        )
    {
        return Err(PageError::candidate(error));
    }
    let view = current_view(&state, &token)
        .await
        .map_err(PageError::candidate)?;
    if !view.open {
        // Answered after finishing: the thank-you page says it all.
        return Ok(Redirect::to(&base_path(&token)).into_response());
    }
    let problem = CandidateFormError {
        round,
        item_id,
        message: sentence(&error.message),
        text,
    };
    Ok(render(&state, error.status, &token, &view, Some(&problem)))
}

/// `POST /candidate/{token}/finish`: completes the interview (again is fine).
pub(super) async fn finish(State(state): State<AppState>, Path(token): Path<String>) -> PageResult {
    interviews::finish(&state, &token, None)
        .await
        .map_err(PageError::candidate)?;
    Ok(Redirect::to(&base_path(&token)).into_response())
}
