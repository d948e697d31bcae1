//! Live performance per job spec and per version, read from the figures the
//! store maintains as interviews and scorecards change (constant cost), and
//! the results export (CSV and JSON).

use std::collections::{BTreeMap, HashMap};

use ladder_core::interview::{average, completion_text, score_interview, Scorecard, Status};
use ladder_core::jobspec::{Competency, JobSpecBody};
use ladder_store::{now_millis, JobSpecVersion, VersionPerformance, VersionSelector};
use serde::Serialize;
use utoipa::ToSchema;

use super::dto::{effective_status, tenths_text};
use super::lookup::{pinned, published};
use super::scorecards::visible_interviews;
use super::sight::Sight;
use crate::http::auth::Principal;
use crate::http::error::{ApiError, ApiResult};
use crate::http::state::AppState;

#[derive(Serialize, ToSchema)]
pub(super) struct CompetencyFigures {
    pub id: String,
    pub name: String,
    /// Exact decimal, e.g. "0.35".
    pub weight: String,
    /// Mean of the interviews' competency scores, one decimal; null when none.
    pub avg: Option<String>,
    /// Interviews scored on this competency.
    pub n: u64,
}

#[derive(Serialize, ToSchema)]
pub(super) struct Figures {
    pub interviews: u64,
    pub completed: u64,
    /// "66% · 2 of 3" (rounded down).
    pub completion: String,
    /// Interviews with at least one submitted scorecard.
    pub scored: u64,
    /// Mean overall score of scored interviews, one decimal; null when none.
    pub avg_score: Option<String>,
    /// `avg_score`, or "—" when there is none.
    pub avg_score_display: String,
    pub competencies: Vec<CompetencyFigures>,
    /// Scored interviews by overall score: 0–9.9, 10–19.9, …, 90–100.
    pub distribution: Vec<u64>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct VersionFigures {
    pub version: u32,
    pub label: Option<String>,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Serialize, ToSchema)]
pub(super) struct Performance {
    pub job_spec_id: String,
    /// The version asked for with `?version=`, or null for all versions.
    pub version: Option<u32>,
    #[serde(flatten)]
    pub figures: Figures,
    /// The same figures per published version, oldest first.
    pub versions: Vec<VersionFigures>,
}

/// Sums the maintained figures of some versions; competency names and
/// weights come from `competencies`.
fn figures(parts: &[&VersionPerformance], competencies: &[Competency]) -> Figures {
    let mut interviews = 0;
    let mut completed = 0;
    let mut scored = 0;
    let mut overall = 0;
    let mut distribution = vec![0u64; 10];
    let mut sums: HashMap<&str, (u64, u64)> = HashMap::new();
    for part in parts {
        interviews += part.interviews;
        completed += part.completed;
        scored += part.scored;
        overall += part.overall_sum_tenths;
        for (slot, count) in distribution.iter_mut().zip(part.distribution) {
            *slot += count;
        }
        for (id, sum, n) in &part.competencies {
            let entry = sums.entry(id.as_str()).or_default();
            entry.0 += sum;
            entry.1 += n;
        }
    }
    let avg_score = tenths_text(average(overall, scored));
    Figures {
        interviews,
        completed,
        completion: completion_text(completed, interviews),
        scored,
        avg_score_display: avg_score.clone().unwrap_or_else(|| "—".to_string()),
        avg_score,
        competencies: competencies
            .iter()
            .map(|c| {
                let (sum, n) = sums.get(c.id.as_str()).copied().unwrap_or((0, 0));
                CompetencyFigures {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    weight: c.weight.decimal(),
                    avg: tenths_text(average(sum, n)),
                    n,
                }
            })
            .collect(),
        distribution,
    }
}

/// From the maintained per-version figures only: the cost does not grow with
/// the number of interviews.
#[tracing::instrument(skip(state, version))]
pub(super) async fn job_spec_performance(
    state: &AppState,
    id: &str,
    version: Option<&str>,
) -> ApiResult<Performance> {
    let summary = state
        .store()
        .job_spec_summary(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("job spec {id}")))?;
    let stored = state.store().performance(id).await?;
    let empty = VersionPerformance::default();
    let of = |number: u32| {
        stored
            .iter()
            .find(|p| p.version == number)
            .unwrap_or(&empty)
    };
    let mut published: Vec<JobSpecVersion> = state
        .store()
        .job_spec_versions(id)
        .await?
        .into_iter()
        .filter(|v| v.published)
        .collect();
    published.sort_by_key(|v| v.version);
    if let Some(wanted) = version {
        let selector = VersionSelector::parse(Some(wanted));
        let chosen = published
            .iter()
            .find(|v| match &selector {
                VersionSelector::Number(n) => v.version == *n,
                VersionSelector::Label(label) => v.label.as_deref() == Some(label.as_str()),
                VersionSelector::Current => Some(v.version) == summary.current_version,
                VersionSelector::Draft => false,
            })
            .ok_or_else(|| {
                ApiError::not_found(format!("published version {wanted} of job spec {id}"))
                    .field("version")
            })?;
        let figures_of = || figures(&[of(chosen.version)], &chosen.body.competencies);
        return Ok(Performance {
            job_spec_id: id.to_string(),
            version: Some(chosen.version),
            figures: figures_of(),
            versions: vec![VersionFigures {
                version: chosen.version,
                label: chosen.label.clone(),
                figures: figures_of(),
            }],
        });
    }
    let current = published
        .iter()
        .find(|v| Some(v.version) == summary.current_version)
        .map(|v| v.body.competencies.as_slice())
        .unwrap_or(&[]);
    let all: Vec<&VersionPerformance> = stored.iter().collect();
    Ok(Performance {
        job_spec_id: id.to_string(),
        version: None,
        figures: figures(&all, current),
        versions: published
            .iter()
            .map(|v| VersionFigures {
                version: v.version,
                label: v.label.clone(),
                figures: figures(&[of(v.version)], &v.body.competencies),
            })
            .collect(),
    })
}

