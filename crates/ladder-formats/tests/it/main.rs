//! ladder-formats' integration tests, as one binary: on two cores every test
//! binary is a link step of its own.

// Test code: a helper that fails should fail the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod fixtures;
mod generated;
mod hostile;
mod jobspec;
mod properties;
mod seeds;
