//! Idempotency keys claimed in the database: one claimant at a time, across
//! servers; the response written in the transaction of the effect it
//! answers, so a crash can never leave an effect without its response or a
//! response without its effect; a lease for claimants that died.

use std::sync::Arc;

use ladder_core::interview::Status;
use ladder_store::{
    Actor, Claim, Claimed, Completion, IdempotencyKey, IdempotentResponse, Interview,
    NewInvitation, Store, StoreError,
};

both_backends!(
    a_key_is_claimed_once_and_replays_its_response,
    a_released_claim_lets_the_retry_run,
    the_response_is_written_with_the_effect_or_not_at_all,
    an_expired_claim_is_taken_over_and_its_first_claimant_cannot_complete,
    racing_claimants_get_one_claim,
);

fn key(scope: &str, request: &str) -> IdempotencyKey {
    IdempotencyKey {
        scope: scope.into(),
        key: "key-1".into(),
        request_hash: request.into(),
    }
}

fn response(body: &str) -> IdempotentResponse {
    IdempotentResponse {
        request_hash: "h1".into(),
        status: 201,
        body: body.into(),
    }
}

async fn claim(store: &dyn Store, key: &IdempotencyKey, now: i64) -> Claimed {
    store
        .claim_key(key, now, now + 60_000)
        .await
        .expect("claim")
}

fn new_claim(claimed: Claimed) -> Claim {
    match claimed {
        Claimed::New(claim) => claim,
        other => panic!("expected a new claim, found {other:?}"),
    }
}

async fn a_key_is_claimed_once_and_replays_its_response(store: Arc<dyn Store>) {
    let first = new_claim(claim(store.as_ref(), &key("user:a", "h1"), 1).await);
    assert_eq!(
        claim(store.as_ref(), &key("user:a", "h1"), 2).await,
        Claimed::Running
    );
    assert_eq!(
        claim(store.as_ref(), &key("user:a", "h2"), 2).await,
        Claimed::Reused
    );
    // Another caller's key of the same name is theirs.
    new_claim(claim(store.as_ref(), &key("user:b", "h1"), 2).await);
    store
        .complete_claim(&first, &response("{\"id\":1}"))
        .await
        .expect("complete");
    assert_eq!(
        claim(store.as_ref(), &key("user:a", "h1"), 3).await,
        Claimed::Done(response("{\"id\":1}"))
    );
    assert_eq!(
        claim(store.as_ref(), &key("user:a", "h2"), 3).await,
        Claimed::Reused
    );
    // Releasing a completed claim keeps its response.
    store.release_claim(&first).await.expect("release");
    assert_eq!(
        claim(store.as_ref(), &key("user:a", "h1"), 4).await,
        Claimed::Done(response("{\"id\":1}"))
    );
}

async fn a_released_claim_lets_the_retry_run(store: Arc<dyn Store>) {
    let first = new_claim(claim(store.as_ref(), &key("user:a", "h1"), 1).await);
    store.release_claim(&first).await.expect("release");
    assert_eq!(
        store
            .idempotent_response("user:a", "key-1")
            .await
            .expect("read"),
        None
    );
    let retry = new_claim(claim(store.as_ref(), &key("user:a", "h1"), 2).await);
    assert_ne!(retry.owner, first.owner);
}

/// A job spec published, so interviews can be created.
async fn spec(store: &dyn Store) -> (String, u32) {
    let id = uuid::Uuid::now_v7().to_string();
    let body = ladder_core::jobspec::JobSpecBody {
        title: "Backend".into(),
        seniority: String::new(),
        description: String::new(),
        basis: None,
        competencies: vec![ladder_core::jobspec::Competency {
            id: "c".into(),
            name: "C".into(),
            weight: ladder_core::jobspec::Weight(10_000),
            definition: String::new(),
        }],
        must_haves: vec![],
        round1: vec![],
        round2: vec![],
    };
    store
        .create_job_spec(&id, &body, &Actor::system())
        .await
        .expect("spec");
    let published = store
        .publish_job_spec(&id, "v1-AbCdEf1", &Actor::system())
        .await
        .expect("publish");
    (id, published.version)
}

fn invitation(token: &str, interviewers: Vec<String>) -> NewInvitation {
    NewInvitation {
        candidate_name: "Ada".into(),
        candidate_email: format!("{token}@example.com"),
        token_hash: token.into(),
        expires_at: i64::MAX / 2,
        interviewers,
    }
}

