//! Interviews: invitations, the candidate's answers and recordings,
//! scorecards (a person's or the automated evaluator's), and the live
//! figures of each job-spec version.

use async_trait::async_trait;
use ladder_core::interview::{Scorecard, Status, Tenths};
use ladder_core::jobspec::JobSpecBody;
use serde::Serialize;

use crate::{Actor, Completion, Result};

/// Interviews of a published job-spec version: inviting candidates and
/// assigning interviewers, recording answers and audio, scorecards
/// (including automated drafts), finishing and closing, the live
/// performance figures, and `verify`, which recomputes those figures.
#[async_trait]
pub trait InterviewStore: Send + Sync {
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
        done: Option<Completion<'_, [Interview]>>,
    ) -> Result<Vec<Interview>>;
    /// [`InterviewStore::create_interviews`] for candidates not invited yet:
    /// a row whose e-mail (compared without regard to case) already has an
    /// interview of `job_spec_id` — any version and status, or an earlier
    /// row of this batch — is not invited unless `again[i]` is true for
    /// `rows[i]` (a missing entry is false); [`Invited::already`] names the
    /// latest such interview. The check and the inserts are one transaction
    /// (on PostgreSQL the job spec's row is locked, so two batches cannot both
    /// pass it). When nothing is created, nothing is written and `done` is
    /// not completed.
    async fn invite_candidates(
        &self,
        job_spec_id: &str,
        version: u32,
        rows: &[NewInvitation],
        again: &[bool],
        actor: &Actor,
        done: Option<Completion<'_, Invited>>,
    ) -> Result<Invited>;
    async fn interview(&self, id: &str) -> Result<Option<Interview>>;
    /// The interview a candidate token opens, if the token is known.
    async fn interview_by_token(&self, token_hash: &str) -> Result<Option<Interview>>;
    async fn interviews(&self, job_spec_id: &str) -> Result<Vec<Interview>>;
    /// Assigns an interviewer (idempotent); the interviewers assigned after.
    async fn assign_interviewer(
        &self,
        interview_id: &str,
        user_id: &str,
        actor: &Actor,
        done: Option<Completion<'_, [String]>>,
    ) -> Result<Vec<String>>;
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
    /// [`InterviewStore::record_answer`] with a recording: `audio_id` must be a
    /// recording of the same interview not yet given with another answer;
    /// the link is written in the answer's transaction. Also returns the
    /// interview and its answers as the transaction left them.
    #[allow(clippy::too_many_arguments)]
    async fn record_answer_with_audio(
        &self,
        interview_id: &str,
        round: u32,
        item_id: &str,
        position: u32,
        text: &str,
        audio_id: Option<&str>,
        done: Option<Completion<'_, RecordedAnswer>>,
    ) -> Result<RecordedAnswer>;
    /// Saves the candidate's unsent text, one draft per (round, item), last
    /// write wins; an empty (or blank) text deletes the draft. An item that is
    /// already answered keeps no draft ([`DraftOutcome::Answered`]). All of
    /// `drafts` in one transaction; `Conflict` when the interview no longer
    /// takes answers.
    async fn save_drafts(
        &self,
        interview_id: &str,
        drafts: &[DraftInput],
    ) -> Result<Vec<DraftOutcome>>;
    /// An interview's drafts, by round and item.
    async fn drafts(&self, interview_id: &str) -> Result<Vec<Draft>>;
    /// Moves the candidate link's expiry `by_millis` later, counted from the
    /// current expiry or, when that has passed, from now. An expired
    /// interview opens again. `Invalid` (field `days`) when the new expiry
    /// would be after `latest`; `Conflict` for a completed or withdrawn
    /// interview. Audited.
    async fn extend_link(
        &self,
        interview_id: &str,
        by_millis: i64,
        latest: i64,
        actor: &Actor,
        done: Option<Completion<'_, Interview>>,
    ) -> Result<Interview>;
    /// Gives the interview a new candidate token (its hash): the old one opens
    /// nothing from this transaction on. A link that has expired gets
    /// `fresh_expires_at` and the interview opens again; otherwise the
    /// expiry stays. `Conflict` for a completed or withdrawn interview (or a
    /// token hash in use). Audited.
    async fn replace_link(
        &self,
        interview_id: &str,
        token_hash: &str,
        fresh_expires_at: i64,
        actor: &Actor,
        done: Option<Completion<'_, Interview>>,
    ) -> Result<Interview>;
    /// Records a recording's metadata once its blob is in place. `Conflict`
    /// when the interview no longer takes answers or already holds
    /// `max_per_interview` recordings.
    async fn create_audio(
        &self,
        audio: &StoredAudio,
        max_per_interview: u32,
        done: Option<Completion<'_, ()>>,
    ) -> Result<()>;
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
        done: Option<Completion<'_, StoredScorecard>>,
    ) -> Result<StoredScorecard>;
    /// Completes an open interview (a completed one is returned unchanged),
    /// with its answers.
    async fn finish_interview(
        &self,
        interview_id: &str,
        done: Option<Completion<'_, FinishedInterview>>,
    ) -> Result<FinishedInterview>;
    /// Withdraws or expires an open interview.
    async fn close_interview(
        &self,
        interview_id: &str,
        status: Status,
        actor: &Actor,
        done: Option<Completion<'_, Interview>>,
    ) -> Result<Interview>;
    /// Saves an interviewer's scorecard as a new revision. Once submitted, the
    /// interview's scores and its version's figures are recomputed in the same
    /// transaction with `spec`, the pinned version.
    #[allow(clippy::too_many_arguments)]
    async fn save_scorecard(
        &self,
        interview_id: &str,
        interviewer_id: &str,
        card: &Scorecard,
        submit: bool,
        spec: &JobSpecBody,
        actor: &Actor,
        done: Option<Completion<'_, SavedScorecard>>,
    ) -> Result<SavedScorecard>;
    async fn scorecards(&self, interview_id: &str) -> Result<Vec<StoredScorecard>>;
    /// Live performance per version: constant work per version, whatever the
    /// number of interviews.
    async fn performance(&self, job_spec_id: &str) -> Result<Vec<VersionPerformance>>;
    /// Recomputes every figure from the raw rows; lists each difference.
    async fn verify(&self) -> Result<Vec<String>>;
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

