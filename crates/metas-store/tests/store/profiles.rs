//! Role profiles and assessments through the store: an unchanged profile
//! makes no version, and erasing a candidate leaves no row that mentions
//! them in any table of the database.

use jiff::Timestamp;
use metas_store::prelude::*;
use metas_store::{NewCandidate, NewProfileVersion, RatingRow, Store};
use serde_json::Value;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn save(store: &mut Store, canonical: &str, at: &str) -> (i64, bool) {
    let s = store
        .save_profile(&NewProfileVersion {
            name: "agent",
            role: "Customer service agent",
            definition: canonical,
            canonical,
            saved_by: "ana",
            at: ts(at),
        })
        .unwrap();
    (s.version, s.changed)
}

#[test]
fn an_unchanged_profile_makes_no_version() {
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(save(&mut store, "a", "2026-01-01T00:00:00Z"), (1, true));
    assert_eq!(save(&mut store, "a", "2026-01-02T00:00:00Z"), (1, false));
    assert_eq!(save(&mut store, "b", "2026-01-03T00:00:00Z"), (2, true));
    assert_eq!(store.profile_versions("agent").unwrap().len(), 2);
    assert_eq!(
        store.profile("agent", Some(1)).unwrap().unwrap().canonical,
        "a"
    );
    assert_eq!(
        store.profile("agent", None).unwrap().unwrap().canonical,
        "b"
    );
    assert_eq!(
        store
            .profile("agent", None)
            .unwrap()
            .unwrap()
            .current_version,
        2
    );
    assert!(store.profile("agent", Some(3)).unwrap().is_none());
    assert!(store.profile("nobody", None).unwrap().is_none());
}

fn rating(key: &str, level: u8, evidence: &str) -> RatingRow {
    RatingRow {
        competency: key.into(),
        level,
        evidence: Some(evidence.into()),
        question: Some(format!("question for {evidence}")),
    }
}

/// Every text cell of every table of the database.
fn every_cell(store: &Store) -> Vec<(String, String, String)> {
    let columns = store
        .query_json(
            "SELECT table_name, column_name FROM information_schema.columns
             WHERE table_schema = 'main' ORDER BY table_name, column_name",
            &[],
        )
        .unwrap();
    let mut out = Vec::new();
    for c in columns {
        let (Value::String(table), Value::String(column)) = (&c[0], &c[1]) else {
            panic!("{c:?}");
        };
        let sql: &'static str = Box::leak(
            format!("SELECT CAST(\"{column}\" AS VARCHAR) FROM \"{table}\" WHERE \"{column}\" IS NOT NULL")
                .into_boxed_str(),
        );
        for row in store.query_json(sql, &[]).unwrap() {
            if let Value::String(v) = &row[0] {
                out.push((table.clone(), column.clone(), v.clone()));
            }
        }
    }
    out
}

#[test]
fn erasing_a_candidate_leaves_no_row_about_them() {
    let mut store = Store::open_in_memory().unwrap();
    save(&mut store, "profile text", "2026-01-01T00:00:00Z");
    let at = ts("2026-02-01T09:00:00Z");
    let add = |store: &mut Store, name: &str| {
        store
            .add_candidate(
                &NewCandidate {
                    name: name.into(),
                    profile: "agent".into(),
                    profile_version: 1,
                    added_by: "manager-1".into(),
                    assessors: vec!["ana".into(), "bo".into()],
                },
                at,
            )
            .unwrap()
    };
    let gone = add(&mut store, "Zoë Erasable-7731");
    let kept = add(&mut store, "Kept Candidate-4410");
    assert_ne!(gone, kept);
    store.invite_assessor(gone, "cy", at).unwrap().unwrap();
    for id in [gone, kept] {
        let marker = if id == gone { "ERASE-ME" } else { "KEEP-ME" };
        for a in store.candidate_assessments(id).unwrap() {
            let submitted = (a.assessor == "ana").then_some(at);
            assert!(store
                .save_ratings(
                    a.id,
                    &[
                        rating("empathy", 4, &format!("{marker} said sorry")),
                        rating("communication", 2, &format!("{marker} mumbled")),
                    ],
                    submitted,
                )
                .unwrap());
        }
        store
            .add_note(id, "manager-1", &format!("{marker} note"), at)
            .unwrap();
    }
    // A submitted assessment is final.
    let ana = store.candidate_assessments(gone).unwrap().remove(0);
    assert_eq!(ana.assessor, "ana");
    assert!(ana.submitted_at.is_some());
    assert_eq!(ana.ratings.len(), 2);
    assert!(!store
        .save_ratings(ana.id, &[rating("empathy", 1, "x")], None)
        .unwrap());
    // An agent's assessment is not about the candidate and stays.
    let agent = store
        .add_agent_assessment("Kevin M.", ("agent", 1), "lead-1", at)
        .unwrap();
    store
        .save_ratings(agent, &[rating("empathy", 3, "AGENT-STAYS")], Some(at))
        .unwrap();
    assert!(store.close_candidate(gone, "manager-1", at).unwrap());
    assert!(!store.close_candidate(gone, "manager-1", at).unwrap());

    let before = every_cell(&store);
    assert!(before.iter().any(|(_, _, v)| v.contains("Erasable-7731")));
    assert!(before.iter().any(|(_, _, v)| v.contains("ERASE-ME")));

    assert!(store.erase_candidate(gone).unwrap());
    assert!(!store.erase_candidate(gone).unwrap());

    let after = every_cell(&store);
    let left: Vec<_> = after
        .iter()
        .filter(|(_, _, v)| v.contains("Erasable-7731") || v.contains("ERASE-ME"))
        .collect();
    assert!(
        left.is_empty(),
        "rows about the erased candidate remain: {left:?}"
    );
    for (sql, n) in [
        (
            "SELECT count(*) FROM candidates WHERE id = CAST(? AS BIGINT)",
            0,
        ),
        (
            "SELECT count(*) FROM assessments WHERE candidate_id = CAST(? AS BIGINT)",
            0,
        ),
        (
            "SELECT count(*) FROM candidate_notes WHERE candidate_id = CAST(? AS BIGINT)",
            0,
        ),
    ] {
        let got = store.query_json(sql, &[&gone.to_string()]).unwrap();
        assert_eq!(got[0][0], Value::from(n), "{sql}");
    }
    let orphans = store
        .query_json(
            "SELECT count(*) FROM assessment_ratings WHERE assessment_id NOT IN (SELECT id FROM assessments)",
            &[],
        )
        .unwrap();
    assert_eq!(orphans[0][0], Value::from(0));
    // Everyone else is untouched.
    assert!(store.candidate(gone).unwrap().is_none());
    assert!(store.candidate(kept).unwrap().is_some());
    assert_eq!(store.candidate_assessments(kept).unwrap().len(), 2);
    assert_eq!(store.notes(kept).unwrap().len(), 1);
    assert!(after.iter().any(|(_, _, v)| v.contains("KEEP-ME")));
    assert!(after.iter().any(|(_, _, v)| v.contains("AGENT-STAYS")));
    assert_eq!(store.agent_assessments(None).unwrap().len(), 1);
    assert_eq!(store.candidates(Some("agent")).unwrap().len(), 1);
}
