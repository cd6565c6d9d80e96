//! The real `metas` binary, run as a user runs it: one test binary (one link of DuckDB) for every CLI test.

// `cfg(test)` marks every module, helpers included, as test code for
// clippy (tests may unwrap: clippy.toml).
#[cfg(test)]
mod atomic;
#[cfg(test)]
mod backup;
#[cfg(test)]
mod coaching;
#[cfg(test)]
mod common;
#[cfg(test)]
mod demo_goals;
#[cfg(test)]
mod goals;
#[cfg(test)]
mod indicators;
#[cfg(test)]
mod instances;
#[cfg(test)]
mod kpi_cases;
#[cfg(test)]
mod kpi_compare;
#[cfg(test)]
mod kpi_definitions;
#[cfg(test)]
mod kpi_exports;
#[cfg(test)]
mod malformed;
#[cfg(test)]
#[path = "../../../metas-store/tests/store/pg_support.rs"]
mod pg_support;
#[cfg(test)]
mod profiles;
#[cfg(test)]
mod qa;
#[cfg(test)]
mod relay;
#[cfg(test)]
mod replica;
#[cfg(test)]
mod scorecard;
#[cfg(test)]
mod sla;
#[cfg(test)]
mod staffing;
#[cfg(test)]
mod users;
#[cfg(test)]
mod zendesk_incremental;
#[cfg(test)]
mod zendesk_reopened;
