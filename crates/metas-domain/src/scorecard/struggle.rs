//! Struggles, changes, trends and overlaps, judged on the figures of one
//! agent against the business standard and the team (docs/scorecard.md).
//!
//! - A **struggle** is a metric whose figure over the four months is worse
//!   than the standard (its interval excludes it) or than the team's (the
//!   interval of the difference excludes zero), by the metric's better
//!   direction. A gap inside the noise is not a struggle.
//! - A **change** is a month against the month before it, beyond the noise.
//! - A **trend** is the latest month with data against the earliest one,
//!   beyond the noise.
//! - An **overlap** is a survey metric and an internal (QA) metric that both
//!   struggle, or that both trend worse: the customer and the business see
//!   the same thing.

use serde::Serialize;

use super::noise::{against, against_standard, Figure, Side};
use crate::kpi::Better;

/// Where a metric comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Customer surveys: CSAT, CES, NPS.
    Survey,
    /// The internal scoring system: the QA score and each criterion.
    Internal,
    /// Operational: FCR, handle time, first response, repeat contacts.
    Operational,
}

/// One metric of a scorecard: the agent's months and the team's, with the
/// standard when the business has one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricRow {
    /// A KPI id (`csat`) or a criterion (`qa:service_quality/concern`).
    pub key: String,
    pub family: Family,
    pub better: Better,
    pub standard: Option<f64>,
    /// One figure per month of the scorecard, oldest first.
    pub months: Vec<Figure>,
    /// The four months together.
    pub period: Figure,
    pub team_months: Vec<Figure>,
    pub team_period: Figure,
}

impl MetricRow {
    /// Each month against the month before it (none for the first, or
    /// when either has no figure).
    pub fn changes(&self) -> Vec<Option<Side>> {
        let mut out = vec![None];
        for w in self.months.windows(2) {
            out.push(against(&w[1], &w[0], self.better));
        }
        out
    }

    /// The latest month with data against the earliest month with data.
    pub fn trend(&self) -> Option<Side> {
        let with: Vec<&Figure> = self.months.iter().filter(|f| f.n > 0).collect();
        if with.len() < 2 {
            return None;
        }
        against(with[with.len() - 1], with[0], self.better)
    }
}

/// A metric where the agent is worse than the standard or the team beyond
/// the noise, over the four months.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Struggle {
    pub key: String,
    pub family: Family,
    pub below_standard: bool,
    pub worse_than_team: bool,
}

/// The metrics the agent struggles with, in the rows' order.
pub fn struggles(rows: &[MetricRow]) -> Vec<Struggle> {
    rows.iter()
        .filter_map(|r| {
            let below_standard = r
                .standard
                .and_then(|s| against_standard(&r.period, s, r.better))
                == Some(Side::Worse);
            let worse_than_team = against(&r.period, &r.team_period, r.better) == Some(Side::Worse);
            (below_standard || worse_than_team).then(|| Struggle {
                key: r.key.clone(),
                family: r.family,
                below_standard,
                worse_than_team,
            })
        })
        .collect()
}

/// Why a survey metric and an internal one overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OverlapKind {
    /// Both struggle over the four months.
    BothStruggle,
    /// Both trend worse beyond the noise.
    BothWorsen,
}

/// A survey metric and an internal metric that tell the same story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overlap {
    pub survey: String,
    pub internal: String,
    pub kind: OverlapKind,
}

