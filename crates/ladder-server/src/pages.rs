//! The web app's handlers: they gather data from the store and hand it to
//! `ladder_web`, which renders the HTML.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use ladder_core::access::Role;
use ladder_web::{NavItem, Page, SearchHitView, SharedTopic, UserBadge, UserRow, VersionRow};
use serde::Deserialize;

use crate::api::rfc3339;
use crate::auth::{self, Credential, Principal};
use crate::error::ApiError;
use crate::state::{AppState, PUBLIC_BROWSING};

/// Everything around a page's content that depends on who is looking.
pub(crate) struct Chrome {
    nav: Vec<NavItem>,
    badge: Option<UserBadge>,
    csrf: Option<String>,
}

impl Chrome {
    pub(crate) async fn new(state: &AppState, principal: &Principal) -> Chrome {
        // A failing sidebar should not take the page down with it.
        let nav = match state.framework_list().await {
            Ok(list) => list
                .iter()
                .map(|f| NavItem {
                    title: f.sidebar_title.clone().unwrap_or_else(|| f.title.clone()),
                    slug: f.slug.clone(),
                    group: f.group.clone(),
                })
                .collect(),
            Err(error) => {
                tracing::warn!(%error, "sidebar unavailable");
                Vec::new()
            }
        };
        Chrome {
            nav,
            badge: principal.user.as_ref().map(|user| UserBadge {
                email: user.email.clone(),
                role: user.role.as_str().to_string(),
            }),
            csrf: principal.csrf().map(str::to_string),
        }
    }

    pub(crate) fn page<'a>(
        &'a self,
        title: &'a str,
        flash: Option<&'a str>,
        current_slug: Option<&'a str>,
    ) -> Page<'a> {
        Page {
            title,
            nav: &self.nav,
            user: self.badge.as_ref(),
            csrf: self.csrf.as_deref(),
            flash,
            current_slug,
        }
    }
}

pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Only same-site paths are followed after login, never `//host` or a URL.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

pub(crate) fn html(status: StatusCode, body: String) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Html(body)).into_response()
}

pub(crate) async fn message_page(
    state: &AppState,
    principal: &Principal,
    status: StatusCode,
    title: &str,
    message: &str,
) -> Response {
    let chrome = Chrome::new(state, principal).await;
    html(
        status,
        ladder_web::message(&chrome.page(title, None, None), title, message),
    )
}

/// A service error as a page of its own: 403 as the forbidden page, server
/// errors logged and shown without detail, anything else with its message.
/// `area` names the page family in the log ("interview page").
pub(crate) async fn service_error_page(
    state: &AppState,
    principal: &Principal,
    error: ApiError,
    area: &str,
) -> Response {
    if error.status == StatusCode::FORBIDDEN {
        return forbidden_page(principal);
    }
    if error.status.is_server_error() {
        tracing::error!(message = %error.message, "{area} failed");
        return message_page(
            state,
            principal,
            error.status,
            "Something went wrong",
            "The server could not build this page. It has been logged.",
        )
        .await;
    }
    let title = match error.status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::CONFLICT => "Conflict",
        StatusCode::UNAUTHORIZED => "Please log in",
        StatusCode::BAD_REQUEST => "Bad request",
        _ => "Cannot do that",
    };
    message_page(
        state,
        principal,
        error.status,
        title,
        &crate::forms::sentence(&error.message),
    )
    .await
}

pub fn forbidden_page(principal: &Principal) -> Response {
    let badge = principal.user.as_ref().map(|user| UserBadge {
        email: user.email.clone(),
        role: user.role.as_str().to_string(),
    });
    let page = Page {
        title: "Forbidden",
        nav: &[],
        user: badge.as_ref(),
        csrf: principal.csrf(),
        flash: None,
        current_slug: None,
    };
    html(
        StatusCode::FORBIDDEN,
        ladder_web::message(
            &page,
            "Forbidden",
            "Your role does not allow this page. Ask an admin if you need access.",
        ),
    )
}

fn store_failure(error: impl std::fmt::Display) -> Response {
    tracing::error!(%error, "page failed");
    let page = Page {
        title: "Error",
        nav: &[],
        user: None,
        csrf: None,
        flash: None,
        current_slug: None,
    };
    html(
        StatusCode::INTERNAL_SERVER_ERROR,
        ladder_web::message(
            &page,
            "Something went wrong",
            "The server could not build this page. It has been logged.",
        ),
    )
}

