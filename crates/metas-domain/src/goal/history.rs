//! A goal's history (docs/product.md §6.1: every change is kept): what
//! happened to a goal, as typed events a page can say in any language.
//!
//! Rules:
//! - Each event is stored as one English line (the history's `change`),
//!   written by [`GoalEvent::line`] and read back by [`GoalEvent::parse`]; a
//!   person reading the table, an older release and the API see the line, a
//!   page sees the event.
//! - A line this module did not write, or cannot read, is kept as written
//!   ([`GoalEvent::Note`]): nothing in a history is ever lost or guessed.
//! - [`GoalEvent::sentence`] says the event as a sentence: in English for the
//!   CLI, and as a message id with typed arguments for the pages (like a
//!   SMART [`Check`](super::Check)). The time of the event is not in the
//!   sentence: whoever shows it writes the time beside it.

use jiff::civil::Date;
use serde::Serialize;

use super::review::Decision;
use super::target::Direction;
use crate::kpi::{display_value, Unit};

/// Something that happened to a goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum GoalEvent {
    /// The goal was saved: its metric, direction, target and deadline as
    /// the user wrote them (`--by 5%`, `end of fiscal year`).
    Created {
        metric: String,
        direction: Direction,
        target: String,
        deadline: String,
    },
    /// A draft (or a retired goal) was made active.
    Activated,
    /// The deadline passed and settled the goal: achieved or missed, with
    /// the value it ended at.
    Settled {
        achieved: bool,
        deadline: Date,
        value: f64,
    },
    /// Any other change of status, with its reason.
    Status { status: String, why: String },
    /// The owner committed to the goal (R-BUYIN), for the day `on`.
    Committed { on: Date },
    /// A check-in for the day `on`.
    CheckedIn { on: Date, comment: String },
    /// A review held on `on` (R-REVIEW).
    Reviewed {
        on: Date,
        decision: Decision,
        notes: String,
    },
    /// A line metas does not read, kept as written.
    Note { text: String },
}

/// A sentence about an event: the English text, and the message id with
/// its arguments for the web app's catalogues (`goal-history-…`).
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    pub text: String,
    pub key: &'static str,
    pub args: Vec<(&'static str, SentenceArg)>,
}

/// An argument of a history sentence, typed so each language can write it
/// its own way.
#[derive(Debug, Clone, PartialEq)]
pub enum SentenceArg {
    /// Shown as written: a name, a comment, a deadline as the user wrote it.
    Text(String),
    Date(Date),
    /// A value of the goal's KPI, in its unit.
    Value(Unit, f64),
    /// A KPI, by id (each language has its name).
    Kpi(String),
    /// A word from a closed set, as a message id (`goal-direction-increase`).
    Word(&'static str),
}

fn decision_name(d: Decision) -> &'static str {
    match d {
        Decision::Keep => "keep",
        Decision::Revise => "revise",
        Decision::Retire => "retire",
    }
}

fn direction_name(d: Direction) -> &'static str {
    match d {
        Direction::Increase => "increase",
        Direction::Decrease => "decrease",
    }
}

const SETTLED_WHY: &str = "the deadline ";
const SETTLED_VALUE: &str = " has passed with the value at ";

impl GoalEvent {
    /// The line kept in the history.
    pub fn line(&self) -> String {
        match self {
            GoalEvent::Created {
                metric,
                direction,
                target,
                deadline,
            } => format!(
                "created: {metric} {} {target} by {deadline}",
                direction_name(*direction)
            ),
            GoalEvent::Activated => "status active: activated".to_string(),
            GoalEvent::Settled {
                achieved,
                deadline,
                value,
            } => format!(
                "status {}: {SETTLED_WHY}{deadline}{SETTLED_VALUE}{value}",
                if *achieved { "achieved" } else { "missed" }
            ),
            GoalEvent::Status { status, why } => format!("status {status}: {why}"),
            GoalEvent::Committed { on } => format!("committed by its owner on {on}"),
            GoalEvent::CheckedIn { on, comment } => format!("check-in on {on}: {comment}"),
            GoalEvent::Reviewed {
                on,
                decision,
                notes,
            } => format!("review on {on}: {} ({notes})", decision_name(*decision)),
            GoalEvent::Note { text } => text.clone(),
        }
    }

