//! The interview web pages (PRODUCT.md §3): a job spec's interviews with the
//! invite form, its live performance, and one interview with the scorecard
//! form. Handlers work through the `interviews` service, exactly like the
//! API, and hand plain values to `ladder_web` to render.
//!
//! Roles are enforced by the access middleware; assignment (an interviewer
//! only sees the interviews they are assigned to) by the service, whose 403
//! becomes the forbidden page here.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use ladder_core::access::Role;
use ladder_core::interview::{CompetencyScore, MustHaveCheck, Recommendation, Status};
use ladder_core::jobspec::JobSpecBody;
use ladder_store::VersionSelector;
use ladder_web::{
    AnswerView, CandidateLinkRow, CompetencyFigure, EvaluatorOffer, FieldError, FiguresView,
    InterviewListView, InterviewRow, InterviewView, InterviewerChoice, InviteInput, MustInput,
    PerformanceView, RoundAnswers, ScoreInput, ScorecardForm, ScorecardSummary, VersionFigureRow,
};
use serde::Deserialize;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::forms::{self, can_edit, sentence, Fields};
use crate::interviews::{
    self, Figures, InterviewDetail, NewInterview, Once, ScorecardDto, ScorecardInput,
};
use crate::pages::{html, url_encode, Chrome};
use crate::state::AppState;

// ---------------------------------------------------------------- plumbing

/// A service error as a page of its own.
async fn error_page(state: &AppState, principal: &Principal, error: ApiError) -> Response {
    crate::pages::service_error_page(state, principal, error, "interview page").await
}

fn version_name(version: u32, label: Option<&str>) -> String {
    label.map_or_else(|| format!("v{version}"), str::to_string)
}

// ---------------------------------------------------------------- list + invite

/// What the interviews page shows besides the list itself.
#[derive(Default)]
struct ListState {
    input: InviteInput,
    error: Option<FieldError>,
    csv_error: Option<FieldError>,
    candidate_link: Option<String>,
    csv_links: Vec<CandidateLinkRow>,
    notice: Option<String>,
}

/// Active users who can be assigned to interview, by e-mail.
async fn interviewer_choices(state: &AppState) -> Result<Vec<InterviewerChoice>, ApiError> {
    let mut users: Vec<InterviewerChoice> = state
        .store()
        .users()
        .await?
        .into_iter()
        .filter(|u| {
            !u.disabled
                && matches!(
                    u.role,
                    Role::Interviewer | Role::HiringManager | Role::Admin
                )
        })
        .map(|u| InterviewerChoice {
            id: u.id,
            email: u.email,
            role: u.role.as_str().to_string(),
        })
        .collect();
    users.sort_by(|a, b| a.email.cmp(&b.email));
    Ok(users)
}

async fn list_page(
    state: &AppState,
    principal: &Principal,
    id: &str,
    shown: &ListState,
    status: StatusCode,
) -> Response {
    let summary = match state.store().job_spec_summary(id).await {
        Ok(Some(summary)) => summary,
        Ok(None) => {
            return error_page(
                state,
                principal,
                ApiError::not_found(format!("job spec {id}")),
            )
            .await
        }
        Err(error) => return error_page(state, principal, error.into()).await,
    };
    let interviews = match interviews::visible_interviews(state, principal, id).await {
        Ok(interviews) => interviews,
        Err(error) => return error_page(state, principal, error).await,
    };
    let labels: HashMap<u32, Option<String>> = match state.store().job_spec_versions(id).await {
        Ok(versions) => versions.into_iter().map(|v| (v.version, v.label)).collect(),
        Err(error) => return error_page(state, principal, error.into()).await,
    };
    let can_invite = can_edit(principal);
    let choices = if can_invite {
        match interviewer_choices(state).await {
            Ok(choices) => choices,
            Err(error) => return error_page(state, principal, error).await,
        }
    } else {
        Vec::new()
    };
    let now = ladder_store::now_millis();
    let rows: Vec<InterviewRow> = interviews
        .into_iter()
        .map(|interview| {
            let status = if interview.status.is_open() && interview.expires_at < now {
                Status::Expired
            } else {
                interview.status
            };
            InterviewRow {
                version_label: version_name(
                    interview.version,
                    labels.get(&interview.version).and_then(|l| l.as_deref()),
                ),
                status: status.as_str().to_string(),
                overall: interview.overall.map(|t| t.to_string()),
                fails_must_have: interview.fails_must_have,
                open: status.is_open(),
                id: interview.id,
                candidate_name: interview.candidate_name,
                candidate_email: interview.candidate_email,
            }
        })
        .collect();
    // A fresh one-time key per rendering: each form on the page is sent once.
    let form_key = crate::auth::random_secret();
    let view = InterviewListView {
        job_spec_id: &summary.id,
        title: &summary.title,
        rows: &rows,
        can_invite,
        published: summary.current_version.is_some(),
        input: &shown.input,
        error: shown.error.as_ref(),
        candidate_link: shown.candidate_link.as_deref(),
        csv_links: &shown.csv_links,
        interviewers: &choices,
        form_key: &form_key,
        csv_error: shown.csv_error.as_ref(),
        notice: shown.notice.as_deref(),
    };
    let chrome = Chrome::new(state, principal).await;
    let title = format!("Interviews · {}", summary.title);
    html(
        status,
        ladder_web::interview_list(&chrome.page(&title, None, None), &view),
    )
}

