//! What every page shares: the frame around its content (sidebar, user
//! badge, CSRF token), HTML responses, and [`PageError`] — the one error type
//! page handlers return, shown as a page of its own inside the site's frame.
//! The frame layer also refuses forms holding a NUL character before their
//! handler runs, and [`refuse_nul_in_uri`] addresses holding one.

use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{RawPathParams, Request, State};
use axum::http::{header, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use ladder_store::StoreError;
use ladder_web::{NavItem, Page, UserBadge};
use serde::Deserialize;

use super::auth::{Caller, Principal};
use super::error::ApiError;
use super::extract::{is_form, nul_field, nul_message, url_decode_pairs};
use super::state::AppState;
use super::text::sentence;

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
            badge: badge(principal),
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

fn badge(principal: &Principal) -> Option<UserBadge> {
    principal.user.as_ref().map(|user| UserBadge {
        email: user.email.clone(),
        role: user.role.as_str().to_string(),
    })
}

/// A page without sidebar or user: for when the frame itself is unavailable.
fn bare(title: &str) -> Page<'_> {
    Page {
        title,
        nav: &[],
        user: None,
        csrf: None,
        flash: None,
        current_slug: None,
    }
}

/// One-off notices a redirect can ask the next page to show (`?notice=key`).
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
pub(crate) struct NoticeQuery {
    pub(crate) notice: Option<String>,
}

/// The text of a notice key; unknown keys show nothing.
pub(crate) fn notice(key: Option<&str>) -> Option<&'static str> {
    let key = key?;
    NOTICES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, text)| *text)
}

/// An HTML response that browsers and proxies must not keep.
pub(crate) fn html(status: StatusCode, body: String) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Html(body)).into_response()
}

/// A message (a notice, or why something cannot be done) in the site frame.
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

/// The forbidden page: the caller's badge, no sidebar.
pub(crate) fn forbidden_response(principal: &Principal) -> Response {
    let badge = badge(principal);
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

const FAILURE_TITLE: &str = "Something went wrong";
const FAILURE_MESSAGE: &str = "The server could not build this page. It has been logged.";

/// How a [`PageError`] is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// Inside the site frame (sidebar, badge), filled in by [`frame_errors`].
    Site,
    /// The forbidden page (badge, no sidebar), filled in by [`frame_errors`].
    Forbidden,
    /// No frame: the store failed, so the sidebar may fail too.
    Bare,
    /// The candidate's own page, which never shows staff navigation.
    Candidate,
}

/// Why a page could not be shown. Handlers return `Result<_, PageError>` and
/// use `?`: a service error (`ApiError`, `StoreError`) becomes the matching
/// page — 403 the forbidden page, 5xx a logged failure without detail,
/// anything else its message as a sentence.
#[derive(Debug, Clone)]
pub(crate) struct PageError {
    status: StatusCode,
    title: String,
    message: String,
    frame: Frame,
}

pub(crate) type PageResult<T = Response> = Result<T, PageError>;

impl PageError {
    /// `message` shown under `title`, in the site frame.
    pub(crate) fn new(status: StatusCode, title: &str, message: impl Into<String>) -> PageError {
        PageError {
            status,
            title: title.to_string(),
            message: message.into(),
            frame: Frame::Site,
        }
    }

    pub(crate) fn not_found(message: impl Into<String>) -> PageError {
        PageError::new(StatusCode::NOT_FOUND, "Not found", message)
    }

    pub(crate) fn forbidden() -> PageError {
        PageError {
            frame: Frame::Forbidden,
            ..PageError::new(StatusCode::FORBIDDEN, "Forbidden", "")
        }
    }

    /// A failure of the store or the server: logged, shown without detail
    /// and without the sidebar (which needs the store too).
    pub(crate) fn failure(error: impl std::fmt::Display) -> PageError {
        tracing::error!(%error, "page failed");
        PageError {
            frame: Frame::Bare,
            ..PageError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                FAILURE_TITLE,
                FAILURE_MESSAGE,
            )
        }
    }

    /// A candidate link that opens no interview, or a failure on the
    /// candidate's page: said in the candidate's terms.
    pub(crate) fn candidate(error: ApiError) -> PageError {
        let (title, message) = match error.status {
            StatusCode::NOT_FOUND => (
                "Link not valid",
                "This interview link is not valid. Check that you copied all of it, or ask the hiring team for a new one.",
            ),
            StatusCode::GONE if error.code == "withdrawn" => (
                "Interview withdrawn",
                "This interview has been withdrawn by the hiring team. If you think this is a mistake, please contact them.",
            ),
            StatusCode::GONE => (
                "Link expired",
                "This interview link has expired. Ask the hiring team for a new one if you would still like to take part.",
            ),
            StatusCode::TOO_MANY_REQUESTS => (
                "Too many requests",
                "Too many requests for this interview. Please wait a minute and try again.",
            ),
            status if status.is_server_error() => (
                "Something went wrong",
                "The interview could not be shown right now. Please try again in a moment.",
            ),
            _ => ("Cannot do that", "This request could not be completed."),
        };
        if error.status.is_server_error() {
            tracing::error!(code = error.code, message = %error.message, "candidate page failed");
        }
        PageError {
            frame: Frame::Candidate,
            ..PageError::new(error.status, title, message)
        }
    }
}

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> PageError {
        if error.status == StatusCode::FORBIDDEN {
            return PageError::forbidden();
        }
        if error.status.is_server_error() {
            tracing::error!(code = error.code, message = %error.message, "page failed");
            return PageError::new(error.status, FAILURE_TITLE, FAILURE_MESSAGE);
        }
        let title = match error.status {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::CONFLICT => "Conflict",
            StatusCode::UNAUTHORIZED => "Please log in",
            StatusCode::BAD_REQUEST => "Bad request",
            _ => "Cannot do that",
        };
        PageError::new(error.status, title, sentence(&error.message))
    }
}

