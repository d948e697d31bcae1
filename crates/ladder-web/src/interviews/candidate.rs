//! The candidate's interview page (PRODUCT.md §3): a standalone document with
//! no staff chrome. It shows questions and prompts only, never weights,
//! competencies, rubrics or scores; the host hands it nothing else.

use askama::Template;

use crate::markdown::render_markdown;
use crate::view::render;

/// A Round 01 question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateQuestionItem {
    pub id: String,
    pub text: String,
    /// The candidate's answer, once given.
    pub answer: Option<String>,
    /// Where the recording sent with the answer plays from, if any.
    pub audio_url: Option<String>,
    /// Text typed and kept but not sent yet.
    pub draft: Option<String>,
}

/// A Round 02 prompt: an answered one, or the next one (no answer yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidatePromptItem {
    pub id: String,
    /// 1-based position in Round 02.
    pub number: u32,
    pub text: String,
    pub answer: Option<String>,
    pub audio_url: Option<String>,
    /// Text typed and kept but not sent yet (the next prompt's).
    pub draft: Option<String>,
}

/// A refused answer, shown next to its form with the typed text kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateFormError {
    /// 1 or 2; anything else shows the message above both rounds.
    pub round: u32,
    /// The item the answer was for; when it is not on the page (a Round 02
    /// prompt ahead of the next one) the text goes to the next prompt's form.
    pub item_id: String,
    pub message: String,
    pub text: String,
}

/// Everything the candidate page shows.
#[derive(Debug, Clone, Copy)]
pub struct CandidatePageView<'a> {
    /// `/candidate/{token}`, already URL-encoded: forms post below it.
    pub base_path: &'a str,
    /// `/api/v1/candidate/{token}`, already URL-encoded: where the page's
    /// script sends answers and saves drafts.
    pub api_base: &'a str,
    /// Where the recorder uploads (`/api/v1/candidate/{token}/audio`);
    /// `None` when the server keeps no recordings (no recorder is offered).
    pub audio_upload: Option<&'a str>,
    pub job_title: &'a str,
    pub seniority: &'a str,
    /// Markdown.
    pub description: &'a str,
    /// Whether answers are still accepted; a closed interview is thanked.
    pub open: bool,
    pub round1: &'a [CandidateQuestionItem],
    /// The answered prompts, in order, then (while open) the next one.
    pub round2: &'a [CandidatePromptItem],
    pub round2_total: u32,
    pub error: Option<&'a CandidateFormError>,
}

struct QuestionRow<'a> {
    id: &'a str,
    /// `round:item`: the value of its Send button, and the end of its
    /// fields' names (`text:…`, `audio:…`).
    key: String,
    number: usize,
    text: &'a str,
    answer: Option<&'a str>,
    audio_url: Option<&'a str>,
    draft: &'a str,
    error: Option<&'a str>,
}

struct PromptRow<'a> {
    number: u32,
    text: &'a str,
    answer: &'a str,
    audio_url: Option<&'a str>,
}

struct CurrentPrompt<'a> {
    id: &'a str,
    key: String,
    number: u32,
    text: &'a str,
    draft: &'a str,
    error: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "interviews/candidate.html")]
struct CandidateTemplate<'a> {
    title: &'a str,
    seniority: &'a str,
    description_html: String,
    answers_action: String,
    api_base: &'a str,
    page_path: &'a str,
    finish_action: String,
    questions: Vec<QuestionRow<'a>>,
    audio_upload: Option<&'a str>,
    answered_prompts: Vec<PromptRow<'a>>,
    current: Option<CurrentPrompt<'a>>,
    progress: String,
    round2_total: u32,
    general_error: Option<&'a str>,
    round2_error: Option<&'a str>,
    all_answered: bool,
    finish_confirm: &'static str,
}

#[derive(Template)]
#[template(path = "interviews/candidate_done.html")]
struct CandidateDoneTemplate<'a> {
    title: &'a str,
    heading: &'a str,
    message: &'a str,
}

/// The interview page, or the thank-you page once it is closed.
pub fn candidate_page(view: &CandidatePageView) -> String {
    if !view.open {
        return render(&CandidateDoneTemplate {
            title: view.job_title,
            heading: "Thank you",
            message:
                "Your interview is complete and your answers have been sent to the hiring team. \
                      You can close this page.",
        });
    }
    let error = view.error;
    let error_for = |round: u32, id: &str| error.filter(|e| e.round == round && e.item_id == id);
    let questions: Vec<QuestionRow> = view
        .round1
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let failed = error_for(1, &question.id).filter(|_| question.answer.is_none());
            QuestionRow {
                id: &question.id,
                key: format!("1:{}", question.id),
                number: index + 1,
                text: &question.text,
                answer: question.answer.as_deref(),
                audio_url: question.audio_url.as_deref(),
                draft: failed
                    .map(|e| e.text.as_str())
                    .or(question.draft.as_deref())
                    .unwrap_or(""),
                error: failed.map(|e| e.message.as_str()),
            }
        })
        .collect();
    let answered_prompts: Vec<PromptRow> = view
        .round2
        .iter()
        .filter_map(|prompt| {
            prompt.answer.as_deref().map(|answer| PromptRow {
                number: prompt.number,
                text: &prompt.text,
                answer,
                audio_url: prompt.audio_url.as_deref(),
            })
        })
        .collect();
    // A Round 02 error is shown at the next prompt, whichever prompt it was for.
    let round2_failed = error.filter(|e| e.round == 2);
    let current = view
        .round2
        .iter()
        .find(|prompt| prompt.answer.is_none())
        .map(|prompt| CurrentPrompt {
            id: &prompt.id,
            key: format!("2:{}", prompt.id),
            number: prompt.number,
            text: &prompt.text,
            draft: round2_failed
                .map(|e| e.text.as_str())
                .or(prompt.draft.as_deref())
                .unwrap_or(""),
            error: round2_failed.map(|e| e.message.as_str()),
        });
    let round2_error = match (&current, round2_failed) {
        (None, Some(e)) => Some(e.message.as_str()),
        _ => None,
    };
    // Shown at its question only while that question still has a form.
    let round1_error_shown = error.is_some_and(|e| {
        e.round == 1
            && view
                .round1
                .iter()
                .any(|q| q.id == e.item_id && q.answer.is_none())
    });
    let general_error = error
        .filter(|e| e.round != 2 && !round1_error_shown)
        .map(|e| e.message.as_str());
    let answered = count(answered_prompts.len());
    let progress = match &current {
        Some(prompt) => format!("Prompt {} of {}", prompt.number, view.round2_total),
        None => format!("All {answered} of {} prompts answered", view.round2_total),
    };
    let all_answered = current.is_none() && questions.iter().all(|q| q.answer.is_some());
    render(&CandidateTemplate {
        title: view.job_title,
        seniority: view.seniority,
        description_html: render_markdown(view.description),
        answers_action: format!("{}/answers", view.base_path),
        api_base: view.api_base,
        page_path: view.base_path,
        finish_action: format!("{}/finish", view.base_path),
        questions,
        audio_upload: view.audio_upload,
        answered_prompts,
        current,
        progress,
        round2_total: view.round2_total,
        general_error,
        round2_error,
        all_answered,
        finish_confirm: if all_answered {
            "Finish the interview and send your answers?"
        } else {
            "Some questions are still unanswered. Finish anyway? You cannot answer after finishing."
        },
    })
}

/// A link that no longer (or never did) open an interview.
pub fn candidate_message(heading: &str, message: &str) -> String {
    render(&CandidateDoneTemplate {
        title: "Interview",
        heading,
        message,
    })
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
