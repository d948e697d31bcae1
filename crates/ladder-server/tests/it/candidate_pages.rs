//! The candidate's interview page over real HTTP on every backend, driven like
//! a browser without JavaScript (no login, no cookies): Round 01 in any order,
//! Round 02 one prompt at a time, refusals re-rendered with the typed text,
//! finishing, and the pages for unknown and withdrawn links.

use crate::common::ids;
use crate::common::{client, TestApp};
use ladder_core::access::Role;
use ladder_store::testing::TestDatabase;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn seed_spec() -> Value {
    json!({
        "title": "Senior Backend Engineer — Payments Platform",
        "seniority": "senior",
        "description": "Own the services that move money.",
        "framework": {"slug": "engineering-backend", "level": 4},
        "competencies": [
            {"name": "Distributed Systems Rigor", "weight": 0.35, "definition": "Consensus and idempotent design."},
            {"name": "Postgres Transactional Design", "weight": "0.25", "definition": "Ledgers."},
            {"name": "Domain Ownership & Reliability", "weight": "25%", "definition": "Incidents."},
            {"name": "Payments Domain Expertise", "weight": 0.15, "definition": "Rails."}
        ],
        "must_haves": [
            {"text": "5+ years building production backend systems", "required": true}
        ]
    })
}

async fn api_post(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let response = client()
        .post(app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A job spec created and published through the API.
async fn published_spec(app: &TestApp, manager: &str) -> Value {
    let (status, spec) = api_post(app, manager, "/api/v1/job-specs", seed_spec()).await;
    assert_eq!(status, StatusCode::CREATED, "{spec}");
    let id = spec["id"].as_str().expect("id");
    let (status, published) = api_post(
        app,
        manager,
        &format!("/api/v1/job-specs/{id}/publish"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    published
}

/// (interview id, candidate token)
async fn invite(app: &TestApp, manager: &str, spec_id: &str, email: &str) -> (String, String) {
    let (status, invited) = api_post(
        app,
        manager,
        &format!("/api/v1/job-specs/{spec_id}/interviews"),
        json!({"candidate_name": "Ada Lovelace", "candidate_email": email}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    (
        invited["interview"]["id"].as_str().expect("id").to_string(),
        invited["candidate_token"]
            .as_str()
            .expect("token")
            .to_string(),
    )
}

async fn get(http: &reqwest::Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = http.get(app.url(path)).send().await.expect("get");
    let status = response.status();
    (status, response.text().await.expect("html"))
}

async fn post_form(
    http: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
) -> (StatusCode, Option<String>, String) {
    let response = http
        .post(app.url(path))
        .form(form)
        .send()
        .await
        .expect("post");
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (status, location, response.text().await.expect("html"))
}

fn form_hook(round: u32, item: &str) -> String {
    format!("data-round=\"{round}\" data-item=\"{item}\"")
}

/// The `<section id="round2">…</section>` part of a page.
fn round2_section(html: &str) -> &str {
    let start = html
        .find("<section id=\"round2\"")
        .expect("round 2 section");
    let rest = &html[start..];
    &rest[..rest.find("</section>").expect("section end")]
}

async fn a_candidate_takes_the_interview_in_the_browser(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let label = app.label;
    let manager = app.token(Role::HiringManager).await;
    let spec = published_spec(&app, &manager).await;
    let spec_id = spec["id"].as_str().expect("id").to_string();
    let round1 = ids(&spec["round1"]);
    let round2 = ids(&spec["round2"]);
    let competencies = ids(&spec["competencies"]);
    // The defaults: three Round 01 questions and four Round 02 prompts.
    assert_eq!((round1.len(), round2.len()), (3, 4), "{spec}");
    let (_, token) = invite(&app, &manager, &spec_id, "ada@example.com").await;
    let http = client();
    let page = format!("/candidate/{token}");
    let answers = format!("{page}/answers");

    let never_leaks = |html: &str| {
        assert!(!html.to_lowercase().contains("weight"), "[{label}] {html}");
        for id in &competencies {
            assert!(
                !html.contains(id.as_str()),
                "[{label}] competency {id} in {html}"
            );
        }
    };

    // The first visit: every question, only the first prompt.
    let (status, html) = get(&http, &app, &page).await;
    assert_eq!(status, StatusCode::OK, "[{label}] {html}");
    assert!(html.contains("Senior Backend Engineer"));
    assert!(html.contains("senior"));
    assert!(!html.contains("class=\"sidebar\""), "no staff chrome");
    for item in &round1 {
        assert!(html.contains(&form_hook(1, item)), "[{label}] {item}");
    }
    assert!(html.contains(&form_hook(2, &round2[0])));
    for item in &round2[1..] {
        assert!(
            !html.contains(item.as_str()),
            "[{label}] {item} shown early"
        );
    }
    let section = round2_section(&html);
    assert!(section.contains("current-prompt"));
    assert!(
        section.contains("<p class=\"progress\">Prompt 1 of"),
        "{section}"
    );
    assert!(html.contains("class=\"finish\""));
    never_leaks(&html);

    // Round 01 in any order; a double submit keeps the first answer.
    for item in round1.iter().rev() {
        let text = format!("my answer to {item}");
        let form = [("round", "1"), ("item_id", item.as_str()), ("text", &text)];
        let (status, location, body) = post_form(&http, &app, &answers, &form).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "[{label}] {body}");
        assert_eq!(location.as_deref(), Some(format!("{page}#round1").as_str()));
    }
    let form = [
        ("round", "1"),
        ("item_id", round1[0].as_str()),
        ("text", "a second try"),
    ];
    let (status, _, _) = post_form(&http, &app, &answers, &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "a double submit is harmless");
    let (_, html) = get(&http, &app, &page).await;
    assert!(
        !html.contains(&form_hook(1, &round1[0])),
        "answered: no form"
    );
    assert!(html.contains(&format!("my answer to {}", round1[0])));
    assert!(!html.contains("a second try"));

    // An empty answer is refused with 422 on the page.
    let form = [
        ("round", "2"),
        ("item_id", round2[0].as_str()),
        ("text", "  "),
    ];
    let (status, _, html) = post_form(&http, &app, &answers, &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] {html}");
    assert!(html.contains("<p class=\"error\""), "{html}");

    // Skipping ahead in Round 02: 409, the message, the typed text kept.
    let form = [
        ("round", "2"),
        ("item_id", round2[1].as_str()),
        ("text", "skipping <ahead>"),
    ];
    let (status, _, html) = post_form(&http, &app, &answers, &form).await;
    assert_eq!(status, StatusCode::CONFLICT, "[{label}] {html}");
    assert!(html.contains("<p class=\"error\""));
    assert!(html.contains("answer prompt 1 first"), "{html}");
    assert!(html.contains("skipping &#60;ahead&#62;") || html.contains("skipping &lt;ahead&gt;"));
    assert!(!html.contains(&form_hook(2, &round2[1])));
    never_leaks(&html);

    // Prompt 1, then prompt 2 is shown (and not prompt 3).
    let form = [
        ("round", "2"),
        ("item_id", round2[0].as_str()),
        ("text", "first prompt\r\nanswered"),
    ];
    let (status, location, _) = post_form(&http, &app, &answers, &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some(format!("{page}#round2").as_str()));
    let (status, html) = get(&http, &app, &page).await;
    assert_eq!(status, StatusCode::OK);
    let section = round2_section(&html);
    assert_eq!(
        section.matches("class=\"prompt answered\"").count(),
        1,
        "{section}"
    );
    assert!(section.contains("first prompt\nanswered"));
    assert!(section.contains(&form_hook(2, &round2[1])));
    assert!(!html.contains(round2[2].as_str()), "prompt 3 not yet");
    assert!(
        section.contains("<p class=\"progress\">Prompt 2 of"),
        "{section}"
    );
    never_leaks(&html);

    // Finish (at any time) → thank you; the page stays a thank-you.
    let (status, location, _) = post_form(&http, &app, &format!("{page}/finish"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "[{label}]");
    assert_eq!(location.as_deref(), Some(page.as_str()));
    let (status, html) = get(&http, &app, &page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Thank you"), "{html}");
    assert!(!html.contains("<form"), "no more answering");
    let (status, _, _) = post_form(&http, &app, &format!("{page}/finish"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "finishing twice is harmless");
    app.stop().await;
}

on_each_database!(a_candidate_takes_the_interview_in_the_browser);

async fn unknown_and_withdrawn_links_get_a_clear_page(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let label = app.label;
    let http = client();
    let (status, html) = get(&http, &app, "/candidate/not-a-real-token").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "[{label}] {html}");
    assert!(html.contains("not valid"));
    let (status, _, _) = post_form(
        &http,
        &app,
        "/candidate/not-a-real-token/answers",
        &[("round", "1"), ("item_id", "x"), ("text", "y")],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let manager = app.token(Role::HiringManager).await;
    let spec = published_spec(&app, &manager).await;
    let spec_id = spec["id"].as_str().expect("id").to_string();
    let (interview, token) = invite(&app, &manager, &spec_id, "bob@example.com").await;
    let (status, body) = api_post(
        &app,
        &manager,
        &format!("/api/v1/interviews/{interview}/withdraw"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let page = format!("/candidate/{token}");
    let (status, html) = get(&http, &app, &page).await;
    assert_eq!(status, StatusCode::GONE, "[{label}] {html}");
    assert!(html.contains("withdrawn"));
    assert!(
        !html.contains("Senior Backend Engineer"),
        "nothing about the job"
    );
    let (status, _, _) = post_form(&http, &app, &format!("{page}/finish"), &[]).await;
    assert_eq!(status, StatusCode::GONE);
    app.stop().await;
}

on_each_database!(unknown_and_withdrawn_links_get_a_clear_page);
