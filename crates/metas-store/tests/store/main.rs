//! The store through its public interface: migrations, sessions, goals, KPIs, imports; one test binary.

// `cfg(test)` marks every module, helpers included, as test code for
// clippy (tests may unwrap: clippy.toml).
#[cfg(test)]
mod goals;
#[cfg(test)]
mod indicators;
#[cfg(test)]
mod kpi;
#[cfg(test)]
mod migrations;
#[cfg(test)]
mod pg_support;
#[cfg(test)]
mod profiles;
#[cfg(test)]
mod qa;
#[cfg(test)]
mod replica;
#[cfg(test)]
mod sessions;
#[cfg(test)]
mod staffing;
#[cfg(test)]
mod store;
