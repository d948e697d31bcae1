//! Independent scoring (issue #11, item 4): one rule for the API and the
//! pages — a draft is visible to its author only; an interviewer sees the
//! other interviewers' submitted scorecards, and the overall score, only
//! after submitting their own; hiring managers and admins see submitted
//! scorecards and the overall.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::{client, ids, log_in_to, payments_spec, staff, Api, TestApp};
use ladder_core::access::Role;
use ladder_store::testing::TestDatabase;

on_each_database!(nobody_sees_another_interviewers_scores_before_submitting_their_own);

fn api<'a>(app: &'a TestApp, token: &str) -> Api<'a> {
    Api {
        app,
        token: token.to_string(),
        http: client(),
    }
}

fn card(competencies: &[String], score: u32, notes: &str, submit: bool) -> Value {
    let scores: Vec<Value> = competencies
        .iter()
        .map(|id| json!({"competency_id": id, "score": score, "evidence": notes}))
        .collect();
    json!({
        "scores": scores,
        "must_haves": [
            {"text": "5+ years building production backend systems", "met": true},
            {"text": "Strong SQL and schema design on PostgreSQL", "met": true}
        ],
        "recommendation": "yes",
        "notes": notes,
        "submit": submit,
    })
}

/// Whose scorecards the caller sees, and the overall score they see.
async fn seen(api: &Api<'_>, interview: &str) -> (Vec<String>, Value) {
    let (status, detail) = api.get(&format!("/api/v1/interviews/{interview}")).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    let mut by: Vec<String> = detail["scorecards"]
        .as_array()
        .expect("scorecards")
        .iter()
        .map(|c| c["interviewer_id"].as_str().expect("id").to_string())
        .collect();
    by.sort();
    assert_eq!(detail["interview"]["overall"], detail["overall"]);
    (by, detail["overall"].clone())
}

async fn nobody_sees_another_interviewers_scores_before_submitting_their_own(
    database: TestDatabase,
) {
    let app = TestApp::spawn(database).await;
    let (_, manager) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let (ann, ann_token) = staff(&app, "ann@example.com", Role::Interviewer).await;
    let (bob, bob_token) = staff(&app, "bob@example.com", Role::Interviewer).await;
    let (hm, ann_api, bob_api) = (
        api(&app, &manager),
        api(&app, &ann_token),
        api(&app, &bob_token),
    );
    let (status, spec) = hm.post("/api/v1/job-specs", payments_spec()).await;
    assert_eq!(status, StatusCode::CREATED);
    let spec_id = spec["id"].as_str().expect("id").to_string();
    let (_, published) = hm
        .post(&format!("/api/v1/job-specs/{spec_id}/publish"), json!({}))
        .await;
    let competencies = ids(&published["competencies"]);
    let (status, invited) = hm
        .post(
            &format!("/api/v1/job-specs/{spec_id}/interviews"),
            json!({"candidate_name": "Ada", "candidate_email": "ada@example.com",
                   "interviewers": [ann.id, bob.id]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    let id = invited["interview"]["id"].as_str().expect("id").to_string();
    let scorecards = format!("/api/v1/interviews/{id}/scorecards");

    // Ann drafts; Bob submits.
    let (status, saved) = ann_api
        .post(
            &scorecards,
            card(&competencies, 40, "ANN-DRAFT-NOTE", false),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        saved["overall"],
        Value::Null,
        "no overall before one's own is in"
    );
    let (status, saved) = bob_api
        .post(
            &scorecards,
            card(&competencies, 80, "BOB-SUBMITTED-NOTE", true),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["overall"], "80.0", "submitted: the overall shows");

    // Ann, not yet submitted: her own draft only, no overall.
    assert_eq!(
        seen(&ann_api, &id).await,
        (vec![ann.id.clone()], Value::Null)
    );
    // Bob, submitted: his own, not Ann's draft, and the overall.
    assert_eq!(
        seen(&bob_api, &id).await,
        (vec![bob.id.clone()], json!("80.0"))
    );
    // The hiring manager: submitted scorecards only, and the overall.
    assert_eq!(seen(&hm, &id).await, (vec![bob.id.clone()], json!("80.0")));
    // The list and the results follow the same rule.
    let interviews = format!("/api/v1/job-specs/{spec_id}/interviews");
    let (_, listed) = ann_api.get(&interviews).await;
    assert_eq!(listed[0]["overall"], Value::Null, "{listed}");
    let (_, results) = ann_api
        .get(&format!("/api/v1/job-specs/{spec_id}/results.json"))
        .await;
    assert_eq!(results["rows"][0]["overall"], Value::Null, "{results}");
    assert!(
        results["rows"][0]["scores"]
            .as_object()
            .expect("scores")
            .values()
            .all(Value::is_null),
        "{results}"
    );

    // The page follows the same rule: Ann does not see Bob's notes yet.
    let password = "a long enough password";
    let hash = ladder_server::auth::hash_password(password).expect("hash");
    app.store
        .set_password(&ann.id, &hash, false, None, &ladder_store::Actor::system())
        .await
        .expect("password");
    let http = client();
    let login = log_in_to(&http, &app, "ann@example.com", password, "/").await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    let page = |http: reqwest::Client| {
        let url = app.url(&format!("/interviews/{id}"));
        async move {
            http.get(url)
                .send()
                .await
                .expect("page")
                .text()
                .await
                .expect("html")
        }
    };
    let before = page(http.clone()).await;
    assert!(!before.contains("BOB-SUBMITTED-NOTE"), "{before}");
    assert!(!before.contains("80.0"), "{before}");

    // Once Ann submits, she sees Bob's scorecard and the overall, on the API
    // and the page; Bob now sees hers.
    let (status, saved) = ann_api
        .post(
            &scorecards,
            card(&competencies, 40, "ANN-SUBMITTED-NOTE", true),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["overall"], "60.0");
    let mut both = vec![ann.id.clone(), bob.id.clone()];
    both.sort();
    assert_eq!(seen(&ann_api, &id).await, (both.clone(), json!("60.0")));
    assert_eq!(seen(&bob_api, &id).await, (both.clone(), json!("60.0")));
    assert_eq!(seen(&hm, &id).await, (both, json!("60.0")));
    let after = page(http).await;
    assert!(after.contains("BOB-SUBMITTED-NOTE"), "{after}");
    assert!(after.contains("60.0"), "{after}");
    app.stop().await;
}
