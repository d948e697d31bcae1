//! The job-spec editor: title, description, competencies with their weights
//! and must-haves in one form, and the round items one by one (add, edit,
//! delete, move, regenerate). Form bodies are decoded with [`Fields`] rather
//! than `axum::Form`: the editor repeats field names per row, which serde
//! cannot collect, and a hand-decoded body never turns a malformed form into
//! a bare-text rejection.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::Extension;
use ladder_core::generate::Round;
use ladder_core::jobspec::{Competency, MustHave, Weight};
use ladder_web::{CompetencyInput, EditTarget, FieldError, JobSpecForm, MustHaveInput, SpecError};

use super::pages::{basis_title, editable, is_form_problem, spec_failure, spec_path};
use super::service::{self as jobspecs, ItemInput, ItemUpdate, JobSpecUpdate, Regenerate};
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::Fields;
use crate::http::page::{html, Chrome, PageResult};
use crate::http::state::AppState;
use crate::http::text::normalise;

// ---------------------------------------------------------------- edit

async fn edit_page(
    state: &AppState,
    principal: &Principal,
    id: &str,
    form: Option<&JobSpecForm>,
    error: Option<&FieldError>,
    status: StatusCode,
) -> PageResult {
    let (summary, version) = editable(state, id).await?;
    let basis_title = basis_title(state, version.body.basis.as_ref()).await;
    let stored;
    let form = match form {
        Some(form) => form,
        None => {
            stored = JobSpecForm::from_body(&version.body);
            &stored
        }
    };
    let target = EditTarget {
        id: &summary.id,
        version: version.version,
        label: version.label.as_deref(),
        published: version.published,
        next_version: summary.latest_version.saturating_add(1),
        basis: version.body.basis.as_ref(),
        basis_title: basis_title.as_deref(),
    };
    let title = format!("Edit {}", version.body.title);
    let chrome = Chrome::new(state, principal).await;
    Ok(html(
        status,
        ladder_web::job_spec_edit(&chrome.page(&title, None, None), &target, form, error),
    ))
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> PageResult {
    edit_page(&state, &principal, &id, None, None, StatusCode::OK).await
}

/// The editor's body: the form as typed (rows left entirely empty dropped)
/// and whether each repeated group was sent at all (absent = unchanged).
fn read_edit_form(fields: &Fields) -> (JobSpecForm, bool, bool) {
    let ids = fields.all("competency_id");
    let names = fields.all("competency_name");
    let weights = fields.all("competency_weight");
    let definitions = fields.all("competency_definition");
    let rows = [ids.len(), names.len(), weights.len(), definitions.len()]
        .into_iter()
        .max()
        .unwrap_or(0);
    let at = |list: &[&str], index: usize| {
        list.get(index)
            .map(|text| normalise(text))
            .unwrap_or_default()
    };
    let competencies: Vec<CompetencyInput> = (0..rows)
        .map(|index| CompetencyInput {
            id: at(&ids, index),
            name: at(&names, index),
            weight: at(&weights, index),
            definition: at(&definitions, index),
        })
        .filter(|row| !row.is_empty())
        .collect();
    let required: Vec<&str> = fields
        .all("must_required")
        .into_iter()
        .map(str::trim)
        .collect();
    let must_haves: Vec<MustHaveInput> = fields
        .all("must_text")
        .iter()
        .enumerate()
        .map(|(index, text)| MustHaveInput {
            text: normalise(text),
            required: required.contains(&index.to_string().as_str()),
        })
        .filter(|row| !row.text.trim().is_empty())
        .collect();
    let sent_competencies = rows > 0;
    let sent_must_haves = fields.has("must_text");
    (
        JobSpecForm {
            title: fields.text("title"),
            seniority: fields.text("seniority"),
            description: fields.text("description"),
            competencies,
            must_haves,
        },
        sent_competencies,
        sent_must_haves,
    )
}

fn competencies_from(rows: &[CompetencyInput]) -> Result<Vec<Competency>, FieldError> {
    rows.iter()
        .enumerate()
        .map(|(index, row)| {
            let field = format!("competencies[{index}].weight");
            let weight = if row.weight.trim().is_empty() {
                Err(FieldError {
                    field: field.clone(),
                    message: "give a weight such as 0.35 or 35%".into(),
                })
            } else {
                Weight::parse(&row.weight).map_err(|error| FieldError {
                    field: field.clone(),
                    message: error.0,
                })
            }?;
            Ok(Competency {
                id: row.id.trim().to_string(),
                name: row.name.trim().to_string(),
                weight,
                definition: row.definition.trim().to_string(),
            })
        })
        .collect()
}

pub(super) async fn save(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    let fields = Fields::parse(&body);
    let (form, sent_competencies, sent_must_haves) = read_edit_form(&fields);
    let competencies = match competencies_from(&form.competencies) {
        Ok(competencies) => competencies,
        Err(error) => {
            return edit_page(
                &state,
                &principal,
                &id,
                Some(&form),
                Some(&error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let must_haves: Vec<MustHave> = form
        .must_haves
        .iter()
        .map(|m| MustHave {
            text: m.text.trim().to_string(),
            required: m.required,
        })
        .collect();
    let update = JobSpecUpdate {
        title: fields.has("title").then(|| form.title.clone()),
        seniority: fields.has("seniority").then(|| form.seniority.clone()),
        description: fields.has("description").then(|| form.description.clone()),
        framework: None,
        competencies: sent_competencies.then_some(competencies),
        must_haves: sent_must_haves.then_some(must_haves),
    };
    match jobspecs::update(&state, &id, update, &principal.actor()).await {
        Ok(_) => Ok(Redirect::to(&format!("{}?version=draft", spec_path(&id))).into_response()),
        Err(error) if is_form_problem(&error) => {
            let problem = FieldError {
                field: error.field.clone().unwrap_or_default(),
                message: error.message,
            };
            edit_page(
                &state,
                &principal,
                &id,
                Some(&form),
                Some(&problem),
                error.status,
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}

// ---------------------------------------------------------------- round items

/// Where to land after changing a round: the draft, at that round.
pub(super) fn after_change(id: &str, round: u32) -> PageResult {
    Ok(Redirect::to(&format!("{}?version=draft#round{round}", spec_path(id))).into_response())
}

fn optional_id(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_string)
}

pub(super) fn round(number: u32) -> Result<Round, ApiError> {
    jobspecs::round_from(number)
}

pub(super) async fn add_item(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, number)): Path<(String, u32)>,
    body: Bytes,
) -> PageResult {
    let fields = Fields::parse(&body);
    let text = fields.text("text");
    let context = SpecError {
        round: Some(number),
        text: Some(text.clone()),
        ..SpecError::default()
    };
    let result = match round(number) {
        Ok(round) => {
            jobspecs::add_item(
                &state,
                &id,
                round,
                ItemInput {
                    text,
                    competency_id: optional_id(fields.first("competency_id")),
                },
                &principal.actor(),
            )
            .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(_) => after_change(&id, number),
        Err(error) => spec_failure(&state, &principal, &id, error, context).await,
    }
}

pub(super) async fn edit_item(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, number, item_id)): Path<(String, u32, String)>,
    body: Bytes,
) -> PageResult {
    let fields = Fields::parse(&body);
    let text = fields.first("text").map(normalise);
    let context = SpecError {
        round: Some(number),
        item_id: Some(item_id.clone()),
        text: text.clone(),
        ..SpecError::default()
    };
    let result = async {
        let round = round(number)?;
        let (_, version) = editable(&state, &id).await?;
        let item = jobspecs::items(&version.body, round)
            .iter()
            .find(|item| item.id == item_id)
            .ok_or_else(|| ApiError::not_found(format!("item {item_id}")))?;
        // Only what changed, so saving an untouched form neither marks the
        // item as edited nor opens a draft.
        let update = ItemUpdate {
            text: text.clone().filter(|text| text.trim() != item.text),
            competency_id: fields
                .first("competency_id")
                .map(|c| optional_id(Some(c)))
                .filter(|c| *c != item.competency_id),
        };
        if update.text.is_none() && update.competency_id.is_none() {
            return Ok(());
        }
        jobspecs::edit_item(&state, &id, round, &item_id, update, &principal.actor())
            .await
            .map(|_| ())
    }
    .await;
    match result {
        Ok(()) => after_change(&id, number),
        Err(error) => spec_failure(&state, &principal, &id, error, context).await,
    }
}

pub(super) async fn delete_item(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, number, item_id)): Path<(String, u32, String)>,
) -> PageResult {
    let context = SpecError {
        round: Some(number),
        item_id: Some(item_id.clone()),
        ..SpecError::default()
    };
    let result = match round(number) {
        Ok(round) => jobspecs::delete_item(&state, &id, round, &item_id, &principal.actor()).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(_) => after_change(&id, number),
        Err(error) => spec_failure(&state, &principal, &id, error, context).await,
    }
}

pub(super) async fn move_item(
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
        let round = round(number)?;
        let up = match fields.first("direction").map(str::trim) {
            Some("up") => true,
            Some("down") => false,
            _ => return Err(ApiError::unprocessable("move the item up or down").field("direction")),
        };
        let (_, version) = editable(&state, &id).await?;
        let mut ids: Vec<String> = jobspecs::items(&version.body, round)
            .iter()
            .map(|item| item.id.clone())
            .collect();
        let index = ids
            .iter()
            .position(|id| *id == item_id)
            .ok_or_else(|| ApiError::not_found(format!("item {item_id}")))?;
        let other = if up {
            index.checked_sub(1)
        } else {
            Some(index + 1).filter(|&next| next < ids.len())
        };
        // Already first (or last): nothing to do.
        let Some(other) = other else { return Ok(()) };
        ids.swap(index, other);
        jobspecs::reorder(&state, &id, round, &ids, &principal.actor())
            .await
            .map(|_| ())
    }
    .await;
    match result {
        Ok(()) => after_change(&id, number),
        Err(error) => spec_failure(&state, &principal, &id, error, context).await,
    }
}

pub(super) async fn regenerate(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, number)): Path<(String, u32)>,
    body: Bytes,
) -> PageResult {
    let fields = Fields::parse(&body);
    let item_id = optional_id(fields.first("item_id"));
    // An unticked checkbox sends nothing, so for "regenerate all" absence
    // means "replace edited items too".
    let keep_edited = item_id.is_none().then(|| fields.has("keep_edited"));
    let context = SpecError {
        round: Some(number),
        item_id: item_id.clone(),
        ..SpecError::default()
    };
    let result = match round(number) {
        Ok(round) => {
            super::alternatives::regenerate(
                &state,
                &id,
                round,
                Regenerate {
                    item_id,
                    keep_edited,
                },
                &principal.actor(),
            )
            .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(_) => after_change(&id, number),
        Err(error) => spec_failure(&state, &principal, &id, error, context).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_rows_group_repeated_fields_and_drop_empty_ones() {
        let body = "csrf=x&title=T&competency_id=a&competency_name=A&competency_weight=0.5&competency_definition=d%0D%0Ae\
                    &competency_id=&competency_name=&competency_weight=&competency_definition=\
                    &competency_id=&competency_name=B&competency_weight=50%25&competency_definition=\
                    &must_text=one&must_required=0&must_text=two&must_text=&must_required=2";
        let (form, competencies, must) = read_edit_form(&Fields::parse(body.as_bytes()));
        assert!(competencies && must);
        assert_eq!(form.title, "T");
        assert_eq!(form.competencies.len(), 2);
        assert_eq!(form.competencies[0].definition, "d\ne");
        assert_eq!(form.competencies[1].weight, "50%");
        assert_eq!(
            form.must_haves,
            vec![
                MustHaveInput {
                    text: "one".into(),
                    required: true
                },
                MustHaveInput {
                    text: "two".into(),
                    required: false
                }
            ]
        );
        let parsed = competencies_from(&form.competencies).unwrap();
        assert_eq!(parsed.iter().map(|c| c.weight.0).sum::<u32>(), 10_000);

        let bad = vec![CompetencyInput {
            name: "A".into(),
            weight: "0.3.5".into(),
            ..Default::default()
        }];
        let error = competencies_from(&bad).unwrap_err();
        assert_eq!(error.field, "competencies[0].weight");
        let (form, competencies, must) = read_edit_form(&Fields::parse(b"title=only"));
        assert!(!competencies && !must && form.competencies.is_empty());
    }
}
