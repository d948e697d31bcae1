//! Job-spec pages (PRODUCT.md §2): the list, the new-spec form, one version of
//! a spec with its weights and interview rounds, the editor, the version
//! history and the diff between two versions.
//!
//! As elsewhere in this crate, every decision (which controls show, what a
//! banner says, where a link points) is made here in Rust; the templates only
//! print. Weights are exact basis points throughout, never floats.

use askama::Template;
use ladder_core::jobspec::{Change, FrameworkBasis, JobSpecBody, RoundItem, Weight};

use crate::format::{criterion_href, encode_component, framework_href, job_spec_href, plural};
use crate::forms::FieldError;
use crate::markdown::render_markdown;
use crate::view::{render, Layout, Page};

// ---------------------------------------------------------------- inputs

/// One job spec in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSpecRow {
    pub id: String,
    pub title: String,
    pub seniority: String,
    /// The published version's label, `None` before the first publish.
    pub current_label: Option<String>,
    /// The open draft, if any.
    pub draft_version: Option<u32>,
    /// Already formatted for display.
    pub updated: String,
}

/// A framework offered as the basis of a new spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkOption {
    pub slug: String,
    pub title: String,
}

/// The new-spec form as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJobSpecInput {
    pub title: String,
    pub seniority: String,
    pub description: String,
    /// A framework slug; empty for none.
    pub framework: String,
    pub level: String,
    pub questions: String,
    pub prompts: String,
}

impl Default for NewJobSpecInput {
    fn default() -> NewJobSpecInput {
        NewJobSpecInput {
            title: String::new(),
            seniority: String::new(),
            description: String::new(),
            framework: String::new(),
            level: String::new(),
            questions: "3".to_string(),
            prompts: "4".to_string(),
        }
    }
}

/// One version of a spec, as the detail page shows it.
#[derive(Debug, Clone, Copy)]
pub struct JobSpecView<'a> {
    pub id: &'a str,
    pub version: u32,
    /// `v1-U_WN6k` once published.
    pub label: Option<&'a str>,
    pub published: bool,
    pub body: &'a JobSpecBody,
    pub current_version: Option<u32>,
    pub current_label: Option<&'a str>,
    pub draft_version: Option<u32>,
    /// Round 01 questions in the current published version (0 before the
    /// first publish).
    pub candidate_sees: usize,
    /// The basis framework's title, when the spec has a basis and it exists.
    pub basis_title: Option<&'a str>,
    /// Already formatted for display.
    pub created: &'a str,
    pub created_by: &'a str,
    pub published_at: Option<&'a str>,
    /// Whether the viewer may create, edit and publish job specs.
    pub can_edit: bool,
}

/// A failed change on the detail page, shown next to the form it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecError {
    /// The API's field name (`text`, `competencies[].weight`), if any.
    pub field: Option<String>,
    pub message: String,
    /// The round whose form failed; `None`: the page as a whole (publish).
    pub round: Option<u32>,
    /// The item whose form failed; `None` with a round: the add form, or
    /// regenerating the whole round.
    pub item_id: Option<String>,
    /// What was typed, put back into the failing form.
    pub text: Option<String>,
}

/// One competency row of the editor, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompetencyInput {
    pub id: String,
    pub name: String,
    /// `0.35` or `35%`.
    pub weight: String,
    pub definition: String,
}

impl CompetencyInput {
    pub fn is_empty(&self) -> bool {
        [&self.id, &self.name, &self.weight, &self.definition]
            .iter()
            .all(|field| field.trim().is_empty())
    }
}

/// One must-have row of the editor, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MustHaveInput {
    pub text: String,
    pub required: bool,
}

/// The editor's fields, as typed (or as stored).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobSpecForm {
    pub title: String,
    pub seniority: String,
    pub description: String,
    pub competencies: Vec<CompetencyInput>,
    pub must_haves: Vec<MustHaveInput>,
}

impl JobSpecForm {
    pub fn from_body(body: &JobSpecBody) -> JobSpecForm {
        JobSpecForm {
            title: body.title.clone(),
            seniority: body.seniority.clone(),
            description: body.description.clone(),
            competencies: body
                .competencies
                .iter()
                .map(|c| CompetencyInput {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    weight: c.weight.decimal(),
                    definition: c.definition.clone(),
                })
                .collect(),
            must_haves: body
                .must_haves
                .iter()
                .map(|m| MustHaveInput {
                    text: m.text.clone(),
                    required: m.required,
                })
                .collect(),
        }
    }
}

/// What the editor edits.
#[derive(Debug, Clone, Copy)]
pub struct EditTarget<'a> {
    pub id: &'a str,
    /// The version being edited: the draft, or the current version.
    pub version: u32,
    pub label: Option<&'a str>,
    pub published: bool,
    /// The number a new draft would get (latest + 1).
    pub next_version: u32,
    pub basis: Option<&'a FrameworkBasis>,
    pub basis_title: Option<&'a str>,
}

/// One version in the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSpecVersionRow {
    pub version: u32,
    pub label: Option<String>,
    pub published: bool,
    /// The version interviews are currently pinned to.
    pub current: bool,
    /// Exact, e.g. "1.00".
    pub total_weight: String,
    pub balanced: bool,
    pub created_by: String,
    /// Already formatted for display.
    pub created: String,
    pub published_at: Option<String>,
}

/// Two versions compared.
#[derive(Debug, Clone, Copy)]
pub struct DiffView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub from: u32,
    pub to: u32,
    /// Every version, for the from/to selects (newest first).
    pub versions: &'a [JobSpecVersionRow],
    pub changes: &'a [Change],
}

// ---------------------------------------------------------------- helpers

/// "v2-a8Kd_3x", or "draft v3" for an unpublished version.
pub fn version_name(version: u32, label: Option<&str>) -> String {
    match label {
        Some(label) if !label.is_empty() => label.to_string(),
        _ => format!("draft v{version}"),
    }
}

