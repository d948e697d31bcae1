//! Hostile YAML in framework and job-spec files: aliases that multiply
//! ("billion laughs"), nesting deeper than any real file. Each is an error at
//! its line and column, the file is not imported, nothing panics, and the
//! files beside it read as if it were not there.

use std::path::PathBuf;

use ladder_formats::bundled::FRAMEWORKS;
use ladder_formats::jobspec::{looks_like_job_spec, parse_job_spec};
use ladder_formats::{is_framework_file_name, parse};

use crate::common::{at, only, parse_file};

/// `a0: &a0 ["lol", …]` and `levels - 1` lines `aN: &aN [*aN-1, …]`, ten wide.
fn bomb(levels: usize) -> String {
    let mut text = format!("a0: &a0 [{}]\n", ["\"lol\""; 10].join(", "));
    for level in 1..levels {
        let items = vec![format!("*a{}", level - 1); 10];
        text.push_str(&format!("a{level}: &a{level} [{}]\n", items.join(", ")));
    }
    text
}

fn framework_with(yaml: &str) -> String {
    format!("---\ntitle: \"Bomb\"\n{yaml}---\n\nHome text.\n")
}

/// Four levels expand to 12,349 values, over the floor of 10,000 but small
/// enough to build: where this is not refused, nine levels would take all the
/// memory there is, so the tests below stop here instead.
fn guard_small_bomb_is_refused() {
    let parsed = parse("small.md", framework_with(&bomb(4)).as_bytes());
    assert!(
        parsed
            .errors()
            .any(|error| error.code == "yaml-alias-limit"),
        "aliases are not bounded: {:#?}",
        parsed.diagnostics
    );
}

const VALUES_HINT: &str = "write the values out, or use fewer nested aliases: each alias copies everything under its anchor, so aliases of aliases multiply";

#[test]
fn an_alias_bomb_in_front_matter_is_an_error_at_the_alias() {
    guard_small_bomb_is_refused();
    let text = framework_with(&bomb(9));
    assert!(text.len() < 700, "{}", text.len());
    let parsed = parse("bomb.md", text.as_bytes());

    assert_eq!(parsed.errors().count(), 1, "{:#?}", parsed.diagnostics);
    let error = only(&parsed.diagnostics, "yaml-alias-limit");
    assert!(error.is_error());
    // Line 6 is `a3: &a3 [*a2, …`; its eighth alias is the one that would take
    // the document past 10,000 values.
    assert_eq!(at(error), (6, 45));
    assert_eq!(
        error.message,
        "the front matter has aliases that would expand it to more than 10000 values"
    );
    assert_eq!(error.hint.as_deref(), Some(VALUES_HINT));
    assert!(
        parsed.framework.is_none(),
        "a file with this error is not imported"
    );
}

#[test]
fn an_alias_bomb_in_a_bare_yaml_framework_file_is_an_error_at_the_alias() {
    guard_small_bomb_is_refused();
    let text = format!("title: \"Bomb\"\nyaml: true\n{}", bomb(9));
    let parsed = parse("bomb.yaml", text.as_bytes());
    assert_eq!(parsed.errors().count(), 1, "{:#?}", parsed.diagnostics);
    assert_eq!(at(only(&parsed.diagnostics, "yaml-alias-limit")), (6, 45));
    assert!(parsed.framework.is_none());
}

#[test]
fn an_alias_bomb_in_a_job_spec_is_an_error_at_the_alias() {
    guard_small_bomb_is_refused();
    let text = format!("kind: job-spec\ntitle: \"Bomb\"\n{}", bomb(9));
    assert!(looks_like_job_spec(&text));
    let parsed = parse_job_spec("spec.yaml", &text);

    assert_eq!(parsed.errors().count(), 1, "{:#?}", parsed.diagnostics);
    let error = only(&parsed.diagnostics, "yaml-alias-limit");
    assert_eq!(at(error), (6, 45));
    assert_eq!(
        error.message,
        "spec.yaml has aliases that would expand it to more than 10000 values"
    );
    assert_eq!(error.hint.as_deref(), Some(VALUES_HINT));
    assert!(
        parsed.spec.is_none(),
        "a job spec with this error is not imported"
    );
}

#[test]
fn long_text_multiplied_by_aliases_is_an_error_in_a_job_spec() {
    guard_small_bomb_is_refused();
    // Two hundred copies of 100 kB: 8 kB of aliases for 20 MB of text.
    let text = format!(
        "kind: job-spec\ntitle: &t \"{}\"\nround1: [{}]\n",
        "x".repeat(100_000),
        vec!["*t"; 2_000].join(", ")
    );
    let parsed = parse_job_spec("spec.yaml", &text);
    let error = only(&parsed.diagnostics, "yaml-alias-limit");
    // 100,023 bytes written; the tenth copy passes 1 MiB. `round1: [` is 9
    // columns, each `*t, ` 4.
    assert_eq!(at(error), (3, 10 + 4 * 9));
    assert_eq!(
        error.message,
        "spec.yaml has aliases that would expand it to more than 1048576 bytes of text"
    );
    assert!(parsed.spec.is_none());
}

