//! Reading prose frameworks: `## Level N` sections holding `### Topic`
//! subsections of `- ` behaviour bullets, with examples as indented block quotes
//! or indented sub-bullets.

use std::collections::HashMap;

use ladder_core::text::{collapse_whitespace, slugify};
use ladder_core::{Criterion, Diagnostic, Level, Topic};

use crate::structured::{report_empty, settle_levels, CriterionLines, FrontMatter, Read};

/// What the previous content line continued, so that wrapped lines join the
/// right piece of text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Nothing,
    Behaviour,
    Example,
    QuotedExample,
    Paragraph,
}

struct Reader<'a> {
    front: &'a FrontMatter,
    topics: Vec<Topic>,
    topic_index: HashMap<String, usize>,
    topic_positions: Vec<(u32, u32)>,
    level_positions: HashMap<(usize, u32), (u32, u32)>,
    lines: CriterionLines,
    diagnostics: Vec<Diagnostic>,
    body: Vec<&'a str>,
    level: Option<u32>,
    /// (topic index, position of its level within `topic.levels`)
    target: Option<(usize, usize)>,
    open: Open,
    blank_before: bool,
}

fn indent_width(line: &str) -> usize {
    let mut width = 0;
    for c in line.chars() {
        match c {
            ' ' => width += 1,
            '\t' => width += 4 - width % 4,
            _ => break,
        }
    }
    width
}

fn bullet_text(text: &str) -> Option<&str> {
    for marker in ["- ", "* ", "+ ", "-\t", "*\t", "+\t"] {
        if let Some(rest) = text.strip_prefix(marker) {
            return Some(rest.trim());
        }
    }
    if matches!(text, "-" | "*" | "+") {
        return Some("");
    }
    None
}

fn is_rule(text: &str) -> bool {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && (compact.chars().all(|c| c == '-')
            || compact.chars().all(|c| c == '*')
            || compact.chars().all(|c| c == '_'))
}

fn is_examples_label(text: &str) -> bool {
    let bare: String = text
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | ':'))
        .collect();
    matches!(
        bare.trim().to_ascii_lowercase().as_str(),
        "examples" | "example"
    )
}

