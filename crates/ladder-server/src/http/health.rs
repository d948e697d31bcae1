//! Whether the process is up (`/healthz`) and can reach its database
//! (`/readyz`), for load balancers and orchestrators.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody};
use super::state::AppState;

#[derive(Serialize, ToSchema)]
pub(crate) struct Health {
    pub status: &'static str,
}

#[derive(Serialize, ToSchema)]
pub(crate) struct Readiness {
    pub status: &'static str,
    /// `sqlite` or `postgres`.
    pub database: &'static str,
}

#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = Health)))]
pub(crate) async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

#[utoipa::path(get, path = "/readyz", tag = "operations", responses((status = 200, body = Readiness), (status = 503, body = ErrorBody)))]
pub(crate) async fn readyz(State(state): State<AppState>) -> Response {
    let database = match state.store().backend() {
        ladder_store::Backend::Sqlite => "sqlite",
        ladder_store::Backend::Postgres => "postgres",
    };
    match state.store().ping().await {
        Ok(()) => Json(Readiness {
            status: "ready",
            database,
        })
        .into_response(),
        Err(error) => {
            tracing::warn!(%error, "store unreachable");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the database is not reachable",
            )
            .into_response()
        }
    }
}