/// One candidate of [`InterviewStore::create_interviews`]: who is invited, the
/// hash of their link's token, when the link expires and the interviewers to
/// assign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    pub candidate_name: String,
    pub candidate_email: String,
    pub token_hash: String,
    pub expires_at: i64,
    /// User ids of interviewers to assign (each must be a user).
    pub interviewers: Vec<String>,
}

/// What [`InterviewStore::invite_candidates`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Invited {
    /// The interviews created, in the order of their rows.
    pub created: Vec<Interview>,
    /// (index in `rows`, the latest interview of the job spec with that
    /// e-mail) for each row left out because its candidate was invited
    /// before.
    pub already: Vec<(usize, Interview)>,
}

/// A candidate's unsent text for one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftInput {
    pub round: u32,
    pub item_id: String,
    /// Empty (or blank): delete the draft.
    pub text: String,
}

/// A saved draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draft {
    pub round: u32,
    pub item_id: String,
    pub text: String,
    pub updated_at: i64,
}

/// What saving one draft did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftOutcome {
    Saved(Draft),
    /// The text was empty: no draft is kept.
    Deleted,
    /// The item is already answered: no draft is kept.
    Answered,
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

/// An answer given, with the interview and its answers as its transaction
/// left them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedAnswer {
    pub outcome: AnswerOutcome,
    pub interview: Interview,
    pub answers: Vec<Answer>,
}

/// A completed interview with its answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinishedInterview {
    pub interview: Interview,
    pub answers: Vec<Answer>,
}

/// A saved scorecard, with the interview as the save left it (its overall
/// score recomputed when a submitted scorecard changed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedScorecard {
    pub scorecard: StoredScorecard,
    pub interview: Interview,
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
