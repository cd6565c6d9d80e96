//! The pure rules of quality assurance (docs/qa.md, docs/product.md §4):
//! rubrics as data and the internal quality score.
//!
//! Nothing here reads a file, a clock or a database. A rubric arrives as a
//! [`RubricSpec`] (the TOML a user writes) and becomes a checked [`Rubric`];
//! a review's ratings are checked against it and scored by pure functions,
//! tested with tables of input and expected output. The store keeps every
//! version of a rubric and the reviews; the `qa_score` KPI computes the same
//! numbers in SQL (a store test holds both to the same reviews).
//!
//! - [`rubric`]: scales, criteria (weight, critical flag, N/A allowed, the
//!   business standard) and rubrics.
//! - [`score`]: a criterion's score, a review's score (weighted, N/A left
//!   out, zero when a critical criterion failed), and the check of a
//!   review's ratings against its rubric.

pub mod rubric;
pub mod score;

pub use rubric::{Criterion, CriterionSpec, Rubric, RubricError, RubricSpec, Scale};
/// Reads a rubric file (TOML) and checks it: one sentence naming the file,
/// the line and the field when something is wrong.
pub fn parse_rubric_file(name: &str, text: &str, file_label: &str) -> Result<Rubric, String> {
    let spec: RubricSpec = crate::tomlfile::parse(text, file_label)?;
    Rubric::from_spec(name, &spec)
        .map_err(|e| crate::tomlfile::fault(text, file_label, &e.field, &e.message))
}

pub use score::{check_ratings, criterion_score, failed_critical, review_score, RatingError, Rule};
