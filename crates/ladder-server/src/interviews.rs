//! Interviews over JSON (PRODUCT.md §3): inviting candidates (one at a time or
//! from a CSV file), the candidate's side (authenticated only by the token in
//! the path), scorecards, live performance and result exports.
//!
//! Two cross-cutting pieces live here too, each implemented once:
//! [`idempotency`], the middleware that makes every POST of this module safe
//! to retry with an `Idempotency-Key`, and [`candidate_rate_limit`], a sliding
//! window per candidate token.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use ladder_core::access::Role;
use ladder_core::interview::{
    average, completion_text, score_interview, scorecard_problems, CompetencyScore, MustHaveCheck,
    Recommendation, Scorecard, Status, Tenths,
};
use ladder_core::jobspec::{Competency, JobSpecBody, Problem};
use ladder_store::{
    now_millis, Actor, Answer, AnswerOutcome, IdempotentResponse, Interview, JobSpecVersion,
    NewInvitation, StoreError, StoredScorecard, VersionPerformance, VersionSelector,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use crate::api::{rfc3339, valid_email, JsonBody};
use crate::auth::{random_secret, secret_hash, Principal};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

pub const DEFAULT_EXPIRY_DAYS: u32 = 14;
pub const MAX_EXPIRY_DAYS: u32 = 90;
const DAY_MILLIS: i64 = 86_400_000;
const MAX_NAME: usize = 200;
const MAX_ANSWER: usize = 20_000;
const MAX_CSV_ROWS: usize = 1_000;
/// Candidate requests per token per window.
pub const CANDIDATE_LIMIT: usize = 120;
const CANDIDATE_WINDOW: Duration = Duration::from_secs(60);
const CANDIDATE_PREFIX: &str = "/api/v1/candidate/";
const CANDIDATE_PAGE_PREFIX: &str = "/candidate/";

/// The routes of this module, with their middlewares: every POST honours
/// `Idempotency-Key`; candidate routes are rate limited per token (before the
/// idempotency check, so replays count too).
pub fn routes(state: &AppState) -> Router<AppState> {
    let idempotent = || axum::middleware::from_fn_with_state(state.clone(), idempotency);
    let candidate = Router::new()
        .route("/api/v1/candidate/{token}", get(candidate_view))
        .route("/api/v1/candidate/{token}/answers", post(candidate_answer))
        .route("/api/v1/candidate/{token}/finish", post(candidate_finish))
        .route(
            "/api/v1/candidate/{token}/audio",
            post(crate::audio::candidate_upload),
        )
        .route(
            "/api/v1/candidate/{token}/audio/{audio_id}",
            get(crate::audio::candidate_download),
        )
        .route_layer(idempotent())
        .route_layer(axum::middleware::from_fn(candidate_rate_limit));
    Router::new()
        .route("/api/v1/job-specs/{id}/interviews", get(list).post(invite))
        .route("/api/v1/job-specs/{id}/interviews/csv", post(invite_csv))
        .route("/api/v1/job-specs/{id}/performance", get(performance))
        .route("/api/v1/job-specs/{id}/results.csv", get(results_csv))
        .route("/api/v1/job-specs/{id}/results.json", get(results_json))
        .route("/api/v1/interviews/{id}", get(detail))
        .route("/api/v1/interviews/{id}/interviewers", post(assign))
        .route("/api/v1/interviews/{id}/withdraw", post(withdraw))
        .route("/api/v1/interviews/{id}/scorecards", post(scorecard))
        .route(
            "/api/v1/interviews/{id}/scorecards/automated",
            post(crate::evaluator::automated),
        )
        .route(
            "/api/v1/interviews/{id}/audio/{audio_id}",
            get(crate::audio::staff_download),
        )
        .route_layer(idempotent())
        .merge(candidate)
}

// ---------------------------------------------------------------------------
// Shapes

fn tenths_text(value: Option<Tenths>) -> Option<String> {
    value.map(|t| t.to_string())
}

/// An interview's status as the candidate's link would find it: an open
/// interview past its expiry reads as expired.
fn effective_status(interview: &Interview, now: i64) -> Status {
    if interview.status.is_open() && interview.expires_at < now {
        Status::Expired
    } else {
        interview.status
    }
}

#[derive(Serialize, ToSchema)]
pub struct InterviewDto {
    pub id: String,
    pub job_spec_id: String,
    /// The published version the interview is pinned to.
    pub version: u32,
    pub candidate_name: String,
    pub candidate_email: String,
    /// An open interview past `expires_at` reads as `expired`.
    pub status: Status,
    pub expires_at: String,
    /// Round 02 prompts answered so far (the index of the next prompt).
    pub round2_position: u32,
    /// Σ weight × mean score with one decimal ("74.0"); null before the first
    /// submitted scorecard.
    pub overall: Option<String>,
    pub fails_must_have: bool,
    pub created_by: String,
    pub created_at: String,
    pub started_at: Option<String>,
    pub completed_at: Option<String>,
}

impl InterviewDto {
    fn new(interview: &Interview) -> InterviewDto {
        InterviewDto {
            id: interview.id.clone(),
            job_spec_id: interview.job_spec_id.clone(),
            version: interview.version,
            candidate_name: interview.candidate_name.clone(),
            candidate_email: interview.candidate_email.clone(),
            status: effective_status(interview, now_millis()),
            expires_at: rfc3339(interview.expires_at),
            round2_position: interview.round2_position,
            overall: tenths_text(interview.overall),
            fails_must_have: interview.fails_must_have,
            created_by: interview.created_by.clone(),
            created_at: rfc3339(interview.created_at),
            started_at: interview.started_at.map(rfc3339),
            completed_at: interview.completed_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Invitation {
    pub interview: InterviewDto,
    /// The candidate's private link. Shown only in this response.
    pub candidate_url: String,
    /// The secret in `candidate_url`; only its hash is stored.
    pub candidate_token: String,
}

#[derive(Serialize, ToSchema)]
pub struct AnswerDto {
    pub round: u32,
    pub item_id: String,
    /// What the candidate typed; the recording's transcript when they typed
    /// nothing; empty for a recording without a transcript.
    pub text: String,
    /// The recording sent with the answer, if any.
    pub audio_id: Option<String>,
    pub created_at: String,
}

impl From<&Answer> for AnswerDto {
    fn from(answer: &Answer) -> AnswerDto {
        AnswerDto {
            round: answer.round,
            item_id: answer.item_id.clone(),
            text: answer.text.clone(),
            audio_id: answer.audio_id.clone(),
            created_at: rfc3339(answer.created_at),
        }
    }
}

/// A recording of the interview, for the people who may read it.
#[derive(Serialize, ToSchema)]
pub struct RecordingDto {
    pub id: String,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    /// The speech-to-text transcript, when there is one.
    pub transcript: Option<String>,
    /// `GET` it for the bytes.
    pub url: String,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ScorecardDto {
    pub interviewer_id: String,
    pub submitted: bool,
    /// 1 for the first save, +1 for every later save.
    pub revision: u32,
    pub card: Scorecard,
    pub updated_at: String,
    pub submitted_at: Option<String>,
    /// A draft written by the automated evaluator that no person has
    /// submitted yet: not counted until a person submits it.
    pub automated: bool,
    /// `llm:<model>` when the evaluator drafted this scorecard (kept after a
    /// person submits it).
    pub drafted_by: Option<String>,
}

impl From<&StoredScorecard> for ScorecardDto {
    fn from(stored: &StoredScorecard) -> ScorecardDto {
        ScorecardDto {
            interviewer_id: stored.interviewer_id.clone(),
            submitted: stored.submitted,
            revision: stored.revision,
            card: stored.card.clone(),
            updated_at: rfc3339(stored.updated_at),
            submitted_at: stored.submitted_at.map(rfc3339),
            automated: stored.automated,
            drafted_by: stored.drafted_by.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InterviewDetail {
    pub interview: InterviewDto,
    pub version_label: Option<String>,
    /// User ids of the assigned interviewers.
    pub interviewers: Vec<String>,
    pub answers: Vec<AnswerDto>,
    /// The recordings the candidate made (sent with an answer or not).
    pub recordings: Vec<RecordingDto>,
    pub scorecards: Vec<ScorecardDto>,
    /// One decimal ("74.0"), or null before the first submitted scorecard.
    pub overall: Option<String>,
    pub fails_must_have: bool,
}

// ---------------------------------------------------------------------------
// Service: staff side

/// The first problem as a 422 naming its field.
fn reject(problems: &[Problem]) -> ApiResult<()> {
    match problems.first() {
        None => Ok(()),
        Some(first) => {
            let mut message = first.message.clone();
            if problems.len() > 1 {
                let rest: Vec<String> = problems[1..]
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.message))
                    .collect();
                message = format!(
                    "{message} (and {} more: {})",
                    problems.len() - 1,
                    rest.join("; ")
                );
            }
            Err(ApiError::unprocessable(message).field(first.field.clone()))
        }
    }
}

fn user_of(principal: &Principal) -> ApiResult<&ladder_store::User> {
    principal.user.as_ref().ok_or_else(ApiError::unauthorized)
}

/// Hiring managers and admins read every interview; interviewers only the
/// ones they are assigned to.
fn may_read(principal: &Principal, assigned: &[String]) -> bool {
    match &principal.user {
        Some(user) => match user.role {
            Role::Admin | Role::HiringManager => true,
            Role::Interviewer => assigned.contains(&user.id),
            Role::Member | Role::Manager => false,
        },
        None => false,
    }
}

fn not_assigned() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "you are not assigned to this interview",
    )
}

async fn interview_or_404(state: &AppState, id: &str) -> ApiResult<Interview> {
    state
        .store()
        .interview(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("interview {id}")))
}

/// An interview the caller may read, with its assigned interviewers.
pub(crate) async fn readable(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> ApiResult<(Interview, Vec<String>)> {
    let interview = interview_or_404(state, id).await?;
    let assigned = state.store().interviewers(id).await?;
    if !may_read(principal, &assigned) {
        return Err(not_assigned());
    }
    Ok((interview, assigned))
}

/// The version an interview is pinned to.
pub(crate) async fn pinned(state: &AppState, interview: &Interview) -> ApiResult<JobSpecVersion> {
    state
        .store()
        .job_spec_version(
            &interview.job_spec_id,
            &VersionSelector::Number(interview.version),
        )
        .await?
        .ok_or_else(|| {
            ApiError::internal(format!(
                "interview {} is pinned to a missing version {} of {}",
                interview.id, interview.version, interview.job_spec_id
            ))
        })
}

/// The job spec's current published version, which new interviews pin.
async fn published(state: &AppState, id: &str) -> ApiResult<Option<JobSpecVersion>> {
    let summary = state
        .store()
        .job_spec_summary(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("job spec {id}")))?;
    match summary.current_version {
        None => Ok(None),
        Some(current) => Ok(state
            .store()
            .job_spec_version(id, &VersionSelector::Number(current))
            .await?),
    }
}

async fn version_to_pin(state: &AppState, id: &str) -> ApiResult<JobSpecVersion> {
    published(state, id).await?.ok_or_else(|| {
        ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!(
                "job spec {id} has never been published; publish it first (interviews are pinned to the published version)"
            ),
        )
    })
}

struct Candidate {
    name: String,
    email: String,
}

/// A trimmed, valid candidate, or a 422 naming `name_field`/`email_field`.
fn candidate(name: &str, email: &str, name_field: &str, email_field: &str) -> ApiResult<Candidate> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::unprocessable("give the candidate's name").field(name_field));
    }
    if name.chars().count() > MAX_NAME {
        return Err(
            ApiError::unprocessable(format!("a name has at most {MAX_NAME} characters"))
                .field(name_field),
        );
    }
    let email = email.trim();
    if !valid_email(email) {
        return Err(
            ApiError::unprocessable(format!("“{email}” is not an e-mail address"))
                .field(email_field),
        );
    }
    Ok(Candidate {
        name: name.to_string(),
        email: email.to_string(),
    })
}

