//! The job-spec web pages (PRODUCT.md §2). Handlers work through the
//! `jobspecs` service, exactly like the API, and hand plain values to
//! `ladder_web` to render. Every failure becomes a page: a message page for a
//! missing spec, or the form re-rendered with the problem at its field.
//!
//! Form bodies are decoded with [`url_decode_pairs`] rather than `axum::Form`:
//! the editor repeats field names per row, which serde cannot collect, and a
//! hand-decoded body never turns a malformed form into a bare-text rejection.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use ladder_core::generate::Round;
use ladder_core::jobspec::{diff as spec_diff, Competency, FrameworkBasis, MustHave, Weight};
use ladder_store::{JobSpecSummary, JobSpecVersion, VersionSelector};
use ladder_web::{
    CompetencyInput, DiffView, EditTarget, FieldError, FrameworkOption, JobSpecForm, JobSpecRow,
    JobSpecVersionRow, JobSpecView, MustHaveInput, NewJobSpecInput, SpecError,
};
use serde::Deserialize;

use crate::api::rfc3339;
use crate::auth::Principal;
use crate::error::ApiError;
use crate::forms::{can_edit, normalise, sentence, Fields};
use crate::jobspecs::{self, ItemInput, ItemUpdate, JobSpecUpdate, NewJobSpec, Regenerate};
use crate::pages::{html, message_page, url_encode, Chrome};
use crate::state::AppState;

// ---------------------------------------------------------------- plumbing

/// A service error as a page of its own.
async fn error_page(state: &AppState, principal: &Principal, error: ApiError) -> Response {
    crate::pages::service_error_page(state, principal, error, "job-spec page").await
}

fn spec_path(id: &str) -> String {
    format!("/job-specs/{}", url_encode(id))
}

/// A form field's problem worth re-rendering the form for (the rest become
/// message pages).
fn is_form_problem(error: &ApiError) -> bool {
    matches!(
        error.status,
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT | StatusCode::BAD_REQUEST
    )
}

async fn basis_title(state: &AppState, basis: Option<&FrameworkBasis>) -> Option<String> {
    let basis = basis?;
    match state.framework(&basis.slug, None).await {
        Ok(Some(stored)) => Some(stored.framework.title.clone()),
        _ => None,
    }
}

/// The version edits start from: the open draft, else the current version.
async fn editable(
    state: &AppState,
    id: &str,
) -> Result<(JobSpecSummary, JobSpecVersion), ApiError> {
    let (summary, shown) = jobspecs::load(state, id, &VersionSelector::Current).await?;
    match summary.draft_version {
        Some(draft) if draft != shown.version => {
            jobspecs::load(state, id, &VersionSelector::Draft).await
        }
        _ => Ok((summary, shown)),
    }
}

fn version_text(selector: &VersionSelector) -> String {
    match selector {
        VersionSelector::Current => "current".to_string(),
        VersionSelector::Draft => "draft".to_string(),
        VersionSelector::Number(number) => format!("v{number}"),
        VersionSelector::Label(label) => label.clone(),
    }
}

// ---------------------------------------------------------------- list

pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Response {
    let specs = match state.store().job_specs().await {
        Ok(specs) => specs,
        Err(error) => return error_page(&state, &principal, error.into()).await,
    };
    let rows: Vec<JobSpecRow> = specs
        .into_iter()
        .map(|s| JobSpecRow {
            id: s.id,
            title: s.title,
            seniority: s.seniority,
            current_label: s.current_label,
            draft_version: s.draft_version,
            updated: rfc3339(s.updated_at),
        })
        .collect();
    let chrome = Chrome::new(&state, &principal).await;
    html(
        StatusCode::OK,
        ladder_web::job_spec_list(
            &chrome.page("Job specs", None, None),
            &rows,
            can_edit(&principal),
        ),
    )
}

// ---------------------------------------------------------------- new

async fn framework_options(state: &AppState) -> Vec<FrameworkOption> {
    match state.store().list_frameworks().await {
        Ok(list) => list
            .into_iter()
            .map(|f| FrameworkOption {
                slug: f.slug,
                title: f.title,
            })
            .collect(),
        Err(error) => {
            tracing::warn!(%error, "framework list unavailable");
            Vec::new()
        }
    }
}

async fn new_page(
    state: &AppState,
    principal: &Principal,
    input: &NewJobSpecInput,
    error: Option<&FieldError>,
    status: StatusCode,
) -> Response {
    let frameworks = framework_options(state).await;
    let chrome = Chrome::new(state, principal).await;
    html(
        status,
        ladder_web::job_spec_new(
            &chrome.page("New job spec", None, None),
            input,
            &frameworks,
            error,
        ),
    )
}

