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
mod charts;
mod format;
mod forms;
mod interviews;
mod jobspecs;
pub use interviews::*;
mod markdown;
mod pages;
mod people;
mod view;

pub use charts::{
    skill_wheel, timeline_chart, wheel_value_text, DateLabel, Dot, GridLine, TimelineChart,
    TimelineEntry, TimelineSeries, WheelAxis, WheelChart, WheelPolygon, WheelRing,
};
pub use forms::FieldError;
pub use people::*;
pub use view::{message, NavItem, Page, UserBadge};

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
    change_password, compare, framework, home, login, search, users, users_with_settings,
    ProgressionSettings,
};

#[cfg(test)]
mod tests;
