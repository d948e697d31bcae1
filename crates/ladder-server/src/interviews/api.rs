//! `/api/v1/job-specs/{id}/interviews…`, `/api/v1/interviews/…` and
//! `/api/v1/candidate/{token}…`: the JSON side of interviews.

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use ladder_core::interview::Status;
use ladder_store::Interview;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::audio::{self, AudioUploaded};
use super::candidate::{
    answer, answer_status, candidate_view_of, finish, CandidateAnswer, CandidateAnswered,
    CandidateView,
};
use super::drafts::{self, CandidateDraft, DraftSaved};
use super::dto::{InterviewDetail, InterviewDto};
use super::evaluator::{draft, AutomatedDraft, AutomatedRequest};
use super::invitations::{
    check_interviewer, csv_status, invite_candidate, invite_from_csv, AgainHint, CsvInvited,
    NewInterview,
};
use super::links::{self, Invitation, LinkExtension};
use super::lookup::{by_token, interview_or_404};
use super::performance::{job_spec_performance, results, results_to_csv, Performance, Results};
use super::scorecards::{
    interview_detail, save_scorecard, sight_of, visible_interviews, ScorecardInput, ScorecardSaved,
};
use crate::http::auth::Principal;
use crate::http::error::{ApiError, ApiResult, ErrorBody};
use crate::http::extract::parse_json;
use crate::http::extract::JsonBody;
use crate::http::idempotency::{responder, Idempotent};
use crate::http::state::AppState;

#[utoipa::path(post, path = "/api/v1/job-specs/{id}/interviews", tag = "interviews", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "retry safely: the same key and request return the first response")),
    request_body = NewInterview,
    responses((status = 201, body = Invitation), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "never published; `already_invited` (`field` `candidate_email`) when the e-mail was invited to this job spec before, naming that interview (send `\"again\": true` to invite anyway); or the Idempotency-Key was used for another request"), (status = 422, body = ErrorBody, description = "`field` is `candidate_name`, `candidate_email`, `expires_in_days` or `interviewers[i]`")))]
pub(super) async fn invite(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Idempotent(once): Idempotent,
    JsonBody(input): JsonBody<NewInterview>,
) -> ApiResult<Response> {
    let created = invite_candidate(
        &state,
        &id,
        input,
        &principal.actor(),
        once.as_ref(),
        AgainHint::Api,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[utoipa::path(post, path = "/api/v1/job-specs/{id}/interviews/csv", tag = "interviews", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content = String, content_type = "text/csv", description = "a header `name,email` (or `candidate_name,candidate_email`), optionally with an `again` column (yes/no), and one candidate per line"),
    responses((status = 201, body = CsvInvited, description = "some were invited; rows whose candidate was invited to the job spec before (or earlier in the file) are in `skipped` unless their `again` says yes"), (status = 200, body = CsvInvited, description = "every row was skipped: nobody new was invited"), (status = 409, body = ErrorBody, description = "never published"), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody, description = "nothing was created; `field` is `header`, `rows` or `rows[i].name` / `rows[i].email` / `rows[i].again` (0-based data rows)")))]
pub(super) async fn invite_csv(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Idempotent(once): Idempotent,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let is_csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv") || v.starts_with("text/plain"));
    if !is_csv {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the file with `Content-Type: text/csv`",
        ));
    }
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::unprocessable("the file is not UTF-8 text"))?;
    let done = invite_from_csv(&state, &id, text, &principal.actor(), once.as_ref()).await?;
    Ok((csv_status(done.invited.len()), Json(done)).into_response())
}

#[utoipa::path(get, path = "/api/v1/job-specs/{id}/interviews", operation_id = "list_interviews", tag = "interviews", params(("id" = String, Path)),
    responses((status = 200, body = Vec<InterviewDto>, description = "interviewers see only the interviews they are assigned to"), (status = 404, body = ErrorBody)))]
pub(super) async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<InterviewDto>>> {
    let interviews = visible_interviews(&state, &principal, &id).await?;
    let mut shown = Vec::with_capacity(interviews.len());
    for interview in &interviews {
        let sight = sight_of(&state, &principal, &interview.id).await?;
        shown.push(InterviewDto::new(interview).seen_with(&sight));
    }
    Ok(Json(shown))
}

