//! Ladder's HTTP server: the JSON API under `/api/v1`, the server-rendered web
//! app, health and metrics.
//!
//! The crate is one shared floor and one folder per feature:
//!
//! - [`http`] — what every feature uses (errors, state and configuration,
//!   extractors, the page frame, access, idempotency, limits, settings,
//!   health, metrics). It imports no feature.
//! - `clients` — the optional OpenAI-compatible language-model and
//!   speech-to-text clients.
//! - `frameworks`, `accounts`, `jobspecs`, `interviews`, `people` — each with
//!   its route list in `mod.rs`, its handlers in `api.rs` and `pages.rs`, and
//!   service files for what both share. Features never import each other.
//!
//! Every route is declared once, in its feature's list, with the access
//! [`Action`](ladder_core::access::Action) it performs; [`router`], the access
//! layer, [`route_table`] (which the tests walk) and the OpenAPI document all
//! come from those lists.

mod accounts;
pub mod clients;
mod frameworks;
pub mod http;
mod interviews;
pub mod jobspecs;
mod openapi;
mod people;

use std::net::SocketAddr;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::Router;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;

use http::routes::Route;

pub use http::auth;
pub use http::config::{
    default_blob_dir, parse_public_url, public_url_for, show_size, AudioConfig, ServerConfig,
    DEFAULT_TIMEOUT,
};
pub use http::error::{ApiError, ErrorBody};
pub use http::routes::{RouteKind, RouteSpec};
pub use http::state::AppState;
pub use openapi::openapi_json;

/// Every route of the application, feature by feature.
fn all_routes() -> Vec<Route> {
    [
        http::routes(),
        openapi::routes(),
        frameworks::routes(),
        accounts::routes(),
        jobspecs::routes(),
        interviews::routes(),
        people::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// What every route is and the action it performs, for the access tests and
/// anything else that walks the application.
pub fn route_table() -> Vec<RouteSpec> {
    all_routes().into_iter().map(|route| route.spec).collect()
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let body_limit = state.config().body_limit;
    let timeout = state.config().request_timeout;
    let secure_cookies = state.config().secure_cookies;
    http::metrics::install();
    let mut router = Router::new();
    for route in all_routes() {
        let path = route.spec.path.clone();
        router = router.route(&path, http::layers::method_router(route, &state));
    }
    let router = router
        // Innermost: nothing looks anything up with a `%00` from the address.
        .route_layer(axum::middleware::from_fn(http::page::refuse_nul_in_uri))
        .route_layer(axum::middleware::from_fn(http::metrics::track))
        .fallback(http::page::not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(axum::middleware::from_fn(http::error::json_errors_for_api))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(http::trace::span)
                .on_request(())
                .on_response(
                    DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(LatencyUnit::Millis),
                )
                // The response line already carries the status; failures
                // are logged where they happen.
                .on_failure(()),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state);
    // Outermost: every response, whatever answered it.
    http::headers::secure(router, secure_cookies)
}

/// Serves until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_declared_once() {
        let table = route_table();
        for (index, spec) in table.iter().enumerate() {
            assert!(
                !table[index + 1..]
                    .iter()
                    .any(|other| other.method == spec.method && other.path == spec.path),
                "{} {} listed twice",
                spec.method,
                spec.path
            );
        }
    }

    #[test]
    fn the_openapi_document_has_exactly_the_api_routes() {
        let document = openapi_json();
        let paths = document["paths"].as_object().cloned().unwrap_or_default();
        let mut documented: Vec<(String, String)> = paths
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .into_iter()
                    .flat_map(|ops| ops.keys())
                    .filter(|method| {
                        ["get", "post", "put", "patch", "delete"].contains(&method.as_str())
                    })
                    .map(|method| (method.to_uppercase(), path.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        documented.sort();
        let mut declared: Vec<(String, String)> = route_table()
            .into_iter()
            .filter(|spec| spec.kind == RouteKind::Api)
            // Not JSON operations: the document itself and Prometheus text.
            .filter(|spec| !["/api/v1/openapi.json", "/metrics"].contains(&spec.path.as_str()))
            .map(|spec| (spec.method.to_string(), spec.path))
            .collect();
        declared.sort();
        assert_eq!(documented, declared);
    }
}
