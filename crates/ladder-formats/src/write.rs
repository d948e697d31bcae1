//! Writing the canonical model back out: structured YAML front matter, prose
//! Markdown, or JSON. Each writer is exact: reading its output gives back the
//! same model (see the round-trip property tests).

use std::fmt::Write as _;

use ladder_core::text::slugify;
use ladder_core::{Criterion, Framework};

/// A YAML double-quoted scalar. Control characters (C1 included) are escaped so
/// the file stays printable and reads back to the same text.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' || c == '\u{FEFF}' => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn sublevels_value(letters: &[String]) -> String {
    let chars: Vec<char> = letters.iter().filter_map(|l| l.chars().next()).collect();
    let contiguous = chars.len() >= 2
        && letters.iter().all(|l| l.chars().count() == 1)
        && chars
            .windows(2)
            .all(|pair| pair[1] as u32 == pair[0] as u32 + 1);
    if contiguous {
        format!("\"{}-{}\"", chars[0], chars[chars.len() - 1])
    } else {
        format!(
            "[{}]",
            letters
                .iter()
                .map(|l| quote(l))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn front_matter(framework: &Framework, structured: bool, out: &mut String) {
    out.push_str("---\n");
    if let Some(path) = &framework.path {
        let _ = writeln!(out, "path: {}", quote(path));
    }
    let _ = writeln!(out, "title: {}", quote(&framework.title));
    if let Some(sidebar) = &framework.sidebar_title {
        let _ = writeln!(out, "sidebarTitle: {}", quote(sidebar));
    }
    if let Some(group) = &framework.group {
        let _ = writeln!(out, "sidebarGroup: {}", quote(group));
    }
    let _ = writeln!(out, "yaml: {structured}");
    match framework.declared_level_count {
        Some(count) => {
            let _ = writeln!(out, "levels: {count}");
        }
        None => out.push_str("levels:\n"),
    }
    if let Some(prefix) = &framework.level_prefix {
        let _ = writeln!(out, "levelPrefix: {}", quote(prefix));
    }
    if let Some(letters) = &framework.sublevels {
        let _ = writeln!(out, "sublevels: {}", sublevels_value(letters));
    }
    if let Some(homepage) = framework.homepage {
        let _ = writeln!(out, "homepage: {homepage}");
    }
}

fn write_body(framework: &Framework, out: &mut String) {
    if !framework.body_markdown.is_empty() {
        out.push_str(&framework.body_markdown);
        out.push('\n');
    }
}

/// The structured (`yaml: true`) form.
pub fn to_structured(framework: &Framework) -> String {
    let mut out = String::new();
    front_matter(framework, true, &mut out);
    if framework.topics.is_empty() {
        out.push_str("topics: []\n");
    } else {
        out.push_str("topics:\n");
    }
    for topic in &framework.topics {
        let _ = writeln!(out, "  - name: {}", quote(&topic.key));
        let _ = writeln!(out, "    title: {}", quote(&topic.title));
        if let Some(subtitle) = &topic.subtitle {
            let _ = writeln!(out, "    subtitle: {}", quote(subtitle));
        }
        if topic.levels.is_empty() {
            out.push_str("    content: []\n");
            continue;
        }
        out.push_str("    content:\n");
        for level in &topic.levels {
            let _ = writeln!(out, "      - level: {}", level.number);
            // `criteria` can only hold behaviours without examples, and it is read
            // before `exampleCriteria`; so the plain prefix goes there and the
            // rest keeps its order in `exampleCriteria`.
            let split = level
                .criteria
                .iter()
                .position(|criterion| !criterion.examples.is_empty())
                .unwrap_or(level.criteria.len());
            let (plain, with_examples) = level.criteria.split_at(split);
            if plain.is_empty() {
                out.push_str("        criteria:\n");
            } else {
                out.push_str("        criteria:\n");
                for criterion in plain {
                    let _ = writeln!(out, "          - {}", quote(&criterion.text));
                }
            }
            if !with_examples.is_empty() {
                out.push_str("        exampleCriteria:\n");
                for criterion in with_examples {
                    let _ = writeln!(out, "          - criteria: {}", quote(&criterion.text));
                    if criterion.examples.is_empty() {
                        out.push_str("            examples: []\n");
                    } else {
                        out.push_str("            examples:\n");
                        for example in &criterion.examples {
                            let _ = writeln!(out, "              - {}", quote(example));
                        }
                    }
                }
            }
        }
    }
    out.push_str("---\n");
    write_body(framework, &mut out);
    out
}

fn heading_attributes(key: &str, title: &str, subtitle: Option<&str>) -> String {
    let derived = slugify(title);
    // A title that itself ends like attributes (`… {#x}`) is followed by the
    // real ones, so that the reader strips those and keeps the title whole.
    let title_reads_as_attributes =
        crate::prose::heading_attributes(title) != (title.trim().to_string(), None, None);
    let mut attributes = Vec::new();
    if derived != key || subtitle.is_some() || title_reads_as_attributes {
        if key.is_empty()
            || key.contains(|c: char| c.is_whitespace() || matches!(c, '{' | '}' | '"'))
        {
            attributes.push(format!("key=\"{}\"", escape_attribute(key)));
        } else {
            attributes.push(format!("#{key}"));
        }
    }
    if let Some(subtitle) = subtitle {
        attributes.push(format!("subtitle=\"{}\"", escape_attribute(subtitle)));
    }
    if attributes.is_empty() {
        String::new()
    } else {
        format!(" {{{}}}", attributes.join(" "))
    }
}

fn escape_attribute(value: &str) -> String {
    value.replace('&', "&amp;").replace('"', "&quot;")
}

fn prose_criterion(criterion: &Criterion, out: &mut String) {
    let _ = writeln!(out, "- {}\n", criterion.text);
    if !criterion.examples.is_empty() {
        out.push_str("    > **Examples**\n    >\n");
        for example in &criterion.examples {
            let _ = writeln!(out, "    > - {example}");
        }
        out.push('\n');
    }
}

/// The prose (`yaml: false`) form: `## Level N` / `### Topic` / `- behaviour`.
pub fn to_prose(framework: &Framework) -> String {
    let mut out = String::new();
    front_matter(framework, false, &mut out);

    let levels = framework.level_numbers();
    // A prose file orders topics by first appearance; say so explicitly when
    // the model's order differs.
    let mut appearance: Vec<&str> = Vec::new();
    for number in &levels {
        for topic in &framework.topics {
            if topic.levels.iter().any(|level| level.number == *number)
                && !appearance.contains(&topic.key.as_str())
            {
                appearance.push(&topic.key);
            }
        }
    }
    let model_order: Vec<&str> = framework
        .topics
        .iter()
        .map(|topic| topic.key.as_str())
        .collect();
    if appearance != model_order {
        let keys: Vec<String> = model_order.iter().map(|key| quote(key)).collect();
        let _ = writeln!(out, "topicOrder: [{}]", keys.join(", "));
    }
    out.push_str("---\n");
    write_body(framework, &mut out);

    for (position, number) in levels.iter().enumerate() {
        if position > 0 || !framework.body_markdown.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "## Level {number}\n");
        for topic in &framework.topics {
            let Some(level) = topic.levels.iter().find(|level| level.number == *number) else {
                continue;
            };
            let _ = writeln!(
                out,
                "### {}{}\n",
                topic.title,
                heading_attributes(&topic.key, &topic.title, topic.subtitle.as_deref())
            );
            for criterion in &level.criteria {
                prose_criterion(criterion, &mut out);
            }
        }
        if position + 1 < levels.len() {
            out.push_str("---\n");
        }
    }
    out
}

/// The canonical model as pretty-printed JSON.
pub fn to_json(framework: &Framework) -> String {
    let mut text = serde_json::to_string_pretty(framework)
        .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"));
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use ladder_core::{criterion_id, Level, Topic};

    use super::*;

    fn framework(topics: Vec<Topic>) -> Framework {
        Framework {
            slug: "x".into(),
            path: None,
            title: "X".into(),
            sidebar_title: None,
            group: None,
            declared_level_count: None,
            level_prefix: None,
            sublevels: None,
            homepage: None,
            body_markdown: String::new(),
            topics,
            source: None,
            warnings: Vec::new(),
        }
    }

    fn topic(key: &str, title: &str, subtitle: Option<&str>) -> Topic {
        Topic {
            key: key.into(),
            title: title.into(),
            subtitle: subtitle.map(str::to_string),
            levels: vec![Level {
                number: 1,
                criteria: vec![Criterion {
                    id: criterion_id(key, 1, "Fixes bugs"),
                    text: "Fixes bugs".into(),
                    examples: vec![],
                }],
            }],
        }
    }

    /// Each of these lost its key, title or subtitle in a prose round trip
    /// (found by the round-trip property), and with the key every criterion id.
    #[test]
    fn prose_headings_keep_keys_titles_and_subtitles_that_look_like_syntax() {
        for topic in [
            topic("a", "a", Some("a {")),
            topic("comms & feedback", "Comms & Feedback", None),
            topic("level: -1communication", "Communication", Some("x")),
            topic("foo-bar", "Foo {#bar}", None),
            topic("id", "x {#id subtitle=\"x\"}", None),
            topic("k", "K", Some("&quot; {#k} \"}")),
        ] {
            let model = framework(vec![topic]);
            let prose = to_prose(&model);
            let read = crate::parse("x.md", prose.as_bytes());
            assert!(!read.has_errors(), "{:?}", read.diagnostics);
            assert_eq!(
                read.framework.map(|f| f.content()),
                Some(model.content()),
                "{prose}"
            );
        }
    }

    #[test]
    fn simple_keys_are_still_written_as_ids() {
        let prose = to_prose(&framework(vec![topic("craft", "Mastery", Some("How"))]));
        assert!(
            prose.contains("### Mastery {#craft subtitle=\"How\"}\n"),
            "{prose}"
        );
        let prose = to_prose(&framework(vec![topic("mastery", "Mastery", None)]));
        assert!(prose.contains("### Mastery\n"), "{prose}");
    }
}