fn invited_response(interviews: &[Interview]) -> IdempotentResponse {
    IdempotentResponse {
        request_hash: "h1".into(),
        status: 201,
        body: interviews
            .iter()
            .map(|i| i.id.clone())
            .collect::<Vec<_>>()
            .join(","),
    }
}

async fn the_response_is_written_with_the_effect_or_not_at_all(store: Arc<dyn Store>) {
    let (spec_id, version) = spec(store.as_ref()).await;
    let actor = Actor::system();

    // A failing effect (an interviewer who does not exist) writes neither the
    // invitation nor a response: the claim is still open, for its release.
    let key_a = key("user:a", "h1");
    let failing = new_claim(claim(store.as_ref(), &key_a, 1).await);
    let respond = |interviews: &[Interview]| invited_response(interviews);
    let refused = store
        .create_interviews(
            &spec_id,
            version,
            &[invitation("t-fail", vec!["nobody".into()])],
            &actor,
            Some(Completion {
                claim: &failing,
                respond: &respond,
            }),
        )
        .await;
    assert!(refused.is_err(), "{refused:?}");
    assert!(store.interviews(&spec_id).await.expect("list").is_empty());
    assert_eq!(
        store
            .idempotent_response("user:a", "key-1")
            .await
            .expect("read"),
        None
    );
    store.release_claim(&failing).await.expect("release");

    // The retry runs, and its effect and response commit together. The
    // server then "crashes" before replying: the next retry, on any server,
    // replays the response and creates nothing.
    let retry = new_claim(claim(store.as_ref(), &key_a, 2).await);
    let created = store
        .create_interviews(
            &spec_id,
            version,
            &[invitation("t-ok", vec![])],
            &actor,
            Some(Completion {
                claim: &retry,
                respond: &respond,
            }),
        )
        .await
        .expect("invite");
    assert_eq!(created.len(), 1);
    assert_eq!(
        claim(store.as_ref(), &key_a, 3).await,
        Claimed::Done(invited_response(&created))
    );
    assert_eq!(store.interviews(&spec_id).await.expect("list").len(), 1);

    // Every kind of effect completes its claim the same way: a withdrawal.
    let key_b = key("user:b", "h1");
    let withdrawing = new_claim(claim(store.as_ref(), &key_b, 4).await);
    let withdrawn_response = |interview: &Interview| response(interview.status.as_str());
    store
        .close_interview(
            &created[0].id,
            Status::Withdrawn,
            &actor,
            Some(Completion {
                claim: &withdrawing,
                respond: &withdrawn_response,
            }),
        )
        .await
        .expect("withdraw");
    assert_eq!(
        claim(store.as_ref(), &key_b, 5).await,
        Claimed::Done(response("withdrawn"))
    );
}

async fn an_expired_claim_is_taken_over_and_its_first_claimant_cannot_complete(
    store: Arc<dyn Store>,
) {
    let (spec_id, version) = spec(store.as_ref()).await;
    let actor = Actor::system();
    let key = key("user:a", "h1");
    let first = new_claim(store.claim_key(&key, 1_000, 61_000).await.expect("claim"));
    assert_eq!(
        store.claim_key(&key, 60_999, 120_999).await.expect("claim"),
        Claimed::Running,
        "within the lease"
    );
    // The first claimant's server died: after its lease, a retry takes over.
    let second = new_claim(store.claim_key(&key, 61_000, 121_000).await.expect("claim"));
    assert_ne!(second.owner, first.owner);
    // The first claimant was only slow; its effect must not stand as well.
    let respond = |interviews: &[Interview]| invited_response(interviews);
    let late = store
        .create_interviews(
            &spec_id,
            version,
            &[invitation("t-late", vec![])],
            &actor,
            Some(Completion {
                claim: &first,
                respond: &respond,
            }),
        )
        .await;
    assert!(matches!(late, Err(StoreError::Conflict(_))), "{late:?}");
    assert!(store.interviews(&spec_id).await.expect("list").is_empty());
    let created = store
        .create_interviews(
            &spec_id,
            version,
            &[invitation("t-taken-over", vec![])],
            &actor,
            Some(Completion {
                claim: &second,
                respond: &respond,
            }),
        )
        .await
        .expect("invite");
    assert_eq!(store.interviews(&spec_id).await.expect("list"), created);
}

async fn racing_claimants_get_one_claim(store: Arc<dyn Store>) {
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { claim(store.as_ref(), &key("user:race", "h1"), 1).await })
        })
        .collect();
    let mut new = 0;
    for task in tasks {
        match task.await.expect("task") {
            Claimed::New(_) => new += 1,
            Claimed::Running => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(new, 1);
}
