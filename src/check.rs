//! `ladder check`: read framework files in parallel and report on each.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ladder_core::Diagnostic;
use ladder_formats::Parsed;
use rayon::prelude::*;
use serde::Serialize;

use anyhow::Context;

use crate::{render, usage};

/// Expands the command line into the list of files to read, in a stable order.
/// A path that does not exist is a usage error.
pub(crate) fn collect_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path)
            .map_err(|error| usage(format!("cannot read {}: {error}", path.display())))?;
        if metadata.is_dir() {
            walk(path, &mut files).with_context(|| format!("cannot list {}", path.display()))?;
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(&path, files)?;
        } else if ladder_formats::is_framework_file_name(&name) {
            files.push(path);
        }
    }
    Ok(())
}

/// Reads one file; an unreadable file becomes a parsed result with an error.
pub(crate) fn read_file(path: &Path) -> Parsed {
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => ladder_formats::parse(&name, &bytes),
        Err(error) => Parsed {
            file: name.clone(),
            framework: None,
            format: None,
            diagnostics: vec![Diagnostic::error(
                "unreadable",
                format!("cannot read {name}: {error}"),
            )
            .with_hint("check the path and the file's permissions")],
            topics_written: 0,
            text: String::new(),
        },
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    files: Vec<JsonFile<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    file: &'a str,
    ok: bool,
    format: Option<&'static str>,
    slug: Option<&'a str>,
    title: Option<&'a str>,
    levels: usize,
    topics: usize,
    criteria: usize,
    examples: usize,
    sublevels: Option<&'a [String]>,
    warnings: Vec<JsonWarning<'a>>,
    errors: Vec<JsonError<'a>>,
}

#[derive(Serialize)]
struct JsonWarning<'a> {
    code: &'a str,
    message: &'a str,
    line: Option<u32>,
    column: Option<u32>,
}

#[derive(Serialize)]
struct JsonError<'a> {
    code: &'a str,
    message: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    hint: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    ok: usize,
    failed: usize,
    warnings: usize,
}

fn file_ok(parsed: &Parsed, strict: bool) -> bool {
    let failing_warnings = strict && parsed.warnings().next().is_some();
    !(parsed.has_errors() || failing_warnings)
}

fn json_file(parsed: &Parsed, strict: bool) -> JsonFile<'_> {
    let framework = parsed.framework.as_ref();
    JsonFile {
        file: &parsed.file,
        ok: file_ok(parsed, strict),
        format: parsed.format.map(|format| format.as_str()),
        slug: framework.map(|f| f.slug.as_str()),
        title: framework.map(|f| f.title.as_str()),
        levels: framework.map_or(0, |f| f.populated_level_count()),
        topics: parsed.topics_written,
        criteria: framework.map_or(0, |f| f.criterion_count()),
        examples: framework.map_or(0, |f| f.example_count()),
        sublevels: framework.and_then(|f| f.sublevels.as_deref()),
        warnings: parsed
            .warnings()
            .map(|d| JsonWarning {
                code: &d.code,
                message: &d.message,
                line: d.line,
                column: d.column,
            })
            .collect(),
        errors: parsed
            .errors()
            .map(|d| JsonError {
                code: &d.code,
                message: &d.message,
                line: d.line,
                column: d.column,
                hint: d.hint.as_deref(),
            })
            .collect(),
    }
}

pub(crate) fn run(paths: &[PathBuf], json: bool, strict: bool) -> anyhow::Result<ExitCode> {
    let files = collect_files(paths)?;
    let results: Vec<Parsed> = files.par_iter().map(|path| read_file(path)).collect();

    let ok = results
        .iter()
        .filter(|parsed| file_ok(parsed, strict))
        .count();
    let failed = results.len() - ok;
    let warnings: usize = results.iter().map(|parsed| parsed.warnings().count()).sum();

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        let report = JsonReport {
            files: results
                .iter()
                .map(|parsed| json_file(parsed, strict))
                .collect(),
            summary: JsonSummary {
                files: results.len(),
                ok,
                failed,
                warnings,
            },
        };
        let text = serde_json::to_string_pretty(&report).context("cannot write the JSON report")?;
        let _ = writeln!(out, "{text}");
    } else {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        for parsed in &results {
            let _ = write!(
                out,
                "{}",
                render::file_report(parsed, file_ok(parsed, strict), color)
            );
        }
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let _ = writeln!(
            out,
            "\nChecked {}: {} ok, {} failed, {}{}",
            plural(results.len(), "file"),
            ok,
            failed,
            plural(warnings, "warning"),
            if strict {
                " (--strict: warnings fail)"
            } else {
                ""
            }
        );
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
