//! The candidate's interview page (PRODUCT.md §3): `/candidate/{token}`.
//!
//! These routes are public: the unguessable token in the path is the
//! candidate's only credential, so there is no login and no CSRF token. The
//! handlers go through the same candidate service as the API
//! (`by_token`, `candidate_view_of`, `answer`, `finish`) and hand
//! `ladder_web` only questions, prompts, answers and drafts: never weights,
//! competencies, rubrics or scores.
//!
//! The page is one form: every open item's text travels with whichever
//! "Send answer" was pressed (`send` = `round:item`, texts in
//! `text:round:item`), and the texts not sent are kept as drafts, so a page
//! without script loses nothing typed either. The older shape — `round`,
//! `item_id`, `text` (and `audio_id`) — is still read.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ladder_web::{
    CandidateFormError, CandidatePageView, CandidatePromptItem, CandidateQuestionItem,
};

use super::candidate::{self as interviews, CandidateAnswer, CandidateView};
use super::drafts;
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

/// Where the page's script sends answers and drafts.
fn api_base(token: &str) -> String {
    format!("/api/v1/candidate/{}", url_encode(token))
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
            draft: q.draft.clone(),
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
            draft: p.draft.clone(),
        })
        .collect();
    let base = base_path(token);
    let api = api_base(token);
    html(
        status,
        ladder_web::candidate_page(&CandidatePageView {
            base_path: &base,
            api_base: &api,
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

/// An answer form as sent: the item answered, with its text and recording,
/// and the texts of the other open items.
struct AnswerForm {
    round: u32,
    item_id: String,
    text: String,
    audio_id: Option<String>,
    /// (round, item, text) of every item the form carries, the sent one
    /// included: kept as drafts, so a refused answer keeps its text too.
    texts: Vec<(u32, String, String)>,
}

/// `round:item` → (round, item); an unreadable round is 0, for the service
/// to refuse.
fn item_key(key: &str) -> (u32, String) {
    let (round, item) = key.split_once(':').unwrap_or(("", key));
    (round.trim().parse().unwrap_or(0), item.to_string())
}

fn answer_form(body: &[u8]) -> AnswerForm {
    let fields = url_decode_pairs(body);
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or("")
    };
    // Browsers send textarea line breaks as CRLF.
    let text_of = |name: &str| field(name).replace("\r\n", "\n");
    // Filled in by the page's recorder once a recording is uploaded.
    let audio_of = |name: &str| Some(field(name).trim().to_string()).filter(|id| !id.is_empty());
    let texts: Vec<(u32, String, String)> = fields
        .iter()
        .filter_map(|(key, value)| {
            let (round, item) = item_key(key.strip_prefix("text:")?);
            Some((round, item, value.replace("\r\n", "\n")))
        })
        .collect();
    let sent = field("send");
    if sent.is_empty() {
        return AnswerForm {
            round: field("round").trim().parse::<u32>().unwrap_or(0),
            item_id: field("item_id").to_string(),
            text: text_of("text"),
            audio_id: audio_of("audio_id"),
            texts,
        };
    }
    let (round, item_id) = item_key(sent);
    AnswerForm {
        round,
        item_id,
        text: text_of(&format!("text:{sent}")),
        audio_id: audio_of(&format!("audio:{sent}")),
        texts,
    }
}

/// `POST /candidate/{token}/answers`: answers the item whose "Send answer"
/// was pressed and keeps the other texts as drafts.
pub(super) async fn answer(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: Bytes,
) -> PageResult {
    let form = answer_form(&body);
    if !form.texts.is_empty() {
        // Kept before the answer, whatever becomes of it; the answer then
        // removes its own item's draft.
        let interview = by_token(&state, &token)
            .await
            .map_err(PageError::candidate)?;
        drafts::save_from_form(&state, &interview, form.texts).await;
    }
    let (round, item_id, text) = (form.round, form.item_id, form.text);
    let input = CandidateAnswer {
        round,
        item_id: item_id.clone(),
        text: text.clone(),
        audio_id: form.audio_id,
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