fn expiry_days(days: Option<u32>) -> ApiResult<u32> {
    match days {
        None => Ok(DEFAULT_EXPIRY_DAYS),
        Some(days) if (1..=MAX_EXPIRY_DAYS).contains(&days) => Ok(days),
        Some(days) => Err(ApiError::unprocessable(format!(
            "a link is valid for 1 to {MAX_EXPIRY_DAYS} days, not {days}"
        ))
        .field("expires_in_days")),
    }
}

/// Only active users whose role reads job specs can be interviewers.
async fn check_interviewer(state: &AppState, user_id: &str, field: &str) -> ApiResult<()> {
    match state.store().user(user_id).await? {
        None => Err(ApiError::unprocessable(format!("there is no user {user_id}")).field(field)),
        Some(user) if user.disabled => {
            Err(ApiError::unprocessable(format!("{} is disabled", user.email)).field(field))
        }
        Some(user) if matches!(user.role, Role::Member | Role::Manager) => {
            Err(ApiError::unprocessable(format!(
                "{} is a {}; only interviewers, hiring managers and admins can interview",
                user.email, user.role
            ))
            .field(field))
        }
        Some(_) => Ok(()),
    }
}

/// When a link made now for `days` days stops working.
fn link_expiry(days: u32) -> i64 {
    now_millis().saturating_add(i64::from(days) * DAY_MILLIS)
}

/// The response for a created interview and its candidate's secret token.
fn invitation(interview: &Interview, token: String) -> Invitation {
    Invitation {
        interview: InterviewDto::new(interview),
        candidate_url: format!("/candidate/{token}"),
        candidate_token: token,
    }
}

async fn create_one(
    state: &AppState,
    version: &JobSpecVersion,
    candidate: &Candidate,
    days: u32,
    interviewers: &[String],
    actor: &Actor,
) -> ApiResult<Invitation> {
    let token = random_secret();
    // The interview and its interviewers in one transaction.
    let row = ladder_store::NewInvitation {
        candidate_name: candidate.name.clone(),
        candidate_email: candidate.email.clone(),
        token_hash: secret_hash(&token),
        expires_at: link_expiry(days),
        interviewers: interviewers.to_vec(),
    };
    let interview = state
        .store()
        .create_interviews(&version.job_spec_id, version.version, &[row], actor)
        .await?
        .pop()
        .ok_or_else(|| ApiError::internal("the store created no interview"))?;
    Ok(invitation(&interview, token))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInterview {
    pub candidate_name: String,
    pub candidate_email: String,
    /// How long the candidate's link works (default 14 days, at most 90).
    #[serde(default)]
    pub expires_in_days: Option<u32>,
    /// User ids of interviewers to assign.
    #[serde(default)]
    pub interviewers: Vec<String>,
}

pub async fn invite_candidate(
    state: &AppState,
    job_spec_id: &str,
    input: NewInterview,
    actor: &Actor,
) -> ApiResult<Invitation> {
    let version = version_to_pin(state, job_spec_id).await?;
    let candidate = candidate(
        &input.candidate_name,
        &input.candidate_email,
        "candidate_name",
        "candidate_email",
    )?;
    let days = expiry_days(input.expires_in_days)?;
    for (index, user) in input.interviewers.iter().enumerate() {
        check_interviewer(state, user, &format!("interviewers[{index}]")).await?;
    }
    create_one(
        state,
        &version,
        &candidate,
        days,
        &input.interviewers,
        actor,
    )
    .await
}

/// RFC 4180 records with the line each starts on: quoted fields may hold
/// commas, doubled quotes and line breaks; lines end in LF or CRLF.
fn csv_records(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut line = 1;
    let mut start = 1;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                other => {
                    if other == '\n' {
                        line += 1;
                    }
                    field.push(other);
                }
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() => {
                field.clear();
                quoted = true;
            }
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => {
                record.push(std::mem::take(&mut field));
                records.push((start, std::mem::take(&mut record)));
                line += 1;
                start = line;
            }
            other => field.push(other),
        }
    }
    if quoted {
        return Err(format!(
            "the quoted field that starts on line {start} is never closed"
        ));
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push((start, record));
    }
    Ok(records)
}

