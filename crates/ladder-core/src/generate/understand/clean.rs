//! From raw framework text to the words of one clean sentence: bullets,
//! quotes, abbreviations, examples and asides removed; shorthand, fragments
//! and typos caught before any grammar is attempted.

use super::inflect::{recognise, Form};
use super::lexicon::is_verb;
use super::words::{bare, is_adverb, is_shorthand, keeps_capital};

/// Inputs longer than these are refused before any work is done.
const MAX_CHARS: usize = 400;
const MAX_INPUT_WORDS: usize = 60;
/// A sentence longer than this does not fit in a question.
const MAX_WORDS: usize = 40;
/// A "such as" list stays only in a sentence shorter than this.
const SUCH_AS_LIMIT: usize = 14;

#[derive(Debug)]
pub(super) struct Cleaned {
    pub(super) words: Vec<String>,
    /// A leading qualifier ("With guidance,") to put after every action.
    pub(super) qualifier: Vec<String>,
}

pub(super) fn clean(text: &str) -> Result<Cleaned, &'static str> {
    if text.chars().count() > MAX_CHARS || text.split_whitespace().count() > MAX_INPUT_WORDS {
        return Err("too long");
    }
    let text = strip_bullets(&fold_characters(text));
    let text = drop_example_brackets(&text);
    let mut words = tokens(&text);
    if words
        .iter()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
        < 2
    {
        return Err("too short");
    }
    if text.contains("...") || text.contains('…') || text.ends_with(':') {
        return Err("a fragment");
    }
    words = unquote(words);
    words = expand_abbreviations(words);
    words = expand_contractions(words);
    words = join_slashed_verbs(words);
    words = first_sentence(words);
    words = drop_label(words);
    words = drop_example_tail(words)?;
    words = drop_long_list(words);
    words = drop_etc(words);
    words = drop_dash_aside(words)?;
    words = cut_at_colon(words)?;
    trim_end_punctuation(&mut words);
    check_shorthand(&words)?;
    check_balance(&words)?;
    words = remove_doubled(words)?;
    words = fix_capitals(words)?;
    let count = words
        .iter()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    if count < 2 {
        return Err("too short");
    }
    if count > MAX_WORDS {
        return Err("too long");
    }
    let mut cleaned = split_qualifier(words);
    // "In addition to the above, drives …": the pointer goes, the
    // behaviour stays.
    if refers_elsewhere(&cleaned.qualifier) {
        cleaned.qualifier.clear();
    }
    if refers_elsewhere(&cleaned.words) {
        return Err("a cross-reference");
    }
    Ok(cleaned)
}

/// Whether the text points at another level or another part of the
/// framework ("Same as L3", "See the rubric above") instead of describing
/// a behaviour.
fn refers_elsewhere(words: &[String]) -> bool {
    let low: Vec<String> = words.iter().map(|w| bare(w)).collect();
    let level_code = |w: &str| {
        let digits = w
            .strip_prefix('l')
            .or_else(|| w.strip_prefix("ic"))
            .unwrap_or_default();
        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
    };
    let numeral = |w: &str| {
        w.chars().all(|c| c.is_ascii_digit()) || ["i", "ii", "iii", "iv", "v", "vi"].contains(&w)
    };
    low.iter().any(|w| level_code(w) || w == "rubric")
        || low.windows(2).any(|pair| {
            let (a, b) = (pair[0].as_str(), pair[1].as_str());
            (a == "level" && numeral(b))
                || matches!(
                    (a, b),
                    ("the" | "as" | "see", "above")
                        | ("same", "as")
                        | ("previous" | "next" | "prior" | "lower", "level")
                        | ("expectations", "for" | "at" | "of")
                        | ("in", "addition")
                        | ("plus", "all")
                        | ("everything", "in")
                )
        })
}

/// "Designs/implements services" → "Designs and implements services";
/// "and/or" → "or". Other slashes ("CI/CD", "A/B") stay.
fn join_slashed_verbs(words: Vec<String>) -> Vec<String> {
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
fn drop_label(words: Vec<String>) -> Vec<String> {
    let is_dash = |w: &str| matches!(w, "-" | "–" | "—" | "--");
    let split = words.iter().take(4).enumerate().find_map(|(index, word)| {
        if word.ends_with(':') {
            Some(index + 1)
        } else if is_dash(word) && index > 0 {
            Some(index + 1)
        } else {
            None
        }
    });
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

/// Typographic quotes and spaces folded to ASCII, so later checks see one
/// spelling.
fn fold_characters(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{00A0}' | '\t' | '\n' | '\r' => ' ',
            other => other,
        })
        .collect()
}

