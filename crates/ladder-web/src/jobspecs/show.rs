use crate::moment::Moment;
use askama::Template;
use ladder_core::jobspec::{FrameworkBasis, JobSpecBody, RoundItem};

use super::{error_view, version_name, Link};
use crate::format::{criterion_href, encode_component, framework_href, job_spec_href, plural};
use crate::forms::{ErrorView, OptionView};
use crate::markdown::render_markdown;
use crate::view::{render, Layout, Page};

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
    /// What the basis framework's import warned about, one sentence each;
    /// editors see them on a draft before publishing.
    pub basis_warnings: &'a [String],
    /// Already formatted for display.
    pub created: &'a Moment,
    pub created_by: &'a str,
    pub published_at: Option<&'a Moment>,
    /// When the version was last saved (a draft is saved many times).
    pub saved: &'a Moment,
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

#[derive(Template)]
#[template(path = "jobspecs/show.html")]
struct ShowTemplate<'a> {
    layout: Layout<'a>,
    id: &'a str,
    version: u32,
    title: &'a str,
    seniority: &'a str,
    is_draft: bool,
    version_name: String,
    basis_warnings: &'a [String],
    dates: Dates<'a>,
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

/// "Published 3 days ago · created by Ada", "Saved just now by Ada".
struct Dates<'a> {
    what: &'static str,
    at: &'a Moment,
    by: String,
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
    alternatives_href: String,
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
                alternatives_href: format!("{item_href}/alternatives"),
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

/// The level a criterion id names (`topic.l4.0a1b2c3d4e` -> 4).
pub(super) fn criterion_level(id: &str) -> Option<u32> {
    id.split('.')
        .find_map(|part| part.strip_prefix('l').and_then(|n| n.parse().ok()))
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
        Some(published) => Dates {
            what: "Published",
            at: published,
            by: format!("created by {}", spec.created_by),
        },
        None => Dates {
            what: "Saved",
            at: spec.saved,
            by: format!("by {}", spec.created_by),
        },
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
        basis_warnings: if !spec.published && spec.can_edit {
            spec.basis_warnings
        } else {
            &[]
        },
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
