-- Recorded answers: metadata of audio blobs kept in the server's blob
-- directory (the bytes never enter the database), the answer a recording
-- belongs to, and scorecards drafted by the automated evaluator.
CREATE TABLE interview_audio (
    id TEXT PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    -- The blob's file name inside the blob directory.
    file_name TEXT NOT NULL,
    -- From the speech-to-text endpoint, when one is configured and answered.
    transcript TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX interview_audio_interview ON interview_audio(interview_id);

-- At most one answer per recording (NULLs, answers without audio, repeat).
ALTER TABLE answers ADD COLUMN audio_id TEXT REFERENCES interview_audio(id);
CREATE UNIQUE INDEX answers_audio ON answers(audio_id);

-- 1 while a scorecard is a draft written by the automated evaluator and not
-- yet submitted by a person; drafted_by names the model that wrote it (kept
-- after submission).
ALTER TABLE scorecards ADD COLUMN automated BIGINT NOT NULL DEFAULT 0;
ALTER TABLE scorecards ADD COLUMN drafted_by TEXT;
