//! The job-spec web pages (PRODUCT.md §2): the list, a new spec, one version
//! with its competencies and rounds, publishing, versions and diffs (the
//! editor is in `editor.rs`). Handlers work through the job-spec service,
//! exactly like the API, and hand plain values to `ladder_web` to render.
//! Every failure becomes a page: a message page for a missing spec, or the
//! form re-rendered with the problem at its field.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use ladder_core::access::Action;
use ladder_core::jobspec::{diff as spec_diff, FrameworkBasis};
use ladder_store::{JobSpecSummary, JobSpecVersion, VersionSelector};
use ladder_web::{
    DiffView, FieldError, FrameworkOption, JobSpecRow, JobSpecVersionRow, JobSpecView,
    NewJobSpecInput, SpecError,
};
use serde::Deserialize;

use super::service::{self as jobspecs, NewJobSpec};
use crate::http::access::may;
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::Fields;
use crate::http::page::{html, Chrome, PageError, PageResult};
use crate::http::state::AppState;
use crate::http::text::{moment, sentence, url_encode};

/// Whether the caller may change job specs (and so sees the edit controls).
fn can_edit(principal: &Principal) -> bool {
    may(principal, Action::EditJobSpecs)
}

// ---------------------------------------------------------------- plumbing

pub(super) fn spec_path(id: &str) -> String {
    format!("/job-specs/{}", url_encode(id))
}

/// A form field's problem worth re-rendering the form for (the rest become
/// message pages).
pub(super) fn is_form_problem(error: &ApiError) -> bool {
    matches!(
        error.status,
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT | StatusCode::BAD_REQUEST
    )
}

pub(super) async fn basis_title(
    state: &AppState,
    basis: Option<&FrameworkBasis>,
) -> Option<String> {
    basis_framework(state, basis).await.map(|(title, _)| title)
}

/// The basis framework's title and what its import warned about ("line 42:
/// “correct Go code” names Go …"), which an editor should see before
/// publishing questions grounded in it.
async fn basis_framework(
    state: &AppState,
    basis: Option<&FrameworkBasis>,
) -> Option<(String, Vec<String>)> {
    let basis = basis?;
    match state.framework(&basis.slug, None).await {
        Ok(Some(stored)) => Some((
            stored.framework.title.clone(),
            stored
                .framework
                .warnings
                .iter()
                .map(|warning| match warning.line {
                    Some(line) => format!("line {line}: {}", warning.message),
                    None => warning.message.clone(),
                })
                .collect(),
        )),
        _ => None,
    }
}

/// The version edits start from: the open draft, else the current version.
pub(super) async fn editable(
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

pub(super) async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> PageResult {
    let specs = state.store().job_specs().await?;
    let rows: Vec<JobSpecRow> = specs
        .into_iter()
        .map(|s| JobSpecRow {
            id: s.id,
            title: s.title,
            seniority: s.seniority,
            current_label: s.current_label,
            draft_version: s.draft_version,
            updated: moment(s.updated_at),
        })
        .collect();
    let chrome = Chrome::new(&state, &principal).await;
    Ok(html(
        StatusCode::OK,
        ladder_web::job_spec_list(
            &chrome.page("Job specs", None, None),
            &rows,
            can_edit(&principal),
        ),
    ))
}

// ---------------------------------------------------------------- new

async fn framework_options(state: &AppState) -> Vec<FrameworkOption> {
    let list = match state.store().list_frameworks().await {
        Ok(list) => list,
        Err(error) => {
            tracing::warn!(%error, "framework list unavailable");
            return Vec::new();
        }
    };
    let mut options = Vec::with_capacity(list.len());
    for summary in list {
        // The framework's own level labels (Frontend's E1–E5), so the level
        // asked for is the one people know.
        let levels = match state.framework(&summary.slug, Some(summary.version)).await {
            Ok(Some(stored)) => stored
                .framework
                .level_numbers()
                .into_iter()
                .map(|number| (number, stored.framework.level_label(number)))
                .collect(),
            _ => Vec::new(),
        };
        options.push(FrameworkOption {
            slug: summary.slug,
            title: summary.title,
            levels,
        });
    }
    options
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

pub(super) async fn new_form(
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

pub(super) async fn create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    body: Bytes,
) -> PageResult {
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
            return Ok(new_page(
                &state,
                &principal,
                &input,
                Some(&error),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await);
        }
    };
    match jobspecs::create(&state, request, &principal.actor()).await {
        Ok(created) => Ok(Redirect::to(&spec_path(&created.job_spec_id)).into_response()),
        Err(error) if is_form_problem(&error) => {
            let problem = FieldError {
                field: new_form_field(error.field.as_deref()),
                message: error.message,
            };
            Ok(new_page(&state, &principal, &input, Some(&problem), error.status).await)
        }
        Err(error) => Err(error.into()),
    }
}

// ---------------------------------------------------------------- show

#[derive(Deserialize)]
pub(super) struct VersionQuery {
    version: Option<String>,
    /// `published`: the page confirms the publication it follows.
    notice: Option<String>,
}

async fn spec_page(
    state: &AppState,
    principal: &Principal,
    summary: &JobSpecSummary,
    version: JobSpecVersion,
    error: Option<&SpecError>,
    status: StatusCode,
) -> PageResult {
    spec_page_with(state, principal, summary, version, error, status, None).await
}

async fn spec_page_with(
    state: &AppState,
    principal: &Principal,
    summary: &JobSpecSummary,
    version: JobSpecVersion,
    error: Option<&SpecError>,
    status: StatusCode,
    flash: Option<&str>,
) -> PageResult {
    let candidate_sees = jobspecs::candidate_sees(state, summary, &version)
        .await?
        .round1;
    let (basis_title, basis_warnings) = basis_framework(state, version.body.basis.as_ref())
        .await
        .map_or((None, Vec::new()), |(title, warnings)| {
            (Some(title), warnings)
        });
    let created = moment(version.created_at);
    let published_at = version.published_at.map(moment);
    let saved = moment(version.saved_at);
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
        published_at: published_at.as_ref(),
        saved: &saved,
        basis_warnings: &basis_warnings,
        can_edit: can_edit(principal),
    };
    let chrome = Chrome::new(state, principal).await;
    Ok(html(
        status,
        ladder_web::job_spec(&chrome.page(&version.body.title, flash, None), &view, error),
    ))
}

