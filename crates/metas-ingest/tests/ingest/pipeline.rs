//! Imports larger than one chunk of the CSV pipeline (a reading thread,
//! preparing threads, the writing thread): rejects in file order across
//! chunks, duplicate ids across chunks, a fatal error after rows were
//! written leaving nothing behind, and a first import of a source (rows
//! appended straight to their tables) storing exactly what an import
//! through staging and classification stores.

use std::io::Write;
use std::path::{Path, PathBuf};

use metas_ingest::{import_file, ImportError, ImportOptions, ImportReport, MappingChoice};
use metas_store::Store;
use serde_json::Value;

const HEADER: &str =
    "external_id,channel,created_at,first_response_at,agent,team,customer_id,topic,csat\n";

/// Row `n` of a generic CSV: ids T-00000…, agents a0…a6 in teams t0/t1, a
/// CSAT answer on every third row, customers shared by several rows.
fn row(n: usize) -> String {
    let created = format!(
        "2025-{:02}-{:02}T{:02}:00:00Z",
        1 + n % 12,
        1 + n % 28,
        n % 24
    );
    let first = format!(
        "2025-{:02}-{:02}T{:02}:30:00Z",
        1 + n % 12,
        1 + n % 28,
        n % 24
    );
    let csat = if n.is_multiple_of(3) {
        (1 + n % 5).to_string()
    } else {
        String::new()
    };
    format!(
        "T-{n:05},{},{created},{first},a{},t{},C-{},{},{csat}\n",
        ["email", "phone", "chat"][n % 3],
        n % 7,
        (n % 7) % 2,
        n % 500,
        ["billing", "login"][n % 2],
    )
}

fn write_csv(dir: &Path, name: &str, rows: impl Iterator<Item = Vec<u8>>) -> PathBuf {
    let path = dir.join(name);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    f.write_all(HEADER.as_bytes()).unwrap();
    for r in rows {
        f.write_all(&r).unwrap();
    }
    f.flush().unwrap();
    path
}

fn import(store: &mut Store, file: &Path) -> Result<ImportReport, ImportError> {
    let mut opts = ImportOptions::new(MappingChoice::Preset("generic".into()));
    opts.rejects_path = Some(file.with_extension("rejects.csv"));
    import_file(store, file, &opts)
}

fn rows(store: &Store, sql: &'static str) -> Vec<Vec<Value>> {
    store.query_json(sql, &[]).unwrap()
}

fn count(store: &Store, table: &'static str) -> i64 {
    let sql: &'static str = match table {
        "interactions" => "SELECT count(*) FROM interactions",
        "survey_answers" => "SELECT count(*) FROM survey_answers",
        "agents" => "SELECT count(*) FROM agents",
        "imports" => "SELECT count(*) FROM imports",
        _ => unreachable!(),
    };
    rows(store, sql)[0][0].as_i64().unwrap()
}

#[test]
fn rejects_across_chunks_come_in_file_order() {
    let dir = tempfile::tempdir().unwrap();
    // Data row n sits on line n + 2 (the header is line 1, rows count from 0).
    let file = write_csv(
        dir.path(),
        "big.csv",
        (0..20_000).map(|n| match n {
            // A duplicate of row 10 (line 12), far into a later chunk.
            15_000 => row(10).into_bytes(),
            8_999 => row(n).replace("2025-", "2025-13-").into_bytes(),
            16_384 => b"T-16384,email\n".to_vec(),
            _ => row(n).into_bytes(),
        }),
    );
    let mut store = Store::open(&dir.path().join("m.db")).unwrap();
    let report = import(&mut store, &file).unwrap();
    assert_eq!(
        (report.imported, report.rejected),
        (19_997, 3),
        "{report:?}"
    );
    let lines: Vec<u64> = report.rejects.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![9_001, 15_002, 16_386], "{:?}", report.rejects);
    assert_eq!(report.rejects[0].field, "created_at");
    assert!(
        report.rejects[1].reason.contains("line 12"),
        "{}",
        report.rejects[1].reason
    );
    assert!(report.rejects[2].reason.contains("2 fields"));
    assert_eq!(count(&store, "interactions"), 19_997);
    // Every third row answered CSAT, each answer tied to its interaction.
    let linked = rows(
        &store,
        "SELECT count(*), count(i.id) FROM survey_answers s LEFT JOIN interactions i ON i.id = s.interaction_id",
    );
    assert_eq!(linked[0][0], linked[0][1]);
    assert_eq!(
        linked[0][0].as_i64().unwrap(),
        (0..20_000)
            .filter(|n: &usize| n.is_multiple_of(3) && *n != 8_999 && *n != 15_000)
            .count() as i64
    );
    // Importing it again changes nothing.
    let again = import(&mut store, &file).unwrap();
    assert_eq!((again.imported, again.unchanged), (0, 19_997), "{again:?}");
}

