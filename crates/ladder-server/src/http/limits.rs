//! Limits: per-route body limits, and rate limits — failed logins per client
//! and per e-mail, and requests per candidate link, both sliding windows kept
//! in this process.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::auth::Caller;
use super::error::ApiError;

/// A route whose body may be larger than the server's general limit (a
/// recording) declares its own, and the error for a body over it. Layers that
/// read the body before the handler (idempotency) honour it.
#[derive(Clone, Copy)]
pub(crate) struct BodyLimit {
    pub(crate) max: usize,
    /// The 413 for a body of the given size (when the request declared it).
    pub(crate) too_large: fn(usize, Option<u64>) -> ApiError,
}

/// Candidate requests per link per window.
pub(crate) const CANDIDATE_LIMIT: usize = 120;
const CANDIDATE_WINDOW: Duration = Duration::from_secs(60);

/// Failed logins per key (client address, or e-mail) in a sliding window.
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
    limit: usize,
    window: Duration,
}

impl LoginLimiter {
    pub fn new(limit: usize, window: Duration) -> LoginLimiter {
        LoginLimiter {
            failures: Mutex::new(HashMap::new()),
            limit,
            window,
        }
    }

    /// Seconds until another attempt is allowed, if the key is blocked now.
    pub fn blocked(&self, key: &str) -> Option<u64> {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Instant::now();
        let entry = failures.get_mut(key)?;
        entry.retain(|at| now.duration_since(*at) < self.window);
        if entry.len() < self.limit {
            return None;
        }
        let oldest = entry.first().copied()?;
        Some(
            self.window
                .saturating_sub(now.duration_since(oldest))
                .as_secs()
                .max(1),
        )
    }

    pub fn record_failure(&self, key: &str) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Bound memory under a flood of distinct keys.
        if failures.len() > 100_000 {
            failures.clear();
        }
        failures
            .entry(key.to_string())
            .or_default()
            .push(Instant::now());
    }

    pub fn clear(&self, key: &str) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        failures.remove(key);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn candidate_requests() -> &'static Mutex<HashMap<String, VecDeque<Instant>>> {
    static REQUESTS: OnceLock<Mutex<HashMap<String, VecDeque<Instant>>>> = OnceLock::new();
    REQUESTS.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Counts a request for `key`; `Err(seconds)` to wait once the window is full.
fn candidate_allowed(key: &str, now: Instant) -> Result<(), u64> {
    let mut requests = lock(candidate_requests());
    if requests.len() > 10_000 {
        requests.retain(|_, times| {
            times
                .back()
                .is_some_and(|last| now.duration_since(*last) < CANDIDATE_WINDOW)
        });
    }
    let times = requests.entry(key.to_string()).or_default();
    while times
        .front()
        .is_some_and(|first| now.duration_since(*first) >= CANDIDATE_WINDOW)
    {
        times.pop_front();
    }
    if times.len() >= CANDIDATE_LIMIT {
        let wait = times
            .front()
            .map(|first| CANDIDATE_WINDOW.saturating_sub(now.duration_since(*first)))
            .unwrap_or(CANDIDATE_WINDOW);
        return Err(wait.as_secs().max(1));
    }
    times.push_back(now);
    Ok(())
}

/// At most [`CANDIDATE_LIMIT`] requests a minute per candidate link (API and
/// page alike), counted before idempotency so that replays count too.
pub(crate) async fn candidate_rate_limit(request: Request, next: Next) -> Response {
    let key = match request.extensions().get::<Caller>() {
        Some(Caller::Candidate(token_hash)) => Some(token_hash.clone()),
        _ => None,
    };
    if let Some(key) = key {
        if let Err(wait) = candidate_allowed(&key, Instant::now()) {
            let mut response = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("too many requests for this interview; try again in {wait} s"),
            )
            .into_response();
            if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return response;
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_blocks_after_the_limit_and_clears() {
        let limiter = LoginLimiter::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert!(limiter.blocked("ip").is_none());
            limiter.record_failure("ip");
        }
        assert!(limiter.blocked("ip").is_some());
        assert!(limiter.blocked("other").is_none());
        limiter.clear("ip");
        assert!(limiter.blocked("ip").is_none());
    }

    #[test]
    fn the_candidate_window_slides() {
        let start = Instant::now();
        let key = "unit-test-window";
        for _ in 0..CANDIDATE_LIMIT {
            assert!(candidate_allowed(key, start).is_ok());
        }
        assert!(candidate_allowed(key, start).is_err());
        assert!(candidate_allowed(key, start + CANDIDATE_WINDOW).is_ok());
    }
}
