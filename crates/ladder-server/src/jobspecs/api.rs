//! `/api/v1/job-specs`: job specs, their versions, diffs and round items.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use ladder_core::jobspec::{diff, Change, FrameworkBasis, JobSpecBody, MustHave, RoundItem};
use ladder_store::{JobSpecVersion, VersionSelector};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::service::{
    self as jobspecs, candidate_sees, CandidateSees, ItemInput, ItemUpdate, JobSpecUpdate,
    NewJobSpec, Regenerate,
};
use crate::http::auth::Principal;
use crate::http::error::{ApiError, ApiResult, ErrorBody};
use crate::http::extract::JsonBody;
use crate::http::state::AppState;
use crate::http::text::rfc3339;

#[derive(Serialize, ToSchema)]
pub(super) struct CompetencyDto {
    pub id: String,
    pub name: String,
    /// Exact decimal, e.g. "0.35".
    pub weight: String,
    /// The same weight as a percentage, e.g. "35%".
    pub weight_percent: String,
    pub definition: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct JobSpecDto {
    pub id: String,
    /// The version shown.
    pub version: u32,
    /// `v1-U_WN6k` once published; null for a draft.
    pub label: Option<String>,
    /// `draft` or `published`.
    pub status: &'static str,
    pub current_version: Option<u32>,
    pub current_label: Option<String>,
    pub draft_version: Option<u32>,
    pub title: String,
    pub seniority: String,
    pub description: String,
    pub framework: Option<FrameworkBasis>,
    pub competencies: Vec<CompetencyDto>,
    /// Sum of the weights, exact ("1.00").
    pub total_weight: String,
    pub balanced: bool,
    /// "Total weight: 0.95 — add 0.05" when unbalanced.
    pub balance_message: Option<String>,
    pub must_haves: Vec<MustHave>,
    pub round1: Vec<RoundItem>,
    pub round2: Vec<RoundItem>,
    pub candidate_sees: CandidateSees,
    pub created_at: String,
    pub published_at: Option<String>,
}

pub(super) fn competency_rows(body: &JobSpecBody) -> Vec<CompetencyDto> {
    body.competencies
        .iter()
        .map(|c| CompetencyDto {
            id: c.id.clone(),
            name: c.name.clone(),
            weight: c.weight.decimal(),
            weight_percent: c.weight.percent(),
            definition: c.definition.clone(),
        })
        .collect()
}

pub(super) async fn dto(
    state: &AppState,
    id: &str,
    version: JobSpecVersion,
) -> ApiResult<JobSpecDto> {
    let summary = state
        .store()
        .job_spec_summary(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("job spec {id}")))?;
    let sees = candidate_sees(state, &summary, &version).await?;
    let body = &version.body;
    Ok(JobSpecDto {
        id: summary.id.clone(),
        version: version.version,
        label: version.label.clone(),
        status: if version.published {
            "published"
        } else {
            "draft"
        },
        current_version: summary.current_version,
        current_label: summary.current_label.clone(),
        draft_version: summary.draft_version,
        title: body.title.clone(),
        seniority: body.seniority.clone(),
        description: body.description.clone(),
        framework: body.basis.clone(),
        competencies: competency_rows(body),
        total_weight: body.total_weight().decimal(),
        balanced: body.balanced(),
        balance_message: body.balance_message(),
        must_haves: body.must_haves.clone(),
        round1: body.round1.clone(),
        round2: body.round2.clone(),
        candidate_sees: sees,
        created_at: rfc3339(version.created_at),
        published_at: version.published_at.map(rfc3339),
    })
}

#[derive(Serialize, ToSchema)]
pub(super) struct JobSpecSummaryDto {
    pub id: String,
    pub title: String,
    pub seniority: String,
    pub current_version: Option<u32>,
    pub current_label: Option<String>,
    pub draft_version: Option<u32>,
    pub updated_at: String,
}

