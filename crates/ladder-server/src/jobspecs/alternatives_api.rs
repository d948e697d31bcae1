//! `GET …/items/{item_id}/alternatives` and `POST …/items/{item_id}/choose`.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use ladder_core::jobspec::RoundItem;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::alternatives::{choose, offered, ALTERNATIVES};
use super::api::{dto, ItemPath, JobSpecDto};
use super::service as jobspecs;
use crate::http::auth::Principal;
use crate::http::error::{ApiResult, ErrorBody};
use crate::http::extract::JsonBody;
use crate::http::state::AppState;

#[derive(Serialize, ToSchema)]
pub(super) struct AlternativesDto {
    /// Up to three other items for the slot, each passing the quality check.
    pub alternatives: Vec<RoundItem>,
}

#[utoipa::path(get, path = "/api/v1/job-specs/{id}/rounds/{round}/items/{item_id}/alternatives", tag = "job specs",
    params(("id" = String, Path), ("round" = u32, Path, minimum = 1, maximum = 2, description = "1 (questions) or 2 (prompts)"), ("item_id" = String, Path)),
    responses((status = 200, body = AlternativesDto), (status = 404, body = ErrorBody)))]
pub(super) async fn list_alternatives(
    State(state): State<AppState>,
    Path(path): Path<ItemPath>,
) -> ApiResult<Json<AlternativesDto>> {
    let round = jobspecs::round_from(path.round)?;
    let (_, alternatives) = offered(&state, &path.id, round, &path.item_id, ALTERNATIVES).await?;
    Ok(Json(AlternativesDto { alternatives }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Choice {
    /// The text of one of the alternatives listed for the item.
    pub text: String,
}

#[utoipa::path(post, path = "/api/v1/job-specs/{id}/rounds/{round}/items/{item_id}/choose", tag = "job specs",
    params(("id" = String, Path), ("round" = u32, Path, minimum = 1, maximum = 2, description = "1 (questions) or 2 (prompts)"), ("item_id" = String, Path)),
    request_body = Choice,
    responses((status = 200, body = JobSpecDto, description = "the draft, with the chosen alternative in the slot"), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`alternatives_changed`: the text is not among the item's current alternatives")))]
pub(super) async fn choose_alternative(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(path): Path<ItemPath>,
    JsonBody(choice): JsonBody<Choice>,
) -> ApiResult<Json<JobSpecDto>> {
    let round = jobspecs::round_from(path.round)?;
    let saved = choose(
        &state,
        &path.id,
        round,
        &path.item_id,
        &choice.text,
        &principal.actor(),
    )
    .await?;
    Ok(Json(dto(&state, &path.id, saved).await?))
}
