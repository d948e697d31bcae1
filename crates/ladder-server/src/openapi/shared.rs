//! What every API route has in common, written into the document from the
//! route's own declaration ([`RouteSpec`]) rather than repeated in each
//! handler's `#[utoipa::path]`: who may call it, the refusals the shared
//! layers give (authentication, roles, body size and type, idempotency
//! keys, rate limits), and the header that makes a retry safe. A handler
//! that documents one of these statuses itself keeps its own description.

use ladder_core::access::Action;
use serde_json::{json, Map, Value};

use crate::http::routes::RouteSpec;

const ERROR_BODY: &str = "#/components/schemas/ErrorBody";

/// Adds the shared statuses, the `Idempotency-Key` header and the security
/// requirement to each operation of `document` named by `specs`.
pub(super) fn document_what_every_route_shares(document: &mut Value, specs: &[RouteSpec]) {
    if let Some(components) = document
        .get_mut("components")
        .and_then(Value::as_object_mut)
    {
        components.insert(
            "securitySchemes".to_string(),
            json!({
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token from `ladder token create` or the account page."
                },
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": crate::http::auth::SESSION_COOKIE,
                    "description": "The browser session set by logging in."
                }
            }),
        );
    }
    for spec in specs {
        let method = spec.method.to_ascii_lowercase();
        let Some(operation) = document
            .pointer_mut(&format!("/paths/{}/{method}", escape_pointer(&spec.path)))
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let has_body = operation.contains_key("requestBody");
        let has_parameters = operation
            .get("parameters")
            .and_then(Value::as_array)
            .is_some_and(|parameters| !parameters.is_empty());
        if spec.idempotent {
            add_idempotency_header(operation);
        }
        let signed_in = spec.action != Action::Public && !spec.candidate;
        if signed_in {
            operation.insert(
                "security".to_string(),
                json!([{ "bearer": [] }, { "session": [] }]),
            );
        }
        let responses = operation
            .entry("responses")
            .or_insert_with(|| Value::Object(Map::new()));
        let Some(responses) = responses.as_object_mut() else {
            continue;
        };
        for (status, description) in shared_statuses(spec, has_body, has_parameters, signed_in) {
            responses.entry(status.to_string()).or_insert_with(|| {
                json!({
                    "description": description,
                    "content": { "application/json": { "schema": { "$ref": ERROR_BODY } } }
                })
            });
        }
    }
}

/// The refusals that come from the shared layers, not the handler.
fn shared_statuses(
    spec: &RouteSpec,
    has_body: bool,
    has_parameters: bool,
    signed_in: bool,
) -> Vec<(u16, &'static str)> {
    let mut statuses = Vec::new();
    if has_body || has_parameters || spec.idempotent {
        statuses.push((
            400,
            "the request could not be read: a path or query parameter of the wrong type, a body that is not JSON, or a malformed Idempotency-Key; the message says which",
        ));
    }
    if signed_in {
        statuses.push((
            401,
            "not logged in: send `Authorization: Bearer <token>` or a session cookie",
        ));
    } else {
        statuses.push((
            401,
            "an `Authorization` header with an unknown or revoked token (send none to call this anonymously)",
        ));
    }
    if signed_in {
        statuses.push((
            403,
            "your role does not allow this (`forbidden`), or the account must choose a new password first (`password_change_required`)",
        ));
    }
    if spec.path.contains('{') {
        statuses.push((404, "nothing with that id, or not visible to you"));
    }
    if spec.idempotent {
        statuses.push((
            409,
            "the same Idempotency-Key is still being answered (`in_progress`; retry shortly) or was used for a different request (`idempotency_key_reused`)",
        ));
    }
    if has_body {
        statuses.push((413, "the body is larger than this server accepts"));
        statuses.push((415, "the body is not of a type this operation accepts"));
        statuses.push((
            422,
            "the body is well-formed but not valid; `field` names the first offending field",
        ));
    } else if has_parameters {
        statuses.push((
            422,
            "a parameter is out of range or holds a NUL character; `field` names it",
        ));
    }
    if spec.candidate {
        statuses.push((
            410,
            "the link has expired (`expired`) or the interview was withdrawn (`withdrawn`)",
        ));
        statuses.push((
            429,
            "too many requests for this link in a minute; wait for the time in `Retry-After`",
        ));
    }
    statuses
}

fn add_idempotency_header(operation: &mut Map<String, Value>) {
    let parameters = operation
        .entry("parameters")
        .or_insert_with(|| Value::Array(Vec::new()));
    let Some(parameters) = parameters.as_array_mut() else {
        return;
    };
    let header = json!({
        "name": "Idempotency-Key",
        "in": "header",
        "required": false,
        "description": "Retry safely: the same key and request return the first response, from any server, even after a crash.",
        "schema": { "type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$" }
    });
    match parameters
        .iter_mut()
        .find(|parameter| parameter.get("name").and_then(Value::as_str) == Some("Idempotency-Key"))
    {
        Some(existing) => {
            if let (Some(existing), Some(schema)) = (existing.as_object_mut(), header.get("schema"))
            {
                existing.insert("schema".to_string(), schema.clone());
            }
        }
        None => parameters.push(header),
    }
}

/// A path as one JSON-pointer token (`/` and `~` escaped, RFC 6901).
fn escape_pointer(path: &str) -> String {
    path.replace('~', "~0").replace('/', "~1")
}
