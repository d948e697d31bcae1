//! The OpenAPI document, assembled from the API routes' own declarations
//! (each handler's `#[utoipa::path]`), so it lists exactly what the router
//! serves.

mod constraints;
mod shared;
#[cfg(test)]
mod tests;

use std::sync::OnceLock;

use axum::Json;
use ladder_core::access::Action::Public;
use utoipa::OpenApi;

use crate::http::error::{ErrorBody, ErrorDetail};
use crate::http::routes::Route;

#[derive(OpenApi)]
#[openapi(
    info(title = "Ladder API", description = "Competency-based engineering progression and hiring. Authenticate with `Authorization: Bearer <token>` (create one with `ladder token create`) or a browser session. Every error is `{\"error\": {\"code\", \"message\", \"field\"?}}` with a sentence saying what to change; `field` is the JSON path of the offending field. Text fields are at most the `maxLength` their schemas give, and no text may hold the NUL character (U+0000). A POST marked with an `Idempotency-Key` parameter may be retried with the same key: it has one effect, across servers and crashes."),
    components(schemas(ErrorBody, ErrorDetail)),
    tags(
        (name = "frameworks", description = "Progression frameworks: levels × topics × behaviours"),
        (name = "accounts", description = "Users, settings and the audit log (admins)"),
        (name = "job specs", description = "Weighted competencies, must-haves, versions and interview rounds"),
        (name = "interviews", description = "Candidates invited to a published job spec, scorecards, live performance and results"),
        (name = "candidate", description = "The candidate's side, authenticated only by the secret token in the path"),
        (name = "progression", description = "People placed on frameworks, self and manager assessments with evidence, and where each person stands"),
        (name = "operations", description = "Health and readiness"),
    )
)]
struct ApiDoc;

/// The document as JSON, built once per process.
pub fn openapi_json() -> serde_json::Value {
    static DOCUMENT: OnceLock<serde_json::Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| build().0).clone()
}

/// The document, and its mistakes: entries of the constraints table that
/// match no field, and schema names two different types share (the second
/// would silently replace the first). This module's tests require none.
fn build() -> (serde_json::Value, Vec<String>) {
    let mut document = ApiDoc::openapi();
    let mut specs = Vec::new();
    let mut mistakes = Vec::new();
    for route in crate::all_routes() {
        if let Some((schemas, paths)) = route.openapi {
            document.paths.merge(paths);
            let components = document.components.get_or_insert_with(Default::default);
            for (name, schema) in schemas {
                if let Some(earlier) = components.schemas.get(&name) {
                    if serde_json::to_value(earlier).ok() != serde_json::to_value(&schema).ok() {
                        mistakes.push(format!("two different schemas are both called {name}"));
                    }
                }
                components.schemas.insert(name, schema);
            }
            specs.push(route.spec);
        }
    }
    let mut json = serde_json::to_value(document).unwrap_or(serde_json::Value::Null);
    shared::document_what_every_route_shares(&mut json, &specs);
    mistakes.extend(
        constraints::apply(&mut json)
            .into_iter()
            .map(|entry| format!("the constraints table's {entry} matches no field")),
    );
    (json, mistakes)
}

async fn document() -> Json<serde_json::Value> {
    Json(openapi_json())
}

pub(crate) fn routes() -> Vec<Route> {
    vec![Route::plain("/api/v1/openapi.json", document, Public)]
}
