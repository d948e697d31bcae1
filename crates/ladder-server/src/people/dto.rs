//! What the people API answers with.

use ladder_core::access::Role;
use ladder_core::progression::{AssessmentKind, Evidence, Progress};
use ladder_store::{Assessment, Person, Placement};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::text::rfc3339;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub(super) struct PlacementDto {
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
pub(super) struct PersonDto {
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
pub(super) struct AssessmentDto {
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
pub(super) struct AssessmentDetail {
    #[serde(flatten)]
    pub assessment: AssessmentDto,
    pub email: String,
    pub assessor_email: String,
    pub marks: Vec<Evidence>,
    /// Measured against the version the assessment was made on.
    pub progress: Progress,
    pub standing: String,
}
