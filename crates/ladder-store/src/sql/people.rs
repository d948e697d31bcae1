//! People on SQL: placements (with history and the
//! current one per person), and assessments with their evidence.

use async_trait::async_trait;
use ladder_core::progression::{AssessmentKind, Evidence, Rating};
use sqlx::AnyConnection;

use super::accounts::{UserRow, USER_COLUMNS};
use super::idempotency::complete_with;
use super::{audit, is_unique_violation, to_u32, SqlStore};
use crate::{
    now_millis, AccountStore, Actor, Assessment, Backend, Completion, NewAssessment, NewPlacement,
    PeopleStore, Person, Placement, Result, Store, StoreError, User,
};

const PLACEMENT_COLUMNS: &str = "p.id, p.person_id, p.framework_slug, p.level, p.sublevel, \
     p.target_level, p.manager_id, p.note, p.created_by, p.created_at";
const ASSESSMENT_COLUMNS: &str = "a.id, a.person_id, a.kind, a.assessor_id, a.framework_slug, \
     a.framework_version, a.status, a.as_of, a.carried_from, a.created_at, a.updated_at, a.submitted_at, \
     (SELECT COUNT(*) FROM assessment_marks m WHERE m.assessment_id = a.id) AS mark_count";

#[derive(sqlx::FromRow)]
struct PlacementRow {
    id: String,
    person_id: String,
    framework_slug: String,
    level: i64,
    sublevel: Option<String>,
    target_level: i64,
    manager_id: Option<String>,
    note: String,
    created_by: String,
    created_at: i64,
}

impl From<PlacementRow> for Placement {
    fn from(row: PlacementRow) -> Placement {
        Placement {
            id: row.id,
            person_id: row.person_id,
            framework_slug: row.framework_slug,
            level: to_u32(row.level),
            sublevel: row.sublevel,
            target_level: to_u32(row.target_level),
            manager_id: row.manager_id,
            note: row.note,
            created_by: row.created_by,
            created_at: row.created_at,
        }
    }
}

/// A user and, through two LEFT JOINs, their current placement: the
/// placement's columns are all NULL when they have none.
#[derive(sqlx::FromRow)]
struct PersonRow {
    #[sqlx(flatten)]
    user: UserRow,
    placement_id: Option<String>,
    person_id: Option<String>,
    framework_slug: Option<String>,
    level: Option<i64>,
    sublevel: Option<String>,
    target_level: Option<i64>,
    manager_id: Option<String>,
    note: Option<String>,
    created_by: Option<String>,
    placed_at: Option<i64>,
}

impl TryFrom<PersonRow> for Person {
    type Error = StoreError;

    fn try_from(row: PersonRow) -> Result<Person> {
        let user = User::try_from(row.user)?;
        let placement = match row.placement_id {
            None => None,
            Some(id) => {
                // The joined placement row exists, so its NOT NULL columns
                // are set; a NULL means the data is damaged.
                let missing =
                    |column: &str| StoreError::Corrupt(format!("placement {id} has no {column}"));
                Some(Placement {
                    person_id: row.person_id.ok_or_else(|| missing("person_id"))?,
                    framework_slug: row
                        .framework_slug
                        .ok_or_else(|| missing("framework_slug"))?,
                    level: to_u32(row.level.ok_or_else(|| missing("level"))?),
                    sublevel: row.sublevel,
                    target_level: to_u32(row.target_level.ok_or_else(|| missing("target_level"))?),
                    manager_id: row.manager_id,
                    note: row.note.ok_or_else(|| missing("note"))?,
                    created_by: row.created_by.ok_or_else(|| missing("created_by"))?,
                    created_at: row.placed_at.ok_or_else(|| missing("created_at"))?,
                    id,
                })
            }
        };
        Ok(Person { user, placement })
    }
}

/// An assessment row with its number of marks (`mark_count`).
#[derive(sqlx::FromRow)]
struct AssessmentRow {
    id: String,
    person_id: String,
    kind: String,
    assessor_id: String,
    framework_slug: String,
    framework_version: i64,
    status: String,
    as_of: Option<String>,
    carried_from: Option<String>,
    mark_count: i64,
    created_at: i64,
    updated_at: i64,
    submitted_at: Option<i64>,
}

