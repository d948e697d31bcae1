//! The candidate's side of an interview that must survive reloads and
//! mishaps: unsent text kept as drafts, links extended and replaced, and
//! candidates invited twice to one job spec.

use std::sync::Arc;

use ladder_core::interview::Status;
use ladder_core::jobspec::{Competency, JobSpecBody, RoundItem, Weight};
use ladder_store::{
    now_millis, Actor, Claimed, Completion, DraftInput, DraftOutcome, IdempotencyKey,
    IdempotentResponse, Invited, NewInvitation, Store, StoreError,
};

both_backends!(
    drafts_are_kept_per_item_until_the_item_is_answered,
    a_replaced_link_stops_opening_the_interview_at_once,
    extending_a_link_moves_its_expiry_within_the_limit,
    candidates_invited_before_are_reported_rather_than_invited_again,
);

const DAY: i64 = 86_400_000;

fn item(id: &str) -> RoundItem {
    RoundItem {
        id: id.into(),
        text: format!("Question {id}"),
        competency_id: Some("systems".into()),
        grounding: vec![],
        origin: "edited".into(),
        quality: None,
    }
}

async fn published_spec(store: &dyn Store) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let body = JobSpecBody {
        title: "Senior Backend Engineer".into(),
        seniority: "senior".into(),
        description: String::new(),
        basis: None,
        competencies: vec![Competency {
            id: "systems".into(),
            name: "Systems".into(),
            weight: Weight(10_000),
            definition: String::new(),
        }],
        must_haves: vec![],
        round1: vec![item("q1"), item("q2"), item("q3")],
        round2: vec![item("p1"), item("p2")],
    };
    store
        .create_job_spec(&id, &body, &Actor::system())
        .await
        .expect("spec");
    store
        .publish_job_spec(&id, "v1-AbCdEfG", &Actor::system())
        .await
        .expect("publish");
    id
}

fn draft(round: u32, item_id: &str, text: &str) -> DraftInput {
    DraftInput {
        round,
        item_id: item_id.into(),
        text: text.into(),
    }
}

/// The drafts of an interview as (round, item, text).
async fn drafts_of(store: &dyn Store, interview: &str) -> Vec<(u32, String, String)> {
    store
        .drafts(interview)
        .await
        .expect("drafts")
        .into_iter()
        .map(|d| (d.round, d.item_id, d.text))
        .collect()
}

fn owned(drafts: &[(u32, &str, &str)]) -> Vec<(u32, String, String)> {
    drafts
        .iter()
        .map(|(round, item, text)| (*round, (*item).to_string(), (*text).to_string()))
        .collect()
}

async fn drafts_are_kept_per_item_until_the_item_is_answered(store: Arc<dyn Store>) {
    let actor = Actor::system();
    let spec_id = published_spec(store.as_ref()).await;
    let ada = store
        .create_interview(
            &spec_id,
            1,
            "Ada",
            "ada@example.com",
            "ada",
            i64::MAX,
            &actor,
        )
        .await
        .expect("invite");
    let bob = store
        .create_interview(
            &spec_id,
            1,
            "Bob",
            "bob@example.com",
            "bob",
            i64::MAX,
            &actor,
        )
        .await
        .expect("invite");

    let saved = store
        .save_drafts(
            &ada.id,
            &[
                draft(1, "q1", "half a thought"),
                draft(1, "q2", "another"),
                draft(2, "p1", "a story"),
            ],
        )
        .await
        .expect("save");
    assert!(
        saved.iter().all(|o| matches!(o, DraftOutcome::Saved(_))),
        "{saved:?}"
    );
    store
        .save_drafts(&bob.id, &[draft(1, "q1", "Bob's own")])
        .await
        .expect("save");
    // Last write wins; an empty (or blank) text deletes the draft.
    let outcomes = store
        .save_drafts(
            &ada.id,
            &[draft(1, "q1", "a whole thought"), draft(1, "q2", " \n ")],
        )
        .await
        .expect("save");
    assert!(
        matches!(&outcomes[..], [DraftOutcome::Saved(d), DraftOutcome::Deleted] if d.text == "a whole thought"),
        "{outcomes:?}"
    );
    assert_eq!(
        drafts_of(store.as_ref(), &ada.id).await,
        owned(&[(1, "q1", "a whole thought"), (2, "p1", "a story")])
    );
    assert_eq!(
        drafts_of(store.as_ref(), &bob.id).await,
        owned(&[(1, "q1", "Bob's own")]),
        "each interview keeps its own drafts"
    );

    // Sending an answer removes that item's draft, and a draft arriving
    // for an answered item is not kept.
    store
        .record_answer(&ada.id, 1, "q1", 0, "a whole thought, sent")
        .await
        .expect("answer");
    assert_eq!(
        drafts_of(store.as_ref(), &ada.id).await,
        owned(&[(2, "p1", "a story")])
    );
    let late = store
        .save_drafts(&ada.id, &[draft(1, "q1", "typed after sending")])
        .await
        .expect("save");
    assert_eq!(late, vec![DraftOutcome::Answered]);
    assert_eq!(
        drafts_of(store.as_ref(), &ada.id).await,
        owned(&[(2, "p1", "a story")])
    );
    assert_eq!(
        store.answers(&ada.id).await.expect("answers")[0].text,
        "a whole thought, sent",
        "a draft never touches the answer"
    );

    // Finishing ends the drafts; a finished interview keeps none.
    store.finish_interview(&ada.id, None).await.expect("finish");
    assert!(drafts_of(store.as_ref(), &ada.id).await.is_empty());
    let refused = store
        .save_drafts(&ada.id, &[draft(1, "q2", "too late")])
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict(m)) if m.contains("completed")),
        "{refused:?}"
    );
    // Withdrawing ends them too.
    store
        .close_interview(&bob.id, Status::Withdrawn, &actor, None)
        .await
        .expect("withdraw");
    assert!(drafts_of(store.as_ref(), &bob.id).await.is_empty());
}

