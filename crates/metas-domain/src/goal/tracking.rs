//! Tracking a goal (docs/product.md §6.3): progress, the progress expected by today,
//! status, a forecast at the deadline and milestones.
//!
//! Rules:
//! - progress = (value − baseline) / (target − baseline): 0 at the baseline,
//!   1 at the target, negative when the value moved the wrong way.
//! - expected progress = the share of the days from start to deadline that
//!   have passed by today, between 0 and 1 (the straight line).
//! - status, after the deadline (today > deadline, so the deadline's own day
//!   still counts): achieved when progress ≥ 1, otherwise missed. Before it:
//!   achieved early when progress ≥ 1 (not final: the value can slip back);
//!   on track when progress ≥ 0.9 × expected; at risk when ≥ 0.6 × expected;
//!   off track otherwise. Before anything is expected (today ≤ start) a goal
//!   is on track.
//! - forecast: a straight line value = a + b·day fitted to the series by
//!   weighted least squares, each point weighted by its sample size n (a
//!   period's value is a mean or rate over n observations, so its variance
//!   goes as 1/n). The residual variance s² = Σ wᵢrᵢ² / (k − 2) is that of a
//!   unit-weight observation; the variance of one more period's value at the
//!   deadline, with the series' mean weight w̄, is
//!   s² · (1/w̄ + 1/Σw + (x − x̄)² / Σw(xᵢ − x̄)²). The interval is the
//!   forecast ± t(k − 2) × its standard deviation (Student's t from
//!   `stats::t_quantile`), and the chance of reaching the target is the
//!   normal probability of landing on the target's side of it. At least 3
//!   points on 2 different days are needed.
//! - milestones: `count` evenly spaced steps from baseline to target, the
//!   last one the target at the deadline; a milestone is met when the value
//!   has reached it, and due when its date is on or before today.

use jiff::civil::Date;
use jiff::ToSpan;
use serde::Serialize;

use super::target::Direction;
use crate::stats::{t_quantile, Interval};

/// Why a goal line cannot be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrackingError {
    #[error("the deadline {deadline} is not after the start {start}")]
    DeadlineNotAfterStart { start: Date, deadline: Date },
    #[error("the target equals the baseline, so there is no progress to track")]
    NoChange,
    #[error("the baseline and target must be numbers")]
    NotFinite,
}

/// The straight line a goal follows: from baseline at the start to target at
/// the deadline. Built only through [`GoalLine::new`], so the deadline is
/// after the start and the target differs from the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GoalLine {
    baseline: f64,
    target: f64,
    start: Date,
    deadline: Date,
}

/// Where a goal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackStatus {
    OnTrack,
    AtRisk,
    OffTrack,
    /// The target is reached before the deadline (not final).
    AchievedEarly,
    /// The deadline has passed with the target reached.
    Achieved,
    /// The deadline has passed without it.
    Missed,
}

impl TrackStatus {
    /// Whether the deadline has settled the goal.
    pub fn is_final(self) -> bool {
        matches!(self, TrackStatus::Achieved | TrackStatus::Missed)
    }
}

/// Progress of a goal on a day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Progress {
    pub value: f64,
    pub baseline: f64,
    pub target: f64,
    /// 0 at the baseline, 1 at the target.
    pub progress: f64,
    /// What the straight line expects by today.
    pub expected: f64,
    /// What is left to go, in the KPI's unit: target − value, negative for a
    /// decrease goal, 0 once the target is reached.
    pub remaining: f64,
    pub status: TrackStatus,
}

/// One point of a KPI's history: a period's value and its sample size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SeriesPoint {
    pub date: Date,
    pub value: f64,
    pub n: f64,
}

/// The value expected at the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Forecast {
    pub date: Date,
    pub value: f64,
    pub interval: Interval,
    pub confidence: f64,
    /// Probability (0–1) of reaching the target at the deadline.
    pub chance: f64,
    /// Change per day of the fitted trend.
    pub slope_per_day: f64,
    pub points: usize,
}

