//! The check every generated item passes before it is offered: the offline
//! generator's and the language model's alike. It looks for what makes a
//! question read as machine-made — a phrase said twice, the behaviour pasted
//! in as written, a fragment left over from a list, a Round 02 prompt that
//! asks about the future — and for the shape each round needs.

use std::collections::BTreeSet;

use super::Round;
use crate::jobspec::ItemQuality;

/// The version of these rules, recorded with each verdict so a stored item
/// says which rules it passed.
pub const QUALITY_RULES: &str = "quality-v1";

/// Fewest and most words an item may have.
pub const MIN_WORDS: usize = 8;
pub const MAX_WORDS: usize = 50;

/// How a Round 02 prompt may open: it asks about the candidate's own past.
pub const BEHAVIOURAL_OPENERS: &[&str] = &[
    "Tell me about a time you",
    "Tell me about a time when you",
    "Describe a situation where you",
    "Describe a time you",
    "Describe a time when you",
    "Walk me through a time you",
    "Walk me through a project where you",
    "Walk me through how you",
    "Give me an example of a time you",
    "Give an example of a time you",
    "Give an example of when you",
    "Tell me about a project where you",
    "Tell me about the last time you",
];

/// Words that carry no content: a phrase of only these may repeat.
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "an", "and", "any", "are", "as", "at", "be", "but", "by", "can", "could", "did",
    "do", "does", "for", "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it",
    "its", "me", "my", "of", "on", "one", "or", "our", "so", "that", "the", "their", "then",
    "there", "this", "to", "us", "was", "we", "were", "what", "when", "where", "which", "while",
    "who", "why", "will", "with", "would", "you", "your",
];

/// Words a sentence cannot end on.
const DANGLING: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to",
    "with", "your", "our", "their", "but", "e.g", "i.e", "such",
];

/// Checks `text` as an item of `round` grounded in `behaviours` (the
/// framework text it was made from, which it must not echo whole).
pub fn check(text: &str, round: Round, behaviours: &[&str]) -> ItemQuality {
    let mut problems = Vec::new();
    let words = words(text);
    if words.len() < MIN_WORDS {
        problems.push(format!(
            "too short: {} words, at least {MIN_WORDS}",
            words.len()
        ));
    }
    if words.len() > MAX_WORDS {
        problems.push(format!(
            "too long: {} words, at most {MAX_WORDS}",
            words.len()
        ));
    }
    if let Some(phrase) = repeated_phrase(&words) {
        problems.push(format!("repeats the phrase “{phrase}”"));
    }
    problems.extend(fragment_problems(text, &words));
    let sentences = sentences(text);
    match round {
        Round::One => {
            if !text.trim_end().ends_with('?') {
                problems.push("does not end with a question mark".to_string());
            }
            if text.matches('?').count() > 1 {
                problems.push("asks more than one question".to_string());
            }
            if sentences.len() > 2 {
                problems.push("is more than a short scenario and one question".to_string());
            }
        }
        Round::Two => {
            if !BEHAVIOURAL_OPENERS
                .iter()
                .any(|opener| text.starts_with(opener))
            {
                problems.push(
                    "does not ask about the candidate's own past (“Tell me about a time you…”)"
                        .to_string(),
                );
            }
            if sentences.len() > 2 {
                problems.push("has more than one follow-up".to_string());
            }
            if let Some(first) = sentences.first() {
                let first = words_lower(first);
                if first
                    .iter()
                    .any(|w| ["would", "will", "could", "should"].contains(&w.as_str()))
                {
                    problems
                        .push("asks about a hypothetical, not the candidate's past".to_string());
                }
            }
        }
    }
    if let Some(echoed) = behaviours.iter().find(|behaviour| echoes(text, behaviour)) {
        problems.push(format!(
            "pastes the behaviour “{}” as written",
            echoed.trim()
        ));
    }
    ItemQuality {
        rules: QUALITY_RULES.to_string(),
        passed: problems.is_empty(),
        problems,
    }
}

/// Words as written, without surrounding punctuation.
fn words(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|word| !word.is_empty())
        .collect()
}

fn words_lower(text: &str) -> Vec<String> {
    words(text).into_iter().map(str::to_lowercase).collect()
}

/// The first phrase said twice: any four words, or two content words in a
/// row ("design schemas … design schemas").
fn repeated_phrase(words: &[&str]) -> Option<String> {
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let mut seen = BTreeSet::new();
    for window in lower.windows(4) {
        let phrase = window.join(" ");
        if !seen.insert(phrase.clone()) {
            return Some(phrase);
        }
    }
    let mut seen = BTreeSet::new();
    for window in lower.windows(2) {
        if window
            .iter()
            .any(|word| FUNCTION_WORDS.contains(&word.as_str()) || word.len() < 3)
        {
            continue;
        }
        let phrase = window.join(" ");
        if !seen.insert(phrase.clone()) {
            return Some(phrase);
        }
    }
    None
}

