//! Reading and writing job-spec files (PRODUCT.md §2): `ladder import spec.yaml`
//! and `ladder export --job-spec ID`.
//!
//! A job-spec file is one YAML document. The full reference, with every
//! diagnostic, is `docs/job-spec-format.md`; in short:
//!
//! ```yaml
//! kind: job-spec                 # required: tells job specs from framework files
//! id: "e08648f7-89b4-43e1-a447-313d10011b50"   # optional; in exports. Import then updates that spec
//! version: "v1-U_WN6k"           # optional; informational in exports, ignored on import
//! title: "Senior Backend Engineer — Payments Platform"    # required, not blank
//! seniority: "senior"
//! framework: { slug: "engineering-backend", level: 4 }    # optional basis
//! description: |
//!   The job description, any number of lines.
//! competencies:
//!   - name: "Distributed Systems Rigor"
//!     id: distributed_systems_rigor   # optional: derived from the name
//!     weight: 0.35                    # or "0.35" or "35%"; exact, at most 4 decimals
//!     definition: "…"
//! must_haves:
//!   - text: "…"
//!     required: true                  # optional, default true
//!   - "…"                             # shorthand: a required must-have
//! round1:                             # interview questions; absent or empty: generated on import
//!   - text: "…"
//!     competency: distributed_systems_rigor   # optional: the competency it probes
//!     grounding: ["mastery.l4.abc123"]         # optional: criteria ids it came from
//!     origin: "edited"                         # optional, default "edited"
//!     id: "q-1a2b3c4d"                         # optional: see `derive_item_id`
//!   - "…"                                      # shorthand: just the text
//! round2:                             # behavioural prompts, walked in this order
//!   - text: "…"
//! ```
//!
//! Reading never panics. It reports, with line and column and a hint:
//! `yaml-syntax`, `not-a-job-spec`, `missing-title`, `invalid-weight`,
//! `invalid-value`, `invalid-competency-id`, `missing-competency-name`,
//! `empty-must-have`, `empty-item`, `unknown-competency`, `duplicate-item-id`
//! (errors) and `unknown-key`, `duplicate-key`, `unbalanced-weights`,
//! `no-competencies`, `mojibake-repaired`, `yaml-tab-recovered` (warnings).
//! Unbalanced weights are only a warning: drafts may be unbalanced; publishing
//! is what requires a total of exactly 1.00.
//!
//! [`to_yaml`] writes this format so that reading it back gives the same spec.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use ladder_core::jobspec::{
    Competency, FrameworkBasis, JobSpecBody, MustHave, Problem, RoundItem, Weight,
};
use ladder_core::text::sha256_hex;
use ladder_core::Diagnostic;

use crate::yaml::{self, Node};

/// The value of `kind:` that marks a job-spec file.
pub const KIND: &str = "job-spec";

/// Origin given to round items that don't say where they came from.
pub const DEFAULT_ORIGIN: &str = "edited";

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

