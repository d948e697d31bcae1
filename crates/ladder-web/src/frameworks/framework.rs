use crate::moment::Moment;
use askama::Template;
use ladder_core::Framework;

use super::compare::{compare_form, CompareForm};
use crate::format::{encode_component, framework_href, plural, sublevel_range};
use crate::markdown::{render_inline, render_markdown};
use crate::view::{render, Layout, Page};

/// Another framework that has a topic with the same key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedTopic {
    pub topic_key: String,
    pub framework_slug: String,
    pub framework_title: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRow {
    pub version: u32,
    /// Already formatted for display.
    pub created: Moment,
    pub source_file: Option<String>,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "frameworks/framework.html")]
struct FrameworkTemplate<'a> {
    layout: Layout<'a>,
    title: &'a str,
    facts: String,
    sublevels: Option<String>,
    version: u32,
    href: String,
    /// The current version, when an older one is shown.
    newer: Option<u32>,
    tabs: Vec<LevelTab>,
    panels: Vec<LevelPanel<'a>>,
    has_examples: bool,
    compare: Option<CompareForm>,
    about_html: String,
    versions: Vec<VersionView<'a>>,
    /// What the import warned about, for staff (members and visitors see
    /// the framework as it is).
    warnings: Vec<WarningView<'a>>,
}

struct LevelTab {
    level: u32,
    label: String,
    href: String,
    selected: bool,
}

struct LevelPanel<'a> {
    level: u32,
    label: String,
    selected: bool,
    cards: Vec<TopicCard<'a>>,
}

struct TopicCard<'a> {
    key: &'a str,
    title: &'a str,
    subtitle: Option<&'a str>,
    shared: Vec<SharedBadge<'a>>,
    criteria: Vec<CriterionView<'a>>,
}

struct SharedBadge<'a> {
    href: String,
    title: &'a str,
}

struct CriterionView<'a> {
    id: &'a str,
    html: String,
    href: String,
    examples: Vec<String>,
}

struct VersionView<'a> {
    version: u32,
    href: String,
    created: &'a Moment,
    source_file: Option<&'a str>,
    current: bool,
    shown: bool,
}

struct WarningView<'a> {
    /// "line 10", or empty when the warning has no line.
    at: String,
    message: &'a str,
    code: &'a str,
}

/// A framework's levels, topics and behaviours. `level` selects the visible
/// level (the lowest when `None` or not a level of this framework); `version` is
/// the version being shown, `versions` all of them.
pub fn framework(
    page: &Page,
    framework: &Framework,
    version: u32,
    level: Option<u32>,
    shared: &[SharedTopic],
    versions: &[VersionRow],
) -> String {
    let levels = framework.level_numbers();
    let selected = level
        .filter(|l| levels.contains(l))
        .or_else(|| levels.first().copied())
        .unwrap_or(0);
    let slug = framework.slug.as_str();
    let base = framework_href(slug);
    let current_version = versions.iter().find(|v| v.current).map(|v| v.version);
    let newer = current_version.filter(|&current| current != version);
    // Tabs of an older version must stay on that version.
    let version_query = if newer.is_some() {
        format!("&version={version}")
    } else {
        String::new()
    };

    let tabs = levels
        .iter()
        .map(|&n| LevelTab {
            level: n,
            label: framework.level_label(n),
            href: format!("{base}?level={n}{version_query}"),
            selected: n == selected,
        })
        .collect();

    let panels = levels
        .iter()
        .map(|&n| LevelPanel {
            level: n,
            label: framework.level_label(n),
            selected: n == selected,
            cards: framework
                .topics
                .iter()
                .map(|topic| TopicCard {
                    key: &topic.key,
                    title: &topic.title,
                    subtitle: topic.subtitle.as_deref().filter(|s| !s.trim().is_empty()),
                    shared: shared
                        .iter()
                        .filter(|s| s.topic_key == topic.key && s.framework_slug != slug)
                        .map(|s| SharedBadge {
                            href: framework_href(&s.framework_slug),
                            title: &s.framework_title,
                        })
                        .collect(),
                    criteria: topic
                        .levels
                        .iter()
                        .filter(|l| l.number == n)
                        .flat_map(|l| l.criteria.iter())
                        .map(|c| CriterionView {
                            id: &c.id,
                            html: render_inline(&c.text),
                            href: format!(
                                "{base}?level={n}{version_query}#{}",
                                encode_component(&c.id)
                            ),
                            examples: c.examples.iter().map(|e| render_inline(e)).collect(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();

    let facts = [
        plural(levels.len(), "level", "levels"),
        plural(framework.topics.len(), "topic", "topics"),
        plural(framework.criterion_count(), "behaviour", "behaviours"),
        plural(framework.example_count(), "example", "examples"),
    ]
    .join(" · ");

    // Default pair: the selected level and the one above it (or below, at the top).
    let compare = (levels.len() >= 2).then(|| {
        let index = levels.iter().position(|&l| l == selected).unwrap_or(0);
        let (from, to) = if index + 1 < levels.len() {
            (levels[index], levels[index + 1])
        } else {
            (levels[index - 1], levels[index])
        };
        compare_form(framework, &levels, from, to)
    });

    let versions = versions
        .iter()
        .map(|v| VersionView {
            version: v.version,
            href: if v.current {
                base.clone()
            } else {
                format!("{base}?version={}", v.version)
            },
            created: &v.created,
            source_file: v.source_file.as_deref(),
            current: v.current,
            shown: v.version == version,
        })
        .collect();

    render(&FrameworkTemplate {
        layout: Layout::new(page),
        title: &framework.title,
        href: base.clone(),
        facts,
        sublevels: framework
            .sublevels
            .as_deref()
            .and_then(sublevel_range)
            .map(|range| format!("Sub-levels {range} within each level")),
        version,
        newer,
        tabs,
        panels,
        has_examples: framework.example_count() > 0,
        compare,
        about_html: if framework.body_markdown.trim().is_empty() {
            String::new()
        } else {
            render_markdown(&framework.body_markdown)
        },
        versions,
        warnings: if page.user.is_some_and(|user| user.role != "member") {
            framework
                .warnings
                .iter()
                .map(|warning| WarningView {
                    at: warning
                        .line
                        .map(|line| format!("line {line}"))
                        .unwrap_or_default(),
                    message: &warning.message,
                    code: &warning.code,
                })
                .collect()
        } else {
            Vec::new()
        },
    })
}
