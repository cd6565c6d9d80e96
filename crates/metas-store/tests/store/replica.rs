//! PostgreSQL as the shared system of record: imports made in one read
//! model reach another by catch-up (rows, changes and deletions), a
//! catch-up stopped midway resumes, a rebuild equals the incremental read
//! model, and both equal PostgreSQL by counts and sums.

use jiff::Timestamp;
use metas_domain::{Channel, Interaction, InteractionRecord, Status, SurveyAnswer, SurveyKind};
use metas_store::pg::{self, PgDatabase, Replication};
use metas_store::prelude::*;
use metas_store::Store;
use serde_json::Value;

use crate::pg_support::TestDb;

fn rec(i: u32) -> InteractionRecord {
    let created: Timestamp = format!("2024-0{}-1{}T10:00:00Z", 1 + i % 9, i % 10)
        .parse()
        .unwrap();
    let mut interaction = Interaction::new(format!("X-{i}"), Channel::Email, created);
    interaction.agent = Some(format!("agent-{}", i % 7));
    interaction.team = Some(format!("team-{}", i % 3));
    let mut r = InteractionRecord {
        interaction,
        surveys: Vec::new(),
        customer: None,
    };
    if i.is_multiple_of(2) {
        r.surveys.push(SurveyAnswer {
            kind: SurveyKind::Csat,
            score: f64::from(1 + i % 5),
            scale_min: 1.0,
            scale_max: 5.0,
            answered_at: None,
            comment: None,
        });
    }
    r
}

/// Imports `recs` (line n, hash from the record) into `store`; `replace`
/// first removes everything the source holds.
fn import(store: &mut Store, recs: &[InteractionRecord], replace: bool) {
    let mut tx = store.begin_import("src", "test").unwrap();
    if replace {
        tx.replace_source().unwrap();
    }
    for (n, r) in recs.iter().enumerate() {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (
            &r.interaction.external_id,
            format!("{:?}", r.interaction.status),
        )
            .hash(&mut h);
        let hash = h.finish() as i64;
        tx.add_interaction(n as u64 + 2, hash, r).unwrap();
    }
    tx.commit(0).unwrap();
}

/// The counts and sums a KPI reads, from a read model.
fn figures(store: &Store) -> Vec<Vec<Value>> {
    store
        .query_json(
            "SELECT (SELECT count(*) FROM interactions), (SELECT sum(id) FROM interactions),
                    (SELECT sum(row_hash) FROM interactions),
                    (SELECT count(*) FILTER (WHERE status = 'resolved') FROM interactions),
                    (SELECT count(*) FROM survey_answers), (SELECT sum(score) FROM survey_answers),
                    (SELECT count(*) FROM agents), (SELECT count(*) FROM teams),
                    (SELECT count(*) FROM imports), (SELECT sum(imported) FROM imports)",
            &[],
        )
        .unwrap()
}

/// The same, read from PostgreSQL directly.
fn pg_figures(pg: &mut PgDatabase) -> Vec<i64> {
    vec![
        pg.query_i64("SELECT count(*) FROM interactions")
            .unwrap()
            .unwrap(),
        pg.query_i64("SELECT sum(id)::BIGINT FROM interactions")
            .unwrap()
            .unwrap_or(0),
        pg.query_i64("SELECT count(*) FILTER (WHERE status = 'resolved') FROM interactions")
            .unwrap()
            .unwrap(),
        pg.query_i64("SELECT count(*) FROM survey_answers")
            .unwrap()
            .unwrap(),
        pg.query_i64("SELECT sum(score)::BIGINT FROM survey_answers")
            .unwrap()
            .unwrap_or(0),
        pg.query_i64("SELECT count(*) FROM imports")
            .unwrap()
            .unwrap(),
    ]
}

fn as_i64(figures: &[Vec<Value>]) -> Vec<i64> {
    let row = &figures[0];
    [0, 1, 3, 4, 5, 8]
        .iter()
        .map(|&i| row[i].as_f64().unwrap_or(0.0) as i64)
        .collect()
}

struct Setup {
    db: TestDb,
    _dir: tempfile::TempDir,
    dir: std::path::PathBuf,
}

fn setup() -> Setup {
    let db = TestDb::new();
    let m = PgDatabase::connect(&db.url).unwrap().migrate().unwrap();
    assert_eq!(m.applied, vec![1, 2]);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    Setup { db, _dir: tmp, dir }
}

