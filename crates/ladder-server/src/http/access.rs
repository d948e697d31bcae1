//! The one middleware that authenticates every request and decides whether it
//! may proceed, from the route's declared [`Action`]: API token or session
//! cookie, CSRF for browser sessions, the role check, forced password change.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{RawPathParams, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use ladder_core::access::{allowed, Action};

use super::auth::{self, Caller, Credential, Principal};
use super::error::ApiError;
use super::extract::{multipart, url_decode_pairs};
use super::page::forbidden_response;
use super::routes::{RouteKind, RouteSpec};
use super::state::AppState;
use super::text::url_encode;

/// What the access layer of one route holds: the app and the route's
/// declaration.
#[derive(Clone)]
pub(crate) struct Guard {
    pub(crate) state: AppState,
    pub(crate) spec: Arc<RouteSpec>,
}

/// Whether the caller's role may perform `action` (for what a page offers,
/// such as an edit button; routes are checked by [`authorize`]).
pub(crate) fn may(principal: &Principal, action: Action) -> bool {
    allowed(principal.user.as_ref().map(|user| user.role), action, false)
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Authenticates from an API token or a session cookie. A token that does not
/// match is an error, never a silent fall-back to anonymous.
async fn authenticate(
    state: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<Principal, ApiError> {
    if let Some(token) = auth::bearer_token(headers) {
        return match state
            .store()
            .user_by_api_token(&auth::secret_hash(token))
            .await?
        {
            Some(user) => Ok(Principal {
                user: Some(user),
                credential: Credential::Token,
            }),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "the API token is unknown or revoked",
            )),
        };
    }
    if let Some(session) = auth::cookie(headers, auth::SESSION_COOKIE) {
        let token_hash = auth::secret_hash(session);
        if let Some((user, csrf)) = state
            .store()
            .session(&token_hash, ladder_store::now_millis())
            .await?
        {
            return Ok(Principal {
                user: Some(user),
                credential: Credential::Session { token_hash, csrf },
            });
        }
    }
    Ok(Principal {
        user: None,
        credential: Credential::Anonymous,
    })
}

/// The CSRF token a browser sent: the `X-CSRF-Token` header, or the `csrf`
/// field of a form body (which is buffered and handed on unchanged).
async fn sent_csrf(request: Request) -> Result<(Option<String>, Request), Response> {
    if let Some(value) = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        let value = value.to_string();
        return Ok((Some(value), request));
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    let is_multipart = content_type.starts_with("multipart/form-data");
    if !is_form && !is_multipart {
        return Ok((None, request));
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 1024 * 1024).await.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "the form is larger than 1 MiB",
        )
        .into_response()
    })?;
    let token = if is_multipart {
        // File uploads (a CSV of candidates) carry the token as a part.
        multipart(&content_type, &bytes).and_then(|fields| {
            fields
                .into_iter()
                .find(|part| part.name == "csrf")
                .map(|part| String::from_utf8_lossy(&part.bytes).into_owned())
        })
    } else {
        form_field(&bytes, "csrf")
    };
    Ok((token, Request::from_parts(parts, Body::from(bytes))))
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    url_decode_pairs(body)
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

fn deny(principal: &Principal, spec: &RouteSpec, uri: &axum::http::Uri) -> Response {
    let anonymous = principal.user.is_none();
    match (spec.kind, anonymous) {
        (RouteKind::Api, true) => ApiError::unauthorized().into_response(),
        (RouteKind::Api, false) => ApiError::forbidden().into_response(),
        (RouteKind::Page, true) => {
            let next = uri.path_and_query().map(|pq| pq.as_str()).unwrap_or("/");
            Redirect::to(&format!("/login?next={}", url_encode(next))).into_response()
        }
        (RouteKind::Page, false) => forbidden_response(principal),
    }
}

/// Routes a session that must change its password may still use: the
/// change itself and logging out.
const WHILE_PASSWORD_CHANGE_REQUIRED: &[&str] = &["/account/password", "/logout"];

/// A session made with a one-time password may do nothing but choose a new
/// one (or log out) until it has: pages send it to the form, the API answers
/// 403 `password_change_required`. API tokens are not held back: they are made
/// deliberately (by an admin on the command line) and the one-time password
/// never gives one.
fn password_change_required(principal: &Principal, spec: &RouteSpec) -> Option<Response> {
    let must_change = principal
        .user
        .as_ref()
        .is_some_and(|user| user.must_change_password)
        && matches!(principal.credential, Credential::Session { .. });
    if !must_change
        || spec.action == Action::Public
        || WHILE_PASSWORD_CHANGE_REQUIRED.contains(&spec.path.as_str())
    {
        return None;
    }
    Some(match spec.kind {
        RouteKind::Page => Redirect::to("/account/password").into_response(),
        RouteKind::Api => ApiError::new(
            StatusCode::FORBIDDEN,
            "password_change_required",
            "You logged in with a one-time password: choose your own password at /account/password first, then try again.",
        )
        .into_response(),
    })
}

/// Authenticates the caller, checks CSRF for browser sessions and the role
/// against the route's action, and puts the [`Principal`] and the [`Caller`]
/// on the request for the handler and the inner layers.
pub(crate) async fn authorize(
    State(Guard { state, spec }): State<Guard>,
    path_params: Result<RawPathParams, RawPathParamsRejection>,
    request: Request,
    next: Next,
) -> Response {
    let spec = spec.as_ref();
    let principal = match authenticate(&state, request.headers()).await {
        Ok(principal) => principal,
        Err(error) => return error.into_response(),
    };

    let mut request = request;
    if changes_state(request.method()) && spec.action != Action::Public {
        if let Credential::Session { csrf, .. } = &principal.credential {
            let (sent, buffered) = match sent_csrf(request).await {
                Ok(found) => found,
                Err(response) => return response,
            };
            request = buffered;
            if sent.as_deref() != Some(csrf.as_str()) {
                return ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf",
                    "this form has expired or did not come from Ladder; reload the page and try again",
                )
                .into_response();
            }
        }
    }

    let role = principal.user.as_ref().map(|user| user.role);
    let public = if role.is_none() && spec.action == Action::BrowseFrameworks {
        state.public_browsing().await
    } else {
        false
    };
    if !allowed(role, spec.action, public) {
        return deny(&principal, spec, request.uri());
    }

    if let Some(refused) = password_change_required(&principal, spec) {
        return refused;
    }

    let caller = if spec.candidate {
        // The secret link is the credential; keyed by its hash only.
        let token = path_params
            .as_ref()
            .ok()
            .and_then(|params| params.iter().find(|(name, _)| *name == "token"))
            .map(|(_, token)| token);
        match token {
            Some(token) => Caller::Candidate(auth::secret_hash(token)),
            None => Caller::Anonymous,
        }
    } else {
        match &principal.user {
            Some(user) => Caller::User(user.id.clone()),
            None => Caller::Anonymous,
        }
    };
    request.extensions_mut().insert(caller);
    request.extensions_mut().insert(principal);
    next.run(request).await
}
