//! Recorded answers (PRODUCT.md §3): the candidate uploads a recording (the
//! raw bytes of what the browser's MediaRecorder made), Ladder checks its
//! size and type, keeps the bytes in a blob directory on the filesystem and
//! their metadata in the store, optionally has it transcribed, and serves it
//! back to the people who may read the interview (and to the candidate).
//!
//! A blob is written to a temporary name in the blob directory, flushed to
//! disk and then renamed, so a crash never leaves a partial recording under a
//! real name; its row is written after, and a failed row removes the blob.
//! Transcription happens after both, so its failure never loses the audio.

use std::io::Write as _;
use std::path::{Path as FsPath, PathBuf};

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use ladder_core::audio::{self, AudioKind, AudioProblem};
use ladder_store::{now_millis, Actor, StoredAudio};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;

/// The largest recording accepted unless configured otherwise.
pub const DEFAULT_MAX_BYTES: usize = 10 * 1024 * 1024;
/// Recordings one interview may hold (uploaded, whether or not sent with an
/// answer): a bound on what one candidate link can store.
pub const DEFAULT_MAX_PER_INTERVIEW: u32 = 60;
const CHUNK: usize = 64 * 1024;

/// Where recordings go and how large they may be.
#[derive(Debug, Clone)]
pub struct AudioConfig {
    /// The blob directory; `None` refuses uploads (503) and reads.
    pub blob_dir: Option<PathBuf>,
    pub max_bytes: usize,
    pub max_per_interview: u32,
}

impl Default for AudioConfig {
    fn default() -> Self {
        AudioConfig {
            blob_dir: None,
            max_bytes: DEFAULT_MAX_BYTES,
            max_per_interview: DEFAULT_MAX_PER_INTERVIEW,
        }
    }
}

/// The default blob directory for a database URL: `blobs/` next to a SQLite
/// file, `./ladder-blobs` for PostgreSQL (or an in-memory SQLite database).
pub fn default_blob_dir(database_url: &str) -> PathBuf {
    let sqlite = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"));
    match sqlite {
        Some(rest) => {
            let path = rest.split('?').next().unwrap_or(rest);
            if path.is_empty() || path == ":memory:" {
                return PathBuf::from("ladder-blobs");
            }
            match FsPath::new(path).parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent.join("blobs"),
                _ => PathBuf::from("blobs"),
            }
        }
        None => PathBuf::from("ladder-blobs"),
    }
}

/// "10 MiB", "512 KiB", "1.5 MiB".
pub fn show_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        if bytes.is_multiple_of(MIB) {
            format!("{} MiB", bytes / MIB)
        } else {
            format!("{:.1} MiB", bytes as f64 / MIB as f64)
        }
    } else if bytes >= 1024 {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// The 413 for a recording over the limit, with its size when known.
pub fn too_large(max: usize, size: Option<u64>) -> ApiError {
    let limit = show_size(max as u64);
    let message = match size {
        Some(size) => format!(
            "the recording is {} ({size} bytes); at most {limit} is accepted — record a shorter answer",
            show_size(size)
        ),
        None => format!("the recording is larger than {limit}, the most accepted — record a shorter answer"),
    };
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", message).field("body")
}

fn unsupported(problem: &AudioProblem) -> ApiError {
    let (status, code) = match problem {
        AudioProblem::Empty => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        _ => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
    };
    let field = match problem {
        AudioProblem::UnsupportedType { .. } => "Content-Type",
        _ => "body",
    };
    ApiError::new(status, code, problem.to_string()).field(field)
}

fn not_configured() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "audio_unavailable",
        "this server keeps no recordings (no blob directory is configured); answer in writing",
    )
}

/// The declared length of a request body, if it says one.
pub fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// Writes `bytes` as `file_name` in `dir` without ever exposing a partial
/// file under that name: a temporary file, flushed, then renamed.
fn write_blob(dir: &FsPath, file_name: &str, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let temporary = dir.join(format!(".tmp-{file_name}"));
    let written = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, dir.join(file_name))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

#[derive(Serialize, ToSchema)]
pub struct AudioUploaded {
    /// Send it as `audio_id` with the answer.
    pub audio_id: String,
    /// The stored type, e.g. `audio/webm`.
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    /// From the speech-to-text endpoint, when one is configured and it
    /// answered; null otherwise. Fills the answer's text when none is typed.
    pub transcript: Option<String>,
}

