//! Interviews: candidates invited to a published job spec (one by one or from
//! a CSV file), the candidate's side behind a secret link, recorded answers,
//! scorecards and the automated evaluator, live performance and results.

mod api;
mod audio;
mod candidate;
mod candidate_pages;
mod candidates;
mod drafts;
mod dto;
mod evaluator;
mod interview_page;
mod invitations;
mod links;
mod lookup;
mod pages;
mod performance;
mod scorecards;
mod sight;

use ladder_core::access::Action::{EditJobSpecs, Public, ReadJobSpecs};
use utoipa_axum::routes;

use crate::http::routes::Route;

pub(crate) fn routes() -> Vec<Route> {
    vec![
        Route::api(routes!(api::list), ReadJobSpecs),
        Route::api(routes!(api::invite), EditJobSpecs).idempotent(),
        Route::api(routes!(api::invite_csv), EditJobSpecs).idempotent(),
        Route::api(routes!(api::performance), ReadJobSpecs),
        Route::api(routes!(api::results_csv), ReadJobSpecs),
        Route::api(routes!(api::results_json), ReadJobSpecs),
        // Interviewers only for interviews they are assigned to (checked by
        // the services).
        Route::api(routes!(api::detail), ReadJobSpecs),
        Route::api(routes!(api::assign), EditJobSpecs).idempotent(),
        Route::api(routes!(api::withdraw), EditJobSpecs).idempotent(),
        Route::api(routes!(api::extend_link), EditJobSpecs).idempotent(),
        Route::api(routes!(api::replace_link), EditJobSpecs).idempotent(),
        Route::api(routes!(api::scorecard), ReadJobSpecs).idempotent(),
        Route::api(routes!(api::automated), ReadJobSpecs).idempotent(),
        Route::api(routes!(api::staff_download), ReadJobSpecs),
        // The candidate: authenticated only by the token in the path.
        Route::api(routes!(api::candidate_view), Public).candidate(),
        Route::api(routes!(api::candidate_answer), Public)
            .candidate()
            .idempotent(),
        Route::api(routes!(api::candidate_draft), Public).candidate(),
        Route::api(routes!(api::candidate_finish), Public)
            .candidate()
            .idempotent(),
        Route::api(routes!(api::candidate_upload), Public)
            .candidate()
            .idempotent()
            .body_limit(audio::recording_limit),
        Route::api(routes!(api::candidate_download), Public).candidate(),
        Route::get("/job-specs/{id}/interviews", pages::list, ReadJobSpecs),
        Route::post("/job-specs/{id}/interviews", pages::invite, EditJobSpecs),
        Route::post(
            "/job-specs/{id}/interviews/csv",
            pages::invite_csv,
            EditJobSpecs,
        ),
        Route::get(
            "/job-specs/{id}/performance",
            pages::performance,
            ReadJobSpecs,
        ),
        Route::post("/interviews/{id}/withdraw", pages::withdraw, EditJobSpecs),
        Route::post(
            "/interviews/{id}/link/extend",
            interview_page::extend_link,
            EditJobSpecs,
        ),
        Route::post(
            "/interviews/{id}/link/replace",
            interview_page::replace_link,
            EditJobSpecs,
        ),
        Route::get("/interviews/{id}", interview_page::show, ReadJobSpecs),
        Route::post(
            "/interviews/{id}/scorecard",
            interview_page::scorecard,
            ReadJobSpecs,
        ),
        Route::post(
            "/interviews/{id}/scorecard/automated",
            interview_page::automated,
            ReadJobSpecs,
        ),
        Route::get("/candidate/{token}", candidate_pages::show, Public).candidate(),
        Route::post(
            "/candidate/{token}/answers",
            candidate_pages::answer,
            Public,
        )
        .candidate(),
        Route::post("/candidate/{token}/finish", candidate_pages::finish, Public).candidate(),
    ]
}
