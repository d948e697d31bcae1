use askama::Template;
use ladder_core::jobspec::Change;

use super::version_name;
use super::versions::JobSpecVersionRow;
use crate::format::{job_spec_href, plural};
use crate::forms::OptionView;
use crate::view::{render, Layout, Page};

/// Two versions compared.
#[derive(Debug, Clone, Copy)]
pub struct DiffView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub from: u32,
    pub to: u32,
    /// Every version, for the from/to selects (newest first).
    pub versions: &'a [JobSpecVersionRow],
    pub changes: &'a [Change],
}

#[derive(Template)]
#[template(path = "jobspecs/diff.html")]
struct DiffTemplate<'a> {
    layout: Layout<'a>,
    title: &'a str,
    spec_href: String,
    versions_href: String,
    heading: String,
    summary: String,
    form: DiffForm,
    groups: Vec<ChangeGroup<'a>>,
}

struct ChangeGroup<'a> {
    area: &'a str,
    heading: String,
    changes: Vec<ChangeView<'a>>,
}

struct ChangeView<'a> {
    kind: &'a str,
    key: &'a str,
    /// Whether the key says more than the area heading already does.
    show_key: bool,
    from: Option<&'a str>,
    to: Option<&'a str>,
}

const AREAS: &[(&str, &str)] = &[
    ("title", "Title"),
    ("seniority", "Seniority"),
    ("description", "Job description"),
    ("weight", "Weights"),
    ("competency", "Competencies"),
    ("definition", "Definitions"),
    ("must_have", "Must-haves"),
    ("round1", "Interview questions (Round 01)"),
    ("round2", "Behavioral prompts (Round 02)"),
];

fn area_rank(area: &str) -> usize {
    AREAS
        .iter()
        .position(|(known, _)| *known == area)
        .unwrap_or(AREAS.len())
}

/// What changed between two versions, grouped by area (weights, competencies,
/// must-haves, each round).
pub fn job_spec_diff(page: &Page, view: &DiffView) -> String {
    let href = job_spec_href(view.id);
    let name = |number: u32| {
        view.versions
            .iter()
            .find(|v| v.version == number)
            .map_or_else(
                || format!("v{number}"),
                |v| version_name(v.version, v.label.as_deref()),
            )
    };
    let mut groups: Vec<ChangeGroup> = Vec::new();
    for change in view.changes {
        let item = ChangeView {
            kind: &change.kind,
            key: &change.key,
            show_key: change.key != change.area,
            from: change.from.as_deref(),
            to: change.to.as_deref(),
        };
        match groups.iter_mut().find(|g| g.area == change.area) {
            Some(group) => group.changes.push(item),
            None => groups.push(ChangeGroup {
                area: &change.area,
                heading: AREAS
                    .iter()
                    .find(|(known, _)| *known == change.area)
                    .map_or_else(|| change.area.clone(), |(_, heading)| heading.to_string()),
                changes: vec![item],
            }),
        }
    }
    groups.sort_by_key(|g| area_rank(g.area));
    let summary = if view.from == view.to {
        "Choose two different versions to compare.".to_string()
    } else if view.changes.is_empty() {
        "Nothing changed between these versions.".to_string()
    } else {
        format!("{}.", plural(view.changes.len(), "change", "changes"))
    };
    render(&DiffTemplate {
        layout: Layout::new(page),
        title: view.title,
        versions_href: format!("{href}/versions"),
        spec_href: href,
        heading: format!("{} → {}", name(view.from), name(view.to)),
        summary,
        form: diff_form(view.id, view.versions, view.from, view.to),
        groups,
    })
}

/// The "compare two versions" form, on the history and the diff pages.
pub(super) struct DiffForm {
    pub(super) action: String,
    pub(super) from: Vec<OptionView>,
    pub(super) to: Vec<OptionView>,
}

pub(super) fn diff_form(id: &str, versions: &[JobSpecVersionRow], from: u32, to: u32) -> DiffForm {
    let options = |chosen: u32| {
        versions
            .iter()
            .map(|v| OptionView {
                value: v.version.to_string(),
                label: format!(
                    "{} (v{})",
                    version_name(v.version, v.label.as_deref()),
                    v.version
                ),
                selected: v.version == chosen,
            })
            .collect()
    };
    DiffForm {
        action: format!("{}/diff", job_spec_href(id)),
        from: options(from),
        to: options(to),
    }
}
