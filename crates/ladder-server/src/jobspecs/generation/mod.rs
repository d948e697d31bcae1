//! Round items for a job spec: from the configured language model when
//! there is one, else (and on any failure of the model) from the offline
//! grounded generator in `ladder_core::generate`. The model's output is
//! checked item by item; whatever is wrong with it becomes the fallback
//! reason, recorded by the caller.

use std::collections::HashSet;
use std::fmt::Write as _;

use ladder_core::generate::{self as grounded, Context, Round};
use ladder_core::jobspec::RoundItem;
use ladder_core::text::{collapse_whitespace, normalise_for_identity, sha256_hex};
use serde::Deserialize;

use crate::clients::cut;
use crate::clients::llm::{chat, strip_code_fence, LlmConfig};

/// The longest item text accepted from the model, in characters.
pub(super) const MAX_TEXT_CHARS: usize = 600;
/// Grounding criteria offered to the model per competency.
pub(super) const GROUNDING_PER_COMPETENCY: usize = 5;
/// The grounding id of the job description, always on offer; each
/// competency also offers `definition:<competency id>`, as the grounded
/// generator records them.
pub(super) const DESCRIPTION_GROUNDING: &str = "description";
/// Job descriptions are cut to this many characters in the prompt.
const MAX_DESCRIPTION_CHARS: usize = 20_000;

/// What generation produced and who produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Generated {
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
pub(super) async fn generate(
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
pub(super) struct Prompt {
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
fn item_id(round: Round, text: &str) -> String {
    let hash = sha256_hex(format!("{}\n{text}", round_label(round)).as_bytes());
    format!("q-{}", hash.get(..8).unwrap_or(&hash))
}

/// [`item_id`], lengthened on the unlikely clash with an id already taken.
fn unique_item_id(round: Round, text: &str, taken: &HashSet<String>) -> String {
    let first = item_id(round, text);
    if !taken.contains(&first) {
        return first;
    }
    let hash = sha256_hex(format!("{}\n{text}", round_label(round)).as_bytes());
    (10..=hash.len())
        .step_by(2)
        .map(|length| format!("q-{}", hash.get(..length).unwrap_or(&hash)))
        .find(|id| !taken.contains(id))
        .unwrap_or_else(|| format!("q-{hash}-{}", taken.len()))
}

/// Builds the system and user messages: the job, its competencies with
/// weights and definitions, must-haves, the framework criteria each
/// competency is grounded in (ranked at the spec's basis level), the texts
/// to avoid, and the count.
pub(super) fn build_prompt(
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
        if text.contains('\0') {
            return Err(format!(
                "item {number} from the model contains a NUL character"
            ));
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
        let mut item = RoundItem {
            id,
            text,
            competency_id,
            grounding,
            origin: format!("generated:{generator}"),
            quality: None,
        };
        // The model's items pass the same check as the offline generator's.
        let verdict = grounded::check_item(context, round, &item);
        if !verdict.passed {
            return Err(format!(
                "item {number} from the model failed the quality check ({}): {}",
                verdict.problems.join("; "),
                quote(&item.text)
            ));
        }
        item.quality = Some(verdict);
        taken.insert(item.id.clone());
        result.push(item);
    }
    Ok(result)
}

#[cfg(test)]
mod tests;
