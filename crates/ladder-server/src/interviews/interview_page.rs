//! One interview for the staff: the candidate's answers and recordings, the
//! other interviewers' scorecards (for hiring managers and admins), and the
//! viewer's own scorecard form, saved as a draft or submitted; and the
//! automated evaluator's draft when a language model is configured. Above
//! them, the candidate's link: its expiry and, for hiring managers and
//! admins, forms to extend it and to replace it (the new link shown once).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::Extension;
use ladder_core::access::Action;
use ladder_core::interview::{CompetencyScore, MustHaveCheck, Recommendation, Status};
use ladder_core::jobspec::JobSpecBody;
use ladder_store::VersionSelector;
use ladder_web::{
    AnswerView, EvaluatorOffer, FieldError, InterviewView, LinkPanel, MustInput, RoundAnswers,
    ScoreInput, ScorecardForm, ScorecardSummary,
};

use super::dto::{effective_status, InterviewDetail, ScorecardDto};
use super::evaluator::{draft, AutomatedRequest};
use super::links::{self, expiry_text};
use super::pages::version_name;
use super::scorecards::{interview_detail, save_scorecard, ScorecardInput};
use crate::http::access::may;
use crate::http::auth::{random_secret, Principal};
use crate::http::error::ApiError;
use crate::http::extract::Fields;
use crate::http::idempotency::{form_once, Once};
use crate::http::page::{html, Chrome, PageResult};
use crate::http::state::AppState;
use crate::http::text::{sentence, url_encode};

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

/// What the link panel shows besides the link's state: a link just made,
/// what just happened, or why a change was refused.
#[derive(Default)]
struct LinkShown {
    new_link: Option<String>,
    notice: Option<String>,
    error: Option<FieldError>,
    days: Option<String>,
}

/// How many days the extend form offers unless the viewer typed another.
const EXTEND_DAYS: u32 = 7;

/// The link panel of `id` for `principal`.
async fn link_panel(
    state: &AppState,
    principal: &Principal,
    id: &str,
    shown: LinkShown,
) -> Result<LinkPanel, ApiError> {
    let interview = state
        .store()
        .interview(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("interview {id}")))?;
    let status = effective_status(&interview, ladder_store::now_millis());
    let (expires_date, expires_in) = expiry_text(interview.expires_at);
    Ok(LinkPanel {
        expires_at: crate::http::text::rfc3339(interview.expires_at),
        expires_date,
        expires_in,
        expired: status == Status::Expired,
        closed: matches!(status, Status::Completed | Status::Withdrawn)
            .then(|| status.as_str().to_string()),
        can_manage: may(principal, Action::EditJobSpecs),
        new_link: shown.new_link,
        notice: shown.notice,
        error: shown.error,
        days: shown.days.unwrap_or_else(|| EXTEND_DAYS.to_string()),
        form_key: random_secret(),
    })
}

/// The interview page; `form` replaces the saved scorecard (a failed save).
async fn interview_page(
    state: &AppState,
    principal: &Principal,
    id: &str,
    form: Option<ScorecardForm>,
    error: Option<&FieldError>,
    status: StatusCode,
) -> PageResult {
    interview_page_with(
        state,
        principal,
        id,
        form,
        error,
        LinkShown::default(),
        status,
    )
    .await
}

async fn interview_page_with(
    state: &AppState,
    principal: &Principal,
    id: &str,
    form: Option<ScorecardForm>,
    error: Option<&FieldError>,
    shown: LinkShown,
    status: StatusCode,
) -> PageResult {
    let detail = interview_detail(state, principal, id).await?;
    let link = link_panel(state, principal, id, shown).await?;
    let interview = &detail.interview;
    let version = state
        .store()
        .job_spec_version(
            &interview.job_spec_id,
            &VersionSelector::Number(interview.version),
        )
        .await?
        .ok_or_else(|| {
            ApiError::internal(format!("interview {id} is pinned to a missing version"))
        })?;
    let viewer = principal.user.as_ref();
    let viewer_id = viewer.map(|u| u.id.as_str()).unwrap_or_default();
    // The detail holds only the scorecards the viewer may see (the same rule
    // as the API): the others are those besides their own.
    let own = detail
        .scorecards
        .iter()
        .find(|s| s.interviewer_id == viewer_id);
    let mut others = Vec::new();
    {
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
        link: &link,
    };
    let chrome = Chrome::new(state, principal).await;
    let title = format!("Interview · {}", interview.candidate_name);
    Ok(html(
        status,
        ladder_web::interview(&chrome.page(&title, None, None), &view),
    ))
}

fn body_names(body: &JobSpecBody) -> HashMap<&str, &str> {
    body.competencies
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect()
}

