use askama::Template;

use crate::format::plural;
use crate::moment::Moment;
use crate::view::{render, Layout, Page};

/// What the frameworks home says about each framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkFacts {
    pub slug: String,
    /// The highest level any topic has.
    pub levels: u32,
    pub topics: usize,
    pub behaviours: usize,
    /// When its current version was imported.
    pub updated: Moment,
}

#[derive(Template)]
#[template(path = "frameworks/home.html")]
struct HomeTemplate<'a> {
    layout: Layout<'a>,
    groups: Vec<HomeGroup<'a>>,
}

struct HomeGroup<'a> {
    heading: String,
    cards: Vec<Card<'a>>,
}

struct Card<'a> {
    href: String,
    title: &'a str,
    /// "6 levels · 8 topics · 212 behaviours", when known.
    counts: Option<String>,
    updated: Option<&'a Moment>,
}

/// The frameworks, grouped as in the sidebar, each with its size and when
/// it last changed.
pub fn home(page: &Page, facts: &[FrameworkFacts]) -> String {
    let layout = Layout::new(page);
    // The home list never highlights one framework, whatever the host passes.
    let groups = Layout::new(&Page {
        current_slug: None,
        ..*page
    })
    .groups
    .into_iter()
    .map(|group| HomeGroup {
        heading: group.heading,
        cards: group
            .items
            .into_iter()
            .map(|link| {
                let known = facts.iter().find(|f| f.slug == link.slug);
                Card {
                    href: link.href,
                    title: link.title,
                    counts: known.map(|f| {
                        format!(
                            "{} · {} · {}",
                            plural(usize::try_from(f.levels).unwrap_or(0), "level", "levels"),
                            plural(f.topics, "topic", "topics"),
                            plural(f.behaviours, "behaviour", "behaviours")
                        )
                    }),
                    updated: known.map(|f| &f.updated),
                }
            })
            .collect(),
    })
    .collect();
    render(&HomeTemplate { layout, groups })
}