/// Candidates from a `name,email` CSV file (or `candidate_name,
/// candidate_email`); every row is checked before anything is created.
fn csv_candidates(text: &str) -> ApiResult<Vec<Candidate>> {
    let records = csv_records(text).map_err(ApiError::unprocessable)?;
    let mut rows = records
        .into_iter()
        .filter(|(_, fields)| fields.iter().any(|f| !f.trim().is_empty()));
    let header_problem = || {
        ApiError::unprocessable(
            "the first line must be the header name,email (or candidate_name,candidate_email)",
        )
        .field("header")
    };
    let (_, header) = rows.next().ok_or_else(header_problem)?;
    let column = |names: [&str; 2]| {
        header
            .iter()
            .position(|h| names.contains(&h.trim().to_lowercase().as_str()))
    };
    let (Some(name_at), Some(email_at)) = (
        column(["name", "candidate_name"]),
        column(["email", "candidate_email"]),
    ) else {
        return Err(header_problem());
    };
    let mut candidates = Vec::new();
    // Every row is checked; all problems are reported together, by line.
    let mut problems: Vec<ApiError> = Vec::new();
    for (index, (line, fields)) in rows.enumerate() {
        if index >= MAX_CSV_ROWS {
            return Err(ApiError::unprocessable(format!(
                "at most {MAX_CSV_ROWS} candidates per file"
            ))
            .field("rows"));
        }
        let get = |at: usize| fields.get(at).map(String::as_str).unwrap_or("");
        match candidate(
            get(name_at),
            get(email_at),
            &format!("rows[{index}].name"),
            &format!("rows[{index}].email"),
        ) {
            Ok(found) => candidates.push(found),
            Err(mut error) => {
                error.message = format!("line {line}: {}", error.message);
                problems.push(error);
            }
        }
    }
    if let Some(first) = problems.first() {
        let lines: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        let message = if problems.len() == 1 {
            first.message.clone()
        } else {
            format!(
                "{} rows have problems; nothing was created: {}",
                problems.len(),
                lines.join("; ")
            )
        };
        return Err(ApiError::unprocessable(message).field(first.field.clone().unwrap_or_default()));
    }
    if candidates.is_empty() {
        return Err(ApiError::unprocessable("the file has no candidates").field("rows"));
    }
    Ok(candidates)
}

pub async fn invite_from_csv(
    state: &AppState,
    job_spec_id: &str,
    text: &str,
    actor: &Actor,
) -> ApiResult<Vec<Invitation>> {
    let version = version_to_pin(state, job_spec_id).await?;
    let candidates = csv_candidates(text)?;
    let expires_at = link_expiry(DEFAULT_EXPIRY_DAYS);
    let tokens: Vec<String> = candidates.iter().map(|_| random_secret()).collect();
    let rows: Vec<NewInvitation> = candidates
        .iter()
        .zip(&tokens)
        .map(|(candidate, token)| NewInvitation {
            candidate_name: candidate.name.clone(),
            candidate_email: candidate.email.clone(),
            token_hash: secret_hash(token),
            expires_at,
            interviewers: Vec::new(),
        })
        .collect();
    // One transaction for the whole file: if any row fails none is created,
    // so a retry never duplicates candidates.
    let interviews = state
        .store()
        .create_interviews(&version.job_spec_id, version.version, &rows, actor)
        .await?;
    if interviews.len() != tokens.len() {
        return Err(ApiError::internal(format!(
            "{} candidates were sent but the store created {} interviews",
            tokens.len(),
            interviews.len()
        )));
    }
    Ok(interviews
        .iter()
        .zip(tokens)
        .map(|(interview, token)| invitation(interview, token))
        .collect())
}

/// The interviews of a job spec the caller may read.
pub(crate) async fn visible_interviews(
    state: &AppState,
    principal: &Principal,
    job_spec_id: &str,
) -> ApiResult<Vec<Interview>> {
    if state.store().job_spec_summary(job_spec_id).await?.is_none() {
        return Err(ApiError::not_found(format!("job spec {job_spec_id}")));
    }
    let all = state.store().interviews(job_spec_id).await?;
    let is_interviewer = principal
        .user
        .as_ref()
        .is_some_and(|u| u.role == Role::Interviewer);
    if !is_interviewer {
        return Ok(all);
    }
    let mut visible = Vec::new();
    for interview in all {
        let assigned = state.store().interviewers(&interview.id).await?;
        if may_read(principal, &assigned) {
            visible.push(interview);
        }
    }
    Ok(visible)
}

