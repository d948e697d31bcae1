//! The web app in a real browser: headless Chromium driven over WebDriver
//! (chromedriver) through the real login form, client-side JavaScript and all.
//!
//! One test per database backend; each starts its own chromedriver, one browser
//! session with a fresh profile, and walks the flows in order (log in, level
//! tabs, examples, compare, search, log out and access, admin). When a flow
//! fails, a screenshot and the page source are written to
//! `target/browser-failures/<flow>-<backend>.{png,html}` and the test panics
//! naming them.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian packages
//! `chromium` and `chromium-driver`); without them the tests say they are
//! skipped, except under CI, where that is a failure.

mod common;

use std::collections::BTreeSet;
use std::fmt::Display;
use std::future::Future;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::TestApp;
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use ladder_core::access::Role;
use ladder_core::Framework;
use ladder_store::testing::TestDatabase;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The longest any single page behaviour may take to show up.
const WAIT: Duration = Duration::from_secs(10);

const BACKEND: &str = "engineering-backend";
const FRONTEND: &str = "engineering-frontend";
/// A word that appears in exactly one bundled behaviour's text (checked below).
const SEARCH_WORD: &str = "flame";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_app_in_browser_on_sqlite() {
    let Some(driver) = Driver::start().await else {
        return;
    };
    run_flows(&driver, TestDatabase::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn web_app_in_browser_on_postgres() {
    if !browser_available() {
        return;
    }
    let Some(database) = TestDatabase::postgres().await else {
        return;
    };
    let Some(driver) = Driver::start().await else {
        database.cleanup().await;
        return;
    };
    run_flows(&driver, database).await;
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
}

struct Failure {
    flow: &'static str,
    message: String,
}

fn at(flow: &'static str) -> impl FnOnce(String) -> Failure {
    move |message| Failure { flow, message }
}

const MEMBER_EMAIL: &str = "member@example.com";
const MEMBER_PASSWORD: &str = "member-password-1";
const ADMIN_EMAIL: &str = "admin@example.com";
const ADMIN_PASSWORD: &str = "admin-password-1";

async fn run_flows(driver: &Driver, database: TestDatabase) {
    let started = Instant::now();
    let app = TestApp::spawn(database).await;
    let backend = app.label;
    app.user(MEMBER_EMAIL, Role::Member, MEMBER_PASSWORD).await;
    app.user(ADMIN_EMAIL, Role::Admin, ADMIN_PASSWORD).await;
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

/// a. The real login form lands on the home page with the user in the header
/// and the bundled frameworks in the sidebar.
async fn log_in_flow(client: &Client, app: &TestApp, model: &Model) -> Outcome {
    log_in(client, app, MEMBER_EMAIL, MEMBER_PASSWORD).await?;
    let url = client.current_url().await.context("current URL")?;
    ensure!(
        url.path() == "/",
        "after logging in the browser is at {url}, not /"
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
    client
        .execute("window.__ladderSamePage = true;", vec![])
        .await
        .context("set page marker")?;
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
    let same_page = client
        .execute("return window.__ladderSamePage === true;", vec![])
        .await
        .context("read page marker")?;
    ensure!(
        same_page == serde_json::Value::Bool(true),
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

// ------------------------------------------------------------------ steps

async fn log_in(client: &Client, app: &TestApp, email: &str, password: &str) -> Outcome {
    client
        .goto(&app.url("/login"))
        .await
        .context("open /login")?;
    wait_for(client, "#login-email").await?;
    fill_login(client, email, password).await?;
    let badge = wait_for(client, ".user-email")
        .await
        .map_err(|e| format!("logging in as {email} did not show the user in the header: {e}"))?;
    let shown = badge.text().await.context("header e-mail")?;
    ensure!(shown == email, "the header shows “{shown}”, not {email}");
    Ok(())
}

/// Fills and submits the login form already on screen.
async fn fill_login(client: &Client, email: &str, password: &str) -> Outcome {
    find(client, "#login-email")
        .await?
        .send_keys(email)
        .await
        .context("type the e-mail")?;
    find(client, "#login-password")
        .await?
        .send_keys(password)
        .await
        .context("type the password")?;
    find(client, "main form button[type=\"submit\"]")
        .await?
        .click()
        .await
        .context("submit the login form")
}

async fn log_out(client: &Client) -> Outcome {
    find(client, "form.logout button[type=\"submit\"]")
        .await?
        .click()
        .await
        .context("click Log out")?;
    wait_for(client, "a.login-link")
        .await
        .map_err(|e| format!("the header still shows a user after logging out: {e}"))?;
    ensure!(
        client
            .find_all(Locator::Css(".user-email"))
            .await
            .context("header e-mail")?
            .is_empty(),
        "the header shows a user after logging out"
    );
    Ok(())
}

// ------------------------------------------------------------------ helpers

type Outcome = Result<(), String>;

macro_rules! ensure {
    ($condition:expr, $($message:tt)+) => {
        if !$condition {
            return Err(format!($($message)+));
        }
    };
}
use ensure;

trait Context<T> {
    fn context(self, what: &str) -> Result<T, String>;
}

impl<T, E: Display> Context<T> for Result<T, E> {
    fn context(self, what: &str) -> Result<T, String> {
        self.map_err(|error| format!("{what}: {error}"))
    }
}

fn panel_selector(level: u32) -> String {
    format!("section.level-panel[data-level=\"{level}\"]")
}

async fn find(client: &Client, css: &str) -> Result<Element, String> {
    client
        .find(Locator::Css(css))
        .await
        .map_err(|error| format!("`{css}` not found: {error}"))
}

/// An explicit wait for an element to appear (new page, or a change by script).
async fn wait_for(client: &Client, css: &str) -> Result<Element, String> {
    match client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
    {
        Ok(element) => Ok(element),
        Err(error) => {
            let url = client
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            Err(format!("waiting for `{css}` on {url}: {error}"))
        }
    }
}

/// An explicit wait for a condition the page should reach.
async fn eventually<F, Fut>(what: &str, mut check: F) -> Outcome
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<bool, String>>,
{
    let deadline = Instant::now() + WAIT;
    loop {
        if check().await? {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("timed out waiting for {what}"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn texts(client: &Client, css: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for element in client
        .find_all(Locator::Css(css))
        .await
        .context(&format!("find `{css}`"))?
    {
        out.push(element.text().await.context(&format!("text of `{css}`"))?);
    }
    Ok(out)
}

fn query_value(url: &str, key: &str) -> Option<String> {
    let query = url
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(""))
        .unwrap_or("");
    ladder_server::access::url_decode_pairs(query.as_bytes())
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
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

/// Saves a screenshot and the page source; says where (or why not).
async fn save_failure(client: &Client, flow: &str, backend: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-failures");
    if let Err(error) = std::fs::create_dir_all(&dir) {
        return format!("could not create {}: {error}", dir.display());
    }
    let png = dir.join(format!("{flow}-{backend}.png"));
    let html = dir.join(format!("{flow}-{backend}.html"));
    let mut notes = Vec::new();
    match client.screenshot().await {
        Ok(bytes) => match std::fs::write(&png, bytes) {
            Ok(()) => notes.push(format!("screenshot: {}", png.display())),
            Err(error) => notes.push(format!("screenshot not written: {error}")),
        },
        Err(error) => notes.push(format!("screenshot unavailable: {error}")),
    }
    match client.source().await {
        Ok(source) => match std::fs::write(&html, source) {
            Ok(()) => notes.push(format!("page source: {}", html.display())),
            Err(error) => notes.push(format!("page source not written: {error}")),
        },
        Err(error) => notes.push(format!("page source unavailable: {error}")),
    }
    if let Ok(url) = client.current_url().await {
        notes.push(format!("page: {url}"));
    }
    notes.join("\n")
}

// ------------------------------------------------------------------ browser

fn browser_available() -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|path| !std::path::Path::new(path).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!(
            "browser tests must run in CI, but {} missing (install chromium and chromium-driver)",
            missing.join(" and ")
        );
    }
    eprintln!("skipped: browser tests (install chromium and chromium-driver)");
    false
}

/// A chromedriver process on a free loopback port, killed when dropped.
struct Driver {
    process: Child,
    url: String,
}

impl Driver {
    /// `None` (with a notice) when the browser is not installed outside CI.
    async fn start() -> Option<Driver> {
        if !browser_available() {
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .expect("a free port for chromedriver");
        let process = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {CHROMEDRIVER}: {error}"));
        let mut driver = Driver {
            process,
            url: format!("http://127.0.0.1:{port}"),
        };
        driver.wait_ready().await;
        Some(driver)
    }

    /// Polls `/status` (bounded) until chromedriver says it is ready.
    async fn wait_ready(&mut self) {
        ladder_server::llm::install_crypto_provider();
        let http = reqwest::Client::new();
        let status = format!("{}/status", self.url);
        for _ in 0..100 {
            if let Ok(Some(exit)) = self.process.try_wait() {
                panic!("chromedriver exited before it was ready: {exit}");
            }
            if let Ok(response) = http.get(&status).send().await {
                if let Ok(body) = response.json::<serde_json::Value>().await {
                    if body["value"]["ready"] == serde_json::Value::Bool(true) {
                        return;
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver at {} was not ready within 10 s", self.url);
    }

    /// A browser session with a fresh profile.
    async fn session(&self) -> Result<Session, String> {
        let profile =
            std::env::temp_dir().join(format!("ladder-browser-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&profile).context("profile directory")?;
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    format!("--user-data-dir={}", profile.display()),
                    "--window-size=1280,900",
                    // The stylesheet scrolls smoothly unless reduced motion is
                    // preferred; chromedriver clicks where an element will be
                    // before a smooth scroll gets it there ("click intercepted").
                    "--force-prefers-reduced-motion",
                ]
            }
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object literal");
        };
        let connected =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(capabilities)
                .connect(&self.url)
                .await;
        match connected {
            Ok(client) => Ok(Session { client, profile }),
            Err(error) => {
                let _ = std::fs::remove_dir_all(&profile);
                Err(error.to_string())
            }
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

struct Session {
    client: Client,
    profile: PathBuf,
}

impl Session {
    /// Ends the browser (before its profile directory is removed).
    async fn close(self) {
        let _ = self.client.close().await;
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
