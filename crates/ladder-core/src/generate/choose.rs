//! Choosing items: the first free seed and wording, never repeating a text.

use std::collections::BTreeSet;

use super::quality;
use super::seeds::{title_seeds, Kind, Seed};
use super::templates::{render, templates};
use super::{Round, GENERATOR};
use crate::jobspec::{ItemQuality, RoundItem};
use crate::text::{collapse_whitespace, sha256_hex};

/// The texts and criteria already taken, by `avoid` and by this output, and
/// what the job description says the team works on.
pub(super) struct State {
    texts: BTreeSet<String>,
    criteria: BTreeSet<String>,
    ids: BTreeSet<String>,
    domain: Option<String>,
}

/// The form under which two texts count as the same question.
pub(super) fn text_key(text: &str) -> String {
    collapse_whitespace(text).to_lowercase()
}

impl State {
    pub(super) fn new(avoid: &[RoundItem], domain: Option<String>) -> State {
        State {
            texts: avoid.iter().map(|item| text_key(&item.text)).collect(),
            criteria: avoid
                .iter()
                .flat_map(|item| item.grounding.iter().cloned())
                .collect(),
            ids: avoid.iter().map(|item| item.id.clone()).collect(),
            domain,
        }
    }

    fn seed_used(&self, seed: &Seed) -> bool {
        if seed
            .criterion
            .as_ref()
            .is_some_and(|id| self.criteria.contains(id))
        {
            return true;
        }
        let phrase = text_key(&seed.phrase);
        seed.kind != Kind::Title
            && !phrase.is_empty()
            && self.texts.iter().any(|text| text.contains(&phrase))
    }

    /// The seed's first wording, trying the templates from `rotation` on,
    /// that is new and passes the quality check.
    fn free_text(
        &self,
        seed: &Seed,
        round: Round,
        rotation: usize,
    ) -> Option<(String, ItemQuality)> {
        let templates = templates(seed, round);
        let behaviours: Vec<&str> = seed.source.iter().map(String::as_str).collect();
        (0..templates.len()).find_map(|offset| {
            let template = templates[(rotation + offset) % templates.len()];
            let text = render(template, seed, self.domain.as_deref())?;
            if self.texts.contains(&text_key(&text)) {
                return None;
            }
            let verdict = quality::check(&text, round, &behaviours);
            verdict.passed.then_some((text, verdict))
        })
    }

    /// The next item from `seeds`: the first seed not used yet that has a
    /// good new wording, else a used one, else a question about the role
    /// itself. `None` only when every wording of all of them is taken — an
    /// item that fails the quality check is never made up to fill a slot.
    pub(super) fn pick(
        &mut self,
        seeds: &[Seed],
        round: Round,
        competency_id: Option<String>,
        rotation: usize,
    ) -> Option<RoundItem> {
        let fallback = title_seeds("");
        let wording = |seed: &Seed| {
            self.free_text(seed, round, rotation)
                .map(|(text, verdict)| (seed.clone(), text, verdict))
        };
        let (seed, text, verdict) = seeds
            .iter()
            .filter(|seed| !self.seed_used(seed))
            .find_map(wording)
            .or_else(|| seeds.iter().find_map(wording))
            .or_else(|| fallback.iter().find_map(wording))?;
        let id = self.item_id(round, &text);
        self.texts.insert(text_key(&text));
        if let Some(criterion) = &seed.criterion {
            self.criteria.insert(criterion.clone());
        }
        self.ids.insert(id.clone());
        Some(RoundItem {
            id,
            text,
            competency_id,
            grounding: seed.grounding.clone(),
            origin: format!("generated:{GENERATOR}"),
            quality: Some(verdict),
        })
    }

    /// `q-` and the first 8 hex digits of SHA-256 of `"{round}\n{text}"`
    /// (as `ladder_formats` derives ids), lengthened on the unlikely clash
    /// with an id already taken.
    fn item_id(&self, round: Round, text: &str) -> String {
        let hash = sha256_hex(format!("{}\n{text}", round.label()).as_bytes());
        for length in (8..=hash.len()).step_by(2) {
            let id = format!("q-{}", hash.get(..length).unwrap_or(&hash));
            if !self.ids.contains(&id) {
                return id;
            }
        }
        let mut suffix = 2usize;
        loop {
            let id = format!("q-{}-{suffix}", hash.get(..8).unwrap_or(&hash));
            if !self.ids.contains(&id) {
                return id;
            }
            suffix += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::fixtures::{framework, spec};
    use crate::generate::{generate, Context};

    #[test]
    fn avoid_and_the_output_itself_are_never_repeated() {
        let framework = framework();
        let spec = spec();
        let context = Context {
            spec: &spec,
            framework: Some(&framework),
        };
        for round in [Round::One, Round::Two] {
            let first = generate(&context, round, 4, &[]);
            // Case and spacing do not make a question new.
            let mut shouted = first[0].clone();
            shouted.text = format!("  {}  ", shouted.text.to_uppercase().replace(' ', "   "));
            shouted.grounding.clear();
            let again = generate(&context, round, 4, &[shouted]);
            assert!(
                again
                    .iter()
                    .all(|item| text_key(&item.text) != text_key(&first[0].text)),
                "{again:#?}"
            );
            // A second batch avoiding the whole first one is wholly new, with fresh grounding where possible.
            let more = generate(&context, round, 10, &first);
            for item in &more {
                assert!(first.iter().all(|old| text_key(&old.text) != text_key(&item.text) && old.id != item.id), "{item:#?}");
            }
            assert_ne!(more[0].grounding, first[0].grounding);
            // Avoiding everything a seed could say still yields count items.
            let lots = generate(&context, round, 40, &[]);
            let after = generate(&context, round, 10, &lots);
            assert_eq!(after.len(), 10);
            assert!(after.iter().all(|item| lots
                .iter()
                .all(|old| text_key(&old.text) != text_key(&item.text))));
        }
    }
}
