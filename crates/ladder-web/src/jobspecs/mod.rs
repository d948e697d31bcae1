//! Job-spec pages (PRODUCT.md §2): the list, the new-spec form, one version of
//! a spec with its weights and interview rounds, the editor, the version
//! history and the diff between two versions.
//!
//! As elsewhere in this crate, every decision (which controls show, what a
//! banner says, where a link points) is made here in Rust; the templates only
//! print. Weights are exact basis points throughout, never floats.

mod alternatives;
mod diff;
mod edit;
mod list;
mod new;
mod show;
mod versions;

#[cfg(test)]
mod tests;

pub use alternatives::{job_spec_alternatives, AlternativeRow};
pub use diff::{job_spec_diff, DiffView};
pub use edit::{job_spec_edit, CompetencyInput, EditTarget, JobSpecForm, MustHaveInput};
pub use list::{job_spec_list, JobSpecRow};
pub use new::{job_spec_new, FrameworkOption, NewJobSpecInput};
pub use show::{job_spec, JobSpecView, SpecError};
pub use versions::{default_diff_pair, job_spec_versions, JobSpecVersionRow};

use crate::forms::ErrorView;

/// "v2-a8Kd_3x", or "draft v3" for an unpublished version.
pub fn version_name(version: u32, label: Option<&str>) -> String {
    match label {
        Some(label) if !label.is_empty() => label.to_string(),
        _ => format!("draft v{version}"),
    }
}

fn error_view(field: Option<&str>, message: &str) -> ErrorView {
    ErrorView {
        field: field.unwrap_or_default().to_string(),
        message: message.to_string(),
    }
}

struct Link {
    href: String,
    text: String,
}