pub async fn interview_detail(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> ApiResult<InterviewDetail> {
    let (interview, interviewers) = readable(state, principal, id).await?;
    let version = pinned(state, &interview).await?;
    let answers = state.store().answers(id).await?;
    let scorecards = state.store().scorecards(id).await?;
    let recordings = state.store().interview_audio(id).await?;
    Ok(InterviewDetail {
        interview: InterviewDto::new(&interview),
        version_label: version.label,
        interviewers,
        answers: answers.iter().map(AnswerDto::from).collect(),
        recordings: recordings
            .iter()
            .map(|audio| RecordingDto {
                url: format!("/api/v1/interviews/{id}/audio/{}", audio.id),
                id: audio.id.clone(),
                content_type: audio.content_type.clone(),
                size: audio.size,
                sha256: audio.sha256.clone(),
                transcript: audio.transcript.clone(),
                created_at: rfc3339(audio.created_at),
            })
            .collect(),
        scorecards: scorecards.iter().map(ScorecardDto::from).collect(),
        overall: tenths_text(interview.overall),
        fails_must_have: interview.fails_must_have,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScorecardInput {
    /// One score (0–100) per competency of the pinned version.
    #[serde(default)]
    pub scores: Vec<CompetencyScore>,
    /// Every required must-have, met or not.
    #[serde(default)]
    pub must_haves: Vec<MustHaveCheck>,
    #[serde(default)]
    pub recommendation: Option<Recommendation>,
    #[serde(default)]
    pub notes: String,
    /// `true` submits (the scores count); `false` saves a draft.
    #[serde(default)]
    pub submit: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ScorecardSaved {
    pub scorecard: ScorecardDto,
    /// The interview's overall score after this save.
    pub overall: Option<String>,
    pub fails_must_have: bool,
}

pub async fn save_scorecard(
    state: &AppState,
    principal: &Principal,
    id: &str,
    input: ScorecardInput,
) -> ApiResult<ScorecardSaved> {
    let user = user_of(principal)?;
    let (interview, _) = readable(state, principal, id).await?;
    if matches!(interview.status, Status::Withdrawn) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "the interview was withdrawn; it can no longer be scored",
        ));
    }
    let version = pinned(state, &interview).await?;
    let card = Scorecard {
        scores: input.scores,
        must_haves: input.must_haves,
        recommendation: input.recommendation,
        notes: input.notes,
    };
    reject(&scorecard_problems(&card, &version.body, input.submit))?;
    let stored = state
        .store()
        .save_scorecard(
            id,
            &user.id,
            &card,
            input.submit,
            &version.body,
            &principal.actor(),
        )
        .await?;
    let after = interview_or_404(state, id).await?;
    Ok(ScorecardSaved {
        scorecard: ScorecardDto::from(&stored),
        overall: tenths_text(after.overall),
        fails_must_have: after.fails_must_have,
    })
}

// ---------------------------------------------------------------------------
// Service: live performance and results

#[derive(Serialize, ToSchema)]
pub struct CompetencyFigures {
    pub id: String,
    pub name: String,
    /// Exact decimal, e.g. "0.35".
    pub weight: String,
    /// Mean of the interviews' competency scores, one decimal; null when none.
    pub avg: Option<String>,
    /// Interviews scored on this competency.
    pub n: u64,
}

#[derive(Serialize, ToSchema)]
pub struct Figures {
    pub interviews: u64,
    pub completed: u64,
    /// "66% · 2 of 3" (rounded down).
    pub completion: String,
    /// Interviews with at least one submitted scorecard.
    pub scored: u64,
    /// Mean overall score of scored interviews, one decimal; null when none.
    pub avg_score: Option<String>,
    /// `avg_score`, or "—" when there is none.
    pub avg_score_display: String,
    pub competencies: Vec<CompetencyFigures>,
    /// Scored interviews by overall score: 0–9.9, 10–19.9, …, 90–100.
    pub distribution: Vec<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct VersionFigures {
    pub version: u32,
    pub label: Option<String>,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Serialize, ToSchema)]
pub struct Performance {
    pub job_spec_id: String,
    /// The version asked for with `?version=`, or null for all versions.
    pub version: Option<u32>,
    #[serde(flatten)]
    pub figures: Figures,
    /// The same figures per published version, oldest first.
    pub versions: Vec<VersionFigures>,
}

/// Sums the maintained figures of some versions; competency names and
/// weights come from `competencies`.
fn figures(parts: &[&VersionPerformance], competencies: &[Competency]) -> Figures {
    let mut interviews = 0;
    let mut completed = 0;
    let mut scored = 0;
    let mut overall = 0;
    let mut distribution = vec![0u64; 10];
    let mut sums: HashMap<&str, (u64, u64)> = HashMap::new();
    for part in parts {
        interviews += part.interviews;
        completed += part.completed;
        scored += part.scored;
        overall += part.overall_sum_tenths;
        for (slot, count) in distribution.iter_mut().zip(part.distribution) {
            *slot += count;
        }
        for (id, sum, n) in &part.competencies {
            let entry = sums.entry(id.as_str()).or_default();
            entry.0 += sum;
            entry.1 += n;
        }
    }
    let avg_score = tenths_text(average(overall, scored));
    Figures {
        interviews,
        completed,
        completion: completion_text(completed, interviews),
        scored,
        avg_score_display: avg_score.clone().unwrap_or_else(|| "—".to_string()),
        avg_score,
        competencies: competencies
            .iter()
            .map(|c| {
                let (sum, n) = sums.get(c.id.as_str()).copied().unwrap_or((0, 0));
                CompetencyFigures {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    weight: c.weight.decimal(),
                    avg: tenths_text(average(sum, n)),
                    n,
                }
            })
            .collect(),
        distribution,
    }
}

/// From the maintained per-version figures only: the cost does not grow with
/// the number of interviews.
pub async fn job_spec_performance(
    state: &AppState,
    id: &str,
    version: Option<&str>,
) -> ApiResult<Performance> {
    let summary = state
        .store()
        .job_spec_summary(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("job spec {id}")))?;
    let stored = state.store().performance(id).await?;
    let empty = VersionPerformance::default();
    let of = |number: u32| {
        stored
            .iter()
            .find(|p| p.version == number)
            .unwrap_or(&empty)
    };
    let mut published: Vec<JobSpecVersion> = state
        .store()
        .job_spec_versions(id)
        .await?
        .into_iter()
        .filter(|v| v.published)
        .collect();
    published.sort_by_key(|v| v.version);
    if let Some(wanted) = version {
        let selector = VersionSelector::parse(Some(wanted));
        let chosen = published
            .iter()
            .find(|v| match &selector {
                VersionSelector::Number(n) => v.version == *n,
                VersionSelector::Label(label) => v.label.as_deref() == Some(label.as_str()),
                VersionSelector::Current => Some(v.version) == summary.current_version,
                VersionSelector::Draft => false,
            })
            .ok_or_else(|| {
                ApiError::not_found(format!("published version {wanted} of job spec {id}"))
                    .field("version")
            })?;
        let figures_of = || figures(&[of(chosen.version)], &chosen.body.competencies);
        return Ok(Performance {
            job_spec_id: id.to_string(),
            version: Some(chosen.version),
            figures: figures_of(),
            versions: vec![VersionFigures {
                version: chosen.version,
                label: chosen.label.clone(),
                figures: figures_of(),
            }],
        });
    }
    let current = published
        .iter()
        .find(|v| Some(v.version) == summary.current_version)
        .map(|v| v.body.competencies.as_slice())
        .unwrap_or(&[]);
    let all: Vec<&VersionPerformance> = stored.iter().collect();
    Ok(Performance {
        job_spec_id: id.to_string(),
        version: None,
        figures: figures(&all, current),
        versions: published
            .iter()
            .map(|v| VersionFigures {
                version: v.version,
                label: v.label.clone(),
                figures: figures(&[of(v.version)], &v.body.competencies),
            })
            .collect(),
    })
}

#[derive(Serialize, ToSchema)]
pub struct ResultRow {
    pub interview_id: String,
    pub candidate_name: String,
    pub candidate_email: String,
    pub version: u32,
    pub version_label: Option<String>,
    pub status: Status,
    pub overall: Option<String>,
    /// Competency id → mean score (one decimal) for the current version's
    /// competencies; null when not scored (or not in the pinned version).
    pub scores: BTreeMap<String, Option<String>>,
    pub fails_must_have: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Results {
    pub job_spec_id: String,
    /// The score columns: the current version's competency ids, in order.
    pub competencies: Vec<String>,
    pub rows: Vec<ResultRow>,
}

pub async fn results(state: &AppState, principal: &Principal, id: &str) -> ApiResult<Results> {
    let interviews = visible_interviews(state, principal, id).await?;
    let columns: Vec<String> = published(state, id)
        .await?
        .map(|v| v.body.competencies.iter().map(|c| c.id.clone()).collect())
        .unwrap_or_default();
    let mut versions: HashMap<u32, JobSpecVersion> = HashMap::new();
    let mut rows = Vec::with_capacity(interviews.len());
    for interview in interviews {
        if let std::collections::hash_map::Entry::Vacant(slot) = versions.entry(interview.version) {
            slot.insert(pinned(state, &interview).await?);
        }
        let version = versions.get(&interview.version);
        let body: Option<&JobSpecBody> = version.map(|v| &v.body);
        let cards: Vec<Scorecard> = state
            .store()
            .scorecards(&interview.id)
            .await?
            .into_iter()
            .filter(|s| s.submitted)
            .map(|s| s.card)
            .collect();
        let score = body.and_then(|b| score_interview(b, &cards));
        let scores = columns
            .iter()
            .map(|column| {
                let value = score.as_ref().and_then(|s| {
                    s.competencies
                        .iter()
                        .find(|(id, _)| id == column)
                        .map(|(_, t)| t.to_string())
                });
                (column.clone(), value)
            })
            .collect();
        rows.push(ResultRow {
            interview_id: interview.id.clone(),
            candidate_name: interview.candidate_name.clone(),
            candidate_email: interview.candidate_email.clone(),
            version: interview.version,
            version_label: version.and_then(|v| v.label.clone()),
            status: effective_status(&interview, now_millis()),
            overall: tenths_text(interview.overall),
            scores,
            fails_must_have: interview.fails_must_have,
        });
    }
    Ok(Results {
        job_spec_id: id.to_string(),
        competencies: columns,
        rows,
    })
}

/// One CSV field: quoted when it holds a comma, quote or line break; a
/// leading `=`, `+`, `-`, `@` (a spreadsheet formula) is neutralised with `'`.
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

fn results_to_csv(results: &Results) -> String {
    let mut header: Vec<String> = [
        "candidate_name",
        "candidate_email",
        "version",
        "status",
        "overall",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(results.competencies.iter().cloned());
    header.push("fails_must_have".to_string());
    let mut out = String::new();
    let line = |fields: Vec<String>| {
        fields
            .iter()
            .map(|f| csv_field(f))
            .collect::<Vec<_>>()
            .join(",")
            + "\r\n"
    };
    out.push_str(&line(header));
    for row in &results.rows {
        let mut fields = vec![
            row.candidate_name.clone(),
            row.candidate_email.clone(),
            row.version_label
                .clone()
                .unwrap_or_else(|| row.version.to_string()),
            row.status.as_str().to_string(),
            row.overall.clone().unwrap_or_default(),
        ];
        for column in &results.competencies {
            fields.push(
                row.scores
                    .get(column)
                    .cloned()
                    .flatten()
                    .unwrap_or_default(),
            );
        }
        fields.push(row.fails_must_have.to_string());
        out.push_str(&line(fields));
    }
    out
}

// ---------------------------------------------------------------------------
// Service: the candidate's side

#[derive(Serialize, ToSchema)]
pub struct CandidateJob {
    pub title: String,
    pub seniority: String,
    pub description: String,
}

#[derive(Serialize, ToSchema)]
pub struct CandidateQuestion {
    pub id: String,
    pub text: String,
    /// The candidate's answer, once given.
    pub answer: Option<String>,
    /// The recording sent with the answer: `GET /api/v1/candidate/{token}/audio/{audio_id}`.
    pub audio_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CandidatePrompt {
    pub id: String,
    /// 1-based position in Round 02.
    pub number: u32,
    pub text: String,
    /// The candidate's answer; null for the next prompt.
    pub answer: Option<String>,
    /// The recording sent with the answer, if any.
    pub audio_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Progress {
    pub round1_answered: u32,
    pub round1_total: u32,
    /// Round 02 prompts answered (the index of the next one).
    pub round2_position: u32,
    pub round2_total: u32,
}

/// What a candidate sees: questions and prompts, never weights, rubrics,
/// scores or anything about other candidates.
#[derive(Serialize, ToSchema)]
pub struct CandidateView {
    pub status: Status,
    /// Whether answers are still accepted.
    pub open: bool,
    pub expires_at: String,
    pub job: CandidateJob,
    /// Round 01 questions, answerable in any order (only the answered ones
    /// once the interview is completed).
    pub round1: Vec<CandidateQuestion>,
    /// Round 02: the answered prompts and, while open, the next one only.
    pub round2: Vec<CandidatePrompt>,
    pub progress: Progress,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn gone(code: &'static str, message: &str) -> ApiError {
    ApiError::new(StatusCode::GONE, code, message)
}

/// The interview a token opens, refusing withdrawn and expired ones (and
/// marking an open interview past its expiry as expired). An unknown token
/// is a 404 without further detail.
pub(crate) async fn by_token(state: &AppState, token: &str) -> ApiResult<Interview> {
    let unknown = || {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "this interview link is not valid; ask the hiring team for a new one",
        )
    };
    if token.is_empty() || token.len() > 128 {
        return Err(unknown());
    }
    let interview = state
        .store()
        .interview_by_token(&secret_hash(token))
        .await?
        .ok_or_else(unknown)?;
    let expired = || gone("expired", "this interview link has expired");
    match interview.status {
        Status::Withdrawn => Err(gone("withdrawn", "this interview has been withdrawn")),
        Status::Expired => Err(expired()),
        Status::Completed => Ok(interview),
        Status::Invited | Status::InProgress if interview.expires_at < now_millis() => {
            let actor = Actor {
                user_id: None,
                label: "candidate link".to_string(),
            };
            match state
                .store()
                .close_interview(&interview.id, Status::Expired, &actor)
                .await
            {
                Ok(_) | Err(StoreError::Conflict(_)) => {}
                Err(error) => return Err(error.into()),
            }
            Err(expired())
        }
        Status::Invited | Status::InProgress => Ok(interview),
    }
}

pub(crate) async fn candidate_view_of(
    state: &AppState,
    interview: &Interview,
) -> ApiResult<CandidateView> {
    let version = pinned(state, interview).await?;
    let body = &version.body;
    let answers = state.store().answers(&interview.id).await?;
    let answer_to = |round: u32, id: &str| {
        answers
            .iter()
            .find(|a| a.round == round && a.item_id == id)
            .map(|a| a.text.clone())
    };
    let audio_of = |round: u32, id: &str| {
        answers
            .iter()
            .find(|a| a.round == round && a.item_id == id)
            .and_then(|a| a.audio_id.clone())
    };
    let open = interview.status.is_open();
    let round1: Vec<CandidateQuestion> = body
        .round1
        .iter()
        .map(|item| CandidateQuestion {
            id: item.id.clone(),
            text: item.text.clone(),
            answer: answer_to(1, &item.id),
            audio_id: audio_of(1, &item.id),
        })
        .filter(|q| open || q.answer.is_some())
        .collect();
    let position = usize::try_from(interview.round2_position).unwrap_or(usize::MAX);
    let shown = if open {
        position.saturating_add(1)
    } else {
        position
    };
    let round2 = body
        .round2
        .iter()
        .take(shown)
        .enumerate()
        .map(|(index, item)| CandidatePrompt {
            id: item.id.clone(),
            number: count(index + 1),
            text: item.text.clone(),
            answer: answer_to(2, &item.id),
            audio_id: audio_of(2, &item.id),
        })
        .collect();
    let round1_answered = body
        .round1
        .iter()
        .filter(|item| answer_to(1, &item.id).is_some())
        .count();
    Ok(CandidateView {
        status: interview.status,
        open,
        expires_at: rfc3339(interview.expires_at),
        job: CandidateJob {
            title: body.title.clone(),
            seniority: body.seniority.clone(),
            description: body.description.clone(),
        },
        round1,
        round2,
        progress: Progress {
            round1_answered: count(round1_answered),
            round1_total: count(body.round1.len()),
            round2_position: interview.round2_position,
            round2_total: count(body.round2.len()),
        },
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CandidateAnswer {
    /// 1 or 2.
    pub round: u32,
    pub item_id: String,
    /// May be empty when `audio_id` is given: the recording's transcript (if
    /// any) becomes the text.
    #[serde(default)]
    pub text: String,
    /// A recording of this interview from `POST /api/v1/candidate/{token}/audio`.
    #[serde(default)]
    pub audio_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CandidateAnswered {
    /// The stored answer: on a repeat, the first one, unchanged.
    pub answer: AnswerDto,
    /// True when this item had already been answered.
    pub repeated: bool,
    pub progress: Progress,
}

pub async fn answer(
    state: &AppState,
    token: &str,
    input: CandidateAnswer,
) -> ApiResult<(bool, CandidateAnswered)> {
    let interview = by_token(state, token).await?;
    let version = pinned(state, &interview).await?;
    let items = match input.round {
        1 => &version.body.round1,
        2 => &version.body.round2,
        other => {
            return Err(
                ApiError::unprocessable(format!("there are rounds 1 and 2, not {other}"))
                    .field("round"),
            )
        }
    };
    let position = items
        .iter()
        .position(|item| item.id == input.item_id)
        .ok_or_else(|| {
            ApiError::unprocessable(format!(
                "there is no item {} in Round 0{}",
                input.item_id, input.round
            ))
            .field("item_id")
        })?;
    let audio_id = input
        .audio_id
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty());
    let recording = match audio_id {
        Some(audio_id) => Some(crate::audio::for_answer(state, &interview.id, audio_id).await?),
        None => None,
    };
    let typed = input.text.trim().is_empty();
    let text = match (&recording, typed) {
        (None, true) => {
            return Err(ApiError::unprocessable(
                "write an answer (or record one) before sending it",
            )
            .field("text"))
        }
        // Nothing typed: the transcript, when speech-to-text made one.
        (Some(recording), true) => recording.transcript.clone().unwrap_or_default(),
        (_, false) => input.text.clone(),
    };
    if text.chars().count() > MAX_ANSWER {
        return Err(ApiError::unprocessable(format!(
            "an answer has at most {MAX_ANSWER} characters"
        ))
        .field("text"));
    }
    let position = count(position);
    if input.round == 2 && position > interview.round2_position {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "out_of_order",
            format!(
                "Round 02 is answered in order: answer prompt {} first",
                interview.round2_position + 1
            ),
        ));
    }
    let outcome = state
        .store()
        .record_answer_with_audio(
            &interview.id,
            input.round,
            &input.item_id,
            position,
            &text,
            recording.as_ref().map(|r| r.id.as_str()),
        )
        .await
        .map_err(|error| match error {
            StoreError::NotFound(what) => ApiError::not_found(what).field("audio_id"),
            StoreError::Conflict(message)
                if recording.is_some() && message.contains("recording") =>
            {
                ApiError::new(StatusCode::CONFLICT, "conflict", message).field("audio_id")
            }
            other => other.into(),
        })?;
    let (created, stored) = match &outcome {
        AnswerOutcome::Recorded(answer) => (true, answer),
        AnswerOutcome::AlreadyAnswered(answer) => (false, answer),
    };
    let after = interview_or_404(state, &interview.id).await?;
    let view = candidate_view_of(state, &after).await?;
    Ok((
        created,
        CandidateAnswered {
            answer: AnswerDto::from(stored),
            repeated: !created,
            progress: view.progress,
        },
    ))
}

pub async fn finish(state: &AppState, token: &str) -> ApiResult<CandidateView> {
    let interview = by_token(state, token).await?;
    let finished = state.store().finish_interview(&interview.id).await?;
    candidate_view_of(state, &finished).await
}

// ---------------------------------------------------------------------------
// Middlewares: idempotency and the candidate rate limit

/// The token in a candidate URL, API or page.
fn candidate_token(path: &str) -> Option<&str> {
    path.strip_prefix(CANDIDATE_PREFIX)
        .or_else(|| path.strip_prefix(CANDIDATE_PAGE_PREFIX))?
        .split('/')
        .next()
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Requests in progress per (scope, key): a concurrent retry waits for
/// nothing and is told to retry, rather than running twice.
fn in_flight() -> &'static Mutex<HashSet<String>> {
    static IN_FLIGHT: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    IN_FLIGHT.get_or_init(|| Mutex::new(HashSet::new()))
}

struct InFlight(String);

impl InFlight {
    fn claim(id: String) -> Option<InFlight> {
        // The guard must be gone before an `InFlight` can be dropped (its
        // Drop takes the lock again), and one must only be made when the key
        // was free: `then_some(InFlight(..))` would build, and on a clash
        // drop, one eagerly — unclaiming the other request's key while
        // holding the lock, which deadlocks.
        let inserted = lock(in_flight()).insert(id.clone());
        inserted.then(|| InFlight(id))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        lock(in_flight()).remove(&self.0);
    }
}

/// A response kept for replay can hold a secret (an invitation's candidate
/// link, whose token is otherwise stored only as a hash), so it is stored
/// sealed: looked up by a hash of the client's Idempotency-Key and encrypted
/// under another key derived from it. The database alone reveals neither the
/// key nor the response; only a retry that presents the key can open it.
struct SealedKey {
    lookup: String,
    cipher: ChaCha20Poly1305,
}

impl SealedKey {
    fn new(scope: &str, key: &str) -> SealedKey {
        let lookup = ladder_core::text::sha256_hex(format!("lookup\n{scope}\n{key}").as_bytes());
        let secret = Sha256::digest(format!("seal\n{scope}\n{key}").as_bytes());
        SealedKey {
            lookup,
            cipher: ChaCha20Poly1305::new(&secret),
        }
    }

    // Each derived key seals exactly one response (the first one stored for
    // the key is kept), so a fixed nonce is never reused with that key.
    fn seal(&self, body: &[u8]) -> Option<String> {
        let sealed = self.cipher.encrypt(&Nonce::default(), body).ok()?;
        Some(BASE64.encode(sealed))
    }

    fn open(&self, stored: &str) -> Option<String> {
        let sealed = BASE64.decode(stored).ok()?;
        let body = self
            .cipher
            .decrypt(&Nonce::default(), sealed.as_slice())
            .ok()?;
        String::from_utf8(body).ok()
    }
}

fn replay(saved: IdempotentResponse) -> Response {
    let status = StatusCode::from_u16(saved.status).unwrap_or(StatusCode::OK);
    let mut response = (status, saved.body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

fn idempotency_key(headers: &HeaderMap) -> Option<Result<String, ApiError>> {
    let value = headers.get("idempotency-key")?;
    let valid = value
        .to_str()
        .ok()
        .filter(|k| (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()));
    Some(valid.map(str::to_string).ok_or_else(|| {
        ApiError::bad_request("an Idempotency-Key is 1 to 255 visible ASCII characters")
            .field("Idempotency-Key")
    }))
}

/// `Idempotency-Key` for every POST of this module. The scope is the
/// candidate token (by hash) or the user; the request is identified by the
/// SHA-256 of method, path and body. A repeat with the same request returns
/// the stored status and body and changes nothing; the same key with a
/// different request is a 409. Only successful responses are stored: a
/// failed request changed nothing and may be retried as it is.
pub async fn idempotency(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let key = match idempotency_key(request.headers()) {
        None => return next.run(request).await,
        Some(Err(error)) => return error.into_response(),
        Some(Ok(key)) => key,
    };
    let path = request.uri().path().to_string();
    let scope = if let Some(token) = candidate_token(&path) {
        format!("candidate:{}", secret_hash(token))
    } else if let Some(user) = request
        .extensions()
        .get::<Principal>()
        .and_then(|p| p.user.as_ref())
    {
        format!("user:{}", user.id)
    } else {
        return next.run(request).await;
    };
    let (parts, body) = request.into_parts();
    // Recordings have their own limit, and their own clear 413.
    let audio_limit = path
        .ends_with("/audio")
        .then_some(state.config().audio.max_bytes);
    if let Some(max) = audio_limit {
        if let Some(length) =
            crate::audio::declared_length(&parts.headers).filter(|l| *l > max as u64)
        {
            return crate::audio::too_large(max, Some(length)).into_response();
        }
    }
    let limit = audio_limit.unwrap_or(state.config().body_limit);
    let bytes: Bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => {
            if let Some(max) = audio_limit {
                return crate::audio::too_large(max, None).into_response();
            }
            return ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "the request body is larger than this server accepts",
            )
            .into_response();
        }
    };
    let target = parts
        .uri
        .path_and_query()
        .map(|pq| pq.as_str())
        .unwrap_or(path.as_str());
    let mut identity = Vec::with_capacity(bytes.len() + target.len() + 8);
    identity.extend_from_slice(parts.method.as_str().as_bytes());
    identity.push(b' ');
    identity.extend_from_slice(target.as_bytes());
    identity.push(b'\n');
    identity.extend_from_slice(&bytes);
    let request_hash = ladder_core::text::sha256_hex(&identity);

    let Some(_claim) = InFlight::claim(format!("{scope}\n{key}")) else {
        return ApiError::new(
            StatusCode::CONFLICT,
            "idempotency_key_in_use",
            "a request with this Idempotency-Key is still being processed; retry shortly",
        )
        .into_response();
    };
    let sealed = SealedKey::new(&scope, &key);
    match state
        .store()
        .idempotent_response(&scope, &sealed.lookup)
        .await
    {
        Ok(Some(saved)) if saved.request_hash == request_hash => {
            return match sealed.open(&saved.body) {
                Some(body) => replay(IdempotentResponse { body, ..saved }),
                None => ApiError::internal("a stored response could not be opened").into_response(),
            }
        }
        Ok(Some(_)) => {
            return ApiError::new(
                StatusCode::CONFLICT,
                "idempotency_key_reused",
                "this Idempotency-Key was used for a different request; use a new key",
            )
            .into_response()
        }
        Ok(None) => {}
        Err(error) => return ApiError::from(error).into_response(),
    }
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if !response.status().is_success() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => return ApiError::internal(error).into_response(),
    };
    match sealed.seal(&bytes) {
        Some(body) => {
            let saved = IdempotentResponse {
                request_hash,
                status: parts.status.as_u16(),
                body,
            };
            if let Err(error) = state
                .store()
                .save_idempotent_response(&scope, &sealed.lookup, &saved)
                .await
            {
                tracing::error!(%error, "could not store an idempotent response");
            }
        }
        None => tracing::error!("could not seal an idempotent response"),
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// What a form guarded by a one-time key did.
pub(crate) enum Once<T> {
    /// The first time: the work ran.
    Done(T),
    /// A repeat of the same form: the work ran before and did not run again.
    Repeated,
}

/// Runs `work` at most once per one-time form key (the hidden `form_key` of
/// a page's form) for this user, using the same store as `Idempotency-Key`:
/// a second submission of the same form (a double click, a reload that
/// re-posts) changes nothing. A repeat that arrives while the first is still
/// running waits for it. The same key with other values is a 409. Only a
/// successful first run uses up the key.
pub(crate) async fn form_once<T, F, Fut>(
    state: &AppState,
    principal: &Principal,
    key: &str,
    request: &[u8],
    work: F,
) -> ApiResult<Once<T>>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ApiResult<T>>,
{
    let user = user_of(principal)?;
    // A post without a key (not from the page's form) runs as it is, like
    // an API request without an Idempotency-Key.
    if key.is_empty() {
        return Ok(Once::Done(work().await?));
    }
    if !(16..=255).contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::bad_request(
            "this form has no valid one-time key; reload the page and send it again",
        )
        .field("form_key"));
    }
    let scope = format!("form:{}", user.id);
    let request_hash = ladder_core::text::sha256_hex(request);
    let reused = || {
        ApiError::new(
            StatusCode::CONFLICT,
            "idempotency_key_reused",
            "this form was already sent with other values; reload the page to send it again",
        )
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    let claim = loop {
        if let Some(claim) = InFlight::claim(format!("{scope}\n{key}")) {
            break claim;
        }
        // The first submission is still running: wait for its outcome.
        if Instant::now() > deadline {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "idempotency_key_in_use",
                "this form is still being processed; reload the page in a moment",
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    match state.store().idempotent_response(&scope, key).await? {
        Some(saved) if saved.request_hash == request_hash => return Ok(Once::Repeated),
        Some(_) => return Err(reused()),
        None => {}
    }
    let done = work().await?;
    let saved = IdempotentResponse {
        request_hash,
        status: 201,
        body: String::new(),
    };
    if let Err(error) = state
        .store()
        .save_idempotent_response(&scope, key, &saved)
        .await
    {
        tracing::error!(%error, "could not store a form's one-time key");
    }
    drop(claim);
    Ok(Once::Done(done))
}

fn candidate_requests() -> &'static Mutex<HashMap<String, VecDeque<Instant>>> {
    static REQUESTS: OnceLock<Mutex<HashMap<String, VecDeque<Instant>>>> = OnceLock::new();
    REQUESTS.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Counts a request for `key`; `Err(seconds)` to wait once the window is full.
fn candidate_allowed(key: &str, now: Instant) -> Result<(), u64> {
    let mut requests = lock(candidate_requests());
    if requests.len() > 10_000 {
        requests.retain(|_, times| {
            times
                .back()
                .is_some_and(|last| now.duration_since(*last) < CANDIDATE_WINDOW)
        });
    }
    let times = requests.entry(key.to_string()).or_default();
    while times
        .front()
        .is_some_and(|first| now.duration_since(*first) >= CANDIDATE_WINDOW)
    {
        times.pop_front();
    }
    if times.len() >= CANDIDATE_LIMIT {
        let wait = times
            .front()
            .map(|first| CANDIDATE_WINDOW.saturating_sub(now.duration_since(*first)))
            .unwrap_or(CANDIDATE_WINDOW);
        return Err(wait.as_secs().max(1));
    }
    times.push_back(now);
    Ok(())
}

/// At most [`CANDIDATE_LIMIT`] requests a minute per candidate token.
pub(crate) async fn candidate_rate_limit(request: Request, next: Next) -> Response {
    let key = candidate_token(request.uri().path()).map(secret_hash);
    if let Some(key) = key {
        if let Err(wait) = candidate_allowed(&key, Instant::now()) {
            let mut response = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("too many requests for this interview; try again in {wait} s"),
            )
            .into_response();
            if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return response;
        }
    }
    next.run(request).await
}

// ---------------------------------------------------------------------------
// Handlers

#[utoipa::path(post, path = "/api/v1/job-specs/{id}/interviews", tag = "interviews", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "retry safely: the same key and request return the first response")),
    request_body = NewInterview,
    responses((status = 201, body = Invitation), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "never published, or the Idempotency-Key was used for another request"), (status = 422, body = ErrorBody, description = "`field` is `candidate_name`, `candidate_email`, `expires_in_days` or `interviewers[i]`")))]
pub async fn invite(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<NewInterview>,
) -> ApiResult<Response> {
    let created = invite_candidate(&state, &id, input, &principal.actor()).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[utoipa::path(post, path = "/api/v1/job-specs/{id}/interviews/csv", tag = "interviews", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content = String, content_type = "text/csv", description = "a header `name,email` (or `candidate_name,candidate_email`) and one candidate per line"),
    responses((status = 201, body = Vec<Invitation>), (status = 409, body = ErrorBody, description = "never published"), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody, description = "nothing was created; `field` is `header`, `rows` or `rows[i].name` / `rows[i].email` (0-based data rows)")))]
pub async fn invite_csv(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let is_csv = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv") || v.starts_with("text/plain"));
    if !is_csv {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the file with `Content-Type: text/csv`",
        ));
    }
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::unprocessable("the file is not UTF-8 text"))?;
    let created = invite_from_csv(&state, &id, text, &principal.actor()).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

#[utoipa::path(get, path = "/api/v1/job-specs/{id}/interviews", tag = "interviews", params(("id" = String, Path)),
    responses((status = 200, body = Vec<InterviewDto>, description = "interviewers see only the interviews they are assigned to"), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<InterviewDto>>> {
    let interviews = visible_interviews(&state, &principal, &id).await?;
    Ok(Json(interviews.iter().map(InterviewDto::new).collect()))
}

#[utoipa::path(get, path = "/api/v1/interviews/{id}", tag = "interviews", params(("id" = String, Path)),
    responses((status = 200, body = InterviewDetail), (status = 403, body = ErrorBody, description = "an interviewer not assigned to this interview"), (status = 404, body = ErrorBody)))]