pub(super) async fn show(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> PageResult {
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

pub(super) async fn scorecard(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    let fields = Fields::parse(&body);
    let submit = fields.first("action") == Some("submit");
    // The pinned version names the form's fields; reading the detail first
    // also refuses interviewers who are not assigned.
    let detail = interview_detail(&state, &principal, &id).await?;
    let version = state
        .store()
        .job_spec_version(
            &detail.interview.job_spec_id,
            &VersionSelector::Number(detail.interview.version),
        )
        .await?
        .ok_or_else(|| ApiError::not_found(format!("the version of interview {id}")))?;
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
    match save_scorecard(&state, &principal, &id, input, None).await {
        Ok(_) => Ok(Redirect::to(&format!("/interviews/{}", url_encode(&id))).into_response()),
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
        Err(error) => Err(error.into()),
    }
}

/// `POST /interviews/{id}/scorecard/automated`: the evaluator drafts the
/// viewer's scorecard; back to the interview, where the draft waits for
/// review (or the reason it failed is shown above the form).
pub(super) async fn automated(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    let fields = Fields::parse(&body);
    let request = AutomatedRequest {
        replace_draft: fields.first("replace_draft") == Some("true"),
    };
    match draft(&state, &principal, &id, request, None).await {
        Ok(_) => Ok(Redirect::to(&format!("/interviews/{}", url_encode(&id))).into_response()),
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
        Err(error) => Err(error.into()),
    }
}

const LINK_REPEATED: &str = "This form was already sent and has been done once; nothing more was changed. (A new link is shown only the first time.)";

/// `POST /interviews/{id}/link/extend` with `days`: the link works that
/// many days longer; back on the interview page, which says until when.
pub(super) async fn extend_link(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    let fields = Fields::parse(&body);
    let typed = fields.text("days").trim().to_string();
    let Ok(days) = typed.parse::<u32>() else {
        let shown = LinkShown {
            error: Some(field_error(
                "days",
                format!("“{typed}” is not a number of days: write a whole number from 1 to 90"),
            )),
            days: Some(typed),
            ..LinkShown::default()
        };
        return interview_page_with(
            &state,
            &principal,
            &id,
            None,
            None,
            shown,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let actor = principal.actor();
    let (to, interview) = (&state, id.as_str());
    let outcome = form_once(
        &state,
        &principal,
        &fields.text("form_key"),
        &body,
        |once| async move { links::extend(to, interview, days, &actor, once.as_ref()).await },
    )
    .await;
    let (shown, status) = match outcome {
        Ok(Once::Done(extended)) => {
            let (date, distance) = expiry_text(extended.expires_at);
            (
                LinkShown {
                    notice: Some(format!("The link now works until {date} ({distance}).")),
                    ..LinkShown::default()
                },
                StatusCode::OK,
            )
        }
        Ok(Once::Repeated) => (
            LinkShown {
                notice: Some(LINK_REPEATED.to_string()),
                ..LinkShown::default()
            },
            StatusCode::OK,
        ),
        Err(error)
            if matches!(
                error.status,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT | StatusCode::BAD_REQUEST
            ) =>
        {
            (
                LinkShown {
                    error: Some(field_error(
                        error.field.clone().unwrap_or_default(),
                        sentence(&error.message),
                    )),
                    days: Some(typed),
                    ..LinkShown::default()
                },
                error.status,
            )
        }
        Err(error) => return Err(error.into()),
    };
    interview_page_with(&state, &principal, &id, None, None, shown, status).await
}

/// `POST /interviews/{id}/link/replace`: a new secret link, shown once on
/// the interview page; the old one stops working at once.
pub(super) async fn replace_link(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
    let fields = Fields::parse(&body);
    let actor = principal.actor();
    let (to, interview) = (&state, id.as_str());
    let outcome = form_once(
        &state,
        &principal,
        &fields.text("form_key"),
        &body,
        |once| async move { links::replace(to, interview, &actor, once.as_ref()).await },
    )
    .await;
    let (shown, status) = match outcome {
        Ok(Once::Done((replaced, shown))) => {
            let (date, distance) = expiry_text(replaced.expires_at);
            (
                LinkShown {
                    notice: Some(format!(
                        "The link was replaced. The new one works until {date} ({distance})."
                    )),
                    new_link: Some(shown.candidate_link),
                    ..LinkShown::default()
                },
                StatusCode::OK,
            )
        }
        Ok(Once::Repeated) => (
            LinkShown {
                notice: Some(LINK_REPEATED.to_string()),
                ..LinkShown::default()
            },
            StatusCode::OK,
        ),
        Err(error) if matches!(error.status, StatusCode::CONFLICT | StatusCode::BAD_REQUEST) => (
            LinkShown {
                error: Some(field_error(String::new(), sentence(&error.message))),
                ..LinkShown::default()
            },
            error.status,
        ),
        Err(error) => return Err(error.into()),
    };
    interview_page_with(&state, &principal, &id, None, None, shown, status).await
}
