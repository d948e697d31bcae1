//! Job-spec operations shared by the API and the web pages: create (optionally
//! from a framework level), edit the draft, publish, and work on round items.
//! Every operation validates first and changes nothing when it fails.

use ladder_core::generate::{Context, Round};
use ladder_core::jobspec::{
    propose_competencies, Competency, FrameworkBasis, JobSpecBody, MustHave, RoundItem,
};
use ladder_core::limits;
use ladder_store::{Actor, JobSpecSummary, JobSpecVersion, VersionSelector};
use rand::Rng;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::generation;
use crate::http::error::{reject, ApiError, ApiResult};
use crate::http::state::AppState;

pub const DEFAULT_QUESTIONS: usize = 3;
pub const DEFAULT_PROMPTS: usize = 4;
const MAX_ITEMS: usize = 30;

pub fn round_from(number: u32) -> ApiResult<Round> {
    match number {
        1 => Ok(Round::One),
        2 => Ok(Round::Two),
        _ => Err(ApiError::not_found(format!(
            "round {number} (job specs have rounds 1 and 2)"
        ))),
    }
}

pub(super) fn items_mut(body: &mut JobSpecBody, round: Round) -> &mut Vec<RoundItem> {
    match round {
        Round::One => &mut body.round1,
        Round::Two => &mut body.round2,
    }
}

pub fn items(body: &JobSpecBody, round: Round) -> &[RoundItem] {
    match round {
        Round::One => &body.round1,
        Round::Two => &body.round2,
    }
}

fn round_field(round: Round) -> &'static str {
    match round {
        Round::One => "round1",
        Round::Two => "round2",
    }
}

/// `v3-` and seven URL-safe random characters.
pub fn version_label(version: u32) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut rng = rand::rng();
    let suffix: String = (0..7)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("v{version}-{suffix}")
}

pub(super) async fn basis_framework(
    state: &AppState,
    basis: Option<&FrameworkBasis>,
) -> ApiResult<Option<std::sync::Arc<ladder_store::StoredFramework>>> {
    let Some(basis) = basis else { return Ok(None) };
    match state.framework(&basis.slug, None).await? {
        Some(stored) => Ok(Some(stored)),
        None => Err(
            ApiError::unprocessable(format!("there is no framework “{}”", basis.slug))
                .field("framework.slug"),
        ),
    }
}