pub(super) async fn show(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Query(query): Query<VersionQuery>,
) -> PageResult {
    let selector = VersionSelector::parse(query.version.as_deref());
    match jobspecs::load(&state, &id, &selector).await {
        Ok((summary, version)) => {
            // Confirms a publication the page was redirected here after: the
            // label comes from the version itself, never from the address.
            let published = (query.notice.as_deref() == Some("published")
                && version.published
                && summary.current_version == Some(version.version))
            .then(|| {
                format!(
                    "Published {}. Candidates invited from now on answer this version.",
                    version.label.as_deref().unwrap_or_default()
                )
            });
            spec_page_with(
                &state,
                &principal,
                &summary,
                version,
                None,
                StatusCode::OK,
                published.as_deref(),
            )
            .await
        }
        // A bookmarked draft that has since been published: show what is current.
        Err(error)
            if error.status == StatusCode::NOT_FOUND
                && error.field.as_deref() == Some("version")
                && selector == VersionSelector::Draft =>
        {
            Ok(Redirect::to(&spec_path(&id)).into_response())
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
            Err(PageError::not_found(message))
        }
        Err(error) => Err(error.into()),
    }
}

/// After a failed change: the version it would have changed, with the
/// problem shown at the form it came from.
pub(super) async fn spec_failure(
    state: &AppState,
    principal: &Principal,
    id: &str,
    error: ApiError,
    mut context: SpecError,
) -> PageResult {
    if !is_form_problem(&error) && error.status != StatusCode::NOT_FOUND {
        return Err(error.into());
    }
    let Ok((summary, version)) = editable(state, id).await else {
        // The spec itself is gone: say what the first error said.
        return Err(error.into());
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

pub(super) async fn publish(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> PageResult {
    match jobspecs::publish(&state, &id, &principal.actor()).await {
        Ok(_) => Ok(Redirect::to(&format!("{}?notice=published", spec_path(&id))).into_response()),
        Err(error) => spec_failure(&state, &principal, &id, error, SpecError::default()).await,
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
            created: moment(v.created_at),
            published_at: v.published_at.map(moment),
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

pub(super) async fn versions(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> PageResult {
    let (versions, summary) = history(&state, &id).await?;
    let rows = version_rows(&versions, summary.as_ref());
    let title = latest_title(&versions);
    let page_title = format!("Versions of {title}");
    let chrome = Chrome::new(&state, &principal).await;
    Ok(html(
        StatusCode::OK,
        ladder_web::job_spec_versions(&chrome.page(&page_title, None, None), &id, &title, &rows),
    ))
}

#[derive(Deserialize)]
pub(super) struct DiffQuery {
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

pub(super) async fn diff(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Query(query): Query<DiffQuery>,
) -> PageResult {
    let (versions, summary) = history(&state, &id).await?;
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
            return Err(PageError::not_found(format!(
                "This job spec has no version “{missing}”."
            )));
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
    Ok(html(
        StatusCode::OK,
        ladder_web::job_spec_diff(&chrome.page(&page_title, None, None), &view),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

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
