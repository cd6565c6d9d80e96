//! Reviews (docs/product.md §6.4, R-REVIEW, R-MISSED): when a goal is next reviewed,
//! which reviews are due or overdue, and what a review must record.
//!
//! Rules:
//! - Reviews are anchored on the goal's start: the n-th review falls on
//!   start + n × cadence, so monthly reviews from 31 January fall on
//!   28 February, 31 March, 30 April… and never drift to the 28th.
//! - The next review after a date is the first anchored date strictly after
//!   it (a review held on its due day moves the next one a full step on).
//! - A review is overdue when its date is before today, due when it falls
//!   today or within the next [`DUE_WINDOW_DAYS`] days, upcoming otherwise.
//! - A review records keep / revise / retire with notes; a review of a missed
//!   goal must say what blocked it (R-MISSED) and may record the new practice.

use jiff::civil::Date;
use jiff::{Span, ToSpan};
use serde::Serialize;

use super::tracking::TrackStatus;

/// A review falling within this many days of today is listed as due.
pub const DUE_WINDOW_DAYS: i64 = 7;

/// How often a goal is reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    Weekly,
    Biweekly,
    Monthly,
    /// The default of docs/product.md R-REVIEW.
    #[default]
    Quarterly,
    /// Twice a year ("mid-year" reviews).
    HalfYearly,
}

/// Why a review or a cadence was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("'{text}' is not a review cadence: write weekly, biweekly, monthly, quarterly or half-yearly")]
    UnknownCadence { text: String },
    #[error("'{text}' is not a review decision: write keep, revise or retire")]
    UnknownDecision { text: String },
    #[error("the goal was missed, so the review must say what blocked it")]
    BlockerRequired,
}

impl Cadence {
    pub fn parse(text: &str) -> Result<Cadence, ReviewError> {
        match text
            .trim()
            .to_lowercase()
            .replace(['-', '_', ' '], "")
            .as_str()
        {
            "weekly" => Ok(Cadence::Weekly),
            "biweekly" | "fortnightly" => Ok(Cadence::Biweekly),
            "monthly" => Ok(Cadence::Monthly),
            "quarterly" => Ok(Cadence::Quarterly),
            "halfyearly" | "midyear" | "semiannual" | "semiannually" => Ok(Cadence::HalfYearly),
            _ => Err(ReviewError::UnknownCadence {
                text: text.to_string(),
            }),
        }
    }

    fn step(self, n: i64) -> Span {
        match self {
            Cadence::Weekly => n.weeks(),
            Cadence::Biweekly => (2 * n).weeks(),
            Cadence::Monthly => n.months(),
            Cadence::Quarterly => (3 * n).months(),
            Cadence::HalfYearly => (6 * n).months(),
        }
    }

    /// The n-th review of a goal that started on `start` (n ≥ 1).
    pub fn nth_review(self, start: Date, n: u32) -> Option<Date> {
        start.checked_add(self.step(i64::from(n))).ok()
    }

    /// The first review date of a goal started on `start` that falls
    /// strictly after `after`.
    pub fn next_review_after(self, start: Date, after: Date) -> Option<Date> {
        if after < start {
            return self.nth_review(start, 1);
        }
        // Start from an estimate of how many steps fit, then walk: at most a
        // few iterations whatever the distance.
        let days = start.until(after).ok()?.get_days() as f64;
        let approx_days = match self {
            Cadence::Weekly => 7.0,
            Cadence::Biweekly => 14.0,
            Cadence::Monthly => 31.0,
            Cadence::Quarterly => 92.0,
            Cadence::HalfYearly => 184.0,
        };
        let mut n = ((days / approx_days).floor() as u32).max(1);
        loop {
            let d = self.nth_review(start, n)?;
            if d > after {
                return Some(d);
            }
            n += 1;
        }
    }
}

/// Where a scheduled review stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    Upcoming,
    Due,
    Overdue,
}

/// The state of a review scheduled on `due_on`, seen on `today`.
pub fn review_state(due_on: Date, today: Date) -> ReviewState {
    let days_ahead = today
        .until(due_on)
        .map(|s| s.get_days() as i64)
        .unwrap_or(0);
    if days_ahead < 0 {
        ReviewState::Overdue
    } else if days_ahead <= DUE_WINDOW_DAYS {
        ReviewState::Due
    } else {
        ReviewState::Upcoming
    }
}

