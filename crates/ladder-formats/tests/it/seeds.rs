//! The real framework files in `../shared/seeds/` check with exactly the warnings
//! the product brief names. Skipped (with a notice) where the seeds are absent.

use std::path::PathBuf;

use ladder_formats::{parse, Parsed};

fn seed(name: &str) -> Option<Parsed> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seeds")
        .join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Some(parse(name, &bytes)),
        Err(_) => {
            eprintln!("skipped: {} not present", path.display());
            None
        }
    }
}

fn warning_codes(parsed: &Parsed) -> Vec<&str> {
    parsed.warnings().map(|d| d.code.as_str()).collect()
}

#[test]
fn structured_mojibake_seed() {
    let Some(parsed) = seed("backend-structured-mojibake.md") else {
        return;
    };
    assert!(!parsed.has_errors());
    assert_eq!(warning_codes(&parsed), vec!["mojibake-repaired"]);
    let framework = parsed.framework.expect("framework");
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
fn prose_seed() {
    let Some(parsed) = seed("backend-prose.md") else {
        return;
    };
    assert!(!parsed.has_errors());
    assert_eq!(warning_codes(&parsed), vec!["level-count-mismatch"]);
    let framework = parsed.framework.expect("framework");
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
fn dotnet_seed() {
    let Some(parsed) = seed("dotnet-structured-empty-topics.md") else {
        return;
    };
    assert!(!parsed.has_errors());
    let mut codes = warning_codes(&parsed);
    codes.sort_unstable();
    assert_eq!(
        codes,
        vec![
            "empty-topic",
            "empty-topic",
            "mojibake-repaired",
            "technology-mismatch"
        ]
    );
    let mismatch = parsed
        .warnings()
        .find(|d| d.code == "technology-mismatch")
        .expect("mismatch");
    assert!(
        mismatch.message.contains(".Net") && mismatch.message.contains("Go code"),
        "{}",
        mismatch.message
    );
    let framework = parsed.framework.expect("framework");
    assert_eq!(framework.title, "🛠️ .Net Engineering Framework");
    assert_eq!(
        framework.sublevels.map(|l| l.join("")),
        Some("ABCDE".to_string())
    );
    assert_eq!(parsed.topics_written, 3);
    assert_eq!(framework.topics[0].title, "Teamwork");
}
