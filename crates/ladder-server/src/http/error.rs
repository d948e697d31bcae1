//! The API's error type: every failure leaves as
//! `{"error": {"code", "message", "field"?}}` with the matching status.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use ladder_core::jobspec::Problem;
use ladder_core::Diagnostic;
use ladder_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
    /// For uploaded framework files: every problem found, with line and column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<Vec<Diagnostic>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    pub code: &'static str,
    pub message: String,
    /// JSON path of the offending field (`competencies[2].weight`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    pub diagnostics: Option<Vec<Diagnostic>>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            diagnostics: None,
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "log in or send `Authorization: Bearer <token>` (create one with `ladder token create`)",
        )
    }

    pub fn forbidden() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "your role does not allow this",
        )
    }

    pub fn not_found(what: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{} not found", what.into()),
        )
    }

    pub fn unprocessable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
    }

    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        tracing::error!(%error, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "something went wrong on the server; it has been logged",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::NotFound(what) => ApiError::not_found(what),
            StoreError::Conflict(message) => {
                ApiError::new(StatusCode::CONFLICT, "conflict", message)
            }
            StoreError::Invalid(problems) => match reject(&problems) {
                Err(error) => error,
                Ok(()) => ApiError::unprocessable("the change is not valid"),
            },
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: self.message,
                field: self.field,
            },
            diagnostics: self.diagnostics,
        };
        (self.status, Json(body)).into_response()
    }
}

pub(crate) type ApiResult<T> = Result<T, ApiError>;

/// Validation problems as one 422: the first names its field, the message
/// lists all of them. No problems, no error.
pub(crate) fn reject(problems: &[Problem]) -> ApiResult<()> {
    let Some(first) = problems.first() else {
        return Ok(());
    };
    let message = if problems.len() == 1 {
        first.message.clone()
    } else {
        let rest: Vec<String> = problems[1..]
            .iter()
            .map(|p| format!("{}: {}", p.field, p.message))
            .collect();
        format!(
            "{} (and {} more: {})",
            first.message,
            problems.len() - 1,
            rest.join("; ")
        )
    };
    Err(ApiError::unprocessable(message).field(first.field.clone()))
}

/// Errors produced outside our handlers (timeouts, wrong methods, body
/// limits hit by extractors, axum's path and query rejections) come without
/// a body or as plain text; under `/api/` every error leaves in the API's
/// JSON shape, keeping what the plain text said.
pub(crate) async fn json_errors_for_api(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_api || is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (parts, body) = response.into_parts();
    // Rejection texts are one line; anything longer is not worth echoing.
    let said = axum::body::to_bytes(body, 2048)
        .await
        .ok()
        .and_then(|bytes| String::from_utf8(bytes.to_vec()).ok())
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty());
    let (code, message) = match status {
        StatusCode::REQUEST_TIMEOUT => (
            "timeout",
            "the request took too long and was stopped; try again".to_string(),
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "this route does not accept that method; see /api/v1/openapi.json".to_string(),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "the request body is larger than this server accepts".to_string(),
        ),
        StatusCode::NOT_FOUND => (
            "not_found",
            said.unwrap_or_else(|| {
                "there is no API route at this path; see /api/v1/openapi.json".to_string()
            }),
        ),
        StatusCode::BAD_REQUEST => (
            "bad_request",
            match said {
                Some(text) => format!("the request could not be read: {}", lower_first(&text)),
                None => "the request could not be read".to_string(),
            },
        ),
        StatusCode::UNPROCESSABLE_ENTITY => (
            "invalid",
            said.unwrap_or_else(|| "the request is not valid".to_string()),
        ),
        other => (
            "error",
            said.unwrap_or_else(|| other.canonical_reason().unwrap_or("error").to_lowercase()),
        ),
    };
    let mut json = ApiError::new(status, code, message).into_response();
    for (name, value) in &parts.headers {
        if name != axum::http::header::CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            json.headers_mut().insert(name.clone(), value.clone());
        }
    }
    json
}

/// "Failed to deserialize…" -> "failed to deserialize…", to follow a colon.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}
