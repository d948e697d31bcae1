//! `/api/v1/me`, `/api/v1/tokens`, `/api/v1/users`, `/api/v1/settings` and
//! `/api/v1/audit`: who am I, API tokens, the users and their roles, run-time
//! settings, and the audit log.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use ladder_core::access::Role;
use ladder_store::{ApiToken, User};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::tokens::{list_tokens, revoke_token};
use super::users::add_user;
use crate::http::auth::Principal;
use crate::http::error::{ApiError, ApiResult, ErrorBody};
use crate::http::extract::JsonBody;
use crate::http::settings;
use crate::http::state::AppState;
use crate::http::text::{list_limit, rfc3339};

fn principal_user(principal: &Principal) -> ApiResult<&User> {
    principal.user.as_ref().ok_or_else(ApiError::unauthorized)
}

#[derive(Serialize, ToSchema)]
pub(super) struct UserDto {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub disabled: bool,
    pub must_change_password: bool,
    pub created_at: String,
}

impl From<&User> for UserDto {
    fn from(user: &User) -> Self {
        UserDto {
            id: user.id.clone(),
            email: user.email.clone(),
            role: user.role,
            disabled: user.disabled,
            must_change_password: user.must_change_password,
            created_at: rfc3339(user.created_at),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses((status = 200, body = UserDto), (status = 401, body = ErrorBody)))]
pub(super) async fn me(Extension(principal): Extension<Principal>) -> ApiResult<Json<UserDto>> {
    Ok(Json(UserDto::from(principal_user(&principal)?)))
}

/// An API token, never its secret.
#[derive(Serialize, ToSchema)]
pub(super) struct TokenDto {
    /// Names the token for revoking; not the secret.
    pub id: String,
    pub name: String,
    pub user_id: String,
    pub user_email: String,
    pub created_at: String,
    /// To the minute; absent when never used.
    pub last_used_at: Option<String>,
}

impl From<&ApiToken> for TokenDto {
    fn from(token: &ApiToken) -> Self {
        TokenDto {
            id: token.id.clone(),
            name: token.name.clone(),
            user_id: token.user_id.clone(),
            user_email: token.user_email.clone(),
            created_at: rfc3339(token.created_at),
            last_used_at: token.last_used_at.map(rfc3339),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct TokensQuery {
    /// Admins only: list this user's tokens instead of their own.
    pub user: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts", params(TokensQuery),
    responses((status = 200, body = Vec<TokenDto>, description = "the caller's API tokens (an admin's `user`'s), oldest first"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "`user` names someone else and the caller is not an admin, or the session must change its password first"),
        (status = 404, body = ErrorBody, description = "no user `user`")))]
pub(super) async fn tokens(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(query): Query<TokensQuery>,
) -> ApiResult<Json<Vec<TokenDto>>> {
    let tokens = list_tokens(&state, &principal, query.user.as_deref()).await?;
    Ok(Json(tokens.iter().map(TokenDto::from).collect()))
}

#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts", params(("id" = String, Path, description = "the token's id (from the list), not its secret")),
    responses((status = 204, description = "revoked: the token no longer authenticates"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "the session must change its password first"),
        (status = 404, body = ErrorBody, description = "no such token among those the caller may revoke (their own; any for admins)")))]
pub(super) async fn delete_token(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    revoke_token(&state, &principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", responses((status = 200, body = Vec<UserDto>), (status = 403, body = ErrorBody)))]
pub(super) async fn list_users(State(state): State<AppState>) -> ApiResult<Json<Vec<UserDto>>> {
    Ok(Json(
        state
            .store()
            .users()
            .await?
            .iter()
            .map(UserDto::from)
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CreateUserRequest {
    pub email: String,
    pub role: Role,
}

#[derive(Serialize, ToSchema)]
pub(super) struct CreatedUser {
    pub user: UserDto,
    /// Shown once; the user must choose a new password at first login.
    pub one_time_password: String,
}

#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = CreateUserRequest,
    responses((status = 201, body = CreatedUser), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn create_user(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    JsonBody(request): JsonBody<CreateUserRequest>,
) -> ApiResult<Response> {
    let (user, password) =
        add_user(&state, &request.email, request.role, &principal.actor()).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedUser {
            user: UserDto::from(&user),
            one_time_password: password,
        }),
    )
        .into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct UpdateUserRequest {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "accounts", params(("id" = String, Path)), request_body = UpdateUserRequest,
    responses((status = 200, body = UserDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn update_user(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<UpdateUserRequest>,
) -> ApiResult<Json<UserDto>> {
    let actor = principal.actor();
    let me = principal_user(&principal)?;
    if me.id == id
        && (request.role.is_some_and(|role| role != Role::Admin) || request.disabled == Some(true))
    {
        return Err(ApiError::unprocessable(
            "you cannot demote or disable yourself; ask another admin",
        )
        .field(if request.role.is_some() {
            "role"
        } else {
            "disabled"
        }));
    }
    let mut user = state
        .store()
        .user(&id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("user {id}")))?;
    if let Some(role) = request.role {
        user = state.store().set_role(&id, role, &actor).await?;
    }
    if let Some(disabled) = request.disabled {
        user = state.store().set_disabled(&id, disabled, &actor).await?;
    }
    Ok(Json(UserDto::from(&user)))
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Settings {
    /// Whether anyone may browse frameworks without logging in.
    pub public_browsing: bool,
    /// The share of a level's behaviours a topic must show consistently to
    /// meet it, as people write it: "80%".
    pub progression_threshold: String,
}

/// The settings to change; a field left out keeps its value.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SettingsInput {
    /// Whether anyone may browse frameworks without logging in.
    #[serde(default)]
    pub public_browsing: Option<bool>,
    /// "80%", "80" or "0.8": between 1% and 100%, at most basis-point precision.
    #[serde(default)]
    pub progression_threshold: Option<String>,
}

async fn current_settings(state: &AppState) -> Settings {
    state.forget_public_browsing();
    Settings {
        public_browsing: state.public_browsing().await,
        progression_threshold: settings::progression_threshold(state).await.to_string(),
    }
}

#[utoipa::path(get, path = "/api/v1/settings", tag = "accounts", responses((status = 200, body = Settings)))]
pub(super) async fn get_settings(State(state): State<AppState>) -> ApiResult<Json<Settings>> {
    Ok(Json(current_settings(&state).await))
}

#[utoipa::path(put, path = "/api/v1/settings", tag = "accounts", request_body = SettingsInput, responses((status = 200, body = Settings), (status = 422, body = ErrorBody)))]
pub(super) async fn put_settings(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    JsonBody(input): JsonBody<SettingsInput>,
) -> ApiResult<Json<Settings>> {
    // Check everything before changing anything.
    let threshold = input
        .progression_threshold
        .as_deref()
        .map(|text| {
            ladder_core::progression::Threshold::parse(text)
                .map_err(|problem| ApiError::unprocessable(problem).field("progression_threshold"))
        })
        .transpose()?;
    if let Some(public) = input.public_browsing {
        settings::set_public_browsing(&state, public, &principal.actor()).await?;
    }
    if let Some(threshold) = threshold {
        settings::set_progression_threshold(&state, threshold, &principal.actor()).await?;
    }
    Ok(Json(current_settings(&state).await))
}

#[derive(Serialize, ToSchema)]
pub(super) struct AuditDto {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct AuditQuery {
    /// At most this many entries, newest first (default 100, at most 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "accounts", params(AuditQuery), responses((status = 200, body = Vec<AuditDto>)))]
pub(super) async fn audit(
    State(state): State<AppState>,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditDto>>> {
    let entries = state
        .store()
        .audit_log(list_limit(query.limit, 100, 1000)?)
        .await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|entry| AuditDto {
                at: rfc3339(entry.at),
                actor: entry.actor,
                action: entry.action,
                target: entry.target,
                detail: entry.detail,
            })
            .collect(),
    ))
}
