//! The assessment editor: level by level, topic by topic, each behaviour with
//! a rating, a note and links; saved per level, submitted as of a date.

use std::collections::{HashMap, HashSet};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::Extension;
use ladder_core::progression::Rating;
use ladder_web::{AssessmentView, FieldError, MarkValue};

use super::assessments::assessment_detail;
use super::assessments::{
    assessment_framework, carried_changes, save_assessment_marks, submit_assessment, today,
    visible_assessment, MarkInput,
};
use super::page_parts::{field_error, notice, person_path, PageQuery};
use super::visibility::signed_in;
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::Fields;
use crate::http::page::{html, Chrome, PageResult};
use crate::http::state::AppState;
use crate::http::text::{normalise, sentence, url_encode};

// ---------------------------------------------------------------- editor

/// What the editor shows besides the stored ratings: the values typed into a
/// refused form, the problem, the date typed.
#[derive(Default)]
struct Typed {
    values: HashMap<String, MarkValue>,
    error: Option<FieldError>,
    as_of: Option<String>,
    level: Option<u32>,
}

async fn editor_page(
    state: &AppState,
    principal: &Principal,
    id: &str,
    assessment_id: &str,
    typed: Typed,
    status: StatusCode,
    flash: Option<&str>,
) -> PageResult {
    let caller = signed_in(principal)?;
    let built = async {
        let (_, _, assessment) = visible_assessment(state, caller, id, assessment_id).await?;
        let detail = assessment_detail(state, caller, id, assessment_id).await?;
        let stored = assessment_framework(state, &assessment).await?;
        let changes = carried_changes(state, &assessment).await?;
        Ok::<_, ApiError>((assessment, detail, stored, changes))
    }
    .await;
    let (assessment, detail, stored, changes) = built?;
    let mut values: HashMap<String, MarkValue> = detail
        .marks
        .iter()
        .map(|mark| {
            (
                mark.criterion_id.clone(),
                MarkValue {
                    rating: Some(mark.rating),
                    note: mark.note.clone(),
                    links: mark.links.join("\n"),
                },
            )
        })
        .collect();
    values.extend(typed.values);
    let new_or_changed: HashSet<String> = changes
        .as_ref()
        .map(|(_, c)| {
            c.new_or_changed
                .iter()
                .map(|b| b.criterion_id.clone())
                .collect()
        })
        .unwrap_or_default();
    let today = today();
    let as_of_input = typed
        .as_of
        .clone()
        .or_else(|| assessment.as_of.clone())
        .unwrap_or(today);
    let view = AssessmentView {
        person_id: id,
        person_email: &detail.email,
        assessment_id: &assessment.id,
        kind: assessment.kind,
        assessor: &detail.assessor_email,
        submitted: assessment.submitted,
        as_of: assessment.as_of.as_deref(),
        editable: !assessment.submitted && assessment.assessor_id == caller.id,
        framework: &stored.framework,
        framework_version: stored.version,
        values: &values,
        level: typed.level,
        carried_from_version: changes.as_ref().map(|(from, _)| *from),
        new_or_changed: &new_or_changed,
        progress: &detail.progress,
        as_of_input: &as_of_input,
        error: typed.error.as_ref(),
    };
    let chrome = Chrome::new(state, principal).await;
    let title = format!("{} · {}", assessment.kind.label(), detail.email);
    Ok(html(
        status,
        ladder_web::assessment(&chrome.page(&title, flash, None), &view),
    ))
}

pub(super) async fn editor(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, assessment_id)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
) -> PageResult {
    let typed = Typed {
        level: query.level.as_deref().and_then(|l| l.trim().parse().ok()),
        ..Typed::default()
    };
    editor_page(
        &state,
        &principal,
        &id,
        &assessment_id,
        typed,
        StatusCode::OK,
        notice(query.notice.as_deref()),
    )
    .await
}

