//! Targets as the CLI takes them (`--to VALUE`, `--by N%`, `--by Npp`) and
//! their resolution to a target value from the KPI's unit, which way is
//! better, the goal's direction and the baseline.
//!
//! Rules:
//! - `--by N%` is a relative change of the baseline: the target is
//!   baseline + |baseline| × N/100 for an increase, − for a decrease (the
//!   absolute value keeps "increase" meaning "up" for a negative NPS).
//! - `--by Npp` is a change in points: ± N/100 for a rate (rates are
//!   fractions), ± N for NPS (whose unit already is percentage points). It is
//!   refused for any other unit.
//! - For a rate, "N %" is ambiguous (docs/product.md §6.1): both readings are returned,
//!   the relative one is taken, and a sentence shows both.
//! - The direction is, in order: the one asked for (or the sign of `--by`),
//!   the one implied by an absolute target against the baseline, the KPI's
//!   "better" direction. A KPI where neither way is better (volume) needs one.
//! - Targets are clamped to the unit's range (rates [0, 1], NPS [−100, 100],
//!   0–100 scores [0, 100], everything else ≥ 0), and the resolution says so.
//! - A target the baseline already meets in the asked direction is refused.

use serde::Serialize;

use crate::kpi::{Better, KpiDef, Unit};

/// Which way a goal wants its metric to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Increase,
    Decrease,
}

impl Direction {
    pub fn parse(text: &str) -> Result<Direction, TargetError> {
        match text.trim().to_lowercase().as_str() {
            "increase" | "up" | "raise" | "improve" => Ok(Direction::Increase),
            "decrease" | "down" | "reduce" | "lower" => Ok(Direction::Decrease),
            _ => Err(TargetError::NotADirection {
                text: text.to_string(),
            }),
        }
    }

    /// +1 for an increase, −1 for a decrease.
    pub fn sign(self) -> f64 {
        match self {
            Direction::Increase => 1.0,
            Direction::Decrease => -1.0,
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Direction::Increase => "increase",
            Direction::Decrease => "decrease",
        }
    }
}

/// A target as written on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TargetSpec {
    /// `--to VALUE`, in the KPI's unit (rates as fractions).
    Absolute { value: f64 },
    /// `--by N%`; `sign` is set when written `+N%` or `-N%`.
    Relative {
        percent: f64,
        sign: Option<Direction>,
    },
    /// `--by Npp`.
    Points {
        points: f64,
        sign: Option<Direction>,
    },
}

/// Why a target could not be read or resolved.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TargetError {
    #[error("'{text}' is not a number")]
    NotANumber { text: String },
    #[error("'{text}' is not a change: write N% (relative, e.g. 25%) or Npp (points of a rate, e.g. 5pp)")]
    NotAChange { text: String },
    #[error("'{text}' is not a direction: write increase or decrease")]
    NotADirection { text: String },
    #[error("{kpi} is a rate, so --to takes a fraction (0.9) or a percentage (90%), not {value}")]
    RateOutOfRange { kpi: String, value: f64 },
    #[error("{kpi} is not a rate, so '{text}' cannot be read as a percentage; give the value in the KPI's own unit")]
    PercentOnNonRate { kpi: String, text: String },
    #[error("{kpi} is not a rate, so a change in points (pp) means nothing for it; use --by N% or --to VALUE")]
    PointsOnNonRate { kpi: String },
    #[error("for {kpi} neither a rise nor a fall is better, so the goal must say whether to increase or decrease it")]
    DirectionRequired { kpi: String },
    #[error("the goal says {asked}, but the sign of the change says {written}")]
    DirectionConflict {
        asked: Direction,
        written: Direction,
    },
    #[error("a change of 0 is not a goal")]
    ZeroChange,
    #[error("the baseline of {kpi} is 0, so a relative change leaves it at 0; give --to VALUE or --by Npp")]
    ZeroBaseline { kpi: String },
    #[error("the baseline {baseline} already meets the target {target} for a goal to {direction}")]
    AlreadyMet {
        baseline: String,
        target: String,
        direction: Direction,
    },
    #[error("the stretch target {stretch} does not go beyond the target {target}")]
    StretchNotBeyond { stretch: String, target: String },
}

impl std::fmt::Display for Direction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.verb())
    }
}

fn number(text: &str) -> Result<f64, TargetError> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| TargetError::NotANumber {
            text: text.to_string(),
        })
}

