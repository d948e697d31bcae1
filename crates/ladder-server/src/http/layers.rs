//! The layers a route's declaration asks for, put around its handler.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::Response;
use axum::routing::MethodRouter;
use axum::Extension;

use super::access::{authorize, Guard};
use super::idempotency::idempotency;
use super::limits::candidate_gate;
use super::page::frame_errors;
use super::routes::{Route, RouteKind};
use super::state::AppState;

/// The handler inside the layers its declaration asks for, innermost
/// first: the page error frame, idempotency, the body limit, the
/// candidate rate limit, and outermost the access check.
pub(crate) fn method_router(route: Route, state: &AppState) -> MethodRouter<AppState> {
    let mut handler = route.handler;
    if route.spec.kind == RouteKind::Page {
        handler = handler.route_layer(from_fn_with_state(state.clone(), frame_errors));
    }
    if route.spec.idempotent {
        handler = handler.route_layer(from_fn_with_state(state.clone(), idempotency));
    }
    if let Some(limit) = route.body_limit {
        handler = handler.route_layer(Extension(limit(state.config())));
    }
    if route.spec.candidate {
        handler = handler.route_layer(from_fn_with_state(state.clone(), candidate_rate_limit));
    }
    let guard = Guard {
        state: state.clone(),
        spec: Arc::new(route.spec),
    };
    handler.route_layer(from_fn_with_state(guard, authorize))
}

/// The candidate rate limit, counted before idempotency so that replays
/// count too.
async fn candidate_rate_limit(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let caller = request.extensions().get::<super::auth::Caller>();
    match candidate_gate(state.store(), caller).await {
        Some(refused) => refused,
        None => next.run(request).await,
    }
}
