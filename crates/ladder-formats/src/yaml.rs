//! A small YAML document tree with a position on every node, built from
//! saphyr-parser's event stream. Framework files are interpreted from this tree so
//! that every diagnostic can point at the exact line and column of the value.
//!
//! Reading is bounded by the text, whatever the text says. An alias copies its
//! anchor's subtree, so aliases of aliases multiply ("billion laughs"): the
//! events are first read into an arena where an alias is only the index of its
//! anchor's node, with each node's expanded size worked out once; the tree is
//! built only if the expansion stays within a budget proportional to what the
//! text writes ([`EXPANSION`] times its nodes and its bytes of text, at least
//! [`NODE_FLOOR`] nodes and [`TEXT_FLOOR`] bytes) and no deeper than
//! [`MAX_DEPTH`]; else the error names the alias that crossed the budget, or
//! the node that opened too deep.

use std::collections::HashMap;

use ladder_core::Diagnostic;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span};

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: Kind,
    /// 1-based line in the whole file (the caller's offset applied).
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Scalar { text: String, plain: bool },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// Why a document could not be read into a tree, and where.
#[derive(Debug)]
pub(crate) struct Error {
    pub problem: Problem,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug)]
pub(crate) enum Problem {
    /// Not YAML: the parser's own message.
    Syntax(String),
    /// Expanding the aliases would make more than `limit` nodes.
    TooManyValues { limit: u64 },
    /// Expanding the aliases would make more than `limit` bytes of text.
    TooMuchText { limit: u64 },
    /// A node, or the copy an alias makes (`alias`), would be more than
    /// [`MAX_DEPTH`] levels deep.
    TooDeep { alias: bool },
}

const SYNTAX_HINT: &str = "check the indentation and quoting around this line; text containing \": \", \"#\" or starting with a quote must be enclosed in double quotes";

impl Error {
    /// The diagnostic's stable code.
    pub(crate) fn code(&self) -> &'static str {
        match self.problem {
            Problem::Syntax(_) => "yaml-syntax",
            Problem::TooManyValues { .. }
            | Problem::TooMuchText { .. }
            | Problem::TooDeep { alias: true } => "yaml-alias-limit",
            Problem::TooDeep { alias: false } => "yaml-depth-limit",
        }
    }

    /// The error as a diagnostic; `document` names what was parsed in the
    /// message ("the front matter", or the file's name).
    pub(crate) fn diagnostic(&self, document: &str) -> Diagnostic {
        let (message, hint) = match &self.problem {
            Problem::Syntax(message) => (
                format!("{document} is not valid YAML: {message}"),
                SYNTAX_HINT.to_string(),
            ),
            Problem::TooManyValues { limit } => (
                format!("{document} has aliases that would expand it to more than {limit} values"),
                "write the values out, or use fewer nested aliases: each alias copies everything under its anchor, so aliases of aliases multiply".to_string(),
            ),
            Problem::TooMuchText { limit } => (
                format!("{document} has aliases that would expand it to more than {limit} bytes of text"),
                "write the text out, or repeat long text through fewer aliases: each alias copies all the text under its anchor".to_string(),
            ),
            Problem::TooDeep { alias: true } => (
                format!("{document} has an alias that would nest values more than {MAX_DEPTH} levels deep"),
                "write the values out, or use fewer nested aliases: each alias copies everything under its anchor, one level below where the alias stands".to_string(),
            ),
            Problem::TooDeep { alias: false } => (
                format!("{document} nests values more than {MAX_DEPTH} levels deep"),
                "these files need only a few levels: look for a runaway run of `- ` or of opening brackets before this point".to_string(),
            ),
        };
        Diagnostic::error(self.code(), message)
            .at(self.line, self.column)
            .with_hint(hint)
    }
}

impl Node {
    pub(crate) fn position(&self) -> (u32, u32) {
        (self.line, self.column)
    }

