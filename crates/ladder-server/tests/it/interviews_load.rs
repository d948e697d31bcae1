//! The interview API under load and across candidates, on every backend: two
//! hundred candidates answering at once (with retries and double clicks), and
//! a candidate token that opens its own interview and nothing else.

use ladder_store::testing::TestDatabase;
use std::time::Instant;

use crate::common::{client, staff, Api, TestApp};
use crate::common::{ids, payments_spec as seed_spec};
use ladder_core::access::Role;
use ladder_server::{route_table, RouteKind};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const CANDIDATES: usize = 200;

/// A created and published job spec's id and published body.
async fn published_spec(api: &Api<'_>) -> (String, Value) {
    let (status, spec) = api.post("/api/v1/job-specs", seed_spec()).await;
    assert_eq!(status, StatusCode::CREATED, "{spec}");
    let id = spec["id"].as_str().expect("id").to_string();
    let (status, published) = api
        .post(&format!("/api/v1/job-specs/{id}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    (id, published)
}

async fn invite(api: &Api<'_>, spec_id: &str, name: &str, email: &str) -> (String, String) {
    let (status, invited) = api
        .post(
            &format!("/api/v1/job-specs/{spec_id}/interviews"),
            json!({"candidate_name": name, "candidate_email": email}),
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

/// POSTs `body` to `url`, with an `Idempotency-Key` when given.
async fn post_answer(
    http: &reqwest::Client,
    url: &str,
    body: &Value,
    key: Option<&str>,
) -> (StatusCode, String) {
    let mut request = http.post(url).json(body);
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let response = request.send().await.expect("post");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

async fn two_hundred_candidates_answer_at_once(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let label = app.label;
    let started = Instant::now();
    let (_, token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let hm = Api {
        app: &app,
        token,
        http: client(),
    };
    let (id, spec) = published_spec(&hm).await;
    let round1 = ids(&spec["round1"]);
    let round2 = ids(&spec["round2"]);
    assert_eq!((round1.len(), round2.len()), (3, 4));

    // All two hundred invited in one CSV upload.
    let mut csv = String::from("candidate_name,candidate_email\n");
    for n in 0..CANDIDATES {
        csv.push_str(&format!("Candidate {n},c{n}@example.com\n"));
    }
    let response = hm
        .http
        .post(app.url(&format!("/api/v1/job-specs/{id}/interviews/csv")))
        .bearer_auth(&hm.token)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .expect("csv");
    assert_eq!(response.status(), StatusCode::CREATED, "[{label}]");
    let created: Value = response.json().await.expect("json");
    let invited: Vec<(String, String)> = created["invited"]
        .as_array()
        .expect("list")
        .iter()
        .map(|c| {
            (
                c["interview"]["id"].as_str().expect("id").to_string(),
                c["candidate_token"].as_str().expect("token").to_string(),
            )
        })
        .collect();
    assert_eq!(invited.len(), CANDIDATES);
    let invited_at = started.elapsed();

    // Every candidate at once, each on its own client: 7 answers, each
    // sent three times (first, keyed retry, unkeyed double click), then
    // finish: 22 requests per token, well below the 120 a minute.
    let mut tasks = Vec::new();
    for (n, (_, token)) in invited.iter().enumerate() {
        let base = app.base.clone();
        let token = token.clone();
        let items: Vec<(u32, String)> = round1
            .iter()
            .map(|item| (1, item.clone()))
            .chain(round2.iter().map(|item| (2, item.clone())))
            .collect();
        tasks.push(tokio::spawn(async move {
            let http = client();
            let answers = format!("{base}/api/v1/candidate/{token}/answers");
            let mut failures = Vec::new();
            for (round, item) in &items {
                let body = json!({"round": round, "item_id": item, "text": format!("candidate {n} on {item}")});
                let key = format!("answer-{round}-{item}");
                let first = post_answer(&http, &answers, &body, Some(&key)).await;
                if first.0 != StatusCode::CREATED {
                    failures.push(format!("POST {answers} [{key}] {body} -> {} {}", first.0, first.1));
                    continue;
                }
                let retry = post_answer(&http, &answers, &body, Some(&key)).await;
                if retry != first {
                    failures.push(format!(
                        "retry POST {answers} [{key}] {body} -> {} {} (first {} {})",
                        retry.0, retry.1, first.0, first.1
                    ));
                }
                let double = post_answer(&http, &answers, &body, None).await;
                let parsed: Value = serde_json::from_str(&double.1).unwrap_or(Value::Null);
                let first_parsed: Value = serde_json::from_str(&first.1).unwrap_or(Value::Null);
                if double.0 != StatusCode::OK
                    || parsed["repeated"] != true
                    || parsed["answer"] != first_parsed["answer"]
                {
                    failures.push(format!(
                        "double click POST {answers} {body} -> {} {}",
                        double.0, double.1
                    ));
                }
            }
            let finish = http
                .post(format!("{base}/api/v1/candidate/{token}/finish"))
                .send()
                .await
                .expect("finish");
            let status = finish.status();
            if !status.is_success() {
                failures.push(format!(
                    "POST /api/v1/candidate/{token}/finish -> {status} {}",
                    finish.text().await.unwrap_or_default()
                ));
            }
            failures
        }));
    }
    let mut failures = Vec::new();
    for task in tasks {
        failures.extend(task.await.expect("candidate task"));
    }
    let answered_at = started.elapsed();
    assert!(
        failures.is_empty(),
        "[{label}] {} failed requests, first: {:#?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );

    for (interview_id, _) in &invited {
        let answers = app.store.answers(interview_id).await.expect("answers");
        assert_eq!(answers.len(), 7, "[{label}] interview {interview_id}");
    }
    let (status, detail) = hm
        .get(&format!("/api/v1/interviews/{}", invited[0].0))
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["answers"].as_array().map(Vec::len), Some(7));
    assert_eq!(detail["interview"]["status"], "completed");
    let (status, figures) = hm.get(&format!("/api/v1/job-specs/{id}/performance")).await;
    assert_eq!(status, StatusCode::OK, "{figures}");
    assert_eq!(figures["interviews"], CANDIDATES, "[{label}] {figures}");
    assert_eq!(figures["completed"], CANDIDATES, "[{label}] {figures}");
    assert_eq!(figures["completion"], "100% · 200 of 200");
    assert_eq!(
        app.store.verify().await.expect("verify"),
        Vec::<String>::new(),
        "[{label}]"
    );
    eprintln!(
        "[{label}] invited in {invited_at:?}, {} requests answered by {answered_at:?}, checked by {:?}",
        CANDIDATES * 22,
        started.elapsed()
    );
    app.stop().await;
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    two_hundred_candidates_answer_at_once
);

/// A client that keeps no cookies and follows no redirects, so the only
/// credential is the one set by hand.
fn bare_client() -> reqwest::Client {
    ladder_server::clients::install_crypto_provider();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

#[derive(Clone, Copy, Debug)]
enum Credential {
    Bearer,
    Cookie,
}

struct Sent {
    status: StatusCode,
    location: String,
    body: String,
}

async fn call(
    http: &reqwest::Client,
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    credential: Credential,
) -> Sent {
    let method = Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = http.request(method.clone(), app.url(path));
    request = match credential {
        Credential::Bearer => request.bearer_auth(token),
        Credential::Cookie => request.header("cookie", format!("ladder_session={token}")),
    };
    if method != Method::GET {
        request = request.json(&json!({"round": 1, "item_id": "nope", "text": "probe"}));
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    Sent {
        status,
        location,
        body: response.text().await.unwrap_or_default(),
    }
}

/// The start of a response body, for failure messages.
fn excerpt(body: &str) -> String {
    body.chars().take(300).collect()
}

async fn a_candidate_token_reaches_only_its_own_interview(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let label = app.label;
    let (_, admin_token) = staff(&app, "admin@example.com", Role::Admin).await;
    let (manager, manager_token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let admin = Api {
        app: &app,
        token: admin_token,
        http: client(),
    };
    // With public browsing on (the default) anyone may read frameworks;
    // off, every non-Public route needs a real login.
    let (status, body) = admin
        .send(
            Method::PUT,
            "/api/v1/settings",
            Some(json!({"public_browsing": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let hm = Api {
        app: &app,
        token: manager_token,
        http: client(),
    };
    let (spec_id, spec) = published_spec(&hm).await;
    let round1 = ids(&spec["round1"]);
    let (own_id, own) = invite(&hm, &spec_id, "Ada Lovelace", "ada@example.com").await;
    let (other_id, other) = invite(&hm, &spec_id, "Grace Hopper", "grace@example.com").await;

    // Each candidate leaves a recognisable answer.
    let anonymous = Api {
        app: &app,
        token: String::new(),
        http: bare_client(),
    };
    for (token, secret) in [(&own, "ADA-SECRET-ANSWER"), (&other, "GRACE-SECRET-ANSWER")] {
        let (status, body) = anonymous
            .post(
                &format!("/api/v1/candidate/{token}/answers"),
                json!({"round": 1, "item_id": round1[0], "text": secret}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "[{label}] {body}");
    }
    // …and a recognisable recording.
    let mut recordings = Vec::new();
    for (token, secret) in [(&own, "ADA-SECRET-AUDIO"), (&other, "GRACE-SECRET-AUDIO")] {
        let mut bytes = vec![0x1A, 0x45, 0xDF, 0xA3];
        bytes.extend_from_slice(secret.as_bytes());
        let response = bare_client()
            .post(app.url(&format!("/api/v1/candidate/{token}/audio")))
            .header("content-type", "audio/webm")
            .body(bytes)
            .send()
            .await
            .expect("upload");
        assert_eq!(response.status(), StatusCode::CREATED, "[{label}]");
        let body: Value = response.json().await.expect("json");
        recordings.push(body["audio_id"].as_str().expect("audio id").to_string());
    }
    let (own_audio, other_audio) = (recordings[0].clone(), recordings[1].clone());
    let other_secrets = [
        "Grace Hopper",
        "grace@example.com",
        "GRACE-SECRET-ANSWER",
        "GRACE-SECRET-AUDIO",
    ];
    let own_secrets = [
        "Ada Lovelace",
        "ada@example.com",
        "ADA-SECRET-ANSWER",
        "ADA-SECRET-AUDIO",
    ];

    // Every route, with this candidate's token as an API token and as a
    // session cookie, aimed at other objects.
    let http = bare_client();
    let mut problems = Vec::new();
    for credential in [Credential::Bearer, Credential::Cookie] {
        for route in route_table() {
            let path = route
                .path
                .replace("{token}", &own)
                .replace("{slug}", "engineering-backend")
                .replace("{round}", "1")
                .replace("{item_id}", &round1[0])
                // The other candidate's recording, whatever the route.
                .replace("{audio_id}", &other_audio);
            let path =
                if path.starts_with("/api/v1/interviews/") || path.starts_with("/interviews/") {
                    path.replace("{id}", &other_id)
                } else if path.starts_with("/api/v1/users/") || path.starts_with("/admin/users/") {
                    path.replace("{id}", &manager.id)
                } else {
                    path.replace("{id}", &spec_id)
                };
            let sent = call(&http, &app, route.method, &path, &own, credential).await;
            let request = format!("{credential:?} {} {path}", route.method);
            let leaked = other_secrets.iter().find(|s| sent.body.contains(**s));
            if let Some(leaked) = leaked {
                problems.push(format!(
                    "{request} -> {} reveals {leaked:?}: {}",
                    sent.status,
                    excerpt(&sent.body)
                ));
            }
            if route.action == ladder_core::access::Action::Public {
                continue;
            }
            let refused = match route.kind {
                RouteKind::Api => sent.status == StatusCode::UNAUTHORIZED,
                // An unknown bearer token is a 401 everywhere; an unknown
                // session is an anonymous visitor, sent to log in.
                RouteKind::Page => match credential {
                    Credential::Bearer => sent.status == StatusCode::UNAUTHORIZED,
                    Credential::Cookie => {
                        sent.status.is_redirection() && sent.location.starts_with("/login")
                    }
                },
            };
            if !refused || sent.status.is_success() {
                problems.push(format!(
                    "{request} -> {} {} {}",
                    sent.status,
                    sent.location,
                    excerpt(&sent.body)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "[{label}] {problems:#?}");

    // The candidate routes with something other than this token in the
    // path: never this candidate's data; an unknown token is a 404.
    let strangers = [
        own_id.clone(),
        other_id.clone(),
        spec_id.clone(),
        ladder_server::auth::random_secret(),
    ];
    for stranger in &strangers {
        for (method, path) in [
            ("GET", format!("/api/v1/candidate/{stranger}")),
            ("POST", format!("/api/v1/candidate/{stranger}/answers")),
            ("POST", format!("/api/v1/candidate/{stranger}/finish")),
            ("GET", format!("/candidate/{stranger}")),
            ("POST", format!("/candidate/{stranger}/answers")),
            ("POST", format!("/candidate/{stranger}/finish")),
            ("POST", format!("/api/v1/candidate/{stranger}/audio")),
            (
                "GET",
                format!("/api/v1/candidate/{stranger}/audio/{own_audio}"),
            ),
            (
                "GET",
                format!("/api/v1/candidate/{stranger}/audio/{other_audio}"),
            ),
        ] {
            let sent = call(&http, &app, method, &path, &own, Credential::Cookie).await;
            assert_eq!(
                sent.status,
                StatusCode::NOT_FOUND,
                "[{label}] {method} {path}: {}",
                sent.body
            );
            for secret in own_secrets.iter().chain(&other_secrets) {
                assert!(
                    !sent.body.contains(secret),
                    "[{label}] {method} {path} reveals {secret}"
                );
            }
        }
    }
    // Another candidate's own link shows their interview, not this one's.
    let (status, theirs) = anonymous.get(&format!("/api/v1/candidate/{other}")).await;
    assert_eq!(status, StatusCode::OK, "{theirs}");
    for secret in own_secrets {
        assert!(!theirs.to_string().contains(secret), "{theirs}");
    }
    // This candidate's token plays its own recording, and only that.
    let mine = bare_client()
        .get(app.url(&format!("/api/v1/candidate/{own}/audio/{own_audio}")))
        .send()
        .await
        .expect("own audio");
    assert_eq!(mine.status(), StatusCode::OK, "[{label}]");
    assert!(
        String::from_utf8_lossy(&mine.bytes().await.expect("bytes")).contains("ADA-SECRET-AUDIO")
    );
    // Nor can it attach the other candidate's recording to an answer.
    let (status, body) = anonymous
        .post(
            &format!("/api/v1/candidate/{own}/answers"),
            json!({"round": 1, "item_id": round1[1], "text": "", "audio_id": other_audio}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "[{label}] {body}");
    assert!(!body.to_string().contains("GRACE"), "{body}");
    // This candidate's link shows nothing of the other candidate.
    let (status, mine) = anonymous.get(&format!("/api/v1/candidate/{own}")).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    let mine = mine.to_string();
    assert!(mine.contains("ADA-SECRET-ANSWER"), "{mine}");
    for secret in other_secrets {
        assert!(!mine.contains(secret), "[{label}] {mine}");
    }
    // Nothing above wrote to the other candidate's interview.
    let theirs = app.store.answers(&other_id).await.expect("answers");
    assert_eq!(theirs.len(), 1, "[{label}]");
    assert_eq!(theirs[0].text, "GRACE-SECRET-ANSWER");
    assert_eq!(
        app.store.verify().await.expect("verify"),
        Vec::<String>::new(),
        "[{label}]"
    );
    app.stop().await;
}

on_each_database!(a_candidate_token_reaches_only_its_own_interview);
