//! Progression (PRODUCT.md §4): where a person stands on a framework, computed
//! from the ratings of an assessment.
//!
//! The rule, in full (the web app and the README say the same):
//!
//! - Each behaviour is rated *not yet*, *sometimes* or *consistently*; an
//!   unrated behaviour counts as *not yet*.
//! - A topic **meets** a level when the behaviours it lists at that level are
//!   shown *consistently* in at least the threshold share (default 80%). A
//!   topic that lists no behaviours at a level has nothing to meet there and is
//!   left out of that level.
//! - The **level reached** is the highest level (that lists any behaviour) met
//!   by every topic that lists behaviours at it. Below every such level the
//!   person has reached no level yet.
//! - The **sub-level** within the level reached comes from the share of the
//!   *next* level's behaviours shown, where *consistently* counts in full and
//!   *sometimes* counts half: with the framework's letters A..D (four letters)
//!   a share under 25% is A, from 25% B, from 50% C, from 75% D. A framework
//!   without sub-levels, a person who has reached no level, and a person at the
//!   top level have no sub-level.
//! - A topic's own progress is the highest level it meets plus the share of its
//!   next level shown, which is what the skill wheel draws.
//! - The behaviours **missing for the target level** are the target level's
//!   behaviours not yet shown consistently; reaching the target needs enough of
//!   them in every topic to meet the threshold.
//!
//! Everything is integer arithmetic: shares are compared as cross products,
//! never as floats.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::framework::Framework;

/// How consistently a behaviour is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    NotYet,
    Sometimes,
    Consistently,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Rating::NotYet, Rating::Sometimes, Rating::Consistently];

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::NotYet => "not_yet",
            Rating::Sometimes => "sometimes",
            Rating::Consistently => "consistently",
        }
    }

    /// How people read it: "Not yet", "Sometimes", "Consistently".
    pub fn label(self) -> &'static str {
        match self {
            Rating::NotYet => "Not yet",
            Rating::Sometimes => "Sometimes",
            Rating::Consistently => "Consistently",
        }
    }

    pub fn parse(text: &str) -> Option<Rating> {
        let wanted = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Rating::ALL
            .into_iter()
            .find(|rating| rating.as_str() == wanted)
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Whose view an assessment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AssessmentKind {
    /// The person assessing themselves.
    #[serde(rename = "self")]
    SelfAssessment,
    /// Their manager's assessment.
    #[serde(rename = "manager")]
    Manager,
}

impl AssessmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AssessmentKind::SelfAssessment => "self",
            AssessmentKind::Manager => "manager",
        }
    }

    pub fn parse(text: &str) -> Option<AssessmentKind> {
        match text.trim() {
            "self" => Some(AssessmentKind::SelfAssessment),
            "manager" => Some(AssessmentKind::Manager),
            _ => None,
        }
    }

    /// "Self-assessment" or "Manager assessment".
    pub fn label(self) -> &'static str {
        match self {
            AssessmentKind::SelfAssessment => "Self-assessment",
            AssessmentKind::Manager => "Manager assessment",
        }
    }
}

/// The share of a level's behaviours a topic must show consistently to meet
/// it, in basis points (8000 = 80%).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "u32", into = "u32")]
pub struct Threshold(u32);

pub const DEFAULT_THRESHOLD: Threshold = Threshold(8000);

impl Threshold {
    pub fn from_basis_points(points: u32) -> Option<Threshold> {
        (1..=10_000).contains(&points).then_some(Threshold(points))
    }

    pub fn basis_points(self) -> u32 {
        self.0
    }

    /// "80%", "80", "0.8" or "0.85"; an error says what is accepted.
    pub fn parse(text: &str) -> Result<Threshold, String> {
        let trimmed = text.trim();
        let hint = "write a share between 1% and 100%, e.g. \"80%\" or \"0.8\"";
        let (digits, percent) = match trimmed.strip_suffix('%') {
            Some(rest) => (rest.trim(), true),
            None => (trimmed, false),
        };
        let (whole, fraction) = match digits.split_once('.') {
            Some((whole, fraction)) => (whole, fraction),
            None => (digits, ""),
        };
        let numeric = |part: &str| part.chars().all(|c| c.is_ascii_digit());
        if digits.is_empty() || !numeric(whole) || !numeric(fraction) {
            return Err(format!("threshold {trimmed:?} is not a number: {hint}"));
        }
        // A bare number above 1 ("80") is a percentage, as people write it.
        let as_percent = percent || whole.parse::<u64>().map(|w| w > 1).unwrap_or(true);
        let scale_digits = if as_percent { 2 } else { 4 };
        if fraction.len() > scale_digits {
            return Err(format!(
                "threshold {trimmed:?} is finer than a basis point: {hint}"
            ));
        }
        let mut padded = fraction.to_string();
        while padded.len() < scale_digits {
            padded.push('0');
        }
        let scale = 10u64.pow(scale_digits as u32);
        let whole_value: u64 = if whole.is_empty() {
            0
        } else {
            whole
                .parse()
                .map_err(|_| format!("threshold {trimmed:?} is too large: {hint}"))?
        };
        let fraction_value: u64 = if padded.is_empty() {
            0
        } else {
            padded
                .parse()
                .map_err(|_| format!("threshold {trimmed:?} is not a number: {hint}"))?
        };
        let points = whole_value
            .checked_mul(scale)
            .and_then(|value| value.checked_add(fraction_value))
            .unwrap_or(u64::MAX);
        u32::try_from(points)
            .ok()
            .and_then(Threshold::from_basis_points)
            .ok_or_else(|| format!("threshold {trimmed:?} is out of range: {hint}"))
    }
}

