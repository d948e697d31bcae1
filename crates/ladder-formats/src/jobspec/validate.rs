//! What is checked beyond the type of each value: unknown and repeated keys,
//! unique item ids, the spec's own problems at their positions, and balance.

use std::collections::HashSet;

use ladder_core::jobspec::{JobSpecBody, Problem};
use ladder_core::Diagnostic;

use super::read::Reader;
use crate::yaml::Node;

/// Likely mistakes and what was meant, per kind of mapping.
const SUGGESTIONS: &[(&str, &str)] = &[
    ("questions", "round1"),
    ("interview_questions", "round1"),
    ("round_1", "round1"),
    ("round01", "round1"),
    ("prompts", "round2"),
    ("behavioural", "round2"),
    ("behavioral", "round2"),
    ("behavioural_prompts", "round2"),
    ("behavioral_prompts", "round2"),
    ("round_2", "round2"),
    ("round02", "round2"),
    ("musthaves", "must_haves"),
    ("must_have", "must_haves"),
    ("requirements", "must_haves"),
    ("jd", "description"),
    ("job_description", "description"),
    ("basis", "framework"),
    ("level", "seniority"),
    ("weights", "competencies"),
    ("description", "definition"),
    ("competency_id", "competency"),
    ("question", "text"),
    ("prompt", "text"),
    ("mandatory", "required"),
    ("criteria", "grounding"),
];
impl Reader {
    /// Unknown and repeated keys of a mapping, as warnings.
    pub(super) fn check_keys(&mut self, map: &Node, known: &[&str], what: &str) {
        let mut seen: HashSet<&str> = HashSet::new();
        for (key, _) in map.as_map().unwrap_or(&[]) {
            let name = key.as_text().unwrap_or("");
            if !known.contains(&name) {
                let normalised = name.to_ascii_lowercase().replace(['-', ' '], "_");
                let suggestion = if known.contains(&normalised.as_str()) {
                    Some(normalised.clone())
                } else {
                    SUGGESTIONS
                        .iter()
                        .find(|(wrong, right)| *wrong == normalised && known.contains(right))
                        .map(|(_, right)| right.to_string())
                };
                let known_list = known.join(", ");
                let hint = match suggestion {
                    Some(right) => format!("did you mean `{right}`? {what} keys: {known_list}"),
                    None => format!("{what} keys: {known_list}"),
                };
                self.diagnostics.push(
                    Diagnostic::warning(
                        "unknown-key",
                        format!("unknown {what} key `{name}` is ignored"),
                    )
                    .at(key.line, key.column)
                    .with_hint(hint),
                );
            } else if !seen.insert(name) {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "duplicate-key",
                        format!("`{name}` is given twice here; the first one is used"),
                    )
                    .at(key.line, key.column)
                    .with_hint(format!("remove one of the `{name}:` lines")),
                );
            }
        }
    }

    /// Round items are matched by id across versions, so ids must be unique.
    pub(super) fn check_item_ids(&mut self, body: &JobSpecBody) {
        let mut seen: HashSet<&str> = HashSet::new();
        for (round, items) in [("round1", &body.round1), ("round2", &body.round2)] {
            for (index, item) in items.iter().enumerate() {
                if seen.insert(item.id.as_str()) {
                    continue;
                }
                let path = format!("{round}[{index}]");
                let position = self
                    .positions
                    .get(&format!("{path}.id"))
                    .or_else(|| self.positions.get(&path))
                    .copied();
                self.error(
                    &format!("{path}.id"),
                    Diagnostic::error(
                        "duplicate-item-id",
                        format!(
                            "the id {} is used by an earlier question or prompt; ids must be unique in a job spec",
                            item.id
                        ),
                    )
                    .at_opt(position)
                    .with_hint("remove this `id:` to derive a new one from the text, or remove the repeated item"),
                );
            }
        }
    }

    /// Where a problem's field is: the field itself, else its item, else its list.
    fn position_of(&self, field: &str) -> Option<(u32, u32)> {
        let mut path = field;
        loop {
            if let Some(position) = self.positions.get(path) {
                return Some(*position);
            }
            match path.rfind(['.', '[']) {
                Some(cut) => path = &path[..cut],
                None => return self.positions.get("").copied(),
            }
        }
    }

    /// A text field beyond its maximum length (`text-too-long`) or holding a
    /// NUL character (`nul-character`), at the field's value.
    pub(super) fn report_text_problem(&mut self, problem: &Problem) {
        if self.reported.contains(&problem.field) {
            return;
        }
        let position = self.position_of(&problem.field);
        let (code, hint) = if problem.message.contains("(U+0000)") {
            (
                "nul-character",
                "a NUL character is not text; remove it (the file may have been saved as UTF-16: save it as UTF-8)",
            )
        } else {
            (
                "text-too-long",
                "shorten the text to at most the number of characters the message gives",
            )
        };
        self.error(
            &problem.field,
            Diagnostic::error(code, format!("`{}`: {}", problem.field, problem.message))
                .at_opt(position)
                .with_hint(hint),
        );
    }

    pub(super) fn report_problem(&mut self, problem: &Problem, body: &JobSpecBody) {
        if self.reported.contains(&problem.field) {
            return;
        }
        let field = problem.field.as_str();
        let position = self.position_of(field);
        let known_ids = || {
            let ids: Vec<&str> = body.competencies.iter().map(|c| c.id.as_str()).collect();
            if ids.is_empty() {
                "this spec has no competencies yet".to_string()
            } else {
                format!("this spec's competencies: {}", ids.join(", "))
            }
        };
        let (code, hint) = if field == "title" {
            (
                "missing-title",
                "write e.g. `title: \"Senior Backend Engineer — Payments Platform\"`".to_string(),
            )
        } else if field.starts_with("competencies") && field.ends_with(".id") {
            (
                "invalid-competency-id",
                "competency ids are snake_case and unique in the spec; remove `id:` to derive it from the name, or write another".to_string(),
            )
        } else if field.starts_with("competencies") && field.ends_with(".name") {
            (
                "missing-competency-name",
                "write e.g. `- name: \"Distributed Systems Rigor\"`".to_string(),
            )
        } else if field.starts_with("must_haves") {
            (
                "empty-must-have",
                "write the must-have's text, or remove the entry".to_string(),
            )
        } else if field.ends_with(".competency_id") {
            (
                "unknown-competency",
                format!("`competency:` must be one of {}", known_ids()),
            )
        } else if field.starts_with("round") && field.ends_with(".text") {
            (
                "empty-item",
                "write the question's text, or remove the entry".to_string(),
            )
        } else {
            (
                "invalid-job-spec",
                "see docs/job-spec-format.md".to_string(),
            )
        };
        let message = if code == "unknown-competency" {
            format!("{}: {}", problem.message, known_ids())
        } else {
            problem.message.clone()
        };
        self.error(
            field,
            Diagnostic::error(code, message)
                .at_opt(position)
                .with_hint(hint),
        );
    }

    pub(super) fn check_balance(&mut self, root: &Node, body: &JobSpecBody) {
        let position = self
            .positions
            .get("competencies")
            .copied()
            .or(Some(root.position()));
        if body.competencies.is_empty() {
            if !self.reported.contains("competencies") {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "no-competencies",
                        "this job spec has no competencies yet; add at least one before publishing",
                    )
                    .at_opt(position)
                    .with_hint("write `competencies:` with `- name: \"…\"`, `weight:` and `definition:` entries"),
                );
            }
            return;
        }
        if self.weight_errors {
            return;
        }
        if let Some(message) = body.balance_message() {
            let parts: Vec<String> = body
                .competencies
                .iter()
                .map(|c| format!("{} {}", c.id, c.weight.decimal()))
                .collect();
            self.diagnostics.push(
                Diagnostic::warning(
                    "unbalanced-weights",
                    format!("{message}; a draft may be unbalanced, but weights must sum to exactly 1.00 to publish"),
                )
                .at_opt(position)
                .with_hint(format!("the weights are {}", parts.join(", "))),
            );
        }
    }
}
