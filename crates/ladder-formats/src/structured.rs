//! Reading the front matter (both formats) and the structured `topics` list.

use std::collections::{HashMap, HashSet};

use ladder_core::text::{collapse_whitespace, slugify, title_case};
use ladder_core::{criterion_id, Criterion, Diagnostic, Framework, Level, SourceFormat, Topic};

use crate::yaml::Node;

/// (topic index, level number, criterion index within the level) -> file line.
pub(crate) type CriterionLines = HashMap<(usize, u32, usize), u32>;

/// What a format reader hands to the linter.
pub(crate) struct Read {
    pub framework: Framework,
    pub diagnostics: Vec<Diagnostic>,
    pub topics_written: usize,
    pub criterion_lines: CriterionLines,
}

const KNOWN_KEYS: &[&str] = &[
    "path",
    "title",
    "sidebarTitle",
    "sidebarGroup",
    "yaml",
    "levels",
    "homepage",
    "levelPrefix",
    "topics",
    "sublevels",
    "topicOrder",
];

fn plural(what: &str) -> &str {
    match what {
        "criterion" => "criteria",
        "example" => "examples",
        other => other,
    }
}

pub(crate) struct FrontMatter {
    pub format: SourceFormat,
    pub slug: String,
    pub path: Option<String>,
    pub title: String,
    pub title_line: Option<u32>,
    pub sidebar_title: Option<String>,
    pub group: Option<String>,
    pub declared_levels: Option<u32>,
    pub levels_position: Option<(u32, u32)>,
    pub level_prefix: Option<String>,
    pub sublevels: Option<Vec<String>>,
    pub homepage: Option<bool>,
    pub topics: Option<Node>,
    pub topic_order: Vec<String>,
}

