//! Each framework page rendered from the bundled frameworks, checked on the
//! hooks the browser tests and the server rely on. The home page carries the
//! frame's checks: landmarks, sidebar groups and the header.

use super::*;
use crate::test_support::{bundled, count, element, nav, page, tag_with};
use crate::view::UserBadge;

pub(crate) fn versions() -> Vec<VersionRow> {
    vec![
        VersionRow {
            version: 1,
            created: "2024-01-01".into(),
            source_file: Some("frontend.md".into()),
            current: false,
        },
        VersionRow {
            version: 2,
            created: "2024-02-01".into(),
            source_file: None,
            current: true,
        },
    ]
}

#[test]
fn layout_has_landmarks_nav_groups_search_and_login() {
    let nav = nav();
    let html = home(&page(&nav, None), &[]);
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("<title>Test page · Ladder</title>"));
    for landmark in [
        "<header",
        "<main id=\"main\"",
        "<footer",
        "aria-label=\"Frameworks\"",
    ] {
        assert!(html.contains(landmark), "{landmark}");
    }
    assert!(html.contains("href=\"/static/app.css\""));
    assert!(html.contains("src=\"/static/app.js\""));
    assert!(html.contains("href=\"/api/v1/openapi.json\""));
    assert!(tag_with(&html, "action=\"/search\"").contains("method=\"get\""));
    assert!(html.contains("name=\"q\""));
    assert!(html.contains("href=\"/login\""));
    assert!(!html.contains("/logout"));
    // Group headings title-cased; no group -> "Other", listed last.
    let sidebar = element(&html, "<nav class=\"sidebar\"", "nav");
    let engineering = sidebar.find(">Engineering<").unwrap();
    let other = sidebar.find(">Other<").unwrap();
    assert!(engineering < other);
    assert!(sidebar.contains("Loose &#60;one&#62;"));
    assert!(sidebar.contains("href=\"/frameworks/engineering-backend\""));
    // The current framework is highlighted in the sidebar.
    let current = tag_with(sidebar, "aria-current=\"page\"");
    assert!(
        current.contains("/frameworks/engineering-frontend"),
        "{current}"
    );
    // The home list links each framework too.
    let main = element(&html, "<main", "main");
    assert_eq!(count(main, "class=\"framework-link\""), 4);
}

#[test]
fn header_shows_the_user_with_a_logout_form_and_admin_link() {
    let nav = nav();
    let admin = UserBadge {
        email: "ada@example.com".into(),
        role: "admin".into(),
    };
    let mut page = page(&nav, Some(&admin));
    page.flash = Some("Saved <b>");
    let html = home(&page, &[]);
    assert!(html.contains("ada@example.com"));
    let logout = element(&html, "<form class=\"logout\"", "form");
    assert!(logout.contains("method=\"post\""));
    assert!(logout.contains("action=\"/logout\""));
    assert!(logout.contains("<input type=\"hidden\" name=\"csrf\" value=\"tok&#34;en\">"));
    assert!(html.contains("href=\"/admin/users\""));
    assert!(html.contains("href=\"/account\""));
    assert!(!html.contains("href=\"/login\""));
    assert!(html.contains("<div class=\"flash\" role=\"status\">Saved &#60;b&#62;</div>"));

    let member = UserBadge {
        email: "bo@example.com".into(),
        role: "hiring_manager".into(),
    };
    let html = home(
        &crate::Page {
            user: Some(&member),
            ..page
        },
        &[],
    );
    assert!(!html.contains("href=\"/admin/users\""));
    assert!(html.contains("Hiring Manager"));
    assert!(
        html.contains("href=\"/job-specs\""),
        "hiring managers see job specs"
    );

    let engineer = UserBadge {
        email: "cy@example.com".into(),
        role: "member".into(),
    };
    let html = home(
        &crate::Page {
            user: Some(&engineer),
            ..page
        },
        &[],
    );
    assert!(!html.contains("href=\"/job-specs\""), "members do not");
}

#[test]
fn the_home_page_says_how_big_each_framework_is_and_when_it_changed() {
    let nav = nav();
    let facts = [crate::FrameworkFacts {
        slug: nav[0].slug.clone(),
        levels: 6,
        topics: 1,
        behaviours: 212,
        updated: "2 hours ago".into(),
    }];
    let html = home(&page(&nav, None), &facts);
    assert!(
        html.contains("6 levels · 1 topic · 212 behaviours"),
        "{html}"
    );
    assert!(
        html.contains("updated <time datetime=\"2 hours ago\""),
        "{html}"
    );
    // A framework without facts is still listed, without them.
    assert!(html.contains(&format!(">{}</a>", nav[1].title)), "{html}");
    assert_eq!(html.matches("framework-counts").count(), 1);
    let empty = home(&page(&[], None), &[]);
    assert!(
        empty.contains("ladder import PATH"),
        "an empty page says what to do"
    );
}

