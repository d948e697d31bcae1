//! JSON handlers under `/api/v1`, plus health checks.

use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use ladder_core::access::Role;
use ladder_core::compare::{compare, Comparison};
use ladder_core::{Diagnostic, Framework};
use ladder_store::{Actor, ImportOutcome, User};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{self, Principal};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::{AppState, PUBLIC_BROWSING};

/// A JSON request body whose errors name the offending field
/// (`{"error": {"field": "role"}}`) and use the API's error shape.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(body_error)?;
        parse_json(&bytes).map(JsonBody)
    }
}

fn body_error(rejection: axum::extract::rejection::BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "the request body is larger than this server accepts",
        )
    } else {
        ApiError::bad_request(format!("could not read the request body: {rejection}"))
    }
}

fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let (status, code) = if inner.is_syntax() || inner.is_eof() {
            (StatusCode::BAD_REQUEST, "bad_json")
        } else {
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid")
        };
        let api_error = ApiError::new(status, code, format!("{inner}"));
        if path == "." || path.is_empty() {
            api_error
        } else {
            api_error.field(path)
        }
    })
}

pub fn rfc3339(millis: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .ok()
        .and_then(|at| {
            at.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

fn principal_user(principal: &Principal) -> ApiResult<&User> {
    principal.user.as_ref().ok_or_else(ApiError::unauthorized)
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    pub status: &'static str,
    /// `sqlite` or `postgres`.
    pub database: &'static str,
}

#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

#[utoipa::path(get, path = "/readyz", tag = "operations", responses((status = 200, body = Readiness), (status = 503, body = ErrorBody)))]
pub async fn readyz(State(state): State<AppState>) -> Response {
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

#[derive(Serialize, ToSchema)]
pub struct FrameworkSummaryDto {
    pub slug: String,
    pub title: String,
    pub sidebar_title: Option<String>,
    pub group: Option<String>,
    /// The current version number.
    pub version: u32,
    pub updated_at: String,
}

#[utoipa::path(get, path = "/api/v1/frameworks", tag = "frameworks", responses((status = 200, body = Vec<FrameworkSummaryDto>)))]
pub async fn list_frameworks(
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
pub struct VersionQuery {
    /// A version number; the current version when absent.
    pub version: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct FrameworkDetail {
    pub version: u32,
    pub current_version: u32,
    pub created_at: String,
    pub framework: Framework,
}

#[utoipa::path(get, path = "/api/v1/frameworks/{slug}", tag = "frameworks", params(("slug" = String, Path), VersionQuery),
    responses((status = 200, body = FrameworkDetail), (status = 404, body = ErrorBody)))]
pub async fn get_framework(
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
pub struct VersionDto {
    pub version: u32,
    /// SHA-256 of the framework's content; equal content is never stored twice.
    pub content_hash: String,
    pub source_file: Option<String>,
    pub created_by: String,
    pub created_at: String,
}

#[utoipa::path(get, path = "/api/v1/frameworks/{slug}/versions", tag = "frameworks", params(("slug" = String, Path)),
    responses((status = 200, body = Vec<VersionDto>), (status = 404, body = ErrorBody)))]
pub async fn framework_versions(
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
pub struct CompareQuery {
    pub from: Option<u32>,
    pub to: Option<u32>,
    pub version: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/frameworks/{slug}/compare", tag = "frameworks", params(("slug" = String, Path), CompareQuery),
    responses((status = 200, body = Comparison), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn compare_levels(
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
pub struct SearchQuery {
    /// Words to find in behaviours and their examples (prefixes match).
    pub q: Option<String>,
    /// At most this many hits (default 50, at most 200).
    pub limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchHitDto {
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
pub async fn search(
    State(state): State<AppState>,
    Query(query): Query<SearchQuery>,
) -> ApiResult<Json<Vec<SearchHitDto>>> {
    let text = query.q.unwrap_or_default();
    let limit = query.limit.unwrap_or(50).clamp(1, 200);
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
pub struct UploadRequest {
    /// The file's name, used in diagnostics and for the slug when the file has
    /// no `path`.
    pub file_name: Option<String>,
    /// The whole text of the framework file.
    pub content: String,
}

#[derive(Serialize, ToSchema)]
pub struct UploadResponse {
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
pub async fn upload_framework(
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

#[derive(Serialize, ToSchema)]
pub struct UserDto {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub disabled: bool,
    pub must_change_password: bool,
    pub created_at: String,
}

impl From<&User> for UserDto {
    fn from(user: &User) -> Self {
        UserDto {
            id: user.id.clone(),
            email: user.email.clone(),
            role: user.role,
            disabled: user.disabled,
            must_change_password: user.must_change_password,
            created_at: rfc3339(user.created_at),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", responses((status = 200, body = UserDto), (status = 401, body = ErrorBody)))]
pub async fn me(Extension(principal): Extension<Principal>) -> ApiResult<Json<UserDto>> {
    Ok(Json(UserDto::from(principal_user(&principal)?)))
}

#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", responses((status = 200, body = Vec<UserDto>), (status = 403, body = ErrorBody)))]
pub async fn list_users(State(state): State<AppState>) -> ApiResult<Json<Vec<UserDto>>> {
    Ok(Json(
        state
            .store()
            .users()
            .await?
            .iter()
            .map(UserDto::from)
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    pub email: String,
    pub role: Role,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedUser {
    pub user: UserDto,
    /// Shown once; the user must choose a new password at first login.
    pub one_time_password: String,
}

pub fn valid_email(email: &str) -> bool {
    let email = email.trim();
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !email.contains(char::is_whitespace)
                && email.len() <= 254
        }
        None => false,
    }
}

/// Creates a user with a one-time password; shared by the API and the admin page.
pub async fn add_user(
    state: &AppState,
    email: &str,
    role: Role,
    actor: &Actor,
) -> ApiResult<(User, String)> {
    if !valid_email(email) {
        return Err(
            ApiError::unprocessable(format!("“{email}” is not an e-mail address")).field("email"),
        );
    }
    let password = auth::random_password();
    let hash = auth::hash_password(&password).map_err(ApiError::internal)?;
    let user = state
        .store()
        .create_user(email, role, Some(&hash), true, actor)
        .await?;
    Ok((user, password))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = CreateUserRequest,
    responses((status = 201, body = CreatedUser), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    JsonBody(request): JsonBody<CreateUserRequest>,
) -> ApiResult<Response> {
    let (user, password) =
        add_user(&state, &request.email, request.role, &principal.actor()).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedUser {
            user: UserDto::from(&user),
            one_time_password: password,
        }),
    )
        .into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "accounts", params(("id" = String, Path)), request_body = UpdateUserRequest,
    responses((status = 200, body = UserDto), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_user(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<UpdateUserRequest>,
) -> ApiResult<Json<UserDto>> {
    let actor = principal.actor();
    let me = principal_user(&principal)?;
    if me.id == id
        && (request.role.is_some_and(|role| role != Role::Admin) || request.disabled == Some(true))
    {
        return Err(ApiError::unprocessable(
            "you cannot demote or disable yourself; ask another admin",
        )
        .field(if request.role.is_some() {
            "role"
        } else {
            "disabled"
        }));
    }
    let mut user = state
        .store()
        .user(&id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("user {id}")))?;
    if let Some(role) = request.role {
        user = state.store().set_role(&id, role, &actor).await?;
    }
    if let Some(disabled) = request.disabled {
        user = state.store().set_disabled(&id, disabled, &actor).await?;
    }
    Ok(Json(UserDto::from(&user)))
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Whether anyone may browse frameworks without logging in.
    pub public_browsing: bool,
    /// The share of a level's behaviours a topic must show consistently to
    /// meet it, as people write it: "80%".
    pub progression_threshold: String,
}

/// The settings to change; a field left out keeps its value.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsInput {
    /// Whether anyone may browse frameworks without logging in.
    #[serde(default)]
    pub public_browsing: Option<bool>,
    /// "80%", "80" or "0.8": between 1% and 100%, at most basis-point precision.
    #[serde(default)]
    pub progression_threshold: Option<String>,
}

async fn current_settings(state: &AppState) -> Settings {
    state.forget_public_browsing();
    Settings {
        public_browsing: state.public_browsing().await,
        progression_threshold: crate::people::threshold(state).await.to_string(),
    }
}

#[utoipa::path(get, path = "/api/v1/settings", tag = "accounts", responses((status = 200, body = Settings)))]
pub async fn get_settings(State(state): State<AppState>) -> ApiResult<Json<Settings>> {
    Ok(Json(current_settings(&state).await))
}

#[utoipa::path(put, path = "/api/v1/settings", tag = "accounts", request_body = SettingsInput, responses((status = 200, body = Settings), (status = 422, body = ErrorBody)))]
pub async fn put_settings(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    JsonBody(settings): JsonBody<SettingsInput>,
) -> ApiResult<Json<Settings>> {
    // Check everything before changing anything.
    let threshold = settings
        .progression_threshold
        .as_deref()
        .map(|text| {
            ladder_core::progression::Threshold::parse(text)
                .map_err(|problem| ApiError::unprocessable(problem).field("progression_threshold"))
        })
        .transpose()?;
    if let Some(public) = settings.public_browsing {
        state
            .store()
            .set_setting(
                PUBLIC_BROWSING,
                if public { "true" } else { "false" },
                &principal.actor(),
            )
            .await?;
        state.forget_public_browsing();
    }
    if let Some(threshold) = threshold {
        state
            .store()
            .set_setting(
                crate::people::PROGRESSION_THRESHOLD,
                &threshold.basis_points().to_string(),
                &principal.actor(),
            )
            .await?;
    }
    Ok(Json(current_settings(&state).await))
}

#[derive(Serialize, ToSchema)]
pub struct AuditDto {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

#[derive(Deserialize, IntoParams)]
pub struct AuditQuery {
    /// At most this many entries, newest first (default 100, at most 1000).
    pub limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "accounts", params(AuditQuery), responses((status = 200, body = Vec<AuditDto>)))]
pub async fn audit(
    State(state): State<AppState>,
    Query(query): Query<AuditQuery>,
) -> ApiResult<Json<Vec<AuditDto>>> {
    let entries = state
        .store()
        .audit_log(query.limit.unwrap_or(100).clamp(1, 1000))
        .await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|entry| AuditDto {
                at: rfc3339(entry.at),
                actor: entry.actor,
                action: entry.action,
                target: entry.target,
                detail: entry.detail,
            })
            .collect(),
    ))
}