/// A step on the way to the target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Milestone {
    pub date: Date,
    pub value: f64,
    pub met: bool,
    /// Its date is on or before today.
    pub due: bool,
}

/// Days from `a` to `b` (negative when `b` is earlier).
fn days(a: Date, b: Date) -> f64 {
    a.until(b).map(|s| s.get_days() as f64).unwrap_or(0.0)
}

impl Milestone {
    /// In words: met, not met (its date has passed), or ahead.
    pub fn state(&self) -> &'static str {
        if self.met {
            "met"
        } else if self.due {
            "not met"
        } else {
            "ahead"
        }
    }
}

impl GoalLine {
    pub fn new(
        baseline: f64,
        target: f64,
        start: Date,
        deadline: Date,
    ) -> Result<GoalLine, TrackingError> {
        if !baseline.is_finite() || !target.is_finite() {
            return Err(TrackingError::NotFinite);
        }
        if deadline <= start {
            return Err(TrackingError::DeadlineNotAfterStart { start, deadline });
        }
        if target == baseline {
            return Err(TrackingError::NoChange);
        }
        Ok(GoalLine {
            baseline,
            target,
            start,
            deadline,
        })
    }

    pub fn baseline(&self) -> f64 {
        self.baseline
    }
    pub fn target(&self) -> f64 {
        self.target
    }
    pub fn start(&self) -> Date {
        self.start
    }
    pub fn deadline(&self) -> Date {
        self.deadline
    }

    pub fn direction(&self) -> Direction {
        if self.target > self.baseline {
            Direction::Increase
        } else {
            Direction::Decrease
        }
    }

    /// How far `value` has come from the baseline toward the target.
    pub fn progress(&self, value: f64) -> f64 {
        (value - self.baseline) / (self.target - self.baseline)
    }

    /// The progress the straight line expects by `today`, in [0, 1].
    pub fn expected_progress(&self, today: Date) -> f64 {
        (days(self.start, today) / days(self.start, self.deadline)).clamp(0.0, 1.0)
    }

    /// The status rule of the module doc.
    pub fn status(&self, value: f64, today: Date) -> TrackStatus {
        let progress = self.progress(value);
        let reached = progress >= 1.0;
        if today > self.deadline {
            return if reached {
                TrackStatus::Achieved
            } else {
                TrackStatus::Missed
            };
        }
        if reached {
            return TrackStatus::AchievedEarly;
        }
        let expected = self.expected_progress(today);
        if expected <= 0.0 || progress >= 0.9 * expected {
            TrackStatus::OnTrack
        } else if progress >= 0.6 * expected {
            TrackStatus::AtRisk
        } else {
            TrackStatus::OffTrack
        }
    }

    /// Progress, expected progress and status of `value` on `today`.
    pub fn track(&self, value: f64, today: Date) -> Progress {
        let progress = self.progress(value);
        Progress {
            value,
            baseline: self.baseline,
            target: self.target,
            progress,
            expected: self.expected_progress(today),
            remaining: ((self.target - value) * self.direction().sign()).max(0.0)
                * self.direction().sign(),
            status: self.status(value, today),
        }
    }

