//! The parts of an action plan (R-ACTION-PLAN), parsed once at the edge:
//! one objective in plain words, the expected level on the criterion's own
//! scale, a time frame that ends after the start, the examples and the
//! metrics expected to follow.

use jiff::civil::Date;
use jiff::{Span, ToSpan};
use serde::Serialize;

/// Why a plan's part was refused; each message names the part.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error("the objective is empty: say in plain words what the agent should do")]
    EmptyObjective,
    #[error("the expected level {level} is outside the criterion's scale {min}–{max}")]
    LevelOutsideScale { level: f64, min: f64, max: f64 },
    #[error("'{text}' is not a time frame: write 2w, 14d, 1m, two weeks or a month")]
    BadTimeFrame { text: String },
    #[error("the time frame ends on {due}, not after the start {start}")]
    DeadlineNotAfterStart { start: Date, due: Date },
    #[error("session date {date} is outside the plan's time frame {start} to {due}")]
    SessionOutside { date: Date, start: Date, due: Date },
    #[error("the plan has no session date: give at least one between {start} and {due}")]
    NoSession { start: Date, due: Date },
    #[error("'{text}' is not a session rhythm: write weekly or biweekly")]
    BadRhythm { text: String },
    #[error("example {position}: {reason}")]
    BadExample { position: usize, reason: String },
}

/// The expected level on the criterion's scale.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Level {
    pub value: f64,
    pub scale_min: f64,
    pub scale_max: f64,
}

impl Level {
    pub fn parse(value: f64, scale_min: f64, scale_max: f64) -> Result<Level, PlanError> {
        if !value.is_finite() || value < scale_min || value > scale_max {
            return Err(PlanError::LevelOutsideScale {
                level: value,
                min: scale_min,
                max: scale_max,
            });
        }
        Ok(Level {
            value,
            scale_min,
            scale_max,
        })
    }
}

/// A time frame: how long the plan runs from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TimeFrame {
    pub days: i64,
    pub months: i64,
}

fn number_word(w: &str) -> Option<i64> {
    let words = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    match w {
        "a" | "an" => Some(1),
        _ => words
            .iter()
            .position(|x| *x == w)
            .map(|p| p as i64)
            .or_else(|| w.parse().ok()),
    }
}

impl TimeFrame {
    /// Reads `2w`, `14d`, `1m`, `2 weeks`, `two weeks`, `within a month`.
    pub fn parse(text: &str) -> Result<TimeFrame, PlanError> {
        let bad = || PlanError::BadTimeFrame {
            text: text.to_string(),
        };
        let t = text.trim().to_lowercase();
        let t = t.strip_prefix("within").unwrap_or(&t).trim().to_string();
        let split = t
            .find(|c: char| !c.is_ascii_digit())
            .filter(|&i| i > 0 && !t.contains(' '));
        let (n, unit) = match split {
            Some(i) => (
                t[..i].parse::<i64>().map_err(|_| bad())?,
                t[i..].to_string(),
            ),
            None => {
                let mut parts = t.split_whitespace();
                let n = parts.next().and_then(number_word).ok_or_else(bad)?;
                let unit = parts.next().ok_or_else(bad)?.to_string();
                if parts.next().is_some() {
                    return Err(bad());
                }
                (n, unit)
            }
        };
        if n <= 0 || n > 366 {
            return Err(bad());
        }
        match unit.as_str() {
            "d" | "day" | "days" => Ok(TimeFrame { days: n, months: 0 }),
            "w" | "week" | "weeks" => Ok(TimeFrame {
                days: n * 7,
                months: 0,
            }),
            "m" | "month" | "months" => Ok(TimeFrame { days: 0, months: n }),
            _ => Err(bad()),
        }
    }

    /// The last day of the plan started on `start`.
    pub fn deadline(self, start: Date) -> Result<Date, PlanError> {
        let span: Span = self.days.days().months(self.months);
        let due = start
            .checked_add(span)
            .map_err(|_| PlanError::BadTimeFrame {
                text: format!("{} days {} months", self.days, self.months),
            })?;
        if due <= start {
            return Err(PlanError::DeadlineNotAfterStart { start, due });
        }
        Ok(due)
    }
}

/// Whether an example shows the behaviour done well or the gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExampleKind {
    /// The behaviour is missing (a low rating).
    Gap,
    /// The behaviour done well (a rating at or above the expected level).
    Good,
}

impl ExampleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ExampleKind::Gap => "gap",
            ExampleKind::Good => "good",
        }
    }

    pub fn parse(text: &str) -> Option<ExampleKind> {
        match text {
            "gap" => Some(ExampleKind::Gap),
            "good" => Some(ExampleKind::Good),
            _ => None,
        }
    }

    /// A rating below the expected level shows the gap.
    pub fn of(rating: Option<f64>, level: f64) -> ExampleKind {
        match rating {
            Some(r) if r >= level => ExampleKind::Good,
            _ => ExampleKind::Gap,
        }
    }
}

/// An example: an interaction, and what the reviewer saw (kept as a
/// snapshot, so the printed plan does not change later).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    pub interaction_id: String,
    pub kind: ExampleKind,
    pub occurred_at: Option<jiff::Timestamp>,
    pub rating: Option<f64>,
    pub quote: String,
}

