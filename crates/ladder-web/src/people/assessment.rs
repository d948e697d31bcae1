use std::collections::{HashMap, HashSet};

use askama::Template;
use ladder_core::progression::{AssessmentKind, Progress, Rating};
use ladder_core::Framework;

use super::rule::{rule, RuleView};
use super::{assessment_href, export_href, person_href, rating_class};
use crate::format::encode_component;
use crate::forms::{ErrorView, FieldError};
use crate::markdown::render_inline;
use crate::view::{render, Layout, Page};

/// One behaviour's rating and evidence as shown in the editor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MarkValue {
    pub rating: Option<Rating>,
    pub note: String,
    /// One link per line.
    pub links: String,
}

/// The assessment editor (or its read-only view).
#[derive(Debug, Clone, Copy)]
pub struct AssessmentView<'a> {
    pub person_id: &'a str,
    pub person_email: &'a str,
    pub assessment_id: &'a str,
    pub kind: AssessmentKind,
    pub assessor: &'a str,
    pub submitted: bool,
    pub as_of: Option<&'a str>,
    /// The viewer is the assessor and it is a draft.
    pub editable: bool,
    /// The version the assessment is made on.
    pub framework: &'a Framework,
    pub framework_version: u32,
    /// Criterion id → rating and evidence.
    pub values: &'a HashMap<String, MarkValue>,
    /// The level tab to show; the first level when `None`.
    pub level: Option<u32>,
    /// Evidence was carried over from an assessment on this version.
    pub carried_from_version: Option<u32>,
    /// Behaviours new or changed since that version (no carried evidence).
    pub new_or_changed: &'a HashSet<String>,
    /// What this assessment computes to so far.
    pub progress: &'a Progress,
    /// The date the submit form proposes (today) or as typed.
    pub as_of_input: &'a str,
    /// A failed save or submit: `rating.<id>`, `note.<id>`, `links.<id>`,
    /// `as_of`, `marks`, or another field shown at the top.
    pub error: Option<&'a FieldError>,
}

#[derive(Template)]
#[template(path = "people/assessment.html")]
struct AssessmentTemplate<'a> {
    layout: Layout<'a>,
    person_href: String,
    email: &'a str,
    kind: &'static str,
    assessor: &'a str,
    status: String,
    editable: bool,
    framework_title: &'a str,
    framework_version: u32,
    standing: String,
    rated: String,
    rule: RuleView,
    carried: Option<CarriedView>,
    tabs: Vec<LevelTab>,
    panels: Vec<LevelPanel<'a>>,
    action: String,
    submit_action: String,
    marks_url: String,
    as_of_input: &'a str,
    as_of_error: Option<String>,
    top_error: Option<ErrorView>,
    markdown: String,
    json: String,
    has_examples: bool,
}

struct CarriedView {
    from_version: u32,
    new_or_changed: Vec<CarriedLine>,
}

struct CarriedLine {
    href: String,
    text: String,
}

struct LevelTab {
    level: u32,
    label: String,
    href: String,
    selected: bool,
    rated: String,
}

struct LevelPanel<'a> {
    level: u32,
    label: String,
    selected: bool,
    topics: Vec<TopicGroup<'a>>,
}

struct TopicGroup<'a> {
    key: &'a str,
    title: &'a str,
    behaviours: Vec<BehaviourView<'a>>,
}

struct BehaviourView<'a> {
    id: &'a str,
    dom: String,
    html: String,
    examples: Vec<String>,
    new_or_changed: bool,
    rating_label: &'static str,
    rating_class: &'static str,
    radios: Vec<RadioView>,
    note: &'a str,
    links_text: &'a str,
    links: Vec<&'a str>,
    error: Option<String>,
    error_field: String,
}

struct RadioView {
    value: &'static str,
    label: &'static str,
    checked: bool,
}

/// A criterion id made safe for an HTML id (it already is for the bundled
/// frameworks; encoding keeps any other id from breaking the attribute).
fn dom_id(criterion_id: &str) -> String {
    format!("b-{}", encode_component(criterion_id).replace('%', "_"))
}

fn radios(rating: Option<Rating>) -> Vec<RadioView> {
    let mut out = vec![RadioView {
        value: "",
        label: "Not rated",
        checked: rating.is_none(),
    }];
    out.extend(Rating::ALL.iter().map(|r| RadioView {
        value: r.as_str(),
        label: r.label(),
        checked: rating == Some(*r),
    }));
    out
}

