//! Time objectives through the real binary: policies from TOML files, every
//! stage judged on import and again when a policy changes, attainment in the
//! KPI engine cut by stage and channel, breaches and stages at risk as of
//! any moment, and bad policy files refused with their line.

use std::path::Path;

use serde_json::Value;

use crate::common::{metas, Run, EVENT_MAPPING};

const CALLS: &str = "\
external_id,channel,created_at,first_response_at,resolved_at,closed_at,status,queue_wait_secs,answered,abandoned
c1,chat,2026-03-02T09:00:00Z,2026-03-02T09:00:45Z,2026-03-02T09:20:00Z,,resolved,,,
c2,chat,2026-03-02T10:00:00Z,2026-03-02T10:02:00Z,2026-03-02T11:00:00Z,,resolved,,,
c3,chat,2026-03-02T11:00:00Z,,,,open,,,
e1,email,2026-03-02T09:00:00Z,2026-03-02T12:00:00Z,,,open,,,
e2,email,2026-03-02T09:00:00Z,,,2026-03-02T10:00:00Z,closed,,,
p1,phone,2026-03-02T09:00:00Z,,,,,15,Y,N
p2,phone,2026-03-02T09:05:00Z,,,,,45,Y,N
p3,phone,2026-03-02T09:10:00Z,,,,,10,N,Y
";

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn ok(run: Run) -> Run {
    assert_eq!(run.status, 0, "{run}");
    run
}

/// (the `--by` values, met, due) from `kpi sla_attainment --by BY`.
fn attainment_by(db: &Path, by: &str) -> Vec<(Vec<String>, u64, u64)> {
    let doc = ok(metas(
        db,
        ["kpi", "sla_attainment", "--by", by, "--format", "json"],
    ))
    .json();
    doc["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let n = r["n"].as_u64().unwrap();
            let met = (r["value"].as_f64().unwrap() * n as f64).round() as u64;
            let dims = by
                .split(',')
                .map(|d| r[d].as_str().unwrap().to_string())
                .collect();
            (dims, met, n)
        })
        .collect()
}

/// (stage, channel, met, due) by stage and channel.
fn attainment(db: &Path) -> Vec<(String, String, u64, u64)> {
    attainment_by(db, "stage,channel")
        .into_iter()
        .map(|(d, met, n)| (d[0].clone(), d[1].clone(), met, n))
        .collect()
}

