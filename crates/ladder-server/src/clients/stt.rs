//! Optional speech-to-text for recorded answers (PRODUCT.md §3).
//!
//! When an endpoint is configured (`LADDER_STT_*`, read by the binary), each
//! uploaded recording is sent to an OpenAI-compatible `POST {url}/v1/audio/transcriptions`
//! (multipart form: `file` and `model`; the answer is `{"text": "…"}`), and
//! the transcript is stored with the recording. Nothing depends on it: any
//! failure (network, timeout, HTTP status, an answer without text) is
//! returned as a reason, and the caller keeps the recording without a
//! transcript.
//!
//! Transport as in [`super::llm`]: reqwest over rustls. The multipart body
//! is small and written here, so no extra HTTP features are needed.

use std::fmt;
use std::time::Duration;

use ladder_core::text::collapse_whitespace;
use serde::Deserialize;

/// How long the endpoint gets when `LADDER_STT_TIMEOUT_SECS` is not set:
/// under the default request timeout (30 s), so a slow endpoint still lets
/// the upload answer.
pub const DEFAULT_TIMEOUT: Duration = super::DEFAULT_TIMEOUT;
/// Transcripts longer than this (characters) are cut.
pub const MAX_TRANSCRIPT_CHARS: usize = 20_000;
const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// Where and how to reach the speech-to-text endpoint. `Debug` never shows
/// the API key.
#[derive(Clone)]
pub struct SttConfig {
    /// Base URL, e.g. `https://api.example.com` or `http://127.0.0.1:8000/v1`.
    pub url: String,
    pub model: String,
    pub api_key: Option<String>,
    pub timeout: Duration,
}

impl fmt::Debug for SttConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SttConfig")
            .field("url", &self.url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl SttConfig {
    /// `{url}/v1/audio/transcriptions`, without doubling a `/v1` (or the
    /// whole path) the URL already ends with.
    pub fn endpoint(&self) -> String {
        super::openai_url(&self.url, "audio/transcriptions")
    }
}

#[derive(Deserialize)]
struct Transcription {
    text: Option<String>,
}

/// A `multipart/form-data` body with the fields `model` and `file`.
fn multipart(
    boundary: &str,
    model: &str,
    bytes: &[u8],
    content_type: &str,
    file_name: &str,
) -> Vec<u8> {
    let safe = |text: &str| text.replace(['"', '\r', '\n'], "_");
    let mut body = Vec::with_capacity(bytes.len() + 512);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n{}\r\n",
            safe(model)
        )
        .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
            safe(file_name),
            safe(content_type)
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

fn cut(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((at, _)) => text[..at].to_string(),
        None => text.to_string(),
    }
}

/// The transcript of a recording, or why there is none.
pub async fn transcribe(
    config: &SttConfig,
    bytes: &[u8],
    content_type: &str,
    file_name: &str,
) -> Result<String, String> {
    super::install_crypto_provider();
    let client = reqwest::Client::builder()
        .timeout(config.timeout)
        .build()
        .map_err(|error| {
            format!(
                "could not set up the HTTP client for speech-to-text: {}",
                super::describe(error)
            )
        })?;
    let boundary = format!("ladder-{}", uuid::Uuid::now_v7().simple());
    let mut request = client
        .post(config.endpoint())
        .header(
            reqwest::header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(reqwest::header::ACCEPT, "application/json")
        .body(multipart(
            &boundary,
            &config.model,
            bytes,
            content_type,
            file_name,
        ));
    if let Some(key) = &config.api_key {
        request = request.bearer_auth(key);
    }
    let failure = |error: reqwest::Error| {
        if error.is_timeout() {
            format!(
                "the speech-to-text endpoint did not answer within {} (timed out)",
                super::show_duration(config.timeout)
            )
        } else if error.is_connect() {
            format!(
                "could not connect to the speech-to-text endpoint: {}",
                super::describe(error)
            )
        } else {
            format!(
                "the request to the speech-to-text endpoint failed: {}",
                super::describe(error)
            )
        }
    };
    let mut response = request.send().await.map_err(failure)?;
    let status = response.status();
    let mut body: Vec<u8> = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(failure)? {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err("the speech-to-text response is larger than 1 MiB".to_string());
        }
        body.extend_from_slice(&chunk);
    }
    if !status.is_success() {
        let text = collapse_whitespace(&String::from_utf8_lossy(&body));
        return Err(if text.is_empty() {
            format!("the speech-to-text endpoint answered HTTP {status}")
        } else {
            format!(
                "the speech-to-text endpoint answered HTTP {status}: {}",
                cut(&text, 200)
            )
        });
    }
    let parsed: Transcription = serde_json::from_slice(&body).map_err(|error| {
        format!("the speech-to-text response is not {{\"text\": …}} JSON: {error}")
    })?;
    let text = parsed
        .text
        .map(|t| t.trim().to_string())
        .unwrap_or_default();
    if text.is_empty() {
        return Err("the speech-to-text endpoint returned no text".to_string());
    }
    Ok(cut(&text, MAX_TRANSCRIPT_CHARS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_gets_the_transcriptions_path_once() {
        let config = |url: &str| SttConfig {
            url: url.to_string(),
            model: "m".into(),
            api_key: None,
            timeout: DEFAULT_TIMEOUT,
        };
        assert_eq!(
            config("http://h:1/").endpoint(),
            "http://h:1/v1/audio/transcriptions"
        );
        assert_eq!(
            config("http://h:1/v1").endpoint(),
            "http://h:1/v1/audio/transcriptions"
        );
        assert_eq!(
            config("http://h:1/v1/audio/transcriptions").endpoint(),
            "http://h:1/v1/audio/transcriptions"
        );
    }

    #[test]
    fn the_multipart_body_names_both_fields() {
        let body = multipart("b", "whisper-1", b"OggS", "audio/ogg", "x.ogg");
        let text = String::from_utf8_lossy(&body);
        assert!(text.starts_with(
            "--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n"
        ));
        assert!(text.contains(
            "name=\"file\"; filename=\"x.ogg\"\r\nContent-Type: audio/ogg\r\n\r\nOggS\r\n--b--\r\n"
        ));
    }
}
