//! The SQL implementation of [`Store`] for SQLite and PostgreSQL: the pool,
//! the dialect specifics (connection pragmas, migrations, how a write
//! transaction starts) and what the areas share. Each area's trait is
//! implemented in its own file.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Connection, Executor};

use crate::{
    now_millis, Actor, Backend, Claim, Claimed, IdempotencyKey, IdempotentResponse, PoolStats,
    Result, Store, StoreError,
};

mod accounts;
mod figures;
mod frameworks;
mod idempotency;
mod interviews;
mod jobspecs;
mod people;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The store on SQLite or PostgreSQL through sqlx's `Any` driver: implements
/// [`Store`] and every area's trait. [`crate::connect`] returns it as an
/// `Arc<dyn Store>`.
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

pub(crate) fn to_u32(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

pub(crate) fn signed(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

pub(crate) fn is_unique_violation(error: &StoreError) -> bool {
    matches!(error, StoreError::Database(sqlx::Error::Database(db)) if db.is_unique_violation())
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

    /// `" FOR UPDATE"` on PostgreSQL, where a write transaction locks the rows
    /// it reads to change; nothing on SQLite, whose write transactions
    /// already hold the database's one write lock.
    pub(crate) fn lock_suffix(&self) -> &'static str {
        match self.backend {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        }
    }

    /// SQLite write transactions take the write lock up front, so two writers
    /// queue on the busy timeout instead of one failing when it upgrades.
    pub(crate) async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
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

    async fn claim_key(&self, key: &IdempotencyKey, now: i64, lease_until: i64) -> Result<Claimed> {
        self.claim_key_now(key, now, lease_until).await
    }

    async fn complete_claim(&self, claim: &Claim, response: &IdempotentResponse) -> Result<()> {
        self.complete_claim_alone(claim, response).await
    }

    async fn release_claim(&self, claim: &Claim) -> Result<()> {
        self.release(claim).await
    }

    async fn idempotent_response(
        &self,
        scope: &str,
        key: &str,
    ) -> Result<Option<IdempotentResponse>> {
        self.completed_response(scope, key).await
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
}
