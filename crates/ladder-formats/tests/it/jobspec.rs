//! Job-spec files: the bundled demo, every diagnostic with its position, and
//! the round trip `parse_job_spec(to_yaml(spec)) == spec` as a property.

use ladder_core::jobspec::{Competency, FrameworkBasis, JobSpecBody, MustHave, RoundItem, Weight};
use ladder_core::limits;
use ladder_core::{Diagnostic, Severity};
use ladder_formats::bundled::JOB_SPECS;
use ladder_formats::jobspec::{
    derive_item_id, looks_like_job_spec, parse_job_spec, to_yaml, ParsedJobSpec,
};
use proptest::prelude::*;

use crate::common::{at, codes, edits, mangle, only, sentence, spaced, word, words, ODD_SPACES};

fn read(text: &str) -> ParsedJobSpec {
    parse_job_spec("spec.yaml", text)
}

fn demo() -> &'static str {
    JOB_SPECS
        .iter()
        .find(|spec| spec.file_name == "senior-backend-payments.yaml")
        .expect("bundled demo")
        .text
}

#[test]
fn the_demo_spec_reads_without_any_diagnostic() {
    assert!(looks_like_job_spec(demo()));
    let parsed = parse_job_spec("senior-backend-payments.yaml", demo());
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    assert_eq!(parsed.id, None);
    let spec = parsed.spec.expect("spec");
    assert_eq!(spec.title, "Senior Backend Engineer — Payments Platform");
    assert_eq!(spec.seniority, "senior");
    assert_eq!(
        spec.basis,
        Some(FrameworkBasis {
            slug: "engineering-backend".into(),
            level: 4
        })
    );
    assert_eq!(spec.description.trim().split("\n\n").count(), 4);

    let weights: Vec<String> = spec
        .competencies
        .iter()
        .map(|c| c.weight.decimal())
        .collect();
    assert_eq!(weights, ["0.35", "0.25", "0.25", "0.15"]);
    assert_eq!(spec.total_weight(), Weight::ONE);
    assert!(spec.balanced());
    assert!(
        spec.publish_problems().is_empty(),
        "{:?}",
        spec.publish_problems()
    );
    for competency in &spec.competencies {
        assert!(
            competency.definition.contains("For this role: "),
            "{}",
            competency.name
        );
    }

    assert_eq!(spec.must_haves.len(), 4);
    assert!(spec.must_haves.iter().all(|m| m.required));
    assert_eq!((spec.round1.len(), spec.round2.len()), (3, 4));
    for (round, items) in [("round1", &spec.round1), ("round2", &spec.round2)] {
        for item in items {
            assert_eq!(item.id, derive_item_id(round, &item.text));
            assert_eq!(item.origin, "edited");
            assert!(item.competency_id.is_some());
        }
    }
}

#[test]
fn the_demo_exports_and_reads_back_the_same() {
    let spec = read(demo()).spec.expect("spec");
    let id = "e08648f7-89b4-43e1-a447-313d10011b50";
    let text = to_yaml(&spec, Some(id), Some("v1-U_WN6k"));
    assert!(text.starts_with(
        "kind: job-spec\nid: \"e08648f7-89b4-43e1-a447-313d10011b50\"\nversion: \"v1-U_WN6k\"\n"
    ));
    assert!(text.contains("    weight: \"0.35\"\n"), "{text}");
    assert!(text.contains("description: |\n  Northwind"), "{text}");
    let again = read(&text);
    assert!(again.diagnostics.is_empty(), "{:#?}", again.diagnostics);
    assert_eq!(again.id.as_deref(), Some(id));
    assert_eq!(again.spec.as_ref(), Some(&spec));
    // Writing is deterministic: a second export is the same file.
    assert_eq!(to_yaml(&spec, Some(id), Some("v1-U_WN6k")), text);
}

