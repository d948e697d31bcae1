use askama::Template;

use super::person_href;
use super::place_form::{place_form_view, PlaceForm, PlaceFormView};
use crate::view::{render, Layout, Page};

/// One person in the people list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    pub id: String,
    pub email: String,
    /// The framework's title; `None` when not placed.
    pub framework: Option<String>,
    /// The placement: "Level 3B".
    pub placed_at: Option<String>,
    /// "Level 4".
    pub target: Option<String>,
    pub manager: Option<String>,
    /// Computed from the latest submitted assessments: "Level 3C".
    pub standing: Option<String>,
    /// The viewer themselves.
    pub is_viewer: bool,
}

#[derive(Template)]
#[template(path = "people/list.html")]
struct ListTemplate<'a> {
    layout: Layout<'a>,
    rows: Vec<RowView<'a>>,
    form: Option<PlaceFormView<'a>>,
}

struct RowView<'a> {
    href: String,
    email: &'a str,
    framework: &'a str,
    placed_at: &'a str,
    target: &'a str,
    manager: &'a str,
    standing: &'a str,
    is_viewer: bool,
}

/// The people the viewer can see, and the placement form for admins and
/// managers.
pub fn people_list(page: &Page, rows: &[PersonRow], form: Option<&PlaceForm>) -> String {
    render(&ListTemplate {
        layout: Layout::new(page),
        rows: rows
            .iter()
            .map(|row| RowView {
                href: person_href(&row.id),
                email: &row.email,
                framework: row.framework.as_deref().unwrap_or("Not placed"),
                placed_at: row.placed_at.as_deref().unwrap_or("—"),
                target: row.target.as_deref().unwrap_or("—"),
                manager: row.manager.as_deref().unwrap_or("—"),
                standing: row.standing.as_deref().unwrap_or("—"),
                is_viewer: row.is_viewer,
            })
            .collect(),
        form: form.map(place_form_view),
    })
}