impl Default for Threshold {
    fn default() -> Threshold {
        DEFAULT_THRESHOLD
    }
}

impl TryFrom<u32> for Threshold {
    type Error = String;
    fn try_from(points: u32) -> Result<Threshold, String> {
        Threshold::from_basis_points(points)
            .ok_or_else(|| format!("threshold must be 1..=10000 basis points, got {points}"))
    }
}

impl From<Threshold> for u32 {
    fn from(threshold: Threshold) -> u32 {
        threshold.0
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", percent_text(u64::from(self.0)))
    }
}

/// Basis points as people read them: "80%", "62.5%".
pub fn percent_text(points: u64) -> String {
    let whole = points / 100;
    let rest = points % 100;
    if rest == 0 {
        format!("{whole}%")
    } else if rest.is_multiple_of(10) {
        format!("{whole}.{}%", rest / 10)
    } else {
        format!("{whole}.{rest:02}%")
    }
}

/// How many of a level's behaviours a topic shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    pub total: u32,
    pub consistently: u32,
    pub sometimes: u32,
}

impl Tally {
    fn add(&mut self, rating: Option<Rating>) {
        self.total += 1;
        match rating {
            Some(Rating::Consistently) => self.consistently += 1,
            Some(Rating::Sometimes) => self.sometimes += 1,
            Some(Rating::NotYet) | None => {}
        }
    }

    fn merge(&mut self, other: Tally) {
        self.total += other.total;
        self.consistently += other.consistently;
        self.sometimes += other.sometimes;
    }

    /// Whether the consistent share reaches the threshold (vacuously true for
    /// an empty tally; callers leave those out).
    pub fn meets(self, threshold: Threshold) -> bool {
        u64::from(self.consistently) * 10_000
            >= u64::from(threshold.basis_points()) * u64::from(self.total)
    }

    /// Credit shown (consistently in full, sometimes half), in basis points,
    /// rounded down; 0 for an empty tally.
    pub fn shown_basis_points(self) -> u32 {
        if self.total == 0 {
            return 0;
        }
        let halves = u64::from(self.consistently) * 2 + u64::from(self.sometimes);
        let points = halves * 10_000 / (u64::from(self.total) * 2);
        u32::try_from(points).unwrap_or(10_000)
    }

    /// How many more behaviours must be shown consistently to meet the threshold.
    pub fn still_needed(self, threshold: Threshold) -> u32 {
        let required =
            (u64::from(threshold.basis_points()) * u64::from(self.total)).div_ceil(10_000);
        u32::try_from(required.saturating_sub(u64::from(self.consistently))).unwrap_or(u32::MAX)
    }
}