impl From<StoreError> for PageError {
    fn from(error: StoreError) -> PageError {
        PageError::from(ApiError::from(error))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let body = match self.frame {
            Frame::Candidate => ladder_web::candidate_message(&self.title, &self.message),
            _ => ladder_web::message(&bare(&self.title), &self.title, &self.message),
        };
        let mut response = html(self.status, body);
        if matches!(self.frame, Frame::Site | Frame::Forbidden) {
            // `frame_errors` replaces the bare body with the framed page.
            response.extensions_mut().insert(self);
        }
        response
    }
}

/// A form the page cannot take, shown in the frame of the person looking
/// (or the candidate's own page) before the handler runs.
async fn refused_form(
    state: &AppState,
    principal: Option<&Principal>,
    candidate: bool,
    status: StatusCode,
    title: &str,
    message: &str,
) -> Response {
    match principal {
        _ if candidate => html(status, ladder_web::candidate_message(title, message)),
        Some(principal) => message_page(state, principal, status, title, message).await,
        None => html(status, ladder_web::message(&bare(title), title, message)),
    }
}

/// Reads a form body once, before the handler, and refuses it when a field
/// holds a NUL character: a 422 page naming the field, and nothing stored.
/// The body is handed on unchanged otherwise.
async fn refuse_nul_in_form(
    state: &AppState,
    principal: Option<&Principal>,
    request: Request,
) -> Result<Request, Response> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if !is_form(&content_type) {
        return Ok(request);
    }
    let candidate = matches!(
        request.extensions().get::<Caller>(),
        Some(Caller::Candidate(_))
    );
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, state.config().body_limit).await else {
        return Err(refused_form(
            state,
            principal,
            candidate,
            StatusCode::PAYLOAD_TOO_LARGE,
            "Too large",
            "The form is larger than this server accepts.",
        )
        .await);
    };
    if let Some(field) = nul_field(&content_type, &bytes) {
        let message = format!(
            "The field “{field}” contains a NUL character (U+0000), which is not text. Remove it and send the form again; nothing was saved."
        );
        return Err(refused_form(
            state,
            principal,
            candidate,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Cannot do that",
            &message,
        )
        .await);
    }
    Ok(Request::from_parts(parts, axum::body::Body::from(bytes)))
}

/// Refuses forms holding NUL characters (see [`refuse_nul_in_form`]), and
/// renders a page handler's [`PageError`] inside the frame of the person
/// looking (their sidebar and badge). Runs inside the access layer, which
/// put the [`Principal`] on the request.
pub(crate) async fn frame_errors(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let principal = request.extensions().get::<Principal>().cloned();
    let request = match refuse_nul_in_form(&state, principal.as_ref(), request).await {
        Ok(request) => request,
        Err(refused) => return refused,
    };
    let mut response = next.run(request).await;
    let (Some(error), Some(principal)) =
        (response.extensions_mut().remove::<PageError>(), principal)
    else {
        return response;
    };
    match error.frame {
        Frame::Forbidden => forbidden_response(&principal),
        _ => {
            message_page(
                &state,
                &principal,
                error.status,
                &error.title,
                &error.message,
            )
            .await
        }
    }
}

/// Unknown addresses: JSON under `/api/`, a page elsewhere.
pub(crate) async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::not_found(format!("no API route {}", uri.path())).into_response();
    }
    html(
        StatusCode::NOT_FOUND,
        ladder_web::message(
            &bare("Not found"),
            "Not found",
            "There is no page at this address.",
        ),
    )
}

/// Refuses a path or query string holding a NUL character (`%00`) before
/// the route's handler looks anything up with it: 400 naming the path
/// parameter or query field under `/api/`, the not-found page elsewhere.
/// A route layer, so that it knows the route's parameter names.
pub(crate) async fn refuse_nul_in_uri(
    path_params: Result<RawPathParams, RawPathParamsRejection>,
    request: Request,
    next: Next,
) -> Response {
    let uri = request.uri();
    let in_path = uri.path().contains("%00");
    let in_query = uri.query().is_some_and(|query| query.contains("%00"));
    if !in_path && !in_query {
        return next.run(request).await;
    }
    let field = if in_path {
        path_params
            .ok()
            .and_then(|params| {
                params
                    .iter()
                    .find(|(_, value)| value.contains('\0'))
                    .map(|(name, _)| name.to_string())
            })
            .unwrap_or_else(|| "path".to_string())
    } else {
        uri.query()
            .map(|query| url_decode_pairs(query.as_bytes()))
            .and_then(|pairs| {
                pairs
                    .into_iter()
                    .find(|(key, value)| key.contains('\0') || value.contains('\0'))
                    .map(|(key, _)| key.replace('\0', "\u{2400}"))
            })
            .unwrap_or_else(|| "query".to_string())
    };
    if uri.path().starts_with("/api/") {
        return ApiError::bad_request(format!("the address is not valid: {}", nul_message(&field)))
            .field(field)
            .into_response();
    }
    not_found(uri.clone()).await
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

pub(crate) async fn stylesheet() -> Response {
    asset("text/css; charset=utf-8", ladder_web::CSS)
}

pub(crate) async fn script() -> Response {
    asset("text/javascript; charset=utf-8", ladder_web::JS)
}
