-- Which rowids of criteria_search hold each framework's behaviours. FTS5 cannot
-- index framework_id, so deleting a framework's rows by it scans the whole
-- index; a rowid range is a direct lookup. Each import inserts a framework's
-- rows in one transaction with consecutive explicit rowids.
CREATE TABLE criteria_search_spans (
    framework_id TEXT PRIMARY KEY,
    first_rowid BIGINT NOT NULL,
    last_rowid BIGINT NOT NULL
);
INSERT INTO criteria_search_spans (framework_id, first_rowid, last_rowid)
    SELECT framework_id, MIN(rowid), MAX(rowid) FROM criteria_search GROUP BY framework_id;
