//! The indicator board's rules (R-INDICATORS, seed 003): every KPI carries
//! its whole written definition — formula and unit (the catalogue's), owner,
//! frequency of review, standard and the stage of the customer's journey it
//! watches — and a figure is judged against its standard.
//!
//! Nothing here reads a clock or a database: "today" (`as_of`) is a
//! parameter, and the organisation's choices arrive as text to be parsed
//! once ([`IndicatorDefinition::parse`]).
//!
//! - [`definition`]: frequencies, standards, the built-in defaults of every
//!   KPI, and an organisation's changes parsed into a valid definition.
//! - [`period`]: the period a frequency reviews as of a day, and the periods
//!   before it (the trend).
//! - [`verdict`]: a figure against its standard — met, not met, no data, no
//!   standard.

pub mod definition;
pub mod period;
pub mod verdict;

pub use definition::{
    on_board, DefinitionChange, Frequency, IndicatorDefinition, IndicatorError, Standard,
    StandardDirection, BOARD_KPIS,
};
pub use verdict::{verdict, Verdict};
