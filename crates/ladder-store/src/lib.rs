//! Ladder's persistence. [`Store`] is the one interface the server and the CLI
//! use; [`connect`] opens it on SQLite (an embedded file) or PostgreSQL from a
//! database URL, runs the embedded migrations, and returns it.
//!
//! Both databases are served by [`sql::SqlStore`] through sqlx's `Any` driver:
//! the SQL is shared (both accept `$1` placeholders, `ON CONFLICT` and the same
//! column types) and only what genuinely differs — migrations, connection
//! pragmas, transaction start and full-text search — depends on the
//! [`Backend`]. The behavioural test suite runs against both.

mod sql;
#[cfg(feature = "testing")]
pub mod testing;

use std::sync::Arc;

use async_trait::async_trait;
use ladder_core::access::Role;
use ladder_core::interview::{Scorecard, Status, Tenths};
use ladder_core::jobspec::JobSpecBody;
use ladder_core::progression::{AssessmentKind, Evidence};
use ladder_core::Framework;
use serde::Serialize;

pub use sql::SqlStore;

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

/// Who is making a change, as recorded in the audit log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<String>,
    /// An e-mail address, or "cli" / "system" for changes made outside a login.
    pub label: String,
}

impl Actor {
    pub fn system() -> Actor {
        Actor {
            user_id: None,
            label: "system".to_string(),
        }
    }

    pub fn cli() -> Actor {
        Actor {
            user_id: None,
            label: "cli".to_string(),
        }
    }

