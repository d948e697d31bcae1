//! What the progression pages share: notices, labels, the placement form's
//! choices and reading it, and how a refusal is shown at its field.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use ladder_core::access::{allowed, Action, Role};
use ladder_core::Framework;
use ladder_store::{Placement, User};
use ladder_web::{Choice, FieldError, FrameworkChoice, PlaceInput};
use serde::Deserialize;

use super::placements::{place_person, placeable_people, PlacementInput};
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::Fields;
use crate::http::state::AppState;
use crate::http::text::{rfc3339, sentence, url_encode};

// ---------------------------------------------------------------- plumbing

pub(super) fn field_error(error: &ApiError) -> FieldError {
    FieldError {
        field: error.field.clone().unwrap_or_default(),
        message: sentence(&error.message),
    }
}

/// Whether a refusal belongs next to a form field (shown again with the
/// form) rather than on a page of its own.
pub(super) fn is_form_problem(error: &ApiError) -> bool {
    matches!(
        error.status,
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST
    ) || (error.status == StatusCode::FORBIDDEN && error.field.is_some())
}

const NOTICES: &[(&str, &str)] = &[
    (
        "placed",
        "Placed. The placement history keeps the previous one.",
    ),
    (
        "unchanged",
        "Nothing changed: that is the current placement.",
    ),
    ("saved", "Saved."),
    ("submitted", "Submitted. The assessment is now frozen."),
];

#[derive(Deserialize)]
pub(super) struct PageQuery {
    pub(super) notice: Option<String>,
    pub(super) level: Option<String>,
}

pub(super) fn notice(key: Option<&str>) -> Option<&'static str> {
    let key = key?;
    NOTICES.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
}

pub(super) fn person_path(id: &str) -> String {
    format!("/people/{}", url_encode(id))
}

pub(super) fn date_of(millis: i64) -> String {
    rfc3339(millis).chars().take(10).collect()
}

pub(super) fn placed_label(
    framework: Option<&Framework>,
    level: u32,
    sublevel: Option<&str>,
) -> String {
    let label = match framework {
        Some(framework) => framework.level_label(level),
        None => format!("Level {level}"),
    };
    format!("{label}{}", sublevel.unwrap_or_default())
}

pub(super) fn level_label(framework: Option<&Framework>, level: u32) -> String {
    placed_label(framework, level, None)
}

pub(super) async fn emails(state: &AppState) -> Result<HashMap<String, String>, ApiError> {
    Ok(state
        .store()
        .users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect())
}

pub(super) fn email_of(emails: &HashMap<String, String>, id: &str) -> String {
    emails.get(id).cloned().unwrap_or_else(|| id.to_string())
}

pub(super) fn can_place(caller: &User) -> bool {
    allowed(Some(caller.role), Action::PlacePeople, false)
}

/// Every framework someone can be placed on, with its levels and letters.
pub(super) async fn framework_choices(state: &AppState) -> Result<Vec<FrameworkChoice>, ApiError> {
    let list = state.framework_list().await?;
    let mut out = Vec::new();
    for summary in list.iter() {
        let Some(stored) = state.framework(&summary.slug, None).await? else {
            continue;
        };
        let framework = &stored.framework;
        let levels = framework
            .level_numbers()
            .into_iter()
            .filter(|n| framework.criteria().any(|(_, level, _)| level == *n))
            .collect();
        out.push(FrameworkChoice {
            slug: framework.slug.clone(),
            title: framework.title.clone(),
            levels,
            sublevels: framework.sublevels.clone().unwrap_or_default(),
        });
    }
    Ok(out)
}

/// What the placement form offers the caller: people (when chosen in the
/// form), frameworks, managers (admins only).
pub(super) struct PlaceChoices {
    pub(super) people: Vec<Choice>,
    pub(super) frameworks: Vec<FrameworkChoice>,
    pub(super) managers: Option<Vec<Choice>>,
}

