//! The focus behaviour (R-FOCUS-BEHAVIOUR): of the QA criteria the agent
//! struggles with, the one whose per-interaction relation to the agent's
//! weak metrics is strongest, so that improving it is expected to move
//! several of them.
//!
//! For each criterion, the agent's reviewed interactions are split into
//! those rated below the criterion's standard and those at or above it;
//! for each weak metric (CSAT, repeat contacts, …) the two groups' means
//! are compared: difference = below − at or above, 95 % interval
//! difference ± 1.96 × √(s²_below / n_below + s²_above / n_above) (sample
//! variances; a rate is a mean of 0 and 1). The difference is *oriented*
//! by the metric's better direction so that a positive value means the
//! below-standard interactions did worse; it counts as a metric moved when
//! its interval lies wholly on that side (beyond the noise).
//!
//! Criteria rank by the number of metrics moved, then by the total
//! standardised effect (the sum of oriented difference / standard error),
//! then — the tie rule — by the order the caller gives (the rubric's
//! order of criteria). A group of fewer than two interactions has no
//! interval and moves nothing; two groups without any spread that differ
//! count as moved with a standardised effect of [`Z_CAP`].

use serde::Serialize;

use super::noise::{Figure, Z95};
use crate::kpi::Better;

/// The standardised effect given to a difference with no spread at all.
pub const Z_CAP: f64 = 10.0;

/// A metric measured on each interaction (its mean is the KPI).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    pub key: String,
    pub better: Better,
}

/// One rating of one reviewed interaction, with the interaction's outcomes
/// (aligned with the outcomes given to [`choose_focus`]; none when the
/// interaction has no such measure, e.g. no survey).
#[derive(Debug, Clone, PartialEq)]
pub struct FocusRow {
    pub criterion: String,
    pub rating: f64,
    pub standard: f64,
    pub outcomes: Vec<Option<f64>>,
}

/// One weak metric on the two groups of one criterion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Effect {
    pub metric: String,
    /// The metric on interactions rated below the standard.
    pub below: Figure,
    /// The metric on interactions rated at or above it.
    pub at_or_above: Figure,
    /// below − at or above (none without both groups).
    pub difference: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Oriented difference / standard error: positive when the
    /// below-standard interactions did worse.
    pub z: f64,
    /// The difference is beyond the noise in the expected direction.
    pub moved: bool,
}

/// A criterion considered for the focus, with the figures behind its rank.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub criterion: String,
    pub standard: f64,
    pub below_n: u64,
    pub at_or_above_n: u64,
    pub effects: Vec<Effect>,
    /// How many weak metrics it moves beyond the noise.
    pub moved: usize,
    /// The sum of the effects' standardised differences.
    pub total_z: f64,
}