#[utoipa::path(get, path = "/api/v1/interviews/{id}", operation_id = "interview_detail", tag = "interviews", params(("id" = String, Path)),
    responses((status = 200, body = InterviewDetail), (status = 403, body = ErrorBody, description = "an interviewer not assigned to this interview"), (status = 404, body = ErrorBody)))]
pub(super) async fn detail(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<InterviewDetail>> {
    Ok(Json(interview_detail(&state, &principal, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct AssignInterviewer {
    pub user_id: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct Interviewers {
    pub interview_id: String,
    pub interviewers: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/interviews/{id}/interviewers", tag = "interviews", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = AssignInterviewer,
    responses((status = 200, body = Interviewers), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody, description = "`field` is `user_id`")))]
pub(super) async fn assign(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Idempotent(once): Idempotent,
    JsonBody(input): JsonBody<AssignInterviewer>,
) -> ApiResult<Json<Interviewers>> {
    interview_or_404(&state, &id).await?;
    check_interviewer(&state, &input.user_id, "user_id").await?;
    let assigned = |interviewers: &[String]| Interviewers {
        interview_id: id.clone(),
        interviewers: interviewers.to_vec(),
    };
    let respond = responder(once.as_ref(), |interviewers: &[String]| {
        (StatusCode::OK, assigned(interviewers))
    });
    let interviewers = state
        .store()
        .assign_interviewer(
            &id,
            &input.user_id,
            &principal.actor(),
            once.as_ref().map(|claim| claim.completion(&respond)),
        )
        .await?;
    Ok(Json(assigned(&interviewers)))
}

#[utoipa::path(post, path = "/api/v1/interviews/{id}/withdraw", tag = "interviews", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = InterviewDto), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "already completed, withdrawn or expired")))]
pub(super) async fn withdraw(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Idempotent(once): Idempotent,
) -> ApiResult<Json<InterviewDto>> {
    interview_or_404(&state, &id).await?;
    let respond = responder(once.as_ref(), |closed: &Interview| {
        (StatusCode::OK, InterviewDto::new(closed))
    });
    let closed = state
        .store()
        .close_interview(
            &id,
            Status::Withdrawn,
            &principal.actor(),
            once.as_ref().map(|claim| claim.completion(&respond)),
        )
        .await?;
    Ok(Json(InterviewDto::new(&closed)))
}

#[utoipa::path(post, path = "/api/v1/interviews/{id}/link/extend", tag = "interviews", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = LinkExtension,
    responses((status = 200, body = InterviewDto, description = "the interview with its new `expires_at`; an expired one is open again"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "completed or withdrawn"), (status = 422, body = ErrorBody, description = "`field` is `days`: 1 to 90, and the link may run at most 90 days from now")))]
pub(super) async fn extend_link(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Idempotent(once): Idempotent,
    JsonBody(input): JsonBody<LinkExtension>,
) -> ApiResult<Json<InterviewDto>> {
    let extended =
        links::extend(&state, &id, input.days, &principal.actor(), once.as_ref()).await?;
    Ok(Json(InterviewDto::new(&extended)))
}

#[utoipa::path(post, path = "/api/v1/interviews/{id}/link/replace", tag = "interviews", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "retry safely: the same key returns the same new link")),
    responses((status = 200, body = Invitation, description = "the new link, shown only in this response; the old one opens nothing from now on. A link that had expired runs 14 days from now"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "completed or withdrawn")))]
pub(super) async fn replace_link(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Idempotent(once): Idempotent,
) -> ApiResult<Json<Invitation>> {
    let (_, replaced) = links::replace(&state, &id, &principal.actor(), once.as_ref()).await?;
    Ok(Json(replaced))
}

#[utoipa::path(post, path = "/api/v1/interviews/{id}/scorecards", tag = "interviews", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = ScorecardInput,
    responses((status = 200, body = ScorecardSaved, description = "the caller's scorecard, as a new revision"), (status = 403, body = ErrorBody, description = "an interviewer not assigned to this interview"), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody, description = "`field` names the first problem, e.g. `scores[1].score` or `must_haves`")))]