/// "Level 3", "Level E3", "E3" (with a level prefix) -> 3.
pub(crate) fn level_number(heading: &str, prefix: Option<&str>) -> Option<u32> {
    let mut rest = heading.trim();
    let lower = rest.to_ascii_lowercase();
    if lower.starts_with("level") {
        rest = rest[5..].trim_start();
    } else {
        let prefix = prefix.filter(|p| !p.is_empty())?;
        rest = rest.strip_prefix(prefix)?;
    }
    if let Some(prefix) = prefix.filter(|p| !p.is_empty()) {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = rest[digits.len()..].trim_start();
    if digits.is_empty() || !(after.is_empty() || after.starts_with([':', '-', '–', '—', '(']))
    {
        return None;
    }
    digits.parse().ok()
}

/// Splits `Title {#key subtitle="…"}` into the title and its attributes.
pub(crate) fn heading_attributes(heading: &str) -> (String, Option<String>, Option<String>) {
    let trimmed = heading.trim();
    if let Some(split) = exact_attributes(trimmed) {
        return split;
    }
    // Hand-written attributes in other shapes (`{#key}` followed by anything).
    if let (true, Some(open)) = (trimmed.ends_with('}'), trimmed.rfind(" {")) {
        let inner = &trimmed[open + 2..trimmed.len() - 1];
        if inner.starts_with('#') {
            let (key_part, rest) = inner.split_once(' ').unwrap_or((inner, ""));
            let key = key_part.trim_start_matches('#').to_string();
            let subtitle = rest
                .trim()
                .strip_prefix("subtitle=\"")
                .and_then(|value| value.strip_suffix('"'))
                .map(unescape_attribute);
            return (
                trimmed[..open].trim().to_string(),
                Some(key).filter(|k| !k.is_empty()),
                subtitle,
            );
        }
    }
    (trimmed.to_string(), None, None)
}

/// The attributes exactly as the prose writer puts them, read from the end:
/// ` {#key}`, ` {key="…"}` (a key with spaces or braces), each optionally
/// followed by ` subtitle="…"`. Values hold no `"` (it is written `&quot;`),
/// so a value may hold ` {` and a title may end in something that looks like
/// attributes.
fn exact_attributes(heading: &str) -> Option<(String, Option<String>, Option<String>)> {
    let mut rest = heading.strip_suffix('}')?;
    let mut key: Option<String> = None;
    let mut subtitle: Option<String> = None;
    loop {
        if let Some(quoted) = rest.strip_suffix('"') {
            let start = quoted.rfind('"')?;
            let value = unescape_attribute(&quoted[start + 1..]);
            let named = quoted[..start].strip_suffix('=')?;
            let name_start = named.rfind([' ', '{'])? + 1;
            match &named[name_start..] {
                "subtitle" if subtitle.is_none() && key.is_none() => subtitle = Some(value),
                "key" if key.is_none() => key = Some(value),
                _ => return None,
            }
            rest = &named[..name_start];
        } else {
            let start = rest.rfind([' ', '{'])? + 1;
            let id = rest[start..].strip_prefix('#')?;
            if key.is_some() || id.contains(['"', '}']) {
                return None;
            }
            key = Some(id.to_string());
            rest = &rest[..start];
        }
        if let Some(title) = rest.strip_suffix(" {") {
            return Some((
                title.trim().to_string(),
                key.filter(|key| !key.is_empty()),
                subtitle,
            ));
        }
        rest = rest.strip_suffix(' ')?;
    }
}

fn unescape_attribute(value: &str) -> String {
    value.replace("&quot;", "\"").replace("&amp;", "&")
}

impl<'a> Reader<'a> {
    fn criterion_mut(&mut self) -> Option<&mut Criterion> {
        let (topic, level) = self.target?;
        self.topics
            .get_mut(topic)?
            .levels
            .get_mut(level)?
            .criteria
            .last_mut()
    }

    fn start_topic(&mut self, heading: &str, line: u32, level: u32) {
        let (title, key, subtitle) = heading_attributes(heading);
        let mut key = key.unwrap_or_else(|| slugify(&title));
        if key.is_empty() {
            key = format!("topic-{}", self.topics.len() + 1);
        }
        let index = match self.topic_index.get(&key) {
            Some(&index) => index,
            None => {
                let index = self.topics.len();
                self.topics.push(Topic {
                    key: key.clone(),
                    title: if title.is_empty() { key.clone() } else { title },
                    subtitle,
                    levels: Vec::new(),
                });
                self.topic_index.insert(key, index);
                self.topic_positions.push((line, 1));
                index
            }
        };
        let levels = &mut self.topics[index].levels;
        let position = match levels.iter().position(|existing| existing.number == level) {
            Some(position) => {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "duplicate-topic",
                        format!(
                            "topic “{}” appears twice in level {level}; its behaviours were merged",
                            self.topics[index].title
                        ),
                    )
                    .at(line, 1)
                    .with_hint("keep one `###` heading per topic in each level"),
                );
                position
            }
            None => {
                levels.push(Level {
                    number: level,
                    criteria: Vec::new(),
                });
                self.level_positions.insert((index, level), (line, 1));
                levels.len() - 1
            }
        };
        self.target = Some((index, position));
        self.open = Open::Nothing;
    }

    fn add_behaviour(&mut self, text: &str, line: u32) {
        let Some((topic, level_position)) = self.target else {
            return;
        };
        let Some(level) = self
            .topics
            .get_mut(topic)
            .and_then(|t| t.levels.get_mut(level_position))
        else {
            return;
        };
        let number = level.number;
        let index = level.criteria.len();
        level.criteria.push(Criterion {
            id: String::new(),
            text: text.to_string(),
            examples: Vec::new(),
        });
        self.lines.insert((topic, number, index), line);
    }

    fn append(&mut self, text: &str) {
        let open = self.open;
        if let Some(criterion) = self.criterion_mut() {
            let target = match open {
                Open::Behaviour | Open::Paragraph => Some(&mut criterion.text),
                Open::Example | Open::QuotedExample => criterion.examples.last_mut(),
                Open::Nothing => None,
            };
            if let Some(target) = target {
                if !target.is_empty() {
                    target.push(' ');
                }
                target.push_str(text);
            }
        }
    }

    fn add_example(&mut self, text: &str, line: u32, quoted: bool) {
        match self.criterion_mut() {
            Some(criterion) => {
                criterion.examples.push(text.to_string());
                self.open = if quoted {
                    Open::QuotedExample
                } else {
                    Open::Example
                };
            }
            None => self.diagnostics.push(
                Diagnostic::warning(
                    "orphan-example",
                    "an example appears before any behaviour in this topic and is ignored",
                )
                .at(line, 1)
                .with_hint("put examples under the `- ` behaviour they illustrate"),
            ),
        }
    }

    fn quote_line(&mut self, content: &str, line: u32) {
        let content = content.trim();
        if content.is_empty() {
            // A blank quoted line ends an example paragraph; later quoted lines
            // still belong to the same behaviour.
            if self.open == Open::QuotedExample {
                self.open = Open::Nothing;
            }
            return;
        }
        if is_examples_label(content) {
            self.open = Open::Nothing;
            return;
        }
        if let Some(item) = bullet_text(content) {
            if !item.is_empty() {
                self.add_example(item, line, true);
            }
            return;
        }
        if self.open == Open::QuotedExample {
            self.append(content);
        } else {
            self.add_example(content, line, true);
        }
    }

    fn content_line(&mut self, raw: &str, line: u32) {
        let text = raw.trim();
        if text.is_empty() {
            self.blank_before = true;
            if matches!(self.open, Open::Paragraph) {
                self.open = Open::Nothing;
            }
            return;
        }
        let indent = indent_width(raw);
        let blank_before = std::mem::replace(&mut self.blank_before, false);
        let has_behaviour = self.criterion_mut().is_some();

        if let Some(quoted) = text.strip_prefix('>') {
            self.quote_line(quoted, line);
            return;
        }
        if let Some(item) = bullet_text(text) {
            if item.is_empty() {
                return;
            }
            if indent >= 2 && has_behaviour {
                self.add_example(item, line, false);
            } else {
                self.add_behaviour(item, line);
                self.open = Open::Behaviour;
            }
            return;
        }
        if is_rule(text) {
            self.open = Open::Nothing;
            return;
        }
        if !blank_before && self.open != Open::Nothing {
            self.append(text);
            return;
        }
        if indent >= 2 && has_behaviour {
            self.add_example(text, line, false);
            return;
        }
        self.add_behaviour(text, line);
        self.open = Open::Paragraph;
    }

    fn stray_line(&mut self, raw: &str, line: u32) {
        if raw.trim().is_empty() || is_rule(raw.trim()) {
            return;
        }
        self.diagnostics.push(
            Diagnostic::warning("ignored-text", "text between a `## Level` heading and its first `### Topic` is not part of any topic and is ignored")
                .at(line, 1)
                .with_hint("move it under a `### Topic` heading or above the first level"),
        );
    }
}