#[test]
fn a_fatal_error_late_in_the_file_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    // Invalid UTF-8 on line 18,002: well past the first chunks and the
    // 64 KiB the importer checks before it starts.
    let file = write_csv(
        dir.path(),
        "late.csv",
        (0..20_000).map(|n| {
            let mut r = row(n).into_bytes();
            if n == 18_000 {
                r[2] = 0xFF;
            }
            r
        }),
    );
    let mut store = Store::open(&dir.path().join("m.db")).unwrap();
    let err = import(&mut store, &file).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("18002"), "{message}");
    for table in ["interactions", "survey_answers", "agents", "imports"] {
        assert_eq!(count(&store, table), 0, "{table} after a failed import");
    }
    assert!(!file.with_extension("rejects.csv").exists());
    // The store is usable afterwards, and the source still counts as new.
    let good = write_csv(
        dir.path(),
        "good.csv",
        (0..100).map(|n| row(n).into_bytes()),
    );
    assert_eq!(import(&mut store, &good).unwrap().imported, 100);
}

#[test]
fn a_first_import_stores_what_a_staged_import_stores() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_csv(
        dir.path(),
        "f.csv",
        (0..12_000).map(|n| row(n).into_bytes()),
    );
    // Store one: the source is new, so rows go straight to their tables.
    let mut first = Store::open(&dir.path().join("one.db")).unwrap();
    assert_eq!(import(&mut first, &file).unwrap().imported, 12_000);
    // Store two: the source already holds one unrelated row, so the same
    // file goes through staging and classification.
    let seed = dir.path().join("seed.csv");
    std::fs::write(
        &seed,
        format!("{HEADER}Z-1,email,2024-01-01T00:00:00Z,,zz,tz,C-zz,other,\n"),
    )
    .unwrap();
    let mut second = Store::open(&dir.path().join("two.db")).unwrap();
    assert_eq!(import(&mut second, &seed).unwrap().imported, 1);
    assert_eq!(import(&mut second, &file).unwrap().imported, 12_000);
    let interactions = "SELECT external_id, channel, CAST(created_at AS VARCHAR), CAST(first_response_at AS VARCHAR),
            agent, team, customer_id, topic, row_hash, next_contact_secs
         FROM interactions WHERE external_id <> 'Z-1' ORDER BY external_id";
    let surveys = "SELECT s.external_id, s.kind, s.score, s.customer_id, i.external_id
         FROM survey_answers s JOIN interactions i ON i.id = s.interaction_id ORDER BY s.external_id";
    let agents = "SELECT name, team FROM agents WHERE name <> 'zz' ORDER BY name";
    let teams = "SELECT name FROM teams WHERE name <> 'tz' ORDER BY name";
    for sql in [interactions, surveys, agents, teams] {
        let (a, b) = (rows(&first, sql), rows(&second, sql));
        assert!(!a.is_empty(), "{sql}");
        assert_eq!(a, b, "{sql}");
    }
    // Ids are unique and come from the sequence, so later imports go on.
    let ids = rows(
        &first,
        "SELECT count(DISTINCT id), count(*), min(id) FROM interactions",
    );
    assert_eq!(ids[0][0], ids[0][1]);
    assert_eq!(ids[0][2].as_i64(), Some(1));
    let more = write_csv(
        dir.path(),
        "more.csv",
        (12_000..12_010).map(|n| row(n).into_bytes()),
    );
    assert_eq!(import(&mut first, &more).unwrap().imported, 10);
    let ids = rows(
        &first,
        "SELECT count(DISTINCT id), count(*) FROM interactions",
    );
    assert_eq!(ids[0][0], ids[0][1]);
}

