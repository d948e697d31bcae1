//! The interviews page's forms over real HTTP on every backend, as a browser
//! sends them (session cookie, CSRF field): inviting with interviewers, a
//! form sent twice (one after the other, and at the same time) inviting
//! once, a CSV upload (a file as multipart/form-data, or pasted text) checked
//! line by line before anything is created, Withdraw, and the result
//! downloads.

use crate::common::{client, csrf_in, staff, Api, TestApp};
use ladder_core::access::Role;
use ladder_store::testing::TestDatabase;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn seed_spec() -> Value {
    json!({
        "title": "Senior Backend Engineer",
        "seniority": "senior",
        "description": "Own the services that move money.",
        "competencies": [
            {"name": "Distributed Systems Rigor", "weight": 0.5, "definition": "Consensus."},
            {"name": "Payments Domain Expertise", "weight": 0.5, "definition": "Rails."}
        ],
        "must_haves": []
    })
}

/// The value of the first hidden input `name` in a page.
fn hidden(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    let at = html
        .find(&needle)
        .unwrap_or_else(|| panic!("no {name} in {html}"));
    html[at + needle.len()..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

async fn get(http: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let response = http.get(app.url(path)).send().await.expect("get");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("html")
}

/// A multipart/form-data body, written by hand as a browser would.
fn multipart(boundary: &str, fields: &[(&str, &str)], file: Option<(&str, &str)>) -> Vec<u8> {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    if let Some((name, content)) = file {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{content}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    body.into_bytes()
}

async fn post_multipart(
    http: &reqwest::Client,
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &str)>,
) -> (StatusCode, String) {
    let boundary = "----LadderTestBoundary7MA4YWxk";
    let response = http
        .post(app.url(path))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(multipart(boundary, fields, file))
        .send()
        .await
        .expect("post");
    let status = response.status();
    (status, response.text().await.expect("html"))
}

async fn the_interviews_page_invites_once_uploads_csv_withdraws_and_downloads(
    database: TestDatabase,
) {
    let app = TestApp::spawn(database).await;
    let label = app.label;
    let (_, manager_token) = staff(&app, "hm-api@example.com", Role::HiringManager).await;
    let (interviewer, _) = staff(&app, "iv@example.com", Role::Interviewer).await;
    let (member, _) = staff(&app, "member@example.com", Role::Member).await;
    let hm = Api {
        app: &app,
        token: manager_token,
        http: client(),
    };
    let (status, spec) = hm.post("/api/v1/job-specs", seed_spec()).await;
    assert_eq!(status, StatusCode::CREATED, "{spec}");
    let spec_id = spec["id"].as_str().expect("id").to_string();
    let (status, _) = hm
        .post(&format!("/api/v1/job-specs/{spec_id}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);

    let password = "a long enough password";
    app.user("hm@example.com", Role::HiringManager, password)
        .await;
    let http = client();
    let login = crate::common::log_in_to(&http, &app, "hm@example.com", password, "/").await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let list_path = format!("/job-specs/{spec_id}/interviews");
    let page = get(&http, &app, &list_path).await;

    // The page offers interviewers (not members), the CSV upload and the downloads.
    assert!(
        page.contains(&format!(
            "name=\"interviewers\" value=\"{}\"",
            interviewer.id
        )),
        "{page}"
    );
    assert!(
        !page.contains(&member.id),
        "members are not offered as interviewers"
    );
    assert!(page.contains("enctype=\"multipart/form-data\""));
    assert!(page.contains(&format!("href=\"/api/v1/job-specs/{spec_id}/results.csv\"")));
    assert!(page.contains(&format!(
        "href=\"/api/v1/job-specs/{spec_id}/results.json\""
    )));
    let csrf = csrf_in(&page).expect("csrf");
    let key = hidden(&page, "form_key");
    assert_eq!(key.len(), 43, "a one-time key of 256 bits: {key}");

    // The same form twice: one interview, the second says so.
    let form = [
        ("csrf", csrf.as_str()),
        ("form_key", key.as_str()),
        ("candidate_name", "Ada Lovelace"),
        ("candidate_email", "ada@example.com"),
        ("interviewers", interviewer.id.as_str()),
    ];
    let first = http
        .post(app.url(&list_path))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(first.status(), StatusCode::CREATED, "[{label}]");
    let first = first.text().await.expect("html");
    assert!(
        first.contains(&format!(
            "<input id=\"candidate-link\" class=\"link-field\" type=\"text\" readonly value=\"{}/candidate/",
            app.base
        )),
        "the whole link, ready to copy: {first}"
    );
    assert_ne!(
        hidden(&first, "form_key"),
        key,
        "the next form gets a new key"
    );
    let second = http
        .post(app.url(&list_path))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(second.status(), StatusCode::CREATED);
    let second = second.text().await.expect("html");
    assert!(second.contains("This form was already sent"), "{second}");
    assert!(
        !second.contains("id=\"candidate-link\""),
        "the link is not shown again"
    );
    let interviews = app.store.interviews(&spec_id).await.expect("interviews");
    assert_eq!(
        interviews.len(),
        1,
        "[{label}] a double submit invited twice"
    );
    assert_eq!(
        app.store
            .interviewers(&interviews[0].id)
            .await
            .expect("assigned"),
        vec![interviewer.id.clone()]
    );
    // The same key with other values is refused.
    let changed = [
        ("csrf", csrf.as_str()),
        ("form_key", key.as_str()),
        ("candidate_name", "Somebody Else"),
        ("candidate_email", "else@example.com"),
    ];
    let reused = http
        .post(app.url(&list_path))
        .form(&changed)
        .send()
        .await
        .expect("post");
    assert_eq!(reused.status(), StatusCode::CONFLICT);

    // Two at the same time (a double click): still one.
    let page = get(&http, &app, &list_path).await;
    let key = hidden(&page, "form_key");
    let form = [
        ("csrf", csrf.as_str()),
        ("form_key", key.as_str()),
        ("candidate_name", "Grace Hopper"),
        ("candidate_email", "grace@example.com"),
    ];
    let (a, b) = tokio::join!(
        http.post(app.url(&list_path)).form(&form).send(),
        http.post(app.url(&list_path)).form(&form).send()
    );
    let statuses = [a.expect("a").status(), b.expect("b").status()];
    assert_eq!(
        statuses,
        [StatusCode::CREATED, StatusCode::CREATED],
        "[{label}]"
    );
    let interviews = app.store.interviews(&spec_id).await.expect("interviews");
    assert_eq!(
        interviews
            .iter()
            .filter(|i| i.candidate_email == "grace@example.com")
            .count(),
        1,
        "[{label}] a concurrent double submit invited twice"
    );

    // A CSV file with two bad lines: both listed by line, nobody invited.
    let page = get(&http, &app, &list_path).await;
    let key = hidden(&page, "form_key");
    let csv_path = format!("/job-specs/{spec_id}/interviews/csv");
    let bad =
        "name,email\nLin Clark,lin@example.com\nNo Email,not-an-email\n,nameless@example.com\n";
    let (status, html) = post_multipart(
        &http,
        &app,
        &csv_path,
        &[("csrf", &csrf), ("form_key", &key)],
        Some(("c.csv", bad)),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{label}] {html}");
    assert!(
        html.contains("line 3:") && html.contains("line 4:"),
        "{html}"
    );
    assert!(
        html.contains("2 rows have problems; nothing was created"),
        "{html}"
    );
    assert_eq!(
        app.store
            .interviews(&spec_id)
            .await
            .expect("interviews")
            .len(),
        2,
        "[{label}] a bad file invited someone"
    );
    // The same key works once the file is right (a failure uses nothing up).
    let good = "name,email\nLin Clark,lin@example.com\n\"Hopper, Grace B.\",gbh@example.com\n";
    let (status, html) = post_multipart(
        &http,
        &app,
        &csv_path,
        &[("csrf", &csrf), ("form_key", &key)],
        Some(("c.csv", good)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "[{label}] {html}");
    assert_eq!(
        html.matches("<li class=\"link-copy\">").count(),
        2,
        "a link to copy per candidate: {html}"
    );
    assert!(html.contains("2 invitations created"), "{html}");
    assert!(html.contains("Hopper, Grace B."));
    let (status, html) = post_multipart(
        &http,
        &app,
        &csv_path,
        &[("csrf", &csrf), ("form_key", &key)],
        Some(("c.csv", good)),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(html.contains("This form was already sent"), "{html}");
    assert_eq!(
        app.store
            .interviews(&spec_id)
            .await
            .expect("interviews")
            .len(),
        4,
        "[{label}]"
    );
    // Pasted text works too (and without the CSRF token nothing does).
    let page = get(&http, &app, &list_path).await;
    let key = hidden(&page, "form_key");
    let pasted = "name,email\nKaty Jones,katy@example.com\n";
    let (status, _) = post_multipart(
        &http,
        &app,
        &csv_path,
        &[("form_key", &key), ("csv", pasted)],
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a multipart form without the CSRF token"
    );
    let (status, html) = post_multipart(
        &http,
        &app,
        &csv_path,
        &[("csrf", &csrf), ("form_key", &key), ("csv", pasted)],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{html}");
    assert_eq!(
        app.store
            .interviews(&spec_id)
            .await
            .expect("interviews")
            .len(),
        5
    );

    // Withdraw from the list.
    let ada = app
        .store
        .interviews(&spec_id)
        .await
        .expect("interviews")
        .into_iter()
        .find(|i| i.candidate_email == "ada@example.com")
        .expect("ada");
    let page = get(&http, &app, &list_path).await;
    let withdraw = format!("/interviews/{}/withdraw", ada.id);
    assert!(page.contains(&format!("action=\"{withdraw}\"")), "{page}");
    let done = http
        .post(app.url(&withdraw))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(done.status(), StatusCode::OK);
    let html = done.text().await.expect("html");
    assert!(html.contains("was withdrawn"), "{html}");
    assert!(
        !html.contains(&format!("action=\"{withdraw}\"")),
        "a withdrawn interview offers no Withdraw"
    );
    let after = app
        .store
        .interview(&ada.id)
        .await
        .expect("get")
        .expect("interview");
    assert_eq!(after.status.as_str(), "withdrawn");
    let again = http
        .post(app.url(&withdraw))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(again.status(), StatusCode::CONFLICT);

    // The downloads answer to the session.
    let csv = http
        .get(app.url(&format!("/api/v1/job-specs/{spec_id}/results.csv")))
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv
        .text()
        .await
        .expect("text")
        .contains("Ada Lovelace,ada@example.com"));
    let results = http
        .get(app.url(&format!("/api/v1/job-specs/{spec_id}/results.json")))
        .send()
        .await
        .expect("json");
    assert_eq!(results.status(), StatusCode::OK);
    let results: Value = results.json().await.expect("json");
    assert_eq!(results["rows"].as_array().map(Vec::len), Some(5));
    app.stop().await;
}

on_each_database!(the_interviews_page_invites_once_uploads_csv_withdraws_and_downloads);

/// Two requests with the same Idempotency-Key at the same moment: one runs,
/// the other is told to retry or gets the first result — and the server
/// keeps answering afterwards (a clash once left the key table locked).
// Several worker threads: a request stuck on a lock must not stop the
// timeout below from failing the test.
async fn concurrent_requests_with_one_idempotency_key_run_once(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let label = app.label;
    let (_, token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let hm = Api {
        app: &app,
        token: token.clone(),
        http: client(),
    };
    let (_, spec) = hm.post("/api/v1/job-specs", seed_spec()).await;
    let spec_id = spec["id"].as_str().expect("id").to_string();
    let (status, _) = hm
        .post(&format!("/api/v1/job-specs/{spec_id}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let path = format!("/api/v1/job-specs/{spec_id}/interviews");
    // The same candidate each time, on purpose (`again`): only the keys differ.
    let body =
        json!({"candidate_name": "Ada", "candidate_email": "ada@example.com", "again": true});
    for round in 0..5 {
        let key = format!("double-click-{round}");
        let send = || {
            client()
                .post(app.url(&path))
                .bearer_auth(&token)
                .header("idempotency-key", &key)
                .json(&body)
                .send()
        };
        let both = tokio::time::timeout(std::time::Duration::from_secs(20), async {
            tokio::join!(send(), send(), send())
        })
        .await
        .unwrap_or_else(|_| panic!("[{label}] concurrent requests with one key hung"));
        for response in [both.0, both.1, both.2] {
            let status = response.expect("response").status();
            assert!(
                status == StatusCode::CREATED || status == StatusCode::CONFLICT,
                "[{label}] {status}"
            );
        }
    }
    let interviews = app.store.interviews(&spec_id).await.expect("interviews");
    assert_eq!(interviews.len(), 5, "[{label}] one interview per key");
    let (status, _) = tokio::time::timeout(std::time::Duration::from_secs(20), hm.get(&path))
        .await
        .unwrap_or_else(|_| panic!("[{label}] the server stopped answering"));
    assert_eq!(status, StatusCode::OK);
    app.stop().await;
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    concurrent_requests_with_one_idempotency_key_run_once
);
