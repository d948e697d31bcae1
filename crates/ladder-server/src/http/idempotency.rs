//! Retrying a write safely. API routes declared idempotent honour an
//! `Idempotency-Key` header: the first successful response is kept (sealed)
//! and a retry with the same key and request gets it back without running the
//! handler again. Page forms get the same guarantee from a hidden one-time
//! key through [`form_once`].
//!
//! Keys are scoped to the caller the access layer put on the request
//! ([`Caller`]), so this layer does not need to know how anyone logged in.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use ladder_store::IdempotentResponse;
use sha2::{Digest, Sha256};

use super::auth::{Caller, Principal};
use super::error::{ApiError, ApiResult};
use super::limits::BodyLimit;
use super::state::AppState;

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Requests in progress per (scope, key): a concurrent retry waits for
/// nothing and is told to retry, rather than running twice.
fn in_flight() -> &'static Mutex<HashSet<String>> {
    static IN_FLIGHT: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    IN_FLIGHT.get_or_init(|| Mutex::new(HashSet::new()))
}

struct InFlight(String);

impl InFlight {
    fn claim(id: String) -> Option<InFlight> {
        // The guard must be gone before an `InFlight` can be dropped (its
        // Drop takes the lock again), and one must only be made when the key
        // was free: `then_some(InFlight(..))` would build, and on a clash
        // drop, one eagerly — unclaiming the other request's key while
        // holding the lock, which deadlocks.
        let inserted = lock(in_flight()).insert(id.clone());
        inserted.then(|| InFlight(id))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        lock(in_flight()).remove(&self.0);
    }
}

/// A response kept for replay can hold a secret (an invitation's candidate
/// link, whose token is otherwise stored only as a hash), so it is stored
/// sealed: looked up by a hash of the client's Idempotency-Key and encrypted
/// under another key derived from it. The database alone reveals neither the
/// key nor the response; only a retry that presents the key can open it.
struct SealedKey {
    lookup: String,
    cipher: ChaCha20Poly1305,
}

impl SealedKey {
    fn new(scope: &str, key: &str) -> SealedKey {
        let lookup = ladder_core::text::sha256_hex(format!("lookup\n{scope}\n{key}").as_bytes());
        let secret = Sha256::digest(format!("seal\n{scope}\n{key}").as_bytes());
        SealedKey {
            lookup,
            cipher: ChaCha20Poly1305::new(&secret),
        }
    }

    // Each derived key seals exactly one response (the first one stored for
    // the key is kept), so a fixed nonce is never reused with that key.
    fn seal(&self, body: &[u8]) -> Option<String> {
        let sealed = self.cipher.encrypt(&Nonce::default(), body).ok()?;
        Some(BASE64.encode(sealed))
    }

    fn open(&self, stored: &str) -> Option<String> {
        let sealed = BASE64.decode(stored).ok()?;
        let body = self
            .cipher
            .decrypt(&Nonce::default(), sealed.as_slice())
            .ok()?;
        String::from_utf8(body).ok()
    }
}

