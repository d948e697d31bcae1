//! Interview pages (PRODUCT.md §3): a job spec's interviews with the invite
//! form, its live performance (figures, a score distribution drawn as inline
//! SVG, a per-version breakdown) and one interview with its answers,
//! scorecards and the scorecard form.
//!
//! As elsewhere in this crate, decisions are made here in Rust and the
//! templates only print. The host hands over figures already formatted
//! ("74.0", "0% · 0 of 1"); nothing here recomputes a score.

use askama::Template;

use crate::charts::{distribution_chart, DistributionChart};
use crate::format::{encode_component, job_spec_href};
use crate::forms::FieldError;
use crate::view::{render, Layout, Page};

// ---------------------------------------------------------------- inputs

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
    /// The links of candidates invited from a CSV file (shown once).
    pub csv_links: &'a [CandidateLinkRow],
    /// People who can be assigned to interview.
    pub interviewers: &'a [InterviewerChoice],
    /// A one-time key for the forms, so sending one twice invites once.
    pub form_key: &'a str,
    /// A failed CSV invitation (`header`, `rows`, `rows[i].email`, …).
    pub csv_error: Option<&'a FieldError>,
    /// A sentence about what just happened (a repeated form, a withdrawal).
    pub notice: Option<&'a str>,
}

/// Figures of all interviews, or of one version's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FiguresView {
    pub interviews: u64,
    pub completed: u64,
    /// "66% · 2 of 3".
    pub completion: String,
    /// "74.0" or "—".
    pub avg_score: String,
    pub competencies: Vec<CompetencyFigure>,
    /// Ten buckets: 0–9.9, 10–19.9, …, 90–100.
    pub distribution: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompetencyFigure {
    pub id: String,
    pub name: String,
    /// "0.35".
    pub weight: String,
    /// "80.0", or `None` when no interview was scored on it.
    pub avg: Option<String>,
    pub n: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionFigureRow {
    pub version: u32,
    pub label: Option<String>,
    pub figures: FiguresView,
}

#[derive(Debug, Clone, Copy)]
pub struct PerformanceView<'a> {
    pub job_spec_id: &'a str,
    pub title: &'a str,
    /// The version asked for, or `None` for all versions.
    pub version: Option<u32>,
    pub figures: &'a FiguresView,
    pub versions: &'a [VersionFigureRow],
}

/// One question or prompt with the candidate's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerView {
    pub question: String,
    /// `None`: not answered (yet).
    pub answer: Option<String>,
    /// Where the recording sent with the answer plays from, if any.
    pub audio_url: Option<String>,
    /// The recording's automatic transcript, if any.
    pub transcript: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundAnswers {
    pub title: String,
    pub items: Vec<AnswerView>,
}

/// A scorecard shown read-only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScorecardSummary {
    /// The interviewer's e-mail (or id when unknown).
    pub interviewer: String,
    pub submitted: bool,
    /// (competency name, score, evidence)
    pub scores: Vec<(String, u32, String)>,
    /// (must-have, met)
    pub must_haves: Vec<(String, bool)>,
    /// "strong_yes", or empty.
    pub recommendation: String,
    pub notes: String,
    /// An automated draft no person has submitted yet.
    pub automated: bool,
}

/// One competency row of the scorecard form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreInput {
    pub competency_id: String,
    pub name: String,
    pub weight: String,
    /// As typed; empty for not scored.
    pub score: String,
    pub evidence: String,
}

/// One required must-have of the scorecard form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MustInput {
    /// Its index among the version's must-haves (`must_<index>`).
    pub index: usize,
    pub text: String,
    pub met: Option<bool>,
}

/// The scorecard form as typed (or as last saved).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScorecardForm {
    pub scores: Vec<ScoreInput>,
    pub must_haves: Vec<MustInput>,
    /// `strong_no`, `no`, `yes`, `strong_yes` or empty.
    pub recommendation: String,
    pub notes: String,
    /// "Draft saved" / "Submitted" for the current state, if any.
    pub state: Option<String>,
    /// The model that wrote this draft, while it is an automated draft.
    pub automated: Option<String>,
}

