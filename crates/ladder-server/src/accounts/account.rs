//! The account page: who is logged in, a link to change the password, and
//! their API tokens, each with a Revoke form (no JavaScript needed).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::Extension;
use ladder_web::{AccountView, TokenRow};

use super::tokens::{list_tokens, revoke_token};
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::page::{html, Chrome, NoticeQuery, PageError, PageResult};
use crate::http::state::AppState;
use crate::http::text::moment;

/// Notices this page shows after its own redirects (`?notice=key`).
const NOTICES: &[(&str, &str)] = &[(
    "token-revoked",
    "The API token was revoked; it no longer works.",
)];

pub(super) async fn page(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(query): Query<NoticeQuery>,
) -> PageResult {
    let user = principal.user.as_ref().ok_or_else(ApiError::unauthorized)?;
    let tokens = list_tokens(&state, &principal, None).await?;
    let view = AccountView {
        email: user.email.clone(),
        role: user.role.as_str().to_string(),
        tokens: tokens
            .iter()
            .map(|token| TokenRow {
                id: token.id.clone(),
                name: token.name.clone(),
                created: moment(token.created_at),
                last_used: token.last_used_at.map(moment),
            })
            .collect(),
    };
    let flash = query
        .notice
        .as_deref()
        .and_then(|key| NOTICES.iter().find(|(k, _)| *k == key))
        .map(|(_, text)| *text);
    let chrome = Chrome::new(&state, &principal).await;
    Ok(html(
        StatusCode::OK,
        ladder_web::account(&chrome.page("Your account", flash, None), &view),
    ))
}

/// Revokes one of the caller's tokens (any, for an admin) and goes back to
/// the account page.
pub(super) async fn revoke(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> PageResult {
    revoke_token(&state, &principal, &id)
        .await
        .map_err(PageError::from)?;
    Ok(Redirect::to("/account?notice=token-revoked").into_response())
}