#[test]
fn framework_page_tabs_panels_and_hooks() {
    let nav = nav();
    let frontend = bundled("frontend.md");
    let html = framework(&page(&nav, None), &frontend, 2, None, &[], &versions());

    // Tabs E1..E5 (levelPrefix E), plain links, the lowest selected by default.
    for n in 1..=5 {
        let tab = tag_with(
            &html,
            &format!("class=\"level-tab\" role=\"tab\" id=\"tab-{n}\""),
        );
        assert!(tab.starts_with("<a "), "{tab}");
        assert!(tab.contains(&format!("data-level=\"{n}\"")), "{tab}");
        assert!(
            tab.contains(&format!(
                "href=\"/frameworks/engineering-frontend?level={n}\""
            )),
            "{tab}"
        );
        let selected = if n == 1 { "true" } else { "false" };
        assert!(
            tab.contains(&format!("aria-selected=\"{selected}\"")),
            "{tab}"
        );
        assert!(html.contains(&format!(">E{n}</a>")));

        let panel = tag_with(
            &html,
            &format!("<section class=\"level-panel\" id=\"level-{n}\""),
        );
        assert!(panel.contains(&format!("data-level=\"{n}\"")));
        assert_eq!(panel.contains(" hidden"), n != 1, "{panel}");
    }
    assert_eq!(count(&html, "class=\"level-tab\""), 5);
    assert_eq!(count(&html, "class=\"level-panel\""), 5);
    assert!(html.contains("Sub-levels A–E within each level"));

    // Every topic in every panel; every criterion by id; examples in <details>.
    assert_eq!(
        count(&html, "<article class=\"topic-card\""),
        5 * frontend.topics.len()
    );
    assert!(html.contains("data-topic=\"communication-feedback\""));
    for (_, _, criterion) in frontend.criteria() {
        assert_eq!(
            count(
                &html,
                &format!("<li class=\"criterion\" id=\"{}\">", criterion.id)
            ),
            1,
            "{}",
            criterion.id
        );
    }
    let with_examples = frontend
        .criteria()
        .find(|(_, _, c)| c.examples.len() == 2)
        .unwrap()
        .2;
    let item = element(&html, &format!("id=\"{}\"", with_examples.id), "details");
    assert!(item.contains("<details class=\"examples\">"), "{item}");
    assert!(item.contains("<summary>Examples (2)</summary>"), "{item}");
    assert_eq!(
        count(&html, "<details class=\"examples\">"),
        frontend
            .criteria()
            .filter(|(_, _, c)| !c.examples.is_empty())
            .count()
    );
    // Inline Markdown in behaviours.
    assert!(html.contains("without resorting to <code>any</code>"));
    // Leadership starts at E3.
    let e1 = element(&html, "id=\"level-1\"", "section");
    let leadership = element(e1, "data-topic=\"leadership\"", "article");
    assert!(leadership.contains("No behaviours at this level"));

    // Compare form, about, versions.
    let form = element(&html, "<form class=\"compare-form\"", "form");
    assert!(form.contains("method=\"get\""));
    assert!(form.contains("action=\"/frameworks/engineering-frontend/compare\""));
    assert!(form.contains("name=\"from\""));
    assert!(form.contains("name=\"to\""));
    assert!(form.contains("<option value=\"1\" selected>E1</option>"));
    assert!(form.contains("<option value=\"2\" selected>E2</option>"));
    assert!(html.contains("About this framework"));
    assert!(html.contains("labelled A–E"));
    let versions = element(&html, "<ol class=\"version-list\"", "ol");
    assert!(versions.contains("href=\"/frameworks/engineering-frontend?version=1\""));
    assert!(versions.contains("current</span>"));
    assert!(html.contains("Version 2"));
    assert!(!html.contains("You are looking at version"));
    // The examples toggle is only revealed by app.js.
    assert!(tag_with(&html, "class=\"toggle-examples\"").contains(" hidden"));
}

