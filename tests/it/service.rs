//! The store-backed commands as users run them: import, user add, token create,
//! configuration precedence, and `serve` from first start to graceful stop.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{ladder_in as ladder, root, stdout};

#[test]
fn import_is_idempotent_and_skips_broken_files() {
    let dir = tempfile::tempdir().expect("temp");
    let db = format!("sqlite://{}/ladder.db", dir.path().display());
    let frameworks = root().join("frameworks").display().to_string();

    let dry = ladder(
        &["import", "--dry-run", "--db", &db, &frameworks],
        dir.path(),
    );
    assert_eq!(dry.status.code(), Some(0));
    assert!(
        stdout(&dry).contains("Dry run: 3 would import"),
        "{}",
        stdout(&dry)
    );
    assert!(
        !dir.path().join("ladder.db").exists(),
        "a dry run writes nothing"
    );

    let first = ladder(&["import", "--db", &db, &frameworks], dir.path());
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        stdout(&first).contains("3 created, 0 updated, 0 unchanged, 0 failed"),
        "{}",
        stdout(&first)
    );
    let second = ladder(&["import", "--db", &db, &frameworks], dir.path());
    assert!(
        stdout(&second).contains("0 created, 0 updated, 3 unchanged, 0 failed"),
        "{}",
        stdout(&second)
    );

    // A directory with broken files: the good ones import, the bad are reported.
    let fixtures = root().join("tests/fixtures").display().to_string();
    let mixed = ladder(&["import", "--db", &db, &fixtures], dir.path());
    assert_eq!(mixed.status.code(), Some(1));
    let text = stdout(&mixed);
    assert!(text.contains("bad-yaml.md: skipped"), "{text}");
    assert!(text.contains(" failed."), "{text}");
    assert!(!text.contains(" 0 created"), "{text}");
    // Each imported file's warnings are listed under it, with where.
    assert!(
        text.contains("empty-topic.md: engineering-qa v1 created\n    ⚠ 10:5: topic “Teamwork” has no behaviours at any level [empty-topic]"),
        "{text}"
    );
    // The stored source names the file relative to the directory imported,
    // never the server's absolute path.
    let exported = ladder(
        &[
            "export",
            "--framework",
            "engineering-qa",
            "--to",
            "json",
            "--db",
            &db,
        ],
        dir.path(),
    );
    let json = stdout(&exported);
    assert!(json.contains("\"file\": \"empty-topic.md\""), "{json}");
    assert!(!json.contains(&fixtures), "{json}");
}