/// "Total weight: 1.00 ✓ balanced", or the same words as
/// [`JobSpecBody::balance_message`] ("Total weight: 0.95 — add 0.05").
fn total_weight_text(total: u64) -> (String, bool) {
    let one = u64::from(Weight::ONE.0);
    let show = |points: u64| Weight(u32::try_from(points).unwrap_or(u32::MAX)).decimal();
    match total.cmp(&one) {
        std::cmp::Ordering::Equal => (format!("Total weight: {} ✓ balanced", show(total)), true),
        std::cmp::Ordering::Less => (
            format!("Total weight: {} — add {}", show(total), show(one - total)),
            false,
        ),
        std::cmp::Ordering::Greater => (
            format!(
                "Total weight: {} — remove {}",
                show(total),
                show(total - one)
            ),
            false,
        ),
    }
}

/// The editor's running total: the sum of every weight that parses (empty
/// and malformed ones count as nothing, exactly as `app.js` does).
fn typed_total(rows: &[CompetencyInput]) -> (String, bool) {
    let total: u64 = rows
        .iter()
        .filter_map(|row| Weight::parse(&row.weight).ok())
        .map(|weight| u64::from(weight.basis_points()))
        .sum();
    total_weight_text(total)
}

/// The level a criterion id names (`topic.l4.0a1b2c3d4e` -> 4).
fn criterion_level(id: &str) -> Option<u32> {
    id.split('.')
        .find_map(|part| part.strip_prefix('l').and_then(|n| n.parse().ok()))
}

struct ErrorView {
    field: String,
    message: String,
}

fn error_view(field: Option<&str>, message: &str) -> ErrorView {
    ErrorView {
        field: field.unwrap_or_default().to_string(),
        message: message.to_string(),
    }
}

struct Link {
    href: String,
    text: String,
}

struct OptionView {
    value: String,
    label: String,
    selected: bool,
}

fn competency_options(body: &JobSpecBody, chosen: Option<&str>) -> Vec<OptionView> {
    let mut options = vec![OptionView {
        value: String::new(),
        label: "— none —".to_string(),
        selected: matches!(chosen, None | Some("")),
    }];
    options.extend(body.competencies.iter().map(|c| OptionView {
        value: c.id.clone(),
        label: c.name.clone(),
        selected: chosen == Some(c.id.as_str()),
    }));
    options
}

// ---------------------------------------------------------------- list

#[derive(Template)]
#[template(path = "jobspec_list.html")]
struct ListTemplate<'a> {
    layout: Layout<'a>,
    can_edit: bool,
    rows: Vec<ListRow<'a>>,
}

struct ListRow<'a> {
    id: &'a str,
    href: String,
    title: &'a str,
    seniority: &'a str,
    label: Option<&'a str>,
    draft: Option<Link>,
    updated: &'a str,
}

/// Every job spec; `can_edit` adds the "New job spec" button.
pub fn job_spec_list(page: &Page, rows: &[JobSpecRow], can_edit: bool) -> String {
    let rows = rows
        .iter()
        .map(|row| {
            let href = job_spec_href(&row.id);
            ListRow {
                id: &row.id,
                title: &row.title,
                seniority: &row.seniority,
                label: row.current_label.as_deref(),
                // Only worth saying when there is also a published version.
                draft: row
                    .draft_version
                    .filter(|_| row.current_label.is_some())
                    .map(|draft| Link {
                        href: format!("{href}?version=draft"),
                        text: format!("draft v{draft} open"),
                    }),
                href,
                updated: &row.updated,
            }
        })
        .collect();
    render(&ListTemplate {
        layout: Layout::new(page),
        can_edit,
        rows,
    })
}

// ---------------------------------------------------------------- new

#[derive(Template)]
#[template(path = "jobspec_new.html")]
struct NewTemplate<'a> {
    layout: Layout<'a>,
    input: &'a NewJobSpecInput,
    frameworks: Vec<OptionView>,
    top_error: Option<ErrorView>,
    title_error: Option<String>,
    seniority_error: Option<String>,
    description_error: Option<String>,
    framework_error: Option<String>,
    level_error: Option<String>,
    questions_error: Option<String>,
    prompts_error: Option<String>,
}

const NEW_FIELDS: [&str; 7] = [
    "title",
    "seniority",
    "description",
    "framework",
    "level",
    "questions",
    "prompts",
];

/// The new-spec form, with what was typed and the problem, if any, shown at
/// its field.
pub fn job_spec_new(
    page: &Page,
    input: &NewJobSpecInput,
    frameworks: &[FrameworkOption],
    error: Option<&FieldError>,
) -> String {
    let at = |field: &str| {
        error
            .filter(|e| e.field == field)
            .map(|e| e.message.clone())
    };
    let top_error = error
        .filter(|e| !NEW_FIELDS.contains(&e.field.as_str()))
        .map(|e| error_view(Some(&e.field), &e.message));
    let mut options = vec![OptionView {
        value: String::new(),
        label: "— none: start without competencies —".to_string(),
        selected: input.framework.is_empty(),
    }];
    options.extend(frameworks.iter().map(|f| OptionView {
        value: f.slug.clone(),
        label: f.title.clone(),
        selected: f.slug == input.framework,
    }));
    render(&NewTemplate {
        layout: Layout::new(page),
        input,
        frameworks: options,
        top_error,
        title_error: at("title"),
        seniority_error: at("seniority"),
        description_error: at("description"),
        framework_error: at("framework"),
        level_error: at("level"),
        questions_error: at("questions"),
        prompts_error: at("prompts"),
    })
}

// ---------------------------------------------------------------- show

#[derive(Template)]
#[template(path = "jobspec_show.html")]
struct ShowTemplate<'a> {
    layout: Layout<'a>,
    id: &'a str,
    version: u32,
    title: &'a str,
    seniority: &'a str,
    is_draft: bool,
    version_name: String,
    dates: String,
    basis: Option<Link>,
    banner: Option<Banner>,
    edit_href: Option<String>,
    publish: Option<PublishView>,
    versions_href: String,
    diff: Option<Link>,
    top_error: Option<ErrorView>,
    description_html: String,
    competencies_subtitle: String,
    competencies: Vec<CompetencyView<'a>>,
    total_text: String,
    total_class: &'static str,
    rounds: Vec<RoundView<'a>>,
    editable: bool,
    must_haves: Vec<MustView<'a>>,
}

struct Banner {
    class: &'static str,
    text: String,
    link: Option<Link>,
}

