-- Accounts hardening. Times are Unix milliseconds; the same SQL on both dialects.

-- Login attempts counted per bucket (an account, a client, a client and an
-- account; each key a SHA-256, never the address or e-mail itself), kept in the
-- database so that every instance sharing it counts the same attempts. A row's
-- window starts at its first attempt; expired rows are removed by the writes.
CREATE TABLE login_attempts (
    bucket TEXT PRIMARY KEY,
    attempts BIGINT NOT NULL,
    window_start BIGINT NOT NULL
);
CREATE INDEX login_attempts_window ON login_attempts(window_start);

-- When an API token was last used (to the minute), for listing tokens.
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;

-- Disabling a user now deletes their sessions and API tokens; tokens of users
-- disabled before this migration would otherwise come back on re-enabling.
DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE disabled <> 0);
DELETE FROM api_tokens WHERE user_id IN (SELECT id FROM users WHERE disabled <> 0);