async fn a_replaced_link_stops_opening_the_interview_at_once(store: Arc<dyn Store>) {
    let actor = Actor::system();
    let spec_id = published_spec(store.as_ref()).await;
    let week = now_millis() + 7 * DAY;
    let ada = store
        .create_interview(
            &spec_id,
            1,
            "Ada",
            "ada@example.com",
            "old-hash",
            week,
            &actor,
        )
        .await
        .expect("invite");
    let fresh = now_millis() + 14 * DAY;
    let replaced = store
        .replace_link(&ada.id, "new-hash", fresh, &actor, None)
        .await
        .expect("replace");
    assert_eq!(
        (replaced.expires_at, replaced.status),
        (week, Status::Invited),
        "a link still running keeps its expiry"
    );
    assert_eq!(
        store.interview_by_token("old-hash").await.expect("read"),
        None
    );
    assert_eq!(
        store
            .interview_by_token("new-hash")
            .await
            .expect("read")
            .map(|i| i.id),
        Some(ada.id.clone())
    );
    let audit = store.audit_log(20).await.expect("audit");
    assert!(
        audit
            .iter()
            .any(|a| a.action == "interview.link_replace" && a.target == ada.id),
        "{audit:?}"
    );
    assert!(
        !audit
            .iter()
            .any(|a| a.detail.to_string().contains("new-hash")),
        "the audit log keeps no token"
    );

    // An expired link is replaced by one that runs again: the interview
    // opens as it was (in progress, once answered).
    store
        .record_answer(&ada.id, 1, "q1", 0, "answered")
        .await
        .expect("answer");
    store
        .close_interview(&ada.id, Status::Expired, &actor, None)
        .await
        .expect("expire");
    let idempotency = IdempotencyKey {
        scope: "user:hm".into(),
        key: "replace-1".into(),
        request_hash: "h".into(),
    };
    let Claimed::New(claim) = store
        .claim_key(&idempotency, 1_000, now_millis() + DAY)
        .await
        .expect("claim")
    else {
        panic!("a new key is claimed");
    };
    let respond = |interview: &ladder_store::Interview| IdempotentResponse {
        request_hash: "h".into(),
        status: 200,
        body: interview.status.as_str().to_string(),
    };
    let reopened = store
        .replace_link(
            &ada.id,
            "newer-hash",
            fresh,
            &actor,
            Some(Completion {
                claim: &claim,
                respond: &respond,
            }),
        )
        .await
        .expect("replace");
    assert_eq!(
        (reopened.status, reopened.expires_at),
        (Status::InProgress, fresh)
    );
    assert_eq!(
        store
            .claim_key(&idempotency, 2_000, now_millis() + DAY)
            .await
            .expect("claim"),
        Claimed::Done(IdempotentResponse {
            request_hash: "h".into(),
            status: 200,
            body: "in_progress".into(),
        }),
        "the response is written with the new link"
    );
    assert_eq!(
        store.interview_by_token("new-hash").await.expect("read"),
        None
    );

    // A token in use elsewhere is refused and changes nothing; so is any
    // change to an interview that is over.
    let bob = store
        .create_interview(
            &spec_id,
            1,
            "Bob",
            "bob@example.com",
            "bob-hash",
            week,
            &actor,
        )
        .await
        .expect("invite");
    let clash = store
        .replace_link(&ada.id, "bob-hash", fresh, &actor, None)
        .await;
    assert!(matches!(clash, Err(StoreError::Conflict(_))), "{clash:?}");
    assert_eq!(
        store
            .interview_by_token("newer-hash")
            .await
            .expect("read")
            .map(|i| i.id),
        Some(ada.id.clone())
    );
    store
        .close_interview(&bob.id, Status::Withdrawn, &actor, None)
        .await
        .expect("withdraw");
    let withdrawn = store
        .replace_link(&bob.id, "bob-again", fresh, &actor, None)
        .await;
    assert!(
        matches!(&withdrawn, Err(StoreError::Conflict(m)) if m.contains("withdrawn")),
        "{withdrawn:?}"
    );
    assert!(store
        .interview_by_token("bob-hash")
        .await
        .expect("read")
        .is_some());
    assert_eq!(store.verify().await.expect("verify"), Vec::<String>::new());
}

