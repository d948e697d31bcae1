//! Clients of the optional OpenAI-compatible services: a language model
//! (question generation, the automated evaluator) and speech-to-text. Both go
//! through reqwest over rustls with the `ring` provider and the webpki roots,
//! so `https://` endpoints and plain `http://` local gateways both work.
//! Nothing here knows about features; each call returns what the service
//! said or why it said nothing useful, as a sentence.

use std::time::Duration;

pub mod llm;
pub mod stt;

/// How long a service gets when its timeout is not configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

/// Installs the TLS crypto provider the HTTP client needs (idempotent). Anything in
/// this process that builds a `reqwest` client must call it first.
pub fn install_crypto_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // Err means a provider is already installed, which is just as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// "300ms", "20s", "1.5s".
pub(crate) fn show_duration(duration: Duration) -> String {
    if duration < Duration::from_secs(1) {
        format!("{} ms", duration.as_millis())
    } else if duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

/// The error and its causes, without the URL (which may carry credentials).
pub(crate) fn describe(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// `{url}/v1/{path}`, without doubling a `/v1` (or the whole path) the URL
/// already ends with; trailing slashes are ignored.
pub(crate) fn openai_url(url: &str, path: &str) -> String {
    let base = url.trim().trim_end_matches('/');
    if base.ends_with(&format!("/{path}")) {
        base.to_string()
    } else if base.ends_with("/v1") {
        format!("{base}/{path}")
    } else {
        format!("{base}/v1/{path}")
    }
}

/// At most `limit` characters of `text`, with an ellipsis when cut.
pub(crate) fn cut(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}
