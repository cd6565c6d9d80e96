//! A Zendesk ticket reopened and open again has a first resolution and no
//! final one (`full_resolution_time_in_minutes` null): it is not resolved, so
//! `resolution_time` neither counts it nor lists it behind the number.

use crate::common::{import_fixture, metas};

#[test]
fn reopened_open_ticket_is_not_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("metas.db");
    let run = import_fixture(
        &db,
        "zendesk/reopened.json",
        "zendesk",
        &["--format", "json"],
    );
    assert_eq!(run.status, 0, "import:\n{run}");
    assert_eq!(run.json()["imported"], 3, "import:\n{run}");

    // 2001 solved after 30 minutes, 2003 after 300; 2002 is open again.
    let run = metas(&db, ["kpi", "resolution_time", "--format", "json"]);
    assert_eq!(run.status, 0, "kpi resolution_time:\n{run}");
    let doc = run.json();
    let row = &doc["rows"][0];
    assert_eq!(row["n"], 2, "only the two solved tickets: {doc}");
    let value = row["value"].as_f64().unwrap();
    assert!(
        (value - (30.0 + 300.0) / 2.0 * 60.0).abs() < 1e-6,
        "mean of 30 and 300 minutes: {doc}"
    );

    let run = metas(
        &db,
        [
            "interactions",
            "--kpi",
            "resolution_time",
            "--format",
            "csv",
        ],
    );
    assert_eq!(run.status, 0, "interactions --kpi resolution_time:\n{run}");
    let mut lines = run.stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let id = header.iter().position(|h| *h == "external_id").unwrap();
    let mut ids: Vec<String> = lines
        .map(|l| l.split(',').nth(id).unwrap().to_string())
        .collect();
    ids.sort();
    assert_eq!(ids, ["2001", "2003"], "behind resolution_time:\n{run}");

    // The reopened ticket keeps its first resolution (60 minutes) and has no
    // final one.
    let run = metas(&db, ["interactions", "--format", "csv"]);
    assert_eq!(run.status, 0, "interactions:\n{run}");
    let mut lines = run.stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let row: Vec<&str> = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|cells| cells[id] == "2002")
        .unwrap_or_else(|| panic!("ticket 2002 exported:\n{run}"));
    assert_eq!(
        row[col("first_resolution_secs")].parse::<f64>().unwrap(),
        3600.0
    );
    assert_eq!(
        row[col("resolution_secs")],
        "",
        "no final resolution:\n{run}"
    );
    assert_eq!(row[col("resolved_at")], "", "no final resolution:\n{run}");
}
