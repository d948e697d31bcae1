//! Who sees whom: decided per person, not per role. A person sees their own
//! record, their current manager sees it, admins see everyone's, and for
//! anybody else the person does not exist (404, so ids cannot be probed).

use std::sync::Arc;

use ladder_core::access::Role;
use ladder_store::{Person, StoredFramework, User};

use crate::http::auth::Principal;
use crate::http::error::{ApiError, ApiResult};
use crate::http::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Relation {
    Own,
    /// The viewer is the person's current manager.
    Manager,
    /// An admin who is neither.
    Admin,
}

pub(super) fn signed_in(principal: &Principal) -> ApiResult<&User> {
    principal.user.as_ref().ok_or_else(ApiError::unauthorized)
}

pub(super) fn relation(viewer: &User, person: &Person) -> Option<Relation> {
    if viewer.id == person.user.id {
        Some(Relation::Own)
    } else if person
        .placement
        .as_ref()
        .and_then(|p| p.manager_id.as_deref())
        == Some(viewer.id.as_str())
    {
        Some(Relation::Manager)
    } else if viewer.role == Role::Admin {
        Some(Relation::Admin)
    } else {
        None
    }
}

/// The person, if the viewer may see them; otherwise "not found".
pub(super) async fn visible_person(
    state: &AppState,
    viewer: &User,
    person_id: &str,
) -> ApiResult<(Person, Relation)> {
    let person = state.store().person(person_id).await?;
    person
        .and_then(|person| relation(viewer, &person).map(|relation| (person, relation)))
        .ok_or_else(|| ApiError::not_found(format!("person {person_id}")))
}

/// Everyone for admins; otherwise oneself and one's reports.
pub(super) async fn visible_people(state: &AppState, viewer: &User) -> ApiResult<Vec<Person>> {
    if viewer.role == Role::Admin {
        return Ok(state.store().people(None).await?);
    }
    let mut people = state.store().people(Some(&viewer.id)).await?;
    if !people.iter().any(|p| p.user.id == viewer.id) {
        if let Some(own) = state.store().person(&viewer.id).await? {
            people.insert(0, own);
        }
    }
    Ok(people)
}

pub(super) async fn current_framework(
    state: &AppState,
    slug: &str,
) -> ApiResult<Arc<StoredFramework>> {
    state.framework(slug, None).await?.ok_or_else(|| {
        ApiError::unprocessable(format!(
            "there is no framework {slug:?}; import it first or choose one of GET /api/v1/frameworks"
        ))
        .field("framework")
    })
}

pub(super) async fn framework_version(
    state: &AppState,
    slug: &str,
    version: u32,
) -> ApiResult<Arc<StoredFramework>> {
    state
        .framework(slug, Some(version))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("framework {slug} version {version}")))
}
