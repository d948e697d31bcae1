//! Idempotency keys: claims that hold across servers (a unique row per key)
//! and crashes (a lease; the response is written with the effect).

use sqlx::AnyConnection;

use super::SqlStore;
use crate::{Claim, Claimed, Completion, IdempotencyKey, IdempotentResponse, Result, StoreError};

const IN_PROGRESS: &str = "in_progress";
const DONE: &str = "done";

/// An `idempotency_keys` row.
#[derive(sqlx::FromRow)]
struct KeyRow {
    request_hash: String,
    status: i64,
    response: String,
    state: String,
    owner: String,
    lease_until: i64,
}

impl KeyRow {
    /// A status outside HTTP's range (never stored so) reads as 500.
    fn response(self) -> IdempotentResponse {
        IdempotentResponse {
            request_hash: self.request_hash,
            status: u16::try_from(self.status).unwrap_or(500),
            body: self.response,
        }
    }
}

fn owner() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

/// Marks a claim done with its response, on `conn` — inside the effect's
/// transaction when there is one. A claim that is no longer this claimant's
/// (its lease ran out and another request took the key over) is a conflict,
/// so the transaction and its effect roll back.
pub(crate) async fn complete_in(
    conn: &mut AnyConnection,
    claim: &Claim,
    response: &IdempotentResponse,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE idempotency_keys SET state = $1, status = $2, response = $3 \
         WHERE scope = $4 AND key = $5 AND owner = $6 AND state = $7",
    )
    .bind(DONE)
    .bind(i64::from(response.status))
    .bind(&response.body)
    .bind(&claim.key.scope)
    .bind(&claim.key.key)
    .bind(&claim.owner)
    .bind(IN_PROGRESS)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict(
            "this request's Idempotency-Key was taken over by a retry after its lease ran out; \
             the retry's result stands"
                .to_string(),
        ))
    }
}

impl SqlStore {
    async fn key_row(&self, key: &IdempotencyKey) -> Result<Option<KeyRow>> {
        Ok(sqlx::query_as::<_, KeyRow>(
            "SELECT request_hash, status, response, state, owner, lease_until \
             FROM idempotency_keys WHERE scope = $1 AND key = $2",
        )
        .bind(&key.scope)
        .bind(&key.key)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub(crate) async fn claim_key_now(
        &self,
        key: &IdempotencyKey,
        now: i64,
        lease_until: i64,
    ) -> Result<Claimed> {
        // Two rounds at most: a claim that vanished (released) or changed
        // hands between reading and taking it over is looked at once more.
        for _ in 0..3 {
            let claim = Claim {
                key: key.clone(),
                owner: owner(),
            };
            let inserted = sqlx::query(
                "INSERT INTO idempotency_keys \
                 (scope, key, request_hash, status, response, created_at, state, owner, lease_until) \
                 VALUES ($1, $2, $3, 0, '', $4, $5, $6, $7) ON CONFLICT (scope, key) DO NOTHING",
            )
            .bind(&key.scope)
            .bind(&key.key)
            .bind(&key.request_hash)
            .bind(now)
            .bind(IN_PROGRESS)
            .bind(&claim.owner)
            .bind(lease_until)
            .execute(&self.pool)
            .await?;
            if inserted.rows_affected() == 1 {
                return Ok(Claimed::New(claim));
            }
            let Some(row) = self.key_row(key).await? else {
                continue;
            };
            if row.request_hash != key.request_hash {
                return Ok(Claimed::Reused);
            }
            if row.state == DONE {
                return Ok(Claimed::Done(row.response()));
            }
            if row.lease_until > now {
                return Ok(Claimed::Running);
            }
            // The claimant's lease ran out (its server stopped): take over.
            let taken = sqlx::query(
                "UPDATE idempotency_keys SET owner = $1, lease_until = $2 \
                 WHERE scope = $3 AND key = $4 AND owner = $5 AND state = $6",
            )
            .bind(&claim.owner)
            .bind(lease_until)
            .bind(&key.scope)
            .bind(&key.key)
            .bind(&row.owner)
            .bind(IN_PROGRESS)
            .execute(&self.pool)
            .await?;
            if taken.rows_affected() == 1 {
                return Ok(Claimed::New(claim));
            }
        }
        Ok(Claimed::Running)
    }

    pub(crate) async fn complete_claim_alone(
        &self,
        claim: &Claim,
        response: &IdempotentResponse,
    ) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        match complete_in(&mut conn, claim, response).await {
            // Already completed with the effect, or taken over: nothing to do.
            Err(StoreError::Conflict(_)) => Ok(()),
            other => other,
        }
    }

    pub(crate) async fn release(&self, claim: &Claim) -> Result<()> {
        sqlx::query(
            "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND owner = $3 AND state = $4",
        )
        .bind(&claim.key.scope)
        .bind(&claim.key.key)
        .bind(&claim.owner)
        .bind(IN_PROGRESS)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub(crate) async fn completed_response(
        &self,
        scope: &str,
        key: &str,
    ) -> Result<Option<IdempotentResponse>> {
        let row = self
            .key_row(&IdempotencyKey {
                scope: scope.to_string(),
                key: key.to_string(),
                request_hash: String::new(),
            })
            .await?;
        Ok(row.filter(|row| row.state == DONE).map(KeyRow::response))
    }
}

/// Completes the claim of `done`, if any, on `conn` with the response for
/// `outcome`: the last write of an effect's transaction.
pub(crate) async fn complete_with<T: ?Sized>(
    conn: &mut AnyConnection,
    done: Option<&Completion<'_, T>>,
    outcome: &T,
) -> Result<()> {
    match done {
        Some(done) => complete_in(conn, done.claim, &(done.respond)(outcome)).await,
        None => Ok(()),
    }
}