/// A review on an agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduledReview<Id> {
    pub goal: Id,
    pub due_on: Date,
    /// Days past the due date (0 for a review not yet overdue).
    pub days_overdue: i64,
}

/// The reviews needing attention on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewAgenda<Id> {
    /// Due today or within the window, soonest first.
    pub due: Vec<ScheduledReview<Id>>,
    /// Past their date, most overdue first.
    pub overdue: Vec<ScheduledReview<Id>>,
}

/// Sorts goals' next review dates into due and overdue lists for `today`.
pub fn review_agenda<Id>(
    next_reviews: impl IntoIterator<Item = (Id, Date)>,
    today: Date,
) -> ReviewAgenda<Id> {
    let mut due = Vec::new();
    let mut overdue = Vec::new();
    for (goal, due_on) in next_reviews {
        let days_overdue = due_on
            .until(today)
            .map(|s| s.get_days() as i64)
            .unwrap_or(0);
        let item = ScheduledReview {
            goal,
            due_on,
            days_overdue: days_overdue.max(0),
        };
        match review_state(due_on, today) {
            ReviewState::Overdue => overdue.push(item),
            ReviewState::Due => due.push(item),
            ReviewState::Upcoming => {}
        }
    }
    due.sort_by_key(|r| r.due_on);
    overdue.sort_by_key(|r| r.due_on);
    ReviewAgenda { due, overdue }
}

/// What a review decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Keep,
    Revise,
    Retire,
}

impl Decision {
    pub fn parse(text: &str) -> Result<Decision, ReviewError> {
        match text.trim().to_lowercase().as_str() {
            "keep" => Ok(Decision::Keep),
            "revise" => Ok(Decision::Revise),
            "retire" => Ok(Decision::Retire),
            _ => Err(ReviewError::UnknownDecision {
                text: text.to_string(),
            }),
        }
    }
}

/// A review that passed validation; built only by [`Review::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    decision: Decision,
    notes: String,
    blocked_by: Option<String>,
    new_practice: Option<String>,
}

