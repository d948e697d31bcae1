-- Ladder schema, SQLite dialect. Ids are UUIDv7 text; times are Unix milliseconds.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    password_hash TEXT,
    must_change_password BIGINT NOT NULL DEFAULT 0,
    disabled BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);

CREATE TABLE frameworks (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    sidebar_title TEXT,
    sidebar_group TEXT,
    current_version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE framework_versions (
    framework_id TEXT NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    content_hash TEXT NOT NULL,
    source_sha256 TEXT,
    source_file TEXT,
    model TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (framework_id, version)
);

-- Behaviours of each framework's current version, for full-text search.
CREATE VIRTUAL TABLE criteria_search USING fts5(
    text,
    examples,
    framework_id UNINDEXED,
    slug UNINDEXED,
    framework_title UNINDEXED,
    criterion_id UNINDEXED,
    topic_title UNINDEXED,
    level UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
