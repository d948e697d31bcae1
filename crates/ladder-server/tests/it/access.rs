//! Authorisation and sessions: every route walked with every role against a
//! hand-written route × role matrix, the changes only hiring managers and
//! admins may make refused to everyone else through the real API, the login
//! flow with cookies and CSRF, forced password change, and login rate limits.

use crate::common::{client, csrf_in, payments_spec, staff, Api, TestApp};
use ladder_core::access::Role;
use ladder_server::{route_table, RouteKind, ServerConfig};
use ladder_store::testing::TestDatabase;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// When an anonymous caller may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anonymous {
    Always,
    /// Only while an admin has public browsing on.
    WhenPublic,
    Never,
}

/// Who may call a route, as the README promises it: anonymous callers, and
/// the signed-in roles let through. Finer rules (which interview, which
/// person) are the handlers' and have their own tests; this is the role
/// gate every request passes first.
#[derive(Debug, Clone, Copy)]
struct Who {
    anonymous: Anonymous,
    roles: &'static [Role],
}

impl Who {
    fn admits(self, caller: Option<Role>, public_browsing: bool) -> bool {
        match caller {
            None => match self.anonymous {
                Anonymous::Always => true,
                Anonymous::WhenPublic => public_browsing,
                Anonymous::Never => false,
            },
            Some(role) => self.roles.contains(&role),
        }
    }
}

use Role::{Admin, HiringManager, Interviewer, Manager, Member};

const EVERY_ROLE: &[Role] = &[Admin, HiringManager, Interviewer, Member, Manager];

/// Anyone, logged in or not: health, metrics, the API document, static
/// files, the login form.
const ANYONE: Who = Who {
    anonymous: Anonymous::Always,
    roles: EVERY_ROLE,
};
/// "browse¹": anyone when public browsing is on, otherwise any logged-in user.
const BROWSE: Who = Who {
    anonymous: Anonymous::WhenPublic,
    roles: EVERY_ROLE,
};
/// Any logged-in user, whatever the role.
const ANY_USER: Who = Who {
    anonymous: Anonymous::Never,
    roles: EVERY_ROLE,
};
/// "the person, their manager, admins": every user passes the role gate;
/// for anybody else the person does not exist (404, tested in `people_api`).
const PEOPLE: Who = ANY_USER;
/// "the assessment's author": any user at the gate, the author by the handler.
const AUTHOR: Who = ANY_USER;
/// "the candidate link only": the secret in the path is the credential, so
/// no account is needed and public browsing does not matter.
const CANDIDATE_LINK: Who = ANYONE;
/// "admin".
const ADMIN: Who = Who {
    anonymous: Anonymous::Never,
    roles: &[Admin],
};
/// "interviewer+": interviewers, hiring managers, admins.
const INTERVIEWER_UP: Who = Who {
    anonymous: Anonymous::Never,
    roles: &[Admin, HiringManager, Interviewer],
};
/// "assigned interviewer, hiring manager, admin": interviewers pass the gate;
/// only those assigned to the interview get further (tested in
/// `interviews_api`).
const ASSIGNED: Who = INTERVIEWER_UP;
/// "hiring manager, admin": creating, editing and publishing job specs,
/// their items, inviting, assigning and withdrawing.
const HIRING: Who = Who {
    anonymous: Anonymous::Never,
    roles: &[Admin, HiringManager],
};
/// "manager, admin": placing people on a framework.
const PLACERS: Who = Who {
    anonymous: Anonymous::Never,
    roles: &[Admin, Manager],
};

