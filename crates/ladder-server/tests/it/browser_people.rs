//! Progression in a real browser: headless Chromium over WebDriver, through
//! the real login form, forms and JavaScript.
//!
//! One flow per database backend: a manager places a person (a refused form
//! first), the person self-assesses level by level (level 1 saved by the
//! script as each rating changes, then checked after a reload; levels 2 and 3
//! with each level's Save button) and submits, the manager assesses with some
//! ratings that differ and submits, and the progress page shows the level,
//! sub-level, missing behaviours, disagreements and a skill wheel with both
//! polygons. Expected values come from `ladder_core::progression::compute`
//! applied to the ratings clicked, not from guesses.
//!
//! When the flow fails, a screenshot and the page source are written to
//! `target/browser-failures/progression-<backend>.{png,html}`.

use std::collections::HashMap;
use std::time::Instant;

use crate::common::browser::{
    at, click, click_to_load, ensure, eventually, find, log_in, log_out, no_policy_violations,
    retype, save_failure, texts, wait_for, Context, Driver, Failure, Outcome,
};
use crate::common::ids_at;
use crate::common::TestApp;
use fantoccini::{Client, Locator};
use ladder_core::access::Role;
use ladder_core::progression::{compute, Progress, Rating, DEFAULT_THRESHOLD};
use ladder_core::Framework;
use ladder_store::testing::TestDatabase;