#[derive(Debug, Clone)]
pub struct InterviewView<'a> {
    pub id: &'a str,
    pub job_spec_id: &'a str,
    pub job_title: &'a str,
    pub candidate_name: &'a str,
    pub candidate_email: &'a str,
    pub status: &'a str,
    pub version_label: &'a str,
    pub overall: Option<&'a str>,
    pub fails_must_have: bool,
    pub rounds: &'a [RoundAnswers],
    /// Other people's scorecards (hiring managers and admins only).
    pub others: &'a [ScorecardSummary],
    /// The viewer's own form; `None` when they cannot score.
    pub form: Option<&'a ScorecardForm>,
    /// A failed save: a form field (`score_<id>`, `must_<i>`, …) or empty.
    pub error: Option<&'a FieldError>,
    /// The automated evaluator, when a model is configured and the viewer's
    /// scorecard is not submitted.
    pub evaluator: Option<EvaluatorOffer>,
}

/// The "Draft with the evaluator" button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluatorOffer {
    /// The model's name, e.g. `llm:gpt-x`.
    pub model: String,
    /// The viewer has a hand-made draft the evaluator would replace.
    pub replaces_draft: bool,
}

// ---------------------------------------------------------------- helpers

fn status_text(status: &str) -> String {
    status.replace('_', " ")
}

struct ErrorView {
    field: String,
    message: String,
}

fn error_at(error: Option<&FieldError>, field: &str) -> Option<ErrorView> {
    error.filter(|e| e.field == field).map(|e| ErrorView {
        field: e.field.clone(),
        message: e.message.clone(),
    })
}

// ---------------------------------------------------------------- list

#[derive(Template)]
#[template(path = "interview_list.html")]
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
        .map(|e| ErrorView {
            field: e.field.clone(),
            message: e.message.clone(),
        });
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
        name_error: error_at(view.error, "candidate_name"),
        email_error: error_at(view.error, "candidate_email"),
        top_error,
        csv_action: format!("{}/interviews/csv", job_spec_href(view.job_spec_id)),
        csv_links: view.csv_links,
        csv_error: view.csv_error.map(|e| ErrorView {
            field: e.field.clone(),
            message: e.message.clone(),
        }),
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

// ---------------------------------------------------------------- performance

#[derive(Template)]
#[template(path = "performance.html")]
struct PerformanceTemplate<'a> {
    layout: Layout<'a>,
    title: &'a str,
    spec_href: String,
    interviews_href: String,
    scope: String,
    all_href: Option<String>,
    figures: &'a FiguresView,
    competencies: Vec<CompetencyLine<'a>>,
    chart: DistributionChart,
    versions: Vec<VersionLine<'a>>,
}

struct CompetencyLine<'a> {
    id: &'a str,
    name: &'a str,
    weight: &'a str,
    avg: &'a str,
    n: u64,
}

struct VersionLine<'a> {
    href: String,
    name: String,
    selected: bool,
    figures: &'a FiguresView,
}

fn version_name(version: u32, label: Option<&str>) -> String {
    label.map_or_else(|| format!("v{version}"), str::to_string)
}

/// A job spec's live performance: all versions, or one with `view.version`.
pub fn performance(page: &Page, view: &PerformanceView) -> String {
    let href = job_spec_href(view.job_spec_id);
    let performance_href = format!("{href}/performance");
    let scope = match view.version {
        None => "All published versions".to_string(),
        Some(number) => {
            let label = view
                .versions
                .iter()
                .find(|v| v.version == number)
                .and_then(|v| v.label.as_deref());
            format!("Version {}", version_name(number, label))
        }
    };
    render(&PerformanceTemplate {
        layout: Layout::new(page),
        title: view.title,
        interviews_href: format!("{href}/interviews"),
        spec_href: href,
        scope,
        all_href: view.version.map(|_| performance_href.clone()),
        figures: view.figures,
        competencies: view
            .figures
            .competencies
            .iter()
            .map(|c| CompetencyLine {
                id: &c.id,
                name: &c.name,
                weight: &c.weight,
                avg: c.avg.as_deref().unwrap_or("—"),
                n: c.n,
            })
            .collect(),
        chart: distribution_chart(&view.figures.distribution),
        versions: view
            .versions
            .iter()
            .map(|v| VersionLine {
                href: format!("{performance_href}?version={}", v.version),
                name: version_name(v.version, v.label.as_deref()),
                selected: view.version == Some(v.version),
                figures: &v.figures,
            })
            .collect(),
    })
}

