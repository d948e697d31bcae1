//! Accounts under attack, over real HTTP: login limits per account, per
//! client and account and per client (counted in the database, so they hold
//! across servers), client addresses behind trusted proxies, redirects after
//! login, NUL characters in the login form, sessions ending with a password
//! change, API tokens listed and revoked, disabled users, forced password
//! changes in the API, weak passwords and hostile e-mail addresses.

use std::sync::Arc;

use crate::common::{client, csrf_in, log_in_to, payments_spec, staff, Api, TestApp};
use ladder_core::access::Role;
use ladder_server::http::client::IpRange;
use ladder_server::{AppState, ServerConfig};
use ladder_store::testing::TestDatabase;
use reqwest::StatusCode;
use serde_json::{json, Value};

const PASSWORD: &str = "a long admin password";

fn location(response: &reqwest::Response) -> Option<&str> {
    response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
}

/// Logs in through the form, as the client `forwarded` names in
/// `X-Forwarded-For` (none when empty), landing on `next`.
async fn log_in_as(
    http: &reqwest::Client,
    base: &str,
    forwarded: &str,
    email: &str,
    password: &str,
    next: &str,
) -> reqwest::Response {
    let mut form = http.get(format!("{base}/login"));
    if !forwarded.is_empty() {
        form = form.header("x-forwarded-for", forwarded);
    }
    let page = form
        .send()
        .await
        .expect("login page")
        .text()
        .await
        .expect("html");
    let csrf = csrf_in(&page).expect("the login form has a csrf field");
    let mut post = http.post(format!("{base}/login")).form(&[
        ("email", email),
        ("password", password),
        ("csrf", csrf.as_str()),
        ("next", next),
    ]);
    if !forwarded.is_empty() {
        post = post.header("x-forwarded-for", forwarded);
    }
    post.send().await.expect("login")
}

