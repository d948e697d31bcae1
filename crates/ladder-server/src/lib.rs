//! Ladder's HTTP server: the JSON API under `/api/v1`, the server-rendered web
//! app, health and metrics. [`router`] builds the whole application around an
//! [`AppState`]; [`serve`] runs it until a shutdown signal.
//!
//! Authorisation happens in exactly one place: the [`access`] middleware looks
//! up the matched route in [`ROUTES`], authenticates the caller, checks CSRF for
//! browser sessions and asks `ladder_core::access::allowed`. Handlers only read
//! the resulting [`auth::Principal`].

pub mod access;
mod api;
mod api_jobspecs;
pub mod audio;
pub mod auth;
mod error;
mod evaluator;
mod forms;
mod interviews;
pub mod jobspecs;
pub mod llm;
mod metrics;
mod openapi;
mod pages;
mod pages_candidate;
mod pages_interviews;
mod pages_jobspecs;
mod pages_people;
pub mod people;
mod state;
pub mod stt;

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use tower_http::timeout::TimeoutLayer;

pub use access::{RouteKind, RouteSpec, ROUTES};
pub use error::{ApiError, ErrorBody};
pub use openapi::openapi_json;
pub use state::{AppState, ServerConfig};

/// The whole application.
pub fn router(state: AppState) -> Router {
    let body_limit = state.config().body_limit;
    let timeout = state.config().request_timeout;
    Router::new()
        .route("/healthz", get(api::healthz))
        .route("/readyz", get(api::readyz))
        .route("/metrics", get(metrics::render))
        .route("/api/v1/openapi.json", get(openapi::document))
        .route(
            "/api/v1/frameworks",
            get(api::list_frameworks).post(api::upload_framework),
        )
        .route("/api/v1/frameworks/{slug}", get(api::get_framework))
        .route(
            "/api/v1/frameworks/{slug}/versions",
            get(api::framework_versions),
        )
        .route(
            "/api/v1/frameworks/{slug}/compare",
            get(api::compare_levels),
        )
        .route("/api/v1/search", get(api::search))
        .route("/api/v1/me", get(api::me))
        .route("/api/v1/users", get(api::list_users).post(api::create_user))
        .route("/api/v1/users/{id}", axum::routing::patch(api::update_user))
        .route(
            "/api/v1/settings",
            get(api::get_settings).put(api::put_settings),
        )
        .route("/api/v1/audit", get(api::audit))
        .route(
            "/api/v1/job-specs",
            get(api_jobspecs::list).post(api_jobspecs::create),
        )
        .route(
            "/api/v1/job-specs/{id}",
            get(api_jobspecs::get).put(api_jobspecs::update),
        )
        .route(
            "/api/v1/job-specs/{id}/publish",
            post(api_jobspecs::publish),
        )
        .route(
            "/api/v1/job-specs/{id}/versions",
            get(api_jobspecs::versions),
        )
        .route(
            "/api/v1/job-specs/{id}/diff",
            get(api_jobspecs::version_diff),
        )
        .route(
            "/api/v1/job-specs/{id}/rounds/{round}/items",
            get(api_jobspecs::list_items).post(api_jobspecs::add_item),
        )
        .route(
            "/api/v1/job-specs/{id}/rounds/{round}/items/{item_id}",
            axum::routing::patch(api_jobspecs::edit_item).delete(api_jobspecs::delete_item),
        )
        .route(
            "/api/v1/job-specs/{id}/rounds/{round}/order",
            axum::routing::put(api_jobspecs::reorder),
        )
        .route(
            "/api/v1/job-specs/{id}/rounds/{round}/regenerate",
            post(api_jobspecs::regenerate),
        )
        // Interviews, candidate links, performance and results (see
        // `interviews::routes` for the list and its middlewares).
        .merge(interviews::routes(&state))
        // People, placements, assessments and progress (`people::routes`).
        .merge(people::routes(&state))
        .merge(
            Router::new()
                .route("/candidate/{token}", get(pages_candidate::show))
                .route("/candidate/{token}/answers", post(pages_candidate::answer))
                .route("/candidate/{token}/finish", post(pages_candidate::finish))
                .route_layer(axum::middleware::from_fn(interviews::candidate_rate_limit)),
        )
        .route("/", get(pages::home))
        .route("/frameworks/{slug}", get(pages::framework))
        .route("/frameworks/{slug}/compare", get(pages::compare))
        .route("/search", get(pages::search))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route(
            "/account/password",
            get(pages::password_form).post(pages::change_password),
        )
        .route("/admin/users", get(pages::users).post(pages::add_user))
        .route("/admin/users/{id}/role", post(pages::set_role))
        .route("/admin/users/{id}/disable", post(pages::disable_user))
        .route("/admin/settings", post(pages::save_settings))
        .route(
            "/job-specs",
            get(pages_jobspecs::list).post(pages_jobspecs::create),
        )
        .route("/job-specs/new", get(pages_jobspecs::new_form))
        .route("/job-specs/{id}", get(pages_jobspecs::show))
        .route(
            "/job-specs/{id}/edit",
            get(pages_jobspecs::edit_form).post(pages_jobspecs::save),
        )
        .route("/job-specs/{id}/publish", post(pages_jobspecs::publish))
        .route("/job-specs/{id}/versions", get(pages_jobspecs::versions))
        .route("/job-specs/{id}/diff", get(pages_jobspecs::diff))
        .route(
            "/job-specs/{id}/rounds/{round}/items",
            post(pages_jobspecs::add_item),
        )
        .route(
            "/job-specs/{id}/rounds/{round}/items/{item_id}",
            post(pages_jobspecs::edit_item),
        )
        .route(
            "/job-specs/{id}/rounds/{round}/items/{item_id}/delete",
            post(pages_jobspecs::delete_item),
        )
        .route(
            "/job-specs/{id}/rounds/{round}/items/{item_id}/move",
            post(pages_jobspecs::move_item),
        )
        .route(
            "/job-specs/{id}/rounds/{round}/regenerate",
            post(pages_jobspecs::regenerate),
        )
        .route(
            "/job-specs/{id}/interviews",
            get(pages_interviews::list).post(pages_interviews::invite),
        )
        .route(
            "/job-specs/{id}/performance",
            get(pages_interviews::performance),
        )
        .route("/interviews/{id}", get(pages_interviews::show))
        .route(
            "/interviews/{id}/scorecard",
            post(pages_interviews::scorecard),
        )
        .route(
            "/interviews/{id}/scorecard/automated",
            post(pages_interviews::automated),
        )
        .route(
            "/interviews/{id}/withdraw",
            post(pages_interviews::withdraw),
        )
        .route(
            "/job-specs/{id}/interviews/csv",
            post(pages_interviews::invite_csv),
        )
        .route(
            "/people",
            get(pages_people::list).post(pages_people::place_chosen),
        )
        .route("/people/{id}", get(pages_people::show))
        .route("/people/{id}/placements", post(pages_people::place))
        .route("/people/{id}/assessments", post(pages_people::open))
        .route(
            "/people/{id}/assessments/{assessment_id}",
            get(pages_people::editor).post(pages_people::save),
        )
        .route(
            "/people/{id}/assessments/{assessment_id}/submit",
            post(pages_people::submit),
        )
        .route("/static/app.css", get(pages::stylesheet))
        .route("/static/app.js", get(pages::script))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            access::authorize,
        ))
        .route_layer(axum::middleware::from_fn(metrics::track))
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(axum::middleware::from_fn(error::json_errors_for_api))
        .with_state(state)
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

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
