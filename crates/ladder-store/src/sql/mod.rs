//! The SQL implementation of [`Store`] for SQLite and PostgreSQL.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use ladder_core::access::Role;
use ladder_core::text::sha256_hex;
use ladder_core::Framework;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, AnyRow};
use sqlx::{AnyConnection, AnyPool, Connection, Executor, Row};

use ladder_core::interview::{Scorecard, Status};
use ladder_core::jobspec::JobSpecBody;

use ladder_core::progression::Evidence;

use crate::{
    now_millis, Actor, Answer, AnswerOutcome, Assessment, AuditEntry, Backend, FrameworkSummary,
    IdempotentResponse, ImportOutcome, Interview, JobSpecSummary, JobSpecVersion, NewAssessment,
    NewInvitation, NewPlacement, Person, Placement, PoolStats, Result, SearchHit, Store,
    StoreError, StoredAudio, StoredFramework, StoredScorecard, User, UserCredentials, VersionInfo,
    VersionPerformance, VersionSelector,
};

mod interviews;
mod jobspecs;
mod people;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Rows per multi-row INSERT into the search index: few round trips, well under
/// both databases' parameter limits.
const SEARCH_ROWS_PER_INSERT: usize = 100;

pub struct SqlStore {
    pub(crate) pool: AnyPool,
    backend: Backend,
}

fn sqlite_url(url: &str) -> Result<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() {
        return Err(StoreError::BadUrl {
            url: url.to_string(),
            reason: "no file path".to_string(),
        });
    }
    if path != ":memory:" {
        if let Some(parent) = std::path::Path::new(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|error| StoreError::BadUrl {
                url: url.to_string(),
                reason: format!("cannot create {}: {error}", parent.display()),
            })?;
        }
    }
    let query = if query.contains("mode=") {
        query.to_string()
    } else if query.is_empty() {
        "mode=rwc".to_string()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

pub(crate) fn user_from_row(row: &AnyRow) -> Result<User> {
    let role: String = row.try_get("role")?;
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown role {role:?}")))?,
        must_change_password: row.try_get::<i64, _>("must_change_password")? != 0,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        created_at: row.try_get("created_at")?,
    })
}

pub(crate) const USER_COLUMNS: &str =
    "u.id, u.email, u.role, u.must_change_password, u.disabled, u.created_at";

