//! Whatever a framework's behaviours, competencies and job description say,
//! every item the generator offers passes the quality check — in particular
//! it repeats no four-word phrase — and no more items come back than asked.

use proptest::prelude::*;

use super::fixtures::{criterion, framework, spec};
use super::{alternatives, check_item, generate, Context, Round};
use crate::jobspec::Competency;

/// Words real behaviours are made of, and some that trip generators up.
const WORDS: &[&str] = &[
    "designs",
    "design",
    "builds",
    "leads",
    "and",
    "or",
    "while",
    "the",
    "their",
    "team",
    "schemas",
    "with",
    "appropriate",
    "constraints",
    "does",
    "not",
    "take",
    "truths",
    "for",
    "granted",
    "mgmt.",
    "exec",
    "(e.g.",
    "Kafka)",
    "Is",
    "able",
    "to",
    "Can",
    "knowledge",
    "of",
    "distributed",
    "systems",
    "proactively",
    "seeks",
    "out",
    "feedback",
    "on",
    "own",
    "work",
    "…",
    "/",
    "incidents",
    "resolves",
    "them",
    "reviews",
    "code",
    "writes",
    "tests",
    "“quoted”",
    "AWS",
    "PostgreSQL",
    "Northwind",
    "settlement",
    "ledger",
    "payments",
    "design",
    "design",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 1..18).prop_map(|words| words.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_offered_item_passes_the_quality_check(
        behaviours in prop::collection::vec(text(), 1..6),
        definition in text(),
        description in prop::collection::vec(text(), 0..4),
        count in 1usize..8,
    ) {
        let mut framework = framework();
        // The behaviours go in at the spec's basis level of the first topic.
        let level = framework.topics[0].levels[0].number;
        framework.topics[0].levels[0].criteria = behaviours
            .iter()
            .map(|text| criterion(&framework.topics[0].key, level, text, &[]))
            .collect();
        let mut spec = spec();
        spec.description = description.join(". ");
        if let Some(basis) = spec.basis.as_mut() {
            basis.level = level;
        }
        spec.competencies.push(Competency {
            id: "odd".to_string(),
            name: "Odd Competency".to_string(),
            weight: crate::jobspec::Weight(0),
            definition,
        });
        let context = Context { spec: &spec, framework: Some(&framework) };
        for round in [Round::One, Round::Two] {
            let items = generate(&context, round, count, &[]);
            prop_assert!(items.len() <= count);
            for item in &items {
                let verdict = check_item(&context, round, item);
                prop_assert!(verdict.passed, "{}: {:?}", item.text, verdict.problems);
            }
            if let Some(first) = items.first() {
                for other in alternatives(&context, round, first, &items, 3) {
                    let verdict = check_item(&context, round, &other);
                    prop_assert!(verdict.passed, "{}: {:?}", other.text, verdict.problems);
                }
            }
        }
    }
}
