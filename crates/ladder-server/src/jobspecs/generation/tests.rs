//! The optional language-model generator against a local HTTP server that
//! speaks the OpenAI chat-completions wire format: a good answer is used, and
//! every kind of failure falls back to the grounded generator with a reason.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{build_prompt, generate, item_id, Generated, GROUNDING_PER_COMPETENCY};
use crate::clients::llm::LlmConfig;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use ladder_core::generate::{self as grounded, Context, Round};
use ladder_core::jobspec::{Competency, FrameworkBasis, JobSpecBody, MustHave, RoundItem, Weight};
use ladder_core::{criterion_id, Criterion, Framework, Level, Topic};
use serde_json::{json, Value};

const MODEL: &str = "test-model";
const KEY: &str = "sk-test-not-a-secret";
const DESCRIPTION: &str = "We run the payment ledger for a card issuer. You will own idempotent ledger writes, \
     nightly reconciliation against settlement files, and the Postgres schema behind card settlements.";

// ---------------------------------------------------------------- fixtures

fn criterion(topic: &str, level: u32, text: &str) -> Criterion {
    Criterion {
        id: criterion_id(topic, level, text),
        text: text.into(),
        examples: vec![],
    }
}

fn topic(key: &str, title: &str, levels: Vec<(u32, Vec<&str>)>) -> Topic {
    Topic {
        key: key.into(),
        title: title.into(),
        subtitle: None,
        levels: levels
            .into_iter()
            .map(|(number, texts)| Level {
                number,
                criteria: texts
                    .into_iter()
                    .map(|text| criterion(key, number, text))
                    .collect(),
            })
            .collect(),
    }
}

fn framework() -> Framework {
    Framework {
        slug: "backend".into(),
        path: Some("/engineering/backend".into()),
        title: "Backend Engineering".into(),
        sidebar_title: None,
        group: None,
        declared_level_count: Some(4),
        level_prefix: None,
        sublevels: None,
        homepage: None,
        body_markdown: String::new(),
        topics: vec![
            topic(
                "distributed-systems",
                "Distributed Systems",
                vec![
                    (2, vec!["Fixes concurrency bugs in services with guidance"]),
                    (
                        3,
                        vec![
                            "Designs idempotent APIs that tolerate retries and partial failure",
                            "Leads incident reviews for distributed failures",
                        ],
                    ),
                    (
                        4,
                        vec!["Sets the consistency strategy for a group of services"],
                    ),
                ],
            ),
            topic(
                "payments",
                "Payments",
                vec![
                    (
                        3,
                        vec![
                            "Reconciles ledgers against settlement files",
                            "Explains card settlement flows to the team",
                        ],
                    ),
                    (4, vec!["Owns the payment ledger's correctness"]),
                ],
            ),
            topic(
                "communication",
                "Communication",
                vec![(
                    3,
                    vec!["Writes clear design documents and shares them early"],
                )],
            ),
        ],
        source: None,
        warnings: vec![],
    }
}

fn spec() -> JobSpecBody {
    JobSpecBody {
        title: "Senior Backend Engineer, Payments".into(),
        seniority: "Senior".into(),
        description: DESCRIPTION.into(),
        basis: Some(FrameworkBasis { slug: "backend".into(), level: 3 }),
        competencies: vec![
            Competency {
                id: "distributed_systems".into(),
                name: "Distributed Systems".into(),
                weight: Weight(6000),
                definition: "Designs services that stay correct under retries, partial failure and concurrency.".into(),
            },
            Competency {
                id: "payments_domain".into(),
                name: "Payments Domain".into(),
                weight: Weight(4000),
                definition: "Understands card settlement, reconciliation and ledgers.".into(),
            },
        ],
        must_haves: vec![MustHave { text: "Five years building backend services in production".into(), required: true }],
        round1: vec![],
        round2: vec![],
    }
}

fn avoid() -> Vec<RoundItem> {
    vec![RoundItem {
        id: "q-00000001".into(),
        text: "How would you keep ledger writes idempotent when the card network retries?".into(),
        competency_id: Some("distributed_systems".into()),
        grounding: vec![],
        origin: "edited".into(),
        quality: None,
    }]
}

fn config(url: &str, timeout: Duration) -> LlmConfig {
    LlmConfig {
        url: url.into(),
        model: MODEL.into(),
        api_key: Some(KEY.into()),
        timeout,
    }
}

