//! metas-service: the use cases the CLI and the server share, on top of
//! metas-store. Each function takes typed input, does one thing a user asked
//! for, and returns typed output; the CLI and the web app only parse and
//! render.

pub mod access;
pub mod backup;
pub mod coaching;
pub mod config;
pub mod dashboard;
pub mod demo;
pub mod drill;
pub mod export;
pub mod goal;
pub mod indicators;
pub mod kpi;
pub mod profile;
pub mod qa;
pub mod scorecard;
pub mod sessions;
pub mod sla;
pub mod staffing;
pub mod users;

use metas_store::StoreError;

/// What a use case can fail with: the user's input (exit 2, HTTP 400), a
/// refusal, something missing or out of the user's reach, or the store.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Input(String),
    /// The request was understood and refused (a goal over the focus limit):
    /// exit 1, HTTP 409.
    #[error("{0}")]
    Refused(String),
    /// What was asked for does not exist, or the user may not see it (the
    /// two are not told apart): HTTP 404.
    #[error("{0}")]
    NotFound(String),
    /// The user's role may not do this: exit 1, HTTP 403.
    #[error("your role may not do this")]
    Forbidden,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            // A question the store cannot answer as asked is the user's to fix.
            StoreError::Query(m) => ServiceError::Input(m),
            other => ServiceError::Store(other),
        }
    }
}
