//! `Idempotency-Key` across servers and crashes (issue #11, items 2, 3 and
//! 18): two servers on one database racing the same keys make one effect per
//! key; a claim left by a server that died is taken over once its lease runs
//! out (and not before); a key reused on another path is refused; a request
//! that failed is not kept and its retry runs.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{ids, payments_spec, staff, Api, TestApp};
use ladder_core::access::Role;
use ladder_store::testing::TestDatabase;
use ladder_store::{Claimed, IdempotencyKey};

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    two_servers_racing_the_same_keys_make_one_effect_per_key
);
on_each_database!(a_claim_left_by_a_dead_server_is_taken_over_after_its_lease);
on_each_database!(a_key_reused_on_another_path_is_refused_and_a_failed_request_is_not_kept);

fn api<'a>(app: &'a TestApp, token: &str) -> Api<'a> {
    Api {
        app,
        token: token.to_string(),
        http: crate::common::client(),
    }
}

/// A published spec on `app`: its id and competency ids.
async fn published(hm: &Api<'_>) -> (String, Vec<String>) {
    let (status, spec) = hm.post("/api/v1/job-specs", payments_spec()).await;
    assert_eq!(status, StatusCode::CREATED, "{spec}");
    let id = spec["id"].as_str().expect("id").to_string();
    let (status, published) = hm
        .post(&format!("/api/v1/job-specs/{id}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    (id, ids(&published["competencies"]))
}

/// One of two answers to the same key sent at once: the first response
/// (created), a replay of it, or "still running".
fn check_pair(key: &str, first: &(StatusCode, Value), second: &(StatusCode, Value)) {
    let created = [first, second]
        .iter()
        .filter(|(status, _)| status.is_success())
        .count();
    assert!(
        created >= 1,
        "{key}: neither succeeded: {first:?} {second:?}"
    );
    for (status, body) in [first, second] {
        if status.is_success() {
            let other = if std::ptr::eq(body, &first.1) {
                second
            } else {
                first
            };
            if other.0.is_success() {
                assert_eq!(
                    body, &other.1,
                    "{key}: a replay differs from the first response"
                );
            }
        } else {
            assert_eq!(*status, StatusCode::CONFLICT, "{key}: {body}");
            assert_eq!(body["error"]["code"], "in_progress", "{key}: {body}");
        }
    }
}

async fn two_servers_racing_the_same_keys_make_one_effect_per_key(database: TestDatabase) {
    let one = TestApp::spawn(database).await;
    let two = one.another().await;
    let (_, manager) = staff(&one, "hm@example.com", Role::HiringManager).await;
    let (interviewer, interviewer_token) = staff(&one, "iv@example.com", Role::Interviewer).await;
    let (hm_one, hm_two) = (api(&one, &manager), api(&two, &manager));
    let (spec, competencies) = published(&hm_one).await;

    // Invitations: each key sent to both servers at once.
    const KEYS: usize = 12;
    let path = format!("/api/v1/job-specs/{spec}/interviews");
    let mut interview_ids = Vec::new();
    for n in 0..KEYS {
        let key = format!("invite-{n}");
        let body = json!({
            "candidate_name": format!("Candidate {n}"),
            "candidate_email": format!("c{n}@example.com"),
            "interviewers": [interviewer.id],
        });
        let (first, second) = tokio::join!(
            hm_one.post_keyed(&path, body.clone(), &key),
            hm_two.post_keyed(&path, body.clone(), &key),
        );
        check_pair(&key, &first, &second);
        let made = if first.0.is_success() {
            &first.1
        } else {
            &second.1
        };
        interview_ids.push(made["interview"]["id"].as_str().expect("id").to_string());
        // A later retry, on either server, is the first response again.
        let retry = hm_two.post_keyed(&path, body, &key).await;
        assert_eq!(&retry.1, made, "{key}");
    }
    let (_, listed) = hm_one.get(&path).await;
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(KEYS),
        "[{}] one interview per key",
        one.label
    );

    // Scorecards: the same submission sent to both servers at once is one
    // revision, never an amendment nobody made.
    let (iv_one, iv_two) = (api(&one, &interviewer_token), api(&two, &interviewer_token));
    let scores: Vec<Value> = competencies
        .iter()
        .map(|id| json!({"competency_id": id, "score": 70, "evidence": "Clear."}))
        .collect();
    let card = json!({
        "scores": scores,
        "must_haves": [
            {"text": "5+ years building production backend systems", "met": true},
            {"text": "Strong SQL and schema design on PostgreSQL", "met": true}
        ],
        "recommendation": "yes",
        "submit": true,
    });
    for (n, interview) in interview_ids.iter().enumerate() {
        let key = format!("card-{n}");
        let path = format!("/api/v1/interviews/{interview}/scorecards");
        let (first, second) = tokio::join!(
            iv_one.post_keyed(&path, card.clone(), &key),
            iv_two.post_keyed(&path, card.clone(), &key),
        );
        check_pair(&key, &first, &second);
        let stored = one.store.scorecards(interview).await.expect("scorecards");
        assert_eq!(stored.len(), 1, "{key}");
        assert_eq!(
            stored[0].revision, 1,
            "[{}] {key}: an amendment nobody made",
            one.label
        );
    }
    assert_eq!(
        one.store.verify().await.expect("verify"),
        Vec::<String>::new()
    );
    two.stop().await;
    one.stop().await;
}

/// The key a request is stored under, as the server derives it: the caller's
/// scope, a hash of the client's key, and a hash of method, path and body.
fn stored_key(scope: &str, key: &str, path: &str, body: &Value) -> IdempotencyKey {
    let mut request = format!("POST {path}\n").into_bytes();
    request.extend_from_slice(&serde_json::to_vec(body).expect("json"));
    IdempotencyKey {
        scope: scope.to_string(),
        key: ladder_core::text::sha256_hex(format!("lookup\n{scope}\n{key}").as_bytes()),
        request_hash: ladder_core::text::sha256_hex(&request),
    }
}

async fn a_claim_left_by_a_dead_server_is_taken_over_after_its_lease(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let (manager, token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let hm = api(&app, &token);
    let (spec, _) = published(&hm).await;
    let path = format!("/api/v1/job-specs/{spec}/interviews");
    let scope = format!("user:{}", manager.id);
    let now = ladder_store::now_millis();

    // A server claimed this key and died mid-request; its lease still runs.
    let body = json!({"candidate_name": "Ada", "candidate_email": "ada@example.com"});
    let held = stored_key(&scope, "held", &path, &body);
    assert!(matches!(
        app.store
            .claim_key(&held, now, now + 3_600_000)
            .await
            .expect("claim"),
        Claimed::New(_)
    ));
    let (status, refused) = hm.post_keyed(&path, body.clone(), "held").await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["error"]["code"], "in_progress");
    let (_, listed) = hm.get(&path).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(0), "nothing ran");

    // Another server died holding this one, and its lease ran out: the retry
    // takes the key over and runs, once.
    let body = json!({"candidate_name": "Grace", "candidate_email": "grace@example.com"});
    let expired = stored_key(&scope, "expired", &path, &body);
    assert!(matches!(
        app.store
            .claim_key(&expired, now - 120_000, now - 60_000)
            .await
            .expect("claim"),
        Claimed::New(_)
    ));
    let (status, created) = hm.post_keyed(&path, body.clone(), "expired").await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, again) = hm.post_keyed(&path, body, "expired").await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(again, created, "the retry is the first response");
    let (_, listed) = hm.get(&path).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    app.stop().await;
}

