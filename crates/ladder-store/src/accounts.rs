//! Accounts: users and their credentials, sessions, API tokens, settings and
//! the audit log.

use async_trait::async_trait;
use ladder_core::access::Role;
use serde::Serialize;

use crate::Result;

/// Users (creation, roles, disabling, passwords), login sessions, API
/// tokens, instance settings, and the audit log every change writes to.
#[async_trait]
pub trait AccountStore: Send + Sync {
    async fn user_count(&self) -> Result<u64>;
    /// Fails with `Conflict` when the e-mail is taken.
    async fn create_user(
        &self,
        email: &str,
        role: Role,
        password_hash: Option<&str>,
        must_change_password: bool,
        actor: &Actor,
    ) -> Result<User>;
    async fn user(&self, id: &str) -> Result<Option<User>>;
    async fn credentials(&self, email: &str) -> Result<Option<UserCredentials>>;
    async fn users(&self) -> Result<Vec<User>>;
    async fn set_role(&self, id: &str, role: Role, actor: &Actor) -> Result<User>;
    /// Disabling a user also deletes their sessions and API tokens, in the
    /// same transaction: enabling them again brings neither back.
    async fn set_disabled(&self, id: &str, disabled: bool, actor: &Actor) -> Result<User>;
    /// Sets a new password hash and ends the user's sessions except
    /// `keep_session` (the token hash of the session that made the change),
    /// in one transaction with its audit entry; returns how many sessions
    /// ended.
    async fn set_password(
        &self,
        id: &str,
        password_hash: &str,
        must_change_password: bool,
        keep_session: Option<&str>,
        actor: &Actor,
    ) -> Result<u64>;

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: &str,
        csrf: &str,
        expires_at: i64,
    ) -> Result<()>;
    /// The session's user and CSRF token, if the session exists, has not expired
    /// and its user is not disabled.
    async fn session(&self, token_hash: &str, now: i64) -> Result<Option<(User, String)>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;

    async fn create_api_token(
        &self,
        user_id: &str,
        name: &str,
        token_hash: &str,
        actor: &Actor,
    ) -> Result<()>;
    /// The active user a token acts as. Records when the token was used, at
    /// most once a minute per token.
    async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>>;
    /// API tokens (never their secrets), oldest first: one user's, or
    /// everyone's when `user_id` is `None`.
    async fn api_tokens(&self, user_id: Option<&str>) -> Result<Vec<ApiToken>>;
    async fn api_token(&self, id: &str) -> Result<Option<ApiToken>>;
    /// Deletes a token, with its audit entry; `NotFound` when there is none.
    async fn revoke_api_token(&self, id: &str, actor: &Actor) -> Result<ApiToken>;

    /// Counts one attempt (a login, a candidate's request) in every bucket, in
    /// one transaction that also removes expired counts. A bucket's window starts at its first attempt
    /// and lasts `window_ms`. When the attempt would exceed a bucket's limit
    /// nothing is counted and the answer says how long until the fullest of
    /// them opens again. Instances sharing the database share the counts.
    async fn count_attempt(
        &self,
        buckets: &[RateBucket],
        window_ms: i64,
        now: i64,
    ) -> Result<RateCount>;
    /// After a successful login: forgets the counts of `clear` and takes this
    /// attempt back from `refund` (so that successes never use up a limit).
    async fn forgive_attempt(&self, clear: &[String], refund: &[String]) -> Result<()>;

    async fn setting(&self, key: &str) -> Result<Option<String>>;
    async fn set_setting(&self, key: &str, value: &str, actor: &Actor) -> Result<()>;

    async fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>>;
    /// Records an event that changes nothing else (e.g. why generation fell
    /// back to the offline generator).
    async fn record_event(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        detail: serde_json::Value,
    ) -> Result<()>;
}

/// Who is making a change, as recorded in the audit log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<String>,
    /// An e-mail address, or "cli" / "system" for changes made outside a login.
    pub label: String,
}

impl Actor {
    pub fn system() -> Actor {
        Actor {
            user_id: None,
            label: "system".to_string(),
        }
    }

    pub fn cli() -> Actor {
        Actor {
            user_id: None,
            label: "cli".to_string(),
        }
    }

    pub fn user(user: &User) -> Actor {
        Actor {
            user_id: Some(user.id.clone()),
            label: user.email.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub must_change_password: bool,
    pub disabled: bool,
    /// Unix milliseconds.
    pub created_at: i64,
}

/// A user with the password hash, for login only.
#[derive(Debug, Clone)]
pub struct UserCredentials {
    pub user: User,
    pub password_hash: Option<String>,
}

/// An API token as listed: who it acts as and when it was made and last
/// used. Its id is not the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: String,
    pub user_id: String,
    pub user_email: String,
    pub name: String,
    /// Unix milliseconds.
    pub created_at: i64,
    /// Unix milliseconds, to the minute; `None` when never used.
    pub last_used_at: Option<i64>,
}

/// One rate counter (a login bucket, a candidate link): its key and how many
/// attempts it allows in the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateBucket {
    pub key: String,
    pub limit: u32,
}

/// Whether an attempt was counted, or refused because a bucket is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateCount {
    Counted,
    Refused {
        /// Milliseconds until the fullest bucket's window ends (at least 1).
        retry_after_ms: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub id: String,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: serde_json::Value,
}
