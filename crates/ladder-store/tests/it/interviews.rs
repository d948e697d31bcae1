//! Interviews: the candidate's path through the rounds, scorecards and
//! exact scores, recordings, batches of invitations, and live figures that
//! always equal a recomputation.

use std::sync::Arc;

use ladder_core::access::Role;
use ladder_core::interview::{CompetencyScore, MustHaveCheck, Scorecard, Status, Tenths};
use ladder_core::jobspec::{Competency, JobSpecBody, MustHave, RoundItem, Weight};
use ladder_store::{
    Actor, AnswerOutcome, Claimed, IdempotencyKey, IdempotentResponse, NewInvitation, Store,
    StoreError,
};
use sqlx::{Connection, Executor};

both_backends!(
    a_candidate_walks_the_rounds_and_interviewers_score,
    concurrent_answers_and_scorecards_never_double_count,
    verify_reports_tampered_figures_and_idempotency_keeps_the_first_response,
    recordings_go_with_one_answer_of_their_interview_and_automated_drafts_never_count,
    a_batch_of_invitations_creates_every_interview_and_counts_each,
    a_batch_that_fails_on_its_third_row_creates_nothing,
);

fn item(id: &str, competency: &str) -> RoundItem {
    RoundItem {
        id: id.into(),
        text: format!("Question {id}"),
        competency_id: Some(competency.into()),
        grounding: vec![],
        origin: "edited".into(),
        quality: None,
    }
}

fn spec() -> JobSpecBody {
    let competency = |id: &str, weight: u32| Competency {
        id: id.into(),
        name: id.into(),
        weight: Weight(weight),
        definition: String::new(),
    };
    JobSpecBody {
        title: "Senior Backend Engineer".into(),
        seniority: "senior".into(),
        description: String::new(),
        basis: None,
        competencies: vec![
            competency("systems", 3500),
            competency("data", 2500),
            competency("ownership", 2500),
            competency("payments", 1500),
        ],
        must_haves: vec![MustHave {
            text: "Postgres at scale".into(),
            required: true,
        }],
        round1: vec![
            item("q1", "systems"),
            item("q2", "data"),
            item("q3", "payments"),
        ],
        round2: vec![
            item("p1", "ownership"),
            item("p2", "systems"),
            item("p3", "data"),
            item("p4", "payments"),
        ],
    }
}

fn card(scores: [u32; 4], met: bool) -> Scorecard {
    Scorecard {
        scores: ["systems", "data", "ownership", "payments"]
            .iter()
            .zip(scores)
            .map(|(id, score)| CompetencyScore {
                competency_id: (*id).into(),
                score,
                evidence: "seen".into(),
                criteria: vec![],
            })
            .collect(),
        must_haves: vec![MustHaveCheck {
            text: "Postgres at scale".into(),
            met,
        }],
        recommendation: None,
        notes: String::new(),
    }
}

async fn published_spec(store: &dyn Store) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    store
        .create_job_spec(&id, &spec(), &Actor::system())
        .await
        .expect("spec");
    store
        .publish_job_spec(&id, "v1-AbCdEfG", &Actor::system())
        .await
        .expect("publish");
    id
}