/// Reads a value of a KPI as a user writes it (a target, a stretch, a given
/// baseline, a milestone): a rate takes "0.9" or "90%" (both 0.9).
pub fn parse_value(text: &str, kpi: &KpiDef) -> Result<f64, TargetError> {
    let t = text.trim();
    let value = match t.strip_suffix('%') {
        Some(pct) if kpi.unit == Unit::Rate => number(pct)? / 100.0,
        Some(_) => {
            return Err(TargetError::PercentOnNonRate {
                kpi: kpi.id.to_string(),
                text: text.to_string(),
            })
        }
        None => number(t)?,
    };
    if kpi.unit == Unit::Rate && !(0.0..=1.0).contains(&value) {
        return Err(TargetError::RateOutOfRange {
            kpi: kpi.id.to_string(),
            value,
        });
    }
    Ok(value)
}

impl TargetSpec {
    /// Reads `--to VALUE` for a KPI (see [`parse_value`]).
    pub fn parse_to(text: &str, kpi: &KpiDef) -> Result<TargetSpec, TargetError> {
        parse_value(text, kpi).map(|value| TargetSpec::Absolute { value })
    }

    /// Reads `--by N%` or `--by Npp`; a leading `+` or `-` fixes the direction.
    pub fn parse_by(text: &str) -> Result<TargetSpec, TargetError> {
        let not_a_change = || TargetError::NotAChange {
            text: text.to_string(),
        };
        let t = text.trim();
        let (sign, rest) = if let Some(r) = t.strip_prefix('+') {
            (Some(Direction::Increase), r)
        } else if let Some(r) = t.strip_prefix('-') {
            (Some(Direction::Decrease), r)
        } else {
            (None, t)
        };
        let rest = rest.trim();
        let spec = if let Some(n) = rest.strip_suffix("pp") {
            TargetSpec::Points {
                points: number(n).map_err(|_| not_a_change())?,
                sign,
            }
        } else if let Some(n) = rest.strip_suffix('%') {
            TargetSpec::Relative {
                percent: number(n).map_err(|_| not_a_change())?,
                sign,
            }
        } else {
            return Err(not_a_change());
        };
        match spec {
            TargetSpec::Points { points: n, .. } | TargetSpec::Relative { percent: n, .. }
                if n < 0.0 =>
            {
                Err(not_a_change())
            }
            TargetSpec::Points { points: n, .. } | TargetSpec::Relative { percent: n, .. }
                if n == 0.0 =>
            {
                Err(TargetError::ZeroChange)
            }
            _ => Ok(spec),
        }
    }
}

/// How the target value was read from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reading {
    Absolute,
    Relative,
    Points,
}

/// A target resolved against a baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedTarget {
    pub direction: Direction,
    pub baseline: f64,
    /// The target value taken.
    pub target: f64,
    pub reading: Reading,
    /// For "N %" of a rate: the points reading that was not taken.
    pub other_reading: Option<f64>,
    /// Whether the target was cut to the unit's range.
    pub clamped: bool,
    /// One sentence saying how the target was computed (and, for a rate,
    /// both readings).
    pub explanation: String,
    /// Warnings worth showing (clamping, a goal against the KPI's better way).
    pub notes: Vec<String>,
}

/// The range a unit's values live in.
fn unit_range(unit: Unit) -> (f64, f64) {
    match unit {
        Unit::Rate => (0.0, 1.0),
        Unit::Points => (-100.0, 100.0),
        Unit::Percent => (0.0, 100.0),
        Unit::Seconds | Unit::Score | Unit::Count => (0.0, f64::INFINITY),
    }
}

/// A value in a target sentence: rates as fractions with 2 decimals (4 when
/// needed), other values with up to 2 decimals.
fn show(unit: Unit, v: f64) -> String {
    let two = format!("{v:.2}");
    if unit == Unit::Rate && (v * 100.0 - (v * 100.0).round()).abs() > 1e-9 {
        return format!("{v:.4}");
    }
    if unit != Unit::Rate && (v - v.round()).abs() < 1e-9 {
        return format!("{v:.0}");
    }
    two
}

