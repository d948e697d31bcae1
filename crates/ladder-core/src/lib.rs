//! Ladder's domain core: the canonical model of a progression framework and the
//! diagnostics vocabulary shared by every reader and writer.
//!
//! This crate does no I/O. Everything here is a plain value that the formats,
//! the store and the server agree on.

pub mod access;
pub mod audio;
pub mod compare;
pub mod diagnostic;
pub mod framework;
pub mod generate;
pub mod interview;
pub mod jobspec;
pub mod limits;
pub mod progression;
pub mod text;

pub use diagnostic::{Diagnostic, Severity};
pub use framework::{criterion_id, Criterion, Framework, Level, SourceFormat, SourceInfo, Topic};
