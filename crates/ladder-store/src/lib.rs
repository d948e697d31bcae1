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
mod idempotency;
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
    AccountStore, Actor, ApiToken, AuditEntry, RateBucket, RateCount, User, UserCredentials,
};
pub use frameworks::{
    FrameworkStore, FrameworkSummary, ImportOutcome, SearchHit, StoredFramework, VersionInfo,
};
pub use idempotency::{Claim, Claimed, Completion, IdempotencyKey, IdempotentResponse};
pub use interviews::{
    Answer, AnswerOutcome, Draft, DraftInput, DraftOutcome, FinishedInterview, Interview,
    InterviewStore, Invited, NewInvitation, RecordedAnswer, SavedScorecard, StoredAudio,
    StoredScorecard, VersionPerformance,
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
    /// The change would break a rule of the domain, checked inside its
    /// transaction (so no concurrent change can slip past it): what to fix,
    /// field by field.
    #[error("{}", first_problem(.0))]
    Invalid(Vec<ladder_core::jobspec::Problem>),
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

fn first_problem(problems: &[ladder_core::jobspec::Problem]) -> String {
    problems.first().map_or_else(
        || "the change is not valid".to_string(),
        |p| p.message.clone(),
    )
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

    /// Claims an `Idempotency-Key` for a request (see [`Claimed`]). A claim
    /// whose lease ran out by `now` is taken over; the new claim's lease runs
    /// until `lease_until`.
    async fn claim_key(&self, key: &IdempotencyKey, now: i64, lease_until: i64) -> Result<Claimed>;
    /// Completes a claim whose request made no effect of its own (nothing
    /// else to commit with it). A claim already completed, or no longer this
    /// claimant's, is left as it is.
    async fn complete_claim(&self, claim: &Claim, response: &IdempotentResponse) -> Result<()>;
    /// Gives up a claim whose request failed and changed nothing, so that a
    /// retry runs. A completed claim stays.
    async fn release_claim(&self, claim: &Claim) -> Result<()>;
    /// The completed response stored for a key, if any.
    async fn idempotent_response(
        &self,
        scope: &str,
        key: &str,
    ) -> Result<Option<IdempotentResponse>>;
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
