//! The figures a manager gives a staffing question, read once into types
//! that cannot hold a wrong value: a service-level objective ("80/20"), a
//! shrinkage and a maximum occupancy ("30%", "85%"), durations ("180s",
//! "3m", "1h30m"), a count of arrivals and a cost per hour.
//!
//! Rules:
//! - A percentage is written with or without `%` ("30%" and "30" are both
//!   30 %), between 0 and 100. A fraction ("0.3") is read as 0.3 %, like
//!   any other number, so the sign is the safe way to write one.
//! - A duration is a number with a unit, `s`, `m` or `h`, several parts
//!   allowed ("1m30s"); a bare number is seconds.
//! - A service level is `percent/seconds`: "80/20" is 80 % of calls
//!   answered within 20 seconds. The percentage is above 0 and below 100:
//!   under Erlang C some callers always wait, so 100 % is never reached.
//!   The seconds may be 0 (answered at once) and take a unit ("80/1m").
//! - Open hours a week (what the calculator's cost per week counts) are
//!   above 0 and at most 168.
//! - Shrinkage is below 100 % (agents who are never available cannot be
//!   scheduled around); a maximum occupancy is above 0 %.

use std::fmt;

use serde::Serialize;

/// Why a figure could not be read. Each sentence names what was written and
/// what is expected; the caller names the option.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    #[error("'{text}' is not a service level; write percent/seconds, e.g. 80/20 (80 % of calls answered within 20 seconds)")]
    NotAServiceLevel { text: String },
    #[error("a service level of {percent} % is never reached under Erlang C (some callers always wait); ask for more than 0 and less than 100 %")]
    ServiceLevelOutOfRange { percent: String },
    #[error("'{text}' is not a percentage between 0 and 100; write e.g. 30%")]
    NotAPercent { text: String },
    #[error("a shrinkage of 100 % leaves no one to take calls; give less than 100 %")]
    ShrinkageTooHigh,
    #[error("a maximum occupancy of 0 % lets no agent take a call; give more than 0 %")]
    OccupancyZero,
    #[error("'{text}' is not a duration; write seconds, minutes or hours, e.g. 180s, 3m or 1h30m")]
    NotADuration { text: String },
    #[error("a duration of 0 means nothing here; give one above 0, e.g. 180s")]
    ZeroDuration,
    #[error("'{text}' is not a number above 0")]
    NotAPositiveNumber { text: String },
    #[error("'{text}' is not an amount of money (a number of 0 or more, e.g. 28 or 28.50)")]
    NotAnAmount { text: String },
    #[error("'{text}' is not a whole number of agents above 0")]
    NotAnAgentCount { text: String },
    #[error("'{text}' is not a number of hours in a week (above 0, at most 168)")]
    NotWeeklyHours { text: String },
}

fn number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Writes a number without a needless fraction: 80, 12.5.
pub(crate) fn plain(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A share between 0 and 1, written by people as a percentage.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Percent(f64);

impl Percent {
    /// Reads "30%", "30 %" or "30" (all 30 %), between 0 and 100.
    pub fn parse(text: &str) -> Result<Percent, InputError> {
        let t = text.trim();
        let digits = t.strip_suffix('%').unwrap_or(t);
        number(digits)
            .filter(|p| (0.0..=100.0).contains(p))
            .map(|p| Percent(p / 100.0))
            .ok_or_else(|| InputError::NotAPercent {
                text: text.trim().to_string(),
            })
    }

    /// The share, 0–1.
    pub fn fraction(self) -> f64 {
        self.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} %", plain(self.0 * 100.0))
    }
}

/// The share of paid time agents are not available to take calls (breaks,
/// training, absence): below 100 %.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Shrinkage(Percent);

impl Shrinkage {
    pub const NONE: Shrinkage = Shrinkage(Percent(0.0));

    pub fn parse(text: &str) -> Result<Shrinkage, InputError> {
        let p = Percent::parse(text)?;
        if p.fraction() >= 1.0 {
            return Err(InputError::ShrinkageTooHigh);
        }
        Ok(Shrinkage(p))
    }

    pub fn fraction(self) -> f64 {
        self.0.fraction()
    }
}

impl fmt::Display for Shrinkage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The highest share of their time agents may spend on calls: above 0 %.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct MaxOccupancy(Percent);

impl MaxOccupancy {
    /// No limit: agents may be busy all the time.
    pub const NONE: MaxOccupancy = MaxOccupancy(Percent(1.0));

    pub fn parse(text: &str) -> Result<MaxOccupancy, InputError> {
        let p = Percent::parse(text)?;
        if p.fraction() <= 0.0 {
            return Err(InputError::OccupancyZero);
        }
        Ok(MaxOccupancy(p))
    }

    pub fn fraction(self) -> f64 {
        self.0.fraction()
    }
}

