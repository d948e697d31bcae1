//! Progression (PRODUCT.md §4): people placed on frameworks, self and manager
//! assessments, and where each person stands. The API handlers live here with
//! the rules they share with the pages (`pages_people`).
//!
//! Who sees whom is decided per person, not per role: a person sees their own
//! record, their current manager sees it, admins see everyone's, and for
//! anybody else the person does not exist (404, so ids cannot be probed).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use ladder_core::access::Role;
use ladder_core::progression::{
    self, changes_between, compute, disagreements, AssessmentKind, Disagreement, Evidence,
    Progress, Rating, Threshold, VersionChanges,
};
use ladder_core::Framework;
use ladder_store::{
    Assessment, NewAssessment, NewPlacement, Person, Placement, StoredFramework, User,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{rfc3339, JsonBody};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

/// The settings key of the share of a level's behaviours a topic must show
/// consistently, in basis points.
pub const PROGRESSION_THRESHOLD: &str = "progression_threshold_bp";

const MAX_NOTE_CHARS: usize = 10_000;
const MAX_LINKS: usize = 20;
const MAX_LINK_CHARS: usize = 2_000;
const MAX_MARKS_PER_SAVE: usize = 2_000;

pub fn routes(state: &AppState) -> Router<AppState> {
    let idempotent =
        || axum::middleware::from_fn_with_state(state.clone(), crate::interviews::idempotency);
    Router::new()
        .route("/api/v1/people", get(list))
        .route("/api/v1/people/{id}", get(detail))
        .route(
            "/api/v1/people/{id}/placements",
            get(placements).post(place),
        )
        .route(
            "/api/v1/people/{id}/assessments",
            get(assessments).post(open),
        )
        .route(
            "/api/v1/people/{id}/assessments/{assessment_id}",
            get(assessment),
        )
        .route(
            "/api/v1/people/{id}/assessments/{assessment_id}/marks",
            put(save_marks),
        )
        .route(
            "/api/v1/people/{id}/assessments/{assessment_id}/submit",
            post(submit),
        )
        .route(
            "/api/v1/people/{id}/assessments/{assessment_id}/export",
            get(export),
        )
        .route("/api/v1/people/{id}/progress", get(progress))
        .route_layer(idempotent())
}

// ---------------------------------------------------------------------------
// Who may see and do what

/// How the viewer relates to a person they can see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Own,
    /// The viewer is the person's current manager.
    Manager,
    /// An admin who is neither.
    Admin,
}

pub fn signed_in(principal: &Principal) -> ApiResult<&User> {
    principal.user.as_ref().ok_or_else(ApiError::unauthorized)
}

