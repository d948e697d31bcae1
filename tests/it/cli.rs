//! The `ladder` binary as users run it: exit codes, the `--json` contract, the
//! human report, and `convert` round trips through real files.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::common::{ladder, root};

fn fixture(name: &str) -> String {
    root()
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "stdout is not JSON ({error}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

#[test]
fn check_bundled_frameworks_succeeds() {
    let output = ladder(&["check", &root().join("frameworks").display().to_string()]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Checked 3 files: 3 ok, 0 failed, 0 warnings"),
        "{stdout}"
    );
    assert!(
        stdout.contains("“Backend Engineering” (structured, 6 levels, 5 topics"),
        "{stdout}"
    );
}

#[test]
fn json_contract_for_a_directory() {
    let dir = root().join("tests/fixtures").display().to_string();
    let output = ladder(&["check", "--json", &dir]);
    assert_eq!(output.status.code(), Some(1), "some fixtures have errors");
    let report = json(&output);
    let files = report["files"].as_array().expect("files");
    let summary = &report["summary"];
    assert_eq!(summary["files"].as_u64(), Some(files.len() as u64));
    assert_eq!(
        summary["ok"].as_u64().unwrap_or(0) + summary["failed"].as_u64().unwrap_or(0),
        files.len() as u64
    );

    let find = |name: &str| {
        files
            .iter()
            .find(|f| f["file"].as_str().is_some_and(|file| file.ends_with(name)))
            .unwrap_or_else(|| panic!("{name} missing"))
    };
    let prose = find("prose-examples.md");
    assert_eq!(prose["ok"], Value::Bool(true));
    assert_eq!(prose["format"], "prose");
    assert_eq!(prose["slug"], "engineering-devex");
    assert_eq!(prose["levels"], 2);
    assert_eq!(prose["topics"], 2);
    assert_eq!(prose["criteria"], 8);
    assert_eq!(prose["examples"], 6);
    assert_eq!(prose["sublevels"], Value::Null);
    assert_eq!(prose["warnings"], Value::Array(vec![]));

    let tabs = find("tab-after-dash.md");
    let warning = &tabs["warnings"][0];
    assert_eq!(warning["code"], "yaml-tab-recovered");
    assert_eq!(warning["line"], 16);
    assert_eq!(warning["column"], 12);
    assert!(
        warning.get("hint").is_none(),
        "warnings carry code, message, line, column"
    );

    let broken = find("no-front-matter.md");
    assert_eq!(broken["ok"], Value::Bool(false));
    let error = &broken["errors"][0];
    assert_eq!(error["code"], "no-front-matter");
    assert_eq!(error["line"], 1);
    assert!(error["hint"]
        .as_str()
        .is_some_and(|hint| hint.contains("---")));

    let mojibake = find("mojibake-macroman.md");
    assert!(
        mojibake["title"]
            .as_str()
            .is_some_and(|title| !title.contains('Ô')),
        "titles are repaired"
    );
    assert_eq!(mojibake["sublevels"], serde_json::json!(["A", "B", "C"]));
}

#[test]
fn strict_turns_warnings_into_failures() {
    let file = fixture("empty-topic.md");
    assert_eq!(ladder(&["check", &file]).status.code(), Some(0));
    let strict = ladder(&["check", "--strict", "--json", &file]);
    assert_eq!(strict.status.code(), Some(1));
    assert_eq!(json(&strict)["files"][0]["ok"], Value::Bool(false));
}

#[test]
fn bad_usage_exits_2() {
    assert_eq!(
        ladder(&["check", "/definitely/not/here.md"]).status.code(),
        Some(2)
    );
    assert_eq!(ladder(&["check"]).status.code(), Some(2));
    assert_eq!(ladder(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn human_output_shows_the_line_and_a_hint() {
    let output = ladder(&["check", &fixture("bad-yaml.md")]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("yaml-syntax"), "{stdout}");
    assert!(
        stdout.contains("bad-yaml.md:17:14") || stdout.contains("bad-yaml.md:16:"),
        "{stdout}"
    );
    assert!(stdout.contains("help:"), "{stdout}");
    assert!(stdout.contains("1 failed"), "{stdout}");
}

fn convert_and_reimport(target: &str, dir: &Path) {
    let sources: Vec<String> = ["backend.md", "generic.md", "frontend.md"]
        .iter()
        .map(|name| root().join("frameworks").join(name).display().to_string())
        .collect();
    let out = dir.join(target);
    let mut args = vec!["convert", "--to", target, "--out"];
    let out_text = out.display().to_string();
    args.push(&out_text);
    args.extend(sources.iter().map(String::as_str));
    let output = ladder(&args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    for source in &sources {
        let original = ladder_formats::parse("x", &std::fs::read(source).expect("source"))
            .framework
            .expect("framework");
        let stem = Path::new(source)
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let written_path = out.join(format!(
            "{stem}.{}",
            if target == "json" { "json" } else { "md" }
        ));
        let written = std::fs::read_to_string(&written_path).expect("written");
        let reread = if target == "json" {
            ladder_formats::parse_json("x", &written).expect("json")
        } else {
            let parsed = ladder_formats::parse("x", written.as_bytes());
            assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
            parsed.framework.expect("framework")
        };
        assert_eq!(reread.content(), original.content(), "{target} of {source}");
    }
}

#[test]
fn convert_round_trips_through_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    for target in ["structured", "prose", "json"] {
        convert_and_reimport(target, dir.path());
    }
}

#[test]
fn convert_to_stdout_and_refusals() {
    let output = ladder(&[
        "convert",
        "--to",
        "prose",
        &root().join("frameworks/backend.md").display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("yaml: false") && text.contains("## Level 6"),
        "{text}"
    );

    let two = ladder(&[
        "convert",
        "--to",
        "json",
        &fixture("empty-topic.md"),
        &fixture("levels-empty.md"),
    ]);
    assert_eq!(two.status.code(), Some(2), "several files need --out");

    let broken = ladder(&["convert", "--to", "json", &fixture("bad-yaml.md")]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("not converted"));
}

#[test]
fn help_teaches_and_version_prints() {
    let help = ladder(&["check", "--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains("--strict") && text.contains("Exit status"),
        "{text}"
    );
    let version = ladder(&["--version"]);
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("ladder "));
}
