//! Logging in and out, and changing one's own password. The login form
//! carries its own CSRF token in a cookie (there is no session yet); attempts
//! are limited per account, per client and account, and per client, in the
//! database (see `http::limits`).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use ladder_core::access::Role;
use ladder_web::Page;
use serde::Deserialize;

use crate::http::auth::{self, Credential, Principal};
use crate::http::client::client_address;
use crate::http::error::ApiError;
use crate::http::limits::{LoginGate, LoginLimiter};
use crate::http::page::{html, Chrome, PageError, PageResult};
use crate::http::state::AppState;
use crate::http::text::{url_encode, EMAIL_MAX_BYTES};

/// Where to go after logging in: only a path on this site. Anything else —
/// a URL, `//host`, a backslash (`/\host`), whitespace, control or non-ASCII
/// characters (browsers drop tabs and newlines, so `/<TAB>/host` becomes
/// `//host`), or what is not a valid request target — goes to `/`.
fn safe_next(next: Option<&str>) -> String {
    let Some(path) = next else {
        return "/".to_string();
    };
    // Paths Ladder sends people to login from are percent-encoded: visible
    // ASCII only.
    let same_site = path.starts_with('/')
        && path.bytes().all(|byte| byte.is_ascii_graphic())
        && !path.starts_with("//")
        && !path.contains('\\')
        && path.parse::<axum::http::uri::PathAndQuery>().is_ok();
    if same_site {
        path.to_string()
    } else {
        "/".to_string()
    }
}

/// Where someone lands after logging in when nothing sent them to the login
/// page: their own work, not the frameworks every role can browse.
fn landing(role: Role, user_id: &str) -> String {
    match role {
        Role::Admin | Role::HiringManager | Role::Interviewer => "/job-specs".to_string(),
        Role::Manager => "/people".to_string(),
        Role::Member => format!("/people/{}", url_encode(user_id)),
    }
}

#[derive(Deserialize)]
pub(super) struct LoginQuery {
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

pub(super) async fn login_form(
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
pub(super) struct LoginForm {
    email: String,
    password: String,
    csrf: Option<String>,
    next: Option<String>,
}

/// Why a login form cannot even be tried, before any lookup: PostgreSQL
/// cannot hold a NUL, and no account has one in its e-mail or password.
fn unusable_login(email: &str, password: &str) -> Option<&'static str> {
    if email.contains(char::is_control) {
        Some("The e-mail address contains a control character (such as %00); type it again.")
    } else if password.contains('\0') {
        Some("The password contains a NUL character (%00), which no password can have; type it again.")
    } else {
        None
    }
}

pub(super) async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    Form(form): Form<LoginForm>,
) -> PageResult {
    let next = safe_next(form.next.as_deref());
    let secure_config = state.config().secure_cookies;
    let expected = auth::cookie(&headers, auth::LOGIN_CSRF_COOKIE);
    if expected.is_none() || expected != form.csrf.as_deref() {
        return Ok(login_page(
            secure_config,
            &headers,
            Some("The login form expired. Please try again."),
            &next,
            StatusCode::BAD_REQUEST,
        ));
    }
    if let Some(problem) = unusable_login(&form.email, &form.password) {
        return Ok(login_page(
            secure_config,
            &headers,
            Some(problem),
            &next,
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let peer = connect
        .map(|Extension(ConnectInfo(addr))| addr.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let client = client_address(peer, &headers, &state.config().trusted_proxies);
    let email = form.email.trim().to_lowercase();
    let keys = LoginLimiter::keys(client, &email);
    if let LoginGate::Closed(wait) = state
        .limiter()
        .attempt(state.store(), &keys)
        .await
        .map_err(PageError::failure)?
    {
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
        return Ok(response);
    }
    // No account has an e-mail longer than an address can be.
    let credentials = if email.len() <= EMAIL_MAX_BYTES {
        state
            .store()
            .credentials(&email)
            .await
            .map_err(PageError::failure)?
    } else {
        None
    };
    // Argon2id takes tens of milliseconds of CPU: off the async workers. It
    // runs for unknown e-mails too (see `verify_login`).
    let password = form.password;
    let (credentials, verified) = tokio::task::spawn_blocking(move || {
        let verified = auth::verify_login(credentials.as_ref(), &password);
        (credentials, verified)
    })
    .await
    .map_err(PageError::failure)?;
    let Some(credentials) = credentials.filter(|_| verified) else {
        return Ok(login_page(
            secure_config,
            &headers,
            Some("That e-mail and password do not match an active account."),
            &next,
            StatusCode::UNAUTHORIZED,
        ));
    };
    state
        .limiter()
        .succeeded(state.store(), &keys)
        .await
        .map_err(PageError::failure)?;
    let token = auth::random_secret();
    let expires = ladder_store::now_millis()
        + i64::try_from(auth::SESSION_LIFETIME.as_millis()).unwrap_or(i64::MAX / 2);
    state
        .store()
        .create_session(
            &auth::secret_hash(&token),
            &credentials.user.id,
            &auth::random_secret(),
            expires,
        )
        .await
        .map_err(PageError::failure)?;
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
    } else if next == "/" {
        landing(credentials.user.role, &credentials.user.id)
    } else {
        next
    };
    Ok((
        StatusCode::SEE_OTHER,
        [(header::SET_COOKIE, session), (header::LOCATION, target)],
    )
        .into_response())
}

pub(super) async fn logout(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
) -> PageResult {
    if let Credential::Session { token_hash, .. } = &principal.credential {
        state
            .store()
            .delete_session(token_hash)
            .await
            .map_err(PageError::failure)?;
    }
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, auth::clear_cookie(auth::SESSION_COOKIE)),
            (header::LOCATION, "/?notice=logged-out".to_string()),
        ],
    )
        .into_response())
}