#[test]
fn framework_page_selected_level_old_version_and_shared_topics() {
    let nav = nav();
    let backend = bundled("backend.md");
    let shared = [
        SharedTopic {
            topic_key: "impact".into(),
            framework_slug: "engineering-generic".into(),
            framework_title: "Generic Engineering".into(),
        },
        SharedTopic {
            topic_key: "mastery".into(),
            framework_slug: "engineering-backend".into(),
            framework_title: "Itself".into(),
        },
    ];
    let html = framework(
        &page(&nav, None),
        &backend,
        1,
        Some(4),
        &shared,
        &versions(),
    );
    assert!(tag_with(&html, "id=\"tab-4\"").contains("aria-selected=\"true\""));
    assert!(tag_with(&html, "id=\"tab-1\"").contains("aria-selected=\"false\""));
    assert!(!tag_with(&html, "id=\"level-4\"").contains(" hidden"));
    assert!(tag_with(&html, "id=\"level-1\"").contains(" hidden"));
    assert!(html.contains(">Level 4</a>"));
    assert!(html.contains("Sub-levels A–D within each level"));
    // An older version keeps its tabs on that version and points at the current one.
    assert!(tag_with(&html, "id=\"tab-2\"")
        .contains("href=\"/frameworks/engineering-backend?level=2&#38;version=1\""));
    assert!(html.contains("You are looking at version 1"));

    let impact = element(&html, "data-topic=\"impact\"", "header");
    assert!(
        impact.contains("<a class=\"badge shared\" href=\"/frameworks/engineering-generic\">Shared with Generic Engineering</a>"),
        "{impact}"
    );
    assert_eq!(count(&html, "Shared with Generic Engineering"), 6);
    // A framework is never "shared with" itself.
    assert!(!html.contains("Shared with Itself"));
    assert!(html.contains("Your craft with Rust, PostgreSQL and the Northwind platform"));
    // Compare defaults to the selected level and the next.
    let form = element(&html, "<form class=\"compare-form\"", "form");
    assert!(form.contains("<option value=\"4\" selected>Level 4</option>"));
    assert!(form.contains("<option value=\"5\" selected>Level 5</option>"));

    // An unknown level falls back to the lowest; the top level compares with the one below.
    let html = framework(&page(&nav, None), &backend, 2, Some(99), &[], &[]);
    assert!(tag_with(&html, "id=\"tab-1\"").contains("aria-selected=\"true\""));
    let html = framework(&page(&nav, None), &backend, 2, Some(6), &[], &[]);
    let form = element(&html, "<form class=\"compare-form\"", "form");
    assert!(form.contains("<option value=\"5\" selected>Level 5</option>"));
    assert!(form.contains("<option value=\"6\" selected>Level 6</option>"));
    assert!(!html.contains("class=\"versions\""));
}