/// Every route the server has, and who may call it — written out by hand
/// from the README, never derived from the server's own declarations.
#[rustfmt::skip]
const MATRIX: &[(&str, &str, Who)] = &[
    // Health, metrics, the API document, the web app's files, logging in.
    ("GET", "/healthz", ANYONE),
    ("GET", "/readyz", ANYONE),
    ("GET", "/metrics", ANYONE),
    ("GET", "/api/v1/openapi.json", ANYONE),
    ("GET", "/static/app.css", ANYONE),
    ("GET", "/static/app.js", ANYONE),
    ("GET", "/login", ANYONE),
    ("POST", "/login", ANYONE),
    // Frameworks.
    ("GET", "/api/v1/frameworks", BROWSE),
    ("GET", "/api/v1/frameworks/{slug}", BROWSE),
    ("GET", "/api/v1/frameworks/{slug}/versions", BROWSE),
    ("GET", "/api/v1/frameworks/{slug}/compare", BROWSE),
    ("GET", "/api/v1/search", BROWSE),
    ("POST", "/api/v1/frameworks", ADMIN),
    ("GET", "/", BROWSE),
    ("GET", "/frameworks/{slug}", BROWSE),
    ("GET", "/frameworks/{slug}/compare", BROWSE),
    ("GET", "/search", BROWSE),
    // Accounts, users, settings, audit.
    ("GET", "/api/v1/me", ANY_USER),
    // One's own API tokens (admins may list and revoke anyone's).
    ("GET", "/api/v1/tokens", ANY_USER),
    ("DELETE", "/api/v1/tokens/{id}", ANY_USER),
    ("POST", "/logout", ANY_USER),
    ("GET", "/account", ANY_USER),
    ("POST", "/account/tokens/{id}/revoke", ANY_USER),
    ("GET", "/account/password", ANY_USER),
    ("POST", "/account/password", ANY_USER),
    ("GET", "/api/v1/users", ADMIN),
    ("POST", "/api/v1/users", ADMIN),
    ("PATCH", "/api/v1/users/{id}", ADMIN),
    ("GET", "/api/v1/settings", ADMIN),
    ("PUT", "/api/v1/settings", ADMIN),
    ("GET", "/api/v1/audit", ADMIN),
    ("GET", "/admin/users", ADMIN),
    ("POST", "/admin/users", ADMIN),
    ("POST", "/admin/users/{id}/role", ADMIN),
    ("POST", "/admin/users/{id}/disable", ADMIN),
    ("POST", "/admin/settings", ADMIN),
    // Job specs: interviewers read, hiring managers and admins change.
    ("GET", "/api/v1/job-specs", INTERVIEWER_UP),
    ("GET", "/api/v1/job-specs/{id}", INTERVIEWER_UP),
    ("POST", "/api/v1/job-specs", HIRING),
    ("PUT", "/api/v1/job-specs/{id}", HIRING),
    ("POST", "/api/v1/job-specs/{id}/publish", HIRING),
    ("GET", "/api/v1/job-specs/{id}/versions", INTERVIEWER_UP),
    ("GET", "/api/v1/job-specs/{id}/diff", INTERVIEWER_UP),
    ("GET", "/api/v1/job-specs/{id}/rounds/{round}/items", INTERVIEWER_UP),
    ("POST", "/api/v1/job-specs/{id}/rounds/{round}/items", HIRING),
    ("PATCH", "/api/v1/job-specs/{id}/rounds/{round}/items/{item_id}", HIRING),
    ("DELETE", "/api/v1/job-specs/{id}/rounds/{round}/items/{item_id}", HIRING),
    ("PUT", "/api/v1/job-specs/{id}/rounds/{round}/order", HIRING),
    ("POST", "/api/v1/job-specs/{id}/rounds/{round}/regenerate", HIRING),
    ("GET", "/api/v1/job-specs/{id}/rounds/{round}/items/{item_id}/alternatives", HIRING),
    ("POST", "/api/v1/job-specs/{id}/rounds/{round}/items/{item_id}/choose", HIRING),
    ("GET", "/job-specs", INTERVIEWER_UP),
    ("GET", "/job-specs/{id}", INTERVIEWER_UP),
    ("GET", "/job-specs/{id}/versions", INTERVIEWER_UP),
    ("GET", "/job-specs/{id}/diff", INTERVIEWER_UP),
    ("GET", "/job-specs/new", HIRING),
    ("POST", "/job-specs", HIRING),
    ("POST", "/job-specs/{id}/publish", HIRING),
    ("GET", "/job-specs/{id}/edit", HIRING),
    ("POST", "/job-specs/{id}/edit", HIRING),
    ("POST", "/job-specs/{id}/rounds/{round}/items", HIRING),
    ("POST", "/job-specs/{id}/rounds/{round}/items/{item_id}", HIRING),
    ("POST", "/job-specs/{id}/rounds/{round}/items/{item_id}/delete", HIRING),
    ("POST", "/job-specs/{id}/rounds/{round}/items/{item_id}/move", HIRING),
    ("POST", "/job-specs/{id}/rounds/{round}/regenerate", HIRING),
    ("GET", "/job-specs/{id}/rounds/{round}/items/{item_id}/alternatives", HIRING),
    ("POST", "/job-specs/{id}/rounds/{round}/items/{item_id}/choose", HIRING),
    // Interviews: hiring managers and admins invite, assign and withdraw;
    // interviewers read figures and fill the scorecards of their interviews.
    ("GET", "/api/v1/job-specs/{id}/interviews", INTERVIEWER_UP),
    ("POST", "/api/v1/job-specs/{id}/interviews", HIRING),
    ("POST", "/api/v1/job-specs/{id}/interviews/csv", HIRING),
    ("GET", "/api/v1/job-specs/{id}/performance", INTERVIEWER_UP),
    ("GET", "/api/v1/job-specs/{id}/results.csv", INTERVIEWER_UP),
    ("GET", "/api/v1/job-specs/{id}/results.json", INTERVIEWER_UP),
    ("GET", "/api/v1/interviews/{id}", ASSIGNED),
    ("POST", "/api/v1/interviews/{id}/scorecards", ASSIGNED),
    ("POST", "/api/v1/interviews/{id}/scorecards/automated", ASSIGNED),
    ("GET", "/api/v1/interviews/{id}/audio/{audio_id}", ASSIGNED),
    ("POST", "/api/v1/interviews/{id}/interviewers", HIRING),
    ("POST", "/api/v1/interviews/{id}/withdraw", HIRING),
    ("POST", "/api/v1/interviews/{id}/link/extend", HIRING),
    ("POST", "/api/v1/interviews/{id}/link/replace", HIRING),
    ("GET", "/job-specs/{id}/interviews", INTERVIEWER_UP),
    ("POST", "/job-specs/{id}/interviews", HIRING),
    ("POST", "/job-specs/{id}/interviews/csv", HIRING),
    ("GET", "/job-specs/{id}/performance", INTERVIEWER_UP),
    ("POST", "/interviews/{id}/withdraw", HIRING),
    ("POST", "/interviews/{id}/link/extend", HIRING),
    ("POST", "/interviews/{id}/link/replace", HIRING),
    ("GET", "/interviews/{id}", ASSIGNED),
    ("POST", "/interviews/{id}/scorecard", ASSIGNED),
    ("POST", "/interviews/{id}/scorecard/automated", ASSIGNED),
    // The candidate's side.
    ("GET", "/api/v1/candidate/{token}", CANDIDATE_LINK),
    ("POST", "/api/v1/candidate/{token}/answers", CANDIDATE_LINK),
    ("PUT", "/api/v1/candidate/{token}/drafts", CANDIDATE_LINK),
    ("POST", "/api/v1/candidate/{token}/finish", CANDIDATE_LINK),
    ("POST", "/api/v1/candidate/{token}/audio", CANDIDATE_LINK),
    ("GET", "/api/v1/candidate/{token}/audio/{audio_id}", CANDIDATE_LINK),
    ("GET", "/candidate/{token}", CANDIDATE_LINK),
    ("POST", "/candidate/{token}/answers", CANDIDATE_LINK),
    ("POST", "/candidate/{token}/finish", CANDIDATE_LINK),
    // Progression: every user has a record of their own; managers and admins
    // place people.
    ("GET", "/api/v1/people", ANY_USER),
    ("GET", "/api/v1/people/{id}", PEOPLE),
    ("GET", "/api/v1/people/{id}/placements", PEOPLE),
    ("POST", "/api/v1/people/{id}/placements", PLACERS),
    ("GET", "/api/v1/people/{id}/assessments", PEOPLE),
    ("POST", "/api/v1/people/{id}/assessments", PEOPLE),
    ("GET", "/api/v1/people/{id}/assessments/{assessment_id}", PEOPLE),
    ("PUT", "/api/v1/people/{id}/assessments/{assessment_id}/marks", AUTHOR),
    ("POST", "/api/v1/people/{id}/assessments/{assessment_id}/submit", AUTHOR),
    ("GET", "/api/v1/people/{id}/assessments/{assessment_id}/export", PEOPLE),
    ("GET", "/api/v1/people/{id}/progress", PEOPLE),
    ("GET", "/people", ANY_USER),
    ("POST", "/people", PLACERS),
    ("GET", "/people/{id}", PEOPLE),
    ("POST", "/people/{id}/placements", PLACERS),
    ("POST", "/people/{id}/assessments", PEOPLE),
    ("GET", "/people/{id}/assessments/{assessment_id}", PEOPLE),
    ("POST", "/people/{id}/assessments/{assessment_id}", AUTHOR),
    ("POST", "/people/{id}/assessments/{assessment_id}/submit", AUTHOR),
];

