//! The editor's alternatives page and its "Use this" button.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Extension;
use ladder_web::{AlternativeRow, SpecError};

use super::alternatives::{choose, offered, ALTERNATIVES};
use super::editor;
use super::pages::spec_failure;
use super::service::items;
use crate::http::auth::Principal;
use crate::http::extract::Fields;
use crate::http::page::{html, Chrome, PageResult};
use crate::http::state::AppState;
use crate::http::text::normalise;

/// The page listing a slot's alternatives, each with a "Use this" button.
pub(super) async fn alternatives_page(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, number, item_id)): Path<(String, u32, String)>,
) -> PageResult {
    let context = SpecError {
        round: Some(number),
        item_id: Some(item_id.clone()),
        ..SpecError::default()
    };
    let result = async {
        let round = editor::round(number)?;
        offered(&state, &id, round, &item_id, ALTERNATIVES).await
    }
    .await;
    let (body, offered) = match result {
        Ok(found) => found,
        Err(error) => return spec_failure(&state, &principal, &id, error, context).await,
    };
    let current = editor::round(number)
        .ok()
        .and_then(|round| items(&body, round).iter().find(|item| item.id == item_id))
        .map(|item| item.text.clone())
        .unwrap_or_default();
    let competency_name = |competency_id: Option<&str>| {
        body.competencies
            .iter()
            .find(|competency| Some(competency.id.as_str()) == competency_id)
            .map(|competency| competency.name.clone())
    };
    let rows: Vec<AlternativeRow> = offered
        .iter()
        .map(|item| AlternativeRow {
            text: item.text.clone(),
            competency: competency_name(item.competency_id.as_deref()),
        })
        .collect();
    let chrome = Chrome::new(&state, &principal).await;
    let page_title = format!("Other wordings — {}", body.title);
    Ok(html(
        StatusCode::OK,
        ladder_web::job_spec_alternatives(
            &chrome.page(&page_title, None, None),
            &id,
            &body.title,
            number,
            &item_id,
            &current,
            &rows,
        ),
    ))
}

/// The "Use this" button: the chosen alternative takes the slot.
pub(super) async fn choose_form(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, number, item_id)): Path<(String, u32, String)>,
    body: Bytes,
) -> PageResult {
    let fields = Fields::parse(&body);
    let context = SpecError {
        round: Some(number),
        item_id: Some(item_id.clone()),
        ..SpecError::default()
    };
    let result = async {
        let round = editor::round(number)?;
        let text = fields.first("text").map(normalise).unwrap_or_default();
        choose(&state, &id, round, &item_id, &text, &principal.actor()).await
    }
    .await;
    match result {
        Ok(_) => editor::after_change(&id, number),
        Err(error) => spec_failure(&state, &principal, &id, error, context).await,
    }
}
