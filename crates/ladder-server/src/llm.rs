//! The optional language-model generator (PRODUCT.md §2).
//!
//! When `LADDER_LLM_URL` and `LADDER_LLM_MODEL` are set, an OpenAI-compatible
//! chat-completions endpoint writes round items instead of the offline
//! grounded generator. The product never requires it: without configuration,
//! and on any failure (network, timeout, HTTP status, unparsable or invalid
//! output), generation falls back to the grounded generator and says why in
//! [`Generated::fallback_reason`].
//!
//! Transport: reqwest over rustls with the `ring` provider and the webpki
//! root certificates, so both `https://` endpoints and plain `http://` local
//! gateways work.
//!
//! This module only depends on `ladder_core`, `reqwest`, `rustls`, `serde`,
//! `serde_json`, `tokio` and `tracing` (no `crate::` paths).

use std::collections::HashSet;
use std::fmt;
use std::fmt::Write as _;
use std::time::Duration;

use ladder_core::generate::{self as grounded, Context, Round};
use ladder_core::jobspec::RoundItem;
use ladder_core::text::{collapse_whitespace, normalise_for_identity, sha256_hex};
use serde::Deserialize;

/// How long the model gets when `LADDER_LLM_TIMEOUT_SECS` is not set.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
/// The longest item text accepted from the model, in characters.
pub const MAX_TEXT_CHARS: usize = 600;
/// Grounding criteria offered to the model per competency.
pub const GROUNDING_PER_COMPETENCY: usize = 5;
/// The grounding id of the job description, always on offer; each
/// competency also offers `definition:<competency id>`, as the grounded
/// generator records them.
pub const DESCRIPTION_GROUNDING: &str = "description";
/// Responses larger than this are refused rather than buffered.
const MAX_RESPONSE_BYTES: usize = 2 * 1024 * 1024;
/// Job descriptions are cut to this many characters in the prompt.
const MAX_DESCRIPTION_CHARS: usize = 20_000;

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

/// What configures an optional OpenAI-compatible service (the generator and
/// evaluator, speech-to-text): `{PREFIX}_URL` and `{PREFIX}_MODEL` (both
/// required and non-blank), `{PREFIX}_API_KEY` (optional) and
/// `{PREFIX}_TIMEOUT_SECS` (default 20; anything but a positive number is
/// warned about and ignored).
pub(crate) struct ServiceSettings {
    pub url: String,
    pub model: String,
    pub api_key: Option<String>,
    pub timeout: Duration,
}

