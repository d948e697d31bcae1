//! The store's behaviour, run against SQLite and (when configured) PostgreSQL.
//! Every test body is one function taking a store, called once per backend.

use std::sync::Arc;

use ladder_core::access::Role;
use ladder_core::Framework;
use ladder_store::testing::TestDatabase;
use ladder_store::{connect, Actor, ImportOutcome, Store, StoreError};

fn bundled(name: &str) -> Framework {
    let bundled = ladder_formats::bundled::FRAMEWORKS
        .iter()
        .find(|b| b.file_name == name)
        .expect("bundled framework");
    ladder_formats::parse(name, bundled.text.as_bytes())
        .framework
        .expect("parses")
}

async fn on_each_backend<F, Fut>(test: F)
where
    F: Fn(Arc<dyn Store>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for database in TestDatabase::each().await {
        let store = connect(&database.url)
            .await
            .unwrap_or_else(|error| panic!("{}: {error}", database.label));
        eprintln!("running on {}", database.label);
        test(store).await;
        database.cleanup().await;
    }
}

#[tokio::test]
async fn import_is_idempotent_and_versions_changed_content() {
    on_each_backend(|store| async move {
        let actor = Actor::cli();
        let mut backend = bundled("backend.md");
        let first = store
            .import_framework(&backend, &actor)
            .await
            .expect("import");
        assert_eq!(
            first,
            ImportOutcome::Created {
                slug: "engineering-backend".into(),
                version: 1
            }
        );
        let again = store
            .import_framework(&backend, &actor)
            .await
            .expect("import");
        assert_eq!(
            again,
            ImportOutcome::Unchanged {
                slug: "engineering-backend".into(),
                version: 1
            }
        );

        backend.topics[0].levels[0].criteria[0].text = "Writes a brand new behaviour".into();
        let changed = store
            .import_framework(&backend, &actor)
            .await
            .expect("import");
        assert_eq!(
            changed,
            ImportOutcome::Updated {
                slug: "engineering-backend".into(),
                version: 2
            }
        );

        let current = store
            .framework("engineering-backend", None)
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(current.version, 2);
        assert_eq!(
            current.framework.topics[0].levels[0].criteria[0].text,
            "Writes a brand new behaviour"
        );
        let old = store
            .framework("engineering-backend", Some(1))
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(old.version, 1);
        assert_eq!(old.current_version, 2);
        assert_eq!(old.framework.content(), bundled("backend.md").content());
        assert!(store
            .framework("engineering-backend", Some(3))
            .await
            .expect("read")
            .is_none());
        assert!(store.framework("nope", None).await.expect("read").is_none());

        let versions = store
            .framework_versions("engineering-backend")
            .await
            .expect("versions");
        assert_eq!(
            versions.iter().map(|v| v.version).collect::<Vec<_>>(),
            vec![2, 1]
        );
        assert_eq!(versions[0].created_by, "cli");

        let audit = store.audit_log(10).await.expect("audit");
        let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(actions, vec!["framework.update", "framework.create"]);
    })
    .await;
}

#[tokio::test]
async fn lists_and_searches_current_versions() {
    on_each_backend(|store| async move {
        let actor = Actor::system();
        for name in ["backend.md", "generic.md", "frontend.md"] {
            store
                .import_framework(&bundled(name), &actor)
                .await
                .expect("import");
        }
        let list = store.list_frameworks().await.expect("list");
        assert_eq!(list.len(), 3);
        assert!(list.iter().all(|f| f.version == 1));

        let backend = bundled("backend.md");
        let (topic, level, criterion) = backend.criteria().nth(7).expect("a criterion");
        let distinctive: Vec<&str> = criterion
            .text
            .split_whitespace()
            .filter(|w| w.len() > 5)
            .take(2)
            .collect();
        let hits = store
            .search(&distinctive.join(" "), 50)
            .await
            .expect("search");
        assert!(
            hits.iter().any(|hit| hit.criterion_id == criterion.id
                && hit.level == level
                && hit.topic_title == topic.title),
            "{:?} not found by {:?} in {hits:?}",
            criterion.text,
            distinctive
        );
        // Prefix search: the first letters of a word find it.
        let word = distinctive[0];
        let prefix: String = word.chars().take(word.chars().count() - 1).collect();
        assert!(
            !store.search(&prefix, 50).await.expect("search").is_empty(),
            "prefix {prefix}"
        );
        assert!(store
            .search("zzqxyzzy", 50)
            .await
            .expect("search")
            .is_empty());
        assert!(
            store
                .search("\"*) OR (", 50)
                .await
                .expect("hostile query is harmless")
                .len()
                <= 50
        );
    })
    .await;
}

