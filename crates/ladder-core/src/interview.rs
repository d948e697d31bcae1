//! Interviews (PRODUCT.md §3): scorecards and the exact arithmetic of scores.
//!
//! A competency's score is the mean of the submitted scorecards; the overall
//! score is Σ weight × score with the pinned version's weights, out of 100.
//! Everything is integers: weights in basis points, scores in whole points,
//! results in tenths of a point rounded half up from the exact value.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::jobspec::{JobSpecBody, Problem};

pub const MAX_SCORE: u32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Invited,
    InProgress,
    Completed,
    Withdrawn,
    Expired,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Invited => "invited",
            Status::InProgress => "in_progress",
            Status::Completed => "completed",
            Status::Withdrawn => "withdrawn",
            Status::Expired => "expired",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        [
            Status::Invited,
            Status::InProgress,
            Status::Completed,
            Status::Withdrawn,
            Status::Expired,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }

    /// Whether a candidate may still answer.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Invited | Status::InProgress)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompetencyScore {
    pub competency_id: String,
    /// A whole number from 0 to 100.
    pub score: u32,
    #[serde(default)]
    pub evidence: String,
    /// Framework criterion ids the evidence points at.
    #[serde(default)]
    pub criteria: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MustHaveCheck {
    pub text: String,
    pub met: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Recommendation {
    StrongNo,
    No,
    Yes,
    StrongYes,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scorecard {
    #[serde(default)]
    pub scores: Vec<CompetencyScore>,
    #[serde(default)]
    pub must_haves: Vec<MustHaveCheck>,
    #[serde(default)]
    pub recommendation: Option<Recommendation>,
    #[serde(default)]
    pub notes: String,
}

/// What is wrong with a scorecard, by field path. Drafts may be partial; a
/// submitted scorecard scores every competency once and answers every
/// required must-have.
pub fn scorecard_problems(card: &Scorecard, spec: &JobSpecBody, submitting: bool) -> Vec<Problem> {
    use crate::limits::{self, check};
    let mut problems = Vec::new();
    for (index, score) in card.scores.iter().enumerate() {
        problems.extend(check(
            format!("scores[{index}].evidence"),
            "the evidence",
            &score.evidence,
            limits::SCORECARD_EVIDENCE,
        ));
        for (at, criterion) in score.criteria.iter().enumerate() {
            problems.extend(check(
                format!("scores[{index}].criteria[{at}]"),
                "the criterion id",
                criterion,
                limits::SCORECARD_CRITERION,
            ));
        }
    }
    problems.extend(check(
        "notes",
        "the notes",
        &card.notes,
        limits::SCORECARD_NOTES,
    ));
    let mut add = |field: String, message: String| problems.push(Problem { field, message });
    for (index, score) in card.scores.iter().enumerate() {
        if !spec
            .competencies
            .iter()
            .any(|c| c.id == score.competency_id)
        {
            let known: Vec<&str> = spec.competencies.iter().map(|c| c.id.as_str()).collect();
            add(
                format!("scores[{index}].competency_id"),
                format!(
                    "there is no competency {} in this version; it has {}",
                    score.competency_id,
                    known.join(", ")
                ),
            );
        } else if card.scores[..index]
            .iter()
            .any(|earlier| earlier.competency_id == score.competency_id)
        {
            add(
                format!("scores[{index}].competency_id"),
                format!("{} is scored twice", score.competency_id),
            );
        }
        if score.score > MAX_SCORE {
            add(
                format!("scores[{index}].score"),
                format!(
                    "a score is a whole number from 0 to {MAX_SCORE}, not {}",
                    score.score
                ),
            );
        }
    }
    for (index, check) in card.must_haves.iter().enumerate() {
        if !spec.must_haves.iter().any(|m| m.text == check.text) {
            add(
                format!("must_haves[{index}].text"),
                "this must-have is not in the job spec version".to_string(),
            );
        }
    }
    if submitting {
        for competency in &spec.competencies {
            if !card.scores.iter().any(|s| s.competency_id == competency.id) {
                add(
                    "scores".to_string(),
                    format!(
                        "score {} ({}) before submitting",
                        competency.name, competency.id
                    ),
                );
            }
        }
        for must in spec.must_haves.iter().filter(|m| m.required) {
            if !card.must_haves.iter().any(|c| c.text == must.text) {
                add(
                    "must_haves".to_string(),
                    format!("say whether “{}” is met before submitting", must.text),
                );
            }
        }
    }
    problems
}

/// A score in tenths of a point: `Tenths(725)` is 72.5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tenths(pub u64);

impl fmt::Display for Tenths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

/// `numerator / denominator` rounded half up; `None` when dividing by zero.
pub fn divide_half_up(numerator: u64, denominator: u64) -> Option<u64> {
    if denominator == 0 {
        return None;
    }
    Some((2 * numerator + denominator) / (2 * denominator))
}

/// The average of values already in tenths, itself in tenths.
pub fn average(sum_tenths: u64, count: u64) -> Option<Tenths> {
    divide_half_up(sum_tenths, count).map(Tenths)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InterviewScore {
    /// Each competency's mean over the submitted scorecards, in tenths.
    pub competencies: Vec<(String, Tenths)>,
    /// Σ weight × mean, out of 100, from the exact means.
    pub overall: Tenths,
    /// Some submitted scorecard marks a required must-have as not met.
    pub fails_must_have: bool,
    pub scorecards: u64,
}

/// Scores an interview from its submitted scorecards with the weights of the
/// pinned version; `None` before the first submission.
pub fn score_interview(spec: &JobSpecBody, submitted: &[Scorecard]) -> Option<InterviewScore> {
    let count = submitted.len() as u64;
    if count == 0 {
        return None;
    }
    let mut competencies = Vec::with_capacity(spec.competencies.len());
    // Σ weight_bp × Σ scores: the exact overall is this / (10 000 × count).
    let mut weighted: u64 = 0;
    for competency in &spec.competencies {
        let sum: u64 = submitted
            .iter()
            .filter_map(|card| {
                card.scores
                    .iter()
                    .find(|s| s.competency_id == competency.id)
            })
            .map(|s| u64::from(s.score.min(MAX_SCORE)))
            .sum();
        weighted += u64::from(competency.weight.0) * sum;
        competencies.push((
            competency.id.clone(),
            Tenths(divide_half_up(10 * sum, count).unwrap_or(0)),
        ));
    }
    let required: Vec<&str> = spec
        .must_haves
        .iter()
        .filter(|m| m.required)
        .map(|m| m.text.as_str())
        .collect();
    let fails_must_have = submitted
        .iter()
        .flat_map(|card| card.must_haves.iter())
        .any(|check| !check.met && required.contains(&check.text.as_str()));
    Some(InterviewScore {
        competencies,
        overall: Tenths(divide_half_up(weighted, 1000 * count).unwrap_or(0)),
        fails_must_have,
        scorecards: count,
    })
}

/// Which tenth of the 0–100 range a score falls in (100 joins the top bucket).
pub fn distribution_bucket(score: Tenths) -> usize {
    usize::try_from((score.0 / 100).min(9)).unwrap_or(9)
}

/// "0% · 0 of 1", percentages rounded down so 99.9% never reads 100%.
pub fn completion_text(completed: u64, interviews: u64) -> String {
    let percent = (completed * 100).checked_div(interviews).unwrap_or(0);
    format!("{percent}% · {completed} of {interviews}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobspec::{Competency, MustHave, Weight};

    fn spec() -> JobSpecBody {
        let competency = |id: &str, weight: u32| Competency {
            id: id.into(),
            name: id.to_uppercase(),
            weight: Weight(weight),
            definition: String::new(),
        };
        JobSpecBody {
            title: "t".into(),
            seniority: String::new(),
            description: String::new(),
            basis: None,
            competencies: vec![
                competency("a", 3500),
                competency("b", 2500),
                competency("c", 2500),
                competency("d", 1500),
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

    fn card(scores: [u32; 4], sql_met: bool) -> Scorecard {
        Scorecard {
            scores: ["a", "b", "c", "d"]
                .iter()
                .zip(scores)
                .map(|(id, score)| CompetencyScore {
                    competency_id: (*id).into(),
                    score,
                    evidence: String::new(),
                    criteria: vec![],
                })
                .collect(),
            must_haves: vec![MustHaveCheck {
                text: "SQL".into(),
                met: sql_met,
            }],
            recommendation: Some(Recommendation::Yes),
            notes: String::new(),
        }
    }

    #[test]
    fn overall_is_the_weighted_sum_of_means_exactly() {
        let score = score_interview(&spec(), &[card([80, 60, 70, 90], true)]).expect("scored");
        // 0.35×80 + 0.25×60 + 0.25×70 + 0.15×90 = 28 + 15 + 17.5 + 13.5 = 74.0
        assert_eq!(score.overall, Tenths(740));
        assert_eq!(score.overall.to_string(), "74.0");
        assert!(!score.fails_must_have);

        let two = score_interview(
            &spec(),
            &[card([80, 60, 70, 90], true), card([81, 60, 70, 90], false)],
        )
        .expect("scored");
        // a's mean is 80.5; overall 74.0 + 0.35×0.5 = 74.175 -> 74.2
        assert_eq!(two.competencies[0], ("a".to_string(), Tenths(805)));
        assert_eq!(two.overall, Tenths(742));
        assert!(
            two.fails_must_have,
            "one evaluator found the required must-have unmet"
        );
        assert_eq!(score_interview(&spec(), &[]), None);
    }

    #[test]
    fn rounding_is_half_up_from_the_exact_value() {
        assert_eq!(divide_half_up(5, 10), Some(1));
        assert_eq!(divide_half_up(4, 10), Some(0));
        assert_eq!(divide_half_up(1, 0), None);
        // Means of 1 and 2 over three cards: 33.333.. and 66.666..
        assert_eq!(average(1000, 3), Some(Tenths(333)));
        assert_eq!(average(2000, 3), Some(Tenths(667)));
        assert_eq!(distribution_bucket(Tenths(1000)), 9);
        assert_eq!(distribution_bucket(Tenths(999)), 9);
        assert_eq!(distribution_bucket(Tenths(0)), 0);
    }

    #[test]
    fn completion_reads_like_the_seed() {
        assert_eq!(completion_text(0, 1), "0% · 0 of 1");
        assert_eq!(completion_text(2, 3), "66% · 2 of 3");
        assert_eq!(completion_text(0, 0), "0% · 0 of 0");
    }

    #[test]
    fn scorecards_are_checked_by_field() {
        let mut partial = card([80, 60, 70, 90], true);
        partial.scores.truncate(2);
        assert!(
            scorecard_problems(&partial, &spec(), false).is_empty(),
            "drafts may be partial"
        );
        let problems = scorecard_problems(&partial, &spec(), true);
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].field, "scores");
        let mut bad = card([101, 60, 70, 90], true);
        bad.scores[1].competency_id = "a".into();
        let fields: Vec<String> = scorecard_problems(&bad, &spec(), false)
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, vec!["scores[0].score", "scores[1].competency_id"]);
        assert_eq!(Status::parse("in_progress"), Some(Status::InProgress));
        assert!(!Status::Completed.is_open());
    }

    #[test]
    fn scorecard_text_is_bounded() {
        let mut long = card([80, 60, 70, 90], true);
        long.scores[0].evidence = "e".repeat(crate::limits::SCORECARD_EVIDENCE);
        long.notes = "n".repeat(crate::limits::SCORECARD_NOTES);
        assert_eq!(scorecard_problems(&long, &spec(), true), vec![]);
        long.scores[0].evidence.push('e');
        long.scores[1].criteria = vec!["c".repeat(crate::limits::SCORECARD_CRITERION + 1)];
        long.notes.push('n');
        let fields: Vec<String> = scorecard_problems(&long, &spec(), true)
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            vec!["scores[0].evidence", "scores[1].criteria[0]", "notes"]
        );
    }
}
