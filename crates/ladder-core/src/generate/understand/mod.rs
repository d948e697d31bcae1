//! Understanding a framework behaviour before a question uses it: what it
//! asks the candidate to do (one or more actions, each in the forms a
//! template needs), what it names (a topic), or why it cannot be put into
//! good English at all.
//!
//! The pipeline, each stage in its own file:
//! 1. [`clean`]: bullets, quotes, abbreviations and extra sentences go;
//!    [`asides`] removes examples, lists and labels; [`checks`] catches
//!    shorthand, fragments, typos and pointers to other levels.
//! 2. [`frame`]: subjects ("You"), frames ("Is able to", "Can"), adverbs,
//!    negatives and noun-phrase criteria ("Knowledge of X") are read, up to
//!    the first verb.
//! 3. [`clauses`]: the rest is split into clauses; clauses that point back
//!    ("… and raises them") stay with the one before; pronouns are turned
//!    to the candidate ([`person`]); each action's forms are written
//!    ([`inflect`]).
//! 4. Every result is checked here once more, so no caller ever receives
//!    a doubled word, an unmatched bracket or a gerund that is not one.
//!
//! Nothing here guesses: a word the lexicon does not know makes the
//! behaviour a topic or unusable rather than a wrongly inflected verb. The
//! one exception is the word right after "can", "will" or "able to", which
//! can only be a verb; it gets the regular "-ing" and "-ed".

mod asides;
mod checks;
mod clauses;
mod clean;
mod frame;
mod inflect;
mod lexicon;
mod person;
#[cfg(test)]
mod tests;
mod words;

use checks::balanced;
use frame::Head;
use person::{address, plural_looking, Seen};
use words::{bare, is_dangling};

/// What a behaviour can become in a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Understood {
    /// One or more actions; a compound behaviour ("Designs X and proactively
    /// seeks out Y") gives several, each usable alone.
    Actions(Vec<Action>),
    /// A noun-phrase criterion: "Knowledge of distributed systems" ->
    /// "distributed systems"; "Strong SQL skills" -> "SQL".
    Topic(String),
    /// Cannot be turned into good English; the generator skips it for a
    /// better-ranked behaviour. The reason is a short phrase for tests and
    /// logs ("a negative", "a fragment", "too short").
    Unusable(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Action {
    /// Base verb, lower case: "design", "seek out". Verbs sharing one object
    /// stay together: "identify and fix".
    pub verb: String,
    /// Everything after the verb, second person, no trailing punctuation.
    /// May be empty ("collaborates" -> "").
    pub object: String,
    /// An adverb that came before the verb, if any: "proactively". The
    /// forms below include it.
    pub adverb: Option<String>,
    /// "proactively seek out feedback on your own work"
    pub infinitive: String,
    /// "proactively seeking out feedback on your own work"
    pub gerund: String,
    /// "proactively sought out feedback on your own work"; a "when …"
    /// clause moves into the past with it, and "be" is "were".
    pub past: String,
}

/// What `text`, one framework behaviour, can become in a question.
pub(crate) fn understand(text: &str) -> Understood {
    let cleaned = match clean::clean(text) {
        Ok(cleaned) => cleaned,
        Err(reason) => return Understood::Unusable(reason),
    };
    match frame::read(&cleaned.words) {
        Head::Unusable(reason) => Understood::Unusable(reason),
        Head::Topic(words) => topic(&words),
        Head::Verb {
            adverb,
            form,
            words,
        } => match clauses::actions(&words, form, adverb, &cleaned.qualifier) {
            Ok(actions) => match actions.iter().map(check).find_map(Result::err) {
                Some(reason) => Understood::Unusable(reason),
                None if actions.is_empty() => Understood::Unusable("a fragment"),
                None => Understood::Actions(actions),
            },
            Err(reason) => Understood::Unusable(reason),
        },
    }
}

/// A topic addressed to the candidate: "their" stays only when a plural
/// noun before it owns it ("design patterns and their trade-offs").
fn topic(words: &[String]) -> Understood {
    let mut plural = false;
    let mut out = Vec::with_capacity(words.len());
    for word in words {
        let key = bare(word);
        if plural && matches!(key.as_str(), "their" | "theirs") {
            out.push(word.clone());
        } else {
            out.extend(address(std::slice::from_ref(word), &mut Seen::default()));
        }
        plural |= plural_looking(&key);
    }
    let mut text = out.join(" ");
    while text.ends_with(['.', ',', ';', ':']) {
        text.pop();
    }
    let last = text.split(' ').next_back().map(bare).unwrap_or_default();
    if text.is_empty() || is_dangling(&last) || !balanced(&text) || has_doubled_word(&text) {
        return Understood::Unusable("a fragment");
    }
    Understood::Topic(text)
}

/// Two equal words side by side, ignoring case and punctuation.
fn has_doubled_word(text: &str) -> bool {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    words
        .windows(2)
        .any(|pair| !pair[0].is_empty() && pair[0] == pair[1])
}

/// The last guard: every form is present, finished, balanced, without a
/// doubled word, and the gerund starts with an "-ing" word.
fn check(action: &Action) -> Result<(), &'static str> {
    for form in [&action.infinitive, &action.gerund, &action.past] {
        if form.trim().is_empty() || !balanced(form) {
            return Err("a fragment");
        }
        if has_doubled_word(form) {
            return Err("a typo");
        }
        let mut tail = form.rsplit(' ').map(bare);
        let last = tail.next().unwrap_or_default();
        // "… and when not to" is finished English; other endings on a
        // function word are not.
        let elliptic = last == "to" && tail.next().as_deref() == Some("not");
        if is_dangling(&last) && !elliptic {
            return Err("a fragment");
        }
    }
    let after_adverb = match &action.adverb {
        Some(adverb) => action
            .gerund
            .strip_prefix(adverb.as_str())
            .unwrap_or_default()
            .trim_start(),
        None => action.gerund.as_str(),
    };
    let first = after_adverb
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_end_matches(',');
    if !first.ends_with("ing") {
        return Err("a fragment");
    }
    // The object never carries the behaviour's own full stop.
    if action.object.ends_with(['.', ',', ';', ':']) {
        return Err("a fragment");
    }
    Ok(())
}