struct PublishView {
    action: String,
    label: String,
}

struct CompetencyView<'a> {
    id: &'a str,
    name: &'a str,
    decimal: String,
    percent: String,
    definition: &'a str,
}

struct RoundView<'a> {
    /// "round1" / "round2": the list's class and the section's id.
    class: &'static str,
    heading: &'static str,
    subtitle: &'static str,
    count_class: &'static str,
    count_text: String,
    empty: &'static str,
    noun: &'static str,
    items: Vec<ItemView<'a>>,
    add_action: String,
    regenerate_action: String,
    add_text: String,
    add_options: Vec<OptionView>,
    add_error: Option<ErrorView>,
    add_open: bool,
    error: Option<ErrorView>,
}

struct ItemView<'a> {
    id: &'a str,
    dom_id: String,
    text: &'a str,
    edited: bool,
    origin: &'a str,
    competency: Option<CompetencyRef>,
    grounding: Vec<GroundingView>,
    edit_text: String,
    options: Vec<OptionView>,
    edit_action: String,
    delete_action: String,
    move_action: String,
    first: bool,
    last: bool,
    error: Option<ErrorView>,
    open: bool,
}

struct CompetencyRef {
    id: String,
    name: String,
}

struct GroundingView {
    text: String,
    href: Option<String>,
}

struct MustView<'a> {
    text: &'a str,
    required: bool,
}

/// Who sees what, in a sentence, for the version shown.
fn banner(spec: &JobSpecView, href: &str) -> Option<Banner> {
    let current_name = spec
        .current_version
        .map(|v| version_name(v, spec.current_label));
    if !spec.published {
        let text = match &current_name {
            Some(current) => format!(
                "Draft v{} — not yet published; candidates see {current}.",
                spec.version
            ),
            None => format!(
                "Draft v{} — not yet published; candidates see nothing until it is.",
                spec.version
            ),
        };
        return Some(Banner {
            class: "draft-banner",
            text,
            link: current_name.map(|current| Link {
                href: href.to_string(),
                text: format!("See {current}"),
            }),
        });
    }
    if spec.current_version != Some(spec.version) {
        return Some(Banner {
            class: "old-version",
            text: match &current_name {
                Some(current) => format!(
                    "{} is an older version; candidates now see {current}.",
                    version_name(spec.version, spec.label)
                ),
                None => format!(
                    "{} is an older version.",
                    version_name(spec.version, spec.label)
                ),
            },
            link: current_name.map(|current| Link {
                href: href.to_string(),
                text: format!("See {current}"),
            }),
        });
    }
    spec.draft_version.map(|draft| Banner {
        class: "draft-open",
        text: format!("Draft v{draft} has unpublished changes."),
        link: Some(Link {
            href: format!("{href}?version=draft"),
            text: format!("See draft v{draft}"),
        }),
    })
}

fn round_view<'a>(
    spec: &JobSpecView<'a>,
    number: u32,
    items: &'a [RoundItem],
    href: &str,
    error: Option<&SpecError>,
) -> RoundView<'a> {
    let body = spec.body;
    let round_href = format!("{href}/rounds/{number}");
    let round_error = error.filter(|e| e.round == Some(number));
    let items_view = items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let item_href = format!("{round_href}/items/{}", encode_component(&item.id));
            let item_error = round_error.filter(|e| e.item_id.as_deref() == Some(item.id.as_str()));
            ItemView {
                id: &item.id,
                dom_id: format!("item-{}", encode_component(&item.id).replace('%', "_")),
                text: &item.text,
                edited: item.is_edited(),
                origin: &item.origin,
                competency: item.competency_id.as_ref().map(|id| CompetencyRef {
                    id: id.clone(),
                    name: body
                        .competencies
                        .iter()
                        .find(|c| &c.id == id)
                        .map_or_else(|| id.clone(), |c| c.name.clone()),
                }),
                grounding: item
                    .grounding
                    .iter()
                    .map(|ground| grounding(body.basis.as_ref(), ground))
                    .collect(),
                edit_text: item_error
                    .and_then(|e| e.text.clone())
                    .unwrap_or_else(|| item.text.clone()),
                options: competency_options(body, item.competency_id.as_deref()),
                edit_action: item_href.clone(),
                delete_action: format!("{item_href}/delete"),
                move_action: format!("{item_href}/move"),
                first: index == 0,
                last: index + 1 == items.len(),
                open: item_error.is_some(),
                error: item_error.map(|e| error_view(e.field.as_deref(), &e.message)),
            }
        })
        .collect();
    let round_level = round_error.filter(|e| e.item_id.is_none());
    // A round-level error with typed text came from the add form.
    let add_error = round_level.filter(|e| e.text.is_some());
    let (class, heading, subtitle, noun, count_class, count_text, empty) = if number == 1 {
        (
            "round1",
            "Interview questions",
            "Round 01 · generated from the JD and the competencies · edit anytime",
            "question",
            "candidate-sees",
            format!(
                "{} currently · candidate sees {}{}",
                items.len(),
                spec.candidate_sees,
                if spec.current_version.is_none() {
                    " (nothing is published yet)"
                } else {
                    ""
                }
            ),
            "No interview questions yet.",
        )
    } else {
        (
            "round2",
            "Behavioral round (Round 02)",
            "Voice Q&A · pre-generated from the JD · edit anytime",
            "prompt",
            "round2-count",
            format!(
                "{} · walked through in order during Round 02",
                plural(items.len(), "prompt", "prompts")
            ),
            "No behavioural prompts yet.",
        )
    };
    RoundView {
        class,
        heading,
        subtitle,
        count_class,
        count_text,
        empty,
        noun,
        items: items_view,
        add_action: format!("{round_href}/items"),
        regenerate_action: format!("{round_href}/regenerate"),
        add_text: add_error.and_then(|e| e.text.clone()).unwrap_or_default(),
        add_options: competency_options(body, None),
        add_open: add_error.is_some(),
        add_error: add_error.map(|e| error_view(e.field.as_deref(), &e.message)),
        error: round_level
            .filter(|e| e.text.is_none())
            .map(|e| error_view(e.field.as_deref(), &e.message)),
    }
}

