//! Frameworks: versioned imports, the search index that follows the current
//! version, and concurrent imports.

use std::sync::Arc;

use ladder_store::{Actor, ImportOutcome, Store};

use crate::common::bundled;

both_backends!(
    import_is_idempotent_and_versions_changed_content,
    lists_and_searches_current_versions,
    search_index_follows_the_current_version,
    updates_replace_only_their_own_search_rows,
    concurrent_imports_of_one_framework_make_one_version,
    names_written_with_symbols_find_only_themselves,
);

async fn import_is_idempotent_and_versions_changed_content(store: Arc<dyn Store>) {
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
}

async fn lists_and_searches_current_versions(store: Arc<dyn Store>) {
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
    // Query syntax is stripped: what is left is the word "or", as a prefix.
    let hostile = store
        .search("\"*) OR (", 50)
        .await
        .expect("hostile query is harmless");
    assert!(!hostile.is_empty());
    assert_eq!(hostile, store.search("or", 50).await.expect("search"));
}

async fn search_index_follows_the_current_version(store: Arc<dyn Store>) {
    let actor = Actor::system();
    let mut generic = bundled("generic.md");
    store
        .import_framework(&generic, &actor)
        .await
        .expect("import");
    generic.topics[0].levels[0].criteria[0].text = "Juggles flaming torches during standups".into();
    store
        .import_framework(&generic, &actor)
        .await
        .expect("import");
    let hits = store.search("juggles torches", 10).await.expect("search");
    assert_eq!(hits.len(), 1);
    let count_before = store.search("standups", 10).await.expect("search").len();
    assert_eq!(count_before, 1);
}

async fn updates_replace_only_their_own_search_rows(store: Arc<dyn Store>) {
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
    assert_eq!(backend_hits, 1, "{backend_text:?} is one behaviour");
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
}

async fn concurrent_imports_of_one_framework_make_one_version(store: Arc<dyn Store>) {
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
}

/// "C#" finds the C# behaviour, not every word starting with c; "C++" and
/// ".NET" likewise.
async fn names_written_with_symbols_find_only_themselves(store: Arc<dyn Store>) {
    let actor = Actor::system();
    let mut generic = bundled("generic.md");
    let wordings = [
        "Writes idiomatic C# services on ASP.NET Core",
        "Writes C++ drivers for the card readers",
        "Configures caching for the checkout",
        "Reviews C code in the firmware",
    ];
    let topic = generic.topics[0].key.clone();
    generic.topics[0].levels[0].criteria = wordings
        .iter()
        .map(|text| ladder_core::Criterion {
            id: ladder_core::criterion_id(&topic, 1, text),
            text: text.to_string(),
            examples: Vec::new(),
        })
        .collect();
    store
        .import_framework(&generic, &actor)
        .await
        .expect("import");
    let texts = |hits: Vec<ladder_store::SearchHit>| -> Vec<String> {
        hits.into_iter().map(|hit| hit.text).collect()
    };
    assert_eq!(
        texts(store.search("C#", 50).await.expect("search")),
        [wordings[0]]
    );
    assert_eq!(
        texts(store.search("c++", 50).await.expect("search")),
        [wordings[1]]
    );
    assert_eq!(
        texts(store.search(".NET", 50).await.expect("search")),
        [wordings[0]]
    );
    // A plain word still matches as a prefix.
    assert_eq!(
        texts(store.search("cach", 50).await.expect("search")),
        [wordings[2]]
    );
}
