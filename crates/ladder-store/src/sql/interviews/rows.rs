//! The rows of the interview tables as the store reads them, and the steps
//! every interview write takes inside its transaction (load, insert,
//! assign, answer, drafts, link checks). `mod.rs` puts them together into
//! the `InterviewStore` operations.

use ladder_core::interview::{Status, Tenths};
use sqlx::AnyConnection;

use super::super::figures::bump;
use super::super::idempotency::complete_with;
use super::super::{audit, is_unique_violation, to_u32, SqlStore};
use crate::{
    now_millis, Actor, Answer, Backend, Completion, Draft, Interview, Invited, NewInvitation,
    Result, Store, StoreError, StoredAudio, StoredScorecard,
};

pub(in crate::sql) const INTERVIEW_COLUMNS: &str = "id, job_spec_id, version, candidate_name, candidate_email, status, expires_at, round2_position, \
     overall_tenths, fails_must_have, created_by, created_at, started_at, completed_at";

/// An `interviews` row: the status as text, the flag as 0/1.
#[derive(sqlx::FromRow)]
pub(in crate::sql) struct InterviewRow {
    pub(super) id: String,
    pub(super) job_spec_id: String,
    pub(super) version: i64,
    pub(super) candidate_name: String,
    pub(super) candidate_email: String,
    pub(super) status: String,
    pub(super) expires_at: i64,
    round2_position: i64,
    pub(super) overall_tenths: Option<i64>,
    pub(super) fails_must_have: i64,
    pub(super) created_by: String,
    pub(super) created_at: i64,
    pub(super) started_at: Option<i64>,
    pub(super) completed_at: Option<i64>,
}

impl TryFrom<InterviewRow> for Interview {
    type Error = StoreError;

