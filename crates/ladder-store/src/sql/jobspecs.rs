//! Job specs on SQL: versions, drafts, publishing, and the
//! audit trail of weight changes.

use async_trait::async_trait;
use ladder_core::jobspec::{diff, JobSpecBody};

use super::{audit, is_unique_violation, to_u32, SqlStore};
use crate::{
    now_millis, Actor, JobSpecStore, JobSpecSummary, JobSpecVersion, Result, StoreError,
    VersionSelector,
};

const VERSION_COLUMNS: &str =
    "job_spec_id, version, label, status, body, created_by, created_at, published_at";
/// What a version row is read as: its columns and when it was last saved.
const VERSION_READ: &str = "job_spec_id, version, label, status, body, created_by, created_at, published_at, COALESCE(saved_at, created_at) AS saved_at";
const SUMMARY_COLUMNS: &str = "s.id, s.title, s.seniority, s.current_version, s.draft_version, s.latest_version, s.updated_at, \
     (SELECT v.label FROM job_spec_versions v WHERE v.job_spec_id = s.id AND v.version = s.current_version) AS current_label";

/// A `job_spec_versions` row: the body as JSON, the status as text.
#[derive(sqlx::FromRow)]
struct VersionRow {
    job_spec_id: String,
    version: i64,
    label: Option<String>,
    status: String,
    body: String,
    created_by: String,
    created_at: i64,
    published_at: Option<i64>,
    saved_at: i64,
}

impl TryFrom<VersionRow> for JobSpecVersion {
    type Error = StoreError;

