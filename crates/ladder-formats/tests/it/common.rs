//! Helpers more than one test module uses.

use std::path::Path;

use ladder_core::{Diagnostic, Framework};
use ladder_formats::{parse, Parsed};
use proptest::prelude::*;

/// Reads and parses a framework file, naming it by its file name.
pub(crate) fn parse_file(path: &Path) -> Parsed {
    let bytes = std::fs::read(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    parse(&name, &bytes)
}

/// The model a parse built; the test fails when there is none.
pub(crate) fn framework(parsed: &Parsed) -> &Framework {
    parsed.framework.as_ref().expect("a framework is built")
}

/// The codes of some diagnostics, in order.
pub(crate) fn codes<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Vec<&'a str> {
    diagnostics.into_iter().map(|d| d.code.as_str()).collect()
}

/// The only diagnostic with `code`.
pub(crate) fn only<'a>(diagnostics: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
    let found: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "one {code} in {diagnostics:#?}");
    found[0]
}

/// (line, column), 0 where absent.
pub(crate) fn at(diagnostic: &Diagnostic) -> (u32, u32) {
    (diagnostic.line.unwrap_or(0), diagnostic.column.unwrap_or(0))
}

/// `edits` applied to `bytes`: (where, what, byte) truncates, removes a byte,
/// inserts `byte`, or inserts one of `fragments` chosen by `byte`.
pub(crate) fn mangle(
    bytes: &mut Vec<u8>,
    edits: Vec<(prop::sample::Index, usize, u8)>,
    fragments: &[&str],
) {
    for (at, kind, byte) in edits {
        let position = at.index(bytes.len() + 1);
        match kind {
            0 => bytes.truncate(position),
            1..=3 => {
                if position < bytes.len() {
                    bytes.remove(position);
                }
            }
            4 => bytes.insert(position, byte),
            _ => {
                let fragment = fragments[(byte as usize) % fragments.len()].as_bytes();
                bytes.splice(position..position, fragment.iter().copied());
            }
        }
    }
}

/// Edits for [`mangle`].
pub(crate) fn edits() -> impl Strategy<Value = Vec<(prop::sample::Index, usize, u8)>> {
    proptest::collection::vec(
        (any::<prop::sample::Index>(), 0usize..12, any::<u8>()),
        1..12,
    )
}

/// Tokens YAML or Markdown could take for syntax, and text that is not ASCII.
/// None has whitespace at its ends, so words joined by single spaces stay as
/// they are when whitespace is collapsed. Nothing here looks like mojibake:
/// the readers repair that on purpose.
pub(crate) const HOSTILE: &[&str] = &[
    ":",
    "key:",
    "a: b",
    "#",
    "#tag",
    "-",
    "*",
    "+",
    ">",
    "|",
    ">-",
    "|+",
    "&anchor",
    "*alias",
    "!tag",
    "!!str",
    "?",
    ",",
    "{",
    "}",
    "[",
    "]",
    "{}",
    "[]",
    "{#id}",
    "{#id subtitle=\"x\"}",
    "'",
    "\"",
    "\\",
    "`",
    "```",
    "~~~",
    "%",
    "%YAML",
    "@",
    "---",
    "...",
    "## Level 3",
    "### Topic",
    "> **Examples**",
    "null",
    "Null",
    "~",
    "true",
    "yes",
    "no",
    "0x1F",
    "1e3",
    "-1",
    ".5",
    "1.",
    "2)",
    "<b>",
    "</b>",
    "&amp;",
    "&quot;",
    "&#123;",
    "café",
    "naïve",
    "Zürich",
    "🛠️",
    "日本語",
    "“quoted”",
    "don’t",
    "–",
    "—",
    "C#",
    "50%",
    "(e.g.",
    "R&D",
    "\u{FEFF}",
    "\u{200B}",
    "\u{7}",
];

/// Whitespace other than one space: runs, tabs and no-break spaces.
pub(crate) const ODD_SPACES: &[&str] = &["  ", "\t", "\u{A0}", " \t ", "\u{A0} ", "   "];

pub(crate) fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z]{1,9}",
        2 => proptest::sample::select(HOSTILE).prop_map(str::to_string),
    ]
}

/// One to `max_words` words, any of them hostile, joined by single spaces.
pub(crate) fn words(max_words: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(word(), 1..=max_words.max(1)).prop_map(|words| words.join(" "))
}

/// Words starting with a capitalised plain one, joined by single spaces.
pub(crate) fn sentence(max_words: usize) -> impl Strategy<Value = String> {
    (
        "[A-Z][a-z]{1,8}",
        proptest::collection::vec(word(), 0..max_words),
    )
        .prop_map(|(first, rest)| {
            let mut text = first;
            for word in rest {
                text.push(' ');
                text.push_str(&word);
            }
            text
        })
}

/// One to `max_words` words separated by one space or by odd whitespace
/// (`breaks` adds line breaks), with none at the ends.
pub(crate) fn spaced(max_words: usize, breaks: bool) -> impl Strategy<Value = String> {
    let separator = if breaks {
        prop_oneof![
            4 => Just(" ".to_string()),
            2 => proptest::sample::select(ODD_SPACES).prop_map(str::to_string),
            1 => proptest::sample::select(&["\n", " \n ", "\n\n", "\u{2028}"][..]).prop_map(str::to_string),
        ]
        .boxed()
    } else {
        prop_oneof![
            4 => Just(" ".to_string()),
            2 => proptest::sample::select(ODD_SPACES).prop_map(str::to_string),
        ]
        .boxed()
    };
    (
        word(),
        proptest::collection::vec((separator, word()), 0..max_words),
    )
        .prop_map(|(first, rest)| {
            let mut text = first;
            for (separator, word) in rest {
                text.push_str(&separator);
                text.push_str(&word);
            }
            text
        })
}
