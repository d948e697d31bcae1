//! Placing a person on a framework at a level, with their manager and the
//! target level they agreed; placements are kept as history.

use axum::http::StatusCode;
use ladder_core::access::Role;
use ladder_core::limits;
use ladder_core::Framework;
use ladder_store::{NewPlacement, Person, Placement, User};
use serde::Deserialize;
use utoipa::ToSchema;

use super::dto::PlacementDto;
use super::visibility::{current_framework, relation, signed_in};
use crate::http::auth::Principal;
use crate::http::error::{ApiError, ApiResult};
use crate::http::idempotency::{responder, IdempotencyClaim};
use crate::http::state::AppState;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct PlacementInput {
    /// Framework slug, e.g. "engineering-backend".
    pub framework: String,
    /// The current level number.
    pub level: u32,
    /// The sub-level letter within the level ("B"), when the framework has them.
    #[serde(default)]
    pub sublevel: Option<String>,
    /// The level agreed as the target.
    pub target_level: u32,
    /// The person's manager (a user id). Managers may only name themselves;
    /// defaults to the caller when the caller is a manager.
    #[serde(default)]
    pub manager_id: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

fn level_problem(framework: &Framework, field: &str, level: u32) -> Option<ApiError> {
    let levels: Vec<u32> = framework
        .level_numbers()
        .into_iter()
        .filter(|number| {
            framework.topics.iter().any(|topic| {
                topic
                    .levels
                    .iter()
                    .any(|l| l.number == *number && !l.criteria.is_empty())
            })
        })
        .collect();
    if levels.contains(&level) {
        return None;
    }
    let listed = levels
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    Some(
        ApiError::unprocessable(format!(
            "{} has no level {level}; choose one of {listed}",
            framework.title
        ))
        .field(field),
    )
}

/// Checks a placement against the framework and the caller's rights and
/// returns what to store.
pub(super) async fn check_placement(
    state: &AppState,
    caller: &User,
    person_id: &str,
    input: &PlacementInput,
) -> ApiResult<NewPlacement> {
    let person = state
        .store()
        .person(person_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("person {person_id}")))?;
    let current_manager = person.placement.as_ref().and_then(|p| p.manager_id.clone());
    let manager_id = match caller.role {
        Role::Admin => input.manager_id.clone().filter(|id| !id.trim().is_empty()),
        _ => {
            // A manager places their own reports and people nobody manages.
            if relation(caller, &person).is_none() && current_manager.is_some() {
                return Err(ApiError::not_found(format!("person {person_id}")));
            }
            if current_manager
                .as_deref()
                .is_some_and(|manager| manager != caller.id)
            {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    "this person has another manager; ask an admin to move them",
                ));
            }
            match input
                .manager_id
                .as_deref()
                .filter(|id| !id.trim().is_empty())
            {
                None => Some(caller.id.clone()),
                Some(id) if id == caller.id => Some(caller.id.clone()),
                Some(_) => return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    "managers place people under themselves; ask an admin to name another manager",
                )
                .field("manager_id")),
            }
        }
    };
    if manager_id.as_deref() == Some(person_id) {
        return Err(
            ApiError::unprocessable("a person cannot be their own manager").field("manager_id"),
        );
    }
    if let Some(id) = &manager_id {
        match state.store().user(id).await? {
            None => {
                return Err(
                    ApiError::unprocessable(format!("there is no user {id}")).field("manager_id")
                )
            }
            Some(user) if user.disabled => {
                return Err(
                    ApiError::unprocessable(format!("{} is disabled", user.email))
                        .field("manager_id"),
                )
            }
            Some(_) => {}
        }
    }
    let stored = current_framework(state, input.framework.trim()).await?;
    let framework = &stored.framework;
    if let Some(problem) = level_problem(framework, "level", input.level) {
        return Err(problem);
    }
    if let Some(problem) = level_problem(framework, "target_level", input.target_level) {
        return Err(problem);
    }
    if input.target_level < input.level {
        return Err(ApiError::unprocessable(format!(
            "the target ({}) is below the current level ({}); agree a target at or above it",
            framework.level_label(input.target_level),
            framework.level_label(input.level)
        ))
        .field("target_level"));
    }
    let sublevel = match input.sublevel.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(letter) => match &framework.sublevels {
            Some(letters) => Some(
                letters
                    .iter()
                    .find(|l| l.eq_ignore_ascii_case(letter))
                    .cloned()
                    .ok_or_else(|| {
                        ApiError::unprocessable(format!(
                            "{letter:?} is not a sub-level of {}; use one of {}",
                            framework.title,
                            letters.join(", ")
                        ))
                        .field("sublevel")
                    })?,
            ),
            None => {
                return Err(ApiError::unprocessable(format!(
                    "{} has no sub-levels; leave sublevel empty",
                    framework.title
                ))
                .field("sublevel"))
            }
        },
    };
    let note = input.note.clone().unwrap_or_default();
    if let Some(problem) = limits::text_problem("the note", &note, limits::PLACEMENT_NOTE) {
        return Err(ApiError::unprocessable(problem).field("note"));
    }
    Ok(NewPlacement {
        person_id: person_id.to_string(),
        framework_slug: framework.slug.clone(),
        level: input.level,
        sublevel,
        target_level: input.target_level,
        manager_id,
        note,
    })
}

/// Places a person, unless the placement equals the current one (a retried
/// request places once). `true` when a new placement was made.
#[tracing::instrument(skip(state, principal, input, once))]
pub(super) async fn place_person(
    state: &AppState,
    principal: &Principal,
    person_id: &str,
    input: &PlacementInput,
    once: Option<&IdempotencyClaim>,
) -> ApiResult<(Placement, bool)> {
    let caller = signed_in(principal)?;
    let new = check_placement(state, caller, person_id, input).await?;
    if let Some(current) = state
        .store()
        .person(person_id)
        .await?
        .and_then(|person| person.placement)
    {
        let same = current.framework_slug == new.framework_slug
            && current.level == new.level
            && current.sublevel == new.sublevel
            && current.target_level == new.target_level
            && current.manager_id == new.manager_id
            && current.note == new.note;
        if same {
            return Ok((current, false));
        }
    }
    let respond = responder(once, |placed: &Placement| {
        (StatusCode::CREATED, PlacementDto::from(placed))
    });
    let placement = state
        .store()
        .place_person(
            &new,
            &principal.actor(),
            once.map(|claim| claim.completion(&respond)),
        )
        .await?;
    Ok((placement, true))
}

/// Whom the caller may choose in the placement form: everyone enabled for
/// admins; for managers, their reports and people nobody manages (never
/// themselves: nobody is their own manager). `check_placement` still decides.
pub(super) async fn placeable_people(state: &AppState, caller: &User) -> ApiResult<Vec<Person>> {
    let everyone = state.store().people(None).await?;
    Ok(everyone
        .into_iter()
        .filter(|person| !person.user.disabled)
        .filter(|person| match caller.role {
            Role::Admin => true,
            _ => {
                person.user.id != caller.id
                    && person
                        .placement
                        .as_ref()
                        .and_then(|p| p.manager_id.as_deref())
                        .is_none_or(|manager| manager == caller.id)
            }
        })
        .collect())
}