const NOTICES: &[(&str, &str)] = &[
    ("password", "Your password was changed."),
    ("role", "The role was changed."),
    (
        "disabled",
        "The account was disabled and its sessions ended.",
    ),
    ("settings", "Settings saved."),
    ("logged-out", "You are logged out."),
];

#[derive(Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

fn notice(key: Option<&str>) -> Option<&'static str> {
    let key = key?;
    NOTICES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, text)| *text)
}

pub async fn home(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    let chrome = Chrome::new(&state, &principal).await;
    html(
        StatusCode::OK,
        ladder_web::home(&chrome.page("Frameworks", notice(query.notice.as_deref()), None)),
    )
}

#[derive(Deserialize)]
pub struct FrameworkQuery {
    level: Option<u32>,
    version: Option<u32>,
}

fn is_generic(slug: &str, title: &str) -> bool {
    slug.contains("generic") || title.to_lowercase().contains("generic")
}

/// Topics this framework shares by key with a generic framework (or, on a
/// generic framework, with the frameworks that use it).
async fn shared_topics(state: &AppState, framework: &ladder_core::Framework) -> Vec<SharedTopic> {
    let Ok(list) = state.framework_list().await else {
        return Vec::new();
    };
    let this_is_generic = is_generic(&framework.slug, &framework.title);
    let mut shared = Vec::new();
    for other in list.iter().filter(|other| other.slug != framework.slug) {
        if !this_is_generic && !is_generic(&other.slug, &other.title) {
            continue;
        }
        let Ok(Some(stored)) = state.framework(&other.slug, Some(other.version)).await else {
            continue;
        };
        for topic in &framework.topics {
            if stored.framework.topics.iter().any(|t| t.key == topic.key) {
                shared.push(SharedTopic {
                    topic_key: topic.key.clone(),
                    framework_slug: other.slug.clone(),
                    framework_title: other.title.clone(),
                });
            }
        }
    }
    shared
}

pub async fn framework(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(slug): Path<String>,
    Query(query): Query<FrameworkQuery>,
) -> Response {
    let stored: Arc<ladder_store::StoredFramework> =
        match state.framework(&slug, query.version).await {
            Ok(Some(stored)) => stored,
            Ok(None) => {
                return message_page(
                    &state,
                    &principal,
                    StatusCode::NOT_FOUND,
                    "Not found",
                    &format!(
                        "There is no framework “{slug}”{}.",
                        query
                            .version
                            .map(|v| format!(" version {v}"))
                            .unwrap_or_default()
                    ),
                )
                .await
            }
            Err(error) => return store_failure(error),
        };
    let listed = state
        .framework_list()
        .await
        .ok()
        .and_then(|list| list.iter().find(|f| f.slug == slug).map(|f| f.version));
    let current = listed.unwrap_or(stored.version).max(stored.version);
    let versions = match state.framework_history(&slug, current).await {
        Ok(versions) => versions,
        Err(error) => return store_failure(error),
    };
    let rows: Vec<VersionRow> = versions
        .iter()
        .map(|v| VersionRow {
            version: v.version,
            created: rfc3339(v.created_at),
            source_file: v.source_file.clone(),
            current: v.version == current,
        })
        .collect();
    let shared = shared_topics(&state, &stored.framework).await;
    let chrome = Chrome::new(&state, &principal).await;
    let title = stored.framework.title.clone();
    let body = ladder_web::framework(
        &chrome.page(&title, None, Some(&slug)),
        &stored.framework,
        stored.version,
        query.level,
        &shared,
        &rows,
    );
    html(StatusCode::OK, body)
}

#[derive(Deserialize)]
pub struct CompareQuery {
    from: Option<u32>,
    to: Option<u32>,
}

