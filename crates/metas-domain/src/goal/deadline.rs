//! Deadline expressions ("20 November", "end of fiscal year", "in the next two
//! months") resolved to a date against an explicit "today" (`as_of`) and the
//! organisation's fiscal-year start month.
//!
//! Rules, chosen so that the same text and `as_of` always give the same date:
//! - A day and month without a year means the next such date *strictly after*
//!   `as_of`: "20 November" read on 20 November means next year's, because a
//!   deadline of today leaves no time to act. "29 February" without a year is
//!   the next 29 February that exists.
//! - "end of month / quarter / year / fiscal year" is the last day of the
//!   period that contains `as_of` (which may be `as_of` itself on the last day).
//! - "start of next month / quarter / year / fiscal year" is the first day of
//!   the following period. Quarters are calendar quarters (Jan, Apr, Jul, Oct);
//!   the fiscal year starts on day 1 of the fiscal start month.
//! - "in N days / weeks / months / years" (also "within", "in the next") is
//!   `as_of` plus that span; adding months keeps the day of the month, or the
//!   month's last day when it has fewer (31 January + 1 month = 28 February).
//! - Case does not matter; a leading "by", the words "the" and "this", commas
//!   and a final full stop are ignored.

use jiff::civil::Date;
use jiff::{Span, ToSpan};
use serde::Serialize;

/// The forms understood, in one sentence; shown with every unknown expression.
pub const UNDERSTOOD_FORMS: &str =
    "an ISO date (2026-12-31), a day and month with or without a year \
(20 November, November 20, 20 November 2027), end of month, end of quarter, end of year, \
end of fiscal year, start of next month, start of next quarter, start of next year, \
start of next fiscal year, or a span from today (in two months, in the next two months, \
within two weeks, in 10 days)";

/// Why a deadline expression could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    #[error("'{text}' is not a deadline metas understands; write {UNDERSTOOD_FORMS}")]
    Unknown { text: String },
    #[error("'{text}' is not a day on the calendar")]
    NoSuchDay { text: String },
    #[error("the fiscal year start month must be between 1 and 12, not {month}")]
    FiscalStartMonth { month: u8 },
    #[error("'{text}' lies outside the calendar metas can handle")]
    OutOfRange { text: String },
}

/// The unit of a span deadline ("in two weeks").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanUnit {
    Days,
    Weeks,
    Months,
    Years,
}

/// A calendar period a deadline can end in or start after.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Month,
    Quarter,
    Year,
    FiscalYear,
}

/// A deadline expression, read but not yet resolved against a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "form")]
pub enum Deadline {
    /// A full date.
    On { date: Date },
    /// A day and month with no year: the next one after `as_of`.
    NextDayOfMonth { month: i8, day: i8 },
    /// The last day of the period containing `as_of`.
    EndOf { period: Period },
    /// The first day of the period after the one containing `as_of`.
    StartOfNext { period: Period },
    /// `as_of` plus a span.
    In { count: u32, unit: SpanUnit },
}

impl Deadline {
    /// Reads and resolves `text` in one step (what the CLI's `--deadline` does).
    pub fn parse(text: &str, as_of: Date, fiscal_start_month: u8) -> Result<Date, DeadlineError> {
        Deadline::read(text)?.resolve(text, as_of, fiscal_start_month)
    }

    /// Reads an expression without resolving it.
    pub fn read(text: &str) -> Result<Deadline, DeadlineError> {
        let unknown = || DeadlineError::Unknown {
            text: text.trim().to_string(),
        };
        let lowered = text
            .trim()
            .trim_end_matches('.')
            .to_lowercase()
            .replace(',', " ");
        let mut words: Vec<&str> = lowered
            .split_whitespace()
            .filter(|w| *w != "the" && *w != "this")
            .collect();
        if words.first() == Some(&"by") {
            words.remove(0);
        }
        if words.is_empty() {
            return Err(unknown());
        }
        if let [one] = words.as_slice() {
            if let Ok(date) = one.parse::<Date>() {
                return Ok(Deadline::On { date });
            }
        }
        if let Some(d) = read_day_month(&words, text)? {
            return Ok(d);
        }
        if let Some(d) = read_period(&words) {
            return Ok(d);
        }
        if let Some(d) = read_span(&words) {
            return Ok(d);
        }
        Err(unknown())
    }

