//! `ladder export` (a job spec as YAML, a framework in any format) and
//! `ladder verify` (live figures recomputed from the raw rows).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::config::{open, runtime, DatabaseArgs};
use crate::usage;

#[derive(Args, Debug)]
pub(crate) struct ExportArgs {
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
    /// Export this job spec (its id) as a job-spec YAML file.
    #[arg(
        long,
        value_name = "ID",
        conflicts_with = "framework",
        required_unless_present = "framework"
    )]
    pub(crate) job_spec: Option<String>,
    /// Export this framework (its slug) in the format given by --to.
    #[arg(long, value_name = "SLUG")]
    pub(crate) framework: Option<String>,
    /// A version: a number or label for job specs (default: current), a
    /// number for frameworks.
    #[arg(long, value_name = "VERSION")]
    pub(crate) version: Option<String>,
    /// Framework format: structured, prose or json.
    #[arg(long, value_enum, default_value = "structured")]
    pub(crate) to: crate::convert::Target,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

pub(crate) fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let (url, _) = args.database.resolve()?;
    let text = runtime()?.block_on(async {
        let store = open(&url).await?;
        if let Some(id) = &args.job_spec {
            let selector = ladder_store::VersionSelector::parse(args.version.as_deref());
            let version = store
                .job_spec_version(id, &selector)
                .await
                .context("cannot read the job spec")?
                .ok_or_else(|| {
                    usage(format!(
                        "no job spec {id} (version {}); list them with GET /api/v1/job-specs",
                        args.version.as_deref().unwrap_or("current")
                    ))
                })?;
            return Ok(ladder_formats::jobspec::to_yaml(
                &version.body,
                Some(id),
                version.label.as_deref(),
            ));
        }
        let slug = args.framework.clone().unwrap_or_default();
        let version = match &args.version {
            Some(text) => Some(text.parse::<u32>().map_err(|_| {
                usage(format!(
                    "--version must be a number for frameworks, not {text}"
                ))
            })?),
            None => None,
        };
        let stored = store
            .framework(&slug, version)
            .await
            .context("cannot read the framework")?
            .ok_or_else(|| {
                usage(format!(
                    "no framework {slug}; list them with GET /api/v1/frameworks"
                ))
            })?;
        Ok::<String, anyhow::Error>(args.to.write(&stored.framework))
    })?;
    match &args.out {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args, Debug)]
pub(crate) struct VerifyArgs {
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
}

/// Recomputes the live-performance figures from the raw rows and reports any
/// difference from the stored ones (there should never be one).
pub(crate) fn verify(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let (url, _) = args.database.resolve()?;
    runtime()?.block_on(async {
        let store = open(&url).await?;
        let differences = store
            .verify()
            .await
            .context("cannot recompute the live figures")?;
        if differences.is_empty() {
            println!("All live-performance figures match a recomputation from the raw rows.");
            return Ok(ExitCode::SUCCESS);
        }
        for difference in &differences {
            println!("✘ {difference}");
        }
        println!("{} difference(s) found.", differences.len());
        Ok(ExitCode::from(1))
    })
}
