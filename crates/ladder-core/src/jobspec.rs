//! Job specs (PRODUCT.md §2): weighted competencies, must-haves and the two
//! interview rounds. Weights are exact: basis points, never floats.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::framework::Framework;

/// A competency's weight in basis points (1/10 000): 0.35 is `Weight(3500)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "0.35"))]
pub struct Weight(pub u32);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightError(pub String);

impl fmt::Display for WeightError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WeightError {}

/// Parses a non-negative decimal with at most `scale` fractional digits into
/// an integer count of 10^-scale units.
fn parse_fixed(text: &str, scale: u32) -> Option<u64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > scale as usize || whole.len() > 6 {
        return None;
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut units = whole.checked_mul(10u64.pow(scale))?;
    if !fraction.is_empty() {
        let digits: u64 = fraction.parse().ok()?;
        units += digits * 10u64.pow(scale - fraction.len() as u32);
    }
    Some(units)
}

impl Weight {
    pub const ZERO: Weight = Weight(0);
    pub const ONE: Weight = Weight(10_000);

    /// Accepts `0.35`, `"0.35"`, `".35"`, `"35%"` and `"12.5%"`; at most four
    /// decimal places (two for percentages), between 0 and 1.
    pub fn parse(text: &str) -> Result<Weight, WeightError> {
        let trimmed = text.trim();
        let units = match trimmed.strip_suffix('%') {
            Some(percent) => parse_fixed(percent.trim(), 2),
            None => parse_fixed(trimmed, 4),
        };
        match units {
            Some(units) if units <= 10_000 => Ok(Weight(units as u32)),
            Some(_) => Err(WeightError(format!("weight {trimmed} is more than 1.00 (100%)"))),
            None => Err(WeightError(format!(
                "“{trimmed}” is not a weight: write a decimal between 0 and 1 such as 0.35, or a percentage such as 35%"
            ))),
        }
    }

    /// "0.35", "0.10", "0.125", "1.00".
    pub fn decimal(self) -> String {
        let whole = self.0 / 10_000;
        let fraction = format!("{:04}", self.0 % 10_000);
        let fraction = fraction.trim_end_matches('0');
        let fraction = if fraction.len() < 2 {
            format!("{fraction:0<2}")
        } else {
            fraction.to_string()
        };
        format!("{whole}.{fraction}")
    }

    /// "35%", "12.5%", "100%".
    pub fn percent(self) -> String {
        let whole = self.0 / 100;
        let fraction = self.0 % 100;
        if fraction == 0 {
            format!("{whole}%")
        } else {
            format!(
                "{whole}.{}%",
                format!("{fraction:02}").trim_end_matches('0')
            )
        }
    }

    pub fn basis_points(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Weight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.decimal())
    }
}

impl Serialize for Weight {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.decimal())
    }
}

