use askama::Template;
use ladder_core::compare::Comparison;
use ladder_core::Framework;

use crate::format::{criterion_href, framework_href, plural};
use crate::markdown::inline;
use crate::view::{render, Layout, Page};

#[derive(Template)]
#[template(path = "frameworks/compare.html")]
struct CompareTemplate<'a> {
    layout: Layout<'a>,
    framework_title: &'a str,
    framework_href: String,
    heading: String,
    summary: String,
    swap_href: String,
    form: CompareForm,
    topics: Vec<CompareTopic<'a>>,
}

struct CompareTopic<'a> {
    key: &'a str,
    title: &'a str,
    count: String,
    empty: String,
    groups: Vec<AddedGroup>,
}

struct AddedGroup {
    label: String,
    items: Vec<AddedItem>,
}

struct AddedItem {
    href: String,
    html: String,
    examples: usize,
}

/// What each topic adds between two levels (from [`ladder_core::compare::compare`]).
pub fn compare(page: &Page, framework: &Framework, comparison: &Comparison) -> String {
    let slug = framework.slug.as_str();
    let (lo, hi) = if comparison.from <= comparison.to {
        (&comparison.from_label, &comparison.to_label)
    } else {
        (&comparison.to_label, &comparison.from_label)
    };
    let total: usize = comparison.topics.iter().map(|t| t.added.len()).sum();
    let summary = if comparison.from <= comparison.to {
        format!(
            "Going from {lo} to {hi} adds {} across {}.",
            plural(total, "behaviour", "behaviours"),
            plural(comparison.topics.len(), "topic", "topics")
        )
    } else {
        format!(
            "{hi} asks for {} that {lo} does not, across {}.",
            plural(total, "behaviour", "behaviours"),
            plural(comparison.topics.len(), "topic", "topics")
        )
    };

    let topics = comparison
        .topics
        .iter()
        .map(|topic| {
            let mut groups: Vec<(u32, AddedGroup)> = Vec::new();
            for added in &topic.added {
                let item = AddedItem {
                    href: criterion_href(slug, added.level, &added.criterion.id),
                    html: inline(&added.criterion.text, false, &[]),
                    examples: added.criterion.examples.len(),
                };
                match groups.last_mut() {
                    Some((level, group)) if *level == added.level => group.items.push(item),
                    _ => groups.push((
                        added.level,
                        AddedGroup {
                            label: framework.level_label(added.level),
                            items: vec![item],
                        },
                    )),
                }
            }
            CompareTopic {
                key: &topic.key,
                title: &topic.title,
                count: plural(topic.added.len(), "behaviour", "behaviours"),
                empty: format!("Nothing added between {lo} and {hi}."),
                groups: groups.into_iter().map(|(_, group)| group).collect(),
            }
        })
        .collect();

    let levels = framework.level_numbers();
    let form = compare_form(framework, &levels, comparison.from, comparison.to);
    render(&CompareTemplate {
        layout: Layout::new(page),
        framework_title: &framework.title,
        framework_href: framework_href(slug),
        heading: format!("{} → {}", comparison.from_label, comparison.to_label),
        summary,
        swap_href: format!(
            "{}?from={}&to={}",
            form.action, comparison.to, comparison.from
        ),
        form,
        topics,
    })
}

/// The "compare two levels" form, on the framework page and the compare page.
pub(super) struct CompareForm {
    pub(super) action: String,
    pub(super) from: Vec<LevelOption>,
    pub(super) to: Vec<LevelOption>,
}

pub(super) struct LevelOption {
    pub(super) level: u32,
    pub(super) label: String,
    pub(super) selected: bool,
}

pub(super) fn compare_form(
    framework: &Framework,
    levels: &[u32],
    from: u32,
    to: u32,
) -> CompareForm {
    let options = |chosen: u32| {
        levels
            .iter()
            .map(|&n| LevelOption {
                level: n,
                label: framework.level_label(n),
                selected: n == chosen,
            })
            .collect()
    };
    CompareForm {
        action: format!("{}/compare", framework_href(&framework.slug)),
        from: options(from),
        to: options(to),
    }
}
