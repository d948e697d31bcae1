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
