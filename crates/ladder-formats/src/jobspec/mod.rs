//! Reading and writing job-spec files (PRODUCT.md §2): `ladder import spec.yaml`
//! and `ladder export --job-spec ID`.
//!
//! A job-spec file is one YAML document. The full reference, with every
//! diagnostic, is `docs/job-spec-format.md`; in short:
//!
//! ```yaml
//! kind: job-spec                 # required: tells job specs from framework files
//! id: "e08648f7-89b4-43e1-a447-313d10011b50"   # optional; in exports. Import then updates that spec
//! version: "v1-U_WN6k"           # optional; informational in exports, ignored on import
//! title: "Senior Backend Engineer — Payments Platform"    # required, not blank
//! seniority: "senior"
//! framework: { slug: "engineering-backend", level: 4 }    # optional basis
//! description: |
//!   The job description, any number of lines.
//! competencies:
//!   - name: "Distributed Systems Rigor"
//!     id: distributed_systems_rigor   # optional: derived from the name
//!     weight: 0.35                    # or "0.35" or "35%"; exact, at most 4 decimals
//!     definition: "…"
//! must_haves:
//!   - text: "…"
//!     required: true                  # optional, default true
//!   - "…"                             # shorthand: a required must-have
//! round1:                             # interview questions; absent or empty: generated on import
//!   - text: "…"
//!     competency: distributed_systems_rigor   # optional: the competency it probes
//!     grounding: ["mastery.l4.abc123"]         # optional: criteria ids it came from
//!     origin: "edited"                         # optional, default "edited"
//!     id: "q-1a2b3c4d"                         # optional: see `derive_item_id`
//!   - "…"                                      # shorthand: just the text
//! round2:                             # behavioural prompts, walked in this order
//!   - text: "…"
//! ```
//!
//! Reading never panics. It reports, with line and column and a hint:
//! `yaml-syntax`, `yaml-alias-limit`, `yaml-depth-limit`, `not-a-job-spec`,
//! `missing-title`, `invalid-weight`, `invalid-value`, `invalid-competency-id`,
//! `missing-competency-name`, `empty-must-have`, `empty-item`,
//! `unknown-competency`, `duplicate-item-id`, `text-too-long` (a field longer
//! than its maximum in `ladder_core::limits`: title 200 characters, seniority
//! 100, description 20,000, competency name 200, id 64, definition 10,000,
//! must-have 1,000, question or prompt 2,000), `nul-character` (errors) and
//! `unknown-key`, `duplicate-key`, `unbalanced-weights`,
//! `no-competencies`, `mojibake-repaired`, `yaml-tab-recovered` (warnings).
//! Unbalanced weights are only a warning: drafts may be unbalanced; publishing
//! is what requires a total of exactly 1.00.
//!
//! [`to_yaml`] writes this format so that reading it back gives the same spec.

mod read;
mod validate;
mod write;

pub use write::to_yaml;

use ladder_core::jobspec::JobSpecBody;
use ladder_core::text::sha256_hex;
use ladder_core::Diagnostic;

use crate::yaml::{self, Node};
use read::Reader;

/// The value of `kind:` that marks a job-spec file.
pub const KIND: &str = "job-spec";

/// Origin given to round items that don't say where they came from.
pub const DEFAULT_ORIGIN: &str = "edited";

