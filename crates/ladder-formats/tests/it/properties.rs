//! Property tests: writing a framework in any format and reading it back gives
//! the same model; no input, however mangled, makes the reader panic.

use ladder_core::{Criterion, Framework, Level, Topic};
use ladder_formats::{parse, parse_json, to_json, to_prose, to_structured};
use proptest::prelude::*;

use crate::common::{edits, mangle};

const SPECIAL_WORDS: &[&str] = &[
    "café",
    "naïve",
    "Zürich",
    "🛠️",
    "日本語",
    "“quoted”",
    "don’t",
    "–",
    "C#",
    "50%",
    "(e.g.",
    "R&D",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z]{1,9}".prop_map(|w| w),
        1 => proptest::sample::select(SPECIAL_WORDS).prop_map(str::to_string),
    ]
}

fn sentence(max_words: usize) -> impl Strategy<Value = String> {
    (
        "[A-Z][a-z]{1,8}",
        proptest::collection::vec(word(), 0..max_words),
    )
        .prop_map(|(first, rest)| {
            let mut text = first;
            for word in rest {
                text.push(' ');
                text.push_str(&word);
            }
            text
        })
}

fn criterion() -> impl Strategy<Value = Criterion> {
    (sentence(12), proptest::collection::vec(sentence(10), 0..3)).prop_map(|(text, examples)| {
        Criterion {
            id: String::new(),
            text,
            examples,
        }
    })
}

fn topic() -> impl Strategy<Value = Topic> {
    (
        sentence(3),
        proptest::option::of("[a-z]{2,8}(_[a-z]{2,6})?"),
        proptest::option::of(sentence(6)),
        proptest::collection::btree_map(
            0u32..8,
            proptest::collection::vec(criterion(), 0..4),
            1..5,
        ),
    )
        .prop_map(|(title, key, subtitle, levels)| Topic {
            key: key.unwrap_or_else(|| ladder_core::text::slugify(&title)),
            title,
            subtitle,
            levels: levels
                .into_iter()
                .map(|(number, criteria)| Level { number, criteria })
                .collect(),
        })
}

fn body() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            sentence(15),
            sentence(4).prop_map(|s| format!("### {s}")),
            sentence(8).prop_map(|s| format!("- {s}")),
        ],
        0..6,
    )
    .prop_map(|lines| lines.join("\n\n"))
}

prop_compose! {
    fn framework()(
        path in proptest::option::of("/[a-z]{2,8}/[a-z]{2,8}"),
        title in sentence(5),
        sidebar_title in proptest::option::of(sentence(2)),
        group in proptest::option::of("[a-z]{3,10}"),
        declared_level_count in proptest::option::of(0u32..8),
        level_prefix in proptest::option::of("[A-Z]"),
        sublevels in proptest::option::of(1u8..6),
        homepage in proptest::option::of(any::<bool>()),
        body_markdown in body(),
        topics in proptest::collection::vec(topic(), 0..5),
    ) -> Framework {
        let slug = path.as_deref().map(ladder_core::text::slugify).unwrap_or_default();
        let mut unique_topics: Vec<Topic> = Vec::new();
        for topic in topics {
            if !topic.key.is_empty() && !unique_topics.iter().any(|t| t.key == topic.key) {
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
            sublevels: sublevels.map(|n| (0..=n).map(|i| ((b'A' + i) as char).to_string()).collect()),
            homepage,
            body_markdown,
            topics: unique_topics,
            source: None,
            warnings: Vec::new(),
        }
    }
}

/// Imports a written file, which must read without errors.
fn import(name: &str, text: &str) -> Framework {
    let parsed = parse(name, text.as_bytes());
    let errors: Vec<_> = parsed.errors().collect();
    assert!(
        errors.is_empty(),
        "{name} has errors {errors:?} in:\n{text}"
    );
    parsed.framework.expect("framework")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_format_round_trips_exactly(generated in framework()) {
        // The first import settles ids and normalisation; from then on every
        // writer must reproduce the model exactly.
        let model = import("generated.md", &to_structured(&generated));
        prop_assert_eq!(model.criterion_count(), generated.criterion_count());
        let texts = |f: &Framework| f.criteria().map(|(_, _, c)| c.text.clone()).collect::<Vec<_>>();
        prop_assert_eq!(texts(&model), texts(&generated));
        prop_assert_eq!(&model.title, &generated.title);

        let structured = import("generated.md", &to_structured(&model));
        prop_assert_eq!(structured.content(), model.content());

        let prose_text = to_prose(&model);
        let prose = import("generated.md", &prose_text);
        prop_assert_eq!(prose.content(), model.content(), "prose was:\n{}", prose_text);

        let json = parse_json("model.json", &to_json(&model)).expect("json reads");
        prop_assert_eq!(json, model);
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
            let _ = parse("structured.md", to_structured(framework).as_bytes());
            let _ = parse("prose.md", to_prose(framework).as_bytes());
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
