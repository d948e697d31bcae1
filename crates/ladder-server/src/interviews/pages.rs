//! The interview web pages (PRODUCT.md §3) of a job spec: its interviews
//! with the invite forms (one candidate, or a CSV file), withdrawing, and its
//! live performance. One interview with its scorecard form is in
//! `interview_page.rs`. Handlers work through the same services as the API
//! and hand plain values to `ladder_web` to render.
//!
//! Roles are enforced by the access layer; assignment (an interviewer only
//! sees the interviews they are assigned to) by the services, whose 403
//! becomes the forbidden page.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Extension;
use ladder_core::access::{Action, Role};
use ladder_core::interview::Status;
use ladder_web::{
    CandidateLinkRow, CompetencyFigure, FieldError, FiguresView, InterviewListView, InterviewRow,
    InterviewerChoice, InviteInput, PerformanceView, SkippedCandidate, VersionFigureRow,
};
use serde::Deserialize;

use super::invitations::{invite_candidate, invite_from_csv, AgainHint, NewInterview};
use super::links::{expiry_text, link_expiry, DEFAULT_EXPIRY_DAYS};
use super::performance::{job_spec_performance, Figures};
use super::scorecards::{sight_of, visible_interviews};
use crate::http::access::may;
use crate::http::auth::{random_secret, Principal};
use crate::http::error::ApiError;
use crate::http::extract::{multipart, Fields};
use crate::http::idempotency::{form_once, Once};
use crate::http::page::{html, Chrome, PageResult};
use crate::http::state::AppState;
use crate::http::text::sentence;

// ---------------------------------------------------------------- plumbing

pub(super) fn version_name(version: u32, label: Option<&str>) -> String {
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
    /// When the links just made stop working, as people read it.
    link_expiry: Option<String>,
    /// The interview of a candidate invited before (the invitation was
    /// refused).
    already_invited: Option<String>,
    csv_links: Vec<CandidateLinkRow>,
    csv_skipped: Vec<SkippedCandidate>,
    notice: Option<String>,
}

/// "Tuesday 9 December 2025, 14:30 UTC (in 14 days)".
fn expiry_phrase(expires_at: i64) -> String {
    let (date, distance) = expiry_text(expires_at);
    format!("{date} ({distance})")
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
) -> PageResult {
    let summary = state
        .store()
        .job_spec_summary(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("job spec {id}")))?;
    let interviews = visible_interviews(state, principal, id).await?;
    let labels: HashMap<u32, Option<String>> = state
        .store()
        .job_spec_versions(id)
        .await?
        .into_iter()
        .map(|v| (v.version, v.label))
        .collect();
    let can_invite = may(principal, Action::EditJobSpecs);
    let choices = if can_invite {
        interviewer_choices(state).await?
    } else {
        Vec::new()
    };
    let now = ladder_store::now_millis();
    let mut rows: Vec<InterviewRow> = Vec::with_capacity(interviews.len());
    for interview in interviews {
        let status = if interview.status.is_open() && interview.expires_at < now {
            Status::Expired
        } else {
            interview.status
        };
        // An interviewer sees an interview's score once their own is in.
        let sight = sight_of(state, principal, &interview.id).await?;
        rows.push(InterviewRow {
            version_label: version_name(
                interview.version,
                labels.get(&interview.version).and_then(|l| l.as_deref()),
            ),
            status: status.as_str().to_string(),
            overall: interview
                .overall
                .filter(|_| sight.overall())
                .map(|t| t.to_string()),
            fails_must_have: sight.overall() && interview.fails_must_have,
            open: status.is_open(),
            id: interview.id,
            candidate_name: interview.candidate_name,
            candidate_email: interview.candidate_email,
        });
    }
    // A fresh one-time key per rendering: each form on the page is sent once.
    let form_key = random_secret();
    let view = InterviewListView {
        job_spec_id: &summary.id,
        title: &summary.title,
        rows: &rows,
        can_invite,
        published: summary.current_version.is_some(),
        input: &shown.input,
        error: shown.error.as_ref(),
        candidate_link: shown.candidate_link.as_deref(),
        link_expiry: shown.link_expiry.as_deref(),
        already_invited: shown.already_invited.as_deref(),
        csv_links: &shown.csv_links,
        csv_skipped: &shown.csv_skipped,
        interviewers: &choices,
        form_key: &form_key,
        csv_error: shown.csv_error.as_ref(),
        notice: shown.notice.as_deref(),
    };
    let chrome = Chrome::new(state, principal).await;
    let title = format!("Interviews · {}", summary.title);
    Ok(html(
        status,
        ladder_web::interview_list(&chrome.page(&title, None, None), &view),
    ))
}

