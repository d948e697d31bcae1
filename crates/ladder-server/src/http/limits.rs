//! Limits: per-route body limits, and rate limits — failed logins per
//! account, per client and account and per client, and requests per
//! candidate link — counted in the database, so they hold across instances.

use std::net::IpAddr;
use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use ladder_store::{RateBucket, RateCount, Store};

use super::auth::{secret_hash, Caller};
use super::client::client_key;
use super::config::ServerConfig;
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

/// Failed logins, counted in the database so that every instance sharing it
/// counts the same attempts: per account (the e-mail as typed, normalised),
/// per client and account, and — with a much higher limit — per client. An
/// attempt is counted before the password is checked, so concurrent guesses
/// cannot overrun a limit, and taken back when it succeeds.
pub struct LoginLimiter {
    per_client_account: u32,
    per_account: u32,
    per_client: u32,
    window: Duration,
}

/// The buckets one login attempt counts in.
pub(crate) struct LoginKeys {
    account: String,
    client_account: String,
    client: String,
}

/// Whether a login may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoginGate {
    Open,
    /// Seconds until the next attempt may be made.
    Closed(u64),
}

fn limit(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX).max(1)
}

impl LoginLimiter {
    pub fn new(config: &ServerConfig) -> LoginLimiter {
        LoginLimiter {
            per_client_account: limit(config.login_attempts),
            per_account: limit(config.login_account_attempts),
            per_client: limit(config.login_client_attempts),
            window: config.login_window,
        }
    }

    /// The buckets for a client (its [`client_key`]) and an e-mail; keys are
    /// hashes, so the table holds neither addresses nor e-mails.
    pub(crate) fn keys(client: IpAddr, email: &str) -> LoginKeys {
        let client = client_key(client);
        LoginKeys {
            account: secret_hash(&format!("account\n{email}")),
            client_account: secret_hash(&format!("client-account\n{client}\n{email}")),
            client: secret_hash(&format!("client\n{client}")),
        }
    }

    fn window_ms(&self) -> i64 {
        i64::try_from(self.window.as_millis()).unwrap_or(i64::MAX)
    }

    /// Counts an attempt, or says how long to wait when a limit is reached
    /// (the attempt is then not counted).
    pub(crate) async fn attempt(
        &self,
        store: &dyn Store,
        keys: &LoginKeys,
    ) -> ladder_store::Result<LoginGate> {
        let buckets = [
            RateBucket {
                key: keys.account.clone(),
                limit: self.per_account,
            },
            RateBucket {
                key: keys.client_account.clone(),
                limit: self.per_client_account,
            },
            RateBucket {
                key: keys.client.clone(),
                limit: self.per_client,
            },
        ];
        let counted = store
            .count_attempt(&buckets, self.window_ms(), ladder_store::now_millis())
            .await?;
        Ok(match counted {
            RateCount::Counted => LoginGate::Open,
            RateCount::Refused { retry_after_ms } => LoginGate::Closed(
                u64::try_from(retry_after_ms)
                    .unwrap_or(1)
                    .div_ceil(1000)
                    .max(1),
            ),
        })
    }

    /// After the right password: the account's counts are forgotten and the
    /// client gets this attempt back.
    pub(crate) async fn succeeded(
        &self,
        store: &dyn Store,
        keys: &LoginKeys,
    ) -> ladder_store::Result<()> {
        store
            .forgive_attempt(
                &[keys.account.clone(), keys.client_account.clone()],
                std::slice::from_ref(&keys.client),
            )
            .await
    }
}

/// At most [`CANDIDATE_LIMIT`] requests a minute per candidate link (API and
/// page alike), counted in the database like logins, so that the limit holds
/// across instances. `Some` is the response refusing the request.
pub(crate) async fn candidate_gate(store: &dyn Store, caller: Option<&Caller>) -> Option<Response> {
    let Some(Caller::Candidate(token_hash)) = caller else {
        return None;
    };
    let bucket = RateBucket {
        key: secret_hash(&format!("candidate\n{token_hash}")),
        limit: limit(CANDIDATE_LIMIT),
    };
    let window = i64::try_from(CANDIDATE_WINDOW.as_millis()).unwrap_or(i64::MAX);
    let counted = store
        .count_attempt(
            std::slice::from_ref(&bucket),
            window,
            ladder_store::now_millis(),
        )
        .await;
    match counted {
        Ok(RateCount::Counted) => None,
        Ok(RateCount::Refused { retry_after_ms }) => {
            let wait = u64::try_from(retry_after_ms)
                .unwrap_or(1)
                .div_ceil(1000)
                .max(1);
            let mut response = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("too many requests for this interview; try again in {wait} s"),
            )
            .into_response();
            if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            Some(response)
        }
        Err(error) => Some(ApiError::from(error).into_response()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_buckets_are_hashed_and_separate() {
        let home: IpAddr = "198.51.100.7".parse().expect("ip");
        let office: IpAddr = "203.0.113.1".parse().expect("ip");
        let a = LoginLimiter::keys(home, "ada@example.com");
        let b = LoginLimiter::keys(office, "ada@example.com");
        let c = LoginLimiter::keys(home, "bo@example.com");
        assert_eq!(a.account, b.account, "one account from two clients");
        assert_ne!(a.client_account, b.client_account);
        assert_eq!(a.client, c.client, "one client, two accounts");
        assert_ne!(a.account, c.account);
        for key in [&a.account, &a.client_account, &a.client] {
            assert!(!key.contains("ada") && !key.contains("198"), "{key}");
        }
    }
}
