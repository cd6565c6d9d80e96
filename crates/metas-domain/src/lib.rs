//! metas-domain: the canonical records of a customer service, the vocabulary
//! their fields use, and the rules that need no IO.
//!
//! Nothing in this crate reads a file, a clock or a database: every function is
//! a pure function of its arguments, so the rules can be tested with tables of
//! input and expected output.

pub mod calendar;
pub mod coaching;
pub mod goal;
pub mod indicator;
pub mod kpi;
pub mod model;
pub mod profile;
pub mod qa;
pub mod scorecard;
pub mod segment;
pub mod settings;
pub mod sla;
pub mod staffing;
pub mod stats;
pub mod tomlfile;
pub mod vocab;

pub use model::*;
pub use vocab::*;