/// The ids the prompt offers for a competency, as the generator ranks them.
fn ranked_ids(framework: &Framework, competency: &Competency) -> Vec<String> {
    grounded::rank_criteria(framework, 3, competency, GROUNDING_PER_COMPETENCY)
        .iter()
        .map(|ranked| ranked.criterion.id.clone())
        .collect()
}

// ---------------------------------------------------------------- the fake model server

#[derive(Clone)]
enum Answer {
    /// A chat completion whose message content is this string.
    Content(String),
    /// This status and body, verbatim.
    Status(u16, String),
    /// Never answers.
    Hang,
}

#[derive(Debug, Clone)]
struct Received {
    method: Method,
    path: String,
    authorization: Option<String>,
    body: Value,
}

struct Fake {
    answer: Mutex<Answer>,
    received: Mutex<Vec<Received>>,
    never: tokio::sync::Notify,
}

struct Server {
    url: String,
    fake: Arc<Fake>,
}

impl Server {
    async fn start(answer: Answer) -> Server {
        let fake = Arc::new(Fake {
            answer: Mutex::new(answer),
            received: Mutex::new(Vec::new()),
            never: tokio::sync::Notify::new(),
        });
        let app = Router::new().fallback(serve).with_state(fake.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Server {
            url: format!("http://{address}"),
            fake,
        }
    }

    fn answer(&self, answer: Answer) {
        *self.fake.answer.lock().expect("lock") = answer;
    }

    fn requests(&self) -> Vec<Received> {
        self.fake.received.lock().expect("lock").clone()
    }

    fn last(&self) -> Received {
        self.requests()
            .pop()
            .expect("the server received a request")
    }
}

async fn serve(
    State(fake): State<Arc<Fake>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: String,
) -> Response {
    let authorization = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .map(str::to_string);
    let parsed = serde_json::from_str(&body).unwrap_or(Value::Null);
    fake.received.lock().expect("lock").push(Received {
        method: method.clone(),
        path: uri.path().to_string(),
        authorization,
        body: parsed,
    });
    if method != Method::POST || uri.path() != "/v1/chat/completions" {
        return (StatusCode::NOT_FOUND, "no such route").into_response();
    }
    let answer = fake.answer.lock().expect("lock").clone();
    match answer {
        Answer::Content(content) => {
            let completion = json!({
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "model": MODEL,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            });
            (
                StatusCode::OK,
                [("content-type", "application/json")],
                completion.to_string(),
            )
                .into_response()
        }
        Answer::Status(status, body) => Response::builder()
            .status(StatusCode::from_u16(status).expect("status"))
            .body(Body::from(body))
            .expect("response"),
        Answer::Hang => {
            // Nobody ever notifies this: the client must give up on its own.
            fake.never.notified().await;
            StatusCode::OK.into_response()
        }
    }
}

fn items(items: Value) -> Answer {
    Answer::Content(json!({ "items": items }).to_string())
}

/// Three good round-1 items and a fourth that should be cut off.
fn good_items(framework: &Framework, spec: &JobSpecBody) -> Value {
    let systems = ranked_ids(framework, &spec.competencies[0]);
    let payments = ranked_ids(framework, &spec.competencies[1]);
    json!([
        {"text": "  A settlement file arrives twice. How do you make sure the ledger books it once?  ", "competency_id": "distributed_systems", "grounding": [systems[0], "made.up.l9.0000000000", systems[0]]},
        {"text": "How would you design a reconciliation job that survives a crash halfway through?", "competency_id": "distributed_systems", "grounding": ["description"]},
        {"text": "How would you reconcile our ledger against a day's settlement file, and what would you check first?", "competency_id": "payments_domain", "grounding": [payments[0]]},
        {"text": "Which fourth question would you ask that nobody asked for here?", "competency_id": "payments_domain", "grounding": []},
    ])
}

fn assert_grounded(generated: &Generated, expected: &[RoundItem], reason_mentions: &str) {
    assert_eq!(generated.generator, "grounded-bm25");
    assert_eq!(
        &generated.items, expected,
        "the grounded generator's items, unchanged"
    );
    assert!(
        generated
            .items
            .iter()
            .all(|item| item.origin == "generated:grounded-bm25"),
        "{:?}",
        generated.items
    );
    let reason = generated
        .fallback_reason
        .as_deref()
        .expect("a fallback reason");
    assert!(
        reason.contains(reason_mentions),
        "reason {reason:?} should mention {reason_mentions:?}"
    );
    assert!(!reason.contains(KEY), "the key never appears in a reason");
}

// ---------------------------------------------------------------- tests

#[tokio::test]
async fn a_good_answer_becomes_the_round_items() {
    let (framework, spec) = (framework(), spec());
    let context = Context {
        spec: &spec,
        framework: Some(&framework),
    };
    let server = Server::start(items(good_items(&framework, &spec))).await;
    let avoid = avoid();

    let generated = generate(
        Some(&config(&server.url, Duration::from_secs(10))),
        &context,
        Round::One,
        3,
        &avoid,
    )
    .await;

    assert_eq!(generated.fallback_reason, None);
    assert_eq!(generated.generator, format!("llm:{MODEL}"));
    assert_eq!(generated.items.len(), 3, "the first three of four");
    let systems = ranked_ids(&framework, &spec.competencies[0]);
    let payments = ranked_ids(&framework, &spec.competencies[1]);
    let expected = [
        (
            "A settlement file arrives twice. How do you make sure the ledger books it once?",
            "distributed_systems",
            vec![systems[0].clone()],
        ),
        (
            "How would you design a reconciliation job that survives a crash halfway through?",
            "distributed_systems",
            vec!["description".to_string()],
        ),
        (
            "How would you reconcile our ledger against a day's settlement file, and what would you check first?",
            "payments_domain",
            vec![payments[0].clone()],
        ),
    ];
    for (item, (text, competency, grounding)) in generated.items.iter().zip(expected) {
        assert_eq!(item.text, text, "trimmed");
        assert_eq!(item.competency_id.as_deref(), Some(competency));
        assert_eq!(
            item.grounding, grounding,
            "unknown ids dropped, duplicates once"
        );
        assert_eq!(item.origin, format!("generated:llm:{MODEL}"));
        assert_eq!(item.id, item_id(Round::One, text));
        assert!(
            item.id.len() == 10
                && item.id.starts_with("q-")
                && item.id[2..].chars().all(|c| c.is_ascii_hexdigit()),
            "{}",
            item.id
        );
    }
    assert_ne!(
        item_id(Round::One, "same text"),
        item_id(Round::Two, "same text"),
        "the round is part of the id"
    );
}

#[tokio::test]
async fn the_request_carries_the_model_the_job_and_the_grounding() {
    let (framework, spec) = (framework(), spec());
    let context = Context {
        spec: &spec,
        framework: Some(&framework),
    };
    let server = Server::start(items(good_items(&framework, &spec))).await;
    let avoid = avoid();

    let generated = generate(
        Some(&config(&server.url, Duration::from_secs(10))),
        &context,
        Round::One,
        3,
        &avoid,
    )
    .await;
    assert_eq!(generated.fallback_reason, None);

    let requests = server.requests();
    assert_eq!(requests.len(), 1, "one request");
    let request = &requests[0];
    assert_eq!(request.method, Method::POST);
    assert_eq!(request.path, "/v1/chat/completions");
    assert_eq!(
        request.authorization.as_deref(),
        Some(format!("Bearer {KEY}").as_str())
    );
    let body = &request.body;
    assert_eq!(body["model"], MODEL);
    assert_eq!(body["temperature"], 0.2);
    assert_eq!(body["response_format"], json!({"type": "json_object"}));
    assert_eq!(body["messages"][0]["role"], "system");
    assert_eq!(body["messages"][1]["role"], "user");
    let system = body["messages"][0]["content"]
        .as_str()
        .expect("system text");
    let user = body["messages"][1]["content"].as_str().expect("user text");
    assert!(
        system.contains("Round 01") && system.contains("JSON"),
        "{system}"
    );
    for expected in [
        "Senior Backend Engineer, Payments",
        "Seniority: Senior",
        DESCRIPTION,
        "distributed_systems",
        "payments_domain",
        "weight 0.60",
        "weight 0.40",
        "definition:distributed_systems: Designs services that stay correct under retries",
        "Items per competency, in proportion to the weights: distributed_systems 2, payments_domain 1",
        "Five years building backend services in production (required)",
        "do not repeat",
        "How would you keep ledger writes idempotent when the card network retries?",
        "exactly 3",
    ] {
        assert!(
            user.contains(expected),
            "the prompt should contain {expected:?}:\n{user}"
        );
    }
    let offered: Vec<String> = spec
        .competencies
        .iter()
        .flat_map(|competency| ranked_ids(&framework, competency))
        .collect();
    assert!(
        !offered.is_empty(),
        "the framework grounds the competencies"
    );
    for id in &offered {
        assert!(
            user.contains(id.as_str()),
            "grounding criterion {id} is offered:\n{user}"
        );
    }
    assert_eq!(
        build_prompt(&context, Round::One, 3, &avoid).user,
        user,
        "the prompt is deterministic"
    );
}

#[tokio::test]
async fn round_two_asks_for_behavioural_prompts_and_a_v1_url_is_not_doubled() {
    let (framework, spec) = (framework(), spec());
    let context = Context {
        spec: &spec,
        framework: Some(&framework),
    };
    let server = Server::start(items(json!([
        {"text": "Tell me about a time you stopped a retry storm that double-charged customers.", "competency_id": "distributed_systems", "grounding": []},
        {"text": "Tell me about a time you found out why a reconciliation did not balance.", "competency_id": "payments_domain", "grounding": ["definition"]},
    ])))
    .await;
    let config = LlmConfig {
        api_key: None,
        ..config(&format!("{}/v1//", server.url), Duration::from_secs(10))
    };

    let generated = generate(Some(&config), &context, Round::Two, 2, &[]).await;

    assert_eq!(generated.fallback_reason, None);
    assert_eq!(generated.items.len(), 2);
    assert_eq!(
        generated.items[1].grounding,
        vec!["definition:payments_domain".to_string()],
        "a bare \"definition\" means the item's own competency"
    );
    assert_eq!(
        generated.items[0].id,
        item_id(
            Round::Two,
            "Tell me about a time you stopped a retry storm that double-charged customers."
        )
    );
    let request = server.last();
    assert_eq!(request.path, "/v1/chat/completions");
    assert_eq!(request.authorization, None, "no key, no header");
    let system = request.body["messages"][0]["content"]
        .as_str()
        .expect("system text")
        .to_lowercase();
    assert!(
        system.contains("round 02")
            && system.contains("behavioural")
            && system.contains("tell me about a time"),
        "{system}"
    );
}

#[tokio::test]
async fn every_invalid_answer_falls_back_to_the_grounded_generator_with_the_reason() {
    let (framework, spec) = (framework(), spec());
    let context = Context {
        spec: &spec,
        framework: Some(&framework),
    };
    let avoid = avoid();
    let expected = grounded::generate(&context, Round::One, 3, &avoid);
    assert_eq!(
        expected.len(),
        3,
        "the grounded generator respects the count"
    );
    let server = Server::start(Answer::Status(500, String::new())).await;
    let config = config(&server.url, Duration::from_secs(10));
    let item = |text: &str, competency: Value| json!({"text": text, "competency_id": competency, "grounding": []});
    let fine = |n: usize| {
        item(
            &format!("Which risk would you look at first in settlement run {n}, and why?"),
            json!("payments_domain"),
        )
    };

    let cases: Vec<(&str, Answer, &str)> = vec![
        (
            "too few items",
            items(json!([fine(1), fine(2)])),
            "returned 2 items; 3 were asked for",
        ),
        ("no items", items(json!([])), "returned 0 items"),
        (
            "invalid JSON",
            Answer::Content("{\"items\": [{\"text\": \"unterminated".into()),
            "not the expected JSON",
        ),
        (
            "prose instead of JSON",
            Answer::Content("Here are your questions: 1. Why?".into()),
            "not the expected JSON",
        ),
        (
            "wrong shape",
            Answer::Content(json!({"questions": ["a", "b", "c"]}).to_string()),
            "not the expected JSON",
        ),
        (
            "unknown competency",
            items(json!([
                fine(1),
                item("Who owns the ledger?", json!("leadership")),
                fine(3)
            ])),
            "unknown competency “leadership”",
        ),
        (
            "missing competency",
            items(json!([
                fine(1),
                fine(2),
                item("Who owns the ledger?", Value::Null)
            ])),
            "names no competency",
        ),
        (
            "duplicate of avoid",
            items(json!([
                fine(1),
                item(
                    "  how would you keep LEDGER writes idempotent\nwhen the card network retries?",
                    json!("distributed_systems")
                ),
                fine(3)
            ])),
            "repeats an existing item",
        ),
        (
            "duplicate of itself",
            items(json!([
                fine(1),
                fine(2),
                item(
                    "which risk would you look at first in settlement   RUN 1, and why?",
                    json!("payments_domain")
                )
            ])),
            "repeats another of its items",
        ),
        (
            "an item that fails the quality check",
            items(json!([
                fine(1),
                item(
                    "How would you design schemas, and how would you design schemas again?",
                    json!("payments_domain")
                ),
                fine(3)
            ])),
            "item 2 from the model failed the quality check (repeats the phrase",
        ),
        (
            "empty text",
            items(json!([
                fine(1),
                item("   ", json!("payments_domain")),
                fine(3)
            ])),
            "empty text",
        ),
        (
            "text too long",
            items(json!([
                fine(1),
                fine(2),
                item(&"why? ".repeat(130), json!("payments_domain"))
            ])),
            "longer than 600 characters",
        ),
        (
            "HTTP 500",
            Answer::Status(
                500,
                "{\"error\": {\"message\": \"upstream overloaded\"}}".into(),
            ),
            "HTTP 500",
        ),
        (
            "HTTP 401",
            Answer::Status(401, "invalid api key".into()),
            "HTTP 401",
        ),
        (
            "not a chat completion",
            Answer::Status(200, "<html>gateway</html>".into()),
            "not a chat completion",
        ),
        (
            "no choices",
            Answer::Status(200, json!({"choices": []}).to_string()),
            "no message content",
        ),
        (
            "null content",
            Answer::Status(
                200,
                json!({"choices": [{"message": {"role": "assistant", "content": null}}]})
                    .to_string(),
            ),
            "no message content",
        ),
    ];
    for (case, answer, mentions) in cases {
        server.answer(answer);
        let generated = generate(Some(&config), &context, Round::One, 3, &avoid).await;
        assert_eq!(generated.items.len(), 3, "{case}: the count is respected");
        assert_grounded(&generated, &expected, mentions);
    }
    assert_eq!(server.requests().len(), 17, "every case asked the model");
}

#[tokio::test]
async fn a_model_that_never_answers_times_out_and_falls_back() {
    let (framework, spec) = (framework(), spec());
    let context = Context {
        spec: &spec,
        framework: Some(&framework),
    };
    let server = Server::start(Answer::Hang).await;

    let generated = generate(
        Some(&config(&server.url, Duration::from_millis(300))),
        &context,
        Round::Two,
        4,
        &[],
    )
    .await;

    assert_grounded(
        &generated,
        &grounded::generate(&context, Round::Two, 4, &[]),
        "timed out",
    );
    assert!(
        generated
            .fallback_reason
            .as_deref()
            .is_some_and(|reason| reason.contains("300 ms")),
        "{:?}",
        generated.fallback_reason
    );
    assert_eq!(generated.items.len(), 4);
    assert_eq!(server.requests().len(), 1, "the request reached the server");
}

#[tokio::test]
async fn an_unreachable_model_falls_back() {
    let (framework, spec) = (framework(), spec());
    let context = Context {
        spec: &spec,
        framework: Some(&framework),
    };
    // A port that was just free and is now closed: the connection is refused.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);

    let generated = generate(
        Some(&config(
            &format!("http://{address}"),
            Duration::from_secs(5),
        )),
        &context,
        Round::One,
        2,
        &[],
    )
    .await;

    assert_grounded(
        &generated,
        &grounded::generate(&context, Round::One, 2, &[]),
        "could not connect",
    );
}

#[tokio::test]
async fn without_a_model_the_grounded_generator_answers_and_nothing_failed() {
    let (framework, spec) = (framework(), spec());
    let context = Context {
        spec: &spec,
        framework: Some(&framework),
    };
    let avoid = avoid();

    let generated = generate(None, &context, Round::One, 3, &avoid).await;

    assert_eq!(generated.generator, "grounded-bm25");
    assert_eq!(generated.fallback_reason, None);
    assert_eq!(
        generated.items,
        grounded::generate(&context, Round::One, 3, &avoid)
    );
    assert_eq!(generated.items.len(), 3);
    assert!(generated
        .items
        .iter()
        .all(|item| item.origin == "generated:grounded-bm25"));
}

#[tokio::test]
async fn a_spec_without_competencies_takes_null_competency_ids_only() {
    let spec = JobSpecBody {
        competencies: vec![],
        basis: None,
        ..spec()
    };
    let context = Context {
        spec: &spec,
        framework: None,
    };
    let server = Server::start(items(json!([{"text": "What would you change first in our ledger, and how would you know it worked?", "competency_id": null, "grounding": ["description", "payments.l3.0000000000"]}]))).await;
    let config = config(&server.url, Duration::from_secs(10));

    let generated = generate(Some(&config), &context, Round::One, 1, &[]).await;
    assert_eq!(generated.fallback_reason, None);
    assert_eq!(generated.items[0].competency_id, None);
    assert_eq!(
        generated.items[0].grounding,
        vec!["description".to_string()],
        "only offered ids survive"
    );
    let user = server.last().body["messages"][1]["content"]
        .as_str()
        .expect("user text")
        .to_string();
    assert!(
        user.contains(DESCRIPTION) && !user.contains("Competencies"),
        "{user}"
    );

    server.answer(items(json!([{"text": "What would you change first in our ledger, and how would you know it worked?", "competency_id": "payments_domain"}])));
    let generated = generate(Some(&config), &context, Round::One, 1, &[]).await;
    assert_eq!(generated.generator, "grounded-bm25");
    assert!(
        generated
            .fallback_reason
            .as_deref()
            .is_some_and(|reason| reason.contains("unknown competency")),
        "{:?}",
        generated.fallback_reason
    );
}

#[tokio::test]
async fn answers_in_a_code_fence_or_as_a_bare_array_are_accepted() {
    let (framework, spec) = (framework(), spec());
    let context = Context {
        spec: &spec,
        framework: Some(&framework),
    };
    let answer = json!([{"text": "How would you decide how large a settlement batch should be?", "competency_id": "payments_domain", "grounding": []}]);
    let server = Server::start(Answer::Content(format!(
        "```json\n{}\n```",
        json!({ "items": answer })
    )))
    .await;
    let config = config(&server.url, Duration::from_secs(10));

    let fenced = generate(Some(&config), &context, Round::One, 1, &[]).await;
    assert_eq!(fenced.fallback_reason, None);
    server.answer(Answer::Content(answer.to_string()));
    let bare = generate(Some(&config), &context, Round::One, 1, &[]).await;
    assert_eq!(bare.fallback_reason, None);
    assert_eq!(fenced.items, bare.items);
}

#[test]
fn the_endpoint_appends_the_chat_completions_path_once() {
    let endpoint = |url: &str| config(url, Duration::from_secs(1)).endpoint();
    assert_eq!(
        endpoint("http://127.0.0.1:8080"),
        "http://127.0.0.1:8080/v1/chat/completions"
    );
    assert_eq!(
        endpoint("http://127.0.0.1:8080/"),
        "http://127.0.0.1:8080/v1/chat/completions"
    );
    assert_eq!(
        endpoint("https://api.example.com/v1"),
        "https://api.example.com/v1/chat/completions"
    );
    assert_eq!(
        endpoint("https://api.example.com/v1///"),
        "https://api.example.com/v1/chat/completions"
    );
    assert_eq!(
        endpoint("https://gw.example.com/openai"),
        "https://gw.example.com/openai/v1/chat/completions"
    );
    assert_eq!(
        endpoint("https://gw.example.com/v1/chat/completions"),
        "https://gw.example.com/v1/chat/completions"
    );
}

#[tokio::test]
async fn zero_items_asks_nobody() {
    let (framework, spec) = (framework(), spec());
    let context = Context {
        spec: &spec,
        framework: Some(&framework),
    };
    let server = Server::start(Answer::Hang).await;
    let generated = generate(
        Some(&config(&server.url, Duration::from_secs(10))),
        &context,
        Round::One,
        0,
        &[],
    )
    .await;
    assert!(generated.items.is_empty() && generated.fallback_reason.is_none());
    assert!(server.requests().is_empty());
}
