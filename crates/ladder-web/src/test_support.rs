//! Test helpers shared by the features' tests: the bundled frameworks, a
//! sidebar and page frame built from them, and ways to find things in HTML.

use ladder_core::Framework;

use crate::view::{NavItem, Page, UserBadge};

pub(crate) fn bundled(file_name: &str) -> Framework {
    let bundled = ladder_formats::bundled::FRAMEWORKS
        .iter()
        .find(|f| f.file_name == file_name)
        .unwrap();
    ladder_formats::parse(bundled.file_name, bundled.text.as_bytes())
        .framework
        .unwrap()
}

pub(crate) fn nav() -> Vec<NavItem> {
    ["backend.md", "generic.md", "frontend.md"]
        .iter()
        .map(|f| {
            let framework = bundled(f);
            NavItem {
                slug: framework.slug.clone(),
                title: framework
                    .sidebar_title
                    .clone()
                    .unwrap_or(framework.title.clone()),
                group: framework.group.clone(),
            }
        })
        .chain([NavItem {
            slug: "loose".into(),
            title: "Loose <one>".into(),
            group: None,
        }])
        .collect()
}

pub(crate) fn page<'a>(nav: &'a [NavItem], user: Option<&'a UserBadge>) -> Page<'a> {
    Page {
        title: "Test page",
        nav,
        user,
        csrf: Some("tok\"en"),
        flash: None,
        current_slug: Some("engineering-frontend"),
    }
}

/// The opening tag of the first element whose opening tag contains `needle`.
pub(crate) fn tag_with<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in page"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

pub(crate) fn count(html: &str, needle: &str) -> usize {
    html.matches(needle).count()
}

/// The text between `start` and the next `</{element}>` (no nesting of it).
pub(crate) fn element<'a>(html: &'a str, start: &str, element: &str) -> &'a str {
    let at = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in page"));
    let close = format!("</{element}>");
    let end = at + html[at..].find(&close).unwrap();
    &html[at..end]
}
