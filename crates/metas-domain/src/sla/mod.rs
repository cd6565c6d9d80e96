//! The pure rules of time objectives (docs/product.md §7): policies as data,
//! and the judgement of every stage of a request against its target.
//!
//! Nothing here reads a clock or a database: "now" (`as_of`) is always a
//! parameter and an interaction's times arrive as a [`StageClock`] per stage,
//! so every rule can be tested with tables of input and expected output. The
//! store picks the policy that applies (the first by order whose conditions
//! match), builds the clocks from summary times or from events, and keeps the
//! judgements these functions return.
//!
//! - [`stage`]: the stages a policy can hold a target for, and what starts
//!   and stops each one's clock.
//! - [`policy`]: a policy as a user writes it (TOML) and as it is once
//!   checked: conditions, order, calendar, pausing statuses, warning
//!   threshold, one target per stage.
//! - [`judge`]: one stage of one interaction → met, breached, pending,
//!   paused, not applicable or not measurable, with its due instant, the time
//!   elapsed and the time left, in business time where the policy says so.

pub mod judge;
pub mod policy;
pub mod stage;

pub use judge::{judge, Judgement, StageClock, StageState};
pub use policy::{Clock, Policy, PolicyError, PolicySpec, TargetDuration};
pub use stage::Stage;

/// Reads a policy file (TOML) and checks it: one sentence naming the file,
/// the line and the field when something is wrong.
pub fn parse_policy_file(name: &str, text: &str, file_label: &str) -> Result<Policy, String> {
    let spec: PolicySpec = crate::tomlfile::parse(text, file_label)?;
    Policy::from_spec(name, &spec)
        .map_err(|e| crate::tomlfile::fault(text, file_label, &e.field, &e.message))
}
