//! Issue #13 in a real browser (headless Chromium over WebDriver), at a
//! desktop width and at 390 px: text typed into one question survives
//! sending another (no reload) and a reload; and on the interview page a
//! hiring manager sees the candidate link's expiry, extends it, replaces it
//! (the whole new link shown once, with a copy button) — after which the old
//! link is refused and the new one opens the interview with the typed text
//! still there.
//!
//! When a flow fails, a screenshot and the page source are written to
//! `target/browser-failures/<flow>-<backend>.{png,html}`.

use std::time::Instant;

use crate::common::browser::{
    at, click, click_to_load, ensure, eventually, find, log_in, mark_page, no_policy_violations,
    retype, same_page, save_failure, texts, wait_for, Context, Driver, Failure, Outcome,
};
use crate::common::{client as http_client, payments_spec, staff, Api, TestApp};
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use ladder_core::access::Role;
use ladder_store::testing::TestDatabase;
use serde_json::json;

const HM_EMAIL: &str = "hana.hiring@example.com";
const HM_PASSWORD: &str = "hiring-password-1";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromedriver (Debian packages chromium, chromium-driver)"]
async fn candidate_links_in_browser_on_sqlite() {
    crate::common::browser::on_sqlite(run).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium, chromedriver and LADDER_TEST_POSTGRES_URL"]
async fn candidate_links_in_browser_on_postgres() {
    crate::common::browser::on_postgres(run).await;
}

/// A window size the flows run at.
#[derive(Clone, Copy)]
struct Width {
    name: &'static str,
    width: u32,
    height: u32,
}

const DESKTOP: Width = Width {
    name: "desktop",
    width: 1280,
    height: 900,
};
const PHONE: Width = Width {
    name: "390px",
    width: 390,
    height: 844,
};

/// An interview to work on: its id and the candidate's whole link.
struct Invited {
    interview: String,
    link: String,
}

async fn invite(hm: &Api<'_>, spec: &str, email: &str) -> Result<Invited, String> {
    let (status, invited) = hm
        .post(
            &format!("/api/v1/job-specs/{spec}/interviews"),
            json!({"candidate_name": "Ada Lovelace", "candidate_email": email}),
        )
        .await;
    ensure!(
        status == reqwest::StatusCode::CREATED,
        "inviting {email} answered {status}: {invited}"
    );
    Ok(Invited {
        interview: invited["interview"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        link: invited["candidate_link"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    })
}

async fn run(driver: &Driver, database: TestDatabase) {
    let started = Instant::now();
    let app = TestApp::spawn(database).await;
    let backend = app.label;
    app.user(HM_EMAIL, Role::HiringManager, HM_PASSWORD).await;
    let (_, token) = staff(&app, "hm-api@example.com", Role::HiringManager).await;
    let hm = Api {
        app: &app,
        token,
        http: http_client(),
    };
    let (status, spec) = hm.post("/api/v1/job-specs", payments_spec()).await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{spec}");
    let spec = spec["id"].as_str().expect("id").to_string();
    let (status, body) = hm
        .post(&format!("/api/v1/job-specs/{spec}/publish"), json!({}))
        .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");

    let session = match driver.session().await {
        Ok(session) => session,
        Err(message) => {
            app.stop().await;
            panic!("{backend}: cannot start a browser session: {message}");
        }
    };
    let client = &session.client;
    let outcome: Result<(), Failure> = async {
        log_in(client, &app, HM_EMAIL, HM_PASSWORD)
            .await
            .map_err(at("candidate-links-log-in"))?;
        for (width, flow_drafts, flow_link) in [
            (
                DESKTOP,
                "candidate-drafts-desktop",
                "candidate-link-desktop",
            ),
            (PHONE, "candidate-drafts-390px", "candidate-link-390px"),
        ] {
            client
                .set_window_size(width.width, width.height)
                .await
                .context("set the window size")
                .map_err(at(flow_drafts))?;
            let invited = invite(&hm, &spec, &format!("ada.{}@example.com", width.name))
                .await
                .map_err(at(flow_drafts))?;
            let kept = drafts_flow(client, &invited, width)
                .await
                .map_err(at(flow_drafts))?;
            link_flow(client, &app, &invited, width, &kept)
                .await
                .map_err(at(flow_link))?;
        }
        client
            .set_window_size(DESKTOP.width, DESKTOP.height)
            .await
            .context("widen the window again")
            .map_err(at("candidate-links-end"))?;
        no_policy_violations(client, 8)
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
        "candidate links in the browser on {backend}: passed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// Whether the page is wider than the window (it scrolls sideways).
async fn scrolls_sideways(client: &Client) -> Result<bool, String> {
    let wider = client
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth + 1;",
            vec![],
        )
        .await
        .context("measure the page width")?;
    Ok(wider.as_bool().unwrap_or(true))
}

/// The current value of a text field (what the person sees in it).
async fn value_of(field: &Element) -> Result<String, String> {
    Ok(field
        .prop("value")
        .await
        .context("the field's value")?
        .unwrap_or_default())
}

async fn textarea(client: &Client, css: &str) -> Result<Element, String> {
    find(client, &format!("{css} .answer-form textarea")).await
}

/// Types into question 2 until its draft is saved, sends question 3 (the
/// page stays, question 3 turns answered, question 2 keeps its text), sends
/// the first prompt (the second appears, still no reload), reloads: the text
/// is back. Returns the text kept in question 2.
async fn drafts_flow(client: &Client, invited: &Invited, width: Width) -> Result<String, String> {
    client
        .goto(&invited.link)
        .await
        .context("open the candidate link")?;
    wait_for(client, "li#q-3 .answer-form[data-round=\"1\"] textarea").await?;
    ensure!(
        !scrolls_sideways(client).await?,
        "the candidate page scrolls sideways at {} px",
        width.width
    );
    let kept = format!("Question 2, typed at {} and not sent yet.", width.name);
    retype(&textarea(client, "li#q-2").await?, &kept).await?;
    eventually("question 2's draft to be saved", || async {
        let status = find(client, "li#q-2 .draft-status").await?;
        Ok(status.text().await.context("draft status")? == "Draft saved.")
    })
    .await?;

    // Send question 3 with the script: no new page, question 3 answered,
    // question 2's text where it was.
    let answer3 = format!("Question 3, sent at {}.", width.name);
    retype(&textarea(client, "li#q-3").await?, &answer3).await?;
    mark_page(client).await?;
    let send = find(client, "li#q-3 .answer-form button[name=\"send\"]").await?;
    click(client, &send, "send question 3").await?;
    let given = wait_for(client, "li#q-3.answered .given-answer").await?;
    let given = given.text().await.context("question 3's answer")?;
    ensure!(
        given.ends_with(&answer3),
        "question 3 shows “{given}” after sending “{answer3}”"
    );
    ensure!(
        same_page(client).await?,
        "sending question 3 loaded a new page"
    );
    let still = value_of(&textarea(client, "li#q-2").await?).await?;
    ensure!(
        still == kept,
        "after sending question 3, question 2 holds “{still}”, not “{kept}”"
    );
    let errors = texts(client, "p.error").await?;
    ensure!(errors.is_empty(), "sending question 3 shows {errors:?}");

    // The first prompt: the next one appears in its place, still no reload.
    let prompt = find(
        client,
        "section#round2 .current-prompt .answer-form textarea",
    )
    .await?;
    retype(&prompt, "The first prompt's answer.").await?;
    let send = find(
        client,
        "section#round2 .current-prompt .answer-form button[name=\"send\"]",
    )
    .await?;
    click(client, &send, "send the first prompt").await?;
    eventually("the second prompt", || async {
        // Round 02 is put in place while this looks: a line found just
        // before it was replaced is no longer there to read.
        let progress = find(client, "section#round2 p.progress").await?;
        Ok(progress
            .text()
            .await
            .is_ok_and(|text| text.starts_with("Prompt 2 of")))
    })
    .await?;
    ensure!(
        same_page(client).await?,
        "sending the first prompt loaded a new page"
    );
    let answered = texts(client, "section#round2 li.prompt.answered .given-answer").await?;
    ensure!(
        answered.len() == 1 && answered[0].ends_with("The first prompt's answer."),
        "Round 02 shows {answered:?} answered"
    );
    let still = value_of(&textarea(client, "li#q-2").await?).await?;
    ensure!(
        still == kept,
        "after sending a prompt, question 2 holds “{still}”"
    );

    // A reload: the draft is back in its textarea, from the server.
    client.refresh().await.context("reload the page")?;
    wait_for(client, "li#q-2 .answer-form textarea").await?;
    let reloaded = value_of(&textarea(client, "li#q-2").await?).await?;
    ensure!(
        reloaded == kept,
        "after a reload question 2 holds “{reloaded}”, not “{kept}”"
    );
    ensure!(
        client
            .find_all(Locator::Css("li#q-3.answered"))
            .await
            .context("question 3")?
            .len()
            == 1,
        "question 3 is not answered after the reload"
    );
    Ok(kept)
}

/// Clicks `element`, accepts the confirmation it asks for, and waits for
/// the next page to show `css`.
async fn confirm_to_load(
    client: &Client,
    element: &Element,
    what: &str,
    css: &str,
) -> Result<Element, String> {
    mark_page(client).await?;
    click(client, element, what).await?;
    eventually(&format!("a new page after “{what}”"), || async {
        if client.get_alert_text().await.is_ok() {
            client
                .accept_alert()
                .await
                .context("accept the confirmation")?;
            return Ok(false);
        }
        Ok(!same_page(client).await.unwrap_or(true))
    })
    .await?;
    wait_for(client, css).await
}

/// The interview page shows when the link expires; extend it by 7 days and
/// replace it from the page; the new link is shown whole with a copy
/// button, the old one is refused, the new one opens the interview with
/// `kept` still in question 2.
async fn link_flow(
    client: &Client,
    app: &TestApp,
    invited: &Invited,
    width: Width,
    kept: &str,
) -> Outcome {
    client
        .goto(&app.url(&format!("/interviews/{}", invited.interview)))
        .await
        .context("open the interview")?;
    let expiry = wait_for(client, "section.candidate-link-panel p.link-expiry")
        .await?
        .text()
        .await
        .context("the expiry")?;
    ensure!(
        expiry.starts_with("The link works until ") && expiry.contains("UTC (in 14 days)"),
        "the interview page says “{expiry}”"
    );
    ensure!(
        !scrolls_sideways(client).await?,
        "the interview page scrolls sideways at {} px",
        width.width
    );

    // Extend by 7 days.
    retype(&find(client, "#extend-days").await?, "7").await?;
    let extend = find(client, "form.link-extend button.extend").await?;
    let notice = click_to_load(
        client,
        &extend,
        "extend the link",
        "section.candidate-link-panel p.form-notice",
    )
    .await?
    .text()
    .await
    .context("notice")?;
    ensure!(
        notice.starts_with("The link now works until ") && notice.contains("(in 21 days)"),
        "extending says “{notice}”"
    );
    let expiry = find(client, "section.candidate-link-panel p.link-expiry")
        .await?
        .text()
        .await
        .context("the expiry")?;
    ensure!(
        expiry.contains("(in 21 days)"),
        "after extending the page says “{expiry}”"
    );

    // Replace: the whole new link, once, ready to copy.
    let replace = find(client, "form.link-replace button.replace").await?;
    let field =
        confirm_to_load(client, &replace, "replace the link", "#new-candidate-link").await?;
    let link = value_of(&field).await?;
    let prefix = format!("{}/candidate/", app.base);
    ensure!(
        link.starts_with(&prefix) && link.len() == prefix.len() + 43 && link != invited.link,
        "the new link reads “{link}”"
    );
    ensure!(
        field
            .prop("readOnly")
            .await
            .context("read-only")?
            .as_deref()
            == Some("true"),
        "the link field can be edited"
    );
    let copy = find(client, "button.copy[data-copy=\"new-candidate-link\"]").await?;
    ensure!(
        copy.is_displayed().await.context("copy button shown")?,
        "the copy button is hidden with the script on"
    );
    ensure!(
        !scrolls_sideways(client).await?,
        "the new link makes the page scroll sideways at {} px",
        width.width
    );
    click(client, &copy, "copy the link").await?;
    eventually("the copy button to say it copied", || async {
        let status = find(client, "section.candidate-link-panel .copy-status").await?;
        Ok(status.text().await.context("copy status")? == "Copied.")
    })
    .await?;
    let expiry = find(client, "section.candidate-link-panel p.link-expiry")
        .await?
        .text()
        .await
        .context("the expiry")?;
    ensure!(
        expiry.contains("(in 21 days)"),
        "replacing a running link changed its expiry: “{expiry}”"
    );

    // The old link is refused at once; the new one opens the interview,
    // with what the candidate typed.
    client
        .goto(&invited.link)
        .await
        .context("open the old link")?;
    let heading = wait_for(client, "main h1")
        .await?
        .text()
        .await
        .context("heading")?;
    ensure!(
        heading == "Link not valid",
        "the old link shows “{heading}”"
    );
    client.goto(&link).await.context("open the new link")?;
    wait_for(client, "li#q-2 .answer-form textarea").await?;
    let typed = value_of(&textarea(client, "li#q-2").await?).await?;
    ensure!(
        typed == kept,
        "the new link shows question 2 holding “{typed}”, not “{kept}”"
    );
    Ok(())
}
