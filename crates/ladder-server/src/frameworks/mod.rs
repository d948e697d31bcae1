//! Progression frameworks: browsing, comparing levels, searching behaviours,
//! and uploading framework files.

mod api;
mod pages;

use ladder_core::access::Action::{BrowseFrameworks, ImportFrameworks};
use utoipa_axum::routes;

use crate::http::routes::Route;

pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::api(routes!(api::list_frameworks), BrowseFrameworks),
        Route::api(routes!(api::upload_framework), ImportFrameworks),
        Route::api(routes!(api::get_framework), BrowseFrameworks),
        Route::api(routes!(api::framework_versions), BrowseFrameworks),
        Route::api(routes!(api::compare_levels), BrowseFrameworks),
        Route::api(routes!(api::search), BrowseFrameworks),
        Route::get("/", pages::home, BrowseFrameworks),
        Route::get("/frameworks/{slug}", pages::framework, BrowseFrameworks),
        Route::get(
            "/frameworks/{slug}/compare",
            pages::compare,
            BrowseFrameworks,
        ),
        Route::get("/search", pages::search, BrowseFrameworks),
    ]
}
