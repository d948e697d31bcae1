//! A real Ladder server per test: a fresh database (SQLite file or PostgreSQL
//! database), the bundled frameworks imported, the real router listening on a
//! random loopback port.

#![allow(dead_code)]

pub mod browser;
use std::sync::Arc;

use ladder_core::access::Role;
use ladder_core::Framework;
use ladder_server::{auth, AppState, ServerConfig};
use ladder_store::testing::TestDatabase;
use ladder_store::{Actor, Store, User};
use serde_json::{json, Value};

pub struct TestApp {
    pub base: String,
    pub store: Arc<dyn Store>,
    pub label: &'static str,
    /// Where this server keeps recorded answers.
    pub blob_dir: Option<std::path::PathBuf>,
    _blobs: Option<tempfile::TempDir>,
    database: Option<TestDatabase>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    pub async fn spawn(database: TestDatabase) -> TestApp {
        TestApp::spawn_with(database, ServerConfig::default()).await
    }

    pub async fn spawn_with(database: TestDatabase, mut config: ServerConfig) -> TestApp {
        // Recordings go to a throwaway directory unless the test chose one.
        let blobs = match config.audio.blob_dir {
            Some(_) => None,
            None => {
                let dir = tempfile::tempdir().expect("blob directory");
                config.audio.blob_dir = Some(dir.path().to_path_buf());
                Some(dir)
            }
        };
        let blob_dir = config.audio.blob_dir.clone();
        let store = ladder_store::connect(&database.url)
            .await
            .unwrap_or_else(|error| panic!("{}: {error}", database.label));
        for bundled in ladder_formats::bundled::FRAMEWORKS {
            let framework = ladder_formats::parse(bundled.file_name, bundled.text.as_bytes())
                .framework
                .expect("bundled frameworks parse");
            store
                .import_framework(&framework, &Actor::system())
                .await
                .expect("import");
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        // As `ladder serve` does: candidate links under the listening
        // address unless the test configured a public URL.
        config.public_url.get_or_insert_with(|| base.clone());
        let (send, receive) = tokio::sync::oneshot::channel::<()>();
        let state = AppState::new(Arc::clone(&store), config);
        let server = tokio::spawn(ladder_server::serve(listener, state, async move {
            let _ = receive.await;
        }));
        TestApp {
            base,
            store,
            label: database.label,
            blob_dir,
            _blobs: blobs,
            database: Some(database),
            shutdown: Some(send),
            server: Some(server),
        }
    }

    /// A second server on this app's database — what two `ladder serve`
    /// sharing one PostgreSQL (or one SQLite file) are. It shares the blob
    /// directory, as such servers must; the first app drops the database.
    pub async fn another(&self) -> TestApp {
        let url = self
            .database
            .as_ref()
            .map(|database| database.url.clone())
            .expect("the first app owns the database");
        let store = ladder_store::connect(&url)
            .await
            .unwrap_or_else(|error| panic!("{}: {error}", self.label));
        let mut config = ServerConfig::default();
        config.audio.blob_dir = self.blob_dir.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        config.public_url = Some(base.clone());
        let (send, receive) = tokio::sync::oneshot::channel::<()>();
        let state = AppState::new(Arc::clone(&store), config);
        let server = tokio::spawn(ladder_server::serve(listener, state, async move {
            let _ = receive.await;
        }));
        TestApp {
            base,
            store,
            label: self.label,
            blob_dir: self.blob_dir.clone(),
            _blobs: None,
            database: None,
            shutdown: Some(send),
            server: Some(server),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A user who can log in with `password` straight away.
    pub async fn user(&self, email: &str, role: Role, password: &str) -> User {
        let hash = auth::hash_password(password).expect("hash");
        self.store
            .create_user(email, role, Some(&hash), false, &Actor::system())
            .await
            .expect("create user")
    }

    /// A user and an API token acting as them.
    pub async fn token(&self, role: Role) -> String {
        let email = format!("{}-{}@example.com", role.as_str(), uuid_like());
        let user = self
            .store
            .create_user(&email, role, None, false, &Actor::system())
            .await
            .expect("create user");
        let token = auth::random_secret();
        self.store
            .create_api_token(
                &user.id,
                "test",
                &auth::secret_hash(&token),
                &Actor::system(),
            )
            .await
            .expect("token");
        token
    }

    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        if let Some(database) = self.database.take() {
            database.cleanup().await;
        }
    }
}

fn uuid_like() -> String {
    auth::random_secret()[..10]
        .to_lowercase()
        .replace(['-', '_'], "x")
}

pub fn client() -> reqwest::Client {
    ladder_server::clients::install_crypto_provider();
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// The value of the first `name="csrf"` hidden input in a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")?;
    let rest = &html[at + "name=\"csrf\" value=\"".len()..];
    rest.split('"').next().map(str::to_string)
}

/// Logs in through the real form (with its CSRF token) and asks to land on
/// `next`; returns the login response (303 on success).
pub async fn log_in_to(
    http: &reqwest::Client,
    app: &TestApp,
    email: &str,
    password: &str,
    next: &str,
) -> reqwest::Response {
    let form = http
        .get(app.url("/login"))
        .send()
        .await
        .expect("login page")
        .text()
        .await
        .expect("html");
    let csrf = csrf_in(&form).expect("login form has a csrf field");
    http.post(app.url("/login"))
        .form(&[
            ("email", email),
            ("password", password),
            ("csrf", csrf.as_str()),
            ("next", next),
        ])
        .send()
        .await
        .expect("login")
}

/// JSON API calls with a bearer token (none when `token` is empty).
pub struct Api<'a> {
    pub app: &'a TestApp,
    pub token: String,
    pub http: reqwest::Client,
}

impl Api<'_> {
    pub async fn send_keyed(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
        key: Option<&str>,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        let mut request = self.http.request(method, self.app.url(path));
        if !self.token.is_empty() {
            request = request.bearer_auth(&self.token);
        }
        if let Some(key) = key {
            request = request.header("idempotency-key", key);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        self.send_keyed(method, path, body, None).await
    }

    pub async fn get(&self, path: &str) -> (reqwest::StatusCode, serde_json::Value) {
        self.send(reqwest::Method::GET, path, None).await
    }

    pub async fn post(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn post_keyed(
        &self,
        path: &str,
        body: serde_json::Value,
        key: &str,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        self.send_keyed(reqwest::Method::POST, path, Some(body), Some(key))
            .await
    }
}

/// A user of `role` and an API token acting as them.
pub async fn staff(app: &TestApp, email: &str, role: Role) -> (User, String) {
    let user = app
        .store
        .create_user(email, role, None, false, &Actor::system())
        .await
        .expect("user");
    let token = auth::random_secret();
    app.store
        .create_api_token(
            &user.id,
            "test",
            &auth::secret_hash(&token),
            &Actor::system(),
        )
        .await
        .expect("token");
    (user, token)
}

pub fn ids(items: &Value) -> Vec<String> {
    items
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["id"].as_str().map(str::to_string))
        .collect()
}

/// From `start` to the next `end` (exclusive).
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let at = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in page:\n{html}"));
    let stop = at
        + html[at..]
            .find(end)
            .unwrap_or_else(|| panic!("no {end} after {start}"));
    &html[at..stop]
}