fn listed(db: &Path, verb: &str, as_of: &str) -> Vec<(String, String, i64)> {
    let doc: Value = ok(metas(
        db,
        ["sla", verb, "--as-of", as_of, "--format", "json"],
    ))
    .json();
    doc.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["external_id"].as_str().unwrap().to_string(),
                r["stage"].as_str().unwrap().to_string(),
                r["policy_version"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn row(id: &str, stage: &str, version: i64) -> (String, String, i64) {
    (id.to_string(), stage.to_string(), version)
}

#[test]
fn policies_judge_every_stage_and_attainment_follows_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("metas.db");
    let calls = write(dir.path(), "calls.csv", CALLS);
    ok(metas(&db, ["import", calls.to_str().unwrap()]));

    // Without a policy, attainment is refused with what to do.
    let run = metas(&db, ["kpi", "sla_attainment"]);
    assert_eq!(run.status, 2, "{run}");
    assert!(run.stderr.contains("metas sla policy set"), "{run}");

    let chat = write(
        dir.path(),
        "chat.toml",
        "order = 1\nwhere = \"channel = 'chat'\"\n\n[targets]\nacknowledge = \"60s\"\nresolution = \"30m\"\n",
    );
    let email = write(
        dir.path(),
        "email.toml",
        "order = 2\nwhere = \"channel = 'email'\"\n\n[targets]\nfirst_response = \"4h\"\n",
    );
    let phone = write(
        dir.path(),
        "phone.toml",
        "order = 3\n\n[targets]\nqueue_wait = \"20s\"\n",
    );
    for (name, file) in [("Chat", &chat), ("Email", &email), ("Phone", &phone)] {
        let run = ok(metas(
            &db,
            ["sla", "policy", "set", name, file.to_str().unwrap()],
        ));
        assert!(run.stdout.contains("saved as version 1"), "{run}");
    }

    // Chat: c1 met both; c2 late for both; c3 open, long past both targets.
    // E-mail: e1 answered in 3 h; e2 closed after 1 h without a reply, within
    // the 4 h: not due. Phone: p1 answered in 15 s, p2 in 45 s; p3 abandoned
    // after 10 s, within the 20 s: not due.
    assert_eq!(
        attainment(&db),
        [
            ("acknowledge".into(), "chat".into(), 1, 3),
            ("acknowledge".into(), "email".into(), 1, 1),
            ("queue_wait".into(), "phone".into(), 1, 2),
            ("resolution".into(), "chat".into(), 1, 3),
        ]
    );

    // Breached at 10:30, the most recent first: c2's acknowledgement and
    // p2's wait; c2's resolution falls due at 10:30 exactly, not yet late.
    assert_eq!(
        listed(&db, "breaches", "2026-03-02T10:30:00Z"),
        [row("c2", "acknowledge", 1), row("p2", "queue_wait", 1)]
    );
    // At risk: 80 % of c3's 60 s has passed at 11:00:50; at 11:25 its
    // acknowledgement is breached and 80 % of its 30 min resolution passed.
    assert_eq!(
        listed(&db, "at-risk", "2026-03-02T11:00:50Z"),
        [row("c3", "acknowledge", 1)]
    );
    assert_eq!(
        listed(&db, "at-risk", "2026-03-02T11:25:00Z"),
        [row("c3", "resolution", 1)]
    );
    // The interactions behind the number.
    let run = ok(metas(
        &db,
        [
            "interactions",
            "--kpi",
            "sla_attainment",
            "--where",
            "channel = 'phone'",
            "--format",
            "csv",
        ],
    ));
    let external = run
        .stdout
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|h| h == "external_id")
        .unwrap();
    let ids: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(external).unwrap())
        .collect();
    assert_eq!(ids, ["p1", "p2"], "p3 is not due:\n{run}");

    // A new version of the chat policy judges everything again; the
    // breaches say which version judged them.
    let chat2 = write(
        dir.path(),
        "chat2.toml",
        "order = 1\nwhere = \"channel = 'chat'\"\n\n[targets]\nacknowledge = \"3m\"\nresolution = \"30m\"\n",
    );
    let run = ok(metas(
        &db,
        ["sla", "policy", "set", "Chat", chat2.to_str().unwrap()],
    ));
    assert!(run.stdout.contains("saved as version 2"), "{run}");
    assert_eq!(
        attainment(&db)[0],
        ("acknowledge".into(), "chat".into(), 2, 3)
    );
    assert_eq!(
        listed(&db, "breaches", "2026-03-02T11:10:00Z"),
        [
            row("c3", "acknowledge", 2),
            row("c2", "resolution", 2),
            row("p2", "queue_wait", 1)
        ]
    );
    let history: Value = ok(metas(
        &db,
        ["sla", "policy", "show", "Chat", "--format", "json"],
    ))
    .json();
    assert_eq!(history.as_array().unwrap().len(), 2, "{history}");
    assert!(history[0]["retired_at"].is_string() && history[1]["retired_at"].is_null());

    // An import after the policies exist is judged inside the import.
    let more = write(
        dir.path(),
        "more.csv",
        "external_id,channel,created_at,first_response_at,resolved_at\nc4,chat,2026-03-03T09:00:00Z,2026-03-03T09:00:30Z,2026-03-03T09:10:00Z\n",
    );
    ok(metas(&db, ["import", more.to_str().unwrap()]));
    assert_eq!(
        attainment(&db)[0],
        ("acknowledge".into(), "chat".into(), 3, 4)
    );

    // Retiring the catch-all policy takes its stages out of the figures.
    ok(metas(&db, ["sla", "policy", "delete", "Phone"]));
    assert!(attainment(&db)
        .iter()
        .all(|(stage, ..)| stage != "queue_wait"));
    let run = metas(&db, ["sla", "policy", "delete", "Phone"]);
    assert_eq!(run.status, 2, "{run}");
}