impl<'de> Deserialize<'de> for Weight {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Weight, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Weight;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a weight such as 0.35, \"0.35\" or \"35%\"")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Weight, E> {
                Weight::parse(text).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Weight, E> {
                Weight::parse(&value.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Weight, E> {
                Weight::parse(&value.to_string()).map_err(E::custom)
            }
            // JSON numbers arrive as f64; their shortest decimal form ("0.35")
            // is what the user wrote, so parse that text exactly.
            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Weight, E> {
                if !value.is_finite() {
                    return Err(E::custom("a weight must be a finite number"));
                }
                Weight::parse(&value.to_string()).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Competency {
    /// snake_case, unique in the spec; derived from the name when not given.
    #[serde(default)]
    pub id: String,
    pub name: String,
    pub weight: Weight,
    #[serde(default)]
    pub definition: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MustHave {
    pub text: String,
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

/// One interview question (round 1) or behavioural prompt (round 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoundItem {
    /// Stable within the spec's history, e.g. "q-3f9a2c".
    pub id: String,
    pub text: String,
    /// The competency this item probes.
    #[serde(default)]
    pub competency_id: Option<String>,
    /// Ids of the framework criteria (or "definition"/"description") the item
    /// was grounded in.
    #[serde(default)]
    pub grounding: Vec<String>,
    /// `generated:<generator>` or `edited`.
    pub origin: String,
    /// The generator's quality check of the text, for generated items (an
    /// item that fails it is never offered); absent for hand-written ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<ItemQuality>,
}

/// The verdict of `generate::quality::check` on an item's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemQuality {
    /// The version of the rules applied, e.g. `quality-v1`.
    pub rules: String,
    pub passed: bool,
    /// What is wrong, one sentence each; empty when it passed.
    #[serde(default)]
    pub problems: Vec<String>,
}

impl RoundItem {
    pub fn is_edited(&self) -> bool {
        self.origin == "edited"
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FrameworkBasis {
    pub slug: String,
    pub level: u32,
}

/// Everything a version of a job spec says. Identity (id, version number,
/// label, status) lives with the stored version, not here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobSpecBody {
    pub title: String,
    #[serde(default)]
    pub seniority: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub basis: Option<FrameworkBasis>,
    #[serde(default)]
    pub competencies: Vec<Competency>,
    #[serde(default)]
    pub must_haves: Vec<MustHave>,
    /// Round 01: interview questions, answerable in any order.
    #[serde(default)]
    pub round1: Vec<RoundItem>,
    /// Round 02: behavioural prompts, walked strictly in order.
    #[serde(default)]
    pub round2: Vec<RoundItem>,
}

/// A problem with a spec, addressed by the JSON path of the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    pub field: String,
    pub message: String,
}

/// "Domain Ownership & Reliability" -> "domain_ownership_and_reliability".
pub fn competency_id_from_name(name: &str) -> String {
    let spelled = name.replace('&', " and ").replace('+', " plus ");
    let mut out = String::new();
    let mut pending = false;
    for c in spelled.chars() {
        if c.is_ascii_alphanumeric() {
            if pending && !out.is_empty() {
                out.push('_');
            }
            pending = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending = true;
        }
    }
    // A long name still gives a valid id: cut to the limit, at a word.
    if out.len() > crate::limits::COMPETENCY_ID {
        out.truncate(crate::limits::COMPETENCY_ID);
        while out.ends_with('_') {
            out.pop();
        }
    }
    out
}

pub fn is_snake_case(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= crate::limits::COMPETENCY_ID
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !id.contains("__")
        && !id.ends_with('_')
}

impl JobSpecBody {
    pub fn total_weight(&self) -> Weight {
        Weight(self.competencies.iter().map(|c| c.weight.0).sum())
    }

    pub fn balanced(&self) -> bool {
        self.total_weight() == Weight::ONE
    }

    /// "Total weight: 0.95 — add 0.05", or `None` when balanced.
    pub fn balance_message(&self) -> Option<String> {
        let total = self.total_weight();
        match total.cmp(&Weight::ONE) {
            std::cmp::Ordering::Equal => None,
            std::cmp::Ordering::Less => Some(format!(
                "Total weight: {} — add {}",
                total,
                Weight(Weight::ONE.0 - total.0)
            )),
            std::cmp::Ordering::Greater => Some(format!(
                "Total weight: {} — remove {}",
                total,
                Weight(total.0 - Weight::ONE.0)
            )),
        }
    }

    /// Fills in competency ids derived from names, where none was given.
    pub fn derive_ids(&mut self) {
        for competency in &mut self.competencies {
            if competency.id.trim().is_empty() {
                competency.id = competency_id_from_name(&competency.name);
            }
        }
    }

    /// Text fields longer than their maximum (see [`crate::limits`]) or
    /// holding a NUL character, by field path.
    pub fn text_problems(&self) -> Vec<Problem> {
        use crate::limits::{self, check};
        let mut problems = Vec::new();
        let mut add = |problem: Option<Problem>| problems.extend(problem);
        add(check(
            "title",
            "the title",
            &self.title,
            limits::JOB_SPEC_TITLE,
        ));
        add(check(
            "seniority",
            "the seniority",
            &self.seniority,
            limits::JOB_SPEC_SENIORITY,
        ));
        add(check(
            "description",
            "the description",
            &self.description,
            limits::JOB_SPEC_DESCRIPTION,
        ));
        if let Some(basis) = &self.basis {
            add(check(
                "basis.slug",
                "the framework's slug",
                &basis.slug,
                limits::FRAMEWORK_SLUG,
            ));
        }
        for (index, competency) in self.competencies.iter().enumerate() {
            let field = |name: &str| format!("competencies[{index}].{name}");
            add(check(
                field("name"),
                "the competency's name",
                &competency.name,
                limits::COMPETENCY_NAME,
            ));
            add(check(
                field("id"),
                "the competency's id",
                &competency.id,
                limits::COMPETENCY_ID,
            ));
            add(check(
                field("definition"),
                "the competency's definition",
                &competency.definition,
                limits::COMPETENCY_DEFINITION,
            ));
        }
        for (index, must) in self.must_haves.iter().enumerate() {
            add(check(
                format!("must_haves[{index}].text"),
                "the must-have",
                &must.text,
                limits::MUST_HAVE_TEXT,
            ));
        }
        for (round, items) in [("round1", &self.round1), ("round2", &self.round2)] {
            for (index, item) in items.iter().enumerate() {
                let field = |name: &str| format!("{round}[{index}].{name}");
                add(check(
                    field("text"),
                    "the question",
                    &item.text,
                    limits::ROUND_ITEM_TEXT,
                ));
                add(check(
                    field("id"),
                    "the question's id",
                    &item.id,
                    limits::ROUND_ITEM_REFERENCE,
                ));
                add(check(
                    field("origin"),
                    "the question's origin",
                    &item.origin,
                    limits::ROUND_ITEM_REFERENCE,
                ));
                if let Some(id) = &item.competency_id {
                    add(check(
                        field("competency_id"),
                        "the question's competency",
                        id,
                        limits::COMPETENCY_ID,
                    ));
                }
                for (at, grounding) in item.grounding.iter().enumerate() {
                    add(check(
                        format!("{round}[{index}].grounding[{at}]"),
                        "the criterion id",
                        grounding,
                        limits::ROUND_ITEM_REFERENCE,
                    ));
                }
            }
        }
        problems
    }

    /// Problems that make a spec unsavable even as a draft: text too long
    /// (first), then anything else wrong with a field whose text is fine.
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = self.text_problems();
        let flagged: Vec<String> = problems.iter().map(|p| p.field.clone()).collect();
        let mut add = |field: String, message: String| {
            if !flagged.contains(&field) {
                problems.push(Problem { field, message });
            }
        };
        if self.title.trim().is_empty() {
            add("title".into(), "give the job spec a title".into());
        }
        for (index, competency) in self.competencies.iter().enumerate() {
            if competency.name.trim().is_empty() {
                add(
                    format!("competencies[{index}].name"),
                    "give the competency a name".into(),
                );
            }
            if !is_snake_case(&competency.id) {
                add(
                    format!("competencies[{index}].id"),
                    format!("“{}” is not a snake_case id: use lower-case letters, digits and single underscores, e.g. {}", competency.id, competency_id_from_name(&competency.name)),
                );
            } else if self.competencies[..index]
                .iter()
                .any(|earlier| earlier.id == competency.id)
            {
                add(
                    format!("competencies[{index}].id"),
                    format!(
                        "the id {} is used by another competency; ids must be unique",
                        competency.id
                    ),
                );
            }
        }
        for (index, must) in self.must_haves.iter().enumerate() {
            if must.text.trim().is_empty() {
                add(
                    format!("must_haves[{index}].text"),
                    "write the must-have or remove it".into(),
                );
            }
        }
        for (round, items) in [("round1", &self.round1), ("round2", &self.round2)] {
            for (index, item) in items.iter().enumerate() {
                if item.text.trim().is_empty() {
                    add(
                        format!("{round}[{index}].text"),
                        "write the question or delete it".into(),
                    );
                }
                if let Some(id) = &item.competency_id {
                    if !self.competencies.iter().any(|c| &c.id == id) {
                        add(
                            format!("{round}[{index}].competency_id"),
                            format!("there is no competency {id}"),
                        );
                    }
                }
            }
        }
        problems
    }

    /// Problems that stop a draft from being published: the above, plus
    /// balance and at least one competency.
    pub fn publish_problems(&self) -> Vec<Problem> {
        let mut problems = self.problems();
        if self.competencies.is_empty() {
            problems.push(Problem {
                field: "competencies".into(),
                message: "add at least one competency before publishing".into(),
            });
        } else if let Some(message) = self.balance_message() {
            problems.push(Problem {
                field: "competencies[].weight".into(),
                message: format!("{message}: weights must sum to exactly 1.00 to publish"),
            });
        }
        problems
    }
}

/// Splits 1.00 into `parts` equal weights in basis points; the remainder goes
/// one point each to the first entries, so the sum is always exactly 1.00.
pub fn equal_weights(parts: usize) -> Vec<Weight> {
    if parts == 0 {
        return Vec::new();
    }
    let parts_u32 = u32::try_from(parts).unwrap_or(u32::MAX);
    let base = Weight::ONE.0 / parts_u32;
    let remainder = (Weight::ONE.0 % parts_u32) as usize;
    (0..parts)
        .map(|index| Weight(base + u32::from(index < remainder)))
        .collect()
}

/// "Start from framework X at level N": one competency per topic that has
/// behaviours at that level, defined by those behaviours, equally weighted.
pub fn propose_competencies(framework: &Framework, level: u32) -> Result<Vec<Competency>, String> {
    let topics: Vec<_> = framework
        .topics
        .iter()
        .filter_map(|topic| {
            topic
                .levels
                .iter()
                .find(|l| l.number == level && !l.criteria.is_empty())
                .map(|l| (topic, l))
        })
        .collect();
    if topics.is_empty() {
        let levels: Vec<String> = framework
            .level_numbers()
            .iter()
            .map(u32::to_string)
            .collect();
        return Err(format!(
            "{} has no behaviours at level {level}; its levels are {}",
            framework.title,
            if levels.is_empty() {
                "none".to_string()
            } else {
                levels.join(", ")
            }
        ));
    }
    let weights = equal_weights(topics.len());
    Ok(topics
        .iter()
        .zip(weights)
        .map(|((topic, level), weight)| {
            let behaviours: Vec<&str> = level
                .criteria
                .iter()
                .map(|c| c.text.trim_end_matches('.'))
                .collect();
            Competency {
                id: competency_id_from_name(&topic.key.replace('-', "_")),
                name: crate::limits::fit(&topic.title, crate::limits::COMPETENCY_NAME),
                weight,
                definition: crate::limits::fit(
                    &format!(
                        "At {}: {}.",
                        framework.level_label(level.number),
                        behaviours.join("; ")
                    ),
                    crate::limits::COMPETENCY_DEFINITION,
                ),
            }
        })
        .collect())
}

/// One difference between two versions of a spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// `added`, `removed` or `changed`.
    pub kind: String,
    /// What changed: `title`, `seniority`, `description`, `competency`,
    /// `weight`, `definition`, `must_have`, `round1`, `round2`.
    pub area: String,
    /// The competency id, must-have text or question id concerned.
    pub key: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

fn change(kind: &str, area: &str, key: &str, from: Option<String>, to: Option<String>) -> Change {
    Change {
        kind: kind.into(),
        area: area.into(),
        key: key.into(),
        from,
        to,
    }
}

/// What changed from `old` to `new`: identity fields, competencies (added,
/// removed, weight, name, definition), must-haves, and round items.
pub fn diff(old: &JobSpecBody, new: &JobSpecBody) -> Vec<Change> {
    let mut changes = Vec::new();
    for (area, a, b) in [
        ("title", &old.title, &new.title),
        ("seniority", &old.seniority, &new.seniority),
        ("description", &old.description, &new.description),
    ] {
        if a != b {
            changes.push(change(
                "changed",
                area,
                area,
                Some(a.clone()),
                Some(b.clone()),
            ));
        }
    }
    for before in &old.competencies {
        match new.competencies.iter().find(|c| c.id == before.id) {
            None => changes.push(change(
                "removed",
                "competency",
                &before.id,
                Some(format!("{} ({})", before.name, before.weight)),
                None,
            )),
            Some(after) => {
                if after.weight != before.weight {
                    changes.push(change(
                        "changed",
                        "weight",
                        &before.id,
                        Some(before.weight.decimal()),
                        Some(after.weight.decimal()),
                    ));
                }
                if after.name != before.name {
                    changes.push(change(
                        "changed",
                        "competency",
                        &before.id,
                        Some(before.name.clone()),
                        Some(after.name.clone()),
                    ));
                }
                if after.definition != before.definition {
                    changes.push(change(
                        "changed",
                        "definition",
                        &before.id,
                        Some(before.definition.clone()),
                        Some(after.definition.clone()),
                    ));
                }
            }
        }
    }
    for after in new
        .competencies
        .iter()
        .filter(|c| !old.competencies.iter().any(|o| o.id == c.id))
    {
        changes.push(change(
            "added",
            "competency",
            &after.id,
            None,
            Some(format!("{} ({})", after.name, after.weight)),
        ));
    }
    for before in old
        .must_haves
        .iter()
        .filter(|m| !new.must_haves.contains(m))
    {
        changes.push(change(
            "removed",
            "must_have",
            &before.text,
            Some(format!("required: {}", before.required)),
            None,
        ));
    }
    for after in new
        .must_haves
        .iter()
        .filter(|m| !old.must_haves.contains(m))
    {
        changes.push(change(
            "added",
            "must_have",
            &after.text,
            None,
            Some(format!("required: {}", after.required)),
        ));
    }
    for (area, a, b) in [
        ("round1", &old.round1, &new.round1),
        ("round2", &old.round2, &new.round2),
    ] {
        for before in a {
            match b.iter().find(|item| item.id == before.id) {
                None => changes.push(change(
                    "removed",
                    area,
                    &before.id,
                    Some(before.text.clone()),
                    None,
                )),
                Some(after) if after.text != before.text => changes.push(change(
                    "changed",
                    area,
                    &before.id,
                    Some(before.text.clone()),
                    Some(after.text.clone()),
                )),
                Some(_) => {}
            }
        }
        for after in b.iter().filter(|item| !a.iter().any(|x| x.id == item.id)) {
            changes.push(change(
                "added",
                area,
                &after.id,
                None,
                Some(after.text.clone()),
            ));
        }
        let order_a: Vec<&str> = a
            .iter()
            .filter(|x| b.iter().any(|y| y.id == x.id))
            .map(|x| x.id.as_str())
            .collect();
        let order_b: Vec<&str> = b
            .iter()
            .filter(|y| a.iter().any(|x| x.id == y.id))
            .map(|y| y.id.as_str())
            .collect();
        if order_a != order_b {
            changes.push(change(
                "changed",
                area,
                "order",
                Some(order_a.join(", ")),
                Some(order_b.join(", ")),
            ));
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_parse_exactly_from_every_accepted_spelling() {
        for (text, points) in [
            ("0.35", 3500),
            (".35", 3500),
            ("35%", 3500),
            ("0.3500", 3500),
            ("1", 10_000),
            ("1.00", 10_000),
            ("12.5%", 1250),
            ("0.0001", 1),
            ("0", 0),
            ("100%", 10_000),
        ] {
            assert_eq!(Weight::parse(text), Ok(Weight(points)), "{text}");
        }
        for bad in [
            "", "abc", "-0.1", "1.5", "0.00001", "35.555%", "1e-2", "0.3.5", "101%",
        ] {
            assert!(Weight::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn weights_display_as_decimal_and_percent() {
        assert_eq!(
            (Weight(3500).decimal(), Weight(3500).percent()),
            ("0.35".to_string(), "35%".to_string())
        );
        assert_eq!(
            (Weight(1000).decimal(), Weight(1250).percent()),
            ("0.10".to_string(), "12.5%".to_string())
        );
        assert_eq!(
            (Weight(1250).decimal(), Weight(10_000).decimal()),
            ("0.125".to_string(), "1.00".to_string())
        );
        assert_eq!(Weight(3333).percent(), "33.33%");
    }

    #[test]
    fn weights_deserialize_from_numbers_strings_and_percentages() {
        let parsed: Vec<Weight> =
            serde_json::from_str(r#"[0.35, "0.25", "25%", 0.15, 1]"#).expect("weights");
        assert_eq!(
            parsed,
            vec![
                Weight(3500),
                Weight(2500),
                Weight(2500),
                Weight(1500),
                Weight(10_000)
            ]
        );
        assert_eq!(
            serde_json::to_string(&Weight(3500)).expect("json"),
            "\"0.35\""
        );
        assert!(serde_json::from_str::<Weight>("0.123456").is_err());
    }

    #[test]
    fn balance_is_exact_and_explains_itself() {
        let spec = |weights: &[u32]| JobSpecBody {
            title: "x".into(),
            seniority: String::new(),
            description: String::new(),
            basis: None,
            competencies: weights
                .iter()
                .enumerate()
                .map(|(i, w)| Competency {
                    id: format!("c{i}"),
                    name: format!("C{i}"),
                    weight: Weight(*w),
                    definition: String::new(),
                })
                .collect(),
            must_haves: vec![],
            round1: vec![],
            round2: vec![],
        };
        assert!(spec(&[3500, 2500, 2500, 1500]).balanced());
        assert_eq!(
            spec(&[3500, 2500, 2500, 1000]).balance_message().as_deref(),
            Some("Total weight: 0.95 — add 0.05")
        );
        assert_eq!(
            spec(&[5000, 6000]).balance_message().as_deref(),
            Some("Total weight: 1.10 — remove 0.10")
        );
        // Three thirds as floats don't sum to one; three exact weights must.
        assert!(spec(&equal_weights(3).iter().map(|w| w.0).collect::<Vec<_>>()).balanced());
        let problems = spec(&[5000]).publish_problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "competencies[].weight");
    }

    #[test]
    fn equal_weights_always_sum_to_one() {
        for parts in 1..=40 {
            let weights = equal_weights(parts);
            assert_eq!(weights.iter().map(|w| w.0).sum::<u32>(), 10_000, "{parts}");
            let (min, max) = (
                weights.iter().min().map(|w| w.0),
                weights.iter().max().map(|w| w.0),
            );
            // Shares differ by one point exactly when 10 000 does not divide evenly.
            let spread = u32::from(10_000 % parts != 0);
            assert_eq!(max.unwrap_or(0) - min.unwrap_or(0), spread, "{parts}");
        }
    }

    #[test]
    fn competency_ids_derive_from_names_and_are_checked() {
        assert_eq!(
            competency_id_from_name("Domain Ownership & Reliability"),
            "domain_ownership_and_reliability"
        );
        assert_eq!(
            competency_id_from_name("Postgres Transactional Design"),
            "postgres_transactional_design"
        );
        assert!(is_snake_case("distributed_systems_rigor"));
        for bad in ["", "Caps", "1abc", "a__b", "a-b", "trailing_"] {
            assert!(!is_snake_case(bad), "{bad}");
        }
        // A long name (within its own limit) still derives a valid id.
        let long = competency_id_from_name(&"Distributed systems rigor ".repeat(7));
        assert!(is_snake_case(&long), "{long}");
        assert!(long.starts_with("distributed_systems_rigor_distributed"));
    }

    #[test]
    fn text_beyond_its_maximum_is_a_problem_at_its_field() {
        let mut spec = JobSpecBody {
            title: "t".repeat(crate::limits::JOB_SPEC_TITLE),
            seniority: "senior".into(),
            description: "d".repeat(crate::limits::JOB_SPEC_DESCRIPTION),
            basis: None,
            competencies: vec![Competency {
                id: String::new(),
                name: "n".repeat(crate::limits::COMPETENCY_NAME),
                weight: Weight::ONE,
                definition: "f".repeat(crate::limits::COMPETENCY_DEFINITION),
            }],
            must_haves: vec![MustHave {
                text: "m".repeat(crate::limits::MUST_HAVE_TEXT),
                required: true,
            }],
            round1: vec![RoundItem {
                id: "q-1".into(),
                text: "q".repeat(crate::limits::ROUND_ITEM_TEXT),
                competency_id: None,
                grounding: vec![],
                origin: "edited".into(),
                quality: None,
            }],
            round2: vec![],
        };
        spec.derive_ids();
        assert_eq!(spec.problems(), vec![], "everything at its maximum is fine");
        spec.title.push('t');
        spec.competencies[0].name.push('n');
        spec.competencies[0].id = "x".repeat(65);
        spec.must_haves[0].text.push('\0');
        spec.round1[0].text.push('q');
        let fields: Vec<String> = spec.problems().into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                "title",
                "competencies[0].name",
                "competencies[0].id",
                "must_haves[0].text",
                "round1[0].text"
            ],
            "one problem per field: the id's length, not also its spelling"
        );
        let title = &spec.problems()[0].message;
        assert_eq!(
            title,
            "the title is too long: at most 200 characters, and it has 201"
        );
    }
}