#[utoipa::path(get, path = "/api/v1/job-specs", operation_id = "list_job_specs", tag = "job specs", responses((status = 200, body = Vec<JobSpecSummaryDto>), (status = 403, body = ErrorBody)))]
pub(super) async fn list(State(state): State<AppState>) -> ApiResult<Json<Vec<JobSpecSummaryDto>>> {
    let list = state.store().job_specs().await?;
    Ok(Json(
        list.into_iter()
            .map(|s| JobSpecSummaryDto {
                id: s.id,
                title: s.title,
                seniority: s.seniority,
                current_version: s.current_version,
                current_label: s.current_label,
                draft_version: s.draft_version,
                updated_at: rfc3339(s.updated_at),
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/job-specs", tag = "job specs", request_body = NewJobSpec,
    responses((status = 201, body = JobSpecDto), (status = 422, body = ErrorBody, description = "`field` names the offending field, e.g. `competencies[1].id`")))]
pub(super) async fn create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    JsonBody(input): JsonBody<NewJobSpec>,
) -> ApiResult<Response> {
    let created = jobspecs::create(&state, input, &principal.actor()).await?;
    let id = created.job_spec_id.clone();
    Ok((StatusCode::CREATED, Json(dto(&state, &id, created).await?)).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct VersionParam {
    /// A version number, a label (`v2-…`), `draft`, or `current` (default:
    /// the published version, or the draft before the first publish).
    pub version: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/job-specs/{id}", tag = "job specs", params(("id" = String, Path), VersionParam),
    responses((status = 200, body = JobSpecDto), (status = 404, body = ErrorBody)))]
pub(super) async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<VersionParam>,
) -> ApiResult<Json<JobSpecDto>> {
    let (_, version) = jobspecs::load(
        &state,
        &id,
        &VersionSelector::parse(query.version.as_deref()),
    )
    .await?;
    Ok(Json(dto(&state, &id, version).await?))
}

#[utoipa::path(put, path = "/api/v1/job-specs/{id}", tag = "job specs", params(("id" = String, Path)), request_body = JobSpecUpdate,
    responses((status = 200, body = JobSpecDto, description = "the draft after the change"), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn update(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    JsonBody(update): JsonBody<JobSpecUpdate>,
) -> ApiResult<Json<JobSpecDto>> {
    let saved = jobspecs::update(&state, &id, update, &principal.actor()).await?;
    Ok(Json(dto(&state, &id, saved).await?))
}

#[utoipa::path(post, path = "/api/v1/job-specs/{id}/publish", tag = "job specs", params(("id" = String, Path)),
    responses((status = 200, body = JobSpecDto), (status = 409, body = ErrorBody, description = "nothing to publish"), (status = 422, body = ErrorBody, description = "unbalanced or invalid; `field` is `competencies[].weight` for balance")))]
pub(super) async fn publish(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<JobSpecDto>> {
    let published = jobspecs::publish(&state, &id, &principal.actor()).await?;
    Ok(Json(dto(&state, &id, published).await?))
}

#[derive(Serialize, ToSchema)]
pub(super) struct VersionSummary {
    pub version: u32,
    pub label: Option<String>,
    pub status: &'static str,
    pub total_weight: String,
    pub balanced: bool,
    pub created_by: String,
    pub created_at: String,
    pub published_at: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/job-specs/{id}/versions", tag = "job specs", params(("id" = String, Path)),
    responses((status = 200, body = Vec<VersionSummary>), (status = 404, body = ErrorBody)))]
pub(super) async fn versions(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<VersionSummary>>> {
    let versions = state.store().job_spec_versions(&id).await?;
    if versions.is_empty() {
        return Err(ApiError::not_found(format!("job spec {id}")));
    }
    Ok(Json(
        versions
            .into_iter()
            .map(|v| VersionSummary {
                version: v.version,
                label: v.label,
                status: if v.published { "published" } else { "draft" },
                total_weight: v.body.total_weight().decimal(),
                balanced: v.body.balanced(),
                created_by: v.created_by,
                created_at: rfc3339(v.created_at),
                published_at: v.published_at.map(rfc3339),
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct DiffParams {
    /// Version number or label.
    #[param(required = true)]
    pub from: Option<String>,
    /// Version number or label (default: the latest).
    pub to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct VersionRef {
    pub version: u32,
    pub label: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct DiffDto {
    pub from: VersionRef,
    pub to: VersionRef,
    pub changes: Vec<Change>,
}

#[utoipa::path(get, path = "/api/v1/job-specs/{id}/diff", tag = "job specs", params(("id" = String, Path), DiffParams),
    responses((status = 200, body = DiffDto), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn version_diff(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<DiffParams>,
) -> ApiResult<Json<DiffDto>> {
    let from = params.from.as_deref().ok_or_else(|| {
        ApiError::bad_request("give ?from=VERSION (a number or label)").field("from")
    })?;
    let (summary, old) = jobspecs::load(&state, &id, &VersionSelector::parse(Some(from))).await?;
    let to_selector = match params.to.as_deref() {
        Some(to) => VersionSelector::parse(Some(to)),
        None => VersionSelector::Number(summary.latest_version),
    };
    let (_, new) = jobspecs::load(&state, &id, &to_selector).await?;
    Ok(Json(DiffDto {
        from: VersionRef {
            version: old.version,
            label: old.label.clone(),
        },
        to: VersionRef {
            version: new.version,
            label: new.label.clone(),
        },
        changes: diff(&old.body, &new.body),
    }))
}

#[derive(Deserialize)]
pub(super) struct RoundPath {
    pub id: String,
    pub round: u32,
}

#[derive(Deserialize)]
pub(super) struct ItemPath {
    pub id: String,
    pub round: u32,
    pub item_id: String,
}

#[utoipa::path(get, path = "/api/v1/job-specs/{id}/rounds/{round}/items", tag = "job specs", params(("id" = String, Path), ("round" = u32, Path, minimum = 1, maximum = 2, description = "1 (questions) or 2 (prompts)"), VersionParam),
    responses((status = 200, body = Vec<RoundItem>), (status = 404, body = ErrorBody)))]
pub(super) async fn list_items(
    State(state): State<AppState>,
    Path(path): Path<RoundPath>,
    Query(query): Query<VersionParam>,
) -> ApiResult<Json<Vec<RoundItem>>> {
    let round = jobspecs::round_from(path.round)?;
    let (_, version) = jobspecs::load(
        &state,
        &path.id,
        &VersionSelector::parse(query.version.as_deref()),
    )
    .await?;
    Ok(Json(jobspecs::items(&version.body, round).to_vec()))
}

#[utoipa::path(post, path = "/api/v1/job-specs/{id}/rounds/{round}/items", tag = "job specs", params(("id" = String, Path), ("round" = u32, Path, minimum = 1, maximum = 2, description = "1 (questions) or 2 (prompts)")), request_body = ItemInput,
    responses((status = 201, body = JobSpecDto), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn add_item(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(path): Path<RoundPath>,
    JsonBody(input): JsonBody<ItemInput>,
) -> ApiResult<Response> {
    let round = jobspecs::round_from(path.round)?;
    let saved = jobspecs::add_item(&state, &path.id, round, input, &principal.actor()).await?;
    Ok((
        StatusCode::CREATED,
        Json(dto(&state, &path.id, saved).await?),
    )
        .into_response())
}

#[utoipa::path(patch, path = "/api/v1/job-specs/{id}/rounds/{round}/items/{item_id}", tag = "job specs", params(("id" = String, Path), ("round" = u32, Path, minimum = 1, maximum = 2, description = "1 (questions) or 2 (prompts)"), ("item_id" = String, Path)), request_body = ItemUpdate,
    responses((status = 200, body = JobSpecDto), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn edit_item(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(path): Path<ItemPath>,
    JsonBody(update): JsonBody<ItemUpdate>,
) -> ApiResult<Json<JobSpecDto>> {
    let round = jobspecs::round_from(path.round)?;
    let saved = jobspecs::edit_item(
        &state,
        &path.id,
        round,
        &path.item_id,
        update,
        &principal.actor(),
    )
    .await?;
    Ok(Json(dto(&state, &path.id, saved).await?))
}

#[utoipa::path(delete, path = "/api/v1/job-specs/{id}/rounds/{round}/items/{item_id}", tag = "job specs", params(("id" = String, Path), ("round" = u32, Path, minimum = 1, maximum = 2, description = "1 (questions) or 2 (prompts)"), ("item_id" = String, Path)),
    responses((status = 200, body = JobSpecDto), (status = 404, body = ErrorBody)))]
pub(super) async fn delete_item(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(path): Path<ItemPath>,
) -> ApiResult<Json<JobSpecDto>> {
    let round = jobspecs::round_from(path.round)?;
    let saved =
        jobspecs::delete_item(&state, &path.id, round, &path.item_id, &principal.actor()).await?;
    Ok(Json(dto(&state, &path.id, saved).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Order {
    /// Every item id of the round, in the new order.
    pub ids: Vec<String>,
}

#[utoipa::path(put, path = "/api/v1/job-specs/{id}/rounds/{round}/order", tag = "job specs", params(("id" = String, Path), ("round" = u32, Path, minimum = 1, maximum = 2, description = "1 (questions) or 2 (prompts)")), request_body = Order,
    responses((status = 200, body = JobSpecDto), (status = 422, body = ErrorBody)))]
pub(super) async fn reorder(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(path): Path<RoundPath>,
    JsonBody(order): JsonBody<Order>,
) -> ApiResult<Json<JobSpecDto>> {
    let round = jobspecs::round_from(path.round)?;
    let saved = jobspecs::reorder(&state, &path.id, round, &order.ids, &principal.actor()).await?;
    Ok(Json(dto(&state, &path.id, saved).await?))
}

#[utoipa::path(post, path = "/api/v1/job-specs/{id}/rounds/{round}/regenerate", tag = "job specs", params(("id" = String, Path), ("round" = u32, Path, minimum = 1, maximum = 2, description = "1 (questions) or 2 (prompts)")), request_body = Regenerate,
    responses((status = 200, body = JobSpecDto), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`no_alternative`: one item was asked for and every wording for its competency is already in the round")))]
pub(super) async fn regenerate(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(path): Path<RoundPath>,
    JsonBody(request): JsonBody<Regenerate>,
) -> ApiResult<Json<JobSpecDto>> {
    let round = jobspecs::round_from(path.round)?;
    let saved =
        super::alternatives::regenerate(&state, &path.id, round, request, &principal.actor())
            .await?;
    Ok(Json(dto(&state, &path.id, saved).await?))
}
