//! The `ladder` command.
//!
//! Every subcommand returns `anyhow::Result<ExitCode>`. A failure prints its
//! whole chain of causes on one line (`error: cannot open the database:
//! …: …`) and exits with status 1; a mistake in how the command was called
//! (a [`Usage`] error: a missing path, a bad flag value, an unreadable
//! configuration file) exits with status 2, as do clap's own usage errors.

mod accounts;
mod check;
mod config;
mod convert;
mod export;
mod import;
mod render;
mod serve;

use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Ladder: competency-based engineering progression and hiring.
///
/// Ladder reads the progression frameworks teams keep in git (levels × topics ×
/// behaviours, as Markdown files with YAML front matter), checks and repairs
/// them, serves them as a web app and a JSON API, and turns them into weighted
/// job specs with grounded interview questions.
///
/// Start with `ladder serve` (SQLite in ./ladder-data by default) or
/// `ladder check PATH` for files alone.
#[derive(Parser)]
#[command(name = "ladder", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the Ladder web app and JSON API.
    ///
    /// On first start with an empty database it loads the bundled example
    /// frameworks and creates the first admin (admin@localhost), printing a
    /// one-time password once. Stops gracefully on Ctrl-C or SIGTERM.
    #[command(
        after_help = "Examples:\n  ladder serve\n  ladder serve --addr 0.0.0.0:8080 --db postgres://ladder@db/ladder\n  LADDER_DATABASE_URL=sqlite:///var/lib/ladder/ladder.db ladder serve"
    )]
    Serve(serve::ServeArgs),
    /// Load framework files and job-spec files into the database.
    ///
    /// Frameworks are idempotent: unchanged content is skipped, changed content
    /// becomes a new version. A YAML file with `kind: job-spec` is a job spec:
    /// it creates a draft, or updates the draft of the spec whose `id` it has.
    #[command(
        after_help = "Examples:\n  ladder import frameworks/\n  ladder import --dry-run team/*.md"
    )]
    Import(import::ImportArgs),
    /// Write a stored job spec (as job-spec YAML) or framework out of the
    /// database.
    #[command(
        after_help = "Examples:\n  ladder export --job-spec 0190c0de-… > spec.yaml\n  ladder export --framework engineering-backend --to prose"
    )]
    Export(export::ExportArgs),
    /// Recompute every live-performance figure from the raw rows and report
    /// any difference from the stored figures (exit status 1 if there is one).
    Verify(export::VerifyArgs),
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
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

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user; prints a one-time password they change at first login.
    Add(accounts::UserAddArgs),
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for a user; prints it once (only its hash is kept).
    Create(accounts::TokenCreateArgs),
    /// List a user's API tokens: id, name, when made and last used (never the
    /// token itself).
    List(accounts::TokenListArgs),
    /// Revoke an API token by its id (from `ladder token list`).
    Revoke(accounts::TokenRevokeArgs),
}

/// A mistake in how the command was called (exit status 2), as opposed to
/// something that went wrong while doing what was asked (exit status 1).
#[derive(Debug)]
pub(crate) struct Usage(pub(crate) String);

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// A [`Usage`] error as an `anyhow::Error`.
pub(crate) fn usage(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Usage(message.into()))
}

/// The exit status for a failed command: 2 when any cause is a usage error.
fn exit_status(error: &anyhow::Error) -> ExitCode {
    if error.chain().any(|cause| cause.is::<Usage>()) {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
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
        Command::Serve(args) => serve::serve(args),
        Command::Import(args) => import::import(args),
        Command::Export(args) => export::export(args),
        Command::Verify(args) => export::verify(args),
        Command::User(UserCommand::Add(args)) => accounts::user_add(args),
        Command::Token(TokenCommand::Create(args)) => accounts::token_create(args),
        Command::Token(TokenCommand::List(args)) => accounts::token_list(args),
        Command::Token(TokenCommand::Revoke(args)) => accounts::token_revoke(args),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            // `{:#}` prints the context and every cause, separated by ": ".
            eprintln!("error: {error:#}");
            exit_status(&error)
        }
    }
}

#[cfg(test)]
mod tests {
    use anyhow::Context;
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }

    #[test]
    fn usage_errors_exit_with_2_and_failures_with_1_whatever_the_context() {
        let wrapped: anyhow::Result<()> = Err(usage("no such file")).context("reading input");
        let wrapped = wrapped.err().map(|error| exit_status(&error));
        assert_eq!(wrapped, Some(ExitCode::from(2)));
        let io = std::io::Error::other("disk full");
        let failure: anyhow::Result<()> = Err(io).context("cannot write out.md");
        let failure = failure.err();
        assert_eq!(failure.as_ref().map(exit_status), Some(ExitCode::from(1)));
        assert_eq!(
            failure.map(|error| format!("{error:#}")).as_deref(),
            Some("cannot write out.md: disk full")
        );
    }
}