/// Checks, stores and (when configured) transcribes a recording for an
/// interview the candidate's token opened.
pub async fn store_recording(
    state: &AppState,
    interview_id: &str,
    declared_type: Option<&str>,
    bytes: &[u8],
) -> ApiResult<AudioUploaded> {
    let config = &state.config().audio;
    let dir = config.blob_dir.as_ref().ok_or_else(not_configured)?;
    if bytes.len() > config.max_bytes {
        return Err(too_large(config.max_bytes, Some(bytes.len() as u64)));
    }
    let kind: AudioKind = audio::check(declared_type, bytes).map_err(|p| unsupported(&p))?;
    let id = uuid::Uuid::now_v7().to_string();
    let file_name = format!("{id}.{}", kind.extension());
    let sha256 = ladder_core::text::sha256_hex(bytes);
    let owned_dir = dir.clone();
    let owned_name = file_name.clone();
    let owned_bytes = bytes.to_vec();
    tokio::task::spawn_blocking(move || write_blob(&owned_dir, &owned_name, &owned_bytes))
        .await
        .map_err(ApiError::internal)?
        .map_err(|error| {
            ApiError::internal(format!(
                "cannot write a recording to {}: {error}",
                dir.display()
            ))
        })?;
    let stored = StoredAudio {
        id: id.clone(),
        interview_id: interview_id.to_string(),
        content_type: kind.content_type().to_string(),
        size: bytes.len() as u64,
        sha256,
        file_name: file_name.clone(),
        transcript: None,
        created_at: now_millis(),
    };
    if let Err(error) = state
        .store()
        .create_audio(&stored, config.max_per_interview)
        .await
    {
        // No row, no blob.
        let _ = tokio::fs::remove_file(dir.join(&file_name)).await;
        return Err(error.into());
    }
    let transcript = transcribe(state, &stored, bytes).await;
    Ok(AudioUploaded {
        audio_id: id,
        content_type: stored.content_type,
        size: stored.size,
        sha256: stored.sha256,
        transcript,
    })
}

/// The transcript of a stored recording, when a speech-to-text endpoint is
/// configured and answers; any failure is logged and audited, and the
/// recording stays as it is.
async fn transcribe(state: &AppState, stored: &StoredAudio, bytes: &[u8]) -> Option<String> {
    let config = state.stt()?;
    let actor = Actor {
        user_id: None,
        label: "speech-to-text".to_string(),
    };
    let outcome =
        crate::stt::transcribe(config, bytes, &stored.content_type, &stored.file_name).await;
    let failure = match outcome {
        Ok(text) => match state.store().set_audio_transcript(&stored.id, &text).await {
            Ok(()) => return Some(text),
            Err(error) => format!("the transcript could not be saved: {error}"),
        },
        Err(reason) => reason,
    };
    tracing::warn!(audio = %stored.id, reason = %failure, "speech-to-text failed; the recording is kept without a transcript");
    let detail = serde_json::json!({
        "interview": stored.interview_id,
        "model": config.model,
        "reason": failure,
    });
    if let Err(error) = state
        .store()
        .record_event(&actor, "audio.transcription_failed", &stored.id, detail)
        .await
    {
        tracing::error!(%error, "could not audit a speech-to-text failure");
    }
    None
}

/// Streams a stored recording with its type.
async fn stream(state: &AppState, stored: &StoredAudio) -> ApiResult<Response> {
    let dir = state
        .config()
        .audio
        .blob_dir
        .as_ref()
        .ok_or_else(not_configured)?;
    let path = dir.join(&stored.file_name);
    let file = tokio::fs::File::open(&path).await.map_err(|error| {
        ApiError::internal(format!(
            "recording {} is missing from the blob directory ({}): {error}",
            stored.id,
            path.display()
        ))
    })?;
    let body = futures_util::stream::unfold(Some(file), |file| async move {
        use tokio::io::AsyncReadExt;
        let mut file = file?;
        let mut buffer = vec![0u8; CHUNK];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(read) => {
                buffer.truncate(read);
                Some((Ok::<Bytes, std::io::Error>(Bytes::from(buffer)), Some(file)))
            }
            Err(error) => Some((Err(error), None)),
        }
    });
    let mut response = Body::from_stream(body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&stored.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(stored.size));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline"),
    );
    Ok(response)
}

/// A recording of `interview_id`, or 404 (also for another interview's).
async fn recording_of(
    state: &AppState,
    interview_id: &str,
    audio_id: &str,
) -> ApiResult<StoredAudio> {
    match state.store().audio(audio_id).await? {
        Some(stored) if stored.interview_id == interview_id => Ok(stored),
        _ => Err(ApiError::not_found(format!(
            "recording {audio_id} of this interview"
        ))),
    }
}

// ---------------------------------------------------------------- handlers