pub async fn compare(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(slug): Path<String>,
    Query(query): Query<CompareQuery>,
) -> Response {
    let stored = match state.framework(&slug, None).await {
        Ok(Some(stored)) => stored,
        Ok(None) => {
            return message_page(
                &state,
                &principal,
                StatusCode::NOT_FOUND,
                "Not found",
                &format!("There is no framework “{slug}”."),
            )
            .await
        }
        Err(error) => return store_failure(error),
    };
    let levels = stored.framework.level_numbers();
    let from = query.from.or_else(|| levels.first().copied()).unwrap_or(0);
    let to = query
        .to
        .or_else(|| levels.iter().copied().find(|l| *l > from))
        .unwrap_or(from);
    match ladder_core::compare::compare(&stored.framework, from, to) {
        Ok(comparison) => {
            let chrome = Chrome::new(&state, &principal).await;
            let title = format!(
                "{}: {} → {}",
                stored.framework.title, comparison.from_label, comparison.to_label
            );
            html(
                StatusCode::OK,
                ladder_web::compare(
                    &chrome.page(&title, None, Some(&slug)),
                    &stored.framework,
                    &comparison,
                ),
            )
        }
        Err(error) => {
            message_page(
                &state,
                &principal,
                StatusCode::UNPROCESSABLE_ENTITY,
                "Cannot compare",
                &error.to_string(),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

pub async fn search(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(query): Query<SearchQuery>,
) -> Response {
    let text = query.q.unwrap_or_default();
    let hits = match state.store().search(&text, 100).await {
        Ok(hits) => hits,
        Err(error) => return store_failure(error),
    };
    let mut views = Vec::with_capacity(hits.len());
    for hit in hits {
        let level_label = match state.framework(&hit.slug, None).await {
            Ok(Some(stored)) => stored.framework.level_label(hit.level),
            _ => format!("Level {}", hit.level),
        };
        views.push(SearchHitView {
            slug: hit.slug,
            framework_title: hit.framework_title,
            criterion_id: hit.criterion_id,
            topic_title: hit.topic_title,
            level: hit.level,
            level_label,
            text: hit.text,
        });
    }
    let chrome = Chrome::new(&state, &principal).await;
    html(
        StatusCode::OK,
        ladder_web::search(&chrome.page("Search", None, None), &text, &views),
    )
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

fn login_page(
    state_secure: bool,
    headers: &HeaderMap,
    error: Option<&str>,
    next: &str,
    status: StatusCode,
) -> Response {
    let token = auth::random_secret();
    let secure = auth::is_https(headers, state_secure);
    let cookie = auth::set_cookie(
        auth::LOGIN_CSRF_COOKIE,
        &token,
        std::time::Duration::from_secs(3600),
        secure,
        "Strict",
    );
    let page = Page {
        title: "Log in",
        nav: &[],
        user: None,
        csrf: None,
        flash: None,
        current_slug: None,
    };
    (
        status,
        [
            (header::SET_COOKIE, cookie),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        Html(ladder_web::login(&page, error, next, &token)),
    )
        .into_response()
}

pub async fn login_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<LoginQuery>,
) -> Response {
    login_page(
        state.config().secure_cookies,
        &headers,
        None,
        &safe_next(query.next.as_deref()),
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    csrf: Option<String>,
    next: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    let secure_config = state.config().secure_cookies;
    let expected = auth::cookie(&headers, auth::LOGIN_CSRF_COOKIE);
    if expected.is_none() || expected != form.csrf.as_deref() {
        return login_page(
            secure_config,
            &headers,
            Some("The login form expired. Please try again."),
            &next,
            StatusCode::BAD_REQUEST,
        );
    }
    let client = connect
        .map(|Extension(ConnectInfo(addr))| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".to_string());
    let email = form.email.trim().to_lowercase();
    let keys = [format!("ip:{client}"), format!("email:{email}")];
    if let Some(wait) = keys.iter().find_map(|key| state.limiter().blocked(key)) {
        let message = format!(
            "Too many failed attempts. Try again in {} minute(s).",
            wait.div_ceil(60)
        );
        let mut response = login_page(
            secure_config,
            &headers,
            Some(&message),
            &next,
            StatusCode::TOO_MANY_REQUESTS,
        );
        if let Ok(value) = wait.to_string().parse() {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return response;
    }
    let credentials = match state.store().credentials(&email).await {
        Ok(found) => found,
        Err(error) => return store_failure(error),
    };
    let verified = credentials.as_ref().is_some_and(|c| {
        !c.user.disabled
            && c.password_hash
                .as_deref()
                .is_some_and(|hash| auth::verify_password(&form.password, hash))
    });
    let Some(credentials) = credentials.filter(|_| verified) else {
        for key in &keys {
            state.limiter().record_failure(key);
        }
        return login_page(
            secure_config,
            &headers,
            Some("That e-mail and password do not match an active account."),
            &next,
            StatusCode::UNAUTHORIZED,
        );
    };
    for key in &keys {
        state.limiter().clear(key);
    }
    let token = auth::random_secret();
    let expires = ladder_store::now_millis()
        + i64::try_from(auth::SESSION_LIFETIME.as_millis()).unwrap_or(i64::MAX / 2);
    if let Err(error) = state
        .store()
        .create_session(
            &auth::secret_hash(&token),
            &credentials.user.id,
            &auth::random_secret(),
            expires,
        )
        .await
    {
        return store_failure(error);
    }
    let secure = auth::is_https(&headers, secure_config);
    let session = auth::set_cookie(
        auth::SESSION_COOKIE,
        &token,
        auth::SESSION_LIFETIME,
        secure,
        "Lax",
    );
    let target = if credentials.user.must_change_password {
        "/account/password".to_string()
    } else {
        next
    };
    (
        StatusCode::SEE_OTHER,
        [(header::SET_COOKIE, session), (header::LOCATION, target)],
    )
        .into_response()
}

pub async fn logout(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Response {
    if let Credential::Session { token_hash, .. } = &principal.credential {
        if let Err(error) = state.store().delete_session(token_hash).await {
            return store_failure(error);
        }
    }
    (
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, auth::clear_cookie(auth::SESSION_COOKIE)),
            (header::LOCATION, "/?notice=logged-out".to_string()),
        ],
    )
        .into_response()
}

pub async fn password_form(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> Response {
    let chrome = Chrome::new(&state, &principal).await;
    let flash = principal
        .user
        .as_ref()
        .filter(|u| u.must_change_password)
        .map(|_| "Choose a new password to continue.");
    html(
        StatusCode::OK,
        ladder_web::change_password(&chrome.page("Change password", flash, None), None),
    )
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Form(form): Form<PasswordForm>,
) -> Response {
    let Some(user) = principal.user.as_ref() else {
        return ApiError::unauthorized().into_response();
    };
    let credentials = match state.store().credentials(&user.email).await {
        Ok(Some(credentials)) => credentials,
        Ok(None) => return ApiError::unauthorized().into_response(),
        Err(error) => return store_failure(error),
    };
    let problem = if !credentials
        .password_hash
        .as_deref()
        .is_some_and(|hash| auth::verify_password(&form.current, hash))
    {
        Some("The current password is not right.")
    } else if form.new_password == form.current {
        Some("Choose a password different from the current one.")
    } else {
        auth::password_problem(&form.new_password)
    };
    if let Some(problem) = problem {
        let chrome = Chrome::new(&state, &principal).await;
        return html(
            StatusCode::UNPROCESSABLE_ENTITY,
            ladder_web::change_password(&chrome.page("Change password", None, None), Some(problem)),
        );
    }
    let hash = match auth::hash_password(&form.new_password) {
        Ok(hash) => hash,
        Err(error) => return store_failure(error),
    };
    if let Err(error) = state
        .store()
        .set_password(&user.id, &hash, false, &ladder_store::Actor::user(user))
        .await
    {
        return store_failure(error);
    }
    Redirect::to("/?notice=password").into_response()
}

async fn users_page(
    state: &AppState,
    principal: &Principal,
    flash: Option<&str>,
    status: StatusCode,
) -> Response {
    users_page_with(state, principal, flash, status, None).await
}

/// The users page; `progression` carries a refused threshold as typed.
async fn users_page_with(
    state: &AppState,
    principal: &Principal,
    flash: Option<&str>,
    status: StatusCode,
    progression: Option<ladder_web::ProgressionSettings>,
) -> Response {
    let progression = match progression {
        Some(typed) => typed,
        None => ladder_web::ProgressionSettings {
            threshold: crate::people::threshold(state).await.to_string(),
            error: None,
        },
    };
    let users = match state.store().users().await {
        Ok(users) => users,
        Err(error) => return store_failure(error),
    };
    let rows: Vec<UserRow> = users
        .iter()
        .map(|u| UserRow {
            id: u.id.clone(),
            email: u.email.clone(),
            role: u.role.as_str().to_string(),
            disabled: u.disabled,
            created: rfc3339(u.created_at),
        })
        .collect();
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    state.forget_public_browsing();
    let public = state.public_browsing().await;
    let chrome = Chrome::new(state, principal).await;
    html(
        status,
        ladder_web::users_with_settings(
            &chrome.page("Users", flash, None),
            &rows,
            &roles,
            public,
            &progression,
        ),
    )
}

pub async fn users(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    users_page(
        &state,
        &principal,
        notice(query.notice.as_deref()),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct AddUserForm {
    email: String,
    role: String,
}

pub async fn add_user(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Form(form): Form<AddUserForm>,
) -> Response {
    let Some(role) = Role::parse(&form.role) else {
        return users_page(
            &state,
            &principal,
            Some("Choose one of the listed roles."),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match crate::api::add_user(&state, &form.email, role, &principal.actor()).await {
        Ok((user, password)) => {
            let flash = format!(
                "Created {} ({}). One-time password, shown only now: {password}",
                user.email, user.role
            );
            users_page(&state, &principal, Some(&flash), StatusCode::CREATED).await
        }
        Err(error) => users_page(&state, &principal, Some(&error.message), error.status).await,
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

pub async fn set_role(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Response {
    let Some(role) = Role::parse(&form.role) else {
        return users_page(
            &state,
            &principal,
            Some("Choose one of the listed roles."),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    if principal.user.as_ref().is_some_and(|me| me.id == id) && role != Role::Admin {
        return users_page(
            &state,
            &principal,
            Some("You cannot demote yourself; ask another admin."),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match state.store().set_role(&id, role, &principal.actor()).await {
        Ok(_) => Redirect::to("/admin/users?notice=role").into_response(),
        Err(error) => {
            users_page(
                &state,
                &principal,
                Some(&error.to_string()),
                ApiError::from(error).status,
            )
            .await
        }
    }
}

pub async fn disable_user(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
) -> Response {
    if principal.user.as_ref().is_some_and(|me| me.id == id) {
        return users_page(
            &state,
            &principal,
            Some("You cannot disable yourself."),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match state
        .store()
        .set_disabled(&id, true, &principal.actor())
        .await
    {
        Ok(_) => Redirect::to("/admin/users?notice=disabled").into_response(),
        Err(error) => {
            users_page(
                &state,
                &principal,
                Some(&error.to_string()),
                ApiError::from(error).status,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct SettingsForm {
    public_browsing: Option<String>,
    /// "80%"; left unchanged when the form does not send it.
    progression_threshold: Option<String>,
}

pub async fn save_settings(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Form(form): Form<SettingsForm>,
) -> Response {
    let value = if form.public_browsing.is_some() {
        "true"
    } else {
        "false"
    };
    let threshold = match form.progression_threshold.as_deref() {
        None => None,
        Some(text) => match ladder_core::progression::Threshold::parse(text) {
            Ok(threshold) => Some(threshold),
            Err(problem) => {
                let typed = ladder_web::ProgressionSettings {
                    threshold: text.to_string(),
                    error: Some(crate::forms::sentence(&problem)),
                };
                return users_page_with(
                    &state,
                    &principal,
                    None,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(typed),
                )
                .await;
            }
        },
    };
    if let Some(threshold) = threshold {
        if let Err(error) = state
            .store()
            .set_setting(
                crate::people::PROGRESSION_THRESHOLD,
                &threshold.basis_points().to_string(),
                &principal.actor(),
            )
            .await
        {
            return store_failure(error);
        }
    }
    if let Err(error) = state
        .store()
        .set_setting(PUBLIC_BROWSING, value, &principal.actor())
        .await
    {
        return store_failure(error);
    }
    state.forget_public_browsing();
    Redirect::to("/admin/users?notice=settings").into_response()
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

pub async fn stylesheet() -> Response {
    asset("text/css; charset=utf-8", ladder_web::CSS)
}

pub async fn script() -> Response {
    asset("text/javascript; charset=utf-8", ladder_web::JS)
}

pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::not_found(format!("no API route {}", uri.path())).into_response();
    }
    let page = Page {
        title: "Not found",
        nav: &[],
        user: None,
        csrf: None,
        flash: None,
        current_slug: None,
    };
    html(
        StatusCode::NOT_FOUND,
        ladder_web::message(&page, "Not found", "There is no page at this address."),
    )
}