fn relation(viewer: &User, person: &Person) -> Option<Relation> {
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
pub async fn visible_person(
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
pub async fn visible_people(state: &AppState, viewer: &User) -> ApiResult<Vec<Person>> {
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

pub async fn threshold(state: &AppState) -> Threshold {
    match state.store().setting(PROGRESSION_THRESHOLD).await {
        Ok(Some(text)) => text
            .parse::<u32>()
            .ok()
            .and_then(Threshold::from_basis_points)
            .unwrap_or_default(),
        _ => Threshold::default(),
    }
}

async fn current_framework(state: &AppState, slug: &str) -> ApiResult<Arc<StoredFramework>> {
    state.framework(slug, None).await?.ok_or_else(|| {
        ApiError::unprocessable(format!(
            "there is no framework {slug:?}; import it first or choose one of GET /api/v1/frameworks"
        ))
        .field("framework")
    })
}

async fn framework_version(
    state: &AppState,
    slug: &str,
    version: u32,
) -> ApiResult<Arc<StoredFramework>> {
    state
        .framework(slug, Some(version))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("framework {slug} version {version}")))
}

// ---------------------------------------------------------------------------
// Placements

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlacementInput {
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
pub async fn check_placement(
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
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(ApiError::unprocessable(format!(
            "the note is longer than {MAX_NOTE_CHARS} characters"
        ))
        .field("note"));
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
pub async fn place_person(
    state: &AppState,
    principal: &Principal,
    person_id: &str,
    input: &PlacementInput,
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
    let placement = state.store().place_person(&new, &principal.actor()).await?;
    Ok((placement, true))
}

// ---------------------------------------------------------------------------
// Assessments

/// Opens (or returns the open) assessment of `kind` by the caller, carrying
/// over the evidence of the last submitted one of that kind for every
/// behaviour the current framework version still has.
pub async fn open_assessment(
    state: &AppState,
    principal: &Principal,
    person_id: &str,
    kind: AssessmentKind,
) -> ApiResult<(Assessment, bool)> {
    let caller = signed_in(principal)?;
    let (person, relation) = visible_person(state, caller, person_id).await?;
    match (kind, relation) {
        (AssessmentKind::SelfAssessment, Relation::Own) => {}
        (AssessmentKind::Manager, Relation::Manager) => {}
        (AssessmentKind::SelfAssessment, _) => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "only the person themselves writes a self-assessment",
            )
            .field("kind"))
        }
        (AssessmentKind::Manager, _) => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "only the person's current manager writes a manager assessment",
            )
            .field("kind"))
        }
    }
    let placement = person.placement.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::CONFLICT,
            "not_placed",
            format!(
                "{} is not placed on a framework yet; a manager or admin places them first",
                person.user.email
            ),
        )
    })?;
    let stored = current_framework(state, &placement.framework_slug).await?;
    let previous = state
        .store()
        .assessments(person_id)
        .await?
        .into_iter()
        .find(|a| a.submitted && a.kind == kind && a.framework_slug == placement.framework_slug);
    let (carried_from, carried) = match previous {
        Some(previous) => {
            let ids: std::collections::HashSet<&str> = stored
                .framework
                .criteria()
                .map(|(_, _, c)| c.id.as_str())
                .collect();
            let marks = state.store().marks(&previous.id).await?;
            let kept: Vec<Evidence> = marks
                .into_iter()
                .filter(|mark| ids.contains(mark.criterion_id.as_str()))
                .collect();
            (Some(previous.id), kept)
        }
        None => (None, Vec::new()),
    };
    let new = NewAssessment {
        person_id: person_id.to_string(),
        kind,
        assessor_id: caller.id.clone(),
        framework_slug: placement.framework_slug.clone(),
        framework_version: stored.version,
        carried_from,
        carried,
    };
    Ok(state
        .store()
        .open_assessment(&new, &principal.actor())
        .await?)
}

/// Drafts are private to whoever writes them (and admins) until submitted.
pub fn may_view_assessment(caller: &User, assessment: &Assessment) -> bool {
    assessment.submitted || assessment.assessor_id == caller.id || caller.role == Role::Admin
}

