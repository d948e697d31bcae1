//! The admin page: users (add, change role, disable) and the run-time
//! settings (public browsing, the progression threshold).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::{Extension, Form};
use ladder_core::access::Role;
use ladder_web::UserRow;
use serde::Deserialize;

use super::users::add_user;
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::page::{html, notice, Chrome, NoticeQuery, PageError, PageResult};
use crate::http::settings;
use crate::http::state::AppState;
use crate::http::text::{moment, sentence};

async fn users_page(
    state: &AppState,
    principal: &Principal,
    flash: Option<&str>,
    status: StatusCode,
) -> PageResult {
    users_page_with(state, principal, flash, status, None).await
}

/// The users page; `progression` carries a refused threshold as typed.
async fn users_page_with(
    state: &AppState,
    principal: &Principal,
    flash: Option<&str>,
    status: StatusCode,
    progression: Option<ladder_web::ProgressionSettings>,
) -> PageResult {
    let progression = match progression {
        Some(typed) => typed,
        None => ladder_web::ProgressionSettings {
            threshold: settings::progression_threshold(state).await.to_string(),
            error: None,
        },
    };
    let users = state.store().users().await.map_err(PageError::failure)?;
    let rows: Vec<UserRow> = users
        .iter()
        .map(|u| UserRow {
            id: u.id.clone(),
            email: u.email.clone(),
            role: u.role.as_str().to_string(),
            disabled: u.disabled,
            created: moment(u.created_at),
        })
        .collect();
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    state.forget_public_browsing();
    let public = state.public_browsing().await;
    let chrome = Chrome::new(state, principal).await;
    Ok(html(
        status,
        ladder_web::users_with_settings(
            &chrome.page("Users", flash, None),
            &rows,
            &roles,
            public,
            &progression,
        ),
    ))
}

pub(super) async fn users(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(query): Query<NoticeQuery>,
) -> PageResult {
    users_page(
        &state,
        &principal,
        notice(query.notice.as_deref()),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub(super) struct AddUserForm {
    email: String,
    role: String,
}

pub(super) async fn create_user(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Form(form): Form<AddUserForm>,
) -> PageResult {
    let Some(role) = Role::parse(&form.role) else {
        return users_page(
            &state,
            &principal,
            Some("Choose one of the listed roles."),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match add_user(&state, &form.email, role, &principal.actor()).await {
        Ok((user, password)) => {
            let flash = format!(
                "Created {} ({}). One-time password, shown only now: {password}",
                user.email, user.role
            );
            users_page(&state, &principal, Some(&flash), StatusCode::CREATED).await
        }
        Err(error) => users_page(&state, &principal, Some(&error.message), error.status).await,
    }
}

#[derive(Deserialize)]
pub(super) struct RoleForm {
    role: String,
}

pub(super) async fn set_role(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> PageResult {
    let Some(role) = Role::parse(&form.role) else {
        return users_page(
            &state,
            &principal,
            Some("Choose one of the listed roles."),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    if principal.user.as_ref().is_some_and(|me| me.id == id) && role != Role::Admin {
        return users_page(
            &state,
            &principal,
            Some("You cannot demote yourself; ask another admin."),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match state.store().set_role(&id, role, &principal.actor()).await {
        Ok(_) => Ok(Redirect::to("/admin/users?notice=role").into_response()),
        Err(error) => {
            users_page(
                &state,
                &principal,
                Some(&error.to_string()),
                ApiError::from(error).status,
            )
            .await
        }
    }
}

pub(super) async fn disable_user(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> PageResult {
    if principal.user.as_ref().is_some_and(|me| me.id == id) {
        return users_page(
            &state,
            &principal,
            Some("You cannot disable yourself."),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match state
        .store()
        .set_disabled(&id, true, &principal.actor())
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/users?notice=disabled").into_response()),
        Err(error) => {
            users_page(
                &state,
                &principal,
                Some(&error.to_string()),
                ApiError::from(error).status,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub(super) struct SettingsForm {
    public_browsing: Option<String>,
    /// "80%"; left unchanged when the form does not send it.
    progression_threshold: Option<String>,
}

pub(super) async fn save_settings(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Form(form): Form<SettingsForm>,
) -> PageResult {
    let public = form.public_browsing.is_some();
    let threshold = match form.progression_threshold.as_deref() {
        None => None,
        Some(text) => match ladder_core::progression::Threshold::parse(text) {
            Ok(threshold) => Some(threshold),
            Err(problem) => {
                let typed = ladder_web::ProgressionSettings {
                    threshold: text.to_string(),
                    error: Some(sentence(&problem)),
                };
                return users_page_with(
                    &state,
                    &principal,
                    None,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(typed),
                )
                .await;
            }
        },
    };
    if let Some(threshold) = threshold {
        settings::set_progression_threshold(&state, threshold, &principal.actor())
            .await
            .map_err(PageError::failure)?;
    }
    settings::set_public_browsing(&state, public, &principal.actor())
        .await
        .map_err(PageError::failure)?;
    Ok(Redirect::to("/admin/users?notice=settings").into_response())
}
