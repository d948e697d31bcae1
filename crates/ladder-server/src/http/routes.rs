//! A route is declared once: one [`Route`] entry in its feature's list gives
//! the router its handler, the access layer its [`Action`], and — for API
//! routes — the OpenAPI document its operation. API routes take their method
//! and path from the handler's `#[utoipa::path]`, so the document and the
//! router cannot disagree; page routes name theirs in the entry.

use axum::handler::Handler;
use axum::routing::{self, MethodRouter};
use ladder_core::access::Action;
use utoipa::openapi::path::{PathItem, Paths};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa_axum::router::UtoipaMethodRouter;

use super::config::ServerConfig;
use super::limits::BodyLimit;
use super::state::AppState;

/// How a route answers and how it refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteKind {
    /// JSON in and out; denied requests get JSON 401/403.
    Api,
    /// Pages and forms; anonymous visitors are sent to the login page.
    Page,
}

/// What the access layer and the tests know about a route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSpec {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: &'static str,
    /// The path as the router matches it (`{slug}` placeholders).
    pub path: String,
    pub action: Action,
    pub kind: RouteKind,
    /// The caller is the candidate whose secret link is the `{token}` in the
    /// path: keyed and rate limited per link.
    pub candidate: bool,
    /// A POST honours `Idempotency-Key`.
    pub idempotent: bool,
}

/// OpenAPI schemas and paths an API route contributes to the document.
pub(crate) type ApiDocPart = (Vec<(String, RefOr<Schema>)>, Paths);

/// One entry of a feature's route list.
pub(crate) struct Route {
    pub(crate) spec: RouteSpec,
    pub(crate) handler: MethodRouter<AppState>,
    pub(crate) openapi: Option<ApiDocPart>,
    pub(crate) body_limit: Option<fn(&ServerConfig) -> BodyLimit>,
}

/// The one HTTP method a route answers, from its OpenAPI path item.
fn method_of(item: &PathItem) -> Option<&'static str> {
    [
        (item.get.is_some(), "GET"),
        (item.post.is_some(), "POST"),
        (item.put.is_some(), "PUT"),
        (item.patch.is_some(), "PATCH"),
        (item.delete.is_some(), "DELETE"),
    ]
    .into_iter()
    .find_map(|(present, method)| present.then_some(method))
}

impl Route {
    /// A JSON route: `routes!(handler)` from utoipa-axum, and what it does.
    ///
    /// # Panics
    /// When the handler's `#[utoipa::path]` does not name exactly one path
    /// with one method — a mistake in the code, caught by every test that
    /// builds the router.
    pub(crate) fn api(
        (schemas, paths, handler): UtoipaMethodRouter<AppState>,
        action: Action,
    ) -> Route {
        let mut declared = paths
            .paths
            .iter()
            .filter_map(|(path, item)| Some((path.clone(), method_of(item)?)));
        let (path, method) = match (declared.next(), declared.next()) {
            (Some(one), None) => one,
            _ => panic!("an API route must declare exactly one path and method in #[utoipa::path]"),
        };
        Route {
            spec: RouteSpec {
                method,
                path,
                action,
                kind: RouteKind::Api,
                candidate: false,
                idempotent: false,
            },
            handler,
            openapi: Some((schemas, paths)),
            body_limit: None,
        }
    }

    fn page(
        method: &'static str,
        path: &'static str,
        handler: MethodRouter<AppState>,
        action: Action,
    ) -> Route {
        Route {
            spec: RouteSpec {
                method,
                path: path.to_string(),
                action,
                kind: RouteKind::Page,
                candidate: false,
                idempotent: false,
            },
            handler,
            openapi: None,
            body_limit: None,
        }
    }

    /// A page (HTML) answering GET.
    pub(crate) fn get<H, T>(path: &'static str, handler: H, action: Action) -> Route
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Route::page("GET", path, routing::get(handler), action)
    }

    /// A form (HTML) answering POST.
    pub(crate) fn post<H, T>(path: &'static str, handler: H, action: Action) -> Route
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        Route::page("POST", path, routing::post(handler), action)
    }

    /// Plain responses that are neither JSON API nor framed pages (health,
    /// metrics, assets) but refuse like the API.
    pub(crate) fn plain<H, T>(path: &'static str, handler: H, action: Action) -> Route
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let mut route = Route::page("GET", path, routing::get(handler), action);
        route.spec.kind = RouteKind::Api;
        route
    }

    /// The caller is the candidate whose link is the `{token}` in the path.
    pub(crate) fn candidate(mut self) -> Route {
        self.spec.candidate = true;
        self
    }

    /// A POST that a client may retry with the same `Idempotency-Key`.
    pub(crate) fn idempotent(mut self) -> Route {
        self.spec.idempotent = true;
        self
    }

    /// The route's own body limit, from the configuration.
    pub(crate) fn body_limit(mut self, limit: fn(&ServerConfig) -> BodyLimit) -> Route {
        self.body_limit = Some(limit);
        self
    }
}
