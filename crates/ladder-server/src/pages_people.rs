//! The progression pages: people, a person's progress, the assessment editor.
//!
//! Handlers work through the `people` service exactly like the API (who sees
//! whom, placement checks, who may assess, saving and submitting) and hand
//! plain values to `ladder_web` to render. The access middleware has already
//! checked the role; the service decides per person, and its 404 and 403
//! become pages here. Every form posts and redirects (303); a refused form is
//! shown again with the message at its field.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use ladder_core::access::{allowed, Action, Role};
use ladder_core::progression::{AssessmentKind, Rating};
use ladder_core::Framework;
use ladder_store::{Assessment, Person, Placement, StoredFramework, User};
use ladder_web::{
    AssessmentRow, AssessmentView, ChangeNotice, Choice, FieldError, FrameworkChoice, MarkValue,
    PersonRow, PersonView, PlaceForm, PlaceInput, PlacementRow, PlacementSummary, ProgressSection,
    StartButton, TimelineEntry,
};
use serde::Deserialize;

use crate::api::rfc3339;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::forms::{normalise, sentence, Fields};
use crate::pages::{html, Chrome};
use crate::people::{
    self, assessment_detail, carried_changes, open_assessment, place_person, placeable_people,
    progress_view, save_assessment_marks, signed_in, submit_assessment, visible_assessment,
    visible_people, visible_person, MarkInput, PlacementInput, Relation,
};
use crate::state::AppState;

// ---------------------------------------------------------------- plumbing

/// A service error as a page of its own.
async fn error_page(state: &AppState, principal: &Principal, error: ApiError) -> Response {
    crate::pages::service_error_page(state, principal, error, "progression page").await
}

fn field_error(error: &ApiError) -> FieldError {
    FieldError {
        field: error.field.clone().unwrap_or_default(),
        message: sentence(&error.message),
    }
}

/// Whether a refusal belongs next to a form field (shown again with the
/// form) rather than on a page of its own.
fn is_form_problem(error: &ApiError) -> bool {
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
pub struct PageQuery {
    notice: Option<String>,
    level: Option<String>,
}

fn notice(key: Option<&str>) -> Option<&'static str> {
    let key = key?;
    NOTICES.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
}

fn person_path(id: &str) -> String {
    format!("/people/{}", crate::pages::url_encode(id))
}

fn date_of(millis: i64) -> String {
    rfc3339(millis).chars().take(10).collect()
}

fn placed_label(framework: Option<&Framework>, level: u32, sublevel: Option<&str>) -> String {
    let label = match framework {
        Some(framework) => framework.level_label(level),
        None => format!("Level {level}"),
    };
    format!("{label}{}", sublevel.unwrap_or_default())
}

fn level_label(framework: Option<&Framework>, level: u32) -> String {
    placed_label(framework, level, None)
}

async fn emails(state: &AppState) -> Result<HashMap<String, String>, ApiError> {
    Ok(state
        .store()
        .users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect())
}

fn email_of(emails: &HashMap<String, String>, id: &str) -> String {
    emails.get(id).cloned().unwrap_or_else(|| id.to_string())
}

fn can_place(caller: &User) -> bool {
    allowed(Some(caller.role), Action::PlacePeople, false)
}

