//! The server's configuration, typed. The binary reads it once (flags,
//! environment, file) and hands it down; nothing in this crate reads the
//! environment.

use std::path::{Path as FsPath, PathBuf};
use std::time::Duration;

use super::client::IpRange;
use crate::clients::llm::LlmConfig;
use crate::clients::stt::SttConfig;

/// How long a request may take before it is answered with 408.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Mark cookies `Secure` even without `X-Forwarded-Proto: https`.
    pub secure_cookies: bool,
    pub request_timeout: Duration,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Failed logins allowed per client and account (e-mail) in
    /// `login_window`.
    pub login_attempts: usize,
    /// Failed logins allowed per account from all clients together in
    /// `login_window`: when reached, the account cannot log in until the
    /// window ends.
    pub login_account_attempts: usize,
    /// Failed logins allowed per client, whatever the e-mail, in
    /// `login_window`: much higher, since many people may share an address.
    pub login_client_attempts: usize,
    pub login_window: Duration,
    /// Peers whose `X-Forwarded-For` names the client (reverse proxies);
    /// from anyone else the header is ignored.
    pub trusted_proxies: Vec<IpRange>,
    /// The optional language-model question generator.
    pub llm: Option<LlmConfig>,
    /// Recorded answers: blob directory and limits.
    pub audio: AudioConfig,
    /// The optional speech-to-text endpoint for recorded answers.
    pub stt: Option<SttConfig>,
    /// Where people reach this server (`https://ladder.example.com`, no
    /// trailing slash; see [`parse_public_url`]): the start of the absolute
    /// candidate links shown to hiring managers. `None`: links are shown as
    /// paths (`/candidate/…`). The binary always sets it, from the
    /// configuration or else from the listening address.
    pub public_url: Option<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            secure_cookies: false,
            request_timeout: DEFAULT_TIMEOUT,
            body_limit: 8 * 1024 * 1024,
            login_attempts: 10,
            login_account_attempts: 10,
            login_client_attempts: 100,
            login_window: Duration::from_secs(15 * 60),
            trusted_proxies: Vec::new(),
            llm: None,
            audio: AudioConfig::default(),
            stt: None,
            public_url: None,
        }
    }
}

/// The largest recording accepted unless configured otherwise.
pub(crate) const DEFAULT_MAX_BYTES: usize = 10 * 1024 * 1024;
/// Recordings one interview may hold (uploaded, whether or not sent with an
/// answer): a bound on what one candidate link can store.
pub(crate) const DEFAULT_MAX_PER_INTERVIEW: u32 = 60;

/// Where recordings go and how large they may be.
#[derive(Debug, Clone)]
pub struct AudioConfig {
    /// The blob directory; `None` refuses uploads (503) and reads.
    pub blob_dir: Option<PathBuf>,
    pub max_bytes: usize,
    pub max_per_interview: u32,
}

impl Default for AudioConfig {
    fn default() -> Self {
        AudioConfig {
            blob_dir: None,
            max_bytes: DEFAULT_MAX_BYTES,
            max_per_interview: DEFAULT_MAX_PER_INTERVIEW,
        }
    }
}

/// The default blob directory for a database URL: `blobs/` next to a SQLite
/// file, `./ladder-blobs` for PostgreSQL (or an in-memory SQLite database).
pub fn default_blob_dir(database_url: &str) -> PathBuf {
    let sqlite = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"));
    match sqlite {
        Some(rest) => {
            let path = rest.split('?').next().unwrap_or(rest);
            if path.is_empty() || path == ":memory:" {
                return PathBuf::from("ladder-blobs");
            }
            match FsPath::new(path).parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent.join("blobs"),
                _ => PathBuf::from("blobs"),
            }
        }
        None => PathBuf::from("ladder-blobs"),
    }
}

/// A public URL as [`ServerConfig::public_url`] keeps it: `http` or `https`,
/// a host, an optional path prefix (a server behind a proxy at
/// `https://example.com/ladder`), no query or fragment; a trailing slash is
/// dropped. The error is a sentence saying what to fix.
pub fn parse_public_url(text: &str) -> Result<String, String> {
    let text = text.trim();
    let example = "write it like https://ladder.example.com";
    let url = reqwest::Url::parse(text)
        .map_err(|error| format!("“{text}” is not a URL ({error}); {example}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("“{text}” is not an http or https URL; {example}"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("“{text}” names no host; {example}"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "“{text}” has a query or fragment; give only the address, {example}"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "“{text}” holds a user name or password, which would be shown in every link; {example}"
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// The public URL of a server listening on `addr` when none is configured:
/// `http://` and the address, with `localhost` for an unspecified one
/// (`0.0.0.0`, `::`), which no browser can reach.
pub fn public_url_for(addr: std::net::SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("http://localhost:{}", addr.port())
    } else {
        format!("http://{addr}")
    }
}

/// "10 MiB", "512 KiB", "1.5 MiB".
pub fn show_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        if bytes.is_multiple_of(MIB) {
            format!("{} MiB", bytes / MIB)
        } else {
            format!("{:.1} MiB", bytes as f64 / MIB as f64)
        }
    } else if bytes >= 1024 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blob_directory_sits_next_to_a_sqlite_file() {
        assert_eq!(
            default_blob_dir("sqlite://ladder-data/ladder.db"),
            PathBuf::from("ladder-data/blobs")
        );
        assert_eq!(
            default_blob_dir("sqlite:///var/lib/ladder/ladder.db?mode=rwc"),
            PathBuf::from("/var/lib/ladder/blobs")
        );
        assert_eq!(
            default_blob_dir("sqlite://ladder.db"),
            PathBuf::from("blobs")
        );
        assert_eq!(
            default_blob_dir("postgres://ladder@db/ladder"),
            PathBuf::from("ladder-blobs")
        );
    }

    #[test]
    fn public_urls_are_checked_and_kept_without_a_trailing_slash() {
        assert_eq!(
            parse_public_url(" https://ladder.example.com/ ").as_deref(),
            Ok("https://ladder.example.com")
        );
        assert_eq!(
            parse_public_url("http://10.0.0.5:8080/hiring/").as_deref(),
            Ok("http://10.0.0.5:8080/hiring")
        );
        for bad in [
            "ladder.example.com",
            "ftp://ladder.example.com",
            "https://ladder.example.com/?x=1",
            "https://me:secret@ladder.example.com",
        ] {
            let error = parse_public_url(bad).expect_err(bad);
            assert!(error.contains("https://ladder.example.com"), "{error}");
        }
        assert_eq!(
            public_url_for("0.0.0.0:8080".parse().expect("address")),
            "http://localhost:8080"
        );
        assert_eq!(
            public_url_for("127.0.0.1:9000".parse().expect("address")),
            "http://127.0.0.1:9000"
        );
        assert_eq!(
            public_url_for("[::1]:9000".parse().expect("address")),
            "http://[::1]:9000"
        );
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(show_size(10 * 1024 * 1024), "10 MiB");
        assert_eq!(show_size(1536 * 1024), "1.5 MiB");
        assert_eq!(show_size(2048), "2 KiB");
        assert_eq!(show_size(12), "12 bytes");
    }
}
