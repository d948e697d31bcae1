//! Round 01 templates: situational and technical interview questions. `{p}`
//! is the seed's phrase, `{s}` its setting in the role.

pub(super) const ONE_ACTION: &[&str] = &[
    "Walk me through how you would {p} in a system like ours.",
    "Suppose you were asked to {p} — what would you check first, and why?",
    "How would you {p}, and what trade-offs would you weigh along the way?",
    "If you joined us tomorrow and had to {p}, where would you start?",
    "What could go wrong when you {p}, and how would you guard against it?",
    "What would good look like if you had to {p} here, and how would you measure it?",
];

pub(super) const ONE_TOPIC: &[&str] = &[
    "Which aspects of {p} matter most in a system like ours, and why?",
    "Suppose you were reviewing a design that depends on {p} — what would you check first, and why?",
    "How would you put {p} into practice here, and what trade-offs would you expect?",
    "Where do teams most often go wrong with {p}, and how would you avoid that?",
];

pub(super) const ONE_QUOTE: &[&str] = &[
    "Our job description says “{p}”. What would you want to understand first, and why?",
    "The job description mentions this: “{p}”. How would that shape your first few months here?",
    "Given this part of the role — “{p}” — where do you see the biggest risks?",
];

pub(super) const ONE_TITLE: &[&str] = &[
    "What would you focus on in your first 90 days in {p}, and why?",
    "Which technical risk would you look for first in {p}, and how would you address it?",
    "Walk me through how you would get up to speed with an unfamiliar codebase in {p}.",
    "What does excellent work look like in {p}, and how would you measure it?",
    "How would you decide what not to work on in {p}?",
    "Which trade-off do you expect to make most often in {p}, and how would you approach it?",
];

/// A behaviour ({p}) asked about in the role's situation ({s}).
pub(super) const ONE_PAIRED_ACTION: &[&str] = &[
    "Suppose you were asked to {s}. How would you {p} along the way?",
    "Our team needs to {s}. Walk me through how you would {p} as part of that.",
    "If you had to {s} here, how would you {p}, and what trade-offs would you weigh?",
    "Imagine you are asked to {s}. What would it take to {p} as well, and what could go wrong?",
];

pub(super) const ONE_PAIRED_TOPIC: &[&str] = &[
    "Thinking about {s}, how would you {p} in a system like ours?",
    "With {s} in mind, walk me through how you would {p}.",
    "Where does {s} come in when you {p}, and what would you check first?",
];