pub(crate) fn to_u32(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

pub(crate) fn is_unique_violation(error: &StoreError) -> bool {
    matches!(error, StoreError::Database(sqlx::Error::Database(db)) if db.is_unique_violation())
}

/// Turns what someone typed into a search box into a safe query: words only,
/// each matched as a prefix, all required.
fn search_words(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(12)
        .map(str::to_lowercase)
        .collect()
}

pub(crate) async fn audit(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: serde_json::Value,
) -> Result<()> {
    sqlx::query("INSERT INTO audit_log (id, at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(now_millis())
        .bind(&actor.label)
        .bind(action)
        .bind(target)
        .bind(detail.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl SqlStore {
    pub async fn connect(url: &str) -> Result<SqlStore> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if url.starts_with("sqlite:") {
            (Backend::Sqlite, sqlite_url(url)?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else {
            return Err(StoreError::BadUrl {
                url: url.to_string(),
                reason: "use sqlite://path/to/file.db or postgres://user@host/db".to_string(),
            });
        };
        let options = AnyConnectOptions::from_str(&url).map_err(|error| StoreError::BadUrl {
            url: url.clone(),
            reason: error.to_string(),
        })?;
        let pool_options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        let pool = match backend {
            Backend::Sqlite => {
                pool_options
                    .max_connections(8)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // WAL lets readers proceed during a write; the busy
                            // timeout makes a second writer wait instead of failing.
                            conn.execute("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
                                .await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => {
                pool_options
                    .max_connections(16)
                    .connect_with(options)
                    .await?
            }
        };
        match backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
        }
        Ok(SqlStore { pool, backend })
    }

    /// SQLite write transactions take the write lock up front, so two writers
    /// queue on the busy timeout instead of one failing when it upgrades.
    pub(crate) async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Replaces a framework's rows in the search index. On SQLite the rows get
    /// consecutive explicit rowids recorded in `criteria_search_spans`, so the
    /// next update deletes them by rowid range instead of scanning FTS5.
    async fn replace_search_rows(
        &self,
        tx: &mut AnyConnection,
        framework_id: &str,
        framework: &Framework,
        created: bool,
    ) -> Result<()> {
        let sqlite = self.backend == Backend::Sqlite;
        if sqlite {
            let span = sqlx::query(
                "SELECT first_rowid, last_rowid FROM criteria_search_spans WHERE framework_id = $1",
            )
            .bind(framework_id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(span) = span {
                let first: i64 = span.try_get("first_rowid")?;
                let last: i64 = span.try_get("last_rowid")?;
                sqlx::query(
                    "DELETE FROM criteria_search WHERE rowid BETWEEN $1 AND $2 AND framework_id = $3",
                )
                .bind(first)
                .bind(last)
                .bind(framework_id)
                .execute(&mut *tx)
                .await?;
            } else if !created {
                // Rows written before spans were recorded, if any.
                sqlx::query("DELETE FROM criteria_search WHERE framework_id = $1")
                    .bind(framework_id)
                    .execute(&mut *tx)
                    .await?;
            }
        } else if !created {
            sqlx::query("DELETE FROM criteria_search WHERE framework_id = $1")
                .bind(framework_id)
                .execute(&mut *tx)
                .await?;
        }
        let mut next_rowid: i64 = if sqlite {
            // FTS5 scans in rowid order, so this reads one row, unlike MAX().
            sqlx::query_scalar::<_, i64>(
                "SELECT rowid FROM criteria_search ORDER BY rowid DESC LIMIT 1",
            )
            .fetch_optional(&mut *tx)
            .await?
            .unwrap_or(0)
                + 1
        } else {
            0
        };
        let first_rowid = next_rowid;
        let columns = if sqlite {
            "rowid, text, examples, framework_id, slug, framework_title, criterion_id, topic_title, level"
        } else {
            "text, examples, framework_id, slug, framework_title, criterion_id, topic_title, level"
        };
        let per_row = if sqlite { 9 } else { 8 };
        let rows: Vec<_> = framework.criteria().collect();
        for chunk in rows.chunks(SEARCH_ROWS_PER_INSERT) {
            let mut sql = format!("INSERT INTO criteria_search ({columns}) VALUES ");
            for index in 0..chunk.len() {
                let base = index * per_row;
                if index > 0 {
                    sql.push_str(", ");
                }
                let placeholders: Vec<String> =
                    (1..=per_row).map(|n| format!("${}", base + n)).collect();
                sql.push('(');
                sql.push_str(&placeholders.join(", "));
                sql.push(')');
            }
            let mut query = sqlx::query(&sql);
            for (topic, level, criterion) in chunk {
                if sqlite {
                    query = query.bind(next_rowid);
                    next_rowid += 1;
                }
                query = query
                    .bind(criterion.text.clone())
                    .bind(criterion.examples.join("\n"))
                    .bind(framework_id.to_string())
                    .bind(framework.slug.clone())
                    .bind(framework.title.clone())
                    .bind(criterion.id.clone())
                    .bind(topic.title.clone())
                    .bind(i64::from(*level));
            }
            query.execute(&mut *tx).await?;
        }
        if sqlite {
            sqlx::query(
                "INSERT INTO criteria_search_spans (framework_id, first_rowid, last_rowid) VALUES ($1, $2, $3) \
                 ON CONFLICT (framework_id) DO UPDATE SET first_rowid = $2, last_rowid = $3",
            )
            .bind(framework_id)
            .bind(first_rowid)
            .bind(next_rowid - 1)
            .execute(&mut *tx)
            .await?;
        }
        Ok(())
    }

    async fn import_once(
        &self,
        framework: &Framework,
        content_hash: &str,
        actor: &Actor,
    ) -> Result<ImportOutcome> {
        let model = serde_json::to_string(framework)
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let now = now_millis();
        let mut tx = self.begin().await?;
        let existing = sqlx::query("SELECT id, current_version FROM frameworks WHERE slug = $1")
            .bind(&framework.slug)
            .fetch_optional(&mut *tx)
            .await?;
        let (framework_id, version, created) = match existing {
            Some(row) => {
                let id: String = row.try_get("id")?;
                let current: i64 = row.try_get("current_version")?;
                let current_hash: Option<String> =
                    sqlx::query_scalar("SELECT content_hash FROM framework_versions WHERE framework_id = $1 AND version = $2")
                        .bind(&id)
                        .bind(current)
                        .fetch_optional(&mut *tx)
                        .await?;
                if current_hash.as_deref() == Some(content_hash) {
                    tx.rollback().await?;
                    return Ok(ImportOutcome::Unchanged {
                        slug: framework.slug.clone(),
                        version: to_u32(current),
                    });
                }
                let updated = sqlx::query(
                    "UPDATE frameworks SET title = $1, sidebar_title = $2, sidebar_group = $3, current_version = $4, updated_at = $5 WHERE id = $6 AND current_version = $7",
                )
                .bind(&framework.title)
                .bind(framework.sidebar_title.as_deref())
                .bind(framework.group.as_deref())
                .bind(current + 1)
                .bind(now)
                .bind(&id)
                .bind(current)
                .execute(&mut *tx)
                .await?;
                if updated.rows_affected() != 1 {
                    return Err(StoreError::Conflict(format!(
                        "framework {} changed during import",
                        framework.slug
                    )));
                }
                (id, current + 1, false)
            }
            None => {
                let id = uuid::Uuid::now_v7().to_string();
                sqlx::query(
                    "INSERT INTO frameworks (id, slug, title, sidebar_title, sidebar_group, current_version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
                )
                .bind(&id)
                .bind(&framework.slug)
                .bind(&framework.title)
                .bind(framework.sidebar_title.as_deref())
                .bind(framework.group.as_deref())
                .bind(now)
                .execute(&mut *tx)
                .await?;
                (id, 1, true)
            }
        };

        let source = framework.source.as_ref();
        sqlx::query(
            "INSERT INTO framework_versions (framework_id, version, content_hash, source_sha256, source_file, model, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&framework_id)
        .bind(version)
        .bind(content_hash)
        .bind(source.map(|s| s.sha256.clone()))
        .bind(source.and_then(|s| s.file.clone()))
        .bind(&model)
        .bind(&actor.label)
        .bind(now)
        .execute(&mut *tx)
        .await?;

        self.replace_search_rows(&mut tx, &framework_id, framework, created)
            .await?;

        audit(
            &mut tx,
            actor,
            if created {
                "framework.create"
            } else {
                "framework.update"
            },
            &framework.slug,
            serde_json::json!({
                "version": version,
                "content_hash": content_hash,
                "source_file": source.and_then(|s| s.file.clone()),
            }),
        )
        .await?;
        tx.commit().await?;
        let version = to_u32(version);
        let slug = framework.slug.clone();
        Ok(if created {
            ImportOutcome::Created { slug, version }
        } else {
            ImportOutcome::Updated { slug, version }
        })
    }

    async fn user_where(&self, condition: &str, value: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE {condition}");
        let row = sqlx::query(&sql)
            .bind(value)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn update_user(
        &self,
        id: &str,
        assignment: &str,
        value: i64,
        role: Option<Role>,
        action: &str,
        actor: &Actor,
    ) -> Result<User> {
        let mut tx = self.begin().await?;
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        let before = match sqlx::query(&sql).bind(id).fetch_optional(&mut *tx).await? {
            Some(row) => user_from_row(&row)?,
            None => return Err(StoreError::NotFound(format!("user {id}"))),
        };
        let update = format!("UPDATE users SET {assignment} WHERE id = $2");
        let query = sqlx::query(&update);
        let query = match role {
            Some(role) => query.bind(role.as_str().to_string()),
            None => query.bind(value),
        };
        query.bind(id).execute(&mut *tx).await?;
        let after = match sqlx::query(&sql).bind(id).fetch_optional(&mut *tx).await? {
            Some(row) => user_from_row(&row)?,
            None => return Err(StoreError::NotFound(format!("user {id}"))),
        };
        audit(
            &mut tx,
            actor,
            action,
            &after.email,
            serde_json::json!({ "role": { "from": before.role, "to": after.role }, "disabled": { "from": before.disabled, "to": after.disabled } }),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }

    fn pool_stats(&self) -> PoolStats {
        PoolStats {
            size: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
        }
    }

    async fn ping(&self) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        conn.ping().await?;
        Ok(())
    }

    async fn import_framework(
        &self,
        framework: &Framework,
        actor: &Actor,
    ) -> Result<ImportOutcome> {
        let content = serde_json::to_string(&framework.content())
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let content_hash = sha256_hex(content.as_bytes());
        // Two concurrent imports of one slug can collide on the version number
        // or the slug; the loser retries against the winner's state.
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.import_once(framework, &content_hash, actor).await {
                Err(error)
                    if attempt < 4
                        && (is_unique_violation(&error)
                            || matches!(error, StoreError::Conflict(_))) =>
                {
                    continue
                }
                other => return other,
            }
        }
    }

    async fn list_frameworks(&self) -> Result<Vec<FrameworkSummary>> {
        let rows = sqlx::query(
            "SELECT slug, title, sidebar_title, sidebar_group, current_version, updated_at FROM frameworks ORDER BY COALESCE(sidebar_group, ''), title, slug",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(FrameworkSummary {
                    slug: row.try_get("slug")?,
                    title: row.try_get("title")?,
                    sidebar_title: row.try_get("sidebar_title")?,
                    group: row.try_get("sidebar_group")?,
                    version: to_u32(row.try_get("current_version")?),
                    updated_at: row.try_get("updated_at")?,
                })
            })
            .collect()
    }

    async fn current_version(&self, slug: &str) -> Result<Option<u32>> {
        let version: Option<i64> =
            sqlx::query_scalar("SELECT current_version FROM frameworks WHERE slug = $1")
                .bind(slug)
                .fetch_optional(&self.pool)
                .await?;
        Ok(version.map(to_u32))
    }

    async fn framework(&self, slug: &str, version: Option<u32>) -> Result<Option<StoredFramework>> {
        let base = "SELECT f.current_version, v.version, v.model, v.created_at FROM frameworks f JOIN framework_versions v ON v.framework_id = f.id WHERE f.slug = $1";
        let row = match version {
            Some(version) => {
                sqlx::query(&format!("{base} AND v.version = $2"))
                    .bind(slug)
                    .bind(i64::from(version))
                    .fetch_optional(&self.pool)
                    .await?
            }
            None => {
                sqlx::query(&format!("{base} AND v.version = f.current_version"))
                    .bind(slug)
                    .fetch_optional(&self.pool)
                    .await?
            }
        };
        let Some(row) = row else { return Ok(None) };
        let model: String = row.try_get("model")?;
        let framework: Framework = serde_json::from_str(&model)
            .map_err(|error| StoreError::Corrupt(format!("framework {slug}: {error}")))?;
        Ok(Some(StoredFramework {
            version: to_u32(row.try_get("version")?),
            current_version: to_u32(row.try_get("current_version")?),
            created_at: row.try_get("created_at")?,
            framework,
        }))
    }

    async fn framework_versions(&self, slug: &str) -> Result<Vec<VersionInfo>> {
        let rows = sqlx::query(
            "SELECT v.version, v.content_hash, v.source_sha256, v.source_file, v.created_by, v.created_at FROM framework_versions v JOIN frameworks f ON f.id = v.framework_id WHERE f.slug = $1 ORDER BY v.version DESC",
        )
        .bind(slug)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(VersionInfo {
                    version: to_u32(row.try_get("version")?),
                    content_hash: row.try_get("content_hash")?,
                    source_sha256: row.try_get("source_sha256")?,
                    source_file: row.try_get("source_file")?,
                    created_by: row.try_get("created_by")?,
                    created_at: row.try_get("created_at")?,
                })
            })
            .collect()
    }

    async fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let words = search_words(query);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let columns = "slug, framework_title, criterion_id, topic_title, level, text";
        let (sql, expression) = match self.backend {
            Backend::Sqlite => (
                format!("SELECT {columns} FROM criteria_search WHERE criteria_search MATCH $1 ORDER BY rank, slug, criterion_id LIMIT $2"),
                words.iter().map(|word| format!("\"{word}\"*")).collect::<Vec<_>>().join(" "),
            ),
            Backend::Postgres => (
                format!("SELECT {columns} FROM criteria_search WHERE document @@ to_tsquery('simple', $1) ORDER BY ts_rank(document, to_tsquery('simple', $1)) DESC, slug, criterion_id LIMIT $2"),
                words.iter().map(|word| format!("{word}:*")).collect::<Vec<_>>().join(" & "),
            ),
        };
        let rows = sqlx::query(&sql)
            .bind(expression)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(SearchHit {
                    slug: row.try_get("slug")?,
                    framework_title: row.try_get("framework_title")?,
                    criterion_id: row.try_get("criterion_id")?,
                    topic_title: row.try_get("topic_title")?,
                    level: to_u32(row.try_get("level")?),
                    text: row.try_get("text")?,
                })
            })
            .collect()
    }

    async fn user_count(&self) -> Result<u64> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn create_user(
        &self,
        email: &str,
        role: Role,
        password_hash: Option<&str>,
        must_change_password: bool,
        actor: &Actor,
    ) -> Result<User> {
        let email = email.trim().to_lowercase();
        let user = User {
            id: uuid::Uuid::now_v7().to_string(),
            email: email.clone(),
            role,
            must_change_password,
            disabled: false,
            created_at: now_millis(),
        };
        let mut tx = self.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, role, password_hash, must_change_password, disabled, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6)",
        )
        .bind(&user.id)
        .bind(&user.email)
        .bind(role.as_str())
        .bind(password_hash)
        .bind(i64::from(must_change_password))
        .bind(user.created_at)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from);
        if let Err(error) = inserted {
            return Err(if is_unique_violation(&error) {
                StoreError::Conflict(format!("a user with e-mail {email} already exists"))
            } else {
                error
            });
        }
        audit(
            &mut tx,
            actor,
            "user.create",
            &email,
            serde_json::json!({ "role": role }),
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn user(&self, id: &str) -> Result<Option<User>> {
        self.user_where("u.id = $1", id).await
    }

    async fn credentials(&self, email: &str) -> Result<Option<UserCredentials>> {
        let sql = format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.email = $1");
        let row = sqlx::query(&sql)
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(UserCredentials {
                user: user_from_row(&row)?,
                password_hash: row.try_get("password_hash")?,
            })
        })
        .transpose()
    }

    async fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.email");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(user_from_row).collect()
    }

    async fn set_role(&self, id: &str, role: Role, actor: &Actor) -> Result<User> {
        self.update_user(id, "role = $1", 0, Some(role), "user.role", actor)
            .await
    }

    async fn set_disabled(&self, id: &str, disabled: bool, actor: &Actor) -> Result<User> {
        let user = self
            .update_user(
                id,
                "disabled = $1",
                i64::from(disabled),
                None,
                "user.disable",
                actor,
            )
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&self.pool)
                .await?;
        }
        Ok(user)
    }

    async fn set_password(
        &self,
        id: &str,
        password_hash: &str,
        must_change_password: bool,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let updated = sqlx::query(
            "UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3",
        )
        .bind(password_hash)
        .bind(i64::from(must_change_password))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {id}")));
        }
        audit(&mut tx, actor, "user.password", id, serde_json::json!({})).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: &str,
        csrf: &str,
        expires_at: i64,
    ) -> Result<()> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(user_id)
            .bind(csrf)
            .bind(now_millis())
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn session(&self, token_hash: &str, now: i64) -> Result<Option<(User, String)>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0"
        );
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| Ok((user_from_row(&row)?, row.try_get("csrf")?)))
            .transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn create_api_token(
        &self,
        user_id: &str,
        name: &str,
        token_hash: &str,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(user_id)
            .bind(name)
            .bind(token_hash)
            .bind(now_millis())
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            actor,
            "token.create",
            user_id,
            serde_json::json!({ "name": name }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>> {
        self.user_where("u.disabled = 0 AND u.id = (SELECT t.user_id FROM api_tokens t WHERE t.token_hash = $1)", token_hash).await
    }

    async fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn set_setting(&self, key: &str, value: &str, actor: &Actor) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            actor,
            "setting.set",
            key,
            serde_json::json!({ "value": value }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query("SELECT id, at, actor, action, target, detail FROM audit_log ORDER BY at DESC, id DESC LIMIT $1")
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let detail: String = row.try_get("detail")?;
                Ok(AuditEntry {
                    id: row.try_get("id")?,
                    at: row.try_get("at")?,
                    actor: row.try_get("actor")?,
                    action: row.try_get("action")?,
                    target: row.try_get("target")?,
                    detail: serde_json::from_str(&detail)
                        .unwrap_or(serde_json::Value::String(detail)),
                })
            })
            .collect()
    }

    async fn create_job_spec(
        &self,
        id: &str,
        body: &JobSpecBody,
        actor: &Actor,
    ) -> Result<JobSpecVersion> {
        self.create_job_spec_impl(id, body, actor).await
    }

    async fn record_event(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        audit(&mut conn, actor, action, target, detail).await
    }

    async fn create_interview(
        &self,
        job_spec_id: &str,
        version: u32,
        candidate_name: &str,
        candidate_email: &str,
        token_hash: &str,
        expires_at: i64,
        actor: &Actor,
    ) -> Result<Interview> {
        self.create_interview_impl(
            job_spec_id,
            version,
            candidate_name,
            candidate_email,
            token_hash,
            expires_at,
            actor,
        )
        .await
    }

    async fn create_interviews(
        &self,
        job_spec_id: &str,
        version: u32,
        rows: &[NewInvitation],
        actor: &Actor,
    ) -> Result<Vec<Interview>> {
        self.create_interviews_impl(job_spec_id, version, rows, actor)
            .await
    }

    async fn interview(&self, id: &str) -> Result<Option<Interview>> {
        self.interview_impl(id).await
    }

    async fn interview_by_token(&self, token_hash: &str) -> Result<Option<Interview>> {
        self.interview_by_token_impl(token_hash).await
    }

    async fn interviews(&self, job_spec_id: &str) -> Result<Vec<Interview>> {
        self.interviews_impl(job_spec_id).await
    }

    async fn assign_interviewer(
        &self,
        interview_id: &str,
        user_id: &str,
        actor: &Actor,
    ) -> Result<()> {
        self.assign_interviewer_impl(interview_id, user_id, actor)
            .await
    }

    async fn interviewers(&self, interview_id: &str) -> Result<Vec<String>> {
        self.interviewers_impl(interview_id).await
    }

    async fn record_answer(
        &self,
        interview_id: &str,
        round: u32,
        item_id: &str,
        position: u32,
        text: &str,
    ) -> Result<AnswerOutcome> {
        self.record_answer_impl(interview_id, round, item_id, position, text, None)
            .await
    }

    async fn answers(&self, interview_id: &str) -> Result<Vec<Answer>> {
        self.answers_impl(interview_id).await
    }

    async fn record_answer_with_audio(
        &self,
        interview_id: &str,
        round: u32,
        item_id: &str,
        position: u32,
        text: &str,
        audio_id: Option<&str>,
    ) -> Result<AnswerOutcome> {
        self.record_answer_impl(interview_id, round, item_id, position, text, audio_id)
            .await
    }

    async fn create_audio(&self, audio: &StoredAudio, max_per_interview: u32) -> Result<()> {
        self.create_audio_impl(audio, max_per_interview).await
    }

    async fn audio(&self, id: &str) -> Result<Option<StoredAudio>> {
        self.audio_impl(id).await
    }

    async fn interview_audio(&self, interview_id: &str) -> Result<Vec<StoredAudio>> {
        self.interview_audio_impl(interview_id).await
    }

    async fn set_audio_transcript(&self, id: &str, transcript: &str) -> Result<()> {
        self.set_audio_transcript_impl(id, transcript).await
    }

    async fn save_automated_scorecard(
        &self,
        interview_id: &str,
        interviewer_id: &str,
        card: &Scorecard,
        model: &str,
        actor: &Actor,
    ) -> Result<StoredScorecard> {
        self.save_automated_scorecard_impl(interview_id, interviewer_id, card, model, actor)
            .await
    }

    async fn finish_interview(&self, interview_id: &str) -> Result<Interview> {
        self.finish_interview_impl(interview_id).await
    }

    async fn close_interview(
        &self,
        interview_id: &str,
        status: Status,
        actor: &Actor,
    ) -> Result<Interview> {
        self.close_interview_impl(interview_id, status, actor).await
    }

    async fn save_scorecard(
        &self,
        interview_id: &str,
        interviewer_id: &str,
        card: &Scorecard,
        submit: bool,
        spec: &JobSpecBody,
        actor: &Actor,
    ) -> Result<StoredScorecard> {
        self.save_scorecard_impl(interview_id, interviewer_id, card, submit, spec, actor)
            .await
    }

    async fn scorecards(&self, interview_id: &str) -> Result<Vec<StoredScorecard>> {
        self.scorecards_impl(interview_id).await
    }

    async fn performance(&self, job_spec_id: &str) -> Result<Vec<VersionPerformance>> {
        self.performance_impl(job_spec_id).await
    }

    async fn verify(&self) -> Result<Vec<String>> {
        self.verify_impl().await
    }

    async fn place_person(&self, placement: &NewPlacement, actor: &Actor) -> Result<Placement> {
        self.place_person_impl(placement, actor).await
    }

    async fn placements(&self, person_id: &str) -> Result<Vec<Placement>> {
        self.placements_impl(person_id).await
    }

    async fn people(&self, manager_id: Option<&str>) -> Result<Vec<Person>> {
        self.people_impl(manager_id).await
    }

    async fn person(&self, person_id: &str) -> Result<Option<Person>> {
        self.person_impl(person_id).await
    }

    async fn open_assessment(
        &self,
        new: &NewAssessment,
        actor: &Actor,
    ) -> Result<(Assessment, bool)> {
        self.open_assessment_impl(new, actor).await
    }

    async fn assessment(&self, id: &str) -> Result<Option<Assessment>> {
        self.assessment_impl(id).await
    }

    async fn assessments(&self, person_id: &str) -> Result<Vec<Assessment>> {
        self.assessments_impl(person_id).await
    }

    async fn save_marks(
        &self,
        assessment_id: &str,
        set: &[Evidence],
        clear: &[String],
    ) -> Result<Assessment> {
        self.save_marks_impl(assessment_id, set, clear).await
    }

    async fn marks(&self, assessment_id: &str) -> Result<Vec<Evidence>> {
        self.marks_impl(assessment_id).await
    }

    async fn submit_assessment(
        &self,
        assessment_id: &str,
        as_of: &str,
        actor: &Actor,
    ) -> Result<Assessment> {
        self.submit_assessment_impl(assessment_id, as_of, actor)
            .await
    }

    async fn idempotent_response(
        &self,
        scope: &str,
        key: &str,
    ) -> Result<Option<IdempotentResponse>> {
        self.idempotent_response_impl(scope, key).await
    }

    async fn save_idempotent_response(
        &self,
        scope: &str,
        key: &str,
        response: &IdempotentResponse,
    ) -> Result<()> {
        self.save_idempotent_response_impl(scope, key, response)
            .await
    }

    async fn job_specs(&self) -> Result<Vec<JobSpecSummary>> {
        self.job_specs_impl().await
    }

    async fn job_spec_summary(&self, id: &str) -> Result<Option<JobSpecSummary>> {
        self.job_spec_summary_impl(id).await
    }

    async fn job_spec_version(
        &self,
        id: &str,
        selector: &VersionSelector,
    ) -> Result<Option<JobSpecVersion>> {
        self.job_spec_version_impl(id, selector).await
    }

    async fn job_spec_versions(&self, id: &str) -> Result<Vec<JobSpecVersion>> {
        self.job_spec_versions_impl(id).await
    }

    async fn save_job_spec_draft(
        &self,
        id: &str,
        body: &JobSpecBody,
        actor: &Actor,
    ) -> Result<JobSpecVersion> {
        self.save_job_spec_draft_impl(id, body, actor).await
    }

    async fn publish_job_spec(
        &self,
        id: &str,
        label: &str,
        actor: &Actor,
    ) -> Result<JobSpecVersion> {
        self.publish_job_spec_impl(id, label, actor).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode() {
        assert_eq!(
            sqlite_url("sqlite://data/x.db").ok(),
            Some("sqlite://data/x.db?mode=rwc".to_string())
        );
        assert_eq!(
            sqlite_url("sqlite::memory:").ok(),
            Some("sqlite://:memory:?mode=rwc".to_string())
        );
        assert!(sqlite_url("sqlite://").is_err());
    }

    #[test]
    fn search_words_are_sanitised() {
        assert_eq!(
            search_words("Deploys \"prod\" OR x*"),
            vec!["deploys", "prod", "or", "x"]
        );
        assert!(search_words("  *** ").is_empty());
    }
}
