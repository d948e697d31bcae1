//! Framework parsing throughput: the bundled examples in both source formats, a
//! large generated framework, and a linearity check across input sizes.
//!
//! Run with `cargo bench -p ladder-formats --bench parse`.

// Measurement code, not product code: it runs only on the bundled examples and
// its own generated input, where a failure is a broken benchmark that should
// stop the run loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, Criterion, SamplingMode, Throughput,
};
use ladder_core::{criterion_id, Criterion as Behaviour, Framework, Level, Topic};
use ladder_formats::bundled::FRAMEWORKS;
use ladder_formats::{parse, to_prose, to_structured};

const TOPIC_TITLES: [&str; 40] = [
    "Mastery",
    "Delivery",
    "Code Quality",
    "Testing",
    "System Design",
    "Operational Excellence",
    "Security",
    "Performance",
    "Data Modelling",
    "Observability",
    "Incident Response",
    "Code Review",
    "Documentation",
    "Technical Debt",
    "Architecture",
    "API Design",
    "Reliability",
    "Accessibility",
    "Developer Experience",
    "Release Management",
    "Estimation",
    "Planning",
    "Collaboration",
    "Communication",
    "Mentoring",
    "Hiring",
    "Feedback",
    "Ownership",
    "Product Thinking",
    "User Research",
    "Experimentation",
    "Cost Awareness",
    "Compliance",
    "Influence",
    "Strategy",
    "Community",
    "Learning",
    "Wellbeing",
    "Inclusion",
    "Leadership",
];

const LEVELS: u32 = 7;
const EXAMPLES_PER_CRITERION: usize = 2;

const VERBS: [&str; 16] = [
    "Breaks down",
    "Designs",
    "Reviews",
    "Improves",
    "Documents",
    "Plans",
    "Simplifies",
    "Measures",
    "Explains",
    "Automates",
    "Owns",
    "Refactors",
    "Tests",
    "Monitors",
    "Prioritises",
    "Questions",
];

const OBJECTS: [&str; 20] = [
    "the services their team runs",
    "changes to shared libraries",
    "the data pipelines behind reporting",
    "work that spans several teams",
    "the deployment process",
    "features with unclear requirements",
    "database schemas and migrations",
    "the team's on-call runbooks",
    "public APIs used by other teams",
    "the build and test tooling",
    "alerts and dashboards",
    "customer-facing error handling",
    "long-running background jobs",
    "the onboarding guide for new joiners",
    "dependencies on third-party vendors",
    "the roadmap for the next quarter",
    "proposals written by peers",
    "caching and invalidation rules",
    "the way incidents are reviewed",
    "access control for internal tools",
];

const QUALIFIERS: [&str; 16] = [
    "with little guidance from others",
    "so that others can pick the work up without asking",
    "and explains the trade-offs to non-engineers",
    "before problems reach production",
    "while keeping the existing behaviour intact",
    "in a way the whole team can maintain",
    "and checks the outcome against the original goal",
    "with clear ownership and deadlines",
    "and shares what they learned with the wider group",
    "taking security and privacy into account",
    "using data rather than intuition alone",
    "without being asked to",
    "and adjusts the approach when new facts emerge",
    "across more than one codebase",
    "so that the next change is easier to make",
    "while mentoring someone less experienced",
];

const EXAMPLE_OPENINGS: [&str; 8] = [
    "Wrote a short design note for",
    "Paired with a new joiner on",
    "Led the retrospective after a problem with",
    "Cut the time spent on",
    "Proposed and delivered a change to",
    "Removed a recurring source of pages in",
    "Ran a lunch-and-learn session about",
    "Set up a weekly review of",
];

/// A distinct, realistic-looking behaviour for index `n` within one topic.
/// `VERBS × OBJECTS × QUALIFIERS` has 5,120 combinations; the stride keeps
/// neighbouring behaviours from sharing their opening words.
fn behaviour_text(n: usize) -> String {
    const COMBINATIONS: usize = VERBS.len() * OBJECTS.len() * QUALIFIERS.len();
    let k = (n * 1_531) % COMBINATIONS;
    let verb = VERBS[k % VERBS.len()];
    let object = OBJECTS[(k / VERBS.len()) % OBJECTS.len()];
    let qualifier = QUALIFIERS[(k / (VERBS.len() * OBJECTS.len())) % QUALIFIERS.len()];
    format!("{verb} {object} {qualifier}.")
}

fn example_text(n: usize, e: usize) -> String {
    let opening = EXAMPLE_OPENINGS[(n + 3 * e) % EXAMPLE_OPENINGS.len()];
    let object = OBJECTS[(n * 7 + e * 11) % OBJECTS.len()];
    format!("{opening} {object}, which the team still uses.")
}

