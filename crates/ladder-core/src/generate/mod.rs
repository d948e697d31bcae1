//! The offline question generator (PRODUCT.md §2): deterministic, grounded
//! interview questions (round 1) and behavioural prompts (round 2) for a job
//! spec.
//!
//! Every item is built from something the spec or its framework says, and
//! records what: the framework behaviours most relevant to a competency (BM25
//! over the criteria at the spec's basis level and the level above), else the
//! competency's definition (`definition:<id>`), else the job description
//! (`description`), else the title (`title`). The same inputs always give the
//! same items; nothing here reads the clock or draws random numbers.
//!
//! How it works:
//! 1. [`apportion`] splits `count` over the competencies in proportion to
//!    their weights (largest remainder, exact integer arithmetic).
//! 2. Each competency gets an ordered list of *seeds*: the relevant
//!    behaviours (basis level, then stretch level, by [`rank_criteria`]),
//!    each set in one of the definition's role clauses ("Suppose you were
//!    asked to `<clause>`. How would you `<behaviour>` along the way?", grounded
//!    in both), then the definition's own clauses, then — only when the
//!    framework gave nothing — the sentences of the description that share
//!    words with it.
//! 3. Items are produced round-robin over the competencies, heavier first.
//!    Each takes the competency's first seed not yet used (by this output or
//!    by an item in `avoid`) and renders it through one of several templates,
//!    each competency rotating through them from its own starting point so
//!    neighbouring items read differently. A text that already exists (case- and
//!    whitespace-insensitively) is never produced: the next template, the
//!    next seed, a reused seed with another template and finally a numbered
//!    wording ("… (variant 2)?") are tried in that order, so exactly `count`
//!    items always come back.

mod apportion;
mod choose;
mod domain;
#[cfg(test)]
mod fixtures;
mod phrases;
#[cfg(test)]
mod properties;
pub mod quality;
mod rank;
mod round_one;
mod round_two;
mod seeds;
mod templates;
mod understand;

pub use apportion::apportion;
pub use quality::check as check_text;
pub use rank::rank_criteria;

use crate::framework::{Criterion, Framework};
use crate::jobspec::{ItemQuality, JobSpecBody, RoundItem};

use choose::State;
use seeds::{competency_key, competency_seeds, description_units, title_seeds, Kind, Seed};

/// The generator's name; items it makes have origin `generated:grounded-bm25`.
pub const GENERATOR: &str = "grounded-bm25";

/// Which interview round to generate for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Round {
    /// Situational and technical interview questions.
    One,
    /// Behavioural prompts ("Tell me about a time you …").
    Two,
}

impl Round {
    /// The label hashed into item ids, as `ladder_formats` derives them.
    fn label(self) -> &'static str {
        match self {
            Round::One => "round1",
            Round::Two => "round2",
        }
    }
}

/// What the generator reads: the spec, and the framework named by its basis
/// (the caller resolves `spec.basis.slug`; the framework is used only when the
/// spec has a basis, at `spec.basis.level`).
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub spec: &'a JobSpecBody,
    pub framework: Option<&'a Framework>,
}

/// A framework behaviour with its relevance to a competency.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedCriterion<'a> {
    pub criterion: &'a Criterion,
    pub topic_title: &'a str,
    pub level: u32,
    /// The behaviour is from the level above the basis level.
    pub stretch: bool,
    /// BM25 score; only meaningful for ordering.
    pub score: f64,
}

/// Without competencies: the job description's actions, then its other
/// sentences, then the role itself.
fn spec_seeds(units: &[seeds::Unit], title: Vec<Seed>) -> Vec<Seed> {
    let mut seeds: Vec<Seed> = units
        .iter()
        .filter(|unit| unit.seed.kind == Kind::Action)
        .chain(units.iter().filter(|unit| unit.seed.kind != Kind::Action))
        .map(|unit| unit.seed.clone())
        .collect();
    seeds.extend(title);
    seeds
}

