//! The `ladder` command.

mod check;
mod convert;
mod render;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Ladder: competency-based engineering progression and hiring.
///
/// Ladder reads the progression frameworks teams keep in git (levels × topics ×
/// behaviours, as Markdown files with YAML front matter) and turns them into
/// something you can check, convert and publish.
#[derive(Parser)]
#[command(name = "ladder", version, about, long_about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate framework files and report what was found, repaired and wrong.
    ///
    /// Reads every framework file named, recursing into directories for *.md,
    /// *.yaml and *.yml (hidden entries skipped). Both formats are understood:
    /// structured (`yaml: true`, behaviours in a `topics` list) and prose
    /// (`yaml: false`, `## Level N` / `### Topic` / `- behaviour`).
    ///
    /// Exit status: 0 when no file has errors, 1 when some file has errors (or
    /// warnings, with --strict), 2 for bad usage such as a path that does not
    /// exist.
    #[command(
        after_help = "Examples:\n  ladder check frameworks/\n  ladder check --json team.md > report.json\n  ladder check --strict docs/frameworks"
    )]
    Check {
        /// Files or directories to check.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Print one JSON document on stdout instead of human-readable output
        /// (the format is documented in the README and is stable).
        #[arg(long)]
        json: bool,
        /// Treat warnings as failures.
        #[arg(long)]
        strict: bool,
    },
    /// Write frameworks out in another format: structured, prose or JSON.
    ///
    /// Reading what this writes gives back the same framework. Without --out
    /// the result goes to standard output (one input file only).
    #[command(
        after_help = "Examples:\n  ladder convert --to prose frameworks/backend.md\n  ladder convert --to json --out build/ frameworks/*.md"
    )]
    Convert {
        /// The format to write.
        #[arg(long, value_enum, value_name = "FORMAT")]
        to: convert::Target,
        /// Directory to write into (created if missing); each file keeps its
        /// name with the new format's extension.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Framework files (.md, .yaml, .yml, or .json written by this command).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Check {
            paths,
            json,
            strict,
        } => check::run(&paths, json, strict),
        Command::Convert { to, out, files } => convert::run(to, out.as_deref(), &files),
    };
    match outcome {
        Ok(code) => code,
        Err(usage) => {
            eprintln!("error: {usage}");
            ExitCode::from(2)
        }
    }
}