    /// Reads a line back; a line it does not know is a [`GoalEvent::Note`].
    pub fn parse(line: &str) -> GoalEvent {
        Self::read(line).unwrap_or_else(|| GoalEvent::Note {
            text: line.to_string(),
        })
    }

    fn read(line: &str) -> Option<GoalEvent> {
        if let Some(rest) = line.strip_prefix("created: ") {
            let (metric, rest) = rest.split_once(' ')?;
            let (direction, rest) = rest.split_once(' ')?;
            let direction = Direction::parse(direction).ok()?;
            // `--to X` or `--by X`, then " by " and the deadline as written.
            let flag = rest.get(..5).filter(|f| *f == "--to " || *f == "--by ")?;
            let (value, deadline) = rest[5..].split_once(" by ")?;
            return Some(GoalEvent::Created {
                metric: metric.to_string(),
                direction,
                target: format!("{flag}{value}"),
                deadline: deadline.to_string(),
            });
        }
        if let Some(rest) = line.strip_prefix("status ") {
            let (status, why) = rest.split_once(": ")?;
            if status == "active" && why == "activated" {
                return Some(GoalEvent::Activated);
            }
            let settled = why
                .strip_prefix(SETTLED_WHY)
                .and_then(|w| w.split_once(SETTLED_VALUE))
                .and_then(|(d, v)| Some((d.parse().ok()?, v.parse::<f64>().ok()?)));
            return Some(match (status, settled) {
                ("achieved" | "missed", Some((deadline, value))) => GoalEvent::Settled {
                    achieved: status == "achieved",
                    deadline,
                    value,
                },
                _ => GoalEvent::Status {
                    status: status.to_string(),
                    why: why.to_string(),
                },
            });
        }
        if let Some(on) = line.strip_prefix("committed by its owner on ") {
            return Some(GoalEvent::Committed {
                on: on.parse().ok()?,
            });
        }
        if let Some(rest) = line.strip_prefix("check-in on ") {
            let (on, comment) = rest.split_once(": ")?;
            return Some(GoalEvent::CheckedIn {
                on: on.parse().ok()?,
                comment: comment.to_string(),
            });
        }
        if let Some(rest) = line.strip_prefix("review on ") {
            let (on, rest) = rest.split_once(": ")?;
            let (decision, notes) = rest.split_once(" (")?;
            return Some(GoalEvent::Reviewed {
                on: on.parse().ok()?,
                decision: Decision::parse(decision).ok()?,
                notes: notes.strip_suffix(')')?.to_string(),
            });
        }
        None
    }

