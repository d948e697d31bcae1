//! The real framework files of the product brief (`shared/seeds/`) check with
//! exactly the warnings the brief names.
//!
//! They are not part of this repository, so these tests are ignored unless
//! asked for (`cargo test -- --include-ignored`). When run, they read the
//! directory named by `LADDER_SEEDS_DIR`, else `<workspace root>/../shared/seeds`,
//! and fail if it is missing: a test that cannot run never passes.

use std::path::PathBuf;

use ladder_formats::Parsed;

use crate::common::{at, codes, framework, only, parse_file};

fn seeds_dir() -> PathBuf {
    match std::env::var_os("LADDER_SEEDS_DIR").filter(|dir| !dir.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds"),
    }
}

fn seed(name: &str) -> Parsed {
    let dir = seeds_dir();
    assert!(
        dir.is_dir(),
        "The seed files are not in {}: set LADDER_SEEDS_DIR to the directory that holds them, or leave out --include-ignored to skip these tests.",
        dir.display()
    );
    parse_file(&dir.join(name))
}

fn warning_codes(parsed: &Parsed) -> Vec<&str> {
    codes(parsed.warnings())
}

/// Every diagnostic as (code, line, column).
fn positions(parsed: &Parsed) -> Vec<(&str, u32, u32)> {
    parsed
        .diagnostics
        .iter()
        .map(|d| {
            let (line, column) = at(d);
            (d.code.as_str(), line, column)
        })
        .collect()
}

#[test]
#[ignore = "needs the seed files: ../shared/seeds or LADDER_SEEDS_DIR"]
fn structured_mojibake_seed() {
    let parsed = seed("backend-structured-mojibake.md");
    assert!(!parsed.has_errors());
    assert_eq!(warning_codes(&parsed), vec!["mojibake-repaired"]);
    assert_eq!(positions(&parsed), [("mojibake-repaired", 3, 9)]);
    assert!(
        parsed.diagnostics[0].message.starts_with(
            "repaired 29 character sequences of UTF-8 text that had been decoded as Mac Roman"
        ),
        "{}",
        parsed.diagnostics[0].message
    );
    let framework = framework(&parsed);
    assert_eq!(framework.title, "🛠️ Backend Engineering Framework");
    assert_eq!(
        framework.sublevels,
        Some(vec!["A".into(), "B".into(), "C".into(), "D".into()])
    );
    assert!(framework.body_markdown.contains("we’re looking for"));
    assert!(!parsed.text.contains("‚Äô"));
    assert_eq!(framework.criterion_count(), 50);
    assert_eq!(framework.example_count(), 8);
    assert_eq!(framework.populated_level_count(), 6);
}

#[test]
#[ignore = "needs the seed files: ../shared/seeds or LADDER_SEEDS_DIR"]
fn prose_seed() {
    let parsed = seed("backend-prose.md");
    assert!(!parsed.has_errors());
    assert_eq!(warning_codes(&parsed), vec!["level-count-mismatch"]);
    assert_eq!(positions(&parsed), [("level-count-mismatch", 7, 7)]);
    assert_eq!(
        parsed.diagnostics[0].message,
        "`levels:` is empty, but the file has behaviours at 6 levels (1–6)"
    );
    let framework = framework(&parsed);
    assert_eq!(parsed.topics_written, 5);
    assert_eq!(framework.criterion_count(), 134);
    assert_eq!(framework.example_count(), 11);
    assert_eq!(framework.sublevels, None);
    assert!(framework
        .body_markdown
        .starts_with("Check out the original"));
    let communication = framework
        .topics
        .iter()
        .find(|t| t.title == "Communication & Feedback")
        .expect("topic");
    assert_eq!(communication.key, "communication-feedback");
}

#[test]
#[ignore = "needs the seed files: ../shared/seeds or LADDER_SEEDS_DIR"]
fn dotnet_seed() {
    let parsed = seed("dotnet-structured-empty-topics.md");
    assert!(!parsed.has_errors());
    assert_eq!(
        positions(&parsed),
        [
            ("mojibake-repaired", 3, 9),
            ("empty-topic", 10, 5),
            ("empty-topic", 25, 5),
            ("technology-mismatch", 45, 1)
        ]
    );
    let mismatch = only(&parsed.diagnostics, "technology-mismatch");
    assert_eq!(
        mismatch.message,
        "the title names .Net but behaviours name Go: “Learns to write correct Go code, following guidance and training materials” (line 45)"
    );
    let framework = framework(&parsed);
    assert_eq!(framework.title, "🛠️ .Net Engineering Framework");
    assert_eq!(
        framework.sublevels.as_ref().map(|l| l.join("")),
        Some("ABCDE".to_string())
    );
    assert_eq!(parsed.topics_written, 3);
    assert_eq!(framework.topics[0].title, "Teamwork");
}
