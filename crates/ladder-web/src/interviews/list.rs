use askama::Template;

use super::{error_at, status_text};
use crate::format::{encode_component, job_spec_href};
use crate::forms::{ErrorView, FieldError};
use crate::view::{render, Layout, Page};

/// One interview in a job spec's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterviewRow {
    pub id: String,
    pub candidate_name: String,
    pub candidate_email: String,
    /// The pinned version's label, or "v3" when it has none.
    pub version_label: String,
    /// A status name such as "in_progress".
    pub status: String,
    /// "74.0", or `None` before the first submitted scorecard.
    pub overall: Option<String>,
    pub fails_must_have: bool,
    /// Still invited or in progress: it can be withdrawn.
    pub open: bool,
}

/// The invite form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InviteInput {
    pub candidate_name: String,
    pub candidate_email: String,
    /// User ids of the interviewers ticked.
    pub interviewers: Vec<String>,
    /// The CSV text pasted (or uploaded) when that failed.
    pub csv: String,
    /// "Invite again" was ticked: invite even if invited before.
    pub again: bool,
}

/// Someone who can be assigned to interview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterviewerChoice {
    pub id: String,
    pub email: String,
    /// "interviewer", "hiring_manager" or "admin".
    pub role: String,
}

/// A candidate link shown once, right after inviting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateLinkRow {
    pub name: String,
    pub email: String,
    pub link: String,
}

/// A CSV row not invited, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedCandidate {
    pub line: u32,
    pub name: String,
    pub email: String,
    pub reason: String,
    /// The interview they already have.
    pub interview_id: String,
}

/// A job spec's interviews page.
#[derive(Debug, Clone, Copy)]
pub struct InterviewListView<'a> {
    pub job_spec_id: &'a str,
    pub title: &'a str,
    pub rows: &'a [InterviewRow],
    /// Editors get the invite form.
    pub can_invite: bool,
    /// Whether the spec has a published version to pin new interviews to.
    pub published: bool,
    pub input: &'a InviteInput,
    /// A failed invitation: `candidate_name`, `candidate_email` or empty.
    pub error: Option<&'a FieldError>,
    /// The candidate's private link, right after inviting (shown once).
    pub candidate_link: Option<&'a str>,
    /// When links made now stop working, as people read it.
    pub link_expiry: Option<&'a str>,
    /// The invitation was refused because the candidate was invited
    /// before: offer "Invite again", and link the interview they have.
    pub already_invited: Option<&'a str>,
    /// The links of candidates invited from a CSV file (shown once).
    pub csv_links: &'a [CandidateLinkRow],
    /// CSV rows not invited because their candidate was invited before.
    pub csv_skipped: &'a [SkippedCandidate],
    /// People who can be assigned to interview.
    pub interviewers: &'a [InterviewerChoice],
    /// A one-time key for the forms, so sending one twice invites once.
    pub form_key: &'a str,
    /// A failed CSV invitation (`header`, `rows`, `rows[i].email`, …).
    pub csv_error: Option<&'a FieldError>,
    /// A sentence about what just happened (a repeated form, a withdrawal).
    pub notice: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "interviews/list.html")]
struct ListTemplate<'a> {
    layout: Layout<'a>,
    title: &'a str,
    spec_href: String,
    performance_href: String,
    action: String,
    rows: Vec<ListRow<'a>>,
    can_invite: bool,
    published: bool,
    input: &'a InviteInput,
    candidate_link: Option<&'a str>,
    link_expiry: Option<&'a str>,
    already_href: Option<String>,
    offer_again: bool,
    csv_skipped: Vec<SkippedView<'a>>,
    name_error: Option<ErrorView>,
    email_error: Option<ErrorView>,
    top_error: Option<ErrorView>,
    csv_action: String,
    csv_links: &'a [CandidateLinkRow],
    csv_error: Option<ErrorView>,
    interviewers: Vec<ChoiceView<'a>>,
    form_key: &'a str,
    notice: Option<&'a str>,
    results_csv: String,
    results_json: String,
}

struct SkippedView<'a> {
    row: &'a SkippedCandidate,
    href: String,
}

struct ChoiceView<'a> {
    id: &'a str,
    email: &'a str,
    role: String,
    checked: bool,
}

struct ListRow<'a> {
    id: &'a str,
    href: String,
    name: &'a str,
    email: &'a str,
    version: &'a str,
    status: String,
    status_class: &'a str,
    overall: &'a str,
    fails_must_have: bool,
    open: bool,
    withdraw_action: String,
}

/// A job spec's interviews, with the invite form for editors.
pub fn interview_list(page: &Page, view: &InterviewListView) -> String {
    let href = job_spec_href(view.job_spec_id);
    let top_error = view
        .error
        .filter(|e| !matches!(e.field.as_str(), "candidate_name" | "candidate_email"))
        .map(ErrorView::from);
    render(&ListTemplate {
        layout: Layout::new(page),
        title: view.title,
        performance_href: format!("{href}/performance"),
        action: format!("{href}/interviews"),
        spec_href: href,
        rows: view
            .rows
            .iter()
            .map(|row| ListRow {
                id: &row.id,
                href: format!("/interviews/{}", encode_component(&row.id)),
                name: &row.candidate_name,
                email: &row.candidate_email,
                version: &row.version_label,
                status: status_text(&row.status),
                status_class: &row.status,
                overall: row.overall.as_deref().unwrap_or("—"),
                fails_must_have: row.fails_must_have,
                open: row.open,
                withdraw_action: format!("/interviews/{}/withdraw", encode_component(&row.id)),
            })
            .collect(),
        can_invite: view.can_invite,
        published: view.published,
        input: view.input,
        candidate_link: view.candidate_link,
        link_expiry: view.link_expiry,
        already_href: view
            .already_invited
            .map(|id| format!("/interviews/{}", encode_component(id))),
        offer_again: view.already_invited.is_some() || view.input.again,
        csv_skipped: view
            .csv_skipped
            .iter()
            .map(|row| SkippedView {
                row,
                href: format!("/interviews/{}", encode_component(&row.interview_id)),
            })
            .collect(),
        name_error: error_at(view.error, "candidate_name"),
        email_error: error_at(view.error, "candidate_email"),
        top_error,
        csv_action: format!("{}/interviews/csv", job_spec_href(view.job_spec_id)),
        csv_links: view.csv_links,
        csv_error: view.csv_error.map(ErrorView::from),
        interviewers: view
            .interviewers
            .iter()
            .map(|choice| ChoiceView {
                id: &choice.id,
                email: &choice.email,
                role: choice.role.replace('_', " "),
                checked: view.input.interviewers.contains(&choice.id),
            })
            .collect(),
        form_key: view.form_key,
        notice: view.notice,
        results_csv: format!(
            "/api/v1/job-specs/{}/results.csv",
            encode_component(view.job_spec_id)
        ),
        results_json: format!(
            "/api/v1/job-specs/{}/results.json",
            encode_component(view.job_spec_id)
        ),
    })
}