pub async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Response {
    list_page(
        &state,
        &principal,
        &id,
        &ListState::default(),
        StatusCode::OK,
    )
    .await
}

fn problem_of(error: &ApiError) -> FieldError {
    FieldError {
        field: error.field.clone().unwrap_or_default(),
        message: sentence(&error.message),
    }
}

const REPEATED: &str = "This form was already sent and has been done once; nothing new was created. (Candidate links are shown only the first time.)";

pub async fn invite(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let fields = Fields::parse(&body);
    let input = InviteInput {
        candidate_name: fields.text("candidate_name"),
        candidate_email: fields.text("candidate_email"),
        interviewers: fields
            .all("interviewers")
            .into_iter()
            .map(str::to_string)
            .collect(),
        csv: String::new(),
    };
    let request = NewInterview {
        candidate_name: input.candidate_name.clone(),
        candidate_email: input.candidate_email.clone(),
        expires_in_days: None,
        interviewers: input.interviewers.clone(),
    };
    let key = fields.text("form_key");
    let actor = principal.actor();
    let outcome = interviews::form_once(&state, &principal, &key, &body, || {
        interviews::invite_candidate(&state, &id, request, &actor)
    })
    .await;
    let shown = match outcome {
        Ok(Once::Done(invitation)) => ListState {
            candidate_link: Some(invitation.candidate_url),
            ..ListState::default()
        },
        Ok(Once::Repeated) => ListState {
            notice: Some(REPEATED.to_string()),
            ..ListState::default()
        },
        Err(error)
            if matches!(
                error.status,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT | StatusCode::BAD_REQUEST
            ) =>
        {
            let status = error.status;
            let shown = ListState {
                error: Some(problem_of(&error)),
                input,
                ..ListState::default()
            };
            return list_page(&state, &principal, &id, &shown, status).await;
        }
        Err(error) => return error_page(&state, &principal, error).await,
    };
    list_page(&state, &principal, &id, &shown, StatusCode::CREATED).await
}

/// The CSV of a form: an uploaded file, or else the pasted text.
fn csv_of_form(content_type: &str, body: &[u8]) -> (String, String) {
    let Some(parts) = forms::multipart(content_type, body) else {
        let fields = Fields::parse(body);
        return (fields.text("csv"), fields.text("form_key"));
    };
    let text = |name: &str| {
        parts
            .iter()
            .find(|p| p.name == name)
            .map(|p| String::from_utf8_lossy(&p.bytes).into_owned())
            .unwrap_or_default()
    };
    let file = parts
        .iter()
        .find(|p| p.name == "file" && !p.bytes.is_empty())
        .map(|p| String::from_utf8_lossy(&p.bytes).into_owned());
    (file.unwrap_or_else(|| text("csv")), text("form_key"))
}

/// `POST /job-specs/{id}/interviews/csv`: a CSV file (or pasted text) of
/// candidates, all checked before any is invited.
pub async fn invite_csv(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (csv, key) = csv_of_form(content_type, &body);
    let actor = principal.actor();
    let outcome = interviews::form_once(&state, &principal, &key, &body, || {
        interviews::invite_from_csv(&state, &id, &csv, &actor)
    })
    .await;
    let shown = match outcome {
        Ok(Once::Done(invitations)) => ListState {
            csv_links: invitations
                .into_iter()
                .map(|invitation| CandidateLinkRow {
                    name: invitation.interview.candidate_name,
                    email: invitation.interview.candidate_email,
                    link: invitation.candidate_url,
                })
                .collect(),
            ..ListState::default()
        },
        Ok(Once::Repeated) => ListState {
            notice: Some(REPEATED.to_string()),
            ..ListState::default()
        },
        Err(error)
            if matches!(
                error.status,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT | StatusCode::BAD_REQUEST
            ) =>
        {
            let status = error.status;
            let shown = ListState {
                csv_error: Some(problem_of(&error)),
                input: InviteInput {
                    csv,
                    ..InviteInput::default()
                },
                ..ListState::default()
            };
            return list_page(&state, &principal, &id, &shown, status).await;
        }
        Err(error) => return error_page(&state, &principal, error).await,
    };
    list_page(&state, &principal, &id, &shown, StatusCode::CREATED).await
}

