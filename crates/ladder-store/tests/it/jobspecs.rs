//! Job specs: drafts, publishing, frozen versions and the audit of weight
//! changes.

use std::sync::Arc;

use ladder_core::jobspec::{Competency, JobSpecBody, Weight};
use ladder_store::{Actor, Store, StoreError, VersionSelector};

both_backends!(
    a_draft_remembers_when_it_was_last_saved,
    job_spec_versions_freeze_on_publish,
    an_unbalanced_draft_is_refused_inside_the_publishing_transaction,
    publishing_races_weight_edits_and_never_freezes_an_unbalanced_version,
);

fn spec_body(weights: &[u32]) -> JobSpecBody {
    JobSpecBody {
        title: "Senior Backend Engineer".into(),
        seniority: "senior".into(),
        description: "Builds payment systems.".into(),
        basis: None,
        competencies: weights
            .iter()
            .enumerate()
            .map(|(i, w)| Competency {
                id: format!("c{i}"),
                name: format!("C{i}"),
                weight: Weight(*w),
                definition: String::new(),
            })
            .collect(),
        must_haves: vec![],
        round1: vec![],
        round2: vec![],
    }
}

/// "Saved …" is the last save, not when the draft was opened: each save
/// moves `saved_at` and leaves `created_at` alone.
async fn a_draft_remembers_when_it_was_last_saved(store: Arc<dyn Store>) {
    let actor = Actor::system();
    let id = "0190aaaa-0000-7000-8000-0000000000a5";
    let created = store
        .create_job_spec(id, &spec_body(&[10_000]), &actor)
        .await
        .expect("create");
    assert_eq!(created.saved_at, created.created_at);
    // Saves take well over a millisecond; a few are enough for the clock to
    // move (bounded, never a wait).
    let mut latest = created.clone();
    for attempt in 0..200 {
        let weight = 10_000 - attempt;
        store
            .save_job_spec_draft(id, &spec_body(&[weight, attempt]), &actor)
            .await
            .expect("save");
        latest = store
            .job_spec_version(id, &VersionSelector::Draft)
            .await
            .expect("read")
            .expect("the draft");
        if latest.saved_at > created.saved_at {
            break;
        }
    }
    assert!(latest.saved_at > created.saved_at, "{latest:?}");
    assert_eq!(latest.created_at, created.created_at);
}