#[derive(Serialize, ToSchema)]
pub(super) struct ResultRow {
    pub interview_id: String,
    pub candidate_name: String,
    pub candidate_email: String,
    pub version: u32,
    pub version_label: Option<String>,
    pub status: Status,
    pub overall: Option<String>,
    /// Competency id → mean score (one decimal) for the current version's
    /// competencies; null when not scored (or not in the pinned version).
    pub scores: BTreeMap<String, Option<String>>,
    pub fails_must_have: bool,
}

#[derive(Serialize, ToSchema)]
pub(super) struct Results {
    pub job_spec_id: String,
    /// The score columns: the current version's competency ids, in order.
    pub competencies: Vec<String>,
    pub rows: Vec<ResultRow>,
}

#[tracing::instrument(skip(state, principal))]
pub(super) async fn results(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> ApiResult<Results> {
    let interviews = visible_interviews(state, principal, id).await?;
    let columns: Vec<String> = published(state, id)
        .await?
        .map(|v| v.body.competencies.iter().map(|c| c.id.clone()).collect())
        .unwrap_or_default();
    let mut versions: HashMap<u32, JobSpecVersion> = HashMap::new();
    let mut rows = Vec::with_capacity(interviews.len());
    for interview in interviews {
        if let std::collections::hash_map::Entry::Vacant(slot) = versions.entry(interview.version) {
            slot.insert(pinned(state, &interview).await?);
        }
        let version = versions.get(&interview.version);
        let body: Option<&JobSpecBody> = version.map(|v| &v.body);
        let stored = state.store().scorecards(&interview.id).await?;
        // An interviewer sees an interview's scores once their own is in.
        let sight = Sight::of(principal, &stored);
        let cards: Vec<Scorecard> = stored
            .into_iter()
            .filter(|s| s.submitted)
            .map(|s| s.card)
            .collect();
        let score = body
            .filter(|_| sight.overall())
            .and_then(|b| score_interview(b, &cards));
        let scores = columns
            .iter()
            .map(|column| {
                let value = score.as_ref().and_then(|s| {
                    s.competencies
                        .iter()
                        .find(|(id, _)| id == column)
                        .map(|(_, t)| t.to_string())
                });
                (column.clone(), value)
            })
            .collect();
        rows.push(ResultRow {
            interview_id: interview.id.clone(),
            candidate_name: interview.candidate_name.clone(),
            candidate_email: interview.candidate_email.clone(),
            version: interview.version,
            version_label: version.and_then(|v| v.label.clone()),
            status: effective_status(&interview, now_millis()),
            overall: sight
                .overall()
                .then(|| tenths_text(interview.overall))
                .flatten(),
            scores,
            fails_must_have: sight.overall() && interview.fails_must_have,
        });
    }
    Ok(Results {
        job_spec_id: id.to_string(),
        competencies: columns,
        rows,
    })
}

/// One CSV field: quoted when it holds a comma, quote or line break; a
/// leading `=`, `+`, `-`, `@` (a spreadsheet formula) is neutralised with `'`.
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

pub(super) fn results_to_csv(results: &Results) -> String {
    let mut header: Vec<String> = [
        "candidate_name",
        "candidate_email",
        "version",
        "status",
        "overall",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(results.competencies.iter().cloned());
    header.push("fails_must_have".to_string());
    let mut out = String::new();
    let line = |fields: Vec<String>| {
        fields
            .iter()
            .map(|f| csv_field(f))
            .collect::<Vec<_>>()
            .join(",")
            + "\r\n"
    };
    out.push_str(&line(header));
    for row in &results.rows {
        let mut fields = vec![
            row.candidate_name.clone(),
            row.candidate_email.clone(),
            row.version_label
                .clone()
                .unwrap_or_else(|| row.version.to_string()),
            row.status.as_str().to_string(),
            row.overall.clone().unwrap_or_default(),
        ];
        for column in &results.competencies {
            fields.push(
                row.scores
                    .get(column)
                    .cloned()
                    .flatten()
                    .unwrap_or_default(),
            );
        }
        fields.push(row.fails_must_have.to_string());
        out.push_str(&line(fields));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_output_is_quoted_and_formula_safe() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
    }
}
