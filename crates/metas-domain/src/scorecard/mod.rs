//! The pure rules of an agent's scorecard (docs/scorecard.md; R-SCORECARD,
//! R-OVERLAP, R-FOCUS-BEHAVIOUR): which months it shows, when a difference
//! is larger than the noise, where the agent struggles, where a survey trend
//! and an internal-score trend overlap, and which QA criterion to focus on.
//!
//! The store and the KPI engine supply the figures (value, n, interval) and
//! the per-interaction rows; these functions judge them, so every rule is
//! tested with tables of input and expected output.
//!
//! - [`window`]: the current month to the as-of date and the three full
//!   months before it, bounded by the agent's first activity.
//! - [`noise`]: a figure and the comparisons that call a difference a
//!   difference only beyond its 95 % interval.
//! - [`struggle`]: struggles (below the standard or the team beyond the
//!   noise), month-to-month changes, trends and overlaps.
//! - [`focus`]: the criterion whose per-interaction relation to the weak
//!   metrics is strongest, with the runner-up.

pub mod focus;
pub mod noise;
pub mod struggle;
pub mod window;

pub use focus::{choose_focus, Candidate, Effect, FocusRow, Outcome};
pub use noise::{Figure, Side};
pub use struggle::{overlaps, struggles, Family, MetricRow, Overlap, OverlapKind, Struggle};
pub use window::{months, Month};