/// The sub-level letter for a share of the next level shown: `letters[i]` for
/// a share from i/k up to (i+1)/k, the last letter including 100%.
pub fn sublevel_letter(letters: &[String], shown: Tally) -> Option<String> {
    if letters.is_empty() || shown.total == 0 {
        return None;
    }
    let k = letters.len() as u64;
    let halves = u64::from(shown.consistently) * 2 + u64::from(shown.sometimes);
    let index = (halves * k / (u64::from(shown.total) * 2)).min(k - 1);
    letters.get(usize::try_from(index).ok()?).cloned()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicLevel {
    pub topic_key: String,
    #[serde(flatten)]
    pub tally: Tally,
    pub met: bool,
    /// More behaviours to show consistently before this topic meets the level.
    pub still_needed: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LevelProgress {
    pub level: u32,
    pub label: String,
    /// Every topic listing behaviours at this level meets it.
    pub met: bool,
    /// All topics together.
    pub tally: Tally,
    /// Only topics that list behaviours at this level.
    pub topics: Vec<TopicLevel>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicProgress {
    pub topic_key: String,
    pub title: String,
    /// The highest level this topic meets.
    pub level_reached: Option<u32>,
    /// The next level this topic lists behaviours at, above the one reached.
    pub next_level: Option<u32>,
    pub next_level_shown_bp: u32,
    /// Level reached × 10000 + share of the next level shown (basis points):
    /// the skill wheel's radius for this topic.
    pub wheel_bp: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MissingBehaviour {
    pub criterion_id: String,
    pub topic_key: String,
    pub topic_title: String,
    pub level: u32,
    pub text: String,
    /// The current rating, when the behaviour was rated at all.
    pub rating: Option<Rating>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub threshold_bp: u32,
    pub level_reached: Option<u32>,
    /// "Level 3" or "E3"; `None` below every level.
    pub level_reached_label: Option<String>,
    pub sublevel: Option<String>,
    /// The level after the one reached (or the first level), if any.
    pub next_level: Option<u32>,
    /// Share of the next level's behaviours shown, in basis points.
    pub next_level_shown_bp: u32,
    pub target_level: Option<u32>,
    pub target_reached: bool,
    /// Rated behaviours out of all behaviours of the framework.
    pub rated: u32,
    pub behaviours: u32,
    pub levels: Vec<LevelProgress>,
    pub topics: Vec<TopicProgress>,
    pub missing_for_target: Vec<MissingBehaviour>,
}

impl Progress {
    /// "Level 3C", "E3", or "Not yet at Level 1".
    pub fn headline(&self, framework: &Framework) -> String {
        match (&self.level_reached_label, &self.sublevel) {
            (Some(label), Some(letter)) => format!("{label}{letter}"),
            (Some(label), None) => label.clone(),
            (None, _) => match self.levels.first() {
                Some(first) => format!("Not yet at {}", framework.level_label(first.level)),
                None => "No behaviours to assess".to_string(),
            },
        }
    }
}

/// Where someone stands on `framework` given `ratings` (criterion id → rating;
/// ids the framework does not have are ignored).
pub fn compute(
    framework: &Framework,
    ratings: &HashMap<String, Rating>,
    threshold: Threshold,
    target_level: Option<u32>,
) -> Progress {
    // level -> topic index -> tally, only for (topic, level) pairs with behaviours.
    let mut grid: BTreeMap<u32, BTreeMap<usize, Tally>> = BTreeMap::new();
    let mut rated = 0u32;
    let mut behaviours = 0u32;
    for (index, topic) in framework.topics.iter().enumerate() {
        for level in &topic.levels {
            for criterion in &level.criteria {
                let rating = ratings.get(&criterion.id).copied();
                behaviours += 1;
                if rating.is_some() {
                    rated += 1;
                }
                grid.entry(level.number)
                    .or_default()
                    .entry(index)
                    .or_default()
                    .add(rating);
            }
        }
    }

    let levels: Vec<LevelProgress> = grid
        .iter()
        .map(|(&number, topics)| {
            let mut tally = Tally::default();
            let topic_levels: Vec<TopicLevel> = topics
                .iter()
                .map(|(&index, &topic_tally)| {
                    tally.merge(topic_tally);
                    TopicLevel {
                        topic_key: framework.topics[index].key.clone(),
                        tally: topic_tally,
                        met: topic_tally.meets(threshold),
                        still_needed: topic_tally.still_needed(threshold),
                    }
                })
                .collect();
            LevelProgress {
                level: number,
                label: framework.level_label(number),
                met: topic_levels.iter().all(|topic| topic.met),
                tally,
                topics: topic_levels,
            }
        })
        .collect();

    let level_reached = levels.iter().rev().find(|level| level.met).map(|l| l.level);
    let next = levels
        .iter()
        .find(|level| level_reached.is_none_or(|reached| level.level > reached));
    let sublevel = match (level_reached, next, &framework.sublevels) {
        (Some(_), Some(next), Some(letters)) => sublevel_letter(letters, next.tally),
        _ => None,
    };

    let topics = framework
        .topics
        .iter()
        .enumerate()
        .map(|(index, topic)| {
            let own: Vec<(u32, Tally)> = grid
                .iter()
                .filter_map(|(&number, topics)| topics.get(&index).map(|tally| (number, *tally)))
                .collect();
            let reached = own
                .iter()
                .rev()
                .find(|(_, tally)| tally.meets(threshold))
                .map(|(number, _)| *number);
            let next = own
                .iter()
                .find(|(number, _)| reached.is_none_or(|reached| *number > reached));
            let next_shown = next
                .map(|(_, tally)| tally.shown_basis_points())
                .unwrap_or(0);
            TopicProgress {
                topic_key: topic.key.clone(),
                title: topic.title.clone(),
                level_reached: reached,
                next_level: next.map(|(number, _)| *number),
                next_level_shown_bp: next_shown,
                wheel_bp: reached
                    .unwrap_or(0)
                    .saturating_mul(10_000)
                    .saturating_add(next_shown),
            }
        })
        .collect();

    let missing_for_target = match target_level {
        Some(target) => framework
            .criteria()
            .filter(|(_, level, _)| *level == target)
            .filter_map(|(topic, level, criterion)| {
                let rating = ratings.get(&criterion.id).copied();
                (rating != Some(Rating::Consistently)).then(|| MissingBehaviour {
                    criterion_id: criterion.id.clone(),
                    topic_key: topic.key.clone(),
                    topic_title: topic.title.clone(),
                    level,
                    text: criterion.text.clone(),
                    rating,
                })
            })
            .collect(),
        None => Vec::new(),
    };

    Progress {
        threshold_bp: threshold.basis_points(),
        level_reached,
        level_reached_label: level_reached.map(|level| framework.level_label(level)),
        sublevel,
        next_level: next.map(|level| level.level),
        next_level_shown_bp: next
            .map(|level| level.tally.shown_basis_points())
            .unwrap_or(0),
        target_level,
        target_reached: match (target_level, level_reached) {
            (Some(target), Some(reached)) => reached >= target,
            _ => false,
        },
        rated,
        behaviours,
        levels,
        topics,
        missing_for_target,
    }
}

/// A behaviour self and manager rated differently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Disagreement {
    pub criterion_id: String,
    pub topic_title: String,
    pub level: u32,
    pub text: String,
    pub self_rating: Rating,
    pub manager_rating: Rating,
}

/// Behaviours both rated, differently, in framework order. A behaviour only
/// one side rated is not a disagreement: it is simply not assessed yet.
pub fn disagreements(
    framework: &Framework,
    self_ratings: &HashMap<String, Rating>,
    manager_ratings: &HashMap<String, Rating>,
) -> Vec<Disagreement> {
    framework
        .criteria()
        .filter_map(|(topic, level, criterion)| {
            let own = *self_ratings.get(&criterion.id)?;
            let manager = *manager_ratings.get(&criterion.id)?;
            (own != manager).then(|| Disagreement {
                criterion_id: criterion.id.clone(),
                topic_title: topic.title.clone(),
                level,
                text: criterion.text.clone(),
                self_rating: own,
                manager_rating: manager,
            })
        })
        .collect()
}

/// A behaviour of one version that the other version does not have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangedBehaviour {
    pub criterion_id: String,
    pub topic_title: String,
    pub level: u32,
    pub text: String,
}

/// What changed between the version an assessment was made on and a newer
/// one. Criterion ids are stable for unchanged text, so evidence stays with
/// every behaviour not listed here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionChanges {
    /// In the newer version only: new behaviours, or reworded or moved ones.
    pub new_or_changed: Vec<ChangedBehaviour>,
    /// In the older version only; their evidence stays in the old assessment.
    pub removed: Vec<ChangedBehaviour>,
}

impl VersionChanges {
    pub fn is_empty(&self) -> bool {
        self.new_or_changed.is_empty() && self.removed.is_empty()
    }
}

pub fn changes_between(older: &Framework, newer: &Framework) -> VersionChanges {
    let ids = |framework: &Framework| -> HashSet<String> {
        framework.criteria().map(|(_, _, c)| c.id.clone()).collect()
    };
    let only_in = |framework: &Framework, other: &HashSet<String>| -> Vec<ChangedBehaviour> {
        framework
            .criteria()
            .filter(|(_, _, criterion)| !other.contains(&criterion.id))
            .map(|(topic, level, criterion)| ChangedBehaviour {
                criterion_id: criterion.id.clone(),
                topic_title: topic.title.clone(),
                level,
                text: criterion.text.clone(),
            })
            .collect()
    };
    VersionChanges {
        new_or_changed: only_in(newer, &ids(older)),
        removed: only_in(older, &ids(newer)),
    }
}

/// One behaviour's evidence, as written in a promotion packet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evidence {
    pub criterion_id: String,
    pub rating: Rating,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub links: Vec<String>,
}