/// A framework of 40 topics × 7 levels × `per_level` behaviours, each with two
/// examples (behaviours are unique within a topic, so the lint stays quiet).
fn generate(per_level: usize) -> Framework {
    assert!(
        per_level * LEVELS as usize <= 5_120,
        "behaviour texts would repeat"
    );
    let topics = TOPIC_TITLES
        .iter()
        .map(|title| {
            let key = ladder_core::text::slugify(title);
            let levels = (1..=LEVELS)
                .map(|number| {
                    let criteria = (0..per_level)
                        .map(|i| {
                            let n = (number as usize - 1) * per_level + i;
                            let text = behaviour_text(n);
                            Behaviour {
                                id: criterion_id(&key, number, &text),
                                examples: (0..EXAMPLES_PER_CRITERION)
                                    .map(|e| example_text(n, e))
                                    .collect(),
                                text,
                            }
                        })
                        .collect();
                    Level { number, criteria }
                })
                .collect();
            Topic {
                key,
                title: (*title).to_string(),
                subtitle: None,
                levels,
            }
        })
        .collect();
    Framework {
        slug: "engineering-generated".to_string(),
        path: Some("/engineering/generated".to_string()),
        title: "Generated Engineering".to_string(),
        sidebar_title: Some("Generated".to_string()),
        group: Some("engineering".to_string()),
        declared_level_count: Some(LEVELS),
        level_prefix: None,
        sublevels: None,
        homepage: Some(false),
        body_markdown: "A synthetic framework for measuring how fast framework files are read."
            .to_string(),
        topics,
        source: None,
        warnings: Vec::new(),
    }
}

/// A generated framework whose rendering by `render` is about `target` bytes.
fn generate_of(target: usize, render: fn(&Framework) -> String) -> Framework {
    let per_criterion = (render(&generate(2)).len() - render(&generate(1)).len())
        / (TOPIC_TITLES.len() * LEVELS as usize);
    let per_level = (target / (per_criterion * TOPIC_TITLES.len() * LEVELS as usize)).max(1);
    generate(per_level)
}

/// Parses `text` once outside the timer and fails loudly on errors, so the
/// figures are never for a file that was rejected half-way.
fn assert_clean(file: &str, text: &str) {
    let parsed = parse(file, text.as_bytes());
    let errors: Vec<_> = parsed.errors().collect();
    assert!(errors.is_empty(), "{file} parses with errors: {errors:?}");
    assert!(parsed.framework.is_some(), "{file} gave no framework");
    let warnings = parsed.warnings().count();
    if warnings > 0 {
        eprintln!("{file}: {warnings} warnings (parsed anyway)");
    }
}

fn bench_one(
    group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>,
    id: &str,
    file: &str,
    text: &str,
) {
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function(id, |b| {
        b.iter(|| parse(black_box(file), black_box(text.as_bytes())))
    });
}

fn megabytes(bytes: usize) -> String {
    format!("{:.1}MB", bytes as f64 / 1_000_000.0)
}

fn bundled(c: &mut Criterion) {
    let mut group = c.benchmark_group("bundled");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    for bundled in FRAMEWORKS {
        let shipped = parse(bundled.file_name, bundled.text.as_bytes());
        let framework = shipped
            .framework
            .as_ref()
            .expect("bundled frameworks parse");
        // Each shipped file in both source formats: as shipped, and converted.
        let structured = to_structured(framework);
        let prose = to_prose(framework);
        assert_clean(bundled.file_name, &structured);
        assert_clean(bundled.file_name, &prose);
        let stem = bundled.file_name.trim_end_matches(".md");
        bench_one(
            &mut group,
            &format!("{stem}/structured"),
            bundled.file_name,
            &structured,
        );
        bench_one(
            &mut group,
            &format!("{stem}/prose"),
            bundled.file_name,
            &prose,
        );
    }
    group.finish();
}

fn large(c: &mut Criterion) {
    let framework = generate_of(5_000_000, to_structured);
    let structured = to_structured(&framework);
    let prose = to_prose(&framework);
    assert_clean("generated.md", &structured);
    assert_clean("generated.md", &prose);
    eprintln!(
        "large: {} behaviours; structured {} bytes, prose {} bytes",
        framework.criterion_count(),
        structured.len(),
        prose.len()
    );

    let mut group = c.benchmark_group("large");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    bench_one(
        &mut group,
        &format!("structured/{}", megabytes(structured.len())),
        "generated.md",
        &structured,
    );
    bench_one(
        &mut group,
        &format!("prose/{}", megabytes(prose.len())),
        "generated.md",
        &prose,
    );
    group.finish();
}

fn linearity(c: &mut Criterion) {
    let mut group = c.benchmark_group("linearity");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    for (format, render) in [
        ("structured", to_structured as fn(&Framework) -> String),
        ("prose", to_prose),
    ] {
        for target in [500_000, 1_000_000, 2_000_000, 5_000_000] {
            let text = render(&generate_of(target, render));
            assert_clean("generated.md", &text);
            let id = format!("{format}/{}", megabytes(text.len()));
            bench_one(&mut group, &id, "generated.md", &text);
        }
    }
    group.finish();
}

criterion_group!(benches, bundled, large, linearity);
criterion_main!(benches);
