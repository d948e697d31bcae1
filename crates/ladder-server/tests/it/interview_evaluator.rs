//! The automated evaluator over real HTTP on every backend, against a local
//! server speaking the OpenAI chat-completions wire format: what it is asked,
//! invalid replies refused with the path of the problem and nothing saved,
//! a valid draft stored as the caller's automated draft that never moves the
//! live figures until a person submits it, and who may ask.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::ids;
use crate::common::{client, csrf_in, staff, Api, TestApp};
use axum::extract::State;
use axum::http::StatusCode as AxumStatus;
use axum::response::{IntoResponse, Response};
use axum::Router;
use ladder_core::access::Role;
use ladder_server::clients::llm::LlmConfig;
use ladder_server::ServerConfig;
use ladder_store::testing::TestDatabase;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[derive(Clone)]
enum Reply {
    Content(String),
    Status(u16),
    Hang,
}

struct FakeModel {
    reply: Mutex<Reply>,
    asked: Mutex<Vec<Value>>,
}

async fn completions(
    State(fake): State<Arc<FakeModel>>,
    uri: axum::http::Uri,
    body: String,
) -> Response {
    fake.asked
        .lock()
        .expect("lock")
        .push(serde_json::from_str(&body).unwrap_or(Value::Null));
    if uri.path() != "/v1/chat/completions" {
        return (AxumStatus::NOT_FOUND, "no such route").into_response();
    }
    let reply = fake.reply.lock().expect("lock").clone();
    match reply {
        Reply::Content(content) => axum::Json(json!({
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        }))
        .into_response(),
        Reply::Status(code) => (AxumStatus::from_u16(code).expect("status"), "overloaded").into_response(),
        Reply::Hang => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            AxumStatus::OK.into_response()
        }
    }
}

async fn fake_model() -> (String, Arc<FakeModel>) {
    let fake = Arc::new(FakeModel {
        reply: Mutex::new(Reply::Status(500)),
        asked: Mutex::new(Vec::new()),
    });
    let router = Router::new()
        .fallback(completions)
        .with_state(Arc::clone(&fake));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    (format!("http://{address}"), fake)
}

fn seed_spec() -> Value {
    json!({
        "title": "Senior Backend Engineer — Payments Platform",
        "seniority": "senior",
        "description": "Own the services that move money.",
        "framework": {"slug": "engineering-backend", "level": 4},
        "competencies": [
            {"name": "Distributed Systems Rigor", "weight": 0.6, "definition": "Consensus and idempotent design."},
            {"name": "Payments Domain Expertise", "weight": 0.4, "definition": "Card rails and settlement."}
        ],
        "must_haves": [
            {"text": "Strong SQL and schema design on PostgreSQL", "required": true},
            {"text": "Go experience", "required": false}
        ]
    })
}

fn reply(value: Value) -> Reply {
    Reply::Content(value.to_string())
}

fn draft(competencies: &[String], scores: [u64; 2]) -> Value {
    json!({
        "scores": competencies.iter().zip(scores).map(|(id, score)| json!({"competency_id": id, "score": score, "evidence": format!("The answer about retries shows {id}.")})).collect::<Vec<_>>(),
        "must_haves": [{"text": "Strong SQL and schema design on PostgreSQL", "met": true}],
        "recommendation": "yes",
        "notes": "Drafted."
    })
}

