//! The shared page frame (header, sidebar, footer) and small formatting helpers.
//!
//! Templates only print: every decision (which tab is selected, what a link
//! points at, what a heading says) is made here in Rust, where it is typed and
//! tested, instead of in template logic.

use ladder_core::text::title_case;

use crate::{NavItem, Page, UserBadge};

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
    pub href: String,
    pub title: &'a str,
    pub current: bool,
}

impl<'a> Layout<'a> {
    pub fn new(page: &Page<'a>) -> Layout<'a> {
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

/// "hiring_manager" -> "Hiring Manager".
pub(crate) fn role_label(role: &str) -> String {
    title_case(role)
}

pub(crate) fn framework_href(slug: &str) -> String {
    format!("/frameworks/{}", encode_component(slug))
}

pub(crate) fn criterion_href(slug: &str, level: u32, criterion_id: &str) -> String {
    format!(
        "{}?level={level}#{}",
        framework_href(slug),
        encode_component(criterion_id)
    )
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so a slug, id
/// or fragment can never break out of its place in a URL. Slugs and criterion ids
/// are normally unreserved already and pass through unchanged.
pub(crate) fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// "A–D" for a run of consecutive letters, "A, C, F" otherwise.
pub(crate) fn sublevel_range(letters: &[String]) -> Option<String> {
    let first = letters.first()?;
    let last = letters.last()?;
    let single_chars: Option<Vec<char>> = letters
        .iter()
        .map(|l| {
            let mut chars = l.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Some(c),
                _ => None,
            }
        })
        .collect();
    let consecutive = single_chars.is_some_and(|chars| {
        chars.len() > 2
            && chars
                .windows(2)
                .all(|pair| u32::from(pair[1]) == u32::from(pair[0]) + 1)
    });
    Some(if consecutive {
        format!("{first}–{last}")
    } else {
        letters.join(", ")
    })
}

pub(crate) fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn urls_are_encoded() {
        assert_eq!(
            framework_href("engineering-backend"),
            "/frameworks/engineering-backend"
        );
        assert_eq!(framework_href("a/b c"), "/frameworks/a%2Fb%20c");
        assert_eq!(
            criterion_href("x", 3, "mastery.l3.0a1b2c3d4e"),
            "/frameworks/x?level=3#mastery.l3.0a1b2c3d4e"
        );
    }

    #[test]
    fn sublevel_ranges() {
        let letters = |s: &[&str]| s.iter().map(|l| l.to_string()).collect::<Vec<_>>();
        assert_eq!(
            sublevel_range(&letters(&["A", "B", "C", "D"])).as_deref(),
            Some("A–D")
        );
        assert_eq!(
            sublevel_range(&letters(&["A", "C"])).as_deref(),
            Some("A, C")
        );
        assert_eq!(
            sublevel_range(&letters(&["A", "B"])).as_deref(),
            Some("A, B")
        );
        assert_eq!(sublevel_range(&[]), None);
    }
}
