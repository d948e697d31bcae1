//! From raw framework text to the words of one clean sentence: bullets,
//! quotes, abbreviations, examples and asides removed; shorthand, fragments
//! and typos caught before any grammar is attempted.

use super::asides::{
    cut_at_colon, drop_dash_aside, drop_etc, drop_example_brackets, drop_example_tail, drop_label,
    drop_long_list, join_slashed_verbs, split_qualifier,
};
use super::checks::{
    check_balance, check_shorthand, fix_capitals, refers_elsewhere, remove_doubled,
};

/// Inputs longer than these are refused before any work is done.
const MAX_CHARS: usize = 400;
const MAX_INPUT_WORDS: usize = 60;
/// A sentence longer than this does not fit in a question.
const MAX_WORDS: usize = 40;

/// One behaviour's first sentence, ready for grammar.
#[derive(Debug)]
pub(super) struct Cleaned {
    pub(super) words: Vec<String>,
    /// A leading qualifier ("With guidance,") to put after every action.
    pub(super) qualifier: Vec<String>,
}

/// The cleaned words of `text`'s first sentence, or why there are none
/// worth asking about. The order matters: abbreviations are expanded
/// before sentences are found (so "approx. 30%" is not two sentences), and
/// examples go before words are counted.
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
pub(super) fn split_punctuation(word: &str) -> (&str, &str, &str) {
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

pub(super) fn capitalised_like(replacement: &str, original: &str) -> String {
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
pub(super) fn is_dotted_abbreviation(word: &str) -> bool {
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
pub(super) fn trim_last_comma(words: &mut [String]) {
    if let Some(last) = words.last_mut() {
        *last = last.trim_end_matches([',', ';']).to_string();
    }
}

pub(super) fn trim_end_punctuation(words: &mut Vec<String>) {
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

pub(super) fn lower_initial(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
