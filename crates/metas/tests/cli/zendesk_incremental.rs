//! Zendesk's incremental export as Zendesk writes it: a run repeats a ticket
//! (the copy with the latest `generated_timestamp` is the true one, in one
//! file and across files), and deleted tickets arrive with `status:
//! "deleted"` — an instruction to remove the ticket from every figure, not a
//! row to reject.

use std::path::Path;

use crate::common::{import_fixture, metas, Run};

fn import(db: &Path, file: &str) -> Run {
    import_fixture(db, file, "zendesk", &["--format", "json"])
}

/// The ticket ids behind `kpi` (every ticket when `kpi` is None), with the
/// cell of `column` for each, sorted by id.
fn tickets(db: &Path, kpi: Option<&str>, column: &str) -> Vec<(String, String)> {
    let mut args = vec!["interactions", "--format", "csv"];
    if let Some(k) = kpi {
        args.extend(["--kpi", k]);
    }
    let run = metas(db, args);
    assert_eq!(run.status, 0, "interactions:\n{run}");
    let mut lines = run.stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let id = header.iter().position(|h| *h == "external_id").unwrap();
    let col = header.iter().position(|h| *h == column).unwrap();
    let mut out: Vec<(String, String)> = lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[id].to_string(), cells[col].to_string())
        })
        .collect();
    out.sort();
    out
}

/// (n, value) of a KPI over every ticket.
fn kpi(db: &Path, name: &str) -> (u64, Option<f64>) {
    let run = metas(db, ["kpi", name, "--format", "json"]);
    assert_eq!(run.status, 0, "kpi {name}:\n{run}");
    let doc = run.json();
    let row = &doc["rows"][0];
    (row["n"].as_u64().unwrap(), row["value"].as_f64())
}

fn counts(run: &Run) -> [u64; 6] {
    let doc = run.json();
    [
        "imported",
        "updated",
        "unchanged",
        "superseded",
        "deleted",
        "rejected",
    ]
    .map(|k| {
        doc[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k} in the report:\n{run}"))
    })
}

#[test]
fn the_newest_copy_wins_and_deleted_tickets_leave_every_figure() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("metas.db");

    // One page that repeats two tickets: 3001 open, then solved and rated
    // good later in the run; 3002 solved, then an older copy (open) further
    // down the file. The newest copy of each wins, whatever its line.
    let run = import(&db, "zendesk/incremental-1.json");
    assert_eq!(run.status, 0, "first page:\n{run}");
    assert_eq!(counts(&run), [3, 0, 0, 2, 0, 0], "first page:\n{run}");
    assert_eq!(
        tickets(&db, None, "status"),
        [
            ("3001".into(), "resolved".into()),
            ("3002".into(), "resolved".into()),
            ("3003".into(), "resolved".into())
        ]
    );
    // Rated good (3001, 3002) and bad (3003).
    let (n, value) = kpi(&db, "csat");
    assert_eq!(n, 3);
    assert!((value.unwrap() - 2.0 / 3.0).abs() < 1e-9, "csat {value:?}");

    // The next page: an older copy of 3001 (superseded by the one already
    // imported), 3003 deleted, 3004 new. A clean export exits 0.
    let run = import(&db, "zendesk/incremental-2.json");
    assert_eq!(run.status, 0, "second page:\n{run}");
    assert_eq!(counts(&run), [1, 0, 0, 1, 1, 0], "second page:\n{run}");
    let all = tickets(&db, None, "status");
    assert_eq!(
        all.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(),
        ["3001", "3002", "3004"],
        "3003 is gone: {all:?}"
    );
    assert_eq!(all[0].1, "resolved", "3001 keeps its newest copy");
    let (n, value) = kpi(&db, "csat");
    assert_eq!((n, value), (3, Some(1.0)), "3003's bad rating went with it");
    let behind: Vec<String> = tickets(&db, Some("csat"), "status")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(behind, ["3001", "3002", "3004"]);
    // 3001 solved after 120 minutes, 3002 after 60, 3004 after 45.
    let (n, value) = kpi(&db, "resolution_time");
    assert_eq!(n, 3);
    assert!((value.unwrap() - (120.0 + 60.0 + 45.0) / 3.0 * 60.0).abs() < 1e-6);

    // The first page again: nothing it says is newer than what is held, and
    // 3003's copies are older than its deletion — it stays gone.
    let run = import(&db, "zendesk/incremental-1.json");
    assert_eq!(run.status, 0, "first page again:\n{run}");
    let [imported, updated, _, superseded, deleted, rejected] = counts(&run);
    assert_eq!(
        (imported, updated, superseded, deleted, rejected),
        (0, 0, 3, 0, 0),
        "first page again:\n{run}"
    );
    assert_eq!(kpi(&db, "csat"), (3, Some(1.0)));

    // The table names what happened in words.
    let dir2 = tempfile::tempdir().unwrap();
    let db2 = dir2.path().join("metas.db");
    let run = import_fixture(&db2, "zendesk/incremental-1.json", "zendesk", &[]);
    assert_eq!(run.status, 0, "{run}");
    assert!(
        run.stdout.contains(
            "imported 3, updated 0, unchanged 0, superseded by a newer copy 2, rejected 0"
        ),
        "{run}"
    );
}
