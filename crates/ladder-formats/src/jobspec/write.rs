//! Writing a job spec in the format that reads back to the same spec.

use std::fmt::Write as _;

use ladder_core::jobspec::{JobSpecBody, RoundItem};

use super::KIND;

/// A YAML double-quoted scalar; control characters are escaped so the file
/// stays printable and reads back to the same text.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}' || c == '\u{FEFF}'
}

/// The block-scalar header (`|` or `|-`) that writes `text` exactly, or `None`
/// when only a quoted scalar can: single lines, leading blanks, trailing spaces,
/// tabs and other control characters, more than one trailing newline.
fn block_header(text: &str) -> Option<&'static str> {
    if !text.contains('\n')
        || text.starts_with([' ', '\n'])
        || text.ends_with("\n\n")
        || text.chars().any(|c| c != '\n' && needs_escape(c))
        || text.split('\n').any(|line| line.ends_with(' '))
    {
        return None;
    }
    Some(if text.ends_with('\n') { "|" } else { "|-" })
}

/// `key: value` at `indent` spaces, as a literal block when that is exact and
/// `block` is allowed, else double-quoted.
fn write_text(out: &mut String, indent: &str, key: &str, text: &str, block: bool) {
    match block_header(text).filter(|_| block) {
        Some(header) => {
            let _ = writeln!(out, "{indent}{key}: {header}");
            let content = text.strip_suffix('\n').unwrap_or(text);
            for line in content.split('\n') {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    let _ = writeln!(out, "{indent}  {line}");
                }
            }
        }
        None => {
            let _ = writeln!(out, "{indent}{key}: {}", quote(text));
        }
    }
}

fn write_round(out: &mut String, round: &str, items: &[RoundItem]) {
    if items.is_empty() {
        let _ = writeln!(out, "{round}: []");
        return;
    }
    let _ = writeln!(out, "{round}:");
    for item in items {
        let _ = writeln!(out, "  - text: {}", quote(&item.text));
        if let Some(competency) = &item.competency_id {
            let _ = writeln!(out, "    competency: {}", quote(competency));
        }
        let grounding: Vec<String> = item.grounding.iter().map(|g| quote(g)).collect();
        let _ = writeln!(out, "    grounding: [{}]", grounding.join(", "));
        let _ = writeln!(out, "    origin: {}", quote(&item.origin));
        let _ = writeln!(out, "    id: {}", quote(&item.id));
    }
}

/// Writes a job spec in the format above. `id` and `version_label` identify
/// the stored spec in exports; both are optional. Weights are written as exact
/// quoted decimals (`"0.35"`); the description as a literal block when that is
/// exact, else double-quoted. Reading the output gives back `spec`.
pub fn to_yaml(spec: &JobSpecBody, id: Option<&str>, version_label: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "kind: {KIND}");
    if let Some(id) = id {
        let _ = writeln!(out, "id: {}", quote(id));
    }
    if let Some(label) = version_label {
        let _ = writeln!(out, "version: {}", quote(label));
    }
    let _ = writeln!(out, "title: {}", quote(&spec.title));
    let _ = writeln!(out, "seniority: {}", quote(&spec.seniority));
    if let Some(basis) = &spec.basis {
        let _ = writeln!(
            out,
            "framework: {{ slug: {}, level: {} }}",
            quote(&basis.slug),
            basis.level
        );
    }
    write_text(&mut out, "", "description", &spec.description, true);

    if spec.competencies.is_empty() {
        out.push_str("competencies: []\n");
    } else {
        out.push_str("competencies:\n");
    }
    for competency in &spec.competencies {
        let _ = writeln!(out, "  - name: {}", quote(&competency.name));
        let _ = writeln!(out, "    id: {}", quote(&competency.id));
        let _ = writeln!(out, "    weight: {}", quote(&competency.weight.decimal()));
        write_text(
            &mut out,
            "    ",
            "definition",
            &competency.definition,
            false,
        );
    }

    if spec.must_haves.is_empty() {
        out.push_str("must_haves: []\n");
    } else {
        out.push_str("must_haves:\n");
    }
    for must in &spec.must_haves {
        let _ = writeln!(out, "  - text: {}", quote(&must.text));
        let _ = writeln!(out, "    required: {}", must.required);
    }

    write_round(&mut out, "round1", &spec.round1);
    write_round(&mut out, "round2", &spec.round2);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_headers_only_where_exact() {
        assert_eq!(block_header("a\nb\n"), Some("|"));
        assert_eq!(block_header("a\n\nb"), Some("|-"));
        for text in [
            "one line", " a\nb", "\na\nb", "a\nb\n\n", "a \nb", "a\tb\nc",
        ] {
            assert_eq!(block_header(text), None, "{text:?}");
        }
    }
}
