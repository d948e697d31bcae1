//! The commands that use the store: `serve`, `import`, `user add`,
//! `token create`. Configuration comes from flags, then environment variables
//! (clap reads both), then an optional TOML file, then defaults.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use ladder_core::access::Role;
use ladder_store::{Actor, ImportOutcome, Store};
use rayon::prelude::*;
use serde::Deserialize;

pub const DEFAULT_DATABASE: &str = "sqlite://ladder-data/ladder.db";
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
pub const FIRST_ADMIN: &str = "admin@localhost";

#[derive(Args, Debug, Clone)]
pub struct DatabaseArgs {
    /// Database URL: `sqlite://path/to/file.db` (created if missing) or
    /// `postgres://user@host/db` [default: sqlite://ladder-data/ladder.db]
    #[arg(long = "db", env = "LADDER_DATABASE_URL", value_name = "URL")]
    pub database: Option<String>,
    /// A TOML file with `database_url`, `addr`, `secure_cookies`,
    /// `request_timeout_secs`, `body_limit_bytes`, `blob_dir`,
    /// `audio_max_bytes` (flags and environment variables take precedence)
    /// [default: ./ladder.toml when present]
    #[arg(long, env = "LADDER_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "LADDER_ADDR", value_name = "HOST:PORT")]
    pub addr: Option<String>,
    /// Do not load the bundled example frameworks into an empty database.
    #[arg(long)]
    pub no_examples: bool,
    /// Directory for recorded answers [default: `blobs/` next to a SQLite
    /// file, `./ladder-blobs` for PostgreSQL]
    #[arg(long, env = "LADDER_BLOB_DIR", value_name = "DIR")]
    pub blob_dir: Option<PathBuf>,
    /// Largest recorded answer accepted, in bytes [default: 10485760 (10 MiB)]
    #[arg(long, env = "LADDER_AUDIO_MAX_BYTES", value_name = "BYTES")]
    pub audio_max_bytes: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    addr: Option<String>,
    secure_cookies: Option<bool>,
    request_timeout_secs: Option<u64>,
    body_limit_bytes: Option<usize>,
    blob_dir: Option<PathBuf>,
    audio_max_bytes: Option<usize>,
}

fn read_config(path: Option<&Path>) -> Result<FileConfig, String> {
    let (path, required) = match path {
        Some(path) => (path.to_path_buf(), true),
        None => (PathBuf::from("ladder.toml"), false),
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(_) if !required => return Ok(FileConfig::default()),
        Err(error) => {
            return Err(format!(
                "cannot read config file {}: {error}",
                path.display()
            ))
        }
    };
    toml::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))
}