async fn extending_a_link_moves_its_expiry_within_the_limit(store: Arc<dyn Store>) {
    let actor = Actor::system();
    let spec_id = published_spec(store.as_ref()).await;
    let start = now_millis();
    let ada = store
        .create_interview(
            &spec_id,
            1,
            "Ada",
            "ada@example.com",
            "ada-hash",
            start + 3 * DAY,
            &actor,
        )
        .await
        .expect("invite");
    let latest = start + 90 * DAY;
    let extended = store
        .extend_link(&ada.id, 7 * DAY, latest, &actor, None)
        .await
        .expect("extend");
    assert_eq!(extended.expires_at, start + 10 * DAY, "from the old expiry");
    let too_far = store
        .extend_link(&ada.id, 81 * DAY, latest, &actor, None)
        .await;
    assert!(
        matches!(&too_far, Err(StoreError::Invalid(problems)) if problems[0].field == "days"),
        "{too_far:?}"
    );
    assert_eq!(
        store
            .interview(&ada.id)
            .await
            .expect("read")
            .map(|i| i.expires_at),
        Some(start + 10 * DAY),
        "a refused extension changes nothing"
    );
    assert!(store
        .audit_log(20)
        .await
        .expect("audit")
        .iter()
        .any(|a| a.action == "interview.link_extend"
            && a.detail["to"] == serde_json::json!(start + 10 * DAY)));

    // A link that has run out is extended from now, and its interview
    // opens again.
    let lapsed = store
        .create_interview(
            &spec_id,
            1,
            "Bob",
            "bob@example.com",
            "bob-hash",
            start - 2 * DAY,
            &actor,
        )
        .await
        .expect("invite");
    store
        .close_interview(&lapsed.id, Status::Expired, &actor, None)
        .await
        .expect("expire");
    let before = now_millis();
    let revived = store
        .extend_link(&lapsed.id, 7 * DAY, now_millis() + 90 * DAY, &actor, None)
        .await
        .expect("extend");
    assert_eq!(revived.status, Status::Invited);
    assert!(
        revived.expires_at >= before + 7 * DAY && revived.expires_at <= now_millis() + 7 * DAY,
        "{} is not 7 days from now",
        revived.expires_at
    );

    // A completed interview's link has nothing left to open.
    store.finish_interview(&ada.id, None).await.expect("finish");
    let done = store
        .extend_link(&ada.id, DAY, now_millis() + 90 * DAY, &actor, None)
        .await;
    assert!(
        matches!(&done, Err(StoreError::Conflict(m)) if m.contains("completed")),
        "{done:?}"
    );
}

fn row(name: &str, email: &str, token: &str) -> NewInvitation {
    NewInvitation {
        candidate_name: name.into(),
        candidate_email: email.into(),
        token_hash: token.into(),
        expires_at: i64::MAX / 2,
        interviewers: vec![],
    }
}