impl Setup {
    fn pg(&self) -> PgDatabase {
        PgDatabase::connect(&self.db.url).unwrap()
    }

    /// A read model whose imports go to PostgreSQL.
    fn writer(&self, name: &str) -> Store {
        let mut s = Store::open(&self.dir.join(name)).unwrap();
        s.replicate_to(Replication::new(self.pg()).unwrap());
        s
    }

    fn reader(&self, name: &str) -> Store {
        Store::open(&self.dir.join(name)).unwrap()
    }
}

#[test]
fn migrating_twice_is_a_no_op() {
    let s = setup();
    let again = s.pg().migrate().unwrap();
    assert_eq!((again.from, again.applied), (2, vec![]));
    let recorded: i64 =
        s.db.client()
            .query_one("SELECT count(*) FROM schema_migrations", &[])
            .unwrap()
            .get(0);
    assert_eq!(recorded, 2);
}

#[test]
fn an_import_through_postgres_reaches_a_second_read_model() {
    let s = setup();
    let mut a = s.writer("a.db");
    let recs: Vec<_> = (0..300).map(rec).collect();
    import(&mut a, &recs, false);
    assert_eq!(a.replicated_change(), Some(1));
    assert_eq!(a.watermark().unwrap(), 1);

    let mut b = s.reader("b.db");
    let c = pg::catch_up(&mut s.pg(), &mut b).unwrap();
    assert_eq!((c.from, c.to), (0, 1));
    assert!(c.rows >= 450, "{c:?}");
    assert_eq!(figures(&b), figures(&a));
    assert_eq!(as_i64(&figures(&b)), pg_figures(&mut s.pg()));
    // Nothing new: a no-op.
    let again = pg::catch_up(&mut s.pg(), &mut b).unwrap();
    assert_eq!((again.from, again.to, again.rows), (1, 1, 0));
}

#[test]
fn a_reimport_that_changes_and_deletes_rows_replicates_both() {
    let s = setup();
    let mut a = s.writer("a.db");
    let recs: Vec<_> = (0..200).map(rec).collect();
    import(&mut a, &recs, false);
    let mut b = s.reader("b.db");
    pg::catch_up(&mut s.pg(), &mut b).unwrap();

    // 0..150 again, a third of them resolved now; 150..200 deleted.
    let mut changed: Vec<_> = (0..150).map(rec).collect();
    for r in changed.iter_mut().step_by(3) {
        r.interaction.status = Some(Status::Resolved);
    }
    import(&mut a, &changed, true);
    let c = pg::catch_up(&mut s.pg(), &mut b).unwrap();
    assert_eq!((c.from, c.to), (1, 2));
    assert!(c.tombstones > 0, "{c:?}");
    let f = figures(&b);
    assert_eq!(f, figures(&a));
    assert_eq!(f[0][0], serde_json::json!(150));
    assert_eq!(f[0][3], serde_json::json!(50));
    assert_eq!(as_i64(&f), pg_figures(&mut s.pg()));
}

#[test]
fn an_interrupted_catch_up_resumes_to_the_same_result() {
    let s = setup();
    let mut a = s.writer("a.db");
    import(&mut a, &(0..120).map(rec).collect::<Vec<_>>(), false);
    let mut b = s.reader("b.db");
    pg::catch_up(&mut s.pg(), &mut b).unwrap();
    let mut changed: Vec<_> = (0..80).map(rec).collect();
    for r in changed.iter_mut().step_by(2) {
        r.interaction.status = Some(Status::Resolved);
    }
    import(&mut a, &changed, true);
    let before = figures(&b);

    // Stopped after the first five tables (interactions applied, surveys
    // not): nothing of it stays, the watermark included.
    pg::abandoned_catch_up(&mut s.pg(), &mut b, 5).unwrap_err();
    assert_eq!(b.watermark().unwrap(), 1);
    assert_eq!(figures(&b), before);
    drop(b);

    let mut b = s.reader("b.db");
    let c = pg::catch_up(&mut s.pg(), &mut b).unwrap();
    assert_eq!((c.from, c.to), (1, 2));
    assert_eq!(figures(&b), figures(&a));
}