#[utoipa::path(post, path = "/api/v1/candidate/{token}/audio", tag = "candidate",
    params(("token" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "retry safely: the same key and bytes return the first response")),
    request_body(content = Vec<u8>, description = "the raw recording; `Content-Type` one of audio/webm, audio/ogg, audio/mp4, audio/mpeg, audio/wav (parameters such as `;codecs=opus` allowed), and the bytes must be that type", content_type = "audio/webm"),
    responses((status = 201, body = AudioUploaded, description = "stored; send `audio_id` with the answer"), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "the interview no longer takes answers, or holds the most recordings it may"), (status = 410, body = ErrorBody),
        (status = 413, body = ErrorBody, description = "over the size limit (default 10 MiB)"), (status = 415, body = ErrorBody, description = "a type not accepted, or bytes that are not the declared type; the message says what was received and what is accepted"), (status = 422, body = ErrorBody, description = "an empty body"), (status = 429, body = ErrorBody), (status = 503, body = ErrorBody, description = "no blob directory configured")))]
pub async fn candidate_upload(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    let interview = crate::interviews::by_token(&state, &token).await?;
    if !interview.status.is_open() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!(
                "the interview is {}; recordings can no longer be added",
                interview.status.as_str()
            ),
        ));
    }
    let max = state.config().audio.max_bytes;
    if let Some(length) = declared_length(&headers).filter(|l| *l > max as u64) {
        return Err(too_large(max, Some(length)));
    }
    let declared = headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    // Refuse a wrong type before reading the body.
    if declared
        .as_deref()
        .and_then(AudioKind::from_content_type)
        .is_none()
    {
        return Err(unsupported(&AudioProblem::UnsupportedType { declared }));
    }
    let bytes = axum::body::to_bytes(body, max)
        .await
        .map_err(|_| too_large(max, None))?;
    let uploaded = store_recording(&state, &interview.id, declared.as_deref(), &bytes).await?;
    Ok((StatusCode::CREATED, Json(uploaded)).into_response())
}

#[utoipa::path(get, path = "/api/v1/candidate/{token}/audio/{audio_id}", tag = "candidate",
    params(("token" = String, Path), ("audio_id" = String, Path)),
    responses((status = 200, content_type = "audio/webm", body = Vec<u8>, description = "the recording, with its stored type"), (status = 404, body = ErrorBody, description = "unknown link, or not a recording of this interview"), (status = 410, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn candidate_download(
    State(state): State<AppState>,
    Path((token, audio_id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let interview = crate::interviews::by_token(&state, &token).await?;
    let stored = recording_of(&state, &interview.id, &audio_id).await?;
    stream(&state, &stored).await
}

#[utoipa::path(get, path = "/api/v1/interviews/{id}/audio/{audio_id}", tag = "interviews",
    params(("id" = String, Path), ("audio_id" = String, Path)),
    responses((status = 200, content_type = "audio/webm", body = Vec<u8>, description = "the recording, with its stored type"), (status = 403, body = ErrorBody, description = "an interviewer not assigned to this interview"), (status = 404, body = ErrorBody)))]
pub async fn staff_download(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path((id, audio_id)): Path<(String, String)>,
) -> ApiResult<Response> {
    crate::interviews::readable(&state, &principal, &id).await?;
    let stored = recording_of(&state, &id, &audio_id).await?;
    stream(&state, &stored).await
}

/// A recording named with an answer: it must belong to the interview.
pub async fn for_answer(
    state: &AppState,
    interview_id: &str,
    audio_id: &str,
) -> ApiResult<StoredAudio> {
    recording_of(state, interview_id, audio_id)
        .await
        .map_err(|error| error.field("audio_id"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_blob_directory_sits_next_to_a_sqlite_file() {
        assert_eq!(
            default_blob_dir("sqlite://ladder-data/ladder.db"),
            PathBuf::from("ladder-data/blobs")
        );
        assert_eq!(
            default_blob_dir("sqlite:///var/lib/ladder/ladder.db?mode=rwc"),
            PathBuf::from("/var/lib/ladder/blobs")
        );
        assert_eq!(
            default_blob_dir("sqlite://ladder.db"),
            PathBuf::from("blobs")
        );
        assert_eq!(
            default_blob_dir("postgres://ladder@db/ladder"),
            PathBuf::from("ladder-blobs")
        );
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(show_size(10 * 1024 * 1024), "10 MiB");
        assert_eq!(show_size(1536 * 1024), "1.5 MiB");
        assert_eq!(show_size(2048), "2 KiB");
        assert_eq!(show_size(12), "12 bytes");
        assert!(too_large(10 * 1024 * 1024, Some(11 * 1024 * 1024))
            .message
            .contains("11 MiB"));
    }

    #[test]
    fn blobs_appear_whole_or_not_at_all() {
        let dir = std::env::temp_dir().join(format!("ladder-blob-test-{}", uuid::Uuid::now_v7()));
        write_blob(&dir, "a.webm", b"bytes").expect("write");
        assert_eq!(std::fs::read(dir.join("a.webm")).expect("read"), b"bytes");
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".tmp-"))
            .collect();
        assert!(leftovers.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