/// `POST /interviews/{id}/withdraw`: back to the job spec's interviews.
pub async fn withdraw(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Response {
    let interview = match state.store().interview(&id).await {
        Ok(Some(interview)) => interview,
        Ok(None) => {
            return error_page(
                &state,
                &principal,
                ApiError::not_found(format!("interview {id}")),
            )
            .await
        }
        Err(error) => return error_page(&state, &principal, error.into()).await,
    };
    let shown = match state
        .store()
        .close_interview(&id, Status::Withdrawn, &principal.actor())
        .await
    {
        Ok(closed) => ListState {
            notice: Some(format!(
                "The interview of {} was withdrawn; their link no longer works.",
                closed.candidate_name
            )),
            ..ListState::default()
        },
        Err(ladder_store::StoreError::Conflict(message)) => ListState {
            error: Some(FieldError {
                field: String::new(),
                message: sentence(&message),
            }),
            ..ListState::default()
        },
        Err(error) => return error_page(&state, &principal, error.into()).await,
    };
    let status = if shown.error.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    list_page(&state, &principal, &interview.job_spec_id, &shown, status).await
}

// ---------------------------------------------------------------- performance

#[derive(Deserialize)]
pub struct VersionQuery {
    version: Option<String>,
}

fn figures_view(figures: &Figures) -> FiguresView {
    FiguresView {
        interviews: figures.interviews,
        completed: figures.completed,
        completion: figures.completion.clone(),
        avg_score: figures.avg_score_display.clone(),
        competencies: figures
            .competencies
            .iter()
            .map(|c| CompetencyFigure {
                id: c.id.clone(),
                name: c.name.clone(),
                weight: c.weight.clone(),
                avg: c.avg.clone(),
                n: c.n,
            })
            .collect(),
        distribution: figures.distribution.clone(),
    }
}

pub async fn performance(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Query(query): Query<VersionQuery>,
) -> Response {
    let version = query.version.as_deref().filter(|v| !v.trim().is_empty());
    let performance = match interviews::job_spec_performance(&state, &id, version).await {
        Ok(performance) => performance,
        Err(error) => return error_page(&state, &principal, error).await,
    };
    let title = match state.store().job_spec_summary(&id).await {
        Ok(Some(summary)) => summary.title,
        Ok(None) => id.clone(),
        Err(error) => return error_page(&state, &principal, error.into()).await,
    };
    let figures = figures_view(&performance.figures);
    let versions: Vec<VersionFigureRow> = performance
        .versions
        .iter()
        .map(|v| VersionFigureRow {
            version: v.version,
            label: v.label.clone(),
            figures: figures_view(&v.figures),
        })
        .collect();
    let view = PerformanceView {
        job_spec_id: &id,
        title: &title,
        version: performance.version,
        figures: &figures,
        versions: &versions,
    };
    let chrome = Chrome::new(&state, &principal).await;
    let page_title = format!("Live performance · {title}");
    html(
        StatusCode::OK,
        ladder_web::performance(&chrome.page(&page_title, None, None), &view),
    )
}

// ---------------------------------------------------------------- one interview

fn rounds(body: &JobSpecBody, detail: &InterviewDetail) -> Vec<RoundAnswers> {
    let found = |round: u32, item: &str| {
        detail
            .answers
            .iter()
            .find(|a| a.round == round && a.item_id == item)
    };
    let answer = |round: u32, item: &str| found(round, item).map(|a| a.text.clone());
    let recording = |round: u32, item: &str| {
        found(round, item)
            .and_then(|a| a.audio_id.as_ref())
            .and_then(|id| detail.recordings.iter().find(|r| &r.id == id))
    };
    let round =
        |number: u32, title: &str, items: &[ladder_core::jobspec::RoundItem]| RoundAnswers {
            title: title.to_string(),
            items: items
                .iter()
                .map(|item| AnswerView {
                    question: item.text.clone(),
                    answer: answer(number, &item.id),
                    audio_url: recording(number, &item.id).map(|r| r.url.clone()),
                    transcript: recording(number, &item.id).and_then(|r| r.transcript.clone()),
                })
                .collect(),
        };
    vec![
        round(1, "Round 01 · Questions", &body.round1),
        round(2, "Round 02 · Behavioural prompts", &body.round2),
    ]
}

fn recommendation_value(recommendation: Option<Recommendation>) -> &'static str {
    match recommendation {
        None => "",
        Some(Recommendation::StrongNo) => "strong_no",
        Some(Recommendation::No) => "no",
        Some(Recommendation::Yes) => "yes",
        Some(Recommendation::StrongYes) => "strong_yes",
    }
}

