use proptest::prelude::*;

use super::{understand, Action, Understood};

const FIXTURES: &str = include_str!("fixtures.txt");

#[derive(Debug)]
struct Expected {
    forms: [String; 3],
    /// verb, object, adverb ("-" for none)
    parts: Option<[String; 3]>,
}

#[derive(Debug)]
enum Expectation {
    Actions(Vec<Expected>),
    Topic(String),
    Unusable(String),
}

#[derive(Debug)]
struct Case {
    line: usize,
    text: String,
    expected: Expectation,
}

fn three(text: &str, line: usize) -> [String; 3] {
    let parts: Vec<String> = text.split('|').map(|p| p.trim().to_string()).collect();
    match <[String; 3]>::try_from(parts) {
        Ok(parts) => parts,
        Err(parts) => panic!("line {line}: expected three parts, got {parts:?}"),
    }
}

fn cases() -> Vec<Case> {
    let mut cases: Vec<Case> = Vec::new();
    for (index, line) in FIXTURES.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(text) = line.strip_prefix('>') {
            cases.push(Case {
                line: number,
                text: text.strip_prefix(' ').unwrap_or(text).to_string(),
                expected: Expectation::Actions(Vec::new()),
            });
            continue;
        }
        let case = cases
            .last_mut()
            .unwrap_or_else(|| panic!("line {number}: expectation before any case"));
        let (key, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("line {number}: no key in {line:?}"));
        let value = value.trim();
        match (key, &mut case.expected) {
            ("action", Expectation::Actions(actions)) => actions.push(Expected {
                forms: three(value, number),
                parts: None,
            }),
            ("parts", Expectation::Actions(actions)) => {
                let last = actions
                    .last_mut()
                    .unwrap_or_else(|| panic!("line {number}: parts before an action"));
                last.parts = Some(three(value, number));
            }
            ("topic", Expectation::Actions(actions)) if actions.is_empty() => {
                case.expected = Expectation::Topic(value.to_string());
            }
            ("unusable", Expectation::Actions(actions)) if actions.is_empty() => {
                case.expected = Expectation::Unusable(value.to_string());
            }
            _ => panic!("line {number}: unexpected {line:?}"),
        }
    }
    cases
}

fn describe(result: &Understood) -> String {
    match result {
        Understood::Actions(actions) => actions
            .iter()
            .map(|a| {
                format!(
                    "action: {} | {} | {}\n    parts: {} | {} | {}",
                    a.infinitive,
                    a.gerund,
                    a.past,
                    a.verb,
                    a.object,
                    a.adverb.as_deref().unwrap_or("-")
                )
            })
            .collect::<Vec<_>>()
            .join("\n    "),
        Understood::Topic(topic) => format!("topic: {topic}"),
        Understood::Unusable(reason) => format!("unusable: {reason}"),
    }
}

fn matches(expected: &Expectation, result: &Understood) -> bool {
    match (expected, result) {
        (Expectation::Topic(want), Understood::Topic(got)) => want == got,
        (Expectation::Unusable(want), Understood::Unusable(got)) => want == got,
        (Expectation::Actions(want), Understood::Actions(got)) => {
            want.len() == got.len()
                && want.iter().zip(got).all(|(want, got)| {
                    let forms = want.forms
                        == [
                            got.infinitive.as_str(),
                            got.gerund.as_str(),
                            got.past.as_str(),
                        ];
                    let parts = want.parts.as_ref().is_none_or(|[verb, object, adverb]| {
                        *verb == got.verb
                            && *object == got.object
                            && adverb.as_str() == got.adverb.as_deref().unwrap_or("-")
                    });
                    forms && parts
                })
        }
        _ => false,
    }
}

#[test]
fn every_fixture_is_understood_as_written() {
    let cases = cases();
    assert!(cases.len() >= 300, "only {} fixture cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let result = understand(&case.text);
        if !matches(&case.expected, &result) {
            failures.push(format!(
                "line {}: > {}\n    got {}",
                case.line,
                case.text,
                describe(&result)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixture cases differ:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn huge_inputs_are_refused_without_work() {
    let text = "Designs schemas and ".repeat(5_000);
    assert_eq!(understand(&text), Understood::Unusable("too long"));
    assert_eq!(
        understand(&"x".repeat(100_000)),
        Understood::Unusable("too long")
    );
}

/// Words compared the way a reader sees them: case and punctuation aside.
fn key(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

fn doubled(text: &str) -> bool {
    let words: Vec<String> = text.split_whitespace().map(key).collect();
    words
        .windows(2)
        .any(|pair| !pair[0].is_empty() && pair[0] == pair[1])
}

fn brackets_match(text: &str) -> bool {
    let mut open = Vec::new();
    for c in text.chars() {
        let opener = match c {
            '(' | '[' | '{' => {
                open.push(c);
                continue;
            }
            ')' => '(',
            ']' => '[',
            '}' => '{',
            _ => continue,
        };
        if open.pop() != Some(opener) {
            return false;
        }
    }
    open.is_empty()
}

fn assert_sound(result: &Understood) -> Result<(), TestCaseError> {
    let Understood::Actions(actions) = result else {
        return Ok(());
    };
    prop_assert!(!actions.is_empty());
    for Action {
        adverb,
        infinitive,
        gerund,
        past,
        ..
    } in actions
    {
        for form in [infinitive, gerund, past] {
            prop_assert!(!form.trim().is_empty(), "{result:?}");
            prop_assert!(!doubled(form), "{result:?}");
            prop_assert!(brackets_match(form), "{result:?}");
        }
        let rest = match adverb {
            Some(adverb) => gerund.strip_prefix(adverb.as_str()).unwrap_or_default(),
            None => gerund.as_str(),
        };
        let first = rest.split_whitespace().next().unwrap_or_default();
        prop_assert!(first.trim_end_matches(',').ends_with("ing"), "{result:?}");
    }
    Ok(())
}

/// Every word the fixtures use, so generated inputs look like behaviours
/// and reach the grammar rather than stopping at the first check.
fn vocabulary() -> Vec<String> {
    let mut words: Vec<String> = FIXTURES
        .lines()
        .filter_map(|line| line.strip_prefix("> "))
        .flat_map(|text| text.split_whitespace().map(str::to_string))
        .collect();
    words.extend(
        [
            "and", "or", ",", "while", "(", ")", "\"", "e.g.", "—", "their", "they", "them",
        ]
        .map(str::to_string),
    );
    words.sort();
    words.dedup();
    words
}

proptest! {
    #[test]
    fn arbitrary_text_never_breaks_the_forms(text in any::<String>()) {
        assert_sound(&understand(&text))?;
    }

    #[test]
    fn behaviour_like_text_never_breaks_the_forms(
        words in prop::collection::vec(prop::sample::select(vocabulary()), 0..24)
    ) {
        assert_sound(&understand(&words.join(" ")))?;
    }

    #[test]
    fn recombined_behaviours_never_break_the_forms(
        first in prop::sample::select(vocabulary()),
        rest in "[a-z ,.()]{0,60}",
    ) {
        assert_sound(&understand(&format!("{first} {rest}")))?;
    }
}