/// A CSV that says which copy is newer (`updated_at`) and which rows are
/// deletions, large enough that copies of a row fall in different chunks:
/// the newest copy wins wherever it sits, a deletion removes the row and
/// what hangs on it, and the report counts both.
#[test]
fn the_newest_copy_wins_across_chunks_and_deletions_remove_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mapping = dir.path().join("versioned.toml");
    std::fs::write(
        &mapping,
        r#"[source]
name = "versioned"
deleted_when = { column = "state", values = ["Deleted"] }

[fields]
external_id = "id"
channel = "channel"
created_at = "created"
updated_at = "changed"
topic = "topic"

[[surveys]]
kind = "csat"
column = "csat"
"#,
    )
    .unwrap();
    let path = dir.path().join("versioned.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(f, "id,channel,created,changed,state,topic,csat").unwrap();
    let line = |f: &mut std::io::BufWriter<std::fs::File>,
                id: usize,
                hour: u32,
                state: &str,
                topic: &str,
                csat: &str| {
        writeln!(
            f,
            "V-{id:05},email,2025-01-01T00:00:00Z,2025-02-01T{hour:02}:00:00Z,{state},{topic},{csat}"
        )
        .unwrap();
    };
    for id in 0..20_000 {
        line(&mut f, id, 1, "open", "first", "2");
    }
    // Later in the file: newer copies of 0..100 (topic "second", CSAT 5),
    // older copies of 100..200 (lose to the ones above), deletions of
    // 200..250 (newer: applied) and of 250..260 (older: superseded).
    for id in 0..100 {
        line(&mut f, id, 3, "solved", "second", "5");
    }
    for id in 100..200 {
        line(&mut f, id, 0, "solved", "stale", "1");
    }
    for id in 200..250 {
        line(&mut f, id, 2, "Deleted", "", "");
    }
    for id in 250..260 {
        line(&mut f, id, 0, "Deleted", "", "");
    }
    drop(f);
    let mut store = Store::open(&dir.path().join("m.db")).unwrap();
    let mut opts = ImportOptions::new(MappingChoice::File(mapping));
    opts.rejects_path = Some(dir.path().join("rejects.csv"));
    let report = import_file(&mut store, &path, &opts).unwrap();
    assert_eq!(
        (
            report.imported,
            report.superseded,
            report.deleted,
            report.rejected
        ),
        // Superseded: the first copies of 0..100, the stale copies of
        // 100..200, the copies of 200..250 their deletion outdates, and the
        // ten outdated deletions.
        (20_000 - 50, 100 + 100 + 50 + 10, 50, 0),
        "{report:?}"
    );
    assert_eq!(count(&store, "interactions"), 20_000 - 50);
    let topics = rows(
        &store,
        "SELECT topic, count(*) FROM interactions GROUP BY topic ORDER BY topic",
    );
    assert_eq!(
        topics,
        vec![
            vec![Value::from("first"), Value::from(20_000 - 100 - 50)],
            vec![Value::from("second"), Value::from(100)]
        ]
    );
    // One CSAT answer per remaining interaction, the newest copy's.
    let csat = rows(
        &store,
        "SELECT s.score, count(*) FROM survey_answers s JOIN interactions i ON i.id = s.interaction_id GROUP BY s.score ORDER BY s.score",
    );
    assert_eq!(
        csat,
        vec![
            vec![Value::from(2.0), Value::from(20_000 - 100 - 50)],
            vec![Value::from(5.0), Value::from(100)]
        ]
    );
    assert_eq!(count(&store, "survey_answers"), 20_000 - 50);
}