/// An assessment of a person the caller can see.
pub async fn visible_assessment(
    state: &AppState,
    caller: &User,
    person_id: &str,
    assessment_id: &str,
) -> ApiResult<(Person, Relation, Assessment)> {
    let (person, relation) = visible_person(state, caller, person_id).await?;
    let assessment = state
        .store()
        .assessment(assessment_id)
        .await?
        .filter(|a| a.person_id == person.user.id && may_view_assessment(caller, a))
        .ok_or_else(|| ApiError::not_found(format!("assessment {assessment_id}")))?;
    Ok((person, relation, assessment))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkInput {
    pub criterion_id: String,
    /// `not_yet`, `sometimes` or `consistently`; null clears the rating.
    pub rating: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// Links to evidence: a pull request, a document (http or https).
    #[serde(default)]
    pub links: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarksInput {
    pub marks: Vec<MarkInput>,
}

/// Checks marks against the behaviours of the assessment's framework version;
/// the first problem names its field (`marks[2].rating`).
pub fn check_marks(
    framework: &Framework,
    marks: &[MarkInput],
) -> ApiResult<(Vec<Evidence>, Vec<String>)> {
    if marks.len() > MAX_MARKS_PER_SAVE {
        return Err(ApiError::unprocessable(format!(
            "at most {MAX_MARKS_PER_SAVE} marks per save"
        ))
        .field("marks"));
    }
    let known: std::collections::HashSet<&str> = framework
        .criteria()
        .map(|(_, _, criterion)| criterion.id.as_str())
        .collect();
    let mut set = Vec::new();
    let mut clear = Vec::new();
    for (index, mark) in marks.iter().enumerate() {
        let field = |name: &str| format!("marks[{index}].{name}");
        let id = mark.criterion_id.trim();
        if !known.contains(id) {
            return Err(ApiError::unprocessable(format!(
                "{id:?} is not a behaviour of {}; use the criterion ids from GET /api/v1/frameworks/{}",
                framework.title, framework.slug
            ))
            .field(field("criterion_id")));
        }
        let note = mark.note.clone().unwrap_or_default();
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(ApiError::unprocessable(format!(
                "the note is longer than {MAX_NOTE_CHARS} characters"
            ))
            .field(field("note")));
        }
        if mark.links.len() > MAX_LINKS {
            return Err(ApiError::unprocessable(format!(
                "at most {MAX_LINKS} links per behaviour"
            ))
            .field(field("links")));
        }
        let mut links = Vec::new();
        for (link_index, link) in mark.links.iter().enumerate() {
            let link = link.trim();
            if link.is_empty() {
                continue;
            }
            let scheme_ok = link.starts_with("https://") || link.starts_with("http://");
            if !scheme_ok || link.len() > MAX_LINK_CHARS || link.chars().any(char::is_whitespace) {
                return Err(ApiError::unprocessable(format!(
                    "{link:?} is not a link; write a full http:// or https:// address"
                ))
                .field(format!("marks[{index}].links[{link_index}]")));
            }
            links.push(link.to_string());
        }
        match mark.rating.as_deref().map(str::trim) {
            None | Some("") => clear.push(id.to_string()),
            Some(text) => {
                let rating = Rating::parse(text).ok_or_else(|| {
                    ApiError::unprocessable(format!(
                        "{text:?} is not a rating; use not_yet, sometimes or consistently (or null to clear)"
                    ))
                    .field(field("rating"))
                })?;
                set.push(Evidence {
                    criterion_id: id.to_string(),
                    rating,
                    note,
                    links,
                });
            }
        }
    }
    Ok((set, clear))
}

/// Only the assessor writes to their draft.
fn require_assessor(caller: &User, assessment: &Assessment) -> ApiResult<()> {
    if assessment.assessor_id != caller.id {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only the person who opened this assessment can change it",
        ));
    }
    Ok(())
}

pub async fn save_assessment_marks(
    state: &AppState,
    principal: &Principal,
    person_id: &str,
    assessment_id: &str,
    marks: &[MarkInput],
) -> ApiResult<Assessment> {
    let caller = signed_in(principal)?;
    let (_, _, assessment) = visible_assessment(state, caller, person_id, assessment_id).await?;
    require_assessor(caller, &assessment)?;
    if assessment.submitted {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "this assessment is submitted and frozen; open a new one to change ratings",
        ));
    }
    let stored = framework_version(
        state,
        &assessment.framework_slug,
        assessment.framework_version,
    )
    .await?;
    let (set, clear) = check_marks(&stored.framework, marks)?;
    Ok(state
        .store()
        .save_marks(assessment_id, &set, &clear)
        .await?)
}

/// Today's date (UTC) as "YYYY-MM-DD".
pub fn today() -> String {
    let now = time::OffsetDateTime::now_utc().date();
    format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    )
}

/// A date as people write it in forms and JSON: "2026-11-24".
pub fn check_date(text: &str, field: &str) -> ApiResult<String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text.trim(), &format).map_err(|_| {
        ApiError::unprocessable(format!(
            "{:?} is not a date; write it as YYYY-MM-DD, e.g. {}",
            text.trim(),
            today()
        ))
        .field(field)
    })?;
    let tomorrow = time::OffsetDateTime::now_utc().date().next_day();
    if tomorrow.is_some_and(|tomorrow| date > tomorrow) {
        return Err(ApiError::unprocessable(format!(
            "{} is in the future; an assessment speaks for a day that has come",
            text.trim()
        ))
        .field(field));
    }
    Ok(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    ))
}

pub async fn submit_assessment(
    state: &AppState,
    principal: &Principal,
    person_id: &str,
    assessment_id: &str,
    as_of: Option<&str>,
) -> ApiResult<Assessment> {
    let caller = signed_in(principal)?;
    let (_, _, assessment) = visible_assessment(state, caller, person_id, assessment_id).await?;
    require_assessor(caller, &assessment)?;
    if assessment.submitted {
        return Ok(assessment);
    }
    if assessment.marks == 0 {
        return Err(
            ApiError::unprocessable("rate at least one behaviour before submitting").field("marks"),
        );
    }
    let as_of = match as_of.map(str::trim).filter(|d| !d.is_empty()) {
        Some(date) => check_date(date, "as_of")?,
        None => today(),
    };
    Ok(state
        .store()
        .submit_assessment(assessment_id, &as_of, &principal.actor())
        .await?)
}

