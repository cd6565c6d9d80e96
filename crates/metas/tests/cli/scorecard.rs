//! `metas scorecard`: a hand-made team imported through the real import
//! path, whose focus behaviour and struggles are known by hand, and the
//! demo's struggling agent (docs/scorecard.md).

use std::path::Path;

use crate::common::metas;
use serde_json::Value;

const TICKETS_MAPPING: &str = r#"
[source]
name = "desk"
record = "interaction"

[fields]
external_id = "id"
channel = "channel"
created_at = "created"
resolved_at = "resolved"
status = "status"
topic = "topic"
customer_id = "customer"
agent = "agent"
team = "team"

[[surveys]]
kind = "csat"
column = "csat"
comment = "csat_comment"
"#;

const REVIEWS_MAPPING: &str = r#"
[source]
name = "desk"
record = "qa_review"

[fields]
external_id = "id"
interaction_external_id = "ticket"
agent = "agent"
reviewed_at = "at"
reviewer = "reviewer"
comment = "comment"

[rubric]
name = "service_quality"
scale = [1, 5]

[[rubric.criteria]]
name = "concern"
column = "concern"
standard = 3

[[rubric.criteria]]
name = "tone"
column = "tone"
standard = 3
"#;

/// Team Blue. ana joined on 10 February 2024: twelve tickets every three
/// days, each reviewed; the even ones (k = 0, 2, …) got concern 2 and a CSAT
/// of 1 with a complaint, the odd ones concern 4 and a CSAT of 5; tone is 4,
/// 4, 2, 2, 4, 4, … — unrelated to the outcome. ben (since January): twelve
/// tickets, concern 4, tone 4, CSAT 5.
fn write_data(dir: &Path) -> (String, String) {
    let mut tickets = vec![
        "id,channel,created,resolved,status,topic,customer,agent,team,csat,csat_comment"
            .to_string(),
    ];
    let mut reviews = vec!["id,ticket,agent,at,reviewer,concern,tone,comment".to_string()];
    let ana_start = jiff::civil::date(2024, 2, 10);
    for k in 0..12i64 {
        let d = ana_start
            .checked_add(jiff::Span::new().days(3 * k))
            .unwrap();
        let bad = k % 2 == 0;
        let tone = if (k / 2) % 2 == 0 { 4 } else { 2 };
        tickets.push(format!(
            "A{k},email,{d}T09:00:00Z,{d}T10:00:00Z,solved,billing,c{k},ana,Blue,{},{}",
            if bad { 1 } else { 5 },
            if bad {
                "You ignored that I was upset"
            } else {
                ""
            }
        ));
        reviews.push(format!(
            "QA{k},A{k},ana,{d}T12:00:00Z,lead,{},{tone},{}",
            if bad { 2 } else { 4 },
            if bad {
                "No acknowledgement of the frustration"
            } else {
                ""
            }
        ));
    }
    let ben_start = jiff::civil::date(2024, 1, 5);
    for k in 0..12i64 {
        let d = ben_start
            .checked_add(jiff::Span::new().days(6 * k))
            .unwrap();
        tickets.push(format!(
            "B{k},email,{d}T09:00:00Z,{d}T10:00:00Z,solved,billing,d{k},ben,Blue,5,"
        ));
        reviews.push(format!("QB{k},B{k},ben,{d}T12:00:00Z,lead,4,4,"));
    }
    let write = |name: &str, text: String| {
        let p = dir.join(name);
        std::fs::write(&p, text + "\n").unwrap();
        p.to_string_lossy().into_owned()
    };
    write("tickets.toml", TICKETS_MAPPING.to_string());
    write("reviews.toml", REVIEWS_MAPPING.to_string());
    (
        write("tickets.csv", tickets.join("\n")),
        write("reviews.csv", reviews.join("\n")),
    )
}

fn import(db: &Path, dir: &Path) {
    let (tickets, reviews) = write_data(dir);
    for (file, mapping) in [(tickets, "tickets.toml"), (reviews, "reviews.toml")] {
        let m = dir.join(mapping);
        let run = metas(
            db,
            ["import", file.as_str(), "--mapping", m.to_str().unwrap()],
        );
        assert_eq!(run.status, 0, "{run}");
    }
}

fn line<'a>(an: &'a Value, key: &str) -> &'a Value {
    an["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["key"] == key)
        .unwrap_or_else(|| panic!("no line {key}"))
}

