//! Every kind of damage real framework files carry, one fixture each, with the
//! exact diagnostics (code, line) and the model it must still produce.

use std::path::PathBuf;

use ladder_core::{Framework, SourceFormat};
use ladder_formats::{parse, Parsed};

use crate::common::{framework, parse_file};

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn read(name: &str) -> Parsed {
    parse_file(&fixture_dir().join(name))
}

fn codes(parsed: &Parsed) -> Vec<(String, Option<u32>)> {
    parsed
        .diagnostics
        .iter()
        .map(|d| (d.code.clone(), d.line))
        .collect()
}

fn code(code: &str, line: u32) -> (String, Option<u32>) {
    (code.to_string(), Some(line))
}

#[test]
fn mac_roman_mojibake_is_repaired_to_the_exact_original() {
    let damaged = read("mojibake-macroman.md");
    let clean = read("mojibake-macroman.expected.md");
    assert_eq!(codes(&damaged), vec![code("mojibake-repaired", 3)]);
    assert!(codes(&clean).is_empty(), "{:?}", codes(&clean));
    let expected = std::fs::read_to_string(fixture_dir().join("mojibake-macroman.expected.md"))
        .expect("expected file");
    assert_eq!(damaged.text, expected);
    assert_eq!(framework(&damaged).content(), framework(&clean).content());
    assert!(framework(&damaged).title.contains("🛠️"));
    assert_eq!(
        damaged.diagnostics[0].message,
        "repaired 21 character sequences of UTF-8 text that had been decoded as Mac Roman and saved again (e.g. “‚Äô” → “’”)"
    );
    assert_eq!(damaged.diagnostics[0].column, Some(9));
}

#[test]
fn windows_1252_mojibake_with_c1_controls_is_repaired_before_yaml() {
    let damaged = read("mojibake-cp1252.md");
    let clean = read("mojibake-cp1252.expected.md");
    assert_eq!(codes(&damaged), vec![code("mojibake-repaired", 3)]);
    assert_eq!(
        damaged.diagnostics[0].message,
        "repaired 17 character sequences of UTF-8 text that had been decoded as Windows-1252 and saved again (e.g. “‚Äô” → “’”)"
    );
    assert_eq!(damaged.diagnostics[0].column, Some(9));
    let expected = std::fs::read_to_string(fixture_dir().join("mojibake-cp1252.expected.md"))
        .expect("expected file");
    assert_eq!(damaged.text, expected);
    assert_eq!(framework(&damaged).content(), framework(&clean).content());
}

#[test]
fn legitimate_unicode_is_untouched() {
    let parsed = read("legit-unicode.md");
    let original =
        std::fs::read_to_string(fixture_dir().join("legit-unicode.md")).expect("fixture");
    assert_eq!(parsed.text, original);
    assert!(codes(&parsed).is_empty(), "{:?}", codes(&parsed));
}

#[test]
fn tabs_after_sequence_dashes_are_recovered_with_positions() {
    let parsed = read("tab-after-dash.md");
    assert_eq!(
        codes(&parsed),
        vec![
            code("yaml-tab-recovered", 16),
            code("yaml-tab-recovered", 23)
        ]
    );
    assert_eq!(parsed.diagnostics[0].column, Some(12));
    assert!(!parsed.has_errors());
    assert_eq!(framework(&parsed).criterion_count(), 6);
}

#[test]
fn null_title_falls_back_to_the_title_cased_name_and_null_criteria_is_an_empty_level() {
    let parsed = read("null-title-and-criteria.md");
    assert_eq!(codes(&parsed), vec![code("empty-level", 17)]);
    let framework = framework(&parsed);
    let topic = framework
        .topics
        .iter()
        .find(|t| t.key == "technical_skills")
        .expect("topic");
    assert_eq!(topic.title, "Technical Skills");
    let level_two = topic
        .levels
        .iter()
        .find(|l| l.number == 2)
        .expect("level 2 kept");
    assert!(level_two.criteria.is_empty());
}

#[test]
fn a_topic_empty_at_every_level_is_one_warning() {
    let parsed = read("empty-topic.md");
    assert_eq!(codes(&parsed), vec![code("empty-topic", 10)]);
    let framework = framework(&parsed);
    assert_eq!(parsed.topics_written, 2);
    assert_eq!(framework.topics[0].key, "teamwork");
}