pub(super) async fn list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> PageResult {
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

pub(super) async fn invite(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    body: Bytes,
) -> PageResult {
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
        again: fields.has("again"),
    };
    let request = NewInterview {
        candidate_name: input.candidate_name.clone(),
        candidate_email: input.candidate_email.clone(),
        expires_in_days: None,
        interviewers: input.interviewers.clone(),
        again: input.again,
    };
    let key = fields.text("form_key");
    let actor = principal.actor();
    let (to, spec) = (&state, id.as_str());
    let outcome = form_once(&state, &principal, &key, &body, |once| async move {
        invite_candidate(to, spec, request, &actor, once.as_ref(), AgainHint::Form).await
    })
    .await;
    let shown = match outcome {
        Ok(Once::Done(invitation)) => ListState {
            link_expiry: Some(expiry_phrase(link_expiry(DEFAULT_EXPIRY_DAYS))),
            candidate_link: Some(invitation.candidate_link),
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
            let already_invited = if error.code == "already_invited" {
                latest_interview_of(&state, &id, &input.candidate_email).await?
            } else {
                None
            };
            let shown = ListState {
                error: Some(problem_of(&error)),
                already_invited,
                input,
                ..ListState::default()
            };
            return list_page(&state, &principal, &id, &shown, status).await;
        }
        Err(error) => return Err(error.into()),
    };
    list_page(&state, &principal, &id, &shown, StatusCode::CREATED).await
}

/// The latest interview of the job spec for an e-mail address, to link from
/// the refusal of a second invitation.
async fn latest_interview_of(
    state: &AppState,
    job_spec_id: &str,
    email: &str,
) -> Result<Option<String>, ApiError> {
    let wanted = email.trim().to_lowercase();
    Ok(state
        .store()
        .interviews(job_spec_id)
        .await?
        .into_iter()
        .rev()
        .find(|interview| interview.candidate_email.to_lowercase() == wanted)
        .map(|interview| interview.id))
}

/// The CSV of a form: an uploaded file, or else the pasted text.
fn csv_of_form(content_type: &str, body: &[u8]) -> (String, String) {
    let Some(parts) = multipart(content_type, body) else {
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
pub(super) async fn invite_csv(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> PageResult {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (csv, key) = csv_of_form(content_type, &body);
    let actor = principal.actor();
    let (to, spec, file) = (&state, id.as_str(), csv.as_str());
    let outcome = form_once(&state, &principal, &key, &body, |once| async move {
        invite_from_csv(to, spec, file, &actor, once.as_ref()).await
    })
    .await;
    let shown = match outcome {
        Ok(Once::Done(done)) => ListState {
            link_expiry: (!done.invited.is_empty())
                .then(|| expiry_phrase(link_expiry(DEFAULT_EXPIRY_DAYS))),
            csv_links: done
                .invited
                .into_iter()
                .map(|invitation| CandidateLinkRow {
                    name: invitation.interview.candidate_name,
                    email: invitation.interview.candidate_email,
                    link: invitation.candidate_link,
                })
                .collect(),
            csv_skipped: done
                .skipped
                .into_iter()
                .map(|row| SkippedCandidate {
                    line: row.line,
                    name: row.name,
                    email: row.email,
                    reason: sentence(&row.reason),
                    interview_id: row.interview_id,
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
        Err(error) => return Err(error.into()),
    };
    list_page(&state, &principal, &id, &shown, StatusCode::CREATED).await
}

/// `POST /interviews/{id}/withdraw`: back to the job spec's interviews.
pub(super) async fn withdraw(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> PageResult {
    let interview = state
        .store()
        .interview(&id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("interview {id}")))?;
    let shown = match state
        .store()
        .close_interview(&id, Status::Withdrawn, &principal.actor(), None)
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
        Err(error) => return Err(error.into()),
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
pub(super) struct VersionQuery {
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

pub(super) async fn performance(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Query(query): Query<VersionQuery>,
) -> PageResult {
    let version = query.version.as_deref().filter(|v| !v.trim().is_empty());
    let performance = job_spec_performance(&state, &id, version).await?;
    let title = match state.store().job_spec_summary(&id).await? {
        Some(summary) => summary.title,
        None => id.clone(),
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
    Ok(html(
        StatusCode::OK,
        ladder_web::performance(&chrome.page(&page_title, None, None), &view),
    ))
}