/// The README: the JSON API is under `/api/v1`, next to `/healthz`,
/// `/readyz` and `/metrics`; everything else is the web app.
fn expected_kind(path: &str) -> RouteKind {
    if path.starts_with("/api/v1/") || ["/healthz", "/readyz", "/metrics"].contains(&path) {
        RouteKind::Api
    } else {
        RouteKind::Page
    }
}

#[test]
fn the_matrix_lists_every_route_once_and_only_real_ones() {
    let mut problems = matrix_against_route_table();
    for (index, (method, path, _)) in MATRIX.iter().enumerate() {
        if MATRIX[index + 1..]
            .iter()
            .any(|(m, p, _)| m == method && p == path)
        {
            problems.push(format!("{method} {path} is listed twice in the matrix"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Routes the server has that the matrix does not list, routes the matrix
/// lists that the server does not have, and routes of the wrong kind.
fn matrix_against_route_table() -> Vec<String> {
    let table = route_table();
    let mut problems = Vec::new();
    for spec in &table {
        if !MATRIX
            .iter()
            .any(|(method, path, _)| *method == spec.method && *path == spec.path)
        {
            problems.push(format!(
                "{} {} is served but not in the hand-written matrix: add it with who may call it",
                spec.method, spec.path
            ));
        }
        if spec.kind != expected_kind(&spec.path) {
            problems.push(format!(
                "{} {} is a {:?} route; the README makes it {:?}",
                spec.method,
                spec.path,
                spec.kind,
                expected_kind(&spec.path)
            ));
        }
    }
    for (method, path, _) in MATRIX {
        if !table
            .iter()
            .any(|spec| spec.method == *method && spec.path == *path)
        {
            problems.push(format!(
                "{method} {path} is in the matrix but the server has no such route"
            ));
        }
    }
    problems
}

/// How the server answered one request, as far as access goes.
#[derive(Debug, PartialEq, Eq)]
enum Answer {
    /// Refused the way the route's kind refuses: API 401 (anonymous) or 403
    /// (signed in) with a JSON error; pages send anonymous visitors to the
    /// login page and show signed-in users a 403 page.
    Denied,
    /// Refused, but not the way this kind of route refuses.
    MisshapenDenial(String),
    /// Let through (whatever the handler then made of the request).
    Served,
}

async fn answer(kind: RouteKind, anonymous: bool, response: reqwest::Response) -> Answer {
    let status = response.status();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let location = header("location");
    let content_type = header("content-type");
    let to_login = status.is_redirection() && location.starts_with("/login");
    if !(status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN || to_login) {
        return Answer::Served;
    }
    let body = response.text().await.unwrap_or_default();
    let code = serde_json::from_str::<Value>(&body)
        .ok()
        .and_then(|v| v["error"]["code"].as_str().map(str::to_string));
    let expected = match (kind, anonymous) {
        (RouteKind::Api, true) => {
            status == StatusCode::UNAUTHORIZED && code.as_deref() == Some("unauthorized")
        }
        (RouteKind::Api, false) => {
            status == StatusCode::FORBIDDEN && code.as_deref() == Some("forbidden")
        }
        (RouteKind::Page, true) => {
            status == StatusCode::SEE_OTHER && location.starts_with("/login?next=")
        }
        (RouteKind::Page, false) => {
            status == StatusCode::FORBIDDEN && content_type.starts_with("text/html")
        }
    };
    if expected {
        Answer::Denied
    } else {
        Answer::MisshapenDenial(format!(
            "{status}, location {location:?}, content type {content_type:?}, error code {code:?}"
        ))
    }
}

async fn every_route_with_every_role(database: TestDatabase) {
    let problems = matrix_against_route_table();
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    let app = TestApp::spawn(database).await;
    let mut callers: Vec<(Option<Role>, Option<String>)> = vec![(None, None)];
    for role in Role::ALL {
        callers.push((Some(role), Some(app.token(role).await)));
    }
    // A user the admin routes can act on without touching the callers.
    let target = app
        .user("target@example.com", Role::Member, "target password")
        .await;
    let admin = app.token(Role::Admin).await;
    let http = client();
    let mut wrong = Vec::new();
    for public in [true, false] {
        for spec in route_table() {
            // Set before every route: the admin's own calls (an empty
            // settings form) may have changed it.
            let put = http
                .put(app.url("/api/v1/settings"))
                .bearer_auth(&admin)
                .json(&json!({ "public_browsing": public }))
                .send()
                .await
                .expect("settings");
            assert_eq!(put.status(), StatusCode::OK);
            let who = MATRIX
                .iter()
                .find(|(method, path, _)| *method == spec.method && *path == spec.path)
                .map(|(_, _, who)| *who)
                .expect("checked above");
            let path = spec
                .path
                .replace("{slug}", "engineering-backend")
                .replace("{id}", &target.id);
            for (role, token) in &callers {
                let method = Method::from_bytes(spec.method.as_bytes()).expect("method");
                let mut request = http.request(method, app.url(&path));
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                if spec.method != "GET" {
                    request = request
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body("");
                }
                let response = request.send().await.expect("request");
                let status = response.status();
                let caller = role.map_or("anonymous", Role::as_str);
                let context = format!(
                    "{} {} as {caller} (public browsing {})",
                    spec.method,
                    spec.path,
                    if public { "on" } else { "off" }
                );
                if status.is_server_error() {
                    wrong.push(format!("{context}: {status}"));
                }
                let expected = who.admits(*role, public);
                match answer(spec.kind, role.is_none(), response).await {
                    Answer::Served if expected => {}
                    Answer::Denied if !expected => {}
                    Answer::Served => wrong.push(format!(
                        "{context}: let through ({status}), expected denied"
                    )),
                    Answer::Denied => wrong.push(format!(
                        "{context}: denied ({status}), expected let through"
                    )),
                    Answer::MisshapenDenial(how) => wrong.push(format!(
                        "{context}: refused as {how}, which is not how a {:?} route refuses{}",
                        spec.kind,
                        if expected {
                            " (and expected let through)"
                        } else {
                            ""
                        }
                    )),
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "[{}] {} answers differ from the README's matrix:\n{}",
        app.label,
        wrong.len(),
        wrong.join("\n")
    );
    app.stop().await;
}

on_each_database!(every_route_with_every_role);

/// A request body for [`attempt`].
enum Body {
    Json(Value),
    Csv(&'static str),
}

async fn attempt(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Body,
) -> (StatusCode, Value) {
    let mut request = client().request(method, app.url(path)).bearer_auth(token);
    request = match body {
        Body::Json(value) => request.json(&value),
        Body::Csv(text) => request.header("content-type", "text/csv").body(text),
    };
    let response = request.send().await.expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A response body short enough for a failure message.
fn brief(body: &Value) -> String {
    let text = body.to_string();
    match text.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// Everything the refused changes below could have touched, as a hiring
/// manager and an admin see it.
async fn hiring_state(
    hm: &Api<'_>,
    admin: &Api<'_>,
    published: &str,
    draft: &str,
    interview: &str,
) -> Vec<Value> {
    let mut seen = Vec::new();
    for path in [
        format!("/api/v1/job-specs/{draft}"),
        format!("/api/v1/job-specs/{draft}/versions"),
        format!("/api/v1/job-specs/{published}"),
        format!("/api/v1/job-specs/{published}/versions"),
        format!("/api/v1/job-specs/{published}/interviews"),
        format!("/api/v1/interviews/{interview}"),
        "/api/v1/job-specs".to_string(),
    ] {
        let (status, body) = hm.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        seen.push(body);
    }
    let (status, audit) = admin.get("/api/v1/audit?limit=1000").await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    seen.push(audit);
    seen
}

async fn only_hiring_managers_and_admins_change_hiring(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let label = app.label;
    let (_, hm_token) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let (assigned, assigned_token) = staff(&app, "iv1@example.com", Role::Interviewer).await;
    let (outsider, outsider_token) = staff(&app, "iv2@example.com", Role::Interviewer).await;
    let (_, member_token) = staff(&app, "member@example.com", Role::Member).await;
    let (_, manager_token) = staff(&app, "manager@example.com", Role::Manager).await;
    let hm = Api {
        app: &app,
        token: hm_token.clone(),
        http: client(),
    };
    let admin = Api {
        app: &app,
        token: app.token(Role::Admin).await,
        http: client(),
    };

    // A published spec with an open interview, and a balanced draft that
    // could be published.
    let (status, spec) = hm.post("/api/v1/job-specs", payments_spec()).await;
    assert_eq!(status, StatusCode::CREATED, "{spec}");
    let published = spec["id"].as_str().expect("id").to_string();
    let (status, body) = hm
        .post(&format!("/api/v1/job-specs/{published}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, spec) = hm.post("/api/v1/job-specs", payments_spec()).await;
    assert_eq!(status, StatusCode::CREATED, "{spec}");
    let draft = spec["id"].as_str().expect("id").to_string();
    assert_eq!(spec["balanced"], true);
    let (status, invited) = hm
        .post(
            &format!("/api/v1/job-specs/{published}/interviews"),
            json!({"candidate_name": "Ada Lovelace", "candidate_email": "ada@example.com", "interviewers": [assigned.id]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{invited}");
    let interview = invited["interview"]["id"].as_str().expect("id").to_string();

    let changes = || {
        [
            (
                "edit a job spec",
                Method::PUT,
                format!("/api/v1/job-specs/{draft}"),
                Body::Json(json!({"title": "Taken over", "competencies": [
                    {"name": "Anything", "weight": "1.00", "definition": "Whatever."}
                ]})),
            ),
            (
                "publish a job spec",
                Method::POST,
                format!("/api/v1/job-specs/{draft}/publish"),
                Body::Json(json!({})),
            ),
            (
                "assign an interviewer",
                Method::POST,
                format!("/api/v1/interviews/{interview}/interviewers"),
                Body::Json(json!({"user_id": outsider.id})),
            ),
            (
                "extend a candidate's link",
                Method::POST,
                format!("/api/v1/interviews/{interview}/link/extend"),
                Body::Json(json!({"days": 7})),
            ),
            (
                "replace a candidate's link",
                Method::POST,
                format!("/api/v1/interviews/{interview}/link/replace"),
                Body::Json(json!({})),
            ),
            (
                "withdraw an interview",
                Method::POST,
                format!("/api/v1/interviews/{interview}/withdraw"),
                Body::Json(json!({})),
            ),
            (
                "invite from CSV",
                Method::POST,
                format!("/api/v1/job-specs/{published}/interviews/csv"),
                Body::Csv("candidate_name,candidate_email\nMallory,mallory@example.com\n"),
            ),
            (
                "invite a candidate",
                Method::POST,
                format!("/api/v1/job-specs/{published}/interviews"),
                // Invited from the CSV file just before: again, on purpose.
                Body::Json(
                    json!({"candidate_name": "Mallory", "candidate_email": "mallory@example.com", "again": true}),
                ),
            ),
        ]
    };

    let before = hiring_state(&hm, &admin, &published, &draft, &interview).await;
    for (caller, token) in [
        ("the interview's own interviewer", &assigned_token),
        ("another interviewer", &outsider_token),
        ("a member", &member_token),
        ("a manager", &manager_token),
    ] {
        for (what, method, path, body) in changes() {
            let (status, error) = attempt(&app, token, method.clone(), &path, body).await;
            assert_eq!(
                (status, error["error"]["code"].as_str()),
                (StatusCode::FORBIDDEN, Some("forbidden")),
                "[{label}] {caller} may not {what} ({method} {path}): {}",
                brief(&error)
            );
            assert_eq!(
                hiring_state(&hm, &admin, &published, &draft, &interview).await,
                before,
                "[{label}] {caller} trying to {what} changed something"
            );
        }
    }

    // The same requests from a hiring manager do what they say: the refusals
    // above were about the role, not the requests.
    let expected = [
        StatusCode::OK,
        StatusCode::OK,
        StatusCode::OK,
        StatusCode::OK,
        StatusCode::OK,
        StatusCode::OK,
        StatusCode::CREATED,
        StatusCode::CREATED,
    ];
    for ((what, method, path, body), status) in changes().into_iter().zip(expected) {
        let (got, response) = attempt(&app, &hm_token, method.clone(), &path, body).await;
        assert_eq!(
            got,
            status,
            "[{label}] a hiring manager may {what} ({method} {path}): {}",
            brief(&response)
        );
    }
    let (_, detail) = hm.get(&format!("/api/v1/interviews/{interview}")).await;
    assert_eq!(detail["interview"]["status"], "withdrawn");
    assert_eq!(detail["interviewers"], json!([assigned.id, outsider.id]));
    let (_, list) = hm
        .get(&format!("/api/v1/job-specs/{published}/interviews"))
        .await;
    assert_eq!(list.as_array().map(Vec::len), Some(3), "{list}");
    let (_, spec) = hm.get(&format!("/api/v1/job-specs/{draft}")).await;
    assert_eq!(
        (spec["title"].as_str(), spec["status"].as_str()),
        (Some("Taken over"), Some("published"))
    );
    app.stop().await;
}

on_each_database!(only_hiring_managers_and_admins_change_hiring);

async fn log_in(
    http: &reqwest::Client,
    app: &TestApp,
    email: &str,
    password: &str,
) -> reqwest::Response {
    crate::common::log_in_to(http, app, email, password, "/search?q=tests").await
}

async fn browser_sessions_need_csrf_for_changes(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.user("admin@example.com", Role::Admin, "a long admin password")
        .await;
    let http = client();
    let response = log_in(&http, &app, "admin@example.com", "a long admin password").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{}", app.label);
    assert_eq!(
        response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/search?q=tests")
    );
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain HTTP gets no Secure flag");

    let me = http.get(app.url("/api/v1/me")).send().await.expect("me");
    assert_eq!(me.status(), StatusCode::OK);

    // A state change without the session's CSRF token is refused...
    let forged = http
        .post(app.url("/api/v1/users"))
        .json(&json!({"email": "new@example.com", "role": "member"}))
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        forged.json::<serde_json::Value>().await.expect("json")["error"]["code"],
        "csrf"
    );
    let forged_form = http
        .post(app.url("/admin/settings"))
        .form(&[("csrf", "wrong")])
        .send()
        .await
        .expect("post");
    assert_eq!(forged_form.status(), StatusCode::FORBIDDEN);

    // ...and accepted with it, as a header or a form field.
    let home = http
        .get(app.url("/"))
        .send()
        .await
        .expect("home")
        .text()
        .await
        .expect("html");
    let csrf = csrf_in(&home).expect("pages carry the csrf token");
    let created = http
        .post(app.url("/api/v1/users"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"email": "new@example.com", "role": "member"}))
        .send()
        .await
        .expect("post");
    assert_eq!(created.status(), StatusCode::CREATED);
    let settings = http
        .post(app.url("/admin/settings"))
        .form(&[("csrf", csrf.as_str()), ("public_browsing", "on")])
        .send()
        .await
        .expect("post");
    assert_eq!(settings.status(), StatusCode::SEE_OTHER);

    let logout = http
        .post(app.url("/logout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("logout");
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        http.get(app.url("/api/v1/me"))
            .send()
            .await
            .expect("me")
            .status(),
        StatusCode::UNAUTHORIZED
    );

    let wrong = log_in(&http, &app, "admin@example.com", "not the password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let no_csrf = http
        .post(app.url("/login"))
        .form(&[
            ("email", "admin@example.com"),
            ("password", "a long admin password"),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(
        no_csrf.status(),
        StatusCode::BAD_REQUEST,
        "login needs its form token"
    );
    let offsite = log_in(&http, &app, "admin@example.com", "a long admin password").await;
    assert_eq!(offsite.status(), StatusCode::SEE_OTHER);
    app.stop().await;
}

on_each_database!(browser_sessions_need_csrf_for_changes);

async fn one_time_passwords_must_be_changed_first(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let http = client();
    let admin = app.token(Role::Admin).await;
    let created: serde_json::Value = http
        .post(app.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"email": "fresh@example.com", "role": "member"}))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("json");
    let one_time = created["one_time_password"]
        .as_str()
        .expect("password")
        .to_string();

    let login = log_in(&http, &app, "fresh@example.com", &one_time).await;
    assert_eq!(
        login
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/account/password")
    );
    let home = http.get(app.url("/")).send().await.expect("home");
    assert_eq!(home.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        home.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/account/password")
    );

    let page = http
        .get(app.url("/account/password"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let csrf = csrf_in(&page).expect("csrf");
    let short = http
        .post(app.url("/account/password"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", one_time.as_str()),
            ("new_password", "short"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let changed = http
        .post(app.url("/account/password"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", one_time.as_str()),
            ("new_password", "my own long password"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        http.get(app.url("/")).send().await.expect("home").status(),
        StatusCode::OK
    );

    let other = client();
    assert_eq!(
        log_in(&other, &app, "fresh@example.com", &one_time)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let again = log_in(&other, &app, "fresh@example.com", "my own long password").await;
    assert_eq!(
        again
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/search?q=tests")
    );
    app.stop().await;
}

on_each_database!(one_time_passwords_must_be_changed_first);

#[tokio::test]
async fn failed_logins_are_rate_limited() {
    let config = ServerConfig {
        login_attempts: 3,
        ..ServerConfig::default()
    };
    let app = TestApp::spawn_with(TestDatabase::sqlite(), config).await;
    app.user("victim@example.com", Role::Member, "the right password")
        .await;
    let http = client();
    for _ in 0..3 {
        assert_eq!(
            log_in(&http, &app, "victim@example.com", "guess")
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let blocked = log_in(&http, &app, "victim@example.com", "the right password").await;
    assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(blocked.headers().get("retry-after").is_some());
    app.stop().await;
}
