//! The framework and job spec the generator's tests share.

use crate::framework::{criterion_id, Criterion, Framework, Level, Topic};
use crate::jobspec::{Competency, FrameworkBasis, JobSpecBody, Weight};

pub(super) fn criterion(topic: &str, level: u32, text: &str, examples: &[&str]) -> Criterion {
    Criterion {
        id: criterion_id(topic, level, text),
        text: text.to_string(),
        examples: examples.iter().map(|e| e.to_string()).collect(),
    }
}

/// Two topics × two levels × four behaviours, worded like the bundled
/// backend framework.
pub(super) fn framework() -> Framework {
    let topic = |key: &str, title: &str, levels: [(u32, Behaviours); 2]| Topic {
        key: key.to_string(),
        title: title.to_string(),
        subtitle: None,
        levels: levels
            .iter()
            .map(|(number, criteria)| Level {
                number: *number,
                criteria: criteria
                    .iter()
                    .map(|(text, examples)| criterion(key, *number, text, examples))
                    .collect(),
            })
            .collect(),
    };
    Framework {
        slug: "engineering-backend".into(),
        path: Some("/engineering/backend".into()),
        title: "Backend Engineering".into(),
        sidebar_title: None,
        group: None,
        declared_level_count: Some(6),
        level_prefix: None,
        sublevels: None,
        homepage: None,
        body_markdown: String::new(),
        topics: vec![
            topic(
                "mastery",
                "Mastery",
                [
                    (
                        3,
                        [
                            ("Designs schemas spanning several related tables with appropriate constraints", &[]),
                            (
                                "Keeps data consistent when work spans several services or transactions",
                                &["Uses an outbox table so that a database write and the event it emits cannot drift apart", "Makes message consumers idempotent so a redelivered event is harmless"],
                            ),
                            ("Diagnoses production incidents using logs, traces and database statistics", &[]),
                            ("Writes technical designs that address throughput, latency and failure modes", &[]),
                        ],
                    ),
                    (
                        4,
                        [
                            ("Tunes PostgreSQL queries and connection pooling under real production load", &[]),
                            ("Designs services whose capacity grows by adding replicas, not by heroics", &[]),
                            ("Profiles a slow service with flame graphs and removes the hot spots they find", &[]),
                            ("Plays a central part in resolving production incidents", &[]),
                        ],
                    ),
                ],
            ),
            topic(
                "leadership",
                "Leadership",
                [
                    (
                        3,
                        [
                            ("Mentors new joiners through their first months", &[]),
                            ("Turns code reviews into learning opportunities and follows up on them", &[]),
                            ("Owns up to their mistakes early and openly", &[]),
                            ("Runs team rituals when the usual facilitator is away", &[]),
                        ],
                    ),
                    (
                        4,
                        [
                            ("Leads the resolution of major incidents and the follow-up actions", &[]),
                            ("Brings sceptical colleagues round to a design by addressing their concerns", &[]),
                            ("Sets stretch tasks for less experienced engineers and supports them through it", &[]),
                            ("Explains to product managers why a feature needs a data migration first", &[]),
                        ],
                    ),
                ],
            ),
        ],
        source: None,
        warnings: vec![],
    }
}

pub(super) fn competency(id: &str, name: &str, weight: u32, definition: &str) -> Competency {
    Competency {
        id: id.into(),
        name: name.into(),
        weight: Weight(weight),
        definition: definition.into(),
    }
}

/// The seed job spec (shared/seeds/job-spec-senior-backend-payments.txt).
pub(super) fn spec() -> JobSpecBody {
    JobSpecBody {
        title: "Senior Backend Engineer — Payments Platform".into(),
        seniority: "senior".into(),
        description: "Northwind's payments platform moves money for tens of thousands of merchants.\n\nYou will design and build services in Rust on top of PostgreSQL and Kafka. You will take part in the on-call rotation, lead incidents that touch money movement and write blameless postmortems.".into(),
        basis: Some(FrameworkBasis { slug: "engineering-backend".into(), level: 3 }),
        competencies: vec![
            competency("distributed_systems_rigor", "Distributed Systems Rigor", 3500, "Deep understanding of consensus, ordering guarantees, and idempotent design patterns. For this role: architect payment state machines where every transition is recoverable, handle retry logic without double-charging, and reason about exactly-once delivery semantics across Kafka and Postgres."),
            competency("postgres_transactional_design", "Postgres Transactional Design", 2500, "Expert-level schema design and optimization for high-throughput financial transactions. For this role: build double-entry accounting models, design ledger schemas that scale to millions of daily payments, and optimize for both consistency and performance under write-heavy workloads."),
            competency("domain_ownership_and_reliability", "Domain Ownership & Reliability", 2500, "End-to-end accountability for production systems including design, deployment, on-call response, and postmortem-driven prevention. For this role: own critical payment paths, lead incident response on money-movement failures, and drive systemic improvements that eliminate recurring classes of failures."),
            competency("payments_domain_expertise", "Payments Domain Expertise", 1500, "Working knowledge of payment rails (cards, ACH, wire transfers) and financial ledger systems. For this role: understand settlement flows, reconciliation mechanics, and compliance requirements well enough to navigate tradeoffs with risk and product teams."),
        ],
        must_haves: vec![],
        round1: vec![],
        round2: vec![],
    }
}

/// A level's four behaviours, each with its examples.
pub(super) type Behaviours<'a> = [(&'a str, &'a [&'a str]); 4];