fn optional_text(node: Option<&Node>) -> Option<String> {
    node.and_then(Node::as_text)
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

fn type_error(key: &str, node: &Node, expected: &str, hint: &str) -> Diagnostic {
    Diagnostic::error(
        "invalid-value",
        format!("`{key}` must be {expected}, but it is {}", node.describe()),
    )
    .at(node.line, node.column)
    .with_hint(hint.to_string())
}

fn file_stem(file: &str) -> &str {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    name.split('.').next().unwrap_or(name)
}

/// Parses "A-D", "A–D", "A to D", "A, B, C" or a YAML list into letters.
pub(crate) fn parse_sublevels(text: &str) -> Option<Vec<String>> {
    let cleaned: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let is_dash = |c: char| matches!(c, '-' | '–' | '—');
    if cleaned.len() == 3
        && cleaned[0].is_ascii_uppercase()
        && is_dash(cleaned[1])
        && cleaned[2].is_ascii_uppercase()
    {
        return letter_range(cleaned[0], cleaned[2]);
    }
    let upper = text.to_ascii_uppercase();
    if let Some((from, to)) = upper.split_once(" TO ") {
        let (from, to) = (from.trim(), to.trim());
        if from.len() == 1 && to.len() == 1 {
            return letter_range(from.chars().next()?, to.chars().next()?);
        }
    }
    let letters: Vec<String> = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .map(str::to_string)
        .collect();
    let all_letters = letters
        .iter()
        .all(|part| part.len() == 1 && part.chars().all(|c| c.is_ascii_uppercase()));
    (!letters.is_empty() && all_letters).then_some(letters)
}

pub(crate) fn letter_range(from: char, to: char) -> Option<Vec<String>> {
    if !from.is_ascii_uppercase() || !to.is_ascii_uppercase() || to <= from {
        return None;
    }
    Some((from..=to).map(|c| c.to_string()).collect())
}

impl FrontMatter {
    pub(crate) fn read(
        root: Option<&Node>,
        file: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> FrontMatter {
        let mut front = FrontMatter {
            format: SourceFormat::Prose,
            slug: String::new(),
            path: None,
            title: String::new(),
            title_line: None,
            sidebar_title: None,
            group: None,
            declared_levels: None,
            levels_position: None,
            level_prefix: None,
            sublevels: None,
            homepage: None,
            topics: None,
            topic_order: Vec::new(),
        };
        let root = match root {
            Some(root) if root.as_map().is_some() => Some(root),
            Some(other) => {
                diagnostics.push(
                    Diagnostic::error(
                        "invalid-front-matter",
                        format!(
                            "the front matter must be a set of `key: value` lines, but it is {}",
                            other.describe()
                        ),
                    )
                    .at(other.line, other.column)
                    .with_hint(
                        "write one `key: value` per line, e.g. `title: \"Backend Engineering\"`",
                    ),
                );
                None
            }
            None => None,
        };

        if let Some(root) = root {
            for (key, _) in root.as_map().unwrap_or(&[]) {
                let name = key.as_text().unwrap_or("");
                if !KNOWN_KEYS.contains(&name) {
                    diagnostics.push(
                        Diagnostic::warning(
                            "unknown-key",
                            format!("unknown front-matter key `{name}` is ignored"),
                        )
                        .at(key.line, key.column)
                        .with_hint(format!("known keys: {}", KNOWN_KEYS.join(", "))),
                    );
                }
            }

            front.path = optional_text(root.get("path"));
            front.title = optional_text(root.get("title")).unwrap_or_default();
            front.title_line = root.get("title").map(|node| node.line);
            front.sidebar_title = optional_text(root.get("sidebarTitle"));
            front.group = optional_text(root.get("sidebarGroup"));
            front.level_prefix = optional_text(root.get("levelPrefix"));

            if let Some(node) = root.get("levels") {
                front.levels_position = Some(node.position());
                if !node.is_null() {
                    match node.as_u32() {
                        Some(count) => front.declared_levels = Some(count),
                        None => diagnostics.push(type_error(
                            "levels",
                            node,
                            "a whole number",
                            "write the number of levels, e.g. `levels: 6`, or leave it empty",
                        )),
                    }
                }
            }

            if let Some(node) = root.get("homepage") {
                if !node.is_null() {
                    match node.as_bool() {
                        Some(value) => front.homepage = Some(value),
                        None => diagnostics.push(type_error(
                            "homepage",
                            node,
                            "true or false",
                            "write `homepage: true` or `homepage: false`",
                        )),
                    }
                }
            }

            if let Some(node) = root.get("sublevels") {
                let letters = match (node.as_seq(), node.as_text()) {
                    (Some(items), _) => {
                        let joined: Vec<&str> = items.iter().filter_map(Node::as_text).collect();
                        parse_sublevels(&joined.join(","))
                    }
                    (None, Some(text)) => parse_sublevels(text),
                    (None, None) => None,
                };
                match letters {
                    Some(letters) => front.sublevels = Some(letters),
                    None if node.is_null() => {}
                    None => diagnostics.push(type_error(
                        "sublevels",
                        node,
                        "a range of capital letters",
                        "write e.g. `sublevels: \"A-D\"` or `sublevels: [A, B, C]`",
                    )),
                }
            }

            if let Some(order) = root.get("topicOrder").and_then(Node::as_seq) {
                front.topic_order = order
                    .iter()
                    .filter_map(Node::as_text)
                    .map(str::to_string)
                    .collect();
            }

            let topics = root.get("topics").filter(|node| !node.is_null()).cloned();
            front.format = match root.get("yaml") {
                Some(node) if !node.is_null() => match node.as_bool() {
                    Some(true) => SourceFormat::Structured,
                    Some(false) => SourceFormat::Prose,
                    None => {
                        diagnostics.push(type_error(
                            "yaml",
                            node,
                            "true or false",
                            "`yaml: true` for files whose behaviours are in `topics`, `yaml: false` for Markdown `## Level` sections",
                        ));
                        if topics.is_some() {
                            SourceFormat::Structured
                        } else {
                            SourceFormat::Prose
                        }
                    }
                },
                _ if topics.is_some() => SourceFormat::Structured,
                _ => SourceFormat::Prose,
            };
            if front.format == SourceFormat::Prose {
                if let Some(node) = &topics {
                    diagnostics.push(
                        Diagnostic::warning("topics-ignored", "`yaml: false` says this is a prose file, so its `topics` list is ignored")
                            .at(node.line, node.column)
                            .with_hint("set `yaml: true` to read the topics list"),
                    );
                }
            }
            front.topics = topics;
        }

        if front.title.is_empty() {
            front.title = title_case(file_stem(file));
            diagnostics.push(
                Diagnostic::warning(
                    "missing-title",
                    format!("the front matter has no `title`; using “{}”", front.title),
                )
                .at_opt(root.map(|node| (node.line, 1)))
                .with_hint("add e.g. `title: \"Backend Engineering\"`"),
            );
        }
        front.slug = front
            .path
            .as_deref()
            .map(slugify)
            .filter(|slug| !slug.is_empty())
            .unwrap_or_else(|| slugify(file_stem(file)));
        if front.slug.is_empty() {
            front.slug = "framework".to_string();
        }
        front
    }

    pub(crate) fn framework(&self, body: &str, topics: Vec<Topic>) -> Framework {
        Framework {
            slug: self.slug.clone(),
            path: self.path.clone(),
            title: self.title.clone(),
            sidebar_title: self.sidebar_title.clone(),
            group: self.group.clone(),
            declared_level_count: self.declared_levels,
            level_prefix: self.level_prefix.clone(),
            sublevels: self.sublevels.clone(),
            homepage: self.homepage,
            body_markdown: normalise_body(body),
            topics,
            source: None,
            warnings: Vec::new(),
        }
    }
}

/// Home text without leading blank lines or trailing whitespace, so that writing
/// and re-reading it is exact.
pub(crate) fn normalise_body(body: &str) -> String {
    let trimmed_end = body.trim_end();
    let mut start = 0;
    for line in trimmed_end.split_inclusive('\n') {
        if line.trim().is_empty() {
            start += line.len();
        } else {
            break;
        }
    }
    trimmed_end[start.min(trimmed_end.len())..].to_string()
}

/// Sorts a topic's levels and merges repeated level numbers, reporting repeats.
pub(crate) fn settle_levels(
    topic: &mut Topic,
    lines: &mut CriterionLines,
    topic_index: usize,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut merged: Vec<Level> = Vec::with_capacity(topic.levels.len());
    let mut sorted = std::mem::take(&mut topic.levels);
    sorted.sort_by_key(|level| level.number);
    for level in sorted {
        match merged.last_mut() {
            Some(previous) if previous.number == level.number => {
                diagnostics.push(Diagnostic::warning(
                    "duplicate-level",
                    format!("level {} of topic “{}” is listed more than once; its behaviours were merged", level.number, topic.title),
                ));
                let base = previous.criteria.len();
                for (index, criterion) in level.criteria.into_iter().enumerate() {
                    if let Some(line) = lines.remove(&(topic_index, level.number, index)) {
                        lines.insert((topic_index, level.number, base + index), line);
                    }
                    previous.criteria.push(criterion);
                }
            }
            _ => merged.push(level),
        }
    }
    topic.levels = merged;
}

struct TopicReader<'a> {
    diagnostics: &'a mut Vec<Diagnostic>,
    lines: &'a mut CriterionLines,
}

impl TopicReader<'_> {
    fn criterion_text(&mut self, node: &Node, what: &str) -> Option<String> {
        if node.is_null() {
            self.diagnostics.push(
                Diagnostic::warning("empty-criterion", format!("an empty {what} is ignored"))
                    .at(node.line, node.column)
                    .with_hint("remove the empty `-` line or write the behaviour after it"),
            );
            return None;
        }
        match node.as_text() {
            Some(text) if !text.trim().is_empty() => Some(collapse_whitespace(text)),
            Some(_) => None,
            None => {
                self.diagnostics.push(
                    Diagnostic::error(
                        "invalid-value",
                        format!("a {what} must be text, but it is {}", node.describe()),
                    )
                    .at(node.line, node.column)
                    .with_hint(
                        "write each behaviour as a quoted string: `- \"Fixes simple bugs\"`",
                    ),
                );
                None
            }
        }
    }

    fn text_list(&mut self, node: &Node, what: &str) -> Vec<(String, u32)> {
        if node.is_null() {
            return Vec::new();
        }
        if let Some(items) = node.as_seq() {
            return items
                .iter()
                .filter_map(|item| {
                    self.criterion_text(item, what)
                        .map(|text| (text, item.line))
                })
                .collect();
        }
        if let Some(text) = node.as_text() {
            if node.as_u32().is_none() {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "criteria-not-a-list",
                        format!("expected a list of {}; read this text as one", plural(what)),
                    )
                    .at(node.line, node.column)
                    .with_hint("write each behaviour on its own `- \"…\"` line"),
                );
                return vec![(collapse_whitespace(text), node.line)];
            }
        }
        self.diagnostics.push(
            Diagnostic::error(
                "invalid-value",
                format!(
                    "expected a list of {}, but found {}",
                    plural(what),
                    node.describe()
                ),
            )
            .at(node.line, node.column)
            .with_hint("write each behaviour on its own `- \"…\"` line"),
        );
        Vec::new()
    }

    fn level(&mut self, node: &Node, topic_index: usize, topic_title: &str) -> Option<Level> {
        if node.as_map().is_none() {
            self.diagnostics.push(
                Diagnostic::error("invalid-value", format!("each entry of `content` must be a mapping with `level` and `criteria`, but this is {}", node.describe()))
                    .at(node.line, node.column)
                    .with_hint("write `- level: 1` and, indented below it, `criteria:`"),
            );
            return None;
        }
        // An entry with a bad level number is still read, so that every
        // problem in it is reported at once; it is dropped afterwards.
        let number = match node.get("level") {
            Some(level) => match level.as_u32() {
                Some(number) => Some(number),
                None => {
                    self.diagnostics.push(type_error(
                        "level",
                        level,
                        "a whole number",
                        "write e.g. `level: 3`",
                    ));
                    None
                }
            },
            None => {
                self.diagnostics.push(
                    Diagnostic::error(
                        "missing-level",
                        format!("an entry of topic “{topic_title}” has no `level`"),
                    )
                    .at(node.line, node.column)
                    .with_hint("add `level: N` to this entry"),
                );
                None
            }
        };
        let mut entries: Vec<(String, Vec<String>, u32)> = Vec::new();
        if let Some(criteria) = node.get("criteria") {
            for (text, line) in self.text_list(criteria, "criterion") {
                entries.push((text, Vec::new(), line));
            }
        }
        if let Some(examples) = node.get("exampleCriteria").filter(|n| !n.is_null()) {
            match examples.as_seq() {
                Some(items) => {
                    for item in items {
                        let Some(criterion) = item.get("criteria") else {
                            self.diagnostics.push(
                                Diagnostic::error("invalid-value", "each `exampleCriteria` entry needs a `criteria` text and an `examples` list")
                                    .at(item.line, item.column)
                                    .with_hint("write `- criteria: \"…\"` and, below it, `examples:` with `- \"…\"` lines"),
                            );
                            continue;
                        };
                        let Some(text) = self.criterion_text(criterion, "criterion") else {
                            continue;
                        };
                        let examples = item
                            .get("examples")
                            .map(|list| self.text_list(list, "example"))
                            .unwrap_or_default()
                            .into_iter()
                            .map(|(text, _)| text)
                            .collect();
                        entries.push((text, examples, criterion.line));
                    }
                }
                None => self.diagnostics.push(type_error(
                    "exampleCriteria",
                    examples,
                    "a list",
                    "write `- criteria: \"…\"` entries with `examples:` lists",
                )),
            }
        }
        let number = number?;
        let criteria = entries
            .into_iter()
            .enumerate()
            .map(|(index, (text, examples, line))| {
                self.lines.insert((topic_index, number, index), line);
                Criterion {
                    id: String::new(),
                    text,
                    examples,
                }
            })
            .collect();
        Some(Level { number, criteria })
    }
}

