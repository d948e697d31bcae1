//! Throwaway databases for tests: a SQLite file in a temporary directory, and a
//! fresh PostgreSQL database on the server named by `LADDER_TEST_POSTGRES_URL`.

use sqlx::{Connection, Executor};

pub const POSTGRES_ENV: &str = "LADDER_TEST_POSTGRES_URL";

pub struct TestDatabase {
    pub url: String,
    pub label: &'static str,
    postgres: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDatabase {
    pub fn sqlite() -> TestDatabase {
        let dir =
            tempfile::tempdir().unwrap_or_else(|error| panic!("temporary directory: {error}"));
        let url = format!("sqlite://{}/ladder.db", dir.path().display());
        TestDatabase {
            url,
            label: "sqlite",
            postgres: None,
            _dir: Some(dir),
        }
    }

    /// A new, empty database, or `None` (with a printed notice) when no server
    /// is configured. Under CI a missing server is a failure, not a skip.
    pub async fn postgres() -> Option<TestDatabase> {
        let Ok(server) = std::env::var(POSTGRES_ENV) else {
            if std::env::var("CI").is_ok_and(|ci| ci == "true") {
                panic!(
                    "{POSTGRES_ENV} must be set in CI: PostgreSQL tests cannot be skipped there"
                );
            }
            eprintln!("skipped: PostgreSQL tests (set {POSTGRES_ENV}=postgres://user@host/db to run them)");
            return None;
        };
        let name = format!("ladder_t_{}", uuid::Uuid::now_v7().simple());
        let mut admin = sqlx::PgConnection::connect(&server)
            .await
            .unwrap_or_else(|error| panic!("cannot reach PostgreSQL at {server}: {error}"));
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap_or_else(|error| panic!("cannot create database {name}: {error}"));
        let _ = admin.close().await;
        let base = match server.rfind('/') {
            Some(slash) if slash > "postgres://".len() => &server[..slash],
            _ => server.as_str(),
        };
        let url = format!("{base}/{name}");
        Some(TestDatabase {
            url,
            label: "postgres",
            postgres: Some((server, name)),
            _dir: None,
        })
    }

    /// SQLite always; PostgreSQL too when configured.
    pub async fn each() -> Vec<TestDatabase> {
        let mut all = vec![TestDatabase::sqlite()];
        all.extend(TestDatabase::postgres().await);
        all
    }

    /// Drops a PostgreSQL test database (SQLite files go with the directory).
    pub async fn cleanup(self) {
        if let Some((server, name)) = &self.postgres {
            if let Ok(mut admin) = sqlx::PgConnection::connect(server).await {
                let _ = admin
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await;
                let _ = admin.close().await;
            }
        }
    }
}