    fn try_from(row: InterviewRow) -> Result<Interview> {
        Ok(Interview {
            status: Status::parse(&row.status)
                .ok_or_else(|| StoreError::Corrupt(format!("interview status {:?}", row.status)))?,
            id: row.id,
            job_spec_id: row.job_spec_id,
            version: to_u32(row.version),
            candidate_name: row.candidate_name,
            candidate_email: row.candidate_email,
            expires_at: row.expires_at,
            round2_position: to_u32(row.round2_position),
            overall: row
                .overall_tenths
                .map(|t| Tenths(u64::try_from(t).unwrap_or(0))),
            fails_must_have: row.fails_must_have != 0,
            created_by: row.created_by,
            created_at: row.created_at,
            started_at: row.started_at,
            completed_at: row.completed_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct AnswerRow {
    pub(super) round: i64,
    pub(super) item_id: String,
    pub(super) text: String,
    pub(super) audio_id: Option<String>,
    pub(super) created_at: i64,
}

impl From<AnswerRow> for Answer {
    fn from(row: AnswerRow) -> Answer {
        Answer {
            round: to_u32(row.round),
            item_id: row.item_id,
            text: row.text,
            audio_id: row.audio_id,
            created_at: row.created_at,
        }
    }
}

pub(super) const AUDIO_COLUMNS: &str =
    "id, interview_id, content_type, size, sha256, file_name, transcript, created_at";

#[derive(sqlx::FromRow)]
pub(super) struct AudioRow {
    pub(super) id: String,
    pub(super) interview_id: String,
    pub(super) content_type: String,
    pub(super) size: i64,
    sha256: String,
    pub(super) file_name: String,
    pub(super) transcript: Option<String>,
    pub(super) created_at: i64,
}

impl From<AudioRow> for StoredAudio {
    fn from(row: AudioRow) -> StoredAudio {
        StoredAudio {
            id: row.id,
            interview_id: row.interview_id,
            content_type: row.content_type,
            size: u64::try_from(row.size).unwrap_or(0),
            sha256: row.sha256,
            file_name: row.file_name,
            transcript: row.transcript,
            created_at: row.created_at,
        }
    }
}

pub(in crate::sql) const SCORECARD_COLUMNS: &str = "interview_id, interviewer_id, status, revision, body, updated_at, submitted_at, automated, drafted_by";

/// A `scorecards` row: the card as JSON, the status as text, the flag as 0/1.
#[derive(sqlx::FromRow)]
pub(in crate::sql) struct ScorecardRow {
    pub(super) interview_id: String,
    pub(super) interviewer_id: String,
    pub(super) status: String,
    pub(super) revision: i64,
    pub(super) body: String,
    pub(super) updated_at: i64,
    pub(super) submitted_at: Option<i64>,
    pub(super) automated: i64,
    pub(super) drafted_by: Option<String>,
}

impl TryFrom<ScorecardRow> for StoredScorecard {
    type Error = StoreError;

    fn try_from(row: ScorecardRow) -> Result<StoredScorecard> {
        Ok(StoredScorecard {
            card: serde_json::from_str(&row.body)
                .map_err(|error| StoreError::Corrupt(format!("scorecard: {error}")))?,
            interview_id: row.interview_id,
            interviewer_id: row.interviewer_id,
            submitted: row.status == "submitted",
            revision: to_u32(row.revision),
            updated_at: row.updated_at,
            submitted_at: row.submitted_at,
            automated: row.automated != 0,
            drafted_by: row.drafted_by,
        })
    }
}

/// Reads an interview inside a write transaction. On PostgreSQL the row is
/// locked, so concurrent writers to one interview queue instead of each
/// counting from the same stale state (SQLite's write transactions are
/// already serial).
pub(super) async fn interview_in(
    conn: &mut AnyConnection,
    id: &str,
    backend: Backend,
) -> Result<Interview> {
    let lock = if backend == Backend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let row = sqlx::query_as::<_, InterviewRow>(&format!(
        "SELECT {INTERVIEW_COLUMNS} FROM interviews WHERE id = $1{lock}"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => Interview::try_from(row),
        None => Err(StoreError::NotFound(format!("interview {id}"))),
    }
}

/// Inserts one invited interview on `conn` (the caller's transaction),
/// counts it in its version's figures and assigns its interviewers: the one
/// insert path of single and batch invitations.
pub(super) async fn insert_interview(
    conn: &mut AnyConnection,
    backend: Backend,
    job_spec_id: &str,
    version: u32,
    row: &NewInvitation,
    actor: &Actor,
) -> Result<Interview> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = now_millis();
    sqlx::query(
        "INSERT INTO interviews (id, job_spec_id, version, candidate_name, candidate_email, status, token_hash, expires_at, round2_position, fails_must_have, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'invited', $6, $7, 0, 0, $8, $9)",
    )
    .bind(&id)
    .bind(job_spec_id)
    .bind(i64::from(version))
    .bind(&row.candidate_name)
    .bind(&row.candidate_email)
    .bind(&row.token_hash)
    .bind(row.expires_at)
    .bind(&actor.label)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    bump(conn, job_spec_id, version, "interviews", 1).await?;
    audit(conn, actor, "interview.invite", &id, serde_json::json!({ "job_spec": job_spec_id, "version": version, "candidate": row.candidate_email })).await?;
    for user in &row.interviewers {
        assign_in(conn, &id, user, actor).await?;
    }
    interview_in(conn, &id, backend).await
}

/// Assigns an interviewer on `conn` (idempotent; audited only when new).
pub(super) async fn assign_in(
    conn: &mut AnyConnection,
    interview_id: &str,
    user_id: &str,
    actor: &Actor,
) -> Result<()> {
    let inserted = sqlx::query("INSERT INTO interview_interviewers (interview_id, user_id) VALUES ($1, $2) ON CONFLICT (interview_id, user_id) DO NOTHING")
        .bind(interview_id)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    if inserted.rows_affected() > 0 {
        audit(
            conn,
            actor,
            "interview.assign",
            interview_id,
            serde_json::json!({ "interviewer": user_id }),
        )
        .await?;
    }
    Ok(())
}

/// One answer of an interview, on `conn`.
pub(super) async fn answer_in(
    conn: &mut AnyConnection,
    interview_id: &str,
    round: u32,
    item_id: &str,
) -> Result<Option<Answer>> {
    let row = sqlx::query_as::<_, AnswerRow>("SELECT round, item_id, text, audio_id, created_at FROM answers WHERE interview_id = $1 AND round = $2 AND item_id = $3")
        .bind(interview_id)
        .bind(i64::from(round))
        .bind(item_id)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(Answer::from))
}

/// An interview's answers, on `conn`.
pub(super) async fn answers_in(
    conn: &mut AnyConnection,
    interview_id: &str,
) -> Result<Vec<Answer>> {
    let rows = sqlx::query_as::<_, AnswerRow>("SELECT round, item_id, text, audio_id, created_at FROM answers WHERE interview_id = $1 ORDER BY round, created_at, item_id")
        .bind(interview_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows.into_iter().map(Answer::from).collect())
}

/// The interviewers assigned to an interview, on `conn`.
pub(super) async fn interviewers_in(
    conn: &mut AnyConnection,
    interview_id: &str,
) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT user_id FROM interview_interviewers WHERE interview_id = $1 ORDER BY user_id",
    )
    .bind(interview_id)
    .fetch_all(&mut *conn)
    .await?)
}

