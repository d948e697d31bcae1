-- Interviews pinned to a published job-spec version, the candidate's answers,
-- interviewers' scorecards, and the live-performance figures kept up to date
-- in the same transactions as the rows they summarise.
CREATE TABLE interviews (
    id TEXT PRIMARY KEY,
    job_spec_id TEXT NOT NULL REFERENCES job_specs(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    candidate_name TEXT NOT NULL,
    candidate_email TEXT NOT NULL,
    status TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at BIGINT NOT NULL,
    round2_position BIGINT NOT NULL DEFAULT 0,
    overall_tenths BIGINT,
    fails_must_have BIGINT NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    completed_at BIGINT
);
CREATE INDEX interviews_job_spec ON interviews(job_spec_id, version);

-- Interviewers assigned to an interview: they see its answers and score it.
CREATE TABLE interview_interviewers (
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (interview_id, user_id)
);

CREATE TABLE answers (
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    round BIGINT NOT NULL,
    item_id TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (interview_id, round, item_id)
);

CREATE TABLE scorecards (
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    interviewer_id TEXT NOT NULL,
    status TEXT NOT NULL,
    revision BIGINT NOT NULL,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT,
    PRIMARY KEY (interview_id, interviewer_id)
);

-- Per interview and competency: the competency's mean over submitted
-- scorecards, in tenths (the raw material of per-competency averages).
CREATE TABLE interview_competency_scores (
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    competency_id TEXT NOT NULL,
    tenths BIGINT NOT NULL,
    PRIMARY KEY (interview_id, competency_id)
);

-- Live performance per job-spec version. Sums and counts only, so reading is
-- constant-time however many interviews there are.
CREATE TABLE job_spec_performance (
    job_spec_id TEXT NOT NULL REFERENCES job_specs(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    interviews BIGINT NOT NULL DEFAULT 0,
    completed BIGINT NOT NULL DEFAULT 0,
    scored BIGINT NOT NULL DEFAULT 0,
    overall_sum_tenths BIGINT NOT NULL DEFAULT 0,
    bucket0 BIGINT NOT NULL DEFAULT 0,
    bucket1 BIGINT NOT NULL DEFAULT 0,
    bucket2 BIGINT NOT NULL DEFAULT 0,
    bucket3 BIGINT NOT NULL DEFAULT 0,
    bucket4 BIGINT NOT NULL DEFAULT 0,
    bucket5 BIGINT NOT NULL DEFAULT 0,
    bucket6 BIGINT NOT NULL DEFAULT 0,
    bucket7 BIGINT NOT NULL DEFAULT 0,
    bucket8 BIGINT NOT NULL DEFAULT 0,
    bucket9 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (job_spec_id, version)
);

CREATE TABLE job_spec_competency_performance (
    job_spec_id TEXT NOT NULL REFERENCES job_specs(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    competency_id TEXT NOT NULL,
    sum_tenths BIGINT NOT NULL DEFAULT 0,
    n BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (job_spec_id, version, competency_id)
);

-- Responses to requests made with an Idempotency-Key, per caller.
CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status BIGINT NOT NULL,
    response TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);
