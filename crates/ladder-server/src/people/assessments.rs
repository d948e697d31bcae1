//! Self and manager assessments: opened as drafts (carrying evidence over
//! from the last one for behaviours whose text did not change), rated
//! behaviour by behaviour, submitted as of a date and then frozen.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::StatusCode;
use ladder_core::access::Role;
use ladder_core::limits;
use ladder_core::progression::{
    changes_between, compute, AssessmentKind, Evidence, Rating, VersionChanges,
};
use ladder_core::Framework;
use ladder_store::{Assessment, NewAssessment, Person, StoredFramework, User};
use serde::Deserialize;
use utoipa::ToSchema;

use super::dto::{AssessmentDetail, AssessmentDto};
use super::visibility::{
    current_framework, framework_version, signed_in, visible_person, Relation,
};
use crate::http::auth::Principal;
use crate::http::error::{ApiError, ApiResult};
use crate::http::idempotency::{responder, IdempotencyClaim};
use crate::http::settings::progression_threshold as threshold;
use crate::http::state::AppState;

// The longest note and link are in `ladder_core::limits`.
const MAX_LINKS: usize = 20;
const MAX_MARKS_PER_SAVE: usize = 2_000;

#[tracing::instrument(skip(state, principal, once))]
pub(super) async fn open_assessment(
    state: &AppState,
    principal: &Principal,
    person_id: &str,
    kind: AssessmentKind,
    once: Option<&IdempotencyClaim>,
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
    let respond = responder(once, |(assessment, created): &(Assessment, bool)| {
        (opened_status(*created), AssessmentDto::from(assessment))
    });
    Ok(state
        .store()
        .open_assessment(
            &new,
            &principal.actor(),
            once.map(|claim| claim.completion(&respond)),
        )
        .await?)
}

/// Drafts are private to whoever writes them (and admins) until submitted.
pub(super) fn may_view_assessment(caller: &User, assessment: &Assessment) -> bool {
    assessment.submitted || assessment.assessor_id == caller.id || caller.role == Role::Admin
}

/// An assessment of a person the caller can see.
pub(super) async fn visible_assessment(
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
pub(super) struct MarkInput {
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
pub(super) struct MarksInput {
    pub marks: Vec<MarkInput>,
}

/// Checks marks against the behaviours of the assessment's framework version;
/// the first problem names its field (`marks[2].rating`).
pub(super) fn check_marks(
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
        if let Some(problem) = limits::text_problem("the note", &note, limits::ASSESSMENT_NOTE) {
            return Err(ApiError::unprocessable(problem).field(field("note")));
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
            if let Some(problem) = limits::text_problem("the link", link, limits::ASSESSMENT_LINK) {
                return Err(ApiError::unprocessable(problem)
                    .field(format!("marks[{index}].links[{link_index}]")));
            }
            if !scheme_ok || link.chars().any(char::is_whitespace) {
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

#[tracing::instrument(skip(state, principal, marks))]
pub(super) async fn save_assessment_marks(
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
pub(super) fn today() -> String {
    let now = time::OffsetDateTime::now_utc().date();
    format!(
        "{:04}-{:02}-{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    )
}

/// A date as people write it in forms and JSON: "2026-11-24".
pub(super) fn check_date(text: &str, field: &str) -> ApiResult<String> {
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

#[tracing::instrument(skip(state, principal, as_of, once))]
pub(super) async fn submit_assessment(
    state: &AppState,
    principal: &Principal,
    person_id: &str,
    assessment_id: &str,
    as_of: Option<&str>,
    once: Option<&IdempotencyClaim>,
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
    let respond = responder(once, |submitted: &Assessment| {
        (StatusCode::OK, AssessmentDto::from(submitted))
    });
    Ok(state
        .store()
        .submit_assessment(
            assessment_id,
            &as_of,
            &principal.actor(),
            once.map(|claim| claim.completion(&respond)),
        )
        .await?)
}

/// For a draft that carried evidence over: the version it came from and the
/// behaviours new or changed since (which carried nothing).
pub(super) async fn carried_changes(
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
pub(super) async fn assessment_framework(
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

/// 201 for an assessment opened now, 200 for the open draft found.
pub(super) fn opened_status(created: bool) -> StatusCode {
    if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    }
}

/// An assessment with its evidence, for someone who may see it.
pub(super) async fn assessment_detail(
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