/// Leftovers of a list or a cut sentence.
fn fragment_problems(text: &str, words: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    let pairs = [('(', ')'), ('[', ']'), ('“', '”'), ('{', '}')];
    for (open, close) in pairs {
        if text.matches(open).count() != text.matches(close).count() {
            problems.push(format!("has an unmatched “{open}” or “{close}”"));
        }
    }
    if text.matches('"').count() % 2 == 1 {
        problems.push("has an unmatched quotation mark".to_string());
    }
    if text.contains(" / ") {
        problems.push("has a slash left from a list (“ / ”)".to_string());
    }
    if text.contains("...") || text.contains('…') {
        problems.push("trails off with an ellipsis".to_string());
    }
    for doubled in ["?.", ".?", ",?", ",.", "..", ";?", ":?", " ,", " ?", "??"] {
        if text.contains(doubled) {
            problems.push(format!("has stray punctuation “{}”", doubled.trim()));
            break;
        }
    }
    // A word before a sentence end that cannot end a sentence.
    for sentence in sentences(text) {
        let last = words_lower(&sentence).pop().unwrap_or_default();
        if DANGLING.contains(&last.as_str()) {
            problems.push(format!("a sentence ends on “{last}”"));
        }
        if sentence
            .chars()
            .next()
            .is_some_and(|first| first.is_lowercase())
        {
            problems.push("a sentence starts in lower case".to_string());
        }
    }
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    if let Some(pair) = lower.windows(2).find(|pair| pair[0] == pair[1]) {
        problems.push(format!("says “{}” twice in a row", pair[0]));
    }
    problems
}

/// Sentences, split after `.`, `?` or `!` followed by a space and a capital.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = text.trim().chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        if matches!(c, '.' | '?' | '!') && chars.peek().is_some_and(|next| next.is_whitespace()) {
            let mut lookahead = chars.clone();
            while lookahead.peek().is_some_and(|next| next.is_whitespace()) {
                lookahead.next();
            }
            if lookahead.peek().is_some_and(|next| next.is_uppercase()) {
                out.push(current.trim().to_string());
                current.clear();
            }
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// Whether `text` holds the behaviour word for word (four words or more).
fn echoes(text: &str, behaviour: &str) -> bool {
    let behaviour = words_lower(behaviour);
    if behaviour.len() < 4 {
        return false;
    }
    let text = words_lower(text);
    text.windows(behaviour.len())
        .any(|window| window == behaviour.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str, round: Round) -> Vec<String> {
        check(text, round, &[]).problems
    }

    #[test]
    fn natural_questions_pass() {
        for text in [
            "How would you design the schema for a double-entry ledger, and which constraints would you enforce in the database?",
            "A payout batch fails halfway through settlement. What would you check first, and why?",
        ] {
            assert_eq!(problems(text, Round::One), Vec::<String>::new(), "{text}");
        }
        for text in [
            "Tell me about a time you led an incident review. What did the team change afterwards?",
            "Describe a situation where you changed a design after a colleague's feedback.",
        ] {
            assert_eq!(problems(text, Round::Two), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn the_broken_items_from_the_issue_fail() {
        let cases = [
            ("Suppose you were asked to design schemas spanning several related tables with appropriate constraints. How would you design schemas spanning several related tables with appropriate constraints along the way?", Round::One, "repeats"),
            ("Walk me through a project where you had to restate an opposing argument fairly before answering it, and how it compares with having to restate an opposing argument fairly before answering it.", Round::Two, "repeats"),
            ("If you had to ask why here, how would you ask why. Does not take truths…", Round::One, "ellipsis"),
            ("If you had to create gmail inbox mgmt here, how would you create gmail inbox mgmt. system for exec, …", Round::One, "question mark"),
            ("Suppose you were reviewing a design that depends on thrown at fires and resolves / contributes heavily to resolving them — what would you check first?", Round::One, "slash"),
        ];
        for (text, round, expected) in cases {
            let found = problems(text, round);
            assert!(
                found.iter().any(|p| p.contains(expected)),
                "{text}: {found:?} lacks {expected}"
            );
        }
    }

    #[test]
    fn each_rule_is_seen() {
        let cases = [
            ("Why?", Round::One, "too short"),
            ("Tell me about it, and what you would do differently if you had to do it again now.", Round::Two, "own past"),
            ("Tell me about a time you would lead a migration of the billing database to a new cluster.", Round::Two, "hypothetical"),
            ("Tell me about a time you led a migration. What went wrong? What would you change?", Round::Two, "more than one follow-up"),
            ("How would you plan the rollout of a schema change across the fleet (without downtime?", Round::One, "unmatched"),
            ("How would you plan the rollout of a schema change across the fleet and?", Round::One, "ends on “and”"),
            ("How would you plan the the rollout of a schema change across the fleet?", Round::One, "twice in a row"),
            ("How would you plan the rollout of a schema change. Which risks matter. What then?", Round::One, "more than a short scenario"),
            ("How would you plan a rollout? And how would you measure a rollout across the fleet?", Round::One, "more than one question"),
        ];
        for (text, round, expected) in cases {
            let found = problems(text, round);
            assert!(
                found.iter().any(|p| p.contains(expected)),
                "{text}: {found:?} lacks {expected}"
            );
        }
        let long = format!("How would you {}?", "plan a careful rollout ".repeat(15));
        assert!(problems(&long, Round::One)
            .iter()
            .any(|p| p.contains("too long")));
    }

    #[test]
    fn an_item_may_not_paste_its_behaviour() {
        let behaviour = "Designs schemas spanning several related tables.";
        let pasted =
            "Walk me through how you designs schemas spanning several related tables at scale?";
        let verdict = check(pasted, Round::One, &[behaviour]);
        assert!(!verdict.passed);
        assert!(verdict.problems.iter().any(|p| p.contains("as written")));
        let rewritten = "How would you design schemas that span several related tables at scale?";
        assert!(check(rewritten, Round::One, &[behaviour]).passed);
    }
}
