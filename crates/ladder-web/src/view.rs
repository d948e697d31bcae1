//! The page frame every page but the candidate's shares (header, sidebar,
//! footer), the values it is drawn from, and the plain message page.
//!
//! Templates only print: every decision (which tab is selected, what a link
//! points at, what a heading says) is made here in Rust, where it is typed and
//! tested, instead of in template logic.

use askama::Template;
use ladder_core::text::title_case;

use crate::format::{framework_href, role_label};
use crate::markdown::escape_html;

/// One framework in the sidebar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavItem {
    pub slug: String,
    /// The framework's sidebar title, or its title when it has none.
    pub title: String,
    /// `None` (or empty) lists it under "Other".
    pub group: Option<String>,
}

/// The logged-in user, shown in the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserBadge {
    pub email: String,
    /// A role name such as "admin" or "hiring_manager"; "admin" adds the Users link.
    pub role: String,
}

/// What every page needs besides its own content.
#[derive(Debug, Clone, Copy)]
pub struct Page<'a> {
    pub title: &'a str,
    pub nav: &'a [NavItem],
    pub user: Option<&'a UserBadge>,
    /// The session's CSRF token, put into every POST form.
    pub csrf: Option<&'a str>,
    /// A one-off notice ("Password changed").
    pub flash: Option<&'a str>,
    /// The framework highlighted in the sidebar.
    pub current_slug: Option<&'a str>,
}

pub(crate) struct Layout<'a> {
    pub title: &'a str,
    pub groups: Vec<NavGroup<'a>>,
    pub user: Option<&'a UserBadge>,
    pub role_label: String,
    pub is_admin: bool,
    /// Admins, hiring managers and interviewers work with job specs.
    pub sees_job_specs: bool,
    pub csrf: &'a str,
    pub flash: Option<&'a str>,
    /// Shown in the header search box.
    pub query: &'a str,
}

pub(crate) struct NavGroup<'a> {
    pub heading: String,
    pub items: Vec<NavLink<'a>>,
}

pub(crate) struct NavLink<'a> {
    pub slug: &'a str,
    pub href: String,
    pub title: &'a str,
    pub current: bool,
}

impl<'a> Layout<'a> {
    pub(crate) fn new(page: &Page<'a>) -> Layout<'a> {
        Layout {
            title: page.title,
            groups: nav_groups(page.nav, page.current_slug),
            user: page.user,
            role_label: page.user.map(|u| role_label(&u.role)).unwrap_or_default(),
            is_admin: page.user.is_some_and(|u| u.role == "admin"),
            sees_job_specs: page.user.is_some_and(|u| {
                matches!(u.role.as_str(), "admin" | "hiring_manager" | "interviewer")
            }),
            csrf: page.csrf.unwrap_or_default(),
            flash: page.flash.filter(|f| !f.trim().is_empty()),
            query: "",
        }
    }
}

/// Groups in the order they first appear (the host orders the nav), "Other" last.
fn nav_groups<'a>(nav: &'a [NavItem], current: Option<&str>) -> Vec<NavGroup<'a>> {
    let mut groups: Vec<NavGroup<'a>> = Vec::new();
    let mut other: Vec<NavLink<'a>> = Vec::new();
    for item in nav {
        let link = NavLink {
            slug: &item.slug,
            href: framework_href(&item.slug),
            title: &item.title,
            current: current == Some(item.slug.as_str()),
        };
        let heading = item
            .group
            .as_deref()
            .map(title_case)
            .filter(|heading| !heading.is_empty());
        match heading {
            None => other.push(link),
            Some(heading) if heading == "Other" => other.push(link),
            Some(heading) => match groups.iter_mut().find(|g| g.heading == heading) {
                Some(group) => group.items.push(link),
                None => groups.push(NavGroup {
                    heading,
                    items: vec![link],
                }),
            },
        }
    }
    if !other.is_empty() {
        groups.push(NavGroup {
            heading: "Other".to_string(),
            items: other,
        });
    }
    groups
}

/// Rendering must not take the server down: a template error (which askama only
/// reports for a failing `Display` impl) becomes a bare, escaped error page.
pub(crate) fn render<T: Template>(template: &T) -> String {
    template.render().unwrap_or_else(|error| {
        format!(
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Error · Ladder</title>\
             <p>This page could not be rendered: {}</p></html>",
            escape_html(&error.to_string())
        )
    })
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessageTemplate<'a> {
    layout: Layout<'a>,
    status_title: &'a str,
    message: &'a str,
}

/// A page that only says something: not found, forbidden, an error.
pub fn message(page: &Page, status_title: &str, message: &str) -> String {
    render(&MessageTemplate {
        layout: Layout::new(page),
        status_title,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{nav, page};

    fn item(slug: &str, group: Option<&str>) -> NavItem {
        NavItem {
            slug: slug.into(),
            title: slug.to_uppercase(),
            group: group.map(str::to_string),
        }
    }

    #[test]
    fn nav_groups_keep_first_appearance_order_and_put_other_last() {
        let nav = [
            item("a", None),
            item("b", Some("engineering")),
            item("c", Some("product_design")),
            item("d", Some("Engineering")),
            item("e", Some("")),
        ];
        let groups = nav_groups(&nav, Some("d"));
        let summary: Vec<(String, Vec<(&str, bool)>)> = groups
            .iter()
            .map(|g| {
                (
                    g.heading.clone(),
                    g.items.iter().map(|l| (l.title, l.current)).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("Engineering".into(), vec![("B", false), ("D", true)]),
                ("Product Design".into(), vec![("C", false)]),
                ("Other".into(), vec![("A", false), ("E", false)]),
            ]
        );
    }

    #[test]
    fn message_page_escapes() {
        let nav = nav();
        let html = message(&page(&nav, None), "Not found", "No framework called <x>.");
        assert!(html.contains("<h1>Not found</h1>"));
        assert!(html.contains("No framework called &#60;x&#62;."));
    }
}
