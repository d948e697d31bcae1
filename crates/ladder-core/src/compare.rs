//! Level comparison (PRODUCT.md §4): what each topic of a framework adds going
//! from one level to another.
//!
//! Levels are cumulative — someone at level 4 is expected to show the behaviours
//! of levels 1–4 — so the difference between two levels is the behaviours of the
//! levels above the lower one, up to and including the higher one. The direction
//! the caller asked for is kept for display, but never changes what is listed.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::framework::{Criterion, Framework};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comparison {
    /// The level the caller asked to compare from (may be above `to`).
    pub from: u32,
    pub to: u32,
    pub from_label: String,
    pub to_label: String,
    /// Every topic of the framework, in framework order, including those that
    /// add nothing between the two levels.
    pub topics: Vec<TopicComparison>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicComparison {
    pub key: String,
    pub title: String,
    /// In ascending level order, then in the order the framework lists them.
    pub added: Vec<AddedCriterion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AddedCriterion {
    pub level: u32,
    pub criterion: Criterion,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum CompareError {
    /// `level` is not one of the framework's levels; `available` lists those it
    /// has, ascending, so the message can tell the caller what to pick instead.
    UnknownLevel {
        level: u32,
        available: Vec<u32>,
    },
    SameLevel,
}

impl fmt::Display for CompareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompareError::UnknownLevel { level, available } if available.is_empty() => {
                write!(
                    f,
                    "level {level} does not exist: this framework has no levels"
                )
            }
            CompareError::UnknownLevel { level, available } => {
                let list: Vec<String> = available.iter().map(u32::to_string).collect();
                write!(
                    f,
                    "level {level} does not exist in this framework; its levels are {}",
                    list.join(", ")
                )
            }
            CompareError::SameLevel => {
                write!(
                    f,
                    "both levels are the same; choose two different levels to compare"
                )
            }
        }
    }
}

impl std::error::Error for CompareError {}

/// What each topic adds between levels `from` and `to` (in either order).
pub fn compare(framework: &Framework, from: u32, to: u32) -> Result<Comparison, CompareError> {
    let available = framework.level_numbers();
    for level in [from, to] {
        if !available.contains(&level) {
            return Err(CompareError::UnknownLevel { level, available });
        }
    }
    if from == to {
        return Err(CompareError::SameLevel);
    }
    let (lo, hi) = (from.min(to), from.max(to));

    let topics = framework
        .topics
        .iter()
        .map(|topic| {
            // Topic levels are ascending by construction, but comparison output is a
            // contract of its own, so it does not lean on that.
            let mut levels: Vec<_> = topic
                .levels
                .iter()
                .filter(|level| level.number > lo && level.number <= hi)
                .collect();
            levels.sort_by_key(|level| level.number);
            let added = levels
                .into_iter()
                .flat_map(|level| {
                    level.criteria.iter().map(move |criterion| AddedCriterion {
                        level: level.number,
                        criterion: criterion.clone(),
                    })
                })
                .collect();
            TopicComparison {
                key: topic.key.clone(),
                title: topic.title.clone(),
                added,
            }
        })
        .collect();

    Ok(Comparison {
        from,
        to,
        from_label: framework.level_label(from),
        to_label: framework.level_label(to),
        topics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{criterion_id, Level, Topic};

    fn criterion(topic: &str, level: u32, text: &str) -> Criterion {
        Criterion {
            id: criterion_id(topic, level, text),
            text: text.to_string(),
            examples: vec![],
        }
    }

    fn level(topic: &str, number: u32, texts: &[&str]) -> Level {
        Level {
            number,
            criteria: texts.iter().map(|t| criterion(topic, number, t)).collect(),
        }
    }

    fn framework() -> Framework {
        Framework {
            slug: "f".into(),
            path: None,
            title: "F".into(),
            sidebar_title: None,
            group: None,
            declared_level_count: None,
            level_prefix: Some("E".into()),
            sublevels: None,
            homepage: None,
            body_markdown: String::new(),
            topics: vec![
                Topic {
                    key: "mastery".into(),
                    title: "Mastery".into(),
                    subtitle: None,
                    levels: vec![
                        level("mastery", 1, &["m1"]),
                        level("mastery", 2, &["m2a", "m2b"]),
                        level("mastery", 3, &["m3"]),
                        level("mastery", 4, &["m4"]),
                    ],
                },
                Topic {
                    key: "leadership".into(),
                    title: "Leadership".into(),
                    subtitle: None,
                    levels: vec![level("leadership", 3, &["l3"]), level("leadership", 4, &[])],
                },
            ],
            source: None,
            warnings: vec![],
        }
    }

    fn texts(topic: &TopicComparison) -> Vec<(u32, &str)> {
        topic
            .added
            .iter()
            .map(|a| (a.level, a.criterion.text.as_str()))
            .collect()
    }

    #[test]
    fn lists_what_each_level_above_the_lower_one_adds_in_level_order() {
        let comparison = compare(&framework(), 1, 3).unwrap();
        assert_eq!(comparison.from, 1);
        assert_eq!(comparison.to, 3);
        assert_eq!(comparison.from_label, "E1");
        assert_eq!(comparison.to_label, "E3");
        assert_eq!(comparison.topics.len(), 2);
        assert_eq!(comparison.topics[0].key, "mastery");
        assert_eq!(
            texts(&comparison.topics[0]),
            vec![(2, "m2a"), (2, "m2b"), (3, "m3")]
        );
        assert_eq!(texts(&comparison.topics[1]), vec![(3, "l3")]);
        assert_eq!(
            comparison.topics[0].added[0].criterion.id,
            criterion_id("mastery", 2, "m2a")
        );
    }

    #[test]
    fn direction_is_kept_for_labels_but_not_for_content() {
        let up = compare(&framework(), 2, 4).unwrap();
        let down = compare(&framework(), 4, 2).unwrap();
        assert_eq!((down.from, down.to), (4, 2));
        assert_eq!(
            (down.from_label.as_str(), down.to_label.as_str()),
            ("E4", "E2")
        );
        assert_eq!(up.topics, down.topics);
    }

    #[test]
    fn topics_that_add_nothing_are_still_listed() {
        let comparison = compare(&framework(), 3, 4).unwrap();
        assert_eq!(texts(&comparison.topics[0]), vec![(4, "m4")]);
        assert_eq!(comparison.topics[1].key, "leadership");
        assert!(comparison.topics[1].added.is_empty());
    }

    #[test]
    fn unknown_and_equal_levels_are_errors_that_say_what_exists() {
        let error = compare(&framework(), 1, 9).unwrap_err();
        assert_eq!(
            error,
            CompareError::UnknownLevel {
                level: 9,
                available: vec![1, 2, 3, 4]
            }
        );
        assert_eq!(
            error.to_string(),
            "level 9 does not exist in this framework; its levels are 1, 2, 3, 4"
        );
        assert!(matches!(
            compare(&framework(), 0, 2),
            Err(CompareError::UnknownLevel { level: 0, .. })
        ));
        assert_eq!(compare(&framework(), 2, 2), Err(CompareError::SameLevel));
        assert_eq!(
            CompareError::SameLevel.to_string(),
            "both levels are the same; choose two different levels to compare"
        );

        let mut empty = framework();
        empty.topics.clear();
        assert!(compare(&empty, 1, 2)
            .unwrap_err()
            .to_string()
            .contains("no levels"));
    }
}
