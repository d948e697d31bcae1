//! What a question does not need: examples, long lists, "etc.", asides
//! between dashes, the list after a colon, a label before the behaviour, and
//! a leading qualifier ("With guidance,") that reads better at the end.

use super::clean::{
    lower_initial, split_punctuation, trim_end_punctuation, trim_last_comma, Cleaned,
};
use super::inflect::{recognise, Form};
use super::lexicon::is_verb;
use super::words::{bare, is_adverb, is_dangling, keeps_capital, listed};

/// A "such as" list stays only in a sentence shorter than this.
const SUCH_AS_LIMIT: usize = 14;

/// "Designs/implements services" → "Designs and implements services";
/// "and/or" → "or". Other slashes ("CI/CD", "A/B") stay.
pub(super) fn join_slashed_verbs(words: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    for word in words {
        if word.eq_ignore_ascii_case("and/or") {
            out.push("or".to_string());
            continue;
        }
        let (head, core, tail) = split_punctuation(&word);
        let parts: Vec<&str> = core.split('/').collect();
        let forms: Vec<Option<Form>> = parts
            .iter()
            .map(|p| recognise(&p.to_lowercase()).map(|(form, _)| form))
            .collect();
        let same = parts.len() == 2 && forms[0].is_some() && forms[0] == forms[1];
        match (same, parts.as_slice()) {
            (true, [first, second]) => {
                out.push(format!("{head}{first}"));
                out.push("and".to_string());
                out.push(format!("{second}{tail}"));
            }
            _ => out.push(word),
        }
    }
    out
}

/// "Coding: writes production-quality code", "Impact — delivers …": a short
/// label before a colon or dash, followed by the behaviour itself, goes.
pub(super) fn drop_label(words: Vec<String>) -> Vec<String> {
    let is_dash = |w: &str| matches!(w, "-" | "–" | "—" | "--");
    let split = words
        .iter()
        .take(4)
        .enumerate()
        .find(|(index, word)| word.ends_with(':') || (is_dash(word) && *index > 0))
        .map(|(index, _)| index + 1);
    let Some(tail_start) = split else {
        return words;
    };
    let head_verb = words
        .first()
        .map(|w| bare(w))
        .is_some_and(|w| matches!(recognise(&w), Some((Form::Third, _))));
    let tail_verb = words.get(tail_start).map(|w| bare(w)).is_some_and(|w| {
        matches!(recognise(&w), Some((Form::Third, _)))
            || matches!(w.as_str(), "can" | "will" | "is" | "has")
    });
    if !head_verb && tail_verb && words.len() > tail_start + 1 {
        return words.into_iter().skip(tail_start).collect();
    }
    words
}

/// Whether a bracketed aside gives examples or a reference, which a
/// question does not need: "(e.g. against a real database)", "(see …)".
fn is_example_aside(inner: &str) -> bool {
    // A note written as its own sentence, "(Co-authors with a senior
    // engineer)": the behaviour reads whole without it. One capitalised word
    // ("(SLOs)") is a name and stays.
    let trimmed = inner.trim();
    if trimmed.chars().next().is_some_and(char::is_uppercase)
        && trimmed.split_whitespace().count() >= 3
    {
        return true;
    }
    let inner = inner.trim_start().to_lowercase();
    [
        "e.g",
        "eg.",
        "eg ",
        "i.e",
        "ie.",
        "ie ",
        "for example",
        "for instance",
        "see ",
        "cf",
        "such as",
        "including",
        "like ",
        "or ",
        "and ",
    ]
    .iter()
    .any(|start| inner.starts_with(start))
}

