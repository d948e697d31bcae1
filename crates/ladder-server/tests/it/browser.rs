//! The web app in a real browser: headless Chromium driven over WebDriver
//! (chromedriver) through the real login form, client-side JavaScript and all.
//!
//! One test per database backend; each starts its own chromedriver, one browser
//! session with a fresh profile, and walks the flows in order (log in, level
//! tabs, examples, compare, search, log out and access, admin, then the job
//! specs: create, balance and publish, edit questions; then an interview end
//! to end). When a flow fails, a screenshot and the page source are written
//! to `target/browser-failures/<flow>-<backend>.{png,html}` and the test
//! panics naming them.
//!
//! The driver, sessions, waits and login steps live in `common/browser.rs`.
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian packages
//! `chromium` and `chromium-driver`), so the tests are ignored by default;
//! `cargo test -- --include-ignored` runs them (and CI always does).

use std::collections::BTreeSet;
use std::time::Instant;

use crate::common::browser::{
    at, click, click_to_load, ensure, eventually, fill_login, find, log_in, log_out, mark_page,
    no_policy_violations, query_value, retype, same_page, save_failure, texts, wait_for, Context,
    Driver, Failure, Outcome,
};
use crate::common::decimal;
use crate::common::TestApp;
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use ladder_core::access::Role;
use ladder_core::framework::Topic;
use ladder_core::Framework;
use ladder_store::testing::TestDatabase;

