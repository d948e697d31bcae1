//! Configuration, read once here and handed to the library crates typed:
//! flags, then environment variables (clap reads both), then an optional TOML
//! file, then defaults. The optional OpenAI-compatible services are
//! configured from the environment only (`LADDER_LLM_*`, `LADDER_STT_*`).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use ladder_server::clients::llm::LlmConfig;
use ladder_server::clients::stt::SttConfig;
use ladder_server::http::client::IpRange;
use ladder_store::Store;
use serde::Deserialize;

use crate::usage;

pub(crate) const DEFAULT_DATABASE: &str = "sqlite://ladder-data/ladder.db";

#[derive(Args, Debug, Clone)]
pub(crate) struct DatabaseArgs {
    /// Database URL: `sqlite://path/to/file.db` (created if missing) or
    /// `postgres://user@host/db` [default: sqlite://ladder-data/ladder.db]
    #[arg(long = "db", env = "LADDER_DATABASE_URL", value_name = "URL")]
    pub(crate) database: Option<String>,
    /// A TOML file with `database_url`, `addr`, `secure_cookies`,
    /// `request_timeout_secs`, `body_limit_bytes`, `blob_dir`,
    /// `audio_max_bytes`, `trusted_proxies`, `public_url` (flags and
    /// environment variables take precedence)
    /// [default: ./ladder.toml when present]
    #[arg(long, env = "LADDER_CONFIG", value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
}

/// What a configuration file may say.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileConfig {
    pub(crate) database_url: Option<String>,
    pub(crate) addr: Option<String>,
    pub(crate) secure_cookies: Option<bool>,
    pub(crate) request_timeout_secs: Option<u64>,
    pub(crate) body_limit_bytes: Option<usize>,
    pub(crate) blob_dir: Option<PathBuf>,
    pub(crate) audio_max_bytes: Option<usize>,
    /// IP addresses or CIDR blocks of reverse proxies whose
    /// `X-Forwarded-For` names the client.
    pub(crate) trusted_proxies: Option<Vec<String>>,
    /// Where people reach the server, for absolute candidate links.
    pub(crate) public_url: Option<String>,
}

/// A `--trusted-proxy` value (also each comma-separated entry of
/// `LADDER_TRUSTED_PROXIES`).
pub(crate) fn parse_trusted_proxy(text: &str) -> Result<IpRange, String> {
    text.parse()
}

/// The trusted proxies: the flags or environment when given, else the file's,
/// else none. A file entry that is not an address or block is a usage error
/// naming the file.
pub(crate) fn trusted_proxies(
    given: &[IpRange],
    file: &FileConfig,
    file_name: &Path,
) -> anyhow::Result<Vec<IpRange>> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    file.trusted_proxies
        .iter()
        .flatten()
        .map(|text| {
            text.parse::<IpRange>().map_err(|problem| {
                usage(format!(
                    "{}: trusted_proxies: {problem}",
                    file_name.display()
                ))
            })
        })
        .collect()
}

/// The file named, or `./ladder.toml` when present. A file that was named
/// but cannot be read, or that is not valid, is a usage error naming it.
fn read_config(path: Option<&Path>) -> anyhow::Result<FileConfig> {
    let (path, required) = match path {
        Some(path) => (path.to_path_buf(), true),
        None => (PathBuf::from("ladder.toml"), false),
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(_) if !required => return Ok(FileConfig::default()),
        Err(error) => {
            return Err(usage(format!(
                "cannot read config file {}: {error}",
                path.display()
            )))
        }
    };
    toml::from_str(&text).map_err(|error| usage(format!("{}: {error}", path.display())))
}

impl DatabaseArgs {
    /// The configuration file this command reads, for messages.
    pub(crate) fn config_file(&self) -> PathBuf {
        self.config
            .clone()
            .unwrap_or_else(|| PathBuf::from("ladder.toml"))
    }

    /// The database URL and the configuration file.
    pub(crate) fn resolve(&self) -> anyhow::Result<(String, FileConfig)> {
        let file = read_config(self.config.as_deref())?;
        let url = self
            .database
            .clone()
            .or_else(|| file.database_url.clone())
            .unwrap_or_else(|| DEFAULT_DATABASE.to_string());
        Ok((url, file))
    }
}

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

pub(crate) async fn open(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    ladder_store::connect(url)
        .await
        .context("cannot open the database")
}

/// How long an optional service gets when its timeout is not configured.
const SERVICE_TIMEOUT: Duration = ladder_server::clients::DEFAULT_TIMEOUT;

/// What configures an optional OpenAI-compatible service: `{PREFIX}_URL` and
/// `{PREFIX}_MODEL` (both required and non-blank), `{PREFIX}_API_KEY`
/// (optional) and `{PREFIX}_TIMEOUT_SECS` (default 20; anything but a
/// positive number is warned about and ignored).
struct ServiceSettings {
    url: String,
    model: String,
    api_key: Option<String>,
    timeout: Duration,
}

fn service_settings(
    prefix: &str,
    lookup: &impl Fn(&str) -> Option<String>,
) -> Option<ServiceSettings> {
    let get = |suffix: &str| {
        lookup(&format!("{prefix}_{suffix}"))
            .map(|value| value.trim().to_string())
            .filter(|value| !value.is_empty())
    };
    let url = get("URL")?;
    let model = get("MODEL")?;
    let timeout = match get("TIMEOUT_SECS") {
        None => SERVICE_TIMEOUT,
        Some(text) => match text
            .parse::<f64>()
            .ok()
            .filter(|secs| secs.is_finite() && *secs > 0.0)
            .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
        {
            Some(timeout) => timeout,
            None => {
                tracing::warn!(value = %text, "{prefix}_TIMEOUT_SECS is not a positive number of seconds; using 20");
                SERVICE_TIMEOUT
            }
        },
    };
    Some(ServiceSettings {
        url,
        model,
        api_key: get("API_KEY"),
        timeout,
    })
}

