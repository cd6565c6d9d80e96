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

/// The sections of a profile file whose fields are numbered
/// (`competencies[2].weight`).
const SECTIONS: [&str; 3] = ["competencies", "knowledge", "experience"];

/// Reads a profile file (TOML) and checks it: one sentence naming the file,
/// the line and the field when something is wrong.
pub fn parse_profile_file(name: &str, text: &str, file_label: &str) -> Result<RoleProfile, String> {
    let spec: ProfileSpec = crate::tomlfile::parse(text, file_label)?;
    RoleProfile::from_spec(name, &spec).map_err(|e| {
        // The name comes from the command, not the file: no line to point at.
        let line = if e.field == "name" {
            None
        } else {
            crate::tomlfile::line_of(text, &e.field).or_else(|| {
                // A section missing altogether: the end of the file.
                SECTIONS
                    .contains(&e.field.as_str())
                    .then(|| text.lines().count().max(1))
            })
        };
        crate::tomlfile::sentence(file_label, line, &e.field, &e.message)
    })
}
