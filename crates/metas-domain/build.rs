//! Intentionally empty: see `[build-dependencies]` in Cargo.toml, which exist
//! only to pin the features of host crates across the workspace.
fn main() {}
