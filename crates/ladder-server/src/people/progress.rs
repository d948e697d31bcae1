//! Where a person stands: the progression rule applied to their latest
//! submitted assessments, on every read, against the current framework.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::StatusCode;
use ladder_core::progression::{
    self, changes_between, compute, disagreements, AssessmentKind, Disagreement, Progress, Rating,
    VersionChanges,
};
use ladder_store::{Assessment, Person, StoredFramework, User};
use serde::Serialize;
use utoipa::ToSchema;

use super::assessments::assessment_detail;
use super::assessments::may_view_assessment;
use super::dto::{AssessmentDetail, PlacementDto};
use super::visibility::{current_framework, framework_version, visible_person};
use crate::http::error::{ApiError, ApiResult};
use crate::http::settings::progression_threshold as threshold;
use crate::http::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub(super) struct TimelinePoint {
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
pub(super) struct FrameworkChanges {
    /// The version the latest submitted assessment was made on.
    pub from_version: u32,
    pub to_version: u32,
    pub changes: VersionChanges,
}

/// Everything the progress view shows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(super) struct ProgressReport {
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
pub(super) struct ProgressView {
    pub report: ProgressReport,
    pub framework: Arc<StoredFramework>,
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

#[tracing::instrument(skip(state, caller))]
pub(super) async fn progress_view(
    state: &AppState,
    caller: &User,
    person_id: &str,
) -> ApiResult<ProgressView> {
    let (person, _) = visible_person(state, caller, person_id).await?;
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
        assessments,
    })
}

/// The headline standing alone ("Level 2C"), for lists: the latest submitted
/// manager assessment, else the person's own, against the current framework
/// version. Two queries per person instead of the whole report.
pub(super) async fn standing(
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
pub(super) async fn packet(
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
