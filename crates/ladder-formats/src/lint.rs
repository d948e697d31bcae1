//! Checks on the content of a framework that are the same whichever format it
//! came from: level counts, sub-level detection, repeated behaviours and a title
//! that names one technology while the behaviours name another.

use std::collections::HashMap;

use ladder_core::text::normalise_for_identity;
use ladder_core::{Diagnostic, Framework};

use crate::structured::{letter_range, CriterionLines, FrontMatter};

pub(crate) fn run(
    framework: &mut Framework,
    front: &FrontMatter,
    lines: &CriterionLines,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if framework.sublevels.is_none() {
        framework.sublevels = detect_sublevels(&framework.body_markdown);
    }
    level_count(framework, front, diagnostics);
    duplicates(framework, lines, diagnostics);
    technology(framework, front, lines, diagnostics);
}

fn describe_levels(numbers: &[u32]) -> String {
    match numbers {
        [] => "none".to_string(),
        [only] => only.to_string(),
        [first, .., last] if (last - first) as usize + 1 == numbers.len() => {
            format!("{first}–{last}")
        }
        _ => numbers
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn level_count(framework: &Framework, front: &FrontMatter, diagnostics: &mut Vec<Diagnostic>) {
    let mut populated: Vec<u32> = framework
        .topics
        .iter()
        .flat_map(|topic| topic.levels.iter())
        .filter(|level| !level.criteria.is_empty())
        .map(|level| level.number)
        .collect();
    populated.sort_unstable();
    populated.dedup();
    if populated.is_empty() {
        return;
    }
    let actual = populated.len() as u32;
    let shown = describe_levels(&populated);
    let message = match framework.declared_level_count {
        Some(declared) if declared == actual => return,
        Some(declared) => format!("`levels: {declared}` disagrees with the file, which has behaviours at {actual} levels ({shown})"),
        None => format!("`levels:` is empty, but the file has behaviours at {actual} levels ({shown})"),
    };
    diagnostics.push(
        Diagnostic::warning("level-count-mismatch", message)
            .at_opt(front.levels_position)
            .with_hint(format!("set `levels: {actual}`")),
    );
}

/// Finds "sub-levels, labelled A–D" (and similar phrasings) in home text.
pub(crate) fn detect_sublevels(body: &str) -> Option<Vec<String>> {
    let lower = body.to_lowercase();
    for needle in ["sub-level", "sublevel", "sub level"] {
        let mut from = 0;
        while let Some(found) = lower[from..].find(needle) {
            let start = from + found;
            from = start + needle.len();
            // `lower` and `body` can differ in byte length for some scripts, so
            // search the window in `body` by characters.
            let prefix_chars = lower[..start].chars().count();
            let window: Vec<char> = body.chars().skip(prefix_chars).take(160).collect();
            if let Some(letters) = find_letter_range(&window) {
                return Some(letters);
            }
        }
    }
    None
}

fn find_letter_range(window: &[char]) -> Option<Vec<String>> {
    let boundary =
        |index: usize| -> bool { window.get(index).is_none_or(|c| !c.is_alphanumeric()) };
    for (index, &c) in window.iter().enumerate() {
        if c == '.'
            && window
                .get(index + 1)
                .is_some_and(|next| next.is_whitespace())
        {
            return None;
        }
        if !c.is_ascii_uppercase() || (index > 0 && !boundary(index - 1)) || !boundary(index + 1) {
            continue;
        }
        let mut cursor = index + 1;
        while window.get(cursor).is_some_and(|c| *c == ' ') {
            cursor += 1;
        }
        let after_separator = match window.get(cursor) {
            Some('-' | '–' | '—') => cursor + 1,
            Some('t') if window.get(cursor + 1) == Some(&'o') => cursor + 2,
            _ => continue,
        };
        let mut end = after_separator;
        while window.get(end).is_some_and(|c| *c == ' ') {
            end += 1;
        }
        if let Some(&last) = window.get(end) {
            if last.is_ascii_uppercase() && boundary(end + 1) {
                if let Some(letters) = letter_range(c, last) {
                    return Some(letters);
                }
            }
        }
    }
    None
}

fn duplicates(framework: &Framework, lines: &CriterionLines, diagnostics: &mut Vec<Diagnostic>) {
    for (topic_index, topic) in framework.topics.iter().enumerate() {
        let mut seen: HashMap<String, (u32, Option<u32>)> = HashMap::new();
        for level in &topic.levels {
            for (index, criterion) in level.criteria.iter().enumerate() {
                let line = lines.get(&(topic_index, level.number, index)).copied();
                let key = normalise_for_identity(&criterion.text);
                match seen.get(&key) {
                    Some(&(first_level, first_line)) => {
                        let earlier = match first_line {
                            Some(first_line) => format!("level {first_level} (line {first_line})"),
                            None => format!("level {first_level}"),
                        };
                        let place = if first_level == level.number {
                            "twice in the same level".to_string()
                        } else {
                            format!("at {earlier} and again at level {}", level.number)
                        };
                        diagnostics.push(
                            Diagnostic::warning(
                                "duplicate-criterion",
                                format!("“{}” appears {place} of topic “{}”", criterion.text, topic.title),
                            )
                            .at_opt(line.map(|line| (line, 1)))
                            .with_hint("a behaviour belongs to one level; remove one of them or reword it to say what changes"),
                        );
                    }
                    None => {
                        seen.insert(key, (level.number, line));
                    }
                }
            }
        }
    }
}

/// A technology, the spellings that name it, and whether matching is exact-case
/// (short names like "Go" are only a technology when capitalised mid-sentence).
struct Technology {
    name: &'static str,
    spellings: &'static [&'static str],
    exact_case: bool,
}

const TECHNOLOGIES: &[Technology] = &[
    Technology {
        name: "Go",
        spellings: &["Go", "Golang"],
        exact_case: true,
    },
    Technology {
        name: ".Net",
        spellings: &[".net", "dotnet", "c#", "asp.net", "f#"],
        exact_case: false,
    },
    Technology {
        name: "Node.js",
        spellings: &["node.js", "nodejs", "node"],
        exact_case: false,
    },
    Technology {
        name: "Java",
        spellings: &["Java"],
        exact_case: true,
    },
    Technology {
        name: "Kotlin",
        spellings: &["kotlin"],
        exact_case: false,
    },
    Technology {
        name: "Python",
        spellings: &["python", "django"],
        exact_case: false,
    },
    Technology {
        name: "Ruby",
        spellings: &["ruby", "rails"],
        exact_case: false,
    },
    Technology {
        name: "PHP",
        spellings: &["php", "laravel"],
        exact_case: false,
    },
    Technology {
        name: "Rust",
        spellings: &["Rust"],
        exact_case: true,
    },
    Technology {
        name: "Scala",
        spellings: &["scala"],
        exact_case: false,
    },
    Technology {
        name: "Swift",
        spellings: &["Swift", "SwiftUI"],
        exact_case: true,
    },
    Technology {
        name: "Elixir",
        spellings: &["elixir"],
        exact_case: false,
    },
    Technology {
        name: "TypeScript",
        spellings: &["typescript"],
        exact_case: false,
    },
    Technology {
        name: "JavaScript",
        spellings: &["javascript"],
        exact_case: false,
    },
];

fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '"' | '“' | '”' | '/' | '[' | ']')
    })
    .map(|word| {
        word.trim_end_matches(['.', ':', '!', '?', '\'', '’'])
            .trim_start_matches(['\'', '‘'])
    })
    .filter(|word| !word.is_empty())
    .collect()
}

