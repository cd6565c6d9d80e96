//! Migrations against a database made by an earlier release, and the
//! connection settings every database metas opens gets.

use metas_store::prelude::*;
use metas_store::Store;
use serde_json::{json, Value};

/// Every table with its columns in order: type, nullability, default.
const COLUMNS: &str = "
    SELECT table_name, ordinal_position, column_name, data_type, is_nullable, column_default
    FROM information_schema.columns
    WHERE table_schema = 'main'
    ORDER BY table_name, ordinal_position";

/// The sequences, without the values they have reached (DuckDB keeps a
/// sequence's progress as its start value when it writes the file).
const SEQUENCES: &str = "
    SELECT sequence_name, min_value, max_value, increment_by, cycle
    FROM duckdb_sequences()
    WHERE schema_name = 'main'
    ORDER BY sequence_name";

const TABLES: &str = "
    SELECT table_name, table_type FROM information_schema.tables
    WHERE table_schema = 'main' ORDER BY table_name";

fn q(store: &Store, sql: &'static str) -> Vec<Vec<Value>> {
    store.query_json(sql, &[]).unwrap()
}

fn count(store: &Store, sql: &'static str) -> i64 {
    q(store, sql)[0][0].as_i64().unwrap()
}

/// `schema-v5.duckdb` was written by the release at schema version 5: `metas
/// import` of `crates/metas/tests/fixtures/malformed/good.csv`, `metas user
/// add admin --role admin`, `metas mission set …` and `metas goal add
/// --metric aht --owner org --by -10% --baseline 120 …`. Opened by this
/// metas it is migrated to the newest schema, which must be exactly the
/// schema of a fresh database, with the old data still there.
#[test]
fn a_version_5_database_migrates_to_the_fresh_schema_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v5.duckdb");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/schema-v5.duckdb"
        ),
        &path,
    )
    .unwrap();
    let old = Store::open(&path).unwrap();
    let fresh_dir = tempfile::tempdir().unwrap();
    let fresh = Store::open(&fresh_dir.path().join("fresh.duckdb")).unwrap();

    assert_eq!(
        old.schema_version().unwrap(),
        fresh.schema_version().unwrap()
    );
    assert_eq!(
        q(
            &old,
            "SELECT version FROM schema_migrations ORDER BY version"
        ),
        (1..=fresh.schema_version().unwrap())
            .map(|v| vec![json!(v)])
            .collect::<Vec<_>>()
    );
    assert_eq!(q(&old, TABLES), q(&fresh, TABLES));
    assert_eq!(q(&old, COLUMNS), q(&fresh, COLUMNS));
    assert_eq!(q(&old, SEQUENCES), q(&fresh, SEQUENCES));
    assert!(q(&fresh, TABLES).len() >= 20);

    // The data of the old release.
    assert_eq!(
        count(&old, "SELECT count(*) FROM interactions"),
        FIXTURE_INTERACTIONS
    );
    assert_eq!(
        q(
            &old,
            "SELECT external_id, channel, agent, talk_secs FROM interactions ORDER BY external_id"
        ),
        vec![
            vec![json!("G1"), json!("phone"), json!("Ana"), json!(120.0)],
            vec![json!("G2"), json!("email"), json!("Ben"), Value::Null],
            vec![json!("G3"), json!("chat"), json!("Ana"), json!(60.0)],
        ]
    );
    assert_eq!(count(&old, "SELECT count(*) FROM agents"), FIXTURE_AGENTS);
    assert_eq!(
        count(
            &old,
            "SELECT count(*) FROM imports WHERE finished_at IS NOT NULL"
        ),
        1
    );
    assert_eq!(count(&old, "SELECT count(*) FROM mission"), 1);
    assert_eq!(
        q(&old, "SELECT login, role FROM users"),
        vec![vec![json!("admin"), json!("admin")]]
    );
    assert_eq!(count(&old, "SELECT count(*) FROM goals"), FIXTURE_GOALS);
    // The sequences go on after the old rows.
    assert_eq!(
        q(
            &old,
            "SELECT start_value > (SELECT max(id) FROM interactions) FROM duckdb_sequences()
             WHERE sequence_name = 'interaction_id_seq'"
        ),
        vec![vec![json!(true)]]
    );
    // The new tables start empty.
    for sql in [
        "SELECT count(*) FROM sessions",
        "SELECT count(*) FROM login_failures",
        "SELECT count(*) FROM import_jobs",
    ] {
        let n = old.query_json(sql, &[]).unwrap()[0][0].as_i64().unwrap();
        assert_eq!(n, 0, "{sql}");
    }
}

const FIXTURE_INTERACTIONS: i64 = 3;
const FIXTURE_AGENTS: i64 = 2;
const FIXTURE_GOALS: i64 = 1;

/// DuckDB would otherwise download and load the extensions a query needs;
/// metas runs offline on every connection it opens.
#[test]
fn extension_downloads_are_off_on_every_connection() {
    const SETTINGS: &str = "SELECT current_setting('autoinstall_known_extensions'),
                                   current_setting('autoload_known_extensions')";
    let off = vec![vec![json!(false), json!(false)]];
    let dir = tempfile::tempdir().unwrap();
    let file = Store::open(&dir.path().join("x.duckdb")).unwrap();
    let memory = Store::open_in_memory().unwrap();
    for store in [&file, &memory] {
        assert_eq!(q(store, SETTINGS), off);
        assert_eq!(q(&store.try_clone().unwrap(), SETTINGS), off);
    }
}
