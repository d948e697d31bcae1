//! The job-spec web pages, driven like a browser without JavaScript: log in,
//! fill in forms, follow redirects by hand and read the HTML hooks.

use crate::common::{between, decimal};
use crate::common::{client, csrf_in, TestApp};
use ladder_core::access::Role;
use ladder_core::jobspec::Weight;
use ladder_store::testing::TestDatabase;
use reqwest::StatusCode;

/// A logged-in browser and its CSRF token.
struct Browser {
    http: reqwest::Client,
    csrf: String,
}

impl Browser {
    async fn new(app: &TestApp, email: &str, role: Role) -> Browser {
        app.user(email, role, "a long test password").await;
        let http = client();
        let response = log_in(&http, app, email, "a long test password").await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "[{}] log in as {email}",
            app.label
        );
        let home = http
            .get(app.url("/"))
            .send()
            .await
            .expect("home")
            .text()
            .await
            .expect("html");
        let csrf = csrf_in(&home).expect("pages carry the session's csrf token");
        Browser { http, csrf }
    }

    async fn get(&self, app: &TestApp, path: &str) -> (StatusCode, String) {
        let response = self.http.get(app.url(path)).send().await.expect("get");
        let status = response.status();
        (status, response.text().await.expect("html"))
    }

    /// Posts a form (the CSRF token added); the status, the redirect target
    /// and the body.
    async fn post(
        &self,
        app: &TestApp,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, Option<String>, String) {
        let mut all: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        let response = self
            .http
            .post(app.url(path))
            .form(&all)
            .send()
            .await
            .expect("post");
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        (status, location, response.text().await.expect("body"))
    }
}

/// Text with tags removed and the entities askama writes decoded.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#38;", "&")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
}

/// The `data-item` ids of a round's list, in order.
fn item_ids(html: &str, round: u32) -> Vec<String> {
    let list = between(
        html,
        &format!("<ol class=\"round{round} round-items\">"),
        "</ol>",
    );
    list.split("<li class=\"round-item")
        .skip(1)
        .filter_map(|li| {
            li.split("data-item=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .map(str::to_string)
        })
        .collect()
}

fn item_li<'a>(html: &'a str, id: &str) -> &'a str {
    between(html, &format!("data-item=\"{id}\""), "</li>")
}

fn total_line(html: &str) -> String {
    text_of(between(html, "<p class=\"total-weight", "</p>"))
}

fn version_label(html: &str) -> String {
    text_of(between(html, "<span class=\"version-label\">", "</span>"))
}

fn weight_shown(html: &str, competency: &str) -> String {
    text_of(between(
        html,
        &format!("<li class=\"weight\" data-competency=\"{competency}\">"),
        "</li>",
    ))
}

#[derive(Clone)]
struct Row {
    id: String,
    name: String,
    weight: String,
    definition: String,
}

/// The competencies of a version, read through the JSON API with the same
/// session.
async fn log_in(
    http: &reqwest::Client,
    app: &TestApp,
    email: &str,
    password: &str,
) -> reqwest::Response {
    crate::common::log_in_to(http, app, email, password, "/job-specs").await
}

async fn competencies(browser: &Browser, app: &TestApp, id: &str, version: &str) -> Vec<Row> {
    let json: serde_json::Value = browser
        .http
        .get(app.url(&format!("/api/v1/job-specs/{id}?version={version}")))
        .send()
        .await
        .expect("api")
        .json()
        .await
        .expect("json");
    json["competencies"]
        .as_array()
        .expect("competencies")
        .iter()
        .map(|c| Row {
            id: c["id"].as_str().unwrap_or_default().to_string(),
            name: c["name"].as_str().unwrap_or_default().to_string(),
            weight: c["weight"].as_str().unwrap_or_default().to_string(),
            definition: c["definition"].as_str().unwrap_or_default().to_string(),
        })
        .collect()
}

/// Saves the editor with these rows (and two untouched empty rows, as the
/// page sends them).
async fn save_rows(
    browser: &Browser,
    app: &TestApp,
    id: &str,
    title: &str,
    rows: &[Row],
) -> (StatusCode, Option<String>, String) {
    let mut fields: Vec<(&str, &str)> = vec![
        ("title", title),
        ("seniority", "senior"),
        ("description", "We move money.\r\nSafely."),
    ];
    for row in rows {
        fields.extend([
            ("competency_id", row.id.as_str()),
            ("competency_name", row.name.as_str()),
            ("competency_weight", row.weight.as_str()),
            ("competency_definition", row.definition.as_str()),
        ]);
    }
    for _ in 0..2 {
        fields.extend([
            ("competency_id", ""),
            ("competency_name", ""),
            ("competency_weight", ""),
            ("competency_definition", ""),
        ]);
    }
    fields.extend([
        (
            "must_text",
            "5+ years of production backend systems engineering",
        ),
        ("must_required", "0"),
        ("must_text", "Payments experience"),
        ("must_text", ""),
        ("must_required", "2"),
    ]);
    browser
        .post(app, &format!("/job-specs/{id}/edit"), &fields)
        .await
}

