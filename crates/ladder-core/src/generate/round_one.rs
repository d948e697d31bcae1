//! Round 01 templates: situational and technical interview questions, one
//! question each (a short scenario may come first). `{p}` is the seed's
//! phrase (an action's infinitive, or a topic), `{g}` an action's gerund,
//! `{s}` its setting in the role, `{c}` what the job description says the
//! team works on ("payments, ledgers and settlement"). A template whose
//! placeholder has no value for a seed is not used for it.

pub(super) const ONE_ACTION: &[&str] = &[
    "How would you {p} in a system like ours, and which trade-offs would you weigh?",
    "Our team works on {c}. How would you {p} here, and where would you start?",
    "What could go wrong when {g}, and how would you guard against it?",
    "Suppose that next quarter you needed to {p}. What would you do first, and why?",
    "In a system that handles {c}, what would good look like when {g}, and how would you measure it?",
    "Which risks would you look for first when {g}, and how would you reduce them?",
];

pub(super) const ONE_TOPIC: &[&str] = &[
    "Which aspects of {p} matter most in a system like ours, and why?",
    "Our team works on {c}. Where would {p} matter most, and why?",
    "Where do teams most often go wrong with {p}, and how would you avoid that?",
    "How would you judge whether a design gets {p} right before it ships?",
    "How would you explain the trade-offs in {p} to a new engineer on a team that handles {c}?",
];

pub(super) const ONE_QUOTE: &[&str] = &[
    "Our job description says “{p}”. What would you want to understand first, and why?",
    "The job description mentions this: “{p}”. How would that shape your first few months here?",
];

pub(super) const ONE_TITLE: &[&str] = &[
    "What would you focus on in your first 90 days in {p}, and why?",
    "Which technical risk would you look for first in {p}, and how would you address it?",
    "How would you get up to speed with an unfamiliar codebase in {p}?",
    "What does excellent work look like in {p}, and how would you measure it?",
    "How would you decide what not to work on in {p}?",
    "Which trade-off do you expect to make most often in {p}, and how would you approach it?",
    "How do you decide when a piece of work is good enough to ship?",
    "How would you find out why a service became slow after a routine deploy?",
    "What would you do in your first week to understand how our systems fail?",
    "How would you choose between paying down technical debt and building a requested feature?",
    "How would you review a design you disagree with without slowing the team down?",
    "Which signals would you watch to know that a change you shipped is working?",
];

/// A behaviour ({p}, {g}) asked about in the role's situation ({s}, an action).
pub(super) const ONE_PAIRED_ACTION: &[&str] = &[
    "Suppose you were asked to {s}. How would you {p} along the way?",
    "Our team needs to {s}. What would it take to {p} as part of that?",
    "If you had to {s} here, what could go wrong when {g}, and how would you catch it?",
];

/// A behaviour asked about with a topic of the role ({s}) in mind.
pub(super) const ONE_PAIRED_TOPIC: &[&str] = &[
    "Thinking about {s}, how would you {p} in a system like ours?",
    "With {s} in mind, what would you check first when {g}?",
];