#[tokio::test]
async fn search_index_follows_the_current_version() {
    on_each_backend(|store| async move {
        let actor = Actor::system();
        let mut generic = bundled("generic.md");
        store
            .import_framework(&generic, &actor)
            .await
            .expect("import");
        generic.topics[0].levels[0].criteria[0].text =
            "Juggles flaming torches during standups".into();
        store
            .import_framework(&generic, &actor)
            .await
            .expect("import");
        let hits = store.search("juggles torches", 10).await.expect("search");
        assert_eq!(hits.len(), 1);
        let count_before = store.search("standups", 10).await.expect("search").len();
        assert_eq!(count_before, 1);
    })
    .await;
}

#[tokio::test]
async fn updates_replace_only_their_own_search_rows() {
    on_each_backend(|store| async move {
        let actor = Actor::system();
        let mut generic = bundled("generic.md");
        let backend = bundled("backend.md");
        store
            .import_framework(&generic, &actor)
            .await
            .expect("generic");
        store
            .import_framework(&backend, &actor)
            .await
            .expect("backend");
        let backend_text = backend.topics[0].levels[0].criteria[0].text.clone();
        let backend_hits = store.search(&backend_text, 50).await.expect("search").len();
        assert!(backend_hits >= 1);
        for wording in [
            "Juggles flaming torches",
            "Juggles wooden clubs",
            "Juggles flaming clubs",
        ] {
            generic.topics[0].levels[0].criteria[0].text = wording.into();
            store
                .import_framework(&generic, &actor)
                .await
                .expect("update");
            let hits = store.search("juggles", 50).await.expect("search");
            assert_eq!(
                hits.len(),
                1,
                "only the current wording is indexed: {hits:?}"
            );
            assert_eq!(hits[0].text, wording);
        }
        // The other framework's rows were not touched by three updates.
        assert_eq!(
            store.search(&backend_text, 50).await.expect("search").len(),
            backend_hits
        );
        let untouched = generic.topics[0].levels[0].criteria[1].text.clone();
        let generic_rows = store.search(&untouched, 50).await.expect("search");
        assert!(generic_rows.iter().any(|hit| hit.slug == generic.slug));
    })
    .await;
}