fn points(weight: &str) -> u32 {
    Weight::parse(weight).expect("weight").basis_points()
}

const TITLE: &str = "Senior Backend Engineer — Payments Platform";

async fn hiring_manager_builds_publishes_and_revises_a_job_spec(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let label = app.label;
    let hm = Browser::new(&app, "hm@example.com", Role::HiringManager).await;

    // The list offers a new spec; the form lists the frameworks.
    let (status, list) = hm.get(&app, "/job-specs").await;
    assert_eq!(status, StatusCode::OK, "[{label}]");
    assert!(
        list.contains("href=\"/job-specs/new\""),
        "[{label}] New job spec button"
    );
    assert!(list.contains("No job specs yet."));
    let (status, form) = hm.get(&app, "/job-specs/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("<option value=\"engineering-backend\""));
    assert!(form.contains("name=\"questions\" value=\"3\""));

    // A framework without a level is refused at the level field, keeping input.
    let (status, _, page) = hm
        .post(
            &app,
            "/job-specs",
            &[
                ("title", TITLE),
                ("seniority", "senior"),
                ("description", "JD"),
                ("framework", "engineering-backend"),
                ("level", ""),
                ("questions", "3"),
                ("prompts", "4"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
    assert!(
        page.contains("<p class=\"error\" id=\"level-error\" data-field=\"level\">"),
        "[{label}] {page}"
    );
    assert!(page.contains("value=\"Senior Backend Engineer — Payments Platform\""));
    let (status, _, page) = hm
        .post(&app, "/job-specs", &[("title", " "), ("framework", "")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("data-field=\"title\""), "[{label}] {page}");

    // Created from engineering-backend level 4.
    let description = "Own the payments platform: idempotent retries, ledgers in Postgres, on-call for money movement.";
    let (status, location, _) = hm
        .post(
            &app,
            "/job-specs",
            &[
                ("title", TITLE),
                ("seniority", "senior"),
                ("description", description),
                ("framework", "engineering-backend"),
                ("level", "4"),
                ("questions", "3"),
                ("prompts", "4"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "[{label}]");
    let location = location.expect("redirect");
    let id = location
        .strip_prefix("/job-specs/")
        .expect("to the spec")
        .to_string();
    let framework = app
        .store
        .framework("engineering-backend", None)
        .await
        .expect("store")
        .expect("framework")
        .framework;
    let topics = framework
        .topics
        .iter()
        .filter(|t| {
            t.levels
                .iter()
                .any(|l| l.number == 4 && !l.criteria.is_empty())
        })
        .count();
    assert!(topics > 1, "[{label}] level 4 has topics");

    let (status, page) = hm.get(&app, &location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("<h1>{TITLE}</h1>")));
    assert!(page.contains(&format!("<code>{id}</code>")));
    assert_eq!(version_label(&page), "draft v1");
    assert!(text_of(&page).contains("senior · draft v1"));
    let table = between(&page, "<table class=\"data competencies\"", "</table>");
    assert_eq!(
        table.matches("<tr data-competency=").count(),
        topics,
        "[{label}] one competency per topic"
    );
    assert_eq!(
        page.matches("<li class=\"weight\" data-competency=")
            .count(),
        topics
    );
    assert!(
        page.contains("<p class=\"total-weight balanced\">Total weight: 1.00 ✓ balanced</p>"),
        "[{label}]"
    );
    assert_eq!(item_ids(&page, 1).len(), 3, "[{label}] three questions");
    assert_eq!(item_ids(&page, 2).len(), 4, "[{label}] four prompts");
    assert!(
        text_of(&page).contains("3 currently · candidate sees 0"),
        "[{label}]"
    );
    assert!(text_of(&page).contains("4 prompts · walked through in order during Round 02"));
    assert!(
        page.contains("href=\"/frameworks/engineering-backend?level=4#"),
        "[{label}] grounding links to criteria"
    );
    assert!(text_of(&page).contains("Draft v1 — not yet published"));
    assert!(page.contains(&format!("action=\"/job-specs/{id}/publish\"")));

    // The editor shows the stored weights and the server-side total.
    let (status, editor) = hm.get(&app, &format!("/job-specs/{id}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(editor.contains("<output id=\"total-weight\" class=\"total-weight balanced\""));
    let original = competencies(&hm, &app, &id, "draft").await;
    assert_eq!(original.len(), topics);
    for row in &original {
        assert!(
            editor.contains(&format!("value=\"{}\"", row.weight)),
            "[{label}] weight {} in the editor",
            row.weight
        );
    }

    // A malformed weight is refused at its input, keeping what was typed.
    let mut rows = original.clone();
    rows[1].weight = "abc".into();
    let (status, _, page) = save_rows(&hm, &app, &id, TITLE, &rows).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
    assert!(
        page.contains("<p class=\"error\" data-field=\"competencies[1].weight\">"),
        "[{label}] {page}"
    );
    assert!(text_of(&page).contains("competencies[1].weight: “abc” is not a weight"));
    assert!(page.contains("value=\"abc\""));

    // Unbalanced: shown, and publishing is refused with the same words.
    let mut rows = original.clone();
    rows[0].weight = decimal(points(&original[0].weight) - 500);
    let (status, location, _) = save_rows(&hm, &app, &id, TITLE, &rows).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "[{label}]");
    assert_eq!(
        location.as_deref(),
        Some(format!("/job-specs/{id}?version=draft").as_str())
    );
    let (_, page) = hm
        .get(&app, &format!("/job-specs/{id}?version=draft"))
        .await;
    assert!(
        page.contains("<p class=\"total-weight unbalanced\">"),
        "[{label}]"
    );
    assert_eq!(total_line(&page), "Total weight: 0.95 — add 0.05");
    assert!(text_of(&page).contains("weights sum to 0.95"));
    let (status, _, page) = hm
        .post(&app, &format!("/job-specs/{id}/publish"), &[])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}]");
    let error = between(&page, "<p class=\"error\"", "</p>");
    assert!(
        text_of(error)
            .contains("Total weight: 0.95 — add 0.05: weights must sum to exactly 1.00 to publish"),
        "[{label}] {error}"
    );
    assert_eq!(version_label(&page), "draft v1");

    // Fixed and published: a v1-xxxxxxx label; candidates now see three.
    let (status, _, _) = save_rows(&hm, &app, &id, TITLE, &original).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, location, _) = hm
        .post(&app, &format!("/job-specs/{id}/publish"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "[{label}]");
    assert_eq!(
        location.as_deref(),
        Some(format!("/job-specs/{id}?notice=published").as_str())
    );
    let (_, page) = hm
        .get(&app, &format!("/job-specs/{id}?notice=published"))
        .await;
    let v1 = version_label(&page);
    assert!(
        v1.starts_with("v1-") && v1.len() == 10,
        "[{label}] label {v1}"
    );
    // The publication is confirmed with the label it got, and times read
    // as people say them.
    assert!(
        text_of(&page).contains(&format!(
            "Published {v1}. Candidates invited from now on answer this version."
        )),
        "[{label}] {page}"
    );
    assert!(text_of(&page).contains("Published just now"), "[{label}]");
    assert!(page.contains("<time datetime=\""), "[{label}]");
    let (_, plain) = hm.get(&app, &format!("/job-specs/{id}")).await;
    assert!(
        !text_of(&plain).contains("Candidates invited from now on"),
        "only after publishing"
    );
    assert!(text_of(&page).contains(&format!("senior · version {v1}")));
    assert!(
        text_of(&page).contains("3 currently · candidate sees 3"),
        "[{label}]"
    );
    assert!(!page.contains("/publish\""), "nothing left to publish");
    // Publishing again has nothing to publish.
    let (status, _, page) = hm
        .post(&app, &format!("/job-specs/{id}/publish"), &[])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("no draft to publish"), "[{label}] {page}");

    // Editing after publishing opens draft v2; v1 keeps its weights.
    let mut revised = original.clone();
    revised[0].weight = decimal(points(&original[0].weight) + 500);
    revised[1].weight = decimal(points(&original[1].weight) - 500);
    let (status, _, _) = save_rows(&hm, &app, &id, TITLE, &revised).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, draft) = hm
        .get(&app, &format!("/job-specs/{id}?version=draft"))
        .await;
    assert_eq!(version_label(&draft), "draft v2");
    assert!(
        text_of(&draft).contains(&format!(
            "Draft v2 — not yet published; candidates see {v1}."
        )),
        "[{label}]"
    );
    assert_eq!(total_line(&draft), "Total weight: 1.00 ✓ balanced");
    let c0 = &original[0].id;
    let new_weight = Weight::parse(&revised[0].weight).expect("weight");
    let old_weight = Weight::parse(&original[0].weight).expect("weight");
    assert_eq!(
        weight_shown(&draft, c0),
        format!("{c0} {}{}", new_weight.percent(), new_weight.decimal())
    );
    let (status, old) = hm.get(&app, &format!("/job-specs/{id}?version=1")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        weight_shown(&old, c0),
        format!("{c0} {}{}", old_weight.percent(), old_weight.decimal()),
        "[{label}] v1 is frozen"
    );
    assert_eq!(version_label(&old), v1);
    let (_, current) = hm.get(&app, &format!("/job-specs/{id}")).await;
    assert!(text_of(&current).contains("Draft v2 has unpublished changes."));

    // Versions and the diff.
    let (status, versions) = hm.get(&app, &format!("/job-specs/{id}/versions")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(versions.contains(&v1) && versions.contains("draft v2"));
    assert!(versions.contains(&format!("action=\"/job-specs/{id}/diff\"")));
    let (status, diff) = hm
        .get(&app, &format!("/job-specs/{id}/diff?from=1&to=2"))
        .await;
    assert_eq!(status, StatusCode::OK, "[{label}]");
    let weight_changes: Vec<String> = diff
        .split("<li class=\"change\" data-area=\"weight\"")
        .skip(1)
        .map(|li| {
            let li = &li[li.find('>').map_or(0, |at| at + 1)..];
            text_of(&li[..li.find("</li>").unwrap_or(li.len())])
                .trim()
                .to_string()
        })
        .collect();
    assert!(
        weight_changes.contains(&format!(
            "{c0}: {} → {}",
            old_weight.decimal(),
            new_weight.decimal()
        )),
        "[{label}] {weight_changes:?}"
    );
    assert_eq!(weight_changes.len(), 2);
    let (status, _) = hm
        .get(&app, &format!("/job-specs/{id}/diff?from=9&to=2"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Round items on the draft.
    let base = format!("/job-specs/{id}/rounds");
    let draft_path = format!("/job-specs/{id}?version=draft");
    let question = "How would you make payment retries idempotent across Kafka and Postgres?";
    let (status, location, _) = hm
        .post(
            &app,
            &format!("{base}/1/items"),
            &[("text", question), ("competency_id", c0)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "[{label}] add");
    assert_eq!(
        location.as_deref(),
        Some(format!("{draft_path}#round1").as_str())
    );
    let (_, page) = hm.get(&app, &draft_path).await;
    let round1 = item_ids(&page, 1);
    assert_eq!(round1.len(), 4);
    let added = round1.last().cloned().unwrap_or_default();
    let li = item_li(&page, &added);
    assert!(
        li.contains(question) && li.contains(">edited<"),
        "[{label}] {li}"
    );
    assert!(li.contains(&format!("data-competency=\"{c0}\"")));
    // The same question twice is refused at the add form, keeping the text.
    let (status, _, page) = hm
        .post(
            &app,
            &format!("{base}/1/items"),
            &[("text", question), ("competency_id", "")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "[{label}]");
    let add_form = between(&page, &format!("action=\"{base}/1/items\""), "</form>");
    assert!(
        add_form.contains("data-field=\"text\"") && add_form.contains(question),
        "[{label}] {add_form}"
    );
    let (status, _, _) = hm
        .post(&app, &format!("{base}/1/items"), &[("text", "  ")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Edit the first question.
    let first = round1[0].clone();
    let (status, _, _) = hm
        .post(
            &app,
            &format!("{base}/1/items/{first}"),
            &[
                ("text", "Walk me through a double-charge you prevented."),
                ("competency_id", c0),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "[{label}] edit");
    let (_, page) = hm.get(&app, &draft_path).await;
    let li = item_li(&page, &first);
    assert!(
        li.contains("Walk me through a double-charge you prevented.") && li.contains(">edited<"),
        "[{label}] {li}"
    );

    // Move the second prompt up, then delete the last one.
    let round2 = item_ids(&page, 2);
    let (status, _, _) = hm
        .post(
            &app,
            &format!("{base}/2/items/{}/move", round2[1]),
            &[("direction", "up")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "[{label}] move");
    let (_, page) = hm.get(&app, &draft_path).await;
    let moved = item_ids(&page, 2);
    assert_eq!(
        moved,
        vec![
            round2[1].clone(),
            round2[0].clone(),
            round2[2].clone(),
            round2[3].clone()
        ],
        "[{label}]"
    );
    let (status, _, _) = hm
        .post(
            &app,
            &format!("{base}/2/items/{}/move", moved[3]),
            &[("direction", "down")],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "moving the last one down changes nothing"
    );
    let (status, _, _) = hm
        .post(&app, &format!("{base}/2/items/{}/delete", moved[3]), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "[{label}] delete");
    let (_, page) = hm.get(&app, &draft_path).await;
    assert_eq!(item_ids(&page, 2), moved[..3].to_vec());
    assert!(text_of(&page).contains("3 prompts · walked through in order during Round 02"));
    let (status, _, page) = hm
        .post(&app, &format!("{base}/2/items/no-such-item/delete"), &[])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        page.contains("<p class=\"error\""),
        "[{label}] a missing item is reported on the page"
    );

    // Regenerate one generated question: a new item takes its place.
    let round1 = item_ids(&page, 1);
    let generated = round1[1].clone();
    let (status, _, _) = hm
        .post(
            &app,
            &format!("{base}/1/regenerate"),
            &[("item_id", generated.as_str())],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "[{label}] regenerate one");
    let (_, page) = hm.get(&app, &draft_path).await;
    let after = item_ids(&page, 1);
    assert_eq!(after.len(), 4);
    assert!(!after.contains(&generated), "[{label}] {after:?}");
    assert_eq!(
        (&after[0], &after[2], &after[3]),
        (&round1[0], &round1[2], &round1[3])
    );

    // Regenerate all, keeping edited items; then replacing them too.
    let (status, _, _) = hm
        .post(
            &app,
            &format!("{base}/1/regenerate"),
            &[("keep_edited", "on")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "[{label}] regenerate all");
    let (_, page) = hm.get(&app, &draft_path).await;
    let kept = item_ids(&page, 1);
    assert_eq!(kept.len(), 4);
    assert!(
        kept.contains(&first) && kept.contains(&added),
        "[{label}] edited items kept: {kept:?}"
    );
    let (status, _, _) = hm.post(&app, &format!("{base}/1/regenerate"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = hm.get(&app, &draft_path).await;
    let replaced = item_ids(&page, 1);
    assert_eq!(replaced.len(), 4);
    assert!(
        !replaced.contains(&added) && !page.contains(question),
        "[{label}] everything replaced: {replaced:?}"
    );

    // The list shows the published label and the open draft.
    let (_, list) = hm.get(&app, "/job-specs").await;
    assert!(
        list.contains(&v1) && list.contains("draft v2 open"),
        "[{label}]"
    );

    // Missing things are pages, not errors.
    let (status, _) = hm.get(&app, "/job-specs/no-such-spec").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = hm.get(&app, &format!("/job-specs/{id}?version=7")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = hm
        .post(&app, &format!("{base}/3/items"), &[("text", "x")])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    app.stop().await;
}

on_each_database!(hiring_manager_builds_publishes_and_revises_a_job_spec);

async fn interviewers_read_members_are_refused(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let label = app.label;
    let hm = Browser::new(&app, "hm@example.com", Role::HiringManager).await;
    let (status, location, _) = hm
        .post(
            &app,
            "/job-specs",
            &[
                ("title", "Platform Engineer"),
                ("seniority", "mid"),
                ("description", "Keep the lights on."),
                ("framework", ""),
                ("questions", "2"),
                ("prompts", "1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "[{label}]");
    let location = location.expect("redirect");

    let interviewer = Browser::new(&app, "iv@example.com", Role::Interviewer).await;
    let (status, list) = interviewer.get(&app, "/job-specs").await;
    assert_eq!(status, StatusCode::OK, "[{label}]");
    assert!(list.contains("Platform Engineer"));
    assert!(!list.contains("href=\"/job-specs/new\""));
    let (status, page) = interviewer.get(&app, &location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !page.contains("/edit\"") && !page.contains("/publish\"") && !page.contains("/delete\""),
        "[{label}] no controls for readers"
    );
    assert_eq!(item_ids(&page, 1).len(), 2);
    assert_eq!(item_ids(&page, 2).len(), 1);
    let (status, _) = interviewer.get(&app, "/job-specs/new").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = interviewer.get(&app, &format!("{location}/edit")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = interviewer
        .post(&app, &format!("{location}/publish"), &[])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let member = Browser::new(&app, "member@example.com", Role::Member).await;
    let (status, _) = member.get(&app, "/job-specs").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "[{label}]");
    let (status, _) = member.get(&app, &location).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    app.stop().await;
}

on_each_database!(interviewers_read_members_are_refused);
