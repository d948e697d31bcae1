-- Progression (PRODUCT.md §4): people placed on frameworks, and their self and
-- manager assessments with per-behaviour evidence.

-- Every placement ever made; the newest per person is the current one.
CREATE TABLE placements (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    framework_slug TEXT NOT NULL,
    level BIGINT NOT NULL,
    sublevel TEXT,
    target_level BIGINT NOT NULL,
    manager_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX placements_person ON placements(person_id, created_at);

-- The current placement of each placed person, written in the same
-- transaction as the placement, so "who reports to me" is one index lookup.
CREATE TABLE people (
    person_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    placement_id TEXT NOT NULL REFERENCES placements(id) ON DELETE CASCADE,
    manager_id TEXT,
    framework_slug TEXT NOT NULL
);
CREATE INDEX people_manager ON people(manager_id);

CREATE TABLE assessments (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    assessor_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    framework_slug TEXT NOT NULL,
    framework_version BIGINT NOT NULL,
    status TEXT NOT NULL,
    as_of TEXT,
    carried_from TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT
);
CREATE INDEX assessments_person ON assessments(person_id, created_at);
-- One open draft per person, kind and assessor: opening twice returns the same.
CREATE UNIQUE INDEX assessments_one_draft ON assessments(person_id, kind, assessor_id) WHERE status = 'draft';

-- Evidence per behaviour. Criterion ids are stable for unchanged text, so a new
-- framework version keeps these attached to every behaviour it did not change.
CREATE TABLE assessment_marks (
    assessment_id TEXT NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
    criterion_id TEXT NOT NULL,
    rating TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    links TEXT NOT NULL DEFAULT '[]',
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (assessment_id, criterion_id)
);
