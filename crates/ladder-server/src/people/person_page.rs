//! A person's page: where they stand, progress to the target, the charts,
//! placement history and assessments; and its forms (place, open an
//! assessment).

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::Extension;
use ladder_core::access::Role;
use ladder_core::progression::AssessmentKind;
use ladder_store::{Assessment, StoredFramework, User};
use ladder_web::{
    AssessmentRow, ChangeNotice, FieldError, PersonView, PlaceForm, PlaceInput, PlacementRow,
    PlacementSummary, ProgressSection, StartButton, TimelineEntry,
};

use super::assessments::{may_view_assessment, open_assessment};
use super::page_parts::{
    can_place, date_of, email_of, emails, field_error, input_from, is_form_problem, level_label,
    notice, person_path, place_choices, place_from, placed_label, read_place_input, PageQuery,
    PlaceChoices,
};
use super::progress::{progress_view, ProgressView};
use super::visibility::{signed_in, visible_person, Relation};
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::Fields;
use crate::http::page::{html, Chrome, PageResult};
use crate::http::settings::progression_threshold;
use crate::http::state::AppState;
use crate::http::text::url_encode;

// ---------------------------------------------------------------- person

async fn person_page(
    state: &AppState,
    principal: &Principal,
    id: &str,
    typed: Option<(&PlaceInput, &FieldError)>,
    status: StatusCode,
    flash: Option<&str>,
) -> PageResult {
    let caller = signed_in(principal)?;
    match build_person(state, caller, id, typed).await {
        Ok(parts) => {
            let chrome = Chrome::new(state, principal).await;
            let title = parts.email.clone();
            Ok(html(
                status,
                parts.render(&chrome.page(&title, flash, None), typed),
            ))
        }
        Err(error) => Err(error.into()),
    }
}

/// Everything the person page shows, owned, so the view can borrow it.
struct PersonParts {
    id: String,
    email: String,
    relation: &'static str,
    summary: Option<PlacementSummary>,
    view: Option<ProgressView>,
    timeline: Vec<TimelineEntry>,
    source_as_of: Option<String>,
    history: Vec<PlacementRow>,
    assessments: Vec<AssessmentRow>,
    start: Vec<StartButton>,
    choices: Option<PlaceChoices>,
    prefilled: PlaceInput,
    threshold_bp: u32,
}

impl PersonParts {
    fn render(&self, page: &ladder_web::Page, typed: Option<(&PlaceInput, &FieldError)>) -> String {
        let progress = self.view.as_ref().map(|view| {
            let report = &view.report;
            ProgressSection {
                framework: &view.framework.framework,
                framework_version: report.framework_version,
                target_level: report.placement.target_level,
                source: report.source,
                source_as_of: self.source_as_of.as_deref(),
                progress: report.progress.as_ref(),
                self_progress: report.self_progress.as_ref(),
                manager_progress: report.manager_progress.as_ref(),
                threshold_bp: self.threshold_bp,
                disagreements: &report.disagreements,
                changes: report.framework_changes.as_ref().map(|c| ChangeNotice {
                    from_version: c.from_version,
                    to_version: c.to_version,
                    changes: &c.changes,
                }),
                timeline: &self.timeline,
            }
        });
        let (input, error) = match typed {
            Some((input, error)) => (input, Some(error)),
            None => (&self.prefilled, None),
        };
        let action = format!("{}/placements", person_path(&self.id));
        let form = self.choices.as_ref().map(|choices| PlaceForm {
            heading: if self.summary.is_some() {
                "Change the placement"
            } else {
                "Place this person"
            },
            action: &action,
            people: None,
            frameworks: &choices.frameworks,
            managers: choices.managers.as_deref(),
            input,
            error,
        });
        ladder_web::person(
            page,
            &PersonView {
                id: &self.id,
                email: &self.email,
                relation: self.relation,
                placement: self.summary.as_ref(),
                progress,
                placements: &self.history,
                assessments: &self.assessments,
                start: &self.start,
                place_form: form,
            },
        )
    }
}

