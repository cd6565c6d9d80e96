//! The KPI catalogue of docs/product.md §4 as data: every number metas shows has a
//! written definition here (formula, unit, which direction is good, the
//! settings that change it), and the product shows it next to the number.

use jiff::civil::Date;
use jiff::ToSpan;
use serde::Serialize;

use crate::settings::{FcrMode, KpiSettings};

/// What a KPI's value is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A fraction of 1 (shown as a percentage).
    Rate,
    /// Percentage points from −100 to 100 (NPS).
    Points,
    /// Seconds (shown as a duration).
    Seconds,
    /// A score on the survey's own scale.
    Score,
    /// A count of contacts or customers.
    Count,
    /// A 0–100 quality score.
    Percent,
}

/// Whether a higher value is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Higher,
    Lower,
    /// Neither (volume): goals must say which way they want it to move.
    Neither,
}

/// What a KPI is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    Interactions,
    Surveys,
    QaReviews,
    Customers,
    TimeObjectives,
}

/// A KPI definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KpiDef {
    pub id: &'static str,
    pub name: &'static str,
    pub unit: Unit,
    pub better: Better,
    pub basis: Basis,
    /// The formula in words, as shown to users.
    pub formula: &'static str,
    /// The settings (by name) that change this KPI.
    pub settings: &'static [&'static str],
}

macro_rules! kpi {
    ($id:literal, $name:literal, $unit:ident, $better:ident, $basis:ident, $formula:literal, [$($s:literal),*]) => {
        KpiDef {
            id: $id,
            name: $name,
            unit: Unit::$unit,
            better: Better::$better,
            basis: Basis::$basis,
            formula: $formula,
            settings: &[$($s),*],
        }
    };
}

/// Every KPI of docs/product.md §4, by the ids of docs/product.md §9.1.
pub const CATALOGUE: &[KpiDef] = &[
    kpi!("csat", "Customer satisfaction (CSAT)", Rate, Higher, Surveys,
        "CSAT answers at or above the satisfaction threshold / all CSAT answers (neutral answers count in the denominator unless the setting says otherwise)",
        ["csat.threshold", "csat.neutral_in_denominator"]),
    kpi!("csat_avg", "CSAT mean score", Score, Higher, Surveys,
        "sum of CSAT scores / number of CSAT answers, on the survey's scale", []),
    kpi!("ces", "Customer effort score (CES)", Score, Higher, Surveys,
        "mean CES score on the configured scale, 7 (or 5) = very easy; answers on another scale are rescaled onto it", ["ces.scale"]),
    kpi!("nps", "Net promoter score (NPS)", Points, Higher, Surveys,
        "% of answers 9–10 (promoters) − % of answers 0–6 (detractors), from −100 to 100", []),
    kpi!("fcr", "First contact resolution (FCR)", Rate, Higher, Interactions,
        "resolved contacts with no repeat contact by the same customer on the same topic within N days and no reopen / all resolved contacts", ["fcr.mode", "fcr.window_days"]),
    kpi!("aht", "Average handle time (AHT)", Seconds, Lower, Interactions,
        "(talk + hold + after-contact work) / handled contacts", ["aht.parts"]),
    kpi!("frt", "First response time", Seconds, Lower, Interactions,
        "created → first agent response, in calendar or business time; mean, median or p90", ["time", "calendar"]),
    kpi!("nrt", "Next response time", Seconds, Lower, Interactions,
        "customer reply → next agent response, in calendar or business time", ["time", "calendar"]),
    kpi!("resolution_time", "Resolution time", Seconds, Lower, Interactions,
        "created → final resolution of resolved contacts, in calendar or business time", ["time", "calendar"]),
    kpi!("asa", "Average speed of answer (ASA)", Seconds, Lower, Interactions,
        "queue wait of answered calls", []),
    kpi!("answer_rate", "Answer rate", Rate, Higher, Interactions,
        "answered calls / offered calls", []),
    kpi!("abandon_rate", "Abandon rate", Rate, Lower, Interactions,
        "abandoned calls / offered calls", []),
    kpi!("service_level", "Service level", Rate, Higher, Interactions,
        "calls answered within T seconds / offered calls", ["service_level.threshold_secs"]),
    kpi!("retention", "Customer retention rate", Rate, Higher, Customers,
        "(customers active at the end − new customers in the period) / customers active at the start", ["retention.active"]),
    kpi!("qa_score", "Internal quality score", Percent, Higher, QaReviews,
        "per criterion (rating − min) / (max − min) × 100; a review is the weighted mean of its rated criteria; a failed critical criterion makes the review 0", []),
    kpi!("volume", "Volume", Count, Neither, Interactions,
        "number of contacts created in the period", []),
    kpi!("repeat_contact_rate", "Repeat contact rate", Rate, Lower, Interactions,
        "contacts followed by another contact of the same customer on the same topic within N days / all contacts", ["fcr.window_days"]),
    kpi!("time_to_person", "Time to a person", Seconds, Lower, Interactions,
        "automated contact → first human response, for automated contacts that reached a person (the share that did is shown beside it)", []),
    kpi!("sla_attainment", "SLA attainment", Rate, Higher, TimeObjectives,
        "stages met / stages due, per stage of the time objective", ["policies"]),
    kpi!("qa_criterion_rating", "QA criterion rating", Score, Higher, QaReviews,
        "mean rating of one QA criterion on its own scale, N/A excluded; asked with criterion = NAME", []),
];

