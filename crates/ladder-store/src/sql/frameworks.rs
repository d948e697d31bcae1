//! Frameworks on SQL: versioned imports with their search index, and
//! full-text search (FTS5 on SQLite, a tsvector on PostgreSQL).

use async_trait::async_trait;
use ladder_core::text::sha256_hex;
use ladder_core::Framework;
use sqlx::AnyConnection;

use super::{audit, is_unique_violation, to_u32, SqlStore};
use crate::{
    now_millis, Actor, Backend, FrameworkStore, FrameworkSummary, ImportOutcome, Result, SearchHit,
    StoreError, StoredFramework, VersionInfo,
};

/// Rows per multi-row INSERT into the search index: few round trips, well under
/// both databases' parameter limits.
const SEARCH_ROWS_PER_INSERT: usize = 100;

/// One word of a search, matched as a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SearchTerm {
    word: String,
    prefix: bool,
}

/// Turns what someone typed into a search box into a safe query: words only,
/// all required, each matched as a prefix — except names written with
/// symbols (`C#`, `C++`, `F#`, `.NET`, at most four), returned as literals
/// the text must contain, since the index drops the symbols ("C#" must not
/// find every word starting with c).
fn search_terms(query: &str) -> (Vec<SearchTerm>, Vec<String>) {
    let mut terms = Vec::new();
    let mut literals = Vec::new();
    for piece in query.split_whitespace() {
        let piece = piece
            .trim_matches(|c: char| !(c.is_alphanumeric() || matches!(c, '#' | '+' | '.')))
            .trim_end_matches('.')
            .to_lowercase();
        let symbolic = piece.chars().any(char::is_alphanumeric)
            && (piece.contains('#') || piece.contains('+') || piece.starts_with('.'));
        if symbolic && !literals.contains(&piece) && literals.len() < 4 {
            literals.push(piece.clone());
        }
        if symbolic {
            continue;
        }
        for word in piece
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            if terms.len() < 12 {
                terms.push(SearchTerm {
                    word: word.to_string(),
                    prefix: true,
                });
            }
        }
    }
    (terms, literals)
}

/// Where a framework's rows sit in SQLite's FTS5 index (see
/// `replace_search_rows`).
#[derive(sqlx::FromRow)]
struct SearchSpanRow {
    first_rowid: i64,
    last_rowid: i64,
}

/// The slug's framework row as an import finds it.
#[derive(sqlx::FromRow)]
struct FrameworkHeadRow {
    id: String,
    current_version: i64,
}

#[derive(sqlx::FromRow)]
struct FrameworkSummaryRow {
    slug: String,
    title: String,
    sidebar_title: Option<String>,
    sidebar_group: Option<String>,
    current_version: i64,
    updated_at: i64,
}

impl From<FrameworkSummaryRow> for FrameworkSummary {
    fn from(row: FrameworkSummaryRow) -> FrameworkSummary {
        FrameworkSummary {
            slug: row.slug,
            title: row.title,
            sidebar_title: row.sidebar_title,
            group: row.sidebar_group,
            version: to_u32(row.current_version),
            updated_at: row.updated_at,
        }
    }
}

/// One stored version with the framework model as JSON.
#[derive(sqlx::FromRow)]
struct StoredFrameworkRow {
    slug: String,
    current_version: i64,
    version: i64,
    model: String,
    created_at: i64,
}

impl TryFrom<StoredFrameworkRow> for StoredFramework {
    type Error = StoreError;

    fn try_from(row: StoredFrameworkRow) -> Result<StoredFramework> {
        let framework: Framework = serde_json::from_str(&row.model)
            .map_err(|error| StoreError::Corrupt(format!("framework {}: {error}", row.slug)))?;
        Ok(StoredFramework {
            version: to_u32(row.version),
            current_version: to_u32(row.current_version),
            created_at: row.created_at,
            framework,
        })
    }
}

#[derive(sqlx::FromRow)]
struct VersionInfoRow {
    version: i64,
    content_hash: String,
    source_sha256: Option<String>,
    source_file: Option<String>,
    created_by: String,
    created_at: i64,
}