/// What reading one job-spec file produced.
#[derive(Debug, Clone)]
pub struct ParsedJobSpec {
    pub file: String,
    /// The spec, present exactly when the file has no errors (warnings are
    /// fine). Competency ids and round-item ids are filled in.
    pub spec: Option<JobSpecBody>,
    /// The optional `id:` of the file: the job spec an import should update.
    pub id: Option<String>,
    /// Sorted by position; positions are 1-based and refer to the text after
    /// mojibake repair (which keeps line numbers).
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedJobSpec {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| !d.is_error())
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// The id given to a round item that has none: `q-` and the first 8 hex digits
/// of the SHA-256 of `"{round}\n{text}"`, where `round` is `round1` or `round2`.
/// Deterministic, so re-importing the same file gives the same ids.
pub fn derive_item_id(round: &str, text: &str) -> String {
    let hash = sha256_hex(format!("{round}\n{text}").as_bytes());
    format!("q-{}", hash.get(..8).unwrap_or(&hash))
}

/// Whether the YAML top level says `kind: job-spec`. The CLI uses this to tell
/// job specs from framework files; a job spec with a YAML syntax error still
/// counts when a top-level `kind: job-spec` line is present.
pub fn looks_like_job_spec(text: &str) -> bool {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    match yaml::parse(text, 0) {
        Ok(Some(root)) => root.get("kind").and_then(Node::as_text).map(str::trim) == Some(KIND),
        Ok(None) => false,
        Err(_) => text.lines().any(is_kind_line),
    }
}

/// `kind: job-spec`, `kind: "job-spec"  # comment`, at the start of a line.
fn is_kind_line(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("kind") else {
        return false;
    };
    let Some(value) = rest.trim_start().strip_prefix(':') else {
        return false;
    };
    let value = value.split(" #").next().unwrap_or("").trim();
    let unquoted = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    unquoted == KIND
}

/// Reads a job-spec file. `file` names it in messages.
pub fn parse_job_spec(file: &str, text: &str) -> ParsedJobSpec {
    let mut parsed = ParsedJobSpec {
        file: file.to_string(),
        spec: None,
        id: None,
        diagnostics: Vec::new(),
    };
    let (repaired, repair_warning) = crate::clean_text(text);
    parsed.diagnostics.extend(repair_warning);
    let (yaml_text, tab_warnings) = crate::frontmatter::recover_tabs(&repaired, 1);
    parsed.diagnostics.extend(tab_warnings);

    let root = match yaml::parse(&yaml_text, 0) {
        Ok(root) => root,
        Err(error) => {
            parsed.diagnostics.push(
                Diagnostic::error(
                    "yaml-syntax",
                    format!("{file} is not valid YAML: {}", error.message),
                )
                .at(error.line, error.column)
                .with_hint(
                    "check the indentation and quoting around this line; text containing \": \", \"#\" or starting with a quote must be enclosed in double quotes",
                ),
            );
            sort_by_position(&mut parsed.diagnostics);
            return parsed;
        }
    };

    let mut reader = Reader::default();
    let body = root
        .as_ref()
        .and_then(|root| reader.read(file, root, &mut parsed.id));
    if root.is_none() {
        reader.diagnostics.push(
            Diagnostic::error("not-a-job-spec", format!("{file} is empty"))
                .at(1, 1)
                .with_hint(KIND_HINT),
        );
    }
    parsed.diagnostics.append(&mut reader.diagnostics);
    sort_by_position(&mut parsed.diagnostics);
    if !parsed.has_errors() {
        parsed.spec = body;
    }
    parsed
}

const KIND_HINT: &str = "a job-spec file starts with `kind: job-spec`, then `title:`, `competencies:` and the rest (see docs/job-spec-format.md)";

fn sort_by_position(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.line.unwrap_or(0), d.column.unwrap_or(0)));
}

