//! The longest text Ladder accepts in each field, in one place.
//!
//! Lengths count characters (Unicode scalar values), not bytes, so a limit
//! means the same in every language. Anything longer is refused with the
//! field's path (a 422 from the server, a diagnostic at the line from the
//! job-spec reader), never cut silently. Text may not hold the NUL character
//! (U+0000) either: it is not text, and PostgreSQL cannot store it.
//!
//! Bounds that are not about text stay where they are enforced: request
//! bodies (8 MiB by default, `body_limit_bytes`), candidates per CSV file
//! (1,000), items per round (30), marks per save (2,000), links per behaviour
//! (20).

use crate::framework::Framework;
use crate::jobspec::Problem;

/// A job spec's title.
pub const JOB_SPEC_TITLE: usize = 200;
/// A job spec's seniority ("senior", "Staff / Principal").
pub const JOB_SPEC_SENIORITY: usize = 100;
/// A job spec's description (the job description), Markdown.
pub const JOB_SPEC_DESCRIPTION: usize = 20_000;
/// A competency's name.
pub const COMPETENCY_NAME: usize = 200;
/// A competency's id (snake_case).
pub const COMPETENCY_ID: usize = 64;
/// A competency's definition.
pub const COMPETENCY_DEFINITION: usize = 10_000;
/// A must-have's text.
pub const MUST_HAVE_TEXT: usize = 1_000;
/// A Round 01 question's or Round 02 prompt's text.
pub const ROUND_ITEM_TEXT: usize = 2_000;
/// A round item's id, its origin, and each criterion id it is grounded in.
pub const ROUND_ITEM_REFERENCE: usize = 200;
/// The slug of the framework a job spec is based on.
pub const FRAMEWORK_SLUG: usize = 200;

/// A candidate's name.
pub const CANDIDATE_NAME: usize = 200;
/// An e-mail address (a user's or a candidate's), as RFC 5321 bounds it; the
/// server's address check counts it in bytes, so non-ASCII addresses reach
/// it sooner.
pub const EMAIL: usize = 254;
/// A candidate's answer to one question or prompt (typed, or a transcript).
pub const ANSWER: usize = 20_000;
/// The evidence written for one competency of a scorecard.
pub const SCORECARD_EVIDENCE: usize = 10_000;
/// A criterion id a scorecard's evidence points at.
pub const SCORECARD_CRITERION: usize = 200;
/// A scorecard's notes.
pub const SCORECARD_NOTES: usize = 20_000;

/// The note on one behaviour of an assessment.
pub const ASSESSMENT_NOTE: usize = 10_000;
/// One evidence link on a behaviour of an assessment.
pub const ASSESSMENT_LINK: usize = 2_000;
/// The note on a placement.
pub const PLACEMENT_NOTE: usize = 10_000;

/// An API token's name. Tokens are named by `ladder token create --name`
/// and the accounts API, which are to check it; nothing here can.
pub const API_TOKEN_NAME: usize = 100;

/// An id or reference sent to find something (a user, an interview, a
/// round item, a criterion, a recording): a longer one matches nothing.
pub const REFERENCE: usize = 200;

/// A search query's words (`GET /api/v1/search?q=`).
pub const SEARCH_QUERY: usize = 500;

/// The name of an uploaded framework file.
pub const FRAMEWORK_FILE_NAME: usize = 255;
/// A framework's title, path, sidebar title, sidebar group and level
/// prefix, and a topic's name and title.
pub const FRAMEWORK_TITLE: usize = 200;
/// A topic's subtitle.
pub const TOPIC_SUBTITLE: usize = 1_000;

/// Why `text` cannot be stored in a field of at most `max` characters: it is
/// longer, or it holds a NUL character. `what` names the field in the
/// message ("the title").
pub fn text_problem(what: &str, text: &str, max: usize) -> Option<String> {
    if text.contains('\0') {
        return Some(format!(
            "{what} contains a NUL character (U+0000), which is not text; remove it"
        ));
    }
    // Counting stops early: a 7 MiB title costs no more than a short one.
    let length = text.chars().take(max.saturating_add(1)).count();
    (length > max).then(|| {
        format!(
            "{what} is too long: at most {max} characters, and it has {}",
            text.chars().count()
        )
    })
}

/// A NUL character in text that has no maximum of its own.
fn nul(field: impl Into<String>, what: &str, text: &str) -> Option<Problem> {
    check(field, what, text, usize::MAX)
}

/// [`text_problem`] as a [`Problem`] at `field`.
pub fn check(field: impl Into<String>, what: &str, text: &str, max: usize) -> Option<Problem> {
    text_problem(what, text, max).map(|message| Problem {
        field: field.into(),
        message,
    })
}