impl From<VersionInfoRow> for VersionInfo {
    fn from(row: VersionInfoRow) -> VersionInfo {
        VersionInfo {
            version: to_u32(row.version),
            content_hash: row.content_hash,
            source_sha256: row.source_sha256,
            source_file: row.source_file,
            created_by: row.created_by,
            created_at: row.created_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct SearchHitRow {
    slug: String,
    framework_title: String,
    criterion_id: String,
    topic_title: String,
    level: i64,
    text: String,
    examples: String,
}

impl From<SearchHitRow> for SearchHit {
    fn from(row: SearchHitRow) -> SearchHit {
        SearchHit {
            slug: row.slug,
            framework_title: row.framework_title,
            criterion_id: row.criterion_id,
            topic_title: row.topic_title,
            level: to_u32(row.level),
            text: row.text,
            examples: row.examples,
        }
    }
}

impl SqlStore {
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
            let span = sqlx::query_as::<_, SearchSpanRow>(
                "SELECT first_rowid, last_rowid FROM criteria_search_spans WHERE framework_id = $1",
            )
            .bind(framework_id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(span) = span {
                sqlx::query(
                    "DELETE FROM criteria_search WHERE rowid BETWEEN $1 AND $2 AND framework_id = $3",
                )
                .bind(span.first_rowid)
                .bind(span.last_rowid)
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
        let existing = sqlx::query_as::<_, FrameworkHeadRow>(
            "SELECT id, current_version FROM frameworks WHERE slug = $1",
        )
        .bind(&framework.slug)
        .fetch_optional(&mut *tx)
        .await?;
        let (framework_id, version, created) = match existing {
            Some(FrameworkHeadRow {
                id,
                current_version: current,
            }) => {
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
}

#[async_trait]
impl FrameworkStore for SqlStore {
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
        let rows = sqlx::query_as::<_, FrameworkSummaryRow>(
            "SELECT slug, title, sidebar_title, sidebar_group, current_version, updated_at FROM frameworks ORDER BY COALESCE(sidebar_group, ''), title, slug",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(FrameworkSummary::from).collect())
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
        let base = "SELECT f.slug, f.current_version, v.version, v.model, v.created_at FROM frameworks f JOIN framework_versions v ON v.framework_id = f.id WHERE f.slug = $1";
        let row = match version {
            Some(version) => {
                sqlx::query_as::<_, StoredFrameworkRow>(&format!("{base} AND v.version = $2"))
                    .bind(slug)
                    .bind(i64::from(version))
                    .fetch_optional(&self.pool)
                    .await?
            }
            None => {
                sqlx::query_as::<_, StoredFrameworkRow>(&format!(
                    "{base} AND v.version = f.current_version"
                ))
                .bind(slug)
                .fetch_optional(&self.pool)
                .await?
            }
        };
        row.map(StoredFramework::try_from).transpose()
    }

    async fn framework_versions(&self, slug: &str) -> Result<Vec<VersionInfo>> {
        let rows = sqlx::query_as::<_, VersionInfoRow>(
            "SELECT v.version, v.content_hash, v.source_sha256, v.source_file, v.created_by, v.created_at FROM framework_versions v JOIN frameworks f ON f.id = v.framework_id WHERE f.slug = $1 ORDER BY v.version DESC",
        )
        .bind(slug)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(VersionInfo::from).collect())
    }

    async fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let (words, literals) = search_terms(query);
        if words.is_empty() && literals.is_empty() {
            return Ok(Vec::new());
        }
        let columns = "slug, framework_title, criterion_id, topic_title, level, text, examples";
        let mut conditions = Vec::new();
        let mut order = "slug, criterion_id".to_string();
        let mut next = 1;
        let expression = (!words.is_empty()).then(|| match self.backend {
            Backend::Sqlite => words
                .iter()
                .map(|term| format!("\"{}\"*", term.word))
                .collect::<Vec<_>>()
                .join(" "),
            Backend::Postgres => words
                .iter()
                .map(|term| format!("{}:*", term.word))
                .collect::<Vec<_>>()
                .join(" & "),
        });
        if expression.is_some() {
            match self.backend {
                Backend::Sqlite => {
                    conditions.push("criteria_search MATCH $1".to_string());
                    order = "rank, slug, criterion_id".to_string();
                }
                Backend::Postgres => {
                    conditions.push("document @@ to_tsquery('simple', $1)".to_string());
                    order = "ts_rank(document, to_tsquery('simple', $1)) DESC, slug, criterion_id"
                        .to_string();
                }
            }
            next += 1;
        }
        // The index drops symbols, so names written with them are matched
        // in the text itself (their characters are letters, digits, # + and
        // ., none of them special in LIKE).
        for _ in &literals {
            conditions.push(format!("lower(text) LIKE ${next}"));
            next += 1;
        }
        let sql = format!(
            "SELECT {columns} FROM criteria_search WHERE {} ORDER BY {order} LIMIT ${next}",
            conditions.join(" AND ")
        );
        let mut select = sqlx::query_as::<_, SearchHitRow>(&sql);
        if let Some(expression) = expression {
            select = select.bind(expression);
        }
        for literal in &literals {
            select = select.bind(format!("%{literal}%"));
        }
        let rows = select.bind(i64::from(limit)).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(SearchHit::from).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(query: &str) -> Vec<(String, bool)> {
        search_terms(query)
            .0
            .into_iter()
            .map(|term| (term.word, term.prefix))
            .collect()
    }

    #[test]
    fn search_words_are_sanitised() {
        assert_eq!(
            words("Deploys \"prod\" OR x*"),
            [("deploys", true), ("prod", true), ("or", true), ("x", true)]
                .map(|(w, p)| (w.to_string(), p))
        );
        assert!(search_terms("  *** ").0.is_empty());
    }

    #[test]
    fn names_written_with_symbols_are_whole_words_and_literals() {
        let (terms, literals) = search_terms("C# and .NET, C++ F#");
        assert_eq!(literals, ["c#", ".net", "c++", "f#"]);
        assert_eq!(
            terms
                .iter()
                .map(|t| (t.word.as_str(), t.prefix))
                .collect::<Vec<_>>(),
            [("and", true)]
        );
    }
}