/// Removes "(e.g. …)"-like brackets with the space before them.
pub(super) fn drop_example_brackets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find(['(', '[']) {
        let closer = if rest.get(open..=open) == Some("(") {
            ')'
        } else {
            ']'
        };
        let after = rest.get(open + 1..).unwrap_or_default();
        match after.find(closer) {
            Some(close) if is_example_aside(after.get(..close).unwrap_or_default()) => {
                out.push_str(rest.get(..open).unwrap_or_default().trim_end());
                rest = after.get(close + 1..).unwrap_or_default();
            }
            _ => {
                out.push_str(rest.get(..=open).unwrap_or_default());
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// ", e.g. …", "for example …", "i.e. …": the examples go, to the end of
/// the sentence.
pub(super) fn drop_example_tail(mut words: Vec<String>) -> Result<Vec<String>, &'static str> {
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let start = (0..lower.len()).find(|&index| {
        let word = lower[index].trim_end_matches(',');
        let after_comma = index > 0 && lower[index - 1].ends_with(',');
        matches!(word, "e.g." | "e.g" | "i.e." | "i.e" | "eg.")
            || (matches!(word, "eg" | "ie") && after_comma)
            || (word == "for"
                && after_comma
                && lower.get(index + 1).is_some_and(|next| {
                    next.starts_with("example") || next.starts_with("instance")
                }))
    });
    match start {
        // Nothing but an example.
        Some(0) => return Err("a fragment"),
        Some(start) => {
            words.truncate(start);
            trim_last_comma(&mut words);
        }
        None => {}
    }
    Ok(words)
}

/// A "such as" or ", including" list in a long sentence goes; what the list
/// was for ("… to investigate latency") stays.
pub(super) fn drop_long_list(mut words: Vec<String>) -> Vec<String> {
    if words.len() < SUCH_AS_LIMIT {
        return words;
    }
    let lower: Vec<String> = words.iter().map(|w| bare(w)).collect();
    let start = (1..lower.len()).find(|&index| {
        (lower[index] == "such" && lower.get(index + 1).is_some_and(|next| next == "as"))
            || (lower[index] == "including" && words[index - 1].ends_with(','))
    });
    let Some(start) = start else {
        return words;
    };
    let items = if lower[start] == "such" {
        start + 2
    } else {
        start + 1
    };
    let end = (items..lower.len()).find(|&index| {
        let word = lower[index].as_str();
        let purpose = word == "to" && lower.get(index + 1).is_some_and(|next| is_verb(next));
        purpose
            || matches!(
                word,
                "when" | "while" | "so" | "because" | "before" | "after" | "unless"
            )
    });
    let tail: Vec<String> = match end {
        Some(end) => words.split_off(end),
        None => Vec::new(),
    };
    words.truncate(start);
    trim_last_comma(&mut words);
    words.extend(tail);
    words
}

/// "A, B, etc." → "A and B": the list is closed properly instead.
pub(super) fn drop_etc(mut words: Vec<String>) -> Vec<String> {
    let Some(at) = words
        .iter()
        .position(|w| matches!(bare(w).as_str(), "etc" | "etcetera"))
    else {
        return words;
    };
    let removed = words.remove(at);
    if at == 0 {
        return words;
    }
    let last_item = at - 1;
    // "(updates, demos, etc.)": the bracket closes after the last item.
    let closers: String = removed
        .chars()
        .filter(|c| matches!(c, ')' | ']' | '"'))
        .collect();
    if let Some(word) = words.get_mut(last_item) {
        *word = format!("{}{closers}", word.trim_end_matches([',', ';']));
    }
    let comma = (0..last_item)
        .rev()
        .find(|&index| words[index].ends_with(','));
    if let Some(comma) = comma {
        let joined = words[comma + 1..=last_item]
            .iter()
            .any(|w| matches!(bare(w).as_str(), "and" | "or"));
        if !joined {
            words[comma] = words[comma].trim_end_matches(',').to_string();
            words.insert(comma + 1, "and".to_string());
        }
    }
    words
}

/// "Writes tests — unit and integration — for every change": the aside
/// between two dashes goes; after a single dash, the rest goes.
pub(super) fn drop_dash_aside(mut words: Vec<String>) -> Result<Vec<String>, &'static str> {
    let is_dash = |w: &String| matches!(w.as_str(), "-" | "–" | "—" | "--");
    let Some(first) = words.iter().position(is_dash) else {
        return Ok(words);
    };
    let second = words
        .iter()
        .skip(first + 1)
        .position(is_dash)
        .map(|offset| first + 1 + offset);
    match second {
        Some(second) => {
            words.drain(first..=second);
        }
        None if first >= 2 => words.truncate(first),
        None => return Err("a fragment"),
    }
    trim_last_comma(&mut words);
    Ok(words)
}

/// A colon after a frame ("Is able to: …") is dropped; after a heading
/// that announces a list ("… the following:") the text is a fragment;
/// otherwise the list after the colon goes.
pub(super) fn cut_at_colon(mut words: Vec<String>) -> Result<Vec<String>, &'static str> {
    let Some(colon) = words.iter().position(|w| w.ends_with(':')) else {
        return Ok(words);
    };
    let head: Vec<String> = words.iter().take(colon + 1).map(|w| bare(w)).collect();
    let head_text = head.join(" ");
    let frames = [
        "is able to",
        "able to",
        "can",
        "will",
        "should",
        "should be able to",
        "is expected to",
        "expected to",
        "you will",
        "you can",
    ];
    if frames.contains(&head_text.as_str()) {
        words[colon] = words[colon].trim_end_matches(':').to_string();
        return Ok(words);
    }
    let last = head.last().map(String::as_str).unwrap_or_default();
    let announces = matches!(
        last,
        "following" | "include" | "includes" | "including" | "as" | "like" | "are" | "is"
    );
    if announces || is_dangling(last) || colon == 0 {
        return Err("a fragment");
    }
    words.truncate(colon + 1);
    trim_end_punctuation(&mut words);
    Ok(words)
}

/// Words that open a qualifier that can follow the action instead: "With
/// guidance, implements …" → "implement … with guidance".
const QUALIFIER_STARTS: &str = "
    with without under when whenever where wherever if once for in on across within given as at
    by during after before over through from alongside beyond outside inside
";

pub(super) fn split_qualifier(mut words: Vec<String>) -> Cleaned {
    let comma = words.iter().take(8).position(|w| w.ends_with(','));
    let first = words.first().map(|w| bare(w)).unwrap_or_default();
    match comma {
        Some(0) if is_adverb(&first) => {
            words[0] = words[0].trim_end_matches(',').to_string();
        }
        Some(comma) if listed(QUALIFIER_STARTS, first.as_str()) && words.len() > comma + 2 => {
            let rest = words.split_off(comma + 1);
            let mut qualifier = words;
            trim_last_comma(&mut qualifier);
            if let Some(first) = qualifier.first_mut() {
                if !keeps_capital(first) {
                    *first = lower_initial(first);
                }
            }
            // "At this level," names the level, not a circumstance.
            let names_level = qualifier
                .iter()
                .any(|w| matches!(bare(w).as_str(), "level" | "stage" | "grade"));
            return Cleaned {
                words: rest,
                qualifier: if names_level { Vec::new() } else { qualifier },
            };
        }
        _ => {}
    }
    Cleaned {
        words,
        qualifier: Vec::new(),
    }
}