#[test]
fn a_bad_policy_is_refused_with_its_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("metas.db");
    let bad = write(
        dir.path(),
        "bad.toml",
        "order = 1\n\n[targets]\nacknowledge = \"60s\"\nresolution = \"8\"\n",
    );
    let run = metas(&db, ["sla", "policy", "set", "Bad", bad.to_str().unwrap()]);
    assert_eq!(run.status, 2, "{run}");
    assert_eq!(
        run.stderr.trim(),
        format!(
            "metas: {} line 5: targets.resolution: '8' has no unit; write s, m, h or d after the number (60s, 15m, 4h)",
            bad.display()
        )
    );
    let on = write(
        dir.path(),
        "on.toml",
        "calendar = \"support\"\n[targets]\nacknowledge = \"1h\"\n",
    );
    let run = metas(&db, ["sla", "policy", "set", "On", on.to_str().unwrap()]);
    assert_eq!(run.status, 2, "{run}");
    assert!(
        run.stderr
            .contains("calendar 'support', which does not exist"),
        "{run}"
    );
    let run = metas(&db, ["sla", "policy", "list"]);
    assert!(run.stdout.contains("no time-objective policy yet"), "{run}");
}

const TICKETS: &str = "\
external_id,channel,created_at
T1,email,2026-03-02T09:00:00Z
T2,email,2026-03-02T09:00:00Z
";

const EVENTS: &str = "\
ticket,at,kind,status,actor
T1,2026-03-02T09:00:00Z,created,,
T1,2026-03-02T09:10:00Z,assigned,,ana
T1,2026-03-02T09:20:00Z,agent_reply,,ana
T1,2026-03-02T09:30:00Z,status_change,waiting_on_customer,ana
T1,2026-03-02T13:30:00Z,customer_reply,,
T1,2026-03-02T13:31:00Z,status_change,open,
T1,2026-03-02T14:00:00Z,agent_reply,,ana
T1,2026-03-02T14:30:00Z,resolved,,ana
T2,2026-03-02T09:00:00Z,created,,
T2,2026-03-02T09:45:00Z,agent_reply,,ben
T2,2026-03-02T10:30:00Z,resolved,,ben
";

/// (stage, met, due) by stage.
fn by_stage(db: &Path) -> Vec<(String, u64, u64)> {
    attainment_by(db, "stage")
        .into_iter()
        .map(|(d, met, n)| (d[0].clone(), met, n))
        .collect()
}

/// The path of SPEC §3 where times come from events: the triage (first
/// assignment), every reply to a customer's message, and a pause while the
/// ticket waits on the customer that keeps the resolution within target.
#[test]
fn stages_are_judged_from_events_with_pauses() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("metas.db");
    let tickets = write(dir.path(), "tickets.csv", TICKETS);
    ok(metas(
        &db,
        ["import", tickets.to_str().unwrap(), "--source", "helpdesk"],
    ));
    let events = write(dir.path(), "events.csv", EVENTS);
    let mapping = write(dir.path(), "events.toml", EVENT_MAPPING);
    ok(metas(
        &db,
        [
            "import",
            events.to_str().unwrap(),
            "--mapping",
            mapping.to_str().unwrap(),
        ],
    ));
    let policy = |pause: &str| {
        format!(
            "{pause}\n[targets]\nacknowledge = \"30m\"\nproblem_defined = \"5m\"\nnext_response = \"1h\"\nresolution = \"2h\"\n"
        )
    };
    let file = write(
        dir.path(),
        "email.toml",
        &policy("pause_on = [\"waiting_on_customer\"]"),
    );
    ok(metas(
        &db,
        ["sla", "policy", "set", "Email", file.to_str().unwrap()],
    ));
    // T1: answered in 20 min, assigned after 10 (late), the customer's
    // 13:30 message answered in 30 min, resolved after 5 h 30 of which
    // 4 h 01 waiting on the customer (1 h 29 counted). T2: answered after
    // 45 min, never assigned before its resolution at 1 h 30.
    assert_eq!(
        by_stage(&db),
        [
            ("acknowledge".into(), 1, 2),
            ("next_response".into(), 1, 1),
            ("problem_defined".into(), 0, 2),
            ("resolution".into(), 2, 2),
        ]
    );
    // Without the pause, T1's resolution is late.
    let file = write(dir.path(), "email2.toml", &policy(""));
    ok(metas(
        &db,
        ["sla", "policy", "set", "Email", file.to_str().unwrap()],
    ));
    assert_eq!(by_stage(&db)[3], ("resolution".into(), 1, 2));
}