    /// The date this expression means when read on `as_of`. `text` is only
    /// used in error messages.
    pub fn resolve(
        self,
        text: &str,
        as_of: Date,
        fiscal_start_month: u8,
    ) -> Result<Date, DeadlineError> {
        if !(1..=12).contains(&fiscal_start_month) {
            return Err(DeadlineError::FiscalStartMonth {
                month: fiscal_start_month,
            });
        }
        let out_of_range = || DeadlineError::OutOfRange {
            text: text.trim().to_string(),
        };
        let add = |date: Date, span: Span| date.checked_add(span).map_err(|_| out_of_range());
        match self {
            Deadline::On { date } => Ok(date),
            Deadline::NextDayOfMonth { month, day } => {
                // Up to 8 years ahead covers 29 February across a century
                // year that is not a leap year (e.g. 2096 → 2104).
                (as_of.year()..=as_of.year().saturating_add(8))
                    .filter_map(|y| Date::new(y, month, day).ok())
                    .find(|d| *d > as_of)
                    .ok_or_else(out_of_range)
            }
            Deadline::EndOf { period } => {
                let start = period_start(period, as_of, fiscal_start_month)?;
                let next = add(start, period_length(period))?;
                next.yesterday().map_err(|_| out_of_range())
            }
            Deadline::StartOfNext { period } => {
                let start = period_start(period, as_of, fiscal_start_month)?;
                add(start, period_length(period))
            }
            Deadline::In { count, unit } => {
                let n = i64::from(count);
                let span = match unit {
                    SpanUnit::Days => n.days(),
                    SpanUnit::Weeks => n.weeks(),
                    SpanUnit::Months => n.months(),
                    SpanUnit::Years => n.years(),
                };
                add(as_of, span)
            }
        }
    }
}

/// The first day of the `period` that contains `date`.
fn period_start(period: Period, date: Date, fiscal_start_month: u8) -> Result<Date, DeadlineError> {
    let (y, m) = (date.year(), date.month());
    let first = match period {
        Period::Month => Date::new(y, m, 1),
        Period::Quarter => Date::new(y, (m - 1) / 3 * 3 + 1, 1),
        Period::Year => Date::new(y, 1, 1),
        Period::FiscalYear => {
            let fm = fiscal_start_month as i8;
            // Before the start month we are still in the fiscal year that
            // began last calendar year.
            Date::new(if m >= fm { y } else { y - 1 }, fm, 1)
        }
    };
    first.map_err(|_| DeadlineError::OutOfRange {
        text: date.to_string(),
    })
}

fn period_length(period: Period) -> Span {
    match period {
        Period::Month => 1.month(),
        Period::Quarter => 3.months(),
        Period::Year | Period::FiscalYear => 1.year(),
    }
}

fn month_number(word: &str) -> Option<i8> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = word.trim_end_matches('.');
    MONTHS
        .iter()
        // Full names, or abbreviations of three letters or more ("nov", "sept").
        .position(|m| word.len() >= 3 && m.starts_with(word))
        .map(|i| i as i8 + 1)
}

/// "20", "20th", "1st" → the day number.
fn day_number(word: &str) -> Option<i8> {
    let digits = word
        .strip_suffix("st")
        .or_else(|| word.strip_suffix("nd"))
        .or_else(|| word.strip_suffix("rd"))
        .or_else(|| word.strip_suffix("th"))
        .unwrap_or(word);
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn year_number(word: &str) -> Option<i16> {
    if word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()) {
        word.parse().ok()
    } else {
        None
    }
}

/// "20 November", "November 20", "20 November 2027", "November 20 2027",
/// "20th of November".
fn read_day_month(words: &[&str], text: &str) -> Result<Option<Deadline>, DeadlineError> {
    let words: Vec<&str> = words.iter().copied().filter(|w| *w != "of").collect();
    let (day, month, year) = match words.as_slice() {
        [a, b] | [a, b, _] => {
            let dm = day_number(a).zip(month_number(b));
            let md = month_number(a).zip(day_number(b)).map(|(m, d)| (d, m));
            match dm.or(md) {
                Some((d, m)) => {
                    let year = match words.get(2) {
                        None => None,
                        Some(y) => match year_number(y) {
                            Some(y) => Some(y),
                            None => return Ok(None),
                        },
                    };
                    (d, m, year)
                }
                None => return Ok(None),
            }
        }
        _ => return Ok(None),
    };
    let no_such_day = || DeadlineError::NoSuchDay {
        text: text.trim().to_string(),
    };
    match year {
        Some(y) => Date::new(y, month, day)
            .map(|date| Some(Deadline::On { date }))
            .map_err(|_| no_such_day()),
        None => {
            // 29 February exists in leap years; 31 November never does.
            Date::new(2000, month, day).map_err(|_| no_such_day())?;
            Ok(Some(Deadline::NextDayOfMonth { month, day }))
        }
    }
}