async fn a_candidate_walks_the_rounds_and_interviewers_score(store: Arc<dyn Store>) {
    let actor = Actor::system();
    let spec_id = published_spec(store.as_ref()).await;
    let interview = store
        .create_interview(
            &spec_id,
            1,
            "Ada",
            "ada@example.com",
            "token-hash-1",
            i64::MAX,
            &actor,
        )
        .await
        .expect("invite");
    assert_eq!((interview.status, interview.version), (Status::Invited, 1));
    assert_eq!(
        store
            .interview_by_token("token-hash-1")
            .await
            .expect("read")
            .map(|i| i.id),
        Some(interview.id.clone())
    );

    // Round 01 in any order; a repeat keeps the first answer.
    assert!(matches!(
        store
            .record_answer(&interview.id, 1, "q3", 2, "third first")
            .await,
        Ok(AnswerOutcome::Recorded(_))
    ));
    let again = store
        .record_answer(&interview.id, 1, "q3", 2, "changed my mind")
        .await
        .expect("answer");
    assert!(
        matches!(&again, AnswerOutcome::AlreadyAnswered(a) if a.text == "third first"),
        "{again:?}"
    );
    assert_eq!(
        store
            .interview(&interview.id)
            .await
            .expect("read")
            .map(|i| i.status),
        Some(Status::InProgress)
    );

    // Round 02 strictly in order.
    let skipped = store
        .record_answer(&interview.id, 2, "p2", 1, "skipping ahead")
        .await;
    assert!(
        matches!(&skipped, Err(StoreError::Conflict(message)) if message.contains("prompt 1")),
        "{skipped:?}"
    );
    store
        .record_answer(&interview.id, 2, "p1", 0, "first prompt")
        .await
        .expect("answer");
    store
        .record_answer(&interview.id, 2, "p2", 1, "second prompt")
        .await
        .expect("answer");
    assert_eq!(
        store
            .interview(&interview.id)
            .await
            .expect("read")
            .map(|i| i.round2_position),
        Some(2),
        "resumes at prompt 3"
    );

    let finished = store
        .finish_interview(&interview.id, None)
        .await
        .expect("finish");
    assert_eq!(finished.interview.status, Status::Completed);
    assert_eq!(
        store
            .finish_interview(&interview.id, None)
            .await
            .expect("again")
            .interview
            .status,
        Status::Completed
    );
    assert!(matches!(
        store.record_answer(&interview.id, 2, "p3", 2, "late").await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store.answers(&interview.id).await.expect("answers").len(),
        3
    );

    // Drafts don't count; submitted scorecards do, as exact means.
    store
        .save_scorecard(
            &interview.id,
            "alice",
            &card([80, 60, 70, 90], true),
            false,
            &spec(),
            &actor,
            None,
        )
        .await
        .expect("draft");
    let figures = store.performance(&spec_id).await.expect("figures");
    assert_eq!(
        (
            figures[0].interviews,
            figures[0].completed,
            figures[0].scored
        ),
        (1, 1, 0)
    );
    store
        .save_scorecard(
            &interview.id,
            "alice",
            &card([80, 60, 70, 90], true),
            true,
            &spec(),
            &actor,
            None,
        )
        .await
        .expect("submit");
    assert_eq!(
        store
            .interview(&interview.id)
            .await
            .expect("read")
            .and_then(|i| i.overall),
        Some(Tenths(740))
    );
    let second = store
        .save_scorecard(
            &interview.id,
            "bob",
            &card([81, 60, 70, 90], false),
            true,
            &spec(),
            &actor,
            None,
        )
        .await
        .expect("submit")
        .scorecard;
    assert_eq!(second.revision, 1);
    let scored = store
        .interview(&interview.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(scored.overall, Some(Tenths(742)));
    assert!(scored.fails_must_have);

    // An amendment recomputes and keeps the earlier revision in the audit log.
    let amended = store
        .save_scorecard(
            &interview.id,
            "bob",
            &card([80, 60, 70, 90], true),
            false,
            &spec(),
            &actor,
            None,
        )
        .await
        .expect("amend")
        .scorecard;
    assert!(amended.submitted && amended.revision == 2);
    let scored = store
        .interview(&interview.id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(
        (scored.overall, scored.fails_must_have),
        (Some(Tenths(740)), false)
    );
    let audit = store.audit_log(50).await.expect("audit");
    assert!(
        audit
            .iter()
            .any(|a| a.action == "scorecard.amend"
                && a.detail["replaced"]["scores"][0]["score"] == 81)
    );

    let figures = store.performance(&spec_id).await.expect("figures");
    assert_eq!((figures[0].scored, figures[0].overall_sum_tenths), (1, 740));
    assert_eq!(figures[0].distribution[7], 1);
    let systems = figures[0]
        .competencies
        .iter()
        .find(|(id, _, _)| id == "systems")
        .expect("systems");
    assert_eq!((systems.1, systems.2), (800, 1));
    assert_eq!(store.verify().await.expect("verify"), Vec::<String>::new());

    let other = store
        .create_interview(
            &spec_id,
            1,
            "Bo",
            "bo@example.com",
            "token-hash-2",
            i64::MAX,
            &actor,
        )
        .await
        .expect("invite");
    let closed = store
        .close_interview(&other.id, Status::Withdrawn, &actor, None)
        .await
        .expect("withdraw");
    assert_eq!(closed.status, Status::Withdrawn);
    assert!(matches!(
        store.record_answer(&other.id, 1, "q1", 0, "x").await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store.performance(&spec_id).await.expect("figures")[0].interviews,
        2
    );
    assert_eq!(store.verify().await.expect("verify"), Vec::<String>::new());
}

async fn concurrent_answers_and_scorecards_never_double_count(store: Arc<dyn Store>) {
    let spec_id = published_spec(store.as_ref()).await;
    let mut interviews = Vec::new();
    for n in 0..12 {
        let interview = store
            .create_interview(
                &spec_id,
                1,
                &format!("C{n}"),
                &format!("c{n}@example.com"),
                &format!("tok-{n}"),
                i64::MAX,
                &Actor::system(),
            )
            .await
            .expect("invite");
        interviews.push(interview.id);
    }
    let mut tasks = Vec::new();
    for (n, id) in interviews.iter().enumerate() {
        // The same answer sent five times at once, as a double click would.
        for _ in 0..5 {
            let (store, id) = (Arc::clone(&store), id.clone());
            tasks.push(tokio::spawn(async move {
                store
                    .record_answer(&id, 1, "q1", 0, "same")
                    .await
                    .map(|_| ())
            }));
        }
        for interviewer in ["a", "b"] {
            let (store, id) = (Arc::clone(&store), id.clone());
            let score = 50 + u32::try_from(n).unwrap_or(0);
            tasks.push(tokio::spawn(async move {
                store
                    .save_scorecard(
                        &id,
                        interviewer,
                        &card([score, score, score, score], true),
                        true,
                        &spec(),
                        &Actor::system(),
                        None,
                    )
                    .await
                    .map(|_| ())
            }));
        }
    }
    for task in tasks {
        task.await.expect("task").expect("write");
    }
    for id in &interviews {
        assert_eq!(store.answers(id).await.expect("answers").len(), 1);
    }
    let figures = store.performance(&spec_id).await.expect("figures");
    assert_eq!((figures[0].interviews, figures[0].scored), (12, 12));
    assert_eq!(store.verify().await.expect("verify"), Vec::<String>::new());
}

async fn verify_reports_tampered_figures_and_idempotency_keeps_the_first_response(
    store: Arc<dyn Store>,
    url: String,
) {
    let spec_id = published_spec(store.as_ref()).await;
    let interview = store
        .create_interview(
            &spec_id,
            1,
            "Ada",
            "ada@example.com",
            "t",
            i64::MAX,
            &Actor::system(),
        )
        .await
        .expect("invite");
    store
        .save_scorecard(
            &interview.id,
            "a",
            &card([70, 70, 70, 70], true),
            true,
            &spec(),
            &Actor::system(),
            None,
        )
        .await
        .expect("submit");
    assert!(store.verify().await.expect("verify").is_empty());

    let mut raw = sqlx::AnyConnection::connect(&url)
        .await
        .expect("raw connection");
    raw.execute("UPDATE job_spec_performance SET scored = scored + 1")
        .await
        .expect("tamper");
    let differences = store.verify().await.expect("verify");
    assert_eq!(differences.len(), 1, "{differences:?}");
    assert!(differences[0].contains(&spec_id));

    // The first response stored for a key is the one kept.
    let key = IdempotencyKey {
        scope: "candidate:x".into(),
        key: "key-1".into(),
        request_hash: "h1".into(),
    };
    let first = IdempotentResponse {
        request_hash: "h1".into(),
        status: 201,
        body: "{\"id\":1}".into(),
    };
    let Claimed::New(claim) = store.claim_key(&key, 1, 100).await.expect("claim") else {
        panic!("a new key is claimed");
    };
    store
        .complete_claim(&claim, &first)
        .await
        .expect("complete");
    let second = IdempotentResponse {
        body: "{\"id\":2}".into(),
        ..first.clone()
    };
    store.complete_claim(&claim, &second).await.expect("again");
    assert_eq!(
        store
            .idempotent_response("candidate:x", "key-1")
            .await
            .expect("read"),
        Some(first)
    );
    assert_eq!(
        store
            .idempotent_response("candidate:y", "key-1")
            .await
            .expect("read"),
        None
    );
}

fn recording(interview: &str, marker: &str) -> ladder_store::StoredAudio {
    let id = uuid::Uuid::now_v7().to_string();
    ladder_store::StoredAudio {
        file_name: format!("{id}.webm"),
        id,
        interview_id: interview.to_string(),
        content_type: "audio/webm".into(),
        size: 4,
        sha256: marker.into(),
        transcript: None,
        created_at: ladder_store::now_millis(),
    }
}

async fn recordings_go_with_one_answer_of_their_interview_and_automated_drafts_never_count(
    store: Arc<dyn Store>,
) {
    let store = store.as_ref();
    let spec_id = published_spec(store).await;
    let mut invited = Vec::new();
    for email in ["ada@example.com", "grace@example.com"] {
        invited.push(
            store
                .create_interview(
                    &spec_id,
                    1,
                    "C",
                    email,
                    &format!("hash-{email}"),
                    i64::MAX,
                    &Actor::system(),
                )
                .await
                .expect("invite"),
        );
    }
    let (ada, grace) = (invited[0].clone(), invited[1].clone());
    let mine = recording(&ada.id, "a");
    let theirs = recording(&grace.id, "g");
    store.create_audio(&mine, 2, None).await.expect("audio");
    store.create_audio(&theirs, 2, None).await.expect("audio");
    store
        .set_audio_transcript(&mine.id, "spoken")
        .await
        .expect("transcript");
    assert_eq!(
        store
            .audio(&mine.id)
            .await
            .expect("get")
            .and_then(|a| a.transcript)
            .as_deref(),
        Some("spoken")
    );

    // Another interview's recording: not found, nothing written.
    let refused = store
        .record_answer_with_audio(&ada.id, 1, "q1", 0, "", Some(&theirs.id), None)
        .await;
    assert!(
        matches!(refused, Err(StoreError::NotFound(_))),
        "{refused:?}"
    );
    assert!(store.answers(&ada.id).await.expect("answers").is_empty());
    // Its own: linked in the answer.
    let first = store
        .record_answer_with_audio(&ada.id, 1, "q1", 0, "", Some(&mine.id), None)
        .await
        .expect("answer")
        .outcome;
    assert!(
        matches!(&first, AnswerOutcome::Recorded(a) if a.audio_id.as_deref() == Some(mine.id.as_str()))
    );
    // Not twice.
    let twice = store
        .record_answer_with_audio(&ada.id, 1, "q2", 1, "text", Some(&mine.id), None)
        .await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    assert_eq!(
        store.answers(&ada.id).await.expect("answers")[0]
            .audio_id
            .as_deref(),
        Some(mine.id.as_str())
    );
    // At most two recordings per interview here; none once it is finished.
    store
        .create_audio(&recording(&ada.id, "b"), 2, None)
        .await
        .expect("second");
    assert!(matches!(
        store.create_audio(&recording(&ada.id, "c"), 2, None).await,
        Err(StoreError::Conflict(_))
    ));
    store
        .finish_interview(&grace.id, None)
        .await
        .expect("finish");
    assert!(matches!(
        store
            .create_audio(&recording(&grace.id, "d"), 9, None)
            .await,
        Err(StoreError::Conflict(_))
    ));

    // An automated draft: saved, marked, never counted.
    let before = store.performance(&spec_id).await.expect("performance");
    let body = spec();
    let drafted = store
        .save_automated_scorecard(
            &ada.id,
            "iv-1",
            &card([90, 90, 90, 90], true),
            "llm:m",
            &Actor::system(),
            None,
        )
        .await
        .expect("draft");
    assert!(drafted.automated && !drafted.submitted);
    let stored = store.scorecards(&ada.id).await.expect("cards");
    assert!(stored[0].automated);
    assert_eq!(stored[0].drafted_by.as_deref(), Some("llm:m"));
    assert_eq!(
        store.performance(&spec_id).await.expect("performance"),
        before
    );
    assert_eq!(
        store
            .interview(&ada.id)
            .await
            .expect("get")
            .expect("interview")
            .overall,
        None
    );
    assert!(store.verify().await.expect("verify").is_empty());
    // A person's draft keeps the mark; submitting clears it and counts.
    let saved = store
        .save_scorecard(
            &ada.id,
            "iv-1",
            &card([80, 80, 80, 80], true),
            false,
            &body,
            &Actor::system(),
            None,
        )
        .await
        .expect("draft")
        .scorecard;
    assert!(saved.automated);
    assert_eq!(
        store.performance(&spec_id).await.expect("performance"),
        before
    );
    let submitted = store
        .save_scorecard(
            &ada.id,
            "iv-1",
            &card([80, 80, 80, 80], true),
            true,
            &body,
            &Actor::system(),
            None,
        )
        .await
        .expect("submit")
        .scorecard;
    assert!(!submitted.automated && submitted.submitted);
    assert_eq!(submitted.drafted_by.as_deref(), Some("llm:m"));
    assert_eq!(
        store
            .interview(&ada.id)
            .await
            .expect("get")
            .expect("interview")
            .overall,
        Some(Tenths(800))
    );
    assert!(store.verify().await.expect("verify").is_empty());
    let audit = store.audit_log(20).await.expect("audit");
    let submit = audit
        .iter()
        .find(|e| e.action == "scorecard.submit")
        .expect("submit audited");
    assert_eq!(submit.detail["origin"], "automated_draft");
    // A submitted card is not overwritten by the evaluator.
    let again = store
        .save_automated_scorecard(
            &ada.id,
            "iv-1",
            &card([1, 1, 1, 1], true),
            "llm:m",
            &Actor::system(),
            None,
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
}

fn invitation(n: usize, token_hash: &str, interviewers: &[&str]) -> NewInvitation {
    NewInvitation {
        candidate_name: format!("Candidate {n}"),
        candidate_email: format!("candidate{n}@example.com"),
        token_hash: token_hash.into(),
        expires_at: i64::MAX,
        interviewers: interviewers.iter().map(|id| (*id).to_string()).collect(),
    }
}

async fn a_batch_of_invitations_creates_every_interview_and_counts_each(store: Arc<dyn Store>) {
    let actor = Actor::system();
    let spec_id = published_spec(store.as_ref()).await;
    let interviewer = store
        .create_user("iv@example.com", Role::Interviewer, None, false, &actor)
        .await
        .expect("user")
        .id;
    store
        .create_interview(
            &spec_id,
            1,
            "Ada",
            "ada@example.com",
            "single",
            i64::MAX,
            &actor,
        )
        .await
        .expect("single invite");
    let rows: Vec<NewInvitation> = (1..=4)
        .map(|n| {
            // Every other row assigns the interviewer, once twice over.
            let assigned: &[&str] = match n % 2 {
                0 => &[&interviewer, &interviewer],
                _ => &[],
            };
            invitation(n, &format!("batch-{n}"), assigned)
        })
        .collect();
    let created = store
        .create_interviews(&spec_id, 1, &rows, &actor, None)
        .await
        .expect("batch");
    assert_eq!(created.len(), 4);
    for (interview, row) in created.iter().zip(&rows) {
        assert_eq!(
            (
                interview.candidate_email.as_str(),
                interview.status,
                interview.version
            ),
            (row.candidate_email.as_str(), Status::Invited, 1)
        );
        assert_eq!(
            store
                .interview_by_token(&row.token_hash)
                .await
                .expect("read")
                .map(|i| i.id),
            Some(interview.id.clone())
        );
        let wanted = if row.interviewers.is_empty() {
            vec![]
        } else {
            vec![interviewer.clone()]
        };
        assert_eq!(
            store
                .interviewers(&interview.id)
                .await
                .expect("interviewers"),
            wanted
        );
    }
    assert_eq!(store.interviews(&spec_id).await.expect("list").len(), 5);
    assert_eq!(
        store.performance(&spec_id).await.expect("figures")[0].interviews,
        5
    );
    assert_eq!(store.verify().await.expect("verify"), Vec::<String>::new());
    // An empty batch creates nothing and is no error.
    assert_eq!(
        store
            .create_interviews(&spec_id, 1, &[], &actor, None)
            .await
            .expect("empty batch"),
        vec![]
    );
}

async fn a_batch_that_fails_on_its_third_row_creates_nothing(store: Arc<dyn Store>) {
    let actor = Actor::system();
    let spec_id = published_spec(store.as_ref()).await;
    let interviewer = store
        .create_user("iv@example.com", Role::Interviewer, None, false, &actor)
        .await
        .expect("user")
        .id;
    store
        .create_interview(
            &spec_id,
            1,
            "Ada",
            "ada@example.com",
            "single",
            i64::MAX,
            &actor,
        )
        .await
        .expect("single invite");
    let interviews_before = store.interviews(&spec_id).await.expect("list");
    let figures_before = store.performance(&spec_id).await.expect("figures");
    let audit_before = store.audit_log(1000).await.expect("audit").len();

    // The third row repeats the first row's token, which is UNIQUE: the
    // first two rows (one with an interviewer) were already inserted in
    // the transaction when it fails.
    let rows = vec![
        invitation(1, "batch-1", &[&interviewer]),
        invitation(2, "batch-2", &[]),
        invitation(3, "batch-1", &[]),
        invitation(4, "batch-4", &[]),
    ];
    match store
        .create_interviews(&spec_id, 1, &rows, &actor, None)
        .await
    {
        Err(StoreError::Conflict(message)) => {
            assert!(message.contains("invitation 3 of 4"), "{message}");
        }
        other => panic!("expected a conflict on row 3, got {other:?}"),
    }
    assert_eq!(
        store.interviews(&spec_id).await.expect("list"),
        interviews_before
    );
    for token in ["batch-1", "batch-2", "batch-4"] {
        assert_eq!(store.interview_by_token(token).await.expect("read"), None);
    }
    assert_eq!(
        store.performance(&spec_id).await.expect("figures"),
        figures_before
    );
    assert_eq!(
        store.audit_log(1000).await.expect("audit").len(),
        audit_before
    );
    assert_eq!(store.verify().await.expect("verify"), Vec::<String>::new());

    // A token already stored fails the batch the same way.
    let rows = vec![
        invitation(5, "batch-5", &[]),
        invitation(6, "batch-6", &[]),
        invitation(7, "single", &[]),
    ];
    assert!(matches!(
        store
            .create_interviews(&spec_id, 1, &rows, &actor, None)
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store.interviews(&spec_id).await.expect("list"),
        interviews_before
    );
    assert_eq!(
        store.performance(&spec_id).await.expect("figures"),
        figures_before
    );
    assert_eq!(store.verify().await.expect("verify"), Vec::<String>::new());
}
