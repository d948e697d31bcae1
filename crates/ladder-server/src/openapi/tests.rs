//! The document tells the truth about the constraints and statuses the
//! server enforces. (What the server actually answers is checked against the
//! document by schemathesis in CI, `.ci/api-conformance`, and by the
//! integration tests in `tests/it/openapi.rs`.)

use std::collections::BTreeMap;

use serde_json::Value;

use super::build;
use super::constraints::WHOLE_FILES;

fn operations(document: &Value) -> Vec<(String, String, &Value)> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                found.push((method.to_uppercase(), path.clone(), operation));
            }
        }
    }
    found
}

#[test]
fn the_document_is_built_without_mistakes() {
    let (_, mistakes) = build();
    assert!(mistakes.is_empty(), "{mistakes:#?}");
}

#[test]
fn operation_ids_are_unique() {
    let (document, _) = build();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (method, path, operation) in operations(&document) {
        let id = operation["operationId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(!id.is_empty(), "{method} {path} has no operationId");
        if let Some(other) = seen.insert(id.clone(), format!("{method} {path}")) {
            panic!("operationId {id} names both {other} and {method} {path}");
        }
    }
}

#[test]
fn parameters_are_where_the_router_reads_them() {
    let (document, _) = build();
    for (method, path, operation) in operations(&document) {
        let parameters = operation["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for parameter in &parameters {
            let name = parameter["name"].as_str().unwrap_or_default();
            let placeholder = format!("{{{name}}}");
            match parameter["in"].as_str() {
                Some("path") => assert!(
                    path.contains(&placeholder),
                    "{method} {path}: `{name}` is documented as a path parameter but is not in the path"
                ),
                Some("query") | Some("header") => assert!(
                    !path.contains(&placeholder),
                    "{method} {path}: `{name}` is in the path but documented elsewhere"
                ),
                other => panic!("{method} {path}: `{name}` is in {other:?}"),
            }
        }
        for segment in path.split('/').filter(|s| s.starts_with('{')) {
            let name = segment.trim_matches(['{', '}']);
            assert!(
                parameters
                    .iter()
                    .any(|p| p["name"] == name && p["in"] == "path"),
                "{method} {path}: path parameter `{name}` is not documented"
            );
        }
    }
}

/// Follows `$ref`s and collects every string schema a client may send, by
/// where it sits (`NewInterview.candidate_name`).
fn strings_in<'a>(
    document: &'a Value,
    schema: &'a Value,
    at: String,
    seen: &mut Vec<String>,
    out: &mut Vec<(String, &'a Value)>,
) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or_default().to_string();
        if seen.contains(&name) {
            return;
        }
        seen.push(name.clone());
        let target = &document["components"]["schemas"][name.as_str()];
        strings_in(document, target, name, seen, out);
        return;
    }
    for combinator in ["oneOf", "anyOf", "allOf"] {
        for inner in schema[combinator].as_array().into_iter().flatten() {
            strings_in(document, inner, at.clone(), seen, out);
        }
    }
    let is_string = match &schema["type"] {
        Value::String(kind) => kind == "string",
        Value::Array(kinds) => kinds.iter().any(|k| k == "string"),
        _ => false,
    };
    if is_string {
        out.push((at.clone(), schema));
    }
    if schema.get("items").is_some() {
        strings_in(document, &schema["items"], at.clone(), seen, out);
    }
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        strings_in(document, property, format!("{at}.{name}"), seen, out);
    }
}

#[test]
fn every_text_a_client_sends_has_a_documented_maximum() {
    let (document, _) = build();
    let mut unbounded = Vec::new();
    for (method, path, operation) in operations(&document) {
        let mut strings = Vec::new();
        let mut seen = Vec::new();
        for (media_type, content) in operation["requestBody"]["content"]
            .as_object()
            .into_iter()
            .flatten()
        {
            // Whole files (CSV, audio) are bounded by the body limit.
            if media_type == "application/json" {
                strings_in(
                    &document,
                    &content["schema"],
                    format!("{method} {path} body"),
                    &mut seen,
                    &mut strings,
                );
            }
        }
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            if parameter["in"] != "path" {
                let at = format!(
                    "{method} {path} ?{}",
                    parameter["name"].as_str().unwrap_or_default()
                );
                strings_in(&document, &parameter["schema"], at, &mut seen, &mut strings);
            }
        }
        for (at, schema) in strings {
            let bounded = schema.get("maxLength").is_some()
                || schema.get("enum").is_some()
                || schema
                    .get("format")
                    .is_some_and(|f| f == "date" || f == "binary");
            let whole_file = WHOLE_FILES
                .iter()
                .any(|(schema, property)| at == format!("{schema}.{property}"));
            if !bounded && !whole_file {
                unbounded.push(at);
            }
        }
    }
    unbounded.sort();
    unbounded.dedup();
    assert!(unbounded.is_empty(), "text without a documented maximum (add it to openapi/constraints.rs from ladder_core::limits): {unbounded:#?}");
}

#[test]
fn the_refusals_of_the_shared_layers_are_documented_on_every_operation() {
    let (document, _) = build();
    for spec in crate::route_table() {
        let Some(operation) = document["paths"][spec.path.as_str()].get(spec.method.to_lowercase())
        else {
            continue;
        };
        let responses = &operation["responses"];
        let must = |status: &str, why: &str| {
            assert!(
                responses.get(status).is_some(),
                "{} {} does not document {status} ({why})",
                spec.method,
                spec.path
            );
        };
        let signed_in = spec.action != ladder_core::access::Action::Public && !spec.candidate;
        must(
            "401",
            "an unknown or revoked token is refused on every route",
        );
        if signed_in {
            must("403", "a role without the action, or a password to change");
        }
        if spec.idempotent {
            must("400", "a malformed Idempotency-Key");
            must("409", "a key in progress or reused");
            let parameters = operation["parameters"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let header = parameters
                .iter()
                .find(|p| p["name"] == "Idempotency-Key")
                .unwrap_or_else(|| {
                    panic!(
                        "{} {} does not document Idempotency-Key",
                        spec.method, spec.path
                    )
                });
            assert_eq!(header["schema"]["maxLength"], 255);
        }
        if operation.get("requestBody").is_some() {
            must("413", "a body over the limit");
            must("415", "a body of the wrong type");
            must("422", "a body that is not valid");
        }
        if spec.candidate {
            must("410", "an expired or withdrawn link");
            must("429", "the per-link rate limit");
        }
        if spec.path.contains('{') {
            must("404", "an id that matches nothing");
        }
    }
}