    /// The forecast of the module doc at `confidence` (e.g. 0.95), or `None`
    /// with fewer than 3 usable points or all on one day.
    pub fn forecast(&self, points: &[SeriesPoint], confidence: f64) -> Option<Forecast> {
        let pts: Vec<(f64, f64, f64)> = points
            .iter()
            .filter(|p| p.n > 0.0 && p.value.is_finite() && p.n.is_finite())
            .map(|p| (days(self.start, p.date), p.value, p.n))
            .collect();
        let k = pts.len();
        if k < 3 {
            return None;
        }
        let sw: f64 = pts.iter().map(|p| p.2).sum();
        let xbar = pts.iter().map(|p| p.2 * p.0).sum::<f64>() / sw;
        let ybar = pts.iter().map(|p| p.2 * p.1).sum::<f64>() / sw;
        let sxx: f64 = pts.iter().map(|p| p.2 * (p.0 - xbar).powi(2)).sum();
        if sxx <= 0.0 {
            return None;
        }
        let sxy: f64 = pts.iter().map(|p| p.2 * (p.0 - xbar) * (p.1 - ybar)).sum();
        let slope = sxy / sxx;
        let intercept = ybar - slope * xbar;
        let df = (k - 2) as f64;
        let s2 = pts
            .iter()
            .map(|p| p.2 * (p.1 - intercept - slope * p.0).powi(2))
            .sum::<f64>()
            / df;
        let x0 = days(self.start, self.deadline);
        let value = intercept + slope * x0;
        let mean_w = sw / k as f64;
        let sd = (s2 * (1.0 / mean_w + 1.0 / sw + (x0 - xbar).powi(2) / sxx)).sqrt();
        let t = t_quantile(1.0 - (1.0 - confidence) / 2.0, df);
        let sign = self.direction().sign();
        // Chance that the value lands on the target's side.
        let chance = if sd > 1e-12 * value.abs().max(1.0) {
            normal_cdf(sign * (value - self.target) / sd)
        } else if (value - self.target) * sign >= -1e-9 * self.target.abs().max(1.0) {
            1.0
        } else {
            0.0
        };
        Some(Forecast {
            date: self.deadline,
            value,
            interval: Interval {
                low: value - t * sd,
                high: value + t * sd,
            },
            confidence,
            chance,
            slope_per_day: slope,
            points: k,
        })
    }

    /// `count` milestones evenly spaced in value and date, the last one the
    /// target at the deadline, each marked met by `value` and due by `today`.
    pub fn milestones(&self, count: u32, value: f64, today: Date) -> Vec<Milestone> {
        let total = days(self.start, self.deadline);
        let progress = self.progress(value);
        (1..=count)
            .map(|i| {
                let share = f64::from(i) / f64::from(count);
                let offset = (total * share).round() as i64;
                let date = self
                    .start
                    .checked_add(offset.days())
                    .unwrap_or(self.deadline);
                Milestone {
                    date,
                    value: self.baseline + (self.target - self.baseline) * share,
                    // Compare on progress, with a hair of tolerance for
                    // rounding, so "met" holds in both directions.
                    met: progress >= share - 1e-9,
                    due: date <= today,
                }
            })
            .collect()
    }
}

