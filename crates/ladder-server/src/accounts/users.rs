//! Creating users, shared by the API and the admin page.

use ladder_core::access::Role;
use ladder_store::{Actor, User};

use crate::http::auth;
use crate::http::error::{ApiError, ApiResult};
use crate::http::state::AppState;
use crate::http::text::parse_email;

/// Creates a user with a one-time password; shared by the API and the admin page.
#[tracing::instrument(skip(state, email, role, actor))]
pub(super) async fn add_user(
    state: &AppState,
    email: &str,
    role: Role,
    actor: &Actor,
) -> ApiResult<(User, String)> {
    let email =
        parse_email(email).map_err(|problem| ApiError::unprocessable(problem).field("email"))?;
    let password = auth::random_password();
    let hash = auth::hash_password(&password).map_err(ApiError::internal)?;
    let user = state
        .store()
        .create_user(&email, role, Some(&hash), true, actor)
        .await?;
    Ok((user, password))
}
