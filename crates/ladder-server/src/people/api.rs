//! `/api/v1/people…`: people, placements, assessments and progress.

use axum::http::StatusCode;
use ladder_core::progression::AssessmentKind;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::assessments::{assessment_detail, opened_status};
use super::assessments::{
    may_view_assessment, open_assessment, save_assessment_marks, submit_assessment, MarksInput,
};
use super::dto::{AssessmentDetail, AssessmentDto, PersonDto, PlacementDto};
use super::placements::{place_person, PlacementInput};
use super::progress::{packet, progress_view, ProgressReport};
use super::visibility::{signed_in, visible_people, visible_person};
use crate::http::auth::Principal;
use crate::http::error::{ApiError, ApiResult, ErrorBody};
use crate::http::extract::JsonBody;
use crate::http::idempotency::Idempotent;
use crate::http::state::AppState;

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};

#[utoipa::path(get, path = "/api/v1/people", operation_id = "list_people", tag = "progression",
    responses((status = 200, description = "Everyone for admins; otherwise yourself and your reports", body = Vec<PersonDto>)))]
pub(super) async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> ApiResult<Json<Vec<PersonDto>>> {
    let caller = signed_in(&principal)?;
    let people = visible_people(&state, caller).await?;
    Ok(Json(people.iter().map(PersonDto::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/people/{id}", operation_id = "person_detail", tag = "progression",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, body = PersonDto), (status = 404, body = ErrorBody)))]
pub(super) async fn detail(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonDto>> {
    let caller = signed_in(&principal)?;
    let (person, _) = visible_person(&state, caller, &id).await?;
    Ok(Json(PersonDto::from(&person)))
}

#[utoipa::path(get, path = "/api/v1/people/{id}/placements", tag = "progression",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, description = "Newest (current) first", body = Vec<PlacementDto>), (status = 404, body = ErrorBody)))]
pub(super) async fn placements(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<PlacementDto>>> {
    let caller = signed_in(&principal)?;
    visible_person(&state, caller, &id).await?;
    let history = state.store().placements(&id).await?;
    Ok(Json(history.iter().map(PlacementDto::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/people/{id}/placements", tag = "progression",
    params(("id" = String, Path, description = "User id")),
    request_body = PlacementInput,
    responses(
        (status = 201, description = "Placed; the new placement is current", body = PlacementDto),
        (status = 200, description = "Same as the current placement: nothing changed", body = PlacementDto),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn place(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Idempotent(once): Idempotent,
    JsonBody(input): JsonBody<PlacementInput>,
) -> ApiResult<Response> {
    let (placement, created) = place_person(&state, &principal, &id, &input, once.as_ref()).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(PlacementDto::from(&placement))).into_response())
}

#[utoipa::path(get, path = "/api/v1/people/{id}/assessments", tag = "progression",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, description = "Drafts first (only your own: drafts are private to their author until submitted), then newest first", body = Vec<AssessmentDto>), (status = 404, body = ErrorBody)))]
pub(super) async fn assessments(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<AssessmentDto>>> {
    let caller = signed_in(&principal)?;
    visible_person(&state, caller, &id).await?;
    let all = state.store().assessments(&id).await?;
    Ok(Json(
        all.iter()
            .filter(|a| may_view_assessment(caller, a))
            .map(AssessmentDto::from)
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct OpenInput {
    /// `self` (the person) or `manager` (their current manager).
    pub kind: String,
}

#[utoipa::path(post, path = "/api/v1/people/{id}/assessments", tag = "progression",
    params(("id" = String, Path, description = "User id")),
    request_body = OpenInput,
    responses(
        (status = 201, description = "A new draft, with the evidence of the last submitted assessment of its kind carried over for unchanged behaviours", body = AssessmentDto),
        (status = 200, description = "Your open draft of that kind", body = AssessmentDto),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(super) async fn open(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Idempotent(once): Idempotent,
    JsonBody(input): JsonBody<OpenInput>,
) -> ApiResult<Response> {
    let kind = AssessmentKind::parse(&input.kind).ok_or_else(|| {
        ApiError::unprocessable(format!(
            "{:?} is not an assessment kind; use self or manager",
            input.kind
        ))
        .field("kind")
    })?;
    let (assessment, created) =
        open_assessment(&state, &principal, &id, kind, once.as_ref()).await?;
    Ok((
        opened_status(created),
        Json(AssessmentDto::from(&assessment)),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/people/{id}/assessments/{assessment_id}", tag = "progression",
    params(("id" = String, Path, description = "User id"), ("assessment_id" = String, Path)),
    responses((status = 200, body = AssessmentDetail), (status = 404, body = ErrorBody)))]
pub(super) async fn assessment(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, assessment_id)): Path<(String, String)>,
) -> ApiResult<Json<AssessmentDetail>> {
    let caller = signed_in(&principal)?;
    Ok(Json(
        assessment_detail(&state, caller, &id, &assessment_id).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/people/{id}/assessments/{assessment_id}/marks", tag = "progression",
    params(("id" = String, Path, description = "User id"), ("assessment_id" = String, Path)),
    request_body = MarksInput,
    responses((status = 200, description = "Saved; other behaviours' ratings are untouched", body = AssessmentDto),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn save_marks(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, assessment_id)): Path<(String, String)>,
    JsonBody(input): JsonBody<MarksInput>,
) -> ApiResult<Json<AssessmentDto>> {
    let assessment =
        save_assessment_marks(&state, &principal, &id, &assessment_id, &input.marks).await?;
    Ok(Json(AssessmentDto::from(&assessment)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SubmitInput {
    /// The date the assessment speaks for (YYYY-MM-DD); today when omitted.
    #[serde(default)]
    pub as_of: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/people/{id}/assessments/{assessment_id}/submit", tag = "progression",
    params(("id" = String, Path, description = "User id"), ("assessment_id" = String, Path)),
    request_body = SubmitInput,
    responses((status = 200, description = "Submitted and frozen (a repeat returns it unchanged)", body = AssessmentDto),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn submit(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, assessment_id)): Path<(String, String)>,
    Idempotent(once): Idempotent,
    JsonBody(input): JsonBody<SubmitInput>,
) -> ApiResult<Json<AssessmentDto>> {
    let assessment = submit_assessment(
        &state,
        &principal,
        &id,
        &assessment_id,
        input.as_of.as_deref(),
        once.as_ref(),
    )
    .await?;
    Ok(Json(AssessmentDto::from(&assessment)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct ExportQuery {
    /// `markdown` (a promotion packet, the default) or `json`.
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/people/{id}/assessments/{assessment_id}/export", tag = "progression",
    params(("id" = String, Path, description = "User id"), ("assessment_id" = String, Path), ExportQuery),
    responses((status = 200, description = "text/markdown promotion packet, or the assessment as JSON", content_type = "text/markdown"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn export(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, assessment_id)): Path<(String, String)>,
    Query(query): Query<ExportQuery>,
) -> ApiResult<Response> {
    let caller = signed_in(&principal)?;
    let format = query.format.as_deref().unwrap_or("markdown");
    let (text, detail) = packet(&state, caller, &id, &assessment_id).await?;
    let stem = format!(
        "assessment-{}-{}",
        detail.assessment.kind.as_str(),
        detail.assessment.as_of.as_deref().unwrap_or("draft")
    );
    match format {
        "markdown" | "md" => Ok((
            [
                (
                    header::CONTENT_TYPE,
                    "text/markdown; charset=utf-8".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{stem}.md\""),
                ),
            ],
            text,
        )
            .into_response()),
        "json" => Ok((
            [(
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{stem}.json\""),
            )],
            Json(detail),
        )
            .into_response()),
        other => Err(ApiError::unprocessable(format!(
            "{other:?} is not an export format; use markdown or json"
        ))
        .field("format")),
    }
}

#[utoipa::path(get, path = "/api/v1/people/{id}/progress", tag = "progression",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, body = ProgressReport), (status = 404, body = ErrorBody), (status = 409, description = "Not placed on a framework yet", body = ErrorBody)))]
pub(super) async fn progress(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<ProgressReport>> {
    let caller = signed_in(&principal)?;
    Ok(Json(progress_view(&state, caller, &id).await?.report))
}
