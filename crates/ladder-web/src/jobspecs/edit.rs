use askama::Template;
use ladder_core::jobspec::{FrameworkBasis, JobSpecBody, Weight};

use super::{error_view, version_name, Link};
use crate::format::{framework_href, job_spec_href};
use crate::forms::{ErrorView, FieldError};
use crate::view::{render, Layout, Page};

/// One competency row of the editor, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompetencyInput {
    pub id: String,
    pub name: String,
    /// `0.35` or `35%`.
    pub weight: String,
    pub definition: String,
}

impl CompetencyInput {
    pub fn is_empty(&self) -> bool {
        [&self.id, &self.name, &self.weight, &self.definition]
            .iter()
            .all(|field| field.trim().is_empty())
    }
}

/// One must-have row of the editor, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MustHaveInput {
    pub text: String,
    pub required: bool,
}

/// The editor's fields, as typed (or as stored).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobSpecForm {
    pub title: String,
    pub seniority: String,
    pub description: String,
    pub competencies: Vec<CompetencyInput>,
    pub must_haves: Vec<MustHaveInput>,
}

impl JobSpecForm {
    pub fn from_body(body: &JobSpecBody) -> JobSpecForm {
        JobSpecForm {
            title: body.title.clone(),
            seniority: body.seniority.clone(),
            description: body.description.clone(),
            competencies: body
                .competencies
                .iter()
                .map(|c| CompetencyInput {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    weight: c.weight.decimal(),
                    definition: c.definition.clone(),
                })
                .collect(),
            must_haves: body
                .must_haves
                .iter()
                .map(|m| MustHaveInput {
                    text: m.text.clone(),
                    required: m.required,
                })
                .collect(),
        }
    }
}

/// What the editor edits.
#[derive(Debug, Clone, Copy)]
pub struct EditTarget<'a> {
    pub id: &'a str,
    /// The version being edited: the draft, or the current version.
    pub version: u32,
    pub label: Option<&'a str>,
    pub published: bool,
    /// The number a new draft would get (latest + 1).
    pub next_version: u32,
    pub basis: Option<&'a FrameworkBasis>,
    pub basis_title: Option<&'a str>,
}

/// "Total weight: 1.00 ✓ balanced", or the same words as
/// [`JobSpecBody::balance_message`] ("Total weight: 0.95 — add 0.05").
pub(super) fn total_weight_text(total: u64) -> (String, bool) {
    let one = u64::from(Weight::ONE.0);
    let show = |points: u64| Weight(u32::try_from(points).unwrap_or(u32::MAX)).decimal();
    match total.cmp(&one) {
        std::cmp::Ordering::Equal => (format!("Total weight: {} ✓ balanced", show(total)), true),
        std::cmp::Ordering::Less => (
            format!("Total weight: {} — add {}", show(total), show(one - total)),
            false,
        ),
        std::cmp::Ordering::Greater => (
            format!(
                "Total weight: {} — remove {}",
                show(total),
                show(total - one)
            ),
            false,
        ),
    }
}

/// The editor's running total: the sum of every weight that parses (empty
/// and malformed ones count as nothing, exactly as `app.js` does).
pub(super) fn typed_total(rows: &[CompetencyInput]) -> (String, bool) {
    let total: u64 = rows
        .iter()
        .filter_map(|row| Weight::parse(&row.weight).ok())
        .map(|weight| u64::from(weight.basis_points()))
        .sum();
    total_weight_text(total)
}

#[derive(Template)]
#[template(path = "jobspecs/edit.html")]
struct EditTemplate<'a> {
    layout: Layout<'a>,
    spec_href: String,
    action: String,
    heading: String,
    editing: String,
    basis: Option<Link>,
    form: &'a JobSpecForm,
    top_error: Option<ErrorView>,
    title_error: Option<String>,
    seniority_error: Option<String>,
    description_error: Option<String>,
    competencies_error: Option<ErrorView>,
    competencies: Vec<CompetencyRowView>,
    must_haves: Vec<MustRowView>,
    total_text: String,
    total_class: &'static str,
}

struct CompetencyRowView {
    index: usize,
    id: String,
    name: String,
    weight: String,
    definition: String,
    id_error: Option<String>,
    name_error: Option<String>,
    weight_error: Option<String>,
    definition_error: Option<String>,
}

