//! Alternatives for one slot of a round: other generated wordings for the
//! same competency, offered by the API and the editor; choosing one puts it
//! in the slot, grounding and quality verdict included. The offline
//! generator is deterministic, so a choice is checked against the
//! alternatives recomputed from the draft as it stands: a choice made on a
//! stale list is refused rather than applied to a different slot's words.

use axum::http::StatusCode;
use ladder_core::generate::{alternatives, Context, Round};
use ladder_core::jobspec::{JobSpecBody, RoundItem};
use ladder_store::{Actor, JobSpecVersion};

use super::service::{
    self as jobspecs, basis_framework, editable, items, items_mut, position, save, Regenerate,
};
use crate::http::error::{ApiError, ApiResult};
use crate::http::state::AppState;

/// How many alternatives a slot is offered.
pub(super) const ALTERNATIVES: usize = 3;

/// The editable body and the alternatives for `item_id` in it.
pub(super) async fn offered(
    state: &AppState,
    id: &str,
    round: Round,
    item_id: &str,
    count: usize,
) -> ApiResult<(JobSpecBody, Vec<RoundItem>)> {
    let body = editable(state, id).await?;
    let current = items(&body, round).to_vec();
    let index = position(&current, item_id)?;
    let stored = basis_framework(state, body.basis.as_ref()).await?;
    let context = Context {
        spec: &body,
        framework: stored.as_ref().map(|s| &s.framework),
    };
    let offered = alternatives(&context, round, &current[index], &current, count);
    Ok((body, offered))
}

/// Puts `chosen` in the slot of `item_id` and saves the draft.
async fn put_in_slot(
    state: &AppState,
    id: &str,
    round: Round,
    item_id: &str,
    mut body: JobSpecBody,
    chosen: RoundItem,
    actor: &Actor,
) -> ApiResult<JobSpecVersion> {
    let list = items_mut(&mut body, round);
    let index = position(list, item_id)?;
    list[index] = chosen;
    save(state, id, body, actor).await
}

/// Regenerating one item: the first alternative takes its slot.
pub(super) async fn replace_with_first(
    state: &AppState,
    id: &str,
    round: Round,
    item_id: &str,
    actor: &Actor,
) -> ApiResult<JobSpecVersion> {
    let (body, offered) = offered(state, id, round, item_id, 1).await?;
    let chosen = offered.into_iter().next().ok_or_else(no_other_wording)?;
    put_in_slot(state, id, round, item_id, body, chosen, actor).await
}

/// Choosing the alternative whose text is `text`.
pub(super) async fn choose(
    state: &AppState,
    id: &str,
    round: Round,
    item_id: &str,
    text: &str,
    actor: &Actor,
) -> ApiResult<JobSpecVersion> {
    let (body, offered) = offered(state, id, round, item_id, ALTERNATIVES).await?;
    let chosen = offered
        .into_iter()
        .find(|item| item.text == text.trim())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::CONFLICT,
                "alternatives_changed",
                "that text is not among this item's alternatives any more (the round changed since they were listed); list them again and choose",
            )
            .field("text")
        })?;
    put_in_slot(state, id, round, item_id, body, chosen, actor).await
}

fn no_other_wording() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "no_alternative",
        "every wording the generator has for this competency is already in the round; edit the item by hand instead",
    )
}

/// Regenerating a round: one item gets its first alternative (another
/// wording for the same competency, never a text the round has); the whole
/// round is generated again by the service.
pub(super) async fn regenerate(
    state: &AppState,
    id: &str,
    round: Round,
    request: Regenerate,
    actor: &Actor,
) -> ApiResult<JobSpecVersion> {
    match &request.item_id {
        Some(item_id) => replace_with_first(state, id, round, item_id, actor).await,
        None => jobspecs::regenerate(state, id, round, request, actor).await,
    }
}