/// The form for `body`, filled from a saved scorecard when there is one.
fn form_from(body: &JobSpecBody, saved: Option<&ScorecardDto>) -> ScorecardForm {
    let card = saved.map(|s| &s.card);
    ScorecardForm {
        scores: body
            .competencies
            .iter()
            .map(|c| {
                let score =
                    card.and_then(|card| card.scores.iter().find(|s| s.competency_id == c.id));
                ScoreInput {
                    competency_id: c.id.clone(),
                    name: c.name.clone(),
                    weight: c.weight.decimal(),
                    score: score.map(|s| s.score.to_string()).unwrap_or_default(),
                    evidence: score.map(|s| s.evidence.clone()).unwrap_or_default(),
                }
            })
            .collect(),
        must_haves: body
            .must_haves
            .iter()
            .enumerate()
            .filter(|(_, m)| m.required)
            .map(|(index, m)| MustInput {
                index,
                text: m.text.clone(),
                met: card.and_then(|card| {
                    card.must_haves
                        .iter()
                        .find(|check| check.text == m.text)
                        .map(|check| check.met)
                }),
            })
            .collect(),
        recommendation: recommendation_value(card.and_then(|c| c.recommendation)).to_string(),
        notes: card.map(|c| c.notes.clone()).unwrap_or_default(),
        state: saved.map(|s| {
            if s.submitted {
                "submitted".to_string()
            } else {
                "draft saved".to_string()
            }
        }),
        automated: saved.filter(|s| s.automated).map(|s| {
            s.drafted_by
                .clone()
                .unwrap_or_else(|| "the automated evaluator".to_string())
        }),
    }
}

/// The interview page; `form` replaces the saved scorecard (a failed save).
async fn interview_page(
    state: &AppState,
    principal: &Principal,
    id: &str,
    form: Option<ScorecardForm>,
    error: Option<&FieldError>,
    status: StatusCode,
) -> Response {
    let detail = match interviews::interview_detail(state, principal, id).await {
        Ok(detail) => detail,
        Err(error) => return error_page(state, principal, error).await,
    };
    let interview = &detail.interview;
    let version = match state
        .store()
        .job_spec_version(
            &interview.job_spec_id,
            &VersionSelector::Number(interview.version),
        )
        .await
    {
        Ok(Some(version)) => version,
        Ok(None) => {
            return error_page(
                state,
                principal,
                ApiError::internal(format!("interview {id} is pinned to a missing version")),
            )
            .await
        }
        Err(error) => return error_page(state, principal, error.into()).await,
    };
    let viewer = principal.user.as_ref();
    let viewer_id = viewer.map(|u| u.id.as_str()).unwrap_or_default();
    let sees_others = viewer.is_some_and(|u| matches!(u.role, Role::Admin | Role::HiringManager));
    let own = detail
        .scorecards
        .iter()
        .find(|s| s.interviewer_id == viewer_id);
    let mut others = Vec::new();
    if sees_others {
        let names: HashMap<&str, &str> = body_names(&version.body);
        for card in detail
            .scorecards
            .iter()
            .filter(|s| s.interviewer_id != viewer_id)
        {
            let interviewer = match state.store().user(&card.interviewer_id).await {
                Ok(Some(user)) => user.email,
                _ => card.interviewer_id.clone(),
            };
            others.push(ScorecardSummary {
                interviewer,
                submitted: card.submitted,
                scores: card
                    .card
                    .scores
                    .iter()
                    .map(|s| {
                        let name = names
                            .get(s.competency_id.as_str())
                            .map_or(s.competency_id.clone(), |n| (*n).to_string());
                        (name, s.score, s.evidence.clone())
                    })
                    .collect(),
                must_haves: card
                    .card
                    .must_haves
                    .iter()
                    .map(|m| (m.text.clone(), m.met))
                    .collect(),
                recommendation: recommendation_value(card.card.recommendation).to_string(),
                notes: card.card.notes.clone(),
                automated: card.automated,
            });
        }
    }
    let form = if interview.status == Status::Withdrawn {
        None
    } else {
        Some(form.unwrap_or_else(|| form_from(&version.body, own)))
    };
    let rounds = rounds(&version.body, &detail);
    let version_label = version_name(version.version, version.label.as_deref());
    // The evaluator drafts the viewer's own scorecard until they submit it.
    let evaluator = match (state.llm(), &form) {
        (Some(llm), Some(_)) if !own.is_some_and(|s| s.submitted) => Some(EvaluatorOffer {
            model: llm.generator(),
            replaces_draft: own.is_some_and(|s| !s.automated),
        }),
        _ => None,
    };
    let view = InterviewView {
        id: &interview.id,
        job_spec_id: &interview.job_spec_id,
        job_title: &version.body.title,
        candidate_name: &interview.candidate_name,
        candidate_email: &interview.candidate_email,
        status: interview.status.as_str(),
        version_label: &version_label,
        overall: detail.overall.as_deref(),
        fails_must_have: detail.fails_must_have,
        rounds: &rounds,
        others: &others,
        form: form.as_ref(),
        error,
        evaluator,
    };
    let chrome = Chrome::new(state, principal).await;
    let title = format!("Interview · {}", interview.candidate_name);
    html(
        status,
        ladder_web::interview(&chrome.page(&title, None, None), &view),
    )
}