fn period_word(words: &[&str]) -> Option<Period> {
    match words {
        ["month"] => Some(Period::Month),
        ["quarter"] => Some(Period::Quarter),
        ["year"] | ["calendar", "year"] => Some(Period::Year),
        ["fiscal", "year"] | ["financial", "year"] | ["fy"] => Some(Period::FiscalYear),
        _ => None,
    }
}

/// "end of quarter", "start of next quarter", "beginning of next month".
fn read_period(words: &[&str]) -> Option<Deadline> {
    match words {
        ["end", "of", rest @ ..] => period_word(rest).map(|period| Deadline::EndOf { period }),
        ["start" | "beginning", "of", "next", rest @ ..] => {
            period_word(rest).map(|period| Deadline::StartOfNext { period })
        }
        _ => None,
    }
}

fn count_number(word: &str) -> Option<u32> {
    const WORDS: [&str; 12] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    if word == "a" || word == "an" {
        return Some(1);
    }
    if let Some(i) = WORDS.iter().position(|w| *w == word) {
        return Some(i as u32 + 1);
    }
    if word.len() <= 4 && word.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse().ok().filter(|n| *n > 0);
    }
    None
}

fn span_unit(word: &str) -> Option<SpanUnit> {
    match word {
        "day" | "days" => Some(SpanUnit::Days),
        "week" | "weeks" => Some(SpanUnit::Weeks),
        "month" | "months" => Some(SpanUnit::Months),
        "year" | "years" => Some(SpanUnit::Years),
        _ => None,
    }
}

