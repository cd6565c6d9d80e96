//! `metas demo` arrives with the organisation's mission and a goal tree
//! (docs/product.md §10): every status, months of check-ins, reviews held,
//! due and overdue, and the §6.5 examples among the goals; their history
//! reads as sentences stamped by the demo's own clock.

use crate::common::metas;
use serde_json::Value;

const AS_OF: &str = "2026-06-30";

fn demo(db: &std::path::Path) -> String {
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
    run.stdout
}

fn list(db: &std::path::Path) -> Vec<Value> {
    let run = metas(db, ["goal", "list", "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(run.status, 0, "{run}");
    run.json()["goals"].as_array().unwrap().clone()
}

#[test]
fn the_demo_arrives_with_its_mission_and_a_goal_tree() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = demo(&db);
    // The summary counts the goals by status and says where to look.
    for words in [
        "goals under the mission",
        "on track",
        "at risk",
        "achieved early",
        "missed",
        "overdue",
        "`metas goal list`",
    ] {
        assert!(out.contains(words), "{words}: {out}");
    }

    // The tree, as a person reads it.
    let run = metas(&db, ["goal", "list", "--as-of", AS_OF]);
    assert_eq!(run.status, 0, "{run}");
    let text = &run.stdout;
    assert!(
        text.starts_with("mission: Every customer gets a fast, kind and complete answer."),
        "{text}"
    );
    let state_of = |line: &str| line.get(6..21).unwrap_or("").trim().to_string();
    let states: Vec<String> = text.lines().skip(1).map(state_of).collect();
    for state in [
        "on track",
        "at risk",
        "achieved early",
        "achieved",
        "missed",
    ] {
        assert!(states.iter().any(|s| s == state), "{state}:\n{text}");
    }
    assert!(text.contains("· review overdue since "), "{text}");
    assert!(text.contains("· review due "), "{text}");
    // Goals serve goals: an agent's goal two levels under the organisation's.
    assert!(
        text.lines().any(|l| l
            .get(22..)
            .is_some_and(|rest| rest.starts_with("    agent:"))),
        "{text}"
    );

    // The same as JSON: parents before their goals, and the examples of
    // docs/product.md §6.5 among them.
    let goals = list(&db);
    assert_eq!(goals.len(), 14, "{goals:?}");
    let ids: Vec<i64> = goals.iter().map(|g| g["id"].as_i64().unwrap()).collect();
    for (i, g) in goals.iter().enumerate() {
        if let Some(p) = g["parent_id"].as_i64() {
            let at = ids.iter().position(|id| *id == p).unwrap();
            assert!(at < i, "goal {} comes after its parent {p}", ids[i]);
            assert!(g["depth"].as_u64().unwrap() >= 1);
        }
    }
    for (metric, scope) in [
        ("csat", Some("customer.age between 55 and 70")),
        ("aht", Some("topic = 'login'")),
        ("frt", Some("channel = 'blog_comment'")),
        ("retention", None),
        (
            "fcr",
            Some("topic = 'buffering' and product = 'mobile_app'"),
        ),
        ("ces", Some("topic = 'returns'")),
    ] {
        assert!(
            goals
                .iter()
                .any(|g| g["metric"] == metric && g["scope"].as_str() == scope),
            "§6.5 {metric} {scope:?}"
        );
    }
    let reviews = metas(
        &db,
        ["goal", "reviews", "--as-of", AS_OF, "--format", "json"],
    );
    let agenda = reviews.json();
    assert!(
        !agenda["overdue"].as_array().unwrap().is_empty(),
        "{agenda}"
    );
    assert!(!agenda["due"].as_array().unwrap().is_empty(), "{agenda}");

    // The missed goal: months of check-ins, its review says what blocked it,
    // and its history reads as sentences stamped in the past.
    let missed = goals.iter().find(|g| g["state"] == "missed").unwrap();
    let id = missed["id"].as_i64().unwrap().to_string();
    let run = metas(
        &db,
        ["goal", "show", &id, "--as-of", AS_OF, "--format", "json"],
    );
    let t = run.json();
    let checkins = t["checkins"].as_array().unwrap();
    assert!(checkins.len() >= 4, "{t}");
    let first: jiff::civil::Date = checkins[0]["on"].as_str().unwrap().parse().unwrap();
    let last: jiff::civil::Date = checkins.last().unwrap()["on"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((last - first).get_days() >= 90, "months of check-ins: {t}");
    assert!(checkins.iter().all(|c| c["confidence"].is_number()), "{t}");
    let review = t["reviews"].as_array().unwrap().last().unwrap().clone();
    assert!(
        review["blocked_by"].as_str().is_some_and(|b| !b.is_empty()),
        "{t}"
    );
    assert!(review["new_practice"].is_string(), "{t}");
    let history = t["history"].as_array().unwrap();
    let start = t["goal"]["start"].as_str().unwrap();
    assert!(
        history[0]["at"].as_str().unwrap().starts_with(start),
        "the goal was entered on its start, by the demo's clock: {t}"
    );
    let end: jiff::Timestamp = "2026-07-01T00:00:00Z".parse().unwrap();
    for h in history {
        let at: jiff::Timestamp = h["at"].as_str().unwrap().parse().unwrap();
        assert!(at < end, "{h}");
    }
    let run = metas(&db, ["goal", "show", &id, "--as-of", AS_OF]);
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("20") && l.contains(" UTC  "))
        .collect();
    assert_eq!(lines.len(), history.len(), "{}", run.stdout);
    for line in &lines {
        // "2026-06-03 09:49 UTC  Laura Vidal reviewed the goal and …"
        let (when, sentence) = line.split_once(" UTC  ").unwrap();
        assert_eq!(when.len(), 16, "to the minute: {line}");
        assert!(
            sentence.ends_with('.') || sentence.ends_with('”'),
            "a sentence: {line}"
        );
        for raw in ["created: ", "check-in on ", "review on ", "status missed:"] {
            assert!(!sentence.contains(raw), "not a stored line: {line}");
        }
    }
    let all = lines.join("\n");
    assert!(
        all.contains("Laura Vidal set the goal: lower First response time by "),
        "{all}"
    );
    assert!(all.contains(": the goal is missed."), "{all}");
    assert!(
        all.contains("reviewed the goal and decided to revise it: “"),
        "{all}"
    );

    // Running the demo again replaces its goals and keeps the user's own.
    let run = metas(
        &db,
        [
            "goal",
            "add",
            "--metric",
            "csat",
            "--owner",
            "team:Billing & Returns",
            "--by",
            "2pp",
            "--deadline",
            "2026-09-30",
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    demo(&db);
    let goals = list(&db);
    assert_eq!(goals.len(), 15, "{goals:?}");
    assert_eq!(
        goals
            .iter()
            .filter(|g| g["owner"] == "team:Billing & Returns" && g["metric"] == "csat")
            .count(),
        1
    );

    // Only the records, when asked.
    let bare = dir.path().join("bare.db");
    let run = metas(
        &bare,
        [
            "demo",
            "--interactions",
            "2000",
            "--as-of",
            AS_OF,
            "--no-goals",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    assert!(!run.stdout.contains("goals"), "{run}");
    assert!(list(&bare).is_empty());
    let mission = metas(&bare, ["mission", "show"]);
    assert!(
        mission.stdout.contains("no mission statement yet"),
        "{mission}"
    );
}