/// A plan's parts, valid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanParts {
    pub objective: String,
    pub level: Level,
    pub starts_on: Date,
    pub due_on: Date,
    pub sessions: Vec<Date>,
    pub examples: Vec<Example>,
    pub metrics_expected: Vec<String>,
}

impl PlanParts {
    /// Checks every part: a non-empty objective, the level inside the scale,
    /// a deadline after the start, sessions inside the time frame (at least
    /// one; sorted, each date once), examples with an interaction.
    pub fn parse(
        objective: &str,
        level: Level,
        starts_on: Date,
        due_on: Date,
        mut sessions: Vec<Date>,
        examples: Vec<Example>,
        metrics_expected: Vec<String>,
    ) -> Result<PlanParts, PlanError> {
        let objective = objective.trim();
        if objective.is_empty() {
            return Err(PlanError::EmptyObjective);
        }
        if due_on <= starts_on {
            return Err(PlanError::DeadlineNotAfterStart {
                start: starts_on,
                due: due_on,
            });
        }
        sessions.sort();
        sessions.dedup();
        if sessions.is_empty() {
            return Err(PlanError::NoSession {
                start: starts_on,
                due: due_on,
            });
        }
        if let Some(&date) = sessions.iter().find(|d| **d < starts_on || **d > due_on) {
            return Err(PlanError::SessionOutside {
                date,
                start: starts_on,
                due: due_on,
            });
        }
        for (i, e) in examples.iter().enumerate() {
            if e.interaction_id.trim().is_empty() {
                return Err(PlanError::BadExample {
                    position: i + 1,
                    reason: "it names no interaction".into(),
                });
            }
        }
        Ok(PlanParts {
            objective: objective.to_string(),
            level,
            starts_on,
            due_on,
            sessions,
            examples,
            metrics_expected: metrics_expected
                .into_iter()
                .map(|m| m.trim().to_string())
                .filter(|m| !m.is_empty())
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn time_frames_read_as_people_write_them() {
        for (text, start, due) in [
            ("2w", "2025-06-30", Some("2025-07-14")),
            ("two weeks", "2025-06-30", Some("2025-07-14")),
            ("within two weeks", "2025-06-30", Some("2025-07-14")),
            ("14d", "2025-06-30", Some("2025-07-14")),
            ("1m", "2025-01-31", Some("2025-02-28")),
            ("a month", "2025-06-30", Some("2025-07-30")),
            ("3 weeks", "2025-06-30", Some("2025-07-21")),
            ("0w", "2025-06-30", None),
            ("soon", "2025-06-30", None),
            ("2y", "2025-06-30", None),
            ("", "2025-06-30", None),
        ] {
            let got = TimeFrame::parse(text).and_then(|t| t.deadline(d(start)));
            assert_eq!(got.ok(), due.map(d), "{text}");
        }
    }

    #[test]
    fn a_level_outside_the_scale_is_refused() {
        for (level, ok) in [
            (3.0, true),
            (1.0, true),
            (5.0, true),
            (0.0, false),
            (5.5, false),
            (f64::NAN, false),
        ] {
            assert_eq!(Level::parse(level, 1.0, 5.0).is_ok(), ok, "{level}");
        }
        let e = Level::parse(6.0, 1.0, 5.0).unwrap_err().to_string();
        assert_eq!(
            e,
            "the expected level 6 is outside the criterion's scale 1–5"
        );
    }

    #[test]
    fn a_plan_needs_every_part() {
        let level = Level::parse(3.0, 1.0, 5.0).unwrap();
        let start = d("2025-06-30");
        let due = d("2025-07-14");
        let ok = |objective: &str, due: Date, sessions: Vec<Date>| {
            PlanParts::parse(objective, level, start, due, sessions, vec![], vec![])
        };
        assert!(ok("Show concern", due, vec![d("2025-07-07")]).is_ok());
        assert_eq!(
            ok("  ", due, vec![d("2025-07-07")]),
            Err(PlanError::EmptyObjective)
        );
        assert!(matches!(
            ok("x", start, vec![start]),
            Err(PlanError::DeadlineNotAfterStart { .. })
        ));
        assert!(matches!(
            ok("x", due, vec![]),
            Err(PlanError::NoSession { .. })
        ));
        assert!(matches!(
            ok("x", due, vec![d("2025-07-15")]),
            Err(PlanError::SessionOutside { .. })
        ));
        let p = ok(
            "x",
            due,
            vec![d("2025-07-14"), d("2025-07-07"), d("2025-07-07")],
        )
        .unwrap();
        assert_eq!(p.sessions, vec![d("2025-07-07"), d("2025-07-14")]);
    }

    #[test]
    fn an_example_below_the_level_shows_the_gap() {
        assert_eq!(ExampleKind::of(Some(2.0), 3.0), ExampleKind::Gap);
        assert_eq!(ExampleKind::of(Some(3.0), 3.0), ExampleKind::Good);
        assert_eq!(ExampleKind::of(None, 3.0), ExampleKind::Gap);
    }
}
