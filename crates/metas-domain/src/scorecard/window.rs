//! The months a scorecard shows: the current month from its first day to
//! the as-of date, then the three full months before it, oldest first. A
//! month that ends before the agent's first activity has no data (never
//! zero); an agent with no activity at all has none in any month.

use jiff::civil::Date;
use jiff::ToSpan;
use serde::Serialize;

/// One column of a scorecard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Month {
    /// The month's first day.
    pub start: Date,
    /// Its last day counted: the month's last day, or the as-of date for
    /// the current month.
    pub end: Date,
    /// The month the as-of date falls in (counted to that date only).
    pub current: bool,
    /// Whether the agent was active by then: `false` shows "no data".
    pub active: bool,
}

/// The four months of a scorecard as of `as_of`, oldest first.
/// `first_activity` is the agent's first interaction, survey or review
/// (none: the agent has no data at all).
pub fn months(as_of: Date, first_activity: Option<Date>) -> Vec<Month> {
    let first_of = |d: Date| d.first_of_month();
    let current = first_of(as_of);
    let mut out = Vec::with_capacity(4);
    for back in (0..4i64).rev() {
        let start = current
            .checked_sub(back.months())
            .unwrap_or(current)
            .first_of_month();
        let end = if back == 0 {
            as_of
        } else {
            start.last_of_month()
        };
        out.push(Month {
            start,
            end,
            current: back == 0,
            active: first_activity.is_some_and(|f| f <= end),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    /// as-of, first activity → (start, end, active) of each month, oldest first.
    #[test]
    fn the_months_of_a_scorecard() {
        type Case = (Date, Option<Date>, [(Date, Date, bool); 4]);
        let cases: [Case; 5] = [
            // The last day of a month: it is the current month, counted whole.
            (
                date(2026, 11, 30),
                Some(date(2025, 1, 1)),
                [
                    (date(2026, 8, 1), date(2026, 8, 31), true),
                    (date(2026, 9, 1), date(2026, 9, 30), true),
                    (date(2026, 10, 1), date(2026, 10, 31), true),
                    (date(2026, 11, 1), date(2026, 11, 30), true),
                ],
            ),
            // The first day of a month: one day of it, and the year before.
            (
                date(2026, 1, 1),
                Some(date(2025, 1, 1)),
                [
                    (date(2025, 10, 1), date(2025, 10, 31), true),
                    (date(2025, 11, 1), date(2025, 11, 30), true),
                    (date(2025, 12, 1), date(2025, 12, 31), true),
                    (date(2026, 1, 1), date(2026, 1, 1), true),
                ],
            ),
            // February of a leap year, from the end of May.
            (
                date(2024, 5, 31),
                Some(date(2020, 1, 1)),
                [
                    (date(2024, 2, 1), date(2024, 2, 29), true),
                    (date(2024, 3, 1), date(2024, 3, 31), true),
                    (date(2024, 4, 1), date(2024, 4, 30), true),
                    (date(2024, 5, 1), date(2024, 5, 31), true),
                ],
            ),
            // Joined two months ago (15 October, as of 1 December): August
            // and September say "no data".
            (
                date(2026, 12, 1),
                Some(date(2026, 10, 15)),
                [
                    (date(2026, 9, 1), date(2026, 9, 30), false),
                    (date(2026, 10, 1), date(2026, 10, 31), true),
                    (date(2026, 11, 1), date(2026, 11, 30), true),
                    (date(2026, 12, 1), date(2026, 12, 1), true),
                ],
            ),
            // No activity at all: no month has data.
            (
                date(2026, 12, 1),
                None,
                [
                    (date(2026, 9, 1), date(2026, 9, 30), false),
                    (date(2026, 10, 1), date(2026, 10, 31), false),
                    (date(2026, 11, 1), date(2026, 11, 30), false),
                    (date(2026, 12, 1), date(2026, 12, 1), false),
                ],
            ),
        ];
        for (as_of, first, want) in cases {
            let got: Vec<(Date, Date, bool)> = months(as_of, first)
                .iter()
                .map(|m| (m.start, m.end, m.active))
                .collect();
            assert_eq!(got, want.to_vec(), "as of {as_of}, first {first:?}");
            assert!(months(as_of, first)[3].current);
        }
    }
}