/// What reading one job-spec file produced.
#[derive(Debug, Clone)]
pub struct ParsedJobSpec {
    pub file: String,
    /// The spec, present exactly when the file has no errors (warnings are
    /// fine). Competency ids and round-item ids are filled in.
    pub spec: Option<JobSpecBody>,
    /// The optional `id:` of the file: the job spec an import should update.
    pub id: Option<String>,
    /// Sorted by position; positions are 1-based and refer to the text after
    /// mojibake repair (which keeps line numbers).
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedJobSpec {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_error())
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// The id given to a round item that has none: `q-` and the first 8 hex digits
/// of the SHA-256 of `"{round}\n{text}"`, where `round` is `round1` or `round2`.
/// Deterministic, so re-importing the same file gives the same ids.
pub fn derive_item_id(round: &str, text: &str) -> String {
    let hash = sha256_hex(format!("{round}\n{text}").as_bytes());
    format!("q-{}", hash.get(..8).unwrap_or(&hash))
}

/// Whether the YAML top level says `kind: job-spec`. The CLI uses this to tell
/// job specs from framework files; a job spec with a YAML syntax error still
/// counts when a top-level `kind: job-spec` line is present.
pub fn looks_like_job_spec(text: &str) -> bool {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    match yaml::parse(text, 0) {
        Ok(Some(root)) => root.get("kind").and_then(Node::as_text).map(str::trim) == Some(KIND),
        Ok(None) => false,
        Err(_) => text.lines().any(is_kind_line),
    }
}

/// `kind: job-spec`, `kind: "job-spec"  # comment`, at the start of a line.
fn is_kind_line(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("kind") else {
        return false;
    };
    let Some(value) = rest.trim_start().strip_prefix(':') else {
        return false;
    };
    let value = value.split(" #").next().unwrap_or("").trim();
    let unquoted = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    unquoted == KIND
}

/// Reads a job-spec file. `file` names it in messages.
pub fn parse_job_spec(file: &str, text: &str) -> ParsedJobSpec {
    let mut parsed = ParsedJobSpec {
        file: file.to_string(),
        spec: None,
        id: None,
        diagnostics: Vec::new(),
    };
    let (repaired, repair_warning) = crate::clean_text(text);
    parsed.diagnostics.extend(repair_warning);
    let (yaml_text, tab_warnings) = crate::frontmatter::recover_tabs(&repaired, 1);
    parsed.diagnostics.extend(tab_warnings);

    let root = match yaml::parse(&yaml_text, 0) {
        Ok(root) => root,
        Err(error) => {
            parsed.diagnostics.push(error.diagnostic(file));
            sort_by_position(&mut parsed.diagnostics);
            return parsed;
        }
    };

    let mut reader = Reader::default();
    let body = root
        .as_ref()
        .and_then(|root| reader.read(file, root, &mut parsed.id));
    if root.is_none() {
        reader.diagnostics.push(
            Diagnostic::error("not-a-job-spec", format!("{file} is empty"))
                .at(1, 1)
                .with_hint(KIND_HINT),
        );
    }
    parsed.diagnostics.append(&mut reader.diagnostics);
    sort_by_position(&mut parsed.diagnostics);
    if !parsed.has_errors() {
        parsed.spec = body;
    }
    parsed
}

const KIND_HINT: &str = "a job-spec file starts with `kind: job-spec`, then `title:`, `competencies:` and the rest (see docs/job-spec-format.md)";

fn sort_by_position(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.line.unwrap_or(0), d.column.unwrap_or(0)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_lines() {
        assert!(is_kind_line("kind: job-spec"));
        assert!(is_kind_line("kind: \"job-spec\"  # marker"));
        assert!(is_kind_line("kind: 'job-spec'"));
        assert!(!is_kind_line("  kind: job-spec"));
        assert!(!is_kind_line("kind: framework"));
        assert!(!is_kind_line("kinds: job-spec"));
    }

    /// A diagnostic's line and column.
    type Position = (Option<u32>, Option<u32>);

    fn at(diagnostic: &Diagnostic) -> Position {
        (diagnostic.line, diagnostic.column)
    }

    #[test]
    fn text_longer_than_its_maximum_is_an_error_at_its_line() {
        let title = "T".repeat(ladder_core::limits::JOB_SPEC_TITLE + 1);
        let name = "N".repeat(ladder_core::limits::COMPETENCY_NAME + 1);
        let question = "Q".repeat(ladder_core::limits::ROUND_ITEM_TEXT + 1);
        let text = format!(
            "kind: job-spec\ntitle: \"{title}\"\ncompetencies:\n  - name: {name}\n    id: long\n    weight: 1\nround1:\n  - \"{question}\"\n"
        );
        let parsed = parse_job_spec("spec.yaml", &text);
        assert!(parsed.spec.is_none(), "errors keep the spec out");
        let found: Vec<(&str, Position)> = parsed
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), at(d)))
            .collect();
        assert_eq!(
            found,
            [
                ("text-too-long", (Some(2), Some(8))),
                ("text-too-long", (Some(4), Some(11))),
                ("text-too-long", (Some(8), Some(5))),
            ],
            "{:#?}",
            parsed.diagnostics
        );
        assert_eq!(
            parsed.diagnostics[0].message,
            "`title`: the title is too long: at most 200 characters, and it has 201"
        );
        assert!(parsed.diagnostics[0].hint.is_some());

        // At the maximum, all is well.
        let fits = text
            .replace(&title, &title[1..])
            .replace(&name, &name[1..])
            .replace(&question, &question[1..]);
        let parsed = parse_job_spec("spec.yaml", &fits);
        assert!(!parsed.has_errors(), "{:#?}", parsed.diagnostics);
    }
}
