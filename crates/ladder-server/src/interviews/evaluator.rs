//! The optional automated evaluator (PRODUCT.md §3): when the language model
//! is configured, an assigned
//! interviewer, a hiring manager or an admin can have it draft their
//! scorecard from the candidate's answers and the rubric — the pinned
//! version's competencies with their definitions and the framework criteria
//! they are grounded in, and its must-haves.
//!
//! The model's reply is checked field by field (every competency once with
//! a whole score 0–100 and evidence, criteria only from those offered, every
//! required must-have met or not, a known recommendation); anything invalid
//! is refused with the path of the problem and nothing is saved. A valid
//! draft is stored as the requester's draft scorecard marked automated: it
//! never counts in scores or live figures, and counts only once a person
//! reviews and submits it (the audit log then records that it originated
//! from an automated draft).

use std::fmt::Write as _;

use axum::http::StatusCode;
use ladder_core::generate::rank_criteria;
use ladder_core::interview::{
    scorecard_problems, CompetencyScore, MustHaveCheck, Recommendation, Scorecard, Status,
    MAX_SCORE,
};
use ladder_core::jobspec::JobSpecBody;
use ladder_core::text::collapse_whitespace;
use ladder_core::Framework;
use ladder_store::{Answer, StoredAudio, StoredScorecard};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::dto::ScorecardDto;
use super::lookup::{pinned, readable};
use crate::clients::cut;
use crate::clients::llm::{chat, strip_code_fence};
use crate::http::auth::Principal;
use crate::http::error::{ApiError, ApiResult};
use crate::http::idempotency::{responder, IdempotencyClaim};
use crate::http::state::AppState;

/// Criteria offered per competency (ranked), besides those its questions
/// were grounded in.
const RANKED_PER_COMPETENCY: usize = 5;
const MAX_ANSWER_CHARS: usize = 6_000;
const MAX_EVIDENCE_CHARS: usize = 4_000;

/// The messages sent to the model and the criterion ids it may cite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct EvaluationPrompt {
    pub system: String,
    pub user: String,
    pub offered: Vec<String>,
}

/// One question or prompt with the candidate's answer (typed text, or the
/// recording's transcript).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct AnsweredItem {
    pub round: u32,
    pub question: String,
    pub answer: String,
}

/// The rubric and the answers as two chat messages.
pub(super) fn build_prompt(
    spec: &JobSpecBody,
    framework: Option<&Framework>,
    answers: &[AnsweredItem],
) -> EvaluationPrompt {
    let system = format!(
        "You are an experienced interviewer on a hiring panel. Draft a scorecard for one candidate from their written answers and the rubric.\n\
         Score every competency exactly once with a whole number from 0 to {MAX_SCORE}, judged only on evidence in the answers; quote or paraphrase that evidence in \"evidence\" and list in \"criteria\" the ids of the rubric criteria it shows (only ids listed in the rubric, possibly none).\n\
         Say for every must-have whether the answers show it is met (true) or not (false), using its exact text.\n\
         Give a recommendation: \"strong_no\", \"no\", \"yes\" or \"strong_yes\".\n\
         Answer with JSON only, exactly in this shape: {{\"scores\": [{{\"competency_id\": \"...\", \"score\": 0, \"evidence\": \"...\", \"criteria\": [\"...\"]}}], \"must_haves\": [{{\"text\": \"...\", \"met\": true}}], \"recommendation\": \"yes\", \"notes\": \"...\"}}"
    );
    let mut user = String::new();
    let mut offered: Vec<String> = Vec::new();
    let _ = writeln!(user, "Job title: {}", collapse_whitespace(&spec.title));
    if !spec.seniority.trim().is_empty() {
        let _ = writeln!(user, "Seniority: {}", collapse_whitespace(&spec.seniority));
    }
    let _ = writeln!(user, "\nRubric — competencies (id: name, weight):");
    for competency in &spec.competencies {
        let _ = writeln!(
            user,
            "- {}: {}, weight {}",
            competency.id,
            collapse_whitespace(&competency.name),
            competency.weight.decimal()
        );
        if !competency.definition.trim().is_empty() {
            let _ = writeln!(
                user,
                "  Definition: {}",
                collapse_whitespace(&competency.definition)
            );
        }
        let Some(framework) = framework else { continue };
        // The criteria its questions were grounded in, then the best-ranked
        // behaviours at the spec's level.
        let mut ids: Vec<String> = spec
            .round1
            .iter()
            .chain(&spec.round2)
            .filter(|item| item.competency_id.as_deref() == Some(competency.id.as_str()))
            .flat_map(|item| item.grounding.iter().cloned())
            .collect();
        if let Some(basis) = &spec.basis {
            ids.extend(
                rank_criteria(framework, basis.level, competency, RANKED_PER_COMPETENCY)
                    .into_iter()
                    .map(|ranked| ranked.criterion.id.clone()),
            );
        }
        let mut listed = Vec::new();
        for id in ids {
            if listed.contains(&id) {
                continue;
            }
            if let Some((_, level, criterion)) = framework.criteria().find(|(_, _, c)| c.id == id) {
                let _ = writeln!(
                    user,
                    "  Criterion {id} ({}): {}",
                    framework.level_label(level),
                    collapse_whitespace(&criterion.text)
                );
                if !offered.contains(&id) {
                    offered.push(id.clone());
                }
                listed.push(id);
            }
        }
    }
    if !spec.must_haves.is_empty() {
        let _ = writeln!(user, "\nMust-haves:");
        for must in &spec.must_haves {
            let _ = writeln!(
                user,
                "- {}{}",
                collapse_whitespace(&must.text),
                if must.required {
                    " (required)"
                } else {
                    " (nice to have)"
                }
            );
        }
    }
    let _ = writeln!(user, "\nThe candidate's answers:");
    for item in answers {
        let label = if item.round == 1 {
            "Round 01 question"
        } else {
            "Round 02 prompt"
        };
        let _ = writeln!(
            user,
            "\n{label}: {}\nAnswer: \"\"\"\n{}\n\"\"\"",
            collapse_whitespace(&item.question),
            cut(item.answer.trim(), MAX_ANSWER_CHARS)
        );
    }
    let _ = write!(
        user,
        "\nDraft the scorecard now. Answer with the JSON object only."
    );
    EvaluationPrompt {
        system,
        user,
        offered,
    }
}