fn trim_number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// Resolves a target spec for `kpi` from `baseline`. `asked` is the goal's
/// direction when the user gave one.
pub fn resolve_target(
    spec: TargetSpec,
    kpi: &KpiDef,
    asked: Option<Direction>,
    baseline: f64,
) -> Result<ResolvedTarget, TargetError> {
    let unit = kpi.unit;
    let written = match spec {
        TargetSpec::Absolute { value } if value > baseline => Some(Direction::Increase),
        TargetSpec::Absolute { value } if value < baseline => Some(Direction::Decrease),
        TargetSpec::Absolute { .. } => None,
        TargetSpec::Relative { sign, .. } | TargetSpec::Points { sign, .. } => sign,
    };
    let direction = match (asked, written) {
        (Some(a), Some(w)) if a != w => {
            // For an absolute target the baseline already beats it.
            if let TargetSpec::Absolute { value } = spec {
                return Err(TargetError::AlreadyMet {
                    baseline: show(unit, baseline),
                    target: show(unit, value),
                    direction: a,
                });
            }
            return Err(TargetError::DirectionConflict {
                asked: a,
                written: w,
            });
        }
        (Some(a), _) => a,
        (None, Some(w)) => w,
        (None, None) => match kpi.better {
            Better::Higher => Direction::Increase,
            Better::Lower => Direction::Decrease,
            Better::Neither => {
                return Err(TargetError::DirectionRequired {
                    kpi: kpi.id.to_string(),
                })
            }
        },
    };
    let s = direction.sign();
    let (lo, hi) = unit_range(unit);
    let clamp = |v: f64| v.clamp(lo, hi);
    let mut notes = Vec::new();

    let (raw, reading, other_raw) = match spec {
        TargetSpec::Absolute { value } => (value, Reading::Absolute, None),
        TargetSpec::Relative { percent, .. } => {
            if baseline == 0.0 {
                return Err(TargetError::ZeroBaseline {
                    kpi: kpi.id.to_string(),
                });
            }
            let relative = baseline + s * baseline.abs() * percent / 100.0;
            let points = (unit == Unit::Rate).then(|| baseline + s * percent / 100.0);
            (relative, Reading::Relative, points)
        }
        TargetSpec::Points { points, .. } => {
            let step = match unit {
                Unit::Rate => points / 100.0,
                Unit::Points => points,
                _ => {
                    return Err(TargetError::PointsOnNonRate {
                        kpi: kpi.id.to_string(),
                    })
                }
            };
            (baseline + s * step, Reading::Points, None)
        }
    };
    let target = clamp(raw);
    let clamped = target != raw;
    if clamped {
        notes.push(format!(
            "{} would pass the end of the scale, so the target is {} instead",
            show(unit, raw),
            show(unit, target)
        ));
    }
    let other_reading = other_raw.map(clamp);
    if (target - baseline) * s <= 0.0 {
        return Err(TargetError::AlreadyMet {
            baseline: show(unit, baseline),
            target: show(unit, target),
            direction,
        });
    }
    match (kpi.better, direction) {
        (Better::Higher, Direction::Decrease) => notes.push(format!(
            "for {} a higher value is better, and this goal asks for a decrease",
            kpi.name
        )),
        (Better::Lower, Direction::Increase) => notes.push(format!(
            "for {} a lower value is better, and this goal asks for an increase",
            kpi.name
        )),
        _ => {}
    }

    let b = show(unit, baseline);
    let explanation = match (spec, other_reading) {
        (TargetSpec::Relative { percent, .. }, Some(other)) => format!(
            "{} % of a rate: {b} → {} (relative, taken) or {b} → {} ({} points)",
            trim_number(percent),
            show(unit, target),
            show(unit, other),
            trim_number(percent)
        ),
        (TargetSpec::Relative { percent, .. }, None) => format!(
            "{} by {} %: {b} → {}",
            direction.verb(),
            trim_number(percent),
            show(unit, target)
        ),
        (TargetSpec::Points { points, .. }, _) => format!(
            "{} by {} points: {b} → {}",
            direction.verb(),
            trim_number(points),
            show(unit, target)
        ),
        (TargetSpec::Absolute { .. }, _) => {
            format!("{} from {b} to {}", direction.verb(), show(unit, target))
        }
    };
    Ok(ResolvedTarget {
        direction,
        baseline,
        target,
        reading,
        other_reading,
        clamped,
        explanation,
        notes,
    })
}