/// Leading list markers: "-", "*", "•", "1.", "2)", "(a)", "3.2".
fn strip_bullets(text: &str) -> String {
    let mut rest = text.trim();
    for _ in 0..3 {
        let trimmed = rest.trim_start_matches(['-', '*', '•', '·', '–', '—', '>', '+']);
        let trimmed = trimmed.trim_start();
        let first = trimmed.split(' ').next().unwrap_or_default();
        let marker = is_number_marker(first) || is_letter_marker(first);
        let next = if marker {
            trimmed.get(first.len()..).unwrap_or_default().trim_start()
        } else {
            trimmed
        };
        if next.len() == rest.len() {
            break;
        }
        rest = next;
    }
    rest.to_string()
}

/// "1.", "10)", "(2)", "3.2", "3.2." — a number that is a list marker, not a
/// quantity ("3 engineers" keeps its number).
fn is_number_marker(word: &str) -> bool {
    let inner = word.trim_start_matches('(');
    let opened = inner.len() != word.len();
    let closed = inner.ends_with(['.', ')']);
    let digits = inner.trim_end_matches(['.', ')']);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && (opened || closed || digits.contains('.'))
}

/// "a)", "(b)", "iv." — a letter or roman numeral that marks a list item.
fn is_letter_marker(word: &str) -> bool {
    let inner = word.trim_start_matches('(');
    let opened = inner.len() != word.len();
    let Some(body) = inner.strip_suffix(')').or_else(|| inner.strip_suffix('.')) else {
        return false;
    };
    let single = body.len() == 1 && body.chars().all(|c| ('a'..='h').contains(&c));
    let roman = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"].contains(&body);
    (single || roman) && (opened || inner.ends_with(')') || body.len() > 1)
}

/// Whether a bracketed aside gives examples or a reference, which a
/// question does not need: "(e.g. against a real database)", "(see …)".
fn is_example_aside(inner: &str) -> bool {
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
fn drop_example_brackets(text: &str) -> String {
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

/// Words split on whitespace, with a glued em dash ("systems—especially")
/// made a word of its own so asides can be found.
fn tokens(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for word in text.split_whitespace() {
        let mut parts = word.split('—').peekable();
        while let Some(part) = parts.next() {
            if !part.is_empty() {
                words.push(part.to_string());
            }
            if parts.peek().is_some() {
                words.push("—".to_string());
            }
        }
    }
    words
}

/// A behaviour wrapped whole in quotes loses them.
fn unquote(mut words: Vec<String>) -> Vec<String> {
    let quotes: usize = words.iter().map(|w| w.matches('"').count()).sum();
    let starts = words.first().is_some_and(|w| w.starts_with('"'));
    let ends = words
        .last()
        .is_some_and(|w| w.trim_end_matches(['.', '!', '?']).ends_with('"'));
    if quotes == 2 && starts && ends {
        if let Some(first) = words.first_mut() {
            *first = first.trim_start_matches('"').to_string();
        }
        if let Some(last) = words.last_mut() {
            *last = last.replace('"', "");
        }
        words.retain(|w| !w.is_empty());
    }
    words
}

/// Splits a word into leading punctuation, its core and trailing
/// punctuation: "(docs," → ("(", "docs", ",").
fn split_punctuation(word: &str) -> (&str, &str, &str) {
    let core_start = word
        .find(|c: char| !matches!(c, '(' | '[' | '"'))
        .unwrap_or(word.len());
    let head = word.get(..core_start).unwrap_or_default();
    let body = word.get(core_start..).unwrap_or_default();
    let core = body.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '"']);
    let tail = body.get(core.len()..).unwrap_or_default();
    (head, core, tail)
}

/// Abbreviations repaired only where the meaning is certain.
fn expansion(core: &str) -> Option<&'static str> {
    Some(match core {
        "mgmt" => "management",
        "dept" => "department",
        "depts" => "departments",
        "mgr" => "manager",
        "mgrs" => "managers",
        "approx" => "approximately",
        "incl" => "including",
        "eng" => "engineering",
        "docs" => "documentation",
        "infra" => "infrastructure",
        "w/" => "with",
        "w/o" => "without",
        "&" => "and",
        _ => return None,
    })
}

fn capitalised_like(replacement: &str, original: &str) -> String {
    if original.starts_with(|c: char| c.is_uppercase()) {
        let mut chars = replacement.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    } else {
        replacement.to_string()
    }
}