/// Everything a promotion packet says, gathered by the caller.
pub struct Packet<'a> {
    pub person: &'a str,
    pub manager: Option<&'a str>,
    pub framework: &'a Framework,
    pub framework_version: u32,
    pub kind: &'a str,
    pub assessor: &'a str,
    pub as_of: Option<&'a str>,
    pub progress: &'a Progress,
    pub evidence: &'a [Evidence],
}

/// A Markdown promotion packet: the standing, then every rated behaviour by
/// level and topic with its evidence.
pub fn packet_markdown(packet: &Packet<'_>) -> String {
    use std::fmt::Write as _;
    let framework = packet.framework;
    let progress = packet.progress;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} — {}",
        one_line(packet.person),
        one_line(&framework.title)
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "- Assessment: {} by {}{}",
        packet.kind,
        one_line(packet.assessor),
        packet
            .as_of
            .map(|date| format!(", as of {date}"))
            .unwrap_or_else(|| " (draft)".to_string())
    );
    if let Some(manager) = packet.manager {
        let _ = writeln!(out, "- Manager: {}", one_line(manager));
    }
    let _ = writeln!(
        out,
        "- Framework: {} (version {})",
        one_line(&framework.title),
        packet.framework_version
    );
    let _ = writeln!(out, "- Standing: {}", progress.headline(framework));
    if let Some(target) = progress.target_level {
        let _ = writeln!(
            out,
            "- Target: {}{}",
            framework.level_label(target),
            if progress.target_reached {
                " (reached)"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(
        out,
        "- Rule: a topic meets a level when at least {} of its behaviours there are shown consistently",
        percent_text(u64::from(progress.threshold_bp))
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "## Topics");
    let _ = writeln!(out);
    let _ = writeln!(out, "| Topic | Level met | Next level shown |");
    let _ = writeln!(out, "| --- | --- | --- |");
    for topic in &progress.topics {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            table_cell(&topic.title),
            topic
                .level_reached
                .map(|level| framework.level_label(level))
                .unwrap_or_else(|| "—".to_string()),
            match topic.next_level {
                Some(level) => format!(
                    "{} of {}",
                    percent_text(u64::from(topic.next_level_shown_bp)),
                    framework.level_label(level)
                ),
                None => "—".to_string(),
            }
        );
    }
    let by_id: HashMap<&str, &Evidence> = packet
        .evidence
        .iter()
        .map(|evidence| (evidence.criterion_id.as_str(), evidence))
        .collect();
    let mut current_level = None;
    let mut current_topic = None;
    for (topic, level, criterion) in framework_criteria_by_level(framework) {
        let Some(evidence) = by_id.get(criterion.id.as_str()) else {
            continue;
        };
        if current_level != Some(level) {
            let _ = writeln!(out);
            let _ = writeln!(out, "## {}", framework.level_label(level));
            current_level = Some(level);
            current_topic = None;
        }
        if current_topic != Some(topic.key.as_str()) {
            let _ = writeln!(out);
            let _ = writeln!(out, "### {}", one_line(&topic.title));
            let _ = writeln!(out);
            current_topic = Some(topic.key.as_str());
        }
        let _ = writeln!(
            out,
            "- **{}** — {}",
            evidence.rating.label(),
            one_line(&criterion.text)
        );
        if !evidence.note.trim().is_empty() {
            for line in evidence.note.trim().lines() {
                let _ = writeln!(out, "  > {}", line.trim_end());
            }
        }
        for link in &evidence.links {
            let _ = writeln!(out, "  - <{}>", one_line(link));
        }
    }
    out
}

fn framework_criteria_by_level(
    framework: &Framework,
) -> Vec<(&crate::framework::Topic, u32, &crate::framework::Criterion)> {
    let mut all: Vec<_> = framework.criteria().collect();
    // Stable: topics keep their framework order within a level.
    all.sort_by_key(|(_, level, _)| *level);
    all
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn table_cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::{criterion_id, Criterion, Level, Topic};

    /// Topics × levels, each cell the number of behaviours.
    fn framework(cells: &[(&str, &[(u32, usize)])], letters: Option<&[&str]>) -> Framework {
        Framework {
            slug: "test".into(),
            path: None,
            title: "Test".into(),
            sidebar_title: None,
            group: None,
            declared_level_count: None,
            level_prefix: None,
            sublevels: letters.map(|l| l.iter().map(|s| s.to_string()).collect()),
            homepage: None,
            body_markdown: String::new(),
            topics: cells
                .iter()
                .map(|(key, levels)| Topic {
                    key: key.to_string(),
                    title: key.to_uppercase(),
                    subtitle: None,
                    levels: levels
                        .iter()
                        .map(|(number, count)| Level {
                            number: *number,
                            criteria: (0..*count)
                                .map(|i| {
                                    let text = format!("{key} behaviour {i} at {number}");
                                    Criterion {
                                        id: criterion_id(key, *number, &text),
                                        text,
                                        examples: vec![],
                                    }
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
            source: None,
            warnings: vec![],
        }
    }

    /// Rates the first `n` behaviours of (topic, level) with `rating`.
    fn rate(
        framework: &Framework,
        ratings: &mut HashMap<String, Rating>,
        topic: &str,
        level: u32,
        n: usize,
        rating: Rating,
    ) {
        let ids: Vec<String> = framework
            .criteria()
            .filter(|(t, l, _)| t.key == topic && *l == level)
            .map(|(_, _, c)| c.id.clone())
            .take(n)
            .collect();
        assert_eq!(ids.len(), n, "fixture has fewer behaviours than rated");
        for id in ids {
            ratings.insert(id, rating);
        }
    }

    const ABCD: &[&str] = &["A", "B", "C", "D"];

    #[test]
    fn nothing_rated_reaches_no_level_and_lists_the_whole_target_level() {
        let fw = framework(
            &[("a", &[(1, 2), (2, 2)]), ("b", &[(1, 1), (2, 3)])],
            Some(ABCD),
        );
        let progress = compute(&fw, &HashMap::new(), DEFAULT_THRESHOLD, Some(2));
        assert_eq!(progress.level_reached, None);
        assert_eq!(progress.sublevel, None);
        assert_eq!(progress.next_level, Some(1));
        assert_eq!(progress.next_level_shown_bp, 0);
        assert_eq!(progress.missing_for_target.len(), 5);
        assert!(!progress.target_reached);
        assert_eq!(progress.headline(&fw), "Not yet at Level 1");
        assert_eq!(progress.behaviours, 8);
        assert_eq!(progress.rated, 0);
    }

    #[test]
    fn exactly_the_threshold_meets_a_level_and_one_less_does_not() {
        // 5 behaviours at 80%: 4 consistently meets, 3 does not.
        let fw = framework(&[("a", &[(1, 5)])], None);
        let mut ratings = HashMap::new();
        rate(&fw, &mut ratings, "a", 1, 3, Rating::Consistently);
        let below = compute(&fw, &ratings, DEFAULT_THRESHOLD, None);
        assert_eq!(below.level_reached, None);
        assert_eq!(below.levels[0].topics[0].still_needed, 1);
        rate(&fw, &mut ratings, "a", 1, 4, Rating::Consistently);
        let at = compute(&fw, &ratings, DEFAULT_THRESHOLD, None);
        assert_eq!(at.level_reached, Some(1));
        assert_eq!(at.levels[0].topics[0].still_needed, 0);
    }

    #[test]
    fn sometimes_does_not_count_toward_meeting_a_level() {
        let fw = framework(&[("a", &[(1, 2)])], None);
        let mut ratings = HashMap::new();
        rate(&fw, &mut ratings, "a", 1, 2, Rating::Sometimes);
        let progress = compute(&fw, &ratings, DEFAULT_THRESHOLD, None);
        assert_eq!(progress.level_reached, None);
        assert_eq!(progress.next_level_shown_bp, 5000);
    }

    #[test]
    fn every_topic_must_meet_the_level() {
        let fw = framework(&[("a", &[(1, 1)]), ("b", &[(1, 1)])], None);
        let mut ratings = HashMap::new();
        rate(&fw, &mut ratings, "a", 1, 1, Rating::Consistently);
        assert_eq!(
            compute(&fw, &ratings, DEFAULT_THRESHOLD, None).level_reached,
            None
        );
        rate(&fw, &mut ratings, "b", 1, 1, Rating::Consistently);
        assert_eq!(
            compute(&fw, &ratings, DEFAULT_THRESHOLD, None).level_reached,
            Some(1)
        );
    }

    #[test]
    fn a_topic_with_no_behaviours_at_a_level_is_left_out_of_it() {
        // Topic b lists nothing at level 2 (an empty level entry): level 2 is
        // decided by topic a alone.
        let fw = framework(&[("a", &[(1, 1), (2, 1)]), ("b", &[(1, 1), (2, 0)])], None);
        let mut ratings = HashMap::new();
        rate(&fw, &mut ratings, "a", 2, 1, Rating::Consistently);
        let progress = compute(&fw, &ratings, DEFAULT_THRESHOLD, None);
        assert_eq!(progress.level_reached, Some(2));
        let level2 = progress.levels.iter().find(|l| l.level == 2).unwrap();
        assert_eq!(level2.topics.len(), 1);
        assert_eq!(level2.topics[0].topic_key, "a");
        // Topic b's own progress: it lists nothing above level 1.
        let b = progress.topics.iter().find(|t| t.topic_key == "b").unwrap();
        assert_eq!(b.level_reached, None);
        assert_eq!(b.next_level, Some(1));
    }

    #[test]
    fn the_highest_level_met_counts_even_with_gaps_below() {
        let fw = framework(&[("a", &[(1, 2), (2, 1), (3, 1)])], None);
        let mut ratings = HashMap::new();
        rate(&fw, &mut ratings, "a", 3, 1, Rating::Consistently);
        let progress = compute(&fw, &ratings, DEFAULT_THRESHOLD, Some(3));
        assert_eq!(progress.level_reached, Some(3));
        assert!(progress.target_reached);
        assert!(progress.missing_for_target.is_empty());
        assert_eq!(progress.next_level, None);
    }

    #[test]
    fn sublevel_letters_split_the_next_level_into_equal_bands() {
        // Level 1 met; level 2 has 4 behaviours in one topic.
        let fw = framework(&[("a", &[(1, 1), (2, 4)])], Some(ABCD));
        let mut base = HashMap::new();
        rate(&fw, &mut base, "a", 1, 1, Rating::Consistently);
        let letter = |consistently: usize, sometimes: usize| {
            let mut ratings = base.clone();
            rate(
                &fw,
                &mut ratings,
                "a",
                2,
                sometimes + consistently,
                Rating::Sometimes,
            );
            rate(
                &fw,
                &mut ratings,
                "a",
                2,
                consistently,
                Rating::Consistently,
            );
            compute(
                &fw,
                &ratings,
                Threshold::from_basis_points(10_000).unwrap(),
                None,
            )
            .sublevel
        };
        assert_eq!(letter(0, 0).as_deref(), Some("A")); // 0%
        assert_eq!(letter(0, 1).as_deref(), Some("A")); // 12.5%
        assert_eq!(letter(1, 0).as_deref(), Some("B")); // exactly 25%
        assert_eq!(letter(1, 2).as_deref(), Some("C")); // 50%
        assert_eq!(letter(3, 0).as_deref(), Some("D")); // 75%
                                                        // 100% of level 2 meets it, so level 2 is reached and is the top: no letter.
        assert_eq!(letter(4, 0), None);
    }

    #[test]
    fn sublevel_at_100_percent_of_next_level_below_threshold_is_the_last_letter() {
        let letters: Vec<String> = ["A", "B", "C"].iter().map(|s| s.to_string()).collect();
        let full = Tally {
            total: 3,
            consistently: 3,
            sometimes: 0,
        };
        assert_eq!(sublevel_letter(&letters, full).as_deref(), Some("C"));
        let none = Tally {
            total: 3,
            consistently: 0,
            sometimes: 0,
        };
        assert_eq!(sublevel_letter(&letters, none).as_deref(), Some("A"));
        assert_eq!(sublevel_letter(&[], full), None);
    }

    #[test]
    fn a_framework_without_sublevels_has_no_letter() {
        let fw = framework(&[("a", &[(1, 1), (2, 2)])], None);
        let mut ratings = HashMap::new();
        rate(&fw, &mut ratings, "a", 1, 1, Rating::Consistently);
        rate(&fw, &mut ratings, "a", 2, 1, Rating::Consistently);
        let progress = compute(&fw, &ratings, DEFAULT_THRESHOLD, None);
        assert_eq!(progress.level_reached, Some(1));
        assert_eq!(progress.sublevel, None);
        assert_eq!(progress.next_level_shown_bp, 5000);
        assert_eq!(progress.headline(&fw), "Level 1");
    }

    #[test]
    fn five_letter_frameworks_use_their_own_letters() {
        let letters = ["A", "B", "C", "D", "E"];
        let fw = framework(&[("a", &[(1, 1), (2, 5)])], Some(&letters));
        let mut ratings = HashMap::new();
        rate(&fw, &mut ratings, "a", 1, 1, Rating::Consistently);
        rate(&fw, &mut ratings, "a", 2, 4, Rating::Consistently);
        let progress = compute(
            &fw,
            &ratings,
            Threshold::from_basis_points(10_000).unwrap(),
            None,
        );
        assert_eq!(progress.sublevel.as_deref(), Some("E"));
        assert_eq!(progress.headline(&fw), "Level 1E");
    }

    #[test]
    fn everything_consistently_reaches_the_top_level() {
        let fw = framework(
            &[("a", &[(1, 2), (2, 2)]), ("b", &[(1, 1), (2, 1)])],
            Some(ABCD),
        );
        let ratings: HashMap<String, Rating> = fw
            .criteria()
            .map(|(_, _, c)| (c.id.clone(), Rating::Consistently))
            .collect();
        let progress = compute(&fw, &ratings, DEFAULT_THRESHOLD, Some(2));
        assert_eq!(progress.level_reached, Some(2));
        assert_eq!(progress.sublevel, None);
        assert!(progress.target_reached);
        assert_eq!(progress.rated, progress.behaviours);
        assert!(progress.topics.iter().all(|t| t.wheel_bp == 20_000));
    }

    #[test]
    fn wheel_radius_is_level_met_plus_share_of_next() {
        let fw = framework(&[("a", &[(1, 1), (2, 4)])], None);
        let mut ratings = HashMap::new();
        rate(&fw, &mut ratings, "a", 1, 1, Rating::Consistently);
        rate(&fw, &mut ratings, "a", 2, 2, Rating::Sometimes);
        rate(&fw, &mut ratings, "a", 2, 1, Rating::Consistently);
        // 1 consistently + 1 sometimes of 4 = 3 halves of 8 = 37.5%.
        let progress = compute(&fw, &ratings, DEFAULT_THRESHOLD, None);
        assert_eq!(progress.topics[0].wheel_bp, 10_000 + 3750);
    }

    #[test]
    fn missing_behaviours_are_the_target_levels_not_consistently_shown() {
        let fw = framework(&[("a", &[(2, 3)]), ("b", &[(2, 1), (3, 1)])], None);
        let mut ratings = HashMap::new();
        rate(&fw, &mut ratings, "a", 2, 1, Rating::Consistently);
        rate(&fw, &mut ratings, "a", 2, 2, Rating::Sometimes);
        let mut again = ratings.clone();
        rate(&fw, &mut again, "a", 2, 1, Rating::Consistently);
        let progress = compute(&fw, &again, DEFAULT_THRESHOLD, Some(2));
        let missing: Vec<(&str, Option<Rating>)> = progress
            .missing_for_target
            .iter()
            .map(|m| (m.topic_key.as_str(), m.rating))
            .collect();
        assert_eq!(
            missing,
            vec![("a", Some(Rating::Sometimes)), ("a", None), ("b", None)]
        );
    }

    #[test]
    fn disagreements_need_both_ratings_and_a_difference() {
        let fw = framework(&[("a", &[(1, 3)])], None);
        let ids: Vec<String> = fw.criteria().map(|(_, _, c)| c.id.clone()).collect();
        let own = HashMap::from([
            (ids[0].clone(), Rating::Consistently),
            (ids[1].clone(), Rating::Sometimes),
            (ids[2].clone(), Rating::Sometimes),
        ]);
        let manager = HashMap::from([
            (ids[0].clone(), Rating::Sometimes),
            (ids[1].clone(), Rating::Sometimes),
        ]);
        let found = disagreements(&fw, &own, &manager);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].criterion_id, ids[0]);
        assert_eq!(found[0].self_rating, Rating::Consistently);
        assert_eq!(found[0].manager_rating, Rating::Sometimes);
    }

    #[test]
    fn changes_between_versions_follow_criterion_ids() {
        let old = framework(&[("a", &[(1, 2)])], None);
        let mut new = old.clone();
        let reworded = "a behaviour 1 at 1, reworded".to_string();
        new.topics[0].levels[0].criteria[1] = Criterion {
            id: criterion_id("a", 1, &reworded),
            text: reworded,
            examples: vec![],
        };
        let changes = changes_between(&old, &new);
        assert_eq!(changes.new_or_changed.len(), 1);
        assert_eq!(changes.removed.len(), 1);
        assert!(changes.new_or_changed[0].text.ends_with("reworded"));
        assert!(changes_between(&old, &old).is_empty());
    }

    #[test]
    fn thresholds_parse_as_people_write_them() {
        let bp = |text: &str| Threshold::parse(text).map(Threshold::basis_points);
        assert_eq!(bp("80%"), Ok(8000));
        assert_eq!(bp("80"), Ok(8000));
        assert_eq!(bp("0.8"), Ok(8000));
        assert_eq!(bp("62.5%"), Ok(6250));
        assert_eq!(bp("1"), Ok(10_000));
        assert_eq!(bp("100%"), Ok(10_000));
        assert!(bp("0").is_err());
        assert!(bp("101%").is_err());
        assert!(bp("eighty").is_err());
        assert!(bp("0.12345").is_err());
        assert!(bp("").is_err());
        assert_eq!(
            Threshold::from_basis_points(6250).unwrap().to_string(),
            "62.5%"
        );
        assert_eq!(percent_text(1234), "12.34%");
    }

    #[test]
    fn ratings_parse_leniently() {
        assert_eq!(Rating::parse("Not yet"), Some(Rating::NotYet));
        assert_eq!(Rating::parse("not-yet"), Some(Rating::NotYet));
        assert_eq!(Rating::parse("CONSISTENTLY"), Some(Rating::Consistently));
        assert_eq!(Rating::parse("often"), None);
    }

    #[test]
    fn packet_lists_rated_behaviours_by_level_and_topic_with_evidence() {
        let fw = framework(&[("a", &[(1, 1), (2, 1)]), ("b", &[(1, 1)])], Some(ABCD));
        let ids: Vec<(String, u32)> = fw.criteria().map(|(_, l, c)| (c.id.clone(), l)).collect();
        let evidence = vec![
            Evidence {
                criterion_id: ids[0].0.clone(),
                rating: Rating::Consistently,
                note: "Shipped the ledger\nwith tests".into(),
                links: vec!["https://example.test/pr/1".into()],
            },
            Evidence {
                criterion_id: ids[2].0.clone(),
                rating: Rating::Sometimes,
                note: String::new(),
                links: vec![],
            },
        ];
        let ratings: HashMap<String, Rating> = evidence
            .iter()
            .map(|e| (e.criterion_id.clone(), e.rating))
            .collect();
        let progress = compute(&fw, &ratings, DEFAULT_THRESHOLD, Some(2));
        let text = packet_markdown(&Packet {
            person: "Ada | Lovelace",
            manager: Some("Grace"),
            framework: &fw,
            framework_version: 3,
            kind: "manager",
            assessor: "Grace",
            as_of: Some("2026-11-24"),
            progress: &progress,
            evidence: &evidence,
        });
        // B's one behaviour, shown sometimes, counts half; unrated levels
        // (Level 2) are left out of the behaviours.
        assert_eq!(
            text,
            "# Ada | Lovelace — Test

- Assessment: manager by Grace, as of 2026-11-24
- Manager: Grace
- Framework: Test (version 3)
- Standing: Not yet at Level 1
- Target: Level 2
- Rule: a topic meets a level when at least 80% of its behaviours there are shown consistently

## Topics

| Topic | Level met | Next level shown |
| --- | --- | --- |
| A | Level 1 | 0% of Level 2 |
| B | — | 50% of Level 1 |

## Level 1

### A

- **Consistently** — a behaviour 0 at 1
  > Shipped the ledger
  > with tests
  - <https://example.test/pr/1>

### B

- **Sometimes** — b behaviour 0 at 1
"
        );
    }
}
