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
use std::path::Path as FsPath;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ladder_core::audio::{self, AudioKind, AudioProblem};
use ladder_store::{now_millis, Actor, StoredAudio};
use serde::Serialize;
use utoipa::ToSchema;

use super::lookup::{by_token, readable};
use crate::clients::stt;
use crate::http::auth::Principal;
use crate::http::config::{show_size, ServerConfig};
use crate::http::error::{ApiError, ApiResult};
use crate::http::idempotency::{declared_length, responder, IdempotencyClaim};
use crate::http::limits::BodyLimit;
use crate::http::state::AppState;

const CHUNK: usize = 64 * 1024;

/// Recordings may be larger than other bodies: the configured limit, and the
/// 413 that says so in a candidate's terms.
pub(super) fn recording_limit(config: &ServerConfig) -> BodyLimit {
    BodyLimit {
        max: config.audio.max_bytes,
        too_large,
    }
}

/// The 413 for a recording over the limit, with its size when known.
pub(super) fn too_large(max: usize, size: Option<u64>) -> ApiError {
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
pub(super) struct AudioUploaded {
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
/// interview the candidate's token opened. The blob is written first, then
/// transcribed, then its row is inserted — with the transcript, and in the
/// same transaction as the response kept for a retry.
#[tracing::instrument(skip(state, declared_type, bytes, once))]
pub(super) async fn store_recording(
    state: &AppState,
    interview_id: &str,
    declared_type: Option<&str>,
    bytes: &[u8],
    once: Option<&IdempotencyClaim>,
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
    let mut stored = StoredAudio {
        id: id.clone(),
        interview_id: interview_id.to_string(),
        content_type: kind.content_type().to_string(),
        size: bytes.len() as u64,
        sha256,
        file_name: file_name.clone(),
        transcript: None,
        created_at: now_millis(),
    };
    stored.transcript = transcribe(state, &stored, bytes).await;
    let uploaded = AudioUploaded {
        audio_id: id,
        content_type: stored.content_type.clone(),
        size: stored.size,
        sha256: stored.sha256.clone(),
        transcript: stored.transcript.clone(),
    };
    let respond = responder(once, |_: &()| (StatusCode::CREATED, &uploaded));
    if let Err(error) = state
        .store()
        .create_audio(
            &stored,
            config.max_per_interview,
            once.map(|claim| claim.completion(&respond)),
        )
        .await
    {
        // No row, no blob.
        let _ = tokio::fs::remove_file(dir.join(&file_name)).await;
        return Err(error.into());
    }
    drop(respond);
    Ok(uploaded)
}

/// The transcript of a recording, when a speech-to-text endpoint is
/// configured and answers; any failure is logged and audited, and the
/// recording is kept without one.
async fn transcribe(state: &AppState, stored: &StoredAudio, bytes: &[u8]) -> Option<String> {
    let config = state.stt()?;
    let actor = Actor {
        user_id: None,
        label: "speech-to-text".to_string(),
    };
    let outcome = stt::transcribe(config, bytes, &stored.content_type, &stored.file_name).await;
    let failure = match outcome {
        // NUL is not text, and PostgreSQL cannot store it.
        Ok(text) => return Some(text.replace('\0', "")),
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

/// A candidate's recording for their open interview: size and type checked
/// before it is read, then kept (and transcribed when configured).
#[tracing::instrument(skip(state, token, headers, body))]
pub(super) async fn receive(
    state: &AppState,
    token: &str,
    headers: &HeaderMap,
    body: Body,
    once: Option<&IdempotencyClaim>,
) -> ApiResult<AudioUploaded> {
    let interview = by_token(state, token).await?;
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
    if let Some(length) = declared_length(headers).filter(|l| *l > max as u64) {
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
    store_recording(state, &interview.id, declared.as_deref(), &bytes, once).await
}

/// A recording of the interview a candidate link opens.
pub(super) async fn for_candidate(
    state: &AppState,
    token: &str,
    audio_id: &str,
) -> ApiResult<Response> {
    let interview = by_token(state, token).await?;
    let stored = recording_of(state, &interview.id, audio_id).await?;
    stream(state, &stored).await
}

/// A recording of an interview the caller may read.
pub(super) async fn for_staff(
    state: &AppState,
    principal: &Principal,
    id: &str,
    audio_id: &str,
) -> ApiResult<Response> {
    readable(state, principal, id).await?;
    let stored = recording_of(state, id, audio_id).await?;
    stream(state, &stored).await
}

/// A recording named with an answer: it must belong to the interview.
pub(super) async fn for_answer(
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
    fn the_413_names_the_size() {
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
