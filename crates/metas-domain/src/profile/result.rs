//! The result of assessing one person against a profile (docs/profiles.md
//! "The numbers"):
//!
//! - a competency's **mean** is the mean of the levels the assessors who
//!   finished gave it (an unfinished assessment counts for nothing);
//! - its **gap** is required − mean, listed only when above 0;
//! - **fit** = 100 × Σ wᵢ · min(meanᵢ / requiredᵢ, 1) ÷ Σ wᵢ over the rated
//!   competencies: each competency counts by its weight, met in full at or
//!   above the required level, partly in proportion below it; a level above
//!   the requirement does not make up for a gap elsewhere;
//! - a **must-have is missed** when its mean is below the required level,
//!   whatever the fit;
//! - assessors **disagree** on a competency when the highest and the lowest
//!   level given differ by [`DISAGREEMENT_LEVELS`] or more;
//! - the ratings are **revealed** when every invited assessor has finished,
//!   or when a manager closes the assessment (the unfinished are then left
//!   out and named).

use std::collections::BTreeMap;

use serde::Serialize;

use super::spec::RoleProfile;

/// Levels apart at which assessors disagree.
pub const DISAGREEMENT_LEVELS: u8 = 2;

/// What one assessor gave: a level per competency key.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AssessorRatings {
    pub assessor: String,
    /// Whether they finished (submitted) their assessment.
    pub submitted: bool,
    pub levels: BTreeMap<String, u8>,
}

/// One competency, summed up over the finished assessments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompetencyResult {
    pub key: String,
    pub required: u8,
    pub weight: f64,
    pub must_have: bool,
    /// (assessor, level) of each finished assessment that rated it.
    pub ratings: Vec<(String, u8)>,
    pub mean: Option<f64>,
    /// required − mean, when above 0.
    pub gap: Option<f64>,
    /// min(mean / required, 1): the share of the requirement met.
    pub met: Option<f64>,
    /// Highest minus lowest level given.
    pub spread: Option<u8>,
    pub disagreement: bool,
    pub must_have_missed: bool,
}

/// A person against a profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProfileResult {
    pub competencies: Vec<CompetencyResult>,
    /// 0–100; `None` before any assessment is finished.
    pub fit: Option<f64>,
    /// (key, gap) of every competency below its required level, largest
    /// gap first (then the heavier weight, then the profile's order).
    pub gaps: Vec<(String, f64)>,
    pub must_haves_missed: Vec<String>,
    pub disagreements: Vec<String>,
    pub finished: Vec<String>,
    pub not_finished: Vec<String>,
    pub revealed: bool,
}

impl ProfileResult {
    /// The competency with the largest gap, if any falls short.
    pub fn largest_gap(&self) -> Option<&CompetencyResult> {
        let (key, _) = self.gaps.first()?;
        self.competencies.iter().find(|c| c.key == *key)
    }
}