/// A part of a definition that a setting fills in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefinitionArg {
    /// A value shown as the setting has it (a threshold, a number of days).
    Value(String),
    /// Terms joined by " + ", each a message of metas-i18n's `kpis.ftl`
    /// (the parts of handle time), so every language names them.
    Terms(Vec<&'static str>),
}

/// A KPI's definition as the settings in force make it, so that the text
/// beside a number is the formula that produced it (`fcr.mode = flag` is
/// not described as the repeat-contact rule). The catalogue's `formula`
/// names the settings; this says which way they are set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// The message of metas-i18n's `kpis.ftl` that says it in every language.
    pub message: String,
    pub args: Vec<(&'static str, DefinitionArg)>,
    /// The English text (the CLI and the API), the same as the English
    /// catalogue's (a metas-i18n test holds them together).
    pub text: String,
}

/// The English words of the handle-time parts, by message id.
const AHT_PART_WORDS: [(&str, &str); 3] = [
    ("kpi-aht-part-talk", "talk"),
    ("kpi-aht-part-hold", "hold"),
    ("kpi-aht-part-acw", "after-contact work"),
];

impl KpiDef {
    /// The definition of this KPI under these settings.
    pub fn definition(&self, s: &KpiSettings) -> Definition {
        let base = format!("kpi-{}-definition", self.id.replace('_', "-"));
        let value = |v: String| DefinitionArg::Value(v);
        let (variant, args, text): (Option<&str>, Vec<(&'static str, DefinitionArg)>, String) =
            match self.id {
                "csat" => {
                    let t = s.get("csat.threshold").unwrap_or_default();
                    if s.csat_neutral_in_denominator {
                        (None, vec![("threshold", value(t.clone()))], format!(
                            "CSAT answers of {t} or more on a 1–5 scale (other scales rescaled) / all CSAT answers, neutral answers included"
                        ))
                    } else {
                        (Some("neutral-excluded"), vec![("threshold", value(t.clone()))], format!(
                            "CSAT answers of {t} or more on a 1–5 scale (other scales rescaled) / all CSAT answers except neutral ones (the scale's midpoint)"
                        ))
                    }
                }
                "ces" => {
                    let n = s.ces_scale;
                    (None, vec![("scale", value(n.to_string()))], format!(
                        "mean CES score on a 1–{n} scale, {n} = very easy; answers on another scale are rescaled onto it"
                    ))
                }
                "fcr" => match s.fcr_mode {
                    FcrMode::Repeat => {
                        let d = s.fcr_window_days;
                        (None, vec![("days", value(d.to_string()))], format!(
                            "resolved contacts with no repeat contact by the same customer on the same topic within {d} days and no reopen / all resolved contacts"
                        ))
                    }
                    FcrMode::OneTouch => (Some("one-touch"), vec![],
                        "resolved contacts with at most one agent reply / all resolved contacts whose agent replies are known".into()),
                    FcrMode::Flag => (Some("flag"), vec![],
                        "contacts the source flags as resolved at first contact / all contacts the source gives that flag for".into()),
                },
                "aht" => {
                    let p = s.aht_parts;
                    let parts: Vec<(&'static str, &'static str)> = [p.talk, p.hold, p.acw]
                        .iter()
                        .zip(AHT_PART_WORDS)
                        .filter(|(on, _)| **on)
                        .map(|(_, part)| part)
                        .collect();
                    let words: Vec<&str> = parts.iter().map(|(_, w)| *w).collect();
                    (None, vec![("parts", DefinitionArg::Terms(parts.iter().map(|(m, _)| *m).collect()))],
                        format!("({}) / handled contacts", words.join(" + ")))
                }
                "service_level" => {
                    let t = s.get("service_level.threshold_secs").unwrap_or_default();
                    (None, vec![("seconds", value(t.clone()))], format!(
                        "calls answered within {t} seconds / offered calls"
                    ))
                }
                "repeat_contact_rate" => {
                    let d = s.fcr_window_days;
                    (None, vec![("days", value(d.to_string()))], format!(
                        "contacts followed by another contact of the same customer on the same topic within {d} days / all contacts"
                    ))
                }
                _ => (None, vec![], self.formula.to_string()),
            };
        Definition {
            message: match variant {
                Some(v) => format!("{base}-{v}"),
                None => base,
            },
            args,
            text,
        }
    }
}

/// Every message a definition may use besides `kpi-<id>-definition`, for
/// the checks that every message the code asks for exists.
pub const DEFINITION_MESSAGES: &[&str] = &[
    "kpi-csat-definition-neutral-excluded",
    "kpi-fcr-definition-one-touch",
    "kpi-fcr-definition-flag",
    "kpi-aht-part-talk",
    "kpi-aht-part-hold",
    "kpi-aht-part-acw",
];

/// Which statistic a duration KPI reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stat {
    Mean,
    Median,
    P90,
}

impl Stat {
    pub fn parse(s: &str) -> Result<Stat, String> {
        match s {
            "mean" => Ok(Stat::Mean),
            "median" => Ok(Stat::Median),
            "p90" => Ok(Stat::P90),
            _ => Err(format!("--stat '{s}' is not one of mean, median, p90")),
        }
    }

