//! The acceptance examples of docs/product.md §6.5, entered with the flags of §9.1
//! against the demo organisation, and the focus limit.

use crate::common::metas;
use serde_json::Value;

const AS_OF: &str = "2026-11-22";

/// A fresh 30,000-interaction demo organisation ending on AS_OF, without
/// the demo's mission and goals.
fn bare_demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("goals.db");
    let run = metas(
        &db,
        [
            "demo",
            "--interactions",
            "30000",
            "--seed",
            "7",
            "--as-of",
            AS_OF,
            "--no-goals",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    (dir, db)
}

/// The demo with a mission statement.
fn demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, db) = bare_demo();
    let run = metas(
        &db,
        [
            "mission",
            "set",
            "Every customer gets a fast, kind and complete answer.",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    (dir, db)
}

fn goal(db: &std::path::Path, verb: &str, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["goal", verb];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--as-of", AS_OF, "--format", "json"]);
    let run = metas(db, &all);
    let doc = if run.stdout.trim().is_empty() {
        Value::Null
    } else {
        run.json()
    };
    (run.status, doc, run.stderr)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// An example's flags, its deadline, and its target from the baseline.
type Example = (Vec<&'static str>, &'static str, Box<dyn Fn(f64) -> f64>);

#[test]
fn the_six_examples_resolve_as_written() {
    let (_dir, db) = demo();
    // (flags, deadline, how the target follows from the baseline)
    let examples: Vec<Example> = vec![
        // 1. Increase CSAT among customers aged 55 to 70 by 25 % by the end of the fiscal year.
        (
            vec![
                "--metric",
                "csat",
                "--owner",
                "org",
                "--where",
                "customer.age between 55 and 70",
                "--by",
                "25%",
                "--deadline",
                "end of the fiscal year",
            ],
            "2026-12-31",
            Box::new(|b| (b * 1.25).min(1.0)),
        ),
        // 2. Reduce the AHT of login / access issues by 10 % by 20 November (the next one).
        (
            vec![
                "--metric",
                "aht",
                "--owner",
                "org",
                "--where",
                "topic = 'login'",
                "--by",
                "-10%",
                "--deadline",
                "20 November",
            ],
            "2027-11-20",
            Box::new(|b| b * 0.9),
        ),
        // 3. Decrease the response time to blog comments by 5 % by the start of next quarter.
        (
            vec![
                "--metric",
                "frt",
                "--owner",
                "org",
                "--where",
                "channel = 'blog_comment'",
                "--by",
                "-5%",
                "--deadline",
                "start of next quarter",
            ],
            "2027-01-01",
            Box::new(|b| b * 0.95),
        ),
        // 4. Increase the customer retention rate from 85 % to 90 % by 31 December.
        (
            vec![
                "--metric",
                "retention",
                "--owner",
                "org",
                "--baseline",
                "85%",
                "--to",
                "90%",
                "--deadline",
                "31 December",
            ],
            "2026-12-31",
            Box::new(|_| 0.9),
        ),
        // 5. Improve FCR by 18 % in the next two months for buffering in the mobile app.
        (
            vec![
                "--metric",
                "fcr",
                "--owner",
                "org",
                "--where",
                "topic = 'buffering' and product = 'mobile_app'",
                "--by",
                "18%",
                "--deadline",
                "in the next two months",
            ],
            "2027-01-22",
            Box::new(|b| (b * 1.18).min(1.0)),
        ),
        // 6. Decrease the customer effort score when processing returns by 20 % by 8 June.
        (
            vec![
                "--metric",
                "ces",
                "--owner",
                "org",
                "--where",
                "topic = 'returns'",
                "--by",
                "-20%",
                "--deadline",
                "8 June",
            ],
            "2027-06-08",
            Box::new(|b| b * 0.8),
        ),
    ];
    for (flags, deadline, target_of) in &examples {
        let (status, doc, stderr) = goal(&db, "check", flags);
        assert_eq!(status, 0, "{flags:?}: {stderr}\n{doc}");
        assert_eq!(doc["deadline"], *deadline, "{flags:?}");
        assert_eq!(doc["start"], AS_OF, "{flags:?}");
        let baseline = doc["baseline"]["value"]
            .as_f64()
            .unwrap_or_else(|| panic!("{flags:?}: no baseline: {doc}"));
        assert!(doc["baseline"]["n"].as_u64().unwrap() > 0, "{flags:?}");
        // The baseline window is as long as the goal and ends the day before the start.
        assert_eq!(doc["baseline"]["to"], "2026-11-21", "{flags:?}");
        let target = doc["target"].as_f64().unwrap();
        assert!(
            close(target, target_of(baseline)),
            "{flags:?}: target {target}, baseline {baseline}"
        );
        for letter in [
            "specific",
            "measurable",
            "achievable",
            "relevant",
            "time_bound",
        ] {
            let c = &doc["checks"][letter];
            assert!(
                c["ok"].is_boolean() && c["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{flags:?} {letter}: {c}"
            );
        }
        assert_eq!(doc["checks"]["time_bound"]["ok"], true, "{flags:?}");
        assert_eq!(
            doc["checks"]["relevant"]["ok"], true,
            "the mission is set: {flags:?}"
        );
    }
    // Example 4's baseline is the one written, so the goal is an increase.
    let (_, doc, _) = goal(&db, "check", &examples[3].0);
    assert_eq!(doc["direction"], "increase", "{doc}");
    assert_eq!(doc["baseline"]["value"], 0.85, "{doc}");
    assert_eq!(doc["baseline"]["given"], true, "{doc}");
    // A measured baseline is the KPI over the window, as `metas kpi` gives it.
    let (_, doc, _) = goal(&db, "check", &examples[0].0);
    let from = doc["baseline"]["from"].as_str().unwrap().to_string();
    let to = doc["baseline"]["to"].as_str().unwrap().to_string();
    let kpi = metas(
        &db,
        [
            "kpi",
            "csat",
            "--where",
            "customer.age between 55 and 70",
            "--from",
            &from,
            "--to",
            &to,
            "--format",
            "json",
        ],
    );
    let row = &kpi.json()["rows"][0];
    assert_eq!(row["value"], doc["baseline"]["value"], "{row} vs {doc}");
    assert_eq!(row["n"], doc["baseline"]["n"], "{row} vs {doc}");
    // The window is as long as the goal: 2026-11-22 → 2026-12-31 is 39 days.
    assert_eq!(from, "2026-10-14");
    // A rate's percentage is shown both ways (example 1).
    let (_, doc, _) = goal(&db, "check", &examples[0].0);
    assert!(doc["other_reading"].is_number(), "{doc}");
    assert!(
        doc["explanation"].as_str().unwrap().contains("points"),
        "{doc}"
    );
    // Nothing was saved by `check`.
    let list = metas(&db, ["goal", "list", "--format", "json"]);
    assert_eq!(list.json()["goals"].as_array().unwrap().len(), 0);
}

#[test]
fn a_fourth_active_goal_is_refused_unless_forced() {
    let (_dir, db) = demo();
    let add = |metric: &str, extra: &[&str]| {
        let mut flags = vec![
            "--metric",
            metric,
            "--owner",
            "org",
            "--by",
            "5%",
            "--deadline",
            "in two months",
        ];
        flags.extend_from_slice(extra);
        goal(&db, "add", &flags)
    };
    for (i, metric) in ["csat", "fcr", "answer_rate"].iter().enumerate() {
        let (status, doc, stderr) = add(metric, &[]);
        assert_eq!(status, 0, "{metric}: {stderr}");
        assert_eq!(doc["id"], (i + 1) as i64, "{doc}");
    }
    let (status, _, stderr) = add("nps", &[]);
    assert_eq!(status, 1, "the fourth is refused: {stderr}");
    assert!(
        stderr.contains("limit is 3") && stderr.contains("--force"),
        "{stderr}"
    );
    let (status, doc, stderr) = add("nps", &["--force"]);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(doc["id"], 4);
    let list = metas(&db, ["goal", "list", "--format", "json"]);
    assert_eq!(list.json()["goals"].as_array().unwrap().len(), 4);
    // A deadline nobody can read: exit 2, naming the forms that are understood.
    let (status, _, stderr) = goal(
        &db,
        "check",
        &[
            "--metric",
            "csat",
            "--owner",
            "org",
            "--by",
            "5%",
            "--deadline",
            "soonish",
        ],
    );
    assert_eq!(status, 2, "{stderr}");
    assert!(
        stderr.contains("--deadline") && stderr.contains("end of fiscal year"),
        "{stderr}"
    );
}

#[test]
fn a_goal_is_tracked_checked_in_reviewed_and_missed_by_itself() {
    let (_dir, db) = demo();
    // A goal that started in September and ends before the demo's last day.
    let (status, doc, stderr) = goal(
        &db,
        "add",
        &[
            "--metric",
            "frt",
            "--owner",
            "org",
            "--by",
            "-60%",
            "--start",
            "2026-09-01",
            "--deadline",
            "2026-10-31",
            "--cadence",
            "monthly",
        ],
    );
    assert_eq!(status, 0, "{stderr}");
    let id = doc["id"].as_i64().unwrap().to_string();
    let baseline = doc["baseline"]["value"].as_f64().unwrap();
    // Before the deadline: a value, progress and a forecast.
    let run = metas(
        &db,
        [
            "goal",
            "show",
            &id,
            "--as-of",
            "2026-10-15",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    let t = run.json();
    assert_eq!(t["goal"]["status"], "active", "{t}");
    assert!(
        t["now"]["value"].is_number() && t["progress"]["expected"].is_number(),
        "{t}"
    );
    let expected = t["progress"]["expected"].as_f64().unwrap();
    // 2026-09-01 → 2026-10-31 is 60 days; 2026-10-15 is 44 days in.
    assert!(
        (expected - 44.0 / 60.0).abs() < 0.02,
        "expected progress {expected}"
    );
    assert!(t["forecast"]["chance"].is_number(), "{t}");
    assert_eq!(t["milestones"].as_array().unwrap().len(), 3, "{t}");
    // A check-in is kept.
    let run = metas(
        &db,
        [
            "goal",
            "checkin",
            &id,
            "--comment",
            "Macros for the top topics",
            "--confidence",
            "0.4",
            "--as-of",
            "2026-10-15",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    let run = metas(
        &db,
        [
            "goal",
            "checkin",
            &id,
            "--comment",
            "x",
            "--confidence",
            "4",
        ],
    );
    assert_eq!(run.status, 2, "confidence is 0–1: {run}");
    // A monthly review is due.
    let run = metas(
        &db,
        [
            "goal",
            "reviews",
            "--as-of",
            "2026-10-02",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    let agenda = run.json();
    assert_eq!(agenda["overdue"][0]["goal"].as_i64(), Some(1), "{agenda}");
    // After the deadline the goal is missed by itself (a 60 % cut is out of reach)…
    let run = metas(
        &db,
        [
            "goal",
            "show",
            &id,
            "--as-of",
            "2026-11-15",
            "--format",
            "json",
        ],
    );
    let t = run.json();
    assert_eq!(t["goal"]["status"], "missed", "{t}");
    assert!(t["goal"]["baseline"].as_f64().unwrap() == baseline);
    assert!(
        t["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["who"] == "metas"
                && h["change"].as_str().unwrap().contains("status missed")
                && h["event"]["kind"] == "settled"
                && h["event"]["achieved"] == false),
        "{t}"
    );
    // Stamped when the deadline's day ended, or when the goal was entered if
    // that was later: never before what came before it.
    let stamps: Vec<jiff::Timestamp> = t["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["at"].as_str().unwrap().parse().unwrap())
        .collect();
    let position = |kind: &str| {
        t["history"]
            .as_array()
            .unwrap()
            .iter()
            .position(|h| h["event"]["kind"] == kind)
            .unwrap()
    };
    let settled = position("settled");
    assert!(position("created") < settled, "{t}");
    assert!(
        stamps[settled] >= "2026-11-01T00:00:00Z".parse::<jiff::Timestamp>().unwrap(),
        "{t}"
    );
    assert!(
        t["checkins"][0]["comment"]
            .as_str()
            .unwrap()
            .contains("Macros"),
        "{t}"
    );
    // …and its review must say what blocked it.
    let run = metas(
        &db,
        [
            "goal",
            "review",
            &id,
            "--decision",
            "revise",
            "--as-of",
            "2026-11-15",
        ],
    );
    assert_eq!(run.status, 2, "{run}");
    assert!(run.stderr.to_lowercase().contains("blocked"), "{run}");
    let run = metas(
        &db,
        [
            "goal",
            "review",
            &id,
            "--decision",
            "retire",
            "--notes",
            "asked too much",
            "--blocked-by",
            "two agents on leave",
            "--new-practice",
            "baseline from a full quarter",
            "--as-of",
            "2026-11-15",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    let run = metas(
        &db,
        [
            "goal",
            "show",
            &id,
            "--as-of",
            "2026-11-16",
            "--format",
            "json",
        ],
    );
    let t = run.json();
    assert_eq!(t["goal"]["status"], "retired", "{t}");
    assert_eq!(t["reviews"][0]["blocked_by"], "two agents on leave", "{t}");
}

#[test]
fn suggestions_for_the_struggling_agent_name_csat_and_repeat_contacts() {
    let (_dir, db) = demo();
    let run = metas(
        &db,
        [
            "goal",
            "suggest",
            "--owner",
            "agent:Kevin M.",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    let doc = run.json();
    let list = doc["suggestions"].as_array().unwrap();
    assert!(!list.is_empty() && list.len() <= 10, "{doc}");
    let impacts: Vec<f64> = list.iter().map(|s| s["impact"].as_f64().unwrap()).collect();
    assert!(
        impacts.windows(2).all(|w| w[0] >= w[1]),
        "ranked by impact: {impacts:?}"
    );
    let metrics: Vec<&str> = list.iter().map(|s| s["metric"].as_str().unwrap()).collect();
    // The demo's struggling agent: CSAT and repeat contacts suffer (docs/product.md §10).
    assert!(
        metrics.contains(&"csat") && metrics.contains(&"repeat_contact_rate"),
        "{metrics:?}"
    );
    let run = metas(&db, ["goal", "suggest", "--owner", "boss"]);
    assert_eq!(run.status, 2, "{run}");
}

/// Each SMART letter that fails says why, in a sentence with its numbers.
#[test]
fn every_failing_check_says_why() {
    // No mission: the relevant check has something to say.
    let (_dir, db) = bare_demo();
    let check = |flags: &[&str]| {
        let (status, doc, stderr) = goal(&db, "check", flags);
        assert!(doc.is_object(), "{flags:?}: {stderr}");
        (status, doc)
    };
    let failing = |doc: &Value, letter: &str, words: &[&str]| {
        let c = &doc["checks"][letter];
        assert_eq!(c["ok"], false, "{letter} should fail: {doc}");
        let m = c["message"].as_str().unwrap();
        for w in words {
            assert!(m.contains(w), "{letter}: '{m}' lacks '{w}'");
        }
    };
    // Relevant: no mission and no parent goal.
    let (_, doc) = check(&[
        "--metric",
        "csat",
        "--owner",
        "org",
        "--by",
        "2%",
        "--deadline",
        "in two months",
    ]);
    failing(&doc, "relevant", &["mission", "--parent"]);
    // Specific: a scope with no contacts (the baseline is given, so the goal can be read).
    let (status, doc) = check(&[
        "--metric",
        "csat",
        "--owner",
        "org",
        "--where",
        "topic = 'no such topic'",
        "--baseline",
        "0.8",
        "--to",
        "0.9",
        "--deadline",
        "in two months",
    ]);
    failing(&doc, "specific", &["no contacts"]);
    assert_eq!(status, 1, "a goal that cannot be saved: check exits 1");
    // Measurable: one agent's CSAT over two weeks cannot show a 1 % change.
    let (_, doc) = check(&[
        "--metric",
        "csat",
        "--owner",
        "agent:Kevin M.",
        "--by",
        "1%",
        "--deadline",
        "within two weeks",
    ]);
    failing(&doc, "measurable", &["noise"]);
    // Achievable: a quarter more satisfied customers in six weeks was never seen.
    let (_, doc) = check(&[
        "--metric",
        "csat",
        "--owner",
        "org",
        "--by",
        "25%",
        "--deadline",
        "end of the fiscal year",
    ]);
    failing(&doc, "achievable", &["unlikely"]);
    assert_eq!(doc["achievable"]["verdict"], "unlikely", "{doc}");
    // Time-bound: a deadline before the start.
    let (status, doc) = check(&[
        "--metric",
        "csat",
        "--owner",
        "org",
        "--by",
        "2%",
        "--start",
        "2026-11-01",
        "--deadline",
        "2026-10-15",
    ]);
    failing(&doc, "time_bound", &["2026-10-15", "not after"]);
    assert_eq!(status, 1);
    // Focus: the limit is a setting.
    let run = metas(&db, ["settings", "set", "goals.focus_limit", "1"]);
    assert_eq!(run.status, 0, "{run}");
    let (status, _, stderr) = goal(
        &db,
        "add",
        &[
            "--metric",
            "csat",
            "--owner",
            "team:Technical",
            "--by",
            "2%",
            "--deadline",
            "in two months",
        ],
    );
    assert_eq!(status, 0, "{stderr}");
    let (_, doc) = check(&[
        "--metric",
        "fcr",
        "--owner",
        "team:Technical",
        "--by",
        "2%",
        "--deadline",
        "in two months",
    ]);
    failing(&doc, "focus", &["limit is 1", "--force"]);
    // R-ROLES: a team's goal does not overlap an agent of another team…
    let kevin = [
        "--metric",
        "csat",
        "--owner",
        "agent:Kevin M.",
        "--by",
        "5%",
        "--deadline",
        "in two months",
    ];
    let (_, doc) = check(&kevin);
    assert_eq!(doc["overlaps"].as_array().unwrap().len(), 0, "{doc}");
    // …but the agent's own team (Kevin M. works in Front Line) does.
    let (status, _, stderr) = goal(
        &db,
        "add",
        &[
            "--metric",
            "csat",
            "--owner",
            "team:Front Line",
            "--by",
            "2%",
            "--deadline",
            "in two months",
        ],
    );
    assert_eq!(status, 0, "{stderr}");
    let (_, doc) = check(&kevin);
    let overlaps = doc["overlaps"].as_array().unwrap();
    assert_eq!(overlaps.len(), 1, "{doc}");
    assert!(
        overlaps[0].as_str().unwrap().contains("team:Front Line"),
        "{doc}"
    );
}

/// The six examples entered on 1 September and tracked on the demo's last
/// day: those whose deadline has passed are achieved or missed by then.
#[test]
fn the_six_examples_are_tracked() {
    let (_dir, db) = demo();
    let entered = "2026-09-01";
    let examples: [(&[&str], &str, bool); 6] = [
        (
            &[
                "--metric",
                "csat",
                "--where",
                "customer.age between 55 and 70",
                "--by",
                "25%",
                "--deadline",
                "end of the fiscal year",
            ],
            "2026-12-31",
            false,
        ),
        (
            &[
                "--metric",
                "aht",
                "--where",
                "topic = 'login'",
                "--by",
                "-10%",
                "--deadline",
                "20 November",
            ],
            "2026-11-20",
            true,
        ),
        (
            &[
                "--metric",
                "frt",
                "--where",
                "channel = 'blog_comment'",
                "--by",
                "-5%",
                "--deadline",
                "start of next quarter",
            ],
            "2026-10-01",
            true,
        ),
        (
            &[
                "--metric",
                "retention",
                "--baseline",
                "85%",
                "--to",
                "90%",
                "--deadline",
                "31 December",
            ],
            "2026-12-31",
            false,
        ),
        (
            &[
                "--metric",
                "fcr",
                "--where",
                "topic = 'buffering' and product = 'mobile_app'",
                "--by",
                "18%",
                "--deadline",
                "in the next two months",
            ],
            "2026-11-01",
            true,
        ),
        (
            &[
                "--metric",
                "ces",
                "--where",
                "topic = 'returns'",
                "--by",
                "-20%",
                "--deadline",
                "8 June",
            ],
            "2027-06-08",
            false,
        ),
    ];
    for (flags, deadline, past) in examples {
        let mut args = vec![
            "goal", "add", "--owner", "org", "--force", "--as-of", entered, "--format", "json",
        ];
        args.extend_from_slice(flags);
        let run = metas(&db, &args);
        assert_eq!(run.status, 0, "{flags:?}: {run}");
        let doc = run.json();
        assert_eq!(doc["deadline"], deadline, "{flags:?}");
        let id = doc["id"].as_i64().unwrap().to_string();
        let run = metas(
            &db,
            ["goal", "show", &id, "--as-of", AS_OF, "--format", "json"],
        );
        assert_eq!(run.status, 0, "{run}");
        let t = run.json();
        let status = t["goal"]["status"].as_str().unwrap().to_string();
        if past {
            assert!(
                status == "achieved" || status == "missed",
                "{flags:?}: {status}"
            );
        } else {
            assert_eq!(status, "active", "{flags:?}");
            let track = t["progress"]["status"]
                .as_str()
                .unwrap_or_else(|| panic!("{flags:?}: {t}"));
            assert!(
                ["on_track", "at_risk", "off_track", "achieved_early"].contains(&track),
                "{track}"
            );
            assert!(t["now"]["value"].is_number(), "{t}");
        }
    }
}

#[test]
fn drafts_wait_outside_the_focus_limit_and_milestones_can_be_given() {
    let (_dir, db) = demo();
    let run = metas(&db, ["settings", "set", "goals.focus_limit", "1"]);
    assert_eq!(run.status, 0, "{run}");
    let base = [
        "--owner",
        "org",
        "--by",
        "5%",
        "--deadline",
        "2026-12-31",
        "--start",
        "2026-10-01",
    ];
    let with = |metric: &str, extra: &[&str]| {
        let mut flags = vec!["--metric", metric];
        flags.extend_from_slice(&base);
        flags.extend_from_slice(extra);
        goal(&db, "add", &flags)
    };
    let (status, _, stderr) = with(
        "csat",
        &[
            "--milestone",
            "2026-11-15=0.74",
            "--milestone",
            "2026-10-31=73%",
        ],
    );
    assert_eq!(status, 0, "{stderr}");
    // A draft does not count against the limit of one…
    let (status, doc, stderr) = with("fcr", &["--draft"]);
    assert_eq!(status, 0, "{stderr}");
    let draft = doc["id"].as_i64().unwrap().to_string();
    // …and cannot become active while the owner is at the limit.
    let run = metas(&db, ["goal", "activate", &draft]);
    assert_eq!(run.status, 1, "{run}");
    assert!(run.stderr.contains("limit is 1"), "{run}");
    let run = metas(&db, ["goal", "activate", &draft, "--force"]);
    assert_eq!(run.status, 0, "{run}");
    // The given milestones, in date order, judged against the value.
    let run = metas(
        &db,
        ["goal", "show", "1", "--as-of", AS_OF, "--format", "json"],
    );
    let t = run.json();
    let ms = t["milestones"].as_array().unwrap();
    assert_eq!(ms.len(), 2, "{t}");
    assert_eq!(ms[0]["date"], "2026-10-31");
    assert_eq!(ms[0]["value"], 0.73);
    assert_eq!(ms[0]["due"], true);
    let value = t["now"]["value"].as_f64().unwrap();
    assert_eq!(ms[1]["met"], value >= 0.74, "{t}");
    let (status, _, stderr) = with("nps", &["--milestone", "soon=3", "--force"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(
        stderr.contains("--milestone") && stderr.contains("YYYY-MM-DD"),
        "{stderr}"
    );
}
