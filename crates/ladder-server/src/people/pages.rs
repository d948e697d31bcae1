//! The people list (PRODUCT.md §4) with the placement form. Handlers work
//! through the same services as the API (who sees whom, placement checks,
//! who may assess, saving and submitting) and hand plain values to
//! `ladder_web` to render. The access layer has already checked the role;
//! the services decide per person, and their 404 and 403 become pages. Every
//! form posts and redirects (303); a refused form is shown again with the
//! message at its field.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Extension;
use ladder_store::{Person, User};
use ladder_web::{FieldError, PersonRow, PlaceForm, PlaceInput};

use super::page_parts::{
    can_place, email_of, emails, field_error, input_from, is_form_problem, level_label, notice,
    place_choices, place_from, placed_label, read_place_input, PageQuery,
};
use super::progress::standing;
use super::visibility::{signed_in, visible_people};
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::Fields;
use crate::http::page::{html, Chrome, PageResult};
use crate::http::state::AppState;

// ---------------------------------------------------------------- people list

async fn list_page(
    state: &AppState,
    principal: &Principal,
    input: Option<&PlaceInput>,
    error: Option<&FieldError>,
    status: StatusCode,
    flash: Option<&str>,
) -> PageResult {
    let caller = signed_in(principal)?;
    let built = async {
        let people = visible_people(state, caller).await?;
        let emails = emails(state).await?;
        let mut rows = Vec::with_capacity(people.len());
        for person in &people {
            rows.push(person_row(state, caller, person, &emails).await?);
        }
        let choices = if can_place(caller) {
            Some(place_choices(state, caller).await?)
        } else {
            None
        };
        Ok::<_, ApiError>((rows, choices))
    }
    .await;
    let (rows, choices) = built?;
    let blank = input_from(None, "", caller);
    let input = input.unwrap_or(&blank);
    let form = choices.as_ref().map(|choices| PlaceForm {
        heading: "Place a person",
        action: "/people",
        people: Some(&choices.people),
        frameworks: &choices.frameworks,
        managers: choices.managers.as_deref(),
        input,
        error,
    });
    let chrome = Chrome::new(state, principal).await;
    Ok(html(
        status,
        ladder_web::people_list(&chrome.page("People", flash, None), &rows, form.as_ref()),
    ))
}

async fn person_row(
    state: &AppState,
    caller: &User,
    person: &Person,
    emails: &HashMap<String, String>,
) -> Result<PersonRow, ApiError> {
    let Some(placement) = &person.placement else {
        return Ok(PersonRow {
            id: person.user.id.clone(),
            email: person.user.email.clone(),
            framework: None,
            placed_at: None,
            target: None,
            manager: None,
            standing: None,
            is_viewer: person.user.id == caller.id,
        });
    };
    let stored = state.framework(&placement.framework_slug, None).await?;
    let framework = stored.as_ref().map(|stored| &stored.framework);
    // The standing is what the person page shows; a framework that is gone
    // leaves it blank rather than failing the whole list.
    let standing = match &stored {
        Some(stored) => standing(state, person, stored).await?,
        None => None,
    };
    Ok(PersonRow {
        id: person.user.id.clone(),
        email: person.user.email.clone(),
        framework: Some(
            framework
                .map(|f| f.title.clone())
                .unwrap_or_else(|| placement.framework_slug.clone()),
        ),
        placed_at: Some(placed_label(
            framework,
            placement.level,
            placement.sublevel.as_deref(),
        )),
        target: Some(level_label(framework, placement.target_level)),
        manager: placement
            .manager_id
            .as_deref()
            .map(|id| email_of(emails, id)),
        standing,
        is_viewer: person.user.id == caller.id,
    })
}

pub(super) async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(query): Query<PageQuery>,
) -> PageResult {
    list_page(
        &state,
        &principal,
        None,
        None,
        StatusCode::OK,
        notice(query.notice.as_deref()),
    )
    .await
}

/// `POST /people`: the list's form, with the person chosen in it.
pub(super) async fn place_chosen(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    body: Bytes,
) -> PageResult {
    let caller = signed_in(&principal)?.clone();
    let input = read_place_input(&Fields::parse(&body), None);
    match place_from(&state, &principal, &caller, &input).await {
        Ok(response) => Ok(response),
        Err(error) if is_form_problem(&error) => {
            let problem = field_error(&error);
            list_page(
                &state,
                &principal,
                Some(&input),
                Some(&problem),
                error.status,
                None,
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}