/// Reads `topics` of a structured file.
pub(crate) fn read_topics(front: &FrontMatter, body: &str) -> Read {
    let mut diagnostics = Vec::new();
    let mut lines = CriterionLines::new();
    let mut topics: Vec<Topic> = Vec::new();
    let mut topic_positions: Vec<(u32, u32)> = Vec::new();
    // The keys of `topics`, so a file with many topics is not read in
    // quadratic time.
    let mut keys: HashSet<String> = HashSet::new();
    let mut level_positions: HashMap<(usize, u32), (u32, u32)> = HashMap::new();
    let mut written = 0;

    match front.topics.as_ref() {
        None => {}
        Some(node) => {
            match node.as_seq() {
                None => diagnostics.push(type_error(
                    "topics",
                    node,
                    "a list of topics",
                    "write `- name: \"mastery\"` entries under `topics:`",
                )),
                Some(entries) => {
                    written = entries.len();
                    for entry in entries {
                        if entry.as_map().is_none() {
                            diagnostics.push(
                            Diagnostic::error("invalid-value", format!("each topic must be a mapping with `name` and `content`, but this is {}", entry.describe()))
                                .at(entry.line, entry.column)
                                .with_hint("write `- name: \"mastery\"` with `title:` and `content:` below it"),
                        );
                            continue;
                        }
                        let title = optional_text(entry.get("title"));
                        let key = match optional_text(entry.get("name")) {
                            Some(name) => name,
                            None => {
                                let derived =
                                    title.as_deref().map(slugify).filter(|key| !key.is_empty());
                                match derived {
                                    Some(key) => {
                                        diagnostics.push(
                                        Diagnostic::warning("missing-topic-name", format!("topic has no `name`; using “{key}” from its title"))
                                            .at(entry.line, entry.column)
                                            .with_hint("add `name:`; other frameworks share topics by name"),
                                    );
                                        key
                                    }
                                    None if topic_is_empty(entry) => {
                                        // A placeholder page (`- name: ""` and
                                        // nothing else) that site generators
                                        // build: nothing to read, nothing lost.
                                        diagnostics.push(
                                            Diagnostic::warning(
                                                "empty-topic",
                                                "a topic with no name and no behaviours is skipped",
                                            )
                                            .at(entry.line, entry.column)
                                            .with_hint("remove the empty topic, or give it a `name` and behaviours"),
                                        );
                                        written = written.saturating_sub(1);
                                        continue;
                                    }
                                    None => {
                                        diagnostics.push(
                                            Diagnostic::error(
                                                "missing-topic-name",
                                                "topic has neither `name` nor `title`",
                                            )
                                            .at(entry.line, entry.column)
                                            .with_hint("add `name: \"mastery\"` to this topic"),
                                        );
                                        continue;
                                    }
                                }
                            }
                        };
                        if !keys.insert(key.clone()) {
                            diagnostics.push(
                            Diagnostic::error("duplicate-topic", format!("topic “{key}” is defined twice; the second definition is ignored"))
                                .at(entry.line, entry.column)
                                .with_hint("merge the two topics or give one a different `name`"),
                        );
                            continue;
                        }
                        let topic_index = topics.len();
                        let mut topic = Topic {
                            title: title.unwrap_or_else(|| title_case(&key)),
                            key,
                            subtitle: optional_text(entry.get("subtitle")),
                            levels: Vec::new(),
                        };
                        let mut reader = TopicReader {
                            diagnostics: &mut diagnostics,
                            lines: &mut lines,
                        };
                        if let Some(content) = entry.get("content").filter(|n| !n.is_null()) {
                            match content.as_seq() {
                                Some(levels) => {
                                    for level_node in levels {
                                        if let Some(level) =
                                            reader.level(level_node, topic_index, &topic.title)
                                        {
                                            level_positions
                                                .entry((topic_index, level.number))
                                                .or_insert(level_node.position());
                                            topic.levels.push(level);
                                        }
                                    }
                                }
                                None => reader.diagnostics.push(type_error(
                                    "content",
                                    content,
                                    "a list of levels",
                                    "write `- level: 1` entries under `content:`",
                                )),
                            }
                        }
                        settle_levels(&mut topic, &mut lines, topic_index, &mut diagnostics);
                        topic_positions.push(entry.position());
                        topics.push(topic);
                    }
                }
            }
        }
    }

    report_empty(
        &topics,
        &topic_positions,
        &level_positions,
        &mut diagnostics,
    );
    Read {
        framework: front.framework(body, topics),
        diagnostics,
        topics_written: written,
        criterion_lines: lines,
    }
}

