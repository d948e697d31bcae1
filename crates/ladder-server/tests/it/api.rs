//! The JSON API over real HTTP, on SQLite and (when configured) PostgreSQL.

use crate::common::{client, TestApp};
use ladder_core::access::Role;
use ladder_store::testing::TestDatabase;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn get_json(app: &TestApp, path: &str, token: Option<&str>) -> (StatusCode, Value) {
    let mut request = client().get(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

async fn framework_library_reads(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let (status, list) = get_json(&app, "/api/v1/frameworks", None).await;
    assert_eq!(status, StatusCode::OK, "{}", app.label);
    let slugs: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|f| f["slug"].as_str())
        .collect();
    assert_eq!(slugs.len(), 3, "{slugs:?}");
    assert!(slugs.contains(&"engineering-backend"));

    let (status, detail) = get_json(&app, "/api/v1/frameworks/engineering-backend", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["version"], 1);
    assert_eq!(detail["framework"]["title"], "Backend Engineering");
    assert_eq!(
        detail["framework"]["topics"].as_array().map(Vec::len),
        Some(5)
    );
    let first_id = detail["framework"]["topics"][0]["levels"][0]["criteria"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert!(first_id.starts_with("mastery.l1."), "{first_id}");

    let (status, versions) = get_json(
        &app,
        "/api/v1/frameworks/engineering-backend/versions",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(versions[0]["version"], 1);

    let (status, comparison) = get_json(
        &app,
        "/api/v1/frameworks/engineering-backend/compare?from=1&to=3",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(comparison["from_label"], "Level 1");
    let added: usize = comparison["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .map(|t| t["added"].as_array().map_or(0, Vec::len))
        .sum();
    let backend = ladder_formats::parse(
        "b.md",
        ladder_formats::bundled::FRAMEWORKS[0].text.as_bytes(),
    )
    .framework
    .expect("framework");
    let expected = backend
        .criteria()
        .filter(|(_, level, _)| (2..=3).contains(level))
        .count();
    assert_eq!(added, expected);

    let (status, error) = get_json(
        &app,
        "/api/v1/frameworks/engineering-backend/compare?from=1&to=9",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("1, 2, 3, 4, 5, 6"),
        "{error}"
    );
    let (status, error) = get_json(
        &app,
        "/api/v1/frameworks/engineering-backend/compare?from=1",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error["error"]["field"], "to");

    let (status, error) = get_json(&app, "/api/v1/frameworks/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error["error"]["code"], "not_found");
    let (status, _) = get_json(
        &app,
        "/api/v1/frameworks/engineering-backend?version=7",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let wrong_method = client()
        .delete(app.url("/api/v1/frameworks"))
        .send()
        .await
        .expect("request");
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: Value = wrong_method
        .json()
        .await
        .expect("errors under /api are JSON");
    assert_eq!(body["error"]["code"], "method_not_allowed");
    let (status, error) = get_json(&app, "/api/v1/no-such-route", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error["error"]["code"], "not_found");

    let (status, hits) = get_json(&app, "/api/v1/search?q=postgresql&limit=5", None).await;
    assert_eq!(status, StatusCode::OK);
    let hits = hits.as_array().expect("hits");
    // Three bundled Backend behaviours name PostgreSQL (levels 1, 4 and 6).
    assert_eq!(hits.len(), 3, "{hits:?}");
    let url = hits[0]["url"].as_str().expect("url");
    assert!(
        url.starts_with("/frameworks/") && url.contains("?level=") && url.contains('#'),
        "{url}"
    );
    app.stop().await;
}

on_each_database!(framework_library_reads);

async fn uploading_frameworks_reports_diagnostics_and_versions(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let admin = app.token(Role::Admin).await;
    let http = client();
    let text = "---\ntitle: \"Data Engineering\"\npath: \"/engineering/data\"\nyaml: true\nlevels: 1\ntopics:\n  - name: \"craft\"\n    content:\n      - level: 1\n        criteria:\n          - \"Writes tested pipelines\"\n---\nHome.\n";
    let response = http
        .post(app.url("/api/v1/frameworks"))
        .bearer_auth(&admin)
        .header("content-type", "text/markdown")
        .body(text)
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), StatusCode::CREATED, "{}", app.label);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["status"], "created");
    assert_eq!(body["slug"], "engineering-data");

    // The same content again changes nothing; new content is version 2.
    let again = http
        .post(app.url("/api/v1/frameworks"))
        .bearer_auth(&admin)
        .json(&json!({"file_name": "data.md", "content": text}))
        .send()
        .await
        .expect("upload");
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(
        again.json::<Value>().await.expect("json")["status"],
        "unchanged"
    );
    let changed = text.replace(
        "Writes tested pipelines",
        "Writes tested, observable pipelines",
    );
    let updated = http
        .post(app.url("/api/v1/frameworks"))
        .bearer_auth(&admin)
        .json(&json!({"file_name": "data.md", "content": changed}))
        .send()
        .await
        .expect("upload");
    assert_eq!(updated.status(), StatusCode::CREATED);
    assert_eq!(updated.json::<Value>().await.expect("json")["version"], 2);

    let broken = "---\ntitle: \"Broken\"\nyaml: true\ntopics:\n  - name: \"a\"\n    content:\n      - level: \"two\"\n---\n";
    let response = http
        .post(app.url("/api/v1/frameworks"))
        .bearer_auth(&admin)
        .json(&json!({"file_name": "broken.md", "content": broken}))
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"]["code"], "invalid_framework");
    assert_eq!(body["error"]["field"], "content");
    let diagnostic = body["diagnostics"]
        .as_array()
        .and_then(|all| all.iter().find(|d| d["severity"] == "error"))
        .expect("an error diagnostic");
    assert_eq!(diagnostic["code"], "invalid-value");
    assert_eq!(diagnostic["line"], 7);
    assert_eq!(diagnostic["column"], 16);
    let (_, list) = get_json(&app, "/api/v1/frameworks", None).await;
    assert_eq!(
        list.as_array().map(Vec::len),
        Some(4),
        "the broken file was not stored"
    );

    let bad_json = http
        .post(app.url("/api/v1/frameworks"))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body("{\"content\": 5}")
        .send()
        .await
        .expect("upload");
    assert_eq!(bad_json.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad_json.json::<Value>().await.expect("json")["error"]["field"],
        "content"
    );

    let too_big = http
        .post(app.url("/api/v1/frameworks"))
        .bearer_auth(&admin)
        .header("content-type", "text/markdown")
        .body(vec![b'a'; 9 * 1024 * 1024])
        .send()
        .await
        .expect("upload");
    assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        too_big.json::<Value>().await.expect("json")["error"]["code"],
        "payload_too_large"
    );

    let (_, audit) = get_json(&app, "/api/v1/audit", Some(&admin)).await;
    let actions: Vec<&str> = audit
        .as_array()
        .expect("audit")
        .iter()
        .filter_map(|a| a["action"].as_str())
        .collect();
    assert!(
        actions.contains(&"framework.update") && actions.contains(&"framework.create"),
        "{actions:?}"
    );
    app.stop().await;
}

on_each_database!(uploading_frameworks_reports_diagnostics_and_versions);

async fn users_settings_and_tokens(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let admin = app.token(Role::Admin).await;
    let http = client();
    let created = http
        .post(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"email": "Hiring@Example.com", "role": "hiring_manager"}))
        .send()
        .await
        .expect("create");
    assert_eq!(created.status(), StatusCode::CREATED, "{}", app.label);
    let created: Value = created.json().await.expect("json");
    assert_eq!(created["user"]["email"], "hiring@example.com");
    assert_eq!(created["user"]["must_change_password"], true);
    assert_eq!(
        created["one_time_password"].as_str().map(str::len),
        Some(20)
    );
    let id = created["user"]["id"].as_str().expect("id").to_string();

    let duplicate = http
        .post(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"email": "hiring@example.com", "role": "member"}))
        .send()
        .await
        .expect("create");
    assert_eq!(duplicate.status(), StatusCode::CONFLICT);

    let bad_role = http
        .post(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"email": "x@example.com", "role": "owner"}))
        .send()
        .await
        .expect("create");
    assert_eq!(bad_role.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad_role.json::<Value>().await.expect("json")["error"]["field"],
        "role"
    );

    let bad_email = http
        .post(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"email": "not-an-address", "role": "member"}))
        .send()
        .await
        .expect("create");
    assert_eq!(bad_email.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        bad_email.json::<Value>().await.expect("json")["error"]["field"],
        "email"
    );

    let patched = http
        .patch(app.url(&format!("/api/v1/users/{id}")))
        .bearer_auth(&admin)
        .json(&json!({"role": "interviewer", "disabled": true}))
        .send()
        .await
        .expect("patch");
    assert_eq!(patched.status(), StatusCode::OK);
    let patched: Value = patched.json().await.expect("json");
    assert_eq!(
        (patched["role"].as_str(), patched["disabled"].as_bool()),
        (Some("interviewer"), Some(true))
    );

    // Browsing is public by default; turning it off requires a login.
    assert_eq!(
        get_json(&app, "/api/v1/frameworks", None).await.0,
        StatusCode::OK
    );
    let off = http
        .put(app.url("/api/v1/settings"))
        .bearer_auth(&admin)
        .json(&json!({"public_browsing": false}))
        .send()
        .await
        .expect("settings");
    assert_eq!(off.status(), StatusCode::OK);
    assert_eq!(
        get_json(&app, "/api/v1/frameworks", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    let member = app.token(Role::Member).await;
    assert_eq!(
        get_json(&app, "/api/v1/frameworks", Some(&member)).await.0,
        StatusCode::OK
    );
    let (status, me) = get_json(&app, "/api/v1/me", Some(&member)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["role"], "member");

    assert_eq!(
        get_json(&app, "/api/v1/me", Some("not-a-real-token"))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );

    let (_, audit) = get_json(&app, "/api/v1/audit?limit=50", Some(&admin)).await;
    let actions: Vec<&str> = audit
        .as_array()
        .expect("audit")
        .iter()
        .filter_map(|a| a["action"].as_str())
        .collect();
    for expected in ["user.create", "user.role", "user.disable", "setting.set"] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    app.stop().await;
}

on_each_database!(users_settings_and_tokens);

async fn operations_endpoints(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let (status, health) = get_json(&app, "/healthz", None).await;
    assert_eq!(
        (status, health["status"].as_str()),
        (StatusCode::OK, Some("ok"))
    );
    let (status, ready) = get_json(&app, "/readyz", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ready["database"], app.label);

    let _ = get_json(&app, "/api/v1/frameworks", None).await;
    let metrics = client()
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(metrics.contains("ladder_http_requests_total{"), "{metrics}");
    assert!(
        metrics.contains("route=\"/api/v1/frameworks\""),
        "{metrics}"
    );
    assert!(
        metrics.contains("ladder_http_request_duration_seconds_bucket"),
        "{metrics}"
    );
    assert!(metrics.contains("ladder_db_pool_connections"), "{metrics}");

    let (status, document) = get_json(&app, "/api/v1/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(document["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with('3')));
    let paths = document["paths"].as_object().expect("paths");
    // Every API route of the access table is documented.
    for spec in ladder_server::route_table()
        .into_iter()
        .filter(|s| s.path.starts_with("/api/v1/") && s.path != "/api/v1/openapi.json")
    {
        let operations = paths
            .get(&spec.path)
            .unwrap_or_else(|| panic!("{} undocumented", spec.path));
        assert!(
            operations.get(spec.method.to_lowercase()).is_some(),
            "{} {} undocumented",
            spec.method,
            spec.path
        );
    }
    app.stop().await;
}

on_each_database!(operations_endpoints);
