//! One stage of one interaction judged against its target.

use jiff::Timestamp;
use serde::Serialize;

use crate::calendar::Calendar;

/// Where a stage stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StageState {
    /// Done within the target.
    Met,
    /// Done late, or not done and already past the target.
    Breached,
    /// Not done, the clock running, still within the target.
    Pending,
    /// Not done, within the target, the clock stopped by a pausing status.
    Paused,
    /// The stage does not concern this interaction (a queue wait for an
    /// e-mail), or it ended before the stage was due and within its target
    /// (a ticket closed before any reply was needed).
    NotApplicable,
    /// The source has no data for this stage: neither met nor missed, and
    /// never counted as either.
    NotMeasurable,
}

impl StageState {
    pub fn as_str(self) -> &'static str {
        match self {
            StageState::Met => "met",
            StageState::Breached => "breached",
            StageState::Pending => "pending",
            StageState::Paused => "paused",
            StageState::NotApplicable => "not_applicable",
            StageState::NotMeasurable => "not_measurable",
        }
    }

    /// Counted in attainment (met / due): met and breached stages only.
    pub fn is_due(self) -> bool {
        matches!(self, StageState::Met | StageState::Breached)
    }
}

/// What the store knows of one stage of one interaction.
#[derive(Debug, Clone, PartialEq)]
pub struct StageClock {
    /// Whether the stage concerns the interaction at all.
    pub applicable: bool,
    /// Whether the source carries the data for this stage.
    pub measurable: bool,
    /// When the clock started (creation, the customer's message, the call
    /// entering the queue…).
    pub start: Option<Timestamp>,
    /// When the stage was done (the response, the resolution…).
    pub done: Option<Timestamp>,
    /// When the interaction ended without the stage being done (closed
    /// without a reply): the clock stops there.
    pub ended: Option<Timestamp>,
    /// Intervals in a pausing status; an open pause ends at `Timestamp::MAX`.
    pub pauses: Vec<(Timestamp, Timestamp)>,
}

impl StageClock {
    /// A stage that started at `start` and was done at `done` (if it was).
    pub fn new(start: Timestamp, done: Option<Timestamp>) -> StageClock {
        StageClock {
            applicable: true,
            measurable: true,
            start: Some(start),
            done,
            ended: None,
            pauses: Vec::new(),
        }
    }
}

/// A stage judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judgement {
    pub state: StageState,
    /// When the target falls due (pauses counted as known at `as_of`).
    pub due_at: Option<Timestamp>,
    /// Counted time from the start to when the stage was done, the
    /// interaction ended or `as_of`.
    pub elapsed_secs: Option<f64>,
    /// Counted time left before the target, while the stage is open.
    pub remaining_secs: Option<f64>,
    /// Open, and past the warning share of its target.
    pub at_risk: bool,
}

impl Judgement {
    fn only(state: StageState) -> Judgement {
        Judgement {
            state,
            due_at: None,
            elapsed_secs: None,
            remaining_secs: None,
            at_risk: false,
        }
    }
}

