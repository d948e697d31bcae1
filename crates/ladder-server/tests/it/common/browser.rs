//! Headless Chromium over WebDriver for the browser tests: a chromedriver per
//! test, browser sessions with fresh profiles, explicit waits, the login
//! steps, and a screenshot plus page source when a flow fails.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver` (Debian packages
//! `chromium` and `chromium-driver`). The browser tests are ignored by
//! default (`cargo test -- --include-ignored` runs them); once asked for, a
//! missing browser is a failure, never a skip.

use std::fmt::Display;
use std::future::Future;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

use ladder_store::testing::TestDatabase;

use super::TestApp;

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The longest any single page behaviour may take to show up.
pub const WAIT: Duration = Duration::from_secs(10);

// ------------------------------------------------------------------ outcomes

/// What a step or flow returns: `Err` says what the page did wrong.
pub type Outcome = Result<(), String>;

/// Returns `Err(format!(…))` from the enclosing function unless `$condition`.
macro_rules! ensure {
    ($condition:expr, $($message:tt)+) => {
        if !$condition {
            return Err(format!($($message)+));
        }
    };
}
// Test binaries that include `common` without the browser do not use it.
#[allow(unused_imports)]
pub(crate) use ensure;

pub trait Context<T> {
    fn context(self, what: &str) -> Result<T, String>;
}

impl<T, E: Display> Context<T> for Result<T, E> {
    fn context(self, what: &str) -> Result<T, String> {
        self.map_err(|error| format!("{what}: {error}"))
    }
}

/// A flow that failed: its name (for the screenshot file) and why.
pub struct Failure {
    pub flow: &'static str,
    pub message: String,
}

/// `.map_err(at("flow-name"))` names the flow an error came from.
pub fn at(flow: &'static str) -> impl FnOnce(String) -> Failure {
    move |message| Failure { flow, message }
}

// ------------------------------------------------------------------ page helpers

pub async fn find(client: &Client, css: &str) -> Result<Element, String> {
    client
        .find(Locator::Css(css))
        .await
        .map_err(|error| format!("`{css}` not found: {error}"))
}

