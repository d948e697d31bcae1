//! Reading the YAML tree into a job spec, with an error at the value for
//! every field of the wrong type.

use std::collections::{HashMap, HashSet};

use ladder_core::jobspec::{Competency, FrameworkBasis, JobSpecBody, MustHave, RoundItem, Weight};
use ladder_core::Diagnostic;

use super::{derive_item_id, DEFAULT_ORIGIN, KIND, KIND_HINT};
use crate::yaml::Node;

const TOP_KEYS: &[&str] = &[
    "kind",
    "id",
    "version",
    "title",
    "seniority",
    "framework",
    "description",
    "competencies",
    "must_haves",
    "round1",
    "round2",
];
const FRAMEWORK_KEYS: &[&str] = &["slug", "level"];
const COMPETENCY_KEYS: &[&str] = &["name", "id", "weight", "definition"];
const MUST_HAVE_KEYS: &[&str] = &["text", "required"];
const ITEM_KEYS: &[&str] = &["text", "competency", "grounding", "origin", "id"];
#[derive(Default)]
pub(super) struct Reader {
    pub(super) diagnostics: Vec<Diagnostic>,
    /// Model field path (as in [`Problem::field`]) -> position in the file.
    pub(super) positions: HashMap<String, (u32, u32)>,
    /// Field paths that already have an error, so `problems()` doesn't repeat it.
    pub(super) reported: HashSet<String>,
    pub(super) weight_errors: bool,
}

/// The key and value nodes of the first `key` entry of a mapping.
fn entry<'a>(map: &'a Node, key: &str) -> Option<(&'a Node, &'a Node)> {
    map.as_map()?
        .iter()
        .find(|(k, _)| k.as_text() == Some(key))
        .map(|(k, v)| (k, v))
}

fn present(node: Option<&Node>) -> Option<&Node> {
    node.filter(|node| !node.is_null())
}

impl Reader {
    pub(super) fn error(&mut self, path: &str, diagnostic: Diagnostic) {
        self.reported.insert(path.to_string());
        self.diagnostics.push(diagnostic);
    }

    /// `subject` names what is wrong, e.g. "`title`" or "each entry of `round1`".
    fn type_error(&mut self, path: &str, subject: &str, node: &Node, expected: &str, hint: &str) {
        self.error(
            path,
            Diagnostic::error(
                "invalid-value",
                format!(
                    "{subject} must be {expected}, but it is {}",
                    node.describe()
                ),
            )
            .at(node.line, node.column)
            .with_hint(hint.to_string()),
        );
    }

    /// A text value: `None` when absent or null, an error when not a scalar.
    fn text(&mut self, node: Option<&Node>, path: &str, key: &str, hint: &str) -> Option<String> {
        let node = present(node)?;
        self.positions.insert(path.to_string(), node.position());
        match node.as_text() {
            Some(text) => Some(text.to_string()),
            None => {
                self.type_error(path, &format!("`{key}`"), node, "text", hint);
                None
            }
        }
    }

