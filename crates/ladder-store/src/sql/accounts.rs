//! Accounts on SQL: users, sessions, API tokens, settings and the audit log.

use async_trait::async_trait;
use ladder_core::access::Role;

use super::{audit, is_unique_violation, SqlStore};
use crate::{
    now_millis, AccountStore, Actor, ApiToken, AuditEntry, Backend, RateBucket, RateCount, Result,
    StoreError, User, UserCredentials,
};

/// How precisely a token's last use is recorded: one write per token per
/// minute at most, however often it is used.
const LAST_USED_PRECISION_MS: i64 = 60_000;
/// Expired login counts removed by one counted attempt (each attempt adds at
/// most a few rows, so this keeps the table to what the window holds).
const EXPIRED_PER_WRITE: i64 = 500;

/// The columns of [`UserRow`], from `users u`.
pub(crate) const USER_COLUMNS: &str =
    "u.id, u.email, u.role, u.must_change_password, u.disabled, u.created_at";

/// A `users` row as stored: the role as text, flags as 0/1 integers.
#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    id: String,
    email: String,
    role: String,
    must_change_password: i64,
    disabled: i64,
    created_at: i64,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;

    fn try_from(row: UserRow) -> Result<User> {
        Ok(User {
            role: Role::parse(&row.role)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown role {:?}", row.role)))?,
            id: row.id,
            email: row.email,
            must_change_password: row.must_change_password != 0,
            disabled: row.disabled != 0,
            created_at: row.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct CredentialsRow {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: Option<String>,
}

impl TryFrom<CredentialsRow> for UserCredentials {
    type Error = StoreError;

    fn try_from(row: CredentialsRow) -> Result<UserCredentials> {
        Ok(UserCredentials {
            user: row.user.try_into()?,
            password_hash: row.password_hash,
        })
    }
}

/// A token's user, for authentication, with when the token was last used.
#[derive(sqlx::FromRow)]
struct TokenUserRow {
    #[sqlx(flatten)]
    user: UserRow,
    token_id: String,
    last_used_at: Option<i64>,
}

/// The columns of [`ApiTokenRow`], from `api_tokens t JOIN users u`.
const TOKEN_COLUMNS: &str =
    "t.id, t.user_id, u.email AS user_email, t.name, t.created_at, t.last_used_at";

#[derive(sqlx::FromRow)]
struct ApiTokenRow {
    id: String,
    user_id: String,
    user_email: String,
    name: String,
    created_at: i64,
    last_used_at: Option<i64>,
}

impl From<ApiTokenRow> for ApiToken {
    fn from(row: ApiTokenRow) -> ApiToken {
        ApiToken {
            id: row.id,
            user_id: row.user_id,
            user_email: row.user_email,
            name: row.name,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
        }
    }
}

/// A session's user and its CSRF token.
#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    user: UserRow,
    csrf: String,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: String,
    at: i64,
    actor: String,
    action: String,
    target: String,
    detail: String,
}

impl From<AuditRow> for AuditEntry {
    /// Detail that is not JSON (never written so, but readable if it is) is
    /// shown as the text it is.
    fn from(row: AuditRow) -> AuditEntry {
        AuditEntry {
            id: row.id,
            at: row.at,
            actor: row.actor,
            action: row.action,
            target: row.target,
            detail: serde_json::from_str(&row.detail)
                .unwrap_or(serde_json::Value::String(row.detail)),
        }
    }
}

/// What [`SqlStore::update_user`] changes.
#[derive(Clone, Copy)]
enum UserChange {
    Role(Role),
    Disabled(bool),
}

impl SqlStore {
    async fn user_where(&self, condition: &str, value: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE {condition}");
        let row = sqlx::query_as::<_, UserRow>(&sql)
            .bind(value)
            .fetch_optional(&self.pool)
            .await?;
        row.map(User::try_from).transpose()
    }

    /// Changes a user's role or disabled flag, with its audit entry; disabling
    /// also deletes their sessions and API tokens, in the same transaction.
    async fn update_user(&self, id: &str, change: UserChange, actor: &Actor) -> Result<User> {
        let (assignment, action, revoke_credentials) = match change {
            UserChange::Role(_) => ("role = $1", "user.role", false),
            UserChange::Disabled(disabled) => ("disabled = $1", "user.disable", disabled),
        };
        let mut tx = self.begin().await?;
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        let before = match sqlx::query_as::<_, UserRow>(&sql)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        {
            Some(row) => User::try_from(row)?,
            None => return Err(StoreError::NotFound(format!("user {id}"))),
        };
        let update = format!("UPDATE users SET {assignment} WHERE id = $2");
        let query = sqlx::query(&update);
        let query = match change {
            UserChange::Role(role) => query.bind(role.as_str().to_string()),
            UserChange::Disabled(disabled) => query.bind(i64::from(disabled)),
        };
        query.bind(id).execute(&mut *tx).await?;
        let after = match sqlx::query_as::<_, UserRow>(&sql)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        {
            Some(row) => User::try_from(row)?,
            None => return Err(StoreError::NotFound(format!("user {id}"))),
        };
        let mut detail = serde_json::json!({ "role": { "from": before.role, "to": after.role }, "disabled": { "from": before.disabled, "to": after.disabled } });
        if revoke_credentials {
            let sessions = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let tokens = sqlx::query("DELETE FROM api_tokens WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            detail["sessions_ended"] = sessions.into();
            detail["api_tokens_revoked"] = tokens.into();
        }
        audit(&mut tx, actor, action, &after.email, detail).await?;
        tx.commit().await?;
        Ok(after)
    }
}

#[async_trait]
impl AccountStore for SqlStore {
    async fn user_count(&self) -> Result<u64> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    async fn create_user(
        &self,
        email: &str,
        role: Role,
        password_hash: Option<&str>,
        must_change_password: bool,
        actor: &Actor,
    ) -> Result<User> {
        let email = email.trim().to_lowercase();
        let user = User {
            id: uuid::Uuid::now_v7().to_string(),
            email: email.clone(),
            role,
            must_change_password,
            disabled: false,
            created_at: now_millis(),
        };
        let mut tx = self.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, role, password_hash, must_change_password, disabled, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6)",
        )
        .bind(&user.id)
        .bind(&user.email)
        .bind(role.as_str())
        .bind(password_hash)
        .bind(i64::from(must_change_password))
        .bind(user.created_at)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from);
        if let Err(error) = inserted {
            return Err(if is_unique_violation(&error) {
                StoreError::Conflict(format!("a user with e-mail {email} already exists"))
            } else {
                error
            });
        }
        audit(
            &mut tx,
            actor,
            "user.create",
            &email,
            serde_json::json!({ "role": role }),
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    async fn user(&self, id: &str) -> Result<Option<User>> {
        self.user_where("u.id = $1", id).await
    }

    async fn credentials(&self, email: &str) -> Result<Option<UserCredentials>> {
        let sql = format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.email = $1");
        let row = sqlx::query_as::<_, CredentialsRow>(&sql)
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?;
        row.map(UserCredentials::try_from).transpose()
    }

    async fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.email");
        let rows = sqlx::query_as::<_, UserRow>(&sql)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(User::try_from).collect()
    }

    async fn set_role(&self, id: &str, role: Role, actor: &Actor) -> Result<User> {
        self.update_user(id, UserChange::Role(role), actor).await
    }

    async fn set_disabled(&self, id: &str, disabled: bool, actor: &Actor) -> Result<User> {
        self.update_user(id, UserChange::Disabled(disabled), actor)
            .await
    }

    async fn set_password(
        &self,
        id: &str,
        password_hash: &str,
        must_change_password: bool,
        keep_session: Option<&str>,
        actor: &Actor,
    ) -> Result<u64> {
        let mut tx = self.begin().await?;
        let updated = sqlx::query(
            "UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3",
        )
        .bind(password_hash)
        .bind(i64::from(must_change_password))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {id}")));
        }
        // Every other session ends: whoever knew the old password is out.
        let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(id)
            .bind(keep_session.unwrap_or(""))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        audit(
            &mut tx,
            actor,
            "user.password",
            id,
            serde_json::json!({ "sessions_ended": ended }),
        )
        .await?;
        tx.commit().await?;
        Ok(ended)
    }

    async fn create_session(
        &self,
        token_hash: &str,
        user_id: &str,
        csrf: &str,
        expires_at: i64,
    ) -> Result<()> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(user_id)
            .bind(csrf)
            .bind(now_millis())
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn session(&self, token_hash: &str, now: i64) -> Result<Option<(User, String)>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0"
        );
        let row = sqlx::query_as::<_, SessionRow>(&sql)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| Ok((User::try_from(row.user)?, row.csrf)))
            .transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn create_api_token(
        &self,
        user_id: &str,
        name: &str,
        token_hash: &str,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(user_id)
            .bind(name)
            .bind(token_hash)
            .bind(now_millis())
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            actor,
            "token.create",
            user_id,
            serde_json::json!({ "name": name }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn user_by_api_token(&self, token_hash: &str) -> Result<Option<User>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, t.id AS token_id, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND u.disabled = 0"
        );
        let Some(row) = sqlx::query_as::<_, TokenUserRow>(&sql)
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let now = now_millis();
        let recorded = now - now.rem_euclid(LAST_USED_PRECISION_MS);
        if row.last_used_at.is_none_or(|at| at < recorded) {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(recorded)
                .bind(&row.token_id)
                .execute(&self.pool)
                .await?;
        }
        Ok(Some(User::try_from(row.user)?))
    }

    async fn api_tokens(&self, user_id: Option<&str>) -> Result<Vec<ApiToken>> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE ($1 IS NULL OR t.user_id = $1) ORDER BY t.created_at, t.id"
        );
        let rows = sqlx::query_as::<_, ApiTokenRow>(&sql)
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(ApiToken::from).collect())
    }

    async fn api_token(&self, id: &str) -> Result<Option<ApiToken>> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1"
        );
        let row = sqlx::query_as::<_, ApiTokenRow>(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(ApiToken::from))
    }

    async fn revoke_api_token(&self, id: &str, actor: &Actor) -> Result<ApiToken> {
        let mut tx = self.begin().await?;
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1"
        );
        let Some(token) = sqlx::query_as::<_, ApiTokenRow>(&sql)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .map(ApiToken::from)
        else {
            return Err(StoreError::NotFound(format!("API token {id}")));
        };
        sqlx::query("DELETE FROM api_tokens WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            actor,
            "token.revoke",
            &token.user_email,
            serde_json::json!({ "token_id": token.id, "name": token.name }),
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    async fn count_attempt(
        &self,
        buckets: &[RateBucket],
        window_ms: i64,
        now: i64,
    ) -> Result<RateCount> {
        let expired = now.saturating_sub(window_ms);
        // One order for every transaction, so that two attempts sharing
        // buckets wait for each other instead of deadlocking.
        let mut ordered: Vec<&RateBucket> = buckets.iter().collect();
        ordered.sort_by(|a, b| a.key.cmp(&b.key));
        ordered.dedup_by(|a, b| a.key == b.key);
        let mut tx = self.begin().await?;
        let mut wait: Option<i64> = None;
        for bucket in ordered {
            // An expired count starts a new window.
            let (attempts, started): (i64, i64) = sqlx::query_as(
                "INSERT INTO login_attempts (bucket, attempts, window_start) VALUES ($1, 1, $2) \
                 ON CONFLICT (bucket) DO UPDATE SET \
                 attempts = CASE WHEN login_attempts.window_start <= $3 THEN 1 ELSE login_attempts.attempts + 1 END, \
                 window_start = CASE WHEN login_attempts.window_start <= $3 THEN $2 ELSE login_attempts.window_start END \
                 RETURNING attempts, window_start",
            )
            .bind(&bucket.key)
            .bind(now)
            .bind(expired)
            .fetch_one(&mut *tx)
            .await?;
            if attempts > i64::from(bucket.limit) {
                let left = (started.saturating_add(window_ms) - now).max(1);
                wait = Some(wait.map_or(left, |longest| longest.max(left)));
            }
        }
        if let Some(retry_after_ms) = wait {
            // Nothing is counted for an attempt that is refused.
            tx.rollback().await?;
            return Ok(RateCount::Refused { retry_after_ms });
        }
        // Bound the table: remove expired counts as part of the write. On
        // PostgreSQL rows another attempt holds are skipped, never waited for.
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let cleanup = format!(
            "DELETE FROM login_attempts WHERE bucket IN (SELECT bucket FROM login_attempts WHERE window_start <= $1 LIMIT $2{lock})"
        );
        sqlx::query(&cleanup)
            .bind(expired)
            .bind(EXPIRED_PER_WRITE)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(RateCount::Counted)
    }

    async fn forgive_attempt(&self, clear: &[String], refund: &[String]) -> Result<()> {
        let mut keys: Vec<(&String, bool)> = clear
            .iter()
            .map(|key| (key, true))
            .chain(refund.iter().map(|key| (key, false)))
            .collect();
        keys.sort();
        let mut tx = self.begin().await?;
        for (key, forget) in keys {
            let sql = if forget {
                "DELETE FROM login_attempts WHERE bucket = $1"
            } else {
                "UPDATE login_attempts SET attempts = attempts - 1 WHERE bucket = $1 AND attempts > 0"
            };
            sqlx::query(sql).bind(key).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn set_setting(&self, key: &str, value: &str, actor: &Actor) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            actor,
            "setting.set",
            key,
            serde_json::json!({ "value": value }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn audit_log(&self, limit: u32) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query_as::<_, AuditRow>("SELECT id, at, actor, action, target, detail FROM audit_log ORDER BY at DESC, id DESC LIMIT $1")
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(AuditEntry::from).collect())
    }

    async fn record_event(
        &self,
        actor: &Actor,
        action: &str,
        target: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        audit(&mut conn, actor, action, target, detail).await
    }
}
