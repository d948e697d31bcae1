//! Progression pages (PRODUCT.md §4): the people list with the placement
//! form, a person's progress (standing, target, per-topic table, skill wheel,
//! timeline, missing behaviours, disagreements, history, assessments) and the
//! assessment editor.
//!
//! As elsewhere in this crate, the host hands over plain values (the
//! framework model, the computed `Progress`) and decisions are made here in
//! Rust; templates only print. Nothing here recomputes a level: standings,
//! shares and missing behaviours come from `ladder_core::progression`. The
//! two charts (skill wheel, timeline) are geometry from `crate::charts`.

use std::collections::{HashMap, HashSet};

use askama::Template;
use ladder_core::progression::{
    percent_text, AssessmentKind, Disagreement, Progress, Rating, VersionChanges,
};
use ladder_core::Framework;

use crate::charts::{skill_wheel, timeline_chart, TimelineChart, TimelineEntry, WheelChart};
use crate::format::encode_component;
use crate::forms::FieldError;
use crate::markdown::render_inline;
use crate::view::{render, Layout, Page};

// ====================================================================== inputs

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

/// The current placement as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementSummary {
    pub framework_slug: String,
    pub framework_title: String,
    /// "Level 3B".
    pub placed_at: String,
    /// "Level 4".
    pub target: String,
    pub manager: Option<String>,
    pub note: String,
    /// Already formatted.
    pub since: String,
}

/// One placement of a person's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementRow {
    /// Already formatted.
    pub date: String,
    pub framework: String,
    pub placed_at: String,
    pub target: String,
    pub manager: String,
    pub by: String,
    pub note: String,
}

/// One assessment in a person's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentRow {
    pub id: String,
    pub kind: AssessmentKind,
    pub assessor: String,
    pub submitted: bool,
    pub as_of: Option<String>,
    pub rated: u32,
    pub framework_version: u32,
    /// The viewer's own draft: the link says "Continue".
    pub own_draft: bool,
}

/// The framework changed since the latest submitted assessment.
#[derive(Debug, Clone, Copy)]
pub struct ChangeNotice<'a> {
    pub from_version: u32,
    pub to_version: u32,
    pub changes: &'a VersionChanges,
}

/// Everything computed about where a placed person stands.
#[derive(Debug, Clone, Copy)]
pub struct ProgressSection<'a> {
    /// The current version of the framework the person is placed on.
    pub framework: &'a Framework,
    pub framework_version: u32,
    pub target_level: u32,
    /// Which assessment the headline comes from; `None` before any.
    pub source: Option<AssessmentKind>,
    /// The as-of date of that assessment.
    pub source_as_of: Option<&'a str>,
    /// The headline's progress (the source's).
    pub progress: Option<&'a Progress>,
    pub self_progress: Option<&'a Progress>,
    pub manager_progress: Option<&'a Progress>,
    pub threshold_bp: u32,
    pub disagreements: &'a [Disagreement],
    pub changes: Option<ChangeNotice<'a>>,
    pub timeline: &'a [TimelineEntry],
}

/// Buttons to start (or continue) an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartButton {
    pub kind: AssessmentKind,
    /// The viewer already has a draft of this kind: the button continues it.
    pub has_draft: bool,
}

/// A person's page.
#[derive(Debug, Clone, Copy)]
pub struct PersonView<'a> {
    pub id: &'a str,
    pub email: &'a str,
    /// "This is you", "Your report", "Admin view".
    pub relation: &'a str,
    pub placement: Option<&'a PlacementSummary>,
    pub progress: Option<ProgressSection<'a>>,
    pub placements: &'a [PlacementRow],
    pub assessments: &'a [AssessmentRow],
    pub start: &'a [StartButton],
    pub place_form: Option<PlaceForm<'a>>,
}

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

// ====================================================================== links

fn person_href(id: &str) -> String {
    format!("/people/{}", encode_component(id))
}

fn assessment_href(person_id: &str, assessment_id: &str) -> String {
    format!(
        "{}/assessments/{}",
        person_href(person_id),
        encode_component(assessment_id)
    )
}

