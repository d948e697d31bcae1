use askama::Template;

use super::Link;
use crate::format::job_spec_href;
use crate::moment::Moment;
use crate::view::{render, Layout, Page};

/// One job spec in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSpecRow {
    pub id: String,
    pub title: String,
    pub seniority: String,
    /// The published version's label, `None` before the first publish.
    pub current_label: Option<String>,
    /// The open draft, if any.
    pub draft_version: Option<u32>,
    /// Already formatted for display.
    pub updated: Moment,
}

#[derive(Template)]
#[template(path = "jobspecs/list.html")]
struct ListTemplate<'a> {
    layout: Layout<'a>,
    can_edit: bool,
    rows: Vec<ListRow<'a>>,
}

struct ListRow<'a> {
    id: &'a str,
    href: String,
    title: &'a str,
    seniority: &'a str,
    label: Option<&'a str>,
    draft: Option<Link>,
    updated: &'a Moment,
}

/// Every job spec; `can_edit` adds the "New job spec" button.
pub fn job_spec_list(page: &Page, rows: &[JobSpecRow], can_edit: bool) -> String {
    let rows = rows
        .iter()
        .map(|row| {
            let href = job_spec_href(&row.id);
            ListRow {
                id: &row.id,
                title: &row.title,
                seniority: &row.seniority,
                label: row.current_label.as_deref(),
                // Only worth saying when there is also a published version.
                draft: row
                    .draft_version
                    .filter(|_| row.current_label.is_some())
                    .map(|draft| Link {
                        href: format!("{href}?version=draft"),
                        text: format!("draft v{draft} open"),
                    }),
                href,
                updated: &row.updated,
            }
        })
        .collect();
    render(&ListTemplate {
        layout: Layout::new(page),
        can_edit,
        rows,
    })
}
