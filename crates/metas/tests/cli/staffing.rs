//! `metas staffing` (R-COST) through the real binary: the calculator on the
//! published worked example, the observed form on a small demo, checked
//! against the KPIs of the same calls, and bad options.

use crate::common::metas;
use serde_json::Value;

const AS_OF: &str = "2026-11-22";

/// A 5,000-interaction demo ending on AS_OF (a few hundred phone calls in
/// its last 8 weeks).
fn demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("staffing.db");
    let run = metas(
        &db,
        [
            "demo",
            "--interactions",
            "5000",
            "--seed",
            "11",
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    (dir, db)
}

fn near(got: &Value, want: f64, tolerance: f64) -> bool {
    got.as_f64().is_some_and(|g| (g - want).abs() <= tolerance)
}

const WORKED_EXAMPLE: [&str; 15] = [
    "staffing",
    "--arrivals",
    "100",
    "--per",
    "30m",
    "--aht",
    "180s",
    "--service-level",
    "80/20",
    "--shrinkage",
    "30%",
    "--max-occupancy",
    "85%",
    "--cost-per-hour",
    "28",
];

/// Call Centre Helper's worked example (100 calls in 30 minutes, 180 s,
/// 80/20, 30 % shrinkage, 85 % maximum occupancy): 14 agents, 20 on the
/// rota; figures as the R ErlangC README prints them.
#[test]
fn the_calculator_gives_the_worked_example() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    let mut args = WORKED_EXAMPLE.to_vec();
    args.extend(["--format", "json"]);
    let run = metas(&db, &args);
    assert_eq!(run.status, 0, "{run}");
    assert!(!db.exists(), "the calculator needs no database");
    let doc = run.json();
    assert_eq!(doc["form"], "calculator");
    assert_eq!(doc["agents"], 14, "{doc}");
    assert!(near(&doc["service_level"], 0.88835, 1e-5), "{doc}");
    assert!(near(&doc["asa_secs"], 7.835937, 1e-5), "{doc}");
    assert!(near(&doc["occupancy"], 0.7142857, 1e-7), "{doc}");
    assert!(near(&doc["wait_probability"], 0.1741319, 1e-7), "{doc}");
    assert!(near(&doc["traffic"], 10.0, 1e-12));
    assert_eq!(doc["rota_agents"], 20);
    assert_eq!(doc["bound_by"], "service_level");
    assert!(near(&doc["cost_per_hour"], 560.0, 1e-9));
    assert!(near(&doc["cost_per_week"], 560.0 * 40.0, 1e-9));
    let curve = doc["curve"].as_array().unwrap();
    let agents: Vec<u64> = curve
        .iter()
        .map(|p| p["agents"].as_u64().unwrap())
        .collect();
    assert_eq!(agents, (11..=19).collect::<Vec<_>>());
    for p in curve {
        for field in ["service_level", "asa_secs", "occupancy", "cost_per_hour"] {
            assert!(p[field].is_number(), "{field} in {p}");
        }
    }
    // What +5 points costs: 13 agents give 79.6 %, 14 give 88.8 %.
    assert_eq!(curve[2]["meets_service_level"], false);
    assert_eq!(curve[3]["meets_service_level"], true);

    let table = metas(&db, WORKED_EXAMPLE);
    assert_eq!(table.status, 0, "{table}");
    assert!(table.stdout.contains("agents needed"), "{table}");
    assert!(table.stdout.contains("22,400.00"), "{table}");
    assert!(table.stdout.contains("← needed"), "{table}");
}

