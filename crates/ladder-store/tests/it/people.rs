//! People: placements with history, reports by manager, assessments that
//! are drafts until submitted, evidence saved as you go, and concurrent
//! opens.

use std::sync::Arc;

use ladder_core::access::Role;
use ladder_core::progression::{AssessmentKind, Evidence, Rating};
use ladder_store::{Actor, NewAssessment, NewPlacement, Store, StoreError};

both_backends!(
    placements_keep_history_and_the_newest_is_current,
    assessments_are_drafts_until_submitted_then_frozen,
    concurrent_opens_make_one_draft_and_concurrent_saves_lose_nothing,
);

async fn user(store: &Arc<dyn Store>, email: &str, role: Role) -> String {
    store
        .create_user(email, role, None, false, &Actor::cli())
        .await
        .expect("user")
        .id
}

fn placement(person: &str, manager: Option<&str>, level: u32, target: u32) -> NewPlacement {
    NewPlacement {
        person_id: person.into(),
        framework_slug: "engineering-backend".into(),
        level,
        sublevel: Some("B".into()),
        target_level: target,
        manager_id: manager.map(str::to_string),
        note: "agreed in 1:1".into(),
    }
}

fn evidence(id: &str, rating: Rating, note: &str) -> Evidence {
    Evidence {
        criterion_id: id.into(),
        rating,
        note: note.into(),
        links: vec!["https://example.test/pr/7".into()],
    }
}

async fn placements_keep_history_and_the_newest_is_current(store: Arc<dyn Store>) {
    let ada = user(&store, "ada@example.com", Role::Member).await;
    let grace = user(&store, "grace@example.com", Role::Manager).await;
    let linus = user(&store, "linus@example.com", Role::Manager).await;
    let ken = user(&store, "ken@example.com", Role::Member).await;

    store
        .place_person(&placement(&ada, Some(&grace), 2, 3), &Actor::cli(), None)
        .await
        .expect("first placement");
    let second = store
        .place_person(&placement(&ada, Some(&linus), 3, 4), &Actor::cli(), None)
        .await
        .expect("second placement");
    store
        .place_person(&placement(&ken, Some(&grace), 1, 2), &Actor::cli(), None)
        .await
        .expect("ken");

    let history = store.placements(&ada).await.expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].id, second.id, "newest first");
    assert_eq!(history[1].level, 2);

    let person = store.person(&ada).await.expect("person").expect("exists");
    let current = person.placement.expect("placed");
    assert_eq!(current.level, 3);
    assert_eq!(current.target_level, 4);
    assert_eq!(current.manager_id.as_deref(), Some(linus.as_str()));
    assert_eq!(current.sublevel.as_deref(), Some("B"));

    // Ada moved to Linus: Grace's reports are Ken only.
    let grace_reports: Vec<String> = store
        .people(Some(&grace))
        .await
        .expect("reports")
        .into_iter()
        .map(|p| p.user.email)
        .collect();
    assert_eq!(grace_reports, vec!["ken@example.com"]);
    let everyone = store.people(None).await.expect("everyone");
    assert_eq!(everyone.len(), 4);
    assert!(everyone
        .iter()
        .any(|p| p.user.id == grace && p.placement.is_none()));

    let missing = store
        .place_person(&placement("no-such-user", None, 1, 1), &Actor::cli(), None)
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound(_))),
        "{missing:?}"
    );
    assert!(store
        .person("no-such-user")
        .await
        .expect("lookup")
        .is_none());

    let audit = store.audit_log(20).await.expect("audit");
    assert_eq!(
        audit.iter().filter(|e| e.action == "person.place").count(),
        3
    );
}