    /// The event as a sentence, said of `who` on a goal on `metric` (whose
    /// unit writes values).
    pub fn sentence(&self, who: &str, metric: &str) -> Sentence {
        let kpi = crate::kpi::kpi(metric);
        let kpi_name = kpi.map(|k| k.name).unwrap_or(metric);
        let unit = kpi.map(|k| k.unit).unwrap_or(Unit::Score);
        let who_arg = ("who", SentenceArg::Text(who.to_string()));
        match self {
            GoalEvent::Created {
                metric,
                direction,
                target,
                deadline,
            } => {
                let verb = match direction {
                    Direction::Increase => "raise",
                    Direction::Decrease => "lower",
                };
                let name = crate::kpi::kpi(metric).map(|k| k.name).unwrap_or(metric);
                let word = match direction {
                    Direction::Increase => "goal-direction-increase",
                    Direction::Decrease => "goal-direction-decrease",
                };
                let mut args = vec![
                    who_arg,
                    ("direction", SentenceArg::Word(word)),
                    ("metric", SentenceArg::Kpi(metric.clone())),
                    ("deadline", SentenceArg::Text(deadline.clone())),
                ];
                let (key, how, amount) = match target.split_once(' ') {
                    // A change needs no sign: the direction says it.
                    Some(("--by", change)) => (
                        "goal-history-created-by",
                        "by",
                        change.trim_start_matches(['+', '-']).to_string(),
                    ),
                    Some((_, value)) => ("goal-history-created-to", "to", value.to_string()),
                    None => ("goal-history-created-to", "to", target.clone()),
                };
                args.push((
                    if how == "by" { "change" } else { "target" },
                    SentenceArg::Text(amount.clone()),
                ));
                Sentence {
                    text: format!(
                        "{who} set the goal: {verb} {name} {how} {amount}, deadline “{deadline}”."
                    ),
                    key,
                    args,
                }
            }
            GoalEvent::Activated => Sentence {
                text: format!("{who} made the goal active."),
                key: "goal-history-activated",
                args: vec![who_arg],
            },
            GoalEvent::Settled {
                achieved,
                deadline,
                value,
            } => {
                let (key, what) = if *achieved {
                    ("goal-history-achieved", "achieved")
                } else {
                    ("goal-history-missed", "missed")
                };
                Sentence {
                    text: format!(
                        "The deadline {deadline} passed with {kpi_name} at {}: the goal is {what}.",
                        display_value(unit, *value)
                    ),
                    key,
                    args: vec![
                        ("deadline", SentenceArg::Date(*deadline)),
                        ("metric", SentenceArg::Kpi(metric.to_string())),
                        ("value", SentenceArg::Value(unit, *value)),
                    ],
                }
            }
            GoalEvent::Status { status, why } => Sentence {
                text: format!("{who} set the status to {status}: {why}"),
                key: "goal-history-status",
                args: vec![
                    who_arg,
                    ("status", SentenceArg::Word(status_word(status))),
                    ("why", SentenceArg::Text(why.clone())),
                ],
            },
            GoalEvent::Committed { .. } => Sentence {
                text: format!("{who} committed to the goal."),
                key: "goal-history-committed",
                args: vec![who_arg],
            },
            GoalEvent::CheckedIn { comment, .. } => Sentence {
                text: format!("{who} checked in: “{comment}”"),
                key: "goal-history-checkin",
                args: vec![who_arg, ("comment", SentenceArg::Text(comment.clone()))],
            },
            GoalEvent::Reviewed {
                decision, notes, ..
            } => {
                let (word, verb) = match decision {
                    Decision::Keep => ("goal-decision-keep", "keep it"),
                    Decision::Revise => ("goal-decision-revise", "revise it"),
                    Decision::Retire => ("goal-decision-retire", "retire it"),
                };
                let mut args = vec![who_arg, ("decision", SentenceArg::Word(word))];
                if notes.trim().is_empty() {
                    Sentence {
                        text: format!("{who} reviewed the goal and decided to {verb}."),
                        key: "goal-history-review",
                        args,
                    }
                } else {
                    args.push(("notes", SentenceArg::Text(notes.clone())));
                    Sentence {
                        text: format!("{who} reviewed the goal and decided to {verb}: “{notes}”"),
                        key: "goal-history-review-notes",
                        args,
                    }
                }
            }
            GoalEvent::Note { text } => Sentence {
                text: format!("{who}: {text}"),
                key: "goal-history-note",
                args: vec![who_arg, ("text", SentenceArg::Text(text.clone()))],
            },
        }
    }
}

