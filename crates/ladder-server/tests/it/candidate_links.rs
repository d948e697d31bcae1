//! Issue #13 over real HTTP on every backend: the candidate's unsent text
//! kept as drafts (through the API and from the page's form without
//! script), absolute candidate links under the public URL, extending and
//! replacing a link (API and page), and a second invitation of one e-mail to
//! one job spec refused unless asked for (API, CSV and the invite form).

use crate::common::{client, csrf_in, ids, payments_spec, staff, Api, TestApp};
use ladder_core::access::Role;
use ladder_server::ServerConfig;
use ladder_store::testing::TestDatabase;
use reqwest::StatusCode;
use serde_json::{json, Value};

const DAY: i64 = 86_400_000;

/// A published payments spec; its id and Round 01 and 02 item ids.
async fn published(hm: &Api<'_>) -> (String, Vec<String>, Vec<String>) {
    let (status, spec) = hm.post("/api/v1/job-specs", payments_spec()).await;
    assert_eq!(status, StatusCode::CREATED, "{spec}");
    let id = spec["id"].as_str().expect("id").to_string();
    let (status, body) = hm
        .post(&format!("/api/v1/job-specs/{id}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (id, ids(&spec["round1"]), ids(&spec["round2"]))
}

async fn invite(hm: &Api<'_>, spec: &str, email: &str) -> Value {
    let (status, invited) = hm
        .post(
            &format!("/api/v1/job-specs/{spec}/interviews"),
            json!({"candidate_name": "Ada Lovelace", "candidate_email": email}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    invited
}

fn text(value: &Value, key: &str) -> String {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {value}"))
        .to_string()
}

async fn put_draft(candidate: &Api<'_>, token: &str, body: Value) -> (StatusCode, Value) {
    candidate
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/candidate/{token}/drafts"),
            Some(body),
        )
        .await
}

/// The `draft` of every item the candidate sees, by round and item id.
fn drafts_in(view: &Value) -> Vec<(u32, String, Value)> {
    let mut found = Vec::new();
    for (round, key) in [(1, "round1"), (2, "round2")] {
        for item in view[key].as_array().expect("items") {
            found.push((round, text(item, "id"), item["draft"].clone()));
        }
    }
    found
}

fn draft_of(view: &Value, round: u32, item: &str) -> Value {
    drafts_in(view)
        .into_iter()
        .find(|(r, id, _)| *r == round && id == item)
        .map(|(_, _, draft)| draft)
        .unwrap_or_else(|| panic!("no item {round}/{item} in {view}"))
}

async fn drafts_round_trip_and_give_way_to_answers(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let label = app.label;
    let (_, hm_token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let hm = Api {
        app: &app,
        token: hm_token,
        http: client(),
    };
    let (spec, round1, round2) = published(&hm).await;
    let token = text(
        &invite(&hm, &spec, "ada@example.com").await,
        "candidate_token",
    );
    let candidate = Api {
        app: &app,
        token: String::new(),
        http: client(),
    };
    let view_path = format!("/api/v1/candidate/{token}");

    // Nothing typed yet: every draft is null.
    let (status, view) = candidate.get(&view_path).await;
    assert_eq!(status, StatusCode::OK, "[{label}] {view}");
    assert!(
        drafts_in(&view).iter().all(|(_, _, d)| d.is_null()),
        "{view}"
    );

    // Typed into question 1 and the first prompt; last write wins.
    let (status, saved) = put_draft(
        &candidate,
        &token,
        json!({"round": 1, "item_id": round1[0], "text": "half a thought"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "[{label}] {saved}");
    assert_eq!(saved["draft"], "half a thought");
    assert!(saved["saved_at"].is_string(), "{saved}");
    put_draft(
        &candidate,
        &token,
        json!({"round": 1, "item_id": round1[0], "text": "a whole thought"}),
    )
    .await;
    put_draft(
        &candidate,
        &token,
        json!({"round": 2, "item_id": round2[0], "text": "a story\nin two lines"}),
    )
    .await;
    put_draft(
        &candidate,
        &token,
        json!({"round": 1, "item_id": round1[1], "text": "soon gone"}),
    )
    .await;
    let (status, deleted) = put_draft(
        &candidate,
        &token,
        json!({"round": 1, "item_id": round1[1], "text": ""}),
    )
    .await;
    assert_eq!(
        (status, deleted["draft"].clone()),
        (StatusCode::OK, Value::Null),
        "{deleted}"
    );
    let (_, view) = candidate.get(&view_path).await;
    assert_eq!(draft_of(&view, 1, &round1[0]), "a whole thought");
    assert_eq!(draft_of(&view, 1, &round1[1]), Value::Null);
    assert_eq!(draft_of(&view, 2, &round2[0]), "a story\nin two lines");

    // What a draft may not be.
    for (body, code, field) in [
        (
            json!({"round": 3, "item_id": round1[0], "text": "x"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("round"),
        ),
        (
            json!({"round": 1, "item_id": "no-such-item", "text": "x"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("item_id"),
        ),
        (
            json!({"round": 1, "item_id": round1[0], "text": "x".repeat(20_001)}),
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("text"),
        ),
        (
            json!({"round": 2, "item_id": round2[1], "text": "ahead"}),
            StatusCode::CONFLICT,
            None,
        ),
    ] {
        let (status, error) = put_draft(&candidate, &token, body.clone()).await;
        assert_eq!(status, code, "[{label}] {body}: {error}");
        assert_eq!(error["error"]["field"].as_str(), field, "{error}");
    }
    let (_, view) = candidate.get(&view_path).await;
    assert_eq!(
        draft_of(&view, 1, &round1[0]),
        "a whole thought",
        "refused drafts change nothing"
    );

    // Sending the answer removes its draft; a late draft is refused.
    let (status, answered) = candidate
        .post(
            &format!("/api/v1/candidate/{token}/answers"),
            json!({"round": 1, "item_id": round1[0], "text": "a whole thought, sent"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answered}");
    let (_, view) = candidate.get(&view_path).await;
    assert_eq!(view["round1"][0]["answer"], "a whole thought, sent");
    assert_eq!(draft_of(&view, 1, &round1[0]), Value::Null);
    assert_eq!(draft_of(&view, 2, &round2[0]), "a story\nin two lines");
    let (status, late) = put_draft(
        &candidate,
        &token,
        json!({"round": 1, "item_id": round1[0], "text": "typed after sending"}),
    )
    .await;
    assert_eq!(
        (status, late["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("already_answered")),
        "{late}"
    );

    // Without script the page is one form: Send on question 2 answers it
    // and keeps question 3's and the prompt's text as drafts.
    let page = format!("/candidate/{token}");
    let browser = client();
    let html = browser
        .get(app.url(&page))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("a story\nin two lines</textarea>"),
        "the draft is back in its textarea: {html}"
    );
    let send = format!("1:{}", round1[1]);
    let form: Vec<(String, String)> = vec![
        ("send".into(), send),
        (format!("text:1:{}", round1[1]), "question two, sent".into()),
        (
            format!("text:1:{}", round1[2]),
            "question three,\r\nnot sent".into(),
        ),
        (format!("text:2:{}", round2[0]), "a longer story".into()),
    ];
    let response = browser
        .post(app.url(&format!("{page}/answers")))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "[{label}]");
    let (_, view) = candidate.get(&view_path).await;
    assert_eq!(view["round1"][1]["answer"], "question two, sent");
    assert_eq!(draft_of(&view, 1, &round1[1]), Value::Null);
    assert_eq!(draft_of(&view, 1, &round1[2]), "question three,\nnot sent");
    assert_eq!(draft_of(&view, 2, &round2[0]), "a longer story");
    let html = browser
        .get(app.url(&page))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("question three,\nnot sent</textarea>")
            && html.contains("a longer story</textarea>"),
        "[{label}] a reload shows what was typed: {html}"
    );

    // A refused answer (nothing written) still keeps the other texts.
    let send = format!("1:{}", round1[2]);
    let form: Vec<(String, String)> = vec![
        ("send".into(), send),
        (format!("text:1:{}", round1[2]), "   ".into()),
        (format!("text:2:{}", round2[0]), "the longest story".into()),
    ];
    let response = browser
        .post(app.url(&format!("{page}/answers")))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("html");
    assert!(html.contains("the longest story</textarea>"), "{html}");
    let (_, view) = candidate.get(&view_path).await;
    assert_eq!(draft_of(&view, 2, &round2[0]), "the longest story");
    assert_eq!(view["round1"][2]["answer"], Value::Null);

    // Drafts go with the candidate's link: rate limited like the rest.
    let drafts_route = ladder_server::route_table()
        .into_iter()
        .find(|r| r.method == "PUT" && r.path == "/api/v1/candidate/{token}/drafts")
        .expect("the drafts route");
    assert!(drafts_route.candidate, "{drafts_route:?}");

    // Finishing ends them.
    let (status, _) = candidate
        .post(&format!("/api/v1/candidate/{token}/finish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, refused) = put_draft(
        &candidate,
        &token,
        json!({"round": 1, "item_id": round1[2], "text": "after the end"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    app.stop().await;
}

on_each_database!(drafts_round_trip_and_give_way_to_answers);

/// The expiry the store holds for an interview.
async fn expiry_of(app: &TestApp, interview: &str) -> i64 {
    app.store
        .interview(interview)
        .await
        .expect("read")
        .expect("interview")
        .expires_at
}

async fn links_are_absolute_and_can_be_extended_and_replaced(database: TestDatabase) {
    let config = ServerConfig {
        public_url: Some("https://ladder.example.com/hiring".to_string()),
        ..ServerConfig::default()
    };
    let app = TestApp::spawn_with(database, config).await;
    let label = app.label;
    let (_, hm_token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let hm = Api {
        app: &app,
        token: hm_token,
        http: client(),
    };
    let (spec, _, _) = published(&hm).await;
    let invited = invite(&hm, &spec, "ada@example.com").await;
    let token = text(&invited, "candidate_token");
    let interview = text(&invited["interview"], "id");
    assert_eq!(invited["candidate_url"], format!("/candidate/{token}"));
    assert_eq!(
        invited["candidate_link"],
        format!("https://ladder.example.com/hiring/candidate/{token}"),
        "[{label}] the whole link under the public URL"
    );

    // Extended by a week, once however often the request is retried.
    let before = expiry_of(&app, &interview).await;
    let extend = format!("/api/v1/interviews/{interview}/link/extend");
    let (status, extended) = hm.post_keyed(&extend, json!({"days": 7}), "extend-1").await;
    assert_eq!(status, StatusCode::OK, "[{label}] {extended}");
    assert_eq!(expiry_of(&app, &interview).await, before + 7 * DAY);
    let (status, replayed) = hm.post_keyed(&extend, json!({"days": 7}), "extend-1").await;
    assert_eq!((status, &replayed), (StatusCode::OK, &extended));
    assert_eq!(
        expiry_of(&app, &interview).await,
        before + 7 * DAY,
        "a retry extends nothing more"
    );
    assert_ne!(extended["expires_at"], invited["interview"]["expires_at"]);
    for (days, says) in [(0, "1 to 90 days"), (90, "extend it by at most 69 days")] {
        let (status, error) = hm.post(&extend, json!({"days": days})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
        assert_eq!(error["error"]["field"], "days");
        assert!(
            error["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains(says)),
            "{days} days: {error}"
        );
    }
    assert_eq!(expiry_of(&app, &interview).await, before + 7 * DAY);

    // Replaced: the old token opens nothing at once, the new one works.
    let replace = format!("/api/v1/interviews/{interview}/link/replace");
    let (status, replaced) = hm.post_keyed(&replace, json!({}), "replace-1").await;
    assert_eq!(status, StatusCode::OK, "[{label}] {replaced}");
    let new_token = text(&replaced, "candidate_token");
    assert_ne!(new_token, token);
    assert_eq!(
        replaced["candidate_link"],
        format!("https://ladder.example.com/hiring/candidate/{new_token}")
    );
    assert_eq!(
        expiry_of(&app, &interview).await,
        before + 7 * DAY,
        "a running link keeps its expiry"
    );
    let candidate = Api {
        app: &app,
        token: String::new(),
        http: client(),
    };
    let (status, refused) = candidate.get(&format!("/api/v1/candidate/{token}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "[{label}] {refused}");
    let old_page = client()
        .get(app.url(&format!("/candidate/{token}")))
        .send()
        .await
        .expect("page");
    assert_eq!(old_page.status(), StatusCode::NOT_FOUND);
    assert!(old_page
        .text()
        .await
        .expect("html")
        .contains("This interview link is not valid"));
    let (status, view) = candidate
        .get(&format!("/api/v1/candidate/{new_token}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    // A retry returns the same new link; another request makes another.
    let (_, again) = hm.post_keyed(&replace, json!({}), "replace-1").await;
    assert_eq!(again["candidate_token"], replaced["candidate_token"]);
    let (_, newer) = hm.post(&replace, json!({})).await;
    let newer_token = text(&newer, "candidate_token");
    let (status, _) = candidate
        .get(&format!("/api/v1/candidate/{new_token}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the second link is gone too");
    let (status, _) = candidate
        .get(&format!("/api/v1/candidate/{newer_token}"))
        .await;
    assert_eq!(status, StatusCode::OK);

    // Both are in the audit log, without the secret.
    let admin = Api {
        app: &app,
        token: app.token(Role::Admin).await,
        http: client(),
    };
    let (_, audit) = admin.get("/api/v1/audit?limit=100").await;
    let actions: Vec<&str> = audit
        .as_array()
        .expect("audit")
        .iter()
        .filter(|entry| entry["target"] == interview.as_str())
        .filter_map(|entry| entry["action"].as_str())
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "interview.link_extend")
            .count(),
        1,
        "{actions:?}"
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "interview.link_replace")
            .count(),
        2,
        "{actions:?}"
    );
    assert!(!audit.to_string().contains(&newer_token));

    // An expired link comes back when extended.
    let lapsed = app
        .store
        .create_interview(
            &spec,
            1,
            "Bob",
            "bob@example.com",
            &ladder_server::auth::secret_hash("bob-secret-link"),
            ladder_store::now_millis() - DAY,
            &ladder_store::Actor::system(),
        )
        .await
        .expect("invite");
    let (status, gone) = candidate.get("/api/v1/candidate/bob-secret-link").await;
    assert_eq!(
        (status, gone["error"]["code"].as_str()),
        (StatusCode::GONE, Some("expired"))
    );
    let (status, revived) = hm
        .post(
            &format!("/api/v1/interviews/{}/link/extend", lapsed.id),
            json!({"days": 3}),
        )
        .await;
    assert_eq!(
        (status, revived["status"].as_str()),
        (StatusCode::OK, Some("invited")),
        "{revived}"
    );
    let (status, _) = candidate.get("/api/v1/candidate/bob-secret-link").await;
    assert_eq!(status, StatusCode::OK);

    // A withdrawn interview's link stays dead.
    let (status, _) = hm
        .post(
            &format!("/api/v1/interviews/{interview}/withdraw"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    for path in [&extend, &replace] {
        let (status, error) = hm.post(path, json!({"days": 1})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{path}: {error}");
    }
    let (status, _) = candidate
        .get(&format!("/api/v1/candidate/{newer_token}"))
        .await;
    assert_eq!(status, StatusCode::GONE);
    app.stop().await;
}

on_each_database!(links_are_absolute_and_can_be_extended_and_replaced);

async fn csv(hm: &Api<'_>, spec: &str, body: &str) -> (StatusCode, Value) {
    let response = hm
        .http
        .post(
            hm.app
                .url(&format!("/api/v1/job-specs/{spec}/interviews/csv")),
        )
        .bearer_auth(&hm.token)
        .header("content-type", "text/csv")
        .body(body.to_string())
        .send()
        .await
        .expect("csv");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn emails(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("list")
        .iter()
        .map(|i| text(&i["interview"], "candidate_email"))
        .collect()
}

async fn a_second_invitation_is_refused_unless_asked_for(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let label = app.label;
    let (_, hm_token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let hm = Api {
        app: &app,
        token: hm_token,
        http: client(),
    };
    let (spec, _, _) = published(&hm).await;
    let first = invite(&hm, &spec, "ada@example.com").await;
    let ada = text(&first["interview"], "id");
    let path = format!("/api/v1/job-specs/{spec}/interviews");

    let (status, error) = hm
        .post(
            &path,
            json!({"candidate_name": "Ada", "candidate_email": "ADA@example.com"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "[{label}] {error}");
    assert_eq!(error["error"]["code"], "already_invited");
    assert_eq!(error["error"]["field"], "candidate_email");
    let message = error["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&ada) && message.contains("\"again\": true"),
        "names the interview and the way out: {message}"
    );
    let (_, list) = hm.get(&path).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1), "nothing created");

    let (status, again) = hm
        .post(
            &path,
            json!({"candidate_name": "Ada", "candidate_email": "ada@example.com", "again": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert_ne!(again["interview"]["id"], first["interview"]["id"]);

    // CSV: repeats are skipped with the reason, the rest invited.
    let (status, done) = csv(
        &hm,
        &spec,
        "name,email\nAda,ada@example.com\nBob,bob@example.com\nBob again,BOB@example.com\n",
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "[{label}] {done}");
    assert_eq!(emails(&done["invited"]), ["bob@example.com"]);
    let skipped = done["skipped"].as_array().expect("skipped");
    assert_eq!(
        skipped
            .iter()
            .map(|s| (s["line"].as_u64(), text(s, "email")))
            .collect::<Vec<_>>(),
        [
            (Some(2), "ada@example.com".to_string()),
            (Some(4), "BOB@example.com".to_string())
        ],
        "{done}"
    );
    assert_eq!(skipped[0]["interview_id"], again["interview"]["id"]);
    assert_eq!(
        skipped[1]["interview_id"],
        done["invited"][0]["interview"]["id"]
    );
    assert!(
        text(&skipped[0], "reason").contains("already invited"),
        "{done}"
    );

    // Every row skipped: 200, nobody new. An `again` column says yes.
    let (status, done) = csv(&hm, &spec, "name,email\nBob,bob@example.com\n").await;
    assert_eq!(
        (status, done["invited"].clone()),
        (StatusCode::OK, json!([])),
        "{done}"
    );
    let (status, done) = csv(
        &hm,
        &spec,
        "name,email,again\nBob,bob@example.com,yes\nCarol,carol@example.com,\n",
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{done}");
    assert_eq!(
        emails(&done["invited"]),
        ["bob@example.com", "carol@example.com"]
    );
    let (_, list) = hm.get(&path).await;
    assert_eq!(list.as_array().map(Vec::len), Some(5), "[{label}] {list}");
    app.stop().await;
}

on_each_database!(a_second_invitation_is_refused_unless_asked_for);

/// The value of the hidden input `name` in the form after `after`.
fn hidden_after(html: &str, after: &str, name: &str) -> String {
    let at = html
        .find(after)
        .unwrap_or_else(|| panic!("{after} not in {html}"));
    let marker = format!("name=\"{name}\" value=\"");
    let rest = &html[at..];
    let start = rest.find(&marker).expect("field") + marker.len();
    rest[start..].split('"').next().unwrap_or("").to_string()
}

async fn the_pages_show_the_link_and_change_it(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let label = app.label;
    let password = "a long enough password";
    app.user("hm@example.com", Role::HiringManager, password)
        .await;
    let interviewer = app
        .user("iv@example.com", Role::Interviewer, password)
        .await;
    let browser = client();
    let login = crate::common::log_in_to(&browser, &app, "hm@example.com", password, "/").await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let (_, hm_token) = staff(&app, "hm-api@example.com", Role::HiringManager).await;
    let hm = Api {
        app: &app,
        token: hm_token,
        http: client(),
    };
    let (spec, _, _) = published(&hm).await;
    let list_path = format!("/job-specs/{spec}/interviews");
    let get = |path: String| {
        let browser = &browser;
        let app = &app;
        async move {
            let response = browser.get(app.url(&path)).send().await.expect("get");
            let status = response.status();
            (status, response.text().await.expect("html"))
        }
    };

    // Inviting shows the whole link, ready to copy, and when it expires.
    let (_, page) = get(list_path.clone()).await;
    let csrf = csrf_in(&page).expect("csrf");
    let key = hidden_after(&page, "class=\"invite-form\"", "form_key");
    let form = [
        ("csrf", csrf.as_str()),
        ("form_key", key.as_str()),
        ("candidate_name", "Ada Lovelace"),
        ("candidate_email", "ada@example.com"),
        ("interviewers", interviewer.id.as_str()),
    ];
    let response = browser
        .post(app.url(&list_path))
        .form(&form)
        .send()
        .await
        .expect("invite");
    assert_eq!(response.status(), StatusCode::CREATED, "[{label}]");
    let html = response.text().await.expect("html");
    assert!(
        html.contains(&format!("readonly value=\"{}/candidate/", app.base))
            && html.contains("class=\"copy\" data-copy=\"candidate-link\" hidden>Copy link"),
        "{html}"
    );
    assert!(html.contains("(in 14 days)."), "{html}");

    // The same e-mail again: a warning that names the interview and offers
    // to invite again; ticked, it invites.
    let key = hidden_after(&html, "class=\"invite-form\"", "form_key");
    let again = [
        ("csrf", csrf.as_str()),
        ("form_key", key.as_str()),
        ("candidate_name", "Ada Lovelace"),
        ("candidate_email", "ada@example.com"),
    ];
    let response = browser
        .post(app.url(&list_path))
        .form(&again)
        .send()
        .await
        .expect("invite again");
    assert_eq!(response.status(), StatusCode::CONFLICT, "[{label}]");
    let html = response.text().await.expect("html");
    let interviews = app.store.interviews(&spec).await.expect("list");
    assert_eq!(interviews.len(), 1);
    let ada = interviews[0].id.clone();
    assert!(
        html.contains("was already invited to this job spec")
            && html.contains(&format!("href=\"/interviews/{ada}\">Open their interview"))
            && html.contains("name=\"again\" value=\"yes\""),
        "{html}"
    );
    let key = hidden_after(&html, "class=\"invite-form\"", "form_key");
    let ticked = [
        ("csrf", csrf.as_str()),
        ("form_key", key.as_str()),
        ("candidate_name", "Ada Lovelace"),
        ("candidate_email", "ada@example.com"),
        ("again", "yes"),
    ];
    let response = browser
        .post(app.url(&list_path))
        .form(&ticked)
        .send()
        .await
        .expect("invite again");
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(app.store.interviews(&spec).await.expect("list").len(), 2);

    // The interview page: the expiry for everyone who may read it; extending
    // and replacing for hiring managers only.
    let interview_path = format!("/interviews/{ada}");
    let (status, html) = get(interview_path.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("The link works until <time datetime=") && html.contains("(in 14 days)"),
        "{html}"
    );
    assert!(html.contains("class=\"link-extend\"") && html.contains("class=\"link-replace\""));
    let iv = client();
    let login = crate::common::log_in_to(&iv, &app, "iv@example.com", password, "/").await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let html_iv = iv
        .get(app.url(&interview_path))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html_iv.contains("The link works until"), "{html_iv}");
    assert!(
        !html_iv.contains("class=\"link-extend\"") && !html_iv.contains("class=\"link-replace\""),
        "an interviewer cannot change the link"
    );

    // Extend by 10 days from the page; a nonsense number is refused there.
    let before = expiry_of(&app, &ada).await;
    let key = hidden_after(&html, "class=\"link-extend\"", "form_key");
    let response = browser
        .post(app.url(&format!("{interview_path}/link/extend")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("form_key", key.as_str()),
            ("days", "ten"),
        ])
        .send()
        .await
        .expect("extend");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = response.text().await.expect("html");
    assert!(
        refused.contains("“ten” is not a number of days") && refused.contains("value=\"ten\""),
        "{refused}"
    );
    let response = browser
        .post(app.url(&format!("{interview_path}/link/extend")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("form_key", key.as_str()),
            ("days", "10"),
        ])
        .send()
        .await
        .expect("extend");
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    assert!(html.contains("The link now works until"), "{html}");
    assert!(html.contains("(in 24 days)"), "{html}");
    assert_eq!(expiry_of(&app, &ada).await, before + 10 * DAY);

    // Replace from the page: the new link once, to copy; the old one is
    // refused at once; sending the same form again shows no link.
    let token_before = app
        .store
        .interview(&ada)
        .await
        .expect("read")
        .expect("interview");
    let key = hidden_after(&html, "class=\"link-replace\"", "form_key");
    let replace_form = [("csrf", csrf.as_str()), ("form_key", key.as_str())];
    let response = browser
        .post(app.url(&format!("{interview_path}/link/replace")))
        .form(&replace_form)
        .send()
        .await
        .expect("replace");
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("html");
    let marker = "id=\"new-candidate-link\" class=\"link-field\" type=\"text\" readonly value=\"";
    let at = html.find(marker).unwrap_or_else(|| panic!("{html}")) + marker.len();
    let link = html[at..].split('"').next().unwrap_or_default().to_string();
    let token = link
        .strip_prefix(&format!("{}/candidate/", app.base))
        .unwrap_or_else(|| panic!("{link}"))
        .to_string();
    assert_eq!(token.len(), 43, "{link}");
    assert!(html.contains("data-copy=\"new-candidate-link\""));
    assert_eq!(
        expiry_of(&app, &ada).await,
        token_before.expires_at,
        "replacing keeps a running link's expiry"
    );
    let candidate = client();
    let opened = candidate.get(&link).send().await.expect("new link");
    assert_eq!(opened.status(), StatusCode::OK);
    let response = browser
        .post(app.url(&format!("{interview_path}/link/replace")))
        .form(&replace_form)
        .send()
        .await
        .expect("replace again");
    let html = response.text().await.expect("html");
    assert!(
        html.contains("already sent") && !html.contains("new-candidate-link"),
        "{html}"
    );
    let opened = candidate.get(&link).send().await.expect("new link");
    assert_eq!(
        opened.status(),
        StatusCode::OK,
        "[{label}] a repeated form replaces nothing"
    );
    app.stop().await;
}

on_each_database!(the_pages_show_the_link_and_change_it);