/// Mean, n, sample variance of a group's values.
fn moments(values: &[f64]) -> (u64, f64, f64) {
    let n = values.len();
    if n == 0 {
        return (0, 0.0, 0.0);
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let var = if n > 1 {
        values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64
    } else {
        0.0
    };
    (n as u64, mean, var)
}

fn figure(n: u64, mean: f64, var: f64) -> Figure {
    if n == 0 {
        return Figure::NONE;
    }
    let half = (n > 1).then(|| Z95 * (var / n as f64).sqrt());
    Figure {
        value: Some(mean),
        n,
        low: half.map(|h| mean - h),
        high: half.map(|h| mean + h),
    }
}

fn effect(outcome: &Outcome, below: &[f64], above: &[f64]) -> Effect {
    let (nb, mb, vb) = moments(below);
    let (na, ma, va) = moments(above);
    let mut e = Effect {
        metric: outcome.key.clone(),
        below: figure(nb, mb, vb),
        at_or_above: figure(na, ma, va),
        difference: None,
        low: None,
        high: None,
        z: 0.0,
        moved: false,
    };
    if nb < 2 || na < 2 {
        return e;
    }
    let d = mb - ma;
    let se = (vb / nb as f64 + va / na as f64).sqrt();
    let oriented = match outcome.better {
        Better::Higher => -d,
        Better::Lower => d,
        Better::Neither => 0.0,
    };
    e.difference = Some(d);
    e.low = Some(d - Z95 * se);
    e.high = Some(d + Z95 * se);
    if se > 0.0 {
        e.z = oriented / se;
        e.moved = oriented - Z95 * se > 0.0;
    } else if oriented > 0.0 {
        e.z = Z_CAP;
        e.moved = true;
    }
    e
}

/// Every criterion of `criteria` (in tie-rule order) with the figures
/// behind it, best first: the first is the focus, the second the runner-up.
pub fn choose_focus(
    criteria: &[String],
    outcomes: &[Outcome],
    rows: &[FocusRow],
) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = criteria
        .iter()
        .map(|c| {
            let mine: Vec<&FocusRow> = rows.iter().filter(|r| &r.criterion == c).collect();
            let standard = mine.first().map_or(0.0, |r| r.standard);
            let is_below = |r: &FocusRow| r.rating < r.standard;
            let effects: Vec<Effect> = outcomes
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let pick = |below: bool| -> Vec<f64> {
                        mine.iter()
                            .filter(|r| is_below(r) == below)
                            .filter_map(|r| r.outcomes.get(i).copied().flatten())
                            .collect()
                    };
                    effect(o, &pick(true), &pick(false))
                })
                .collect();
            Candidate {
                criterion: c.clone(),
                standard,
                below_n: mine.iter().filter(|r| is_below(r)).count() as u64,
                at_or_above_n: mine.iter().filter(|r| !is_below(r)).count() as u64,
                moved: effects.iter().filter(|e| e.moved).count(),
                total_z: effects.iter().map(|e| e.z).sum(),
                effects,
            }
        })
        .collect();
    // A stable sort keeps the caller's order among equals: the tie rule.
    out.sort_by(|a, b| {
        b.moved.cmp(&a.moved).then(
            b.total_z
                .partial_cmp(&a.total_z)
                .unwrap_or(std::cmp::Ordering::Equal),
        )
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcomes() -> Vec<Outcome> {
        vec![
            Outcome {
                key: "csat".into(),
                better: Better::Higher,
            },
            Outcome {
                key: "repeat_contact_rate".into(),
                better: Better::Lower,
            },
        ]
    }

    /// Rows of one criterion: (rating, csat satisfied, repeat contact).
    fn rows(criterion: &str, table: &[(f64, Option<f64>, Option<f64>)]) -> Vec<FocusRow> {
        table
            .iter()
            .map(|&(rating, csat, repeat)| FocusRow {
                criterion: criterion.into(),
                rating,
                standard: 3.0,
                outcomes: vec![csat, repeat],
            })
            .collect()
    }

    /// A small table whose answer is known by hand.
    ///
    /// concern: below (ratings 1–2) csat 0,0,0,1 → 0.25 (s² 0.25), repeat
    /// 1,1,1,0 → 0.75; at or above (3–4) csat 1,1,1,1,0 → 0.8 (s² 0.2),
    /// repeat 0,0,0,0,1 → 0.2. CSAT difference −0.55, se √(0.25/4 + 0.2/5)
    /// = 0.320, interval −1.18 … 0.08: inside the noise. Repeat the mirror
    /// image: +0.55, inside the noise too. So with so few interactions
    /// nothing moves, and concern still leads on standardised effect
    /// (2 × 0.55 / 0.320 = 3.43) over tone (no difference: 0).
    #[test]
    fn a_small_table_inside_the_noise() {
        let mut r = rows(
            "concern",
            &[
                (1.0, Some(0.0), Some(1.0)),
                (2.0, Some(0.0), Some(1.0)),
                (2.0, Some(0.0), Some(1.0)),
                (2.0, Some(1.0), Some(0.0)),
                (3.0, Some(1.0), Some(0.0)),
                (3.0, Some(1.0), Some(0.0)),
                (4.0, Some(1.0), Some(0.0)),
                (4.0, Some(1.0), Some(0.0)),
                (3.0, Some(0.0), Some(1.0)),
            ],
        );
        r.extend(rows(
            "tone",
            &[
                (2.0, Some(1.0), Some(0.0)),
                (2.0, Some(0.0), Some(1.0)),
                (4.0, Some(1.0), Some(0.0)),
                (4.0, Some(0.0), Some(1.0)),
            ],
        ));
        let ranked = choose_focus(&["tone".into(), "concern".into()], &outcomes(), &r);
        let c = &ranked[0];
        assert_eq!(c.criterion, "concern");
        assert_eq!((c.below_n, c.at_or_above_n, c.moved), (4, 5, 0));
        let csat = &c.effects[0];
        assert!((csat.difference.unwrap() + 0.55).abs() < 1e-9);
        let se: f64 = (0.25f64 / 4.0 + 0.2 / 5.0).sqrt();
        assert!((csat.low.unwrap() - (-0.55 - Z95 * se)).abs() < 1e-9);
        assert!((c.total_z - 2.0 * 0.55 / se).abs() < 1e-9);
        assert!(!csat.moved);
        assert_eq!(ranked[1].criterion, "tone");
        assert_eq!(ranked[1].total_z, 0.0);
    }

    /// Twice the table above, four times over (n 16 and 20): the same
    /// differences with se 0.160 are beyond the noise, so concern moves two
    /// metrics; process moves one (csat) and is the runner-up although its
    /// single effect is larger.
    #[test]
    fn the_criterion_that_moves_most_metrics_wins() {
        let concern_table: Vec<(f64, Option<f64>, Option<f64>)> = [
            (1.0, Some(0.0), Some(1.0)),
            (2.0, Some(0.0), Some(1.0)),
            (2.0, Some(0.0), Some(1.0)),
            (2.0, Some(1.0), Some(0.0)),
            (3.0, Some(1.0), Some(0.0)),
            (3.0, Some(1.0), Some(0.0)),
            (4.0, Some(1.0), Some(0.0)),
            (4.0, Some(1.0), Some(0.0)),
            (3.0, Some(0.0), Some(1.0)),
        ]
        .repeat(4);
        let mut process_table: Vec<(f64, Option<f64>, Option<f64>)> = vec![];
        for i in 0..40 {
            // Below: csat 0 always; at or above: csat 1 always (no spread);
            // repeat alternates in both groups (no difference).
            let below = i % 2 == 0;
            process_table.push((
                if below { 2.0 } else { 4.0 },
                Some(if below { 0.0 } else { 1.0 }),
                Some(f64::from(i % 4 / 2)),
            ));
        }
        let mut r = rows("concern", &concern_table);
        r.extend(rows("process", &process_table));
        let ranked = choose_focus(&["process".into(), "concern".into()], &outcomes(), &r);
        assert_eq!(ranked[0].criterion, "concern");
        assert_eq!(ranked[0].moved, 2);
        assert_eq!(ranked[1].criterion, "process");
        assert_eq!(ranked[1].moved, 1);
        assert_eq!(ranked[1].effects[0].z, Z_CAP);
    }

    /// Two criteria with identical figures: the caller's order decides.
    #[test]
    fn a_tie_goes_to_the_earlier_criterion() {
        let table = [
            (2.0, Some(0.0), Some(1.0)),
            (2.0, Some(1.0), Some(1.0)),
            (4.0, Some(1.0), Some(0.0)),
            (4.0, Some(1.0), Some(0.0)),
        ];
        let mut r = rows("tone", &table);
        r.extend(rows("accuracy", &table));
        for order in [["tone", "accuracy"], ["accuracy", "tone"]] {
            let criteria: Vec<String> = order.iter().map(|s| s.to_string()).collect();
            let ranked = choose_focus(&criteria, &outcomes(), &r);
            assert_eq!(ranked[0].criterion, order[0]);
            assert_eq!(ranked[0].moved, ranked[1].moved);
            assert_eq!(ranked[0].total_z, ranked[1].total_z);
        }
    }
}
