//! The job-spec API over real HTTP on every backend: the seed's spec rebuilt
//! field by field, exact weights, publishing and pinning, items, diffs.

use crate::common::{client, Api, TestApp};
use ladder_core::access::Role;
use ladder_store::testing::TestDatabase;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn seed_spec() -> Value {
    json!({
        "title": "Senior Backend Engineer — Payments Platform",
        "seniority": "senior",
        "description": "Own the services that move money: ledgers, payment state machines and reconciliation.",
        "framework": {"slug": "engineering-backend", "level": 4},
        "competencies": [
            {"name": "Distributed Systems Rigor", "weight": 0.35, "definition": "Consensus, ordering and idempotent design. For this role: payment state machines that recover from every failure."},
            {"name": "Postgres Transactional Design", "weight": "0.25", "definition": "Schema design for high-throughput financial data. For this role: double-entry ledgers."},
            {"name": "Domain Ownership & Reliability", "weight": "25%", "definition": "Accountability for production systems. For this role: lead incident response on money movement."},
            {"name": "Payments Domain Expertise", "id": "payments_domain_expertise", "weight": 0.15, "definition": "Card, ACH and wire rails. For this role: settlement and reconciliation."}
        ],
        "must_haves": [
            {"text": "5+ years building production backend systems", "required": true},
            {"text": "Strong SQL and schema design on PostgreSQL", "required": true},
            {"text": "Distributed systems fundamentals", "required": true},
            {"text": "Owned incidents and postmortems", "required": true}
        ]
    })
}

