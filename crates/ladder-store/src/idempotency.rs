//! Idempotency keys, claimed in the database so that they hold across
//! servers and crashes. A request with an `Idempotency-Key` first claims it
//! ([`Store::claim_key`](crate::Store::claim_key)); the request's effect then
//! completes the claim **in its own transaction** (a [`Completion`] handed to
//! the store method that makes the effect), writing the response to replay.
//! Either the effect and its response are both stored, or neither is.

/// An `Idempotency-Key` as stored: whose it is (`scope`), the key (as the
/// caller chooses to store it — the server stores a hash), and a hash of the
/// request it was first used for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    pub scope: String,
    pub key: String,
    pub request_hash: String,
}

/// A stored response to a request made with an `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotentResponse {
    pub request_hash: String,
    pub status: u16,
    pub body: String,
}

/// This request's hold on a key: nobody else runs a request with the key
/// until it is completed or released, or until `lease_until` passes (its
/// server died), when another request may take it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub key: IdempotencyKey,
    /// Random, per claim: a completion by a claimant that lost its lease
    /// matches nothing and rolls its effect back.
    pub owner: String,
}

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claimed {
    /// The key is this request's now: run it, then complete or release.
    New(Claim),
    /// A request with this key and the same content finished: its response.
    Done(IdempotentResponse),
    /// A request with this key and the same content is still running.
    Running,
    /// The key was used for a different request.
    Reused,
}

/// Completes a claim in the transaction of the effect it guards: the store
/// method calls `respond` with what it did and keeps the answer as the
/// response to replay.
pub struct Completion<'a, T: ?Sized> {
    pub claim: &'a Claim,
    pub respond: &'a (dyn Fn(&T) -> IdempotentResponse + Send + Sync),
}