fn export_href(person_id: &str, assessment_id: &str, format: &str) -> String {
    format!(
        "/api/v1/people/{}/assessments/{}/export?format={format}",
        encode_component(person_id),
        encode_component(assessment_id)
    )
}

/// A criterion id made safe for an HTML id (it already is for the bundled
/// frameworks; encoding keeps any other id from breaking the attribute).
fn dom_id(criterion_id: &str) -> String {
    format!("b-{}", encode_component(criterion_id).replace('%', "_"))
}

fn rating_class(rating: Option<Rating>) -> &'static str {
    match rating {
        None => "unrated",
        Some(rating) => rating.as_str(),
    }
}

// ====================================================================== the rule

/// "A: under 25% · B: from 25% · C: from 50% · D: from 75%".
pub fn sublevel_bands(letters: &[String]) -> Option<String> {
    if letters.is_empty() {
        return None;
    }
    let k = letters.len() as u64;
    let bound = |i: u64| {
        if (i * 10_000).is_multiple_of(k) {
            percent_text(i * 10_000 / k)
        } else {
            format!("{i}/{k}")
        }
    };
    let parts: Vec<String> = letters
        .iter()
        .enumerate()
        .map(|(i, letter)| {
            let i = i as u64;
            if i == 0 {
                if k == 1 {
                    format!("{letter}: any share")
                } else {
                    format!("{letter}: under {}", bound(1))
                }
            } else {
                format!("{letter}: from {}", bound(i))
            }
        })
        .collect();
    Some(parts.join(" · "))
}

/// The rule as the page states it.
struct RuleView {
    threshold: String,
    bands: Option<String>,
}

fn rule(framework: &Framework, threshold_bp: u32) -> RuleView {
    RuleView {
        threshold: percent_text(u64::from(threshold_bp)),
        bands: framework.sublevels.as_deref().and_then(sublevel_bands),
    }
}

// ====================================================================== place form

struct PlaceFormView<'a> {
    heading: &'a str,
    action: &'a str,
    people: Option<Vec<OptionView>>,
    frameworks: Vec<OptionView>,
    sublevels: Vec<OptionView>,
    hints: Vec<String>,
    managers: Option<Vec<OptionView>>,
    input: &'a PlaceInput,
    top_error: Option<ErrorView>,
    person_error: Option<String>,
    framework_error: Option<String>,
    level_error: Option<String>,
    sublevel_error: Option<String>,
    target_error: Option<String>,
    manager_error: Option<String>,
    note_error: Option<String>,
}

struct OptionView {
    value: String,
    label: String,
    selected: bool,
}

struct ErrorView {
    field: String,
    message: String,
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

fn place_form_view<'a>(form: &PlaceForm<'a>) -> PlaceFormView<'a> {
    let at = |field: &str| {
        form.error
            .filter(|e| e.field == field)
            .map(|e| e.message.clone())
    };
    // Every framework's letters, in first-seen order.
    let mut letters: Vec<String> = Vec::new();
    for framework in form.frameworks {
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
            .map(|f| OptionView {
                value: f.slug.clone(),
                label: f.title.clone(),
                selected: f.slug == form.input.framework,
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
            .map(|e| ErrorView {
                field: e.field.clone(),
                message: e.message.clone(),
            }),
        person_error: at("person"),
        framework_error: at("framework"),
        level_error: at("level"),
        sublevel_error: at("sublevel"),
        target_error: at("target_level"),
        manager_error: at("manager_id"),
        note_error: at("note"),
    }
}

// ====================================================================== people list

#[derive(Template)]
#[template(path = "people_list.html")]
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

// ====================================================================== person

#[derive(Template)]
#[template(path = "person.html")]
struct PersonTemplate<'a> {
    layout: Layout<'a>,
    email: &'a str,
    relation: &'a str,
    placement: Option<&'a PlacementSummary>,
    framework_href: Option<String>,
    progress: Option<ProgressPanel<'a>>,
    rule: Option<RuleView>,
    placements: &'a [PlacementRow],
    assessments: Vec<AssessmentLine<'a>>,
    start_action: String,
    start: Vec<StartView>,
    form: Option<PlaceFormView<'a>>,
}