/// Sums up the assessments of one person against `profile`; `closed`: a
/// manager closed the assessment before everyone finished.
pub fn assess(profile: &RoleProfile, assessors: &[AssessorRatings], closed: bool) -> ProfileResult {
    let finished: Vec<&AssessorRatings> = assessors.iter().filter(|a| a.submitted).collect();
    let mut competencies = Vec::with_capacity(profile.competencies().len());
    for c in profile.competencies() {
        let ratings: Vec<(String, u8)> = finished
            .iter()
            .filter_map(|a| Some((a.assessor.clone(), *a.levels.get(c.key())?)))
            .collect();
        let levels: Vec<u8> = ratings.iter().map(|(_, l)| *l).collect();
        let mean = (!levels.is_empty())
            .then(|| levels.iter().map(|&l| f64::from(l)).sum::<f64>() / levels.len() as f64);
        let required = f64::from(c.required());
        let spread = levels
            .iter()
            .max()
            .zip(levels.iter().min())
            .map(|(hi, lo)| hi - lo);
        competencies.push(CompetencyResult {
            key: c.key().to_string(),
            required: c.required(),
            weight: c.weight(),
            must_have: c.must_have(),
            mean,
            gap: mean.map(|m| required - m).filter(|g| *g > 0.0),
            met: mean.map(|m| (m / required).min(1.0)),
            spread,
            disagreement: spread.is_some_and(|s| s >= DISAGREEMENT_LEVELS),
            must_have_missed: c.must_have() && mean.is_some_and(|m| m < required),
            ratings,
        });
    }
    let rated: Vec<&CompetencyResult> = competencies.iter().filter(|c| c.met.is_some()).collect();
    let weights: f64 = rated.iter().map(|c| c.weight).sum();
    let fit = (weights > 0.0).then(|| {
        100.0
            * rated
                .iter()
                .map(|c| c.weight * c.met.unwrap_or(0.0))
                .sum::<f64>()
            / weights
    });
    let mut gaps: Vec<(usize, &CompetencyResult)> = competencies
        .iter()
        .enumerate()
        .filter(|(_, c)| c.gap.is_some())
        .collect();
    gaps.sort_by(|(i, a), (j, b)| {
        b.gap
            .unwrap_or(0.0)
            .total_cmp(&a.gap.unwrap_or(0.0))
            .then(b.weight.total_cmp(&a.weight))
            .then(i.cmp(j))
    });
    let gaps = gaps
        .into_iter()
        .map(|(_, c)| (c.key.clone(), c.gap.unwrap_or(0.0)))
        .collect();
    let keys = |f: fn(&CompetencyResult) -> bool| {
        competencies
            .iter()
            .filter(|c| f(c))
            .map(|c| c.key.clone())
            .collect::<Vec<_>>()
    };
    ProfileResult {
        must_haves_missed: keys(|c| c.must_have_missed),
        disagreements: keys(|c| c.disagreement),
        gaps,
        fit,
        finished: finished.iter().map(|a| a.assessor.clone()).collect(),
        not_finished: assessors
            .iter()
            .filter(|a| !a.submitted)
            .map(|a| a.assessor.clone())
            .collect(),
        revealed: closed || (!assessors.is_empty() && assessors.iter().all(|a| a.submitted)),
        competencies,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::spec::{CompetencySpec, ProfileSpec};

    /// A required 3, weight 2, must-have; B required 4, weight 1; C
    /// required 2, weight 1.
    fn profile() -> RoleProfile {
        let c = |key: &str, required, weight, must_have| CompetencySpec {
            key: key.into(),
            definition: Some("d".into()),
            required: Some(required),
            weight: Some(weight),
            must_have,
            levels: (1..=5).map(|n| format!("level {n}")).collect(),
            ..CompetencySpec::default()
        };
        RoleProfile::from_spec(
            "p",
            &ProfileSpec {
                role: Some("Agent".into()),
                competencies: vec![
                    c("A", 3, 2.0, true),
                    c("B", 4, 1.0, false),
                    c("C", 2, 1.0, false),
                ],
                ..ProfileSpec::default()
            },
        )
        .unwrap()
    }

    fn who(name: &str, submitted: bool, a: u8, b: u8, c: u8) -> AssessorRatings {
        AssessorRatings {
            assessor: name.into(),
            submitted,
            levels: [("A", a), ("B", b), ("C", c)]
                .into_iter()
                .map(|(k, l)| (k.to_string(), l))
                .collect(),
        }
    }

    struct Case {
        what: &'static str,
        assessors: Vec<AssessorRatings>,
        closed: bool,
        fit: Option<f64>,
        means: [Option<f64>; 3],
        gaps: Vec<(&'static str, f64)>,
        missed: Vec<&'static str>,
        disagreements: Vec<&'static str>,
        not_finished: Vec<&'static str>,
        revealed: bool,
    }

    /// Worked by hand; docs/profiles.md shows the first two.
    #[test]
    fn fit_gaps_must_haves_disagreements_by_hand() {
        let cases = vec![
            Case {
                // met: A 3/3=1, B 2/4=0.5, C min(5/2,1)=1
                // fit = 100 × (2·1 + 1·0.5 + 1·1) / 4 = 87.5
                what: "weights, one assessor, a gap, a level above the requirement",
                assessors: vec![who("ana", true, 3, 2, 5)],
                closed: false,
                fit: Some(87.5),
                means: [Some(3.0), Some(2.0), Some(5.0)],
                gaps: vec![("B", 2.0)],
                missed: vec![],
                disagreements: vec![],
                not_finished: vec![],
                revealed: true,
            },
            Case {
                // A mean 2.5: met 2.5/3, must-have missed, gap 0.5
                // fit = 100 × (2·(2.5/3) + 1 + 1) / 4 = 100 × 11/12
                what: "a must-have missed",
                assessors: vec![who("ana", true, 2, 4, 2), who("bo", true, 3, 4, 2)],
                closed: false,
                fit: Some(1100.0 / 12.0),
                means: [Some(2.5), Some(4.0), Some(2.0)],
                gaps: vec![("A", 0.5)],
                missed: vec!["A"],
                disagreements: vec![],
                not_finished: vec![],
                revealed: true,
            },
            Case {
                // A: 1 and 3 → spread 2, disagreement, mean 2 (gap 1, missed);
                // B: 4 and 5 → spread 1; C: 2 and 2.
                // fit = 100 × (2·(2/3) + 1 + 1) / 4 = 100 × 10/12
                what: "a disagreement of two levels",
                assessors: vec![who("ana", true, 1, 4, 2), who("bo", true, 3, 5, 2)],
                closed: false,
                fit: Some(1000.0 / 12.0),
                means: [Some(2.0), Some(4.5), Some(2.0)],
                gaps: vec![("A", 1.0)],
                missed: vec!["A"],
                disagreements: vec!["A"],
                not_finished: vec![],
                revealed: true,
            },
            Case {
                // bo has not finished: his 1s count for nothing, not revealed.
                what: "an assessor who has not finished",
                assessors: vec![who("ana", true, 3, 4, 2), who("bo", false, 1, 1, 1)],
                closed: false,
                fit: Some(100.0),
                means: [Some(3.0), Some(4.0), Some(2.0)],
                gaps: vec![],
                missed: vec![],
                disagreements: vec![],
                not_finished: vec!["bo"],
                revealed: false,
            },
            Case {
                what: "closed by a manager: revealed without the unfinished",
                assessors: vec![who("ana", true, 3, 4, 2), who("bo", false, 1, 1, 1)],
                closed: true,
                fit: Some(100.0),
                means: [Some(3.0), Some(4.0), Some(2.0)],
                gaps: vec![],
                missed: vec![],
                disagreements: vec![],
                not_finished: vec!["bo"],
                revealed: true,
            },
            Case {
                // B gap 4−1=3 and C gap 2−1=1 and A gap 3−1=2: largest first.
                what: "gaps largest first",
                assessors: vec![who("ana", true, 1, 1, 1)],
                closed: false,
                fit: Some(100.0 * (2.0 / 3.0 + 0.25 + 0.5) / 4.0),
                means: [Some(1.0), Some(1.0), Some(1.0)],
                gaps: vec![("B", 3.0), ("A", 2.0), ("C", 1.0)],
                missed: vec!["A"],
                disagreements: vec![],
                not_finished: vec![],
                revealed: true,
            },
            Case {
                what: "nobody has finished",
                assessors: vec![who("ana", false, 5, 5, 5)],
                closed: false,
                fit: None,
                means: [None, None, None],
                gaps: vec![],
                missed: vec![],
                disagreements: vec![],
                not_finished: vec!["ana"],
                revealed: false,
            },
            Case {
                what: "no assessor invited",
                assessors: vec![],
                closed: false,
                fit: None,
                means: [None, None, None],
                gaps: vec![],
                missed: vec![],
                disagreements: vec![],
                not_finished: vec![],
                revealed: false,
            },
        ];
        let p = profile();
        for case in cases {
            let r = assess(&p, &case.assessors, case.closed);
            let w = case.what;
            match (r.fit, case.fit) {
                (Some(got), Some(want)) => {
                    assert!((got - want).abs() < 1e-9, "{w}: fit {got} ≠ {want}")
                }
                (got, want) => assert_eq!(got, want, "{w}: fit"),
            }
            let means: Vec<Option<f64>> = r.competencies.iter().map(|c| c.mean).collect();
            assert_eq!(means, case.means.to_vec(), "{w}: means");
            let gaps: Vec<(&str, f64)> = r.gaps.iter().map(|(k, g)| (k.as_str(), *g)).collect();
            assert_eq!(gaps, case.gaps, "{w}: gaps");
            assert_eq!(r.must_haves_missed, case.missed, "{w}: must-haves");
            assert_eq!(r.disagreements, case.disagreements, "{w}: disagreements");
            assert_eq!(r.not_finished, case.not_finished, "{w}: not finished");
            assert_eq!(r.revealed, case.revealed, "{w}: revealed");
            assert_eq!(
                r.largest_gap().map(|c| c.key.as_str()),
                case.gaps.first().map(|(k, _)| *k),
                "{w}: largest gap"
            );
        }
    }

    #[test]
    fn a_competency_one_assessor_left_unrated_counts_the_others() {
        let p = profile();
        let mut a = who("ana", true, 3, 4, 2);
        a.levels.remove("C");
        let r = assess(&p, &[a, who("bo", true, 3, 4, 4)], false);
        assert_eq!(r.competencies[2].mean, Some(4.0));
        assert_eq!(r.competencies[2].ratings, vec![("bo".to_string(), 4)]);
    }
}