/// New items for a round, from the configured model or the grounded
/// generator; a fallback is recorded in the audit log with its reason.
async fn generate(
    state: &AppState,
    body: &JobSpecBody,
    round: Round,
    count: usize,
    avoid: &[RoundItem],
    target: &str,
    actor: &Actor,
) -> ApiResult<Vec<RoundItem>> {
    let stored = basis_framework(state, body.basis.as_ref()).await?;
    let context = Context {
        spec: body,
        framework: stored.as_ref().map(|s| &s.framework),
    };
    let generated = generation::generate(state.llm(), &context, round, count, avoid).await;
    if let Some(reason) = &generated.fallback_reason {
        let detail = serde_json::json!({ "round": round_field(round), "generator": generated.generator, "reason": reason });
        if let Err(error) = state
            .store()
            .record_event(actor, "jobspec.generation_fallback", target, detail)
            .await
        {
            tracing::warn!(%error, "could not record a generation fallback");
        }
    }
    Ok(generated.items)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewJobSpec {
    pub title: String,
    #[serde(default)]
    pub seniority: String,
    /// The job description (JD).
    #[serde(default)]
    pub description: String,
    /// Start from a framework level: with no competencies given, one is
    /// proposed per topic of that level, equally weighted.
    #[serde(default)]
    pub framework: Option<FrameworkBasis>,
    #[serde(default)]
    pub competencies: Vec<Competency>,
    #[serde(default)]
    pub must_haves: Vec<MustHave>,
    /// How many Round 01 questions to generate (default 3).
    #[serde(default)]
    pub questions: Option<usize>,
    /// How many Round 02 behavioural prompts to generate (default 4).
    #[serde(default)]
    pub prompts: Option<usize>,
}

#[tracing::instrument(skip(state, input, actor))]
pub async fn create(
    state: &AppState,
    input: NewJobSpec,
    actor: &Actor,
) -> ApiResult<JobSpecVersion> {
    let questions = input.questions.unwrap_or(DEFAULT_QUESTIONS);
    let prompts = input.prompts.unwrap_or(DEFAULT_PROMPTS);
    if questions > MAX_ITEMS {
        return Err(
            ApiError::unprocessable(format!("at most {MAX_ITEMS} questions")).field("questions"),
        );
    }
    if prompts > MAX_ITEMS {
        return Err(
            ApiError::unprocessable(format!("at most {MAX_ITEMS} prompts")).field("prompts"),
        );
    }
    let mut body = JobSpecBody {
        title: input.title.trim().to_string(),
        seniority: input.seniority.trim().to_string(),
        description: input.description,
        basis: input.framework,
        competencies: input.competencies,
        must_haves: input.must_haves,
        round1: Vec::new(),
        round2: Vec::new(),
    };
    if body.competencies.is_empty() {
        if let Some(stored) = basis_framework(state, body.basis.as_ref()).await? {
            let level = body.basis.as_ref().map_or(0, |b| b.level);
            body.competencies = propose_competencies(&stored.framework, level)
                .map_err(|message| ApiError::unprocessable(message).field("framework.level"))?;
        }
    } else {
        basis_framework(state, body.basis.as_ref()).await?;
    }
    body.derive_ids();
    reject(&body.problems())?;
    let id = uuid::Uuid::now_v7().to_string();
    body.round1 = generate(state, &body, Round::One, questions, &[], &id, actor).await?;
    body.round2 = generate(state, &body, Round::Two, prompts, &[], &id, actor).await?;
    Ok(state.store().create_job_spec(&id, &body, actor).await?)
}

/// Creates a job spec from a complete body (a file import): items missing
/// from the file are generated.
#[tracing::instrument(skip(state, body, actor))]
pub async fn create_from_body(
    state: &AppState,
    id: Option<&str>,
    mut body: JobSpecBody,
    actor: &Actor,
) -> ApiResult<JobSpecVersion> {
    body.derive_ids();
    reject(&body.problems())?;
    let id = id
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    if body.round1.is_empty() {
        body.round1 =
            generate(state, &body, Round::One, DEFAULT_QUESTIONS, &[], &id, actor).await?;
    }
    if body.round2.is_empty() {
        body.round2 = generate(state, &body, Round::Two, DEFAULT_PROMPTS, &[], &id, actor).await?;
    }
    Ok(state.store().create_job_spec(&id, &body, actor).await?)
}

pub async fn load(
    state: &AppState,
    id: &str,
    selector: &VersionSelector,
) -> ApiResult<(JobSpecSummary, JobSpecVersion)> {
    let summary = state
        .store()
        .job_spec_summary(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("job spec {id}")))?;
    let version = state
        .store()
        .job_spec_version(id, selector)
        .await?
        .ok_or_else(|| {
            ApiError::not_found(format!("{selector} of job spec {id}")).field("version")
        })?;
    Ok((summary, version))
}

/// The body edits start from: the open draft, else the current version.
pub(super) async fn editable(state: &AppState, id: &str) -> ApiResult<JobSpecBody> {
    if let Some(draft) = state
        .store()
        .job_spec_version(id, &VersionSelector::Draft)
        .await?
    {
        return Ok(draft.body);
    }
    Ok(load(state, id, &VersionSelector::Current).await?.1.body)
}

pub(super) async fn save(
    state: &AppState,
    id: &str,
    mut body: JobSpecBody,
    actor: &Actor,
) -> ApiResult<JobSpecVersion> {
    body.derive_ids();
    reject(&body.problems())?;
    Ok(state.store().save_job_spec_draft(id, &body, actor).await?)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JobSpecUpdate {
    pub title: Option<String>,
    pub seniority: Option<String>,
    pub description: Option<String>,
    pub framework: Option<FrameworkBasis>,
    pub competencies: Option<Vec<Competency>>,
    pub must_haves: Option<Vec<MustHave>>,
}

/// Applies the given fields to the draft (opening one after a publish).
#[tracing::instrument(skip(state, update, actor))]
pub async fn update(
    state: &AppState,
    id: &str,
    update: JobSpecUpdate,
    actor: &Actor,
) -> ApiResult<JobSpecVersion> {
    let mut body = editable(state, id).await?;
    if let Some(title) = update.title {
        body.title = title.trim().to_string();
    }
    if let Some(seniority) = update.seniority {
        body.seniority = seniority.trim().to_string();
    }
    if let Some(description) = update.description {
        body.description = description;
    }
    if let Some(framework) = update.framework {
        basis_framework(state, Some(&framework)).await?;
        body.basis = Some(framework);
    }
    if let Some(competencies) = update.competencies {
        body.competencies = competencies;
        body.derive_ids();
        // Items that probed a removed competency stay, detached, for the
        // hiring manager to reassign or delete.
        let ids: Vec<String> = body.competencies.iter().map(|c| c.id.clone()).collect();
        for item in body.round1.iter_mut().chain(body.round2.iter_mut()) {
            if item
                .competency_id
                .as_ref()
                .is_some_and(|id| !ids.contains(id))
            {
                item.competency_id = None;
            }
        }
    }
    if let Some(must_haves) = update.must_haves {
        body.must_haves = must_haves;
    }
    save(state, id, body, actor).await
}

#[tracing::instrument(skip(state, actor))]
pub async fn publish(state: &AppState, id: &str, actor: &Actor) -> ApiResult<JobSpecVersion> {
    let Some(draft) = state
        .store()
        .job_spec_version(id, &VersionSelector::Draft)
        .await?
    else {
        load(state, id, &VersionSelector::Current).await?;
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "conflict",
            "there is no draft to publish: the current version is already published",
        ));
    };
    reject(&draft.body.publish_problems())?;
    Ok(state
        .store()
        .publish_job_spec(id, &version_label(draft.version), actor)
        .await?)
}