/// Every pair of a survey metric and an internal metric that both struggle
/// or both worsen (a pair that does both is listed as struggling).
pub fn overlaps(rows: &[MetricRow], struggles: &[Struggle]) -> Vec<Overlap> {
    let struggling = |k: &str| struggles.iter().any(|s| s.key == k);
    let mut out = Vec::new();
    for s in rows.iter().filter(|r| r.family == Family::Survey) {
        for i in rows.iter().filter(|r| r.family == Family::Internal) {
            let kind = if struggling(&s.key) && struggling(&i.key) {
                OverlapKind::BothStruggle
            } else if s.trend() == Some(Side::Worse) && i.trend() == Some(Side::Worse) {
                OverlapKind::BothWorsen
            } else {
                continue;
            };
            out.push(Overlap {
                survey: s.key.clone(),
                internal: i.key.clone(),
                kind,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scorecard::noise::Z95;

    /// A figure with standard error `se`.
    fn fig(value: f64, se: f64) -> Figure {
        Figure {
            value: Some(value),
            n: 50,
            low: Some(value - Z95 * se),
            high: Some(value + Z95 * se),
        }
    }

    fn row(
        key: &str,
        family: Family,
        better: Better,
        standard: Option<f64>,
        months: [Figure; 4],
        period: Figure,
        team: Figure,
    ) -> MetricRow {
        MetricRow {
            key: key.into(),
            family,
            better,
            standard,
            months: months.to_vec(),
            period,
            team_months: vec![team; 4],
            team_period: team,
        }
    }

    /// Hand-computed struggles: key, standard, agent (value, se), team
    /// (value, se) → (below standard, worse than team).
    #[test]
    fn struggles_beyond_the_noise_only() {
        let m = [fig(0.0, 1.0); 4];
        /// key, better, standard, agent (value, se), team (value, se) → flags.
        type Case = (
            &'static str,
            Better,
            Option<f64>,
            (f64, f64),
            (f64, f64),
            Option<(bool, bool)>,
        );
        let cases: [Case; 6] = [
            // Concern 2.2 ± 0.196 against a standard of 3: beyond the noise.
            (
                "concern",
                Better::Higher,
                Some(3.0),
                (2.2, 0.1),
                (3.8, 0.05),
                Some((true, true)),
            ),
            // 2.8 ± 0.392 includes 3; the team at 3.0 ± 0.098 is within
            // 1.96 × √(0.2² + 0.05²) = 0.404 of it: inside the noise.
            (
                "tone",
                Better::Higher,
                Some(3.0),
                (2.8, 0.2),
                (3.0, 0.05),
                None,
            ),
            // CSAT 0.70 against a team at 0.80: gap 0.10 > 1.96 × √(0.03² + 0.01²) = 0.062.
            (
                "csat",
                Better::Higher,
                None,
                (0.70, 0.03),
                (0.80, 0.01),
                Some((false, true)),
            ),
            // The same gap with se 0.06: noise 1.96 × √(0.06² + 0.01²) = 0.119 — not flagged.
            (
                "csat",
                Better::Higher,
                None,
                (0.70, 0.06),
                (0.80, 0.01),
                None,
            ),
            // Handle time: lower is better, 400 s against a team at 300 s.
            (
                "aht",
                Better::Lower,
                None,
                (400.0, 20.0),
                (300.0, 5.0),
                Some((false, true)),
            ),
            // Repeat contacts lower than the team's: better, not a struggle.
            (
                "repeat_contact_rate",
                Better::Lower,
                None,
                (0.05, 0.01),
                (0.10, 0.01),
                None,
            ),
        ];
        for (key, better, standard, (v, se), (tv, tse), want) in cases {
            let r = row(
                key,
                Family::Survey,
                better,
                standard,
                m,
                fig(v, se),
                fig(tv, tse),
            );
            let got = struggles(&[r])
                .first()
                .map(|s| (s.below_standard, s.worse_than_team));
            assert_eq!(
                got, want,
                "{key} {v} ± {se} against {standard:?} and team {tv} ± {tse}"
            );
        }
    }

    #[test]
    fn changes_and_trends_beyond_the_noise() {
        let r = row(
            "csat",
            Family::Survey,
            Better::Higher,
            None,
            [
                Figure::NONE,
                fig(0.80, 0.02),
                fig(0.78, 0.02),
                fig(0.65, 0.03),
            ],
            fig(0.75, 0.01),
            fig(0.8, 0.01),
        );
        // No data in the first month; 0.80 → 0.78 is noise (0.055); 0.78 → 0.65 is not (0.071).
        assert_eq!(
            r.changes(),
            vec![None, None, Some(Side::Level), Some(Side::Worse)]
        );
        assert_eq!(r.trend(), Some(Side::Worse));
    }

    #[test]
    fn a_survey_and_an_internal_metric_overlap() {
        let flat = [fig(3.0, 0.1); 4];
        let falling = [
            fig(0.9, 0.01),
            fig(0.9, 0.01),
            fig(0.8, 0.01),
            fig(0.7, 0.01),
        ];
        let csat = row(
            "csat",
            Family::Survey,
            Better::Higher,
            None,
            flat,
            fig(0.7, 0.01),
            fig(0.8, 0.01),
        );
        let concern = row(
            "qa:r/concern",
            Family::Internal,
            Better::Higher,
            Some(3.0),
            flat,
            fig(2.2, 0.1),
            fig(3.8, 0.1),
        );
        let ces = row(
            "ces",
            Family::Survey,
            Better::Higher,
            None,
            falling,
            fig(5.0, 0.1),
            fig(5.0, 0.1),
        );
        let tone = row(
            "qa:r/tone",
            Family::Internal,
            Better::Higher,
            Some(3.0),
            falling,
            fig(3.5, 0.1),
            fig(3.5, 0.1),
        );
        let aht = row(
            "aht",
            Family::Operational,
            Better::Lower,
            None,
            flat,
            fig(500.0, 1.0),
            fig(300.0, 1.0),
        );
        let rows = [csat, concern, ces, tone, aht];
        let s = struggles(&rows);
        assert_eq!(
            s.iter().map(|s| s.key.as_str()).collect::<Vec<_>>(),
            ["csat", "qa:r/concern", "aht"]
        );
        let o = overlaps(&rows, &s);
        assert_eq!(
            o,
            vec![
                Overlap {
                    survey: "csat".into(),
                    internal: "qa:r/concern".into(),
                    kind: OverlapKind::BothStruggle
                },
                Overlap {
                    survey: "ces".into(),
                    internal: "qa:r/tone".into(),
                    kind: OverlapKind::BothWorsen
                },
            ]
        );
    }
}
