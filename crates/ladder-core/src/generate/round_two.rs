//! Round 02 templates: behavioural prompts ("Tell me about a time you …").
//! `{p}` is the seed's phrase, `{s}` its setting in the role.

pub(super) const TWO_ACTION: &[&str] = &[
    "Tell me about a time you had to {p}.",
    "Describe a situation where you had to {p}.",
    "Give an example of when you had to {p}, and what the outcome was.",
    "Walk me through a project where you had to {p}.",
    "Tell me about the hardest time you had to {p}, and what you would do differently now.",
    "Describe the best example from your own experience of having to {p}.",
];

pub(super) const TWO_TOPIC: &[&str] = &[
    "Tell me about a piece of work where {p} played a central role.",
    "Describe a situation where your grasp of {p} made the difference.",
    "Give an example of when a problem with {p} taught you something.",
    "Walk me through a project where {p} shaped your decisions.",
];

pub(super) const TWO_QUOTE: &[&str] = &[
    "Tell me about a time you did work like this, from our job description: “{p}”.",
    "Describe a situation like the one our job description mentions — “{p}” — and how you handled it.",
    "Give an example of relevant work you have done, given that our job description says “{p}”.",
];

pub(super) const TWO_TITLE: &[&str] = &[
    "Tell me about the piece of work you are proudest of that is relevant to {p}.",
    "Describe a situation where you had to learn something quickly to do well in {p}.",
    "Give an example of when you disagreed with a technical decision, and what you did about it.",
    "Tell me about a time something you owned failed in production, and what you changed afterwards.",
    "Walk me through a project where the requirements changed late, and how you adapted.",
    "Describe a situation where you had to explain a technical trade-off to someone outside engineering.",
];

pub(super) const TWO_PAIRED_ACTION: &[&str] = &[
    "Tell me about a time you had to {p}. How would that experience help you {s} here?",
    "Describe a situation where you had to {p}, and what it taught you that would matter when you {s}.",
    "Give an example of when you had to {p}. What would you do the same way if you had to {s}?",
    "Walk me through a project where you had to {p}, and how it compares with having to {s}.",
];

pub(super) const TWO_PAIRED_TOPIC: &[&str] = &[
    "Tell me about a time you had to {p} where {s} mattered.",
    "Describe a situation where you had to {p} and {s} shaped what you did.",
    "Give an example of when you had to {p}, and what part {s} played.",
];

#[cfg(test)]
mod tests {
    use crate::generate::fixtures::{framework, spec};
    use crate::generate::{generate, Context, Round};
    use crate::jobspec::JobSpecBody;

    /// The opening words of every round-two prompt the templates produce.
    const BEHAVIOURAL_OPENERS: &[&str] = &[
        "Tell me about",
        "Describe",
        "Give an example",
        "Walk me through",
    ];

    #[test]
    fn round_two_prompts_open_behaviourally() {
        let framework = framework();
        let spec = spec();
        let jd_only = JobSpecBody {
            competencies: vec![],
            ..spec.clone()
        };
        let bare = JobSpecBody {
            description: String::new(),
            ..jd_only.clone()
        };
        for (spec, framework) in [
            (&spec, Some(&framework)),
            (&spec, None),
            (&jd_only, None),
            (&bare, None),
        ] {
            for item in generate(&Context { spec, framework }, Round::Two, 8, &[]) {
                assert!(
                    BEHAVIOURAL_OPENERS
                        .iter()
                        .any(|opener| item.text.starts_with(opener)),
                    "{}",
                    item.text
                );
            }
        }
    }
}