pub(super) async fn scorecard(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Idempotent(once): Idempotent,
    JsonBody(input): JsonBody<ScorecardInput>,
) -> ApiResult<Json<ScorecardSaved>> {
    Ok(Json(
        save_scorecard(&state, &principal, &id, input, once.as_ref()).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct PerformanceParams {
    /// A published version number or label; all versions when absent.
    pub version: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/job-specs/{id}/performance", tag = "interviews", params(("id" = String, Path), PerformanceParams),
    responses((status = 200, body = Performance, description = "maintained figures: constant cost whatever the number of interviews"), (status = 404, body = ErrorBody)))]
pub(super) async fn performance(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<PerformanceParams>,
) -> ApiResult<Json<Performance>> {
    Ok(Json(
        job_spec_performance(&state, &id, params.version.as_deref()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/job-specs/{id}/results.json", tag = "interviews", params(("id" = String, Path)),
    responses((status = 200, body = Results), (status = 404, body = ErrorBody)))]
pub(super) async fn results_json(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<Results>> {
    Ok(Json(results(&state, &principal, &id).await?))
}

#[utoipa::path(get, path = "/api/v1/job-specs/{id}/results.csv", tag = "interviews", params(("id" = String, Path)),
    responses((status = 200, content_type = "text/csv", body = String, description = "one row per interview; a column per competency of the current version"), (status = 404, body = ErrorBody)))]
pub(super) async fn results_csv(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let results = results(&state, &principal, &id).await?;
    let disposition = format!(
        "attachment; filename=\"{}-results.csv\"",
        id.replace(
            |c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_',
            ""
        )
    );
    let mut response = (
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        results_to_csv(&results),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/candidate/{token}", tag = "candidate", params(("token" = String, Path, description = "the secret from the candidate's link")),
    responses((status = 200, body = CandidateView), (status = 404, body = ErrorBody, description = "unknown link"), (status = 410, body = ErrorBody, description = "`expired` or `withdrawn`"), (status = 429, body = ErrorBody)))]
pub(super) async fn candidate_view(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<Json<CandidateView>> {
    let interview = by_token(&state, &token).await?;
    Ok(Json(candidate_view_of(&state, &interview).await?))
}

#[utoipa::path(post, path = "/api/v1/candidate/{token}/answers", tag = "candidate", params(("token" = String, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = CandidateAnswer,
    responses((status = 201, body = CandidateAnswered, description = "recorded"), (status = 200, body = CandidateAnswered, description = "already answered: the first answer stands"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "`out_of_order` for a Round 02 prompt ahead of the next one"), (status = 410, body = ErrorBody), (status = 422, body = ErrorBody, description = "`field` is `round`, `item_id` or `text`"), (status = 429, body = ErrorBody)))]
pub(super) async fn candidate_answer(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Idempotent(once): Idempotent,
    JsonBody(input): JsonBody<CandidateAnswer>,
) -> ApiResult<Response> {
    let (created, answered) = answer(&state, &token, input, once.as_ref()).await?;
    Ok((answer_status(created), Json(answered)).into_response())
}

#[utoipa::path(put, path = "/api/v1/candidate/{token}/drafts", tag = "candidate", params(("token" = String, Path)), request_body = CandidateDraft,
    responses((status = 200, body = DraftSaved, description = "kept (last write wins), or deleted for an empty text"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "`already_answered`, `out_of_order` for a Round 02 prompt not open yet, or the interview is completed"), (status = 410, body = ErrorBody), (status = 422, body = ErrorBody, description = "`field` is `round`, `item_id` or `text`"), (status = 429, body = ErrorBody)))]
pub(super) async fn candidate_draft(
    State(state): State<AppState>,
    Path(token): Path<String>,
    JsonBody(input): JsonBody<CandidateDraft>,
) -> ApiResult<Json<DraftSaved>> {
    Ok(Json(drafts::save(&state, &token, input).await?))
}