struct StartView {
    kind: &'static str,
    label: String,
}

struct AssessmentLine<'a> {
    href: String,
    kind: &'static str,
    assessor: &'a str,
    status: String,
    submitted: bool,
    rated: u32,
    version: u32,
    action: &'static str,
    markdown: String,
    json: String,
}

struct ProgressPanel<'a> {
    headline: Option<String>,
    source: Option<String>,
    target: String,
    target_reached: bool,
    target_bar: Option<TargetBar>,
    missing_count: String,
    topics: Vec<TopicLine>,
    wheel: Option<WheelChart>,
    timeline: Option<TimelineChart>,
    missing: Vec<MissingLine<'a>>,
    disagreements: Vec<DisagreementLine<'a>>,
    has_both: bool,
    changes: Option<ChangesView<'a>>,
}

struct TargetBar {
    value: u32,
    text: String,
    consistently: String,
}

struct TopicLine {
    key: String,
    title: String,
    self_level: String,
    manager_level: String,
    at_target: String,
    met_target: bool,
}

struct MissingLine<'a> {
    topic: &'a str,
    html: String,
    rating: &'static str,
    rating_class: &'static str,
    href: String,
}

struct DisagreementLine<'a> {
    topic: &'a str,
    level: String,
    html: String,
    self_rating: &'static str,
    manager_rating: &'static str,
}

struct ChangesView<'a> {
    from_version: u32,
    to_version: u32,
    new_or_changed: Vec<ChangedLine<'a>>,
    removed: usize,
}

struct ChangedLine<'a> {
    topic: &'a str,
    level: String,
    html: String,
}

fn topic_level_text(framework: &Framework, progress: Option<&Progress>, key: &str) -> String {
    let Some(progress) = progress else {
        return "—".to_string();
    };
    match progress.topics.iter().find(|t| t.topic_key == key) {
        None => "—".to_string(),
        Some(topic) => {
            let met = topic
                .level_reached
                .map(|level| framework.level_label(level))
                .unwrap_or_else(|| "None yet".to_string());
            match topic.next_level {
                Some(next) => format!(
                    "{met} · {} of {}",
                    percent_text(u64::from(topic.next_level_shown_bp)),
                    framework.level_label(next)
                ),
                None => met,
            }
        }
    }
}