fn grounding(basis: Option<&FrameworkBasis>, id: &str) -> GroundingView {
    match id {
        "definition" => GroundingView {
            text: "the competency's definition".to_string(),
            href: None,
        },
        "description" => GroundingView {
            text: "the job description".to_string(),
            href: None,
        },
        _ => GroundingView {
            text: id.to_string(),
            href: basis.map(|basis| {
                criterion_href(&basis.slug, criterion_level(id).unwrap_or(basis.level), id)
            }),
        },
    }
}

/// One version of a job spec: identity, weights, both rounds and the
/// must-haves; for editors, the controls that change the draft. `error` is a
/// failed change, shown at the form it came from.
pub fn job_spec(page: &Page, spec: &JobSpecView, error: Option<&SpecError>) -> String {
    let body = spec.body;
    let href = job_spec_href(spec.id);
    // Item controls change the draft (opening one on the current version), so
    // they only show on the version they would change.
    let editable = spec.can_edit
        && (!spec.published
            || (spec.draft_version.is_none() && spec.current_version == Some(spec.version)));
    let competencies = body
        .competencies
        .iter()
        .map(|c| CompetencyView {
            id: &c.id,
            name: &c.name,
            decimal: c.weight.decimal(),
            percent: c.weight.percent(),
            definition: &c.definition,
        })
        .collect();
    let total = body.total_weight();
    let (total_text, balanced) = match body.balance_message() {
        Some(message) => (message, false),
        None => (
            format!("Total weight: {} ✓ balanced", total.decimal()),
            true,
        ),
    };
    let publish = spec
        .draft_version
        .filter(|_| spec.can_edit)
        .map(|draft| PublishView {
            action: format!("{href}/publish"),
            label: format!("Publish draft v{draft}"),
        });
    let diff = match (spec.current_version, spec.draft_version) {
        (Some(current), Some(draft)) => Some(Link {
            href: format!("{href}/diff?from={current}&to={draft}"),
            text: format!(
                "What changed since {}",
                version_name(current, spec.current_label)
            ),
        }),
        _ => None,
    };
    let dates = match spec.published_at {
        Some(published) => format!("Published {published} · created by {}", spec.created_by),
        None => format!("Saved {} by {}", spec.created, spec.created_by),
    };
    let top_error = error
        .filter(|e| e.round.is_none())
        .map(|e| error_view(e.field.as_deref(), &e.message));
    render(&ShowTemplate {
        layout: Layout::new(page),
        id: spec.id,
        version: spec.version,
        title: &body.title,
        seniority: &body.seniority,
        is_draft: !spec.published,
        version_name: version_name(spec.version, spec.label),
        dates,
        basis: body.basis.as_ref().map(|basis| Link {
            href: format!("{}?level={}", framework_href(&basis.slug), basis.level),
            text: format!(
                "{} · level {}",
                spec.basis_title.unwrap_or(&basis.slug),
                basis.level
            ),
        }),
        banner: banner(spec, &href),
        edit_href: spec.can_edit.then(|| format!("{href}/edit")),
        publish,
        versions_href: format!("{href}/versions"),
        diff,
        top_error,
        description_html: if body.description.trim().is_empty() {
            String::new()
        } else {
            render_markdown(&body.description)
        },
        competencies_subtitle: format!("weights sum to {}", total.decimal()),
        competencies,
        total_text,
        total_class: if balanced { "balanced" } else { "unbalanced" },
        rounds: vec![
            round_view(spec, 1, &body.round1, &href, error),
            round_view(spec, 2, &body.round2, &href, error),
        ],
        editable,
        must_haves: body
            .must_haves
            .iter()
            .map(|m| MustView {
                text: &m.text,
                required: m.required,
            })
            .collect(),
    })
}

// ---------------------------------------------------------------- edit

#[derive(Template)]
#[template(path = "jobspec_edit.html")]
struct EditTemplate<'a> {
    layout: Layout<'a>,
    spec_href: String,
    action: String,
    heading: String,
    editing: String,
    basis: Option<Link>,
    form: &'a JobSpecForm,
    top_error: Option<ErrorView>,
    title_error: Option<String>,
    seniority_error: Option<String>,
    description_error: Option<String>,
    competencies_error: Option<ErrorView>,
    competencies: Vec<CompetencyRowView>,
    must_haves: Vec<MustRowView>,
    total_text: String,
    total_class: &'static str,
}

struct CompetencyRowView {
    index: usize,
    id: String,
    name: String,
    weight: String,
    definition: String,
    id_error: Option<String>,
    name_error: Option<String>,
    weight_error: Option<String>,
    definition_error: Option<String>,
}

struct MustRowView {
    index: usize,
    text: String,
    required: bool,
    error: Option<String>,
}

/// Empty rows offered for adding without JavaScript.
const EXTRA_ROWS: usize = 2;

