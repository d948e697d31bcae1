//! Property tests: writing a framework in any format and reading it back gives
//! the same model; no input, however mangled, makes the reader panic.
//!
//! The generator makes models in the canonical form a reader produces, so the
//! first import must already give the model back, whole (compared with
//! `Framework::content`, which drops only the source and the warnings). Where a
//! field is canonical only in some forms, the strategy for it says why.

use std::collections::HashMap;

use ladder_core::text::slugify;
use ladder_core::{criterion_id, Criterion, Framework, Level, Topic};
use ladder_formats::{parse, parse_json, to_json, to_prose, to_structured};
use proptest::prelude::*;

use crate::common::{edits, mangle, sentence, spaced, words, HOSTILE, ODD_SPACES};

/// A behaviour or example. The readers collapse whitespace in these (a
/// behaviour's identity ignores wrapping), so words are joined by one space.
fn behaviour_text() -> impl Strategy<Value = String> {
    words(12)
}

fn criterion() -> impl Strategy<Value = Criterion> {
    (
        behaviour_text(),
        proptest::collection::vec(behaviour_text(), 0..3),
    )
        .prop_map(|(text, examples)| Criterion {
            id: String::new(),
            text,
            examples,
        })
}

/// A topic key (the structured `name`, which frameworks share topics by):
/// mostly an identifier, but a file may name a topic with any one-line text.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z][a-z0-9]{0,7}([_-][a-z0-9]{1,6})?",
        1 => spaced(3, false),
    ]
}

fn level_number() -> impl Strategy<Value = u32> {
    prop_oneof![
        6 => 0u32..8,
        1 => any::<u32>(),
    ]
}

/// A topic's title and subtitle are headings in prose: one line each, trimmed.
fn topic() -> impl Strategy<Value = Topic> {
    (
        spaced(4, false),
        key(),
        proptest::option::of(spaced(8, false)),
        // Every topic has a level: prose lists topics only inside levels.
        proptest::collection::btree_map(
            level_number(),
            proptest::collection::vec(criterion(), 0..4),
            1..5,
        ),
    )
        .prop_map(|(title, key, subtitle, levels)| Topic {
            key,
            title,
            subtitle,
            levels: levels
                .into_iter()
                .map(|(number, criteria)| Level { number, criteria })
                .collect(),
        })
}

/// A line of home text that is not structure in either format.
fn body_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => sentence(15),
        1 => (proptest::sample::select(ODD_SPACES), sentence(6))
            .prop_map(|(space, text)| format!("{space}{text}")),
        1 => (sentence(6), proptest::sample::select(&["  ", " \\", "\t"][..]))
            .prop_map(|(text, end)| format!("{text}{end}")),
        1 => proptest::sample::select(HOSTILE).prop_map(|token| format!("Note {token}")),
        1 => sentence(4).prop_map(|s| format!("# {s}")),
        1 => sentence(4).prop_map(|s| format!("## About {s}")),
        1 => sentence(4).prop_map(|s| format!("### {s}")),
        1 => sentence(8).prop_map(|s| format!("- {s}")),
        1 => sentence(8).prop_map(|s| format!("> {s}")),
        1 => sentence(8).prop_map(|s| format!("    {s}")),
        1 => Just("---".to_string()),
        1 => Just("...".to_string()),
        // Fenced code is opaque, level headings inside it included.
        1 => sentence(6).prop_map(|s| format!("```\n## Level 2\n{s}\n```")),
    ]
}

/// Home text as a reader keeps it: no blank lines before it, no whitespace
/// after it. Prose level headings and unclosed code fences are structure in a
/// prose file, so home text holds them only inside closed fences.
fn body() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        (
            body_line(),
            proptest::sample::select(&["\n", "\n\n", "\n  \n", "\n\t\n"][..]),
        ),
        0..6,
    )
    .prop_map(|lines| {
        let mut text = String::new();
        for (line, separator) in lines {
            text.push_str(&line);
            text.push_str(separator);
        }
        text.trim_end().to_string()
    })
}

/// Sub-level letters: the readers accept single capital letters only.
fn sublevels() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        (0u8..6).prop_map(|last| (0..=last)
            .map(|i| ((b'A' + i) as char).to_string())
            .collect()),
        proptest::collection::vec("[A-Z]", 1..6),
    ]
}

