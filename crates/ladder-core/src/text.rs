//! Small text helpers whose exact behaviour other parts rely on (ids, keys).

/// Collapses runs of whitespace to one space and trims the ends. Used wherever two
/// texts must compare equal regardless of wrapping.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The form of a behaviour's text that decides its identity: whitespace collapsed,
/// lower-cased, typographic quotes and dashes folded to ASCII, trailing full stop
/// dropped. "Fixes simple bugs." and "fixes  simple bugs" are the same behaviour.
pub fn normalise_for_identity(text: &str) -> String {
    let folded: String = text
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            '\u{00A0}' => ' ',
            other => other,
        })
        .collect();
    let mut collapsed = collapse_whitespace(&folded).to_lowercase();
    while collapsed.ends_with('.') {
        collapsed.pop();
    }
    collapsed
}

/// A lower-case, ASCII, hyphen-separated key: "Communication & Feedback" ->
/// "communication-feedback". Characters that are not ASCII letters or digits
/// (emoji included) only separate words.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_separator = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_separator && !out.is_empty() {
                out.push('-');
            }
            pending_separator = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending_separator = true;
        }
    }
    out
}

/// "comms_and_feedback" -> "Comms And Feedback": the title shown for a topic whose
/// file gives no title.
pub fn title_case(key: &str) -> String {
    key.split(|c: char| c == '_' || c == '-' || c.is_whitespace())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lower-case hex SHA-256 of some bytes (content hashes of imported files).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for byte in digest {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_drops_emoji_and_punctuation() {
        assert_eq!(slugify("🛠️ Mastery"), "mastery");
        assert_eq!(
            slugify("Communication & Feedback "),
            "communication-feedback"
        );
        assert_eq!(slugify("/engineering/backend"), "engineering-backend");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn title_case_splits_on_underscores_and_dashes() {
        assert_eq!(title_case("teamwork"), "Teamwork");
        assert_eq!(title_case("technical_skills"), "Technical Skills");
        assert_eq!(title_case("comms-and-feedback"), "Comms And Feedback");
        assert_eq!(title_case(""), "");
    }

    #[test]
    fn identity_normalisation_ignores_wrapping_case_quotes_and_full_stop() {
        assert_eq!(
            normalise_for_identity("Writes  “self-healing”\n code."),
            normalise_for_identity("writes \"self-healing\" code")
        );
        assert_ne!(
            normalise_for_identity("Fixes simple bugs"),
            normalise_for_identity("Fixes complex bugs")
        );
    }
}
