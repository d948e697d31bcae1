//! Ladder's server-rendered web pages.
//!
//! Pure rendering: every function takes plain values and returns a complete HTML
//! document, so the HTTP server decides what to show and this crate only decides
//! how. Pages work without JavaScript; `app.js` only makes them quicker to use.
//!
//! Everything that came from a framework file or a user is escaped by the
//! templates, and Markdown goes through [`render_markdown`]/[`render_inline`],
//! which never let markup or script URLs through.

// The modules mirror the server's features. A shared floor (`view`: the frame,
// `Page`, `render`, the message page; `format`, `forms`, `markdown`, and
// `charts`: pure chart geometry) imports no feature; the features import only
// the floor, never each other. Each feature has one file per page, its
// templates in `templates/<feature>/` and its tests in `<feature>/tests.rs`.
// Everything public is re-exported below, at the crate root, where the server
// uses it.

// The shared floor.
mod charts;
mod format;
mod forms;
mod markdown;
mod moment;
mod view;

// The features.
mod accounts;
mod frameworks;
mod interviews;
mod jobspecs;
mod people;

pub use accounts::{
    account, change_password, login, users, users_with_settings, AccountView, ProgressionSettings,
    TokenRow, UserRow,
};
pub use charts::{
    skill_wheel, timeline_chart, wheel_value_text, DateLabel, Dot, GridLine, TimelineChart,
    TimelineEntry, TimelineSeries, WheelAxis, WheelChart, WheelPolygon, WheelRing,
};
pub use forms::FieldError;
pub use frameworks::{
    compare, framework, home, search, FrameworkFacts, SearchHitView, SharedTopic, VersionRow,
};
pub use interviews::{
    candidate_message, candidate_page, interview, interview_list, performance, AnswerView,
    CandidateFormError, CandidateLinkRow, CandidatePageView, CandidatePromptItem,
    CandidateQuestionItem, CompetencyFigure, EvaluatorOffer, FiguresView, InterviewListView,
    InterviewRow, InterviewView, InterviewerChoice, InviteInput, LinkPanel, MustInput,
    PerformanceView, RoundAnswers, ScoreInput, ScorecardForm, ScorecardSummary, SkippedCandidate,
    VersionFigureRow,
};
pub use jobspecs::{
    default_diff_pair, job_spec, job_spec_alternatives, job_spec_diff, job_spec_edit,
    job_spec_list, job_spec_new, job_spec_versions, version_name, AlternativeRow, CompetencyInput,
    DiffView, EditTarget, FrameworkOption, JobSpecForm, JobSpecRow, JobSpecVersionRow, JobSpecView,
    MustHaveInput, NewJobSpecInput, SpecError,
};
pub use markdown::{render_inline, render_markdown};
pub use moment::Moment;
pub use people::{
    assessment, people_list, person, sublevel_bands, AssessmentRow, AssessmentView, ChangeNotice,
    Choice, FrameworkChoice, MarkValue, PersonRow, PersonView, PlaceForm, PlaceInput, PlacementRow,
    PlacementSummary, ProgressSection, StartButton,
};
pub use view::{message, NavItem, Page, UserBadge};

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

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
