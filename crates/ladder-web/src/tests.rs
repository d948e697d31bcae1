//! Crate-wide checks: the bundled assets, and every framework and account
//! page written out to look at in a browser.

use super::*;
use crate::frameworks::tests::versions;
use crate::test_support::{bundled, nav, page};

#[test]
fn assets_are_bundled() {
    assert!(CSS.contains("prefers-color-scheme: dark"));
    assert!(JS.contains("replaceState"));
    assert!(!CSS.contains("@import") && !CSS.contains("url(http"));
}

/// Every file under `dir` (recursively) whose name ends in `extension`.
fn files(dir: &std::path::Path, extension: &str, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, extension, out);
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
}

/// What a template or script does that the content security policy
/// (`script-src 'self'; style-src 'self'`) blocks: inline script, `on…=`
/// attributes, `style` attributes or elements, `javascript:` URLs, and
/// script that makes them.
fn csp_problems(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut problems = Vec::new();
    for (at, _) in lower.match_indices("<script") {
        let tag = &lower[at..lower[at..].find('>').map_or(lower.len(), |end| at + end)];
        if !tag.contains(" src=") {
            problems.push(format!("inline script: {tag}"));
        }
    }
    for (at, _) in lower.match_indices(" on") {
        let rest = &lower[at + 3..];
        let name_length = rest.bytes().take_while(u8::is_ascii_lowercase).count();
        // Event names are at least three letters (oncut); "one=" is not one.
        if name_length >= 3 && rest[name_length..].trim_start().starts_with('=') {
            problems.push(format!(
                "event handler attribute: on{}",
                &rest[..name_length]
            ));
        }
    }
    for pattern in [
        "style=",
        "<style",
        "javascript:",
        "setattribute(\"style\"",
        "setattribute('style'",
        "csstext",
        "eval(",
        "new function(",
        "settimeout(\"",
        "setinterval(\"",
    ] {
        if lower.contains(pattern) {
            problems.push(format!("uses {pattern}"));
        }
    }
    problems
}

#[test]
fn templates_and_scripts_need_nothing_the_content_security_policy_forbids() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = Vec::new();
    files(&root.join("templates"), "html", &mut checked);
    files(&root.join("static"), "js", &mut checked);
    assert!(checked.len() > 20, "{checked:?}");
    for path in &checked {
        let text = std::fs::read_to_string(path).unwrap();
        let problems = csp_problems(&text);
        assert!(problems.is_empty(), "{}: {problems:?}", path.display());
    }
    // The checker itself sees each kind of problem.
    for bad in [
        "<script>alert(1)</script>",
        "<button onclick=\"go()\">",
        "<div style=\"color: red\">",
        "<a href=\"javascript:go()\">",
        "el.setAttribute(\"style\", \"x\")",
    ] {
        assert_eq!(csp_problems(bad).len(), 1, "{bad}");
    }
    assert!(csp_problems("<script src=\"/static/app.js\"></script> only one=1").is_empty());
}

/// Renders every framework and account page to a file — into
/// `$LADDER_WEB_SAMPLES` when set, to look at in a browser, else a fresh
/// temporary directory — and checks each is one whole HTML document.
#[test]
fn write_sample_pages() {
    let chosen = std::env::var("LADDER_WEB_SAMPLES").ok();
    let dir = chosen.clone().unwrap_or_else(|| {
        let dir = std::env::temp_dir().join(format!(
            "ladder-web-samples-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir.display().to_string()
    });
    let nav = nav();
    let user = UserBadge {
        email: "ada@example.com".into(),
        role: "admin".into(),
    };
    let mut p = page(&nav, Some(&user));
    let shared = [SharedTopic {
        topic_key: "impact".into(),
        framework_slug: "engineering-generic".into(),
        framework_title: "Generic Engineering".into(),
    }];
    for f in ["backend.md", "frontend.md"] {
        let fw = bundled(f);
        let p = Page {
            current_slug: Some(&fw.slug),
            title: &fw.title,
            ..p
        };
        std::fs::write(
            format!("{dir}/{f}.html"),
            framework(&p, &fw, 2, Some(2), &shared, &versions()),
        )
        .unwrap();
        let c = ladder_core::compare::compare(&fw, 2, 4).unwrap();
        std::fs::write(format!("{dir}/{f}.compare.html"), compare(&p, &fw, &c)).unwrap();
    }
    p.current_slug = None;
    p.flash = Some("Password changed.");
    std::fs::write(format!("{dir}/home.html"), home(&p, &[])).unwrap();
    let rows = [
        UserRow {
            id: "u1".into(),
            email: "ada@example.com".into(),
            role: "admin".into(),
            disabled: false,
            created: "2024-01-01".into(),
        },
        UserRow {
            id: "u2".into(),
            email: "bo@example.com".into(),
            role: "interviewer".into(),
            disabled: true,
            created: "2024-01-02".into(),
        },
    ];
    std::fs::write(
        format!("{dir}/users.html"),
        users(
            &p,
            &rows,
            &["admin", "hiring_manager", "interviewer", "member"],
            true,
        ),
    )
    .unwrap();
    let hits = [SearchHitView {
        slug: "engineering-backend".into(),
        framework_title: "Backend Engineering".into(),
        criterion_id: "mastery.l2.0123456789".into(),
        topic_title: "Mastery".into(),
        level: 2,
        level_label: "Level 2".into(),
        text: "Writes unit tests for new functions and `integration` tests".into(),
        examples: String::new(),
    }];
    std::fs::write(format!("{dir}/search.html"), search(&p, "tests", &hits)).unwrap();
    std::fs::write(
        format!("{dir}/login.html"),
        login(&page(&nav, None), Some("Wrong email or password"), "/", "t"),
    )
    .unwrap();
    let mut written = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&path).unwrap();
            assert!(
                html.starts_with("<!doctype html>") && html.trim_end().ends_with("</html>"),
                "{} is not one whole document",
                path.display()
            );
            written += 1;
        }
    }
    // Two frameworks (page and comparison each), home, users, search and one
    // more account page; a chosen directory may hold earlier files too.
    if chosen.is_none() {
        assert_eq!(written, 8, "pages written to {dir}");
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        assert!(written >= 8, "{written} pages written to {dir}");
    }
}
