//! Opening a store.

use ladder_store::connect;

#[tokio::test]
async fn bad_urls_are_clear_errors() {
    let error = connect("mysql://nope").await.err().expect("error");
    assert!(error.to_string().contains("sqlite://"), "{error}");
}