/// Judges one stage against a target of `target_secs` counted on
/// `calendar` (use [`Calendar::always_open`] for calendar time), as of
/// `as_of`. A stage done after `as_of` is judged as not yet done.
pub fn judge(
    target_secs: f64,
    clock: &StageClock,
    calendar: &Calendar,
    warning: f64,
    as_of: Timestamp,
) -> Judgement {
    if !clock.applicable {
        return Judgement::only(StageState::NotApplicable);
    }
    let start = match clock.start {
        Some(s) if clock.measurable => s,
        _ => return Judgement::only(StageState::NotMeasurable),
    };
    if start > as_of {
        return Judgement::only(StageState::NotApplicable);
    }
    let due_at = calendar.instant_after_open_secs(start, target_secs, &clock.pauses);
    let counted = |end: Timestamp| calendar.open_secs_excluding(start, end, &clock.pauses);
    if let Some(done) = clock.done.filter(|d| *d <= as_of) {
        let elapsed = counted(done);
        return Judgement {
            state: if elapsed <= target_secs {
                StageState::Met
            } else {
                StageState::Breached
            },
            due_at,
            elapsed_secs: Some(elapsed),
            remaining_secs: None,
            at_risk: false,
        };
    }
    if let Some(ended) = clock.ended.filter(|e| *e <= as_of) {
        let elapsed = counted(ended);
        return Judgement {
            state: if elapsed > target_secs {
                StageState::Breached
            } else {
                StageState::NotApplicable
            },
            due_at,
            elapsed_secs: Some(elapsed),
            remaining_secs: None,
            at_risk: false,
        };
    }
    let elapsed = counted(as_of);
    if elapsed > target_secs {
        return Judgement {
            state: StageState::Breached,
            due_at,
            elapsed_secs: Some(elapsed),
            remaining_secs: Some(0.0),
            at_risk: false,
        };
    }
    let paused = clock.pauses.iter().any(|(a, b)| *a <= as_of && as_of < *b);
    Judgement {
        state: if paused {
            StageState::Paused
        } else {
            StageState::Pending
        },
        due_at,
        elapsed_secs: Some(elapsed),
        remaining_secs: Some(target_secs - elapsed),
        at_risk: elapsed >= warning * target_secs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{Calendar, Window};
    use jiff::civil::{date, time, Weekday};
    use jiff::tz::TimeZone;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    /// Madrid, Monday to Friday 09:00–13:00 and 15:00–19:00 (a split
    /// shift), Christmas Day a holiday.
    fn madrid() -> Calendar {
        let day = vec![
            Window::new(time(9, 0, 0, 0), time(13, 0, 0, 0)),
            Window::new(time(15, 0, 0, 0), time(19, 0, 0, 0)),
        ];
        let mut c = Calendar::new(TimeZone::get("Europe/Madrid").unwrap());
        for d in [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
        ] {
            c = c.with_windows(d, day.clone());
        }
        c.with_holiday(date(2025, 12, 25))
    }

    /// Every day 08:00–20:00 in New York (for the DST night).
    fn new_york() -> Calendar {
        let mut c = Calendar::new(TimeZone::get("America/New_York").unwrap());
        for d in [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
            Weekday::Saturday,
            Weekday::Sunday,
        ] {
            c = c.with_windows(d, vec![Window::new(time(8, 0, 0, 0), time(20, 0, 0, 0))]);
        }
        c
    }

    struct Case {
        what: &'static str,
        calendar: fn() -> Calendar,
        target_secs: f64,
        clock: StageClock,
        as_of: &'static str,
        state: StageState,
        due_at: Option<&'static str>,
        elapsed_secs: Option<f64>,
        at_risk: bool,
    }

    fn clock(start: &str, done: Option<&str>) -> StageClock {
        StageClock::new(ts(start), done.map(ts))
    }

    fn with_pause(mut c: StageClock, from: &str, to: Option<&str>) -> StageClock {
        c.pauses
            .push((ts(from), to.map(ts).unwrap_or(Timestamp::MAX)));
        c
    }

    #[test]
    fn stages_are_judged_as_a_service_manager_counts_them() {
        let h = 3600.0;
        let cases = [
            Case {
                what: "calendar time: answered in 50 s of a 60 s target",
                calendar: Calendar::always_open,
                target_secs: 60.0,
                clock: clock("2025-03-03T10:00:00Z", Some("2025-03-03T10:00:50Z")),
                as_of: "2025-03-04T00:00:00Z",
                state: StageState::Met,
                due_at: Some("2025-03-03T10:01:00Z"),
                elapsed_secs: Some(50.0),
                at_risk: false,
            },
            Case {
                what: "calendar time: answered at 61 s",
                calendar: Calendar::always_open,
                target_secs: 60.0,
                clock: clock("2025-03-03T10:00:00Z", Some("2025-03-03T10:01:01Z")),
                as_of: "2025-03-04T00:00:00Z",
                state: StageState::Breached,
                due_at: Some("2025-03-03T10:01:00Z"),
                elapsed_secs: Some(61.0),
                at_risk: false,
            },
            Case {
                what: "across a weekend: Friday 18:00 Madrid + 4 business hours is Monday 12:00",
                calendar: madrid,
                target_secs: 4.0 * h,
                // Friday 7 March 2025 18:00 CET = 17:00Z; answered Monday 11:30 CET.
                clock: clock("2025-03-07T17:00:00Z", Some("2025-03-10T10:30:00Z")),
                as_of: "2025-03-11T00:00:00Z",
                state: StageState::Met,
                due_at: Some("2025-03-10T11:00:00Z"),
                elapsed_secs: Some(3.5 * h),
                at_risk: false,
            },
            Case {
                what: "a split shift: 12:00 + 2 business hours skips lunch to 16:00",
                calendar: madrid,
                target_secs: 2.0 * h,
                // Tuesday 4 March 2025 12:00 CET; answered 16:30 CET.
                clock: clock("2025-03-04T11:00:00Z", Some("2025-03-04T15:30:00Z")),
                as_of: "2025-03-05T00:00:00Z",
                state: StageState::Breached,
                due_at: Some("2025-03-04T15:00:00Z"),
                elapsed_secs: Some(2.5 * h),
                at_risk: false,
            },
            Case {
                what: "a holiday: Wednesday 24 December 18:00 + 2 h is Friday 26 at 10:00",
                calendar: madrid,
                target_secs: 2.0 * h,
                clock: clock("2025-12-24T17:00:00Z", None),
                as_of: "2025-12-25T12:00:00Z",
                state: StageState::Pending,
                due_at: Some("2025-12-26T09:00:00Z"),
                // Only 18:00–19:00 on the 24th has counted: 50 % of the target.
                elapsed_secs: Some(1.0 * h),
                at_risk: false,
            },
            Case {
                what: "the same, now past the 80 % warning",
                calendar: madrid,
                target_secs: 2.0 * h,
                clock: clock("2025-12-24T17:00:00Z", None),
                as_of: "2025-12-26T08:45:00Z",
                state: StageState::Pending,
                due_at: Some("2025-12-26T09:00:00Z"),
                elapsed_secs: Some(1.75 * h),
                at_risk: true,
            },
            Case {
                what: "open and past its target: breached before it is done",
                calendar: Calendar::always_open,
                target_secs: 4.0 * h,
                clock: clock("2025-03-03T08:00:00Z", None),
                as_of: "2025-03-03T13:00:00Z",
                state: StageState::Breached,
                due_at: Some("2025-03-03T12:00:00Z"),
                elapsed_secs: Some(5.0 * h),
                at_risk: false,
            },
            Case {
                what: "a DST night: New York springs forward, the business clock does not jump",
                calendar: new_york,
                target_secs: 2.0 * h,
                // Saturday 8 March 2025 19:00 EST = 9 March 00:00Z; the
                // clocks go forward at 02:00 on Sunday 9 March. One hour
                // counts on Saturday (19–20 EST), one on Sunday (08–09 EDT).
                clock: clock("2025-03-09T00:00:00Z", Some("2025-03-09T13:00:00Z")),
                as_of: "2025-03-10T00:00:00Z",
                state: StageState::Met,
                due_at: Some("2025-03-09T13:00:00Z"),
                elapsed_secs: Some(2.0 * h),
                at_risk: false,
            },
            Case {
                what: "a pause that spans the breach point keeps the stage within target",
                calendar: Calendar::always_open,
                target_secs: 4.0 * h,
                // Waiting on the customer from 11:00 to 15:00: 4 h that do not count.
                clock: with_pause(
                    clock("2025-03-03T08:00:00Z", Some("2025-03-03T15:30:00Z")),
                    "2025-03-03T11:00:00Z",
                    Some("2025-03-03T15:00:00Z"),
                ),
                as_of: "2025-03-04T00:00:00Z",
                state: StageState::Met,
                due_at: Some("2025-03-03T16:00:00Z"),
                elapsed_secs: Some(3.5 * h),
                at_risk: false,
            },
            Case {
                what: "paused now, within target",
                calendar: Calendar::always_open,
                target_secs: 4.0 * h,
                clock: with_pause(
                    clock("2025-03-03T08:00:00Z", None),
                    "2025-03-03T09:00:00Z",
                    None,
                ),
                as_of: "2025-03-03T20:00:00Z",
                state: StageState::Paused,
                due_at: None,
                elapsed_secs: Some(1.0 * h),
                at_risk: false,
            },
            Case {
                what: "closed before a reply was due, within target: not applicable",
                calendar: Calendar::always_open,
                target_secs: 4.0 * h,
                clock: StageClock {
                    ended: Some(ts("2025-03-03T09:00:00Z")),
                    ..clock("2025-03-03T08:00:00Z", None)
                },
                as_of: "2025-03-04T00:00:00Z",
                state: StageState::NotApplicable,
                due_at: Some("2025-03-03T12:00:00Z"),
                elapsed_secs: Some(1.0 * h),
                at_risk: false,
            },
            Case {
                what: "closed without a reply after the target: breached",
                calendar: Calendar::always_open,
                target_secs: 4.0 * h,
                clock: StageClock {
                    ended: Some(ts("2025-03-03T13:00:00Z")),
                    ..clock("2025-03-03T08:00:00Z", None)
                },
                as_of: "2025-03-04T00:00:00Z",
                state: StageState::Breached,
                due_at: Some("2025-03-03T12:00:00Z"),
                elapsed_secs: Some(5.0 * h),
                at_risk: false,
            },
            Case {
                what: "a stage the export has no data for is never met nor missed",
                calendar: Calendar::always_open,
                target_secs: 60.0,
                clock: StageClock {
                    measurable: false,
                    ..clock("2025-03-03T08:00:00Z", None)
                },
                as_of: "2025-03-04T00:00:00Z",
                state: StageState::NotMeasurable,
                due_at: None,
                elapsed_secs: None,
                at_risk: false,
            },
            Case {
                what: "a stage that does not concern the interaction",
                calendar: Calendar::always_open,
                target_secs: 20.0,
                clock: StageClock {
                    applicable: false,
                    ..clock("2025-03-03T08:00:00Z", None)
                },
                as_of: "2025-03-04T00:00:00Z",
                state: StageState::NotApplicable,
                due_at: None,
                elapsed_secs: None,
                at_risk: false,
            },
            Case {
                what: "done after as_of is judged as it stood then",
                calendar: Calendar::always_open,
                target_secs: 4.0 * h,
                clock: clock("2025-03-03T08:00:00Z", Some("2025-03-03T13:00:00Z")),
                as_of: "2025-03-03T11:30:00Z",
                state: StageState::Pending,
                due_at: Some("2025-03-03T12:00:00Z"),
                elapsed_secs: Some(3.5 * h),
                at_risk: true,
            },
        ];
        for c in cases {
            let j = judge(c.target_secs, &c.clock, &(c.calendar)(), 0.8, ts(c.as_of));
            assert_eq!(j.state, c.state, "{}: {j:?}", c.what);
            assert_eq!(j.due_at, c.due_at.map(ts), "{}: due at", c.what);
            assert_eq!(j.elapsed_secs, c.elapsed_secs, "{}: elapsed", c.what);
            assert_eq!(j.at_risk, c.at_risk, "{}: at risk", c.what);
            if let (Some(e), Some(r)) = (j.elapsed_secs, j.remaining_secs) {
                if j.state != StageState::Breached {
                    assert_eq!(e + r, c.target_secs, "{}: remaining", c.what);
                }
            }
        }
    }

    #[test]
    fn the_due_instant_is_where_the_counted_time_reaches_the_target() {
        // Property in a table: for several starts and targets on the split
        // shift calendar, the counted time from start to due equals the target.
        let cal = madrid();
        for start in [
            "2025-03-07T17:00:00Z",
            "2025-03-04T11:00:00Z",
            "2025-12-24T17:00:00Z",
            "2025-03-08T12:00:00Z",
            "2025-10-24T16:30:00Z",
        ] {
            for target in [60.0, 3_600.0, 4.0 * 3_600.0, 30.0 * 3_600.0] {
                let due = cal.instant_after_open_secs(ts(start), target, &[]).unwrap();
                let counted = cal.open_secs(ts(start), due);
                assert!((counted - target).abs() < 1e-6, "{start} + {target}: {due}");
            }
        }
        // A calendar that never opens has no due instant.
        let closed = Calendar::new(TimeZone::UTC);
        assert_eq!(
            closed.instant_after_open_secs(ts("2025-03-03T00:00:00Z"), 60.0, &[]),
            None
        );
    }
}
