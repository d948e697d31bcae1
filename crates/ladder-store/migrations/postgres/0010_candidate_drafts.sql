-- The candidate's unsent text, one draft per (interview, round, item), saved
-- as they type so that nothing typed is lost to a reload or another answer
-- being sent. Sending the item's answer deletes its draft.
CREATE TABLE answer_drafts (
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    round BIGINT NOT NULL,
    item_id TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (interview_id, round, item_id)
);

-- Whether a candidate (by e-mail, without regard to case) was invited to a
-- job spec before: the check before every invitation.
CREATE INDEX interviews_candidate_email ON interviews(job_spec_id, lower(candidate_email));
