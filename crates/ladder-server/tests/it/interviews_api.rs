//! The interview API over real HTTP on every backend: inviting (one and CSV),
//! the candidate's link (any-order Round 01, strictly ordered Round 02,
//! idempotent retries), scorecards and who may write them, live performance,
//! results, and the figures always matching a recomputation.

use crate::common::{client, staff, Api, TestApp};
use crate::common::{ids, payments_spec as seed_spec};
use ladder_core::access::Role;
use ladder_store::testing::TestDatabase;
use ladder_store::Actor;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// A created (not yet published) job spec's id and body.
async fn create_spec(api: &Api<'_>) -> (String, Value) {
    let (status, spec) = api.post("/api/v1/job-specs", seed_spec()).await;
    assert_eq!(status, StatusCode::CREATED, "{spec}");
    (spec["id"].as_str().expect("id").to_string(), spec)
}

async fn publish(api: &Api<'_>, id: &str) -> Value {
    let (status, published) = api
        .post(&format!("/api/v1/job-specs/{id}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    published
}

/// Object keys anywhere in `value` containing one of `words`.
fn keys_containing(value: &Value, words: &[&str], found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if words.iter().any(|w| key.to_lowercase().contains(w)) {
                    found.push(key.clone());
                }
                keys_containing(inner, words, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| keys_containing(i, words, found)),
        _ => {}
    }
}

fn full_card(scores: [u32; 4], spec: &Value) -> Value {
    let competencies = ids(&spec["competencies"]);
    json!({
        "scores": competencies.iter().zip(scores).map(|(id, score)| json!({"competency_id": id, "score": score, "evidence": "worked example"})).collect::<Vec<_>>(),
        "must_haves": spec["must_haves"].as_array().expect("must haves").iter().map(|m| json!({"text": m["text"], "met": true})).collect::<Vec<_>>(),
        "recommendation": "yes",
        "submit": true
    })
}

async fn an_interview_from_invitation_to_results(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let label = app.label;
    let (manager, manager_token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let (assigned, assigned_token) = staff(&app, "iv1@example.com", Role::Interviewer).await;
    let (_, other_token) = staff(&app, "iv2@example.com", Role::Interviewer).await;
    let (member, _) = staff(&app, "member@example.com", Role::Member).await;
    let hm = Api {
        app: &app,
        token: manager_token,
        http: client(),
    };
    let (id, _) = create_spec(&hm).await;
    let invitation = json!({"candidate_name": "Ada Lovelace", "candidate_email": "ada@example.com", "interviewers": [assigned.id]});

    // Interviews pin a published version.
    let (status, body) = hm
        .post(
            &format!("/api/v1/job-specs/{id}/interviews"),
            invitation.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "[{label}] {body}");
    assert!(body["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("publish")));
    let spec = publish(&hm, &id).await;
    let round1 = ids(&spec["round1"]);
    let round2 = ids(&spec["round2"]);
    assert_eq!((round1.len(), round2.len()), (3, 4));

    for (body, field) in [
        (
            json!({"candidate_name": " ", "candidate_email": "a@example.com"}),
            "candidate_name",
        ),
        (
            json!({"candidate_name": "A", "candidate_email": "nope"}),
            "candidate_email",
        ),
        (
            json!({"candidate_name": "A", "candidate_email": "a@example.com", "expires_in_days": 91}),
            "expires_in_days",
        ),
        (
            json!({"candidate_name": "A", "candidate_email": "a@example.com", "interviewers": [member.id]}),
            "interviewers[0]",
        ),
    ] {
        let (status, error) = hm
            .post(&format!("/api/v1/job-specs/{id}/interviews"), body)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
        assert_eq!(error["error"]["field"], field);
    }

    // Invite, retry with the same key, reuse the key for something else.
    let path = format!("/api/v1/job-specs/{id}/interviews");
    let (status, invited) = hm.post_keyed(&path, invitation.clone(), "invite-1").await;
    assert_eq!(status, StatusCode::CREATED, "[{label}] {invited}");
    let (status, again) = hm.post_keyed(&path, invitation.clone(), "invite-1").await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(again, invited, "a retry returns the first response");
    let other = json!({"candidate_name": "Someone Else", "candidate_email": "else@example.com"});
    let (status, reused) = hm.post_keyed(&path, other, "invite-1").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(reused["error"]["code"], "idempotency_key_reused");
    let (_, list) = hm.get(&path).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1), "created once");
    assert!(!list.to_string().contains("token"), "{list}");

    let token = invited["candidate_token"]
        .as_str()
        .expect("token")
        .to_string();
    assert_eq!(token.len(), 43, "256 random bits, base64url");
    // The response kept for replays holds the link, so it is stored sealed
    // under a hash of the key: neither the key nor the token is readable.
    let scope = format!("user:{}", manager.id);
    assert!(app
        .store
        .idempotent_response(&scope, "invite-1")
        .await
        .expect("read")
        .is_none());
    let lookup = ladder_core::text::sha256_hex(format!("lookup\n{scope}\ninvite-1").as_bytes());
    let stored = app
        .store
        .idempotent_response(&scope, &lookup)
        .await
        .expect("read")
        .expect("the first response is kept");
    assert!(
        !stored.body.contains(&token),
        "[{label}] the token is stored in the clear"
    );
    assert!(!stored.body.contains("candidate"), "{}", stored.body);
    assert_eq!(invited["candidate_url"], format!("/candidate/{token}"));
    let interview_id = invited["interview"]["id"].as_str().expect("id").to_string();
    assert_eq!(invited["interview"]["status"], "invited");
    assert_eq!(invited["interview"]["version"], spec["version"]);

    // The candidate's side.
    let candidate = Api {
        app: &app,
        token: String::new(),
        http: client(),
    };
    let me = format!("/api/v1/candidate/{token}");
    let answers = format!("{me}/answers");
    let (status, view) = candidate.get(&me).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["status"], "invited");
    assert_eq!(view["job"]["title"], spec["title"]);
    assert_eq!(ids(&view["round1"]).len(), 3);
    assert_eq!(
        ids(&view["round2"]),
        vec![round2[0].clone()],
        "only the next prompt"
    );
    assert_eq!(
        view["progress"],
        json!({"round1_answered": 0, "round1_total": 3, "round2_position": 0, "round2_total": 4})
    );

    // Round 01 in any order; a double submit keeps the first answer.
    for item in [&round1[2], &round1[0], &round1[1]] {
        let (status, body) = candidate
            .post(
                &answers,
                json!({"round": 1, "item_id": item, "text": format!("answer to {item}")}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "[{label}] {body}");
    }
    let (status, repeat) = candidate
        .post(
            &answers,
            json!({"round": 1, "item_id": round1[0], "text": "a different answer"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(repeat["answer"]["text"], format!("answer to {}", round1[0]));
    assert_eq!(repeat["repeated"], true);

    for (body, field) in [
        (
            json!({"round": 1, "item_id": round1[0], "text": "  "}),
            "text",
        ),
        (
            json!({"round": 1, "item_id": "q-nope", "text": "x"}),
            "item_id",
        ),
        (
            json!({"round": 3, "item_id": round1[0], "text": "x"}),
            "round",
        ),
    ] {
        let (status, error) = candidate.post(&answers, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
        assert_eq!(error["error"]["field"], field);
    }

    // Round 02 strictly in order, resumable.
    let (status, early) = candidate
        .post(
            &answers,
            json!({"round": 2, "item_id": round2[1], "text": "skipping ahead"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{early}");
    assert!(early["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("answer prompt 1 first")));
    let (status, _) = candidate
        .post(
            &answers,
            json!({"round": 2, "item_id": round2[0], "text": "prompt one"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    for _ in 0..2 {
        let (_, reloaded) = candidate.get(&me).await;
        assert_eq!(ids(&reloaded["round2"]), round2[..2].to_vec(), "{reloaded}");
        assert_eq!(reloaded["round2"][1]["answer"], Value::Null);
        assert_eq!(reloaded["progress"]["round2_position"], 1);
        assert_eq!(reloaded["status"], "in_progress");
    }
    let second = json!({"round": 2, "item_id": round2[1], "text": "prompt two"});
    let (status, first_try) = candidate
        .post_keyed(&answers, second.clone(), "answer-2")
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let retry = candidate
        .http
        .post(app.url(&answers))
        .header("idempotency-key", "answer-2")
        .json(&second)
        .send()
        .await
        .expect("retry");
    assert_eq!(retry.status(), StatusCode::CREATED, "the saved status");
    assert_eq!(
        retry
            .headers()
            .get("idempotent-replayed")
            .and_then(|v| v.to_str().ok()),
        Some("true")
    );
    assert_eq!(retry.json::<Value>().await.expect("json"), first_try);
    let (status, reused) = candidate
        .post_keyed(
            &answers,
            json!({"round": 2, "item_id": round2[2], "text": "prompt three"}),
            "answer-2",
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(reused["error"]["code"], "idempotency_key_reused");
    for (index, item) in round2.iter().enumerate().skip(2) {
        let (status, body) = candidate
            .post(
                &answers,
                json!({"round": 2, "item_id": item, "text": format!("prompt {index}")}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, finished) = candidate.post(&format!("{me}/finish"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{finished}");
    assert_eq!(finished["status"], "completed");
    let (status, view) = candidate.get(&me).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["status"], "completed");
    assert_eq!(view["open"], false);
    assert_eq!(
        ids(&view["round2"]),
        round2,
        "answered prompts, no next one"
    );
    assert!(view["round2"]
        .as_array()
        .expect("round2")
        .iter()
        .all(|p| p["answer"].is_string()));
    for candidate_json in [&view, &finished, &first_try] {
        let mut found = Vec::new();
        keys_containing(
            candidate_json,
            &["weight", "competency", "score", "rubric"],
            &mut found,
        );
        assert!(found.is_empty(), "the candidate sees {found:?}");
    }

    // A candidate token is no staff credential.
    let as_staff = Api {
        app: &app,
        token: token.clone(),
        http: client(),
    };
    for path in [
        format!("/api/v1/interviews/{interview_id}"),
        "/api/v1/job-specs".to_string(),
        format!("/api/v1/job-specs/{id}/performance"),
    ] {
        assert_eq!(
            as_staff.get(&path).await.0,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
    }

    // Scorecards: only assigned interviewers (and managers).
    let interview_path = format!("/api/v1/interviews/{interview_id}");
    let scorecards = format!("{interview_path}/scorecards");
    let outsider = Api {
        app: &app,
        token: other_token,
        http: client(),
    };
    assert_eq!(outsider.get(&interview_path).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        outsider
            .post(&scorecards, full_card([80, 60, 70, 90], &spec))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let interviewer = Api {
        app: &app,
        token: assigned_token,
        http: client(),
    };
    let (status, seen) = interviewer.get(&interview_path).await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    assert_eq!(seen["overall"], Value::Null);
    let mut partial = full_card([80, 60, 70, 90], &spec);
    partial["must_haves"] = json!([]);
    let (status, error) = interviewer.post(&scorecards, partial).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["error"]["field"], "must_haves");
    let mut out_of_range = full_card([80, 60, 70, 90], &spec);
    out_of_range["scores"][1]["score"] = json!(101);
    let (status, error) = interviewer.post(&scorecards, out_of_range).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["error"]["field"], "scores[1].score");
    let (status, saved) = interviewer
        .post_keyed(&scorecards, full_card([80, 60, 70, 90], &spec), "card-1")
        .await;
    assert_eq!(status, StatusCode::OK, "[{label}] {saved}");
    // 0.35×80 + 0.25×60 + 0.25×70 + 0.15×90 = 74.0
    assert_eq!(saved["overall"], "74.0");
    assert_eq!(saved["scorecard"]["submitted"], true);
    assert_eq!(saved["scorecard"]["interviewer_id"], assigned.id);
    let (_, replayed) = interviewer
        .post_keyed(&scorecards, full_card([80, 60, 70, 90], &spec), "card-1")
        .await;
    assert_eq!(replayed, saved, "no second revision");

    let (status, detail) = hm.get(&interview_path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["overall"], "74.0");
    assert_eq!(detail["fails_must_have"], false);
    assert_eq!(detail["interviewers"], json!([assigned.id]));
    assert_eq!(detail["answers"].as_array().map(Vec::len), Some(7));
    assert_eq!(detail["scorecards"].as_array().map(Vec::len), Some(1));
    assert_eq!(detail["scorecards"][0]["revision"], 1);
    assert_eq!(detail["interview"]["status"], "completed");

    // Live performance.
    let (status, figures) = hm.get(&format!("/api/v1/job-specs/{id}/performance")).await;
    assert_eq!(status, StatusCode::OK, "{figures}");
    assert_eq!(figures["interviews"], 1);
    assert_eq!(figures["completed"], 1);
    assert_eq!(figures["completion"], "100% · 1 of 1");
    assert_eq!(figures["avg_score"], "74.0");
    assert_eq!(figures["avg_score_display"], "74.0");
    assert_eq!(figures["distribution"][7], 1);
    assert_eq!(figures["competencies"][0]["weight"], "0.35");
    assert_eq!(figures["competencies"][0]["avg"], "80.0");
    assert_eq!(figures["competencies"][0]["n"], 1);
    assert_eq!(figures["versions"].as_array().map(Vec::len), Some(1));
    assert_eq!(figures["versions"][0]["label"], spec["label"]);
    assert_eq!(figures["versions"][0]["completion"], "100% · 1 of 1");
    let (status, one) = hm
        .get(&format!(
            "/api/v1/job-specs/{id}/performance?version={}",
            spec["version"]
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["avg_score"], "74.0");
    assert_eq!(
        hm.get(&format!("/api/v1/job-specs/{id}/performance?version=9"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    // Results.
    let csv = hm
        .http
        .get(app.url(&format!("/api/v1/job-specs/{id}/results.csv")))
        .bearer_auth(&hm.token)
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv")));
    let text = csv.text().await.expect("text");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with(
        "candidate_name,candidate_email,version,status,overall,distributed_systems_rigor,"
    ));
    assert!(
        lines[1].starts_with("Ada Lovelace,ada@example.com,"),
        "{text}"
    );
    assert!(
        lines[1].contains(",completed,74.0,80.0,60.0,70.0,90.0,false"),
        "{text}"
    );
    let (status, results) = hm
        .get(&format!("/api/v1/job-specs/{id}/results.json"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(results["rows"].as_array().map(Vec::len), Some(1));
    assert_eq!(results["rows"][0]["overall"], "74.0");

    // Withdrawn, expired and unknown links.
    let (_, second) = hm
        .post(
            &path,
            json!({"candidate_name": "Grace Hopper", "candidate_email": "grace@example.com"}),
        )
        .await;
    let second_id = second["interview"]["id"].as_str().expect("id");
    let (status, withdrawn) = hm
        .post(
            &format!("/api/v1/interviews/{second_id}/withdraw"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{withdrawn}");
    assert_eq!(withdrawn["status"], "withdrawn");
    let (status, gone) = candidate
        .get(&format!(
            "/api/v1/candidate/{}",
            second["candidate_token"].as_str().expect("token")
        ))
        .await;
    assert_eq!(
        (status, gone["error"]["code"].as_str()),
        (StatusCode::GONE, Some("withdrawn"))
    );
    let stale_token = ladder_server::auth::random_secret();
    let stale = app
        .store
        .create_interview(
            &id,
            spec["version"].as_u64().expect("version") as u32,
            "Late Candidate",
            "late@example.com",
            &ladder_server::auth::secret_hash(&stale_token),
            ladder_store::now_millis() - 1,
            &Actor::system(),
        )
        .await
        .expect("interview");
    let (status, gone) = candidate
        .get(&format!("/api/v1/candidate/{stale_token}"))
        .await;
    assert_eq!(
        (status, gone["error"]["code"].as_str()),
        (StatusCode::GONE, Some("expired"))
    );
    let stored = app
        .store
        .interview(&stale.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(stored.status, ladder_core::interview::Status::Expired);
    let (status, _) = candidate.get("/api/v1/candidate/not-a-real-token").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = candidate
        .post(
            "/api/v1/candidate/not-a-real-token/answers",
            json!({"round": 1, "item_id": "x", "text": "x"}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, figures) = hm.get(&format!("/api/v1/job-specs/{id}/performance")).await;
    assert_eq!(figures["completion"], "33% · 1 of 3");
    assert_eq!(figures["avg_score"], "74.0");

    // A second evaluator moves the means: a = 80.5, overall 74.175 → 74.2.
    let (status, saved) = hm
        .post(&scorecards, full_card([81, 60, 70, 90], &spec))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["overall"], "74.2");
    let (_, figures) = hm.get(&format!("/api/v1/job-specs/{id}/performance")).await;
    assert_eq!(figures["avg_score"], "74.2");
    assert_eq!(figures["competencies"][0]["avg"], "80.5");

    assert_eq!(
        app.store.verify().await.expect("verify"),
        Vec::<String>::new(),
        "[{label}]"
    );
    app.stop().await;
}

on_each_database!(an_interview_from_invitation_to_results);

async fn csv_post(api: &Api<'_>, id: &str, body: &str) -> (StatusCode, Value) {
    let response = api
        .http
        .post(
            api.app
                .url(&format!("/api/v1/job-specs/{id}/interviews/csv")),
        )
        .bearer_auth(&api.token)
        .header("content-type", "text/csv")
        .body(body.to_string())
        .send()
        .await
        .expect("csv");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn candidates_are_invited_from_csv_all_or_nothing(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let (_, token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let hm = Api {
        app: &app,
        token,
        http: client(),
    };
    let (id, _) = create_spec(&hm).await;
    publish(&hm, &id).await;
    let (status, error) = csv_post(
        &hm,
        &id,
        "name,email\nAda,ada@example.com\nBob,not-an-email\n",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert_eq!(error["error"]["field"], "rows[1].email");
    let (status, error) = csv_post(&hm, &id, "who,where\nAda,ada@example.com\n").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["error"]["field"], "header");
    let (_, list) = hm.get(&format!("/api/v1/job-specs/{id}/interviews")).await;
    assert_eq!(list.as_array().map(Vec::len), Some(0), "nothing created");

    let (status, created) = csv_post(
        &hm,
        &id,
        "candidate_name,candidate_email\r\n\"Lovelace, Ada\",ada@example.com\r\n\"Grace \"\"Amazing\"\" Hopper\",grace@example.com\r\n\r\n\r\n",
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "[{}] {created}", app.label);
    assert_eq!(created["skipped"], json!([]), "{created}");
    let created = created["invited"].as_array().expect("list");
    assert_eq!(created.len(), 2);
    assert_eq!(created[0]["interview"]["candidate_name"], "Lovelace, Ada");
    assert_eq!(
        created[1]["interview"]["candidate_name"],
        "Grace \"Amazing\" Hopper"
    );
    assert!(created.iter().all(|c| c["candidate_token"].is_string()));
    let (_, figures) = hm.get(&format!("/api/v1/job-specs/{id}/performance")).await;
    assert_eq!(figures["completion"], "0% · 0 of 2");
    assert_eq!(figures["avg_score"], Value::Null);
    assert_eq!(figures["avg_score_display"], "—");

    let csv = hm
        .http
        .get(app.url(&format!("/api/v1/job-specs/{id}/results.csv")))
        .bearer_auth(&hm.token)
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("text");
    assert!(csv.contains("\"Lovelace, Ada\""), "{csv}");
    assert!(csv.contains("\"Grace \"\"Amazing\"\" Hopper\""), "{csv}");
    assert!(app.store.verify().await.expect("verify").is_empty());
    app.stop().await;
}

on_each_database!(candidates_are_invited_from_csv_all_or_nothing);

/// The limit is counted in the database: requests spread over two servers
/// sharing it are counted together.
async fn candidate_links_are_rate_limited(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let other = app.another().await;
    let (_, token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let hm = Api {
        app: &app,
        token,
        http: client(),
    };
    let (id, _) = create_spec(&hm).await;
    publish(&hm, &id).await;
    let (_, invited) = hm
        .post(
            &format!("/api/v1/job-specs/{id}/interviews"),
            json!({"candidate_name": "Ada", "candidate_email": "ada@example.com"}),
        )
        .await;
    let path = format!(
        "/api/v1/candidate/{}",
        invited["candidate_token"].as_str().expect("token")
    );
    let http = client();
    let mut limited = None;
    for attempt in 0..=120 {
        let server = if attempt % 2 == 0 { &app } else { &other };
        let response = http.get(server.url(&path)).send().await.expect("get");
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(response.headers().get("retry-after").is_some());
            limited = Some(attempt);
            break;
        }
        assert_eq!(response.status(), StatusCode::OK);
    }
    assert_eq!(
        limited,
        Some(120),
        "the 121st request in a minute is refused, whichever server counts it"
    );
    other.stop().await;
    app.stop().await;
}

on_each_database!(candidate_links_are_rate_limited);

async fn concurrent_candidates_never_count_twice(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let (_, token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let hm = Api {
        app: &app,
        token,
        http: client(),
    };
    let (id, _) = create_spec(&hm).await;
    let spec = publish(&hm, &id).await;
    let round1 = ids(&spec["round1"]);
    let round2 = ids(&spec["round2"]);
    let mut tokens = Vec::new();
    for n in 0..10 {
        let (status, invited) = hm
            .post(
                &format!("/api/v1/job-specs/{id}/interviews"),
                json!({"candidate_name": format!("C{n}"), "candidate_email": format!("c{n}@example.com")}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        tokens.push(
            invited["candidate_token"]
                .as_str()
                .expect("token")
                .to_string(),
        );
    }
    // Five clients per interview, fifty in all, racing through every item.
    let mut tasks = Vec::new();
    for worker in 0..50 {
        let token = tokens[worker % 10].clone();
        let base = app.base.clone();
        let (round1, round2) = (round1.clone(), round2.clone());
        tasks.push(tokio::spawn(async move {
            let http = client();
            let answers = format!("{base}/api/v1/candidate/{token}/answers");
            for item in round1.iter().rev() {
                let status = http
                    .post(&answers)
                    .json(&json!({"round": 1, "item_id": item, "text": format!("w{worker}")}))
                    .send()
                    .await
                    .expect("post")
                    .status();
                assert!(
                    matches!(status, StatusCode::CREATED | StatusCode::OK),
                    "{status}"
                );
            }
            for item in &round2 {
                let status = http
                    .post(&answers)
                    .json(&json!({"round": 2, "item_id": item, "text": format!("w{worker}")}))
                    .send()
                    .await
                    .expect("post")
                    .status();
                assert!(
                    matches!(
                        status,
                        StatusCode::CREATED | StatusCode::OK | StatusCode::CONFLICT
                    ),
                    "{status}"
                );
            }
        }));
    }
    for task in tasks {
        task.await.expect("worker");
    }
    // Whoever lost a Round 02 race finishes the walk in order.
    let http = client();
    for token in &tokens {
        for item in &round2 {
            let status = http
                .post(app.url(&format!("/api/v1/candidate/{token}/answers")))
                .json(&json!({"round": 2, "item_id": item, "text": "late"}))
                .send()
                .await
                .expect("post")
                .status();
            assert!(matches!(status, StatusCode::CREATED | StatusCode::OK));
        }
        let status = http
            .post(app.url(&format!("/api/v1/candidate/{token}/finish")))
            .send()
            .await
            .expect("finish")
            .status();
        assert_eq!(status, StatusCode::OK);
    }
    for interview in app.store.interviews(&id).await.expect("interviews") {
        let answers = app.store.answers(&interview.id).await.expect("answers");
        assert_eq!(answers.len(), 7, "[{}] one answer per item", app.label);
        assert_eq!(interview.round2_position, 4);
    }
    let (_, figures) = hm.get(&format!("/api/v1/job-specs/{id}/performance")).await;
    assert_eq!(figures["completion"], "100% · 10 of 10");
    assert!(app.store.verify().await.expect("verify").is_empty());
    app.stop().await;
}

on_each_database!(concurrent_candidates_never_count_twice);