fn progress_panel<'a>(section: &ProgressSection<'a>) -> ProgressPanel<'a> {
    let framework = section.framework;
    let target = section.target_level;
    let headline = section.progress.map(|p| p.headline(framework));
    let source = section.source.map(|kind| match section.source_as_of {
        Some(date) => format!("from the {} as of {date}", kind.label().to_lowercase()),
        None => format!("from the {}", kind.label().to_lowercase()),
    });
    let target_level = section
        .progress
        .and_then(|p| p.levels.iter().find(|l| l.level == target));
    let target_bar = target_level.map(|level| {
        let shown = level.tally.shown_basis_points();
        TargetBar {
            value: shown,
            text: format!(
                "{} of {}'s behaviours shown (consistently in full, sometimes half)",
                percent_text(u64::from(shown)),
                framework.level_label(target)
            ),
            consistently: format!(
                "{} of {} shown consistently",
                level.tally.consistently, level.tally.total
            ),
        }
    });
    let missing: Vec<MissingLine<'a>> = section
        .progress
        .map(|p| {
            p.missing_for_target
                .iter()
                .map(|m| MissingLine {
                    topic: &m.topic_title,
                    html: render_inline(&m.text),
                    rating: m.rating.map_or("Not rated", Rating::label),
                    rating_class: rating_class(m.rating),
                    href: format!(
                        "/frameworks/{}?level={}#{}",
                        encode_component(&framework.slug),
                        m.level,
                        encode_component(&m.criterion_id)
                    ),
                })
                .collect()
        })
        .unwrap_or_default();
    let missing_count = match missing.len() {
        0 => "No behaviours missing".to_string(),
        1 => "1 behaviour missing".to_string(),
        n => format!("{n} behaviours missing"),
    };
    let topics = framework
        .topics
        .iter()
        .map(|topic| {
            let at_target = section.progress.and_then(|p| {
                p.levels
                    .iter()
                    .find(|l| l.level == target)
                    .and_then(|l| l.topics.iter().find(|t| t.topic_key == topic.key))
            });
            TopicLine {
                key: topic.key.clone(),
                title: topic.title.clone(),
                self_level: topic_level_text(framework, section.self_progress, &topic.key),
                manager_level: topic_level_text(framework, section.manager_progress, &topic.key),
                at_target: match at_target {
                    None => "Nothing at this level".to_string(),
                    Some(t) if t.met => format!(
                        "Met · {} of {} consistently",
                        t.tally.consistently, t.tally.total
                    ),
                    Some(t) => format!(
                        "{} of {} consistently · {} more needed",
                        t.tally.consistently, t.tally.total, t.still_needed
                    ),
                },
                met_target: at_target.is_none_or(|t| t.met),
            }
        })
        .collect();
    let max_level = framework.level_numbers().into_iter().max().unwrap_or(0);
    let axes: Vec<String> = framework.topics.iter().map(|t| t.title.clone()).collect();
    let wheel_values = |progress: &Progress| -> Vec<u32> {
        framework
            .topics
            .iter()
            .map(|topic| {
                progress
                    .topics
                    .iter()
                    .find(|t| t.topic_key == topic.key)
                    .map_or(0, |t| t.wheel_bp)
            })
            .collect()
    };
    let mut series = Vec::new();
    if let Some(p) = section.self_progress {
        series.push((AssessmentKind::SelfAssessment, wheel_values(p)));
    }
    if let Some(p) = section.manager_progress {
        series.push((AssessmentKind::Manager, wheel_values(p)));
    }
    ProgressPanel {
        headline,
        source,
        target: framework.level_label(target),
        target_reached: section.progress.is_some_and(|p| p.target_reached),
        target_bar,
        missing_count,
        topics,
        wheel: if series.is_empty() {
            None
        } else {
            skill_wheel(&axes, &series, max_level)
        },
        timeline: timeline_chart(section.timeline, max_level),
        missing,
        disagreements: section
            .disagreements
            .iter()
            .map(|d| DisagreementLine {
                topic: &d.topic_title,
                level: framework.level_label(d.level),
                html: render_inline(&d.text),
                self_rating: d.self_rating.label(),
                manager_rating: d.manager_rating.label(),
            })
            .collect(),
        has_both: section.self_progress.is_some() && section.manager_progress.is_some(),
        changes: section.changes.map(|notice| ChangesView {
            from_version: notice.from_version,
            to_version: notice.to_version,
            new_or_changed: notice
                .changes
                .new_or_changed
                .iter()
                .map(|c| ChangedLine {
                    topic: &c.topic_title,
                    level: framework.level_label(c.level),
                    html: render_inline(&c.text),
                })
                .collect(),
            removed: notice.changes.removed.len(),
        }),
    }
}

/// A person's progress page.
pub fn person(page: &Page, view: &PersonView) -> String {
    let href = person_href(view.id);
    render(&PersonTemplate {
        layout: Layout::new(page),
        email: view.email,
        relation: view.relation,
        placement: view.placement,
        framework_href: view
            .placement
            .map(|p| format!("/frameworks/{}", encode_component(&p.framework_slug))),
        progress: view.progress.as_ref().map(progress_panel),
        rule: view
            .progress
            .as_ref()
            .map(|section| rule(section.framework, section.threshold_bp)),
        placements: view.placements,
        assessments: view
            .assessments
            .iter()
            .map(|a| AssessmentLine {
                href: assessment_href(view.id, &a.id),
                kind: a.kind.label(),
                assessor: &a.assessor,
                status: match (&a.as_of, a.submitted) {
                    (Some(date), true) => format!("Submitted as of {date}"),
                    _ => "Draft".to_string(),
                },
                submitted: a.submitted,
                rated: a.rated,
                version: a.framework_version,
                action: if a.own_draft { "Continue" } else { "Open" },
                markdown: export_href(view.id, &a.id, "markdown"),
                json: export_href(view.id, &a.id, "json"),
            })
            .collect(),
        start_action: format!("{href}/assessments"),
        start: view
            .start
            .iter()
            .map(|button| StartView {
                kind: button.kind.as_str(),
                label: match (button.kind, button.has_draft) {
                    (AssessmentKind::SelfAssessment, false) => "Start self-assessment",
                    (AssessmentKind::SelfAssessment, true) => "Continue self-assessment",
                    (AssessmentKind::Manager, false) => "Start manager assessment",
                    (AssessmentKind::Manager, true) => "Continue manager assessment",
                }
                .to_string(),
            })
            .collect(),
        form: view.place_form.as_ref().map(place_form_view),
    })
}