/// "in two months", "in the next two months", "within two weeks",
/// "within the next 10 days", "in a month".
fn read_span(words: &[&str]) -> Option<Deadline> {
    let rest = match words {
        ["in" | "within", "next", rest @ ..] => rest,
        ["in" | "within", rest @ ..] => rest,
        _ => return None,
    };
    match rest {
        [n, unit] => Some(Deadline::In {
            count: count_number(n)?,
            unit: span_unit(unit)?,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn expressions_resolve_against_as_of_and_fiscal_start() {
        let nov22 = date(2026, 11, 22);
        #[rustfmt::skip]
        let table: &[(&str, Date, u8, Date)] = &[
            // ISO dates and "by" / case tolerance
            ("2026-12-31", nov22, 1, date(2026, 12, 31)),
            ("by 2027-02-01", nov22, 1, date(2027, 2, 1)),
            // day and month without a year: the next one strictly after as_of
            ("20 November", nov22, 1, date(2027, 11, 20)),
            ("November 20", nov22, 1, date(2027, 11, 20)),
            ("by 20 November", date(2026, 11, 19), 1, date(2026, 11, 20)),
            ("20 November", date(2026, 11, 20), 1, date(2027, 11, 20)), // today → next year
            ("8 June", nov22, 1, date(2027, 6, 8)),
            ("8 June", date(2027, 1, 10), 1, date(2027, 6, 8)),
            ("31 December", nov22, 1, date(2026, 12, 31)),
            ("by 31 December", date(2026, 12, 31), 1, date(2027, 12, 31)),
            ("20th of November", nov22, 1, date(2027, 11, 20)),
            ("1 Jan", nov22, 1, date(2027, 1, 1)),
            ("20 November 2027", nov22, 1, date(2027, 11, 20)),
            ("November 20, 2027", nov22, 1, date(2027, 11, 20)),
            // leap years
            ("29 February", nov22, 1, date(2028, 2, 29)),
            ("29 February", date(2028, 2, 28), 1, date(2028, 2, 29)),
            ("29 February", date(2028, 2, 29), 1, date(2032, 2, 29)),
            ("29 February 2028", nov22, 1, date(2028, 2, 29)),
            // fiscal year: April start and January start
            ("end of fiscal year", nov22, 4, date(2027, 3, 31)),
            ("by the end of the fiscal year", nov22, 4, date(2027, 3, 31)),
            ("End of the Fiscal Year.", nov22, 1, date(2026, 12, 31)),
            ("end of fiscal year", date(2027, 3, 31), 4, date(2027, 3, 31)),
            ("end of fiscal year", date(2027, 4, 1), 4, date(2028, 3, 31)),
            ("end of fiscal year", date(2027, 1, 15), 7, date(2027, 6, 30)),
            ("end of fiscal year", date(2027, 12, 1), 7, date(2028, 6, 30)),
            ("start of next fiscal year", nov22, 4, date(2027, 4, 1)),
            ("start of next fiscal year", date(2027, 5, 1), 4, date(2028, 4, 1)),
            ("start of next fiscal year", nov22, 1, date(2027, 1, 1)),
            // calendar periods
            ("end of year", nov22, 4, date(2026, 12, 31)),
            ("end of quarter", nov22, 1, date(2026, 12, 31)),
            ("end of quarter", date(2026, 2, 3), 1, date(2026, 3, 31)),
            ("end of the quarter", date(2026, 5, 31), 1, date(2026, 6, 30)),
            ("end of month", date(2028, 2, 10), 1, date(2028, 2, 29)),
            ("end of month", date(2027, 2, 10), 1, date(2027, 2, 28)),
            ("end of this month", date(2027, 4, 30), 1, date(2027, 4, 30)),
            ("start of next quarter", nov22, 1, date(2027, 1, 1)),
            ("by the start of next quarter", date(2026, 5, 15), 4, date(2026, 7, 1)),
            ("the start of next quarter", date(2026, 9, 30), 1, date(2026, 10, 1)),
            ("start of next month", date(2026, 12, 31), 1, date(2027, 1, 1)),
            ("beginning of next month", date(2026, 1, 31), 1, date(2026, 2, 1)),
            ("start of next year", nov22, 4, date(2027, 1, 1)),
            // spans
            ("in the next two months", nov22, 1, date(2027, 1, 22)),
            ("in two months", date(2026, 12, 31), 1, date(2027, 2, 28)),
            ("in two months", date(2027, 12, 31), 1, date(2028, 2, 29)),
            ("within two weeks", nov22, 1, date(2026, 12, 6)),
            ("within the next 2 weeks", nov22, 1, date(2026, 12, 6)),
            ("in 3 weeks", date(2026, 12, 20), 1, date(2027, 1, 10)),
            ("in 10 days", date(2028, 2, 25), 1, date(2028, 3, 6)),
            ("in 10 days", date(2027, 2, 25), 1, date(2027, 3, 7)),
            ("in a month", date(2026, 1, 31), 1, date(2026, 2, 28)),
            ("in twelve months", nov22, 1, date(2027, 11, 22)),
            ("in one year", date(2028, 2, 29), 1, date(2029, 2, 28)),
        ];
        for (text, as_of, fsm, want) in table {
            let got = Deadline::parse(text, *as_of, *fsm);
            assert_eq!(
                got,
                Ok(*want),
                "'{text}' as of {as_of} (fiscal start {fsm})"
            );
        }
    }

    #[test]
    fn unknown_expressions_list_the_understood_forms() {
        let as_of = date(2026, 11, 22);
        for text in [
            "",
            "soon",
            "end of decade",
            "in zero days",
            "in 0 days",
            "in two fortnights",
            "20 Novembre",
            "start of quarter",
            "November 20 next",
        ] {
            let err = Deadline::parse(text, as_of, 1).unwrap_err();
            assert!(
                matches!(err, DeadlineError::Unknown { .. }),
                "{text}: {err:?}"
            );
            let message = err.to_string();
            assert!(
                message.contains("not a deadline metas understands"),
                "{message}"
            );
            assert!(message.contains("end of fiscal year"), "{message}");
            assert!(message.contains("within two weeks"), "{message}");
            assert!(!message.contains('\n'));
        }
    }

    #[test]
    fn impossible_days_and_settings_are_refused() {
        let as_of = date(2026, 11, 22);
        for text in [
            "31 November",
            "30 February",
            "29 February 2027",
            "2026-02-30",
        ] {
            let err = Deadline::parse(text, as_of, 1).unwrap_err();
            // An ISO string that is not a real date is not read as a date at all.
            assert!(
                matches!(
                    err,
                    DeadlineError::NoSuchDay { .. } | DeadlineError::Unknown { .. }
                ),
                "{text}: {err:?}"
            );
        }
        assert_eq!(
            Deadline::parse("31 November", as_of, 1),
            Err(DeadlineError::NoSuchDay {
                text: "31 November".into()
            })
        );
        assert_eq!(
            Deadline::parse("end of fiscal year", as_of, 13),
            Err(DeadlineError::FiscalStartMonth { month: 13 })
        );
    }

    #[test]
    fn expressions_are_read_into_forms() {
        assert_eq!(
            Deadline::read("by the end of the fiscal year"),
            Ok(Deadline::EndOf {
                period: Period::FiscalYear
            })
        );
        assert_eq!(
            Deadline::read("In The Next Two Months"),
            Ok(Deadline::In {
                count: 2,
                unit: SpanUnit::Months
            })
        );
        assert_eq!(
            Deadline::read("8 june"),
            Ok(Deadline::NextDayOfMonth { month: 6, day: 8 })
        );
    }
}