struct MustRowView {
    index: usize,
    text: String,
    required: bool,
    error: Option<String>,
}

/// Empty rows offered for adding without JavaScript.
pub(super) const EXTRA_ROWS: usize = 2;

/// The editor for the draft (or the current version, which saving turns
/// into a new draft). `form` is what to show: the stored body, or what was
/// typed when saving failed; `error` is shown at its field.
pub fn job_spec_edit(
    page: &Page,
    target: &EditTarget,
    form: &JobSpecForm,
    error: Option<&FieldError>,
) -> String {
    let href = job_spec_href(target.id);
    let at = |field: &str| {
        error
            .filter(|e| e.field == field)
            .map(|e| e.message.clone())
    };
    let mut placed = false;
    let mut competencies: Vec<CompetencyRowView> = form
        .competencies
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let field = |name: &str| {
                let path = format!("competencies[{index}].{name}");
                error
                    .filter(|e| e.field == path)
                    .map(|e| format!("{path}: {}", e.message))
            };
            CompetencyRowView {
                index,
                id: row.id.clone(),
                name: row.name.clone(),
                weight: row.weight.clone(),
                definition: row.definition.clone(),
                id_error: field("id"),
                name_error: field("name"),
                weight_error: field("weight"),
                definition_error: field("definition"),
            }
        })
        .collect();
    placed |= competencies.iter().any(|row| {
        row.id_error.is_some()
            || row.name_error.is_some()
            || row.weight_error.is_some()
            || row.definition_error.is_some()
    });
    let start = competencies.len();
    competencies.extend((start..start + EXTRA_ROWS).map(|index| CompetencyRowView {
        index,
        id: String::new(),
        name: String::new(),
        weight: String::new(),
        definition: String::new(),
        id_error: None,
        name_error: None,
        weight_error: None,
        definition_error: None,
    }));
    let mut must_haves: Vec<MustRowView> = form
        .must_haves
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let path = format!("must_haves[{index}].text");
            MustRowView {
                index,
                text: row.text.clone(),
                required: row.required,
                error: error
                    .filter(|e| e.field == path)
                    .map(|e| format!("{path}: {}", e.message)),
            }
        })
        .collect();
    placed |= must_haves.iter().any(|row| row.error.is_some());
    let start = must_haves.len();
    must_haves.extend((start..start + EXTRA_ROWS).map(|index| MustRowView {
        index,
        text: String::new(),
        required: true,
        error: None,
    }));
    let title_error = at("title");
    let seniority_error = at("seniority");
    let description_error = at("description");
    // Balance and "at least one" problems belong to the table as a whole.
    let competencies_error = error
        .filter(|e| e.field == "competencies" || e.field == "competencies[].weight")
        .map(|e| error_view(Some(&e.field), &e.message));
    placed |= title_error.is_some()
        || seniority_error.is_some()
        || description_error.is_some()
        || competencies_error.is_some();
    let top_error = error
        .filter(|_| !placed)
        .map(|e| error_view(Some(&e.field), &format!("{}: {}", e.field, e.message)));
    let (total_text, balanced) = typed_total(&form.competencies);
    let editing = if target.published {
        format!(
            "You are editing {}; saving opens draft v{}. The published version does not change.",
            version_name(target.version, target.label),
            target.next_version
        )
    } else {
        format!(
            "You are editing draft v{}. Publish it from the job spec's page.",
            target.version
        )
    };
    render(&EditTemplate {
        layout: Layout::new(page),
        action: format!("{href}/edit"),
        spec_href: if target.published {
            href.clone()
        } else {
            format!("{href}?version=draft")
        },
        heading: format!("Edit {}", form.title),
        editing,
        basis: target.basis.map(|basis| Link {
            href: format!("{}?level={}", framework_href(&basis.slug), basis.level),
            text: format!(
                "{} · level {}",
                target.basis_title.unwrap_or(&basis.slug),
                basis.level
            ),
        }),
        form,
        top_error,
        title_error,
        seniority_error,
        description_error,
        competencies_error,
        competencies,
        must_haves,
        total_text,
        total_class: if balanced { "balanced" } else { "unbalanced" },
    })
}
