//! A figure against its standard. The value is compared as it is shown
//! (a rate to a tenth of a percentage point, a score to a hundredth, a
//! duration to a tenth of a second), so "80.0 %" against "at least 80.0 %"
//! never reads as missed.

use serde::Serialize;

use crate::kpi::Unit;

use super::definition::{Standard, StandardDirection};

/// Whether an indicator meets its standard in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Met,
    NotMet,
    /// No sample in the period (n = 0): nothing to judge (a count of 0
    /// is judged: no contacts is a value).
    NoData,
    /// The organisation has set no standard (and no goal gives one).
    NoStandard,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::NotMet => "not_met",
            Verdict::NoData => "no_data",
            Verdict::NoStandard => "no_standard",
        }
    }
}

/// The value at the precision it is shown with.
fn as_shown(unit: Unit, v: f64) -> f64 {
    let round = |v: f64, places: i32| {
        let f = 10f64.powi(places);
        (v * f).round() / f
    };
    match unit {
        Unit::Rate => round(v, 3),
        Unit::Points | Unit::Percent | Unit::Seconds => round(v, 1),
        Unit::Score => round(v, 2),
        Unit::Count => v.round(),
    }
}

/// The verdict on `value` (with `n` items behind it) against `standard`.
pub fn verdict(unit: Unit, value: Option<f64>, n: u64, standard: Option<&Standard>) -> Verdict {
    let Some(standard) = standard else {
        return Verdict::NoStandard;
    };
    // A count of nothing is a value (no contacts); any other figure needs
    // a sample.
    let Some(v) = value.filter(|v| v.is_finite() && (n > 0 || unit == Unit::Count)) else {
        return Verdict::NoData;
    };
    let (v, s) = (as_shown(unit, v), as_shown(unit, standard.value));
    let met = match standard.direction {
        StandardDirection::AtLeast => v >= s,
        StandardDirection::AtMost => v <= s,
    };
    if met {
        Verdict::Met
    } else {
        Verdict::NotMet
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::kpi;

    #[test]
    fn met_or_not_as_the_figures_read() {
        use Verdict::*;
        let std = |id: &str, text: &str| Standard::parse(text, kpi(id).unwrap()).unwrap();
        let cases: &[(&str, &str, Option<f64>, u64, Verdict)] = &[
            // Higher is better: at least.
            ("csat", "80%", Some(0.81), 100, Met),
            ("csat", "80%", Some(0.80), 100, Met),
            // 79.96 % is shown as 80.0 %: met, as it reads.
            ("csat", "80%", Some(0.7996), 100, Met),
            ("csat", "80%", Some(0.7994), 100, NotMet),
            ("csat", "80%", None, 0, NoData),
            ("csat", "80%", Some(0.9), 0, NoData),
            // Lower is better: at most.
            ("frt", "2m", Some(119.0), 40, Met),
            ("frt", "2m", Some(120.04), 40, Met),
            ("frt", "2m", Some(121.0), 40, NotMet),
            ("abandon_rate", "5%", Some(0.049), 900, Met),
            ("abandon_rate", "5%", Some(0.061), 900, NotMet),
            // NPS in points, negative standards too.
            ("nps", "-10", Some(-5.0), 50, Met),
            ("nps", "30", Some(29.9), 50, NotMet),
            // Volume has no better direction: the standard says which.
            ("volume", "at most 1000", Some(1000.0), 1000, Met),
            ("volume", ">= 1000", Some(999.0), 999, NotMet),
            ("volume", ">= 1000", Some(0.0), 0, NotMet),
            ("volume", "<= 1000", Some(0.0), 0, Met),
            // A direction against the KPI's own is the organisation's call.
            ("aht", ">= 60s", Some(59.0), 10, NotMet),
        ];
        for (id, standard, value, n, want) in cases {
            let k = kpi(id).unwrap();
            let s = std(id, standard);
            assert_eq!(
                verdict(k.unit, *value, *n, Some(&s)),
                *want,
                "{id} {value:?} against {standard}"
            );
        }
        assert_eq!(verdict(Unit::Rate, Some(0.5), 10, None), NoStandard);
    }
}
