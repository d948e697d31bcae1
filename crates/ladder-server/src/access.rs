//! The route table and the one middleware that authenticates every request and
//! decides whether it may proceed.

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use ladder_core::access::{allowed, Action};

use crate::auth::{self, Credential, Principal};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteKind {
    /// JSON in and out; denied requests get JSON 401/403.
    Api,
    /// Pages and forms; anonymous visitors are sent to the login page.
    Page,
}

#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    /// The path as registered with the router (`{slug}` placeholders).
    pub path: &'static str,
    pub action: Action,
    pub kind: RouteKind,
}

const fn route(
    method: &'static str,
    path: &'static str,
    action: Action,
    kind: RouteKind,
) -> RouteSpec {
    RouteSpec {
        method,
        path,
        action,
        kind,
    }
}

use Action::*;
use RouteKind::*;

/// Every route of the application and the action it performs. A route missing
/// here is refused, so forgetting an entry fails closed.
pub const ROUTES: &[RouteSpec] = &[
    route("GET", "/healthz", Public, Api),
    route("GET", "/readyz", Public, Api),
    route("GET", "/metrics", Public, Api),
    route("GET", "/api/v1/openapi.json", Public, Api),
    route("GET", "/api/v1/frameworks", BrowseFrameworks, Api),
    route("POST", "/api/v1/frameworks", ImportFrameworks, Api),
    route("GET", "/api/v1/frameworks/{slug}", BrowseFrameworks, Api),
    route(
        "GET",
        "/api/v1/frameworks/{slug}/versions",
        BrowseFrameworks,
        Api,
    ),
    route(
        "GET",
        "/api/v1/frameworks/{slug}/compare",
        BrowseFrameworks,
        Api,
    ),
    route("GET", "/api/v1/search", BrowseFrameworks, Api),
    route("GET", "/api/v1/me", ManageOwnAccount, Api),
    route("GET", "/api/v1/users", ManageUsers, Api),
    route("POST", "/api/v1/users", ManageUsers, Api),
    route("PATCH", "/api/v1/users/{id}", ManageUsers, Api),
    route("GET", "/api/v1/settings", ManageUsers, Api),
    route("PUT", "/api/v1/settings", ManageUsers, Api),
    route("GET", "/api/v1/audit", ReadAudit, Api),
    route("GET", "/api/v1/job-specs", ReadJobSpecs, Api),
    route("POST", "/api/v1/job-specs", EditJobSpecs, Api),
    route("GET", "/api/v1/job-specs/{id}", ReadJobSpecs, Api),
    route("PUT", "/api/v1/job-specs/{id}", EditJobSpecs, Api),
    route("POST", "/api/v1/job-specs/{id}/publish", EditJobSpecs, Api),
    route("GET", "/api/v1/job-specs/{id}/versions", ReadJobSpecs, Api),
    route("GET", "/api/v1/job-specs/{id}/diff", ReadJobSpecs, Api),
    route(
        "GET",
        "/api/v1/job-specs/{id}/rounds/{round}/items",
        ReadJobSpecs,
        Api,
    ),
    route(
        "POST",
        "/api/v1/job-specs/{id}/rounds/{round}/items",
        EditJobSpecs,
        Api,
    ),
    route(
        "PATCH",
        "/api/v1/job-specs/{id}/rounds/{round}/items/{item_id}",
        EditJobSpecs,
        Api,
    ),
    route(
        "DELETE",
        "/api/v1/job-specs/{id}/rounds/{round}/items/{item_id}",
        EditJobSpecs,
        Api,
    ),
    route(
        "PUT",
        "/api/v1/job-specs/{id}/rounds/{round}/order",
        EditJobSpecs,
        Api,
    ),
    route(
        "POST",
        "/api/v1/job-specs/{id}/rounds/{round}/regenerate",
        EditJobSpecs,
        Api,
    ),
    route(
        "GET",
        "/api/v1/job-specs/{id}/interviews",
        ReadJobSpecs,
        Api,
    ),
    route(
        "POST",
        "/api/v1/job-specs/{id}/interviews",
        EditJobSpecs,
        Api,
    ),
    route(
        "POST",
        "/api/v1/job-specs/{id}/interviews/csv",
        EditJobSpecs,
        Api,
    ),
    route(
        "GET",
        "/api/v1/job-specs/{id}/performance",
        ReadJobSpecs,
        Api,
    ),
    route(
        "GET",
        "/api/v1/job-specs/{id}/results.csv",
        ReadJobSpecs,
        Api,
    ),
    route(
        "GET",
        "/api/v1/job-specs/{id}/results.json",
        ReadJobSpecs,
        Api,
    ),
    // Interviewers only for interviews they are assigned to (checked in the
    // handlers).
    route("GET", "/api/v1/interviews/{id}", ReadJobSpecs, Api),
    route(
        "POST",
        "/api/v1/interviews/{id}/interviewers",
        EditJobSpecs,
        Api,
    ),
    route(
        "POST",
        "/api/v1/interviews/{id}/withdraw",
        EditJobSpecs,
        Api,
    ),
    route(
        "POST",
        "/api/v1/interviews/{id}/scorecards",
        ReadJobSpecs,
        Api,
    ),
    // The automated evaluator drafts the caller's own scorecard; recordings
    // are read like answers (assignment checked in the handlers).
    route(
        "POST",
        "/api/v1/interviews/{id}/scorecards/automated",
        ReadJobSpecs,
        Api,
    ),
    route(
        "GET",
        "/api/v1/interviews/{id}/audio/{audio_id}",
        ReadJobSpecs,
        Api,
    ),
    // Candidates: authenticated only by the token in the path, which the
    // handlers check.
    route("GET", "/api/v1/candidate/{token}", Public, Api),
    route("POST", "/api/v1/candidate/{token}/answers", Public, Api),
    route("POST", "/api/v1/candidate/{token}/finish", Public, Api),
    route("POST", "/api/v1/candidate/{token}/audio", Public, Api),
    route(
        "GET",
        "/api/v1/candidate/{token}/audio/{audio_id}",
        Public,
        Api,
    ),
    route("GET", "/", BrowseFrameworks, Page),
    route("GET", "/frameworks/{slug}", BrowseFrameworks, Page),
    route("GET", "/frameworks/{slug}/compare", BrowseFrameworks, Page),
    route("GET", "/search", BrowseFrameworks, Page),
    route("GET", "/login", Public, Page),
    route("POST", "/login", Public, Page),
    route("POST", "/logout", ManageOwnAccount, Page),
    route("GET", "/account/password", ManageOwnAccount, Page),
    route("POST", "/account/password", ManageOwnAccount, Page),
    route("GET", "/admin/users", ManageUsers, Page),
    route("POST", "/admin/users", ManageUsers, Page),
    route("POST", "/admin/users/{id}/role", ManageUsers, Page),
    route("POST", "/admin/users/{id}/disable", ManageUsers, Page),
    route("POST", "/admin/settings", ManageUsers, Page),
    route("GET", "/job-specs", ReadJobSpecs, Page),
    route("POST", "/job-specs", EditJobSpecs, Page),
    route("GET", "/job-specs/new", EditJobSpecs, Page),
    route("GET", "/job-specs/{id}", ReadJobSpecs, Page),
    route("GET", "/job-specs/{id}/edit", EditJobSpecs, Page),
    route("POST", "/job-specs/{id}/edit", EditJobSpecs, Page),
    route("POST", "/job-specs/{id}/publish", EditJobSpecs, Page),
    route("GET", "/job-specs/{id}/versions", ReadJobSpecs, Page),
    route("GET", "/job-specs/{id}/diff", ReadJobSpecs, Page),
    route(
        "POST",
        "/job-specs/{id}/rounds/{round}/items",
        EditJobSpecs,
        Page,
    ),
    route(
        "POST",
        "/job-specs/{id}/rounds/{round}/items/{item_id}",
        EditJobSpecs,
        Page,
    ),
    route(
        "POST",
        "/job-specs/{id}/rounds/{round}/items/{item_id}/delete",
        EditJobSpecs,
        Page,
    ),
    route(
        "POST",
        "/job-specs/{id}/rounds/{round}/items/{item_id}/move",
        EditJobSpecs,
        Page,
    ),
    route(
        "POST",
        "/job-specs/{id}/rounds/{round}/regenerate",
        EditJobSpecs,
        Page,
    ),
    route("GET", "/candidate/{token}", Public, Page),
    route("POST", "/candidate/{token}/answers", Public, Page),
    route("POST", "/candidate/{token}/finish", Public, Page),
    route("GET", "/job-specs/{id}/interviews", ReadJobSpecs, Page),
    route("POST", "/job-specs/{id}/interviews", EditJobSpecs, Page),
    route("GET", "/job-specs/{id}/performance", ReadJobSpecs, Page),
    route("GET", "/interviews/{id}", ReadJobSpecs, Page),
    route("POST", "/interviews/{id}/scorecard", ReadJobSpecs, Page),
    route(
        "POST",
        "/interviews/{id}/scorecard/automated",
        ReadJobSpecs,
        Page,
    ),
    route("POST", "/interviews/{id}/withdraw", EditJobSpecs, Page),
    route("POST", "/job-specs/{id}/interviews/csv", EditJobSpecs, Page),
    route("GET", "/api/v1/people", TrackProgression, Api),
    route("GET", "/api/v1/people/{id}", TrackProgression, Api),
    route(
        "GET",
        "/api/v1/people/{id}/placements",
        TrackProgression,
        Api,
    ),
    route("POST", "/api/v1/people/{id}/placements", PlacePeople, Api),
    route(
        "GET",
        "/api/v1/people/{id}/assessments",
        TrackProgression,
        Api,
    ),
    route(
        "POST",
        "/api/v1/people/{id}/assessments",
        TrackProgression,
        Api,
    ),
    route(
        "GET",
        "/api/v1/people/{id}/assessments/{assessment_id}",
        TrackProgression,
        Api,
    ),
    route(
        "PUT",
        "/api/v1/people/{id}/assessments/{assessment_id}/marks",
        TrackProgression,
        Api,
    ),
    route(
        "POST",
        "/api/v1/people/{id}/assessments/{assessment_id}/submit",
        TrackProgression,
        Api,
    ),
    route(
        "GET",
        "/api/v1/people/{id}/assessments/{assessment_id}/export",
        TrackProgression,
        Api,
    ),
    route("GET", "/api/v1/people/{id}/progress", TrackProgression, Api),
    route("GET", "/people", TrackProgression, Page),
    // The people list's placement form: the person is chosen in the form.
    route("POST", "/people", PlacePeople, Page),
    route("GET", "/people/{id}", TrackProgression, Page),
    route("POST", "/people/{id}/placements", PlacePeople, Page),
    route("POST", "/people/{id}/assessments", TrackProgression, Page),
    route(
        "GET",
        "/people/{id}/assessments/{assessment_id}",
        TrackProgression,
        Page,
    ),
    route(
        "POST",
        "/people/{id}/assessments/{assessment_id}",
        TrackProgression,
        Page,
    ),
    route(
        "POST",
        "/people/{id}/assessments/{assessment_id}/submit",
        TrackProgression,
        Page,
    ),
    route("GET", "/static/app.css", Public, Page),
    route("GET", "/static/app.js", Public, Page),
];