#[test]
fn a_placeholder_page_with_one_unnamed_empty_topic_is_read_with_a_warning() {
    let parsed = read("placeholder-page.md");
    assert!(!parsed.has_errors(), "{:#?}", parsed.diagnostics);
    assert!(
        codes(&parsed).contains(&code("empty-topic", 10)),
        "{:#?}",
        parsed.diagnostics
    );
    assert!(framework(&parsed).topics.is_empty());
}

#[test]
fn declared_level_count_is_checked_against_the_levels_present() {
    let parsed = read("level-count-mismatch.md");
    assert_eq!(codes(&parsed), vec![code("level-count-mismatch", 7)]);
    assert_eq!(
        parsed.diagnostics[0].message,
        "`levels: 4` disagrees with the file, which has behaviours at 3 levels (1–3)"
    );
    assert_eq!(parsed.diagnostics[0].column, Some(9));
    assert_eq!(
        parsed.diagnostics[0].hint.as_deref(),
        Some("set `levels: 3`")
    );
    assert_eq!(framework(&parsed).declared_level_count, Some(4));

    let parsed = read("levels-empty.md");
    assert_eq!(codes(&parsed), vec![code("level-count-mismatch", 7)]);
    assert_eq!(parsed.diagnostics[0].column, Some(7));
    assert_eq!(framework(&parsed).declared_level_count, None);
    assert_eq!(framework(&parsed).populated_level_count(), 3);
}

#[test]
fn level_prefix_subtitle_and_empty_keys_are_kept() {
    let parsed = read("level-prefix-subtitle.md");
    assert!(codes(&parsed).is_empty(), "{:?}", codes(&parsed));
    let framework = framework(&parsed);
    assert_eq!(framework.level_prefix.as_deref(), Some("E"));
    assert_eq!(framework.level_label(2), "E2");
    assert_eq!(framework.homepage, None);
    assert_eq!(framework.group, None);
    let subtitles: Vec<(&str, Option<&str>)> = framework
        .topics
        .iter()
        .map(|t| (t.key.as_str(), t.subtitle.as_deref()))
        .collect();
    assert_eq!(
        subtitles,
        [(
            "modelling",
            Some("Building, evaluating and shipping models")
        )]
    );
    assert_eq!(
        framework.sublevels,
        Some(vec!["A".into(), "B".into(), "C".into()])
    );
}

#[test]
fn front_matter_sublevels_override_the_prose() {
    let parsed = read("sublevels-override.md");
    assert_eq!(
        framework(&parsed).sublevels,
        Some(vec!["A".into(), "B".into(), "C".into(), "D".into()])
    );
}