// ---------------------------------------------------------------------------
// Where a person stands

/// One submitted assessment, measured against the version it was made on.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TimelinePoint {
    pub assessment_id: String,
    pub kind: AssessmentKind,
    pub as_of: String,
    pub level_reached: Option<u32>,
    pub sublevel: Option<String>,
    /// "Level 3C".
    pub standing: String,
    /// Level reached × 10000 + share of the next level shown, for charts.
    pub position_bp: u32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FrameworkChanges {
    /// The version the latest submitted assessment was made on.
    pub from_version: u32,
    pub to_version: u32,
    pub changes: VersionChanges,
}

/// Everything the progress view shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProgressReport {
    pub person_id: String,
    pub email: String,
    pub framework: String,
    pub framework_title: String,
    pub framework_version: u32,
    pub placement: PlacementDto,
    /// "80%": the share of a level a topic must show consistently.
    pub threshold: String,
    /// Which assessment the headline comes from: `manager` when one is
    /// submitted, else `self`; null before any submission.
    pub source: Option<AssessmentKind>,
    /// "Level 3C", from `source`.
    pub standing: Option<String>,
    /// From the latest submitted assessment of `source`, against the current
    /// framework version.
    pub progress: Option<Progress>,
    pub self_progress: Option<Progress>,
    pub manager_progress: Option<Progress>,
    pub self_assessment_id: Option<String>,
    pub manager_assessment_id: Option<String>,
    pub disagreements: Vec<Disagreement>,
    /// Present when the framework changed since the latest submitted assessment.
    pub framework_changes: Option<FrameworkChanges>,
    pub timeline: Vec<TimelinePoint>,
}

/// The report plus the framework it was computed on (pages draw from both).
pub struct ProgressView {
    pub report: ProgressReport,
    pub framework: Arc<StoredFramework>,
    pub person: Person,
    pub relation: Relation,
    pub assessments: Vec<Assessment>,
}

async fn ratings_of(state: &AppState, assessment_id: &str) -> ApiResult<HashMap<String, Rating>> {
    Ok(state
        .store()
        .marks(assessment_id)
        .await?
        .into_iter()
        .map(|mark| (mark.criterion_id, mark.rating))
        .collect())
}