fn expand_abbreviations(words: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    for (index, word) in words.iter().enumerate() {
        let (head, core, tail) = split_punctuation(word);
        let Some(full) = expansion(&core.to_lowercase()) else {
            out.push(word.clone());
            continue;
        };
        // The abbreviation's own full stop goes with it, unless it also
        // ends the sentence.
        let next_starts_sentence = words
            .get(index + 1)
            .is_none_or(|next| next.starts_with(|c: char| c.is_uppercase()));
        let tail = if tail.starts_with('.') && !next_starts_sentence {
            tail.get(1..).unwrap_or_default()
        } else {
            tail
        };
        out.push(format!("{head}{}{tail}", capitalised_like(full, core)));
    }
    out
}

fn contraction(core: &str) -> Option<&'static [&'static str]> {
    Some(match core {
        "can't" => &["cannot"],
        "won't" => &["will", "not"],
        "doesn't" => &["does", "not"],
        "don't" => &["do", "not"],
        "didn't" => &["did", "not"],
        "isn't" => &["is", "not"],
        "aren't" => &["are", "not"],
        "shouldn't" => &["should", "not"],
        "wouldn't" => &["would", "not"],
        "couldn't" => &["could", "not"],
        "mustn't" => &["must", "not"],
        "hasn't" => &["has", "not"],
        "haven't" => &["have", "not"],
        "they're" => &["they", "are"],
        "you're" => &["you", "are"],
        "he's" => &["he", "is"],
        "she's" => &["she", "is"],
        "they've" => &["they", "have"],
        "you've" => &["you", "have"],
        "they'll" => &["they", "will"],
        _ => return None,
    })
}

/// Contractions written out, except inside quotations, which stay verbatim.
fn expand_contractions(words: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    let mut quoted = false;
    for word in words {
        let opens = word.matches('"').count();
        let (head, core, tail) = split_punctuation(&word);
        match contraction(&core.to_lowercase()).filter(|_| !quoted && opens == 0) {
            Some(parts) => {
                let last = parts.len() - 1;
                for (index, part) in parts.iter().enumerate() {
                    let mut piece = if index == 0 {
                        format!("{head}{}", capitalised_like(part, core))
                    } else {
                        (*part).to_string()
                    };
                    if index == last {
                        piece.push_str(tail);
                    }
                    out.push(piece);
                }
            }
            None => out.push(word.clone()),
        }
        if opens % 2 == 1 {
            quoted = !quoted;
        }
    }
    out
}

/// Abbreviations whose full stop does not end a sentence.
fn is_dotted_abbreviation(word: &str) -> bool {
    let lower = word.to_lowercase();
    ["e.g.", "i.e.", "vs.", "cf.", "etc."]
        .iter()
        .any(|a| lower.trim_start_matches('(') == *a)
        || is_dotted_acronym(word)
}

/// "U.S." and the like: single letters with full stops.
fn is_dotted_acronym(word: &str) -> bool {
    let letters: Vec<&str> = word.split('.').collect();
    letters.len() > 2
        && letters.last() == Some(&"")
        && letters
            .iter()
            .take(letters.len() - 1)
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic))
}

/// The first sentence only: what follows it is an elaboration the question
/// cannot carry.
fn first_sentence(words: Vec<String>) -> Vec<String> {
    let mut end = words.len();
    for (index, word) in words.iter().enumerate() {
        let closes = word.trim_end_matches(['"', ')']).ends_with(['.', '!', '?']);
        let next_opens = words.get(index + 1).is_some_and(|next| {
            next.trim_start_matches(['"', '(', '-', '•'])
                .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
        });
        let etc_before_lower = word.eq_ignore_ascii_case("etc.") && !next_opens;
        if closes && next_opens && !is_dotted_abbreviation(word) && !etc_before_lower {
            end = index + 1;
            break;
        }
    }
    words.into_iter().take(end).collect()
}

/// Strips a trailing comma or semicolon from the last word.
fn trim_last_comma(words: &mut [String]) {
    if let Some(last) = words.last_mut() {
        *last = last.trim_end_matches([',', ';']).to_string();
    }
}

