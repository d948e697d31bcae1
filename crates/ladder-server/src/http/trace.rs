//! Request tracing: every request gets an id (`x-request-id`, kept when the
//! client or a proxy sent one, echoed on the response) and one span, and
//! leaves one log line when it is answered — method, route template, status
//! and latency. Paths are never logged: a candidate's link is a secret.

use axum::extract::Request;
use tracing::Span;

/// The span a request runs in. `route` is filled in by the metrics layer once
/// the router has matched the request.
pub(crate) fn span(request: &Request) -> Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        id,
        method = %request.method(),
        route = tracing::field::Empty,
    )
}
