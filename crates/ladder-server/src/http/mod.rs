//! The floor every feature stands on: errors, state and configuration,
//! request extractors, the page frame, access, idempotency, limits,
//! settings, health, metrics and the security headers. Nothing here imports
//! a feature.

pub(crate) mod access;
pub mod auth;
pub mod client;
pub(crate) mod config;
pub(crate) mod error;
pub(crate) mod extract;
pub(crate) mod headers;
pub(crate) mod health;
pub(crate) mod idempotency;
pub(crate) mod layers;
pub(crate) mod limits;
pub(crate) mod metrics;
pub(crate) mod page;
pub(crate) mod routes;
pub(crate) mod settings;
pub(crate) mod state;
pub(crate) mod text;
pub(crate) mod trace;

use ladder_core::access::Action::Public;
use utoipa_axum::routes;

use routes::Route;

/// Health, metrics and the web app's static files.
pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::api(routes!(health::healthz), Public),
        Route::api(routes!(health::readyz), Public),
        Route::plain("/metrics", metrics::render, Public),
        Route::get("/static/app.css", page::stylesheet, Public),
        Route::get("/static/app.js", page::script, Public),
    ]
}
