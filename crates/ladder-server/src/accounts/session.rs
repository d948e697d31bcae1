//! Logging in and out, and changing one's own password. The login form
//! carries its own CSRF token in a cookie (there is no session yet); failed
//! attempts are limited per client and per e-mail.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use ladder_web::Page;
use serde::Deserialize;

use crate::http::auth::{self, Credential, Principal};
use crate::http::error::ApiError;
use crate::http::page::{html, Chrome, PageError, PageResult};
use crate::http::state::AppState;

/// Only same-site paths are followed after login, never `//host` or a URL.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_string()
        }
        _ => "/".to_string(),
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
        return Ok(response);
    }
    let credentials = state
        .store()
        .credentials(&email)
        .await
        .map_err(PageError::failure)?;
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
        return Ok(login_page(
            secure_config,
            &headers,
            Some("That e-mail and password do not match an active account."),
            &next,
            StatusCode::UNAUTHORIZED,
        ));
    };
    for key in &keys {
        state.limiter().clear(key);
    }
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

pub(super) async fn change_password(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Form(form): Form<PasswordForm>,
) -> PageResult {
    let user = principal.user.as_ref().ok_or_else(ApiError::unauthorized)?;
    let credentials = state
        .store()
        .credentials(&user.email)
        .await
        .map_err(PageError::failure)?
        .ok_or_else(ApiError::unauthorized)?;
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
        return Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            ladder_web::change_password(&chrome.page("Change password", None, None), Some(problem)),
        ));
    }
    let hash = auth::hash_password(&form.new_password).map_err(PageError::failure)?;
    let current = match &principal.credential {
        Credential::Session { token_hash, .. } => Some(token_hash.as_str()),
        _ => None,
    };
    state
        .store()
        .set_password(
            &user.id,
            &hash,
            false,
            current,
            &ladder_store::Actor::user(user),
        )
        .await
        .map_err(PageError::failure)?;
    Ok(Redirect::to("/?notice=password").into_response())
}