fn non_blank(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

impl Review {
    /// Validates a review of a goal in `status`: a missed goal needs a
    /// non-blank "what blocked it".
    pub fn new(
        status: TrackStatus,
        decision: Decision,
        notes: &str,
        blocked_by: Option<&str>,
        new_practice: Option<&str>,
    ) -> Result<Review, ReviewError> {
        let blocked_by = non_blank(blocked_by);
        if status == TrackStatus::Missed && blocked_by.is_none() {
            return Err(ReviewError::BlockerRequired);
        }
        Ok(Review {
            decision,
            notes: notes.trim().to_string(),
            blocked_by,
            new_practice: non_blank(new_practice),
        })
    }

    pub fn decision(&self) -> Decision {
        self.decision
    }
    pub fn notes(&self) -> &str {
        &self.notes
    }
    pub fn blocked_by(&self) -> Option<&str> {
        self.blocked_by.as_deref()
    }
    pub fn new_practice(&self) -> Option<&str> {
        self.new_practice.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn cadences_are_read() {
        for (text, want) in [
            ("weekly", Cadence::Weekly),
            ("Bi-weekly", Cadence::Biweekly),
            ("fortnightly", Cadence::Biweekly),
            ("monthly", Cadence::Monthly),
            ("QUARTERLY", Cadence::Quarterly),
            ("mid-year", Cadence::HalfYearly),
            ("half yearly", Cadence::HalfYearly),
        ] {
            assert_eq!(Cadence::parse(text), Ok(want), "{text}");
        }
        assert!(Cadence::parse("daily")
            .unwrap_err()
            .to_string()
            .contains("quarterly"));
        assert_eq!(Cadence::default(), Cadence::Quarterly);
    }

    #[test]
    fn next_reviews_are_anchored_on_the_start() {
        let table: &[(Cadence, Date, Date, Date)] = &[
            // (cadence, start, after) → next review
            (
                Cadence::Weekly,
                date(2026, 1, 1),
                date(2026, 1, 1),
                date(2026, 1, 8),
            ),
            (
                Cadence::Weekly,
                date(2026, 1, 1),
                date(2026, 1, 8),
                date(2026, 1, 15),
            ),
            (
                Cadence::Weekly,
                date(2026, 12, 28),
                date(2026, 12, 30),
                date(2027, 1, 4),
            ),
            (
                Cadence::Biweekly,
                date(2026, 1, 1),
                date(2026, 1, 20),
                date(2026, 1, 29),
            ),
            (
                Cadence::Monthly,
                date(2026, 1, 31),
                date(2026, 2, 1),
                date(2026, 2, 28),
            ),
            (
                Cadence::Monthly,
                date(2026, 1, 31),
                date(2026, 2, 28),
                date(2026, 3, 31),
            ),
            (
                Cadence::Monthly,
                date(2028, 1, 31),
                date(2028, 2, 1),
                date(2028, 2, 29),
            ),
            (
                Cadence::Quarterly,
                date(2026, 11, 22),
                date(2026, 11, 22),
                date(2027, 2, 22),
            ),
            (
                Cadence::Quarterly,
                date(2026, 11, 22),
                date(2027, 6, 1),
                date(2027, 8, 22),
            ),
            (
                Cadence::Quarterly,
                date(2026, 11, 30),
                date(2027, 1, 1),
                date(2027, 2, 28),
            ),
            (
                Cadence::HalfYearly,
                date(2026, 1, 1),
                date(2026, 3, 1),
                date(2026, 7, 1),
            ),
            // a date before the start gives the first review
            (
                Cadence::Monthly,
                date(2026, 5, 1),
                date(2026, 1, 1),
                date(2026, 6, 1),
            ),
            // far from the start
            (
                Cadence::Weekly,
                date(2020, 1, 6),
                date(2026, 11, 22),
                date(2026, 11, 23),
            ),
        ];
        for (cadence, start, after, want) in table {
            assert_eq!(
                cadence.next_review_after(*start, *after),
                Some(*want),
                "{cadence:?} from {start} after {after}"
            );
        }
    }

    #[test]
    fn the_agenda_lists_due_and_overdue_reviews() {
        let today = date(2026, 11, 22);
        let agenda = review_agenda(
            [
                ("g1", date(2026, 11, 22)), // today: due
                ("g2", date(2026, 11, 29)), // 7 days ahead: due
                ("g3", date(2026, 11, 30)), // 8 days ahead: upcoming
                ("g4", date(2026, 11, 21)), // yesterday: overdue by 1
                ("g5", date(2026, 10, 1)),  // overdue by 52
            ],
            today,
        );
        let due: Vec<_> = agenda
            .due
            .iter()
            .map(|r| (r.goal, r.days_overdue))
            .collect();
        let overdue: Vec<_> = agenda
            .overdue
            .iter()
            .map(|r| (r.goal, r.days_overdue))
            .collect();
        assert_eq!(due, [("g1", 0), ("g2", 0)]);
        assert_eq!(overdue, [("g5", 52), ("g4", 1)]);
        assert_eq!(
            review_state(date(2026, 12, 25), today),
            ReviewState::Upcoming
        );
    }

    #[test]
    fn a_missed_goal_needs_what_blocked_it() {
        use TrackStatus::*;
        let table: &[(TrackStatus, Option<&str>, bool)] = &[
            (Missed, None, false),
            (Missed, Some("   "), false),
            (Missed, Some("the new IVR went live late"), true),
            (Achieved, None, true),
            (OnTrack, None, true),
        ];
        for (status, blocked, ok) in table {
            let r = Review::new(*status, Decision::Revise, "notes", *blocked, None);
            assert_eq!(r.is_ok(), *ok, "{status:?} {blocked:?}");
        }
        let err = Review::new(Missed, Decision::Keep, "", None, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the goal was missed, so the review must say what blocked it"
        );
        let r = Review::new(
            Missed,
            Decision::parse("Retire").unwrap(),
            " replaced by a goal on callbacks ",
            Some(" staffing "),
            Some("daily huddle on open callbacks"),
        )
        .unwrap();
        assert_eq!(r.decision(), Decision::Retire);
        assert_eq!(r.notes(), "replaced by a goal on callbacks");
        assert_eq!(r.blocked_by(), Some("staffing"));
        assert_eq!(r.new_practice(), Some("daily huddle on open callbacks"));
        assert!(Decision::parse("drop").is_err());
    }
}
