//! Human-readable diagnostics: the offending line shown with a pointer and a
//! hint, rendered by miette.

use std::fmt;
use std::sync::Arc;

use ladder_core::{Diagnostic, Severity};
use ladder_formats::Parsed;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};

#[derive(Debug)]
struct Rendered {
    diagnostic: Diagnostic,
    source: NamedSource<Arc<String>>,
    span: Option<SourceSpan>,
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Rendered {}

impl miette::Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Warning => miette::Severity::Warning,
            Severity::Error => miette::Severity::Error,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic
            .hint
            .as_ref()
            .map(|hint| Box::new(hint) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.span.map(|_| &self.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.span?;
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some("here".to_string()),
            span,
        ))))
    }
}

/// Byte offset of a 1-based line and column (in characters) in `text`.
fn offset_of(text: &str, line: u32, column: u32) -> Option<usize> {
    let mut offset = 0;
    for (index, content) in text.split_inclusive('\n').enumerate() {
        if index + 1 == line as usize {
            let within: usize = content
                .chars()
                .take(column.saturating_sub(1) as usize)
                .map(char::len_utf8)
                .sum();
            return Some(offset + within.min(content.trim_end_matches('\n').len()));
        }
        offset += content.len();
    }
    None
}

pub(crate) fn diagnostic(
    parsed: &Parsed,
    source: &Arc<String>,
    diagnostic: &Diagnostic,
    color: bool,
) -> String {
    let span = diagnostic
        .line
        .and_then(|line| offset_of(source, line, diagnostic.column.unwrap_or(1)))
        .map(|offset| {
            let rest = &source[offset..];
            let length = rest
                .find('\n')
                .unwrap_or(rest.len())
                .clamp(1, 80)
                .min(rest.len().max(1));
            SourceSpan::new(offset.into(), if rest.is_empty() { 0 } else { length })
        });
    // miette appends line:column to the name itself.
    let name = parsed.file.clone();
    let rendered = Rendered {
        diagnostic: diagnostic.clone(),
        source: NamedSource::new(name, Arc::clone(source)),
        span,
    };
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    if handler.render_report(&mut out, &rendered).is_err() {
        out = format!("{}: {}\n", diagnostic.code, diagnostic.message);
    }
    out
}

pub(crate) fn file_report(parsed: &Parsed, ok: bool, color: bool) -> String {
    let mut out = String::new();
    let mark = match (ok, parsed.warnings().next().is_some()) {
        (false, _) => "✘",
        (true, true) => "⚠",
        (true, false) => "✔",
    };
    let summary = match &parsed.framework {
        Some(framework) => {
            let count = |n: usize, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            let mut parts = vec![
                parsed.format.map_or("unknown", |f| f.as_str()).to_string(),
                count(framework.populated_level_count(), "level", "levels"),
                count(parsed.topics_written, "topic", "topics"),
                count(framework.criterion_count(), "criterion", "criteria"),
                count(framework.example_count(), "example", "examples"),
            ];
            if let Some(letters) = &framework.sublevels {
                if let (Some(first), Some(last)) = (letters.first(), letters.last()) {
                    parts.push(format!("sub-levels {first}–{last}"));
                }
            }
            format!("“{}” ({})", framework.title, parts.join(", "))
        }
        None => "not imported".to_string(),
    };
    let errors = parsed.errors().count();
    let warnings = parsed.warnings().count();
    let mut counts = Vec::new();
    if errors > 0 {
        counts.push(format!(
            "{errors} error{}",
            if errors == 1 { "" } else { "s" }
        ));
    }
    if warnings > 0 {
        counts.push(format!(
            "{warnings} warning{}",
            if warnings == 1 { "" } else { "s" }
        ));
    }
    let counts = if counts.is_empty() {
        String::new()
    } else {
        format!(" — {}", counts.join(", "))
    };
    out.push_str(&format!("{mark} {}: {summary}{counts}\n", parsed.file));
    let source = Arc::new(parsed.text.clone());
    for found in &parsed.diagnostics {
        for line in diagnostic(parsed, &source, found, color).lines() {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
