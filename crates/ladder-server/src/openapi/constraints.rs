//! The constraints of request fields, written into their schemas: the
//! maximum length of every text field from `ladder_core::limits` (so the
//! document and the checks share one number), and the closed sets of words
//! some fields take. `utoipa`'s attributes take only literals, which would
//! copy the limits; this table names the constants instead. The OpenAPI
//! tests require every string a client sends to be bounded here, by a
//! format, or by an enumeration, and every entry to match a field.

use ladder_core::limits;
use serde_json::{json, Value};

/// (schema, property, maximum characters). A property that is a list of
/// strings bounds each string.
pub(super) const TEXT_MAXIMA: &[(&str, &str, usize)] = &[
    ("AssignInterviewer", "user_id", limits::REFERENCE),
    ("Choice", "text", limits::ROUND_ITEM_TEXT),
    ("CandidateAnswer", "item_id", limits::REFERENCE),
    ("CandidateAnswer", "text", limits::ANSWER),
    ("CandidateAnswer", "audio_id", limits::REFERENCE),
    ("CandidateDraft", "item_id", limits::REFERENCE),
    ("CandidateDraft", "text", limits::ANSWER),
    ("Competency", "id", limits::COMPETENCY_ID),
    ("Competency", "name", limits::COMPETENCY_NAME),
    ("Competency", "definition", limits::COMPETENCY_DEFINITION),
    ("CompetencyScore", "competency_id", limits::COMPETENCY_ID),
    ("CompetencyScore", "criteria", limits::SCORECARD_CRITERION),
    ("CompetencyScore", "evidence", limits::SCORECARD_EVIDENCE),
    ("CreateUserRequest", "email", limits::EMAIL),
    ("FrameworkBasis", "slug", limits::FRAMEWORK_SLUG),
    ("ItemInput", "text", limits::ROUND_ITEM_TEXT),
    ("ItemInput", "competency_id", limits::COMPETENCY_ID),
    ("ItemUpdate", "text", limits::ROUND_ITEM_TEXT),
    ("ItemUpdate", "competency_id", limits::COMPETENCY_ID),
    ("JobSpecUpdate", "title", limits::JOB_SPEC_TITLE),
    ("JobSpecUpdate", "seniority", limits::JOB_SPEC_SENIORITY),
    ("JobSpecUpdate", "description", limits::JOB_SPEC_DESCRIPTION),
    ("MarkInput", "criterion_id", limits::REFERENCE),
    ("MarkInput", "note", limits::ASSESSMENT_NOTE),
    ("MarkInput", "links", limits::ASSESSMENT_LINK),
    ("MustHave", "text", limits::MUST_HAVE_TEXT),
    ("MustHaveCheck", "text", limits::MUST_HAVE_TEXT),
    ("NewInterview", "candidate_name", limits::CANDIDATE_NAME),
    ("NewInterview", "candidate_email", limits::EMAIL),
    ("NewInterview", "interviewers", limits::REFERENCE),
    ("NewJobSpec", "title", limits::JOB_SPEC_TITLE),
    ("NewJobSpec", "seniority", limits::JOB_SPEC_SENIORITY),
    ("NewJobSpec", "description", limits::JOB_SPEC_DESCRIPTION),
    ("Order", "ids", limits::REFERENCE),
    ("PlacementInput", "framework", limits::FRAMEWORK_SLUG),
    ("PlacementInput", "manager_id", limits::REFERENCE),
    ("PlacementInput", "note", limits::PLACEMENT_NOTE),
    ("PlacementInput", "sublevel", SHORT_CODE),
    ("Regenerate", "item_id", limits::REFERENCE),
    ("ScorecardInput", "notes", limits::SCORECARD_NOTES),
    ("SettingsInput", "progression_threshold", SHORT_CODE),
    ("SubmitInput", "as_of", DATE),
    ("UploadRequest", "file_name", limits::FRAMEWORK_FILE_NAME),
];

/// (query parameter, maximum characters), wherever the parameter appears.
pub(super) const QUERY_MAXIMA: &[(&str, usize)] = &[
    ("version", limits::REFERENCE),
    ("from", limits::REFERENCE),
    ("to", limits::REFERENCE),
    ("user", limits::REFERENCE),
    ("q", limits::SEARCH_QUERY),
];

/// (query parameter, the words it takes), wherever it appears.
pub(super) const QUERY_WORDS: &[(&str, &[&str])] = &[("format", &["markdown", "json"])];

/// A sub-level letter or a threshold such as `0.75`: anything longer is
/// not one.
const SHORT_CODE: usize = 16;
/// `YYYY-MM-DD`.
const DATE: usize = 10;

/// (schema, property) of text that may not be empty: names, titles,
/// questions, and references that must name something.
pub(super) const NOT_EMPTY: &[(&str, &str)] = &[
    ("AssignInterviewer", "user_id"),
    ("CandidateAnswer", "item_id"),
    ("CandidateDraft", "item_id"),
    ("Choice", "text"),
    ("Competency", "name"),
    ("CompetencyScore", "competency_id"),
    ("CreateUserRequest", "email"),
    ("FrameworkBasis", "slug"),
    ("ItemInput", "text"),
    ("MarkInput", "criterion_id"),
    ("MustHave", "text"),
    ("NewInterview", "candidate_name"),
    ("NewInterview", "candidate_email"),
    ("NewJobSpec", "title"),
    ("PlacementInput", "framework"),
    ("UploadRequest", "content"),
];

