//! Interviews on SQL: invitations, answers, recordings and scorecards. The
//! live figures they move are in `figures.rs`; they are only ever changed
//! inside the transaction that changes what they count.

use async_trait::async_trait;
use ladder_core::interview::{Scorecard, Status};
use ladder_core::jobspec::JobSpecBody;

use super::figures::bump;
use super::idempotency::complete_with;
use super::{audit, is_unique_violation, signed, SqlStore};
use crate::{
    now_millis, Actor, Answer, AnswerOutcome, Completion, Draft, DraftInput, DraftOutcome,
    FinishedInterview, Interview, InterviewStore, Invited, NewInvitation, RecordedAnswer, Result,
    SavedScorecard, Store, StoreError, StoredAudio, StoredScorecard, VersionPerformance,
};

mod rows;

use rows::*;
pub(super) use rows::{InterviewRow, ScorecardRow, INTERVIEW_COLUMNS, SCORECARD_COLUMNS};

#[async_trait]
impl InterviewStore for SqlStore {
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
    ) -> Result<Interview> {
        let row = NewInvitation {
            candidate_name: candidate_name.to_string(),
            candidate_email: candidate_email.to_string(),
            token_hash: token_hash.to_string(),
            expires_at,
            interviewers: Vec::new(),
        };
        let mut tx = self.begin().await?;
        let interview =
            insert_interview(&mut tx, self.backend(), job_spec_id, version, &row, actor).await?;
        tx.commit().await?;
        Ok(interview)
    }

    /// All of `rows` in one transaction: an error on any row (a duplicate
    /// token, an unknown interviewer) rolls back every row before it, so
    /// nothing is created and the figures are unchanged.
    async fn create_interviews(
        &self,
        job_spec_id: &str,
        version: u32,
        rows: &[NewInvitation],
        actor: &Actor,
        done: Option<Completion<'_, [Interview]>>,
    ) -> Result<Vec<Interview>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let respond = done.as_ref().map(|done| {
            let respond = done.respond;
            move |invited: &Invited| respond(invited.created.as_slice())
        });
        let completion = match (&done, &respond) {
            (Some(done), Some(respond)) => Some(Completion {
                claim: done.claim,
                respond: respond as &(dyn Fn(&Invited) -> crate::IdempotentResponse + Send + Sync),
            }),
            _ => None,
        };
        let invited = self
            .insert_invitations(job_spec_id, version, rows, |_| true, actor, completion)
            .await?;
        Ok(invited.created)
    }

    async fn invite_candidates(
        &self,
        job_spec_id: &str,
        version: u32,
        rows: &[NewInvitation],
        again: &[bool],
        actor: &Actor,
        done: Option<Completion<'_, Invited>>,
    ) -> Result<Invited> {
        self.insert_invitations(
            job_spec_id,
            version,
            rows,
            |index| again.get(index).copied().unwrap_or(false),
            actor,
            done,
        )
        .await
    }

    async fn interview(&self, id: &str) -> Result<Option<Interview>> {
        let row = sqlx::query_as::<_, InterviewRow>(&format!(
            "SELECT {INTERVIEW_COLUMNS} FROM interviews WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Interview::try_from).transpose()
    }

    async fn interview_by_token(&self, token_hash: &str) -> Result<Option<Interview>> {
        let row = sqlx::query_as::<_, InterviewRow>(&format!(
            "SELECT {INTERVIEW_COLUMNS} FROM interviews WHERE token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Interview::try_from).transpose()
    }

    async fn interviews(&self, job_spec_id: &str) -> Result<Vec<Interview>> {
        let rows = sqlx::query_as::<_, InterviewRow>(&format!("SELECT {INTERVIEW_COLUMNS} FROM interviews WHERE job_spec_id = $1 ORDER BY created_at, id"))
            .bind(job_spec_id)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(Interview::try_from).collect()
    }

    async fn assign_interviewer(
        &self,
        interview_id: &str,
        user_id: &str,
        actor: &Actor,
        done: Option<Completion<'_, [String]>>,
    ) -> Result<Vec<String>> {
        let mut tx = self.begin().await?;
        interview_in(&mut tx, interview_id, self.backend()).await?;
        assign_in(&mut tx, interview_id, user_id, actor).await?;
        let assigned = interviewers_in(&mut tx, interview_id).await?;
        complete_with(&mut tx, done.as_ref(), assigned.as_slice()).await?;
        tx.commit().await?;
        Ok(assigned)
    }

    async fn interviewers(&self, interview_id: &str) -> Result<Vec<String>> {
        let mut conn = self.pool.acquire().await?;
        interviewers_in(&mut conn, interview_id).await
    }

    async fn record_answer(
        &self,
        interview_id: &str,
        round: u32,
        item_id: &str,
        position: u32,
        text: &str,
    ) -> Result<AnswerOutcome> {
        self.record_answer_with_audio(interview_id, round, item_id, position, text, None, None)
            .await
            .map(|recorded| recorded.outcome)
    }

    async fn record_answer_with_audio(
        &self,
        interview_id: &str,
        round: u32,
        item_id: &str,
        position: u32,
        text: &str,
        audio_id: Option<&str>,
        done: Option<Completion<'_, RecordedAnswer>>,
    ) -> Result<RecordedAnswer> {
        let now = now_millis();
        let mut tx = self.begin().await?;
        let interview = interview_in(&mut tx, interview_id, self.backend()).await?;
        if let Some(existing) = answer_in(&mut tx, interview_id, round, item_id).await? {
            // A repeat: the first answer stands, whatever the interview's state.
            let repeated = RecordedAnswer {
                outcome: AnswerOutcome::AlreadyAnswered(existing),
                answers: answers_in(&mut tx, interview_id).await?,
                interview,
            };
            complete_with(&mut tx, done.as_ref(), &repeated).await?;
            tx.commit().await?;
            return Ok(repeated);
        }
        if !interview.status.is_open() {
            return Err(StoreError::Conflict(format!(
                "the interview is {}; answers can no longer change",
                interview.status.as_str()
            )));
        }
        if round == 2 && position != interview.round2_position {
            return Err(StoreError::Conflict(format!(
                "Round 02 is answered in order: answer prompt {} next",
                interview.round2_position + 1
            )));
        }
        if let Some(audio_id) = audio_id {
            // Checked under the interview's lock (PostgreSQL) or the write
            // lock (SQLite), so two answers cannot both take one recording.
            let owner: Option<String> =
                sqlx::query_scalar("SELECT interview_id FROM interview_audio WHERE id = $1")
                    .bind(audio_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if owner.as_deref() != Some(interview_id) {
                return Err(StoreError::NotFound(format!(
                    "recording {audio_id} of this interview"
                )));
            }
            let taken: Option<String> =
                sqlx::query_scalar("SELECT item_id FROM answers WHERE audio_id = $1")
                    .bind(audio_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if taken.is_some() {
                return Err(StoreError::Conflict(
                    "this recording was already sent with another answer; record a new one"
                        .to_string(),
                ));
            }
        }
        // The interview's row lock (PostgreSQL) or the write lock (SQLite)
        // serialises answers to one interview, so the check above stands and
        // the insert cannot meet a concurrent duplicate.
        sqlx::query("INSERT INTO answers (interview_id, round, item_id, text, audio_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(interview_id)
            .bind(i64::from(round))
            .bind(item_id)
            .bind(text)
            .bind(audio_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        delete_draft(&mut tx, interview_id, round, item_id).await?;
        let advance = i64::from(round == 2);
        sqlx::query(
            "UPDATE interviews SET status = 'in_progress', started_at = COALESCE(started_at, $1), round2_position = round2_position + $2 WHERE id = $3",
        )
        .bind(now)
        .bind(advance)
        .bind(interview_id)
        .execute(&mut *tx)
        .await?;
        let recorded = RecordedAnswer {
            outcome: AnswerOutcome::Recorded(Answer {
                round,
                item_id: item_id.to_string(),
                text: text.to_string(),
                audio_id: audio_id.map(str::to_string),
                created_at: now,
            }),
            interview: interview_in(&mut tx, interview_id, self.backend()).await?,
            answers: answers_in(&mut tx, interview_id).await?,
        };
        complete_with(&mut tx, done.as_ref(), &recorded).await?;
        tx.commit().await?;
        Ok(recorded)
    }

    async fn answers(&self, interview_id: &str) -> Result<Vec<Answer>> {
        let mut conn = self.pool.acquire().await?;
        answers_in(&mut conn, interview_id).await
    }

    async fn finish_interview(
        &self,
        interview_id: &str,
        done: Option<Completion<'_, FinishedInterview>>,
    ) -> Result<FinishedInterview> {
        let mut tx = self.begin().await?;
        let interview = interview_in(&mut tx, interview_id, self.backend()).await?;
        match interview.status {
            Status::Completed => {
                let finished = FinishedInterview {
                    answers: answers_in(&mut tx, interview_id).await?,
                    interview,
                };
                complete_with(&mut tx, done.as_ref(), &finished).await?;
                tx.commit().await?;
                return Ok(finished);
            }
            status if !status.is_open() => {
                return Err(StoreError::Conflict(format!(
                    "the interview is {}",
                    status.as_str()
                )));
            }
            _ => {}
        }
        // Text never sent goes with the interview's end.
        sqlx::query("DELETE FROM answer_drafts WHERE interview_id = $1")
            .bind(interview_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE interviews SET status = 'completed', completed_at = $1, started_at = COALESCE(started_at, $1) WHERE id = $2")
            .bind(now_millis())
            .bind(interview_id)
            .execute(&mut *tx)
            .await?;
        bump(
            &mut tx,
            &interview.job_spec_id,
            interview.version,
            "completed",
            1,
        )
        .await?;
        let finished = FinishedInterview {
            interview: interview_in(&mut tx, interview_id, self.backend()).await?,
            answers: answers_in(&mut tx, interview_id).await?,
        };
        complete_with(&mut tx, done.as_ref(), &finished).await?;
        tx.commit().await?;
        Ok(finished)
    }

    async fn close_interview(
        &self,
        interview_id: &str,
        status: Status,
        actor: &Actor,
        done: Option<Completion<'_, Interview>>,
    ) -> Result<Interview> {
        if !matches!(status, Status::Withdrawn | Status::Expired) {
            return Err(StoreError::Conflict(
                "an interview can only be closed as withdrawn or expired".to_string(),
            ));
        }
        let mut tx = self.begin().await?;
        let interview = interview_in(&mut tx, interview_id, self.backend()).await?;
        if !interview.status.is_open() {
            return Err(StoreError::Conflict(format!(
                "the interview is already {}",
                interview.status.as_str()
            )));
        }
        if status == Status::Withdrawn {
            // A withdrawn interview never opens again: its unsent text goes.
            sqlx::query("DELETE FROM answer_drafts WHERE interview_id = $1")
                .bind(interview_id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE interviews SET status = $1 WHERE id = $2")
            .bind(status.as_str())
            .bind(interview_id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            actor,
            "interview.close",
            interview_id,
            serde_json::json!({ "status": status.as_str() }),
        )
        .await?;
        let closed = interview_in(&mut tx, interview_id, self.backend()).await?;
        complete_with(&mut tx, done.as_ref(), &closed).await?;
        tx.commit().await?;
        Ok(closed)
    }

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
    ) -> Result<SavedScorecard> {
        let now = now_millis();
        let body =
            serde_json::to_string(card).map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let mut tx = self.begin().await?;
        let interview = interview_in(&mut tx, interview_id, self.backend()).await?;
        let previous = sqlx::query_as::<_, ScorecardRow>(&format!("SELECT {SCORECARD_COLUMNS} FROM scorecards WHERE interview_id = $1 AND interviewer_id = $2"))
            .bind(interview_id)
            .bind(interviewer_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(StoredScorecard::try_from)
            .transpose()?;
        // Once submitted a scorecard stays submitted; later saves amend it.
        let submitted = submit || previous.as_ref().is_some_and(|p| p.submitted);
        let revision = previous.as_ref().map_or(1, |p| p.revision + 1);
        let submitted_at = previous
            .as_ref()
            .and_then(|p| p.submitted_at)
            .or(submitted.then_some(now));
        // An automated draft stays marked until a person submits it; who
        // drafted it is kept.
        let automated = !submitted && previous.as_ref().is_some_and(|p| p.automated);
        let drafted_by = previous.as_ref().and_then(|p| p.drafted_by.clone());
        match &previous {
            None => {
                sqlx::query("INSERT INTO scorecards (interview_id, interviewer_id, status, revision, body, updated_at, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(interview_id)
                    .bind(interviewer_id)
                    .bind(if submitted { "submitted" } else { "draft" })
                    .bind(i64::from(revision))
                    .bind(&body)
                    .bind(now)
                    .bind(submitted_at)
                    .execute(&mut *tx)
                    .await?;
            }
            Some(earlier) => {
                if earlier.submitted {
                    // The amended revision stays readable in the audit log.
                    audit(
                        &mut tx,
                        actor,
                        "scorecard.amend",
                        interview_id,
                        serde_json::json!({ "interviewer": interviewer_id, "replaced_revision": earlier.revision, "replaced": earlier.card }),
                    )
                    .await?;
                }
                sqlx::query("UPDATE scorecards SET status = $1, revision = $2, body = $3, updated_at = $4, submitted_at = $5, automated = $6 WHERE interview_id = $7 AND interviewer_id = $8")
                    .bind(if submitted { "submitted" } else { "draft" })
                    .bind(i64::from(revision))
                    .bind(&body)
                    .bind(now)
                    .bind(submitted_at)
                    .bind(i64::from(automated))
                    .bind(interview_id)
                    .bind(interviewer_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        if submitted {
            self.rescore(&mut tx, &interview, spec).await?;
            if submit && !previous.as_ref().is_some_and(|p| p.submitted) {
                let mut detail =
                    serde_json::json!({ "interviewer": interviewer_id, "revision": revision });
                if let Some(model) = previous
                    .as_ref()
                    .filter(|p| p.automated)
                    .and_then(|p| p.drafted_by.as_deref())
                {
                    // A person reviewed the evaluator's draft and submitted it.
                    detail["origin"] = serde_json::json!("automated_draft");
                    detail["drafted_by"] = serde_json::json!(model);
                }
                audit(&mut tx, actor, "scorecard.submit", interview_id, detail).await?;
            }
        }
        let saved = SavedScorecard {
            scorecard: StoredScorecard {
                interview_id: interview_id.to_string(),
                interviewer_id: interviewer_id.to_string(),
                submitted,
                revision,
                card: card.clone(),
                updated_at: now,
                submitted_at,
                automated,
                drafted_by,
            },
            interview: interview_in(&mut tx, interview_id, self.backend()).await?,
        };
        complete_with(&mut tx, done.as_ref(), &saved).await?;
        tx.commit().await?;
        Ok(saved)
    }

    async fn save_automated_scorecard(
        &self,
        interview_id: &str,
        interviewer_id: &str,
        card: &Scorecard,
        model: &str,
        actor: &Actor,
        done: Option<Completion<'_, StoredScorecard>>,
    ) -> Result<StoredScorecard> {
        let now = now_millis();
        let body =
            serde_json::to_string(card).map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let mut tx = self.begin().await?;
        interview_in(&mut tx, interview_id, self.backend()).await?;
        let previous = sqlx::query_as::<_, ScorecardRow>(&format!("SELECT {SCORECARD_COLUMNS} FROM scorecards WHERE interview_id = $1 AND interviewer_id = $2"))
            .bind(interview_id)
            .bind(interviewer_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(StoredScorecard::try_from)
            .transpose()?;
        if previous.as_ref().is_some_and(|p| p.submitted) {
            return Err(StoreError::Conflict(
                "your scorecard is already submitted; an automated draft would not replace it (amend it yourself)".to_string(),
            ));
        }
        let revision = previous.as_ref().map_or(1, |p| p.revision + 1);
        if previous.is_some() {
            sqlx::query("UPDATE scorecards SET revision = $1, body = $2, updated_at = $3, automated = 1, drafted_by = $4 WHERE interview_id = $5 AND interviewer_id = $6")
                .bind(i64::from(revision))
                .bind(&body)
                .bind(now)
                .bind(model)
                .bind(interview_id)
                .bind(interviewer_id)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query("INSERT INTO scorecards (interview_id, interviewer_id, status, revision, body, updated_at, submitted_at, automated, drafted_by) VALUES ($1, $2, 'draft', $3, $4, $5, NULL, 1, $6)")
                .bind(interview_id)
                .bind(interviewer_id)
                .bind(i64::from(revision))
                .bind(&body)
                .bind(now)
                .bind(model)
                .execute(&mut *tx)
                .await?;
        }
        audit(
            &mut tx,
            actor,
            "scorecard.automated_draft",
            interview_id,
            serde_json::json!({ "interviewer": interviewer_id, "revision": revision, "model": model, "replaced_draft": previous.is_some() }),
        )
        .await?;
        let drafted = StoredScorecard {
            interview_id: interview_id.to_string(),
            interviewer_id: interviewer_id.to_string(),
            submitted: false,
            revision,
            card: card.clone(),
            updated_at: now,
            submitted_at: None,
            automated: true,
            drafted_by: Some(model.to_string()),
        };
        complete_with(&mut tx, done.as_ref(), &drafted).await?;
        tx.commit().await?;
        Ok(drafted)
    }

    async fn save_drafts(
        &self,
        interview_id: &str,
        drafts: &[DraftInput],
    ) -> Result<Vec<DraftOutcome>> {
        let now = now_millis();
        let mut tx = self.begin().await?;
        // Under the interview's lock, like answers: a draft saved while its
        // answer is sent is either deleted by the answer or refused here.
        let interview = interview_in(&mut tx, interview_id, self.backend()).await?;
        if !interview.status.is_open() {
            return Err(StoreError::Conflict(format!(
                "the interview is {}; unsent answers are no longer kept",
                interview.status.as_str()
            )));
        }
        let mut outcomes = Vec::with_capacity(drafts.len());
        for draft in drafts {
            if answer_in(&mut tx, interview_id, draft.round, &draft.item_id)
                .await?
                .is_some()
            {
                delete_draft(&mut tx, interview_id, draft.round, &draft.item_id).await?;
                outcomes.push(DraftOutcome::Answered);
                continue;
            }
            if draft.text.trim().is_empty() {
                delete_draft(&mut tx, interview_id, draft.round, &draft.item_id).await?;
                outcomes.push(DraftOutcome::Deleted);
                continue;
            }
            sqlx::query(
                "INSERT INTO answer_drafts (interview_id, round, item_id, text, updated_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (interview_id, round, item_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
            )
            .bind(interview_id)
            .bind(i64::from(draft.round))
            .bind(&draft.item_id)
            .bind(&draft.text)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            outcomes.push(DraftOutcome::Saved(Draft {
                round: draft.round,
                item_id: draft.item_id.clone(),
                text: draft.text.clone(),
                updated_at: now,
            }));
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    async fn drafts(&self, interview_id: &str) -> Result<Vec<Draft>> {
        let rows = sqlx::query_as::<_, DraftRow>(
            "SELECT round, item_id, text, updated_at FROM answer_drafts WHERE interview_id = $1 ORDER BY round, item_id",
        )
        .bind(interview_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Draft::from).collect())
    }

    async fn extend_link(
        &self,
        interview_id: &str,
        by_millis: i64,
        latest: i64,
        actor: &Actor,
        done: Option<Completion<'_, Interview>>,
    ) -> Result<Interview> {
        let now = now_millis();
        let mut tx = self.begin().await?;
        let interview = interview_in(&mut tx, interview_id, self.backend()).await?;
        link_changeable(&interview)?;
        let expires_at = interview.expires_at.max(now).saturating_add(by_millis);
        if by_millis <= 0 || expires_at > latest {
            return Err(StoreError::Invalid(vec![ladder_core::jobspec::Problem {
                field: "days".to_string(),
                message: "the link would run longer than a link may; extend it by fewer days"
                    .to_string(),
            }]));
        }
        let status = reopened(&interview);
        sqlx::query("UPDATE interviews SET expires_at = $1, status = $2 WHERE id = $3")
            .bind(expires_at)
            .bind(status.as_str())
            .bind(interview_id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            actor,
            "interview.link_extend",
            interview_id,
            serde_json::json!({ "from": interview.expires_at, "to": expires_at, "reopened": status != interview.status }),
        )
        .await?;
        let extended = interview_in(&mut tx, interview_id, self.backend()).await?;
        complete_with(&mut tx, done.as_ref(), &extended).await?;
        tx.commit().await?;
        Ok(extended)
    }

    async fn replace_link(
        &self,
        interview_id: &str,
        token_hash: &str,
        fresh_expires_at: i64,
        actor: &Actor,
        done: Option<Completion<'_, Interview>>,
    ) -> Result<Interview> {
        let now = now_millis();
        let mut tx = self.begin().await?;
        let interview = interview_in(&mut tx, interview_id, self.backend()).await?;
        link_changeable(&interview)?;
        let lapsed = interview.status == Status::Expired || interview.expires_at < now;
        let expires_at = if lapsed {
            fresh_expires_at
        } else {
            interview.expires_at
        };
        let status = reopened(&interview);
        sqlx::query(
            "UPDATE interviews SET token_hash = $1, expires_at = $2, status = $3 WHERE id = $4",
        )
        .bind(token_hash)
        .bind(expires_at)
        .bind(status.as_str())
        .bind(interview_id)
        .execute(&mut *tx)
        .await
        .map_err(|error| {
            let error = StoreError::from(error);
            if is_unique_violation(&error) {
                StoreError::Conflict(
                    "the new link's token is already in use; replace the link again".to_string(),
                )
            } else {
                error
            }
        })?;
        audit(
            &mut tx,
            actor,
            "interview.link_replace",
            interview_id,
            serde_json::json!({ "expires_at": expires_at, "reopened": status != interview.status }),
        )
        .await?;
        let replaced = interview_in(&mut tx, interview_id, self.backend()).await?;
        complete_with(&mut tx, done.as_ref(), &replaced).await?;
        tx.commit().await?;
        Ok(replaced)
    }

    async fn create_audio(
        &self,
        audio: &StoredAudio,
        max_per_interview: u32,
        done: Option<Completion<'_, ()>>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let interview = interview_in(&mut tx, &audio.interview_id, self.backend()).await?;
        if !interview.status.is_open() {
            return Err(StoreError::Conflict(format!(
                "the interview is {}; recordings can no longer be added",
                interview.status.as_str()
            )));
        }
        let held: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM interview_audio WHERE interview_id = $1")
                .bind(&audio.interview_id)
                .fetch_one(&mut *tx)
                .await?;
        if held >= i64::from(max_per_interview) {
            return Err(StoreError::Conflict(format!(
                "this interview already holds {held} recordings, the most it may; answer in writing instead"
            )));
        }
        sqlx::query(&format!(
            "INSERT INTO interview_audio ({AUDIO_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(&audio.id)
        .bind(&audio.interview_id)
        .bind(&audio.content_type)
        .bind(signed(audio.size))
        .bind(&audio.sha256)
        .bind(&audio.file_name)
        .bind(audio.transcript.as_deref())
        .bind(audio.created_at)
        .execute(&mut *tx)
        .await?;
        complete_with(&mut tx, done.as_ref(), &()).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn audio(&self, id: &str) -> Result<Option<StoredAudio>> {
        let row = sqlx::query_as::<_, AudioRow>(&format!(
            "SELECT {AUDIO_COLUMNS} FROM interview_audio WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(StoredAudio::from))
    }

    async fn interview_audio(&self, interview_id: &str) -> Result<Vec<StoredAudio>> {
        let rows = sqlx::query_as::<_, AudioRow>(&format!(
            "SELECT {AUDIO_COLUMNS} FROM interview_audio WHERE interview_id = $1 ORDER BY created_at, id"
        ))
        .bind(interview_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(StoredAudio::from).collect())
    }

    async fn set_audio_transcript(&self, id: &str, transcript: &str) -> Result<()> {
        let updated = sqlx::query("UPDATE interview_audio SET transcript = $1 WHERE id = $2")
            .bind(transcript)
            .bind(id)
            .execute(&self.pool)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("recording {id}")));
        }
        Ok(())
    }

    async fn scorecards(&self, interview_id: &str) -> Result<Vec<StoredScorecard>> {
        let rows = sqlx::query_as::<_, ScorecardRow>(&format!("SELECT {SCORECARD_COLUMNS} FROM scorecards WHERE interview_id = $1 ORDER BY updated_at, interviewer_id"))
            .bind(interview_id)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(StoredScorecard::try_from).collect()
    }

    async fn performance(&self, job_spec_id: &str) -> Result<Vec<VersionPerformance>> {
        self.stored_performance(job_spec_id).await
    }

    async fn verify(&self) -> Result<Vec<String>> {
        self.verify_figures().await
    }
}
