//! The pure rules of SMART goals (docs/product.md §6): deadline expressions, targets,
//! the SMART checks and the focus limit, tracking and forecasts, reviews.
//!
//! Nothing here reads a clock: "today" (`as_of`) is always a parameter, so
//! every rule can be tested with tables of input and expected output. The
//! store computes the numbers (baselines, sample sizes, historical changes)
//! and these functions judge them.
//!
//! - [`deadline`]: "end of fiscal year", "20 November", "in two months" → a date.
//! - [`target`]: `--to`, `--by N%`, `--by Npp` → a target value, with both
//!   readings of a percentage of a rate.
//! - [`checks`]: specific, measurable, achievable, relevant, time-bound, focus.
//! - [`tracking`]: progress, status, forecast at the deadline, milestones.
//! - [`review`]: cadence, due and overdue reviews, review decisions.
//! - [`history`]: what happened to a goal, kept as lines, said as sentences.

pub mod checks;
pub mod deadline;
pub mod history;
pub mod review;
pub mod target;
pub mod tracking;

pub use checks::{Achievability, AchievableAssessment, Check};
pub use deadline::{Deadline, DeadlineError};
pub use history::{GoalEvent, Sentence, SentenceArg};
pub use review::{Cadence, Decision, Review, ReviewError};
pub use target::{parse_value, resolve_target, Direction, ResolvedTarget, TargetError, TargetSpec};
pub use tracking::{Forecast, GoalLine, Milestone, Progress, SeriesPoint, TrackStatus};
