//! A series' buckets say how much of them the figures cover: a bucket cut
//! by the question's period, or one holding today, is partial, so a page
//! can mark it instead of drawing this week beside whole ones as a collapse.

use jiff::civil::Date;
use metas_service::dashboard::{dashboard, DashboardCache, DashboardRequest};
use metas_service::demo::{generate, DemoOptions};
use metas_service::kpi::{answer, KpiRequest};
use metas_store::Store;

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn demo() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    generate(
        &mut store,
        &DemoOptions {
            seed: 7,
            interactions: 5_000,
            as_of: "2026-06-30".parse().unwrap(),
        },
    )
    .unwrap();
    store
}

#[test]
fn a_bucket_cut_by_the_period_or_holding_today_is_partial() {
    let store = demo();
    // (from, to, today) → (first bucket, partial?, last bucket, partial?, last day counted)
    let cases = [
        // 3 June is a Wednesday; 30 June, today, a Tuesday.
        (
            "2026-06-03",
            "2026-06-30",
            "2026-06-30",
            ("2026-06-01", true),
            ("2026-06-29", true),
            "2026-06-30",
        ),
        // Whole weeks, Monday to Sunday, over before today.
        (
            "2026-06-01",
            "2026-06-28",
            "2026-06-30",
            ("2026-06-01", false),
            ("2026-06-22", false),
            "2026-06-28",
        ),
        // A week ending today is not over either.
        (
            "2026-06-01",
            "2026-06-28",
            "2026-06-28",
            ("2026-06-01", false),
            ("2026-06-22", true),
            "2026-06-28",
        ),
    ];
    for (from, to, today, (first, first_partial), (last, last_partial), last_day) in cases {
        let a = answer(
            &store,
            &KpiRequest {
                kpi: "volume".into(),
                grain: Some("week".into()),
                from: Some(d(from)),
                to: Some(d(to)),
                ..Default::default()
            }
            .parse()
            .unwrap(),
        )
        .unwrap();
        let case = format!("{from}–{to}, today {today}");
        let head = a.coverage(&a.rows[0], d(today)).unwrap();
        let tail = a.coverage(a.rows.last().unwrap(), d(today)).unwrap();
        assert_eq!(
            (head.start, head.partial),
            (d(first), first_partial),
            "{case}"
        );
        assert_eq!(
            (tail.start, tail.partial),
            (d(last), last_partial),
            "{case}"
        );
        assert_eq!(tail.last, d(last_day), "{case}");
        assert_eq!(head.first, d(from).max(d(first)), "{case}");
        // Every bucket between is whole.
        for r in &a.rows[1..a.rows.len() - 1] {
            assert!(!a.coverage(r, d(today)).unwrap().partial, "{case}: {r:?}");
        }
    }
    // A question without a series has no buckets.
    let whole = answer(
        &store,
        &KpiRequest {
            kpi: "volume".into(),
            ..Default::default()
        }
        .parse()
        .unwrap(),
    )
    .unwrap();
    assert_eq!(whole.coverage(&whole.rows[0], d("2026-06-30")), None);
}

#[test]
fn the_dashboards_weeks_start_on_a_monday() {
    let store = demo();
    for days in [7, 30, 90, 365] {
        let data = dashboard(
            &store,
            &DashboardCache::default(),
            &DashboardRequest {
                today: d("2026-06-30"),
                days,
                scope: None,
                user_scope: None,
            },
        )
        .unwrap();
        for weekly in &data.weekly {
            let first = &weekly.rows[0];
            let start = first.period_start().unwrap();
            assert_eq!(start.weekday(), jiff::civil::Weekday::Monday, "{days} days");
            assert!(
                !weekly.coverage(first, d("2026-06-30")).unwrap().partial,
                "{days} days: the first week is whole"
            );
            let last = weekly.rows.last().unwrap();
            assert!(weekly.coverage(last, d("2026-06-30")).unwrap().partial);
        }
    }
}
