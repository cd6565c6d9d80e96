//! A dashboard answers several KPIs with one scan per kind of record; each
//! must equal the KPI asked on its own.

use metas_service::demo::{generate, DemoOptions};
use metas_service::kpi::{answer, answer_many, KpiRequest};
use metas_store::Store;

#[test]
fn a_dashboard_equals_its_kpis_asked_one_by_one() {
    let mut store = Store::open_in_memory().unwrap();
    generate(
        &mut store,
        &DemoOptions {
            seed: 7,
            interactions: 20_000,
            as_of: "2026-06-30".parse().unwrap(),
        },
    )
    .unwrap();
    let kpis = [
        "volume",
        "frt",
        "resolution_time",
        "csat",
        "csat_avg",
        "nps",
        "ces",
        "fcr",
        "aht",
        "answer_rate",
        "repeat_contact_rate",
        "qa_score",
    ];
    for (by, grain, segment) in [
        (vec!["channel".to_string()], Some("month".to_string()), None),
        (
            vec![],
            None,
            Some("customer.age between 30 and 60".to_string()),
        ),
        (
            vec!["team".to_string()],
            None,
            Some("channel in ('email', 'chat')".to_string()),
        ),
    ] {
        let reqs: Vec<_> = kpis
            .iter()
            .map(|k| {
                KpiRequest {
                    kpi: k.to_string(),
                    by: by.clone(),
                    grain: grain.clone(),
                    segment: segment.clone(),
                    ..Default::default()
                }
                .parse()
                .unwrap()
            })
            .collect();
        let together = answer_many(&store, &reqs).unwrap();
        for (req, got) in reqs.iter().zip(&together) {
            let alone = answer(&store, req).unwrap();
            assert!(!alone.rows.is_empty(), "{}: no rows", req.kpi.id);
            assert_eq!(
                got.rows.len(),
                alone.rows.len(),
                "{} {by:?} {segment:?}",
                req.kpi.id
            );
            for (a, b) in got.rows.iter().zip(&alone.rows) {
                assert_eq!(a.dims, b.dims, "{}", req.kpi.id);
                assert_eq!(a.period, b.period, "{}", req.kpi.id);
                assert_eq!(a.figure.n, b.figure.n, "{} {:?}", req.kpi.id, a.dims);
                match (a.figure.value, b.figure.value) {
                    (Some(x), Some(y)) => assert!(
                        (x - y).abs() <= 1e-9 * x.abs().max(1.0),
                        "{} {:?}: {x} vs {y}",
                        req.kpi.id,
                        a.dims
                    ),
                    (x, y) => assert_eq!(x, y, "{}", req.kpi.id),
                }
            }
        }
    }
}