impl fmt::Display for MaxOccupancy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Reads a duration in seconds (0 allowed): "180s", "3m", "1h30m", "2.5m", "180".
fn duration_secs(text: &str) -> Result<f64, InputError> {
    let bad = || InputError::NotADuration {
        text: text.trim().to_string(),
    };
    let t = text.trim().to_lowercase();
    if t.is_empty() {
        return Err(bad());
    }
    if let Some(v) = number(&t) {
        return if v >= 0.0 { Ok(v) } else { Err(bad()) };
    }
    let mut total = 0.0;
    let mut digits = String::new();
    let mut last_unit = f64::INFINITY;
    for c in t.chars().filter(|c| !c.is_whitespace()) {
        let unit = match c {
            'h' => 3600.0,
            'm' => 60.0,
            's' => 1.0,
            '0'..='9' | '.' => {
                digits.push(c);
                continue;
            }
            _ => return Err(bad()),
        };
        // Units go from large to small, each once: "1h30m", not "30m1h".
        let v = number(&digits).ok_or_else(bad)?;
        if unit >= last_unit || v < 0.0 {
            return Err(bad());
        }
        last_unit = unit;
        total += v * unit;
        digits.clear();
    }
    if !digits.is_empty() {
        return Err(bad());
    }
    Ok(total)
}

/// A length of time above 0, in seconds: a handle time or the interval
/// arrivals are counted in.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Secs(f64);

impl Secs {
    /// The interval arrivals are counted in unless told otherwise.
    pub const HALF_HOUR: Secs = Secs(1800.0);

    /// Reads "180s", "3m", "1h30m" or "180" (seconds); 0 is refused.
    pub fn parse(text: &str) -> Result<Secs, InputError> {
        let v = duration_secs(text)?;
        Secs::new(v).ok_or(InputError::ZeroDuration)
    }

    /// A measured duration (a mean handle time); `None` unless above 0.
    pub fn new(secs: f64) -> Option<Secs> {
        (secs.is_finite() && secs > 0.0).then_some(Secs(secs))
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

impl fmt::Display for Secs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        if s >= 60.0 && (s % 60.0).abs() < 1e-9 {
            if s >= 3600.0 && (s % 3600.0).abs() < 1e-9 {
                write!(f, "{} h", plain(s / 3600.0))
            } else {
                write!(f, "{} min", plain(s / 60.0))
            }
        } else {
            write!(f, "{} s", plain(s))
        }
    }
}

/// A service-level objective: a share of calls answered within a time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ServiceLevel {
    share: f64,
    within_secs: f64,
}

impl ServiceLevel {
    /// Reads "80/20" (80 % within 20 s); also "80%/20s", "90/1m".
    pub fn parse(text: &str) -> Result<ServiceLevel, InputError> {
        let bad = || InputError::NotAServiceLevel {
            text: text.trim().to_string(),
        };
        let (p, t) = text.split_once('/').ok_or_else(bad)?;
        let p = p.trim();
        let percent = number(p.strip_suffix('%').unwrap_or(p)).ok_or_else(bad)?;
        let within_secs = duration_secs(t).map_err(|_| bad())?;
        ServiceLevel::new(percent / 100.0, within_secs).ok_or_else(|| {
            InputError::ServiceLevelOutOfRange {
                percent: plain(percent),
            }
        })
    }

    /// `share` strictly between 0 and 1, `within_secs` 0 or more.
    pub fn new(share: f64, within_secs: f64) -> Option<ServiceLevel> {
        (share > 0.0 && share < 1.0 && within_secs.is_finite() && within_secs >= 0.0)
            .then_some(ServiceLevel { share, within_secs })
    }

    /// The share of calls to answer in time, 0–1.
    pub fn share(self) -> f64 {
        self.share
    }

    /// The time they are to be answered within, in seconds.
    pub fn within_secs(self) -> f64 {
        self.within_secs
    }

    /// The same time with another share (a neighbouring target), if valid.
    pub fn with_share(self, share: f64) -> Option<ServiceLevel> {
        ServiceLevel::new(share, self.within_secs)
    }
}

impl fmt::Display for ServiceLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}",
            plain(self.share * 100.0),
            plain(self.within_secs)
        )
    }
}

/// How many calls arrive in an interval, on average: above 0.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Arrivals(f64);

impl Arrivals {
    pub fn parse(text: &str) -> Result<Arrivals, InputError> {
        number(text)
            .and_then(Arrivals::new)
            .ok_or_else(|| InputError::NotAPositiveNumber {
                text: text.trim().to_string(),
            })
    }

