//! `ladder convert`: write frameworks in another format.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::ValueEnum;
use ladder_core::Framework;
use ladder_formats::Parsed;

use anyhow::Context;

use crate::{check, render, usage};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Target {
    /// Markdown with the behaviours in YAML front matter (`yaml: true`).
    Structured,
    /// Markdown with `## Level N` / `### Topic` / `- behaviour` (`yaml: false`).
    Prose,
    /// The canonical model as JSON.
    Json,
}

impl Target {
    pub(crate) fn write(self, framework: &Framework) -> String {
        match self {
            Target::Structured => ladder_formats::to_structured(framework),
            Target::Prose => ladder_formats::to_prose(framework),
            Target::Json => ladder_formats::to_json(framework),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Target::Structured | Target::Prose => "md",
            Target::Json => "json",
        }
    }
}

/// Reads a framework from a source file or from JSON written by this command.
fn load(path: &Path) -> Result<Framework, String> {
    let name = path.display().to_string();
    if name.to_ascii_lowercase().ends_with(".json") {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("cannot read {name}: {error}"))?;
        return ladder_formats::parse_json(&name, &text).map_err(|diagnostic| {
            format!(
                "{name}:{}:{}: {}",
                diagnostic.line.unwrap_or(0),
                diagnostic.column.unwrap_or(0),
                diagnostic.message
            )
        });
    }
    let parsed: Parsed = check::read_file(path);
    if parsed.has_errors() {
        let source = Arc::new(parsed.text.clone());
        let mut report = format!("{name} has errors and was not converted:\n");
        for found in parsed.errors() {
            report.push_str(&render::diagnostic(&parsed, &source, found, false));
        }
        return Err(report);
    }
    let warnings = parsed.warnings().count();
    if warnings > 0 {
        eprintln!("{name}: {warnings} warning(s); run `ladder check {name}` to see them");
    }
    parsed
        .framework
        .ok_or_else(|| format!("{name} could not be read"))
}

pub(crate) fn run(
    target: Target,
    out: Option<&Path>,
    files: &[PathBuf],
) -> anyhow::Result<ExitCode> {
    if out.is_none() && files.len() > 1 {
        return Err(usage("give --out DIR when converting more than one file"));
    }
    if let Some(dir) = out {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut failed = false;
    for file in files {
        if !file.exists() {
            return Err(usage(format!("{} does not exist", file.display())));
        }
        let framework = match load(file) {
            Ok(framework) => framework,
            Err(report) => {
                eprint!("{report}");
                failed = true;
                continue;
            }
        };
        let text = target.write(&framework);
        match out {
            None => {
                let _ = std::io::stdout().lock().write_all(text.as_bytes());
            }
            Some(dir) => {
                let stem = file
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| framework.slug.clone());
                let destination = dir.join(format!("{stem}.{}", target.extension()));
                let same = std::fs::canonicalize(&destination).ok()
                    == std::fs::canonicalize(file).ok()
                    && destination.exists();
                if same {
                    eprintln!(
                        "{}: refusing to overwrite the input file; choose another --out directory",
                        file.display()
                    );
                    failed = true;
                    continue;
                }
                std::fs::write(&destination, text)
                    .with_context(|| format!("cannot write {}", destination.display()))?;
                eprintln!("{} → {}", file.display(), destination.display());
            }
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
