//! The API document against the server's real answers: refusals the shared
//! layers give are documented on the operation that gives them, errors are
//! sentences (no Rust debug text, no bare "bad request"), and a parameter
//! out of range is refused rather than quietly changed. schemathesis covers
//! the rest in CI (`.ci/api-conformance`).

use crate::common::{client, Api, TestApp};
use ladder_core::access::Role;
use ladder_store::testing::TestDatabase;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Whether `document` lists `status` for `method path`.
fn documents(document: &Value, method: &str, path: &str, status: StatusCode) -> bool {
    document["paths"][path][method.to_lowercase()]["responses"]
        .get(status.as_str())
        .is_some()
}

/// An error body as the API promises it: a code, and a message that is a
/// sentence rather than Rust's debug output.
fn assert_plain_error(body: &Value, context: &str) {
    let code = body["error"]["code"].as_str().unwrap_or_default();
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        !code.is_empty() && code != "error",
        "{context}: code {code:?} in {body}"
    );
    assert!(message.len() > 12, "{context}: message {message:?}");
    for rust in [
        "Number(",
        "Label(",
        "Some(",
        "struct ",
        "expected u32",
        "Failed to",
    ] {
        assert!(
            !message.contains(rust),
            "{context}: {message:?} has {rust:?}"
        );
    }
}

async fn refusals_are_documented_and_read_as_sentences(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let admin = Api {
        app: &app,
        token: app.token(Role::Admin).await,
        http: client(),
    };
    let (_, document) = admin.get("/api/v1/openapi.json").await;
    let (status, spec) = admin
        .post(
            "/api/v1/job-specs",
            json!({"title": "Platform Engineer", "competencies": [
                {"name": "Operations", "weight": 1, "definition": "Runs what it builds."}
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "[{}] {spec}", app.label);
    let id = spec["id"].as_str().expect("id").to_string();

    // (method, path as requested, path as documented, body, expected status)
    let cases: Vec<(Method, String, &str, Option<Value>, StatusCode)> = vec![
        (
            Method::GET,
            "/api/v1/audit?limit=5000".into(),
            "/api/v1/audit",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Method::GET,
            "/api/v1/audit?limit=0".into(),
            "/api/v1/audit",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Method::GET,
            "/api/v1/audit?limit=many".into(),
            "/api/v1/audit",
            None,
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::GET,
            "/api/v1/search?q=ledger&limit=201".into(),
            "/api/v1/search",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Method::GET,
            format!("/api/v1/search?q={}", "a".repeat(501)),
            "/api/v1/search",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Method::GET,
            format!("/api/v1/job-specs/{id}?version=0"),
            "/api/v1/job-specs/{id}",
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            format!("/api/v1/job-specs/{id}?version=v9-nope"),
            "/api/v1/job-specs/{id}",
            None,
            StatusCode::NOT_FOUND,
        ),
        (
            Method::GET,
            format!("/api/v1/job-specs/{id}/rounds/x/items"),
            "/api/v1/job-specs/{id}/rounds/{round}/items",
            None,
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::GET,
            format!("/api/v1/job-specs/{id}/diff"),
            "/api/v1/job-specs/{id}/diff",
            None,
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::GET,
            "/api/v1/frameworks/none/compare?from=1".into(),
            "/api/v1/frameworks/{slug}/compare",
            None,
            StatusCode::BAD_REQUEST,
        ),
        (
            Method::POST,
            "/api/v1/job-specs".into(),
            "/api/v1/job-specs",
            Some(json!([1, 2])),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Method::POST,
            "/api/v1/job-specs".into(),
            "/api/v1/job-specs",
            Some(json!({"title": 7})),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Method::POST,
            "/api/v1/users".into(),
            "/api/v1/users",
            Some(json!({"email": "", "role": "member"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (method, path, documented, body, expected) in cases {
        let (status, answer) = admin.send(method.clone(), &path, body).await;
        let context = format!("[{}] {method} {path}", app.label);
        assert_eq!(status, expected, "{context}: {answer}");
        assert_plain_error(&answer, &context);
        assert!(
            documents(&document, method.as_str(), documented, status),
            "{context}: {status} is not documented on {method} {documented}"
        );
    }

    // Out-of-range limits name the parameter.
    let (_, answer) = admin.get("/api/v1/audit?limit=5000").await;
    assert_eq!(answer["error"]["field"], "limit");
    let (_, answer) = admin
        .get(&format!("/api/v1/job-specs/{id}?version=0"))
        .await;
    let message = answer["error"]["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("version 0 of job spec"), "{message}");

    // A route that does not exist answers in the API's shape too.
    let (status, answer) = admin.get("/api/v1/no-such-thing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_plain_error(&answer, "unknown route");

    // Refusals that come before the handler: a malformed Idempotency-Key, a
    // body that is not JSON, a revoked token on a public route.
    let keyed = format!("/api/v1/job-specs/{id}/interviews");
    let response = admin
        .http
        .post(app.url(&keyed))
        .bearer_auth(&admin.token)
        .header("idempotency-key", "")
        .json(&json!({"candidate_name": "Ada", "candidate_email": "ada@example.com"}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(documents(
        &document,
        "POST",
        "/api/v1/job-specs/{id}/interviews",
        StatusCode::BAD_REQUEST
    ));
    let response = admin
        .http
        .post(app.url("/api/v1/job-specs"))
        .bearer_auth(&admin.token)
        .header("content-type", "text/plain")
        .body("title: x")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(documents(
        &document,
        "POST",
        "/api/v1/job-specs",
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    ));
    let response = admin
        .http
        .get(app.url("/healthz"))
        .bearer_auth("not-a-token")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(documents(
        &document,
        "GET",
        "/healthz",
        StatusCode::UNAUTHORIZED
    ));
    app.stop().await;
}

on_each_database!(refusals_are_documented_and_read_as_sentences);