#[test]
fn framework_text_is_escaped_and_markdown_sanitised() {
    let nav = nav();
    let mut evil = bundled("generic.md");
    evil.title = "<script>alert('title')</script>".into();
    evil.topics[0].title = "<img src=x onerror=alert(1)>".into();
    evil.topics[0].key = "a\"b".into();
    evil.topics[0].levels[0].criteria[0].text =
        "Uses <script>alert(2)</script> and [x](javascript:alert(3))".into();
    evil.body_markdown = "Hello <script>alert(4)</script>\n\n<iframe src=\"https://evil\"></iframe>\n\n[click](javascript:alert(5)) [ok](https://example.com)\n".into();
    let html = framework(&page(&nav, None), &evil, 1, None, &[], &[]);
    assert!(!html.contains("<script>"), "raw script in page");
    assert!(!html.contains("<iframe"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("javascript:"));
    assert!(html.contains("&#60;script&#62;alert(&#39;title&#39;)&#60;/script&#62;"));
    assert!(html.contains("Hello &lt;script&gt;alert(4)&lt;/script&gt;"));
    assert!(html.contains("click"));
    assert!(html.contains("<a href=\"https://example.com\">ok</a>"));
    assert!(html.contains("data-topic=\"a&#34;b\""));
    // The only <script> is our own.
    assert_eq!(count(&html, "<script"), 1);
}

#[test]
fn framework_without_levels_still_renders() {
    let nav = nav();
    let mut empty = bundled("generic.md");
    empty.topics.clear();
    empty.sublevels = None;
    let html = framework(&page(&nav, None), &empty, 1, Some(3), &[], &[]);
    assert!(html.contains("This framework has no levels yet."));
    assert!(!html.contains("class=\"level-tab\""));
    assert!(!html.contains("compare-form"));
    assert!(!html.contains("Sub-levels"));
}

#[test]
fn compare_page_lists_exactly_the_added_behaviours() {
    let nav = nav();
    let frontend = bundled("frontend.md");
    let comparison = ladder_core::compare::compare(&frontend, 2, 4).unwrap();
    let html = compare(&page(&nav, None), &frontend, &comparison);
    assert!(html.contains("<h1>E2 → E4</h1>"));
    assert_eq!(
        count(&html, "<section class=\"compare-topic\""),
        frontend.topics.len()
    );
    let expected: Vec<(u32, &str)> = frontend
        .criteria()
        .filter(|(_, level, _)| (3..=4).contains(level))
        .map(|(_, level, c)| (level, c.id.as_str()))
        .collect();
    assert_eq!(
        count(&html, "<li class=\"added-criterion\">"),
        expected.len()
    );
    for (level, id) in &expected {
        assert!(
            html.contains(&format!(
                "<li class=\"added-criterion\"><a href=\"/frameworks/engineering-frontend?level={level}#{id}\">"
            )),
            "{id}"
        );
    }
    for (_, level, criterion) in frontend.criteria() {
        if !(3..=4).contains(&level) {
            assert!(!html.contains(&criterion.id), "{}", criterion.id);
        }
    }
    let leadership = element(&html, "data-topic=\"leadership\"", "section");
    assert!(leadership.contains("<h3 class=\"added-level\">E3</h3>"));
    assert!(leadership.contains("<h3 class=\"added-level\">E4</h3>"));
    // Compare form preset, and a swap link.
    assert!(html.contains("<option value=\"2\" selected>E2</option>"));
    assert!(html.contains("href=\"/frameworks/engineering-frontend/compare?from=4&#38;to=2\""));
    assert!(html.contains("href=\"/frameworks/engineering-frontend\""));
}

#[test]
fn compare_page_says_when_a_topic_adds_nothing() {
    let nav = nav();
    let frontend = bundled("frontend.md");
    let comparison = ladder_core::compare::compare(&frontend, 2, 1).unwrap();
    let html = compare(&page(&nav, None), &frontend, &comparison);
    assert!(html.contains("<h1>E2 → E1</h1>"));
    let leadership = element(&html, "data-topic=\"leadership\"", "section");
    assert!(
        leadership.contains("Nothing added between E1 and E2."),
        "{leadership}"
    );
    assert!(!leadership.contains("added-criterion"));
}

#[test]
fn search_page_lists_hits_and_says_when_there_are_none() {
    let nav = nav();
    let hits = [SearchHitView {
        slug: "engineering-backend".into(),
        framework_title: "Backend Engineering".into(),
        criterion_id: "mastery.l2.0123456789".into(),
        topic_title: "Mastery".into(),
        level: 2,
        level_label: "Level 2".into(),
        text: "Writes Rust with [links](https://e.com) and <b>tags</b>".into(),
        examples: "Ported the parser to Rust".into(),
    }];
    let html = search(&page(&nav, None), "rust <b>", &hits);
    assert_eq!(count(&html, "<li class=\"search-hit\">"), 1);
    assert!(html.contains("href=\"/frameworks/engineering-backend?level=2#mastery.l2.0123456789\""));
    assert!(html.contains("Backend Engineering · Level 2 · Mastery"));
    assert!(html
        .contains("Writes <mark>Rust</mark> with links and <mark>&lt;b&gt;</mark>tags&lt;/b&gt;"));
    assert!(!html.contains("https://e.com"));
    assert!(html.contains("value=\"rust &#60;b&#62;\""));
    assert!(html.contains("1 behaviour matches “rust &#60;b&#62;”."));

    assert!(
        !html.contains("hit-example"),
        "the text says why it matched"
    );

    // A hit matched through its examples shows the example that did.
    let by_example = [SearchHitView {
        text: "Owns the card-reader integration".into(),
        examples: "Wrote the retry logic\nMoved the flaky firmware tests to C#".into(),
        ..hits[0].clone()
    }];
    let html = search(&page(&nav, None), "firmware", &by_example);
    assert!(
        html.contains("Example: Moved the flaky <mark>firmware</mark> tests to C#"),
        "{html}"
    );

    let html = search(&page(&nav, None), "zebra", &[]);
    assert!(html.contains("No behaviours match “zebra”"));
    assert!(!html.contains("search-hit"));
}

#[test]
fn staff_see_the_import_warnings_and_members_do_not() {
    let nav = nav();
    let mut frontend = bundled("frontend.md");
    frontend.warnings = vec![ladder_core::Diagnostic::warning(
        "technology-mismatch",
        "“correct Go code” names Go, but this framework is about .NET",
    )
    .at(42, 7)];
    let staff = UserBadge {
        email: "lead@example.com".into(),
        role: "hiring_manager".into(),
    };
    let member = UserBadge {
        email: "dev@example.com".into(),
        role: "member".into(),
    };
    let shown = framework(
        &page(&nav, Some(&staff)),
        &frontend,
        1,
        None,
        &[],
        &versions(),
    );
    assert!(
        shown.contains("1 warning from the imported file"),
        "{shown}"
    );
    assert!(shown.contains("line 42:"), "{shown}");
    assert!(
        shown.contains("<code>technology-mismatch</code>"),
        "{shown}"
    );
    for viewer in [Some(&member), None] {
        let hidden = framework(&page(&nav, viewer), &frontend, 1, None, &[], &versions());
        assert!(!hidden.contains("framework-warnings"), "{viewer:?}");
    }
}