    /// A measured mean; `None` unless above 0.
    pub fn new(calls: f64) -> Option<Arrivals> {
        (calls.is_finite() && calls > 0.0).then_some(Arrivals(calls))
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

/// What one agent on the rota costs per hour, 0 or more, in the user's
/// currency.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct HourlyCost(f64);

impl HourlyCost {
    pub fn parse(text: &str) -> Result<HourlyCost, InputError> {
        number(text)
            .filter(|v| *v >= 0.0)
            .map(HourlyCost)
            .ok_or_else(|| InputError::NotAnAmount {
                text: text.trim().to_string(),
            })
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

/// A number of agents above 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct AgentCount(u32);

impl AgentCount {
    pub fn parse(text: &str) -> Result<AgentCount, InputError> {
        text.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .map(AgentCount)
            .ok_or_else(|| InputError::NotAnAgentCount {
                text: text.trim().to_string(),
            })
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// Hours a week a queue is open at a given load: above 0, at most 168.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub struct WeeklyHours(f64);

impl WeeklyHours {
    /// A working week, 40 hours: the calculator's default.
    pub const WORKING_WEEK: WeeklyHours = WeeklyHours(40.0);

    pub fn parse(text: &str) -> Result<WeeklyHours, InputError> {
        number(text)
            .filter(|h| *h > 0.0 && *h <= 168.0)
            .map(WeeklyHours)
            .ok_or_else(|| InputError::NotWeeklyHours {
                text: text.trim().to_string(),
            })
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn service_levels_are_read() {
        let ok: &[(&str, f64, f64)] = &[
            ("80/20", 0.8, 20.0),
            (" 80 / 20 ", 0.8, 20.0),
            ("80%/20s", 0.8, 20.0),
            ("90/1m", 0.9, 60.0),
            ("99.5/0", 0.995, 0.0),
        ];
        for (text, share, within) in ok {
            let sl = ServiceLevel::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert!(close(sl.share(), *share), "{text}");
            assert!(close(sl.within_secs(), *within), "{text}");
        }
        assert_eq!(ServiceLevel::parse("80/20").unwrap().to_string(), "80/20");
        for text in ["80", "80/", "/20", "x/20", "80/fast", "80/-5", "80/20/5"] {
            assert!(
                matches!(
                    ServiceLevel::parse(text),
                    Err(InputError::NotAServiceLevel { .. })
                ),
                "{text}"
            );
        }
        for text in ["100/20", "0/20", "120/20", "-5/20"] {
            assert!(
                matches!(
                    ServiceLevel::parse(text),
                    Err(InputError::ServiceLevelOutOfRange { .. })
                ),
                "{text}"
            );
        }
    }

    #[test]
    fn percentages_and_their_limits() {
        assert!(close(Percent::parse("30%").unwrap().fraction(), 0.3));
        assert!(close(Percent::parse(" 30 % ").unwrap().fraction(), 0.3));
        assert!(close(Percent::parse("30").unwrap().fraction(), 0.3));
        assert!(close(Percent::parse("0.3").unwrap().fraction(), 0.003));
        for text in ["130%", "-5%", "thirty", "%", ""] {
            assert!(Percent::parse(text).is_err(), "{text}");
        }
        assert!(close(Shrinkage::parse("0%").unwrap().fraction(), 0.0));
        assert_eq!(Shrinkage::parse("100%"), Err(InputError::ShrinkageTooHigh));
        assert!(close(MaxOccupancy::parse("100%").unwrap().fraction(), 1.0));
        assert_eq!(MaxOccupancy::parse("0%"), Err(InputError::OccupancyZero));
    }

    #[test]
    fn durations_are_read() {
        let ok: &[(&str, f64)] = &[
            ("180s", 180.0),
            ("180", 180.0),
            ("3m", 180.0),
            ("2.5m", 150.0),
            ("1h30m", 5400.0),
            ("1m 30s", 90.0),
            ("30M", 1800.0),
        ];
        for (text, secs) in ok {
            let d = Secs::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert!(close(d.get(), *secs), "{text}");
        }
        for text in ["", "3 minutes", "30m1h", "m", "3x", "-3m", "1.2.3s", "30m5"] {
            assert!(
                matches!(Secs::parse(text), Err(InputError::NotADuration { .. })),
                "{text}"
            );
        }
        assert_eq!(Secs::parse("0s"), Err(InputError::ZeroDuration));
        assert_eq!(Secs::parse("1800").unwrap().to_string(), "30 min");
        assert_eq!(Secs::parse("185").unwrap().to_string(), "185 s");
    }

    #[test]
    fn counts_and_amounts() {
        assert!(close(Arrivals::parse("100").unwrap().get(), 100.0));
        assert!(close(Arrivals::parse("12.5").unwrap().get(), 12.5));
        for text in ["0", "-3", "many", "NaN", "inf"] {
            assert!(Arrivals::parse(text).is_err(), "{text}");
        }
        assert!(close(HourlyCost::parse("28.50").unwrap().get(), 28.5));
        assert!(close(HourlyCost::parse("0").unwrap().get(), 0.0));
        assert!(HourlyCost::parse("-1").is_err());
        assert!(HourlyCost::parse("€28").is_err());
        assert_eq!(AgentCount::parse("14").unwrap().get(), 14);
        for text in ["0", "1.5", "-2", "x"] {
            assert!(AgentCount::parse(text).is_err(), "{text}");
        }
        assert!(close(WeeklyHours::parse("37.5").unwrap().get(), 37.5));
        assert!(close(WeeklyHours::parse("168").unwrap().get(), 168.0));
        for text in ["0", "169", "all"] {
            assert!(WeeklyHours::parse(text).is_err(), "{text}");
        }
    }
}
