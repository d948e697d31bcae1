use askama::Template;

use crate::view::{render, Layout, NavGroup, Page};

#[derive(Template)]
#[template(path = "frameworks/home.html")]
struct HomeTemplate<'a> {
    layout: Layout<'a>,
    groups: Vec<NavGroup<'a>>,
}

/// The list of frameworks, grouped as in the sidebar.
pub fn home(page: &Page) -> String {
    let layout = Layout::new(page);
    // The home list never highlights one framework, whatever the host passes.
    let groups = Layout::new(&Page {
        current_slug: None,
        ..*page
    })
    .groups;
    render(&HomeTemplate { layout, groups })
}
