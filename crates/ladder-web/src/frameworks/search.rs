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