pub async fn detail(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<InterviewDetail>> {
    Ok(Json(interview_detail(&state, &principal, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignInterviewer {
    pub user_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct Interviewers {
    pub interview_id: String,
    pub interviewers: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/interviews/{id}/interviewers", tag = "interviews", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = AssignInterviewer,
    responses((status = 200, body = Interviewers), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody, description = "`field` is `user_id`")))]
pub async fn assign(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<AssignInterviewer>,
) -> ApiResult<Json<Interviewers>> {
    interview_or_404(&state, &id).await?;
    check_interviewer(&state, &input.user_id, "user_id").await?;
    state
        .store()
        .assign_interviewer(&id, &input.user_id, &principal.actor())
        .await?;
    Ok(Json(Interviewers {
        interviewers: state.store().interviewers(&id).await?,
        interview_id: id,
    }))
}

#[utoipa::path(post, path = "/api/v1/interviews/{id}/withdraw", tag = "interviews", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = InterviewDto), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "already completed, withdrawn or expired")))]
pub async fn withdraw(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<InterviewDto>> {
    interview_or_404(&state, &id).await?;
    let closed = state
        .store()
        .close_interview(&id, Status::Withdrawn, &principal.actor())
        .await?;
    Ok(Json(InterviewDto::new(&closed)))
}

#[utoipa::path(post, path = "/api/v1/interviews/{id}/scorecards", tag = "interviews", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = ScorecardInput,
    responses((status = 200, body = ScorecardSaved, description = "the caller's scorecard, as a new revision"), (status = 403, body = ErrorBody, description = "an interviewer not assigned to this interview"), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody, description = "`field` names the first problem, e.g. `scores[1].score` or `must_haves`")))]
pub async fn scorecard(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<ScorecardInput>,
) -> ApiResult<Json<ScorecardSaved>> {
    Ok(Json(save_scorecard(&state, &principal, &id, input).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct PerformanceParams {
    /// A published version number or label; all versions when absent.
    pub version: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/job-specs/{id}/performance", tag = "interviews", params(("id" = String, Path), PerformanceParams),
    responses((status = 200, body = Performance, description = "maintained figures: constant cost whatever the number of interviews"), (status = 404, body = ErrorBody)))]
pub async fn performance(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<PerformanceParams>,
) -> ApiResult<Json<Performance>> {
    Ok(Json(
        job_spec_performance(&state, &id, params.version.as_deref()).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/job-specs/{id}/results.json", tag = "interviews", params(("id" = String, Path)),
    responses((status = 200, body = Results), (status = 404, body = ErrorBody)))]
pub async fn results_json(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Json<Results>> {
    Ok(Json(results(&state, &principal, &id).await?))
}

#[utoipa::path(get, path = "/api/v1/job-specs/{id}/results.csv", tag = "interviews", params(("id" = String, Path)),
    responses((status = 200, content_type = "text/csv", body = String, description = "one row per interview; a column per competency of the current version"), (status = 404, body = ErrorBody)))]
pub async fn results_csv(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let results = results(&state, &principal, &id).await?;
    let disposition = format!(
        "attachment; filename=\"{}-results.csv\"",
        id.replace(
            |c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_',
            ""
        )
    );
    let mut response = (
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        results_to_csv(&results),
    )
        .into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/candidate/{token}", tag = "candidate", params(("token" = String, Path, description = "the secret from the candidate's link")),
    responses((status = 200, body = CandidateView), (status = 404, body = ErrorBody, description = "unknown link"), (status = 410, body = ErrorBody, description = "`expired` or `withdrawn`"), (status = 429, body = ErrorBody)))]
pub async fn candidate_view(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<Json<CandidateView>> {
    let interview = by_token(&state, &token).await?;
    Ok(Json(candidate_view_of(&state, &interview).await?))
}

#[utoipa::path(post, path = "/api/v1/candidate/{token}/answers", tag = "candidate", params(("token" = String, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = CandidateAnswer,
    responses((status = 201, body = CandidateAnswered, description = "recorded"), (status = 200, body = CandidateAnswered, description = "already answered: the first answer stands"),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "`out_of_order` for a Round 02 prompt ahead of the next one"), (status = 410, body = ErrorBody), (status = 422, body = ErrorBody, description = "`field` is `round`, `item_id` or `text`"), (status = 429, body = ErrorBody)))]
pub async fn candidate_answer(
    State(state): State<AppState>,
    Path(token): Path<String>,
    JsonBody(input): JsonBody<CandidateAnswer>,
) -> ApiResult<Response> {
    let (created, answered) = answer(&state, &token, input).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(answered)).into_response())
}

