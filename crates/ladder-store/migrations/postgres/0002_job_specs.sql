-- Job specs: one row per spec, one row per version. A published version never
-- changes; edits go to the one open draft.
CREATE TABLE job_specs (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    seniority TEXT NOT NULL,
    current_version BIGINT,
    draft_version BIGINT,
    latest_version BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE job_spec_versions (
    job_spec_id TEXT NOT NULL REFERENCES job_specs(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    label TEXT,
    status TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    published_at BIGINT,
    PRIMARY KEY (job_spec_id, version)
);
CREATE UNIQUE INDEX job_spec_versions_label ON job_spec_versions(job_spec_id, label);