#[test]
fn ids_are_derived_when_absent_and_kept_when_given() {
    let parsed = read(
        "kind: job-spec
title: \"T\"
competencies:
  - name: \"Domain Ownership & Reliability\"
    weight: 1
  - name: \"Other\"
    id: custom_id
    weight: 0
round1:
  - \"What would you do?\"
  - text: \"And then?\"
    id: \"q-mine\"
round2:
  - text: \"What would you do?\"
",
    );
    assert!(!parsed.has_errors(), "{:#?}", parsed.diagnostics);
    let spec = parsed.spec.expect("spec");
    assert_eq!(spec.competencies[0].id, "domain_ownership_and_reliability");
    assert_eq!(spec.competencies[1].id, "custom_id");
    let derived = &spec.round1[0].id;
    assert!(
        derived.starts_with("q-") && derived.len() == 10,
        "{derived}"
    );
    assert!(derived[2..].chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(derived, &derive_item_id("round1", "What would you do?"));
    assert_eq!(spec.round1[1].id, "q-mine");
    // The same text in the other round gets another id.
    assert_ne!(spec.round2[0].id, spec.round1[0].id);
    assert_eq!(spec.round1[0].origin, "edited");
}

#[test]
fn weights_accept_every_documented_spelling() {
    let parsed = read(
        "kind: job-spec
title: \"T\"
competencies:
  - { name: \"A\", weight: 0.35 }
  - { name: \"B\", weight: \"0.25\" }
  - { name: \"C\", weight: 25% }
  - { name: \"D\", weight: \".15\" }
",
    );
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    let spec = parsed.spec.expect("spec");
    let points: Vec<u32> = spec.competencies.iter().map(|c| c.weight.0).collect();
    assert_eq!(points, [3500, 2500, 2500, 1500]);
}

#[test]
fn must_haves_default_to_required_and_accept_plain_text() {
    let parsed = read(
        "kind: job-spec
title: \"T\"
competencies: [{ name: \"A\", weight: 1 }]
must_haves:
  - \"Five years of something\"
  - text: \"Postgres\"
  - text: \"Kafka\"
    required: false
",
    );
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    let spec = parsed.spec.expect("spec");
    assert_eq!(
        spec.must_haves,
        vec![
            MustHave {
                text: "Five years of something".into(),
                required: true
            },
            MustHave {
                text: "Postgres".into(),
                required: true
            },
            MustHave {
                text: "Kafka".into(),
                required: false
            },
        ]
    );
}

#[test]
fn yaml_syntax_errors_point_at_the_line() {
    let parsed = read("kind: job-spec\ntitle: \"T\"\ndescription: \"unclosed\ncompetencies: []\n");
    assert!(parsed.spec.is_none());
    let error = only(&parsed.diagnostics, "yaml-syntax");
    assert_eq!(error.severity, Severity::Error);
    assert_eq!(at(error), (3, 14), "{error:?}");
    assert!(error.message.starts_with("spec.yaml is not valid YAML"));
    assert!(error.hint.is_some());

    let parsed =
        read("kind: job-spec\ntitle: \"T\"\ncompetencies:\n  - name: \"A\"\n   weight: 1\n");
    assert_eq!(at(only(&parsed.diagnostics, "yaml-syntax")), (5, 4));
}

#[test]
fn files_without_the_kind_marker_are_not_job_specs() {
    let parsed = read("# a comment\ntitle: \"T\"\ncompetencies: []\n");
    assert_eq!(codes(&parsed.diagnostics), ["not-a-job-spec"]);
    assert_eq!(at(&parsed.diagnostics[0]), (2, 1));
    assert!(parsed.spec.is_none());
    assert!(parsed.diagnostics[0]
        .hint
        .as_deref()
        .unwrap_or("")
        .contains("kind: job-spec"));

    let parsed = read("title: \"T\"\nkind: framework\n");
    let error = only(&parsed.diagnostics, "not-a-job-spec");
    assert_eq!(at(error), (2, 7));
    assert!(
        error.message.contains("the text \"framework\""),
        "{}",
        error.message
    );

    let parsed = read("");
    assert_eq!(at(only(&parsed.diagnostics, "not-a-job-spec")), (1, 1));
    let parsed = read("- kind: job-spec\n");
    assert_eq!(at(only(&parsed.diagnostics, "not-a-job-spec")), (1, 1));

    // A framework file gets a hint saying so.
    let framework = ladder_formats::bundled::FRAMEWORKS[0].text;
    assert!(!looks_like_job_spec(framework));
    let parsed = read(framework);
    let error = only(&parsed.diagnostics, "not-a-job-spec");
    assert!(
        error
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("progression framework"),
        "{error:?}"
    );
}

#[test]
fn looks_like_job_spec_reads_the_top_level_kind() {
    assert!(looks_like_job_spec("kind: job-spec\ntitle: x\n"));
    assert!(looks_like_job_spec(
        "\u{FEFF}# c\ntitle: x\nkind: \"job-spec\"\n"
    ));
    assert!(looks_like_job_spec("---\nkind: job-spec\n"));
    // Still recognised with a syntax error further down, so the user gets the
    // job-spec reader's diagnostics.
    assert!(looks_like_job_spec("kind: job-spec\ntitle: \"unclosed\n"));
    assert!(looks_like_job_spec(
        "kind: job-spec\r\ntitle: \"unclosed\r\n"
    ));
    assert!(!looks_like_job_spec(
        "title: x\nnested:\n  kind: job-spec\n"
    ));
    assert!(!looks_like_job_spec("kind: framework\n"));
    assert!(!looks_like_job_spec(""));
    assert!(!looks_like_job_spec(
        "---\ntitle: \"x\"\nyaml: true\n---\n# Body\n"
    ));
}

#[test]
fn a_missing_or_blank_title_is_an_error() {
    let parsed = read("kind: job-spec\ncompetencies: [{ name: \"A\", weight: 1 }]\n");
    let error = only(&parsed.diagnostics, "missing-title");
    assert_eq!(error.severity, Severity::Error);
    assert_eq!(at(error), (1, 1));
    assert!(parsed.spec.is_none());

    let parsed =
        read("kind: job-spec\ntitle: \"  \"\ncompetencies: [{ name: \"A\", weight: 1 }]\n");
    assert_eq!(at(only(&parsed.diagnostics, "missing-title")), (2, 8));

    let parsed =
        read("kind: job-spec\ntitle:\n  - \"T\"\ncompetencies: [{ name: \"A\", weight: 1 }]\n");
    assert_eq!(
        codes(&parsed.diagnostics),
        ["invalid-value"],
        "{:#?}",
        parsed.diagnostics
    );
    assert_eq!(at(&parsed.diagnostics[0]), (3, 3));
}

#[test]
fn bad_weights_are_errors_at_the_weight() {
    let parsed = read(
        "kind: job-spec
title: \"T\"
competencies:
  - name: \"A\"
    weight: 0.3.5
  - name: \"B\"
    weight: 150%
  - name: \"C\"
    definition: \"no weight\"
  - name: \"D\"
    weight: [1]
",
    );
    assert!(parsed.spec.is_none());
    let errors: Vec<&Diagnostic> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == "invalid-weight")
        .collect();
    assert_eq!(errors.len(), 4, "{:#?}", parsed.diagnostics);
    assert_eq!(at(errors[0]), (5, 13));
    assert_eq!(
        errors[0].message,
        Weight::parse("0.3.5").expect_err("bad").0
    );
    assert_eq!(at(errors[1]), (7, 13));
    assert_eq!(errors[1].message, Weight::parse("150%").expect_err("bad").0);
    assert_eq!(at(errors[2]), (8, 5));
    assert!(
        errors[2].message.contains("“C” has no `weight`"),
        "{}",
        errors[2].message
    );
    assert_eq!(at(errors[3]), (11, 13));
    assert!(errors
        .iter()
        .all(|e| e.hint.as_deref().unwrap_or("").contains("35%")));
    // No balance warning on top of weights that could not be read.
    assert!(!codes(&parsed.diagnostics).contains(&"unbalanced-weights"));
}

#[test]
fn values_of_the_wrong_type_are_errors() {
    let parsed = read(
        "kind: job-spec
id: \"not-a-uuid\"
title: \"T\"
framework: { slug: \"engineering-backend\", level: high }
competencies:
  - name: \"A\"
    weight: 1
must_haves:
  - text: \"Postgres\"
    required: maybe
  - [\"nested\"]
round1: \"just one question\"
round2:
  - text: \"Q\"
    grounding: { a: b }
",
    );
    assert!(parsed.spec.is_none());
    let positions: Vec<(u32, u32)> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == "invalid-value" && d.is_error())
        .map(at)
        .collect();
    assert_eq!(
        positions,
        [(2, 5), (4, 50), (10, 15), (11, 5), (12, 9), (15, 16)],
        "{:#?}",
        parsed.diagnostics
    );
    assert_eq!(parsed.id, None);
    let required = parsed
        .diagnostics
        .iter()
        .find(|d| d.line == Some(10))
        .expect("required");
    assert_eq!(
        required.message,
        "`required` must be true or false, but it is the text \"maybe\""
    );
    assert_eq!(
        required.hint.as_deref(),
        Some("write `required: true` or `required: false`")
    );

    let parsed = read("kind: job-spec\ntitle: \"T\"\ncompetencies: \"A, B\"\n");
    assert_eq!(at(only(&parsed.diagnostics, "invalid-value")), (3, 15));
    // The list could not be read, so no "no competencies" warning besides.
    assert_eq!(codes(&parsed.diagnostics), ["invalid-value"]);
}

#[test]
fn unknown_and_repeated_keys_are_warnings() {
    let parsed = read(
        "kind: job-spec
title: \"T\"
questions:
  - \"Q\"
competencies:
  - name: \"A\"
    weight: 1
    descripton: \"typo\"
round2:
  - text: \"P\"
    prompt: \"x\"
title: \"Again\"
",
    );
    assert!(!parsed.has_errors(), "{:#?}", parsed.diagnostics);
    let unknown: Vec<&Diagnostic> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == "unknown-key")
        .collect();
    assert_eq!(
        unknown.iter().map(|d| at(d)).collect::<Vec<_>>(),
        [(3, 1), (8, 5), (11, 5)]
    );
    assert!(unknown.iter().all(|d| d.severity == Severity::Warning));
    assert_eq!(
        unknown[0].message,
        "unknown job-spec key `questions` is ignored"
    );
    assert!(unknown[0]
        .hint
        .as_deref()
        .unwrap_or("")
        .starts_with("did you mean `round1`?"));
    assert!(unknown[2]
        .hint
        .as_deref()
        .unwrap_or("")
        .starts_with("did you mean `text`?"));
    let repeated = only(&parsed.diagnostics, "duplicate-key");
    assert_eq!(
        (at(repeated), repeated.severity),
        ((12, 1), Severity::Warning)
    );
    let spec = parsed.spec.expect("spec");
    assert_eq!(spec.title, "T");
    assert!(spec.round1.is_empty());
}

#[test]
fn competency_ids_must_be_snake_case_and_unique() {
    let parsed = read(
        "kind: job-spec
title: \"T\"
competencies:
  - name: \"Rigor\"
    weight: 0.5
  - name: \"rigor!\"
    weight: 0.25
  - name: \"Third\"
    id: Bad-Id
    weight: 0.25
",
    );
    assert!(parsed.spec.is_none());
    let errors: Vec<&Diagnostic> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == "invalid-competency-id")
        .collect();
    assert_eq!(errors.len(), 2, "{:#?}", parsed.diagnostics);
    assert_eq!(at(errors[0]), (6, 5));
    assert!(errors[0]
        .message
        .contains("the id rigor is used by another competency"));
    assert_eq!(at(errors[1]), (9, 9));
    assert!(errors[1]
        .message
        .contains("“Bad-Id” is not a snake_case id"));
    assert!(errors.iter().all(|e| e.is_error() && e.hint.is_some()));
}

#[test]
fn round_items_must_reference_known_competencies() {
    let parsed = read(
        "kind: job-spec
title: \"T\"
competencies:
  - name: \"Distributed Systems Rigor\"
    weight: 1
round1:
  - text: \"Q1\"
    competency: distributed_systems_rigor
round2:
  - text: \"P1\"
    competency: postgres
",
    );
    assert!(parsed.spec.is_none());
    let error = only(&parsed.diagnostics, "unknown-competency");
    assert_eq!(at(error), (11, 17));
    assert_eq!(
        error.message,
        "there is no competency postgres: this spec's competencies: distributed_systems_rigor"
    );
}

#[test]
fn empty_entries_are_errors_at_their_lines() {
    let parsed = read(
        "kind: job-spec
title: \"T\"
competencies:
  - weight: 1
must_haves:
  - text: \"\"
round1:
  - competency: \"\"
  - text: \"Q\"
    id: \"q-1\"
  - text: \"Q2\"
    id: \"q-1\"
",
    );
    assert!(parsed.spec.is_none());
    assert_eq!(
        at(only(&parsed.diagnostics, "missing-competency-name")),
        (4, 5)
    );
    assert_eq!(at(only(&parsed.diagnostics, "empty-must-have")), (6, 11));
    assert_eq!(at(only(&parsed.diagnostics, "empty-item")), (8, 5));
    assert_eq!(at(only(&parsed.diagnostics, "duplicate-item-id")), (12, 9));
}

#[test]
fn unbalanced_weights_are_only_a_warning() {
    let parsed = read(
        "kind: job-spec
title: \"Draft\"
competencies:
  - { name: \"A\", weight: 0.35 }
  - { name: \"B\", weight: 0.25 }
  - { name: \"C\", weight: 0.25 }
  - { name: \"D\", weight: 0.10 }
",
    );
    assert!(!parsed.has_errors());
    let warning = only(&parsed.diagnostics, "unbalanced-weights");
    assert_eq!((at(warning), warning.severity), ((3, 1), Severity::Warning));
    let spec = parsed.spec.as_ref().expect("a draft may be unbalanced");
    let message = spec.balance_message().expect("unbalanced");
    assert_eq!(message, "Total weight: 0.95 — add 0.05");
    assert_eq!(
        warning.message,
        format!(
            "{message}; a draft may be unbalanced, but weights must sum to exactly 1.00 to publish"
        )
    );
    assert_eq!(
        warning.hint.as_deref(),
        Some("the weights are a 0.35, b 0.25, c 0.25, d 0.10")
    );

    let parsed = read("kind: job-spec\ntitle: \"Empty draft\"\n");
    assert_eq!(codes(&parsed.diagnostics), ["no-competencies"]);
    assert!(parsed.spec.is_some());
}

#[test]
fn mojibake_is_repaired_with_a_warning() {
    let parsed = read(
        "kind: job-spec\ntitle: \"Payments\"\nseniority: \"senior\"\ndescription: \"We‚Äôre hiring\"\ncompetencies: [{ name: \"A\", weight: 1 }]\n",
    );
    assert!(!parsed.has_errors());
    let warning = only(&parsed.diagnostics, "mojibake-repaired");
    assert_eq!(
        (at(warning), warning.severity),
        ((4, 17), Severity::Warning)
    );
    assert_eq!(
        warning.message,
        "repaired 1 character sequence of UTF-8 text that had been decoded as Mac Roman and saved again (e.g. “‚Äô” → “’”)"
    );
    assert_eq!(parsed.spec.expect("spec").description, "We’re hiring");
}

#[test]
fn byte_order_marks_crlf_and_tabs_are_tolerated() {
    let parsed = read("\u{FEFF}kind: job-spec\r\ntitle: \"T\"\r\ncompetencies:\r\n  -\t{ name: \"A\", weight: 1 }\r\n");
    assert_eq!(
        codes(&parsed.diagnostics),
        ["yaml-tab-recovered"],
        "{:#?}",
        parsed.diagnostics
    );
    assert_eq!(parsed.spec.expect("spec").competencies.len(), 1);
}

#[test]
fn a_valid_uuid_is_returned_as_the_id() {
    let parsed = read(
        "kind: job-spec\nid: E08648F7-89B4-43E1-A447-313D10011B50\nversion: \"v3-abc\"\ntitle: \"T\"\ncompetencies: [{ name: \"A\", weight: 1 }]\n",
    );
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    assert_eq!(
        parsed.id.as_deref(),
        Some("e08648f7-89b4-43e1-a447-313d10011b50")
    );
}

#[test]
fn descriptions_of_every_shape_round_trip() {
    for description in [
        "",
        "one line",
        "two\nlines",
        "two\nlines\n",
        "ends with\n\n",
        "\nstarts with a newline",
        "  indented first line\nsecond",
        "trailing space \nhere",
        "a\n\n\nb\n",
        "a\n  indented\n    more\nb",
        "# not a comment\n- not a list\nkey: not a key\n",
        "tab\there\n",
        "quotes \" and \\ backslash\n",
    ] {
        let spec = JobSpecBody {
            title: "T".into(),
            seniority: String::new(),
            description: description.into(),
            basis: None,
            competencies: vec![],
            must_haves: vec![],
            round1: vec![],
            round2: vec![],
        };
        let text = to_yaml(&spec, None, None);
        assert_eq!(read(&text).spec, Some(spec), "{description:?} as:\n{text}");
    }
}

// ---------------------------------------------------------------- properties

// A job spec keeps every text exactly as written (only a blank title, name,
// must-have or question is an error), so texts here may hold any whitespace
// anywhere, around them included.

/// `text` cut to the longest a field accepts (`ladder_core::limits`): longer
/// text is an error (`text-too-long`), not something to round-trip.
fn within(text: impl Strategy<Value = String>, max: usize) -> impl Strategy<Value = String> {
    text.prop_map(move |text| text.chars().take(max).collect())
}

/// Any text at all from the same alphabet, including blank and multi-line.
fn loose_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            6 => word(),
            2 => Just(" ".to_string()),
            1 => proptest::sample::select(ODD_SPACES).prop_map(str::to_string),
            1 => proptest::sample::select(&["\n", "\r\n", "\r", "\u{2028}", "\u{85}"][..]).prop_map(str::to_string),
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

/// Non-blank text, sometimes with whitespace around it.
fn text(max_words: usize) -> impl Strategy<Value = String> {
    let space = || {
        proptest::option::of(proptest::sample::select(
            &[" ", "\t", "\n", "\u{A0}", "  "][..],
        ))
    };
    (space(), spaced(max_words, true), space()).prop_map(|(before, text, after)| {
        format!(
            "{}{text}{}",
            before.unwrap_or_default(),
            after.unwrap_or_default()
        )
    })
}

fn paragraphs() -> impl Strategy<Value = String> {
    (proptest::collection::vec(sentence(15), 0..4), 0usize..3)
        .prop_map(|(paragraphs, trailing)| paragraphs.join("\n\n") + &"\n".repeat(trailing))
}

fn item(
    prefix: &'static str,
    index: usize,
    competencies: usize,
) -> impl Strategy<Value = RoundItem> {
    (
        text(12),
        prop_oneof![
            "[a-z0-9]{0,6}",
            words(2).prop_map(|words| format!(" {words}"))
        ],
        proptest::option::of(0..competencies.max(1)),
        proptest::collection::vec(
            prop_oneof![
                "[a-z]{2,8}\\.l[0-9]\\.[0-9a-f]{6}",
                within(loose_text(), limits::ROUND_ITEM_REFERENCE)
            ],
            0..3,
        ),
        prop_oneof![
            proptest::sample::select(vec!["edited", "generated:offline", "generated:openai"])
                .prop_map(str::to_string),
            text(3),
        ],
    )
        .prop_map(
            move |(text, suffix, competency, grounding, origin)| RoundItem {
                id: format!("{prefix}-{index}{suffix}"),
                text,
                competency_id: competency
                    .filter(|_| competencies > 0)
                    .map(|i| format!("c{i}_x")),
                grounding,
                origin,
                quality: None,
            },
        )
}

fn round(prefix: &'static str, competencies: usize) -> impl Strategy<Value = Vec<RoundItem>> {
    (0usize..5).prop_flat_map(move |count| {
        (0..count)
            .map(|index| item(prefix, index, competencies))
            .collect::<Vec<_>>()
    })
}

fn job_spec() -> impl Strategy<Value = JobSpecBody> {
    (0usize..6).prop_flat_map(|count| {
        (
            (
                text(6),
                prop_oneof![
                    Just(String::new()),
                    sentence(2),
                    within(loose_text(), limits::JOB_SPEC_SENIORITY)
                ],
                prop_oneof![paragraphs(), loose_text()],
                proptest::option::of((
                    prop_oneof!["[a-z]{2,8}(-[a-z]{2,8})?", text(3)],
                    any::<u32>(),
                )),
            ),
            proptest::collection::vec(
                (
                    text(4),
                    0u32..=10_000,
                    prop_oneof![sentence(20), loose_text()],
                ),
                count..=count,
            ),
            proptest::collection::vec((text(10), any::<bool>()), 0..5),
            round("r1", count),
            round("r2", count),
        )
            .prop_map(
                |(
                    (title, seniority, description, basis),
                    competencies,
                    must_haves,
                    round1,
                    round2,
                )| {
                    JobSpecBody {
                        title,
                        seniority,
                        description,
                        basis: basis.map(|(slug, level)| FrameworkBasis { slug, level }),
                        competencies: competencies
                            .into_iter()
                            .enumerate()
                            .map(|(i, (name, weight, definition))| Competency {
                                id: format!("c{i}_x"),
                                name,
                                weight: Weight(weight),
                                definition,
                            })
                            .collect(),
                        must_haves: must_haves
                            .into_iter()
                            .map(|(text, required)| MustHave { text, required })
                            .collect(),
                        round1,
                        round2,
                    }
                },
            )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn every_spec_round_trips_exactly(
        spec in job_spec(),
        id in proptest::option::of("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
        label in proptest::option::of("v[0-9]{1,3}-[A-Za-z0-9_]{6}"),
    ) {
        let text = to_yaml(&spec, id.as_deref(), label.as_deref());
        prop_assert!(looks_like_job_spec(&text));
        let parsed = read(&text);
        for diagnostic in &parsed.diagnostics {
            prop_assert!(
                matches!(diagnostic.code.as_str(), "unbalanced-weights" | "no-competencies"),
                "{:?} in:\n{}", diagnostic, text
            );
        }
        prop_assert_eq!(parsed.id, id);
        prop_assert_eq!(parsed.spec.as_ref(), Some(&spec), "written as:\n{}", text);
    }

    #[test]
    fn mangled_files_never_panic(edits in edits()) {
        const FRAGMENTS: &[&str] = &[
            "\t", "---\n", "- ", ": ", "\"", "'", "‚Äô", "\u{8F}", "\0", "{", "[", "]", "}", "&a ", "*a",
            "!!binary ", "\r\n", "    - ", "weight: x\n", "weight: 99%\n", "id: A-B\n", "competency: zz\n",
            "kind: framework\n", "round1: 3\n", "|\n", ">-\n", "required: 7\n", "level: -1\n", "? ",
        ];
        let mut bytes = demo().as_bytes().to_vec();
        mangle(&mut bytes, edits, FRAGMENTS);
        let text = String::from_utf8_lossy(&bytes);
        let _ = looks_like_job_spec(&text);
        let parsed = read(&text);
        for diagnostic in &parsed.diagnostics {
            prop_assert!(!diagnostic.code.is_empty() && !diagnostic.message.is_empty());
        }
        if let Some(spec) = &parsed.spec {
            prop_assert!(!parsed.has_errors());
            let again = read(&to_yaml(spec, parsed.id.as_deref(), None));
            prop_assert_eq!(again.spec.as_ref(), Some(spec));
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = looks_like_job_spec(&text);
        let parsed = read(&format!("kind: job-spec\n{text}"));
        prop_assert!(parsed.spec.is_none() || !parsed.has_errors());
    }
}