/// A problem in the model's reply: where (a path in its JSON) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Invalid {
    pub field: String,
    pub message: String,
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> Invalid {
    Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// The model's reply as a scorecard, or the first thing wrong with it.
pub(super) fn validate(
    spec: &JobSpecBody,
    offered: &[String],
    content: &str,
) -> Result<Scorecard, Invalid> {
    let value: Value = serde_json::from_str(strip_code_fence(content))
        .map_err(|error| invalid("", format!("the reply is not JSON: {error}")))?;
    let object = value.as_object().ok_or_else(|| {
        invalid(
            "",
            "the reply is not a JSON object with scores and must_haves",
        )
    })?;
    let scores_value = object
        .get("scores")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("scores", "missing, or not a list of competency scores"))?;
    let known: Vec<&str> = spec.competencies.iter().map(|c| c.id.as_str()).collect();
    let mut scores: Vec<CompetencyScore> = Vec::new();
    for (index, entry) in scores_value.iter().enumerate() {
        let at = |name: &str| format!("scores[{index}].{name}");
        let competency_id = entry
            .get("competency_id")
            .and_then(Value::as_str)
            .map(str::trim)
            .ok_or_else(|| invalid(at("competency_id"), "missing, or not a string"))?;
        if !known.contains(&competency_id) {
            return Err(invalid(
                at("competency_id"),
                format!(
                    "unknown competency “{competency_id}”; the version has {}",
                    known.join(", ")
                ),
            ));
        }
        if scores.iter().any(|s| s.competency_id == competency_id) {
            return Err(invalid(
                at("competency_id"),
                format!("{competency_id} is scored twice"),
            ));
        }
        let score_value = entry
            .get("score")
            .ok_or_else(|| invalid(at("score"), "missing"))?;
        let score = score_value
            .as_u64()
            .filter(|s| *s <= u64::from(MAX_SCORE))
            .and_then(|s| u32::try_from(s).ok())
            .ok_or_else(|| {
                invalid(
                    at("score"),
                    format!("a score is a whole number from 0 to {MAX_SCORE}, not {score_value}"),
                )
            })?;
        let evidence = entry
            .get("evidence")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .ok_or_else(|| invalid(at("evidence"), "missing, empty or not a string"))?;
        let mut criteria = Vec::new();
        match entry.get("criteria") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (position, item) in items.iter().enumerate() {
                    let id = item.as_str().map(str::trim).ok_or_else(|| {
                        invalid(
                            format!("scores[{index}].criteria[{position}]"),
                            "not a string",
                        )
                    })?;
                    if !offered.iter().any(|o| o == id) {
                        return Err(invalid(
                            format!("scores[{index}].criteria[{position}]"),
                            format!("“{id}” is not a criterion of the rubric"),
                        ));
                    }
                    if !criteria.iter().any(|c| c == id) {
                        criteria.push(id.to_string());
                    }
                }
            }
            Some(_) => return Err(invalid(at("criteria"), "not a list of criterion ids")),
        }
        scores.push(CompetencyScore {
            competency_id: competency_id.to_string(),
            score,
            // NUL is not text (and PostgreSQL cannot store it).
            evidence: cut(&evidence.replace('\0', ""), MAX_EVIDENCE_CHARS),
            criteria,
        });
    }
    let mut must_haves: Vec<MustHaveCheck> = Vec::new();
    match object.get("must_haves") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (index, entry) in items.iter().enumerate() {
                let at = |name: &str| format!("must_haves[{index}].{name}");
                let text = entry
                    .get("text")
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .ok_or_else(|| invalid(at("text"), "missing, or not a string"))?;
                let Some(must) = spec
                    .must_haves
                    .iter()
                    .find(|m| collapse_whitespace(&m.text) == collapse_whitespace(text))
                else {
                    return Err(invalid(
                        at("text"),
                        format!("“{text}” is not a must-have of this version"),
                    ));
                };
                let met = entry
                    .get("met")
                    .and_then(Value::as_bool)
                    .ok_or_else(|| invalid(at("met"), "missing, or not true/false"))?;
                if must_haves.iter().any(|m| m.text == must.text) {
                    return Err(invalid(at("text"), format!("“{text}” is answered twice")));
                }
                must_haves.push(MustHaveCheck {
                    text: must.text.clone(),
                    met,
                });
            }
        }
        Some(_) => return Err(invalid("must_haves", "not a list")),
    }
    let recommendation = match object.get("recommendation") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(match text.trim() {
            "strong_no" => Recommendation::StrongNo,
            "no" => Recommendation::No,
            "yes" => Recommendation::Yes,
            "strong_yes" => Recommendation::StrongYes,
            other => {
                return Err(invalid(
                    "recommendation",
                    format!("“{other}” is not strong_no, no, yes or strong_yes"),
                ))
            }
        }),
        Some(other) => {
            return Err(invalid(
                "recommendation",
                format!("{other} is not strong_no, no, yes or strong_yes"),
            ))
        }
    };
    let notes = match object.get("notes") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => cut(&text.trim().replace('\0', ""), MAX_EVIDENCE_CHARS),
        Some(_) => return Err(invalid("notes", "not a string")),
    };
    let card = Scorecard {
        scores,
        must_haves,
        recommendation,
        notes,
    };
    // Complete enough to submit: every competency, every required must-have.
    if let Some(problem) = scorecard_problems(&card, spec, true).into_iter().next() {
        return Err(invalid(problem.field, problem.message));
    }
    Ok(card)
}

