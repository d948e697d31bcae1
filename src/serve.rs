//! `ladder serve`: the web app and the JSON API, with the bundled examples
//! and the first admin on first start.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use ladder_core::access::Role;
use ladder_server::http::client::IpRange;
use ladder_server::{AppState, ServerConfig};
use ladder_store::{Actor, Store};

use crate::config::{self, open, runtime, DatabaseArgs};
use crate::usage;

pub(crate) const DEFAULT_ADDR: &str = "127.0.0.1:8080";
pub(crate) const FIRST_ADMIN: &str = "admin@localhost";

#[derive(Args, Debug)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub(crate) database: DatabaseArgs,
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "LADDER_ADDR", value_name = "HOST:PORT")]
    pub(crate) addr: Option<String>,
    /// Do not load the bundled example frameworks into an empty database.
    #[arg(long)]
    pub(crate) no_examples: bool,
    /// Directory for recorded answers [default: `blobs/` next to a SQLite
    /// file, `./ladder-blobs` for PostgreSQL]
    #[arg(long, env = "LADDER_BLOB_DIR", value_name = "DIR")]
    pub(crate) blob_dir: Option<PathBuf>,
    /// Largest recorded answer accepted, in bytes [default: 10485760 (10 MiB)]
    #[arg(long, env = "LADDER_AUDIO_MAX_BYTES", value_name = "BYTES")]
    pub(crate) audio_max_bytes: Option<usize>,
    /// A reverse proxy (IP address or CIDR block) whose X-Forwarded-For names
    /// the client, for login limits; repeat it, or separate them with commas.
    /// From anyone else the header is ignored [default: none]
    #[arg(
        long = "trusted-proxy",
        env = "LADDER_TRUSTED_PROXIES",
        value_name = "IP|CIDR",
        value_delimiter = ',',
        value_parser = config::parse_trusted_proxy
    )]
    pub(crate) trusted_proxies: Vec<IpRange>,
    /// Where people reach this server, for the candidate links shown to
    /// hiring managers (e.g. https://ladder.example.com, or with a path
    /// prefix behind a proxy) [default: http:// and the listening address]
    #[arg(long, env = "LADDER_PUBLIC_URL", value_name = "URL")]
    pub(crate) public_url: Option<String>,
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
async fn load_examples(store: &dyn Store) -> anyhow::Result<usize> {
    if !store
        .list_frameworks()
        .await
        .context("cannot list the frameworks")?
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
                .with_context(|| format!("cannot load the example {}", bundled.file_name))?;
            loaded += 1;
        }
    }
    Ok(loaded)
}

/// Loads and publishes the bundled demo job spec when there are no job specs.
async fn load_demo_job_specs(state: &AppState) -> anyhow::Result<usize> {
    if !state
        .store()
        .job_specs()
        .await
        .context("cannot list the job specs")?
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
            ladder_server::jobspecs::service::create_from_body(state, None, body, &Actor::system())
                .await
                .map_err(|error| anyhow::anyhow!(error.message))
                .context("cannot load the demo job spec")?;
        ladder_server::jobspecs::service::publish(state, &created.job_spec_id, &Actor::system())
            .await
            .map_err(|error| anyhow::anyhow!(error.message))
            .context("cannot publish the demo job spec")?;
        loaded += 1;
    }
    Ok(loaded)
}

/// Creates the first admin when there are no users; returns its password.
async fn first_admin(store: &dyn Store) -> anyhow::Result<Option<String>> {
    if store.user_count().await.context("cannot count the users")? > 0 {
        return Ok(None);
    }
    let password = ladder_server::auth::random_password();
    let hash = ladder_server::auth::hash_password(&password).map_err(anyhow::Error::msg)?;
    store
        .create_user(
            FIRST_ADMIN,
            Role::Admin,
            Some(&hash),
            true,
            &Actor::system(),
        )
        .await
        .context("cannot create the first admin")?;
    Ok(Some(password))
}

pub(crate) fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    init_logging();
    let (url, file) = args.database.resolve()?;
    let addr = args
        .addr
        .clone()
        .or(file.addr.clone())
        .unwrap_or_else(|| DEFAULT_ADDR.to_string());
    let mut server_config = ServerConfig::default();
    if let Some(secure) = file.secure_cookies {
        server_config.secure_cookies = secure;
    }
    if let Some(seconds) = file.request_timeout_secs {
        server_config.request_timeout = Duration::from_secs(seconds.max(1));
    }
    if let Some(bytes) = file.body_limit_bytes {
        server_config.body_limit = bytes;
    }
    server_config.trusted_proxies =
        config::trusted_proxies(&args.trusted_proxies, &file, &args.database.config_file())?;
    server_config.llm = config::llm_config(&config::environment);
    server_config.stt = config::stt_config(&config::environment);
    let blob_dir = args
        .blob_dir
        .clone()
        .or(file.blob_dir.clone())
        .unwrap_or_else(|| ladder_server::default_blob_dir(&url));
    server_config.audio.blob_dir = Some(blob_dir.clone());
    if let Some(bytes) = args.audio_max_bytes.or(file.audio_max_bytes) {
        if bytes == 0 {
            return Err(usage("audio_max_bytes must be more than 0"));
        }
        server_config.audio.max_bytes = bytes;
    }
    let audio_max = server_config.audio.max_bytes;
    let public_url = match args.public_url.clone().or(file.public_url.clone()) {
        Some(text) => Some(
            ladder_server::parse_public_url(&text)
                .map_err(|problem| usage(format!("public_url: {problem}")))?,
        ),
        None => None,
    };
    runtime()?.block_on(async move {
        let mut server_config = server_config;
        let store = open(&url).await?;
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            // Whatever the reason (no such address, in use, not allowed), the
            // remedy is another --addr: a usage error.
            .map_err(|error| {
                usage(format!(
                    "cannot listen on {addr}: {error} (choose another with --addr)"
                ))
            })?;
        let local = listener
            .local_addr()
            .context("cannot tell which address the server listens on")?;
        if !args.no_examples {
            let loaded = load_examples(store.as_ref()).await?;
            if loaded > 0 {
                println!("Loaded {loaded} example frameworks.");
            }
        }
        let password = first_admin(store.as_ref()).await?;
        let derived = public_url.is_none();
        let public_url = public_url.unwrap_or_else(|| ladder_server::public_url_for(local));
        server_config.public_url = Some(public_url.clone());
        let state = AppState::new(Arc::clone(&store), server_config);
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
            ladder_server::show_size(audio_max as u64)
        );
        if let Some(stt) = state.stt() {
            println!(
                "Speech-to-text: {} at {} (recordings are kept without a transcript when it fails)",
                stt.model, stt.url
            );
        }
        if state.config().trusted_proxies.is_empty() {
            println!("Client addresses: the connection's (no trusted proxies; X-Forwarded-For is ignored)");
        } else {
            let proxies: Vec<String> = state
                .config()
                .trusted_proxies
                .iter()
                .map(ToString::to_string)
                .collect();
            println!(
                "Client addresses: X-Forwarded-For from trusted proxies {}",
                proxies.join(", ")
            );
        }
        if derived {
            println!("Candidate links: {public_url}/candidate/… (from the listening address; set --public-url to the address candidates reach)");
        } else {
            println!("Candidate links: {public_url}/candidate/…");
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
            .context("the server stopped with an error")?;
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
