//! Ladder's server-rendered web pages.
//!
//! Pure rendering: every function takes plain values and returns a complete HTML
//! document, so the HTTP server decides what to show and this crate only decides
//! how. Pages work without JavaScript; `app.js` only makes them quicker to use.
//!
//! Everything that came from a framework file or a user is escaped by the
//! templates, and Markdown goes through [`render_markdown`]/[`render_inline`],
//! which never let markup or script URLs through.

mod candidate;
pub use candidate::*;
mod interviews;
mod jobspecs;
pub use interviews::*;
mod markdown;
mod pages;
mod people;
mod view;

pub use people::*;

pub use markdown::{render_inline, render_markdown};

/// The stylesheet, served by the host at `/static/app.css` (the progression
/// pages' rules live in their own file).
pub const CSS: &str = concat!(
    include_str!("../static/app.css"),
    "\n",
    include_str!("../static/people.css")
);
/// The progressive-enhancement script, served by the host at `/static/app.js`
/// (the assessment editor's saving lives in its own file).
pub const JS: &str = concat!(
    include_str!("../static/app.js"),
    "\n",
    include_str!("../static/people.js")
);

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

/// Another framework that has a topic with the same key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedTopic {
    pub topic_key: String,
    pub framework_slug: String,
    pub framework_title: String,
}

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub role: String,
    pub disabled: bool,
    /// Already formatted for display.
    pub created: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRow {
    pub version: u32,
    /// Already formatted for display.
    pub created: String,
    pub source_file: Option<String>,
    pub current: bool,
}

pub use jobspecs::*;
pub use pages::{
    change_password, compare, framework, home, login, message, search, users, users_with_settings,
    ProgressionSettings,
};

#[cfg(test)]
mod tests;