impl TryFrom<AssessmentRow> for Assessment {
    type Error = StoreError;

    fn try_from(row: AssessmentRow) -> Result<Assessment> {
        Ok(Assessment {
            kind: AssessmentKind::parse(&row.kind).ok_or_else(|| {
                StoreError::Corrupt(format!("unknown assessment kind {:?}", row.kind))
            })?,
            id: row.id,
            person_id: row.person_id,
            assessor_id: row.assessor_id,
            framework_slug: row.framework_slug,
            framework_version: to_u32(row.framework_version),
            submitted: row.status == "submitted",
            as_of: row.as_of,
            carried_from: row.carried_from,
            marks: to_u32(row.mark_count),
            created_at: row.created_at,
            updated_at: row.updated_at,
            submitted_at: row.submitted_at,
        })
    }
}

/// One mark: the rating as text, the links as a JSON array.
#[derive(sqlx::FromRow)]
struct EvidenceRow {
    criterion_id: String,
    rating: String,
    note: String,
    links: String,
}

impl TryFrom<EvidenceRow> for Evidence {
    type Error = StoreError;

    fn try_from(row: EvidenceRow) -> Result<Evidence> {
        Ok(Evidence {
            rating: Rating::parse(&row.rating)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown rating {:?}", row.rating)))?,
            links: serde_json::from_str(&row.links)
                .map_err(|error| StoreError::Corrupt(format!("evidence links: {error}")))?,
            criterion_id: row.criterion_id,
            note: row.note,
        })
    }
}

/// Reads an assessment inside a write transaction, locking its row on
/// PostgreSQL so a submit and a save cannot interleave.
async fn assessment_in(conn: &mut AnyConnection, id: &str, backend: Backend) -> Result<Assessment> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT id FROM assessments WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    }
    let row = sqlx::query_as::<_, AssessmentRow>(&format!(
        "SELECT {ASSESSMENT_COLUMNS} FROM assessments a WHERE a.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => Assessment::try_from(row),
        None => Err(StoreError::NotFound(format!("assessment {id}"))),
    }
}