#[tokio::test]
async fn users_sessions_tokens_and_settings() {
    on_each_backend(|store| async move {
        let actor = Actor::system();
        assert_eq!(store.user_count().await.expect("count"), 0);
        let admin = store
            .create_user(
                "Admin@Example.com ",
                Role::Admin,
                Some("hash"),
                true,
                &actor,
            )
            .await
            .expect("create");
        assert_eq!(admin.email, "admin@example.com");
        assert!(admin.must_change_password);
        let duplicate = store
            .create_user("admin@example.com", Role::Member, None, false, &actor)
            .await;
        assert!(
            matches!(duplicate, Err(StoreError::Conflict(_))),
            "{duplicate:?}"
        );

        let credentials = store
            .credentials("ADMIN@example.com")
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(credentials.password_hash.as_deref(), Some("hash"));
        store
            .set_password(&admin.id, "hash2", false, &Actor::user(&admin))
            .await
            .expect("password");
        let credentials = store
            .credentials("admin@example.com")
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(credentials.password_hash.as_deref(), Some("hash2"));
        assert!(!credentials.user.must_change_password);

        let member = store
            .create_user(
                "m@example.com",
                Role::Member,
                None,
                false,
                &Actor::user(&admin),
            )
            .await
            .expect("create");
        let promoted = store
            .set_role(&member.id, Role::HiringManager, &Actor::user(&admin))
            .await
            .expect("role");
        assert_eq!(promoted.role, Role::HiringManager);
        assert!(matches!(
            store.set_role("missing", Role::Admin, &actor).await,
            Err(StoreError::NotFound(_))
        ));

        store
            .create_session("session-hash", &member.id, "csrf-token", i64::MAX)
            .await
            .expect("session");
        let (user, csrf) = store
            .session("session-hash", 0)
            .await
            .expect("read")
            .expect("valid");
        assert_eq!(
            (user.id.as_str(), csrf.as_str()),
            (member.id.as_str(), "csrf-token")
        );
        assert!(
            store
                .session("session-hash", i64::MAX)
                .await
                .expect("read")
                .is_none(),
            "expired"
        );
        store
            .create_api_token(&member.id, "ci", "token-hash", &actor)
            .await
            .expect("token");
        assert_eq!(
            store
                .user_by_api_token("token-hash")
                .await
                .expect("read")
                .map(|u| u.id),
            Some(member.id.clone())
        );

        store
            .set_disabled(&member.id, true, &Actor::user(&admin))
            .await
            .expect("disable");
        assert!(
            store
                .session("session-hash", 0)
                .await
                .expect("read")
                .is_none(),
            "disabled users lose sessions"
        );
        assert!(
            store
                .user_by_api_token("token-hash")
                .await
                .expect("read")
                .is_none(),
            "and tokens"
        );

        store
            .create_session("s2", &admin.id, "c2", i64::MAX)
            .await
            .expect("session");
        store.delete_session("s2").await.expect("logout");
        assert!(store.session("s2", 0).await.expect("read").is_none());

        assert_eq!(store.setting("public_browsing").await.expect("read"), None);
        store
            .set_setting("public_browsing", "true", &Actor::user(&admin))
            .await
            .expect("set");
        store
            .set_setting("public_browsing", "false", &Actor::user(&admin))
            .await
            .expect("set");
        assert_eq!(
            store
                .setting("public_browsing")
                .await
                .expect("read")
                .as_deref(),
            Some("false")
        );

        let audit = store.audit_log(100).await.expect("audit");
        assert!(audit
            .iter()
            .any(|entry| entry.action == "user.role" && entry.actor == "admin@example.com"));
        assert!(audit
            .iter()
            .any(|entry| entry.action == "setting.set" && entry.detail["value"] == "false"));
        store.ping().await.expect("ping");
    })
    .await;
}

#[tokio::test]
async fn concurrent_imports_of_one_framework_make_one_version() {
    on_each_backend(|store| async move {
        let framework = bundled("frontend.md");
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let store = Arc::clone(&store);
            let framework = framework.clone();
            tasks.push(tokio::spawn(async move {
                store.import_framework(&framework, &Actor::system()).await
            }));
        }
        let mut created = 0;
        for task in tasks {
            match task.await.expect("task").expect("import") {
                ImportOutcome::Created { .. } => created += 1,
                ImportOutcome::Unchanged { version, .. } => assert_eq!(version, 1),
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(created, 1);
        assert_eq!(
            store
                .framework_versions("engineering-frontend")
                .await
                .expect("versions")
                .len(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn bad_urls_are_clear_errors() {
    let error = connect("mysql://nope").await.err().expect("error");
    assert!(error.to_string().contains("sqlite://"), "{error}");
}

fn spec_body(weights: &[u32]) -> ladder_core::jobspec::JobSpecBody {
    use ladder_core::jobspec::{Competency, JobSpecBody, Weight};
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

#[tokio::test]
async fn job_spec_versions_freeze_on_publish() {
    use ladder_store::VersionSelector;
    on_each_backend(|store| async move {
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
    })
    .await;
}
