//! `/api/v1/frameworks` and `/api/v1/search`: the frameworks as stored, their
//! versions, level comparison, full-text search, and uploading a file.

use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use ladder_core::compare::{compare, Comparison};
use ladder_core::limits;
use ladder_core::{Diagnostic, Framework};
use ladder_store::ImportOutcome;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::http::auth::Principal;
use crate::http::error::{ApiError, ApiResult, ErrorBody};
use crate::http::extract::{body_error, parse_json};
use crate::http::state::AppState;
use crate::http::text::{list_limit, rfc3339};

#[derive(Serialize, ToSchema)]
pub(super) struct FrameworkSummaryDto {
    pub slug: String,
    pub title: String,
    pub sidebar_title: Option<String>,
    pub group: Option<String>,
    /// The current version number.
    pub version: u32,
    pub updated_at: String,
}

#[utoipa::path(get, path = "/api/v1/frameworks", tag = "frameworks", responses((status = 200, body = Vec<FrameworkSummaryDto>)))]
pub(super) async fn list_frameworks(
    State(state): State<AppState>,
) -> ApiResult<Json<Vec<FrameworkSummaryDto>>> {
    let list = state.store().list_frameworks().await?;
    Ok(Json(
        list.into_iter()
            .map(|f| FrameworkSummaryDto {
                slug: f.slug,
                title: f.title,
                sidebar_title: f.sidebar_title,
                group: f.group,
                version: f.version,
                updated_at: rfc3339(f.updated_at),
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct VersionQuery {
    /// A version number; the current version when absent.
    pub version: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct FrameworkDetail {
    pub version: u32,
    pub current_version: u32,
    pub created_at: String,
    pub framework: Framework,
}

#[utoipa::path(get, path = "/api/v1/frameworks/{slug}", tag = "frameworks", params(("slug" = String, Path), VersionQuery),
    responses((status = 200, body = FrameworkDetail), (status = 404, body = ErrorBody)))]
pub(super) async fn get_framework(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<VersionQuery>,
) -> ApiResult<Json<FrameworkDetail>> {
    let stored = state
        .framework(&slug, query.version)
        .await?
        .ok_or_else(|| match query.version {
            Some(version) => ApiError::not_found(format!("version {version} of framework {slug}")),
            None => ApiError::not_found(format!("framework {slug}")),
        })?;
    let current = state
        .store()
        .current_version(&slug)
        .await?
        .unwrap_or(stored.version);
    Ok(Json(FrameworkDetail {
        version: stored.version,
        current_version: current,
        created_at: rfc3339(stored.created_at),
        framework: stored.framework.clone(),
    }))
}

#[derive(Serialize, ToSchema)]
pub(super) struct VersionDto {
    pub version: u32,
    /// SHA-256 of the framework's content; equal content is never stored twice.
    pub content_hash: String,
    pub source_file: Option<String>,
    pub created_by: String,
    pub created_at: String,
}

#[utoipa::path(get, path = "/api/v1/frameworks/{slug}/versions", tag = "frameworks", params(("slug" = String, Path)),
    responses((status = 200, body = Vec<VersionDto>), (status = 404, body = ErrorBody)))]
pub(super) async fn framework_versions(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> ApiResult<Json<Vec<VersionDto>>> {
    let versions = state.store().framework_versions(&slug).await?;
    if versions.is_empty() {
        return Err(ApiError::not_found(format!("framework {slug}")));
    }
    Ok(Json(
        versions
            .into_iter()
            .map(|v| VersionDto {
                version: v.version,
                content_hash: v.content_hash,
                source_file: v.source_file,
                created_by: v.created_by,
                created_at: rfc3339(v.created_at),
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct CompareQuery {
    /// The lower level's number.
    #[param(required = true, minimum = 1)]
    pub from: Option<u32>,
    /// The higher level's number.
    #[param(required = true, minimum = 1)]
    pub to: Option<u32>,
    /// The framework version (default: the current one).
    pub version: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/frameworks/{slug}/compare", tag = "frameworks", params(("slug" = String, Path), CompareQuery),
    responses((status = 200, body = Comparison), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(super) async fn compare_levels(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<CompareQuery>,
) -> ApiResult<Json<Comparison>> {
    let (Some(from), Some(to)) = (query.from, query.to) else {
        return Err(ApiError::bad_request("give both levels: ?from=N&to=M")
            .field(if query.from.is_none() { "from" } else { "to" }));
    };
    let stored = state
        .framework(&slug, query.version)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("framework {slug}")))?;
    compare(&stored.framework, from, to)
        .map(Json)
        .map_err(|error| ApiError::unprocessable(error.to_string()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct SearchQuery {
    /// Words to find in behaviours and their examples (prefixes match; at
    /// most 500 characters).
    pub q: Option<String>,
    /// At most this many hits (default 50, at most 200).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct SearchHitDto {
    pub slug: String,
    pub framework_title: String,
    pub criterion_id: String,
    pub topic_title: String,
    pub level: u32,
    pub text: String,
    /// The web page showing the criterion.
    pub url: String,
}

#[utoipa::path(get, path = "/api/v1/search", tag = "frameworks", params(SearchQuery), responses((status = 200, body = Vec<SearchHitDto>)))]
pub(super) async fn search(
    State(state): State<AppState>,
    Query(query): Query<SearchQuery>,
) -> ApiResult<Json<Vec<SearchHitDto>>> {
    let text = query.q.unwrap_or_default();
    if let Some(problem) = limits::text_problem("the search", &text, limits::SEARCH_QUERY) {
        return Err(ApiError::unprocessable(problem).field("q"));
    }
    let limit = list_limit(query.limit, 50, 200)?;
    let hits = state.store().search(&text, limit).await?;
    Ok(Json(
        hits.into_iter()
            .map(|hit| SearchHitDto {
                url: format!(
                    "/frameworks/{}?level={}#{}",
                    hit.slug, hit.level, hit.criterion_id
                ),
                slug: hit.slug,
                framework_title: hit.framework_title,
                criterion_id: hit.criterion_id,
                topic_title: hit.topic_title,
                level: hit.level,
                text: hit.text,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub(super) struct UploadRequest {
    /// The file's name, used in diagnostics and for the slug when the file has
    /// no `path`.
    pub file_name: Option<String>,
    /// The whole text of the framework file.
    pub content: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct UploadResponse {
    /// `created`, `updated` or `unchanged`.
    pub status: &'static str,
    pub slug: String,
    pub version: u32,
    pub warnings: Vec<Diagnostic>,
}

/// Uploads a framework file: either JSON `{"file_name", "content"}` or the raw
/// text (`text/markdown`, `text/plain`, `application/yaml`).
#[utoipa::path(post, path = "/api/v1/frameworks", tag = "frameworks", request_body = UploadRequest,
    responses((status = 201, body = UploadResponse, description = "a new framework or version"), (status = 200, body = UploadResponse, description = "unchanged"),
        (status = 422, body = ErrorBody, description = "the file has errors; `diagnostics` lists them with line and column"), (status = 413, body = ErrorBody)))]
pub(super) async fn upload_framework(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    request: Request,
) -> ApiResult<Response> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = Bytes::from_request(request, &state)
        .await
        .map_err(body_error)?;
    let (file_name, content) = if content_type.starts_with("application/json") {
        let upload: UploadRequest = parse_json(&bytes)?;
        (
            upload.file_name.unwrap_or_else(|| "upload.md".to_string()),
            upload.content.into_bytes(),
        )
    } else {
        ("upload.md".to_string(), bytes.to_vec())
    };
    if let Some(problem) =
        limits::text_problem("the file name", &file_name, limits::FRAMEWORK_FILE_NAME)
    {
        return Err(ApiError::unprocessable(problem).field("file_name"));
    }
    if let Some(at) = content.iter().position(|byte| *byte == 0) {
        let line = content[..at].iter().filter(|byte| **byte == b'\n').count() + 1;
        let mut error = ApiError::unprocessable(format!(
            "{file_name}, line {line}: a NUL character (U+0000) is not text; remove it (a file saved as UTF-16 is full of them: save it as UTF-8)"
        ))
        .field("content");
        error.code = "invalid_framework";
        return Err(error);
    }
    let parsed = ladder_formats::parse(&file_name, &content);
    if parsed.has_errors() {
        let count = parsed.errors().count();
        let first = parsed
            .errors()
            .next()
            .map(|d| format!(": {} at line {}", d.message, d.line.unwrap_or(0)))
            .unwrap_or_default();
        let mut error = ApiError::unprocessable(format!("{file_name} has {count} error(s){first}"))
            .field("content");
        error.code = "invalid_framework";
        error.diagnostics = Some(parsed.diagnostics.clone());
        return Err(error);
    }
    let framework = parsed.framework.ok_or_else(|| {
        ApiError::unprocessable("the file could not be read as a framework").field("content")
    })?;
    if let Some(problem) = limits::framework_problems(&framework).first() {
        let mut error = ApiError::unprocessable(format!(
            "{file_name}: `{}`: {}",
            problem.field, problem.message
        ))
        .field("content");
        error.code = "invalid_framework";
        return Err(error);
    }
    let outcome = state
        .store()
        .import_framework(&framework, &principal.actor())
        .await?;
    state.forget_framework_list();
    let (status, code) = match &outcome {
        ImportOutcome::Created { .. } => (StatusCode::CREATED, "created"),
        ImportOutcome::Updated { .. } => (StatusCode::CREATED, "updated"),
        ImportOutcome::Unchanged { .. } => (StatusCode::OK, "unchanged"),
    };
    let body = UploadResponse {
        status: code,
        slug: outcome.slug().to_string(),
        version: outcome.version(),
        warnings: framework.warnings.clone(),
    };
    Ok((status, Json(body)).into_response())
}
