//! Role profiles and candidates through the real binary: a profile set,
//! shown and versioned; a bad file refused (exit 2) with one sentence naming
//! file, line and field; candidates rated independently, revealed together
//! and erased.

use std::path::Path;
use std::process::Command;

use crate::common::{metas_with_env, run, Run};

const AGENT: &str = include_str!("../../../../examples/profiles/agent.toml");
const KEYS: [&str; 7] = [
    "customer_orientation",
    "empathy",
    "emotional_intelligence",
    "communication",
    "problem_solving",
    "resilience",
    "product_knowledge",
];

fn as_user(db: &Path, user: &str, args: &[&str]) -> Run {
    metas_with_env(db, args, &[("USER", user)])
}

fn ok(run: Run) -> Run {
    assert_eq!(run.status, 0, "{run}");
    run
}

fn add_user(db: &Path, login: &str, role: &str) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_metas"));
    cmd.arg("--db")
        .arg(db)
        .args(["user", "add", login, "--role", role, "--team", "Technical"]);
    ok(run(cmd, Some("a long enough secret\n")));
}

/// `candidate assess ID` with every competency at `level` except `empathy`.
fn assess(db: &Path, user: &str, id: &str, level: u8, empathy: u8, submit: bool) -> Run {
    let mut args: Vec<String> = vec!["candidate".into(), "assess".into(), id.into()];
    for k in KEYS {
        let l = if k == "empathy" { empathy } else { level };
        args.push("--rate".into());
        args.push(format!("{k}={l}"));
    }
    args.extend([
        "--evidence".into(),
        format!("empathy=<script>{user}</script> said sorry"),
    ]);
    if submit {
        args.push("--submit".into());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    as_user(db, user, &args)
}

#[test]
fn a_profile_is_set_shown_versioned_and_a_bad_file_names_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.duckdb");
    let file = dir.path().join("agent.toml");
    std::fs::write(&file, AGENT).unwrap();
    let f = file.to_str().unwrap();
    let run = ok(as_user(&db, "maria", &["profile", "set", "agent", f]));
    assert!(run.stdout.contains("saved as version 1"), "{run}");
    let run = ok(as_user(&db, "maria", &["profile", "set", "agent", f]));
    assert!(run.stdout.contains("unchanged; version 1"), "{run}");

    let show = ok(as_user(
        &db,
        "maria",
        &["profile", "show", "agent", "--format", "json"],
    ))
    .json();
    assert_eq!(show["version"], 1);
    assert_eq!(show["profile"]["role"], "Customer service agent");
    assert_eq!(show["profile"]["competencies"][1]["key"], "empathy");
    assert_eq!(show["profile"]["competencies"][1]["label"], "Empathy");
    assert_eq!(show["profile"]["competencies"][1]["must_have"], true);
    assert_eq!(
        show["profile"]["competencies"][1]["levels"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
    assert_eq!(show["definition"], AGENT);
    let text = ok(as_user(&db, "maria", &["profile", "show", "agent"])).stdout;
    assert!(
        text.contains("Empathy [empathy] — required 3, weight 2, must-have"),
        "{text}"
    );
    assert!(text.contains("? (behavioural)"), "{text}");

    // A change makes version 2; version 1 stays readable.
    let changed = AGENT.replacen("required = 2", "required = 3", 1);
    std::fs::write(&file, &changed).unwrap();
    let run = ok(as_user(&db, "maria", &["profile", "set", "agent", f]));
    assert!(run.stdout.contains("saved as version 2"), "{run}");
    let v1 = ok(as_user(
        &db,
        "maria",
        &[
            "profile",
            "show",
            "agent",
            "--version",
            "1",
            "--format",
            "json",
        ],
    ))
    .json();
    assert_eq!(v1["version"], 1);
    assert_eq!(v1["current_version"], 2);
    let list = ok(as_user(
        &db,
        "maria",
        &["profile", "list", "--format", "json"],
    ))
    .json();
    assert_eq!(list[0]["name"], "agent");
    assert_eq!(list[0]["version"], 2);

    // A bad file: one sentence, file, line and field; nothing saved.
    let bad = AGENT.replacen("weight = 1.5", "weight = 0", 1);
    let line = bad.lines().position(|l| l == "weight = 0").unwrap() + 1;
    let bad_file = dir.path().join("bad.toml");
    std::fs::write(&bad_file, &bad).unwrap();
    let run = as_user(
        &db,
        "maria",
        &["profile", "set", "agent", bad_file.to_str().unwrap()],
    );
    assert_eq!(run.status, 2, "{run}");
    assert_eq!(run.stderr_lines().len(), 1, "{run}");
    assert!(
        run.stderr.contains(&format!(
            "bad.toml line {line}: competencies[3].weight: must be a number above 0, not 0"
        )),
        "{run}"
    );
    let typo = dir.path().join("typo.toml");
    std::fs::write(
        &typo,
        AGENT.replacen("must_have = true", "must_hav = true", 1),
    )
    .unwrap();
    let run = as_user(
        &db,
        "maria",
        &["profile", "set", "agent", typo.to_str().unwrap()],
    );
    assert_eq!(run.status, 2, "{run}");
    assert!(
        run.stderr.contains("typo.toml line ") && run.stderr.contains("must_hav"),
        "{run}"
    );
    let run = as_user(&db, "maria", &["profile", "show", "nobody"]);
    assert_eq!(run.status, 2, "{run}");
}

#[test]
fn candidates_are_rated_alone_revealed_together_compared_and_erased() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.duckdb");
    let file = dir.path().join("agent.toml");
    std::fs::write(&file, AGENT).unwrap();
    ok(as_user(
        &db,
        "maria",
        &["profile", "set", "agent", file.to_str().unwrap()],
    ));
    add_user(&db, "ana", "lead");
    add_user(&db, "bo", "lead");

    let run = as_user(
        &db,
        "maria",
        &[
            "candidate",
            "add",
            "Alex",
            "--role",
            "agent",
            "--assessors",
            "ana,nobody",
        ],
    );
    assert_eq!(run.status, 2, "{run}");
    assert!(run.stderr.contains("no user 'nobody'"), "{run}");
    let added = ok(as_user(
        &db,
        "maria",
        &[
            "candidate",
            "add",
            "Alex <b>Doe</b>",
            "--role",
            "agent",
            "--assessors",
            "ana,bo",
            "--format",
            "json",
        ],
    ))
    .json();
    let id = added["id"].to_string();

    // Ana rates and submits; nobody sees her ratings yet.
    ok(assess(&db, "ana", &id, 3, 3, true));
    let shown = ok(as_user(
        &db,
        "maria",
        &["candidate", "show", &id, "--format", "json"],
    ))
    .json();
    assert_eq!(shown["revealed"], false);
    assert!(shown["result"].is_null());
    assert_eq!(shown["assessments"].as_array().unwrap().len(), 0);
    assert!(shown["own"].is_null());
    let text = ok(as_user(&db, "maria", &["candidate", "show", &id])).stdout;
    assert!(
        text.contains("not yet revealed") && text.contains("assessor bo: not finished"),
        "{text}"
    );
    // Her ratings are final; a level off the scale is bad input.
    assert_eq!(assess(&db, "ana", &id, 4, 4, true).status, 1);
    let run = assess(&db, "bo", &id, 3, 9, false);
    assert_eq!(run.status, 2, "{run}");
    // Someone not invited is refused.
    assert_eq!(assess(&db, "maria", &id, 3, 3, true).status, 1);
    // Submitting with a competency unrated is bad input.
    let run = as_user(
        &db,
        "bo",
        &[
            "candidate",
            "assess",
            &id,
            "--rate",
            "empathy=1",
            "--submit",
        ],
    );
    assert_eq!(run.status, 2, "{run}");
    assert!(run.stderr.contains("not yet rated"), "{run}");

    // Bo finishes: empathy 3 and 1 → two levels apart, must-have missed.
    ok(assess(&db, "bo", &id, 3, 1, true));
    let shown = ok(as_user(
        &db,
        "maria",
        &["candidate", "show", &id, "--format", "json"],
    ))
    .json();
    assert_eq!(shown["revealed"], true);
    let r = &shown["result"];
    assert_eq!(r["disagreements"], serde_json::json!(["empathy"]));
    assert_eq!(r["must_haves_missed"], serde_json::json!(["empathy"]));
    assert_eq!(r["gaps"][0][0], "empathy");
    // Weights 2, 2, 1.5, 2, 1, 1, 1 = 10.5; empathy met 2/3, the rest in full.
    let fit = r["fit"].as_f64().unwrap();
    let want = 100.0 * (10.5 - 2.0 / 3.0) / 10.5;
    assert!((fit - want).abs() < 1e-9, "{fit} vs {want}");
    assert_eq!(shown["assessments"].as_array().unwrap().len(), 2);

    // Side by side with a second candidate not yet revealed.
    ok(as_user(
        &db,
        "maria",
        &[
            "candidate",
            "add",
            "Sam",
            "--role",
            "agent",
            "--assessors",
            "ana",
        ],
    ));
    let cmp = ok(as_user(
        &db,
        "maria",
        &["candidate", "compare", "agent", "--format", "json"],
    ))
    .json();
    assert_eq!(cmp["candidates"][0]["candidate"]["name"], "Alex <b>Doe</b>");
    assert_eq!(cmp["candidates"][1]["candidate"]["name"], "Sam");
    assert_eq!(cmp["candidates"][1]["revealed"], false);
    let text = ok(as_user(&db, "maria", &["candidate", "compare", "agent"])).stdout;
    assert!(text.contains("not yet revealed"), "{text}");
    // A manager may reveal Sam without Ana.
    ok(as_user(&db, "maria", &["candidate", "reveal", "2"]));
    let sam = ok(as_user(
        &db,
        "maria",
        &["candidate", "show", "2", "--format", "json"],
    ))
    .json();
    assert_eq!(sam["revealed"], true);
    assert_eq!(sam["result"]["not_finished"], serde_json::json!(["ana"]));
    assert_eq!(
        as_user(&db, "maria", &["candidate", "reveal", "2"]).status,
        1
    );

    ok(as_user(
        &db,
        "maria",
        &["candidate", "note", &id, "Strong on the phone"],
    ));
    let run = as_user(&db, "maria", &["candidate", "erase", &id]);
    assert_eq!(run.status, 2, "{run}");
    assert!(run.stderr.contains("--yes"), "{run}");
    let run = ok(as_user(&db, "maria", &["candidate", "erase", &id, "--yes"]));
    assert!(run.stdout.contains("erased"), "{run}");
    assert_eq!(as_user(&db, "maria", &["candidate", "show", &id]).status, 2);
    let list = ok(as_user(
        &db,
        "maria",
        &["candidate", "list", "--format", "json"],
    ))
    .json();
    assert_eq!(list.as_array().unwrap().len(), 1);
}

/// An agent assessed twice against their role's profile: `metas assess
/// list` shows both, newest first, the submitted one with its fit, largest
/// gap and must-haves missed, the draft as a draft.
#[test]
fn an_agents_assessments_are_listed_newest_first_with_their_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.duckdb");
    let demo = metas_with_env(
        &db,
        [
            "demo",
            "--interactions",
            "2000",
            "--as-of",
            "2026-06-30",
            "--no-goals",
        ],
        &[],
    );
    assert_eq!(demo.status, 0, "{demo}");
    let file = dir.path().join("agent.toml");
    std::fs::write(&file, AGENT).unwrap();
    ok(as_user(
        &db,
        "maria",
        &["profile", "set", "agent", file.to_str().unwrap()],
    ));
    let mut args: Vec<String> = ["assess", "agent", "Kevin M.", "--role", "agent"]
        .map(String::from)
        .to_vec();
    for k in KEYS {
        args.push("--rate".into());
        args.push(format!("{k}={}", if k == "empathy" { 1 } else { 3 }));
    }
    args.push("--submit".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(as_user(&db, "maria", &args));
    ok(as_user(
        &db,
        "maria",
        &["assess", "agent", "Kevin M.", "--role", "agent"],
    ));

    let list = ok(as_user(
        &db,
        "maria",
        &["assess", "list", "Kevin M.", "--format", "json"],
    ))
    .json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert!(list[0]["submitted_at"].is_null(), "{list:?}");
    assert_eq!(list[1]["largest_gap"], serde_json::json!(["empathy", 2.0]));
    assert_eq!(list[1]["must_haves_missed"], serde_json::json!(["empathy"]));
    let fit = list[1]["fit"].as_f64().unwrap();
    let text = ok(as_user(&db, "maria", &["assess", "list", "Kevin M."])).stdout;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].ends_with("by maria  draft"), "{text}");
    assert!(
        lines[1].ends_with(&format!(
            "agent v1  by maria  fit {fit:.0}%, largest gap empathy (2.0 levels), must-haves missed: empathy"
        )),
        "{text}"
    );
    let run = ok(as_user(&db, "maria", &["assess", "list", "Ana Souza"]));
    assert_eq!(run.stdout.trim(), "no assessment of Ana Souza yet");
}
