//! The KPI queries through the store's public interface: the SQL order
//! statistics agree with `metas_domain::stats`, and literals stay data.

use jiff::Timestamp;
use metas_domain::kpi::{kpi, Stat, TimeBasis};
use metas_domain::segment::{Field, SegmentExpr};
use metas_domain::settings::KpiSettings;
use metas_domain::stats::quantile_rank_interval;
use metas_domain::{Channel, Interaction, InteractionRecord};
use metas_store::prelude::*;
use metas_store::{KpiQuery, Measured, Store};

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// `n` e-mails answered after 1, 2, …, n minutes.
fn store_with_responses(n: u32) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let mut tx = store.begin_import("t", "test").unwrap();
    for i in 1..=n {
        let created = ts("2024-03-01T10:00:00Z");
        let mut it = Interaction::new(format!("E{i}"), Channel::Email, created);
        it.first_response_at = Some(created + jiff::SignedDuration::from_secs(60 * i as i64));
        it.topic = Some(if i % 2 == 0 { "even" } else { "odd" }.into());
        let rec = InteractionRecord {
            interaction: it,
            surveys: vec![],
            customer: None,
        };
        tx.add_interaction(i as u64 + 1, i as i64, &rec).unwrap();
    }
    tx.commit(0).unwrap();
    store
}

fn query<'a>(
    settings: &'a KpiSettings,
    stat: Stat,
    segment: Option<&'a SegmentExpr>,
    by: &'a [Field],
) -> KpiQuery<'a> {
    KpiQuery {
        kpi: kpi("frt").unwrap(),
        settings,
        segment,
        by,
        grain: None,
        from: None,
        to: None,
        stat,
        time: TimeBasis::Calendar,
        confidence: 0.95,
    }
}

#[test]
fn median_interval_is_the_order_statistics_of_the_domain_ranks() {
    let settings = KpiSettings::default();
    for n in [3u32, 10, 57, 100] {
        let store = store_with_responses(n);
        for (stat, p) in [(Stat::Median, 0.5), (Stat::P90, 0.9)] {
            let rows = store.kpi_rows(&query(&settings, stat, None, &[])).unwrap();
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].n, n as u64);
            let (lo, hi) = quantile_rank_interval(n as u64, p, 0.95).unwrap();
            // The k-th smallest response is k minutes.
            match &rows[0].measured {
                Measured::Quantile { value, low, high } => {
                    assert_eq!(*low, Some(60.0 * lo as f64), "n {n} p {p}");
                    assert_eq!(*high, Some(60.0 * hi as f64), "n {n} p {p}");
                    // Interpolated quantile: 1 + p·(n − 1) minutes.
                    let want = 60.0 * (1.0 + p * (n as f64 - 1.0));
                    assert!(
                        (value.unwrap() - want).abs() < 1e-6,
                        "n {n} p {p}: {value:?} vs {want}"
                    );
                }
                other => panic!("{other:?}"),
            }
        }
    }
}

#[test]
fn segment_literals_are_data_not_sql() {
    let settings = KpiSettings::default();
    let store = store_with_responses(10);
    let seg = SegmentExpr::parse("topic = 'odd'' OR 1=1 --'").unwrap();
    let rows = store
        .kpi_rows(&query(&settings, Stat::Mean, Some(&seg), &[]))
        .unwrap();
    assert_eq!(
        rows[0].n, 0,
        "the quote is part of the value, not of the SQL"
    );
    let seg = SegmentExpr::parse("topic = 'odd'").unwrap();
    let by = [Field::parse("topic").unwrap()];
    let rows = store
        .kpi_rows(&query(&settings, Stat::Mean, Some(&seg), &by))
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].n, 5);
    // 1, 3, 5, 7, 9 minutes: mean 5 minutes.
    match rows[0].measured {
        Measured::Mean { sum, .. } => assert!((sum / 5.0 - 300.0).abs() < 1e-9),
        ref other => panic!("{other:?}"),
    }
}

#[test]
fn the_data_version_moves_with_imports_settings_and_calendars() {
    let mut store = store_with_responses(3);
    let v1 = store.data_version().unwrap();
    assert_eq!(
        store.data_version().unwrap(),
        v1,
        "stable while nothing changes"
    );
    store.put_setting("csat.threshold", Some("5")).unwrap();
    let v2 = store.data_version().unwrap();
    assert_ne!(v2, v1, "a setting");
    let mut tx = store.begin_import("t", "again").unwrap();
    let rec = InteractionRecord {
        interaction: Interaction::new("X1".into(), Channel::Chat, ts("2024-03-02T10:00:00Z")),
        surveys: vec![],
        customer: None,
    };
    tx.add_interaction(2, 99, &rec).unwrap();
    tx.commit(0).unwrap();
    assert_ne!(store.data_version().unwrap(), v2, "an import");
}
