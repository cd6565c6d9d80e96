//! What a service-level objective costs (R-COST, docs/product.md §7): the
//! agents a queue needs to answer a share of its calls within a time, by
//! Erlang C, the agents on the rota once shrinkage is covered, and what they
//! cost per hour and per week. Written definitions: docs/staffing.md.
//!
//! Nothing here reads a clock or a database: the store counts a queue's
//! calls per quarter-hour, and these functions turn the counts, or the
//! figures a manager types, into agents and money, so every rule is tested
//! with tables of input and published reference values.
//!
//! - [`inputs`]: "80/20", "30%", "180s", "30m", a cost per hour → types.
//! - [`erlang`]: Erlang B and C, service level, ASA and occupancy for N
//!   agents, stable for thousands of agents.
//! - [`plan`]: the fewest agents for an objective and a maximum occupancy,
//!   shrinkage, cost, the curve of service level and cost against agents.
//! - [`week`]: a queue's observed week, half-hour by half-hour in local
//!   time, staffed and costed, with the observed service level beside the
//!   predicted one.

pub mod erlang;
pub mod inputs;
pub mod plan;
pub mod week;

pub use erlang::{erlang_b, erlang_c, Performance, Queue};
pub use inputs::{
    AgentCount, Arrivals, HourlyCost, InputError, MaxOccupancy, Percent, Secs, ServiceLevel,
    Shrinkage, WeeklyHours,
};
pub use plan::{
    curve, required_agents, rota_agents, with_agents, Binding, CurvePoint, NotReachable, Objective,
    Requirement,
};
pub use week::{plan_week, HalfHour, ObservedWeek, SlotCounts, Staffing, WeekPlan};