#[utoipa::path(post, path = "/api/v1/candidate/{token}/finish", tag = "candidate", params(("token" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = CandidateView, description = "completed"), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(super) async fn candidate_finish(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Idempotent(once): Idempotent,
) -> ApiResult<Json<CandidateView>> {
    Ok(Json(finish(&state, &token, once.as_ref()).await?))
}

#[utoipa::path(post, path = "/api/v1/candidate/{token}/audio", tag = "candidate",
    params(("token" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "retry safely: the same key and bytes return the first response")),
    request_body(content = Vec<u8>, description = "the raw recording; `Content-Type` one of audio/webm, audio/ogg, audio/mp4, audio/mpeg, audio/wav (parameters such as `;codecs=opus` allowed), and the bytes must be that type", content_type = "audio/webm"),
    responses((status = 201, body = AudioUploaded, description = "stored; send `audio_id` with the answer"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "the interview no longer takes answers, or holds the most recordings it may"), (status = 410, body = ErrorBody),
        (status = 413, body = ErrorBody, description = "over the size limit (default 10 MiB)"), (status = 415, body = ErrorBody, description = "a type not accepted, or bytes that are not the declared type; the message says what was received and what is accepted"), (status = 422, body = ErrorBody, description = "an empty body"), (status = 429, body = ErrorBody), (status = 503, body = ErrorBody, description = "no blob directory configured")))]
pub(super) async fn candidate_upload(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Idempotent(once): Idempotent,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let uploaded = audio::receive(&state, &token, &headers, body, once.as_ref()).await?;
    Ok((StatusCode::CREATED, Json(uploaded)).into_response())
}

#[utoipa::path(get, path = "/api/v1/candidate/{token}/audio/{audio_id}", tag = "candidate",
    params(("token" = String, Path), ("audio_id" = String, Path)),
    responses((status = 200, content_type = "audio/webm", body = Vec<u8>, description = "the recording, with its stored type"), (status = 404, body = ErrorBody, description = "unknown link, or not a recording of this interview"), (status = 410, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub(super) async fn candidate_download(
    State(state): State<AppState>,
    Path((token, audio_id)): Path<(String, String)>,
) -> ApiResult<Response> {
    audio::for_candidate(&state, &token, &audio_id).await
}

#[utoipa::path(get, path = "/api/v1/interviews/{id}/audio/{audio_id}", tag = "interviews",
    params(("id" = String, Path), ("audio_id" = String, Path)),
    responses((status = 200, content_type = "audio/webm", body = Vec<u8>, description = "the recording, with its stored type"), (status = 403, body = ErrorBody, description = "an interviewer not assigned to this interview"), (status = 404, body = ErrorBody)))]
pub(super) async fn staff_download(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, audio_id)): Path<(String, String)>,
) -> ApiResult<Response> {
    audio::for_staff(&state, &principal, &id, &audio_id).await
}

#[utoipa::path(post, path = "/api/v1/interviews/{id}/scorecards/automated", tag = "interviews",
    params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content = Option<AutomatedRequest>, description = "optional; an empty body is `{}`"),
    responses((status = 201, body = AutomatedDraft, description = "the caller's draft scorecard, marked automated: not counted until a person submits it"),
        (status = 403, body = ErrorBody, description = "an interviewer not assigned to this interview"), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "withdrawn, nothing answered, the caller's scorecard already submitted, or a hand-made draft without `replace_draft`"),
        (status = 502, body = ErrorBody, description = "`evaluator_failed` (no answer from the model) or `evaluator_invalid_output` (`field` is the path in the model's reply); nothing saved"),
        (status = 503, body = ErrorBody, description = "no language model configured")))]
pub(super) async fn automated(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Idempotent(once): Idempotent,
    body: Bytes,
) -> ApiResult<Response> {
    let request = if body.iter().all(u8::is_ascii_whitespace) {
        AutomatedRequest::default()
    } else {
        // `null` is the documented "no options", like an empty body.
        parse_json::<Option<AutomatedRequest>>(&body)?.unwrap_or_default()
    };
    let drafted = draft(&state, &principal, &id, request, once.as_ref()).await?;
    Ok((StatusCode::CREATED, Json(drafted)).into_response())
}