#[derive(Default)]
struct Reader {
    diagnostics: Vec<Diagnostic>,
    /// Model field path (as in [`Problem::field`]) -> position in the file.
    positions: HashMap<String, (u32, u32)>,
    /// Field paths that already have an error, so `problems()` doesn't repeat it.
    reported: HashSet<String>,
    weight_errors: bool,
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
    fn error(&mut self, path: &str, diagnostic: Diagnostic) {
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

    /// Unknown and repeated keys of a mapping, as warnings.
    fn check_keys(&mut self, map: &Node, known: &[&str], what: &str) {
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

    fn read(&mut self, file: &str, root: &Node, id: &mut Option<String>) -> Option<JobSpecBody> {
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

    /// Round items are matched by id across versions, so ids must be unique.
    fn check_item_ids(&mut self, body: &JobSpecBody) {
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

    fn report_problem(&mut self, problem: &Problem, body: &JobSpecBody) {
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

    fn check_balance(&mut self, root: &Node, body: &JobSpecBody) {
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

/// `8-4-4-4-12` hexadecimal digits.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A YAML double-quoted scalar; control characters are escaped so the file
/// stays printable and reads back to the same text.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}' || c == '\u{FEFF}'
}

/// The block-scalar header (`|` or `|-`) that writes `text` exactly, or `None`
/// when only a quoted scalar can: single lines, leading blanks, trailing spaces,
/// tabs and other control characters, more than one trailing newline.
fn block_header(text: &str) -> Option<&'static str> {
    if !text.contains('\n')
        || text.starts_with([' ', '\n'])
        || text.ends_with("\n\n")
        || text.chars().any(|c| c != '\n' && needs_escape(c))
        || text.split('\n').any(|line| line.ends_with(' '))
    {
        return None;
    }
    Some(if text.ends_with('\n') { "|" } else { "|-" })
}

/// `key: value` at `indent` spaces, as a literal block when that is exact and
/// `block` is allowed, else double-quoted.
fn write_text(out: &mut String, indent: &str, key: &str, text: &str, block: bool) {
    match block_header(text).filter(|_| block) {
        Some(header) => {
            let _ = writeln!(out, "{indent}{key}: {header}");
            let content = text.strip_suffix('\n').unwrap_or(text);
            for line in content.split('\n') {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    let _ = writeln!(out, "{indent}  {line}");
                }
            }
        }
        None => {
            let _ = writeln!(out, "{indent}{key}: {}", quote(text));
        }
    }
}

fn write_round(out: &mut String, round: &str, items: &[RoundItem]) {
    if items.is_empty() {
        let _ = writeln!(out, "{round}: []");
        return;
    }
    let _ = writeln!(out, "{round}:");
    for item in items {
        let _ = writeln!(out, "  - text: {}", quote(&item.text));
        if let Some(competency) = &item.competency_id {
            let _ = writeln!(out, "    competency: {}", quote(competency));
        }
        let grounding: Vec<String> = item.grounding.iter().map(|g| quote(g)).collect();
        let _ = writeln!(out, "    grounding: [{}]", grounding.join(", "));
        let _ = writeln!(out, "    origin: {}", quote(&item.origin));
        let _ = writeln!(out, "    id: {}", quote(&item.id));
    }
}

/// Writes a job spec in the format above. `id` and `version_label` identify
/// the stored spec in exports; both are optional. Weights are written as exact
/// quoted decimals (`"0.35"`); the description as a literal block when that is
/// exact, else double-quoted. Reading the output gives back `spec`.
pub fn to_yaml(spec: &JobSpecBody, id: Option<&str>, version_label: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "kind: {KIND}");
    if let Some(id) = id {
        let _ = writeln!(out, "id: {}", quote(id));
    }
    if let Some(label) = version_label {
        let _ = writeln!(out, "version: {}", quote(label));
    }
    let _ = writeln!(out, "title: {}", quote(&spec.title));
    let _ = writeln!(out, "seniority: {}", quote(&spec.seniority));
    if let Some(basis) = &spec.basis {
        let _ = writeln!(
            out,
            "framework: {{ slug: {}, level: {} }}",
            quote(&basis.slug),
            basis.level
        );
    }
    write_text(&mut out, "", "description", &spec.description, true);

    if spec.competencies.is_empty() {
        out.push_str("competencies: []\n");
    } else {
        out.push_str("competencies:\n");
    }
    for competency in &spec.competencies {
        let _ = writeln!(out, "  - name: {}", quote(&competency.name));
        let _ = writeln!(out, "    id: {}", quote(&competency.id));
        let _ = writeln!(out, "    weight: {}", quote(&competency.weight.decimal()));
        write_text(
            &mut out,
            "    ",
            "definition",
            &competency.definition,
            false,
        );
    }

    if spec.must_haves.is_empty() {
        out.push_str("must_haves: []\n");
    } else {
        out.push_str("must_haves:\n");
    }
    for must in &spec.must_haves {
        let _ = writeln!(out, "  - text: {}", quote(&must.text));
        let _ = writeln!(out, "    required: {}", must.required);
    }

    write_round(&mut out, "round1", &spec.round1);
    write_round(&mut out, "round2", &spec.round2);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_headers_only_where_exact() {
        assert_eq!(block_header("a\nb\n"), Some("|"));
        assert_eq!(block_header("a\n\nb"), Some("|-"));
        for text in [
            "one line", " a\nb", "\na\nb", "a\nb\n\n", "a \nb", "a\tb\nc",
        ] {
            assert_eq!(block_header(text), None, "{text:?}");
        }
    }

    #[test]
    fn kind_lines() {
        assert!(is_kind_line("kind: job-spec"));
        assert!(is_kind_line("kind: \"job-spec\"  # marker"));
        assert!(is_kind_line("kind: 'job-spec'"));
        assert!(!is_kind_line("  kind: job-spec"));
        assert!(!is_kind_line("kind: framework"));
        assert!(!is_kind_line("kinds: job-spec"));
    }

    #[test]
    fn uuids() {
        assert!(is_uuid("e08648f7-89b4-43e1-a447-313d10011b50"));
        assert!(!is_uuid("e08648f7-89b4-43e1-a447"));
        assert!(!is_uuid("e08648f7-89b4-43e1-a447-313d10011b5z"));
    }
}