/// Up to `count` other items for the slot `item` holds in `round`: for the
/// same competency (the whole spec when it names none), grounded like any
/// generated item, each passing the quality check, none repeating a text of
/// `current` (the round as it stands, `item` included) or each other.
/// Deterministic: the same spec and round give the same alternatives, so a
/// choice among them can be checked when it is sent back.
pub fn alternatives(
    context: &Context<'_>,
    round: Round,
    item: &RoundItem,
    current: &[RoundItem],
    count: usize,
) -> Vec<RoundItem> {
    let spec = context.spec;
    let units = description_units(&spec.description);
    let title = title_seeds(&spec.title);
    let mut state = State::new(current, domain::domain_phrase(&spec.description));
    let competency = item.competency_id.as_deref().and_then(|id| {
        spec.competencies
            .iter()
            .find(|competency| competency_key(competency) == id)
    });
    let seeds = match competency {
        Some(competency) => competency_seeds(context, competency, &units, &title),
        None => spec_seeds(&units, title),
    };
    let position = current
        .iter()
        .position(|other| other.id == item.id)
        .unwrap_or(0);
    (0..count)
        .filter_map(|offset| {
            state.pick(
                &seeds,
                round,
                item.competency_id.clone(),
                position + offset + 1,
            )
        })
        .collect()
}

/// The quality check of `item` as an item of `round` in `context`: its text
/// may not paste any behaviour it is grounded in.
pub fn check_item(context: &Context<'_>, round: Round, item: &RoundItem) -> ItemQuality {
    let behaviours: Vec<&str> = context
        .framework
        .map(|framework| {
            framework
                .criteria()
                .filter(|(_, _, criterion)| item.grounding.contains(&criterion.id))
                .map(|(_, _, criterion)| criterion.text.as_str())
                .collect()
        })
        .unwrap_or_default();
    quality::check(&item.text, round, &behaviours)
}