pub async fn new_form(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Response {
    new_page(
        &state,
        &principal,
        &NewJobSpecInput::default(),
        None,
        StatusCode::OK,
    )
    .await
}

fn count(text: &str, field: &str, noun: &str) -> Result<Option<usize>, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| FieldError {
        field: field.to_string(),
        message: format!("“{text}” is not a number of {noun}: write a whole number such as 3"),
    })
}

/// The request the new-spec form makes, or the field that is wrong.
fn new_request(input: &NewJobSpecInput) -> Result<NewJobSpec, FieldError> {
    let framework = match input.framework.trim() {
        "" => None,
        slug => {
            let level = input.level.trim();
            if level.is_empty() {
                return Err(FieldError {
                    field: "level".into(),
                    message: "choose the level of the framework to start from, e.g. 4".into(),
                });
            }
            let level = level.parse().map_err(|_| FieldError {
                field: "level".into(),
                message: format!("“{level}” is not a level: write a whole number such as 4"),
            })?;
            Some(FrameworkBasis {
                slug: slug.to_string(),
                level,
            })
        }
    };
    Ok(NewJobSpec {
        title: input.title.clone(),
        seniority: input.seniority.clone(),
        description: input.description.clone(),
        framework,
        competencies: Vec::new(),
        must_haves: Vec::new(),
        questions: count(&input.questions, "questions", "questions")?,
        prompts: count(&input.prompts, "prompts", "prompts")?,
    })
}