fn item_id(round: Round, text: &str) -> String {
    let seed = format!(
        "{}:{}",
        round_field(round),
        ladder_core::text::normalise_for_identity(text)
    );
    format!("q-{}", &ladder_core::text::sha256_hex(seed.as_bytes())[..8])
}

fn same_text(a: &str, b: &str) -> bool {
    ladder_core::text::normalise_for_identity(a) == ladder_core::text::normalise_for_identity(b)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    pub text: String,
    #[serde(default)]
    pub competency_id: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemUpdate {
    pub text: Option<String>,
    /// A competency id, or `null` to detach the item.
    #[serde(default, with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub competency_id: Option<Option<String>>,
}

/// Distinguishes a field that is absent from one that is `null`.
mod double_option {
    use serde::{Deserialize, Deserializer};

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<String>>, D::Error> {
        Option::<String>::deserialize(deserializer).map(Some)
    }
}

/// A question's text within its maximum, named as the request names it.
fn item_text_fits(text: &str) -> ApiResult<()> {
    match limits::text_problem("the question", text, limits::ROUND_ITEM_TEXT) {
        Some(problem) => Err(ApiError::unprocessable(problem).field("text")),
        None => Ok(()),
    }
}

fn check_unique(items: &[RoundItem], text: &str, except: Option<&str>) -> ApiResult<()> {
    if items
        .iter()
        .any(|item| Some(item.id.as_str()) != except && same_text(&item.text, text))
    {
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "conflict",
            "this round already has that question; write a different one",
        )
        .field("text"));
    }
    Ok(())
}

#[tracing::instrument(skip(state, input, actor))]
pub async fn add_item(
    state: &AppState,
    id: &str,
    round: Round,
    input: ItemInput,
    actor: &Actor,
) -> ApiResult<JobSpecVersion> {
    let mut body = editable(state, id).await?;
    let text = input.text.trim().to_string();
    if text.is_empty() {
        return Err(ApiError::unprocessable("write the question text").field("text"));
    }
    item_text_fits(&text)?;
    let list = items_mut(&mut body, round);
    if list.len() >= MAX_ITEMS {
        return Err(
            ApiError::unprocessable(format!("a round holds at most {MAX_ITEMS} items"))
                .field("text"),
        );
    }
    check_unique(list, &text, None)?;
    let mut new_id = item_id(round, &text);
    while list.iter().any(|item| item.id == new_id) {
        new_id = item_id(round, &format!("{text} {new_id}"));
    }
    list.push(RoundItem {
        id: new_id,
        text,
        competency_id: input.competency_id,
        grounding: Vec::new(),
        origin: "edited".to_string(),
        quality: None,
    });
    save(state, id, body, actor).await
}

pub(super) fn position(list: &[RoundItem], item_id: &str) -> ApiResult<usize> {
    list.iter()
        .position(|item| item.id == item_id)
        .ok_or_else(|| ApiError::not_found(format!("item {item_id}")))
}