async fn a_key_reused_on_another_path_is_refused_and_a_failed_request_is_not_kept(
    database: TestDatabase,
) {
    let app = TestApp::spawn(database).await;
    let (_, token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let hm = api(&app, &token);

    // A request that failed (the spec is not published yet) is not kept:
    // its retry with the same key runs once the cause is fixed.
    let (status, spec) = hm.post("/api/v1/job-specs", payments_spec()).await;
    assert_eq!(status, StatusCode::CREATED);
    let spec = spec["id"].as_str().expect("id").to_string();
    let path = format!("/api/v1/job-specs/{spec}/interviews");
    let invite = |email: &str| json!({"candidate_name": "Ada", "candidate_email": email});
    let (status, refused) = hm.post_keyed(&path, invite("a@example.com"), "k-a").await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    let (status, _) = hm
        .post(&format!("/api/v1/job-specs/{spec}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, first) = hm.post_keyed(&path, invite("a@example.com"), "k-a").await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, second) = hm.post_keyed(&path, invite("b@example.com"), "k-b").await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let a = first["interview"]["id"].as_str().expect("id").to_string();
    let b = second["interview"]["id"].as_str().expect("id").to_string();

    // Withdrawing A with a key, then B with the same key: the second is
    // another request (another path), so it is refused, and B stays invited.
    let (status, withdrawn) = hm
        .post_keyed(&format!("/api/v1/interviews/{a}/withdraw"), json!({}), "w")
        .await;
    assert_eq!(status, StatusCode::OK, "{withdrawn}");
    let (status, reused) = hm
        .post_keyed(&format!("/api/v1/interviews/{b}/withdraw"), json!({}), "w")
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{reused}");
    assert_eq!(reused["error"]["code"], "idempotency_key_reused");
    let (_, b_now) = hm.get(&format!("/api/v1/interviews/{b}")).await;
    assert_eq!(b_now["interview"]["status"], "invited");
    app.stop().await;
}
