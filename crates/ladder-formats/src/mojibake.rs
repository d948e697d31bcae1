//! Repair of UTF-8 text that was once decoded with a legacy 8-bit code page and
//! saved again ("‚Äô" for ’, "üõ†Ô∏è" for 🛠️, "â€™" for ’).
//!
//! Each mis-decoded character maps back to exactly one byte of the code page, so
//! the original UTF-8 bytes can be recovered and decoded. We only rewrite a run of
//! characters when it turns back into one valid UTF-8 character that such damage
//! produces; legitimate non-ASCII text ("naïve", "“quoted”", "√2") is left alone.

use std::sync::OnceLock;

use encoding_rs::{Encoding, MACINTOSH, WINDOWS_1252};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePage {
    MacRoman,
    Windows1252,
}

impl CodePage {
    pub fn name(self) -> &'static str {
        match self {
            CodePage::MacRoman => "Mac Roman",
            CodePage::Windows1252 => "Windows-1252",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// How many damaged sequences were turned back into characters.
    pub sequences: usize,
    pub code_page: CodePage,
    /// 1-based line and column (in the repaired text) of the first repair.
    pub first_line: u32,
    pub first_column: u32,
}

/// Reverse table for one code page: which byte (0x80..=0xFF) decodes to a char.
struct ReverseTable {
    pairs: Vec<(char, u8)>,
}

impl ReverseTable {
    fn build(encoding: &'static Encoding) -> Self {
        let mut pairs = Vec::with_capacity(128);
        for byte in 0x80u8..=0xFF {
            let single = [byte];
            let (decoded, _) = encoding.decode_without_bom_handling(&single);
            let mut chars = decoded.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                if c != '\u{FFFD}' {
                    pairs.push((c, byte));
                }
            }
        }
        pairs.sort_unstable();
        ReverseTable { pairs }
    }

    fn byte_for(&self, c: char) -> Option<u8> {
        self.pairs
            .binary_search_by_key(&c, |&(k, _)| k)
            .ok()
            .map(|index| self.pairs[index].1)
    }
}

fn table(code_page: CodePage) -> &'static ReverseTable {
    static MAC: OnceLock<ReverseTable> = OnceLock::new();
    static WIN: OnceLock<ReverseTable> = OnceLock::new();
    match code_page {
        CodePage::MacRoman => MAC.get_or_init(|| ReverseTable::build(MACINTOSH)),
        CodePage::Windows1252 => WIN.get_or_init(|| ReverseTable::build(WINDOWS_1252)),
    }
}

fn utf8_sequence_length(lead: u8) -> usize {
    match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

/// Tries to read one damaged character starting at `chars[0]`. Returns the
/// original character and how many damaged characters it spans.
fn decode_one(chars: &[char], code_page: CodePage) -> Option<(char, usize)> {
    let table = table(code_page);
    let lead = table.byte_for(*chars.first()?)?;
    if lead == 0x9F {
        return decode_emoji_without_lead(chars, table);
    }
    let length = utf8_sequence_length(lead);
    // Two-byte damage is only trusted for Latin-1 characters (lead C2/C3: "Ã©",
    // "√©", "Â "). Other two-character pairs such as "“é" are far more likely to be
    // real text than damage.
    if length == 0 || (length == 2 && lead > 0xC3) || chars.len() < length {
        return None;
    }
    let mut bytes = [lead, 0, 0, 0];
    for (offset, &c) in chars[1..length].iter().enumerate() {
        // A letter, a no-break space and "»", "–" or "“" is French text, not
        // damage: its three bytes would decode to a Samaritan, Braille or CJK
        // character (second byte A0), which damaged framework files don't hold.
        if length == 3 && offset == 0 && c == '\u{A0}' {
            return None;
        }
        let byte = match table.byte_for(c) {
            Some(byte) => byte,
            // Editors often turn a no-break space (byte A0) into a plain space;
            // accept that only inside four-byte (emoji) sequences: in shorter
            // ones, "é “" in real French text would look like damage.
            None if c == ' ' && length == 4 && offset > 0 => 0xA0,
            None => return None,
        };
        if !(0x80..=0xBF).contains(&byte) {
            return None;
        }
        bytes[offset + 1] = byte;
    }
    let decoded = std::str::from_utf8(&bytes[..length]).ok()?;
    decoded.chars().next().map(|c| (c, length))
}

/// Windows-1252 has no characters for bytes 81, 8D, 8F, 90 and 9D, so tools
/// often dropped them. Two such truncated sequences are common enough to
/// recognise: "â€" (E2 80, was ” E2 80 9D) and "ï¸" (EF B8, was the emoji
/// variation selector EF B8 8F).
fn decode_truncated_windows_1252(chars: &[char]) -> Option<(char, usize)> {
    match chars {
        ['â', '€', ..] => Some(('\u{201D}', 2)),
        ['ï', '¸', ..] => Some(('\u{FE0F}', 2)),
        _ => None,
    }
}

/// Some damaged files lost the first byte of an emoji (F0, which Mac Roman shows
/// as a private-use character that editors drop): "üõ†" for 🛠. Three
/// continuation bytes starting with 9F only make sense as the tail of an emoji
/// in U+1F000..U+1FFFF, so restore the lead byte.
fn decode_emoji_without_lead(chars: &[char], table: &ReverseTable) -> Option<(char, usize)> {
    if chars.len() < 3 {
        return None;
    }
    let mut bytes = [0xF0, 0x9F, 0, 0];
    for (offset, &c) in chars[1..3].iter().enumerate() {
        let byte = table.byte_for(c)?;
        if !(0x80..=0xBF).contains(&byte) {
            return None;
        }
        bytes[offset + 2] = byte;
    }
    let decoded = std::str::from_utf8(&bytes).ok()?;
    decoded.chars().next().map(|c| (c, 3))
}

/// One pass over the text. Returns the repaired text when anything changed.
fn repair_pass(text: &str) -> Option<(String, Repair)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut repair: Option<Repair> = None;
    let mut mac = 0usize;
    let mut windows = 0usize;
    let (mut line, mut column) = (1u32, 1u32);
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        if c.is_ascii() {
            out.push(c);
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
            index += 1;
            continue;
        }
        let attempt = decode_one(&chars[index..], CodePage::MacRoman)
            .map(|found| (found, CodePage::MacRoman))
            .or_else(|| {
                decode_one(&chars[index..], CodePage::Windows1252)
                    .or_else(|| decode_truncated_windows_1252(&chars[index..]))
                    .map(|found| (found, CodePage::Windows1252))
            });
        match attempt {
            Some(((original, span), code_page)) => {
                match code_page {
                    CodePage::MacRoman => mac += 1,
                    CodePage::Windows1252 => windows += 1,
                }
                if repair.is_none() {
                    repair = Some(Repair {
                        sequences: 0,
                        code_page,
                        first_line: line,
                        first_column: column,
                    });
                }
                out.push(original);
                column += 1;
                index += span;
            }
            None => {
                out.push(c);
                column += 1;
                index += 1;
            }
        }
    }
    repair.map(|mut found| {
        found.sequences = mac + windows;
        found.code_page = if mac >= windows {
            CodePage::MacRoman
        } else {
            CodePage::Windows1252
        };
        (out, found)
    })
}

