//! Reading and writing progression-framework files.
//!
//! [`parse`] turns the bytes of a framework file — structured (`yaml: true`) or
//! prose (`yaml: false`) — into the canonical [`Framework`] plus diagnostics. The
//! pipeline is: decode → repair mojibake on the raw text → split front matter →
//! recover tabs → parse YAML into a positioned tree → read the structured topics or
//! the prose body → lint. Every step reports what it changed; nothing panics on
//! any input.
//!
//! [`write`](mod@write) goes the other way, into either source format or JSON.

pub mod bundled;
mod frontmatter;
pub mod jobspec;
mod lint;
pub mod mojibake;
mod prose;
mod structured;
pub mod write;
mod yaml;

use ladder_core::text::sha256_hex as hex_sha256;
use ladder_core::{Diagnostic, Framework, SourceFormat, SourceInfo};

pub use write::{to_json, to_prose, to_structured};

/// What reading one file produced. `framework` is present whenever the file was
/// understood well enough to build a model, even if it also has errors.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub file: String,
    pub framework: Option<Framework>,
    pub format: Option<SourceFormat>,
    pub diagnostics: Vec<Diagnostic>,
    /// Topics as written in the file (structured: entries of `topics`; prose:
    /// distinct `###` headings under level sections).
    pub topics_written: usize,
    /// The decoded, repaired text the positions in `diagnostics` refer to.
    pub text: String,
}

impl Parsed {
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

/// Reads a framework file. `file` names it in diagnostics and seeds the slug when
/// the file has no `path`.
pub fn parse(file: &str, bytes: &[u8]) -> Parsed {
    let sha256 = hex_sha256(bytes);
    let mut parsed = Parsed {
        file: file.to_string(),
        framework: None,
        format: None,
        diagnostics: Vec::new(),
        topics_written: 0,
        text: String::new(),
    };

    let decoded = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            parsed.diagnostics.push(
                Diagnostic::error(
                    "invalid-utf8",
                    format!(
                        "{file} is not valid UTF-8 (byte {} cannot start a character)",
                        error.valid_up_to()
                    ),
                )
                .at(clamp(line), clamp(column))
                .with_hint("save the file as UTF-8; framework files are Markdown text"),
            );
            parsed.text = String::from_utf8_lossy(bytes).into_owned();
            return parsed;
        }
    };
    let (text, repair_warning) = clean_text(decoded);
    parsed.diagnostics.extend(repair_warning);
    parsed.text = text;

    let treat_as_yaml = is_yaml_file_name(file);
    let split = match frontmatter::split(&parsed.text, treat_as_yaml) {
        Ok(split) => split,
        Err(diagnostic) => {
            parsed.diagnostics.push(*diagnostic);
            return parsed;
        }
    };

    let (yaml_text, tab_warnings) = frontmatter::recover_tabs(split.yaml, split.yaml_first_line);
    parsed.diagnostics.extend(tab_warnings);

    let root = match yaml::parse(&yaml_text, split.yaml_first_line - 1) {
        Ok(root) => root,
        Err(error) => {
            parsed
                .diagnostics
                .push(error.diagnostic("the front matter"));
            return parsed;
        }
    };

    let front = structured::FrontMatter::read(root.as_ref(), file, &mut parsed.diagnostics);
    let mut read = match front.format {
        SourceFormat::Prose => prose::read(&front, split.body, split.body_first_line),
        _ => structured::read_topics(&front, split.body),
    };
    parsed.diagnostics.append(&mut read.diagnostics);
    parsed.topics_written = read.topics_written;
    parsed.format = Some(front.format);

    let mut framework = read.framework;
    structured::assign_ids(&mut framework.topics);
    lint::run(
        &mut framework,
        &front,
        &read.criterion_lines,
        &mut parsed.diagnostics,
    );
    framework.source = Some(SourceInfo {
        format: front.format,
        sha256,
        file: Some(file.to_string()),
    });
    sort_by_position(&mut parsed.diagnostics);
    framework.warnings = parsed.warnings().cloned().collect();
    parsed.framework = Some(framework);
    parsed
}

/// Reads the JSON form written by [`to_json`].
pub fn parse_json(file: &str, text: &str) -> Result<Framework, Diagnostic> {
    serde_json::from_str::<Framework>(text).map_err(|error| {
        Diagnostic::error("json-syntax", format!("{file}: {error}"))
            .at(clamp(error.line()), clamp(error.column()))
            .with_hint("this must be a framework exported with `ladder convert --to json`")
    })
}

/// The text every reader works on: no byte-order mark, Unix line ends, and
/// mojibake repaired (with the warning that says so).
pub(crate) fn clean_text(decoded: &str) -> (String, Option<Diagnostic>) {
    let without_bom = decoded.strip_prefix('\u{FEFF}').unwrap_or(decoded);
    let unix = without_bom.replace("\r\n", "\n");
    let (text, repair) = mojibake::repair(&unix);
    let warning = repair.map(|repair| {
        Diagnostic::warning(
            "mojibake-repaired",
            format!(
                "repaired {} character sequence{} of UTF-8 text that had been decoded as {} and saved again (e.g. “‚Äô” → “’”)",
                repair.sequences,
                if repair.sequences == 1 { "" } else { "s" },
                repair.code_page.name()
            ),
        )
        .at(repair.first_line, repair.first_column)
        .with_hint("save the file as UTF-8 to make this warning go away")
    });
    (text, warning)
}

pub fn is_yaml_file_name(file: &str) -> bool {
    let lower = file.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// Whether `ladder check` looks at a file found while walking a directory.
pub fn is_framework_file_name(file: &str) -> bool {
    is_yaml_file_name(file) || file.to_ascii_lowercase().ends_with(".md")
}

fn sort_by_position(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.line.unwrap_or(0), d.column.unwrap_or(0)));
}

pub(crate) fn clamp(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}