/// Technologies named in a text. Exact-case names don't count as the first word
/// of a sentence, where "Go" is usually the verb.
fn technologies_in(text: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    let tokens = words(text);
    for (index, word) in tokens.iter().enumerate() {
        for technology in TECHNOLOGIES {
            let hit = technology.spellings.iter().any(|spelling| {
                if technology.exact_case {
                    *word == *spelling && index > 0
                } else {
                    word.eq_ignore_ascii_case(spelling)
                }
            });
            if hit && !found.contains(&technology.name) {
                found.push(technology.name);
            }
        }
    }
    found
}

fn technology(
    framework: &Framework,
    front: &FrontMatter,
    lines: &CriterionLines,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // The title's own first word counts too ("Python Engineering").
    let title = format!(
        "the {} {}",
        framework.title,
        framework.sidebar_title.as_deref().unwrap_or("")
    );
    let named = technologies_in(&title);
    if named.is_empty() {
        return;
    }
    let mut clashes: Vec<(&'static str, String, Option<u32>)> = Vec::new();
    for (topic_index, topic) in framework.topics.iter().enumerate() {
        for level in &topic.levels {
            for (index, criterion) in level.criteria.iter().enumerate() {
                let texts = std::iter::once(&criterion.text).chain(criterion.examples.iter());
                for text in texts {
                    for technology in technologies_in(text) {
                        if !named.contains(&technology)
                            && !clashes.iter().any(|(name, _, _)| *name == technology)
                        {
                            let line = lines.get(&(topic_index, level.number, index)).copied();
                            clashes.push((technology, criterion.text.clone(), line));
                        }
                    }
                }
            }
        }
    }
    for (technology, text, line) in clashes {
        let where_ = line
            .map(|line| format!(" (line {line})"))
            .unwrap_or_default();
        diagnostics.push(
            Diagnostic::warning(
                "technology-mismatch",
                format!(
                    "the title names {} but behaviours name {technology}: “{text}”{where_}",
                    named.join(", ")
                ),
            )
            .at_opt(
                line.map(|line| (line, 1))
                    .or(front.title_line.map(|line| (line, 1))),
            )
            .with_hint(format!(
                "this looks copied from a {technology} framework; rewrite it for {}",
                named.join(", ")
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sublevels_are_detected_from_prose() {
        let letters = |text: &str| detect_sublevels(text).map(|l| l.join(""));
        assert_eq!(
            letters("within each level you can progress in sub-levels, labelled A–D. So"),
            Some("ABCD".into())
        );
        assert_eq!(
            letters("there are sublevels labelled A-C"),
            Some("ABC".into())
        );
        assert_eq!(letters("Sub-levels run from A to E."), Some("ABCDE".into()));
        assert_eq!(letters("no sub-levels here. A–D later"), None);
        assert_eq!(letters("levels A–D without the word"), None);
    }

    #[test]
    fn technologies_skip_sentence_initial_go() {
        assert_eq!(technologies_in("Writes idiomatic Go code"), vec!["Go"]);
        assert!(technologies_in("Go through the runbook").is_empty());
        assert_eq!(
            technologies_in("the 🐍 .Net Engineering Framework"),
            vec![".Net"]
        );
        assert_eq!(
            technologies_in("Learns to write correct Node.js code"),
            vec!["Node.js"]
        );
        assert!(technologies_in("JavaScript tooling").contains(&"JavaScript"));
        assert!(!technologies_in("JavaScript tooling").contains(&"Java"));
    }
}
