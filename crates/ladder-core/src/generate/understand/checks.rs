//! Checks that refuse what cannot be repaired with certainty (shorthand,
//! unmatched brackets, pointers to other levels, ALL CAPS) and the two
//! repairs that are certain (a doubled word, Title Case).

use super::clean::{is_dotted_abbreviation, lower_initial, split_punctuation};
use super::words::{bare, is_shorthand, keeps_capital};

/// Whether the text points at another level or another part of the
/// framework ("Same as L3", "See the rubric above") instead of describing
/// a behaviour.
pub(super) fn refers_elsewhere(words: &[String]) -> bool {
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

/// Text still written in shorthand ("exec", "re.", "impl.") cannot be
/// repaired with certainty.
pub(super) fn check_shorthand(words: &[String]) -> Result<(), &'static str> {
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
pub(super) fn check_balance(words: &[String]) -> Result<(), &'static str> {
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
pub(super) fn remove_doubled(words: Vec<String>) -> Result<Vec<String>, &'static str> {
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
pub(super) fn fix_capitals(words: Vec<String>) -> Result<Vec<String>, &'static str> {
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