#[test]
fn nesting_deeper_than_any_real_file_is_an_error_not_a_crash() {
    let text = framework_with(&format!("topics:\n{}x\n", "- ".repeat(10_000)));
    let parsed = parse("deep.md", text.as_bytes());
    let error = only(&parsed.diagnostics, "yaml-depth-limit");
    assert_eq!(at(error), (4, 1 + 2 * 127));
    assert_eq!(
        error.message,
        "the front matter nests values more than 128 levels deep"
    );
    assert!(parsed.framework.is_none());

    let spec = parse_job_spec(
        "deep.yaml",
        &format!("kind: job-spec\nround1:\n{}x\n", "- ".repeat(10_000)),
    );
    assert_eq!(
        at(only(&spec.diagnostics, "yaml-depth-limit")),
        (3, 1 + 2 * 127)
    );
}

/// A directory for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("ladder-formats-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn a_bomb_in_a_directory_leaves_the_files_beside_it_as_they_are() {
    guard_small_bomb_is_refused();
    let good = &FRAMEWORKS[0];
    let alone = parse(good.file_name, good.text.as_bytes());
    assert!(!alone.has_errors(), "{:#?}", alone.diagnostics);

    let scratch = Scratch::new("bomb-beside");
    std::fs::write(scratch.0.join("a-bomb.yaml"), bomb(9)).unwrap();
    std::fs::write(scratch.0.join(good.file_name), good.text).unwrap();
    std::fs::write(
        scratch.0.join("z-deep.md"),
        framework_with(&format!("topics:\n{}x\n", "- ".repeat(10_000))),
    )
    .unwrap();

    // As `ladder check DIR` walks it: sorted, framework files only, each read
    // on its own.
    let mut names: Vec<String> = std::fs::read_dir(&scratch.0)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| is_framework_file_name(name))
        .collect();
    names.sort();
    let parsed: Vec<_> = names
        .iter()
        .map(|name| parse_file(&scratch.0.join(name)))
        .collect();

    assert_eq!(parsed.len(), 3);
    assert_eq!(
        at(only(&parsed[0].diagnostics, "yaml-alias-limit")),
        (4, 45)
    );
    assert!(parsed[0].framework.is_none());
    assert_eq!(parsed[1].file, good.file_name);
    assert_eq!(parsed[1].diagnostics, alone.diagnostics);
    assert_eq!(parsed[1].framework, alone.framework);
    assert!(parsed[1].framework.is_some());
    only(&parsed[2].diagnostics, "yaml-depth-limit");
    assert!(parsed[2].framework.is_none());
}

#[test]
fn anchors_reused_as_real_files_do_give_the_model_written_out() {
    let written_out = "---
title: \"Platform\"
yaml: true
topics:
  - name: \"delivery\"
    content:
      - level: 1
        criteria:
          - \"Ships small changes\"
          - \"Writes tests\"
      - level: 2
        criteria:
          - \"Ships small changes\"
          - \"Writes tests\"
          - \"Plans releases\"
  - name: \"quality\"
    content:
      - level: 1
        criteria:
          - \"Ships small changes\"
          - \"Writes tests\"
---
";
    let with_aliases = "---
title: \"Platform\"
yaml: true
topics:
  - name: \"delivery\"
    content:
      - &basics
        level: 1
        criteria: &basic_criteria
          - \"Ships small changes\"
          - \"Writes tests\"
      - level: 2
        criteria:
          - \"Ships small changes\"
          - \"Writes tests\"
          - \"Plans releases\"
  - name: \"quality\"
    content:
      - *basics
---
";
    let plain = parse("platform.md", written_out.as_bytes());
    let aliased = parse("platform.md", with_aliases.as_bytes());
    assert!(!plain.has_errors(), "{:#?}", plain.diagnostics);
    assert!(!aliased.has_errors(), "{:#?}", aliased.diagnostics);
    let (plain, aliased) = (plain.framework.unwrap(), aliased.framework.unwrap());
    assert_eq!(aliased.topics, plain.topics);
    assert_eq!(aliased.topics[1].levels[0].criteria.len(), 2);
}

#[test]
fn a_topic_defined_twice_keeps_the_first_one_among_few_or_many() {
    let text = "---
title: \"Platform\"
yaml: true
topics:
  - name: \"delivery\"
    content:
      - level: 1
        criteria: [\"Ships small changes\"]
  - name: \"quality\"
    content:
      - level: 1
        criteria: [\"Writes tests\"]
  - name: \"delivery\"
    content:
      - level: 1
        criteria: [\"Plans releases\"]
---
";
    let parsed = parse("platform.md", text.as_bytes());
    assert_eq!(parsed.errors().count(), 1, "{:#?}", parsed.diagnostics);
    let error = only(&parsed.diagnostics, "duplicate-topic");
    assert_eq!(at(error), (13, 5));
    assert_eq!(
        error.message,
        "topic “delivery” is defined twice; the second definition is ignored"
    );
    let model = parsed.framework.unwrap();
    let keys: Vec<&str> = model.topics.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(keys, ["delivery", "quality"]);
    assert_eq!(
        model.topics[0].levels[0].criteria[0].text,
        "Ships small changes"
    );

    // 20,000 topics, the last a repeat of the first: one error, at its line.
    let mut many = String::from("---\ntitle: \"Many\"\nyaml: true\ntopics:\n");
    for index in 0..20_000 {
        many.push_str(&format!("  - name: t{index}\n"));
    }
    many.push_str("  - name: t0\n---\n");
    let parsed = parse("many.md", many.as_bytes());
    let duplicates: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == "duplicate-topic")
        .collect();
    assert_eq!(duplicates.len(), 1);
    assert_eq!(duplicates[0].line, Some(20_005));
    assert_eq!(parsed.framework.unwrap().topics.len(), 20_000);
}
