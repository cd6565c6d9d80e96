//! `metas indicator`: set a definition, show it back with its history,
//! and find the board judging the figure against it; bad input is one
//! sentence naming the field, exit 2 (docs/indicators.md).

use crate::common::metas;

const AS_OF: &str = "2026-06-30";

#[test]
fn set_then_show_then_the_board() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let run = metas(
        &db,
        [
            "demo",
            "--interactions",
            "3000",
            "--seed",
            "3",
            "--as-of",
            AS_OF,
            "--no-goals",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    // The demo defines some indicators itself (frt among them).
    let run = metas(&db, ["indicator", "show", "frt", "--format", "json"]);
    assert_eq!(run.status, 0, "{run}");
    let before = run.json()["version"].as_i64().unwrap();
    assert_eq!(run.json()["owner"], "Front Line", "the demo's owner");

    let run = metas(
        &db,
        [
            "indicator",
            "set",
            "frt",
            "--standard",
            "2h",
            "--owner",
            "Front Line",
            "--frequency",
            "monthly",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    let run = metas(
        &db,
        ["indicator", "set", "frt", "--note", "From the 2026 plan"],
    );
    assert_eq!(run.status, 0, "{run}");

    let run = metas(&db, ["indicator", "show", "frt", "--format", "json"]);
    assert_eq!(run.status, 0, "{run}");
    let d = run.json();
    assert_eq!(d["standard"]["value"], 7200.0);
    assert_eq!(d["standard"]["direction"], "at_most");
    assert_eq!(d["standard"]["text"], "at most 2h 00m");
    assert_eq!(d["owner"], "Front Line");
    assert_eq!(d["frequency"], "monthly");
    assert_eq!(d["stage"], "before_purchase");
    assert_eq!(d["note"], "From the 2026 plan");
    assert_eq!(d["version"], before + 2);
    let history = d["history"].as_array().unwrap();
    let h = history.len();
    assert_eq!(h as i64, before + 2);
    assert_eq!(history[h - 2]["note"], serde_json::Value::Null);
    assert_eq!(history[h - 1]["note"], "From the 2026 plan");

    let run = metas(
        &db,
        ["indicator", "board", "--as-of", AS_OF, "--format", "json"],
    );
    assert_eq!(run.status, 0, "{run}");
    let board = run.json();
    let frt = board["stages"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["indicators"].as_array().unwrap())
        .find(|i| i["kpi"] == "frt")
        .unwrap();
    assert_eq!(frt["from"], "2026-06-01");
    assert_eq!(frt["to"], AS_OF);
    let value = frt["figure"]["value"].as_f64().unwrap();
    assert_eq!(
        frt["verdict"],
        if value <= 7200.0 { "met" } else { "not_met" }
    );
    // The same figure as `metas kpi` over the same month.
    let run = metas(
        &db,
        [
            "kpi",
            "frt",
            "--from",
            "2026-06-01",
            "--to",
            AS_OF,
            "--format",
            "json",
        ],
    );
    let kpi = run.json();
    assert_eq!(kpi["rows"][0]["n"], frt["figure"]["n"]);
    assert!((kpi["rows"][0]["value"].as_f64().unwrap() - value).abs() < 1e-9);

    // The table says it too.
    let run = metas(&db, ["indicator", "board", "--as-of", AS_OF]);
    assert_eq!(run.status, 0, "{run}");
    assert!(run.stdout.contains("Before the purchase"), "{run}");
    assert!(run.stdout.contains("at most 2h 00m"), "{run}");
}

#[test]
fn bad_input_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let run = metas(
        &db,
        [
            "demo",
            "--interactions",
            "500",
            "--seed",
            "3",
            "--as-of",
            AS_OF,
            "--no-goals",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    for (args, words) in [
        (
            vec!["csat", "--standard", "120%"],
            "standard: '120%' is not a rate between 0 and 100 %",
        ),
        (
            vec!["frt", "--standard", "-1"],
            "standard: '-1' is not a duration of 0 or more",
        ),
        (
            vec!["csat", "--frequency", "hourly"],
            "frequency: 'hourly' is not one of daily, weekly, monthly, quarterly",
        ),
        (
            vec!["csat", "--stage", "later"],
            "stage: 'later' is not one of before, during, after",
        ),
        (
            vec!["volume", "--standard", "500"],
            "standard: volume has no better direction",
        ),
        (
            vec!["nope", "--owner", "x"],
            "kpi: 'nope' is not an indicator",
        ),
        (vec!["csat"], "give at least one of --owner"),
    ] {
        let mut full = vec!["indicator", "set"];
        full.extend(&args);
        let run = metas(&db, &full);
        assert_eq!(run.status, 2, "{args:?}: {run}");
        let lines = run.stderr_lines();
        assert_eq!(lines.len(), 1, "one sentence: {run}");
        assert!(lines[0].contains(words), "{args:?}: {run}");
    }
    let run = metas(&db, ["indicator", "board", "--as-of", "yesterday-ish"]);
    assert_eq!(run.status, 2, "{run}");
    assert!(run.stderr.contains("--as-of"), "{run}");
}
