//! The internal quality score (docs/qa.md "The score"), following Zendesk
//! QA's rules:
//!
//! - a criterion's score is (rating − scale minimum) / (scale maximum −
//!   scale minimum) × 100;
//! - a review's score is the weighted mean of its rated criteria's scores;
//!   a criterion marked not applicable (N/A) counts neither way;
//! - a critical criterion rated below its business standard (or, when it
//!   has none, at the scale's minimum) fails the whole review: its score is 0.
//!
//! The `qa_score` KPI (`QA_SCORES` in metas-store's kpi.rs) is the same
//! definition in SQL; a store test holds both to the same reviews.

use std::collections::BTreeMap;

use super::Rubric;

/// What the maths needs of a criterion (a checked [`super::Criterion`], or
/// one an import defined on a scale of its own).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub min: f64,
    pub max: f64,
    pub weight: f64,
    pub critical: bool,
    pub standard: Option<f64>,
    pub na_allowed: bool,
}

/// A criterion's score, 0 to 100; `None` for an empty scale.
pub fn criterion_score(rule: &Rule, rating: f64) -> Option<f64> {
    let span = rule.max - rule.min;
    (span != 0.0).then(|| (rating - rule.min) / span * 100.0)
}

/// Whether this rating fails a critical criterion: below the standard, or at
/// the scale's minimum when there is no standard.
pub fn failed_critical(rule: &Rule, rating: f64) -> bool {
    rule.critical
        && match rule.standard {
            Some(s) => rating < s,
            None => rating <= rule.min,
        }
}

/// A review's score from its criteria and ratings (`None` = N/A): the
/// weighted mean over rated criteria, 0 when a critical criterion failed,
/// `None` when nothing was rated.
pub fn review_score(ratings: &[(Rule, Option<f64>)]) -> Option<f64> {
    let rated: Vec<(&Rule, f64)> = ratings
        .iter()
        .filter_map(|(rule, r)| r.map(|r| (rule, r)))
        .collect();
    if rated.is_empty() {
        return None;
    }
    if rated.iter().any(|(rule, r)| failed_critical(rule, *r)) {
        return Some(0.0);
    }
    let (mut sum, mut weights) = (0.0, 0.0);
    for (rule, r) in rated {
        if let Some(s) = criterion_score(rule, r) {
            sum += rule.weight * s;
            weights += rule.weight;
        }
    }
    (weights > 0.0).then(|| sum / weights)
}

/// What is wrong with the ratings of a review entered against a rubric.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RatingError {
    #[error("{key}: not rated")]
    Missing { key: String },
    #[error("{key}: not a criterion of the rubric")]
    Unknown { key: String },
    #[error("{key}: may not be marked not applicable")]
    NotApplicableRefused { key: String },
    #[error("{key}: {rating} is not a point of the scale {min} to {max}")]
    OffScale {
        key: String,
        rating: f64,
        min: f64,
        max: f64,
    },
}

