//! The live figures of each job-spec version (`job_spec_performance`,
//! `job_spec_competency_performance`): moved only inside the transaction that
//! changes what they count, read in constant work per version, and
//! recomputed from the raw rows by `verify`.

use std::collections::BTreeMap;

use ladder_core::interview::{distribution_bucket, score_interview, Scorecard, Status};
use ladder_core::jobspec::JobSpecBody;
use sqlx::AnyConnection;

use super::interviews::{InterviewRow, ScorecardRow, INTERVIEW_COLUMNS, SCORECARD_COLUMNS};
use super::{signed, to_u32, SqlStore};
use crate::{Interview, Result, StoreError, StoredScorecard, VersionPerformance};

/// Interviews read per query by `verify`.
const VERIFY_PAGE: usize = 5_000;

/// A `job_spec_performance` row: one version's counters.
#[derive(sqlx::FromRow)]
struct PerformanceRow {
    version: i64,
    interviews: i64,
    completed: i64,
    scored: i64,
    overall_sum_tenths: i64,
    bucket0: i64,
    bucket1: i64,
    bucket2: i64,
    bucket3: i64,
    bucket4: i64,
    bucket5: i64,
    bucket6: i64,
    bucket7: i64,
    bucket8: i64,
    bucket9: i64,
}

/// Counters are never negative; a negative one reads as 0.
fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

impl From<PerformanceRow> for VersionPerformance {
    /// The version's counters, without its competencies (another table).
    fn from(row: PerformanceRow) -> VersionPerformance {
        let buckets = [
            row.bucket0,
            row.bucket1,
            row.bucket2,
            row.bucket3,
            row.bucket4,
            row.bucket5,
            row.bucket6,
            row.bucket7,
            row.bucket8,
            row.bucket9,
        ];
        VersionPerformance {
            version: to_u32(row.version),
            interviews: count(row.interviews),
            completed: count(row.completed),
            scored: count(row.scored),
            overall_sum_tenths: count(row.overall_sum_tenths),
            distribution: buckets.map(count),
            competencies: Vec::new(),
        }
    }
}

/// A `job_spec_competency_performance` row.
#[derive(sqlx::FromRow)]
struct CompetencyFiguresRow {
    version: i64,
    competency_id: String,
    sum_tenths: i64,
    n: i64,
}

/// An `interview_competency_scores` row.
#[derive(sqlx::FromRow)]
struct CompetencyScoreRow {
    competency_id: String,
    tenths: i64,
}

/// A submitted scorecard's body, as `verify` reads it.
#[derive(sqlx::FromRow)]
struct SubmittedCardRow {
    interview_id: String,
    body: String,
}

