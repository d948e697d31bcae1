//! Splitting a file into its YAML front matter and Markdown body, and the one
//! YAML repair real files need (tabs after a sequence dash).

use ladder_core::Diagnostic;

#[derive(Debug)]
pub(crate) struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based file line of the first line of `yaml`.
    pub yaml_first_line: u32,
    pub body: &'a str,
    /// 1-based file line of the first line of `body`.
    pub body_first_line: u32,
}

const EXAMPLE: &str = "---\ntitle: \"Backend Engineering\"\npath: \"/engineering/backend\"\nyaml: true\nlevels: 6\ntopics:\n  - name: \"mastery\"\n    content:\n      - level: 1\n        criteria:\n          - \"Fixes simple bugs\"\n---\nHome text in Markdown.";

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Finds the front matter. A `.yaml`/`.yml` file may be bare YAML with no fences.
pub(crate) fn split(text: &str, yaml_file: bool) -> Result<Split<'_>, Box<Diagnostic>> {
    // Blank lines before the opening fence are tolerated; anything else is not.
    let mut offset = 0;
    let mut line_number = 1u32;
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            offset += line.len();
            line_number += 1;
            continue;
        }
        break;
    }
    let rest = &text[offset..];
    let first_line = rest.split('\n').next().unwrap_or("");
    if !is_fence(first_line) {
        if yaml_file {
            return Ok(Split {
                yaml: text,
                yaml_first_line: 1,
                body: "",
                body_first_line: crate::clamp(text.lines().count() + 1),
            });
        }
        let shown = if text.trim().is_empty() {
            "the file is empty".to_string()
        } else {
            format!("it starts with “{}”", truncate(first_line.trim(), 60))
        };
        return Err(Box::new(
            Diagnostic::error(
                "no-front-matter",
                format!("no front matter: a framework file must open with a YAML block between two `---` lines, but {shown}"),
            )
            .at(line_number, 1)
            .with_hint(format!(
                "a framework file looks like this:\n{EXAMPLE}\n(use `yaml: false` and `## Level N` / `### Topic` sections for the prose format)"
            )),
        ));
    }

    let yaml_start = offset + first_line.len() + 1;
    let yaml_first_line = line_number + 1;
    let mut cursor = yaml_start.min(text.len());
    let mut current_line = yaml_first_line;
    for line in text[cursor..].split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        if is_fence(content) || content.trim_end() == "..." {
            let body_start = cursor + line.len();
            return Ok(Split {
                yaml: &text[yaml_start.min(cursor)..cursor],
                yaml_first_line,
                body: &text[body_start.min(text.len())..],
                body_first_line: current_line + 1,
            });
        }
        cursor += line.len();
        current_line += 1;
    }
    if yaml_file {
        return Ok(Split {
            yaml: &text[yaml_start.min(text.len())..],
            yaml_first_line,
            body: "",
            body_first_line: current_line,
        });
    }
    Err(Box::new(
        Diagnostic::error(
            "unclosed-front-matter",
            "the front matter opened here is never closed by a `---` line",
        )
        .at(line_number, 1)
        .with_hint("add a line containing only `---` after the last front-matter key"),
    ))
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max).collect();
        format!("{cut}…")
    }
}

/// Replaces tab characters that directly follow a sequence dash (`-\t"text"`),
/// which strict YAML rejects, with one space. Lines keep their numbers.
pub(crate) fn recover_tabs(yaml: &str, first_line: u32) -> (String, Vec<Diagnostic>) {
    if !yaml.contains('\t') {
        return (yaml.to_string(), Vec::new());
    }
    let mut out = String::with_capacity(yaml.len());
    let mut warnings = Vec::new();
    for (index, line) in yaml.split_inclusive('\n').enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let after_indent = &line[indent..];
        if let Some(after_dash) = after_indent.strip_prefix('-') {
            let tabs = after_dash.len() - after_dash.trim_start_matches('\t').len();
            if tabs > 0 {
                let line_number = first_line + crate::clamp(index);
                warnings.push(
                    Diagnostic::warning(
                        "yaml-tab-recovered",
                        "a tab after a list dash is not valid YAML; read it as a space",
                    )
                    .at(line_number, crate::clamp(indent + 2))
                    .with_hint("indent YAML with spaces only: write `- \"text\"`"),
                );
                out.push_str(&line[..indent]);
                out.push_str("- ");
                out.push_str(&after_dash[tabs..]);
                continue;
            }
        }
        out.push_str(line);
    }
    (out, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body_with_line_numbers() {
        let text = "---\ntitle: x\n---\nbody line\n";
        let split = split(text, false).expect("splits");
        assert_eq!(split.yaml, "title: x\n");
        assert_eq!(split.yaml_first_line, 2);
        assert_eq!(split.body, "body line\n");
        assert_eq!(split.body_first_line, 4);
    }

    #[test]
    fn missing_front_matter_is_an_error_with_an_example() {
        let error = split("# Title\ntext\n", false).expect_err("error");
        assert_eq!(error.code, "no-front-matter");
        assert!(error.message.contains("# Title"));
        assert!(error.hint.as_deref().unwrap_or("").contains("yaml: true"));
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let error = split("---\ntitle: x\n", false).expect_err("error");
        assert_eq!(error.code, "unclosed-front-matter");
    }

    #[test]
    fn bare_yaml_files_need_no_fences() {
        let split = split("title: x\n", true).expect("splits");
        assert_eq!(split.yaml, "title: x\n");
    }

    #[test]
    fn tabs_after_dashes_become_spaces_and_are_reported() {
        let (fixed, warnings) = recover_tabs("a:\n  -\t\"x\"\n  - \"y\"\n", 2);
        assert_eq!(fixed, "a:\n  - \"x\"\n  - \"y\"\n");
        assert_eq!(warnings.len(), 1);
        assert_eq!((warnings[0].line, warnings[0].column), (Some(3), Some(4)));
    }
}