#[test]
fn a_rebuild_equals_the_incremental_read_model() {
    let s = setup();
    let mut a = s.writer("a.db");
    let mut b = s.reader("b.db");
    import(&mut a, &(0..100).map(rec).collect::<Vec<_>>(), false);
    pg::catch_up(&mut s.pg(), &mut b).unwrap();
    let mut changed: Vec<_> = (20..140).map(rec).collect();
    for r in changed.iter_mut().step_by(4) {
        r.interaction.status = Some(Status::Resolved);
    }
    import(&mut a, &changed, true);
    pg::catch_up(&mut s.pg(), &mut b).unwrap();
    import(&mut a, &(140..160).map(rec).collect::<Vec<_>>(), false);
    pg::catch_up(&mut s.pg(), &mut b).unwrap();

    let (rebuilt, c) = pg::rebuild(&mut s.pg(), &s.dir.join("c.db")).unwrap();
    assert_eq!(c.to, 3);
    assert_eq!(figures(&rebuilt), figures(&b));
    assert_eq!(figures(&rebuilt), figures(&a));
    // The rebuilt read model can write too: its ids follow the others'.
    drop(rebuilt);
    let mut c = s.writer("c.db");
    import(&mut c, &(160..170).map(rec).collect::<Vec<_>>(), false);
    pg::catch_up(&mut s.pg(), &mut b).unwrap();
    assert_eq!(figures(&b), figures(&c));
    assert_eq!(as_i64(&figures(&b)), pg_figures(&mut s.pg()));
    let ids = b
        .query_json(
            "SELECT count(DISTINCT id) = count(*) FROM interactions",
            &[],
        )
        .unwrap();
    assert_eq!(ids[0][0], serde_json::json!(true));
}

#[test]
fn an_import_postgres_refuses_is_rolled_back_in_duckdb_too() {
    let s = setup();
    let mut a = s.writer("a.db");
    import(&mut a, &(0..50).map(rec).collect::<Vec<_>>(), false);
    let before = figures(&a);
    // PostgreSQL refuses every new interaction from now on.
    s.db.client()
        .batch_execute(
            "ALTER TABLE interactions ADD CONSTRAINT refuse CHECK (external_id = 'none') NOT VALID",
        )
        .unwrap();
    let mut tx = a.begin_import("src", "test").unwrap();
    tx.add_interaction(2, 7, &rec(99)).unwrap();
    let err = tx.commit(0).unwrap_err();
    assert!(err.to_string().contains("refuse"), "{err}");
    assert_eq!(figures(&a), before);
    assert_eq!(a.watermark().unwrap(), 1);
    assert_eq!(s.pg().head().unwrap(), 1);

    // Allowed again, the same import goes through, and a second read
    // model sees exactly what the first holds.
    s.db.client()
        .batch_execute("ALTER TABLE interactions DROP CONSTRAINT refuse")
        .unwrap();
    import(&mut a, &[rec(99)], false);
    assert_eq!(a.watermark().unwrap(), 2);
    let mut b = s.reader("b.db");
    pg::catch_up(&mut s.pg(), &mut b).unwrap();
    assert_eq!(figures(&b), figures(&a));
    assert_eq!(as_i64(&figures(&b)), pg_figures(&mut s.pg()));
}

/// An instance that died after PostgreSQL committed its import and before
/// DuckDB did holds the read model as it was before the import: the
/// copy taken just before stands for it. Its next catch-up, or its next
/// import (which catches up first), brings the lost change back.
#[test]
fn a_read_model_that_lost_its_last_commit_catches_it_up() {
    let s = setup();
    let mut a = s.writer("a.db");
    import(&mut a, &(0..60).map(rec).collect::<Vec<_>>(), false);
    a.backup_to(&s.dir.join("stale.db")).unwrap();
    let mut changed: Vec<_> = (0..40).map(rec).collect();
    for r in changed.iter_mut().step_by(2) {
        r.interaction.status = Some(Status::Resolved);
    }
    import(&mut a, &changed, true);
    assert_eq!(a.watermark().unwrap(), 2);

    let mut stale = s.writer("stale.db");
    assert_eq!(stale.watermark().unwrap(), 1);
    // Its next import starts by catching up, then numbers its rows after
    // everyone's.
    import(&mut stale, &(60..70).map(rec).collect::<Vec<_>>(), false);
    assert_eq!(stale.watermark().unwrap(), 3);
    pg::catch_up(&mut s.pg(), &mut a).unwrap();
    assert_eq!(figures(&a), figures(&stale));
    assert_eq!(as_i64(&figures(&a)), pg_figures(&mut s.pg()));
}
