//! The frameworks home over real HTTP: each bundled framework with its
//! levels, topics and behaviours as the parsed files count them.

use crate::common::{client, TestApp};
use ladder_core::access::Role;
use ladder_store::testing::TestDatabase;

async fn the_home_page_counts_each_framework(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.user("ada@example.com", Role::Member, "a-long-enough-password-1")
        .await;
    let http = client();
    crate::common::log_in_to(
        &http,
        &app,
        "ada@example.com",
        "a-long-enough-password-1",
        "/",
    )
    .await;
    let page = http
        .get(app.url("/"))
        .send()
        .await
        .expect("home")
        .text()
        .await
        .expect("html");
    for bundled in ladder_formats::bundled::FRAMEWORKS {
        let framework = ladder_formats::parse(bundled.file_name, bundled.text.as_bytes())
            .framework
            .expect("bundled frameworks parse");
        let levels = framework
            .topics
            .iter()
            .flat_map(|topic| topic.levels.iter().map(|level| level.number))
            .max()
            .unwrap_or(0);
        let counts = format!(
            "{levels} levels · {} topics · {} behaviours",
            framework.topics.len(),
            framework.criteria().count()
        );
        assert!(
            page.contains(&counts),
            "[{}] {counts} missing: {page}",
            app.label
        );
    }
    assert!(page.contains("updated <time datetime="), "[{}]", app.label);
    app.stop().await;
}

on_each_database!(the_home_page_counts_each_framework);