/// What an uploaded framework holds that Ladder will not store: titles
/// longer than [`FRAMEWORK_TITLE`], subtitles longer than [`TOPIC_SUBTITLE`],
/// and NUL characters anywhere. Behaviours, examples and the home text are
/// bounded only by the size of the upload.
pub fn framework_problems(framework: &Framework) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut add = |problem: Option<Problem>| problems.extend(problem);
    add(check(
        "title",
        "the title",
        &framework.title,
        FRAMEWORK_TITLE,
    ));
    for (field, what, value) in [
        ("path", "the path", &framework.path),
        (
            "sidebarTitle",
            "the sidebar title",
            &framework.sidebar_title,
        ),
        ("sidebarGroup", "the sidebar group", &framework.group),
        ("levelPrefix", "the level prefix", &framework.level_prefix),
    ] {
        if let Some(value) = value {
            add(check(field, what, value, FRAMEWORK_TITLE));
        }
    }
    add(nul("body", "the home text", &framework.body_markdown));
    for (t, topic) in framework.topics.iter().enumerate() {
        let field = |name: &str| format!("topics[{t}].{name}");
        add(check(
            field("name"),
            "the topic's name",
            &topic.key,
            FRAMEWORK_TITLE,
        ));
        add(check(
            field("title"),
            "the topic's title",
            &topic.title,
            FRAMEWORK_TITLE,
        ));
        if let Some(subtitle) = &topic.subtitle {
            add(check(
                field("subtitle"),
                "the topic's subtitle",
                subtitle,
                TOPIC_SUBTITLE,
            ));
        }
        for (l, level) in topic.levels.iter().enumerate() {
            for (c, criterion) in level.criteria.iter().enumerate() {
                let at = format!("topics[{t}].levels[{l}].criteria[{c}]");
                add(nul(format!("{at}.text"), "the behaviour", &criterion.text));
                for (e, example) in criterion.examples.iter().enumerate() {
                    add(nul(format!("{at}.examples[{e}]"), "the example", example));
                }
            }
        }
    }
    problems
}

/// `text` cut to at most `max` characters, ending in "…" when it was cut.
/// For text Ladder writes itself (generated questions, proposed definitions),
/// which must stay within the limits it enforces on people.
pub fn fit(text: &str, max: usize) -> String {
    if text.chars().take(max.saturating_add(1)).count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_up_to_the_maximum_is_fine_and_one_more_is_not() {
        assert_eq!(text_problem("the title", &"é".repeat(200), 200), None);
        assert_eq!(
            text_problem("the title", &"é".repeat(201), 200).as_deref(),
            Some("the title is too long: at most 200 characters, and it has 201")
        );
        assert_eq!(
            text_problem("the note", "a\0b", 10).as_deref(),
            Some("the note contains a NUL character (U+0000), which is not text; remove it")
        );
        let problem = check("competencies[2].name", "the name", "abc", 2).expect("too long");
        assert_eq!(problem.field, "competencies[2].name");
    }

    #[test]
    fn framework_titles_are_bounded_and_nul_is_refused_everywhere() {
        use crate::framework::{Criterion, Level, Topic};
        let mut framework = Framework {
            slug: "x".into(),
            path: Some("/x".into()),
            title: "t".repeat(FRAMEWORK_TITLE),
            sidebar_title: None,
            group: None,
            declared_level_count: None,
            level_prefix: None,
            sublevels: None,
            homepage: None,
            body_markdown: "b".repeat(100_000),
            topics: vec![Topic {
                key: "craft".into(),
                title: "Craft".into(),
                subtitle: Some("s".repeat(TOPIC_SUBTITLE)),
                levels: vec![Level {
                    number: 1,
                    criteria: vec![Criterion {
                        id: "craft.l1.x".into(),
                        text: "c".repeat(50_000),
                        examples: vec!["e".into()],
                    }],
                }],
            }],
            source: None,
            warnings: vec![],
        };
        assert_eq!(framework_problems(&framework), vec![]);
        framework.title.push('t');
        framework.topics[0].subtitle = Some("s".repeat(TOPIC_SUBTITLE + 1));
        framework.topics[0].levels[0].criteria[0].examples[0].push('\0');
        let fields: Vec<String> = framework_problems(&framework)
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "title",
                "topics[0].subtitle",
                "topics[0].levels[0].criteria[0].examples[0]"
            ]
        );
    }

    #[test]
    fn fitting_cuts_at_the_maximum_with_an_ellipsis() {
        assert_eq!(fit("short", 10), "short");
        assert_eq!(fit("exactly10!", 10), "exactly10!");
        let cut = fit("one two three four", 9);
        assert_eq!(cut, "one two…");
        assert!(cut.chars().count() <= 9);
        assert_eq!(fit(&"ü".repeat(50), 5).chars().count(), 5);
    }
}