impl ResolvedTarget {
    /// Checks a stretch target (R-STRETCH): it must lie beyond the target in
    /// the goal's direction.
    pub fn check_stretch(&self, stretch: f64, unit: Unit) -> Result<f64, TargetError> {
        if (stretch - self.target) * self.direction.sign() > 0.0 {
            Ok(stretch)
        } else {
            Err(TargetError::StretchNotBeyond {
                stretch: show(unit, stretch),
                target: show(unit, self.target),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::kpi;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn cli_forms_are_read() {
        let csat = kpi("csat").unwrap();
        let aht = kpi("aht").unwrap();
        let to: &[(&str, &KpiDef, f64)] = &[
            ("0.9", csat, 0.9),
            ("90%", csat, 0.9),
            (" 85.5 % ", csat, 0.855),
            ("300", aht, 300.0),
        ];
        for (text, k, want) in to {
            match TargetSpec::parse_to(text, k) {
                Ok(TargetSpec::Absolute { value }) => assert!(close(value, *want), "{text}"),
                other => panic!("{text}: {other:?}"),
            }
        }
        assert!(matches!(
            TargetSpec::parse_to("90", csat),
            Err(TargetError::RateOutOfRange { .. })
        ));
        assert!(matches!(
            TargetSpec::parse_to("90%", aht),
            Err(TargetError::PercentOnNonRate { .. })
        ));
        assert!(matches!(
            TargetSpec::parse_to("fast", aht),
            Err(TargetError::NotANumber { .. })
        ));

        let by: &[(&str, TargetSpec)] = &[
            (
                "25%",
                TargetSpec::Relative {
                    percent: 25.0,
                    sign: None,
                },
            ),
            (
                "-10 %",
                TargetSpec::Relative {
                    percent: 10.0,
                    sign: Some(Direction::Decrease),
                },
            ),
            (
                "5pp",
                TargetSpec::Points {
                    points: 5.0,
                    sign: None,
                },
            ),
            (
                "+2.5pp",
                TargetSpec::Points {
                    points: 2.5,
                    sign: Some(Direction::Increase),
                },
            ),
        ];
        for (text, want) in by {
            assert_eq!(TargetSpec::parse_by(text).as_ref(), Ok(want), "{text}");
        }
        for text in ["25", "pp", "x%", "--5%"] {
            assert!(
                matches!(
                    TargetSpec::parse_by(text),
                    Err(TargetError::NotAChange { .. })
                ),
                "{text}"
            );
        }
        assert_eq!(TargetSpec::parse_by("0%"), Err(TargetError::ZeroChange));
    }

    #[test]
    fn targets_resolve_by_unit_direction_and_baseline() {
        let rel = |p: f64| TargetSpec::Relative {
            percent: p,
            sign: None,
        };
        let pts = |p: f64| TargetSpec::Points {
            points: p,
            sign: None,
        };
        let abs = |v: f64| TargetSpec::Absolute { value: v };
        use Direction::*;
        // (kpi, spec, asked direction, baseline) → (direction, target, other reading, clamped)
        #[expect(clippy::type_complexity, reason = "a table of cases reads best inline")]
        let table: &[(
            &str,
            TargetSpec,
            Option<Direction>,
            f64,
            Direction,
            f64,
            Option<f64>,
            bool,
        )] = &[
            // example 1: CSAT by 25 % — a rate, so both readings
            (
                "csat",
                rel(25.0),
                None,
                0.60,
                Increase,
                0.75,
                Some(0.85),
                false,
            ),
            // example 2: AHT by 10 %, lower is better → decrease
            ("aht", rel(10.0), None, 600.0, Decrease, 540.0, None, false),
            // example 3: response time by 5 %
            ("frt", rel(5.0), None, 3600.0, Decrease, 3420.0, None, false),
            // example 4: retention from 85 % to 90 %
            (
                "retention",
                abs(0.90),
                None,
                0.85,
                Increase,
                0.90,
                None,
                false,
            ),
            // example 5: FCR by 18 % (relative taken, 18 points shown)
            (
                "fcr",
                rel(18.0),
                None,
                0.70,
                Increase,
                0.826,
                Some(0.88),
                false,
            ),
            // example 6: decrease CES by 20 % although higher is better
            (
                "ces",
                rel(20.0),
                Some(Decrease),
                5.0,
                Decrease,
                4.0,
                None,
                false,
            ),
            (
                "ces",
                TargetSpec::Relative {
                    percent: 20.0,
                    sign: Some(Decrease),
                },
                None,
                5.0,
                Decrease,
                4.0,
                None,
                false,
            ),
            // points of a rate, both ways
            ("csat", pts(5.0), None, 0.80, Increase, 0.85, None, false),
            (
                "abandon_rate",
                pts(2.0),
                None,
                0.10,
                Decrease,
                0.08,
                None,
                false,
            ),
            // NPS: points are its unit; a relative rise of a negative NPS goes up
            ("nps", pts(5.0), None, 30.0, Increase, 35.0, None, false),
            ("nps", rel(50.0), None, -10.0, Increase, -5.0, None, false),
            // clamping
            (
                "csat",
                rel(25.0),
                None,
                0.90,
                Increase,
                1.0,
                Some(1.0),
                true,
            ),
            ("csat", pts(20.0), None, 0.95, Increase, 1.0, None, true),
            (
                "abandon_rate",
                pts(5.0),
                None,
                0.03,
                Decrease,
                0.0,
                None,
                true,
            ),
            // volume needs a direction
            (
                "volume",
                rel(10.0),
                Some(Decrease),
                1000.0,
                Decrease,
                900.0,
                None,
                false,
            ),
            (
                "volume",
                abs(1200.0),
                None,
                1000.0,
                Increase,
                1200.0,
                None,
                false,
            ),
        ];
        for (id, spec, asked, baseline, dir, target, other, clamped) in table {
            let k = kpi(id).unwrap();
            let r = resolve_target(*spec, k, *asked, *baseline)
                .unwrap_or_else(|e| panic!("{id} {spec:?}: {e}"));
            assert_eq!(r.direction, *dir, "{id} {spec:?}");
            assert!(close(r.target, *target), "{id} {spec:?}: {}", r.target);
            match (r.other_reading, other) {
                (Some(a), Some(b)) => assert!(close(a, *b), "{id}: {a}"),
                (None, None) => {}
                (a, b) => panic!("{id}: other reading {a:?} vs {b:?}"),
            }
            assert_eq!(r.clamped, *clamped, "{id} {spec:?}");
            assert_eq!(
                r.clamped,
                r.notes.iter().any(|n| n.contains("end of the scale"))
            );
        }
    }

    #[test]
    fn a_percentage_of_a_rate_shows_both_readings() {
        let csat = kpi("csat").unwrap();
        let r = resolve_target(TargetSpec::parse_by("25%").unwrap(), csat, None, 0.60).unwrap();
        assert_eq!(
            r.explanation,
            "25 % of a rate: 0.60 → 0.75 (relative, taken) or 0.60 → 0.85 (25 points)"
        );
        let aht = kpi("aht").unwrap();
        let r = resolve_target(TargetSpec::parse_by("10%").unwrap(), aht, None, 600.0).unwrap();
        assert_eq!(r.explanation, "decrease by 10 %: 600 → 540");
        let ces = kpi("ces").unwrap();
        let r = resolve_target(TargetSpec::parse_by("-20%").unwrap(), ces, None, 5.0).unwrap();
        assert!(r.notes.iter().any(|n| n.contains("higher value is better")));
    }

    #[test]
    fn impossible_targets_are_refused_with_a_reason() {
        let csat = kpi("csat").unwrap();
        let aht = kpi("aht").unwrap();
        let volume = kpi("volume").unwrap();
        let cases: &[(&KpiDef, TargetSpec, Option<Direction>, f64, &str)] = &[
            (
                aht,
                TargetSpec::Points {
                    points: 5.0,
                    sign: None,
                },
                None,
                600.0,
                "not a rate",
            ),
            (
                volume,
                TargetSpec::Relative {
                    percent: 10.0,
                    sign: None,
                },
                None,
                1000.0,
                "must say whether",
            ),
            (
                csat,
                TargetSpec::Absolute { value: 0.8 },
                Some(Direction::Increase),
                0.85,
                "already meets",
            ),
            (
                csat,
                TargetSpec::Absolute { value: 0.85 },
                None,
                0.85,
                "already meets",
            ),
            (
                csat,
                TargetSpec::Relative {
                    percent: 10.0,
                    sign: None,
                },
                None,
                1.0,
                "already meets",
            ),
            (
                aht,
                TargetSpec::Relative {
                    percent: 10.0,
                    sign: Some(Direction::Increase),
                },
                Some(Direction::Decrease),
                600.0,
                "sign of the change says increase",
            ),
            (
                aht,
                TargetSpec::Relative {
                    percent: 10.0,
                    sign: None,
                },
                None,
                0.0,
                "baseline of aht is 0",
            ),
        ];
        for (k, spec, asked, baseline, want) in cases {
            let err = resolve_target(*spec, k, *asked, *baseline).unwrap_err();
            assert!(err.to_string().contains(want), "{}: {err}", k.id);
        }
    }

    #[test]
    fn a_stretch_goes_beyond_the_target() {
        let aht = kpi("aht").unwrap();
        let r = resolve_target(TargetSpec::parse_by("10%").unwrap(), aht, None, 600.0).unwrap();
        assert_eq!(r.check_stretch(500.0, aht.unit), Ok(500.0));
        assert!(r.check_stretch(560.0, aht.unit).is_err());
        assert!(r.check_stretch(540.0, aht.unit).is_err());
    }
}
