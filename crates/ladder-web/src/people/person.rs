use askama::Template;
use ladder_core::progression::{
    percent_text, AssessmentKind, Disagreement, Progress, Rating, VersionChanges,
};
use ladder_core::Framework;

use super::place_form::{place_form_view, PlaceForm, PlaceFormView};
use super::rule::{rule, RuleView};
use super::{assessment_href, export_href, person_href, rating_class};
use crate::charts::{skill_wheel, timeline_chart, TimelineChart, TimelineEntry, WheelChart};
use crate::format::{criterion_href, framework_href};
use crate::markdown::render_inline;
use crate::view::{render, Layout, Page};

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

#[derive(Template)]
#[template(path = "people/person.html")]
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
    // Before anything is submitted every behaviour of the target level is
    // still to show: the framework says which, not an empty progress.
    let at_target_level = |topic: &'a ladder_core::framework::Topic| {
        topic
            .levels
            .iter()
            .filter(move |level| level.number == target)
            .flat_map(|level| level.criteria.iter())
    };
    let missing: Vec<MissingLine<'a>> = match section.progress {
        Some(p) => p
            .missing_for_target
            .iter()
            .map(|m| MissingLine {
                topic: &m.topic_title,
                html: render_inline(&m.text),
                rating: m.rating.map_or("Not rated", Rating::label),
                rating_class: rating_class(m.rating),
                href: criterion_href(&framework.slug, m.level, &m.criterion_id),
            })
            .collect(),
        None => framework
            .topics
            .iter()
            .flat_map(|topic| at_target_level(topic).map(move |criterion| (topic, criterion)))
            .map(|(topic, criterion)| MissingLine {
                topic: &topic.title,
                html: render_inline(&criterion.text),
                rating: "Not rated",
                rating_class: rating_class(None),
                href: criterion_href(&framework.slug, target, &criterion.id),
            })
            .collect(),
    };
    let missing_count = match (missing.len(), section.progress.is_some()) {
        (0, _) => "No behaviours missing".to_string(),
        (1, true) => "1 behaviour missing".to_string(),
        (n, true) => format!("{n} behaviours missing"),
        (1, false) => "1 behaviour to assess".to_string(),
        (n, false) => format!("{n} behaviours to assess"),
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
                    None => match at_target_level(topic).count() {
                        0 => "Nothing at this level".to_string(),
                        n => format!("{n} to assess · nothing submitted yet"),
                    },
                    Some(t) if t.met => format!(
                        "Met · {} of {} consistently",
                        t.tally.consistently, t.tally.total
                    ),
                    Some(t) => format!(
                        "{} of {} consistently · {} more needed",
                        t.tally.consistently, t.tally.total, t.still_needed
                    ),
                },
                met_target: match at_target {
                    Some(t) => t.met,
                    None => at_target_level(topic).next().is_none(),
                },
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
        framework_href: view.placement.map(|p| framework_href(&p.framework_slug)),
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
