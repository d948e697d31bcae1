//! Progression (PRODUCT.md §4): people placed on frameworks, self and manager
//! assessments with evidence, and where each person stands.

mod api;
mod assessments;
mod dto;
mod editor;
mod page_parts;
mod pages;
mod person_page;
mod placements;
mod progress;
mod visibility;

use ladder_core::access::Action::{PlacePeople, TrackProgression};
use utoipa_axum::routes;

use crate::http::routes::Route;

pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::api(routes!(api::list), TrackProgression),
        Route::api(routes!(api::detail), TrackProgression),
        Route::api(routes!(api::placements), TrackProgression),
        Route::api(routes!(api::place), PlacePeople).idempotent(),
        Route::api(routes!(api::assessments), TrackProgression),
        Route::api(routes!(api::open), TrackProgression).idempotent(),
        Route::api(routes!(api::assessment), TrackProgression),
        Route::api(routes!(api::save_marks), TrackProgression),
        Route::api(routes!(api::submit), TrackProgression).idempotent(),
        Route::api(routes!(api::export), TrackProgression),
        Route::api(routes!(api::progress), TrackProgression),
        Route::get("/people", pages::list, TrackProgression),
        // The list's placement form: the person is chosen in the form.
        Route::post("/people", pages::place_chosen, PlacePeople),
        Route::get("/people/{id}", person_page::show, TrackProgression),
        Route::post("/people/{id}/placements", person_page::place, PlacePeople),
        Route::post(
            "/people/{id}/assessments",
            person_page::open,
            TrackProgression,
        ),
        Route::get(
            "/people/{id}/assessments/{assessment_id}",
            editor::editor,
            TrackProgression,
        ),
        Route::post(
            "/people/{id}/assessments/{assessment_id}",
            editor::save,
            TrackProgression,
        ),
        Route::post(
            "/people/{id}/assessments/{assessment_id}/submit",
            editor::submit,
            TrackProgression,
        ),
    ]
}
