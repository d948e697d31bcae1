//! Question generation: Round 01 and Round 02 for a job spec on a 6-level,
//! 8-topic framework (the bar is under 50 ms for a whole round), and
//! the three alternatives the editor offers for one slot.
//!
//! Run with `cargo bench -p ladder-formats --bench generate`.

// Measurement code: a failure is a broken benchmark that should stop loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use ladder_core::generate::{alternatives, generate, Context, Round};
use ladder_core::jobspec::{Competency, FrameworkBasis, JobSpecBody, Weight};
use ladder_core::{Framework, Topic};
use ladder_formats::bundled::FRAMEWORKS;
use ladder_formats::parse;

/// The bundled Backend framework's behaviours spread over eight topics at
/// six levels: real text, the size the issue names.
fn framework() -> Framework {
    let bundled = FRAMEWORKS
        .iter()
        .find(|bundled| bundled.file_name == "backend.md")
        .expect("the bundled backend framework");
    let mut framework = parse(bundled.file_name, bundled.text.as_bytes())
        .framework
        .expect("it parses");
    let source = framework.topics.clone();
    framework.topics = (0..8)
        .map(|index| {
            let mut topic: Topic = source[index % source.len()].clone();
            topic.key = format!("{}-{index}", topic.key);
            topic.title = format!("{} {}", topic.title, index + 1);
            topic.levels.retain(|level| level.number <= 6);
            topic
        })
        .collect();
    framework
}

fn spec(framework: &Framework) -> JobSpecBody {
    let mut spec = JobSpecBody {
        title: "Senior Backend Engineer, Payments".to_string(),
        seniority: "senior".to_string(),
        description: "You will build the services behind our payments platform: card \
            payments, refunds and payouts, and the ledger that records each of them. \
            Settlement files arrive nightly and the ledger must balance against them."
            .to_string(),
        basis: Some(FrameworkBasis {
            slug: framework.slug.clone(),
            level: 4,
        }),
        competencies: framework
            .topics
            .iter()
            .map(|topic| Competency {
                id: String::new(),
                name: topic.title.clone(),
                weight: Weight(1_250),
                definition: topic.subtitle.clone().unwrap_or_default(),
            })
            .collect(),
        must_haves: Vec::new(),
        round1: Vec::new(),
        round2: Vec::new(),
    };
    spec.derive_ids();
    spec
}

fn bench(c: &mut Criterion) {
    let framework = framework();
    let spec = spec(&framework);
    let context = Context {
        spec: &spec,
        framework: Some(&framework),
    };
    let mut group = c.benchmark_group("generate 6 levels x 8 topics");
    group.bench_function("round 01, 10 questions", |b| {
        b.iter(|| black_box(generate(&context, Round::One, 10, &[])));
    });
    group.bench_function("round 02, 6 prompts", |b| {
        b.iter(|| black_box(generate(&context, Round::Two, 6, &[])));
    });
    let current = generate(&context, Round::One, 10, &[]);
    group.bench_function("3 alternatives for one question", |b| {
        b.iter(|| black_box(alternatives(&context, Round::One, &current[3], &current, 3)));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
