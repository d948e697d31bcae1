//! The `ladder` binary end to end, as users run it: `check` and `convert`
//! on real files, the store-backed commands on a real SQLite file, and
//! `serve` from first start to graceful stop.

// Test code: a failed expectation is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod common;

mod cli;
mod service;
