-- When a draft was last saved: a draft is saved many times, and "Saved …"
-- should say the last time, not when the draft was opened. NULL in rows
-- written before this migration means "when it was created".
ALTER TABLE job_spec_versions ADD COLUMN saved_at BIGINT;
