//! Ladder's persistence. [`Store`] is the one interface the server and the CLI
//! use: one trait per area — [`FrameworkStore`], [`AccountStore`],
//! [`JobSpecStore`], [`InterviewStore`], [`PeopleStore`] — and what concerns
//! the database as a whole. [`connect`] opens it on SQLite (an embedded file)
//! or PostgreSQL from a database URL, runs the embedded migrations, and
//! returns it. Callers write `use ladder_store::prelude::*;` so that every
//! method resolves on an `Arc<dyn Store>`.
//!
//! Both databases are served by [`SqlStore`] through sqlx's `Any` driver:
//! the SQL is shared (both accept `$1` placeholders, `ON CONFLICT` and the same
//! column types) and only what genuinely differs — migrations, connection
//! pragmas, transaction start and full-text search — depends on the
//! [`Backend`]. The behavioural test suite runs against both.

mod accounts;
mod frameworks;
mod interviews;
mod jobspecs;
mod people;
mod sql;
#[cfg(feature = "testing")]
pub mod testing;

use std::sync::Arc;

use async_trait::async_trait;
use serde::Serialize;

pub use accounts::{
    AccountStore, Actor, ApiToken, AuditEntry, LoginAttempt, LoginBucket, User, UserCredentials,
};
pub use frameworks::{
    FrameworkStore, FrameworkSummary, ImportOutcome, SearchHit, StoredFramework, VersionInfo,
};
pub use interviews::{
    Answer, AnswerOutcome, Interview, InterviewStore, NewInvitation, StoredAudio, StoredScorecard,
    VersionPerformance,
};
pub use jobspecs::{JobSpecStore, JobSpecSummary, JobSpecVersion, VersionSelector};
pub use people::{Assessment, NewAssessment, NewPlacement, PeopleStore, Person, Placement};
pub use sql::SqlStore;

/// The store's traits, so that `use ladder_store::prelude::*;` makes every
/// method of an `Arc<dyn Store>` or `&dyn Store` callable.
pub mod prelude {
    pub use crate::{
        AccountStore, FrameworkStore, InterviewStore, JobSpecStore, PeopleStore, Store,
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("invalid database URL {url:?}: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A stored response to a request made with an `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotentResponse {
    pub request_hash: String,
    pub status: u16,
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PoolStats {
    pub size: u32,
    pub idle: u32,
}

/// The whole store: every area's trait, plus what concerns the database as
/// a whole — which backend it is, its connection pool, whether it answers,
/// and the responses kept for idempotent requests of any area.
#[async_trait]
pub trait Store:
    FrameworkStore + AccountStore + JobSpecStore + InterviewStore + PeopleStore + Send + Sync
{
    fn backend(&self) -> Backend;
    fn pool_stats(&self) -> PoolStats;
    /// Succeeds when the database answers a query.
    async fn ping(&self) -> Result<()>;

    async fn idempotent_response(
        &self,
        scope: &str,
        key: &str,
    ) -> Result<Option<IdempotentResponse>>;
    /// Keeps the first response stored for a key.
    async fn save_idempotent_response(
        &self,
        scope: &str,
        key: &str,
        response: &IdempotentResponse,
    ) -> Result<()>;
}

/// Opens the store at `url` (`sqlite://path/to/file.db`, `postgres://…`) and
/// brings its schema up to date.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>> {
    Ok(Arc::new(SqlStore::connect(url).await?))
}

pub fn now_millis() -> i64 {
    let now = time::OffsetDateTime::now_utc();
    i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}
