//! Interview pages (PRODUCT.md §3). For staff: a job spec's interviews with
//! the invite form, its live performance (figures, a score distribution drawn
//! as inline SVG, a per-version breakdown) and one interview with its answers,
//! scorecards and the scorecard form. For the candidate: their interview page,
//! a standalone document without the staff frame.
//!
//! As elsewhere in this crate, decisions are made here in Rust and the
//! templates only print. The host hands over figures already formatted
//! ("74.0", "0% · 0 of 1"); nothing here recomputes a score.

mod candidate;
mod interview;
mod list;
mod performance;

#[cfg(test)]
mod tests;

pub use candidate::{
    candidate_message, candidate_page, CandidateFormError, CandidatePageView, CandidatePromptItem,
    CandidateQuestionItem,
};
pub use interview::{
    interview, AnswerView, EvaluatorOffer, InterviewView, LinkPanel, MustInput, RoundAnswers,
    ScoreInput, ScorecardForm, ScorecardSummary,
};
pub use list::{
    interview_list, CandidateLinkRow, InterviewListView, InterviewRow, InterviewerChoice,
    InviteInput, SkippedCandidate,
};
pub use performance::{
    performance, CompetencyFigure, FiguresView, PerformanceView, VersionFigureRow,
};

use crate::forms::{ErrorView, FieldError};

fn status_text(status: &str) -> String {
    status.replace('_', " ")
}

fn error_at(error: Option<&FieldError>, field: &str) -> Option<ErrorView> {
    error.filter(|e| e.field == field).map(ErrorView::from)
}