fn emails(invited: &Invited) -> (Vec<String>, Vec<(usize, String)>) {
    (
        invited
            .created
            .iter()
            .map(|i| i.candidate_email.clone())
            .collect(),
        invited
            .already
            .iter()
            .map(|(row, i)| (*row, i.candidate_email.clone()))
            .collect(),
    )
}

async fn candidates_invited_before_are_reported_rather_than_invited_again(store: Arc<dyn Store>) {
    let actor = Actor::system();
    let spec_id = published_spec(store.as_ref()).await;
    let other_spec = published_spec(store.as_ref()).await;
    let first = store
        .invite_candidates(
            &spec_id,
            1,
            &[
                row("Ada", "ada@example.com", "t1"),
                row("Bob", "bob@example.com", "t2"),
            ],
            &[],
            &actor,
            None,
        )
        .await
        .expect("invite");
    assert_eq!(
        emails(&first),
        (
            vec!["ada@example.com".to_string(), "bob@example.com".to_string()],
            vec![]
        )
    );

    // Ada again (another case), Carol twice in one batch: Carol is invited
    // once, and both repeats name the interview they repeat.
    let second = store
        .invite_candidates(
            &spec_id,
            1,
            &[
                row("Ada", "ADA@example.com", "t3"),
                row("Carol", "carol@example.com", "t4"),
                row("Carol", "carol@example.com", "t5"),
            ],
            &[],
            &actor,
            None,
        )
        .await
        .expect("invite");
    assert_eq!(
        emails(&second),
        (
            vec!["carol@example.com".to_string()],
            vec![
                (0, "ada@example.com".to_string()),
                (2, "carol@example.com".to_string())
            ]
        )
    );
    assert_eq!(second.already[0].1.id, first.created[0].id);
    assert_eq!(second.already[1].1.id, second.created[0].id);
    assert_eq!(store.interview_by_token("t3").await.expect("read"), None);

    // Asked to, Ada is invited again; another job spec is another matter.
    let again = store
        .invite_candidates(
            &spec_id,
            1,
            &[row("Ada", "ada@example.com", "t6")],
            &[true],
            &actor,
            None,
        )
        .await
        .expect("invite");
    assert_eq!(emails(&again).0, vec!["ada@example.com".to_string()]);
    let elsewhere = store
        .invite_candidates(
            &other_spec,
            1,
            &[row("Ada", "ada@example.com", "t7")],
            &[],
            &actor,
            None,
        )
        .await
        .expect("invite");
    assert_eq!(elsewhere.created.len(), 1);

    // The latest interview is the one named.
    let latest = store
        .invite_candidates(
            &spec_id,
            1,
            &[row("Ada", "ada@example.com", "t8")],
            &[],
            &actor,
            None,
        )
        .await
        .expect("invite");
    assert_eq!(latest.already[0].1.id, again.created[0].id);

    // A batch that creates nothing writes nothing, not even its response.
    let audit_before = store.audit_log(1000).await.expect("audit").len();
    let key = IdempotencyKey {
        scope: "user:hm".into(),
        key: "k".into(),
        request_hash: "h".into(),
    };
    let Claimed::New(claim) = store
        .claim_key(&key, 1_000, now_millis() + DAY)
        .await
        .expect("claim")
    else {
        panic!("a new key is claimed");
    };
    let respond = |_: &Invited| IdempotentResponse {
        request_hash: "h".into(),
        status: 201,
        body: String::new(),
    };
    let nothing = store
        .invite_candidates(
            &spec_id,
            1,
            &[row("Bob", "bob@example.com", "t9")],
            &[false],
            &actor,
            Some(Completion {
                claim: &claim,
                respond: &respond,
            }),
        )
        .await
        .expect("invite");
    assert!(nothing.created.is_empty() && nothing.already.len() == 1);
    assert_eq!(
        store
            .claim_key(&key, 2_000, now_millis() + DAY)
            .await
            .expect("claim"),
        Claimed::Running,
        "the claim is left for the caller to release"
    );
    assert_eq!(
        store.audit_log(1000).await.expect("audit").len(),
        audit_before
    );
    assert_eq!(store.interviews(&spec_id).await.expect("list").len(), 4);
    assert_eq!(
        store.performance(&spec_id).await.expect("figures")[0].interviews,
        4
    );
    assert_eq!(store.verify().await.expect("verify"), Vec::<String>::new());
}