/// "Not reachable at this occupancy": 10 agents for 10 Erlangs.
#[test]
fn the_calculator_says_when_agents_cannot_keep_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    let run = metas(
        &db,
        [
            "staffing",
            "--arrivals",
            "100",
            "--aht",
            "3m",
            "--service-level",
            "80/20",
            "--agents",
            "10",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    let doc = run.json();
    assert_eq!(doc["reachable"], false);
    assert_eq!(doc["agents"], 10);
    assert!(doc["service_level"].is_null() && doc["asa_secs"].is_null());
    assert!(near(&doc["occupancy"], 1.0, 1e-12));
    assert_eq!(doc["agents_needed"], 14);
    assert!(
        doc["notes"][0]
            .as_str()
            .unwrap()
            .starts_with("not reachable at this occupancy"),
        "{doc}"
    );
}

fn kpi_value(db: &std::path::Path, kpi: &str, from: &str, to: &str) -> f64 {
    let run = metas(
        db,
        [
            "kpi",
            kpi,
            "--where",
            "channel = 'phone'",
            "--from",
            from,
            "--to",
            to,
            "--format",
            "json",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    run.json()["rows"][0]["value"].as_f64().unwrap()
}

#[test]
fn the_observed_form_staffs_the_demo_phone_queue() {
    let (_dir, db) = demo();
    let staffing = |tz: &str, to: Option<&str>| {
        let mut args = vec![
            "staffing",
            "--where",
            "channel = 'phone'",
            "--service-level",
            "80/20",
            "--shrinkage",
            "30%",
            "--cost-per-hour",
            "28",
            "--timezone",
            tz,
            "--format",
            "json",
        ];
        if let Some(to) = to {
            args.extend(["--to", to]);
        }
        let run = metas(&db, &args);
        assert_eq!(run.status, 0, "{run}");
        run.json()
    };
    let doc = staffing("Europe/Madrid", Some(AS_OF));
    assert_eq!(doc["form"], "observed");
    assert_eq!(doc["timezone"], "Europe/Madrid");
    // 8 weeks ending on the day asked.
    assert_eq!(doc["to"], AS_OF);
    assert_eq!(doc["from"], "2026-09-28");
    assert!(near(&doc["weeks"], 8.0, 1e-12), "{}", doc["weeks"]);
    assert_eq!(doc["aht_source"], "observed");
    let rows = doc["half_hours"].as_array().unwrap();
    assert!(rows.len() > 20, "{} half-hours", rows.len());
    for r in rows {
        for field in [
            "agents",
            "service_level",
            "asa_secs",
            "occupancy",
            "arrivals",
        ] {
            assert!(r[field].is_number(), "{field} in {r}");
        }
        assert!(r["agents"].as_u64().unwrap() >= 1);
        assert!(r["service_level"].as_f64().unwrap() >= 0.8 - 1e-9, "{r}");
        // The demo's phones open 08:00–20:00 Madrid time.
        let time = r["time"].as_str().unwrap();
        assert!(("08:00"..="19:30").contains(&time), "{r}");
    }
    let week = &doc["week"];
    for field in [
        "agents",
        "service_level",
        "asa_secs",
        "occupancy",
        "agent_hours",
    ] {
        assert!(week[field].is_number(), "{field} in {week}");
    }
    assert!(near(
        &week["cost"],
        week["rota_agent_hours"].as_f64().unwrap() * 28.0,
        1e-6
    ));
    let targets: Vec<f64> = doc["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_f64().unwrap())
        .collect();
    assert_eq!(targets, vec![0.7, 0.75, 0.8, 0.85, 0.9]);
    assert!(doc["busiest"]["points"].as_array().unwrap().len() > 5);

    // In UTC the same calls fall an hour or two earlier, and the period's
    // figures are the KPIs' (which count UTC days) over the same calls.
    let utc = staffing("UTC", None);
    // Without --to: the 8 weeks ending on the day of the queue's last call.
    let last: jiff::civil::Date = utc["to"].as_str().unwrap().parse().unwrap();
    let first: jiff::civil::Date = utc["from"].as_str().unwrap().parse().unwrap();
    assert!(last <= AS_OF.parse().unwrap() && last >= "2026-11-20".parse().unwrap());
    assert_eq!(first, last - jiff::Span::new().days(55));
    let earliest = utc["half_hours"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["time"].as_str().unwrap().to_string())
        .min()
        .unwrap();
    assert!(earliest.as_str() < "08:00", "{earliest}");
    let (from, to) = (
        utc["from"].as_str().unwrap().to_string(),
        utc["to"].as_str().unwrap().to_string(),
    );
    assert_eq!(
        utc["calls"].as_f64().unwrap(),
        kpi_value(&db, "volume", &from, &to)
    );
    let w = &utc["week"];
    assert!(near(
        &w["observed_service_level"],
        kpi_value(&db, "service_level", &from, &to),
        1e-12
    ));
    assert!(near(
        &w["abandon_rate"],
        kpi_value(&db, "abandon_rate", &from, &to),
        1e-12
    ));
    assert!(near(
        &utc["aht_secs"],
        kpi_value(&db, "aht", &from, &to),
        1e-9
    ));
    // A week of calls: the half-hours' means add up to the calls / weeks.
    assert!(near(
        &w["arrivals"],
        utc["calls"].as_f64().unwrap() / 8.0,
        1e-9
    ));

    let table = metas(
        &db,
        [
            "staffing",
            "--where",
            "channel = 'phone'",
            "--service-level",
            "80/20",
            "--timezone",
            "Europe/Madrid",
        ],
    );
    assert_eq!(table.status, 0, "{table}");
    for want in [
        "half-hour",
        "observed SL",
        "the busiest half-hour",
        "← asked",
    ] {
        assert!(table.stdout.contains(want), "{want}: {table}");
    }

    // Without --timezone: the default business calendar's zone.
    let calendar = db.with_file_name("madrid.toml");
    std::fs::write(
        &calendar,
        "time_zone = \"Europe/Madrid\"\n[hours]\nmon = [\"08:00-20:00\"]\n",
    )
    .unwrap();
    for args in [
        vec!["calendar", "set", "madrid", calendar.to_str().unwrap()],
        vec!["settings", "set", "calendar.default", "madrid"],
    ] {
        let run = metas(&db, &args);
        assert_eq!(run.status, 0, "{run}");
    }
    let run = metas(
        &db,
        [
            "staffing",
            "--where",
            "channel = 'phone'",
            "--service-level",
            "80/20",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    assert_eq!(run.json()["timezone"], "Europe/Madrid");
}

#[test]
fn bad_options_exit_2_with_one_sentence_naming_the_option() {
    let (_dir, db) = demo();
    fn calc(extra: &[&'static str]) -> Vec<&'static str> {
        let mut args = vec![
            "staffing",
            "--arrivals",
            "100",
            "--aht",
            "180s",
            "--service-level",
            "80/20",
        ];
        args.extend_from_slice(extra);
        args
    }
    fn observed(extra: &[&'static str]) -> Vec<&'static str> {
        let mut args = vec![
            "staffing",
            "--where",
            "channel = 'phone'",
            "--service-level",
            "80/20",
        ];
        args.extend_from_slice(extra);
        args
    }
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "staffing",
                "--arrivals",
                "100",
                "--aht",
                "3m",
                "--service-level",
                "100/20",
            ],
            "--service-level",
        ),
        (
            vec!["staffing", "--arrivals", "100", "--aht", "3m"],
            "--service-level",
        ),
        (calc(&["--shrinkage", "130%"]), "--shrinkage"),
        (calc(&["--max-occupancy", "0%"]), "--max-occupancy"),
        (calc(&["--cost-per-hour", "cheap"]), "--cost-per-hour"),
        (calc(&["--per", "0m"]), "--per"),
        (calc(&["--agents", "0"]), "--agents"),
        (calc(&["--hours-per-week", "200"]), "--hours-per-week"),
        (calc(&["--where", "channel = 'phone'"]), "--where"),
        (
            vec![
                "staffing",
                "--arrivals",
                "many",
                "--aht",
                "3m",
                "--service-level",
                "80/20",
            ],
            "--arrivals",
        ),
        (
            vec!["staffing", "--arrivals", "100", "--service-level", "80/20"],
            "--aht",
        ),
        (observed(&["--aht", "soon"]), "--aht"),
        (observed(&["--timezone", "Mars/Olympus"]), "--timezone"),
        (observed(&["--agents", "12"]), "--agents"),
        (
            observed(&["--from", "2026-11-30", "--to", "2026-11-01"]),
            "--to",
        ),
        (observed(&["--from", "someday"]), "--from"),
        (
            vec![
                "staffing",
                "--where",
                "channel = = 'phone'",
                "--service-level",
                "80/20",
            ],
            "--where",
        ),
        (
            vec![
                "staffing",
                "--where",
                "channel = 'fax'",
                "--service-level",
                "80/20",
            ],
            "--where",
        ),
        (vec!["staffing", "--service-level", "80/20"], "--where"),
    ];
    for (args, option) in cases {
        let run = metas(&db, &args);
        assert_eq!(run.status, 2, "{args:?}: {run}");
        let lines = run.stderr_lines();
        assert_eq!(lines.len(), 1, "{args:?}: {run}");
        assert!(
            lines[0].starts_with(&format!("metas: {option}")),
            "{args:?}: {}",
            lines[0]
        );
        assert!(run.stdout.is_empty(), "{args:?}: {run}");
    }
}

/// A queue that began within the default 8 weeks is averaged from its first
/// day, not over weeks before it existed; a --from given is kept.
#[test]
fn the_default_period_starts_with_the_queues_first_call() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("calls.db");
    let csv = dir.path().join("calls.csv");
    // Four calls in 10:00–10:30 UTC on each weekday from Monday 9 to
    // Friday 20 November 2026: every weekday occurs twice.
    let mut text = String::from(
        "external_id,channel,created_at,queue_wait_secs,answered,abandoned,talk_secs\n",
    );
    let mut n = 0;
    for day in 9..=20 {
        let date: jiff::civil::Date = format!("2026-11-{day:02}").parse().unwrap();
        if date.weekday().to_monday_zero_offset() >= 5 {
            continue;
        }
        for minute in [0, 5, 10, 20] {
            n += 1;
            text.push_str(&format!(
                "C{n},phone,{date}T10:{minute:02}:00Z,5,true,false,180\n"
            ));
        }
    }
    std::fs::write(&csv, text).unwrap();
    let run = metas(&db, ["import", csv.to_str().unwrap()]);
    assert_eq!(run.status, 0, "{run}");
    let staffing = |extra: &[&str]| {
        let mut args = vec![
            "staffing",
            "--where",
            "channel = 'phone'",
            "--service-level",
            "80/20",
            "--timezone",
            "UTC",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let run = metas(&db, &args);
        assert_eq!(run.status, 0, "{run}");
        run.json()
    };
    let doc = staffing(&[]);
    assert_eq!(doc["from"], "2026-11-09");
    assert_eq!(doc["to"], "2026-11-20");
    assert!(near(&doc["weeks"], 12.0 / 7.0, 1e-12));
    assert!(near(&doc["aht_secs"], 180.0, 1e-9));
    let rows = doc["half_hours"].as_array().unwrap();
    let names: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["weekday"].as_str().unwrap(),
                r["time"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        names,
        ["monday", "tuesday", "wednesday", "thursday", "friday"].map(|d| format!("{d} 10:00"))
    );
    for r in rows {
        assert!(near(&r["arrivals"], 4.0, 1e-12), "{r}");
        assert!(near(&r["observed_service_level"], 1.0, 1e-12), "{r}");
    }
    // Asked from Monday 2 November: three Mondays, two with calls.
    let doc = staffing(&["--from", "2026-11-02"]);
    assert_eq!(doc["from"], "2026-11-02");
    assert!(near(&doc["half_hours"][0]["arrivals"], 8.0 / 3.0, 1e-12));
}
