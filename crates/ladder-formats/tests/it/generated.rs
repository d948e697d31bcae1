//! The offline question generator on the three bundled frameworks at two
//! levels each, whole: Round 01 and Round 02 as a reviewer reads them. The
//! snapshots (`snapshots/`) are read by people — every change to the
//! generator shows here as a diff to review — and every item must pass the
//! generator's own quality check and repeat no four-word phrase.

use std::path::PathBuf;

use ladder_core::framework::Framework;
use ladder_core::generate::{check_item, generate, Context, Round};
use ladder_core::jobspec::{Competency, FrameworkBasis, JobSpecBody, Weight};

use crate::common::{framework, parse_file};

fn bundled(name: &str) -> Framework {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../frameworks")
        .join(name);
    framework(&parse_file(&path)).clone()
}

/// A job spec on `framework` at `level`: one competency per topic (up to
/// four, equal weights, the topic's subtitle as definition) and a short
/// description in the domain the framework serves.
fn spec_on(framework: &Framework, level: u32, title: &str, description: &str) -> JobSpecBody {
    let topics: Vec<_> = framework.topics.iter().take(4).collect();
    let share = 10_000 / u32::try_from(topics.len().max(1)).unwrap_or(1);
    let mut competencies: Vec<Competency> = topics
        .iter()
        .map(|topic| Competency {
            id: String::new(),
            name: topic.title.clone(),
            weight: Weight(share),
            definition: topic.subtitle.clone().unwrap_or_default(),
        })
        .collect();
    // Weights sum to exactly 1.
    let rest = 10_000 - share * u32::try_from(competencies.len()).unwrap_or(0);
    if let Some(first) = competencies.first_mut() {
        first.weight = Weight(first.weight.0 + rest);
    }
    let mut spec = JobSpecBody {
        title: title.to_string(),
        seniority: String::new(),
        description: description.to_string(),
        basis: Some(FrameworkBasis {
            slug: framework.slug.clone(),
            level,
        }),
        competencies,
        must_haves: Vec::new(),
        round1: Vec::new(),
        round2: Vec::new(),
    };
    spec.derive_ids();
    spec
}

fn render(framework: &Framework, spec: &JobSpecBody) -> String {
    let context = Context {
        spec,
        framework: Some(framework),
    };
    let mut out = format!(
        "{} at level {}\n",
        framework.title,
        spec.basis.as_ref().map_or(0, |basis| basis.level)
    );
    for (round, count, heading) in [(Round::One, 8, "Round 01"), (Round::Two, 6, "Round 02")] {
        out.push_str(&format!("\n{heading}\n"));
        let items = generate(&context, round, count, &[]);
        assert_eq!(items.len(), count, "{heading}: {items:#?}");
        for item in &items {
            let verdict = check_item(&context, round, item);
            assert!(verdict.passed, "{}: {:?}", item.text, verdict.problems);
            assert_eq!(
                item.quality.as_ref(),
                Some(&verdict),
                "the verdict is recorded"
            );
            out.push_str(&format!(
                "- [{}] {}\n",
                item.competency_id.as_deref().unwrap_or("-"),
                item.text
            ));
        }
    }
    out
}

const BACKEND_JD: &str = "You will build and run the services behind our payments platform: \
    card payments, refunds and payouts, and the ledger that records every one of them. \
    Settlement files arrive nightly and the ledger must balance against them; payments \
    must never be posted twice.";
const FRONTEND_JD: &str = "You will build the checkout and the merchant dashboard in the \
    browser: forms that never lose what people type, pages that load fast on a phone, and \
    components the rest of the checkout team can reuse. Accessibility of the checkout is \
    not optional; the dashboard is used all day by merchants.";
const GENERIC_JD: &str = "You will join a small team that owns the internal tools other \
    engineers use every day: the build pipeline, the deploy tooling and the on-call \
    dashboards. Reliable deploys and clear dashboards matter more than new features.";

#[test]
fn bundled_frameworks_generate_natural_questions() {
    for (file, title, jd, levels) in [
        (
            "backend.md",
            "Backend Engineer, Payments",
            BACKEND_JD,
            [2, 4],
        ),
        (
            "frontend.md",
            "Frontend Engineer, Checkout",
            FRONTEND_JD,
            [2, 4],
        ),
        (
            "generic.md",
            "Software Engineer, Developer Tools",
            GENERIC_JD,
            [2, 5],
        ),
    ] {
        let framework = bundled(file);
        for level in levels {
            let spec = spec_on(&framework, level, title, jd);
            let name = format!("{}-level-{level}", file.trim_end_matches(".md"));
            insta::assert_snapshot!(name, render(&framework, &spec));
        }
    }
}

/// The real framework files of the product brief (`shared/seeds/`), never
/// seen while the generator was written: at every level, each round's count
/// is met and every item passes the quality check (the bar is 97%;
/// the generator offers no item that fails, so a shortfall shows as a round
/// left short). Ignored unless asked for, like the other seed tests.
#[test]
#[ignore = "needs the seed files: ../shared/seeds or LADDER_SEEDS_DIR"]
fn seed_frameworks_generate_natural_questions() {
    let dir = match std::env::var_os("LADDER_SEEDS_DIR").filter(|dir| !dir.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds"),
    };
    assert!(dir.is_dir(), "no seed files in {}", dir.display());
    let description = std::fs::read_to_string(dir.join("job-spec-senior-backend-payments.txt"))
        .unwrap_or_else(|_| BACKEND_JD.to_string());
    let (mut asked, mut made, mut natural) = (0usize, 0usize, 0usize);
    for file in [
        "backend-prose.md",
        "backend-structured-mojibake.md",
        "dotnet-structured-empty-topics.md",
    ] {
        let framework = framework(&parse_file(&dir.join(file))).clone();
        let levels: Vec<u32> = framework
            .topics
            .iter()
            .flat_map(|topic| topic.levels.iter().map(|level| level.number))
            .collect::<std::collections::BTreeSet<u32>>()
            .into_iter()
            .collect();
        for level in levels {
            let spec = spec_on(&framework, level, "Senior Backend Engineer", &description);
            let context = Context {
                spec: &spec,
                framework: Some(&framework),
            };
            for (round, count) in [(Round::One, 8), (Round::Two, 6)] {
                let items = generate(&context, round, count, &[]);
                asked += count;
                made += items.len();
                for item in &items {
                    let verdict = check_item(&context, round, item);
                    if std::env::var_os("LADDER_SHOW_ITEMS").is_some() {
                        eprintln!("{file} L{level} {round:?}: {}", item.text);
                    }
                    if verdict.passed {
                        natural += 1;
                    } else {
                        eprintln!(
                            "{file} level {level}: {} — {:?}",
                            item.text, verdict.problems
                        );
                    }
                }
            }
        }
    }
    eprintln!("seed frameworks: {made} of {asked} items made, {natural} natural");
    assert_eq!(made, asked, "every round's count is met");
    assert_eq!(natural, made, "every item passes the quality check");
}
