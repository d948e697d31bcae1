//! What the edge refuses before anything reaches a handler or the database,
//! and what every response carries: NUL characters in bodies, paths and
//! query strings; text longer than its documented maximum; the security
//! headers on every kind of response.
//!
//! The NUL cases are real HTTP through the real router on both databases:
//! PostgreSQL refuses NUL in text ("invalid byte sequence for encoding UTF8:
//! 0x00"), so a NUL that got through would be a 500 there and stored text on
//! SQLite. Either way the request must be a 4xx naming the field.

use crate::common::{client, csrf_in, ids, log_in_to, payments_spec, staff, Api, TestApp};
use ladder_core::access::Role;
use ladder_server::ServerConfig;
use ladder_store::testing::TestDatabase;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// The policy every response carries: no inline script, no framing.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn api<'a>(app: &'a TestApp, token: &str) -> Api<'a> {
    Api {
        app,
        token: token.to_string(),
        http: client(),
    }
}

/// A 422 naming `field` whose message speaks of the NUL character.
fn assert_nul_refused(label: &str, what: &str, status: StatusCode, body: &Value, field: &str) {
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "[{label}] {what}: {body}"
    );
    assert_eq!(body["error"]["field"], field, "[{label}] {what}: {body}");
    let message = body["error"]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("NUL character (U+0000)"),
        "[{label}] {what}: {body}"
    );
}

/// The page a form with a NUL in `field` gets: a 422 naming the field.
async fn assert_nul_form_refused(
    label: &str,
    what: &str,
    response: reqwest::Response,
    field: &str,
) {
    let status = response.status();
    let html = response.text().await.expect("html");
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "[{label}] {what}: {html}"
    );
    assert!(
        html.contains(&format!(
            "The field “{field}” contains a NUL character (U+0000)"
        )),
        "[{label}] {what}: {html}"
    );
}