/// An explicit wait for an element to appear (new page, or a change by script).
pub async fn wait_for(client: &Client, css: &str) -> Result<Element, String> {
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
pub async fn eventually<F, Fut>(what: &str, mut check: F) -> Outcome
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

/// The rendered text of every element matching `css`, in document order.
pub async fn texts(client: &Client, css: &str) -> Result<Vec<String>, String> {
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

/// The decoded value of `key` in a URL's query string.
pub fn query_value(url: &str, key: &str) -> Option<String> {
    let query = url
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(""))
        .unwrap_or("");
    reqwest::Url::parse(&format!("http://query.invalid/?{query}"))
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// Marks the current document; [`same_page`] is true until a page loads.
pub async fn mark_page(client: &Client) -> Outcome {
    client
        .execute("window.__ladderSamePage = true;", vec![])
        .await
        .context("set page marker")
        .map(|_| ())
}

/// Whether the document marked by [`mark_page`] is still the one shown.
pub async fn same_page(client: &Client) -> Result<bool, String> {
    let marker = client
        .execute("return window.__ladderSamePage === true;", vec![])
        .await
        .context("read page marker")?;
    Ok(marker == serde_json::Value::Bool(true))
}

/// Scrolls `element` to the middle of the window and clicks it. WebDriver
/// only scrolls elements it finds outside the window, so one just under the
/// sticky header would otherwise lose the click to the header.
pub async fn click(client: &Client, element: &Element, what: &str) -> Outcome {
    let element_arg = serde_json::to_value(element).context("element reference")?;
    client
        .execute(
            "arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});",
            vec![element_arg],
        )
        .await
        .context(&format!("scroll to {what}"))?;
    element.click().await.context(what)
}

/// Clicks `element` (a link or submit button) and waits for the next page to
/// load and show `css`; elements of the page clicked on never count.
pub async fn click_to_load(
    client: &Client,
    element: &Element,
    what: &str,
    css: &str,
) -> Result<Element, String> {
    mark_page(client).await?;
    click(client, element, what).await?;
    eventually(&format!("a new page after “{what}”"), || async {
        Ok(!same_page(client).await?)
    })
    .await?;
    wait_for(client, css)
        .await
        .map_err(|e| format!("after “{what}”: {e}"))
}

/// Replaces the value of a text field by typing, as a user would.
pub async fn retype(element: &Element, text: &str) -> Outcome {
    element.clear().await.context("clear the field")?;
    element
        .send_keys(text)
        .await
        .context(&format!("type “{text}”"))
}

// ------------------------------------------------------------------ content security policy

/// What app.js recorded in this tab's sessionStorage: how many pages it ran
/// on, and each thing the content security policy blocked (page title and
/// directive).
pub async fn csp_log(client: &Client) -> Result<(u64, Vec<String>), String> {
    let value = client
        .execute(
            "return [window.sessionStorage.getItem('ladder.pages'), window.sessionStorage.getItem('ladder.csp')];",
            vec![],
        )
        .await
        .context("read the policy log")?;
    let pages = value[0]
        .as_str()
        .and_then(|text| text.parse::<u64>().ok())
        .unwrap_or(0);
    let blocked: Vec<serde_json::Value> = value[1]
        .as_str()
        .map(serde_json::from_str)
        .transpose()
        .context("the policy log is JSON")?
        .unwrap_or_default();
    Ok((
        pages,
        blocked
            .iter()
            .map(|entry| format!("{}: {}", entry["page"], entry["blocked"]))
            .collect(),
    ))
}

/// Every page this tab showed ran app.js (at least `pages` of them) and the
/// content security policy blocked nothing on any of them. Then, as proof
/// that the watch works, an inline style set on the current page is blocked
/// and counted.
pub async fn no_policy_violations(client: &Client, pages: u64) -> Outcome {
    let (seen, blocked) = csp_log(client).await?;
    eprintln!(
        "content security policy: {seen} pages, {} blocked",
        blocked.len()
    );
    ensure!(
        blocked.is_empty(),
        "the content security policy blocked {} thing(s): {}",
        blocked.len(),
        blocked.join("; ")
    );
    ensure!(
        seen >= pages,
        "app.js ran on {seen} pages, fewer than the {pages} the flows show: was it blocked?"
    );
    let shown = client
        .execute(
            "return document.documentElement.getAttribute('data-csp-violations');",
            vec![],
        )
        .await
        .context("read the page's count")?;
    ensure!(
        shown == serde_json::json!("0"),
        "the page counts {shown} violations"
    );
    client
        .execute(
            "document.body.setAttribute('style', 'outline: 1px solid red'); return true;",
            vec![],
        )
        .await
        .context("set an inline style")?;
    eventually("the inline style to be blocked and counted", || async {
        let shown = client
            .execute(
                "return document.documentElement.getAttribute('data-csp-violations');",
                vec![],
            )
            .await
            .context("read the page's count")?;
        Ok(shown == serde_json::json!("1"))
    })
    .await?;
    let (_, blocked) = csp_log(client).await?;
    ensure!(
        blocked.len() == 1 && blocked[0].contains("style-src-attr"),
        "the log holds {blocked:?}, not the one inline style"
    );
    Ok(())
}

// ------------------------------------------------------------------ login steps

/// Logs in through the real login form and checks the header names the user.
pub async fn log_in(client: &Client, app: &TestApp, email: &str, password: &str) -> Outcome {
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
pub async fn fill_login(client: &Client, email: &str, password: &str) -> Outcome {
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

/// Clicks Log out in the header and checks nobody is shown as logged in.
pub async fn log_out(client: &Client) -> Outcome {
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

// ------------------------------------------------------------------ failures

/// Saves a screenshot and the page source to
/// `target/browser-failures/<flow>-<backend>.{png,html}`; says where (or why
/// not).
pub async fn save_failure(client: &Client, flow: &str, backend: &str) -> String {
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

/// Panics, saying what to install, unless Chromium and chromedriver are
/// installed: the browser tests are `#[ignore]`d by default, so they only run
/// when someone asked for them, and then a missing browser is a failure.
pub fn require_browser() {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|path| !std::path::Path::new(path).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "this browser test was asked to run but {} missing: install the Debian packages chromium and chromium-driver",
        missing.join(" and ")
    );
}

/// Runs a browser test against a fresh SQLite database.
pub async fn on_sqlite(run: impl AsyncFnOnce(&Driver, TestDatabase)) {
    let driver = Driver::start().await;
    run(&driver, TestDatabase::sqlite()).await;
}

/// The same against a fresh PostgreSQL database.
pub async fn on_postgres(run: impl AsyncFnOnce(&Driver, TestDatabase)) {
    let driver = Driver::start().await;
    run(&driver, TestDatabase::postgres().await).await;
}

/// A chromedriver process on a free loopback port, killed when dropped.
pub struct Driver {
    process: Child,
    url: String,
}

impl Driver {
    /// Starts chromedriver; panics when the browser is not installed.
    pub async fn start() -> Driver {
        require_browser();
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
        driver
    }

    /// Polls `/status` (bounded) until chromedriver says it is ready.
    async fn wait_ready(&mut self) {
        ladder_server::clients::install_crypto_provider();
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
    pub async fn session(&self) -> Result<Session, String> {
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
                    // A fake microphone, granted without a prompt, so the
                    // candidate page's MediaRecorder records headless.
                    "--use-fake-device-for-media-stream",
                    "--use-fake-ui-for-media-stream",
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

/// One browser (one profile) driven through `client`.
pub struct Session {
    pub client: Client,
    profile: PathBuf,
}

impl Session {
    /// Ends the browser (before its profile directory is removed).
    pub async fn close(self) {
        let _ = self.client.close().await;
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