pub fn ids_at(framework: &Framework, level: u32) -> Vec<String> {
    framework
        .criteria()
        .filter(|(_, l, _)| *l == level)
        .map(|(_, _, c)| c.id.clone())
        .collect()
}

/// Basis points as the pages write them: 2000 → "0.20", 1667 → "0.1667".
pub fn decimal(points: u32) -> String {
    let fraction = format!("{:04}", points % 10_000);
    let fraction = fraction.trim_end_matches('0');
    format!("{}.{fraction:0<2}", points / 10_000)
}

/// The payments job spec most interview tests invite candidates to.
pub fn payments_spec() -> Value {
    json!({
        "title": "Senior Backend Engineer — Payments Platform",
        "seniority": "senior",
        "description": "Own the services that move money.",
        "framework": {"slug": "engineering-backend", "level": 4},
        "competencies": [
            {"name": "Distributed Systems Rigor", "weight": 0.35, "definition": "Consensus and idempotent design."},
            {"name": "Postgres Transactional Design", "weight": "0.25", "definition": "Ledgers."},
            {"name": "Domain Ownership & Reliability", "weight": "25%", "definition": "Incidents."},
            {"name": "Payments Domain Expertise", "weight": 0.15, "definition": "Rails."}
        ],
        "must_haves": [
            {"text": "5+ years building production backend systems", "required": true},
            {"text": "Strong SQL and schema design on PostgreSQL", "required": true}
        ]
    })
}