async fn job_spec_versions_freeze_on_publish(store: Arc<dyn Store>) {
    let actor = Actor::system();
    let id = "0190aaaa-0000-7000-8000-000000000001";
    let created = store
        .create_job_spec(id, &spec_body(&[5000, 4000]), &actor)
        .await
        .expect("create");
    assert_eq!(
        (created.version, created.published, created.label.clone()),
        (1, false, None)
    );
    let duplicate = store
        .create_job_spec(id, &spec_body(&[10_000]), &actor)
        .await;
    assert!(
        matches!(duplicate, Err(StoreError::Conflict(_))),
        "{duplicate:?}"
    );

    // Editing the draft keeps it version 1 and audits the weight change.
    store
        .save_job_spec_draft(id, &spec_body(&[6000, 4000]), &actor)
        .await
        .expect("save");
    let published = store
        .publish_job_spec(id, "v1-AbCdEf1", &actor)
        .await
        .expect("publish");
    assert_eq!((published.version, published.published), (1, true));
    assert_eq!(published.body.competencies[0].weight.0, 6000);
    assert!(matches!(
        store.publish_job_spec(id, "v1-again00", &actor).await,
        Err(StoreError::Conflict(_))
    ));

    // An edit after publishing opens version 2; version 1 never changes.
    let draft = store
        .save_job_spec_draft(id, &spec_body(&[7000, 3000]), &actor)
        .await
        .expect("save");
    assert_eq!((draft.version, draft.published), (2, false));
    let current = store
        .job_spec_version(id, &VersionSelector::Current)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(
        (current.version, current.body.competencies[0].weight.0),
        (1, 6000)
    );
    let by_label = store
        .job_spec_version(id, &VersionSelector::Label("v1-AbCdEf1".into()))
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(by_label.version, 1);
    let draft = store
        .job_spec_version(id, &VersionSelector::Draft)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(draft.body.competencies[0].weight.0, 7000);
    store
        .publish_job_spec(id, "v2-XyZ_123", &actor)
        .await
        .expect("publish");
    let summary = store
        .job_spec_summary(id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(
        (
            summary.current_version,
            summary.current_label.as_deref(),
            summary.draft_version
        ),
        (Some(2), Some("v2-XyZ_123"), None)
    );
    let versions = store.job_spec_versions(id).await.expect("versions");
    assert_eq!(
        versions
            .iter()
            .map(|v| (v.version, v.published))
            .collect::<Vec<_>>(),
        vec![(2, true), (1, true)]
    );
    assert_eq!(
        versions[1].body.competencies[0].weight.0, 6000,
        "published version 1 is frozen"
    );
    assert_eq!(store.job_specs().await.expect("list").len(), 1);

    let audit = store.audit_log(100).await.expect("audit");
    let weight_changes: Vec<_> = audit
        .iter()
        .filter(|a| a.action == "jobspec.weight")
        .collect();
    assert_eq!(weight_changes.len(), 3, "{weight_changes:?}");
    assert!(weight_changes
        .iter()
        .any(|a| a.detail["from"] == "0.50" && a.detail["to"] == "0.60"));
    assert!(audit
        .iter()
        .any(|a| a.action == "jobspec.publish" && a.detail["label"] == "v2-XyZ_123"));
    assert!(store
        .job_spec_version("missing", &VersionSelector::Current)
        .await
        .expect("read")
        .is_none());
    assert!(matches!(
        store
            .save_job_spec_draft("missing", &spec_body(&[]), &actor)
            .await,
        Err(StoreError::NotFound(_))
    ));
}

async fn an_unbalanced_draft_is_refused_inside_the_publishing_transaction(store: Arc<dyn Store>) {
    let actor = Actor::system();
    let id = "0190aaaa-0000-7000-8000-000000000002";
    store
        .create_job_spec(id, &spec_body(&[5000, 4000]), &actor)
        .await
        .expect("create");
    let refused = store.publish_job_spec(id, "v1-AbCdEf1", &actor).await;
    let Err(StoreError::Invalid(problems)) = refused else {
        panic!("an unbalanced draft must not be published: {refused:?}");
    };
    assert_eq!(problems[0].field, "competencies[].weight");
    assert_eq!(
        problems[0].message,
        "Total weight: 0.90 — add 0.10: weights must sum to exactly 1.00 to publish"
    );
    let draft = store
        .job_spec_version(id, &VersionSelector::Draft)
        .await
        .expect("read");
    assert_eq!(draft.map(|d| d.published), Some(false), "still a draft");
}

/// A publish and a weight edit at once: whichever commits first, no
/// published version is ever unbalanced.
async fn publishing_races_weight_edits_and_never_freezes_an_unbalanced_version(
    store: Arc<dyn Store>,
) {
    let actor = Actor::system();
    for round in 0..12u32 {
        let id = format!("0190aaaa-0000-7000-8000-0000000001{round:02}");
        store
            .create_job_spec(&id, &spec_body(&[6000, 4000]), &actor)
            .await
            .expect("create");
        let (edit, publish) = tokio::join!(
            {
                let store = Arc::clone(&store);
                let id = id.clone();
                let actor = actor.clone();
                tokio::spawn(async move {
                    store
                        .save_job_spec_draft(&id, &spec_body(&[6000, 3000]), &actor)
                        .await
                })
            },
            {
                let store = Arc::clone(&store);
                let id = id.clone();
                let actor = actor.clone();
                tokio::spawn(async move {
                    store
                        .publish_job_spec(&id, &format!("v1-race{round:03}"), &actor)
                        .await
                })
            }
        );
        edit.expect("edit task").expect("an edit always saves");
        match publish.expect("publish task") {
            Ok(published) => assert!(published.body.balanced(), "round {round}"),
            Err(StoreError::Invalid(_)) => {}
            Err(other) => panic!("round {round}: {other}"),
        }
        for version in store.job_spec_versions(&id).await.expect("versions") {
            assert!(
                !version.published || version.body.balanced(),
                "round {round}: version {} was published unbalanced",
                version.version
            );
        }
    }
}