    /// A list: empty when absent or null, an error when not a list.
    fn list<'a>(&mut self, node: Option<&'a Node>, path: &str, hint: &str) -> &'a [Node] {
        let Some(node) = present(node) else {
            return &[];
        };
        match node.as_seq() {
            Some(items) => items,
            None => {
                self.type_error(path, &format!("`{path}`"), node, "a list", hint);
                &[]
            }
        }
    }

    pub(super) fn read(
        &mut self,
        file: &str,
        root: &Node,
        id: &mut Option<String>,
    ) -> Option<JobSpecBody> {
        if root.as_map().is_none() {
            self.diagnostics.push(
                Diagnostic::error(
                    "not-a-job-spec",
                    format!(
                        "{file} must be a set of `key: value` lines starting with `kind: job-spec`, but it is {}",
                        root.describe()
                    ),
                )
                .at(root.line, root.column)
                .with_hint(KIND_HINT),
            );
            return None;
        }
        match entry(root, "kind") {
            None => {
                let framework_like = ["topics", "yaml", "levels", "path"]
                    .iter()
                    .any(|key| root.get(key).is_some());
                self.diagnostics.push(
                    Diagnostic::error(
                        "not-a-job-spec",
                        format!("{file} has no `kind: job-spec` line, so it is not a job-spec file"),
                    )
                    .at(root.line, root.column)
                    .with_hint(if framework_like {
                        "this looks like a progression framework; framework files are Markdown with front matter (`ladder check` reads them). For a job spec, add `kind: job-spec` as the first line".to_string()
                    } else {
                        format!("add `kind: job-spec` as the first line; {KIND_HINT}")
                    }),
                );
                return None;
            }
            Some((_, value)) if value.as_text().map(str::trim) != Some(KIND) => {
                self.diagnostics.push(
                    Diagnostic::error(
                        "not-a-job-spec",
                        format!(
                            "`kind` must be job-spec for a job-spec file, but it is {}",
                            value.describe()
                        ),
                    )
                    .at(value.line, value.column)
                    .with_hint("write `kind: job-spec`"),
                );
                return None;
            }
            Some(_) => {}
        }
        self.check_keys(root, TOP_KEYS, "job-spec");
        self.positions.insert(String::new(), root.position());

        *id = self.read_id(root.get("id"));
        if let Some(node) = present(root.get("version")) {
            if node.as_text().is_none() {
                self.diagnostics.push(
                    Diagnostic::warning(
                        "invalid-value",
                        format!(
                            "`version` is informational and should be text, but it is {}; it is ignored",
                            node.describe()
                        ),
                    )
                    .at(node.line, node.column)
                    .with_hint("remove `version:`; import makes a new version by itself"),
                );
            }
        }

        let title = self
            .text(
                root.get("title"),
                "title",
                "title",
                "write e.g. `title: \"Senior Backend Engineer — Payments Platform\"`",
            )
            .unwrap_or_default();
        if !self.positions.contains_key("title") {
            self.positions.insert("title".into(), root.position());
        }
        let seniority = self
            .text(
                root.get("seniority"),
                "seniority",
                "seniority",
                "write e.g. `seniority: \"senior\"`",
            )
            .unwrap_or_default();
        let description = self
            .text(
                root.get("description"),
                "description",
                "description",
                "write the job description as text; use `description: |` and indented lines for several paragraphs",
            )
            .unwrap_or_default();
        let basis = self.read_basis(root.get("framework"));

        let mut body = JobSpecBody {
            title,
            seniority,
            description,
            basis,
            competencies: Vec::new(),
            must_haves: Vec::new(),
            round1: Vec::new(),
            round2: Vec::new(),
        };
        self.read_competencies(root, &mut body);
        self.read_must_haves(root, &mut body);
        for round in ["round1", "round2"] {
            let items = self.read_round(root, round);
            match round {
                "round1" => body.round1 = items,
                _ => body.round2 = items,
            }
        }
        body.derive_ids();
        self.check_item_ids(&body);
        // Text too long (or not text) first, at its line; then the rest,
        // which skips fields already reported.
        for problem in body.text_problems() {
            self.report_text_problem(&problem);
        }
        for problem in body.problems() {
            self.report_problem(&problem, &body);
        }
        self.check_balance(root, &body);
        Some(body)
    }

    fn read_id(&mut self, node: Option<&Node>) -> Option<String> {
        let node = present(node)?;
        let hint = "this is the id a job spec was exported with; remove `id:` to import the file as a new job spec";
        match node.as_text() {
            Some(text) if is_uuid(text.trim()) => Some(text.trim().to_ascii_lowercase()),
            Some(text) => {
                self.error(
                    "id",
                    Diagnostic::error(
                        "invalid-value",
                        format!(
                            "`id` must be a job spec's UUID such as e08648f7-89b4-43e1-a447-313d10011b50, but it is “{text}”"
                        ),
                    )
                    .at(node.line, node.column)
                    .with_hint(hint),
                );
                None
            }
            None => {
                self.type_error("id", "`id`", node, "a UUID", hint);
                None
            }
        }
    }

    fn read_basis(&mut self, node: Option<&Node>) -> Option<FrameworkBasis> {
        let node = present(node)?;
        let hint =
            "write e.g. `framework: { slug: \"engineering-backend\", level: 4 }`, or remove it";
        if node.as_map().is_none() {
            self.type_error(
                "basis",
                "`framework`",
                node,
                "a mapping with `slug` and `level`",
                hint,
            );
            return None;
        }
        self.check_keys(node, FRAMEWORK_KEYS, "framework");
        let slug = self.text(node.get("slug"), "basis.slug", "framework.slug", hint);
        let level = match present(node.get("level")) {
            Some(level) => match level.as_u32() {
                Some(number) => Some(number),
                None => {
                    self.type_error(
                        "basis.level",
                        "`framework.level`",
                        level,
                        "a level number",
                        hint,
                    );
                    None
                }
            },
            None => None,
        };
        match (slug, level) {
            (Some(slug), Some(level)) if !slug.trim().is_empty() => {
                Some(FrameworkBasis { slug, level })
            }
            (slug, level) => {
                if !self.reported.contains("basis.slug") && !self.reported.contains("basis.level") {
                    let missing = match (slug.filter(|s| !s.trim().is_empty()), level) {
                        (None, None) => "`slug` and `level`",
                        (None, Some(_)) => "`slug`",
                        _ => "`level`",
                    };
                    self.error(
                        "basis",
                        Diagnostic::error(
                            "invalid-value",
                            format!("`framework` needs both a slug and a level; {missing} missing"),
                        )
                        .at(node.line, node.column)
                        .with_hint(hint),
                    );
                }
                None
            }
        }
    }

    fn read_competencies(&mut self, root: &Node, body: &mut JobSpecBody) {
        let hint = "write each competency as `- name: \"…\"` with `weight:` and `definition:` lines under it";
        if let Some((key, _)) = entry(root, "competencies") {
            self.positions.insert("competencies".into(), key.position());
        }
        for item in self.list(root.get("competencies"), "competencies", hint) {
            let index = body.competencies.len();
            let path = format!("competencies[{index}]");
            if item.as_map().is_none() {
                self.type_error(
                    &path,
                    "each entry of `competencies`",
                    item,
                    "a mapping",
                    hint,
                );
                continue;
            }
            self.positions.insert(path.clone(), item.position());
            self.check_keys(item, COMPETENCY_KEYS, "competency");
            let name = self
                .text(item.get("name"), &format!("{path}.name"), "name", hint)
                .unwrap_or_default();
            let id = self
                .text(
                    item.get("id"),
                    &format!("{path}.id"),
                    "id",
                    "write a snake_case id such as `id: payments_domain_expertise`, or remove it to derive it from the name",
                )
                .unwrap_or_default();
            let weight = self.read_weight(item, &path, &name);
            let definition = self
                .text(
                    item.get("definition"),
                    &format!("{path}.definition"),
                    "definition",
                    hint,
                )
                .unwrap_or_default();
            body.competencies.push(Competency {
                id,
                name,
                weight,
                definition,
            });
        }
    }

    fn read_weight(&mut self, item: &Node, path: &str, name: &str) -> Weight {
        let weight_path = format!("{path}.weight");
        let hint = "write e.g. `weight: 0.35` or `weight: 35%`: a decimal between 0 and 1 with at most four decimal places, or a percentage with at most two";
        let shown = if name.trim().is_empty() {
            "this competency".to_string()
        } else {
            format!("the competency “{}”", name.trim())
        };
        let Some(node) = present(item.get("weight")) else {
            self.weight_errors = true;
            self.error(
                &weight_path,
                Diagnostic::error("invalid-weight", format!("{shown} has no `weight`"))
                    .at(item.line, item.column)
                    .with_hint(hint),
            );
            return Weight::ZERO;
        };
        self.positions.insert(weight_path.clone(), node.position());
        let result = match node.as_text() {
            Some(text) => Weight::parse(text).map_err(|error| error.0),
            None => Err(format!(
                "the weight of {shown} must be a number, but it is {}",
                node.describe()
            )),
        };
        match result {
            Ok(weight) => weight,
            Err(message) => {
                self.weight_errors = true;
                self.error(
                    &weight_path,
                    Diagnostic::error("invalid-weight", message)
                        .at(node.line, node.column)
                        .with_hint(hint),
                );
                Weight::ZERO
            }
        }
    }

    fn read_must_haves(&mut self, root: &Node, body: &mut JobSpecBody) {
        let hint = "write each must-have as `- text: \"…\"` (with `required: false` for a nice-to-have), or just `- \"…\"`";
        for item in self.list(root.get("must_haves"), "must_haves", hint) {
            let index = body.must_haves.len();
            let path = format!("must_haves[{index}]");
            self.positions.insert(path.clone(), item.position());
            if let Some(text) = item.as_text() {
                self.positions
                    .insert(format!("{path}.text"), item.position());
                body.must_haves.push(MustHave {
                    text: text.to_string(),
                    required: true,
                });
                continue;
            }
            if item.as_map().is_none() {
                self.type_error(
                    &path,
                    "each entry of `must_haves`",
                    item,
                    "text or a mapping",
                    hint,
                );
                continue;
            }
            self.check_keys(item, MUST_HAVE_KEYS, "must-have");
            let text = self
                .text(item.get("text"), &format!("{path}.text"), "text", hint)
                .unwrap_or_default();
            let required = match present(item.get("required")) {
                None => true,
                Some(node) => match node.as_bool() {
                    Some(value) => value,
                    None => {
                        self.type_error(
                            &format!("{path}.required"),
                            "`required`",
                            node,
                            "true or false",
                            "write `required: true` or `required: false`",
                        );
                        true
                    }
                },
            };
            body.must_haves.push(MustHave { text, required });
        }
    }

    fn read_round(&mut self, root: &Node, round: &str) -> Vec<RoundItem> {
        let hint = "write each item as `- text: \"…\"` (optionally with `competency:`, `grounding:`, `origin:` and `id:`), or just `- \"…\"`";
        let mut items = Vec::new();
        for item in self.list(root.get(round), round, hint) {
            let index = items.len();
            let path = format!("{round}[{index}]");
            self.positions.insert(path.clone(), item.position());
            if let Some(text) = item.as_text() {
                self.positions
                    .insert(format!("{path}.text"), item.position());
                items.push(RoundItem {
                    id: derive_item_id(round, text),
                    text: text.to_string(),
                    competency_id: None,
                    grounding: Vec::new(),
                    origin: DEFAULT_ORIGIN.to_string(),
                    quality: None,
                });
                continue;
            }
            if item.as_map().is_none() {
                self.type_error(
                    &path,
                    &format!("each entry of `{round}`"),
                    item,
                    "text or a mapping",
                    hint,
                );
                continue;
            }
            self.check_keys(item, ITEM_KEYS, "question");
            let text = self
                .text(item.get("text"), &format!("{path}.text"), "text", hint)
                .unwrap_or_default();
            let competency_id = self
                .text(
                    item.get("competency"),
                    &format!("{path}.competency_id"),
                    "competency",
                    "write the id of one of this spec's competencies, e.g. `competency: distributed_systems_rigor`",
                )
                .filter(|id| !id.trim().is_empty());
            let grounding =
                self.read_grounding(item.get("grounding"), &format!("{path}.grounding"));
            let origin = self
                .text(
                    item.get("origin"),
                    &format!("{path}.origin"),
                    "origin",
                    "write `origin: \"edited\"` or `origin: \"generated:offline\"`, or remove it",
                )
                .filter(|origin| !origin.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_ORIGIN.to_string());
            let id = self
                .text(
                    item.get("id"),
                    &format!("{path}.id"),
                    "id",
                    "write a short text id such as `id: \"q-1a2b3c4d\"`, or remove it to derive one",
                )
                .filter(|id| !id.trim().is_empty())
                .unwrap_or_else(|| derive_item_id(round, &text));
            items.push(RoundItem {
                id,
                text,
                competency_id,
                grounding,
                origin,
                quality: None,
            });
        }
        items
    }

    fn read_grounding(&mut self, node: Option<&Node>, path: &str) -> Vec<String> {
        let hint = "write the criteria ids as a list, e.g. `grounding: [\"mastery.l4.abc123\"]`";
        let Some(node) = present(node) else {
            return Vec::new();
        };
        if let Some(text) = node.as_text() {
            return vec![text.to_string()];
        }
        let Some(entries) = node.as_seq() else {
            self.type_error(path, "`grounding`", node, "a list of criteria ids", hint);
            return Vec::new();
        };
        let mut out = Vec::new();
        for entry in entries {
            match entry.as_text() {
                Some(text) => out.push(text.to_string()),
                None => self.type_error(
                    path,
                    "each entry of `grounding`",
                    entry,
                    "a criterion id",
                    hint,
                ),
            }
        }
        out
    }
}

/// `8-4-4-4-12` hexadecimal digits.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids() {
        assert!(is_uuid("e08648f7-89b4-43e1-a447-313d10011b50"));
        assert!(!is_uuid("e08648f7-89b4-43e1-a447"));
        assert!(!is_uuid("e08648f7-89b4-43e1-a447-313d10011b5z"));
    }
}