fn body_names(body: &JobSpecBody) -> HashMap<&str, &str> {
    body.competencies
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Response {
    interview_page(&state, &principal, &id, None, None, StatusCode::OK).await
}

fn field_error(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// The form as typed, over the competencies and must-haves of `body`.
fn typed_form(body: &JobSpecBody, fields: &Fields) -> ScorecardForm {
    let mut form = form_from(body, None);
    for score in &mut form.scores {
        score.score = fields
            .text(&format!("score_{}", score.competency_id))
            .trim()
            .to_string();
        score.evidence = fields.text(&format!("evidence_{}", score.competency_id));
    }
    for must in &mut form.must_haves {
        must.met = match fields.first(&format!("must_{}", must.index)) {
            Some("met") => Some(true),
            Some("not_met") => Some(false),
            _ => None,
        };
    }
    form.recommendation = fields.text("recommendation");
    form.notes = fields.text("notes");
    form
}

/// The service's request for a typed form, or the field that is wrong.
fn scorecard_input(
    form: &ScorecardForm,
    fields: &Fields,
    submit: bool,
) -> Result<ScorecardInput, FieldError> {
    let mut scores = Vec::new();
    for input in &form.scores {
        if input.score.is_empty() {
            continue;
        }
        let score = input.score.parse().map_err(|_| {
            field_error(
                format!("score_{}", input.competency_id),
                format!(
                    "“{}” is not a score: write a whole number from 0 to 100",
                    input.score
                ),
            )
        })?;
        scores.push(CompetencyScore {
            competency_id: input.competency_id.clone(),
            score,
            evidence: input.evidence.clone(),
            criteria: Vec::new(),
        });
    }
    let mut must_haves = Vec::new();
    for must in &form.must_haves {
        let field = format!("must_{}", must.index);
        match (must.met, fields.first(&field)) {
            (Some(met), _) => must_haves.push(MustHaveCheck {
                text: must.text.clone(),
                met,
            }),
            (None, None | Some("")) => {}
            (None, Some(other)) => {
                return Err(field_error(
                    field,
                    format!("“{other}” is neither met nor not met"),
                ))
            }
        }
    }
    let recommendation = match form.recommendation.trim() {
        "" => None,
        "strong_no" => Some(Recommendation::StrongNo),
        "no" => Some(Recommendation::No),
        "yes" => Some(Recommendation::Yes),
        "strong_yes" => Some(Recommendation::StrongYes),
        other => {
            return Err(field_error(
                "recommendation",
                format!(
                    "“{other}” is not a recommendation: choose strong no, no, yes or strong yes"
                ),
            ))
        }
    };
    Ok(ScorecardInput {
        scores,
        must_haves,
        recommendation,
        notes: form.notes.clone(),
        submit,
    })
}

/// The service names fields of its request (`scores[1].score`, `must_haves`);
/// the form names them per competency and must-have.
fn form_field(field: Option<&str>, form: &ScorecardForm, input: &ScorecardInput) -> String {
    let Some(field) = field else {
        return String::new();
    };
    let indexed = |prefix: &str| {
        field
            .strip_prefix(prefix)
            .and_then(|rest| rest.split(']').next())
            .and_then(|index| index.parse::<usize>().ok())
    };
    if let Some(index) = indexed("scores[") {
        if let Some(score) = input.scores.get(index) {
            return format!("score_{}", score.competency_id);
        }
    }
    if let Some(index) = indexed("must_haves[") {
        if let Some(check) = input.must_haves.get(index) {
            if let Some(must) = form.must_haves.iter().find(|m| m.text == check.text) {
                return format!("must_{}", must.index);
            }
        }
    }
    match field {
        // "score X (x) before submitting": the first competency left blank.
        "scores" => form
            .scores
            .iter()
            .find(|s| s.score.is_empty())
            .map(|s| format!("score_{}", s.competency_id))
            .unwrap_or_default(),
        "must_haves" => form
            .must_haves
            .iter()
            .find(|m| m.met.is_none())
            .map(|m| format!("must_{}", m.index))
            .unwrap_or_default(),
        "recommendation" | "notes" => field.to_string(),
        _ => String::new(),
    }
}

pub async fn scorecard(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let fields = Fields::parse(&body);
    let submit = fields.first("action") == Some("submit");
    // The pinned version names the form's fields; reading the detail first
    // also refuses interviewers who are not assigned.
    let detail = match interviews::interview_detail(&state, &principal, &id).await {
        Ok(detail) => detail,
        Err(error) => return error_page(&state, &principal, error).await,
    };
    let version = match state
        .store()
        .job_spec_version(
            &detail.interview.job_spec_id,
            &VersionSelector::Number(detail.interview.version),
        )
        .await
    {
        Ok(Some(version)) => version,
        Ok(None) => {
            return error_page(
                &state,
                &principal,
                ApiError::not_found(format!("the version of interview {id}")),
            )
            .await
        }
        Err(error) => return error_page(&state, &principal, error.into()).await,
    };
    let form = typed_form(&version.body, &fields);
    let input = match scorecard_input(&form, &fields, submit) {
        Ok(input) => input,
        Err(problem) => {
            return interview_page(
                &state,
                &principal,
                &id,
                Some(form),
                Some(&problem),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let mapped = |error: &ApiError, input: &ScorecardInput| FieldError {
        field: form_field(error.field.as_deref(), &form, input),
        message: sentence(&error.message),
    };
    let echo = ScorecardInput {
        scores: input.scores.clone(),
        must_haves: input.must_haves.clone(),
        recommendation: input.recommendation,
        notes: String::new(),
        submit,
    };
    match interviews::save_scorecard(&state, &principal, &id, input).await {
        Ok(_) => Redirect::to(&format!("/interviews/{}", url_encode(&id))).into_response(),
        Err(error)
            if matches!(
                error.status,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT
            ) =>
        {
            let problem = mapped(&error, &echo);
            interview_page(
                &state,
                &principal,
                &id,
                Some(form),
                Some(&problem),
                error.status,
            )
            .await
        }
        Err(error) => error_page(&state, &principal, error).await,
    }
}

/// `POST /interviews/{id}/scorecard/automated`: the evaluator drafts the
/// viewer's scorecard; back to the interview, where the draft waits for
/// review (or the reason it failed is shown above the form).
pub async fn automated(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let fields = Fields::parse(&body);
    let request = crate::evaluator::AutomatedRequest {
        replace_draft: fields.first("replace_draft") == Some("true"),
    };
    match crate::evaluator::draft(&state, &principal, &id, request).await {
        Ok(_) => Redirect::to(&format!("/interviews/{}", url_encode(&id))).into_response(),
        Err(error)
            if matches!(
                error.status,
                StatusCode::CONFLICT
                    | StatusCode::BAD_GATEWAY
                    | StatusCode::SERVICE_UNAVAILABLE
                    | StatusCode::UNPROCESSABLE_ENTITY
            ) =>
        {
            let problem = FieldError {
                field: "evaluator".to_string(),
                message: sentence(&error.message),
            };
            interview_page(&state, &principal, &id, None, Some(&problem), error.status).await
        }
        Err(error) => error_page(&state, &principal, error).await,
    }
}