/// Adds to a version's counters, creating its row on first use.
pub(super) async fn bump(
    conn: &mut AnyConnection,
    job_spec_id: &str,
    version: u32,
    column: &str,
    by: i64,
) -> Result<()> {
    let sql = format!(
        "INSERT INTO job_spec_performance (job_spec_id, version, {column}) VALUES ($1, $2, $3) \
         ON CONFLICT (job_spec_id, version) DO UPDATE SET {column} = job_spec_performance.{column} + $3"
    );
    sqlx::query(&sql)
        .bind(job_spec_id)
        .bind(i64::from(version))
        .bind(by)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn bump_competency(
    conn: &mut AnyConnection,
    job_spec_id: &str,
    version: u32,
    competency: &str,
    sum: i64,
    n: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO job_spec_competency_performance (job_spec_id, version, competency_id, sum_tenths, n) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (job_spec_id, version, competency_id) DO UPDATE SET sum_tenths = job_spec_competency_performance.sum_tenths + $4, \
         n = job_spec_competency_performance.n + $5",
    )
    .bind(job_spec_id)
    .bind(i64::from(version))
    .bind(competency)
    .bind(sum)
    .bind(n)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl SqlStore {
    /// Recomputes one interview's scores from its submitted scorecards and
    /// moves the version's figures by the difference.
    pub(super) async fn rescore(
        &self,
        conn: &mut AnyConnection,
        interview: &Interview,
        spec: &JobSpecBody,
    ) -> Result<()> {
        let rows = sqlx::query_as::<_, ScorecardRow>(&format!("SELECT {SCORECARD_COLUMNS} FROM scorecards WHERE interview_id = $1 AND status = 'submitted'"))
            .bind(&interview.id)
            .fetch_all(&mut *conn)
            .await?;
        let cards: Vec<Scorecard> = rows
            .into_iter()
            .map(StoredScorecard::try_from)
            .map(|r| r.map(|s| s.card))
            .collect::<Result<_>>()?;
        let Some(score) = score_interview(spec, &cards) else {
            return Ok(());
        };
        let old_rows = sqlx::query_as::<_, CompetencyScoreRow>(
            "SELECT competency_id, tenths FROM interview_competency_scores WHERE interview_id = $1",
        )
        .bind(&interview.id)
        .fetch_all(&mut *conn)
        .await?;
        let old: BTreeMap<String, i64> = old_rows
            .into_iter()
            .map(|row| (row.competency_id, row.tenths))
            .collect();
        let (job, version) = (interview.job_spec_id.as_str(), interview.version);
        match interview.overall {
            None => {
                bump(conn, job, version, "scored", 1).await?;
                bump(
                    conn,
                    job,
                    version,
                    "overall_sum_tenths",
                    signed(score.overall.0),
                )
                .await?;
            }
            Some(previous) => {
                bump(
                    conn,
                    job,
                    version,
                    "overall_sum_tenths",
                    signed(score.overall.0) - signed(previous.0),
                )
                .await?;
                bump(
                    conn,
                    job,
                    version,
                    &format!("bucket{}", distribution_bucket(previous)),
                    -1,
                )
                .await?;
            }
        }
        bump(
            conn,
            job,
            version,
            &format!("bucket{}", distribution_bucket(score.overall)),
            1,
        )
        .await?;
        for (competency, tenths) in &score.competencies {
            let new = signed(tenths.0);
            match old.get(competency) {
                Some(before) => {
                    bump_competency(conn, job, version, competency, new - before, 0).await?
                }
                None => bump_competency(conn, job, version, competency, new, 1).await?,
            }
            sqlx::query(
                "INSERT INTO interview_competency_scores (interview_id, competency_id, tenths) VALUES ($1, $2, $3) \
                 ON CONFLICT (interview_id, competency_id) DO UPDATE SET tenths = $3",
            )
            .bind(&interview.id)
            .bind(competency)
            .bind(new)
            .execute(&mut *conn)
            .await?;
        }
        sqlx::query(
            "UPDATE interviews SET overall_tenths = $1, fails_must_have = $2 WHERE id = $3",
        )
        .bind(signed(score.overall.0))
        .bind(i64::from(score.fails_must_have))
        .bind(&interview.id)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// The stored figures of every version of a job spec.
    pub(super) async fn stored_performance(
        &self,
        job_spec_id: &str,
    ) -> Result<Vec<VersionPerformance>> {
        let rows = sqlx::query_as::<_, PerformanceRow>(
            "SELECT * FROM job_spec_performance WHERE job_spec_id = $1 ORDER BY version",
        )
        .bind(job_spec_id)
        .fetch_all(&self.pool)
        .await?;
        let competency_rows = sqlx::query_as::<_, CompetencyFiguresRow>("SELECT version, competency_id, sum_tenths, n FROM job_spec_competency_performance WHERE job_spec_id = $1 ORDER BY version, competency_id")
            .bind(job_spec_id)
            .fetch_all(&self.pool)
            .await?;
        let mut versions: Vec<VersionPerformance> =
            rows.into_iter().map(VersionPerformance::from).collect();
        for figures in &mut versions {
            figures.competencies = competency_rows
                .iter()
                .filter(|competency| to_u32(competency.version) == figures.version)
                .map(|competency| {
                    (
                        competency.competency_id.clone(),
                        count(competency.sum_tenths),
                        count(competency.n),
                    )
                })
                .collect();
        }
        Ok(versions)
    }

    /// Recomputes the figures from interviews, scorecards and the pinned
    /// versions, and lists every place they differ from what is stored.
    pub(super) async fn verify_figures(&self) -> Result<Vec<String>> {
        let mut differences = Vec::new();
        let mut expected: BTreeMap<(String, u32), VersionPerformance> = BTreeMap::new();
        let mut bodies: BTreeMap<(String, u32), JobSpecBody> = BTreeMap::new();
        // Interviews a page at a time in id order (keyset), each page with
        // the submitted scorecards of its id range: memory and round trips
        // stay small at millions of rows.
        let interview_sql = format!(
            "SELECT {INTERVIEW_COLUMNS} FROM interviews WHERE id > $1 ORDER BY id LIMIT {VERIFY_PAGE}"
        );
        let mut after = String::new();
        loop {
            let rows = sqlx::query_as::<_, InterviewRow>(&interview_sql)
                .bind(&after)
                .fetch_all(&self.pool)
                .await?;
            let page: Vec<Interview> = rows
                .into_iter()
                .map(Interview::try_from)
                .collect::<Result<_>>()?;
            let Some(last) = page.last() else { break };
            let card_rows = sqlx::query_as::<_, SubmittedCardRow>(
                "SELECT interview_id, body FROM scorecards WHERE status = 'submitted' AND interview_id > $1 AND interview_id <= $2",
            )
            .bind(&after)
            .bind(&last.id)
            .fetch_all(&self.pool)
            .await?;
            let mut cards: BTreeMap<String, Vec<Scorecard>> = BTreeMap::new();
            for row in card_rows {
                let card: Scorecard = serde_json::from_str(&row.body)
                    .map_err(|error| StoreError::Corrupt(format!("scorecard: {error}")))?;
                cards.entry(row.interview_id).or_default().push(card);
            }
            for interview in &page {
                let submitted = cards.remove(&interview.id).unwrap_or_default();
                self.verify_one(
                    interview,
                    &submitted,
                    &mut bodies,
                    &mut expected,
                    &mut differences,
                )
                .await?;
            }
            after = last.id.clone();
            if page.len() < VERIFY_PAGE {
                break;
            }
        }
        let job_specs: Vec<String> = sqlx::query_scalar("SELECT id FROM job_specs ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        for job_spec in job_specs {
            for mut stored in self.stored_performance(&job_spec).await? {
                let mut wanted = expected
                    .remove(&(job_spec.clone(), stored.version))
                    .unwrap_or(VersionPerformance {
                        version: stored.version,
                        ..VersionPerformance::default()
                    });
                stored.competencies.retain(|(_, _, n)| *n > 0);
                stored.competencies.sort();
                wanted.competencies.sort();
                if stored != wanted {
                    differences.push(format!(
                        "job spec {job_spec} v{}: stored {stored:?}, recomputed {wanted:?}",
                        stored.version
                    ));
                }
            }
        }
        for ((job_spec, version), missing) in expected {
            differences.push(format!(
                "job spec {job_spec} v{version}: no stored figures, recomputed {missing:?}"
            ));
        }
        Ok(differences)
    }

    /// Recomputes one interview's score from its submitted scorecards and
    /// adds it to the expected figures of its version.
    async fn verify_one(
        &self,
        interview: &Interview,
        cards: &[Scorecard],
        bodies: &mut BTreeMap<(String, u32), JobSpecBody>,
        expected: &mut BTreeMap<(String, u32), VersionPerformance>,
        differences: &mut Vec<String>,
    ) -> Result<()> {
        let key = (interview.job_spec_id.clone(), interview.version);
        if !bodies.contains_key(&key) {
            let body: Option<String> = sqlx::query_scalar(
                "SELECT body FROM job_spec_versions WHERE job_spec_id = $1 AND version = $2",
            )
            .bind(&interview.job_spec_id)
            .bind(i64::from(interview.version))
            .fetch_optional(&self.pool)
            .await?;
            let Some(body) = body else {
                differences.push(format!(
                    "interview {} is pinned to a missing version {} of {}",
                    interview.id, interview.version, interview.job_spec_id
                ));
                return Ok(());
            };
            bodies.insert(
                key.clone(),
                serde_json::from_str(&body)
                    .map_err(|error| StoreError::Corrupt(error.to_string()))?,
            );
        }
        let Some(spec) = bodies.get(&key) else {
            return Ok(());
        };
        {
            let score = score_interview(spec, cards);
            if score.as_ref().map(|s| s.overall) != interview.overall {
                differences.push(format!(
                    "interview {}: stored overall {:?}, recomputed {:?}",
                    interview.id,
                    interview.overall,
                    score.as_ref().map(|s| s.overall)
                ));
            }
            let figures = expected.entry(key).or_insert_with(|| VersionPerformance {
                version: interview.version,
                ..VersionPerformance::default()
            });
            figures.interviews += 1;
            figures.completed += u64::from(interview.status == Status::Completed);
            if let Some(score) = score {
                figures.scored += 1;
                figures.overall_sum_tenths += score.overall.0;
                figures.distribution[distribution_bucket(score.overall)] += 1;
                for (competency, tenths) in score.competencies {
                    match figures
                        .competencies
                        .iter_mut()
                        .find(|(id, _, _)| *id == competency)
                    {
                        Some(entry) => {
                            entry.1 += tenths.0;
                            entry.2 += 1;
                        }
                        None => figures.competencies.push((competency, tenths.0, 1)),
                    }
                }
            }
        }
        Ok(())
    }
}