/// A level prefix: prose writes "## Level 12", which with a prefix that
/// starts with a digit ("1") would read as level 2.
fn level_prefix() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Z]{1,2}",
        spaced(2, true).prop_filter("starts with a digit", |prefix| {
            !prefix.starts_with(|c: char| c.is_ascii_digit())
        }),
    ]
}

/// Gives every criterion the id a reader gives it: topic, level and text,
/// with `-2`, `-3` for repeats within a level.
fn with_ids(mut topics: Vec<Topic>) -> Vec<Topic> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    for topic in &mut topics {
        for level in &mut topic.levels {
            for criterion in &mut level.criteria {
                let base = criterion_id(&topic.key, level.number, &criterion.text);
                let count = seen.entry(base.clone()).or_insert(0);
                *count += 1;
                criterion.id = match *count {
                    1 => base,
                    n => format!("{base}-{n}"),
                };
            }
        }
    }
    topics
}

prop_compose! {
    /// Front-matter text is trimmed by the readers and may hold any
    /// whitespace, line breaks included, inside.
    fn framework()(
        path in proptest::option::of(spaced(4, true)),
        title in spaced(6, true),
        sidebar_title in proptest::option::of(spaced(3, true)),
        group in proptest::option::of(spaced(3, true)),
        declared_level_count in proptest::option::of(any::<u32>()),
        level_prefix in proptest::option::of(level_prefix()),
        sublevels in proptest::option::of(sublevels()),
        homepage in proptest::option::of(any::<bool>()),
        body_markdown in body(),
        topics in proptest::collection::vec(topic(), 0..5),
    ) -> Framework {
        // The slug comes from the path, else from the file name.
        let slug = path
            .as_deref()
            .map(slugify)
            .filter(|slug| !slug.is_empty())
            .unwrap_or_else(|| "generated".to_string());
        let mut unique_topics: Vec<Topic> = Vec::new();
        for topic in topics {
            if !unique_topics.iter().any(|t| t.key == topic.key) {
                unique_topics.push(topic);
            }
        }
        Framework {
            slug,
            path,
            title,
            sidebar_title,
            group,
            declared_level_count,
            level_prefix,
            sublevels,
            homepage,
            body_markdown,
            topics: with_ids(unique_topics),
            source: None,
            warnings: Vec::new(),
        }
    }
}

/// Reads a written file, which must read without errors, and returns the
/// model read.
fn reread(name: &str, text: &str) -> Result<Framework, TestCaseError> {
    let parsed = parse(name, text.as_bytes());
    let errors: Vec<_> = parsed.errors().collect();
    prop_assert!(
        errors.is_empty(),
        "{} has errors {:?} in:\n{}",
        name,
        errors,
        text
    );
    match parsed.framework {
        Some(framework) => Ok(framework),
        None => Err(TestCaseError::fail(format!(
            "{name} built no model from:\n{text}"
        ))),
    }
}

/// Whether the prose form can say everything in `model`. It cannot hold a
/// topic without levels (prose lists topics inside levels), a topic title
/// that is empty or a heading broken over lines, home text with a line that
/// reads as a level heading or an unclosed code fence (both are structure in
/// prose), or a level prefix starting with a digit ("## Level 12" with prefix
/// "1" reads as level 2).
fn prose_can_hold(model: &Framework) -> bool {
    let one_line = |text: &str| !text.contains('\n');
    let topics = model.topics.iter().all(|topic| {
        !topic.levels.is_empty()
            && !topic.title.is_empty()
            && one_line(&topic.title)
            && one_line(&topic.key)
            && topic.subtitle.as_deref().is_none_or(one_line)
    });
    let prefix = model.level_prefix.as_deref().unwrap_or_default();
    topics
        && !prefix.starts_with(|c: char| c.is_ascii_digit())
        && home_text_can_precede_levels(&model.body_markdown, prefix, !model.topics.is_empty())
}

/// No line that reads as a level heading outside a code fence, and, when
/// levels follow, no fence left open.
fn home_text_can_precede_levels(body: &str, prefix: &str, levels_follow: bool) -> bool {
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        // Indented four columns or more (a tab counts to the next stop of
        // four), a line is never structure.
        let indent = line
            .chars()
            .take_while(|c| matches!(c, ' ' | '\t'))
            .fold(0, |width, c| {
                if c == '\t' {
                    width + 4 - width % 4
                } else {
                    width + 1
                }
            });
        if indent >= 4 {
            continue;
        }
        let trimmed = line.trim_start();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            continue;
        }
        if let Some(marker) = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m)) {
            fence = Some(marker);
            continue;
        }
        if trimmed
            .strip_prefix("## ")
            .is_some_and(|heading| reads_as_level(heading, prefix))
        {
            return false;
        }
    }
    fence.is_none() || !levels_follow
}