/// Standard normal CDF (Abramowitz–Stegun 7.1.26 for erf, error < 1.5e-7).
fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-x * x).exp();
    if z >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn line() -> GoalLine {
        // CSAT 0.60 → 0.75 over 100 days.
        GoalLine::new(0.60, 0.75, date(2026, 1, 1), date(2026, 4, 11)).unwrap()
    }

    #[test]
    fn a_goal_line_needs_a_change_and_time() {
        let d = date(2026, 1, 1);
        assert_eq!(
            GoalLine::new(0.6, 0.6, d, date(2026, 2, 1)),
            Err(TrackingError::NoChange)
        );
        assert!(matches!(
            GoalLine::new(0.6, 0.7, d, d),
            Err(TrackingError::DeadlineNotAfterStart { .. })
        ));
        assert_eq!(
            GoalLine::new(f64::NAN, 0.7, d, date(2026, 2, 1)),
            Err(TrackingError::NotFinite)
        );
    }

    #[test]
    fn progress_and_status_follow_the_straight_line() {
        let csat = line();
        let aht = GoalLine::new(600.0, 540.0, date(2026, 1, 1), date(2026, 4, 11)).unwrap();
        use TrackStatus::*;
        // (line, value, today) → (progress, expected, status)
        let table: &[(GoalLine, f64, Date, f64, f64, TrackStatus)] = &[
            (csat, 0.60, date(2025, 12, 20), 0.0, 0.0, OnTrack),
            (csat, 0.58, date(2026, 1, 1), -2.0 / 15.0, 0.0, OnTrack),
            (csat, 0.675, date(2026, 2, 20), 0.5, 0.5, OnTrack),
            (csat, 0.66, date(2026, 2, 20), 0.4, 0.5, AtRisk),
            (aht, 573.0, date(2026, 2, 20), 0.45, 0.5, OnTrack), // 0.9 × 0.5 exactly
            (aht, 574.0, date(2026, 2, 20), 26.0 / 60.0, 0.5, AtRisk),
            (aht, 582.0, date(2026, 2, 20), 0.3, 0.5, AtRisk), // 0.6 × 0.5 exactly
            (aht, 583.0, date(2026, 2, 20), 17.0 / 60.0, 0.5, OffTrack),
            (csat, 0.6, date(2026, 2, 20), 0.0, 0.5, OffTrack),
            (
                csat,
                0.76,
                date(2026, 2, 20),
                16.0 / 15.0,
                0.5,
                AchievedEarly,
            ),
            (csat, 0.70, date(2026, 4, 11), 2.0 / 3.0, 1.0, AtRisk), // deadline day still open
            (csat, 0.75, date(2026, 4, 12), 1.0, 1.0, Achieved),
            (csat, 0.74, date(2026, 4, 12), 14.0 / 15.0, 1.0, Missed),
            // a decrease goal: AHT 600 → 540
            (aht, 570.0, date(2026, 2, 20), 0.5, 0.5, OnTrack),
            (aht, 590.0, date(2026, 2, 20), 1.0 / 6.0, 0.5, OffTrack),
            (aht, 620.0, date(2026, 2, 20), -1.0 / 3.0, 0.5, OffTrack),
            (aht, 530.0, date(2026, 5, 1), 7.0 / 6.0, 1.0, Achieved),
            (aht, 545.0, date(2026, 5, 1), 11.0 / 12.0, 1.0, Missed),
        ];
        for (l, value, today, progress, expected, status) in table {
            let p = l.track(*value, *today);
            assert!(
                (p.progress - progress).abs() < 1e-9,
                "{value} {today}: {}",
                p.progress
            );
            assert!(
                (p.expected - expected).abs() < 1e-9,
                "{value} {today}: {}",
                p.expected
            );
            assert_eq!(p.status, *status, "{value} {today}");
        }
        assert!((aht.track(570.0, date(2026, 2, 20)).remaining + 30.0).abs() < 1e-9);
        assert!((csat.track(0.70, date(2026, 2, 20)).remaining - 0.05).abs() < 1e-9);
        assert_eq!(csat.track(0.80, date(2026, 2, 20)).remaining, 0.0);
        assert!(Missed.is_final() && !AchievedEarly.is_final());
    }

    fn series(start: Date, values: &[(i64, f64, f64)]) -> Vec<SeriesPoint> {
        values
            .iter()
            .map(|(d, v, n)| SeriesPoint {
                date: start.checked_add(d.days()).unwrap(),
                value: *v,
                n: *n,
            })
            .collect()
    }

    #[test]
    fn an_exact_line_forecasts_exactly() {
        let l = line();
        let start = l.start();
        // 0.60 + 0.002/day: reaches 0.80 at day 100 → target met, chance 1.
        let up = series(
            start,
            &[
                (0, 0.60, 100.0),
                (10, 0.62, 50.0),
                (20, 0.64, 200.0),
                (30, 0.66, 80.0),
            ],
        );
        let f = l.forecast(&up, 0.95).unwrap();
        assert!((f.value - 0.80).abs() < 1e-9, "{}", f.value);
        assert!((f.slope_per_day - 0.002).abs() < 1e-12);
        assert!((f.interval.high - f.interval.low).abs() < 1e-9);
        assert_eq!(f.chance, 1.0);
        assert_eq!(f.points, 4);
        // 0.60 + 0.0005/day: 0.65 at day 100 → chance 0.
        let slow = series(
            start,
            &[(0, 0.60, 10.0), (20, 0.61, 10.0), (40, 0.62, 10.0)],
        );
        let f = l.forecast(&slow, 0.95).unwrap();
        assert!((f.value - 0.65).abs() < 1e-9);
        assert_eq!(f.chance, 0.0);
        // A decrease goal reads the chance the other way.
        let aht = GoalLine::new(600.0, 540.0, start, l.deadline()).unwrap();
        let down = series(
            start,
            &[(0, 600.0, 5.0), (50, 570.0, 5.0), (60, 564.0, 5.0)],
        );
        let f = aht.forecast(&down, 0.9).unwrap();
        assert!((f.value - 540.0).abs() < 1e-9);
        assert_eq!(f.chance, 1.0);
    }

    #[test]
    fn a_noisy_series_gets_an_interval_that_covers_the_trend() {
        let l = line();
        // True line 0.60 + 0.0015/day (0.75 at day 100 = the target), with
        // fixed ± noise.
        let noise = [0.01, -0.012, 0.004, -0.006, 0.011, -0.009, 0.003, -0.002];
        let pts: Vec<(i64, f64, f64)> = noise
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let d = i as i64 * 7;
                (d, 0.60 + 0.0015 * d as f64 + e, 100.0)
            })
            .collect();
        let f = l.forecast(&series(l.start(), &pts), 0.95).unwrap();
        assert!(f.interval.low < 0.75 && 0.75 < f.interval.high, "{f:?}");
        assert!(f.interval.high - f.interval.low < 0.2, "{f:?}");
        // The trend lands close to the target, so the chance is near even.
        assert!(f.chance > 0.2 && f.chance < 0.8, "{}", f.chance);
        // Shift the series up by 0.1 and reaching the target becomes very likely.
        let up: Vec<(i64, f64, f64)> = pts.iter().map(|(d, v, n)| (*d, v + 0.1, *n)).collect();
        let f = l.forecast(&series(l.start(), &up), 0.95).unwrap();
        assert!(f.chance > 0.95, "{}", f.chance);
    }

    #[test]
    fn a_forecast_needs_three_points_on_different_days() {
        let l = line();
        let s = l.start();
        assert!(l
            .forecast(&series(s, &[(0, 0.6, 1.0), (5, 0.61, 1.0)]), 0.95)
            .is_none());
        assert!(l
            .forecast(
                &series(s, &[(3, 0.6, 1.0), (3, 0.61, 1.0), (3, 0.62, 1.0)]),
                0.95
            )
            .is_none());
        // Points without data do not count.
        assert!(l
            .forecast(
                &series(s, &[(0, 0.6, 1.0), (5, 0.61, 0.0), (9, 0.62, 1.0)]),
                0.95
            )
            .is_none());
    }

    #[test]
    fn the_normal_cdf_is_right_where_it_matters() {
        for (z, p) in [
            (0.0, 0.5),
            (1.959964, 0.975),
            (-1.644854, 0.05),
            (3.0, 0.998650),
        ] {
            assert!((normal_cdf(z) - p).abs() < 1e-6, "{z}");
        }
    }

    #[test]
    fn milestones_are_even_in_value_and_date() {
        let l = line(); // 100 days, 0.60 → 0.75
        let ms = l.milestones(3, 0.66, date(2026, 2, 15));
        let want = [
            (date(2026, 2, 3), 0.65, true, true),    // day 33
            (date(2026, 3, 9), 0.70, false, false),  // day 67
            (date(2026, 4, 11), 0.75, false, false), // day 100
        ];
        assert_eq!(ms.len(), 3);
        for (m, (d, v, met, due)) in ms.iter().zip(want) {
            assert_eq!(m.date, d);
            assert!((m.value - v).abs() < 1e-9);
            assert_eq!((m.met, m.due), (met, due), "{m:?}");
        }
        // Decrease: AHT 600 → 540 in 2 milestones; 570 meets the first exactly.
        let aht = GoalLine::new(600.0, 540.0, l.start(), l.deadline()).unwrap();
        let ms = aht.milestones(2, 570.0, date(2026, 5, 1));
        assert_eq!(ms[0].date, date(2026, 2, 20));
        assert!(ms[0].met && !ms[1].met && ms[1].due);
        assert!(aht.milestones(0, 570.0, date(2026, 5, 1)).is_empty());
    }
}
