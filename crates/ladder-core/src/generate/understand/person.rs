//! Addressing the candidate ("their designs" → "your designs") and moving a
//! clause into the past along with its main verb ("when a teammate is
//! blocked" → "was blocked").

use super::inflect::{base_in, present_to_past, third_base, Form};
use super::words::{
    bare, is_adverb, is_determiner, is_person, is_person_verb, is_preposition, is_subordinator,
    is_thing_verb, listed, PLURAL_SUBJECTS,
};

/// What the words read so far have named: a "their" after people is
/// theirs, a "they" after plural things may be those things.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Seen {
    person: bool,
    plural: bool,
}

/// Replaces the alphabetic core of `word`, keeping its punctuation and an
/// initial capital: ("Their,", "your") → "Your,".
pub(super) fn replace_core(word: &str, replacement: &str) -> String {
    let start = word
        .find(|c: char| c.is_alphanumeric())
        .unwrap_or(word.len());
    let end = word
        .rfind(|c: char| c.is_alphanumeric() || c == '\'')
        .map_or(start, |i| i + 1);
    let head = word.get(..start).unwrap_or_default();
    let tail = word.get(end..).unwrap_or_default();
    let capital = word
        .get(start..)
        .is_some_and(|core| core.starts_with(|c: char| c.is_uppercase()));
    let replacement = if capital {
        let mut chars = replacement.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect::<String>())
            .unwrap_or_default()
    } else {
        replacement.to_string()
    };
    format!("{head}{replacement}{tail}")
}

/// A plural-looking word: "problems", "features" (not "process", "its").
pub(super) fn plural_looking(word: &str) -> bool {
    word.len() > 3
        && word.ends_with('s')
        && !(word.ends_with("ss") || word.ends_with("us") || word.ends_with("is"))
        && word.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
        && !matches!(
            word,
            "always" | "sometimes" | "perhaps" | "towards" | "across"
        )
}

/// Past participles that show a passive: "so that they can be delivered".
fn is_participle(word: &str) -> bool {
    word.ends_with("ed")
        || word.ends_with("en")
        || [
            "built",
            "made",
            "done",
            "seen",
            "known",
            "held",
            "kept",
            "left",
            "sent",
            "run",
            "set",
            "put",
            "shown",
            "given",
            "bought",
            "brought",
            "caught",
            "found",
            "lost",
            "met",
            "paid",
            "read",
            "said",
            "sold",
            "spent",
            "told",
            "thought",
            "understood",
            "won",
            "split",
            "shut",
            "cut",
        ]
        .contains(&word)
}

/// Skips adverbs ("no longer", "quickly") from `from`; the index of the next
/// other word.
fn skip_adverbs(low: &[String], from: usize) -> usize {
    let mut j = from;
    while let Some(word) = low.get(j) {
        let adverb = is_adverb(word)
            || matches!(
                word.as_str(),
                "not"
                    | "no"
                    | "longer"
                    | "still"
                    | "already"
                    | "also"
                    | "always"
                    | "never"
                    | "often"
            );
        if !adverb {
            break;
        }
        j += 1;
    }
    j
}

/// Whether "they" at `i` means something other than the candidate.
fn they_is_other(low: &[String], i: usize, seen: Seen) -> bool {
    if seen.person {
        return true;
    }
    let mut j = i + 1;
    if low.get(j).is_some_and(|w| {
        matches!(
            w.as_str(),
            "can" | "will" | "should" | "must" | "may" | "might" | "could" | "would"
        )
    }) {
        j += 1;
    }
    let passive = low
        .get(j)
        .is_some_and(|w| matches!(w.as_str(), "be" | "are" | "were" | "is" | "get" | "got"))
        && low
            .get(skip_adverbs(low, j + 1))
            .is_some_and(|w| is_participle(w));
    // "before they happen", "when they provide clear value": after a
    // clause opener and plural things, "they" is those things unless the
    // verb is one only a person does ("when they find them").
    let verb = low.get(skip_adverbs(low, i + 1)).map_or("", String::as_str);
    let opened = i > 0 && low.get(i - 1).is_some_and(|w| is_subordinator(w));
    let thing = opened && seen.plural && (is_thing_verb(verb) || !is_person_verb(verb));
    passive || thing
}

/// Whether the "they" at `i` clearly means things named before it, not the
/// engineer: "… and makes sure they are tested".
pub(super) fn they_means_things(low: &[String], i: usize) -> bool {
    they_is_other(
        low,
        i,
        Seen {
            person: false,
            plural: true,
        },
    )
}

