//! Running the `ladder` binary as users do.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `ladder ARGS` in the current directory, without colours.
pub fn ladder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("ladder runs")
}

/// `ladder ARGS` in `dir`, with none of Ladder's settings inherited from the
/// environment that runs the tests.
pub fn ladder_in(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(args)
        .current_dir(dir)
        .env_remove("LADDER_DATABASE_URL")
        .env_remove("LADDER_CONFIG")
        .env_remove("LADDER_ADDR")
        .output()
        .expect("ladder runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The workspace root, where the bundled frameworks and fixtures are.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
