//! A small YAML document tree with a position on every node, built from
//! saphyr-parser's event stream. Framework files are interpreted from this tree so
//! that every diagnostic can point at the exact line and column of the value.

use std::collections::HashMap;

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

#[derive(Debug)]
pub(crate) struct SyntaxError {
    pub message: String,
    pub line: u32,
    pub column: u32,
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

/// Parses one YAML document. `line_offset` is added to every line so positions
/// are relative to the whole file, not to the front-matter block.
pub(crate) fn parse(text: &str, line_offset: u32) -> Result<Option<Node>, SyntaxError> {
    let mut builder = Builder {
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        line_offset,
    };
    let parser = Parser::new_from_str(text);
    for event in parser {
        let (event, span) = event.map_err(|error| syntax_error(&error, line_offset))?;
        builder.push(event, span);
        if builder.root.is_some() {
            break;
        }
    }
    Ok(builder.root)
}

fn syntax_error(error: &ScanError, line_offset: u32) -> SyntaxError {
    let marker = error.marker();
    SyntaxError {
        message: error.info().to_string(),
        line: to_u32(marker.line()) + line_offset,
        column: to_u32(marker.col()) + 1,
    }
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

enum Open {
    Seq {
        node: Node,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        node: Node,
        anchor: usize,
        entries: Vec<(Node, Node)>,
        pending_key: Option<Node>,
    },
}

struct Builder {
    stack: Vec<Open>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
    line_offset: u32,
}

impl Builder {
    fn node_at(&self, kind: Kind, span: &Span) -> Node {
        Node {
            kind,
            line: to_u32(span.start.line()) + self.line_offset,
            column: to_u32(span.start.col()) + 1,
        }
    }

    fn push(&mut self, event: Event<'_>, span: Span) {
        match event {
            Event::Scalar(text, style, anchor, _tag) => {
                let node = self.node_at(
                    Kind::Scalar {
                        text: text.into_owned(),
                        plain: style == ScalarStyle::Plain,
                    },
                    &span,
                );
                self.finish(node, anchor);
            }
            Event::Alias(anchor) => {
                let node = match self.anchors.get(&anchor) {
                    Some(found) => found.clone(),
                    None => self.node_at(
                        Kind::Scalar {
                            text: String::new(),
                            plain: true,
                        },
                        &span,
                    ),
                };
                self.finish(node, 0);
            }
            Event::SequenceStart(anchor, _) => {
                let node = self.node_at(Kind::Seq(Vec::new()), &span);
                self.stack.push(Open::Seq {
                    node,
                    anchor,
                    items: Vec::new(),
                });
            }
            Event::MappingStart(anchor, _) => {
                let node = self.node_at(Kind::Map(Vec::new()), &span);
                self.stack.push(Open::Map {
                    node,
                    anchor,
                    entries: Vec::new(),
                    pending_key: None,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(open) = self.stack.pop() {
                    let (node, anchor) = match open {
                        Open::Seq {
                            mut node,
                            anchor,
                            items,
                        } => {
                            node.kind = Kind::Seq(items);
                            (node, anchor)
                        }
                        Open::Map {
                            mut node,
                            anchor,
                            entries,
                            ..
                        } => {
                            node.kind = Kind::Map(entries);
                            (node, anchor)
                        }
                    };
                    self.finish(node, anchor);
                }
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => {}
        }
    }

    fn finish(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Open::Seq { items, .. }) => items.push(node),
            Some(Open::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => *pending_key = Some(node),
                Some(key) => entries.push((key, node)),
            },
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
}