    fn try_from(row: VersionRow) -> Result<JobSpecVersion> {
        Ok(JobSpecVersion {
            body: serde_json::from_str(&row.body)
                .map_err(|error| StoreError::Corrupt(format!("job spec body: {error}")))?,
            job_spec_id: row.job_spec_id,
            version: to_u32(row.version),
            label: row.label,
            published: row.status == "published",
            created_by: row.created_by,
            created_at: row.created_at,
            published_at: row.published_at,
            saved_at: row.saved_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    title: String,
    seniority: String,
    current_version: Option<i64>,
    current_label: Option<String>,
    draft_version: Option<i64>,
    latest_version: i64,
    updated_at: i64,
}

impl From<SummaryRow> for JobSpecSummary {
    fn from(row: SummaryRow) -> JobSpecSummary {
        JobSpecSummary {
            id: row.id,
            title: row.title,
            seniority: row.seniority,
            current_version: row.current_version.map(to_u32),
            current_label: row.current_label,
            draft_version: row.draft_version.map(to_u32),
            latest_version: to_u32(row.latest_version),
            updated_at: row.updated_at,
        }
    }
}

/// Which versions of a job spec are current, open as a draft, and latest.
#[derive(sqlx::FromRow)]
struct VersionStateRow {
    current_version: Option<i64>,
    draft_version: Option<i64>,
    latest_version: i64,
}

fn body_json(body: &JobSpecBody) -> Result<String> {
    serde_json::to_string(body).map_err(|error| StoreError::Corrupt(error.to_string()))
}

#[async_trait]
impl JobSpecStore for SqlStore {
    async fn create_job_spec(
        &self,
        id: &str,
        body: &JobSpecBody,
        actor: &Actor,
    ) -> Result<JobSpecVersion> {
        let now = now_millis();
        let json = body_json(body)?;
        let mut tx = self.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO job_specs (id, title, seniority, current_version, draft_version, latest_version, created_by, created_at, updated_at) VALUES ($1, $2, $3, NULL, 1, 1, $4, $5, $5)",
        )
        .bind(id)
        .bind(&body.title)
        .bind(&body.seniority)
        .bind(&actor.label)
        .bind(now)
        .execute(&mut *tx)
        .await;
        if let Err(error) = inserted {
            let error = StoreError::from(error);
            return Err(if is_unique_violation(&error) {
                StoreError::Conflict(format!("a job spec with id {id} already exists"))
            } else {
                error
            });
        }
        sqlx::query(&format!("INSERT INTO job_spec_versions ({VERSION_COLUMNS}) VALUES ($1, 1, NULL, 'draft', $2, $3, $4, NULL)"))
            .bind(id)
            .bind(&json)
            .bind(&actor.label)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let weights: Vec<serde_json::Value> = body
            .competencies
            .iter()
            .map(|c| serde_json::json!({ "competency": c.id, "weight": c.weight.decimal() }))
            .collect();
        audit(
            &mut tx,
            actor,
            "jobspec.create",
            id,
            serde_json::json!({ "title": body.title, "weights": weights }),
        )
        .await?;
        tx.commit().await?;
        Ok(JobSpecVersion {
            job_spec_id: id.to_string(),
            version: 1,
            label: None,
            published: false,
            body: body.clone(),
            created_by: actor.label.clone(),
            created_at: now,
            published_at: None,
            saved_at: now,
        })
    }

    async fn job_specs(&self) -> Result<Vec<JobSpecSummary>> {
        let rows = sqlx::query_as::<_, SummaryRow>(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM job_specs s ORDER BY s.updated_at DESC, s.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(JobSpecSummary::from).collect())
    }

    async fn job_spec_summary(&self, id: &str) -> Result<Option<JobSpecSummary>> {
        let row = sqlx::query_as::<_, SummaryRow>(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM job_specs s WHERE s.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(JobSpecSummary::from))
    }

    async fn job_spec_version(
        &self,
        id: &str,
        selector: &VersionSelector,
    ) -> Result<Option<JobSpecVersion>> {
        let base = format!("SELECT {VERSION_READ} FROM job_spec_versions WHERE job_spec_id = $1");
        let row = match selector {
            VersionSelector::Number(number) => {
                sqlx::query_as::<_, VersionRow>(&format!("{base} AND version = $2")).bind(id).bind(i64::from(*number)).fetch_optional(&self.pool).await?
            }
            VersionSelector::Label(label) => sqlx::query_as::<_, VersionRow>(&format!("{base} AND label = $2")).bind(id).bind(label).fetch_optional(&self.pool).await?,
            VersionSelector::Draft => {
                sqlx::query_as::<_, VersionRow>(&format!("{base} AND version = (SELECT draft_version FROM job_specs WHERE id = $1)"))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
            }
            VersionSelector::Current => {
                sqlx::query_as::<_, VersionRow>(&format!(
                    "{base} AND version = (SELECT COALESCE(current_version, draft_version) FROM job_specs WHERE id = $1)"
                ))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
            }
        };
        row.map(JobSpecVersion::try_from).transpose()
    }

    async fn job_spec_versions(&self, id: &str) -> Result<Vec<JobSpecVersion>> {
        let rows = sqlx::query_as::<_, VersionRow>(&format!("SELECT {VERSION_READ} FROM job_spec_versions WHERE job_spec_id = $1 ORDER BY version DESC"))
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(JobSpecVersion::try_from).collect()
    }

    async fn save_job_spec_draft(
        &self,
        id: &str,
        body: &JobSpecBody,
        actor: &Actor,
    ) -> Result<JobSpecVersion> {
        let now = now_millis();
        let json = body_json(body)?;
        let mut tx = self.begin().await?;
        // Locked (PostgreSQL; SQLite's write transactions are serial), so a
        // concurrent publish waits and then sees this draft, or this save
        // waits and opens a new one.
        let Some(state) = sqlx::query_as::<_, VersionStateRow>(&format!(
            "SELECT current_version, draft_version, latest_version FROM job_specs WHERE id = $1{}",
            self.lock_suffix()
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Err(StoreError::NotFound(format!("job spec {id}")));
        };
        let draft = state.draft_version;
        let latest = state.latest_version;
        let base_version = draft.or(state.current_version).unwrap_or(latest);
        let before = sqlx::query_as::<_, VersionRow>(&format!(
            "SELECT {VERSION_READ} FROM job_spec_versions WHERE job_spec_id = $1 AND version = $2"
        ))
        .bind(id)
        .bind(base_version)
        .fetch_optional(&mut *tx)
        .await?
        .map(JobSpecVersion::try_from)
        .transpose()?;
        let (version, created_at) = match draft {
            Some(version) => {
                sqlx::query("UPDATE job_spec_versions SET body = $1, saved_at = $4 WHERE job_spec_id = $2 AND version = $3 AND status = 'draft'")
                    .bind(&json)
                    .bind(id)
                    .bind(version)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                (version, before.as_ref().map_or(now, |b| b.created_at))
            }
            None => {
                let version = latest + 1;
                sqlx::query(&format!("INSERT INTO job_spec_versions ({VERSION_COLUMNS}) VALUES ($1, $2, NULL, 'draft', $3, $4, $5, NULL)"))
                    .bind(id)
                    .bind(version)
                    .bind(&json)
                    .bind(&actor.label)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                (version, now)
            }
        };
        sqlx::query("UPDATE job_specs SET title = $1, seniority = $2, draft_version = $3, latest_version = $4, updated_at = $5 WHERE id = $6")
            .bind(&body.title)
            .bind(&body.seniority)
            .bind(version)
            .bind(version.max(latest))
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let changes = before
            .as_ref()
            .map(|b| diff(&b.body, body))
            .unwrap_or_default();
        for weight in changes
            .iter()
            .filter(|c| c.area == "weight" || (c.area == "competency" && c.kind != "changed"))
        {
            audit(
                &mut tx,
                actor,
                "jobspec.weight",
                id,
                serde_json::json!({ "version": version, "competency": weight.key, "change": weight.kind, "from": weight.from, "to": weight.to }),
            )
            .await?;
        }
        if !changes.is_empty() {
            audit(
                &mut tx,
                actor,
                "jobspec.update",
                id,
                serde_json::json!({ "version": version, "changes": changes }),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(JobSpecVersion {
            job_spec_id: id.to_string(),
            version: to_u32(version),
            label: None,
            published: false,
            body: body.clone(),
            created_by: actor.label.clone(),
            created_at,
            published_at: None,
            saved_at: now,
        })
    }

    async fn publish_job_spec(
        &self,
        id: &str,
        label: &str,
        actor: &Actor,
    ) -> Result<JobSpecVersion> {
        let now = now_millis();
        let mut tx = self.begin().await?;
        // Locked like a save, so the draft checked below is the draft frozen.
        let draft: Option<Option<i64>> = sqlx::query_scalar(&format!(
            "SELECT draft_version FROM job_specs WHERE id = $1{}",
            self.lock_suffix()
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let draft = match draft {
            None => return Err(StoreError::NotFound(format!("job spec {id}"))),
            Some(None) => {
                return Err(StoreError::Conflict(
                    "there is no draft to publish: edit the spec first".to_string(),
                ))
            }
            Some(Some(version)) => version,
        };
        let body: String = sqlx::query_scalar(
            "SELECT body FROM job_spec_versions WHERE job_spec_id = $1 AND version = $2",
        )
        .bind(id)
        .bind(draft)
        .fetch_one(&mut *tx)
        .await?;
        let body: JobSpecBody = serde_json::from_str(&body).map_err(|error| {
            StoreError::Corrupt(format!("draft {draft} of job spec {id}: {error}"))
        })?;
        // The balance rule, inside the transaction that freezes the version:
        // a weight edit that committed first is seen, one that comes later
        // waits for the lock and opens a new draft.
        let problems = body.publish_problems();
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        sqlx::query("UPDATE job_spec_versions SET status = 'published', label = $1, published_at = $2 WHERE job_spec_id = $3 AND version = $4")
            .bind(label)
            .bind(now)
            .bind(id)
            .bind(draft)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE job_specs SET current_version = $1, draft_version = NULL, updated_at = $2 WHERE id = $3")
            .bind(draft)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query_as::<_, VersionRow>(&format!(
            "SELECT {VERSION_READ} FROM job_spec_versions WHERE job_spec_id = $1 AND version = $2"
        ))
        .bind(id)
        .bind(draft)
        .fetch_one(&mut *tx)
        .await?;
        let published = JobSpecVersion::try_from(row)?;
        let weights: Vec<serde_json::Value> = published
            .body
            .competencies
            .iter()
            .map(|c| serde_json::json!({ "competency": c.id, "weight": c.weight.decimal() }))
            .collect();
        audit(
            &mut tx,
            actor,
            "jobspec.publish",
            id,
            serde_json::json!({ "version": draft, "label": label, "weights": weights }),
        )
        .await?;
        tx.commit().await?;
        Ok(published)
    }
}
