//! The use cases through their public interface: one test binary.

// `cfg(test)` marks every module, helpers included, as test code for
// clippy (tests may unwrap: clippy.toml).
#[cfg(test)]
mod dashboard;
#[cfg(test)]
mod series;
#[cfg(test)]
mod sessions;
#[cfg(test)]
mod users;