#[tracing::instrument(skip(state, update, actor))]
pub async fn edit_item(
    state: &AppState,
    id: &str,
    round: Round,
    item_id: &str,
    update: ItemUpdate,
    actor: &Actor,
) -> ApiResult<JobSpecVersion> {
    let mut body = editable(state, id).await?;
    let list = items_mut(&mut body, round);
    let index = position(list, item_id)?;
    if let Some(text) = update.text {
        let text = text.trim().to_string();
        if text.is_empty() {
            return Err(
                ApiError::unprocessable("write the question text, or delete the item")
                    .field("text"),
            );
        }
        item_text_fits(&text)?;
        check_unique(list, &text, Some(item_id))?;
        list[index].text = text;
        list[index].origin = "edited".to_string();
        // The verdict was on the generated words; these are a person's.
        list[index].quality = None;
    }
    if let Some(competency) = update.competency_id {
        list[index].competency_id = competency;
        list[index].origin = "edited".to_string();
    }
    save(state, id, body, actor).await
}

#[tracing::instrument(skip(state, actor))]
pub async fn delete_item(
    state: &AppState,
    id: &str,
    round: Round,
    item_id: &str,
    actor: &Actor,
) -> ApiResult<JobSpecVersion> {
    let mut body = editable(state, id).await?;
    let list = items_mut(&mut body, round);
    let index = position(list, item_id)?;
    list.remove(index);
    save(state, id, body, actor).await
}

#[tracing::instrument(skip(state, ids, actor))]
pub async fn reorder(
    state: &AppState,
    id: &str,
    round: Round,
    ids: &[String],
    actor: &Actor,
) -> ApiResult<JobSpecVersion> {
    let mut body = editable(state, id).await?;
    let list = items_mut(&mut body, round);
    let mut sorted_given: Vec<&str> = ids.iter().map(String::as_str).collect();
    sorted_given.sort_unstable();
    let mut sorted_existing: Vec<&str> = list.iter().map(|item| item.id.as_str()).collect();
    sorted_existing.sort_unstable();
    if sorted_given != sorted_existing {
        return Err(ApiError::unprocessable(
            "give every item id of the round exactly once, in the new order",
        )
        .field("ids"));
    }
    let mut reordered = Vec::with_capacity(list.len());
    for wanted in ids {
        if let Some(index) = list.iter().position(|item| &item.id == wanted) {
            reordered.push(list.remove(index));
        }
    }
    *list = reordered;
    save(state, id, body, actor).await
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Regenerate {
    /// Regenerate only this item (another wording for the same competency);
    /// all items when absent.
    #[serde(default)]
    pub item_id: Option<String>,
    /// Keep hand-edited items when regenerating all (default true).
    #[serde(default)]
    pub keep_edited: Option<bool>,
}

#[tracing::instrument(skip(state, request, actor))]
pub async fn regenerate(
    state: &AppState,
    id: &str,
    round: Round,
    request: Regenerate,
    actor: &Actor,
) -> ApiResult<JobSpecVersion> {
    let mut body = editable(state, id).await?;
    let current: Vec<RoundItem> = items(&body, round).to_vec();
    let replace: Vec<usize> = match &request.item_id {
        Some(item_id) => vec![position(&current, item_id)?],
        None => {
            let keep_edited = request.keep_edited.unwrap_or(true);
            (0..current.len())
                .filter(|&i| !(keep_edited && current[i].is_edited()))
                .collect()
        }
    };
    // Avoid every current text so regenerated items are genuinely new.
    let fresh = generate(state, &body, round, replace.len(), &current, id, actor).await?;
    let list = items_mut(&mut body, round);
    for (slot, item) in replace.into_iter().zip(fresh) {
        list[slot] = item;
    }
    save(state, id, body, actor).await
}

#[derive(Serialize, ToSchema)]
pub struct CandidateSees {
    /// Round 01 questions in the current published version.
    pub round1: usize,
    /// Round 02 prompts in the current published version.
    pub round2: usize,
}

/// The counts a candidate sees come from the current published version.
pub(crate) async fn candidate_sees(
    state: &AppState,
    summary: &JobSpecSummary,
    shown: &JobSpecVersion,
) -> ApiResult<CandidateSees> {
    let published = match summary.current_version {
        Some(current) if current == shown.version => Some(shown.body.clone()),
        Some(current) => state
            .store()
            .job_spec_version(&summary.id, &VersionSelector::Number(current))
            .await?
            .map(|v| v.body),
        None => None,
    };
    Ok(published.map_or(
        CandidateSees {
            round1: 0,
            round2: 0,
        },
        |body| CandidateSees {
            round1: body.round1.len(),
            round2: body.round2.len(),
        },
    ))
}
