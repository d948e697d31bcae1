//! The two dialects' migrations: the same numbered files in both folders,
//! byte-identical except where a dialect needs its own SQL. Pure file
//! reading, no database.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Migrations whose SQL must differ between SQLite and PostgreSQL, with the
/// reason. Every other migration is the same file in both folders, so a new
/// migration that differs fails the test until it is listed here,
/// deliberately.
const DIALECT_SPECIFIC: &[(&str, &str)] = &[
    (
        "0001_init.sql",
        "full-text search: an FTS5 virtual table on SQLite, a tsvector column \
         with a GIN index on PostgreSQL",
    ),
    (
        "0006_search_spans.sql",
        "records rowid spans of SQLite's FTS5 index; PostgreSQL indexes \
         framework_id directly, so its file is a no-op that keeps the numbers in step",
    ),
];

fn folder(dialect: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(dialect)
}

fn file_names(dialect: &str) -> BTreeSet<String> {
    let folder = folder(dialect);
    std::fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", folder.display()))
        .map(|entry| {
            let entry =
                entry.unwrap_or_else(|error| panic!("cannot list {}: {error}", folder.display()));
            entry.file_name().to_string_lossy().into_owned()
        })
        .collect()
}

fn read(dialect: &str, name: &str) -> Vec<u8> {
    let path = folder(dialect).join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

#[test]
fn both_dialects_have_the_same_numbered_migrations() {
    let sqlite = file_names("sqlite");
    let postgres = file_names("postgres");
    assert!(!sqlite.is_empty(), "migrations/sqlite holds no migration");
    assert_eq!(
        sqlite, postgres,
        "migrations/sqlite and migrations/postgres must hold the same file names"
    );
    // sqlx orders and records migrations by the number before the first `_`.
    let numbers: Vec<u64> = sqlite
        .iter()
        .map(|name| {
            name.split_once('_')
                .and_then(|(number, _)| number.parse().ok())
                .unwrap_or_else(|| panic!("{name} does not start with a number and `_`"))
        })
        .collect();
    let distinct: BTreeSet<u64> = numbers.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        numbers.len(),
        "two migrations share a number: {sqlite:?}"
    );
}

#[test]
fn shared_migrations_are_identical_and_the_ones_that_differ_are_listed() {
    let sqlite = file_names("sqlite");
    let postgres = file_names("postgres");
    for name in sqlite.intersection(&postgres) {
        let same = read("sqlite", name) == read("postgres", name);
        match DIALECT_SPECIFIC.iter().find(|(listed, _)| listed == name) {
            None => assert!(
                same,
                "{name} differs between migrations/sqlite and migrations/postgres: \
                 make the two identical, or list it in DIALECT_SPECIFIC with the reason \
                 its SQL must differ"
            ),
            Some((_, reason)) => assert!(
                !same,
                "{name} is listed as dialect-specific ({reason}), but both files are \
                 identical: take it off the list"
            ),
        }
    }
    for (listed, _) in DIALECT_SPECIFIC {
        assert!(
            sqlite.contains(*listed) && postgres.contains(*listed),
            "DIALECT_SPECIFIC lists {listed}, which is not a migration of both dialects"
        );
    }
}
