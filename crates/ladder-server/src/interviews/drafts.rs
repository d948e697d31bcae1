//! The candidate's unsent text, kept as drafts so that nothing typed is
//! lost: saved as they type (`PUT /api/v1/candidate/{token}/drafts`, from
//! the page's script) and from every answer form sent without script, which
//! carries every open question's text. One draft per item, last write wins;
//! an empty text deletes it; sending the item's answer removes it.

use axum::http::StatusCode;
use ladder_store::{DraftInput, DraftOutcome, Interview, JobSpecVersion};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::lookup::{by_token, pinned};
use crate::http::error::{ApiError, ApiResult};
use crate::http::state::AppState;
use crate::http::text::rfc3339;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CandidateDraft {
    /// 1 or 2.
    #[schema(minimum = 1, maximum = 2)]
    pub round: u32,
    pub item_id: String,
    /// The text typed so far; empty deletes the draft.
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct DraftSaved {
    pub round: u32,
    pub item_id: String,
    /// The text kept; null when the draft was deleted (an empty text).
    pub draft: Option<String>,
    /// When it was kept; null when deleted.
    pub saved_at: Option<String>,
}

/// Whether the candidate may write a draft for `item_id` of `round` now:
/// a Round 01 question, or a Round 02 prompt up to the next one. The error
/// names the field to fix.
fn open_item(
    version: &JobSpecVersion,
    interview: &Interview,
    round: u32,
    item_id: &str,
) -> ApiResult<()> {
    let items = match round {
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
        .position(|item| item.id == item_id)
        .ok_or_else(|| {
            ApiError::unprocessable(format!("there is no item {item_id} in Round 0{round}"))
                .field("item_id")
        })?;
    if round == 2 && u32::try_from(position).unwrap_or(u32::MAX) > interview.round2_position {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "out_of_order",
            format!(
                "Round 02 is answered in order: prompt {} is not open yet",
                position + 1
            ),
        ));
    }
    Ok(())
}

/// `PUT /api/v1/candidate/{token}/drafts`: keeps (or, for an empty text,
/// deletes) one item's draft.
pub(super) async fn save(
    state: &AppState,
    token: &str,
    input: CandidateDraft,
) -> ApiResult<DraftSaved> {
    let interview = by_token(state, token).await?;
    let version = pinned(state, &interview).await?;
    open_item(&version, &interview, input.round, &input.item_id)?;
    if let Some(problem) =
        ladder_core::limits::text_problem("the draft", &input.text, ladder_core::limits::ANSWER)
    {
        return Err(ApiError::unprocessable(problem).field("text"));
    }
    let outcome = state
        .store()
        .save_drafts(
            &interview.id,
            &[DraftInput {
                round: input.round,
                item_id: input.item_id.clone(),
                text: input.text,
            }],
        )
        .await?;
    match outcome.into_iter().next() {
        Some(DraftOutcome::Saved(draft)) => Ok(DraftSaved {
            round: draft.round,
            item_id: draft.item_id,
            draft: Some(draft.text),
            saved_at: Some(rfc3339(draft.updated_at)),
        }),
        Some(DraftOutcome::Deleted) => Ok(DraftSaved {
            round: input.round,
            item_id: input.item_id,
            draft: None,
            saved_at: None,
        }),
        Some(DraftOutcome::Answered) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_answered",
            "this item is already answered, so its draft is not kept",
        )),
        None => Err(ApiError::internal("the store saved no draft")),
    }
}

/// Keeps the texts of an answer form sent without script, each `(round,
/// item, text)`: every open item's text, so that a reload shows what was
/// typed. Items the candidate cannot write to and over-long texts are left
/// out (the page never sends them); a failure is logged and not the
/// candidate's problem — their answer is what they sent the form for.
pub(super) async fn save_from_form(
    state: &AppState,
    interview: &Interview,
    texts: Vec<(u32, String, String)>,
) {
    if texts.is_empty() || !interview.status.is_open() {
        return;
    }
    let version = match pinned(state, interview).await {
        Ok(version) => version,
        Err(error) => {
            tracing::warn!(message = %error.message, "drafts from a form not kept");
            return;
        }
    };
    let drafts: Vec<DraftInput> = texts
        .into_iter()
        .filter(|(round, item_id, text)| {
            open_item(&version, interview, *round, item_id).is_ok()
                && ladder_core::limits::text_problem("", text, ladder_core::limits::ANSWER)
                    .is_none()
        })
        .map(|(round, item_id, text)| DraftInput {
            round,
            item_id,
            text,
        })
        .collect();
    if drafts.is_empty() {
        return;
    }
    if let Err(error) = state.store().save_drafts(&interview.id, &drafts).await {
        tracing::warn!(%error, "drafts from a form not kept");
    }
}
