//! Retrying a write safely, across servers and crashes. API routes declared
//! idempotent honour an `Idempotency-Key` header: the key is claimed in the
//! database before the handler runs (a retry elsewhere meanwhile gets 409
//! `in_progress`), and the response to replay is written in the same
//! transaction as the request's effect (the service hands the claim to the
//! store), so a retry after a crash gets the first response and never a second
//! effect. A failed request releases its key. Page forms get the same
//! guarantee from a hidden one-time key through [`form_once`].
//!
//! Keys are scoped to the caller the access layer put on the request
//! ([`Caller`]), so this layer does not need to know how anyone logged in.

use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use ladder_store::{now_millis, Claim, Claimed, Completion, IdempotencyKey, IdempotentResponse};
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::auth::{Caller, Principal};
use super::error::{ApiError, ApiResult};
use super::limits::BodyLimit;
use super::state::AppState;

/// A response kept for replay can hold a secret (an invitation's candidate
/// link, whose token is otherwise stored only as a hash), so it is stored
/// sealed: looked up by a hash of the client's Idempotency-Key and encrypted
/// under another key derived from it. The database alone reveals neither the
/// key nor the response; only a retry that presents the key can open it.
#[derive(Clone)]
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

    /// A random nonce per sealing, stored in front of the ciphertext: a
    /// claimant that loses its lease may seal a response that never stands,
    /// and no two sealings under one key may share a nonce.
    fn seal(&self, body: &[u8]) -> Option<String> {
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self.cipher.encrypt(Nonce::from_slice(&nonce), body).ok()?;
        let mut stored = nonce.to_vec();
        stored.extend_from_slice(&sealed);
        Some(BASE64.encode(stored))
    }

    fn open(&self, stored: &str) -> Option<String> {
        let stored = BASE64.decode(stored).ok()?;
        if stored.len() < 12 {
            return None;
        }
        let (nonce, sealed) = stored.split_at(12);
        let body = self.cipher.decrypt(Nonce::from_slice(nonce), sealed).ok()?;
        String::from_utf8(body).ok()
    }
}

/// How long a claim holds before a retry may take it over: longer than any
/// request may run (the request timeout), so only a claimant whose server
/// died is overtaken.
fn lease(state: &AppState) -> i64 {
    let millis = state.config().request_timeout.as_millis() + 30_000;
    i64::try_from(millis).unwrap_or(i64::MAX / 4)
}

/// This request's claim on its `Idempotency-Key`, put on the request by the
/// idempotency layer (or made by [`form_once`]). A service that makes the
/// request's effect passes it to the store with [`IdempotencyClaim::completion`]
/// so the response to replay is written in the effect's transaction.
#[derive(Clone)]
pub(crate) struct IdempotencyClaim {
    claim: Claim,
    sealed: SealedKey,
}

/// The request's [`IdempotencyClaim`], when it came with an
/// `Idempotency-Key` on a route declared idempotent: handlers pass it to the
/// service that makes the effect.
pub(crate) struct Idempotent(pub(crate) Option<IdempotencyClaim>);

impl<S: Send + Sync> FromRequestParts<S> for Idempotent {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Idempotent(
            parts.extensions.get::<IdempotencyClaim>().cloned(),
        ))
    }
}

/// Never shows the key or its sealing: only whose claim it is.
impl std::fmt::Debug for IdempotencyClaim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdempotencyClaim")
            .field("scope", &self.claim.key.scope)
            .field("owner", &self.claim.owner)
            .finish()
    }
}

impl IdempotencyClaim {
    /// The response a retry gets: `status` and `body` as JSON, sealed.
    pub(crate) fn response<B: Serialize + ?Sized>(
        &self,
        status: StatusCode,
        body: &B,
    ) -> IdempotentResponse {
        let json = serde_json::to_vec(body).unwrap_or_default();
        IdempotentResponse {
            request_hash: self.claim.key.request_hash.clone(),
            status: status.as_u16(),
            body: self.sealed.seal(&json).unwrap_or_default(),
        }
    }

    /// The store's completion of this claim with `respond`'s response.
    pub(crate) fn completion<'a, T: ?Sized>(
        &'a self,
        respond: &'a (dyn Fn(&T) -> IdempotentResponse + Send + Sync),
    ) -> Completion<'a, T> {
        Completion {
            claim: &self.claim,
            respond,
        }
    }
}

/// The response-to-replay function for a store call made under `once`: the
/// status and body `reply` gives for the effect's outcome, sealed. Without a
/// claim the store never calls it.
pub(crate) fn responder<'a, T: ?Sized, B: Serialize>(
    once: Option<&'a IdempotencyClaim>,
    reply: impl Fn(&T) -> (StatusCode, B) + Send + Sync + 'a,
) -> impl Fn(&T) -> IdempotentResponse + Send + Sync + 'a {
    move |outcome: &T| {
        let (status, body) = reply(outcome);
        match once {
            Some(claim) => claim.response(status, &body),
            None => IdempotentResponse {
                request_hash: String::new(),
                status: status.as_u16(),
                body: String::new(),
            },
        }
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

fn in_progress() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "in_progress",
        "a request with this Idempotency-Key is still being processed; retry shortly",
    )
}