/// Converts, in order, the words of an action that speak about the
/// engineer into the second person. `seen` carries across the clauses of
/// one action.
pub(super) fn address(words: &[String], seen: &mut Seen) -> Vec<String> {
    let low: Vec<String> = words.iter().map(|w| bare(w)).collect();
    let word = |k: usize| low.get(k).map_or("", String::as_str);
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    // Inside "features that no longer justify their cost", "their" is the
    // features'.
    let mut plural_relative = false;
    let mut i = 0;
    while let Some(raw) = words.get(i) {
        let current = word(i);
        let both = matches!(
            (current, word(i + 1), word(i + 2)),
            ("his", "or", "her") | ("her", "or", "his")
        );
        if both && !seen.person {
            let last = words.get(i + 2).map_or(raw.as_str(), String::as_str);
            out.push(replace_core(last, "your"));
            i += 3;
            continue;
        }
        let converted = match current {
            "his/her" | "her/his" | "one's" => Some("your"),
            "their" if !seen.person && !plural_relative => Some("your"),
            "theirs" if !seen.person && !plural_relative => Some("yours"),
            "his" if !seen.person => Some("your"),
            "her" if !seen.person && word(i + 1) == "own" => Some("your"),
            "themselves" | "themself" | "himself" | "herself" if !seen.person => Some("yourself"),
            "oneself" => Some("yourself"),
            "they" if !they_is_other(&low, i, *seen) => Some("you"),
            "he" | "she" if !seen.person => Some("you"),
            _ => None,
        };
        out.push(converted.map_or_else(|| raw.clone(), |c| replace_core(raw, c)));
        if matches!(current, "he" | "she") && converted.is_some() {
            // "when he is stuck" → "when you are stuck".
            let verb = skip_adverbs(&low, i + 1);
            if verb > i + 1 {
                out.extend(words.get(i + 1..verb).unwrap_or_default().iter().cloned());
            }
            if let Some(raw_verb) = words.get(verb) {
                out.push(agree_with_you(raw_verb, word(verb)));
                i = verb + 1;
                continue;
            }
            i = verb;
            continue;
        }
        if matches!(current, "that" | "which") && i > 0 && plural_looking(word(i - 1)) {
            plural_relative = true;
        }
        if raw.ends_with([',', ';']) {
            plural_relative = false;
        }
        seen.person |= is_person(current);
        seen.plural |= plural_looking(current);
        i += 1;
    }
    out
}

/// The verb after a "you" that replaced "he"/"she": "is" → "are", "finds"
/// → "find".
fn agree_with_you(raw: &str, low: &str) -> String {
    let fixed = match low {
        "is" => Some("are".to_string()),
        "was" => Some("were".to_string()),
        "has" => Some("have".to_string()),
        "does" => Some("do".to_string()),
        _ => third_base(low),
    };
    fixed.map_or_else(|| raw.to_string(), |base| replace_core(raw, &base))
}

/// Words after which a "you" is an object, and the next verb a bare
/// infinitive: "let you focus", "help you debug".
fn takes_bare_infinitive(word: &str) -> bool {
    matches!(
        word,
        "let"
            | "lets"
            | "letting"
            | "make"
            | "makes"
            | "making"
            | "help"
            | "helps"
            | "helping"
            | "have"
            | "has"
            | "see"
            | "sees"
            | "watch"
            | "hear"
    )
}

/// Where the finite verb of a clause opened by a subordinator is, and
/// whether its subject is plural: "when a teammate *is* …", "before they
/// *happen*", "when better options *emerge*".
fn finite_after(low: &[String], start: usize) -> Option<(usize, bool)> {
    let word = |k: usize| low.get(k).map_or("", String::as_str);
    let mut j = start;
    if word(j) == "that" {
        j += 1;
    }
    let first = word(j);
    let plural;
    if matches!(
        first,
        "it" | "he" | "she" | "someone" | "something" | "everyone" | "nobody" | "this"
    ) {
        plural = false;
        j += 1;
    } else if listed(PLURAL_SUBJECTS, first) {
        plural = true;
        j += 1;
    } else if is_determiner(first)
        && !matches!(
            first,
            "how" | "what" | "when" | "where" | "which" | "why" | "whether"
        )
    {
        // "[the root cause] is": the noun is the first word after the
        // determiner; up to two more words may follow it.
        j += 2;
        let mut last = word(j - 1).to_string();
        for _ in 0..2 {
            let candidate = word(j);
            if candidate.is_empty()
                || is_preposition(candidate)
                || finite(candidate, plural_looking(&last))
            {
                break;
            }
            last = candidate.to_string();
            j += 1;
        }
        plural = plural_looking(&last);
    } else if plural_looking(first) {
        plural = true;
        j += 1;
    } else if plural_looking(word(j + 1)) && !is_preposition(first) && !first.is_empty() {
        plural = true;
        j += 2;
    } else {
        return None;
    }
    let verb = skip_adverbs(low, j);
    finite(word(verb), plural).then_some((verb, plural))
}

/// Whether `word` is a present-tense verb for a subject of that number.
fn finite(word: &str, plural: bool) -> bool {
    let auxiliary = matches!(
        word,
        "is" | "are" | "has" | "have" | "does" | "do" | "can" | "will"
    );
    let form = if plural { Form::Base } else { Form::Third };
    auxiliary || base_in(word, form).is_some()
}

/// The words of an action's object with present tenses that belong to the
/// past moved there: the verb after "you" and the verb of a "when / before /
/// as / so that" clause.
pub(super) fn backshift(words: &[String]) -> Vec<String> {
    let low: Vec<String> = words.iter().map(|w| bare(w)).collect();
    let mut out = words.to_vec();
    let mut shifted = vec![false; words.len()];
    let mut shift = |index: usize, plural: bool, out: &mut Vec<String>| {
        if shifted.get(index).copied().unwrap_or(true) {
            return;
        }
        let Some(low_word) = low.get(index) else {
            return;
        };
        if let (Some(past), Some(raw)) = (present_to_past(low_word, plural), out.get_mut(index)) {
            *raw = replace_core(raw, &past);
            shifted[index] = true;
        }
    };
    for (i, word) in low.iter().enumerate() {
        if is_subordinator(word) {
            if let Some((verb, plural)) = finite_after(&low, i + 1) {
                shift(verb, plural, &mut out);
            }
        }
        let object = i > 0 && {
            let previous = low[i - 1].as_str();
            takes_bare_infinitive(previous) || is_preposition(previous)
        };
        if word == "you" && !object {
            let verb = skip_adverbs(&low, i + 1);
            if finite(low.get(verb).map_or("", String::as_str), true) {
                shift(verb, true, &mut out);
            }
        }
    }
    out
}