/// Whether a topic entry has nothing in it: no `content`, or levels with no
/// criteria.
fn topic_is_empty(entry: &Node) -> bool {
    match entry.get("content").filter(|content| !content.is_null()) {
        None => true,
        Some(content) => content.as_seq().is_some_and(|levels| {
            levels.iter().all(|level| {
                level
                    .get("criteria")
                    .filter(|criteria| !criteria.is_null())
                    .is_none_or(|criteria| criteria.as_seq().is_some_and(|items| items.is_empty()))
            })
        }),
    }
}

/// `empty-topic` for a topic without any behaviour, else `empty-level` for each
/// of its levels without one.
pub(crate) fn report_empty(
    topics: &[Topic],
    topic_positions: &[(u32, u32)],
    level_positions: &HashMap<(usize, u32), (u32, u32)>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (index, topic) in topics.iter().enumerate() {
        let position = topic_positions.get(index).copied();
        if topic.levels.iter().all(|level| level.criteria.is_empty()) {
            diagnostics.push(
                Diagnostic::warning(
                    "empty-topic",
                    format!("topic “{}” has no behaviours at any level", topic.title),
                )
                .at_opt(position)
                .with_hint("write its behaviours or remove the topic"),
            );
            continue;
        }
        for level in topic
            .levels
            .iter()
            .filter(|level| level.criteria.is_empty())
        {
            diagnostics.push(
                Diagnostic::warning(
                    "empty-level",
                    format!(
                        "level {} of topic “{}” has no behaviours",
                        level.number, topic.title
                    ),
                )
                .at_opt(
                    level_positions
                        .get(&(index, level.number))
                        .copied()
                        .or(position),
                )
                .with_hint("write its behaviours or remove the empty level"),
            );
        }
    }
}

/// Gives every criterion its stable id; a repeat of the same text at the same
/// level gets a numbered suffix so ids stay unique.
pub(crate) fn assign_ids(topics: &mut [Topic]) {
    let mut seen: HashMap<String, u32> = HashMap::new();
    for topic in topics.iter_mut() {
        for level in &mut topic.levels {
            for criterion in &mut level.criteria {
                let base = criterion_id(&topic.key, level.number, &criterion.text);
                let count = seen.entry(base.clone()).or_insert(0);
                *count += 1;
                criterion.id = if *count == 1 {
                    base
                } else {
                    format!("{base}-{count}")
                };
            }
        }
    }
}