impl ServiceSettings {
    pub(crate) fn from_lookup(
        prefix: &str,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Option<ServiceSettings> {
        let get = |suffix: &str| {
            lookup(&format!("{prefix}_{suffix}"))
                .map(|value| value.trim().to_string())
                .filter(|value| !value.is_empty())
        };
        let url = get("URL")?;
        let model = get("MODEL")?;
        let timeout = match get("TIMEOUT_SECS") {
            None => DEFAULT_TIMEOUT,
            Some(text) => match text
                .parse::<f64>()
                .ok()
                .filter(|secs| secs.is_finite() && *secs > 0.0)
                .and_then(|secs| Duration::try_from_secs_f64(secs).ok())
            {
                Some(timeout) => timeout,
                None => {
                    tracing::warn!(value = %text, "{prefix}_TIMEOUT_SECS is not a positive number of seconds; using 20");
                    DEFAULT_TIMEOUT
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

impl LlmConfig {
    /// `None` unless `LADDER_LLM_URL` and `LADDER_LLM_MODEL` are both set and
    /// non-blank. `LADDER_LLM_API_KEY` is optional; `LADDER_LLM_TIMEOUT_SECS`
    /// defaults to 20.
    pub fn from_env() -> Option<LlmConfig> {
        LlmConfig::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`LlmConfig::from_env`] over any source of variables (tests use this
    /// rather than mutating the process environment).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Option<LlmConfig> {
        let service = ServiceSettings::from_lookup("LADDER_LLM", lookup)?;
        Some(LlmConfig {
            url: service.url,
            model: service.model,
            api_key: service.api_key,
            timeout: service.timeout,
        })
    }

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

/// What generation produced and who produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub items: Vec<RoundItem>,
    /// `grounded-bm25` or `llm:<model>`.
    pub generator: String,
    /// Why the model's answer was not used, when a model was configured.
    pub fallback_reason: Option<String>,
}

/// Asks the model for `count` items; on any failure (network, timeout,
/// non-2xx, unparsable or invalid output, wrong count, duplicates of `avoid`,
/// unknown competency ids, empty text) returns the grounded generator's items
/// with `fallback_reason` set. Never panics, never errors.
pub async fn generate(
    config: Option<&LlmConfig>,
    context: &Context<'_>,
    round: Round,
    count: usize,
    avoid: &[RoundItem],
) -> Generated {
    let Some(config) = config else {
        return grounded_items(context, round, count, avoid, None);
    };
    if count == 0 {
        return Generated {
            items: Vec::new(),
            generator: config.generator(),
            fallback_reason: None,
        };
    }
    match ask(config, context, round, count, avoid).await {
        Ok(items) => {
            tracing::debug!(model = %config.model, count = items.len(), "language model generated round items");
            Generated {
                items,
                generator: config.generator(),
                fallback_reason: None,
            }
        }
        Err(reason) => {
            tracing::warn!(model = %config.model, %reason, "language-model generation failed; using the grounded generator");
            grounded_items(context, round, count, avoid, Some(reason))
        }
    }
}

fn grounded_items(
    context: &Context<'_>,
    round: Round,
    count: usize,
    avoid: &[RoundItem],
    fallback_reason: Option<String>,
) -> Generated {
    Generated {
        items: grounded::generate(context, round, count, avoid),
        generator: grounded::GENERATOR.to_string(),
        fallback_reason,
    }
}

/// The two chat messages sent to the model, and the grounding ids it was
/// offered (anything else it cites is dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub system: String,
    pub user: String,
    pub offered: Vec<String>,
}

fn round_label(round: Round) -> &'static str {
    match round {
        Round::One => "round1",
        Round::Two => "round2",
    }
}

/// `q-` and the first 8 hex digits of SHA-256 of `"{round1|round2}\n{text}"`,
/// the same id the grounded generator and `ladder_formats` derive.
pub fn item_id(round: Round, text: &str) -> String {
    let hash = sha256_hex(format!("{}\n{text}", round_label(round)).as_bytes());
    format!("q-{}", hash.get(..8).unwrap_or(&hash))
}

/// [`item_id`], lengthened on the unlikely clash with an id already taken.
fn unique_item_id(round: Round, text: &str, taken: &HashSet<String>) -> String {
    let hash = sha256_hex(format!("{}\n{text}", round_label(round)).as_bytes());
    (8..=hash.len())
        .step_by(2)
        .map(|length| format!("q-{}", hash.get(..length).unwrap_or(&hash)))
        .find(|id| !taken.contains(id))
        .unwrap_or_else(|| format!("q-{hash}-{}", taken.len()))
}

fn cut(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Builds the system and user messages: the job, its competencies with
/// weights and definitions, must-haves, the framework criteria each
/// competency is grounded in (ranked at the spec's basis level), the texts
/// to avoid, and the count.
pub fn build_prompt(
    context: &Context<'_>,
    round: Round,
    count: usize,
    avoid: &[RoundItem],
) -> Prompt {
    let spec = context.spec;
    let (what, style) = match round {
        Round::One => (
            "Round 01 interview questions",
            "Each question is situational or technical: it puts the candidate in a concrete situation from this job, or asks how they would design, debug or decide something the job involves. Questions can be answered in any order.",
        ),
        Round::Two => (
            "Round 02 behavioural prompts",
            "Each prompt is behavioural and asks about the candidate's past experience, starting \"Tell me about a time…\" or similar, so the answer is a real story with situation, actions and outcome. An interviewer reads them aloud in the order given, so order them as a natural conversation.",
        ),
    };
    let competency_rule = if spec.competencies.is_empty() {
        "The job has no competencies yet: set \"competency_id\" to null."
    } else {
        "Cover the competencies in proportion to their weights, and set \"competency_id\" to the id of the competency the item probes."
    };
    let system = format!(
        "You are an experienced interviewer on a hiring panel, writing {what} for one job.\n\
         {style}\n\
         {competency_rule} Ground every item in the criteria listed for its competency and put the ids of the criteria it draws on in \"grounding\" (\"definition:<competency id>\" for a competency's definition, \"{DESCRIPTION_GROUNDING}\" for the job description). Never invent ids.\n\
         Each text is one self-contained question of at most {MAX_TEXT_CHARS} characters, without numbering or labels, and differs from every other item and from the items to avoid.\n\
         Answer with JSON only, exactly in this shape: {{\"items\": [{{\"text\": \"...\", \"competency_id\": \"...\", \"grounding\": [\"...\"]}}]}}"
    );

    let mut offered: Vec<String> = vec![DESCRIPTION_GROUNDING.to_string()];
    let mut user = String::new();
    let _ = writeln!(user, "Job title: {}", collapse_whitespace(&spec.title));
    if !spec.seniority.trim().is_empty() {
        let _ = writeln!(user, "Seniority: {}", collapse_whitespace(&spec.seniority));
    }
    if !spec.description.trim().is_empty() {
        let _ = writeln!(
            user,
            "\nJob description:\n\"\"\"\n{}\n\"\"\"",
            cut(spec.description.trim(), MAX_DESCRIPTION_CHARS)
        );
    }
    if !spec.competencies.is_empty() {
        let _ = writeln!(
            user,
            "\nCompetencies (id: name, weight; then the definition under its grounding id):"
        );
        for competency in &spec.competencies {
            let _ = writeln!(
                user,
                "- {}: {}, weight {}",
                competency.id,
                collapse_whitespace(&competency.name),
                competency.weight.decimal()
            );
            let definition_id = format!("definition:{}", competency.id);
            if !competency.definition.trim().is_empty() {
                let _ = writeln!(
                    user,
                    "  {definition_id}: {}",
                    collapse_whitespace(&competency.definition)
                );
            }
            if !offered.contains(&definition_id) {
                offered.push(definition_id);
            }
        }
        let split: Vec<String> = grounded::apportion(&spec.competencies, count)
            .into_iter()
            .map(|(id, n)| format!("{id} {n}"))
            .collect();
        let _ = writeln!(
            user,
            "Items per competency, in proportion to the weights: {}",
            split.join(", ")
        );
    }
    if !spec.must_haves.is_empty() {
        let _ = writeln!(user, "\nMust-haves:");
        for must in &spec.must_haves {
            let _ = writeln!(
                user,
                "- {}{}",
                collapse_whitespace(&must.text),
                if must.required {
                    " (required)"
                } else {
                    " (nice to have)"
                }
            );
        }
    }
    if let (Some(framework), Some(basis)) = (context.framework, spec.basis.as_ref()) {
        let mut section = String::new();
        for competency in &spec.competencies {
            let ranked = grounded::rank_criteria(
                framework,
                basis.level,
                competency,
                GROUNDING_PER_COMPETENCY,
            );
            if ranked.is_empty() {
                continue;
            }
            let _ = writeln!(section, "{}:", competency.id);
            for entry in ranked {
                let id = &entry.criterion.id;
                let stretch = if entry.stretch {
                    format!(" (stretch: {})", framework.level_label(entry.level))
                } else {
                    String::new()
                };
                let _ = writeln!(
                    section,
                    "- {id}: {}{stretch}",
                    collapse_whitespace(&entry.criterion.text)
                );
                if !offered.contains(id) {
                    offered.push(id.clone());
                }
            }
        }
        if !section.is_empty() {
            let _ = write!(
                user,
                "\nGrounding criteria from {} at {}, per competency (id: behaviour):\n{section}",
                collapse_whitespace(&framework.title),
                framework.level_label(basis.level)
            );
        }
    }
    let avoid_texts: Vec<String> = avoid
        .iter()
        .map(|item| collapse_whitespace(&item.text))
        .filter(|text| !text.is_empty())
        .collect();
    if !avoid_texts.is_empty() {
        let _ = writeln!(user, "\nExisting items: do not repeat or rephrase these:");
        for text in avoid_texts {
            let _ = writeln!(user, "- {text}");
        }
    }
    let noun = match round {
        Round::One => "interview questions",
        Round::Two => "behavioural prompts",
    };
    let _ = write!(
        user,
        "\nWrite exactly {count} {noun}. Answer with the JSON object only."
    );
    Prompt {
        system,
        user,
        offered,
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

#[derive(Deserialize)]
#[serde(untagged)]
enum Output {
    Object { items: Vec<OutputItem> },
    Bare(Vec<OutputItem>),
}

#[derive(Deserialize)]
struct OutputItem {
    text: String,
    #[serde(default)]
    competency_id: Option<String>,
    #[serde(default)]
    grounding: Vec<String>,
}

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

fn quote(text: &str) -> String {
    format!("“{}”", cut(&collapse_whitespace(text), 80))
}

async fn ask(
    config: &LlmConfig,
    context: &Context<'_>,
    round: Round,
    count: usize,
    avoid: &[RoundItem],
) -> Result<Vec<RoundItem>, String> {
    let prompt = build_prompt(context, round, count, avoid);
    let content = chat(config, &prompt.system, &prompt.user).await?;
    validate(
        context,
        round,
        count,
        avoid,
        &prompt.offered,
        &config.generator(),
        &content,
    )
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

/// Checks the model's output and turns it into round items; any problem is
/// the reason to fall back.
fn validate(
    context: &Context<'_>,
    round: Round,
    count: usize,
    avoid: &[RoundItem],
    offered: &[String],
    generator: &str,
    content: &str,
) -> Result<Vec<RoundItem>, String> {
    let output: Output = serde_json::from_str(strip_code_fence(content)).map_err(|error| {
        format!("the model's output is not the expected JSON ({{\"items\": [...]}}): {error}")
    })?;
    let mut items = match output {
        Output::Object { items } | Output::Bare(items) => items,
    };
    if items.len() < count {
        return Err(format!(
            "the model returned {} items; {count} were asked for",
            items.len()
        ));
    }
    items.truncate(count);
    let competency_ids: Vec<&str> = context
        .spec
        .competencies
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    let mut seen: HashSet<String> = avoid
        .iter()
        .map(|item| normalise_for_identity(&item.text))
        .collect();
    let mut taken: HashSet<String> = avoid.iter().map(|item| item.id.clone()).collect();
    let mut result = Vec::with_capacity(count);
    for (index, item) in items.into_iter().enumerate() {
        let number = index + 1;
        let text = item.text.trim().to_string();
        if text.is_empty() {
            return Err(format!("item {number} from the model has empty text"));
        }
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(format!(
                "item {number} from the model is longer than {MAX_TEXT_CHARS} characters"
            ));
        }
        let competency_id = item
            .competency_id
            .map(|id| id.trim().to_string())
            .filter(|id| !id.is_empty());
        match (&competency_id, competency_ids.is_empty()) {
            (None, false) => return Err(format!("item {number} from the model names no competency")),
            (Some(id), true) => return Err(format!("item {number} from the model names unknown competency “{id}”; the spec has no competencies")),
            (Some(id), false) if !competency_ids.contains(&id.as_str()) => {
                return Err(format!("item {number} from the model names unknown competency “{id}”; known: {}", competency_ids.join(", ")));
            }
            _ => {}
        }
        let key = normalise_for_identity(&text);
        if !seen.insert(key.clone()) {
            let existing = avoid.iter().any(|a| normalise_for_identity(&a.text) == key);
            return Err(if existing {
                format!(
                    "item {number} from the model repeats an existing item: {}",
                    quote(&text)
                )
            } else {
                format!(
                    "item {number} from the model repeats another of its items: {}",
                    quote(&text)
                )
            });
        }
        let mut grounding: Vec<String> = Vec::new();
        for id in item.grounding {
            let mut id = id.trim().to_string();
            if let (Some(competency), "definition") = (&competency_id, id.as_str()) {
                id = format!("definition:{competency}");
            }
            if offered.contains(&id) && !grounding.contains(&id) {
                grounding.push(id);
            }
        }
        let id = unique_item_id(round, &text, &taken);
        taken.insert(id.clone());
        result.push(RoundItem {
            id,
            text,
            competency_id,
            grounding,
            origin: format!("generated:{generator}"),
        });
    }
    Ok(result)
}
