//! A coaching session's state, from its dates alone: acknowledged once the
//! agent has acknowledged it, held once the lead has recorded it, and
//! before that upcoming, due today or overdue by its scheduled date.

use jiff::civil::Date;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionState {
    Upcoming,
    DueToday,
    Overdue,
    Held,
    Acknowledged,
}

impl SessionState {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionState::Upcoming => "upcoming",
            SessionState::DueToday => "due_today",
            SessionState::Overdue => "overdue",
            SessionState::Held => "held",
            SessionState::Acknowledged => "acknowledged",
        }
    }

    /// Still to be held (the lead's list).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            SessionState::Upcoming | SessionState::DueToday | SessionState::Overdue
        )
    }
}

pub fn session_state(
    scheduled_on: Date,
    held_on: Option<Date>,
    acknowledged: bool,
    today: Date,
) -> SessionState {
    match (held_on, acknowledged) {
        (Some(_), true) => SessionState::Acknowledged,
        (Some(_), false) => SessionState::Held,
        (None, _) if scheduled_on > today => SessionState::Upcoming,
        (None, _) if scheduled_on == today => SessionState::DueToday,
        (None, _) => SessionState::Overdue,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SessionState::*;

    #[test]
    fn a_session_state_follows_from_its_dates() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let today = d("2025-07-07");
        for (scheduled, held, ack, want) in [
            ("2025-07-14", None, false, Upcoming),
            ("2025-07-07", None, false, DueToday),
            ("2025-07-06", None, false, Overdue),
            ("2025-07-06", Some("2025-07-06"), false, Held),
            ("2025-07-14", Some("2025-07-07"), false, Held),
            ("2025-07-06", Some("2025-07-07"), true, Acknowledged),
        ] {
            assert_eq!(
                session_state(d(scheduled), held.map(d), ack, today),
                want,
                "{scheduled} {held:?} {ack}"
            );
        }
        assert!(Overdue.is_open() && !Held.is_open());
    }
}
