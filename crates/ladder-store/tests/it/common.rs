//! What the test modules share: the two-backend macro, the runner behind it,
//! and the bundled frameworks.

use std::future::Future;
use std::sync::Arc;

use ladder_core::Framework;
use ladder_store::testing::TestDatabase;
use ladder_store::{connect, Store};

/// Turns each named test body into two tests, `<name>::sqlite` and
/// `<name>::postgres`. The PostgreSQL one is ignored unless asked for
/// (`-- --include-ignored` with `LADDER_TEST_POSTGRES_URL` set), so without
/// a server it shows as ignored, never as passed; asked for without the
/// variable, it fails with a sentence saying so.
///
/// A body is `async fn name(store: Arc<dyn Store>)`, or
/// `async fn name(store: Arc<dyn Store>, url: String)` when it must reach
/// under the store with its own connection. Each run gets a new, empty
/// database.
macro_rules! both_backends {
    ($($body:ident),+ $(,)?) => {
        $(
            mod $body {
                #[tokio::test]
                async fn sqlite() {
                    let database = ladder_store::testing::TestDatabase::sqlite();
                    $crate::common::run(database, super::$body).await;
                }

                #[tokio::test]
                #[ignore = "needs LADDER_TEST_POSTGRES_URL"]
                async fn postgres() {
                    let database = ladder_store::testing::TestDatabase::postgres().await;
                    $crate::common::run(database, super::$body).await;
                }
            }
        )+
    };
}

/// Connects to `database`, runs `body` on the store and drops the database.
pub async fn run<Args>(database: TestDatabase, body: impl TestBody<Args>) {
    let store = connect(&database.url)
        .await
        .unwrap_or_else(|error| panic!("cannot open the {} store: {error}", database.label));
    body.call(store, database.url.clone()).await;
    database.cleanup().await;
}

/// A test body [`both_backends!`] can run: an async function of the store,
/// or of the store and its database URL. `Args` only tells the two apart.
pub trait TestBody<Args> {
    type Run: Future<Output = ()>;
    fn call(self, store: Arc<dyn Store>, url: String) -> Self::Run;
}

impl<F, Run> TestBody<(Arc<dyn Store>,)> for F
where
    F: FnOnce(Arc<dyn Store>) -> Run,
    Run: Future<Output = ()>,
{
    type Run = Run;
    fn call(self, store: Arc<dyn Store>, _url: String) -> Run {
        self(store)
    }
}

impl<F, Run> TestBody<(Arc<dyn Store>, String)> for F
where
    F: FnOnce(Arc<dyn Store>, String) -> Run,
    Run: Future<Output = ()>,
{
    type Run = Run;
    fn call(self, store: Arc<dyn Store>, url: String) -> Run {
        self(store, url)
    }
}

/// A framework shipped with Ladder, parsed.
pub fn bundled(name: &str) -> Framework {
    let bundled = ladder_formats::bundled::FRAMEWORKS
        .iter()
        .find(|b| b.file_name == name)
        .expect("bundled framework");
    ladder_formats::parse(name, bundled.text.as_bytes())
        .framework
        .expect("parses")
}