pub(super) async fn password_form(
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
pub(super) struct PasswordForm {
    current: String,
    new_password: String,
}

/// The change-password form again, saying what to fix.
async fn password_form_refused(
    state: &AppState,
    principal: &Principal,
    status: StatusCode,
    problem: &str,
) -> Response {
    let chrome = Chrome::new(state, principal).await;
    html(
        status,
        ladder_web::change_password(&chrome.page("Change password", None, None), Some(problem)),
    )
}

/// Sets a password the person chose (never a one-time one): the current
/// password must be right — wrong ones count against the login limits like
/// failed logins — and the new one strong enough. Every other session of
/// the user ends; this one stays.
pub(super) async fn change_password(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    headers: HeaderMap,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    let user = principal.user.as_ref().ok_or_else(ApiError::unauthorized)?;
    let peer = connect
        .map(|Extension(ConnectInfo(addr))| addr.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let client = client_address(peer, &headers, &state.config().trusted_proxies);
    let keys = LoginLimiter::keys(client, &user.email);
    if let LoginGate::Closed(wait) = state
        .limiter()
        .attempt(state.store(), &keys)
        .await
        .map_err(PageError::failure)?
    {
        let message = format!(
            "Too many wrong passwords. Try again in {} minute(s).",
            wait.div_ceil(60)
        );
        return Ok(password_form_refused(
            &state,
            &principal,
            StatusCode::TOO_MANY_REQUESTS,
            &message,
        )
        .await);
    }
    let credentials = state
        .store()
        .credentials(&user.email)
        .await
        .map_err(PageError::failure)?;
    let current = form.current.clone();
    let right =
        tokio::task::spawn_blocking(move || auth::verify_login(credentials.as_ref(), &current))
            .await
            .map_err(PageError::failure)?;
    if !right {
        return Ok(password_form_refused(
            &state,
            &principal,
            StatusCode::UNPROCESSABLE_ENTITY,
            "The current password is not right.",
        )
        .await);
    }
    state
        .limiter()
        .succeeded(state.store(), &keys)
        .await
        .map_err(PageError::failure)?;
    let problem = if form.new_password == form.current {
        Some("Choose a password different from the current one.".to_string())
    } else {
        auth::password_problem(&form.new_password, &auth::email_words(&user.email))
    };
    if let Some(problem) = problem {
        return Ok(password_form_refused(
            &state,
            &principal,
            StatusCode::UNPROCESSABLE_ENTITY,
            &problem,
        )
        .await);
    }
    let new_password = form.new_password;
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&new_password))
        .await
        .map_err(PageError::failure)?
        .map_err(PageError::failure)?;
    let this_session = match &principal.credential {
        Credential::Session { token_hash, .. } => Some(token_hash.as_str()),
        _ => None,
    };
    state
        .store()
        .set_password(
            &user.id,
            &hash,
            false,
            this_session,
            &ladder_store::Actor::user(user),
        )
        .await
        .map_err(PageError::failure)?;
    Ok(Redirect::to("/?notice=password").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_same_site_paths_are_followed_after_login() {
        for kept in [
            "/",
            "/frameworks/x?level=2#c",
            "/search?q=a%20b",
            "/people/1",
        ] {
            assert_eq!(safe_next(Some(kept)), kept);
        }
        for refused in [
            "/\t/evil.com",
            "/\n/x",
            "/\r\n/x",
            "//evil.com",
            "/\\evil.com",
            "\\\\evil.com",
            "https://evil.com",
            "evil.com",
            " /x",
            "/ /evil.com",
            "/\u{0}/x",
            "/\u{85}/x",
            "/\u{3000}/evil.com",
            "/ä",
            "",
        ] {
            assert_eq!(safe_next(Some(refused)), "/", "{refused:?}");
        }
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn nul_characters_make_a_login_unusable() {
        assert!(unusable_login("a\0@example.com", "pw").is_some());
        assert!(unusable_login("a@example.com", "p\0w").is_some());
        assert!(unusable_login("a\n@example.com", "pw").is_some());
        assert_eq!(unusable_login("a@example.com", "pässwörd \t"), None);
    }
}