/// The service names the basis `framework.slug` / `framework.level`; the
/// form calls those fields `framework` and `level`.
fn new_form_field(field: Option<&str>) -> String {
    match field {
        Some("framework.slug" | "framework") => "framework".to_string(),
        Some("framework.level") => "level".to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

pub async fn create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    body: Bytes,
) -> Response {
    let fields = Fields::parse(&body);
    let defaults = NewJobSpecInput::default();
    let input = NewJobSpecInput {
        title: fields.text("title"),
        seniority: fields.text("seniority"),
        description: fields.text("description"),
        framework: fields.text("framework"),
        level: fields.text("level"),
        questions: fields
            .first("questions")
            .map_or(defaults.questions, str::to_string),
        prompts: fields
            .first("prompts")
            .map_or(defaults.prompts, str::to_string),
    };
    let request = match new_request(&input) {
        Ok(request) => request,
        Err(error) => {
            return new_page(
                &state,
                &principal,
                &input,
                Some(&error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    match jobspecs::create(&state, request, &principal.actor()).await {
        Ok(created) => Redirect::to(&spec_path(&created.job_spec_id)).into_response(),
        Err(error) if is_form_problem(&error) => {
            let problem = FieldError {
                field: new_form_field(error.field.as_deref()),
                message: error.message,
            };
            new_page(&state, &principal, &input, Some(&problem), error.status).await
        }
        Err(error) => error_page(&state, &principal, error).await,
    }
}

// ---------------------------------------------------------------- show

#[derive(Deserialize)]
pub struct VersionQuery {
    version: Option<String>,
}

async fn spec_page(
    state: &AppState,
    principal: &Principal,
    summary: &JobSpecSummary,
    version: JobSpecVersion,
    error: Option<&SpecError>,
    status: StatusCode,
) -> Response {
    let candidate_sees = match crate::api_jobspecs::dto(state, &summary.id, version.clone()).await {
        Ok(dto) => dto.candidate_sees.round1,
        Err(error) => return error_page(state, principal, error).await,
    };
    let basis_title = basis_title(state, version.body.basis.as_ref()).await;
    let created = rfc3339(version.created_at);
    let published_at = version.published_at.map(rfc3339);
    let view = JobSpecView {
        id: &summary.id,
        version: version.version,
        label: version.label.as_deref(),
        published: version.published,
        body: &version.body,
        current_version: summary.current_version,
        current_label: summary.current_label.as_deref(),
        draft_version: summary.draft_version,
        candidate_sees,
        basis_title: basis_title.as_deref(),
        created: &created,
        created_by: &version.created_by,
        published_at: published_at.as_deref(),
        can_edit: can_edit(principal),
    };
    let chrome = Chrome::new(state, principal).await;
    html(
        status,
        ladder_web::job_spec(&chrome.page(&version.body.title, None, None), &view, error),
    )
}

pub async fn show(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Query(query): Query<VersionQuery>,
) -> Response {
    let selector = VersionSelector::parse(query.version.as_deref());
    match jobspecs::load(&state, &id, &selector).await {
        Ok((summary, version)) => {
            spec_page(&state, &principal, &summary, version, None, StatusCode::OK).await
        }
        // A bookmarked draft that has since been published: show what is current.
        Err(error)
            if error.status == StatusCode::NOT_FOUND
                && error.field.as_deref() == Some("version")
                && selector == VersionSelector::Draft =>
        {
            Redirect::to(&spec_path(&id)).into_response()
        }
        Err(error)
            if error.status == StatusCode::NOT_FOUND
                && error.field.as_deref() == Some("version") =>
        {
            let message = format!(
                "This job spec has no version “{}”. See its versions at {}/versions.",
                version_text(&selector),
                spec_path(&id)
            );
            message_page(
                &state,
                &principal,
                StatusCode::NOT_FOUND,
                "Not found",
                &message,
            )
            .await
        }
        Err(error) => error_page(&state, &principal, error).await,
    }
}

/// After a failed change: the version it would have changed, with the
/// problem shown at the form it came from.
async fn spec_failure(
    state: &AppState,
    principal: &Principal,
    id: &str,
    error: ApiError,
    mut context: SpecError,
) -> Response {
    if !is_form_problem(&error) && error.status != StatusCode::NOT_FOUND {
        return error_page(state, principal, error).await;
    }
    let (summary, version) = match editable(state, id).await {
        Ok(found) => found,
        // The spec itself is gone: say what the first error said.
        Err(_) => return error_page(state, principal, error).await,
    };
    // A round the page does not have: say it at the top.
    if context
        .round
        .is_some_and(|round| jobspecs::round_from(round).is_err())
    {
        context = SpecError::default();
    }
    // An item that no longer exists has no form to show the error at.
    if let (Some(round), Some(item)) = (context.round, context.item_id.as_deref()) {
        let still_there = jobspecs::round_from(round).is_ok_and(|round| {
            jobspecs::items(&version.body, round)
                .iter()
                .any(|i| i.id == item)
        });
        if !still_there {
            context.item_id = None;
            context.text = None;
        }
    }
    context.field = error.field;
    context.message = sentence(&error.message);
    spec_page(
        state,
        principal,
        &summary,
        version,
        Some(&context),
        error.status,
    )
    .await
}

pub async fn publish(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Response {
    match jobspecs::publish(&state, &id, &principal.actor()).await {
        Ok(_) => Redirect::to(&spec_path(&id)).into_response(),
        Err(error) => spec_failure(&state, &principal, &id, error, SpecError::default()).await,
    }
}

// ---------------------------------------------------------------- edit

async fn edit_page(
    state: &AppState,
    principal: &Principal,
    id: &str,
    form: Option<&JobSpecForm>,
    error: Option<&FieldError>,
    status: StatusCode,
) -> Response {
    let (summary, version) = match editable(state, id).await {
        Ok(found) => found,
        Err(error) => return error_page(state, principal, error).await,
    };
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
    html(
        status,
        ladder_web::job_spec_edit(&chrome.page(&title, None, None), &target, form, error),
    )
}

pub async fn edit_form(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Response {
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

pub async fn save(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
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
        Ok(_) => Redirect::to(&format!("{}?version=draft", spec_path(&id))).into_response(),
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
        Err(error) => error_page(&state, &principal, error).await,
    }
}

// ---------------------------------------------------------------- round items

/// Where to land after changing a round: the draft, at that round.
fn after_change(id: &str, round: u32) -> Response {
    Redirect::to(&format!("{}?version=draft#round{round}", spec_path(id))).into_response()
}

fn optional_id(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_string)
}

fn round(number: u32) -> Result<Round, ApiError> {
    jobspecs::round_from(number)
}

pub async fn add_item(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, number)): Path<(String, u32)>,
    body: Bytes,
) -> Response {
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

pub async fn edit_item(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, number, item_id)): Path<(String, u32, String)>,
    body: Bytes,
) -> Response {
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

pub async fn delete_item(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, number, item_id)): Path<(String, u32, String)>,
) -> Response {
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

pub async fn move_item(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, number, item_id)): Path<(String, u32, String)>,
    body: Bytes,
) -> Response {
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

pub async fn regenerate(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, number)): Path<(String, u32)>,
    body: Bytes,
) -> Response {
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
            jobspecs::regenerate(
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

// ---------------------------------------------------------------- history

fn version_rows(
    versions: &[JobSpecVersion],
    summary: Option<&JobSpecSummary>,
) -> Vec<JobSpecVersionRow> {
    let current = summary.and_then(|s| s.current_version);
    versions
        .iter()
        .map(|v| JobSpecVersionRow {
            version: v.version,
            label: v.label.clone(),
            published: v.published,
            current: Some(v.version) == current,
            total_weight: v.body.total_weight().decimal(),
            balanced: v.body.balanced(),
            created_by: v.created_by.clone(),
            created: rfc3339(v.created_at),
            published_at: v.published_at.map(rfc3339),
        })
        .collect()
}

/// Every version (newest first) and the summary, or a 404.
async fn history(
    state: &AppState,
    id: &str,
) -> Result<(Vec<JobSpecVersion>, Option<JobSpecSummary>), ApiError> {
    let versions = state.store().job_spec_versions(id).await?;
    if versions.is_empty() {
        return Err(ApiError::not_found(format!("job spec {id}")));
    }
    let summary = state.store().job_spec_summary(id).await?;
    Ok((versions, summary))
}

fn latest_title(versions: &[JobSpecVersion]) -> String {
    versions
        .iter()
        .max_by_key(|v| v.version)
        .map(|v| v.body.title.clone())
        .unwrap_or_default()
}

pub async fn versions(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Response {
    let (versions, summary) = match history(&state, &id).await {
        Ok(found) => found,
        Err(error) => return error_page(&state, &principal, error).await,
    };
    let rows = version_rows(&versions, summary.as_ref());
    let title = latest_title(&versions);
    let page_title = format!("Versions of {title}");
    let chrome = Chrome::new(&state, &principal).await;
    html(
        StatusCode::OK,
        ladder_web::job_spec_versions(&chrome.page(&page_title, None, None), &id, &title, &rows),
    )
}

#[derive(Deserialize)]
pub struct DiffQuery {
    from: Option<String>,
    to: Option<String>,
}

/// A version named by number, label, `draft` or `current`, among `versions`.
fn pick<'a>(
    versions: &'a [JobSpecVersion],
    summary: Option<&JobSpecSummary>,
    text: &str,
) -> Option<&'a JobSpecVersion> {
    let number = match VersionSelector::parse(Some(text)) {
        VersionSelector::Number(number) => Some(number),
        VersionSelector::Label(label) => {
            // "v3" alone names version 3 too.
            return versions
                .iter()
                .find(|v| v.label.as_deref() == Some(label.as_str()))
                .or_else(|| {
                    label
                        .strip_prefix('v')
                        .and_then(|n| n.parse::<u32>().ok())
                        .and_then(|n| versions.iter().find(|v| v.version == n))
                });
        }
        VersionSelector::Draft => summary.and_then(|s| s.draft_version),
        VersionSelector::Current => summary.and_then(|s| s.current_version.or(s.draft_version)),
    };
    number.and_then(|number| versions.iter().find(|v| v.version == number))
}

pub async fn diff(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Query(query): Query<DiffQuery>,
) -> Response {
    let (versions, summary) = match history(&state, &id).await {
        Ok(found) => found,
        Err(error) => return error_page(&state, &principal, error).await,
    };
    let rows = version_rows(&versions, summary.as_ref());
    let (default_from, default_to) = ladder_web::default_diff_pair(&rows);
    let choose = |given: Option<&str>, default: u32| -> Result<&JobSpecVersion, String> {
        match given.map(str::trim).filter(|text| !text.is_empty()) {
            Some(text) => pick(&versions, summary.as_ref(), text).ok_or_else(|| text.to_string()),
            None => versions
                .iter()
                .find(|v| v.version == default)
                .ok_or_else(|| default.to_string()),
        }
    };
    let (old, new) = match (
        choose(query.from.as_deref(), default_from),
        choose(query.to.as_deref(), default_to),
    ) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(missing), _) | (_, Err(missing)) => {
            let message = format!("This job spec has no version “{missing}”.");
            return message_page(
                &state,
                &principal,
                StatusCode::NOT_FOUND,
                "Not found",
                &message,
            )
            .await;
        }
    };
    let changes = spec_diff(&old.body, &new.body);
    let title = latest_title(&versions);
    let page_title = format!("Changes to {title}");
    let view = DiffView {
        id: &id,
        title: &title,
        from: old.version,
        to: new.version,
        versions: &rows,
        changes: &changes,
    };
    let chrome = Chrome::new(&state, &principal).await;
    html(
        StatusCode::OK,
        ladder_web::job_spec_diff(&chrome.page(&page_title, None, None), &view),
    )
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

    #[test]
    fn new_form_requests_check_level_and_counts() {
        let mut input = NewJobSpecInput {
            title: "T".into(),
            framework: "engineering-backend".into(),
            ..Default::default()
        };
        assert_eq!(new_request(&input).unwrap_err().field, "level");
        input.level = "4".into();
        let request = new_request(&input).unwrap();
        assert_eq!(
            request.framework,
            Some(FrameworkBasis {
                slug: "engineering-backend".into(),
                level: 4
            })
        );
        assert_eq!((request.questions, request.prompts), (Some(3), Some(4)));
        input.questions = "many".into();
        assert_eq!(new_request(&input).unwrap_err().field, "questions");
        assert_eq!(new_form_field(Some("framework.level")), "level");
        assert_eq!(sentence("job spec x not found"), "Job spec x not found.");
    }
}
