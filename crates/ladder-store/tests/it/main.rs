//! The store's behaviour, one test binary. Every test that needs a database
//! runs twice, as `<test>::sqlite` (always) and `<test>::postgres` (ignored
//! unless asked for: set `LADDER_TEST_POSTGRES_URL` and pass
//! `-- --include-ignored`); see `both_backends!` in `common`.

// Test code: a failed expectation is a panic with its reason, and helpers are
// `pub` for the modules of this crate only.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

#[macro_use]
mod common;

mod accounts;
mod candidate_links;
mod connect;
mod frameworks;
mod idempotency;
mod interviews;
mod jobspecs;
mod migrations;
mod people;
