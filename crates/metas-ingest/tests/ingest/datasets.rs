//! The three public exports and the two preset fixtures import with their
//! mappings, with values checked against the raw files by hand.

use std::path::PathBuf;

use metas_ingest::{import_file, ImportOptions, ImportReport, MappingChoice};
use metas_store::Store;
use serde_json::{json, Value};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn dataset(rel: &str) -> PathBuf {
    repo().join("../shared/datasets").join(rel)
}

fn mapping(name: &str) -> MappingChoice {
    MappingChoice::File(repo().join("examples/mappings").join(name))
}

fn import(
    store: &mut Store,
    file: &std::path::Path,
    choice: MappingChoice,
    tz: Option<&str>,
) -> ImportReport {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = ImportOptions::new(choice);
    opts.rejects_path = Some(dir.path().join("rejects.csv"));
    opts.timezone = tz.map(str::to_string);
    import_file(store, file, &opts).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn one(store: &Store, sql: &'static str, params: &[&str]) -> Vec<Value> {
    let rows = store.query_json(sql, params).unwrap();
    assert_eq!(
        rows.len(),
        1,
        "{sql} {params:?} returned {} rows",
        rows.len()
    );
    rows.into_iter().next().unwrap()
}

const INTERACTION: &str =
    "SELECT channel, CAST(created_at AS VARCHAR), CAST(first_response_at AS VARCHAR),
        CAST(resolved_at AS VARCHAR), status, priority, agent, topic, queue_wait_secs, talk_secs,
        answered, abandoned, resolved_first_contact, reopen_count, customer_id
   FROM interactions WHERE source = ? AND external_id = ?";

const CSAT: &str =
    "SELECT s.score FROM survey_answers s JOIN interactions i ON i.id = s.interaction_id
   WHERE i.source = ? AND i.external_id = ? AND s.kind = 'csat'";

#[test]
fn pwc_call_center() {
    let mut store = Store::open_in_memory().unwrap();
    let file = dataset("pwc-call-center/call_center_dataset.csv");
    let r = import(&mut store, &file, mapping("pwc-call-center.toml"), None);
    assert_eq!(
        (r.imported, r.updated, r.unchanged, r.rejected),
        (5000, 0, 0, 0),
        "{:?}",
        r.rejects
    );
    assert!(r.ignored_columns.is_empty(), "{:?}", r.ignored_columns);
    let src = "pwc-call-center";
    assert_eq!(
        one(&store, INTERACTION, &[src, "ID0001"]),
        vec![
            json!("phone"),
            json!("2021-01-01 09:12:58"),
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            json!("Diane"),
            json!("Contract related"),
            json!(109.0),
            json!(143.0),
            json!(true),
            json!(false),
            json!(true),
            Value::Null,
            Value::Null,
        ]
    );
    assert_eq!(one(&store, CSAT, &[src, "ID0001"]), vec![json!(3.0)]);
    // ID0006 was abandoned: no speed, talk time or rating.
    let abandoned = one(&store, INTERACTION, &[src, "ID0006"]);
    assert_eq!(abandoned[8], Value::Null);
    assert_eq!(abandoned[9], Value::Null);
    assert_eq!(
        (&abandoned[10], &abandoned[11]),
        (&json!(false), &json!(true))
    );
    assert_eq!(
        one(
            &store,
            "SELECT count(*) FILTER (WHERE abandoned), count(*) FROM interactions WHERE source = ?",
            &[src]
        ),
        vec![json!(946), json!(5000)]
    );
    assert_eq!(
        one(
            &store,
            "SELECT count(*) FROM survey_answers WHERE source = ? AND kind = 'csat'",
            &[src]
        ),
        vec![json!(4054)]
    );
    assert_eq!(
        one(&store, "SELECT count(*) FROM agents", &[]),
        vec![json!(8)]
    );

    let again = import(&mut store, &file, mapping("pwc-call-center.toml"), None);
    assert_eq!(
        (
            again.imported,
            again.updated,
            again.unchanged,
            again.rejected
        ),
        (0, 0, 5000, 0)
    );
    assert_eq!(
        one(
            &store,
            "SELECT count(*) FROM survey_answers WHERE source = ?",
            &[src]
        ),
        vec![json!(4054)],
        "re-import must not duplicate survey answers"
    );
}

#[test]
fn teresgeo_tickets() {
    let mut store = Store::open_in_memory().unwrap();
    let file = dataset("teresgeo-tickets/customer_support_tickets.csv");
    let r = import(&mut store, &file, mapping("teresgeo-tickets.toml"), None);
    assert_eq!((r.imported, r.rejected), (1000, 0), "{:?}", r.rejects);
    let src = "teresgeo-tickets";
    let t1 = one(&store, INTERACTION, &[src, "TKT-00001"]);
    // Created 03:01; first response 1.11 h (3996 s) later; resolution 18.05 h (64980 s) later.
    assert_eq!(t1[0], json!("chat"));
    assert_eq!(t1[1], json!("2024-11-23 03:01:00"));
    assert_eq!(t1[2], json!("2024-11-23 04:07:36"));
    assert_eq!(t1[3], json!("2024-11-23 21:04:00"));
    assert_eq!(
        (&t1[4], &t1[5], &t1[6], &t1[7]),
        (
            &json!("closed"),
            &json!("critical"),
            &json!("Agent_1"),
            &json!("Performance")
        )
    );
    assert_eq!(one(&store, CSAT, &[src, "TKT-00001"]), vec![json!(5.0)]);
    assert_eq!(
        one(&store, INTERACTION, &[src, "TKT-00004"])[0],
        json!("web_form")
    );
    assert_eq!(
        one(&store, INTERACTION, &[src, "TKT-00002"])[4],
        json!("open"),
        "In Progress is open"
    );
    let raw = std::fs::read_to_string(&file).unwrap();
    let with_csat = raw.lines().skip(1).filter(|l| !l.ends_with(',')).count();
    assert_eq!(
        one(
            &store,
            "SELECT count(*) FROM survey_answers WHERE source = ?",
            &[src]
        ),
        vec![json!(with_csat)]
    );
    let again = import(&mut store, &file, mapping("teresgeo-tickets.toml"), None);
    assert_eq!(again.unchanged, 1000);
}

#[test]
fn kaggle_support_tickets() {
    let mut store = Store::open_in_memory().unwrap();
    let file = dataset("kaggle-support-tickets/customer_support_tickets.csv");
    let r = import(
        &mut store,
        &file,
        mapping("kaggle-support-tickets.toml"),
        None,
    );
    assert_eq!(
        (r.imported, r.rejected),
        (8469, 0),
        "{:?}",
        &r.rejects[..r.rejects.len().min(5)]
    );
    let src = "kaggle-support-tickets";
    let t1 = one(&store, INTERACTION, &[src, "1"]);
    assert_eq!(t1[0], json!("social"));
    assert_eq!(t1[1], json!("2023-06-01 12:15:36"));
    assert_eq!(
        (&t1[4], &t1[5]),
        (&json!("waiting_on_customer"), &json!("critical"))
    );
    assert_eq!(t1[14], json!("carrollallison@example.com"));
    assert_eq!(
        one(
            &store,
            "SELECT name, age, gender FROM customers WHERE id = ?",
            &["carrollallison@example.com"]
        ),
        vec![json!("Marisa Obrien"), json!(32), json!("Other")]
    );
    assert_eq!(
        one(&store, "SELECT count(*) FROM customers", &[]),
        vec![json!(8320)]
    );
    assert_eq!(
        one(
            &store,
            "SELECT count(*) FROM survey_answers WHERE source = ?",
            &[src]
        ),
        vec![json!(2769)]
    );
    // Open tickets have no timestamp at all and are dated at the export.
    assert_eq!(
        one(
            &store,
            "SELECT count(*) FROM interactions WHERE source = ? AND created_at = TIMESTAMP '2023-06-02 00:00:00'",
            &[src]
        ),
        vec![json!(2819)]
    );
    // The long description with embedded newlines is not imported, and says so.
    assert!(r.ignored_columns.is_empty(), "{:?}", r.ignored_columns);
    let again = import(
        &mut store,
        &file,
        mapping("kaggle-support-tickets.toml"),
        None,
    );
    assert_eq!(again.unchanged, 8469);
}

#[test]
fn zendesk_preset() {
    let mut store = Store::open_in_memory().unwrap();
    let file = repo().join("crates/metas-ingest/tests/fixtures/zendesk/tickets.json");
    let r = import(
        &mut store,
        &file,
        MappingChoice::Preset("zendesk".into()),
        None,
    );
    assert_eq!((r.imported, r.rejected), (8, 0), "{:?}", r.rejects);
    let src = "zendesk";
    let cases = [
        (
            "1001",
            "email",
            "closed",
            "2024-03-04 08:15:00",
            Some(2820),
            Some(12600),
            0,
        ),
        (
            "1002",
            "web_form",
            "resolved",
            "2024-03-04 09:02:30",
            Some(720),
            Some(93780),
            1,
        ),
        (
            "1004",
            "phone",
            "pending",
            "2024-03-06 10:00:00",
            Some(300),
            None,
            0,
        ),
        ("1005", "api", "new", "2024-03-07 16:45:00", None, None, 0),
        (
            "1006",
            "social",
            "on_hold",
            "2024-03-07 18:30:00",
            Some(8100),
            None,
            0,
        ),
        (
            "1008",
            "email",
            "closed",
            "2024-03-01 22:10:00",
            Some(36000),
            Some(262800),
            2,
        ),
    ];
    for (id, channel, status, created, frt, res, reopens) in cases {
        let row = one(
            &store,
            "SELECT channel, status, CAST(created_at AS VARCHAR),
                    CAST(date_diff('second', created_at, first_response_at) AS BIGINT),
                    CAST(date_diff('second', created_at, resolved_at) AS BIGINT), reopen_count
             FROM interactions WHERE source = ? AND external_id = ?",
            &[src, id],
        );
        assert_eq!(
            row,
            vec![
                json!(channel),
                json!(status),
                json!(created),
                json!(frt),
                json!(res),
                json!(reopens)
            ],
            "ticket {id}"
        );
    }
    // good → 5, bad → 1; offered and unoffered are not answers.
    assert_eq!(
        store
            .query_json("SELECT i.external_id, s.score FROM survey_answers s JOIN interactions i ON i.id = s.interaction_id ORDER BY 1", &[])
            .unwrap(),
        vec![vec![json!("1001"), json!(5.0)], vec![json!("1002"), json!(1.0)], vec![json!("1008"), json!(5.0)]]
    );
}

#[test]
fn freshdesk_preset() {
    let mut store = Store::open_in_memory().unwrap();
    let file = repo().join("crates/metas-ingest/tests/fixtures/freshdesk/tickets.csv");
    let r = import(
        &mut store,
        &file,
        MappingChoice::Preset("freshdesk".into()),
        Some("America/New_York"),
    );
    assert_eq!((r.imported, r.rejected), (8, 0), "{:?}", r.rejects);
    let src = "freshdesk";
    let cases = [
        (
            "2101",
            "email",
            "resolved",
            "2024-02-05 13:12:40",
            Some(5250),
            Some(24565),
        ),
        (
            "2102",
            "web_form",
            "closed",
            "2024-02-05 21:45:00",
            Some(59700),
            Some(153900),
        ),
        (
            "2105",
            "web_form",
            "pending",
            "2024-02-08 23:20:00",
            Some(53100),
            None,
        ),
        (
            "2106",
            "email",
            "closed",
            "2024-02-09 16:00:00",
            None,
            Some(255600),
        ),
        (
            "2107",
            "email",
            "waiting_on_customer",
            "2024-02-12 14:30:00",
            Some(13225),
            None,
        ),
        ("2108", "social", "open", "2024-02-13 12:55:00", None, None),
    ];
    for (id, channel, status, created, frt, res) in cases {
        let row = one(
            &store,
            "SELECT channel, status, CAST(created_at AS VARCHAR),
                    CAST(date_diff('second', created_at, first_response_at) AS BIGINT),
                    CAST(date_diff('second', created_at, resolved_at) AS BIGINT)
             FROM interactions WHERE source = ? AND external_id = ?",
            &[src, id],
        );
        assert_eq!(
            row,
            vec![
                json!(channel),
                json!(status),
                json!(created),
                json!(frt),
                json!(res)
            ],
            "ticket {id}"
        );
    }
    assert_eq!(
        store
            .query_json("SELECT i.external_id, s.score FROM survey_answers s JOIN interactions i ON i.id = s.interaction_id ORDER BY 1", &[])
            .unwrap(),
        vec![vec![json!("2101"), json!(5.0)], vec![json!("2102"), json!(1.0)]]
    );
}