#[test]
fn a_hand_made_team_gives_the_known_focus_and_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    import(&db, dir.path());
    let run = metas(
        &db,
        [
            "scorecard",
            "ana",
            "--as-of",
            "2024-03-31",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    let an = run.json();
    assert_eq!(an["team"], "Blue");
    // December to March; ana joined in February: the first two say no
    // data (null, never zero).
    let starts: Vec<&str> = an["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["start"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        ["2023-12-01", "2024-01-01", "2024-02-01", "2024-03-01"]
    );
    let actives: Vec<bool> = an["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["active"].as_bool().unwrap())
        .collect();
    assert_eq!(actives, [false, false, true, true]);
    let csat = line(&an, "csat");
    assert_eq!(csat["months"][0]["value"], Value::Null);
    assert_eq!(csat["months"][0]["n"], 0);
    // February: the 10th, 13th, … 28th are k = 0 … 6, satisfied on k = 1,
    // 3, 5: 3 of 7.
    assert_eq!(csat["months"][2]["n"], 7);
    assert!((csat["months"][2]["value"].as_f64().unwrap() - 3.0 / 7.0).abs() < 1e-9);
    // Four months: 6 of 12 = 0.5 against the team's 18 of 24 = 0.75. The
    // gap of 0.25 is inside the noise (Wilson intervals: se 0.125 and
    // 0.084, noise 1.96 × 0.151 = 0.30): not a struggle.
    assert!((csat["period"]["value"].as_f64().unwrap() - 0.5).abs() < 1e-9);
    assert!((csat["team_period"]["value"].as_f64().unwrap() - 0.75).abs() < 1e-9);
    assert_eq!(csat["vs_team"], "level");
    assert_eq!(an["struggles"], serde_json::json!([]));
    // Concern 3.0 against a standard of 3: level.
    let concern = line(&an, "qa:service_quality/concern");
    assert!((concern["period"]["value"].as_f64().unwrap() - 3.0).abs() < 1e-9);
    assert_eq!(concern["standard"], 3.0);
    // The focus: below-standard concern ↔ CSAT 0 of 6, at or above 6 of 6:
    // no spread, a difference of −1, moved (effect 10). Tone splits the
    // outcomes evenly (3 of 6 each side): moves nothing, runner-up.
    let f = &an["focus"];
    assert_eq!(f["criterion"], "concern");
    assert_eq!(f["rubric"], "service_quality");
    assert_eq!(f["standard"], 3.0);
    assert_eq!(f["chosen"]["moved"], 1);
    assert_eq!(f["chosen"]["below_n"], 6);
    assert_eq!(f["chosen"]["at_or_above_n"], 6);
    let csat_effect = &f["chosen"]["effects"][0];
    assert_eq!(csat_effect["metric"], "csat");
    assert_eq!(csat_effect["difference"], -1.0);
    assert_eq!(csat_effect["moved"], true);
    assert_eq!(f["runner_up"]["criterion"], "qa:service_quality/tone");
    assert_eq!(f["runner_up"]["moved"], 0);
    // Evidence: five reviews rating concern 2 with the reviewer's comment,
    // five CSAT complaints on those interactions, each with its interaction.
    let ev = an["evidence"].as_array().unwrap();
    let reviews: Vec<&Value> = ev.iter().filter(|e| e["kind"] == "review").collect();
    let surveys: Vec<&Value> = ev.iter().filter(|e| e["kind"] == "survey").collect();
    assert_eq!((reviews.len(), surveys.len()), (5, 5));
    for r in &reviews {
        assert_eq!(r["rating"], 2.0);
        assert_eq!(r["comment"], "No acknowledgement of the frustration");
        assert!(r["interaction_id"].is_i64());
    }
    for s in &surveys {
        assert_eq!(s["score"], 1.0);
        assert_eq!(s["comment"], "You ignored that I was upset");
        assert_eq!(s["rating"], 2.0);
    }
    // The text says the same.
    let text = metas(&db, ["scorecard", "ana", "--as-of", "2024-03-31"]);
    assert_eq!(text.status, 0, "{text}");
    assert!(
        text.stdout
            .contains("Focus behaviour: concern (service_quality)"),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("no data"));
    assert!(text.stdout.contains("runner-up"));
    // The team: both agents.
    let team = metas(
        &db,
        [
            "scorecard",
            "--team",
            "Blue",
            "--as-of",
            "2024-03-31",
            "--format",
            "json",
        ],
    );
    assert_eq!(team.status, 0, "{team}");
    let list = team.json();
    let agents: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["agent"].as_str().unwrap())
        .collect();
    assert_eq!(agents, ["ana", "ben"]);
    // An unknown agent: one sentence, exit 2.
    let none = metas(&db, ["scorecard", "nobody", "--as-of", "2024-03-31"]);
    assert_eq!(none.status, 2, "{none}");
    assert!(none.stderr.contains("no agent named 'nobody'"), "{none}");
}

#[test]
fn the_demo_struggling_agent_focuses_on_concern_with_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let run = metas(
        &db,
        [
            "demo",
            "--interactions",
            "60000",
            "--as-of",
            "2026-06-30",
            "--no-goals",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    let run = metas(
        &db,
        [
            "scorecard",
            "Kevin M.",
            "--as-of",
            "2026-06-30",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.status, 0, "{run}");
    let an = run.json();
    let f = &an["focus"];
    assert_eq!(f["criterion"], "concern", "{f}");
    assert_eq!(f["standard"], 3.0);
    assert!(f["level"]["value"].as_f64().unwrap() < 3.0);
    assert!(f["chosen"]["moved"].as_u64().unwrap() >= 2, "{f}");
    assert!(f["runner_up"].is_object());
    let struggles: Vec<&str> = an["struggles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    for k in ["qa:service_quality/concern", "csat", "repeat_contact_rate"] {
        assert!(struggles.contains(&k), "{k} not in {struggles:?}");
    }
    let overlaps = an["overlaps"].as_array().unwrap();
    assert!(
        overlaps
            .iter()
            .any(|o| o["survey"] == "csat" && o["internal"] == "qa:service_quality/concern"),
        "{overlaps:?}"
    );
    let ev = an["evidence"].as_array().unwrap();
    assert!(
        ev.iter().any(|e| e["kind"] == "review"
            && e["rating"].as_f64().unwrap() < 3.0
            && e["comment"].is_string()),
        "{ev:?}"
    );
    assert!(ev.iter().all(|e| e["interaction_external_id"].is_string()));
}