#[test]
fn users_and_tokens_from_the_shell() {
    let dir = tempfile::tempdir().expect("temp");
    let db = format!("sqlite://{}/ladder.db", dir.path().display());
    let added = ladder(
        &[
            "user",
            "add",
            "Lead@Example.com",
            "--role",
            "hiring_manager",
            "--db",
            &db,
        ],
        dir.path(),
    );
    assert_eq!(
        added.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let text = stdout(&added);
    assert!(
        text.contains("Created lead@example.com (hiring_manager)"),
        "{text}"
    );
    assert!(text.contains("One-time password: "), "{text}");

    let again = ladder(
        &[
            "user",
            "add",
            "lead@example.com",
            "--role",
            "member",
            "--db",
            &db,
        ],
        dir.path(),
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    let bad_role = ladder(
        &[
            "user",
            "add",
            "x@example.com",
            "--role",
            "owner",
            "--db",
            &db,
        ],
        dir.path(),
    );
    assert_eq!(bad_role.status.code(), Some(2));

    let token = ladder(
        &[
            "token",
            "create",
            "lead@example.com",
            "--name",
            "ci",
            "--db",
            &db,
        ],
        dir.path(),
    );
    assert_eq!(token.status.code(), Some(0));
    assert_eq!(
        stdout(&token).trim().len(),
        43,
        "one token on stdout: {}",
        stdout(&token)
    );
    let missing = ladder(
        &[
            "token",
            "create",
            "nobody@example.com",
            "--name",
            "ci",
            "--db",
            &db,
        ],
        dir.path(),
    );
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn configuration_precedence_is_flag_then_environment_then_file() {
    let dir = tempfile::tempdir().expect("temp");
    let frameworks = root().join("frameworks/generic.md").display().to_string();
    std::fs::write(
        dir.path().join("ladder.toml"),
        "database_url = \"sqlite://from-file.db\"\n",
    )
    .expect("config");

    let from_file = ladder(&["import", &frameworks], dir.path());
    assert_eq!(
        from_file.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&from_file.stderr)
    );
    assert!(dir.path().join("from-file.db").exists());

    let from_env = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["import", &frameworks])
        .current_dir(dir.path())
        .env("LADDER_DATABASE_URL", "sqlite://from-env.db")
        .output()
        .expect("runs");
    assert_eq!(from_env.status.code(), Some(0));
    assert!(dir.path().join("from-env.db").exists());

    let from_flag = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["import", "--db", "sqlite://from-flag.db", &frameworks])
        .current_dir(dir.path())
        .env("LADDER_DATABASE_URL", "sqlite://from-env-2.db")
        .output()
        .expect("runs");
    assert_eq!(from_flag.status.code(), Some(0));
    assert!(dir.path().join("from-flag.db").exists());
    assert!(!dir.path().join("from-env-2.db").exists());

    std::fs::write(dir.path().join("bad.toml"), "database_url = 5\n").expect("config");
    let bad = ladder(&["import", "--config", "bad.toml", &frameworks], dir.path());
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("bad.toml"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[test]
fn serve_starts_with_examples_and_an_admin_then_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp");
    let mut child = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("LADDER_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut printed = Vec::new();
    let mut url = None;
    for line in lines.by_ref() {
        let line = line.expect("line");
        printed.push(line.clone());
        if let Some(rest) = line.strip_prefix("Ladder is running at ") {
            url = rest
                .split_whitespace()
                .next()
                .map(|u| u.trim_end_matches('/').to_string());
        }
        if line.starts_with("Press Ctrl-C") {
            break;
        }
    }
    let url = url.unwrap_or_else(|| panic!("no URL printed: {printed:?}"));
    assert!(
        printed.iter().any(|l| l == "Loaded 3 example frameworks."),
        "{printed:?}"
    );
    assert!(
        printed.iter().any(|l| l == "First admin: admin@localhost"),
        "{printed:?}"
    );
    assert!(
        printed.iter().any(|l| l.starts_with("One-time password: ")),
        "{printed:?}"
    );
    assert!(
        dir.path().join("ladder-data/ladder.db").exists(),
        "default database location"
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let frameworks: serde_json::Value = runtime.block_on(async {
        ladder_server::clients::install_crypto_provider();
        reqwest::get(format!("{url}/api/v1/frameworks"))
            .await
            .expect("get")
            .json()
            .await
            .expect("json")
    });
    assert_eq!(frameworks.as_array().map(Vec::len), Some(3));

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.wait().expect("exits");
    assert!(status.success(), "graceful shutdown exits 0: {status:?}");
    assert!(rest.iter().any(|l| l == "Ladder stopped."), "{rest:?}");

    // A second start finds the admin and the frameworks already there.
    let output = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["serve", "--addr", "256.0.0.1:1"])
        .current_dir(dir.path())
        .env_remove("LADDER_DATABASE_URL")
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(2),
        "a bad address is a usage error"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot listen on 256.0.0.1:1"));
}

#[test]
fn job_specs_import_and_export_as_yaml() {
    let dir = tempfile::tempdir().expect("temp");
    let db = format!("sqlite://{}/ladder.db", dir.path().display());
    let frameworks = root().join("frameworks").display().to_string();
    assert_eq!(
        ladder(&["import", "--db", &db, &frameworks], dir.path())
            .status
            .code(),
        Some(0)
    );

    let spec = root()
        .join("jobspecs/senior-backend-payments.yaml")
        .display()
        .to_string();
    let imported = ladder(&["import", "--db", &db, &spec], dir.path());
    assert_eq!(
        imported.status.code(),
        Some(0),
        "{}{}",
        stdout(&imported),
        String::from_utf8_lossy(&imported.stderr)
    );
    let text = stdout(&imported);
    assert!(text.contains("Job specs: 1 imported, 0 failed."), "{text}");
    let id = text
        .split_whitespace()
        .skip_while(|word| *word != "spec")
        .nth(1)
        .expect("the new spec's id is printed")
        .to_string();

    let exported = ladder(&["export", "--db", &db, "--job-spec", &id], dir.path());
    assert_eq!(
        exported.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let yaml = stdout(&exported);
    assert!(
        yaml.contains("kind: job-spec") && yaml.contains(&id),
        "{yaml}"
    );
    let reparsed = ladder_formats::jobspec::parse_job_spec("export.yaml", &yaml);
    assert!(!reparsed.has_errors(), "{:?}", reparsed.diagnostics);
    let original = ladder_formats::jobspec::parse_job_spec(
        "spec.yaml",
        &std::fs::read_to_string(&spec).expect("spec"),
    );
    let (exported_spec, original_spec) =
        (reparsed.spec.expect("spec"), original.spec.expect("spec"));
    assert_eq!(exported_spec.competencies, original_spec.competencies);
    assert_eq!(exported_spec.round2.len(), original_spec.round2.len());

    // Importing the export (it carries the id) updates that spec's draft.
    let file = dir.path().join("exported.yaml");
    std::fs::write(&file, yaml.replace("0.35", "0.40").replace("0.15", "0.10")).expect("write");
    let again = ladder(
        &["import", "--db", &db, &file.display().to_string()],
        dir.path(),
    );
    assert!(
        stdout(&again).contains(&format!("job spec {id} draft v1")),
        "{}",
        stdout(&again)
    );

    let broken = dir.path().join("broken.yaml");
    std::fs::write(
        &broken,
        "kind: job-spec\ntitle: \"X\"\ncompetencies:\n  - name: \"A\"\n    weight: \"lots\"\n",
    )
    .expect("write");
    let failed = ladder(
        &["import", "--db", &db, &broken.display().to_string()],
        dir.path(),
    );
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        stdout(&failed).contains("broken.yaml: skipped"),
        "{}",
        stdout(&failed)
    );

    let framework = ladder(
        &[
            "export",
            "--db",
            &db,
            "--framework",
            "engineering-generic",
            "--to",
            "prose",
        ],
        dir.path(),
    );
    assert!(stdout(&framework).contains("yaml: false"));
    assert_eq!(
        ladder(
            &["export", "--db", &db, "--job-spec", "missing"],
            dir.path()
        )
        .status
        .code(),
        Some(2)
    );
}

/// Starts `ladder serve` with `args` and `env` in `dir`, returns what it
/// printed before "Press Ctrl-C", and stops it.
fn serve_banner(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Vec<String> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ladder"));
    command
        .args(["serve", "--addr", "127.0.0.1:0", "--no-examples"])
        .args(args)
        .current_dir(dir)
        .env_remove("LADDER_DATABASE_URL")
        .env_remove("LADDER_BLOB_DIR")
        .env_remove("LADDER_STT_URL")
        .env_remove("LADDER_STT_MODEL")
        .env_remove("LADDER_LLM_URL")
        .env_remove("LADDER_LLM_MODEL")
        .env_remove("LADDER_PUBLIC_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("serve starts");
    let mut printed = Vec::new();
    for line in BufReader::new(child.stdout.take().expect("stdout"))
        .lines()
        .map_while(Result::ok)
    {
        let done = line.starts_with("Press Ctrl-C");
        printed.push(line);
        if done {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    printed
}

#[test]
fn serve_says_where_recordings_go_and_which_speech_to_text_and_evaluator_it_uses() {
    let dir = tempfile::tempdir().expect("temp");
    let line = |printed: &[String], prefix: &str| {
        printed
            .iter()
            .find(|l| l.starts_with(prefix))
            .cloned()
            .unwrap_or_else(|| panic!("no “{prefix}” line in {printed:?}"))
    };
    // Default: next to the SQLite file, 10 MiB each; no speech-to-text.
    let printed = serve_banner(dir.path(), &[], &[]);
    assert_eq!(
        line(&printed, "Recorded answers:"),
        "Recorded answers: ladder-data/blobs (at most 10 MiB each)"
    );
    assert!(
        !printed.iter().any(|l| l.starts_with("Speech-to-text:")),
        "{printed:?}"
    );
    assert!(
        !printed
            .iter()
            .any(|l| l.starts_with("Automated evaluator:")),
        "{printed:?}"
    );
    // The file, then the environment, then the flag.
    std::fs::write(
        dir.path().join("ladder.toml"),
        "blob_dir = \"toml-blobs\"\naudio_max_bytes = 2097152\n",
    )
    .expect("config");
    let printed = serve_banner(dir.path(), &[], &[]);
    assert_eq!(
        line(&printed, "Recorded answers:"),
        "Recorded answers: toml-blobs (at most 2 MiB each)"
    );
    let stt = [
        ("LADDER_BLOB_DIR", "env-blobs"),
        ("LADDER_STT_URL", "http://127.0.0.1:9"),
        ("LADDER_STT_MODEL", "whisper-small"),
        ("LADDER_LLM_URL", "http://127.0.0.1:9"),
        ("LADDER_LLM_MODEL", "judge-1"),
    ];
    let printed = serve_banner(dir.path(), &[], &stt);
    assert_eq!(
        line(&printed, "Recorded answers:"),
        "Recorded answers: env-blobs (at most 2 MiB each)"
    );
    assert!(
        line(&printed, "Speech-to-text:")
            .starts_with("Speech-to-text: whisper-small at http://127.0.0.1:9"),
        "{printed:?}"
    );
    assert!(
        line(&printed, "Automated evaluator:").contains("judge-1"),
        "{printed:?}"
    );
    let printed = serve_banner(dir.path(), &["--blob-dir", "flag-blobs"], &stt);
    assert_eq!(
        line(&printed, "Recorded answers:"),
        "Recorded answers: flag-blobs (at most 2 MiB each)"
    );
}

#[test]
fn tokens_are_listed_and_revoked_from_the_shell() {
    let dir = tempfile::tempdir().expect("temp");
    let db = format!("sqlite://{}/ladder.db", dir.path().display());
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--db", db.as_str()]);
        ladder(&all, dir.path())
    };
    let stderr =
        |output: &std::process::Output| String::from_utf8_lossy(&output.stderr).into_owned();

    let hostile = run(&[
        "user",
        "add",
        "<script>alert(1)</script>@x.test",
        "--role",
        "member",
    ]);
    assert_eq!(hostile.status.code(), Some(2), "{}", stderr(&hostile));
    assert!(
        stderr(&hostile).contains("is not an e-mail address: it contains a character"),
        "{}",
        stderr(&hostile)
    );
    let added = run(&["user", "add", "Ada@Example.COM", "--role", "member"]);
    assert_eq!(added.status.code(), Some(0), "{}", stderr(&added));
    assert!(stdout(&added).contains("Created ada@example.com (member)"));

    let empty = run(&["token", "list", "ada@example.com"]);
    assert_eq!(empty.status.code(), Some(0));
    assert!(stderr(&empty).contains("ada@example.com has no API tokens."));
    let long = "n".repeat(101);
    for (name, says) in [
        (
            long.as_str(),
            "the name is 101 characters long; shorten it to at most 100",
        ),
        ("  ", "a token needs a name"),
        ("two\nlines", "the name contains a control character"),
    ] {
        let refused = run(&["token", "create", "ada@example.com", "--name", name]);
        assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
        assert!(stderr(&refused).contains(says), "{}", stderr(&refused));
        assert!(stdout(&refused).is_empty(), "no token is printed");
    }
    let mut secrets = Vec::new();
    for name in ["ci", "laptop"] {
        let created = run(&["token", "create", "ada@example.com", "--name", name]);
        assert_eq!(created.status.code(), Some(0), "{}", stderr(&created));
        secrets.push(stdout(&created).trim().to_string());
    }

    let listed = run(&["token", "list", "ada@example.com"]);
    assert_eq!(listed.status.code(), Some(0), "{}", stderr(&listed));
    let text = stdout(&listed);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "a header and two tokens: {text}");
    assert!(lines[0].starts_with("ID "), "{text}");
    assert!(
        lines[1].contains("  ci  ") && lines[1].ends_with("never"),
        "{text}"
    );
    assert!(
        lines[2].contains("  laptop  ") && lines[2].contains(" UTC"),
        "{text}"
    );
    for secret in &secrets {
        assert!(
            !text.contains(secret.as_str()),
            "the list never shows a token"
        );
    }
    let ci_id = lines[1].split_whitespace().next().expect("id").to_string();

    let revoked = run(&["token", "revoke", &ci_id]);
    assert_eq!(revoked.status.code(), Some(0), "{}", stderr(&revoked));
    assert_eq!(
        stdout(&revoked).trim(),
        format!("Revoked API token “ci” of ada@example.com ({ci_id}); it no longer works.")
    );
    let after = stdout(&run(&["token", "list", "ada@example.com"]));
    assert!(
        !after.contains(&ci_id) && after.contains("laptop"),
        "{after}"
    );
    let again = run(&["token", "revoke", &ci_id]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains(&format!("no API token {ci_id}")),
        "{}",
        stderr(&again)
    );
    let nobody = run(&["token", "list", "nobody@example.com"]);
    assert_eq!(nobody.status.code(), Some(1));
}

#[test]
fn serve_says_where_candidate_links_point() {
    let dir = tempfile::tempdir().expect("temp");
    let line = |printed: &[String]| {
        printed
            .iter()
            .find(|l| l.starts_with("Candidate links:"))
            .cloned()
            .unwrap_or_else(|| panic!("no “Candidate links:” line in {printed:?}"))
    };
    // Derived from the listening address unless configured.
    let derived = line(&serve_banner(dir.path(), &[], &[]));
    assert!(
        derived.starts_with("Candidate links: http://127.0.0.1:")
            && derived.contains("/candidate/… (from the listening address; set --public-url"),
        "{derived}"
    );
    std::fs::write(
        dir.path().join("ladder.toml"),
        "public_url = \"https://file.example.com/\"\n",
    )
    .expect("config");
    assert_eq!(
        line(&serve_banner(dir.path(), &[], &[])),
        "Candidate links: https://file.example.com/candidate/…"
    );
    assert_eq!(
        line(&serve_banner(
            dir.path(),
            &[],
            &[("LADDER_PUBLIC_URL", "https://env.example.com/hiring")]
        )),
        "Candidate links: https://env.example.com/hiring/candidate/…"
    );
    assert_eq!(
        line(&serve_banner(
            dir.path(),
            &["--public-url", "http://flag.example.com:8080"],
            &[("LADDER_PUBLIC_URL", "https://env.example.com")]
        )),
        "Candidate links: http://flag.example.com:8080/candidate/…"
    );
    let bad = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["serve", "--addr", "127.0.0.1:0", "--no-examples"])
        .args(["--public-url", "ladder.example.com"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(
        said.contains("public_url: “ladder.example.com” is not a URL")
            && said.contains("https://ladder.example.com"),
        "{said}"
    );
}

#[test]
fn serve_says_whose_x_forwarded_for_it_believes() {
    let dir = tempfile::tempdir().expect("temp");
    let line = |printed: &[String]| {
        printed
            .iter()
            .find(|l| l.starts_with("Client addresses:"))
            .cloned()
            .unwrap_or_else(|| panic!("no “Client addresses:” line in {printed:?}"))
    };
    assert_eq!(
        line(&serve_banner(dir.path(), &[], &[])),
        "Client addresses: the connection's (no trusted proxies; X-Forwarded-For is ignored)"
    );
    std::fs::write(
        dir.path().join("ladder.toml"),
        "trusted_proxies = [\"10.0.0.0/8\", \"2001:db8::/32\"]\n",
    )
    .expect("config");
    assert_eq!(
        line(&serve_banner(dir.path(), &[], &[])),
        "Client addresses: X-Forwarded-For from trusted proxies 10.0.0.0/8, 2001:db8::/32"
    );
    assert_eq!(
        line(&serve_banner(
            dir.path(),
            &[],
            &[("LADDER_TRUSTED_PROXIES", "192.0.2.1,192.0.2.2")]
        )),
        "Client addresses: X-Forwarded-For from trusted proxies 192.0.2.1, 192.0.2.2"
    );
    assert_eq!(
        line(&serve_banner(
            dir.path(),
            &["--trusted-proxy", "127.0.0.1", "--trusted-proxy", "::1"],
            &[("LADDER_TRUSTED_PROXIES", "192.0.2.1")]
        )),
        "Client addresses: X-Forwarded-For from trusted proxies 127.0.0.1, ::1"
    );
    let bad = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["serve", "--trusted-proxy", "proxy.local", "--no-examples"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("“proxy.local” is not an IP address"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    std::fs::write(
        dir.path().join("ladder.toml"),
        "trusted_proxies = [\"10.0.0.0/99\"]\n",
    )
    .expect("config");
    let bad_file = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["serve", "--addr", "127.0.0.1:0", "--no-examples"])
        .current_dir(dir.path())
        .env_remove("LADDER_TRUSTED_PROXIES")
        .output()
        .expect("runs");
    assert_eq!(bad_file.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad_file.stderr).contains("ladder.toml: trusted_proxies:"),
        "{}",
        String::from_utf8_lossy(&bad_file.stderr)
    );
}
