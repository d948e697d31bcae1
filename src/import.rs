//! `ladder import`: framework files (new versions only when their content
//! changed) and job-spec files, each in its own transaction, with a progress
//! bar and a summary.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use ladder_server::jobspecs::service::{self as jobspecs, create_from_body, JobSpecUpdate};
use ladder_server::{AppState, ServerConfig};
use ladder_store::{Actor, ImportOutcome, Store};
use rayon::prelude::*;

use crate::check::{collect_files, read_file};
use crate::config::{open, runtime, DatabaseArgs};

#[derive(Args, Debug)]
pub(crate) struct ImportArgs {
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
    /// Check and report only; write nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Framework files or directories (walked recursively for .md, .yaml, .yml).
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
}

/// A line above the progress bar, or plain output when there is no terminal
/// (indicatif hides the bar, and its `println`, then).
fn report(bar: &ProgressBar, line: String) {
    if bar.is_hidden() {
        println!("{line}");
    } else {
        bar.println(line);
    }
}

/// The most warnings listed per file; `ladder check FILE` lists them all.
const WARNINGS_LISTED: usize = 5;

/// A file's warnings under its import line, one compact line each.
fn report_warnings(bar: &ProgressBar, file: &ladder_formats::Parsed) {
    let warnings: Vec<_> = file.warnings().collect();
    for warning in warnings.iter().take(WARNINGS_LISTED) {
        let at = match (warning.line, warning.column) {
            (Some(line), Some(column)) => format!("{line}:{column}: "),
            (Some(line), None) => format!("{line}: "),
            _ => String::new(),
        };
        report(
            bar,
            format!("    ⚠ {at}{} [{}]", warning.message, warning.code),
        );
    }
    if warnings.len() > WARNINGS_LISTED {
        report(
            bar,
            format!(
                "    … and {} more warnings: `ladder check {}` lists them all",
                warnings.len() - WARNINGS_LISTED,
                file.file
            ),
        );
    }
}