#[utoipa::path(post, path = "/api/v1/candidate/{token}/finish", tag = "candidate", params(("token" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 200, body = CandidateView, description = "completed"), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn candidate_finish(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> ApiResult<Json<CandidateView>> {
    Ok(Json(finish(&state, &token).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_reads_quotes_crlf_and_blank_lines() {
        let records = csv_records(
            "\u{feff}name,email\r\n\"Doe, Jane\",jane@example.com\r\n\"Say \"\"hi\"\"\",\"a\nb@example.com\"\r\n\r\n\n",
        )
        .expect("parses");
        assert_eq!(records[0], (1, vec!["name".into(), "email".into()]));
        assert_eq!(records[1].1, vec!["Doe, Jane", "jane@example.com"]);
        assert_eq!(records[2].1, vec!["Say \"hi\"", "a\nb@example.com"]);
        assert!(csv_records("name,email\n\"open,x\n").is_err());
    }

    #[test]
    fn csv_candidates_are_all_checked_first() {
        let ok = csv_candidates(
            "candidate_name,candidate_email\nA,a@example.com\n\nB,b@example.com\n\n",
        )
        .expect("valid");
        assert_eq!(ok.len(), 2);
        let bad = csv_candidates("name,email\nA,a@example.com\nB,not-an-email\n")
            .err()
            .expect("invalid");
        assert_eq!(bad.field.as_deref(), Some("rows[1].email"));
        let header = csv_candidates("who,where\nA,a@example.com\n")
            .err()
            .expect("invalid");
        assert_eq!(header.field.as_deref(), Some("header"));
    }

    #[test]
    fn csv_output_is_quoted_and_formula_safe() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
    }

    #[test]
    fn the_candidate_window_slides() {
        let start = Instant::now();
        let key = "unit-test-window";
        for _ in 0..CANDIDATE_LIMIT {
            assert!(candidate_allowed(key, start).is_ok());
        }
        assert!(candidate_allowed(key, start).is_err());
        assert!(candidate_allowed(key, start + CANDIDATE_WINDOW).is_ok());
    }
}