    /// `~`, `null`, or nothing at all: YAML's null in plain style.
    pub(crate) fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { text, plain: true }
            if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// The scalar's text, whatever YAML type it would resolve to (so `title: 2024`
    /// is the title "2024"). `None` for null, sequences and mappings.
    pub(crate) fn as_text(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { text, .. } if !self.is_null() => Some(text),
            _ => None,
        }
    }

    pub(crate) fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Scalar { text, plain: true } => match text.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    pub(crate) fn as_u32(&self) -> Option<u32> {
        match &self.kind {
            Kind::Scalar { text, .. } => text.trim().parse::<u32>().ok(),
            _ => None,
        }
    }

    pub(crate) fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub(crate) fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value under `key` in a mapping, with the key node (for positions).
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_text() == Some(key))
            .map(|(_, v)| v)
    }

    /// What this node is, as said in error messages: "a list", "the number 42".
    pub(crate) fn describe(&self) -> String {
        match &self.kind {
            Kind::Seq(_) => "a list".to_string(),
            Kind::Map(_) => "a mapping".to_string(),
            Kind::Scalar { .. } if self.is_null() => "nothing (null)".to_string(),
            Kind::Scalar { text, plain } => {
                if *plain && text.parse::<f64>().is_ok() {
                    format!("the number {text}")
                } else {
                    let shown: String = text.chars().take(40).collect();
                    format!("the text \"{shown}\"")
                }
            }
        }
    }
}

/// Aliases may expand a document to this many times the nodes (and the bytes
/// of text) it writes itself...
const EXPANSION: u64 = 10;
/// ...or to this many nodes, whichever is more...
const NODE_FLOOR: u64 = 10_000;
/// ...and this many bytes of scalar text, whichever is more.
const TEXT_FLOOR: u64 = 1 << 20;

/// What parsing one document cost, for tests that bound it.
#[cfg(test)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Stats {
    /// Nodes the text itself writes: scalars, sequences and mappings, not aliases.
    pub written: u64,
    /// Bytes of scalar text the text itself writes.
    pub written_text: u64,
    /// Nodes made while building the tree: the tree's own and every copy.
    pub materialised: u64,
    /// Bytes of scalar text in those nodes.
    pub materialised_text: u64,
    /// The most nodes a document with `written` nodes may expand to.
    pub budget: u64,
    /// The most bytes of text a document with `written_text` bytes may expand to.
    pub text_budget: u64,
}

/// Deepest nesting a document may have, aliases expanded: far beyond what
/// Ladder's files use, and shallow enough that walking or dropping the tree
/// never comes near the end of a thread's stack.
const MAX_DEPTH: u32 = 128;

/// Parses one YAML document. `line_offset` is added to every line so positions
/// are relative to the whole file, not to the front-matter block.
pub(crate) fn parse(text: &str, line_offset: u32) -> Result<Option<Node>, Error> {
    let builder = read(text, line_offset)?;
    builder.check_aliases()?;
    Ok(builder
        .root
        .map(|root| builder.materialise(root, &mut Count::default())))
}

/// [`parse`], with what it cost.
#[cfg(test)]
pub(crate) fn parse_with_stats(
    text: &str,
    line_offset: u32,
) -> (Result<Option<Node>, Error>, Stats) {
    let mut stats = Stats::default();
    let result = read(text, line_offset).and_then(|builder| {
        let (budget, text_budget) = builder.budgets();
        stats.written = builder.written.nodes;
        stats.written_text = builder.written.text;
        stats.budget = budget;
        stats.text_budget = text_budget;
        builder.check_aliases()?;
        let mut count = Count::default();
        let root = builder
            .root
            .map(|root| builder.materialise(root, &mut count));
        stats.materialised = count.nodes;
        stats.materialised_text = count.text;
        Ok(root)
    });
    (result, stats)
}

#[cfg(test)]
fn count_nodes(node: &Node) -> (u64, u64) {
    let add = |(a, b): (u64, u64), (c, d): (u64, u64)| (a + c, b + d);
    match &node.kind {
        Kind::Scalar { text, .. } => (1, text.len() as u64),
        Kind::Seq(items) => items.iter().map(count_nodes).fold((1, 0), add),
        Kind::Map(entries) => entries
            .iter()
            .map(|(key, value)| add(count_nodes(key), count_nodes(value)))
            .fold((1, 0), add),
    }
}

/// Reads the first document's events into the arena.
fn read(text: &str, line_offset: u32) -> Result<Builder, Error> {
    let mut builder = Builder {
        arena: Vec::new(),
        stack: Vec::new(),
        anchors: HashMap::new(),
        aliases: Vec::new(),
        root: None,
        line_offset,
        written: Count::default(),
    };
    let parser = Parser::new_from_str(text);
    for event in parser {
        let (event, span) = event.map_err(|error| syntax_error(&error, line_offset))?;
        builder.push(event, span)?;
        if builder.root.is_some() {
            break;
        }
    }
    Ok(builder)
}

