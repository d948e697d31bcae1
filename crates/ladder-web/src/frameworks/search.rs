use askama::Template;

use crate::format::{criterion_href, plural};
use crate::markdown::inline;
use crate::view::{render, Layout, Page};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHitView {
    pub slug: String,
    pub framework_title: String,
    pub criterion_id: String,
    pub topic_title: String,
    pub level: u32,
    pub level_label: String,
    /// The behaviour's text (inline Markdown).
    pub text: String,
    /// Its examples, one per line; one that holds a searched word is shown
    /// when the text itself does not, so a hit says why it matched.
    pub examples: String,
}

#[derive(Template)]
#[template(path = "frameworks/search.html")]
struct SearchTemplate<'a> {
    layout: Layout<'a>,
    query: &'a str,
    summary: String,
    hits: Vec<HitView<'a>>,
}

struct HitView<'a> {
    href: String,
    framework_title: &'a str,
    level_label: &'a str,
    topic_title: &'a str,
    html: String,
    /// The example the search matched, highlighted, when the text did not.
    example_html: Option<String>,
}

/// The first example holding a searched word, when the behaviour's own
/// text holds none (words match as prefixes, like the search).
fn matched_example<'a>(hit: &'a SearchHitView, terms: &[String]) -> Option<&'a str> {
    let holds = |text: &str| {
        let text = text.to_lowercase();
        terms.iter().any(|term| {
            let term = term.to_lowercase();
            text.split(|c: char| !(c.is_alphanumeric() || matches!(c, '#' | '+' | '.')))
                .any(|word| word.starts_with(term.trim_matches(|c: char| !c.is_alphanumeric())))
        })
    };
    if holds(&hit.text) {
        return None;
    }
    hit.examples
        .lines()
        .map(str::trim)
        .find(|example| !example.is_empty() && holds(example))
}

/// Search results; `query` as typed (shown back in the boxes).
pub fn search(page: &Page, query: &str, hits: &[SearchHitView]) -> String {
    let trimmed = query.trim();
    let terms: Vec<String> = trimmed
        .split_whitespace()
        .filter(|term| term.chars().count() >= 2)
        .map(str::to_string)
        .collect();
    let summary = if trimmed.is_empty() {
        "Type a word or phrase to search the behaviours of every framework.".to_string()
    } else if hits.is_empty() {
        format!("No behaviours match “{trimmed}”.")
    } else {
        format!(
            "{} {} “{trimmed}”.",
            plural(hits.len(), "behaviour", "behaviours"),
            if hits.len() == 1 { "matches" } else { "match" }
        )
    };
    let hits = hits
        .iter()
        .map(|hit| HitView {
            href: criterion_href(&hit.slug, hit.level, &hit.criterion_id),
            framework_title: &hit.framework_title,
            level_label: &hit.level_label,
            topic_title: &hit.topic_title,
            html: inline(&hit.text, false, &terms),
            example_html: matched_example(hit, &terms)
                .map(|example| inline(example, false, &terms)),
        })
        .collect();
    let mut layout = Layout::new(page);
    layout.query = query;
    render(&SearchTemplate {
        layout,
        query,
        summary,
        hits,
    })
}
