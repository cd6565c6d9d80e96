//! When a difference is a difference: a figure carries its 95 % interval,
//! and a comparison calls the agent better or worse only when the interval
//! of the difference excludes zero (against another figure) or the
//! figure's own interval excludes the reference (against a fixed standard).
//! Anything else is [`Side::Level`], inside the noise.

use serde::Serialize;

use crate::kpi::Better;

/// The z of a 95 % interval: an interval's half-width over it is the
/// figure's standard error.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A value with its sample size and 95 % interval (none when the sample is
/// too small to have one).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figure {
    pub value: Option<f64>,
    pub n: u64,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

impl Figure {
    /// No data.
    pub const NONE: Figure = Figure {
        value: None,
        n: 0,
        low: None,
        high: None,
    };

    /// The standard error read back from the interval (half its width over
    /// z; an asymmetric interval counts by its mean half-width).
    pub fn standard_error(&self) -> Option<f64> {
        match (self.low, self.high) {
            (Some(l), Some(h)) if h >= l => Some((h - l) / (2.0 * Z95)),
            _ => None,
        }
    }
}

/// Where a figure stands against a reference, by the KPI's better direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Better,
    Worse,
    /// Inside the noise: not called a difference.
    Level,
}

fn side(difference: f64, better: Better) -> Side {
    match better {
        Better::Higher if difference > 0.0 => Side::Better,
        Better::Higher => Side::Worse,
        Better::Lower if difference < 0.0 => Side::Better,
        Better::Lower => Side::Worse,
        Better::Neither => Side::Level,
    }
}

/// The figure against a fixed standard: beyond the noise when its interval
/// excludes the standard. `None` without a value or an interval.
pub fn against_standard(f: &Figure, standard: f64, better: Better) -> Option<Side> {
    let (v, l, h) = (f.value?, f.low?, f.high?);
    Some(if standard < l || standard > h {
        side(v - standard, better)
    } else {
        Side::Level
    })
}

/// The figure against another one (the team, an earlier month): beyond the
/// noise when value − other ± 1.96 × √(se² + se_other²) excludes zero.
pub fn against(f: &Figure, other: &Figure, better: Better) -> Option<Side> {
    let (a, b) = (f.value?, other.value?);
    let se = (f.standard_error()?.powi(2) + other.standard_error()?.powi(2)).sqrt();
    let d = a - b;
    Some(if d.abs() > Z95 * se {
        side(d, better)
    } else {
        Side::Level
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(value: f64, low: f64, high: f64) -> Figure {
        Figure {
            value: Some(value),
            n: 100,
            low: Some(low),
            high: Some(high),
        }
    }

    /// figure, standard, better → side.
    #[test]
    fn against_a_standard() {
        let cases = [
            (fig(2.2, 2.0, 2.4), 3.0, Better::Higher, Some(Side::Worse)),
            (fig(2.8, 2.5, 3.1), 3.0, Better::Higher, Some(Side::Level)),
            (fig(3.4, 3.1, 3.7), 3.0, Better::Higher, Some(Side::Better)),
            (
                fig(300.0, 280.0, 320.0),
                240.0,
                Better::Lower,
                Some(Side::Worse),
            ),
            (fig(0.5, 0.4, 0.6), 0.6, Better::Higher, Some(Side::Level)),
            (Figure::NONE, 3.0, Better::Higher, None),
        ];
        for (f, s, b, want) in cases {
            assert_eq!(against_standard(&f, s, b), want, "{f:?} against {s}");
        }
    }

    /// Two figures: se of each is half-width / 1.96.
    #[test]
    fn against_another_figure() {
        // se 0.1 each → noise 1.96 × 0.1414 = 0.277.
        let h = Z95 * 0.1;
        let a = fig(3.0, 3.0 - h, 3.0 + h);
        let close = fig(3.25, 3.25 - h, 3.25 + h);
        let far = fig(3.3, 3.3 - h, 3.3 + h);
        assert_eq!(against(&a, &close, Better::Higher), Some(Side::Level));
        assert_eq!(against(&a, &far, Better::Higher), Some(Side::Worse));
        assert_eq!(against(&far, &a, Better::Higher), Some(Side::Better));
        assert_eq!(against(&a, &far, Better::Lower), Some(Side::Better));
        assert_eq!(against(&a, &Figure::NONE, Better::Higher), None);
    }
}
