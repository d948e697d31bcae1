//! Round 02 templates: behavioural prompts about the candidate's own past,
//! with at most one follow-up. `{d}` is an action's simple past ("designed
//! schemas for …"), `{p}` a topic, `{s}` the setting in the role, `{c}` what
//! the job description says the team works on.

pub(super) const TWO_ACTION: &[&str] = &[
    "Tell me about a time you {d}. What was the outcome?",
    "Describe a situation where you {d}. What would you do differently now?",
    "Walk me through a project where you {d}. What made it hard?",
    "Tell me about the last time you {d}. How did you know it had worked?",
    "Tell me about a time you {d} on work involving {c}. What was at stake?",
    "Give an example of a time you {d}. What did you learn from it?",
];

pub(super) const TWO_TOPIC: &[&str] = &[
    "Tell me about a project where you relied on {p}. What did you learn?",
    "Describe a situation where your grasp of {p} made the difference.",
    "Tell me about a time you had to learn more about {p} quickly. How did you go about it?",
    "Walk me through a time you made a decision that depended on {p}.",
    "Tell me about a time you applied {p} to work involving {c}. What was hard about it?",
];

pub(super) const TWO_QUOTE: &[&str] = &[
    "Tell me about a time you did work like this part of our job description: “{p}”.",
    "Describe a situation where you handled something like this, from our job description: “{p}”.",
];

pub(super) const TWO_TITLE: &[&str] = &[
    "Tell me about a time you did work you are proud of that is relevant to {p}. What made it good?",
    "Describe a situation where you had to learn something quickly to do well in {p}.",
    "Tell me about a time you disagreed with a technical decision. What did you do about it?",
    "Tell me about a time something you owned failed in production. What did you change afterwards?",
    "Walk me through a project where the requirements changed late. How did you adapt?",
    "Describe a situation where you had to explain a technical trade-off to someone outside engineering.",
    "Tell me about a time you changed your mind about a technical decision. What changed it?",
    "Tell me about a time you made a mistake that reached users. What did you do next?",
    "Describe a situation where you helped a teammate get unstuck on a hard problem.",
    "Tell me about a time you simplified something that others found too complicated.",
    "Walk me through a project where you had to balance speed against quality. How did you decide?",
    "Tell me about a time you received critical feedback on your work. What did you do with it?",
];

/// A behaviour ({d}) and what the role needs it for ({s}, an action).
pub(super) const TWO_PAIRED_ACTION: &[&str] = &[
    "Tell me about a time you {d}. How would that experience help you {s} here?",
    "Describe a situation where you {d}. What did it teach you that would matter when you {s}?",
];

/// A behaviour ({d}) where a topic of the role ({s}) mattered.
pub(super) const TWO_PAIRED_TOPIC: &[&str] = &[
    "Tell me about a time you {d} where {s} mattered.",
    "Describe a situation where you {d} and {s} shaped what you did.",
];

#[cfg(test)]
mod tests {
    use crate::generate::fixtures::{framework, spec};
    use crate::generate::quality::BEHAVIOURAL_OPENERS;
    use crate::generate::{generate, Context, Round};
    use crate::jobspec::JobSpecBody;

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