async fn the_evaluator_drafts_a_scorecard_that_counts_only_once_a_person_submits_it(
    database: TestDatabase,
) {
    let (url, fake) = fake_model().await;
    let config = ServerConfig {
        llm: Some(LlmConfig {
            url: url.clone(),
            model: "eval-test".into(),
            api_key: None,
            timeout: Duration::from_millis(800),
        }),
        ..ServerConfig::default()
    };
    let app = TestApp::spawn_with(database, config).await;
    let label = app.label;
    let (_, manager_token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let (assigned, assigned_token) = staff(&app, "iv1@example.com", Role::Interviewer).await;
    let (_, other_token) = staff(&app, "iv2@example.com", Role::Interviewer).await;
    let hm = Api {
        app: &app,
        token: manager_token.clone(),
        http: client(),
    };
    let interviewer = Api {
        app: &app,
        token: assigned_token.clone(),
        http: client(),
    };
    let stranger = Api {
        app: &app,
        token: other_token,
        http: client(),
    };

    // The spec generated round items while the fake answered 500: they
    // fell back to the grounded generator.
    let (status, spec) = hm.post("/api/v1/job-specs", seed_spec()).await;
    assert_eq!(status, StatusCode::CREATED, "{spec}");
    let spec_id = spec["id"].as_str().expect("id").to_string();
    let (status, published) = hm
        .post(&format!("/api/v1/job-specs/{spec_id}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    let competencies = ids(&published["competencies"]);
    let round1 = ids(&published["round1"]);
    let (status, invited) = hm
        .post(
            &format!("/api/v1/job-specs/{spec_id}/interviews"),
            json!({"candidate_name": "Ada", "candidate_email": "ada@example.com", "interviewers": [assigned.id]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    let id = invited["interview"]["id"].as_str().expect("id").to_string();
    let token = invited["candidate_token"]
        .as_str()
        .expect("token")
        .to_string();
    let automated = format!("/api/v1/interviews/{id}/scorecards/automated");

    // Nothing answered: nothing to evaluate, and the model is not asked.
    fake.asked.lock().expect("lock").clear();
    let (status, body) = interviewer.post(&automated, json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "no_answers");
    assert!(fake.asked.lock().expect("lock").is_empty());

    let candidate = Api {
        app: &app,
        token: String::new(),
        http: client(),
    };
    for (item, text) in round1.iter().zip([
        "I would make every retry idempotent with a key.",
        "Double-entry ledger rows in one transaction.",
    ]) {
        let (status, body) = candidate
            .post(
                &format!("/api/v1/candidate/{token}/answers"),
                json!({"round": 1, "item_id": item, "text": text}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, _) = candidate
        .post(&format!("/api/v1/candidate/{token}/finish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let performance = format!("/api/v1/job-specs/{spec_id}/performance");
    let (_, before) = hm.get(&performance).await;
    assert_eq!(before["scored"], 0, "{before}");

    // Who may ask: not an interviewer who is not assigned.
    let (status, _) = stranger.post(&automated, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Invalid replies: refused with where the problem is; nothing saved.
    let cases: Vec<(Reply, &str, &str)> = vec![
        (
            reply(json!({"scores": [{"competency_id": "made_up", "score": 50, "evidence": "e"}]})),
            "evaluator_invalid_output",
            "scores[0].competency_id",
        ),
        (
            reply(draft(&competencies, [101, 50])),
            "evaluator_invalid_output",
            "scores[0].score",
        ),
        (
            reply(
                json!({"scores": [{"competency_id": competencies[0], "score": 72.5, "evidence": "e"}, {"competency_id": competencies[1], "score": 50, "evidence": "e"}], "must_haves": [{"text": "Strong SQL and schema design on PostgreSQL", "met": true}]}),
            ),
            "evaluator_invalid_output",
            "scores[0].score",
        ),
        (
            reply(json!({"scores": draft(&competencies, [70, 50])["scores"], "must_haves": []})),
            "evaluator_invalid_output",
            "must_haves",
        ),
        (
            reply(
                json!({"scores": draft(&competencies, [70, 50])["scores"], "must_haves": [{"text": "Strong SQL and schema design on PostgreSQL", "met": "yes"}]}),
            ),
            "evaluator_invalid_output",
            "must_haves[0].met",
        ),
        (
            reply(
                json!({"scores": [{"competency_id": competencies[0], "score": 70, "evidence": ""}]}),
            ),
            "evaluator_invalid_output",
            "scores[0].evidence",
        ),
        (
            Reply::Content("The candidate seems strong overall.".into()),
            "evaluator_invalid_output",
            "",
        ),
        (Reply::Status(500), "evaluator_failed", ""),
        (Reply::Hang, "evaluator_failed", ""),
    ];
    for (answer, code, field) in cases {
        *fake.reply.lock().expect("lock") = answer;
        let (status, body) = interviewer.post(&automated, json!({})).await;
        assert_eq!(status, StatusCode::BAD_GATEWAY, "[{label}] {field}: {body}");
        assert_eq!(body["error"]["code"], code, "{body}");
        if !field.is_empty() {
            assert_eq!(body["error"]["field"], field, "{body}");
            assert!(
                body["error"]["message"]
                    .as_str()
                    .unwrap_or_default()
                    .contains(field),
                "{body}"
            );
        }
        assert!(
            app.store
                .scorecards(&id)
                .await
                .expect("scorecards")
                .is_empty(),
            "[{label}] nothing saved for {field}"
        );
    }
    let audit = app.store.audit_log(100).await.expect("audit");
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.action == "scorecard.automated_failed" && e.target == id)
            .count(),
        9,
        "[{label}]"
    );

    // What the model is asked: the rubric and the answers.
    *fake.reply.lock().expect("lock") = reply(draft(&competencies, [80, 55]));
    fake.asked.lock().expect("lock").clear();
    let (status, drafted) = interviewer.post(&automated, json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "[{label}] {drafted}");
    assert_eq!(drafted["counted"], false);
    assert_eq!(drafted["drafted_by"], "llm:eval-test");
    assert_eq!(drafted["scorecard"]["automated"], true);
    assert_eq!(drafted["scorecard"]["submitted"], false);
    {
        let asked = fake.asked.lock().expect("lock");
        assert_eq!(asked.len(), 1);
        assert_eq!(asked[0]["model"], "eval-test");
        let user = asked[0]["messages"][1]["content"]
            .as_str()
            .unwrap_or_default();
        for expected in [
            "Consensus and idempotent design.",
            "Card rails and settlement.",
            "Strong SQL and schema design on PostgreSQL (required)",
            "I would make every retry idempotent with a key.",
            "Double-entry ledger rows in one transaction.",
            "Criterion ",
        ] {
            assert!(
                user.contains(expected),
                "[{label}] the prompt lacks {expected:?}:\n{user}"
            );
        }
    }

    // Stored as the interviewer's automated draft; figures unchanged.
    let cards = app.store.scorecards(&id).await.expect("scorecards");
    assert_eq!(cards.len(), 1);
    assert!(cards[0].automated && !cards[0].submitted);
    assert_eq!(cards[0].interviewer_id, assigned.id);
    assert_eq!(cards[0].drafted_by.as_deref(), Some("llm:eval-test"));
    let (_, during) = hm.get(&performance).await;
    assert_eq!(
        during, before,
        "[{label}] an automated draft moved the figures"
    );
    assert_eq!(
        app.store
            .interview(&id)
            .await
            .expect("get")
            .expect("interview")
            .overall,
        None
    );
    assert_eq!(
        app.store.verify().await.expect("verify"),
        Vec::<String>::new()
    );

    // A draft is its author's alone: the hiring manager's page does not show
    // it (the API and the page follow one rule)…
    let password = "a long enough password";
    app.user("hm-page@example.com", Role::HiringManager, password)
        .await;
    let http = client();
    let login = crate::common::log_in_to(&http, &app, "hm-page@example.com", password, "/").await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let page = http
        .get(app.url(&format!("/interviews/{id}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        !page.contains("Automated draft — not counted until a person submits it"),
        "{page}"
    );
    // …while its author's page badges it.
    let hash = ladder_server::auth::hash_password(password).expect("hash");
    app.store
        .set_password(
            &assigned.id,
            &hash,
            false,
            None,
            &ladder_store::Actor::system(),
        )
        .await
        .expect("password");
    let author = client();
    let login = crate::common::log_in_to(&author, &app, "iv1@example.com", password, "/").await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let own = author
        .get(app.url(&format!("/interviews/{id}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        own.contains("Automated draft — not counted until a person submits it"),
        "{own}"
    );
    // …and offers the evaluator to this viewer too.
    assert!(
        page.contains(&format!("action=\"/interviews/{id}/scorecard/automated\"")),
        "{page}"
    );
    let csrf = csrf_in(&page).expect("csrf");
    let from_page = http
        .post(app.url(&format!("/interviews/{id}/scorecard/automated")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(from_page.status(), StatusCode::SEE_OTHER, "[{label}]");
    let page = http
        .get(app.url(&format!("/interviews/{id}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("Drafted by llm:eval-test"), "{page}");
    let (_, still) = hm.get(&performance).await;
    assert_eq!(
        still, before,
        "[{label}] two automated drafts moved the figures"
    );

    // A person reviews (changes one score) and submits: now it counts.
    let mut card = drafted["scorecard"]["card"].clone();
    card["scores"][1]["score"] = json!(60);
    card["submit"] = json!(true);
    let (status, saved) = interviewer
        .post(&format!("/api/v1/interviews/{id}/scorecards"), card)
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["scorecard"]["automated"], false);
    assert_eq!(saved["scorecard"]["drafted_by"], "llm:eval-test");
    // 0.6 × 80 + 0.4 × 60 = 72.0
    assert_eq!(saved["overall"], "72.0");
    let (_, after) = hm.get(&performance).await;
    assert_eq!(after["scored"], 1, "{after}");
    assert_eq!(after["avg_score"], "72.0");
    let audit = app.store.audit_log(100).await.expect("audit");
    let submitted = audit
        .iter()
        .find(|e| e.action == "scorecard.submit" && e.target == id)
        .expect("submit audited");
    assert_eq!(
        submitted.detail["origin"], "automated_draft",
        "{:?}",
        submitted.detail
    );
    assert_eq!(submitted.detail["drafted_by"], "llm:eval-test");
    assert_eq!(
        app.store.verify().await.expect("verify"),
        Vec::<String>::new(),
        "[{label}]"
    );

    // Once submitted, the evaluator does not overwrite it.
    let (status, body) = interviewer.post(&automated, json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    // A hand-made draft is kept unless replacing it is asked for.
    let (status, _) = hm
        .post(
            &format!("/api/v1/interviews/{id}/scorecards"),
            json!({"scores": [{"competency_id": competencies[0], "score": 10}], "submit": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = hm.post(&automated, json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["field"], "replace_draft");
    let (status, body) = hm.post(&automated, json!({"replace_draft": true})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (_, last) = hm.get(&performance).await;
    assert_eq!(
        last, after,
        "[{label}] the hiring manager's automated draft moved the figures"
    );
    app.stop().await;
}

on_each_database!(the_evaluator_drafts_a_scorecard_that_counts_only_once_a_person_submits_it);

#[tokio::test]
async fn without_a_model_the_evaluator_says_how_to_configure_one() {
    let app = TestApp::spawn(TestDatabase::sqlite()).await;
    let (_, token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let hm = Api {
        app: &app,
        token,
        http: client(),
    };
    let (_, spec) = hm.post("/api/v1/job-specs", seed_spec()).await;
    let spec_id = spec["id"].as_str().expect("id").to_string();
    let (status, _) = hm
        .post(&format!("/api/v1/job-specs/{spec_id}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, invited) = hm
        .post(
            &format!("/api/v1/job-specs/{spec_id}/interviews"),
            json!({"candidate_name": "Ada", "candidate_email": "ada@example.com"}),
        )
        .await;
    let id = invited["interview"]["id"].as_str().expect("id");
    let (status, body) = hm
        .post(
            &format!("/api/v1/interviews/{id}/scorecards/automated"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("LADDER_LLM_URL"));
    app.stop().await;
}