/// (schema, property) holding an e-mail address.
pub(super) const EMAILS: &[(&str, &str)] = &[
    ("CreateUserRequest", "email"),
    ("NewInterview", "candidate_email"),
];

/// (schema, property, the words it takes). `null` stays allowed where the
/// property is optional.
pub(super) const WORDS: &[(&str, &str, &[&str])] = &[
    ("OpenInput", "kind", &["self", "manager"]),
    (
        "MarkInput",
        "rating",
        &["not_yet", "sometimes", "consistently"],
    ),
];

/// Strings bounded by the request body's size rather than a length of their
/// own: whole files.
pub(super) const WHOLE_FILES: &[(&str, &str)] = &[("UploadRequest", "content")];

/// Writes the table into `components.schemas`; returns the entries that
/// matched no property (none, when the table is right).
pub(super) fn apply(document: &mut Value) -> Vec<String> {
    let mut unmatched = Vec::new();
    for (schema, property, maximum) in TEXT_MAXIMA {
        match property_schema(document, schema, property) {
            Some(field) => {
                let target = match field.get_mut("items") {
                    Some(items) => items,
                    None => field,
                };
                if let Some(target) = target.as_object_mut() {
                    target.insert("maxLength".to_string(), json!(maximum));
                }
            }
            None => unmatched.push(format!("{schema}.{property}")),
        }
    }
    for (schema, property) in NOT_EMPTY {
        match property_schema(document, schema, property).and_then(Value::as_object_mut) {
            Some(field) => {
                field.insert("minLength".to_string(), json!(1));
            }
            None => unmatched.push(format!("{schema}.{property}")),
        }
    }
    for (schema, property) in EMAILS {
        match property_schema(document, schema, property).and_then(Value::as_object_mut) {
            Some(field) => {
                field.insert("format".to_string(), json!("email"));
            }
            None => unmatched.push(format!("{schema}.{property}")),
        }
    }
    for (schema, property, words) in WORDS {
        match property_schema(document, schema, property) {
            Some(field) => {
                let nullable = field
                    .get("type")
                    .and_then(Value::as_array)
                    .is_some_and(|types| types.iter().any(|t| t == "null"));
                let mut allowed: Vec<Value> = words.iter().map(|word| json!(word)).collect();
                if nullable {
                    allowed.push(Value::Null);
                }
                if let Some(field) = field.as_object_mut() {
                    field.insert("enum".to_string(), Value::Array(allowed));
                }
            }
            None => unmatched.push(format!("{schema}.{property}")),
        }
    }
    for (schema, property) in WHOLE_FILES {
        if property_schema(document, schema, property).is_none() {
            unmatched.push(format!("{schema}.{property}"));
        }
    }
    if let Some(date) =
        property_schema(document, "SubmitInput", "as_of").and_then(Value::as_object_mut)
    {
        date.insert("format".to_string(), json!("date"));
    }
    for (name, maximum) in QUERY_MAXIMA {
        if !for_each_query_parameter(document, name, |schema| {
            schema.insert("maxLength".to_string(), json!(maximum));
        }) {
            unmatched.push(format!("?{name}"));
        }
    }
    for (name, words) in QUERY_WORDS {
        if !for_each_query_parameter(document, name, |schema| {
            let mut allowed: Vec<Value> = words.iter().map(|word| json!(word)).collect();
            if schema
                .get("type")
                .and_then(Value::as_array)
                .is_some_and(|types| types.iter().any(|t| t == "null"))
            {
                allowed.push(Value::Null);
            }
            schema.insert("enum".to_string(), Value::Array(allowed));
        }) {
            unmatched.push(format!("?{name}"));
        }
    }
    // A weight is a decimal or a percentage (`0.35`, `35%`, `12.5%`).
    match document
        .pointer_mut("/components/schemas/Weight")
        .and_then(Value::as_object_mut)
    {
        Some(weight) => {
            weight.insert("maxLength".to_string(), json!(SHORT_CODE));
        }
        None => unmatched.push("Weight".to_string()),
    }
    unmatched
}

fn property_schema<'a>(
    document: &'a mut Value,
    schema: &str,
    property: &str,
) -> Option<&'a mut Value> {
    document.pointer_mut(&format!(
        "/components/schemas/{schema}/properties/{property}"
    ))
}

/// Applies `change` to the schema of every query parameter called `name`;
/// whether there was one.
fn for_each_query_parameter(
    document: &mut Value,
    name: &str,
    mut change: impl FnMut(&mut serde_json::Map<String, Value>),
) -> bool {
    let mut found = false;
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return false;
    };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for operation in item.values_mut() {
            let Some(parameters) = operation
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
            else {
                continue;
            };
            for parameter in parameters {
                if parameter.get("in").and_then(Value::as_str) == Some("query")
                    && parameter.get("name").and_then(Value::as_str) == Some(name)
                {
                    if let Some(schema) = parameter.get_mut("schema").and_then(Value::as_object_mut)
                    {
                        change(schema);
                        found = true;
                    }
                }
            }
        }
    }
    found
}
