use askama::Template;

use crate::format::job_spec_href;
use crate::view::{render, Layout, Page};

/// One alternative wording offered for a slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlternativeRow {
    pub text: String,
    /// "Distributed systems" — the competency it probes, when it has one.
    pub competency: Option<String>,
}

#[derive(Template)]
#[template(path = "jobspecs/alternatives.html")]
struct AlternativesTemplate<'a> {
    layout: Layout<'a>,
    title: &'a str,
    spec_href: String,
    edit_href: String,
    noun: &'a str,
    current: &'a str,
    choose_action: String,
    rows: &'a [AlternativeRow],
}

/// Other wordings for one item of a round, each with a button that puts it
/// in the item's place; when there are none, what to do instead.
#[allow(clippy::too_many_arguments)]
pub fn job_spec_alternatives(
    page: &Page,
    id: &str,
    title: &str,
    round: u32,
    item_id: &str,
    current: &str,
    rows: &[AlternativeRow],
) -> String {
    let spec_href = job_spec_href(id);
    let round_href = format!("{spec_href}/rounds/{round}");
    render(&AlternativesTemplate {
        layout: Layout::new(page),
        title,
        edit_href: format!("{spec_href}?version=draft#round{round}"),
        spec_href,
        noun: if round == 1 { "question" } else { "prompt" },
        current,
        choose_action: format!("{round_href}/items/{item_id}/choose"),
        rows,
    })
}