fn replay(saved: IdempotentResponse) -> Response {
    let status = StatusCode::from_u16(saved.status).unwrap_or(StatusCode::OK);
    let mut response = (status, saved.body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

fn idempotency_key(headers: &HeaderMap) -> Option<Result<String, ApiError>> {
    let value = headers.get("idempotency-key")?;
    let valid = value
        .to_str()
        .ok()
        .filter(|k| (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()));
    Some(valid.map(str::to_string).ok_or_else(|| {
        ApiError::bad_request("an Idempotency-Key is 1 to 255 visible ASCII characters")
            .field("Idempotency-Key")
    }))
}

/// `Idempotency-Key` for the POSTs of the routes declared idempotent. The
/// scope is the caller (a user, or a candidate by the hash of their link);
/// the request is identified by the SHA-256 of method, path and body. A repeat with the same request returns
/// the stored status and body and changes nothing; the same key with a
/// different request is a 409. Only successful responses are stored: a
/// failed request changed nothing and may be retried as it is.
pub(crate) async fn idempotency(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let key = match idempotency_key(request.headers()) {
        None => return next.run(request).await,
        Some(Err(error)) => return error.into_response(),
        Some(Ok(key)) => key,
    };
    let Some(scope) = request.extensions().get::<Caller>().and_then(Caller::scope) else {
        return next.run(request).await;
    };
    // A route may accept larger bodies than the server does (recordings), and
    // says how to refuse one over its own limit.
    let own_limit = request.extensions().get::<BodyLimit>().copied();
    let (parts, body) = request.into_parts();
    if let Some(limit) = own_limit {
        if let Some(length) = declared_length(&parts.headers).filter(|l| *l > limit.max as u64) {
            return (limit.too_large)(limit.max, Some(length)).into_response();
        }
    }
    let max = own_limit.map_or(state.config().body_limit, |limit| limit.max);
    let bytes: Bytes = match axum::body::to_bytes(body, max).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return match own_limit {
                Some(limit) => (limit.too_large)(limit.max, None).into_response(),
                None => ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "the request body is larger than this server accepts",
                )
                .into_response(),
            };
        }
    };
    let target = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path(), |pq| pq.as_str());
    let mut identity = Vec::with_capacity(bytes.len() + target.len() + 8);
    identity.extend_from_slice(parts.method.as_str().as_bytes());
    identity.push(b' ');
    identity.extend_from_slice(target.as_bytes());
    identity.push(b'\n');
    identity.extend_from_slice(&bytes);
    let request_hash = ladder_core::text::sha256_hex(&identity);

    let Some(_claim) = InFlight::claim(format!("{scope}\n{key}")) else {
        return ApiError::new(
            StatusCode::CONFLICT,
            "idempotency_key_in_use",
            "a request with this Idempotency-Key is still being processed; retry shortly",
        )
        .into_response();
    };
    let sealed = SealedKey::new(&scope, &key);
    match state
        .store()
        .idempotent_response(&scope, &sealed.lookup)
        .await
    {
        Ok(Some(saved)) if saved.request_hash == request_hash => {
            return match sealed.open(&saved.body) {
                Some(body) => replay(IdempotentResponse { body, ..saved }),
                None => ApiError::internal("a stored response could not be opened").into_response(),
            }
        }
        Ok(Some(_)) => {
            return ApiError::new(
                StatusCode::CONFLICT,
                "idempotency_key_reused",
                "this Idempotency-Key was used for a different request; use a new key",
            )
            .into_response()
        }
        Ok(None) => {}
        Err(error) => return ApiError::from(error).into_response(),
    }
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if !response.status().is_success() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => return ApiError::internal(error).into_response(),
    };
    match sealed.seal(&bytes) {
        Some(body) => {
            let saved = IdempotentResponse {
                request_hash,
                status: parts.status.as_u16(),
                body,
            };
            if let Err(error) = state
                .store()
                .save_idempotent_response(&scope, &sealed.lookup, &saved)
                .await
            {
                tracing::error!(%error, "could not store an idempotent response");
            }
        }
        None => tracing::error!("could not seal an idempotent response"),
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// What a form guarded by a one-time key did.
pub(crate) enum Once<T> {
    /// The first time: the work ran.
    Done(T),
    /// A repeat of the same form: the work ran before and did not run again.
    Repeated,
}

/// Runs `work` at most once per one-time form key (the hidden `form_key` of
/// a page's form) for this user, using the same store as `Idempotency-Key`:
/// a second submission of the same form (a double click, a reload that
/// re-posts) changes nothing. A repeat that arrives while the first is still
/// running waits for it. The same key with other values is a 409. Only a
/// successful first run uses up the key.
pub(crate) async fn form_once<T, F, Fut>(
    state: &AppState,
    principal: &Principal,
    key: &str,
    request: &[u8],
    work: F,
) -> ApiResult<Once<T>>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ApiResult<T>>,
{
    let user = principal.user.as_ref().ok_or_else(ApiError::unauthorized)?;
    // A post without a key (not from the page's form) runs as it is, like
    // an API request without an Idempotency-Key.
    if key.is_empty() {
        return Ok(Once::Done(work().await?));
    }
    if !(16..=255).contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::bad_request(
            "this form has no valid one-time key; reload the page and send it again",
        )
        .field("form_key"));
    }
    let scope = format!("form:{}", user.id);
    let request_hash = ladder_core::text::sha256_hex(request);
    let reused = || {
        ApiError::new(
            StatusCode::CONFLICT,
            "idempotency_key_reused",
            "this form was already sent with other values; reload the page to send it again",
        )
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    let claim = loop {
        if let Some(claim) = InFlight::claim(format!("{scope}\n{key}")) {
            break claim;
        }
        // The first submission is still running: wait for its outcome.
        if Instant::now() > deadline {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "idempotency_key_in_use",
                "this form is still being processed; reload the page in a moment",
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    match state.store().idempotent_response(&scope, key).await? {
        Some(saved) if saved.request_hash == request_hash => return Ok(Once::Repeated),
        Some(_) => return Err(reused()),
        None => {}
    }
    let done = work().await?;
    let saved = IdempotentResponse {
        request_hash,
        status: 201,
        body: String::new(),
    };
    if let Err(error) = state
        .store()
        .save_idempotent_response(&scope, key, &saved)
        .await
    {
        tracing::error!(%error, "could not store a form's one-time key");
    }
    drop(claim);
    Ok(Once::Done(done))
}

/// The declared length of a request body, if it says one.
pub(crate) fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}
