//! Authorisation and sessions: every route walked with every role, the login
//! flow with cookies and CSRF, forced password change, and login rate limits.

use crate::common::{client, csrf_in, TestApp};
use ladder_core::access::{allowed, Role};
use ladder_server::{route_table, RouteKind, ServerConfig};
use ladder_store::testing::TestDatabase;
use reqwest::{Method, StatusCode};
use serde_json::json;

/// What a denied request looks like, by route kind and caller.
fn is_denial(kind: RouteKind, anonymous: bool, status: StatusCode, location: Option<&str>) -> bool {
    match (kind, anonymous) {
        (RouteKind::Api, true) => status == StatusCode::UNAUTHORIZED,
        (RouteKind::Api, false) => status == StatusCode::FORBIDDEN,
        (RouteKind::Page, true) => {
            status == StatusCode::SEE_OTHER
                && location.is_some_and(|l| l.starts_with("/login?next="))
        }
        (RouteKind::Page, false) => status == StatusCode::FORBIDDEN,
    }
}

async fn log_in(
    http: &reqwest::Client,
    app: &TestApp,
    email: &str,
    password: &str,
) -> reqwest::Response {
    crate::common::log_in_to(http, app, email, password, "/search?q=tests").await
}

async fn every_route_with_every_role(database: TestDatabase) {
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
    for public in [true, false] {
        let put = http
            .put(app.url("/api/v1/settings"))
            .bearer_auth(&admin)
            .json(&json!({ "public_browsing": public }))
            .send()
            .await
            .expect("settings");
        assert_eq!(put.status(), StatusCode::OK);
        for spec in route_table() {
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
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let expected_allowed = allowed(*role, spec.action, public);
                let denied = is_denial(spec.kind, role.is_none(), status, location.as_deref());
                assert_eq!(
                    !denied,
                    expected_allowed,
                    "[{}] {} {} as {:?} (public browsing {public}): status {status}, location {location:?}",
                    app.label,
                    spec.method,
                    path,
                    role
                );
                assert!(
                    status != StatusCode::INTERNAL_SERVER_ERROR,
                    "{} {} as {role:?} failed",
                    spec.method,
                    path
                );
            }
        }
    }
    app.stop().await;
}

on_each_database!(every_route_with_every_role);

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