const BACKEND: &str = "engineering-backend";
const MANAGER_EMAIL: &str = "mia.manager@example.com";
const MANAGER_PASSWORD: &str = "manager-password-1";
const PERSON_EMAIL: &str = "pat.person@example.com";
const PERSON_PASSWORD: &str = "person-password-1";
/// The level the person and manager agree to aim for.
const TARGET: u32 = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromedriver (Debian packages chromium, chromium-driver)"]
async fn progression_in_browser_on_sqlite() {
    crate::common::browser::on_sqlite(run).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium, chromedriver and LADDER_TEST_POSTGRES_URL"]
async fn progression_in_browser_on_postgres() {
    crate::common::browser::on_postgres(run).await;
}

fn backend() -> Result<Framework, String> {
    ladder_formats::bundled::FRAMEWORKS
        .iter()
        .filter_map(|bundled| {
            ladder_formats::parse(bundled.file_name, bundled.text.as_bytes()).framework
        })
        .find(|f| f.slug == BACKEND)
        .ok_or_else(|| format!("no bundled framework {BACKEND}"))
}

fn text_of(framework: &Framework, id: &str) -> String {
    framework
        .criteria()
        .find(|(_, _, c)| c.id == id)
        .map(|(_, _, c)| c.text.clone())
        .unwrap_or_default()
}

/// What each side rates: the person shows levels 1 and 2 consistently and
/// the first ten behaviours of level 3; the manager agrees on levels 1 and 2
/// and on the first six of level 3, but sees the next four only sometimes.
struct Plan {
    framework: Framework,
    own: HashMap<String, Rating>,
    theirs: HashMap<String, Rating>,
    /// Level 3's behaviours the two rated differently.
    differing: Vec<String>,
}

impl Plan {
    fn new() -> Result<Plan, String> {
        let framework = backend()?;
        let level3 = ids_at(&framework, 3);
        ensure!(
            level3.len() > 10,
            "{BACKEND} has {} behaviours at level 3; the flow rates ten",
            level3.len()
        );
        let mut own = HashMap::new();
        let mut theirs = HashMap::new();
        for level in [1, 2] {
            for id in ids_at(&framework, level) {
                own.insert(id.clone(), Rating::Consistently);
                theirs.insert(id, Rating::Consistently);
            }
        }
        for (index, id) in level3.iter().take(10).enumerate() {
            own.insert(id.clone(), Rating::Consistently);
            let manager = if index < 6 {
                Rating::Consistently
            } else {
                Rating::Sometimes
            };
            theirs.insert(id.clone(), manager);
        }
        Ok(Plan {
            differing: level3[6..10].to_vec(),
            framework,
            own,
            theirs,
        })
    }

    fn progress(&self, ratings: &HashMap<String, Rating>) -> Progress {
        compute(&self.framework, ratings, DEFAULT_THRESHOLD, Some(TARGET))
    }
}

async fn run(driver: &Driver, database: TestDatabase) {
    let started = Instant::now();
    let app = TestApp::spawn(database).await;
    let backend = app.label;
    app.user(MANAGER_EMAIL, Role::Manager, MANAGER_PASSWORD)
        .await;
    let person = app.user(PERSON_EMAIL, Role::Member, PERSON_PASSWORD).await;
    let plan = match Plan::new() {
        Ok(plan) => plan,
        Err(message) => {
            app.stop().await;
            panic!("{backend}: {message}");
        }
    };
    let session = match driver.session().await {
        Ok(session) => session,
        Err(message) => {
            app.stop().await;
            panic!("{backend}: cannot start a browser session: {message}");
        }
    };
    let client = &session.client;
    let outcome: Result<(), Failure> = async {
        place_flow(client, &app, &person.id)
            .await
            .map_err(at("progression-place"))?;
        self_assessment_flow(client, &app, &plan)
            .await
            .map_err(at("progression-self"))?;
        manager_assessment_flow(client, &app, &plan, &person.id)
            .await
            .map_err(at("progression-manager"))?;
        progress_flow(client, &app, &plan, &person.id)
            .await
            .map_err(at("progression-view"))?;
        // Every page above, the assessment editor's saves included.
        no_policy_violations(client, 10)
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
        "progression in the browser on {backend}: passed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

// ------------------------------------------------------------------ steps

/// Opens the People page from the header link.
async fn open_people(client: &Client) -> Outcome {
    let link = find(client, "a.people-link").await?;
    click_to_load(client, &link, "the People link", "h1").await?;
    let heading = find(client, "h1").await?.text().await.context("heading")?;
    ensure!(heading == "People", "the People link opened “{heading}”");
    Ok(())
}

/// Fills the placement form on the People page.
async fn fill_place_form(client: &Client, person_id: &str, level: &str, target: &str) -> Outcome {
    find(client, "#place-person")
        .await?
        .select_by_value(person_id)
        .await
        .context("choose the person")?;
    find(client, "#place-framework")
        .await?
        .select_by_value(BACKEND)
        .await
        .context("choose the framework")?;
    retype(&find(client, "#place-level").await?, level).await?;
    find(client, "#place-sublevel")
        .await?
        .select_by_value("B")
        .await
        .context("choose sub-level B")?;
    retype(&find(client, "#place-target").await?, target).await?;
    Ok(())
}

/// a. The manager places the person: a target below the level is refused
/// at its field, then the placement lands on the person's page.
async fn place_flow(client: &Client, app: &TestApp, person_id: &str) -> Outcome {
    log_in(client, app, MANAGER_EMAIL, MANAGER_PASSWORD).await?;
    open_people(client).await?;
    fill_place_form(client, person_id, "2", "1").await?;
    let submit = find(client, "form.place-form button[type=\"submit\"]").await?;
    let error = click_to_load(
        client,
        &submit,
        "Place (target below level)",
        "#place-target-error",
    )
    .await?
    .text()
    .await
    .context("error text")?;
    ensure!(
        error.contains("below the current level"),
        "the refused placement says “{error}”"
    );

    fill_place_form(client, person_id, "1", &TARGET.to_string()).await?;
    retype(
        &find(client, "#place-note").await?,
        "Agreed: aim for level 3 this year",
    )
    .await?;
    let submit = find(client, "form.place-form button[type=\"submit\"]").await?;
    click_to_load(client, &submit, "Place", ".flash").await?;
    let email = find(client, "h1.person-email")
        .await?
        .text()
        .await
        .context("h1")?;
    ensure!(
        email == PERSON_EMAIL,
        "placing led to the page of “{email}”"
    );
    let placed = find(client, "[data-placed]")
        .await?
        .text()
        .await
        .context("placed")?;
    ensure!(placed == "Level 1B", "the placement reads “{placed}”");
    let target = find(client, "[data-target]")
        .await?
        .text()
        .await
        .context("target")?;
    ensure!(target == "Level 3", "the target reads “{target}”");
    ensure!(
        client
            .find_all(Locator::Css("button.start-self"))
            .await
            .context("buttons")?
            .is_empty(),
        "the manager is offered a self-assessment"
    );
    find(client, "button.start-manager").await?;
    log_out(client).await
}

/// Clicks the radio for `rating` on each behaviour.
async fn rate_all(client: &Client, ratings: &[(String, Rating)]) -> Outcome {
    for (id, rating) in ratings {
        let css = format!(
            "input[type=\"radio\"][name=\"rating.{id}\"][value=\"{}\"]",
            rating.as_str()
        );
        let radio = find(client, &css).await?;
        click(client, &radio, &format!("rate {id} {}", rating.as_str())).await?;
        ensure!(
            radio.is_selected().await.context("radio state")?,
            "clicking {} on {id} did not select it",
            rating.as_str()
        );
    }
    Ok(())
}

/// Opens a level's tab (the script switches panels in place).
async fn open_level(client: &Client, level: u32) -> Outcome {
    let tab = find(client, &format!("a.level-tab[data-level=\"{level}\"]")).await?;
    click(client, &tab, &format!("the level {level} tab")).await?;
    wait_for(
        client,
        &format!("section.level-panel[data-level=\"{level}\"]:not([hidden])"),
    )
    .await
    .map(|_| ())
}

/// Rates a level and saves it with the level's own button.
async fn rate_and_save(client: &Client, level: u32, ratings: &[(String, Rating)]) -> Outcome {
    open_level(client, level).await?;
    rate_all(client, ratings).await?;
    let save = find(
        client,
        &format!("section.level-panel[data-level=\"{level}\"] button.save-level"),
    )
    .await?;
    click_to_load(client, &save, &format!("Save level {level}"), ".flash").await?;
    for (id, rating) in ratings {
        let css = format!("input[name=\"rating.{id}\"][value=\"{}\"]", rating.as_str());
        ensure!(
            find(client, &css)
                .await?
                .is_selected()
                .await
                .context("radio state")?,
            "after saving level {level}, {id} is not {}",
            rating.as_str()
        );
    }
    Ok(())
}

fn at_level(plan: &Plan, ratings: &HashMap<String, Rating>, level: u32) -> Vec<(String, Rating)> {
    ids_at(&plan.framework, level)
        .into_iter()
        .filter_map(|id| ratings.get(&id).map(|r| (id, *r)))
        .collect()
}

async fn submit(client: &Client) -> Outcome {
    let button = find(client, "form.submit-assessment button.submit-button").await?;
    let flash = click_to_load(client, &button, "Submit", ".flash")
        .await?
        .text()
        .await
        .context("flash")?;
    ensure!(
        flash.contains("Submitted"),
        "after submitting the notice reads “{flash}”"
    );
    Ok(())
}

/// b. The person self-assesses: level 1 saved by the script as each rating
/// changes, levels 2 and 3 with the Save buttons, a note and a link, submit.
async fn self_assessment_flow(client: &Client, app: &TestApp, plan: &Plan) -> Outcome {
    log_in(client, app, PERSON_EMAIL, PERSON_PASSWORD).await?;
    open_people(client).await?;
    let own = find(client, "table.people tbody tr.current th a").await?;
    click_to_load(client, &own, "my row", "button.start-self").await?;
    let start = find(client, "button.start-self").await?;
    click_to_load(
        client,
        &start,
        "Start self-assessment",
        ".assessment-page.editable",
    )
    .await?;
    let editor = client.current_url().await.context("editor URL")?;

    // Level 1: each change is saved by the script; a reload shows them all.
    let level1 = at_level(plan, &plan.own, 1);
    rate_all(client, &level1).await?;
    let expected = level1.len();
    eventually("every level 1 rating saved by the script", || async {
        let statuses = texts(client, "section.level-panel[data-level=\"1\"] .save-status").await?;
        Ok(statuses.iter().filter(|s| s.as_str() == "Saved").count() == expected)
    })
    .await?;
    client
        .goto(editor.as_str())
        .await
        .context("reload the editor")?;
    wait_for(client, ".assessment-page.editable").await?;
    for (id, _) in &level1 {
        ensure!(
            find(
                client,
                &format!("input[name=\"rating.{id}\"][value=\"consistently\"]")
            )
            .await?
            .is_selected()
            .await
            .context("radio state")?,
            "after a reload, {id} is not rated consistently: the script did not save it"
        );
    }

    // Level 2, with evidence on its first behaviour. Its examples sit beside
    // the behaviours, closed until asked for.
    let level2 = at_level(plan, &plan.own, 2);
    open_level(client, 2).await?;
    let details_css = "section.level-panel[data-level=\"2\"] .behaviour-examples details.examples";
    let details = find(client, details_css).await?;
    ensure!(
        details.attr("open").await.context("open")?.is_none(),
        "examples start closed"
    );
    let summary = find(client, &format!("{details_css} summary")).await?;
    click(client, &summary, "an Examples summary").await?;
    ensure!(
        details.attr("open").await.context("open")?.is_some(),
        "the examples did not open"
    );
    if let Some((first, _)) = level2.first() {
        let note = find(client, &format!("textarea[name=\"note.{first}\"]")).await?;
        click(client, &note, "the note field").await?;
        note.send_keys("Led the ledger migration")
            .await
            .context("type the note")?;
        find(client, &format!("textarea[name=\"links.{first}\"]"))
            .await?
            .send_keys("https://git.example.com/pr/42")
            .await
            .context("type the link")?;
    }
    rate_and_save(client, 2, &level2).await?;
    if let Some((first, _)) = level2.first() {
        let note = find(client, &format!("textarea[name=\"note.{first}\"]"))
            .await?
            .prop("value")
            .await
            .context("note value")?;
        ensure!(
            note.as_deref() == Some("Led the ledger migration"),
            "the saved note reads {note:?}"
        );
    }
    rate_and_save(client, 3, &at_level(plan, &plan.own, 3)).await?;
    let rated = find(client, ".assessment-standing .rated")
        .await?
        .text()
        .await
        .context("rated")?;
    ensure!(
        rated.starts_with(&format!("{} of ", plan.own.len())),
        "the editor counts “{rated}”, expected {} rated",
        plan.own.len()
    );
    submit(client).await?;
    let headline = find(client, ".standing-headline")
        .await?
        .text()
        .await
        .context("headline")?;
    let expected = plan.progress(&plan.own).headline(&plan.framework);
    ensure!(
        headline == expected,
        "after the self-assessment the standing reads “{headline}”, expected {expected}"
    );
    log_out(client).await
}

/// c. The manager assesses the person, seeing four of level 3 only sometimes.
async fn manager_assessment_flow(
    client: &Client,
    app: &TestApp,
    plan: &Plan,
    person_id: &str,
) -> Outcome {
    log_in(client, app, MANAGER_EMAIL, MANAGER_PASSWORD).await?;
    open_people(client).await?;
    let row = find(
        client,
        &format!("table.people tbody a[href=\"/people/{person_id}\"]"),
    )
    .await?;
    click_to_load(client, &row, "the person's row", "button.start-manager").await?;
    let start = find(client, "button.start-manager").await?;
    click_to_load(
        client,
        &start,
        "Start manager assessment",
        ".assessment-page.editable",
    )
    .await?;
    let heading = find(client, "h1").await?.text().await.context("h1")?;
    ensure!(
        heading.starts_with("Manager assessment"),
        "the editor is headed “{heading}”"
    );
    for level in [1, 2, 3] {
        rate_and_save(client, level, &at_level(plan, &plan.theirs, level)).await?;
    }
    submit(client).await
}

/// d. The progress page: level, sub-level, missing behaviours,
/// disagreements, and the wheel with both polygons.
async fn progress_flow(client: &Client, app: &TestApp, plan: &Plan, person_id: &str) -> Outcome {
    let url = client.current_url().await.context("current URL")?;
    ensure!(
        url.path() == format!("/people/{person_id}"),
        "after submitting, the browser is at {url}"
    );
    let expected = plan.progress(&plan.theirs);
    let letters = plan.framework.sublevels.clone().unwrap_or_default();
    // Levels 1 and 2 are met in every topic; level 3 is not: Level 2, with
    // the letter of the share of level 3 shown (consistently in full,
    // sometimes half).
    ensure!(
        expected.level_reached == Some(2),
        "the plan reaches {:?}",
        expected.level_reached
    );
    let level3 = ids_at(&plan.framework, 3).len();
    let halves = 6 * 2 + 4;
    let index = (halves * letters.len() / (level3 * 2)).min(letters.len().saturating_sub(1));
    let letter = letters.get(index).cloned().unwrap_or_default();
    ensure!(
        expected.sublevel.as_deref() == Some(letter.as_str()),
        "the rule gives {:?}, the plan expects {letter}",
        expected.sublevel
    );
    let headline = find(client, ".standing-headline")
        .await?
        .text()
        .await
        .context("headline")?;
    ensure!(
        headline == format!("Level 2{letter}"),
        "the standing reads “{headline}”, expected Level 2{letter}"
    );
    let source = find(client, ".standing-source")
        .await?
        .text()
        .await
        .context("source")?;
    ensure!(
        source.contains("manager assessment"),
        "the standing is “{source}”, not from the manager assessment"
    );

    // Missing for level 3: every behaviour of it not shown consistently.
    let missing = texts(client, "ul.missing-behaviours li .behaviour-text").await?;
    ensure!(
        missing.len() == expected.missing_for_target.len() && missing.len() == level3 - 6,
        "{} behaviours listed as missing, expected {}",
        missing.len(),
        level3 - 6
    );
    for id in &plan.differing {
        let text = text_of(&plan.framework, id);
        ensure!(
            missing.iter().any(|m| m == &text),
            "“{text}” (rated sometimes by the manager) is not listed as missing"
        );
    }
    let count = find(client, ".missing-count")
        .await?
        .text()
        .await
        .context("count")?;
    ensure!(
        count == format!("{} behaviours missing for Level 3", level3 - 6),
        "the missing count reads “{count}”"
    );

    // Disagreements: exactly the four, self consistently, manager sometimes.
    let rows = client
        .find_all(Locator::Css("table.disagreements tbody tr"))
        .await
        .context("disagreement rows")?;
    ensure!(
        rows.len() == 4,
        "{} disagreements shown, expected 4",
        rows.len()
    );
    for (row, id) in rows.iter().zip(&plan.differing) {
        let behaviour = row
            .find(Locator::Css("th"))
            .await
            .context("th")?
            .text()
            .await
            .context("text")?;
        let own = row
            .find(Locator::Css("td.self-rating"))
            .await
            .context("self")?
            .text()
            .await
            .context("text")?;
        let theirs = row
            .find(Locator::Css("td.manager-rating"))
            .await
            .context("manager")?
            .text()
            .await
            .context("text")?;
        let text = text_of(&plan.framework, id);
        ensure!(
            behaviour.ends_with(&text) && own == "Consistently" && theirs == "Sometimes",
            "a disagreement row reads “{behaviour}” / {own} / {theirs}, expected “{text}” / Consistently / Sometimes"
        );
    }

    // The wheel: one axis per topic, both polygons, a legend naming them.
    let polygons = client
        .find_all(Locator::Css("svg.skill-wheel polygon"))
        .await
        .context("wheel polygons")?;
    ensure!(
        polygons.len() == 2,
        "the skill wheel has {} polygons",
        polygons.len()
    );
    let mut classes = Vec::new();
    for polygon in &polygons {
        classes.push(
            polygon
                .attr("class")
                .await
                .context("class")?
                .unwrap_or_default(),
        );
    }
    ensure!(
        classes == ["self", "manager"],
        "the wheel's polygons are {classes:?}"
    );
    let axes = client
        .find_all(Locator::Css("svg.skill-wheel line.axis"))
        .await
        .context("axes")?;
    ensure!(
        axes.len() == plan.framework.topics.len(),
        "{} axes for {} topics",
        axes.len(),
        plan.framework.topics.len()
    );
    let legend = texts(client, ".wheel-panel ul.legend li").await?;
    ensure!(
        legend == ["Self-assessment", "Manager assessment"],
        "the legend reads {legend:?}"
    );
    let timeline = client
        .find_all(Locator::Css("svg.timeline polyline"))
        .await
        .context("timeline")?;
    ensure!(
        timeline.len() == 2,
        "the timeline has {} series",
        timeline.len()
    );

    // The person sees the same standing on their own page.
    log_out(client).await?;
    log_in(client, app, PERSON_EMAIL, PERSON_PASSWORD).await?;
    client
        .goto(&app.url(&format!("/people/{person_id}")))
        .await
        .context("open own page")?;
    let own_view = wait_for(client, ".standing-headline")
        .await?
        .text()
        .await
        .context("headline")?;
    ensure!(
        own_view == headline,
        "the person sees “{own_view}”, the manager saw “{headline}”"
    );
    Ok(())
}