#[derive(sqlx::FromRow)]
pub(super) struct DraftRow {
    pub(super) round: i64,
    pub(super) item_id: String,
    pub(super) text: String,
    pub(super) updated_at: i64,
}

impl From<DraftRow> for Draft {
    fn from(row: DraftRow) -> Draft {
        Draft {
            round: to_u32(row.round),
            item_id: row.item_id,
            text: row.text,
            updated_at: row.updated_at,
        }
    }
}

/// Deletes one item's draft, on `conn`.
pub(super) async fn delete_draft(
    conn: &mut AnyConnection,
    interview_id: &str,
    round: u32,
    item_id: &str,
) -> Result<()> {
    sqlx::query(
        "DELETE FROM answer_drafts WHERE interview_id = $1 AND round = $2 AND item_id = $3",
    )
    .bind(interview_id)
    .bind(i64::from(round))
    .bind(item_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The latest interview of a job spec for an e-mail address (without regard
/// to case), on `conn`.
pub(super) async fn latest_invitation(
    conn: &mut AnyConnection,
    job_spec_id: &str,
    email: &str,
) -> Result<Option<Interview>> {
    let row = sqlx::query_as::<_, InterviewRow>(&format!(
        "SELECT {INTERVIEW_COLUMNS} FROM interviews WHERE job_spec_id = $1 AND lower(candidate_email) = lower($2) ORDER BY created_at DESC, id DESC LIMIT 1"
    ))
    .bind(job_spec_id)
    .bind(email)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(Interview::try_from).transpose()
}

/// Refuses to change the link of an interview that is over for good.
pub(super) fn link_changeable(interview: &Interview) -> Result<()> {
    match interview.status {
        Status::Completed | Status::Withdrawn => Err(StoreError::Conflict(format!(
            "the interview is {}; its link has nothing left to open",
            interview.status.as_str()
        ))),
        _ => Ok(()),
    }
}

/// The status an expired interview opens again with.
pub(super) fn reopened(interview: &Interview) -> Status {
    match interview.status {
        Status::Expired if interview.started_at.is_some() => Status::InProgress,
        Status::Expired => Status::Invited,
        other => other,
    }
}

impl SqlStore {
    /// Inserts `rows` in one transaction, leaving out (unless `again` says
    /// otherwise) the candidates already invited to the job spec; see
    /// [`InterviewStore::invite_candidates`].
    pub(super) async fn insert_invitations(
        &self,
        job_spec_id: &str,
        version: u32,
        rows: &[NewInvitation],
        again: impl Fn(usize) -> bool,
        actor: &Actor,
        done: Option<Completion<'_, Invited>>,
    ) -> Result<Invited> {
        let backend = self.backend();
        let mut tx = self.begin().await?;
        if backend == Backend::Postgres {
            // Invitations to one job spec queue here, so two batches cannot
            // both find an e-mail not yet invited. (Not FOR UPDATE: that would
            // also wait for the key-share locks of rows referring to the job
            // spec, which other writers take while holding figure rows this
            // transaction then updates.)
            sqlx::query("SELECT id FROM job_specs WHERE id = $1 FOR NO KEY UPDATE")
                .bind(job_spec_id)
                .fetch_optional(&mut *tx)
                .await?;
        }
        let mut invited = Invited::default();
        for (index, row) in rows.iter().enumerate() {
            if !again(index) {
                if let Some(earlier) =
                    latest_invitation(&mut tx, job_spec_id, &row.candidate_email).await?
                {
                    invited.already.push((index, earlier));
                    continue;
                }
            }
            let interview = insert_interview(&mut tx, backend, job_spec_id, version, row, actor)
                .await
                .map_err(|error| {
                    if is_unique_violation(&error) {
                        StoreError::Conflict(format!(
                            "invitation {} of {} ({}): its candidate token is already in use; nothing was created",
                            index + 1,
                            rows.len(),
                            row.candidate_email
                        ))
                    } else {
                        error
                    }
                })?;
            invited.created.push(interview);
        }
        if invited.created.is_empty() {
            // Nothing to write: the transaction rolls back unused.
            return Ok(invited);
        }
        complete_with(&mut tx, done.as_ref(), &invited).await?;
        tx.commit().await?;
        Ok(invited)
    }
}
