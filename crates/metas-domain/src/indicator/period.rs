//! The period a frequency of review looks at, as of a day: today for a daily
//! indicator, this week (from Monday) for a weekly one, this month, this
//! quarter; and the whole periods before it, oldest first, for the trend.

use jiff::civil::Date;
use jiff::ToSpan;

use super::definition::Frequency;

impl Frequency {
    /// The first day of the period holding `day`.
    pub fn period_start(self, day: Date) -> Date {
        match self {
            Frequency::Daily => day,
            Frequency::Weekly => day
                .checked_sub(i64::from(day.weekday().to_monday_zero_offset()).days())
                .unwrap_or(day),
            Frequency::Monthly => day.first_of_month(),
            Frequency::Quarterly => {
                let month = (day.month() - 1) / 3 * 3 + 1;
                Date::new(day.year(), month, 1).unwrap_or(day)
            }
        }
    }

    /// The first day of the period `back` periods before the one holding
    /// `day` (0: its own).
    pub fn periods_back(self, day: Date, back: i64) -> Date {
        let start = self.period_start(day);
        let earlier = match self {
            Frequency::Daily => start.checked_sub(back.days()),
            Frequency::Weekly => start.checked_sub(back.weeks()),
            Frequency::Monthly => start.checked_sub(back.months()),
            Frequency::Quarterly => start.checked_sub((3 * back).months()),
        };
        earlier.map_or(start, |d| self.period_start(d))
    }

    /// The last day of the period starting on `start`.
    pub fn period_end(self, start: Date) -> Date {
        self.grain().last_day(start).unwrap_or(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_frequency_reviews_its_own_period() {
        use Frequency::*;
        // 2026-12-02 is a Wednesday.
        for (f, day, start, back2, end) in [
            (
                Daily,
                "2026-12-02",
                "2026-12-02",
                "2026-11-30",
                "2026-12-02",
            ),
            (
                Weekly,
                "2026-12-02",
                "2026-11-30",
                "2026-11-16",
                "2026-12-06",
            ),
            (
                Weekly,
                "2026-11-30",
                "2026-11-30",
                "2026-11-16",
                "2026-12-06",
            ),
            (
                Monthly,
                "2026-12-02",
                "2026-12-01",
                "2026-10-01",
                "2026-12-31",
            ),
            (
                Monthly,
                "2026-03-31",
                "2026-03-01",
                "2026-01-01",
                "2026-03-31",
            ),
            (
                Quarterly,
                "2026-12-02",
                "2026-10-01",
                "2026-04-01",
                "2026-12-31",
            ),
            (
                Quarterly,
                "2026-02-15",
                "2026-01-01",
                "2025-07-01",
                "2026-03-31",
            ),
        ] {
            assert_eq!(f.period_start(d(day)), d(start), "{f:?} {day}");
            assert_eq!(f.periods_back(d(day), 2), d(back2), "{f:?} {day} − 2");
            assert_eq!(f.period_end(d(start)), d(end), "{f:?} {start}");
        }
    }
}
