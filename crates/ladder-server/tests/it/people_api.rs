//! Progression through the JSON API on SQLite and PostgreSQL: placing people,
//! self and manager assessments, where a person stands, evidence kept across
//! framework versions, exports, and who may see whom, route by route.

use crate::common::{client, staff, Api, TestApp};
use ladder_core::access::Role;
use ladder_store::testing::TestDatabase;
use ladder_store::Actor;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Two topics × three levels, sub-levels A–D. Level 1: 2 + 1 behaviours,
/// level 2: 4 + 1, level 3: 2 + 2.
fn ladder_file(reworded: bool) -> String {
    let design_l2 = if reworded {
        "Designs a module boundary that a teammate can extend without asking"
    } else {
        "Designs a module boundary others can extend"
    };
    format!(
        r#"---
path: "/test/ladder"
title: "Test Ladder"
yaml: true
levels: 3
sublevels: "A-D"
topics:
  - name: "craft"
    title: "Craft"
    content:
      - level: 1
        criteria:
          - "Fixes small bugs with guidance"
          - "Writes tests for their own changes"
      - level: 2
        criteria:
          - "Fixes bugs across two services"
          - "{design_l2}"
          - "Reviews pull requests for correctness"
          - "Ships features behind flags"
      - level: 3
        criteria:
          - "Leads the design of a new service"
          - "Sets the testing strategy of a team"
  - name: "impact"
    title: "Impact"
    content:
      - level: 1
        criteria:
          - "Delivers assigned tasks"
      - level: 2
        criteria:
          - "Delivers a feature end to end"
      - level: 3
        criteria:
          - "Delivers a project across teams"
          - "Mentors two engineers"
---
"#
    )
}

async fn import_ladder(app: &TestApp, reworded: bool) -> Value {
    let text = ladder_file(reworded);
    let framework = ladder_formats::parse("test-ladder.md", text.as_bytes())
        .framework
        .expect("test framework parses");
    app.store
        .import_framework(&framework, &Actor::system())
        .await
        .expect("import");
    serde_json::to_value(&framework).expect("json")
}

/// Criterion ids of (topic key, level), in file order.
fn ids(framework: &Value, topic: &str, level: u64) -> Vec<String> {
    framework["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .filter(|t| t["key"] == topic)
        .flat_map(|t| t["levels"].as_array().cloned().unwrap_or_default())
        .filter(|l| l["number"] == level)
        .flat_map(|l| l["criteria"].as_array().cloned().unwrap_or_default())
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect()
}

fn mark(id: &str, rating: &str) -> Value {
    json!({ "criterion_id": id, "rating": rating, "note": format!("evidence for {id}"), "links": ["https://git.example/pr/1"] })
}

fn api<'a>(app: &'a TestApp, token: &str) -> Api<'a> {
    Api {
        app,
        token: token.to_string(),
        http: client(),
    }
}