/// Every framework someone can be placed on, with its levels and letters.
async fn framework_choices(state: &AppState) -> Result<Vec<FrameworkChoice>, ApiError> {
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
struct PlaceChoices {
    people: Vec<Choice>,
    frameworks: Vec<FrameworkChoice>,
    managers: Option<Vec<Choice>>,
}

async fn place_choices(state: &AppState, caller: &User) -> Result<PlaceChoices, ApiError> {
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
fn input_from(placement: Option<&Placement>, person: &str, caller: &User) -> PlaceInput {
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

fn read_place_input(fields: &Fields, person: Option<&str>) -> PlaceInput {
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

fn whole_number(text: &str, field: &str, what: &str) -> Result<u32, ApiError> {
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
fn placement_input(input: &PlaceInput, admin: bool) -> Result<PlacementInput, ApiError> {
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
async fn place_from(
    state: &AppState,
    principal: &Principal,
    caller: &User,
    input: &PlaceInput,
) -> Result<Response, ApiError> {
    let request = placement_input(input, caller.role == Role::Admin)?;
    let (_, created) = place_person(state, principal, &input.person, &request).await?;
    let notice = if created { "placed" } else { "unchanged" };
    Ok(Redirect::to(&format!("{}?notice={notice}", person_path(&input.person))).into_response())
}

// ---------------------------------------------------------------- people list

async fn list_page(
    state: &AppState,
    principal: &Principal,
    input: Option<&PlaceInput>,
    error: Option<&FieldError>,
    status: StatusCode,
    flash: Option<&str>,
) -> Response {
    let caller = match signed_in(principal) {
        Ok(caller) => caller,
        Err(error) => return error_page(state, principal, error).await,
    };
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
    let (rows, choices) = match built {
        Ok(built) => built,
        Err(error) => return error_page(state, principal, error).await,
    };
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
    html(
        status,
        ladder_web::people_list(&chrome.page("People", flash, None), &rows, form.as_ref()),
    )
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
        Some(stored) => people::standing(state, person, stored).await?,
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

pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(query): Query<PageQuery>,
) -> Response {
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
pub async fn place_chosen(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    body: Bytes,
) -> Response {
    let caller = match signed_in(&principal) {
        Ok(caller) => caller.clone(),
        Err(error) => return error_page(&state, &principal, error).await,
    };
    let input = read_place_input(&Fields::parse(&body), None);
    match place_from(&state, &principal, &caller, &input).await {
        Ok(response) => response,
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
        Err(error) => error_page(&state, &principal, error).await,
    }
}

/// `POST /people/{id}/placements`: the person page's form.
pub async fn place(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let caller = match signed_in(&principal) {
        Ok(caller) => caller.clone(),
        Err(error) => return error_page(&state, &principal, error).await,
    };
    let input = read_place_input(&Fields::parse(&body), Some(&id));
    match place_from(&state, &principal, &caller, &input).await {
        Ok(response) => response,
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
        Err(error) => error_page(&state, &principal, error).await,
    }
}

// ---------------------------------------------------------------- person

async fn person_page(
    state: &AppState,
    principal: &Principal,
    id: &str,
    typed: Option<(&PlaceInput, &FieldError)>,
    status: StatusCode,
    flash: Option<&str>,
) -> Response {
    let caller = match signed_in(principal) {
        Ok(caller) => caller,
        Err(error) => return error_page(state, principal, error).await,
    };
    match build_person(state, caller, id, typed).await {
        Ok(parts) => {
            let chrome = Chrome::new(state, principal).await;
            let title = parts.email.clone();
            html(
                status,
                parts.render(&chrome.page(&title, flash, None), typed),
            )
        }
        Err(error) => error_page(state, principal, error).await,
    }
}

/// Everything the person page shows, owned, so the view can borrow it.
struct PersonParts {
    id: String,
    email: String,
    relation: &'static str,
    summary: Option<PlacementSummary>,
    view: Option<people::ProgressView>,
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
        .filter(|a| people::may_view_assessment(caller, a))
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
        threshold_bp: people::threshold(state).await.basis_points(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
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
pub async fn open(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let fields = Fields::parse(&body);
    let text = fields.text("kind");
    let Some(kind) = AssessmentKind::parse(&text) else {
        let error = ApiError::unprocessable(format!(
            "{:?} is not an assessment kind; use self or manager",
            text.trim()
        ))
        .field("kind");
        return error_page(&state, &principal, error).await;
    };
    match open_assessment(&state, &principal, &id, kind).await {
        Ok((assessment, _)) => Redirect::to(&format!(
            "{}/assessments/{}",
            person_path(&id),
            crate::pages::url_encode(&assessment.id)
        ))
        .into_response(),
        Err(error) => error_page(&state, &principal, error).await,
    }
}

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
) -> Response {
    let caller = match signed_in(principal) {
        Ok(caller) => caller,
        Err(error) => return error_page(state, principal, error).await,
    };
    let built = async {
        let (_, _, assessment) = visible_assessment(state, caller, id, assessment_id).await?;
        let detail = assessment_detail(state, caller, id, assessment_id).await?;
        let stored = people::assessment_framework(state, &assessment).await?;
        let changes = carried_changes(state, &assessment).await?;
        Ok::<_, ApiError>((assessment, detail, stored, changes))
    }
    .await;
    let (assessment, detail, stored, changes) = match built {
        Ok(built) => built,
        Err(error) => return error_page(state, principal, error).await,
    };
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
    let today = people::today();
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
    html(
        status,
        ladder_web::assessment(&chrome.page(&title, flash, None), &view),
    )
}

pub async fn editor(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, assessment_id)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
) -> Response {
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
pub async fn save(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, assessment_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
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
            Redirect::to(&format!(
                "{}/assessments/{}?notice=saved{level_part}",
                person_path(&id),
                crate::pages::url_encode(&assessment_id)
            ))
            .into_response()
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
        Err(error) => error_page(&state, &principal, error).await,
    }
}

/// `POST /people/{id}/assessments/{assessment_id}/submit`.
pub async fn submit(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, assessment_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let fields = Fields::parse(&body);
    let as_of = fields.text("as_of");
    let as_of = as_of.trim();
    let date = Some(as_of).filter(|d| !d.is_empty());
    match submit_assessment(&state, &principal, &id, &assessment_id, date).await {
        Ok(_) => Redirect::to(&format!("{}?notice=submitted", person_path(&id))).into_response(),
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
        Err(error) => error_page(&state, &principal, error).await,
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
