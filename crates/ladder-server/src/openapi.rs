//! The OpenAPI document, generated from the handlers' annotations and the
//! types they exchange.

use axum::Json;
use utoipa::OpenApi;

use crate::{api, api_jobspecs, audio, evaluator, interviews, people};

#[derive(OpenApi)]
#[openapi(
    info(title = "Ladder API", description = "Competency-based engineering progression and hiring. Authenticate with `Authorization: Bearer <token>` (create one with `ladder token create`) or a browser session."),
    paths(
        api::healthz,
        api::readyz,
        api::list_frameworks,
        api::upload_framework,
        api::get_framework,
        api::framework_versions,
        api::compare_levels,
        api::search,
        api::me,
        api::list_users,
        api::create_user,
        api::update_user,
        api::get_settings,
        api::put_settings,
        api::audit,
        api_jobspecs::list,
        api_jobspecs::create,
        api_jobspecs::get,
        api_jobspecs::update,
        api_jobspecs::publish,
        api_jobspecs::versions,
        api_jobspecs::version_diff,
        api_jobspecs::list_items,
        api_jobspecs::add_item,
        api_jobspecs::edit_item,
        api_jobspecs::delete_item,
        api_jobspecs::reorder,
        api_jobspecs::regenerate,
        interviews::invite,
        interviews::invite_csv,
        interviews::list,
        interviews::detail,
        interviews::assign,
        interviews::withdraw,
        interviews::scorecard,
        interviews::performance,
        interviews::results_csv,
        interviews::results_json,
        interviews::candidate_view,
        interviews::candidate_answer,
        interviews::candidate_finish,
        people::list,
        people::detail,
        people::placements,
        people::place,
        people::assessments,
        people::open,
        people::assessment,
        people::save_marks,
        people::submit,
        people::export,
        people::progress,
        audio::candidate_upload,
        audio::candidate_download,
        audio::staff_download,
        evaluator::automated,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    tags(
        (name = "frameworks", description = "Progression frameworks: levels × topics × behaviours"),
        (name = "accounts", description = "Users, settings and the audit log (admins)"),
        (name = "job specs", description = "Weighted competencies, must-haves, versions and interview rounds"),
        (name = "interviews", description = "Candidates invited to a published job spec, scorecards, live performance and results"),
        (name = "candidate", description = "The candidate's side, authenticated only by the secret token in the path"),
        (name = "progression", description = "People placed on frameworks, self and manager assessments with evidence, and where each person stands"),
        (name = "operations", description = "Health and readiness"),
    )
)]
struct ApiDoc;

pub fn openapi_json() -> serde_json::Value {
    serde_json::to_value(ApiDoc::openapi()).unwrap_or(serde_json::Value::Null)
}

pub async fn document() -> Json<serde_json::Value> {
    Json(openapi_json())
}
