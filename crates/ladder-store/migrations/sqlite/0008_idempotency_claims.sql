-- An Idempotency-Key is claimed before its request runs (state
-- 'in_progress', with the claimant and a lease) and completed in the same
-- transaction as the request's effect ('done', with the response), so a
-- retry on any server returns the first response and never a second effect.
-- Rows written before this migration are completed responses.
ALTER TABLE idempotency_keys ADD COLUMN state TEXT NOT NULL DEFAULT 'done';
ALTER TABLE idempotency_keys ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