pub async fn progress_view(
    state: &AppState,
    caller: &User,
    person_id: &str,
) -> ApiResult<ProgressView> {
    let (person, relation) = visible_person(state, caller, person_id).await?;
    let placement = person.placement.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::CONFLICT,
            "not_placed",
            format!(
                "{} is not placed on a framework yet; a manager or admin places them first",
                person.user.email
            ),
        )
    })?;
    let stored = current_framework(state, &placement.framework_slug).await?;
    let framework = &stored.framework;
    let threshold = threshold(state).await;
    let target = Some(placement.target_level);
    let mut assessments = state.store().assessments(person_id).await?;
    assessments.retain(|a| may_view_assessment(caller, a));
    let submitted: Vec<&Assessment> = assessments
        .iter()
        .filter(|a| a.submitted && a.framework_slug == placement.framework_slug)
        .collect();
    let latest = |kind: AssessmentKind| submitted.iter().find(|a| a.kind == kind).copied();
    let latest_self = latest(AssessmentKind::SelfAssessment);
    let latest_manager = latest(AssessmentKind::Manager);

    let self_ratings = match latest_self {
        Some(a) => Some(ratings_of(state, &a.id).await?),
        None => None,
    };
    let manager_ratings = match latest_manager {
        Some(a) => Some(ratings_of(state, &a.id).await?),
        None => None,
    };
    let self_progress = self_ratings
        .as_ref()
        .map(|r| compute(framework, r, threshold, target));
    let manager_progress = manager_ratings
        .as_ref()
        .map(|r| compute(framework, r, threshold, target));
    let (source, headline) = match (&manager_progress, &self_progress) {
        (Some(p), _) => (Some(AssessmentKind::Manager), Some(p.clone())),
        (None, Some(p)) => (Some(AssessmentKind::SelfAssessment), Some(p.clone())),
        (None, None) => (None, None),
    };
    let found = match (&self_ratings, &manager_ratings) {
        (Some(own), Some(manager)) => disagreements(framework, own, manager),
        _ => Vec::new(),
    };

    let newest_submitted = submitted.first().copied();
    let framework_changes = match newest_submitted {
        Some(a) if a.framework_version != stored.version => {
            let older = framework_version(state, &a.framework_slug, a.framework_version).await?;
            let changes = changes_between(&older.framework, framework);
            (!changes.is_empty()).then_some(FrameworkChanges {
                from_version: a.framework_version,
                to_version: stored.version,
                changes,
            })
        }
        _ => None,
    };

    let mut timeline = Vec::new();
    for a in submitted.iter().rev() {
        let at = framework_version(state, &a.framework_slug, a.framework_version).await?;
        let ratings = ratings_of(state, &a.id).await?;
        let p = compute(&at.framework, &ratings, threshold, target);
        timeline.push(TimelinePoint {
            assessment_id: a.id.clone(),
            kind: a.kind,
            as_of: a.as_of.clone().unwrap_or_default(),
            level_reached: p.level_reached,
            sublevel: p.sublevel.clone(),
            standing: p.headline(&at.framework),
            position_bp: p
                .level_reached
                .unwrap_or(0)
                .saturating_mul(10_000)
                .saturating_add(p.next_level_shown_bp),
        });
    }

    let report = ProgressReport {
        person_id: person.user.id.clone(),
        email: person.user.email.clone(),
        framework: framework.slug.clone(),
        framework_title: framework.title.clone(),
        framework_version: stored.version,
        placement: PlacementDto::from(&placement),
        threshold: threshold.to_string(),
        source,
        standing: headline.as_ref().map(|p| p.headline(framework)),
        progress: headline,
        self_progress,
        manager_progress,
        self_assessment_id: latest_self.map(|a| a.id.clone()),
        manager_assessment_id: latest_manager.map(|a| a.id.clone()),
        disagreements: found,
        framework_changes,
        timeline,
    };
    Ok(ProgressView {
        report,
        framework: stored,
        person,
        relation,
        assessments,
    })
}

/// The headline standing alone ("Level 2C"), for lists: the latest submitted
/// manager assessment, else the person's own, against the current framework
/// version. Two queries per person instead of the whole report.
pub async fn standing(
    state: &AppState,
    person: &Person,
    framework: &StoredFramework,
) -> ApiResult<Option<String>> {
    let Some(placement) = &person.placement else {
        return Ok(None);
    };
    let assessments = state.store().assessments(&person.user.id).await?;
    let latest = [AssessmentKind::Manager, AssessmentKind::SelfAssessment]
        .into_iter()
        .find_map(|kind| {
            assessments.iter().find(|a| {
                a.submitted && a.kind == kind && a.framework_slug == placement.framework_slug
            })
        });
    let Some(latest) = latest else {
        return Ok(None);
    };
    let ratings = ratings_of(state, &latest.id).await?;
    let progress = compute(
        &framework.framework,
        &ratings,
        threshold(state).await,
        Some(placement.target_level),
    );
    Ok(Some(progress.headline(&framework.framework)))
}

/// A Markdown promotion packet for one assessment.
pub async fn packet(
    state: &AppState,
    caller: &User,
    person_id: &str,
    assessment_id: &str,
) -> ApiResult<(String, AssessmentDetail)> {
    let detail = assessment_detail(state, caller, person_id, assessment_id).await?;
    let stored = framework_version(
        state,
        &detail.assessment.framework_slug,
        detail.assessment.framework_version,
    )
    .await?;
    let person = state.store().person(person_id).await?;
    let manager_email = match person
        .as_ref()
        .and_then(|p| p.placement.as_ref())
        .and_then(|p| p.manager_id.clone())
    {
        Some(id) => state.store().user(&id).await?.map(|u| u.email),
        None => None,
    };
    let text = progression::packet_markdown(&progression::Packet {
        person: &detail.email,
        manager: manager_email.as_deref(),
        framework: &stored.framework,
        framework_version: stored.version,
        kind: detail.assessment.kind.label(),
        assessor: &detail.assessor_email,
        as_of: detail.assessment.as_of.as_deref(),
        progress: &detail.progress,
        evidence: &detail.marks,
    });
    Ok((text, detail))
}