/// The language model (`LADDER_LLM_*`): question generation and the
/// automated evaluator. `None` unless URL and model are both set.
pub(crate) fn llm_config(lookup: &impl Fn(&str) -> Option<String>) -> Option<LlmConfig> {
    let service = service_settings("LADDER_LLM", lookup)?;
    Some(LlmConfig {
        url: service.url,
        model: service.model,
        api_key: service.api_key,
        timeout: service.timeout,
    })
}

/// Speech-to-text (`LADDER_STT_*`) for recorded answers. `None` unless URL
/// and model are both set.
pub(crate) fn stt_config(lookup: &impl Fn(&str) -> Option<String>) -> Option<SttConfig> {
    let service = service_settings("LADDER_STT", lookup)?;
    Some(SttConfig {
        url: service.url,
        model: service.model,
        api_key: service.api_key,
        timeout: service.timeout,
    })
}

/// The process environment as a lookup.
pub(crate) fn environment(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        }
    }

    #[test]
    fn configuration_comes_from_the_environment_variables() {
        assert!(llm_config(&vars(&[])).is_none());
        assert!(
            llm_config(&vars(&[("LADDER_LLM_URL", "http://localhost:11434")])).is_none(),
            "a model is required"
        );
        assert!(
            llm_config(&vars(&[("LADDER_LLM_MODEL", "llama3")])).is_none(),
            "a URL is required"
        );
        assert!(
            llm_config(&vars(&[
                ("LADDER_LLM_URL", " "),
                ("LADDER_LLM_MODEL", "llama3")
            ]))
            .is_none(),
            "blank is unset"
        );

        let config = llm_config(&vars(&[
            ("LADDER_LLM_URL", "http://localhost:11434"),
            ("LADDER_LLM_MODEL", "llama3"),
        ]))
        .expect("config");
        assert_eq!(
            (
                config.url.as_str(),
                config.model.as_str(),
                config.api_key.as_deref(),
                config.timeout
            ),
            (
                "http://localhost:11434",
                "llama3",
                None,
                Duration::from_secs(20)
            )
        );

        let config = llm_config(&vars(&[
            ("LADDER_LLM_URL", "https://api.example.com/v1"),
            ("LADDER_LLM_MODEL", "gpt-x"),
            ("LADDER_LLM_API_KEY", "sk-secret"),
            ("LADDER_LLM_TIMEOUT_SECS", "7"),
        ]))
        .expect("config");
        assert_eq!(
            (config.api_key.as_deref(), config.timeout),
            (Some("sk-secret"), Duration::from_secs(7))
        );
        assert!(
            !format!("{config:?}").contains("sk-secret"),
            "Debug redacts the key: {config:?}"
        );

        let timeout = |value: &str| {
            llm_config(&vars(&[
                ("LADDER_LLM_URL", "http://x"),
                ("LADDER_LLM_MODEL", "m"),
                ("LADDER_LLM_TIMEOUT_SECS", value),
            ]))
            .map(|config| config.timeout)
        };
        assert_eq!(timeout("0.5"), Some(Duration::from_millis(500)));
        for bad in ["0", "-3", "soon", "NaN", "inf"] {
            assert_eq!(timeout(bad), Some(Duration::from_secs(20)), "{bad}");
        }
        // Reading the real environment never panics.
        let _ = llm_config(&environment);
    }

    #[test]
    fn trusted_proxies_come_from_flags_or_else_the_file() {
        let file: FileConfig =
            toml::from_str("trusted_proxies = [\"10.0.0.0/8\", \"::1\"]").expect("toml");
        let name = Path::new("ladder.toml");
        let from_file = trusted_proxies(&[], &file, name).expect("valid");
        assert_eq!(
            from_file
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            ["10.0.0.0/8", "::1"]
        );
        let flag = [parse_trusted_proxy("192.0.2.1").expect("valid")];
        assert_eq!(trusted_proxies(&flag, &file, name).expect("valid"), flag);
        assert!(trusted_proxies(&[], &FileConfig::default(), name)
            .expect("none")
            .is_empty());
        let bad: FileConfig = toml::from_str("trusted_proxies = [\"proxy.local\"]").expect("toml");
        let error = trusted_proxies(&[], &bad, name).expect_err("refused");
        assert!(
            error
                .to_string()
                .starts_with("ladder.toml: trusted_proxies: “proxy.local”"),
            "{error}"
        );
        assert!(parse_trusted_proxy("10.0.0.0/40").is_err());
    }

    #[test]
    fn speech_to_text_configuration_needs_url_and_model() {
        assert!(stt_config(&vars(&[("LADDER_STT_URL", "http://x")])).is_none());
        let config = stt_config(&vars(&[
            ("LADDER_STT_URL", "http://x"),
            ("LADDER_STT_MODEL", "whisper-1"),
            ("LADDER_STT_API_KEY", "sk-secret"),
            ("LADDER_STT_TIMEOUT_SECS", "2.5"),
        ]))
        .expect("configured");
        assert_eq!(config.timeout, Duration::from_millis(2500));
        assert!(!format!("{config:?}").contains("sk-secret"));
        let bad = stt_config(&vars(&[
            ("LADDER_STT_URL", "http://x"),
            ("LADDER_STT_MODEL", "m"),
            ("LADDER_STT_TIMEOUT_SECS", "soon"),
        ]))
        .expect("configured");
        assert_eq!(bad.timeout, SERVICE_TIMEOUT);
    }
}
