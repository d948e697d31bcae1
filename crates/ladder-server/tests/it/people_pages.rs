//! The progression web pages, driven like a browser without JavaScript: log
//! in, fill in forms, follow redirects by hand and read the HTML. Expected
//! standings come from the rule in `ladder_core::progression`, applied to the
//! same ratings the forms send.

use ladder_store::testing::TestDatabase;
use std::collections::HashMap;

use crate::common::{between, ids_at};
use crate::common::{client, csrf_in, log_in_to, TestApp};
use ladder_core::access::Role;
use ladder_core::progression::{compute, Rating, DEFAULT_THRESHOLD};
use ladder_core::Framework;
use ladder_store::User;
use reqwest::StatusCode;

const BACKEND: &str = "engineering-backend";
const PASSWORD: &str = "a long test password";

fn backend() -> Framework {
    ladder_formats::bundled::FRAMEWORKS
        .iter()
        .map(|bundled| {
            ladder_formats::parse(bundled.file_name, bundled.text.as_bytes())
                .framework
                .expect("bundled frameworks parse")
        })
        .find(|f| f.slug == BACKEND)
        .expect("the backend framework is bundled")
}

/// A logged-in browser and its CSRF token.
struct Browser {
    http: reqwest::Client,
    csrf: String,
    user: User,
}

impl Browser {
    async fn new(app: &TestApp, email: &str, role: Role) -> Browser {
        let user = app.user(email, role, PASSWORD).await;
        let http = client();
        let response = log_in_to(&http, app, email, PASSWORD, "/people").await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "[{}] log in as {email}",
            app.label
        );
        let page = http
            .get(app.url("/people"))
            .send()
            .await
            .expect("people")
            .text()
            .await
            .expect("html");
        let csrf = csrf_in(&page).expect("pages carry the session's csrf token");
        Browser { http, csrf, user }
    }

    async fn get(&self, app: &TestApp, path: &str) -> (StatusCode, String) {
        let response = self.http.get(app.url(path)).send().await.expect("get");
        let status = response.status();
        (status, response.text().await.expect("html"))
    }

    /// Posts a form (the CSRF token added); the status, the redirect target
    /// and the body.
    async fn post(
        &self,
        app: &TestApp,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, Option<String>, String) {
        let mut all: Vec<(&str, &str)> = vec![("csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        let response = self
            .http
            .post(app.url(path))
            .form(&all)
            .send()
            .await
            .expect("post");
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        (status, location, response.text().await.expect("body"))
    }
}

/// Text with tags removed and the entities askama writes decoded.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&#38;", "&")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&#39;", "'");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn text_of_criterion(framework: &Framework, id: &str) -> String {
    framework
        .criteria()
        .find(|(_, _, c)| c.id == id)
        .map(|(_, _, c)| c.text.clone())
        .expect("a behaviour of the framework")
}

/// One level's form as the editor sends it.
fn level_form(level: u32, ratings: &[(String, Option<Rating>)]) -> Vec<(String, String)> {
    let mut fields = vec![("level".to_string(), level.to_string())];
    for (id, rating) in ratings {
        fields.push(("criterion".to_string(), id.clone()));
        fields.push((
            format!("rating.{id}"),
            rating.map(|r| r.as_str().to_string()).unwrap_or_default(),
        ));
        fields.push((format!("note.{id}"), String::new()));
        fields.push((format!("links.{id}"), String::new()));
    }
    fields
}

