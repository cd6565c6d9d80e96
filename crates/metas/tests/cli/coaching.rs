//! Coaching through the real binary, on the demo: an action plan for the
//! struggling agent on `concern` at 3 of 5 within two weeks, its goal in the
//! goal tree, its examples kept as a snapshot, its sessions scheduled weekly
//! and recorded with the progress at that date; bad plans refused in words.

use crate::common::metas;

const AS_OF: &str = "2026-06-30";

fn demo(db: &std::path::Path) {
    let run = metas(
        db,
        [
            "demo",
            "--interactions",
            "3000",
            "--seed",
            "11",
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(run.status, 0, "{run}");
}

#[test]
fn a_lead_plans_kevins_concern_and_records_a_session() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    demo(&db);

    // Kevin's reviewed interactions with a concern rating, to cite one.
    let run = metas(
        &db,
        [
            "interactions",
            "--where",
            "agent = 'Kevin M.' and criterion = 'concern'",
            "--from",
            "2026-06-01",
            "--to",
            AS_OF,
            "--format",
            "json",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    let rows = run.json();
    let example = rows["interactions"][0]["external_id"]
        .as_str()
        .or_else(|| rows[0]["external_id"].as_str())
        .unwrap_or_else(|| panic!("{rows}"))
        .to_string();

    let run = metas(
        &db,
        [
            "coach",
            "plan",
            "Kevin M.",
            "--create",
            "--criterion",
            "concern",
            "--level",
            "3",
            "--within",
            "2w",
            "--as-of",
            AS_OF,
            "--example",
            &example,
            "--metric",
            "csat",
            "--metric",
            "repeat_contact_rate",
            "--objective",
            "Acknowledge how the customer feels before solving",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    let plan = run.json();
    assert_eq!(plan["agent"], "Kevin M.");
    assert_eq!(plan["criterion"], "concern");
    assert_eq!(plan["expected_level"], 3.0);
    assert_eq!(plan["scale_max"], 5.0);
    assert_eq!(plan["starts_on"], AS_OF);
    assert_eq!(plan["due_on"], "2026-07-14");
    assert_eq!(plan["examples"][0]["interaction_id"], example.as_str());
    assert!(plan["examples"][0]["rating"].is_number(), "{plan}");
    let dates: Vec<&str> = plan["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["scheduled_on"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2026-07-07", "2026-07-14"]);
    assert_eq!(plan["sessions"][0]["state"], "upcoming");
    let plan_id = plan["id"].as_i64().unwrap();
    let goal_id = plan["goal_id"].as_i64().unwrap();

    // The goal is an agent-level goal in the tree, on the criterion's rating.
    let run = metas(
        &db,
        [
            "goal",
            "show",
            &goal_id.to_string(),
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    let goal = run.json();
    let text = goal.to_string();
    assert!(text.contains("qa_criterion_rating"), "{text}");
    assert!(text.contains("agent:Kevin M."), "{text}");
    assert!(text.contains("criterion = 'concern'"), "{text}");

    // Shown as a person reads it, and as JSON with the current plan.
    let run = metas(&db, ["coach", "plan", "Kevin M.", "--as-of", AS_OF]);
    assert_eq!(run.status, 0, "{run}");
    assert!(
        run.stdout.contains("Acknowledge how the customer feels"),
        "{run}"
    );
    assert!(
        run.stdout.contains("session 1 on 2026-07-07: upcoming"),
        "{run}"
    );
    let run = metas(
        &db,
        [
            "coach", "plan", "Kevin M.", "--as-of", AS_OF, "--format", "json",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    assert_eq!(run.json()["current"]["id"], plan_id);

    // A week later the first session is overdue until it is recorded.
    let run = metas(
        &db,
        [
            "coach",
            "sessions",
            "--as-of",
            "2026-07-08",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    let list = run.json();
    assert_eq!(list["overdue"][0]["plan_id"], plan_id);
    assert_eq!(list["overdue"][0]["session_id"], 1);
    assert_eq!(list["upcoming"][0]["session_id"], 2);
    let run = metas(
        &db,
        [
            "coach",
            "session",
            "record",
            &plan_id.to_string(),
            "1",
            "--notes",
            "Listened to the call together",
            "--as-of",
            "2026-07-08",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    let s = run.json();
    assert_eq!(s["state"], "held");
    assert_eq!(s["notes"], "Listened to the call together");
    assert!(s["progress_n"].is_number(), "{s}");
    let run = metas(
        &db,
        [
            "coach",
            "sessions",
            "--as-of",
            "2026-07-08",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.json()["overdue"].as_array().unwrap().len(), 0);
}

#[test]
fn bad_plans_are_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    demo(&db);

    // The plan's KPI names one criterion, or is cut by criterion.
    let run = metas(&db, ["kpi", "qa_criterion_rating"]);
    assert_eq!(run.status, 2, "{run}");
    assert!(run.stderr.contains("criterion = 'concern'"), "{run}");
    let run = metas(
        &db,
        [
            "kpi",
            "qa_criterion_rating",
            "--by",
            "criterion",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    let rows = run.json()["rows"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 5, "{rows:?}");
    for r in &rows {
        let v = r["value"].as_f64().unwrap();
        assert!((1.0..=5.0).contains(&v), "{r}");
    }
    let run = metas(&db, ["kpi", "qa_score", "--by", "criterion"]);
    assert_eq!(run.status, 2, "{run}");
    for (args, words) in [
        (
            vec!["--criterion", "concern", "--level", "7", "--within", "2w"],
            "outside the criterion's scale 1–5",
        ),
        (
            vec!["--criterion", "empathy", "--level", "3", "--within", "2w"],
            "no QA rubric has a criterion 'empathy'",
        ),
        (
            vec!["--criterion", "concern", "--level", "3", "--within", "soon"],
            "'soon' is not a time frame",
        ),
        (
            vec![
                "--criterion",
                "concern",
                "--level",
                "3",
                "--within",
                "2w",
                "--metric",
                "happiness",
            ],
            "happiness",
        ),
    ] {
        let mut all = vec!["coach", "plan", "Kevin M.", "--create", "--as-of", AS_OF];
        all.extend(args);
        let run = metas(&db, all);
        assert_eq!(run.status, 2, "{run}");
        assert!(run.stderr.contains(words), "{words}: {run}");
    }
    // Nothing half-written: no plan, and no goal on the criterion.
    let run = metas(
        &db,
        [
            "coach", "plan", "Kevin M.", "--as-of", AS_OF, "--format", "json",
        ],
    );
    assert_eq!(run.json()["plans"].as_array().unwrap().len(), 0);
    let run = metas(&db, ["goal", "list", "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(run.status, 0, "{run}");
    assert!(!run.stdout.contains("qa_criterion_rating"), "{run}");
}