/// A stored status as the id of its word (`status-missed`); an unknown one
/// reads as "active".
fn status_word(status: &str) -> &'static str {
    match status {
        "draft" => "status-draft",
        "achieved" => "status-achieved",
        "missed" => "status-missed",
        "retired" => "status-retired",
        _ => "status-active",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn every_kind() -> Vec<GoalEvent> {
        vec![
            GoalEvent::Created {
                metric: "csat".into(),
                direction: Direction::Increase,
                target: "--by 5%".into(),
                deadline: "end of fiscal year".into(),
            },
            GoalEvent::Created {
                metric: "retention".into(),
                direction: Direction::Increase,
                target: "--to 90%".into(),
                deadline: "31 December".into(),
            },
            GoalEvent::Created {
                metric: "aht".into(),
                direction: Direction::Decrease,
                target: "--by -10%".into(),
                deadline: "in 10 days (by 20 November)".into(),
            },
            GoalEvent::Activated,
            GoalEvent::Settled {
                achieved: false,
                deadline: date(2026, 6, 30),
                value: 0.812_345,
            },
            GoalEvent::Settled {
                achieved: true,
                deadline: date(2026, 6, 30),
                value: 412.0,
            },
            GoalEvent::Status {
                status: "retired".into(),
                why: "replaced by goal 7".into(),
            },
            GoalEvent::Committed {
                on: date(2026, 4, 2),
            },
            GoalEvent::CheckedIn {
                on: date(2026, 5, 4),
                comment: "New guide live: login: fixed (mostly)".into(),
            },
            GoalEvent::Reviewed {
                on: date(2026, 7, 1),
                decision: Decision::Revise,
                notes: "staffing (two leavers) and the IVR (late)".into(),
            },
            GoalEvent::Reviewed {
                on: date(2026, 7, 1),
                decision: Decision::Keep,
                notes: String::new(),
            },
            GoalEvent::Note {
                text: "moved to the new owner by hand".into(),
            },
        ]
    }

    #[test]
    fn every_line_reads_back_as_its_event() {
        for e in every_kind() {
            assert_eq!(GoalEvent::parse(&e.line()), e, "{}", e.line());
        }
    }

    /// The lines releases before typed events wrote read as events too.
    #[test]
    fn lines_already_stored_are_read() {
        let table: &[(&str, GoalEvent)] = &[
            (
                "created: csat increase --by 5% by end of fiscal year",
                GoalEvent::Created {
                    metric: "csat".into(),
                    direction: Direction::Increase,
                    target: "--by 5%".into(),
                    deadline: "end of fiscal year".into(),
                },
            ),
            (
                "status missed: the deadline 2026-11-01 has passed with the value at 0.7",
                GoalEvent::Settled {
                    achieved: false,
                    deadline: date(2026, 11, 1),
                    value: 0.7,
                },
            ),
            ("status active: activated", GoalEvent::Activated),
            (
                "committed by its owner on 2026-06-30",
                GoalEvent::Committed {
                    on: date(2026, 6, 30),
                },
            ),
            (
                "review on 2026-06-30: keep (on its way)",
                GoalEvent::Reviewed {
                    on: date(2026, 6, 30),
                    decision: Decision::Keep,
                    notes: "on its way".into(),
                },
            ),
            // Not metas' own: kept as written.
            (
                "created: something odd",
                GoalEvent::Note {
                    text: "created: something odd".into(),
                },
            ),
            (
                "check-in on yesterday: fine",
                GoalEvent::Note {
                    text: "check-in on yesterday: fine".into(),
                },
            ),
        ];
        for (line, want) in table {
            assert_eq!(&GoalEvent::parse(line), want, "{line}");
        }
    }

    #[test]
    fn events_read_as_sentences() {
        let all = every_kind();
        // (event, the goal's metric) → (English sentence, message id)
        let table: &[(&GoalEvent, &str, &str, &str)] = &[
            (
                &all[0],
                "csat",
                "Marta Ruiz set the goal: raise Customer satisfaction (CSAT) by 5%, deadline “end of fiscal year”.",
                "goal-history-created-by",
            ),
            (
                &all[1],
                "retention",
                "Marta Ruiz set the goal: raise Customer retention rate to 90%, deadline “31 December”.",
                "goal-history-created-to",
            ),
            (
                &all[2],
                "aht",
                "Marta Ruiz set the goal: lower Average handle time (AHT) by 10%, deadline “in 10 days (by 20 November)”.",
                "goal-history-created-by",
            ),
            (&all[3], "csat", "Marta Ruiz made the goal active.", "goal-history-activated"),
            (
                &all[4],
                "csat",
                "The deadline 2026-06-30 passed with Customer satisfaction (CSAT) at 81.2 %: the goal is missed.",
                "goal-history-missed",
            ),
            (
                &all[5],
                "aht",
                "The deadline 2026-06-30 passed with Average handle time (AHT) at 6m 52s: the goal is achieved.",
                "goal-history-achieved",
            ),
            (
                &all[6],
                "csat",
                "Marta Ruiz set the status to retired: replaced by goal 7",
                "goal-history-status",
            ),
            (&all[7], "csat", "Marta Ruiz committed to the goal.", "goal-history-committed"),
            (
                &all[8],
                "csat",
                "Marta Ruiz checked in: “New guide live: login: fixed (mostly)”",
                "goal-history-checkin",
            ),
            (
                &all[9],
                "csat",
                "Marta Ruiz reviewed the goal and decided to revise it: “staffing (two leavers) and the IVR (late)”",
                "goal-history-review-notes",
            ),
            (
                &all[10],
                "csat",
                "Marta Ruiz reviewed the goal and decided to keep it.",
                "goal-history-review",
            ),
            (
                &all[11],
                "csat",
                "Marta Ruiz: moved to the new owner by hand",
                "goal-history-note",
            ),
        ];
        assert_eq!(table.len(), all.len(), "every kind has a row");
        for (event, metric, text, key) in table {
            let s = event.sentence("Marta Ruiz", metric);
            assert_eq!((s.text.as_str(), s.key), (*text, *key), "{event:?}");
        }
    }
}