async fn upsert_marks(
    conn: &mut AnyConnection,
    assessment_id: &str,
    marks: &[Evidence],
    now: i64,
) -> Result<()> {
    for mark in marks {
        let links = serde_json::to_string(&mark.links)
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        sqlx::query(
            "INSERT INTO assessment_marks (assessment_id, criterion_id, rating, note, links, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (assessment_id, criterion_id) DO UPDATE SET rating = $3, note = $4, links = $5, updated_at = $6",
        )
        .bind(assessment_id)
        .bind(&mark.criterion_id)
        .bind(mark.rating.as_str())
        .bind(&mark.note)
        .bind(links)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

#[async_trait]
impl PeopleStore for SqlStore {
    async fn place_person(
        &self,
        placement: &NewPlacement,
        actor: &Actor,
        done: Option<Completion<'_, Placement>>,
    ) -> Result<Placement> {
        let now = now_millis();
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        let person_exists: Option<String> =
            sqlx::query_scalar("SELECT id FROM users WHERE id = $1")
                .bind(&placement.person_id)
                .fetch_optional(&mut *tx)
                .await?;
        if person_exists.is_none() {
            return Err(StoreError::NotFound(format!(
                "person {}",
                placement.person_id
            )));
        }
        sqlx::query(
            "INSERT INTO placements (id, person_id, framework_slug, level, sublevel, target_level, manager_id, note, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&id)
        .bind(&placement.person_id)
        .bind(&placement.framework_slug)
        .bind(i64::from(placement.level))
        .bind(placement.sublevel.as_deref())
        .bind(i64::from(placement.target_level))
        .bind(placement.manager_id.as_deref())
        .bind(&placement.note)
        .bind(&actor.label)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO people (person_id, placement_id, manager_id, framework_slug) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (person_id) DO UPDATE SET placement_id = $2, manager_id = $3, framework_slug = $4",
        )
        .bind(&placement.person_id)
        .bind(&id)
        .bind(placement.manager_id.as_deref())
        .bind(&placement.framework_slug)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            "person.place",
            &placement.person_id,
            serde_json::json!({
                "placement": id,
                "framework": placement.framework_slug,
                "level": placement.level,
                "sublevel": placement.sublevel,
                "target_level": placement.target_level,
                "manager": placement.manager_id,
            }),
        )
        .await?;
        let placed = Placement {
            id,
            person_id: placement.person_id.clone(),
            framework_slug: placement.framework_slug.clone(),
            level: placement.level,
            sublevel: placement.sublevel.clone(),
            target_level: placement.target_level,
            manager_id: placement.manager_id.clone(),
            note: placement.note.clone(),
            created_by: actor.label.clone(),
            created_at: now,
        };
        complete_with(&mut tx, done.as_ref(), &placed).await?;
        tx.commit().await?;
        Ok(placed)
    }

    async fn placements(&self, person_id: &str) -> Result<Vec<Placement>> {
        let rows = sqlx::query_as::<_, PlacementRow>(&format!(
            "SELECT {PLACEMENT_COLUMNS} FROM placements p WHERE p.person_id = $1 ORDER BY p.created_at DESC, p.id DESC"
        ))
        .bind(person_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Placement::from).collect())
    }

    /// People with their current placement: everyone, or one manager's reports.
    async fn people(&self, manager_id: Option<&str>) -> Result<Vec<Person>> {
        let filter = if manager_id.is_some() {
            "WHERE c.manager_id = $1"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {USER_COLUMNS}, p.id AS placement_id, p.person_id, p.framework_slug, p.level, p.sublevel, \
             p.target_level, p.manager_id, p.note, p.created_by, p.created_at AS placed_at \
             FROM users u LEFT JOIN people c ON c.person_id = u.id \
             LEFT JOIN placements p ON p.id = c.placement_id {filter} ORDER BY u.email"
        );
        let mut query = sqlx::query_as::<_, PersonRow>(&sql);
        if let Some(manager_id) = manager_id {
            query = query.bind(manager_id);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.into_iter().map(Person::try_from).collect()
    }

    async fn person(&self, person_id: &str) -> Result<Option<Person>> {
        let Some(user) = self.user(person_id).await? else {
            return Ok(None);
        };
        let placement = sqlx::query_as::<_, PlacementRow>(&format!(
            "SELECT {PLACEMENT_COLUMNS} FROM people c JOIN placements p ON p.id = c.placement_id WHERE c.person_id = $1"
        ))
        .bind(person_id)
        .fetch_optional(&self.pool)
        .await?
        .map(Placement::from);
        Ok(Some(Person { user, placement }))
    }

    async fn open_assessment(
        &self,
        new: &NewAssessment,
        actor: &Actor,
        done: Option<Completion<'_, (Assessment, bool)>>,
    ) -> Result<(Assessment, bool)> {
        // Two opens racing: the unique draft index lets one insert; the other
        // sees the violation and returns the winner's draft.
        for _attempt in 0..2 {
            let now = now_millis();
            let mut tx = self.begin().await?;
            let existing = sqlx::query_as::<_, AssessmentRow>(&format!(
                "SELECT {ASSESSMENT_COLUMNS} FROM assessments a \
                 WHERE a.person_id = $1 AND a.kind = $2 AND a.assessor_id = $3 AND a.status = 'draft'"
            ))
            .bind(&new.person_id)
            .bind(new.kind.as_str())
            .bind(&new.assessor_id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = existing {
                let found = (Assessment::try_from(row)?, false);
                complete_with(&mut tx, done.as_ref(), &found).await?;
                tx.commit().await?;
                return Ok(found);
            }
            let id = uuid::Uuid::now_v7().to_string();
            let inserted = sqlx::query(
                "INSERT INTO assessments (id, person_id, kind, assessor_id, framework_slug, framework_version, status, as_of, carried_from, created_at, updated_at, submitted_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'draft', NULL, $7, $8, $8, NULL)",
            )
            .bind(&id)
            .bind(&new.person_id)
            .bind(new.kind.as_str())
            .bind(&new.assessor_id)
            .bind(&new.framework_slug)
            .bind(i64::from(new.framework_version))
            .bind(new.carried_from.as_deref())
            .bind(now)
            .execute(&mut *tx)
            .await;
            if let Err(error) = inserted {
                let error = StoreError::from(error);
                if is_unique_violation(&error) {
                    drop(tx);
                    continue;
                }
                return Err(error);
            }
            upsert_marks(&mut tx, &id, &new.carried, now).await?;
            audit(
                &mut tx,
                actor,
                "assessment.open",
                &new.person_id,
                serde_json::json!({
                    "assessment": id,
                    "kind": new.kind.as_str(),
                    "framework": new.framework_slug,
                    "version": new.framework_version,
                    "carried_from": new.carried_from,
                    "carried_marks": new.carried.len(),
                }),
            )
            .await?;
            let opened = (assessment_in(&mut tx, &id, self.backend()).await?, true);
            complete_with(&mut tx, done.as_ref(), &opened).await?;
            tx.commit().await?;
            return Ok(opened);
        }
        Err(StoreError::Conflict(
            "another request is opening this assessment; try again".to_string(),
        ))
    }

    async fn assessment(&self, id: &str) -> Result<Option<Assessment>> {
        let row = sqlx::query_as::<_, AssessmentRow>(&format!(
            "SELECT {ASSESSMENT_COLUMNS} FROM assessments a WHERE a.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Assessment::try_from).transpose()
    }

    async fn assessments(&self, person_id: &str) -> Result<Vec<Assessment>> {
        let rows = sqlx::query_as::<_, AssessmentRow>(&format!(
            "SELECT {ASSESSMENT_COLUMNS} FROM assessments a WHERE a.person_id = $1 \
             ORDER BY COALESCE(a.as_of, '9999-99-99') DESC, a.created_at DESC, a.id DESC"
        ))
        .bind(person_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Assessment::try_from).collect()
    }

    async fn save_marks(
        &self,
        assessment_id: &str,
        set: &[Evidence],
        clear: &[String],
    ) -> Result<Assessment> {
        let now = now_millis();
        let mut tx = self.begin().await?;
        let assessment = assessment_in(&mut tx, assessment_id, self.backend()).await?;
        if assessment.submitted {
            return Err(StoreError::Conflict(format!(
                "assessment {assessment_id} was submitted as of {}; open a new one to change it",
                assessment.as_of.as_deref().unwrap_or("its date")
            )));
        }
        upsert_marks(&mut tx, assessment_id, set, now).await?;
        for criterion_id in clear {
            sqlx::query(
                "DELETE FROM assessment_marks WHERE assessment_id = $1 AND criterion_id = $2",
            )
            .bind(assessment_id)
            .bind(criterion_id)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE assessments SET updated_at = $2 WHERE id = $1")
            .bind(assessment_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let assessment = assessment_in(&mut tx, assessment_id, self.backend()).await?;
        tx.commit().await?;
        Ok(assessment)
    }

    async fn marks(&self, assessment_id: &str) -> Result<Vec<Evidence>> {
        let rows = sqlx::query_as::<_, EvidenceRow>(
            "SELECT criterion_id, rating, note, links FROM assessment_marks WHERE assessment_id = $1 ORDER BY criterion_id",
        )
        .bind(assessment_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Evidence::try_from).collect()
    }

    async fn submit_assessment(
        &self,
        assessment_id: &str,
        as_of: &str,
        actor: &Actor,
        done: Option<Completion<'_, Assessment>>,
    ) -> Result<Assessment> {
        let now = now_millis();
        let mut tx = self.begin().await?;
        let assessment = assessment_in(&mut tx, assessment_id, self.backend()).await?;
        if assessment.submitted {
            // A retried submit changes nothing.
            complete_with(&mut tx, done.as_ref(), &assessment).await?;
            tx.commit().await?;
            return Ok(assessment);
        }
        sqlx::query(
            "UPDATE assessments SET status = 'submitted', as_of = $2, submitted_at = $3, updated_at = $3 WHERE id = $1",
        )
        .bind(assessment_id)
        .bind(as_of)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            actor,
            "assessment.submit",
            &assessment.person_id,
            serde_json::json!({
                "assessment": assessment_id,
                "kind": assessment.kind.as_str(),
                "as_of": as_of,
                "marks": assessment.marks,
            }),
        )
        .await?;
        let assessment = assessment_in(&mut tx, assessment_id, self.backend()).await?;
        complete_with(&mut tx, done.as_ref(), &assessment).await?;
        tx.commit().await?;
        Ok(assessment)
    }
}