/// A published payments spec: its id and body.
async fn published(hm: &Api<'_>) -> (String, Value) {
    let (status, spec) = hm.post("/api/v1/job-specs", payments_spec()).await;
    assert_eq!(status, StatusCode::CREATED, "{spec}");
    let id = spec["id"].as_str().expect("id").to_string();
    let (status, spec) = hm
        .post(&format!("/api/v1/job-specs/{id}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{spec}");
    (id, spec)
}

/// Invites a candidate; the interview id and the secret from their link.
async fn invite(hm: &Api<'_>, spec_id: &str, email: &str) -> (String, String) {
    let (status, invited) = hm
        .post(
            &format!("/api/v1/job-specs/{spec_id}/interviews"),
            json!({"candidate_name": "Ada Lovelace", "candidate_email": email}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    let url = invited["candidate_url"].as_str().expect("candidate url");
    let token = url.trim_start_matches("/candidate/").to_string();
    let interview = invited["interview"]["id"]
        .as_str()
        .expect("interview id")
        .to_string();
    (interview, token)
}

async fn nul_characters_are_refused_at_the_edge(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let label = app.label;
    let (_, hm_token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let (_, admin_token) = staff(&app, "root@example.com", Role::Admin).await;
    let hm = api(&app, &hm_token);
    let admin = api(&app, &admin_token);
    let (spec_id, spec) = published(&hm).await;
    let round1 = ids(&spec["round1"]);

    // JSON bodies: the field path is named, however deep.
    let (status, body) = hm
        .post(
            &format!("/api/v1/job-specs/{spec_id}/interviews"),
            json!({"candidate_name": "Ada\u{0}Lovelace", "candidate_email": "ada@example.com"}),
        )
        .await;
    assert_nul_refused(label, "invite name", status, &body, "candidate_name");
    let mut with_nul = payments_spec();
    with_nul["competencies"][2]["name"] = json!("Domain\u{0}Ownership");
    let (status, body) = hm.post("/api/v1/job-specs", with_nul).await;
    assert_nul_refused(
        label,
        "competency name",
        status,
        &body,
        "competencies[2].name",
    );
    let (status, body) = admin
        .post(
            "/api/v1/users",
            json!({"email": "eve\u{0}@example.com", "role": "member"}),
        )
        .await;
    assert_nul_refused(label, "user e-mail", status, &body, "email");

    // The candidate's answer, through the API and through the page.
    let (_, secret) = invite(&hm, &spec_id, "ada@example.com").await;
    let candidate = api(&app, "");
    let (status, body) = candidate
        .post(
            &format!("/api/v1/candidate/{secret}/answers"),
            json!({"round": 1, "item_id": round1[0], "text": "my\u{0}answer"}),
        )
        .await;
    assert_nul_refused(label, "candidate answer", status, &body, "text");
    let response = client()
        .post(app.url(&format!("/candidate/{secret}/answers")))
        .form(&[
            ("round", "1"),
            ("item_id", round1[0].as_str()),
            ("text", "my\u{0}answer"),
        ])
        .send()
        .await
        .expect("answer form");
    assert_nul_form_refused(label, "candidate answer form", response, "text").await;
    let (_, view) = candidate.get(&format!("/api/v1/candidate/{secret}")).await;
    assert_eq!(
        view["progress"]["round1_answered"], 0,
        "[{label}] nothing was stored: {view}"
    );

    // CSV uploads: the line of the cell.
    let response = client()
        .post(app.url(&format!("/api/v1/job-specs/{spec_id}/interviews/csv")))
        .bearer_auth(&hm_token)
        .header("content-type", "text/csv")
        .body("name,email\nAda,ada2@example.com\nGrace\u{0}Hopper,grace@example.com\n")
        .send()
        .await
        .expect("csv");
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] {body}");
    let message = body["error"]["message"].as_str().unwrap_or("");
    assert!(
        message.starts_with("line 3:") && message.contains("NUL character (U+0000)"),
        "[{label}] {body}"
    );

    // The admin page's form.
    app.user("admin@example.com", Role::Admin, "correct horse battery")
        .await;
    let browser = client();
    let login = log_in_to(
        &browser,
        &app,
        "admin@example.com",
        "correct horse battery",
        "/",
    )
    .await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER, "[{label}] log in");
    let page = browser
        .get(app.url("/admin/users"))
        .send()
        .await
        .expect("users page")
        .text()
        .await
        .expect("html");
    let csrf = csrf_in(&page).expect("csrf");
    let response = browser
        .post(app.url("/admin/users"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "eve\u{0}@example.com"),
            ("role", "member"),
        ])
        .send()
        .await
        .expect("add user form");
    assert_nul_form_refused(label, "admin page e-mail", response, "email").await;
    let (_, users) = admin.get("/api/v1/users").await;
    assert!(
        !users.to_string().contains("eve"),
        "[{label}] no user was created: {users}"
    );

    // An assessment note.
    let (_, manager_token) = staff(&app, "grace@example.com", Role::Manager).await;
    let (person, person_token) = staff(&app, "ken@example.com", Role::Member).await;
    let manager = api(&app, &manager_token);
    let member = api(&app, &person_token);
    let base = format!("/api/v1/people/{}", person.id);
    let (status, placed) = manager
        .post(
            &format!("{base}/placements"),
            json!({"framework": "engineering-backend", "level": 1, "target_level": 2}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "[{label}] {placed}");
    let (status, draft) = member
        .post(&format!("{base}/assessments"), json!({"kind": "self"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "[{label}] {draft}");
    let (_, framework) = member.get("/api/v1/frameworks/engineering-backend").await;
    let criterion = framework["framework"]["topics"][0]["levels"][0]["criteria"][0]["id"]
        .as_str()
        .expect("a criterion id")
        .to_string();
    let (status, body) = member
        .send(
            Method::PUT,
            &format!("{base}/assessments/{}/marks", draft["id"].as_str().expect("id")),
            Some(json!({"marks": [{"criterion_id": criterion, "rating": "sometimes", "note": "shipped\u{0}it"}]})),
        )
        .await;
    assert_nul_refused(label, "assessment note", status, &body, "marks[0].note");
    // Their lengths were bounded before; they still are, by the same table.
    let (status, body) = member
        .send(
            Method::PUT,
            &format!("{base}/assessments/{}/marks", draft["id"].as_str().expect("id")),
            Some(json!({"marks": [{"criterion_id": criterion, "rating": "sometimes", "note": "n".repeat(10_001)}]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] {body}");
    assert_eq!(body["error"]["field"], "marks[0].note");
    let (status, body) = manager
        .post(
            &format!("{base}/placements"),
            json!({"framework": "engineering-backend", "level": 1, "target_level": 2, "note": "n".repeat(10_001)}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] {body}");
    assert_eq!(body["error"]["field"], "note");
    let (status, body) = manager
        .post(
            &format!("{base}/placements"),
            json!({"framework": "engineering-backend", "level": 1, "target_level": 3, "note": "a\u{0}b"}),
        )
        .await;
    assert_nul_refused(label, "placement note", status, &body, "note");
    let (status, body) = admin
        .post(
            "/api/v1/users",
            json!({"email": format!("{}@example.com", "e".repeat(243)), "role": "member"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "[{label}] 255 characters: {body}"
    );
    assert_eq!(body["error"]["field"], "email");

    // Paths and query strings: 400 JSON for the API, the 404 page for pages.
    let response = client()
        .get(app.url("/api/v1/interviews/%00"))
        .bearer_auth(&hm_token)
        .send()
        .await
        .expect("path");
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, StatusCode::BAD_REQUEST, "[{label}] {body}");
    assert_eq!(body["error"]["field"], "id", "[{label}] {body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("NUL character")),
        "[{label}] {body}"
    );
    let response = client()
        .get(app.url(&format!("/api/v1/job-specs/{spec_id}?version=v1%00")))
        .bearer_auth(&hm_token)
        .send()
        .await
        .expect("query");
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, StatusCode::BAD_REQUEST, "[{label}] {body}");
    assert_eq!(body["error"]["field"], "version", "[{label}] {body}");
    let response = browser
        .get(app.url("/interviews/%00"))
        .send()
        .await
        .expect("page path");
    assert_eq!(
        response.status(),
        StatusCode::NOT_FOUND,
        "[{label}] page path"
    );
    let html = response.text().await.expect("html");
    assert!(
        html.contains("There is no page at this address."),
        "[{label}] {html}"
    );
    let response = browser
        .get(app.url(&format!("/job-specs/{spec_id}?version=%00")))
        .send()
        .await
        .expect("page query");
    assert_eq!(
        response.status(),
        StatusCode::NOT_FOUND,
        "[{label}] page query"
    );
    let response = client()
        .get(app.url("/candidate/%00"))
        .send()
        .await
        .expect("candidate path");
    assert_eq!(
        response.status(),
        StatusCode::NOT_FOUND,
        "[{label}] candidate path"
    );
    app.stop().await;
}

on_each_database!(nul_characters_are_refused_at_the_edge);

/// A speech-to-text endpoint (the OpenAI wire format) that hears a NUL.
async fn stt_hearing_nul() -> String {
    let router = axum::Router::new().fallback(|| async {
        axum::Json(json!({"text": "I would\u{0} retry with the same key."}))
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{address}")
}

/// What a candidate did not type never brings a NUL in: a transcript is
/// kept (and answers with) the text without it.
async fn transcripts_lose_their_nul_characters(database: TestDatabase) {
    ladder_server::clients::install_crypto_provider();
    let config = ServerConfig {
        stt: Some(ladder_server::clients::stt::SttConfig {
            url: stt_hearing_nul().await,
            model: "whisper-test".into(),
            api_key: None,
            timeout: std::time::Duration::from_secs(5),
        }),
        ..ServerConfig::default()
    };
    let app = TestApp::spawn_with(database, config).await;
    let label = app.label;
    let (_, hm_token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let hm = api(&app, &hm_token);
    let (spec_id, spec) = published(&hm).await;
    let (_, secret) = invite(&hm, &spec_id, "ada@example.com").await;
    // A WebM file as far as its magic bytes go.
    let mut webm = vec![0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81];
    webm.extend_from_slice(b"SPOKEN");
    let response = client()
        .post(app.url(&format!("/api/v1/candidate/{secret}/audio")))
        .header("content-type", "audio/webm")
        .body(webm)
        .send()
        .await
        .expect("upload");
    let status = response.status();
    let uploaded: Value = response.json().await.expect("json");
    assert_eq!(status, StatusCode::CREATED, "[{label}] {uploaded}");
    assert_eq!(
        uploaded["transcript"], "I would retry with the same key.",
        "[{label}]"
    );
    let (status, answered) = api(&app, "")
        .post(
            &format!("/api/v1/candidate/{secret}/answers"),
            json!({"round": 1, "item_id": ids(&spec["round1"])[0], "text": "", "audio_id": uploaded["audio_id"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "[{label}] {answered}");
    assert_eq!(
        answered["answer"]["text"],
        "I would retry with the same key."
    );
    app.stop().await;
}

on_each_database!(transcripts_lose_their_nul_characters);

/// `n` characters of `c`.
fn text(c: char, n: usize) -> String {
    std::iter::repeat_n(c, n).collect()
}

async fn text_longer_than_its_maximum_is_refused_with_the_field(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let label = app.label;
    let (_, hm_token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let hm = api(&app, &hm_token);

    // The job spec: every text field at its maximum is fine, one more is not.
    let mut longest = payments_spec();
    longest["title"] = json!(text('t', 200));
    longest["seniority"] = json!(text('s', 100));
    longest["description"] = json!(text('d', 20_000));
    longest["competencies"][0]["name"] = json!(text('n', 200));
    longest["competencies"][0]["id"] = json!("a_long_but_valid_id");
    longest["competencies"][0]["definition"] = json!(text('f', 10_000));
    longest["must_haves"][0]["text"] = json!(text('m', 1_000));
    let (status, created) = hm.post("/api/v1/job-specs", longest.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "[{label}] at the maximum");
    let spec_id = created["id"].as_str().expect("id").to_string();
    for (path, field, too_long) in [
        ("/title", "title", json!(text('t', 201))),
        // The case: 7 MiB of title.
        ("/title", "title", json!(text('t', 7 * 1024 * 1024))),
        ("/seniority", "seniority", json!(text('s', 101))),
        ("/description", "description", json!(text('d', 20_001))),
        (
            "/competencies/0/name",
            "competencies[0].name",
            json!(text('n', 201)),
        ),
        (
            "/competencies/0/definition",
            "competencies[0].definition",
            json!(text('f', 10_001)),
        ),
        (
            "/must_haves/0/text",
            "must_haves[0].text",
            json!(text('m', 1_001)),
        ),
    ] {
        let mut spec = longest.clone();
        *spec.pointer_mut(path).expect("path") = too_long;
        let (status, body) = hm.post("/api/v1/job-specs", spec.clone()).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{label}] {field}: {}",
            body.to_string().chars().take(300).collect::<String>()
        );
        assert_eq!(body["error"]["field"], field, "[{label}] {}", body["error"]);
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("at most") && m.len() < 400),
            "[{label}] the message says the maximum and does not repeat the text: {}",
            body["error"]
        );
    }
    // Editing says the same; a round item too.
    let (status, body) = hm
        .send(
            Method::PUT,
            &format!("/api/v1/job-specs/{spec_id}"),
            Some(json!({"title": text('t', 201)})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] {body}");
    assert_eq!(body["error"]["field"], "title");
    let (status, body) = hm
        .post(
            &format!("/api/v1/job-specs/{spec_id}/rounds/1/items"),
            json!({"text": text('q', 2_001)}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] {body}");
    assert_eq!(body["error"]["field"], "text", "[{label}] {body}");

    // The editor page says it at the field, keeping what was typed.
    app.user(
        "editor@example.com",
        Role::HiringManager,
        "correct horse battery",
    )
    .await;
    let browser = client();
    let login = log_in_to(
        &browser,
        &app,
        "editor@example.com",
        "correct horse battery",
        "/",
    )
    .await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER, "[{label}] log in");
    let editor = browser
        .get(app.url(&format!("/job-specs/{spec_id}/edit")))
        .send()
        .await
        .expect("editor")
        .text()
        .await
        .expect("html");
    let csrf = csrf_in(&editor).expect("csrf");
    let long_title = text('t', 201);
    let response = browser
        .post(app.url(&format!("/job-specs/{spec_id}/edit")))
        .form(&[("csrf", csrf.as_str()), ("title", long_title.as_str())])
        .send()
        .await
        .expect("edit");
    assert_eq!(
        response.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "[{label}]"
    );
    let page = response.text().await.expect("html");
    assert!(
        page.contains("<p class=\"error\" data-field=\"title\""),
        "[{label}] {page}"
    );
    assert!(
        page.contains("at most 200 characters, and it has 201"),
        "[{label}]"
    );
    let (_, draft) = hm
        .get(&format!("/api/v1/job-specs/{spec_id}?version=draft"))
        .await;
    assert_eq!(
        draft["title"].as_str().map(|t| t.chars().count()),
        Some(200),
        "[{label}] nothing was saved"
    );

    // Uploaded frameworks: the file name, the titles, NUL by line.
    let (_, admin_token) = staff(&app, "root@example.com", Role::Admin).await;
    let admin = api(&app, &admin_token);
    let framework = |title: &str| {
        format!("---\npath: /x/long\ntitle: \"{title}\"\nyaml: true\nlevels: 1\ntopics:\n  - name: craft\n    title: Craft\n    content:\n      - level: 1\n        criteria: [\"Ships\"]\n---\n")
    };
    for (upload, field, says) in [
        (
            json!({"file_name": text('f', 256), "content": framework("Fine")}),
            "file_name",
            "the file name is too long: at most 255 characters",
        ),
        (
            json!({"file_name": "long.md", "content": framework(&text('t', 201))}),
            "content",
            "long.md: `title`: the title is too long: at most 200 characters",
        ),
    ] {
        let (status, body) = admin.post("/api/v1/frameworks", upload).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] {body}");
        assert_eq!(body["error"]["field"], field, "[{label}] {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with(says)),
            "[{label}] {body}"
        );
    }
    let response = client()
        .post(app.url("/api/v1/frameworks"))
        .bearer_auth(&admin_token)
        .header("content-type", "text/markdown")
        .body(framework("Fine").replace("Ships", "Ships\u{0}"))
        .send()
        .await
        .expect("raw upload");
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] {body}");
    assert_eq!(body["error"]["field"], "content");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("upload.md, line 11: a NUL character (U+0000)")),
        "[{label}] {body}"
    );
    let (status, listed) = admin.get("/api/v1/frameworks/x-long").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "[{label}] nothing was imported: {listed}"
    );

    // Candidates, answers and scorecards.
    let (spec_id, spec) = published(&hm).await;
    let (status, body) = hm
        .post(
            &format!("/api/v1/job-specs/{spec_id}/interviews"),
            json!({"candidate_name": text('a', 201), "candidate_email": "ada@example.com"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] {body}");
    assert_eq!(body["error"]["field"], "candidate_name");
    let long_email = format!("{}@example.com", text('a', 243));
    assert_eq!(long_email.len(), 255);
    let (status, body) = hm
        .post(
            &format!("/api/v1/job-specs/{spec_id}/interviews"),
            json!({"candidate_name": "Ada", "candidate_email": long_email}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] {body}");
    assert_eq!(body["error"]["field"], "candidate_email");
    let (interview, secret) = invite(&hm, &spec_id, "ada@example.com").await;
    let round1 = ids(&spec["round1"]);
    let (status, body) = api(&app, "")
        .post(
            &format!("/api/v1/candidate/{secret}/answers"),
            json!({"round": 1, "item_id": round1[0], "text": text('x', 20_001)}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] {body}");
    assert_eq!(body["error"]["field"], "text");
    let competencies = ids(&spec["competencies"]);
    let scorecards = format!("/api/v1/interviews/{interview}/scorecards");
    let (status, body) = hm
        .post(
            &scorecards,
            json!({"scores": [{"competency_id": competencies[0], "score": 50, "evidence": text('e', 10_001)}]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] {body}");
    assert_eq!(body["error"]["field"], "scores[0].evidence");
    let (status, body) = hm
        .post(&scorecards, json!({"notes": text('n', 20_001)}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] {body}");
    assert_eq!(body["error"]["field"], "notes");
    let (status, body) = hm
        .post(
            &scorecards,
            json!({"scores": [{"competency_id": competencies[0], "score": 50, "evidence": text('e', 10_000)}], "notes": text('n', 20_000)}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "[{label}] at the maximum: {}",
        body["error"]
    );
    app.stop().await;
}

on_each_database!(text_longer_than_its_maximum_is_refused_with_the_field);

/// The security headers of one response; HSTS as `expect_hsts` says.
fn assert_security_headers(what: &str, response: &reqwest::Response, expect_hsts: bool) {
    let headers = response.headers();
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    assert_eq!(
        get("content-security-policy").as_deref(),
        Some(CSP),
        "{what}"
    );
    assert_eq!(get("x-frame-options").as_deref(), Some("DENY"), "{what}");
    assert_eq!(
        get("referrer-policy").as_deref(),
        Some("same-origin"),
        "{what}"
    );
    assert_eq!(
        get("x-content-type-options").as_deref(),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        get("strict-transport-security").as_deref(),
        expect_hsts.then_some("max-age=31536000"),
        "{what}"
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    assert!(
        !CSP.split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .expect("a script-src")
            .contains("unsafe"),
        "script-src allows inline or eval'd script"
    );
    let app = TestApp::spawn(TestDatabase::sqlite()).await;
    let http = client();
    let mut kinds = Vec::new();
    for (what, path, status) in [
        ("page", "/", StatusCode::OK),
        ("API JSON", "/api/v1/frameworks", StatusCode::OK),
        ("static CSS", "/static/app.css", StatusCode::OK),
        ("static JS", "/static/app.js", StatusCode::OK),
        ("page 404", "/no/such/page", StatusCode::NOT_FOUND),
        ("API 404", "/api/v1/no-such-thing", StatusCode::NOT_FOUND),
        ("API 401", "/api/v1/users", StatusCode::UNAUTHORIZED),
        (
            "401 redirect to log in",
            "/job-specs",
            StatusCode::SEE_OTHER,
        ),
        ("API 400", "/api/v1/interviews/%00", StatusCode::BAD_REQUEST),
        ("health", "/healthz", StatusCode::OK),
    ] {
        let response = http.get(app.url(path)).send().await.expect(what);
        assert_eq!(response.status(), status, "{what}");
        assert_security_headers(what, &response, false);
        // Behind a proxy that terminated TLS, browsers are told to stay on it.
        let response = http
            .get(app.url(path))
            .header("x-forwarded-proto", "https")
            .send()
            .await
            .expect(what);
        assert_security_headers(&format!("{what} over https"), &response, true);
        kinds.push(what);
    }
    assert_eq!(kinds.len(), 10);
    app.stop().await;

    // `secure_cookies` says the site is HTTPS even without the proxy header.
    let config = ServerConfig {
        secure_cookies: true,
        ..ServerConfig::default()
    };
    let app = TestApp::spawn_with(TestDatabase::sqlite(), config).await;
    for path in ["/", "/api/v1/frameworks", "/static/app.css", "/nope"] {
        let response = http.get(app.url(path)).send().await.expect(path);
        assert_security_headers(path, &response, true);
    }
    app.stop().await;
}