// ====================================================================== editor

#[derive(Template)]
#[template(path = "assessment.html")]
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
        .map(|e| ErrorView {
            field: e.field.clone(),
            message: e.message.clone(),
        });
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

// ====================================================================== tests

#[cfg(test)]
mod tests {
    use super::*;

    use ladder_core::framework::{criterion_id, Criterion, Level, Topic};
    use ladder_core::progression::{compute, disagreements, DEFAULT_THRESHOLD};

    /// Two topics, one with markup in its title, two levels, A–D.
    fn framework() -> Framework {
        let topic = |key: &str, title: &str| Topic {
            key: key.to_string(),
            title: title.to_string(),
            subtitle: None,
            levels: (1..=2)
                .map(|number| Level {
                    number,
                    criteria: (0..2)
                        .map(|i| {
                            let text = format!("{key} does <thing> {i} at {number}");
                            Criterion {
                                id: criterion_id(key, number, &text),
                                text,
                                examples: vec![format!("An example for {key} {i}")],
                            }
                        })
                        .collect(),
                })
                .collect(),
        };
        Framework {
            slug: "test".into(),
            path: None,
            title: "Test".into(),
            sidebar_title: None,
            group: None,
            declared_level_count: Some(2),
            level_prefix: None,
            sublevels: Some(["A", "B", "C", "D"].iter().map(|l| l.to_string()).collect()),
            homepage: None,
            body_markdown: String::new(),
            topics: vec![topic("a", "Alpha <script>x</script>"), topic("b", "Beta")],
            source: None,
            warnings: vec![],
        }
    }