// ---------------------------------------------------------------- one interview

#[derive(Template)]
#[template(path = "interview_show.html")]
struct ShowTemplate<'a> {
    layout: Layout<'a>,
    spec_href: String,
    interviews_href: String,
    job_title: &'a str,
    candidate_name: &'a str,
    candidate_email: &'a str,
    status: String,
    status_class: &'a str,
    version_label: &'a str,
    overall: &'a str,
    fails_must_have: bool,
    rounds: &'a [RoundAnswers],
    others: Vec<OtherCard<'a>>,
    form: Option<FormView<'a>>,
    evaluator: Option<EvaluatorView<'a>>,
}

struct EvaluatorView<'a> {
    action: String,
    model: &'a str,
    replaces_draft: bool,
}

struct OtherCard<'a> {
    card: &'a ScorecardSummary,
    state: &'static str,
    recommendation: &'a str,
}

struct FormView<'a> {
    action: String,
    state: Option<&'a str>,
    automated: Option<&'a str>,
    scores: Vec<ScoreLine<'a>>,
    must_haves: Vec<MustLine<'a>>,
    recommendations: Vec<OptionView>,
    notes: &'a str,
    recommendation_error: Option<ErrorView>,
    notes_error: Option<ErrorView>,
    top_error: Option<ErrorView>,
}

struct ScoreLine<'a> {
    id: &'a str,
    name: &'a str,
    weight: &'a str,
    score_field: String,
    evidence_field: String,
    score: &'a str,
    evidence: &'a str,
    error: Option<ErrorView>,
}

struct MustLine<'a> {
    field: String,
    text: &'a str,
    met: bool,
    not_met: bool,
    error: Option<ErrorView>,
}

struct OptionView {
    value: &'static str,
    text: &'static str,
    selected: bool,
}

const RECOMMENDATIONS: [(&str, &str); 5] = [
    ("", "No recommendation yet"),
    ("strong_no", "Strong no"),
    ("no", "No"),
    ("yes", "Yes"),
    ("strong_yes", "Strong yes"),
];

/// The label of a recommendation value ("strong_yes" → "Strong yes").
fn recommendation_text(value: &str) -> &str {
    RECOMMENDATIONS
        .iter()
        .find(|(v, _)| *v == value)
        .map_or(value, |(_, text)| text)
}

fn form_view<'a>(id: &str, form: &'a ScorecardForm, error: Option<&FieldError>) -> FormView<'a> {
    let mut known = vec!["recommendation".to_string(), "notes".to_string()];
    let scores = form
        .scores
        .iter()
        .map(|s| {
            let score_field = format!("score_{}", s.competency_id);
            let evidence_field = format!("evidence_{}", s.competency_id);
            let error = error_at(error, &score_field).or_else(|| error_at(error, &evidence_field));
            known.push(score_field.clone());
            known.push(evidence_field.clone());
            ScoreLine {
                id: &s.competency_id,
                name: &s.name,
                weight: &s.weight,
                score_field,
                evidence_field,
                score: &s.score,
                evidence: &s.evidence,
                error,
            }
        })
        .collect();
    let must_haves = form
        .must_haves
        .iter()
        .map(|m| {
            let field = format!("must_{}", m.index);
            known.push(field.clone());
            MustLine {
                error: error_at(error, &field),
                field,
                text: &m.text,
                met: m.met == Some(true),
                not_met: m.met == Some(false),
            }
        })
        .collect();
    let top_error = error
        .filter(|e| !known.contains(&e.field))
        .map(|e| ErrorView {
            field: e.field.clone(),
            message: e.message.clone(),
        });
    FormView {
        action: format!("/interviews/{}/scorecard", encode_component(id)),
        state: form.state.as_deref(),
        automated: form.automated.as_deref(),
        scores,
        must_haves,
        recommendations: RECOMMENDATIONS
            .iter()
            .map(|(value, text)| OptionView {
                value,
                text,
                selected: form.recommendation == *value,
            })
            .collect(),
        notes: &form.notes,
        recommendation_error: error_at(error, "recommendation"),
        notes_error: error_at(error, "notes"),
        top_error,
    }
}

