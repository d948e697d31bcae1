//! Prometheus metrics: requests by route and status, a latency histogram, and
//! the database pool, rendered at `/metrics`.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use super::state::AppState;

const LATENCY: &str = "ladder_http_request_duration_seconds";
const REQUESTS: &str = "ladder_http_requests_total";

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process-wide recorder once; later servers in the same process
/// (tests) share it.
pub(crate) fn install() {
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full(LATENCY.to_string()),
                &[
                    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                    10.0,
                ],
            )
            .ok()?;
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        metrics::set_global_recorder(recorder).ok()?;
        Some(handle)
    });
}

pub(crate) async fn track(matched: Option<MatchedPath>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = matched
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let method = request.method().as_str().to_string();
    // The request's span (see `trace`) learns its route template here.
    tracing::Span::current().record("route", route.as_str());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!(REQUESTS, "route" => route.clone(), "method" => method, "status" => status)
        .increment(1);
    metrics::histogram!(LATENCY, "route" => route).record(started.elapsed().as_secs_f64());
    response
}

pub(crate) async fn render(State(state): State<AppState>) -> Response {
    let pool = state.store().pool_stats();
    metrics::gauge!("ladder_db_pool_connections").set(f64::from(pool.size));
    metrics::gauge!("ladder_db_pool_idle_connections").set(f64::from(pool.idle));
    let body = match HANDLE.get() {
        Some(Some(handle)) => handle.render(),
        _ => "# metrics recorder unavailable\n".to_string(),
    };
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}