    fn page() -> Page<'static> {
        Page {
            title: "Test",
            nav: &[],
            user: None,
            csrf: Some("token"),
            flash: None,
            current_slug: None,
        }
    }

    #[test]
    fn the_person_page_overlays_both_polygons_and_escapes_topic_titles() {
        let fw = framework();
        let ids: Vec<String> = fw.criteria().map(|(_, _, c)| c.id.clone()).collect();
        let own: HashMap<String, Rating> = ids
            .iter()
            .map(|id| (id.clone(), Rating::Consistently))
            .collect();
        let mut theirs = own.clone();
        theirs.insert(ids[0].clone(), Rating::Sometimes);
        let own_progress = compute(&fw, &own, DEFAULT_THRESHOLD, Some(2));
        let their_progress = compute(&fw, &theirs, DEFAULT_THRESHOLD, Some(2));
        let found = disagreements(&fw, &own, &theirs);
        let timeline = [
            TimelineEntry {
                kind: AssessmentKind::SelfAssessment,
                as_of: "2026-01-01".into(),
                standing: own_progress.headline(&fw),
                position_bp: 20_000,
            },
            TimelineEntry {
                kind: AssessmentKind::Manager,
                as_of: "2026-01-02".into(),
                standing: their_progress.headline(&fw),
                position_bp: 10_000,
            },
        ];
        let html = person(
            &page(),
            &PersonView {
                id: "p1",
                email: "p@example.com",
                relation: "This is you",
                placement: None,
                progress: Some(ProgressSection {
                    framework: &fw,
                    framework_version: 1,
                    target_level: 2,
                    source: Some(AssessmentKind::Manager),
                    source_as_of: Some("2026-01-02"),
                    progress: Some(&their_progress),
                    self_progress: Some(&own_progress),
                    manager_progress: Some(&their_progress),
                    threshold_bp: 8000,
                    disagreements: &found,
                    changes: None,
                    timeline: &timeline,
                }),
                placements: &[],
                assessments: &[],
                start: &[],
                place_form: None,
            },
        );
        let wheel = &html[html.find("<svg class=\"skill-wheel\"").expect("a wheel")..];
        let wheel = &wheel[..wheel.find("</svg>").expect("closed")];
        assert_eq!(wheel.matches("<polygon ").count(), 2);
        assert!(
            !wheel.contains("<script>"),
            "titles are escaped in SVG text"
        );
        assert!(wheel.contains("Alpha &#60;script&#62;"), "{wheel}");
        assert!(!html.contains("does <thing>"), "behaviour text is escaped");
        assert_eq!(html.matches("<tr class=\"disagreement\">").count(), 1);
        // The manager saw one of level 1 only sometimes: topic a misses it.
        assert!(html.contains(&format!(
            "data-standing=\"{}\"",
            their_progress.headline(&fw)
        )));
        assert!(html.contains("A: under 25% · B: from 25%"));
    }

    #[test]
    fn the_editor_is_a_form_for_the_assessor_and_read_only_otherwise() {
        let fw = framework();
        let first = fw
            .criteria()
            .map(|(_, _, c)| c.id.clone())
            .next()
            .expect("one");
        let values = HashMap::from([(
            first.clone(),
            MarkValue {
                rating: Some(Rating::Sometimes),
                note: "Did <it>".into(),
                links: "https://example.com/pr/1".into(),
            },
        )]);
        let ratings = HashMap::from([(first.clone(), Rating::Sometimes)]);
        let progress = compute(&fw, &ratings, DEFAULT_THRESHOLD, Some(2));
        let changed = HashSet::from([first.clone()]);
        let view = |editable: bool| AssessmentView {
            person_id: "p1",
            person_email: "p@example.com",
            assessment_id: "a1",
            kind: AssessmentKind::SelfAssessment,
            assessor: "p@example.com",
            submitted: !editable,
            as_of: (!editable).then_some("2026-01-01"),
            editable,
            framework: &fw,
            framework_version: 2,
            values: &values,
            level: Some(2),
            carried_from_version: Some(1),
            new_or_changed: &changed,
            progress: &progress,
            as_of_input: "2026-01-01",
            error: None,
        };
        let html = assessment(&page(), &view(true));
        assert!(html.contains(&format!(
            "name=\"rating.{first}\" value=\"sometimes\" checked"
        )));
        assert_eq!(
            html.matches("class=\"assessment-form\"").count(),
            2,
            "a form per level"
        );
        assert!(html.contains("action=\"/people/p1/assessments/a1/submit\""));
        assert!(html.contains("data-marks-url=\"/api/v1/people/p1/assessments/a1/marks\""));
        assert!(html.contains("Did &#60;it&#62;"));
        assert!(html.contains("New or changed"));
        assert!(html.contains("carried over"));
        // The level asked for is the open tab.
        assert!(html.contains(
            "id=\"level-2\" data-level=\"2\" role=\"tabpanel\" aria-labelledby=\"tab-2\">"
        ));
        assert!(html.contains("An example for a 0"));
        let read_only = assessment(&page(), &view(false));
        assert!(!read_only.contains("type=\"radio\""));
        assert!(!read_only.contains("assessment-form"));
        assert!(read_only.contains("Submitted as of 2026-01-01"));
        assert!(read_only.contains(
            "<a href=\"https://example.com/pr/1\" rel=\"noopener noreferrer nofollow\">"
        ));
    }

    #[test]
    fn sublevel_bands_follow_the_letters() {
        let letters = |s: &[&str]| s.iter().map(|l| l.to_string()).collect::<Vec<_>>();
        assert_eq!(
            sublevel_bands(&letters(&["A", "B", "C", "D"])).as_deref(),
            Some("A: under 25% · B: from 25% · C: from 50% · D: from 75%")
        );
        assert_eq!(
            sublevel_bands(&letters(&["A", "B", "C"])).as_deref(),
            Some("A: under 1/3 · B: from 1/3 · C: from 2/3")
        );
        assert_eq!(sublevel_bands(&[]), None);
    }
}