fn borrowed(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Opens an assessment of `kind` through the person page's button; the
/// editor's path.
async fn open(app: &TestApp, who: &Browser, person: &str, kind: &str) -> String {
    let (status, location, body) = who
        .post(
            app,
            &format!("/people/{person}/assessments"),
            &[("kind", kind)],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "[{}] open {kind}: {body}",
        app.label
    );
    let location = location.expect("a redirect to the editor");
    assert!(
        location.starts_with(&format!("/people/{person}/assessments/")),
        "{location}"
    );
    location
}

/// Saves each level's ratings through its form, then submits as of `as_of`.
async fn assess(
    app: &TestApp,
    who: &Browser,
    editor: &str,
    ratings: &HashMap<String, Rating>,
    framework: &Framework,
    as_of: &str,
) {
    for level in framework.level_numbers() {
        let ids = ids_at(framework, level);
        if ids.is_empty() {
            continue;
        }
        let rows: Vec<(String, Option<Rating>)> = ids
            .iter()
            .map(|id| (id.clone(), ratings.get(id).copied()))
            .collect();
        let form = level_form(level, &rows);
        let (status, location, body) = who.post(app, editor, &borrowed(&form)).await;
        assert_eq!(
            status,
            StatusCode::SEE_OTHER,
            "[{}] save level {level}: {body}",
            app.label
        );
        let location = location.expect("back to the editor");
        assert!(
            location.contains("notice=saved") && location.contains(&format!("level={level}")),
            "{location}"
        );
    }
    let (status, location, body) = who
        .post(app, &format!("{editor}/submit"), &[("as_of", as_of)])
        .await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "[{}] submit: {body}",
        app.label
    );
    assert!(location
        .expect("to the person")
        .ends_with("?notice=submitted"));
}