/// The service names a mark's field by its index (`marks[2].links[0]`); the
/// page names it by behaviour (`links.<criterion id>`).
fn mark_field(field: Option<&str>, ids: &[String]) -> String {
    let Some(field) = field else {
        return String::new();
    };
    let Some(rest) = field.strip_prefix("marks[") else {
        return field.to_string();
    };
    let Some((index, name)) = rest.split_once("].") else {
        return field.to_string();
    };
    let Some(id) = index.parse::<usize>().ok().and_then(|i| ids.get(i)) else {
        return field.to_string();
    };
    let name = name.split('[').next().unwrap_or(name);
    match name {
        "rating" | "note" | "links" => format!("{name}.{id}"),
        _ => field.to_string(),
    }
}

/// `POST /people/{id}/assessments/{assessment_id}`: one level's form.
pub(super) async fn save(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, assessment_id)): Path<(String, String)>,
    body: Bytes,
) -> PageResult {
    let fields = Fields::parse(&body);
    let level = fields
        .first("level")
        .and_then(|l| l.trim().parse::<u32>().ok());
    let ids: Vec<String> = fields
        .all("criterion")
        .into_iter()
        .map(|id| id.trim().to_string())
        .collect();
    let mut marks = Vec::with_capacity(ids.len());
    let mut typed_values = HashMap::new();
    for criterion in &ids {
        let rating = fields
            .first(&format!("rating.{criterion}"))
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        let note = normalise(fields.first(&format!("note.{criterion}")).unwrap_or(""));
        let links_text = normalise(fields.first(&format!("links.{criterion}")).unwrap_or(""));
        let links: Vec<String> = links_text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        typed_values.insert(
            criterion.clone(),
            MarkValue {
                rating: rating.as_deref().and_then(Rating::parse),
                note: note.clone(),
                links: links_text.clone(),
            },
        );
        marks.push(MarkInput {
            criterion_id: criterion.clone(),
            rating,
            note: Some(note),
            links,
        });
    }
    match save_assessment_marks(&state, &principal, &id, &assessment_id, &marks).await {
        Ok(_) => {
            let level_part = level
                .map(|l| format!("&level={l}#level-{l}"))
                .unwrap_or_default();
            Ok(Redirect::to(&format!(
                "{}/assessments/{}?notice=saved{level_part}",
                person_path(&id),
                url_encode(&assessment_id)
            ))
            .into_response())
        }
        Err(error) if error.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let problem = FieldError {
                field: mark_field(error.field.as_deref(), &ids),
                message: sentence(&error.message),
            };
            let typed = Typed {
                values: typed_values,
                error: Some(problem),
                as_of: None,
                level,
            };
            editor_page(
                &state,
                &principal,
                &id,
                &assessment_id,
                typed,
                error.status,
                None,
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /people/{id}/assessments/{assessment_id}/submit`.
pub(super) async fn submit(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, assessment_id)): Path<(String, String)>,
    body: Bytes,
) -> PageResult {
    let fields = Fields::parse(&body);
    let as_of = fields.text("as_of");
    let as_of = as_of.trim();
    let date = Some(as_of).filter(|d| !d.is_empty());
    match submit_assessment(&state, &principal, &id, &assessment_id, date, None).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("{}?notice=submitted", person_path(&id))).into_response())
        }
        Err(error) if error.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let typed = Typed {
                error: Some(field_error(&error)),
                as_of: Some(as_of.to_string()),
                ..Typed::default()
            };
            editor_page(
                &state,
                &principal,
                &id,
                &assessment_id,
                typed,
                error.status,
                None,
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mark_fields_are_named_by_behaviour() {
        let ids = vec!["a.l1.x".to_string(), "b.l2.y".to_string()];
        assert_eq!(mark_field(Some("marks[1].links[0]"), &ids), "links.b.l2.y");
        assert_eq!(mark_field(Some("marks[0].rating"), &ids), "rating.a.l1.x");
        assert_eq!(mark_field(Some("marks[0].note"), &ids), "note.a.l1.x");
        assert_eq!(mark_field(Some("marks[7].rating"), &ids), "marks[7].rating");
        assert_eq!(
            mark_field(Some("marks[0].criterion_id"), &ids),
            "marks[0].criterion_id"
        );
        assert_eq!(mark_field(Some("as_of"), &ids), "as_of");
        assert_eq!(mark_field(None, &ids), "");
    }
}
