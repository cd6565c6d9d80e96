//! QA through the store: the `qa_score` KPI (SQL) and the domain's score
//! maths give the same number for every review, on the rubric version each
//! review was scored on; saving an unchanged rubric makes no new version.

use jiff::Timestamp;
use metas_domain::kpi::{kpi, Stat, TimeBasis};
use metas_domain::qa::{review_score, Rubric, RubricSpec};
use metas_domain::segment::Field;
use metas_domain::settings::KpiSettings;
use metas_domain::QaReview;
use metas_store::prelude::*;
use metas_store::{KpiQuery, Measured, QaReviewFilter, Store};

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn rubric(process_weight: f64) -> Rubric {
    let text = format!(
        r#"
        [[criteria]]
        key = "concern"
        standard = 3
        [[criteria]]
        key = "accuracy"
        critical = true
        standard = 3
        [[criteria]]
        key = "greeting"
        scale = "binary"
        weight = 2
        [[criteria]]
        key = "process"
        scale = "1-3"
        weight = {process_weight}
        na_allowed = true
        [[criteria]]
        key = "ownership"
        scale = "1-4"
        critical = true
        "#
    );
    let spec: RubricSpec = toml_like(&text);
    Rubric::from_spec("service", &spec).unwrap()
}

/// The rubric file through serde_json (the store tests have no TOML
/// parser): a tiny reader for the flat file above.
fn toml_like(text: &str) -> RubricSpec {
    let mut criteria: Vec<serde_json::Map<String, serde_json::Value>> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line == "[[criteria]]" {
            criteria.push(serde_json::Map::new());
            continue;
        }
        let (k, v) = line.split_once('=').unwrap();
        let v = v.trim();
        let value = if let Some(s) = v.strip_prefix('"') {
            serde_json::Value::String(s.trim_end_matches('"').to_string())
        } else if v == "true" || v == "false" {
            serde_json::Value::Bool(v == "true")
        } else {
            serde_json::json!(v.parse::<f64>().unwrap())
        };
        criteria
            .last_mut()
            .unwrap()
            .insert(k.trim().to_string(), value);
    }
    serde_json::from_value(serde_json::json!({ "criteria": criteria })).unwrap()
}

fn import(store: &mut Store, reviews: &[(&str, [Option<f64>; 5])], at: &str) {
    let keys = ["concern", "accuracy", "greeting", "process", "ownership"];
    let mut tx = store.begin_import("qa", at).unwrap();
    for (n, (agent, ratings)) in reviews.iter().enumerate() {
        tx.add_qa_review(
            n as u64 + 2,
            n as i64,
            &QaReview {
                external_id: format!("{at}-{agent}"),
                interaction_external_id: None,
                agent: agent.to_string(),
                reviewer: None,
                rubric: "service".into(),
                reviewed_at: ts(at),
                ratings: keys
                    .iter()
                    .zip(ratings)
                    .map(|(k, r)| (k.to_string(), *r))
                    .collect(),
                comment: None,
            },
        )
        .unwrap();
    }
    tx.commit(0).unwrap();
}

/// qa_score by agent (one review per agent) from the KPI engine.
fn kpi_by_agent(store: &Store) -> Vec<(String, f64)> {
    let settings = KpiSettings::default();
    let by = [Field::parse("agent").unwrap()];
    let rows = store
        .kpi_rows(&KpiQuery {
            kpi: kpi("qa_score").unwrap(),
            settings: &settings,
            segment: None,
            by: &by,
            grain: None,
            from: None,
            to: None,
            stat: Stat::Mean,
            time: TimeBasis::Calendar,
            confidence: 0.95,
        })
        .unwrap();
    rows.into_iter()
        .map(|r| {
            let agent = match &r.dims[0] {
                metas_store::DimValue::Text(t) => t.clone(),
                other => panic!("{other:?}"),
            };
            match r.measured {
                Measured::Mean { sum, .. } => (agent, sum / r.n as f64),
                other => panic!("{other:?}"),
            }
        })
        .collect()
}