impl DatabaseArgs {
    fn resolve(&self) -> Result<(String, FileConfig), String> {
        let file = read_config(self.config.as_deref())?;
        let url = self
            .database
            .clone()
            .or_else(|| file.database_url.clone())
            .unwrap_or_else(|| DEFAULT_DATABASE.to_string());
        Ok((url, file))
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the async runtime: {error}"))
}

async fn open(url: &str) -> Result<Arc<dyn Store>, String> {
    ladder_store::connect(url)
        .await
        .map_err(|error| format!("cannot open the database: {error}"))
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}

/// Loads the bundled frameworks into an empty store; returns how many.
async fn load_examples(store: &dyn Store) -> Result<usize, String> {
    if !store
        .list_frameworks()
        .await
        .map_err(|e| e.to_string())?
        .is_empty()
    {
        return Ok(0);
    }
    let mut loaded = 0;
    for bundled in ladder_formats::bundled::FRAMEWORKS {
        let parsed = ladder_formats::parse(bundled.file_name, bundled.text.as_bytes());
        if let Some(framework) = parsed
            .framework
            .filter(|_| !parsed.diagnostics.iter().any(|d| d.is_error()))
        {
            store
                .import_framework(&framework, &Actor::system())
                .await
                .map_err(|e| e.to_string())?;
            loaded += 1;
        }
    }
    Ok(loaded)
}

/// Loads and publishes the bundled demo job spec when there are no job specs.
async fn load_demo_job_specs(state: &ladder_server::AppState) -> Result<usize, String> {
    if !state
        .store()
        .job_specs()
        .await
        .map_err(|e| e.to_string())?
        .is_empty()
    {
        return Ok(0);
    }
    let mut loaded = 0;
    for bundled in ladder_formats::bundled::JOB_SPECS {
        let parsed = ladder_formats::jobspec::parse_job_spec(bundled.file_name, bundled.text);
        if parsed.has_errors() {
            continue;
        }
        let Some(body) = parsed.spec else { continue };
        let created =
            ladder_server::jobspecs::create_from_body(state, None, body, &Actor::system())
                .await
                .map_err(|error| error.message)?;
        ladder_server::jobspecs::publish(state, &created.job_spec_id, &Actor::system())
            .await
            .map_err(|error| error.message)?;
        loaded += 1;
    }
    Ok(loaded)
}

/// Creates the first admin when there are no users; returns its password.
async fn first_admin(store: &dyn Store) -> Result<Option<String>, String> {
    if store.user_count().await.map_err(|e| e.to_string())? > 0 {
        return Ok(None);
    }
    let password = ladder_server::auth::random_password();
    let hash = ladder_server::auth::hash_password(&password)?;
    store
        .create_user(
            FIRST_ADMIN,
            Role::Admin,
            Some(&hash),
            true,
            &Actor::system(),
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(Some(password))
}

pub fn serve(args: ServeArgs) -> Result<ExitCode, String> {
    init_logging();
    let (url, file) = args.database.resolve()?;
    let addr = args
        .addr
        .clone()
        .or(file.addr.clone())
        .unwrap_or_else(|| DEFAULT_ADDR.to_string());
    let mut config = ladder_server::ServerConfig::default();
    if let Some(secure) = file.secure_cookies {
        config.secure_cookies = secure;
    }
    if let Some(seconds) = file.request_timeout_secs {
        config.request_timeout = Duration::from_secs(seconds.max(1));
    }
    if let Some(bytes) = file.body_limit_bytes {
        config.body_limit = bytes;
    }
    config.llm = ladder_server::llm::LlmConfig::from_env();
    config.stt = ladder_server::stt::SttConfig::from_env();
    let blob_dir = args
        .blob_dir
        .clone()
        .or(file.blob_dir.clone())
        .unwrap_or_else(|| ladder_server::audio::default_blob_dir(&url));
    config.audio.blob_dir = Some(blob_dir.clone());
    if let Some(bytes) = args.audio_max_bytes.or(file.audio_max_bytes) {
        if bytes == 0 {
            return Err("audio_max_bytes must be more than 0".to_string());
        }
        config.audio.max_bytes = bytes;
    }
    let audio_max = config.audio.max_bytes;
    runtime()?.block_on(async move {
        let store = open(&url).await?;
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .map_err(|error| {
                format!("cannot listen on {addr}: {error} (choose another with --addr)")
            })?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        if !args.no_examples {
            let loaded = load_examples(store.as_ref()).await?;
            if loaded > 0 {
                println!("Loaded {loaded} example frameworks.");
            }
        }
        let password = first_admin(store.as_ref()).await?;
        let state = ladder_server::AppState::new(Arc::clone(&store), config);
        if !args.no_examples && load_demo_job_specs(&state).await? > 0 {
            println!("Loaded the demo job spec.");
        }
        if let Some(llm) = state.llm() {
            println!(
                "Question generation: {} at {} (falls back to the offline generator)",
                llm.model, llm.url
            );
            println!(
                "Automated evaluator: {} (drafts scorecards on request; never counted until a person submits them)",
                llm.model
            );
        }
        println!(
            "Recorded answers: {} (at most {} each)",
            blob_dir.display(),
            ladder_server::audio::show_size(audio_max as u64)
        );
        if let Some(stt) = state.stt() {
            println!(
                "Speech-to-text: {} at {} (recordings are kept without a transcript when it fails)",
                stt.model, stt.url
            );
        }
        println!(
            "Ladder is running at http://{local}/  (database: {})",
            redacted(&url)
        );
        if let Some(password) = password {
            println!("First admin: {FIRST_ADMIN}");
            println!(
                "One-time password: {password}  (shown once; you choose a new one at first login)"
            );
        }
        println!("Press Ctrl-C to stop.");
        ladder_server::serve(listener, state, ladder_server::shutdown_signal())
            .await
            .map_err(|error| format!("server error: {error}"))?;
        println!("Ladder stopped.");
        Ok(ExitCode::SUCCESS)
    })
}

/// A database URL without its password, for printing.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Check and report only; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Framework files or directories (walked recursively for .md, .yaml, .yml).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
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
    let state =
        ladder_server::AppState::new(Arc::clone(store), ladder_server::ServerConfig::default());
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
                let update = ladder_server::jobspecs::JobSpecUpdate {
                    title: Some(body.title.clone()),
                    seniority: Some(body.seniority.clone()),
                    description: Some(body.description.clone()),
                    framework: body.basis.clone(),
                    competencies: Some(body.competencies.clone()),
                    must_haves: Some(body.must_haves.clone()),
                };
                ladder_server::jobspecs::update(&state, &summary.id, update, &Actor::cli())
                    .await
                    .map(|v| {
                        format!(
                            "↑ {}: job spec {} draft v{}",
                            file.name, v.job_spec_id, v.version
                        )
                    })
            }
            None => ladder_server::jobspecs::create_from_body(
                &state,
                file.parsed.id.as_deref(),
                body,
                &Actor::cli(),
            )
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

pub fn import(args: ImportArgs) -> Result<ExitCode, String> {
    let (files, specs) = split_job_specs(crate::check::collect_files(&args.paths)?);
    let parsed: Vec<ladder_formats::Parsed> = files
        .par_iter()
        .map(|path| crate::check::read_file(path))
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

#[derive(Args, Debug)]
pub struct UserAddArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The user's e-mail address (their login).
    pub email: String,
    /// admin, hiring_manager, interviewer, member or manager.
    #[arg(long, value_parser = parse_role)]
    pub role: Role,
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text)
        .ok_or_else(|| "choose admin, hiring_manager, interviewer, member or manager".to_string())
}