/// A time goal: "95 % of chats acknowledged within 60 s by the end of the
/// quarter", in the customer's words, checked and tracked like any goal.
#[test]
fn a_goal_on_one_stage_is_checked_and_tracked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("metas.db");
    ok(metas(
        &db,
        ["demo", "--interactions", "8000", "--as-of", "2026-11-30"],
    ));
    let chat = write(
        dir.path(),
        "chat.toml",
        "where = \"channel = 'chat'\"\n[targets]\nacknowledge = \"60s\"\n",
    );
    ok(metas(
        &db,
        ["sla", "policy", "set", "Chat", chat.to_str().unwrap()],
    ));
    let run = ok(metas(
        &db,
        [
            "goal",
            "add",
            "--owner",
            "org",
            "--metric",
            "sla_attainment",
            "--where",
            "stage = 'acknowledge' and channel = 'chat'",
            "--to",
            "95%",
            "--deadline",
            "end of quarter",
            "--customer-words",
            "A quick answer to my question on the first message",
            "--as-of",
            "2026-11-30",
            "--force",
            "--format",
            "json",
        ],
    ));
    let doc = run.json();
    let id = doc["id"].as_i64().unwrap_or_else(|| panic!("{run}"));
    assert!(doc["baseline"]["n"].as_u64().unwrap() > 0, "{run}");
    let run = ok(metas(
        &db,
        [
            "goal",
            "show",
            &id.to_string(),
            "--as-of",
            "2026-11-30",
            "--format",
            "json",
        ],
    ));
    let shown = run.json();
    assert_eq!(shown["goal"]["metric"], "sla_attainment", "{run}");
    assert_eq!(
        shown["goal"]["customer_words"],
        "A quick answer to my question on the first message"
    );
}

/// A policy counting business hours follows its calendar: when the calendar
/// changes, every stage is judged again.
#[test]
fn a_calendar_change_judges_again_the_policies_that_count_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("metas.db");
    // Friday 17:30 UTC, answered Monday 09:30: 2 h of a 09:00–18:00
    // weekday calendar (30 min Friday, 30 min Monday), 64 h of the clock.
    let mail = write(
        dir.path(),
        "mail.csv",
        "external_id,channel,created_at,first_response_at\nm1,email,2026-03-06T17:30:00Z,2026-03-09T09:30:00Z\n",
    );
    ok(metas(&db, ["import", mail.to_str().unwrap()]));
    let days = |hours: &str| {
        let mut t = String::from("time_zone = \"UTC\"\n[hours]\n");
        for d in ["mon", "tue", "wed", "thu", "fri"] {
            t.push_str(&format!("{d} = [\"{hours}\"]\n"));
        }
        t
    };
    let desk = write(dir.path(), "desk.toml", &days("09:00-18:00"));
    ok(metas(
        &db,
        ["calendar", "set", "desk", desk.to_str().unwrap()],
    ));
    let policy = write(
        dir.path(),
        "mail.toml",
        "calendar = \"desk\"\n[targets]\nacknowledge = \"2h\"\n",
    );
    ok(metas(
        &db,
        ["sla", "policy", "set", "Mail", policy.to_str().unwrap()],
    ));
    assert_eq!(by_stage(&db), [("acknowledge".into(), 1, 1)]);
    // Open around the clock on weekdays, the desk counts Friday's 6 h 30
    // and Monday's 9 h 30: the same reply is now late.
    let long = write(dir.path(), "long.toml", &days("00:00-00:00"));
    ok(metas(
        &db,
        ["calendar", "set", "desk", long.to_str().unwrap()],
    ));
    assert_eq!(by_stage(&db), [("acknowledge".into(), 0, 1)]);
}
