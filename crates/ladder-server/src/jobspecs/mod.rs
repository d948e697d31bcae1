//! Job specs: weighted competencies and must-haves, immutable published
//! versions, and the Round 01 questions and Round 02 prompts generated from
//! them.

mod alternatives;
mod alternatives_api;
mod alternatives_page;
mod api;
mod editor;
mod generation;
mod pages;
pub mod service;

use ladder_core::access::Action::{EditJobSpecs, ReadJobSpecs};
use utoipa_axum::routes;

use crate::http::routes::Route;

pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::api(routes!(api::list), ReadJobSpecs),
        Route::api(routes!(api::create), EditJobSpecs),
        Route::api(routes!(api::get), ReadJobSpecs),
        Route::api(routes!(api::update), EditJobSpecs),
        Route::api(routes!(api::publish), EditJobSpecs),
        Route::api(routes!(api::versions), ReadJobSpecs),
        Route::api(routes!(api::version_diff), ReadJobSpecs),
        Route::api(routes!(api::list_items), ReadJobSpecs),
        Route::api(routes!(api::add_item), EditJobSpecs),
        Route::api(routes!(api::edit_item), EditJobSpecs),
        Route::api(routes!(api::delete_item), EditJobSpecs),
        Route::api(routes!(api::reorder), EditJobSpecs),
        Route::api(routes!(api::regenerate), EditJobSpecs),
        Route::api(routes!(alternatives_api::list_alternatives), EditJobSpecs),
        Route::api(routes!(alternatives_api::choose_alternative), EditJobSpecs),
        Route::get("/job-specs", pages::list, ReadJobSpecs),
        Route::post("/job-specs", pages::create, EditJobSpecs),
        Route::get("/job-specs/new", pages::new_form, EditJobSpecs),
        Route::get("/job-specs/{id}", pages::show, ReadJobSpecs),
        Route::post("/job-specs/{id}/publish", pages::publish, EditJobSpecs),
        Route::get("/job-specs/{id}/versions", pages::versions, ReadJobSpecs),
        Route::get("/job-specs/{id}/diff", pages::diff, ReadJobSpecs),
        Route::get("/job-specs/{id}/edit", editor::edit_form, EditJobSpecs),
        Route::post("/job-specs/{id}/edit", editor::save, EditJobSpecs),
        Route::post(
            "/job-specs/{id}/rounds/{round}/items",
            editor::add_item,
            EditJobSpecs,
        ),
        Route::post(
            "/job-specs/{id}/rounds/{round}/items/{item_id}",
            editor::edit_item,
            EditJobSpecs,
        ),
        Route::post(
            "/job-specs/{id}/rounds/{round}/items/{item_id}/delete",
            editor::delete_item,
            EditJobSpecs,
        ),
        Route::post(
            "/job-specs/{id}/rounds/{round}/items/{item_id}/move",
            editor::move_item,
            EditJobSpecs,
        ),
        Route::get(
            "/job-specs/{id}/rounds/{round}/items/{item_id}/alternatives",
            alternatives_page::alternatives_page,
            EditJobSpecs,
        ),
        Route::post(
            "/job-specs/{id}/rounds/{round}/items/{item_id}/choose",
            alternatives_page::choose_form,
            EditJobSpecs,
        ),
        Route::post(
            "/job-specs/{id}/rounds/{round}/regenerate",
            editor::regenerate,
            EditJobSpecs,
        ),
    ]
}
