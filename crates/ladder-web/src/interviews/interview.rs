use askama::Template;

use super::{error_at, status_text};
use crate::format::{encode_component, job_spec_href};
use crate::forms::{ErrorView, FieldError};
use crate::view::{render, Layout, Page};

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
    /// The candidate's link: its expiry and, for hiring managers and admins,
    /// extending and replacing it.
    pub link: &'a LinkPanel,
}

/// The candidate link's panel on an interview page. The link itself is
/// stored only as a hash, so it is shown only right after it is made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkPanel {
    /// RFC 3339, for `<time datetime>`.
    pub expires_at: String,
    /// "Tuesday 9 December 2025, 14:30 UTC".
    pub expires_date: String,
    /// "in 6 days", "expired 2 days ago".
    pub expires_in: String,
    /// Whether the link has run out (by date, or marked expired).
    pub expired: bool,
    /// "completed" or "withdrawn": the link opens no interview any more and
    /// cannot be changed; `None` while it can.
    pub closed: Option<String>,
    /// The viewer may extend and replace it (hiring managers, admins).
    pub can_manage: bool,
    /// A link just made by replacing the old one: shown once, to copy.
    pub new_link: Option<String>,
    /// What just happened ("The link now works until …").
    pub notice: Option<String>,
    /// A refused change: field `days`, or empty for the whole panel.
    pub error: Option<FieldError>,
    /// The number of days as typed (the form's default otherwise).
    pub days: String,
    /// A one-time key for the two forms.
    pub form_key: String,
}

/// The "Draft with the evaluator" button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluatorOffer {
    /// The model's name, e.g. `llm:gpt-x`.
    pub model: String,
    /// The viewer has a hand-made draft the evaluator would replace.
    pub replaces_draft: bool,
}

#[derive(Template)]
#[template(path = "interviews/interview.html")]
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
    link: &'a LinkPanel,
    extend_action: String,
    replace_action: String,
    link_days_error: Option<ErrorView>,
    link_error: Option<ErrorView>,
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
    recommendations: Vec<RecommendationOption>,
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

struct RecommendationOption {
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
        .map(ErrorView::from);
    FormView {
        action: format!("/interviews/{}/scorecard", encode_component(id)),
        state: form.state.as_deref(),
        automated: form.automated.as_deref(),
        scores,
        must_haves,
        recommendations: RECOMMENDATIONS
            .iter()
            .map(|(value, text)| RecommendationOption {
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
        link: view.link,
        extend_action: format!("/interviews/{}/link/extend", encode_component(view.id)),
        replace_action: format!("/interviews/{}/link/replace", encode_component(view.id)),
        link_days_error: error_at(view.link.error.as_ref(), "days"),
        link_error: view
            .link
            .error
            .as_ref()
            .filter(|e| e.field != "days")
            .map(ErrorView::from),
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