/// A second `ladder serve` on the same database as `app`.
struct SecondServer {
    base: String,
    shutdown: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl SecondServer {
    async fn spawn(url: &str, config: ServerConfig) -> SecondServer {
        let store = ladder_store::connect(url).await.expect("second store");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (shutdown, receive) = tokio::sync::oneshot::channel::<()>();
        let state = AppState::new(Arc::clone(&store), config);
        let server = tokio::spawn(ladder_server::serve(listener, state, async move {
            let _ = receive.await;
        }));
        SecondServer {
            base,
            shutdown,
            server,
        }
    }

    async fn stop(self) {
        let _ = self.shutdown.send(());
        let _ = self.server.await;
    }
}

fn behind_proxy(config: ServerConfig) -> ServerConfig {
    ServerConfig {
        trusted_proxies: vec!["127.0.0.1".parse::<IpRange>().expect("range")],
        ..config
    }
}

// ---------------------------------------------------------------- limits

async fn made_up_emails_never_lock_out_a_real_account(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.user("admin@example.com", Role::Admin, PASSWORD).await;
    let http = client();
    for n in 0..10 {
        let failed = log_in_as(
            &http,
            &app.base,
            "",
            &format!("nobody{n}@example.com"),
            "guess",
            "/",
        )
        .await;
        assert_eq!(failed.status(), StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    let admin = log_in_as(&http, &app.base, "", "admin@example.com", PASSWORD, "/").await;
    assert_eq!(
        admin.status(),
        StatusCode::SEE_OTHER,
        "[{}] ten made-up e-mails from the admin's own address do not lock the admin out",
        app.label
    );
    app.stop().await;
}

on_each_database!(made_up_emails_never_lock_out_a_real_account);

async fn failures_on_one_account_lock_it_from_every_client(database: TestDatabase) {
    let app = TestApp::spawn_with(database, behind_proxy(ServerConfig::default())).await;
    app.user("victim@example.com", Role::Member, PASSWORD).await;
    let attacker = client();
    for n in 0..10 {
        let failed = log_in_as(
            &attacker,
            &app.base,
            &format!("198.51.100.{n}"),
            "Victim@Example.com",
            "guess",
            "/",
        )
        .await;
        assert_eq!(failed.status(), StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    let owner = client();
    let locked = log_in_as(
        &owner,
        &app.base,
        "203.0.113.50",
        "victim@example.com",
        PASSWORD,
        "/",
    )
    .await;
    assert_eq!(
        locked.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "[{}]",
        app.label
    );
    let wait: u64 = locked
        .headers()
        .get("retry-after")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=15 * 60).contains(&wait), "{wait}");
    let page = locked.text().await.expect("html");
    assert!(page.contains("Too many failed attempts."), "{page}");
    // Other accounts from the same clients are unaffected.
    app.user("other@example.com", Role::Member, PASSWORD).await;
    let other = log_in_as(
        &attacker,
        &app.base,
        "198.51.100.1",
        "other@example.com",
        PASSWORD,
        "/",
    )
    .await;
    assert_eq!(other.status(), StatusCode::SEE_OTHER);
    app.stop().await;
}

on_each_database!(failures_on_one_account_lock_it_from_every_client);

/// Two servers on one database: failures on either count on both.
async fn login_limits_hold_across_servers(database: TestDatabase) {
    let url = database.url.clone();
    let app = TestApp::spawn(database).await;
    let second = SecondServer::spawn(&url, ServerConfig::default()).await;
    app.user("admin@example.com", Role::Admin, PASSWORD).await;
    let http = client();
    for n in 0..10 {
        let base = if n % 2 == 0 { &app.base } else { &second.base };
        let failed = log_in_as(&http, base, "", "admin@example.com", "guess", "/").await;
        assert_eq!(failed.status(), StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    for base in [&app.base, &second.base] {
        let locked = log_in_as(&http, base, "", "admin@example.com", PASSWORD, "/").await;
        assert_eq!(
            locked.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "[{}] five failures on each server lock the account on both",
            app.label
        );
    }
    second.stop().await;
    app.stop().await;
}

on_each_database!(login_limits_hold_across_servers);

async fn forwarded_clients_count_only_behind_a_trusted_proxy(database: TestDatabase) {
    let url = database.url.clone();
    let limits = ServerConfig {
        login_client_attempts: 3,
        login_attempts: 2,
        login_account_attempts: 100,
        ..ServerConfig::default()
    };
    let app = TestApp::spawn_with(database, behind_proxy(limits.clone())).await;
    app.user("ada@example.com", Role::Member, PASSWORD).await;
    app.user("bo@example.com", Role::Member, PASSWORD).await;
    let http = client();
    // Client X uses up its own allowance with made-up e-mails...
    for n in 0..3 {
        let failed = log_in_as(
            &http,
            &app.base,
            "203.0.113.1",
            &format!("made-up{n}@example.com"),
            "guess",
            "/",
        )
        .await;
        assert_eq!(failed.status(), StatusCode::UNAUTHORIZED);
    }
    let x = log_in_as(
        &http,
        &app.base,
        "203.0.113.1",
        "ada@example.com",
        PASSWORD,
        "/",
    )
    .await;
    assert_eq!(x.status(), StatusCode::TOO_MANY_REQUESTS, "[{}]", app.label);
    // ...and client Y, through the same proxy, is another client. A forged
    // entry on the left of the header changes nothing.
    let y = log_in_as(
        &http,
        &app.base,
        "203.0.113.1, 203.0.113.2",
        "ada@example.com",
        PASSWORD,
        "/",
    )
    .await;
    assert_eq!(y.status(), StatusCode::SEE_OTHER);

    // Per client and account: two wrong passwords for Bo from X block Bo
    // from X only.
    for client_address in ["198.51.100.9", "198.51.100.9"] {
        let failed = log_in_as(
            &http,
            &app.base,
            client_address,
            "bo@example.com",
            "guess",
            "/",
        )
        .await;
        assert_eq!(failed.status(), StatusCode::UNAUTHORIZED);
    }
    let blocked = log_in_as(
        &http,
        &app.base,
        "198.51.100.9",
        "bo@example.com",
        PASSWORD,
        "/",
    )
    .await;
    assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
    let elsewhere = log_in_as(
        &http,
        &app.base,
        "198.51.100.10",
        "bo@example.com",
        PASSWORD,
        "/",
    )
    .await;
    assert_eq!(elsewhere.status(), StatusCode::SEE_OTHER);

    // A server that trusts no proxy ignores the header: every request is the
    // peer, 127.0.0.1, whose allowance X's failures above did not touch (they
    // were counted for X)...
    let untrusting = SecondServer::spawn(&url, limits).await;
    for n in 0..3 {
        let failed = log_in_as(
            &http,
            &untrusting.base,
            &format!("192.0.2.{n}"),
            &format!("made-up{n}@example.com"),
            "guess",
            "/",
        )
        .await;
        assert_eq!(failed.status(), StatusCode::UNAUTHORIZED);
    }
    // ...and now that allowance is used up, whatever the header says.
    let spoofed = log_in_as(
        &http,
        &untrusting.base,
        "192.0.2.200",
        "ada@example.com",
        PASSWORD,
        "/",
    )
    .await;
    assert_eq!(
        spoofed.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "[{}] X-Forwarded-For from an untrusted peer is ignored",
        app.label
    );
    untrusting.stop().await;
    app.stop().await;
}

on_each_database!(forwarded_clients_count_only_behind_a_trusted_proxy);

// ---------------------------------------------------------------- the form

async fn redirects_after_login_stay_on_this_site(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let ada = app.user("ada@example.com", Role::Member, PASSWORD).await;
    // Refused destinations fall back to the member's own page.
    let landing = format!("/people/{}", ada.id);
    let form = client()
        .get(app.url("/login?next=/%09/evil.com"))
        .send()
        .await
        .expect("login page")
        .text()
        .await
        .expect("html");
    assert!(
        form.contains("<input type=\"hidden\" name=\"next\" value=\"/\">"),
        "{form}"
    );
    for hostile in [
        "/\t/evil.com",
        "/\n/x",
        "//evil.com",
        "/\\evil.com",
        "https://evil.com/",
        "/ /evil.com",
    ] {
        let http = client();
        let login = log_in_to(&http, &app, "ada@example.com", PASSWORD, hostile).await;
        assert_eq!(
            (login.status(), location(&login)),
            (StatusCode::SEE_OTHER, Some(landing.as_str())),
            "[{}] next={hostile:?}",
            app.label
        );
        assert_eq!(
            http.get(app.url("/api/v1/me"))
                .send()
                .await
                .expect("me")
                .status(),
            StatusCode::OK,
            "the login itself worked"
        );
    }
    let http = client();
    let kept = log_in_to(&http, &app, "ada@example.com", PASSWORD, "/search?q=a%20b").await;
    assert_eq!(location(&kept), Some("/search?q=a%20b"));
    app.stop().await;
}

on_each_database!(redirects_after_login_stay_on_this_site);

/// Logging in with nowhere to go lands on your own work: a member on their
/// own progression, a manager on their people, hiring roles on job specs.
async fn logging_in_lands_on_your_own_work(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let member = app.user("member@example.com", Role::Member, PASSWORD).await;
    app.user("manager@example.com", Role::Manager, PASSWORD)
        .await;
    app.user("hiring@example.com", Role::HiringManager, PASSWORD)
        .await;
    app.user("interviewer@example.com", Role::Interviewer, PASSWORD)
        .await;
    app.user("admin@example.com", Role::Admin, PASSWORD).await;
    let member_page = format!("/people/{}", member.id);
    for (email, lands) in [
        ("member@example.com", member_page.as_str()),
        ("manager@example.com", "/people"),
        ("hiring@example.com", "/job-specs"),
        ("interviewer@example.com", "/job-specs"),
        ("admin@example.com", "/job-specs"),
    ] {
        let response = log_in_to(&client(), &app, email, PASSWORD, "/").await;
        assert_eq!(location(&response), Some(lands), "[{}] {email}", app.label);
    }
    // Somewhere to go wins.
    let response = log_in_to(
        &client(),
        &app,
        "member@example.com",
        PASSWORD,
        "/frameworks",
    )
    .await;
    assert_eq!(location(&response), Some("/frameworks"));
    app.stop().await;
}

on_each_database!(logging_in_lands_on_your_own_work);

/// A NUL anywhere in a form is refused at the edge, naming the field; other
/// control characters in the e-mail reach the login page, which says so and
/// keeps the form.
async fn unusable_characters_in_the_login_form_are_refused(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.user("ada@example.com", Role::Member, PASSWORD).await;
    for (email, password, says) in [
        (
            "ada\0@example.com",
            PASSWORD,
            "The field “email” contains a NUL character",
        ),
        (
            "ada@example.com",
            "a long\0password",
            "The field “password” contains a NUL character",
        ),
        (
            "ada\u{1}@example.com",
            PASSWORD,
            "The e-mail address contains a control character",
        ),
    ] {
        let http = client();
        let response = log_in_to(&http, &app, email, password, "/").await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{}] {email:?}",
            app.label
        );
        let page = response.text().await.expect("html");
        assert!(page.contains(says), "{page}");
        // Nobody was logged in.
        let me = http.get(app.url("/api/v1/me")).send().await.expect("me");
        assert_eq!(me.status(), StatusCode::UNAUTHORIZED, "{email:?}");
    }
    app.stop().await;
}

on_each_database!(unusable_characters_in_the_login_form_are_refused);

// ---------------------------------------------------------------- sessions

async fn change_password(
    http: &reqwest::Client,
    app: &TestApp,
    current: &str,
    new: &str,
) -> reqwest::Response {
    let page = http
        .get(app.url("/account/password"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let csrf = csrf_in(&page).expect("csrf");
    http.post(app.url("/account/password"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current", current),
            ("new_password", new),
        ])
        .send()
        .await
        .expect("change")
}

async fn me(http: &reqwest::Client, app: &TestApp) -> StatusCode {
    http.get(app.url("/api/v1/me"))
        .send()
        .await
        .expect("me")
        .status()
}

async fn a_password_change_ends_the_other_sessions(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.user("ada@example.com", Role::Member, PASSWORD).await;
    let (here, laptop) = (client(), client());
    for http in [&here, &laptop] {
        let login = log_in_to(http, &app, "ada@example.com", PASSWORD, "/").await;
        assert_eq!(login.status(), StatusCode::SEE_OTHER);
        assert_eq!(me(http, &app).await, StatusCode::OK);
    }
    let changed = change_password(&here, &app, PASSWORD, "violet kettle under the stairs").await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        me(&here, &app).await,
        StatusCode::OK,
        "[{}] this session stays",
        app.label
    );
    assert_eq!(
        me(&laptop, &app).await,
        StatusCode::UNAUTHORIZED,
        "[{}] the other session is anonymous now",
        app.label
    );
    let audit = app.store.audit_log(10).await.expect("audit");
    let entry = audit
        .iter()
        .find(|entry| entry.action == "user.password")
        .expect("audited");
    assert_eq!(entry.detail["sessions_ended"], 1);
    app.stop().await;
}

on_each_database!(a_password_change_ends_the_other_sessions);

async fn weak_passwords_are_refused_with_a_sentence(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    app.user("zorbulon.quixatrel@example.com", Role::Member, PASSWORD)
        .await;
    let http = client();
    log_in_to(&http, &app, "zorbulon.quixatrel@example.com", PASSWORD, "/").await;
    for (weak, says) in [
        (
            "aaaaaaaaaa",
            "This password is too easy to guess. Repeats like &#34;aaa&#34; are easy to guess.",
        ),
        (
            "password123",
            "This password is too easy to guess. This is a very common password.",
        ),
        ("zorbulonquixatrel", "This password is too easy to guess."),
    ] {
        let refused = change_password(&http, &app, PASSWORD, weak).await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{}] {weak}",
            app.label
        );
        let page = refused.text().await.expect("html");
        assert!(page.contains(says), "{weak}: {page}");
    }
    // Nothing changed: the old password still logs in.
    let again = log_in_to(
        &client(),
        &app,
        "zorbulon.quixatrel@example.com",
        PASSWORD,
        "/",
    )
    .await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    app.stop().await;
}

on_each_database!(weak_passwords_are_refused_with_a_sentence);

// ---------------------------------------------------------------- tokens

async fn api_tokens_are_listed_and_revoked(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let http = client();
    let (member, first) = staff(&app, "ada@example.com", Role::Member).await;
    let second = ladder_server::auth::random_secret();
    app.store
        .create_api_token(
            &member.id,
            "laptop",
            &ladder_server::auth::secret_hash(&second),
            &ladder_store::Actor::system(),
        )
        .await
        .expect("token");
    let (other, other_token) = staff(&app, "bo@example.com", Role::Member).await;
    let (_, admin) = staff(&app, "admin@example.com", Role::Admin).await;
    let ada = Api {
        app: &app,
        token: first.clone(),
        http: http.clone(),
    };

    let (status, mine) = ada.get("/api/v1/tokens").await;
    assert_eq!(status, StatusCode::OK, "[{}] {mine}", app.label);
    let names: Vec<&str> = mine
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(names, ["test", "laptop"]);
    assert!(
        mine[0]["last_used_at"].is_string(),
        "the call itself used it: {mine}"
    );
    assert_eq!(mine[1]["last_used_at"], Value::Null);
    let text = mine.to_string();
    assert!(
        !text.contains(&first) && !text.contains(&second),
        "no secrets"
    );

    let (status, error) = ada.get(&format!("/api/v1/tokens?user={}", other.id)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error}");
    let admin_api = Api {
        app: &app,
        token: admin.clone(),
        http: http.clone(),
    };
    let (status, theirs) = admin_api
        .get(&format!("/api/v1/tokens?user={}", member.id))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(theirs.as_array().map(Vec::len), Some(2));

    // Someone else's token is not there for a member; their own is revoked.
    let other_id = app.store.api_tokens(Some(&other.id)).await.expect("list")[0]
        .id
        .clone();
    let (status, _) = ada
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/tokens/{other_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let laptop_id = mine[1]["id"].as_str().expect("id");
    let (status, _) = ada
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/tokens/{laptop_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let laptop = Api {
        app: &app,
        token: second,
        http: http.clone(),
    };
    assert_eq!(laptop.get("/api/v1/me").await.0, StatusCode::UNAUTHORIZED);
    // An admin revokes anyone's.
    let (status, _) = admin_api
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/tokens/{other_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let bo = Api {
        app: &app,
        token: other_token,
        http: http.clone(),
    };
    assert_eq!(bo.get("/api/v1/me").await.0, StatusCode::UNAUTHORIZED);

    let (_, audit) = admin_api.get("/api/v1/audit").await;
    let revoked: Vec<(&str, &str)> = audit
        .as_array()
        .expect("audit")
        .iter()
        .filter(|entry| entry["action"] == "token.revoke")
        .filter_map(|entry| Some((entry["actor"].as_str()?, entry["target"].as_str()?)))
        .collect();
    assert_eq!(
        revoked,
        [
            ("admin@example.com", "bo@example.com"),
            ("ada@example.com", "ada@example.com")
        ]
    );
    app.stop().await;
}

on_each_database!(api_tokens_are_listed_and_revoked);

async fn the_account_page_revokes_tokens_without_javascript(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let member = app.user("ada@example.com", Role::Member, PASSWORD).await;
    let secret = ladder_server::auth::random_secret();
    app.store
        .create_api_token(
            &member.id,
            "ci <nightly>",
            &ladder_server::auth::secret_hash(&secret),
            &ladder_store::Actor::system(),
        )
        .await
        .expect("token");
    let id = app.store.api_tokens(Some(&member.id)).await.expect("list")[0]
        .id
        .clone();
    let http = client();
    log_in_to(&http, &app, "ada@example.com", PASSWORD, "/").await;
    let page = http
        .get(app.url("/account"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains("<th scope=\"row\">ci &#60;nightly&#62;</th>"),
        "{page}"
    );
    let action = format!("action=\"/account/tokens/{id}/revoke\"");
    assert!(page.contains(&action), "{page}");
    let csrf = csrf_in(&page).expect("csrf");

    let forged = http
        .post(app.url(&format!("/account/tokens/{id}/revoke")))
        .form(&[("csrf", "not-the-token")])
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let revoked = http
        .post(app.url(&format!("/account/tokens/{id}/revoke")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(
        (revoked.status(), location(&revoked)),
        (StatusCode::SEE_OTHER, Some("/account?notice=token-revoked"))
    );
    let page = http
        .get(app.url("/account?notice=token-revoked"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("The API token was revoked"), "{page}");
    assert!(page.contains("You have no API tokens."), "{page}");
    let gone = client()
        .get(app.url("/api/v1/me"))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("me");
    assert_eq!(gone.status(), StatusCode::UNAUTHORIZED, "[{}]", app.label);
    app.stop().await;
}

on_each_database!(the_account_page_revokes_tokens_without_javascript);

async fn disabling_a_user_revokes_sessions_and_tokens_for_good(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let (_, admin) = staff(&app, "admin@example.com", Role::Admin).await;
    let (member, token) = staff(&app, "ada@example.com", Role::Member).await;
    let hash = ladder_server::auth::hash_password(PASSWORD).expect("hash");
    app.store
        .set_password(
            &member.id,
            &hash,
            false,
            None,
            &ladder_store::Actor::system(),
        )
        .await
        .expect("password");
    let browser = client();
    log_in_to(&browser, &app, "ada@example.com", PASSWORD, "/").await;
    assert_eq!(me(&browser, &app).await, StatusCode::OK);
    let admin = Api {
        app: &app,
        token: admin,
        http: client(),
    };
    let ada = Api {
        app: &app,
        token,
        http: client(),
    };
    assert_eq!(ada.get("/api/v1/me").await.0, StatusCode::OK);
    for disabled in [true, false] {
        let (status, body) = admin
            .send(
                reqwest::Method::PATCH,
                &format!("/api/v1/users/{}", member.id),
                Some(json!({ "disabled": disabled })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    assert_eq!(
        ada.get("/api/v1/me").await.0,
        StatusCode::UNAUTHORIZED,
        "[{}] re-enabling does not bring the token back",
        app.label
    );
    assert_eq!(
        me(&browser, &app).await,
        StatusCode::UNAUTHORIZED,
        "nor the session"
    );
    let (_, audit) = admin.get("/api/v1/audit").await;
    let disable = audit
        .as_array()
        .expect("audit")
        .iter()
        .find(|entry| {
            entry["action"] == "user.disable" && entry["detail"]["disabled"]["to"] == true
        })
        .cloned()
        .expect("audited");
    assert_eq!(disable["detail"]["api_tokens_revoked"], 1);
    assert_eq!(disable["detail"]["sessions_ended"], 1);
    app.stop().await;
}

on_each_database!(disabling_a_user_revokes_sessions_and_tokens_for_good);

// ---------------------------------------------------------------- forced change

async fn one_time_password_sessions_cannot_use_the_api(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let (_, admin) = staff(&app, "admin@example.com", Role::Admin).await;
    let admin = Api {
        app: &app,
        token: admin,
        http: client(),
    };
    let (status, created) = admin
        .post(
            "/api/v1/users",
            json!({"email": "fresh@example.com", "role": "hiring_manager"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let one_time = created["one_time_password"].as_str().expect("password");
    let http = client();
    let login = log_in_to(&http, &app, "fresh@example.com", one_time, "/").await;
    assert_eq!(location(&login), Some("/account/password"));

    for path in [
        "/api/v1/me",
        "/api/v1/frameworks",
        "/api/v1/job-specs",
        "/api/v1/tokens",
    ] {
        let response = http.get(app.url(path)).send().await.expect("get");
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "[{}] {path}",
            app.label
        );
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["error"]["code"], "password_change_required", "{path}");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("/account/password"), "{message}");
    }
    let page = csrf_in(
        &http
            .get(app.url("/account/password"))
            .send()
            .await
            .expect("form")
            .text()
            .await
            .expect("html"),
    )
    .expect("csrf");
    let posted = http
        .post(app.url("/api/v1/job-specs"))
        .header("x-csrf-token", &page)
        .json(&payments_spec())
        .send()
        .await
        .expect("post");
    assert_eq!(posted.status(), StatusCode::FORBIDDEN);
    let account = http.get(app.url("/account")).send().await.expect("page");
    assert_eq!(location(&account), Some("/account/password"));

    // Changing the password opens everything.
    let changed = change_password(&http, &app, one_time, "violet kettle under the stairs").await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(me(&http, &app).await, StatusCode::OK);
    app.stop().await;
}

on_each_database!(one_time_password_sessions_cannot_use_the_api);

/// API tokens are made deliberately by an admin, never with the one-time
/// password, so a token of a user who has not yet chosen a password works.
async fn tokens_of_users_who_must_change_their_password_still_work(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let bot = app
        .store
        .create_user(
            "bot@example.com",
            Role::Interviewer,
            None,
            true,
            &ladder_store::Actor::cli(),
        )
        .await
        .expect("user");
    assert!(bot.must_change_password);
    let token = ladder_server::auth::random_secret();
    app.store
        .create_api_token(
            &bot.id,
            "ci",
            &ladder_server::auth::secret_hash(&token),
            &ladder_store::Actor::cli(),
        )
        .await
        .expect("token");
    let api = Api {
        app: &app,
        token,
        http: client(),
    };
    let (status, body) = api.get("/api/v1/job-specs").await;
    assert_eq!(status, StatusCode::OK, "[{}] {body}", app.label);
    app.stop().await;
}

on_each_database!(tokens_of_users_who_must_change_their_password_still_work);

// ---------------------------------------------------------------- e-mails

async fn hostile_email_addresses_are_refused_everywhere(database: TestDatabase) {
    let app = TestApp::spawn(database).await;
    let (_, admin) = staff(&app, "admin@example.com", Role::Admin).await;
    let admin = Api {
        app: &app,
        token: admin,
        http: client(),
    };
    let hostile = "<script>alert(1)</script>@x.test";
    let (status, error) = admin
        .post("/api/v1/users", json!({"email": hostile, "role": "member"}))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "[{}] {error}",
        app.label
    );
    assert_eq!(error["error"]["field"], "email");
    assert_eq!(
        error["error"]["message"],
        "“<script>alert(1)</script>@x.test” is not an e-mail address: it contains a character an e-mail address cannot have (such as < > ( ) , ; : or \\)."
    );
    let (status, created) = admin
        .post(
            "/api/v1/users",
            json!({"email": " Grace.Hopper@Navy.MIL ", "role": "member"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["user"]["email"], "grace.hopper@navy.mil");

    // The admin page says the same, in the page.
    let admin_user = app.user("root@example.com", Role::Admin, PASSWORD).await;
    assert_eq!(admin_user.role, Role::Admin);
    let http = client();
    log_in_to(&http, &app, "root@example.com", PASSWORD, "/").await;
    let page = http
        .get(app.url("/admin/users"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let csrf = csrf_in(&page).expect("csrf");
    let refused = http
        .post(app.url("/admin/users"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", hostile),
            ("role", "member"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.expect("html");
    assert!(
        page.contains("is not an e-mail address: it contains a character"),
        "{page}"
    );
    assert!(!page.contains("<script>alert"), "escaped");

    // Candidates, one by one and from a file.
    let (_, hm) = staff(&app, "hm@example.com", Role::HiringManager).await;
    let hm = Api {
        app: &app,
        token: hm,
        http: client(),
    };
    let (status, spec) = hm.post("/api/v1/job-specs", payments_spec()).await;
    assert_eq!(status, StatusCode::CREATED, "{spec}");
    let id = spec["id"].as_str().expect("id");
    let (status, _) = hm
        .post(&format!("/api/v1/job-specs/{id}/publish"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, error) = hm
        .post(
            &format!("/api/v1/job-specs/{id}/interviews"),
            json!({"candidate_name": "Eve", "candidate_email": hostile}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert_eq!(error["error"]["field"], "candidate_email");
    assert!(
        error["error"]["message"].as_str().is_some_and(
            |message| message.contains("is not an e-mail address: it contains a character")
        ),
        "the same reason as for accounts: {error}"
    );
    let csv = hm
        .http
        .post(app.url(&format!("/api/v1/job-specs/{id}/interviews/csv")))
        .bearer_auth(&hm.token)
        .header("content-type", "text/csv")
        .body(format!(
            "name,email\nAda,ada@example.com\nEve,\"{hostile}\"\n"
        ))
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: Value = csv.json().await.expect("json");
    assert_eq!(error["error"]["field"], "rows[1].email");
    app.stop().await;
}

on_each_database!(hostile_email_addresses_are_refused_everywhere);