/// ", e.g. …", "for example …", "i.e. …": the examples go, to the end of
/// the sentence.
fn drop_example_tail(mut words: Vec<String>) -> Result<Vec<String>, &'static str> {
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
fn drop_long_list(mut words: Vec<String>) -> Vec<String> {
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
fn drop_etc(mut words: Vec<String>) -> Vec<String> {
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
fn drop_dash_aside(mut words: Vec<String>) -> Result<Vec<String>, &'static str> {
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
fn cut_at_colon(mut words: Vec<String>) -> Result<Vec<String>, &'static str> {
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
    if announces || super::words::is_dangling(last) || colon == 0 {
        return Err("a fragment");
    }
    words.truncate(colon + 1);
    trim_end_punctuation(&mut words);
    Ok(words)
}

fn trim_end_punctuation(words: &mut Vec<String>) {
    while let Some(last) = words.last_mut() {
        let trimmed = last
            .trim_end_matches(['.', ',', ';', ':', '!', '?'])
            .to_string();
        if trimmed.is_empty() {
            words.pop();
        } else {
            *last = trimmed;
            break;
        }
    }
}

/// Text still written in shorthand ("exec", "re.", "impl.") cannot be
/// repaired with certainty.
fn check_shorthand(words: &[String]) -> Result<(), &'static str> {
    for word in words {
        let (_, core, tail) = split_punctuation(word);
        let dotted = tail.starts_with('.') && !is_dotted_abbreviation(word);
        if dotted || is_shorthand(&core.to_lowercase()) {
            return Err("shorthand");
        }
    }
    Ok(())
}

/// Unmatched brackets or quotes mean the text was cut or mangled.
fn check_balance(words: &[String]) -> Result<(), &'static str> {
    if balanced(&words.join(" ")) {
        Ok(())
    } else {
        Err("a fragment")
    }
}

/// Whether brackets nest properly and double quotes pair up.
pub(super) fn balanced(text: &str) -> bool {
    let mut stack = Vec::new();
    for c in text.chars() {
        match c {
            '(' | '[' | '{' => stack.push(c),
            ')' | ']' | '}' => {
                let open = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                if stack.pop() != Some(open) {
                    return false;
                }
            }
            _ => {}
        }
    }
    stack.is_empty() && text.matches('"').count().is_multiple_of(2)
}

/// "the the" → "the". A doubled "that" or "had" can be correct English, so
/// those are refused rather than guessed at.
fn remove_doubled(words: Vec<String>) -> Result<Vec<String>, &'static str> {
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    for word in words {
        let key = bare(&word);
        let previous = out.last().map(|w| bare(w));
        if !key.is_empty() && previous.as_deref() == Some(key.as_str()) {
            if matches!(key.as_str(), "that" | "had") {
                return Err("a typo");
            }
            out.pop();
        }
        out.push(word);
    }
    Ok(out)
}

/// ALL CAPS is refused (no way to tell acronyms from words); Title Case is
/// lowered, keeping acronyms and known names.
fn fix_capitals(words: Vec<String>) -> Result<Vec<String>, &'static str> {
    let lettered: Vec<&String> = words
        .iter()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .collect();
    if lettered.len() >= 3 && lettered.iter().all(|w| !w.chars().any(char::is_lowercase)) {
        return Err("all capitals");
    }
    let long: Vec<&String> = words
        .iter()
        .skip(1)
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    let title = long.len() >= 2
        && long
            .iter()
            .all(|w| w.starts_with(|c: char| c.is_uppercase()));
    if !title {
        return Ok(words);
    }
    Ok(words
        .into_iter()
        .map(|w| {
            if keeps_capital(&w) {
                w
            } else {
                lower_initial(&w)
            }
        })
        .collect())
}

pub(super) fn lower_initial(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Words that open a qualifier that can follow the action instead: "With
/// guidance, implements …" → "implement … with guidance".
const QUALIFIER_STARTS: &[&str] = &[
    "with",
    "without",
    "under",
    "when",
    "whenever",
    "where",
    "wherever",
    "if",
    "once",
    "for",
    "in",
    "on",
    "across",
    "within",
    "given",
    "as",
    "at",
    "by",
    "during",
    "after",
    "before",
    "over",
    "through",
    "from",
    "alongside",
    "beyond",
    "outside",
    "inside",
];

fn split_qualifier(mut words: Vec<String>) -> Cleaned {
    let comma = words.iter().take(8).position(|w| w.ends_with(','));
    let first = words.first().map(|w| bare(w)).unwrap_or_default();
    match comma {
        Some(0) if is_adverb(&first) => {
            words[0] = words[0].trim_end_matches(',').to_string();
        }
        Some(comma) if QUALIFIER_STARTS.contains(&first.as_str()) && words.len() > comma + 2 => {
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
