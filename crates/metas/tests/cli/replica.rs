//! PostgreSQL through the real binary: `metas migrate --database` applies
//! the schema once and then has nothing to do (also from METAS_DATABASE);
//! a database at a newer schema is refused with DuckDB's sentence and exit
//! status 2; an import through a read model reaches a rebuilt one.

use crate::common::{alone, metas, metas_with_env, says};
use crate::pg_support::TestDb;

#[test]
fn migrate_applies_the_schema_once() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("unused.db");
    let first = metas(&file, ["migrate", "--database", &db.url]);
    says(
        &first,
        0,
        "migrated from schema version 0 to 2 (applied 1, 2)",
    );
    let again = metas_with_env(&file, ["migrate"], &[("METAS_DATABASE", &db.url)]);
    says(&again, 0, "schema version 2 (up to date, nothing to do)");
}

#[test]
fn a_database_at_a_newer_schema_is_refused() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("read.db");
    assert_eq!(metas(&file, ["migrate", "--database", &db.url]).status, 0);
    db.client()
        .batch_execute("INSERT INTO schema_migrations VALUES (99, localtimestamp)")
        .unwrap();
    let expected = format!(
        "the database {} was written by a newer metas (schema version 99, this metas knows up to 2); upgrade metas",
        db.url
    );
    let run = metas(&file, ["migrate", "--database", &db.url]);
    assert_eq!(run.status, 2, "{run}");
    assert!(run.stderr.contains(&expected), "{run}");
    let rebuild = metas(
        &file,
        [
            "replica",
            "rebuild",
            "--database",
            &db.url,
            "--replica",
            "read.db",
        ],
    );
    assert_eq!(rebuild.status, 2, "{rebuild}");
    assert!(rebuild.stderr.contains(&expected), "{rebuild}");
}

#[test]
fn an_import_through_postgres_reaches_a_rebuilt_read_model() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    let b = dir.path().join("b.db");
    assert_eq!(metas(&a, ["migrate", "--database", &db.url]).status, 0);
    let csv = dir.path().join("in.csv");
    std::fs::write(
        &csv,
        "external_id,channel,created_at,status,agent,team,csat\n\
         T-1,email,2025-01-02T10:00:00Z,solved,ana,blue,5\n\
         T-2,chat,2025-01-03T10:00:00Z,open,ben,blue,2\n\
         T-3,phone,2025-01-04T10:00:00Z,solved,ana,red,4\n",
    )
    .unwrap();
    let run = metas(
        &a,
        [
            "import",
            "in.csv",
            "--database",
            &db.url,
            "--replica",
            "a.db",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    assert!(
        run.stdout
            .contains("committed to the shared database as change 1"),
        "{run}"
    );
    let rebuilt = metas(
        &b,
        [
            "replica",
            "rebuild",
            "--database",
            &db.url,
            "--replica",
            "b.db",
        ],
    );
    assert_eq!(rebuilt.status, 0, "{rebuilt}");
    let kpi = |db: &std::path::Path| {
        let r = alone(db, ["kpi", "csat", "--by", "team", "--format", "json"]);
        assert_eq!(r.status, 0, "{r}");
        r.stdout
    };
    assert_eq!(kpi(&a), kpi(&b));

    // Imported into alone, the read model would part from the database.
    let alone = alone(&b, ["import", "in.csv"]);
    assert_eq!(alone.status, 1, "{alone}");
    assert!(
        alone
            .stderr
            .contains("this file is the read model of a shared PostgreSQL"),
        "{alone}"
    );
}

/// A PostgreSQL that does not answer is said in one sentence with why, and
/// nothing is left behind: no read model, exit 2.
#[test]
fn an_unreachable_database_is_said_with_its_cause() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("read.db");
    // Port 1 on loopback: nothing listens there.
    let url = "postgres://metas@127.0.0.1:1/metas";
    let run = metas(
        &file,
        [
            "replica",
            "rebuild",
            "--database",
            url,
            "--replica",
            "read.db",
        ],
    );
    assert_eq!(run.status, 2, "{run}");
    assert_eq!(run.stderr_lines().len(), 1, "{run}");
    assert!(
        run.stderr
            .contains(&format!("cannot open the database {url}"))
            && run.stderr.to_lowercase().contains("connection refused"),
        "{run}"
    );
    assert!(!file.exists());
}
