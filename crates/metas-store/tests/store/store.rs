//! The store through its public interface: migrations, the import
//! transaction (merge, rollback, events), and the lock held by another process.

use jiff::Timestamp;
use metas_domain::{
    Channel, Event, EventKind, Interaction, InteractionRecord, QaReview, Status, SurveyAnswer,
    SurveyKind,
};
use metas_store::prelude::*;
use metas_store::{RubricCriterion, RubricDef, Store, StoreError};
use serde_json::{json, Value};

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn rec(id: &str, created: &str) -> InteractionRecord {
    InteractionRecord {
        interaction: Interaction::new(id.into(), Channel::Email, ts(created)),
        surveys: Vec::new(),
        customer: None,
    }
}

fn q(store: &Store, sql: &'static str) -> Vec<Vec<Value>> {
    store.query_json(sql, &[]).unwrap()
}

#[test]
fn migrations_apply_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let v = Store::open(&path).unwrap().schema_version().unwrap();
    assert!(v >= 1);
    assert_eq!(Store::open(&path).unwrap().schema_version().unwrap(), v);
}

#[test]
fn merge_counts_new_same_changed() {
    let mut store = Store::open_in_memory().unwrap();
    let mut a = rec("A", "2024-01-01T10:00:00Z");
    a.surveys.push(SurveyAnswer {
        kind: SurveyKind::Csat,
        score: 4.0,
        scale_min: 1.0,
        scale_max: 5.0,
        answered_at: None,
        comment: None,
    });
    let b = rec("B", "2024-01-02T10:00:00Z");
    let mut tx = store.begin_import("s", "f").unwrap();
    tx.add_interaction(2, 1, &a).unwrap();
    tx.add_interaction(3, 2, &b).unwrap();
    let c = tx.commit(0).unwrap();
    assert_eq!((c.imported, c.updated, c.unchanged), (2, 0, 0));

    // A changes (new hash, CSAT removed), B is the same, C is new.
    let mut a2 = a.clone();
    a2.surveys.clear();
    a2.interaction.status = Some(Status::Resolved);
    let mut tx = store.begin_import("s", "f").unwrap();
    tx.add_interaction(2, 10, &a2).unwrap();
    tx.add_interaction(3, 2, &b).unwrap();
    tx.add_interaction(4, 3, &rec("C", "2024-01-03T10:00:00Z"))
        .unwrap();
    let c = tx.commit(0).unwrap();
    assert_eq!((c.imported, c.updated, c.unchanged), (1, 1, 1));
    assert_eq!(
        q(
            &store,
            "SELECT external_id, status FROM interactions ORDER BY external_id"
        ),
        vec![
            vec![json!("A"), json!("resolved")],
            vec![json!("B"), Value::Null],
            vec![json!("C"), Value::Null]
        ]
    );
    assert_eq!(
        q(&store, "SELECT count(*) FROM survey_answers"),
        vec![vec![json!(0)]]
    );
    // Ids are stable across updates.
    assert_eq!(
        q(
            &store,
            "SELECT count(DISTINCT id), max(id) FROM interactions"
        ),
        vec![vec![json!(3), json!(3)]]
    );
}

#[test]
fn dropped_import_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let mut store = Store::open(&path).unwrap();
    {
        let mut tx = store.begin_import("s", "f").unwrap();
        tx.add_interaction(2, 1, &rec("A", "2024-01-01T10:00:00Z"))
            .unwrap();
        // dropped without commit
    }
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(
        q(&store, "SELECT count(*) FROM interactions"),
        vec![vec![json!(0)]]
    );
    assert_eq!(
        q(&store, "SELECT count(*) FROM imports"),
        vec![vec![json!(0)]]
    );
}