async fn a_manager_places_a_person_both_assess_and_the_person_page_shows_where_they_stand(
    database: TestDatabase,
) {
    let framework = backend();
    let letters = framework.sublevels.clone().expect("backend has sub-levels");
    let app = TestApp::spawn(database).await;
    let manager = Browser::new(&app, "manager@example.com", Role::Manager).await;
    let person = Browser::new(&app, "person@example.com", Role::Member).await;
    let id = person.user.id.clone();

    // The list offers the form, with the person to choose.
    let (status, list) = manager.get(&app, "/people").await;
    assert_eq!(status, StatusCode::OK);
    let form = between(&list, "<form class=\"stacked place-form\"", "</form>");
    assert!(form.contains("action=\"/people\""));
    assert!(form.contains(&format!(
        "<option value=\"{id}\">person@example.com</option>"
    )));
    assert!(
        form.contains("Manager: you"),
        "managers place under themselves"
    );

    // A level that is not a number is refused at its field, as typed.
    let (status, _, page) = manager
        .post(
            &app,
            "/people",
            &[
                ("person", id.as_str()),
                ("framework", BACKEND),
                ("level", "two"),
                ("target_level", "3"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{}]", app.label);
    let error = between(&page, "id=\"place-level-error\"", "</p>");
    assert!(error.contains("data-field=\"level\""));
    assert!(text_of(error).contains("\"two\" is not a level"), "{error}");
    assert!(page.contains("name=\"level\" value=\"two\""));
    // The service's own rule (target below the level) comes back at the target.
    let (status, _, page) = manager
        .post(
            &app,
            "/people",
            &[
                ("person", id.as_str()),
                ("framework", BACKEND),
                ("level", "3"),
                ("target_level", "2"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = text_of(between(&page, "id=\"place-target-error\"", "</p>"));
    assert!(error.contains("below the current level"), "{error}");

    // Placed at 1B, aiming for level 2.
    let (status, location, _) = manager
        .post(
            &app,
            "/people",
            &[
                ("person", id.as_str()),
                ("framework", BACKEND),
                ("level", "1"),
                ("sublevel", "B"),
                ("target_level", "2"),
                ("note", "Agreed in our 1:1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "[{}]", app.label);
    assert_eq!(
        location.as_deref(),
        Some(format!("/people/{id}?notice=placed").as_str())
    );
    let (_, list) = manager.get(&app, "/people").await;
    let row = text_of(between(&list, "person@example.com</a>", "</tr>"));
    assert!(row.contains("Backend Engineering"), "{row}");
    assert!(row.contains("Level 1B"), "{row}");
    assert!(row.contains("Level 2"), "{row}");
    assert!(row.contains("manager@example.com"), "{row}");

    // The manager may start a manager assessment; the person a self one.
    let (_, page) = manager.get(&app, &format!("/people/{id}")).await;
    assert!(page.contains("Start manager assessment"));
    assert!(!page.contains("Start self-assessment"));
    assert!(text_of(&page).contains("Your report"));
    let (status, page) = person.get(&app, &format!("/people/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Start self-assessment"));
    assert!(!page.contains("Start manager assessment"));
    assert!(!page.contains("place-form"), "members do not place anyone");
    assert!(text_of(&page).contains("Agreed in our 1:1"));

    // Self-assessment: levels 1 and 2 consistently, two of level 3 too.
    let editor = open(&app, &person, &id, "self").await;
    assert_eq!(
        open(&app, &person, &id, "self").await,
        editor,
        "reopening returns the draft"
    );
    let (status, page) = person.get(&app, &editor).await;
    assert_eq!(status, StatusCode::OK);
    for level_id in ids_at(&framework, 1) {
        assert!(page.contains(&format!(
            "name=\"rating.{level_id}\" value=\"consistently\""
        )));
    }
    assert!(
        page.contains("Examples ("),
        "examples are shown beside behaviours"
    );
    let level3 = ids_at(&framework, 3);
    let mut own: HashMap<String, Rating> = HashMap::new();
    for level in [1, 2] {
        for criterion in ids_at(&framework, level) {
            own.insert(criterion, Rating::Consistently);
        }
    }
    for criterion in level3.iter().take(2) {
        own.insert(criterion.clone(), Rating::Consistently);
    }

    // A bad link is refused next to its behaviour, with what was typed kept.
    let first = ids_at(&framework, 1)[0].clone();
    let mut bad = level_form(1, &[(first.clone(), Some(Rating::Sometimes))]);
    bad.retain(|(k, _)| !k.starts_with("links."));
    bad.push((format!("links.{first}"), "not a link".to_string()));
    let (status, _, page) = person.post(&app, &editor, &borrowed(&bad)).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "[{}] {page}",
        app.label
    );
    let error = between(&page, &format!("data-field=\"links.{first}\""), "</p>");
    assert!(text_of(error).contains("is not a link"), "{error}");
    assert!(page.contains(&format!(
        "name=\"rating.{first}\" value=\"sometimes\" checked"
    )));
    // Nothing is saved yet, so submitting is refused.
    let (status, _, page) = person
        .post(
            &app,
            &format!("{editor}/submit"),
            &[("as_of", "2026-01-15")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text_of(between(&page, "data-field=\"marks\"", "</p>"))
        .contains("Rate at least one behaviour"));
    // Once a level is saved, a date that is not one is refused at the date.
    let one = level_form(1, &[(first.clone(), Some(Rating::Consistently))]);
    let (status, _, _) = person.post(&app, &editor, &borrowed(&one)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, page) = person
        .post(
            &app,
            &format!("{editor}/submit"),
            &[("as_of", "2026-13-01")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(between(&page, "id=\"as-of-error\"", "</p>").contains("not a date"));
    let (_, page) = person.get(&app, &editor).await;
    assert!(
        page.contains(&format!(
            "name=\"rating.{first}\" value=\"consistently\" checked"
        )),
        "the saved rating is shown"
    );

    assess(&app, &person, &editor, &own, &framework, "2026-01-15").await;
    let (status, page) = person.get(&app, &editor).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !page.contains("type=\"radio\""),
        "a submitted assessment is read-only"
    );
    assert!(text_of(&page).contains("Submitted as of 2026-01-15"));

    // The page shows the self standing before the manager has a say.
    let expected_self = compute(&framework, &own, DEFAULT_THRESHOLD, Some(2));
    assert_eq!(expected_self.level_reached, Some(2));
    let self_headline = expected_self.headline(&framework);
    // Two of level 3's behaviours: the letter of that share.
    let share = 2 * letters.len() / level3.len();
    assert_eq!(
        self_headline,
        format!("Level 2{}", letters[share.min(letters.len() - 1)])
    );
    let (_, page) = person.get(&app, &format!("/people/{id}")).await;
    assert!(
        page.contains(&format!("data-standing=\"{self_headline}\"")),
        "[{}] expected {self_headline}",
        app.label
    );
    assert!(text_of(&page).contains("from the self-assessment as of 2026-01-15"));

    // The manager: level 1 consistently, level 2 consistently but for two
    // behaviours rated sometimes (disagreements, and missing for the target).
    let editor_m = open(&app, &manager, &id, "manager").await;
    let level2 = ids_at(&framework, 2);
    let mut theirs: HashMap<String, Rating> = HashMap::new();
    for criterion in ids_at(&framework, 1) {
        theirs.insert(criterion, Rating::Consistently);
    }
    for (index, criterion) in level2.iter().enumerate() {
        let rating = if index < 2 {
            Rating::Sometimes
        } else {
            Rating::Consistently
        };
        theirs.insert(criterion.clone(), rating);
    }
    assess(&app, &manager, &editor_m, &theirs, &framework, "2026-02-01").await;

    let expected = compute(&framework, &theirs, DEFAULT_THRESHOLD, Some(2));
    let headline = expected.headline(&framework);
    let (status, page) = person.get(&app, &format!("/people/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let text = text_of(&page);
    assert!(
        page.contains(&format!("data-standing=\"{headline}\"")),
        "[{}] expected {headline}",
        app.label
    );
    assert!(text.contains("from the manager assessment as of 2026-02-01"));
    // Missing for level 2: exactly the two behaviours the manager saw sometimes.
    assert_eq!(expected.missing_for_target.len(), 2);
    assert!(page.contains("data-missing-count=\"2\""));
    assert!(text.contains("2 behaviours missing for Level 2"));
    // The people list shows the same standing in the person's row.
    let (_, list) = manager.get(&app, "/people").await;
    let row = list
        .split("<tr")
        .find(|row| row.contains("person@example.com"))
        .map(text_of)
        .unwrap_or_default();
    assert!(row.contains(&headline), "[{}] {row}", app.label);
    let missing = text_of(between(&page, "<ul class=\"missing-behaviours\">", "</ul>"));
    for criterion in level2.iter().take(2) {
        assert!(
            missing.contains(&text_of_criterion(&framework, criterion)),
            "{missing}"
        );
    }
    // Disagreements: those two (self consistently, manager sometimes), and
    // level 3 (only self rated it) is not one.
    let table = between(&page, "<table class=\"data disagreements\">", "</table>");
    assert_eq!(table.matches("<tr class=\"disagreement\">").count(), 2);
    for criterion in level2.iter().take(2) {
        let row = text_of(between(
            table,
            &ladder_web::render_inline(&text_of_criterion(&framework, criterion)),
            "</tr>",
        ));
        assert!(row.ends_with("Consistently Sometimes"), "{row}");
    }
    // The wheel overlays both; the timeline has both series.
    let wheel = between(&page, "<svg class=\"skill-wheel\"", "</svg>");
    assert_eq!(wheel.matches("<polygon ").count(), 2);
    assert!(wheel.contains("<polygon class=\"self\""));
    assert!(wheel.contains("<polygon class=\"manager\""));
    assert_eq!(
        wheel.matches("<line class=\"axis\"").count(),
        framework.topics.len()
    );
    let timeline = between(&page, "<svg class=\"timeline\"", "</svg>");
    assert_eq!(timeline.matches("<polyline ").count(), 2);
    assert!(timeline.contains("2026-01-15") && timeline.contains("2026-02-01"));
    // The rule is on the page with the threshold and the bands.
    let rule = text_of(between(
        &page,
        "<section class=\"panel rule\"",
        "</section>",
    ));
    assert!(rule.contains("at least 80% of the behaviours"), "{rule}");
    assert!(rule.contains("A: under 25%"), "{rule}");

    // Exports download with the browser session.
    let markdown = page
        .split("href=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.contains("/export?format=markdown"))
        .expect("a Markdown export link")
        .replace("&#38;", "&");
    let response = person
        .http
        .get(app.url(&markdown))
        .send()
        .await
        .expect("export");
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.expect("markdown");
    assert!(body.starts_with("# person@example.com"), "{body}");

    app.stop().await;
}

on_each_database!(a_manager_places_a_person_both_assess_and_the_person_page_shows_where_they_stand);

async fn people_see_only_whom_they_may_and_only_admins_and_managers_place(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let admin = Browser::new(&app, "admin@example.com", Role::Admin).await;
    let ann = Browser::new(&app, "ann@example.com", Role::Member).await;
    let bob = Browser::new(&app, "bob@example.com", Role::Member).await;
    let mia = Browser::new(&app, "mia@example.com", Role::Manager).await;
    let ned = Browser::new(&app, "ned@example.com", Role::Manager).await;
    let ann_id = ann.user.id.clone();

    // An admin names any manager.
    let (_, list) = admin.get(&app, "/people").await;
    let form = between(&list, "<form class=\"stacked place-form\"", "</form>");
    assert!(form.contains("name=\"manager_id\""));
    assert!(form.contains(&mia.user.id));
    let (status, location, body) = admin
        .post(
            &app,
            "/people",
            &[
                ("person", ann_id.as_str()),
                ("framework", BACKEND),
                ("level", "2"),
                ("target_level", "3"),
                ("manager_id", mia.user.id.as_str()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "[{}] {body}", app.label);
    assert_eq!(
        location.as_deref(),
        Some(format!("/people/{ann_id}?notice=placed").as_str())
    );
    // A sub-level the framework does not have is refused at its field.
    let (status, _, page) = admin
        .post(
            &app,
            &format!("/people/{ann_id}/placements"),
            &[
                ("framework", BACKEND),
                ("level", "2"),
                ("sublevel", "Q"),
                ("target_level", "3"),
                ("manager_id", mia.user.id.as_str()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text_of(between(&page, "id=\"place-sublevel-error\"", "</p>"))
            .contains("is not a sub-level")
    );

    // Someone not placed yet sees their page say so, with nothing to start.
    let (status, page) = bob.get(&app, &format!("/people/{}", bob.user.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&page).contains("Not placed on a framework yet"));
    assert!(!page.contains("start-self"));
    // The placement history keeps every placement, newest first.
    let (status, location, _) = admin
        .post(
            &app,
            &format!("/people/{ann_id}/placements"),
            &[
                ("framework", BACKEND),
                ("level", "2"),
                ("sublevel", "C"),
                ("target_level", "3"),
                ("manager_id", mia.user.id.as_str()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some(format!("/people/{ann_id}?notice=placed").as_str())
    );
    let (_, page) = admin.get(&app, &format!("/people/{ann_id}")).await;
    let history = between(&page, "<table class=\"data placements\">", "</table>");
    let rows: Vec<String> = history.split("<tr>").skip(2).map(text_of).collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].contains("Level 2C") && rows[1].contains("Level 2 Level 3"),
        "{rows:?}"
    );
    assert!(rows[0].contains("mia@example.com") && rows[0].contains("admin@example.com"));

    // A member sees only themselves and cannot see or place anyone else.
    let (status, _) = bob.get(&app, &format!("/people/{ann_id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "[{}]", app.label);
    let (_, list) = bob.get(&app, "/people").await;
    assert!(list.contains("bob@example.com") && !list.contains("ann@example.com"));
    assert!(!list.contains("place-form"));
    let fields = [
        ("person", ann_id.as_str()),
        ("framework", BACKEND),
        ("level", "1"),
        ("target_level", "1"),
    ];
    let (status, _, _) = bob.post(&app, "/people", &fields).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = bob
        .post(&app, &format!("/people/{ann_id}/placements"), &fields[1..])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = bob
        .post(
            &app,
            &format!("/people/{ann_id}/assessments"),
            &[("kind", "manager")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Ann's manager sees her; another manager does not.
    let (status, page) = mia.get(&app, &format!("/people/{ann_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Change the placement"));
    let (_, list) = mia.get(&app, "/people").await;
    assert!(list.contains("ann@example.com"));
    let (status, _) = ned.get(&app, &format!("/people/{ann_id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = ned.get(&app, "/people").await;
    let rows = between(&list, "<tbody>", "</tbody>");
    assert!(!rows.contains("ann@example.com"), "not in ned's table");
    // …and cannot take her over: she is not among the people ned may place.
    let form = between(&list, "<form class=\"stacked place-form\"", "</form>");
    assert!(!form.contains(&ann_id));
    assert!(form.contains(&bob.user.id), "nobody manages bob");
    let (status, _, _) = ned
        .post(
            &app,
            "/people",
            &[
                ("person", ann_id.as_str()),
                ("framework", BACKEND),
                ("level", "1"),
                ("target_level", "2"),
            ],
        )
        .await;
    assert!(
        matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
        "{status}"
    );

    // Ann's self-assessment: a draft is hers alone (and admins'); once
    // submitted her manager reads it but cannot change it.
    let editor = open(&app, &ann, &ann_id, "self").await;
    let (status, _) = mia.get(&app, &editor).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "[{}] drafts are private",
        app.label
    );
    let (_, page) = mia.get(&app, &format!("/people/{ann_id}")).await;
    assert!(!page.contains(&editor), "nor listed on her page");
    let criterion = ids_at(&backend(), 1)[0].clone();
    let form = level_form(1, &[(criterion.clone(), Some(Rating::Consistently))]);
    let (status, _, _) = ann.post(&app, &editor, &borrowed(&form)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = ann
        .post(
            &app,
            &format!("{editor}/submit"),
            &[("as_of", "2026-03-01")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page) = mia.get(&app, &editor).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("type=\"radio\""), "read-only for others");
    assert!(text_of(&page).contains("Consistently"));
    let (status, _, _) = mia.post(&app, &editor, &borrowed(&form)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = bob.get(&app, &editor).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Admins see everyone but assess nobody they do not manage.
    let (status, page) = admin.get(&app, &format!("/people/{ann_id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&page).contains("Admin view"));
    assert!(!page.contains("Start manager assessment"));
    let (_, list) = admin.get(&app, "/people").await;
    for email in ["ann@", "bob@", "mia@", "ned@"] {
        assert!(list.contains(email));
    }

    app.stop().await;
}

on_each_database!(people_see_only_whom_they_may_and_only_admins_and_managers_place);

async fn admins_set_the_progression_threshold_on_the_users_page_and_the_api(
    database: TestDatabase,
) {
    let app = TestApp::spawn(database).await;
    let admin = Browser::new(&app, "admin@example.com", Role::Admin).await;
    let (_, page) = admin.get(&app, "/admin/users").await;
    assert!(page.contains("name=\"progression_threshold\" value=\"80%\""));
    assert!(
        page.contains("<option value=\"manager\""),
        "the manager role is offered"
    );

    let (status, _, page) = admin
        .post(
            &app,
            "/admin/settings",
            &[("progression_threshold", "eighty")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "[{}]", app.label);
    assert!(page.contains("name=\"progression_threshold\" value=\"eighty\""));
    let error = text_of(between(&page, "id=\"progression-threshold-error\"", "</p>"));
    assert!(error.contains("is not a number"), "{error}");

    let (status, location, _) = admin
        .post(
            &app,
            "/admin/settings",
            &[
                ("public_browsing", "on"),
                ("progression_threshold", "62.5%"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/admin/users?notice=settings"));
    let (_, page) = admin.get(&app, "/admin/users").await;
    assert!(page.contains("name=\"progression_threshold\" value=\"62.5%\""));

    // The JSON API reads and writes the same setting; old callers that
    // send only public_browsing keep working.
    let (token_user, token) = crate::common::staff(&app, "ops@example.com", Role::Admin).await;
    assert_eq!(token_user.role, Role::Admin);
    let api = crate::common::Api {
        app: &app,
        token,
        http: client(),
    };
    let (status, settings) = api.get("/api/v1/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(settings["progression_threshold"], "62.5%");
    assert_eq!(settings["public_browsing"], true);
    let (status, settings) = api
        .send(
            reqwest::Method::PUT,
            "/api/v1/settings",
            Some(serde_json::json!({"public_browsing": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(settings["progression_threshold"], "62.5%");
    assert_eq!(settings["public_browsing"], false);
    let (status, error) = api
        .send(
            reqwest::Method::PUT,
            "/api/v1/settings",
            Some(serde_json::json!({"progression_threshold": "101%", "public_browsing": true})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["error"]["field"], "progression_threshold", "{error}");
    let (_, settings) = api.get("/api/v1/settings").await;
    assert_eq!(
        settings["public_browsing"], false,
        "a refused change changes nothing"
    );
    let (status, settings) = api
        .send(
            reqwest::Method::PUT,
            "/api/v1/settings",
            Some(serde_json::json!({"progression_threshold": "0.9"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(settings["progression_threshold"], "90%");

    // The person page states the threshold in force.
    let person = Browser::new(&app, "pat@example.com", Role::Member).await;
    let (status, _, body) = admin
        .post(
            &app,
            "/people",
            &[
                ("person", person.user.id.as_str()),
                ("framework", BACKEND),
                ("level", "1"),
                ("target_level", "2"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, page) = person
        .get(&app, &format!("/people/{}", person.user.id))
        .await;
    let rule = text_of(between(
        &page,
        "<section class=\"panel rule\"",
        "</section>",
    ));
    assert!(rule.contains("at least 90% of the behaviours"), "{rule}");

    app.stop().await;
}

on_each_database!(admins_set_the_progression_threshold_on_the_users_page_and_the_api);

async fn a_new_framework_version_is_announced_and_the_next_draft_says_what_changed(
    database: TestDatabase,
) {
    let v1 = backend();
    // Version 2 rewords the first level-2 behaviour of the first topic.
    let mut v2 = v1.clone();
    let (old_id, new_id, new_text) = {
        let topic = &mut v2.topics[0];
        let key = topic.key.clone();
        let level = topic
            .levels
            .iter_mut()
            .find(|l| l.number == 2)
            .expect("level 2");
        let criterion = &mut level.criteria[0];
        let old_id = criterion.id.clone();
        criterion.text = format!("{}, and teaches it to others", criterion.text);
        criterion.id = ladder_core::framework::criterion_id(&key, 2, &criterion.text);
        (old_id, criterion.id.clone(), criterion.text.clone())
    };
    assert_ne!(old_id, new_id);
    let app = TestApp::spawn(database).await;
    let admin = Browser::new(&app, "admin@example.com", Role::Admin).await;
    let person = Browser::new(&app, "kim@example.com", Role::Member).await;
    let id = person.user.id.clone();
    let (status, _, body) = admin
        .post(
            &app,
            "/people",
            &[
                ("person", id.as_str()),
                ("framework", BACKEND),
                ("level", "1"),
                ("target_level", "2"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let editor = open(&app, &person, &id, "self").await;
    let mut own = HashMap::new();
    for level in [1, 2] {
        for criterion in ids_at(&v1, level) {
            own.insert(criterion, Rating::Consistently);
        }
    }
    assess(&app, &person, &editor, &own, &v1, "2026-01-10").await;
    let (_, page) = person.get(&app, &format!("/people/{id}")).await;
    assert!(!page.contains("The framework changed"));

    app.store
        .import_framework(&v2, &ladder_store::Actor::system())
        .await
        .expect("version 2");
    let (status, page) = person.get(&app, &format!("/people/{id}")).await;
    assert_eq!(status, StatusCode::OK, "[{}]", app.label);
    let notice = text_of(between(
        &page,
        "<section class=\"notice framework-changed\"",
        "</section>",
    ));
    assert!(
        notice.contains("Version 2 differs from version 1"),
        "{notice}"
    );
    assert!(notice.contains(&new_text), "{notice}");

    // The next draft carries the evidence of every unchanged behaviour
    // and names the one that has none.
    let next = open(&app, &person, &id, "self").await;
    assert_ne!(next, editor);
    let (_, page) = person.get(&app, &format!("{next}?level=2")).await;
    let carried = text_of(between(
        &page,
        "<section class=\"notice carried\"",
        "</section>",
    ));
    assert!(carried.contains("framework version 1"), "{carried}");
    assert!(carried.contains(&new_text), "{carried}");
    let reworded = between(
        &page,
        &format!("data-criterion=\"{new_id}\""),
        "</fieldset>",
    );
    assert!(reworded.contains("New or changed"));
    assert!(reworded.contains(&format!("name=\"rating.{new_id}\" value=\"\" checked")));
    let kept = ids_at(&v2, 2)
        .into_iter()
        .find(|c| *c != new_id)
        .expect("another level-2 behaviour");
    assert!(page.contains(&format!(
        "name=\"rating.{kept}\" value=\"consistently\" checked"
    )));
    let unchanged = between(&page, &format!("data-criterion=\"{kept}\""), "</fieldset>");
    assert!(!unchanged.contains("New or changed"));

    app.stop().await;
}

on_each_database!(a_new_framework_version_is_announced_and_the_next_draft_says_what_changed);
