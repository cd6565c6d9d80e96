//! The pure rules of role profiles and structured assessment (docs/profiles.md,
//! R-PROFILE): what a customer-facing role must have before hiring, and how
//! candidates (and current agents) are judged against it on evidence.
//!
//! Nothing here reads a file, a clock or a database. A profile arrives as a
//! [`ProfileSpec`] (the TOML a user writes) and becomes a checked
//! [`RoleProfile`]; assessors' ratings are summed up against it by pure
//! functions tested with hand-computed tables.
//!
//! - [`spec`]: roles, duties, competencies on a behaviourally anchored 1–5
//!   scale (required level, weight, must-have, suggested questions),
//!   knowledge and experience requirements.
//! - [`library`]: the starter library of customer-service competencies a
//!   profile file may name by key alone.
//! - [`result`]: per competency the assessors' mean, the gap to the required
//!   level, disagreement; the weighted fit, must-haves missed, and whether
//!   the ratings may be revealed.

pub mod library;
pub mod result;
pub mod spec;

pub use library::{LibraryCompetency, LIBRARY};
pub use result::{assess, AssessorRatings, CompetencyResult, ProfileResult, DISAGREEMENT_LEVELS};
pub use spec::{
    Competency, CompetencySpec, ProfileError, ProfileSpec, Question, QuestionKind, QuestionSpec,
    Requirement, RequirementSpec, RoleProfile, LEVELS,
};