/// The editor for the draft (or the current version, which saving turns
/// into a new draft). `form` is what to show: the stored body, or what was
/// typed when saving failed; `error` is shown at its field.
pub fn job_spec_edit(
    page: &Page,
    target: &EditTarget,
    form: &JobSpecForm,
    error: Option<&FieldError>,
) -> String {
    let href = job_spec_href(target.id);
    let at = |field: &str| {
        error
            .filter(|e| e.field == field)
            .map(|e| e.message.clone())
    };
    let mut placed = false;
    let mut competencies: Vec<CompetencyRowView> = form
        .competencies
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let field = |name: &str| {
                let path = format!("competencies[{index}].{name}");
                error
                    .filter(|e| e.field == path)
                    .map(|e| format!("{path}: {}", e.message))
            };
            CompetencyRowView {
                index,
                id: row.id.clone(),
                name: row.name.clone(),
                weight: row.weight.clone(),
                definition: row.definition.clone(),
                id_error: field("id"),
                name_error: field("name"),
                weight_error: field("weight"),
                definition_error: field("definition"),
            }
        })
        .collect();
    placed |= competencies.iter().any(|row| {
        row.id_error.is_some()
            || row.name_error.is_some()
            || row.weight_error.is_some()
            || row.definition_error.is_some()
    });
    let start = competencies.len();
    competencies.extend((start..start + EXTRA_ROWS).map(|index| CompetencyRowView {
        index,
        id: String::new(),
        name: String::new(),
        weight: String::new(),
        definition: String::new(),
        id_error: None,
        name_error: None,
        weight_error: None,
        definition_error: None,
    }));
    let mut must_haves: Vec<MustRowView> = form
        .must_haves
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let path = format!("must_haves[{index}].text");
            MustRowView {
                index,
                text: row.text.clone(),
                required: row.required,
                error: error
                    .filter(|e| e.field == path)
                    .map(|e| format!("{path}: {}", e.message)),
            }
        })
        .collect();
    placed |= must_haves.iter().any(|row| row.error.is_some());
    let start = must_haves.len();
    must_haves.extend((start..start + EXTRA_ROWS).map(|index| MustRowView {
        index,
        text: String::new(),
        required: true,
        error: None,
    }));
    let title_error = at("title");
    let seniority_error = at("seniority");
    let description_error = at("description");
    // Balance and "at least one" problems belong to the table as a whole.
    let competencies_error = error
        .filter(|e| e.field == "competencies" || e.field == "competencies[].weight")
        .map(|e| error_view(Some(&e.field), &e.message));
    placed |= title_error.is_some()
        || seniority_error.is_some()
        || description_error.is_some()
        || competencies_error.is_some();
    let top_error = error
        .filter(|_| !placed)
        .map(|e| error_view(Some(&e.field), &format!("{}: {}", e.field, e.message)));
    let (total_text, balanced) = typed_total(&form.competencies);
    let editing = if target.published {
        format!(
            "You are editing {}; saving opens draft v{}. The published version does not change.",
            version_name(target.version, target.label),
            target.next_version
        )
    } else {
        format!(
            "You are editing draft v{}. Publish it from the job spec's page.",
            target.version
        )
    };
    render(&EditTemplate {
        layout: Layout::new(page),
        action: format!("{href}/edit"),
        spec_href: if target.published {
            href.clone()
        } else {
            format!("{href}?version=draft")
        },
        heading: format!("Edit {}", form.title),
        editing,
        basis: target.basis.map(|basis| Link {
            href: format!("{}?level={}", framework_href(&basis.slug), basis.level),
            text: format!(
                "{} · level {}",
                target.basis_title.unwrap_or(&basis.slug),
                basis.level
            ),
        }),
        form,
        top_error,
        title_error,
        seniority_error,
        description_error,
        competencies_error,
        competencies,
        must_haves,
        total_text,
        total_class: if balanced { "balanced" } else { "unbalanced" },
    })
}

// ---------------------------------------------------------------- versions

#[derive(Template)]
#[template(path = "jobspec_versions.html")]
struct VersionsTemplate<'a> {
    layout: Layout<'a>,
    title: &'a str,
    spec_href: String,
    rows: Vec<VersionView<'a>>,
    form: DiffForm,
}

struct VersionView<'a> {
    version: u32,
    name: String,
    href: String,
    status: &'static str,
    current: bool,
    total_weight: &'a str,
    balanced: bool,
    created_by: &'a str,
    created: &'a str,
    published_at: Option<&'a str>,
}

struct DiffForm {
    action: String,
    from: Vec<OptionView>,
    to: Vec<OptionView>,
}

fn diff_form(id: &str, versions: &[JobSpecVersionRow], from: u32, to: u32) -> DiffForm {
    let options = |chosen: u32| {
        versions
            .iter()
            .map(|v| OptionView {
                value: v.version.to_string(),
                label: format!(
                    "{} (v{})",
                    version_name(v.version, v.label.as_deref()),
                    v.version
                ),
                selected: v.version == chosen,
            })
            .collect()
    };
    DiffForm {
        action: format!("{}/diff", job_spec_href(id)),
        from: options(from),
        to: options(to),
    }
}

/// The default pair to compare: the current version against the latest, or
/// the latest against the one before it.
pub fn default_diff_pair(versions: &[JobSpecVersionRow]) -> (u32, u32) {
    let latest = versions.iter().map(|v| v.version).max().unwrap_or(1);
    let current = versions.iter().find(|v| v.current).map(|v| v.version);
    let from = match current {
        Some(current) if current != latest => current,
        _ => versions
            .iter()
            .map(|v| v.version)
            .filter(|&v| v < latest)
            .max()
            .unwrap_or(latest),
    };
    (from, latest)
}

/// The version history (`rows` newest first) and a form to compare two.
pub fn job_spec_versions(page: &Page, id: &str, title: &str, rows: &[JobSpecVersionRow]) -> String {
    let href = job_spec_href(id);
    let (from, to) = default_diff_pair(rows);
    let views = rows
        .iter()
        .map(|row| VersionView {
            version: row.version,
            name: version_name(row.version, row.label.as_deref()),
            href: if row.published {
                format!("{href}?version={}", row.version)
            } else {
                format!("{href}?version=draft")
            },
            status: if row.published { "published" } else { "draft" },
            current: row.current,
            total_weight: &row.total_weight,
            balanced: row.balanced,
            created_by: &row.created_by,
            created: &row.created,
            published_at: row.published_at.as_deref(),
        })
        .collect();
    render(&VersionsTemplate {
        layout: Layout::new(page),
        title,
        spec_href: href,
        rows: views,
        form: diff_form(id, rows, from, to),
    })
}

// ---------------------------------------------------------------- diff

#[derive(Template)]
#[template(path = "jobspec_diff.html")]
struct DiffTemplate<'a> {
    layout: Layout<'a>,
    title: &'a str,
    spec_href: String,
    versions_href: String,
    heading: String,
    summary: String,
    form: DiffForm,
    groups: Vec<ChangeGroup<'a>>,
}

struct ChangeGroup<'a> {
    area: &'a str,
    heading: String,
    changes: Vec<ChangeView<'a>>,
}

struct ChangeView<'a> {
    kind: &'a str,
    key: &'a str,
    /// Whether the key says more than the area heading already does.
    show_key: bool,
    from: Option<&'a str>,
    to: Option<&'a str>,
}

