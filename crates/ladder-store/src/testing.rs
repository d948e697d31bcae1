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

    /// A new, empty database on the server named by `LADDER_TEST_POSTGRES_URL`.
    ///
    /// PostgreSQL tests are `#[ignore = "needs LADDER_TEST_POSTGRES_URL"]`, so
    /// this only runs when someone asked for them (`-- --include-ignored`);
    /// without a server that is a failure, never a silent pass.
    pub async fn postgres() -> TestDatabase {
        let server = std::env::var(POSTGRES_ENV).unwrap_or_else(|_| {
            panic!(
                "this PostgreSQL test was asked to run but {POSTGRES_ENV} is not set: \
                 set it to postgres://user@host/db, or run without --include-ignored"
            )
        });
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
        TestDatabase {
            url,
            label: "postgres",
            postgres: Some((server, name)),
            _dir: None,
        }
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