pub fn route_spec(method: &Method, path: &str) -> Option<&'static RouteSpec> {
    // HEAD is answered by GET routes.
    let method = if method == Method::HEAD {
        "GET"
    } else {
        method.as_str()
    };
    ROUTES
        .iter()
        .find(|spec| spec.method == method && spec.path == path)
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
        crate::forms::multipart(&content_type, &bytes).and_then(|fields| {
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

/// `application/x-www-form-urlencoded` decoding; malformed escapes are kept
/// literally rather than rejected.
pub fn url_decode_pairs(body: &[u8]) -> Vec<(String, String)> {
    fn hex_value(byte: u8) -> Option<u8> {
        (byte as char)
            .to_digit(16)
            .and_then(|digit| u8::try_from(digit).ok())
    }
    fn decode(part: &[u8]) -> String {
        let mut out = Vec::with_capacity(part.len());
        let mut index = 0;
        while index < part.len() {
            let byte = part[index];
            let escaped = match (byte, part.get(index + 1), part.get(index + 2)) {
                (b'%', Some(&high), Some(&low)) => {
                    hex_value(high).zip(hex_value(low)).map(|(h, l)| h * 16 + l)
                }
                _ => None,
            };
            match (byte, escaped) {
                (_, Some(decoded)) => {
                    out.push(decoded);
                    index += 3;
                }
                (b'+', None) => {
                    out.push(b' ');
                    index += 1;
                }
                (other, None) => {
                    out.push(other);
                    index += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    body.split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut split = pair.splitn(2, |b| *b == b'=');
            let key = split.next().unwrap_or(&[]);
            let value = split.next().unwrap_or(&[]);
            (decode(key), decode(value))
        })
        .collect()
}

fn deny(principal: &Principal, spec: &RouteSpec, uri: &axum::http::Uri) -> Response {
    let anonymous = principal.user.is_none();
    match (spec.kind, anonymous) {
        (RouteKind::Api, true) => ApiError::unauthorized().into_response(),
        (RouteKind::Api, false) => ApiError::forbidden().into_response(),
        (RouteKind::Page, true) => {
            let next = uri.path_and_query().map(|pq| pq.as_str()).unwrap_or("/");
            Redirect::to(&format!("/login?next={}", crate::pages::url_encode(next))).into_response()
        }
        (RouteKind::Page, false) => crate::pages::forbidden_page(principal),
    }
}

pub async fn authorize(
    State(state): State<AppState>,
    matched: Option<MatchedPath>,
    request: Request,
    next: Next,
) -> Response {
    let path = matched.as_ref().map(MatchedPath::as_str).unwrap_or("");
    let Some(spec) = route_spec(request.method(), path) else {
        if ROUTES.iter().any(|spec| spec.path == path) {
            return ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!(
                    "{path} does not accept {}; see /api/v1/openapi.json",
                    request.method()
                ),
            )
            .into_response();
        }
        tracing::error!(path, method = %request.method(), "route has no access rule");
        return ApiError::forbidden().into_response();
    };
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

    let must_change = principal
        .user
        .as_ref()
        .is_some_and(|user| user.must_change_password)
        && matches!(principal.credential, Credential::Session { .. });
    if must_change
        && spec.kind == RouteKind::Page
        && spec.action != Action::Public
        && !matches!(spec.path, "/account/password" | "/logout")
    {
        return Redirect::to("/account/password").into_response();
    }

    request.extensions_mut().insert(principal);
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_decode() {
        assert_eq!(
            url_decode_pairs(b"csrf=a%2Bb&email=x%40y.z&note=hello+world&bad=%zz&end=%4"),
            vec![
                ("csrf".to_string(), "a+b".to_string()),
                ("email".to_string(), "x@y.z".to_string()),
                ("note".to_string(), "hello world".to_string()),
                ("bad".to_string(), "%zz".to_string()),
                ("end".to_string(), "%4".to_string()),
            ]
        );
    }

    #[test]
    fn every_route_is_unique() {
        for (index, spec) in ROUTES.iter().enumerate() {
            assert!(
                !ROUTES[index + 1..]
                    .iter()
                    .any(|other| other.method == spec.method && other.path == spec.path),
                "{} {} listed twice",
                spec.method,
                spec.path
            );
        }
    }
}
