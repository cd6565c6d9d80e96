//! What staffing reads from the store: a queue's calls per UTC quarter-hour
//! (docs/staffing.md), through the public interface.

use jiff::Timestamp;
use metas_domain::segment::SegmentExpr;
use metas_domain::settings::KpiSettings;
use metas_domain::staffing::SlotCounts;
use metas_domain::{Channel, Interaction, InteractionRecord};
use metas_store::prelude::*;
use metas_store::{ArrivalQuery, Store};

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// (id, channel, created, answered, abandoned, queue wait, talk, hold, acw)
type Call = (
    &'static str,
    Channel,
    &'static str,
    Option<bool>,
    Option<bool>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
);

fn store_with(calls: &[Call]) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let mut tx = store.begin_import("t", "test").unwrap();
    for (line, (id, channel, created, answered, abandoned, wait, talk, hold, acw)) in
        calls.iter().enumerate()
    {
        let mut it = Interaction::new((*id).into(), *channel, ts(created));
        it.answered = *answered;
        it.abandoned = *abandoned;
        it.queue_wait_secs = *wait;
        it.talk_secs = *talk;
        it.hold_secs = *hold;
        it.acw_secs = *acw;
        let rec = InteractionRecord {
            interaction: it,
            surveys: vec![],
            customer: None,
        };
        tx.add_interaction(line as u64 + 2, line as i64, &rec)
            .unwrap();
    }
    tx.commit(0).unwrap();
    store
}

const CALLS: &[Call] = &[
    // 10:00 quarter: answered in 12 s (talk 100, hold 20, acw 30), answered
    // in 45 s with talk only, abandoned after 70 s.
    (
        "P1",
        Channel::Phone,
        "2026-03-02T10:00:00Z",
        Some(true),
        Some(false),
        Some(12.0),
        Some(100.0),
        Some(20.0),
        Some(30.0),
    ),
    (
        "P2",
        Channel::Phone,
        "2026-03-02T10:14:59Z",
        Some(true),
        Some(false),
        Some(45.0),
        Some(200.0),
        None,
        None,
    ),
    (
        "P3",
        Channel::Phone,
        "2026-03-02T10:07:00Z",
        Some(false),
        Some(true),
        Some(70.0),
        None,
        None,
        None,
    ),
    // 10:15 quarter: nothing known but the arrival.
    (
        "P4",
        Channel::Phone,
        "2026-03-02T10:15:00Z",
        None,
        None,
        None,
        None,
        None,
        None,
    ),
    // The end of the period: not counted.
    (
        "P5",
        Channel::Phone,
        "2026-03-03T00:00:00Z",
        Some(true),
        Some(false),
        Some(1.0),
        Some(60.0),
        None,
        None,
    ),
    // Not the queue.
    (
        "E1",
        Channel::Email,
        "2026-03-02T10:01:00Z",
        None,
        None,
        None,
        Some(999.0),
        None,
        None,
    ),
];

fn slots(store: &Store, settings: &KpiSettings, segment: &SegmentExpr) -> Vec<SlotCounts> {
    store
        .arrival_slots(&ArrivalQuery {
            settings,
            segment,
            start: ts("2026-03-02T00:00:00Z"),
            end: ts("2026-03-03T00:00:00Z"),
            answer_within_secs: 20.0,
        })
        .unwrap()
}

#[test]
fn calls_are_counted_by_quarter_hour_within_the_period() {
    let store = store_with(CALLS);
    let settings = KpiSettings::default();
    // A vocabulary literal in any spelling: 'Phone' is phone.
    let phone = SegmentExpr::parse("channel = 'Phone'").unwrap();
    let got = slots(&store, &settings, &phone);
    assert_eq!(
        got,
        vec![
            SlotCounts {
                start_epoch_secs: ts("2026-03-02T10:00:00Z").as_second(),
                arrivals: 3,
                offered: 3,
                answered_in_time: 1,
                abandoned: 1,
                // The abandoned call has no handle time; talk + hold + acw,
                // a missing part counting 0.
                handled: 2,
                handle_secs: 150.0 + 200.0,
            },
            SlotCounts {
                start_epoch_secs: ts("2026-03-02T10:15:00Z").as_second(),
                arrivals: 1,
                ..SlotCounts::default()
            },
        ]
    );
    assert_eq!(
        store.arrival_span(&settings, Some(&phone), None).unwrap(),
        Some((ts("2026-03-02T10:00:00Z"), ts("2026-03-03T00:00:00Z")))
    );
    assert_eq!(
        store
            .arrival_span(&settings, Some(&phone), Some(ts("2026-03-02T10:07:00Z")))
            .unwrap(),
        Some((ts("2026-03-02T10:07:00Z"), ts("2026-03-03T00:00:00Z")))
    );
    // Every interaction, without a segment: the e-mail too.
    assert_eq!(
        store
            .arrival_span(&settings, None, Some(ts("2026-03-02T10:00:30Z")))
            .unwrap()
            .map(|(first, _)| first),
        Some(ts("2026-03-02T10:01:00Z"))
    );
    let nothing = SegmentExpr::parse("channel = 'chat'").unwrap();
    assert_eq!(
        store.arrival_span(&settings, Some(&nothing), None).unwrap(),
        None
    );
    assert!(slots(&store, &settings, &nothing).is_empty());
}

#[test]
fn handle_time_follows_the_aht_parts_setting() {
    let store = store_with(CALLS);
    let mut settings = KpiSettings::default();
    settings.set("aht.parts", "talk").unwrap();
    let phone = SegmentExpr::parse("channel = 'phone'").unwrap();
    let first = slots(&store, &settings, &phone)[0];
    assert_eq!(first.handled, 2);
    assert_eq!(first.handle_secs, 100.0 + 200.0);
}
