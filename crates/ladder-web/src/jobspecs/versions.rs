use askama::Template;

use super::diff::{diff_form, DiffForm};
use super::version_name;
use crate::format::job_spec_href;
use crate::moment::Moment;
use crate::view::{render, Layout, Page};

/// One version in the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSpecVersionRow {
    pub version: u32,
    pub label: Option<String>,
    pub published: bool,
    /// The version interviews are currently pinned to.
    pub current: bool,
    /// Exact, e.g. "1.00".
    pub total_weight: String,
    pub balanced: bool,
    pub created_by: String,
    /// Already formatted for display.
    pub created: Moment,
    pub published_at: Option<Moment>,
}

#[derive(Template)]
#[template(path = "jobspecs/versions.html")]
struct VersionsTemplate<'a> {
    layout: Layout<'a>,
    title: &'a str,
    spec_href: String,
    rows: Vec<VersionView<'a>>,
    form: DiffForm,
}

struct VersionView<'a> {
    version: u32,
    name: String,
    href: String,
    status: &'static str,
    current: bool,
    total_weight: &'a str,
    balanced: bool,
    created_by: &'a str,
    created: &'a Moment,
    published_at: Option<&'a Moment>,
}

/// The default pair to compare: the current version against the latest, or
/// the latest against the one before it.
pub fn default_diff_pair(versions: &[JobSpecVersionRow]) -> (u32, u32) {
    let latest = versions.iter().map(|v| v.version).max().unwrap_or(1);
    let current = versions.iter().find(|v| v.current).map(|v| v.version);
    let from = match current {
        Some(current) if current != latest => current,
        _ => versions
            .iter()
            .map(|v| v.version)
            .filter(|&v| v < latest)
            .max()
            .unwrap_or(latest),
    };
    (from, latest)
}

/// The version history (`rows` newest first) and a form to compare two.
pub fn job_spec_versions(page: &Page, id: &str, title: &str, rows: &[JobSpecVersionRow]) -> String {
    let href = job_spec_href(id);
    let (from, to) = default_diff_pair(rows);
    let views = rows
        .iter()
        .map(|row| VersionView {
            version: row.version,
            name: version_name(row.version, row.label.as_deref()),
            href: if row.published {
                format!("{href}?version={}", row.version)
            } else {
                format!("{href}?version=draft")
            },
            status: if row.published { "published" } else { "draft" },
            current: row.current,
            total_weight: &row.total_weight,
            balanced: row.balanced,
            created_by: &row.created_by,
            created: &row.created,
            published_at: row.published_at.as_ref(),
        })
        .collect();
    render(&VersionsTemplate {
        layout: Layout::new(page),
        title,
        spec_href: href,
        rows: views,
        form: diff_form(id, rows, from, to),
    })
}
