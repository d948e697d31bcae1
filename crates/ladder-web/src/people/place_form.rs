//! The "Place a person" form, on the people list and on a person's page.

use crate::forms::{ErrorView, FieldError, OptionView};

/// One option of a select.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// A framework someone can be placed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkChoice {
    pub slug: String,
    pub title: String,
    /// Levels that list behaviours, ascending.
    pub levels: Vec<u32>,
    /// The framework's sub-level letters; empty without sub-levels.
    pub sublevels: Vec<String>,
}

/// The placement form as typed (or prefilled from the current placement).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceInput {
    /// The person's user id.
    pub person: String,
    pub framework: String,
    pub level: String,
    pub sublevel: String,
    pub target_level: String,
    /// A user id; empty for no manager.
    pub manager: String,
    pub note: String,
}

/// The "Place a person" form.
#[derive(Debug, Clone, Copy)]
pub struct PlaceForm<'a> {
    pub heading: &'a str,
    /// Where it posts: `/people` (person chosen in the form) or
    /// `/people/{id}/placements`.
    pub action: &'a str,
    /// The people to choose from; `None` when the form is for one person.
    pub people: Option<&'a [Choice]>,
    pub frameworks: &'a [FrameworkChoice],
    /// Admins choose any manager; `None` means the caller (a manager) is
    /// the manager.
    pub managers: Option<&'a [Choice]>,
    pub input: &'a PlaceInput,
    /// A failed placement: the field (`level`, `manager_id`, …) and why.
    pub error: Option<&'a FieldError>,
}

pub(super) struct PlaceFormView<'a> {
    pub(super) heading: &'a str,
    pub(super) action: &'a str,
    pub(super) people: Option<Vec<OptionView>>,
    pub(super) frameworks: Vec<FrameworkOptionView>,
    pub(super) sublevels: Vec<OptionView>,
    pub(super) hints: Vec<String>,
    pub(super) managers: Option<Vec<OptionView>>,
    pub(super) input: &'a PlaceInput,
    pub(super) top_error: Option<ErrorView>,
    pub(super) person_error: Option<String>,
    pub(super) framework_error: Option<String>,
    pub(super) level_error: Option<String>,
    pub(super) sublevel_error: Option<String>,
    pub(super) target_error: Option<String>,
    pub(super) manager_error: Option<String>,
    pub(super) note_error: Option<String>,
}

/// A framework in the select, with what the page's script needs to offer
/// only its levels and sub-levels once it is chosen.
pub(super) struct FrameworkOptionView {
    pub(super) value: String,
    pub(super) label: String,
    pub(super) selected: bool,
    /// "A,B,C"; empty without sub-levels.
    pub(super) sublevels: String,
    /// The lowest and highest level with behaviours.
    pub(super) min_level: u32,
    pub(super) max_level: u32,
}

const PLACE_FIELDS: [&str; 7] = [
    "person",
    "framework",
    "level",
    "sublevel",
    "target_level",
    "manager_id",
    "note",
];

fn options(choices: &[Choice], chosen: &str, none: Option<&str>) -> Vec<OptionView> {
    let mut out = Vec::new();
    if let Some(none) = none {
        out.push(OptionView {
            value: String::new(),
            label: none.to_string(),
            selected: chosen.is_empty(),
        });
    }
    out.extend(choices.iter().map(|c| OptionView {
        value: c.value.clone(),
        label: c.label.clone(),
        selected: c.value == chosen,
    }));
    out
}

fn level_span(levels: &[u32]) -> String {
    match (levels.first(), levels.last()) {
        (Some(first), Some(last)) if first == last => format!("level {first}"),
        (Some(first), Some(last)) => format!("levels {first}–{last}"),
        _ => "no levels".to_string(),
    }
}

pub(super) fn place_form_view<'a>(form: &PlaceForm<'a>) -> PlaceFormView<'a> {
    let at = |field: &str| {
        form.error
            .filter(|e| e.field == field)
            .map(|e| e.message.clone())
    };
    // The chosen framework's letters when one is chosen (or there is only
    // one); otherwise every framework's, in first-seen order, and the page's
    // script narrows them when a framework is picked.
    let chosen: Vec<&FrameworkChoice> = match form
        .frameworks
        .iter()
        .find(|f| f.slug == form.input.framework)
    {
        Some(framework) => vec![framework],
        None => form.frameworks.iter().collect(),
    };
    let mut letters: Vec<String> = Vec::new();
    for framework in chosen {
        for letter in &framework.sublevels {
            if !letters.contains(letter) {
                letters.push(letter.clone());
            }
        }
    }
    let mut sublevels = vec![OptionView {
        value: String::new(),
        label: "— none —".to_string(),
        selected: form.input.sublevel.trim().is_empty(),
    }];
    sublevels.extend(letters.iter().map(|letter| OptionView {
        value: letter.clone(),
        label: letter.clone(),
        selected: letter.eq_ignore_ascii_case(form.input.sublevel.trim()),
    }));
    let hints = form
        .frameworks
        .iter()
        .map(|f| {
            let letters = if f.sublevels.is_empty() {
                "no sub-levels".to_string()
            } else {
                format!("sub-levels {}", f.sublevels.join(", "))
            };
            format!("{}: {}, {letters}", f.title, level_span(&f.levels))
        })
        .collect();
    PlaceFormView {
        heading: form.heading,
        action: form.action,
        people: form
            .people
            .map(|people| options(people, &form.input.person, Some("— choose a person —"))),
        frameworks: form
            .frameworks
            .iter()
            .map(|f| FrameworkOptionView {
                value: f.slug.clone(),
                label: f.title.clone(),
                selected: f.slug == form.input.framework,
                sublevels: f.sublevels.join(","),
                min_level: f.levels.first().copied().unwrap_or(0),
                max_level: f.levels.last().copied().unwrap_or(0),
            })
            .collect(),
        sublevels,
        hints,
        managers: form
            .managers
            .map(|managers| options(managers, &form.input.manager, Some("— no manager —"))),
        input: form.input,
        top_error: form
            .error
            .filter(|e| !PLACE_FIELDS.contains(&e.field.as_str()))
            .map(ErrorView::from),
        person_error: at("person"),
        framework_error: at("framework"),
        level_error: at("level"),
        sublevel_error: at("sublevel"),
        target_error: at("target_level"),
        manager_error: at("manager_id"),
        note_error: at("note"),
    }
}