    /// The quantile a median or percentile asks for.
    pub fn quantile(self) -> Option<f64> {
        match self {
            Stat::Mean => None,
            Stat::Median => Some(0.5),
            Stat::P90 => Some(0.9),
        }
    }
}

/// Whether durations run on the clock or only in open business hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeBasis {
    Calendar,
    Business,
}

impl TimeBasis {
    pub fn parse(s: &str) -> Result<TimeBasis, String> {
        match s {
            "calendar" => Ok(TimeBasis::Calendar),
            "business" => Ok(TimeBasis::Business),
            _ => Err(format!("--time '{s}' is not one of calendar, business")),
        }
    }
}

/// A time bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    Day,
    Week,
    Month,
    Quarter,
    Year,
    /// A year starting in the fiscal-year start month.
    FiscalYear,
}

impl Grain {
    pub fn parse(s: &str) -> Result<Grain, String> {
        match s {
            "day" => Ok(Grain::Day),
            "week" => Ok(Grain::Week),
            "month" => Ok(Grain::Month),
            "quarter" => Ok(Grain::Quarter),
            "year" => Ok(Grain::Year),
            "fiscal_year" | "fiscal-year" => Ok(Grain::FiscalYear),
            _ => Err(format!(
                "--grain '{s}' is not one of day, week, month, quarter, year, fiscal_year"
            )),
        }
    }
}

impl Grain {
    /// The last day of the bucket whose first day is `start` (the store
    /// gives each bucket by its first day; a fiscal year is a year from it).
    pub fn last_day(self, start: Date) -> Option<Date> {
        let next = match self {
            Grain::Day => start.checked_add(1.day()),
            Grain::Week => start.checked_add(1.week()),
            Grain::Month => start.checked_add(1.month()),
            Grain::Quarter => start.checked_add(3.months()),
            Grain::Year | Grain::FiscalYear => start.checked_add(1.year()),
        };
        next.ok().and_then(|d| d.yesterday().ok())
    }
}