/// How a framework file is named in its version history: relative to the
/// directory given to `import` (`teams/backend.md`), or its file name when
/// the file itself was given.
fn source_name(arguments: &[PathBuf], file: &std::path::Path) -> String {
    let relative = arguments
        .iter()
        .filter(|argument| argument.is_dir())
        .find_map(|directory| file.strip_prefix(directory).ok());
    let shown = match relative {
        Some(relative) => relative.to_path_buf(),
        None => file.file_name().map(PathBuf::from).unwrap_or_default(),
    };
    shown
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// A job-spec file among the paths given to `import`.
struct JobSpecFile {
    name: String,
    parsed: ladder_formats::jobspec::ParsedJobSpec,
}

fn split_job_specs(files: Vec<PathBuf>) -> (Vec<PathBuf>, Vec<JobSpecFile>) {
    let mut frameworks = Vec::new();
    let mut specs = Vec::new();
    for path in files {
        let name = path.display().to_string();
        let text = ladder_formats::is_yaml_file_name(&name)
            .then(|| std::fs::read_to_string(&path).ok())
            .flatten();
        match text {
            Some(text) if ladder_formats::jobspec::looks_like_job_spec(&text) => {
                specs.push(JobSpecFile {
                    parsed: ladder_formats::jobspec::parse_job_spec(&name, &text),
                    name,
                });
            }
            _ => frameworks.push(path),
        }
    }
    (frameworks, specs)
}

/// Imports job specs: a file with the `id` of an existing spec updates its
/// draft; otherwise a new spec is created (as a draft).
async fn import_job_specs(
    store: &Arc<dyn Store>,
    specs: &[JobSpecFile],
    bar: &ProgressBar,
) -> (usize, usize) {
    let state = AppState::new(Arc::clone(store), ServerConfig::default());
    let (mut ok, mut failed) = (0, 0);
    for file in specs {
        bar.set_message(file.name.clone());
        let body = match (&file.parsed.spec, file.parsed.has_errors()) {
            (Some(body), false) => body.clone(),
            _ => {
                failed += 1;
                let first = file
                    .parsed
                    .errors()
                    .next()
                    .map(|d| format!("{} (line {})", d.message, d.line.unwrap_or(0)))
                    .unwrap_or_default();
                report(
                    bar,
                    format!(
                        "✘ {}: skipped, {} error(s): {first}",
                        file.name,
                        file.parsed.errors().count()
                    ),
                );
                bar.inc(1);
                continue;
            }
        };
        let existing = match &file.parsed.id {
            Some(id) => state.store().job_spec_summary(id).await.ok().flatten(),
            None => None,
        };
        let outcome = match existing {
            Some(summary) => {
                let update = JobSpecUpdate {
                    title: Some(body.title.clone()),
                    seniority: Some(body.seniority.clone()),
                    description: Some(body.description.clone()),
                    framework: body.basis.clone(),
                    competencies: Some(body.competencies.clone()),
                    must_haves: Some(body.must_haves.clone()),
                };
                jobspecs::update(&state, &summary.id, update, &Actor::cli())
                    .await
                    .map(|v| {
                        format!(
                            "↑ {}: job spec {} draft v{}",
                            file.name, v.job_spec_id, v.version
                        )
                    })
            }
            None => create_from_body(&state, file.parsed.id.as_deref(), body, &Actor::cli())
                .await
                .map(|v| {
                    format!(
                        "+ {}: job spec {} draft v{} (publish it in the web app or the API)",
                        file.name, v.job_spec_id, v.version
                    )
                }),
        };
        match outcome {
            Ok(line) => {
                ok += 1;
                report(bar, line);
            }
            Err(error) => {
                failed += 1;
                let field = error.field.map(|f| format!(" ({f})")).unwrap_or_default();
                report(bar, format!("✘ {}: {}{field}", file.name, error.message));
            }
        }
        bar.inc(1);
    }
    (ok, failed)
}

pub(crate) fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let (files, specs) = split_job_specs(collect_files(&args.paths)?);
    let parsed: Vec<ladder_formats::Parsed> = files
        .par_iter()
        .map(|path| {
            let mut parsed = read_file(path);
            // The version history is public: it names the file as the team
            // knows it in their repository, never where it sat on this server.
            if let Some(source) = parsed.framework.as_mut().and_then(|f| f.source.as_mut()) {
                source.file = Some(source_name(&args.paths, path));
            }
            parsed
        })
        .collect();
    let (url, _) = args.database.resolve()?;
    runtime()?.block_on(async move {
        let store = if args.dry_run { None } else { Some(open(&url).await?) };
        let bar = ProgressBar::new((parsed.len() + specs.len()) as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}").unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        let (mut created, mut updated, mut unchanged, mut failed, mut checked) = (0, 0, 0, 0, 0);
        for file in &parsed {
            bar.set_message(file.file.clone());
            let framework = match (&file.framework, file.has_errors()) {
                (Some(framework), false) => framework,
                _ => {
                    failed += 1;
                    let first = file.errors().next().map(|d| format!("{} (line {})", d.message, d.line.unwrap_or(0))).unwrap_or_default();
                    report(&bar, format!("✘ {}: skipped, {} error(s): {first}", file.file, file.errors().count()));
                    bar.inc(1);
                    continue;
                }
            };
            let Some(store) = &store else {
                checked += 1;
                report(&bar, format!("✔ {}: would import “{}” ({})", file.file, framework.title, framework.slug));
                report_warnings(&bar, file);
                bar.inc(1);
                continue;
            };
            match store.import_framework(framework, &Actor::cli()).await {
                Ok(outcome) => {
                    let (mark, what) = match &outcome {
                        ImportOutcome::Created { .. } => { created += 1; ("+", "created") }
                        ImportOutcome::Updated { .. } => { updated += 1; ("↑", "new version") }
                        ImportOutcome::Unchanged { .. } => { unchanged += 1; ("=", "unchanged") }
                    };
                    report(&bar, format!("{mark} {}: {} v{} {what}", file.file, outcome.slug(), outcome.version()));
                    report_warnings(&bar, file);
                }
                Err(error) => {
                    failed += 1;
                    report(&bar, format!("✘ {}: {error}", file.file));
                }
            }
            bar.inc(1);
        }
        let (specs_ok, specs_failed) = match &store {
            Some(store) => import_job_specs(store, &specs, &bar).await,
            None => {
                let bad = specs.iter().filter(|s| s.parsed.has_errors()).count();
                for spec in &specs {
                    let verdict = if spec.parsed.has_errors() { "has errors" } else { "would import" };
                    report(&bar, format!("{} {}: job spec {verdict}", if spec.parsed.has_errors() { "✘" } else { "✔" }, spec.name));
                }
                checked += specs.len() - bad;
                (0, bad)
            }
        };
        failed += specs_failed;
        bar.finish_and_clear();
        if !specs.is_empty() && store.is_some() {
            println!("Job specs: {specs_ok} imported, {specs_failed} failed.");
        }
        if args.dry_run {
            println!("Dry run: {checked} would import, {failed} with errors; nothing written.");
        } else {
            println!(
                "Imported {} framework files: {created} created, {updated} updated, {unchanged} unchanged, {} failed.",
                parsed.len(),
                failed - specs_failed
            );
        }
        Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
    })
}