async fn build_person(
    state: &AppState,
    caller: &User,
    id: &str,
    typed: Option<(&PlaceInput, &FieldError)>,
) -> Result<PersonParts, ApiError> {
    let (person, relation) = visible_person(state, caller, id).await?;
    let emails = emails(state).await?;
    let view = match &person.placement {
        Some(_) => Some(progress_view(state, caller, id).await?),
        None => None,
    };
    let assessments: Vec<Assessment> = match &view {
        Some(view) => view.assessments.clone(),
        None => state.store().assessments(id).await?,
    };
    let framework = view.as_ref().map(|v| &v.framework.framework);
    let summary = person.placement.as_ref().map(|p| PlacementSummary {
        framework_slug: p.framework_slug.clone(),
        framework_title: framework
            .map(|f| f.title.clone())
            .unwrap_or_else(|| p.framework_slug.clone()),
        placed_at: placed_label(framework, p.level, p.sublevel.as_deref()),
        target: level_label(framework, p.target_level),
        manager: p.manager_id.as_deref().map(|m| email_of(&emails, m)),
        note: p.note.clone(),
        since: date_of(p.created_at),
    });
    let mut titles: HashMap<String, Option<Arc<StoredFramework>>> = HashMap::new();
    let mut history = Vec::new();
    for p in state.store().placements(id).await? {
        if !titles.contains_key(&p.framework_slug) {
            let stored = state.framework(&p.framework_slug, None).await?;
            titles.insert(p.framework_slug.clone(), stored);
        }
        let at = titles
            .get(&p.framework_slug)
            .and_then(|s| s.as_ref())
            .map(|s| &s.framework);
        history.push(PlacementRow {
            date: date_of(p.created_at),
            framework: at
                .map(|f| f.title.clone())
                .unwrap_or_else(|| p.framework_slug.clone()),
            placed_at: placed_label(at, p.level, p.sublevel.as_deref()),
            target: level_label(at, p.target_level),
            manager: p
                .manager_id
                .as_deref()
                .map(|m| email_of(&emails, m))
                .unwrap_or_else(|| "—".to_string()),
            by: email_of(&emails, &p.created_by),
            note: p.note.clone(),
        });
    }
    // Drafts are private to whoever writes them (and admins).
    let rows = assessments
        .iter()
        .filter(|a| may_view_assessment(caller, a))
        .map(|a| AssessmentRow {
            id: a.id.clone(),
            kind: a.kind,
            assessor: email_of(&emails, &a.assessor_id),
            submitted: a.submitted,
            as_of: a.as_of.clone(),
            rated: a.marks,
            framework_version: a.framework_version,
            own_draft: !a.submitted && a.assessor_id == caller.id,
        })
        .collect();
    let draft_of = |kind: AssessmentKind| {
        assessments
            .iter()
            .any(|a| !a.submitted && a.kind == kind && a.assessor_id == caller.id)
    };
    let mut start = Vec::new();
    if person.placement.is_some() {
        match relation {
            Relation::Own => start.push(StartButton {
                kind: AssessmentKind::SelfAssessment,
                has_draft: draft_of(AssessmentKind::SelfAssessment),
            }),
            Relation::Manager => start.push(StartButton {
                kind: AssessmentKind::Manager,
                has_draft: draft_of(AssessmentKind::Manager),
            }),
            Relation::Admin => {}
        }
    }
    let may_place = can_place(caller)
        && (caller.role == Role::Admin || relation == Relation::Manager)
        && !(caller.role != Role::Admin && person.user.id == caller.id);
    let choices = if may_place || typed.is_some() {
        Some(place_choices(state, caller).await?)
    } else {
        None
    };
    let (timeline, source_as_of) = match &view {
        Some(view) => {
            let report = &view.report;
            let source_id = match report.source {
                Some(AssessmentKind::Manager) => report.manager_assessment_id.as_deref(),
                Some(AssessmentKind::SelfAssessment) => report.self_assessment_id.as_deref(),
                None => None,
            };
            (
                report
                    .timeline
                    .iter()
                    .map(|point| TimelineEntry {
                        kind: point.kind,
                        as_of: point.as_of.clone(),
                        standing: point.standing.clone(),
                        position_bp: point.position_bp,
                    })
                    .collect(),
                source_id.and_then(|sid| {
                    assessments
                        .iter()
                        .find(|a| a.id == sid)
                        .and_then(|a| a.as_of.clone())
                }),
            )
        }
        None => (Vec::new(), None),
    };
    Ok(PersonParts {
        id: person.user.id.clone(),
        email: person.user.email.clone(),
        relation: match relation {
            Relation::Own => "This is you",
            Relation::Manager => "Your report",
            Relation::Admin => "Admin view",
        },
        prefilled: input_from(person.placement.as_ref(), &person.user.id, caller),
        summary,
        view,
        timeline,
        source_as_of,
        history,
        assessments: rows,
        start,
        choices,
        threshold_bp: progression_threshold(state).await.basis_points(),
    })
}

pub(super) async fn show(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> PageResult {
    person_page(
        &state,
        &principal,
        &id,
        None,
        StatusCode::OK,
        notice(query.notice.as_deref()),
    )
    .await
}

/// `POST /people/{id}/assessments`: opens (or reopens) the caller's draft.
pub(super) async fn open(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    let fields = Fields::parse(&body);
    let text = fields.text("kind");
    let Some(kind) = AssessmentKind::parse(&text) else {
        let error = ApiError::unprocessable(format!(
            "{:?} is not an assessment kind; use self or manager",
            text.trim()
        ))
        .field("kind");
        return Err(error.into());
    };
    match open_assessment(&state, &principal, &id, kind, None).await {
        Ok((assessment, _)) => Ok(Redirect::to(&format!(
            "{}/assessments/{}",
            person_path(&id),
            url_encode(&assessment.id)
        ))
        .into_response()),
        Err(error) => Err(error.into()),
    }
}

/// `POST /people/{id}/placements`: the person page's form.
pub(super) async fn place(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    let caller = signed_in(&principal)?.clone();
    let input = read_place_input(&Fields::parse(&body), Some(&id));
    match place_from(&state, &principal, &caller, &input).await {
        Ok(response) => Ok(response),
        Err(error) if is_form_problem(&error) => {
            let problem = field_error(&error);
            person_page(
                &state,
                &principal,
                &id,
                Some((&input, &problem)),
                error.status,
                None,
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}