#[test]
fn prose_examples_in_every_style() {
    let parsed = read("prose-examples.md");
    assert!(codes(&parsed).is_empty(), "{:?}", codes(&parsed));
    assert_eq!(parsed.format, Some(SourceFormat::Prose));
    let framework = framework(&parsed);
    let behaviours: Vec<(&str, u32, &str, Vec<&str>)> = framework
        .criteria()
        .map(|(topic, level, c)| {
            (
                topic.key.as_str(),
                level,
                c.text.as_str(),
                c.examples.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(behaviours.len(), 8);
    assert_eq!(
        behaviours[0].3,
        vec!["Adding a lint step, caching dependencies between runs, splitting a slow test job"]
    );
    assert_eq!(
        behaviours[1].3,
        vec![
            "A script that seeds a local database",
            "A command that opens the right dashboard for a service"
        ]
    );
    assert_eq!(
        behaviours[2].3,
        vec!["Publishes a weekly chart of median CI duration"]
    );
    let paragraph = behaviours
        .iter()
        .find(|b| b.0 == "impact" && b.1 == 1)
        .expect("paragraph topic");
    assert_eq!(
        paragraph.2,
        "Fixes broken builds on the main branch quickly and tells the team what happened. Picks up small tooling requests from other teams without being chased."
    );
    let quoted = behaviours
        .iter()
        .find(|b| b.2.starts_with("Reviews tooling"))
        .expect("bare quote");
    assert_eq!(
        quoted.3,
        ["*“Will someone new to this repo understand this error message?”*"]
    );
    assert_eq!(framework.example_count(), 6);
    assert!(framework
        .body_markdown
        .starts_with("Developer experience engineers"));
}

#[test]
fn prose_without_levels_is_a_plain_page() {
    let parsed = read("prose-no-levels.md");
    assert_eq!(codes(&parsed), vec![code("no-levels", 9)]);
    assert!(!parsed.has_errors());
    let framework = framework(&parsed);
    assert!(framework.topics.is_empty());
    assert!(!framework.body_markdown.is_empty());
}

#[test]
fn no_front_matter_is_an_error_that_explains_the_format() {
    let parsed = read("no-front-matter.md");
    assert!(parsed.has_errors());
    assert!(parsed.framework.is_none());
    let error = &parsed.diagnostics[0];
    assert_eq!(error.code, "no-front-matter");
    assert_eq!(error.line, Some(1));
    assert!(error.hint.as_deref().unwrap_or("").contains("---"));
}

#[test]
fn a_repeated_behaviour_in_one_topic_is_reported_where_it_repeats() {
    let parsed = read("duplicate-criterion.md");
    assert_eq!(codes(&parsed), vec![code("duplicate-criterion", 24)]);
    assert_eq!(
        parsed.diagnostics[0].message,
        "“Reconciles ledger entries against the bank statement” appears at level 2 (line 20) and again at level 3 of topic “Mastery”"
    );
}

#[test]
fn a_title_naming_one_technology_and_behaviours_another_is_reported() {
    let parsed = read("technology-mismatch.md");
    assert_eq!(codes(&parsed), vec![code("technology-mismatch", 19)]);
    assert_eq!(
        parsed.diagnostics[0].message,
        "the title names Python but behaviours name Go: “Writes idiomatic Go code” (line 19)"
    );
}

#[test]
fn yaml_syntax_errors_have_file_positions_and_a_hint() {
    let parsed = read("bad-yaml.md");
    let error = parsed.errors().next().expect("an error");
    assert_eq!(error.code, "yaml-syntax");
    assert_eq!(
        (error.line, error.column),
        (Some(17), Some(14)),
        "{error:?}"
    );
    assert_eq!(
        error.message,
        "the front matter is not valid YAML: invalid trailing content after double-quoted scalar"
    );
    assert!(error.hint.is_some());
}

#[test]
fn wrong_types_are_errors_at_the_value() {
    let parsed = read("wrong-types.md");
    let errors: Vec<(String, Option<u32>, Option<u32>)> = parsed
        .errors()
        .map(|d| (d.code.clone(), d.line, d.column))
        .collect();
    assert_eq!(
        errors,
        vec![
            ("invalid-value".to_string(), Some(20), Some(16)),
            ("invalid-value".to_string(), Some(21), Some(19))
        ]
    );
    // The rest of the file still reads.
    assert_eq!(framework(&parsed).criterion_count(), 3);
}

#[test]
fn bundled_examples_check_clean() {
    for bundled in ladder_formats::bundled::FRAMEWORKS {
        let parsed = parse(bundled.file_name, bundled.text.as_bytes());
        assert!(
            parsed.diagnostics.is_empty(),
            "{}: {:?}",
            bundled.file_name,
            codes(&parsed)
        );
    }
    let backend = parse(
        "backend.md",
        ladder_formats::bundled::FRAMEWORKS[0].text.as_bytes(),
    );
    let backend = framework(&backend);
    assert_eq!(backend.populated_level_count(), 6);
    let keys: Vec<&str> = backend.topics.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "mastery",
            "impact",
            "influence",
            "communication",
            "leadership"
        ]
    );
    assert_eq!(backend.example_count(), 19);
    assert_eq!(
        backend.sublevels,
        Some(vec!["A".into(), "B".into(), "C".into(), "D".into()])
    );
}

#[test]
fn the_generic_framework_shares_topics_by_key() {
    let read_bundled = |name: &str| {
        let bundled = ladder_formats::bundled::FRAMEWORKS
            .iter()
            .find(|b| b.file_name == name)
            .expect("bundled");
        parse(name, bundled.text.as_bytes())
            .framework
            .expect("framework")
    };
    let generic = read_bundled("generic.md");
    let backend = read_bundled("backend.md");
    let shared: Vec<&str> = generic
        .topics
        .iter()
        .filter(|topic| backend.topics.iter().any(|other| other.key == topic.key))
        .map(|topic| topic.key.as_str())
        .collect();
    assert_eq!(
        shared,
        ["impact", "influence", "communication", "leadership"]
    );
}

#[test]
fn criterion_ids_are_stable_across_reimports_and_unique() {
    let bundled = &ladder_formats::bundled::FRAMEWORKS[0];
    let first = parse("a.md", bundled.text.as_bytes())
        .framework
        .expect("framework");
    let second = parse("b.md", bundled.text.as_bytes())
        .framework
        .expect("framework");
    let ids = |f: &Framework| {
        f.criteria()
            .map(|(_, _, c)| c.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&first), ids(&second));
    let mut unique = ids(&first);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), first.criterion_count());
}
