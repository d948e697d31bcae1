-- SQLite's migration 0006 records rowid spans of its FTS5 index. PostgreSQL
-- indexes criteria_search(framework_id) directly and needs nothing here; the
-- file keeps both dialects' migration numbers in step.
SELECT 1;
