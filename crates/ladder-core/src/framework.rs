//! The canonical model of a progression framework (PRODUCT.md §1).
//!
//! Both source formats read into this model and write back out of it, so it keeps
//! exactly what either format can say and nothing about how it was spelled.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;
use crate::text::normalise_for_identity;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Framework {
    /// URL-safe identity, derived from `path` ("/engineering/backend" ->
    /// "engineering-backend"), or from the file name when the file has no path.
    pub slug: String,
    pub path: Option<String>,
    pub title: String,
    pub sidebar_title: Option<String>,
    pub group: Option<String>,
    /// What the file declared in `levels:`; `None` when the key was empty or absent.
    pub declared_level_count: Option<u32>,
    pub level_prefix: Option<String>,
    /// Sub-level letters within a level ("A".."D"), detected from the home text or
    /// set in front matter; `None` when the framework has no sub-levels.
    pub sublevels: Option<Vec<String>>,
    pub homepage: Option<bool>,
    /// The framework's home/about text (Markdown).
    pub body_markdown: String,
    pub topics: Vec<Topic>,
    #[serde(default)]
    pub source: Option<SourceInfo>,
    #[serde(default)]
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Topic {
    /// Stable key; frameworks share topics by this key (the structured `name`).
    pub key: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// In ascending level order, one entry per level the file lists for this topic
    /// (an entry may have no criteria).
    pub levels: Vec<Level>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Level {
    pub number: u32,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Criterion {
    /// Stable across re-imports of unchanged text: see [`criterion_id`].
    pub id: String,
    pub text: String,
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    Structured,
    Prose,
    Json,
}

impl SourceFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Structured => "structured",
            SourceFormat::Prose => "prose",
            SourceFormat::Json => "json",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceInfo {
    pub format: SourceFormat,
    /// SHA-256 of the file's bytes as read (before any repair), lower-case hex.
    pub sha256: String,
    pub file: Option<String>,
}

/// A criterion's id: topic key, level, and the first 40 bits of the SHA-256 of
/// the normalised text. Evidence, questions and scorecards point at these ids, so
/// rewrapping or re-quoting a behaviour must not change it, while any change of
/// wording must.
pub fn criterion_id(topic_key: &str, level: u32, text: &str) -> String {
    let digest = Sha256::digest(normalise_for_identity(text).as_bytes());
    let mut hex = String::with_capacity(10);
    for byte in digest.iter().take(5) {
        hex.push_str(&format!("{byte:02x}"));
    }
    format!("{topic_key}.l{level}.{hex}")
}

impl Framework {
    /// Number of distinct levels that hold at least one behaviour.
    pub fn populated_level_count(&self) -> usize {
        let mut numbers: Vec<u32> = self
            .topics
            .iter()
            .flat_map(|topic| topic.levels.iter())
            .filter(|level| !level.criteria.is_empty())
            .map(|level| level.number)
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers.len()
    }

    /// Every level number that appears in any topic, ascending.
    pub fn level_numbers(&self) -> Vec<u32> {
        let mut numbers: Vec<u32> = self
            .topics
            .iter()
            .flat_map(|topic| topic.levels.iter().map(|level| level.number))
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers
    }

    pub fn criterion_count(&self) -> usize {
        self.criteria().count()
    }

    pub fn example_count(&self) -> usize {
        self.criteria()
            .map(|(_, _, criterion)| criterion.examples.len())
            .sum()
    }

    /// Every criterion with its topic and level number, in document order.
    pub fn criteria(&self) -> impl Iterator<Item = (&Topic, u32, &Criterion)> {
        self.topics.iter().flat_map(|topic| {
            topic.levels.iter().flat_map(move |level| {
                level
                    .criteria
                    .iter()
                    .map(move |criterion| (topic, level.number, criterion))
            })
        })
    }

    /// How a level is named to people: "Level 3", or "E3" with a level prefix.
    pub fn level_label(&self, number: u32) -> String {
        match &self.level_prefix {
            Some(prefix) if !prefix.is_empty() => format!("{prefix}{number}"),
            _ => format!("Level {number}"),
        }
    }

    /// The model without what depends on how it was read (source file, hash,
    /// warnings): two imports of equivalent files compare equal through this.
    pub fn content(&self) -> Framework {
        Framework {
            source: None,
            warnings: Vec::new(),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criterion_id_is_stable_under_rewrapping_and_changes_with_wording() {
        let a = criterion_id("mastery", 2, "Fixes simple bugs");
        let b = criterion_id("mastery", 2, "  Fixes  simple\nbugs. ");
        let c = criterion_id("mastery", 2, "Fixes complex bugs");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert!(a.starts_with("mastery.l2."), "{a}");
        assert_eq!(a.len(), "mastery.l2.".len() + 10);
    }

    #[test]
    fn level_label_honours_prefix() {
        let mut framework = Framework {
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
            topics: vec![],
            source: None,
            warnings: vec![],
        };
        assert_eq!(framework.level_label(3), "Level 3");
        framework.level_prefix = Some("E".into());
        assert_eq!(framework.level_label(3), "E3");
    }
}