/// Every review's score from the domain, on its own rubric version.
fn domain_by_agent(store: &Store) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = store
        .qa_reviews(&QaReviewFilter::default())
        .unwrap()
        .into_iter()
        .filter_map(|r| {
            let rubric = store
                .rubric(&r.rubric, Some(r.rubric_version))
                .unwrap()
                .unwrap();
            let pairs: Vec<_> = r
                .ratings
                .iter()
                .map(|g| {
                    let c = rubric
                        .criteria
                        .iter()
                        .find(|c| c.key == g.criterion)
                        .unwrap();
                    (c.rule(), g.rating)
                })
                .collect();
            review_score(&pairs).map(|s| (r.agent.unwrap(), s))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn assert_same(store: &Store, expected: &[(&str, f64)]) {
    let sql = kpi_by_agent(store);
    let domain = domain_by_agent(store);
    assert_eq!(sql.len(), domain.len(), "{sql:?} vs {domain:?}");
    for ((a, s), (b, d)) in sql.iter().zip(&domain) {
        assert_eq!(a, b);
        assert!((s - d).abs() < 1e-9, "{a}: SQL {s} vs domain {d}");
    }
    for (agent, want) in expected {
        let (_, got) = domain.iter().find(|(a, _)| a == agent).unwrap();
        assert!((got - want).abs() < 1e-9, "{agent}: {got} vs {want}");
    }
}

#[test]
fn the_kpi_and_the_domain_agree_on_every_review_and_version() {
    let mut store = Store::open_in_memory().unwrap();
    let saved = store
        .save_rubric(&rubric(1.0), "v1", "ana", ts("2026-01-01T00:00:00Z"))
        .unwrap();
    assert_eq!((saved.version, saved.changed), (1, true));
    // concern, accuracy (critical, standard 3), greeting (binary ×2),
    // process (1–3, N/A allowed), ownership (1–4, critical, no standard).
    #[rustfmt::skip]
    let reviews = [
        // (100 + 100 + 2×100 + 100 + 100) / 6
        ("all top", [Some(5.0), Some(5.0), Some(1.0), Some(3.0), Some(4.0)]),
        // (50 + 50 + 0 + 50 + 1×(1/3 → 33.3)) / 6 = (50+50+0+50+33.33)/6
        ("mixed", [Some(3.0), Some(3.0), Some(0.0), Some(2.0), Some(2.0)]),
        // process N/A: (75 + 100 + 200 + 100) / 5
        ("n/a", [Some(4.0), Some(5.0), Some(1.0), None, Some(4.0)]),
        // accuracy 2 < 3: 0
        ("critical below standard", [Some(5.0), Some(2.0), Some(1.0), Some(3.0), Some(4.0)]),
        // ownership at its minimum, no standard: 0
        ("critical at minimum", [Some(5.0), Some(5.0), Some(1.0), Some(3.0), Some(1.0)]),
    ];
    import(&mut store, &reviews, "2026-02-02T10:00:00Z");
    assert_same(
        &store,
        &[
            ("all top", 100.0),
            ("mixed", (50.0 + 50.0 + 0.0 + 50.0 + 100.0 / 3.0) / 6.0),
            ("n/a", (75.0 + 100.0 + 200.0 + 100.0) / 5.0),
            ("critical below standard", 0.0),
            ("critical at minimum", 0.0),
        ],
    );

    // Saving the same rubric again makes no version; a new weight does.
    let again = store
        .save_rubric(&rubric(1.0), "v1", "ana", ts("2026-03-01T00:00:00Z"))
        .unwrap();
    assert_eq!((again.version, again.changed), (1, false));
    let v2 = store
        .save_rubric(&rubric(4.0), "v2", "ana", ts("2026-03-01T00:00:00Z"))
        .unwrap();
    assert_eq!((v2.version, v2.changed), (2, true));
    assert_eq!(store.rubric_versions("service").unwrap().len(), 2);
    // A new review is scored on version 2 (process weighs 4); the old ones
    // keep version 1 and their scores.
    import(
        &mut store,
        &[(
            "on v2",
            [Some(5.0), Some(5.0), Some(1.0), Some(1.0), Some(4.0)],
        )],
        "2026-03-02T10:00:00Z",
    );
    let versions: Vec<(String, i64)> = store
        .qa_reviews(&QaReviewFilter::default())
        .unwrap()
        .into_iter()
        .map(|r| (r.agent.unwrap(), r.rubric_version))
        .collect();
    assert!(versions.contains(&("on v2".into(), 2)), "{versions:?}");
    assert!(versions.contains(&("mixed".into(), 1)), "{versions:?}");
    assert_same(
        &store,
        &[
            ("mixed", (50.0 + 50.0 + 0.0 + 50.0 + 100.0 / 3.0) / 6.0),
            // (100 + 100 + 200 + 4×0 + 100) / 9
            ("on v2", 500.0 / 9.0),
        ],
    );
}
