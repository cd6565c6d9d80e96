//! Importers through their public interface: one test binary.

// `cfg(test)` marks every module, helpers included, as test code for
// clippy (tests may unwrap: clippy.toml).
#[cfg(test)]
mod datasets;
#[cfg(test)]
mod pipeline;
#[cfg(test)]
mod roundtrip;
