//! The pure rules of coaching (docs/coaching.md): an action plan on one QA
//! criterion of one agent, its sessions and their states.
//!
//! Nothing here reads a clock: "today" is always a parameter.
//!
//! - [`plan`]: the parts of a plan parsed into valid values (objective,
//!   expected level inside the criterion's scale, time frame → deadline,
//!   examples).
//! - [`schedule`]: the session dates (weekly until the deadline by default,
//!   or given), each inside the time frame.
//! - [`session`]: a session's state (upcoming, due today, overdue, held,
//!   acknowledged) as a function of its dates.

pub mod plan;
pub mod schedule;
pub mod session;

pub use plan::{Example, ExampleKind, Level, PlanError, PlanParts, TimeFrame};
pub use schedule::{schedule, Rhythm};
pub use session::{session_state, SessionState};