/// The answers in rubric order, with transcripts where nothing was typed.
fn answered_items(
    spec: &JobSpecBody,
    answers: &[Answer],
    audio: &[StoredAudio],
) -> Vec<AnsweredItem> {
    let mut items = Vec::new();
    for (round, list) in [(1u32, &spec.round1), (2, &spec.round2)] {
        for item in list {
            let Some(answer) = answers
                .iter()
                .find(|a| a.round == round && a.item_id == item.id)
            else {
                continue;
            };
            let transcript = answer
                .audio_id
                .as_ref()
                .and_then(|id| audio.iter().find(|a| &a.id == id))
                .and_then(|a| a.transcript.clone());
            let text = if answer.text.trim().is_empty() {
                transcript.unwrap_or_else(|| "(a recording without a transcript)".to_string())
            } else {
                answer.text.clone()
            };
            items.push(AnsweredItem {
                round,
                question: item.text.clone(),
                answer: text,
            });
        }
    }
    items
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct AutomatedRequest {
    /// Replace the caller's own draft scorecard (default false: a hand-made
    /// draft is kept and the request refused).
    #[serde(default)]
    pub replace_draft: bool,
}

#[derive(Serialize, ToSchema)]
pub(super) struct AutomatedDraft {
    /// The caller's draft, marked `automated`.
    pub scorecard: ScorecardDto,
    /// `llm:<model>`.
    pub drafted_by: String,
    /// Always false: an automated draft never counts until a person submits
    /// it.
    pub counted: bool,
}

fn failed(status: StatusCode, code: &'static str, message: String) -> ApiError {
    ApiError::new(status, code, message)
}

/// Drafts the caller's scorecard with the model.
#[tracing::instrument(skip(state, principal, request, once))]
pub(super) async fn draft(
    state: &AppState,
    principal: &Principal,
    id: &str,
    request: AutomatedRequest,
    once: Option<&IdempotencyClaim>,
) -> ApiResult<AutomatedDraft> {
    let user = principal.user.as_ref().ok_or_else(ApiError::unauthorized)?;
    let (interview, _) = readable(state, principal, id).await?;
    let config = state.llm().ok_or_else(|| {
        failed(
            StatusCode::SERVICE_UNAVAILABLE,
            "evaluator_unavailable",
            "the automated evaluator needs a language model; set LADDER_LLM_URL and LADDER_LLM_MODEL".to_string(),
        )
    })?;
    if interview.status == Status::Withdrawn {
        return Err(failed(
            StatusCode::CONFLICT,
            "conflict",
            "the interview was withdrawn; it can no longer be scored".to_string(),
        ));
    }
    let own = state
        .store()
        .scorecards(id)
        .await?
        .into_iter()
        .find(|s| s.interviewer_id == user.id);
    match &own {
        Some(card) if card.submitted => {
            return Err(failed(
                StatusCode::CONFLICT,
                "conflict",
                "your scorecard is already submitted; an automated draft would not replace it (amend it yourself)".to_string(),
            ))
        }
        Some(card) if !card.automated && !request.replace_draft => {
            return Err(failed(
                StatusCode::CONFLICT,
                "draft_exists",
                "you have a draft scorecard of your own; send replace_draft: true to replace it with an automated draft".to_string(),
            )
            .field("replace_draft"))
        }
        _ => {}
    }
    let version = pinned(state, &interview).await?;
    let answers = state.store().answers(id).await?;
    let audio = state.store().interview_audio(id).await?;
    let items = answered_items(&version.body, &answers, &audio);
    if items.is_empty() {
        return Err(failed(
            StatusCode::CONFLICT,
            "no_answers",
            "the candidate has not answered anything yet; there is nothing to evaluate".to_string(),
        ));
    }
    let framework = match &version.body.basis {
        Some(basis) => state.framework(&basis.slug, None).await?,
        None => None,
    };
    let prompt = build_prompt(
        &version.body,
        framework.as_ref().map(|f| &f.framework),
        &items,
    );
    let model = config.generator();
    let outcome = match chat(config, &prompt.system, &prompt.user).await {
        Ok(content) => validate(&version.body, &prompt.offered, &content).map_err(|problem| {
            let at = if problem.field.is_empty() {
                String::new()
            } else {
                format!(" at {}", problem.field)
            };
            failed(
                StatusCode::BAD_GATEWAY,
                "evaluator_invalid_output",
                format!(
                    "the model's draft is invalid{at}: {}; nothing was saved — try again or score by hand",
                    problem.message
                ),
            )
            .field(problem.field)
        }),
        Err(reason) => Err(failed(
            StatusCode::BAD_GATEWAY,
            "evaluator_failed",
            format!("{reason}; nothing was saved — try again or score by hand"),
        )),
    };
    let card = match outcome {
        Ok(card) => card,
        Err(error) => {
            tracing::warn!(interview = %id, reason = %error.message, "automated evaluation failed");
            let detail = serde_json::json!({ "model": model, "reason": error.message, "field": error.field });
            if let Err(audit) = state
                .store()
                .record_event(&principal.actor(), "scorecard.automated_failed", id, detail)
                .await
            {
                tracing::error!(error = %audit, "could not audit a failed automated evaluation");
            }
            return Err(error);
        }
    };
    let drafted = |stored: &StoredScorecard| AutomatedDraft {
        scorecard: ScorecardDto::from(stored),
        drafted_by: model.clone(),
        counted: false,
    };
    let respond = responder(once, |stored: &StoredScorecard| {
        (StatusCode::CREATED, drafted(stored))
    });
    let stored = state
        .store()
        .save_automated_scorecard(
            id,
            &user.id,
            &card,
            &model,
            &principal.actor(),
            once.map(|claim| claim.completion(&respond)),
        )
        .await?;
    Ok(drafted(&stored))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ladder_core::jobspec::{Competency, MustHave, Weight};

    fn spec() -> JobSpecBody {
        JobSpecBody {
            title: "Backend".into(),
            seniority: "senior".into(),
            description: String::new(),
            basis: None,
            competencies: vec![
                Competency {
                    id: "a".into(),
                    name: "A".into(),
                    weight: Weight(6000),
                    definition: "Alpha".into(),
                },
                Competency {
                    id: "b".into(),
                    name: "B".into(),
                    weight: Weight(4000),
                    definition: String::new(),
                },
            ],
            must_haves: vec![
                MustHave {
                    text: "SQL".into(),
                    required: true,
                },
                MustHave {
                    text: "Go".into(),
                    required: false,
                },
            ],
            round1: vec![],
            round2: vec![],
        }
    }

    fn reply(value: Value) -> String {
        value.to_string()
    }

    #[test]
    fn a_complete_reply_becomes_a_scorecard() {
        let card = validate(
            &spec(),
            &["backend.l3.x".into()],
            &format!(
                "```json\n{}\n```",
                reply(serde_json::json!({
                    "scores": [
                        {"competency_id": "a", "score": 70, "evidence": "told a story", "criteria": ["backend.l3.x"]},
                        {"competency_id": "b", "score": 0, "evidence": "nothing shown"}
                    ],
                    "must_haves": [{"text": "SQL", "met": false}],
                    "recommendation": "no",
                    "notes": "thin"
                }))
            ),
        )
        .expect("valid");
        assert_eq!(card.scores[0].score, 70);
        assert_eq!(card.scores[0].criteria, vec!["backend.l3.x"]);
        assert!(!card.must_haves[0].met);
        assert_eq!(card.recommendation, Some(Recommendation::No));
    }

    #[test]
    fn every_invalid_reply_names_its_field() {
        let good_scores = serde_json::json!([
            {"competency_id": "a", "score": 70, "evidence": "e"},
            {"competency_id": "b", "score": 50, "evidence": "e"}
        ]);
        let must = serde_json::json!([{"text": "SQL", "met": true}]);
        let cases: Vec<(Value, &str)> = vec![
            (
                serde_json::json!({"scores": [{"competency_id": "zz", "score": 1, "evidence": "e"}]}),
                "scores[0].competency_id",
            ),
            (
                serde_json::json!({"scores": [{"competency_id": "a", "score": 101, "evidence": "e"}]}),
                "scores[0].score",
            ),
            (
                serde_json::json!({"scores": [{"competency_id": "a", "score": 70.5, "evidence": "e"}]}),
                "scores[0].score",
            ),
            (
                serde_json::json!({"scores": [{"competency_id": "a", "score": "70", "evidence": "e"}]}),
                "scores[0].score",
            ),
            (
                serde_json::json!({"scores": [{"competency_id": "a", "score": -1, "evidence": "e"}]}),
                "scores[0].score",
            ),
            (
                serde_json::json!({"scores": [{"competency_id": "a", "score": 1, "evidence": ""}]}),
                "scores[0].evidence",
            ),
            (
                serde_json::json!({"scores": [{"competency_id": "a", "score": 1, "evidence": "e", "criteria": ["made.up"]}]}),
                "scores[0].criteria[0]",
            ),
            (
                serde_json::json!({"scores": [{"competency_id": "a", "score": 1, "evidence": "e"}, {"competency_id": "a", "score": 1, "evidence": "e"}]}),
                "scores[1].competency_id",
            ),
            (
                serde_json::json!({"scores": [{"competency_id": "a", "score": 1, "evidence": "e"}], "must_haves": must}),
                "scores",
            ),
            (
                serde_json::json!({"scores": good_scores, "must_haves": []}),
                "must_haves",
            ),
            (
                serde_json::json!({"scores": good_scores, "must_haves": [{"text": "Rust", "met": true}]}),
                "must_haves[0].text",
            ),
            (
                serde_json::json!({"scores": good_scores, "must_haves": [{"text": "SQL", "met": "yes"}]}),
                "must_haves[0].met",
            ),
            (
                serde_json::json!({"scores": good_scores, "must_haves": must, "recommendation": "maybe"}),
                "recommendation",
            ),
            (serde_json::json!({"must_haves": must}), "scores"),
            (serde_json::json!(["not", "an", "object"]), ""),
        ];
        for (value, field) in cases {
            let problem = validate(&spec(), &[], &reply(value.clone())).expect_err("invalid");
            assert_eq!(problem.field, field, "{value}: {problem:?}");
        }
        assert_eq!(
            validate(&spec(), &[], "I think they did well")
                .expect_err("prose")
                .field,
            ""
        );
    }

    #[test]
    fn the_prompt_holds_the_rubric_and_the_answers() {
        let prompt = build_prompt(
            &spec(),
            None,
            &[AnsweredItem {
                round: 2,
                question: "Tell me about a time".into(),
                answer: "I fixed the ledger".into(),
            }],
        );
        assert!(
            prompt.user.contains("- a: A, weight 0.60"),
            "{}",
            prompt.user
        );
        assert!(prompt.user.contains("Definition: Alpha"));
        assert!(prompt.user.contains("- SQL (required)"));
        assert!(prompt
            .user
            .contains("Round 02 prompt: Tell me about a time"));
        assert!(prompt.user.contains("I fixed the ledger"));
        assert!(prompt.system.contains("\"must_haves\""));
    }
}