/// "Level 3", "Level E3", "E3" (prefix "E"), "Level 3: Senior": a level
/// number that fits in u32, then nothing or one of `:-–—(`.
fn reads_as_level(heading: &str, prefix: &str) -> bool {
    let heading = heading.trim();
    let prefix = Some(prefix).filter(|prefix| !prefix.is_empty());
    let after_level = heading
        .get(..5)
        .filter(|word| word.eq_ignore_ascii_case("level"))
        .and_then(|_| heading.get(5..))
        .map(str::trim_start);
    let Some(rest) = after_level.or_else(|| prefix.and_then(|p| heading.strip_prefix(p))) else {
        return false;
    };
    let rest = prefix.and_then(|p| rest.strip_prefix(p)).unwrap_or(rest);
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let after = rest[digits..].trim_start();
    digits > 0
        && rest[..digits].parse::<u32>().is_ok()
        && (after.is_empty() || after.starts_with([':', '-', '–', '—', '(']))
}

/// Every writer's output reads back as `model`, whole. Without a `path` the
/// slug comes from the file name, so the output is read under `name` again.
fn assert_round_trips(name: &str, model: &Framework) -> Result<(), TestCaseError> {
    let structured = to_structured(model);
    prop_assert_eq!(
        reread(name, &structured)?.content(),
        model.content(),
        "structured was:\n{}",
        structured
    );
    let json = to_json(model);
    match parse_json("generated.json", &json) {
        Ok(read) => prop_assert_eq!(read, model.clone(), "json was:\n{}", json),
        Err(error) => prop_assert!(false, "{:?} in:\n{}", error, json),
    }
    if !prose_can_hold(model) {
        return Ok(());
    }
    let prose = to_prose(model);
    prop_assert_eq!(
        reread(name, &prose)?.content(),
        model.content(),
        "prose was:\n{}",
        prose
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_format_round_trips_exactly(generated in framework()) {
        prop_assert!(prose_can_hold(&generated), "the generator makes only models prose can hold");
        assert_round_trips("generated.md", &generated)?;
    }

    #[test]
    fn mangled_files_never_panic(seed in 0usize..4, edits in edits()) {
        let sources = [
            ladder_formats::bundled::FRAMEWORKS[0].text,
            ladder_formats::bundled::FRAMEWORKS[1].text,
            ladder_formats::bundled::FRAMEWORKS[2].text,
            "---\ntitle: \"x\"\nyaml: true\ntopics:\n  - name: \"a\"\n    content:\n      - level: 1\n        criteria:\n          - \"b\"\n---\n",
        ];
        const FRAGMENTS: &[&str] = &[
            "\t", "---\n", "- ", "> ", ": ", "\"", "## Level 9\n", "### T\n", "‚Äô", "\u{8F}", "\0", "{", "[", "&a ", "*a",
            "!!binary ", "\r\n", "    - ", "levels: x\n", "üõ†", "## Level 99999999999\n", "level: -1", "```\n",
        ];
        let mut bytes = sources[seed].as_bytes().to_vec();
        mangle(&mut bytes, edits, FRAGMENTS);
        let parsed = parse("mangled.md", &bytes);
        for diagnostic in &parsed.diagnostics {
            prop_assert!(!diagnostic.code.is_empty() && !diagnostic.message.is_empty());
        }
        if let Some(framework) = &parsed.framework {
            // Whatever was understood can be written and read again.
            assert_round_trips("mangled.md", framework)?;
        }
    }
}

#[test]
fn deeply_nested_yaml_is_an_error_not_a_crash() {
    let text = format!("---\ntitle: {}\n---\n", "[".repeat(20_000));
    let parsed = parse("deep.md", text.as_bytes());
    assert!(parsed.has_errors());
}

#[test]
fn invalid_utf8_is_an_error_with_a_position() {
    let parsed = parse("latin1.md", b"---\ntitle: \"caf\xe9\"\n---\n");
    let error = parsed.errors().next().expect("error");
    assert_eq!(error.code, "invalid-utf8");
    assert_eq!(error.line, Some(2));
    assert_eq!(error.column, Some(12));
}
