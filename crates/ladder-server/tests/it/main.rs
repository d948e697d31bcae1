//! Ladder's server end to end: a real server per test (the real router on a
//! loopback port) over a fresh SQLite file or PostgreSQL database, driven
//! over HTTP and, for the web app, in headless Chromium.
//!
//! Every database test runs twice: `name::sqlite` always, and
//! `name::postgres`, ignored unless asked for (`cargo test --
//! --include-ignored` with `LADDER_TEST_POSTGRES_URL` set). The browser tests
//! are ignored unless asked for too. A test that cannot run is never reported
//! as passed.

// Test code: a failed expectation is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

/// Runs `async fn $test(database: TestDatabase)` as two tests: `$test::sqlite`
/// and `$test::postgres` (ignored unless asked for). An optional tokio test
/// attribute (a multi-threaded runtime) comes first.
macro_rules! on_each_database {
    ($test:ident) => {
        on_each_database!(
            #[tokio::test]
            $test
        );
    };
    (#[$attr:meta] $test:ident) => {
        mod $test {
            #[$attr]
            async fn sqlite() {
                super::$test(ladder_store::testing::TestDatabase::sqlite()).await;
            }

            #[$attr]
            #[ignore = "needs LADDER_TEST_POSTGRES_URL"]
            async fn postgres() {
                super::$test(ladder_store::testing::TestDatabase::postgres().await).await;
            }
        }
    };
}

mod common;

mod access;
mod account_security;
mod api;
mod architecture;
mod browser;
mod browser_alternatives;
mod browser_candidate_links;
mod browser_people;
mod candidate_links;
mod candidate_pages;
mod edge;
mod frameworks_pages;
mod idempotency;
mod interview_audio;
mod interview_evaluator;
mod interview_forms;
mod interview_pages;
mod interviews_api;
mod interviews_load;
mod jobspec_pages;
mod jobspecs_api;
mod openapi;
mod people_api;
mod people_pages;
mod scoring_sight;
