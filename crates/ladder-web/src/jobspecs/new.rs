use askama::Template;

use super::error_view;
use crate::forms::{ErrorView, FieldError, OptionView};
use crate::view::{render, Layout, Page};

/// A framework offered as the basis of a new spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkOption {
    pub slug: String,
    pub title: String,
    /// Its levels as (number, label): `(1, "E1")` for a framework with a level
    /// prefix, `(1, "Level 1")` otherwise. Empty when unknown.
    pub levels: Vec<(u32, String)>,
}

/// The new-spec form as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJobSpecInput {
    pub title: String,
    pub seniority: String,
    pub description: String,
    /// A framework slug; empty for none.
    pub framework: String,
    pub level: String,
    pub questions: String,
    pub prompts: String,
}

impl Default for NewJobSpecInput {
    fn default() -> NewJobSpecInput {
        NewJobSpecInput {
            title: String::new(),
            seniority: String::new(),
            description: String::new(),
            framework: String::new(),
            level: String::new(),
            questions: "3".to_string(),
            prompts: "4".to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "jobspecs/new.html")]
struct NewTemplate<'a> {
    layout: Layout<'a>,
    input: &'a NewJobSpecInput,
    frameworks: Vec<OptionView>,
    /// "Frontend Engineering: E1–E5, enter 1–5", one per framework.
    level_hints: Vec<String>,
    top_error: Option<ErrorView>,
    title_error: Option<String>,
    seniority_error: Option<String>,
    description_error: Option<String>,
    framework_error: Option<String>,
    level_error: Option<String>,
    questions_error: Option<String>,
    prompts_error: Option<String>,
}

const NEW_FIELDS: [&str; 7] = [
    "title",
    "seniority",
    "description",
    "framework",
    "level",
    "questions",
    "prompts",
];

/// The new-spec form, with what was typed and the problem, if any, shown at
/// its field.
pub fn job_spec_new(
    page: &Page,
    input: &NewJobSpecInput,
    frameworks: &[FrameworkOption],
    error: Option<&FieldError>,
) -> String {
    let at = |field: &str| {
        error
            .filter(|e| e.field == field)
            .map(|e| e.message.clone())
    };
    let top_error = error
        .filter(|e| !NEW_FIELDS.contains(&e.field.as_str()))
        .map(|e| error_view(Some(&e.field), &e.message));
    let mut options = vec![OptionView {
        value: String::new(),
        label: "— none: start without competencies —".to_string(),
        selected: input.framework.is_empty(),
    }];
    options.extend(frameworks.iter().map(|f| OptionView {
        value: f.slug.clone(),
        label: f.title.clone(),
        selected: f.slug == input.framework,
    }));
    let level_hints = frameworks
        .iter()
        .filter_map(|f| {
            let (first, last) = (f.levels.first()?, f.levels.last()?);
            Some(if first.0 == last.0 {
                format!("{}: {}, enter {}", f.title, first.1, first.0)
            } else {
                format!(
                    "{}: {} to {}, enter {} to {}",
                    f.title, first.1, last.1, first.0, last.0
                )
            })
        })
        .collect();
    render(&NewTemplate {
        layout: Layout::new(page),
        input,
        frameworks: options,
        level_hints,
        top_error,
        title_error: at("title"),
        seniority_error: at("seniority"),
        description_error: at("description"),
        framework_error: at("framework"),
        level_error: at("level"),
        questions_error: at("questions"),
        prompts_error: at("prompts"),
    })
}
