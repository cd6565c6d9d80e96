//! Indicator definitions (schema version 12): a change is a new version,
//! the latest in force, the history kept and read back as saved.

use jiff::Timestamp;
use metas_store::prelude::*;
use metas_store::{IndicatorRow, Store};

fn row(
    kpi: &str,
    owner: Option<&str>,
    standard: Option<(f64, &str)>,
    by: &str,
    at: &str,
) -> IndicatorRow {
    IndicatorRow {
        kpi: kpi.into(),
        version: 0,
        stage: "after_purchase".into(),
        frequency: "monthly".into(),
        owner: owner.map(str::to_string),
        standard: standard.map(|(v, d)| (v, d.to_string())),
        note: Some("O'Brien's \"plan\"; DROP TABLE x; --".into()),
        changed_by: by.into(),
        changed_at: at.parse::<Timestamp>().unwrap(),
    }
}

#[test]
fn definitions_round_trip_with_their_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("i.db");
    let first = row(
        "csat",
        Some("Care team"),
        Some((0.8, "at_least")),
        "ana",
        "2026-11-01T09:00:00Z",
    );
    let second = row(
        "csat",
        None,
        Some((0.85, "at_least")),
        "bo",
        "2026-11-20T09:30:00Z",
    );
    let other = row("frt", Some("Li W."), None, "ana", "2026-11-02T09:00:00Z");
    {
        let mut store = Store::open(&path).unwrap();
        assert!(store.indicators().unwrap().is_empty());
        assert_eq!(store.save_indicator(&first).unwrap(), 1);
        assert_eq!(store.save_indicator(&other).unwrap(), 1);
        assert_eq!(store.save_indicator(&second).unwrap(), 2);
    }
    let store = Store::open(&path).unwrap();
    let current = store.indicators().unwrap();
    let versioned = |r: &IndicatorRow, v| IndicatorRow {
        version: v,
        ..r.clone()
    };
    assert_eq!(current, vec![versioned(&second, 2), versioned(&other, 1)]);
    assert_eq!(
        store.indicator_history("csat").unwrap(),
        vec![versioned(&first, 1), versioned(&second, 2)]
    );
    assert!(store.indicator_history("nps").unwrap().is_empty());
}