async fn assessments_are_drafts_until_submitted_then_frozen(store: Arc<dyn Store>) {
    let ada = user(&store, "ada@example.com", Role::Member).await;
    let new = NewAssessment {
        person_id: ada.clone(),
        kind: AssessmentKind::SelfAssessment,
        assessor_id: ada.clone(),
        framework_slug: "engineering-backend".into(),
        framework_version: 1,
        carried_from: None,
        carried: vec![],
    };
    let (draft, created) = store
        .open_assessment(&new, &Actor::cli(), None)
        .await
        .expect("open");
    assert!(created);
    let (again, created_again) = store
        .open_assessment(&new, &Actor::cli(), None)
        .await
        .expect("reopen");
    assert!(!created_again, "one draft per person, kind and assessor");
    assert_eq!(again.id, draft.id);

    store
        .save_marks(
            &draft.id,
            &[
                evidence("mastery.l1.aaaa", Rating::Consistently, "first"),
                evidence("mastery.l1.bbbb", Rating::Sometimes, ""),
            ],
            &[],
        )
        .await
        .expect("save");
    // Saving again overwrites; clearing removes.
    let saved = store
        .save_marks(
            &draft.id,
            &[evidence(
                "mastery.l1.aaaa",
                Rating::NotYet,
                "changed my mind",
            )],
            &["mastery.l1.bbbb".to_string()],
        )
        .await
        .expect("save again");
    assert_eq!(saved.marks, 1);
    let marks = store.marks(&draft.id).await.expect("marks");
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].rating, Rating::NotYet);
    assert_eq!(marks[0].note, "changed my mind");
    assert_eq!(marks[0].links, vec!["https://example.test/pr/7"]);

    let submitted = store
        .submit_assessment(&draft.id, "2026-11-24", &Actor::cli(), None)
        .await
        .expect("submit");
    assert!(submitted.submitted);
    assert_eq!(submitted.as_of.as_deref(), Some("2026-11-24"));
    let retried = store
        .submit_assessment(&draft.id, "2026-12-01", &Actor::cli(), None)
        .await
        .expect("retry");
    assert_eq!(
        retried.as_of.as_deref(),
        Some("2026-11-24"),
        "a retry changes nothing"
    );

    let frozen = store
        .save_marks(
            &draft.id,
            &[evidence("mastery.l1.cccc", Rating::Sometimes, "")],
            &[],
        )
        .await;
    assert!(matches!(frozen, Err(StoreError::Conflict(_))));
    assert_eq!(store.marks(&draft.id).await.expect("marks").len(), 1);

    // After submitting, the next open is a new draft carrying evidence.
    let carried = NewAssessment {
        carried_from: Some(draft.id.clone()),
        carried: marks.clone(),
        framework_version: 2,
        ..new.clone()
    };
    let (next, created) = store
        .open_assessment(&carried, &Actor::cli(), None)
        .await
        .expect("next");
    assert!(created);
    assert_ne!(next.id, draft.id);
    assert_eq!(next.marks, 1);
    assert_eq!(next.framework_version, 2);
    assert_eq!(next.carried_from.as_deref(), Some(draft.id.as_str()));

    let list = store.assessments(&ada).await.expect("list");
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].id, next.id, "the draft comes first");
    assert!(store.assessment("nope").await.expect("lookup").is_none());
    let missing = store.save_marks("nope", &[], &[]).await;
    assert!(matches!(missing, Err(StoreError::NotFound(_))));
}

async fn concurrent_opens_make_one_draft_and_concurrent_saves_lose_nothing(store: Arc<dyn Store>) {
    let ada = user(&store, "ada@example.com", Role::Member).await;
    let new = NewAssessment {
        person_id: ada.clone(),
        kind: AssessmentKind::SelfAssessment,
        assessor_id: ada.clone(),
        framework_slug: "engineering-backend".into(),
        framework_version: 1,
        carried_from: None,
        carried: vec![],
    };
    let mut opens = Vec::new();
    for _ in 0..16 {
        let store = store.clone();
        let new = new.clone();
        opens.push(tokio::spawn(async move {
            store.open_assessment(&new, &Actor::cli(), None).await
        }));
    }
    let mut ids = Vec::new();
    let mut created = 0;
    for open in opens {
        let (assessment, was_created) = open.await.expect("join").expect("open");
        ids.push(assessment.id);
        created += usize::from(was_created);
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert_eq!(created, 1);

    let mut saves = Vec::new();
    for i in 0..32 {
        let store = store.clone();
        let id = ids[0].clone();
        saves.push(tokio::spawn(async move {
            store
                .save_marks(
                    &id,
                    &[evidence(
                        &format!("topic.l1.{i:04}"),
                        Rating::Consistently,
                        "",
                    )],
                    &[],
                )
                .await
        }));
    }
    for save in saves {
        save.await.expect("join").expect("save");
    }
    assert_eq!(store.marks(&ids[0]).await.expect("marks").len(), 32);
}
