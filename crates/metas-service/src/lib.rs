//! metas-service: the use cases the CLI and the server share, on top of
//! metas-store.

pub mod demo;