const BACKEND: &str = "engineering-backend";
const FRONTEND: &str = "engineering-frontend";
/// A word that appears in exactly one bundled behaviour's text (checked below).
const SEARCH_WORD: &str = "flame";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromedriver (Debian packages chromium, chromium-driver)"]
async fn web_app_in_browser_on_sqlite() {
    crate::common::browser::on_sqlite(run_flows).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium, chromedriver and LADDER_TEST_POSTGRES_URL"]
async fn web_app_in_browser_on_postgres() {
    crate::common::browser::on_postgres(run_flows).await;
}

// ------------------------------------------------------------------ flows

/// What a flow checks against: the bundled frameworks as the model reads them.
struct Model {
    frameworks: Vec<Framework>,
}

impl Model {
    fn load() -> Model {
        let frameworks = ladder_formats::bundled::FRAMEWORKS
            .iter()
            .map(|bundled| {
                ladder_formats::parse(bundled.file_name, bundled.text.as_bytes())
                    .framework
                    .expect("bundled frameworks parse")
            })
            .collect();
        Model { frameworks }
    }

    fn framework(&self, slug: &str) -> Result<&Framework, String> {
        self.frameworks
            .iter()
            .find(|f| f.slug == slug)
            .ok_or_else(|| format!("no bundled framework with slug {slug}"))
    }

    /// The topics of a framework with behaviours at `level`, in file order.
    fn topics_at(&self, slug: &str, level: u32) -> Result<Vec<&Topic>, String> {
        let topics: Vec<&Topic> = self
            .framework(slug)?
            .topics
            .iter()
            .filter(|topic| {
                topic
                    .levels
                    .iter()
                    .any(|l| l.number == level && !l.criteria.is_empty())
            })
            .collect();
        ensure!(
            topics.len() >= 2,
            "{slug} has {} topics at level {level}; the job-spec flows need at least 2",
            topics.len()
        );
        Ok(topics)
    }
}

const MEMBER_EMAIL: &str = "member@example.com";
const MEMBER_PASSWORD: &str = "member-password-1";
const ADMIN_EMAIL: &str = "admin@example.com";
const ADMIN_PASSWORD: &str = "admin-password-1";
const MANAGER_EMAIL: &str = "manager@example.com";
const MANAGER_PASSWORD: &str = "manager-password-1";

async fn run_flows(driver: &Driver, database: TestDatabase) {
    let started = Instant::now();
    let app = TestApp::spawn(database).await;
    let backend = app.label;
    app.user(MEMBER_EMAIL, Role::Member, MEMBER_PASSWORD).await;
    app.user(ADMIN_EMAIL, Role::Admin, ADMIN_PASSWORD).await;
    app.user(MANAGER_EMAIL, Role::HiringManager, MANAGER_PASSWORD)
        .await;
    let model = Model::load();

    let session = match driver.session().await {
        Ok(session) => session,
        Err(message) => {
            app.stop().await;
            panic!("{backend}: cannot start a browser session: {message}");
        }
    };
    let client = &session.client;

    let outcome: Result<(), Failure> = async {
        log_in_flow(client, &app, &model)
            .await
            .map_err(at("log-in"))?;
        level_tabs_flow(client, &app, &model)
            .await
            .map_err(at("level-tabs"))?;
        examples_flow(client, &app, &model)
            .await
            .map_err(at("examples"))?;
        compare_flow(client, &app, &model)
            .await
            .map_err(at("compare"))?;
        search_flow(client, &app, &model)
            .await
            .map_err(at("search"))?;
        log_out_flow(client, &app).await.map_err(at("log-out"))?;
        admin_flow(client, &app).await.map_err(at("admin"))?;
        let spec = new_job_spec_flow(client, &app, &model)
            .await
            .map_err(at("job-spec-new"))?;
        balance_flow(client, &app, &model, &spec)
            .await
            .map_err(at("job-spec-balance"))?;
        questions_flow(client, &app, &spec)
            .await
            .map_err(at("job-spec-questions"))?;
        crate::browser_alternatives::alternatives_flow(client, &app, &spec)
            .await
            .map_err(at("job-spec-alternatives"))?;
        interview_flow(client, &app, &model, &spec)
            .await
            .map_err(at("interview-e2e"))?;
        recorded_answer_flow(client, &app, &spec)
            .await
            .map_err(at("recorded-answer"))?;
        // Every page above, staff's and the candidate's, under the policy.
        no_policy_violations(client, 40)
            .await
            .map_err(at("content-security-policy"))?;
        Ok(())
    }
    .await;

    if let Err(failure) = outcome {
        let saved = save_failure(client, failure.flow, backend).await;
        session.close().await;
        app.stop().await;
        panic!(
            "browser flow `{}` failed on {backend}: {}\n{saved}",
            failure.flow, failure.message
        );
    }
    session.close().await;
    app.stop().await;
    eprintln!(
        "browser flows on {backend}: passed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// a. The real login form lands a member on their own progression page with
/// the user in the header and the bundled frameworks in the sidebar.
async fn log_in_flow(client: &Client, app: &TestApp, model: &Model) -> Outcome {
    log_in(client, app, MEMBER_EMAIL, MEMBER_PASSWORD).await?;
    let url = client.current_url().await.context("current URL")?;
    ensure!(
        url.path().starts_with("/people/"),
        "after logging in a member is at {url}, not their own page"
    );
    let sidebar = texts(client, "nav.sidebar .nav-group a").await?;
    let sidebar: BTreeSet<String> = sidebar.into_iter().collect();
    let expected: BTreeSet<String> = model
        .frameworks
        .iter()
        .map(|f| f.sidebar_title.clone().unwrap_or_else(|| f.title.clone()))
        .collect();
    ensure!(
        expected == BTreeSet::from(["Backend".into(), "Frontend".into(), "Generic".into()]),
        "the bundled frameworks' sidebar titles changed: {expected:?}"
    );
    ensure!(
        sidebar == expected,
        "the sidebar lists {sidebar:?}, expected {expected:?}"
    );
    Ok(())
}

/// b. Level tabs switch panels without a reload and keep the URL in step;
/// a level prefix names the tabs.
async fn level_tabs_flow(client: &Client, app: &TestApp, model: &Model) -> Outcome {
    find(
        client,
        &format!("nav.sidebar a[href=\"/frameworks/{BACKEND}\"]"),
    )
    .await?
    .click()
    .await
    .context("click the Backend sidebar link")?;
    // The script gives the selected tab tabindex=0: proof it has run.
    wait_for(client, "a.level-tab[data-level=\"1\"][tabindex=\"0\"]")
        .await
        .map_err(|e| format!("level tabs were not initialised by app.js: {e}"))?;

    let backend = model.framework(BACKEND)?;
    let levels = backend.level_numbers();
    ensure!(
        levels.len() == 6,
        "backend.md has {} levels, expected 6",
        levels.len()
    );
    let tabs = client
        .find_all(Locator::Css("a.level-tab[data-level]"))
        .await
        .context("find level tabs")?;
    ensure!(tabs.len() == 6, "{} level tabs, expected 6", tabs.len());
    for level in &levels {
        let panel = find(client, &panel_selector(*level)).await?;
        let hidden = panel
            .attr("hidden")
            .await
            .context("panel hidden")?
            .is_some();
        let displayed = panel.is_displayed().await.context("panel displayed")?;
        if *level == 1 {
            ensure!(!hidden && displayed, "the level 1 panel is not visible");
        } else {
            ensure!(hidden && !displayed, "the level {level} panel is visible");
        }
    }

    // A marker that only survives if the tab switch does not load a new page.
    mark_page(client).await?;
    find(client, "a.level-tab[data-level=\"3\"]")
        .await?
        .click()
        .await
        .context("click the Level 3 tab")?;
    let panel3 = wait_for(client, &format!("{}:not([hidden])", panel_selector(3))).await?;
    ensure!(
        panel3.is_displayed().await.context("panel 3 displayed")?,
        "the level 3 panel is not displayed after clicking its tab"
    );
    let panel1 = find(client, &panel_selector(1)).await?;
    ensure!(
        panel1
            .attr("hidden")
            .await
            .context("panel 1 hidden")?
            .is_some()
            && !panel1.is_displayed().await.context("panel 1 displayed")?,
        "the level 1 panel is still visible after clicking the level 3 tab"
    );
    let tab3 = find(client, "a.level-tab[data-level=\"3\"]").await?;
    ensure!(
        tab3.attr("aria-selected").await.context("aria-selected")? == Some("true".into()),
        "the level 3 tab is not aria-selected"
    );
    ensure!(
        same_page(client).await?,
        "clicking a level tab reloaded the page instead of switching on the client"
    );
    let url = client.current_url().await.context("current URL")?;
    ensure!(
        query_value(url.as_str(), "level").as_deref() == Some("3"),
        "the URL after clicking the level 3 tab is {url}, without level=3"
    );

    // levelPrefix: the frontend framework's tabs read E1, E2, …
    let frontend = model.framework(FRONTEND)?;
    client
        .goto(&app.url(&format!("/frameworks/{FRONTEND}")))
        .await
        .context("open the frontend framework")?;
    wait_for(client, "a.level-tab[data-level]").await?;
    let labels = texts(client, "a.level-tab[data-level]").await?;
    let expected: Vec<String> = frontend
        .level_numbers()
        .iter()
        .map(|n| format!("E{n}"))
        .collect();
    ensure!(!expected.is_empty(), "frontend.md has no levels");
    ensure!(
        labels == expected,
        "frontend tabs read {labels:?}, expected {expected:?}"
    );
    Ok(())
}

/// c. A behaviour's examples open from their summary.
async fn examples_flow(client: &Client, app: &TestApp, model: &Model) -> Outcome {
    let backend = model.framework(BACKEND)?;
    let Some(level) = backend
        .criteria()
        .find(|(_, _, c)| !c.examples.is_empty())
        .map(|(_, level, _)| level)
    else {
        return Err("backend.md has no examples".into());
    };
    client
        .goto(&app.url(&format!("/frameworks/{BACKEND}?level={level}")))
        .await
        .context("open the backend framework")?;
    let details = wait_for(
        client,
        &format!("{}:not([hidden]) details.examples", panel_selector(level)),
    )
    .await?;
    ensure!(
        details
            .attr("open")
            .await
            .context("details open")?
            .is_none(),
        "examples are open before their summary was clicked"
    );
    let items = details
        .find_all(Locator::Css("ul > li"))
        .await
        .context("example items")?;
    ensure!(!items.is_empty(), "the examples list has no items");
    for item in &items {
        ensure!(
            !item.is_displayed().await.context("item displayed")?,
            "an example is displayed while its details are closed"
        );
    }
    let criterion_id = details
        .find(Locator::XPath(
            "ancestor::li[contains(@class, 'criterion')]",
        ))
        .await
        .context("the criterion around the examples")?
        .attr("id")
        .await
        .context("criterion id")?
        .unwrap_or_default();
    let expected = backend
        .criteria()
        .find(|(_, _, c)| c.id == criterion_id)
        .map(|(_, _, c)| c.examples.len())
        .ok_or_else(|| format!("criterion `{criterion_id}` is not in backend.md"))?;
    ensure!(
        items.len() == expected,
        "{} examples listed for {criterion_id}, the model has {expected}",
        items.len()
    );

    details
        .find(Locator::Css("summary"))
        .await
        .context("examples summary")?
        .click()
        .await
        .context("click the examples summary")?;
    eventually("the examples to open", || async {
        Ok(details
            .attr("open")
            .await
            .context("details open")?
            .is_some())
    })
    .await?;
    for item in &items {
        ensure!(
            item.is_displayed().await.context("item displayed")?,
            "an example is not displayed after opening its details"
        );
    }
    Ok(())
}

/// d. The compare form lists exactly the behaviours of the levels in between.
async fn compare_flow(client: &Client, app: &TestApp, model: &Model) -> Outcome {
    client
        .goto(&app.url(&format!("/frameworks/{BACKEND}")))
        .await
        .context("open the backend framework")?;
    let from = wait_for(client, ".compare-box select[name=\"from\"]").await?;
    from.select_by_value("2").await.context("choose from=2")?;
    find(client, ".compare-box select[name=\"to\"]")
        .await?
        .select_by_value("4")
        .await
        .context("choose to=4")?;
    find(client, ".compare-box button[type=\"submit\"]")
        .await?
        .click()
        .await
        .context("submit the compare form")?;
    wait_for(client, "section.compare-topic").await?;

    let url = client.current_url().await.context("current URL")?;
    ensure!(
        url.path() == format!("/frameworks/{BACKEND}/compare")
            && query_value(url.as_str(), "from").as_deref() == Some("2")
            && query_value(url.as_str(), "to").as_deref() == Some("4"),
        "the compare form went to {url}"
    );
    let backend = model.framework(BACKEND)?;
    let sections = client
        .find_all(Locator::Css("section.compare-topic"))
        .await
        .context("compare topics")?;
    ensure!(
        sections.len() == backend.topics.len(),
        "{} compare topics shown, the framework has {}",
        sections.len(),
        backend.topics.len()
    );
    let items = client
        .find_all(Locator::Css("li.added-criterion"))
        .await
        .context("added criteria")?;
    ensure!(
        !items.is_empty(),
        "no li.added-criterion between levels 2 and 4"
    );
    let mut shown = Vec::new();
    for link in client
        .find_all(Locator::Css("li.added-criterion > a"))
        .await
        .context("added criterion links")?
    {
        let href = link.attr("href").await.context("href")?.unwrap_or_default();
        let (_, _, id) = parse_criterion_href(&href)?;
        shown.push(id);
    }
    let mut expected: Vec<String> = backend
        .criteria()
        .filter(|(_, level, _)| (3..=4).contains(level))
        .map(|(_, _, c)| c.id.clone())
        .collect();
    ensure!(
        items.len() == expected.len(),
        "{} behaviours added between levels 2 and 4, the model has {} at levels 3–4",
        items.len(),
        expected.len()
    );
    shown.sort();
    expected.sort();
    ensure!(
        shown == expected,
        "the added behaviours are not the criteria of levels 3 and 4:\nshown    {shown:?}\nexpected {expected:?}"
    );
    Ok(())
}

/// e. The header search finds a behaviour and its hit opens it on its level.
async fn search_flow(client: &Client, app: &TestApp, model: &Model) -> Outcome {
    let matching: Vec<(&str, u32, String)> = model
        .frameworks
        .iter()
        .flat_map(|f| {
            f.criteria()
                .filter(|(_, _, c)| c.text.to_lowercase().contains(SEARCH_WORD))
                .map(move |(_, level, c)| (f.slug.as_str(), level, c.id.clone()))
        })
        .collect();
    let [(slug, level, id)] = matching.as_slice() else {
        return Err(format!(
            "expected exactly one bundled behaviour containing “{SEARCH_WORD}”, found {matching:?}"
        ));
    };

    client
        .goto(&app.url("/"))
        .await
        .context("open the home page")?;
    let field = wait_for(client, "#site-search-q").await?;
    field
        .send_keys(SEARCH_WORD)
        .await
        .context("type the query")?;
    find(client, "form.site-search button[type=\"submit\"]")
        .await?
        .click()
        .await
        .context("submit the search")?;
    wait_for(client, "li.search-hit").await?;
    let url = client.current_url().await.context("current URL")?;
    ensure!(
        url.path() == "/search" && query_value(url.as_str(), "q").as_deref() == Some(SEARCH_WORD),
        "the header search went to {url}"
    );

    let links = client
        .find_all(Locator::Css("li.search-hit a"))
        .await
        .context("search hit links")?;
    let mut hits = Vec::new();
    for link in &links {
        let href = link.attr("href").await.context("href")?.unwrap_or_default();
        hits.push(parse_criterion_href(&href)?);
    }
    ensure!(
        hits.iter()
            .any(|(s, l, i)| s == slug && l == level && i == id),
        "no hit links to /frameworks/{slug}?level={level}#{id}: {hits:?}"
    );

    let (first_slug, first_level, first_id) = hits[0].clone();
    links[0].click().await.context("click the first hit")?;
    let criterion = wait_for(
        client,
        &format!(
            "{}:not([hidden]) li.criterion[id=\"{first_id}\"]",
            panel_selector(first_level)
        ),
    )
    .await?;
    ensure!(
        criterion
            .is_displayed()
            .await
            .context("criterion displayed")?,
        "the behaviour {first_id} is not displayed after following its search hit"
    );
    let url = client.current_url().await.context("current URL")?;
    ensure!(
        url.path() == format!("/frameworks/{first_slug}")
            && url.fragment() == Some(first_id.as_str()),
        "following the hit went to {url}"
    );

    // A bare link to the behaviour (no level in the query) is served on the
    // lowest level; the script must reveal the behaviour's own level.
    let lowest = model
        .framework(&first_slug)?
        .level_numbers()
        .first()
        .copied()
        .unwrap_or(0);
    if first_level != lowest {
        client
            .goto(&app.url(&format!("/frameworks/{first_slug}#{first_id}")))
            .await
            .context("open the behaviour's bare link")?;
        let criterion = wait_for(
            client,
            &format!(
                "{}:not([hidden]) li.criterion[id=\"{first_id}\"]",
                panel_selector(first_level)
            ),
        )
        .await
        .map_err(|e| format!("app.js did not reveal the linked behaviour's level: {e}"))?;
        ensure!(
            criterion
                .is_displayed()
                .await
                .context("criterion displayed")?,
            "the linked behaviour {first_id} is not displayed"
        );
        let url = client.current_url().await.context("current URL")?;
        ensure!(
            query_value(url.as_str(), "level") == Some(first_level.to_string())
                && url.fragment() == Some(first_id.as_str()),
            "after revealing the linked behaviour the URL is {url}"
        );
    }
    Ok(())
}

/// f. Logging out ends access; a member is refused the admin pages.
async fn log_out_flow(client: &Client, app: &TestApp) -> Outcome {
    log_out(client).await?;
    let url = client.current_url().await.context("current URL")?;
    let flashes = texts(client, ".flash").await?;
    ensure!(
        url.path() == "/" && flashes == ["You are logged out."],
        "after logging out the browser is at {url} with notices {flashes:?}"
    );
    client
        .goto(&app.url("/admin/users"))
        .await
        .context("open /admin/users")?;
    wait_for(client, "#login-email").await?;
    let url = client.current_url().await.context("current URL")?;
    ensure!(
        url.path() == "/login"
            && query_value(url.as_str(), "next").as_deref() == Some("/admin/users"),
        "/admin/users after logging out went to {url}, not the login page"
    );

    // Log in as a member from there: `next` takes them to the admin page,
    // which they may not see.
    fill_login(client, MEMBER_EMAIL, MEMBER_PASSWORD).await?;
    wait_for(client, ".user-email").await?;
    let url = client.current_url().await.context("current URL")?;
    ensure!(
        url.path() == "/admin/users",
        "logging in with next=/admin/users went to {url}"
    );
    let heading = find(client, "main h1").await?.text().await.context("h1")?;
    ensure!(
        heading == "Forbidden",
        "a member sees “{heading}” on /admin/users, not the Forbidden page"
    );
    let title = client.title().await.context("title")?;
    ensure!(
        title.starts_with("Forbidden"),
        "the page title is “{title}”"
    );
    ensure!(
        client
            .find_all(Locator::Css("table.users, form.add-user"))
            .await
            .context("admin content")?
            .is_empty(),
        "the Forbidden page shows the user table"
    );
    Ok(())
}

/// g. An admin adds a user through the form and gets a one-time password that
/// works once.
async fn admin_flow(client: &Client, app: &TestApp) -> Outcome {
    log_out(client).await?;
    log_in(client, app, ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    client
        .goto(&app.url("/admin/users"))
        .await
        .context("open /admin/users")?;
    let email_field = wait_for(client, "#new-user-email").await?;
    ensure!(
        client
            .find_all(Locator::Css(".flash"))
            .await
            .context("flash")?
            .is_empty(),
        "the users page shows a notice before anything was done"
    );
    let new_email = "new.interviewer@example.com";
    email_field
        .send_keys(new_email)
        .await
        .context("type the e-mail")?;
    find(client, "#new-user-role")
        .await?
        .select_by_value("interviewer")
        .await
        .context("choose the interviewer role")?;
    find(client, "form.add-user button[type=\"submit\"]")
        .await?
        .click()
        .await
        .context("submit the add-user form")?;
    let flash = wait_for(client, ".flash")
        .await?
        .text()
        .await
        .context("flash text")?;
    let marker = "One-time password, shown only now: ";
    let password = flash
        .split_once(marker)
        .map(|(_, rest)| rest.trim().to_string())
        .unwrap_or_default();
    ensure!(
        flash.contains(new_email) && flash.contains("interviewer") && !password.is_empty(),
        "the notice after adding a user reads “{flash}”"
    );

    let mut listed_role = None;
    for row in client
        .find_all(Locator::Css("table.users tbody tr"))
        .await
        .context("user rows")?
    {
        let email = row
            .find(Locator::Css("th"))
            .await
            .context("row e-mail")?
            .text()
            .await
            .context("row e-mail text")?;
        if email == new_email {
            let select = row
                .find(Locator::Css("select[name=\"role\"]"))
                .await
                .context("row role")?;
            listed_role = select.prop("value").await.context("role value")?;
        }
    }
    ensure!(
        listed_role.as_deref() == Some("interviewer"),
        "the table lists {new_email} with role {listed_role:?}"
    );

    // The one-time password logs the new user in, straight to choosing a new one.
    log_out(client).await?;
    client
        .goto(&app.url("/login"))
        .await
        .context("open /login")?;
    wait_for(client, "#login-email").await?;
    fill_login(client, new_email, &password).await?;
    wait_for(client, ".user-email").await?;
    let url = client.current_url().await.context("current URL")?;
    ensure!(
        url.path() == "/account/password",
        "logging in with the one-time password went to {url}, not /account/password"
    );
    Ok(())
}

// ------------------------------------------------------------------ job specs

const SPEC_TITLE: &str = "Senior Backend Engineer";
const SPEC_SENIORITY: &str = "senior";
const SPEC_DESCRIPTION: &str = "We run the payments platform: Rust services on PostgreSQL, \
     on call for what we ship, and careful schema migrations.";
/// The level of the backend framework the spec starts from.
const SPEC_LEVEL: u32 = 4;
/// What the new-spec form generates unless told otherwise.
const ROUND1_DEFAULT: usize = 3;
const ROUND2_DEFAULT: usize = 4;
const EDITED_QUESTION: &str =
    "Walk us through a schema migration you ran on a live PostgreSQL table.";
const ADDED_PROMPT: &str =
    "Tell us about a time you pushed back on a deadline to protect reliability.";

/// h. A hiring manager creates a spec from backend level 4 through the form and
/// lands on its page: one weight per level-4 topic, equal and balanced, and
/// the generated rounds. Returns the spec's path.
async fn new_job_spec_flow(
    client: &Client,
    app: &TestApp,
    model: &Model,
) -> Result<String, String> {
    let topics = model.topics_at(BACKEND, SPEC_LEVEL)?;
    let weights = equal_split(topics.len());

    // The admin flow leaves its new user logged in.
    log_out(client).await?;
    log_in(client, app, MANAGER_EMAIL, MANAGER_PASSWORD).await?;
    client
        .goto(&app.url("/job-specs"))
        .await
        .context("open /job-specs")?;
    let new_link = wait_for(client, ".jobspec-actions a[href=\"/job-specs/new\"]").await?;
    let label = new_link.text().await.context("link text")?;
    ensure!(
        label == "New job spec",
        "the link to the new-spec form reads “{label}”"
    );
    click_to_load(
        client,
        &new_link,
        "click New job spec",
        "form.jobspec-new #title",
    )
    .await?
    .send_keys(SPEC_TITLE)
    .await
    .context("type the title")?;
    retype(&find(client, "#seniority").await?, SPEC_SENIORITY).await?;
    retype(&find(client, "#description").await?, SPEC_DESCRIPTION).await?;
    find(client, "#framework")
        .await?
        .select_by_value(BACKEND)
        .await
        .context("choose the backend framework")?;
    retype(&find(client, "#level").await?, &SPEC_LEVEL.to_string()).await?;
    let submit = find(client, "form.jobspec-new button[type=\"submit\"]").await?;
    let article = click_to_load(
        client,
        &submit,
        "submit the new-spec form",
        "article.jobspec",
    )
    .await?;

    let id = article
        .attr("data-jobspec")
        .await
        .context("data-jobspec")?
        .unwrap_or_default();
    let spec = format!("/job-specs/{id}");
    let url = client.current_url().await.context("current URL")?;
    ensure!(
        !id.is_empty() && url.path() == spec,
        "creating the spec went to {url} (spec id “{id}”)"
    );
    let heading = find(client, "main h1").await?.text().await.context("h1")?;
    ensure!(heading == SPEC_TITLE, "the spec page is headed “{heading}”");
    let label = find(client, "span.version-label")
        .await?
        .text()
        .await
        .context("version label")?;
    ensure!(
        label == "draft v1",
        "a new spec is labelled “{label}”, not draft v1"
    );

    let names = texts(client, "table.competencies tbody tr > th").await?;
    let titles: Vec<String> = topics.iter().map(|t| t.title.clone()).collect();
    ensure!(
        names == titles,
        "the competencies are {names:?}, not the level-{SPEC_LEVEL} topics {titles:?}"
    );
    let shown = texts(client, "ul.weights > li.weight .weight-decimal").await?;
    let rows = client
        .find_all(Locator::Css("ul.weights > li.weight[data-competency]"))
        .await
        .context("weights")?;
    let expected: Vec<String> = weights.iter().map(|w| decimal(*w)).collect();
    ensure!(
        rows.len() == topics.len() && shown == expected,
        "{} li.weight showing {shown:?}; expected one per level-{SPEC_LEVEL} topic, {expected:?}",
        rows.len()
    );
    let total = wait_for(client, "p.total-weight").await?;
    let (text, class) = text_and_class(&total).await?;
    ensure!(
        text == "Total weight: 1.00 ✓ balanced" && class.split(' ').any(|c| c == "balanced"),
        "the total reads “{text}” (class “{class}”)"
    );
    let round1 = round_items(client, 1).await?;
    let round2 = round_items(client, 2).await?;
    ensure!(
        round1.len() == ROUND1_DEFAULT && round2.len() == ROUND2_DEFAULT,
        "{} questions and {} prompts generated, expected {ROUND1_DEFAULT} and {ROUND2_DEFAULT}",
        round1.len(),
        round2.len()
    );
    ensure!(
        round1
            .iter()
            .chain(&round2)
            .all(|item| !item.text.is_empty() && !item.edited),
        "a generated item is empty or marked edited: {round1:?} {round2:?}"
    );
    Ok(spec)
}

/// i. The editor's total follows typing without a round trip, exactly (also
/// for percentages); an unbalanced draft saves but will not publish until the
/// weights are fixed; publishing labels v1 and shows what candidates see.
async fn balance_flow(client: &Client, app: &TestApp, model: &Model, spec: &str) -> Outcome {
    let topics = model.topics_at(BACKEND, SPEC_LEVEL)?;
    let weights = equal_split(topics.len());
    let one: u32 = weights.iter().sum();
    ensure!(one == 10_000, "the equal split sums to {one} basis points");

    client.goto(&app.url(spec)).await.context("open the spec")?;
    wait_for(client, "article.jobspec").await?;
    let inputs = open_editor(client, topics.len()).await?;
    let mut values = Vec::new();
    for input in &inputs {
        values.push(input.prop("value").await.context("weight value")?);
    }
    let expected: Vec<Option<String>> = weights
        .iter()
        .map(|w| Some(decimal(*w)))
        .chain(std::iter::repeat(Some(String::new())))
        .take(values.len())
        .collect();
    ensure!(
        values == expected,
        "the editor's weights read {values:?}, expected {expected:?}"
    );
    expect_live_total(client, one).await?;
    mark_page(client).await?;

    // 0.05 less on the first competency.
    let lowered = weights[0] - 500;
    retype(&inputs[0], &decimal(lowered)).await?;
    let unbalanced = one - 500;
    let message = total_text(unbalanced);
    ensure!(
        message == "Total weight: 0.95 — add 0.05",
        "the expected total is “{message}”"
    );
    expect_live_total(client, unbalanced).await?;

    // A percentage with a fraction, then the second weight as a percentage.
    retype(&inputs[1], "12.5%").await?;
    expect_live_total(client, unbalanced - weights[1] + 1250).await?;
    retype(&inputs[1], &percent(weights[1])).await?;
    expect_live_total(client, unbalanced).await?;
    ensure!(
        same_page(client).await?,
        "the total was updated by loading a page, not by the script"
    );

    // Saved unbalanced: the draft says so and will not publish.
    let save = find(
        client,
        "form.jobspec-edit .form-actions button[type=\"submit\"]",
    )
    .await?;
    let total = click_to_load(client, &save, "save the draft", "p.total-weight").await?;
    let url = client.current_url().await.context("current URL")?;
    ensure!(
        url.path() == spec && query_value(url.as_str(), "version").as_deref() == Some("draft"),
        "saving the editor went to {url}"
    );
    let (text, class) = text_and_class(&total).await?;
    ensure!(
        text == message && class.split(' ').any(|c| c == "unbalanced"),
        "the saved draft's total reads “{text}” (class “{class}”), expected “{message}”"
    );
    let shown = texts(client, "ul.weights > li.weight .weight-decimal").await?;
    ensure!(
        shown.first() == Some(&decimal(lowered)) && shown.get(1) == Some(&decimal(weights[1])),
        "the saved weights read {shown:?}"
    );
    let publish = find(client, "form.publish button[type=\"submit\"]").await?;
    let error = click_to_load(client, &publish, "publish the unbalanced draft", "p.error")
        .await?
        .text()
        .await
        .context("error text")?;
    ensure!(
        error.starts_with(&format!("{message}:")),
        "publishing an unbalanced draft says “{error}”, not “{message}: …”"
    );
    let label = find(client, "span.version-label")
        .await?
        .text()
        .await
        .context("version label")?;
    ensure!(
        label == "draft v1",
        "after the refused publish the label is “{label}”"
    );

    // Fix the weight, save, publish.
    let inputs = open_editor(client, topics.len()).await?;
    expect_live_total(client, unbalanced).await?;
    retype(&inputs[0], &decimal(weights[0])).await?;
    expect_live_total(client, one).await?;
    let save = find(
        client,
        "form.jobspec-edit .form-actions button[type=\"submit\"]",
    )
    .await?;
    let total = click_to_load(client, &save, "save the fixed draft", "p.total-weight").await?;
    let (text, _) = text_and_class(&total).await?;
    ensure!(
        text == "Total weight: 1.00 ✓ balanced",
        "the fixed draft's total reads “{text}”"
    );
    let publish = find(client, "form.publish button[type=\"submit\"]").await?;
    click_to_load(client, &publish, "publish the draft", "p.candidate-sees").await?;
    let url = client.current_url().await.context("current URL")?;
    ensure!(url.path() == spec, "publishing went to {url}");
    let errors = texts(client, "p.error").await?;
    ensure!(errors.is_empty(), "publishing shows errors {errors:?}");
    let label = find(client, "span.version-label")
        .await?
        .text()
        .await
        .context("version label")?;
    ensure!(
        is_first_label(&label),
        "the published version is labelled “{label}”, not v1-<7 characters>"
    );
    let sees = find(client, "p.candidate-sees")
        .await?
        .text()
        .await
        .context("candidate sees")?;
    ensure!(
        sees == format!("{ROUND1_DEFAULT} currently · candidate sees {ROUND1_DEFAULT}"),
        "after publishing the round-1 count reads “{sees}”"
    );
    ensure!(
        client
            .find_all(Locator::Css("form.publish"))
            .await
            .context("publish form")?
            .is_empty(),
        "the published spec still offers to publish"
    );
    Ok(())
}

/// j. Editing items of the published spec opens draft v2: an edited question
/// is marked, a prompt is added, moves and regeneration change the draft, and
/// version 1 still shows what it was published with.
async fn questions_flow(client: &Client, app: &TestApp, spec: &str) -> Outcome {
    client.goto(&app.url(spec)).await.context("open the spec")?;
    wait_for(client, "ol.round1 > li.round-item").await?;
    let published_label = find(client, "span.version-label")
        .await?
        .text()
        .await
        .context("version label")?;
    let v1_round1 = round_items(client, 1).await?;
    let v1_round2 = round_items(client, 2).await?;
    ensure!(
        v1_round1.len() == ROUND1_DEFAULT && v1_round2.len() == ROUND2_DEFAULT,
        "the published spec has {} questions and {} prompts",
        v1_round1.len(),
        v1_round2.len()
    );
    ensure!(
        v1_round1.iter().all(|item| item.text != EDITED_QUESTION),
        "a generated question already reads “{EDITED_QUESTION}”"
    );

    // Edit the first question through its inline form.
    let first = find(client, "ol.round1 > li.round-item:first-child").await?;
    let summary = first
        .find(Locator::Css("details.item-edit > summary"))
        .await
        .context("the first question's Edit")?;
    click(client, &summary, "click Edit on the first question").await?;
    let field = first
        .find(Locator::Css("details.item-edit textarea[name=\"text\"]"))
        .await
        .context("the first question's text field")?;
    eventually("the edit form to open", || async {
        field.is_displayed().await.context("text field displayed")
    })
    .await?;
    let typed = field.prop("value").await.context("text value")?;
    ensure!(
        typed.as_deref() == Some(v1_round1[0].text.as_str()),
        "the edit form holds {typed:?}, not the question “{}”",
        v1_round1[0].text
    );
    retype(&field, EDITED_QUESTION).await?;
    let save = first
        .find(Locator::Css("details.item-edit button[type=\"submit\"]"))
        .await
        .context("the edit form's button")?;
    click_to_load(
        client,
        &save,
        "save the edited question",
        "ol.round1 > li.round-item",
    )
    .await?;
    let url = client.current_url().await.context("current URL")?;
    ensure!(
        url.path() == spec && query_value(url.as_str(), "version").as_deref() == Some("draft"),
        "saving the question went to {url}"
    );
    let label = find(client, "span.version-label")
        .await?
        .text()
        .await
        .context("version label")?;
    ensure!(
        label == "draft v2",
        "editing a published spec shows “{label}”, not draft v2"
    );
    let edited = round_items(client, 1).await?;
    ensure!(
        edited.len() == ROUND1_DEFAULT
            && edited[0].text == EDITED_QUESTION
            && edited[0].edited
            && edited[0].origin == "edited",
        "after editing, the first question is {:?}",
        edited.first()
    );
    ensure!(
        texts_of(&edited[1..]) == texts_of(&v1_round1[1..]),
        "editing the first question changed the others: {edited:?}"
    );

    // Add a round-2 prompt.
    let summary = find(client, "section#round2 details.item-add > summary").await?;
    click(client, &summary, "click Add a prompt").await?;
    let field = find(client, "#round2-new-text").await?;
    eventually("the add-prompt form to open", || async {
        field.is_displayed().await.context("text field displayed")
    })
    .await?;
    field
        .send_keys(ADDED_PROMPT)
        .await
        .context("type the prompt")?;
    let add = find(
        client,
        "section#round2 details.item-add button[type=\"submit\"]",
    )
    .await?;
    click_to_load(client, &add, "add the prompt", "ol.round2 > li.round-item").await?;
    let round2 = round_items(client, 2).await?;
    ensure!(
        round2.len() == ROUND2_DEFAULT + 1
            && round2.last().is_some_and(|item| item.text == ADDED_PROMPT)
            && texts_of(&round2[..ROUND2_DEFAULT]) == texts_of(&v1_round2),
        "after adding a prompt round 2 is {:?}",
        texts_of(&round2)
    );

    // Move the first question down.
    let down = find(
        client,
        "ol.round1 > li.round-item:first-child form.item-move button[value=\"down\"]",
    )
    .await?;
    click_to_load(
        client,
        &down,
        "move the first question down",
        "ol.round1 > li.round-item",
    )
    .await?;
    let moved = round_items(client, 1).await?;
    ensure!(
        ids_of(&moved) == [&edited[1].id, &edited[0].id, &edited[2].id],
        "after moving the first question down the order is {:?}, was {:?}",
        texts_of(&moved),
        texts_of(&edited)
    );

    // Regenerate the last question.
    let last = moved.len();
    let regenerate = find(
        client,
        &format!("ol.round1 > li.round-item:nth-child({last}) form.item-regenerate button"),
    )
    .await?;
    click_to_load(
        client,
        &regenerate,
        "regenerate the last question",
        "ol.round1 > li.round-item",
    )
    .await?;
    let regenerated = round_items(client, 1).await?;
    ensure!(
        regenerated.len() == moved.len()
            && texts_of(&regenerated[..last - 1]) == texts_of(&moved[..last - 1]),
        "regenerating the last question changed the others: {:?}, was {:?}",
        texts_of(&regenerated),
        texts_of(&moved)
    );
    let new_text = &regenerated[last - 1].text;
    ensure!(
        !new_text.is_empty() && *new_text != moved[last - 1].text,
        "regenerating “{}” gave “{new_text}”",
        moved[last - 1].text
    );

    // Published versions never change.
    client
        .goto(&app.url(&format!("{spec}?version=1")))
        .await
        .context("open version 1")?;
    wait_for(client, "ol.round1 > li.round-item").await?;
    let label = find(client, "span.version-label")
        .await?
        .text()
        .await
        .context("version label")?;
    let round1 = round_items(client, 1).await?;
    let round2 = round_items(client, 2).await?;
    ensure!(
        label == published_label
            && round1.first().map(|item| item.text.as_str()) == Some(v1_round1[0].text.as_str())
            && texts_of(&round1) == texts_of(&v1_round1)
            && texts_of(&round2) == texts_of(&v1_round2),
        "?version=1 ({label}) now shows questions {:?} and prompts {:?}",
        texts_of(&round1),
        texts_of(&round2)
    );
    ensure!(
        client
            .find_all(Locator::Css("li.round-item .item-controls"))
            .await
            .context("item controls")?
            .is_empty(),
        "version 1 offers item controls while draft v2 is open"
    );
    Ok(())
}

// ------------------------------------------------------------------ interviews

const INTERVIEWER_EMAIL: &str = "interviewer@example.com";
const INTERVIEWER_PASSWORD: &str = "interviewer-password-1";
const CANDIDATE_NAME: &str = "Ada Candidate";
const CANDIDATE_EMAIL: &str = "ada.candidate@example.com";
/// The scores given, one per competency in order (cycled if there are more).
const SCORES: [u32; 7] = [73, 88, 61, 95, 47, 82, 59];
/// The level-4 topics of the bundled Backend framework, hence the spec's
/// competencies, each weighted 0.20.
const SPEC_TOPICS: usize = 5;
/// Worked by hand, not by the code under test: (73 + 88 + 61 + 95 + 47) ×
/// 0.20 = 364 × 0.20 = 72.8.
const OVERALL: &str = "72.8";

/// k. Interview end to end: the hiring manager invites a candidate to the
/// published spec and an admin assigns an interviewer over the API; the
/// candidate answers Round 01 out of order and Round 02 one prompt at a time,
/// then finishes; the interviewer reads the answers and submits a scorecard;
/// the live performance shows the one completed interview with its exact
/// weighted score.
async fn interview_flow(client: &Client, app: &TestApp, model: &Model, spec: &str) -> Outcome {
    let topics = model.topics_at(BACKEND, SPEC_LEVEL)?;
    let weights = equal_split(topics.len());
    let interviewer = app
        .user(INTERVIEWER_EMAIL, Role::Interviewer, INTERVIEWER_PASSWORD)
        .await;

    // The hiring manager invites a candidate from the spec's Interviews page.
    let url = client.current_url().await.context("current URL")?;
    ensure!(
        url.path().starts_with(spec),
        "the job-spec flows ended at {url}, not on the spec"
    );
    client.goto(&app.url(spec)).await.context("open the spec")?;
    let link = wait_for(client, "a.interviews-link").await?;
    click_to_load(
        client,
        &link,
        "click Interviews",
        "form.invite-form #candidate_name",
    )
    .await?
    .send_keys(CANDIDATE_NAME)
    .await
    .context("type the candidate's name")?;
    ensure!(
        client.current_url().await.context("current URL")?.path() == format!("{spec}/interviews"),
        "the Interviews link did not open {spec}/interviews"
    );
    find(client, "#candidate_email")
        .await?
        .send_keys(CANDIDATE_EMAIL)
        .await
        .context("type the candidate's e-mail")?;
    let invite = find(client, "form.invite-form button[type=\"submit\"]").await?;
    let candidate_link = click_to_load(
        client,
        &invite,
        "invite the candidate",
        ".candidate-link input.link-field",
    )
    .await?
    .prop("value")
    .await
    .context("candidate link")?
    .unwrap_or_default();
    ensure!(
        candidate_link.starts_with(&format!("{}/candidate/", app.base)),
        "the candidate link reads “{candidate_link}”, not the whole link"
    );
    let errors = texts(client, "p.error").await?;
    ensure!(errors.is_empty(), "inviting shows errors {errors:?}");
    let rows = client
        .find_all(Locator::Css("table.interviews tr[data-interview]"))
        .await
        .context("interview rows")?;
    ensure!(
        rows.len() == 1,
        "{} interviews listed after the first invitation",
        rows.len()
    );
    let interview = rows[0]
        .attr("data-interview")
        .await
        .context("data-interview")?
        .unwrap_or_default();
    let row = rows[0].text().await.context("interview row")?;
    ensure!(
        !interview.is_empty() && row.contains(CANDIDATE_NAME) && row.contains(CANDIDATE_EMAIL),
        "the interview row (id “{interview}”) reads “{row}”"
    );

    // An admin assigns the interviewer over the API.
    let admin = app.token(Role::Admin).await;
    let response = crate::common::client()
        .post(app.url(&format!("/api/v1/interviews/{interview}/interviewers")))
        .bearer_auth(&admin)
        .json(&serde_json::json!({ "user_id": interviewer.id }))
        .send()
        .await
        .context("assign the interviewer")?;
    let status = response.status();
    let body: serde_json::Value = response.json().await.context("assignment response")?;
    ensure!(
        status == reqwest::StatusCode::OK
            && body["interviewers"]
                .as_array()
                .is_some_and(|ids| ids.iter().any(|id| id == interviewer.id.as_str())),
        "assigning the interviewer answered {status}: {body}"
    );
    log_out(client).await?;

    // The candidate, not logged in, answers Round 01 out of order.
    client
        .goto(&candidate_link)
        .await
        .context("open the candidate link")?;
    wait_for(client, ".answer-form[data-round=\"1\"]").await?;
    ensure!(
        client
            .find_all(Locator::Css(".user-email"))
            .await
            .context("header e-mail")?
            .is_empty(),
        "the candidate page shows a logged-in user"
    );
    let mut round1 = Vec::new();
    for li in client
        .find_all(Locator::Css("section#round1 li.question"))
        .await
        .context("round 1 questions")?
    {
        let form = li
            .find(Locator::Css(".answer-form[data-round=\"1\"]"))
            .await
            .context("a question's answer form")?;
        let id = form
            .attr("data-item")
            .await
            .context("data-item")?
            .unwrap_or_default();
        let text = li
            .find(Locator::Css("p.item-text"))
            .await
            .context("question text")?
            .text()
            .await
            .context("question text")?;
        round1.push((id, text));
    }
    ensure!(
        round1.len() == ROUND1_DEFAULT,
        "the candidate sees {} questions, expected {ROUND1_DEFAULT}",
        round1.len()
    );
    // Last, first, then the rest.
    let order: Vec<usize> = std::iter::once(round1.len() - 1)
        .chain(0..round1.len() - 1)
        .collect();
    let answer1 = |index: usize| format!("Round 01 answer to question {}.", index + 1);
    for (done, &index) in order.iter().enumerate() {
        let (id, _) = &round1[index];
        let form = find(
            client,
            &format!(".answer-form[data-round=\"1\"][data-item=\"{id}\"]"),
        )
        .await?;
        send_answer(
            client,
            &form,
            &answer1(index),
            &format!("question {}", index + 1),
            "section#round1",
        )
        .await?;
        let given = find(
            client,
            &format!("li#q-{}.question.answered .given-answer", index + 1),
        )
        .await?
        .text()
        .await
        .context("given answer")?;
        let answered = client
            .find_all(Locator::Css("section#round1 li.question.answered"))
            .await
            .context("answered questions")?
            .len();
        ensure!(
            given.ends_with(&answer1(index)) && answered == done + 1,
            "after answering question {} it shows “{given}” and {answered} questions are answered",
            index + 1
        );
    }
    ensure!(
        client
            .find_all(Locator::Css(".answer-form[data-round=\"1\"]"))
            .await
            .context("round 1 forms")?
            .is_empty(),
        "a Round 01 question still offers a form after all were answered"
    );

    // Round 02, one prompt at a time.
    let answer2 = |number: usize| format!("Round 02 answer to prompt {number}.");
    let mut round2 = Vec::new();
    for number in 1..=ROUND2_DEFAULT {
        let current = client
            .find_all(Locator::Css("section#round2 .current-prompt"))
            .await
            .context("current prompts")?;
        ensure!(
            current.len() == 1,
            "{} current prompts shown at prompt {number}",
            current.len()
        );
        ensure!(
            current[0]
                .is_displayed()
                .await
                .context("prompt displayed")?,
            "the current prompt {number} is not displayed"
        );
        let progress = find(client, "section#round2 p.progress")
            .await?
            .text()
            .await
            .context("progress")?;
        ensure!(
            progress == format!("Prompt {number} of {ROUND2_DEFAULT}"),
            "the progress reads “{progress}” at prompt {number}"
        );
        let answered = client
            .find_all(Locator::Css("section#round2 li.prompt.answered"))
            .await
            .context("answered prompts")?
            .len();
        ensure!(
            answered == number - 1,
            "{answered} prompts are shown answered at prompt {number}"
        );
        let text = current[0]
            .find(Locator::Css("p.item-text"))
            .await
            .context("prompt text")?
            .text()
            .await
            .context("prompt text")?;
        let form = current[0]
            .find(Locator::Css(".answer-form[data-round=\"2\"]"))
            .await
            .context("the prompt's answer form")?;
        ensure!(
            form.attr("data-item").await.context("data-item")?.is_some(),
            "prompt {number}'s form names no item"
        );
        round2.push(text);
        send_answer(
            client,
            &form,
            &answer2(number),
            &format!("prompt {number}"),
            "section#round2 p.progress",
        )
        .await?;
    }
    let progress = find(client, "section#round2 p.progress")
        .await?
        .text()
        .await
        .context("progress")?;
    let answered = texts(client, "section#round2 li.prompt.answered .given-answer").await?;
    ensure!(
        progress == format!("All {ROUND2_DEFAULT} of {ROUND2_DEFAULT} prompts answered")
            && answered.len() == ROUND2_DEFAULT
            && answered
                .iter()
                .zip(1..)
                .all(|(given, number)| given.ends_with(&answer2(number)))
            && client
                .find_all(Locator::Css("section#round2 .current-prompt"))
                .await
                .context("current prompts")?
                .is_empty(),
        "after the last prompt the progress reads “{progress}” and the answers {answered:?}"
    );

    // Finish, accepting the confirmation.
    let finish = find(client, "button.finish").await?;
    mark_page(client).await?;
    click(client, &finish, "click Finish interview").await?;
    let confirmed = std::sync::Mutex::new(None::<String>);
    eventually("the thank-you page", || async {
        if let Ok(text) = client.get_alert_text().await {
            client
                .accept_alert()
                .await
                .context("accept the confirmation")?;
            *confirmed.lock().map_err(|e| e.to_string())? = Some(text);
            return Ok(false);
        }
        if same_page(client).await.unwrap_or(true) {
            return Ok(false);
        }
        Ok(match client.find(Locator::Css("main.message h1")).await {
            Ok(heading) => heading.text().await.context("heading")? == "Thank you",
            Err(_) => false,
        })
    })
    .await?;
    let confirmed = confirmed.into_inner().map_err(|e| e.to_string())?;
    ensure!(
        confirmed.is_none()
            || confirmed.as_deref() == Some("Finish the interview and send your answers?"),
        "finishing asked “{}”",
        confirmed.unwrap_or_default()
    );
    let thanks = find(client, "main.message p")
        .await?
        .text()
        .await
        .context("thank-you text")?;
    ensure!(
        thanks.starts_with("Your interview is complete"),
        "the thank-you page reads “{thanks}”"
    );

    // The interviewer reads the answers and submits a scorecard.
    log_in(client, app, INTERVIEWER_EMAIL, INTERVIEWER_PASSWORD).await?;
    client
        .goto(&app.url(&format!("/interviews/{interview}")))
        .await
        .context("open the interview")?;
    wait_for(client, "form.scorecard").await?;
    let heading = find(client, "main h1").await?.text().await.context("h1")?;
    ensure!(
        heading == CANDIDATE_NAME,
        "the interview page is headed “{heading}”"
    );
    let sections = client
        .find_all(Locator::Css("section.answers"))
        .await
        .context("answer sections")?;
    ensure!(
        sections.len() == 2,
        "{} answer sections on the interview page",
        sections.len()
    );
    let expected: [Vec<(String, String)>; 2] = [
        round1
            .iter()
            .enumerate()
            .map(|(index, (_, text))| (text.clone(), answer1(index)))
            .collect(),
        round2
            .iter()
            .zip(1..)
            .map(|(text, number)| (text.clone(), answer2(number)))
            .collect(),
    ];
    for (section, expected) in sections.iter().zip(&expected) {
        let mut shown = Vec::new();
        for li in section
            .find_all(Locator::Css("ol > li"))
            .await
            .context("answered items")?
        {
            let question = li
                .find(Locator::Css("p.question"))
                .await
                .context("question")?
                .text()
                .await
                .context("question")?;
            let answer = match li.find(Locator::Css("blockquote.answer")).await {
                Ok(answer) => answer.text().await.context("answer")?,
                Err(_) => String::new(),
            };
            shown.push((question, answer));
        }
        ensure!(
            &shown == expected,
            "the interview page shows {shown:?}, expected {expected:?}"
        );
    }

    let fieldsets = client
        .find_all(Locator::Css(
            "form.scorecard fieldset.score[data-competency]",
        ))
        .await
        .context("score fieldsets")?;
    ensure!(
        fieldsets.len() == weights.len(),
        "the scorecard has {} competencies, the spec {}",
        fieldsets.len(),
        weights.len()
    );
    ensure!(
        weights.len() == SPEC_TOPICS,
        "the spec has {} competencies; OVERALL was worked out by hand for {SPEC_TOPICS}",
        weights.len()
    );
    let mut scored = Vec::new();
    for ((fieldset, weight), score) in fieldsets.iter().zip(&weights).zip(SCORES.iter().cycle()) {
        let id = fieldset
            .attr("data-competency")
            .await
            .context("data-competency")?
            .unwrap_or_default();
        let legend = fieldset
            .find(Locator::Css("legend"))
            .await
            .context("legend")?
            .text()
            .await
            .context("legend")?;
        ensure!(
            legend.ends_with(&format!("weight {}", decimal(*weight))),
            "competency {id} reads “{legend}”, expected weight {}",
            decimal(*weight)
        );
        let input = fieldset
            .find(Locator::Css(&format!("input[name=\"score_{id}\"]")))
            .await
            .context(&format!("score_{id}"))?;
        retype(&input, &score.to_string()).await?;
        scored.push((id, *score));
    }
    let overall = OVERALL.to_string();
    let musts = client
        .find_all(Locator::Css(
            "form.scorecard .must-have input[type=\"radio\"][value=\"met\"]",
        ))
        .await
        .context("must-have radios")?;
    for radio in &musts {
        click(client, radio, "mark a must-have met").await?;
    }
    find(client, "#recommendation")
        .await?
        .select_by_value("yes")
        .await
        .context("choose yes")?;
    let submit = find(
        client,
        "form.scorecard button[name=\"action\"][value=\"submit\"]",
    )
    .await?;
    click_to_load(client, &submit, "submit the scorecard", "form.scorecard").await?;
    let url = client.current_url().await.context("current URL")?;
    let errors = texts(client, "p.error").await?;
    ensure!(
        url.path() == format!("/interviews/{interview}") && errors.is_empty(),
        "submitting the scorecard went to {url} with errors {errors:?}"
    );
    let state = texts(client, "section.panel h2 .badge").await?;
    let shown = find(client, "strong[data-figure=\"overall\"]")
        .await?
        .text()
        .await
        .context("overall")?;
    ensure!(
        state == ["submitted"] && shown == overall,
        "after submitting, the scorecard is {state:?} and the overall reads “{shown}”, expected {overall}"
    );

    // The live performance.
    client
        .goto(&app.url(&format!("{spec}/performance")))
        .await
        .context("open the performance page")?;
    wait_for(client, "dl.performance").await?;
    let figure = |name: &'static str| async move {
        find(
            client,
            &format!("dl.performance dd[data-figure=\"{name}\"]"),
        )
        .await?
        .text()
        .await
        .context(name)
    };
    let figures = (
        figure("interviews").await?,
        figure("completed").await?,
        figure("completion").await?,
        figure("avg-score").await?,
    );
    let expected = (
        "1".to_string(),
        "1".to_string(),
        "100% · 1 of 1".to_string(),
        overall.clone(),
    );
    ensure!(
        figures == expected,
        "the performance figures (interviews, completed, completion, avg score) read \
         {figures:?}, expected {expected:?}"
    );
    for (id, score) in &scored {
        let item = find(
            client,
            &format!("li.competency-figure[data-competency=\"{id}\"]"),
        )
        .await?;
        let avg = item
            .find(Locator::Css(".avg"))
            .await
            .context("avg")?
            .text()
            .await
            .context("avg")?;
        let n = item
            .find(Locator::Css(".n"))
            .await
            .context("n")?
            .text()
            .await
            .context("n")?;
        ensure!(
            avg == format!("{score}.0") && n == "n=1",
            "competency {id} shows avg “{avg}” and “{n}”, expected {score}.0 and n=1"
        );
    }
    let listed = client
        .find_all(Locator::Css("li.competency-figure[data-competency]"))
        .await
        .context("competency figures")?
        .len();
    ensure!(
        listed == scored.len(),
        "{listed} competency figures, the spec has {}",
        scored.len()
    );
    find(client, "svg.distribution").await?;
    Ok(())
}

/// l. A recorded answer: the candidate records Round 01's first question
/// with the (fake) microphone — Record, Stop, a playable preview — and sends
/// it without typing; the assigned interviewer's page then has a playable
/// audio element whose source answers with WebM bytes.
async fn recorded_answer_flow(client: &Client, app: &TestApp, spec: &str) -> Outcome {
    let spec_id = spec.trim_start_matches("/job-specs/");
    let interviewer = app
        .store
        .credentials(INTERVIEWER_EMAIL)
        .await
        .context("interviewer")?
        .ok_or("the interviewer of the previous flow is missing")?
        .user;
    let manager = app.token(Role::HiringManager).await;
    let response = crate::common::client()
        .post(app.url(&format!("/api/v1/job-specs/{spec_id}/interviews")))
        .bearer_auth(&manager)
        .json(&serde_json::json!({"candidate_name": "Rec Order", "candidate_email": "rec@example.com", "interviewers": [interviewer.id]}))
        .send()
        .await
        .context("invite")?;
    ensure!(
        response.status() == reqwest::StatusCode::CREATED,
        "inviting the recording candidate answered {}",
        response.status()
    );
    let invited: serde_json::Value = response.json().await.context("invitation")?;
    let interview = invited["interview"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let link = invited["candidate_url"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    client
        .goto(&app.url(&link))
        .await
        .context("open the candidate link")?;
    let form = wait_for(client, "section#round1 li.question .answer-form").await?;
    let item = form
        .attr("data-item")
        .await
        .context("data-item")?
        .unwrap_or_default();
    let scoped = |css: &str| format!(".answer-form[data-item=\"{item}\"] {css}");
    let record = wait_for(client, &scoped(".recorder:not([hidden]) button.record")).await?;
    click(client, &record, "click Record").await?;
    let stop = wait_for(client, &scoped("button.stop:not([hidden])")).await?;
    // Record for a moment.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    click(client, &stop, "click Stop").await?;
    let audio_field = scoped("input.audio-id");
    eventually("the recording to be uploaded", || async {
        let value = find(client, &audio_field)
            .await?
            .prop("value")
            .await
            .context("audio_id")?;
        Ok(value.is_some_and(|v| !v.is_empty()))
    })
    .await?;
    let status = find(client, &scoped(".recorder-status"))
        .await?
        .text()
        .await
        .context("status")?;
    ensure!(
        status.starts_with("Recording saved"),
        "the recorder says “{status}”"
    );
    let preview = find(client, &scoped("audio.preview")).await?;
    ensure!(
        preview.is_displayed().await.context("preview shown")?,
        "the preview player is not shown"
    );
    let send = find(client, &scoped("button[type=\"submit\"]")).await?;
    click(client, &send, "send the recorded answer").await?;
    wait_for(client, "li.question.answered audio.given-audio").await?;
    let errors = texts(client, "p.error").await?;
    ensure!(
        errors.is_empty(),
        "sending the recorded answer shows {errors:?}"
    );

    // The interviewer (still logged in from the previous flow) hears it.
    client
        .goto(&app.url(&format!("/interviews/{interview}")))
        .await
        .context("open the interview")?;
    let player = wait_for(client, "audio.answer-audio[controls]").await?;
    let src = player.attr("src").await.context("src")?.unwrap_or_default();
    ensure!(
        src.starts_with(&format!("/api/v1/interviews/{interview}/audio/")),
        "the player plays “{src}”"
    );
    let player_arg = serde_json::to_value(&player).context("element")?;
    eventually("the player to load the recording's metadata", || {
        let player_arg = player_arg.clone();
        async move {
            let state = client
                .execute("return arguments[0].readyState;", vec![player_arg])
                .await
                .context("readyState")?;
            Ok(state.as_u64().unwrap_or(0) >= 1)
        }
    })
    .await?;
    let fetched = client
        .execute_async(
            "const done = arguments[arguments.length - 1];\n\
             fetch(arguments[0], {credentials: 'same-origin'}).then(async (r) => {\n\
               const bytes = new Uint8Array(await r.arrayBuffer());\n\
               done({status: r.status, type: r.headers.get('content-type'), size: bytes.length,\n\
                     head: Array.from(bytes.slice(0, 4)).map((b) => b.toString(16).padStart(2, '0')).join('')});\n\
             }).catch((e) => done({error: String(e)}));",
            vec![serde_json::Value::String(src.clone())],
        )
        .await
        .context("fetch the player's source")?;
    ensure!(
        fetched["status"] == 200
            && fetched["type"] == "audio/webm"
            && fetched["head"] == "1a45dfa3"
            && fetched["size"].as_u64().unwrap_or(0) > 100,
        "the player's source answered {fetched}"
    );
    Ok(())
}

/// `numerator / denominator` tenths rounded half up, written with one decimal.
/// Types `text` into a candidate's answer (an item of the page's answer
/// form), sends it — the page's script posts it and puts the item in its new
/// state without a reload — waits until the item no longer offers its form
/// and `wait_for` is there, and checks the page shows no error.
async fn send_answer(
    client: &Client,
    form: &Element,
    text: &str,
    what: &str,
    wait_for: &str,
) -> Outcome {
    let round = form
        .attr("data-round")
        .await
        .context("data-round")?
        .unwrap_or_default();
    let item = form
        .attr("data-item")
        .await
        .context("data-item")?
        .unwrap_or_default();
    let field = form
        .find(Locator::Css("textarea"))
        .await
        .context("the answer field")?;
    retype(&field, text).await?;
    let send = form
        .find(Locator::Css("button[type=\"submit\"]"))
        .await
        .context("Send answer")?;
    mark_page(client).await?;
    click(client, &send, &format!("answer {what}")).await?;
    let open = format!(".answer-form[data-round=\"{round}\"][data-item=\"{item}\"]");
    eventually(&format!("{what} to be answered"), || async {
        let errors = texts(client, "p.error").await?;
        ensure!(errors.is_empty(), "answering {what} shows {errors:?}");
        Ok(client
            .find_all(Locator::Css(&open))
            .await
            .context("the answer forms")?
            .is_empty())
    })
    .await?;
    crate::common::browser::wait_for(client, wait_for).await?;
    ensure!(
        same_page(client).await?,
        "answering {what} loaded a new page instead of updating this one"
    );
    Ok(())
}

/// Clicks Edit on a spec page; the editor's weight inputs (at least `rows`).
async fn open_editor(client: &Client, rows: usize) -> Result<Vec<Element>, String> {
    let edit = find(client, ".jobspec-actions a.button[href$=\"/edit\"]").await?;
    click_to_load(
        client,
        &edit,
        "click Edit",
        "form.jobspec-edit output#total-weight",
    )
    .await?;
    let inputs = client
        .find_all(Locator::Css("form.jobspec-edit input.weight-input"))
        .await
        .context("weight inputs")?;
    // Spare empty rows may follow, for adding a competency without script.
    ensure!(
        inputs.len() >= rows,
        "the editor has {} weight inputs, expected at least {rows}",
        inputs.len()
    );
    Ok(inputs)
}

/// Waits for the editor's live total to read the total of `points`.
async fn expect_live_total(client: &Client, points: u32) -> Outcome {
    let expected = total_text(points);
    let class = if points == 10_000 {
        "balanced"
    } else {
        "unbalanced"
    };
    let reached = eventually(&format!("the live total “{expected}”"), || async {
        let output = find(client, "output#total-weight").await?;
        let (text, classes) = text_and_class(&output).await?;
        Ok(text == expected && classes.split(' ').any(|c| c == class))
    })
    .await;
    if let Err(error) = reached {
        let output = find(client, "output#total-weight").await?;
        let (text, classes) = text_and_class(&output).await?;
        return Err(format!("{error}; it reads “{text}” (class “{classes}”)"));
    }
    Ok(())
}

// ------------------------------------------------------------------ helpers

fn panel_selector(level: u32) -> String {
    format!("section.level-panel[data-level=\"{level}\"]")
}

/// `/frameworks/<slug>?level=<n>#<criterion id>` → (slug, n, id).
fn parse_criterion_href(href: &str) -> Result<(String, u32, String), String> {
    let bad = || format!("`{href}` is not /frameworks/<slug>?level=<n>#<criterion id>");
    let rest = href.strip_prefix("/frameworks/").ok_or_else(bad)?;
    let (slug, rest) = rest.split_once("?level=").ok_or_else(bad)?;
    let (level, id) = rest.split_once('#').ok_or_else(bad)?;
    let level: u32 = level.parse().map_err(|_| bad())?;
    if slug.is_empty() || slug.contains('/') || id.is_empty() {
        return Err(bad());
    }
    Ok((slug.to_string(), level, id.to_string()))
}

/// 1.00 in `parts` equal basis-point weights, the remainder one point each to
/// the first: what "start from a framework level" proposes.
fn equal_split(parts: usize) -> Vec<u32> {
    let parts = u32::try_from(parts).unwrap_or(u32::MAX).max(1);
    (0..parts)
        .map(|index| 10_000 / parts + u32::from(index < 10_000 % parts))
        .collect()
}

/// Basis points as a percentage: 2000 → "20%", 1667 → "16.67%".
fn percent(points: u32) -> String {
    match points % 100 {
        0 => format!("{}%", points / 100),
        rest => format!(
            "{}.{}%",
            points / 100,
            format!("{rest:02}").trim_end_matches('0')
        ),
    }
}

/// "Total weight: 1.00 ✓ balanced", "Total weight: 0.95 — add 0.05", …
fn total_text(points: u32) -> String {
    match points.cmp(&10_000) {
        std::cmp::Ordering::Equal => format!("Total weight: {} ✓ balanced", decimal(points)),
        std::cmp::Ordering::Less => format!(
            "Total weight: {} — add {}",
            decimal(points),
            decimal(10_000 - points)
        ),
        std::cmp::Ordering::Greater => format!(
            "Total weight: {} — remove {}",
            decimal(points),
            decimal(points - 10_000)
        ),
    }
}

/// `v1-` and seven URL-safe characters.
fn is_first_label(label: &str) -> bool {
    label.strip_prefix("v1-").is_some_and(|rest| {
        rest.len() == 7
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    })
}

async fn text_and_class(element: &Element) -> Result<(String, String), String> {
    let text = element.text().await.context("text")?;
    let class = element
        .attr("class")
        .await
        .context("class")?
        .unwrap_or_default();
    Ok((text, class))
}

/// One question or prompt as a spec page shows it.
#[derive(Debug)]
struct Item {
    id: String,
    text: String,
    origin: String,
    edited: bool,
}

/// The items of a round, in order.
async fn round_items(client: &Client, round: u32) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    for li in client
        .find_all(Locator::Css(&format!("ol.round{round} > li.round-item")))
        .await
        .context("round items")?
    {
        let id = li
            .attr("data-item")
            .await
            .context("data-item")?
            .unwrap_or_default();
        let class = li.attr("class").await.context("class")?.unwrap_or_default();
        let text = li
            .find(Locator::Css("p.item-text"))
            .await
            .context("item text")?
            .text()
            .await
            .context("item text")?;
        let origin = li
            .find(Locator::Css("span.item-origin"))
            .await
            .context("item origin")?
            .text()
            .await
            .context("item origin")?;
        items.push(Item {
            id,
            text,
            origin,
            edited: class.split(' ').any(|c| c == "edited"),
        });
    }
    Ok(items)
}

fn texts_of(items: &[Item]) -> Vec<&str> {
    items.iter().map(|item| item.text.as_str()).collect()
}

fn ids_of(items: &[Item]) -> Vec<&String> {
    items.iter().map(|item| &item.id).collect()
}

#[test]
fn expected_weights_and_totals_are_exact() {
    assert_eq!(equal_split(6), [1667, 1667, 1667, 1667, 1666, 1666]);
    assert_eq!(equal_split(5).iter().sum::<u32>(), 10_000);
    assert_eq!(
        (decimal(2000), decimal(1667), decimal(10_000), decimal(125)),
        (
            "0.20".into(),
            "0.1667".into(),
            "1.00".into(),
            "0.0125".into()
        )
    );
    assert_eq!(
        (percent(2000), percent(1667), percent(1250)),
        ("20%".into(), "16.67%".into(), "12.5%".into())
    );
    assert_eq!(total_text(9500), "Total weight: 0.95 — add 0.05");
    assert_eq!(total_text(10_000), "Total weight: 1.00 ✓ balanced");
    assert_eq!(total_text(10_250), "Total weight: 1.025 — remove 0.025");
    assert!(is_first_label("v1-U_WN6k-") && is_first_label("v1-abc_DE9"));
    assert!(!is_first_label("v1-U_WN6k") && !is_first_label("v2-abcdefg"));
    assert!(!is_first_label("v1-abc.def") && !is_first_label("draft v1"));
}