/// Checks that every criterion of the rubric is rated once, on a point of
/// its scale, or marked N/A (`None`) where the criterion allows it. Returns
/// every problem, in the rubric's order (unknown keys last).
pub fn check_ratings(rubric: &Rubric, given: &BTreeMap<String, Option<f64>>) -> Vec<RatingError> {
    let mut errors = Vec::new();
    for c in rubric.criteria() {
        let key = c.key().to_string();
        match given.get(c.key()) {
            None => errors.push(RatingError::Missing { key }),
            Some(None) if !c.na_allowed() => errors.push(RatingError::NotApplicableRefused { key }),
            Some(None) => {}
            Some(Some(r)) => {
                let s = c.scale();
                if !(r.fract() == 0.0 && *r >= s.min() && *r <= s.max()) {
                    errors.push(RatingError::OffScale {
                        key,
                        rating: *r,
                        min: s.min(),
                        max: s.max(),
                    });
                }
            }
        }
    }
    for key in given.keys() {
        if rubric.criterion(key).is_none() {
            errors.push(RatingError::Unknown { key: key.clone() });
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::{CriterionSpec, RubricSpec};

    fn rule(min: f64, max: f64, weight: f64, critical: bool, standard: Option<f64>) -> Rule {
        Rule {
            min,
            max,
            weight,
            critical,
            standard,
            na_allowed: true,
        }
    }

    /// A named review: its criteria and ratings, and the score by hand.
    type Case = (&'static str, Vec<(Rule, Option<f64>)>, Option<f64>);

    /// Hand-computed reviews: criteria (min, max, weight, critical,
    /// standard) with their ratings → the review's score.
    #[test]
    fn review_scores_by_hand() {
        let five = |w: f64| rule(1.0, 5.0, w, false, Some(3.0));
        let crit = rule(1.0, 5.0, 1.0, true, Some(3.0));
        let crit_no_std = rule(1.0, 5.0, 1.0, true, None);
        let yes_no = rule(0.0, 1.0, 2.0, false, None);
        #[rustfmt::skip]
        let cases: &[Case] = &[
            ("one criterion at the top", vec![(five(1.0), Some(5.0))], Some(100.0)),
            ("one criterion at the bottom", vec![(five(1.0), Some(1.0))], Some(0.0)),
            // (50 + 100) / 2
            ("equal weights", vec![(five(1.0), Some(3.0)), (five(1.0), Some(5.0))], Some(75.0)),
            // (1×50 + 3×100) / 4 = 87.5
            ("weights", vec![(five(1.0), Some(3.0)), (five(3.0), Some(5.0))], Some(87.5)),
            // the N/A one counts neither way: 25
            ("N/A left out", vec![(five(1.0), Some(2.0)), (five(5.0), None)], Some(25.0)),
            ("all N/A", vec![(five(1.0), None)], None),
            // accuracy 2 < standard 3 on a critical criterion → 0
            ("failed critical", vec![(five(1.0), Some(5.0)), (crit, Some(2.0))], Some(0.0)),
            // at the standard it passes: (100 + 50) / 2
            ("critical at its standard", vec![(five(1.0), Some(5.0)), (crit, Some(3.0))], Some(75.0)),
            ("critical N/A does not fail", vec![(five(1.0), Some(5.0)), (crit, None)], Some(100.0)),
            ("critical without standard at the minimum", vec![(five(1.0), Some(5.0)), (crit_no_std, Some(1.0))], Some(0.0)),
            // (1×100 + 1×25) / 2
            ("critical without standard above the minimum", vec![(five(1.0), Some(5.0)), (crit_no_std, Some(2.0))], Some(62.5)),
            // binary yes weighs 2: (2×100 + 1×0) / 3
            ("binary", vec![(yes_no, Some(1.0)), (five(1.0), Some(1.0))], Some(200.0 / 3.0)),
            // the demo rubric: concern 4, accuracy 3 (critical), tone 5, resolution 2 (×1.5), process N/A
            // (75 + 50 + 100 + 1.5×25) / 4.5 = 262.5 / 4.5
            ("demo-like", vec![
                (five(1.0), Some(4.0)), (crit, Some(3.0)), (five(1.0), Some(5.0)),
                (five(1.5), Some(2.0)), (five(0.5), None),
            ], Some(262.5 / 4.5)),
        ];
        for (name, ratings, want) in cases {
            let got = review_score(ratings);
            match (got, want) {
                (Some(g), Some(w)) => assert!((g - w).abs() < 1e-9, "{name}: {g} ≠ {w}"),
                _ => assert_eq!(got, *want, "{name}"),
            }
        }
    }

    #[test]
    fn criterion_scores() {
        for (min, max, rating, want) in [
            (1.0, 5.0, 4.0, Some(75.0)),
            (1.0, 3.0, 2.0, Some(50.0)),
            (1.0, 4.0, 2.0, Some(100.0 / 3.0)),
            (0.0, 1.0, 1.0, Some(100.0)),
            (3.0, 3.0, 3.0, None),
        ] {
            let got = criterion_score(&rule(min, max, 1.0, false, None), rating);
            match (got, want) {
                (Some(g), Some(w)) => assert!((g - w).abs() < 1e-9, "{g} ≠ {w}"),
                _ => assert_eq!(got, want),
            }
        }
    }

    #[test]
    fn ratings_are_checked_against_the_rubric() {
        let c = |key: &str, scale: &str, na: bool| CriterionSpec {
            key: key.into(),
            scale: Some(scale.into()),
            na_allowed: na,
            ..CriterionSpec::default()
        };
        let rubric = Rubric::from_spec(
            "r",
            &RubricSpec {
                description: None,
                criteria: vec![c("a", "1-5", false), c("b", "binary", true)],
            },
        )
        .unwrap();
        let given = |pairs: &[(&str, Option<f64>)]| -> BTreeMap<String, Option<f64>> {
            pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
        };
        assert!(check_ratings(&rubric, &given(&[("a", Some(3.0)), ("b", None)])).is_empty());
        assert_eq!(
            check_ratings(
                &rubric,
                &given(&[("a", None), ("b", Some(2.0)), ("z", Some(1.0))])
            ),
            vec![
                RatingError::NotApplicableRefused { key: "a".into() },
                RatingError::OffScale {
                    key: "b".into(),
                    rating: 2.0,
                    min: 0.0,
                    max: 1.0
                },
                RatingError::Unknown { key: "z".into() },
            ]
        );
        assert_eq!(
            check_ratings(&rubric, &given(&[("a", Some(2.5))])),
            vec![
                RatingError::OffScale {
                    key: "a".into(),
                    rating: 2.5,
                    min: 1.0,
                    max: 5.0
                },
                RatingError::Missing { key: "b".into() },
            ]
        );
    }
}