fn reused() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "idempotency_key_reused",
        "this Idempotency-Key was used for a different request; use a new key",
    )
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

    let sealed = SealedKey::new(&scope, &key);
    let stored_key = IdempotencyKey {
        scope,
        key: sealed.lookup.clone(),
        request_hash,
    };
    let now = now_millis();
    let claim = match state
        .store()
        .claim_key(&stored_key, now, now.saturating_add(lease(&state)))
        .await
    {
        Ok(Claimed::New(claim)) => claim,
        Ok(Claimed::Done(saved)) => {
            return match sealed.open(&saved.body) {
                Some(body) => replay(IdempotentResponse { body, ..saved }),
                None => ApiError::internal("a stored response could not be opened").into_response(),
            }
        }
        Ok(Claimed::Running) => return in_progress().into_response(),
        Ok(Claimed::Reused) => return reused().into_response(),
        Err(error) => return ApiError::from(error).into_response(),
    };
    let claim = IdempotencyClaim { claim, sealed };
    let mut request = Request::from_parts(parts, Body::from(bytes));
    request.extensions_mut().insert(claim.clone());
    let response = next.run(request).await;
    if !response.status().is_success() {
        // A failed request changed nothing (its effect rolled back with its
        // response): give the key up so that a retry runs.
        if let Err(error) = state.store().release_claim(&claim.claim).await {
            tracing::error!(%error, "could not release an Idempotency-Key");
        }
        return response;
    }
    // The effect, if any, completed the claim in its own transaction; a
    // request without one (or before its store call) is completed here.
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => return ApiError::internal(error).into_response(),
    };
    let saved = IdempotentResponse {
        request_hash: claim.claim.key.request_hash.clone(),
        status: parts.status.as_u16(),
        body: claim.sealed.seal(&bytes).unwrap_or_default(),
    };
    if let Err(error) = state.store().complete_claim(&claim.claim, &saved).await {
        tracing::error!(%error, "could not store an idempotent response");
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
/// a page's form) for this user, through the same claims as
/// `Idempotency-Key`: a second submission of the same form (a double click, a
/// reload that re-posts), on any server, changes nothing. `work` gets the
/// claim to complete in its effect's transaction. A repeat that arrives while
/// the first is still running waits for it. The same key with other values is
/// a 409. Only a successful first run uses up the key.
pub(crate) async fn form_once<T, F, Fut>(
    state: &AppState,
    principal: &Principal,
    key: &str,
    request: &[u8],
    work: F,
) -> ApiResult<Once<T>>
where
    F: FnOnce(Option<IdempotencyClaim>) -> Fut,
    Fut: std::future::Future<Output = ApiResult<T>>,
{
    let user = principal.user.as_ref().ok_or_else(ApiError::unauthorized)?;
    // A post without a key (not from the page's form) runs as it is, like
    // an API request without an Idempotency-Key.
    if key.is_empty() {
        return Ok(Once::Done(work(None).await?));
    }
    if !(16..=255).contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::bad_request(
            "this form has no valid one-time key; reload the page and send it again",
        )
        .field("form_key"));
    }
    let scope = format!("form:{}", user.id);
    let sealed = SealedKey::new(&scope, key);
    let stored_key = IdempotencyKey {
        scope,
        key: sealed.lookup.clone(),
        request_hash: ladder_core::text::sha256_hex(request),
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    let claim = loop {
        let now = now_millis();
        match state
            .store()
            .claim_key(&stored_key, now, now.saturating_add(lease(state)))
            .await?
        {
            Claimed::New(claim) => break claim,
            Claimed::Done(_) => return Ok(Once::Repeated),
            Claimed::Reused => return Err(ApiError::new(
                StatusCode::CONFLICT,
                "idempotency_key_reused",
                "this form was already sent with other values; reload the page to send it again",
            )),
            // The first submission is still running: wait for its outcome.
            Claimed::Running if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Claimed::Running => {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "in_progress",
                    "this form is still being processed; reload the page in a moment",
                ))
            }
        }
    };
    let claim = IdempotencyClaim { claim, sealed };
    match work(Some(claim.clone())).await {
        Ok(done) => {
            // Completed in the effect's transaction when there was one.
            let saved = claim.response(StatusCode::CREATED, &());
            if let Err(error) = state.store().complete_claim(&claim.claim, &saved).await {
                tracing::error!(%error, "could not store a form's one-time key");
            }
            Ok(Once::Done(done))
        }
        Err(error) => {
            if let Err(release) = state.store().release_claim(&claim.claim).await {
                tracing::error!(error = %release, "could not release a form's one-time key");
            }
            Err(error)
        }
    }
}

/// The declared length of a request body, if it says one.
pub(crate) fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}
