//! People: placements on a framework (with history) and self or manager
//! assessments with their evidence.

use async_trait::async_trait;
use ladder_core::progression::{AssessmentKind, Evidence};
use serde::Serialize;

use crate::{Actor, Completion, Result, User};

/// People and their progression: placements (history kept, the newest
/// current), the people list by manager, and assessments that are drafts
/// until submitted, with the marks (evidence) saved as one goes.
#[async_trait]
pub trait PeopleStore: Send + Sync {
    /// Places a person (history kept); the new placement becomes current in
    /// the same transaction. `NotFound` when the user does not exist.
    async fn place_person(
        &self,
        placement: &NewPlacement,
        actor: &Actor,
        done: Option<Completion<'_, Placement>>,
    ) -> Result<Placement>;
    /// A person's placements, newest (current) first.
    async fn placements(&self, person_id: &str) -> Result<Vec<Placement>>;
    /// Everyone (`None`) or the people whose current manager is `manager_id`,
    /// by e-mail.
    async fn people(&self, manager_id: Option<&str>) -> Result<Vec<Person>>;
    async fn person(&self, person_id: &str) -> Result<Option<Person>>;
    /// Opens a draft assessment, or returns the assessor's open draft of that
    /// kind for that person (`false`: nothing new was made).
    async fn open_assessment(
        &self,
        new: &NewAssessment,
        actor: &Actor,
        done: Option<Completion<'_, (Assessment, bool)>>,
    ) -> Result<(Assessment, bool)>;
    async fn assessment(&self, id: &str) -> Result<Option<Assessment>>;
    /// A person's assessments: drafts first, then by as-of date, newest first.
    async fn assessments(&self, person_id: &str) -> Result<Vec<Assessment>>;
    /// Sets and clears ratings of a draft (`Conflict` once submitted).
    async fn save_marks(
        &self,
        assessment_id: &str,
        set: &[Evidence],
        clear: &[String],
    ) -> Result<Assessment>;
    async fn marks(&self, assessment_id: &str) -> Result<Vec<Evidence>>;
    /// Freezes a draft as of a date; submitting again returns it unchanged.
    async fn submit_assessment(
        &self,
        assessment_id: &str,
        as_of: &str,
        actor: &Actor,
        done: Option<Completion<'_, Assessment>>,
    ) -> Result<Assessment>;
}

/// A person placed on a framework. Placements are never changed: a new one
/// replaces the current one and the history stays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placement {
    pub id: String,
    pub person_id: String,
    pub framework_slug: String,
    pub level: u32,
    pub sublevel: Option<String>,
    /// The level the person and their manager agreed to aim for.
    pub target_level: u32,
    pub manager_id: Option<String>,
    pub note: String,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPlacement {
    pub person_id: String,
    pub framework_slug: String,
    pub level: u32,
    pub sublevel: Option<String>,
    pub target_level: u32,
    pub manager_id: Option<String>,
    pub note: String,
}

/// A user and their current placement, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub user: User,
    pub placement: Option<Placement>,
}

/// A self or manager assessment: a draft until submitted as of a date, then
/// frozen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub id: String,
    pub person_id: String,
    pub kind: AssessmentKind,
    pub assessor_id: String,
    pub framework_slug: String,
    /// The framework version the behaviours were read from when it was opened.
    pub framework_version: u32,
    pub submitted: bool,
    /// ISO date ("2026-11-24") the submitted assessment speaks for.
    pub as_of: Option<String>,
    /// The assessment whose evidence was carried into this one when it opened.
    pub carried_from: Option<String>,
    /// How many behaviours are rated.
    pub marks: u32,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAssessment {
    pub person_id: String,
    pub kind: AssessmentKind,
    pub assessor_id: String,
    pub framework_slug: String,
    pub framework_version: u32,
    pub carried_from: Option<String>,
    /// Evidence copied from the previous assessment for behaviours that still exist.
    pub carried: Vec<Evidence>,
}
