//! The interview web pages over real HTTP on every backend, as a browser
//! uses them (session cookie + CSRF field): inviting through the form, the
//! live performance page before and after a scored interview, the scorecard
//! form, and who may see what.

use crate::common::ids;
use crate::common::{client, csrf_in, TestApp};
use ladder_core::access::Role;
use ladder_store::testing::TestDatabase;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A logged-in browser.
async fn log_in(http: &reqwest::Client, app: &TestApp, email: &str, password: &str) {
    let response = crate::common::log_in_to(http, app, email, password, "/").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "login {email}");
}

async fn browser(app: &TestApp, email: &str, role: Role) -> reqwest::Client {
    let password = "a long enough password";
    app.user(email, role, password).await;
    let http = client();
    log_in(&http, app, email, password).await;
    http
}

async fn page(http: &reqwest::Client, app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = http.get(app.url(path)).send().await.expect("get");
    let status = response.status();
    (status, response.text().await.expect("html"))
}

async fn post_form(
    http: &reqwest::Client,
    app: &TestApp,
    path: &str,
    form: &[(String, String)],
) -> reqwest::Response {
    http.post(app.url(path))
        .form(form)
        .send()
        .await
        .expect("post")
}

async fn api(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let mut request = client().post(app.url(path)).json(&body);
    if !token.is_empty() {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("api");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The text of `<dd data-figure="name">…</dd>`.
fn figure(html: &str, name: &str) -> String {
    let marker = format!("data-figure=\"{name}\">");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no figure {name} in {html}"));
    let rest = &html[at + marker.len()..];
    rest.split('<').next().unwrap_or_default().to_string()
}

/// The `<li class="competency-figure" data-competency="id">` element's text.
fn competency_line(html: &str, id: &str) -> String {
    let marker = format!("class=\"competency-figure\" data-competency=\"{id}\">");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no competency {id} in {html}"));
    let rest = &html[at + marker.len()..];
    let li = rest.split("</li>").next().unwrap_or_default();
    // Strip the inner tags.
    let mut text = String::new();
    let mut in_tag = false;
    for c in li.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

async fn invite_score_and_watch_the_figures_move(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let label = app.label;
    let manager_token = app.token(Role::HiringManager).await;
    let (status, spec) = api(
        &app,
        &manager_token,
        "/api/v1/job-specs",
        json!({
            "title": "Senior Backend Engineer — Payments Platform",
            "seniority": "senior",
            "description": "Own the services that move money.",
            "competencies": [
                {"name": "Distributed Systems Rigor", "weight": 0.35, "definition": "Consensus."},
                {"name": "Postgres Transactional Design", "weight": "0.25", "definition": "Ledgers."},
                {"name": "Domain Ownership & Reliability", "weight": "25%", "definition": "Incidents."},
                {"name": "Payments Domain Expertise", "weight": 0.15, "definition": "Rails."}
            ],
            "must_haves": [
                {"text": "5+ years building production backend systems", "required": true},
                {"text": "Strong SQL and schema design on PostgreSQL", "required": true}
            ]
        }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "[{label}] {spec}");
    let id = spec["id"].as_str().expect("id").to_string();
    let list_path = format!("/job-specs/{id}/interviews");
    let performance_path = format!("/job-specs/{id}/performance");

    let hm = browser(&app, "hm@example.com", Role::HiringManager).await;

    // Before publishing, inviting is refused with a reason.
    let (status, list) = page(&hm, &app, &list_path).await;
    assert_eq!(status, StatusCode::OK, "[{label}] {list}");
    let csrf = csrf_in(&list).expect("csrf");
    let early = post_form(
        &hm,
        &app,
        &list_path,
        &pairs(&[
            ("csrf", &csrf),
            ("candidate_name", "Ada Lovelace"),
            ("candidate_email", "ada@example.com"),
        ]),
    )
    .await;
    assert_eq!(early.status(), StatusCode::CONFLICT);
    let body = early.text().await.expect("html");
    assert!(
        body.contains("class=\"error\"") && body.contains("publish"),
        "{body}"
    );

    let (status, published) = api(
        &app,
        &manager_token,
        &format!("/api/v1/job-specs/{id}/publish"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    let competencies = ids(&published["competencies"]);
    assert_eq!(competencies.len(), 4);

    // The spec page links here.
    let (_, spec_page) = page(&hm, &app, &format!("/job-specs/{id}")).await;
    assert!(
        spec_page.contains(&format!("href=\"{list_path}\"")),
        "{spec_page}"
    );
    assert!(spec_page.contains(&format!("href=\"{performance_path}\"")));

    // A bad e-mail comes back at its field, with what was typed.
    let bad = post_form(
        &hm,
        &app,
        &list_path,
        &pairs(&[
            ("csrf", &csrf),
            ("candidate_name", "Ada Lovelace"),
            ("candidate_email", "not-an-email"),
        ]),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = bad.text().await.expect("html");
    assert!(
        body.contains("class=\"error\" role=\"alert\" data-field=\"candidate_email\""),
        "{body}"
    );
    assert!(body.contains("value=\"Ada Lovelace\""));

    // Inviting shows the candidate's link once.
    let invited = post_form(
        &hm,
        &app,
        &list_path,
        &pairs(&[
            ("csrf", &csrf),
            ("candidate_name", "Ada Lovelace"),
            ("candidate_email", "ada@example.com"),
        ]),
    )
    .await;
    assert_eq!(invited.status(), StatusCode::CREATED);
    let body = invited.text().await.expect("html");
    let at = body.find("id=\"candidate-link\"").expect("link");
    let link = body[at..]
        .split("value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("value")
        .to_string();
    let token = link
        .strip_prefix(&format!("{}/candidate/", app.base))
        .expect("the whole candidate link");
    assert_eq!(token.len(), 43, "256 random bits, base64url: {link}");
    let (_, list) = page(&hm, &app, &list_path).await;
    assert!(
        !list.contains("candidate-link") && !list.contains(token),
        "shown once"
    );
    assert_eq!(list.matches("<tr data-interview=").count(), 1, "{list}");
    let interview_id = list
        .split("<tr data-interview=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("interview id")
        .to_string();
    assert!(list.contains("Ada Lovelace"));
    assert!(list.contains(&format!("href=\"/interviews/{interview_id}\"")));

    // The seed's block before anything happened.
    let (status, figures) = page(&hm, &app, &performance_path).await;
    assert_eq!(status, StatusCode::OK, "{figures}");
    assert_eq!(figure(&figures, "interviews"), "1");
    assert_eq!(figure(&figures, "completed"), "0");
    assert_eq!(figure(&figures, "avg-score"), "—");
    assert_eq!(figure(&figures, "completion"), "0% · 0 of 1");
    for competency in &competencies {
        let line = competency_line(&figures, competency);
        assert!(line.ends_with("n=0") && line.contains("—"), "{line}");
    }
    assert!(competency_line(&figures, &competencies[0]).contains("weight 0.35"));
    assert!(figures.contains("<svg class=\"distribution\""));
    assert!(figures.contains("<title id=\"distribution-title\">"));
    let (status, _) = page(&hm, &app, &format!("{performance_path}?version=99")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The candidate answers everything and finishes.
    let me = format!("/api/v1/candidate/{token}");
    for (round, items) in [(1, &published["round1"]), (2, &published["round2"])] {
        for item in ids(items) {
            let (status, body) = api(
                &app,
                "",
                &format!("{me}/answers"),
                json!({"round": round, "item_id": item, "text": format!("answer to {item}")}),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
    }
    let (status, body) = api(&app, "", &format!("{me}/finish"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Interviewers: one assigned, one not; members see nothing.
    let assigned = browser(&app, "iv1@example.com", Role::Interviewer).await;
    let outsider = browser(&app, "iv2@example.com", Role::Interviewer).await;
    let member = browser(&app, "member@example.com", Role::Member).await;
    let assigned_id = app
        .store
        .users()
        .await
        .expect("users")
        .into_iter()
        .find(|u| u.email == "iv1@example.com")
        .expect("iv1")
        .id;
    let (status, body) = api(
        &app,
        &manager_token,
        &format!("/api/v1/interviews/{interview_id}/interviewers"),
        json!({"user_id": assigned_id}),
    )
    .await;
    assert!(status.is_success(), "{status} {body}");
    let interview_path = format!("/interviews/{interview_id}");
    assert_eq!(
        page(&outsider, &app, &interview_path).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        page(&member, &app, &list_path).await.0,
        StatusCode::FORBIDDEN
    );
    let (_, outsider_list) = page(&outsider, &app, &list_path).await;
    assert!(!outsider_list.contains("data-interview="), "not assigned");

    let (status, detail) = page(&assigned, &app, &interview_path).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert!(detail.contains("<form class=\"scorecard\""));
    assert!(detail.contains("Ada Lovelace"));
    assert!(detail.contains(&format!("answer to {}", ids(&published["round2"])[0])));
    let csrf = csrf_in(&detail).expect("csrf");
    let scorecard_path = format!("{interview_path}/scorecard");
    let card = |scores: [&str; 4], musts: bool, action: &str| {
        let mut form = pairs(&[
            ("csrf", &csrf),
            ("recommendation", "yes"),
            ("notes", "solid"),
            ("action", action),
        ]);
        for (competency, score) in competencies.iter().zip(scores) {
            form.push((format!("score_{competency}"), score.to_string()));
            form.push((format!("evidence_{competency}"), "worked example".into()));
        }
        if musts {
            form.push(("must_0".into(), "met".into()));
            form.push(("must_1".into(), "met".into()));
        }
        form
    };

    // Problems come back at their field.
    let response = post_form(
        &assigned,
        &app,
        &scorecard_path,
        &card(["abc", "60", "70", "90"], true, "submit"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.expect("html");
    let field = format!("data-field=\"score_{}\"", competencies[0]);
    assert!(body.contains(&field), "{body}");
    let response = post_form(
        &assigned,
        &app,
        &scorecard_path,
        &card(["80", "101", "70", "90"], true, "submit"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.expect("html");
    let field = format!("data-field=\"score_{}\"", competencies[1]);
    assert!(body.contains(&field), "{body}");
    let response = post_form(
        &assigned,
        &app,
        &scorecard_path,
        &card(["80", "60", "70", "90"], false, "submit"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.expect("html");
    assert!(body.contains("data-field=\"must_0\""), "{body}");
    assert!(body.contains("value=\"80\""), "what was typed stays");

    // A draft counts for nothing; submitting does.
    let response = post_form(
        &assigned,
        &app,
        &scorecard_path,
        &card(["10", "", "", ""], false, "save"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, figures) = page(&hm, &app, &performance_path).await;
    assert_eq!(figure(&figures, "avg-score"), "—");
    let response = post_form(
        &assigned,
        &app,
        &scorecard_path,
        &card(["80", "60", "70", "90"], true, "submit"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some(interview_path.as_str())
    );
    let (_, detail) = page(&assigned, &app, &interview_path).await;
    assert!(detail.contains("data-figure=\"overall\">74.0<"), "{detail}");
    assert!(
        detail.contains("value=\"80\""),
        "the form shows the saved card"
    );

    // 0.35×80 + 0.25×60 + 0.25×70 + 0.15×90 = 74.0
    let (_, figures) = page(&hm, &app, &performance_path).await;
    assert_eq!(figure(&figures, "interviews"), "1");
    assert_eq!(figure(&figures, "completed"), "1");
    assert_eq!(figure(&figures, "completion"), "100% · 1 of 1");
    assert_eq!(figure(&figures, "avg-score"), "74.0");
    for (competency, avg) in competencies.iter().zip(["80.0", "60.0", "70.0", "90.0"]) {
        let line = competency_line(&figures, competency);
        assert!(line.ends_with("n=1") && line.contains(avg), "{line}");
    }
    assert!(figures.contains("70–79: 1"), "the chart's description");
    let version = published["version"].as_u64().expect("version");
    let (status, one) = page(&hm, &app, &format!("{performance_path}?version={version}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(figure(&one, "avg-score"), "74.0");

    let (_, list) = page(&hm, &app, &list_path).await;
    assert!(list.contains("<td class=\"overall\">74.0</td>"), "{list}");
    let (_, list) = page(&assigned, &app, &list_path).await;
    assert!(
        list.contains("data-interview="),
        "assigned interviewers see it"
    );
    assert!(!list.contains("class=\"invite-form\""), "but cannot invite");

    // Managers read the interviewer's card.
    let (_, detail) = page(&hm, &app, &interview_path).await;
    assert!(detail.contains("iv1@example.com"), "{detail}");
    assert!(detail.contains("scorecard-summary"));
    app.stop().await;
}

on_each_database!(invite_score_and_watch_the_figures_move);