pub(super) async fn place_choices(
    state: &AppState,
    caller: &User,
) -> Result<PlaceChoices, ApiError> {
    let people = placeable_people(state, caller)
        .await?
        .into_iter()
        .map(|p| Choice {
            value: p.user.id,
            label: p.user.email,
        })
        .collect();
    let managers = if caller.role == Role::Admin {
        Some(
            state
                .store()
                .users()
                .await?
                .into_iter()
                .filter(|u| !u.disabled)
                .map(|u| Choice {
                    label: format!("{} ({})", u.email, u.role.as_str().replace('_', " ")),
                    value: u.id,
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(PlaceChoices {
        people,
        frameworks: framework_choices(state).await?,
        managers,
    })
}

/// The form prefilled from a placement (or empty, on the first framework).
pub(super) fn input_from(placement: Option<&Placement>, person: &str, caller: &User) -> PlaceInput {
    match placement {
        Some(p) => PlaceInput {
            person: person.to_string(),
            framework: p.framework_slug.clone(),
            level: p.level.to_string(),
            sublevel: p.sublevel.clone().unwrap_or_default(),
            target_level: p.target_level.to_string(),
            manager: p.manager_id.clone().unwrap_or_default(),
            note: p.note.clone(),
        },
        None => PlaceInput {
            person: person.to_string(),
            manager: if caller.role == Role::Admin {
                String::new()
            } else {
                caller.id.clone()
            },
            ..PlaceInput::default()
        },
    }
}

pub(super) fn read_place_input(fields: &Fields, person: Option<&str>) -> PlaceInput {
    PlaceInput {
        person: person
            .map(str::to_string)
            .unwrap_or_else(|| fields.text("person").trim().to_string()),
        framework: fields.text("framework").trim().to_string(),
        level: fields.text("level").trim().to_string(),
        sublevel: fields.text("sublevel").trim().to_string(),
        target_level: fields.text("target_level").trim().to_string(),
        manager: fields.text("manager_id").trim().to_string(),
        note: fields.text("note"),
    }
}

pub(super) fn whole_number(text: &str, field: &str, what: &str) -> Result<u32, ApiError> {
    text.trim().parse::<u32>().map_err(|_| {
        let shown = if text.trim().is_empty() {
            format!("give the {what} as a whole number, e.g. 3")
        } else {
            format!(
                "{:?} is not a {what}; write a whole number, e.g. 3",
                text.trim()
            )
        };
        ApiError::unprocessable(shown).field(field)
    })
}

/// The typed form as the service's input; the first problem names its field.
pub(super) fn placement_input(input: &PlaceInput, admin: bool) -> Result<PlacementInput, ApiError> {
    if input.person.is_empty() {
        return Err(ApiError::unprocessable("choose the person to place").field("person"));
    }
    if input.framework.is_empty() {
        return Err(ApiError::unprocessable("choose a framework").field("framework"));
    }
    let level = whole_number(&input.level, "level", "level")?;
    let target_level = whole_number(&input.target_level, "target_level", "target level")?;
    Ok(PlacementInput {
        framework: input.framework.clone(),
        level,
        sublevel: Some(input.sublevel.clone()).filter(|s| !s.is_empty()),
        target_level,
        // Managers place under themselves: the service fills that in.
        manager_id: if admin {
            Some(input.manager.clone()).filter(|m| !m.is_empty())
        } else {
            None
        },
        note: Some(input.note.clone()),
    })
}

/// Places from either form; the redirect on success, or the refusal.
pub(super) async fn place_from(
    state: &AppState,
    principal: &Principal,
    caller: &User,
    input: &PlaceInput,
) -> Result<Response, ApiError> {
    let request = placement_input(input, caller.role == Role::Admin)?;
    let (_, created) = place_person(state, principal, &input.person, &request, None).await?;
    let notice = if created { "placed" } else { "unchanged" };
    Ok(Redirect::to(&format!("{}?notice={notice}", person_path(&input.person))).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_typed_placement_names_its_first_problem() {
        let input = PlaceInput {
            person: "p".into(),
            framework: "f".into(),
            level: "three".into(),
            target_level: "4".into(),
            ..PlaceInput::default()
        };
        let error = placement_input(&input, true).expect_err("not a number");
        assert_eq!(error.field.as_deref(), Some("level"));
        assert!(error.message.contains("\"three\""));
        let input = PlaceInput {
            level: "3".into(),
            target_level: String::new(),
            ..input
        };
        let error = placement_input(&input, true).expect_err("missing");
        assert_eq!(error.field.as_deref(), Some("target_level"));
        let ok = placement_input(
            &PlaceInput {
                target_level: "4".into(),
                manager: "m".into(),
                sublevel: "B".into(),
                ..input
            },
            false,
        )
        .expect("valid");
        assert_eq!((ok.level, ok.target_level), (3, 4));
        assert_eq!(ok.sublevel.as_deref(), Some("B"));
        assert_eq!(ok.manager_id, None, "managers place under themselves");
    }
}
