//! API tokens as their owners and admins see them: listing and revoking,
//! shared by the API and the account page. A token's id is not its secret;
//! the secret is shown once, when the token is made (`ladder token create`).

use ladder_core::access::Role;
use ladder_store::ApiToken;

use crate::http::auth::Principal;
use crate::http::error::{ApiError, ApiResult};
use crate::http::state::AppState;

fn is_admin(principal: &Principal) -> bool {
    principal
        .user
        .as_ref()
        .is_some_and(|user| user.role == Role::Admin)
}

/// The caller's tokens, or — for an admin naming one — another user's.
pub(super) async fn list_tokens(
    state: &AppState,
    principal: &Principal,
    user_id: Option<&str>,
) -> ApiResult<Vec<ApiToken>> {
    let me = principal.user.as_ref().ok_or_else(ApiError::unauthorized)?;
    let whose =
        match user_id {
            None => me.id.as_str(),
            Some(id) if id == me.id => id,
            Some(id) if is_admin(principal) => {
                if state.store().user(id).await?.is_none() {
                    return Err(ApiError::not_found(format!("user {id}")).field("user"));
                }
                id
            }
            Some(_) => return Err(ApiError::new(
                axum::http::StatusCode::FORBIDDEN,
                "forbidden",
                "Only admins may list other people's API tokens; leave out `user` to list yours.",
            )
            .field("user")),
        };
    Ok(state.store().api_tokens(Some(whose)).await?)
}

/// Revokes one of the caller's tokens, or any token for an admin. Someone
/// else's token is "not found" to anyone else, as if it did not exist.
pub(super) async fn revoke_token(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> ApiResult<ApiToken> {
    let me = principal.user.as_ref().ok_or_else(ApiError::unauthorized)?;
    let not_found = || ApiError::not_found(format!("API token {id}"));
    let token = state.store().api_token(id).await?.ok_or_else(not_found)?;
    if token.user_id != me.id && !is_admin(principal) {
        return Err(not_found());
    }
    Ok(state
        .store()
        .revoke_api_token(&token.id, &principal.actor())
        .await?)
}
