//! The real server on port 0 (HTTP, pages, API) and the browser suite: one test binary.

// `cfg(test)` marks every module, helpers included, as test code for
// clippy (tests may unwrap: clippy.toml).
#[cfg(test)]
mod browser;
#[cfg(test)]
mod browser_coaching;
#[cfg(test)]
mod browser_explorer;
#[cfg(test)]
mod browser_goals;
#[cfg(test)]
mod browser_indicators;
#[cfg(test)]
mod browser_profiles;
#[cfg(test)]
mod browser_quality;
#[cfg(test)]
mod browser_scorecard;
#[cfg(test)]
mod browser_sla;
#[cfg(test)]
mod coaching;
#[cfg(test)]
mod common;
#[cfg(test)]
mod explorer;
#[cfg(test)]
mod hardening;
#[cfg(test)]
mod http;
#[cfg(test)]
mod indicators;
#[cfg(test)]
mod instances;
#[cfg(test)]
#[path = "../../../metas-store/tests/store/pg_support.rs"]
#[expect(
    dead_code,
    reason = "the server tests need a database, not a client of it"
)]
mod pg_support;
#[cfg(test)]
mod profiles;
#[cfg(test)]
mod qa;
#[cfg(test)]
mod restart;
#[cfg(test)]
mod scorecard;
#[cfg(test)]
mod sla;
#[cfg(test)]
mod staffing;
#[cfg(test)]
mod web;