// ---------------------------------------------------------------------------
// Shapes

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlacementDto {
    pub id: String,
    pub framework: String,
    pub level: u32,
    pub sublevel: Option<String>,
    pub target_level: u32,
    pub manager_id: Option<String>,
    pub note: String,
    pub created_by: String,
    pub created_at: String,
}

impl From<&Placement> for PlacementDto {
    fn from(p: &Placement) -> PlacementDto {
        PlacementDto {
            id: p.id.clone(),
            framework: p.framework_slug.clone(),
            level: p.level,
            sublevel: p.sublevel.clone(),
            target_level: p.target_level,
            manager_id: p.manager_id.clone(),
            note: p.note.clone(),
            created_by: p.created_by.clone(),
            created_at: rfc3339(p.created_at),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonDto {
    pub id: String,
    pub email: String,
    pub role: Role,
    /// The current placement; null when not placed yet.
    pub placement: Option<PlacementDto>,
}

impl From<&Person> for PersonDto {
    fn from(p: &Person) -> PersonDto {
        PersonDto {
            id: p.user.id.clone(),
            email: p.user.email.clone(),
            role: p.user.role,
            placement: p.placement.as_ref().map(PlacementDto::from),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentDto {
    pub id: String,
    pub person_id: String,
    pub kind: AssessmentKind,
    pub assessor_id: String,
    pub framework_slug: String,
    pub framework_version: u32,
    /// `draft` or `submitted`.
    pub status: &'static str,
    pub as_of: Option<String>,
    /// The assessment whose evidence was carried over when this one opened.
    pub carried_from: Option<String>,
    /// Behaviours rated so far.
    pub rated: u32,
    pub created_at: String,
    pub updated_at: String,
    pub submitted_at: Option<String>,
}

impl From<&Assessment> for AssessmentDto {
    fn from(a: &Assessment) -> AssessmentDto {
        AssessmentDto {
            id: a.id.clone(),
            person_id: a.person_id.clone(),
            kind: a.kind,
            assessor_id: a.assessor_id.clone(),
            framework_slug: a.framework_slug.clone(),
            framework_version: a.framework_version,
            status: if a.submitted { "submitted" } else { "draft" },
            as_of: a.as_of.clone(),
            carried_from: a.carried_from.clone(),
            rated: a.marks,
            created_at: rfc3339(a.created_at),
            updated_at: rfc3339(a.updated_at),
            submitted_at: a.submitted_at.map(rfc3339),
        }
    }
}

/// An assessment with its evidence and what it computes to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssessmentDetail {
    #[serde(flatten)]
    pub assessment: AssessmentDto,
    pub email: String,
    pub assessor_email: String,
    pub marks: Vec<Evidence>,
    /// Measured against the version the assessment was made on.
    pub progress: Progress,
    pub standing: String,
}

pub async fn assessment_detail(
    state: &AppState,
    caller: &User,
    person_id: &str,
    assessment_id: &str,
) -> ApiResult<AssessmentDetail> {
    let (person, _, assessment) =
        visible_assessment(state, caller, person_id, assessment_id).await?;
    let stored = framework_version(
        state,
        &assessment.framework_slug,
        assessment.framework_version,
    )
    .await?;
    let marks = state.store().marks(assessment_id).await?;
    let ratings: HashMap<String, Rating> = marks
        .iter()
        .map(|m| (m.criterion_id.clone(), m.rating))
        .collect();
    let target = person.placement.as_ref().map(|p| p.target_level);
    let progress = compute(&stored.framework, &ratings, threshold(state).await, target);
    let assessor_email = state
        .store()
        .user(&assessment.assessor_id)
        .await?
        .map(|u| u.email)
        .unwrap_or_else(|| assessment.assessor_id.clone());
    Ok(AssessmentDetail {
        assessment: AssessmentDto::from(&assessment),
        email: person.user.email.clone(),
        assessor_email,
        marks,
        standing: progress.headline(&stored.framework),
        progress,
    })
}

// ---------------------------------------------------------------------------
// Handlers

#[utoipa::path(get, path = "/api/v1/people", tag = "progression",
    responses((status = 200, description = "Everyone for admins; otherwise yourself and your reports", body = Vec<PersonDto>)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> ApiResult<Json<Vec<PersonDto>>> {
    let caller = signed_in(&principal)?;
    let people = visible_people(&state, caller).await?;
    Ok(Json(people.iter().map(PersonDto::from).collect()))
}

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "progression",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, body = PersonDto), (status = 404, body = ErrorBody)))]
pub async fn detail(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonDto>> {
    let caller = signed_in(&principal)?;
    let (person, _) = visible_person(&state, caller, &id).await?;
    Ok(Json(PersonDto::from(&person)))
}

#[utoipa::path(get, path = "/api/v1/people/{id}/placements", tag = "progression",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, description = "Newest (current) first", body = Vec<PlacementDto>), (status = 404, body = ErrorBody)))]
pub async fn placements(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<PlacementDto>>> {
    let caller = signed_in(&principal)?;
    visible_person(&state, caller, &id).await?;
    let history = state.store().placements(&id).await?;
    Ok(Json(history.iter().map(PlacementDto::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/people/{id}/placements", tag = "progression",
    params(("id" = String, Path, description = "User id")),
    request_body = PlacementInput,
    responses(
        (status = 201, description = "Placed; the new placement is current", body = PlacementDto),
        (status = 200, description = "Same as the current placement: nothing changed", body = PlacementDto),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn place(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<PlacementInput>,
) -> ApiResult<Response> {
    let (placement, created) = place_person(&state, &principal, &id, &input).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(PlacementDto::from(&placement))).into_response())
}

#[utoipa::path(get, path = "/api/v1/people/{id}/assessments", tag = "progression",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, description = "Drafts first (only your own: drafts are private to their author until submitted), then newest first", body = Vec<AssessmentDto>), (status = 404, body = ErrorBody)))]
pub async fn assessments(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<AssessmentDto>>> {
    let caller = signed_in(&principal)?;
    visible_person(&state, caller, &id).await?;
    let all = state.store().assessments(&id).await?;
    Ok(Json(
        all.iter()
            .filter(|a| may_view_assessment(caller, a))
            .map(AssessmentDto::from)
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenInput {
    /// `self` (the person) or `manager` (their current manager).
    pub kind: String,
}

#[utoipa::path(post, path = "/api/v1/people/{id}/assessments", tag = "progression",
    params(("id" = String, Path, description = "User id")),
    request_body = OpenInput,
    responses(
        (status = 201, description = "A new draft, with the evidence of the last submitted assessment of its kind carried over for unchanged behaviours", body = AssessmentDto),
        (status = 200, description = "Your open draft of that kind", body = AssessmentDto),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn open(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<OpenInput>,
) -> ApiResult<Response> {
    let kind = AssessmentKind::parse(&input.kind).ok_or_else(|| {
        ApiError::unprocessable(format!(
            "{:?} is not an assessment kind; use self or manager",
            input.kind
        ))
        .field("kind")
    })?;
    let (assessment, created) = open_assessment(&state, &principal, &id, kind).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(AssessmentDto::from(&assessment))).into_response())
}

#[utoipa::path(get, path = "/api/v1/people/{id}/assessments/{assessment_id}", tag = "progression",
    params(("id" = String, Path, description = "User id"), ("assessment_id" = String, Path)),
    responses((status = 200, body = AssessmentDetail), (status = 404, body = ErrorBody)))]
pub async fn assessment(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, assessment_id)): Path<(String, String)>,
) -> ApiResult<Json<AssessmentDetail>> {
    let caller = signed_in(&principal)?;
    Ok(Json(
        assessment_detail(&state, caller, &id, &assessment_id).await?,
    ))
}

#[utoipa::path(put, path = "/api/v1/people/{id}/assessments/{assessment_id}/marks", tag = "progression",
    params(("id" = String, Path, description = "User id"), ("assessment_id" = String, Path)),
    request_body = MarksInput,
    responses((status = 200, description = "Saved; other behaviours' ratings are untouched", body = AssessmentDto),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save_marks(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, assessment_id)): Path<(String, String)>,
    JsonBody(input): JsonBody<MarksInput>,
) -> ApiResult<Json<AssessmentDto>> {
    let assessment =
        save_assessment_marks(&state, &principal, &id, &assessment_id, &input.marks).await?;
    Ok(Json(AssessmentDto::from(&assessment)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitInput {
    /// The date the assessment speaks for (YYYY-MM-DD); today when omitted.
    #[serde(default)]
    pub as_of: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/people/{id}/assessments/{assessment_id}/submit", tag = "progression",
    params(("id" = String, Path, description = "User id"), ("assessment_id" = String, Path)),
    request_body = SubmitInput,
    responses((status = 200, description = "Submitted and frozen (a repeat returns it unchanged)", body = AssessmentDto),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, assessment_id)): Path<(String, String)>,
    JsonBody(input): JsonBody<SubmitInput>,
) -> ApiResult<Json<AssessmentDto>> {
    let assessment = submit_assessment(
        &state,
        &principal,
        &id,
        &assessment_id,
        input.as_of.as_deref(),
    )
    .await?;
    Ok(Json(AssessmentDto::from(&assessment)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// `markdown` (a promotion packet, the default) or `json`.
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/people/{id}/assessments/{assessment_id}/export", tag = "progression",
    params(("id" = String, Path, description = "User id"), ("assessment_id" = String, Path), ExportQuery),
    responses((status = 200, description = "text/markdown promotion packet, or the assessment as JSON", content_type = "text/markdown"),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, assessment_id)): Path<(String, String)>,
    Query(query): Query<ExportQuery>,
) -> ApiResult<Response> {
    let caller = signed_in(&principal)?;
    let format = query.format.as_deref().unwrap_or("markdown");
    let (text, detail) = packet(&state, caller, &id, &assessment_id).await?;
    let stem = format!(
        "assessment-{}-{}",
        detail.assessment.kind.as_str(),
        detail.assessment.as_of.as_deref().unwrap_or("draft")
    );
    match format {
        "markdown" | "md" => Ok((
            [
                (
                    header::CONTENT_TYPE,
                    "text/markdown; charset=utf-8".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{stem}.md\""),
                ),
            ],
            text,
        )
            .into_response()),
        "json" => Ok((
            [(
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{stem}.json\""),
            )],
            Json(detail),
        )
            .into_response()),
        other => Err(ApiError::unprocessable(format!(
            "{other:?} is not an export format; use markdown or json"
        ))
        .field("format")),
    }
}

#[utoipa::path(get, path = "/api/v1/people/{id}/progress", tag = "progression",
    params(("id" = String, Path, description = "User id")),
    responses((status = 200, body = ProgressReport), (status = 404, body = ErrorBody), (status = 409, description = "Not placed on a framework yet", body = ErrorBody)))]
pub async fn progress(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<ProgressReport>> {
    let caller = signed_in(&principal)?;
    Ok(Json(progress_view(&state, caller, &id).await?.report))
}

// ---------------------------------------------------------------------------
// For the pages (`pages_people`): what the forms offer. The rules stay above;
// these only gather data.

/// Whom the caller may choose in the placement form: everyone enabled for
/// admins; for managers, their reports and people nobody manages (never
/// themselves: nobody is their own manager). `check_placement` still decides.
pub async fn placeable_people(state: &AppState, caller: &User) -> ApiResult<Vec<Person>> {
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

/// For a draft that carried evidence over: the version it came from and the
/// behaviours new or changed since (which carried nothing).
pub async fn carried_changes(
    state: &AppState,
    assessment: &Assessment,
) -> ApiResult<Option<(u32, VersionChanges)>> {
    let Some(from_id) = assessment.carried_from.as_deref() else {
        return Ok(None);
    };
    let Some(from) = state.store().assessment(from_id).await? else {
        return Ok(None);
    };
    if from.framework_version == assessment.framework_version
        && from.framework_slug == assessment.framework_slug
    {
        return Ok(Some((from.framework_version, VersionChanges::default())));
    }
    let older = framework_version(state, &from.framework_slug, from.framework_version).await?;
    let newer = framework_version(
        state,
        &assessment.framework_slug,
        assessment.framework_version,
    )
    .await?;
    Ok(Some((
        from.framework_version,
        changes_between(&older.framework, &newer.framework),
    )))
}

/// The framework version an assessment was made on.
pub async fn assessment_framework(
    state: &AppState,
    assessment: &Assessment,
) -> ApiResult<Arc<StoredFramework>> {
    framework_version(
        state,
        &assessment.framework_slug,
        assessment.framework_version,
    )
    .await
}