/// One interview: the candidate's answers, scorecards and the viewer's form.
pub fn interview(page: &Page, view: &InterviewView) -> String {
    let href = job_spec_href(view.job_spec_id);
    render(&ShowTemplate {
        layout: Layout::new(page),
        interviews_href: format!("{href}/interviews"),
        spec_href: href,
        job_title: view.job_title,
        candidate_name: view.candidate_name,
        candidate_email: view.candidate_email,
        status: status_text(view.status),
        status_class: view.status,
        version_label: view.version_label,
        overall: view.overall.unwrap_or("—"),
        fails_must_have: view.fails_must_have,
        rounds: view.rounds,
        others: view
            .others
            .iter()
            .map(|card| OtherCard {
                card,
                state: if card.submitted { "submitted" } else { "draft" },
                recommendation: recommendation_text(&card.recommendation),
            })
            .collect(),
        form: view.form.map(|form| form_view(view.id, form, view.error)),
        evaluator: view.evaluator.as_ref().map(|offer| EvaluatorView {
            action: format!(
                "/interviews/{}/scorecard/automated",
                encode_component(view.id)
            ),
            model: &offer.model,
            replaces_draft: offer.replaces_draft,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Page<'static> {
        Page {
            title: "t",
            nav: &[],
            user: None,
            csrf: Some("tok"),
            flash: None,
            current_slug: None,
        }
    }

    #[test]
    fn performance_prints_the_figures_and_escapes_names() {
        let figures = FiguresView {
            interviews: 1,
            completed: 0,
            completion: "0% · 0 of 1".into(),
            avg_score: "—".into(),
            competencies: vec![CompetencyFigure {
                id: "dsr".into(),
                name: "Rigor <b>".into(),
                weight: "0.35".into(),
                avg: None,
                n: 0,
            }],
            distribution: vec![0; 10],
        };
        let html = performance(
            &page(),
            &PerformanceView {
                job_spec_id: "js-1",
                title: "Backend",
                version: None,
                figures: &figures,
                versions: &[],
            },
        );
        assert!(
            html.contains("data-figure=\"completion\">0% · 0 of 1<"),
            "{html}"
        );
        assert!(html.contains("data-figure=\"avg-score\">—<"), "{html}");
        assert!(html.contains("weight 0.35"));
        assert!(html.contains("n=0"));
        assert!(html.contains("Rigor &#60;b&#62;") || html.contains("Rigor &lt;b&gt;"));
        assert!(html.contains("<svg class=\"distribution\""));
    }

    #[test]
    fn scorecard_errors_land_at_their_field() {
        let form = ScorecardForm {
            scores: vec![ScoreInput {
                competency_id: "dsr".into(),
                name: "Rigor".into(),
                weight: "0.35".into(),
                score: "abc".into(),
                evidence: String::new(),
            }],
            must_haves: vec![MustInput {
                index: 0,
                text: "SQL".into(),
                met: Some(false),
            }],
            recommendation: "yes".into(),
            notes: String::new(),
            state: None,
            automated: Some("llm:test".into()),
        };
        let error = FieldError {
            field: "score_dsr".into(),
            message: "not a number".into(),
        };
        let html = interview(
            &page(),
            &InterviewView {
                id: "iv-1",
                job_spec_id: "js-1",
                job_title: "Backend",
                candidate_name: "Ada",
                candidate_email: "ada@example.com",
                status: "in_progress",
                version_label: "v1-x",
                overall: None,
                fails_must_have: false,
                rounds: &[],
                others: &[],
                form: Some(&form),
                error: Some(&error),
                evaluator: Some(EvaluatorOffer {
                    model: "llm:test".into(),
                    replaces_draft: true,
                }),
            },
        );
        assert!(
            html.contains("Automated draft — not counted until a person submits it"),
            "{html}"
        );
        assert!(
            html.contains("action=\"/interviews/iv-1/scorecard/automated\""),
            "{html}"
        );
        assert!(html.contains("<form class=\"scorecard\""));
        assert!(html.contains("data-field=\"score_dsr\""));
        assert!(html.contains("value=\"not_met\" checked"), "{html}");
        assert!(html.contains("<option value=\"yes\" selected"), "{html}");
        assert!(html.contains("in progress"));
    }
}
