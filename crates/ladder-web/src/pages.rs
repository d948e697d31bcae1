//! One function per page: build the page's view from the host's values, render
//! its template.

use askama::Template;
use ladder_core::compare::Comparison;
use ladder_core::Framework;

use crate::format::{
    criterion_href, encode_component, framework_href, plural, role_label, sublevel_range,
};
use crate::markdown::{inline, render_inline, render_markdown};
use crate::view::{render, Layout, NavGroup, Page};
use crate::{SearchHitView, SharedTopic, UserRow, VersionRow};

// ---------------------------------------------------------------- home

#[derive(Template)]
#[template(path = "home.html")]
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

// ---------------------------------------------------------------- framework

#[derive(Template)]
#[template(path = "framework.html")]
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

struct CompareForm {
    action: String,
    from: Vec<LevelOption>,
    to: Vec<LevelOption>,
}

struct LevelOption {
    level: u32,
    label: String,
    selected: bool,
}

struct VersionView<'a> {
    version: u32,
    href: String,
    created: &'a str,
    source_file: Option<&'a str>,
    current: bool,
    shown: bool,
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
    })
}

fn compare_form(framework: &Framework, levels: &[u32], from: u32, to: u32) -> CompareForm {
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

// ---------------------------------------------------------------- compare

#[derive(Template)]
#[template(path = "compare.html")]
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

// ---------------------------------------------------------------- search

#[derive(Template)]
#[template(path = "search.html")]
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

// ---------------------------------------------------------------- accounts

#[derive(Template)]
#[template(path = "login.html")]
struct LoginTemplate<'a> {
    layout: Layout<'a>,
    error: Option<&'a str>,
    next: &'a str,
    login_csrf: &'a str,
}

/// The login form; `next` is where to go after logging in, `login_csrf` the
/// pre-session CSRF token.
pub fn login(page: &Page, error: Option<&str>, next: &str, login_csrf: &str) -> String {
    render(&LoginTemplate {
        layout: Layout::new(page),
        error,
        next,
        login_csrf,
    })
}

#[derive(Template)]
#[template(path = "change_password.html")]
struct ChangePasswordTemplate<'a> {
    layout: Layout<'a>,
    error: Option<&'a str>,
}

pub fn change_password(page: &Page, error: Option<&str>) -> String {
    render(&ChangePasswordTemplate {
        layout: Layout::new(page),
        error,
    })
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersTemplate<'a> {
    layout: Layout<'a>,
    rows: Vec<UserRowView<'a>>,
    new_user_roles: Vec<RoleOption<'a>>,
    public_browsing: bool,
    progression: &'a ProgressionSettings,
}

/// The progression part of the admin settings form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressionSettings {
    /// As typed, or the current threshold ("80%").
    pub threshold: String,
    /// Why the typed threshold was refused.
    pub error: Option<String>,
}

impl Default for ProgressionSettings {
    fn default() -> ProgressionSettings {
        ProgressionSettings {
            threshold: "80%".to_string(),
            error: None,
        }
    }
}

struct UserRowView<'a> {
    /// For element ids: only characters that are safe in one.
    dom_id: String,
    email: &'a str,
    roles: Vec<RoleOption<'a>>,
    disabled: bool,
    created: &'a str,
    role_action: String,
    disable_action: String,
}

struct RoleOption<'a> {
    value: &'a str,
    label: String,
    selected: bool,
}

/// The admin's user list, add-user form and settings.
pub fn users(page: &Page, users: &[UserRow], roles: &[&str], public_browsing: bool) -> String {
    users_with_settings(
        page,
        users,
        roles,
        public_browsing,
        &ProgressionSettings::default(),
    )
}

/// [`users`] with the progression threshold as stored (or as typed, with its
/// problem).
pub fn users_with_settings(
    page: &Page,
    users: &[UserRow],
    roles: &[&str],
    public_browsing: bool,
    progression: &ProgressionSettings,
) -> String {
    let options = |chosen: &str| -> Vec<RoleOption<'_>> {
        roles
            .iter()
            .map(|&role| RoleOption {
                value: role,
                label: role_label(role),
                selected: role == chosen,
            })
            .collect()
    };
    // Adding someone as an admin by accident is the costly mistake, so the form
    // starts on the least privileged role the host lists.
    let default_role = roles
        .iter()
        .copied()
        .find(|&r| r == "member")
        .or_else(|| roles.last().copied())
        .unwrap_or_default();
    let rows = users
        .iter()
        .map(|user| {
            let id = encode_component(&user.id);
            UserRowView {
                dom_id: id.replace('%', "_"),
                email: &user.email,
                roles: options(&user.role),
                disabled: user.disabled,
                created: &user.created,
                role_action: format!("/admin/users/{id}/role"),
                disable_action: format!("/admin/users/{id}/disable"),
            }
        })
        .collect();
    render(&UsersTemplate {
        layout: Layout::new(page),
        rows,
        new_user_roles: options(default_role),
        public_browsing,
        progression,
    })
}
