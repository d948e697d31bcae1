//! Opening a store, and calling it through the prelude.

use ladder_store::testing::TestDatabase;
use ladder_store::{connect, SqlStore};

#[tokio::test]
async fn bad_urls_are_clear_errors() {
    let error = connect("mysql://nope").await.err().expect("error");
    assert!(error.to_string().contains("sqlite://"), "{error}");
}

/// On a concrete `SqlStore` (not a `dyn Store`, whose supertrait methods
/// resolve without imports) the prelude alone brings every area's methods
/// into scope.
#[tokio::test]
async fn the_prelude_makes_every_area_callable() {
    use ladder_store::prelude::*;

    let database = TestDatabase::sqlite();
    let store = SqlStore::connect(&database.url).await.expect("connect");
    store.ping().await.expect("ping");
    assert!(store
        .list_frameworks()
        .await
        .expect("frameworks")
        .is_empty());
    assert_eq!(store.user_count().await.expect("users"), 0);
    assert!(store.job_specs().await.expect("job specs").is_empty());
    assert_eq!(store.verify().await.expect("verify"), Vec::<String>::new());
    assert!(store.people(None).await.expect("people").is_empty());
    database.cleanup().await;
}