const AREAS: &[(&str, &str)] = &[
    ("title", "Title"),
    ("seniority", "Seniority"),
    ("description", "Job description"),
    ("weight", "Weights"),
    ("competency", "Competencies"),
    ("definition", "Definitions"),
    ("must_have", "Must-haves"),
    ("round1", "Interview questions (Round 01)"),
    ("round2", "Behavioral prompts (Round 02)"),
];

fn area_rank(area: &str) -> usize {
    AREAS
        .iter()
        .position(|(known, _)| *known == area)
        .unwrap_or(AREAS.len())
}

/// What changed between two versions, grouped by area (weights, competencies,
/// must-haves, each round).
pub fn job_spec_diff(page: &Page, view: &DiffView) -> String {
    let href = job_spec_href(view.id);
    let name = |number: u32| {
        view.versions
            .iter()
            .find(|v| v.version == number)
            .map_or_else(
                || format!("v{number}"),
                |v| version_name(v.version, v.label.as_deref()),
            )
    };
    let mut groups: Vec<ChangeGroup> = Vec::new();
    for change in view.changes {
        let item = ChangeView {
            kind: &change.kind,
            key: &change.key,
            show_key: change.key != change.area,
            from: change.from.as_deref(),
            to: change.to.as_deref(),
        };
        match groups.iter_mut().find(|g| g.area == change.area) {
            Some(group) => group.changes.push(item),
            None => groups.push(ChangeGroup {
                area: &change.area,
                heading: AREAS
                    .iter()
                    .find(|(known, _)| *known == change.area)
                    .map_or_else(|| change.area.clone(), |(_, heading)| heading.to_string()),
                changes: vec![item],
            }),
        }
    }
    groups.sort_by_key(|g| area_rank(g.area));
    let summary = if view.from == view.to {
        "Choose two different versions to compare.".to_string()
    } else if view.changes.is_empty() {
        "Nothing changed between these versions.".to_string()
    } else {
        format!("{}.", plural(view.changes.len(), "change", "changes"))
    };
    render(&DiffTemplate {
        layout: Layout::new(page),
        title: view.title,
        versions_href: format!("{href}/versions"),
        spec_href: href,
        heading: format!("{} → {}", name(view.from), name(view.to)),
        summary,
        form: diff_form(view.id, view.versions, view.from, view.to),
        groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ladder_core::jobspec::{diff, Competency, MustHave};

    fn body() -> JobSpecBody {
        let competency = |id: &str, name: &str, points: u32| Competency {
            id: id.into(),
            name: name.into(),
            weight: Weight(points),
            definition: format!("{name} <defined>"),
        };
        let item = |id: &str, text: &str, competency: &str, origin: &str| RoundItem {
            id: id.into(),
            text: text.into(),
            competency_id: Some(competency.into()),
            grounding: vec!["backend.l4.0a1b2c3d4e".into(), "definition".into()],
            origin: origin.into(),
        };
        JobSpecBody {
            title: "Senior Backend Engineer — Payments Platform".into(),
            seniority: "senior".into(),
            description: "Build **payments**.".into(),
            basis: Some(FrameworkBasis {
                slug: "engineering-backend".into(),
                level: 4,
            }),
            competencies: vec![
                competency(
                    "distributed_systems_rigor",
                    "Distributed Systems Rigor",
                    3500,
                ),
                competency(
                    "postgres_transactional_design",
                    "Postgres Transactional Design",
                    2500,
                ),
                competency(
                    "domain_ownership_and_reliability",
                    "Domain Ownership & Reliability",
                    2500,
                ),
                competency(
                    "payments_domain_expertise",
                    "Payments Domain Expertise",
                    1500,
                ),
            ],
            must_haves: vec![MustHave {
                text: "5+ years of production backend systems engineering".into(),
                required: true,
            }],
            round1: vec![
                item(
                    "q-1",
                    "How do you make retries safe?",
                    "distributed_systems_rigor",
                    "generated:grounded",
                ),
                item(
                    "q-2",
                    "Design a ledger.",
                    "postgres_transactional_design",
                    "edited",
                ),
                item(
                    "q-3",
                    "Tell me about an incident.",
                    "domain_ownership_and_reliability",
                    "generated:grounded",
                ),
            ],
            round2: vec![
                item(
                    "p-1",
                    "Walk me through a hard call.",
                    "payments_domain_expertise",
                    "generated:grounded",
                ),
                item(
                    "p-2",
                    "Describe a conflict.",
                    "distributed_systems_rigor",
                    "generated:grounded",
                ),
            ],
        }
    }

    fn page() -> Page<'static> {
        Page {
            title: "Job spec",
            nav: &[],
            user: None,
            csrf: Some("tok"),
            flash: None,
            current_slug: None,
        }
    }

    fn view(body: &JobSpecBody) -> JobSpecView<'_> {
        JobSpecView {
            id: "e08648f7",
            version: 1,
            label: Some("v1-U_WN6k"),
            published: true,
            body,
            current_version: Some(1),
            current_label: Some("v1-U_WN6k"),
            draft_version: None,
            candidate_sees: 3,
            basis_title: Some("Engineering — Backend"),
            created: "2024-01-01",
            created_by: "ada@example.com",
            published_at: Some("2024-01-02"),
            can_edit: true,
        }
    }

    /// The element's text with tags removed and entities for `&<>"` decoded.
    fn text(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&#38;", "&")
            .replace("&#60;", "<")
            .replace("&#62;", ">")
            .replace("&#34;", "\"")
    }

    fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
        let at = html
            .find(start)
            .unwrap_or_else(|| panic!("{start} not in page"));
        let stop = at
            + html[at..]
                .find(end)
                .unwrap_or_else(|| panic!("{end} after {start}"));
        &html[at..stop]
    }

    #[test]
    fn totals_match_the_core_balance_message() {
        assert_eq!(
            total_weight_text(10_000),
            ("Total weight: 1.00 ✓ balanced".to_string(), true)
        );
        for points in [0u32, 1, 9500, 3333, 10_001, 12_500] {
            let mut spec = body();
            spec.competencies.truncate(1);
            spec.competencies[0].weight = Weight(points);
            assert_eq!(
                total_weight_text(u64::from(points)).0,
                spec.balance_message().unwrap_or_default(),
                "{points}"
            );
        }
        let rows = |weights: &[&str]| -> Vec<CompetencyInput> {
            weights
                .iter()
                .map(|w| CompetencyInput {
                    weight: w.to_string(),
                    ..Default::default()
                })
                .collect()
        };
        assert_eq!(
            typed_total(&rows(&["0.35", "25%", ".25", "0.1500"])).0,
            "Total weight: 1.00 ✓ balanced"
        );
        assert_eq!(
            typed_total(&rows(&["0.35", "25%", "0.25", "0.10", "", "oops"])).0,
            "Total weight: 0.95 — add 0.05"
        );
        assert_eq!(
            typed_total(&rows(&["0.6", "60%"])).0,
            "Total weight: 1.20 — remove 0.20"
        );
    }

    #[test]
    fn criterion_levels_come_from_ids() {
        assert_eq!(criterion_level("backend.l4.0a1b2c3d4e"), Some(4));
        assert_eq!(criterion_level("system-design.l12.ff"), Some(12));
        assert_eq!(criterion_level("definition"), None);
    }

    #[test]
    fn detail_page_rebuilds_the_seed_with_its_hooks() {
        let spec = body();
        let html = job_spec(&page(), &view(&spec), None);
        assert!(html.contains("<h1>Senior Backend Engineer — Payments Platform</h1>"));
        assert!(text(between(&html, "<p class=\"jobspec-meta\"", "</p>"))
            .contains("senior · version v1-U_WN6k"));
        assert!(html.contains("<span class=\"version-label\">v1-U_WN6k</span>"));
        assert!(html.contains("<code>e08648f7</code>"));
        let table = between(&html, "<table class=\"data competencies\"", "</table>");
        assert_eq!(table.matches("<tr data-competency=").count(), 4);
        assert!(text(table).contains("Domain Ownership & Reliability"));
        assert!(html.contains("weights sum to 1.00"));
        let weight = between(
            &html,
            "<li class=\"weight\" data-competency=\"distributed_systems_rigor\"",
            "</li>",
        );
        assert!(text(weight).contains("35%0.35"), "{weight}");
        assert!(
            html.contains("<p class=\"total-weight balanced\">Total weight: 1.00 ✓ balanced</p>")
        );
        assert!(text(&html).contains("3 currently · candidate sees 3"));
        let round1 = between(&html, "<ol class=\"round1", "</ol>");
        assert_eq!(round1.matches("<li class=\"round-item").count(), 3);
        assert!(round1.contains("data-item=\"q-2\""));
        assert!(round1
            .contains("href=\"/frameworks/engineering-backend?level=4#backend.l4.0a1b2c3d4e\""));
        assert!(round1.contains(">edited<"));
        assert!(round1.contains(">generated:grounded<"));
        let round2 = between(&html, "<ol class=\"round2", "</ol>");
        assert_eq!(round2.matches("<li class=\"round-item").count(), 2);
        assert!(text(&html).contains("2 prompts · walked through in order during Round 02"));
        let must = between(&html, "<ul class=\"must-haves\"", "</ul>");
        assert!(text(must).contains("required5+ years"), "{must}");
        // Editors of the current version (no draft) get every control.
        assert!(html.contains("href=\"/job-specs/e08648f7/edit\""));
        assert!(html.contains("action=\"/job-specs/e08648f7/rounds/1/items/q-1\""));
        assert!(html.contains("action=\"/job-specs/e08648f7/rounds/1/items/q-1/delete\""));
        assert!(html.contains("action=\"/job-specs/e08648f7/rounds/2/items/p-2/move\""));
        assert!(html.contains("action=\"/job-specs/e08648f7/rounds/2/items\""));
        assert!(html.contains("name=\"keep_edited\" value=\"on\" checked"));
        assert!(
            !html.contains("/publish\""),
            "nothing to publish without a draft"
        );
        // Markup in user text is escaped.
        assert!(html.contains("Distributed Systems Rigor &#60;defined&#62;"));
    }

    #[test]
    fn readers_and_old_versions_get_no_controls() {
        let spec = body();
        let mut reader = view(&spec);
        reader.can_edit = false;
        let html = job_spec(&page(), &reader, None);
        assert!(!html.contains("/edit\""));
        assert!(!html.contains("method=\"post\" action=\"/job-specs"));

        let mut old = view(&spec);
        old.current_version = Some(2);
        old.current_label = Some("v2-abcdefg");
        let html = job_spec(&page(), &old, None);
        assert!(
            text(&html).contains("v1-U_WN6k is an older version; candidates now see v2-abcdefg.")
        );
        assert!(!html.contains("/rounds/1/items/q-1/delete"));
    }

    #[test]
    fn drafts_show_a_banner_publish_and_an_unbalanced_total() {
        let mut spec = body();
        spec.competencies[3].weight = Weight(1000);
        let mut draft = view(&spec);
        draft.version = 2;
        draft.label = None;
        draft.published = false;
        draft.draft_version = Some(2);
        draft.published_at = None;
        let error = SpecError {
            field: Some("competencies[].weight".into()),
            message: "Total weight: 0.95 — add 0.05: weights must sum to exactly 1.00 to publish"
                .into(),
            ..Default::default()
        };
        let html = job_spec(&page(), &draft, Some(&error));
        assert!(html.contains("<span class=\"version-label\">draft v2</span>"));
        assert!(text(&html).contains("Draft v2 — not yet published; candidates see v1-U_WN6k."));
        assert!(
            html.contains("<p class=\"total-weight unbalanced\">Total weight: 0.95 — add 0.05</p>")
        );
        assert!(html.contains("action=\"/job-specs/e08648f7/publish\""));
        assert!(html.contains("href=\"/job-specs/e08648f7/diff?from=1&#38;to=2\""));
        let shown = between(&html, "<p class=\"error\"", "</p>");
        assert!(shown.contains("data-field=\"competencies[].weight\""));
        assert!(shown.contains("weights must sum to exactly 1.00 to publish"));
        // Controls show on the draft.
        assert!(html.contains("/rounds/1/items/q-1/delete"));
    }

    #[test]
    fn item_errors_show_at_their_form_with_the_typed_text() {
        let spec = body();
        let error = SpecError {
            field: Some("text".into()),
            message: "this round already has that question".into(),
            round: Some(1),
            item_id: Some("q-2".into()),
            text: Some("How do you make retries safe?".into()),
        };
        let html = job_spec(&page(), &view(&spec), Some(&error));
        let item = between(&html, "data-item=\"q-2\"", "</li>");
        assert!(item.contains("<p class=\"error\" role=\"alert\" data-field=\"text\">"));
        assert!(item.contains("<details class=\"item-edit\" open>"));
        assert!(item.contains(">How do you make retries safe?</textarea>"));

        let add = SpecError {
            field: Some("text".into()),
            message: "write the question text".into(),
            round: Some(2),
            item_id: None,
            text: Some(String::new()),
        };
        let html = job_spec(&page(), &view(&spec), Some(&add));
        let form = between(
            &html,
            "action=\"/job-specs/e08648f7/rounds/2/items\"",
            "</form>",
        );
        assert!(form.contains("write the question text"));
    }

    #[test]
    fn editor_keeps_input_places_errors_and_totals() {
        let spec = body();
        let mut form = JobSpecForm::from_body(&spec);
        form.competencies[3].weight = "ten".into();
        let target = EditTarget {
            id: "e08648f7",
            version: 1,
            label: Some("v1-U_WN6k"),
            published: true,
            next_version: 2,
            basis: spec.basis.as_ref(),
            basis_title: None,
        };
        let error = FieldError {
            field: "competencies[3].weight".into(),
            message: "“ten” is not a weight".into(),
        };
        let html = job_spec_edit(&page(), &target, &form, Some(&error));
        assert!(text(&html).contains("saving opens draft v2"));
        assert!(html.contains("<p class=\"error\" data-field=\"competencies[3].weight\""));
        assert!(text(&html).contains("competencies[3].weight: “ten” is not a weight"));
        assert!(html.contains("value=\"ten\""));
        assert!(html.contains("<output id=\"total-weight\" class=\"total-weight unbalanced\""));
        assert!(html.contains("Total weight: 0.85 — add 0.15</output>"));
        // Four rows plus two empty ones, and must-have checkboxes by index.
        assert_eq!(
            html.matches("name=\"competency_weight\"").count(),
            4 + EXTRA_ROWS + 1,
            "rows plus the template row"
        );
        assert!(html.contains("name=\"must_required\" value=\"0\" checked"));
        assert!(html.contains("name=\"must_required\" value=\"1\" checked"));
        // An error for a field the form does not have goes on top.
        let error = FieldError {
            field: "round1[0].competency_id".into(),
            message: "there is no competency gone".into(),
        };
        let html = job_spec_edit(&page(), &target, &form, Some(&error));
        assert!(text(&html).contains("round1[0].competency_id: there is no competency gone"));
    }

    #[test]
    fn new_form_keeps_input_and_highlights_the_field() {
        let input = NewJobSpecInput {
            title: "Payments <Eng>".into(),
            framework: "engineering-backend".into(),
            level: "x".into(),
            ..Default::default()
        };
        let frameworks = [FrameworkOption {
            slug: "engineering-backend".into(),
            title: "Backend".into(),
        }];
        let error = FieldError {
            field: "level".into(),
            message: "choose a level".into(),
        };
        let html = job_spec_new(&page(), &input, &frameworks, Some(&error));
        assert!(html.contains("value=\"Payments &#60;Eng&#62;\""));
        assert!(html.contains("<option value=\"engineering-backend\" selected>"));
        assert!(html.contains(
            "<p class=\"error\" id=\"level-error\" data-field=\"level\">choose a level</p>"
        ));
        assert!(html.contains("name=\"questions\" value=\"3\""));
        assert!(html.contains("name=\"prompts\" value=\"4\""));
    }

    #[test]
    fn list_offers_new_only_to_editors() {
        let rows = [JobSpecRow {
            id: "a b".into(),
            title: "Payments".into(),
            seniority: "senior".into(),
            current_label: None,
            draft_version: Some(1),
            updated: "today".into(),
        }];
        let html = job_spec_list(&page(), &rows, true);
        assert!(html.contains("href=\"/job-specs/new\""));
        assert!(html.contains("href=\"/job-specs/a%20b\""));
        assert!(html.contains(">draft<"));
        assert!(!job_spec_list(&page(), &rows, false).contains("href=\"/job-specs/new\""));
    }

    #[test]
    fn diff_groups_changes_by_area() {
        let old = body();
        let mut new = body();
        new.competencies[0].weight = Weight(4000);
        new.competencies[3].weight = Weight(1000);
        new.title = "Staff Backend Engineer".into();
        let changes = diff(&old, &new);
        let versions = vec![
            JobSpecVersionRow {
                version: 2,
                label: None,
                published: false,
                current: false,
                total_weight: "1.00".into(),
                balanced: true,
                created_by: "ada".into(),
                created: "t".into(),
                published_at: None,
            },
            JobSpecVersionRow {
                version: 1,
                label: Some("v1-U_WN6k".into()),
                published: true,
                current: true,
                total_weight: "1.00".into(),
                balanced: true,
                created_by: "ada".into(),
                created: "t".into(),
                published_at: Some("t".into()),
            },
        ];
        assert_eq!(default_diff_pair(&versions), (1, 2));
        let html = job_spec_diff(
            &page(),
            &DiffView {
                id: "e08648f7",
                title: "Payments",
                from: 1,
                to: 2,
                versions: &versions,
                changes: &changes,
            },
        );
        assert!(text(&html).contains("v1-U_WN6k → draft v2"));
        let weight = between(&html, "<li class=\"change\" data-area=\"weight\"", "</li>");
        assert_eq!(text(weight), "distributed_systems_rigor: 0.35 → 0.40");
        assert!(html.find("data-area=\"title\"") < html.find("data-area=\"weight\""));
        assert_eq!(
            html.matches("<li class=\"change\" data-area=\"weight\"")
                .count(),
            2
        );
        let versions_html = job_spec_versions(&page(), "e08648f7", "Payments", &versions);
        assert!(versions_html.contains("<option value=\"1\" selected>"));
        assert!(versions_html.contains("href=\"/job-specs/e08648f7?version=draft\""));
    }
}
