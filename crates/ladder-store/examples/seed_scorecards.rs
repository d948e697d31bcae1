//! Benchmark seeding only: adds N completed interviews, each with one
//! submitted scorecard, to a published job spec — straight into the
//! database, because a million through HTTP would take hours.
//!
//! It is honest about what it writes: every interview's scores are computed
//! with `ladder_core::interview::score_interview` from its scorecard and the
//! pinned version, exactly as a submission does, and the live figures
//! (`job_spec_performance`, `job_spec_competency_performance`) are moved by
//! the same amounts in the same transaction as the rows they count, a chunk
//! at a time. Run `ladder verify` afterwards: it recomputes every figure from
//! the raw rows and must report no difference.
//!
//! ```sh
//! cargo run --release -p ladder-store --example seed_scorecards -- \
//!     sqlite://bench/ladder.db <job-spec-id> 1000000
//! ```

use std::collections::BTreeMap;
use std::error::Error;
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Instant;

use ladder_core::interview::{
    distribution_bucket, score_interview, CompetencyScore, MustHaveCheck, Recommendation, Scorecard,
};
use ladder_store::VersionSelector;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::Connection;

/// Interviews per transaction.
const CHUNK: usize = 20_000;
/// Rows per multi-row INSERT (15 parameters a row stays far under both
/// databases' limits).
const ROWS: usize = 500;

/// (interview id, its scorecard, overall tenths, fails a must-have,
/// (competency, tenths) means)
type Seeded = (String, Scorecard, u64, bool, Vec<(String, u64)>);