async fn a_person_is_placed_self_assesses_is_assessed_and_sees_where_they_stand(
    database: TestDatabase,
) {
    let app = TestApp::spawn(database).await;
    let framework = import_ladder(&app, false).await;
    let (_, admin_token) = staff(&app, "admin@example.com", Role::Admin).await;
    let (manager, manager_token) = staff(&app, "grace@example.com", Role::Manager).await;
    let (person, person_token) = staff(&app, "ada@example.com", Role::Member).await;
    let admin = api(&app, &admin_token);
    let grace = api(&app, &manager_token);
    let ada = api(&app, &person_token);
    let base = format!("/api/v1/people/{}", person.id);

    // Not placed yet: progress says so.
    let (status, body) = ada.get(&format!("{base}/progress")).await;
    assert_eq!(status, StatusCode::CONFLICT, "[{}] {body}", app.label);
    assert_eq!(body["error"]["code"], "not_placed");

    let placement = json!({
        "framework": "test-ladder", "level": 1, "sublevel": "b", "target_level": 2,
        "note": "agreed in our 1:1"
    });
    let (status, placed) = grace
        .post(&format!("{base}/placements"), placement.clone())
        .await;
    assert_eq!(status, StatusCode::CREATED, "[{}] {placed}", app.label);
    assert_eq!(
        placed["manager_id"],
        manager.id.as_str(),
        "managers place under themselves"
    );
    assert_eq!(
        placed["sublevel"], "B",
        "letters take the framework's spelling"
    );
    let (status, again) = grace.post(&format!("{base}/placements"), placement).await;
    assert_eq!(status, StatusCode::OK, "a repeat places once");
    assert_eq!(again["id"], placed["id"]);

    // The person and their manager see the person; lists follow suit.
    let (_, listed) = grace.get("/api/v1/people").await;
    let emails: Vec<&str> = listed
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|p| p["email"].as_str())
        .collect();
    assert_eq!(
        emails,
        vec!["grace@example.com", "ada@example.com"],
        "[{}] herself, then her reports",
        app.label
    );
    let (_, everyone) = admin.get("/api/v1/people").await;
    // The three people of this test: the admin, Grace and Ada.
    assert_eq!(everyone.as_array().expect("list").len(), 3, "{everyone}");

    // Self-assessment: every level-1 behaviour consistently, level 2 half.
    let (status, draft) = ada
        .post(&format!("{base}/assessments"), json!({"kind": "self"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "[{}] {draft}", app.label);
    let (status, same) = ada
        .post(&format!("{base}/assessments"), json!({"kind": "self"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(same["id"], draft["id"], "one open draft per kind");
    let self_id = draft["id"].as_str().expect("id").to_string();
    let marks_path = format!("{base}/assessments/{self_id}/marks");

    let craft1 = ids(&framework, "craft", 1);
    let impact1 = ids(&framework, "impact", 1);
    let craft2 = ids(&framework, "craft", 2);
    let impact2 = ids(&framework, "impact", 2);
    let mut marks: Vec<Value> = craft1
        .iter()
        .chain(&impact1)
        .map(|id| mark(id, "consistently"))
        .collect();
    // Level 2 (5 behaviours): 2 consistently + 1 sometimes = 5 halves of 10 = 50% → C.
    marks.push(mark(&craft2[0], "consistently"));
    marks.push(mark(&craft2[1], "consistently"));
    marks.push(mark(&craft2[2], "sometimes"));
    let (status, saved) = ada
        .send(Method::PUT, &marks_path, Some(json!({ "marks": marks })))
        .await;
    assert_eq!(status, StatusCode::OK, "[{}] {saved}", app.label);
    assert_eq!(saved["rated"], 6);

    // Bad marks name the field and change nothing.
    for (body, field) in [
        (
            json!({"marks": [mark("craft.l1.0000000000", "consistently")]}),
            "marks[0].criterion_id",
        ),
        (
            json!({"marks": [mark(&craft2[3], "often")]}),
            "marks[0].rating",
        ),
        (
            json!({"marks": [mark(&craft2[3], "sometimes"), {"criterion_id": craft2[3], "rating": "sometimes", "links": ["ftp://files"]}]}),
            "marks[1].links[0]",
        ),
    ] {
        let (status, error) = ada.send(Method::PUT, &marks_path, Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
        assert_eq!(error["error"]["field"], field, "{error}");
    }
    let (_, detail) = ada.get(&format!("{base}/assessments/{self_id}")).await;
    assert_eq!(
        detail["marks"].as_array().expect("marks").len(),
        6,
        "nothing saved by bad requests"
    );
    assert_eq!(detail["standing"], "Level 1C", "[{}] {detail}", app.label);

    // Saving as you go: clear one rating with null.
    let (status, cleared) = ada
        .send(
            Method::PUT,
            &marks_path,
            Some(json!({"marks": [{"criterion_id": craft2[2], "rating": null}]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{cleared}");
    assert_eq!(cleared["rated"], 5);
    ada.send(
        Method::PUT,
        &marks_path,
        Some(json!({"marks": [mark(&craft2[2], "sometimes")]})),
    )
    .await;

    // The manager can neither read nor touch the person's draft.
    let (status, _) = grace
        .send(
            Method::PUT,
            &marks_path,
            Some(json!({"marks": [mark(&craft2[3], "sometimes")]})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "drafts are private to their author"
    );
    let (_, grace_sees) = grace.get(&format!("{base}/assessments")).await;
    assert_eq!(grace_sees.as_array().map(Vec::len), Some(0));

    let submit = format!("{base}/assessments/{self_id}/submit");
    let (status, bad_date) = ada.post(&submit, json!({"as_of": "24/11/2026"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_date["error"]["field"], "as_of");
    let (status, submitted) = ada.post(&submit, json!({"as_of": "2026-11-20"})).await;
    assert_eq!(status, StatusCode::OK, "{submitted}");
    assert_eq!(submitted["status"], "submitted");
    let (status, resubmitted) = ada.post(&submit, json!({"as_of": "2026-11-21"})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        resubmitted["as_of"], "2026-11-20",
        "a repeat submit changes nothing"
    );
    let (status, _) = ada
        .send(
            Method::PUT,
            &marks_path,
            Some(json!({"marks": [mark(&craft2[3], "sometimes")]})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "submitted assessments are frozen"
    );

    // Only the manager writes a manager assessment; the person cannot.
    let (status, _) = ada
        .post(&format!("{base}/assessments"), json!({"kind": "manager"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = admin
        .post(&format!("{base}/assessments"), json!({"kind": "manager"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "admins are not the manager");
    let (status, manager_draft) = grace
        .post(&format!("{base}/assessments"), json!({"kind": "manager"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{manager_draft}");
    let manager_id = manager_draft["id"].as_str().expect("id").to_string();
    // The manager agrees on level 1 but sees craft2[0] only sometimes and
    // impact2 consistently: 1 + ½ + 1 of 5 at level 2 = 50% → C as well.
    let mut manager_marks: Vec<Value> = craft1
        .iter()
        .chain(&impact1)
        .map(|id| mark(id, "consistently"))
        .collect();
    manager_marks.push(mark(&craft2[0], "sometimes"));
    manager_marks.push(mark(&craft2[1], "consistently"));
    manager_marks.push(mark(&impact2[0], "consistently"));
    let (status, _) = grace
        .send(
            Method::PUT,
            &format!("{base}/assessments/{manager_id}/marks"),
            Some(json!({ "marks": manager_marks })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = grace
        .post(
            &format!("{base}/assessments/{manager_id}/submit"),
            json!({"as_of": "2026-11-22"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, progress) = ada.get(&format!("{base}/progress")).await;
    assert_eq!(status, StatusCode::OK, "[{}] {progress}", app.label);
    assert_eq!(progress["source"], "manager");
    assert_eq!(progress["standing"], "Level 1C", "{progress}");
    assert_eq!(progress["progress"]["level_reached"], 1);
    assert_eq!(progress["progress"]["sublevel"], "C");
    assert_eq!(progress["progress"]["target_level"], 2);
    assert_eq!(progress["progress"]["target_reached"], false);
    assert_eq!(progress["threshold"], "80%");
    // Missing for level 2 in the manager's view: all but craft2[1] and impact2[0].
    let missing: Vec<&str> = progress["progress"]["missing_for_target"]
        .as_array()
        .expect("missing")
        .iter()
        .filter_map(|m| m["criterion_id"].as_str())
        .collect();
    assert_eq!(
        missing,
        vec![craft2[0].as_str(), craft2[2].as_str(), craft2[3].as_str()]
    );
    // They disagree on craft2[0] only (craft2[2] and impact2[0] were rated by one side).
    let disagreements = progress["disagreements"].as_array().expect("disagreements");
    assert_eq!(disagreements.len(), 1, "{progress}");
    assert_eq!(disagreements[0]["criterion_id"], craft2[0].as_str());
    assert_eq!(disagreements[0]["self_rating"], "consistently");
    assert_eq!(disagreements[0]["manager_rating"], "sometimes");
    assert_eq!(progress["self_progress"]["sublevel"], "C");
    let timeline = progress["timeline"].as_array().expect("timeline");
    assert_eq!(timeline.len(), 2);
    assert_eq!(timeline[0]["as_of"], "2026-11-20", "oldest first");
    assert_eq!(timeline[1]["kind"], "manager");
    assert_eq!(timeline[0]["position_bp"], 10_000 + 5_000);
    assert!(progress["framework_changes"].is_null());

    // Exports: a Markdown packet and JSON, for the person and the manager.
    let response = client()
        .get(app.url(&format!("{base}/assessments/{self_id}/export")))
        .bearer_auth(&manager_token)
        .send()
        .await
        .expect("export");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/markdown")));
    let packet = response.text().await.expect("text");
    assert!(
        packet.starts_with("# ada@example.com — Test Ladder"),
        "{packet}"
    );
    assert!(packet.contains("- Assessment: Self-assessment by ada@example.com, as of 2026-11-20"));
    assert!(packet.contains("- Manager: grace@example.com"));
    assert!(packet.contains("**Consistently** — Fixes small bugs with guidance"));
    assert!(packet.contains("  > evidence for"));
    let (status, exported) = ada
        .get(&format!("{base}/assessments/{self_id}/export?format=json"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(exported["marks"].as_array().expect("marks").len(), 6);
    assert_eq!(exported["kind"], "self");
    let (status, _) = ada
        .get(&format!("{base}/assessments/{self_id}/export?format=pdf"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // History: placements and assessments are listed, newest first.
    let (_, history) = ada.get(&format!("{base}/placements")).await;
    assert_eq!(history.as_array().expect("history").len(), 1);
    let (_, list) = ada.get(&format!("{base}/assessments")).await;
    assert_eq!(list.as_array().expect("list").len(), 2);
    app.stop().await;
}

on_each_database!(a_person_is_placed_self_assesses_is_assessed_and_sees_where_they_stand);

async fn placements_are_checked_against_the_framework_and_the_callers_rights(
    database: TestDatabase,
) {
    let app = TestApp::spawn(database).await;
    import_ladder(&app, false).await;
    let (_, admin_token) = staff(&app, "admin@example.com", Role::Admin).await;
    let (grace, grace_token) = staff(&app, "grace@example.com", Role::Manager).await;
    let (_, linus_token) = staff(&app, "linus@example.com", Role::Manager).await;
    let (ada, _) = staff(&app, "ada@example.com", Role::Member).await;
    let (ken, _) = staff(&app, "ken@example.com", Role::Member).await;
    let admin = api(&app, &admin_token);
    let grace_api = api(&app, &grace_token);
    let linus = api(&app, &linus_token);
    let path = format!("/api/v1/people/{}/placements", ada.id);
    let valid = json!({"framework": "test-ladder", "level": 1, "target_level": 2});

    for (patch, field) in [
        (json!({"framework": "no-such-framework"}), "framework"),
        (json!({"level": 9}), "level"),
        (json!({"level": 3, "target_level": 2}), "target_level"),
        (json!({"sublevel": "Z"}), "sublevel"),
        (json!({"manager_id": ada.id}), "manager_id"),
        (json!({"manager_id": "no-such-user"}), "manager_id"),
    ] {
        let mut body = valid.clone();
        for (key, value) in patch.as_object().expect("object") {
            body[key] = value.clone();
        }
        let (status, error) = admin.post(&path, body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{}] {error}",
            app.label
        );
        assert_eq!(error["error"]["field"], field, "{error}");
    }
    let (status, error) = admin
        .post(
            &path,
            json!({"framework": "test-ladder", "level": 1, "target_level": 2, "extra": 1}),
        )
        .await;
    assert!(
        status.is_client_error(),
        "unknown fields are refused: {error}"
    );

    // Managers name only themselves.
    let mut other = valid.clone();
    other["manager_id"] = json!(ken.id);
    let (status, error) = grace_api.post(&path, other).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error}");
    assert_eq!(error["error"]["field"], "manager_id");

    // Admins name anyone: Ada goes to Grace.
    let mut to_grace = valid.clone();
    to_grace["manager_id"] = json!(grace.id);
    let (status, placed) = admin.post(&path, to_grace).await;
    assert_eq!(status, StatusCode::CREATED, "{placed}");

    // Another manager cannot take Grace's report, and cannot even see her.
    let (status, _) = linus.post(&path, valid.clone()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Grace re-places her own report with a new target: history grows.
    let mut higher = valid.clone();
    higher["target_level"] = json!(3);
    let (status, _) = grace_api.post(&path, higher).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, history) = admin.get(&path).await;
    assert_eq!(history.as_array().expect("history").len(), 2);
    assert_eq!(history[0]["target_level"], 3, "newest first");

    // A manager may take on someone nobody manages yet.
    let (status, _) = linus
        .post(
            &format!("/api/v1/people/{}/placements", ken.id),
            valid.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    app.stop().await;
}

on_each_database!(placements_are_checked_against_the_framework_and_the_callers_rights);

async fn nobody_but_the_person_their_manager_and_admins_sees_a_person_route_by_route(
    database: TestDatabase,
) {
    let app = TestApp::spawn(database).await;
    import_ladder(&app, false).await;
    let (_, admin_token) = staff(&app, "admin@example.com", Role::Admin).await;
    let (grace, grace_token) = staff(&app, "grace@example.com", Role::Manager).await;
    let (ada, ada_token) = staff(&app, "ada@example.com", Role::Member).await;
    let (_, linus_token) = staff(&app, "linus@example.com", Role::Manager).await;
    let (_, ken_token) = staff(&app, "ken@example.com", Role::Member).await;
    let (_, hiring_token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let (_, interviewer_token) = staff(&app, "iv@example.com", Role::Interviewer).await;
    let base = format!("/api/v1/people/{}", ada.id);
    let grace_api = api(&app, &grace_token);
    grace_api
        .post(
            &format!("{base}/placements"),
            json!({"framework": "test-ladder", "level": 1, "target_level": 2}),
        )
        .await;
    let ada_api = api(&app, &ada_token);
    let framework = serde_json::to_value(
        app.store
            .framework("test-ladder", None)
            .await
            .expect("read")
            .expect("imported")
            .framework,
    )
    .expect("json");
    let first_id = ids(&framework, "craft", 1)[0].clone();
    let (_, own) = ada_api
        .post(&format!("{base}/assessments"), json!({"kind": "self"}))
        .await;
    let own_id = own["id"].as_str().expect("self assessment").to_string();
    let (_, managers) = grace_api
        .post(&format!("{base}/assessments"), json!({"kind": "manager"}))
        .await;
    let manager_id = managers["id"]
        .as_str()
        .expect("manager assessment")
        .to_string();

    // Every people route that names Ada.
    // Submitted, both are visible to the person, the manager and admins.
    ada_api
        .send(
            Method::PUT,
            &format!("{base}/assessments/{own_id}/marks"),
            Some(json!({"marks": [mark(&first_id, "sometimes")]})),
        )
        .await;
    let (status, _) = ada_api
        .post(&format!("{base}/assessments/{own_id}/submit"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    grace_api
        .send(
            Method::PUT,
            &format!("{base}/assessments/{manager_id}/marks"),
            Some(json!({"marks": [mark(&first_id, "consistently")]})),
        )
        .await;
    let reads = [
        base.clone(),
        format!("{base}/placements"),
        format!("{base}/assessments"),
        format!("{base}/assessments/{own_id}"),
        format!("{base}/assessments/{own_id}/export"),
        format!("{base}/progress"),
    ];
    let can_see = [
        ("ada", &ada_token),
        ("grace", &grace_token),
        ("admin", &admin_token),
    ];
    let cannot_see = [
        ("linus (another manager)", &linus_token),
        ("ken (another member)", &ken_token),
        ("hiring manager", &hiring_token),
        ("interviewer", &interviewer_token),
    ];
    for path in &reads {
        for (who, token) in &can_see {
            let (status, body) = api(&app, token).get(path).await;
            // Progress is a conflict until something is submitted; still visible.
            assert!(
                status == StatusCode::OK
                    || (path.ends_with("/progress") && status == StatusCode::CONFLICT),
                "[{}] {who} GET {path}: {status} {body}",
                app.label
            );
        }
        for (who, token) in &cannot_see {
            let (status, _) = api(&app, token).get(path).await;
            assert_eq!(
                status,
                StatusCode::NOT_FOUND,
                "[{}] {who} GET {path}",
                app.label
            );
        }
        let (status, _) = api(&app, "").get(path).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "anonymous GET {path}");
    }
    // Writes: nobody else can open, rate or submit Ada's assessments.
    let writes: Vec<(Method, String, Value)> = vec![
        (
            Method::POST,
            format!("{base}/assessments"),
            json!({"kind": "self"}),
        ),
        (
            Method::POST,
            format!("{base}/assessments"),
            json!({"kind": "manager"}),
        ),
        (
            Method::PUT,
            format!("{base}/assessments/{own_id}/marks"),
            json!({"marks": []}),
        ),
        (
            Method::POST,
            format!("{base}/assessments/{own_id}/submit"),
            json!({}),
        ),
    ];
    for (method, path, body) in &writes {
        for (who, token) in &cannot_see {
            let (status, _) = api(&app, token)
                .send(method.clone(), path, Some(body.clone()))
                .await;
            assert_eq!(
                status,
                StatusCode::NOT_FOUND,
                "[{}] {who} {method} {path}",
                app.label
            );
        }
    }
    // The manager's draft is private to the manager (and admins) until submitted.
    let manager_draft = format!("{base}/assessments/{manager_id}");
    let (status, _) = ada_api.get(&manager_draft).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api(&app, &admin_token).get(&manager_draft).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = grace_api.get(&manager_draft).await;
    assert_eq!(status, StatusCode::OK);
    // Placing is for admins and managers; members and hiring staff are refused outright.
    for token in [&ken_token, &hiring_token, &interviewer_token, &ada_token] {
        let (status, _) = api(&app, token)
            .post(
                &format!("{base}/placements"),
                json!({"framework": "test-ladder", "level": 1, "target_level": 2}),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    // Submitted, the manager's assessment is Ada's to read, not to change.
    let (status, _) = grace_api
        .post(
            &format!("{base}/assessments/{manager_id}/submit"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = ada_api.get(&manager_draft).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = ada_api
        .send(
            Method::PUT,
            &format!("{base}/assessments/{manager_id}/marks"),
            Some(json!({"marks": []})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // An assessment id under another person's path is not found.
    let (grace_person, _) = (grace.id.clone(), ());
    let (status, _) = api(&app, &admin_token)
        .get(&format!(
            "/api/v1/people/{grace_person}/assessments/{own_id}"
        ))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.stop().await;
}

on_each_database!(nobody_but_the_person_their_manager_and_admins_sees_a_person_route_by_route);

async fn a_new_framework_version_keeps_evidence_for_unchanged_behaviours(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let v1 = import_ladder(&app, false).await;
    let (_, grace_token) = staff(&app, "grace@example.com", Role::Manager).await;
    let (ada, ada_token) = staff(&app, "ada@example.com", Role::Member).await;
    let base = format!("/api/v1/people/{}", ada.id);
    let grace = api(&app, &grace_token);
    let ada_api = api(&app, &ada_token);
    grace
        .post(
            &format!("{base}/placements"),
            json!({"framework": "test-ladder", "level": 1, "target_level": 2}),
        )
        .await;
    let (_, draft) = ada_api
        .post(&format!("{base}/assessments"), json!({"kind": "self"}))
        .await;
    let first = draft["id"].as_str().expect("id").to_string();
    let craft2 = ids(&v1, "craft", 2);
    let rated: Vec<Value> = craft2.iter().map(|id| mark(id, "consistently")).collect();
    ada_api
        .send(
            Method::PUT,
            &format!("{base}/assessments/{first}/marks"),
            Some(json!({ "marks": rated })),
        )
        .await;
    let (status, _) = ada_api
        .post(
            &format!("{base}/assessments/{first}/submit"),
            json!({"as_of": "2026-11-01"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // Version 2 rewords one level-2 behaviour of Craft.
    let v2 = import_ladder(&app, true).await;
    let craft2_v2 = ids(&v2, "craft", 2);
    let reworded: Vec<&String> = craft2_v2.iter().filter(|id| !craft2.contains(id)).collect();
    assert_eq!(
        reworded.len(),
        1,
        "the fixture rewords exactly one behaviour"
    );

    let (status, progress) = ada_api.get(&format!("{base}/progress")).await;
    assert_eq!(status, StatusCode::OK, "[{}] {progress}", app.label);
    assert_eq!(progress["framework_version"], 2);
    let changes = &progress["framework_changes"];
    assert_eq!(changes["from_version"], 1, "{progress}");
    assert_eq!(changes["to_version"], 2);
    assert_eq!(
        changes["changes"]["new_or_changed"][0]["criterion_id"],
        reworded[0].as_str()
    );
    assert_eq!(
        changes["changes"]["new_or_changed"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        changes["changes"]["removed"].as_array().map(Vec::len),
        Some(1)
    );
    // Against version 2 the reworded behaviour is unrated: 3 of 4 Craft behaviours.
    let level2 = progress["progress"]["levels"]
        .as_array()
        .expect("levels")
        .iter()
        .find(|l| l["level"] == 2)
        .cloned()
        .expect("level 2");
    assert_eq!(level2["topics"][0]["consistently"], 3, "{level2}");

    // A new self-assessment carries the evidence of the three unchanged ones.
    let (status, next) = ada_api
        .post(&format!("{base}/assessments"), json!({"kind": "self"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{next}");
    assert_eq!(next["framework_version"], 2);
    assert_eq!(next["carried_from"], first.as_str());
    assert_eq!(next["rated"], 3);
    let (_, detail) = ada_api
        .get(&format!(
            "{base}/assessments/{}",
            next["id"].as_str().expect("id")
        ))
        .await;
    let carried: Vec<&str> = detail["marks"]
        .as_array()
        .expect("marks")
        .iter()
        .filter_map(|m| m["criterion_id"].as_str())
        .collect();
    assert!(!carried.contains(&reworded[0].as_str()));
    assert!(detail["marks"][0]["note"]
        .as_str()
        .is_some_and(|n| n.starts_with("evidence for")));
    app.stop().await;
}

on_each_database!(a_new_framework_version_keeps_evidence_for_unchanged_behaviours);
