//! The session dates of a plan: every week (or two) from the start until
//! the deadline, the deadline itself always one of them, so the last session
//! looks at the result.

use jiff::civil::Date;
use jiff::ToSpan;
use serde::Serialize;

use super::plan::PlanError;

/// How often sessions fall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Rhythm {
    #[default]
    Weekly,
    Biweekly,
}

impl Rhythm {
    pub fn parse(text: &str) -> Result<Rhythm, PlanError> {
        match text.trim().to_lowercase().replace(['-', ' '], "").as_str() {
            "weekly" => Ok(Rhythm::Weekly),
            "biweekly" | "fortnightly" => Ok(Rhythm::Biweekly),
            _ => Err(PlanError::BadRhythm {
                text: text.to_string(),
            }),
        }
    }

    fn days(self) -> i64 {
        match self {
            Rhythm::Weekly => 7,
            Rhythm::Biweekly => 14,
        }
    }
}

/// Sessions at start + k × rhythm strictly before the deadline, then the
/// deadline.
pub fn schedule(start: Date, due: Date, rhythm: Rhythm) -> Vec<Date> {
    let mut out = Vec::new();
    let mut k = 1;
    while let Ok(d) = start.checked_add((k * rhythm.days()).days()) {
        if d >= due {
            break;
        }
        out.push(d);
        k += 1;
    }
    if due > start {
        out.push(due);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn sessions_fall_every_week_until_the_deadline() {
        for (start, due, rhythm, want) in [
            (
                "2025-06-30",
                "2025-07-14",
                Rhythm::Weekly,
                vec!["2025-07-07", "2025-07-14"],
            ),
            (
                "2025-06-30",
                "2025-07-14",
                Rhythm::Biweekly,
                vec!["2025-07-14"],
            ),
            (
                "2025-06-30",
                "2025-07-03",
                Rhythm::Weekly,
                vec!["2025-07-03"],
            ),
            (
                "2025-06-30",
                "2025-07-30",
                Rhythm::Weekly,
                vec![
                    "2025-07-07",
                    "2025-07-14",
                    "2025-07-21",
                    "2025-07-28",
                    "2025-07-30",
                ],
            ),
            ("2025-06-30", "2025-06-30", Rhythm::Weekly, vec![]),
        ] {
            let got = schedule(d(start), d(due), rhythm);
            assert_eq!(
                got,
                want.iter().map(|s| d(s)).collect::<Vec<_>>(),
                "{start} {due}"
            );
        }
        assert_eq!(Rhythm::parse("fortnightly"), Ok(Rhythm::Biweekly));
        assert!(Rhythm::parse("daily").is_err());
    }
}