/// `count` new items for `round`, none repeating the text of an item in
/// `avoid` (or each other), deterministic for the same inputs.
pub fn generate(
    context: &Context<'_>,
    round: Round,
    count: usize,
    avoid: &[RoundItem],
) -> Vec<RoundItem> {
    let mut out = Vec::with_capacity(count);
    if count == 0 {
        return out;
    }
    let spec = context.spec;
    let units = description_units(&spec.description);
    let title = title_seeds(&spec.title);
    let mut state = State::new(avoid, domain::domain_phrase(&spec.description));

    if spec.competencies.is_empty() {
        let seeds = spec_seeds(&units, title);
        for position in 0..count {
            out.extend(state.pick(&seeds, round, None, position));
        }
        return out;
    }

    let allocation = apportion(&spec.competencies, count);
    let plans: Vec<Vec<Seed>> = spec
        .competencies
        .iter()
        .map(|competency| competency_seeds(context, competency, &units, &title))
        .collect();
    // Heavier competencies first; equal weights keep spec order.
    let mut order: Vec<usize> = (0..spec.competencies.len()).collect();
    order.sort_by(|&a, &b| {
        spec.competencies[b]
            .weight
            .cmp(&spec.competencies[a].weight)
            .then(a.cmp(&b))
    });
    let rounds = allocation
        .iter()
        .map(|(_, seats)| *seats)
        .max()
        .unwrap_or(0);
    for turn in 0..rounds {
        for (rank, &index) in order.iter().enumerate() {
            if allocation[index].1 > turn {
                let id = competency_key(&spec.competencies[index]);
                let id = if id.is_empty() { None } else { Some(id) };
                // Each competency walks through the templates from its own
                // starting point, so neighbours and successive items differ.
                out.extend(state.pick(&plans[index], round, id, turn + rank));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::choose::text_key;
    use super::fixtures::{competency, framework, spec};
    use super::*;
    use crate::text::sha256_hex;

    #[test]
    fn alternatives_are_new_good_and_for_the_same_competency() {
        let framework = framework();
        let spec = spec();
        let context = Context {
            spec: &spec,
            framework: Some(&framework),
        };
        for round in [Round::One, Round::Two] {
            let current = generate(&context, round, 6, &[]);
            for item in &current {
                let offered = alternatives(&context, round, item, &current, 3);
                assert_eq!(offered.len(), 3, "{offered:#?}");
                assert_eq!(offered, alternatives(&context, round, item, &current, 3));
                let texts: BTreeSet<String> =
                    offered.iter().map(|other| text_key(&other.text)).collect();
                assert_eq!(texts.len(), 3);
                for other in &offered {
                    assert_eq!(other.competency_id, item.competency_id);
                    assert!(current
                        .iter()
                        .all(|old| text_key(&old.text) != text_key(&other.text)));
                    assert!(check_item(&context, round, other).passed, "{}", other.text);
                }
            }
        }
    }

    #[test]
    fn generation_is_deterministic() {
        let framework = framework();
        let spec = spec();
        let context = Context {
            spec: &spec,
            framework: Some(&framework),
        };
        for round in [Round::One, Round::Two] {
            assert_eq!(
                generate(&context, round, 7, &[]),
                generate(&context, round, 7, &[])
            );
        }
        let first = generate(&context, Round::One, 3, &[]);
        assert_eq!(
            first[0].id,
            format!(
                "q-{}",
                &sha256_hex(format!("round1\n{}", first[0].text).as_bytes())[..8]
            )
        );
        assert!(first
            .iter()
            .all(|item| item.origin == "generated:grounded-bm25"));
    }

    #[test]
    fn every_count_gives_exactly_that_many_distinct_items() {
        let framework = framework();
        let spec = spec();
        let bare = JobSpecBody {
            competencies: vec![],
            description: String::new(),
            ..spec.clone()
        };
        let untitled = JobSpecBody {
            title: String::new(),
            ..bare.clone()
        };
        let jd_only = JobSpecBody {
            competencies: vec![],
            ..spec.clone()
        };
        for (spec, framework) in [
            (&spec, Some(&framework)),
            (&spec, None),
            (&bare, None),
            (&untitled, None),
            (&jd_only, Some(&framework)),
        ] {
            let context = Context { spec, framework };
            for round in [Round::One, Round::Two] {
                for count in 0..=10 {
                    let items = generate(&context, round, count, &[]);
                    assert_eq!(items.len(), count);
                    let texts: BTreeSet<String> =
                        items.iter().map(|item| text_key(&item.text)).collect();
                    let ids: BTreeSet<&str> = items.iter().map(|item| item.id.as_str()).collect();
                    assert_eq!(texts.len(), count, "{items:#?}");
                    assert_eq!(ids.len(), count);
                    for item in &items {
                        assert_text_quality(&item.text);
                        assert!(!item.grounding.is_empty());
                    }
                }
            }
        }
    }

    fn assert_text_quality(text: &str) {
        assert!(
            !text.contains("  ") && !text.contains(" ,") && !text.contains(",,"),
            "{text}"
        );
        assert!(text.starts_with(|c: char| c.is_uppercase()), "{text}");
        assert!(text.ends_with('?') || text.ends_with('.'), "{text}");
        // The last sentence decides: an instruction ends with a full stop, a
        // question with a question mark.
        let last = text
            .trim_end_matches(['.', '?'])
            .rsplit(". ")
            .next()
            .unwrap_or(text);
        let imperative = ["Tell me", "Describe", "Give an example", "Walk me through"]
            .iter()
            .any(|opener| last.starts_with(opener));
        let question = [
            "How ",
            "What ",
            "Which ",
            "Where ",
            "If ",
            "Suppose ",
            "Thinking ",
            "Given ",
        ]
        .iter()
        .any(|opener| last.starts_with(opener));
        assert!(
            imperative
                || question
                || last.starts_with("Our job description")
                || last.starts_with("The job description"),
            "{text}"
        );
        if imperative {
            assert!(text.ends_with('.'), "{text}");
        }
        if question {
            assert!(text.ends_with('?'), "{text}");
        }
        assert!(!text.contains('{') && !text.contains('}'), "{text}");
    }

    #[test]
    fn grounding_names_framework_criteria_and_follows_weights() {
        let framework = framework();
        let spec = spec();
        let context = Context {
            spec: &spec,
            framework: Some(&framework),
        };
        let ids: BTreeSet<&str> = framework
            .criteria()
            .map(|(_, _, c)| c.id.as_str())
            .collect();
        for round in [Round::One, Round::Two] {
            let items = generate(&context, round, 4, &[]);
            let competencies: Vec<&str> = items
                .iter()
                .filter_map(|item| item.competency_id.as_deref())
                .collect();
            assert_eq!(
                competencies,
                [
                    "distributed_systems_rigor",
                    "postgres_transactional_design",
                    "domain_ownership_and_reliability",
                    "payments_domain_expertise"
                ]
            );
            // Each is a framework behaviour asked in the setting of the
            // competency's definition, and records both.
            for item in &items {
                let own = format!(
                    "definition:{}",
                    item.competency_id.clone().unwrap_or_default()
                );
                assert!(ids.contains(item.grounding[0].as_str()), "{item:#?}");
                assert_eq!(item.grounding[1..], [own], "{item:#?}");
            }
            // Anything not from the framework comes from that competency's definition.
            for item in generate(&context, round, 10, &[]) {
                let own = format!(
                    "definition:{}",
                    item.competency_id.clone().unwrap_or_default()
                );
                assert!(
                    item.grounding
                        .iter()
                        .all(|g| ids.contains(g.as_str()) || *g == own),
                    "{item:#?}"
                );
            }
            // Round robin, heavier first: 10 → 4, 3, 2, 1.
            let items = generate(&context, round, 10, &[]);
            let order: Vec<&str> = items
                .iter()
                .filter_map(|item| item.competency_id.as_deref())
                .map(|id| &id[..3])
                .collect();
            assert_eq!(
                order,
                ["dis", "pos", "dom", "pay", "dis", "pos", "dom", "dis", "pos", "dis"]
            );
        }
    }

    #[test]
    fn without_a_framework_items_come_from_definitions() {
        let spec = spec();
        for context in [
            Context {
                spec: &spec,
                framework: None,
            },
            Context {
                spec: &JobSpecBody {
                    basis: None,
                    ..spec.clone()
                },
                framework: Some(&framework()),
            },
        ] {
            let items = generate(&context, Round::One, 4, &[]);
            for item in &items {
                let id = item.competency_id.clone().expect("competency");
                assert_eq!(item.grounding, [format!("definition:{id}")]);
            }
            assert!(
                items[0].text.contains(
                    "architect payment state machines where every transition is recoverable"
                ),
                "{items:#?}"
            );
            assert!(items[3].text.contains("understand settlement flows, reconciliation mechanics, and compliance requirements"), "{items:#?}");
        }
        // A competency the framework says nothing about falls back too.
        let framework = framework();
        let odd = JobSpecBody {
            competencies: vec![competency(
                "watercolour",
                "Watercolour",
                10_000,
                "Draws landscapes in the rain.",
            )],
            ..spec.clone()
        };
        let items = generate(
            &Context {
                spec: &odd,
                framework: Some(&framework),
            },
            Round::Two,
            2,
            &[],
        );
        assert_eq!(items[0].grounding, ["definition:watercolour"]);
        assert_eq!(
            items[0].text,
            "Tell me about a time you drew landscapes in the rain. What was the outcome?"
        );
    }

    #[test]
    fn generated_items_stay_within_the_item_limit() {
        let long = format!("Paints {} in the rain.", "landscapes and ".repeat(400));
        let spec = JobSpecBody {
            competencies: vec![competency("watercolour", "Watercolour", 10_000, &long)],
            ..spec()
        };
        assert!(long.chars().count() > crate::limits::ROUND_ITEM_TEXT);
        for round in [Round::One, Round::Two] {
            let items = generate(
                &Context {
                    spec: &spec,
                    framework: None,
                },
                round,
                3,
                &[],
            );
            assert_eq!(items.len(), 3);
            for item in &items {
                assert!(
                    item.text.chars().count() <= crate::limits::ROUND_ITEM_TEXT,
                    "{} characters",
                    item.text.chars().count()
                );
            }
            let checked = JobSpecBody {
                round1: items,
                ..spec.clone()
            };
            assert_eq!(checked.text_problems(), vec![]);
        }
    }

    #[test]
    fn without_competencies_items_come_from_the_description_then_the_title() {
        let spec = JobSpecBody {
            competencies: vec![],
            ..spec()
        };
        let items = generate(
            &Context {
                spec: &spec,
                framework: None,
            },
            Round::One,
            5,
            &[],
        );
        assert!(items.iter().all(|item| item.competency_id.is_none()));
        assert_eq!(items[0].grounding, ["description"]);
        assert_eq!(items[0].text, "How would you design and build services in Rust on top of PostgreSQL and Kafka in a system like ours, and which trade-offs would you weigh?");
        assert!(items.iter().any(|item| item.grounding == ["title"]));
        let bare = JobSpecBody {
            description: String::new(),
            ..spec.clone()
        };
        let items = generate(
            &Context {
                spec: &bare,
                framework: None,
            },
            Round::One,
            3,
            &[],
        );
        assert!(
            items.iter().all(|item| item.grounding == ["title"]
                && item
                    .text
                    .contains("the Senior Backend Engineer — Payments Platform role")),
            "{items:#?}"
        );
    }
}