/// How a change between two periods reads for a KPI whose better direction
/// is known: the colour a page gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Movement {
    /// Towards the KPI's better direction (up for CSAT, down for times).
    Better,
    Worse,
    /// Too small to show at the precision the value is shown with.
    Same,
    /// A KPI without a better direction (volume) moved.
    Moved,
}

/// A change from one period to the next as people read it: one sign, in
/// the KPI's unit (rates in percentage points), and whether it is for the
/// better.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// "+5.1", "−5.1" (a minus sign, U+2212), or "0.0" without a sign when
    /// it rounds to nothing; `.` for decimals (a locale replaces it).
    pub text: String,
    pub movement: Movement,
}

impl Change {
    /// The change from `before` to `now` of `kpi`.
    pub fn between(kpi: &KpiDef, now: f64, before: f64) -> Change {
        let d = now - before;
        // The size alone, written at the precision the value is shown with,
        // so the sign is added once and a change too small to show is none.
        let size = |v: f64| match kpi.unit {
            Unit::Rate => format!("{:.1} pp", v * 100.0),
            Unit::Points | Unit::Percent => format!("{v:.1}"),
            Unit::Score => format!("{v:.2}"),
            Unit::Count | Unit::Seconds => display_value(kpi.unit, v),
        };
        let text = size(d.abs());
        if text == size(0.0) || !d.is_finite() {
            return Change {
                text,
                movement: Movement::Same,
            };
        }
        let movement = match (kpi.better, d > 0.0) {
            (Better::Neither, _) => Movement::Moved,
            (Better::Higher, true) | (Better::Lower, false) => Movement::Better,
            _ => Movement::Worse,
        };
        Change {
            text: format!("{}{text}", if d > 0.0 { "+" } else { "\u{2212}" }),
            movement,
        }
    }
}

/// Whether a KPI is a share, an average, a count, or needs data metas does
/// not hold yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// successes / n, with a Wilson interval.
    Rate,
    /// mean of a per-item value, with a t interval (or a quantile with an
    /// order-statistic interval for durations).
    Mean,
    /// a count, without an interval.
    Count,
}

impl KpiDef {
    pub fn shape(&self) -> Shape {
        match (self.id, self.unit) {
            ("volume", _) => Shape::Count,
            ("retention", _) | (_, Unit::Rate) => Shape::Rate,
            _ => Shape::Mean,
        }
    }

    /// Durations can be reported as mean, median or p90.
    pub fn is_duration(&self) -> bool {
        self.unit == Unit::Seconds
    }
}

/// A value as people read it: rates as percentages, durations in h/m/s.
pub fn display_value(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Rate => format!("{:.1} %", v * 100.0),
        Unit::Points => format!("{v:+.1}"),
        Unit::Score => format!("{v:.2}"),
        Unit::Percent => format!("{v:.1}"),
        Unit::Count => {
            let digits = format!("{:.0}", v.abs());
            let mut out = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    out.push(',');
                }
                out.push(c);
            }
            if v < 0.0 {
                out.insert(0, '-');
            }
            out
        }
        Unit::Seconds => {
            let total = v.round() as i64;
            let (h, m, sec) = (total / 3600, (total % 3600) / 60, total % 60);
            if h >= 24 {
                format!("{}d {:02}h", h / 24, h % 24)
            } else if h > 0 {
                format!("{h}h {m:02}m")
            } else if m > 0 {
                format!("{m}m {sec:02}s")
            } else {
                format!("{:.1}s", v)
            }
        }
    }
}

/// A value of the KPI with this id as people read it (a plain score for an
/// id the catalogue does not know, e.g. one a newer metas stored).
pub fn display_kpi_value(id: &str, v: f64) -> String {
    display_value(kpi(id).map(|k| k.unit).unwrap_or(Unit::Score), v)
}

