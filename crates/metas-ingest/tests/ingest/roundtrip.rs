//! Property: any canonical interaction written in the generic CSV layout
//! imports back as the same interaction.

use jiff::Timestamp;
use metas_domain::{
    Channel, Direction, Interaction, InteractionRecord, JourneyStage, Status, SurveyAnswer,
    SurveyKind,
};
use metas_ingest::{import_file, ImportOptions, MappingChoice};
use metas_store::prelude::*;
use metas_store::Store;
use proptest::prelude::*;

fn timestamp() -> impl Strategy<Value = Timestamp> {
    // 2000-01-01 .. 2040-01-01, whole microseconds.
    (946_684_800_000_000i64..2_208_988_800_000_000i64)
        .prop_map(|us| Timestamp::from_microsecond(us).unwrap())
}

fn text() -> impl Strategy<Value = String> {
    // Any printable text, commas, quotes and newlines included, but not blank
    // and without surrounding spaces (cells are trimmed on import).
    "[a-zA-Z0-9][a-zA-Z0-9 ,;\"'\n\t/é漢-]{0,12}[a-zA-Z0-9]".prop_map(|s| s)
}

fn secs() -> impl Strategy<Value = f64> {
    prop_oneof![(0u32..100_000).prop_map(f64::from), (0.0f64..1e6)]
}

fn pick<T: Copy + std::fmt::Debug + 'static>(xs: &'static [T]) -> impl Strategy<Value = T> {
    (0..xs.len()).prop_map(move |i| xs[i])
}

fn interaction(n: usize) -> impl Strategy<Value = InteractionRecord> {
    (
        (
            pick(Channel::ALL),
            timestamp(),
            proptest::option::of(pick(Direction::ALL)),
            proptest::option::of(any::<bool>()),
        ),
        (
            proptest::option::of(0i64..10_000_000),
            proptest::option::of(0i64..10_000_000),
            proptest::option::of(pick(Status::ALL)),
            proptest::option::of(pick(JourneyStage::ALL)),
        ),
        (
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(0i32..50),
        ),
        (
            proptest::option::of(secs()),
            proptest::option::of(secs()),
            proptest::option::of(any::<bool>()),
            proptest::option::of(1u8..=5),
            proptest::option::of(0u8..=10),
        ),
    )
        .prop_map(
            move |(
                (channel, created, direction, automated),
                (frt, res, status, stage),
                (topic, agent, priority, reopens),
                (wait, talk, answered, csat, nps),
            )| {
                let mut i = Interaction::new(format!("R-{n:04}"), channel, created);
                i.direction = direction;
                i.automated = automated;
                i.first_response_at = frt.map(|s| created + jiff::SignedDuration::from_micros(s));
                // Both resolutions or neither: one alone is read as both.
                i.first_resolved_at = res.map(|s| created + jiff::SignedDuration::from_micros(s));
                i.resolved_at = i.first_resolved_at;
                i.status = status;
                i.journey_stage = stage;
                i.topic = topic;
                i.agent = agent;
                i.priority = priority.map(|p| p.to_lowercase());
                i.reopen_count = reopens;
                i.queue_wait_secs = wait;
                i.talk_secs = talk;
                i.answered = answered;
                let mut surveys = Vec::new();
                if let Some(c) = csat {
                    surveys.push(SurveyAnswer {
                        kind: SurveyKind::Csat,
                        score: c as f64,
                        scale_min: 1.0,
                        scale_max: 5.0,
                        answered_at: Some(created),
                        comment: None,
                    });
                }
                if let Some(s) = nps {
                    surveys.push(SurveyAnswer {
                        kind: SurveyKind::Nps,
                        score: s as f64,
                        scale_min: 0.0,
                        scale_max: 10.0,
                        answered_at: Some(created),
                        comment: None,
                    });
                }
                InteractionRecord {
                    interaction: i,
                    surveys,
                    customer: None,
                }
            },
        )
}

fn records() -> impl Strategy<Value = Vec<InteractionRecord>> {
    (1usize..15).prop_flat_map(|len| (0..len).map(interaction).collect::<Vec<_>>())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn generic_csv_round_trips(recs in records()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("canonical.csv");
        {
            let mut w = csv::Writer::from_path(&path).unwrap();
            metas_ingest::generic::write_header(&mut w).unwrap();
            for r in &recs {
                metas_ingest::generic::write_row(&mut w, r).unwrap();
            }
            w.flush().unwrap();
        }
        let mut store = Store::open_in_memory().unwrap();
        let opts = ImportOptions::new(MappingChoice::Preset("generic".into()));
        let report = import_file(&mut store, &path, &opts).unwrap();
        prop_assert_eq!(report.rejected, 0, "{:?}", report.rejects);
        prop_assert_eq!(report.imported as usize, recs.len());
        let back = store.load_interactions("generic").unwrap();
        prop_assert_eq!(back, recs);
    }
}