pub(crate) fn read(front: &FrontMatter, body: &str, body_first_line: u32) -> Read {
    let mut reader = Reader {
        front,
        topics: Vec::new(),
        topic_index: HashMap::new(),
        topic_positions: Vec::new(),
        level_positions: HashMap::new(),
        lines: CriterionLines::new(),
        diagnostics: Vec::new(),
        body: Vec::new(),
        level: None,
        target: None,
        open: Open::Nothing,
        blank_before: false,
    };
    let mut fence: Option<&str> = None;
    let mut saw_level = false;
    for (offset, raw) in body.split_inclusive('\n').enumerate() {
        let line = body_first_line + crate::clamp(offset);
        let content = raw.strip_suffix('\n').unwrap_or(raw);
        let trimmed = content.trim_start();
        let shallow = indent_width(content) < 4;

        // Fenced code is opaque: headings inside it are not headings.
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            if reader.level.is_none() {
                reader.body.push(raw);
            }
            continue;
        }
        if shallow && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            fence = Some(&trimmed[..3]);
            if reader.level.is_none() {
                reader.body.push(raw);
            }
            continue;
        }

        if shallow && trimmed.starts_with("## ") {
            let heading = trimmed[3..].trim();
            match level_number(heading, reader.front.level_prefix.as_deref()) {
                Some(number) => {
                    reader.level = Some(number);
                    reader.target = None;
                    reader.open = Open::Nothing;
                    saw_level = true;
                }
                None => {
                    reader.level = None;
                    reader.target = None;
                    reader.body.push(raw);
                }
            }
            continue;
        }
        let Some(level) = reader.level else {
            reader.body.push(raw);
            continue;
        };
        if shallow && trimmed.starts_with("### ") {
            reader.start_topic(&trimmed[4..], line, level);
            continue;
        }
        if shallow && trimmed.starts_with("# ") {
            reader.level = None;
            reader.target = None;
            reader.body.push(raw);
            continue;
        }
        if reader.target.is_none() {
            reader.stray_line(content, line);
            continue;
        }
        reader.content_line(content, line);
    }

    // Wrapped bullet text was joined with single spaces; keep it tidy.
    for topic in &mut reader.topics {
        for level in &mut topic.levels {
            for criterion in &mut level.criteria {
                criterion.text = collapse_whitespace(&criterion.text);
                for example in &mut criterion.examples {
                    *example = collapse_whitespace(example);
                }
            }
        }
    }

    let mut topics = std::mem::take(&mut reader.topics);
    let mut positions = std::mem::take(&mut reader.topic_positions);
    if !front.topic_order.is_empty() {
        let rank = |key: &str| {
            front
                .topic_order
                .iter()
                .position(|k| k == key)
                .unwrap_or(usize::MAX)
        };
        let mut paired: Vec<(Topic, (u32, u32), usize)> = topics
            .into_iter()
            .zip(positions)
            .enumerate()
            .map(|(index, (topic, position))| (topic, position, index))
            .collect();
        paired.sort_by_key(|(topic, _, index)| (rank(&topic.key), *index));
        let mut remap = HashMap::new();
        for (new_index, (_, _, old_index)) in paired.iter().enumerate() {
            remap.insert(*old_index, new_index);
        }
        reader.lines = reader
            .lines
            .into_iter()
            .map(|((topic, level, index), line)| {
                (
                    (remap.get(&topic).copied().unwrap_or(topic), level, index),
                    line,
                )
            })
            .collect();
        reader.level_positions = reader
            .level_positions
            .into_iter()
            .map(|((topic, level), position)| {
                (
                    (remap.get(&topic).copied().unwrap_or(topic), level),
                    position,
                )
            })
            .collect();
        topics = paired.iter().map(|(topic, _, _)| topic.clone()).collect();
        positions = paired.iter().map(|(_, position, _)| *position).collect();
    }
    for (index, topic) in topics.iter_mut().enumerate() {
        settle_levels(topic, &mut reader.lines, index, &mut reader.diagnostics);
    }
    report_empty(
        &topics,
        &positions,
        &reader.level_positions,
        &mut reader.diagnostics,
    );
    if !saw_level {
        reader.diagnostics.push(
            Diagnostic::warning("no-levels", "this prose file has no `## Level N` sections; it was imported as a plain page with no behaviours")
                .at(body_first_line, 1)
                .with_hint("add `## Level 1` sections with `### Topic` subsections and `- ` behaviours, if this is meant to be a framework"),
        );
    }
    let body_text: String = reader.body.concat();
    Read {
        framework: front.framework(&body_text, topics.clone()),
        diagnostics: reader.diagnostics,
        topics_written: topics.len(),
        criterion_lines: reader.lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_headings() {
        assert_eq!(level_number("Level 3", None), Some(3));
        assert_eq!(level_number("Level 5 ", None), Some(5));
        assert_eq!(level_number("level E2", Some("E")), Some(2));
        assert_eq!(level_number("E4", Some("E")), Some(4));
        assert_eq!(level_number("Level 2: Engineer", None), Some(2));
        assert_eq!(level_number("Levelling up", None), None);
        assert_eq!(level_number("Technologies", None), None);
        assert_eq!(level_number("E4", None), None);
    }

    #[test]
    fn heading_attributes_carry_key_and_subtitle() {
        assert_eq!(
            heading_attributes("Mastery {#craft subtitle=\"How &quot;good&quot;\"}"),
            (
                "Mastery".to_string(),
                Some("craft".to_string()),
                Some("How \"good\"".to_string())
            )
        );
        assert_eq!(
            heading_attributes("Comms & Feedback "),
            ("Comms & Feedback".to_string(), None, None)
        );
    }

    fn split(
        title: &str,
        key: Option<&str>,
        subtitle: Option<&str>,
    ) -> (String, Option<String>, Option<String>) {
        (
            title.to_string(),
            key.map(str::to_string),
            subtitle.map(str::to_string),
        )
    }

    #[test]
    fn attributes_are_read_from_the_end_so_values_may_hold_braces() {
        // Found by the round-trip property: a subtitle holding " {" made the
        // whole heading the title.
        assert_eq!(
            heading_attributes("a {#a subtitle=\"a {\"}"),
            split("a", Some("a"), Some("a {"))
        );
        // A title that ends like attributes keeps them when real ones follow.
        assert_eq!(
            heading_attributes("Foo {#bar} {#foo-bar}"),
            split("Foo {#bar}", Some("foo-bar"), None)
        );
        assert_eq!(
            heading_attributes("T {x=\"1\"} {#k subtitle=\"s\"}"),
            split("T {x=\"1\"}", Some("k"), Some("s"))
        );
        // A key with spaces is written `key="…"`.
        assert_eq!(
            heading_attributes("Comms {key=\"comms &amp; feedback\" subtitle=\"&quot;x&quot;\"}"),
            split("Comms", Some("comms & feedback"), Some("\"x\""))
        );
        // Hand-written shapes read as before.
        assert_eq!(
            heading_attributes("Mastery {#craft .class}"),
            split("Mastery", Some("craft"), None)
        );
        assert_eq!(
            heading_attributes("{#alone}"),
            split("{#alone}", None, None)
        );
    }
}