/// Looks a KPI up by id.
pub fn kpi(id: &str) -> Option<&'static KpiDef> {
    CATALOGUE.iter().find(|k| k.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_people_write_them() {
        for (unit, v, want) in [
            (Unit::Rate, 0.8108, "81.1 %"),
            (Unit::Points, 23.44, "+23.4"),
            (Unit::Points, -5.0, "-5.0"),
            (Unit::Score, 3.4035, "3.40"),
            (Unit::Count, 1234567.0, "1,234,567"),
            (Unit::Count, 999.0, "999"),
            (Unit::Seconds, 42.25, "42.2s"),
            (Unit::Seconds, 200.0, "3m 20s"),
            (Unit::Seconds, 3720.0, "1h 02m"),
            (Unit::Seconds, 90000.0, "1d 01h"),
        ] {
            assert_eq!(display_value(unit, v), want, "{unit:?} {v}");
        }
    }

    /// A change has one sign, written once, and its colour follows the
    /// KPI's better direction.
    #[test]
    fn a_change_has_one_sign_and_a_direction() {
        use Movement::*;
        let k = |id| kpi(id).unwrap();
        for (id, now, before, text, movement) in [
            // NPS up 5.1 points: better, and not "−+5.1".
            ("nps", 23.4, 18.3, "+5.1", Better),
            ("nps", 18.3, 23.4, "\u{2212}5.1", Worse),
            ("nps", -3.0, -8.1, "+5.1", Better),
            ("nps", 20.0, 20.0, "0.0", Same),
            // Too small to show is no change, whatever its sign.
            ("nps", 20.04, 20.0, "0.0", Same),
            ("nps", 19.96, 20.0, "0.0", Same),
            // Rates in percentage points.
            ("csat", 0.83, 0.80, "+3.0 pp", Better),
            ("csat", 0.80, 0.83, "\u{2212}3.0 pp", Worse),
            ("abandon_rate", 0.05, 0.08, "\u{2212}3.0 pp", Better),
            // Lower is better for times.
            ("frt", 120.0, 200.0, "\u{2212}1m 20s", Better),
            ("frt", 200.0, 120.0, "+1m 20s", Worse),
            ("aht", 300.0, 300.0, "0.0s", Same),
            ("csat_avg", 4.12, 4.1, "+0.02", Better),
            ("qa_score", 71.0, 76.1, "\u{2212}5.1", Worse),
            // Volume has no better direction.
            ("volume", 1200.0, 1000.0, "+200", Moved),
            ("volume", 1000.0, 1200.0, "\u{2212}200", Moved),
            ("volume", 1000.0, 1000.0, "0", Same),
        ] {
            let c = Change::between(k(id), now, before);
            assert_eq!(
                (c.text.as_str(), c.movement),
                (text, movement),
                "{id} {before} → {now}"
            );
            assert!(
                c.text.matches(['+', '\u{2212}', '-']).count() <= 1,
                "{}",
                c.text
            );
        }
    }

    #[test]
    fn a_bucket_ends_where_the_next_begins() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        for (grain, start, last) in [
            (Grain::Day, "2026-06-30", "2026-06-30"),
            (Grain::Week, "2026-06-29", "2026-07-05"),
            (Grain::Month, "2026-02-01", "2026-02-28"),
            (Grain::Quarter, "2026-04-01", "2026-06-30"),
            (Grain::Year, "2026-01-01", "2026-12-31"),
            (Grain::FiscalYear, "2026-04-01", "2027-03-31"),
        ] {
            assert_eq!(grain.last_day(d(start)), Some(d(last)), "{grain:?}");
        }
    }

    #[test]
    fn every_spec_id_is_defined_once() {
        let ids = [
            "csat",
            "csat_avg",
            "ces",
            "nps",
            "fcr",
            "aht",
            "frt",
            "nrt",
            "resolution_time",
            "asa",
            "answer_rate",
            "abandon_rate",
            "service_level",
            "retention",
            "qa_score",
            "volume",
            "repeat_contact_rate",
            "time_to_person",
            "sla_attainment",
            "qa_criterion_rating",
        ];
        assert_eq!(CATALOGUE.len(), ids.len());
        for id in ids {
            let k = kpi(id).unwrap_or_else(|| panic!("{id} missing"));
            assert!(!k.formula.is_empty() && !k.name.is_empty());
        }
    }
}