#[test]
fn events_derive_summary_times() {
    let mut store = Store::open_in_memory().unwrap();
    let ev = |at: &str, kind: EventKind, status: Option<Status>, actor: Option<&str>| Event {
        interaction_external_id: "T1".into(),
        at: ts(at),
        kind,
        status,
        actor: actor.map(str::to_string),
        channel: Some(Channel::Chat),
    };
    let events = [
        ev(
            "2024-05-06T09:00:00Z",
            EventKind::Created,
            Some(Status::New),
            None,
        ),
        ev("2024-05-06T09:10:00Z", EventKind::CustomerReply, None, None),
        ev(
            "2024-05-06T09:30:00Z",
            EventKind::AgentReply,
            None,
            Some("Ana"),
        ),
        ev(
            "2024-05-06T11:00:00Z",
            EventKind::Resolved,
            Some(Status::Resolved),
            Some("Ana"),
        ),
        ev(
            "2024-05-07T08:00:00Z",
            EventKind::Reopened,
            Some(Status::Open),
            None,
        ),
        ev(
            "2024-05-07T09:00:00Z",
            EventKind::AgentReply,
            None,
            Some("Luis"),
        ),
        ev(
            "2024-05-07T10:00:00Z",
            EventKind::StatusChange,
            Some(Status::Resolved),
            None,
        ),
        ev(
            "2024-05-08T10:00:00Z",
            EventKind::Closed,
            Some(Status::Closed),
            None,
        ),
    ];
    let mut tx = store.begin_import("ev", "events.csv").unwrap();
    for (n, e) in events.iter().enumerate() {
        tx.add_event(n as u64 + 2, e).unwrap();
    }
    let c = tx.commit(0).unwrap();
    assert_eq!(c.imported, 8);
    assert_eq!(
        q(
            &store,
            "SELECT channel, CAST(created_at AS VARCHAR), CAST(first_response_at AS VARCHAR),
                    CAST(first_resolved_at AS VARCHAR), CAST(resolved_at AS VARCHAR), CAST(closed_at AS VARCHAR),
                    reopen_count, agent_replies, customer_replies, status, agent
             FROM interactions"
        ),
        vec![vec![
            json!("chat"),
            json!("2024-05-06 09:00:00"),
            json!("2024-05-06 09:30:00"),
            json!("2024-05-06 11:00:00"),
            json!("2024-05-07 10:00:00"),
            json!("2024-05-08 10:00:00"),
            json!(1),
            json!(2),
            json!(1),
            json!("closed"),
            json!("Luis")
        ]]
    );
    // The same events again change nothing.
    let mut tx = store.begin_import("ev", "events.csv").unwrap();
    for (n, e) in events.iter().enumerate() {
        tx.add_event(n as u64 + 2, e).unwrap();
    }
    let c = tx.commit(0).unwrap();
    assert_eq!((c.imported, c.unchanged), (0, 8));
    assert_eq!(
        q(&store, "SELECT count(*) FROM events"),
        vec![vec![json!(8)]]
    );
}

#[test]
fn qa_reviews_with_rubric() {
    let mut store = Store::open_in_memory().unwrap();
    let mut tx = store.begin_import("qa", "qa.csv").unwrap();
    tx.define_rubric(&RubricDef {
        name: "service".into(),
        description: None,
        criteria: vec![RubricCriterion {
            name: "concern".into(),
            scale_min: 1.0,
            scale_max: 5.0,
            weight: 2.0,
            critical: false,
            standard: Some(3.0),
        }],
    })
    .unwrap();
    tx.add_qa_review(
        2,
        1,
        &QaReview {
            external_id: "Q1".into(),
            interaction_external_id: None,
            agent: "Ana".into(),
            reviewer: Some("Lead".into()),
            rubric: "service".into(),
            reviewed_at: ts("2024-05-06T09:00:00Z"),
            ratings: vec![("concern".into(), Some(2.0)), ("accuracy".into(), None)],
            comment: None,
        },
    )
    .unwrap();
    tx.commit(0).unwrap();
    assert_eq!(
        q(
            &store,
            "SELECT criterion, weight, standard FROM qa_criteria ORDER BY position"
        ),
        vec![
            vec![json!("concern"), json!(2.0), json!(3.0)],
            vec![json!("accuracy"), json!(1.0), Value::Null]
        ]
    );
    assert_eq!(
        q(
            &store,
            "SELECT criterion, rating FROM qa_ratings ORDER BY criterion"
        ),
        vec![
            vec![json!("accuracy"), Value::Null],
            vec![json!("concern"), json!(2.0)]
        ]
    );
}

/// Run as a child process by `a_held_database_is_reported_plainly`: holds the
/// database open until its standard input closes.
#[test]
fn holder_process() {
    let Ok(path) = std::env::var("METAS_TEST_HOLD_DB") else {
        return;
    };
    let _store = Store::open(std::path::Path::new(&path)).unwrap();
    println!("holding");
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}

#[test]
fn a_held_database_is_reported_plainly() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("held.db");
    drop(Store::open(&path).unwrap());
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "store::holder_process",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("METAS_TEST_HOLD_DB", &path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains("holding") {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "holder exited early");
    }
    let err = Store::open(&path)
        .err()
        .expect("a held database must not open");
    drop(child.stdin.take());
    child.wait().unwrap();
    assert!(matches!(err, StoreError::Locked { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("is in use by another metas process"),
        "{text}"
    );
    assert!(text.contains(&format!("(PID {})", child.id())), "{text}");
}