async fn the_seed_spec_is_rebuilt_published_and_versioned(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let api = Api {
        app: &app,
        token: app.token(Role::HiringManager).await,
        http: client(),
    };
    let (status, spec) = api.post("/api/v1/job-specs", seed_spec()).await;
    assert_eq!(status, StatusCode::CREATED, "[{}] {spec}", app.label);
    let id = spec["id"].as_str().expect("id").to_string();
    assert_eq!(spec["status"], "draft");
    assert_eq!(spec["label"], Value::Null);
    let ids: Vec<&str> = spec["competencies"]
        .as_array()
        .expect("competencies")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        vec![
            "distributed_systems_rigor",
            "postgres_transactional_design",
            "domain_ownership_and_reliability",
            "payments_domain_expertise"
        ]
    );
    let weights: Vec<(&str, &str)> = spec["competencies"]
        .as_array()
        .expect("competencies")
        .iter()
        .map(|c| {
            (
                c["weight"].as_str().unwrap_or(""),
                c["weight_percent"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        weights,
        vec![
            ("0.35", "35%"),
            ("0.25", "25%"),
            ("0.25", "25%"),
            ("0.15", "15%")
        ]
    );
    assert_eq!(
        (spec["total_weight"].as_str(), spec["balanced"].as_bool()),
        (Some("1.00"), Some(true))
    );
    assert_eq!(spec["round1"].as_array().map(Vec::len), Some(3));
    assert_eq!(spec["round2"].as_array().map(Vec::len), Some(4));
    assert_eq!(spec["candidate_sees"]["round1"], 0, "nothing published yet");
    for item in spec["round1"]
        .as_array()
        .expect("round1")
        .iter()
        .chain(spec["round2"].as_array().expect("round2"))
    {
        assert!(
            item["origin"]
                .as_str()
                .is_some_and(|o| o.starts_with("generated:")),
            "{item}"
        );
        assert!(
            item["competency_id"]
                .as_str()
                .is_some_and(|c| ids.contains(&c)),
            "{item}"
        );
    }
    let texts: Vec<&str> = spec["round1"]
        .as_array()
        .expect("r1")
        .iter()
        .filter_map(|i| i["text"].as_str())
        .collect();
    let mut unique = texts.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), texts.len(), "never the same question twice");

    let (status, published) = api
        .post(&format!("/api/v1/job-specs/{id}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{published}");
    let label = published["label"].as_str().expect("label").to_string();
    assert!(label.starts_with("v1-") && label.len() == 10, "{label}");
    assert!(label[3..]
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    assert_eq!(published["candidate_sees"]["round1"], 3);
    assert_eq!(published["candidate_sees"]["round2"], 4);
    let (status, _) = api
        .post(&format!("/api/v1/job-specs/{id}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "nothing left to publish");

    // Editing a published spec makes a draft v2; an unbalanced draft saves
    // but cannot be published, and the error names the weights.
    let mut competencies = published["competencies"].clone();
    competencies[0]["weight"] = json!("0.30");
    let (status, draft) = api
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/job-specs/{id}"),
            Some(json!({"competencies": competencies})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{draft}");
    assert_eq!(
        (draft["version"].as_u64(), draft["status"].as_str()),
        (Some(2), Some("draft"))
    );
    assert_eq!(draft["balance_message"], "Total weight: 0.95 — add 0.05");
    let (status, refused) = api
        .post(&format!("/api/v1/job-specs/{id}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["error"]["field"], "competencies[].weight");
    assert!(refused["error"]["message"]
        .as_str()
        .unwrap_or("")
        .starts_with("Total weight: 0.95 — add 0.05"));

    competencies[3]["weight"] = json!("20%");
    let (status, _) = api
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/job-specs/{id}"),
            Some(json!({"competencies": competencies})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, second) = api
        .post(&format!("/api/v1/job-specs/{id}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert!(second["label"]
        .as_str()
        .is_some_and(|l| l.starts_with("v2-")));

    // Version 1 is unchanged forever, by number and by label.
    let (_, first) = api.get(&format!("/api/v1/job-specs/{id}?version=1")).await;
    assert_eq!(first["competencies"][0]["weight"], "0.35");
    let (_, by_label) = api
        .get(&format!("/api/v1/job-specs/{id}?version={label}"))
        .await;
    assert_eq!(by_label["version"], 1);
    let (_, diff) = api
        .get(&format!("/api/v1/job-specs/{id}/diff?from=1&to=2"))
        .await;
    let changes = diff["changes"].as_array().expect("changes");
    assert!(
        changes.iter().any(|c| c["area"] == "weight"
            && c["key"] == "distributed_systems_rigor"
            && c["from"] == "0.35"
            && c["to"] == "0.30"),
        "{diff}"
    );
    let (_, versions) = api.get(&format!("/api/v1/job-specs/{id}/versions")).await;
    assert_eq!(versions.as_array().map(Vec::len), Some(2));

    let admin = app.token(Role::Admin).await;
    let audit: Value = client()
        .get(app.url("/api/v1/audit?limit=200"))
        .bearer_auth(admin)
        .send()
        .await
        .expect("audit")
        .json()
        .await
        .expect("json");
    let weight_changes = audit
        .as_array()
        .expect("audit")
        .iter()
        .filter(|a| a["action"] == "jobspec.weight")
        .count();
    assert_eq!(weight_changes, 2, "{audit}");
    app.stop().await;
}

on_each_database!(the_seed_spec_is_rebuilt_published_and_versioned);

async fn malformed_input_gets_precise_errors_and_changes_nothing(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let api = Api {
        app: &app,
        token: app.token(Role::Admin).await,
        http: client(),
    };
    let mut duplicate = seed_spec();
    duplicate["competencies"][1]["id"] = json!("distributed_systems_rigor");
    let (status, error) = api.post("/api/v1/job-specs", duplicate).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert_eq!(error["error"]["field"], "competencies[1].id");

    let mut malformed = seed_spec();
    malformed["competencies"][2]["id"] = json!("Domain-Ownership");
    let (_, error) = api.post("/api/v1/job-specs", malformed).await;
    assert_eq!(error["error"]["field"], "competencies[2].id");

    let mut bad_weight = seed_spec();
    bad_weight["competencies"][0]["weight"] = json!("35 percent");
    let (status, error) = api.post("/api/v1/job-specs", bad_weight).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["error"]["field"], "competencies[0].weight");

    let mut no_framework = seed_spec();
    no_framework["framework"] = json!({"slug": "nope", "level": 1});
    let (_, error) = api.post("/api/v1/job-specs", no_framework).await;
    assert_eq!(error["error"]["field"], "framework.slug");

    let (status, listed) = api.get("/api/v1/job-specs").await;
    assert_eq!(
        (status, listed.as_array().map(Vec::len)),
        (StatusCode::OK, Some(0)),
        "nothing was created"
    );

    // Starting from a framework level proposes competencies with exact,
    // equal weights.
    let (status, proposed) = api
        .post("/api/v1/job-specs", json!({"title": "Backend Engineer", "framework": {"slug": "engineering-backend", "level": 3}, "questions": 5, "prompts": 2}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{proposed}");
    assert_eq!(proposed["competencies"].as_array().map(Vec::len), Some(5));
    assert_eq!(proposed["total_weight"], "1.00");
    assert_eq!(proposed["round1"].as_array().map(Vec::len), Some(5));
    assert_eq!(proposed["round2"].as_array().map(Vec::len), Some(2));
    let (_, bad_level) = api
        .post(
            "/api/v1/job-specs",
            json!({"title": "X", "framework": {"slug": "engineering-backend", "level": 9}}),
        )
        .await;
    assert_eq!(bad_level["error"]["field"], "framework.level");

    let interviewer = Api {
        app: &app,
        token: app.token(Role::Interviewer).await,
        http: client(),
    };
    assert_eq!(interviewer.get("/api/v1/job-specs").await.0, StatusCode::OK);
    assert_eq!(
        interviewer.post("/api/v1/job-specs", seed_spec()).await.0,
        StatusCode::FORBIDDEN
    );
    let member = Api {
        app: &app,
        token: app.token(Role::Member).await,
        http: client(),
    };
    assert_eq!(
        member.get("/api/v1/job-specs").await.0,
        StatusCode::FORBIDDEN
    );
    app.stop().await;
}

on_each_database!(malformed_input_gets_precise_errors_and_changes_nothing);

async fn round_items_are_edited_reordered_and_regenerated(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let api = Api {
        app: &app,
        token: app.token(Role::HiringManager).await,
        http: client(),
    };
    let (_, spec) = api.post("/api/v1/job-specs", seed_spec()).await;
    let id = spec["id"].as_str().expect("id").to_string();
    let items = |spec: &Value, round: &str| -> Vec<(String, String, String)> {
        spec[round]
            .as_array()
            .map(|all| {
                all.iter()
                    .map(|i| {
                        (
                            i["id"].as_str().unwrap_or("").to_string(),
                            i["text"].as_str().unwrap_or("").to_string(),
                            i["origin"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let before = items(&spec, "round2");

    let first = &before[0].0;
    let (status, edited) = api
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/job-specs/{id}/rounds/2/items/{first}"),
            Some(json!({"text": "Tell me about the hardest incident you led."})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(items(&edited, "round2")[0].2, "edited");

    let (status, added) = api
        .post(
            &format!("/api/v1/job-specs/{id}/rounds/2/items"),
            json!({"text": "Describe a reconciliation bug you found."}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(items(&added, "round2").len(), 5);
    let (status, _) = api
        .post(
            &format!("/api/v1/job-specs/{id}/rounds/2/items"),
            json!({"text": "describe a reconciliation bug you found"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "no duplicates");

    let mut order: Vec<String> = items(&added, "round2").into_iter().map(|i| i.0).collect();
    order.reverse();
    let (status, reordered) = api
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/job-specs/{id}/rounds/2/order"),
            Some(json!({"ids": order})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        items(&reordered, "round2")
            .into_iter()
            .map(|i| i.0)
            .collect::<Vec<_>>(),
        order
    );
    let (status, error) = api
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/job-specs/{id}/rounds/2/order"),
            Some(json!({"ids": ["q-nope"]})),
        )
        .await;
    assert_eq!(
        (status, error["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("ids"))
    );

    // Regenerating all keeps the hand-edited items and replaces the rest
    // with questions never asked before.
    let (status, regenerated) = api
        .post(
            &format!("/api/v1/job-specs/{id}/rounds/2/regenerate"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{regenerated}");
    let after = items(&regenerated, "round2");
    for (before_item, after_item) in items(&reordered, "round2").iter().zip(&after) {
        if before_item.2 == "edited" {
            assert_eq!(before_item, after_item, "edited items are kept in place");
        } else {
            assert_ne!(before_item.1, after_item.1, "generated items are replaced");
        }
    }
    let (status, forced) = api
        .post(
            &format!("/api/v1/job-specs/{id}/rounds/2/regenerate"),
            json!({"keep_edited": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(items(&forced, "round2")
        .iter()
        .all(|i| i.2.starts_with("generated:")));

    let target = items(&forced, "round1")[1].0.clone();
    let (_, one) = api
        .post(
            &format!("/api/v1/job-specs/{id}/rounds/1/regenerate"),
            json!({"item_id": target}),
        )
        .await;
    let round1 = items(&one, "round1");
    assert_eq!(round1.len(), 3);
    assert_ne!(round1[1].0, target);
    assert_eq!(
        round1[0],
        items(&forced, "round1")[0],
        "other items untouched"
    );

    let (status, deleted) = api
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/job-specs/{id}/rounds/1/items/{}", round1[0].0),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(items(&deleted, "round1").len(), 2);
    let (status, _) = api
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/job-specs/{id}/rounds/1/items/q-missing"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api
        .get(&format!("/api/v1/job-specs/{id}/rounds/3/items"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.stop().await;
}

on_each_database!(round_items_are_edited_reordered_and_regenerated);

/// Each slot offers three other wordings for its competency; choosing one
/// puts it in the slot with its grounding and verdict; a choice made on a
/// stale list is refused; regenerating one item keeps its competency.
async fn a_slot_offers_alternatives_and_takes_the_one_chosen(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let api = Api {
        app: &app,
        token: app.token(Role::HiringManager).await,
        http: client(),
    };
    let (_, spec) = api.post("/api/v1/job-specs", seed_spec()).await;
    let id = spec["id"].as_str().expect("id").to_string();
    for round in [1, 2] {
        let field = format!("round{round}");
        let item = spec[&field][0].clone();
        let item_id = item["id"].as_str().expect("item id").to_string();
        let path = format!("/api/v1/job-specs/{id}/rounds/{round}/items/{item_id}");
        let (status, listed) = api.get(&format!("{path}/alternatives")).await;
        assert_eq!(status, StatusCode::OK, "[{}] {listed}", app.label);
        let offered = listed["alternatives"]
            .as_array()
            .expect("alternatives")
            .clone();
        assert_eq!(offered.len(), 3, "{listed}");
        let current: Vec<&str> = spec[&field]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["text"].as_str())
            .collect();
        for other in &offered {
            let text = other["text"].as_str().unwrap_or_default();
            assert!(!current.contains(&text), "{text} is already in the round");
            assert_eq!(other["competency_id"], item["competency_id"]);
            assert_eq!(other["quality"]["passed"], true, "{other}");
            assert!(!other["grounding"].as_array().expect("grounding").is_empty());
        }

        let chosen = offered[1]["text"].as_str().expect("text").to_string();
        let (status, saved) = api
            .post(&format!("{path}/choose"), json!({"text": chosen}))
            .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
        assert_eq!(saved[&field][0]["text"], chosen.as_str());
        assert_eq!(saved[&field][0]["grounding"], offered[1]["grounding"]);
        assert!(saved[&field][0]["origin"]
            .as_str()
            .unwrap_or_default()
            .starts_with("generated:"));
        assert_eq!(saved[&field][1], spec[&field][1], "other items untouched");

        // The old slot id is gone; and a text that is not offered is refused.
        let (status, _) = api
            .post(&format!("{path}/choose"), json!({"text": chosen}))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let new_id = saved[&field][0]["id"].as_str().expect("id").to_string();
        let new_path = format!("/api/v1/job-specs/{id}/rounds/{round}/items/{new_id}");
        let (status, error) = api
            .post(
                &format!("{new_path}/choose"),
                json!({"text": "How would you make tea?"}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{error}");
        assert_eq!(error["error"]["code"], "alternatives_changed");

        // Regenerating that one item: a new text for the same competency.
        let (status, regenerated) = api
            .post(
                &format!("/api/v1/job-specs/{id}/rounds/{round}/regenerate"),
                json!({"item_id": new_id}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{regenerated}");
        assert_ne!(regenerated[&field][0]["text"], saved[&field][0]["text"]);
        assert_eq!(
            regenerated[&field][0]["competency_id"],
            item["competency_id"]
        );
    }
    app.stop().await;
}

on_each_database!(a_slot_offers_alternatives_and_takes_the_one_chosen);