/// Repairs mojibake, repeating while text still changes (text damaged twice
/// needs two passes), at most three times.
pub fn repair(text: &str) -> (String, Option<Repair>) {
    let mut current = text.to_string();
    let mut total: Option<Repair> = None;
    for _ in 0..3 {
        match repair_pass(&current) {
            Some((repaired, found)) => {
                total = Some(match total {
                    None => found,
                    Some(mut earlier) => {
                        earlier.sequences += found.sequences;
                        earlier
                    }
                });
                current = repaired;
            }
            None => break,
        }
    }
    (current, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn damage(original: &str, encoding: &'static Encoding) -> String {
        encoding
            .decode_without_bom_handling(original.as_bytes())
            .0
            .into_owned()
    }

    #[test]
    fn repairs_mac_roman_damage_exactly() {
        let original = "🛠️ Backend — we’re “self-healing” – 3½ °C café";
        let damaged = damage(original, MACINTOSH);
        assert_ne!(damaged, original);
        let (repaired, report) = repair(&damaged);
        assert_eq!(repaired, original);
        let report = report.expect("reported");
        assert_eq!(report.code_page, CodePage::MacRoman);
        assert_eq!((report.first_line, report.first_column), (1, 1));
    }

    #[test]
    fn repairs_windows_1252_damage_including_c1_controls() {
        let original = "🛠️ don’t “quote” me";
        let damaged = damage(original, WINDOWS_1252);
        assert!(damaged.contains('\u{8F}'), "{damaged:?}");
        let (repaired, report) = repair(&damaged);
        assert_eq!(repaired, original);
        assert_eq!(
            report.map(|found| found.code_page),
            Some(CodePage::Windows1252)
        );
    }

    #[test]
    fn repairs_windows_1252_emoji_whose_no_break_space_became_a_space() {
        let (repaired, _) = repair("ðŸ› ï¸\u{8F} Backend");
        assert_eq!(repaired, "🛠️ Backend");
        // ...and when the undefined byte 8F was dropped as well.
        let (repaired, _) = repair("ðŸ› ï¸ Backend");
        assert_eq!(repaired, "🛠️ Backend");
        let (repaired, _) = repair("â€œquotedâ€ and â€™");
        assert_eq!(repaired, "“quoted” and ’");
    }

    #[test]
    fn the_seed_sequences_repair() {
        for (damaged, original) in [
            ("‚Äô", "’"),
            ("‚Äú", "“"),
            ("‚Äù", "”"),
            ("‚Äì", "–"),
            ("\u{F8FF}üõ†Ô∏è", "🛠️"),
            ("üõ†Ô∏è", "🛠️"),
            ("â€™", "’"),
        ] {
            assert_eq!(repair(damaged).0, original, "{damaged}");
        }
    }

    #[test]
    fn leaves_legitimate_text_alone() {
        let legit = "café “quoted” naïve café Zürich São Paulo “quoted” – — … ✓ 🚀 日本語 Ελληνικά Привет ½ °C √2 Ôle ‘single’ «guillemets» Ã la carte";
        let (repaired, report) = repair(legit);
        assert_eq!(repaired, legit);
        assert!(report.is_none());
    }

    #[test]
    fn a_letter_before_a_no_break_space_is_not_damage() {
        // French puts a no-break space before », ; : ! and ?. "é", a no-break
        // space and "»" are also Windows-1252 for the bytes of U+983B.
        for legit in [
            "café\u{A0}» et déjà\u{A0}– été\u{A0}“x”",
            "Zürich\u{A0}: où\u{A0}! à\u{A0}»",
        ] {
            let (repaired, report) = repair(legit);
            assert_eq!(repaired, legit);
            assert!(report.is_none());
        }
    }

    #[test]
    fn reports_first_position_and_count() {
        let (_, report) = repair("line one\nit‚Äôs and don‚Äôt");
        let report = report.expect("reported");
        assert_eq!(report.sequences, 2);
        assert_eq!((report.first_line, report.first_column), (2, 3));
    }
}