    pub fn user(user: &User) -> Actor {
        Actor {
            user_id: Some(user.id.clone()),
            label: user.email.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub must_change_password: bool,
    pub disabled: bool,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// A user with the password hash, for login only.
#[derive(Debug, Clone)]
pub struct UserCredentials {
    pub user: User,
    pub password_hash: Option<String>,
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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: String,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: serde_json::Value,
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interview {
    pub id: String,
    pub job_spec_id: String,
    /// The published version the interview is pinned to.
    pub version: u32,
    pub candidate_name: String,
    pub candidate_email: String,
    pub status: Status,
    pub expires_at: i64,
    /// Index of the next Round 02 prompt the candidate may answer.
    pub round2_position: u32,
    pub overall: Option<Tenths>,
    pub fails_must_have: bool,
    pub created_by: String,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub completed_at: Option<i64>,
}

/// One candidate of [`Store::create_interviews`]: who is invited, the hash of
/// their link's token, when the link expires and the interviewers to assign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    pub candidate_name: String,
    pub candidate_email: String,
    pub token_hash: String,
    pub expires_at: i64,
    /// User ids of interviewers to assign (each must be a user).
    pub interviewers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub round: u32,
    pub item_id: String,
    pub text: String,
    /// The recording given with the answer, if any.
    pub audio_id: Option<String>,
    pub created_at: i64,
}

/// A recorded answer's metadata; the bytes live in the server's blob
/// directory under `file_name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredAudio {
    pub id: String,
    pub interview_id: String,
    /// One of the accepted audio types, e.g. `audio/webm`.
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    pub file_name: String,
    pub transcript: Option<String>,
    pub created_at: i64,
}

/// What recording an answer did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AnswerOutcome {
    Recorded(Answer),
    /// The item was already answered; the first answer stands.
    AlreadyAnswered(Answer),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredScorecard {
    pub interview_id: String,
    pub interviewer_id: String,
    pub submitted: bool,
    /// 1 for the first save, +1 for every later save.
    pub revision: u32,
    pub card: Scorecard,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    /// A draft written by the automated evaluator that no person has
    /// submitted yet. It never counts.
    pub automated: bool,
    /// The model that drafted this scorecard, if one did (kept after a
    /// person submits it).
    pub drafted_by: Option<String>,
}

/// Live performance of one job-spec version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct VersionPerformance {
    pub version: u32,
    pub interviews: u64,
    pub completed: u64,
    pub scored: u64,
    pub overall_sum_tenths: u64,
    /// Scored interviews by overall score: 0–9.9, 10–19.9, …, 90–100.
    pub distribution: [u64; 10],
    /// (competency id, sum of interview means in tenths, n)
    pub competencies: Vec<(String, u64, u64)>,
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

#[async_trait]
pub trait Store: Send + Sync {
    fn backend(&self) -> Backend;
    fn pool_stats(&self) -> PoolStats;
    /// Succeeds when the database answers a query.
    async fn ping(&self) -> Result<()>;

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

    async fn user_count(&self) -> Result<u64>;
    /// Fails with `Conflict` when the e-mail is taken.
    async fn create_user(
        &self,
        email: &str,
        role: Role,
        password_hash: Option<&str>,
        must_change_password: bool,
        actor: &Actor,
    ) -> Result<User>;
    async fn user(&self, id: &str) -> Result<Option<User>>;
    async fn credentials(&self, email: &str) -> Result<Option<UserCredentials>>;
    async fn users(&self) -> Result<Vec<User>>;
    async fn set_role(&self, id: &str, role: Role, actor: &Actor) -> Result<User>;
    async fn set_disabled(&self, id: &str, disabled: bool, actor: &Actor) -> Result<User>;
    async fn set_password(
        &self,
        id: &str,
        password_hash: &str,
        must_change_password: bool,
        actor: &Actor,
    ) -> Result<()>;

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: &str,
        csrf: &str,
        expires_at: i64,
    ) -> Result<()>;
    /// The session's user and CSRF token, if the session exists, has not expired
    /// and its user is not disabled.
    async fn session(&self, token_hash: &str, now: i64) -> Result<Option<(User, String)>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;

    async fn create_api_token(
        &self,
        user_id: &str,
        name: &str,
        token_hash: &str,
        actor: &Actor,
    ) -> Result<()>;
    async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>>;

    async fn setting(&self, key: &str) -> Result<Option<String>>;
    async fn set_setting(&self, key: &str, value: &str, actor: &Actor) -> Result<()>;

    async fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>>;
    /// Records an event that changes nothing else (e.g. why generation fell
    /// back to the offline generator).
    async fn record_event(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        detail: serde_json::Value,
    ) -> Result<()>;

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

    /// Invites a candidate; counts the interview in the version's figures.
    #[allow(clippy::too_many_arguments)]
    async fn create_interview(
        &self,
        job_spec_id: &str,
        version: u32,
        candidate_name: &str,
        candidate_email: &str,
        token_hash: &str,
        expires_at: i64,
        actor: &Actor,
    ) -> Result<Interview>;
    /// Invites every candidate of `rows` to `version` in one transaction,
    /// assigning each row's interviewers and counting the interviews in the
    /// version's figures: either all are created or, on any error, none.
    async fn create_interviews(
        &self,
        job_spec_id: &str,
        version: u32,
        rows: &[NewInvitation],
        actor: &Actor,
    ) -> Result<Vec<Interview>>;
    async fn interview(&self, id: &str) -> Result<Option<Interview>>;
    /// The interview a candidate token opens, if the token is known.
    async fn interview_by_token(&self, token_hash: &str) -> Result<Option<Interview>>;
    async fn interviews(&self, job_spec_id: &str) -> Result<Vec<Interview>>;
    /// Assigns an interviewer (idempotent).
    async fn assign_interviewer(
        &self,
        interview_id: &str,
        user_id: &str,
        actor: &Actor,
    ) -> Result<()>;
    /// User ids of the interviewers assigned to an interview.
    async fn interviewers(&self, interview_id: &str) -> Result<Vec<String>>;
    /// Records an answer once per (interview, round, item); the interview
    /// becomes in progress. Round 02 answers come in order: `position` is the
    /// item's index and must equal the interview's next position.
    async fn record_answer(
        &self,
        interview_id: &str,
        round: u32,
        item_id: &str,
        position: u32,
        text: &str,
    ) -> Result<AnswerOutcome>;
    async fn answers(&self, interview_id: &str) -> Result<Vec<Answer>>;
    /// [`Store::record_answer`] with a recording: `audio_id` must be a
    /// recording of the same interview not yet given with another answer;
    /// the link is written in the answer's transaction.
    #[allow(clippy::too_many_arguments)]
    async fn record_answer_with_audio(
        &self,
        interview_id: &str,
        round: u32,
        item_id: &str,
        position: u32,
        text: &str,
        audio_id: Option<&str>,
    ) -> Result<AnswerOutcome>;
    /// Records a recording's metadata once its blob is in place. `Conflict`
    /// when the interview no longer takes answers or already holds
    /// `max_per_interview` recordings.
    async fn create_audio(&self, audio: &StoredAudio, max_per_interview: u32) -> Result<()>;
    async fn audio(&self, id: &str) -> Result<Option<StoredAudio>>;
    /// The recordings of an interview, oldest first.
    async fn interview_audio(&self, interview_id: &str) -> Result<Vec<StoredAudio>>;
    async fn set_audio_transcript(&self, id: &str, transcript: &str) -> Result<()>;
    /// Saves a scorecard drafted by the automated evaluator as the
    /// interviewer's draft, marked automated: it never counts until a person
    /// submits it. `Conflict` when the interviewer's scorecard is submitted.
    async fn save_automated_scorecard(
        &self,
        interview_id: &str,
        interviewer_id: &str,
        card: &Scorecard,
        model: &str,
        actor: &Actor,
    ) -> Result<StoredScorecard>;
    /// Completes an open interview (a completed one is returned unchanged).
    async fn finish_interview(&self, interview_id: &str) -> Result<Interview>;
    /// Withdraws or expires an open interview.
    async fn close_interview(
        &self,
        interview_id: &str,
        status: Status,
        actor: &Actor,
    ) -> Result<Interview>;
    /// Saves an interviewer's scorecard as a new revision. Once submitted, the
    /// interview's scores and its version's figures are recomputed in the same
    /// transaction with `spec`, the pinned version.
    async fn save_scorecard(
        &self,
        interview_id: &str,
        interviewer_id: &str,
        card: &Scorecard,
        submit: bool,
        spec: &JobSpecBody,
        actor: &Actor,
    ) -> Result<StoredScorecard>;
    async fn scorecards(&self, interview_id: &str) -> Result<Vec<StoredScorecard>>;
    /// Live performance per version: constant work per version, whatever the
    /// number of interviews.
    async fn performance(&self, job_spec_id: &str) -> Result<Vec<VersionPerformance>>;
    /// Recomputes every figure from the raw rows; lists each difference.
    async fn verify(&self) -> Result<Vec<String>>;

    /// Places a person (history kept); the new placement becomes current in
    /// the same transaction. `NotFound` when the user does not exist.
    async fn place_person(&self, placement: &NewPlacement, actor: &Actor) -> Result<Placement>;
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
    ) -> Result<Assessment>;

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
