//! A goal's history: each change a line, stamped with the moment the caller
//! gives; what an older release wrote reads back as events; a goal deleted
//! takes its check-ins, reviews and history with it.

use jiff::civil::Date;
use jiff::Timestamp;
use metas_domain::goal::{Decision, Direction, GoalEvent};
use metas_store::prelude::*;
use metas_store::{CheckIn, GoalRow, ReviewRow, Store};

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

fn goal(parent: Option<i64>) -> GoalRow {
    GoalRow {
        id: 0,
        parent_id: parent,
        owner: "team:Technical".into(),
        metric: "frt".into(),
        scope: None,
        direction: "decrease".into(),
        target_text: "--by -12%".into(),
        target: 5_000.0,
        stretch: None,
        baseline: Some(5_700.0),
        baseline_n: 400,
        baseline_from: day("2025-09-01"),
        baseline_to: day("2026-02-28"),
        start: day("2026-03-01"),
        deadline: day("2026-08-31"),
        deadline_text: "31 August".into(),
        status: "active".into(),
        customer_words: None,
        cadence: "quarterly".into(),
        milestones: None,
        committed_on: None,
    }
}

#[test]
fn a_goals_history_keeps_the_moments_it_is_given() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store
        .insert_goal(&goal(None), "Omar Haddad", ts("2026-03-01T09:12:00Z"))
        .unwrap();
    store
        .commit_goal(
            id,
            day("2026-03-02"),
            "Omar Haddad",
            ts("2026-03-02T10:00:00Z"),
        )
        .unwrap();
    let checkin = CheckIn {
        on: day("2026-03-16"),
        comment: "Triage rota started: e-mails first".into(),
        confidence: Some(0.6),
    };
    store
        .add_checkin(
            id,
            &checkin,
            "Omar Haddad",
            ts("2026-03-16T14:31:31.820074Z"),
        )
        .unwrap();
    let review = ReviewRow {
        on: day("2026-06-01"),
        decision: "keep".into(),
        notes: "works (so far)".into(),
        blocked_by: None,
        new_practice: None,
    };
    store
        .add_review(id, &review, None, "Omar Haddad", ts("2026-06-01T11:00:00Z"))
        .unwrap();
    let history = store.goal_history(id).unwrap();
    let got: Vec<(Timestamp, &str, GoalEvent)> = history
        .iter()
        .map(|h| (h.at, h.who.as_str(), GoalEvent::parse(&h.change)))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                ts("2026-03-01T09:12:00Z"),
                "Omar Haddad",
                GoalEvent::Created {
                    metric: "frt".into(),
                    direction: Direction::Decrease,
                    target: "--by -12%".into(),
                    deadline: "31 August".into(),
                }
            ),
            (
                ts("2026-03-02T10:00:00Z"),
                "Omar Haddad",
                GoalEvent::Committed {
                    on: day("2026-03-02")
                }
            ),
            (
                ts("2026-03-16T14:31:31.820074Z"),
                "Omar Haddad",
                GoalEvent::CheckedIn {
                    on: day("2026-03-16"),
                    comment: "Triage rota started: e-mails first".into(),
                }
            ),
            (
                ts("2026-06-01T11:00:00Z"),
                "Omar Haddad",
                GoalEvent::Reviewed {
                    on: day("2026-06-01"),
                    decision: Decision::Keep,
                    notes: "works (so far)".into(),
                }
            ),
        ]
    );
    // Stamped in the past, it is still read in the order things happened.
    store
        .set_goal_status(
            id,
            "retired",
            &GoalEvent::Status {
                status: "retired".into(),
                why: "merged into goal 7".into(),
            },
            "Laura Vidal",
            ts("2026-04-01T08:00:00Z"),
        )
        .unwrap();
    let history = store.goal_history(id).unwrap();
    assert_eq!(history[3].at, ts("2026-04-01T08:00:00Z"));
    assert_eq!(history[3].change, "status retired: merged into goal 7");
    assert_eq!(store.goal(id).unwrap().unwrap().status, "retired");
}

#[test]
fn a_deleted_goal_takes_its_history_and_leaves_its_children_without_a_parent() {
    let mut store = Store::open_in_memory().unwrap();
    let at = ts("2026-03-01T09:00:00Z");
    let parent = store.insert_goal(&goal(None), "Laura Vidal", at).unwrap();
    let child = store
        .insert_goal(&goal(Some(parent)), "Omar Haddad", at)
        .unwrap();
    let checkin = CheckIn {
        on: day("2026-03-16"),
        comment: "fine".into(),
        confidence: None,
    };
    store
        .add_checkin(parent, &checkin, "Laura Vidal", at)
        .unwrap();
    store
        .add_checkin(child, &checkin, "Omar Haddad", at)
        .unwrap();

    assert!(store.delete_goal(parent).unwrap());
    assert!(!store.delete_goal(parent).unwrap(), "already gone");
    assert!(store.goal(parent).unwrap().is_none());
    assert!(store.goal_history(parent).unwrap().is_empty());
    assert!(store.checkins(parent).unwrap().is_empty());
    let left = store.goal(child).unwrap().unwrap();
    assert_eq!(left.parent_id, None);
    assert_eq!(store.checkins(child).unwrap().len(), 1);
    assert_eq!(store.goal_history(child).unwrap().len(), 2);
}

/// The lines the release at schema version 5 wrote (stamped by the
/// database's clock) read back as events with their moment.
#[test]
fn the_history_an_older_release_wrote_reads_as_events() {
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
    let store = Store::open(&path).unwrap();
    let id = store.goals().unwrap()[0].id;
    let history = store.goal_history(id).unwrap();
    assert!(!history.is_empty());
    let first = &history[0];
    assert!(
        matches!(
            GoalEvent::parse(&first.change),
            GoalEvent::Created { ref metric, direction: Direction::Decrease, .. } if metric == "aht"
        ),
        "{first:?}"
    );
    assert!(first.at > ts("2024-01-01T00:00:00Z"), "{first:?}");
}
