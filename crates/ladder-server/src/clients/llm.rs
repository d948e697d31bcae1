//! The language-model client: one OpenAI-compatible chat completion that
//! asks for a JSON object, and the configuration to reach the model. What is
//! asked and how the answer is checked belong to the features that ask
//! (question generation, the automated evaluator).

use std::fmt;
use std::time::Duration;

use ladder_core::text::collapse_whitespace;
use serde::Deserialize;

use super::{cut, describe, install_crypto_provider, openai_url, show_duration};

/// Responses larger than this are refused rather than buffered.
const MAX_RESPONSE_BYTES: usize = 2 * 1024 * 1024;

/// Where and how to reach the model. `Debug` never shows the API key.
#[derive(Clone)]
pub struct LlmConfig {
    /// Base URL of the OpenAI-compatible server, e.g. `https://api.example.com`
    /// or `http://127.0.0.1:11434/v1`.
    pub url: String,
    pub model: String,
    pub api_key: Option<String>,
    /// For the whole request, from connecting until the body is read.
    pub timeout: Duration,
}

impl fmt::Debug for LlmConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LlmConfig")
            .field("url", &self.url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl LlmConfig {
    /// `{url}/v1/chat/completions`, without doubling a `/v1` (or the whole
    /// path) the URL already ends with; trailing slashes are ignored.
    pub fn endpoint(&self) -> String {
        openai_url(&self.url, "chat/completions")
    }

    /// The generator name items record: `llm:<model>`.
    pub fn generator(&self) -> String {
        format!("llm:{}", self.model)
    }
}

#[derive(Deserialize)]
struct Completion {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: Message,
}

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    content: Option<String>,
}

fn request_failure(error: reqwest::Error, config: &LlmConfig) -> String {
    if error.is_timeout() {
        format!(
            "the language model did not answer within {} (timed out)",
            show_duration(config.timeout)
        )
    } else if error.is_connect() {
        format!(
            "could not connect to the language model: {}",
            describe(error)
        )
    } else {
        format!(
            "the request to the language model failed: {}",
            describe(error)
        )
    }
}

/// A model sometimes wraps JSON in a Markdown code fence despite being asked
/// not to; take what is inside.
pub(crate) fn strip_code_fence(content: &str) -> &str {
    let trimmed = content.trim();
    let Some(rest) = trimmed.strip_prefix("```") else {
        return trimmed;
    };
    let rest = rest.strip_suffix("```").unwrap_or(rest);
    let rest = rest
        .strip_prefix("json")
        .or_else(|| rest.strip_prefix("JSON"))
        .unwrap_or(rest);
    rest.trim()
}

/// One chat completion asking for a JSON object: the message content the
/// model answered, or why there is none (network, timeout, HTTP status, a
/// response that is not a chat completion).
pub(crate) async fn chat(config: &LlmConfig, system: &str, user: &str) -> Result<String, String> {
    let body = serde_json::json!({
        "model": config.model,
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
        ],
        "temperature": 0.2,
        "response_format": {"type": "json_object"},
    });
    install_crypto_provider();
    let client = reqwest::Client::builder()
        .timeout(config.timeout)
        .build()
        .map_err(|error| {
            format!(
                "could not set up the HTTP client for the language model: {}",
                describe(error)
            )
        })?;
    let mut request = client.post(config.endpoint()).json(&body);
    if let Some(key) = &config.api_key {
        request = request.bearer_auth(key);
    }
    let mut response = request
        .send()
        .await
        .map_err(|error| request_failure(error, config))?;
    let status = response.status();
    let mut bytes: Vec<u8> = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| request_failure(error, config))?
    {
        if bytes.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(format!(
                "the language model's response is larger than {} MiB",
                MAX_RESPONSE_BYTES / (1024 * 1024)
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    if !status.is_success() {
        let text = collapse_whitespace(&String::from_utf8_lossy(&bytes));
        return Err(if text.is_empty() {
            format!("the language model answered HTTP {status}")
        } else {
            format!(
                "the language model answered HTTP {status}: {}",
                cut(&text, 200)
            )
        });
    }
    let completion: Completion = serde_json::from_slice(&bytes).map_err(|error| {
        format!("the language model's response is not a chat completion: {error}")
    })?;
    completion
        .choices
        .into_iter()
        .next()
        .and_then(|choice| choice.message.content)
        .ok_or_else(|| "the language model's response has no message content".to_string())
}