/// The assessment editor for its assessor's draft, or the read-only view.
pub fn assessment(page: &Page, view: &AssessmentView) -> String {
    let framework = view.framework;
    let levels: Vec<u32> = framework
        .level_numbers()
        .into_iter()
        .filter(|number| framework.criteria().any(|(_, level, _)| level == *number))
        .collect();
    let selected = view
        .level
        .filter(|level| levels.contains(level))
        .or_else(|| levels.first().copied());
    let editor = assessment_href(view.person_id, view.assessment_id);
    let empty = MarkValue::default();
    let error_for = |field: &str| {
        view.error
            .filter(|e| e.field == field)
            .map(|e| e.message.clone())
    };
    let mut behaviour_fields: HashSet<String> = HashSet::new();
    let tabs = levels
        .iter()
        .map(|&level| {
            let (total, rated) = framework.criteria().filter(|(_, l, _)| *l == level).fold(
                (0u32, 0u32),
                |(total, rated), (_, _, c)| {
                    let is_rated = view.values.get(&c.id).is_some_and(|v| v.rating.is_some());
                    (total + 1, rated + u32::from(is_rated))
                },
            );
            LevelTab {
                level,
                label: framework.level_label(level),
                href: format!("{editor}?level={level}#level-{level}"),
                selected: Some(level) == selected,
                rated: format!("{rated}/{total}"),
            }
        })
        .collect();
    let panels = levels
        .iter()
        .map(|&level| LevelPanel {
            level,
            label: framework.level_label(level),
            selected: Some(level) == selected,
            topics: framework
                .topics
                .iter()
                .filter_map(|topic| {
                    let criteria = topic
                        .levels
                        .iter()
                        .find(|l| l.number == level)
                        .map(|l| &l.criteria)
                        .filter(|c| !c.is_empty())?;
                    Some(TopicGroup {
                        key: &topic.key,
                        title: &topic.title,
                        behaviours: criteria
                            .iter()
                            .map(|c| {
                                let value = view.values.get(&c.id).unwrap_or(&empty);
                                let mut error = None;
                                let mut error_field = String::new();
                                for name in ["rating", "note", "links"] {
                                    let field = format!("{name}.{}", c.id);
                                    if let Some(message) = error_for(&field) {
                                        error = Some(message);
                                        error_field = field.clone();
                                    }
                                    behaviour_fields.insert(field);
                                }
                                BehaviourView {
                                    id: &c.id,
                                    dom: dom_id(&c.id),
                                    html: render_inline(&c.text),
                                    examples: c.examples.iter().map(|e| render_inline(e)).collect(),
                                    new_or_changed: view.new_or_changed.contains(&c.id),
                                    rating_label: value.rating.map_or("Not rated", Rating::label),
                                    rating_class: rating_class(value.rating),
                                    radios: radios(value.rating),
                                    note: &value.note,
                                    links_text: &value.links,
                                    links: value
                                        .links
                                        .lines()
                                        .map(str::trim)
                                        .filter(|l| !l.is_empty())
                                        .collect(),
                                    error,
                                    error_field,
                                }
                            })
                            .collect(),
                    })
                })
                .collect(),
        })
        .collect();
    let top_error = view
        .error
        .filter(|e| e.field != "as_of" && !behaviour_fields.contains(&e.field))
        .map(ErrorView::from);
    let carried = view.carried_from_version.map(|from_version| CarriedView {
        from_version,
        new_or_changed: framework
            .criteria()
            .filter(|(_, _, c)| view.new_or_changed.contains(&c.id))
            .map(|(topic, level, c)| CarriedLine {
                href: format!("{editor}?level={level}#{}", dom_id(&c.id)),
                text: format!(
                    "{} · {}: {}",
                    framework.level_label(level),
                    topic.title,
                    c.text
                ),
            })
            .collect(),
    });
    render(&AssessmentTemplate {
        layout: Layout::new(page),
        person_href: person_href(view.person_id),
        email: view.person_email,
        kind: view.kind.label(),
        assessor: view.assessor,
        status: match (view.submitted, view.as_of) {
            (true, Some(date)) => format!("Submitted as of {date}"),
            (true, None) => "Submitted".to_string(),
            (false, _) => "Draft".to_string(),
        },
        editable: view.editable,
        framework_title: &framework.title,
        framework_version: view.framework_version,
        standing: view.progress.headline(framework),
        rated: format!(
            "{} of {} behaviours rated",
            view.progress.rated, view.progress.behaviours
        ),
        rule: rule(framework, view.progress.threshold_bp),
        carried,
        tabs,
        panels,
        submit_action: format!("{editor}/submit"),
        marks_url: format!(
            "/api/v1/people/{}/assessments/{}/marks",
            encode_component(view.person_id),
            encode_component(view.assessment_id)
        ),
        action: editor,
        as_of_input: view.as_of_input,
        as_of_error: error_for("as_of"),
        top_error,
        markdown: export_href(view.person_id, view.assessment_id, "markdown"),
        json: export_href(view.person_id, view.assessment_id, "json"),
        has_examples: framework.criteria().any(|(_, _, c)| !c.examples.is_empty()),
    })
}
