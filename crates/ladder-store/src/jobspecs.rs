//! Job specs: versioned bodies, drafts and publishing.

use async_trait::async_trait;
use ladder_core::jobspec::JobSpecBody;
use serde::Serialize;

use crate::{Actor, Result};

/// Job specs and their versions: a draft is edited in place until it is
/// published under a label and frozen; the next edit opens a new draft.
#[async_trait]
pub trait JobSpecStore: Send + Sync {
    /// A new job spec whose version 1 is a draft.
    async fn create_job_spec(
        &self,
        id: &str,
        body: &JobSpecBody,
        actor: &Actor,
    ) -> Result<JobSpecVersion>;
    async fn job_specs(&self) -> Result<Vec<JobSpecSummary>>;
    async fn job_spec_summary(&self, id: &str) -> Result<Option<JobSpecSummary>>;
    async fn job_spec_version(
        &self,
        id: &str,
        selector: &VersionSelector,
    ) -> Result<Option<JobSpecVersion>>;
    /// Newest first.
    async fn job_spec_versions(&self, id: &str) -> Result<Vec<JobSpecVersion>>;
    /// Writes `body` to the open draft, opening a new draft version when the
    /// latest is published. Weight changes are audited one by one.
    async fn save_job_spec_draft(
        &self,
        id: &str,
        body: &JobSpecBody,
        actor: &Actor,
    ) -> Result<JobSpecVersion>;
    /// Freezes the open draft under `label` and makes it current. `Conflict`
    /// when there is no draft.
    async fn publish_job_spec(
        &self,
        id: &str,
        label: &str,
        actor: &Actor,
    ) -> Result<JobSpecVersion>;
}

/// One version of a job spec. Published versions are frozen forever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobSpecVersion {
    pub job_spec_id: String,
    pub version: u32,
    /// `v1-U_WN6k` once published; `None` for a draft.
    pub label: Option<String>,
    pub published: bool,
    pub body: JobSpecBody,
    pub created_by: String,
    pub created_at: i64,
    pub published_at: Option<i64>,
    /// When the version's body was last written (its creation, for a
    /// version saved once).
    pub saved_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobSpecSummary {
    pub id: String,
    pub title: String,
    pub seniority: String,
    /// The published version interviews are pinned to, if any.
    pub current_version: Option<u32>,
    pub current_label: Option<String>,
    /// The open draft, if any.
    pub draft_version: Option<u32>,
    pub latest_version: u32,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSelector {
    /// The current published version, or the draft when nothing is published.
    Current,
    Draft,
    Number(u32),
    /// A published label such as `v2-a8Kd_3x`.
    Label(String),
}

impl VersionSelector {
    /// "3", "v3-AbC_1x9", "draft", "current" or nothing.
    pub fn parse(text: Option<&str>) -> VersionSelector {
        match text.map(str::trim) {
            None | Some("") | Some("current") => VersionSelector::Current,
            Some("draft") => VersionSelector::Draft,
            Some(other) => match other.parse::<u32>() {
                Ok(number) => VersionSelector::Number(number),
                Err(_) => VersionSelector::Label(other.to_string()),
            },
        }
    }
}

/// As people name a version in messages: "the current version", "version 3",
/// "version v3-AbC_1x9", "the draft".
impl std::fmt::Display for VersionSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            VersionSelector::Current => f.write_str("the current version"),
            VersionSelector::Draft => f.write_str("the draft"),
            VersionSelector::Number(number) => write!(f, "version {number}"),
            VersionSelector::Label(label) => write!(f, "version `{label}`"),
        }
    }
}
