//! QA through the real binary: rubric files set, listed and shown; a bad
//! file refused (exit 2) with one sentence naming file, line and field;
//! reviews keep the rubric version they were scored on; the queue.

use std::path::Path;

use crate::common::{metas, Run};

const EXAMPLE: &str = include_str!("../../../../examples/qa/service_quality.toml");

fn ok(run: Run) -> Run {
    assert_eq!(run.status, 0, "{run}");
    run
}

fn demo(db: &Path) {
    ok(metas(
        db,
        [
            "demo",
            "--interactions",
            "1500",
            "--seed",
            "7",
            "--as-of",
            "2026-06-30",
        ],
    ));
}

#[test]
fn rubrics_are_set_listed_shown_and_versioned() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("qa.duckdb");
    demo(&db);
    // The demo saved the example rubric as version 1.
    let list = ok(metas(&db, ["qa", "rubric", "list", "--format", "json"])).json();
    assert_eq!(list[0]["name"], "service_quality");
    assert_eq!(list[0]["version"], 1);
    assert_eq!(list[0]["criteria"][1]["key"], "accuracy");
    assert_eq!(list[0]["criteria"][1]["critical"], true);
    assert_eq!(
        list[0]["criteria"][0]["label"],
        "Shows concern for the customer"
    );

    // The same file again changes nothing.
    let file = dir.path().join("service_quality.toml");
    std::fs::write(&file, EXAMPLE).unwrap();
    let run = ok(metas(
        &db,
        [
            "qa",
            "rubric",
            "set",
            "service_quality",
            file.to_str().unwrap(),
        ],
    ));
    assert!(run.stdout.contains("unchanged; version 1"), "{run}");

    // A new weight is version 2; the demo's reviews keep version 1.
    std::fs::write(&file, EXAMPLE.replace("weight = 1.5", "weight = 2")).unwrap();
    let run = ok(metas(
        &db,
        [
            "qa",
            "rubric",
            "set",
            "service_quality",
            file.to_str().unwrap(),
        ],
    ));
    assert!(run.stdout.contains("saved as version 2"), "{run}");
    let show = ok(metas(
        &db,
        [
            "qa",
            "rubric",
            "show",
            "service_quality",
            "--format",
            "json",
        ],
    ))
    .json();
    assert_eq!(
        (show["version"].as_i64(), show["current_version"].as_i64()),
        (Some(2), Some(2))
    );
    assert_eq!(show["criteria"][3]["weight"], 2.0);
    let old = ok(metas(
        &db,
        [
            "qa",
            "rubric",
            "show",
            "service_quality",
            "--version",
            "1",
            "--format",
            "json",
        ],
    ))
    .json();
    assert_eq!(old["criteria"][3]["weight"], 1.5);
    let table = ok(metas(&db, ["qa", "rubric", "show", "service_quality"]));
    assert!(table.stdout.contains("version 2 of 2"), "{table}");

    let reviews = ok(metas(
        &db,
        ["qa", "reviews", "--limit", "50", "--format", "json"],
    ))
    .json();
    let reviews = reviews.as_array().unwrap();
    assert!(!reviews.is_empty());
    for r in reviews {
        assert_eq!(r["rubric_version"], 1, "{r}");
        let score = r["score"].as_f64().unwrap();
        assert!((0.0..=100.0).contains(&score), "{r}");
    }
    // An unknown version, an unknown rubric: not found (exit 1).
    let run = metas(
        &db,
        ["qa", "rubric", "show", "service_quality", "--version", "9"],
    );
    assert_ne!(run.status, 0, "{run}");
}

#[test]
fn a_bad_rubric_file_is_one_sentence_with_its_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("qa.duckdb");
    let cases: &[(&str, &str)] = &[
        (
            "[[criteria]]\nkey = \"a\"\nweight = 0\n",
            "line 3: criteria[1].weight: must be a number above 0",
        ),
        (
            "[[criteria]]\nkey = \"a\"\n[[criteria]]\nkey = \"b\"\nscale = \"1-7\"\n",
            "line 5: criteria[2].scale: '1-7' is not a scale",
        ),
        (
            "[[criteria]]\nkey = \"a\"\nscale = \"binary\"\nstandard = 3\n",
            "line 4: criteria[1].standard: 3 is outside the scale binary",
        ),
        (
            "description = \"x\"\n",
            "criteria: a rubric needs at least one",
        ),
        (
            "[[criteria]]\nkey = \"a\"\nwieght = 2\n",
            "unknown field `wieght`",
        ),
    ];
    for (text, says) in cases {
        let file = dir.path().join("bad.toml");
        std::fs::write(&file, text).unwrap();
        let run = metas(&db, ["qa", "rubric", "set", "r", file.to_str().unwrap()]);
        assert_eq!(run.status, 2, "{run}");
        let lines = run.stderr_lines();
        assert_eq!(lines.len(), 1, "{run}");
        assert!(lines[0].contains("bad.toml"), "{run}");
        assert!(lines[0].contains(says), "{says}: {run}");
    }
}

#[test]
fn the_queue_is_fixed_for_a_week_and_leaves_out_reviewed_interactions() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("qa.duckdb");
    demo(&db);
    let q = |as_of: &str| {
        ok(metas(
            &db,
            ["qa", "queue", "--as-of", as_of, "--format", "json"],
        ))
        .json()
        .as_array()
        .unwrap()
        .clone()
    };
    let monday = q("2026-06-22");
    assert!(!monday.is_empty());
    // Any day of the week draws the same interactions.
    assert_eq!(monday, q("2026-06-26"));
    assert_ne!(monday, q("2026-06-15"));
    let mut per_agent = std::collections::BTreeMap::<String, usize>::new();
    for r in &monday {
        let i = &r["interaction"];
        let created = i["created_at"].as_str().unwrap();
        assert!(
            ("2026-06-22".."2026-06-29").contains(&&created[..10]),
            "{r}"
        );
        if r["reason"] == "sample" {
            *per_agent
                .entry(i["agent"].as_str().unwrap().into())
                .or_default() += 1;
        } else {
            assert_eq!(r["reason"], "low_csat");
            assert!(i["csat"].as_f64().unwrap() <= 0.25, "{r}");
        }
    }
    assert!(per_agent.values().all(|n| *n <= 3), "{per_agent:?}");
    let reviewed = ok(metas(
        &db,
        ["qa", "reviews", "--limit", "100000", "--format", "json"],
    ))
    .json();
    let reviewed: std::collections::HashSet<i64> = reviewed
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["interaction_id"].as_i64())
        .collect();
    assert!(monday
        .iter()
        .all(|r| !reviewed.contains(&r["interaction"]["id"].as_i64().unwrap())));
}