/// A small deterministic generator, so two runs seed the same scores.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let cells: Vec<String> = (1..=columns)
                .map(|column| format!("${}", row * columns + column))
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, job_spec, count] = args.as_slice() else {
        eprintln!("usage: seed_scorecards DATABASE_URL JOB_SPEC_ID COUNT");
        return ExitCode::from(2);
    };
    match seed(url, job_spec, count).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("seed_scorecards: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Seeds `count` completed interviews into the published version of
/// `job_spec` in the database at `url`.
async fn seed(url: &str, job_spec: &str, count: &str) -> Result<(), Box<dyn Error>> {
    let count: usize = count
        .parse()
        .map_err(|_| format!("COUNT must be a whole number, not {count:?}"))?;
    let store = ladder_store::connect(url)
        .await
        .map_err(|error| format!("cannot open the store at {url}: {error}"))?;
    let summary = store
        .job_spec_summary(job_spec)
        .await
        .map_err(|error| format!("cannot read job spec {job_spec}: {error}"))?
        .ok_or_else(|| format!("there is no job spec {job_spec}"))?;
    let version = summary
        .current_version
        .ok_or_else(|| format!("job spec {job_spec} is not published: publish it first"))?;
    let spec = store
        .job_spec_version(job_spec, &VersionSelector::Number(version))
        .await
        .map_err(|error| format!("cannot read job spec {job_spec} v{version}: {error}"))?
        .ok_or_else(|| {
            format!("job spec {job_spec} names v{version} as published, but it is missing")
        })?
        .body;
    drop(store);

    sqlx::any::install_default_drivers();
    let sqlite = url.starts_with("sqlite:");
    let connect_url = if sqlite && !url.contains('?') {
        format!("{url}?mode=rwc")
    } else {
        url.to_string()
    };
    let options = AnyConnectOptions::from_str(&connect_url)
        .map_err(|error| format!("{connect_url} is not a database URL: {error}"))?;
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|error| format!("cannot connect to {url}: {error}"))?;
    let mut conn = pool
        .acquire()
        .await
        .map_err(|error| format!("cannot connect to {url}: {error}"))?;
    if sqlite {
        sqlx::query("PRAGMA busy_timeout = 10000")
            .execute(&mut *conn)
            .await
            .map_err(|error| format!("cannot set SQLite's busy timeout: {error}"))?;
    }

    let started = Instant::now();
    let now = ladder_store::now_millis();
    let mut random = Lcg(0x001a_dde5_eed5);
    let mut done = 0usize;
    while done < count {
        let size = CHUNK.min(count - done);
        // One chunk: its rows and the figures they move, in one transaction.
        let mut interviews: Vec<Seeded> = Vec::with_capacity(size);
        let mut overall_sum = 0u64;
        let mut buckets = [0i64; 10];
        let mut competency_sums: BTreeMap<String, (u64, u64)> = BTreeMap::new();
        for _ in 0..size {
            let card = Scorecard {
                scores: spec
                    .competencies
                    .iter()
                    .map(|c| CompetencyScore {
                        competency_id: c.id.clone(),
                        score: u32::try_from(random.next() % 101).unwrap_or(50),
                        evidence: "seeded for the benchmark".to_string(),
                        criteria: Vec::new(),
                    })
                    .collect(),
                must_haves: spec
                    .must_haves
                    .iter()
                    .filter(|m| m.required)
                    .map(|m| MustHaveCheck {
                        text: m.text.clone(),
                        met: !random.next().is_multiple_of(10),
                    })
                    .collect(),
                recommendation: Some(Recommendation::Yes),
                notes: String::new(),
            };
            let score = score_interview(&spec, std::slice::from_ref(&card))
                .ok_or("a seeded scorecard did not score, though a submitted one always does")?;
            overall_sum += score.overall.0;
            buckets[distribution_bucket(score.overall)] += 1;
            let competencies: Vec<(String, u64)> = score
                .competencies
                .iter()
                .map(|(id, tenths)| (id.clone(), tenths.0))
                .collect();
            for (id, tenths) in &competencies {
                let entry = competency_sums.entry(id.clone()).or_default();
                entry.0 += tenths;
                entry.1 += 1;
            }
            interviews.push((
                uuid::Uuid::now_v7().to_string(),
                card,
                score.overall.0,
                score.fails_must_have,
                competencies,
            ));
        }

        let mut tx = conn
            .begin()
            .await
            .map_err(|error| format!("cannot start a transaction: {error}"))?;
        for rows in interviews.chunks(ROWS) {
            let sql = format!(
                "INSERT INTO interviews (id, job_spec_id, version, candidate_name, candidate_email, status, token_hash, expires_at, round2_position, overall_tenths, fails_must_have, created_by, created_at, started_at, completed_at) VALUES {}",
                placeholders(rows.len(), 15)
            );
            let mut query = sqlx::query(&sql);
            for (id, _, overall, fails, _) in rows {
                query = query
                    .bind(id.clone())
                    .bind(job_spec.to_string())
                    .bind(i64::from(version))
                    .bind(format!("Seeded candidate {id}"))
                    .bind(format!("{id}@bench.example"))
                    .bind("completed")
                    .bind(format!("bench-{id}"))
                    .bind(now + 14 * 86_400_000)
                    .bind(0i64)
                    .bind(i64::try_from(*overall).unwrap_or(0))
                    .bind(i64::from(*fails))
                    .bind("bench")
                    .bind(now)
                    .bind(now)
                    .bind(now);
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(|error| format!("cannot insert seeded interviews: {error}"))?;

            let sql = scorecard_insert(rows.len());
            let mut query = sqlx::query(&sql);
            for (id, card, _, _, _) in rows {
                let body = serde_json::to_string(card)
                    .map_err(|error| format!("cannot write a scorecard as JSON: {error}"))?;
                query = query
                    .bind(id.clone())
                    .bind("bench-interviewer")
                    .bind("submitted")
                    .bind(1i64)
                    .bind(body)
                    .bind(now)
                    .bind(now)
                    .bind(0i64);
            }
            query
                .execute(&mut *tx)
                .await
                .map_err(|error| format!("cannot insert seeded scorecards: {error}"))?;

            let scores: Vec<(&String, &String, u64)> = rows
                .iter()
                .flat_map(|(id, _, _, _, competencies)| {
                    competencies.iter().map(move |(c, t)| (id, c, *t))
                })
                .collect();
            for part in scores.chunks(ROWS) {
                let sql = format!(
                    "INSERT INTO interview_competency_scores (interview_id, competency_id, tenths) VALUES {}",
                    placeholders(part.len(), 3)
                );
                let mut query = sqlx::query(&sql);
                for (id, competency, tenths) in part {
                    query = query
                        .bind((*id).clone())
                        .bind((*competency).clone())
                        .bind(i64::try_from(*tenths).unwrap_or(0));
                }
                query
                    .execute(&mut *tx)
                    .await
                    .map_err(|error| format!("cannot insert seeded competency scores: {error}"))?;
            }
        }
        let n = i64::try_from(size).unwrap_or(0);
        let mut sets = vec![
            "interviews = job_spec_performance.interviews + $3".to_string(),
            "completed = job_spec_performance.completed + $3".to_string(),
            "scored = job_spec_performance.scored + $3".to_string(),
            "overall_sum_tenths = job_spec_performance.overall_sum_tenths + $4".to_string(),
        ];
        for bucket in 0..10 {
            sets.push(format!(
                "bucket{bucket} = job_spec_performance.bucket{bucket} + ${}",
                bucket + 5
            ));
        }
        let bucket_columns: Vec<String> = (0..10).map(|b| format!("bucket{b}")).collect();
        let bucket_params: Vec<String> = (0..10).map(|b| format!("${}", b + 5)).collect();
        let sql = format!(
            "INSERT INTO job_spec_performance (job_spec_id, version, interviews, completed, scored, overall_sum_tenths, {}) VALUES ($1, $2, $3, $3, $3, $4, {}) \
             ON CONFLICT (job_spec_id, version) DO UPDATE SET {}",
            bucket_columns.join(", "),
            bucket_params.join(", "),
            sets.join(", ")
        );
        let mut query = sqlx::query(&sql)
            .bind(job_spec.to_string())
            .bind(i64::from(version))
            .bind(n)
            .bind(i64::try_from(overall_sum).unwrap_or(0));
        for bucket in buckets {
            query = query.bind(bucket);
        }
        query
            .execute(&mut *tx)
            .await
            .map_err(|error| format!("cannot update the version's figures: {error}"))?;
        for (competency, (sum, n)) in &competency_sums {
            sqlx::query(
                "INSERT INTO job_spec_competency_performance (job_spec_id, version, competency_id, sum_tenths, n) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (job_spec_id, version, competency_id) DO UPDATE SET sum_tenths = job_spec_competency_performance.sum_tenths + $4, n = job_spec_competency_performance.n + $5",
            )
            .bind(job_spec.to_string())
            .bind(i64::from(version))
            .bind(competency.clone())
            .bind(i64::try_from(*sum).unwrap_or(0))
            .bind(i64::try_from(*n).unwrap_or(0))
            .execute(&mut *tx)
            .await
            .map_err(|error| format!("cannot update the competency figures: {error}"))?;
        }
        tx.commit().await.map_err(|error| {
            format!(
                "cannot commit seeded interviews {} to {}: {error}",
                done + 1,
                done + size
            )
        })?;
        done += size;
        eprintln!(
            "seeded {done} of {count} scorecards ({:.0} s)",
            started.elapsed().as_secs_f64()
        );
    }
    println!(
        "Seeded {count} completed interviews with one submitted scorecard each into job spec {job_spec} v{version} in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The scorecard insert for `rows` rows: eight bound columns and a literal
/// NULL for `drafted_by`.
fn scorecard_insert(rows: usize) -> String {
    let groups: Vec<String> = (0..rows)
        .map(|row| {
            let cells: Vec<String> = (1..=8).map(|c| format!("${}", row * 8 + c)).collect();
            format!("({}, NULL)", cells.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO scorecards (interview_id, interviewer_id, status, revision, body, updated_at, submitted_at, automated, drafted_by) VALUES {}",
        groups.join(", ")
    )
}
