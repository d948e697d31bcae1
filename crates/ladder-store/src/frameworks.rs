//! Frameworks: importing versions, reading them back and searching their
//! behaviours.

use async_trait::async_trait;
use ladder_core::Framework;
use serde::Serialize;

use crate::{Actor, Result};

/// Frameworks and their versions: import (a new version only when the
/// content changed), listing, reading a version, the version history, and
/// full-text search over the behaviours of current versions.
#[async_trait]
pub trait FrameworkStore: Send + Sync {
    /// Stores a framework as a new version of its slug, unless its content equals
    /// the current version. One transaction: the version, the search index and
    /// the audit entry are written together or not at all.
    async fn import_framework(&self, framework: &Framework, actor: &Actor)
        -> Result<ImportOutcome>;
    async fn list_frameworks(&self) -> Result<Vec<FrameworkSummary>>;
    /// The current version number of a framework: a cheap indexed lookup that
    /// lets callers cache parsed versions.
    async fn current_version(&self, slug: &str) -> Result<Option<u32>>;
    /// The current version, or the given one.
    async fn framework(&self, slug: &str, version: Option<u32>) -> Result<Option<StoredFramework>>;
    async fn framework_versions(&self, slug: &str) -> Result<Vec<VersionInfo>>;
    /// Full-text search over the behaviours (and examples) of current versions.
    async fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>>;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum ImportOutcome {
    /// A framework seen for the first time.
    Created { slug: String, version: u32 },
    /// Changed content: a new version, history kept.
    Updated { slug: String, version: u32 },
    /// Same content as the current version: nothing written.
    Unchanged { slug: String, version: u32 },
}

impl ImportOutcome {
    pub fn slug(&self) -> &str {
        match self {
            ImportOutcome::Created { slug, .. }
            | ImportOutcome::Updated { slug, .. }
            | ImportOutcome::Unchanged { slug, .. } => slug,
        }
    }

    pub fn version(&self) -> u32 {
        match self {
            ImportOutcome::Created { version, .. }
            | ImportOutcome::Updated { version, .. }
            | ImportOutcome::Unchanged { version, .. } => *version,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameworkSummary {
    pub slug: String,
    pub title: String,
    pub sidebar_title: Option<String>,
    pub group: Option<String>,
    pub version: u32,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredFramework {
    pub version: u32,
    pub current_version: u32,
    pub created_at: i64,
    pub framework: Framework,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionInfo {
    pub version: u32,
    pub content_hash: String,
    pub source_sha256: Option<String>,
    pub source_file: Option<String>,
    pub created_by: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchHit {
    pub slug: String,
    pub framework_title: String,
    pub criterion_id: String,
    pub topic_title: String,
    pub level: u32,
    pub text: String,
    /// The behaviour's examples, one per line (a search may match them).
    pub examples: String,
}
