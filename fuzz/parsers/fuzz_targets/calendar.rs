#![no_main]

use jiff::Timestamp;
use libfuzzer_sys::fuzz_target;
use metas_domain::calendar::{parse_calendar_file, parse_ical_holidays};

// A business calendar file (TOML), or the iCalendar holidays it names:
// any text gets an answer, and a calendar that loads counts business time
// consistently: never more open time than wall time, and the instant a
// clock reaches N open seconds is one at which N open seconds have passed.
fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.starts_with("BEGIN:") {
        let _ = parse_ical_holidays(text);
        return;
    }
    let Ok(spec) = parse_calendar_file(text, "fuzz.toml", |_| Err("not here".into())) else {
        return;
    };
    let calendar = spec.to_calendar().expect("a spec that was checked converts");
    // Two weeks around the spring DST change in Europe and the US.
    let start: Timestamp = "2024-03-04T00:00:00Z".parse().expect("a timestamp");
    let end: Timestamp = "2024-04-08T00:00:00Z".parse().expect("a timestamp");
    let wall = end.duration_since(start).as_secs_f64();
    let open = calendar.open_secs(start, end);
    assert!((0.0..=wall + 1e-6).contains(&open), "open {open} of {wall}");
    for secs in [0.0, 3600.0, 8.0 * 3600.0, 45.0 * 3600.0] {
        if let Some(due) = calendar.instant_after_open_secs(start, secs, &[]) {
            assert!(due >= start);
            let counted = calendar.open_secs(start, due);
            assert!(
                (counted - secs).abs() < 0.01,
                "{secs} open seconds reached at {due}, where {counted} have passed"
            );
        }
    }
});