fn syntax_error(error: &ScanError, line_offset: u32) -> Error {
    let marker = error.marker();
    Error {
        problem: Problem::Syntax(error.info().to_string()),
        line: to_u32(marker.line()) + line_offset,
        column: to_u32(marker.col()) + 1,
    }
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// Nodes and bytes of scalar text.
#[derive(Debug, Clone, Copy, Default)]
struct Count {
    nodes: u64,
    text: u64,
}

impl Count {
    fn add(&mut self, other: Count) {
        self.nodes = self.nodes.saturating_add(other.nodes);
        self.text = self.text.saturating_add(other.text);
    }
}

/// A node as read, before aliases are expanded: its children are indices into
/// the arena, and an alias is the index of its anchor's node, which is shared.
struct Raw {
    kind: RawKind,
    line: u32,
    column: u32,
    /// What the node expands to, its aliases copied (saturating).
    size: Count,
    /// Levels from the node to its deepest scalar, aliases expanded (1 for a
    /// scalar).
    depth: u32,
}

enum RawKind {
    Scalar { text: String, plain: bool },
    Seq(Vec<usize>),
    Map(Vec<(usize, usize)>),
}

/// Where an alias stands and the node it copies.
struct Alias {
    target: usize,
    line: u32,
    column: u32,
    /// Whether the copy would reach deeper than [`MAX_DEPTH`].
    too_deep: bool,
}

enum Open {
    Seq {
        line: u32,
        column: u32,
        anchor: usize,
        items: Vec<usize>,
    },
    Map {
        line: u32,
        column: u32,
        anchor: usize,
        entries: Vec<(usize, usize)>,
        pending_key: Option<usize>,
    },
}

struct Builder {
    arena: Vec<Raw>,
    stack: Vec<Open>,
    /// saphyr's anchor id → the anchored node.
    anchors: HashMap<usize, usize>,
    /// Every alias, in the order of the text.
    aliases: Vec<Alias>,
    root: Option<usize>,
    line_offset: u32,
    /// What the text writes itself: every node but aliases, and their text.
    written: Count,
}

impl Builder {
    fn position(&self, span: &Span) -> (u32, u32) {
        (
            to_u32(span.start.line()) + self.line_offset,
            to_u32(span.start.col()) + 1,
        )
    }

    /// The level a node opened now stands at: 1 for the document's root.
    fn level(&self) -> u32 {
        to_u32(self.stack.len()).saturating_add(1)
    }

    /// A node the text writes, refused past [`MAX_DEPTH`].
    fn written_at(&mut self, span: &Span) -> Result<(u32, u32), Error> {
        let (line, column) = self.position(span);
        if self.level() > MAX_DEPTH {
            return Err(Error {
                problem: Problem::TooDeep { alias: false },
                line,
                column,
            });
        }
        self.written.nodes += 1;
        Ok((line, column))
    }

    fn add(&mut self, raw: Raw) -> usize {
        self.arena.push(raw);
        self.arena.len() - 1
    }

    fn push(&mut self, event: Event<'_>, span: Span) -> Result<(), Error> {
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                let (line, column) = self.written_at(&span)?;
                let bytes = text.len() as u64;
                self.written.text += bytes;
                let index = self.add(Raw {
                    kind: RawKind::Scalar {
                        text: text.into_owned(),
                        plain: style == ScalarStyle::Plain,
                    },
                    line,
                    column,
                    size: Count {
                        nodes: 1,
                        text: bytes,
                    },
                    depth: 1,
                });
                self.finish(index, anchor);
            }
            Event::Alias(anchor) => {
                let (line, column) = self.position(&span);
                let target = match self.anchors.get(&anchor) {
                    Some(&target) => target,
                    // An alias inside its own anchor (`&a [*a]`) has nothing
                    // finished to copy: it reads as null.
                    None => self.add(Raw {
                        kind: RawKind::Scalar {
                            text: String::new(),
                            plain: true,
                        },
                        line,
                        column,
                        size: Count { nodes: 1, text: 0 },
                        depth: 1,
                    }),
                };
                let deepest = self.level().saturating_add(
                    self.arena
                        .get(target)
                        .map_or(0, |raw| raw.depth.saturating_sub(1)),
                );
                self.aliases.push(Alias {
                    target,
                    line,
                    column,
                    too_deep: deepest > MAX_DEPTH,
                });
                self.finish(target, 0);
            }
            Event::SequenceStart(anchor, _) => {
                let (line, column) = self.written_at(&span)?;
                self.stack.push(Open::Seq {
                    line,
                    column,
                    anchor,
                    items: Vec::new(),
                });
            }
            Event::MappingStart(anchor, _) => {
                let (line, column) = self.written_at(&span)?;
                self.stack.push(Open::Map {
                    line,
                    column,
                    anchor,
                    entries: Vec::new(),
                    pending_key: None,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(open) = self.stack.pop() {
                    let (kind, (size, depth), line, column, anchor) = match open {
                        Open::Seq {
                            line,
                            column,
                            anchor,
                            items,
                        } => {
                            let measured = self.measure(items.iter().copied());
                            (RawKind::Seq(items), measured, line, column, anchor)
                        }
                        Open::Map {
                            line,
                            column,
                            anchor,
                            entries,
                            ..
                        } => {
                            let measured =
                                self.measure(entries.iter().flat_map(|&(key, value)| [key, value]));
                            (RawKind::Map(entries), measured, line, column, anchor)
                        }
                    };
                    let index = self.add(Raw {
                        kind,
                        line,
                        column,
                        size,
                        depth,
                    });
                    self.finish(index, anchor);
                }
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => {}
        }
        Ok(())
    }

    /// The size and depth of a sequence or mapping with these children.
    fn measure(&self, children: impl Iterator<Item = usize>) -> (Count, u32) {
        let mut size = Count { nodes: 1, text: 0 };
        let mut depth = 0;
        for child in children.filter_map(|child| self.arena.get(child)) {
            size.add(child.size);
            depth = depth.max(child.depth);
        }
        (size, depth.saturating_add(1))
    }

    fn finish(&mut self, index: usize, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, index);
        }
        match self.stack.last_mut() {
            None => self.root = Some(index),
            Some(Open::Seq { items, .. }) => items.push(index),
            Some(Open::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => *pending_key = Some(index),
                Some(key) => entries.push((key, index)),
            },
        }
    }

    /// The most nodes and bytes of text the tree may have.
    fn budgets(&self) -> (u64, u64) {
        (
            EXPANSION.saturating_mul(self.written.nodes).max(NODE_FLOOR),
            EXPANSION.saturating_mul(self.written.text).max(TEXT_FLOOR),
        )
    }

    /// The tree is everything written plus a copy per alias. Counting the
    /// copies in the order of the text, the first alias that takes the total
    /// past a budget, or whose copy would be too deep, is the error.
    fn check_aliases(&self) -> Result<(), Error> {
        let (budget, text_budget) = self.budgets();
        let mut total = self.written;
        for alias in &self.aliases {
            if let Some(target) = self.arena.get(alias.target) {
                total.add(target.size);
            }
            let problem = if total.nodes > budget {
                Problem::TooManyValues { limit: budget }
            } else if total.text > text_budget {
                Problem::TooMuchText { limit: text_budget }
            } else if alias.too_deep {
                Problem::TooDeep { alias: true }
            } else {
                continue;
            };
            return Err(Error {
                problem,
                line: alias.line,
                column: alias.column,
            });
        }
        Ok(())
    }

    /// The owned tree under `index`, aliases copied. Only called once
    /// [`Builder::check_aliases`] has passed, so it makes at most the budget's
    /// nodes and recurses at most [`MAX_DEPTH`] levels.
    fn materialise(&self, index: usize, count: &mut Count) -> Node {
        let Some(raw) = self.arena.get(index) else {
            return Node {
                kind: Kind::Scalar {
                    text: String::new(),
                    plain: true,
                },
                line: 0,
                column: 0,
            };
        };
        count.nodes += 1;
        let kind = match &raw.kind {
            RawKind::Scalar { text, plain } => {
                count.text += text.len() as u64;
                Kind::Scalar {
                    text: text.clone(),
                    plain: *plain,
                }
            }
            RawKind::Seq(items) => Kind::Seq(
                items
                    .iter()
                    .map(|&item| self.materialise(item, count))
                    .collect(),
            ),
            RawKind::Map(entries) => Kind::Map(
                entries
                    .iter()
                    .map(|&(key, value)| {
                        (self.materialise(key, count), self.materialise(value, count))
                    })
                    .collect(),
            ),
        };
        Node {
            kind,
            line: raw.line,
            column: raw.column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_offset() {
        let root = parse("a: 1\nlist:\n  - \"x\"\n  -\n", 1)
            .ok()
            .flatten()
            .expect("document");
        let list = root.get("list").expect("list");
        let items = list.as_seq().expect("seq");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].as_text(), Some("x"));
        assert_eq!(items[0].position(), (4, 5));
        assert!(items[1].is_null());
        assert_eq!(root.get("a").and_then(Node::as_u32), Some(1));
    }

    #[test]
    fn syntax_errors_carry_position() {
        let error = parse("a: \"unclosed\nb: 2\n", 10).expect_err("must fail");
        // At the opening quote of the scalar that never closes: line 1 of the
        // text, 10 lines into the file.
        assert_eq!((error.line, error.column), (11, 4), "{error:?}");
    }

    #[test]
    fn empty_document_is_none() {
        assert!(parse("", 0).expect("parses").is_none());
    }

    /// The tree with every position: `text@line:column`, `[…]@…`, `{k: v}@…`.
    fn render(node: &Node) -> String {
        let inner = match &node.kind {
            Kind::Scalar { text, plain } => {
                if *plain {
                    text.clone()
                } else {
                    format!("{text:?}")
                }
            }
            Kind::Seq(items) => {
                let items: Vec<String> = items.iter().map(render).collect();
                format!("[{}]", items.join(", "))
            }
            Kind::Map(entries) => {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(key, value)| format!("{}: {}", render(key), render(value)))
                    .collect();
                format!("{{{}}}", entries.join(", "))
            }
        };
        format!("{inner}@{}:{}", node.line, node.column)
    }

    /// `levels` lines `aN: &aN [...]`, each holding `width` copies of the line
    /// before it (`"lol"` on the first); with `merge`, mappings whose first
    /// key is the merge key `<<`.
    fn bomb(width: usize, levels: usize, merge: bool) -> String {
        let mut text = String::new();
        for level in 0..levels {
            let value = || {
                if level == 0 {
                    "\"lol\"".to_string()
                } else {
                    format!("*a{}", level - 1)
                }
            };
            let items: Vec<String> = (0..width)
                .map(|index| match (merge, index) {
                    (false, _) => value(),
                    (true, 0) if level > 0 => format!("<<: {}", value()),
                    (true, _) => format!("k{index}: {}", value()),
                })
                .collect();
            let (open, close) = if merge { ("{", "}") } else { ("[", "]") };
            text.push_str(&format!(
                "a{level}: &a{level} {open}{}{close}\n",
                items.join(", ")
            ));
        }
        text
    }

    /// The nodes [`bomb`] expands to when nothing stops it (saturating).
    fn bomb_size(width: u64, levels: u64, merge: bool) -> u64 {
        let mut total: u64 = 1;
        let mut previous: u64 = 0;
        for level in 0..levels {
            let size = match (merge, level) {
                (false, 0) => 1 + width,
                (false, _) => width.saturating_mul(previous).saturating_add(1),
                (true, 0) => 1 + 2 * width,
                (true, _) => width
                    .saturating_mul(previous.saturating_add(1))
                    .saturating_add(1),
            };
            total = total.saturating_add(size).saturating_add(1);
            previous = size;
        }
        total
    }

    fn text_line(text: &str, line: u32) -> String {
        text.lines()
            .nth(line as usize - 1)
            .unwrap_or_default()
            .to_string()
    }

    fn alias_limit(text: &str, line_offset: u32) -> (Error, Stats) {
        let (result, stats) = parse_with_stats(text, line_offset);
        let error = result.expect_err("the aliases expand beyond the budget");
        (error, stats)
    }

    #[test]
    fn a_small_alias_bomb_is_refused_before_it_is_built() {
        // Four levels of ten: 12,349 nodes from 19 written, over the floor of
        // 10,000. Small enough to build, so this fails cleanly where nothing
        // bounds aliases.
        let text = bomb(10, 4, false);
        assert_eq!(bomb_size(10, 4, false), 12_349);
        let (error, stats) = alias_limit(&text, 0);
        assert_eq!(error.code(), "yaml-alias-limit");
        // `a3: &a3 [*a2, *a2, …`: the eighth `*a2` takes the count from
        // 19 + 110 + 1,110 + 7 × 1,111 = 9,016 to 10,127.
        assert_eq!((error.line, error.column), (4, 45));
        assert_eq!(stats.written, 19);
        assert_eq!(stats.budget, 10_000);
        assert!(stats.materialised <= stats.budget, "{stats:?}");
    }

    #[test]
    fn billion_laughs_is_one_alias_limit_error_at_the_alias_that_crosses_the_budget() {
        // Guard: where the small bomb is built, the big one would take all memory.
        let small = parse_with_stats(&bomb(10, 4, false), 0);
        assert!(small.0.is_err(), "aliases are not bounded: {:?}", small.1);

        let text = bomb(10, 9, false);
        assert_eq!(text.lines().count(), 9);
        assert!(text.starts_with("a0: &a0 [\"lol\", \"lol\", "), "{text}");
        assert!(text.contains("\na8: &a8 [*a7, *a7, "), "{text}");
        let (error, stats) = alias_limit(&text, 10);
        assert_eq!(error.code(), "yaml-alias-limit");
        assert_eq!((error.line, error.column), (14, 45));
        assert_eq!(
            stats,
            Stats {
                written: 29,
                written_text: 48,
                materialised: 0,
                materialised_text: 0,
                budget: 10_000,
                text_budget: TEXT_FLOOR,
            }
        );
        let diagnostic = error.diagnostic("the front matter");
        assert_eq!(diagnostic.code, "yaml-alias-limit");
        assert!(diagnostic.is_error());
        assert_eq!((diagnostic.line, diagnostic.column), (Some(14), Some(45)));
        assert_eq!(
            diagnostic.message,
            "the front matter has aliases that would expand it to more than 10000 values"
        );
        assert_eq!(
            diagnostic.hint.as_deref(),
            Some("write the values out, or use fewer nested aliases: each alias copies everything under its anchor, so aliases of aliases multiply")
        );
    }

    #[test]
    fn every_bomb_shape_stays_within_the_budget() {
        let small = parse_with_stats(&bomb(10, 4, false), 0);
        assert!(small.0.is_err(), "aliases are not bounded: {:?}", small.1);
        for merge in [false, true] {
            for width in 2..=20 {
                for levels in 2..=12 {
                    let (result, stats) = parse_with_stats(&bomb(width, levels, merge), 0);
                    let shape = format!("width {width}, {levels} levels, merge {merge}");
                    assert!(stats.materialised <= stats.budget, "{shape}: {stats:?}");
                    let size = bomb_size(width as u64, levels as u64, merge);
                    match result {
                        Ok(root) => {
                            assert!(size <= stats.budget, "{shape}: {stats:?}");
                            assert_eq!(stats.materialised, size, "{shape}");
                            assert!(root.is_some(), "{shape}");
                        }
                        Err(error) => {
                            assert!(size > stats.budget, "{shape}: {stats:?}");
                            assert_eq!(error.code(), "yaml-alias-limit", "{shape}: {error:?}");
                            // At an alias.
                            let line = text_line(&bomb(width, levels, merge), error.line);
                            let at = line.get(error.column as usize - 1..).unwrap_or("");
                            assert!(at.starts_with("*a"), "{shape}: {error:?} at {at:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn long_text_repeated_by_aliases_is_bounded_by_its_bytes() {
        // 104 copies of 10,000 bytes: few nodes, but more text than the floor.
        let text = format!(
            "t: &t \"{}\"\nlist: [{}]\n",
            "x".repeat(10_000),
            vec!["*t"; 200].join(", ")
        );
        let (error, stats) = alias_limit(&text, 0);
        assert_eq!(error.code(), "yaml-alias-limit");
        // 10,005 written + 104 × 10,000 > 1 MiB; `list: [` is 7 columns, each `*t, ` 4.
        assert_eq!((error.line, error.column), (2, 8 + 4 * 103));
        assert_eq!(stats.written_text, 10_005);
        assert_eq!(stats.text_budget, 1 << 20);
        assert!(stats.materialised_text <= stats.text_budget, "{stats:?}");
        let diagnostic = error.diagnostic("spec.yaml");
        assert_eq!(
            diagnostic.message,
            "spec.yaml has aliases that would expand it to more than 1048576 bytes of text"
        );
    }

    #[test]
    fn nested_anchors_copy_nothing() {
        // 100 anchored lists, each inside the one before, around 1,000 values:
        // keeping a copy per anchor would make ~100,000 nodes of 1,103.
        let inner = vec!["x"; 1_000].join(", ");
        let text = format!("a: {}{inner}{}\n", "&a [".repeat(100), "]".repeat(100));
        let (result, stats) = parse_with_stats(&text, 0);
        assert!(result.is_ok(), "{result:?}");
        assert_eq!(stats.written, 1_102);
        assert_eq!(stats.materialised, stats.written, "{stats:?}");
    }

    #[test]
    fn deep_block_nesting_is_an_error_not_a_stack_overflow() {
        let text = format!("a:\n{}x\n", "- ".repeat(10_000));
        let (result, stats) = parse_with_stats(&text, 2);
        let error = result.expect_err("too deep");
        assert_eq!(error.code(), "yaml-depth-limit");
        // The 128th `-` opens the 129th level, under the mapping.
        assert_eq!((error.line, error.column), (4, 1 + 2 * 127));
        assert!(stats.materialised <= MAX_DEPTH as u64 + 1, "{stats:?}");
        let diagnostic = error.diagnostic("the front matter");
        assert_eq!(
            diagnostic.message,
            "the front matter nests values more than 128 levels deep"
        );
    }

    #[test]
    fn aliases_that_would_nest_too_deep_are_an_alias_limit() {
        // A chain `bN: &bN [*bN-1]` is one level deeper at each line and cheap
        // in nodes; the padding raises the node budget out of the way.
        let mut text = format!("pad: [{}]\n", vec!["x"; 10_000].join(", "));
        text.push_str("b0: &b0 [x]\n");
        for level in 1..200 {
            text.push_str(&format!("b{level}: &b{level} [*b{}]\n", level - 1));
        }
        let (error, stats) = alias_limit(&text, 0);
        assert_eq!(error.code(), "yaml-alias-limit", "{error:?}");
        // bN is N + 1 lists around a scalar, and its alias sits at level 3
        // (root › list › alias): `*b124` reaches level 128, `*b125` would reach
        // 129. That alias is on line 2 + 126, after `b126: &b126 [`.
        assert_eq!((error.line, error.column), (128, 14));
        assert!(stats.materialised <= stats.budget, "{stats:?}");
        let diagnostic = error.diagnostic("the front matter");
        assert_eq!(
            diagnostic.message,
            "the front matter has an alias that would nest values more than 128 levels deep"
        );
    }

    #[test]
    fn ordinary_aliases_expand_as_before() {
        let text = "\
defaults: &defaults
  level: 1
  criteria: &shared
    - \"Writes tests\"
    - Reviews code
topics:
  - name: a
    content:
      - *defaults
      - level: 2
        criteria: *shared
  - name: b
    tags: [&t x, *t, *t]
    self: &s [*s]
";
        let (result, stats) = parse_with_stats(text, 1);
        let root = result.expect("parses").expect("a document");
        assert_eq!(
            render(&root),
            concat!(
                "{defaults@2:1: {level@3:3: 1@3:10, criteria@4:3: [\"Writes tests\"@5:7, Reviews code@6:7]@5:5}@3:3, ",
                "topics@7:1: [",
                "{name@8:5: a@8:11, content@9:5: [",
                "{level@3:3: 1@3:10, criteria@4:3: [\"Writes tests\"@5:7, Reviews code@6:7]@5:5}@3:3, ",
                "{level@11:9: 2@11:16, criteria@12:9: [\"Writes tests\"@5:7, Reviews code@6:7]@5:5}@11:9",
                "]@10:7}@8:5, ",
                "{name@13:5: b@13:11, tags@14:5: [x@14:15, x@14:15, x@14:15]@14:11, self@15:5: [@15:15]@15:14}@13:5",
                "]@8:3}@2:1"
            )
        );
        assert_eq!(stats.written, 28);
        assert_eq!(count_nodes(&root), (41, 156));
    }
}