pub fn user_add(args: UserAddArgs) -> Result<ExitCode, String> {
    let (url, _) = args.database.resolve()?;
    runtime()?.block_on(async move {
        let store = open(&url).await?;
        let password = ladder_server::auth::random_password();
        let hash = ladder_server::auth::hash_password(&password)?;
        match store.create_user(&args.email, args.role, Some(&hash), true, &Actor::cli()).await {
            Ok(user) => {
                println!("Created {} ({}).", user.email, user.role);
                println!("One-time password: {password}  (shown once; they choose a new one at first login)");
                Ok(ExitCode::SUCCESS)
            }
            Err(ladder_store::StoreError::Conflict(message)) => {
                eprintln!("error: {message}");
                Ok(ExitCode::from(1))
            }
            Err(error) => Err(error.to_string()),
        }
    })
}

#[derive(Args, Debug)]
pub struct TokenCreateArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The user the token acts as.
    pub email: String,
    /// What the token is for (shown in the audit log).
    #[arg(long)]
    pub name: String,
}

pub fn token_create(args: TokenCreateArgs) -> Result<ExitCode, String> {
    let (url, _) = args.database.resolve()?;
    runtime()?.block_on(async move {
        let store = open(&url).await?;
        let Some(credentials) = store
            .credentials(&args.email)
            .await
            .map_err(|e| e.to_string())?
        else {
            eprintln!(
                "error: no user {}; create one with `ladder user add {} --role …`",
                args.email, args.email
            );
            return Ok(ExitCode::from(1));
        };
        let token = ladder_server::auth::random_secret();
        store
            .create_api_token(
                &credentials.user.id,
                &args.name,
                &ladder_server::auth::secret_hash(&token),
                &Actor::cli(),
            )
            .await
            .map_err(|e| e.to_string())?;
        println!("{token}");
        eprintln!(
            "API token “{}” for {} ({}). Shown once; send it as `Authorization: Bearer <token>`.",
            args.name, credentials.user.email, credentials.user.role
        );
        Ok(ExitCode::SUCCESS)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redacted("postgres://me:secret@db/ladder"),
            "postgres://me:***@db/ladder"
        );
        assert_eq!(
            redacted("postgres://me@db/ladder"),
            "postgres://me@db/ladder"
        );
        assert_eq!(
            redacted("sqlite://ladder-data/ladder.db"),
            "sqlite://ladder-data/ladder.db"
        );
    }
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Export this job spec (its id) as a job-spec YAML file.
    #[arg(
        long,
        value_name = "ID",
        conflicts_with = "framework",
        required_unless_present = "framework"
    )]
    pub job_spec: Option<String>,
    /// Export this framework (its slug) in the format given by --to.
    #[arg(long, value_name = "SLUG")]
    pub framework: Option<String>,
    /// A version: a number or label for job specs (default: current), a
    /// number for frameworks.
    #[arg(long, value_name = "VERSION")]
    pub version: Option<String>,
    /// Framework format: structured, prose or json.
    #[arg(long, value_enum, default_value = "structured")]
    pub to: crate::convert::Target,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn export(args: ExportArgs) -> Result<ExitCode, String> {
    let (url, _) = args.database.resolve()?;
    let text = runtime()?.block_on(async {
        let store = open(&url).await?;
        if let Some(id) = &args.job_spec {
            let selector = ladder_store::VersionSelector::parse(args.version.as_deref());
            let version = store
                .job_spec_version(id, &selector)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| {
                    format!(
                        "no job spec {id} (version {})",
                        args.version.as_deref().unwrap_or("current")
                    )
                })?;
            return Ok(ladder_formats::jobspec::to_yaml(
                &version.body,
                Some(id),
                version.label.as_deref(),
            ));
        }
        let slug = args.framework.clone().unwrap_or_default();
        let version =
            match &args.version {
                Some(text) => Some(text.parse::<u32>().map_err(|_| {
                    format!("--version must be a number for frameworks, not {text}")
                })?),
                None => None,
            };
        let stored = store
            .framework(&slug, version)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("no framework {slug}"))?;
        Ok::<String, String>(args.to.write(&stored.framework))
    })?;
    match &args.out {
        Some(path) => std::fs::write(path, text)
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// Recomputes the live-performance figures from the raw rows and reports any
/// difference from the stored ones (there should never be one).
pub fn verify(args: VerifyArgs) -> Result<ExitCode, String> {
    let (url, _) = args.database.resolve()?;
    runtime()?.block_on(async {
        let store = open(&url).await?;
        let differences = store.verify().await.map_err(|e| e.to_string())?;
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
